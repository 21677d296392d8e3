package dev.cohort.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Specs built in code are checked as the settings reader checks them, with the same sentences. */
class MapperSpecTest {
  private static final List<String> BLANKS = Arrays.asList(null, "", "  ");

  @Test
  void aHashByFieldSpecNeedsAField() {
    for (String blank : BLANKS) {
      var e = assertThrows(IllegalArgumentException.class, () -> new MapperSpec.HashByField(blank));
      assertEquals("a hash-by-field mapper needs the field to hash;"
          + " write mapper { type = hash-by-field, field = merchantId }", e.getMessage(), "field '" + blank + "'");
    }
  }

  @Test
  void aCustomSpecNeedsAClassNameWordedAsTheClassCheckWordsIt() {
    for (String blank : BLANKS) {
      var e = assertThrows(IllegalArgumentException.class, () -> new MapperSpec.Custom(blank, ConfigFactory.empty()));
      assertEquals("a custom mapper needs the name of a class implementing dev.cohort.api.PartitionMapper:"
          + " mapper { type = custom, class = \"com.example.MyMapper\" }", e.getMessage(), "class '" + blank + "'");
      assertEquals(new CustomMapperClass.Unusable(e.getMessage()), CustomMapperClass.resolve(blank, null));
    }
  }

  @Test
  void aCustomSpecNeedsAConfig() {
    var e = assertThrows(IllegalArgumentException.class, () -> new MapperSpec.Custom("com.example.MyMapper", null));
    assertEquals("custom mapper class 'com.example.MyMapper' was given a null config; pass the mapper's block"
        + " (ConfigFactory.empty() if it has none)", e.getMessage());
  }

  @Test
  void validSpecsKeepTheirValues() {
    assertEquals("merchantId", new MapperSpec.HashByField("merchantId").field());
    var config = ConfigFactory.parseString("type = custom, class = com.example.MyMapper, buckets = 7");
    var custom = new MapperSpec.Custom("com.example.MyMapper", config);
    assertEquals("com.example.MyMapper", custom.className());
    assertEquals(config, custom.config());
  }
}
