"""De-identifier quality on the blind planted-identifier corpus (``benchmarks/deid_corpus``).

The corpus was written by a separate session that never saw radlink's rules: 300
French report texts, titles and DICOM descriptions with identifiers planted in many
forms, and medical words and numbers that must be kept (see its README). This script
runs :class:`radlink.privacy.Deidentifier` on every field, with the patient's own
identity from the corpus' identity columns and a date shift, and reports

* **recall** per identifier kind: a planted identifier counts as found when the spans
  the de-identifier replaces cover all of its letters and digits;
* **kept-word rate** per category: a keep-word counts as kept when no replaced span
  touches it;
* throughput (characters per second).

``--speed N`` measures instead the speed at scale: N reports of the development
generator (``benchmarks/deid_dev/make_dev.py``: report texts with their patients' own
names, ids and dates shift), de-identified as the timeline job does it
(:meth:`Deidentifier.deidentify_series`, one process), against two baselines timed in
the same run on the same texts:

* **plain regex pass**: the e-mail, URL, NIR, phone, date and bare-id patterns only,
  each applied with ``re.sub`` (what a minimal scrubber does; no names, no shifts);
* **naive names**: the plain pass plus, per report, a regex of that patient's name
  parts compiled and applied (the usual first attempt at the patient's own names).

It prints reports/s per core, the ratios, and the estimated time for 10^6 reports on
one and on two cores.

Usage::

    python benchmarks/bench_deid.py [--corpus benchmarks/deid_corpus/corpus]
    python benchmarks/bench_deid.py --speed 20000
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

import pandas as pd

from radlink.privacy.deidentify import Deidentifier, PatientIdentity

FIELDS = ("text", "title", "study_description")


def _identity(row: pd.Series) -> PatientIdentity:
    names = [row.get(c) for c in ("family_name", "given_name", "usage_name")]
    names.append(f"{row['family_name']}^{row['given_name']}")
    ids = [row.get(c) for c in ("patient_id", "accession_number")]
    return PatientIdentity(names=tuple(n for n in names if isinstance(n, str) and n),
                           ids=tuple(i for i in ids if isinstance(i, str) and i))


def _covered(spans: list[tuple[int, int]], start: int, end: int, text: str) -> bool:
    """Every letter and digit of text[start:end] lies inside a replaced span."""
    for i in range(start, end):
        if text[i].isalnum() and not any(a <= i < b for a, b in spans):
            return False
    return True


def _touched(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def score(corpus: Path, shift_days: int = 37) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    reports = pd.read_parquet(corpus / "reports.parquet")
    planted = pd.read_parquet(corpus / "identifiers.parquet")
    keep = pd.read_parquet(corpus / "keep_words.parquet")
    deid = Deidentifier()
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    n_chars = 0
    t0 = time.perf_counter()
    for _, row in reports.iterrows():
        who = _identity(row)
        for field in FIELDS:
            text = row[field]
            if not isinstance(text, str):
                continue
            n_chars += len(text)
            spans[(row["report_id"], field)] = [(a, b) for a, b, *_ in deid.find(text, who, shift_days)]
    elapsed = time.perf_counter() - t0
    texts = {(r["report_id"], f): r[f] for _, r in reports.iterrows() for f in FIELDS}
    planted["found"] = [
        _covered(spans.get((r.report_id, r.field), []), r.start, r.end, texts[(r.report_id, r.field)])
        for r in planted.itertuples()]
    keep["kept"] = [not _touched(spans.get((r.report_id, r.field), []), r.start, r.end)
                    for r in keep.itertuples()]
    return planted, keep, n_chars / elapsed


def _plain_pass():
    import importlib

    D = importlib.import_module("radlink.privacy.deidentify")  # the module, not the function of that name

    steps = [(D._EMAIL, "[EMAIL]"), (D._URL, "[URL]"), (D._NIR, "[NIR]"), (D._PHONE, "[TEL]"),
             (D._DATE_NUMERIC, "[DATE]"), (D._DATE_ISO, "[DATE]"), (D._DATE_DICOM, "[DATE]"),
             (D._DATE_TEXT, "[DATE]"), (D._ID_DIGITS, "[ID]"), (D._ID_ALNUM, "[ID]")]

    def run(text: str) -> str:
        for pattern, placeholder in steps:
            text = pattern.sub(placeholder, text)
        return text
    return run


def measure_speed(n: int, seed: int = 11) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent / "deid_dev"))
    from make_dev import make_report

    r = random.Random(seed)
    rows = [make_report(i, r)[0] for i in range(n)]
    reports = pd.DataFrame(rows)
    identities = {row["patient_id"]: _identity(pd.Series(row)) for row in rows}
    shifts = {k: 30 + i % 300 for i, k in enumerate(identities)}
    texts, keys = reports["text"], reports["patient_id"]
    chars = int(texts.str.len().sum())
    print(f"{n:,} reports of the development generator, {chars / n:,.0f} characters on average")

    plain = _plain_pass()
    t0 = time.perf_counter()
    for text in texts:
        plain(text)
    t_plain = time.perf_counter() - t0

    t0 = time.perf_counter()
    for text, key in zip(texts, keys, strict=True):
        parts = {w for name in identities[key].names for w in re.findall(r"\w{2,}", name)}
        names = re.compile(r"(?i)\b(?:" + "|".join(map(re.escape, sorted(parts, key=len, reverse=True))) + r")\b")
        names.sub("[NOM]", plain(text))
    t_naive = time.perf_counter() - t0

    d = Deidentifier()
    t0 = time.perf_counter()
    d.deidentify_series(texts, keys, identities, shifts)
    t_full = time.perf_counter() - t0

    print(f"{'method':<46} {'reports/s':>10} {'10^6 reports, 1 core':>22} {'2 cores':>9}")
    for name, t in (("plain regex pass (baseline)", t_plain), ("naive names + plain pass (baseline)", t_naive),
                    ("radlink Deidentifier.deidentify_series", t_full)):
        rate = n / t
        print(f"{name:<46} {rate:>10,.0f} {1e6 / rate / 60:>19.1f} min {1e6 / rate / 120:>5.1f} min")
    print(f"radlink / plain regex pass: {t_full / t_plain:.2f}x the time; "
          f"radlink / naive names: {t_full / t_naive:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=Path(__file__).resolve().parent / "deid_corpus" / "corpus")
    parser.add_argument("--speed", type=int, default=0, metavar="N",
                        help="measure reports/s on N generated reports instead of scoring the corpus")
    args = parser.parse_args()
    if args.speed:
        measure_speed(args.speed)
        return
    planted, keep, speed = score(args.corpus)
    required = planted[planted["required"]]
    by_kind = required.groupby("kind")["found"].agg(["size", "mean"]).rename(
        columns={"size": "planted", "mean": "recall"})
    print("Identifiers (required), recall by kind:")
    print(by_kind.to_string(float_format=lambda v: f"{v:.3f}"))
    print(f"ALL required identifiers: recall {required['found'].mean():.3f} "
          f"({int(required['found'].sum())}/{len(required)})")
    by_cat = keep.groupby("category")["kept"].agg(["size", "mean"]).rename(
        columns={"size": "words", "mean": "kept"})
    print("\nKeep-words, kept rate by category:")
    print(by_cat.to_string(float_format=lambda v: f"{v:.3f}"))
    print(f"ALL keep-words: kept {keep['kept'].mean():.3f} ({int(keep['kept'].sum())}/{len(keep)})")
    print(f"\nthroughput: {speed:,.0f} characters/s (one process)")


if __name__ == "__main__":
    main()
