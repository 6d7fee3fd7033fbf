#!/usr/bin/env bash
# Issue 14 measurements on the whole-set 20-epoch LeNet-5 run: exports at conv bits 8 (default), 6, 5; SizeBound;
# EngineBench (one thread, interleaved rounds). Run from the build at /work/run-b462.
set -uo pipefail
cd /work/run-b462
RUN=/work/study/lenet5-60k-20ep-s8
OUT=/work/study/i14
export OMP_NUM_THREADS=1 SPARSEVD_BLAS_THREADS=1 SPARSEVD_DRIVER_MEMORY=4g
for b in 8 5 6; do
  echo "== export --bits-conv $b  $(date +%T)  $(uptime)"
  rm -f $OUT/lenet5-c$b.svdm $OUT/lenet5-c$b.svdm.json
  /usr/bin/time -v deploy/bin/sparsevd export --input $RUN --output $OUT/lenet5-c$b.svdm --bits-conv $b < /dev/null > $OUT/export-c$b.txt 2> $OUT/export-c$b.err
  echo "exit $? $(date +%T)"
  cat $OUT/export-c$b.txt
  bench/run.sh SizeBound $OUT/lenet5-c$b.svdm > $OUT/sizebound-c$b.txt 2>&1; cat $OUT/sizebound-c$b.txt
  if [[ $b == 8 ]]; then
    echo "== EngineBench $(date +%T)  $(uptime)"
    bench/run.sh EngineBench $RUN $OUT/lenet5-c8.svdm /usr/share/datasets/fashion-mnist 1000 3 > $OUT/enginebench-lenet5.txt 2>&1
    cat $OUT/enginebench-lenet5.txt
  fi
done
echo "== done $(date +%T)  $(uptime)"
