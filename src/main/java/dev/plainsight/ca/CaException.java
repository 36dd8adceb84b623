package dev.plainsight.ca;

/**
 * A problem with the CA files or with trust material that the user can fix. The message says what
 * happened and what to do ("... restore it or delete ... to generate a new CA"); it is meant to be
 * shown as is, without a stack trace.
 */
public final class CaException extends Exception {
  private static final long serialVersionUID = 1L;

  public CaException(String message) {
    super(message);
  }

  public CaException(String message, Throwable cause) {
    super(message, cause);
  }
}
