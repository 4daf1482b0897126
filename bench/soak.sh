#!/usr/bin/env bash
# Soak of the runner against the protocol-level test master: N instances of a short task, about
# 10 % of attempts failing, the event stream dropped every 2 s. Prints the wall time of the whole
# Maven run and the test's own figures (run wall time, heap at start / peak / end, its bound).
#
#   bench/soak.sh            # 10,000 instances
#   bench/soak.sh 2000       # another size
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
start=$(date +%s.%N)
status=0
# The soak is an integration test (failsafe), outside the unit run.
mvn -q -o test-compile failsafe:integration-test failsafe:verify -Dit.test=MesosSoakIT -Dsoak.instances="$n" || status=$?
end=$(date +%s.%N)
report=target/failsafe-reports/io.mesosrunner.cluster.mesos.MesosSoakIT-output.txt
echo "soak: instances=$n maven_wall=$(echo "$end - $start" | bc)s exit=$status"
if [[ -f "$report" ]]; then
  grep '^SOAK' "$report" || echo "soak: no SOAK line in $report"
fi
exit "$status"
