"""Benchmark DICOM header ingestion against a bare pydicom loop, in the same run.

Baseline: ``pydicom.dcmread(path, stop_before_pixels=True)`` over the same files in one
process (a ``try/except`` per file, nothing extracted, nothing grouped). Measured:
``radlink.dicom.ingest_dicom`` with ``jobs=1`` and ``jobs=2`` (walk, header
reading, charset decoding, grouping into studies and table validation included).

Files: ``--n`` tiny header-only files written by
:func:`radlink.dicom.write_header_only_dicom` (4 per study) plus a copy of
pydicom's own ``test_files`` and ``charset_files`` (real headers with pixel data,
truncated and non-DICOM files), or an existing directory given with ``--dir``.
All files are read once before timing, so every variant runs from the page cache.
Wall time and CPU time (the pool's workers included) are both reported: on a shared
machine, the wall-time scaling of ``jobs=2`` depends on what else runs, while headers
per CPU second do not.
Each variant is timed ``--repeat`` times, in interleaved rounds, and the best time is kept.

Run::

    .venv/bin/python benchmarks/bench_dicom_ingest.py --n 5000
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd
import pydicom

from radlink.dicom import ingest_dicom, list_files, write_header_only_dicom


def build_directory(root: Path, n_files: int) -> None:
    """Write ``n_files`` header-only files (4 per study) and copy pydicom's test files."""
    n_exams = max(1, n_files // 4)
    names = ["DURAND^Hélène", "LEFÈVRE^Zoé", "MARTIN^Paul", "NGUYỄN^Anh", "MÜLLER^Jürgen"]
    modalities = ["PT\\CT", "CT", "MR", "CR", "US", "NM"]
    exams = pd.DataFrame({
        "exam_id": [f"1.2.250.1.999.{k}" for k in range(n_exams)],
        "accession_number": [f"A{k:08d}" for k in range(n_exams)],
        "patient_id": [f"{k % 997:08d}" for k in range(n_exams)],
        "patient_name": [names[k % len(names)] for k in range(n_exams)],
        "birth_date": "1950-01-31",
        "sex": ["F" if k % 2 else "M" for k in range(n_exams)],
        "study_datetime": pd.Timestamp("2021-01-04 08:00")
        + pd.to_timedelta(range(n_exams), unit="h"),
        "modality": [modalities[k % len(modalities)] for k in range(n_exams)],
        "study_description": "TEP-TDM FDG CORPS ENTIER",
        "body_part": "WHOLEBODY",
        "institution": "CHU SYNTHESE",
        "unit": "MEDECINE NUCLEAIRE",
    })
    write_header_only_dicom(exams, root / "headers", series_per_study=2,
                            instances_per_series=2, charset="ISO_IR 192")
    data = Path(pydicom.__file__).parent / "data"
    for sub in ("test_files", "charset_files"):
        shutil.copytree(data / sub, root / "pydicom" / sub)


def bare_loop(paths: list[str]) -> int:
    """The baseline: dcmread every file, stop before pixels; count the readable ones."""
    ok = 0
    for path in paths:
        try:
            pydicom.dcmread(path, stop_before_pixels=True)
            ok += 1
        except Exception:  # noqa: BLE001 - the baseline only skips bad files
            pass
    return ok


def cpu_seconds() -> float:
    """CPU time of this process and of its reaped children (the pool's workers)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def timed(func, *args, **kwargs) -> tuple[float, float, object]:
    """Wall seconds, CPU seconds (workers included) and result of one call."""
    cpu, start = cpu_seconds(), time.perf_counter()
    out = func(*args, **kwargs)
    return time.perf_counter() - start, cpu_seconds() - cpu, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="header-only files to write")
    parser.add_argument("--dir", type=Path, help="benchmark this directory instead")
    parser.add_argument("--repeat", type=int, default=5, help="rounds (best time kept)")
    args = parser.parse_args()

    tmp = None
    if args.dir is None:
        tmp = tempfile.mkdtemp(prefix="radlink-bench-dicom-")
        root = Path(tmp)
        build_directory(root, args.n)
    else:
        root = args.dir
    try:
        rel, _ = list_files(root)
        paths = [os.path.join(root, p) for p in rel]
        for p in paths:  # warm the page cache
            with open(p, "rb") as fp:
                fp.read()
        n = len(paths)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        # Rounds interleave the variants, so that load from other processes on a
        # shared machine hits them alike; the best time of each is kept.
        t_bare = t1 = t2 = c_bare = c1 = c2 = float("inf")
        for _ in range(args.repeat):
            t, c, readable = timed(bare_loop, paths)
            t_bare, c_bare = min(t_bare, t), min(c_bare, c)
            t, c, r1 = timed(ingest_dicom, root, jobs=1)
            t1, c1 = min(t1, t), min(c1, c)
            t, c, r2 = timed(ingest_dicom, root, jobs=2)
            t2, c2 = min(t2, t), min(c2, c)
        same = r1.exams.equals(r2.exams) and r1.errors.equals(r2.errors)
        print(f"directory: {root} ({n:,} files; pydicom reads {readable:,} of them; "
              f"radlink counts {r1.n_instances:,} in {r1.n_exams:,} studies, "
              f"{r1.n_errors:,} in errors {r1.errors_by_reason()})")
        print(f"CPU cores: {os.cpu_count()}; load average before: {load}; best of {args.repeat} "
              "interleaved rounds")
        print(f"{'variant':<40} {'wall s':>8} {'headers/s':>10} {'CPU s':>8} {'headers/CPU s':>14}")
        for name, t, c in (("bare dcmread(stop_before_pixels) loop", t_bare, c_bare),
                           ("ingest_dicom(jobs=1)", t1, c1), ("ingest_dicom(jobs=2)", t2, c2)):
            print(f"{name:<40} {t:>8.3f} {n / t:>10,.0f} {c:>8.3f} {n / c:>14,.0f}")
        print(f"ratio ours/bare, per core, jobs=1: {t_bare / t1:.2f}x")
        print(f"ratio ours/bare, per core, jobs=2: {t_bare / (2 * t2):.2f}x (wall), "
              f"{c_bare / c2:.2f}x (per CPU second, pool start included)")
        print(f"scaling jobs=2 / jobs=1:           {t1 / t2:.2f}x (2.00x is linear)")
        print(f"jobs=1 and jobs=2 give the same tables: {same}")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
