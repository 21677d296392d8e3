# Sourced by bench/lookup.sh and bench/restart.sh: runs one benchmark program of the bench jar with
# the environment they document (BENCH_JVM_OPTS, BENCH_PROPS, BENCH_OUT), after printing the machine
# it runs on; its standard output goes to the terminal and <name>.out, its log to <name>.log.
#
# run_program NAME CLASS DEFAULT_JVM_OPTS: exits with the program's exit code.
run_program() {
  local name="$1" class="$2" default_jvm_opts="$3"
  local home jvm_opts props out jar status
  home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  cd "$home" || exit 1
  jvm_opts="${BENCH_JVM_OPTS:-$default_jvm_opts}"
  props="${BENCH_PROPS:-}"
  out="${BENCH_OUT:-$home/bench/target/$name-$(date +%Y%m%d-%H%M%S)}"
  # A node on disk keeps the partition table with Distributed Data's LMDB store (lmdbjava), which needs
  # these (NodeStorage.JVM_OPTIONS; bin/cohort's jar declares them, NodeProcess passes them to node JVMs).
  local storage_opts="--add-opens java.base/java.nio=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED"

  command -v java >/dev/null || { echo "$name: java (17 or later) is not on the PATH" >&2; exit 1; }
  jar="$home/bench/target/cohort-bench.jar"
  [[ -f "$jar" ]] || { echo "$name: $jar is missing; build it with: mvn -B -o -q package -DskipTests -pl bench -am" >&2; exit 1; }
  mkdir -p "$out"

  echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2 " GiB memory"}'), $(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -sr)"
  echo "disk free where the data goes: $(df -h --output=avail "$out" | tail -1 | tr -d ' ')"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "JVM options of every JVM: $jvm_opts"
  echo "outputs and logs: $out"
  echo

  # bench.jvm.options: the options of the node JVMs a program starts, the same as its own.
  # shellcheck disable=SC2086 # the option strings are meant to split into words
  java $jvm_opts $storage_opts -Dbench.jvm.options="$jvm_opts" -Dbench.dir="$out" $props -cp "$jar" "$class" \
    2> "$out/$name.log" | tee "$out/$name.out"
  status="${PIPESTATUS[0]}"
  echo
  echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  [[ "$status" == 0 ]] || echo "$name: the run failed (exit $status); see $out/$name.out and the logs in $out"
  exit "$status"
}
