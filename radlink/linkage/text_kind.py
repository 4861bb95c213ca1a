"""What a report's words say about the kind of its exam, learned from the pairs the data already links.

A generic title ("CR d'imagerie", "Compte rendu") leaves the text: "chute sur la main,
tabatière anatomique" is a wrist radiograph, "traumatisme cervical" a cervical spine CT,
"thrombose fémoro-poplitée" a venous Doppler of the legs. Each warehouse writes its own
templates, so the words of each kind of exam (modality class and region, e.g. ``XR|WRIST``)
are learned on the data being linked: a naive Bayes model over the words of the reports
whose kind is already known, the accession-confirmed pairs and the reports whose candidate
exams are all of one kind.

The term only tells candidates apart: each candidate pair gets the tempered difference
between its kind's log-likelihood and the best of the report's candidate kinds (0 for the
best, never below ``-KIND_CAP``), so candidates of one kind stay tied and a report with a
single candidate is not moved.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

__all__ = ["KIND_MIN_REPORTS", "KIND_TEMPER", "KIND_CAP", "exam_kinds", "report_words", "fit_text_kinds",
           "text_kind_term"]

KIND_FEATURES = 2 ** 18
"""Hashed word space (collisions among a warehouse's few thousand report words are rare)."""

KIND_CHARS = 1500
"""Characters of each text read (the title is read too)."""

KIND_MIN_REPORTS = 200
"""Reports of known kind needed to learn the words; fewer: no term."""

KIND_MAX_REPORTS = 5_000
"""At most this many reports of known kind are read to learn (evenly spread over the rows)."""

KIND_MIN_COUNT = 2
"""A word is kept when at least this many of those reports have it."""

KIND_TEMPER = 0.3
"""Words of one report are not independent: the naive Bayes log-likelihoods are scaled down."""

KIND_CAP = 4.0
"""The most a candidate's kind can count against it."""

_SMOOTHING = 0.5
_SEPARATOR = "\x00"
_VECTORIZER = HashingVectorizer(n_features=KIND_FEATURES, binary=True, alternate_sign=False, norm=None,
                                strip_accents=None, lowercase=False, token_pattern=r"(?u)\b[^\W\d_]{3,}\b",
                                dtype=np.float32)
"""Fed texts already lower-cased and without accents (:func:`_without_accents`, as
``strip_accents="unicode", lowercase=True`` would make them)."""


WordsOf = Callable[[np.ndarray], sp.csr_matrix] | sp.csr_matrix


def _rows_reader(words: WordsOf) -> Callable[[np.ndarray], sp.csr_matrix]:
    return words if callable(words) else (lambda rows: words[rows])


def exam_kinds(mclass: np.ndarray, region: np.ndarray) -> np.ndarray:
    """``"CLASS|REGION"`` per exam (``"?"`` for an unknown part), None when both are unknown.

    Examples
    --------
    >>> import numpy as np
    >>> exam_kinds(np.array(["XR", None, None], dtype=object), np.array(["WRIST", "HEAD", None], dtype=object)).tolist()
    ['XR|WRIST', '?|HEAD', None]
    """
    m = pd.Series(np.asarray(mclass, dtype=object), dtype=object)
    r = pd.Series(np.asarray(region, dtype=object), dtype=object)
    kind = m.fillna("?").astype(str) + "|" + r.fillna("?").astype(str)
    return np.where(m.isna() & r.isna(), None, kind.to_numpy(dtype=object)).astype(object)


def report_words(reports: pd.DataFrame) -> sp.csr_matrix:
    """Which words each report's title and text opening have (one row per report, hashed, 0/1).

    Examples
    --------
    >>> import pandas as pd
    >>> x = report_words(pd.DataFrame({"title": ["CR", None], "text": ["Chute sur la main", None]}))
    >>> x.shape[0], int(x[0].sum()), int(x[1].sum())
    (2, 3, 0)
    """
    n = len(reports)
    title = reports["title"] if "title" in reports else pd.Series([None] * n, dtype=object)
    text = reports["text"] if "text" in reports else pd.Series([None] * n, dtype=object)
    joined = (pd.Series(title.to_numpy(dtype=object), dtype=object).fillna("").astype(str) + "\n"
              + pd.Series(text.to_numpy(dtype=object), dtype=object).fillna("").astype(str).str.slice(0, KIND_CHARS))
    return _VECTORIZER.transform(_without_accents(joined.tolist())).tocsr()


def _without_accents(texts: list[str]) -> list[str]:
    """The texts lower-cased and without accents, as ``strip_accents="unicode", lowercase=True``
    would make them, in a few passes over all texts at once.

    NFKD decomposes each character on its own (its canonical reordering only moves combining
    marks, all dropped), so the joined texts are decomposed once and each combining mark
    present removed once.

    Examples
    --------
    >>> _without_accents(["Fémur DROIT", "œdème", ""])
    ['femur droit', 'œdeme', '']
    """
    lower = [t.lower() for t in texts]
    joined = _SEPARATOR.join(lower)
    if not lower or joined.count(_SEPARATOR) != len(lower) - 1:  # a text holding the separator
        return [_strip_accents(t) for t in lower]
    joined = unicodedata.normalize("NFKD", joined)
    for c in set(joined):
        if unicodedata.combining(c):
            joined = joined.replace(c, "")
    return joined.split(_SEPARATOR)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _code_range(report_row: np.ndarray, code: np.ndarray, mask: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per report (``n`` of them): the lowest and highest kind code of its pairs under ``mask``
    (``iinfo.max`` and -1 for a report without any)."""
    lo = np.full(n, np.iinfo(np.int64).max)
    hi = np.full(n, -1, dtype=np.int64)
    np.minimum.at(lo, report_row[mask], code[mask])
    np.maximum.at(hi, report_row[mask], code[mask])
    return lo, hi


def fit_text_kinds(words: WordsOf, report_row: np.ndarray, exam_row: np.ndarray, kinds: np.ndarray,
                   confirmed: np.ndarray, min_reports: int = KIND_MIN_REPORTS) -> dict:
    """The words of each kind of exam, learned on the reports whose kind is known.

    Parameters
    ----------
    words : callable or scipy.sparse.csr_matrix
        The :func:`report_words` of the reports at given rows (a function of the rows, so that
        only the reports read are tokenised), or of every report.
    report_row, exam_row : ndarray
        The candidate pairs.
    kinds : ndarray
        :func:`exam_kinds` of every exam.
    confirmed : ndarray of bool
        Per pair: the report's own exam (e.g. confirmed by its accession number).
    min_reports : int
        Fewer reports of known kind: nothing is learned.

    Returns
    -------
    dict
        ``{"text_kind_reports": n}`` and, when learned, ``"text_kind_kinds"`` (names),
        ``"text_kind_words"`` (hashed word ids) and ``"text_kind_logp"`` (log P(word | kind),
        one list per kind): JSON-ready, reused as is by a later run.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> texts = ["Chute sur la main"] * 3 + ["Traumatisme du rachis cervical"] * 3
    >>> w = report_words(pd.DataFrame({"title": [None] * 6, "text": texts}))
    >>> kinds = np.array(["XR|WRIST", "CT|SPINE"], dtype=object)
    >>> model = fit_text_kinds(w, np.arange(6), np.repeat([0, 1], 3), kinds, np.ones(6, bool), min_reports=4)
    >>> model["text_kind_kinds"], model["text_kind_reports"]
    (['CT|SPINE', 'XR|WRIST'], 6)
    """
    report_row = np.asarray(report_row, dtype=np.int64)
    exam_row = np.asarray(exam_row, dtype=np.int64)
    kinds = np.asarray(kinds, dtype=object)
    pair_kind = kinds[exam_row] if len(exam_row) else np.zeros(0, dtype=object)
    known = pd.notna(pair_kind)
    # a report's kind: its confirmed exam's, else the one kind all its candidates share
    codes, names = pd.factorize(pd.Series(pair_kind, dtype=object))
    words = _rows_reader(words)
    n = int(report_row.max()) + 1 if len(report_row) else 0
    report_kind = np.full(n, -1, dtype=np.int64)
    lo, hi = _code_range(report_row, codes, known, n)
    has_unknown = np.zeros(n, dtype=bool)
    has_unknown[report_row[~known]] = True
    one_kind = (hi >= 0) & (lo == hi) & ~has_unknown
    report_kind[one_kind] = hi[one_kind]
    own = np.asarray(confirmed, dtype=bool) & known
    report_kind[report_row[own]] = codes[own]
    train = np.flatnonzero(report_kind >= 0)
    out: dict = {"text_kind_reports": int(len(train))}
    if len(train) < min_reports:
        return out
    if len(train) > KIND_MAX_REPORTS:
        train = train[np.linspace(0, len(train) - 1, KIND_MAX_REPORTS).astype(np.int64)]
    x = words(train)
    onehot = sp.csr_matrix((np.ones(len(train), dtype=np.float32), (report_kind[train], np.arange(len(train)))),
                           shape=(len(names), len(train)))
    counts = (onehot @ x).toarray()  # kinds x words
    vocab = np.flatnonzero(counts.sum(axis=0) >= KIND_MIN_COUNT)
    present = np.flatnonzero(np.bincount(report_kind[train], minlength=len(names)) > 0)
    order = present[np.argsort(np.asarray(names, dtype=object)[present].astype(str), kind="stable")]
    counts = counts[np.ix_(order, vocab)].astype(np.float64)
    logp = np.log((counts + _SMOOTHING) / (counts.sum(axis=1, keepdims=True) + _SMOOTHING * len(vocab)))
    out.update({"text_kind_kinds": [str(v) for v in np.asarray(names, dtype=object)[order]],
                "text_kind_words": [int(v) for v in vocab],
                "text_kind_logp": np.round(logp, 3).tolist()})
    return out


def text_kind_term(model: dict, words: WordsOf, report_row: np.ndarray, exam_row: np.ndarray,
                   kinds: np.ndarray, chunk_reports: int = 100_000, need: np.ndarray | None = None) -> np.ndarray:
    """Per candidate pair: how much less likely its exam's kind is than the report's best candidate kind.

    ``KIND_TEMPER`` times the difference of naive Bayes log-likelihoods, in ``[-KIND_CAP, 0]``;
    0 for pairs whose kind was not learned, and everywhere when ``model`` learned nothing.
    ``need`` (a mask over reports) restricts the reading to those reports (e.g. the ones whose
    title names no modality: a descriptive title already tells the kinds apart).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> texts = ["Chute sur la main"] * 3 + ["Traumatisme du rachis cervical"] * 3
    >>> w = report_words(pd.DataFrame({"title": [None] * 6, "text": texts}))
    >>> kinds = np.array(["XR|WRIST", "CT|SPINE"], dtype=object)
    >>> model = fit_text_kinds(w, np.arange(6), np.repeat([0, 1], 3), kinds, np.ones(6, bool), min_reports=4)
    >>> new = report_words(pd.DataFrame({"title": [None], "text": ["chute, main gauche"]}))
    >>> term = text_kind_term(model, new, np.array([0, 0]), np.array([0, 1]), kinds)
    >>> bool(term[0] == 0.0), bool(term[1] < -0.5)
    (True, True)
    """
    report_row = np.asarray(report_row, dtype=np.int64)
    term = np.zeros(len(report_row), dtype=np.float64)
    if not len(report_row) or "text_kind_logp" not in model:
        return term
    names = pd.Index(model["text_kind_kinds"])
    logp = np.asarray(model["text_kind_logp"], dtype=np.float64)
    vocab = np.asarray(model["text_kind_words"], dtype=np.int64)
    code = names.get_indexer(pd.Series(np.asarray(kinds, dtype=object)[exam_row], dtype=object))
    learned = code >= 0
    # only reports with candidates of at least two learned kinds can be told apart
    words = _rows_reader(words)
    n = int(report_row.max()) + 1
    lo, hi = _code_range(report_row, code, learned, n)
    told_apart = (hi >= 0) & (lo < hi)
    if need is not None:
        told_apart &= np.asarray(need, dtype=bool)[:n]
    rows = np.flatnonzero(told_apart)
    if not len(rows):
        return term
    sel = learned & np.isin(report_row, rows)
    ll = np.zeros(len(report_row), dtype=np.float64)
    local = np.full(n, -1, dtype=np.int64)
    for start in range(0, len(rows), chunk_reports):
        part = rows[start:start + chunk_reports]
        local[part] = np.arange(len(part))
        scores = np.asarray(words(part)[:, vocab] @ logp.T)  # reports x kinds
        in_part = sel & (local[report_row] >= 0)
        ll[in_part] = scores[local[report_row[in_part]], code[in_part]]
        local[part] = -1
    best = np.full(n, -np.inf)
    np.maximum.at(best, report_row[sel], ll[sel])
    term[sel] = np.maximum(KIND_TEMPER * (ll[sel] - best[report_row[sel]]), -KIND_CAP)
    return term
