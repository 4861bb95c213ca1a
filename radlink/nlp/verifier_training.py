"""Train the lesion verifier on the development gold sets, and estimate it honestly.

Each gold set is read once with the rules alone (``verify_lesions=False``): its
non-negated lesion candidates get the features of :func:`radlink.nlp.verifier.candidate_features`
and a label from the evaluation's own matching (:func:`radlink.nlp.evaluation.matched_findings`;
candidates the evaluation does not score are left out of training).
:func:`leave_one_set_out` trains on every set but one and scores the one left out, before
and after the verifier, over a range of thresholds; :func:`train_lesion_verifier` fits
the shipped model on every development set. The same inputs give the same file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from radlink.models import HashedLinearScorer
from radlink.tables import FINDINGS_COLUMNS

from .evaluation import (
    GoldSet,
    evaluate_by_modality,
    evaluate_extraction,
    load_gold,
    matched_findings,
)
from .verifier import candidate_features, is_candidate, is_lesion, verify_rows

__all__ = [
    "DEVELOPMENT_SETS",
    "HISTORY",
    "HISTORY_COLUMNS",
    "read_history",
    "C",
    "N_FEATURES",
    "THRESHOLDS",
    "Candidates",
    "read_candidates",
    "fit_verifier",
    "leave_one_set_out",
    "train_lesion_verifier",
]

DEVELOPMENT_SETS = ("nlp_gold", "nlp_gold_blind_a", "nlp_gold_blind_b", "nlp_gold_blind_c",
                    "nlp_gold_blind_d", "nlp_gold_blind_e", "nlp_gold_blind_f", "nlp_gold_blind_g",
                    "nlp_gold_blind_h", "nlp_gold_blind_i")
"""The gold sets (under ``data_samples/``) the verifier learns from: development sets only."""

HISTORY = Path("nlp_verifier_history") / "candidates.csv"
"""Candidates of earlier rules on the development sets, labelled (``benchmarks/verifier_history.py``),
relative to the gold root."""

HISTORY_COLUMNS = ("set", "version", "modality", *FINDINGS_COLUMNS, "label")
"""Columns of the history file: the set and commit, the report's modality, a findings row, its label."""

C = 1.0
"""Inverse L2 regularisation of the logistic regression."""

N_FEATURES = 2**18
"""Hashed feature columns."""

THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.61, 0.05))
"""Thresholds compared by :func:`leave_one_set_out`."""


@dataclass
class Candidates:
    """A gold set read by the rules alone, with its lesion candidates' features and labels."""

    gold: GoldSet
    facts: list[tuple]
    findings: list[tuple]
    texts: dict[str, str]
    items: list[list[str]]
    labels: np.ndarray  # 1 tp, 0 fp, -1 not scored; one per candidate


def read_candidates(directory: str | Path) -> Candidates:
    """Extract a gold set without the verifier and label its lesion candidates."""
    from .extractor import FACTS_COLUMNS, FINDINGS_COLUMNS, _records, _rows

    gold = load_gold(directory)
    records = _records(gold.reports)
    facts, findings, _ = _rows(None, records, None, None, verify_lesions=False)
    texts = {rid: text for rid, text, _ in records}
    table = pd.DataFrame(findings, columns=list(FINDINGS_COLUMNS))
    matched = matched_findings(table, gold.facts, gold.findings)
    candidates = [i for i, r in enumerate(findings) if is_candidate(r)]
    modalities = {f[0]: f[list(FACTS_COLUMNS).index("modality")] for f in facts}
    lesions = [r for r in findings if is_lesion(r)]
    items = candidate_features(lesions, texts, modalities, scored=[is_candidate(r) for r in lesions])
    labels = np.array([-1 if pd.isna(matched.iloc[i]) else int(matched.iloc[i]) for i in candidates], dtype=int)
    return Candidates(gold, facts, findings, texts, items, labels)


def read_history(path: str | Path, sets: dict[str, Candidates]) -> dict[str, tuple[list, list]]:
    """The history candidates of each set of ``sets``: ``{set: (items, labels)}``.

    Features are computed per set and commit, as the extractor would have given them
    (every lesion row for context, the candidates scored: :func:`radlink.nlp.verifier.is_candidate`).
    """
    table = pd.read_csv(path, dtype={"report_id": str}, keep_default_na=True)
    table = table.astype(object).where(table.notna(), None)
    out: dict[str, tuple[list, list]] = {name: ([], []) for name in sets}
    for (name, _), part in table.groupby(["set", "version"], sort=True):
        if name not in sets:
            continue
        rows = [tuple(r) for r in part.reindex(columns=list(FINDINGS_COLUMNS)).itertuples(index=False)]
        rows = [(*r[:8], r[8] in (True, "True"), r[9] in (True, "True"), *r[10:]) for r in rows]
        modalities = dict(zip(part["report_id"], part["modality"], strict=True))
        scored = [is_candidate(r) for r in rows]
        out[name][0].extend(candidate_features(rows, sets[name].texts, modalities, scored=scored))
        out[name][1].extend(int(v) for v, s in zip(part["label"], scored, strict=True) if s)
    return out


def fit_verifier(sets: Sequence[Candidates], *, threshold: float = 0.5, c: float = C,
                 metadata: dict | None = None, extra: Sequence[tuple[list, list]] = ()) -> HashedLinearScorer:
    """Fit the verifier on the scored candidates of ``sets``, in their order, then ``extra``
    (``(items, labels)`` pairs: history candidates)."""
    items = [x for s in sets for x, y in zip(s.items, s.labels, strict=True) if y >= 0]
    labels = [int(y) for s in sets for y in s.labels if y >= 0]
    for more_items, more_labels in extra:
        items += more_items
        labels += more_labels
    model = HashedLinearScorer(n_features=N_FEATURES, threshold=threshold, name="lesion_verifier",
                               metadata=metadata)
    return model.fit(items, labels, C=c)


def _tables(facts: list[tuple], findings: list[tuple]) -> tuple[pd.DataFrame, pd.DataFrame]:
    from .extractor import _extraction

    out = _extraction(facts, findings)
    return out.facts, out.findings


def _lesion_scores(c: Candidates, facts, findings, by_modality: bool = False) -> pd.DataFrame:
    pf, pfi = _tables(facts, findings)
    if by_modality:
        return evaluate_by_modality(pf, pfi, c.gold.facts, c.gold.findings, fields=("lesion_findings",))
    s = evaluate_extraction(pf, pfi, c.gold.facts, c.gold.findings).set_index("field")
    return s.loc["lesion_findings", ["precision", "recall", "f1"]]


def leave_one_set_out(sets: dict[str, Candidates], *, held_out: Sequence[str] | None = None,
                      thresholds: Sequence[float] = THRESHOLDS, c: float = C,
                      history: dict[str, tuple[list, list]] | None = None) -> pd.DataFrame:
    """Lesion precision and recall of each held-out set, before and after the verifier.

    For each held-out set, the verifier is trained on all the other sets of ``sets``
    (and their ``history`` candidates, never the held-out set's) and applied to it at
    every threshold.

    Returns
    -------
    pandas.DataFrame
        One row per (set, threshold), columns set, threshold, precision, recall, f1;
        threshold ``nan`` is the rules alone.
    """
    rows = []
    for name in held_out or list(sets):
        c_out = sets[name]
        extra = [v for k, v in (history or {}).items() if k != name]
        model = fit_verifier([s for k, s in sets.items() if k != name], c=c, extra=extra)
        before = _lesion_scores(c_out, c_out.facts, c_out.findings)
        rows.append({"set": name, "threshold": np.nan, **before.to_dict()})
        for t in thresholds:
            facts, findings = verify_rows(c_out.facts, c_out.findings, c_out.texts, threshold=t, model=model)
            rows.append({"set": name, "threshold": t, **_lesion_scores(c_out, facts, findings).to_dict()})
    return pd.DataFrame(rows)


def train_lesion_verifier(root: str | Path, *, threshold: float = 0.3, c: float = C,
                          sets: Sequence[str] = DEVELOPMENT_SETS, cross_validate: bool = False
                          ) -> tuple[HashedLinearScorer, pd.DataFrame | None]:
    """The verifier fitted on the development sets under ``root`` (``data_samples``), with
    the history candidates when ``root`` holds them, and (``cross_validate``) the
    :func:`leave_one_set_out` table at ``threshold``.
    """
    read = {n: read_candidates(Path(root) / n) for n in sets if (Path(root) / n).is_dir()}
    if not read:
        raise FileNotFoundError(f"no development gold set under {str(root)!r}")
    hist = read_history(Path(root) / HISTORY, read) if (Path(root) / HISTORY).exists() else {}
    table = leave_one_set_out(read, thresholds=(threshold,), c=c, history=hist) if cross_validate else None
    meta = {"trained_on": list(read), "C": c, "history": HISTORY.as_posix() if hist else None,
            "candidates": int(sum(int((s.labels >= 0).sum()) for s in read.values())
                              + sum(len(v[1]) for v in hist.values())),
            "command": "radlink train-lesion-verifier --gold-root data_samples"}
    model = fit_verifier(list(read.values()), threshold=threshold, c=c, metadata=meta, extra=list(hist.values()))
    return model, table
