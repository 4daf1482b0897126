# Shared helpers for the bench scripts (sourced, not run).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(dirname "$BENCH_DIR")"
RUNNER_JAR="$ROOT_DIR/target/runner.jar"
BENCH_JAR="$BENCH_DIR/target/benchmarks.jar"
# Offline Maven when the caller asks for it (MVN_FLAGS=-o); CI fetches from Maven Central.
MVN_FLAGS="${MVN_FLAGS:-}"

SMOKE=0
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=1 ;;
  esac
done
# Markdown fragments go to bench/out (full runs) or, for --smoke, to a temporary directory so a
# smoke run never overwrites full results; BENCH_OUT overrides both.
if [ -z "${BENCH_OUT:-}" ] && [ "$SMOKE" = 1 ]; then BENCH_OUT="$(mktemp -d)"; fi
BENCH_OUT="${BENCH_OUT:-$BENCH_DIR/out}"
mkdir -p "$BENCH_OUT"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# Installs hyperfine when missing (Debian package; needs root or sudo).
need_hyperfine() {
  command -v hyperfine >/dev/null 2>&1 && return 0
  log "installing hyperfine"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y hyperfine >/dev/null 2>&1 || { $sudo apt-get update >/dev/null && $sudo apt-get install -y hyperfine >/dev/null; }
  command -v hyperfine >/dev/null 2>&1 || { echo "hyperfine could not be installed" >&2; exit 1; }
}

# Installs GNU parallel when missing (Debian package), silencing its citation notice.
need_parallel() {
  if ! command -v parallel >/dev/null 2>&1; then
    log "installing GNU parallel"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y parallel >/dev/null 2>&1 || { $sudo apt-get update >/dev/null && $sudo apt-get install -y parallel >/dev/null; }
  fi
  mkdir -p "$HOME/.parallel" && touch "$HOME/.parallel/will-cite"
}

# True when the jar is missing or older than any file under the given source directories.
stale() {
  local jar="$1"; shift
  [ -f "$jar" ] || return 0
  [ -n "$(find "$@" -newer "$jar" -type f -print -quit 2>/dev/null)" ]
}

need_runner_jar() {
  if stale "$RUNNER_JAR" "$ROOT_DIR/src/main" "$ROOT_DIR/pom.xml" "$ROOT_DIR/schemas"; then
    log "building target/runner.jar"
    (cd "$ROOT_DIR" && mvn -q $MVN_FLAGS -DskipTests package)
  fi
}

need_bench_jar() {
  if stale "$BENCH_JAR" "$ROOT_DIR/src/main" "$BENCH_DIR/src" "$BENCH_DIR/pom.xml"; then
    log "building bench/target/benchmarks.jar"
    (cd "$BENCH_DIR" && mvn -q $MVN_FLAGS -DskipTests package)
  fi
}

# Java for the bench tools (protobuf 3.25 needs this flag for the mesos 1.11 generated code).
bench_java() {
  java -Dcom.google.protobuf.use_unsafe_pre22_gencode=true -cp "$BENCH_JAR" "$@"
}

# The machine, for result fragments.
machine_line() {
  local mem
  mem="$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $mem memory, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%dT%H:%MZ)"
}

# Runs the given hyperfine commands (name=command pairs) ROUNDS times, each round one run of
# every command in order, rotating the order each round; writes one JSON per round to DIR.
# usage: alternate ROUNDS DIR PREPARE name1 cmd1 name2 cmd2 ...
alternate() {
  local rounds="$1" dir="$2" prepare="$3"; shift 3
  local names=() cmds=()
  while [ $# -gt 0 ]; do names+=("$1"); cmds+=("$2"); shift 2; done
  local k=${#names[@]}
  mkdir -p "$dir"
  for ((r = 0; r < rounds; r++)); do
    local args=()
    for ((j = 0; j < k; j++)); do
      local i=$(((j + r) % k))
      args+=(-n "${names[$i]}" "${cmds[$i]}")
    done
    hyperfine --style none --runs 1 --prepare "$prepare" --export-json "$dir/round-$r.json" "${args[@]}" >/dev/null
  done
}

# Appends to CMDS what the JDK offers a user without code (the jar carries no JVM flags): the
# runner with C1 only, with the AppCDS archive ARCHIVE (made by the caller), and both.
# Usage: jdk_flag_variants ARCHIVE RUNNER-ARGS...
jdk_flag_variants() {
  local jsa="$1"; shift
  CMDS+=(runner-C1 "java -XX:TieredStopAtLevel=1 -jar $RUNNER_JAR $*"
         runner-appcds "java -XX:SharedArchiveFile=$jsa -jar $RUNNER_JAR $*"
         runner-appcds-C1 "java -XX:SharedArchiveFile=$jsa -XX:TieredStopAtLevel=1 -jar $RUNNER_JAR $*")
}
