#!/usr/bin/env python3
"""Compares sweeps that differ only in how they ran (e.g. --parallel 1 and --parallel 2).

Usage: sweep_compare.py SWEEP_DIR...
Prints a markdown table of each sweep's wall time (DIR.wall_seconds, if present), training runs and summed epoch
seconds, then whether every sweep's sweep.jsonl and runs/*/metrics.jsonl equal the first's, line for line, without
the wall times and the Spark application id.
"""
import json
import os
import sys

TIMES = {"seconds", "elapsed_seconds", "train_seconds", "finished_at", "spark_application_id"}


def without_times(line):
    node = json.loads(line)
    for n in (node, node.get("provenance", {})):
        for k in TIMES:
            n.pop(k, None)
    return json.dumps(node, sort_keys=True)


def outcome(sweep):
    lines = [without_times(l) for l in open(os.path.join(sweep, "sweep.jsonl")) if l.strip()]
    runs = sorted(os.listdir(os.path.join(sweep, "runs")))
    for run in runs:
        lines.append(run)
        lines += [without_times(l) for l in open(os.path.join(sweep, "runs", run, "metrics.jsonl")) if l.strip()]
    return lines, runs


def epoch_seconds(sweep, runs):
    total = 0.0
    for run in runs:
        for l in open(os.path.join(sweep, "runs", run, "metrics.jsonl")):
            if l.strip():
                total += json.loads(l)["seconds"]
    return total


def main(dirs):
    first, _ = outcome(dirs[0])
    print("| sweep | wall time (s) | training runs | summed epoch time (s) | rows | rows and metrics equal the first's |")
    print("|---|---:|---:|---:|---:|:-:|")
    for d in dirs:
        lines, runs = outcome(d)
        wall_file = d.rstrip("/") + ".wall_seconds"
        wall = open(wall_file).read().strip() if os.path.exists(wall_file) else "?"
        rows = sum(1 for l in open(os.path.join(d, "sweep.jsonl")) if l.strip())
        print("| %s | %s | %d | %.1f | %d | %s |" % (os.path.basename(d.rstrip("/")), wall, len(runs),
                                                  epoch_seconds(d, runs), rows, "yes" if lines == first else "NO"))


if __name__ == "__main__":
    main(sys.argv[1:])
