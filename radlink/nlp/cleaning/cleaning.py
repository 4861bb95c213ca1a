"""Text cleaning: HTML residue and placeholders removed, with an offset map back.

A report exported from a rich-text editor reads ``<span style="..."><b>[NOM]</b></span>``
or ``m&eacute;diastinal``. The pipes match on a cleaned copy of the text, and every
offset they report is mapped back to the text the user passed in through
:class:`CleanedText`.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

from edsnlp.core import PipelineProtocol
from edsnlp.pipes.base import BaseComponent
from spacy.tokens import Doc

from ..report_tables import aligned_tables
from ..text import TEXT_KEY, doc_text, fast_doc, gated
from . import patterns

__all__ = [
    "CleanedText", "CleaningRegexes", "capitals_unwrapped", "clean_text", "cleaning_regexes", "is_capitals",
    "page_furniture", "tab_tables", "TextCleaner",
]


@dataclass(frozen=True, eq=False)
class CleaningRegexes:
    """The compiled cleaning regexes, the one-for-one character map, the placeholder
    replacement, and the cache of replacements (one per set of regexes)."""

    dirty: re.Pattern
    quick: re.Pattern
    block: re.Pattern
    char_map: dict[str, str]
    placeholder_replacement: str | None
    cache: dict[str, str] = field(default_factory=dict)


def cleaning_regexes(
    block_tags: str | None = None,
    tag: str | None = None,
    entity: str | None = None,
    placeholder: str | None = None,
    placeholder_replacement: str | None = None,
    char_map: dict[str, str] | None = None,
) -> CleaningRegexes:
    """Compile the cleaning patterns (``None``: :mod:`.patterns`).

    ``tag`` names the tag in a ``(?P<tag>...)`` group (a tag named by ``block_tags``
    becomes a line break, another one is removed); ``char_map`` maps single
    characters to single characters (offsets do not change).
    """
    block_tags = patterns.BLOCK_TAGS if block_tags is None else block_tags
    tag = patterns.TAG if tag is None else tag
    entity = patterns.ENTITY if entity is None else entity
    placeholder = patterns.PLACEHOLDER if placeholder is None else placeholder
    if placeholder_replacement is None:
        placeholder_replacement = patterns.PLACEHOLDER_REPLACEMENT
    char_map = patterns.CHAR_MAP if char_map is None else char_map
    chars = "".join(re.escape(c) if c in "\\]^-[" else c for c in char_map)
    alternatives = [
        "(?P<tag>(?:" + tag.replace("(?P<tag>", "(?P<name>") + f")(?P<eol>{patterns.TAG_LINE_END})?)",
        f"(?P<entity>{entity})",
        f"(?P<placeholder>{placeholder})",
    ]
    if chars:
        alternatives.append("(?P<char>[" + chars + "])")
    return CleaningRegexes(
        # led by a lookahead on the characters a match can start with: ``re`` then
        # rejects the other positions at once (same matches)
        dirty=re.compile(gated("|".join(alternatives), re.DOTALL), re.DOTALL),
        # a text without any of these characters has nothing to clean
        quick=re.compile("[<&\\[" + chars + "]"),
        block=re.compile(rf"^(?:{block_tags})$", re.IGNORECASE),
        char_map=dict(char_map),
        placeholder_replacement=placeholder_replacement,
    )


_CELL = re.compile(rf"^(?:{patterns.CELL_TAGS})$", re.IGNORECASE)
_REGEXES = cleaning_regexes()
_CACHE = _REGEXES.cache


@dataclass
class CleanedText:
    """A cleaned text and the map of its offsets back to the original text.

    Only replacements that change the length of the text are recorded (an entity, a
    tag, a placeholder); between them, offsets shift by a constant.

    Parameters
    ----------
    original : str
        The text the user passed in.
    text : str
        The cleaned text that the pipes read.
    clean_starts, clean_ends, orig_starts, orig_ends : list of int
        One entry per recorded replacement: where it is in the cleaned text, and the
        original characters it replaces.

    Examples
    --------
    >>> c = clean_text("Foyer m&eacute;diastinal<br>SUVmax 5")
    >>> c.text
    'Foyer médiastinal\\nSUVmax 5'
    >>> s = c.text.index("SUVmax")
    >>> c.to_original(s, s + 8)
    (28, 36)
    """

    original: str
    text: str
    clean_starts: list[int] = field(default_factory=list)
    clean_ends: list[int] = field(default_factory=list)
    orig_starts: list[int] = field(default_factory=list)
    orig_ends: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether cleaning changed anything."""
        return self.text != self.original

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` range of the cleaned text to the original text."""
        if not self.clean_starts:
            return start, end
        return self._map(start, False), self._map(end, True)

    def _map(self, pos: int, is_end: bool) -> int:
        probe = pos - 1 if is_end and pos > 0 else pos
        i = bisect_right(self.clean_starts, probe) - 1
        if i < 0:
            return pos
        if probe < self.clean_ends[i]:  # inside a replacement: all of it
            return self.orig_ends[i] if is_end else self.orig_starts[i]
        return pos + self.orig_ends[i] - self.clean_ends[i]


def _replacement(m: re.Match, regexes: CleaningRegexes) -> str:
    found = m.group()
    cache = regexes.cache
    rep = cache.get(found)
    if rep is None:
        rep = _compute_replacement(m, regexes)
        if len(cache) < 10_000:
            cache[found] = rep
    return rep


def _compute_replacement(m: re.Match, regexes: CleaningRegexes) -> str:
    kind = m.lastgroup
    if kind == "char":
        return regexes.char_map[m.group()]
    if kind == "entity":
        value = html.unescape(m.group())
        if value == m.group():  # unknown entity: leave it
            return value
        return regexes.char_map.get(value, value)
    if kind == "placeholder":
        rep = regexes.placeholder_replacement
        return m.group() if rep is None else rep
    name = m.groupdict().get("name")
    if name and regexes.block.match(name):
        return "\n"  # with the source line end after it, if any: one line end
    eol = m.group("eol") or ""
    if eol:
        eol = "".join(regexes.char_map.get(c, c) for c in eol)
    if name and m.group().startswith("</") and _CELL.match(name):
        return " | " + eol
    return eol


_TAB_RUN = re.compile(r"\t+")
_TAB_DIGIT = re.compile(r"\d")


def tab_tables(text: str) -> str:
    r"""``text`` with the tabs of its tab-separated tables written as pipes (one for one).

    A table is a header line of three cells or more, with no digit, and the lines
    right under it with as many cells ("Site<TAB>Taille<TAB>SUVmax" then
    "Iliaque droite<TAB>9 mm<TAB>12,6"): it then reads as the pipe table it renders
    ("Site|Taille|SUVmax"), whose header names the columns of its rows' values. A run
    of tabs (cells aligned by hand) is one separator: its first tab becomes the pipe,
    the others spaces. Tabs elsewhere are left (the cleaning makes them spaces).

    Examples
    --------
    >>> tab_tables("Foie :\nSegment\tTaille\tSUVmax\nVII\t21 mm\t\t12,9\nFin.")
    'Foie :\nSegment|Taille|SUVmax\nVII|21 mm| 12,9\nFin.'
    """
    lines = text.split("\n")
    cells = [len(_TAB_RUN.findall(line)) for line in lines]
    out = list(lines)
    i = 0
    while i < len(lines):
        n = cells[i]
        j = i + 1
        if n >= 2 and not _TAB_DIGIT.search(lines[i]):
            while j < len(lines) and cells[j] == n:
                j += 1
            if j - i >= 2:
                for k in range(i, j):
                    out[k] = _TAB_RUN.sub(lambda m: "|" + " " * (len(m.group()) - 1), lines[k])
        i = j
    return "\n".join(out)


_PAGE_NUMBER_LINE = re.compile(patterns.PAGE_NUMBER_LINE, re.IGNORECASE | re.MULTILINE)


def page_furniture(text: str) -> list[tuple[int, int]]:
    r"""The ``(start, end)`` ranges of ``text`` that are page furniture of a PDF export.

    Around each line that numbers its page ("Centre X - Page 1/2"), the run of lines
    that are blank, number a page or are written again elsewhere in the text (the
    page header repeated on the next page) is furniture, line ends included: removed,
    the lines before and after it follow each other.

    Examples
    --------
    >>> t = "CHU X - Imagerie\nRésultats :\nFoie | 2,4\n\nCHU X - Imagerie - Page 1/2\nCHU X - Imagerie\nPool | 1,8\n"
    >>> [t[s:e] for s, e in page_furniture(t)]
    ['\nCHU X - Imagerie - Page 1/2\nCHU X - Imagerie\n']
    """
    if "page" not in text and "Page" not in text and "PAGE" not in text:  # most texts
        return []
    numbers = [(m.start(), m.end()) for m in _PAGE_NUMBER_LINE.finditer(text)]
    if not numbers:
        return []
    lines = text.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    counts: dict[str, int] = {}
    for line in lines:
        key = line.strip()
        if len(key) >= patterns.PAGE_HEADER_MIN_CHARS:
            counts[key] = counts.get(key, 0) + 1
    number_lines = {bisect_right(starts, s) - 1 for s, _ in numbers}

    def furniture(i: int) -> bool:
        key = lines[i].strip()
        return not key or i in number_lines or counts.get(key, 0) >= 2

    out: list[tuple[int, int]] = []
    for i in sorted(number_lines):
        first = last = i
        while first > 0 and furniture(first - 1):
            first -= 1
        while last + 1 < len(lines) and furniture(last + 1):
            last += 1
        start = starts[first]
        end = min(len(text), starts[last] + len(lines[last]) + 1)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _furniture_edits(
    text: str, furniture: list[tuple[int, int]], r: CleaningRegexes
) -> list[tuple[int, int, str]]:
    """The edits of :func:`clean_text` on a text with page furniture: each piece of
    furniture removed, and the other replacements made outside it, in text order."""
    edits = [(s, e, "") for s, e in furniture]
    for m in r.dirty.finditer(text):
        s = m.start()
        i = bisect_right(furniture, (s, len(text) + 1)) - 1
        if i >= 0 and s < furniture[i][1]:
            continue
        edits.append((s, m.end(), _replacement(m, r)))
    edits.sort()
    return edits


def _cleaned(original: str, text: str, r: CleaningRegexes) -> CleanedText:
    """:func:`_edited` of the edits of a text without page furniture (each tag, entity
    or control character and its replacement), in one loop over the matches: they never
    overlap, and most replacements come from the cache (a report exported from a
    rich-text editor holds ~100 of them)."""
    out = CleanedText(original, "")
    pieces: list[str] = []
    append = pieces.append
    clean_starts, clean_ends = out.clean_starts, out.clean_ends
    orig_starts, orig_ends = out.orig_starts, out.orig_ends
    cache = r.cache
    cursor = shift = 0  # shift: offset in the cleaned text minus offset in ``text``
    for m in r.dirty.finditer(text):
        rep = cache.get(m.group())
        if rep is None:
            rep = _replacement(m, r)
        start, end = m.span()
        append(text[cursor:start])
        append(rep)
        if len(rep) != end - start:
            clean_starts.append(start + shift)
            clean_ends.append(start + shift + len(rep))
            orig_starts.append(start)
            orig_ends.append(end)
            shift += len(rep) - (end - start)
        cursor = end
    append(text[cursor:])
    out.text = "".join(pieces)
    return out


def _edited(original: str, text: str, edits: Iterable[tuple[int, int, str]]) -> CleanedText:
    """``text`` with each ``(start, end, replacement)`` of ``edits`` (in text order; an
    edit that overlaps the one before is skipped) made, each change of length recorded
    in the map of offsets back to ``original`` (``text`` has its length)."""
    out = CleanedText(original, "")
    pieces: list[str] = []
    append = pieces.append
    clean_starts, clean_ends = out.clean_starts, out.clean_ends
    orig_starts, orig_ends = out.orig_starts, out.orig_ends
    cursor = clean_pos = 0
    # a tight loop: reports exported from rich-text editors hold ~100 tags and entities
    for start, end, rep in edits:
        if start < cursor:
            continue
        if start > cursor:
            append(text[cursor:start])
            clean_pos += start - cursor
        append(rep)
        if len(rep) != end - start:
            clean_starts.append(clean_pos)
            clean_ends.append(clean_pos + len(rep))
            orig_starts.append(start)
            orig_ends.append(end)
        clean_pos += len(rep)
        cursor = end
    append(text[cursor:])
    out.text = "".join(pieces)
    return out


def clean_text(text: str, regexes: CleaningRegexes | None = None) -> CleanedText:
    """Clean ``text`` and keep the map of offsets back to it.

    ``regexes`` come from :func:`cleaning_regexes` (default: the patterns module's).

    Examples
    --------
    >>> clean_text("<b>Conclusion</b> : <span style='color:red'>[NOM]</span> stable").text
    'Conclusion : [NOM] stable'
    """
    r = _REGEXES if regexes is None else regexes
    original = text
    furniture = page_furniture(text)
    if "  " in text:
        text = aligned_tables(text, furniture)  # the same length: offsets do not change
    if furniture or r.quick.search(text):
        if "\t" in text:
            text = tab_tables(text)  # the same length: offsets do not change
        if furniture:
            cleaned = _edited(original, text, _furniture_edits(text, furniture, r))
        else:
            cleaned = _cleaned(original, text, r)
    else:
        cleaned = CleanedText(original, text)
    cleaned.text = capitals_unwrapped(cleaned.text)
    return cleaned


_LOWER = re.compile(r"[a-zà-öø-ÿ]+")  # runs: their lengths sum to the letters counted
_LOWER_WORDS = re.compile(r"[a-zà-öø-ÿ]{3,}")
_FEW_LOWER_WORDS = 40
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]+")
_ELIDED = re.compile(patterns.ELIDED_ARTICLE)
_WRAP_END = re.compile(patterns.WRAP_END)
_WRAP_NOT_NEXT = re.compile(patterns.WRAP_NOT_NEXT)


def is_capitals(text: str) -> bool:
    """Whether ``text`` is typed in capitals (at least ``patterns.CAPITALS_SHARE`` of its
    letters), as legacy RIS exports are.

    Examples
    --------
    >>> is_capitals("PAS D EPANCHEMENT. Dr [NOM]"), is_capitals("Pas d'épanchement")
    (True, False)
    """
    # a text in lower case shows it within its first words: no count over the whole text
    if len(list(islice(_LOWER_WORDS.finditer(text), _FEW_LOWER_WORDS))) >= _FEW_LOWER_WORDS:
        return False
    upper = sum(map(len, _UPPER.findall(text)))
    if not upper:
        return False
    return upper >= patterns.CAPITALS_SHARE * (upper + sum(map(len, _LOWER.findall(text))))


def capitals_unwrapped(text: str) -> str:
    r"""``text`` as written, or, typed in capitals, with its elided articles and its
    wrapped lines restored, character for character (the same offsets).

    A legacy RIS export in capitals writes "PAS D EPANCHEMENT" for "pas d'épanchement" and
    wraps its lines at a fixed width in the middle of a sentence: the article's space
    becomes an apostrophe, and the line break of a long line that ends with no sentence
    stop a space (see ``patterns.ELIDED_ARTICLE`` and ``patterns.WRAP_SHARE``).

    Examples
    --------
    >>> t = "FRACTURE DES 8E ET 9E COTES GAUCHES, ARC POSTERIEUR, NON\nDEPLACEES.\nPAS D EPANCHEMENT."
    >>> print(capitals_unwrapped(t))
    FRACTURE DES 8E ET 9E COTES GAUCHES, ARC POSTERIEUR, NON DEPLACEES.
    PAS D'EPANCHEMENT.
    >>> capitals_unwrapped("Pas d'épanchement") == "Pas d'épanchement"
    True
    """
    if not is_capitals(text):
        return text
    text = _ELIDED.sub(lambda m: m.group().replace(" ", "'"), text)
    lines = text.split("\n")
    width = max(len(line.rstrip()) for line in lines)
    if width < patterns.WRAP_MIN_WIDTH or len(lines) < 2:
        return text
    longest = patterns.WRAP_SHARE * width
    joined = []
    for line, after in zip(lines, lines[1:], strict=False):
        joined.append(
            len(line.rstrip()) >= longest
            and not _WRAP_END.search(line)
            and not _WRAP_NOT_NEXT.match(after)
        )
    pieces = [lines[0]]
    for line, join in zip(lines[1:], joined, strict=True):
        pieces.append(" " if join else "\n")
        pieces.append(line)
    return "".join(pieces)


class TextCleaner(BaseComponent):
    """The ``radlink.cleaning`` pipe: re-tokenizes a report on its cleaned text.

    The doc it returns reads the cleaned text; ``doc._.cleaning`` holds the
    :class:`CleanedText` that maps offsets back to the original text. A doc already
    made from cleaned text (as :class:`~radlink.nlp.ReportExtractor` does, to
    tokenize once) passes through unchanged.

    Parameters
    ----------
    nlp : PipelineProtocol
        The pipeline; its tokenizer makes the cleaned doc.
    name : str
        Name of the pipe.
    block_tags, tag, entity, placeholder : str, optional
        Regexes of the tag names that end a line, of a tag (naming it in a
        ``(?P<tag>...)`` group), of a character reference and of a pseudonymisation
        placeholder; ``None`` uses :mod:`.patterns` (``BLOCK_TAGS``, ``TAG``,
        ``ENTITY``, ``PLACEHOLDER``).
    placeholder_replacement : str, optional
        What a placeholder is replaced with; ``None`` uses
        ``patterns.PLACEHOLDER_REPLACEMENT`` (itself ``None``: kept as written).
    char_map : dict of str to str, optional
        Characters replaced one for one; ``None`` uses ``patterns.CHAR_MAP``.

    Examples
    --------
    >>> import edsnlp
    >>> nlp = edsnlp.blank("eds")
    >>> _ = nlp.add_pipe("radlink.cleaning")
    >>> doc = nlp("Foyer m&eacute;diastinal")
    >>> doc.text, doc._.cleaning.original
    ('Foyer médiastinal', 'Foyer m&eacute;diastinal')
    """

    def __init__(
        self,
        nlp: PipelineProtocol,
        name: str = "radlink.cleaning",
        *,
        block_tags: str | None = None,
        tag: str | None = None,
        entity: str | None = None,
        placeholder: str | None = None,
        placeholder_replacement: str | None = None,
        char_map: dict[str, str] | None = None,
    ):
        super().__init__(nlp, name)
        self.tokenizer = getattr(nlp, "tokenizer", None)
        overrides = (block_tags, tag, entity, placeholder, placeholder_replacement, char_map)
        self.regexes = (
            _REGEXES if all(o is None for o in overrides) else cleaning_regexes(*overrides)
        )

    def set_extensions(self) -> None:
        super().set_extensions()
        if not Doc.has_extension("cleaning"):
            Doc.set_extension("cleaning", default=None)

    def __call__(self, doc: Doc) -> Doc:
        if doc._.cleaning is not None:
            return doc
        cleaned = clean_text(doc_text(doc), self.regexes)
        if cleaned.changed:
            if self.tokenizer is not None:
                new = self.tokenizer(cleaned.text)
            else:
                new = fast_doc(doc.vocab, cleaned.text)
            new.user_data.update(doc.user_data)  # e.g. doc._.report_title
            new.user_data[TEXT_KEY] = cleaned.text
            doc = new
        doc._.cleaning = cleaned
        return doc
