"""What a cohort counts: the exams of a timeline.

One definition, used by ``radlink count`` (:mod:`radlink.timeline.count`) and by REDCap
pre-filling (:mod:`radlink.redcap.sources`), so that both find the same patients for the
same criteria.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["timeline_exams"]


def timeline_exams(events: pd.DataFrame) -> pd.DataFrame:
    """The exams of a timeline: exam events, and reports on it whose exam is not.

    A report on the timeline whose exam is not (not in the PACS, or the report could
    not be tied to one exam) stands for its exam, so that a patient whose PET-CT is
    known only from its report is still counted. Both ``count`` and
    ``redcap-prefill`` (its ``exam`` source) take the exams of a timeline this way.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"patient_id": ["P1", "P1", "P2"], "event_type": ["exam", "report", "report"],
    ...     "exam_id": ["E1", "E1", None], "report_id": ["R1", "R1", "R9"]})
    >>> timeline_exams(ev)[["patient_id", "exam_id", "report_id"]].values.tolist()
    [['P1', 'E1', 'R1'], ['P2', None, 'R9']]
    """
    exam_ev = events[events["event_type"] == "exam"]
    report_ev = events[events["event_type"] == "report"]
    if "exam_id" in events.columns and "report_id" in events.columns:
        on_timeline = report_ev["exam_id"].isin(set(exam_ev["exam_id"].dropna()))
        reported = report_ev["report_id"].isin(set(exam_ev["report_id"].dropna()))
        lone = report_ev[~on_timeline & ~reported].assign(exam_id=None)
    else:
        lone = report_ev.iloc[:0]
    return pd.concat([exam_ev, lone]) if len(lone) else exam_ev
