#!/usr/bin/env bash
# bench/concurrent-throughput.sh OUT_DIR [MODEL] [BATCHES] [WARM_SECONDS] [TIMED_SECONDS]: what single-thread
# trainers do alone and side by side on this machine (ConcurrentThroughputBench: each its own Sparse VD network,
# nothing exchanged, OMP_NUM_THREADS=1, one BLAS thread), for each minibatch size of BATCHES (default "50 100": the
# defaults' per-worker share of the global 100, and the global minibatch):
#   - one JVM, one trainer;
#   - two JVMs at once, one trainer each (the issue's "two single-thread JVMs"), their examples/s added;
#   - one JVM, two trainer threads (as Spark's local mode runs its workers: threads of one JVM).
# Each trains WARM_SECONDS (default 25) untimed, then all time the same TIMED_SECONDS (default 20). Raw outputs under
# OUT_DIR, the table on stdout (and OUT_DIR/table.md). Build first: mvn -q -B -DskipTests package
source "$(dirname "$0")/lib.sh"
bench_args "out=?usage: bench/concurrent-throughput.sh OUT_DIR [MODEL] [BATCHES] [WARM_SECONDS] [TIMED_SECONDS]" \
  model=lenet300 batches="50 100" warm=25 timed=20 -- "$@"
mkdir -p "$out"

# bench NAME THREADS BATCH [READY_DIR PROCESSES]: one ConcurrentThroughputBench JVM, its line in OUT_DIR/NAME.txt
bench() {
  local name="$1"; shift
  OMP_NUM_THREADS=1 SPARSEVD_BLAS_THREADS=1 "$root/bench/run.sh" ConcurrentThroughputBench "$data" "$1" "$2" \
    "$model" "$warm" "$timed" "${@:3}" > "$out/$name.txt" 2> "$out/$name.stderr"
}
# total FILE...: the examples/s of the files' lines, added
total() {
  sed -n 's/.*: \([0-9]*\) examples\/s.*/\1/p' "$@" | awk '{s += $1} END {print s}'
}

rows=()
for batch in $batches; do
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  bench "alone-b$batch" 1 "$batch"
  rows+=("one JVM, one trainer|$batch|$(total "$out/alone-b$batch.txt")|$load")
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  ready="$out/ready-b$batch"; rm -rf "$ready"; mkdir -p "$ready"
  bench "two-jvms-b$batch-1" 1 "$batch" "$ready" 2 & first=$!
  bench "two-jvms-b$batch-2" 1 "$batch" "$ready" 2
  wait "$first"
  rm -rf "$ready"
  rows+=("two JVMs at once, one trainer each|$batch|$(total "$out/two-jvms-b$batch-1.txt" "$out/two-jvms-b$batch-2.txt")|$load")
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  bench "two-threads-b$batch" 2 "$batch"
  rows+=("one JVM, two trainer threads|$batch|$(total "$out/two-threads-b$batch.txt")|$load")
done

{
  echo "Sparse VD $model, single-thread trainers (OMP_NUM_THREADS=1), $warm s warm-up, then $timed s timed"
  echo
  echo "| trainers | minibatch | examples/s, all trainers | load average (1/5/15 min) at start |"
  echo "|---|---:|---:|---|"
  for row in "${rows[@]}"; do
    IFS='|' read -r what batch rate load <<< "$row"
    echo "| $what | $batch | $rate | $load |"
  done
} | tee "$out/table.md"
