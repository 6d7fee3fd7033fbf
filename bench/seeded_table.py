#!/usr/bin/env python3
"""Prints the tables of bench/seeded-tables.sh from what OUT_DIR holds: for every sweep in it (a directory with a
sweep.jsonl), each (KL weight, threshold) point as mean +- sample standard deviation over its seeds, with the point
the sweep's rule selected on validation marked; for every group of PyTorch reference outputs (NAME-seed-S.jsonl),
the last epoch of each seed and their mean +- std. Parts that have not run yet are left out.

Usage: seeded_table.py OUT_DIR
"""
import glob
import json
import os
import re
import statistics
import sys


def mean_std(values, scale=1.0, digits=2, suffix=""):
    values = [scale * v for v in values]
    if len(values) == 1:
        return f"{values[0]:.{digits}f}{suffix} (1 seed)"
    return f"{statistics.mean(values):.{digits}f} ± {statistics.stdev(values):.{digits}f}{suffix}"


def sweep_table(path):
    rows = [json.loads(l) for l in open(os.path.join(path, "sweep.jsonl")) if l.strip()]
    best_path = os.path.join(path, "best.json")
    selected = None
    if os.path.exists(best_path):
        chosen = json.load(open(best_path)).get("selected")
        if chosen:
            selected = (chosen["kl_weight"], chosen["threshold"])
    points = {}
    for r in rows:
        points.setdefault((r["kl_weight"], r["threshold"]), []).append(r)
    variant = json.load(open(os.path.join(path, "sweep.json")))["spec"]["train"]["model"]["variant"] \
        if os.path.exists(os.path.join(path, "sweep.json")) else "?"
    print(f"### {os.path.basename(path)} ({variant}; {rows[0]['provenance']['train_examples']} examples trained on)")
    print()
    print("| KL weight | threshold | seeds | validation accuracy % | test accuracy % | compression | "
          "sparsity per layer % (mean) | selected |")
    print("|---:|---:|---|---:|---:|---:|---|:-:|")
    for (kl, t), rs in points.items():
        layers = "/".join(f"{100 * statistics.mean(r['layers'][i]['sparsity'] for r in rs):.0f}"
                          for i in range(len(rs[0]["layers"])))
        seeds = ",".join(str(r["provenance"]["seed"]) for r in rs)
        print(f"| {kl:g} | {t:g} | {seeds} | {mean_std([r['val_accuracy'] for r in rs], 100)} | "
              f"{mean_std([r['test_accuracy'] for r in rs], 100)} | "
              f"{mean_std([r['compression'] for r in rs], 1, 1, 'x')} | {layers} | "
              f"{'✓' if selected == (kl, t) else ''} |")
    print()


def torch_table(name, files):
    lasts = []
    for seed, f in files:
        rows = [json.loads(l) for l in open(f) if l.strip()]
        epochs = [r for r in rows if "epoch" in r]
        summary = next((r for r in rows if r.get("summary")), {})
        lasts.append((seed, epochs[-1], summary))
    print(f"### {name} (PyTorch reference, {lasts[0][2].get('n_train', '?')} examples, "
          f"{lasts[0][1]['epoch']} epochs)")
    print()
    print("| seed | test accuracy % | compression | sparsity per layer % |")
    print("|---:|---:|---:|---|")
    for seed, last, _ in lasts:
        sparsity = "/".join(f"{100 * v:.0f}" for v in last["sparsity"].values())
        print(f"| {seed} | {100 * last['test_acc']:.2f} | {last['compression']:.1f}x | {sparsity} |")
    print(f"| mean ± std | {mean_std([l['test_acc'] for _, l, _ in lasts], 100)} | "
          f"{mean_std([l['compression'] for _, l, _ in lasts], 1, 1, 'x')} | |")
    print()


def main():
    if len(sys.argv) != 2:
        print("usage: seeded_table.py OUT_DIR", file=sys.stderr)
        sys.exit(2)
    out = sys.argv[1]
    for path in sorted(glob.glob(os.path.join(out, "*", "sweep.jsonl"))):
        if os.path.getsize(path) > 0:
            sweep_table(os.path.dirname(path))
    groups = {}
    for f in sorted(glob.glob(os.path.join(out, "*-seed-*.jsonl"))):
        m = re.match(r"(.*)-seed-(\d+)\.jsonl$", os.path.basename(f))
        groups.setdefault(m.group(1), []).append((int(m.group(2)), f))
    for name, files in groups.items():
        torch_table(name, files)


if __name__ == "__main__":
    main()
