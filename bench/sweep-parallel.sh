#!/usr/bin/env bash
# bench/sweep-parallel.sh [LIMIT_TRAIN] [EPOCHS]
#
# The same sweep with --parallel 1 and --parallel 2, back to back, on a 2-worker Spark standalone cluster on this
# machine (deploy/bin/local-cluster: Master, 2 Workers of 1 core each, the driver in SparkSubmit), every training run
# with --workers 1: LeNet-300-100, KL weights 0.1,0.3,1 x thresholds 1-5 x seeds 42,7 (6 training runs), on a seeded
# LIMIT_TRAIN-image subset (default 20000) with 10% held out for validation, EPOCHS epochs (default 4). Prints the wall
# time of each sweep and whether their rows are identical but for times and the application id
# (bench/sweep_compare.py). Build first: mvn -q -B -DskipTests package.
source "$(dirname "$0")/lib.sh"
bench_args limit=20000 epochs=4 -- "$@"
work="$(mktemp -d /tmp/sparsevd-bench-parallel.XXXXXX)"
# shellcheck source=local-cluster-env.sh
source "$root/bench/local-cluster-env.sh"
sweep=(--data "$data" --model lenet300 --limit-train "$limit" --validation 0.1 --kl-weights 0.1,0.3,1
  --thresholds 1,2,3,4,5 --seeds 42,7 --epochs "$epochs" --kl-zero-epochs 1 --kl-ramp-epochs 2 --workers 1)

"$root/deploy/bin/local-cluster" start > "$work/cluster-start.log"
for k in 1 2; do
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  SPARK_HOME="$work/cluster/spark-home" SPARK_LOCAL_IP=127.0.0.1 OMP_NUM_THREADS=1 java -Xmx3g $opens \
    -Dlog4j.configurationFile="$root/deploy/conf/log4j2.properties" \
    -cp "$work/cluster/spark-home/jars/*" org.apache.spark.deploy.SparkSubmit \
    --master "spark://127.0.0.1:$SPARSEVD_MASTER_PORT" --deploy-mode client \
    --conf spark.executor.extraJavaOptions="$opens" --conf spark.executor.memory=1500m \
    --conf spark.executor.cores=1 --conf spark.executorEnv.OMP_NUM_THREADS=1 --conf spark.ui.enabled=false \
    --class org.sparsevd.job.Main "$app_jar" \
    sweep "${sweep[@]}" --parallel "$k" --output "$work/parallel-$k" > "$work/parallel-$k.log" 2>&1
  python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)" \
    > "$work/parallel-$k.wall_seconds"
done

python3 "$root/bench/sweep_compare.py" "$work/parallel-1" "$work/parallel-2"
echo
echo "(sweeps and logs: $work)"
