#!/usr/bin/env bash
# Runs every Baton benchmark and writes benchmarks/results/{RESULTS.md,results.json,cold-start.svg}.
#
#   benchmarks/run.sh                 # the full run: 15 cold starts per variant, JDK 17 and 25 (about 10-25 min on 2 cores)
#   benchmarks/run.sh --runs 3 --build-runs 1 --quick  # a short check of the whole pipeline
#   benchmarks/run.sh --only warm,jmh  # only those parts (of cold, warm, jmh, build, size); the
#                                      # results files keep the other parts' sections as they were
#
# Maven reads MAVEN_ARGS, e.g. MAVEN_ARGS=-Dmaven.repo.local=/tmp/m2 for a repository of its own
# (the build cost's Maven builds inherit it).
#
# JDK 17 is the JDK running this script (JAVA_HOME or java on the PATH); JDK 25 is taken from
# BATON_JDK25_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64) and skipped if absent.
set -euo pipefail
cd "$(dirname "$0")/.."

jdk17="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
jdk25="${BATON_JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
jdks=(--jdk "17=$jdk17")
[ -x "$jdk25/bin/java" ] && jdks+=(--jdk "25=$jdk25")

# Build Baton and the benchmark modules (the function variants, JMH, the harness); no tests.
./mvnw -B -q install -DskipTests -Dinvoker.skip -pl benchmarks/harness,benchmarks/jmh,benchmarks/function-untraced,benchmarks/function-handwritten,benchmarks/function-baton,benchmarks/function-baton-sdk,benchmarks/function-baton-autoconfigure -am

# TCP_NODELAY on the harness's Runtime APIs and OTLP receiver, as Lambda's own send: without it a
# delayed ACK adds about 40 ms to every warm invocation.
exec "$jdk17/bin/java" -Dbaton.benchmarks.dir=benchmarks -Dsun.net.httpserver.nodelay=true \
  -cp "benchmarks/harness/target/classes:$(cat benchmarks/harness/target/harness.classpath)" \
  dev.baton.benchmarks.RunAll "${jdks[@]}" "$@"
