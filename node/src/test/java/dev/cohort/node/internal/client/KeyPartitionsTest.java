package dev.cohort.node.internal.client;

import static dev.cohort.node.internal.client.Fixtures.COHORT;
import static dev.cohort.node.internal.client.Fixtures.GROUP;
import static dev.cohort.node.internal.client.Fixtures.TABLE;
import static dev.cohort.node.internal.client.Fixtures.TABLES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.CohortException;
import dev.cohort.api.MapperSpec;
import dev.cohort.api.PartitionId;
import dev.cohort.mappers.Mappers;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyPartitionsTest {
  private final KeyPartitions partitions = new KeyPartitions(COHORT, TABLES, null);

  @Test
  void aKeyMapsWithItsGroupsMapperAndPartitionCount() {
    var mapper = Mappers.create(new MapperSpec.ConsistentHash());
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String key = "key-" + i;
      PartitionId partition = partitions.partitionOf(TABLE, key);
      assertEquals(new PartitionId(GROUP, mapper.partitionOf(key, 4)), partition, key);
      seen.add(partition.index());
    }
    assertEquals(Set.of(0, 1, 2, 3), seen, "keys spread over every partition");
  }

  @Test
  void theSameKeyAlwaysMapsToTheSamePartition() {
    assertEquals(new KeyPartitions(COHORT, TABLES, null).partitionOf(TABLE, "alice"), partitions.partitionOf(TABLE, "alice"));
  }

  @Test
  void anUnknownTableIsRefusedNamingTheDeclaredOnes() {
    var error = assertThrows(CohortException.UnknownTable.class, () -> partitions.partitionOf("nope", "k"));

    assertEquals("unknown-table", error.code());
    assertEquals("nope", error.table());
    assertTrue(error.getMessage().contains("[kv, seq]"), error.getMessage());
  }

  @Test
  void aGroupWhoseMapperCannotPlaceStringsSaysWhy() {
    var error = assertThrows(IllegalArgumentException.class, () -> partitions.partitionOf("seq", "k"));

    assertTrue(error.getMessage().contains("round-robin"), error.getMessage());
  }
}
