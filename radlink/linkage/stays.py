"""Exam → stay and report → stay: interval containment with tolerance.

A record (exam or report) belongs to a stay of its (resolved) patient when its time
falls inside the stay's interval, widened by a tolerance (an emergency-room exam a few
hours before admission belongs to the admission). The order of decision:

1. ``carried_stay_id``: the record carries a stay id, that stay is the resolved
   patient's and its widened interval holds the record's time;
2. ``interval_containment``: the most specific (shortest) stay whose interval holds the
   time (see *nested stays* below); ties on duration go to the latest start, then the smallest stay id;
3. ``interval_tolerance``: the same among stays whose *widened* interval holds it;
4. otherwise ``unlinked`` (an outpatient exam between stays is not an error).

Reports first inherit their exam's stay (:func:`link_reports_to_stays`), the issue's
"a report may inherit its exam's stay".

**Nested stays** (a consultation or an emergency passage inside a hospitalisation): a
carried stay id decides; without one, the exam goes to the *innermost* stay holding its
time (:attr:`LinkageSettings.nested_stays`, ``"innermost"``). The warehouses disagree:
``benchmarks/warehouse3`` (and warehouse4) give the nested consultation the exams done
during it, ``benchmarks/warehouse2`` says a nested consultation "never owns the
hospitalisation's exams", but its exams generated from the consultation are the
consultation's. Time alone cannot tell those two apart, and the innermost stay is the
more plausible reading: a hospitalisation's exams spread over days, so one that falls
inside a half-hour consultation is far likelier that consultation's own. Measured on the
development sets (exams inside a nested consultation, without a carried id): warehouse3
chu 16 of 16 the consultation's, warehouse2 4 of 5. Exams that carry an id show the
same: chu 26 of 26 carry the nested visit's id, warehouse2 (every profile) 21 of 26. A
warehouse that books every exam under the enclosing stay sets
``LinkageSettings(nested_stays="enclosing")``.

Everything is one merge of records with their patient's stays, then numpy: a patient
has a handful of stays, so the cost is linear.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.errors import LinkageInputError
from radlink.linkage.evidence import Evidence, evidence_column
from radlink.linkage.frames import object_column, object_frame, sort_rank
from radlink.linkage.settings import LinkageSettings
from radlink.linkage.stamp_days import on_stamp_days, without_stamps
from radlink.linkage.stay_margins import stay_margins_of
from radlink.tables import none_for_missing

__all__ = ["link_to_stays", "link_exams_to_stays", "link_reports_to_stays", "report_stay_windows"]


def link_to_stays(
    records: pd.DataFrame,
    stays: pd.DataFrame,
    *,
    source_type: str,
    settings: LinkageSettings | None = None,
) -> pd.DataFrame:
    """One ``links`` row per record with ``target_type == "stay"``.

    Parameters
    ----------
    records : pandas.DataFrame
        Columns ``source_id``, ``patient_id`` (resolved; null when unknown), ``when``
        (datetime) and ``carried_stay_id`` (may be null).
    stays : pandas.DataFrame
        Canonical stays table.
    source_type : {"exam", "report"}
    settings : LinkageSettings, optional

    Returns
    -------
    pandas.DataFrame
        The ``links`` columns.

    Examples
    --------
    >>> import pandas as pd
    >>> stays = pd.DataFrame({"stay_id": ["S1", "S2"], "patient_id": ["P1", "P1"],
    ...     "start_datetime": pd.to_datetime(["2020-01-01 10:00", "2020-01-03 09:00"]),
    ...     "end_datetime": pd.to_datetime(["2020-01-10 12:00", "2020-01-03 10:00"])})
    >>> recs = pd.DataFrame({"source_id": ["E1", "E2", "E3"], "patient_id": ["P1", "P1", "P1"],
    ...     "when": pd.to_datetime(["2020-01-03 09:30", "2020-01-01 06:00", "2020-03-01 00:00"]), "carried_stay_id": [None] * 3})
    >>> link_to_stays(recs, stays, source_type="exam")[["target_id", "status", "method"]].values.tolist()
    [['S2', 'linked', 'interval_containment'], ['S1', 'linked', 'interval_tolerance'], [None, 'unlinked', 'interval_containment']]
    """
    links, evidence = _stay_links(records, stays, source_type=source_type, settings=settings)
    links["evidence"] = object_column(evidence_column(len(links), evidence), links.index)
    return none_for_missing(links)


def _stay_links(
    records: pd.DataFrame,
    stays: pd.DataFrame,
    *,
    source_type: str,
    settings: LinkageSettings | None = None,
) -> tuple[pd.DataFrame, list[Evidence]]:
    """:func:`link_to_stays` with its evidence as values (``evidence`` column left empty)."""
    settings = settings or LinkageSettings()
    n = len(records)
    target = np.full(n, None, dtype=object)
    status = np.full(n, "unlinked", dtype=object)
    score = np.zeros(n, dtype=np.float64)
    method = np.full(n, "interval_containment", dtype=object)
    reason = np.full(n, "no stay of the patient holds the time", dtype=object)
    patient_id = records["patient_id"].to_numpy(dtype=object)
    when = pd.to_datetime(records["when"]).to_numpy()
    carried_id = records["carried_stay_id"].to_numpy(dtype=object)
    reason[pd.isna(patient_id)] = "patient not resolved"
    reason[np.isnat(when)] = "no date"
    types = stays["stay_type"].to_numpy(dtype=object) if "stay_type" in stays else np.full(len(stays), None)
    before_h, after_h = stay_margins_of(types, settings.stay_margins, settings)
    if source_type == "report":  # a report is signed after its exam: its lag is not the exam's
        after_h = np.full(len(after_h), settings.stay_tolerance_after_hours)
    st_end = pd.to_datetime(stays["end_datetime"]).to_numpy(dtype="datetime64[ns]")
    # A stay still open (no end) lasts until its start plus the settings' after-tolerance.
    after_h = np.where(np.isnat(st_end), settings.stay_tolerance_after_hours, after_h)
    st_before = (np.round(before_h * 3600.0).astype(np.int64) * 1_000_000_000).astype("timedelta64[ns]")
    st_after = (np.round(after_h * 3600.0).astype(np.int64) * 1_000_000_000).astype("timedelta64[ns]")
    st_patient = stays["patient_id"].to_numpy(dtype=object)
    st_start = pd.to_datetime(stays["start_datetime"]).to_numpy()
    keep = pd.notna(st_patient) & ~np.isnat(st_start)
    st_id = stays["stay_id"].to_numpy(dtype=object)[keep]
    st_patient, st_start, st_end = st_patient[keep], st_start[keep], st_end[keep]
    st_before, st_after = st_before[keep], st_after[keep]
    st_end = np.where(np.isnat(st_end), st_start, st_end)
    st_rank = sort_rank(st_id)  # stay ids ranked as sorted strings, nulls last (the order of a sort on the ids)
    dated = np.flatnonzero(pd.notna(patient_id) & ~np.isnat(when))
    ri, si = _same_patient_rows(patient_id[dated], st_patient)
    ri = dated[ri]
    if len(ri):
        t, s, e = when[ri], st_start[si], st_end[si]
        near = (t >= s - st_before[si]) & (t <= e + st_after[si])
        ri, si, t, s, e = ri[near], si[near], t[near], s[near], e[near]
        inside = (t >= s) & (t <= e)
        carried_match = carried_id[ri] == st_id[si]
        duration = pd.TimedeltaIndex(e - s).total_seconds().to_numpy(dtype=np.float64)
        # Order: carried first, then inside, then shortest, latest start, smallest id (a stable
        # numpy lexsort on numbers: what sort_values does with these keys).
        if settings.nested_stays == "enclosing":
            duration = -duration
        elif settings.nested_stays != "innermost":
            raise LinkageInputError(f"LinkageSettings.nested_stays must be 'innermost' or 'enclosing', "
                             f"not {settings.nested_stays!r}")
        order = np.lexsort((st_rank[si], -s.astype("datetime64[ns]").view(np.int64), duration, ~inside,
                            ~carried_match, ri))
        ri, si, inside, carried_match = ri[order], si[order], inside[order], carried_match[order]
        first = np.ones(len(ri), dtype=bool)
        first[1:] = ri[1:] != ri[:-1]
        rows = ri[first]
        target[rows] = st_id[si[first]]
        status[rows] = "linked"
        carried = carried_match[first]
        inside_b = inside[first]
        method[rows] = np.where(carried, "carried_stay_id",
                                np.where(inside_b, "interval_containment", "interval_tolerance"))
        score[rows] = np.where(carried | inside_b, 0.99, 0.9)
        n_cand = np.bincount(ri, minlength=n)[rows]
        reason[rows] = None
        linked_evidence = [Evidence(rows, {
            "decision": method[rows],
            "inside_interval": inside_b,
            "carried_stay_id_agrees": carried,
            "candidate_stays": n_cand.astype(np.int64),
        })]
    else:
        linked_evidence = []
    un = np.flatnonzero(status != "linked")
    carried_given = pd.notna(carried_id)
    evidence = [Evidence(un, {
        "decision": "unlinked",
        "reason": reason[un],
        "carried_stay_id_rejected": carried_given[un],
    }), *linked_evidence]
    return object_frame({
        "source_type": source_type,
        "source_id": records["source_id"].to_numpy(dtype=object),
        "target_type": "stay",
        "target_id": target,
        "status": status,
        "score": score,
        "method": method,
        "evidence": np.full(n, None, dtype=object),
    }), evidence


def _same_patient(rec: pd.DataFrame, st: pd.DataFrame) -> pd.DataFrame:
    """Every (record, stay) pair of the same patient: ``rec``'s columns then ``st``'s but ``patient_id``.

    The inner join ``rec.merge(st, on="patient_id")`` in numpy (stays sorted by patient
    once, each record finds its run by binary search): records in their order, each
    one's stays in theirs.

    Examples
    --------
    >>> import pandas as pd
    >>> rec = pd.DataFrame({"rec_row": [0, 1, 2], "patient_id": ["A", "B", "C"]})
    >>> st = pd.DataFrame({"stay_id": ["S1", "S2", "S3"], "patient_id": ["B", "A", "B"]})
    >>> _same_patient(rec, st).values.tolist()
    [[0, 'A', 'S2'], [1, 'B', 'S1'], [1, 'B', 'S3']]
    """
    ri, si = _same_patient_rows(rec["patient_id"].to_numpy(dtype=object), st["patient_id"].to_numpy(dtype=object))
    columns = {c: rec[c].to_numpy()[ri] for c in rec.columns}
    columns.update({c: st[c].to_numpy()[si] for c in st.columns if c != "patient_id"})
    return object_frame(columns)


def _same_patient_rows(rec_patient: np.ndarray, st_patient: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions (record, stay) of :func:`_same_patient`'s pairs, records in their order.

    Examples
    --------
    >>> import numpy as np
    >>> ri, si = _same_patient_rows(np.array(["A", "B", None], dtype=object), np.array(["B", "A", "B"], dtype=object))
    >>> ri.tolist(), si.tolist()
    ([0, 1, 1], [1, 0, 2])
    """
    codes, _ = pd.factorize(pd.Series(np.concatenate([rec_patient, st_patient]), dtype=object))
    r_code, s_code = codes[:len(rec_patient)], codes[len(rec_patient):]
    order = np.argsort(s_code, kind="stable")
    lo = np.searchsorted(s_code[order], r_code, side="left")
    size = np.searchsorted(s_code[order], r_code, side="right") - lo
    size[r_code < 0] = 0  # a null patient has no stay
    total = int(size.sum())
    ri = np.repeat(np.arange(len(rec_patient)), size)
    si = order[np.repeat(lo - np.cumsum(size) + size, size) + np.arange(total, dtype=np.int64)]
    return ri, si


def replace_rows(block: Evidence, keep: np.ndarray) -> Evidence:
    """``block`` restricted to the rows where ``keep`` is true (another block now speaks for the others)."""
    rows = np.asarray(block.rows)
    sel = keep[rows] if len(rows) else np.zeros(0, dtype=bool)

    def cut(fields):
        return {k: (v if np.ndim(v) == 0 or isinstance(v, tuple) else np.asarray(v)[sel]) for k, v in fields.items()}

    return Evidence(rows[sel], cut(block.fields), cut(block.then))


def _settle(out: pd.DataFrame, rows: np.ndarray, target, status: str, score: float, method: str) -> None:
    """Record one decision for the selected links rows (evidence is written apart)."""
    out.loc[rows, "target_id"] = target
    out.loc[rows, "status"] = status
    out.loc[rows, "score"] = score
    out.loc[rows, "method"] = method


def link_exams_to_stays(exams: pd.DataFrame, exam_patient: pd.DataFrame, stays: pd.DataFrame,
                        settings: LinkageSettings | None = None) -> pd.DataFrame:
    """Exam → stay links, given the exam → patient links (same row order as ``exams``)."""
    patient = np.where(exam_patient["status"].to_numpy() == "linked",
                       exam_patient["target_id"].to_numpy(dtype=object), None)
    records = object_frame({
        "source_id": exams["exam_id"].to_numpy(dtype=object),
        "patient_id": patient,
        "when": exams["study_datetime"].to_numpy(),
        "carried_stay_id": exams["stay_id"].to_numpy(dtype=object),
    })
    return link_to_stays(records, stays, source_type="exam", settings=settings)


def link_reports_to_stays(
    reports: pd.DataFrame,
    report_exam: pd.DataFrame,
    exam_stay: pd.DataFrame,
    report_patient: np.ndarray,
    stays: pd.DataFrame,
    settings: LinkageSettings | None = None,
    *,
    exam_rows: np.ndarray | None = None,
) -> pd.DataFrame:
    """Report → stay links: the linked exam's stay, else the report's own time and stay id.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical reports.
    report_exam : pandas.DataFrame
        Report → exam links, same row order as ``reports``.
    exam_stay : pandas.DataFrame
        Exam → stay links (any order).
    report_patient : ndarray
        Resolved patient of each report (its exam's patient, else its own ``patient_id``).
    exam_rows : ndarray, optional
        The row in ``exam_stay`` of each report's linked exam (-1 when none), when the
        caller has it; otherwise found from the exam ids.
    """
    linked_exam = np.where(report_exam["status"].to_numpy() == "linked",
                           report_exam["target_id"].to_numpy(dtype=object), None)
    # Each report's exam row in exam_stay, looked up once (as Series.reindex: NaN when none).
    if exam_rows is None:
        at = pd.Index(exam_stay["source_id"].to_numpy(dtype=object), dtype=object).get_indexer(pd.Index(linked_exam, dtype=object))
    else:
        at = np.where(pd.notna(linked_exam), np.asarray(exam_rows, dtype=np.int64), -1)
    missing = at < 0

    def of_exam(column: str, dtype=object) -> np.ndarray:
        values = np.full(len(at), np.nan, dtype=dtype)
        values[~missing] = exam_stay[column].to_numpy(dtype=dtype)[at[~missing]]
        return values

    via = of_exam("target_id")
    via_status = of_exam("status")
    has_exam = pd.notna(linked_exam)
    inherit = has_exam & (via_status == "linked")
    # Only the reports without a linked exam are placed by their own time and stay id.
    alone = np.flatnonzero(~has_exam)
    when = pd.to_datetime(reports["report_datetime"]).to_numpy()[alone]
    if settings is not None and settings.report_stamp_days:  # an import's stamp places no report in a stay
        when = without_stamps(when, on_stamp_days(when, settings.report_stamp_days))
    own, own_evidence = _stay_links(object_frame({
        "source_id": reports["report_id"].to_numpy(dtype=object)[alone],
        "patient_id": np.asarray(report_patient, dtype=object)[alone],
        "when": when,
        "carried_stay_id": reports["stay_id"].to_numpy(dtype=object)[alone],
    }), stays, source_type="report", settings=settings)
    n = len(reports)
    out = object_frame({
        "source_type": "report",
        "source_id": reports["report_id"].to_numpy(dtype=object),
        "target_type": "stay",
        "target_id": np.full(n, None, dtype=object),
        "status": np.full(n, "unlinked", dtype=object),
        "score": np.zeros(n, dtype=np.float64),
        "method": np.full(n, "inherited_from_exam", dtype=object),
        "evidence": np.full(n, None, dtype=object),
    })
    for col in ("target_id", "status", "score", "method"):
        values = out[col].to_numpy().copy()
        values[alone] = own[col].to_numpy()
        out[col] = object_column(values, out.index)  # text stays object (no pandas 3 str round trip)
    out.loc[inherit, "target_id"] = via[inherit]
    out.loc[inherit, "status"] = "linked"
    out.loc[inherit, "method"] = "inherited_from_exam"
    out.loc[inherit, "score"] = of_exam("score", np.float64)[inherit]
    inherited = Evidence(np.flatnonzero(inherit), {
        "decision": "inherited_from_exam",
        "exam_id": linked_exam[inherit],
        "exam_stay_method": of_exam("method")[inherit],
    })
    # The linked exam is outside every stay: so is its report (its own date is later).
    no_stay = has_exam & (via_status != "linked")
    _settle(out, no_stay, None, "unlinked", 0.0, "inherited_from_exam")
    outside = Evidence(np.flatnonzero(no_stay), {
        "decision": "unlinked",
        "reason": "the report's exam belongs to no stay",
        "exam_id": linked_exam[no_stay],
    })
    own_evidence = [block.at(alone) for block in own_evidence]
    # An ambiguous report whose candidate exams all belong to one stay (or all to none)
    # belongs there too: which of the two it describes does not change its stay.
    agreed_rows, agreed_stay = _candidates_agree(report_exam, exam_stay)
    in_stay = pd.notna(agreed_stay)
    _settle(out, agreed_rows[in_stay], agreed_stay[in_stay], "linked", 0.95, "candidate_exams_agree")
    _settle(out, agreed_rows[~in_stay], None, "unlinked", 0.0, "candidate_exams_agree")
    agreed = np.zeros(n, dtype=bool)
    agreed[agreed_rows] = True
    agreed_block = Evidence(agreed_rows, {
        "decision": np.where(in_stay, "candidate_exams_agree", "unlinked").astype(object),
        "reason": np.where(in_stay, "the report's candidate exams all belong to this stay",
                           "the report's candidate exams belong to no stay").astype(object),
    })
    # A report that carries a stay of its patient is placed there on its own evidence when
    # its exam gives no stay (no exam, or an exam outside every stay): signed days later,
    # its own date would fall after the discharge.
    carried_id = reports["stay_id"].to_numpy(dtype=object)
    stay_patient = stays.drop_duplicates("stay_id").set_index("stay_id")["patient_id"]
    carried_patient = stay_patient.reindex(pd.Index(carried_id, dtype=object)).to_numpy(dtype=object)
    own_carried = (pd.notna(carried_id) & pd.notna(carried_patient)
                   & (carried_patient == np.asarray(report_patient, dtype=object))
                   & ~inherit & (out["status"].to_numpy() != "linked"))
    _settle(out, own_carried, carried_id[own_carried], "linked", 0.95, "carried_stay_id")
    carried_block = Evidence(np.flatnonzero(own_carried), {
        "decision": "carried_stay_id",
        "reason": "the report carries a stay of its patient; its exam gives none",
        "exam_id": linked_exam[own_carried],
    })
    blocks = [replace_rows(b, ~agreed) for b in (*own_evidence, inherited, outside)] + [agreed_block]
    keep = ~own_carried
    blocks = [replace_rows(b, keep) for b in blocks] + [carried_block]
    out["evidence"] = object_column(evidence_column(n, blocks), out.index)
    return none_for_missing(out)


def _candidates_agree(report_exam: pd.DataFrame, exam_stay: pd.DataFrame) -> tuple[np.ndarray, object]:
    """Ambiguous reports whose candidate exams (their evidence's ``candidates``) share one stay, or none.

    Returns the report rows and the shared stay of each (None: the candidates are in no stay).

    Examples
    --------
    >>> import pandas as pd
    >>> re_ = pd.DataFrame({"status": ["ambiguous", "ambiguous", "linked"],
    ...     "evidence": ['{"candidates":["E1","E2"]}', '{"candidates":["E1","E3"]}', "{}"]})
    >>> es = pd.DataFrame({"source_id": ["E1", "E2", "E3"], "target_id": ["S1", "S1", None],
    ...                    "status": ["linked", "linked", "unlinked"]})
    >>> rows, stay = _candidates_agree(re_, es)
    >>> rows.tolist(), stay.tolist()
    ([0], ['S1'])
    """
    import json

    amb = np.flatnonzero(report_exam["status"].to_numpy(dtype=object) == "ambiguous")
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object))
    if not len(amb):
        return none
    lists = [json.loads(e).get("candidates") or [] if isinstance(e, str) else []
             for e in report_exam["evidence"].to_numpy(dtype=object)[amb]]
    sizes = np.array([len(c) for c in lists], dtype=np.int64)
    if not sizes.sum():
        return none
    ids = np.array([i for c in lists for i in c], dtype=object)
    at = pd.Index(exam_stay["source_id"].to_numpy(dtype=object), dtype=object).get_indexer(pd.Index(ids, dtype=object))
    linked = np.zeros(len(ids), dtype=bool)
    linked[at >= 0] = exam_stay["status"].to_numpy(dtype=object)[at[at >= 0]] == "linked"
    stay = np.full(len(ids), "", dtype=object)  # "" for no stay: one value among the candidates' stays
    stay[linked] = exam_stay["target_id"].to_numpy(dtype=object)[at[linked]]
    group = np.repeat(np.arange(len(amb)), sizes)
    frame = pd.DataFrame({"group": group, "stay": stay, "found": at >= 0})
    per = frame.groupby("group", sort=True).agg(n=("stay", "nunique"), found=("found", "all"), stay=("stay", "first"))
    ok = (per["n"].to_numpy() == 1) & per["found"].to_numpy()
    rows = amb[per.index.to_numpy()[ok]]
    shared = per["stay"].to_numpy(dtype=object)[ok]
    return rows, np.where(shared == "", None, shared)


def report_stay_windows(reports: pd.DataFrame, stays: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of the stay each report carries (NaT without one, or when the stay is unknown).

    Examples
    --------
    >>> import pandas as pd
    >>> stays = pd.DataFrame({"stay_id": ["S1"], "start_datetime": pd.to_datetime(["2021-03-01 08:00"]),
    ...                       "end_datetime": pd.to_datetime(["2021-03-02 10:00"])})
    >>> start, end = report_stay_windows(pd.DataFrame({"stay_id": ["S1", None]}), stays)
    >>> [str(x)[:16] for x in end]
    ['2021-03-02T10:00', 'NaT']
    """
    known = stays.drop_duplicates("stay_id").set_index("stay_id")
    ids = reports["stay_id"].to_numpy(dtype=object)
    start = pd.to_datetime(known["start_datetime"]).reindex(ids).to_numpy(dtype="datetime64[ns]")
    end = pd.to_datetime(known["end_datetime"]).reindex(ids).to_numpy(dtype="datetime64[ns]")
    return start, end
