"""How long after its exam a report is signed, learned from the warehouse being linked.

Time between an exam and a report is *evidence*, not a gate: each candidate pair falls
in one delay level (:data:`DELAY_LEVELS`, out to 60 days and beyond) and gets the weight
``ln(m / u)`` of that level, where ``m`` is the share of true pairs and ``u`` the share
of other candidate pairs (the same patient's other exams) at that delay.

Both are estimated on the data being linked (:func:`fit_delay_model`):

* from **accession-confirmed pairs** when there are enough (``m`` from their delays,
  ``u`` from the same reports' other candidate exams);
* else by **EM**: each report's candidates get a posterior of being its exam (a
  softmax against "none of them" over the other evidence plus the delay weight), and
  ``m`` / ``u`` are re-estimated from the posteriors, a few rounds.

``m`` is estimated per modality class (``PET``, ``CT``...) and shrunk towards the
pooled estimate (a class with few pairs takes the pooled shape); where the exams say
their site (DICOM institution) and a site has enough pairs of a class, and its delays
differ from the class's beyond noise (a G-test at p < 0.001, Bonferroni-corrected), that site gets its own
``m`` for the class, shrunk towards the class's (``"sites"`` in the model: two sites of
one warehouse may validate reports at very different paces). A report signed
before its exam beyond the clock skew gets a fixed weight against, never learned.
The fitted model is a plain JSON-ready dict (:func:`fit_delay_model`'s return), kept
with the run and reusable through :attr:`LinkageSettings.delay_model`.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

__all__ = ["DELAY_EDGES_HOURS", "DELAY_LEVELS", "delay_level", "fit_delay_model", "delay_weights",
           "describe_delay_model"]

DELAY_EDGES_HOURS: tuple[float, ...] = (-2.0, 0.0, 4.0, 12.0, 24.0, 48.0, 96.0, 168.0, 336.0, 504.0,
                                        720.0, 1080.0, 1440.0)
"""Upper edges (hours after the exam) of the delay levels but the last; the first edge is
replaced by minus the clock skew of the settings."""

DELAY_LEVELS: tuple[str, ...] = ("before_exam", "clock_skew", "0-4h", "4-12h", "12-24h", "1-2d", "2-4d",
                                 "4-7d", "7-14d", "14-21d", "21-30d", "30-45d", "45-60d", "60d+")
"""Names of the delay levels (``before_exam``: signed before the exam beyond the skew)."""

BEFORE_EXAM_WEIGHT = -8.0
"""Weight of a report signed before its exam beyond the clock skew (fixed, not learned)."""

_CLIP = (-6.0, 5.0)
_SHRINK = 30.0  # pseudo-pairs of the pooled shape in each class's estimate
_PRIOR = np.array([0.0, 0.01, 0.15, 0.15, 0.15, 0.15, 0.12, 0.08, 0.08, 0.04, 0.03, 0.02, 0.01, 0.01])


def delay_level(hours: np.ndarray, skew_hours: float = 2.0) -> np.ndarray:
    """Index in :data:`DELAY_LEVELS` of each delay (NaN: the ``clock_skew`` level, neutral-ish).

    Examples
    --------
    >>> import numpy as np
    >>> [DELAY_LEVELS[i] for i in delay_level(np.array([-5.0, -1.0, 2.0, 30.0, 24 * 70]))]
    ['before_exam', 'clock_skew', '0-4h', '1-2d', '60d+']
    """
    edges = np.array((-float(skew_hours),) + DELAY_EDGES_HOURS[1:])
    hours = np.asarray(hours, dtype=np.float64)
    level = np.searchsorted(edges, np.nan_to_num(hours, nan=-0.5), side="right")
    return level.astype(np.int64)


def _shares(counts: np.ndarray, alpha: float = 0.5) -> np.ndarray:
    c = np.asarray(counts, dtype=np.float64).copy()
    c[0] = 0.0
    c[1:] += alpha
    return c / c.sum()


def _weighted_quantiles(hours: np.ndarray, weight: np.ndarray, qs=(0.5, 0.9)) -> list[float | None]:
    ok = np.isfinite(hours) & (weight > 0)
    if not ok.any():
        return [None for _ in qs]
    order = np.argsort(hours[ok], kind="stable")
    h, w = hours[ok][order], weight[ok][order]
    cum = np.cumsum(w) / w.sum()
    return [round(float(h[min(np.searchsorted(cum, q), len(h) - 1)]), 1) for q in qs]


def _differs(counts: np.ndarray, expected_shares: np.ndarray, z: float = 3.09) -> bool:
    """Whether delays ``counts`` differ from ``expected_shares`` beyond noise (G-test, p < 0.001).

    The chi-square quantile is the Wilson–Hilferty approximation (no scipy needed).

    Examples
    --------
    >>> import numpy as np
    >>> shares = np.array([0.0, 0.1, 0.4, 0.5])
    >>> _differs(np.array([0.0, 10, 40, 50]), shares), _differs(np.array([0.0, 60, 20, 20]), shares)
    (False, True)
    """
    ok = (counts > 0) & (expected_shares > 0)
    total = counts.sum()
    df = int((expected_shares > 0).sum()) - 1
    if total <= 0 or df < 1:
        return False
    g = 2.0 * float(np.sum(counts[ok] * np.log(counts[ok] / (total * expected_shares[ok]))))
    critical = df * (1.0 - 2.0 / (9.0 * df) + z * np.sqrt(2.0 / (9.0 * df))) ** 3
    return bool(g > critical)


def _site_model(level, hours, mclass, site, w_m, classes, min_pairs) -> dict:
    """m per site and class with at least ``min_pairs`` (weighted) pairs whose delays differ from the
    class's beyond noise (:func:`_differs`, Bonferroni-corrected over the site-class pairs
    tested), shrunk to the class's m."""
    out: dict = {}
    if site is None or not len(level):
        return out
    n_levels = len(DELAY_LEVELS)
    s_codes, s_names = pd.factorize(pd.Series(np.asarray(site, dtype=object), dtype=object))
    c_codes, c_names = pd.factorize(pd.Series(np.asarray(mclass, dtype=object), dtype=object))
    if len(s_names) < 2:  # one site: its shape is the class's
        return out
    ok = (s_codes >= 0) & (c_codes >= 0)
    group = s_codes[ok] * len(c_names) + c_codes[ok]
    n_groups = len(s_names) * len(c_names)
    # every (site, class) group's delay counts in one pass
    counts_all = np.bincount(group * n_levels + level[ok], weights=w_m[ok],
                             minlength=n_groups * n_levels).reshape(n_groups, n_levels)
    counts_all[:, 0] = 0.0
    sizes = np.bincount(group, weights=w_m[ok], minlength=n_groups)
    tested = np.flatnonzero(sizes >= min_pairs)
    if not len(tested):
        return out
    z = NormalDist().inv_cdf(1.0 - 0.001 / len(tested))
    for g in tested:
        name, c = str(s_names[g // len(c_names)]), str(c_names[g % len(c_names)])
        base = np.asarray(classes.get(c, classes["*"])["m"], dtype=np.float64)
        counts = counts_all[g]
        if not _differs(counts, base, z=z):
            continue  # the site's delays are the class's, within noise: no shape of its own
        m_s = (counts + _SHRINK * base) / (counts.sum() + _SHRINK)
        sel = np.zeros(len(level), dtype=bool)
        sel[np.flatnonzero(ok)[group == g]] = True
        med, p90 = _weighted_quantiles(hours[sel], w_m[sel])
        out.setdefault(name, {})[c] = {"pairs": round(float(sizes[g]), 1), "m": m_s.round(5).tolist(),
                                       "median_hours": med, "p90_hours": p90}
    return dict(sorted((k, dict(sorted(v.items()))) for k, v in out.items()))
    n_levels = len(DELAY_LEVELS)
    site = np.asarray(site, dtype=object)
    cls = np.asarray(mclass, dtype=object)
    known = np.array([isinstance(x, str) for x in site], dtype=bool) if len(site) else np.zeros(0, bool)
    if not known.any():
        return out
    names = sorted({str(x) for x in site[known]})
    if len(names) < 2:  # one site: its shape is the class's
        return out
    for name in names:
        at = known & (site == name)
        for c in sorted({str(x) for x in cls[at] if isinstance(x, str)}):
            sel = at & (cls == c)
            n_c = float(w_m[sel].sum())
            if n_c < min_pairs:
                continue
            base = np.asarray(classes.get(c, classes["*"])["m"], dtype=np.float64)
            counts = np.bincount(level[sel], weights=w_m[sel], minlength=n_levels)
            counts[0] = 0.0
            if not _differs(counts, base):
                continue  # the site's delays are the class's, within noise: no shape of its own
            m_s = (counts + _SHRINK * base) / (counts.sum() + _SHRINK)
            med, p90 = _weighted_quantiles(hours[sel], w_m[sel])
            out.setdefault(name, {})[c] = {"pairs": round(n_c, 1), "m": m_s.round(5).tolist(),
                                           "median_hours": med, "p90_hours": p90}
    return out


def _model(level, hours, mclass, p_match, source, n_pairs, min_pairs, site=None) -> dict:
    """m per class (shrunk to the pooled m) and per site and class, u pooled, as a dict."""
    n_levels = len(DELAY_LEVELS)
    w_m = p_match
    w_u = 1.0 - p_match
    pooled_counts = np.bincount(level, weights=w_m, minlength=n_levels)
    m_pooled = _shares(pooled_counts)
    u = _shares(np.bincount(level, weights=w_u, minlength=n_levels))
    med, p90 = _weighted_quantiles(hours, w_m)
    classes = {"*": {"pairs": round(float(w_m.sum()), 1), "m": m_pooled.round(5).tolist(),
                     "median_hours": med, "p90_hours": p90}}
    cls = np.asarray(mclass, dtype=object)
    known = np.array([c is not None and c == c for c in cls], dtype=bool) if len(cls) else np.zeros(0, bool)
    for c in sorted({str(x) for x in cls[known]}):
        sel = known & (cls == c)
        n_c = float(w_m[sel].sum())
        if n_c < min_pairs:
            continue
        counts = np.bincount(level[sel], weights=w_m[sel], minlength=n_levels)
        counts[0] = 0.0
        m_c = (counts + _SHRINK * m_pooled) / (counts.sum() + _SHRINK)
        med, p90 = _weighted_quantiles(hours[sel], w_m[sel])
        classes[c] = {"pairs": round(n_c, 1), "m": m_c.round(5).tolist(), "median_hours": med, "p90_hours": p90}
    model = {"source": source, "pairs": int(n_pairs), "levels": list(DELAY_LEVELS),
             "u": u.round(5).tolist(), "classes": classes}
    sites = _site_model(level, hours, mclass, site, w_m, classes, min_pairs)
    if sites:
        model["sites"] = sites
    return model


def delay_weights(model: dict, mclass: np.ndarray, level: np.ndarray, site: np.ndarray | None = None) -> np.ndarray:
    """The weight ``ln(m / u)`` of each pair's delay level under ``model``.

    A pair takes its site's m for its class when the model has one (``site`` given),
    else its class's m, else the pooled m.

    Examples
    --------
    >>> import numpy as np
    >>> model = fit_delay_model(np.array([2, 2, 3, 9]), np.array([1.0, 2, 5, 200]), np.array(["CT"] * 4),
    ...                         np.array([0, 0, 1, 1]), labelled=np.array([True, False, True, False]), min_pairs=1)
    >>> w = delay_weights(model, np.array(["CT", "CT"]), np.array([2, 9]))
    >>> bool(w[0] > 0 > w[1])
    True
    """
    return _weights(model, _Groups.of(mclass, site), level)


class _Groups:
    """Pairs' modality class and site as integer codes (computed once, reused every EM round)."""

    def __init__(self, cls_codes, cls_names, site_codes, site_names):
        self.cls_codes, self.cls_names = cls_codes, cls_names
        self.site_codes, self.site_names = site_codes, site_names

    @classmethod
    def of(cls, mclass: np.ndarray, site: np.ndarray | None) -> _Groups:
        c_codes, c_names = pd.factorize(pd.Series(np.asarray(mclass, dtype=object), dtype=object))
        if site is None:
            s_codes, s_names = np.full(len(c_codes), -1, dtype=np.intp), []
        else:
            s_codes, s_names = pd.factorize(pd.Series(np.asarray(site, dtype=object), dtype=object))
        return cls(c_codes, list(c_names), s_codes, list(s_names))


def _weights(model: dict, groups: _Groups, level: np.ndarray) -> np.ndarray:
    """:func:`delay_weights` on precomputed groups: one small table, one lookup per pair."""
    u = np.maximum(np.asarray(model["u"], dtype=np.float64), 1e-9)

    def weight(m):
        return np.clip(np.log(np.maximum(np.asarray(m, dtype=np.float64), 1e-9) / u), *_CLIP)

    classes = model["classes"]
    sites = model.get("sites") or {}
    n_cls = len(groups.cls_names)
    # row (site + 1) * (n_cls + 1) + (class + 1): site -1 and class -1 are "unknown"
    table = np.empty(((len(groups.site_names) + 1) * (n_cls + 1), len(u)))
    for s_i, s_name in enumerate([None, *groups.site_names]):
        for c_i, c_name in enumerate([None, *groups.cls_names]):
            per = sites.get(s_name, {}) if s_name is not None else {}
            if c_name is not None and c_name in per:
                m = per[c_name]["m"]
            elif c_name is not None and c_name in classes:
                m = classes[c_name]["m"]
            else:
                m = classes["*"]["m"]
            table[s_i * (n_cls + 1) + c_i] = weight(m)
    row = (groups.site_codes + 1) * (n_cls + 1) + (groups.cls_codes + 1)
    out = table[row, np.asarray(level, dtype=np.int64)]
    out[np.asarray(level) == 0] = BEFORE_EXAM_WEIGHT
    return out


def fit_delay_model(
    level: np.ndarray,
    hours: np.ndarray,
    mclass: np.ndarray,
    report: np.ndarray,
    *,
    labelled: np.ndarray | None = None,
    other_logit: np.ndarray | None = None,
    min_pairs: int = 50,
    rounds: int = 8,
    site: np.ndarray | None = None,
) -> dict:
    """Estimate the delay model from candidate pairs.

    Parameters
    ----------
    level, hours, mclass : ndarray
        Per candidate pair: delay level (:func:`delay_level`), hours after the exam,
        exam modality class.
    report : ndarray of int
        The report of each pair (groups the candidates of one report).
    labelled : ndarray of bool, optional
        True on accession-confirmed pairs; the other candidates of those reports are
        non-matches. With at least ``min_pairs`` of them the model is learned from them.
    other_logit : ndarray, optional
        The pair's log-odds from everything but time (for EM); 0 when not given.
    min_pairs : int
        Fewest pairs for a class to get its own ``m`` (and for accession pairs to be used).
    rounds : int
        EM rounds.
    site : ndarray, optional
        The exam's site of each pair (e.g. its normalised DICOM institution; null when
        unknown): a site with at least ``min_pairs`` pairs of a class gets its own m.

    Returns
    -------
    dict
        ``source`` (``"accession"``, ``"em"`` or ``"prior"``), ``pairs``, ``levels``,
        ``u`` and per class (``"*"`` pooled) ``pairs``, ``m``, ``median_hours``, ``p90_hours``.
    """
    level = np.asarray(level, dtype=np.int64)
    hours = np.asarray(hours, dtype=np.float64)
    report = np.asarray(report, dtype=np.int64)
    n = len(level)
    if labelled is not None and int(np.asarray(labelled).sum()) >= min_pairs:
        lab = np.asarray(labelled, dtype=bool)
        confirmed = np.zeros(int(report.max()) + 1 if n else 0, dtype=bool)
        confirmed[report[lab]] = True
        keep = confirmed[report]
        return _model(level[keep], hours[keep], np.asarray(mclass, dtype=object)[keep],
                      lab[keep].astype(np.float64), "accession", int(lab.sum()), min_pairs,
                      site=None if site is None else np.asarray(site, dtype=object)[keep])
    if n == 0:
        return _model(level, hours, mclass, np.zeros(0), "prior", 0, min_pairs)
    other = np.zeros(n) if other_logit is None else np.asarray(other_logit, dtype=np.float64)
    u0 = _shares(np.bincount(level, minlength=len(DELAY_LEVELS)))
    model = {"u": u0.tolist(), "classes": {"*": {"m": _PRIOR.tolist()}}}
    codes, group = np.unique(report, return_inverse=True)
    groups = _Groups.of(mclass, site)
    p = np.zeros(n)
    for _ in range(rounds):
        s = np.clip(other + _weights(model, groups, level), -30, 30)
        e = np.exp(s)
        denom = 1.0 + np.bincount(group, weights=e, minlength=len(codes))
        p = e / denom[group]
        model = _model(level, hours, mclass, p, "em", 0, min_pairs, site=site)
    model["pairs"] = int(round(p.sum()))
    return model


def describe_delay_model(model: dict | None) -> str:
    """One line per modality class: where the model comes from, median and 90th centile delay.

    Examples
    --------
    >>> describe_delay_model({"source": "em", "pairs": 10, "classes": {"*": {"pairs": 10.0,
    ...     "median_hours": 20.0, "p90_hours": 70.0}}})
    'report delay model (em, 10 pairs): all median 20.0 h, p90 70.0 h'
    >>> describe_delay_model({"source": "accession", "pairs": 10, "classes": {}, "tie_delay_margin": 1.3,
    ...     "tie_delay_margin_reports": 80}).split("; ")[-1]
    'the delay alone tells look-alike exams apart from a weight gap of 1.30 (learned on 80 confirmed reports)'
    """
    if not model:
        return "report delay model: none (no candidate pairs)"
    parts = []
    for c, v in model["classes"].items():
        name = "all" if c == "*" else c
        parts.append(f"{name} median {v.get('median_hours')} h, p90 {v.get('p90_hours')} h")
    for site, per_class in (model.get("sites") or {}).items():
        parts.append(f"site {site}: " + ", ".join(f"{c} median {v.get('median_hours')} h, p90 {v.get('p90_hours')} h"
                                                  for c, v in per_class.items()))
    text = f"report delay model ({model['source']}, {model['pairs']} pairs): " + "; ".join(parts)
    if model.get("tie_delay_margin") is not None:
        text += (f"; the delay alone tells look-alike exams apart from a weight gap of {model['tie_delay_margin']:.2f}"
                 f" (learned on {model.get('tie_delay_margin_reports')} confirmed reports)")
    return text
