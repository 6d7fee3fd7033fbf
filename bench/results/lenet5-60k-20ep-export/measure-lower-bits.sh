#!/usr/bin/env bash
set -uo pipefail
cd /work/run-b462
RUN=/work/study/lenet5-60k-20ep-s8
OUT=/work/study/i14
export OMP_NUM_THREADS=1 SPARSEVD_BLAS_THREADS=1 SPARSEVD_DRIVER_MEMORY=4g
for bc in "4 5" "3 4"; do
  set -- $bc; d=$1; c=$2
  echo "== export --bits-dense $d --bits-conv $c  $(date +%T)  $(uptime)"
  deploy/bin/sparsevd export --input $RUN --output $OUT/lenet5-d$d-c$c.svdm --bits-dense $d --bits-conv $c < /dev/null > $OUT/export-d$d-c$c.txt 2> $OUT/export-d$d-c$c.err
  echo "exit $? $(date +%T)"
  cat $OUT/export-d$d-c$c.txt
done
echo "== done $(date +%T)  $(uptime)"
