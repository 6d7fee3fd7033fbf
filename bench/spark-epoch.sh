#!/usr/bin/env bash
# bench/spark-epoch.sh [DATA_DIR] [examples]: Spark local-mode epoch time vs a single-JVM epoch, for several
# worker counts, global batch sizes (--batch-size), sync modes and ND4J thread counts (one JVM per row).
# Prints a markdown table. ROWS (default below) lists "WORKERS BATCH SYNC THREADS" rows separated by commas, SYNC
# being allreduce or an averaging frequency F (--sync average --averaging-frequency F).
source "$(dirname "$0")/lib.sh"
bench_args "data=$data" examples=60000 -- "$@"
IFS=, read -r -a rows <<< "${ROWS:-1 100 10 2,1 100 20 2,2 100 5 1,2 100 10 1,2 100 20 1,2 200 10 1}"
echo "| examples | workers | global batch (per worker) | sync (F: --sync average) | OMP_NUM_THREADS | single-JVM epoch s | Spark epoch s | Spark / single | Spark examples/s |"
echo "|---|---|---|---|---|---|---|---|---|"
for row in "${rows[@]}"; do
  read -r workers batch freq threads <<< "$row"
  OMP_NUM_THREADS=$threads "$root/bench/run.sh" SparkEpochBench "$data" "$workers" "$freq" "$examples" "$batch" 2>/dev/null \
    | grep '^|'
done
