#!/usr/bin/env bash
# allreduce vs average, W = 1, 2, LeNet-300-100 on 10,000 images; STEPS_PER_STAGE 25 (the build) and 100 (a variant jar)
set -uo pipefail
cd /work/wt-allreduce
jar=spark-job/target/sparsevd-spark-job-0.1.0-SNAPSHOT.jar
study=$(pgrep -f "java.*run-allreduce/deploy" | head -1)
[[ -n "$study" ]] && kill -STOP "$study"
trap '[[ -n "$study" ]] && kill -CONT "$study"; cp /tmp/allreduce-spj-25.jar $jar' EXIT
echo "study pid $study paused; $(uptime)"
row() { cp "/tmp/allreduce-spj-$1.jar" "$jar"; echo -n "steps/stage $1 "; ROWS="$2" bench/spark-epoch.sh /usr/share/datasets/fashion-mnist 10000 | tail -1; }
row 25 "2 100 allreduce 1"; row 25 "2 100 10 1"; row 100 "2 100 allreduce 1"
row 25 "1 100 allreduce 1"; row 25 "1 100 10 1"; row 100 "1 100 allreduce 1"
row 25 "2 100 allreduce 1"; row 25 "2 100 10 1"
echo "$(uptime)"
