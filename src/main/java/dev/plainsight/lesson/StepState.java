package dev.plainsight.lesson;

/** How a step of a connection looked on the wire; {@link #wire()} is the API name. */
public enum StepState {
  CLEAR("clear"),
  ENCRYPTED("encrypted"),
  DECRYPTED_BY_PROXY("decrypted-by-proxy"),
  DID_NOT_HAPPEN("did-not-happen");

  private final String wire;

  StepState(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
