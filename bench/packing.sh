#!/usr/bin/env bash
# Packing speed on the Mesos test master with the real master's timing (refuse-superset.jsonl):
# the runner against a minimal packing framework (MinimalPackingFramework), alternating, each a
# whole JVM started per run, and where the runner's extra time goes.
#   bench/packing.sh            24 instances of `sleep 2` at 0.5 cpus on 3 agents x 2 cpus, 5 rounds
#   bench/packing.sh --smoke    6 instances of 200 ms tasks, 1 round (a few seconds)
# Other arguments go to io.mesosrunner.bench.PackingBench (e.g. --rounds 9).
# Writes the Markdown table to $BENCH_OUT/packing.md (bench/out, or a temporary directory for --smoke).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT_DIR"

need_runner_jar
mvn_run() { mvn -q -o "$@" >/dev/null 2>&1 || mvn -q $MVN_FLAGS "$@"; }
mvn_run -DskipTests test-compile
CP_FILE="target/packing.classpath"
mvn_run org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
CP="target/test-classes:target/classes:$(cat "$CP_FILE")"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
log "packing: runner vs minimal framework (work files in $WORK)"
# The minimal framework needs only the Mesos protobufs, which runner.jar carries: the same jar
# opening cost as the runner, none of the test class path.
java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dcom.google.protobuf.use_unsafe_pre22_gencode=true \
  -cp "$CP" io.mesosrunner.bench.PackingBench \
  --runner-jar "$RUNNER_JAR" --framework-cp "target/test-classes:$RUNNER_JAR" \
  --work "$WORK" --out "$BENCH_OUT/packing.md" "$@"
