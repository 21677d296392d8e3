package dev.cohort.node.internal.client;

import java.util.List;

/** The JSON documents of the key-value HTTP routes ({@link KvRoutes}). */
public final class KvJson {
  private KvJson() {}

  /**
   * An acknowledged put or compare-and-set: {@code {"version":..,"seq":..,"partition":"group#index"}}.
   *
   * @param version the key's new version
   * @param seq the seq of the write's entry
   * @param partition the key's partition, as {@code group#index}
   */
  public record Written(long version, long seq, String partition) {}

  /**
   * An acknowledged delete: {@code {"seq":..,"partition":"group#index"}}.
   *
   * @param seq the seq of the delete's entry
   * @param partition the key's partition, as {@code group#index}
   */
  public record Deleted(long seq, String partition) {}

  /**
   * A refusal or failure: {@code {"code":..,"message":..}}.
   *
   * @param code the stable error code, such as {@code quorum-lost}
   * @param message what happened, for a person
   */
  public record Error(String code, String message) {}

  /**
   * A compare-and-set that found another version (HTTP 412).
   *
   * @param code {@code version-conflict}
   * @param message what happened, for a person
   * @param expectedVersion the version the request expected (its {@code If-Match})
   * @param currentVersion the key's current version, null if the key is absent
   */
  public record Conflict(String code, String message, long expectedVersion, Long currentVersion) {}

  /**
   * {@code GET /tables}.
   *
   * @param tables every declared table, by name
   */
  public record Tables(List<Table> tables) {}

  /**
   * One declared table.
   *
   * @param name the table's name
   * @param partitionGroup the partition group it lives on
   * @param partitions the group's partition count
   * @param maxValueBytes the largest value accepted
   */
  public record Table(String name, String partitionGroup, int partitions, int maxValueBytes) {}
}
