package dev.cohort.node.kv;

import dev.cohort.api.CohortException;
import java.util.Optional;
import java.util.OptionalLong;

/** What applying one {@link KvCommand} gave. Domain outcomes are values, never exceptions. */
public sealed interface KvResult {

  /**
   * The value was written.
   *
   * @param version the key's new version
   * @param seq the seq of the entry that wrote it (equal to the version)
   */
  record Written(long version, long seq) implements KvResult {}

  /**
   * The key is absent now (it may have been absent before).
   *
   * @param seq the seq of the delete's entry
   */
  record Deleted(long seq) implements KvResult {}

  /**
   * A compare-and-set found another version; nothing was written.
   *
   * @param expectedVersion the version the command expected
   * @param currentVersion the key's version, empty if the key is absent
   */
  record Conflict(long expectedVersion, OptionalLong currentVersion) implements KvResult {
    /** The error for callers. */
    public CohortException.VersionConflict toException() {
      Optional<Long> current = currentVersion.isPresent() ? Optional.of(currentVersion.getAsLong()) : Optional.empty();
      return new CohortException.VersionConflict(expectedVersion, current);
    }
  }

  /**
   * The command was refused; nothing was written.
   *
   * @param rejection why
   */
  record Rejected(Rejection rejection) implements KvResult {}
}
