#!/usr/bin/env bash
# As run on 2026-12-01 (a record of the measurement, with this machine's paths: /work/before-conv = main at 082774a).
# `train` LeNet-5 rows as bench/speed-table.sh runs them (bench_train: 2 epochs, 12,000 images, 2 workers, epoch 2's
# training part): plain after, Sparse VD after, plain before; one after another.
source /work/wt-plainconv/bench/lib.sh
out="${1:?usage: train-rows.sh OUT_DIR}"
export OMP_NUM_THREADS=1
for row in "after plain /work/wt-plainconv --variant plain" "after sparsevd /work/wt-plainconv --variant sparsevd" "before plain /work/before-conv --variant plain"; do
  read -r side variant tree opt val <<< "$row"
  load="$(cut -d' ' -f1-3 /proc/loadavg)"; start=$(date +%T)
  result="$(bench_train "$out/$side-$variant" "$tree" "$data" --model lenet5 "$opt" "$val" --limit-train 12000)"
  echo "$side $variant | $result (examples, examples/s, peak RSS MB) | start $start load $load | end $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
done
