package dev.cohort.node.kv;

/**
 * Identifies one request from the caller's side; a retry reuses it, so the state machine can tell a
 * retry of an applied write from a new write.
 *
 * @param client the caller's side (a router incarnation, say), unique in the cluster
 * @param sequence grows with each new request of that client; at least 0
 */
public record RequestId(long client, long sequence) {
  /** @throws IllegalArgumentException if {@code sequence} is negative */
  public RequestId {
    if (sequence < 0) {
      throw new IllegalArgumentException("request sequence must be >= 0, got " + sequence);
    }
  }

  @Override
  public String toString() {
    return client + "/" + sequence;
  }
}
