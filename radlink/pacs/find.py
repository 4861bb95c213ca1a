"""Find a cohort's studies in a PACS: run the queries, split capped ones, match our exams.

A PACS answers at most so many studies to one query (``LimitFindResults`` and the like)
and says nothing when it cut the list. An answer of ``max_results`` rows or more is
taken as possibly cut: its date range is split in two and each half asked again, until
every answer is below the cap (an open range is closed at 1900-01-01 and today first).
A single day still at the cap cannot be split by date: it is kept and reported in
``FindResult.truncated`` so the user knows the list may be short.

``studies.parquet`` has one row per study found (:data:`~radlink.pacs.query.STUDY_COLUMNS`),
sorted by Study Instance UID; ``exam_id`` is the timeline's exam it is (or null).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from radlink.pacs.query import STUDY_COLUMNS, StudyQuery, split_dates
from radlink.pacs.request import CohortRequest, uid_queries
from radlink.tables import none_for_missing
from radlink.workers import Progress, progress_reporter

__all__ = ["FindResult", "find_studies", "StudyFinder"]


class StudyFinder(Protocol):
    """What ``find`` needs of a client (DIMSE or DICOMweb)."""

    def find_studies(self, query: StudyQuery, limit: int | None = None) -> list[dict]: ...


@dataclass
class FindResult:
    """Studies found for a request, and how the search went.

    Attributes
    ----------
    studies : pandas.DataFrame
        Columns :data:`~radlink.pacs.query.STUDY_COLUMNS`.
    queries : int
        Queries sent (splits included).
    splits : int
        Capped answers whose date range was split.
    truncated : int
        Single-day queries still at the cap (their answers may be short).
    excluded_opposition : int
        Patients or accessions not asked for, plus studies answered for an opposed patient.
    not_found : int
        Timeline requests: cohort exams the PACS did not answer.
    """

    studies: pd.DataFrame
    queries: int = 0
    splits: int = 0
    truncated: int = 0
    excluded_opposition: int = 0
    not_found: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def _ask(client: StudyFinder, query: StudyQuery, max_results: int | None, stats: dict[str, int]
         ) -> list[dict]:
    stats["queries"] += 1
    rows = client.find_studies(query, limit=max_results)
    if max_results is None or len(rows) < max_results:
        return rows
    if query.study_uids and len(query.study_uids) > 1:  # a UID list: halve the list
        half = len(query.study_uids) // 2
        parts = [StudyQuery(study_uids=query.study_uids[:half]),
                 StudyQuery(study_uids=query.study_uids[half:])]
    else:
        parts = split_dates(query)
    if not parts:
        stats["truncated"] += 1
        return rows
    stats["splits"] += 1
    return [row for part in parts for row in _ask(client, part, max_results, stats)]


def find_studies(client: StudyFinder, request: CohortRequest, *, max_results: int | None = None,
                 progress: Progress = False) -> FindResult:
    """Run a request's queries against a PACS and build ``studies.parquet``'s table.

    Parameters
    ----------
    client : DimseClient or DicomwebClient
    request : CohortRequest
    max_results : int, optional
        The PACS's cap on answers to one query (simulated: answers beyond it are
        dropped); capped answers are split by date until below it.
    progress : bool or callable

    Examples
    --------
    >>> class Pacs:  # a PACS of 5 studies of one patient that answers at most 2
    ...     def find_studies(self, q, limit=None):
    ...         days = [f"2020010{d}" for d in range(1, 6)]
    ...         rows = [{"study_instance_uid": f"1.2.{d}", "patient_id": "P1", "study_date": d}
    ...                 for d in days if (q.start or "") <= d <= (q.end or "9")]
    ...         return rows[:limit]
    >>> from radlink.pacs.request import CohortRequest
    >>> req = CohortRequest("patients", {}, [StudyQuery(patient_id="P1")], asked=1)
    >>> res = find_studies(Pacs(), req, max_results=2)
    >>> len(res.studies), res.splits > 0, res.truncated
    (5, True, 0)
    """
    stats = {"queries": 0, "splits": 0, "truncated": 0}
    rows: list[dict[str, Any]] = []
    total = len(request.patient_queries)
    with progress_reporter(progress, total, unit="query", desc="finding") as advance:
        for query in request.patient_queries:
            rows.extend(_ask(client, query, max_results, stats))
            if advance:
                advance(1)
        if request.exams is not None:
            found = {r["study_instance_uid"] for r in rows}
            for query in uid_queries(request.exams, found):
                rows.extend(_ask(client, query, max_results, stats))
    studies = pd.DataFrame(rows, columns=[c for c in STUDY_COLUMNS if c != "exam_id"])
    studies = studies[studies["study_instance_uid"].notna()]
    studies = studies.drop_duplicates("study_instance_uid")
    opposed = studies["patient_id"].isin(request.opposed)
    excluded = request.excluded_opposition
    not_found = 0
    if request.exams is not None:  # keep the cohort's exams only; never an opposed patient's study
        exams = request.exams
        by_uid = studies["study_instance_uid"].isin(set(exams["exam_id"]))
        acc = exams.dropna(subset=["accession_number"]).drop_duplicates("accession_number")
        by_acc = studies["accession_number"].map(acc.set_index("accession_number")["exam_id"])
        exam_id = studies["study_instance_uid"].where(by_uid, by_acc)
        studies = studies.assign(exam_id=exam_id)[exam_id.notna()]
        not_found = len(set(exams["exam_id"]) - set(studies["exam_id"]))
    else:
        excluded += int(opposed.sum())
        studies = studies[~opposed].assign(exam_id=None)
    studies = studies.sort_values("study_instance_uid", kind="stable").reset_index(drop=True)
    studies["study_date"] = pd.to_datetime(studies["study_date"], format="%Y%m%d", errors="coerce")
    studies["n_instances"] = pd.to_numeric(studies["n_instances"], errors="coerce").astype("Int64")
    for col in ("study_instance_uid", "patient_id", "accession_number", "modality",
                "study_description", "exam_id"):
        studies[col] = none_for_missing(studies[col].astype(object))
    studies = studies[list(STUDY_COLUMNS)]
    return FindResult(studies, queries=stats["queries"], splits=stats["splits"],
                      truncated=stats["truncated"], excluded_opposition=excluded,
                      not_found=not_found)
