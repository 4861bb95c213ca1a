"""A logistic scorer over hashed string features, shipped as a small JSON file.

An item (a candidate finding, say) is described by a list of string features
(``"w=nodule"``, ``"section=results"``). :class:`HashedLinearScorer` hashes them into
``n_features`` columns with scikit-learn's :class:`~sklearn.feature_extraction.FeatureHasher`
(MurmurHash3, the same columns on every machine), builds **one sparse matrix per batch**
and returns ``sigmoid(X @ w + b)``. Only the non-zero weights are stored, with the
threshold under which an item is rejected: no pickle, a file that diffs.

Fitting is scikit-learn's :class:`~sklearn.linear_model.LogisticRegression` on the same
hashed matrix (:meth:`HashedLinearScorer.fit`), deterministic for a given input order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import FeatureHasher

__all__ = ["HashedLinearScorer"]

_DECIMALS = 5


class HashedLinearScorer:
    """Logistic regression over hashed string features.

    Parameters
    ----------
    n_features : int
        Hashed columns (a power of two).
    weights : numpy.ndarray or None
        One weight per column (fitted or loaded); ``None`` before :meth:`fit`.
    intercept : float
        The bias.
    threshold : float
        Probability under which :meth:`accept` says ``False``.
    name : str
        What the scorer scores, kept in the file.
    metadata : dict
        Free description kept in the file (training sets, figures).

    Examples
    --------
    >>> items = [["w=masse", "suv"], ["w=tronc", "w=mm"], ["w=masse"], ["w=tronc"]]
    >>> s = HashedLinearScorer(n_features=2**10).fit(items, [1, 0, 1, 0], C=10.0)
    >>> s.predict_proba([["w=masse"], ["w=tronc"]]).round(1).tolist()
    [0.9, 0.1]
    >>> HashedLinearScorer.from_dict(s.to_dict()).accept([["w=tronc"]]).tolist()
    [False]
    """

    def __init__(self, n_features: int = 2**18, weights: np.ndarray | None = None, intercept: float = 0.0,
                 threshold: float = 0.5, name: str = "", metadata: dict | None = None):
        self.n_features = int(n_features)
        self.weights = weights
        self.intercept = float(intercept)
        self.threshold = float(threshold)
        self.name = name
        self.metadata = dict(metadata or {})

    def _hasher(self) -> FeatureHasher:
        return FeatureHasher(n_features=self.n_features, input_type="string", alternate_sign=False)

    def transform(self, items: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """The hashed matrix of ``items`` (rows of binary-summed feature counts)."""
        if not len(items):
            return sparse.csr_matrix((0, self.n_features))
        return self._hasher().transform(items).tocsr()

    def fit(self, items: Sequence[Sequence[str]], labels: Sequence[int], *, C: float = 1.0,
            class_weight: str | None = None) -> HashedLinearScorer:
        """Fit the weights by L2 logistic regression (lbfgs) on the hashed ``items``."""
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=C, class_weight=class_weight, max_iter=2000, solver="lbfgs")
        model.fit(self.transform(items), np.asarray(labels, dtype=int))
        weights = np.round(model.coef_[0], _DECIMALS)
        self.weights, self.intercept = weights, float(np.round(model.intercept_[0], _DECIMALS))
        return self

    def decision_function(self, items: Sequence[Sequence[str]]) -> np.ndarray:
        """``X @ w + b`` for the batch."""
        if self.weights is None:
            raise ValueError("the scorer is not fitted: call fit or load a file")
        return self.transform(items) @ self.weights + self.intercept

    def predict_proba(self, items: Sequence[Sequence[str]]) -> np.ndarray:
        """Probability that each item is accepted, for the batch (one matrix product)."""
        with np.errstate(over="ignore"):  # exp overflows to inf for a very negative score: 0, its limit
            return 1.0 / (1.0 + np.exp(-self.decision_function(items)))

    def accept(self, items: Sequence[Sequence[str]], threshold: float | None = None) -> np.ndarray:
        """``True`` for items whose probability reaches the threshold."""
        cut = self.threshold if threshold is None else threshold
        return self.predict_proba(items) >= cut

    def to_dict(self) -> dict:
        """The JSON form: non-zero weights as ``[[column, weight], ...]`` in column order."""
        if self.weights is None:
            raise ValueError("the scorer is not fitted")
        nonzero = np.flatnonzero(self.weights)
        return {
            "name": self.name,
            "kind": "hashed_logistic",
            "hasher": "sklearn.FeatureHasher(input_type='string', alternate_sign=False)",
            "n_features": self.n_features,
            "intercept": self.intercept,
            "threshold": self.threshold,
            "metadata": self.metadata,
            "weights": [[int(i), float(self.weights[i])] for i in nonzero],
        }

    @classmethod
    def from_dict(cls, data: dict) -> HashedLinearScorer:
        """A scorer from :meth:`to_dict`'s form."""
        weights = np.zeros(int(data["n_features"]))
        for i, w in data["weights"]:
            weights[int(i)] = float(w)
        return cls(n_features=data["n_features"], weights=weights, intercept=data["intercept"],
                   threshold=data["threshold"], name=data.get("name", ""), metadata=data.get("metadata"))

    def save(self, path: str | Path) -> None:
        """Write the JSON file (stable key order, one weight per line)."""
        data = self.to_dict()
        weights = data.pop("weights")
        head = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)[:-2]
        lines = ",\n".join(f"  [{i}, {w!r}]" for i, w in weights)
        Path(path).write_text(f'{head},\n "weights": [\n{lines}\n ]\n}}\n', encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> HashedLinearScorer:
        """Read a file written by :meth:`save`."""
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
