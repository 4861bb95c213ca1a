"""Report dates that are no signing dates: days an import or a RIS migration stamped on many reports.

A warehouse fed by an import, or a RIS migrated to a new one, often gives every report
it brought the same ``report_datetime``: the day of the import. Such a day holds far
more reports than exams, and far more than the days around it. Read as a signature,
its date rules each report's exam out (months of delay) or ties it to the wrong one (an
exam of that day). This module learns those days from the data's own distribution of
report dates (:func:`stamp_days`); a report dated on one has no delay
(:func:`on_stamp_days`), and its text's date, type and region, and its patient's exams
without a report, decide.

The rule reads whole tables, so it comes as a summary and a decision: :func:`day_counts`
per partition (summed by the Spark engine), :func:`stamp_days_decision` once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["STAMP_MIN_REPORTS", "STAMP_RATIO", "STAMP_NEIGHBOUR_DAYS", "day_counts", "stamp_days_decision",
           "stamp_days", "on_stamp_days", "without_stamps"]

STAMP_MIN_REPORTS = 30
"""Fewest reports on one day for it to be a stamp day (a small warehouse's busy Monday is not one)."""

STAMP_RATIO = 8.0
"""A stamp day holds at least this many times the reports of a usual day around it (the median of
the :data:`STAMP_NEIGHBOUR_DAYS` days on each side, at least one) and this many times its own exams."""

STAMP_NEIGHBOUR_DAYS = 14
"""Days on each side of a day that tell how many reports a usual day holds there."""


def day_counts(when) -> pd.Series:
    """How many values of ``when`` fall on each day (index: days since 1970-01-01, int64), nulls left out.

    Counts of two parts of a table add up (``a.add(b, fill_value=0)``) to the counts of the whole.

    Examples
    --------
    >>> day_counts(pd.Series(pd.to_datetime(["1970-01-02 10:00", "1970-01-02 23:00", None]))).to_dict()
    {1: 2}
    """
    days = pd.to_datetime(pd.Series(when)).to_numpy().astype("datetime64[D]")
    days = days[~np.isnat(days)].astype(np.int64)
    values, counts = np.unique(days, return_counts=True)
    return pd.Series(counts.astype(np.int64), index=values.astype(np.int64), dtype=np.int64)


def stamp_days_decision(report_days: pd.Series, exam_days: pd.Series | None = None) -> list[str]:
    """The stamp days (ISO dates, sorted) of the per-day counts of reports and exams (:func:`day_counts`).

    A day is a stamp day when it holds at least :data:`STAMP_MIN_REPORTS` reports and at
    least :data:`STAMP_RATIO` times both the median reports of the days around it (the
    :data:`STAMP_NEIGHBOUR_DAYS` days on each side, days without reports counted as zero,
    at least one) and its own exams (at least one).

    Examples
    --------
    >>> days = pd.Series([5] * 60, index=np.arange(60), dtype=np.int64)
    >>> days[30] = 400
    >>> stamp_days_decision(days, pd.Series([5] * 60, index=np.arange(60)))
    ['1970-01-31']
    """
    reports = report_days[report_days >= STAMP_MIN_REPORTS]
    if not len(reports):
        return []
    k = STAMP_NEIGHBOUR_DAYS
    index = report_days.index.to_numpy(dtype=np.int64)
    values = report_days.to_numpy(dtype=np.float64)
    order = np.argsort(index)
    index, values = index[order], values[order]
    found = []
    for day, n in zip(reports.index.to_numpy(dtype=np.int64), reports.to_numpy(dtype=np.float64), strict=True):
        lo, hi = np.searchsorted(index, day - k), np.searchsorted(index, day + k, side="right")
        around = np.zeros(2 * k)  # the days around it, those without reports at zero
        near = (index[lo:hi] != day)
        around[:near.sum()] = values[lo:hi][near]
        usual = max(float(np.median(around)), 1.0)
        exams = float(exam_days.get(day, 0)) if exam_days is not None else 0.0
        if n >= STAMP_RATIO * usual and n >= STAMP_RATIO * max(exams, 1.0):
            found.append(day)
    return [str(np.datetime64(int(d), "D")) for d in sorted(found)]


def stamp_days(report_datetime, study_datetime=None) -> list[str]:
    """:func:`stamp_days_decision` of whole tables: the report dates and, when given, the exams' study times.

    Examples
    --------
    >>> usual = pd.date_range("2024-01-01 10:00", periods=60, freq="D").repeat(4)
    >>> stamped = pd.DatetimeIndex(["2024-02-01 02:00"] * 300)
    >>> stamp_days(pd.Series(usual.append(stamped)), pd.Series(usual))
    ['2024-02-01']
    """
    return stamp_days_decision(day_counts(report_datetime),
                               day_counts(study_datetime) if study_datetime is not None else None)


def on_stamp_days(when: np.ndarray, days: list[str] | None) -> np.ndarray:
    """Whether each time in ``when`` falls on one of ``days`` (:func:`stamp_days`).

    Examples
    --------
    >>> when = np.array(["2024-02-01T02:00", "2024-02-02T02:00", "NaT"], dtype="datetime64[ns]")
    >>> on_stamp_days(when, ["2024-02-01"]).tolist()
    [True, False, False]
    """
    when = np.asarray(when)
    if not days or not len(when):
        return np.zeros(len(when), dtype=bool)
    day = when.astype("datetime64[D]")
    return ~np.isnat(day) & np.isin(day, np.asarray(days, dtype="datetime64[D]"))


def without_stamps(when: np.ndarray, stamped: np.ndarray) -> np.ndarray:
    """``when`` with no time (NaT) where ``stamped``: a stamp says nothing of when a report was signed.

    Examples
    --------
    >>> when = np.array(["2024-02-01T02:00", "2024-02-02T02:00"], dtype="datetime64[ns]")
    >>> without_stamps(when, np.array([True, False])).tolist()
    [None, 1706839200000000000]
    """
    when = np.asarray(when)
    return np.where(stamped, np.datetime64("NaT"), when).astype(when.dtype)
