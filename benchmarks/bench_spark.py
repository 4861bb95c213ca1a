"""Spark engine benchmark: time and peak memory per stage, pandas and Spark engines, same run.

For each size (10^4 and 10^5 exams by default, about as many reports) the script
generates a synthetic warehouse (``radlink.synth``), writes it as parquet (row groups of
50,000 rows, as a warehouse export: Spark reads them as partitions) and runs, on the
same files:

* the **pandas engine** (the baseline), each step in a child process: ``radlink extract
  --jobs 2`` (streaming its three tables to parquet), and ``load_dataset`` then
  ``radlink.linkage.link``, its links written with ``radlink.outputs.write_parquet``;
* the **Spark engine** on ``local[2]`` (the same 2 cores, :data:`radlink.engines.LOCAL_CONF`):
  ``ReportExtractor().extract`` of the parquet reports and :func:`radlink.spark.link_spark`
  of the four parquet tables, each result written to parquet by Spark (nothing collected).

Peak memory is resident memory sampled every 50 ms: for a pandas step, of its child
process and that one's workers; for a Spark step, of this process (the driver's Python)
with the JVM and its Python workers; and the whole tree's over the run. The warehouse
is generated in a child process too, so that its memory is not counted. It prints, per size, seconds and
peak memory per stage for both engines, the ratio Spark / pandas, how many rows of the
Spark tables differ from the pandas ones cell by cell (``evidence`` as text; read back
column by column), the Spark linkage's own stages, and the Spark per-core throughput
of each stage; then the expected time of the Spark engine on a cluster
(``--cluster-executors`` × ``--cores-per-executor`` cores) for ``--cluster-reports``
reports and as many exams, from the per-core throughput measured at the largest size
(linear scaling, no shuffle or driver limit assumed: a floor, not a promise).

Above ``LinkageSettings.delay_sample_reports`` (200,000) reports, both engines fit the
report-delay model on the same sample of patients (:mod:`radlink.linkage.delay_sample`),
so their links should not differ at any size (the differing cells are counted).

Usage::

    pip install '.[spark]'
    flock /tmp/radlink-heavy.lock python benchmarks/bench_spark.py              # 10^4 and 10^5
    flock /tmp/radlink-heavy.lock python benchmarks/bench_spark.py --exams 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

EXAMS_PER_PATIENT = 4.11  # what radlink.synth produces on average


class TreeRssSampler(threading.Thread):
    """Resident memory of this process and its descendants, every ``interval`` seconds.

    Each sample splits the tree in three: this process (the Spark driver's Python),
    the JVM with its Python workers (the Spark engine's), and the other children (the
    pandas engine's steps, each a process of its own).
    """

    def __init__(self, interval: float = 0.05):
        super().__init__(daemon=True)
        self.interval = interval
        self.samples: list[tuple[float, float, float, float]] = []  # time, this process, spark, others
        self._stop_event = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE") / 2**20

    def _split_mb(self) -> tuple[float, float, float]:
        parents: dict[int, int] = {}
        rss: dict[int, float] = {}
        names: dict[int, str] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                head, tail = (entry / "stat").read_text().rsplit(")", 1)
                stat = tail.split()
                pid = int(entry.name)
                parents[pid] = int(stat[1])
                rss[pid] = int(stat[21]) * self._page
                names[pid] = head.split("(", 1)[1]
            except (OSError, IndexError, ValueError):
                continue
        children: dict[int, list[int]] = {}
        for pid, ppid in parents.items():
            children.setdefault(ppid, []).append(pid)

        def subtree(root: int) -> float:
            seen, frontier = {root}, [root]
            while frontier:
                for child in children.get(frontier.pop(), []):
                    if child not in seen:
                        seen.add(child)
                        frontier.append(child)
            return sum(rss.get(pid, 0.0) for pid in seen)

        me = os.getpid()
        spark = others = 0.0
        for child in children.get(me, []):
            if names.get(child) == "java":
                spark += subtree(child)
            else:
                others += subtree(child)
        return rss.get(me, 0.0), spark, others

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.samples.append((time.perf_counter(), *self._split_mb()))
            time.sleep(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def peak_between(self, start: float, stop: float, part: str = "tree") -> float:
        """Peak MB between two times: of the whole ``tree``, the ``spark`` engine (this process,
        the JVM and its workers) or the ``pandas`` engine (the child processes of its steps)."""
        def size(sample):
            _, me, spark, others = sample
            return {"tree": me + spark + others, "spark": me + spark, "pandas": others}[part]

        inside = [size(x) for x in self.samples if start <= x[0] <= stop]
        return max(inside) if inside else float("nan")


ROW_GROUP = 50_000  # rows per parquet row group of the inputs (Spark partitions)


def _write_inputs(ds, folder: Path) -> None:
    """The dataset as ``load_dataset`` reads it, in row groups Spark reads as partitions."""
    import pyarrow.parquet as pq

    from radlink.synth import write_dataset

    write_dataset(ds, folder)
    for table in ("patients", "exams", "stays", "reports"):
        path = folder / f"{table}.parquet"
        pq.write_table(pq.read_table(path), path, row_group_size=ROW_GROUP, compression="zstd")


def _order(path, keys: list[str]) -> np.ndarray:
    """Row order of a parquet table (file or Spark folder) sorted by ``keys``."""
    import pyarrow.parquet as pq

    frame = pq.read_table(path, columns=keys).to_pandas()
    return np.lexsort([frame[k].astype(object).fillna("").astype(str).to_numpy() for k in reversed(keys)])


def _differing_rows(local_path, spark_path, keys: list[str]) -> int:
    """Rows that differ in any cell, tables read back one column at a time (text as text)."""
    import pyarrow.parquet as pq

    a_schema, b_schema = pq.read_schema(local_path), pq.read_schema(_first_file(spark_path))
    a_rows = pq.ParquetFile(local_path).metadata.num_rows
    b_rows = sum(pq.ParquetFile(f).metadata.num_rows for f in _files(spark_path))
    if a_rows != b_rows or a_schema.names != b_schema.names:
        return max(a_rows, b_rows)
    a_order, b_order = _order(local_path, keys), _order(spark_path, keys)
    differ = np.zeros(a_rows, dtype=bool)
    for col in a_schema.names:
        x = pq.read_table(local_path, columns=[col]).column(0).to_numpy(zero_copy_only=False)[a_order]
        y = pq.read_table(spark_path, columns=[col]).column(0).to_numpy(zero_copy_only=False)[b_order]
        x, y = x.astype(object), y.astype(object)
        missing_x, missing_y = pd.isna(x), pd.isna(y)
        differ |= (missing_x != missing_y) | (~missing_x & ~missing_y & (x != y))
    return int(differ.sum())


def _files(path) -> list[Path]:
    path = Path(path)
    return sorted(path.glob("*.parquet")) if path.is_dir() else [path]


def _first_file(path) -> Path:
    return _files(path)[0]


def _stage(sampler: TreeRssSampler, fn, part: str):
    start = time.perf_counter()
    value = fn()
    stop = time.perf_counter()
    return value, stop - start, sampler.peak_between(start, stop, part)


def write_inputs(n_exams: int, seed: int, folder: str) -> None:
    """Generate and write a warehouse, as a child process (its memory back to the system after)."""
    from radlink.synth import generate

    t = time.perf_counter()
    synth = generate(max(1, round(n_exams / EXAMS_PER_PATIENT)), seed=seed)
    _write_inputs(synth, Path(folder))
    print(json.dumps({"exams": len(synth.exams), "reports": len(synth.reports),
                      "patients": len(synth.patients), "seconds": time.perf_counter() - t}))


def pandas_linkage(folder: str, links_path: str) -> None:
    """The pandas engine's linkage of a dataset folder, as a child process: prints its figures as JSON."""
    from radlink.dataset import load_dataset
    from radlink.linkage import link
    from radlink.outputs import write_parquet

    t = time.perf_counter()
    ds = load_dataset(folder)
    load = time.perf_counter() - t
    timings: dict = {}
    links = link(ds.patients, ds.exams, ds.stays, ds.reports, timings=timings, validate=False)
    write_parquet(links, links_path)
    print(json.dumps({"load": load, "links": len(links), "timings": timings}))


def run_size(n_exams: int, args, spark, sampler, work: Path) -> dict:
    from radlink.nlp import ReportExtractor
    from radlink.spark import link_spark

    folder = work / f"in_{n_exams}"
    made = json.loads(subprocess.run([sys.executable, __file__, "--write-inputs", str(n_exams), str(args.seed),
                                      str(folder)], check=True, capture_output=True, text=True)
                      .stdout.strip().splitlines()[-1])
    out = {"exams": made["exams"], "reports": made["reports"]}
    print(f"\n=== {made['exams']:,} exams, {made['reports']:,} reports, {made['patients']:,} patients "
          f"(generated and written in {made['seconds']:.0f} s) ===", flush=True)
    res = {engine: work / f"{engine}_{n_exams}" for engine in ("pandas", "spark")}
    for path in res.values():
        path.mkdir(parents=True, exist_ok=True)
    rows = []

    def report(stage, engine, sec, mb):
        rows.append((stage, engine, sec, mb))
        print(f"  {stage:<9} {engine:<26} {sec:>8.1f} s {mb:>8.0f} MB", flush=True)

    # the pandas engine, each step in a process of its own (memory back to the system after it)
    if not args.no_nlp:
        _, sec, mb = _stage(sampler, lambda: subprocess.run(
            [sys.executable, "-c", "from radlink.cli import main; main()", "extract", str(folder / "reports.parquet"),
             "-o", str(res["pandas"] / "nlp"), "--jobs", "2", "--no-progress"], check=True), "pandas")
        report("NLP", "pandas (extract --jobs 2)", sec, mb)
        out["nlp"] = [sec]
    done, sec, mb = _stage(sampler, lambda: subprocess.run(
        [sys.executable, __file__, "--pandas-linkage", str(folder), str(res["pandas"] / "links.parquet")],
        check=True, capture_output=True, text=True), "pandas")
    pandas = json.loads(done.stdout.strip().splitlines()[-1])
    report("linkage", "pandas (load + link)", sec, mb)
    out["links"], timings = pandas["links"], pandas["timings"]
    out["link"] = [sec - pandas["load"]]
    print(f"  (load_dataset {pandas['load']:.1f} s of it; linkage alone {out['link'][0]:.1f} s)")

    # the Spark engine, on the same files
    if not args.no_nlp:
        def spark_nlp():
            sdf = spark.read.parquet(str(folder / "reports.parquet")).select("report_id", "text", "title")
            result = ReportExtractor().extract(sdf)
            for name, table in (("report_facts", result.facts), ("findings", result.findings)):
                table.write.mode("overwrite").parquet(str(res["spark"] / "nlp" / f"{name}.parquet"))
            return sdf.rdd.getNumPartitions()

        out["nlp_partitions"], sec, mb = _stage(sampler, spark_nlp, "spark")
        report("NLP", "spark local[2]", sec, mb)
        out["nlp"].append(sec)
        out["nlp_differ"] = sum(
            _differing_rows(res["pandas"] / "nlp" / f"{name}.parquet", res["spark"] / "nlp" / f"{name}.parquet",
                            keys) for name, keys in (("report_facts", ["report_id"]), ("findings", ["finding_id"])))
    spark_timings: dict = {}

    def spark_linkage():
        tables = {t: spark.read.parquet(str(folder / f"{t}.parquet")) for t in ("patients", "exams", "stays",
                                                                                "reports")}
        links = link_spark(**tables, spark=spark, timings=spark_timings)
        links.write.mode("overwrite").parquet(str(res["spark"] / "links.parquet"))

    _, sec, mb = _stage(sampler, spark_linkage, "spark")
    report("linkage", "spark local[2]", sec, mb)
    out["link"].append(sec)
    out["link_stages"] = spark_timings
    out["link_differ"] = _differing_rows(res["pandas"] / "links.parquet", res["spark"] / "links.parquet",
                                         ["source_type", "target_type", "source_id"])
    for stage in ("nlp", "link"):
        if stage in out:
            p, s = out[stage]
            print(f"{stage}: spark / pandas time = {s / p:.2f}; rows differing: {out[stage + '_differ']:,}")
    print(f"links: {out['links']:,} rows")
    print("spark linkage stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in spark_timings.items()))
    print("pandas linkage stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()), flush=True)
    if not args.keep:
        shutil.rmtree(folder)
        for path in res.values():
            shutil.rmtree(path)
    return out


def summary(results: list[dict], args) -> None:
    """Where Spark starts to win, and the cluster estimate from the largest size measured so far."""
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
          f"{args.cluster_reports:.0e} reports and as many exams (from {big['exams']:,} exams) ===")
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
    print(f"{'total':<32} {'':>9}                      {total / 60:>7.1f} min", flush=True)


def main(argv=None) -> None:
    if argv is None and len(sys.argv) == 4 and sys.argv[1] == "--pandas-linkage":
        pandas_linkage(sys.argv[2], sys.argv[3])
        return
    if argv is None and len(sys.argv) == 5 and sys.argv[1] == "--write-inputs":
        write_inputs(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exams", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-nlp", action="store_true", help="linkage only")
    parser.add_argument("--work", type=Path, default=None, help="folder for the inputs and outputs "
                        "(default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the inputs and outputs")
    parser.add_argument("--cluster-executors", type=int, default=20)
    parser.add_argument("--cores-per-executor", type=int, default=4)
    parser.add_argument("--cluster-reports", type=float, default=3e7)
    args = parser.parse_args(argv)

    from radlink.engines import spark_session

    sampler = TreeRssSampler()
    sampler.start()
    t = time.perf_counter()
    spark = spark_session("local[2]")  # radlink.engines.LOCAL_CONF, as a user gets it
    print(f"Spark local[2] session started in {time.perf_counter() - t:.1f} s; "
          + ", ".join(f"{k}={spark.conf.get(k)}" for k in ("spark.driver.memory", "spark.sql.shuffle.partitions",
                                                             "spark.sql.execution.arrow.maxRecordsPerBatch")))
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_spark_"))
    results = []
    for n in args.exams:  # the summary after each size: a long run still reports what it measured
        results.append(run_size(n, args, spark, sampler, work))
        print(f"\nrun so far: peak {max(a + b + c for _, a, b, c in sampler.samples):,.0f} MB (process tree)")
        summary(results, args)
    sampler.stop()


if __name__ == "__main__":
    main()
