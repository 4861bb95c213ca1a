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

Usage::

    python benchmarks/bench_deid.py [--corpus benchmarks/deid_corpus/corpus]
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=Path(__file__).resolve().parent / "deid_corpus" / "corpus")
    args = parser.parse_args()
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
