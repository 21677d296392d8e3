package dev.cohort.testkit.history;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Picks, from a non-linearizable prefix of one key's history, the few operations a person needs to
 * see: those overlapping the culprit's concurrency window, the last acknowledged write before it,
 * and the write that produced what the culprit read or expected.
 *
 * <p>Operations are placed by the interval their client saw, cut at the end of the prefix. So an
 * operation of unknown outcome shows if its client was waiting for it during the window, not merely
 * because it might take effect at any time; if it matters, it is usually the one that wrote what the
 * culprit read, shown anyway. Reads of unknown outcome never matter and are left out.
 */
final class ViolationWindow {
  private ViolationWindow() {}

  /**
   * The window around {@code culprit} in {@code prefix} (operations invoked by {@code cut}), in
   * invocation order. Operations still in flight at {@code cut} count as open-ended.
   */
  static List<Operation> around(Operation culprit, List<Operation> prefix, long cut) {
    List<Operation> shown = prefix.stream().filter(op -> !(op.isUnknown() && op.op() instanceof Op.Read)).toList();
    long start = shown.stream()
        .filter(op -> op.invokedAt() <= culprit.completedAt() && end(op, cut) >= culprit.invokedAt())
        .mapToLong(Operation::invokedAt)
        .min()
        .orElse(culprit.invokedAt());
    var window = new TreeSet<Operation>(Comparator.comparingInt(Operation::index));
    shown.stream().filter(op -> end(op, cut) >= start).forEach(window::add);
    shown.stream()
        .filter(op -> op.isOk() && writes(op) && end(op, cut) < start)
        .max(Comparator.comparingLong(Operation::completedAt))
        .ifPresent(window::add);
    source(culprit, prefix).ifPresent(window::add);
    return List.copyOf(window);
  }

  /**
   * When {@code op}'s client stopped waiting, as far as the prefix ending at {@code cut} knows; an
   * operation never completed is shown only where it was invoked.
   */
  private static long end(Operation op, long cut) {
    if (op.completedAt() == Operation.NEVER) {
      return Math.min(op.invokedAt(), cut);
    }
    return Math.min(op.completedAt(), cut);
  }

  private static boolean writes(Operation op) {
    return op.op() instanceof Op.Write || op.op() instanceof Op.Cas || op.op() instanceof Op.Delete;
  }

  /** The latest write that produced the value a read returned or the version a CAS expected. */
  private static Optional<Operation> source(Operation culprit, List<Operation> prefix) {
    Predicate<Operation> produced;
    if (culprit.op() instanceof Op.Read && culprit.isOk() && culprit.result() instanceof Result.Value value) {
      produced = op -> value.value().equals(writtenValue(op))
          && (!op.isOk() || op.result().equals(Result.written(value.version())));
    } else if (culprit.op() instanceof Op.Cas cas) {
      produced = op -> writtenValue(op) != null && op.isOk()
          && op.result().equals(Result.written(cas.expectedVersion()));
    } else {
      return Optional.empty();
    }
    return prefix.stream()
        .filter(op -> op != culprit && op.invokedAt() <= culprit.completedAt())
        .filter(produced)
        .max(Comparator.comparingInt(Operation::index));
  }

  private static String writtenValue(Operation op) {
    if (op.op() instanceof Op.Write write) {
      return write.value();
    }
    if (op.op() instanceof Op.Cas cas) {
      return cas.value();
    }
    return null;
  }
}
