#!/usr/bin/env bash
# bench/sweep-selection.sh [OUT_DIR] [EPOCHS] [PRUNE_AFTER] [LIMIT_TRAIN]: the validation-selected sweep and its
# early stopping. LeNet-300-100 on a seeded LIMIT_TRAIN-image subset of Fashion-MNIST (default 20,000), a tenth of it
# held out for validation (stratified by class, per seed), 3 KL weights x 5 thresholds x 3 seeds, EPOCHS epochs (default 15; KL weight 0 for a fifth of
# them, then a ramp over the next two fifths). The same sweep runs twice, back to back: every run to its last epoch,
# then with --prune median --prune-after PRUNE_AFTER (default: the second epoch with a non-zero KL weight; before
# it the runs of a seed differ little). Prints the selected point (validation and test
# accuracy, mean +- std over the seeds) against the sweep's best-on-test point, and the epochs and wall time each
# sweep took (bench/sweep_table.py). Needs dataset-fashion-mnist and a built tree (mvn -q -B -DskipTests package).
source "$(dirname "$0")/lib.sh"
bench_args "out=$root/bench/results/sweep-selection" epochs=15 after= limit=20000 -- "$@"
zero=$((epochs / 5))
ramp=$((2 * epochs / 5))
after="${after:-$((zero + 2))}"
mkdir -p "$out"
common=(--data /usr/share/datasets/fashion-mnist --model lenet300 --limit-train "$limit" --validation "$((limit / 10))"
  --kl-weights 0.1,0.3,1 --thresholds 1,2,3,4,5 --seeds 42,7,13 --epochs "$epochs" --kl-zero-epochs "$zero"
  --kl-ramp-epochs "$ramp" --workers 2 --max-accuracy-drop 1.0)
for variant in full pruned; do
  extra=()
  [[ "$variant" == pruned ]] && extra=(--prune median --prune-after "$after")
  rm -rf "${out:?}/$variant"
  start=$(date +%s)
  "$root/deploy/bin/sparsevd" sweep "${common[@]}" "${extra[@]}" --output "$out/$variant" \
    < /dev/null > "$out/$variant.log" 2>&1
  echo "$(( $(date +%s) - start ))" > "$out/$variant.wall_seconds"
done
python3 "$root/bench/sweep_table.py" "$out/full" "$out/pruned"
