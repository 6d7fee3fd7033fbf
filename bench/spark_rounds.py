#!/usr/bin/env python3
"""Where a round's time goes, from a Spark event log of a `sparsevd train` run (issue 15).

    bench/spark_rounds.py EVENT_LOG [EPOCH]

EVENT_LOG is the file Spark wrote with spark.eventLog.enabled=true (bench/profile-round.sh sets it). Prints, for the
given epoch (default: the last one the log has), the training time of the epoch (first round's first job submitted
to last round's last job done; evaluation is not in it) and, as means over its rounds, the round's wall time split
into its Spark jobs and the driver's time between them, and the fit job's tasks split into Spark's task metrics.
A round is an averaging round (`--sync average`: a count job, if any, and a fit job) or an all-reduce stage
(`--sync allreduce`: one barrier job); rounds are recognized by sparsevd's job description
"sparsevd: epoch E/…, round R/…" (before the all-reduce default: "…, averaging round R/…").
"""
import json
import re
import sys
from collections import defaultdict

DESCRIPTION = re.compile(r"sparsevd: epoch (\d+)/\d+, (?:averaging )?round (\d+)/\d+")


def load(path):
    jobs = {}
    stage_job = {}
    stage_name = {}
    tasks = defaultdict(list)
    with open(path) as f:
        for line in f:
            e = json.loads(line)
            kind = e["Event"]
            if kind == "SparkListenerJobStart":
                desc = (e.get("Properties") or {}).get("spark.job.description") or ""
                m = DESCRIPTION.match(desc)
                jobs[e["Job ID"]] = {"start": e["Submission Time"], "round": (int(m[1]), int(m[2])) if m else None,
                                     "stages": [s["Stage ID"] for s in e["Stage Infos"]]}
                for s in e["Stage Infos"]:
                    stage_job[s["Stage ID"]] = e["Job ID"]
                    stage_name[s["Stage ID"]] = s["Stage Name"]
            elif kind == "SparkListenerJobEnd":
                jobs[e["Job ID"]]["end"] = e["Completion Time"]
            elif kind == "SparkListenerTaskEnd":
                tasks[e["Stage ID"]].append(e)
    return jobs, stage_job, stage_name, tasks


def kind_of(job, stage_name):
    names = " ".join(stage_name[s] for s in job["stages"])
    if names.startswith("count"):
        return "count job"
    if "treeAggregate" in names:
        return "fit job (mapPartitions + treeAggregate)"
    if "AllReduceRounds" in names:
        return "fit job (all-reduce barrier stage + collect)"
    return "other job (" + names + ")"


def main():
    jobs, stage_job, stage_name, tasks = load(sys.argv[1])
    epochs = sorted({j["round"][0] for j in jobs.values() if j["round"]})
    epoch = int(sys.argv[2]) if len(sys.argv) > 2 else epochs[-1]
    rounds = defaultdict(list)
    for jid, j in sorted(jobs.items()):
        if j["round"] and j["round"][0] == epoch:
            rounds[j["round"][1]].append(jid)
    order = sorted(rounds)
    starts = [min(jobs[j]["start"] for j in rounds[r]) for r in order]
    ends = [max(jobs[j]["end"] for j in rounds[r]) for r in order]
    train_ms = ends[-1] - starts[0]
    n = len(order)
    per_kind = defaultdict(float)
    counts = defaultdict(int)
    gaps = 0.0
    metric = defaultdict(float)
    task_count = 0
    for i, r in enumerate(order):
        wall = (starts[i + 1] if i + 1 < n else ends[i]) - starts[i]
        busy = 0
        for jid in rounds[r]:
            j = jobs[jid]
            k = kind_of(j, stage_name)
            per_kind[k] += j["end"] - j["start"]
            counts[k] += 1
            busy += j["end"] - j["start"]
            if k.startswith("fit"):
                for s in j["stages"]:
                    for t in tasks.get(s, []):
                        info, m = t["Task Info"], t.get("Task Metrics") or {}
                        duration = info["Finish Time"] - info["Launch Time"]
                        deser = m.get("Executor Deserialize Time", 0)
                        run = m.get("Executor Run Time", 0)
                        ser = m.get("Result Serialization Time", 0)
                        metric["task duration (launch to finish)"] += duration
                        metric["  deserialize task (closure, broadcast reference)"] += deser
                        metric["  run (broadcast value, network built, the round's minibatches fitted, result)"] += run
                        metric["    of which JVM GC"] += m.get("JVM GC Time", 0)
                        metric["    of which CPU time"] += m.get("Executor CPU Time", 0) / 1e6
                        metric["  serialize result (parameters + Adam state)"] += ser
                        metric["  other (scheduling, result fetch)"] += duration - deser - run - ser
                        task_count += 1
        gaps += wall - busy
    print(f"epoch {epoch}: {n} rounds, training part {train_ms / 1000:.2f} s "
          f"(first job submitted to last job done; window {starts[0]} {ends[-1]} ms)")
    print()
    print("| per round (mean of the epoch's rounds) | ms | share of the round |")
    print("|---|---:|---:|")
    round_ms = train_ms / n
    print(f"| round, wall | {round_ms:.1f} | 100% |")
    for k in sorted(per_kind):
        print(f"| {k}, {counts[k] / n:g} per round | {per_kind[k] / n:.1f} | {per_kind[k] / n / round_ms:.0%} |")
    print(f"| driver between jobs (building the round's RDD, broadcast, averaging or the result's assign) | "
          f"{gaps / n:.1f} | {gaps / n / round_ms:.0%} |")
    print()
    print(f"| fit job, per task (mean of {task_count} tasks) | ms |")
    print("|---|---:|")
    for k, v in metric.items():
        print(f"| {k} | {v / max(task_count, 1):.1f} |")


if __name__ == "__main__":
    main()
