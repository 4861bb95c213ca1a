"""Blocking join: pandas (radlink's ``candidate_pairs``) against DuckDB, on one machine.

Issue 14 asks for "DuckDB for the blocking join if it is faster on one machine
(measure)". This script builds the exam→patient blocking keys of a generated warehouse
once (strict and loose passes, every exam searched, the worst case), then times the
join that turns keys into distinct candidate pairs (drop keys shared by more than
``max_block_size`` patients, join on the key, distinct pairs) with

* ``radlink``: :func:`radlink.linkage.blocking.candidate_pairs` (a numpy sort-merge join);
* ``duckdb``: the same query in SQL on the same arrays (zero-copy from numpy), with
  ``--threads`` threads,

checks that both give the same pairs, and prints wall and CPU seconds (best of
``--repeat``), peak resident memory added by the join, and the ratios. DuckDB is optional (extra ``bench``) and imported only here.

Usage::

    python benchmarks/bench_blocking_join.py --exams 100000 1000000
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_linkage import EXAMS_PER_PATIENT, RssSampler  # noqa: E402


def duckdb_pairs(con, source_keys: pd.DataFrame, target_keys: pd.DataFrame, max_block_size: int) -> pd.DataFrame:
    """Distinct (source_row, target_row) sharing a key, keys with more than ``max_block_size`` targets dropped."""
    con.register("s", source_keys)
    con.register("t", target_keys)
    out = con.execute(f"""
        WITH small AS (SELECT key FROM t GROUP BY key HAVING count(*) <= {int(max_block_size)})
        SELECT DISTINCT s.row AS source_row, t.row AS target_row
        FROM s JOIN t USING (key) JOIN small USING (key)
        ORDER BY source_row, target_row
    """).df()
    con.unregister("s")
    con.unregister("t")
    return out


def _timed(fn, sampler):
    """Result, wall seconds, CPU seconds (every thread of the process) and resident memory added."""
    before = sampler.samples[-1][1] if sampler.samples else 0.0
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return result, seconds, cpu, sampler.peak_between(start, time.perf_counter()) - before


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exams", type=int, nargs="+", default=[100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    import duckdb

    from radlink.linkage.blocking import candidate_pairs
    from radlink.linkage.exam_patient import (
        _keys,
        patient_block_keys,
        prepare_exams,
        prepare_patients,
    )
    from radlink.synth import generate

    con = duckdb.connect()
    con.execute(f"SET threads TO {int(args.threads)}")
    for n_exams in args.exams:
        ds = generate(int(round(n_exams / EXAMS_PER_PATIENT)), seed=args.seed)
        ex, pt = prepare_exams(ds.exams), prepare_patients(ds.patients)
        for level in ("strict", "loose"):
            s_keys = _keys(ex, side="exam", level=level)
            t_keys = patient_block_keys(pt, level)
            sampler = RssSampler(0.005)
            sampler.start()
            time.sleep(0.02)
            best = {"numpy": (np.inf, 0.0, 0.0), "duckdb": (np.inf, 0.0, 0.0)}
            for _ in range(args.repeat):
                p, *m = _timed(lambda s=s_keys, t=t_keys: candidate_pairs(s, t, max_block_size=100), sampler)
                best["numpy"] = min(best["numpy"], tuple(m))
                d, *m = _timed(lambda s=s_keys, t=t_keys: duckdb_pairs(con, s, t, 100), sampler)
                best["duckdb"] = min(best["duckdb"], tuple(m))
            sampler.stop()
            same = (len(p) == len(d) and np.array_equal(p["source_row"].to_numpy(), d["source_row"].to_numpy())
                    and np.array_equal(p["target_row"].to_numpy(), d["target_row"].to_numpy()))
            print(f"{len(ex):,} exams x {len(pt):,} patients, {level} keys ({len(s_keys):,} x {len(t_keys):,} keys, "
                  f"{len(p):,} pairs, same pairs: {same}): radlink (numpy) {best['numpy'][0]:.2f} s wall, "
                  f"{best['numpy'][1]:.2f} s CPU (+{best['numpy'][2]:.0f} MB); duckdb ({args.threads} threads) "
                  f"{best['duckdb'][0]:.2f} s wall, {best['duckdb'][1]:.2f} s CPU (+{best['duckdb'][2]:.0f} MB); "
                  f"duckdb / radlink wall {best['duckdb'][0] / best['numpy'][0]:.2f}x, "
                  f"CPU {best['duckdb'][1] / best['numpy'][1]:.2f}x")


if __name__ == "__main__":
    main()
