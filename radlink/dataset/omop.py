"""Read an OMOP CDM 5.4 export as it comes: its own file names, its own columns, the IPP.

An OMOP export is a folder of one file per CDM table, named as the CDM names the table
(``person.csv``, ``PERSON.csv``, ``person.parquet``; comma- or tab-separated, as
:func:`radlink.readers.read_table` detects). radlink reads:

=====================  ==========  =========================================================
CDM table              canonical   how
=====================  ==========  =========================================================
``person``             patients    ``patient_id`` is ``person_source_value`` (the IPP; the
                                   ``person_id`` when it is empty); ``sex`` from
                                   ``gender_source_value``, else ``gender_concept_id``;
                                   ``birth_date`` from ``birth_datetime``, else
                                   ``year/month/day_of_birth``
``visit_occurrence``   stays       ``stay_type`` from ``visit_concept_id`` (else
                                   ``visit_source_value``); ``unit`` from ``care_site``;
                                   ``diagnoses`` from ``condition_occurrence``
``image_occurrence``   exams       MI-CDM (one row per series): one exam per
                                   ``image_study_uid``; time and description from its
                                   ``procedure_occurrence``; modality from ``concept``
``note``               reports     ``note_datetime``, else ``note_date``; a note whose
                                   ``note_event_id`` names an imaging procedure or image
                                   occurrence carries that study as its exam (below)
=====================  ==========  =========================================================

A note's ``note_event_id`` (CDM 5.4: the primary key of the record the note belongs to,
in the table that ``note_event_field_concept_id`` names: 1147082 for
``procedure_occurrence.procedure_occurrence_id``) is kept when it names a
``procedure_occurrence_id`` or an ``image_occurrence_id`` of ``image_occurrence``: the
note and that study then share an order key, written as the accession number of both
(``"note_event:"`` and the study UID, where they carry none), which report→exam linkage
takes as decisive with a consistent patient.

Every other table names its patient by ``person_id``, which is replaced by that
person's IPP, so that exams, reports and stays point at the patients' ids. The optional
tables (``procedure_occurrence``, ``concept``, ``care_site``, ``condition_occurrence``)
are joined when present. Sources: OHDSI CommonDataModel v5.4
(``inst/csv/OMOP_CDMv5.4_Field_Level.csv``) and the MI-CDM imaging extension DDL for
CDM 5.4 (``image_occurrence``, ``image_feature``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from radlink.errors import TableValidationError, ValidationProblem
from radlink.readers import read_table
from radlink.tables import first_stated

__all__ = [
    "CDM_TABLES",
    "GENDER_CONCEPTS",
    "VISIT_CONCEPTS",
    "find_cdm_file",
    "is_cdm_export",
    "person_ids_as_ipps",
    "read_cdm",
]

CDM_TABLES: dict[str, str] = {
    "patients": "person",
    "stays": "visit_occurrence",
    "exams": "image_occurrence",
    "reports": "note",
}
"""Canonical table -> the CDM table it is read from."""

GENDER_CONCEPTS: dict[int, str] = {8507: "M", 8532: "F"}
"""``gender_concept_id`` -> sex (CDM 5.4 conventions: 8507 Male, 8532 Female)."""

VISIT_CONCEPTS: dict[int, str] = {
    9201: "hospitalisation",  # Inpatient Visit (named in the CDM 5.4 visit_detail conventions)
    262: "hospitalisation",  # Emergency Room and Inpatient Visit
    9202: "consultation",  # Outpatient Visit
    9203: "emergency",  # Emergency Room Visit
}
"""``visit_concept_id`` -> canonical ``stay_type`` (standard Visit concepts)."""

_REQUIRED: dict[str, tuple[str, ...]] = {
    "person": ("person_id",),
    "visit_occurrence": ("visit_occurrence_id", "person_id"),
    "image_occurrence": ("image_occurrence_id", "person_id", "image_study_uid"),
    "note": ("note_id", "person_id", "note_text"),
}
_SUFFIXES = (".parquet", ".csv")
_EMISSION = ("PT", "NM")  # named first in a multi-modality study, as PACS write PT\\CT


def find_cdm_file(directory: str | Path, table: str) -> Path | None:
    """The file of CDM ``table`` in ``directory``, whatever the case of its name, or None.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "PERSON.csv").write_text("person_id\\n1\\n")
    >>> find_cdm_file(d, "person").name, find_cdm_file(d, "note")
    ('PERSON.csv', None)
    """
    by_name = {p.name.lower(): p for p in sorted(Path(directory).iterdir()) if p.is_file()}
    return next((by_name[n] for s in _SUFFIXES if (n := f"{table}{s}") in by_name), None)


def is_cdm_export(directory: str | Path) -> bool:
    """Whether ``directory`` holds at least one of the CDM tables radlink reads."""
    return Path(directory).is_dir() and any(
        find_cdm_file(directory, t) is not None for t in CDM_TABLES.values()
    )


def _ids(values: pd.Series) -> pd.Series:
    """Ids as text: ``12``, ``12.0`` and ``"12"`` are ``"12"``; missing is None."""

    def one(v):
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            return None
        if isinstance(v, (float, np.floating)) and float(v).is_integer():
            return str(int(v))
        text = str(v).strip()
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
        return text or None

    return pd.Series([one(v) for v in values], index=values.index, dtype=object)


def _text(values: pd.Series) -> pd.Series:
    """Dates and datetimes as ISO text (CSV text stays as it is); missing is None."""

    def one(v):
        if v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            return None
        if isinstance(v, (dt.datetime, pd.Timestamp)):
            return pd.Timestamp(v).isoformat(sep=" ")
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, np.datetime64):
            return None if np.isnat(v) else pd.Timestamp(v).isoformat(sep=" ")
        text = str(v).strip()
        return text or None

    return pd.Series([one(v) for v in values], index=values.index, dtype=object)


def _column(df: pd.DataFrame, name: str, kind=_text) -> pd.Series:
    if name not in df.columns:
        return pd.Series([None] * len(df), index=df.index, dtype=object)
    return kind(df[name])


def _lookup(keys: pd.Series, table: dict[str, str | None]) -> pd.Series:
    return pd.Series([table.get(k) if k is not None else None for k in keys], index=keys.index,
                     dtype=object)


def _read(directory: Path, table: str, sources: dict[str, Path]) -> pd.DataFrame | None:
    path = find_cdm_file(directory, table)
    if path is None:
        return None
    sources[table] = path
    df = read_table(path)
    df.columns = [str(c).strip().lower() for c in df.columns]  # PERSON_ID as some tools write it
    missing = [c for c in _REQUIRED.get(table, ()) if c not in df.columns]
    if missing:
        raise TableValidationError([
            ValidationProblem(table, c, "all rows", f"the CDM table {table!r} has no column {c!r} "
                              "(OMOP CDM 5.4 names it so)")
            for c in missing
        ])
    return df


def _patients(person: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    person_id = _ids(person["person_id"])
    ipp = first_stated(_column(person, "person_source_value", _ids), person_id)
    sex = first_stated(_column(person, "gender_source_value"),
                       _lookup(_column(person, "gender_concept_id", _ids),
                               {str(k): v for k, v in GENDER_CONCEPTS.items()}))
    year, month, day = (_column(person, c, _ids) for c in ("year_of_birth", "month_of_birth", "day_of_birth"))
    from_parts = pd.Series(
        [f"{y}-{int(m):02d}-{int(d):02d}" if y and m and d and m.isdigit() and d.isdigit() else None
         for y, m, d in zip(year, month, day, strict=True)], index=person.index, dtype=object)
    birth = first_stated(_column(person, "birth_datetime"), from_parts).map(
        lambda v: v[:10] if isinstance(v, str) else v)
    patients = pd.DataFrame({"patient_id": ipp, "birth_date": birth, "sex": sex})
    return patients, dict(zip(person_id, ipp, strict=True))


def _patient_ids(df: pd.DataFrame, ipps: dict[str, str]) -> pd.Series:
    """``person_id`` -> that person's IPP (an unknown person keeps its ``person_id``)."""
    return pd.Series([ipps.get(p, p) if p is not None else None for p in _ids(df["person_id"])],
                     index=df.index, dtype=object)


def _stays(visits: pd.DataFrame, ipps: dict[str, str], care_sites: pd.DataFrame | None,
           conditions: pd.DataFrame | None) -> pd.DataFrame:
    stay_id = _ids(visits["visit_occurrence_id"])
    units: dict[str, str | None] = {}
    if care_sites is not None and {"care_site_id", "care_site_name"} <= set(care_sites.columns):
        units = dict(zip(_ids(care_sites["care_site_id"]), _text(care_sites["care_site_name"]),
                         strict=True))
    diagnoses: dict[str, str] = {}
    if conditions is not None and {"visit_occurrence_id", "condition_source_value"} <= set(conditions.columns):
        codes = pd.DataFrame({"stay": _ids(conditions["visit_occurrence_id"]),
                              "code": _text(conditions["condition_source_value"])}).dropna()
        diagnoses = codes.groupby("stay", sort=False)["code"].agg(
            lambda c: ";".join(dict.fromkeys(c))).to_dict()
    stay_type = first_stated(
        _lookup(_column(visits, "visit_concept_id", _ids), {str(k): v for k, v in VISIT_CONCEPTS.items()}),
        _column(visits, "visit_source_value"))
    return pd.DataFrame({
        "stay_id": stay_id,
        "patient_id": _patient_ids(visits, ipps),
        "start_datetime": first_stated(_column(visits, "visit_start_datetime"), _column(visits, "visit_start_date")),
        "end_datetime": first_stated(_column(visits, "visit_end_datetime"), _column(visits, "visit_end_date")),
        "unit": _lookup(_column(visits, "care_site_id", _ids), units),
        "stay_type": stay_type,
        "diagnoses": _lookup(stay_id, diagnoses),
    })


def _modalities(codes) -> str | None:
    """A study's series modalities as one DICOM-style value, emission first (``PT\\CT``)."""
    unique = sorted({c for c in codes if isinstance(c, str)}, key=lambda c: (c not in _EMISSION, c))
    return "\\".join(unique) or None


def _exams(images: pd.DataFrame, ipps: dict[str, str], procedures: pd.DataFrame | None,
           concepts: pd.DataFrame | None) -> pd.DataFrame:
    codes: dict[str, str | None] = {}
    if concepts is not None and {"concept_id", "concept_code"} <= set(concepts.columns):
        codes = dict(zip(_ids(concepts["concept_id"]), _text(concepts["concept_code"]), strict=True))
    # MI-CDM holds one row per series: a study is one exam, its first series (lowest id)
    # stands for it, and its modality gathers those of every series
    order = pd.to_numeric(_ids(images["image_occurrence_id"]), errors="coerce")
    study = _ids(images["image_study_uid"])
    series_modality = _lookup(_column(images, "modality_concept_id", _ids), codes)
    modality = pd.DataFrame({"study": study, "code": series_modality}).groupby(
        "study", sort=False)["code"].agg(_modalities).to_dict()
    first = (pd.DataFrame({"study": study, "order": order, "pos": np.arange(len(images))})
             .sort_values(["order", "pos"], kind="stable").drop_duplicates("study"))
    images = images.iloc[np.sort(first["pos"].to_numpy())]
    when: dict[str, str | None] = {}
    what: dict[str, str | None] = {}
    if procedures is not None and "procedure_occurrence_id" in procedures.columns:
        pid = _ids(procedures["procedure_occurrence_id"])
        when = dict(zip(pid, first_stated(_column(procedures, "procedure_datetime"),
                                          _column(procedures, "procedure_date")), strict=True))
        what = dict(zip(pid, _column(procedures, "procedure_source_value"), strict=True))
    procedure = _column(images, "procedure_occurrence_id", _ids)
    return pd.DataFrame({
        "exam_id": _ids(images["image_study_uid"]),
        "patient_id": _patient_ids(images, ipps),
        "study_datetime": first_stated(_lookup(procedure, when), _column(images, "image_occurrence_date")),
        "modality": _lookup(_ids(images["image_study_uid"]), modality),
        "study_description": _lookup(procedure, what),
        "stay_id": _column(images, "visit_occurrence_id", _ids),
    }).reset_index(drop=True)


def _reports(notes: pd.DataFrame, ipps: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({
        "report_id": _ids(notes["note_id"]),
        "patient_id": _patient_ids(notes, ipps),
        "stay_id": _column(notes, "visit_occurrence_id", _ids),
        "report_datetime": first_stated(_column(notes, "note_datetime"), _column(notes, "note_date")),
        "title": _column(notes, "note_title"),
        "text": notes["note_text"].astype(object).where(notes["note_text"].notna(), None),
    })


PROCEDURE_ID_FIELD_CONCEPT = "1147082"
"""Concept of the field ``procedure_occurrence.procedure_occurrence_id`` (OMOP Metadata vocabulary)."""

NOTE_EVENT_KEY = "note_event:"
"""Prefix of the order key a note and the study its ``note_event_id`` names both carry."""


def _note_event_studies(notes: pd.DataFrame, images: pd.DataFrame, reports: pd.DataFrame,
                        exams: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``reports`` and ``exams`` where each note whose ``note_event_id`` names a study shares an order key with it.

    The event id is looked up among the imaging ``procedure_occurrence_id`` values (and only
    there when ``note_event_field_concept_id`` is 1147082), else among the
    ``image_occurrence_id`` values; an id naming two studies names none.
    """
    if "note_event_id" not in notes.columns:
        return reports, exams
    event = _ids(notes["note_event_id"]).to_numpy(dtype=object)
    field = _column(notes, "note_event_field_concept_id", _ids).to_numpy(dtype=object)
    study = _ids(images["image_study_uid"])

    def studies_by(key: str) -> dict:
        pairs = pd.DataFrame({"key": _column(images, key, _ids), "study": study}).dropna().drop_duplicates()
        unique = pairs[~pairs["key"].duplicated(keep=False)]
        return dict(zip(unique["key"], unique["study"], strict=True))

    by_procedure, by_image = studies_by("procedure_occurrence_id"), studies_by("image_occurrence_id")
    keys = pd.Series(event, dtype=object)
    from_procedure = _lookup(keys, by_procedure).to_numpy(dtype=object)
    from_image = _lookup(keys, by_image).to_numpy(dtype=object)
    named = np.where(pd.notna(from_procedure) | (field == PROCEDURE_ID_FIELD_CONCEPT), from_procedure, from_image)
    known = pd.notna(named)
    if not known.any():
        return reports, exams
    reports, exams = reports.copy(), exams.copy()
    if "accession_number" not in reports:
        reports["accession_number"] = None
    if "accession_number" not in exams:
        exams["accession_number"] = None
    # the study's own accession number when it has one, else the key written on both
    referenced = exams["exam_id"].isin(set(named[known])).to_numpy()
    e_acc = exams["accession_number"].to_numpy(dtype=object)
    e_key = np.array([f"{NOTE_EVENT_KEY}{e}" for e in exams["exam_id"]], dtype=object)
    exams["accession_number"] = np.where(pd.isna(e_acc) & referenced, e_key, e_acc)
    order_key = dict(zip(exams["exam_id"].to_numpy(dtype=object)[referenced],
                         exams["accession_number"].to_numpy(dtype=object)[referenced], strict=True))
    key = _lookup(pd.Series(np.where(known, named, None), dtype=object), order_key).to_numpy(dtype=object)
    r_acc = reports["accession_number"].to_numpy(dtype=object)
    reports["accession_number"] = np.where(pd.isna(r_acc) & pd.notna(key), key, r_acc)
    return reports, exams


def read_cdm(directory: str | Path) -> tuple[dict[str, pd.DataFrame], dict[str, Path]]:
    """Read the CDM tables of an OMOP export as radlink's canonical tables (not yet validated).

    Parameters
    ----------
    directory : path
        A folder holding CDM tables named as the CDM names them (any case, ``.csv`` or
        ``.parquet``).

    Returns
    -------
    tables : dict
        Canonical table name -> a frame in canonical columns, for each CDM table found.
    sources : dict
        Canonical table name -> the file it was read from.

    Raises
    ------
    TableValidationError
        When a CDM table lacks a column the CDM requires and radlink needs.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "PERSON.csv").write_text("person_id\\tperson_source_value\\tgender_concept_id\\n7\\t0800123\\t8532\\n")
    >>> _ = (d / "note.csv").write_text("note_id,person_id,note_date,note_text\\n1,7,2024-01-02,Pas d'anomalie.\\n")
    >>> tables, sources = read_cdm(d)
    >>> tables["patients"][["patient_id", "sex"]].values.tolist(), tables["reports"]["patient_id"].tolist()
    ([['0800123', 'F']], ['0800123'])
    """
    directory = Path(directory)
    found: dict[str, Path] = {}
    person = _read(directory, "person", found)
    patients, ipps = _patients(person) if person is not None else (None, {})
    visits = _read(directory, "visit_occurrence", found)
    images = _read(directory, "image_occurrence", found)
    notes = _read(directory, "note", found)
    # the tables joined in, read only when the table they complete is there
    wanted = [*(("care_site", "condition_occurrence") if visits is not None else ()),
              *(("procedure_occurrence", "concept") if images is not None else ())]
    extra = {t: _read(directory, t, {}) if t in wanted else None
             for t in ("care_site", "condition_occurrence", "procedure_occurrence", "concept")}
    tables: dict[str, pd.DataFrame] = {}
    if patients is not None:
        tables["patients"] = patients
    if visits is not None:
        tables["stays"] = _stays(visits, ipps, extra["care_site"], extra["condition_occurrence"])
    if images is not None:
        tables["exams"] = _exams(images, ipps, extra["procedure_occurrence"], extra["concept"])
    if notes is not None:
        tables["reports"] = _reports(notes, ipps)
        if images is not None:
            tables["reports"], tables["exams"] = _note_event_studies(notes, images, tables["reports"],
                                                                     tables["exams"])
    sources = {canonical: found[cdm] for canonical, cdm in CDM_TABLES.items() if cdm in found}
    return tables, sources


def person_ids_as_ipps(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Raw tables in radlink's file names but OMOP columns: ``person_id`` becomes the IPP.

    When the ``patients`` table holds both ``person_id`` and ``person_source_value``,
    the IPP is ``person_source_value``: the patients' ``person_id`` column is dropped
    and every other table's ``person_id`` is replaced by that person's IPP, so that the
    ``omop`` column mapping then renames one column to ``patient_id`` in each table.
    Otherwise the tables are returned unchanged.

    Examples
    --------
    >>> person = pd.DataFrame({"person_id": [7], "person_source_value": ["0800123"]})
    >>> note = pd.DataFrame({"note_id": [1], "person_id": [7], "note_text": ["x"]})
    >>> out = person_ids_as_ipps({"patients": person, "reports": note})
    >>> out["patients"].columns.tolist(), out["reports"]["person_id"].tolist()
    (['person_source_value'], ['0800123'])
    """
    person = tables.get("patients")
    if person is None or not {"person_id", "person_source_value"} <= set(person.columns):
        return tables
    patients, ipps = _patients(person)
    out = {"patients": person.drop(columns="person_id").assign(person_source_value=patients["patient_id"])}
    for name, df in tables.items():
        if name != "patients":
            out[name] = df.assign(person_id=_patient_ids(df, ipps)) if "person_id" in df.columns else df
    return out
