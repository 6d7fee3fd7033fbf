#!/usr/bin/env bash
# bench/allreduce-speed.sh OUT_DIR BEFORE_TREE [LIMIT] [REPEATS]: `train --sync allreduce` (the default) built in
# BEFORE_TREE (another clone, built there with mvn -q -B -o -DskipTests package) against this tree's build, in one
# run: LeNet-300-100 with --workers 1 and --workers 2 (embedded local mode, global batch 100), bench_train's epochs of
# LIMIT (default 12,000) Fashion-MNIST images, before and after interleaved, REPEATS (default 2) times; examples/s of
# epochs 3+ and of epoch 2 (bench_train, from Spark's event log). Then ThroughputBench (one JVM,
# one thread, OMP_NUM_THREADS=1, best of 2 passes over LIMIT images) of this tree, the single-JVM reference. The table
# (with the load average at the start of each row) on stdout and in OUT_DIR/table.md; raw outputs under OUT_DIR.
# Extra JVM options for the train runs: BENCH_JAVA_OPTS. Build first: mvn -q -B -DskipTests package
source "$(dirname "$0")/lib.sh"
usage="usage: bench/allreduce-speed.sh OUT_DIR BEFORE_TREE [LIMIT] [REPEATS]"
bench_args "out=?$usage" "before=?$usage" limit=12000 repeats=2 -- "$@"
before="$(cd "$before" && pwd)"
mkdir -p "$out"
rows=()
for ((r = 1; r <= repeats; r++)); do
  for workers in 1 2; do
    for side in before after; do
      tree="$root"
      [[ "$side" == after ]] || tree="$before"
      load="$(cut -d' ' -f1-3 /proc/loadavg)"
      result="$(bench_train "$out/$side-workers$workers-$r" "$tree" "$data" --model lenet300 --workers "$workers" \
        --limit-train "$limit")"
      read -r n rate first rss <<< "$result"
      rows+=("train --workers $workers, $side ($(git -C "$tree" rev-parse --short HEAD)), pass $r|$rate|$first|$rss|$load")
    done
  done
done
load="$(cut -d' ' -f1-3 /proc/loadavg)"
OMP_NUM_THREADS=1 SPARSEVD_BLAS_THREADS=1 "$root/bench/run.sh" ThroughputBench "$data" "$limit" 2 lenet300 \
  > "$out/throughput-lenet300.txt" 2> /dev/null
rate="$(grep -E '^\| SparseVD' "$out/throughput-lenet300.txt" | head -1 | cut -d'|' -f3 | tr -d ' ')"
rows+=("ThroughputBench Sparse VD LeNet-300-100, one JVM, one thread ($limit examples)|$rate|||$load")
speed_rows "what ($n examples a train epoch)" "${rows[@]}" | tee "$out/table.md"
