#!/usr/bin/env bash
# bench/startup.sh ROUNDS JAR... : startup time of `train` on a standalone cluster of this machine
# (deploy/bin/local-cluster: 2 workers of 1 core, ports 17077/any), per application jar, the jars taken in turn
# ROUNDS times (interleaved, so the machine's load hits them alike). Startup = SparkSubmit started to the first epoch
# line (the driver's log; 1 epoch of 1,000 images, so the epoch itself is short); each run with a fresh JavaCPP cache on the
# executors, as on a new node, which fetch the jar from the driver. Prints one markdown row per run.
# Build first: mvn -q -B -DskipTests package
source "$(dirname "$0")/lib.sh"
bench_args "rounds=?usage: bench/startup.sh ROUNDS JAR..." -- "$@"
shift
work="$(mktemp -d /tmp/sparsevd-startup.XXXXXX)"
export SPARSEVD_CLUSTER_DIR="$work/cluster" SPARSEVD_MASTER_PORT=17077 SPARSEVD_MASTER_UI_PORT=0
"$root/deploy/bin/local-cluster" start > /dev/null
trap '"$root/deploy/bin/local-cluster" stop > /dev/null 2>&1 || true' EXIT
source "$root/deploy/conf/java-opens.sh"
spark_home="$SPARSEVD_CLUSTER_DIR/spark-home"
echo "| round | jar | jar MB | SparkSubmit start to first epoch line (s) | load average at start |"
echo "|---|---|---:|---:|---|"
for ((r = 1; r <= rounds; r++)); do
  for jar in "$@"; do
    run="$work/run-$r-$(basename "$jar" .jar)"
    mkdir -p "$run"
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    start="$(date +%s.%N)"
    # shellcheck disable=SC2086
    SPARK_HOME="$spark_home" SPARK_LOCAL_IP=127.0.0.1 java -Xmx2g $SPARK_JAVA_OPENS $SPARSEVD_JAVA_MODULES \
      -cp "$spark_home/jars/*" org.apache.spark.deploy.SparkSubmit --master spark://127.0.0.1:17077 \
      --deploy-mode client \
      --conf spark.executor.extraJavaOptions="$SPARK_JAVA_OPENS $SPARSEVD_JAVA_MODULES -Dorg.bytedeco.javacpp.cachedir=$run/javacpp" \
      --conf spark.executorEnv.OMP_NUM_THREADS=1 --conf spark.executor.memory=1g \
      --class org.sparsevd.job.Main "$jar" train --data /usr/share/datasets/fashion-mnist --output "$run/out" \
      --workers 2 --limit-train 1000 --epochs 1 2>&1 \
      | while IFS= read -r line; do
          echo "$line" >> "$run/output.txt"
          if [[ ! -f "$run/first" && "$line" =~ TrainJob:\ epoch\ 1/[0-9]+\ +[0-9.]+s ]]; then date +%s.%N > "$run/first"; fi
        done
    seconds="no epoch line: see $run/output.txt"
    [[ -f "$run/first" ]] && seconds="$(python3 -c "print(round($(cat "$run/first") - $start, 1))")"
    echo "| $r | $(basename "$jar") | $(($(stat -c %s "$jar") / 1000000)) | $seconds | $load |"
  done
done
