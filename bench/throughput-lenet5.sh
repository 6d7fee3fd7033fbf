#!/usr/bin/env bash
# bench/throughput-lenet5.sh [EXAMPLES] [REPEATS]: single-JVM training throughput of Sparse VD LeNet-5 and the
# plain DL4J LeNet-5 (ThroughputBench, best of REPEATS passes over EXAMPLES Fashion-MNIST examples, default 3000 and
# 2), then the PyTorch reference's LeNet-5 on the same number of examples (best of 2 epochs; its step always
# computes the KL term). Run with OMP_NUM_THREADS=2 SPARSEVD_BLAS_THREADS=1 on an otherwise idle machine.
source "$(dirname "$0")/lib.sh"
bench_args examples=3000 repeats=2 -- "$@"
"$root/bench/run.sh" ThroughputBench "$data" "$examples" "$repeats" lenet5
echo
echo "| network | examples/s |"
echo "|---|---|"
OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}" /usr/bin/python3 "$root/../shared/reference/torch_sparsevd.py" --data "$data" \
  --model lenet5 --epochs 2 --train-limit "$examples" --threads "${OMP_NUM_THREADS:-2}" \
  | python3 -c '
import json, sys
rates = [json.loads(l)["ex_per_s"] for l in sys.stdin if "ex_per_s" in l]
print("| PyTorch reference lenet5 (Sparse VD, best of %d epochs) | %.0f |" % (len(rates), max(rates)))'
