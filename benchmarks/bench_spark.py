"""Spark engine benchmark: time and peak memory per stage, pandas and Spark engines, same run.

For each size (10^4 and 10^5 exams by default, about as many reports) the script
generates a synthetic warehouse (``radlink.synth``) and runs, on the same tables:

* the **pandas engine** (the baseline): ``ReportExtractor().extract(reports, jobs=2)``
  and ``radlink.linkage.link`` (one process);
* the **Spark engine** on ``local[2]`` (the same 2 cores): ``ReportExtractor().extract``
  of a Spark DataFrame and :func:`radlink.spark.link_spark`, each result materialised.

Peak memory is the resident memory of this process and all its children (the JVM and
the Python workers of Spark), sampled every 50 ms. It prints, per size, seconds and
peak memory per stage for both engines, the ratio Spark / pandas, how many rows of the
Spark tables differ from the pandas ones cell by cell (``evidence`` as JSON objects;
the rows whose evidence *text* differs only in key order are counted apart: the
evidence module orders keys by a field's number of distinct values, which the Spark
engine counts per group), and the Spark per-core throughput of each
stage; then the expected time of the Spark engine on a cluster (``--cluster-executors``
× ``--cores-per-executor`` cores) for ``--cluster-reports`` reports and as many exams,
from the per-core throughput measured at the largest size (linear scaling, no
shuffle or driver limit assumed: a floor, not a promise).

Usage::

    pip install '.[spark]'
    flock /tmp/radlink-heavy.lock python benchmarks/bench_spark.py              # 10^4 and 10^5
    flock /tmp/radlink-heavy.lock python benchmarks/bench_spark.py --exams 1000000 --no-nlp
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

EXAMS_PER_PATIENT = 4.11  # what radlink.synth produces on average


class TreeRssSampler(threading.Thread):
    """Resident memory of this process and its descendants, every ``interval`` seconds."""

    def __init__(self, interval: float = 0.05):
        super().__init__(daemon=True)
        self.interval = interval
        self.samples: list[tuple[float, float]] = []
        self._stop_event = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE") / 2**20

    def _tree_mb(self) -> float:
        parents: dict[int, int] = {}
        rss: dict[int, float] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(stat[1])
                rss[int(entry.name)] = int(stat[21]) * self._page
            except (OSError, IndexError, ValueError):
                continue
        mine, frontier = {os.getpid()}, [os.getpid()]
        children: dict[int, list[int]] = {}
        for pid, ppid in parents.items():
            children.setdefault(ppid, []).append(pid)
        while frontier:
            pid = frontier.pop()
            for child in children.get(pid, []):
                if child not in mine:
                    mine.add(child)
                    frontier.append(child)
        return sum(rss.get(pid, 0.0) for pid in mine)

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.samples.append((time.perf_counter(), self._tree_mb()))
            time.sleep(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def peak_between(self, start: float, stop: float) -> float:
        inside = [mb for t, mb in self.samples if start <= t <= stop]
        return max(inside) if inside else float("nan")


def _cells(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    df = df.sort_values(keys, kind="mergesort").reset_index(drop=True).astype(object)
    return df.where(df.notna(), None)


def _differing_rows(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> int:
    """Rows that differ in any cell (``evidence`` compared as JSON objects, key order aside)."""
    if len(a) != len(b) or list(a.columns) != list(b.columns):
        return max(len(a), len(b))
    a, b = _cells(a, keys), _cells(b, keys)
    differ = np.zeros(len(a), dtype=bool)
    for col in a.columns:
        x, y = a[col].to_numpy(), b[col].to_numpy()
        if col == "evidence":
            x = np.array([None if v is None else json.loads(v) for v in x], dtype=object)
            y = np.array([None if v is None else json.loads(v) for v in y], dtype=object)
        differ |= np.array([p != q for p, q in zip(x, y, strict=True)], dtype=bool)
    return int(differ.sum())


def _text_only_rows(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> int:
    """Rows whose evidence text differs while the JSON objects are equal (key order only)."""
    if len(a) != len(b):
        return 0
    x, y = _cells(a, keys)["evidence"].to_numpy(), _cells(b, keys)["evidence"].to_numpy()
    return int(sum(p != q and json.loads(p) == json.loads(q) for p, q in zip(x, y, strict=True)
                   if p is not None and q is not None))


def _stage(sampler: TreeRssSampler, fn):
    start = time.perf_counter()
    value = fn()
    stop = time.perf_counter()
    return value, stop - start, sampler.peak_between(start, stop)


def run_size(n_exams: int, args, spark, sampler) -> dict:
    from radlink.linkage import link
    from radlink.nlp import ReportExtractor
    from radlink.spark import link_spark, to_spark
    from radlink.synth import generate

    t = time.perf_counter()
    ds = generate(max(1, round(n_exams / EXAMS_PER_PATIENT)), seed=args.seed)
    print(f"\n=== {len(ds.exams):,} exams, {len(ds.reports):,} reports, {len(ds.patients):,} patients "
          f"(generated in {time.perf_counter() - t:.0f} s) ===", flush=True)
    rows = []
    out = {"exams": len(ds.exams), "reports": len(ds.reports)}
    if not args.no_nlp:
        reports = ds.reports[["report_id", "text", "title"]]
        local, sec, mb = _stage(sampler, lambda: ReportExtractor().extract(reports, jobs=2))
        rows.append(("NLP", "pandas (jobs=2)", sec, mb))

        def spark_nlp():
            sdf = to_spark(spark, reports, "reports").select("report_id", "text", "title")
            sdf = sdf.repartition(max(2, len(reports) // 5_000)).sortWithinPartitions("report_id")
            res = ReportExtractor().extract(sdf)
            return res.facts.toPandas(), res.findings.toPandas()

        (facts, findings), sec_s, mb_s = _stage(sampler, spark_nlp)
        rows.append(("NLP", "spark local[2]", sec_s, mb_s))
        out["nlp"] = (sec, sec_s)
        out["nlp_differ"] = (_differing_rows(local.facts, facts, ["report_id"])
                             + _differing_rows(local.findings, findings, ["finding_id"]))
    timings: dict = {}
    local_links, sec, mb = _stage(sampler, lambda: link(ds.patients, ds.exams, ds.stays, ds.reports,
                                                        timings=timings, validate=False))
    rows.append(("linkage", "pandas", sec, mb))
    spark_timings: dict = {}
    spark_links, sec_s, mb_s = _stage(sampler, lambda: link_spark(
        ds.patients, ds.exams, ds.stays, ds.reports, spark=spark, timings=spark_timings).toPandas())
    rows.append(("linkage", "spark local[2]", sec_s, mb_s))
    out["link"] = (sec, sec_s)
    out["link_stages"] = spark_timings
    keys = ["source_type", "target_type", "source_id"]
    out["link_differ"] = _differing_rows(local_links, spark_links, keys)
    out["link_key_order"] = _text_only_rows(local_links, spark_links, keys)
    out["links"] = len(local_links)
    print(f"{'stage':<9} {'engine':<16} {'seconds':>8} {'peak MB':>8}")
    for stage, engine, s, m in rows:
        print(f"{stage:<9} {engine:<16} {s:>8.1f} {m:>8.0f}")
    for stage in ("nlp", "link"):
        if stage in out:
            p, s = out[stage]
            print(f"{stage}: spark / pandas time = {s / p:.2f}; rows differing: {out[stage + '_differ']:,}")
    print(f"links: {out['links']:,} rows; evidence text differing in key order only: {out['link_key_order']:,}")
    print("spark linkage stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in spark_timings.items()))
    print("pandas linkage stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exams", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-nlp", action="store_true", help="linkage only")
    parser.add_argument("--cluster-executors", type=int, default=20)
    parser.add_argument("--cores-per-executor", type=int, default=4)
    parser.add_argument("--cluster-reports", type=float, default=3e7)
    args = parser.parse_args(argv)

    from radlink.engines import spark_session

    sampler = TreeRssSampler()
    sampler.start()
    t = time.perf_counter()
    spark = spark_session("local[2]", conf={"spark.sql.shuffle.partitions": "64", "spark.driver.memory": "6g"})
    print(f"Spark local[2] session started in {time.perf_counter() - t:.1f} s")
    results = [run_size(n, args, spark, sampler) for n in args.exams]
    sampler.stop()

    print("\n=== where Spark (local[2]) starts to win on this machine ===")
    for stage in ("nlp", "link"):
        ratios = [(r["exams"], r[stage][1] / r[stage][0]) for r in results if stage in r]
        wins = [n for n, q in ratios if q < 1.0]
        text = ", ".join(f"{n:,} exams: {q:.2f}" for n, q in ratios)
        print(f"{stage}: spark/pandas {text} -> "
              + (f"Spark faster from {wins[0]:,} exams" if wins else "not within these sizes"))

    big = results[-1]
    cores = 2
    cluster_cores = args.cluster_executors * args.cores_per_executor
    print(f"\n=== on paper: {args.cluster_executors} executors x {args.cores_per_executor} cores, "
          f"{args.cluster_reports:.0e} reports and as many exams ===")
    total = 0.0
    per_core = {}
    if "nlp" in big:
        per_core["NLP (reports)"] = big["reports"] / (big["nlp"][1] * cores)
    for stage, seconds in big["link_stages"].items():
        unit = big["exams"] if stage == "exam→patient" else big["reports"]
        per_core[f"linkage {stage}"] = unit / (seconds * cores)
    for stage, rate in per_core.items():
        if stage.endswith("delay model"):
            expected = big["link_stages"]["delay model"]  # a fixed sample on the driver
        else:
            expected = args.cluster_reports / (rate * cluster_cores)
        total += expected
        print(f"{stage:<32} {rate:>9,.0f} rows/s per core -> {expected / 60:>7.1f} min")
    print(f"{'total':<32} {'':>9}                      {total / 60:>7.1f} min")


if __name__ == "__main__":
    main()
