#!/usr/bin/env bash
# bench/quality-lenet5.sh [OUT_DIR] [TRAIN_EXAMPLES] [EPOCHS]: LeNet-5 on Fashion-MNIST with the same budget for
#   1. sparsevd --variant sparsevd (KL weight 0 for 1 epoch, then linear to 1 over 4 epochs),
#   2. sparsevd --variant plain (the same network with plain DL4J layers),
#   3. the PyTorch reference (torch_sparsevd.py --model lenet5; its own "paper" schedule, the only one it has
#      besides "colab": KL weight 0 for 5 epochs, then linear to 1 at epoch 20),
# on TRAIN_EXAMPLES training examples (default 5000: sparsevd a seeded random subset, the reference the first ones)
# for EPOCHS epochs (default 10), tested on all 10,000 test images; prints the table. Needs python3-torch,
# dataset-fashion-mnist and a built tree (mvn -q -B -DskipTests package).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/bench/results/lenet5-fashion}"
examples="${2:-5000}"
epochs="${3:-10}"
data=/usr/share/datasets/fashion-mnist
mkdir -p "$out"
tmp="$(mktemp -d)"
for variant in sparsevd plain; do
  "$root/deploy/bin/sparsevd" train --model lenet5 --variant "$variant" --data "$data" --limit-train "$examples" \
    --epochs "$epochs" --kl-zero-epochs 1 --kl-ramp-epochs 4 --output "$tmp/$variant"
  cp "$tmp/$variant/metrics.jsonl" "$out/$variant-metrics.jsonl"
  cp "$tmp/$variant/run.json" "$out/$variant-run.json"
done
OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}" /usr/bin/python3 "$root/../shared/reference/torch_sparsevd.py" --data "$data" \
  --model lenet5 --epochs "$epochs" --train-limit "$examples" --schedule paper --threads 2 > "$out/torch-reference.jsonl"
"$root/bench/compare_quality.py" "$out/sparsevd-metrics.jsonl" "$out/torch-reference.jsonl" "$out/plain-metrics.jsonl"
rm -rf "$tmp"
