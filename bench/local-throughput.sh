#!/usr/bin/env bash
# Local cluster throughput: N instances of `true` (0.1 cpus each, --local-cpus 2: 20 at a time)
# through the runner (bin/runner, the launcher users type), against `xargs -P 20` running the
# same N `sh -c true`, and GNU parallel -j 20, whole processes, timed in alternating rounds.
# Bars: median runner/xargs ratio at most 1.3 (N = 2000); GNU parallel at least 3x the runner.
# Usage: bench/local-throughput.sh [--smoke]
source "$(dirname "$0")/lib.sh"
need_hyperfine
need_runner_jar
need_bench_jar

if [ "$SMOKE" = 1 ]; then N=100; ROUNDS=1; else N=2000; ROUNDS=${ROUNDS:-7}; fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

job() { # job N FILE
  cat > "$2" <<YAML
version: 1
name: throughput
command: 'true'
cpus: 0.1
mem: 16
instances: $1
YAML
}
job "$N" "$TMP/job.yaml"
RUN="--quiet --state-dir $TMP/state --local-cpus 2"
# A fresh state directory per run, the old one moved aside (not deleted: deleting thousands of
# sandboxes right before a run makes ext4 inode allocation slow, a cost users do not pay).
mkdir -p "$TMP/old"
PREP="mkdir -p $TMP/state && mv $TMP/state $TMP/old/\$(date +%s%N)"
XARGS="seq $N | xargs -P 20 -I{} sh -c true"

CMDS=(xargs "$XARGS" runner "$ROOT_DIR/bin/runner $TMP/job.yaml $RUN" runner-jar "java -jar $RUNNER_JAR $TMP/job.yaml $RUN")
if [ "$SMOKE" = 0 ]; then
  need_parallel
  CMDS+=(parallel "seq $N | parallel -j 20 sh -c true"
         runner-launcher-C1 "env RUNNER_JAVA_OPTS=-XX:TieredStopAtLevel=1 $ROOT_DIR/bin/runner $TMP/job.yaml $RUN"
         xargs-setsid "seq $N | xargs -P 20 -I{} setsid -w sh -c true"
         runner-jdk-starter "java -Drunner.local.starter=jdk -jar $RUNNER_JAR $TMP/job.yaml $RUN"
         jvm-spawn-only "java -Djdk.lang.Process.launchMechanism=VFORK -cp $BENCH_JAR io.mesosrunner.bench.SpawnOnly $N 20")
  # The AppCDS archive comes from a 20-task run, so that no timed run writes it.
  job 20 "$TMP/small.yaml"
  java -XX:ArchiveClassesAtExit="$TMP/app.jsa" -jar "$RUNNER_JAR" "$TMP/small.yaml" $RUN >/dev/null 2>&1
  mv "$TMP/state" "$TMP/old/cds"
  jdk_flag_variants "$TMP/app.jsa" "$TMP/job.yaml" $RUN
fi
log "local-throughput: $N tasks, $ROUNDS alternating rounds (+1 warm-up)"
alternate 1 "$TMP/warm" "$PREP" "${CMDS[@]}"
alternate "$ROUNDS" "$TMP/r1" "$PREP" "${CMDS[@]}"
TABLE="$(bench_java io.mesosrunner.bench.Tables ratios xargs "$TMP"/r1/round-*.json 2>"$TMP/r1.txt")"
RATIO="$(awk '$1=="RATIO" && $2=="runner" {print $3}' "$TMP/r1.txt")"

SPLIT=""
if [ "$SMOKE" = 0 ]; then
  # Fixed versus per-task cost: the same at 2N; the slope is the per-task cost.
  N2=$((2 * N))
  job "$N2" "$TMP/job2.yaml"
  log "local-throughput: $N2 tasks, 3 rounds for the per-task slope"
  alternate 3 "$TMP/r2" "$PREP" xargs "seq $N2 | xargs -P 20 -I{} sh -c true" runner "java -jar $RUNNER_JAR $TMP/job2.yaml $RUN"
  bench_java io.mesosrunner.bench.Tables ratios xargs "$TMP"/r2/round-*.json >/dev/null 2>"$TMP/r2.txt"
  t() { awk -v n="$2" '$1=="TIME" && $2==n {print $3}' "$1"; }
  hyperfine --style none --runs 5 --export-json "$TMP/start.json" -n validate "java -jar $RUNNER_JAR validate $TMP/job.yaml" >/dev/null
  START="$(bench_java io.mesosrunner.bench.Tables ratios validate "$TMP/start.json" 2>&1 >/dev/null | awk '$1=="TIME" {print $3}')"
  SPLIT="$(awk -v n="$N" -v n2="$N2" -v r1="$(t "$TMP/r1.txt" runner)" -v r2="$(t "$TMP/r2.txt" runner)" \
      -v x1="$(t "$TMP/r1.txt" xargs)" -v x2="$(t "$TMP/r2.txt" xargs)" -v st="$START" 'BEGIN {
    rs = (r2 - r1) / (n2 - n); xs = (x2 - x1) / (n2 - n);
    printf "| | %d tasks s | %d tasks s | per task ms (slope) | fixed s (intercept) |\n|---|---:|---:|---:|---:|\n", n, n2;
    printf "| runner | %.3f | %.3f | %.3f | %.3f |\n", r1, r2, rs * 1000, r1 - rs * n;
    printf "| xargs | %.3f | %.3f | %.3f | %.3f |\n", x1, x2, xs * 1000, x1 - xs * n;
    printf "\nJVM start + CLI + job file load (`runner validate`, median of 5): %.3f s.\n", st }')"
fi

VERDICT="bar (<= 1.3 at N=2000): $(awk -v r="$RATIO" 'BEGIN {print (r <= 1.3 ? "MET" : "NOT MET")}')"
PARALLEL_LINE=""
if [ "$SMOKE" = 0 ]; then
  PR="$(awk '$1=="TIME" && $2=="parallel" {p=$3} $1=="TIME" && $2=="runner" {r=$3} END {if (r > 0) printf "%.2f", p / r}' "$TMP/r1.txt")"
  PARALLEL_LINE="GNU parallel / runner median ratio: **$PR** (bar >= 3: $(awk -v r="$PR" 'BEGIN {print (r >= 3 ? "MET" : "NOT MET")}'))"
fi
[ "$SMOKE" = 1 ] && VERDICT="smoke run (N=$N, not comparable to the bar)"
{
  echo "### Local cluster throughput ($N x \`true\`, 20 at a time)"
  echo
  echo "Machine: $(machine_line)"
  echo
  echo "$TABLE"
  echo
  echo "runner / xargs median ratio: **$RATIO** ($VERDICT)"
  if [ -n "$PARALLEL_LINE" ]; then echo; echo "$PARALLEL_LINE"; fi
  if [ -n "$SPLIT" ]; then echo; echo "$SPLIT"; fi
} > "$BENCH_OUT/local-throughput.md"
cat "$BENCH_OUT/local-throughput.md"
