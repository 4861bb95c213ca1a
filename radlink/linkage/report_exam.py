"""Report → exam: which exam each report describes.

Decision order:

1. ``accession_number``: report and exam carry the same accession number, and it is
   checked: the exam's resolved patient is the report's (or either is unknown) and the
   report is dated within the modality's window after the study.
2. ``patient_time_modality``: among the exams of the report's patient (the exam's
   *resolved* patient, after re-attachment), those dated before the report within the
   modality's window (:attr:`LinkageSettings.report_windows_hours`) are scored by
   modality class and region compatibility between the report **title** and the DICOM
   modality / study description / body part (:mod:`radlink.linkage.patterns`; no NLP
   needed), and by closeness in time. A one-to-one assignment inside each patient is
   made by *mutual-best rounds* (the greedy assignment on a strict total order): a
   pair is kept when the exam is the report's best and the report is the exam's best;
   ties break on the smaller time gap, then the smaller exam id, then report id.

Scores are logistic in a sum of documented log-odds terms (see :data:`WEIGHTS`). The
evidence says how many candidates were ``equally_compatible`` with the chosen exam and,
when more than one, that the ``tie_rule`` (first in, first out) decided. Links are not
marked ``ambiguous`` for such ties: guessing in dictation order is right more often than
not, and an ``ambiguous`` row would only turn a likely true link into a missed one.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from radlink.linkage.evidence import Evidence, evidence_column
from radlink.linkage.normalize import strip_accents
from radlink.linkage.patterns import (
    COMPATIBLE_REGIONS,
    MODALITY_CLASS_OF_CODE,
    MODALITY_CLASS_PATTERNS,
    REGION_OF_BODY_PART,
    REGION_PATTERNS,
    TRACER_PATTERNS,
)
from radlink.linkage.settings import LinkageSettings
from radlink.tables import none_for_missing

__all__ = ["WEIGHTS", "modality_class_of_text", "exam_modality_class", "region_of_text",
           "tracer_of_text", "link_reports_to_exams"]

WEIGHTS: dict[str, float] = {
    "base": 1.0,            # an exam of the patient before the report, inside the window
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
}
"""Log-odds terms of the report→exam score (hand-set; the floors in tests hold them).

Time enters as a window, not a weight: reports are dictated in the order exams are
done, so among equally compatible exams the tie rule is first-in, first-out (the
report takes the earliest unclaimed exam, the exam the earliest report), which keeps
the assignment order-preserving; a nearest-in-time rule would cross two same-day
chest X-rays whenever the second exam is read first.
"""


def _classify(text: pd.Series, patterns: tuple[tuple[str, str], ...]) -> pd.Series:
    """First matching code per text (on distinct values), ``None`` when none matches."""
    text = text.astype(object)
    out = pd.Series([None] * len(text), index=text.index, dtype=object)
    ok = text.notna().to_numpy()
    if not ok.any():
        return out
    codes, uniques = pd.factorize(text[ok])
    u = strip_accents(pd.Series(uniques, dtype=object)).str.upper().str.replace(r"[^A-Z0-9 ]", " ", regex=True)
    res = pd.Series([None] * len(u), dtype=object)
    for pattern, code in patterns:
        hit = res.isna() & u.str.contains(pattern, regex=True, flags=re.IGNORECASE)
        res[hit] = code
    full = np.full(len(text), None, dtype=object)
    full[ok] = none_for_missing(res).to_numpy()[codes]
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


_TRACER_RE = re.compile("|".join(f"(?P<{code}>{pattern})" for pattern, code in TRACER_PATTERNS), re.IGNORECASE)


def tracer_of_text(text: pd.Series, max_chars: int = 3000) -> pd.Series:
    """Radiotracer named first in a text (``"FDG"``, ``"CHOLINE"``...), ``None`` when none.

    One combined regular expression, case-insensitive, over the first ``max_chars``
    characters (the technique paragraph); accents need no stripping since tracer names
    are written in ASCII (``18F-FDG``, ``fluorocholine``).

    Examples
    --------
    >>> import pandas as pd
    >>> tracer_of_text(pd.Series(["TEP-TDM 18F-FLUOROCHOLINE", "injection de 250 MBq de 18F-FDG", "IRM"])).tolist()
    ['CHOLINE', 'FDG', None]
    """
    def first(value):
        if not isinstance(value, str):
            return None
        match = _TRACER_RE.search(value, 0, max_chars)
        return match.lastgroup if match else None

    return pd.Series([first(v) for v in text], index=text.index, dtype=object)


def _exam_region(body_part: pd.Series, description: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(body_part.astype(object))
    mapped = np.array([REGION_OF_BODY_PART.get(str(v).strip().upper()) for v in uniques] + [None], dtype=object)
    out = pd.Series(mapped[codes], index=body_part.index, dtype=object)
    desc = region_of_text(description)
    # The description is more specific than the body part for TAP vs CHEST.
    return desc.where(desc.notna(), out).astype(object)


def _window_hours(modality: pd.Series, settings: LinkageSettings) -> np.ndarray:
    codes, uniques = pd.factorize(modality.astype(object))
    hours = np.array([settings.report_window(u) for u in uniques] + [settings.report_window(None)])
    return hours[codes]


def link_reports_to_exams(
    reports: pd.DataFrame,
    exams: pd.DataFrame,
    exam_patient: pd.DataFrame,
    *,
    settings: LinkageSettings | None = None,
    report_patient: np.ndarray | None = None,
) -> pd.DataFrame:
    """One ``links`` row per report with ``target_type == "exam"``.

    Parameters
    ----------
    reports, exams : pandas.DataFrame
        Canonical tables.
    exam_patient : pandas.DataFrame
        Exam → patient links in the row order of ``exams``.
    settings : LinkageSettings, optional
    report_patient : ndarray, optional
        The patient of each report when known better than its ``patient_id`` column
        (e.g. from the stay it carries); defaults to ``reports["patient_id"]``.

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
    ...     "report_datetime": ["2020-01-01 12:00", "2020-01-02 08:00"],
    ...     "title": ["Scanner thoracique", "TEP-TDM"], "text": ["...", "..."]}), "reports")
    >>> link_reports_to_exams(reports, exams, ep)[["source_id", "target_id", "method"]].values.tolist()
    [['R1', 'E2', 'patient_time_modality'], ['R2', 'E1', 'patient_time_modality']]
    """
    settings = settings or LinkageSettings()
    n = len(reports)
    target = np.full(n, None, dtype=object)
    status = np.full(n, "unlinked", dtype=object)
    score = np.zeros(n, dtype=np.float64)
    method = np.full(n, "patient_time_modality", dtype=object)
    evidence: list[Evidence] = []

    ex = pd.DataFrame({
        "exam_row": np.arange(len(exams)),
        "exam_id": exams["exam_id"].to_numpy(dtype=object),
        "patient_id": np.where(exam_patient["status"].to_numpy() == "linked",
                               exam_patient["target_id"].to_numpy(dtype=object), None),
        "study": pd.to_datetime(exams["study_datetime"]).to_numpy(),
        "accession": exams["accession_number"].to_numpy(dtype=object),
        "mclass": exam_modality_class(exams["modality"], exams["study_description"]).to_numpy(dtype=object),
        "region": _exam_region(exams["body_part"], exams["study_description"]).to_numpy(dtype=object),
        "window": _window_hours(exams["modality"], settings),
    })
    rp = pd.DataFrame({
        "report_row": np.arange(n),
        "report_id": reports["report_id"].to_numpy(dtype=object),
        "patient_id": (reports["patient_id"].to_numpy(dtype=object) if report_patient is None
                       else np.asarray(report_patient, dtype=object)),
        "when": pd.to_datetime(reports["report_datetime"]).to_numpy(),
        "accession": reports["accession_number"].to_numpy(dtype=object),
        "tclass": modality_class_of_text(reports["title"]).to_numpy(dtype=object),
        "tregion": region_of_text(reports["title"]).to_numpy(dtype=object),
    })
    before = settings.report_before_exam_hours

    # 1. accession numbers, checked against patient and date.
    acc = rp[rp["accession"].notna()].merge(
        ex[ex["accession"].notna()], on="accession", suffixes=("", "_exam"))
    used_exam = np.zeros(len(exams), dtype=bool)
    if len(acc):
        hours = (acc["when"] - acc["study"]).dt.total_seconds().to_numpy() / 3600.0
        same_patient = (acc["patient_id"].isna() | acc["patient_id_exam"].isna()
                        | (acc["patient_id"] == acc["patient_id_exam"])).to_numpy()
        in_time = np.isnan(hours) | ((hours >= -before) & (hours <= acc["window"].to_numpy()))
        ok = same_patient & in_time
        good = acc[ok].drop_duplicates("report_row")
        good = good[~good["exam_row"].duplicated(keep="first")]
        rows = good["report_row"].to_numpy()
        target[rows] = good["exam_id"].to_numpy(dtype=object)
        status[rows] = "linked"
        score[rows] = 0.999
        method[rows] = "accession_number"
        used_exam[good["exam_row"].to_numpy()] = True
        evidence.append(Evidence(rows, {
            "decision": "accession_number",
            "patient_agrees": good["patient_id"].notna().to_numpy() & (good["patient_id"] == good["patient_id_exam"]).to_numpy(),
            "hours_after_exam": np.round((good["when"] - good["study"]).dt.total_seconds().to_numpy() / 3600.0, 1),
        }))
        rejected = acc[~ok]["report_row"].unique()
        rejected = rejected[status[rejected] != "linked"]
    else:
        rejected = np.zeros(0, dtype=np.int64)
    acc_rejected = np.zeros(n, dtype=bool)
    acc_rejected[rejected] = True

    # 2. same resolved patient, exam before the report, title compatible; one-to-one.
    todo = rp[(status != "linked") & rp["patient_id"].notna().to_numpy() & rp["when"].notna().to_numpy()]
    pool = ex[~used_exam & ex["patient_id"].notna().to_numpy() & ex["study"].notna().to_numpy()]
    cand = todo.merge(pool, on="patient_id", suffixes=("", "_exam"))
    if len(cand):
        hours = (cand["when"] - cand["study"]).dt.total_seconds().to_numpy() / 3600.0
        keep = (hours >= -before) & (hours <= cand["window"].to_numpy())
        cand = cand[keep].copy()
        hours = hours[keep]
        cand["hours"] = hours
        tcls, mcls = cand["tclass"].to_numpy(dtype=object), cand["mclass"].to_numpy(dtype=object)
        known_m = pd.notna(tcls) & pd.notna(mcls)
        mod = np.where(~known_m, "unknown", np.where(tcls == mcls, "match", "mismatch")).astype(object)
        cand["mod"] = mod
        treg, ereg = cand["tregion"].to_numpy(dtype=object), cand["region"].to_numpy(dtype=object)
        known_r = pd.notna(treg) & pd.notna(ereg)
        compat = _compatible(treg, ereg, known_r)
        reg = np.where(~known_r, "unknown", np.where(treg == ereg, "match",
                                                     np.where(compat, "compatible", "mismatch"))).astype(object)
        tracer = np.full(len(cand), "unknown", dtype=object)
        # Tracers are read from the text only where a report or an exam has a rival
        # candidate of the same class (reading every text would cost more than the rest).
        same = pd.Series((mod == "match") & np.isin(tcls, ["PET", "NM"]), index=cand.index)
        busy = same & (cand.groupby("report_row")["report_row"].transform("size").gt(1)
                       | cand.groupby("exam_row")["exam_row"].transform("size").gt(1))
        if busy.any():
            sub = cand[busy.to_numpy()]
            t_rep = tracer_of_text(pd.Series(reports["text"].to_numpy(dtype=object)[sub["report_row"].to_numpy()]))
            t_exam = tracer_of_text(pd.Series(exams["study_description"].to_numpy(dtype=object)[sub["exam_row"].to_numpy()]))
            a, b = t_rep.to_numpy(dtype=object), t_exam.to_numpy(dtype=object)
            known = pd.notna(a) & pd.notna(b)
            tracer[busy.to_numpy()] = np.where(~known, "unknown", np.where(a == b, "match", "mismatch"))
        def term(kind, values):
            table = {k.split("_", 1)[1]: w for k, w in WEIGHTS.items() if k.startswith(kind + "_")}
            return pd.Series(values, dtype=object).map(table).to_numpy(dtype=np.float64)

        logit = WEIGHTS["base"] + term("modality", mod) + term("region", reg) + term("tracer", tracer)
        cand["logit"] = logit
        cand["prob"] = 1.0 / (1.0 + np.exp(-logit))
        cand["reg"] = reg
        cand["tracer"] = tracer
        cand = cand[cand["prob"] >= settings.report_exam_threshold]
        n_cand = cand.groupby("report_row").size()
        # Exams as compatible as the best one (same score): the tie rule decided.
        top = cand.groupby("report_row")["prob"].transform("max")
        n_tied = cand[cand["prob"].to_numpy() >= top.to_numpy() - 1e-12].groupby("report_row").size()
        chosen = _mutual_best(cand)
        rows = chosen["report_row"].to_numpy()
        target[rows] = chosen["exam_id"].to_numpy(dtype=object)
        status[rows] = "linked"
        score[rows] = chosen["prob"].to_numpy()
        evidence.append(Evidence(rows, {
            "decision": "patient_time_modality",
            "title_modality": chosen["mod"].to_numpy(dtype=object),
            "title_region": chosen["reg"].to_numpy(dtype=object),
            "tracer": chosen["tracer"].to_numpy(dtype=object),
            "hours_after_exam": np.round(chosen["hours"].to_numpy(), 1),
            "candidates": n_cand.reindex(rows).to_numpy().astype(np.int64),
            "equally_compatible": n_tied.reindex(rows).fillna(1).to_numpy().astype(np.int64),
            "tie_rule": np.where(n_tied.reindex(rows).fillna(1).to_numpy() > 1, "first_in_first_out",
                                 None).astype(object),
            "accession_rejected": acc_rejected[rows],
        }))
    un = np.flatnonzero(status != "linked")
    reason = np.where(pd.isna(rp["patient_id"]).to_numpy(), "report has no patient",
                      np.where(pd.isna(rp["when"]).to_numpy(), "report has no date",
                               "no compatible exam of the patient before the report within the window"))
    evidence.append(Evidence(un, {
        "decision": "unlinked",
        "reason": reason[un].astype(object),
        "accession_rejected": acc_rejected[un],
    }))
    return pd.DataFrame({
        "source_type": "report",
        "source_id": rp["report_id"].to_numpy(dtype=object),
        "target_type": "exam",
        "target_id": target,
        "status": status,
        "score": score,
        "method": method,
        "evidence": evidence_column(n, evidence),
    })


def _compatible(a: np.ndarray, b: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Whether two region codes are listed as compatible (vectorised over distinct pairs)."""
    out = np.zeros(len(a), dtype=bool)
    if not known.any():
        return out
    keys = pd.Series(np.where(known, a.astype(str), "") + "|" + np.where(known, b.astype(str), ""))
    codes, uniques = pd.factorize(keys)
    table = np.array([frozenset(u.split("|")) in COMPATIBLE_REGIONS for u in uniques], dtype=bool)
    return table[codes] & known


def _mutual_best(cand: pd.DataFrame, max_rounds: int = 100) -> pd.DataFrame:
    """One-to-one assignment by rounds of mutual best choices (greedy on a total order).

    Order: higher probability, then first-in first-out (the earlier exam for the
    report's choice, the earlier report for the exam's choice), then the smaller id.
    """
    chosen = []
    cols = ["report_row", "exam_row", "report_id", "exam_id", "prob", "study", "when", "hours",
            "mod", "reg", "tracer"]
    # Sorted once for each side's choice; filtering keeps the order, so each round is a
    # linear scan (first row per group) instead of a new sort.
    by_report = cand[cols].sort_values(["report_row", "prob", "study", "exam_id"],
                                       ascending=[True, False, True, True], kind="mergesort")
    by_exam = cand[["exam_row", "report_row", "prob", "when", "report_id"]].sort_values(
        ["exam_row", "prob", "when", "report_id"], ascending=[True, False, True, True], kind="mergesort")
    rest = by_report
    for _ in range(max_rounds):
        if by_report.empty:
            break
        r_best = by_report.drop_duplicates("report_row")
        e_best = by_exam.drop_duplicates("exam_row")
        mutual = r_best.merge(e_best[["report_row", "exam_row"]], on=["report_row", "exam_row"])
        if mutual.empty:
            break
        chosen.append(mutual)
        done_r = mutual["report_row"].to_numpy()
        done_e = mutual["exam_row"].to_numpy()
        by_report = by_report[~by_report["report_row"].isin(done_r) & ~by_report["exam_row"].isin(done_e)]
        by_exam = by_exam[~by_exam["report_row"].isin(done_r) & ~by_exam["exam_row"].isin(done_e)]
        rest = by_report
    if not chosen:
        return rest.iloc[:0]
    return pd.concat(chosen, ignore_index=True)
