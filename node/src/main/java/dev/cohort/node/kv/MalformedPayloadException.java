package dev.cohort.node.kv;

/** Bytes that are not a well-formed command or snapshot of this format; the message says where and why. */
public final class MalformedPayloadException extends IllegalArgumentException {
  /** @param message what is wrong, for a person */
  public MalformedPayloadException(String message) {
    super(message);
  }
}
