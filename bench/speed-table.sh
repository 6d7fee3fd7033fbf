#!/usr/bin/env bash
# bench/speed-table.sh OUT_DIR [LIMIT] [FULL] [CIFAR_LIMIT]: every row of issue 15's speed table in one run, one
# after another, so that every ratio comes from the same conditions; raw outputs under OUT_DIR, the table on stdout
# (and OUT_DIR/table.md).
#   - `train` LeNet-300-100 with the defaults (embedded local mode, 2 workers, global batch 100, --sync allreduce)
#     on FULL (default 60,000: all) Fashion-MNIST training images (8 epochs), the same with --sync average
#     (dl4j-spark parameter averaging, F = 10), and --workers 1 (with the launcher's OpenMP threads and with one);
#     --workers 1, LeNet-5 Sparse VD (also with --sync average) and --variant plain on LIMIT (default 12,000)
#     images: bench_train's epochs (lib.sh: 4, the KL term on from epoch 2); examples/s of
#     the training parts of epochs 3 and later, and of epoch 2 (the first with the KL term, JIT warm-up included),
#     from Spark's event log (bench/spark_rounds.py: the first round's job submitted to the last one's end;
#     evaluation is outside it), and the peak RSS of the whole run (/usr/bin/time);
#   - the same for vgglike --width 0.25 and alexnet, Sparse VD and --variant plain, on CIFAR_LIMIT (default 2,000)
#     images of CIFAR-format files made from Fashion-MNIST by bench/cifar_from_idx.py (no CIFAR-10 here; the
#     speed of a step does not depend on which images it sees), tested on 1,000;
#   - ThroughputBench (one JVM, OMP_NUM_THREADS=1, best of 2 passes over LIMIT images), LeNet-300-100 and LeNet-5;
#   - the PyTorch reference (/usr/bin/python3 ../shared/reference/torch_sparsevd.py --threads 2, best of 2 epochs
#     of LIMIT images), LeNet-300-100 and LeNet-5;
#   - bench/concurrent-throughput.sh: single-thread trainers alone, two JVMs at once and two threads of one JVM,
#     at minibatches of 50 (a worker's share of the defaults' 100) and 100, LeNet-300-100;
#   - FloorBench (FLOPs per example, this machine's GEMM rate, the floor) and the application jar's size.
# Build first: mvn -q -B -DskipTests package
source "$(dirname "$0")/lib.sh"
bench_args "out=?usage: bench/speed-table.sh OUT_DIR [LIMIT] [FULL] [CIFAR_LIMIT]" limit=12000 full=60000 \
  cifar_limit=2000 -- "$@"
mkdir -p "$out"
rows=()

# train ROW_NAME DATA [options]: bench_train's epochs; prints nothing, appends a speed_rows row to rows.
train() {
  local name="$1" train_data="$2"; shift 2
  local load result n rate first rss; load="$(cut -d' ' -f1-3 /proc/loadavg)"
  result="$(bench_train "$out/$name" "$root" "$train_data" "$@")"
  read -r n rate first rss <<< "$result"
  rows+=("train $name ($n examples)|$rate|$first|$rss|$load")
}

# the defaults over 8 epochs: the JIT is still speeding the workers up in epochs 3-5 (BENCHMARKS.md, "Two trainers at
# once: the baseline of the defaults' target")
BENCH_EPOCHS=8 train lenet300-defaults "$data" --model lenet300 --limit-train "$full"
train lenet300-average "$data" --model lenet300 --sync average --limit-train "$full"
# one worker on the whole set too: its epochs 3+ come after 120,000 examples, when the JIT is done, as ThroughputBench
# measures after its warm-up pass. Each --workers 1 row also with the JVM started on ThroughputBench's one OpenMP
# thread (the launcher gives one worker on 2 cores two: BENCHMARKS.md, "One worker's OpenMP threads"); since a84e124 a
# dense network's worker thread runs one either way ("A dense network's workers on one OpenMP thread"), so the two
# rows of a pair differ only in the JVM's other threads
train lenet300-workers1-full "$data" --model lenet300 --workers 1 --limit-train "$full"
OMP_NUM_THREADS=1 train lenet300-workers1-full-omp1 "$data" --model lenet300 --workers 1 --limit-train "$full"
train lenet300-workers1 "$data" --model lenet300 --workers 1 --limit-train "$limit"
OMP_NUM_THREADS=1 train lenet300-workers1-omp1 "$data" --model lenet300 --workers 1 --limit-train "$limit"
train lenet5-sparsevd "$data" --model lenet5 --limit-train "$limit"
train lenet5-sparsevd-average "$data" --model lenet5 --sync average --limit-train "$limit"
train lenet5-plain "$data" --model lenet5 --variant plain --limit-train "$limit"
cifar="$out/cifar-format-data"
python3 "$root/bench/cifar_from_idx.py" "$data" "$cifar" "$cifar_limit" 1000
for variant in sparsevd plain; do
  train "vgglike-0.25-$variant" "$cifar" --model vgglike --width 0.25 --variant "$variant"
  train "alexnet-$variant" "$cifar" --model alexnet --variant "$variant"
done

for model in lenet300 lenet5; do
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  OMP_NUM_THREADS=1 SPARSEVD_BLAS_THREADS=1 "$root/bench/run.sh" ThroughputBench "$data" "$limit" 2 "$model" \
    > "$out/throughput-$model.txt" 2> /dev/null
  while IFS='|' read -r _ network rate _; do
    rows+=("ThroughputBench, one JVM, one thread: $(echo "$network" | sed "s/^ *//; s/ *$//") ($limit examples)|$(echo "$rate" | tr -d " ")|||$load")
  done < <(grep -E '^\| (SparseVD|plain)' "$out/throughput-$model.txt")
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/python3 "$root/../shared/reference/torch_sparsevd.py" --data "$data" --model "$model" --epochs 2 \
    --train-limit "$limit" --threads 2 > "$out/torch-$model.jsonl" 2> "$out/torch-$model.stderr"
  rate="$(python3 -c 'import json,sys; print(round(max(json.loads(l)["ex_per_s"] for l in open(sys.argv[1]) if "ex_per_s" in l)))' "$out/torch-$model.jsonl")"
  rows+=("PyTorch reference $model, --threads 2 ($limit examples, best of 2 epochs)|$rate|||$load")
done

"$root/bench/concurrent-throughput.sh" "$out/concurrent" lenet300 > /dev/null
OMP_NUM_THREADS=1 SPARSEVD_BLAS_THREADS=1 "$root/bench/run.sh" FloorBench 50 2 > "$out/floor.txt" 2> /dev/null
jar="$(ls "$root"/spark-job/target/sparsevd-spark-job-*-app.jar)"

{
  speed_rows what "${rows[@]}"
  echo
  cat "$out/concurrent/table.md"
  echo
  echo "Application jar: $(basename "$jar"), $(stat -c %s "$jar") bytes"
  echo
  sed -n '/^GEMM rate/,$p' "$out/floor.txt"
} | tee "$out/table.md"
