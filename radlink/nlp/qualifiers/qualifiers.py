"""Negation, hypothesis and comparison of findings, scoped to the finding's clause.

Imaging reports negate lists ("pas d'adénopathie hilaire, médiastinale ni
sus-claviculaire") and hedge at the end of a clause ("..., évocateur d'une
localisation secondaire"). A negation cue covers what follows it up to the end of
the clause or a scope breaker ("mais", "en revanche", ", avec"); a hedge covers its
whole clause; a negated finding is not hypothetical.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from edsnlp.core import PipelineProtocol
from edsnlp.pipes.base import BaseComponent
from edsnlp.utils.span_getters import SpanGetterArg, get_spans, validate_span_getter
from spacy.tokens import Doc, Span

from ..text import MultiScanner, WordScanner, clauses, doc_text
from . import patterns

__all__ = [
    "Qualifiers", "ImagingQualifiers", "RegionCues", "qualify", "clause_cues", "cue_scanners",
]

_I = re.IGNORECASE
_COMMA_BREAKER = re.compile(r",[ \t]*avec\b", _I)
_NON_BEFORE = re.compile(r"(?<![\w-])non[ \t-]$", _I)
# a question mark after a word (not in a URL or a "???" placeholder)
# (fixed-width lookbehinds: linear on long runs of blanks)
_QUESTION = re.compile(r"(?:(?<=[\w)])|(?<=[\w)][ \t]))\?(?!\?)")


def cue_scanners(
    negation_before: str | None = None,
    negation_after: str | None = None,
    negation_after_organ: str | None = None,
    scope_breakers: str | None = None,
    hypothesis: str | None = None,
    comparison: dict[str, str] | None = None,
) -> dict[str, WordScanner]:
    """The cue scanners, by kind, from the given regexes (``None``: :mod:`.patterns`).

    Every cue is looked for at word starts only, in one scan per kind (see WordScanner).
    """
    def words(name: str, regex: str | None, default: str) -> WordScanner:
        return WordScanner([(name, default if regex is None else regex)], suffix="")

    return {
        "neg_before": words("neg", negation_before, patterns.NEGATION_BEFORE),
        "neg_after": words("neg", negation_after, patterns.NEGATION_AFTER),
        "neg_after_organ": words("neg", negation_after_organ, patterns.NEGATION_AFTER_ORGAN),
        "breaker": words("breaker", scope_breakers, patterns.SCOPE_BREAKER),
        "hypothesis": words("hyp", hypothesis, patterns.HYPOTHESIS),
        "comparison": WordScanner(
            list((patterns.COMPARISON if comparison is None else comparison).items())
        ),
    }


CUE_SCANNERS: dict[str, WordScanner] = cue_scanners()
"""The cue scanners of :mod:`.patterns`, by kind: other pipes may run them in their own
single pass."""
CUE_SCANNERS_MULTI = MultiScanner(CUE_SCANNERS)
_HARD_SEPARATOR = re.compile(r";|\(|\)|\.(?!\d)")
_ASIDE = re.compile(patterns.ASIDE)


def _separated(text: str, start: int, end: int) -> bool:
    """Whether a hard separator stands between ``start`` and ``end``, a closed aside
    ("(SUVmax 6,8 initialement)") counting as none."""
    at = start
    for m in _ASIDE.finditer(text, start, end):
        if _HARD_SEPARATOR.search(text, at, m.start()):
            return True
        at = m.end()
    return _HARD_SEPARATOR.search(text, at, end) is not None
# What may sit between an organ of a label and the colon that ends it: other organs of
# the same label ("Foie, surrénales et squelette : pas de foyer suspect").
_LABEL_GAP = re.compile(r"[^:.;()\n\d]{0,80}?:[ \t]*")
_SEPARATOR = re.compile(r",|;|\bet\b|\bou\b|\(|\)", _I)


@dataclass
class Qualifiers:
    """Qualifiers of one finding."""

    negated: bool = False
    hypothesis: bool = False
    comparison: str | None = None


@dataclass
class ClauseCues:
    """Cues found once per clause, reused for each of its findings."""

    neg_before: list[tuple[int, int]]
    neg_after: list[tuple[int, int]]
    neg_after_organ: list[tuple[int, int]]
    breakers: list[int]
    hypothesis: bool
    comparison: list[tuple[int, str]]


class RegionCues:
    """Qualifier cues of a whole region (a section), found once and sliced by clause."""

    def __init__(self, text: str, start: int, end: int, matches: dict | None = None):
        if matches is None:
            matches = CUE_SCANNERS_MULTI.scan(text, start, end)
        self.neg_before = [(s, e) for s, e, _ in matches["neg_before"]]
        self.neg_after = [(s, e) for s, e, _ in matches["neg_after"]]
        self.neg_after_organ = [(s, e) for s, e, _ in matches["neg_after_organ"]]
        self.breakers = sorted(
            [s for s, _, _ in matches["breaker"]]
            + [m.start() for m in _COMMA_BREAKER.finditer(text, start, end)]
        )
        self.hypothesis = [s for s, _, _ in matches["hypothesis"]]
        if text.find("?", start, end) >= 0:
            # a question hedges its clause: "opacité alvéolaire du LIG, inhalation ?"
            self.hypothesis = sorted(self.hypothesis + [m.start() for m in _QUESTION.finditer(text, start, end)])
        self.comparison = [(s, code) for s, _, code in matches["comparison"]]
        # start offsets of each (sorted) list, to slice a clause by bisection
        self._starts = {
            name: [c[0] for c in getattr(self, name)]
            for name in ("neg_before", "neg_after", "neg_after_organ", "comparison")
        }

    def _within(self, name: str, start: int, end: int) -> list:
        starts = self._starts[name]
        return getattr(self, name)[bisect_left(starts, start) : bisect_left(starts, end)]

    def clause(self, start: int, end: int) -> ClauseCues:
        """The cues of the clause ``[start, end)``."""
        hyp = self.hypothesis
        i = bisect_left(hyp, start)
        return ClauseCues(
            neg_before=self._within("neg_before", start, end),
            neg_after=self._within("neg_after", start, end),
            neg_after_organ=self._within("neg_after_organ", start, end),
            breakers=self.breakers[bisect_left(self.breakers, start) : bisect_left(self.breakers, end)],
            hypothesis=i < len(hyp) and hyp[i] < end,
            comparison=self._within("comparison", start, end),
        )


def clause_cues(
    text: str, start: int, end: int, scanner: MultiScanner | None = None
) -> ClauseCues:
    """Find the qualifier cues of the clause ``text[start:end]`` once.

    ``scanner`` is a :class:`MultiScanner` of :func:`cue_scanners` (default: the
    patterns module's).
    """
    matches = None if scanner is None else scanner.scan(text, start, end)
    return RegionCues(text, start, end, matches).clause(start, end)


def qualify(
    text: str,
    start: int,
    end: int,
    cues: ClauseCues,
    *,
    negation_after: bool = True,
    blockers: list[int] = (),
) -> Qualifiers:
    """Qualifiers of the finding ``text[start:end]`` given its clause's cues.

    ``negation_after=False`` ignores cues after the finding: "nodule pulmonaire sans
    fixation" describes a nodule, while "surrénales sans nodule", "foie et surrénales
    sans anomalie" and "Sein droit : pas de prise de contraste" negate an organ named
    first; a label before a colon gives its organs to the negation after it ("Foie,
    surrénales et squelette : pas de foyer suspect" negates all three). A cue after the
    finding does not count across a ``blockers`` position (a lesion word: "Foie
    homogène, nodule de la rate sans ...").

    Examples
    --------
    >>> t = "Pas d'adénopathie hilaire ni médiastinale, mais nodule pulmonaire, évocateur de métastase"
    >>> c = clause_cues(t, 0, len(t))
    >>> [qualify(t, s, s + len(w), c).negated for w in ("hilaire", "médiastinale", "pulmonaire") for s in [t.index(w)]]
    [True, True, False]
    >>> qualify(t, t.index("pulmonaire"), t.index("pulmonaire") + 10, c).hypothesis
    True
    """
    # "Cancer non métastasé": "non" right before the finding's word denies that word
    negated = start >= 4 and _NON_BEFORE.search(text, max(0, start - 5), start) is not None
    for _, ce in cues.neg_before:
        if ce <= start + 1 and not any(ce <= b < start for b in cues.breakers):
            negated = True
    if not negated:
        # "les adénopathies ne sont plus visibles": the lesion itself is negated
        after = cues.neg_after + (cues.neg_after_organ if negation_after else [])
        for cs, _ in after:
            if (
                cs >= end
                and not _separated(text, end, cs)
                and not any(end <= b < cs for b in cues.breakers)
                and (not negation_after or not any(end <= b < cs for b in blockers))
            ):
                negated = True
                break
    if not negated and negation_after:
        # "Sein droit : pas de prise de contraste suspecte", and each organ of a label
        # naming several: "Foie, surrénales et squelette : pas de foyer suspect"
        for cs, _ in cues.neg_before:
            if (
                cs >= end
                and _LABEL_GAP.fullmatch(text, end, cs)
                and not any(end <= b < cs for b in blockers)
            ):
                negated = True
                break
    comparison = None
    if cues.comparison:
        # the cue nearest to the finding
        comparison = min(cues.comparison, key=lambda c: abs(c[0] - start))[1]
    return Qualifiers(
        negated=negated,
        hypothesis=cues.hypothesis and not negated,
        comparison=comparison,
    )


class ImagingQualifiers(BaseComponent):
    """The ``radlink.qualifiers`` pipe: negation, hypothesis and comparison of spans.

    Sets ``span._.negation``, ``span._.hypothesis`` (the extension names of edsnlp's
    ``eds.negation`` and ``eds.hypothesis``) and ``span._.comparison`` (``new``,
    ``increase``, ``decrease``, ``stable``, ``disappeared`` or ``None``) on the spans of
    ``span_getter``, each scoped to its clause. ``radlink.lesions`` qualifies its
    findings itself with the same rules; this pipe qualifies the spans of other pipes
    (for instance an ``eds.matcher``).

    Parameters
    ----------
    nlp : PipelineProtocol
        The pipeline.
    name : str
        Name of the pipe.
    span_getter : SpanGetterArg
        The spans to qualify: a ``doc.spans`` group name, a list of them, a dict of
        group name to ``True`` or labels, or a callable (as in edsnlp).
    negation_before, negation_after, negation_after_organ, scope_breakers, hypothesis : str, optional
        Regexes (alternations) of the cues; ``None`` uses :mod:`.patterns`
        (``NEGATION_BEFORE``, ``NEGATION_AFTER``, ``NEGATION_AFTER_ORGAN``,
        ``SCOPE_BREAKER``, ``HYPOTHESIS``).
    comparison : dict of str to str, optional
        Comparison code -> regex; ``None`` uses ``patterns.COMPARISON``.

    Examples
    --------
    >>> import edsnlp
    >>> nlp = edsnlp.blank("eds")
    >>> _ = nlp.add_pipe("eds.matcher", config={"terms": {"adp": ["adénopathie"]}, "attr": "LOWER", "span_setter": "findings"})
    >>> _ = nlp.add_pipe("radlink.qualifiers")
    >>> doc = nlp("Pas d'adénopathie. Adénopathie hilaire, suspecte de récidive.")
    >>> [(s.text, s._.negation, s._.hypothesis) for s in doc.spans["findings"]]
    [('adénopathie', True, False), ('Adénopathie', False, True)]
    """

    def __init__(
        self,
        nlp: PipelineProtocol | None = None,
        name: str = "radlink.qualifiers",
        *,
        span_getter: SpanGetterArg = "findings",
        negation_before: str | None = None,
        negation_after: str | None = None,
        negation_after_organ: str | None = None,
        scope_breakers: str | None = None,
        hypothesis: str | None = None,
        comparison: dict[str, str] | None = None,
    ):
        super().__init__(nlp, name)
        self.span_getter = validate_span_getter(span_getter)
        overrides = (negation_before, negation_after, negation_after_organ, scope_breakers,
                     hypothesis, comparison)
        self.scanner = (
            CUE_SCANNERS_MULTI if all(o is None for o in overrides)
            else MultiScanner(cue_scanners(*overrides))
        )

    def set_extensions(self) -> None:
        super().set_extensions()
        for attr in ("negation", "hypothesis", "comparison"):
            if not Span.has_extension(attr):
                Span.set_extension(attr, default=None)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        bounds = clauses(text)
        starts = [s for s, _ in bounds]
        cache: dict[int, ClauseCues] = {}
        for span in get_spans(doc, self.span_getter):
            i = bisect_right(starts, span.start_char) - 1
            if i < 0:
                continue
            cs, ce = bounds[i]
            if i not in cache:
                cache[i] = clause_cues(text, cs, ce, self.scanner)
            q = qualify(text, span.start_char, span.end_char, cache[i])
            span._.negation = q.negated
            span._.hypothesis = q.hypothesis
            span._.comparison = q.comparison
        return doc
