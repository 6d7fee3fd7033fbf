#!/usr/bin/env python3
"""Where the CPU went in a JFR recording of `sparsevd train` (issue 15), by thread group and phase.

    bench/jfr_profile.py RECORDING.jfr [FROM_MS TO_MS [TOP]]

Reads JFR's execution samples (Java code) and native-method samples (ND4J's and OpenBLAS's native code, which Java
samples do not see) with the JDK's `jfr print --json`. Native samples of threads waiting in I/O or polling are left
out. FROM_MS TO_MS (Unix epoch milliseconds, as bench/spark_rounds.py prints them) keep the samples of that
window only, e.g. one epoch's training part. Each sample counts in the first phase whose frame its stack holds (the rules below, in order); a sample is
roughly 10 ms (Java) or 20 ms (native) of one thread on a core, so the shares are shares of sampled CPU, not of
wall time. Then the TOP (default 12) leaf methods of the executor threads' "fit" phase and of each group's
"other" phase.
"""
import json
import subprocess
from datetime import datetime, timezone
import sys
from collections import Counter

PHASES = [
    ("build the network from the broadcast (conf clone, init, updater)", "ParameterAveragingTrainingWorker.getInitialModel|AllReduceStage.replica"),
    ("all-reduce: replica digest (end of stage)", "AllReduceStage.digest"),
    ("all-reduce: hooks (noise seed, train accuracy, losses)", "EpochHook.|TrainAccuracy."),
    ("all-reduce: exchange (TCP hub client, in-memory sum)", "AllReduceClient.|LocalAllReduce"),
    ("all-reduce: the TCP hub (driver thread)", "AllReduceHub."),
    ("copy the result (parameters, Adam state)", "ParameterAveragingTrainingWorker.getFinalResult"),
    ("fit: KL term (FusedKlKernel)", "FusedKlKernel."),
    ("fit: Adam (FusedAdam)", "FusedAdam|AdamKernel."),
    ("fit: convolution forward", "SparseVdConvolution*preOutput|ConvolutionLayer.preOutput"),
    ("fit: convolution backward", "SparseVdConvolution*backpropGradient|ConvolutionLayer.backpropGradient"),
    ("fit: pooling", "SubsamplingLayer."),
    ("fit: dense forward", "preOutput|activate"),
    ("fit: dense backward", "backpropGradient"),
    ("fit: other (loss, noise, updater plumbing)", "MultiLayerNetwork.fit|MultiLayerNetwork.computeGradientAndScore|BaseMultiLayerUpdater.update"),
    ("all-reduce: the step's gradient copies and params -= update", "AllReduceStage.step"),
    ("all-reduce: the stage's result copy", "AllReduceStage.apply"),
    ("build the round's minibatches (RoundBatches)", "RoundBatches"),
    ("broadcast (serialize / read the parameters and Adam state)", "TorrentBroadcast"),
    ("average the results (treeAggregate functions, divide, setParameters)", "ParameterAveraging"),
    ("Spark serialization (tasks, results)", "org.apache.spark.serializer.|java.io.Object"),
    ("evaluation (test set)", "org.sparsevd.job.eval."),
    ("data loading and checks", "org.sparsevd.datasets."),
]
IDLE = ("sun.nio.ch.", "java.net.", "sun.nio.fs.", "java.io.FileInputStream.read", "jdk.internal.misc.Unsafe.park",
        "java.lang.Thread.sleep", "java.lang.Object.wait", "io.netty.channel.epoll.Native.epollWait",
        "io.netty.channel.epoll.Native.epollBusyWait", "org.apache.spark.io.netty.", "sun.misc.Signal")


def frames(stack):
    out = []
    for f in stack.get("frames", []):
        m = f["method"]
        out.append(m["type"]["name"].replace("/", ".") + "." + m["name"])
    return out


def matches(frame, rule):
    for alt in rule.split("|"):
        if "*" in alt:
            a, b = alt.split("*", 1)
            if a in frame and b in frame[frame.index(a) + len(a):]:
                return True
        elif alt in frame:
            return True
    return False


def phase(fs):
    for name, rule in PHASES:
        if any(matches(f, rule) for f in fs):
            return name
    return "other"


def group(thread):
    if thread.startswith("Executor task launch worker"):
        return "executor task threads (the workers)"
    if thread == "main":
        return "driver thread (main)"
    return "other threads"


def main():
    path = sys.argv[1]
    window = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else None
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 12
    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "96", "--events",
                          "jdk.ExecutionSample,jdk.NativeMethodSample", path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    counts = {}
    leaves = Counter()
    others = {}
    threads = Counter()
    for e in events:
        v = e["values"]
        if window:
            t_ms = datetime.fromisoformat(v["startTime"][:26].rstrip("Z")).replace(tzinfo=timezone.utc).timestamp() * 1000
            if not window[0] <= t_ms <= window[1]:
                continue
        fs = frames(v.get("stackTrace") or {})
        if not fs:
            continue
        native = e["type"] == "jdk.NativeMethodSample"
        if native and fs[0].startswith(IDLE):
            continue
        t = (v.get("sampledThread") or {}).get("javaName") or "?"
        g = group(t)
        weight = 2 if native else 1  # native methods are sampled every 20 ms, Java code every 10 ms (profile settings)
        p = phase(fs)
        counts.setdefault(g, Counter())[p] += weight
        if g != "driver thread (main)" and g != "executor task threads (the workers)":
            threads[t.rstrip("0123456789-# ")] += weight
        leaf = fs[0] + (" (native)" if native else "")
        if g.startswith("executor") and p.startswith("fit"):
            leaves[leaf] += weight
        if p == "other":
            others.setdefault(g, Counter())[leaf] += weight
    for g in ("driver thread (main)", "executor task threads (the workers)", "other threads"):
        c = counts.get(g, Counter())
        total = sum(c.values())
        print(f"| {g}: phase | samples (x10 ms) | share |")
        print("|---|---:|---:|")
        for name, n in c.most_common():
            print(f"| {name} | {n} | {n / total:.1%} |")
        print()
    print("| other threads, by name | samples (x10 ms) |")
    print("|---|---:|")
    for name, n in threads.most_common(8):
        print(f"| {name} | {n} |")
    print()
    total = sum(leaves.values())
    print(f"| executor threads, fit phases: leaf method (top {top}) | samples (x10 ms) | share of fit |")
    print("|---|---:|---:|")
    for name, n in leaves.most_common(top):
        print(f"| {name} | {n} | {n / total:.1%} |")
    for g, c in sorted(others.items()):
        print()
        print(f"| {g}, phase other: leaf method (top {top}) | samples (x10 ms) |")
        print("|---|---:|")
        for name, n in c.most_common(top):
            print(f"| {name} | {n} |")


if __name__ == "__main__":
    main()
