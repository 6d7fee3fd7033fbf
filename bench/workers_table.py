#!/usr/bin/env python3
"""Prints the tables of bench/workers-study.sh from the files in OUT_DIR.

Usage: workers_table.py OUT_DIR
For each sparsevd row (NAME-run.json + NAME-metrics.jsonl): workers, global and per-worker batch, averaging
frequency, learning rate, test accuracy at epochs 10, 20 and the last, final compression and per-layer sparsity,
the data loss of epochs 1, 10 and the last, the differences to the one-worker row on the same data, and examples/s
(training examples / epoch wall time, the test evaluation included). Then the PyTorch reference rows
(reference-8k.jsonl, reference-60k.jsonl; the reference logs no data loss). Rows still running are left out.
"""
import json
import os
import sys


def rows(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def at(metrics, epoch, key):
    for m in metrics:
        if m["epoch"] == epoch:
            return m[key]
    return None


def pct(x):
    return "" if x is None else f"{100 * x:.2f}%"


def loss(x):
    return "" if x is None else f"{x:.3f}"


def main():
    out = sys.argv[1]
    runs = {}
    for name in sorted(os.listdir(out)):
        if name.endswith("-metrics.jsonl") and os.path.exists(os.path.join(out, name[:-14] + "-run.json")):
            row = name[:-14]
            with open(os.path.join(out, row + "-run.json")) as f:
                info = json.load(f)
            runs[row] = (info, rows(os.path.join(out, name)))
    print("| row | data | W | global batch (per worker) | F | lr | acc e10 | acc e20 | acc last | compression | "
          "sparsity % (dense1/2/3) | data loss e1 / e10 / last | vs 1 worker: acc, compression | examples/s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row, (info, m) in runs.items():
        c = info["config"]["cluster"]
        last = m[-1]
        base = runs.get(row.split("-")[0] + "-w1")
        vs = ""
        if base is not None and base[1][-1]["epoch"] == last["epoch"] and row != row.split("-")[0] + "-w1":
            b = base[1][-1]
            vs = (f"{100 * (last['test_accuracy'] - b['test_accuracy']):+.2f} points, "
                  f"{100 * (last['compression'] / b['compression'] - 1):+.0f}%")
        speed = sum(r["train_examples"] for r in m) / sum(r["seconds"] for r in m)
        sparsity = "/".join(f"{100 * l['sparsity']:.1f}" for l in last["layers"])
        batch = (f"{c['batch_size']} ({c['worker_batch_size']})" if "worker_batch_size" in c
                 else f"{c['batch_size'] * c['workers']} ({c['batch_size']}), an older run")
        print(f"| {row} | {info['train_examples']} x {last['epoch']} ep | {c['workers']} | {batch} | "
              f"{c['averaging_frequency']} | "
              f"{info['config']['schedule']['learning_rate']:g} | {pct(at(m, 10, 'test_accuracy'))} | "
              f"{pct(at(m, 20, 'test_accuracy'))} | {pct(last['test_accuracy'])} | {last['compression']:.1f}x | "
              f"{sparsity} | {loss(at(m, 1, 'data_loss'))} / {loss(at(m, 10, 'data_loss'))} / "
              f"{loss(last['data_loss'])} | {vs} | {speed:,.0f} |")
    for ref in ("reference-8k", "reference-60k"):
        path = os.path.join(out, ref + ".jsonl")
        if not os.path.exists(path):
            continue
        m = [r for r in rows(path) if "epoch" in r]
        last = m[-1]
        sparsity = "/".join(f"{100 * v:.1f}" for v in last["sparsity"].values())
        acc = {r["epoch"]: r["test_acc"] for r in m}
        speed = sum(r["ex_per_s"] * r["train_s"] for r in m) / sum(r["train_s"] for r in m)
        print(f"| {ref} (PyTorch, one process) | {ref[10:]} x {last['epoch']} ep | 1 | 100 | | 0.001 | "
              f"{pct(acc.get(10))} | {pct(acc.get(20))} | {pct(last['test_acc'])} | {last['compression']:.1f}x | "
              f"{sparsity} | not logged | | {speed:,.0f} (training only) |")


if __name__ == "__main__":
    main()
