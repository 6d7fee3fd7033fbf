#!/usr/bin/env bash
source /work/main/bench/lib.sh
out=/work/s9/w1-60k; mkdir -p $out
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "train --workers 1, 60000: $(bench_train $out/train /work/verify-s9 "$data" --model lenet300 --workers 1 --limit-train 60000)"
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
OMP_NUM_THREADS=1 SPARSEVD_BLAS_THREADS=1 /work/verify-s9/bench/run.sh ThroughputBench "$data" 12000 2 lenet300 2>/dev/null | tail -6
