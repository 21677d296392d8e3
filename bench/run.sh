#!/usr/bin/env bash
# Cohort side by side with Hazelcast 5.5 on this machine, in one run: three member JVMs on
# loopback for each system (the load driven from inside the first), replicated puts of 200-byte
# values at in-flight windows 1, 16, 128 and 1024, gets, and failover after a kill -9 of a member
# under load; then Cohort's puts once more with its partitions on disk (RocksDB, fsync every 10 ms;
# the cohort-durable side). Prints a table per measure and ends with one line per measure:
#   ratio <measure> cohort/hazelcast = X.XX
# and one per put window: ratio <measure> cohort-durable/cohort = X.XX
# Then the durable target's own figure: pairs of runs of the puts alone (every window, so that window
# 1024 comes after the same warm-up as on the durable side above), on disk and in memory back to back
# (which goes first alternates), because the machine's speed drifts by more than the difference
# measured over the minutes between the first side and the durable one; the median of the pairs'
# window 1024 ratios is judged against the 70% target:
#   ratio put_w1024_ops durable/memory, median of N back-to-back pairs = X.XX
# Exits non-zero if a side fails to run. Takes about 27 minutes with the default durations: each side
# first warms its JVMs up with 30 s of puts at the largest window, not recorded (bench.jvm-warmup).
#
# Environment:
#   BENCH_JVM_OPTS  heap and GC options of every JVM, both systems (default: -Xms1g -Xmx1g -XX:+UseG1GC)
#   BENCH_PROPS     more -Dbench.* settings for both drivers, e.g. a smoke run:
#                   BENCH_PROPS="-Dbench.jvm-warmup=2 -Dbench.warmup=1 -Dbench.duration=2" bench/run.sh
#                   (bench.jvm-warmup, bench.warmup, bench.duration [s], bench.windows, bench.get.windows,
#                    bench.failover.window, bench.failover.limit [s], bench.keys, bench.value.bytes,
#                    bench.hazelcast.partitions; Cohort's failure detection for the failover figure:
#                    bench.cohort.heartbeat-pause, bench.cohort.stable-after, or
#                    bench.cohort.detector=production for Cohort's defaults; see bench/RESULTS.md)
#   BENCH_OUT       where the outputs and member logs go (default: bench/target/run-<time>)
#   BENCH_PAIRS     how many back-to-back pairs measure the durable ratio (default 5; 0: none)
# The JVMs run with BENCH_JVM_OPTS only; bench/RESULTS.md also shows a run with
# -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 added (why: see there).
# bench/run.sh --summary DIR prints the summary of an earlier run's outputs again.
set -uo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
jvm_opts="${BENCH_JVM_OPTS:--Xms1g -Xmx1g -XX:+UseG1GC}"
pairs="${BENCH_PAIRS:-5}"
props="${BENCH_PROPS:-}"
out="${BENCH_OUT:-$home/bench/target/run-$(date +%Y%m%d-%H%M%S)}"
# Hazelcast 5.5 asks for these on Java 17 (module access, not heap or GC); its member JVMs get them too.
hz_module_opts="--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED"

# summarize DIR FAILED: the figures of DIR/cohort.out and DIR/hazelcast.out side by side, the
# targets, then one ratio line per measure.
summarize() {
  local dir="$1" failed="$2"
  cat "$dir/cohort.out" "$dir/hazelcast.out" "$dir/cohort-durable.out" 2>/dev/null | \
    awk -v failed="$failed" -v pairdata="$(pair_ratios "$dir")" '
    BEGIN {
      pairs = pairdata == "" ? 0 : split(pairdata, line, "\n")
      for (i = 1; i <= pairs; i++) {
        split(line[i], field, " ")
        pair_d[i] = field[2]; pair_m[i] = field[3]; pair_ratio[i] = field[4]; sorted[i] = field[4]
      }
      for (i = 2; i <= pairs; i++) for (j = i; j > 1 && sorted[j - 1] > sorted[j]; j--) {
        t = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = t
      }
      median = pairs % 2 ? sorted[(pairs + 1) / 2] : (sorted[pairs / 2] + sorted[pairs / 2 + 1]) / 2
    }
    $1 == "RESULT" { value[$2, $3] = $4; if (!($3 in seen)) { seen[$3] = 1; order[++n] = $3 } }
    function has(side, measure) { return ((side, measure) in value) }
    function ratio(measure) {
      if (!has("cohort", measure) || !has("hazelcast", measure) || value["hazelcast", measure] <= 0 \
          || value["cohort", measure] < 0) return "n/a"
      return sprintf("%.2f", value["cohort", measure] / value["hazelcast", measure])
    }
    function show(side, measure) { return has(side, measure) ? value[side, measure] : "-" }
    function rated(measure) { return measure ~ /_(ops|p50_us|p99_us|p999_us)$/ || measure == "failover_ms" }
    function section(title, pattern,   i, m) {
      printf "\n%s\n", title
      printf "  %-28s %14s %14s %18s\n", "measure", "cohort", "hazelcast", "cohort/hazelcast"
      for (i = 1; i <= n; i++) {
        m = order[i]
        if (m !~ pattern) continue
        printf "  %-28s %14s %14s %18s\n", m, show("cohort", m), show("hazelcast", m), rated(m) ? ratio(m) : ""
      }
    }
    function target(text, ok) { printf "  %-62s %s\n", text, ok ? "met" : "NOT met" }
    END {
      section("== puts (ops/s; latency in µs; errors = failed requests in the measured time)", "^put_")
      section("== gets", "^get_")
      section("== failover (kill -9 of a member under put load; ms until every partition accepted a write)", "^failover_")
      printf "\n== targets (Cohort)\n"
      c = "cohort"; h = "hazelcast"
      target("window 1024: >= 200,000 acknowledged replicated writes/s", has(c, "put_w1024_ops") && value[c, "put_w1024_ops"] >= 200000)
      target("window 1024: >= 2x Hazelcast", has(c, "put_w1024_ops") && has(h, "put_w1024_ops") && value[c, "put_w1024_ops"] >= 2 * value[h, "put_w1024_ops"])
      target("window 1: p50 < 200 us", has(c, "put_w1_p50_us") && value[c, "put_w1_p50_us"] < 200)
      target("window 1: p99 < 1 ms", has(c, "put_w1_p99_us") && value[c, "put_w1_p99_us"] < 1000)
      target("window 1024: p99.9 < 20 ms", has(c, "put_w1024_p999_us") && value[c, "put_w1024_p999_us"] < 20000)
      target("failover: every partition writable within 5 s of a kill -9", has(c, "failover_ms") && value[c, "failover_ms"] >= 0 && value[c, "failover_ms"] <= 5000)
      d = "cohort-durable"
      target("window 1024 on disk (fsync every 10 ms): >= 70% of in memory" (pairs ? ", median of " pairs " pairs" : ""), \
        pairs ? median >= 0.7 : has(c, "put_w1024_ops") && has(d, "put_w1024_ops") && value[d, "put_w1024_ops"] >= 0.7 * value[c, "put_w1024_ops"])
      printf "\n== puts with partitions on disk (RocksDB, fsync every 10 ms) against in memory\n"
      printf "  %-28s %14s %14s %18s\n", "measure", "cohort-durable", "cohort", "durable/in memory"
      for (i = 1; i <= n; i++) {
        m = order[i]
        if (m !~ /^put_/ || !has(d, m)) continue
        printf "  %-28s %14s %14s %18s\n", m, show(d, m), show(c, m), \
          (m ~ /_ops$/ && has(c, m) && value[c, m] > 0) ? sprintf("%.2f", value[d, m] / value[c, m]) : ""
      }
      if (pairs) {
        printf "\n== window 1024 on disk against in memory, back-to-back pairs (ops/s)\n"
        printf "  %-8s %14s %14s %18s\n", "pair", "on disk", "in memory", "durable/in memory"
        for (i = 1; i <= pairs; i++) printf "  %-8s %14s %14s %18.2f\n", i, pair_d[i], pair_m[i], pair_ratio[i]
      }
      if (failed) printf "\nbench: a side failed; its figures are missing (n/a)\n"
      printf "\n"
      for (i = 1; i <= n; i++) if (rated(order[i])) printf "ratio %s cohort/hazelcast = %s\n", order[i], ratio(order[i])
      for (i = 1; i <= n; i++) if (order[i] ~ /^put_.*_ops$/ && has(d, order[i]) && has(c, order[i]) && value[c, order[i]] > 0) \
        printf "ratio %s cohort-durable/cohort = %.2f\n", order[i], value[d, order[i]] / value[c, order[i]]
      if (pairs) printf "ratio put_w1024_ops durable/memory, median of %d back-to-back pairs = %.2f\n", pairs, median
    }
  '
}

# pair_ratios DIR: one line per complete back-to-back pair in DIR/pairs, "N DURABLE MEMORY RATIO".
pair_ratios() {
  local i durable memory
  for ((i = 1; ; i++)); do
    [[ -f "$1/pairs/$i-durable.out" && -f "$1/pairs/$i-memory.out" ]] || return 0
    durable=$(awk '$1 == "RESULT" && $3 == "put_w1024_ops" { print $4 }' "$1/pairs/$i-durable.out")
    memory=$(awk '$1 == "RESULT" && $3 == "put_w1024_ops" { print $4 }' "$1/pairs/$i-memory.out")
    [[ -n "$durable" && -n "$memory" && "$memory" -gt 0 ]] || continue
    echo "$i $durable $memory $(awk -v d="$durable" -v m="$memory" 'BEGIN { printf "%.4f", d / m }')"
  done
}

if [[ "${1:-}" == "--summary" ]]; then
  # bench/run.sh --summary DIR: prints the summary of an earlier run's outputs again.
  summarize "${2:?usage: bench/run.sh --summary DIR}" 0
  exit 0
fi

command -v java >/dev/null || { echo "bench: java (17 or later) is not on the PATH" >&2; exit 1; }
command -v mvn >/dev/null || { echo "bench: Maven (mvn) is needed to build the bench module" >&2; exit 1; }

echo "bench: building the bench module and what it needs (Maven reactor, offline if possible) ..." >&2
if ! mvn -B -o -q -Dstyle.color=never -pl bench -am package -DskipTests >&2; then
  echo "bench: offline build failed; trying again online (first run downloads Hazelcast)" >&2
  mvn -B -q -Dstyle.color=never -pl bench -am package -DskipTests >&2 || { echo "bench: build failed" >&2; exit 1; }
fi
jar="$home/bench/target/cohort-bench.jar"
mkdir -p "$out/pairs"

echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2 " GiB memory"}'), $(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -sr)"
echo "java: $(java -version 2>&1 | head -1)"
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "JVM options of every JVM: $jvm_opts"
echo "outputs and logs: $out"
echo

# run_side NAME MAIN [extra JVM options] [bench.dir]: the driver's standard output goes to the
# terminal and NAME.out; its log (and that of the member in its JVM) to NAME-driver.log.
run_side() {
  local name="$1" main="$2" extra="$3" dir="${4:-$out}"
  # shellcheck disable=SC2086 # the option strings are meant to split into words
  java $jvm_opts $extra -Dbench.jvm.options="$jvm_opts" -Dbench.dir="$dir" $props -cp "$jar" "$main" \
    2> "$out/$name-driver.log" | tee "$out/$name.out"
  return "${PIPESTATUS[0]}"
}

failed=0
run_side cohort dev.cohort.bench.CohortBench "" || { echo "bench: the Cohort side failed (see $out/cohort.out and $out/cohort-driver.log)"; failed=1; }
echo
echo "load average between the sides: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
run_side hazelcast dev.cohort.bench.HazelcastBench "$hz_module_opts" || { echo "bench: the Hazelcast side failed (see $out/hazelcast.out and $out/hazelcast-driver.log)"; failed=1; }
echo
echo "load average between the sides: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
# Puts only; the node in the driver's JVM keeps its table with Distributed Data's LMDB store, which
# needs these module options (bin/cohort's jar declares them).
durable_props="-Dbench.cohort.storage=rocksdb -Dbench.get.windows= -Dbench.failover.window=0
  --add-opens java.base/java.nio=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED"
run_side cohort-durable dev.cohort.bench.CohortBench "$durable_props" || { echo "bench: the durable Cohort side failed (see $out/cohort-durable.out and $out/cohort-durable-driver.log)"; failed=1; }
# Back-to-back pairs of put runs for the durable ratio; each run in a directory of its own.
pair_props="-Dbench.get.windows= -Dbench.failover.window=0"
for ((i = 1; i <= pairs; i++)); do
  if ((i % 2)); then sides="durable memory"; else sides="memory durable"; fi
  for side in $sides; do
    echo
    extra="$pair_props"
    [[ "$side" == durable ]] && extra="$durable_props $pair_props"
    run_side "pairs/$i-$side" dev.cohort.bench.CohortBench "$extra" "$out/pairs/$i-$side" \
      || { echo "bench: pair $i, $side side failed (see $out/pairs/$i-$side-driver.log)"; failed=1; }
  done
done
echo
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"

summarize "$out" "$failed"
exit "$failed"
