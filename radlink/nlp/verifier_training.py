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

from .evaluation import GoldSet, evaluate_by_modality, evaluate_extraction, load_gold, matched_findings
from .verifier import candidate_features, is_candidate, verify_rows

__all__ = [
    "DEVELOPMENT_SETS",
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
                    "nlp_gold_blind_d", "nlp_gold_blind_e")
"""The gold sets (under ``data_samples/``) the verifier learns from: development sets only."""

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
    items = candidate_features([findings[i] for i in candidates], texts, modalities)
    labels = np.array([-1 if pd.isna(matched.iloc[i]) else int(matched.iloc[i]) for i in candidates], dtype=int)
    return Candidates(gold, facts, findings, texts, items, labels)


def fit_verifier(sets: Sequence[Candidates], *, threshold: float = 0.5, c: float = C,
                 metadata: dict | None = None) -> HashedLinearScorer:
    """Fit the verifier on the scored candidates of ``sets``, in their order."""
    items = [x for s in sets for x, y in zip(s.items, s.labels, strict=True) if y >= 0]
    labels = [y for s in sets for y in s.labels if y >= 0]
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
                      thresholds: Sequence[float] = THRESHOLDS, c: float = C) -> pd.DataFrame:
    """Lesion precision and recall of each held-out set, before and after the verifier.

    For each held-out set, the verifier is trained on all the other sets of ``sets``
    and applied to it at every threshold.

    Returns
    -------
    pandas.DataFrame
        One row per (set, threshold), columns set, threshold, precision, recall, f1;
        threshold ``nan`` is the rules alone.
    """
    rows = []
    for name in held_out or list(sets):
        c_out = sets[name]
        model = fit_verifier([s for k, s in sets.items() if k != name], c=c)
        before = _lesion_scores(c_out, c_out.facts, c_out.findings)
        rows.append({"set": name, "threshold": np.nan, **before.to_dict()})
        for t in thresholds:
            facts, findings = verify_rows(c_out.facts, c_out.findings, c_out.texts, threshold=t, model=model)
            rows.append({"set": name, "threshold": t, **_lesion_scores(c_out, facts, findings).to_dict()})
    return pd.DataFrame(rows)


def train_lesion_verifier(root: str | Path, *, threshold: float, c: float = C,
                          sets: Sequence[str] = DEVELOPMENT_SETS) -> HashedLinearScorer:
    """The verifier fitted on every development set under ``root`` (``data_samples``)."""
    read = [read_candidates(Path(root) / name) for name in sets]
    meta = {"trained_on": list(sets), "C": c,
            "candidates": int(sum(int((s.labels >= 0).sum()) for s in read)),
            "command": "radlink train-lesion-verifier"}
    return fit_verifier(read, threshold=threshold, c=c, metadata=meta)
