"""Seconds and Spark jobs per stage of ``link_spark``, on a synthetic warehouse read from parquet.

Each stage's time comes from ``link_spark(timings=...)``; its Spark jobs are counted
from the session's status tracker at each lap, so a change that cuts passes or shuffles
shows as fewer jobs whatever the machine's load; its CPU seconds are those of this
process and its descendants (the JVM, the Python daemon and its workers: user and system
time, with that of the children they reaped), read from ``/proc`` at each lap, which a
shared machine's load does not inflate as it does wall time. The warehouse is generated once into
``--work`` (``radlink.synth``, seed 7) and linked ``--repeat`` times in one session (the
first run pays the Python workers' start). Run it from a checkout: that checkout's
``radlink`` is imported.

Usage::

    flock /tmp/radlink-heavy.lock python benchmarks/profile_link_spark.py 2000 --repeat 2
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's radlink


def tree_cpu_seconds(root: int | None = None) -> float:
    """CPU seconds (user + system, with reaped children's) of a process and its live descendants."""
    import os

    root = os.getpid() if root is None else root
    tick = os.sysconf("SC_CLK_TCK")
    parents, cpu = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = sum(int(x) for x in fields[11:15]) / tick
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    total, frontier = 0.0, [root]
    while frontier:
        pid = frontier.pop()
        total += cpu.get(pid, 0.0)
        frontier.extend(children.get(pid, []))
    return total


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("patients", type=int)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/profile_link_spark"))
    args = parser.parse_args(argv)

    import radlink.spark.linkage as spark_linkage
    from radlink.engines import spark_session

    folder = args.work / f"synth_{args.patients}"
    if not (folder / "exams.parquet").exists():
        from radlink.synth import generate, write_dataset

        write_dataset(generate(args.patients, seed=7), folder)
    spark = spark_session("local[2]")
    tracker = spark.sparkContext.statusTracker()
    jobs: dict[str, int] = {}
    cpu: dict[str, float] = {}
    last = [max(tracker.getJobIdsForGroup(None), default=-1)]
    last_cpu = [tree_cpu_seconds()]
    lap = spark_linkage._Clock.lap

    def counted_lap(self, stage, frame=None):
        lap(self, stage, frame)
        top, now = max(tracker.getJobIdsForGroup(None), default=-1), tree_cpu_seconds()
        jobs[stage], last[0] = top - last[0], top
        cpu[stage], last_cpu[0] = now - last_cpu[0], now

    spark_linkage._Clock.lap = counted_lap
    for run in range(args.repeat):
        timings: dict = {}
        start = time.perf_counter()
        last[0] = max(tracker.getJobIdsForGroup(None), default=-1)
        last_cpu[0] = start_cpu = tree_cpu_seconds()
        tables = {t: spark.read.parquet(str(folder / f"{t}.parquet")) for t in ("patients", "exams", "stays",
                                                                                "reports")}
        links = spark_linkage.link_spark(**tables, spark=spark, timings=timings)
        links.write.mode("overwrite").parquet(str(args.work / f"links_{args.patients}.parquet"))
        print(json.dumps({"run": run, "seconds": round(time.perf_counter() - start, 1),
                          "cpu": round(tree_cpu_seconds() - start_cpu, 1),
                          "stages": {k: {"seconds": round(v, 1), "cpu": round(cpu.get(k, float("nan")), 1),
                                         "jobs": jobs.get(k)} for k, v in timings.items()}},
                         ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
