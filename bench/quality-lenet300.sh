#!/usr/bin/env bash
# bench/quality-lenet300.sh [OUT_DIR]: LeNet-300-100 Sparse VD on the full Fashion-MNIST, 20 epochs, the paper's
# schedule, with sparsevd (embedded Spark local mode, default options) and with the PyTorch reference on the same
# data and schedule; prints the side-by-side table. Needs: apt-get install -y python3-torch dataset-fashion-mnist
# and a built tree (mvn -q -B -DskipTests package). Takes about 15 minutes on 2 cores.
source "$(dirname "$0")/lib.sh"
bench_args "out=$root/bench/results/lenet300-fashion-20ep" -- "$@"
mkdir -p "$out"
run="$(mktemp -d)/run"
"$root/deploy/bin/sparsevd" train --data "$data" --epochs 20 --output "$run"
cp "$run/metrics.jsonl" "$out/sparsevd-metrics.jsonl"
cp "$run/run.json" "$out/sparsevd-run.json"
OMP_NUM_THREADS=2 /usr/bin/python3 "$root/../shared/reference/torch_sparsevd.py" --data "$data" --model lenet300 \
  --epochs 20 --schedule paper --threads 2 > "$out/torch-reference.jsonl"
"$root/bench/compare_quality.py" "$out/sparsevd-metrics.jsonl" "$out/torch-reference.jsonl"
