#!/usr/bin/env bash
# bench/report-cost.sh [DATA_DIR] [EPOCHS]: what `train --report` costs. Trains LeNet-300-100 (the defaults) on the
# whole training set with --report and prints, per epoch, the epoch's wall time (`seconds` of metrics.jsonl:
# training and evaluation) and the time the driver then spent rewriting the report (its "Report ... (X s)" log
# line), as a markdown table. Build first: mvn -q -B -DskipTests package
source "$(dirname "$0")/lib.sh"
bench_args "data=$data" epochs=3 -- "$@"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/deploy/bin/sparsevd" train --data "$data" --epochs "$epochs" --kl-zero-epochs 1 --kl-ramp-epochs 2 \
  --report --output "$work/run" < /dev/null 2> "$work/log" || { cat "$work/log" >&2; exit 1; }
python3 - "$work/run/metrics.jsonl" "$work/log" <<'PY'
import json, re, sys
epochs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
reports = [float(m.group(1)) for m in re.finditer(r"INFO\s+TrainJob: Report \S+ \(([0-9.]+) s\)", open(sys.argv[2]).read())]
if len(reports) != len(epochs) + 1:
    sys.exit(f"report-cost.sh: expected {len(epochs) + 1} report lines, found {len(reports)}")
print("| epoch | epoch s (train + test) | report s | report / epoch |")
print("|---:|---:|---:|---:|")
for m, r in zip(epochs, reports):
    print(f"| {m['epoch']} | {m['seconds']:.1f} | {r:.2f} | {100 * r / m['seconds']:.1f}% |")
print(f"| final (no reload) | | {reports[-1]:.2f} | |")
PY
