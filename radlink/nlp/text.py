"""Small text helpers shared by the radlink pipes: numbers, clauses and spans.

The pipes work on the whole text with compiled regular expressions and character
offsets, and create spaCy spans only for what they find: this keeps a 2 kB report
under a millisecond of work on top of the tokenizer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Doc, Span

__all__ = ["NUMBER", "parse_number", "clauses", "make_span", "doc_text", "SPACE", "folded", "holds_any"]

TEXT_KEY = "radlink.text"
"""Key of ``doc.user_data`` where :func:`doc_text` caches the doc's text."""

# A decimal number written the French or English way: "7,7", "12.3", "4".
NUMBER = r"\d+(?:[.,]\d+)?"

SPACE = r"[ \t\xa0]"

_CLAUSE_END = re.compile(
    # a sentence end (". " or end of line), a semicolon, a bullet or a line break;
    # every alternative starts with one literal character (lookbehinds after it, "\n\n*"
    # for "\n+", one alternative per bullet), so ``re`` skips ahead to the candidates
    # instead of trying each position (a class or a repeat first would stop that)
    r"\.(?<!\bvs\.)(?<!\bcf\.)(?<!\bDr\.)(?!\d)|;|\n\n*"
    r"|-(?<=\s-)\s|•(?<=\s•)\s|\*(?<=\s\*)\s|·(?<=\s·)\s"
)
# A line broken inside a sentence, as reports typed on fixed-width screens wrap them
# ("PAS D EPANCHEMENT NI DE\nPNEUMOTHORAX"): the line ends with a word that cannot end a
# sentence (an article, a preposition, a conjunction) or with a comma, and the next line
# is text, not a bullet, a blank line or a label. Such a line break joins the clause.
_WRAPPED_LINE_END = re.compile(
    r"(?:(?<![\w'])(?:de|du|des|d'|la|le|les|l'|et|ou|ni|avec|sans|pas|à|au|aux|en|par|"
    r"sur|dans|un|une|vers|pour|chez|sous|entre)|,)[ \t]*$",
    re.IGNORECASE,
)
_WRAPPED_LINE_START = re.compile(r"[ \t]*[^\W\d_]")


def parse_number(text: str) -> float:
    """Parse a French or English decimal number.

    Examples
    --------
    >>> parse_number("7,7"), parse_number("12.3"), parse_number("4")
    (7.7, 12.3, 4.0)
    """
    return float(text.replace(",", "."))


def clauses(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into clauses: sentences, lines, bullets, semicolons.

    Returns ``(start, end)`` character offsets into ``text``, empty clauses removed.

    Examples
    --------
    >>> t = "Nodule de 14 mm. Pas d'adénopathie ; foie normal"
    >>> [t[s:e] for s, e in clauses(t)]
    ['Nodule de 14 mm', " Pas d'adénopathie ", ' foie normal']
    """
    end = len(text) if end is None else end
    out = []
    cursor = start
    for m in _CLAUSE_END.finditer(text, start, end):
        s, e = m.span()
        if e - s == 1:  # a one-character end: a line break or a semicolon may not end the clause
            if text[s] == "\n" and _wrapped(text, cursor, s, e, end):
                continue  # "PAS D EPANCHEMENT NI DE\nPNEUMOTHORAX": one clause
            if text[s] == ";":
                inside = text[cursor:s]
                if inside.count("(") > inside.count(")"):
                    continue  # "(SUVmax 4,8 ; rapport lésion/striatum 1,9)"
        if s > cursor and not text[cursor:s].isspace():
            out.append((cursor, s))
        cursor = e
    if cursor < end and text[cursor:end].strip():
        out.append((cursor, end))
    return out


def _wrapped(text: str, line_start: int, line_end: int, next_start: int, end: int) -> bool:
    """Whether the line break at ``line_end`` wraps a sentence (see ``_WRAPPED_LINE_END``)."""
    if not _WRAPPED_LINE_END.search(text, max(line_start, line_end - 12), line_end):
        return False
    if not _WRAPPED_LINE_START.match(text, next_start, end):
        return False
    # a label opens the next line ("Foie : ...", "REINS :"): a line of its own
    head_end = min(end, next_start + 40)
    line_end = text.find("\n", next_start, head_end)
    return text.find(":", next_start, line_end if line_end >= 0 else head_end) < 0


# ``re.IGNORECASE`` matches "İ", "ı" with "i" and "ſ" with "s", ``str.lower`` does not:
# :func:`folded` maps them (the only such letters for a-z and French accented letters)
_FOLDED: tuple[str, str] = ("", "")


def folded(text: str) -> str:
    """``text`` in lower case, character for character (the same offsets), as
    ``re.IGNORECASE`` folds it for letters: where a case-insensitive regex matches a
    lower-case French word, ``folded(text)`` holds that word at the same offsets.

    Computed once for the text read last (the steps of one report share it).

    Examples
    --------
    >>> folded("Col UTÉRIN, FİGO")
    'col utérin, figo'
    """
    global _FOLDED
    last = _FOLDED
    if last[0] is text:
        return last[1]
    low = text.lower()
    # "İ" alone lowers to two characters
    if len(low) != len(text) or not low.isascii() and ("\u0131" in low or "\u017f" in low):
        low = text.replace("\u0130", "i").lower().replace("\u0131", "i").replace("\u017f", "s")
    _FOLDED = (text, low)
    return low


def holds_any(text: str, words: tuple[str, ...], start: int = 0, end: int | None = None) -> bool:
    """Whether ``text[start:end]`` holds one of ``words`` (lower case) in any case: a
    cheap test before a case-insensitive regex that needs one of them.

    Examples
    --------
    >>> holds_any("Biopsie du COL utérin", ("col", "figo"))
    True
    """
    low = folded(text)
    end = len(low) if end is None else end
    return any(low.find(w, start, end) >= 0 for w in words)


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per doc (spaCy joins the tokens at each call).

    Examples
    --------
    >>> import spacy
    >>> doc_text(spacy.blank("fr")("Pas d'adénopathie."))
    "Pas d'adénopathie."
    """
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text


def make_span(doc: Doc, start: int, end: int, label: str = "") -> Span | None:
    """A span covering the characters ``[start, end)``, expanded to whole tokens.

    Leading and trailing whitespace is trimmed first; ``None`` when nothing is left.
    """
    text = doc_text(doc)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    return doc.char_span(start, end, label=label, alignment_mode="expand")


# ---------------------------------------------------------------------------
# Fast matching of long alternations: only at word starts, by first character
# ---------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
# Second characters the scanners index on; any other one falls back to the first-char index.
_ALPHABET = frozenset(
    "abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæ0123456789 '-/(),.:;\n\t"
)


def _structural_chars(regex: str):
    """``(index, char, depth)`` of each character of ``regex`` outside escapes and
    character classes; ``depth`` is the group nesting after that character.

    A ``]`` right after ``[`` is a literal, as in Python's ``re``.
    """
    depth, in_class, escaped = 0, False, False
    for i, ch in enumerate(regex):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            if ch == "]" and regex[i - 1] != "[":
                in_class = False
        elif ch == "[":
            in_class = True
        else:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            yield i, ch, depth


def split_alternatives(regex: str) -> list[str]:
    """Split a regex at its top-level ``|``.

    Examples
    --------
    >>> split_alternatives(r"a(?:b|c)|[|]d|e\\|f")
    ['a(?:b|c)', '[|]d', 'e\\\\|f']
    """
    cuts = [i for i, ch, depth in _structural_chars(regex) if ch == "|" and depth == 0]
    bounds = [-1, *cuts, len(regex)]
    return [regex[a + 1 : b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _strip_lookbehinds(regex: str) -> str:
    """``regex`` without its leading lookbehind assertions (a prefix probe cannot see
    the text before a word).

    Examples
    --------
    >>> _strip_lookbehinds(r"(?<=[(,] )(?<!x)7(?=[),])")
    '7(?=[),])'
    """
    while regex.startswith(("(?<=", "(?<!")):
        end = next((i for i, ch, depth in _structural_chars(regex) if ch == ")" and depth == 0), None)
        if end is None:
            break
        regex = regex[end + 1 :]
    return regex


try:
    from re import _constants as _C
    from re import _parser
except ImportError:  # Python 3.10: the same modules under their old names
    import sre_constants as _C
    import sre_parse as _parser
# POSSESSIVE_REPEAT exists from Python 3.11 only
_REPEATS = tuple(getattr(_C, n) for n in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_C, n))


def _first(items, literal, class_item, own_flags_ok) -> tuple[set | None, bool]:
    """What can start a match of a parsed regex, and whether a match can be empty.

    One walk over the parse tree (sequence, groups, alternatives, repeats, zero-width
    assertions) serves both callers; they differ by their leaves: ``literal(code)`` and
    ``class_item(op, av)`` turn a literal or an item of a ``[...]`` class into a set of
    start elements (``None``: not known), and ``own_flags_ok(av)`` says whether a group
    with flags of its own (``(?i:...)``) can be read. ``None`` means "any character".
    """
    out: set = set()
    for op, av in items:
        if op is _C.LITERAL:
            return out | literal(av), False
        if op is _C.IN:
            for iop, iav in av:
                found = class_item(iop, iav)
                if found is None:
                    return None, False
                out |= found
            return out, False
        if op is _C.SUBPATTERN:
            if not own_flags_ok(av):
                return None, False
            sub, nullable = _first(av[-1], literal, class_item, own_flags_ok)
        elif op is _C.BRANCH:
            sub, nullable = set(), False
            for alt in av[1]:
                a, n = _first(alt, literal, class_item, own_flags_ok)
                if a is None:
                    return None, False
                sub |= a
                nullable = nullable or n
        elif op in _REPEATS:
            sub, nullable = _first(av[2], literal, class_item, own_flags_ok)
            nullable = nullable or av[0] == 0
        elif op in (_C.ASSERT, _C.ASSERT_NOT, _C.AT):
            continue  # zero-width
        else:
            return None, False
        if sub is None:
            return None, False
        out |= sub
        if not nullable:
            return out, False
    return out, True


def _first_chars(items, fold: bool = True) -> tuple[set[str] | None, bool]:
    """First characters (lower case) a parsed regex can match, and whether it can be empty.

    ``None`` means "any character". ``fold=False`` keeps the characters as written
    (for a case-sensitive regex).
    """
    low = str.lower if fold else str

    def class_item(op, av) -> set[str] | None:
        if op is _C.LITERAL:
            return {low(chr(av))}
        if op is _C.RANGE:
            return {low(chr(c)) for c in range(av[0], av[1] + 1)}
        if op is _C.CATEGORY and av is _C.CATEGORY_DIGIT:
            return set("0123456789")
        return None

    return _first(items, lambda code: {low(chr(code))}, class_item,
                  # "(?i:...)" in a case-sensitive regex: not known
                  lambda av: fold or not av[1] & _C.SRE_FLAG_IGNORECASE)


_CATEGORY_ESCAPES = {
    _C.CATEGORY_DIGIT: r"\d", _C.CATEGORY_NOT_DIGIT: r"\D", _C.CATEGORY_SPACE: r"\s",
    _C.CATEGORY_NOT_SPACE: r"\S", _C.CATEGORY_WORD: r"\w", _C.CATEGORY_NOT_WORD: r"\W",
}


def _class_items(items) -> tuple[set[str] | None, bool]:
    """Character-class items (``a``, ``\\-``, ``\\d``) covering the first character of a
    match of a parsed regex, and whether a match can be empty; ``None``: not known."""

    def lit(code: int) -> str:
        ch = chr(code)
        return "\\" + ch if ch in "\\]^-[" else ch

    def class_item(op, av) -> set[str] | None:
        if op is _C.LITERAL:
            return {lit(av)}
        if op is _C.RANGE:
            return {f"{lit(av[0])}-{lit(av[1])}"}
        if op is _C.CATEGORY and av in _CATEGORY_ESCAPES:
            return {_CATEGORY_ESCAPES[av]}
        return None  # a negated class, ...

    # "(?i:...)": flags of its own, not known
    return _first(items, lambda code: {lit(code)}, class_item, lambda av: not (av[1] or av[2]))


# characters a required word may hold: those :func:`folded` lowers as ``re.IGNORECASE``
# folds them (ASCII and the French lower-case letters)
_WORD_CHARS = frozenset(map(chr, range(128))) | frozenset("àâäçéèêëîïôöùûüÿœæ")
_MIN_WORD = 3


def _required(items, fold: bool) -> frozenset[str] | None:
    """Words one of which every match of the parsed sequence ``items`` holds (the best
    known: its shortest word the longest), ``None`` when none is known."""
    best: frozenset[str] | None = None

    def consider(words: frozenset[str] | None) -> None:
        nonlocal best
        if words and min(map(len, words)) >= _MIN_WORD and (
            best is None or (min(map(len, words)), -len(words)) > (min(map(len, best)), -len(best))
        ):
            best = words

    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is _C.LITERAL:
            ch = chr(av).lower() if fold else chr(av)
            if ch in _WORD_CHARS:
                run.append(ch)
                continue
        consider(frozenset(["".join(run)]) if run else None)
        run = []
        if op is _C.SUBPATTERN and not (av[1] or av[2]):
            consider(_required(av[-1], fold))
        elif op is _C.BRANCH:
            alts = [_required(alt, fold) for alt in av[1]]
            if all(alts):
                consider(frozenset().union(*alts))
        elif op in _REPEATS and av[0] >= 1:
            consider(_required(av[2], fold))
    return best


def required_words(regex: str, flags: int = 0) -> tuple[str, ...] | None:
    """Words one of which every match of ``regex`` (compiled with ``flags``) holds, or
    ``None`` when none of three characters or more is known: a cheap test
    (:func:`may_match`) before a search that most texts fail.

    Under ``re.IGNORECASE`` the words are in lower case, to be found in
    :func:`folded` text. Lookarounds are not read (what they see may lie outside a match).

    Examples
    --------
    >>> required_words(r"(?P<value>\\d+)[ \\t]*(?P<unit>MBq|mCi)", re.IGNORECASE)
    ('mbq', 'mci')
    >>> required_words(r"glyc[ée]mie[^\\n]{0,40}?(?P<value>\\d+)")
    ('glyc',)
    >>> required_words(r"\\d+(?:mm|cm)?") is None
    True
    """
    try:
        parsed = _parser.parse(regex, flags)
    except Exception:  # noqa: BLE001 (an unusual construct: no words)
        return None
    fold = bool(parsed.state.flags & re.IGNORECASE)
    words = _required(parsed, fold)
    return None if words is None else tuple(sorted(words))


def may_match(pattern: re.Pattern, text: str, start: int = 0, end: int | None = None) -> bool:
    """``False`` when ``pattern`` cannot match in ``text[start:end]``: none of its
    :func:`required_words` is there (its whole text folded under ``re.IGNORECASE``).

    Examples
    --------
    >>> rx = re.compile(r"(?P<value>\\d+)[ \\t]*(?P<unit>MBq|mCi)", re.IGNORECASE)
    >>> may_match(rx, "activité : 187 MBQ"), may_match(rx, "TDM sans injection")
    (True, False)
    """
    gate = _GATES.get(id(pattern))
    if gate is None or gate[3] is not pattern:
        gate = _GATES[id(pattern)] = (*_gate(pattern), pattern)
    words, words_rx, fold, _ = gate
    if not words:
        return True
    low = folded(text) if fold else text
    end = len(low) if end is None else end
    if words_rx is not None:
        return words_rx.search(low, start, end) is not None
    return any(low.find(w, start, end) >= 0 for w in words)


def _gate(pattern: re.Pattern) -> tuple[tuple[str, ...], re.Pattern | None, bool]:
    """What :func:`may_match` tests for ``pattern``: its required words (none: always
    true), a regex of them when there are many (one search instead of a find per word:
    an alternation of literals, that ``re`` skips through by their first characters),
    and whether they are read in :func:`folded` text.

    Examples
    --------
    >>> words, rx, fold = _gate(re.compile(r"(?:Biograph|Discovery|Vereos|Gemini|Omni|Optima|Signa) \\w+"))
    >>> len(words), rx.search("TEP sur Gemini TF") is not None, fold
    (7, True, False)
    """
    words = required_words(pattern.pattern, pattern.flags) or ()
    fold = bool(pattern.flags & _IGNORECASE)
    if len(words) <= _MAX_GATE_WORDS:
        return words, None, fold
    return words, re.compile("|".join(map(re.escape, words))), fold


_GATES: dict[int, tuple] = {}
"""``id(pattern)`` -> :func:`_gate` of it and the pattern (hashing a compiled pattern
hashes its code: slower than the test it keys)."""
_MAX_GATE_WORDS = 6
"""Required words tested one by one with ``str.find``, at most (more: one regex of them)."""
_IGNORECASE = int(re.IGNORECASE)


_MAX_PREFIXES = 24
"""Literal prefixes :func:`literal_starts` enumerates, at most."""
_PREFIX_LENGTH = 6
"""Characters of a literal prefix, at most (more select the candidates no better)."""


def _prefixes(items, prefixes: frozenset[str]) -> tuple[frozenset[str] | None, bool]:
    """``prefixes`` extended by the literal text the parsed sequence ``items`` starts
    with, and whether that text is the whole of every match of ``items`` (then what
    follows may extend them further); ``None`` past :data:`_MAX_PREFIXES`."""
    for op, av in items:
        if min(map(len, prefixes)) >= _PREFIX_LENGTH:
            return prefixes, False
        if op is _C.LITERAL:
            prefixes = frozenset(p + chr(av) for p in prefixes)
        elif op is _C.IN and av and all(o is _C.LITERAL for o, _ in av):
            prefixes = frozenset(p + chr(c) for p in prefixes for _, c in av)
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            continue  # a lookaround reads, it consumes nothing
        elif op is _C.SUBPATTERN and not (av[1] or av[2]):
            prefixes, whole = _prefixes(av[-1], prefixes)
            if prefixes is None or not whole:
                return prefixes, False
        elif op is _C.BRANCH:
            found = [_prefixes(alt, prefixes) for alt in av[1]]
            if any(f is None for f, _ in found):
                return None, False
            prefixes = frozenset().union(*(f for f, _ in found))
            if not all(whole for _, whole in found):
                return (prefixes if len(prefixes) <= _MAX_PREFIXES else None), False
        else:
            return prefixes, False
        if len(prefixes) > _MAX_PREFIXES:
            return None, False
    return prefixes, True


def literal_starts(pattern: re.Pattern) -> tuple[str, ...] | None:
    """Literal texts one of which every match of ``pattern`` starts with (two characters
    or more each), or ``None`` when none are known (a class, a repeat or
    ``re.IGNORECASE`` first): the candidates :func:`literal_finditer` tries.

    Examples
    --------
    >>> literal_starts(re.compile(r"(?<!\\w)(?:foie|h[ée]patique)[ \t]*\\d"))
    ('foie', 'hepati', 'hépati')
    >>> literal_starts(re.compile(r"\\d+ mm")) is None, literal_starts(re.compile("foie", re.I)) is None
    (True, True)
    """
    if pattern.flags & _IGNORECASE:
        return None
    try:
        prefixes, _ = _prefixes(_parser.parse(pattern.pattern, pattern.flags), frozenset([""]))
    except Exception:  # noqa: BLE001 (an unusual construct: no prefixes)
        return None
    if not prefixes or min(map(len, prefixes)) < 2:
        return None
    return tuple(sorted(prefixes))


_STARTS: dict[int, tuple] = {}
"""``id(pattern)`` -> :func:`literal_starts` of it and the pattern."""


def literal_finditer(pattern: re.Pattern, text: str, start: int = 0, end: int | None = None):
    """``pattern.finditer(text, start, end)``, the same matches found faster when every
    match starts with a literal text (:func:`literal_starts`): ``str.find`` gives where
    each of those texts is written, and the pattern is matched there only, left to
    right and without overlap (``re`` would try its first alternatives at every
    position whose first character may start one).

    Examples
    --------
    >>> rx = re.compile(r"(?:foie|pool)[ \t]*(?P<num>\\d+)")
    >>> [m.group("num") for m in literal_finditer(rx, "foie 2, pool 1 et foie pool 3")]
    ['2', '1', '3']
    """
    end = len(text) if end is None else end
    known = _STARTS.get(id(pattern))
    if known is None or known[1] is not pattern:
        known = _STARTS[id(pattern)] = (literal_starts(pattern), pattern)
    starts = known[0]
    if starts is None:
        yield from pattern.finditer(text, start, end)
        return
    candidates = []
    for word in starts:
        at = text.find(word, start, end)
        while at >= 0:
            candidates.append(at)
            at = text.find(word, at + 1, end)
    candidates.sort()
    pos = start
    match = pattern.match
    for at in candidates:
        if at >= pos and (m := match(text, at, end)) is not None:
            yield m
            pos = m.end()


def start_chars(regex: str, flags: int = 0) -> str | None:
    """A character class holding every character a match of ``regex`` (compiled with
    ``flags``) can start with, or ``None`` when there is none (a match may be empty or
    start with any character).

    Under the same flags the class matches at least where the regex can start
    (``re.IGNORECASE`` folds the class as it folds the regex).

    Examples
    --------
    >>> print(start_chars(r"<b>|&amp;|\\[[A-Z]+\\]"))
    [&<\\[]
    >>> print(start_chars(r"(?<!\\d)\\d+(?:mm|cm)"))
    [\\d]
    >>> start_chars(r"a?") is None, start_chars(r"[^a]b") is None
    (True, True)
    """
    try:
        items, nullable = _class_items(_parser.parse(regex, flags))
    except Exception:  # noqa: BLE001 (an unusual construct: no class)
        return None
    if items is None or nullable or not items:
        return None
    return "[" + "".join(sorted(items)) + "]"


def _leads_with_class(regex: str, flags: int) -> bool:
    """Whether ``regex`` starts with a literal or a class already (``re`` tests its first
    character at once, and skips ahead to it in a search when it is case-sensitive)."""
    items = _parser.parse(regex, flags)
    while items.data and items.data[0][0] is _C.SUBPATTERN:
        items = items.data[0][1][-1]
    if not items.data:
        return False
    op, av = items.data[0]
    if op in (_C.LITERAL, _C.IN):
        return True
    return (
        op is _C.BRANCH
        and not flags & re.IGNORECASE
        and all(alt.data and alt.data[0][0] is _C.LITERAL for alt in av[1])
    )


_NEWLINE = ord("\n")
# categories of a character class that hold "\n"
_NEWLINE_CATEGORIES = frozenset(
    getattr(_C, n) for n in (
        "CATEGORY_SPACE", "CATEGORY_UNI_SPACE", "CATEGORY_NOT_DIGIT", "CATEGORY_UNI_NOT_DIGIT",
        "CATEGORY_NOT_WORD", "CATEGORY_UNI_NOT_WORD", "CATEGORY_LOC_NOT_WORD", "CATEGORY_LINEBREAK",
        "CATEGORY_UNI_LINEBREAK",
    ) if hasattr(_C, n)
)
# positions a line's text tells alone: "^" and "$" of MULTILINE, word boundaries (before
# the line's first character, "\n" and the start of a string are both non-word)
_LINE_AT = frozenset(
    getattr(_C, n) for n in (
        "AT_BEGINNING_LINE", "AT_END_LINE", "AT_BOUNDARY", "AT_NON_BOUNDARY", "AT_LOC_BOUNDARY",
        "AT_LOC_NON_BOUNDARY", "AT_UNI_BOUNDARY", "AT_UNI_NON_BOUNDARY",
    ) if hasattr(_C, n)
)
_MULTILINE_AT = {_C.AT_BEGINNING: _C.AT_BEGINNING_LINE, _C.AT_END: _C.AT_END_LINE}
_ONE_CHAR = frozenset(getattr(_C, n) for n in ("LITERAL", "NOT_LITERAL", "IN", "ANY"))


def _reads_newline(op, av, dotall: bool) -> bool:
    """Whether the one-character item ``(op, av)`` of a parsed regex can match ``"\\n"``."""
    if op is _C.LITERAL:
        return av == _NEWLINE
    if op is _C.NOT_LITERAL:
        return av != _NEWLINE
    if op is _C.ANY:
        return dotall
    hit, negated = False, False  # a class (IN)
    for item_op, item in av:
        if item_op is _C.NEGATE:
            negated = True
        elif item_op is _C.LITERAL:
            hit = hit or item == _NEWLINE
        elif item_op is _C.RANGE:
            hit = hit or item[0] <= _NEWLINE <= item[1]
        elif item_op is _C.CATEGORY:
            hit = hit or item in _NEWLINE_CATEGORIES
        else:  # an item not known here: it may
            return True
    return hit != negated


def _within_line(items, flags: int, lookahead: bool = False) -> bool:
    """Whether a parsed sequence (under ``flags``) reads nothing past the first line end
    after where it starts: it consumes no ``"\\n"`` (a lookahead may read one last)."""
    dotall = bool(flags & re.DOTALL)
    last = len(items) - 1
    for i, (op, av) in enumerate(items):
        if op in _ONE_CHAR:
            if _reads_newline(op, av, dotall) and not (lookahead and i == last):
                return False
        elif op is _C.SUBPATTERN:
            if not _within_line(av[-1], (flags | av[1]) & ~av[2], lookahead and i == last):
                return False
        elif op is _C.BRANCH:
            if not all(_within_line(alt, flags, lookahead and i == last) for alt in av[1]):
                return False
        elif op in _REPEATS:
            if not _within_line(av[2], flags):
                return False
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            if av[0] < 0 or not _within_line(av[1], flags, lookahead=True):
                return False  # a lookbehind may read the line before
        elif op is _C.AT:
            if flags & re.MULTILINE:  # as ``re`` compiles them
                av = _MULTILINE_AT.get(av, av)
            if av not in _LINE_AT:
                return False  # "\A", "\Z", "^" and "$" without MULTILINE: the whole string's
        elif op is getattr(_C, "ATOMIC_GROUP", None):
            if not _within_line(av, flags):
                return False
        elif op is _C.GROUPREF_EXISTS:
            if not all(_within_line(alt, flags) for alt in av[1:] if alt is not None):
                return False
        elif op is not _C.GROUPREF:  # a back reference repeats what the match read
            return False
    return True


def line_local(pattern: re.Pattern) -> bool:
    """Whether ``pattern.match(text, pos, end)`` at a line start ``pos`` depends only on
    that line: ``text[pos:]`` up to and including its first ``"\\n"`` (or up to ``end``).

    ``True`` when no part of the pattern can consume a line end (a lookahead may read
    it last), none looks behind, and its anchors are MULTILINE ``^`` and ``$`` or word
    boundaries: the match of a line is then the same wherever the line is, and can be
    remembered by the line's text. ``False`` when unsure.

    Examples
    --------
    >>> line_local(re.compile(r"^[ \\t]*(?:conclusion|résultats?)[ \\t]*(?::|(?=\\n)|$)", re.I | re.M))
    True
    >>> line_local(re.compile(r"^conclusion\\s*:", re.M)), line_local(re.compile(r"(?<=\\.)conclusion"))
    (False, False)
    """
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 (an unusual construct: not known to be)
        return False
    return _within_line(parsed, parsed.state.flags)


def gated(regex: str, flags: int = 0) -> str:
    """``regex`` led by a lookahead on the characters its matches start with.

    The same matches (the lookahead holds wherever the regex can start), found faster
    by a search: ``re`` rejects most positions with one class test instead of trying
    every alternative (and lookbehind) of the regex there. ``regex`` itself when no
    such class is known.

    Examples
    --------
    >>> gated(r"foie|rate", re.IGNORECASE)
    '(?=[fr])(?:foie|rate)'
    """
    chars = start_chars(regex, flags)
    if chars is None or _leads_with_class(regex, flags):
        return regex
    out = f"(?={chars})(?:{regex})"
    try:
        re.compile(out, flags)
    except re.error:  # e.g. global inline flags, that must lead a regex
        return regex
    return out


class WordScanner:
    """Find, left to right and without overlap, matches of named regexes at word starts.

    Python's ``re`` tries every alternative of a long alternation at every position;
    this scanner tries, at each word start only, the alternatives that can begin with
    that word's first character (found from the parsed regex). Alternatives keep their
    order: the first that matches at a position wins, as in a plain alternation.

    Parameters
    ----------
    named : list of (name, regex)
        Each regex may itself be an alternation; names may repeat.
    suffix : str
        Appended to every alternative (``(?!\\w)`` by default: whole words).
    flags : int
        ``re`` flags (case-insensitive by default).

    Examples
    --------
    >>> s = WordScanner([("lung", r"pulmonaires?|poumons?"), ("liver", r"h[ée]patiques?|foie")])
    >>> [(t[a:b], name) for t in ["Nodule pulmonaire, foie et poumonx"] for a, b, name in s.finditer(t)]
    [('pulmonaire', 'lung'), ('foie', 'liver')]
    """

    def __init__(self, named: list[tuple[str, str]], suffix: str = r"(?!\w)", flags: int = re.IGNORECASE):
        import regex as partial_re  # edsnlp's dependency: partial matching finds prefixes

        self.names: list[str] = []
        buckets: dict[str, list[str]] = {}
        buckets2: dict[str, list[str]] = {}
        # the alternatives of each two-character bucket, with their probes, to narrow
        # it to a three-character prefix when a scan meets one (:meth:`_narrowed`)
        probes2: dict[str, list[tuple[str, object, bool]]] = {}
        anywhere: list[str] = []
        for name, pattern in named:
            for alt in split_alternatives(pattern):
                i = len(self.names)
                self.names.append(name)
                group = f"(?P<g{i}>{alt})"
                chars, _ = _first_chars(_parser.parse(alt, flags))
                if chars is None:
                    anywhere.append(group)
                    continue
                probe = partial_re.compile(
                    _strip_lookbehinds(alt), partial_re.IGNORECASE | partial_re.V0
                )
                # a case-sensitive part ("(?-i:PNO)") is probed in every case
                cased = "(?-i" in alt
                for ch in chars:
                    buckets.setdefault(ch, []).append(group)
                    # the two-character prefixes this alternative can start with
                    for second in _ALPHABET:
                        pair = ch + second
                        if probe.match(pair, partial=True) or cased and any(
                            probe.match(p, partial=True)
                            for p in (pair.upper(), ch.upper() + second, ch + second.upper())
                        ):
                            buckets2.setdefault(ch + second, []).append(group)
                            probes2.setdefault(ch + second, []).append((group, probe, cased))

        self._suffix, self._flags = suffix, flags
        # the regex of each tuple of alternatives, compiled once: the buckets', and the
        # narrowed ones built on first use (a narrowing that keeps a bucket's
        # alternatives reuses its regex)
        self._by_groups: dict[tuple[str, ...], re.Pattern] = {}

        def compile_all(table):
            return {k: self._regex_of(tuple(g)) for k, g in table.items()}

        self._buckets = compile_all(buckets)
        self._buckets2 = compile_all(buckets2)
        self._probes2 = probes2
        self._buckets3: dict[str, re.Pattern | None] = {}
        self._probes3: dict[str, list[tuple[str, object, bool]]] = {}
        self._fallback = (
            re.compile(f"(?:{'|'.join(anywhere)}){suffix}", flags) if anywhere else None
        )

    def _narrowed(self, key: str) -> re.Pattern | None:
        """The regex of the alternatives that can start with the three characters
        ``key`` (lower case, the first two a key of the two-character buckets), in
        their order; ``None`` when none can. Built on first use, then remembered.

        An alternative with a case-sensitive part is always kept (a superset of the
        alternatives that can match keeps the matches of the bucket).
        """
        try:
            return self._buckets3[key]
        except KeyError:
            pass
        bucket = self._probes2.get(key[:2], ())
        if len(bucket) <= self.SMALL:
            # kept as it is when one alternative can start with ``key`` (then the
            # longer keys narrow from the whole bucket: the same alternatives kept)
            kept = bucket if any(cased or probe.match(key, partial=True) for _, probe, cased in bucket) else []
        else:
            kept = [(g, probe, cased) for g, probe, cased in bucket if cased or probe.match(key, partial=True)]
        self._probes3[key] = kept
        rx = self._buckets3[key] = self._regex_of(tuple(g for g, _, _ in kept))
        return rx

    SMALL = 4
    """Alternatives a regex may hold and still be used as it is where fewer of them can
    match: narrowing it further would compile a new regex (most of the cost of a word
    met for the first time) to spare the ``re`` engine a few failed alternatives."""

    def _regex_of(self, groups: tuple[str, ...]) -> re.Pattern | None:
        """The regex of ``groups`` (alternatives, in order); ``None`` for none."""
        if not groups:
            return None
        rx = self._by_groups.get(groups)
        if rx is None:
            rx = re.compile(f"(?:{'|'.join(groups)}){self._suffix}", self._flags)
            self._by_groups[groups] = rx
        return rx

    def _narrowed_long(self, key: str) -> re.Pattern | None:
        """Like :meth:`_narrowed`, for a longer prefix ``key`` (lower case, its first
        three characters a key :meth:`_narrowed` has seen): the alternatives kept for
        those three characters that can start with all of ``key``."""
        bucket = self._probes3[key[:3]]
        if len(bucket) <= self.SMALL:  # no new regex: the bucket's when one can start so
            if any(cased or probe.match(key, partial=True) for _, probe, cased in bucket):
                return self._regex_of(tuple(g for g, _, _ in bucket))
            return None
        return self._regex_of(tuple(g for g, probe, cased in bucket if cased or probe.match(key, partial=True)))

    def finditer(self, text: str, start: int = 0, end: int | None = None):
        """Yield ``(start, end, name)`` of each match in ``text[start:end]``."""
        end = len(text) if end is None else end
        pos = start
        buckets, buckets2 = self._buckets, self._buckets2
        fallback = self._fallback
        names = self.names
        for w in _WORD.finditer(text, start, end):
            s = w.start()
            if s < pos:
                continue
            key = text[s : s + 2].lower()
            if len(key) == 2 and key[1] in _ALPHABET:
                rx = buckets2.get(key)
            else:
                rx = buckets.get(key[0])
            m = rx.match(text, s, end) if rx is not None else None
            if m is None and fallback is not None:
                m = fallback.match(text, s, end)
            if m is not None and m.end() > s:
                yield s, m.end(), names[int(m.lastgroup[1:])]
                pos = m.end()

    def search(self, text: str, start: int = 0, end: int | None = None):
        """The first match ``(start, end, name)``, or ``None``."""
        return next(self.finditer(text, start, end), None)


class MultiScanner:
    """Several :class:`WordScanner` run in one pass over the words of a text.

    Each scanner keeps its own left-to-right, non-overlapping matches; the words are
    walked once and, at each, only the scanners with an alternative starting with its
    first character are tried.

    Examples
    --------
    >>> ms = MultiScanner({"site": WordScanner([("lung", r"pulmonaires?")]),
    ...                    "trigger": WordScanner([("lesion", r"nodules?|masses?")])})
    >>> ms.scan("Nodule pulmonaire et masse")
    {'site': [(7, 17, 'lung')], 'trigger': [(0, 6, 'lesion'), (21, 26, 'lesion')]}
    """

    def __init__(self, scanners: dict[str, WordScanner]):
        self.kinds = list(scanners)
        self._scanners = list(scanners.values())
        with_fallback = [k for k, sc in enumerate(self._scanners) if sc._fallback is not None]

        def dispatch_of(attr: str) -> dict[str, list]:
            keys = set().union(*(getattr(sc, attr) for sc in self._scanners))
            table = {}
            for key in keys:
                entries = []
                for k, sc in enumerate(self._scanners):
                    rx = getattr(sc, attr).get(key)
                    if rx is not None or sc._fallback is not None:
                        entries.append((k, rx, sc._fallback, sc.names))
                table[key] = entries
            return table

        self._dispatch = dispatch_of("_buckets")
        self._dispatch2 = dispatch_of("_buckets2")
        self._default = [
            (k, None, self._scanners[k]._fallback, self._scanners[k].names) for k in with_fallback
        ]
        # every two-character key of the alphabet gets its entries (empty when no
        # alternative starts so), so that a word costs one dict lookup
        for first in _ALPHABET:
            for second in _ALPHABET:
                key = first + second
                if key not in self._dispatch2:
                    self._dispatch2[key] = self._default
        # entries by the three first characters of a word, narrowed from the
        # two-character ones on first use (:meth:`_entries3`)
        self._dispatch3: dict[str, list] = {}
        # entries by the first LONG_KEY characters at a word start (any shorter key at
        # the end of a text), narrowed from the three-character ones on first use
        # (:meth:`_entries_long`): fewer regexes tried, each with fewer alternatives
        self._dispatch_long: dict[str, list] = {}
        self._interned: dict[tuple, tuple] = {}
        # long keys met once: narrowed when met again (:meth:`_entries_long`)
        self._met_once: set[str] = set()

    def _entries3(self, key: str) -> list:
        """The entries to try at a word whose three first characters (lower case) are
        ``key``: those of its two first characters, each scanner's regex narrowed to the
        alternatives that can start with ``key`` (:meth:`WordScanner._narrowed`)."""
        entries = self._dispatch2.get(key[:2])
        if entries is None:  # a second character outside the alphabet
            entries = self._dispatch.get(key[0], self._default)
        elif key[2] in _ALPHABET:
            entries = self._narrowed_entries(entries, lambda scanner: scanner._narrowed(key))
        self._dispatch3[key] = entries
        return entries

    def _narrowed_entries(self, entries: list, narrow: Callable) -> list:
        """``entries`` with each scanner's regex replaced by ``narrow(scanner)`` (None when no
        alternative can start there), and those left with neither a regex nor a fallback dropped."""
        narrowed = []
        for k, rx, fallback, names in entries:
            if rx is not None:
                rx = narrow(self._scanners[k])
            if rx is not None or fallback is not None:
                narrowed.append((k, rx, fallback, names))
        return narrowed

    LONG_KEY = 5
    """Characters of the longest keys (a word start and what follows it)."""
    MAX_LONG_KEYS = 50_000
    """Long keys remembered, at most (then the three-character entries are used)."""

    def _entries_long(self, key: str) -> list:
        """The entries to try at a word start whose next characters (lower case) are
        ``key`` (:data:`LONG_KEY` of them, fewer at the end of a text): at a full key
        of the alphabet, the three-character entries each narrowed to the alternatives
        that can start with all of ``key``.

        A key met for the first time gets the entries known for its first characters
        (those of three characters, else of two) and is not remembered: narrowing costs
        partial matches and compiled regexes, and half the words of a new house style
        are met once (the same matches: narrowing only drops alternatives that cannot
        start there). Met again, it is narrowed and remembered."""
        if len(key) >= 3 and key not in self._met_once and len(self._met_once) < self.MAX_LONG_KEYS:
            self._met_once.add(key)
            entries = self._dispatch3.get(key[:3])
            if entries is None:
                entries = self._dispatch2.get(key[:2])
                if entries is None:  # a second character outside the alphabet
                    entries = self._dispatch.get(key[0], self._default)
            return entries
        if len(key) < 3:
            entries = self._dispatch2.get(key)
            if entries is None:  # a second character outside the alphabet, or none
                entries = self._dispatch.get(key[0], self._default)
        else:
            entries = self._dispatch3.get(key[:3])
            if entries is None:
                entries = self._entries3(key[:3])
            if entries and len(key) == self.LONG_KEY and all(c in _ALPHABET for c in key):
                narrowed = self._narrowed_entries(entries, lambda scanner: scanner._narrowed_long(key))
                # keys with the same entries share one tuple (bounded memory); the regexes
                # by id (each tuple of alternatives has one, kept in ``_by_groups``:
                # hashing a compiled regex hashes its code, as costly as a match)
                shape = tuple((k, id(rx), id(fallback), id(names)) for k, rx, fallback, names in narrowed)
                entries = self._interned.setdefault(shape, tuple(narrowed))
        if len(self._dispatch_long) < self.MAX_LONG_KEYS:
            self._dispatch_long[key] = entries
        return entries

    def scan(self, text: str, start: int = 0, end: int | None = None) -> dict[str, list]:
        """Matches ``(start, end, name)`` of each scanner, by kind."""
        end = len(text) if end is None else end
        out: list[list] = [[] for _ in self.kinds]
        nextpos = [start] * len(self.kinds)
        dispatch, dispatch2, default = self._dispatch, self._dispatch2, self._default
        low = text[start:end].lower()  # offsets of low are shifted by start
        # longer keys need low aligned with text (a few letters, "İ", lower to two)
        aligned = len(low) == end - start
        dispatch_long = self._dispatch_long if aligned else {}
        width = self.LONG_KEY if aligned else 2
        # the word starts, their keys and entries, each list built in one go
        starts = [w.start() for w in _WORD.finditer(text, start, end)]
        keys = [low[s - start : s - start + width] for s in starts]
        for s, key, entries in zip(starts, keys, map(dispatch_long.get, keys), strict=True):
            if not entries:
                if entries is not None:
                    continue  # a key no alternative starts with: most words
                if aligned:
                    entries = self._entries_long(key)
                else:
                    entries = dispatch2.get(key)
                    if entries is None:  # a second character outside the alphabet, or none
                        entries = dispatch.get(key[0], default)
            for k, rx, fallback, names in entries:
                if s < nextpos[k]:
                    continue
                m = rx.match(text, s, end) if rx is not None else None
                if m is None and fallback is not None:
                    m = fallback.match(text, s, end)
                if m is not None:
                    e = m.end()
                    if e > s:
                        out[k].append((s, e, names[int(m.lastgroup[1:])]))
                        nextpos[k] = e
        return dict(zip(self.kinds, out, strict=False))


_FAST_TOKEN = re.compile(r"([^\W_]+|\S)([ \t\n\r\f\v\xa0]*)")


def fast_doc(vocab, text: str) -> Doc:
    """A Doc of ``text`` split into words and single punctuation marks, fast.

    :class:`~radlink.nlp.ReportExtractor` only needs tokens to hold the spans of its
    results, so it skips the rule-based ``eds`` tokenizer (about half the cost of a
    report). ``doc.text`` is exactly ``text``: whitespace other than one space after a
    token becomes a token of its own, as in spaCy.

    Examples
    --------
    >>> import spacy
    >>> doc = fast_doc(spacy.blank("fr").vocab, "  SUVmax 7,7\\n\\n- nodule")
    >>> [t.text for t in doc], doc.text == "  SUVmax 7,7\\n\\n- nodule"
    (['  ', 'SUVmax', '7', ',', '7', '\\n\\n', '-', 'nodule'], True)
    """
    words: list[str] = []
    spaces: list[bool] = []
    lead = len(text) - len(text.lstrip())
    if lead:
        words.append(text[:lead])
        spaces.append(False)
    for tok, ws in _FAST_TOKEN.findall(text, lead):
        words.append(tok)
        if not ws:
            spaces.append(False)
        elif ws == " ":
            spaces.append(True)
        elif ws[0] == " ":
            spaces.append(True)
            words.append(ws[1:])
            spaces.append(False)
        else:
            spaces.append(False)
            words.append(ws)
            spaces.append(False)
    return Doc(vocab, words=words, spaces=spaces)


# ---------------------------------------------------------------------------
# Span attributes read from one record object (fewer spaCy underscore calls)
# ---------------------------------------------------------------------------

RECORD_FIELDS: dict[str, dict[str, str]] = {}
"""Record extension -> {public span attribute: field of the record}."""


def _record_getter(public: str):
    def getter(span: Span):
        ext = span._
        for record, fields in RECORD_FIELDS.items():
            if public in fields:
                obj = getattr(ext, record)
                if obj is not None:
                    value = getattr(obj, fields[public])
                    return value(span) if callable(value) else value
        return None

    return getter


def set_record_extensions(record: str, fields: dict[str, str]) -> None:
    """Declare ``Span._.<record>`` and a read-only getter per public attribute.

    A pipe stores one dataclass per span (``span._.finding``); ``span._.site`` and the
    other public attributes read it. Two records may share a public name
    (``suvmax`` is on SUVmax value spans and on finding spans).
    """
    RECORD_FIELDS.setdefault(record, {}).update(fields)
    if not Span.has_extension(record):
        Span.set_extension(record, default=None)
    for public in fields:
        if not Span.has_extension(public):
            Span.set_extension(public, getter=_record_getter(public))
