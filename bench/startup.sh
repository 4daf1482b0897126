#!/usr/bin/env bash
# Start-up: `java -jar target/runner.jar validate jobs/hello.yaml` against `java -version` on the
# same JVM, alternating rounds, median ratio; plus what the JDK offers without code changes
# (C1 only, an AppCDS archive, both) for the README.
# Usage: bench/startup.sh [--smoke]   EXTRA_JARS="name=/path/a.jar ..." adds other builds (before/after).
source "$(dirname "$0")/lib.sh"
need_hyperfine
need_runner_jar
need_bench_jar

if [ "$SMOKE" = 1 ]; then ROUNDS=2; else ROUNDS=${ROUNDS:-15}; fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
JOB="$ROOT_DIR/jobs/hello.yaml"
CMDS=(java-version "java -version" runner "java -jar $RUNNER_JAR validate $JOB")
for extra in ${EXTRA_JARS:-}; do
  CMDS+=("${extra%%=*}" "java -jar ${extra#*=} validate $JOB")
done
if [ "$SMOKE" = 0 ]; then
  java -XX:ArchiveClassesAtExit="$TMP/app.jsa" -jar "$RUNNER_JAR" validate "$JOB" >/dev/null 2>&1
  jdk_flag_variants "$TMP/app.jsa" validate "$JOB"
fi
log "startup: $ROUNDS alternating rounds (+1 warm-up)"
alternate 1 "$TMP/warm" "true" "${CMDS[@]}"
alternate "$ROUNDS" "$TMP/r" "true" "${CMDS[@]}"
TABLE="$(bench_java io.mesosrunner.bench.Tables ratios java-version "$TMP"/r/round-*.json 2>"$TMP/r.txt")"
RATIO="$(awk '$1=="RATIO" && $2=="runner" {print $3}' "$TMP/r.txt")"
CLASSES="$(java -Xlog:class+load -jar "$RUNNER_JAR" validate "$JOB" | grep -c 'source:' || true)"
HV="$(java -Xlog:class+load -jar "$RUNNER_JAR" validate "$JOB" | grep -c 'source:.*org.hibernate\|org\.hibernate\.validator' || true)"
{
  echo "### Start-up (\`runner validate jobs/hello.yaml\` vs \`java -version\`)"
  echo
  echo "Machine: $(machine_line)"
  [ "$SMOKE" = 1 ] && { echo; echo "(smoke run: 2 rounds)"; }
  echo
  echo "$TABLE"
  echo
  echo "runner validate / java -version median ratio: **$RATIO**. Classes loaded by \`runner validate\`: $CLASSES (Hibernate Validator: $HV)."
} > "$BENCH_OUT/startup.md"
cat "$BENCH_OUT/startup.md"
