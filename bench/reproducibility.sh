#!/usr/bin/env bash
# bench/reproducibility.sh [DATA_DIR] [OUT_DIR]: runs each training configuration below twice, each run in a new JVM
# (deploy/bin/sparsevd), and prints whether the two runs' metrics.jsonl (without its time fields) and model.zip
# parameters and updater state are byte-identical. The "512-bit lanes" row compares a run with
# -Dsparsevd.simd.species=512 against the 256-bit run of the same configuration.
# Build first: mvn -q -B -DskipTests package. Takes about 10 minutes on 2 idle cores.
source "$(dirname "$0")/lib.sh"
bench_args "data=$data" out= -- "$@"
out="${out:-$(mktemp -d /tmp/sparsevd-reproducibility.XXXXXX)}"
mkdir -p "$out"
common=(--data "$data" --limit-train 2000 --epochs 2 --seed 42)

train() { # NAME JAVA_OPTS ARGS...
  local name="$1" opts="$2"
  shift 2
  SPARSEVD_JAVA_OPTS="$opts" "$root/deploy/bin/sparsevd" train "${common[@]}" "$@" --output "$out/$name" \
    > "$out/$name.log" 2>&1 || { echo "reproducibility: $name failed, see $out/$name.log" >&2; exit 1; }
}
metrics() { jq -c 'with_entries(select(.key | test("second") | not))' "$out/$1/metrics.jsonl"; }
entry() { unzip -p "$out/$1/model.zip" "$2" | sha256sum | cut -c1-16; }
same() { [[ "$1" == "$2" ]] && echo identical || echo DIFFERENT; }
compare() { # LABEL RUN_A RUN_B
  printf '| %s | %s | %s | %s |\n' "$1" "$(same "$(metrics "$2")" "$(metrics "$3")")" \
    "$(same "$(entry "$2" coefficients.bin)" "$(entry "$3" coefficients.bin)")" \
    "$(same "$(entry "$2" updaterState.bin)" "$(entry "$3" updaterState.bin)")"
}

echo "| configuration (2,000 images, 2 epochs, seed 42) | metrics.jsonl without times | parameters | updater state |"
echo "|---|---|---|---|"
sv=(--kl-zero-epochs 0 --kl-ramp-epochs 1)
for w in 2 1; do
  train "lenet300-w$w-a" "" --model lenet300 "${sv[@]}" --workers "$w"
  train "lenet300-w$w-b" "" --model lenet300 "${sv[@]}" --workers "$w"
  compare "Sparse VD LeNet-300-100, --workers $w" "lenet300-w$w-a" "lenet300-w$w-b"
done
train lenet300-w2-512 "-Dsparsevd.simd.species=512" --model lenet300 "${sv[@]}" --workers 2
compare "Sparse VD LeNet-300-100, --workers 2, 512-bit lanes vs 256-bit" lenet300-w2-a lenet300-w2-512
for variant in plain dropout; do
  train "$variant-a" "" --model lenet300 --variant "$variant"
  train "$variant-b" "" --model lenet300 --variant "$variant"
  compare "LeNet-300-100 --variant $variant" "$variant-a" "$variant-b"
done
train lenet5-a "" --model lenet5 "${sv[@]}"
train lenet5-b "" --model lenet5 "${sv[@]}"
compare "Sparse VD LeNet-5" lenet5-a lenet5-b
echo "runs in $out" >&2
