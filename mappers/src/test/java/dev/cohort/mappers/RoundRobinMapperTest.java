package dev.cohort.mappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.MapperSpec;
import dev.cohort.api.PartitionMapper;
import java.math.BigInteger;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RoundRobinMapperTest {
  private final PartitionMapper mapper = Mappers.create(new MapperSpec.RoundRobin());

  @Test
  void consecutiveSequenceNumbersGoToConsecutivePartitions() {
    for (int i = 0; i < 1000; i++) {
      assertEquals(i % 7, mapper.partitionOf(i, 7), "Integer " + i);
      assertEquals(i % 7, mapper.partitionOf((long) i, 7), "Long " + i);
      assertEquals(i % 7, mapper.partitionOf(BigInteger.valueOf(i), 7), "BigInteger " + i);
    }
    assertEquals(3, mapper.partitionOf((short) 10, 7));
    assertEquals(3, mapper.partitionOf((byte) 10, 7));
  }

  @Test
  void negativeNumbersWrapAroundLikeFloorMod() {
    assertEquals(6, mapper.partitionOf(-1, 7));
    assertEquals(0, mapper.partitionOf(-7L, 7));
    assertEquals(6, mapper.partitionOf((byte) -8, 7));
    assertEquals(Math.floorMod(Long.MIN_VALUE, 7), mapper.partitionOf(Long.MIN_VALUE, 7));
    assertEquals(6, mapper.partitionOf(BigInteger.valueOf(-1), 7));
  }

  @Test
  void bigIntegersBeyondALongStillWrap() {
    BigInteger huge = BigInteger.TWO.pow(100); // 2^100 mod 7 = 2^(100 mod 3) = 2
    assertEquals(2, mapper.partitionOf(huge, 7));
    assertEquals(5, mapper.partitionOf(huge.negate(), 7));
    assertEquals(huge.mod(BigInteger.valueOf(271)).intValue(), mapper.partitionOf(huge, 271));
  }

  @Test
  void everyCountWorks() {
    assertEquals(0, mapper.partitionOf(123L, 1));
    assertEquals(Integer.MAX_VALUE - 1, mapper.partitionOf(-1L, Integer.MAX_VALUE));
  }

  @Test
  void keysThatAreNotSequenceNumbersAreRejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> mapper.partitionOf("order-1", 7));
    assertEquals("the round-robin mapper cannot map a key of type java.lang.String: it needs an integral sequence"
        + " number (Byte, Short, Integer, Long or BigInteger). For other keys use the consistent-hash or"
        + " hash-by-field mapper", e.getMessage());
    for (Object key : List.of(1.0d, 1.0f, UUID.randomUUID(), 'c', true, new AtomicLong(1))) {
      var rejected = assertThrows(IllegalArgumentException.class, () -> mapper.partitionOf(key, 7));
      assertTrue(rejected.getMessage().startsWith(
          "the round-robin mapper cannot map a key of type " + key.getClass().getTypeName() + ":"),
          rejected.getMessage());
    }
  }

  @Test
  void nullKeysAndEmptyGroupsAreRejected() {
    assertThrows(NullPointerException.class, () -> mapper.partitionOf(null, 7));
    var e = assertThrows(IllegalArgumentException.class, () -> mapper.partitionOf(1, 0));
    assertEquals("partitionCount must be at least 1, was 0", e.getMessage());
  }

  @Test
  void describesItself() {
    assertEquals("round-robin", mapper.toString());
  }
}
