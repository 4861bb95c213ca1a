"""A timeline as OMOP CDM 5.4 tables, with the imaging extension (MI-CDM) for exams and findings.

What is written, from what
--------------------------
=======================  ==============================================================
table                    rows
=======================  ==============================================================
``person``               each patient of the timeline with a birth year (the CDM
                         requires ``year_of_birth``): needs the dataset's patients
``visit_occurrence``     each stay of the timeline
``procedure_occurrence`` each exam (``image_occurrence`` requires one)
``image_occurrence``     each exam, at study level: ``image_series_uid`` repeats the study
                         UID, as radlink does not know the series
``note``                 each report of the timeline: needs the report texts
``note_nlp``             each finding (:func:`radlink.nlp.omop.to_note_nlp`)
``measurement``          each SUVmax (lesion or reference) and each lesion size of a
                         finding that is not negated
``image_feature``        each measurement of a finding whose report is linked to an exam
                         (``image_feature_event_id`` = ``measurement_id``), and each such
                         lesion without a measurement; ``image_finding_id`` groups the
                         features of one finding
=======================  ==============================================================

Ids: a table whose radlink ids are all integers below 2^31 keeps them (a note keeps its
``note_id``, so ``note_nlp`` points at the site's own ``note`` table); otherwise rows are
numbered from 1 in the ids' sorted order. ``radlink_ids.csv`` gives every OMOP id's
radlink id. Concept ids come from ``omop_concepts.toml`` (0 where not checked) and are
listed in the folder's README.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from radlink.nlp.omop import to_note_nlp

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["OmopExport", "load_concepts", "to_omop", "omop_ids"]

_CONCEPTS_FILE = Path(__file__).with_name("omop_concepts.toml")
_INT32 = 2**31 - 1


def load_concepts(path: str | Path | None = None) -> dict[str, dict[str, dict]]:
    """The concept ids to write: the shipped file, with a site's own file laid over it.

    Examples
    --------
    >>> load_concepts()["note"]["encoding_utf8"]["id"]
    32678
    """
    concepts = tomllib.loads(_CONCEPTS_FILE.read_text(encoding="utf-8"))
    if path is not None:
        for section, entries in tomllib.loads(Path(path).read_text(encoding="utf-8")).items():
            for key, entry in entries.items():
                entry = entry if isinstance(entry, dict) else {"id": int(entry)}
                base = concepts.setdefault(section, {}).get(key, {"name": key})
                concepts[section][key] = {**base, **entry, "source": entry.get("source", "site mapping")}
    return concepts


def omop_ids(values, table: str = "") -> dict[str, int]:
    """radlink ids -> OMOP integer ids: kept when all are integers below 2^31, else numbered.

    Examples
    --------
    >>> omop_ids(["100004", "100002"])
    {'100002': 100002, '100004': 100004}
    >>> omop_ids(["1.2.250.7", "1.2.250.3"])
    {'1.2.250.3': 1, '1.2.250.7': 2}
    """
    ids = sorted({str(v) for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))})
    if ids and all(v.isdigit() and int(v) <= _INT32 for v in ids):
        return {v: int(v) for v in ids}
    return {v: i for i, v in enumerate(ids, start=1)}


@dataclass
class OmopExport:
    """OMOP CDM tables built from a timeline.

    Attributes
    ----------
    tables : dict
        CDM table name -> frame in that table's columns (Python values; see
        :func:`radlink.export.schema.format_table` for the text form).
    ids : pandas.DataFrame
        ``table, omop_id, radlink_id``: which radlink id each OMOP id stands for.
    concepts_used : list of tuple
        ``(section.key, concept_id, name, source)`` of every concept written.
    notes : list of str
        What was left out and why (counts only).
    """

    tables: dict[str, pd.DataFrame]
    ids: pd.DataFrame
    concepts_used: list[tuple[str, int, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value)) and value is not pd.NaT \
        and not (isinstance(value, str) and value == "") and not pd.isna(value)


class _Concepts:
    """Concept look-ups that remember what they wrote (for the README)."""

    def __init__(self, concepts: dict[str, dict[str, dict]]):
        self.concepts = concepts
        self.used: dict[str, tuple[int, str, str]] = {}

    def id(self, section: str, key) -> int:
        if not _present(key):
            return 0
        entry = self.concepts.get(section, {}).get(str(key))
        if entry is None:
            self.used.setdefault(f"{section}.{key}", (0, str(key), "no entry: unmapped"))
            return 0
        self.used[f"{section}.{key}"] = (int(entry["id"]), entry.get("name", str(key)), entry.get("source", ""))
        return int(entry["id"])

    def listing(self) -> list[tuple[str, int, str, str]]:
        return [(k, *v) for k, v in sorted(self.used.items())]


def _events(timeline: pd.DataFrame, kind: str) -> pd.DataFrame:
    return timeline[timeline["event_type"] == kind].reset_index(drop=True)


def _date(value):
    return pd.Timestamp(value).date() if _present(value) else None


def to_omop(
    timeline: pd.DataFrame,
    findings: pd.DataFrame,
    *,
    patients: pd.DataFrame | None = None,
    stays: pd.DataFrame | None = None,
    reports: pd.DataFrame | None = None,
    concepts: dict[str, dict[str, dict]] | None = None,
    nlp_system: str | None = None,
    nlp_datetime: dt.datetime | None = None,
) -> OmopExport:
    """Build the OMOP CDM tables of a timeline (see the module docstring).

    Parameters
    ----------
    timeline, findings : pandas.DataFrame
        ``timeline.parquet`` and ``findings.parquet`` of a timeline output.
    patients, stays, reports : pandas.DataFrame, optional
        The dataset's tables, for what the timeline does not keep: birth dates and sex
        (``person``), stay types (``visit_concept_id``), report texts and titles
        (``note``; ``note_nlp.lexical_variant`` as written). Without ``patients``
        no ``person`` table is written; without ``reports``, no ``note`` table.
    concepts : dict, optional
        From :func:`load_concepts` (default: the shipped file).
    nlp_system, nlp_datetime : optional
        Written in ``note_nlp`` and ``image_feature`` (default: radlink and its version;
        now).

    Returns
    -------
    OmopExport

    Examples
    --------
    >>> timeline = pd.DataFrame({
    ...     "patient_id": ["P1", "P1"], "event_type": ["exam", "report"],
    ...     "start": pd.to_datetime(["2024-01-02 10:00", "2024-01-03 09:00"]),
    ...     "stay_id": [None, None], "exam_id": ["1.2.3", "1.2.3"], "report_id": [None, "42"],
    ...     "label": ["TEP-TDM FDG", "TEP-TDM FDG"], "modality": ["PT", "PT"]})
    >>> findings = pd.DataFrame({"report_id": ["42"], "finding_id": ["42-01"], "kind": ["lesion"],
    ...     "site": ["lung"], "laterality": ["right"], "size_mm": [18.0], "suvmax": [8.9],
    ...     "previous_suvmax": [None], "negated": [False], "hypothesis": [False],
    ...     "section": ["results"], "start": [0], "end": [6], "snippet": ["Nodule"]})
    >>> out = to_omop(timeline, findings, nlp_datetime=dt.datetime(2024, 1, 4))
    >>> sorted(out.tables)
    ['image_feature', 'image_occurrence', 'measurement', 'note_nlp', 'procedure_occurrence', 'visit_occurrence']
    >>> out.tables["measurement"][["measurement_source_value", "value_as_number"]].values.tolist()
    [['SUVmax', 8.9], ['size_mm', 18.0]]
    >>> out.tables["image_feature"]["image_feature_event_id"].tolist()
    [1, 2]
    """
    import radlink

    concept = _Concepts(concepts or load_concepts())
    system = nlp_system or f"radlink {radlink.__version__}"
    when = nlp_datetime or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    ehr = concept.id("type", "ehr")
    nlp_type = concept.id("type", "nlp")
    notes: list[str] = []

    needed = ("patient_id", "event_type", "start", "end", "stay_id", "exam_id", "report_id", "label", "modality")
    timeline = timeline.reindex(columns=list(dict.fromkeys([*timeline.columns, *needed])))
    exams = _events(timeline, "exam").drop_duplicates("exam_id")
    stay_events = _events(timeline, "stay").drop_duplicates("stay_id")
    report_events = _events(timeline, "report").drop_duplicates("report_id")
    person_ids = omop_ids(timeline["patient_id"])
    visit_ids = omop_ids(stay_events["stay_id"])
    image_ids = omop_ids(exams["exam_id"])
    note_ids = omop_ids(pd.concat([report_events["report_id"], findings["report_id"]], ignore_index=True))

    def visit(stay_id):
        return visit_ids.get(str(stay_id)) if _present(stay_id) else None

    tables: dict[str, pd.DataFrame] = {}
    # person: needs the birth year the CDM requires
    if patients is not None:
        known = patients.assign(patient_id=patients["patient_id"].astype(str)).drop_duplicates("patient_id")
        known = known[known["patient_id"].isin(person_ids)]
        births = pd.to_datetime(known["birth_date"], errors="coerce")
        without = int(births.isna().sum()) + len(set(person_ids) - set(known["patient_id"]))
        known, births = known[births.notna()], births[births.notna()]
        if without:
            notes.append(f"{without} patient(s) without a birth date are not in person "
                         "(the CDM requires year_of_birth)")
        tables["person"] = pd.DataFrame({
            "person_id": [person_ids[p] for p in known["patient_id"]],
            "gender_concept_id": [concept.id("gender", s) for s in known["sex"]],
            "year_of_birth": births.dt.year.to_numpy(),
            "month_of_birth": births.dt.month.to_numpy(),
            "day_of_birth": births.dt.day.to_numpy(),
            "birth_datetime": births.to_numpy(),
            "race_concept_id": 0,
            "ethnicity_concept_id": 0,
            "person_source_value": known["patient_id"].to_numpy(),
            "gender_source_value": known["sex"].to_numpy(),
        }).sort_values("person_id", kind="stable")
    else:
        notes.append("no dataset patients: person is not written (birth year and sex are not in a timeline)")

    stay_types: dict[str, str] = {}
    if stays is not None and "stay_type" in stays.columns:
        stay_types = dict(zip(stays["stay_id"].astype(str), stays["stay_type"], strict=True))
    tables["visit_occurrence"] = pd.DataFrame({
        "visit_occurrence_id": [visit_ids[str(s)] for s in stay_events["stay_id"]],
        "person_id": [person_ids[str(p)] for p in stay_events["patient_id"]],
        "visit_concept_id": [concept.id("visit", stay_types.get(str(s))) for s in stay_events["stay_id"]],
        "visit_start_date": [_date(v) for v in stay_events["start"]],
        "visit_start_datetime": stay_events["start"].to_numpy(),
        # the CDM requires an end date: a stay without one ends the day it starts
        "visit_end_date": [_date(e) if _present(e) else _date(s)
                           for s, e in zip(stay_events["start"], stay_events["end"], strict=True)],
        "visit_end_datetime": stay_events["end"].to_numpy(),
        "visit_type_concept_id": ehr,
        "visit_source_value": [stay_types.get(str(s)) for s in stay_events["stay_id"]],
    })

    image_id = [image_ids[str(e)] for e in exams["exam_id"]]
    exam_person = [person_ids[str(p)] for p in exams["patient_id"]]
    tables["procedure_occurrence"] = pd.DataFrame({
        "procedure_occurrence_id": image_id,
        "person_id": exam_person,
        "procedure_concept_id": 0,
        "procedure_date": [_date(v) for v in exams["start"]],
        "procedure_datetime": exams["start"].to_numpy(),
        "procedure_type_concept_id": ehr,
        "visit_occurrence_id": [visit(s) for s in exams["stay_id"]],
        "procedure_source_value": exams["label"].to_numpy(),
    })
    tables["image_occurrence"] = pd.DataFrame({
        "image_occurrence_id": image_id,
        "person_id": exam_person,
        "procedure_occurrence_id": image_id,
        "visit_occurrence_id": [visit(s) for s in exams["stay_id"]],
        "image_occurrence_date": [_date(v) for v in exams["start"]],
        "image_study_uid": exams["exam_id"].astype(str).to_numpy(),
        "image_series_uid": exams["exam_id"].astype(str).to_numpy(),
        "modality_concept_id": [concept.id("modality", m) for m in exams["modality"]],
    })

    texts: dict[str, str] = {}
    if reports is not None:
        texts = dict(zip(reports["report_id"].astype(str), reports["text"], strict=True))
        titles = dict(zip(reports["report_id"].astype(str),
                          reports["title"] if "title" in reports.columns else [None] * len(reports), strict=True))
        with_text = report_events[report_events["report_id"].astype(str).isin(texts)]
        tables["note"] = pd.DataFrame({
            "note_id": [note_ids[str(r)] for r in with_text["report_id"]],
            "person_id": [person_ids[str(p)] for p in with_text["patient_id"]],
            "note_date": [_date(v) for v in with_text["start"]],
            "note_datetime": with_text["start"].to_numpy(),
            "note_type_concept_id": ehr,
            "note_class_concept_id": concept.id("note", "class_imaging_report"),
            "note_title": [titles.get(str(r)) for r in with_text["report_id"]],
            "note_text": [texts[str(r)] for r in with_text["report_id"]],
            "encoding_concept_id": concept.id("note", "encoding_utf8"),
            "language_concept_id": concept.id("note", "language_french"),
            "visit_occurrence_id": [visit(s) for s in with_text["stay_id"]],
        })
    else:
        notes.append("no report texts: note is not written; note_nlp.note_id keeps the report ids")

    reports_for_nlp = pd.DataFrame({"report_id": list(texts), "text": list(texts.values())}) if texts else None
    tables["note_nlp"] = to_note_nlp(
        findings, reports_for_nlp, note_ids=note_ids,
        site_concept_ids={k: int(v["id"]) for k, v in concept.concepts.get("site", {}).items()},
        nlp_system=system, nlp_datetime=when)
    for code in findings["site"].dropna().unique():
        concept.id("site", code)

    tables["measurement"], tables["image_feature"] = _measurements(
        findings, report_events, person_ids, image_ids, visit, concept, ehr, nlp_type, system, when)
    ids = pd.DataFrame(
        [(t, i, r) for t, m in (("person", person_ids), ("visit_occurrence", visit_ids),
                                ("image_occurrence", image_ids), ("note", note_ids)) for r, i in m.items()],
        columns=["table", "omop_id", "radlink_id"])
    return OmopExport(tables=tables, ids=ids, concepts_used=concept.listing(), notes=notes)


def _measurements(findings, report_events, person_ids, image_ids, visit, concept, ehr, nlp_type,
                  system, when) -> tuple[pd.DataFrame, pd.DataFrame]:
    """SUVmax and sizes as ``measurement`` rows, and the ``image_feature`` rows tying them to exams."""
    by_report = {str(r.report_id): r for r in report_events.itertuples(index=False)}
    measures, features = [], []
    for finding_number, f in enumerate(findings.itertuples(index=False), start=1):
        event = by_report.get(str(f.report_id))
        if event is None or bool(f.negated):
            continue  # a report not on the timeline has no patient; a negated finding no value
        person = person_ids[str(event.patient_id)]
        image = image_ids.get(str(event.exam_id)) if _present(event.exam_id) else None
        values = [("suvmax", "SUVmax", f.suvmax, None), ("size_mm", "size_mm", f.size_mm, "mm")]
        mine = []
        for key, source, value, unit in values:
            if not _present(value):
                continue
            measurement_id = len(measures) + 1
            mine.append((measurement_id, key))
            measures.append({
                "measurement_id": measurement_id,
                "person_id": person,
                "measurement_concept_id": concept.id("measurement", key),
                "measurement_date": _date(event.start),
                "measurement_datetime": event.start,
                "measurement_type_concept_id": nlp_type,
                "value_as_number": float(value),
                "unit_concept_id": concept.id("measurement", "unit_mm") if unit else None,
                "visit_occurrence_id": visit(event.stay_id),
                "measurement_source_value": source,
                "unit_source_value": unit,
                "value_source_value": f"{float(value):g}",
            })
        if image is None or (f.kind != "lesion" and not mine):
            continue
        for measurement_id, key in mine or [(None, None)]:
            features.append({
                "image_feature_id": len(features) + 1,
                "person_id": person,
                "image_occurrence_id": image,
                "image_feature_event_field_concept_id":
                    concept.id("image", "field_measurement_id") if measurement_id else None,
                "image_feature_event_id": measurement_id,
                "image_feature_concept_id": concept.id("measurement", key) if key
                    else concept.id("image", "finding_lesion"),
                "image_feature_type_concept_id": nlp_type,
                "image_finding_concept_id": concept.id("image", "finding_lesion"),
                "image_finding_id": finding_number,
                "anatomic_site_concept_id": concept.id("site", f.site),
                "alg_system": system,
                "alg_datetime": when,
            })
    measurement_cols = ["measurement_id", "person_id", "measurement_concept_id", "measurement_date",
                        "measurement_datetime", "measurement_type_concept_id", "value_as_number",
                        "unit_concept_id", "visit_occurrence_id", "measurement_source_value",
                        "unit_source_value", "value_source_value"]
    feature_cols = ["image_feature_id", "person_id", "image_occurrence_id",
                    "image_feature_event_field_concept_id", "image_feature_event_id",
                    "image_feature_concept_id", "image_feature_type_concept_id",
                    "image_finding_concept_id", "image_finding_id", "anatomic_site_concept_id",
                    "alg_system", "alg_datetime"]
    return (pd.DataFrame(measures, columns=measurement_cols),
            pd.DataFrame(features, columns=feature_cols))
