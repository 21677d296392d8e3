package dev.cohort.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.persistence.StateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random command streams, with retries, applied to the state machine and to a model simple enough
 * to be obviously right; every result and every read must agree. The machine flushes its batch and
 * is opened again over its store along the way, and a second machine fed the payload bytes must
 * reach the same stored state.
 */
class KvModelTest {
  private static final List<String> TABLES = List.of("t", "u", "undeclared");
  private static final List<String> KEYS = List.of("a", "b", "c", "d");
  private static final int MAX_VALUE = 6;
  private static final int WINDOW = 16;
  private static final KvSettings SETTINGS = new KvSettings(Set.of("t", "u"), MAX_VALUE, WINDOW, 8);

  /** The model: plain maps, and every result ever given. */
  private static final class Model {
    final Map<String, Map<String, Versioned>> tables = new HashMap<>();
    final Map<RequestId, KvResult> results = new HashMap<>();

    KvResult apply(long seq, KvCommand command) {
      KvResult earlier = results.get(command.requestId());
      if (earlier != null) {
        return earlier;
      }
      KvResult result = execute(seq, command);
      results.put(command.requestId(), result);
      return result;
    }

    private KvResult execute(long seq, KvCommand command) {
      if (!SETTINGS.tables().contains(command.table())) {
        return new KvResult.Rejected(new Rejection.UnknownTable(command.table()));
      }
      Map<String, Versioned> rows = tables.computeIfAbsent(command.table(), t -> new HashMap<>());
      Versioned current = rows.get(command.key());
      if (command instanceof KvCommand.Delete) {
        rows.remove(command.key());
        return new KvResult.Deleted(seq);
      }
      byte[] value = command instanceof KvCommand.Put p ? p.value() : ((KvCommand.CompareAndSet) command).value();
      if (value.length > MAX_VALUE) {
        return new KvResult.Rejected(new Rejection.TooLarge(value.length, MAX_VALUE));
      }
      if (command instanceof KvCommand.CompareAndSet c && (current == null || current.version != c.expectedVersion())) {
        return new KvResult.Conflict(c.expectedVersion(), current == null ? OptionalLong.empty() : OptionalLong.of(current.version));
      }
      rows.put(command.key(), new Versioned(value, seq));
      return new KvResult.Written(seq, seq);
    }

    KvRead read(String table, String key, long appliedSeq) {
      if (!SETTINGS.tables().contains(table)) {
        return new KvRead.Rejected(new Rejection.UnknownTable(table));
      }
      Versioned v = tables.getOrDefault(table, Map.of()).get(key);
      return v == null ? new KvRead.Absent(appliedSeq) : new KvRead.Found(v.value, v.version, appliedSeq);
    }
  }

  private record Versioned(byte[] value, long version) {}

  @Test
  void theMachineBehavesLikeTheModel() {
    for (long seed = 1; seed <= 50; seed++) {
      try {
        run(new Random(seed));
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  private static void run(Random random) {
    var model = new Model();
    StateStore store = Kv.store();
    var machine = new KvStateMachine(SETTINGS, store);
    StateStore fromBytesStore = Kv.store();
    var fromBytes = new KvStateMachine(SETTINGS, fromBytesStore);
    // At most 4 clients, each retrying only within its remembered window: the model never forgets.
    Map<Long, List<KvCommand>> sent = new HashMap<>();
    long seq = 0;
    int retries = 0;
    int conflicts = 0;
    for (int step = 0; step < 400; step++) {
      seq += 1 + random.nextInt(2);
      long client = random.nextInt(4);
      List<KvCommand> history = sent.computeIfAbsent(client, c -> new ArrayList<>());
      KvCommand command;
      if (!history.isEmpty() && random.nextInt(5) == 0) {
        command = history.get(Math.max(0, history.size() - 1 - random.nextInt(WINDOW)));
        retries++;
      } else {
        command = newCommand(random, new RequestId(client, history.size()), model);
        history.add(command);
      }

      KvResult expected = model.apply(seq, command);
      assertEquals(expected, machine.apply(seq, command), "seq " + seq + ": " + command);
      fromBytes.apply(seq, KvCommandCodec.decode(KvCommandCodec.encode(command)));
      conflicts += expected instanceof KvResult.Conflict ? 1 : 0;

      for (String table : TABLES) {
        for (String key : KEYS) {
          assertEquals(model.read(table, key, seq), machine.read(table, key), table + "/" + key + " after seq " + seq);
        }
      }
      if (random.nextInt(10) == 0) {
        machine.flush();
      }
      if (random.nextInt(50) == 0) {
        machine.flush();
        machine = new KvStateMachine(SETTINGS, store); // as a restarted node opens it
      }
    }
    machine.flush();
    fromBytes.flush();
    assertEquals(Kv.pairs(store), Kv.pairs(fromBytesStore), "a copy fed the payload bytes differs");
    assertTrue(retries > 0 && conflicts > 0, "retries " + retries + ", conflicts " + conflicts);
  }

  private static KvCommand newCommand(Random random, RequestId id, Model model) {
    String table = TABLES.get(random.nextInt(10) == 0 ? 2 : random.nextInt(2));
    String key = KEYS.get(random.nextInt(KEYS.size()));
    byte[] value = new byte[random.nextInt(MAX_VALUE + 2)];
    random.nextBytes(value);
    int kind = random.nextInt(3);
    if (kind == 0) {
      return new KvCommand.Put(id, table, key, value);
    }
    if (kind == 1) {
      // Mostly the current version (a CAS that should win), sometimes a stale or made-up one.
      Versioned current = model.tables.getOrDefault(table, Map.of()).get(key);
      long expected = current != null && random.nextInt(3) > 0 ? current.version : random.nextInt(20);
      return new KvCommand.CompareAndSet(id, table, key, expected, value);
    }
    return new KvCommand.Delete(id, table, key);
  }
}
