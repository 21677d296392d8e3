package dev.cohort.node.http;

/**
 * {@code GET /health}: answered with 200 when the node is Up and every node group it belongs to
 * has quorum, with 503 otherwise (the same document either way).
 *
 * @param node the node's name
 * @param status {@code ok}, {@code starting} (not Up yet) or {@code no-quorum}
 * @param member the node's membership status (Joining, Up, Leaving, ...)
 * @param tableVersion the partition table version the node holds (0 before the first)
 */
public record HealthJson(String node, String status, String member, long tableVersion) {
  /** The {@link #status()} of a node that is Up with quorum in all its groups. */
  public static final String OK = "ok";

  /** Whether the node is Up with quorum in all its groups. */
  public boolean ok() {
    return OK.equals(status);
  }
}
