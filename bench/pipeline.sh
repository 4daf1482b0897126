#!/usr/bin/env bash
# A 3-step pipeline (N tasks per step) on the Mesos test master against three single-job runs one after another.
#   bench/pipeline.sh [--tasks 1000] [--agents 100] [--duration-ms 500] [--allocation-ms 1000] [--rounds 1]
set -euo pipefail
cd "$(dirname "$0")/.."

mvn_run() { mvn -q -o "$@" >/dev/null 2>&1 || mvn -q "$@"; }
mvn_run -DskipTests test-compile
CP_FILE="target/pipeline.classpath"
mvn_run org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
CP="target/test-classes:target/classes:$(cat "$CP_FILE")"

HEAP="-Xmx1g"
exec java $HEAP -XX:+UseParallelGC ${JAVA_OPTS:-} \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dcom.google.protobuf.use_unsafe_pre22_gencode=true \
  -cp "$CP" io.mesosrunner.bench.PipelineBench "$@"
