package dev.cohort.testkit.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks that no acknowledged write was lost: for each key, the history's last successful read
 * (normally one made after the workload stopped) returns what some write that could have been the
 * last one wrote.
 *
 * <p>A write, CAS or delete could be the last before the final read if it was applied or its outcome
 * is unknown, it was invoked before the read completed, and no acknowledged write both started after
 * it completed and completed before the read started. If an acknowledged write completed before the
 * final read started and the read matches none of these candidates, the acknowledged ones among
 * them were lost. A read matches a write of the same value (and, for an acknowledged write, the
 * same version), or a delete if it found nothing.
 *
 * <p>Cheaper and blunter than {@link LinearizabilityChecker}, and its report goes straight to the
 * point. A key with acknowledged writes but no read after them makes the verdict {@link
 * CheckResult.Verdict#UNKNOWN unknown}: end the workload with a read of every key.
 */
public final class LostWritesChecker implements Checker {
  private static final String NAME = "lost writes";

  private LostWritesChecker() {}

  /** The checker. */
  public static LostWritesChecker create() {
    return new LostWritesChecker();
  }

  @Override
  public CheckResult check(List<Operation> history) {
    Map<String, List<Operation>> byKey = new TreeMap<>();
    for (Operation op : history) {
      if (op.op() instanceof Op.RegisterOp registerOp) {
        byKey.computeIfAbsent(registerOp.key(), k -> new ArrayList<>()).add(op);
      }
    }
    long origin = OperationTable.origin(history);
    var lost = new StringBuilder();
    var unchecked = new ArrayList<String>();
    int checked = 0;
    int lostKeys = 0;
    for (var entry : byKey.entrySet()) {
      String key = entry.getKey();
      List<Operation> ops = entry.getValue();
      List<Operation> acked = ops.stream().filter(op -> op.isOk() && writes(op)).toList();
      if (acked.isEmpty()) {
        continue;
      }
      Operation finalRead = finalRead(ops);
      if (finalRead == null) {
        unchecked.add("key " + Text.quote(key) + ": " + acked.size() + " acknowledged writes but no successful read");
        continue;
      }
      checked++;
      long late = acked.stream().filter(op -> op.invokedAt() > finalRead.completedAt()).count();
      if (late > 0) {
        unchecked.add("key " + Text.quote(key) + ": " + late + " acknowledged writes invoked after its last read "
            + "#" + finalRead.index());
      }
      String finding = lostWrites(key, ops, finalRead, origin);
      if (finding != null) {
        lostKeys++;
        lost.append('\n').append(finding);
      }
    }
    String summary = "keys with acknowledged writes checked against their final read: " + checked;
    String notes = unchecked.stream().map(s -> "\nunchecked: " + s).collect(Collectors.joining());
    if (lostKeys > 0) {
      return CheckResult.invalid(NAME, summary + "; keys that lost acknowledged writes: " + lostKeys + lost + notes);
    }
    if (!unchecked.isEmpty()) {
      return CheckResult.unknown(NAME, summary + notes);
    }
    return CheckResult.valid(NAME, summary + "; none lost");
  }

  /** The last successful read of the key, in invocation order, or null. */
  private static Operation finalRead(List<Operation> ops) {
    Operation last = null;
    for (Operation op : ops) {
      if (op.isOk() && op.op() instanceof Op.Read) {
        last = op;
      }
    }
    return last;
  }

  /** A report of the writes {@code read} should have seen, or null if it saw a possible last write. */
  private static String lostWrites(String key, List<Operation> ops, Operation read, long origin) {
    // An op is superseded if an acknowledged write started after it completed and completed before
    // the read started: the latest start among writes acknowledged before the read says it all.
    long latestAckedStart = ops.stream()
        .filter(op -> op.isOk() && writes(op) && op.precedes(read))
        .mapToLong(Operation::invokedAt)
        .max()
        .orElse(Long.MIN_VALUE);
    List<Operation> candidates = ops.stream()
        .filter(op -> writes(op) && !op.isFail() && op.invokedAt() <= read.completedAt())
        .filter(op -> op.effectDeadline() >= latestAckedStart)
        .toList();
    if (candidates.stream().anyMatch(op -> matches(read.result(), op))) {
      return null;
    }
    List<Operation> lost = candidates.stream().filter(op -> op.isOk() && op.precedes(read)).toList();
    if (lost.isEmpty()) {
      return null; // nothing was acknowledged before the read began: it may see the initial state
    }
    var out = new StringBuilder("key ").append(Text.quote(key)).append(": the final read #").append(read.index())
        .append(" returned ").append(read.result().describe()).append(", but ");
    for (Operation op : lost) {
      out.append('#').append(op.index()).append(' ').append(op.op().describe()).append(" was acknowledged (")
          .append(op.outcome().describe()).append(") at ").append(Text.millis(op.completedAt(), origin))
          .append(" ms, ");
    }
    out.append("and nothing could have replaced it\n");
    var shown = new TreeSet<Operation>(Comparator.comparingInt(Operation::index));
    shown.addAll(lost);
    shown.add(read);
    // The older write the read did see, if any: the usual shape of a lost write.
    ops.stream().filter(op -> writes(op) && matches(read.result(), op)).reduce((a, b) -> b).ifPresent(shown::add);
    Set<Integer> marked = new HashSet<>();
    lost.forEach(op -> marked.add(op.index()));
    marked.add(read.index());
    out.append(OperationTable.render(List.copyOf(shown), origin, "  ", marked));
    return out.toString();
  }

  private static boolean writes(Operation op) {
    return op.op() instanceof Op.Write || op.op() instanceof Op.Cas || op.op() instanceof Op.Delete;
  }

  /** Whether a read returning {@code result} may have seen the effect of {@code write}. */
  private static boolean matches(Result result, Operation write) {
    if (result instanceof Result.Absent) {
      return write.op() instanceof Op.Delete;
    }
    var value = (Result.Value) result;
    String written = write.op() instanceof Op.Write w ? w.value()
        : write.op() instanceof Op.Cas c ? c.value() : null;
    return value.value().equals(written) && (!write.isOk() || write.result().equals(Result.written(value.version())));
  }
}
