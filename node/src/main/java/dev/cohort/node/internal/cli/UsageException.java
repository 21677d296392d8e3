package dev.cohort.node.internal.cli;

/** A command line that cannot be run; the message says what is wrong. */
public final class UsageException extends RuntimeException {
  /** @param message what is wrong with the command line */
  public UsageException(String message) {
    super(message);
  }
}
