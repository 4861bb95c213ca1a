"""Benchmark the synthetic-warehouse generator.

Measures ``radlink.synth.generate`` for a given number of patients, then the
write of every table, and prints seconds, rows per second and the time of each step.
Baseline (measured in the same run, on the same tables): validating the four canonical
tables with :func:`radlink.tables.validate_table` — the least any producer of these
tables pays — reported as the ratio generation / validation.

Usage::

    .venv/bin/python benchmarks/bench_synth.py --patients 250000 --seed 0
"""

from __future__ import annotations

import argparse
import tempfile
import time

from radlink.synth import generate, write_dataset
from radlink.tables import validate_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=20_000, help="number of patients (default 20000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--no-write", action="store_true", help="skip writing the files")
    args = parser.parse_args()

    t0 = time.perf_counter()
    ds = generate(args.patients, args.seed)
    t_gen = time.perf_counter() - t0
    counts = ds.summary()
    n_exams, n_reports = counts["exams"], counts["reports"]
    rows = sum(counts[t] for t in ("patients", "stays", "exams", "reports"))

    t0 = time.perf_counter()
    for name, df in ds.tables().items():
        validate_table(df, name)
    t_base = time.perf_counter() - t0

    t_write = None
    if not args.no_write:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            write_dataset(ds, tmp, format=args.format)
            t_write = time.perf_counter() - t0

    print(f"patients={args.patients:,} seed={args.seed}")
    print("rows: " + ", ".join(f"{k}={v:,}" for k, v in counts.items()))
    print("steps: " + ", ".join(f"{k}={v:.1f}s" for k, v in ds.timings.items()))
    print(f"generate: {t_gen:.1f} s  ({n_exams / t_gen:,.0f} exams/s, {rows / t_gen:,.0f} table rows/s, "
          f"{t_gen / max(n_reports, 1) * 1e6:.0f} us per report incl. everything)")
    print(f"baseline validate_table on the 4 tables: {t_base:.1f} s  -> generate/validate = {t_gen / t_base:.1f}x")
    if t_write is not None:
        print(f"write ({args.format}): {t_write:.1f} s")


if __name__ == "__main__":
    main()
