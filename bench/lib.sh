# bench/lib.sh: what the bench scripts share. Each sources it first:
#   source "$(dirname "$0")/lib.sh"
# It sets the shell options (-euo pipefail, inherit_errexit), root (this tree) and data (the Fashion-MNIST IDX
# directory: $SPARSEVD_BENCH_DATA, else the installed copy), and defines bench_args, bench_train and speed_rows.
set -euo pipefail
shopt -s inherit_errexit  # a failing command inside $(...) fails the substitution, and so the script
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${SPARSEVD_BENCH_DATA:-/usr/share/datasets/fashion-mnist}"

# bench_args NAME=DEFAULT... -- "$@": the script's positional arguments by place. Sets each NAME to the argument at
# its place, or to DEFAULT when it is absent or empty; a DEFAULT of "?MESSAGE" makes it required (MESSAGE, the
# script's usage, on stderr and exit 2 when it is missing).
bench_args() {
  local specs=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do specs+=("$1"); shift; done
  [[ $# -gt 0 ]] && shift
  local spec name default value
  for spec in "${specs[@]}"; do
    name="${spec%%=*}"
    default="${spec#*=}"
    value="${1:-}"
    [[ $# -gt 0 ]] && shift
    if [[ -z "$value" && "$default" == \?* ]]; then
      echo "${default#\?}" >&2
      exit 2
    fi
    printf -v "$name" '%s' "${value:-$default}"
  done
}

# bench_train DIR TREE DATA [train options...]: one `sparsevd train` run of TREE's build (its deploy/bin/sparsevd),
# $BENCH_EPOCHS (default 4, at least 3) epochs of DATA, the KL term off in epoch 1 and at its full weight from epoch 2
# on (--kl-zero-epochs 0 --kl-ramp-epochs 1), its output, Spark event log and peak RSS (/usr/bin/time) under DIR
# (emptied first; $BENCH_JAVA_OPTS are added to the JVM's options). Prints "EXAMPLES STEADY EPOCH2 PEAK_RSS_MB": the
# training examples, the examples/s of the training parts of epochs 3 to the last (all their examples over all their
# seconds) and of epoch 2's alone (bench/spark_rounds.py on the event log: an epoch's first round's job submitted to
# its last one's end; evaluation is outside it). Epoch 2 is the first with the KL term, so it also pays for the JIT
# compiling the KL kernel (seconds on 2 cores); until session 13 the scripts timed epoch 2 alone. rounds.md is the
# last epoch's.
bench_train() {
  local dir="$1" tree="$2" train_data="$3"; shift 3
  local epochs="${BENCH_EPOCHS:-4}"
  ((epochs >= 3)) || { echo "bench_train: BENCH_EPOCHS must be at least 3, got $epochs" >&2; return 2; }
  rm -rf "$dir"; mkdir -p "$dir/events"
  dir="$(cd "$dir" && pwd)"  # Spark's event log wants an absolute path
  SPARSEVD_DRIVER_MEMORY=4g SPARSEVD_JAVA_OPTS="-Dspark.eventLog.enabled=true -Dspark.eventLog.dir=file://$dir/events \
${BENCH_JAVA_OPTS:-}" /usr/bin/time -f '%M' -o "$dir/max-rss-kb" "$tree/deploy/bin/sparsevd" train --data "$train_data" \
    --epochs "$epochs" --kl-zero-epochs 0 --kl-ramp-epochs 1 "$@" --output "$dir/run" > "$dir/stdout.txt" \
    2> "$dir/stderr.txt"
  local log e seconds=() n
  log="$(ls "$dir"/events/* | head -1)"
  for ((e = 2; e <= epochs; e++)); do
    python3 "$root/bench/spark_rounds.py" "$log" "$e" > "$dir/rounds.md"
    seconds+=("$(sed -n 's/.*training part \([0-9.]*\) s.*/\1/p' "$dir/rounds.md")")
  done
  n="$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["train_examples"])' "$dir/run/metrics.jsonl")"
  python3 -c 'import sys; n = int(sys.argv[1]); s = [float(x) for x in sys.argv[3:]]
print(n, round(n * len(s[1:]) / sum(s[1:])), round(n / s[0]), int(sys.argv[2]) // 1024)' \
    "$n" "$(cat "$dir/max-rss-kb")" "${seconds[@]}"
}

# speed_rows WHAT_HEADER ROW...: the speed scripts' table, one "what|examples/s|epoch 2's examples/s|peak RSS MB|load"
# ROW a line (bench_train's figures; other rows leave the epoch 2 column empty).
speed_rows() {
  echo "| $1 | examples/s (epochs 3+) | epoch 2 (first with KL) | peak RSS (MB) | load average (1/5/15 min) at start |"
  echo "|---|---:|---:|---:|---|"
  shift
  local row what rate first rss load
  for row in "$@"; do
    IFS='|' read -r what rate first rss load <<< "$row"
    echo "| $what | $rate | $first | $rss | $load |"
  done
}
