#!/usr/bin/env bash
# bench/ab/step-cpu-time.sh BEFORE_TREE AFTER_TREE [ROUNDS=3] [EXAMPLES=5000] [REPEATS=3] [MODEL=lenet300|lenet5]
# A/B of Sparse VD LeNet-300-100's (or LeNet-5's) CPU time per training step (StepCpuTime.java,
# OMP_NUM_THREADS=1) between two built work trees (mvn -q -B -DskipTests package in each), run alternately ROUNDS
# times in one script run; prints each run's best ms/step and the ratio of the medians. For a shared machine, where
# wall times are too noisy.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
before="$1" after="$2" rounds="${3:-3}" examples="${4:-5000}" repeats="${5:-3}" model="${6:-lenet300}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$here/../../deploy/conf/java-opens.sh"
for side in before after; do
  tree="${!side}"
  cp_file="$tree/bench/target/classpath.txt"
  [[ -f "$cp_file" ]] || { echo "step-cpu-time: build $tree first: mvn -q -B -DskipTests package" >&2; exit 2; }
  echo "$tree/bench/target/classes:$(cat "$cp_file")" > "$work/$side.cp"
  mkdir -p "$work/$side"
  javac -nowarn -d "$work/$side" -cp "$(cat "$work/$side.cp")" "$here/StepCpuTime.java"
done
export OMP_NUM_THREADS=1
set -f  # no file-name expansion of the unquoted JVM options: the CompileCommands hold '*' patterns
for ((r = 1; r <= rounds; r++)); do
  for side in before after; do
    # shellcheck disable=SC2086
    ms="$(java -Xmx4g ${SPARK_JAVA_OPENS} ${SPARSEVD_JAVA_MODULES} ${SPARSEVD_JAVA_TUNING} -cp "$work/$side:$(cat "$work/$side.cp")" \
      StepCpuTime /usr/share/datasets/fashion-mnist "$examples" "$repeats" "$model" 2> /dev/null | tail -1)"
    echo "$side $ms" | tee -a "$work/results"
  done
done
median() { grep "^$1 " "$work/results" | cut -d' ' -f2 | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
b="$(median before)" a="$(median after)"
awk -v b="$b" -v a="$a" 'BEGIN {printf "median ms/step: before %.3f, after %.3f, after/before %.3f\n", b, a, a / b}'
