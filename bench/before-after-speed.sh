#!/usr/bin/env bash
# bench/before-after-speed.sh OUT_DIR BEFORE_TREE [AFTER_TREE]: the `train` rows of bench/speed-table.sh, each run with
# BEFORE_TREE's build and then AFTER_TREE's (default: this tree), interleaved, so a change's effect on every row is
# measured in one run: LeNet-300-100 with the defaults on all 60,000 images, --workers 1 (also with the JVM on one
# OpenMP thread, as ThroughputBench; a tree from a84e124 on runs a dense network's worker on one thread either way),
# LeNet-5 Sparse VD and --variant plain on 12,000 (bench_train: examples/s of epochs 3+
# and of epoch 2, peak RSS); then
# ThroughputBench of AFTER_TREE (one JVM, one thread): LeNet-300-100 on 12,000 images, LeNet-5 on 3,000. Both trees
# built first (mvn -q -B -DskipTests package); the table on stdout and in OUT_DIR/table.md.
source "$(dirname "$0")/lib.sh"
usage="usage: bench/before-after-speed.sh OUT_DIR BEFORE_TREE [AFTER_TREE]"
bench_args "out=?$usage" "before=?$usage" "after=$root" -- "$@"
mkdir -p "$out"
rows=()
row() {
  local name="$1" limit="$2"; shift 2
  local side tree load result n rate first rss
  for side in before after; do
    tree="$before"
    [[ "$side" == after ]] && tree="$after"
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    result="$(bench_train "$out/$name-$side" "$tree" "$data" --limit-train "$limit" "$@")"
    read -r n rate first rss <<< "$result"
    rows+=("train $name, $side ($(git -C "$tree" rev-parse --short HEAD)), $n examples|$rate|$first|$rss|$load")
  done
}
row lenet300-defaults 60000 --model lenet300
row lenet300-workers1 12000 --model lenet300 --workers 1
OMP_NUM_THREADS=1 row lenet300-workers1-omp1 12000 --model lenet300 --workers 1
row lenet5-sparsevd 12000 --model lenet5
row lenet5-plain 12000 --model lenet5 --variant plain
for spec in "lenet300 12000" "lenet5 3000"; do
  read -r model limit <<< "$spec"
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  OMP_NUM_THREADS=1 SPARSEVD_BLAS_THREADS=1 "$after/bench/run.sh" ThroughputBench "$data" "$limit" 2 "$model" \
    > "$out/throughput-$model.txt" 2> /dev/null
  while IFS='|' read -r _ network rate _; do
    network="$(echo "$network" | sed "s/^ *//; s/ *$//")"
    rows+=("ThroughputBench (after), one JVM, one thread: $network, $limit examples|$(echo "$rate" | tr -d " ")|||$load")
  done < <(grep -E '^\| (SparseVD|plain)' "$out/throughput-$model.txt")
done
speed_rows what "${rows[@]}" | tee "$out/table.md"
