package dev.plainsight.capture;

/**
 * How much the proxy records; everything but {@link #FULL} exists to measure what capture costs
 * (issue 4 and 7 benchmarks). {@link #NO_TAP} stores flows without watching raw TLS records;
 * {@link #OFF} forwards and intercepts without recording anything.
 */
public enum CaptureMode {
  FULL,
  NO_TAP,
  OFF;

  public boolean records() {
    return this != OFF;
  }

  public boolean tapsTls() {
    return this == FULL;
  }
}
