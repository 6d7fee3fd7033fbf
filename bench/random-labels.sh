#!/usr/bin/env bash
# bench/random-labels.sh [OUT_DIR] [TRAIN_EXAMPLES] [EPOCHS] [FRACTION]: the random-labels experiment of the review
# (Zhang et al.'s memorization test) with LeNet-5 on Fashion-MNIST: FRACTION (default 0.5) of the training labels
# replaced by random ones (seeded; test labels untouched), trained as Sparse VD (the paper's KL schedule: weight 0
# for 5 epochs, then linear to 1 at epoch 20), with binary dropout (p = 0.5) and plain, for EPOCHS epochs
# (default 40) on TRAIN_EXAMPLES examples (default 10000); then prints train accuracy (on the partly random
# labels), test accuracy and per-layer sparsity of each final model (RunAccuracy). Needs dataset-fashion-mnist and a
# built tree.
source "$(dirname "$0")/lib.sh"
bench_args "out=$root/bench/results/random-labels" examples=10000 epochs=40 fraction=0.5 -- "$@"
mkdir -p "$out"
for variant in sparsevd dropout plain; do
  rm -rf "$out/$variant"
  "$root/deploy/bin/sparsevd" train --model lenet5 --variant "$variant" --data "$data" --limit-train "$examples" \
    --random-labels "$fraction" --epochs "$epochs" --kl-zero-epochs 5 --kl-ramp-epochs 15 --output "$out/$variant" \
    > "$out/$variant.log" 2>&1
  rm -f "$out/$variant/metrics.csv"
done
"$root/bench/run.sh" RunAccuracy "$out/sparsevd" "$out/dropout" "$out/plain"
