package dev.plainsight.lesson;

/**
 * How a step of a connection looked to one viewer; {@link #wire()} is the API name. {@code FAILED}:
 * the step was tried and did not complete (the reason is in the step's evidence); {@code REUSED}:
 * the step happened earlier, on the connection this flow reused.
 */
public enum StepState {
  CLEAR("clear"),
  ENCRYPTED("encrypted"),
  DECRYPTED_BY_PROXY("decrypted-by-proxy"),
  DID_NOT_HAPPEN("did-not-happen"),
  FAILED("failed"),
  REUSED("reused");

  private final String wire;

  StepState(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
