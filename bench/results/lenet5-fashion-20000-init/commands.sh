#!/usr/bin/env bash
set -euo pipefail
cd /work/main
d=/usr/share/datasets/fashion-mnist
o=/tmp/sparsevd/l5
deploy/bin/sparsevd train --model lenet5 --variant plain --data $d --limit-train 20000 --epochs 10 --output $o/plain > $o/plain.log 2>&1
deploy/bin/sparsevd train --model lenet5 --data $d --limit-train 20000 --epochs 10 --init-from $o/plain/model.zip \
  --kl-zero-epochs 0 --kl-ramp-epochs 5 --output $o/sparsevd-init > $o/sparsevd-init.log 2>&1
echo done > $o/DONE
