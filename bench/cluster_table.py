#!/usr/bin/env python3
"""Prints the tables of bench/cluster-epoch.sh from its work directory.

Epoch time: the median of the epochs after the first (the first includes JVM, executor and ND4J start-up) from each
run's metrics.jsonl. Bytes per averaging round, from the cluster run's Spark event log: the task results of the
averaging stages (dl4j-spark's treeAggregate of parameters + updater state), executors -> driver, measured; and the
broadcast of parameters + updater state, driver -> executors, which the event log does not record: taken equal to
one task result per executor (the same arrays)."""
import glob
import json
import statistics
import sys

work, freqs = sys.argv[1], sys.argv[2:]


def epochs(run):
    with open(f"{work}/{run}/metrics.jsonl") as f:
        return [json.loads(line) for line in f if line.strip()]


def epoch_seconds(run):
    m = epochs(run)
    later = [e["seconds"] for e in m[1:]] or [m[0]["seconds"]]
    return statistics.median(later), m[-1]["train_examples"]


AVERAGING = "treeAggregate at ParameterAveragingTrainingMaster"


def fetch_ms(task_info):
    """How long the driver took to fetch a task's result (0 if it came with the status update)."""
    started = task_info["Getting Result Time"]
    return task_info["Finish Time"] - started if started else 0


def averaging_rounds(event_log):
    """Per averaging stage: total bytes of its successful task results, its number of tasks, its wall time (ms) and
    its tasks' metrics (ms: run, deserialization, result serialization, driver fetching the result)."""
    names, sizes, tasks, times, metrics = {}, {}, {}, {}, {}
    with open(event_log) as f:
        for line in f:
            e = json.loads(line)
            if e["Event"] == "SparkListenerStageCompleted":
                s = e["Stage Info"]
                names[s["Stage ID"]] = s["Stage Name"]
                times[s["Stage ID"]] = s["Completion Time"] - s["Submission Time"]
            elif e["Event"] == "SparkListenerTaskEnd" and e["Task End Reason"]["Reason"] == "Success":
                sid = e["Stage ID"]
                m = e["Task Metrics"]
                sizes[sid] = sizes.get(sid, 0) + m["Result Size"]
                tasks[sid] = tasks.get(sid, 0) + 1
                metrics.setdefault(sid, []).append((m["Executor Run Time"], m["Executor Deserialize Time"],
                                                    m["Result Serialization Time"], fetch_ms(e["Task Info"])))
    return [(sizes[s], tasks[s], times[s], metrics[s]) for s in sizes if names.get(s, "").startswith(AVERAGING)]


logs = sorted(glob.glob(f"{work}/events/app-*"))
print("| mode | averaging frequency | examples | epoch s (median of epochs 2..) | examples/s |")
print("|---|---|---|---|---|")
for f in freqs:
    for mode, run in (("local[2], one JVM", f"local-f{f}"), ("standalone, 2 workers/executors", f"cluster-f{f}")):
        s, n = epoch_seconds(run)
        print(f"| {mode} | {f} | {n} | {s:.1f} | {n / s:,.0f} |")
rounds = {f: averaging_rounds(log) for f, log in zip(freqs, logs)}
mib = 1024 * 1024
print()
print("| averaging frequency | rounds measured | executors | task results per round (executors -> driver) | "
      "broadcast per round (driver -> executors) | total per round | per epoch |")
print("|---|---|---|---|---|---|---|")
for f, r in rounds.items():
    up = statistics.median(x[0] for x in r)
    down = up  # W copies of parameters + updater state, as the W task results
    per_epoch = len(r) / len(epochs(f"cluster-f{f}"))
    print(f"| {f} | {len(r)} | {statistics.median(x[1] for x in r):.0f} | {up / mib:.2f} MiB | {down / mib:.2f} MiB "
          f"| {(up + down) / mib:.2f} MiB | {per_epoch:.0f} rounds, {per_epoch * (up + down) / mib:.0f} MiB |")
print()
print("Where an averaging round's time goes on the cluster (medians over rounds and tasks, ms):")
print()
print("| averaging frequency | round (stage wall time) | task run time (fit F minibatches, incl. building the "
      "network from the broadcast) | task deserialization | result serialization | driver fetching results |")
print("|---|---|---|---|---|---|")
for f, r in rounds.items():
    tasks = [t for x in r for t in x[3]]
    med = [statistics.median(t[i] for t in tasks) for i in range(4)]
    print(f"| {f} | {statistics.median(x[2] for x in r):.0f} | {med[0]:.0f} | {med[1]:.0f} | {med[2]:.0f} "
          f"| {med[3]:.0f} |")
