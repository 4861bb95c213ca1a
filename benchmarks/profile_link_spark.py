"""Seconds and Spark jobs per stage of ``link_spark``, on a synthetic warehouse read from parquet.

Each stage's time comes from ``link_spark(timings=...)``; its Spark jobs are counted
from the session's status tracker at each lap, so a change that cuts passes or shuffles
shows as fewer jobs whatever the machine's load. The warehouse is generated once into
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
    last = [max(tracker.getJobIdsForGroup(None), default=-1)]
    lap = spark_linkage._Clock.lap

    def counted_lap(self, stage, frame=None):
        lap(self, stage, frame)
        top = max(tracker.getJobIdsForGroup(None), default=-1)
        jobs[stage], last[0] = top - last[0], top

    spark_linkage._Clock.lap = counted_lap
    for run in range(args.repeat):
        timings: dict = {}
        start = time.perf_counter()
        last[0] = max(tracker.getJobIdsForGroup(None), default=-1)
        tables = {t: spark.read.parquet(str(folder / f"{t}.parquet")) for t in ("patients", "exams", "stays",
                                                                                "reports")}
        links = spark_linkage.link_spark(**tables, spark=spark, timings=timings)
        links.write.mode("overwrite").parquet(str(args.work / f"links_{args.patients}.parquet"))
        print(json.dumps({"run": run, "seconds": round(time.perf_counter() - start, 1),
                          "stages": {k: {"seconds": round(v, 1), "jobs": jobs.get(k)} for k, v in timings.items()}},
                         ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
