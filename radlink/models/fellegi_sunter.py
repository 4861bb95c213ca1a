"""Fellegi–Sunter pair scorer with EM-estimated m/u and term-frequency adjustment.

Representation: a pair is a row of *comparison levels* (small integers, level 0 the
strongest agreement, ``-1`` or NaN for "null: no evidence"), as produced by
:mod:`radlink.linkage.comparisons`, optionally followed by one term-frequency column
per comparison listed in ``term_frequency`` (the frequency of the agreed value in the
registry, NaN when the pair does not agree exactly). The scorer learns, for each
comparison and level, ``m`` = P(level | match) and ``u`` = P(level | non-match), and
the prior ``lambda`` = P(match) among candidate pairs, by expectation–maximisation on
unlabelled pairs (Fellegi & Sunter, 1969; Winkler, 1988), the way splink does. EM runs
on the distinct level patterns with their counts, so fitting a million pairs costs
what fitting a few hundred patterns costs.

It follows the scikit-learn estimator contract: ``__init__`` stores parameters,
``fit(X, y=None)`` learns and returns ``self`` (``y`` is ignored: EM is unsupervised),
learned attributes end with ``_``, and ``predict_proba`` checks that the scorer is
fitted. A fitted scorer round-trips through a small JSON file (:meth:`save`,
:meth:`load`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["FellegiSunterScorer"]

_EPS = 1e-6


class FellegiSunterScorer(BaseEstimator):
    """Probabilistic record-pair scorer: Bayes factors from per-level m and u.

    Parameters
    ----------
    n_levels : tuple of int or None
        Number of non-null levels of each comparison; ``None`` infers them from the
        data given to ``fit`` (its largest level + 1).
    term_frequency : tuple of int
        Indices of comparisons whose exact level is adjusted by the term frequency of
        the agreed value (common surnames weigh less than rare ones). ``X`` then has one
        extra column per index, in this order, after the level columns.
    max_iter : int
        Maximum EM iterations.
    tol : float
        EM stops when no m, u or lambda moves more than this.
    prior : float
        Initial lambda, P(match) among candidate pairs.
    comparison_names : tuple of str or None
        Names of the comparisons, kept for evidence and the JSON file.
    threshold : float
        Match probability from which :meth:`predict` says 1.
    u_probabilities : array-like of shape (n_comparisons, max_levels) or None
        Fixed u values, estimated beforehand on random (non-blocked) pairs, splink's
        ``estimate_u_using_random_sampling``; EM then learns only m and lambda. With
        ``None`` EM learns u too (fine when candidate pairs are mostly non-matches).
    m_probabilities : array-like of shape (n_comparisons, max_levels) or None
        Fixed m values (e.g. from earlier EM sessions, each blocked on one rule, as
        splink trains); with both m and u fixed, ``fit`` estimates lambda only.
    m_start : array-like of shape (n_comparisons, max_levels) or None
        A prior m (e.g. a shipped model's): EM starts from it instead of the generic
        start, and, with ``m_prior_weight`` > 0, it is a Dirichlet prior on m (MAP-EM):
        it weighs as ``m_prior_weight`` matched pairs, so thin data cannot pull a level
        far from it while abundant data overrule it.
    m_prior_weight : float
        Pseudo-count of matched pairs given to ``m_start`` (0: only a starting point).

    Attributes
    ----------
    n_levels_ : ndarray of int
        Levels per comparison.
    m_ : ndarray of shape (n_comparisons, max_levels)
        P(level | match), zero-padded.
    u_ : ndarray of shape (n_comparisons, max_levels)
        P(level | non-match), zero-padded.
    lambda_ : float
        P(match) among the candidate pairs seen by ``fit``.
    n_iter_ : int
        EM iterations run.
    converged_ : bool
        EM stopped because no value moved more than ``tol`` (not at ``max_iter``).
    n_features_in_ : int
        Columns of ``X`` (levels plus term-frequency columns).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> match = rng.random(2000) < 0.3
    >>> X = np.where(match[:, None], rng.random((2000, 3)) < 0.1, rng.random((2000, 3)) < 0.9).astype(int)
    >>> scorer = FellegiSunterScorer().fit(X)
    >>> bool(scorer.predict_proba([[0, 0, 0]])[0, 1] > 0.99), bool(scorer.predict_proba([[1, 1, 1]])[0, 1] < 0.01)
    (True, True)
    """

    def __init__(
        self,
        n_levels=None,
        term_frequency=(),
        max_iter=100,
        tol=1e-5,
        prior=0.1,
        comparison_names=None,
        threshold=0.5,
        u_probabilities=None,
        m_probabilities=None,
        m_start=None,
        m_prior_weight=0.0,
    ):
        self.n_levels = n_levels
        self.term_frequency = term_frequency
        self.max_iter = max_iter
        self.tol = tol
        self.prior = prior
        self.comparison_names = comparison_names
        self.threshold = threshold
        self.u_probabilities = u_probabilities
        self.m_probabilities = m_probabilities
        self.m_start = m_start
        self.m_prior_weight = m_prior_weight

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.target_tags.required = False
        return tags

    # -- helpers ---------------------------------------------------------------------
    def _split(self, X: np.ndarray, n_levels: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Integer level matrix (``-1`` null) and term-frequency matrix."""
        n_tf = len(self.term_frequency)
        lv = X[:, : X.shape[1] - n_tf] if n_tf else X
        tf = X[:, X.shape[1] - n_tf:] if n_tf else np.empty((len(X), 0))
        lv = np.where(np.isnan(lv), -1, np.rint(lv))
        lv = np.maximum(lv, -1).astype(np.int64)
        if n_levels is not None:
            lv = np.minimum(lv, n_levels[None, :] - 1)
        return lv, tf

    def _weights(self, lv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """log m and log u of each pair's levels (0 for nulls), shape (n, k)."""
        rows = np.arange(lv.shape[1])[None, :]
        # log of each (comparison, level) once, then one gather per pair; the table's extra last
        # column holds the 0 that a null level (-1, numpy's last column) takes
        return _log_table(self.m_)[rows, lv], _log_table(self.u_)[rows, lv]

    # -- estimator API ---------------------------------------------------------------
    def fit(self, X, y=None):
        """Estimate m, u and lambda by EM on candidate pairs.

        Parameters
        ----------
        X : array-like of shape (n_pairs, n_comparisons [+ n_term_frequency])
            Comparison levels (``-1``/NaN null), then term-frequency columns.
        y : ignored
            EM is unsupervised; present for API consistency.

        Returns
        -------
        self
        """
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan")
        n_tf = len(self.term_frequency)
        if X.shape[1] <= n_tf:
            raise ValueError(f"X has {X.shape[1]} columns; expected levels plus {n_tf} term-frequency columns")
        fixed = None if self.n_levels is None else np.asarray(self.n_levels, dtype=np.int64)
        lv, _ = self._split(X, fixed)
        if fixed is None:
            n_levels = np.maximum(lv.max(axis=0) + 1, 2)
        else:
            if len(fixed) != lv.shape[1]:
                raise ValueError(f"n_levels has {len(fixed)} entries but X has {lv.shape[1]} comparisons")
            n_levels = fixed
        k, width = lv.shape[1], int(n_levels.max())
        patterns, counts = _distinct_rows(lv)
        # Start: matches agree (level 0 likely), non-matches disagree (last level likely).
        m = np.zeros((k, width))
        u = np.zeros((k, width))
        for c in range(k):
            n = int(n_levels[c])
            geo = 0.5 ** np.arange(n)
            m[c, :n] = geo / geo.sum()
            u[c, :n] = geo[::-1] / geo.sum()
        fixed_u = self._fixed(self.u_probabilities, "u_probabilities", k, width, n_levels)
        fixed_m = self._fixed(self.m_probabilities, "m_probabilities", k, width, n_levels)
        start_m = self._fixed(self.m_start, "m_start", k, width, n_levels)
        prior_w = float(self.m_prior_weight) if start_m is not None else 0.0
        if start_m is not None:
            m = start_m
        if fixed_u is not None:
            u = fixed_u
        if fixed_m is not None:
            m = fixed_m
        lam = float(self.prior)
        self.m_, self.u_ = m, u
        rows = np.arange(k)[None, :]
        safe = np.maximum(patterns, 0)
        null = patterns < 0
        n_iter, delta = 0, np.inf
        for n_iter in range(1, int(self.max_iter) + 1):  # noqa: B007
            log_m, log_u = self._weights(patterns)
            lm = np.log(lam) + log_m.sum(axis=1)
            lu = np.log(1 - lam) + log_u.sum(axis=1)
            p = 1.0 / (1.0 + np.exp(np.clip(lu - lm, -700, 700)))
            wm, wu = p * counts, (1 - p) * counts
            new_m = np.zeros_like(m)
            new_u = np.zeros_like(u)
            for c in range(k):
                ok = ~null[:, c]
                new_m[c] = np.bincount(safe[ok, c], weights=wm[ok], minlength=width)[:width]
                new_u[c] = np.bincount(safe[ok, c], weights=wu[ok], minlength=width)[:width]
            if prior_w > 0:
                new_m += prior_w * start_m
            for arr in (new_m, new_u):
                for c in range(k):
                    n = int(n_levels[c])
                    arr[c, :n] = np.maximum(arr[c, :n], 0) + _EPS
                    arr[c, n:] = 0.0
                    arr[c] /= arr[c].sum()
            if fixed_u is not None:
                new_u = fixed_u
            if fixed_m is not None:
                new_m = fixed_m
            new_lam = float(np.clip(wm.sum() / counts.sum(), _EPS, 1 - _EPS))
            delta = max(np.abs(new_m - m).max(), np.abs(new_u - u).max(), abs(new_lam - lam))
            m, u, lam = new_m, new_u, new_lam
            self.m_, self.u_ = m, u
            if delta < self.tol:
                break
        del rows
        self.lambda_ = lam
        self.n_levels_ = n_levels
        self.n_iter_ = n_iter
        self.converged_ = bool(delta < self.tol)
        return self

    @staticmethod
    def _fixed(values, name: str, k: int, width: int, n_levels: np.ndarray) -> np.ndarray | None:
        """A fixed m or u table, padded to ``width`` and normalised per comparison."""
        if values is None:
            return None
        given = np.asarray(values, dtype=np.float64)
        if given.ndim != 2 or given.shape[0] != k:
            raise ValueError(f"{name} must have {k} rows, one per comparison")
        out = np.zeros((k, width))
        cols = min(width, given.shape[1])
        out[:, :cols] = np.maximum(given[:, :cols], _EPS)
        for c in range(k):
            out[c, int(n_levels[c]):] = 0.0
            out[c] /= out[c].sum()
        return out

    def match_weight(self, X) -> np.ndarray:
        """log2 Bayes factor of each pair plus the prior log-odds (splink's match weight)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan", reset=False)
        lv, tf = self._split(X, self.n_levels_)
        log_m, log_u = self._weights(lv)
        for j, c in enumerate(self.term_frequency):
            freq = tf[:, j]
            use = (lv[:, c] == 0) & ~np.isnan(freq)
            log_u[use, c] = np.log(np.maximum(freq[use], _EPS))
        prior = np.log(self.lambda_ / (1 - self.lambda_))
        return (prior + (log_m - log_u).sum(axis=1)) / np.log(2)

    def predict_proba(self, X) -> np.ndarray:
        """P(non-match) and P(match) of each pair, shape (n_pairs, 2)."""
        check_is_fitted(self)
        p = self.probability_of_weight(self.match_weight(X))
        return np.column_stack([1 - p, p])

    @staticmethod
    def probability_of_weight(weight: np.ndarray) -> np.ndarray:
        """P(match) of pairs from their :meth:`match_weight` (``predict_proba(X)[:, 1]`` without
        computing the weights again).

        Examples
        --------
        >>> FellegiSunterScorer.probability_of_weight(np.array([0.0, 1.0])).tolist()
        [0.5, 0.6666666666666666]
        """
        return 1.0 / (1.0 + np.exp2(-np.clip(weight, -1000, 1000)))

    def predict(self, X) -> np.ndarray:
        """1 where the match probability reaches ``threshold``, else 0."""
        return (self.predict_proba(X)[:, 1] >= self.threshold).astype(np.int64)

    def bayes_factors(self) -> dict[str, dict[str, float]]:
        """log2(m/u) per comparison and level: what each agreement is worth, in bits."""
        check_is_fitted(self)
        names = self.comparison_names or [f"c{i}" for i in range(len(self.n_levels_))]
        return {
            name: {str(lv): float(np.log2(max(self.m_[c, lv], _EPS) / max(self.u_[c, lv], _EPS)))
                   for lv in range(int(self.n_levels_[c]))}
            for c, name in enumerate(names)
        }

    # -- persistence -----------------------------------------------------------------
    def to_dict(self) -> dict:
        """Parameters and learned values as a JSON-ready dict."""
        check_is_fitted(self)
        return {
            "format": "radlink.fellegi_sunter/1",
            "params": {k: (np.asarray(v).tolist() if isinstance(v, (tuple, list, np.ndarray)) else v)
                       for k, v in self.get_params().items()},
            "n_levels_": self.n_levels_.tolist(),
            "m_": self.m_.tolist(),
            "u_": self.u_.tolist(),
            "lambda_": self.lambda_,
            "n_iter_": self.n_iter_,
            "n_features_in_": self.n_features_in_,
        }

    @classmethod
    def from_dict(cls, data: dict) -> FellegiSunterScorer:
        """A fitted scorer from :meth:`to_dict` output."""
        params = dict(data["params"])
        for key in ("n_levels", "term_frequency", "comparison_names"):
            if params.get(key) is not None:
                params[key] = tuple(params[key])
        scorer = cls(**params)
        scorer.n_levels_ = np.asarray(data["n_levels_"], dtype=np.int64)
        scorer.m_ = np.asarray(data["m_"], dtype=np.float64)
        scorer.u_ = np.asarray(data["u_"], dtype=np.float64)
        scorer.lambda_ = float(data["lambda_"])
        scorer.n_iter_ = int(data["n_iter_"])
        scorer.converged_ = bool(data.get("converged_", True))
        scorer.n_features_in_ = int(data["n_features_in_"])
        return scorer

    def save(self, path: str | Path) -> None:
        """Write the fitted scorer as JSON."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> FellegiSunterScorer:
        """Read a scorer written by :meth:`save`."""
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def _log_table(probabilities: np.ndarray) -> np.ndarray:
    """``log(max(p, eps))`` of each comparison's levels, plus a last column of 0 (the null level's term)."""
    table = np.log(np.maximum(probabilities, _EPS))
    return np.concatenate([table, np.zeros((len(table), 1))], axis=1)


def _distinct_rows(lv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(lv, axis=0, return_counts=True)`` (counts as float) for small integer levels, faster.

    Each row is packed into one integer (levels from -1, base ``max + 2``), so the rows'
    lexicographic order is the integers' order; a sort and a mask find the runs.

    Examples
    --------
    >>> import numpy as np
    >>> p, c = _distinct_rows(np.array([[1, -1], [0, 2], [1, -1]]))
    >>> p.tolist(), c.tolist()
    ([[0, 2], [1, -1]], [1.0, 2.0])
    """
    lv = np.asarray(lv, dtype=np.int64)
    if lv.size == 0 or lv.min() < -1 or lv.shape[1] * np.log2(int(lv.max()) + 2) > 62:
        patterns, counts = np.unique(lv, axis=0, return_counts=True)
        return patterns, counts.astype(np.float64)
    base = int(lv.max()) + 2
    code = np.zeros(len(lv), dtype=np.int64)
    for j in range(lv.shape[1]):
        code = code * base + (lv[:, j] + 1)
    order = np.argsort(code, kind="stable")
    code = code[order]
    start = np.empty(len(code), dtype=bool)
    start[0] = True
    np.not_equal(code[1:], code[:-1], out=start[1:])
    first = np.flatnonzero(start)
    counts = np.diff(np.append(first, len(code))).astype(np.float64)
    return lv[order[first]], counts
