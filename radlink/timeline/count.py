"""Cohort counts on a timeline: how many patients and exams match simple criteria.

The kind of numbers a project team asks the data office for before submitting a
project: "how many patients had an FDG PET-CT for initial staging between 2018 and
2022, with a lung-cancer stay (C34)?". Criteria combine with AND; each is optional.

What counts as an exam is :func:`timeline_exams`: every exam event of the timeline,
and every report on the timeline whose exam is not (the exam never reached the PACS,
or the report could not be tied to one exam). ``radlink redcap-prefill`` reads the
same rows as its ``exam`` source (:func:`radlink.redcap.sources.sources_from_tables`),
so a count and a pre-filling with the same criteria find the same patients
(``tests/timeline/test_count.py`` checks it on ``data_samples``).

* exam criteria (``modality``, ``tracer``, ``indication_category``, ``start``/``end``)
  select exams; codes are those of :mod:`radlink.vocabulary` (or found in the
  timeline), see :func:`resolve_code`; ``end`` is inclusive: a date takes the whole day;
* ``cim10`` keeps patients with at least one stay whose diagnoses hold a code starting
  with that prefix (``C34`` matches ``C34.1``; dots and case are ignored).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import pandas as pd

from radlink.cohort import timeline_exams
from radlink.errors import CohortCriteriaError
from radlink.vocabulary import INDICATION_CATEGORIES, MODALITIES, TRACERS

__all__ = ["CohortCriteria", "CODED_CRITERIA", "resolve_code", "resolve_criteria", "timeline_exams",
           "cohort_exams", "count_cohort"]

CODED_CRITERIA: dict[str, dict[str, str]] = {
    "modality": MODALITIES,
    "tracer": TRACERS,
    "indication_category": INDICATION_CATEGORIES,
}
"""Criteria that take a code, with the vocabulary of known codes (code -> French label)."""


@dataclass(frozen=True)
class CohortCriteria:
    """Criteria of a cohort count (all optional, combined with AND)."""

    modality: str | None = None
    tracer: str | None = None
    indication_category: str | None = None
    start: str | None = None
    end: str | None = None
    cim10: str | None = None


def resolve_code(criterion: str, value: str, present: pd.Series | None = None) -> tuple[str, str | None]:
    """The code a user meant for a coded criterion, and a note when it was read loosely.

    ``value`` is taken as is when it is a known code: one of the vocabulary's, or one
    found in ``present`` (the timeline's column, for codes outside the vocabulary).
    Otherwise a code or French label equal to it up to case is taken when there is
    exactly one (``fdg`` -> ``FDG``, ``tep`` -> ``PT``), with a note saying so.

    Raises
    ------
    CohortCriteriaError
        For an unknown or ambiguous value; the message lists the known codes.

    Examples
    --------
    >>> resolve_code("tracer", "FDG")
    ('FDG', None)
    >>> resolve_code("tracer", "fdg")
    ('FDG', "tracer 'fdg' read as 'FDG'")
    >>> resolve_code("modality", "PET")
    Traceback (most recent call last):
    ...
    radlink.errors.CohortCriteriaError: unknown modality 'PET'; known: PT (TEP), CT (Scanner), MR (IRM), MG (Mammographie), US (Échographie), CR (Radiographie), DX (Radiographie), NM (Scintigraphie)
    """
    vocabulary = CODED_CRITERIA[criterion]
    known = dict(vocabulary)
    if present is not None:
        for code in pd.unique(present.dropna().astype(str)):
            known.setdefault(code, "")
    if value in known:
        return value, None
    folded = value.casefold().strip()
    hits = sorted({code for code, label in known.items()
                   if folded in (code.casefold(), label.casefold())}, key=list(known).index)
    if len(hits) == 1:
        return hits[0], f"{criterion} {value!r} read as {hits[0]!r}"
    listed = ", ".join(f"{code} ({label})" if label else code for code, label in known.items())
    if hits:
        raise CohortCriteriaError(f"{criterion} {value!r} is ambiguous: it could be {' or '.join(hits)}; "
                         f"known: {listed}")
    near = [code for code, label in known.items() if folded and folded in f"{code} {label}".casefold()]
    hint = f" (did you mean {' or '.join(near)}?)" if near else ""
    raise CohortCriteriaError(f"unknown {criterion} {value!r}{hint}; known: {listed}")


def resolve_criteria(criteria: CohortCriteria, events: pd.DataFrame | None = None
                     ) -> tuple[CohortCriteria, list[str]]:
    """Criteria with their codes resolved (:func:`resolve_code`), and the notes on the way.

    Examples
    --------
    >>> resolve_criteria(CohortCriteria(tracer="fdg", indication_category="Initial_Staging"))
    (CohortCriteria(modality=None, tracer='FDG', indication_category='initial_staging', start=None, end=None, cim10=None), ["tracer 'fdg' read as 'FDG'", "indication_category 'Initial_Staging' read as 'initial_staging'"])
    """
    exams = timeline_exams(events) if events is not None else None
    changes: dict[str, str] = {}
    notes: list[str] = []
    for f in fields(criteria):
        value = getattr(criteria, f.name)
        if f.name in CODED_CRITERIA and value:
            present = exams[f.name] if exams is not None and f.name in exams.columns else None
            changes[f.name], note = resolve_code(f.name, value, present)
            if note:
                notes.append(note)
    return replace(criteria, **changes), notes


def _stay_patients(events: pd.DataFrame, cim10: str) -> pd.Index:
    """Patients with a stay whose diagnoses hold a code starting with ``cim10``."""
    stays = events[events["event_type"] == "stay"]
    prefix = cim10.upper().replace(".", "").strip()
    codes = (stays["diagnoses"].astype(object).where(stays["diagnoses"].notna(), "").astype(str)
             .str.upper().str.replace(".", "", regex=False).str.split(";").explode().str.strip())
    hit = codes.str.startswith(prefix) & codes.ne("")
    return pd.Index(stays.loc[hit[hit].index.unique(), "patient_id"].unique())


def cohort_exams(events: pd.DataFrame, criteria: CohortCriteria) -> pd.DataFrame:
    """The exams (:func:`timeline_exams`) matching ``criteria``, of patients matching them.

    Raises
    ------
    CohortCriteriaError
        For an unknown code (see :func:`resolve_code`).

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"patient_id": ["P1", "P1"], "event_type": ["exam", "exam"],
    ...     "start": pd.to_datetime(["2022-12-31 09:00", "2023-01-01 09:00"]), "modality": ["PT", "PT"]})
    >>> len(cohort_exams(ev, CohortCriteria(modality="pt", end="2022-12-31")))
    1
    """
    criteria, _ = resolve_criteria(criteria, events)
    exams = timeline_exams(events)
    sel = pd.Series(True, index=exams.index)
    for name in CODED_CRITERIA:
        value = getattr(criteria, name)
        if value:
            sel &= (exams[name] == value).fillna(False).astype(bool)
    starts = pd.to_datetime(exams["start"])
    if criteria.start:
        sel &= (starts >= pd.Timestamp(criteria.start)).to_numpy()
    if criteria.end:
        end = pd.Timestamp(criteria.end)
        if end == end.normalize():  # a date: the whole day
            sel &= (starts < end + pd.Timedelta(days=1)).to_numpy()
        else:
            sel &= (starts <= end).to_numpy()
    matched = exams[sel]
    if criteria.cim10:
        matched = matched[matched["patient_id"].isin(_stay_patients(events, criteria.cim10))]
    return matched


def count_cohort(events: pd.DataFrame, criteria: CohortCriteria) -> dict[str, int]:
    """Count patients and exams of a timeline matching ``criteria``.

    Returns
    -------
    dict
        ``patients``, ``exams`` (matching exams of matching patients, see
        :func:`timeline_exams`) and ``patients_in_timeline``.

    Raises
    ------
    CohortCriteriaError
        For an unknown code (see :func:`resolve_code`): never a silent 0.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"patient_id": ["P1", "P1", "P2"], "event_type": ["stay", "exam", "exam"],
    ...     "start": pd.to_datetime(["2020-01-01", "2020-01-02", "2021-05-01"]), "modality": [None, "PT", "CT"],
    ...     "tracer": [None, "FDG", None], "indication_category": [None, "initial_staging", None],
    ...     "diagnoses": ["C34.1;R91", None, None]})
    >>> count_cohort(ev, CohortCriteria(modality="PT", cim10="C34"))
    {'patients': 1, 'exams': 1, 'patients_in_timeline': 2}
    """
    matched = cohort_exams(events, criteria)
    return {
        "patients": int(matched["patient_id"].nunique()),
        "exams": len(matched),
        "patients_in_timeline": int(events["patient_id"].nunique()),
    }
