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
from dataclasses import dataclass, field

from edsnlp.core import PipelineProtocol
from edsnlp.pipes.base import BaseComponent
from spacy.tokens import Doc

from ..text import TEXT_KEY, doc_text, fast_doc
from . import patterns

__all__ = ["CleanedText", "clean_text", "TextCleaner"]

_BLOCK = re.compile(rf"^(?:{patterns.BLOCK_TAGS})$", re.IGNORECASE)
_DIRTY = re.compile(
    "|".join(
        [
            f"(?P<tag>{patterns.TAG})".replace("(?P<tag>[a-zA-Z]", "(?P<name>[a-zA-Z]"),
            f"(?P<entity>{patterns.ENTITY})",
            f"(?P<placeholder>{patterns.PLACEHOLDER})",
            "(?P<char>[" + "".join(patterns.CHAR_MAP) + "])",
        ]
    ),
    re.DOTALL,
)
_QUICK = re.compile("[<&\\[" + "".join(patterns.CHAR_MAP) + "]")


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


_CACHE: dict[str, str] = {}


def _replacement(m: re.Match) -> str:
    found = m.group()
    rep = _CACHE.get(found)
    if rep is None:
        rep = _compute_replacement(m)
        if len(_CACHE) < 10_000:
            _CACHE[found] = rep
    return rep


def _compute_replacement(m: re.Match) -> str:
    kind = m.lastgroup
    if kind == "char":
        return patterns.CHAR_MAP[m.group()]
    if kind == "entity":
        value = html.unescape(m.group())
        if value == m.group():  # unknown entity: leave it
            return value
        return patterns.CHAR_MAP.get(value, value)
    if kind == "placeholder":
        rep = patterns.PLACEHOLDER_REPLACEMENT
        return m.group() if rep is None else rep
    name = m.group("name")
    if name and _BLOCK.match(name):
        return "\n"
    return ""


def clean_text(text: str) -> CleanedText:
    """Clean ``text`` and keep the map of offsets back to it.

    Examples
    --------
    >>> clean_text("<b>Conclusion</b> : <span style='color:red'>[NOM]</span> stable").text
    'Conclusion : [NOM] stable'
    """
    if not _QUICK.search(text):
        return CleanedText(text, text)
    out = CleanedText(text, "")
    pieces: list[str] = []
    append = pieces.append
    clean_starts, clean_ends = out.clean_starts, out.clean_ends
    orig_starts, orig_ends = out.orig_starts, out.orig_ends
    cache = _CACHE
    cursor = clean_pos = 0
    # a tight loop: reports exported from rich-text editors hold ~100 tags and entities
    for m in _DIRTY.finditer(text):
        found = m.group()
        rep = cache.get(found)
        if rep is None:
            rep = _replacement(m)
        start = m.start()
        end = start + len(found)
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

    Examples
    --------
    >>> import edsnlp
    >>> nlp = edsnlp.blank("eds")
    >>> _ = nlp.add_pipe("radlink.cleaning")
    >>> doc = nlp("Foyer m&eacute;diastinal")
    >>> doc.text, doc._.cleaning.original
    ('Foyer médiastinal', 'Foyer m&eacute;diastinal')
    """

    def __init__(self, nlp: PipelineProtocol, name: str = "radlink.cleaning"):
        super().__init__(nlp, name)
        self.tokenizer = getattr(nlp, "tokenizer", None)

    def set_extensions(self) -> None:
        super().set_extensions()
        if not Doc.has_extension("cleaning"):
            Doc.set_extension("cleaning", default=None)

    def __call__(self, doc: Doc) -> Doc:
        if doc._.cleaning is not None:
            return doc
        cleaned = clean_text(doc_text(doc))
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
