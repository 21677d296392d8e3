package dev.cohort.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeNameTest {
  /** Pinned: a node's location code must not change between versions or JVMs. */
  @Test
  void locationCodesArePinned() {
    assertEquals(0x48e86629c152a3f3L, NodeName.of("node-a").locationCode());
    assertEquals(0xcc031f46d50f81c2L, NodeName.of("node-b").locationCode());
    assertEquals(0x612c9705d576e1ffL, NodeName.of("ledger-1").locationCode());
  }

  @Test
  void theLocationCodeIsTheStableHashOfTheName() {
    for (String name : List.of("a", "node-a", "Node_1.b", "x".repeat(300))) {
      assertEquals(StableHash.of(name), NodeName.of(name).locationCode(), name);
    }
    assertNotEquals(NodeName.of("node-a").locationCode(), NodeName.of("Node-a").locationCode());
  }

  @Test
  void validNames() {
    for (String name : List.of("a", "9", "node-a", "Node_1.b", "ledger-", "a..b", "10.0.0.1")) {
      assertEquals(name, new NodeName(name).value());
      assertEquals(name, NodeName.of(name).toString());
    }
  }

  @Test
  void invalidNamesAreRejectedWithTheRule() {
    List<String> invalid = List.of("", " ", "   ", "node a", " node", "node ", "-node", ".node", "_node",
        "nöde", "узел", "node/1", "node:1", "node@host", "node\n", "node\t1");
    for (String name : invalid) {
      var e = assertThrows(IllegalArgumentException.class, () -> NodeName.of(name), "'" + name + "'");
      assertEquals("invalid node name '" + name + "': use letters, digits, '.', '_' and '-',"
          + " starting with a letter or digit", e.getMessage());
    }
    var e = assertThrows(IllegalArgumentException.class, () -> new NodeName(null));
    assertEquals("invalid node name 'null': use letters, digits, '.', '_' and '-', starting with a letter or digit",
        e.getMessage());
  }

  @Test
  void namesAreEqualByValue() {
    assertEquals(NodeName.of("node-a"), new NodeName("node-a"));
    assertNotEquals(NodeName.of("node-a"), NodeName.of("node-A"));
  }

  /**
   * Names order by their characters (String order), the same on every JVM: upper case before
   * lower case, and "node-10" before "node-2" (not numeric).
   */
  @Test
  void orderingIsByCharacters() {
    List<NodeName> names = new ArrayList<>();
    for (String name : List.of("node-b", "node-2", "node-10", "Node-z", "a", "node-a")) {
      names.add(NodeName.of(name));
    }
    Collections.sort(names);
    assertEquals(List.of("Node-z", "a", "node-10", "node-2", "node-a", "node-b"),
        names.stream().map(NodeName::value).toList());
    assertEquals(0, NodeName.of("node-a").compareTo(NodeName.of("node-a")));
  }
}
