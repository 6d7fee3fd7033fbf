#!/usr/bin/env bash
# bench/run.sh BENCHMARK [args...]: runs one benchmark of bench/ on the built classpath and prints its table.
#   bench/run.sh ThroughputBench [DATA_DIR] [examples] [repeats]
# Build first: mvn -q -B -DskipTests package
source "$(dirname "$0")/lib.sh"
cp_file="$root/bench/target/classpath.txt"
[[ -f "$cp_file" ]] || { echo "bench/run.sh: build first: mvn -q -B -DskipTests package" >&2; exit 2; }
source "$root/deploy/conf/java-opens.sh"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
name="$1"; shift
set -f  # no file-name expansion of the unquoted JVM options: the CompileCommands hold '*' patterns
# shellcheck disable=SC2086
exec java -Xmx8g ${SPARK_JAVA_OPENS} ${SPARSEVD_JAVA_MODULES} ${SPARSEVD_JAVA_TUNING} -Dlog4j2.configurationFile="$root/deploy/conf/log4j2.properties" \
  -cp "$root/bench/target/classes:$(cat "$cp_file")" "org.sparsevd.bench.$name" "$@"
