#!/usr/bin/env python3
"""Prints the table of bench/workers-study.sh from the files in OUT_DIR.

Usage: workers_table.py OUT_DIR
A sparsevd row is NAME-metrics.jsonl with its NAME.log (the run's stderr, whose SparkTrainer line gives the
workers, the global and per-worker batch, and the averaging frequency or "all-reduced every step"); a run stopped early (metrics of fewer epochs
than its log planned) is marked so. Columns: test accuracy at epochs 10, 20 and the last, final compression and
per-layer sparsity, the data loss of epochs 1, 10 and the last, the differences to the one-worker row on the same
data at the same epoch, and examples/s (training examples / epoch wall time, the test evaluation included). Then
the PyTorch reference rows (reference-8k.jsonl, reference-60k.jsonl; the reference logs no data loss). Then, per
data set, a table per epoch: test accuracy, data loss and compression of every row side by side.
"""
import json
import os
import re
import sys

SETUP = re.compile(r"over (\d+) workers .*; global batch (\d+) \((\d+) per worker\), "
                   r"(?:averaging every (\d+) steps|parameters averaged every (\d+) steps|gradients (all-reduced))")
PLANNED = re.compile(r"TrainJob: epoch \d+/(\d+)")


def rows(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def pct(x):
    return "" if x is None else f"{100 * x:.2f}%"


def loss(x):
    return "" if x is None else f"{x:.3f}"


def sparsevd_runs(out):
    runs = {}
    for name in sorted(os.listdir(out)):
        if not name.endswith("-metrics.jsonl"):
            continue
        row = name[:-len("-metrics.jsonl")]
        with open(os.path.join(out, row + ".log")) as f:
            log = f.read()
        setup = SETUP.search(log)
        planned = PLANNED.search(log)
        metrics = rows(os.path.join(out, name))
        if setup and metrics:
            workers, batch, per_worker, f_old, f_new, allreduce = setup.groups()
            sync = "allreduce" if allreduce else "average"
            f = "" if allreduce or workers == "1" else (f_old or f_new)
            runs[row] = ((int(workers), int(batch), int(per_worker), sync if workers != "1" else "(one JVM)", f),
                         int(planned.group(1)), metrics)
    return runs


def main():
    out = sys.argv[1]
    runs = sparsevd_runs(out)
    print("| row | data | W | global batch (per worker) | sync | F | lr | acc e10 | acc e20 | acc last | compression | "
          "sparsity % (dense1/2/3) | data loss e1 / e10 / last | vs 1 worker at that epoch: acc, compression | "
          "examples/s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row, ((workers, batch, per_worker, sync, f), planned, m) in runs.items():
        by_epoch = {r["epoch"]: r for r in m}
        last = m[-1]
        epochs = f"{last['epoch']} ep" + ("" if last["epoch"] == planned else f" (of {planned}: stopped)")
        base = runs.get(row.split("-")[0] + "-w1")
        vs = ""
        if base is not None and not row.endswith("-w1"):
            b = {r["epoch"]: r for r in base[2]}.get(last["epoch"])
            if b is not None:
                vs = (f"{100 * (last['test_accuracy'] - b['test_accuracy']):+.2f} points, "
                      f"{100 * (last['compression'] / b['compression'] - 1):+.0f}%")
        speed = sum(r["train_examples"] for r in m) / sum(r["seconds"] for r in m)
        sparsity = "/".join(f"{100 * l['sparsity']:.1f}" for l in last["layers"])
        get = lambda e, k: by_epoch[e][k] if e in by_epoch else None
        print(f"| {row} | {last['train_examples']} x {epochs} | {workers} | {batch} ({per_worker}) | {sync} | {f} | "
              f"{last['learning_rate']:g} | {pct(get(10, 'test_accuracy'))} | {pct(get(20, 'test_accuracy'))} | "
              f"{pct(last['test_accuracy'])} | {last['compression']:.1f}x | {sparsity} | "
              f"{loss(get(1, 'data_loss'))} / {loss(get(10, 'data_loss'))} / {loss(last['data_loss'])} | {vs} | "
              f"{speed:,.0f} |")
    for ref in ("reference-8k", "reference-60k"):
        path = os.path.join(out, ref + ".jsonl")
        if not os.path.exists(path):
            continue
        m = [r for r in rows(path) if "epoch" in r]
        if not m:
            continue
        last = m[-1]
        sparsity = "/".join(f"{100 * v:.1f}" for v in last["sparsity"].values())
        acc = {r["epoch"]: r["test_acc"] for r in m}
        speed = sum(r["ex_per_s"] * r["train_s"] for r in m) / sum(r["train_s"] for r in m)
        print(f"| {ref} (PyTorch, one process) | {ref[len('reference-'):]} x {last['epoch']} ep | 1 | 100 | | | "
              f"0.001 | {pct(acc.get(10))} | {pct(acc.get(20))} | {pct(last['test_acc'])} | "
              f"{last['compression']:.1f}x | {sparsity} | not logged | | {speed:,.0f} (training only) |")

    for data in sorted({row.split("-")[0] for row in runs}):
        names = [row for row in runs if row.startswith(data + "-")]
        ref = os.path.join(out, f"reference-{data}.jsonl")
        ref_rows = {r["epoch"]: r for r in rows(ref) if "epoch" in r} if os.path.exists(ref) else {}
        print(f"\n{data}, per epoch: test accuracy / data loss / compression\n")
        print("| epoch | KL weight | " + " | ".join(names) + (" | PyTorch reference (accuracy / compression) |"
                                                            if ref_rows else " |"))
        print("|---|---|" + "---|" * (len(names) + (1 if ref_rows else 0)))
        epochs = max(r["epoch"] for row in names for r in runs[row][2])
        for e in range(1, epochs + 1):
            cells, kl = [], ""
            for row in names:
                r = {m["epoch"]: m for m in runs[row][2]}.get(e)
                kl = kl or (f"{r['kl_weight']:.3f}" if r else "")
                cells.append(f"{100 * r['test_accuracy']:.2f}% / {r['data_loss']:.3f} / {r['compression']:.1f}x"
                             if r else "")
            if ref_rows:
                r = ref_rows.get(e)
                cells.append(f"{100 * r['test_acc']:.2f}% / {r['compression']:.1f}x" if r else "")
            print(f"| {e} | {kl} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
