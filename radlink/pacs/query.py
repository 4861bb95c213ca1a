"""A study-level query and the row a PACS answers: the vocabulary shared by both protocols.

A :class:`StudyQuery` is what one C-FIND or one QIDO-RS search asks: a patient id, an
accession number or a list of Study Instance UIDs, narrowed by a date range and a
modality. :data:`STUDY_COLUMNS` are the columns of ``studies.parquet`` (public contract).
Dates are DICOM ``DA`` strings (``YYYYMMDD``) inside queries and answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

__all__ = ["StudyQuery", "STUDY_COLUMNS", "ANSWER_KEYS", "split_dates"]

STUDY_COLUMNS: tuple[str, ...] = (
    "study_instance_uid", "patient_id", "accession_number", "study_date", "modality",
    "study_description", "n_instances", "exam_id",
)
"""Columns of ``studies.parquet``, one row per study found (public contract)."""

ANSWER_KEYS: dict[str, str] = {
    "study_instance_uid": "StudyInstanceUID",  # (0020,000D)
    "patient_id": "PatientID",  # (0010,0020)
    "accession_number": "AccessionNumber",  # (0008,0050)
    "study_date": "StudyDate",  # (0008,0020)
    "modality": "ModalitiesInStudy",  # (0008,0061)
    "study_description": "StudyDescription",  # (0008,1030)
    "n_instances": "NumberOfStudyRelatedInstances",  # (0020,1208)
}
"""Column of a study answer -> the DICOM attribute asked for (return key)."""

EARLIEST = "19000101"
"""Start of the range bisected when an open-dated query hits the PACS's cap."""


@dataclass(frozen=True)
class StudyQuery:
    """One study-level query. Empty fields match anything.

    Examples
    --------
    >>> StudyQuery(patient_id="800123", start="20180101", end="20221231", modality="PT").date_range
    '20180101-20221231'
    >>> StudyQuery(start="20200101").date_range
    '20200101-'
    """

    patient_id: str | None = None
    accession_number: str | None = None
    study_uids: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    modality: str | None = None

    @property
    def date_range(self) -> str | None:
        """The DICOM range matching value of StudyDate (``start-end``), or None."""
        if not self.start and not self.end:
            return None
        if self.start == self.end:
            return self.start
        return f"{self.start or ''}-{self.end or ''}"


def split_dates(query: StudyQuery, today: dt.date | None = None) -> tuple[StudyQuery, StudyQuery] | None:
    """The two halves of a query's date range, or None when it is a single day.

    An open range is closed first: from :data:`EARLIEST` to today.

    Examples
    --------
    >>> a, b = split_dates(StudyQuery(start="20200101", end="20200110"))
    >>> (a.start, a.end), (b.start, b.end)
    (('20200101', '20200105'), ('20200106', '20200110'))
    >>> split_dates(StudyQuery(start="20200101", end="20200101")) is None
    True
    """
    parse = lambda s: dt.datetime.strptime(s, "%Y%m%d").date()  # noqa: E731
    lo = parse(query.start or EARLIEST)
    hi = parse(query.end) if query.end else (today or dt.date.today())
    if lo >= hi:
        return None
    mid = lo + (hi - lo) // 2
    fmt = lambda d: d.strftime("%Y%m%d")  # noqa: E731
    return (replace(query, start=fmt(lo), end=fmt(mid)),
            replace(query, start=fmt(mid + dt.timedelta(days=1)), end=fmt(hi)))
