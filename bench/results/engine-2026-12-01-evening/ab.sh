#!/usr/bin/env bash
# A/B: main's engine classes (base) vs the branch's, interleaved, one JVM each, same EngineBench arguments.
# ab.sh RUN FILE EXAMPLES ROUNDS REPEATS
set -euo pipefail
root=/work/wt-engine
source "$root/deploy/conf/java-opens.sh"
export OMP_NUM_THREADS=1 SPARSEVD_BLAS_THREADS=1
cp="$(cat "$root/bench/target/classpath.txt")"
for rep in $(seq 1 "$5"); do
  for side in base new; do
    if [[ $side == base ]]; then classes=/tmp/engine-base/bench-classes:/tmp/engine-base/core-classes
    else classes=$root/bench/target/classes:/tmp/engine-new3/core-classes; fi
    echo "== $side (repeat $rep) $(date +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
    java -Xmx3g ${SPARK_JAVA_OPENS} ${SPARSEVD_JAVA_MODULES} -Dlog4j2.configurationFile="$root/deploy/conf/log4j2.properties" \
      -cp "$classes:$cp" org.sparsevd.bench.EngineBench "$1" "$2" /usr/share/datasets/fashion-mnist "$3" "$4" 2>/dev/null
  done
done
echo "end $(date +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
