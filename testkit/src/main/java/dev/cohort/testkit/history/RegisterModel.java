package dev.cohort.testkit.history;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sequential specification of one key of a versioned register, for the linearizability search.
 *
 * <p>A write or an applied CAS gives the key a version greater than any it ever had, even before a
 * delete (as a log position would); so versions are never reused. A CAS applies only if the key
 * exists at its expected version; a delete makes the key absent; a read returns the value and
 * version. An operation with an unknown outcome is checked only for whether it could apply; after an
 * unknown write the version is known only to be above the previous one, until a read tells it.
 *
 * <p>Since a version is never given twice, the history itself says more about the version of an
 * unknown write: it is none of those acknowledged writes returned, and a version that some
 * operation saw holding a value cannot hold another. With floors that never fall, this is what
 * {@link #mayEnable} relies on: an unknown write or CAS can only matter to a read of its value, or
 * to a CAS of a version no acknowledged write returned and nobody saw holding another value; an
 * unknown delete only to a read that found nothing.
 */
final class RegisterModel implements WglSearch.Model<RegisterState> {
  /** Versions returned by acknowledged writes and CASes: no unknown write can have given them. */
  private final Set<Long> acknowledged;
  /** The value each version was seen or written with, by operations of known result. */
  private final Map<Long, String> seen;

  private RegisterModel(Set<Long> acknowledged, Map<Long, String> seen) {
    this.acknowledged = acknowledged;
    this.seen = seen;
  }

  /** The model for a search of {@code calls}. */
  static RegisterModel of(List<WglSearch.Call> calls) {
    var acknowledged = new HashSet<Long>();
    var seen = new HashMap<Long, String>();
    for (WglSearch.Call call : calls) {
      if (call.result() instanceof Result.Written written) {
        acknowledged.add(written.version());
        seen.putIfAbsent(written.version(), writtenValue(call.op()));
      } else if (call.result() instanceof Result.Value value) {
        seen.putIfAbsent(value.version(), value.value());
      }
    }
    return new RegisterModel(acknowledged, seen);
  }

  @Override
  public RegisterState initial() {
    return RegisterState.INITIAL;
  }

  @Override
  public RegisterState step(RegisterState state, Operation operation, Result result) {
    Op op = operation.op();
    if (op instanceof Op.Read) {
      return read(state, result);
    }
    if (op instanceof Op.Write write) {
      if (result instanceof Result.Written written) {
        return written.version() > state.floor() ? RegisterState.at(write.value(), written.version()) : null;
      }
      return RegisterState.above(write.value(), state.floor());
    }
    if (op instanceof Op.Cas cas) {
      if (!mayBeAt(state, cas.expectedVersion())) {
        return null;
      }
      if (result instanceof Result.Written written) {
        return written.version() > cas.expectedVersion() ? RegisterState.at(cas.value(), written.version()) : null;
      }
      return RegisterState.above(cas.value(), cas.expectedVersion());
    }
    if (op instanceof Op.Delete) {
      return RegisterState.absent(state.floor());
    }
    throw new IllegalArgumentException("not a register operation: " + operation);
  }

  @Override
  public boolean mayEnable(Operation unknown, WglSearch.Call next) {
    Op op = next.op().op();
    if (op instanceof Op.Read) {
      if (next.result() instanceof Result.Value value) {
        return value.value().equals(writtenValue(unknown)) && mayHaveGiven(value.value(), value.version());
      }
      return next.result() instanceof Result.Absent && unknown.op() instanceof Op.Delete;
    }
    if (op instanceof Op.Cas cas) {
      String value = writtenValue(unknown);
      return value != null && mayHaveGiven(value, cas.expectedVersion());
    }
    return false; // a write or delete overwrites whatever was there, and floors only rise
  }

  private RegisterState read(RegisterState state, Result result) {
    if (result == null) {
      return state;
    }
    if (result instanceof Result.Value value) {
      boolean matches = mayBeAt(state, value.version()) && state.value().equals(value.value());
      return matches ? RegisterState.at(value.value(), value.version()) : null;
    }
    return state.present() ? null : state;
  }

  /** Whether the key may exist at version {@code v} in {@code state}. */
  private boolean mayBeAt(RegisterState state, long v) {
    if (!state.present()) {
      return false;
    }
    return state.versionKnown() ? state.version() == v : v > state.floor() && mayHaveGiven(state.value(), v);
  }

  /** Whether a write of unknown outcome writing {@code value} may have given version {@code v}. */
  private boolean mayHaveGiven(String value, long v) {
    return !acknowledged.contains(v) && value.equals(seen.getOrDefault(v, value));
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
