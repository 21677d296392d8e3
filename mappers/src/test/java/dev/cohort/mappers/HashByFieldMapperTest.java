package dev.cohort.mappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.MapperSpec;
import dev.cohort.api.PartitionMapper;
import dev.cohort.mappers.elsewhere.HiddenKeys;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HashByFieldMapperTest {
  private final PartitionMapper byMerchant = Mappers.create(new MapperSpec.HashByField("merchantId"));
  private final PartitionMapper consistentHash = Mappers.create(new MapperSpec.ConsistentHash());

  record OrderRecord(String merchantId, long amount) {}

  /** A bean: a private field behind a getter. */
  public static final class OrderBean {
    private final String merchantId;

    public OrderBean(String merchantId) {
      this.merchantId = merchantId;
    }

    public String getMerchantId() {
      return merchantId;
    }
  }

  /** A class with a record-style accessor but no record. */
  public static final class OrderWithAccessor {
    private final String id;

    public OrderWithAccessor(String id) {
      this.id = id;
    }

    public String merchantId() {
      return id;
    }
  }

  /** A public field; the subclass inherits it. */
  public static class OrderWithField {
    public String merchantId;

    public OrderWithField(String merchantId) {
      this.merchantId = merchantId;
    }
  }

  public static final class SubOrder extends OrderWithField {
    public SubOrder(String merchantId) {
      super(merchantId);
    }
  }

  public static final class Flags {
    public boolean isVip() {
      return true;
    }

    public static String getStaticOnly() {
      return "never a field";
    }

    public void getNothing() {}
  }

  record Transfer(long accountId, String currency) {}

  @Test
  void everyShapeOfObjectMapsLikeItsFieldValue() {
    for (int i = 0; i < 2_000; i++) {
      String merchant = "merchant-" + i;
      int expected = consistentHash.partitionOf(merchant, 271);
      assertEquals(expected, byMerchant.partitionOf(new OrderRecord(merchant, i), 271), "record");
      assertEquals(expected, byMerchant.partitionOf(new OrderBean(merchant), 271), "bean");
      assertEquals(expected, byMerchant.partitionOf(new OrderWithAccessor(merchant), 271), "accessor");
      assertEquals(expected, byMerchant.partitionOf(new OrderWithField(merchant), 271), "public field");
      assertEquals(expected, byMerchant.partitionOf(new SubOrder(merchant), 271), "inherited public field");
      assertEquals(expected, byMerchant.partitionOf(Map.of("merchantId", merchant, "amount", i), 271), "map");
    }
  }

  @Test
  void aRecordAndAMapWithEqualValuesMapAlikeWhateverTheNumberWidth() {
    PartitionMapper byAccount = Mappers.create(new MapperSpec.HashByField("accountId"));
    for (long account = -50; account < 1_000; account++) {
      int fromRecord = byAccount.partitionOf(new Transfer(account, "EUR"), 271);
      assertEquals(fromRecord, byAccount.partitionOf(Map.of("accountId", (int) account), 271), "Integer in a map");
      var treeMap = new TreeMap<>(Map.of("accountId", account));
      assertEquals(fromRecord, byAccount.partitionOf(treeMap, 271), "Long in a map");
    }
  }

  /** Pinned like the consistent-hash values: a change here moves data. */
  @Test
  void pinnedPartitions() {
    assertEquals(55, byMerchant.partitionOf(new OrderRecord("merchant-7", 1), 271));
    assertEquals(10, byMerchant.partitionOf(Map.of("merchantId", "merchant-7"), 16));
    PartitionMapper byAccount = Mappers.create(new MapperSpec.HashByField("accountId"));
    assertEquals(17, byAccount.partitionOf(new Transfer(42, "EUR"), 271));
  }

  @Test
  void separatelyCreatedMappersAgree() {
    PartitionMapper other = Mappers.create(new MapperSpec.HashByField("merchantId"));
    for (int i = 0; i < 1_000; i++) {
      var order = new OrderRecord("merchant-" + i, i);
      assertEquals(byMerchant.partitionOf(order, 271), other.partitionOf(order, 271));
    }
  }

  @Test
  void booleanGettersCount() {
    PartitionMapper byVip = Mappers.create(new MapperSpec.HashByField("vip"));
    assertEquals(consistentHash.partitionOf(true, 271), byVip.partitionOf(new Flags(), 271));
  }

  @Test
  void classesCohortCannotAccessDirectlyAreReadThroughReflectionOrAPublicInterface() {
    assertEquals(consistentHash.partitionOf("m-1", 271), byMerchant.partitionOf(HiddenKeys.order("m-1"), 271));
    assertEquals(consistentHash.partitionOf("m-2", 271), byMerchant.partitionOf(HiddenKeys.viaInterface("m-2"), 271));
    // java.util's private list classes are closed to reflection; List.size() is public.
    PartitionMapper bySize = Mappers.create(new MapperSpec.HashByField("size"));
    var list = Collections.unmodifiableList(List.of("a", "b"));
    assertEquals(consistentHash.partitionOf(2, 271), bySize.partitionOf(list, 271));
  }

  @Test
  void aMissingFieldIsRejectedNamingTheClassAndTheField() {
    var e = assertThrows(IllegalArgumentException.class, () -> byMerchant.partitionOf(new Transfer(1, "EUR"), 16));
    assertEquals("the hash-by-field mapper found no field 'merchantId' in"
        + " dev.cohort.mappers.HashByFieldMapperTest$Transfer"
        + " (looked for a record component, a public method getMerchantId(), isMerchantId() or merchantId(),"
        + " and a public field merchantId)", e.getMessage());
    var fromMap = assertThrows(IllegalArgumentException.class, () -> byMerchant.partitionOf(Map.of("amount", 1), 16));
    assertTrue(
        fromMap.getMessage().matches("the hash-by-field mapper found no entry 'merchantId' in a java\\.util\\.\\S+"),
        fromMap.getMessage());
  }

  @Test
  void staticMembersVoidMethodsAndObjectMethodsAreNotFields() {
    for (String field : List.of("staticOnly", "nothing", "hashCode", "class", "toString")) {
      PartitionMapper mapper = Mappers.create(new MapperSpec.HashByField(field));
      var e = assertThrows(IllegalArgumentException.class, () -> mapper.partitionOf(new Flags(), 16), field);
      assertTrue(e.getMessage().startsWith("the hash-by-field mapper found no field '" + field + "' in "),
          e.getMessage());
    }
  }

  @Test
  void aNullValueIsRejectedNamingTheField() {
    var e = assertThrows(IllegalArgumentException.class, () -> byMerchant.partitionOf(new OrderBean(null), 16));
    assertEquals("the hash-by-field mapper found field 'merchantId' null in"
        + " dev.cohort.mappers.HashByFieldMapperTest$OrderBean; a key's field must have a value", e.getMessage());
    var map = new HashMap<String, Object>();
    map.put("merchantId", null);
    var fromMap = assertThrows(IllegalArgumentException.class, () -> byMerchant.partitionOf(map, 16));
    assertEquals("the hash-by-field mapper found field 'merchantId' null in a java.util.HashMap;"
        + " a key's field must have a value", fromMap.getMessage());
  }

  @Test
  void aValueWithoutStableBytesIsRejectedNamingItsType() {
    var e = assertThrows(IllegalArgumentException.class, () -> byMerchant.partitionOf(Map.of("merchantId", 1.5), 16));
    String message = e.getMessage();
    assertTrue(message.startsWith("the hash-by-field mapper cannot hash field 'merchantId' of java.util."), message);
    assertTrue(message.contains(": its value is a java.lang.Double, which has no stable byte form;"
        + " supported field types are String,"), message);
  }

  @Test
  void aMapWithoutStringKeysIsRejected() {
    var byNumber = new TreeMap<>(Map.of(1, "a"));
    var e = assertThrows(IllegalArgumentException.class, () -> byMerchant.partitionOf(byNumber, 16));
    assertEquals("the hash-by-field mapper cannot look up 'merchantId' in a java.util.TreeMap:"
        + " its keys are not Strings", e.getMessage());
  }

  @Test
  void aFieldNameIsRequired() {
    for (String blank : new String[] {null, "", "  "}) {
      var e = assertThrows(IllegalArgumentException.class, () -> Mappers.create(new MapperSpec.HashByField(blank)));
      assertEquals("a hash-by-field mapper needs the field to hash;"
          + " write mapper { type = hash-by-field, field = merchantId }", e.getMessage());
    }
  }

  @Test
  void manyThreadsAgreeWithOneThread() {
    List<Object> keys = IntStream.range(0, 50_000)
        .mapToObj(i -> switch (i % 3) {
          case 0 -> new OrderRecord("m" + i, i);
          case 1 -> new OrderBean("m" + i);
          default -> Map.of("merchantId", "m" + i);
        })
        .toList();
    PartitionMapper fresh = Mappers.create(new MapperSpec.HashByField("merchantId"));
    List<Integer> parallel = keys.parallelStream().map(k -> fresh.partitionOf(k, 271)).toList();
    List<Integer> sequential = keys.stream().map(k -> byMerchant.partitionOf(k, 271)).toList();
    assertEquals(sequential, parallel);
  }

  @Test
  void describesItself() {
    assertEquals("hash-by-field(merchantId)", byMerchant.toString());
  }
}
