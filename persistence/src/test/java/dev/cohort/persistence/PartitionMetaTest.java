package dev.cohort.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PartitionMetaTest {
  @Test
  void metaStartsEmptyAndChangesOneFieldAtATime() {
    assertEquals(new PartitionMeta(0, 0), PartitionMeta.EMPTY);
    assertEquals(new PartitionMeta(3, 0), PartitionMeta.EMPTY.withPromisedEpoch(3));
    assertEquals(new PartitionMeta(3, 9), PartitionMeta.EMPTY.withPromisedEpoch(3).withCommittedSeq(9));
  }

  @Test
  void negativeValuesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new PartitionMeta(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> new PartitionMeta(0, -1));
  }
}
