"""What an extraction request asks a PACS for: the cohort, as study-level queries.

Three ways to say who is asked for, as ``radlink pacs find`` takes them:

* a **timeline** output folder (of a run without ``--pseudonymise``) and the criteria
  of ``radlink count`` (:func:`radlink.timeline.count.cohort_exams`): the cohort's
  exams are known, so each patient is asked for under the Patient ID the PACS holds for
  their cohort exams, over the span of those exams (and the modality asked); exams the
  PACS files under no Patient ID, or under an opposed patient's, are asked for by Study
  Instance UID. Only the cohort's exams are kept from the answers, each with its
  ``exam_id``;
* a list of **patients** (``patient_id``): one query per patient, with the date range
  and modality asked;
* a list of **accession numbers** (``accession_number``): one query per accession.

Opposition: the ids of the opposition list (``--opposition``, and the one the timeline
run read) are removed before any query is made, so an opposed patient is never asked
for; an answer that still names one (an accession of theirs) is dropped and counted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from radlink.errors import CohortCriteriaError, InputFileError
from radlink.pacs.query import StudyQuery
from radlink.readers import read_table
from radlink.timeline.count import CohortCriteria, cohort_exams, resolve_criteria

__all__ = ["CohortRequest", "request_from_timeline", "request_from_ids", "timeline_manifest",
           "timeline_dataset", "uid_queries"]

_NOT_READ = "__radlink_not_read__"  # a table stem no folder holds: load patients and exams only
UID_BATCH = 50
"""Study Instance UIDs asked for in one query (UID list matching)."""


@dataclass
class CohortRequest:
    """The queries of one extraction request and what its answers are matched to.

    Attributes
    ----------
    source : {"timeline", "patients", "accessions"}
    definition : dict
        The cohort definition, as recorded in the register (criteria, source, the
        timeline's run id): no patient id.
    patient_queries, uid_queries : list of StudyQuery
        Asked in this order; UID queries ask only for exams not found by patient.
    exams : pandas.DataFrame or None
        Timeline requests: the cohort's exams (``exam_id``, ``accession_number``), to
        which answers are matched; other answers are dropped.
    asked : int
        Exams (timeline), patients or accessions asked for, opposed ones included.
    opposed : frozenset of str
        Patient ids never to query nor keep.
    excluded_opposition : int
        Patients or accessions of the request not asked for because of opposition.
    """

    source: str
    definition: dict[str, Any]
    patient_queries: list[StudyQuery]
    uid_queries: list[StudyQuery] = field(default_factory=list)
    exams: pd.DataFrame | None = None
    asked: int = 0
    opposed: frozenset[str] = frozenset()
    excluded_opposition: int = 0


def _dicom_date(value) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y%m%d")


def timeline_manifest(outdir: str | Path) -> dict[str, Any]:
    """The manifest of a timeline output folder (what run, on which dataset, pseudonymised or not)."""
    path = Path(outdir) / "manifest.json"
    if not path.is_file():
        raise InputFileError(f"timeline folder {str(outdir)!r} has no manifest.json: give the "
                             "output folder of `radlink timeline`")
    return json.loads(path.read_text(encoding="utf-8"))


def request_from_timeline(outdir: str | Path, criteria: CohortCriteria, *,
                          opposed: frozenset[str] = frozenset()) -> CohortRequest:
    """The queries for the cohort of a timeline folder matching ``criteria``.

    Raises
    ------
    InputFileError
        When the folder is not a timeline output, was pseudonymised (its ids are
        pseudonyms no PACS knows), or its dataset folder cannot be read.
    CohortCriteriaError
        For an unknown code (as ``radlink count``).
    """
    from radlink.privacy.opposition import read_opposition

    outdir = Path(outdir)
    manifest = timeline_manifest(outdir)
    if manifest.get("pseudonymised"):
        raise InputFileError(f"timeline folder {str(outdir)!r} was pseudonymised: its ids are "
                             "pseudonyms no PACS knows; give the folder of a run without --pseudonymise")
    params = manifest.get("parameters", {})
    if params.get("opposition_file") and Path(params["opposition_file"]).is_file():
        opposed = opposed | read_opposition(params["opposition_file"])
    events = pd.read_parquet(outdir / "timeline.parquet")
    criteria, _ = resolve_criteria(criteria, events)
    cohort = cohort_exams(events, criteria)
    cohort = cohort[cohort["exam_id"].notna()]  # a report without exam has no images to ask for
    dataset = timeline_dataset(outdir, manifest)
    if dataset is None:
        raise InputFileError(f"the dataset folder of timeline {str(outdir)!r} is not found; "
                             "run find where the timeline was built (its manifest names the folder)")
    recorded = dataset.exams.set_index("exam_id")[["patient_id", "accession_number"]]
    exams = pd.DataFrame({
        "exam_id": cohort["exam_id"].to_numpy(),
        "patient_id": cohort["patient_id"].to_numpy(),
        "pacs_patient_id": cohort["exam_id"].map(recorded["patient_id"]).to_numpy(),
        "accession_number": cohort["exam_id"].map(recorded["accession_number"]).to_numpy(),
        "date": pd.to_datetime(cohort["start"]).dt.strftime("%Y%m%d").to_numpy(),
    }).drop_duplicates("exam_id").astype(object)
    exams = exams.where(exams.notna(), None)
    by_patient = exams[exams["pacs_patient_id"].notna() & ~exams["pacs_patient_id"].isin(opposed)]
    queries = [StudyQuery(patient_id=pid, start=g["date"].min(), end=g["date"].max(),
                          modality=criteria.modality)
               for pid, g in by_patient.groupby("pacs_patient_id", sort=True)]
    definition = {"source": "timeline", "timeline_run_id": manifest.get("run_id"),
                  "criteria": {k: v for k, v in vars(criteria).items() if v}}
    return CohortRequest("timeline", definition, queries, exams=exams.reset_index(drop=True),
                         asked=len(exams), opposed=opposed)


def timeline_dataset(outdir: str | Path, manifest: dict[str, Any]):
    """The patients and exams tables the timeline was built from (None if the folder is gone).

    Only these two tables are read (stays and reports are left alone); the dataset
    folder is the one the manifest names, as it was given to ``radlink timeline``.
    """
    from radlink.dataset import load_dataset

    params = manifest.get("parameters", {})
    dataset_dir = Path(params.get("dataset_dir", ""))
    if not params.get("dataset_dir") or not dataset_dir.is_dir():
        return None
    return load_dataset(dataset_dir, mapping=params.get("mapping"),
                        file_names={"stays": _NOT_READ, "reports": _NOT_READ})


def uid_queries(exams: pd.DataFrame, found: set[str]) -> list[StudyQuery]:
    """Queries by Study Instance UID for the cohort exams not found yet.

    Examples
    --------
    >>> import pandas as pd
    >>> ex = pd.DataFrame({"exam_id": ["1.2.3", "1.2.4"]})
    >>> uid_queries(ex, {"1.2.3"})
    [StudyQuery(patient_id=None, accession_number=None, study_uids=('1.2.4',), start=None, end=None, modality=None)]
    """
    missing = sorted(set(exams["exam_id"]) - found)
    return [StudyQuery(study_uids=tuple(missing[i:i + UID_BATCH]))
            for i in range(0, len(missing), UID_BATCH)]


def request_from_ids(path: str | Path, column: str, *, start: str | None = None,
                     end: str | None = None, modality: str | None = None,
                     opposed: frozenset[str] = frozenset()) -> CohortRequest:
    """The queries for a list of patients (``patient_id``) or accessions (``accession_number``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "ids.csv"
    >>> _ = f.write_text("patient_id\\n800001\\n800002\\n800001\\n")
    >>> r = request_from_ids(f, "patient_id", start="2018-01-01", opposed=frozenset({"800002"}))
    >>> [(q.patient_id, q.start) for q in r.patient_queries], r.asked, r.excluded_opposition
    ([('800001', '20180101')], 2, 1)
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{column} list {str(path)!r} not found")
    df = read_table(path)
    if column not in df.columns:
        raise InputFileError(f"{column} list {str(path)!r}: column {column!r} is missing "
                             f"(columns: {', '.join(map(str, df.columns))})")
    ids = sorted({s for s in df[column].dropna().astype(str).str.strip() if s})
    if not ids:
        raise InputFileError(f"{column} list {str(path)!r} holds no {column}")
    kept = ids
    if column == "patient_id":
        kept = [i for i in ids if i not in opposed]
    start_da, end_da = _dicom_date(start), _dicom_date(end)
    if start_da and end_da and start_da > end_da:
        raise CohortCriteriaError(f"--from {start} is after --to {end}")
    key = "patient_id" if column == "patient_id" else "accession_number"
    queries = [StudyQuery(**{key: i}, start=start_da, end=end_da, modality=modality) for i in kept]
    source = "patients" if column == "patient_id" else "accessions"
    definition = {"source": source, "list_rows": len(ids),
                  "criteria": {k: v for k, v in (("start", start), ("end", end),
                                                 ("modality", modality)) if v}}
    return CohortRequest(source, definition, queries, asked=len(ids), opposed=opposed,
                         excluded_opposition=len(ids) - len(kept))
