"""Write ``data_samples/omop_cdm54/``: the synthetic sample as an OMOP CDM 5.4 export would hold it.

The files are laid out from the specifications, not from radlink's mapping or exporter:
every table has every column of OMOP CDM 5.4 (OHDSI CommonDataModel,
``OMOP_CDMv5.4_Field_Level.csv``) or of the MI-CDM imaging extension
(``image_occurrence``), in the specification's order, with its concept ids. The way
files come varies as OMOP tools write them: ``PERSON.csv`` and ``CONCEPT.csv``
tab-separated (as Athena's vocabulary files), the other tables comma-separated,
``note.parquet`` in parquet. Persons are numbered 1..N; the IPP is in
``person_source_value``. PET-CT studies have two series (CT then PT), as MI-CDM keeps
one ``image_occurrence`` row per series. Modality concepts are site-local concepts
(ids above 2,000,000,000, the OMOP convention for custom concepts) with DICOM codes.

    python benchmarks/make_omop_cdm54.py [--source data_samples] [-o data_samples/omop_cdm54]

Running it again rewrites the same bytes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "radlink/export/omop_cdm54_schema.json").read_text(encoding="utf-8"))

EHR = 32817  # Type Concept "EHR"
UTF8 = 32678  # CDM 5.4 note.encoding_concept_id convention
GENDER = {"M": 8507, "F": 8532}
VISIT = {"hospitalisation": (9201, "HC"), "day_care": (9202, "HDJ"), "consultation": (9202, "CS"),
         "emergency": (9203, "URG")}  # visit_concept_id, the French source code
MODALITY = {"CT": 2000000001, "PT": 2000000002, "MR": 2000000003, "US": 2000000004,
            "CR": 2000000005, "DX": 2000000006, "NM": 2000000007, "MG": 2000000008}


def _frame(table: str, rows: dict) -> pd.DataFrame:
    """All the CDM columns of ``table``, in order; the ones not given are NULL."""
    names = [c["name"] for c in SCHEMA["tables"][table]["columns"]]
    n = len(next(iter(rows.values())))
    return pd.DataFrame({c: rows.get(c, [None] * n) for c in names})


def _text(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        out[c] = [("" if v is None or (isinstance(v, float) and v != v) or v is pd.NaT
                   else v.strftime("%Y-%m-%d %H:%M:%S") if isinstance(v, pd.Timestamp)
                   else str(int(v)) if isinstance(v, float) and v.is_integer()
                   else str(v)) for v in out[c]]
    return out


def _csv(df: pd.DataFrame, path: Path, sep: str = ",") -> None:
    _text(df).to_csv(path, sep=sep, index=False, lineterminator="\n", encoding="utf-8")


def build(source: Path, out: Path) -> None:
    patients = pd.read_parquet(source / "patients.parquet").sort_values("patient_id")
    stays = pd.read_parquet(source / "stays.parquet").sort_values("stay_id")
    exams = pd.read_parquet(source / "exams.parquet").sort_values(["study_datetime", "exam_id"])
    reports = pd.read_parquet(source / "reports.parquet").sort_values("report_id")
    truth = pd.read_parquet(source / "truth/links.parquet")
    exam_patient = dict(truth[(truth.source_type == "exam") & (truth.target_type == "patient")]
                        [["source_id", "target_id"]].itertuples(index=False))
    report_exam = dict(truth[(truth.source_type == "report") & (truth.target_type == "exam")]
                       [["source_id", "target_id"]].itertuples(index=False))
    person_id = {ipp: i for i, ipp in enumerate(patients["patient_id"], start=1)}
    out.mkdir(parents=True, exist_ok=True)

    births = pd.to_datetime(patients["birth_date"])
    person = _frame("person", {
        "person_id": list(person_id.values()),
        "gender_concept_id": [GENDER.get(s, 0) for s in patients["sex"]],
        "year_of_birth": births.dt.year.tolist(), "month_of_birth": births.dt.month.tolist(),
        "day_of_birth": births.dt.day.tolist(), "birth_datetime": list(births),
        "race_concept_id": [0] * len(patients), "ethnicity_concept_id": [0] * len(patients),
        "person_source_value": patients["patient_id"].tolist(),
        "gender_source_value": patients["sex"].tolist(),
    })
    _csv(person, out / "PERSON.csv", sep="\t")

    units = sorted(stays["unit"].dropna().unique())
    care_site_id = {u: i for i, u in enumerate(units, start=1)}
    _csv(_frame("care_site", {"care_site_id": list(care_site_id.values()), "care_site_name": units}),
         out / "care_site.csv")
    _csv(_frame("visit_occurrence", {
        "visit_occurrence_id": stays["stay_id"].astype(int).tolist(),
        "person_id": [person_id[p] for p in stays["patient_id"]],
        "visit_concept_id": [VISIT[t][0] for t in stays["stay_type"]],
        "visit_start_date": [d.strftime("%Y-%m-%d") for d in stays["start_datetime"]],
        "visit_start_datetime": list(stays["start_datetime"]),
        "visit_end_date": [d.strftime("%Y-%m-%d") for d in stays["end_datetime"]],
        "visit_end_datetime": list(stays["end_datetime"]),
        "visit_type_concept_id": [EHR] * len(stays),
        "care_site_id": [care_site_id.get(u) if isinstance(u, str) else None for u in stays["unit"]],
        "visit_source_value": [VISIT[t][1] for t in stays["stay_type"]],
    }), out / "visit_occurrence.csv")

    codes = [(int(s.stay_id), person_id[s.patient_id], s.start_datetime, c)
             for s in stays.itertuples() if isinstance(s.diagnoses, str) for c in s.diagnoses.split(";")]
    _csv(_frame("condition_occurrence", {
        "condition_occurrence_id": list(range(1, len(codes) + 1)),
        "person_id": [c[1] for c in codes], "condition_concept_id": [0] * len(codes),
        "condition_start_date": [c[2].strftime("%Y-%m-%d") for c in codes],
        "condition_start_datetime": [c[2] for c in codes],
        "condition_type_concept_id": [EHR] * len(codes),
        "visit_occurrence_id": [c[0] for c in codes], "condition_source_value": [c[3] for c in codes],
    }), out / "condition_occurrence.csv")

    procedure_id = {e: i for i, e in enumerate(exams["exam_id"], start=1)}
    _csv(_frame("procedure_occurrence", {
        "procedure_occurrence_id": list(procedure_id.values()),
        "person_id": [person_id[exam_patient[e]] for e in exams["exam_id"]],
        "procedure_concept_id": [0] * len(exams),
        "procedure_date": [d.strftime("%Y-%m-%d") for d in exams["study_datetime"]],
        "procedure_datetime": list(exams["study_datetime"]),
        "procedure_type_concept_id": [EHR] * len(exams),
        "visit_occurrence_id": [int(s) if isinstance(s, str) else None for s in exams["stay_id"]],
        "procedure_source_value": [d[:50] if isinstance(d, str) else None for d in exams["study_description"]],
    }), out / "procedure_occurrence.csv")

    series = []  # one row per series: a PET-CT study has its CT, then its PT series
    for e in exams.itertuples():
        for n, modality in enumerate(["CT", "PT"] if e.modality == "PT\\CT" else [e.modality], start=1):
            series.append((e, n, modality))
    _csv(_frame("image_occurrence", {
        "image_occurrence_id": list(range(1, len(series) + 1)),
        "person_id": [person_id[exam_patient[e.exam_id]] for e, _, _ in series],
        "procedure_occurrence_id": [procedure_id[e.exam_id] for e, _, _ in series],
        "visit_occurrence_id": [int(e.stay_id) if isinstance(e.stay_id, str) else None for e, _, _ in series],
        "image_occurrence_date": [e.study_datetime.strftime("%Y-%m-%d") for e, _, _ in series],
        "image_study_uid": [e.exam_id for e, _, _ in series],
        "image_series_uid": [f"{e.exam_id}.{n}" for e, n, _ in series],
        "modality_concept_id": [MODALITY[m] for _, _, m in series],
    }), out / "image_occurrence.csv")

    note_person = [person_id[p] if isinstance(p, str) else person_id[exam_patient[report_exam[r]]]
                   for r, p in zip(reports["report_id"], reports["patient_id"], strict=True)]
    note = _frame("note", {
        "note_id": reports["report_id"].astype(int).tolist(), "person_id": note_person,
        "note_date": [d.date() for d in reports["report_datetime"]],
        "note_datetime": list(reports["report_datetime"]),
        "note_type_concept_id": [EHR] * len(reports), "note_class_concept_id": [0] * len(reports),
        "note_title": [t if isinstance(t, str) else None for t in reports["title"]], "note_text": reports["text"].tolist(),
        "encoding_concept_id": [UTF8] * len(reports), "language_concept_id": [0] * len(reports),
        "visit_occurrence_id": [int(s) if isinstance(s, str) else None for s in reports["stay_id"]],
    })
    types = {"integer": pa.int64(), "date": pa.date32(), "datetime": pa.timestamp("us")}
    fields = [pa.field(c["name"], types.get(c["type"], pa.string())) for c in SCHEMA["tables"]["note"]["columns"]]
    pq.write_table(pa.Table.from_pandas(note, schema=pa.schema(fields), preserve_index=False)
                   .replace_schema_metadata(None), out / "note.parquet")

    # site-local concepts (ids above 2,000,000,000) for the DICOM modality codes
    concepts = [(cid, f"DICOM modality {m}", "Observation", "DICOM", "Modality", "", m)
                for m, cid in MODALITY.items()]
    _csv(_frame("concept", {
        "concept_id": [c[0] for c in concepts], "concept_name": [c[1] for c in concepts],
        "domain_id": [c[2] for c in concepts], "vocabulary_id": [c[3] for c in concepts],
        "concept_class_id": [c[4] for c in concepts], "standard_concept": [c[5] for c in concepts],
        "concept_code": [c[6] for c in concepts],
        "valid_start_date": ["1970-01-01"] * len(concepts), "valid_end_date": ["2099-12-31"] * len(concepts),
    }), out / "CONCEPT.csv", sep="\t")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "data_samples")
    parser.add_argument("-o", "--out", type=Path, default=ROOT / "data_samples/omop_cdm54")
    args = parser.parse_args()
    build(args.source, args.out)


if __name__ == "__main__":
    main()
