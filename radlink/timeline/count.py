"""Cohort counts on a timeline: how many patients and exams match simple criteria.

The kind of numbers a project team asks the data office for before submitting a
project: "how many patients had an FDG PET-CT for initial staging between 2018 and
2022, with a lung-cancer stay (C34)?". Criteria combine with AND; each is optional.

* exam criteria (``modality``, ``tracer``, ``indication_category``, ``start``/``end``)
  select exam events of the timeline;
* ``cim10`` keeps patients with at least one stay whose diagnoses hold a code starting
  with that prefix (``C34`` matches ``C34.1``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["CohortCriteria", "count_cohort"]


@dataclass(frozen=True)
class CohortCriteria:
    """Criteria of a cohort count (all optional, combined with AND)."""

    modality: str | None = None
    tracer: str | None = None
    indication_category: str | None = None
    start: str | None = None
    end: str | None = None
    cim10: str | None = None


def count_cohort(events: pd.DataFrame, criteria: CohortCriteria) -> dict[str, int]:
    """Count patients and exams of a timeline matching ``criteria``.

    Returns
    -------
    dict
        ``patients``, ``exams`` (matching exam events of matching patients) and
        ``patients_in_timeline``.

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
    exams = events[events["event_type"] == "exam"]
    sel = pd.Series(True, index=exams.index)
    if criteria.modality:
        sel &= exams["modality"].fillna("").str.upper() == criteria.modality.upper()
    if criteria.tracer:
        sel &= exams["tracer"].fillna("").str.upper() == criteria.tracer.upper()
    if criteria.indication_category:
        sel &= exams["indication_category"] == criteria.indication_category
    if criteria.start:
        sel &= exams["start"] >= pd.Timestamp(criteria.start)
    if criteria.end:
        sel &= exams["start"] <= pd.Timestamp(criteria.end)
    matched = exams[sel]
    if criteria.cim10:
        stays = events[events["event_type"] == "stay"]
        prefix = criteria.cim10.upper().replace(".", "")
        codes = stays["diagnoses"].fillna("").str.upper().str.replace(".", "", regex=False)
        has = codes.str.split(";").map(lambda cs: any(c.strip().startswith(prefix) for c in cs))
        patients_with = set(stays.loc[has.astype(bool), "patient_id"])
        matched = matched[matched["patient_id"].isin(patients_with)]
    return {
        "patients": int(matched["patient_id"].nunique()),
        "exams": len(matched),
        "patients_in_timeline": int(events["patient_id"].nunique()),
    }
