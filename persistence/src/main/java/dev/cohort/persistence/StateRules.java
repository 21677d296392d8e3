package dev.cohort.persistence;

import dev.cohort.api.PartitionId;

/** The checks every {@link StateStore} makes, with the same messages. */
final class StateRules {
  private StateRules() {}

  static void checkApplies(PartitionId partition, long appliedSeq, long seq) {
    if (seq <= appliedSeq) {
      throw new IllegalArgumentException("the state of " + partition + " is applied up to seq " + appliedSeq
          + "; seq " + seq + " is not after it");
    }
  }

  static void checkInstall(PartitionId partition, long seq) {
    if (seq < 1) {
      throw new IllegalArgumentException("an install of the state of " + partition + " needs a seq of at least 1, got "
          + seq);
    }
  }
}
