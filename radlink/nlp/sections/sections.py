"""Sections of imaging reports (indication, technique, comparison, results, conclusion).

Titles are matched with one compiled regex at line starts; PET "étages" (cervical,
thoracic, abdomino-pelvic, bone) are sub-sections found inside each section.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from edsnlp.core import PipelineProtocol
from edsnlp.pipes.base import BaseNERComponent
from edsnlp.utils.span_getters import SpanSetterArg
from spacy.tokens import Doc, Span

from ..text import doc_text, gated, line_local, make_span
from . import patterns

__all__ = [
    "ImagingSections",
    "find_sections",
    "find_etages",
    "find_report_sections",
    "doc_sections",
    "body_start",
    "section_regexes",
]

SECTIONS_KEY = "radlink.sections"
"""``doc.user_data`` key of the ``(sections, etages)`` tuples of :func:`find_report_sections`."""

BODIES_KEY = "radlink.section_bodies"
"""``doc.user_data`` key: ``{(start_char, label): body start char}`` of sections and étages."""


def body_start(span: Span) -> int:
    """Character offset where the body of a section (or étage) span starts."""
    return span.doc.user_data.get(BODIES_KEY, {}).get((span.start_char, span.label_), span.start_char)


def _heading(span: Span) -> Span | None:
    return make_span(span.doc, span.start_char, body_start(span), span.label_)


def _body(span: Span) -> Span | None:
    return make_span(span.doc, body_start(span), span.end_char, span.label_)


def _compile(table: dict[str, list[str]], end: str) -> re.Pattern:
    groups = []
    for code, regexes in table.items():
        groups.append(f"(?P<{code}>{'|'.join(regexes)})")
    # led by a lookahead on the characters a title line can start with: most lines
    # are rejected at their first character (same matches); after a bullet, another on
    # the characters a title can start with ("- pas d'adénopathie", "- nodule ...": a
    # list item is rejected there, not by each title in turn)
    flags = re.IGNORECASE | re.MULTILINE
    titles = gated(f"(?:{'|'.join(groups)})", flags)
    return re.compile(gated(rf"^{patterns.BULLET}{titles}{end}", flags), flags)


def _compile_inline(table: dict[str, list[str]]) -> re.Pattern:
    """Titles inside a line, after a sentence, ended by a colon (one group per code)."""
    return re.compile(
        gated(
            r"(?<=[.;\]][ \t])(?:"
            + "|".join(f"(?P<{code}>{'|'.join(regexes)})" for code, regexes in table.items())
            + r")[ \t]*:[ \t]*",
            re.IGNORECASE,
        ),
        re.IGNORECASE,
    )


# a title ends with a colon, a dash, a full stop or the line's end; before a colon it may
# carry what qualifies it, in brackets ("Résultats (mesures en diastole) :") or after a
# slash ("Clinical info / Renseignements cliniques :", "Abdomen / pelvis :")
_END = (
    r"[ \t]*(?:\(?s\)?)?[ \t]*(?:(?:\([^()\n]{0,80}\)[ \t]*|/[^/:\n]{1,40})(?=:))?"
    r"(?::|(?=\n)|$|-(?=[ \t])|\.(?=[ \t]*\n))[ \t]*"
)


@dataclass(frozen=True)
class SectionRegexes:
    """The compiled title regexes of sections, comma titles, inline titles and étages."""

    section: re.Pattern
    comma: re.Pattern
    inline: re.Pattern
    etage: re.Pattern
    etage_inline: re.Pattern


def section_regexes(
    sections: dict[str, list[str]] | None = None,
    comma_titles: dict[str, list[str]] | None = None,
    etages: dict[str, list[str]] | None = None,
) -> SectionRegexes:
    """Compile the title tables (code -> title regexes; ``None``: :mod:`.patterns`)."""
    sections = patterns.SECTIONS if sections is None else sections
    comma_titles = patterns.COMMA_TITLES if comma_titles is None else comma_titles
    etages = patterns.ETAGES if etages is None else etages
    return SectionRegexes(
        section=_compile(sections, _END),
        comma=_compile(comma_titles, r"[ \t]*,[ \t]*"),
        # titles inside a line, after a sentence: "TEP-TDM FDG. Indication : surveillance ..."
        inline=_compile_inline(sections),
        etage=_compile(etages, _END),
        # étage titles inside a line, after a sentence, ended by a colon: "... délai 70
        # min. Etage cervical : pas d'anomalie. Etage thoracique : ..." (a report
        # exported on one line)
        etage_inline=_compile_inline(etages),
    )


_REGEXES = section_regexes()


_SIGNATURE_RE = re.compile(
    gated(rf"^[ \t]*(?:{patterns.SIGNATURE})[ \t]*$", re.IGNORECASE | re.MULTILINE),
    re.IGNORECASE | re.MULTILINE,
)
_SENTENCE_END = re.compile(r"[.;\]][ \t]")  # "]": after a placeholder ("Dr [NOM] Indication :")
_INLINE_ETAGES = 2
"""Distinct étages a section must title inside its lines for those titles to count."""


def _line_starts(text: str, start: int, end: int) -> list[int]:
    """Offsets of the line starts in ``text[start:end]``."""
    starts = [start] if start == 0 or text[start - 1] == "\n" else []
    pos = text.find("\n", start, end)
    while pos != -1 and pos + 1 < end:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1, end)
    return starts


_LINE_MATCHES: dict[tuple[int, ...], tuple[tuple[re.Pattern, ...], dict[str, tuple | None] | None]] = {}
"""``id`` of each regex of a tuple -> the regexes and, when they are all
:func:`~radlink.nlp.text.line_local`, their matches of each line met, by the line's
text (``None`` when none matches)."""
_MAX_LINES = 50_000
"""Lines remembered per tuple of regexes, at most (then the others are matched each time)."""


def _at_line_starts(
    regexes: tuple[re.Pattern, ...], text: str, starts: list[int], end: int
) -> list[list[tuple[int, int, str | None]]]:
    """``(start, end, lastgroup)`` of the matches of each ``^``-anchored regex, tried at
    the line starts ``starts`` only (not at every character).

    A title regex reads nothing past its line's end (:func:`~radlink.nlp.text.line_local`):
    its match of a line is the same wherever the line is, so the matches of a line are
    remembered by the line's text (headings, list items and template sentences recur from
    report to report), the line read once for all the regexes.
    """
    key = tuple(map(id, regexes))
    entry = _LINE_MATCHES.get(key)
    if entry is None or any(a is not b for a, b in zip(entry[0], regexes, strict=True)):
        entry = _LINE_MATCHES[key] = (regexes, {} if all(map(line_local, regexes)) else None)
    memo = entry[1]
    outs: list[list[tuple[int, int, str | None]]] = [[] for _ in regexes]
    if memo is None:
        for regex, out in zip(regexes, outs, strict=True):
            match = regex.match
            out += [(m.start(), m.end(), m.lastgroup) for pos in starts if (m := match(text, pos, end)) is not None]
        return outs
    find = text.find
    for pos in starts:
        nl = find("\n", pos, end)
        line = text[pos : nl + 1 if nl >= 0 else end]  # what the regexes read, its line end included
        found = memo.get(line, False)
        if found is False:
            hits = tuple(None if (m := regex.match(line)) is None else (m.start(), m.end(), m.lastgroup)
                         for regex in regexes)
            found = hits if any(hits) else None
            if len(memo) < _MAX_LINES:
                memo[line] = found
        if found is not None:
            for hit, out in zip(found, outs, strict=True):
                if hit is not None:
                    out.append((pos + hit[0], pos + hit[1], hit[2]))
    return outs


def _sentence_ends(text: str) -> list[int]:
    """Offsets right after each sentence end of ``text`` (``". "``, ``"; "``, ``"] "``):
    the only places an inline title can start (its regex's lookbehind)."""
    return [e.end() for e in _SENTENCE_END.finditer(text)]


def _inline_matches(regex: re.Pattern, text: str, sentence_ends: list[int], start: int, end: int):
    """``regex.finditer(text, start, end)`` for an inline title regex, tried only at
    ``sentence_ends`` (:func:`_sentence_ends`): the same matches, since its lookbehind
    holds nowhere else (and two sentence ends are never adjacent)."""
    last = start
    for pos in sentence_ends[bisect_left(sentence_ends, start) : bisect_left(sentence_ends, end)]:
        if pos >= last and (m := regex.match(text, pos, end)) is not None:
            yield m
            last = m.end()


def _line_starts_within(text: str, starts: list[int], start: int, end: int) -> list[int]:
    """``_line_starts(text, start, end)`` read from ``starts``, the line starts of the
    whole text (found once per report)."""
    head = [start] if start == 0 or text[start - 1] == "\n" else []
    return head + starts[bisect_right(starts, start) : bisect_left(starts, end)]


def find_sections(
    text: str, regexes: SectionRegexes | None = None, starts: list[int] | None = None,
    sentence_ends: list[int] | None = None,
) -> list[tuple[str, int, int, int]]:
    """Sections of ``text`` as ``(code, title_start, body_start, end)``.

    ``regexes`` come from :func:`section_regexes` (default: the patterns module's);
    ``starts`` and ``sentence_ends`` are the text's line starts and
    :func:`_sentence_ends`, when already found.

    Examples
    --------
    >>> t = "Indication : bilan\\nRésultats\\nNodule.\\nConclusion : nodule"
    >>> [(c, t[b:e].strip()) for c, _, b, e in find_sections(t)]
    [('indication', 'bilan'), ('results', 'Nodule.'), ('conclusion', 'nodule')]
    """
    regexes = _REGEXES if regexes is None else regexes
    if starts is None:
        starts = _line_starts(text, 0, len(text))
    titles, commas, signatures = _at_line_starts(
        (regexes.section, regexes.comma, _SIGNATURE_RE), text, starts, len(text)
    )
    found = titles + commas
    for after in _sentence_ends(text) if sentence_ends is None else sentence_ends:
        if (m := regexes.inline.match(text, after)) is not None:
            found.append((m.start(), m.end(), m.lastgroup))
    found += [(s, e, "signature") for s, e, _ in signatures]
    found.sort()
    out = []
    for i, (start, body, code) in enumerate(found):
        if out and start < out[-1][2]:
            continue
        end = found[i + 1][0] if i + 1 < len(found) else len(text)
        out.append((code, start, body, end))
    # fix ends after dropping overlaps; signature lines only end the section before
    out = [
        (code, s, b, out[i + 1][1] if i + 1 < len(out) else len(text))
        for i, (code, s, b, _) in enumerate(out)
    ]
    return [o for o in out if o[0] != "signature"]


def find_etages(
    text: str, start: int = 0, end: int | None = None, regexes: SectionRegexes | None = None,
    line_starts: list[int] | None = None, sentence_ends: list[int] | None = None,
) -> list[tuple[str, int, int, int]]:
    """PET étages inside ``text[start:end]`` as ``(code, title_start, body_start, end)``.

    ``line_starts`` and ``sentence_ends`` are those of the whole text (the line
    starts and :func:`_sentence_ends`), when already found.

    Examples
    --------
    >>> t = "- Étage thoracique : nodule\\n- Squelette : RAS"
    >>> [(c, t[b:e].strip()) for c, _, b, e in find_etages(t)]
    [('thoracic', 'nodule'), ('bone', 'RAS')]
    """
    end = len(text) if end is None else end
    regex = (_REGEXES if regexes is None else regexes).etage
    starts = (_line_starts(text, start, end) if line_starts is None
              else _line_starts_within(text, line_starts, start, end))
    (found,) = _at_line_starts((regex,), text, starts, end)
    inline = (_REGEXES if regexes is None else regexes).etage_inline
    if sentence_ends is None:
        matches = inline.finditer(text, start, end)
    else:
        matches = _inline_matches(inline, text, sentence_ends, start, end)
    within = [(m.start(), m.end(), m.lastgroup) for m in matches]
    if len({code for _, _, code in within}) >= _INLINE_ETAGES:
        # a series of étage titles inside lines, not one organ word after a sentence
        found = sorted(found + within)
    return [
        (code, s, b, found[i + 1][0] if i + 1 < len(found) else end)
        for i, (s, b, code) in enumerate(found)
    ]


def find_report_sections(
    text: str, regexes: SectionRegexes | None = None
) -> tuple[list[tuple], list[tuple]]:
    """Sections and étages of a report, as ``(code, start, body_start, end)`` tuples.

    Examples
    --------
    >>> find_report_sections("Résultats :\\nÉtage thoracique : nodule")
    ([('results', 0, 11, 37)], [('thoracic', 12, 31, 37)])
    """
    sections, etages = [], []
    # once for the sections and their étages
    starts, ends = _line_starts(text, 0, len(text)), _sentence_ends(text)
    for code, start, body, end in find_sections(text, regexes, starts, ends):
        sections.append((code, start, body, end))
        etages += find_etages(text, body, end, regexes, starts, ends)
    return sections, etages


def doc_sections(doc: Doc) -> tuple[list[tuple], list[tuple]]:
    """The ``(sections, etages)`` tuples of a doc (after ``radlink.sections``)."""
    found = doc.user_data.get(SECTIONS_KEY)
    if found is not None:
        return found
    return (
        [(s.label_, s.start_char, body_start(s), s.end_char) for s in doc.spans.get("sections", [])],
        [(s.label_, s.start_char, body_start(s), s.end_char) for s in doc.spans.get("etages", [])],
    )


class ImagingSections(BaseNERComponent):
    """The ``radlink.sections`` pipe: sections and PET étages of imaging reports.

    Adds ``doc.spans["sections"]`` (label: ``indication``, ``technique``,
    ``comparison``, ``results`` or ``conclusion``; the span runs from the title to the
    next title) and ``doc.spans["etages"]`` (label: ``cervical``, ``thoracic``,
    ``abdominopelvic``, ``bone``). ``span._.section_heading`` is the title span and
    ``span._.section_body`` the text after it. The pipes after it read the sections
    from the doc (``doc_sections``), wherever the spans are put.

    Parameters
    ----------
    nlp : PipelineProtocol
        The pipeline.
    name : str
        Name of the pipe.
    span_setter : SpanSetterArg, optional
        Where the spans go, as in edsnlp; ``None``: section labels to ``"sections"`` and
        étage labels to ``"etages"``.
    sections, comma_titles, etages : dict of str to list of str, optional
        Code -> title regexes of sections, of titles ended by a comma ("En conclusion,")
        and of PET étages; ``None`` uses :mod:`.patterns` (``SECTIONS``,
        ``COMMA_TITLES``, ``ETAGES``).

    Examples
    --------
    >>> import edsnlp
    >>> nlp = edsnlp.blank("eds")
    >>> _ = nlp.add_pipe("radlink.sections")
    >>> doc = nlp("INDICATION : bilan d'extension\\nRÉSULTATS\\n- Étage thoracique : nodule")
    >>> [(s.label_, s._.section_body.text) for s in doc.spans["sections"]]
    [('indication', "bilan d'extension"), ('results', '- Étage thoracique : nodule')]
    >>> [(s.label_, s._.section_body.text) for s in doc.spans["etages"]]
    [('thoracic', 'nodule')]
    """

    def __init__(
        self,
        nlp: PipelineProtocol | None = None,
        name: str = "radlink.sections",
        *,
        span_setter: SpanSetterArg | None = None,
        sections: dict[str, list[str]] | None = None,
        comma_titles: dict[str, list[str]] | None = None,
        etages: dict[str, list[str]] | None = None,
    ):
        if span_setter is None:
            section_codes = {**(patterns.SECTIONS if sections is None else sections),
                             **(patterns.COMMA_TITLES if comma_titles is None else comma_titles)}
            span_setter = {
                "sections": list(section_codes),
                "etages": list(patterns.ETAGES if etages is None else etages),
            }
        super().__init__(nlp, name, span_setter=span_setter)
        self.regexes = section_regexes(sections, comma_titles, etages)

    def set_extensions(self) -> None:
        super().set_extensions()
        # computed on access: most users only need the section spans themselves
        if not Span.has_extension("section_heading"):
            Span.set_extension("section_heading", getter=_heading)
        if not Span.has_extension("section_body"):
            Span.set_extension("section_body", getter=_body)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found = find_report_sections(text, self.regexes)
        doc.user_data[SECTIONS_KEY] = found
        bodies: dict[tuple[int, str], int] = {}
        spans = []
        for code, start, body, end in (*found[0], *found[1]):
            span = make_span(doc, start, end, code)
            if span is not None:
                bodies[(span.start_char, code)] = body
                spans.append(span)
        doc.user_data[BODIES_KEY] = bodies
        self.set_spans(doc, spans)
        return doc
