#!/usr/bin/env bash
# Cluster makespan on the Mesos test master: the runner vs the seed's one-task-per-offer approach.
#   bench/makespan.sh            1,000 agents x 4 cpus, 100,000 tasks of 1 s, offers every 1 s
#   bench/makespan.sh --smoke    20 agents, 400 tasks of 200 ms (well under a minute)
# Any other arguments go to io.mesosrunner.bench.MakespanBench (e.g. --tasks 20000, --only runner).
# Writes the Markdown table to bench/results/makespan.md (the smoke size: bench/results/makespan-smoke.md).
# -Dbench.timeline=true in JAVA_OPTS adds a per-second timeline (offers, launches, updates, calls).
set -euo pipefail
cd "$(dirname "$0")/.."

# Offline when the local repository already holds everything, else from Maven Central.
mvn_run() { mvn -q -o "$@" >/dev/null 2>&1 || mvn -q "$@"; }
mvn_run -DskipTests test-compile
CP_FILE="target/makespan.classpath"
mvn_run org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
CP="target/test-classes:target/classes:$(cat "$CP_FILE")"

HEAP="-Xmx6g"
for a in "$@"; do [ "$a" = "--smoke" ] && HEAP="-Xmx1g"; done
exec java $HEAP -XX:+UseParallelGC ${JAVA_OPTS:-} \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dcom.google.protobuf.use_unsafe_pre22_gencode=true \
  -cp "$CP" io.mesosrunner.bench.MakespanBench "$@"
