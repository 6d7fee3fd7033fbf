#!/usr/bin/env python3
"""Prints what a sparsevd sweep selected on validation accuracy against its best-on-test point, and what early
stopping saved.

Usage: sweep_table.py FULL_SWEEP_DIR [PRUNED_SWEEP_DIR]
Each directory is a sweep output (best.json, sweep.jsonl, runs/*/metrics.jsonl); DIR.wall_seconds, if present, holds
the sweep's wall time. The best-on-test point (the highest mean test accuracy over the seeds) is shown only as the
biased number a test-selected sweep would have reported.
"""
import json
import os
import statistics
import sys


def rows(sweep):
    return [json.loads(l) for l in open(os.path.join(sweep, "sweep.jsonl")) if l.strip()]


def points(sweep):
    by_point = {}
    for r in rows(sweep):
        by_point.setdefault((r["kl_weight"], r["threshold"]), []).append(r)
    return by_point


def mean_std(values):
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else float("nan"))


def fmt(values):
    m, s = mean_std(values)
    return "%.2f ± %.2f%%" % (100 * m, 100 * s)


def describe(label, key, rs):
    val = [r["val_accuracy"] for r in rs]
    test = [r["test_accuracy"] for r in rs]
    comp = [r["compression"] for r in rs]
    return "| %s | %s / %s | %s | %s | %.1fx |" % (label, key[0], key[1], fmt(val), fmt(test), statistics.mean(comp))


def epochs_trained(sweep):
    total = 0
    runs = os.path.join(sweep, "runs")
    for run in sorted(os.listdir(runs)):
        total += sum(1 for l in open(os.path.join(runs, run, "metrics.jsonl")) if l.strip())
    return total


def wall(sweep):
    path = sweep.rstrip("/") + ".wall_seconds"
    return int(open(path).read()) if os.path.exists(path) else None


def main():
    sweeps = sys.argv[1:]
    print("| sweep | point (kl_weight / threshold) | validation accuracy | test accuracy | compression |")
    print("|---|---|---:|---:|---:|")
    for sweep in sweeps:
        best = json.load(open(os.path.join(sweep, "best.json")))
        sel = best["selected"]
        by_point = points(sweep)
        key = (sel["kl_weight"], sel["threshold"])
        name = os.path.basename(sweep.rstrip("/"))
        print(describe(name + ": selected on validation", key, by_point[key]))
        on_test = max((k for k in by_point if all(r.get("pruned_at_epoch") is None for r in by_point[k])),
                      key=lambda k: statistics.mean(r["test_accuracy"] for r in by_point[k]))
        print(describe(name + ": best mean test accuracy (biased)", on_test, by_point[on_test]))
    print()
    print("| sweep | training runs | runs pruned | epochs trained | wall time | selected point |")
    print("|---|---:|---:|---:|---:|---|")
    for sweep in sweeps:
        best = json.load(open(os.path.join(sweep, "best.json")))
        sel = best["selected"]
        runs = len(os.listdir(os.path.join(sweep, "runs")))
        w = wall(sweep)
        print("| %s | %d | %d | %d | %s | %s / %s |" % (os.path.basename(sweep.rstrip("/")), runs,
              best.get("runs_pruned", 0), epochs_trained(sweep), "%d s" % w if w is not None else "?",
              sel["kl_weight"], sel["threshold"]))


if __name__ == "__main__":
    main()
