#!/usr/bin/env bash
# bench/spark-epoch.sh [DATA_DIR] [examples]: Spark local-mode epoch time vs a single-JVM epoch, for several
# worker counts, averaging frequencies and ND4J thread counts (one JVM per row). Prints a markdown table.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${1:-/usr/share/datasets/fashion-mnist}"
examples="${2:-60000}"
echo "| examples | workers | averaging frequency | OMP_NUM_THREADS | single-JVM epoch s | Spark epoch s | Spark / single | Spark examples/s |"
echo "|---|---|---|---|---|---|---|---|"
for row in "1 10 2" "1 20 2" "2 5 1" "2 10 1" "2 20 1"; do
  read -r workers freq threads <<< "$row"
  OMP_NUM_THREADS=$threads "$here/run.sh" SparkEpochBench "$data" "$workers" "$freq" "$examples" 2>/dev/null | grep '^|'
done
