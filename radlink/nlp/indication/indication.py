"""Indication of an imaging report: its paragraph and its category."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from edsnlp.core import PipelineProtocol
from edsnlp.pipes.base import BaseNERComponent
from edsnlp.utils.span_getters import SpanSetterArg
from rapidfuzz.distance import OSA
from spacy.tokens import Doc

from ..sections.sections import doc_sections
from ..text import doc_text, make_span
from . import patterns

__all__ = [
    "IndicationExtractor",
    "IndicationRegexes",
    "categorize_indication",
    "find_indication",
    "indication_regexes",
    "is_indication_title_word",
]


@dataclass(frozen=True)
class IndicationRegexes:
    """The compiled category rules (in order) and fallback indication line."""

    rules: tuple[tuple[str, re.Pattern], ...]
    line: re.Pattern


def indication_regexes(
    category_rules: list[tuple[str, list[str]]] | None = None,
    indication_line: str | None = None,
) -> IndicationRegexes:
    """Compile the indication patterns (``None``: :mod:`.patterns`).

    ``category_rules`` are ``(category code, regexes)`` pairs tried in order (the
    first that matches gives the category); ``indication_line`` is a multi-line regex
    of a head line that reads like an indication. Both are case-insensitive.
    """
    rules = patterns.CATEGORY_RULES if category_rules is None else category_rules
    return IndicationRegexes(
        rules=tuple(
            (code, re.compile(r"(?<!\w)(?:" + "|".join(forms) + r")", re.IGNORECASE))
            for code, forms in rules
        ),
        line=re.compile(
            patterns.INDICATION_LINE if indication_line is None else indication_line,
            re.IGNORECASE | re.MULTILINE,
        ),
    )


_REGEXES = indication_regexes()
_RULES = _REGEXES.rules
_SPACES = re.compile(r"\s+")
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
_REQUEST_TITLE = re.compile(patterns.REQUEST_TITLE, re.IGNORECASE)
_TITLE_LIKE_LINE = re.compile(patterns.TITLE_LIKE_LINE, re.MULTILINE)
_TITLE_WORDS = frozenset(patterns.INDICATION_TITLE_WORDS)


def is_indication_title_word(word: str) -> bool:
    """Whether ``word`` is the head word of an indication title, maybe typed in haste (one
    edit when either word has 5 to 7 letters, two when both are longer; shorter words never
    match: "Demandeur" is not "Demande").

    Examples
    --------
    >>> is_indication_title_word("RENSEIGNEMNTS"), is_indication_title_word("Indictaion")
    (True, True)
    >>> is_indication_title_word("Conclusion"), is_indication_title_word("Demandeur")
    (False, False)
    """
    word = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))
    if len(word) < 5:
        return False
    if word in _TITLE_WORDS:
        return True
    return any(  # optimal string alignment: a letter inserted, dropped, changed, or two swapped
        OSA.distance(word, known, score_cutoff=limit) <= limit
        for known in _TITLE_WORDS
        for limit in (1 if min(len(word), len(known)) < 8 else 2,)
    )


def _misspelt_title(text: str, head_end: int) -> tuple[int, int] | None:
    """``(body start, body end)`` of a head paragraph under a title the section patterns do
    not know but that reads as an indication title typed in haste ("Indictaion : ...")."""
    for m in _TITLE_LIKE_LINE.finditer(text, 0, head_end):
        if is_indication_title_word(m.group(1)):
            body = m.end()
            end = _PARAGRAPH_END.search(text, body, head_end)
            return body, end.start() if end else _compact_end(text, body, head_end)
    return None


def categorize_indication(text: str | None, regexes: IndicationRegexes | None = None) -> str | None:
    """Category code of an indication text (``None`` for no text).

    ``regexes`` come from :func:`indication_regexes` (default: the patterns module's).

    Examples
    --------
    >>> categorize_indication("Bilan d'extension d'un adénocarcinome pulmonaire")
    'initial_staging'
    >>> categorize_indication("Évaluation après 4 cures de R-CHOP")
    'response_assessment'
    >>> categorize_indication("Ascension du PSA après prostatectomie")
    'suspected_recurrence'
    """
    if not text or not text.strip():
        return None
    if regexes is None:
        return _default_category(text)
    return _categorize(text, regexes.rules)


@functools.lru_cache(maxsize=20_000)
def _default_category(text: str) -> str:
    """The category of a non-blank indication text by the default rules: reports repeat their
    indications ("Bilan d'extension", "Suivi"), and an untitled report's is read twice (for
    the facts, and for where its findings are); bounded per process."""
    return _categorize(text, _RULES)


def _categorize(text: str, rules: tuple, default: str | None = "other") -> str | None:
    """The category of a non-blank indication text by ``rules`` (the first that matches), else ``default``."""
    for code, regex in rules:
        if regex.search(text):
            return code
    return default


class IndicationExtractor(BaseNERComponent):
    """The ``radlink.indication`` pipe: ``doc._.indication`` and its category.

    The indication is the body of the first indication section (up to its first blank
    line), or of a head paragraph under an indication title typed in haste; without a
    title there is no indication text (the guide's ruling) and the first line of the
    report's head that reads like an indication gives the category.
    ``doc._.indication_category`` is one of
    :data:`radlink.vocabulary.INDICATION_CATEGORIES`; without an indication, the category
    the report's head (its title and the line under it) reads as, if any. ``doc.spans["indication"]``
    holds the span.

    Parameters
    ----------
    nlp : PipelineProtocol
        The pipeline.
    name : str
        Name of the pipe.
    span_setter : SpanSetterArg
        Where the indication span go, as in edsnlp (a group name, a list of them, a dict of group
        name to ``True`` or labels, ``"ents"``, or a callable); default ``"indication"``.
    category_rules : list of (str, list of str), optional
        (category code, regexes) pairs, tried in order: the first that matches the
        indication gives its category (``"other"`` when none does); ``None`` uses
        ``patterns.CATEGORY_RULES``.
    indication_line : str, optional
        Regex of a head line that reads like an indication, read (for the category only)
        when the report has no indication section; ``None`` uses ``patterns.INDICATION_LINE``.

    Examples
    --------
    >>> import edsnlp
    >>> nlp = edsnlp.blank("eds")
    >>> _ = nlp.add_pipe("radlink.sections")
    >>> _ = nlp.add_pipe("radlink.indication")
    >>> doc = nlp("Indication : surveillance d'un lymphome.\\nRésultats : RAS")
    >>> doc._.indication, doc._.indication_category
    ("surveillance d'un lymphome.", 'follow_up')
    """

    def __init__(
        self,
        nlp: PipelineProtocol | None = None,
        name: str = "radlink.indication",
        *,
        span_setter: SpanSetterArg = {"indication": True},  # noqa: B006 (edsnlp's convention)
        category_rules: list[tuple[str, list[str]]] | None = None,
        indication_line: str | None = None,
    ):
        super().__init__(nlp, name, span_setter=span_setter)
        self.regexes = (
            _REGEXES if category_rules is None and indication_line is None
            else indication_regexes(category_rules, indication_line)
        )

    def set_extensions(self) -> None:
        super().set_extensions()
        for attr in ("indication", "indication_category"):
            if not Doc.has_extension(attr):
                Doc.set_extension(attr, default=None)

    def __call__(self, doc: Doc) -> Doc:
        sections, _ = doc_sections(doc)
        bounds, value, category = find_indication(doc_text(doc), sections, self.regexes)
        span = make_span(doc, *bounds) if bounds and value else None
        self.set_spans(doc, [span] if span is not None else [])
        doc._.indication = value
        doc._.indication_category = category
        return doc


def find_indication(
    text: str, sections: list[tuple], regexes: IndicationRegexes | None = None
) -> tuple[tuple[int, int] | None, str | None, str | None]:
    """``(bounds, text, category)`` of the indication of a report.

    ``sections`` are the ``(code, start, body_start, end)`` tuples of
    :func:`radlink.nlp.sections.find_report_sections`; ``regexes`` come from
    :func:`indication_regexes` (default: the patterns module's). Without an indication
    title, a head line that reads like an indication gives ``bounds`` (the span the
    findings skip) and the category, but no text (the guide's ruling "No indication title");
    a title typed in haste ("Indictaion :") is a title.

    Examples
    --------
    >>> find_indication("Patient de 60 ans, chute.\\nPas de fracture.", [])
    ((0, 25), None, 'diagnosis')
    >>> find_indication("Indictaion : suivi.\\n\\nNodule.", [])
    ((12, 19), 'suivi.', 'follow_up')
    >>> find_indication("Indication : suivi.\\n\\nNodule.", [("indication", 0, 13, 27)])
    ((13, 19), 'suivi.', 'follow_up')
    """
    bounds = paragraph = None
    indications = [(start, body, end) for code, start, body, end in sections if code == "indication"]
    if len(indications) > 1:
        # "Histoire : ..." then "Question posée : ...": the request, not its context
        requests = [x for x in indications if _REQUEST_TITLE.search(text, x[0], x[1])]
        indications = requests[:1] or indications
    if indications:
        _, body, end = indications[0]
        m = _PARAGRAPH_END.search(text, body, end)
        paragraph = (body, m.start() if m else end)
        bounds = (body, m.start() if m else _compact_end(text, body, end))
    untitled = False
    if bounds is None:
        head_end = sections[0][1] if sections else min(len(text), 600)
        bounds = _misspelt_title(text, head_end)
        if bounds is None:
            m = (_REGEXES if regexes is None else regexes).line.search(text, 0, head_end)
            if m:
                bounds, untitled = (m.start(), m.end()), True
    value = (" ".join(text[bounds[0] : bounds[1]].split()) or None) if bounds else None
    if value is None:
        return None, None, _head_category(text, sections, regexes)
    if untitled:
        # the guide's ruling "No indication title": no indication text, the line's category
        return bounds, None, categorize_indication(value, regexes)
    if paragraph is None or paragraph == bounds:
        return bounds, value, categorize_indication(value, regexes)
    # an indication cut at its line that no rule reads ("TC grave, GCS 9.") takes the
    # category of its whole paragraph, as it did before the cut
    rules = _RULES if regexes is None else regexes.rules
    category = _categorize(value, rules, default=None)
    if category is None:
        category = _categorize(" ".join(text[paragraph[0] : paragraph[1]].split()), rules)
    return bounds, value, category


_LINE_SENTENCE_END = re.compile(r"[.?!][ \t]*(?=\n)")


def _compact_end(text: str, body: int, end: int) -> int:
    r"""Where the body ``text[body:end]`` of a section that no blank line ends stops: at the
    end of its first line when that line ends a sentence and more lines follow, else at ``end``.

    A report that separates nothing by blank lines writes one paragraph a line: the lines
    under "Indication : ..." and above the next title are its untitled technique or results
    ("Indication : contrôle de sonde.\nSonde en place.\nConclusion : ..."), not more
    indication. A first line that stops mid-sentence (a broken line) runs on.

    Examples
    --------
    >>> text = "Indication : douleur.\nPas de fracture.\n"
    >>> text[13 : _compact_end(text, 13, len(text))]
    'douleur.'
    >>> text = "Indication : douleur du\ngenou droit.\n"
    >>> text[13 : _compact_end(text, 13, len(text))]
    'douleur du\ngenou droit.\n'
    """
    m = _LINE_SENTENCE_END.search(text, body, end)
    if m is None or text.find("\n", body, m.start()) >= 0 or not text[m.end() : end].strip():
        return end
    return m.end()


_HEAD_BREAK = re.compile(r"\n|(?<!\d)\.(?!\d)")


def _head_category(text: str, sections: list[tuple], regexes: IndicationRegexes | None = None) -> str | None:
    r"""The category of a report without an indication, read from its head: the exam's
    title and the line (or sentence) under it, before any section title ("Poignet
    gauche F+P" then "Chute sur la main, douleur de la tabatière." is a diagnosis).
    ``None`` when no rule matches (no "other" by default: the head may say nothing).

    Examples
    --------
    >>> _head_category("Cheville gauche F+P.\nTraumatisme en inversion.\n\nPas de fracture.", [])
    'diagnosis'
    >>> _head_category("Radiographie thoracique de face.\nRAS.", []) is None
    True
    """
    head_end = min(sections[0][1] if sections else len(text), len(text))
    head = text[:head_end]
    parts, pos = [], 0
    for m in _HEAD_BREAK.finditer(head):
        if head[pos : m.start()].strip():
            parts.append(head[pos : m.start()])
        pos = m.end()
        if len(parts) >= patterns.HEAD_LINES:
            break
    else:
        if head[pos:].strip() and len(parts) < patterns.HEAD_LINES:
            parts.append(head[pos:])
    context = " ".join(" ".join(parts).split())[: patterns.HEAD_CHARS]
    if not context:
        return None
    return _categorize(context, _RULES if regexes is None else regexes.rules, default=None)
