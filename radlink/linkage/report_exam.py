"""Report → exam: which exam each report describes (several reports may describe one exam).

Decision order:

1. ``accession_number``: report and exam carry the same accession number and the
   patient is consistent (the exam's resolved patient is the report's, or either is
   unknown): decisive at any delay, unless the report is signed before the exam
   beyond the clock skew (then the pair is only scored, with that against it).
   Addenda carrying the accession number all link to the exam.
2. ``patient_time_modality``: the exams of the report's (resolved) patient up to
   :attr:`LinkageSettings.report_horizon_days` before the report are scored by a sum
   of log-odds (:data:`WEIGHTS`): modality class and region of the **title** against
   the DICOM modality / description / body part, else of the **text**'s opening
   (technique words); the exam date the text states ("Examen du 03/03/2021"); the
   tracer; and the **delay**, whose weight is learned on the data being linked
   (:mod:`radlink.linkage.delay_model`: from accession-confirmed pairs, else EM; per
   modality class, and per site where a site has enough pairs); the **words** of the report
   against the kind of each candidate exam (class and region), learned on the reports of known
   kind of the same data (:mod:`radlink.linkage.text_kind`: it only tells candidates of
   different kinds apart); and the exam the text **compares with** ("Comparaison : examen du
   15/07/2024"), held against a candidate of that date when a later one exists. A first, one-to-one pass (mutual-best rounds) gives each exam its
   best report; reports left over (addenda, corrected or second reports) then take
   their best exam even if it already has a report, with :data:`WEIGHTS`
   ``second_report`` against it, or ``addendum_of_reported_exam`` for it when the
   report says it is an addendum ("Addendum", "Complément", "Rectificatif").

3. ``site_date_modality``: a report that names no patient (an outside radiologist's letter
   whose identity the RIS never reconciled) and carries no accession number, whose head
   names the site that made the exam (a letterhead), with the exam date and type its text
   states, takes the one exam of that site, date and type that no report took.
4. ``date_modality``: a report that names no patient and no site, whose text states the
   exam date (and time) and type, takes the one exam of that date (time) and type, done
   before it was signed, that no report took (:func:`reports_by_date_and_type`).
5. ``request_number``: a report still without exam (of no patient, or of the exam's
   patient) that writes a number of a family learned to be a **request numbering** (no
   accession, shared by the reports of one exam, ordered as the exams of the reports
   already placed): the exam of the placed reports with the same number, else the one
   exam of its type between the exams of the placed numbers around its own that no
   report took (:mod:`radlink.linkage.request_numbers`). The Spark engine, which links
   groups of connected patients, runs it once on the driver, across groups, on the
   numbers its executors read (:func:`~radlink.linkage.request_numbers.place_by_request_number`).

A report of one request acquired as several studies minutes apart (chest then
abdomen-pelvis, both knees) is its **first study**'s (:data:`SPLIT_REQUEST_MINUTES`).

**True ties are ambiguous, never a coin toss**: when a report's best remaining exams
are of the same patient, nothing but the time tells them apart (same score without the
delay term, neither after the report) and they are on the same day or their delays weigh
less than :data:`TIE_DELAY_MARGIN` apart, and no other report's choice takes one of them
(one-to-one pass), the report is ``ambiguous`` with the candidates in its evidence.

The evidence of a linked report says ``addendum_of`` (the earliest report linked to the
same exam) when it is not the exam's first report, and whether it ``says_addendum``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from radlink.linkage.delay_model import DELAY_LEVELS, delay_level, delay_weights, fit_delay_model
from radlink.linkage.evidence import Evidence, evidence_column
from radlink.linkage.frames import object_frame
from radlink.linkage.frames import sort_rank as _sort_rank
from radlink.linkage.patterns import (
    COMPATIBLE_REGIONS,
    MODALITY_CLASS_OF_CODE,
    MODALITY_CLASS_PATTERNS,
    OUTSIDE_REVIEW_PATTERN,
    REGION_OF_BODY_PART,
    REGION_PATTERNS,
    TRACER_PATTERNS,
)
from radlink.linkage.report_text import (
    WrittenNumbers,
    _ascii_matches,
    compared_dates,
    label_words,
    letter_dates,
    names_label,
    report_text_facts,
    stripped_upper,
)
from radlink.linkage.request_numbers import REQUEST_NUMBER_REASON, reports_by_request_number
from radlink.linkage.settings import LinkageSettings
from radlink.linkage.stamp_days import on_stamp_days, stamp_days, without_stamps
from radlink.linkage.text_kind import exam_kinds, fit_text_kinds, report_words, text_kind_term

__all__ = ["WEIGHTS", "modality_class_of_text", "exam_modality_class", "region_of_text",
           "tracer_of_text", "midnight_counts", "dates_only_decision", "midnight_reports_are_dates",
           "signed_by", "link_reports_to_exams", "report_facts", "fit_label_weight",
           "fit_text_modality_weight", "reports_by_named_site", "reports_by_date_and_type", "delay_windows",
           "named_sites", "fit_tie_margin", "fit_serial_blind_formats", "fit_outside_titles", "accession_formats",
           "SITE_HEAD_CHARS"]

DATE_ONLY_SHARE = 0.01
"""Share of report times at exactly midnight from which a warehouse is taken to export some as dates.

A time drawn to the minute falls on 00:00 once in 1,440 reports; a site that exports
the signature date alone (a ``date`` column read as midnight) shows far more.
"""

WEIGHTS: dict[str, float] = {
    "base": 0.0,            # an exam of the patient before the report, within the horizon
    "modality_match": 4.0,  # the title names the exam's modality class
    "modality_unknown": 0.0,
    "modality_mismatch": -7.0,
    "region_match": 1.5,
    "region_compatible": 0.5,
    "region_unknown": 0.0,
    "region_mismatch": -2.5,
    "tracer_match": 1.5,    # same radiotracer in the report text and the study description
    "tracer_unknown": 0.0,
    "tracer_mismatch": -4.0,
    "textmodality_match": 2.5,    # the text's opening names the exam's class (generic title)
    "textmodality_unknown": 0.0,
    "textmodality_mismatch": -4.0,
    "textregion_match": 0.5,
    "textregion_compatible": 0.2,
    "textregion_unknown": 0.0,
    "textregion_mismatch": -0.5,
    "date_match": 4.0,      # the text states the exam's date
    "date_unknown": 0.0,
    "date_mismatch": -5.0,  # the text states another date
    "time_match": 1.5,      # ... and the exam's time of day, within TIME_TOLERANCE_MINUTES
    "time_unknown": 0.0,
    "time_mismatch": -1.5,  # another time that day (a same-day twin; light: exports may shift clocks)
    "serial_match": 5.0,    # the accession's serial (last digits) is the exam's, in another site format
    "serial_unknown": 0.0,
    "serial_mismatch": -1.0,  # both carry an accession, with other serials
    "outside_review": -4.0,  # the title says it reviews images made elsewhere (most have no exam here)
    "second_report": -2.0,  # the exam already has a report and this one does not say addendum
    "addendum_of_reported_exam": 1.0,
    "compared_exam": -2.5,  # the text compares with an exam of this date, and a later candidate exists
}
"""Log-odds terms of the report→exam score besides time (hand-set; the floors in tests hold them).

Time enters as a learned weight per delay level (:func:`~radlink.linkage.delay_model.delay_weights`).
"""

STATED_MINUTE_TOLERANCE = 10.0
"""Minutes between the time a report without patient nor type states and its exam's study time."""

DATE_MODALITY_REASON = ("the report names no patient; one exam of the type on the date (and at the time) its text "
                        "states, before the report, without a report")
"""The evidence's reason of a ``date_modality`` link (both engines write it)."""

SPLIT_REQUEST_MINUTES = 20
"""Most minutes between the studies of one request acquired as several (chest then abdomen-pelvis)."""

TIE_DELAY_MARGIN = float(np.log(4.0))
"""Least difference of delay weight (log-odds) by which the delay alone tells two exams of one
patient apart, when nothing else does: below it, on different days too, the report is ``ambiguous``
(the delay of one report is a weak clue between two exams a day apart, daily bedside films)."""

SERIAL_DIGITS = 4
"""Trailing digits of an accession number compared across site formats ("0002429-C" and
"C230002429" share the serial 2429): among one patient's candidate exams, two serials
agree by chance about once in 10**SERIAL_DIGITS."""

STAMP_LOOKBACK_DAYS = 36_525.0
"""How far before an import's stamp (:mod:`radlink.linkage.stamp_days`) a stamped report's exam is
looked for, when its text states no date: a century, i.e. every earlier exam of its patient."""

TIME_TOLERANCE_MINUTES = 90.0
"""A time of day stated in the text agrees with the exam's study time within this (the RIS
appointment and the acquisition start differ by minutes to an hour)."""


def _distinct_upper_words(text: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``pd.factorize`` codes of ``text`` and its distinct values as the title patterns read
    them: upper-case ASCII, every character but letters, digits and spaces made a space."""
    codes, uniques = pd.factorize(pd.Series(text.to_numpy(dtype=object), dtype=object))
    return codes, stripped_upper(pd.Series(uniques, dtype=object)).str.replace(r"[^A-Z0-9 ]", " ", regex=True)


def _classify(text: pd.Series, patterns: tuple[tuple[str, str], ...]) -> pd.Series:
    """First matching code per text (on distinct values), ``None`` when none matches."""
    text = text.astype(object)
    out = pd.Series([None] * len(text), index=text.index, dtype=object)
    ok = text.notna().to_numpy()
    if not ok.any():
        return out
    codes, u = _distinct_upper_words(text[ok])
    res = np.full(len(u), None, dtype=object)
    todo = np.arange(len(u))
    for pattern, code in patterns:  # each pattern reads only the texts still without a code
        if not len(todo):
            break
        hit = _ascii_matches(u.iloc[todo], pattern, ignore_case=True)  # ASCII: re's answers, by RE2
        res[todo[hit]] = code
        todo = todo[~hit]
    full = np.full(len(text), None, dtype=object)
    full[ok] = res[codes]
    return pd.Series(full, index=text.index, dtype=object)


def modality_class_of_text(text: pd.Series) -> pd.Series:
    """Modality class named by a title or description (``"PET"``, ``"CT"``, ...).

    Examples
    --------
    >>> import pandas as pd
    >>> modality_class_of_text(pd.Series(["Tomographie par émission de positons avec scanner", "TDM thorax", "Compte rendu"])).tolist()
    ['PET', 'CT', None]
    """
    return _classify(text, MODALITY_CLASS_PATTERNS)


def region_of_text(text: pd.Series) -> pd.Series:
    """Anatomical region named by a title or description (``"CHEST"``, ``"TAP"``, ...).

    Examples
    --------
    >>> import pandas as pd
    >>> region_of_text(pd.Series(["Scanner thoraco-abdomino-pelvien", "IRM cérébrale", "TEP-TDM"])).tolist()
    ['TAP', 'HEAD', None]
    """
    return _classify(text, REGION_PATTERNS)


def exam_modality_class(modality: pd.Series, description: pd.Series) -> pd.Series:
    """Class of each exam from its DICOM modality (``PT\\\\CT`` -> ``PET``), else its description.

    Examples
    --------
    >>> import pandas as pd
    >>> exam_modality_class(pd.Series(["PT\\\\CT", "CR", None]), pd.Series([None, None, "IRM CEREBRALE"])).tolist()
    ['PET', 'XR', 'MR']
    """
    order = [code for _, code in MODALITY_CLASS_PATTERNS]
    rank = {c: i for i, c in enumerate(order)}

    def _one(m):
        if m is None or (isinstance(m, float) and np.isnan(m)):
            return None
        classes = [MODALITY_CLASS_OF_CODE.get(c.strip().upper()) for c in str(m).split("\\")]
        classes = [c for c in classes if c]
        return min(classes, key=rank.get) if classes else None

    mod = modality.astype(object)
    codes, uniques = pd.factorize(mod)
    mapped = np.array([_one(u) for u in uniques] + [None], dtype=object)
    out = pd.Series(mapped[codes], index=modality.index, dtype=object)
    missing = out.isna()
    if missing.any():
        out[missing] = modality_class_of_text(description[missing]).to_numpy(dtype=object)
    return out


_TRACER_FIRST = "PDF1CENMH"
"""Every alternative of :data:`TRACER_PATTERNS` starts (after an optional ``\\b``) with one of these.

The lookahead on them changes no match (a test holds it) but lets the regular
expression engine skip most positions at once: about 2.5 times faster on report texts.
"""
_TRACER_RE = re.compile(f"(?=[{_TRACER_FIRST}])(?:"
                        + "|".join(f"(?P<{code}>{pattern})" for pattern, code in TRACER_PATTERNS) + ")",
                        re.IGNORECASE)


_TRACER_RELAXED = "(?i)" + "|".join(f"(?:{pattern.replace(chr(92) + 'b', '')})" for pattern, _ in TRACER_PATTERNS)
""":data:`_TRACER_RE` without its word boundaries, for arrow's RE2: it matches wherever
:data:`_TRACER_RE` does (and sometimes earlier), on texts without :data:`_FOLDS_TO_ASCII`."""
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")
"""Non-ASCII letters that :mod:`re` (ignoring case) takes for ``i``, ``s`` or ``k`` and RE2 may not."""


def tracer_of_text(text: pd.Series, max_chars: int = 3000) -> pd.Series:
    """Radiotracer named first in a text (``"FDG"``, ``"CHOLINE"``...), ``None`` when none.

    One combined regular expression, case-insensitive, over the first ``max_chars``
    characters (the technique paragraph); accents need no stripping since tracer names
    are written in ASCII (``18F-FDG``, ``fluorocholine``). Arrow's RE2 first finds where
    the first tracer word may start (:data:`_TRACER_RELAXED`, without Python per
    character); :mod:`re` then reads from there, so the answer is :mod:`re`'s.

    Examples
    --------
    >>> import pandas as pd
    >>> tracer_of_text(pd.Series(["TEP-TDM 18F-FLUOROCHOLINE", "injection de 250 MBq de 18F-FDG", "IRM"])).tolist()
    ['CHOLINE', 'FDG', None]
    """
    values = text.to_numpy(dtype=object)
    out = np.full(len(values), None, dtype=object)
    rows = np.flatnonzero([isinstance(v, str) for v in values])
    heads = [values[i][:max_chars] for i in rows]
    try:
        found = pc.find_substring_regex(pa.array(heads, type=pa.string()), _TRACER_RELAXED)
        starts = found.to_numpy(zero_copy_only=False)  # byte offsets, -1 when none
    except (pa.ArrowInvalid, UnicodeEncodeError):  # e.g. a lone surrogate: re alone
        starts = np.zeros(len(rows), dtype=np.int64)
    for i, head, start in zip(rows, heads, starts.tolist(), strict=True):
        if any(c in head for c in _FOLDS_TO_ASCII):
            start = 0
        elif start < 0:
            continue
        elif start and not head.isascii():
            start = len(head.encode("utf-8")[:start].decode("utf-8"))
        match = _TRACER_RE.search(head, start)
        if match:
            out[i] = match.lastgroup
    return pd.Series(out, index=text.index, dtype=object)


def _exam_region(body_part: pd.Series, description: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(body_part.astype(object))
    mapped = np.array([REGION_OF_BODY_PART.get(str(v).strip().upper()) for v in uniques] + [None], dtype=object)
    # a site's own words ("THORAX", "GENOU") are read as a description is
    unknown = np.flatnonzero(pd.isna(mapped[:-1]))
    if len(unknown):
        mapped[unknown] = region_of_text(pd.Series(uniques[unknown], dtype=object)).to_numpy(dtype=object)
    out = pd.Series(mapped[codes], index=body_part.index, dtype=object)
    desc = region_of_text(description)
    # The description is more specific than the body part for TAP vs CHEST.
    return desc.where(desc.notna(), out).astype(object)


def midnight_counts(report_datetime: pd.Series) -> tuple[int, int]:
    """``(reports at exactly 00:00:00, reports)``: the summary :func:`dates_only_decision` decides on.

    Both engines feed the rule these two counts (the Spark engine sums them on its
    executors), so the rule has one owner.

    Examples
    --------
    >>> import pandas as pd
    >>> midnight_counts(pd.Series(pd.to_datetime(["2021-03-03 00:00", "2021-03-03 14:05", None])))
    (1, 3)
    """
    when = pd.to_datetime(report_datetime).to_numpy()
    midnight = ~np.isnat(when) & (when == when.astype("datetime64[D]").astype(when.dtype))
    return int(midnight.sum()), len(when)


def dates_only_decision(midnight: int, reports: int) -> bool:
    """Whether a warehouse exports some signature dates without their time: more than
    :data:`DATE_ONLY_SHARE` of its ``reports`` (null times included) at exactly midnight.

    Examples
    --------
    >>> dates_only_decision(3, 100), dates_only_decision(1, 1440), dates_only_decision(0, 0)
    (True, False, False)
    """
    return bool(reports) and bool(np.float64(midnight) / np.float64(reports) > DATE_ONLY_SHARE)


def midnight_reports_are_dates(report_datetime: pd.Series) -> bool:
    """Whether a warehouse exports some signature dates without their time
    (:func:`dates_only_decision` of :func:`midnight_counts`).

    Examples
    --------
    >>> import pandas as pd
    >>> midnight_reports_are_dates(pd.Series(pd.to_datetime(["2021-03-03 00:00", "2021-03-03 14:05"])))
    True
    """
    return dates_only_decision(*midnight_counts(report_datetime))


def signed_by(report_datetime: pd.Series, dates_only: bool | None = None) -> np.ndarray:
    """When each report was signed at the latest: its time, or the end of its day when only the date is known.

    A warehouse that exports some signature dates without their time shows them at
    midnight, hours *before* the exam of that day; read as a time, the report would be
    held against its own exam. When ``dates_only`` (by default:
    :func:`midnight_reports_are_dates`), reports at exactly 00:00:00 are taken as
    dates: signed by the end of that day.

    Examples
    --------
    >>> import pandas as pd
    >>> when = pd.Series(pd.to_datetime(["2021-03-03 00:00", "2021-03-03 14:05", None]))
    >>> [str(pd.Timestamp(t)) for t in signed_by(when)]
    ['2021-03-03 23:59:59', '2021-03-03 14:05:00', 'NaT']
    """
    when = pd.to_datetime(report_datetime).to_numpy()
    if dates_only is None:
        dates_only = midnight_reports_are_dates(report_datetime)
    if not dates_only or not len(when):
        return when
    day = when.astype("datetime64[D]")
    midnight = ~np.isnat(when) & (when == day.astype(when.dtype))
    end_of_day = (day + np.timedelta64(1, "D") - np.timedelta64(1, "s")).astype(when.dtype)
    return np.where(midnight, end_of_day, when)


def _lone_exam_of_its_kind(rp: pd.DataFrame, ex: pd.DataFrame, status: np.ndarray, target_row: np.ndarray,
                           skip: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reports that bear no date at all, each with the one exam it can only be.

    A report with neither signature time, nor a date in its text, nor a stay has no time
    to place it; when its patient has exactly one exam of the class (and not another
    region) it names that no other report took, and no other such report points to that
    exam, it is that exam's report. Addenda and outside reviews (``skip``) are not placed so.
    Returns ``(report_rows, exam_rows)``.
    """
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    tclass = rp["tclass"].to_numpy(dtype=object)
    kind = np.where(pd.notna(tclass), tclass, rp["xclass"].to_numpy(dtype=object))
    tregion = rp["tregion"].to_numpy(dtype=object)
    region = np.where(pd.notna(tregion), tregion, rp["xregion"].to_numpy(dtype=object))
    dateless = (np.isnat(rp["when"].to_numpy()) & np.isnat(rp["sdate"].to_numpy().astype("datetime64[D]"))
                & np.isnat(rp["wend"].to_numpy()))
    rows = np.flatnonzero((status == "unlinked") & dateless & ~skip & pd.notna(kind)
                          & pd.notna(rp["patient_id"].to_numpy(dtype=object)))
    if not len(rows):
        return none
    claimed = np.zeros(len(ex), dtype=bool)
    claimed[target_row[(status == "linked") & (target_row >= 0)]] = True
    free = np.flatnonzero(~claimed & pd.notna(ex["patient_id"].to_numpy(dtype=object)))
    left = pd.DataFrame({"report_row": rows, "patient_id": rp["patient_id"].to_numpy(dtype=object)[rows],
                         "kind": kind[rows], "rregion": region[rows]})
    right = pd.DataFrame({"exam_row": free, "patient_id": ex["patient_id"].to_numpy(dtype=object)[free],
                          "kind": ex["mclass"].to_numpy(dtype=object)[free],
                          "eregion": ex["region"].to_numpy(dtype=object)[free]})
    pairs = left.merge(right, on=["patient_id", "kind"])
    pairs = pairs[~(pairs["rregion"].notna() & pairs["eregion"].notna()
                    & (pairs["rregion"].to_numpy(dtype=object) != pairs["eregion"].to_numpy(dtype=object)))]
    pairs = _unique_pairs(pairs)
    return pairs["report_row"].to_numpy(dtype=np.int64), pairs["exam_row"].to_numpy(dtype=np.int64)


LATE_REPORT_REASON = ("signed later than the delay model expects; its best candidate, which nothing but the "
                      "delay speaks against, is the one exam of the type its title or text names without a report")
"""The evidence's reason of a ``late_report`` link."""


def _best_late_candidates(cand: pd.DataFrame, claimed: np.ndarray) -> pd.DataFrame:
    """``(report_row, exam_row)``: each report's best candidate (by its score, delay included) when
    nothing but the delay speaks against it and it is the report's one such exam without a report.

    Such a candidate (*plausible*) is done before the report (delay level above 0), its class
    named by the title or text (``mod`` or ``tmod`` ``match``), no agreement code a
    ``mismatch``, not an exam the text compares with; the best is kept when it is plausible,
    its log-odds without the delay are above 0 and the delay's weight below 0, no exam of
    the report's other plausible candidates is free of a report (``claimed``: two free exams
    of the type are a choice the delay would make alone).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> cand = pd.DataFrame({"report_row": [0, 0, 1], "exam_row": [0, 1, 2], "logit": [-1.0, -3.0, -1.0],
    ...     "other": [2.5, 2.5, 2.5], "dweight": [-3.5, -5.5, -3.5], "level": [8, 9, 8],
    ...     "mod": "unknown", "tmod": "match", "reg": "unknown", "date": "unknown", "time": "unknown",
    ...     "tracer": "unknown", "compared": False})
    >>> _best_late_candidates(cand, np.array([False, True, False])).values.tolist()
    [[0, 0], [1, 2]]
    >>> _best_late_candidates(cand, np.zeros(3, dtype=bool)).values.tolist()
    [[1, 2]]
    """
    if not len(cand):
        return pd.DataFrame({"report_row": np.zeros(0, np.int64), "exam_row": np.zeros(0, np.int64)})
    named = (cand["mod"].to_numpy(dtype=object) == "match") | (cand["tmod"].to_numpy(dtype=object) == "match")
    against = cand["compared"].to_numpy(dtype=bool).copy()
    for name in ("mod", "tmod", "reg", "date", "time", "tracer"):
        against |= cand[name].to_numpy(dtype=object) == "mismatch"
    plausible = named & ~against & (cand["level"].to_numpy() > 0)
    free = plausible & ~claimed[cand["exam_row"].to_numpy(dtype=np.int64)]
    n_free = np.bincount(cand["report_row"].to_numpy(dtype=np.int64), weights=free.astype(np.float64))
    order = np.lexsort((-cand["logit"].to_numpy(dtype=np.float64), cand["report_row"].to_numpy()))
    best = cand.iloc[order].assign(free=free[order]).drop_duplicates("report_row")
    keep = (best["free"].to_numpy(dtype=bool) & (n_free[best["report_row"].to_numpy(dtype=np.int64)] == 1)
            & (best["other"].to_numpy() > 0) & (best["dweight"].to_numpy() < 0))
    return best.loc[keep, ["report_row", "exam_row"]].reset_index(drop=True)


def _late_report_of_its_exam(parts: list[pd.DataFrame], rp: pd.DataFrame, status: np.ndarray,
                             target_row: np.ndarray, skip: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reports the delay alone left below the threshold, each with the exam it can only be.

    A report signed far later than the warehouse's delay model expects (a validation queue, a
    second reading, an export that stamps the last edit) is left ``unlinked`` when its score
    falls below the threshold, though everything else it says points to one exam. Its best
    candidate (:func:`_best_late_candidates`: nothing but the delay against it) is taken when
    that exam has no report, no other such report points to it, and the report is no addendum
    nor outside review (``skip``). Returns ``(report_rows, exam_rows)``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> parts = [pd.DataFrame({"report_row": [0, 1, 2], "exam_row": [5, 6, 6]})]
    >>> rp = pd.DataFrame({"report_row": [0, 1, 2, 3]})
    >>> status = np.array(["unlinked", "unlinked", "unlinked", "linked"], dtype=object)
    >>> _late_report_of_its_exam(parts, rp, status, np.array([-1, -1, -1, 7]), np.zeros(4, bool))
    (array([0]), array([5]))
    """
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    parts = [p for p in parts if len(p)]
    if not parts:
        return none
    pairs = pd.concat(parts, ignore_index=True)
    claimed = np.zeros(int(max(pairs["exam_row"].max(), target_row.max(initial=-1))) + 1, dtype=bool)
    claimed[target_row[(status == "linked") & (target_row >= 0)]] = True
    r = pairs["report_row"].to_numpy(dtype=np.int64)
    pairs = pairs[(status[r] == "unlinked") & ~skip[r] & ~claimed[pairs["exam_row"].to_numpy(dtype=np.int64)]]
    pairs = _unique_pairs(pairs)
    return pairs["report_row"].to_numpy(dtype=np.int64), pairs["exam_row"].to_numpy(dtype=np.int64)


SITE_HEAD_CHARS = 300
"""Characters of a report's text searched for the name of the site that made its exam (a letterhead)."""

SITE_NAME_MIN_CHARS = 8
"""Shortest site name (``institution``, letters and spaces) looked for in a report's head: "CH" or
"CLINIQUE" alone would name many."""


def _exam_of_the_named_site(rp: pd.DataFrame, ex: pd.DataFrame, reports: pd.DataFrame, exams: pd.DataFrame,
                            status: np.ndarray, target_row: np.ndarray, skip: np.ndarray
                            ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`reports_by_named_site` within :func:`link_reports_to_exams` (its frames ``rp`` and ``ex``)."""
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    if "institution" not in exams:
        return none
    rows = np.flatnonzero((status == "unlinked") & ~skip & pd.isna(rp["patient_id"].to_numpy(dtype=object)))
    if not len(rows):
        return none
    claimed = np.zeros(len(ex), dtype=bool)
    claimed[target_row[(status == "linked") & (target_row >= 0)]] = True
    r, e = reports_by_named_site(rp.iloc[rows], reports["text"].to_numpy(dtype=object)[rows],
                                 ex.assign(institution=exams["institution"].to_numpy(dtype=object)), claimed)
    return rows[r], e


def named_sites(texts: np.ndarray, sites: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (text, site) pair whose text's first :data:`SITE_HEAD_CHARS` characters name the site
    (as whole words, :func:`~radlink.linkage.report_text.label_words`); sites shorter than
    :data:`SITE_NAME_MIN_CHARS` letters name nothing. Returns positions in ``texts`` and ``sites``.

    Examples
    --------
    >>> import numpy as np
    >>> texts = np.array(["Cima Les Tilleuls - Dr Petit", "CH de Valmont", None], dtype=object)
    >>> [x.tolist() for x in named_sites(texts, np.array(["CIMA LES TILLEULS", "CH"], dtype=object))]
    [[0], [0]]
    """
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    names = label_words(pd.Series(np.asarray(sites, dtype=object), dtype=object)).to_numpy(dtype=object)
    long_enough = np.array([isinstance(n, str) and len(n.replace(" ", "")) >= SITE_NAME_MIN_CHARS for n in names],
                           dtype=bool)
    if not long_enough.any() or not len(texts):
        return none
    heads = label_words(pd.Series([t[:SITE_HEAD_CHARS] if isinstance(t, str) else None for t in texts],
                                  dtype=object), SITE_HEAD_CHARS).to_numpy(dtype=object)
    head_arr = pa.array(heads, type=pa.string())
    named_r, named_s = [], []
    for site in np.flatnonzero(long_enough):  # a warehouse has few sites: one search each
        found = np.flatnonzero(pc.fill_null(pc.match_substring(head_arr, names[site]), False)
                               .to_numpy(zero_copy_only=False))
        named_r.append(found)
        named_s.append(np.full(len(found), site, dtype=np.int64))
    return np.concatenate(named_r).astype(np.int64), np.concatenate(named_s)


def reports_by_named_site(facts: pd.DataFrame, texts: np.ndarray, exams: pd.DataFrame, claimed: np.ndarray
                          ) -> tuple[np.ndarray, np.ndarray]:
    """Reports that name no patient, each with the one exam their letterhead, date and type point to.

    An outside radiologist's letter often reaches the warehouse without the hospital's
    patient number (the RIS never reconciled the identity) and without an accession
    number; it still names the site that made the exam (its letterhead), the exam's
    date and its type. When the site (an exam's ``institution``, found in the report's
    first :data:`SITE_HEAD_CHARS` characters) has exactly one exam of that class (and not
    another region) on that date that no report took, and no other such report points
    to that exam, it is that exam's report. One owner for both engines: the Spark engine
    calls it on the driver with the open reports and the exams of their sites and dates.

    Parameters
    ----------
    facts : pandas.DataFrame
        The open reports (unlinked, no patient, neither addendum nor outside review):
        ``tclass``, ``xclass``, ``tregion``, ``xregion``, ``sdate`` (:func:`report_facts`).
    texts : ndarray
        Their texts, row for row.
    exams : pandas.DataFrame
        ``institution``, ``study`` (datetime), ``mclass`` and ``region`` of the exams.
    claimed : ndarray of bool
        The exams a report already took.

    Returns
    -------
    (ndarray, ndarray)
        Positions of the reports in ``facts`` and of their exams in ``exams``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> facts = pd.DataFrame({"tclass": [None], "xclass": ["XR"], "tregion": [None], "xregion": ["KNEE"],
    ...                       "sdate": np.array(["2023-01-02"], dtype="datetime64[D]")})
    >>> exams = pd.DataFrame({"institution": ["CIMA LES TILLEULS", "IMAGERIE DU PARC"],
    ...     "study": pd.to_datetime(["2023-01-02 09:10", "2023-01-02 10:00"]), "mclass": ["XR", "XR"],
    ...     "region": ["KNEE", "KNEE"]})
    >>> letter = np.array(["Cima Les Tilleuls - Dr Petit\\nradio genou réalisé(e) le 02/01/2023"], dtype=object)
    >>> [x.tolist() for x in reports_by_named_site(facts, letter, exams, np.zeros(2, dtype=bool))]
    [[0], [0]]
    """
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    kind, day, region = _stated_kind_day_region(facts)
    rows = np.flatnonzero(pd.notna(kind) & ~np.isnat(day))
    if not len(rows) or not len(exams):
        return none
    codes, sites = pd.factorize(pd.Series(exams["institution"].to_numpy(dtype=object), dtype=object))
    named_r, named_s = named_sites(np.asarray(texts, dtype=object)[rows], np.asarray(sites, dtype=object))
    named_r = rows[named_r]
    if not len(named_r):
        return none
    left = pd.DataFrame({"report_row": named_r, "site": named_s, "day": day[named_r].astype(np.int64),
                         "kind": pd.Series(kind[named_r], dtype=object),
                         "rregion": pd.Series(region[named_r], dtype=object)})
    study = pd.to_datetime(exams["study"]).to_numpy(dtype="datetime64[ns]")
    free = np.flatnonzero(~np.asarray(claimed, dtype=bool) & (codes >= 0) & ~np.isnat(study))
    right = pd.DataFrame({"exam_row": free, "site": codes[free].astype(np.int64),
                          "day": study[free].astype("datetime64[D]").astype(np.int64),
                          "kind": pd.Series(exams["mclass"].to_numpy(dtype=object)[free], dtype=object),
                          "eregion": pd.Series(exams["region"].to_numpy(dtype=object)[free], dtype=object)})
    pairs = left.merge(right, on=["site", "day", "kind"])
    pairs = pairs[~(pairs["rregion"].notna() & pairs["eregion"].notna()
                    & (pairs["rregion"].to_numpy(dtype=object) != pairs["eregion"].to_numpy(dtype=object)))]
    pairs = _unique_pairs(pairs)
    return pairs["report_row"].to_numpy(dtype=np.int64), pairs["exam_row"].to_numpy(dtype=np.int64)


def reports_by_date_and_type(facts: pd.DataFrame, exams: pd.DataFrame, claimed: np.ndarray,
                             windows: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Reports that name no patient, each with the one exam that no report took of the date and type they state.

    A report written in a RIS whose patients were never mapped to the hospital's (a private
    group reading for the hospital, a teleradiology company) reaches the warehouse without
    a patient number, and often its text is the only thing left: "Examen réalisé le
    07/06/2023 à 02h02", a chest radiograph. When exactly one exam of that class (and not
    another region) was done on that date (at that time of day, within
    :data:`TIME_TOLERANCE_MINUTES`, when the text states one), before the report was signed,
    and no report took it, and no other such report points to it, it is that report's exam.
    A text that states the date and the time but no type takes the one such exam of any type
    within :data:`STATED_MINUTE_TOLERANCE` minutes of that time.
    A report that states no date, with ``windows`` (hours per modality class, ``"*"`` for
    any: the learned delays, :func:`delay_windows`), takes the exam of its class when it is
    the only one that no report took in that window before its signature.

    Parameters
    ----------
    facts : pandas.DataFrame
        The open reports: ``tclass``, ``xclass``, ``tregion``, ``xregion``, ``sdate``,
        ``stime`` (:func:`report_facts`) and, when known, ``when`` (signed by).
    exams : pandas.DataFrame
        ``study`` (datetime), ``mclass`` and ``region`` of the exams.
    claimed : ndarray of bool
        The exams a report already took.
    windows : dict, optional
        Hours before its signature in which a report without a stated date looks.

    Returns
    -------
    (ndarray, ndarray)
        Positions of the reports in ``facts`` and of their exams in ``exams``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> facts = pd.DataFrame({"tclass": [None, None, "CT"], "xclass": ["XR", "XR", None], "tregion": [None] * 3,
    ...     "xregion": ["CHEST", "CHEST", None],
    ...     "sdate": np.array(["2023-06-07", "2023-06-08", "NaT"], dtype="datetime64[D]"),
    ...     "stime": [122.0, np.nan, np.nan], "when": pd.to_datetime(["2023-06-07 08:00", "2023-06-08 18:00",
    ...                                                               "2023-06-09 12:00"])})
    >>> exams = pd.DataFrame({"study": pd.to_datetime(["2023-06-07 02:00", "2023-06-07 09:00",
    ...     "2023-06-08 10:00", "2023-06-08 11:00", "2023-06-09 10:00"]), "mclass": ["XR"] * 4 + ["CT"],
    ...     "region": ["CHEST"] * 4 + ["HEAD"]})
    >>> [x.tolist() for x in reports_by_date_and_type(facts, exams, np.zeros(5, dtype=bool), {"*": 6.0})]
    [[0, 2], [0, 4]]
    """
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    kind, day, region = _stated_kind_day_region(facts)
    when = (np.asarray(facts["when"].to_numpy(), dtype="datetime64[ns]") if "when" in facts
            else np.full(len(facts), np.datetime64("NaT"), dtype="datetime64[ns]"))
    stime = (facts["stime"].to_numpy(dtype=np.float64) if "stime" in facts else np.full(len(facts), np.nan))
    # a date and a time of day stated: the type may stay unknown (the minute tells the exam)
    timed = pd.isna(kind) & ~np.isnat(day) & ~np.isnan(stime)
    rows = np.flatnonzero((pd.notna(kind) | timed) & ~np.isnat(day))
    undated = (np.flatnonzero(pd.notna(kind) & np.isnat(day) & ~np.isnat(when)) if windows
               else np.zeros(0, dtype=np.int64))
    if not (len(rows) or len(undated)) or not len(exams):
        return none
    study = pd.to_datetime(exams["study"]).to_numpy(dtype="datetime64[ns]")
    mclass = exams["mclass"].to_numpy(dtype=object)
    free = np.flatnonzero(~np.asarray(claimed, dtype=bool) & ~np.isnat(study))
    left = pd.DataFrame({"report_row": rows, "day": day[rows].astype(np.int64),
                         "kind": pd.Series(kind[rows], dtype=object)})
    right = pd.DataFrame({"exam_row": free, "day": study[free].astype("datetime64[D]").astype(np.int64),
                          "kind": pd.Series(mclass[free], dtype=object)})
    typed = left["kind"].notna().to_numpy()
    pairs = pd.concat([left[typed].merge(right, on=["day", "kind"]),  # a type: the exams of that type that day
                       left[~typed].drop(columns="kind").merge(right.drop(columns="kind"), on="day")],
                      ignore_index=True)
    r, e = pairs["report_row"].to_numpy(dtype=np.int64), pairs["exam_row"].to_numpy(dtype=np.int64)
    at = study[e]
    minutes = (at - at.astype("datetime64[D]").astype(at.dtype)) / np.timedelta64(1, "m")
    gap = np.abs(np.nan_to_num(stime[r]) - minutes)
    keep = np.where(timed[r], gap <= STATED_MINUTE_TOLERANCE, np.isnan(stime[r]) | (gap <= TIME_TOLERANCE_MINUTES))
    r, e = r[keep], e[keep]
    # no stated date: the only exam of the class that no report took in the window before the signature
    found_r, found_e = [r], [e]
    for cls in pd.unique(pd.Series(kind[undated], dtype=object)):  # a few modality classes
        hours = windows.get(cls, windows.get("*"))
        if hours is None or not np.isfinite(hours):
            continue
        mine = undated[kind[undated] == cls]
        theirs = free[mclass[free] == cls]
        theirs = theirs[np.argsort(study[theirs], kind="stable")]
        t = study[theirs]
        lo = np.searchsorted(t, when[mine] - np.timedelta64(int(hours * 3600), "s"), side="left")
        hi = np.searchsorted(t, when[mine], side="right")
        one = (hi - lo) == 1
        found_r.append(mine[one])
        found_e.append(theirs[lo[one]])
    r, e = np.concatenate(found_r), np.concatenate(found_e)
    rr, er = region[r], exams["region"].to_numpy(dtype=object)[e]
    keep = ~(pd.notna(rr) & pd.notna(er) & (rr != er)) & (np.isnat(when[r]) | (study[e] <= when[r]))
    pairs = pd.DataFrame({"report_row": r[keep], "exam_row": e[keep]})
    pairs = _unique_pairs(pairs)
    pairs = pairs.sort_values("report_row", kind="mergesort")
    return pairs["report_row"].to_numpy(dtype=np.int64), pairs["exam_row"].to_numpy(dtype=np.int64)


def _stated_kind_day_region(facts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each open report's exam type and region (its title's, else its text's) and the exam date it states
    (:func:`report_facts`), for :func:`reports_by_named_site` and :func:`reports_by_date_and_type`."""
    tclass, tregion = facts["tclass"].to_numpy(dtype=object), facts["tregion"].to_numpy(dtype=object)
    kind = np.where(pd.notna(tclass), tclass, facts["xclass"].to_numpy(dtype=object))
    region = np.where(pd.notna(tregion), tregion, facts["xregion"].to_numpy(dtype=object))
    return kind, np.asarray(facts["sdate"].to_numpy()).astype("datetime64[D]"), region


def _unique_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """The ``(report_row, exam_row)`` pairs whose report and exam are in no other pair."""
    pairs = pairs[~pairs["report_row"].duplicated(keep=False)]
    return pairs[~pairs["exam_row"].duplicated(keep=False)]


def delay_windows(model: dict | None) -> dict[str, float]:
    """Hours per modality class (``"*"``: pooled) within which most reports are signed: the learned
    delay model's 90th percentile (:func:`~radlink.linkage.delay_model.fit_delay_model`).

    Examples
    --------
    >>> delay_windows({"classes": {"*": {"p90_hours": 30.0}, "CT": {"p90_hours": 4.5}, "MR": {}}})
    {'*': 30.0, 'CT': 4.5}
    """
    classes = (model or {}).get("classes", {})
    return {c: float(v["p90_hours"]) for c, v in classes.items() if v.get("p90_hours") is not None}


def _exam_of_the_stated_date(rp: pd.DataFrame, ex: pd.DataFrame, status: np.ndarray, target_row: np.ndarray,
                             skip: np.ndarray, windows: dict[str, float] | None = None
                             ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`reports_by_date_and_type` within :func:`link_reports_to_exams` (its frames ``rp`` and ``ex``)."""
    rows = np.flatnonzero((status == "unlinked") & ~skip & pd.isna(rp["patient_id"].to_numpy(dtype=object)))
    if not len(rows):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    claimed = np.zeros(len(ex), dtype=bool)
    claimed[target_row[(status == "linked") & (target_row >= 0)]] = True
    open_ = rp.iloc[rows]
    if "stamped" in open_ and open_["stamped"].any():  # an import's stamp opens no window before it
        open_ = open_.assign(when=without_stamps(open_["when"].to_numpy(), open_["stamped"].to_numpy(dtype=bool)))
    r, e = reports_by_date_and_type(open_, ex, claimed, windows)
    return rows[r], e


def _exam_of_the_request_number(rp: pd.DataFrame, ex: pd.DataFrame, reports: pd.DataFrame, status: np.ndarray,
                                target_row: np.ndarray, skip: np.ndarray, written: WrittenNumbers | None = None
                                ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`~radlink.linkage.request_numbers.reports_by_request_number` within :func:`link_reports_to_exams`:
    the unlinked reports (of no patient, or of the exam's patient), the linked ones as anchors;
    ``written``: the numbers the accession-in-text step read already."""
    rows = np.flatnonzero((status == "unlinked") & ~skip)
    if not len(rows) or "text" not in reports:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    linked = (status == "linked") & (target_row >= 0)
    anchor = np.where(linked, target_row, -1)
    claimed = np.zeros(len(ex), dtype=bool)
    claimed[target_row[linked]] = True
    kind, day, region = _stated_kind_day_region(rp)
    facts = pd.DataFrame({"kind": kind, "region": region, "sdate": day, "when": rp["when"].to_numpy()})
    own = reports["accession_number"].to_numpy(dtype=object) if "accession_number" in reports else None
    r, e = reports_by_request_number(reports["text"].to_numpy(dtype=object), rows, anchor, facts, ex, claimed, own,
                                     written=written)
    own = rp["patient_id"].to_numpy(dtype=object)[r]
    keep = pd.isna(own) | (own == ex["patient_id"].to_numpy(dtype=object)[e])
    return r[keep], e[keep]


def _dated_by_letter(when: np.ndarray, letter: np.ndarray | None) -> np.ndarray:
    """A report without signature time is signed by the end of the day its letter bears (when it bears one).

    Examples
    --------
    >>> import numpy as np
    >>> when = np.array(["2021-03-03T14:05", "NaT", "NaT"], dtype="datetime64[ns]")
    >>> letter = np.array(["NaT", "2021-03-04", "NaT"], dtype="datetime64[D]")
    >>> [str(t) for t in _dated_by_letter(when, letter).astype("datetime64[s]")]
    ['2021-03-03T14:05:00', '2021-03-04T23:59:59', 'NaT']
    """
    if letter is None:
        return when
    letter = np.asarray(letter).astype("datetime64[D]")
    fill = np.isnat(when) & ~np.isnat(letter)
    if not fill.any():
        return when
    end_of_day = (letter + np.timedelta64(1, "D") - np.timedelta64(1, "s")).astype(when.dtype)
    return np.where(fill, end_of_day, when)


def _exam_site(institution: pd.Series) -> np.ndarray:
    """The exam's site for the delay model: its DICOM institution, trimmed and upper-cased (null stays null).

    Examples
    --------
    >>> import pandas as pd
    >>> _exam_site(pd.Series([" CHU Nord ", None])).tolist()
    ['CHU NORD', None]
    """
    codes, uniques = pd.factorize(institution.astype(object))
    names = np.array([" ".join(str(u).upper().split()) or None for u in uniques] + [None], dtype=object)
    return names[codes]


def _pairs_in_window(rp: pd.DataFrame, ex: pd.DataFrame, *, before_hours: float,
                     after_hours: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Report and exam rows of the same patient with the report from ``before_hours`` before to
    ``after_hours`` after the exam, and those hours; ordered by report row, then exam row.

    A window join: exams sorted by (patient, time) once, each report finds its window by
    binary search, so the cost is the pairs kept, not every report x exam of a patient
    (a patient followed for years has hundreds of each). The window is found in whole
    seconds, one second wider on each side; the exact bounds are then applied to the
    hours computed as before, so the pairs are exactly those of a join then a filter.
    """
    r_ok = rp["patient_id"].notna().to_numpy() & rp["when"].notna().to_numpy()
    e_ok = ex["patient_id"].notna().to_numpy() & ex["study"].notna().to_numpy()
    r_idx, e_idx = np.flatnonzero(r_ok), np.flatnonzero(e_ok)
    empty = np.zeros(0, dtype=np.int64)
    if not len(r_idx) or not len(e_idx):
        return empty, empty, np.zeros(0)
    codes, _ = pd.factorize(pd.Series(np.concatenate([rp["patient_id"].to_numpy(dtype=object)[r_idx],
                                                      ex["patient_id"].to_numpy(dtype=object)[e_idx]]),
                                      dtype=object))
    r_pat, e_pat = codes[:len(r_idx)].astype(np.int64), codes[len(r_idx):].astype(np.int64)
    r_sec = rp["when"].to_numpy()[r_idx].astype("datetime64[s]").astype(np.int64)
    e_sec = ex["study"].to_numpy()[e_idx].astype("datetime64[s]").astype(np.int64)
    lead, lag = int(np.ceil(before_hours * 3600)) + 1, int(np.ceil(after_hours * 3600)) + 1
    t0 = int(min(r_sec.min(), e_sec.min())) - lag - lead
    span = int(max(r_sec.max(), e_sec.max())) - t0 + lag + lead + 1
    e_key = e_pat * span + (e_sec - t0)
    order = np.argsort(e_key, kind="stable")
    e_key = e_key[order]
    r_key = r_pat * span + (r_sec - t0)
    lo = np.searchsorted(e_key, r_key - lag, side="left")    # exams up to ``after_hours`` before the report
    hi = np.searchsorted(e_key, r_key + lead, side="right")  # ... and up to ``before_hours`` after it
    size = hi - lo
    total = int(size.sum())
    if total == 0:
        return empty, empty, np.zeros(0)
    ri = np.repeat(np.arange(len(r_idx)), size)
    pos = np.repeat(lo - np.cumsum(size) + size, size) + np.arange(total, dtype=np.int64)
    ei = order[pos]
    pair_order = np.lexsort((ei, ri))  # report row, then exam row: the order of a merge
    r_rows, e_rows = r_idx[ri[pair_order]], e_idx[ei[pair_order]]
    delta = pd.Series(rp["when"].to_numpy()[r_rows]) - pd.Series(ex["study"].to_numpy()[e_rows])
    hours = delta.dt.total_seconds().to_numpy() / 3600.0
    keep = (hours >= -before_hours) & (hours <= after_hours)
    return r_rows[keep], e_rows[keep], hours[keep]


def _term(kind: str, codes: np.ndarray) -> np.ndarray:
    """The :data:`WEIGHTS` of ``kind`` for each agreement code (:data:`_AGREEMENT_LEVELS`; NaN for a level it lacks)."""
    table = np.array([WEIGHTS.get(f"{kind}_{level}", np.nan) for level in _AGREEMENT_LEVELS], dtype=np.float64)
    return table[codes]


_MATCH, _COMPATIBLE, _MISMATCH, _UNKNOWN = 0, 1, 2, 3
"""Agreement codes: positions in :data:`_AGREEMENT_LEVELS`."""


def _agreement_code(a: np.ndarray, b: np.ndarray, *, compatible: np.ndarray | None = None) -> np.ndarray:
    """Agreement code of two columns of vocabulary codes (-1 null): match, compatible (regions), mismatch, unknown.

    ``compatible[i, j]`` says whether vocabulary entries ``i`` and ``j`` are compatible regions.

    Examples
    --------
    >>> import numpy as np
    >>> _agreement_code(np.array([0, 0, -1, 1]), np.array([0, 1, 0, 0]),
    ...                 compatible=np.array([[False, True], [True, False]])).tolist()
    [0, 1, 3, 1]
    """
    known = (a >= 0) & (b >= 0)
    same = known & (a == b)
    out = np.where(~known, _UNKNOWN, np.where(same, _MATCH, _MISMATCH)).astype(np.int8)
    if compatible is not None and len(compatible):
        compat = known & ~same & compatible[np.maximum(a, 0), np.maximum(b, 0)]
        out[compat] = _COMPATIBLE
    return out


def _compatible_table(vocabulary: np.ndarray) -> np.ndarray:
    """``table[i, j]``: regions ``vocabulary[i]`` and ``vocabulary[j]`` are listed as compatible.

    Examples
    --------
    >>> import numpy as np
    >>> _compatible_table(np.array(["CHEST", "TAP", "HEAD"], dtype=object)).astype(int).tolist()
    [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
    """
    return np.array([[frozenset((str(a), str(b))) in COMPATIBLE_REGIONS for b in vocabulary] for a in vocabulary],
                    dtype=bool).reshape(len(vocabulary), len(vocabulary))


def _compatible(a: np.ndarray, b: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Whether region ``a[i]`` and ``b[i]`` are listed as compatible, where ``known`` (through :func:`_compatible_table`).

    Examples
    --------
    >>> import numpy as np
    >>> a, b = np.array(["CHEST", "HEAD", None], dtype=object), np.array(["TAP", "TAP", "TAP"], dtype=object)
    >>> _compatible(a, b, np.array([True, True, False])).tolist()
    [True, False, False]
    """
    out = np.zeros(len(a), dtype=bool)
    if not known.any():
        return out
    n = int(known.sum())
    codes, vocabulary = pd.factorize(pd.Series(np.concatenate([a[known], b[known]]), dtype=object))
    table = _compatible_table(np.asarray(vocabulary, dtype=object))
    left, right = codes[:n], codes[n:]
    valid = (left >= 0) & (right >= 0)
    out[np.flatnonzero(known)[valid]] = table[left[valid], right[valid]]
    return out



def report_facts(reports: pd.DataFrame) -> pd.DataFrame:
    """What each report's title and text say about its exam (row order of ``reports``).

    Columns ``tclass``/``tregion`` (modality class and region named by the title),
    ``xclass``/``xregion`` (named by the text's opening, read only when the title names
    no class), ``sdate``/``stime`` (the exam date and time the text states) and
    ``addendum``. Each value depends on its report alone, so facts read once on all the
    reports serve any subset of them (the delay model's sample): pass them as
    ``facts`` to :func:`link_reports_to_exams`.

    Examples
    --------
    >>> import pandas as pd
    >>> reports = pd.DataFrame({"title": ["Scanner thoracique", "Compte rendu"],
    ...     "text": ["...", "Examen du 03/03/2021. Acquisition hélicoïdale."]})
    >>> facts = report_facts(reports)
    >>> [[None if pd.isna(v) else v for v in facts[c]] for c in ("tclass", "xclass")]
    [['CT', None], [None, 'CT']]
    >>> str(facts["sdate"][1].date()), bool(facts["addendum"].any())
    ('2021-03-03', False)
    """
    n = len(reports)
    title_class = modality_class_of_text(reports["title"]).to_numpy(dtype=object)
    generic = pd.isna(title_class)
    facts = report_text_facts(reports, need_type=generic)
    text_region = np.full(n, None, dtype=object)
    if generic.any():
        opening = pd.Series(reports["text"].to_numpy(dtype=object)[generic], dtype=object).str.slice(0, 400)
        text_region[generic] = region_of_text(opening).to_numpy(dtype=object)
    # the letter's own date, read only where the export lost the signature time
    letter = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    if "report_datetime" in reports:
        undated = np.flatnonzero(pd.isna(reports["report_datetime"]).to_numpy())
        if len(undated):
            letter[undated] = letter_dates(pd.Series(reports["text"].to_numpy(dtype=object)[undated], dtype=object))
    return object_frame({
        "tclass": title_class,
        "tregion": region_of_text(reports["title"]).to_numpy(dtype=object),
        "xclass": facts["text_class"].to_numpy(dtype=object),
        "xregion": text_region,
        "sdate": facts["stated_exam_date"].to_numpy(),
        "stime": facts["stated_exam_time"].to_numpy(dtype=np.float64),
        "addendum": facts["addendum"].to_numpy(dtype=bool),
        "head": facts["head_names_patient"].to_numpy(dtype=bool),
        "ldate": letter,
        "cdate": facts["compared_date"].to_numpy(),
    })


@dataclass
class _Start:
    """What :func:`link_reports_to_exams` knows before assigning: the frames, the accession
    links (the per-report arrays being filled), the scored candidate pairs and the delay model."""

    rp: pd.DataFrame
    ex: pd.DataFrame
    says_addendum: np.ndarray
    target: np.ndarray
    target_row: np.ndarray
    status: np.ndarray
    score: np.ndarray
    method: np.ndarray
    hours_after: np.ndarray
    acc_rejected: np.ndarray
    patient_agrees: np.ndarray
    by_accession: np.ndarray
    pairs: dict
    model: dict
    undated: np.ndarray
    by_stay: np.ndarray
    outside: np.ndarray
    in_text: np.ndarray
    written: WrittenNumbers | None = None
    """The numbers the reports' texts write, as far as read (the request-number step reads more)."""
    exams_with_accession: np.ndarray | None = None
    """Per report, how many exams of a consistent patient carry its accession number (1 without)."""


def _row_frames(reports: pd.DataFrame, exams: pd.DataFrame, exam_patient: pd.DataFrame, *,
                settings: LinkageSettings, report_patient: np.ndarray | None, facts: pd.DataFrame,
                fitted: dict | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What :func:`_linking_start` reads of each report and each exam, one row each, from that row alone."""
    n = len(reports)
    ex = object_frame({
        "exam_row": np.arange(len(exams)),
        "exam_id": exams["exam_id"].to_numpy(dtype=object),
        "patient_id": np.where(exam_patient["status"].to_numpy() == "linked",
                               exam_patient["target_id"].to_numpy(dtype=object), None),
        "study": pd.to_datetime(exams["study_datetime"]).to_numpy(),
        "accession": exams["accession_number"].to_numpy(dtype=object),
        "mclass": exam_modality_class(exams["modality"], exams["study_description"]).to_numpy(dtype=object),
        "region": _exam_region(exams["body_part"], exams["study_description"]).to_numpy(dtype=object),
        "site": _exam_site(exams["institution"]) if "institution" in exams else np.full(len(exams), None, object),
    })
    dates_only = settings.midnight_reports_are_dates
    if dates_only is None:
        dates_only = midnight_reports_are_dates(reports["report_datetime"])
    if fitted is not None:
        fitted["midnight_reports_are_dates"] = dates_only
    rp = object_frame({
        "report_row": np.arange(n),
        "report_id": reports["report_id"].to_numpy(dtype=object),
        "patient_id": (reports["patient_id"].to_numpy(dtype=object) if report_patient is None
                       else np.asarray(report_patient, dtype=object)),
        "when": _dated_by_letter(signed_by(reports["report_datetime"], dates_only),
                                 facts["ldate"].to_numpy() if "ldate" in facts else None),
        "accession": reports["accession_number"].to_numpy(dtype=object),
        **{c: facts[c].to_numpy() for c in ("tclass", "tregion", "xclass", "xregion", "sdate", "stime")},
        "cdate": (facts["cdate"].to_numpy() if "cdate" in facts else compared_dates(reports["text"])),
    })
    rp["serial"] = accession_serial(rp["accession"])
    ex["serial"] = accession_serial(ex["accession"])
    return rp, ex


_PLACED_COLUMNS = ("anchor", "wstart", "wend", "stamped")
"""Columns :func:`_linking_start` adds to the reports' row frame: where each report's candidates are looked for."""


def frames_of_subset(rp: pd.DataFrame, ex: pd.DataFrame, report_take: np.ndarray,
                     exam_take: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The row frames (:func:`_row_frames`) of the reports at ``report_take`` and the exams at
    ``exam_take``, in that order and renumbered: each column is read from its own row, so
    they are the frames of those rows read alone (less the placing columns, which the
    subset's run computes).

    Examples
    --------
    >>> import pandas as pd
    >>> rp = pd.DataFrame({"report_row": [0, 1], "report_id": ["R1", "R2"], "anchor": [None, None]})
    >>> ex = pd.DataFrame({"exam_row": [0, 1, 2], "exam_id": ["E1", "E2", "E3"]})
    >>> r, e = frames_of_subset(rp, ex, np.array([1]), np.array([2, 0]))
    >>> r.values.tolist(), e.values.tolist()
    ([[0, 'R2']], [[0, 'E3'], [1, 'E1']])
    """
    rp = rp.drop(columns=[c for c in _PLACED_COLUMNS if c in rp]).take(report_take).reset_index(drop=True)
    ex = ex.take(exam_take).reset_index(drop=True)
    rp["report_row"] = np.arange(len(rp))
    ex["exam_row"] = np.arange(len(ex))
    return rp, ex


def _accession_written_in_text(reports: pd.DataFrame, rp: pd.DataFrame, ex: pd.DataFrame, todo: np.ndarray,
                               skew: float, written: WrittenNumbers | None = None) -> pd.DataFrame:
    """The reports of ``todo`` whose text writes the accession number of one exam of their own patient.

    A report exported as a letter (a PDF's text) writes its exam's number in its head while
    its ``accession_number`` column is empty (:func:`~radlink.linkage.report_text.written_numbers`).
    Decisive as the column is, within the report's own patient only (both known, so groups of
    connected patients see every such pair): the number names exactly one exam of the patient,
    done before the report (beyond the clock skew ``skew``). Returns ``report_row``,
    ``exam_row``, ``exam_id`` and ``hours`` (report time less study time), one row per report.
    ``written``: where the numbers are read (and kept for the request-number step).
    """
    columns = ["report_row", "exam_row", "exam_id", "hours"]
    rows = np.flatnonzero(todo & pd.notna(rp["patient_id"]).to_numpy() & pd.isna(rp["accession"]).to_numpy())
    known = ex[ex["accession"].notna() & ex["patient_id"].notna()]
    if not len(rows) or not len(known) or "text" not in reports:
        return pd.DataFrame({c: [] for c in columns})
    written = written if written is not None else WrittenNumbers(reports["text"].to_numpy(dtype=object))
    pos, number = written.of(rows)
    if not len(pos):
        return pd.DataFrame({c: [] for c in columns})
    said = pd.DataFrame({"report_row": rows[pos], "number": number,
                         "patient_id": rp["patient_id"].to_numpy(dtype=object)[rows[pos]],
                         "when": rp["when"].to_numpy()[rows[pos]]})
    exams = pd.DataFrame({"exam_row": known["exam_row"].to_numpy(), "exam_id": known["exam_id"].to_numpy(dtype=object),
                          "number": pd.Series(known["accession"].to_numpy(dtype=object), dtype=object).str.upper()
                          .str.strip().to_numpy(dtype=object),
                          "patient_id": known["patient_id"].to_numpy(dtype=object), "study": known["study"].to_numpy()})
    hit = said.merge(exams, on=["number", "patient_id"])
    hit = hit.assign(hours=(hit["when"] - hit["study"]).dt.total_seconds().to_numpy() / 3600.0)
    hit = hit[~(hit["hours"].to_numpy() < -skew)]
    hit = hit[hit.groupby("report_row")["exam_row"].transform("nunique").to_numpy() == 1]
    return hit.drop_duplicates("report_row").sort_values("report_row", kind="mergesort")[columns]


def _linking_start(reports: pd.DataFrame, exams: pd.DataFrame, exam_patient: pd.DataFrame, *,
                   settings: LinkageSettings, report_patient: np.ndarray | None, facts: pd.DataFrame | None,
                   fitted: dict | None,
                   report_stay_window: tuple[np.ndarray, np.ndarray] | None = None,
                   pairs: dict | None = None, frames: tuple[pd.DataFrame, pd.DataFrame] | None = None,
                   delay_fit: Callable[[dict, np.ndarray, tuple, WrittenNumbers | None], dict] | None = None,
                   written: WrittenNumbers | None = None) -> _Start:
    """Steps 1 and 2 of :func:`link_reports_to_exams`: accession numbers, candidates, delay model.

    ``pairs``: the candidate pairs (:func:`_score_pairs`' arrays) when already scored;
    ``frames``: the reports' and exams' row frames (:func:`_row_frames`) when already read.
    ``delay_fit``: without a model in the settings, ``delay_fit(pairs, by_stay, (rp, ex), numbers)``
    gives the delay model instead of a fit on every pair
    (:func:`radlink.linkage.delay_sample.sampled_delay_fit`; ``numbers``: the texts' numbers read
    so far, a :class:`~radlink.linkage.report_text.WrittenNumbers`, or None).
    ``written``: the numbers of the reports' texts as a run on more reports read them already
    (:meth:`~radlink.linkage.report_text.WrittenNumbers.subset`): those texts are not read again.
    """
    n = len(reports)
    target = np.full(n, None, dtype=object)
    target_row = np.full(n, -1, dtype=np.int64)
    status = np.full(n, "unlinked", dtype=object)
    score = np.zeros(n, dtype=np.float64)
    method = np.full(n, "patient_time_modality", dtype=object)
    hours_after = np.full(n, np.nan)
    skew = settings.report_before_exam_hours

    if facts is None:
        facts = report_facts(reports)
    if frames is None:
        rp, ex = _row_frames(reports, exams, exam_patient, settings=settings, report_patient=report_patient,
                             facts=facts, fitted=fitted)
    else:
        rp, ex = frames
    # a report dated on an import's stamp day was not signed then: its text's date places it, else
    # its stamp bounds its exam from above with no delay weight (the type, region and free exams decide)
    stamp = settings.report_stamp_days
    if stamp is None:
        stamp = stamp_days(reports["report_datetime"], exams["study_datetime"])
    if fitted is not None:
        fitted["report_stamp_days"] = list(stamp)
    when, sdate = rp["when"].to_numpy(), rp["sdate"].to_numpy()
    stamped, undated_text = on_stamp_days(when, stamp), np.isnat(sdate)
    rp["anchor"], undated = _anchor_times(without_stamps(when, stamped & ~undated_text), sdate)
    undated = undated | stamped
    rp["stamped"] = stamped & undated_text  # no stated date: every earlier exam is a candidate
    rp["wstart"], rp["wend"] = _stay_windows(when, sdate, report_stay_window)
    by_stay = ~np.isnat(rp["wend"].to_numpy())
    if by_stay.any():
        rp.loc[by_stay, "anchor"] = rp.loc[by_stay, "wend"]
        undated = undated | by_stay
    says_addendum = facts["addendum"].to_numpy(dtype=bool)
    outside = _reviews_outside_images(reports["title"])

    # 1. accession numbers with a consistent patient: decisive at any delay.
    acc = rp[rp["accession"].notna()].merge(ex[ex["accession"].notna()], on="accession", suffixes=("", "_exam"))
    acc_rejected = np.zeros(n, dtype=bool)
    patient_agrees = np.zeros(n, dtype=bool)
    exams_with_accession = np.ones(n, dtype=np.int64)

    def by_accession(rows, exam_ids, exam_rows, hours) -> None:  # decisive: linked at any delay
        target[rows] = exam_ids
        target_row[rows] = exam_rows
        status[rows] = "linked"
        score[rows] = 0.999
        method[rows] = "accession_number"
        hours_after[rows] = hours

    if len(acc):
        hours = (acc["when"] - acc["study"]).dt.total_seconds().to_numpy() / 3600.0
        same_patient = (acc["patient_id"].isna() | acc["patient_id_exam"].isna()
                        | (acc["patient_id"] == acc["patient_id_exam"])).to_numpy()
        ok = same_patient & (np.isnan(hours) | (hours >= -skew))
        good = acc[ok].assign(hours=hours[ok])
        good = good.take(_accession_preference(good)).drop_duplicates("report_row")
        rows = good["report_row"].to_numpy()
        by_accession(rows, good["exam_id"].to_numpy(dtype=object), good["exam_row"].to_numpy(),
                     good["hours"].to_numpy())
        shared = acc[ok].groupby("report_row", sort=False).size()
        exams_with_accession[shared.index.to_numpy()] = shared.to_numpy()
        patient_agrees[rows] = (good["patient_id"].notna() & (good["patient_id"] == good["patient_id_exam"])).to_numpy()
        rejected = acc[~ok]["report_row"].unique()
        acc_rejected[rejected[status[rejected] != "linked"]] = True
    numbers = written if written is not None or "text" not in reports else WrittenNumbers(
        reports["text"].to_numpy(dtype=object))
    written = _accession_written_in_text(reports, rp, ex, (status != "linked") & ~acc_rejected, skew, numbers)
    if len(written):
        rows = written["report_row"].to_numpy()
        by_accession(rows, written["exam_id"].to_numpy(dtype=object), written["exam_row"].to_numpy(),
                     written["hours"].to_numpy())
        patient_agrees[rows] = True
    in_text = np.zeros(n, dtype=bool)
    in_text[written["report_row"].to_numpy(dtype=np.int64)] = True
    by_accession = status == "linked"

    # 2. candidates: the patient's exams up to the horizon before the report (and a little after),
    # scored a chunk of patients at a time (a report's candidates are its patient's exams); only
    # compact per-pair arrays are kept for the delay model, fitted once on all pairs.
    if pairs is None:
        pairs = _score_pairs(rp, ex, reports, exams, settings)
    model = settings.delay_model
    if model is None and delay_fit is not None:
        model = delay_fit(pairs, by_stay, (rp, ex), numbers)
    if model is None:
        own = by_accession[pairs["report_row"]] & (target_row[pairs["report_row"]] == pairs["exam_row"])
        own &= pairs["date"] == _MATCH
        timing = fit_stated_time_tolerance(
            _minutes_apart(rp["stime"].to_numpy(dtype=np.float64)[pairs["report_row"][own]],
                           ex["study"].to_numpy()[pairs["exam_row"][own]]), settings.report_delay_min_pairs)
    else:
        timing = {k: model[k] for k in ("stated_time_tolerance_minutes", "time_mismatch_weight") if k in model}
    if timing:
        _retimed(pairs, rp, ex, timing)
    kinds = exam_kinds(ex["mclass"].to_numpy(dtype=object), ex["region"].to_numpy(dtype=object))
    words = _words_of(reports) if len(pairs["report_row"]) else None
    generic = pd.isna(rp["tclass"].to_numpy(dtype=object))
    c_report, c_exam = pairs["report_row"], pairs["exam_row"]
    labelled = by_accession[c_report] & (target_row[c_report] == c_exam)
    if model is not None:
        kind_model = model
    elif words is not None:
        kind_model = fit_text_kinds(words, c_report, c_exam, kinds, labelled)
    else:
        kind_model = {"text_kind_reports": 0}
    pairs["kind"] = _kind_term(kind_model, words, pairs, kinds, generic)
    pairs["other"] = pairs["other"] + pairs["kind"]
    if model is None:
        fit = slice(None) if not undated.any() else ~undated[c_report]  # undated reports have no delay
        model = fit_delay_model(
            pairs["level"][fit], pairs["hours"][fit], ex["mclass"].to_numpy(dtype=object)[c_exam][fit],
            c_report[fit], labelled=labelled[fit], other_logit=pairs["other"][fit],
            min_pairs=settings.report_delay_min_pairs, site=ex["site"].to_numpy(dtype=object)[c_exam][fit])
        model.update(fit_label_weight(c_report, c_exam, labelled, reports, exams, settings.report_delay_min_pairs,
                                      ex["mclass"].to_numpy(dtype=object)))
        model.update(fit_text_modality_weight(c_report, c_exam, labelled, pairs["tmod"],
                                              settings.report_delay_min_pairs))
        model.update(kind_model)
        model.update(fit_tie_margin(c_report, c_exam, labelled, _first_reports(rp, by_accession & ~says_addendum,
                                                                          target_row), pairs["other"],
                                    pairs["other"] + delay_weights(model, ex["mclass"].to_numpy(dtype=object)[c_exam],
                                                                   pairs["level"].astype(np.int64),
                                                                   ex["site"].to_numpy(dtype=object)[c_exam]),
                                    pairs["level"], settings.report_delay_min_pairs))
        model.update(fit_serial_blind_formats(rp["accession"].to_numpy(dtype=object), c_report, pairs["serial"],
                                              settings.report_delay_min_pairs))
        model.update(fit_outside_titles(reports["title"], rp["accession"].to_numpy(dtype=object), by_accession))
        model.update(timing)
    if model.get("titles_with_exams"):  # letters about exams made here, whatever their title's words
        outside = _reviews_outside_images(reports["title"], model)
    blind = model.get("accession_formats_without_serial")
    if blind:  # another numbering (a teleradiology or RIS order number): its serials say nothing
        other_numbering = np.isin(accession_formats(rp["accession"].to_numpy(dtype=object)), np.asarray(blind, object))
        pairs["serial"] = np.where(other_numbering[c_report], np.int8(_UNKNOWN), pairs["serial"]).astype(np.int8)
    if fitted is not None:
        fitted["delay_model"] = model
    return _Start(rp=rp, ex=ex, says_addendum=says_addendum, target=target, target_row=target_row, status=status,
                  score=score, method=method, hours_after=hours_after, acc_rejected=acc_rejected,
                  patient_agrees=patient_agrees, by_accession=by_accession, pairs=pairs, model=model, written=numbers,
                  undated=undated, by_stay=by_stay, outside=outside, in_text=in_text,
                  exams_with_accession=exams_with_accession)


def _words_of(reports: pd.DataFrame):
    """:func:`~radlink.linkage.text_kind.report_words` of the reports at given rows, read when asked."""
    texts = reports[[c for c in ("title", "text") if c in reports]]
    return lambda rows: report_words(texts.iloc[np.asarray(rows, dtype=np.int64)])


def _kind_term(model: dict, words, pairs: dict, kinds: np.ndarray, need: np.ndarray) -> np.ndarray:
    """The learned text-kind term of every candidate pair (:mod:`radlink.linkage.text_kind`), read
    for the reports ``need`` (those whose title names no modality class)."""
    if words is None:
        return np.zeros(len(pairs["report_row"]))
    return text_kind_term(model, words, pairs["report_row"], pairs["exam_row"], kinds, need=need)


def link_reports_to_exams(
    reports: pd.DataFrame,
    exams: pd.DataFrame,
    exam_patient: pd.DataFrame,
    *,
    settings: LinkageSettings | None = None,
    report_patient: np.ndarray | None = None,
    fitted: dict | None = None,
    report_stay_window: tuple[np.ndarray, np.ndarray] | None = None,
    facts: pd.DataFrame | None = None,
    by_site: bool = True,
    delay_fit: Callable[[dict, np.ndarray, tuple, WrittenNumbers | None], dict] | None = None,
) -> pd.DataFrame:
    """One ``links`` row per report with ``target_type == "exam"``.

    Parameters
    ----------
    reports, exams : pandas.DataFrame
        Canonical tables. ``reports`` may carry the optional columns
        ``stated_exam_date`` and ``stated_modality_class`` (facts a caller read with
        NLP); otherwise the text's opening is read here.
    exam_patient : pandas.DataFrame
        Exam → patient links in the row order of ``exams``.
    settings : LinkageSettings, optional
    report_patient : ndarray, optional
        The patient of each report when known better than its ``patient_id`` column
        (e.g. from the stay it carries); defaults to ``reports["patient_id"]``.
    report_stay_window : (ndarray, ndarray), optional
        Start and end of the stay each report carries (NaT without): a report with
        neither a signature time nor a stated exam date is placed within its stay.
    fitted : dict, optional
        Filled with ``"delay_model"``: the delay model used (JSON-ready dict, see
        :func:`~radlink.linkage.delay_model.fit_delay_model`).
    facts : pandas.DataFrame, optional
        :func:`report_facts` of ``reports`` (row for row), when already read.
    by_site : bool, default True
        Run the ``site_date_modality`` step (:func:`reports_by_named_site`). It reads
        every report without patient against every exam of a site and date: the Spark
        engine, which links groups of connected patients, runs it once on the driver instead.
    delay_fit : callable, optional
        When the settings carry no delay model: ``delay_fit(pairs, by_stay, (rp, ex), numbers)``
        fits it from this run's scored candidate pairs, the mask of reports placed by
        their stay, the reports' and exams' row frames and the numbers their texts write
        as read so far (:class:`~radlink.linkage.report_text.WrittenNumbers`), instead of a fit on all of
        them (the fit on a sample, :func:`radlink.linkage.delay_sample.sampled_delay_fit`,
        without a second candidate search).

    Notes
    -----
    A report's candidates are its patient's exams, so the candidates are built, scored
    and assigned for whole patients, about :attr:`LinkageSettings.report_exam_chunk_exams`
    exams at a time; only compact arrays per pair (rows, hours, log-odds, levels) are
    kept across chunks, for the delay model, which is fitted once on all the pairs.
    The links do not depend on the chunk size.

    Returns
    -------
    pandas.DataFrame
        The ``links`` columns.

    Examples
    --------
    >>> import pandas as pd
    >>> from radlink.tables import validate_table
    >>> exams = validate_table(pd.DataFrame({"exam_id": ["E1", "E2"], "modality": ["PT\\\\CT", "CT"],
    ...     "study_datetime": ["2020-01-01 09:00", "2020-01-01 10:00"]}), "exams")
    >>> ep = pd.DataFrame({"target_id": ["P1", "P1"], "status": ["linked", "linked"]})
    >>> reports = validate_table(pd.DataFrame({"report_id": ["R1", "R2"], "patient_id": ["P1", "P1"],
    ...     "report_datetime": ["2020-01-01 12:00", "2020-01-09 08:00"],
    ...     "title": ["Scanner thoracique", "TEP-TDM"], "text": ["...", "..."]}), "reports")
    >>> link_reports_to_exams(reports, exams, ep)[["source_id", "target_id", "method"]].values.tolist()
    [['R1', 'E2', 'patient_time_modality'], ['R2', 'E1', 'patient_time_modality']]
    """
    settings = settings or LinkageSettings()
    n = len(reports)
    skew = settings.report_before_exam_hours
    start = _linking_start(reports, exams, exam_patient, settings=settings, report_patient=report_patient,
                           facts=facts, fitted=fitted, report_stay_window=report_stay_window, delay_fit=delay_fit)
    rp, ex, says_addendum, pairs, model = start.rp, start.ex, start.says_addendum, start.pairs, start.model
    target, target_row, status, score = start.target, start.target_row, start.status, start.score
    method, hours_after, acc_rejected = start.method, start.hours_after, start.acc_rejected
    patient_agrees, by_accession = start.patient_agrees, start.by_accession
    undated, by_stay, outside, in_text = start.undated, start.by_stay, start.outside, start.in_text
    written, exams_with_accession = start.written, start.exams_with_accession
    del start
    c_report, c_exam, c_hours, c_level = pairs["report_row"], pairs["exam_row"], pairs["hours"], pairs["level"]
    margin = float(model.get("tie_delay_margin", TIE_DELAY_MARGIN))
    threshold = np.log(settings.report_exam_threshold / (1.0 - settings.report_exam_threshold))
    claimed = np.zeros(len(exams), dtype=bool)
    claimed[target_row[by_accession]] = True
    ambiguous_rows = np.zeros(n, dtype=bool)
    candidates_of: dict[int, tuple] = {}
    n_cand = np.bincount(c_report, minlength=n)
    best_logit = np.full(n, np.nan)
    scored_parts: list[pd.DataFrame] = []
    second_parts: list[pd.DataFrame] = []
    split_parts: list[pd.DataFrame] = []
    tied_parts: list[pd.DataFrame] = []
    late_parts: list[pd.DataFrame] = []

    def settle(best: pd.DataFrame, tied: pd.DataFrame) -> np.ndarray:
        """Link each report of ``best`` to its exam, mark ``tied`` ambiguous; the rows linked."""
        rows = best["report_row"].to_numpy()
        target[rows] = best["exam_id"].to_numpy(dtype=object)
        target_row[rows] = best["exam_row"].to_numpy()
        status[rows] = "linked"
        ambiguous_rows[tied["report_row"].to_numpy()] = True
        return rows

    for sel in _pair_chunks(pairs["chunk"]):
        cand = _candidate_frame(pairs, sel, rp, ex, model, says_addendum, skew, undated, by_stay, outside)
        label = _label_term(cand, reports, exams, float(model.get("label_weight", 0.0)))
        cand["other"] = cand["other"].to_numpy() + label
        cand["logit"] = cand["logit"].to_numpy() + label
        cand["label"] = label > 0
        c_rep = cand["report_row"].to_numpy()
        np.fmax.at(best_logit, c_rep, cand["logit"].to_numpy())

        # 3. one-to-one first: each exam its best report (not the accession-claimed exams, not addenda).
        first = cand[~by_accession[c_rep] & ~says_addendum[c_rep] & ~claimed[cand["exam_row"].to_numpy()]
                     & (cand["logit"].to_numpy() >= threshold)]
        chosen, tied = _assign(first, margin=margin)
        rows = settle(chosen, tied)
        claimed[target_row[rows]] = True

        # 4. the reports left over may describe an exam that already has a report (addenda, corrections).
        left = (status != "linked") & ~ambiguous_rows
        second = cand[left[c_rep]].copy()
        was_claimed = claimed[second["exam_row"].to_numpy()]
        bonus = np.where(was_claimed, np.where(says_addendum[second["report_row"].to_numpy()],
                                               WEIGHTS["addendum_of_reported_exam"], WEIGHTS["second_report"]), 0.0)
        second["other"] = second["other"].to_numpy() + bonus
        second["logit"] = second["logit"].to_numpy() + bonus
        second = second[second["logit"].to_numpy() >= threshold]
        best2, tied2 = _best_each(second, margin)
        settle(best2, tied2)
        # 5. a report of a request split into several studies describes the first of them
        claimed[target_row[best2["report_row"].to_numpy()]] = True
        split = _first_study_of_split(cand, chosen["report_row"].to_numpy(),
                                      np.concatenate([tied["report_row"].to_numpy(), tied2["report_row"].to_numpy()]),
                                      target_row, claimed, ex, threshold, reports, exams)
        if len(split):
            moved = np.zeros(n, dtype=bool)
            moved[split["report_row"].to_numpy()] = True
            chosen = chosen[~moved[chosen["report_row"].to_numpy()]]
            tied = tied[~moved[tied["report_row"].to_numpy()]]
            tied2 = tied2[~moved[tied2["report_row"].to_numpy()]]
            ambiguous_rows[split["report_row"].to_numpy()] = False
            claimed[target_row[split["report_row"].to_numpy()]] = False
            settle(split, _no_ties())
            claimed[split["exam_row"].to_numpy()] = True
            split_parts.append(split)
        scored_parts.append(chosen)
        second_parts.append(best2)
        tied_parts.extend((tied, tied2))
        late_parts.append(_best_late_candidates(cand, claimed))
        del cand, first, second
    del pairs, c_report, c_exam, c_hours, c_level  # the pairs' arrays are not read again
    for tied in tied_parts:
        for r, ids in zip(tied["report_row"].to_numpy(), tied["candidates"].to_numpy(), strict=True):
            candidates_of[int(r)] = ids
    status[ambiguous_rows] = "ambiguous"
    exam_ids = ex["exam_id"].to_numpy(dtype=object)
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))

    def place(found: tuple[np.ndarray, np.ndarray], how: str) -> tuple[np.ndarray, np.ndarray]:
        """Link the report rows ``found[0]`` to the exam rows ``found[1]`` by ``how``
        (each step sees the placements of the steps before it)."""
        rows, exam_rows = found
        target[rows] = exam_ids[exam_rows]
        target_row[rows] = exam_rows
        status[rows] = "linked"
        score[rows] = 0.9
        method[rows] = how
        return rows, exam_rows

    lone_rows, lone_exams = place(
        _lone_exam_of_its_kind(rp, ex, status, target_row, says_addendum | outside), "only_exam_of_its_kind")
    late_rows, late_exams = place(
        _late_report_of_its_exam(late_parts, rp, status, target_row, says_addendum | outside), "late_report")
    site_rows, site_exams = place(
        _exam_of_the_named_site(rp, ex, reports, exams, status, target_row, says_addendum | outside)
        if by_site else none, "site_date_modality")
    date_rows, date_exams = place(
        _exam_of_the_stated_date(rp, ex, status, target_row, says_addendum | outside, delay_windows(model))
        if by_site else none, "date_modality")
    request_rows, request_exams = place(
        _exam_of_the_request_number(rp, ex, reports, status, target_row, outside, written)
        if by_site else none, "request_number")

    # Evidence.
    evidence: list[Evidence] = []
    evidence.append(Evidence(lone_rows, {
        "decision": "only_exam_of_its_kind",
        "reason": "the report bears no date; its patient has one exam of its type and region without a report",
    }))
    evidence.append(Evidence(late_rows, {
        "decision": "late_report",
        "reason": LATE_REPORT_REASON,
        "hours_after_exam": np.round(((rp["when"].to_numpy()[late_rows] - ex["study"].to_numpy()[late_exams])
                                      / np.timedelta64(1, "h")).astype(np.float64), 1),
    }))
    evidence.append(Evidence(site_rows, {
        "decision": "site_date_modality",
        "reason": "the report names no patient; its head names the exam's site, and that site has one exam "
                  "of the type on the date it states, without a report",
    }))
    evidence.append(Evidence(date_rows, {
        "decision": "date_modality",
        "reason": DATE_MODALITY_REASON,
    }))
    evidence.append(Evidence(request_rows, {
        "decision": "request_number",
        "reason": REQUEST_NUMBER_REASON,
    }))
    addendum_of = _addendum_of(rp, status, target_row)
    for acc_rows, then in ((np.flatnonzero(by_accession & ~in_text), {}),
                           (np.flatnonzero(in_text), {"accession_written_in_text": True})):
        block = Evidence(acc_rows, {
            "decision": "accession_number",
            "patient_agrees": patient_agrees[acc_rows],
            "says_addendum": says_addendum[acc_rows],
            "addendum_of": addendum_of[acc_rows],
            "hours_after_exam": np.round(hours_after[acc_rows], 1),
        }, then)
        evidence.extend(_with_shared_accession(block, exams_with_accession))
    first_study = np.zeros(n, dtype=bool)
    for part in split_parts:
        first_study[part["report_row"].to_numpy()] = True
    scored = [p for p in scored_parts + second_parts + split_parts if len(p)]
    if scored:
        scored = pd.concat(scored, ignore_index=True)
        rows = scored["report_row"].to_numpy()
        logit = scored["logit"].to_numpy()
        score[rows] = 1.0 / (1.0 + np.exp(-logit))
        hours_after[rows] = scored["hours"].to_numpy()
        delay_names = np.asarray(DELAY_LEVELS, dtype=object)[scored["level"].to_numpy()]
        delay_names[np.isnan(scored["hours"].to_numpy())] = "report_undated"
        block = Evidence(rows, {
            "decision": "patient_time_modality",
            "title_modality": scored["mod"].to_numpy(dtype=object),
            "text_modality": scored["tmod"].to_numpy(dtype=object),
            "title_region": scored["reg"].to_numpy(dtype=object),
            "tracer": scored["tracer"].to_numpy(dtype=object),
            "names_exam_label": scored["label"].to_numpy(dtype=bool),
            "stated_exam_date": scored["date"].to_numpy(dtype=object),
            "stated_exam_time": scored["time"].to_numpy(dtype=object),
            "delay_level": delay_names,
            "candidates": n_cand[rows].astype(np.int64),
            "says_addendum": says_addendum[rows],
            "addendum_of": addendum_of[rows],
            "accession_rejected": acc_rejected[rows],
            "hours_after_exam": np.round(scored["hours"].to_numpy(), 1),
            "delay_weight": np.round(scored["dweight"].to_numpy(), 2),
            "text_kind_weight": np.round(scored["kind"].to_numpy(dtype=np.float64), 2),
            "compares_with_this_exam": scored["compared"].to_numpy(dtype=bool),
        })
        # an accession in another site format: its serial is said (only where there is one to compare)
        serial = scored["serial"].to_numpy(dtype=object)
        for part in _with_serial(block, serial):
            evidence.extend(_with_first_study(part, first_study))
    amb = np.flatnonzero(ambiguous_rows)
    if len(amb):
        score[amb] = 1.0 / (1.0 + np.exp(-best_logit[amb]))
        cands = np.empty(len(amb), dtype=object)
        cands[:] = [candidates_of[int(r)] for r in amb]
        evidence.append(Evidence(amb, {
            "decision": "ambiguous",
            "reason": "exams of the same type on the same day, nothing in the report tells them apart",
            "candidates": cands,
            "accession_rejected": acc_rejected[amb],
        }))
    un = np.flatnonzero(status == "unlinked")
    reason = np.where(pd.isna(rp["patient_id"]).to_numpy(), "report has no patient",
                      np.where(pd.isna(rp["when"]).to_numpy(), "report has no date",
                               "no exam of the patient scores above the threshold"))
    evidence.append(Evidence(un, {
        "decision": "unlinked",
        "reason": reason[un].astype(object),
        "accession_rejected": acc_rejected[un],
    }))
    return object_frame({
        "source_type": "report",
        "source_id": rp["report_id"].to_numpy(dtype=object),
        "target_type": "exam",
        "target_id": np.where(status == "linked", target, None),
        "status": status,
        "score": score,
        "method": method,
        "evidence": evidence_column(n, evidence),
    })


_AGREEMENT_LEVELS = np.array(["match", "compatible", "mismatch", "unknown"], dtype=object)
"""The levels of an agreement column, stored per pair as their index (one byte)."""


def _patient_chunks(rp: pd.DataFrame, ex: pd.DataFrame, exams_per_chunk: int) -> tuple[np.ndarray, np.ndarray]:
    """A chunk number per report row and per exam row: whole patients, about ``exams_per_chunk`` exams each.

    Reports and exams without a patient get chunk -1 (they have no candidate pairs).

    Examples
    --------
    >>> import pandas as pd
    >>> rp = pd.DataFrame({"patient_id": ["A", "B", None]})
    >>> ex = pd.DataFrame({"patient_id": ["B", "A", "B", "C", "C"]})
    >>> [c.tolist() for c in _patient_chunks(rp, ex, 2)]
    [[0, 0, -1], [0, 0, 0, 1, 1]]
    """
    r_pid = rp["patient_id"].to_numpy(dtype=object)
    e_pid = ex["patient_id"].to_numpy(dtype=object)
    codes, uniques = pd.factorize(pd.Series(np.concatenate([r_pid, e_pid]), dtype=object))
    r_code, e_code = codes[:len(r_pid)], codes[len(r_pid):]
    per_patient = np.bincount(e_code[e_code >= 0], minlength=len(uniques))
    chunk_of = (np.cumsum(per_patient) - per_patient) // max(int(exams_per_chunk), 1)
    chunk_of = np.append(chunk_of, -1)  # code -1 (no patient) -> chunk -1
    return chunk_of[r_code].astype(np.int64), chunk_of[e_code].astype(np.int64)


def _score_pairs(rp: pd.DataFrame, ex: pd.DataFrame, reports: pd.DataFrame, exams: pd.DataFrame,
                 settings: LinkageSettings) -> dict[str, np.ndarray]:
    """Every candidate pair's compact arrays, ordered by report row then exam row.

    The pairs are found and scored (everything but the delay weight) one chunk of
    patients at a time; kept per pair: ``report_row``, ``exam_row``, ``hours``,
    ``other`` (log-odds without time), ``level`` (delay level), the agreement codes
    ``mod``, ``tmod``, ``reg``, ``date``, ``tracer``, ``time``, ``serial``, ``xreg``, ``compared`` (the report compares with this exam, :func:`_compares_with`) and the ``chunk``.
    """
    skew = settings.report_before_exam_hours
    r_chunk, e_chunk = _patient_chunks(rp, ex, settings.report_exam_chunk_exams)
    r_cols = {c: rp[c].to_numpy() for c in ("patient_id", "anchor", "sdate", "stime", "serial", "wstart", "wend",
                                            "cdate")}
    e_cols = {c: ex[c].to_numpy() for c in ("patient_id", "study", "serial")}
    # Classes and regions as small integer codes (-1 null) over one vocabulary per kind:
    # the per-pair agreements then compare integers, not strings.
    for kind, r_names, e_name in (("class", ("tclass", "xclass"), "mclass"), ("region", ("tregion", "xregion"), "region")):
        values = [rp[c].to_numpy(dtype=object) for c in r_names] + [ex[e_name].to_numpy(dtype=object)]
        codes, vocabulary = pd.factorize(pd.Series(np.concatenate(values), dtype=object))
        codes = codes.astype(np.int16)
        bounds = np.cumsum([0] + [len(v) for v in values])
        for name, a, z in zip((*r_names, e_name), bounds[:-1], bounds[1:], strict=True):
            (e_cols if name == e_name else r_cols)[name] = codes[a:z]
        vocabulary = np.asarray(vocabulary, dtype=object)
        if kind == "class":
            e_cols["tracer_class"] = np.isin(vocabulary, ["PET", "NM"])  # classes whose tracer is read
        else:
            e_cols["compatible"] = _compatible_table(vocabulary)
    n_chunks = int(max(r_chunk.max(initial=-1), e_chunk.max(initial=-1))) + 1
    stamped = (rp["stamped"].to_numpy(dtype=bool) if "stamped" in rp else np.zeros(len(rp), dtype=bool))
    r_order, e_order = np.argsort(r_chunk, kind="stable"), np.argsort(e_chunk, kind="stable")
    r_bounds = np.searchsorted(r_chunk[r_order], np.arange(n_chunks + 1))
    e_bounds = np.searchsorted(e_chunk[e_order], np.arange(n_chunks + 1))
    names = ("report_row", "exam_row", "hours", "other", "level", "mod", "tmod", "reg", "date", "tracer", "time",
             "serial", "xreg", "compared")
    parts: dict[str, list[np.ndarray]] = {k: [] for k in names}
    for k in range(n_chunks):
        r_sel = r_order[r_bounds[k]:r_bounds[k + 1]]
        e_sel = e_order[e_bounds[k]:e_bounds[k + 1]]
        if not len(r_sel) or not len(e_sel):
            continue
        exams_of = pd.DataFrame({"patient_id": pd.Series(e_cols["patient_id"][e_sel], dtype=object),
                                 "study": e_cols["study"][e_sel]})
        found_r, found_e, found_h = [], [], []
        # a report stamped by an import bounds its exam from above only: every earlier exam of its patient
        for sel, back in ((r_sel[~stamped[r_sel]], settings.report_horizon_days * 24.0),
                          (r_sel[stamped[r_sel]], STAMP_LOOKBACK_DAYS * 24.0)):
            if not len(sel):
                continue
            r_rows, e_rows, hours = _pairs_in_window(
                pd.DataFrame({"patient_id": pd.Series(r_cols["patient_id"][sel], dtype=object),
                              "when": r_cols["anchor"][sel]}), exams_of, before_hours=72.0, after_hours=back)
            found_r.append(sel[r_rows])
            found_e.append(e_sel[e_rows])
            found_h.append(hours)
        if not found_r:
            continue
        r_rows, e_rows, hours = np.concatenate(found_r), np.concatenate(found_e), np.concatenate(found_h)
        for key, values in zip(names, _pair_terms(r_rows, e_rows, hours, r_cols, e_cols, reports, exams, skew),
                               strict=True):
            parts[key].append(values)
    dtypes = (np.int64, np.int64, np.float64, np.float64, np.int8) + (np.int8,) * 8 + (np.bool_,)
    out = {k: (np.concatenate(v) if v else np.zeros(0, dtype=t)).astype(t, copy=False)
           for (k, v), t in zip(parts.items(), dtypes, strict=True)}
    order = np.lexsort((out["exam_row"], out["report_row"]))  # the order of one join over all patients
    out = {k: v[order] for k, v in out.items()}
    out["chunk"] = r_chunk[out["report_row"]]
    return out


def pairs_of_subset(pairs: dict, report_rank: np.ndarray, exam_rank: np.ndarray) -> dict | None:
    """The scored candidate pairs that a run on a subset of the reports and exams finds, renumbered.

    A report's candidates are its patient's exams, each pair scored from its own two
    rows, so a run on a subset that holds, with each of its reports, its patient's exams
    finds the pairs of its reports and scores them alike; but one thing: the tracer is
    read only for a pair whose report or exam has a rival candidate (:func:`_tracers`),
    and a pair that loses its rivals with the subset loses its tracer term, as it would
    there (its log-odds summed again, :func:`_other_logit`).

    Parameters
    ----------
    pairs : dict
        :func:`_score_pairs`' arrays on every report and exam.
    report_rank, exam_rank : ndarray of int
        Each report's and exam's row in the subset, -1 outside it (a report at -1 keeps
        no pair: one placed by its stay, which the subset run does not place).

    Returns
    -------
    dict or None
        The pairs ordered by report row, then exam row of the subset, one ``chunk``; None
        when a report of the subset has a candidate exam outside it.

    Examples
    --------
    >>> import numpy as np
    >>> pairs = {"report_row": np.array([0, 1, 1]), "exam_row": np.array([0, 0, 1]),
    ...          "tracer": np.full(3, _MATCH, dtype=np.int8)}
    >>> for k in ("mod", "tmod", "reg", "xreg", "date", "time"):
    ...     pairs[k] = np.full(3, _UNKNOWN, dtype=np.int8)
    >>> pairs["compared"] = np.zeros(3, dtype=bool)
    >>> pairs["other"] = _other_logit(*(pairs[k] for k in ("mod", "tmod", "reg", "xreg", "tracer", "date", "time",
    ...                                                      "compared")))
    >>> sub = pairs_of_subset(pairs, np.array([-1, 0]), np.array([1, 0]))  # report 1, both its exams
    >>> sub["report_row"].tolist(), sub["exam_row"].tolist(), sub["other"].tolist()
    ([0, 0], [0, 1], [1.5, 1.5])
    >>> sub = pairs_of_subset(pairs, np.array([0, -1]), np.array([0, -1]))  # exam 0 loses its rival report
    >>> sub["other"].tolist()
    [0.0]
    >>> pairs_of_subset(pairs, np.array([-1, 0]), np.array([0, -1])) is None  # exam 1 outside
    True
    """
    rank = report_rank[pairs["report_row"]]
    keep = np.flatnonzero(rank >= 0)
    e_rank = exam_rank[pairs["exam_row"][keep]]
    if (e_rank < 0).any():
        return None
    out = {k: v[keep] for k, v in pairs.items() if k != "chunk"}
    out["report_row"], out["exam_row"] = rank[keep].astype(np.int64), e_rank.astype(np.int64)
    order = np.lexsort((out["exam_row"], out["report_row"]))
    out = {k: v[order] for k, v in out.items()}
    report_row, exam_row = out["report_row"], out["exam_row"]
    read = out["tracer"] != _UNKNOWN
    if read.any():
        rival = (np.bincount(report_row)[report_row] > 1) | (np.bincount(exam_row)[exam_row] > 1)
        lost = np.flatnonzero(read & ~rival)
        if len(lost):
            out["tracer"][lost] = _UNKNOWN
            out["other"][lost] = _other_logit(*(out[k][lost] for k in ("mod", "tmod", "reg", "xreg", "tracer",
                                                                         "date", "time", "compared")))
    out["chunk"] = np.zeros(len(report_row), dtype=np.int64)
    return out


def _pair_terms(r_rows, e_rows, hours, r_cols, e_cols, reports, exams, skew) -> tuple[np.ndarray, ...]:
    """Per pair: rows, hours, log-odds without time, delay level and the agreement codes."""
    tcls, xcls, mcls = r_cols["tclass"][r_rows], r_cols["xclass"][r_rows], e_cols["mclass"][e_rows]
    mod = _agreement_code(tcls, mcls)
    tmod = np.where(tcls >= 0, _UNKNOWN, _agreement_code(xcls, mcls)).astype(np.int8)
    ereg = e_cols["region"][e_rows]
    treg = r_cols["tregion"][r_rows]
    compatible = e_cols["compatible"]
    reg = _agreement_code(treg, ereg, compatible=compatible)
    xreg = np.where(treg >= 0, _UNKNOWN, _agreement_code(r_cols["xregion"][r_rows], ereg,
                                                          compatible=compatible)).astype(np.int8)
    sdate = r_cols["sdate"][r_rows].astype("datetime64[D]")
    study_day = e_cols["study"][e_rows].astype("datetime64[D]")
    date = np.where(np.isnat(sdate), _UNKNOWN, np.where(sdate == study_day, _MATCH, _MISMATCH)).astype(np.int8)
    wend = r_cols["wend"][r_rows]
    if not np.isnat(wend).all():  # an undated report without a stated date: its stay places it
        study = e_cols["study"][e_rows]
        inside = (study >= r_cols["wstart"][r_rows]) & (study <= wend)
        date = np.where(np.isnat(wend), date, np.where(inside, _MATCH, _MISMATCH)).astype(np.int8)
    time = _time_agreement(r_cols["stime"][r_rows], e_cols["study"][e_rows], date)
    pet = (mcls >= 0) & e_cols["tracer_class"][np.maximum(mcls, 0)] & (mod != _MISMATCH)
    tracer = _tracers(r_rows, e_rows, pet, reports, exams)
    compared = _compares_with(r_rows, r_cols["cdate"][r_rows], e_cols["study"][e_rows])
    other = _other_logit(mod, tmod, reg, xreg, tracer, date, time, compared)
    level = delay_level(hours, skew)
    r_ser, e_ser = r_cols["serial"][r_rows], e_cols["serial"][e_rows]
    serial = np.where((r_ser < 0) | (e_ser < 0), _UNKNOWN, np.where(r_ser == e_ser, _MATCH, _MISMATCH)).astype(np.int8)
    return (r_rows, e_rows, hours, other, level, mod, tmod, reg, date, tracer, time, serial, xreg, compared)


def _compares_with(r_rows: np.ndarray, cdate: np.ndarray, study: np.ndarray) -> np.ndarray:
    """Per pair: its exam is on the date the report compares with while the report has a later
    candidate, so it is the earlier exam the report compares with (:data:`WEIGHTS` ``compared_exam``).""

    Examples
    --------
    >>> import numpy as np
    >>> study = np.array(["2024-07-15T10:49", "2024-07-15T17:14", "2024-07-15T10:49"], dtype="datetime64[ns]")
    >>> cdate = np.array(["2024-07-15", "2024-07-15", "2024-07-15"], dtype="datetime64[D]")
    >>> _compares_with(np.array([0, 0, 1]), cdate, study).tolist()
    [True, False, False]
    """
    cdate = np.asarray(cdate).astype("datetime64[D]")
    has = ~np.isnat(cdate)
    if not has.any():
        return np.zeros(len(r_rows), dtype=bool)
    _, local = np.unique(r_rows, return_inverse=True)
    t = np.asarray(study, dtype="datetime64[ns]").view(np.int64)
    t = np.where(np.isnat(study), np.iinfo(np.int64).min, t)
    latest = np.full(local.max() + 1, np.iinfo(np.int64).min)
    np.maximum.at(latest, local, t)
    day = np.asarray(study).astype("datetime64[D]")
    return has & (day == cdate) & (t < latest[local])


def _other_logit(mod, tmod, reg, xreg, tracer, date, time, compared) -> np.ndarray:
    """A pair's log-odds besides the delay and the learned text kind, from its agreement codes
    and whether the report compares with its exam (:data:`WEIGHTS`), summed in one order."""
    return ((WEIGHTS["base"] + _term("modality", mod) + _term("textmodality", tmod) + _term("region", reg)
             + _term("textregion", xreg) + _term("tracer", tracer) + _term("date", date)) + _term("time", time)
            + np.where(compared, WEIGHTS["compared_exam"], 0.0))


def _time_agreement(stated_minutes: np.ndarray, study: np.ndarray, date: np.ndarray,
                    tolerance: float = TIME_TOLERANCE_MINUTES) -> np.ndarray:
    """Agreement code (``_MATCH`` / ``_MISMATCH`` / ``_UNKNOWN``) of the time of day a report
    states with its exam's, when the dates match: within ``tolerance`` minutes (the default,
    else the one :func:`fit_stated_time_tolerance` learned).

    Examples
    --------
    >>> import numpy as np
    >>> study = np.array(["2021-03-03T09:41", "2021-03-03T16:00", "2021-03-03T09:00"], dtype="datetime64[ns]")
    >>> codes = _time_agreement(np.array([580.0, 580.0, np.nan]), study, np.full(3, _MATCH, dtype=np.int8))
    >>> _AGREEMENT_LEVELS[codes].tolist()
    ['match', 'mismatch', 'unknown']
    """
    known = (date == _MATCH) & ~np.isnan(stated_minutes) & ~np.isnat(study)
    close = _minutes_apart(stated_minutes, study) <= tolerance
    return np.where(known, np.where(close, _MATCH, _MISMATCH), _UNKNOWN).astype(np.int8)


def _minutes_apart(stated_minutes: np.ndarray, study: np.ndarray) -> np.ndarray:
    """Minutes between a stated time of day and a study's (NaN where either is unknown)."""
    study = np.asarray(study)
    if study.dtype.kind != "M":
        study = study.astype("datetime64[ns]")
    minutes = (study - study.astype("datetime64[D]").astype(study.dtype)) / np.timedelta64(1, "m")
    return np.abs(np.asarray(stated_minutes, dtype=np.float64) - minutes)


CLOCK_SHIFT_HOURS = 2
"""Whole hours by which a stated time may differ from its exam's by a clock (an export in UTC,
daylight saving): such a time says nothing, where a learned tolerance is used (:func:`_retimed`)."""

STATED_TIME_QUANTILE = 0.99
"""Centile of the confirmed reports' stated-time gaps that the learned tolerance doubles."""


def fit_stated_time_tolerance(gap_minutes: np.ndarray, min_pairs: int) -> dict:
    """How far the time of day a report's text states lies from its exam's study time, and what
    a time outside that says, learned from the accession-confirmed reports of the data being linked.

    A site that writes the acquisition time ("Examen du 5 novembre 2024 à 19h43") states it
    to the minute; one that writes the RIS appointment is off by up to an hour. The fixed
    :data:`TIME_TOLERANCE_MINUTES` must allow the second, and so makes two studies of one
    patient 40 minutes apart agree alike with the first kind's report: a tie. The tolerance
    (``stated_time_tolerance_minutes``) is twice the :data:`STATED_TIME_QUANTILE` centile of
    the gaps (``gap_minutes``, one per confirmed report whose text states its exam's date and
    a time), within [:data:`STATED_MINUTE_TOLERANCE`, :data:`TIME_TOLERANCE_MINUTES`]; the
    weight of a time outside it (``time_mismatch_weight``) is the log of the smoothed share of
    confirmed reports whose own exam lies outside it, ``log((k + 1) / (n + 2))`` (a site whose
    clocks drift keeps a mild one), never below ``WEIGHTS["date_mismatch"]`` nor above
    ``WEIGHTS["time_mismatch"]``. With fewer than ``min_pairs`` gaps: ``{}`` (the defaults stay).

    Examples
    --------
    >>> import numpy as np
    >>> fit_stated_time_tolerance(np.r_[np.zeros(60), [1.0, np.nan]], min_pairs=50)
    {'stated_time_tolerance_minutes': 10.0, 'time_mismatch_weight': -4.143}
    >>> fit_stated_time_tolerance(np.linspace(0.0, 60.0, 100), min_pairs=50)
    {'stated_time_tolerance_minutes': 90.0, 'time_mismatch_weight': -4.625}
    >>> fit_stated_time_tolerance(np.zeros(10), min_pairs=50)
    {}
    """
    gap = np.asarray(gap_minutes, dtype=np.float64)
    gap = gap[~np.isnan(gap)]
    if len(gap) < min_pairs:
        return {}
    tolerance = float(np.clip(2.0 * np.quantile(gap, STATED_TIME_QUANTILE), STATED_MINUTE_TOLERANCE,
                              TIME_TOLERANCE_MINUTES))
    outside = int((gap > tolerance).sum())
    weight = float(np.clip(np.log((outside + 1.0) / (len(gap) + 2.0)), WEIGHTS["date_mismatch"],
                           WEIGHTS["time_mismatch"]))
    return {"stated_time_tolerance_minutes": round(tolerance, 1), "time_mismatch_weight": round(weight, 3)}


def _retimed(pairs: dict, rp: pd.DataFrame, ex: pd.DataFrame, timing: dict) -> None:
    """``pairs``' time agreement recomputed with the learned ``timing``
    (:func:`fit_stated_time_tolerance`) and their log-odds moved by the difference of its
    terms (in place; the term applied is kept as ``time_term``, so a second call moves nothing more)."""
    r, e = pairs["report_row"], pairs["exam_row"]
    if not len(r):
        return
    stated, study = rp["stime"].to_numpy(dtype=np.float64)[r], ex["study"].to_numpy()[e]
    tolerance = timing["stated_time_tolerance_minutes"]
    time = _time_agreement(stated, study, pairs["date"], tolerance)
    # a whole hour or two off is a clock (UTC export, daylight saving), not another exam: unknown
    gap = _minutes_apart(stated, study)
    shifted = np.abs(gap - 60.0 * np.clip(np.round(gap / 60.0), 1.0, CLOCK_SHIFT_HOURS)) <= tolerance
    time = np.where((time == _MISMATCH) & shifted, np.int8(_UNKNOWN), time).astype(np.int8)
    term = np.where(time == _MATCH, WEIGHTS["time_match"],
                    np.where(time == _MISMATCH, timing.get("time_mismatch_weight", WEIGHTS["time_mismatch"]), 0.0))
    before = pairs["time_term"] if "time_term" in pairs else _term("time", pairs["time"])
    pairs["other"] = pairs["other"] + (term - before)
    pairs["time"], pairs["time_term"] = time, term


def _with_shared_accession(block: Evidence, exams_with_accession: np.ndarray | None) -> list[Evidence]:
    """``block`` split: its reports whose accession number one exam carries as they are, the others
    followed by ``exams_with_accession`` (how many exams carry it: :func:`_accession_preference` chose)."""
    if exams_with_accession is None:
        return [block]
    count = exams_with_accession[block.rows]
    shared = count > 1
    if not shared.any():
        return [block]
    return [block.where(~shared), block.where(shared).followed_by({"exams_with_accession": count[shared]})]


def _accession_preference(acc: pd.DataFrame) -> np.ndarray:
    """Positions of ``acc`` (a report's rows joined to the exams carrying its accession number)
    ordered best first for each report, so that keeping each report's first row chooses.

    One accession number on several exams is one request exported as several studies (a PET
    and its attenuation-correction CT, both knees): the report is filed with the study whose
    modality class its title (else its text's opening) names, then whose region it names,
    then the first study (the truth contract of every warehouse we know,
    :mod:`radlink.linkage.sibling_studies`), then the exam's row. A report with one such
    exam keeps it whatever it says.

    Examples
    --------
    >>> import pandas as pd
    >>> acc = pd.DataFrame({"report_row": [0, 0], "tclass": ["PET", "PET"], "xclass": [None, None],
    ...     "tregion": [None, None], "xregion": [None, None], "mclass": ["CT", "PET"],
    ...     "region": [None, None], "study": pd.to_datetime(["2021-02-10 13:12", "2021-02-10 13:10"]),
    ...     "exam_row": [0, 1]})
    >>> _accession_preference(acc).tolist()
    [1, 0]
    """
    def said(a: str, b: str) -> np.ndarray:
        first = acc[a].to_numpy(dtype=object)
        return np.where(pd.isna(first), acc[b].to_numpy(dtype=object), first)

    rclass, rregion = said("tclass", "xclass"), said("tregion", "xregion")
    class_differs = ~(pd.notna(rclass) & (rclass == acc["mclass"].to_numpy(dtype=object)))
    region_differs = ~(pd.notna(rregion) & (rregion == acc["region"].to_numpy(dtype=object)))
    study = pd.to_datetime(acc["study"]).to_numpy().astype("datetime64[s]")
    study = np.where(np.isnat(study), np.iinfo(np.int64).max, study.astype(np.int64))  # undated last
    return np.lexsort((acc["exam_row"].to_numpy(), study, region_differs, class_differs,
                       acc["report_row"].to_numpy()))


def _with_serial(block: Evidence, serial: np.ndarray) -> list[Evidence]:
    """``block`` split: its rows without a serial to compare as they are, the others saying ``accession_serial``."""
    known = serial != "unknown"
    if not known.any():
        return [block]
    said = block.where(known)
    return [block.where(~known), replace(said, fields={**said.fields, "accession_serial": serial[known]})]


def _with_first_study(block: Evidence, first_study: np.ndarray) -> list[Evidence]:
    """``block`` split: the reports moved to the first study of a split request say ``split_request_first_study``."""
    moved = first_study[block.rows]
    if not moved.any():
        return [block]
    said = block.where(moved)
    parts = [block.where(~moved), replace(said, fields={**said.fields, "split_request_first_study": True})]
    return [part for part in parts if len(part.rows)]


def _first_study_of_split(cand: pd.DataFrame, linked: np.ndarray, tied: np.ndarray, target_row: np.ndarray,
                          claimed: np.ndarray, ex: pd.DataFrame, threshold: float,
                          reports: pd.DataFrame | None = None, exams: pd.DataFrame | None = None) -> pd.DataFrame:
    """The candidate rows that move reports to the first study of a request split into several.

    One request is often acquired as several studies minutes apart (a chest-abdomen-pelvis
    scan as chest + abdomen-pelvis, both knees, left and right) under one report, filed
    with the first study. A report ``linked`` (first pass) to an exam takes the earliest
    exam of its candidates that no report took, of the same modality class, done up to
    :data:`SPLIT_REQUEST_MINUTES` before it, whose title and text agree with it (score
    above ``threshold``, modality not against, the region the report names is the study's
    or contains it: "thorax abdomen pelvis" and a chest study). A report ``tied`` between
    such studies (its candidates with its best score without the delay, that no report
    took, span at most :data:`SPLIT_REQUEST_MINUTES` in one modality class, each of a region
    the report names, and the report's title writes every word of the labels of all of them or
    of none, :func:`_label_words_written`, when ``reports`` and ``exams`` are given) takes the first.
    Returns rows of ``cand``, one per moved report.
    """
    if not len(cand) or not (len(linked) or len(tied)):
        return cand.iloc[:0]
    rows = cand["report_row"].to_numpy(dtype=np.int64)
    erow = cand["exam_row"].to_numpy(dtype=np.int64)
    study = ex["study"].to_numpy().astype("datetime64[ns]")
    mclass = ex["mclass"].to_numpy(dtype=object)
    window = np.timedelta64(int(SPLIT_REQUEST_MINUTES * 60), "s")
    # the report names a region that each study of the request is part of (a region it does not name is no
    # clue): its title, else its text's opening (a generic title)
    region = np.isin(cand["reg"].to_numpy(dtype=object), ["match", "compatible"])
    if "xreg" in cand:
        region |= ((cand["reg"].to_numpy(dtype=object) == "unknown")
                   & np.isin(cand["xreg"].to_numpy(dtype=object), ["match", "compatible"]))
    agree = ((cand["logit"].to_numpy(dtype=np.float64) >= threshold) & ~claimed[erow]
             & (cand["mod"].to_numpy(dtype=object) != "mismatch") & region)
    is_linked = np.zeros(len(target_row), dtype=bool)
    is_linked[linked] = True
    x = target_row[rows]
    before = study[x] - study[erow]
    moves = agree & is_linked[rows] & (erow != x) & (before > np.timedelta64(0, "s")) & (before <= window)
    moves &= pd.Series(mclass[erow], dtype=object).eq(pd.Series(mclass[np.maximum(x, 0)], dtype=object)).to_numpy()
    out = [np.flatnonzero(moves)]
    if len(tied):
        is_tied = np.zeros(len(target_row), dtype=bool)
        is_tied[tied] = True
        t = np.flatnonzero(is_tied[rows] & ~claimed[erow] & (cand["level"].to_numpy() > 0) & region)
        if len(t):
            other = cand["other"].to_numpy(dtype=np.float64)[t]
            frame = pd.DataFrame({"r": rows[t], "other": other})
            top = frame.groupby("r")["other"].transform("max").to_numpy()
            t = t[np.abs(other - top) < 1e-9]
            named = (_label_words_written(rows[t], erow[t], reports, exams) if reports is not None
                     else np.zeros(len(t), dtype=bool))
            g = pd.DataFrame({"r": rows[t], "pos": t, "when": study[erow[t]], "named": named,
                              "cls": pd.Series(mclass[erow[t]], dtype=object).fillna("")})
            span = g.groupby("r").agg(first=("when", "min"), last=("when", "max"), classes=("cls", "nunique"),
                                      count=("pos", "size"), named=("named", "sum"))
            # a report writing every word of the label of some of the studies only (one side of two) is no split's
            ok = span[(span["last"] - span["first"] <= pd.Timedelta(window)) & (span["classes"] == 1)
                      & (span["count"] > 1) & ((span["named"] == 0) | (span["named"] == span["count"]))].index
            g = g[g["r"].isin(ok)].sort_values(["r", "when", "pos"], kind="mergesort")
            out.append(g.drop_duplicates("r")["pos"].to_numpy(dtype=np.int64))
    pick = np.concatenate(out)
    picked = cand.iloc[pick]
    if not len(picked):
        return picked
    # each report its earliest such study, each study one report
    picked = picked.assign(_when=study[picked["exam_row"].to_numpy()]).sort_values(
        ["report_row", "_when"], kind="mergesort").drop_duplicates("report_row")
    picked = picked[~picked["exam_row"].duplicated(keep=False)]
    return picked.drop(columns="_when")


def accession_serial(accession: pd.Series) -> np.ndarray:
    """The serial of each accession number: its last :data:`SERIAL_DIGITS` digits as an int (-1 without).

    Sites of one group write the same order number in their own formats (a site letter,
    a year, zero padding, a RIS prefix or suffix); its trailing digits are kept by all.

    Examples
    --------
    >>> import pandas as pd
    >>> accession_serial(pd.Series(["0002429-C", "C230002429", "RIS23000001629", "12", None])).tolist()
    [2429, 2429, 1629, -1, -1]
    """
    values = pd.Series(accession, dtype=object).to_numpy(dtype=object)
    out = np.full(len(values), -1, dtype=np.int64)
    # ASCII texts (nearly all) through arrow, where RE2's \D is re's; any other value as pandas reads it
    text = np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=len(values))
    arr = pa.array(values if text.all() else np.where(text, values, None), type=pa.string(), from_pandas=True)
    fast = text & pc.string_is_ascii(arr).fill_null(False).to_numpy(zero_copy_only=False)
    if fast.any():
        rows = np.flatnonzero(fast)
        digits = pc.replace_substring_regex(arr.take(pa.array(rows)), r"\D+", "")
        ok = (pc.utf8_length(digits).to_numpy(zero_copy_only=False) >= SERIAL_DIGITS)
        if ok.any():
            tail = pc.utf8_slice_codeunits(digits.filter(pa.array(ok)), -SERIAL_DIGITS)
            out[rows[ok]] = pc.cast(tail, pa.int64()).to_numpy(zero_copy_only=False)
    rest = np.flatnonzero(~fast & pd.notna(values))
    if len(rest):
        digits = pd.Series(values[rest], dtype=object).astype("string").str.replace(r"\D+", "", regex=True)
        tail = digits.str.slice(-SERIAL_DIGITS)
        ok = (tail.str.len() == SERIAL_DIGITS).fillna(False).to_numpy(dtype=bool)
        if ok.any():
            out[rest[ok]] = tail[ok].astype(np.int64).to_numpy()
    return out


def _reviews_outside_images(title: pd.Series, model: dict | None = None) -> np.ndarray:
    """Whether each report's title says it reviews images made elsewhere (:data:`OUTSIDE_REVIEW_PATTERN`).

    ``model``: a delay model whose ``titles_with_exams`` (:func:`fit_outside_titles`) lists the
    titles that say so in words only (their reports' accession numbers find their exams here):
    those are not reviews of outside images.

    Examples
    --------
    >>> import pandas as pd
    >>> titles = pd.Series(["Avis sur examen extérieur", "TEP - seconde lecture", None, "Courrier externe"])
    >>> _reviews_outside_images(titles).tolist()
    [True, False, False, True]
    >>> _reviews_outside_images(titles, {"titles_with_exams": ["COURRIER EXTERNE"]}).tolist()
    [True, False, False, False]
    """
    codes, up = _distinct_upper_words(title)
    if not len(up):
        return np.zeros(len(title), dtype=bool)
    found = _ascii_matches(up, OUTSIDE_REVIEW_PATTERN)
    with_exams = (model or {}).get("titles_with_exams")
    if with_exams:
        found &= ~up.isin(with_exams).to_numpy()
    return (codes >= 0) & found[np.maximum(codes, 0)]


OUTSIDE_TITLE_MIN_REPORTS = 10
"""Fewest reports of one title carrying an accession number for :func:`fit_outside_titles` to judge the title."""

OUTSIDE_TITLE_CONFIRMED_SHARE = 0.5
"""Share of those reports whose accession finds their exam (with a consistent patient) from which
a title that reads as an outside review is taken to be a letter about an exam made here."""


def fit_outside_titles(title: pd.Series, accession: np.ndarray, confirmed: np.ndarray,
                       min_reports: int = OUTSIDE_TITLE_MIN_REPORTS) -> dict:
    """The titles whose outside-review words (:data:`OUTSIDE_REVIEW_PATTERN`) mislead, learned from the data.

    "Courrier externe", "Relecture examen extérieur": a letter imported from a partner
    centre, or a second reading, may describe an exam held in this PACS. A title is judged
    by its own reports that carry an accession number: when at least
    :data:`OUTSIDE_TITLE_CONFIRMED_SHARE` of them (and at least ``min_reports``) found their
    exam by it, its reports are read as any other (``titles_with_exams``, the titles as
    :func:`_distinct_upper_words` writes them); a title whose reports carry no accession
    number, or numbers that find nothing here (the outside site's), keeps the review's weight.

    Parameters
    ----------
    title : pandas.Series
        The reports' titles.
    accession : ndarray
        The reports' accession numbers (None without).
    confirmed : ndarray of bool
        Reports linked by their accession number (a consistent patient, any delay).
    min_reports : int

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> title = pd.Series(["Courrier externe"] * 12 + ["Avis sur examen extérieur"] * 12)
    >>> acc = np.array(["A1"] * 24, dtype=object)
    >>> confirmed = np.r_[np.ones(12, bool), np.zeros(12, bool)]
    >>> fit_outside_titles(title, acc, confirmed)
    {'titles_with_exams': ['COURRIER EXTERNE']}
    """
    codes, up = _distinct_upper_words(title)
    if not len(up):
        return {}
    flagged = _ascii_matches(up, OUTSIDE_REVIEW_PATTERN)
    carries = (codes >= 0) & pd.notna(np.asarray(accession, dtype=object))
    carries &= flagged[np.maximum(codes, 0)]
    n = np.bincount(codes[carries], minlength=len(up))
    k = np.bincount(codes[carries & np.asarray(confirmed, dtype=bool)], minlength=len(up))
    keep = flagged & (n >= min_reports) & (k >= OUTSIDE_TITLE_CONFIRMED_SHARE * np.maximum(n, 1))
    return {"titles_with_exams": sorted(up[keep].tolist())} if keep.any() else {}


def _stay_windows(when: np.ndarray, stated_date: np.ndarray,
                  window: tuple[np.ndarray, np.ndarray] | None) -> tuple[np.ndarray, np.ndarray]:
    """The stay window of each report with neither a signature time nor a stated date (NaT elsewhere)."""
    n = len(when)
    nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if window is None:
        return nat, nat.copy()
    start, end = (np.asarray(w, dtype="datetime64[ns]") for w in window)
    use = np.isnat(when) & np.isnat(np.asarray(stated_date).astype("datetime64[D]")) & ~np.isnat(start) & ~np.isnat(end)
    return np.where(use, start, nat), np.where(use, end, nat)


def _anchor_times(when: np.ndarray, stated_date: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The time each report's candidate exams are looked for from, and which reports are undated.

    A report's signature time (``when``); for a report without one, the end of the exam
    date its text states, so its candidates are the exams up to that day (the stated
    date then scores them; the delay is unknown). Reports with neither stay without.

    Examples
    --------
    >>> import numpy as np
    >>> when = np.array(["2021-03-04T10:00", "NaT", "NaT"], dtype="datetime64[ns]")
    >>> stated = np.array(["2021-01-01", "2021-03-03", "NaT"], dtype="datetime64[D]")
    >>> anchor, undated = _anchor_times(when, stated)
    >>> [str(a) for a in anchor.astype("datetime64[s]")], undated.tolist()
    (['2021-03-04T10:00:00', '2021-03-03T23:59:59', 'NaT'], [False, True, False])
    """
    stated = np.asarray(stated_date).astype("datetime64[D]")
    undated = np.isnat(when) & ~np.isnat(stated)
    if not undated.any():
        return when, undated
    end_of_day = (stated + np.timedelta64(1, "D") - np.timedelta64(1, "s")).astype(when.dtype)
    return np.where(undated, end_of_day, when), undated


def _pair_chunks(chunk: np.ndarray):
    """Positions of the pairs of each chunk, in pair order."""
    if not len(chunk):
        return
    order = np.argsort(chunk, kind="stable")
    sorted_chunk = chunk[order]
    starts = np.flatnonzero(np.r_[True, sorted_chunk[1:] != sorted_chunk[:-1]])
    for a, z in zip(starts, np.r_[starts[1:], len(chunk)], strict=True):
        yield order[a:z]


def _candidate_frame(pairs: dict, sel: np.ndarray, rp: pd.DataFrame, ex: pd.DataFrame, model: dict,
                     says_addendum: np.ndarray, skew: float, undated: np.ndarray,
                     by_stay: np.ndarray, outside: np.ndarray) -> pd.DataFrame:
    """The candidate pairs ``sel`` as the frame the assignment and the evidence read, delay weight included."""
    r_rows, e_rows = pairs["report_row"][sel], pairs["exam_row"][sel]
    level = pairs["level"][sel].astype(np.int64)
    other = pairs["other"][sel]
    serial = pairs["serial"][sel]
    if (serial != _UNKNOWN).any():  # (not in the delay fit's log-odds; zeros are not added)
        other = other + _term("serial", serial)
    if outside[r_rows].any():
        other = np.where(outside[r_rows], other + WEIGHTS["outside_review"], other)
    learned = model.get("textmodality_mismatch")
    if learned is not None:  # the warehouse's own weight of a text naming another modality
        other = np.where(pairs["tmod"][sel] == _MISMATCH, other + (learned - WEIGHTS["textmodality_mismatch"]), other)
    dweight = delay_weights(model, ex["mclass"].to_numpy(dtype=object)[e_rows], level,
                            ex["site"].to_numpy(dtype=object)[e_rows])
    # An addendum is signed long after its exam: its delay only counts against it when before the exam.
    dweight = np.where(says_addendum[r_rows] & (level > 0), np.maximum(dweight, -1.0), dweight)
    # A report without its signature time has no delay: the date its text states places it.
    dweight = np.where(undated[r_rows], 0.0, dweight)
    cand = object_frame({
        "report_row": r_rows,
        "report_id": rp["report_id"].to_numpy(dtype=object)[r_rows],
        "when": rp["when"].to_numpy()[r_rows],
        "exam_row": e_rows,
        "exam_id": ex["exam_id"].to_numpy(dtype=object)[e_rows],
        "hours": np.where(undated[r_rows], np.nan, pairs["hours"][sel]),
    })
    cand["other"] = other
    cand["logit"] = other + dweight
    cand["level"] = level
    cand["dweight"] = dweight
    cand["day"] = ex["study"].to_numpy()[e_rows].astype("datetime64[D]")
    placed = by_stay[r_rows]
    if placed.any():  # placed by its stay alone: exams of one type on any day of the stay are a tie
        cand.loc[placed, "day"] = rp["wend"].to_numpy()[r_rows[placed]].astype("datetime64[D]")
    cand["kind"] = pairs["kind"][sel] if "kind" in pairs else np.zeros(len(sel))
    cand["compared"] = pairs["compared"][sel]
    if "xreg" in pairs:  # read by the split-request rule only (not in the evidence)
        cand["xreg"] = pd.Series(_AGREEMENT_LEVELS[pairs["xreg"][sel]], index=cand.index, dtype=object)
    for name in ("mod", "tmod", "reg", "date", "tracer", "time", "serial"):
        cand[name] = pd.Series(_AGREEMENT_LEVELS[pairs[name][sel]], index=cand.index, dtype=object)
    return cand

LABEL_HEAD_CHARS = 300
"""Characters of a report's text (after its title) searched for its exam's RIS label."""

LABEL_LEARN_REPORTS = 1_000
"""Most accession-confirmed reports read to learn the weight of a named label (chosen by a
hash of the report id: the same ones in any row order, hence in both engines)."""


LABEL_MIN_LOG_ODDS = float(np.log(1.0 / 0.03))
"""Fewest log-odds for the label term to be used: a tie it breaks is right 97 times in 100."""

LABEL_MAX_WEIGHT = 4.0
"""Ceiling of the label term (it should not outweigh a stated exam date or the modality)."""


def _names_exam_label(r: np.ndarray, e: np.ndarray, reports: pd.DataFrame, exams: pd.DataFrame) -> np.ndarray:
    """Whether report ``r[i]``'s title or text head names exam ``e[i]``'s label (``study_description``).

    Each head and each distinct label is normalised once; one substring search per label.
    """
    if not len(r):
        return np.zeros(0, dtype=bool)
    u_r, r_inv = np.unique(r, return_inverse=True)
    title = reports["title"].to_numpy(dtype=object)[u_r]
    text = reports["text"].to_numpy(dtype=object)[u_r]
    head = [f"{a if isinstance(a, str) else ''}\n{b[:LABEL_HEAD_CHARS] if isinstance(b, str) else ''}"
            for a, b in zip(title, text, strict=True)]
    heads = label_words(pd.Series(head, dtype=object), LABEL_HEAD_CHARS + 200).to_numpy(dtype=object)
    desc = exams["study_description"].to_numpy(dtype=object)[e]
    d_codes, d_uniques = pd.factorize(pd.Series(desc, dtype=object))
    if not len(d_uniques):
        return np.zeros(len(r), dtype=bool)
    d_words = label_words(pd.Series(d_uniques, dtype=object)).to_numpy(dtype=object)
    labels = np.where(d_codes >= 0, d_words[np.maximum(d_codes, 0)], None)
    return names_label(heads[r_inv], labels)


def _label_words_written(r: np.ndarray, e: np.ndarray, reports: pd.DataFrame, exams: pd.DataFrame) -> np.ndarray:
    """Whether report ``r[i]``'s title holds every word of exam ``e[i]``'s label, in any order
    ("TDM THORAX ABDOMEN PELVIS" holds "TDM ABDOMEN PELVIS"; "POIGNET G" does not hold "POIGNET D").

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> reports = pd.DataFrame({"title": ["TDM THORAX ABDOMEN PELVIS", "POIGNET G"], "text": ["", ""]})
    >>> exams = pd.DataFrame({"study_description": ["TDM ABDOMEN PELVIS", "POIGNET D", "POIGNET G"]})
    >>> _label_words_written(np.array([0, 1, 1]), np.array([0, 1, 2]), reports, exams).tolist()
    [True, False, True]
    """
    if not len(r):
        return np.zeros(0, dtype=bool)
    pair = np.arange(len(r))
    heads = label_words(pd.Series(reports["title"].to_numpy(dtype=object)[r], dtype=object)).str.split()
    labels = label_words(pd.Series(exams["study_description"].to_numpy(dtype=object)[e], dtype=object)).str.split()
    have = pd.DataFrame({"pair": pair, "word": heads.to_numpy(dtype=object)}).explode("word").dropna()
    need = pd.DataFrame({"pair": pair, "word": labels.to_numpy(dtype=object)}).explode("word").dropna()
    if not len(need):
        return np.zeros(len(r), dtype=bool)
    found = need.merge(have.drop_duplicates(), on=["pair", "word"], how="left", indicator=True)
    missing = np.bincount(found["pair"].to_numpy(dtype=np.int64)[(found["_merge"] == "left_only").to_numpy()],
                          minlength=len(r))
    words = np.bincount(need["pair"].to_numpy(dtype=np.int64), minlength=len(r))
    return (words > 0) & (missing == 0)


def fit_label_weight(report_row: np.ndarray, exam_row: np.ndarray, own: np.ndarray, reports: pd.DataFrame,
                     exams: pd.DataFrame, min_pairs: int = 50, mclass: np.ndarray | None = None) -> dict:
    """How much a report naming an exam's RIS label says it describes that exam, learned here.

    On the candidate pairs of accession-confirmed reports: ``m``, the share of reports
    naming their own exam's label; ``u``, the share naming a rival candidate's (another
    label, the same modality class when ``mclass`` gives each exam's: the rivals the term
    has to tell apart). Between two such exams, the one named is the report's with odds
    ``m (1 - u) / (u (1 - m))``; the term is their log (at most :data:`LABEL_MAX_WEIGHT`)
    when they reach :data:`LABEL_MIN_LOG_ODDS` (a tie broken at the precision the linkage
    promises), else 0, as with fewer than ``min_pairs`` of either: a warehouse whose titles
    are free wording (a modality's usual phrase, which may be a rival's label too) learns
    0 and keeps such ties ambiguous; one whose RIS writes the exam's label into the report
    learns a strong term.
    Returns ``{"label_weight", "label_m", "label_u", "label_pairs"}``.
    """
    out = {"label_weight": 0.0, "label_m": None, "label_u": None, "label_pairs": [0, 0]}
    if "study_description" not in exams or not len(report_row):
        return out
    n = int(report_row.max()) + 1
    truth = np.full(n, -1, dtype=np.int64)
    truth[report_row[own]] = exam_row[own]
    keep = truth[report_row] >= 0  # the candidate pairs of accession-confirmed reports only
    report_row, exam_row, own = report_row[keep], exam_row[keep], own[keep]
    if not len(report_row):
        return out
    true_row = truth[report_row]
    both = np.concatenate([exam_row, true_row])
    codes, _ = pd.factorize(pd.Series(exams["study_description"].to_numpy(dtype=object)[both], dtype=object))
    e_code, true_code = codes[:len(exam_row)], codes[len(exam_row):]
    rival = ~own & (e_code >= 0) & (e_code != true_code)
    if mclass is not None:
        m_both, _ = pd.factorize(pd.Series(np.asarray(mclass, dtype=object)[both], dtype=object))
        m_exam, m_true = m_both[:len(exam_row)], m_both[len(exam_row):]
        rival &= (m_exam >= 0) & (m_exam == m_true)
    has_rival = np.zeros(n, dtype=bool)
    has_rival[report_row[rival]] = True
    mine = own & (e_code >= 0) & has_rival[report_row]
    reps = np.unique(report_row[mine])
    if not len(reps):
        return out
    if len(reps) > LABEL_LEARN_REPORTS:
        h = pd.util.hash_array(reports["report_id"].to_numpy(dtype=object)[reps].astype(str))
        reps = reps[np.sort(np.argsort(h, kind="stable")[:LABEL_LEARN_REPORTS])]
    chosen = np.zeros(n, dtype=bool)
    chosen[reps] = True
    sel = (mine | rival) & chosen[report_row]
    found = _names_exam_label(report_row[sel], exam_row[sel], reports, exams)
    is_own = own[sel]
    n_m, n_u = int(is_own.sum()), int((~is_own).sum())
    m = (found[is_own].sum() + 0.5) / (n_m + 1.0)
    u = (found[~is_own].sum() + 0.5) / (n_u + 1.0)
    out.update(label_m=round(float(m), 4), label_u=round(float(u), 4), label_pairs=[n_m, n_u])
    odds = float(np.log(m * (1.0 - u) / (u * (1.0 - m))))
    if n_m >= min_pairs and n_u >= min_pairs and odds >= LABEL_MIN_LOG_ODDS:
        out["label_weight"] = round(min(odds, LABEL_MAX_WEIGHT), 3)
    return out


def fit_text_modality_weight(report_row: np.ndarray, exam_row: np.ndarray, own: np.ndarray, tmod: np.ndarray,
                             min_pairs: int = 50) -> dict:
    """How much a text naming another modality class than the exam's says against the pair, learned here.

    The text's opening is read for technique words (:data:`~radlink.linkage.patterns.TEXT_MODALITY_PATTERNS`);
    a warehouse whose templates mix the words of several modalities (an ultrasound's
    "échostructure" in a scanner's findings) makes that reading a weak clue. On the
    candidate pairs of accession-confirmed reports whose text class was compared
    (``tmod`` not unknown): ``m``, the share of reports whose own exam mismatches;
    ``u``, the share of rival candidates that do. The term is ``log(m / u)``, never
    stronger than :data:`WEIGHTS` ``textmodality_mismatch`` (the prior, which stays
    with fewer than ``min_pairs`` of either) and never for the pair.
    Returns ``{"textmodality_mismatch", "textmodality_pairs"}`` (the weight None when not learned).

    Examples
    --------
    >>> import numpy as np
    >>> r = np.repeat(np.arange(100), 2); e = np.arange(200); own = e % 2 == 0
    >>> tmod = np.where(own, np.where(np.arange(200) % 10 == 0, _MISMATCH, _MATCH), _MISMATCH).astype(np.int8)
    >>> fit_text_modality_weight(r, e, own, tmod)
    {'textmodality_mismatch': -1.59, 'textmodality_pairs': [100, 100]}
    """
    out: dict = {"textmodality_mismatch": None, "textmodality_pairs": [0, 0]}
    if not len(report_row):
        return out
    n = int(report_row.max()) + 1
    confirmed = np.zeros(n, dtype=bool)
    confirmed[report_row[own]] = True
    keep = confirmed[report_row] & (np.asarray(tmod) != _UNKNOWN)
    is_own, mismatch = own[keep], np.asarray(tmod)[keep] == _MISMATCH
    n_m, n_u = int(is_own.sum()), int((~is_own).sum())
    out["textmodality_pairs"] = [n_m, n_u]
    if n_m < min_pairs or n_u < min_pairs:
        return out
    m = (mismatch[is_own].sum() + 0.5) / (n_m + 1.0)
    u = (mismatch[~is_own].sum() + 0.5) / (n_u + 1.0)
    weight = min(max(float(np.log(m / u)), WEIGHTS["textmodality_mismatch"]), 0.0)
    out["textmodality_mismatch"] = round(weight, 3)
    return out


def _label_term(cand: pd.DataFrame, reports: pd.DataFrame, exams: pd.DataFrame, weight: float) -> np.ndarray:
    """Log-odds ``weight`` (:func:`fit_label_weight`) for the pairs whose report names the exam's RIS label.

    A RIS writes the exam's label into the report it produces (as its title, or a line
    "SCANNER TAP du 12/03/2024"): between two exams of one patient on one day, the one
    whose label the report names is the one it describes ("POIGNET G" against "POIGNET D",
    "ANGIOSCANNER EP" against "SCANNER CRANE"). Read only for the reports with two
    candidates on one day (all their candidates then).
    """
    term = np.zeros(len(cand), dtype=np.float64)
    if not len(cand) or weight <= 0 or "study_description" not in exams:
        return term
    r = cand["report_row"].to_numpy(dtype=np.int64)
    day = cand["day"].to_numpy().astype("datetime64[D]").astype(np.int64)
    key = r * 4_000_000 + (day - day.min())
    _, inv, counts = np.unique(key, return_inverse=True, return_counts=True)
    busy = np.zeros(int(r.max()) + 1, dtype=bool)
    busy[r[counts[inv] > 1]] = True
    sel = np.flatnonzero(busy[r])
    if len(sel):
        found = _names_exam_label(r[sel], cand["exam_row"].to_numpy(dtype=np.int64)[sel], reports, exams)
        term[sel] = np.where(found, weight, 0.0)
    return term


def _tracers(report_row: np.ndarray, exam_row: np.ndarray, pet: np.ndarray, reports: pd.DataFrame,
             exams: pd.DataFrame) -> np.ndarray:
    """Tracer agreement codes, read only where a PET / NM pair (``pet``) has a rival candidate of its report or exam."""
    tracer = np.full(len(report_row), _UNKNOWN, dtype=np.int8)
    if not len(report_row):
        return tracer
    # a report or an exam in more than one candidate pair
    busy = pet & ((np.bincount(report_row)[report_row] > 1) | (np.bincount(exam_row)[exam_row] > 1))
    if busy.any():
        # Read each text once (a report or exam is in several pairs), then spread over the pairs.
        r_rows, r_inv = np.unique(report_row[busy], return_inverse=True)
        t_rep = tracer_of_text(pd.Series(reports["text"].to_numpy(dtype=object)[r_rows], dtype=object)).to_numpy(dtype=object)
        desc = exams["study_description"].to_numpy(dtype=object)[exam_row[busy]]
        d_codes, d_uniques = pd.factorize(pd.Series(desc, dtype=object), use_na_sentinel=False)
        t_exam = tracer_of_text(pd.Series(d_uniques, dtype=object)).to_numpy(dtype=object)
        codes, _ = pd.factorize(pd.Series(np.concatenate([t_rep, t_exam]), dtype=object))
        tracer[busy] = _agreement_code(codes[:len(t_rep)][r_inv], codes[len(t_rep):][d_codes])
    return tracer


def _addendum_of(rp: pd.DataFrame, status: np.ndarray, target_row: np.ndarray) -> np.ndarray:
    """For each linked report that is not its exam's first: the id of the exam's first report."""
    out = np.full(len(rp), None, dtype=object)
    linked = np.flatnonzero(status == "linked")
    if not len(linked):
        return out
    # linked reports by exam, then time (undated last), then id: the first of each exam is its first report
    order = np.lexsort((_sort_rank(rp["report_id"].to_numpy(dtype=object)[linked]), _time_key(rp["when"].to_numpy()[linked]),
                        target_row[linked]))
    rows, exam = linked[order], target_row[linked][order]
    ids = rp["report_id"].to_numpy(dtype=object)[rows]
    starts = np.flatnonzero(np.r_[True, exam[1:] != exam[:-1]])
    first_id = np.repeat(ids[starts], np.diff(np.r_[starts, len(rows)]))
    later = ids != first_id
    out[rows[later]] = first_id[later]
    return out


TIE_ODDS = 4.0
"""Odds from which the delay alone decides between exams that nothing else tells apart: the
exam it prefers is right four times in five (:data:`TIE_DELAY_MARGIN` is this margin when the
delay weights are calibrated log-odds; :func:`fit_tie_margin` calibrates them on the data)."""


def fit_tie_margin(report_row: np.ndarray, exam_row: np.ndarray, own: np.ndarray, confirmed: np.ndarray,
                   other: np.ndarray, logit: np.ndarray, level: np.ndarray, min_reports: int) -> dict:
    """The least difference of delay weight by which the delay alone tells a report's exams apart,
    learned from the accession-confirmed reports of the data being linked.

    Among the reports whose exam their accession number confirms (``confirmed`` per report,
    ``own`` per pair: the pair is the confirmed one), those with two or more candidates that
    nothing but the delay tells apart (the same best score without it, ``other``; done before
    the report, ``level`` > 0) say how often the candidate the delay prefers (``logit``, the
    score with it) is the right one as a function of how far apart the two best weigh (the gap,
    when not 0: equal weights are ties at any margin).
    A logistic curve of that chance against the gap is fitted (the delay weights are log-odds
    of a fitted model, not always calibrated: a warehouse of daily bedside films and long
    queues makes the nearer exam the right one barely more than half the time); the margin is
    the gap at which the curve reaches :data:`TIE_ODDS`, within the gaps seen. Below it the
    report is ``ambiguous``. With fewer than ``min_reports`` such reports: ``{}`` (the default,
    :data:`TIE_DELAY_MARGIN`, stays); when the chance does not grow with the gap, the largest
    gap seen (the delay alone never decides).

    Returns ``{"tie_delay_margin": float, "tie_delay_margin_reports": int}`` or ``{}``.

    Examples
    --------
    >>> import numpy as np
    >>> # 200 reports with two look-alike candidates; the nearer (preferred by ``gap``) is right
    >>> # more often as the gap grows: 1 in 2 at gap 0, 19 in 20 at gap 3
    >>> gap = np.repeat([0.0, 1.0, 2.0, 3.0], 50)
    >>> right = np.concatenate([np.arange(50) < k for k in (25, 38, 44, 48)])
    >>> r = np.repeat(np.arange(200), 2)
    >>> logit = np.column_stack([gap, np.zeros(200)]).ravel()
    >>> own = np.column_stack([right, ~right]).ravel()
    >>> fit = fit_tie_margin(r, np.arange(400), own, np.ones(200, bool), np.zeros(400), logit, np.ones(400), 50)
    >>> round(fit["tie_delay_margin"], 2), fit["tie_delay_margin_reports"]
    (1.27, 150)
    """
    report_row = np.asarray(report_row, dtype=np.int64)
    keep = np.asarray(confirmed, dtype=bool)[report_row] & (np.asarray(level) > 0)
    if not keep.any():
        return {}
    r, o = report_row[keep], np.asarray(other, np.float64)[keep]
    lg, ok = np.asarray(logit, np.float64)[keep], np.asarray(own, dtype=bool)[keep]
    top = pd.Series(o).groupby(r).transform("max").to_numpy()
    near = np.abs(o - top) < 1e-9
    r, lg, ok = r[near], lg[near], ok[near]
    order = np.lexsort((-lg, r))
    r, lg, ok = r[order], lg[order], ok[order]
    starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
    two = starts[np.diff(np.r_[starts, len(r)]) >= 2]
    # candidates at one delay weight (gap 0) are ties at any margin: they say nothing of one
    two = two[lg[two] - lg[two + 1] > 1e-9]
    if len(two) < min_reports:
        return {}
    gap = lg[two] - lg[two + 1]
    right = ok[two].astype(np.float64)
    a, b = _logistic_fit(gap, right)
    target = float(np.log(TIE_ODDS))
    if b <= 1e-6:
        margin = float(gap.max()) + 1e-6
    else:
        margin = float(np.clip((target - a) / b, 0.0, gap.max() + 1e-6))
    return {"tie_delay_margin": round(margin, 6), "tie_delay_margin_reports": int(len(two))}


SERIAL_BLIND_SHARE = 0.01
"""Share of reports under which an accession format is another numbering (:func:`fit_serial_blind_formats`):
a serial shared by chance with one of a report's few candidates is about 10**-SERIAL_DIGITS per candidate."""


def accession_formats(accession: np.ndarray) -> np.ndarray:
    """The format of each accession number: upper case, every digit written ``9`` (``None`` without).

    Examples
    --------
    >>> import numpy as np
    >>> accession_formats(np.array(["TLR2117253", "siv-val-24-005635", None], dtype=object)).tolist()
    ['TLR9999999', 'SIV-VAL-99-999999', None]
    """
    values = pd.Series(np.asarray(accession, dtype=object), dtype=object)
    ok = values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    out = np.full(len(values), None, dtype=object)
    if ok.any():
        out[ok] = values[ok].str.upper().str.replace(r"[0-9]", "9", regex=True).to_numpy(dtype=object)
    return out


def fit_serial_blind_formats(report_accession: np.ndarray, report_row: np.ndarray, serial: np.ndarray,
                             min_reports: int) -> dict:
    """The accession formats of reports that are another numbering than their exams', learned on the data.

    A site's reports may carry the number of another system (a teleradiology provider's,
    the RIS order's) while the exams carry the PACS accession: the serials of the two never
    agree, and :data:`WEIGHTS` ``serial_mismatch`` would hold it against every candidate, the
    right one too. A format (:func:`accession_formats`) is such a numbering when at least
    ``min_reports`` of its reports have candidates whose serials can be compared (``serial``
    per pair, an agreement code) and fewer than :data:`SERIAL_BLIND_SHARE` of them agree with
    any of their candidates (a site format of the same numbering agrees with its own exam).

    Returns ``{"accession_formats_without_serial": [format, ...]}`` (sorted; possibly empty).

    Examples
    --------
    >>> import numpy as np
    >>> acc = np.array(["TLR%07d" % i for i in range(60)] + ["C23%07d" % i for i in range(60)], dtype=object)
    >>> rows = np.arange(120)
    >>> serial = np.r_[np.full(60, 2), np.zeros(60)].astype(np.int8)  # TLR: mismatch; C23: match
    >>> fit_serial_blind_formats(acc, rows, serial, 50)
    {'accession_formats_without_serial': ['TLR9999999']}
    """
    compared = np.asarray(serial) != _UNKNOWN
    out: dict = {"accession_formats_without_serial": []}
    if not compared.any():
        return out
    rows = np.asarray(report_row, dtype=np.int64)[compared]
    agree = pd.Series(np.asarray(serial)[compared] == _MATCH).groupby(rows).any()
    formats = accession_formats(np.asarray(report_accession, dtype=object)[agree.index.to_numpy()])
    table = pd.DataFrame({"format": formats, "agree": agree.to_numpy()}).groupby("format")["agree"].agg(["size", "mean"])
    blind = table[(table["size"] >= min_reports) & (table["mean"] < SERIAL_BLIND_SHARE)].index
    out["accession_formats_without_serial"] = sorted(str(f) for f in blind)
    return out


def _first_reports(rp: pd.DataFrame, confirmed: np.ndarray, target_row: np.ndarray) -> np.ndarray:
    """The reports of ``confirmed`` that are the first (earliest signed, then smallest id) confirmed
    report of their exam: the reports the one-to-one pass decides, whose ties the delay may break
    (a second reading or a corrected report signed later prefers a later exam by its delay)."""
    out = np.zeros(len(confirmed), dtype=bool)
    rows = np.flatnonzero(confirmed)
    if not len(rows):
        return out
    order = np.lexsort((_sort_rank(rp["report_id"].to_numpy(dtype=object)[rows]), _time_key(rp["when"].to_numpy()[rows]),
                        target_row[rows]))
    rows = rows[order]
    exam = target_row[rows]
    out[rows[np.r_[True, exam[1:] != exam[:-1]]]] = True
    return out


def _logistic_fit(x: np.ndarray, y: np.ndarray, iterations: int = 25) -> tuple[float, float]:
    """Intercept and slope of ``P(y) = 1 / (1 + exp(-(a + b x)))`` by Newton's method (a light
    ridge keeps it finite when the classes separate).

    Examples
    --------
    >>> import numpy as np
    >>> a, b = _logistic_fit(np.array([0.0, 0, 1, 1, 2, 2, 3, 3]), np.array([0.0, 1, 0, 1, 1, 1, 1, 1]))
    >>> bool(b > 0)
    True
    """
    design = np.column_stack([np.ones(len(x)), x])
    w = np.zeros(2)
    ridge = 1e-3 * np.eye(2)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ w)))
        grad = design.T @ (y - p) - ridge @ w
        hess = (design * (p * (1 - p))[:, None]).T @ design + ridge
        step = np.linalg.solve(hess, grad)
        w = w + step
        if np.abs(step).max() < 1e-9:
            break
    return float(w[0]), float(w[1])


def _no_ties() -> pd.DataFrame:
    return pd.DataFrame({"report_row": np.zeros(0, dtype=np.int64), "candidates": []})


def _tie_split(report: np.ndarray, other: np.ndarray, day: np.ndarray, level: np.ndarray,
               exam_id: np.ndarray, logit: np.ndarray | None = None, margin: float = TIE_DELAY_MARGIN
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    """The best row of each report and its true ties, on rows ranked best first within each report.

    Two rows tie when nothing but the delay tells them apart (the same score without it),
    neither exam was done after the report, and they are on the same day or their delays
    weigh less than ``margin`` apart (``logit``: the score with the delay; the margin learned
    by :func:`fit_tie_margin`, else :data:`TIE_DELAY_MARGIN`).

    ``report`` is grouped (each report's rows together). Returns ``(best, is_tied, tied_reports,
    candidates)``: the position of each report's first row, whether that report is a true tie,
    the tied reports in order and, for each, the sorted tuple of its tied exam ids.
    """
    n = len(report)
    first = np.ones(n, dtype=bool)
    first[1:] = report[1:] != report[:-1]
    best = np.flatnonzero(first)
    is_tied = np.zeros(len(best), dtype=bool)
    if n == len(best):
        return best, is_tied, np.zeros(0, dtype=np.int64), []
    # The second row of a report is the row after its first, when of the same report.
    has_second = np.zeros(len(best), dtype=bool)
    inner = best + 1 < n
    has_second[inner] = ~first[best[inner] + 1]
    b = best[has_second]
    s = b + 1
    close = (day[b] == day[s]) if logit is None else (
        (day[b] == day[s]) | (np.abs(logit[b] - logit[s]) < margin))
    tie = ((np.abs(other[b] - other[s]) < 1e-9) & close & (level[b] > 0) & (level[s] > 0))
    if not tie.any():
        return best, is_tied, np.zeros(0, dtype=np.int64), []
    is_tied[np.flatnonzero(has_second)[tie]] = True
    group = np.cumsum(first) - 1
    in_tied = is_tied[group]
    rows = np.flatnonzero(in_tied)
    ref = best[group[rows]]
    near = (day[ref] == day[rows]) if logit is None else (
        (day[ref] == day[rows]) | (np.abs(logit[ref] - logit[rows]) < margin))
    same = ((np.abs(other[ref] - other[rows]) < 1e-9) & near & (level[rows] > 0))
    rows, grp = rows[same], group[rows[same]]
    starts = np.flatnonzero(np.r_[True, grp[1:] != grp[:-1]])
    ids = exam_id[rows]
    candidates = [tuple(sorted(ids[a:z])) for a, z in zip(starts, np.r_[starts[1:], len(rows)], strict=True)]
    return best, is_tied, report[best[is_tied]], candidates


def _tie_arrays(ranked: pd.DataFrame) -> tuple:
    return (ranked["report_row"].to_numpy(dtype=np.int64), ranked["other"].to_numpy(dtype=np.float64),
            ranked["day"].to_numpy(), ranked["level"].to_numpy(), ranked["exam_id"].to_numpy(dtype=object),
            ranked["logit"].to_numpy(dtype=np.float64))


def _tied_frame(reports: list, candidates: list) -> pd.DataFrame:
    if not len(reports):
        return _no_ties()
    cands = np.empty(len(candidates), dtype=object)
    cands[:] = candidates
    return pd.DataFrame({"report_row": np.concatenate(reports).astype(np.int64), "candidates": cands})


def _ties(ranked: pd.DataFrame, margin: float = TIE_DELAY_MARGIN) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Best row per report (``ranked`` sorted best first within each report) and the true ties.

    A tie: the second-best exam has the same score without the delay term, is on the
    same day as the best, and neither was done after the report beyond the skew.
    Returns ``(best, tied)``; ``tied`` has ``report_row`` and ``candidates`` (tuple of exam ids).
    """
    best, is_tied, tied_reports, candidates = _tie_split(*_tie_arrays(ranked), margin=margin)
    return ranked.iloc[best[~is_tied]], _tied_frame([tied_reports], candidates)


def _time_key(when: np.ndarray) -> np.ndarray:
    """Times as integers for a sort, missing ones last (a sort's ``na_position="last"``)."""
    when = np.asarray(when, dtype="datetime64[ns]")
    return np.where(np.isnat(when), np.iinfo(np.int64).max, when.view(np.int64))


def _rank(cand: pd.DataFrame) -> pd.DataFrame:
    """Each report's candidates best first: higher score, shorter delay (unknown last), smaller exam id.

    A stable ``np.lexsort`` on numbers (the candidates' exam ids ranked by :func:`_sort_rank`): the order of
    ``sort_values(["report_row", "logit", "hours", "exam_id"], ascending=[True, False, True, True],
    kind="mergesort")``, without its per-key factorisation.
    """
    order = np.lexsort((_sort_rank(cand["exam_id"].to_numpy(dtype=object)), cand["hours"].to_numpy(dtype=np.float64),
                        -cand["logit"].to_numpy(dtype=np.float64), cand["report_row"].to_numpy(dtype=np.int64)))
    return cand.take(order)


def _best_each(cand: pd.DataFrame, margin: float = TIE_DELAY_MARGIN) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each report's best exam (many reports may take one exam), true ties apart."""
    return _ties(_rank(cand), margin)


def _assign(cand: pd.DataFrame, max_rounds: int = 100, margin: float = TIE_DELAY_MARGIN
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One-to-one assignment by rounds of mutual best choices; true ties are set apart.

    A report whose best exams tie waits while other reports and exams still find mutual
    choices (they may take one of its tied exams); it is set apart once none is left.

    Order: higher score, then the shorter delay, then the smaller id (for the
    report's choice); higher score, then the earlier report (for the exam's choice).
    Returns ``(chosen, tied)`` as :func:`_ties`.

    Both orders are sorted once; a round only drops the rows of the reports and exams
    it settled (which keeps both orders) and reads the first rows of each group.
    """
    ranked = _rank(cand)
    r_report, r_other, r_day, r_level, r_exam_id, r_logit = _tie_arrays(ranked)
    r_exam = ranked["exam_row"].to_numpy(dtype=np.int64)
    r_pos = np.arange(len(ranked))  # position in ``ranked``
    # each exam's reports best first: higher score, earlier report (undated last), smaller report id
    by_exam = np.lexsort((_sort_rank(cand["report_id"].to_numpy(dtype=object)), _time_key(cand["when"].to_numpy()),
                          -cand["logit"].to_numpy(dtype=np.float64), cand["exam_row"].to_numpy(dtype=np.int64)))
    e_exam = cand["exam_row"].to_numpy(dtype=np.int64)[by_exam]
    e_report = cand["report_row"].to_numpy(dtype=np.int64)[by_exam]
    n_reports = int(max(r_report.max(initial=-1), e_report.max(initial=-1))) + 1
    n_exams = int(max(r_exam.max(initial=-1), e_exam.max(initial=-1))) + 1
    done_report = np.zeros(n_reports, dtype=bool)
    done_exam = np.zeros(n_exams, dtype=bool)
    exam_choice = np.full(n_exams, -1, dtype=np.int64)
    chosen: list[np.ndarray] = []
    tied_reports: list[np.ndarray] = []
    tied_candidates: list = []
    for _ in range(max_rounds):
        if not len(r_report):
            break
        best, is_tied, t_reports, t_cands = _tie_split(r_report, r_other, r_day, r_level, r_exam_id, r_logit,
                                                       margin)
        e_first = np.ones(len(e_exam), dtype=bool)
        e_first[1:] = e_exam[1:] != e_exam[:-1]
        exam_choice[e_exam[e_first]] = e_report[e_first]
        r_best = best[~is_tied]
        mutual = r_best[exam_choice[r_exam[r_best]] == r_report[r_best]]
        exam_choice[e_exam[e_first]] = -1
        if len(mutual):
            # a tie is only set apart once no mutual choice is left: the exams other reports
            # take may break it (daily films of one patient, each with its report)
            chosen.append(r_pos[mutual])
            done_report[r_report[mutual]] = True
            done_exam[r_exam[mutual]] = True
        elif len(t_reports):
            tied_reports.append(t_reports)
            tied_candidates.extend(t_cands)
            done_report[t_reports] = True
        else:
            break
        keep = ~(done_report[r_report] | done_exam[r_exam])
        r_report, r_other, r_day, r_level, r_exam_id, r_logit, r_exam, r_pos = (
            a[keep] for a in (r_report, r_other, r_day, r_level, r_exam_id, r_logit, r_exam, r_pos))
        keep = ~(done_report[e_report] | done_exam[e_exam])
        e_exam, e_report = e_exam[keep], e_report[keep]
    chosen_frame = (ranked.iloc[np.concatenate(chosen)].reset_index(drop=True) if chosen else cand.iloc[:0])
    return chosen_frame, _tied_frame(tied_reports, tied_candidates)
