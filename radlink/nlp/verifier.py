"""The lesion verifier: a learned second look at the lesion findings the rules propose.

The rules of :mod:`radlink.nlp.lesions` find lesion candidates with a high recall; some
are not lesions (an organ measured, a benign or physiological statement, an anatomical
description, a restatement, the history). :func:`verify_rows` describes each candidate of
a batch by string features (:func:`candidate_features`: the words of its sentence left
and right of the trigger, the trigger's words, their five-letter stems, section, étage, modality, site, whether a
size or side is attached, the flags, how many lesions share its clause or its site in the
report) and drops those the shipped :class:`radlink.models.HashedLinearScorer` rejects,
in one sparse matrix per batch. The extractor runs it by default
(``ReportExtractor(verify_lesions=False)`` or ``--no-verify-lesions`` switch it off).

Only non-negated lesions **without a SUVmax or a previous SUVmax** are candidates
(:func:`is_candidate`): a value is a fact of the report that no verdict on its row may
lose, and a row that carries one is kept (the lesions with a value still count as context
for the others' features). Negated findings and reference values are never touched. The
model is rebuilt from the development gold sets by ``radlink train-lesion-verifier``
(:mod:`radlink.nlp.verifier_training`).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from radlink.models import load_lesion_verifier
from radlink.tables import FINDINGS_COLUMNS, REPORT_FACTS_COLUMNS
from radlink.vocabulary import site_group

__all__ = ["candidate_features", "is_candidate", "is_lesion", "verify_rows"]

_C = {c: i for i, c in enumerate(FINDINGS_COLUMNS)}
_F = {c: i for i, c in enumerate(REPORT_FACTS_COLUMNS)}
_WORD = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)?")
_STOP = frozenset("de du des la le les l d un une et a au aux en par sur avec".split())
_BOUNDARY = re.compile(r"[.;:\n!?]")  # also the characters _sentence looks for on the left
_CONTEXT = 160
_N_REPORT = [f"n_report={n}" for n in range(7)]
_N_CLAUSE = [f"n_clause={n}" for n in range(5)]
_LEFT_LEN = [f"left_len={n}" for n in range(9)]
_RIGHT_LEN = [f"right_len={n}" for n in range(13)]


def _words(text: str) -> list[str]:
    """Word tokens of already lower-cased text; numbers as ``<n>``."""
    if "&" in text:
        text = html.unescape(text)
    return ["<n>" if w[0].isdigit() else w for w in _WORD.findall(text)]


def _normalised(text: str) -> str:
    """Lower case, the same length as ``text`` (offsets stay valid)."""
    norm = text.lower()
    return norm if len(norm) == len(text) else text


def _given(value) -> bool:
    return value is not None and value == value


def is_candidate(row: Sequence) -> bool:
    """Whether a findings row (a tuple in ``FINDINGS_COLUMNS`` order) is verified: a
    non-negated lesion that carries no SUVmax and no previous SUVmax.

    A lesion with a SUVmax is kept whatever its score: the value is a fact of the report
    (a wrong site costs one site, dropping the row would lose the value too).

    Examples
    --------
    >>> from radlink.tables import FINDINGS_COLUMNS
    >>> row = dict.fromkeys(FINDINGS_COLUMNS)
    >>> is_candidate(tuple({**row, "kind": "lesion", "negated": False}.values()))
    True
    >>> is_candidate(tuple({**row, "kind": "lesion", "negated": False, "suvmax": 6.2}.values()))
    False
    """
    return is_lesion(row) and not _given(row[_C["suvmax"]]) and not _given(row[_C["previous_suvmax"]])


def _sentence(text: str, start: int, end: int) -> tuple[str, str, str]:
    """Left context, trigger and right context of a finding, within its sentence."""
    left = text[max(0, start - _CONTEXT):start]
    cut = max(left.rfind("."), left.rfind(";"), left.rfind(":"), left.rfind("\n"), left.rfind("!"), left.rfind("?"))
    left = left[cut + 1:]
    right = text[end:end + _CONTEXT]
    stop = _BOUNDARY.search(right)
    right = right[:stop.start()] if stop else right
    return left, text[start:end], right


def is_lesion(row: Sequence) -> bool:
    """Whether a findings row is a non-negated lesion (a candidate or a lesion with a SUVmax)."""
    return row[_C["kind"]] == "lesion" and not row[_C["negated"]]


def candidate_features(rows: Sequence[Sequence], texts: dict[str, str], modalities: dict[str, str | None],
                       scored: Sequence[bool] | None = None) -> list[list[str]]:
    """String features of each candidate row (tuples in ``FINDINGS_COLUMNS`` order).

    Parameters
    ----------
    rows : sequence of tuples
        The non-negated lesion findings of a batch, in report order (a report's rows
        together): the candidates and the lesions with a SUVmax, which count for the
        features of the others (lesions per report and clause, a site seen before).
    texts : dict
        report_id -> the report's text as passed to the extractor (the rows' offsets).
    modalities : dict
        report_id -> the report's modality code.
    scored : sequence of bool, optional
        Which rows get features (default: all); the others are context only.

    Returns
    -------
    list of list of str
        One feature list per scored row, in order.

    Examples
    --------
    >>> from radlink.tables import FINDINGS_COLUMNS
    >>> text = "Résultats : tronc de l'AP mesuré à 27 mm."
    >>> row = {**dict.fromkeys(FINDINGS_COLUMNS), "report_id": "R1", "kind": "lesion",
    ...        "site": "lung", "size_mm": 27.0, "negated": False, "hypothesis": False,
    ...        "section": "results", "start": 12, "end": 17, "snippet": text[12:]}
    >>> f = candidate_features([tuple(row.values())], {"R1": text}, {"R1": "CT"})[0]
    >>> "t=tronc" in f, "size" in f, "r=mesuré" in f, "modality=CT" in f
    (True, True, True, True)
    """
    rid_i, site_i, snip_i = _C["report_id"], _C["site"], _C["snippet"]
    per_report = Counter(r[rid_i] for r in rows)
    per_clause = Counter((r[rid_i], r[snip_i]) for r in rows)
    seen_site: set[tuple] = set()
    seen_clause: set[tuple] = set()
    norms: dict[str, str] = {}
    out = []
    for i, r in enumerate(rows):
        rid = r[rid_i]
        site = r[site_i] or "<none>"
        group = site_group(site)
        key, clause = (rid, group), (rid, group, r[snip_i])
        again = ("site_again_in_clause" if clause in seen_clause  # counted or enumerated lesions of one clause
                 else "site_again" if key in seen_site else "site_first")
        seen_site.add(key)
        seen_clause.add(clause)
        if scored is not None and not scored[i]:
            continue
        text = norms.get(rid)
        if text is None:
            text = norms[rid] = _normalised(texts.get(rid) or "")
        left, trigger, right = _sentence(text, int(r[_C["start"]]), int(r[_C["end"]]))
        tw, lw, rw = _words(trigger), _words(left), _words(right)
        modality = modalities.get(rid)
        size = r[_C["size_mm"]]
        f = [
            f"modality={modality}", f"section={r[_C['section']]}", f"etage={r[_C['etage']]}",
            f"site={site}", f"group={group}", f"comparison={r[_C['comparison']]}",
            f"mod_site={modality}_{group}",
            _N_REPORT[min(per_report[rid], 6)], _N_CLAUSE[min(per_clause[(rid, r[snip_i])], 4)],
            _LEFT_LEN[min(len(lw), 8)], _RIGHT_LEN[min(len(rw), 12)],
        ]
        if r[_C["laterality"]]:
            f.append("side")
        if r[_C["hypothesis"]]:
            f.append("hypothesis")
        f.append(again)
        f.append("size" if size is not None and size == size else f"bare_{group}")
        f += ["t=" + w for w in tw]
        f += ["l=" + w for w in lw if w not in _STOP]
        f += ["r=" + w for w in rw if w not in _STOP]
        f += ["l1=" + w for w in lw[-2:]]
        f += ["r1=" + w for w in rw[:2]]
        f += ["p=" + w[:5] for w in (*lw, *tw, *rw) if len(w) > 3]  # stems: "mesuré", "mesurée"
        out.append(f)
    return out


def verify_rows(facts: list[tuple], findings: list[tuple], texts: dict[str, str],
                threshold: float | None = None, model=None) -> tuple[list[tuple], list[tuple]]:
    """Facts and findings rows of a batch with the rejected lesion candidates dropped.

    The candidates of the whole batch are scored at once; the remaining findings of a
    report that lost one are renumbered (``<report_id>-01``...) and its ``n_lesions`` and
    ``max_suvmax`` recounted from them (the other reports' rows are passed through).

    Parameters
    ----------
    facts, findings : list of tuples
        Rows in ``REPORT_FACTS_COLUMNS`` and ``FINDINGS_COLUMNS`` order.
    texts : dict
        report_id -> text as passed to the extractor.
    threshold : float, optional
        The model's threshold unless given.
    model : radlink.models.HashedLinearScorer, optional
        The shipped verifier (:func:`radlink.models.load_lesion_verifier`) unless given.
    """
    lesions = [i for i, r in enumerate(findings) if is_lesion(r)]
    scored = [is_candidate(findings[i]) for i in lesions]
    candidates = [i for i, s in zip(lesions, scored, strict=True) if s]
    if not candidates:
        return facts, findings
    modalities = {f[_F["report_id"]]: f[_F["modality"]] for f in facts}
    items = candidate_features([findings[i] for i in lesions], texts, modalities, scored=scored)
    keep = np.ones(len(findings), dtype=bool)
    keep[candidates] = (model or load_lesion_verifier()).accept(items, threshold)
    if keep.all():
        return facts, findings
    rid_i = _C["report_id"]
    changed = {findings[i][rid_i] for i in np.flatnonzero(~keep)}
    kept, number, lesions = [], Counter(), {}
    fid, suv = _C["finding_id"], _C["suvmax"]
    for r, ok in zip(findings, keep, strict=True):
        rid = r[rid_i]
        if rid not in changed:
            kept.append(r)
            continue
        if not ok:
            continue
        number[rid] += 1
        kept.append((*r[:fid], f"{rid}-{number[rid]:02d}", *r[fid + 1:]))
        if is_lesion(r):
            lesions.setdefault(rid, []).append(r[suv])
    out_facts = []
    for f in facts:
        rid = f[_F["report_id"]]
        if rid in changed:
            values = [v for v in lesions.get(rid, []) if v is not None]
            f = list(f)
            f[_F["n_lesions"]] = len(lesions.get(rid, []))
            f[_F["max_suvmax"]] = max(values) if values else None
            f = tuple(f)
        out_facts.append(f)
    return out_facts, kept
