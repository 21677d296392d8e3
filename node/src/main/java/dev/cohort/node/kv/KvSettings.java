package dev.cohort.node.kv;

import java.util.Set;

/**
 * The limits of a partition's key-value state machine. They change results, so every copy of a
 * partition must run with the same ones.
 *
 * @param tables the declared tables' names; any other table is refused
 * @param maxValueBytes the largest value accepted, in bytes (callers check before sequencing; the
 *     state machine checks again)
 * @param requestsPerClient how many of a client's most recent request ids (by sequence) are
 *     remembered with their results; a retry of an older one is refused as expired. At least the
 *     number of requests a client may have in flight to one partition.
 * @param maxClients how many clients are remembered; beyond it the client seen least recently is
 *     forgotten, and a retry of its requests could be applied again. At least 1.
 */
public record KvSettings(Set<String> tables, int maxValueBytes, int requestsPerClient, int maxClients) {
  /** @throws IllegalArgumentException if a limit is out of range or a table name is blank */
  public KvSettings {
    tables = Set.copyOf(tables);
    for (String table : tables) {
      if (table.isBlank()) {
        throw new IllegalArgumentException("a table name must not be blank");
      }
    }
    if (maxValueBytes < 0) {
      throw new IllegalArgumentException("maxValueBytes must be >= 0, got " + maxValueBytes);
    }
    if (requestsPerClient < 1 || maxClients < 1) {
      throw new IllegalArgumentException(
          "requestsPerClient and maxClients must be >= 1, got " + requestsPerClient + " and " + maxClients);
    }
  }
}
