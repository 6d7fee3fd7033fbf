#!/usr/bin/env bash
# bench/profile-round.sh OUT_DIR [train options...]: one `sparsevd train` run (default: LeNet-300-100, 2 epochs of
# the whole Fashion-MNIST training set, KL term on from epoch 2) under Java Flight Recorder and with Spark's event
# log, then where the time of the last epoch went. PROFILE_EPOCHS=E trains E epochs (default 2): epoch 2 is the
# first with the KL term and also pays for the JIT compiling the KL kernel, so a steady epoch wants E >= 4.
#   - bench/spark_rounds.py: a round's (averaging round or all-reduce stage) wall time split into its Spark jobs and
#     the driver's time between them, and the fit job's tasks split into Spark's task metrics;
#   - bench/jfr_profile.py: JFR's samples (Java and native) of that epoch's training part, of the driver thread and of
#     the executor threads (local mode: the workers are threads of the same JVM), by phase and by leaf method.
# Extra options replace the defaults' model options, e.g. `bench/profile-round.sh /tmp/p5 --model lenet5 --limit-train 12000`.
# BENCH_TREE=DIR runs another tree's build (e.g. a clone of an earlier commit) with this tree's scripts.
# Build first: mvn -q -B -DskipTests package
source "$(dirname "$0")/lib.sh"
bench_args "out=?usage: bench/profile-round.sh OUT_DIR [train options...]" -- "$@"
shift
rm -rf "$out"
mkdir -p "$out/events"
opts=("$@")
((${#opts[@]})) || opts=(--model lenet300)
epochs="${PROFILE_EPOCHS:-2}"
SPARSEVD_DRIVER_MEMORY=4g SPARSEVD_JAVA_OPTS="-Dspark.eventLog.enabled=true -Dspark.eventLog.dir=file://$out/events \
-XX:StartFlightRecording=filename=$out/train.jfr,settings=profile,dumponexit=true" \
  "${BENCH_TREE:-$root}/deploy/bin/sparsevd" train --data "$data" --epochs "$epochs" --kl-zero-epochs 0 --kl-ramp-epochs 1 \
  "${opts[@]}" --output "$out/run" > "$out/stdout.txt" 2> "$out/stderr.txt"
log="$(ls "$out"/events/* | head -1)"
echo "train ${opts[*]}: $(grep -c '"epoch"' "$out/run/metrics.jsonl") epochs; uptime: $(uptime)"
echo
python3 "$root/bench/spark_rounds.py" "$log" "$epochs" | tee "$out/rounds.md"
echo
read -r from to < <(sed -n 's/.*window \([0-9]*\) \([0-9]*\) ms.*/\1 \2/p' "$out/rounds.md")
python3 "$root/bench/jfr_profile.py" "$out/train.jfr" "$from" "$to"
