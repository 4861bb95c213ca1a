"""Evaluation of a ``links`` table against the generator's truth.

Definitions (per link type, one row per source in both tables):

* a link is *predicted* only when ``status == "linked"``; ``ambiguous`` and
  ``unlinked`` rows predict "no target";
* **true positive**: predicted target == true target (both non-null);
* **false positive**: a target is predicted and it is not the true one (the true target
  is another one, or there is none);
* **false negative**: there is a true target and it is not predicted (nothing
  predicted, or another target predicted — a wrong link is both a FP and a FN);
* **true negative**: the true target is null and nothing is predicted;
* precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = their harmonic mean
  (each is 1.0 when its denominator is 0).

A source missing from ``links`` counts as "nothing predicted" (and is reported in
``missing``), so dropped rows cannot flatter the figures.

The *badly attached* rows restrict exam→patient to exams whose truth fault (from
``truth/exam_faults.parquet``) is not ``"none"``; one row per fault follows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from radlink.errors import LinkageTruthError

__all__ = ["evaluate_links", "load_truth", "format_report"]


def _scores(pred: np.ndarray, true: np.ndarray) -> dict[str, float]:
    has_p, has_t = pd.notna(pred), pd.notna(true)
    same = has_p & has_t & (pred == true)
    tp = int(same.sum())
    fp = int((has_p & ~same).sum())
    fn = int((has_t & ~same).sum())
    tn = int((~has_p & ~has_t).sum())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": len(pred), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": precision, "recall": recall, "f1": f1}


def load_truth(directory: str | Path) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """``truth/links.parquet`` and (if present) ``truth/exam_faults.parquet`` of a dataset.

    Raises
    ------
    LinkageTruthError
        When ``truth/links.parquet`` is missing or lacks a column.
    """
    directory = Path(directory)
    path = directory / "truth" / "links.parquet"
    if not path.exists():
        raise LinkageTruthError(
            f"no truth at {str(path)!r}: evaluate-linkage needs a dataset made by `radlink synth`")
    truth = pd.read_parquet(path)
    missing = {"source_type", "source_id", "target_type", "target_id"} - set(truth.columns)
    if missing:
        raise LinkageTruthError(f"{str(path)!r} lacks the column(s) {sorted(missing)}")
    faults_path = directory / "truth" / "exam_faults.parquet"
    faults = pd.read_parquet(faults_path) if faults_path.exists() else None
    return truth, faults


def evaluate_links(links: pd.DataFrame, truth: pd.DataFrame, exam_faults: pd.DataFrame | None = None) -> pd.DataFrame:
    """Precision, recall and F1 per link type (and on badly attached exams).

    Parameters
    ----------
    links : pandas.DataFrame
        Output of :func:`radlink.linkage.link`.
    truth : pandas.DataFrame
        ``truth/links.parquet``: source_type, source_id, target_type, target_id.
    exam_faults : pandas.DataFrame, optional
        ``truth/exam_faults.parquet``: exam_id, fault.

    Returns
    -------
    pandas.DataFrame
        One row per ``link_type`` (``"exam→patient"``, ..., ``"exam→patient [badly attached]"``,
        ``"exam→patient [fault=...]"``) with n, tp, fp, fn, tn, precision, recall, f1, missing.

    Examples
    --------
    >>> import pandas as pd
    >>> truth = pd.DataFrame({"source_type": ["exam"] * 3, "source_id": ["E1", "E2", "E3"],
    ...                       "target_type": ["patient"] * 3, "target_id": ["P1", "P2", None]})
    >>> links = truth.assign(target_id=["P1", "P9", None], status=["linked", "linked", "unlinked"])
    >>> r = evaluate_links(links, truth).iloc[0]
    >>> [int(r[k]) for k in ("tp", "fp", "fn", "tn")], round(float(r["f1"]), 3)
    ([1, 1, 1, 1], 0.5)
    """
    keys = ["source_type", "source_id", "target_type"]
    pred = links[keys + ["target_id", "status"]].copy()
    pred["pred"] = np.where(pred["status"].to_numpy() == "linked", pred["target_id"].to_numpy(dtype=object), None)
    pred = pred.drop_duplicates(keys)
    merged = truth[keys + ["target_id"]].merge(pred[keys + ["pred", "status"]], on=keys, how="left",
                                               indicator=True)
    rows = []
    for (src, tgt), part in merged.groupby(["source_type", "target_type"], sort=False):
        res = _scores(part["pred"].to_numpy(dtype=object), part["target_id"].to_numpy(dtype=object))
        res["missing"] = int((part["_merge"] == "left_only").sum())
        rows.append({"link_type": f"{src}→{tgt}", **res})
    order = {"exam→patient": 0, "exam→stay": 1, "report→exam": 2, "report→stay": 3}
    rows.sort(key=lambda r: order.get(r["link_type"], 9))
    if exam_faults is not None:
        ep = merged[(merged["source_type"] == "exam") & (merged["target_type"] == "patient")]
        ep = ep.merge(exam_faults[["exam_id", "fault"]], left_on="source_id", right_on="exam_id", how="left")
        bad = ep[ep["fault"].fillna("none") != "none"]
        res = _scores(bad["pred"].to_numpy(dtype=object), bad["target_id"].to_numpy(dtype=object))
        rows.append({"link_type": "exam→patient [badly attached]", **res,
                     "missing": int((bad["_merge"] == "left_only").sum())})
        for fault, part in ep.groupby(ep["fault"].fillna("none"), sort=True):
            res = _scores(part["pred"].to_numpy(dtype=object), part["target_id"].to_numpy(dtype=object))
            rows.append({"link_type": f"exam→patient [fault={fault}]", **res,
                         "missing": int((part["_merge"] == "left_only").sum())})
    return pd.DataFrame(rows)


def format_report(table: pd.DataFrame) -> str:
    """The evaluation as an aligned text table (what ``radlink evaluate-linkage`` prints)."""
    shown = table.copy()
    for col in ("precision", "recall", "f1"):
        shown[col] = shown[col].map(lambda v: f"{v:.4f}")
    return shown[["link_type", "n", "tp", "fp", "fn", "tn", "precision", "recall", "f1", "missing"]].to_string(index=False)
