package dev.cohort.persistence;

import java.time.Duration;
import java.util.Locale;

/**
 * When a storage on disk forces its writes from the operating system's page cache to the device
 * ({@code fsync}), which decides what a write that has returned survives. It is what "durable" means
 * for {@link PartitionLog}: a mutation returns once it is durable in this sense.
 *
 * <p>What each policy survives, for a write that has returned to its caller:
 *
 * <table>
 *   <caption>What a returned write survives</caption>
 *   <tr><th>policy</th><th>process crash</th><th>machine crash</th><th>every copy's machine crashes at once</th></tr>
 *   <tr><td>{@link Kind#ALWAYS}</td><td>yes</td><td>yes</td><td>yes, once the machines come back with their disks</td></tr>
 *   <tr><td>{@link Kind#INTERVAL}</td><td>yes</td><td>all but the writes of about the last period</td>
 *       <td>all but the writes of about the last period: acknowledged writes can be lost</td></tr>
 *   <tr><td>{@link Kind#NEVER}</td><td>yes</td><td>no bound: recent writes the operating system has not
 *       written back yet are lost</td><td>no bound: acknowledged writes can be lost</td></tr>
 * </table>
 *
 * <ul>
 *   <li><b>Process crash</b> (the JVM killed, {@code kill -9}, an abort): every policy survives it. The
 *       storage hands each write to the operating system (RocksDB's write-ahead log is written with
 *       {@code write()} before the call returns), and the operating system's page cache outlives the
 *       process.
 *   <li><b>Machine crash</b> (power loss, kernel panic, a VM stopped hard): only what reached the device
 *       survives. {@code ALWAYS} syncs every write before it returns. {@code INTERVAL} syncs in the
 *       background once per period, so it loses at most the writes of the last period plus the time one
 *       sync takes. {@code NEVER} leaves it to the operating system's write-back (and to the storage's
 *       own flushes of its memory into files, which are synced), so how much is lost has no bound.
 *       Every policy syncs on a clean {@link LogStorage#close()}. After any crash the storage recovers
 *       to a consistent point in time (RocksDB's point-in-time recovery of its write-ahead log): a
 *       batch is there whole or not at all, and a write is not there without the writes before it.
 *   <li><b>All copies lost at once</b>: replication protects an acknowledged write only while one copy
 *       that has it survives. If every in-sync replica's machine crashes at once (a shared power
 *       failure), {@code ALWAYS} still has every acknowledged write on each disk; with {@code INTERVAL}
 *       or {@code NEVER} acknowledged writes can be lost from every copy. If the disks themselves are
 *       lost, no policy helps: that needs backups, not fsync.
 * </ul>
 *
 * <p>All of this assumes a device that honours a flush request; a disk whose volatile write cache
 * ignores flushes voids the machine-crash guarantees of every policy. The guarantees are the
 * log storage's; the state storage is synced before the log below it is dropped, whatever the policy
 * (see {@link StateStorage#sync()}).
 *
 * @param kind which policy
 * @param period for {@link Kind#INTERVAL}, the time between two syncs, above zero; {@link
 *     Duration#ZERO} for the other kinds
 */
public record FsyncPolicy(Kind kind, Duration period) {

  /** The three policies; see {@link FsyncPolicy} for what each survives. */
  public enum Kind {
    /** Every write is synced before it returns. */
    ALWAYS,
    /** Writes are not synced; a background thread syncs once per period. */
    INTERVAL,
    /** Writes are never synced by the storage; the operating system writes them back when it likes. */
    NEVER
  }

  /** Every write is synced before it returns: survives a machine crash, and costs a device flush per write. */
  public static final FsyncPolicy ALWAYS = new FsyncPolicy(Kind.ALWAYS, Duration.ZERO);

  /** Writes are never synced by the storage: survives a process crash only. */
  public static final FsyncPolicy NEVER = new FsyncPolicy(Kind.NEVER, Duration.ZERO);

  /**
   * @throws IllegalArgumentException on a missing kind or period, an {@code INTERVAL} without a
   *     positive period, or another kind with a period other than zero
   */
  public FsyncPolicy {
    if (kind == null || period == null) {
      throw new IllegalArgumentException("an fsync policy needs a kind and a period, got " + kind + " and " + period);
    }
    if (kind == Kind.INTERVAL && (period.isZero() || period.isNegative())) {
      throw new IllegalArgumentException("the interval fsync policy needs a period above zero, got " + period);
    }
    if (kind != Kind.INTERVAL && !period.isZero()) {
      throw new IllegalArgumentException("only the interval fsync policy has a period; " + kind + " got " + period);
    }
  }

  /**
   * Writes are not synced; a background thread syncs every {@code period}. Survives a process crash,
   * and a machine crash except for about the last period of writes.
   *
   * @throws IllegalArgumentException if {@code period} is not above zero
   */
  public static FsyncPolicy interval(Duration period) {
    return new FsyncPolicy(Kind.INTERVAL, period);
  }

  /** Whether every write is synced before it returns. */
  public boolean syncsEveryWrite() {
    return kind == Kind.ALWAYS;
  }

  /** {@code always}, {@code never} or {@code interval(PT0.1S)}. */
  @Override
  public String toString() {
    return kind == Kind.INTERVAL ? "interval, every " + period.toMillis() + " ms" : kind.name().toLowerCase(Locale.ROOT);
  }
}
