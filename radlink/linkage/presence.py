"""Whether an exam's patient is in the registry at all, estimated per IPP format family.

A PACS holds exams of patients the registry does not know (patients of another hospital
of a grouping, outside films): for them every candidate is someone else, and the best of
a few hundred homonyms must stay unlinked. The exam→patient scorer's probability assumes
the patient is somewhere in the registry; this module gives each searched exam the prior
chance ``pi`` that its patient is registered at all and turns its candidates' match
weights into posteriors that leave room for "none of them":

    P(candidate k) = pi 2^w_k / N / ((1 - pi) + pi sum_j 2^w_j / N),

with ``N`` the registry's size (a registered patient is any one of ``N``, a priori) and
``w_j`` the candidates' match weights (log2 Bayes factors). ``pi`` is learned by EM from
the exams being linked, separately for each **IPP format family** (the carried IPP with
its letters kept and each digit read as 9: ``"B5066261"`` -> ``"B9999999"``,
:func:`~radlink.linkage.normalize.format_family`), shrunk towards the overall share: a family the registry never
issued (another site's numbering) is where absent patients gather, and the data say how
often. Nothing is assumed about any prefix.

The estimate is split into a summary and a decision, as every whole-table rule of the
linkage: :func:`presence_summary` counts exams per family and per bin of their summed
Bayes factor (additive: the Spark engine sums it over partitions) and
:func:`presence_priors` runs EM on the counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.linkage.normalize import format_family

__all__ = ["presence_formats", "presence_summary", "presence_priors", "candidate_posteriors", "describe_presence"]

_BIN_BITS = 0.125  # width of a bin of log2(sum of Bayes factors)
_MAX_BITS = 256.0  # weights are clipped to +-_MAX_BITS before 2^w
_SHRINK = 5.0  # a family's share is pulled towards the overall one as by this many exams
_START, _ITERATIONS = 0.9, 200


def presence_formats(ipps, registered: np.ndarray, registry_ids) -> np.ndarray:
    """The format family of each exam's IPP where it is evidence that the patient may be absent, else ``None``.

    Only an IPP of a **format family the registry never issued** (another site's
    numbering, an outside centre's) says the patient may be someone the registry does
    not know. An exam that carries a registered patient's IPP, an IPP of the registry's
    own format (a typo of one of ours) or no IPP is taken to be one of the registry's
    patients, as the scorer's probability assumes.

    Examples
    --------
    >>> presence_formats(["B5066261", "0047319052", None, "0047319053"], np.array([False, True, False, False]),
    ...                  ["0047319052"]).tolist()
    ['B9999999', None, None, None]
    """
    out = format_family(ipps)
    own = pd.Index(pd.unique(format_family(registry_ids)), dtype=object)
    out[np.asarray(registered, dtype=bool) | pd.Index(out, dtype=object).isin(own)] = None
    return out


def _log2_sum(weights: np.ndarray, exams: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(exam, log2 sum_j 2^w_j)`` per distinct exam of ``exams`` (weights clipped)."""
    w = np.clip(np.nan_to_num(np.asarray(weights, dtype=np.float64), nan=-_MAX_BITS), -_MAX_BITS, _MAX_BITS)
    uniq, inverse = np.unique(np.asarray(exams, dtype=np.int64), return_inverse=True)
    top = np.full(len(uniq), -np.inf)
    np.maximum.at(top, inverse, w)
    total = np.zeros(len(uniq))
    np.add.at(total, inverse, np.exp2(w - top[inverse]))
    return uniq, top + np.log2(total)


def presence_summary(scored: pd.DataFrame, formats: np.ndarray) -> pd.DataFrame:
    """Searched exams counted per IPP format family and bin of ``log2 sum_j 2^w_j``.

    Parameters
    ----------
    scored : pandas.DataFrame
        Scored candidate pairs: ``source_row`` (exam position) and ``match_weight``.
    formats : ndarray
        :func:`presence_formats` of every exam (by position); exams whose format is
        ``None`` (a registered IPP) are not counted.

    Returns
    -------
    pandas.DataFrame
        ``format``, ``bits`` (the bin's centre) and ``exams``; sums of summaries of
        disjoint sets of exams are the summary of their union.

    Examples
    --------
    >>> scored = pd.DataFrame({"source_row": [0, 0, 1], "match_weight": [3.0, 3.0, -2.0]})
    >>> presence_summary(scored, np.array(["9999", "B999"])).values.tolist()
    [['9999', 4.0, 1], ['B999', -2.0, 1]]
    """
    if not len(scored):
        return pd.DataFrame({"format": pd.Series([], dtype=object), "bits": np.zeros(0),
                             "exams": np.zeros(0, np.int64)})
    exams, bits = _log2_sum(scored["match_weight"].to_numpy(), scored["source_row"].to_numpy())
    binned = np.round(bits / _BIN_BITS) * _BIN_BITS
    family = np.asarray(formats, dtype=object)[exams]
    kept = pd.notna(family)
    frame = pd.DataFrame({"format": family[kept], "bits": binned[kept]})
    return frame.groupby(["format", "bits"], sort=True).size().rename("exams").reset_index()


def presence_priors(summary: pd.DataFrame, n_patients: int) -> dict[str, float]:
    """P(the exam's patient is registered) per IPP format family, by EM on a :func:`presence_summary`.

    Each exam's posterior of being registered is ``pi B / N / ((1 - pi) + pi B / N)``
    with ``B`` its summed Bayes factor; a family's ``pi`` is the mean posterior of its
    exams, shrunk towards the mean over all families as by a few exams (a family of
    one exam keeps about the overall share).

    Examples
    --------
    >>> s = pd.DataFrame({"format": ["9999"] * 2 + ["B999"] * 2, "bits": [40.0, 38.0, 40.0, 2.0],
    ...                   "exams": [50, 50, 20, 80]})
    >>> {k: round(v, 2) for k, v in presence_priors(s, 1500).items()}
    {'9999': 0.98, 'B999': 0.22}
    """
    summary = summary.groupby(["format", "bits"], sort=True)["exams"].sum().reset_index()
    if not len(summary) or n_patients <= 0:
        return {}
    codes, families = pd.factorize(summary["format"].to_numpy(dtype=object), sort=True)
    counts = summary["exams"].to_numpy(dtype=np.float64)
    per_family = np.bincount(codes, weights=counts, minlength=len(families))
    log_odds_data = summary["bits"].to_numpy(dtype=np.float64) - np.log2(n_patients)
    pi = np.full(len(families), _START)
    for _ in range(_ITERATIONS):
        present = _present(pi[codes], log_odds_data)
        overall = float((present * counts).sum() / counts.sum())
        new = (np.bincount(codes, weights=present * counts, minlength=len(families)) + _SHRINK * overall) / (
            per_family + _SHRINK)
        new = np.clip(new, 1e-6, 1 - 1e-6)
        if np.max(np.abs(new - pi)) < 1e-9:
            pi = new
            break
        pi = new
    return {str(f): float(p) for f, p in zip(families, pi, strict=True)}


def _present(pi: np.ndarray, log2_bayes_over_n: np.ndarray) -> np.ndarray:
    """``pi B/N / ((1 - pi) + pi B/N)`` from ``log2(B/N)``, without overflow."""
    logit = np.log2(pi) - np.log2(1 - pi) + log2_bayes_over_n
    return 1.0 / (1.0 + np.exp2(-np.clip(logit, -1000, 1000)))


def candidate_posteriors(weights: np.ndarray, exams: np.ndarray, prior: np.ndarray,
                         n_patients: int) -> tuple[np.ndarray, np.ndarray]:
    """Each candidate's posterior of being the exam's patient, and each pair's exam's posterior of absence.

    Parameters
    ----------
    weights : ndarray
        Match weights (log2 Bayes factors) of the candidate pairs.
    exams : ndarray
        The exam (any integer id) of each pair.
    prior : ndarray
        :func:`presence_priors`' value of each pair's exam.
    n_patients : int
        The registry's size.

    Examples
    --------
    >>> post, absent = candidate_posteriors(np.array([20.0, 5.0, 5.0]), np.array([0, 0, 1]),
    ...                                     np.array([0.9, 0.9, 0.3]), 1000)
    >>> post.round(3).tolist(), absent.round(3).tolist()
    ([1.0, 0.0, 0.014], [0.0, 0.0, 0.986])
    """
    w = np.clip(np.nan_to_num(np.asarray(weights, dtype=np.float64), nan=-_MAX_BITS), -_MAX_BITS, _MAX_BITS)
    exams = np.asarray(exams, dtype=np.int64)
    if not len(w):
        return np.zeros(0), np.zeros(0)
    uniq, bits = _log2_sum(w, exams)
    at = np.searchsorted(uniq, exams)
    prior = np.clip(np.asarray(prior, dtype=np.float64), 1e-12, 1 - 1e-12)
    # everything relative to the exam's largest term, in log2: absent, and pi 2^w / N per candidate
    log_absent = np.log2(1 - prior)
    log_scale = np.log2(prior) - np.log2(n_patients)
    log_present = log_scale + bits[at]
    top = np.maximum(log_absent, log_present)
    denominator = np.exp2(log_absent - top) + np.exp2(log_present - top)
    post = np.exp2(log_scale + w - top) / denominator
    absent = np.exp2(log_absent - top) / denominator
    return post, absent


def describe_presence(priors: dict[str, float] | None) -> str:
    """One line per foreign IPP format family: the estimated share of its searched exams whose patient is registered.

    Format families hold no identifier (every digit is read as 9).

    Examples
    --------
    >>> print(describe_presence({"9999999999": 0.999, "B9999999": 0.3}))
    searched exams whose patient is in the registry, per IPP format family (estimated):
      9999999999  0.999
      B9999999  0.300
    """
    if not priors:
        return ("searched exams whose patient is in the registry: all taken to be (no searched exam carries an IPP "
                "of a format family the registry never issued)")
    lines = ["searched exams whose patient is in the registry, per IPP format family (estimated):"]
    lines += [f"  {family}  {share:.3f}" for family, share in sorted(priors.items())]
    return "\n".join(lines)
