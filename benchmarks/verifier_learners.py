"""Which learner should score the lesion candidates? Leave-one-set-out on the development sets.

The shipped lesion verifier (:mod:`radlink.nlp.verifier`) is a hashed logistic model
(:class:`radlink.models.HashedLinearScorer`, ``C`` and threshold of
``radlink train-lesion-verifier``). This benchmark asks whether another learner over the
same candidate features (:func:`radlink.nlp.verifier.candidate_features`) would carry
better to a writer it never saw: for each development set left out, each learner is
trained on the other sets (and their history candidates, never the left-out set's) and
applied to the left-out set's candidates; the table gives lesion precision, recall and F1
of the rules alone and after each learner, per set and pooled (micro-average over the
left-out sets' scores, so each set counts by its size).

Nothing here is shipped: a learner that wins is a case for changing the verifier, whose
model the integrator rebuilds (``radlink train-lesion-verifier``).

    PYTHONPATH=. python benchmarks/verifier_learners.py --gold-root data_samples
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

from radlink.models import HashedLinearScorer
from radlink.nlp.evaluation import evaluate_extraction
from radlink.nlp.verifier import verify_rows
from radlink.nlp.verifier_training import (
    DEVELOPMENT_SETS,
    HISTORY,
    N_FEATURES,
    _tables,
    read_candidates,
    read_history,
)


class _SklearnScorer:
    """A scikit-learn classifier over the verifier's hashed features, with ``accept``."""

    def __init__(self, estimator, threshold: float):
        self.estimator, self.threshold = estimator, threshold
        self._hash = HashedLinearScorer(n_features=N_FEATURES)

    def fit(self, items, labels):
        self.estimator.fit(self._hash.transform(items), np.asarray(labels))
        return self

    def accept(self, items, threshold=None):
        cut = self.threshold if threshold is None else threshold
        return self.estimator.predict_proba(self._hash.transform(items))[:, 1] >= cut


def _learners():
    """name -> a function building an unfitted scorer (``fit(items, labels)``, ``accept``)."""
    return {
        "hashed_logistic C=1 t=.3 (shipped)": lambda: _Shipped(1.0, 0.3),
        "hashed_logistic C=0.3 t=.3": lambda: _Shipped(0.3, 0.3),
        "hashed_logistic C=1 t=.2": lambda: _Shipped(1.0, 0.2),
        "sklearn logistic balanced t=.5": lambda: _SklearnScorer(
            LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000), 0.5),
        "random forest 300 t=.3": lambda: _SklearnScorer(
            RandomForestClassifier(n_estimators=300, min_samples_leaf=2, n_jobs=1, random_state=0), 0.3),
    }


class _Shipped:
    def __init__(self, c: float, threshold: float):
        self.c, self.threshold = c, threshold

    def fit(self, items, labels):
        self.model = HashedLinearScorer(n_features=N_FEATURES, threshold=self.threshold).fit(
            items, labels, C=self.c)
        return self

    def accept(self, items, threshold=None):
        return self.model.accept(items, threshold)


def _counts(cand, facts, findings) -> np.ndarray:
    pf, pfi = _tables(facts, findings)
    s = evaluate_extraction(pf, pfi, cand.gold.facts, cand.gold.findings).set_index("field")
    return s.loc["lesion_findings", ["tp", "fp", "fn"]].to_numpy(dtype=int)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    return p, r, 2 * p * r / max(p + r, 1e-9)


def main(argv=None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold-root", default="data_samples")
    args = parser.parse_args(argv)
    root = Path(args.gold_root)
    sets = {n: read_candidates(root / n) for n in DEVELOPMENT_SETS if (root / n).is_dir()}
    hist = read_history(root / HISTORY, sets) if (root / HISTORY).exists() else {}
    rows, pooled = [], {}
    for name, cand in sets.items():
        items = [x for k, s in sets.items() if k != name for x, y in zip(s.items, s.labels, strict=True) if y >= 0]
        labels = [int(y) for k, s in sets.items() if k != name for y in s.labels if y >= 0]
        for k, (more_items, more_labels) in hist.items():
            if k != name:
                items, labels = items + list(more_items), labels + list(more_labels)
        scores = {"rules alone": _counts(cand, cand.facts, cand.findings)}
        for learner, make in _learners().items():
            model = make().fit(items, labels)
            facts, findings = verify_rows(cand.facts, cand.findings, cand.texts, model=model)
            scores[learner] = _counts(cand, facts, findings)
        for learner, c in scores.items():
            pooled[learner] = pooled.get(learner, 0) + c
            rows.append({"left_out": name, "learner": learner, **dict(zip(("P", "R", "F1"), _prf(*c), strict=True))})
        print(f"{name}: done", flush=True)
    for learner, c in pooled.items():
        rows.append({"left_out": "pooled", "learner": learner, **dict(zip(("P", "R", "F1"), _prf(*c), strict=True))})
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_rows", 200, "display.max_columns", 20):
        print(table.pivot(index="left_out", columns="learner", values="F1").round(3))
        print(table[table.left_out == "pooled"].round(3).to_string(index=False))
    return table


if __name__ == "__main__":
    main()
