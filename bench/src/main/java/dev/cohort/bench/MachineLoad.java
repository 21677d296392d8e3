package dev.cohort.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * How busy the machine was during a phase, from Linux's /proc: the cores used by this benchmark's
 * JVMs (this one and the member JVMs it started) and by every other process. The machine is shared,
 * so a figure measured while others used the cores says so. Reads nothing on other systems.
 */
final class MachineLoad {
  /** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100.0;

  private final long busyTicks;
  private final long ownTicks;
  private final long nanos;

  private MachineLoad(long busyTicks, long ownTicks, long nanos) {
    this.busyTicks = busyTicks;
    this.ownTicks = ownTicks;
    this.nanos = nanos;
  }

  /** The CPU times now. */
  static MachineLoad sample() {
    return new MachineLoad(machineBusyTicks(), ownTicks(), System.nanoTime());
  }

  /** Cores used by this benchmark's processes between {@code start} and this sample. */
  double ownCores(MachineLoad start) {
    return (ownTicks - start.ownTicks) / TICKS_PER_SECOND / seconds(start);
  }

  /** Cores used by every other process between {@code start} and this sample. */
  double otherCores(MachineLoad start) {
    long others = (busyTicks - start.busyTicks) - (ownTicks - start.ownTicks);
    return Math.max(0, others) / TICKS_PER_SECOND / seconds(start);
  }

  private double seconds(MachineLoad start) {
    return Math.max(1e-9, (nanos - start.nanos) / 1e9);
  }

  /** user + nice + system + irq + softirq + steal of all CPUs, from /proc/stat. */
  private static long machineBusyTicks() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
      String[] cpu = lines.filter(l -> l.startsWith("cpu ")).findFirst().orElse("cpu").trim().split("\\s+");
      long busy = 0;
      for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += field < cpu.length ? Long.parseLong(cpu[field]) : 0;
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** utime + stime of this JVM and every process it started, from /proc/PID/stat. */
  private static long ownTicks() {
    ProcessHandle self = ProcessHandle.current();
    return Stream.concat(Stream.of(self), self.descendants()).mapToLong(p -> processTicks(p.pid())).sum();
  }

  private static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
    } catch (IOException | RuntimeException e) {
      return 0; // exited meanwhile, or not Linux
    }
  }
}
