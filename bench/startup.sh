#!/usr/bin/env bash
# Start-up: `bin/runner validate jobs/hello.yaml` (the launcher, with the build's class-data
# archive) against `java -version` on the same JVM, alternating rounds, median ratio (bar: 4x);
# also `status`, `wait` and `logs` of an ended run through the launcher, the bare jar, and the
# launcher with C1 only, for the README.
# Usage: bench/startup.sh [--smoke]   EXTRA_JARS="name=/path/a.jar ..." adds other builds (before/after).
source "$(dirname "$0")/lib.sh"
need_hyperfine
need_runner_jar
need_bench_jar

if [ "$SMOKE" = 1 ]; then ROUNDS=2; else ROUNDS=${ROUNDS:-15}; fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
JOB="$ROOT_DIR/jobs/hello.yaml"
R="$ROOT_DIR/bin/runner"
CMDS=(java-version "java -version" runner "$R validate $JOB" runner-jar "java -jar $RUNNER_JAR validate $JOB")
for extra in ${EXTRA_JARS:-}; do
  CMDS+=("${extra%%=*}" "java -jar ${extra#*=} validate $JOB")
done
if [ "$SMOKE" = 0 ]; then
  # An ended run for status, wait and logs to read.
  "$R" "$JOB" --state-dir "$TMP/state" >/dev/null 2>&1
  CMDS+=(runner-C1 "env RUNNER_JAVA_OPTS=-XX:TieredStopAtLevel=1 $R validate $JOB"
         status "$R status hello-world --state-dir $TMP/state"
         wait "$R wait hello-world --state-dir $TMP/state"
         logs "$R logs hello-world --state-dir $TMP/state")
fi
log "startup: $ROUNDS alternating rounds (+1 warm-up)"
alternate 1 "$TMP/warm" "true" "${CMDS[@]}"
alternate "$ROUNDS" "$TMP/r" "true" "${CMDS[@]}"
TABLE="$(bench_java io.mesosrunner.bench.Tables ratios java-version "$TMP"/r/round-*.json 2>"$TMP/r.txt")"
RATIO="$(awk '$1=="RATIO" && $2=="runner" {print $3}' "$TMP/r.txt")"
CLASSES="$(java -Xlog:class+load -jar "$RUNNER_JAR" validate "$JOB" | grep -c 'source:' || true)"
HV="$(java -Xlog:class+load -jar "$RUNNER_JAR" validate "$JOB" | grep -c 'source:.*org.hibernate\|org\.hibernate\.validator' || true)"
ARCHIVED="$(RUNNER_JAVA_OPTS=-Xlog:class+load "$R" validate "$JOB" | grep -c 'source: shared objects file' || true)"
{
  echo "### Start-up (\`runner validate jobs/hello.yaml\` vs \`java -version\`)"
  echo
  echo "Machine: $(machine_line)"
  [ "$SMOKE" = 1 ] && { echo; echo "(smoke run: 2 rounds)"; }
  echo
  echo "$TABLE"
  echo
  echo "bin/runner validate / java -version median ratio: **$RATIO** (bar: 4). Classes loaded by \`runner validate\`: $CLASSES (Hibernate Validator: $HV); through bin/runner $ARCHIVED of them come from the class-data archives (the JDK's and the build's)."
  echo
  echo "(runner: bin/runner; runner-jar: java -jar target/runner.jar; runner-C1: bin/runner with -XX:TieredStopAtLevel=1; status, wait, logs: bin/runner on an ended 3-instance run.)"
} > "$BENCH_OUT/startup.md"
cat "$BENCH_OUT/startup.md"
