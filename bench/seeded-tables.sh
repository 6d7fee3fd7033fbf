#!/usr/bin/env bash
# bench/seeded-tables.sh OUT_DIR [PARTS]: the README's comparison tables with a validation split and 3 seeds
# (42, 7, 13), every sparsevd point as the mean +- sample std over the seeds (sparsevd sweep with --seeds, a tenth of
# each seed's training set held out by --validation, stratified by class and never trained on), the PyTorch
# reference once per seed. PARTS (default "lenet300 lenet300-torch lenet5-20k lenet5-20k-plain lenet5-20k-torch")
# chooses what runs, one after another; the table (bench/seeded_table.py) is printed from whatever OUT_DIR holds.
#   lenet300          LeNet-300-100, all 60,000 training images (54,000 trained on), 20 epochs, the defaults (KL
#                     weight 0 in epochs 1-6, then a 15-epoch ramp to 1; threshold 3)
#   lenet300-torch    the reference on the first 54,000 training images (it has no validation split; the same
#                     number of examples), the paper's schedule
#   lenet5-20k        LeNet-5 on a seeded 20,000-image subset per seed (18,000 trained on), 20 epochs, KL weights 0.3
#                     and 1 x thresholds 1 and 3: the paper's point (1, 3) and the rule's choice among the four
#   lenet5-20k-plain  plain LeNet-5 on the same subsets and validation sets
#   lenet5-20k-torch  the reference on the first 18,000 training images, KL weight 1 (paper schedule)
#   lenet5-60k-plain  plain LeNet-5 on all 60,000 training images (54,000 trained on), 20 epochs: the README's
#                     whole-set row (21-24 minutes a seed on 2 quiet cores, measured 2026-12-02)
#   lenet5-60k        Sparse VD LeNet-5 on the same, the paper's KL weight 1 x thresholds 1 and 3 (3 runs; 36-37
#                     minutes a run on 2 quiet cores, measured 2026-12-02)
#   sweep20k          README's sweep spec as it is (deploy/examples/sweep-fashion-mnist.yaml: LeNet-300-100 on a
#                     20,000-image subset, KL weights 0.1, 0.3, 1 x thresholds 1-5 x the spec's 3 seeds, 15 epochs)
#   sweep20k-pruned   the same with --prune median --prune-after 11, the first epoch at the full KL weight of the
#                     spec's schedule (0 in epochs 1-4, then a 7-epoch ramp); bench/sweep_table.py compares the two
#                     (their wall times in OUT_DIR/NAME.wall_seconds, written when a sweep ran from its start)
# The sweeps are resumable: rerunning the script with the same OUT_DIR continues them; a reference seed is rerun
# unless its output is complete. Time on this 2-core machine: lenet300 about 15 minutes a seed (shared, load 4-7);
# lenet300-torch about 21 minutes a seed quiet, over an hour under load; lenet5-20k about 13 minutes a run
# alone at nice 5 (5 of its 6 runs 773-808 s, the first 1,391 s beside other work: train_seconds in
# bench/results/seeded-lenet5-20k-20ep/lenet5-20k/sweep.csv).
# Needs python3-torch (for /usr/bin/python3), dataset-fashion-mnist and a built tree.
source "$(dirname "$0")/lib.sh"
bench_args "out=?usage: bench/seeded-tables.sh OUT_DIR [PARTS]" \
  "parts=lenet300 lenet300-torch lenet5-20k lenet5-20k-plain lenet5-20k-torch" -- "$@"
seeds=(42 7 13)
mkdir -p "$out"
sweep() {
  local name="$1"; shift
  "$root/deploy/bin/sparsevd" sweep --data "$data" --seeds "$(IFS=,; echo "${seeds[*]}")" --epochs 20 \
    --kl-zero-epochs 5 --kl-ramp-epochs 15 "$@" --output "$out/$name" < /dev/null >> "$out/$name.log" 2>&1
}
spec_sweep() {
  local name="$1"; shift
  local fresh=1 start
  [[ -e "$out/$name" ]] && fresh=0
  start=$(date +%s)
  "$root/deploy/bin/sparsevd" sweep --spec "$root/deploy/examples/sweep-fashion-mnist.yaml" --data "$data" "$@" \
    --output "$out/$name" < /dev/null >> "$out/$name.log" 2>&1
  (( fresh )) && echo "$(( $(date +%s) - start ))" > "$out/$name.wall_seconds"
  return 0
}
torch() {
  local name="$1" limit="$2"; shift 2
  local seed
  for seed in "${seeds[@]}"; do
    [[ -s "$out/$name-seed-$seed.jsonl" ]] && grep -q '"summary"' "$out/$name-seed-$seed.jsonl" && continue
    OMP_NUM_THREADS=2 /usr/bin/python3 "$root/../shared/reference/torch_sparsevd.py" --data "$data" --epochs 20 \
      --schedule paper --threads 2 --train-limit "$limit" --seed "$seed" "$@" > "$out/$name-seed-$seed.jsonl.tmp"
    mv "$out/$name-seed-$seed.jsonl.tmp" "$out/$name-seed-$seed.jsonl"
  done
}
for part in $parts; do
  case "$part" in
    lenet300) sweep lenet300 --model lenet300 --validation 0.1 --kl-weights 1 --thresholds 3 ;;
    lenet300-torch) torch lenet300-torch 54000 --model lenet300 ;;
    lenet5-20k) sweep lenet5-20k --model lenet5 --limit-train 20000 --validation 2000 --kl-weights 0.3,1 \
        --thresholds 1,3 ;;
    lenet5-20k-plain) sweep lenet5-20k-plain --model lenet5 --variant plain --limit-train 20000 --validation 2000 \
        --kl-weights 1 --thresholds 3 ;;
    lenet5-20k-torch) torch lenet5-20k-torch 18000 --model lenet5 ;;
    lenet5-60k-plain) sweep lenet5-60k-plain --model lenet5 --variant plain --validation 0.1 --kl-weights 1 \
        --thresholds 3 ;;
    lenet5-60k) sweep lenet5-60k --model lenet5 --validation 0.1 --kl-weights 1 --thresholds 1,3 ;;
    sweep20k) spec_sweep sweep20k ;;
    sweep20k-pruned) spec_sweep sweep20k-pruned --prune median --prune-after 11 ;;
    *) echo "seeded-tables.sh: unknown part '$part' (known: lenet300 lenet300-torch lenet5-20k lenet5-20k-plain" \
         "lenet5-20k-torch lenet5-60k-plain lenet5-60k sweep20k sweep20k-pruned)" >&2; exit 2 ;;
  esac
done
python3 "$root/bench/seeded_table.py" "$out" | tee "$out/table.md"
if [[ -s "$out/sweep20k/best.json" && -s "$out/sweep20k-pruned/best.json" ]]; then
  python3 "$root/bench/sweep_table.py" "$out/sweep20k" "$out/sweep20k-pruned" | tee "$out/sweep20k-table.md"
fi
