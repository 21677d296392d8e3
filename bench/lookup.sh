#!/usr/bin/env bash
# Cohort's key lookup latency as the data grows: one node in the benchmark's JVM (one partition group
# without replicas, one key-value table, partitions on disk in RocksDB with fsync never) is loaded
# through the put API in steps up to each size (200-byte values, random and different for every key),
# and after each step lookups of random loaded keys are measured, one at a time (window 1) and with a
# few in flight; each lookup is checked against the value its key was given. Per step it prints the
# load rate, the lookup percentiles and rate, and the bytes on disk; at the end, the curve:
#   lookup <size> keys p50=.. p99=.. p999=.. us
# one line per size and window, the growth from the first size to the last, and whether the target
# (p99 under 1 ms at window 1 at every size) held. Machine-readable lines: RESULT lookup <measure> <value>.
# Exits non-zero if a lookup did not find its key's value (or failed), or the run stopped early; a
# missed target is reported, not an exit code.
#
# It builds nothing: build the jar first with
#   mvn -B -o -q package -DskipTests -pl bench -am
#
# Environment:
#   BENCH_JVM_OPTS  heap and GC options of the JVM (default: -Xms2g -Xmx2g -XX:+UseG1GC); the node keeps
#                   its partitions' state in RocksDB, off the heap, so the heap need not grow with the sizes
#   BENCH_PROPS     -Dbench.* settings (defaults in brackets), e.g. the issue's sizes:
#                   BENCH_PROPS="-Dbench.lookup.sizes=1000000,10000000,100000000" bench/lookup.sh
#                   or a smoke run:
#                   BENCH_PROPS="-Dbench.lookup.sizes=20000,50000 -Dbench.warmup=2 -Dbench.duration=5" bench/lookup.sh
#                   bench.lookup.sizes        key counts to load up to, one step each, increasing [1000000,10000000]
#                   bench.warmup              seconds of lookups before each measured period [5]
#                   bench.duration            seconds measured per size and window [20]
#                   bench.lookup.windows      lookups in flight, one measured period each [1,16]
#                   bench.lookup.load.window  puts in flight while loading [1024]
#                   bench.lookup.consistency  linearizable or any-replica [linearizable]
#                   bench.lookup.partitions   partitions of the partition group [24]
#                   bench.value.bytes [200], bench.seed [42] (of the values' random bytes)
#                   bench.lookup.keep-data    true leaves the node's data on disk at the end [false]
#                   -Dcohort.* properties override the node's settings (e.g. -Dcohort.storage.fsync=interval)
#   BENCH_OUT       the run's directory: node configuration, data while it runs, outputs and the
#                   JVM's log (default: bench/target/lookup-<time>)
# Each step's lookups take 2 x (warm-up + duration) with the default windows, plus the load (its rate
# is printed every 10 s). The data takes a few hundred bytes per key on disk, while the run lasts.
set -uo pipefail

# shellcheck source=bench/program.sh
source "$(dirname "${BASH_SOURCE[0]}")/program.sh"
run_program lookup dev.cohort.bench.LookupBench "-Xms2g -Xmx2g -XX:+UseG1GC"
