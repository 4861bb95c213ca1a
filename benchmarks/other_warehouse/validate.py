#!/usr/bin/env python
"""Check a generated warehouse folder: columns, id uniqueness, truth completeness.

    python validate.py sets/fast_ct [sets/pet_queue ...]

Exits non-zero on the first inconsistent folder. Prints a few rates per set.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

CANON = {
    "patients": ["patient_id", "family_name", "given_name", "birth_date", "sex", "usage_name"],
    "stays": ["stay_id", "patient_id", "start_datetime", "end_datetime", "unit", "stay_type",
              "diagnoses"],
    "exams": ["exam_id", "accession_number", "patient_id", "patient_name", "birth_date", "sex",
              "study_datetime", "modality", "study_description", "body_part", "institution",
              "unit", "stay_id"],
    "reports": ["report_id", "patient_id", "stay_id", "report_datetime", "title", "text",
                "accession_number"],
}
KEY = {"patients": "patient_id", "stays": "stay_id", "exams": "exam_id", "reports": "report_id"}
FAULTS = {"none", "missing_ipp", "mistyped_ipp", "other_patient_ipp", "temporary_ipp"}


def check(folder: Path) -> None:
    t = {n: pd.read_parquet(folder / f"{n}.parquet") for n in CANON}
    for n, cols in CANON.items():
        assert list(t[n].columns) == cols, (n, list(t[n].columns))
        assert t[n][KEY[n]].notna().all() and t[n][KEY[n]].is_unique, f"{n} ids"
    for n, c in [("patients", "birth_date"), ("stays", "start_datetime"), ("stays", "end_datetime"),
                 ("exams", "birth_date"), ("exams", "study_datetime"), ("reports", "report_datetime")]:
        assert pd.api.types.is_datetime64_any_dtype(t[n][c]), (n, c, t[n][c].dtype)
    links = pd.read_parquet(folder / "truth" / "links.parquet")
    faults = pd.read_parquet(folder / "truth" / "exam_faults.parquet")
    assert list(links.columns) == ["source_type", "source_id", "target_type", "target_id"]
    assert list(faults.columns) == ["exam_id", "fault", "identity_noise"]
    ids = {"patient": set(t["patients"].patient_id), "stay": set(t["stays"].stay_id),
           "exam": set(t["exams"].exam_id), "report": set(t["reports"].report_id)}
    for (src, tgt), g in links.groupby(["source_type", "target_type"]):
        assert g.source_id.is_unique, (src, tgt, "duplicate source")
        assert set(g.source_id) == ids[src], (src, tgt, "not every source once")
        tg = g.target_id.dropna()
        assert set(tg) <= ids[tgt], (src, tgt, "unknown target")
    pairs = set(map(tuple, links[["source_type", "target_type"]].drop_duplicates().values))
    assert pairs == {("exam", "patient"), ("exam", "stay"), ("report", "exam"), ("report", "stay")}, pairs
    assert faults.exam_id.is_unique and set(faults.exam_id) == ids["exam"]
    assert set(faults.fault) <= FAULTS
    # truth consistency: exam->stay inside the stay, same patient; report after exam except
    # date-only stamps
    ex = t["exams"].set_index("exam_id")
    st = t["stays"].set_index("stay_id")
    ep = links[(links.source_type == "exam") & (links.target_type == "patient")].set_index("source_id").target_id
    es = links[(links.source_type == "exam") & (links.target_type == "stay")].dropna().set_index("source_id").target_id
    s = st.loc[es.values]
    when = ex.loc[es.index, "study_datetime"].values
    assert ((s.start_datetime.values <= when) & (when <= s.end_datetime.values)).all(), "exam outside its stay"
    assert (s.patient_id.values == ep.loc[es.index].values).all(), "stay of another patient"
    re_ = links[(links.source_type == "report") & (links.target_type == "exam")].dropna().set_index("source_id").target_id
    rep = t["reports"].set_index("report_id")
    dtr = rep.loc[re_.index, "report_datetime"].values - ex.loc[re_.values, "study_datetime"].values
    before = (dtr < pd.Timedelta(0)).mean()
    n_no_exam = links[(links.source_type == "report") & (links.target_type == "exam")].target_id.isna().sum()
    exams = t["exams"]
    print(f"{folder}: OK  patients={len(t['patients'])} stays={len(t['stays'])} exams={len(exams)} "
          f"reports={len(t['reports'])}")
    print(f"  faults: {faults.fault.value_counts(normalize=True).round(3).to_dict()}")
    print(f"  identity noise on {(faults.identity_noise != '').mean():.1%} of exams; "
          f"exam stay_id shown {exams.stay_id.notna().mean():.1%}; exam->stay true {len(es) / len(exams):.1%}")
    print(f"  reports: accession {t['reports'].accession_number.notna().mean():.1%}, "
          f"patient_id {t['reports'].patient_id.notna().mean():.1%}, stay_id {t['reports'].stay_id.notna().mean():.1%}, "
          f"no exam {n_no_exam}, dated before exam {before:.1%}, "
          f"median delay {pd.Series(dtr).median()}")
    print(f"  modalities: {exams.modality.value_counts(normalize=True).round(3).to_dict()}")


if __name__ == "__main__":
    for f in sys.argv[1:]:
        check(Path(f))
