"""Request numbers: a number the reports write that orders the requests as their exams are ordered.

A RIS numbers each request ("N° de demande : DM100058") and a private practice's reports
may print that number instead of the exam's accession, with neither the patient nor the
accession in their columns; a reading group may file its own numbering
("SIV-VAL-23-000035") in the reports' accession column. No exam carries the number, yet it is not useless: it is a
counter, so it grows with the exams' times. Learned from the reports already placed by
their patient or accession (the *anchors*), per **format family** of written numbers
(:func:`~radlink.linkage.normalize.format_family`: letters kept, each digit read as 9),
a family is a request numbering when

- it is no exam's accession number (those are decisive already);
- enough anchors write it (:data:`MIN_ANCHORS`);
- the anchors that write the same number describe exams of one day (one request);
- sorted by the number, the anchors' exams are in time order (:data:`MIN_CONCORDANCE` of
  neighbouring anchors).

A report that writes a number of such a family and has no exam yet then takes
(:func:`reports_by_request_number`), when exactly one exam fits: the exam of the anchors
with the same number (a second reading, a correction), else the one exam between the
exams of the anchors whose numbers bracket its own that no report took, of the type and
region the report states, on the date it states, before it was signed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
import pandas as pd

from radlink.linkage.normalize import format_family
from radlink.linkage.report_text import WRITTEN_NUMBER_MIN_DIGITS, WrittenNumbers, written_numbers

__all__ = ["MIN_ANCHORS", "MIN_CONCORDANCE", "REQUEST_NUMBER_REASON", "AccessionKeys", "accession_families",
           "accession_keys", "numbers_written", "place_by_request_number", "reports_by_request_number",
           "request_families", "request_spans"]

MIN_ANCHORS = 50
"""Fewest placed reports writing numbers of a family to learn whether it orders the requests."""

MIN_CONCORDANCE = 0.95
"""Share of neighbouring anchors (sorted by number) whose exams are in time order, and of shared
numbers whose anchors' exams fall on one day, from which a family is a request numbering."""

_MAX_DIGITS = 18  # a number's digits read as one integer
_ACCESSION_SHARE = 0.05  # share of a family's numbers that are exams' accessions from which it is theirs
_PASSES = 4  # passes over the open reports, each placing some with the anchors of the last

REQUEST_NUMBER_REASON = ("the report names no exam; the request number it writes falls between those of reports "
                         "placed on exams around one exam of its type that no report took (or equals one)")
"""The evidence's reason of a ``request_number`` link."""


def numbers_written(texts: np.ndarray, own: np.ndarray | None = None, *,
                    written: tuple[np.ndarray, np.ndarray] | None = None) -> pd.DataFrame:
    """``report_row``, ``number``, ``family`` and ``value`` of each number the texts write
    (:func:`written_numbers`, or ``written`` when already read) and of each report's own
    number column (``own``, e.g. its ``accession_number``: a RIS or reading group may file
    its own numbering there)."""
    if written is None:
        written = written_numbers(pd.Series(np.asarray(texts, dtype=object), dtype=object))
    pos, number = written
    if own is not None:
        own = pd.Series(np.asarray(own, dtype=object), dtype=object).str.upper().str.strip()
        at = np.flatnonzero((own.str.count(r"\d") >= WRITTEN_NUMBER_MIN_DIGITS).fillna(False).to_numpy(dtype=bool))
        pos = np.concatenate([pos, at])
        number = np.concatenate([number, own.to_numpy(dtype=object)[at]])
    digits = pd.Series(number, dtype=object).str.replace(r"\D", "", regex=True)
    ok = (digits.str.len() <= _MAX_DIGITS).to_numpy(dtype=bool)
    frame = pd.DataFrame({"report_row": pos[ok], "number": number[ok], "family": format_family(number[ok]),
                          "value": digits[ok].astype(np.int64).to_numpy()})
    return frame.drop_duplicates(["report_row", "number"])


class AccessionKeys(NamedTuple):
    """The exams' accession numbers as :func:`accession_families` looks them up (:func:`accession_keys`)."""

    numbers: pd.Index
    """The accession numbers (upper case, stripped)."""
    digits: pd.Index
    """Their digits, of those holding :data:`WRITTEN_NUMBER_MIN_DIGITS`."""


def accession_keys(accessions: np.ndarray | AccessionKeys) -> AccessionKeys:
    """The exams' accession numbers (upper case, stripped) and their digits, read once for
    every :func:`accession_families` of a run (``accessions`` already read are returned).

    Examples
    --------
    >>> accession_keys(np.array(["IMG-0135315", None, "A12"], dtype=object)).digits.tolist()
    ['0135315']
    """
    if isinstance(accessions, AccessionKeys):
        return accessions
    known = pd.Series(np.asarray(accessions, dtype=object), dtype=object).dropna()
    digits = known.str.replace(r"\D", "", regex=True)
    digits = digits[digits.str.len() >= WRITTEN_NUMBER_MIN_DIGITS]
    return AccessionKeys(pd.Index(known.to_numpy(dtype=object), dtype=object),
                         pd.Index(digits.to_numpy(dtype=object), dtype=object))


def accession_families(numbers: pd.DataFrame, accessions: np.ndarray | AccessionKeys) -> np.ndarray:
    """Per number: its family's numbers are exams' accession numbers, written as they are or in
    another format (the same digits: ``IMG0135315`` and ``IMG-0135315``), beyond a coincidence.

    ``accessions``: the exams' accession numbers (upper case, stripped), or their
    :func:`accession_keys`."""
    keys = accession_keys(accessions)
    # object arrays: a hash look-up (the string dtype's isin converts every key first)
    written = pd.Series(numbers["number"].to_numpy(dtype=object), dtype=object)
    own = written.str.replace(r"\D", "", regex=True)
    hit = written.isin(keys.numbers) | own.isin(keys.digits)
    return (hit.groupby(numbers["family"].to_numpy(dtype=object)).transform("mean") >= _ACCESSION_SHARE
            ).to_numpy(dtype=bool)


def request_families(numbers: pd.DataFrame, anchor_day: np.ndarray, anchor_time: np.ndarray,
                     accessions: np.ndarray | AccessionKeys) -> list[str]:
    """The format families of written numbers that order the requests (see the module's docstring).

    Parameters
    ----------
    numbers : pandas.DataFrame
        ``report_row``, ``number``, ``family``, ``value`` (one row per number a report writes).
    anchor_day, anchor_time : ndarray
        Per report: the day (``datetime64[D]``) and time (``datetime64[ns]``) of the exam it
        is placed on by its patient or accession, NaT otherwise.
    accessions : ndarray or AccessionKeys
        The exams' accession numbers (upper case), or their :func:`accession_keys`: a family
        holding one is no request numbering.

    Examples
    --------
    >>> t = pd.date_range("2023-01-02", periods=60, freq="h").to_numpy()
    >>> numbers = pd.DataFrame({"report_row": range(60), "number": [f"DM{100 + 2 * i}" for i in range(60)],
    ...                         "family": "DM999", "value": [100 + 2 * i for i in range(60)]})
    >>> request_families(numbers, t.astype("datetime64[D]"), t, np.array(["A1"], dtype=object))
    ['DM999']
    >>> request_families(numbers.assign(value=numbers["value"][::-1].to_numpy()), t.astype("datetime64[D]"), t,
    ...                  np.array(["A1"], dtype=object))
    []
    """
    if not len(numbers):
        return []
    # a family whose numbers are exams' accession numbers (beyond a coincidence) is left to the accession step
    is_accession = accession_families(numbers, accessions)
    placed = ~np.isnat(np.asarray(anchor_time)[numbers["report_row"].to_numpy()])
    anchors = numbers[placed & ~is_accession].assign(
        day=np.asarray(anchor_day)[numbers["report_row"].to_numpy()[placed & ~is_accession]],
        time=np.asarray(anchor_time)[numbers["report_row"].to_numpy()[placed & ~is_accession]])
    out = []
    for family, part in anchors.groupby("family", sort=True):
        if len(part) < MIN_ANCHORS:
            continue
        days = part.groupby("value")["day"].nunique()
        shared = part["value"].value_counts()
        shared = shared[shared > 1].index
        if len(shared) and (days.loc[shared] == 1).mean() < MIN_CONCORDANCE:
            continue
        one = part.sort_values(["value", "time"], kind="mergesort").drop_duplicates("value")
        step = np.diff(one["time"].to_numpy().astype("datetime64[ns]").astype(np.int64))
        if len(step) and (step >= 0).mean() >= MIN_CONCORDANCE:
            out.append(str(family))
    return out


def reports_by_request_number(texts: np.ndarray, open_rows: np.ndarray, anchor_exam: np.ndarray,
                              facts: pd.DataFrame, exams: pd.DataFrame, claimed: np.ndarray,
                              own_numbers: np.ndarray | None = None, *, written: WrittenNumbers | None = None
                              ) -> tuple[np.ndarray, np.ndarray]:
    """The open reports placed by the request number they write: ``(report rows, exam rows)``.

    Parameters
    ----------
    texts : ndarray
        Every report's text (by row).
    open_rows : ndarray
        The rows of the reports still without exam that may be placed.
    anchor_exam : ndarray
        Per report: the exam row it is placed on by its patient or accession, -1 otherwise.
    facts : pandas.DataFrame
        Per report (by row): ``kind`` (stated modality class), ``region``, ``sdate`` (stated
        exam date, ``datetime64[D]``) and ``when`` (signed by).
    exams : pandas.DataFrame
        ``study``, ``mclass``, ``region`` and ``accession`` of the exams (by row).
    claimed : ndarray of bool
        The exams a report already took.
    own_numbers : ndarray, optional
        Each report's own number column (its ``accession_number``), read with the numbers
        its text writes: a numbering that is no exam's accession may still order the requests.
    written : WrittenNumbers, optional
        The numbers of ``texts`` as another step read them (each text is read once).

    Examples
    --------
    >>> study = pd.date_range("2023-01-02 08:00", periods=61, freq="h")
    >>> exams = pd.DataFrame({"study": study, "mclass": ["US"] * 61, "region": [None] * 61,
    ...                       "accession": [None] * 61})
    >>> texts = np.array([f"N° de demande : DM{100000 + 3 * i}" for i in range(61)], dtype=object)
    >>> anchor = np.arange(61); anchor[30] = -1
    >>> facts = pd.DataFrame({"kind": ["US"] * 61, "region": [None] * 61,
    ...     "sdate": np.full(61, np.datetime64("NaT"), dtype="datetime64[D]"), "when": study + pd.Timedelta("1h")})
    >>> claimed = anchor >= 0
    >>> [x.tolist() for x in reports_by_request_number(texts, np.array([30]), anchor, facts, exams, claimed)]
    [[30], [30]]
    """
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    if not len(open_rows) or not len(exams):
        return none
    texts = np.asarray(texts, dtype=object)
    written = written if written is not None else WrittenNumbers(texts)
    open_rows = np.asarray(open_rows, dtype=np.int64)
    own = None if own_numbers is None else np.asarray(own_numbers, dtype=object)
    # the open reports' numbers first: most warehouses stop here
    mine = numbers_written(texts[open_rows], None if own is None else own[open_rows], written=written.of(open_rows))
    if not len(mine):
        return none
    keys = accession_keys(pd.Series(exams["accession"].to_numpy(dtype=object), dtype=object).str.upper().str.strip()
                          .to_numpy(dtype=object))
    # families the open reports write as exams' accessions are the accessions' (no other text read for them)
    mine = mine[~accession_families(mine, keys)]
    if not len(mine):
        return none
    others = np.flatnonzero(np.asarray(anchor_exam) >= 0)
    placed_numbers = numbers_written(texts[others], None if own is None else own[others], written=written.of(others))
    placed_numbers = placed_numbers[placed_numbers["family"].isin(pd.unique(mine["family"])).to_numpy()]
    if not len(placed_numbers):
        return none
    numbers = pd.concat([mine.assign(report_row=open_rows[mine["report_row"].to_numpy()]),
                         placed_numbers.assign(report_row=others[placed_numbers["report_row"].to_numpy()])],
                        ignore_index=True)
    return place_by_request_number(numbers, open_rows, anchor_exam, facts, exams, claimed, keys)


def place_by_request_number(numbers: pd.DataFrame, open_rows: np.ndarray, anchor_exam: np.ndarray,
                            facts: pd.DataFrame, exams: pd.DataFrame, claimed: np.ndarray,
                            accessions: np.ndarray | AccessionKeys, *, families: list[str] | None = None
                            ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`reports_by_request_number` once the numbers are read: ``(report rows, exam rows)``.

    The Spark engine reads the numbers and learns the families on the executors and calls this
    on the driver with a projection: the open reports, the anchors whose numbers bracket or
    equal theirs and, of the exams, the anchors' and the free ones of the spans they bracket
    (:func:`request_spans`).

    Parameters
    ----------
    numbers : pandas.DataFrame
        ``report_row``, ``number``, ``family``, ``value`` (:func:`numbers_written`) of the open
        reports and of the anchors writing numbers of the open reports' families.
    open_rows, anchor_exam, facts, exams, claimed
        As for :func:`reports_by_request_number` (rows of this projection).
    accessions : ndarray or AccessionKeys
        The exams' accession numbers (upper case, stripped), or those of them that any of
        ``numbers`` writes (only membership is read), or their :func:`accession_keys`.
    families : list of str, optional
        The request numberings, when learned already (:func:`request_families`, which then
        is not called: the Spark engine learns each family on the executors, where all its
        anchors are, and gives here only the anchors whose numbers bracket or equal an open
        report's, which place it alike).

    Examples
    --------
    >>> study = pd.date_range("2023-01-02 08:00", periods=61, freq="h")
    >>> exams = pd.DataFrame({"study": study, "mclass": ["US"] * 61, "region": [None] * 61})
    >>> numbers = numbers_written(np.array([f"DM{100000 + 3 * i}" for i in range(61)], dtype=object))
    >>> anchor = np.arange(61); anchor[30] = -1
    >>> facts = pd.DataFrame({"kind": ["US"] * 61, "region": [None] * 61,
    ...     "sdate": np.full(61, np.datetime64("NaT"), dtype="datetime64[D]"), "when": study + pd.Timedelta("1h")})
    >>> [x.tolist() for x in place_by_request_number(numbers, np.array([30]), anchor, facts, exams, anchor >= 0,
    ...                                              np.zeros(0, dtype=object))]
    [[30], [30]]
    """
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    study = pd.to_datetime(exams["study"]).to_numpy(dtype="datetime64[ns]")
    anchor_exam = np.asarray(anchor_exam, dtype=np.int64).copy()
    anchor_time = _anchor_times(anchor_exam, study)
    if families is None:
        families = request_families(numbers, anchor_time.astype("datetime64[D]"), anchor_time,
                                    accessions if isinstance(accessions, AccessionKeys)
                                    else np.asarray(accessions, dtype=object))
    if not families:
        return none
    numbers = numbers[numbers["family"].isin(families).to_numpy()]
    is_open = np.zeros(len(anchor_exam), dtype=bool)
    is_open[np.asarray(open_rows, dtype=np.int64)] = True
    claimed = np.asarray(claimed, dtype=bool).copy()
    found_r, found_e = [], []
    # the reports placed by a pass are anchors of the next: brackets narrow
    for _ in range(_PASSES):
        r, e = _one_pass(numbers, is_open, anchor_exam, study, claimed, facts, exams)
        if not len(r):
            break
        found_r.append(r)
        found_e.append(e)
        is_open[r] = False
        anchor_exam[r] = e
        claimed[e] = True
    if not found_r:
        return none
    pairs = pd.DataFrame({"report_row": np.concatenate(found_r), "exam_row": np.concatenate(found_e)})
    pairs = pairs.sort_values("report_row", kind="mergesort")
    return pairs["report_row"].to_numpy(dtype=np.int64), pairs["exam_row"].to_numpy(dtype=np.int64)


def _anchor_times(anchor_exam: np.ndarray, study: np.ndarray) -> np.ndarray:
    """Per report: the time of the exam it is placed on (NaT when none)."""
    placed = anchor_exam >= 0
    anchor_time = np.full(len(anchor_exam), np.datetime64("NaT"), dtype="datetime64[ns]")
    anchor_time[placed] = study[anchor_exam[placed]]
    return anchor_time


def _brackets(numbers: pd.DataFrame, is_open: np.ndarray, placed: np.ndarray, anchor_time: np.ndarray,
              anchor_exam: np.ndarray | None = None
              ) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, np.ndarray, np.ndarray]]:
    """Per format family the open reports write (in order): ``(part, ref, lo, hi)``, its open
    reports' numbers, its anchors' (with their ``time``, and ``exam`` when ``anchor_exam`` is
    given) sorted by value then time, and per open number the first anchor at or above it and
    the first one above it: the set-up :func:`request_spans` and :func:`_one_pass` share."""
    rows = numbers["report_row"].to_numpy()
    mine = numbers[is_open[rows]]
    at = rows[placed[rows]]
    extra = {"time": anchor_time[at]} if anchor_exam is None else {"exam": anchor_exam[at], "time": anchor_time[at]}
    anchors = numbers[placed[rows]].assign(**extra)
    for family, part in mine.groupby("family", sort=True):  # a few families
        ref = anchors[anchors["family"] == family].sort_values(["value", "time"], kind="mergesort")
        values, v = ref["value"].to_numpy(), part["value"].to_numpy()
        yield part, ref, np.searchsorted(values, v, side="left"), np.searchsorted(values, v, side="right")


def request_spans(numbers: pd.DataFrame, open_rows: np.ndarray, anchor_time: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The times ``(start, stop)`` between which the free exams an open report's number may take
    lie (its bracketing anchors' exams, :func:`place_by_request_number`'s first pass; later
    passes only narrow them): the Spark engine reads only the free exams of these spans.

    Examples
    --------
    >>> numbers = pd.DataFrame({"report_row": [0, 1, 2], "number": ["DM10", "DM12", "DM14"],
    ...                         "family": "DM99", "value": [10, 12, 14]})
    >>> t = np.array(["2023-01-02T08:00", "NaT", "2023-01-02T10:00"], dtype="datetime64[ns]")
    >>> [str(x[0])[:16] for x in request_spans(numbers, np.array([1]), t)]
    ['2023-01-02T08:00', '2023-01-02T10:00']
    """
    is_open = np.zeros(len(anchor_time), dtype=bool)
    is_open[np.asarray(open_rows, dtype=np.int64)] = True
    start, stop = [], []
    for _, ref, lo, hi in _brackets(numbers, is_open, ~np.isnat(anchor_time), anchor_time):
        times = ref["time"].to_numpy(dtype="datetime64[ns]")
        between = (hi == lo) & (lo > 0) & (hi < len(times))
        start.append(times[lo[between] - 1])
        stop.append(times[hi[between]])
    if not start:
        return np.zeros(0, dtype="datetime64[ns]"), np.zeros(0, dtype="datetime64[ns]")
    return np.concatenate(start), np.concatenate(stop)


def _one_pass(numbers: pd.DataFrame, is_open: np.ndarray, anchor_exam: np.ndarray, study: np.ndarray,
              claimed: np.ndarray, facts: pd.DataFrame, exams: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """One pass of :func:`reports_by_request_number` with the anchors and claimed exams as they stand."""
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    mclass = exams["mclass"].to_numpy(dtype=object)
    xregion = exams["region"].to_numpy(dtype=object)
    kind = facts["kind"].to_numpy(dtype=object)
    region = facts["region"].to_numpy(dtype=object)
    sdate = np.asarray(facts["sdate"].to_numpy()).astype("datetime64[D]")
    when = np.asarray(facts["when"].to_numpy(), dtype="datetime64[ns]")
    # the exams no report took, by time: the same for every family of this pass
    free = np.flatnonzero(~np.asarray(claimed, dtype=bool) & ~np.isnat(study))
    free = free[np.argsort(study[free], kind="stable")]
    t = study[free]
    found_r, found_e, found_v = [], [], []
    for part, ref, lo, hi in _brackets(numbers, is_open, anchor_exam >= 0, _anchor_times(anchor_exam, study),
                                       anchor_exam):
        values = ref["value"].to_numpy()
        times = ref["time"].to_numpy(dtype="datetime64[ns]")
        v = part["value"].to_numpy()
        r = part["report_row"].to_numpy(dtype=np.int64)
        # the same number as placed reports of one exam: that exam (a second reading, a correction)
        same = hi > lo
        # the exam of each placed number, when its anchors name one exam
        per_value = ref.groupby("value")["exam"].agg(["min", "max"])
        at = np.flatnonzero(same)
        if len(at):
            got = per_value.reindex(v[at])
            first = got["min"].to_numpy(dtype=np.int64)
            rr = r[at]
            ok = (got["min"].to_numpy() == got["max"].to_numpy()) & (pd.isna(kind[rr]) | (kind[rr] == mclass[first]))
            found_r.append(rr[ok])
            found_e.append(first[ok])
            found_v.append(v[at][ok])
        # between two placed numbers: the exams done between theirs that no report took
        between = np.flatnonzero(~same & (lo > 0) & (hi < len(values)))
        if not len(between):
            continue
        start, stop = times[lo[between] - 1], times[hi[between]]
        a = np.searchsorted(t, start, side="left")
        b = np.searchsorted(t, stop, side="right")
        width = b - a
        few = np.flatnonzero((width > 0) & (width <= 50))
        if not len(few):
            continue
        rep = np.repeat(between[few], width[few])
        offsets = np.arange(width[few].sum()) - np.repeat(np.cumsum(width[few]) - width[few], width[few])
        cand = free[np.repeat(a[few], width[few]) + offsets]
        rr = r[rep]
        fits = ((pd.isna(kind[rr]) | (kind[rr] == mclass[cand]))
                & ~(pd.notna(region[rr]) & pd.notna(xregion[cand]) & (region[rr] != xregion[cand]))
                & (np.isnat(sdate[rr]) | (study[cand].astype("datetime64[D]") == sdate[rr]))
                & (np.isnat(when[rr]) | (study[cand] <= when[rr])))
        rr, cand = rr[fits], cand[fits]
        one = pd.Series(cand).groupby(rr).transform("size").to_numpy() == 1
        found_r.append(rr[one])
        found_e.append(cand[one])
        found_v.append(v[rep][fits][one])
    if not found_r:
        return none
    pairs = pd.DataFrame({"report_row": np.concatenate(found_r), "exam_row": np.concatenate(found_e),
                          "value": np.concatenate(found_v)}).drop_duplicates()
    pairs = pairs[~pairs["report_row"].duplicated(keep=False)]
    # a free exam is taken by one request (several reports on one exam only through one number)
    shared_number = claimed[pairs["exam_row"].to_numpy()]
    one_request = pairs.groupby("exam_row")["value"].transform("nunique").to_numpy() == 1
    pairs = pairs[shared_number | one_request]
    pairs = pairs.sort_values("report_row", kind="mergesort")
    return pairs["report_row"].to_numpy(dtype=np.int64), pairs["exam_row"].to_numpy(dtype=np.int64)
