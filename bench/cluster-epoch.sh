#!/usr/bin/env bash
# bench/cluster-epoch.sh [LIMIT_TRAIN] [EPOCHS] [AVERAGING_FREQUENCY...]
#
# The same train job (Sparse VD LeNet-300-100, 2 workers, batch 100) in embedded local mode (deploy/bin/sparsevd,
# one JVM) and on a 2-worker Spark standalone cluster on this machine (deploy/bin/local-cluster: Master, 2 Workers
# and 2 executor JVMs of 1 core each, the driver in SparkSubmit), then a markdown table of the epoch times and of the
# bytes an averaging round moves (measured from the cluster run's Spark event log; see cluster_table.py).
# Defaults: 20000 examples, 3 epochs, averaging frequency 10. Build first: mvn -q -B -DskipTests package.
source "$(dirname "$0")/lib.sh"
bench_args limit=20000 epochs=3 -- "$@"
shift $(($# < 2 ? $# : 2))
freqs=("${@:-10}")
[[ ${#freqs[@]} -gt 0 ]] || freqs=(10)
work="$(mktemp -d /tmp/sparsevd-bench-cluster.XXXXXX)"
# shellcheck source=local-cluster-env.sh
source "$root/bench/local-cluster-env.sh"
job=(--data "$data" --limit-train "$limit" --epochs "$epochs" --workers 2 --kl-zero-epochs 0 --kl-ramp-epochs 10)

for f in "${freqs[@]}"; do
  OMP_NUM_THREADS=1 "$root/deploy/bin/sparsevd" train "${job[@]}" --sync average --averaging-frequency "$f" \
    --master 'local[2]' --output "$work/local-f$f" > "$work/local-f$f.log" 2>&1
done

"$root/deploy/bin/local-cluster" start > "$work/cluster-start.log"
mkdir -p "$work/events"
for f in "${freqs[@]}"; do
  # shellcheck disable=SC2086
  SPARK_HOME="$work/cluster/spark-home" SPARK_LOCAL_IP=127.0.0.1 OMP_NUM_THREADS=1 java -Xmx4g $opens \
    -cp "$work/cluster/spark-home/jars/*" org.apache.spark.deploy.SparkSubmit \
    --master "spark://127.0.0.1:$SPARSEVD_MASTER_PORT" --deploy-mode client \
    --conf spark.executor.extraJavaOptions="$opens" --conf spark.executor.memory=1500m \
    --conf spark.executorEnv.OMP_NUM_THREADS=1 --conf spark.ui.enabled=false \
    --conf spark.eventLog.enabled=true --conf spark.eventLog.dir="file://$work/events" \
    --class org.sparsevd.job.Main "$app_jar" \
    train "${job[@]}" --sync average --averaging-frequency "$f" --output "$work/cluster-f$f" > "$work/cluster-f$f.log" 2>&1
done

python3 "$root/bench/cluster_table.py" "$work" "${freqs[@]}"
echo
echo "(raw runs, logs and event logs: $work)"
