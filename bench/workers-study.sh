#!/usr/bin/env bash
# bench/workers-study.sh [OUT_DIR]: does data-parallel Sparse VD (LeNet-300-100, Spark local mode) train the
# one-worker model? Runs the rows below one after another (sparsevd's defaults otherwise: Adam 1e-3, the paper's KL
# schedule, threshold 3, seed 42), then the PyTorch reference on the same data, and prints the table
# (bench/workers_table.py). Data: "8k" is the first 8,000 Fashion-MNIST training images (idx_subset.py, so the
# reference trains on exactly the same examples), "60k" the whole set; the test set is always the whole 10,000.
# A row is NAME DATA EPOCHS WORKERS BATCH SYNC F LR, BATCH being --batch-size, the global minibatch split over the
# workers, SYNC --sync (allreduce: the workers' gradients summed every step; average: parameter averaging every F
# steps; F is "-" for allreduce). The old per-worker meaning of batch 100 is BATCH = 100 x WORKERS with average (the
# same minibatches, rounds and averaging as before). With one worker both SYNCs are one JVM's training here (F = 10
# divides the 80 and 600 steps of an epoch). ROWS
# (default: all, in this order) chooses rows by name; a row whose metrics are already in OUT_DIR is not run again.
# The workers are threads of one JVM: 4 workers share 2 cores, so only quality is comparable across worker counts;
# examples/s is comparable between rows of the same worker count run back to back.
# Needs python3-torch, dataset-fashion-mnist and a built tree (mvn -q -B -DskipTests package).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/bench/results/workers-study}"
all_rows=(
  # name                 data epochs workers batch sync      F  lr
  "8k-w1                 8k   50     1       100   average   10 0.001"
  "8k-w2-global          8k   50     2       100   average   10 0.001"
  "8k-w4-global          8k   50     4       100   average   10 0.001"
  "60k-w1                60k  20     1       100   average   10 0.001"
  "60k-w2-global         60k  20     2       100   average   10 0.001"
  "60k-w4-global         60k  20     4       100   average   10 0.001"
  "8k-w2-perworker       8k   50     2       200   average   10 0.001"
  "8k-w4-perworker       8k   50     4       400   average   10 0.001"
  "60k-w2-perworker      60k  20     2       200   average   10 0.001"
  "8k-w4-global-f1       8k   50     4       100   average   1  0.001"
  "8k-w4-global-f40      8k   50     4       100   average   40 0.001"
  "8k-w2-perworker-lr2x  8k   50     2       200   average   10 0.002"
  "8k-w4-perworker-lr4x  8k   50     4       400   average   10 0.004"
  "60k-w4-perworker      60k  20     4       400   average   10 0.001"
  "8k-w2-allreduce       8k   50     2       100   allreduce -  0.001"
  "8k-w4-allreduce       8k   50     4       100   allreduce -  0.001"
  "60k-w2-allreduce      60k  20     2       100   allreduce -  0.001"
  "60k-w4-allreduce      60k  20     4       100   allreduce -  0.001"
)
rows="${ROWS:-$(for r in "${all_rows[@]}"; do echo "${r%% *}"; done) reference-8k reference-60k}"
names=" reference-8k reference-60k $(for r in "${all_rows[@]}"; do echo -n "${r%% *} "; done)"
for want in $rows; do
  [[ "$names" == *" $want "* ]] || { echo "workers-study.sh: unknown row '$want' in ROWS (known:$names)" >&2; exit 2; }
done
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/bench/idx_subset.py" /usr/share/datasets/fashion-mnist "$tmp/8k" 8000
data_dir() { case "$1" in 8k) echo "$tmp/8k" ;; 60k) echo /usr/share/datasets/fashion-mnist ;; esac; }
for want in $rows; do
  [[ -s "$out/$want-metrics.jsonl" || -s "$out/$want.jsonl" ]] && continue
  case "$want" in
    reference-8k|reference-60k)
      d="${want#reference-}"; e=$([[ "$d" == 8k ]] && echo 50 || echo 20)
      OMP_NUM_THREADS=2 /usr/bin/python3 "$root/../shared/reference/torch_sparsevd.py" --data "$(data_dir "$d")" \
        --model lenet300 --epochs "$e" --schedule paper --threads 2 > "$tmp/$want.jsonl"
      mv "$tmp/$want.jsonl" "$out/$want.jsonl"
      continue ;;
  esac
  for r in "${all_rows[@]}"; do
    read -r name d epochs workers batch sync f lr <<< "$r"
    [[ "$name" == "$want" ]] || continue
    averaging=()
    [[ "$sync" == average ]] && averaging=(--averaging-frequency "$f")
    "$root/deploy/bin/sparsevd" train --data "$(data_dir "$d")" --epochs "$epochs" --workers "$workers" \
      --batch-size "$batch" --sync "$sync" "${averaging[@]}" --lr "$lr" --output "$tmp/$name" > "$out/$name.log" 2>&1
    cp "$tmp/$name/run.json" "$out/$name-run.json"
    cp "$tmp/$name/metrics.jsonl" "$out/$name-metrics.jsonl"
  done
done
"$root/bench/workers_table.py" "$out"
