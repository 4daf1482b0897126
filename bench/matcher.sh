#!/usr/bin/env bash
# Matcher against Fenzo and a bare first-fit-decreasing loop, same deterministic input
# (INSTANCES pending instances of 20 shapes on OFFERS offers of cpus 1-32, mem 1-128 GiB).
# Timing: JMH single-shot (one whole matching call per measurement). Packing: one call each.
# Bars: ours >= 10x Fenzo's placements/s with at least as many instances placed; ours within 2x
# of the bare loop's time; time near-linear from 1k to 100k instances.
# Usage: bench/matcher.sh [--smoke]     FENZO_FULL_TIMEOUT=seconds (default 600) caps Fenzo at full size.
source "$(dirname "$0")/lib.sh"
need_bench_jar

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
JMH=(-jvmArgs "-Dcom.google.protobuf.use_unsafe_pre22_gencode=true -Xmx3g" -f 1 -rf json)
if [ "$SMOKE" = 1 ]; then
  SIZES=(1000x100)
  FENZO_SIZES=(1000x100)
  ITER=(-wi 1 -i 2)
  FENZO_ITER=(-wi 1 -i 1)
else
  SIZES=(1000x100 10000x1000 100000x10000)
  FENZO_SIZES=(1000x100 10000x1000)
  ITER=(-wi 10 -i 20)
  FENZO_ITER=(-wi 1 -i 3)
fi
join() { local IFS=,; echo "$*"; }

log "matcher: JMH ours and bareFfd at ${SIZES[*]}"
bench_java org.openjdk.jmh.Main 'MatcherBenchmark.(ours|bareFfd)$' -p size="$(join "${SIZES[@]}")" "${ITER[@]}" "${JMH[@]}" \
  -rff "$TMP/jmh-ours.json" > "$TMP/jmh-ours.log" || { cat "$TMP/jmh-ours.log"; exit 1; }
log "matcher: JMH fenzo at ${FENZO_SIZES[*]}"
bench_java org.openjdk.jmh.Main 'MatcherBenchmark.fenzo$' -p size="$(join "${FENZO_SIZES[@]}")" "${FENZO_ITER[@]}" "${JMH[@]}" \
  -rff "$TMP/jmh-fenzo.json" > "$TMP/jmh-fenzo.log" || { cat "$TMP/jmh-fenzo.log"; exit 1; }

log "matcher: packing (one call per contender and size)"
for size in "${SIZES[@]}"; do
  for who in ours bare; do bench_java -Xmx3g io.mesosrunner.bench.MatcherReport "$who" "$size" 1 >> "$TMP/packing.tsv"; done
  case " ${FENZO_SIZES[*]} " in
    *" $size "*) bench_java -Xmx3g io.mesosrunner.bench.MatcherReport fenzo "$size" 0 >> "$TMP/packing.tsv" ;;
  esac
done
FENZO_NOTE=""
if [ "$SMOKE" = 0 ]; then
  FULL=100000x10000
  LIMIT="${FENZO_FULL_TIMEOUT:-600}"
  log "matcher: Fenzo at $FULL, one call, at most ${LIMIT}s"
  set +e
  timeout "$LIMIT" java -Dcom.google.protobuf.use_unsafe_pre22_gencode=true -Xmx6g -cp "$BENCH_JAR" \
      io.mesosrunner.bench.MatcherReport fenzo "$FULL" 0 > "$TMP/fenzo-full.tsv" 2> "$TMP/fenzo-full.err"
  rc=$?
  set -e
  if [ "$rc" = 0 ]; then
    sed 's/$/\tone wall-clock run, no warm-up/' "$TMP/fenzo-full.tsv" >> "$TMP/packing.tsv"
    FENZO_NOTE="Fenzo at $FULL completed in one run (no warm-up, so its JIT is included; at this size that is noise)."
  else
    OOM=""
    grep -q OutOfMemoryError "$TMP/fenzo-full.err" && OOM=" It ran out of memory in a 6 GiB heap on the way (java.lang.OutOfMemoryError inside Fenzo's task evaluation, which keeps an assignment-failure record per task and host it tried)."
    if [ "$rc" = 124 ]; then
      FENZO_NOTE="Fenzo at $FULL did not finish within the ${LIMIT} s cap and was killed.$OOM"
    else
      FENZO_NOTE="Fenzo at $FULL failed (exit $rc).$OOM"
    fi
  fi
  # Growth of Fenzo's JMH time from the two smaller sizes, extrapolated one more step.
  FENZO_NOTE="$FENZO_NOTE $(bench_java io.mesosrunner.bench.Tables growth fenzo "$TMP/jmh-fenzo.json")"
fi
TABLE="$(bench_java io.mesosrunner.bench.Tables matcher "$TMP/packing.tsv" "$TMP/jmh-ours.json" "$TMP/jmh-fenzo.json")"
LOAD="$(awk -F'\t' '$1=="ours" {printf "%s: cpu load %.2f, mem load %.2f; ", $2, $8, $9}' "$TMP/packing.tsv")"
{
  echo "### Matcher vs Fenzo vs bare first-fit-decreasing"
  echo
  echo "Machine: $(machine_line)"
  [ "$SMOKE" = 1 ] && { echo; echo "(smoke run: tiny sizes and iterations, not comparable to the bars)"; }
  echo
  echo "Input: deterministic (seed $(grep -o 'SEED = [0-9]*' "$BENCH_DIR/src/main/java/io/mesosrunner/bench/Workload.java" | cut -d' ' -f3)), 20 task shapes, offers cpus 1-32, mem 1-128 GiB. Demand over supply: $LOAD"
  echo
  echo "$TABLE"
  [ -n "$FENZO_NOTE" ] && { echo; echo "$FENZO_NOTE"; }
} > "$BENCH_OUT/matcher.md"
cat "$BENCH_OUT/matcher.md"
