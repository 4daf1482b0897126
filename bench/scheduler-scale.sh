#!/usr/bin/env bash
# JobScheduler alone (no processes, no threads) through a whole job of N instances on 100 synthetic
# agents x 32 cpus: offers, then STARTING/RUNNING/FINISHED updates (with uuids) for every task.
# Each size runs in its own JVM with -Xmx256m. Bars: the 1,000,000-instance run completes in a
# 256 MiB heap, and the time per event does not grow with the number of instances.
# Usage: bench/scheduler-scale.sh [--smoke]
source "$(dirname "$0")/lib.sh"
need_bench_jar

if [ "$SMOKE" = 1 ]; then SIZES=(1000 10000); else SIZES=(10000 100000 1000000); fi
HEAP="${HEAP:-256m}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
ROWS=""
FAILED=""
for n in "${SIZES[@]}"; do
  log "scheduler-scale: $n instances, -Xmx$HEAP"
  if bench_java -Xmx"$HEAP" -Xlog:gc:file="$TMP/gc-$n.log" io.mesosrunner.bench.SchedulerScale "$n" > "$TMP/out-$n.tsv" 2> "$TMP/err-$n.txt"; then
    GCMAX="$(grep -o '[0-9]*M->[0-9]*M' "$TMP/gc-$n.log" | cut -d'>' -f2 | tr -d M | sort -n | tail -1)"
    ROWS+="$(awk -F'\t' -v gc="${GCMAX:-0}" '{printf "| %d | %d | %.2f | %.0f | %.2f | %.1f | %.0f | %s | %s |", $1, $2, $3/1000, $4, $5/1000, $6, $7, gc, $9}' "$TMP/out-$n.tsv")"$'\n'
  else
    if grep -q OutOfMemoryError "$TMP/err-$n.txt"; then
      ROWS+="| $n | | | | | | | | **OutOfMemoryError with -Xmx$HEAP** |"$'\n'
      FAILED+=" $n"
    else
      cat "$TMP/err-$n.txt" >&2
      exit 1
    fi
  fi
done

HEAVY=""
if [ "$SMOKE" = 0 ]; then
  # What is retained per instance, by class: the 1M run again with room to finish.
  log "scheduler-scale: class histogram at 1000000 instances (-Xmx1g)"
  bench_java -Xmx1g io.mesosrunner.bench.SchedulerScale 1000000 100 32 --histo > "$TMP/big.tsv" 2> "$TMP/histo.txt"
  ROWS+="$(awk -F'\t' '{printf "| %d (again with -Xmx1g) | %d | %.2f | %.0f | %.2f | %.1f | %.0f | | %s |", $1, $2, $3/1000, $4, $5/1000, $6, $7, $9}' "$TMP/big.tsv")"$'\n'
  HEAVY="$(awk -F'\t' '{printf "With -Xmx1g the 1,000,000-instance run retains %.1f MiB (%.0f bytes per instance). Largest classes at the end of the run (scheduler still reachable):\n", $6, $7}' "$TMP/big.tsv")
$(echo '```'; grep -E '^ *(num|[0-9]+:)' "$TMP/histo.txt" | head -11; echo '```')"
fi
{
  echo "### Scheduler scale (JobScheduler alone, 100 agents x 32 cpus, 1-cpu instances)"
  echo
  echo "Machine: $(machine_line)"
  echo
  echo "| instances | events | total s | events/s | µs per event | retained MiB at end | retained bytes per instance | max heap after GC MiB (-Xlog:gc) | outcome |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  echo -n "$ROWS"
  echo
  if [ -n "$FAILED" ]; then echo "Heap bar (-Xmx$HEAP): NOT MET for:$FAILED instances."; else echo "Heap bar (-Xmx$HEAP): met for every size run."; fi
  [ -n "$HEAVY" ] && { echo; echo "$HEAVY"; }
} > "$BENCH_OUT/scheduler-scale.md"
cat "$BENCH_OUT/scheduler-scale.md"
