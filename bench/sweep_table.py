#!/usr/bin/env python3
"""Prints what a sparsevd sweep selected on validation accuracy against its best-on-test point, and what early
stopping saved.

Usage: sweep_table.py FULL_SWEEP_DIR [PRUNED_SWEEP_DIR]
       sweep_table.py --simulate-prune median|floor AFTER FULL_SWEEP_DIR [MARGIN]
Each directory is a sweep output (best.json, sweep.jsonl, runs/*/metrics.jsonl); DIR.wall_seconds, if present, holds
the sweep's wall time. The best-on-test point (the highest mean test accuracy over the seeds) is shown only as the
biased number a test-selected sweep would have reported.

--simulate-prune replays `--prune RULE --prune-after AFTER` on a sweep trained without it: per seed, in kl_weights
order, a run stops after the first epoch e >= AFTER whose val_accuracy is below the bar of the earlier runs of that
seed at epoch e: their median (median, the rule of MedianPruner), or their best less MARGIN percentage points
(floor; default 2, as --prune-margin); it prints the epochs and the training seconds (sum of the
epochs' `seconds`) that would have been spent, and the point the rule would select among the points without a
stopped run. It is a replay of recorded metrics, not a measurement of a pruned sweep.
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


def metrics(sweep, run):
    return [json.loads(l) for l in open(os.path.join(sweep, run, "metrics.jsonl")) if l.strip()]


def median(values):
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def select(by_point, excluded, max_drop):
    """The sweep's rule: most compressed candidate within max_drop points of the best mean validation accuracy."""
    stats = {k: (statistics.mean(r["val_accuracy"] for r in rs), statistics.mean(r["compression"] for r in rs))
             for k, rs in by_point.items() if k not in excluded}
    best = max(v for v, _ in stats.values())
    ok = [k for k, (v, _) in stats.items() if v >= best - max_drop / 100 - 1e-12]
    return min(ok, key=lambda k: (-stats[k][1], -stats[k][0], k[1], k[0]))


def simulate(rule, after, sweep, margin=2.0):
    spec = json.load(open(os.path.join(sweep, "sweep.json")))["spec"]
    if rule == "median":
        bar = median
    elif rule == "floor":
        bar = lambda values: max(values) - margin / 100
    else:
        sys.exit("sweep_table.py: --simulate-prune takes median or floor, not '%s'" % rule)
    by_point = points(sweep)
    epochs_full = epochs_kept = 0
    seconds_full = seconds_kept = 0.0
    stopped = []
    for seed in spec["seeds"]:
        earlier = []
        for w in spec["kl_weights"]:
            run = next((r["provenance"]["run"] for r in rows(sweep)
                        if r["kl_weight"] == w and r["provenance"]["seed"] == seed), None)
            if run is None:  # not recorded (an unfinished sweep)
                continue
            ms = metrics(sweep, run)
            stop = len(ms)
            for m in ms:
                e = m["epoch"]
                reached = [h[e - 1] for h in earlier if len(h) >= e]
                if e >= after and e < len(ms) and reached and m["val_accuracy"] < bar(reached):
                    stop = e
                    stopped.append((w, seed, e))
                    break
            earlier.append([m["val_accuracy"] for m in ms[:stop]])
            epochs_full += len(ms)
            epochs_kept += stop
            seconds_full += sum(m["seconds"] for m in ms)
            seconds_kept += sum(m["seconds"] for m in ms[:stop])
    excluded = {k for k in by_point if k[0] in {w for w, _, _ in stopped}}  # a point with a stopped run
    full_pick = select(by_point, set(), spec["max_accuracy_drop"])
    pruned_pick = select(by_point, excluded, spec["max_accuracy_drop"])
    shown = rule + (" --prune-margin %g" % margin if rule == "floor" else "")
    print("Replay of --prune %s --prune-after %d on %s (not a measured pruned sweep):" % (shown, after, sweep))
    print()
    print("| | epochs trained | training seconds (sum of epochs) | runs stopped (kl_weight, seed, epoch) | selected |")
    print("|---|---:|---:|---|---|")
    print("| every run to the end | %d | %.0f | - | %s / %s |" % (epochs_full, seconds_full, *full_pick))
    print("| --prune %s (replayed) | %d | %.0f | %s | %s / %s |" % (
        rule, epochs_kept, seconds_kept, ", ".join("(%s, %s, %d)" % x for x in stopped) or "none", *pruned_pick))


def main():
    if sys.argv[1] == "--simulate-prune":
        simulate(sys.argv[2], int(sys.argv[3]), sys.argv[4], *[float(m) for m in sys.argv[5:6]])
        return
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
