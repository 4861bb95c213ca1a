"""The lesion verifier: a learned second look at the lesion findings the rules propose.

The rules of :mod:`radlink.nlp.lesions` find lesion candidates with a high recall; some
are not lesions (an organ measured, a benign or physiological statement, an anatomical
description, a restatement, the history). :func:`verify_rows` describes each non-negated
lesion candidate of a batch by string features (:func:`candidate_features`: the words of
its clause with the trigger marked, the words around the trigger, section, étage,
modality, site, whether a size, SUVmax or side is attached, the flags, how many lesions
share its clause or its site in the report) and drops those the shipped
:class:`radlink.models.HashedLinearScorer` rejects, in one sparse matrix per batch.
Negated findings and reference values are never touched. The model is rebuilt from the
development gold sets by ``radlink train-lesion-verifier``
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

__all__ = ["candidate_features", "is_candidate", "verify_rows"]

_C = {c: i for i, c in enumerate(FINDINGS_COLUMNS)}
_F = {c: i for i, c in enumerate(REPORT_FACTS_COLUMNS)}
_WORD = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)?")
_STOP = frozenset("de du des la le les l d un une et a au aux en par sur avec".split())
_BOUNDARY = re.compile(r"[.;:\n!?]")
_CONTEXT = 160


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
    non-negated lesion.

    Examples
    --------
    >>> from radlink.tables import FINDINGS_COLUMNS
    >>> row = dict.fromkeys(FINDINGS_COLUMNS)
    >>> is_candidate(tuple({**row, "kind": "lesion", "negated": False}.values()))
    True
    """
    return row[_C["kind"]] == "lesion" and not row[_C["negated"]]


def _sentence(text: str, start: int, end: int) -> tuple[str, str, str]:
    """Left context, trigger and right context of a finding, within its sentence."""
    left = text[max(0, start - _CONTEXT):start]
    cut = [m.end() for m in _BOUNDARY.finditer(left)]
    left = left[cut[-1]:] if cut else left
    right = text[end:end + _CONTEXT]
    stop = _BOUNDARY.search(right)
    right = right[:stop.start()] if stop else right
    return left, text[start:end], right


def candidate_features(rows: Sequence[Sequence], texts: dict[str, str], modalities: dict[str, str | None]
                       ) -> list[list[str]]:
    """String features of each candidate row (tuples in ``FINDINGS_COLUMNS`` order).

    Parameters
    ----------
    rows : sequence of tuples
        The candidate findings of a batch, in report order (a report's rows together).
    texts : dict
        report_id -> the report's text as passed to the extractor (the rows' offsets).
    modalities : dict
        report_id -> the report's modality code.

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
    per_report = Counter(r[_C["report_id"]] for r in rows)
    per_clause = Counter((r[_C["report_id"]], r[_C["snippet"]]) for r in rows)
    seen_site: set[tuple] = set()
    seen_clause: set[tuple] = set()
    norms: dict[str, str] = {}
    out = []
    for r in rows:
        rid = r[_C["report_id"]]
        text = norms.get(rid)
        if text is None:
            text = norms[rid] = _normalised(texts.get(rid) or "")
        site = r[_C["site"]] or "<none>"
        left, trigger, right = _sentence(text, int(r[_C["start"]]), int(r[_C["end"]]))
        tw, lw, rw = _words(trigger), _words(left), _words(right)
        f = [
            f"modality={modalities.get(rid)}", f"section={r[_C['section']]}", f"etage={r[_C['etage']]}",
            f"site={site}", f"group={site_group(site)}", f"comparison={r[_C['comparison']]}",
            f"mod_site={modalities.get(rid)}_{site_group(site)}",
            f"n_report={min(per_report[rid], 6)}", f"n_clause={min(per_clause[(rid, r[_C['snippet']])], 4)}",
            f"left_len={min(len(lw), 8)}", f"right_len={min(len(rw), 12)}",
        ]
        if _given(r[_C["size_mm"]]):
            f.append("size")
        if _given(r[_C["suvmax"]]):
            f.append("suv")
        if _given(r[_C["previous_suvmax"]]):
            f.append("previous")
        if r[_C["laterality"]]:
            f.append("side")
        if r[_C["hypothesis"]]:
            f.append("hypothesis")
        key, clause = (rid, site_group(site)), (rid, site_group(site), r[_C["snippet"]])
        if clause in seen_clause:  # counted or enumerated lesions of one clause
            f.append("site_again_in_clause")
        else:
            f.append("site_again" if key in seen_site else "site_first")
        seen_site.add(key)
        seen_clause.add(clause)
        if not _given(r[_C["size_mm"]]) and not _given(r[_C["suvmax"]]):
            f.append(f"bare_{site_group(site)}")
        f += [f"t={w}" for w in tw]
        f += [f"l={w}" for w in lw if w not in _STOP]
        f += [f"r={w}" for w in rw if w not in _STOP]
        f += [f"l1={w}" for w in lw[-2:]]
        f += [f"r1={w}" for w in rw[:2]]
        context = [*lw, "<t>", *rw]
        f += [f"b={a}_{b}" for a, b in zip(context, context[1:], strict=False)]
        sentence = [*lw, *tw, *rw]
        f += [f"p={w[:5]}" for w in sentence if len(w) > 3]
        out.append(f)
    return out


def verify_rows(facts: list[tuple], findings: list[tuple], texts: dict[str, str],
                threshold: float | None = None, model=None) -> tuple[list[tuple], list[tuple]]:
    """Facts and findings rows of a batch with the rejected lesion candidates dropped.

    The candidates of the whole batch are scored at once; a report's remaining findings
    are renumbered (``<report_id>-01``...) and its ``n_lesions`` and ``max_suvmax``
    recounted from them.

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
    candidates = [i for i, r in enumerate(findings) if is_candidate(r)]
    if not candidates:
        return facts, findings
    modalities = {f[_F["report_id"]]: f[_F["modality"]] for f in facts}
    items = candidate_features([findings[i] for i in candidates], texts, modalities)
    keep = np.ones(len(findings), dtype=bool)
    keep[candidates] = (model or load_lesion_verifier()).accept(items, threshold)
    if keep.all():
        return facts, findings
    kept, number, lesions = [], Counter(), {}
    fid, kind, neg, suv = _C["finding_id"], _C["kind"], _C["negated"], _C["suvmax"]
    for r, ok in zip(findings, keep, strict=True):
        if not ok:
            continue
        rid = r[_C["report_id"]]
        number[rid] += 1
        kept.append((*r[:fid], f"{rid}-{number[rid]:02d}", *r[fid + 1:]))
        if r[kind] == "lesion" and not r[neg]:
            lesions.setdefault(rid, []).append(r[suv])
    out_facts = []
    for f in facts:
        values = [v for v in lesions.get(f[_F["report_id"]], []) if v is not None]
        f = list(f)
        f[_F["n_lesions"]] = len(lesions.get(f[_F["report_id"]], []))
        f[_F["max_suvmax"]] = max(values) if values else None
        out_facts.append(tuple(f))
    return out_facts, kept
