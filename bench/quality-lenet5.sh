#!/usr/bin/env bash
# bench/quality-lenet5.sh [OUT_DIR] [TRAIN_EXAMPLES] [EPOCHS]: LeNet-5 on Fashion-MNIST, every run EPOCHS epochs
# (default 6) on TRAIN_EXAMPLES training examples (default 5000; sparsevd: a seeded random subset, the reference:
# the first ones), tested on all 10,000 test images:
#   1. sparsevd --variant plain (plain DL4J layers),
#   2. sparsevd --variant sparsevd from scratch (KL weight 0 for 1 epoch, then linear to 1 over 2 epochs),
#   3. sparsevd --variant sparsevd --init-from the plain model of 1 (the paper's protocol; KL ramp over 2 epochs),
#   4. the PyTorch reference (torch_sparsevd.py --model lenet5) with its own "paper" schedule, the only one it has
#      besides "colab": KL weight 0 for 5 epochs, then linear to 1 at epoch 20.
# Prints the table. Needs python3-torch, dataset-fashion-mnist and a built tree (mvn -q -B -DskipTests package).
source "$(dirname "$0")/lib.sh"
bench_args "out=$root/bench/results/lenet5-fashion" examples=5000 epochs=6 -- "$@"
mkdir -p "$out"
tmp="$(mktemp -d)"
train() {
  local name="$1"; shift
  "$root/deploy/bin/sparsevd" train --model lenet5 --data "$data" --limit-train "$examples" --epochs "$epochs" \
    --output "$tmp/$name" "$@"
  cp "$tmp/$name/metrics.jsonl" "$out/$name-metrics.jsonl"
  cp "$tmp/$name/run.json" "$out/$name-run.json"
}
train plain --variant plain
train sparsevd --kl-zero-epochs 1 --kl-ramp-epochs 2
train sparsevd-init --init-from "$tmp/plain/model.zip" --kl-zero-epochs 0 --kl-ramp-epochs 2
OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}" /usr/bin/python3 "$root/../shared/reference/torch_sparsevd.py" --data "$data" \
  --model lenet5 --epochs "$epochs" --train-limit "$examples" --schedule paper --threads 2 > "$out/torch-reference.jsonl"
"$root/bench/compare_quality.py" "$out/sparsevd-metrics.jsonl" "$out/torch-reference.jsonl" \
  "--variant plain=$out/plain-metrics.jsonl" "--init-from plain=$out/sparsevd-init-metrics.jsonl"
rm -rf "$tmp"
