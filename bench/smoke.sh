#!/usr/bin/env bash
# CI: every benchmark at a tiny size, only to show it still works (no timing assertions).
# Fails when any benchmark breaks. Fragments go to a temporary directory, not bench/out.
set -euo pipefail
DIR="$(cd "$(dirname "$0")" && pwd)"
export BENCH_OUT="$(mktemp -d)"
trap 'rm -rf "$BENCH_OUT"' EXIT
start=$(date +%s)
for script in local-throughput matcher scheduler-scale startup packing; do
  t0=$(date +%s)
  echo "== $script --smoke"
  "$DIR/$script.sh" --smoke > "$BENCH_OUT/$script.log" 2>&1 || { cat "$BENCH_OUT/$script.log"; echo "FAILED: $script" >&2; exit 1; }
  [ -s "$BENCH_OUT/$script.md" ] || { echo "FAILED: $script wrote no result" >&2; exit 1; }
  echo "   ok ($(( $(date +%s) - t0 ))s)"
done
t0=$(date +%s)
echo "== makespan --smoke"
"$DIR/makespan.sh" --smoke --out "$BENCH_OUT/makespan.md" > "$BENCH_OUT/makespan.log" 2>&1 || { cat "$BENCH_OUT/makespan.log"; echo "FAILED: makespan" >&2; exit 1; }
[ -s "$BENCH_OUT/makespan.md" ] || { echo "FAILED: makespan wrote no result" >&2; exit 1; }
echo "   ok ($(( $(date +%s) - t0 ))s)"
echo "smoke total: $(( $(date +%s) - start ))s"
