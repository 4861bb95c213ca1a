"""Report → exam: one report for the several studies of one request is filed with the first study.

A request is often acquired as several studies minutes apart (both knees, left then right; a
chest then an abdomen-pelvis scan; a PET exported as two studies) and read in **one report**.
The truth contract of every warehouse we know (``data_samples/README.md`` and the open
warehouses' READMEs) files that report with the **first** study; the others have no report of
their own. :func:`~radlink.linkage.report_exam.link_reports_to_exams` already moves a report
it linked to a later study to the first one, and a tied report to the first of studies that its
title names alike. This step takes the reports it still left ``ambiguous`` between such
**siblings** and files them with the first one (only with
``LinkageSettings(tied_reports_to_first_study=True)``: off by default, since on a blind
warehouse whose split studies are not filed by time it did more harm than good), when:

- the candidates are one patient's (exam → patient), of one modality class, done within
  :data:`~radlink.linkage.report_exam.SPLIT_REQUEST_MINUTES` of each other;
- they are **different parts** of the request: each study's region is known (body part, else
  description) and no two share both region and side (:data:`~radlink.linkage.patterns.DESCRIPTION_SIDE_PATTERNS`:
  ``RX GENOU DROIT`` then ``RX GENOU GAUCHE``; a chest then an abdomen-pelvis scan); the same
  part twice (a repeat, or one exam under two descriptions) stays ambiguous;
- the report names no side, both, or the first study's (its title and text opening);
- no other report is linked to a later one of them (the first may hold the request's report
  already: this one is then its addendum or corrected version), and the other reports tied on one of them are tied
  between the very same studies (an addendum or a corrected version of this reading follows it;
  a report tied between other studies makes it no request of its own).

The link says so: method ``first_study_of_request``, evidence ``decision``
``first_study_of_request`` and ``sibling_studies`` (the other studies the report covers, in time
order). Every report stays present exactly once; the sibling studies have no report link (they
are exams, not sources of report → exam links).

The Spark engine does not run this step yet (it would run on the driver on the ambiguous
reports' candidates, the few rows it reads).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from radlink.linkage.child_identity import description_keys
from radlink.linkage.evidence import Evidence, evidence_candidates, evidence_column
from radlink.linkage.patterns import DESCRIPTION_SIDE_PATTERNS, TEXT_SIDE_PATTERNS
from radlink.linkage.report_exam import SPLIT_REQUEST_MINUTES, _exam_region, exam_modality_class

__all__ = ["SIBLING_SCORE", "description_side", "first_study_of_request"]

SIBLING_SCORE = 0.8
"""Score of a report filed with the first study of its request (a tie settled by the truth contract)."""


_SIDES = [(re.compile(p), side) for p, side in DESCRIPTION_SIDE_PATTERNS]


_TEXT_SIDES = [(re.compile(p), side) for p, side in TEXT_SIDE_PATTERNS]


def description_side(values, patterns=None) -> np.ndarray:
    """The side each description names (``left``, ``right``, ``""`` for none or both).

    Examples
    --------
    >>> description_side(["RX GENOU DROIT", "Hanche G", "THORAX", "GENOUX D+G"]).tolist()
    ['right', 'left', '', '']
    """
    keys = description_keys(values)
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object))
    sides = []
    for u in uniques:
        found = {side for rx, side in (patterns or _SIDES) if rx.search(u)}
        sides.append(found.pop() if len(found) == 1 else "")
    return np.array(sides + [""], dtype=object)[codes]




REPORT_SIDE_CHARS = 300
"""The side a report names is read in its title and the opening of its text (its own heading)."""


def _report_sides(reports: pd.DataFrame | None, rows: np.ndarray) -> np.ndarray:
    """The one side the title and text opening of each report at ``rows`` name (``""``: none, or both)."""
    if reports is None or not len(rows):
        return np.full(len(rows), "", dtype=object)
    title = reports["title"].astype(object).to_numpy(dtype=object)[rows] if "title" in reports else None
    text = reports["text"].astype(object).to_numpy(dtype=object)[rows] if "text" in reports else None
    parts = [pd.Series(v, dtype=object).fillna("").astype(str) for v in (title, text) if v is not None]
    if not parts:
        return np.full(len(rows), "", dtype=object)
    if title is None:
        return description_side(parts[0].str.slice(0, REPORT_SIDE_CHARS).to_numpy(dtype=object), _TEXT_SIDES)
    sides = pd.DataFrame({"title": description_side(parts[0].to_numpy(dtype=object))})
    sides["text"] = (description_side(parts[1].str.slice(0, REPORT_SIDE_CHARS).to_numpy(dtype=object), _TEXT_SIDES)
                     if len(parts) > 1 else "")
    # one side named in the title and the text together (a side each, or both in one: none)
    both = (sides["title"] != "") & (sides["text"] != "") & (sides["title"] != sides["text"])
    one = sides["title"].where(sides["title"] != "", sides["text"])
    return np.where(both, "", one).astype(object)


def first_study_of_request(report_exam: pd.DataFrame, exams: pd.DataFrame,
                           exam_patient: pd.DataFrame, reports: pd.DataFrame | None = None) -> pd.DataFrame:
    """``report_exam`` with the reports tied between sibling studies filed with the first (module docstring).

    Parameters
    ----------
    report_exam : pandas.DataFrame
        Report → exam links (``status``, ``target_id``, ``score``, ``method``, ``evidence``).
    exams : pandas.DataFrame
        Canonical exams (``exam_id``, ``study_datetime``, ``modality``, ``study_description``).
    exam_patient : pandas.DataFrame
        Exam → patient links in the row order of ``exams``.
    reports : pandas.DataFrame, optional
        The reports in the row order of ``report_exam`` (``title``, ``text``): a report that names
        one side only, not the first study's, is not filed with the first study.

    Returns
    -------
    pandas.DataFrame
        ``report_exam`` with the settled rows replaced (a copy when any is).

    Examples
    --------
    >>> import pandas as pd
    >>> exams = pd.DataFrame({"exam_id": ["E1", "E2"], "modality": ["DX", "DX"], "body_part": ["KNEE", "KNEE"],
    ...     "study_datetime": pd.to_datetime(["2024-01-02 10:03", "2024-01-02 10:00"]),
    ...     "study_description": ["RX GENOU GAUCHE", "RX GENOU DROIT"]})
    >>> ep = pd.DataFrame({"status": ["linked", "linked"], "target_id": ["P1", "P1"]})
    >>> re_ = pd.DataFrame({"source_id": ["R1"], "status": ["ambiguous"], "target_id": [None], "score": [0.5],
    ...     "method": ["patient_time_modality"], "evidence": ['{"decision":"ambiguous","candidates":["E1","E2"]}']})
    >>> out = first_study_of_request(re_, exams, ep)
    >>> out[["status", "target_id", "method"]].values.tolist()
    [['linked', 'E2', 'first_study_of_request']]
    >>> out.loc[0, "evidence"]
    '{"decision":"first_study_of_request","sibling_studies":["E1"]}'
    """
    status = report_exam["status"].to_numpy(dtype=object)
    amb = np.flatnonzero(status == "ambiguous")
    if not len(amb) or not len(exams):
        return report_exam
    cands = evidence_candidates(report_exam["evidence"].to_numpy(dtype=object)[amb])
    sizes = np.fromiter((len(c) for c in cands), dtype=np.int64, count=len(cands))
    if not (sizes > 1).any():
        return report_exam
    pairs = pd.DataFrame({"r": np.repeat(amb, sizes), "exam_id": [e for c in cands for e in c]})
    index = pd.Index(exams["exam_id"].to_numpy(dtype=object), dtype=object)
    pairs["row"] = index.get_indexer(pd.Index(pairs["exam_id"].to_numpy(dtype=object), dtype=object))
    # each candidate's only report is this one: not linked by another report, not in another tie
    linked_to = report_exam["target_id"].to_numpy(dtype=object)[status == "linked"]
    taken = pd.Index(linked_to, dtype=object).unique()
    # reports tied between the very same studies are one reading and its versions (corrected, addendum)
    tie_set = pd.Series([tuple(sorted(c)) for c in cands], dtype=object)
    pairs["set"] = pd.factorize(np.repeat(tie_set.to_numpy(dtype=object), sizes))[0]
    in_ties = pairs.groupby("exam_id")["set"].transform("nunique").to_numpy()
    pairs["taken"] = pairs["exam_id"].isin(taken).to_numpy()
    pairs["free"] = (pairs["row"].to_numpy() >= 0) & (in_ties == 1)
    rows = np.maximum(pairs["row"].to_numpy(dtype=np.int64), 0)
    sub = exams.iloc[rows]
    pairs["when"] = pd.to_datetime(sub["study_datetime"]).to_numpy(dtype="datetime64[ns]")
    pairs["cls"] = exam_modality_class(sub["modality"].astype(object).reset_index(drop=True),
                                       sub["study_description"].astype(object).reset_index(drop=True)).to_numpy(
        dtype=object)
    region = _exam_region(sub["body_part"].astype(object).reset_index(drop=True) if "body_part" in sub
                          else pd.Series([None] * len(sub), dtype=object),
                          sub["study_description"].astype(object).reset_index(drop=True)).to_numpy(dtype=object)
    side = description_side(sub["study_description"].to_numpy(dtype=object))
    pairs["desc"] = np.where(pd.isna(region), None, pd.Series(region, dtype=object).astype(str) + "/" + side)
    ep_status = exam_patient["status"].to_numpy(dtype=object)[rows]
    pairs["patient"] = np.where(ep_status == "linked", exam_patient["target_id"].to_numpy(dtype=object)[rows], None)
    # the first study may hold the request's report already (this one is its addendum or corrected
    # version); a later study taken by another report makes the studies no request of one report
    pairs = pairs.sort_values(["r", "when", "exam_id"], kind="mergesort")
    later = pairs.duplicated("r", keep="first").to_numpy()
    pairs["free"] = pairs["free"].to_numpy() & ~(later & pairs["taken"].to_numpy())
    pairs["cls_missing"] = pairs["cls"].isna().to_numpy()
    pairs["no_patient"] = pairs["patient"].isna().to_numpy()
    pairs["desc_missing"] = pairs["desc"].isna().to_numpy()
    g = pairs.groupby("r", sort=True)  # built-in aggregations only: no Python call per report
    per = g.agg(free=("free", "all"), first=("when", "min"), last=("when", "max"), n=("exam_id", "size"),
                classes=("cls", "nunique"), cls_missing=("cls_missing", "any"),
                patients=("patient", "nunique"), no_patient=("no_patient", "any"),
                descs=("desc", "nunique"), desc_missing=("desc_missing", "any"))
    window = pd.Timedelta(minutes=SPLIT_REQUEST_MINUTES)
    ok = per[per["free"] & (per["last"] - per["first"] <= window) & (per["classes"] == 1) & ~per["cls_missing"]
             & (per["patients"] == 1) & ~per["no_patient"] & (per["descs"] == per["n"]) & ~per["desc_missing"]]
    if not len(ok):
        return report_exam
    chosen = pairs[pairs["r"].isin(ok.index)].sort_values(["r", "when", "exam_id"], kind="mergesort")
    first = chosen.drop_duplicates("r")
    # a report naming one side only, the other study's, is no report of the whole request
    named = _report_sides(reports, first["r"].to_numpy(dtype=np.int64))
    first_side = description_side(exams["study_description"].to_numpy(dtype=object)[
        np.maximum(first["row"].to_numpy(dtype=np.int64), 0)])
    keep = (named == "") | (named == first_side)
    first = first[keep]
    chosen = chosen[chosen["r"].isin(first["r"])]
    if not len(first):
        return report_exam
    others = chosen[~chosen.index.isin(first.index)].groupby("r", sort=True)["exam_id"].agg(tuple)
    settled = first["r"].to_numpy(dtype=np.int64)
    out = report_exam.copy()
    new_status = out["status"].to_numpy(dtype=object).copy()
    target = out["target_id"].to_numpy(dtype=object).copy()
    score = out["score"].to_numpy(dtype=np.float64).copy()
    method = out["method"].to_numpy(dtype=object).copy()
    new_status[settled], target[settled] = "linked", first["exam_id"].to_numpy(dtype=object)
    score[settled], method[settled] = SIBLING_SCORE, "first_study_of_request"
    siblings = np.empty(len(settled), dtype=object)
    siblings[:] = list(others.reindex(settled).to_numpy())
    text = evidence_column(len(out), [Evidence(settled, {"decision": "first_study_of_request",
                                                         "sibling_studies": siblings})])
    ev = out["evidence"].to_numpy(dtype=object).copy()
    ev[settled] = text[settled]
    for col, values in (("status", new_status), ("target_id", target), ("method", method), ("evidence", ev)):
        out[col] = pd.Series(values, index=out.index, dtype=object)
    out["score"] = score
    return out
