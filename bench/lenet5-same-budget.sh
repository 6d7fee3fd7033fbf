#!/usr/bin/env bash
# bench/lenet5-same-budget.sh [OUT_DIR] [TRAIN_EXAMPLES] [EPOCHS] [PRETRAIN_EPOCHS]: LeNet-5 on Fashion-MNIST under
# one budget: the first TRAIN_EXAMPLES training images (default 20000, written to a temporary IDX copy by
# idx_subset.py so that every run sees exactly the same examples), EPOCHS epochs in all (default 20), all 10,000
# test images:
#   plain      sparsevd --variant plain (plain DL4J layers, Adam 1e-3, batch 100), EPOCHS epochs;
#   sparsevd   sparsevd --variant sparsevd from scratch with the paper's KL schedule (weight 0 for 5 epochs, then
#              linear to 1 at epoch 20: the first 5 epochs pretrain the network inside the same budget);
#   reference  the PyTorch reference (torch_sparsevd.py --model lenet5 --schedule paper, the same schedule);
#   pretrained the paper's protocol with the budget split: plain for PRETRAIN_EPOCHS epochs (default 17), then
#              Sparse VD --init-from that model for the remaining EPOCHS - PRETRAIN_EPOCHS epochs (KL weight 0 in the
#              first of them, 1 after).
# TRAIN_ARGS (default none) adds options to every sparsevd run, e.g. the paper's learning-rate decay
# "--lr-decay linear --lr-final 5e-5" (1e-3 * (1 - epoch/20) over 20 epochs); the PyTorch reference has no such
# option and keeps a constant rate. RUNS (default "plain sparsevd reference pretrained") chooses the runs; the
# table (compare_quality.py) is printed from the files in OUT_DIR, so runs made earlier into the same OUT_DIR are
# shown too. Needs python3-torch, dataset-fashion-mnist and a built tree.
source "$(dirname "$0")/lib.sh"
bench_args "out=$root/bench/results/lenet5-same-budget" examples=20000 epochs=20 pretrain=17 -- "$@"
runs="${RUNS:-plain sparsevd reference pretrained}"
read -r -a train_args <<< "${TRAIN_ARGS:-}"
for run in $runs; do
  case "$run" in
    plain|sparsevd|reference|pretrained) ;;
    *) echo "lenet5-same-budget.sh: unknown run '$run' in RUNS (known: plain sparsevd reference pretrained)" >&2
       exit 2 ;;
  esac
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/bench/idx_subset.py" /usr/share/datasets/fashion-mnist "$tmp/data" "$examples"
mkdir -p "$out"
train() {
  local name="$1" epochs="$2"; shift 2
  "$root/deploy/bin/sparsevd" train --model lenet5 --data "$tmp/data" --epochs "$epochs" --output "$tmp/$name" \
    "${train_args[@]}" "$@" > "$out/$name.log" 2>&1
  cp "$tmp/$name/metrics.jsonl" "$out/$name-metrics.jsonl"
  cp "$tmp/$name/run.json" "$out/$name-run.json"
}
for run in $runs; do
  case "$run" in
    plain) train plain "$epochs" --variant plain ;;
    sparsevd) train sparsevd "$epochs" --kl-zero-epochs 5 --kl-ramp-epochs 15 ;;
    reference) OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}" /usr/bin/python3 "$root/../shared/reference/torch_sparsevd.py" \
        --data "$tmp/data" --model lenet5 --epochs "$epochs" --schedule paper --threads 2 > "$out/torch-reference.jsonl" ;;
    pretrained)
      train "plain-$pretrain" "$pretrain" --variant plain
      train "sparsevd-after-$pretrain" "$((epochs - pretrain))" --init-from "$tmp/plain-$pretrain/model.zip" \
        --kl-zero-epochs 0 --kl-ramp-epochs 1 ;;
  esac
done
# The table needs the Sparse VD run and the reference; the plain and pretrained rows are added when they exist.
for needed in sparsevd-metrics.jsonl torch-reference.jsonl; do
  if [[ ! -f "$out/$needed" ]]; then
    echo "lenet5-same-budget.sh: no table: $out has no $needed (RUNS sparsevd and reference make it)" >&2
    exit 0
  fi
done
extra=()
[[ -f "$out/plain-metrics.jsonl" ]] && extra+=("--variant plain=$out/plain-metrics.jsonl")
after="$out/sparsevd-after-$pretrain-metrics.jsonl"
[[ -f "$after" ]] && extra+=("--init-from plain-$pretrain, +$((epochs - pretrain))=$after")
"$root/bench/compare_quality.py" "$out/sparsevd-metrics.jsonl" "$out/torch-reference.jsonl" "${extra[@]}" \
  | tee "$out/table.md"
