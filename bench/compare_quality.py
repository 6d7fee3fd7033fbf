#!/usr/bin/env python3
"""Prints the side-by-side table of a sparsevd train run and the PyTorch reference on the same data and schedule.

Usage: compare_quality.py SPARSEVD_METRICS_JSONL TORCH_REFERENCE_JSONL [LABEL=METRICS_JSONL ...]
Each further LABEL=file (another sparsevd run, e.g. the plain baseline) adds a row and its accuracy difference to
the first run.
"""
import json
import sys


def last_epoch(path, key="epoch"):
    rows = [json.loads(l) for l in open(path) if l.strip()]
    rows = [r for r in rows if key in r]
    return rows[-1], rows


def main():
    ours, ours_rows = last_epoch(sys.argv[1])
    ref, ref_rows = last_epoch(sys.argv[2])
    ours_sp = "/".join(f"{100 * l['sparsity']:.1f}" for l in ours["layers"])
    ref_sp = "/".join(f"{100 * v:.1f}" for v in ref["sparsity"].values())
    ours_time = sum(r["seconds"] for r in ours_rows)
    ref_time = sum(r["train_s"] for r in ref_rows)
    print("| implementation | epochs | masked test accuracy | compression | per-layer sparsity % | training wall time s |")
    print("|---|---|---|---|---|---|")
    print(f"| sparsevd (Spark local, {ours_rows[-1]['train_examples']} examples) | {ours['epoch']} | "
          f"{100 * ours['test_accuracy']:.2f}% | {ours['compression']:.2f}x | {ours_sp} | {ours_time:.0f} |")
    print(f"| PyTorch reference | {ref['epoch']} | {100 * ref['test_acc']:.2f}% | {ref['compression']:.2f}x | "
          f"{ref_sp} | {ref_time:.0f} |")
    others = []
    for arg in sys.argv[3:]:
        label, path = arg.split("=", 1)
        other, other_rows = last_epoch(path)
        other_sp = "/".join(f"{100 * l['sparsity']:.1f}" for l in other["layers"])
        print(f"| sparsevd {label} ({other_rows[-1]['train_examples']} examples) | {other['epoch']} | "
              f"{100 * other['test_accuracy']:.2f}% | {other['compression']:.2f}x | {other_sp} | "
              f"{sum(r['seconds'] for r in other_rows):.0f} |")
        others.append((label, other))
    for label, other in others:
        print(f"\nfirst row vs {label}: {100 * (ours['test_accuracy'] - other['test_accuracy']):+.2f} points")
    print()
    print(f"accuracy difference: {100 * (ours['test_accuracy'] - ref['test_acc']):+.2f} points; "
          f"compression ratio ours/reference: {ours['compression'] / ref['compression']:.2f}")


if __name__ == "__main__":
    main()
