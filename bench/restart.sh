#!/usr/bin/env bash
# Restart of one Cohort node holding many keys: three nodes on loopback (node-a in the benchmark's
# JVM, node-b and node-c as JVMs of their own; one partition group of 24 partitions with one replica
# each, so every key is on two of the three nodes), partitions on disk in RocksDB with fsync never for
# the whole run. It loads the keys through the put API (200-byte values, random and different for every
# key), waits until every copy is in sync, then, under a light load of puts, kills (kill -9) the node
# JVM holding the most partition copies and starts it again on its data directory after a pause. It
# measures the time from the restart until the node is up and a member, and until it is back in the
# in-sync set of every partition it holds, and what its copies received meanwhile (log entries and
# snapshot bytes: the copies it kept on disk should get only the tail they missed). Then it reads random
# loaded keys back, through the active and from the restarted node's own copies, each checked against
# its value. It ends with:
#   restart: <N> keys, node-x back in sync in X.X s (process up in Y.Y s); received E entries, S snapshot bytes; target < 30 s: met/NOT met
# Machine-readable lines: RESULT restart <measure> <value>. Exits non-zero if the node is not back in
# sync within bench.restart.limit, a key read back is missing or wrong, or the run stopped early; a
# missed target is reported, not an exit code.
#
# It builds nothing: build the jar first with
#   mvn -B -o -q package -DskipTests -pl bench -am
#
# Environment:
#   BENCH_JVM_OPTS  heap and GC options of every JVM, the node JVMs' too (default: -Xms1g -Xmx1g -XX:+UseG1GC)
#   BENCH_PROPS     -Dbench.* settings (defaults in brackets), e.g. the issue's size (the default):
#                   bench/restart.sh
#                   or a smoke run:
#                   BENCH_PROPS="-Dbench.restart.keys=20000" bench/restart.sh
#                   bench.restart.keys          keys loaded before the restart [10000000]
#                   bench.restart.load.window   puts in flight while loading [1024]
#                   bench.restart.write.window  puts in flight from just before the kill until the node is
#                                               back in sync, rewriting loaded keys; 0: none [16]
#                   bench.restart.pause         seconds from the kill to the restart [5]
#                   bench.restart.limit         seconds the node may take to be back in sync (also the
#                                               wait for every copy in sync after the load) [300]
#                   bench.restart.node          the node JVM to kill, node-b or node-c [the one holding the
#                                               most partition copies]
#                   bench.restart.verify.keys   random loaded keys read back at the end [10000]
#                   bench.restart.keep-data     true leaves the nodes' data on disk at the end [false]
#                   bench.value.bytes [200], bench.seed [42] (of the values' random bytes)
#                   failure detection: bench.cohort.heartbeat-pause, bench.cohort.stable-after, or
#                   bench.cohort.detector=production for Cohort's defaults (as for bench/run.sh)
#   BENCH_OUT       the run's directory: node configurations and logs, data while it runs, outputs
#                   (default: bench/target/restart-<time>)
# With 10M keys the load takes a few minutes and the data a few GB on disk while the run lasts.
set -uo pipefail

# shellcheck source=bench/program.sh
source "$(dirname "${BASH_SOURCE[0]}")/program.sh"
run_program restart dev.cohort.bench.RestartBench "-Xms1g -Xmx1g -XX:+UseG1GC"
