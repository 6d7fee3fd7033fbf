#!/usr/bin/env bash
# bench/gpu-check.sh [--data DIR] [--limit-train N] [--seed S] [--output DIR]
#
# For a machine with an NVIDIA GPU of compute capability 3.7 to 8.9, its driver and nvidia-smi: builds sparsevd
# twice (the default CPU build and `mvn -P gpu`, ND4J's CUDA 11.6 backend), trains Sparse VD LeNet-300-100 for one
# epoch with each (one worker, the same seed and data, KL weight 1 from the start), and prints both epochs' metrics
# side by side with the examples/s. The two columns should agree to float rounding (the CUDA backend computes the KL term with ND4J ops,
# the CPU build with sparsevd's fused kernels), not bit for bit.
#   --data DIR         Fashion-MNIST IDX directory (default /usr/share/datasets/fashion-mnist)
#   --limit-train N    training images (default 0: all 60,000)
#   --seed S           run seed (default 42)
#   --output DIR       where the two builds' jars and the two runs go (default: a new directory under /tmp);
#                      must not exist
# Afterwards deploy/target/lib holds the gpu build; `mvn -q -B -DskipTests package` restores the CPU one.
# Never run on this project's machines (they have no GPU): see deploy/README.md, "GPU executors".
source "$(dirname "$0")/lib.sh"
usage() {
  echo "usage: bench/gpu-check.sh [--data DIR] [--limit-train N] [--seed S] [--output DIR]" >&2
  exit 2
}
fail() {
  echo "gpu-check: error: $*" >&2
  exit 2
}

limit=0
seed=42
out=""
while (($#)); do
  case "$1" in
    --data | --limit-train | --seed | --output) (($# >= 2)) || usage ;;&
    --data) data="$2"; shift 2 ;;
    --limit-train) limit="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --output) out="$2"; shift 2 ;;
    *) usage ;;
  esac
done
[[ "$limit" =~ ^[0-9]+$ ]] || fail "--limit-train must be a non-negative integer, got '$limit'"
[[ "$seed" =~ ^-?[0-9]+$ ]] || fail "--seed must be an integer, got '$seed'"
[[ -d "$data" ]] || fail "--data $data is not a directory"
command -v nvidia-smi > /dev/null || fail "nvidia-smi not found: this check needs an NVIDIA GPU and its driver"
# shellcheck source=../deploy/conf/gpu-guard.sh
source "$root/deploy/conf/gpu-guard.sh"
sparsevd_gpu_guard gpu-check || exit 2
if [[ -z "$out" ]]; then
  out="$(mktemp -d /tmp/sparsevd-gpu-check.XXXXXX)"
else
  [[ ! -e "$out" ]] || fail "--output $out exists"
  mkdir -p "$out"
fi

for build in cpu gpu; do
  echo "gpu-check: building the $build build" >&2
  profile=()
  [[ "$build" == gpu ]] && profile=(-P gpu)
  (cd "$root" && mvn -q -B "${profile[@]}" -DskipTests package)
  cp -r "$root/deploy/target/lib" "$out/lib-$build"
done

for build in gpu cpu; do
  echo "gpu-check: training one epoch with the $build build" >&2
  SPARSEVD_LIB="$out/lib-$build" "$root/deploy/bin/sparsevd" train --data "$data" --model lenet300 --epochs 1 \
    --limit-train "$limit" --workers 1 --seed "$seed" --kl-zero-epochs 0 --kl-ramp-epochs 0 --output "$out/run-$build"
done

python3 - "$out/run-gpu/metrics.jsonl" "$out/run-cpu/metrics.jsonl" <<'PY'
import json, sys
gpu, cpu = (json.loads(open(p).readline()) for p in sys.argv[1:])
for m in (gpu, cpu):
    m["examples_per_s"] = m["train_examples"] / m["seconds"]
print(f"{'epoch 1':<16}{'GPU':>16}{'CPU':>16}")
for k in ["examples_per_s", "seconds", "kl_weight", "data_loss", "kl", "sgvlb", "test_accuracy", "compression"]:
    print(f"{k:<16}{gpu[k]:>16.6g}{cpu[k]:>16.6g}")
PY
echo "gpu-check: runs in $out" >&2
