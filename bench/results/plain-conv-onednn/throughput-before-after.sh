#!/usr/bin/env bash
# As run on 2026-12-01 (a record of the measurement, with this machine's paths: /work/before-conv = main at 082774a).
# before (main at 082774a, DL4J's ConvolutionLayer for plain) then after (NativeConvolutionLayer), back to back

for side in before after; do
  dir=/work/before-conv; [[ $side == after ]] && dir=/work/wt-plainconv
  echo "== $side ($(git -C $dir log --oneline -1 | cut -c1-7)) start $(date +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
  (cd $dir && OMP_NUM_THREADS=1 SPARSEVD_BLAS_THREADS=1 nice -n 5 bench/run.sh ThroughputBench /usr/share/datasets/fashion-mnist 2000 2 lenet5) 2>&1 | grep -v "^SLF4J\|WARNING"
  echo "== $side end $(date +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
