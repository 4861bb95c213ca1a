"""What a report's own words say about its exam: type, stated exam date, addendum.

Used when the title says nothing ("CR d'imagerie médicale"). Only the opening of each
text is read (heading, indication, technique), with the small patterns of
:mod:`radlink.linkage.patterns`; each is a regular expression without nested
quantifiers, so the cost is linear in the characters read. No NLP pipeline is needed
(and linkage may not import :mod:`radlink.nlp`): a caller that has NLP facts can pass
them instead as the optional report columns ``stated_exam_date`` and
``stated_modality_class`` (see :func:`report_text_facts`).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from radlink.linkage.normalize import strip_accents
from radlink.linkage.patterns import (
    ADDENDUM_PATTERN,
    COMPARED_DATE_PATTERN,
    COMPARED_DATE_WORDS,
    COMPARISON_LINE_PATTERN,
    EXAM_DATE_PATTERN,
    FIRST_LINE_PATTERN,
    HEAD_ASCII_PATTERN,
    HYBRID_TEXT_CLASSES,
    LABEL_DATE_EXCLUDED,
    LABEL_DATE_PATTERN,
    LETTER_DATE_PATTERN,
    MONTHS,
    PERFORMED_DATE_EXCLUDED,
    PERFORMED_DATE_PATTERN,
    PERFORMED_DATE_WORDS,
    TECHNIQUE_LINE_PATTERN,
    TEXT_MODALITY_PATTERNS,
)

__all__ = ["upper_ascii", "upper_ascii_openings", "stripped_upper", "stated_exam_dates", "stated_exam_times", "says_addendum", "compared_dates",
           "text_modality_class", "report_text_facts", "written_numbers", "WrittenNumbers"]

_HTML_ACCENT = re.compile(r"&([A-Za-z])(?:acute|grave|circ|uml|cedil);")
_HTML_TAG = re.compile(r"<[^>]{0,80}>")
_RTF_PAR = re.compile(r"\\(?:par|line|row|cell)\b ?")
_RTF_HEX = re.compile(r"\\'([0-9a-fA-F]{2})")
_RTF_WORD = re.compile(r"\\[a-zA-Z]{1,32}-?\d{0,10} ?|[{}]")


def _rtf_plain(value: str) -> str:
    r"""An RTF text's words: paragraph marks as new lines, ``\'e9`` escapes as their Windows-1252
    characters, other control words and braces dropped.

    Examples
    --------
    >>> _rtf_plain(r"{\rtf1\ansi\deff0 Madame,\par Examen r\'e9alis\'e9 le 11/06/2023.\par }")
    'Madame,\nExamen réalisé le 11/06/2023.\n'
    """
    value = _RTF_PAR.sub("\n", value)
    if "\\'" in value:
        value = _RTF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]).decode("cp1252", "replace"), value)
    return _RTF_WORD.sub("", value)


_DATE_RE = re.compile(EXAM_DATE_PATTERN)
_LETTER_RE = re.compile(LETTER_DATE_PATTERN)
_COMPARED_RE = re.compile(COMPARED_DATE_PATTERN)
_LABEL_DATE_RE = re.compile(LABEL_DATE_PATTERN)
_LABEL_EXCLUDED_RE = re.compile(LABEL_DATE_EXCLUDED)
_PERFORMED_RE = re.compile(PERFORMED_DATE_PATTERN)
_PERFORMED_EXCLUDED_RE = re.compile(PERFORMED_DATE_EXCLUDED)
# Characters whose decomposition is the same in every Unicode version (ASCII, Latin-1
# Supplement, Latin Extended-A): on them Python's unicodedata and pyarrow's utf8proc agree.
_BEYOND_LATIN = re.compile("[^\x00-\u017f]")

_LIGATURES = (("Œ", "OE"), ("œ", "oe"), ("Æ", "AE"), ("æ", "ae"), ("ß", "SS"))


def _latin_upper_ascii(value: str) -> str:
    """:func:`~radlink.linkage.normalize.strip_accents` then upper case, for one Latin text."""
    if not value.isascii():
        for a, b in _LIGATURES:
            if a in value:
                value = value.replace(a, b)
        value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return value.upper()


def _latin1_translation() -> tuple[bytes, bytes]:
    """:func:`_latin_upper_ascii` of each Latin-1 character as a byte table for ``bytes.translate``.

    Accent stripping is a per-character map on these characters (their NFKD forms hold
    no character that reorders across another one, and every non-ASCII character of a
    decomposition is dropped), so a Latin-1 text goes through one C call. The
    characters that become two letters (``"ß"``, ``"æ"``, ``"¼"``...) map to the byte 0,
    which sends the text (as a text holding 0 does) to the general path.
    """
    table, delete = bytearray(range(256)), bytearray()
    for byte in range(256):
        mapped = _latin_upper_ascii(chr(byte))
        if len(mapped) == 1:
            table[byte] = ord(mapped)
        elif not mapped:
            delete.append(byte)
        else:
            table[byte] = 0
    return bytes(table), bytes(delete)


_LATIN1_TABLE, _LATIN1_DELETE = _latin1_translation()

_ONE_FOR_ONE = re.compile("[" + "".join(re.escape(chr(c)) for c in range(256)
                                        if chr(c) not in "&<" and len(_latin_upper_ascii(chr(c))) == 1) + "]*")
"""Texts of Latin-1 characters that :func:`_latin_upper_ascii` maps one for one (not ``"ß"``,
``"°"``...), without the ``&`` and ``<`` that start HTML residue."""


def _latin1_ascii(value: str) -> str | None:
    """:func:`_latin_upper_ascii` of a Latin-1 text (after ``"œ"`` -> ``"oe"``) in one C call, or None.

    None for a text beyond Latin-1 or holding a character that becomes two letters
    (:func:`_latin1_translation` maps those to the byte 0): the caller's general path.

    Examples
    --------
    >>> _latin1_ascii("Cœur é"), _latin1_ascii("Straße"), _latin1_ascii("Ωmega")
    ('COEUR E', None, None)
    """
    if "œ" in value:
        value = value.replace("œ", "oe")
    if "Œ" in value:
        value = value.replace("Œ", "OE")
    try:
        mapped = value.encode("latin-1").translate(_LATIN1_TABLE, _LATIN1_DELETE)
    except UnicodeEncodeError:
        return None
    return None if b"\0" in mapped else mapped.decode("ascii")


def upper_ascii(text: pd.Series, max_chars: int) -> pd.Series:
    """The first ``max_chars`` characters, HTML and RTF residue removed, accents stripped, upper case.

    One pass per text: a Latin-1 text (after ``"œ"`` -> ``"oe"``) is mapped byte by byte
    (:func:`_latin1_translation`), another Latin text through :func:`_latin_upper_ascii`;
    a text with a character beyond Latin Extended-A goes through
    :func:`~radlink.linkage.normalize.strip_accents` as a batch (same result, slower).

    Examples
    --------
    >>> import pandas as pd
    >>> upper_ascii(pd.Series(["<p>Ad&eacute;nopathie<br>TEP réalisée", None, "Nœud, Straße"]), 40).tolist()
    ['\\nADENOPATHIE\\nTEP REALISEE', None, 'NOEUD, STRASSE']
    """
    values = text.to_numpy(dtype=object)
    out = np.full(len(values), None, dtype=object)
    beyond: list[int] = []
    for i, value in enumerate(values):
        if isinstance(value, str):
            out[i] = _upper_one(value[:max_chars], i, beyond)
    _upper_beyond(out, beyond)
    return pd.Series(out, index=text.index, dtype=object)


def _upper_one(value: str, i: int, beyond: list[int]) -> str:
    """:func:`upper_ascii` of one text already cut, or the text itself with ``i`` put in ``beyond``
    (beyond Latin Extended-A: :func:`_upper_beyond` finishes it)."""
    if "{\\rtf" in value[:16]:  # RTF residue: its paragraph marks are the lines the patterns read
        value = _rtf_plain(value)
    if "&" in value:
        value = _HTML_ACCENT.sub(r"\1", value).replace("&nbsp;", " ")
    if "<" in value:
        value = _HTML_TAG.sub("\n", value)
    mapped = _latin1_ascii(value)
    if mapped is not None:
        return mapped
    if _BEYOND_LATIN.search(value) is None:
        return _latin_upper_ascii(value)
    beyond.append(i)
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")
_BEYOND_ASCII: dict[str, str] = {}
"""Each character beyond Latin Extended-A met so far -> what strip_accents then upper case make of it."""


def _one_to_one(cut: str) -> bool:
    """Whether :func:`_upper_one` maps each character of ``cut`` to exactly one character (so the
    opening of its result is the result of its opening): no HTML residue, and only characters
    that accent stripping and upper case keep one for one (:data:`_ONE_FOR_ONE`).
    """
    return _ONE_FOR_ONE.fullmatch(cut) is not None


def _upper_beyond(out: np.ndarray, beyond: list[int]) -> None:
    """Finish the texts :func:`_upper_one` left at ``beyond``.

    Accent stripping maps each character on its own (its NFKD form's ASCII characters;
    the combining marks that canonical ordering moves are dropped anyway), so each
    distinct character beyond Latin Extended-A is mapped once, by
    :func:`~radlink.linkage.normalize.strip_accents` as a batch, and put in place; the
    rest of the text then takes the Latin path. A text holding a lone surrogate goes
    through strip_accents whole.
    """
    if not beyond:
        return
    whole = [i for i in beyond if _SURROGATE.search(out[i]) is not None]
    texts = [i for i in beyond if _SURROGATE.search(out[i]) is None]
    new = {c for i in texts for c in _BEYOND_LATIN.findall(out[i])} - _BEYOND_ASCII.keys()
    if new:
        chars = sorted(new)
        mapped = strip_accents(pd.Series(chars, dtype=object)).str.upper().to_numpy(dtype=object)
        _BEYOND_ASCII.update(zip(chars, mapped, strict=True))
    for i in texts:
        value = _BEYOND_LATIN.sub(lambda m: _BEYOND_ASCII[m.group()], out[i])
        mapped = _latin1_ascii(value)
        out[i] = mapped if mapped is not None else _latin_upper_ascii(value)
    if whole:
        out[whole] = strip_accents(pd.Series(out[whole], dtype=object)).str.upper().to_numpy(dtype=object)


def upper_ascii_openings(text: pd.Series, max_chars: int, *lengths: int) -> tuple[pd.Series, ...]:
    """``upper_ascii(text, max_chars)`` and ``upper_ascii(text, n)`` for each ``n`` of ``lengths``
    (each ``<= max_chars``), in one pass over the texts.

    Where the first ``n`` characters are ASCII without ``&`` or ``<`` (no HTML residue
    starts there), or Latin-1 characters that each map to one character, the shorter
    opening is the start of the longer one; other texts are read again. The longest
    shorter opening is checked first: when it is derived, so are the others. A text with RTF
    residue is read again for each opening.

    Examples
    --------
    >>> import pandas as pd
    >>> long, head = upper_ascii_openings(pd.Series(["Addendum: TEP réalisée", "Réalisée", None]), 40, 5)
    >>> long.tolist(), head.tolist()
    (['ADDENDUM: TEP REALISEE', 'REALISEE', None], ['ADDEN', 'REALI', None])
    >>> [s.tolist() for s in upper_ascii_openings(pd.Series(["<b>Nœud</b> é"]), 40, 9, 3)]
    [['\\nNOEUD\\n E'], ['\\nNOEUD</'], ['\\n']]
    """
    values = text.to_numpy(dtype=object)
    n = len(values)
    long = np.full(n, None, dtype=object)
    long_beyond: list[int] = []
    order = sorted(range(len(lengths)), key=lambda k: -lengths[k])
    outs = [np.full(n, None, dtype=object) for _ in lengths]
    beyond: list[list[int]] = [[] for _ in lengths]
    derived: list[list[int]] = [[] for _ in lengths]
    for i, value in enumerate(values):
        if not isinstance(value, str):
            continue
        cut = value[:max_chars]
        rtf = "{\\rtf" in cut[:16]  # RTF residue is rewritten (_rtf_plain): no opening is derived
        if not rtf and "&" not in cut and "<" not in cut and "œ" not in cut and "Œ" not in cut:
            mapped = _latin1_ascii(cut)
            if mapped is not None and len(mapped) == len(cut):  # byte for byte: every opening is its start
                long[i] = mapped
                for k in order:
                    derived[k].append(i)
                continue
        long[i] = _upper_one(cut, i, long_beyond)
        one_for_one = False
        for k in order:
            start = value[:lengths[k]]
            if not rtf and (one_for_one or ("&" not in start and "<" not in start and (start.isascii() or _one_to_one(start)))):
                one_for_one = True
                derived[k].append(i)
            else:
                outs[k][i] = _upper_one(start, i, beyond[k])
    _upper_beyond(long, long_beyond)
    for k, chars in enumerate(lengths):
        _upper_beyond(outs[k], beyond[k])
        if derived[k]:
            outs[k][derived[k]] = [t[:chars] for t in long[derived[k]]]
    return tuple(pd.Series(out, index=text.index, dtype=object) for out in (long, *outs))


def stripped_upper(values: pd.Series) -> pd.Series:
    """``strip_accents(values).str.upper()`` (:func:`~radlink.linkage.normalize.strip_accents`), faster.

    A Latin-1 text (after ``"œ"`` -> ``"oe"``) is mapped byte by byte (:func:`_latin1_translation`);
    the others go through :func:`~radlink.linkage.normalize.strip_accents` as a batch.

    Examples
    --------
    >>> import pandas as pd
    >>> stripped_upper(pd.Series(["Cœur gauche", None, "Straße", "Ωmega é"])).tolist()
    ['COEUR GAUCHE', None, 'STRASSE', 'MEGA E']
    """
    arr = values.to_numpy(dtype=object)
    out = np.full(len(arr), None, dtype=object)
    rest: list[int] = []
    for i, value in enumerate(arr):
        if not isinstance(value, str):
            if not pd.isna(value):
                rest.append(i)
            continue
        mapped = _latin1_ascii(value)
        if mapped is None:
            rest.append(i)
        else:
            out[i] = mapped
    if rest:
        out[rest] = strip_accents(pd.Series(arr[rest], dtype=object)).str.upper().to_numpy(dtype=object)
    return pd.Series(out, index=values.index, dtype=object)


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str, flags: int) -> re.Pattern:
    return re.compile(pattern, flags)


def _arrow_text(up: pd.Series) -> pa.Array:
    """Texts (or nulls) as an arrow string array, for RE2."""
    return pa.array(up.to_numpy(dtype=object), type=pa.string(), from_pandas=True)


def _ascii_matches(up: pd.Series, pattern: str, *, ignore_case: bool = False) -> np.ndarray:
    """Whether each ASCII text (or null) holds a match of ``pattern`` (e.g. texts of :func:`upper_ascii`).

    Arrow's regular expressions (RE2, one pass without backtracking, no Python per
    text) give the same answer as :mod:`re` on ASCII text for the patterns of
    :mod:`radlink.linkage.patterns`: ``\\b``, ``\\d``, the classes and case folding
    only differ beyond ASCII. A pattern RE2 does not take (lookaround,
    backreference) is read by :mod:`re`.

    Examples
    --------
    >>> import pandas as pd
    >>> _ascii_matches(pd.Series(["ADDENDUM", None, "TEP"]), r"\\bADDENDUM\\b").tolist()
    [True, False, False]
    >>> _ascii_matches(pd.Series(["TEP", "IRM"]), r"(?<!X)TEP").tolist()
    [True, False]
    """
    texts = up.to_numpy(dtype=object)
    return _arrow_matches(_arrow_text(up), pattern, ignore_case=ignore_case, texts=texts)


def _arrow_matches(values: pa.Array, pattern: str, *, ignore_case: bool = False,
                   texts: np.ndarray | None = None) -> np.ndarray:
    """:func:`_ascii_matches` of texts already in an arrow array (``texts``: the same as Python
    strings, when at hand: a pattern RE2 does not take is read from them)."""
    try:
        found = pc.match_substring_regex(values, pattern, ignore_case=ignore_case)
    except pa.ArrowInvalid:  # not an RE2 pattern: re reads the texts RE2 cannot rule out
        if texts is None:
            texts = values.to_numpy(zero_copy_only=False)
        return _re_matches(texts, values, pattern, ignore_case)
    return found.fill_null(False).to_numpy(zero_copy_only=False).astype(bool, copy=False)


_LOOKAROUND = re.compile(r"\(\?<?[!=][^()]*\)")
"""A lookahead or lookbehind without groups inside (``(?!\\d)``, ``(?<!X)``): RE2 has none."""


def _re2_mask(values: pa.Array, pattern: str, ignore_case: bool) -> np.ndarray | None:
    """The texts RE2 matches ``pattern`` in, with every non-ASCII text kept; ``None`` if RE2 refuses it."""
    try:
        found = pc.match_substring_regex(values, pattern, ignore_case=ignore_case)
    except pa.ArrowInvalid:
        return None
    ascii_text = pc.string_is_ascii(values).fill_null(True).to_numpy(zero_copy_only=False)
    return found.fill_null(False).to_numpy(zero_copy_only=False) | ~ascii_text


def _re_candidates(values: pa.Array, pattern: str, ignore_case: bool) -> np.ndarray:
    """The texts (a mask) where :mod:`re` may find ``pattern``: all of them, or fewer through RE2.

    Without its simple lookarounds, a pattern matches wherever it did (an assertion only
    rules matches out): when RE2 takes it so, the ASCII texts it does not match are out.
    """
    mask = _re2_mask(values, pattern, ignore_case)  # RE2 takes the pattern itself: its answer is re's on ASCII
    if mask is not None:
        return mask
    relaxed = _LOOKAROUND.sub("", pattern)
    if relaxed != pattern:
        mask = _re2_mask(values, relaxed, ignore_case)
        if mask is not None:
            return mask
    return np.ones(len(values), dtype=bool)


def _re_matches(texts: np.ndarray, values: pa.Array, pattern: str, ignore_case: bool) -> np.ndarray:
    """:func:`_ascii_matches` of a pattern RE2 does not take, read by :mod:`re` where
    :func:`_re_candidates` cannot rule a text out."""
    search = _compiled(pattern, re.IGNORECASE if ignore_case else 0).search
    out = np.zeros(len(texts), dtype=bool)
    rows = np.flatnonzero(_re_candidates(values, pattern, ignore_case))
    out[rows] = np.fromiter((isinstance(t, str) and search(t) is not None for t in texts[rows]),
                            dtype=bool, count=len(rows))
    return out


def _re_search(texts: np.ndarray, values: pa.Array, pattern: str) -> tuple[np.ndarray, list[re.Match]]:
    """The rows where :mod:`re` finds ``pattern`` in ``texts`` (``values`` as arrow), with their first match."""
    search = _compiled(pattern, 0).search
    rows, matches = [], []
    for r in np.flatnonzero(_re_candidates(values, pattern, False)):
        t = texts[r]
        m = search(t) if isinstance(t, str) else None
        if m is not None:
            rows.append(r)
            matches.append(m)
    return np.asarray(rows, dtype=np.int64), matches


def stated_exam_dates(text: pd.Series, max_chars: int = 600) -> np.ndarray:
    """The exam date a report states at the start of a line, else in a sentence saying the exam was
    performed on it (``datetime64[D]``, NaT when none).

    Examples
    --------
    >>> import pandas as pd
    >>> stated_exam_dates(pd.Series(["Examen du 03/03/2021.", "TEP réalisée le 3 mars 2021",
    ...     "x\\nTDM du 12.03.2021", "Comparaison avec la TEP du 01/01/2020", None,
    ...     "Examen réalisé le 03/03/21 à 09h40.", "Date de l'examen : 4 mars 2021.",
    ...     "x\\nSCANNER TAP du 12/03/2024", "Comparaison avec le scanner du 01/02/2020",
    ...     "Merci de m'avoir adressé X pour un(e) radio genou réalisé(e) le 02/01/2023.",
    ...     "Par rapport à l'IRM réalisée le 04/05/2022, stabilité."])).astype(str).tolist()
    ['2021-03-03', '2021-03-03', '2021-03-12', 'NaT', 'NaT', '2021-03-03', '2021-03-04', '2024-03-12', 'NaT', '2023-01-02', 'NaT']
    """
    return _dates_in(upper_ascii(text, max_chars))


def compared_dates(text: pd.Series, max_chars: int = 1500) -> np.ndarray:
    """The date of the earlier exam a report compares with, from its first comparison line
    (:data:`~radlink.linkage.patterns.COMPARED_DATE_PATTERN`; ``datetime64[D]``, NaT when none).

    Examples
    --------
    >>> import pandas as pd
    >>> compared_dates(pd.Series(["Indication\\nComparaison : examen du 15/07/2024.", "Examen du 03/03/2021.",
    ...     "Résultats\\nEn comparaison avec le précédent examen du 10/10/2025, stabilité.", None,
    ...     "Examen de référence : étude du 12 février 2023."])).astype(str).tolist()
    ['2024-07-15', 'NaT', '2025-10-10', 'NaT', '2023-02-12']
    """
    return _compared_in(upper_ascii(text, max_chars))


_COMPARED_CHARS = 1500
"""Characters of a text's opening where :func:`compared_dates` looks (its default)."""


def _compared_in(up: pd.Series) -> np.ndarray:
    """:func:`compared_dates` of texts already through :func:`upper_ascii`.

    A match of :data:`~radlink.linkage.patterns.COMPARED_DATE_PATTERN` lies inside one
    line (its gaps exclude ``\\n``, ``^`` is a line start) and holds one of
    :data:`~radlink.linkage.patterns.COMPARED_DATE_WORDS`: the texts holding such a word
    (one RE2 pass over a literal alternation) are cut into lines by arrow, the lines
    holding one are kept,
    and only those (short) lines are searched. A text's first match is in the first of
    its lines that matches, so the date read is the one the whole text gives.
    """
    out = np.full(len(up), np.datetime64("NaT"), dtype="datetime64[D]")
    values = _arrow_text(up)
    texts_in = np.flatnonzero(_arrow_matches(values, COMPARED_DATE_WORDS))  # the texts holding a word
    if not len(texts_in):
        return out
    lines = pc.split_pattern(values.take(pa.array(texts_in)), "\n")
    parent = texts_in[pc.list_parent_indices(lines).to_numpy(zero_copy_only=False)]
    flat = pc.list_flatten(lines)
    keep = np.flatnonzero(pc.match_substring_regex(flat, COMPARED_DATE_WORDS).to_numpy(zero_copy_only=False))
    if not len(keep):
        return out
    kept = flat.take(pa.array(keep))
    texts = kept.to_numpy(zero_copy_only=False)
    ok = _arrow_matches(kept, COMPARED_DATE_PATTERN, texts=np.asarray(texts, dtype=object))
    lines_ok, parents = keep[ok], parent[keep[ok]]
    if not len(lines_ok):
        return out
    # lines come in text order: each text's first matching line
    parents, first = np.unique(parents, return_index=True)
    found = pd.Series(np.asarray(texts, dtype=object)[ok][first], dtype=object).str.extract(_COMPARED_RE)
    out[parents] = _found_dates(found).to_numpy().astype("datetime64[D]")
    return out


def letter_dates(text: pd.Series, max_chars: int = 300) -> np.ndarray:
    """The date a report's letter bears alone on a line near its head (``datetime64[D]``, NaT when none).

    Examples
    --------
    >>> import pandas as pd
    >>> letter_dates(pd.Series(["Patient : X\\nLe 7 janvier 2023\\nPrescripteur", "Paris, le 07/01/2023",
    ...     "Examen de référence : scanner du 08/01/2023.", None])).astype(str).tolist()
    ['2023-01-07', '2023-01-07', 'NaT', 'NaT']
    """
    return _dates_of(text, max_chars, LETTER_DATE_PATTERN, _LETTER_RE)


def _dates_of(text: pd.Series, max_chars: int, pattern: str, regex) -> np.ndarray:
    """The date ``regex`` (compiled from ``pattern``) finds in each text's first ``max_chars``
    characters, upper-cased ASCII (``datetime64[D]``, NaT when none)."""
    return _dates_of_opening(upper_ascii(text, max_chars), pattern, regex)


def _dates_of_opening(up: pd.Series, pattern: str, regex) -> np.ndarray:
    """:func:`_dates_of` of texts already through :func:`upper_ascii`."""
    out = np.full(len(up), np.datetime64("NaT"), dtype="datetime64[D]")
    ok = _ascii_matches(up, pattern)
    if ok.any():
        out[ok] = _found_dates(up[ok].str.extract(regex)).to_numpy().astype("datetime64[D]")
    return out


def stated_exam_times(text: pd.Series, max_chars: int = 600) -> np.ndarray:
    """The time of day a report states after its exam date, in minutes after midnight (NaN when none).

    Examples
    --------
    >>> import pandas as pd
    >>> stated_exam_times(pd.Series(["Examen réalisé le 03/03/21 à 09h40.", "Examen du 03/03/2021 à 14h",
    ...     "Examen du 03/03/2021."])).tolist()
    [580.0, 840.0, nan]
    """
    return _date_times_in(upper_ascii(text, max_chars))[1]


def _dates_in(up: pd.Series) -> np.ndarray:
    """:func:`stated_exam_dates` of texts already through :func:`upper_ascii`."""
    return _date_times_in(up)[0]


STATED_DATE_PATTERNS: tuple[str, ...] = (EXAM_DATE_PATTERN, LABEL_DATE_PATTERN, PERFORMED_DATE_WORDS)
"""Every pattern :func:`_date_times_in` searches for a stated exam date, or a looser form
that matches wherever it does (:data:`~radlink.linkage.patterns.PERFORMED_DATE_WORDS`). A text that none of
them may match (:func:`_may_match`, one RE2 pass over their union) is not searched at all:
a new date search must be listed here (``tests/linkage/test_report_text_speed.py`` compares
the dates found with and without the filter on the texts of every development set)."""


def _may_match(values: pa.Array, patterns: tuple[str, ...]) -> np.ndarray:
    """The texts (a mask) where one of ``patterns`` may match, in one RE2 pass over their union.

    Each pattern enters the union without its simple lookarounds (an assertion only rules
    matches out, :func:`_re_candidates`); every non-ASCII text is kept, and every text
    when RE2 does not take the union. Null texts are out.

    Examples
    --------
    >>> import pyarrow as pa
    >>> _may_match(pa.array(["EXAMEN DU 03/03/2021", "RAS", None, "NEE LE 2/3/1950"]),
    ...            (EXAM_DATE_PATTERN, HEAD_ASCII_PATTERN)).tolist()
    [True, False, False, True]
    """
    union = "|".join(f"(?:{_LOOKAROUND.sub('', p)})" for p in patterns)
    mask = _re2_mask(values, union, False)
    if mask is None:
        return pc.is_valid(values).to_numpy(zero_copy_only=False)
    return mask & pc.is_valid(values).to_numpy(zero_copy_only=False)


def _date_times_in(up: pd.Series, values: pa.Array | None = None,
                   may: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Stated exam dates and times of day (minutes) of texts already through :func:`upper_ascii`
    (``values``: the same texts as arrow, when already made).

    Only the texts where a pattern of :data:`STATED_DATE_PATTERNS` may match are searched
    (``may``, a superset the caller found, else :func:`_may_match`).
    """
    n = len(up)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    minutes = np.full(n, np.nan)
    values = _arrow_text(up) if values is None else values
    rows = np.flatnonzero(_may_match(values, STATED_DATE_PATTERNS) if may is None else may)
    if not len(rows):
        return out, minutes
    if len(rows) < n:
        up = pd.Series(up.to_numpy(dtype=object)[rows], dtype=object)
        values = values.take(pa.array(rows))
    out[rows], minutes[rows] = _searched_date_times(up, values)
    return out, minutes


def _searched_date_times(up: pd.Series, values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_date_times_in` of the texts it searches.

    Each text that states a date is searched once (RE2 rules the others out first), and
    its groups are read from that match.
    """
    out = np.full(len(up), np.datetime64("NaT"), dtype="datetime64[D]")
    minutes = np.full(len(up), np.nan)
    texts = up.to_numpy(dtype=object)
    # the texts that state the exam's date, each searched once (RE2 rules the others out first)
    rows, matches = _re_search(texts, values, EXAM_DATE_PATTERN)
    ok = np.zeros(len(up), dtype=bool)
    ok[rows] = True
    # else a line with the exam's label and its date ("SCANNER TAP du 12/03/2024"), looked for
    # in the other texts only
    labelled = np.zeros(len(up), dtype=bool)
    others = np.flatnonzero(~ok)
    if len(others):
        labelled[others] = _arrow_matches(values.take(pa.array(others)), LABEL_DATE_PATTERN, texts=texts[others])
    if labelled.any():
        label_rows = np.flatnonzero(labelled)
        groups = [_label_date_groups(t) for t in texts[label_rows]]
        found = pd.DataFrame(groups, columns=list(_LABEL_DATE_RE.groupindex), dtype=object)
        out[label_rows] = _found_dates(found).to_numpy().astype("datetime64[D]")
    # else an exam said performed on a date inside a sentence (an outside radiologist's letter)
    others = np.flatnonzero(~ok & np.isnat(out))
    if len(others):
        performed = np.zeros(len(up), dtype=bool)
        performed[others] = _arrow_matches(values.take(pa.array(others)), PERFORMED_DATE_PATTERN,
                                           texts=texts[others])
        if performed.any():
            done_rows = np.flatnonzero(performed)
            groups = [_performed_date_groups(t) for t in texts[done_rows]]
            found = pd.DataFrame(groups, columns=list(_PERFORMED_RE.groupindex), dtype=object)
            out[done_rows] = _found_dates(found).to_numpy().astype("datetime64[D]")
    if not len(rows):
        return out, minutes
    names = list(_DATE_RE.groupindex)
    found = pd.DataFrame([[np.nan if g is None else g for g in m.group(*names)] for m in matches],
                         columns=names, dtype=object)
    dates = _found_dates(found)
    out[rows] = dates.to_numpy().astype("datetime64[D]")
    hour = pd.to_numeric(found["hour"], errors="coerce").to_numpy(dtype=np.float64)
    minute = np.nan_to_num(pd.to_numeric(found["minute"], errors="coerce").to_numpy(dtype=np.float64))
    stated = np.where((hour < 24) & (minute < 60) & dates.notna().to_numpy(), hour * 60 + minute, np.nan)
    minutes[rows] = stated
    return out, minutes


def _performed_date_groups(text: str) -> tuple:
    """The groups of the first performed-on line of ``text`` that is not excluded (all None if none)."""
    for match in _PERFORMED_RE.finditer(text):
        if _PERFORMED_EXCLUDED_RE.search(match.group(0)) is None:
            return match.groups()
    return (None,) * _PERFORMED_RE.groups


def _label_date_groups(text: str) -> tuple:
    """The groups of the first label-and-date line of ``text`` that is not excluded (all None if none)."""
    for match in _LABEL_DATE_RE.finditer(text):
        if _LABEL_EXCLUDED_RE.search(match.group(0)) is None:
            return match.groups()
    return (None,) * _LABEL_DATE_RE.groups


def _found_dates(found: pd.DataFrame) -> pd.Series:
    """Dates from the groups of a match of a date (:data:`~radlink.linkage.patterns._DATE`): ``day``/
    ``month``/``year``, ``day2``/``month_name``/``year2`` or, when the pattern has them, the ISO
    ``day3``/``month3``/``year3``; a two-digit year is 2000-2069 or 1970-1999.

    Examples
    --------
    >>> import pandas as pd
    >>> found = pd.DataFrame({"day": ["03", None, None], "month": ["03", None, None], "year": ["21", None, None],
    ...     "day2": [None, "3", None], "month_name": [None, "MARS", None], "year2": [None, "2021", None],
    ...     "day3": [None, None, "03"], "month3": [None, None, "03"], "year3": [None, None, "2021"]}, dtype=object)
    >>> [str(d.date()) for d in _found_dates(found)]
    ['2021-03-03', '2021-03-03', '2021-03-03']
    """
    def either(a: pd.Series, b: pd.Series) -> pd.Series:  # no fillna: pandas 2 warns on object downcasts
        return a.where(a.notna(), b)

    day = either(found["day"], found["day2"])
    month = either(found["month"], found["month_name"].map({k: f"{v:02d}" for k, v in MONTHS.items()}))
    year = either(found["year"], found["year2"]).astype(object)
    if "day3" in found:
        day, month, year = (either(a, found[b]) for a, b in ((day, "day3"), (month, "month3"), (year, "year3")))
        year = year.astype(object)
    short = year.notna() & (year.str.len() == 2)
    if short.any():  # a two-digit year: 00-69 in this century, 70-99 in the last
        yy = pd.to_numeric(year[short], errors="coerce")
        year[short] = (yy + np.where(yy < 70, 2000, 1900)).astype(int).astype(str).to_numpy(dtype=object)
    stamp = year + "-" + month.astype(object).str.zfill(2) + "-" + day.astype(object).str.zfill(2)
    return pd.to_datetime(stamp, format="%Y-%m-%d", errors="coerce")


def says_addendum(title: pd.Series, text: pd.Series, max_chars: int = 120) -> np.ndarray:
    """Whether the title or the opening of the text announces an addendum or a correction.

    Examples
    --------
    >>> import pandas as pd
    >>> says_addendum(pd.Series(["Addendum - TEP-TDM", "TDM", None]),
    ...               pd.Series(["...", "Complément au compte rendu initial.", None])).tolist()
    [True, True, False]
    """
    return _says_addendum(title, upper_ascii(text, max_chars))


_ADDENDUM_CHARS = 120
"""Characters of a text's opening where :func:`says_addendum` looks (its default)."""


def _says_addendum(title: pd.Series, head: pd.Series) -> np.ndarray:
    """:func:`says_addendum` with the texts' openings already through :func:`upper_ascii`."""
    hit = np.zeros(len(title), dtype=bool)
    # Titles repeat ("TDM thoracique"): each distinct one is read once.
    codes, uniques = pd.factorize(pd.Series(title.to_numpy(dtype=object), dtype=object))
    if len(uniques):
        found = _ascii_matches(upper_ascii(pd.Series(uniques, dtype=object), 200), ADDENDUM_PATTERN)
        hit |= (codes >= 0) & found[np.maximum(codes, 0)]
    hit |= _ascii_matches(head, ADDENDUM_PATTERN)
    return hit


def text_modality_class(text: pd.Series, max_chars: int = 600) -> pd.Series:
    """Modality class named by the opening of a report text (first class in pattern order).

    Examples
    --------
    >>> import pandas as pd
    >>> text_modality_class(pd.Series(["Injection de FDG, scanner de repérage", "Acquisition hélicoïdale",
    ...                                "Rien"])).tolist()
    ['PET', 'CT', None]
    >>> text_modality_class(pd.Series(["Tdm thorax-abdomen-pelvis\\nLésion à caractériser par IRM."])).tolist()
    ['CT']
    >>> text_modality_class(pd.Series(["Technique : cliché de face.\\nFoie d'échostructure normale.",
    ...                                "Technique : scanner low dose.\\nInjection de 18F-FDG."])).tolist()
    ['XR', 'PET']
    """
    return _modality_in(upper_ascii(text, max_chars))


def _modality_in(up: pd.Series, values: pa.Array | None = None) -> pd.Series:
    """:func:`text_modality_class` of texts already through :func:`upper_ascii` (``values``: the
    same texts as arrow, when already made).

    The technique line (:data:`~radlink.linkage.patterns.TECHNIQUE_LINE_PATTERN`) is read
    first: the class it names wins over the rest of the opening's, unless that is a hybrid
    class (:data:`~radlink.linkage.patterns.HYBRID_TEXT_CLASSES`).

    The texts are ASCII: RE2 rewrites them as :mod:`re` would (``[^A-Z0-9 \\n]``, and
    ``^`` at each line start under ``(?m)``), without Python per text.
    """
    values = _arrow_text(up) if values is None else values
    values = pc.replace_substring_regex(values, r"[^A-Z0-9 \n]", " ")
    values = pc.replace_substring_regex(values, COMPARISON_LINE_PATTERN, "")
    out = _first_class(values)
    # the exam's name written as the text's first line ("Tdm thorax-abdomen-pelvis") wins over a
    # class named further down (a recommended "IRM"), unless a hybrid class is named
    title = _first_class(pc.struct_field(pc.extract_regex(values, FIRST_LINE_PATTERN), [0]))
    use = pd.notna(title) & ~np.isin(out, HYBRID_TEXT_CLASSES)
    out[use] = title[use]
    lines = pc.struct_field(pc.extract_regex(values, TECHNIQUE_LINE_PATTERN), [0])
    by_line = _first_class(lines)
    use = pd.notna(by_line) & ~np.isin(out, HYBRID_TEXT_CLASSES)
    out[use] = by_line[use]
    return pd.Series(out, index=up.index, dtype=object)


def _first_class(values: pa.Array) -> np.ndarray:
    """The first class of :data:`TEXT_MODALITY_PATTERNS` each text names (None when none, or null)."""
    out = np.full(len(values), None, dtype=object)
    todo = np.flatnonzero(pc.is_valid(values).to_numpy(zero_copy_only=False))
    for pattern, code in TEXT_MODALITY_PATTERNS:  # each pattern reads only the texts still without a class
        if not len(todo):
            break
        hit = _arrow_matches(values.take(pa.array(todo)), pattern)
        out[todo[hit]] = code
        todo = todo[~hit]
    return out


def report_text_facts(reports: pd.DataFrame, need_type: np.ndarray | None = None, *,
                      chunk_size: int = 50_000) -> pd.DataFrame:
    """Per report: ``stated_exam_date``, ``stated_exam_time`` (minutes after midnight),
    ``text_class``, ``addendum``, ``head_names_patient`` and ``compared_date``
    (:func:`compared_dates`) (row order of ``reports``).

    Precomputed columns win: a ``stated_exam_date`` (with ``stated_exam_time``) or ``stated_modality_class`` column of
    ``reports`` (e.g. from :mod:`radlink.nlp`) is used as given. ``need_type`` restricts
    the reading of the exam type to those rows (e.g. the reports with a generic title).
    Reports are read ``chunk_size`` at a time (the upper-cased openings are copies).
    """
    n = len(reports)
    if n > chunk_size:  # the openings read are copies of the texts: bound them
        parts = [report_text_facts(reports.iloc[start:start + chunk_size],
                                   None if need_type is None else need_type[start:start + chunk_size],
                                   chunk_size=chunk_size)
                 for start in range(0, n, chunk_size)]
        return pd.concat(parts, ignore_index=True)
    try:
        return _text_facts(reports, need_type)
    finally:  # arrow's allocator keeps what the openings' arrays freed: give it back
        pa.default_memory_pool().release_unused()


def _text_facts(reports: pd.DataFrame, need_type: np.ndarray | None) -> pd.DataFrame:
    """:func:`report_text_facts` of one chunk of reports.

    The three openings read (:data:`_COMPARED_CHARS` for the compared date, 600 characters
    for the stated date, the type and the head, :data:`_ADDENDUM_CHARS` for the addendum)
    come from one pass over the texts (:func:`upper_ascii_openings`).
    """
    n = len(reports)
    text = reports["text"].astype(object) if "text" in reports else pd.Series([None] * n, dtype=object)
    title = reports["title"].astype(object) if "title" in reports else pd.Series([None] * n, dtype=object)
    long, opening, head = upper_ascii_openings(text, _COMPARED_CHARS, 600, _ADDENDUM_CHARS)
    values = _arrow_text(opening)
    if "stated_exam_date" in reports:
        dates = pd.to_datetime(reports["stated_exam_date"], errors="coerce").to_numpy().astype("datetime64[D]")
        times = (pd.to_numeric(reports["stated_exam_time"], errors="coerce").to_numpy(dtype=np.float64)
                 if "stated_exam_time" in reports else np.full(n, np.nan))
        may = _may_match(values, (HEAD_ASCII_PATTERN,))
    else:
        # one RE2 pass rules out the texts that neither state a date nor name a patient
        may = _may_match(values, (*STATED_DATE_PATTERNS, HEAD_ASCII_PATTERN))
        dates, times = _date_times_in(opening, values, may=may)
    if "stated_modality_class" in reports:
        tclass = reports["stated_modality_class"].astype(object).to_numpy()
    else:
        tclass = np.full(n, None, dtype=object)
        rows = np.arange(n) if need_type is None else np.flatnonzero(need_type)
        if len(rows):
            up = opening.iloc[rows].reset_index(drop=True)
            tclass[rows] = _modality_in(up, values.take(pa.array(rows))).to_numpy(dtype=object)
    names = np.zeros(n, dtype=bool)
    rows = np.flatnonzero(may)
    if len(rows):
        names[rows] = _arrow_matches(values if len(rows) == n else values.take(pa.array(rows)), HEAD_ASCII_PATTERN,
                                     texts=opening.to_numpy(dtype=object)[rows])
    return pd.DataFrame({"stated_exam_date": dates, "stated_exam_time": times, "text_class": tclass,
                         "addendum": _says_addendum(title, head), "head_names_patient": names,
                         "compared_date": _compared_in(long)})


_NOT_WORD = re.compile(r"[^A-Z0-9]+")


def label_words(values: pd.Series, max_chars: int = 600) -> pd.Series:
    """Upper-ASCII words of each text joined by single spaces, padded with one space each side.

    The form :func:`names_label` compares: a RIS label ("Poignet G") and a report's head
    ("POIGNET G du 18/01/2022") become `` POIGNET G `` and `` POIGNET G DU 18 01 2022 ``.

    Examples
    --------
    >>> import pandas as pd
    >>> label_words(pd.Series(["Échodoppler  MID", None])).tolist()
    [' ECHODOPPLER MID ', None]
    """
    up = upper_ascii(values, max_chars)
    out = up.to_numpy(dtype=object).copy()
    ok = pd.notna(out)
    out[ok] = [" " + " ".join(_NOT_WORD.sub(" ", v).split()) + " " for v in out[ok]]
    return pd.Series(out, index=values.index, dtype=object)


def names_label(heads: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Whether each head (from :func:`label_words`) contains its pair's label as whole words.

    One vectorised substring search per distinct label (a RIS catalogue holds few),
    not one per pair. A label of fewer than 4 letters and digits names nothing.

    Examples
    --------
    >>> import numpy as np
    >>> heads = np.array([" POIGNET G DU 18 01 2022 ", " POIGNET G DU 18 01 2022 ", None], dtype=object)
    >>> names_label(heads, np.array([" POIGNET G ", " POIGNET D ", " POIGNET G "], dtype=object)).tolist()
    [True, False, False]
    """
    out = np.zeros(len(heads), dtype=bool)
    ok = pd.notna(heads) & pd.notna(labels)
    if not ok.any():
        return out
    rows = np.flatnonzero(ok)
    codes, uniques = pd.factorize(pd.Series(labels[rows], dtype=object))
    head_arr = pa.array(heads[rows], type=pa.string())
    for code, label in enumerate(uniques):
        if len(label.replace(" ", "")) < 4:
            continue
        sel = np.flatnonzero(codes == code)
        found = pc.match_substring(head_arr.take(pa.array(sel)), label)
        out[rows[sel]] = found.to_numpy(zero_copy_only=False)
    return out


WRITTEN_NUMBER_CHARS = 1500
"""Characters of a report's text searched for the numbers it writes (:func:`written_numbers`)."""

WRITTEN_NUMBER_MIN_DIGITS = 5
"""Fewest digits of a written number that may be an exam's accession number (a date, a dose,
a phone number's groups of two are shorter)."""

_WRITTEN_NUMBER = r"[A-Z0-9][A-Z0-9-]*[A-Z0-9]"
# A text worth splitting into lines: a run of letters, digits and hyphens holding
# WRITTEN_NUMBER_MIN_DIGITS digits (most texts write only dates, doses and sizes). Searched from
# a digit (a run's first digit, whatever letters precede it in the run): the engine skips to the
# digits instead of trying a run's start at every character, the same texts pass.
_NUMBER_GATE = re.compile(rf"\d(?:[A-Za-z-]*\d){{{WRITTEN_NUMBER_MIN_DIGITS - 1}}}")
_OTHER_EXAM_LINE = COMPARED_DATE_WORDS + r"|ANTERI|ANCIEN|DERNIER|REMPLACE|ANNULE"
"""Words of a line that writes another exam's or document's number ("Comparaison avec l'examen n° ...")."""


def written_numbers(text: pd.Series, max_chars: int = WRITTEN_NUMBER_CHARS) -> tuple[np.ndarray, np.ndarray]:
    """The identifiers each text writes in its first ``max_chars`` characters: runs of letters,
    digits and hyphens holding at least :data:`WRITTEN_NUMBER_MIN_DIGITS` digits, upper case,
    except on lines that compare with or replace another exam or document.

    A report exported as a PDF letter often writes its exam's number in its head
    ("N° examen : 41072342   Date : 19/04/2023") while its ``accession_number`` column is empty.

    Returns ``(position, number)``: the position of each text in ``text`` and one number it
    writes, one pair per distinct number of a text.

    Examples
    --------
    >>> import pandas as pd
    >>> pos, num = written_numbers(pd.Series(["N° examen : 41072342 Date : 19/04/2023",
    ...     "Comparaison avec l'examen n° 41051973", None, "Acc. RX-2000-8285, 80 mL"]))
    >>> pos.tolist(), num.tolist()
    ([0, 3], ['41072342', 'RX-2000-8285'])
    """
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object))
    lines = _lines_holding_runs(text.to_numpy(dtype=object), max_chars)
    lines = lines[~stripped_upper(lines).str.contains(_OTHER_EXAM_LINE, regex=True, na=False).to_numpy(dtype=bool)]
    if not len(lines):
        return empty
    tokens = lines.str.findall(_WRITTEN_NUMBER).explode().dropna()
    tokens = tokens[tokens.astype(str).str.count(r"\d") >= WRITTEN_NUMBER_MIN_DIGITS]
    frame = pd.DataFrame({"pos": tokens.index.to_numpy(dtype=np.int64), "number": tokens.to_numpy(dtype=object)})
    frame = frame.drop_duplicates()
    return frame["pos"].to_numpy(dtype=np.int64), frame["number"].to_numpy(dtype=object)


def _lines_holding_runs(values: np.ndarray, max_chars: int) -> pd.Series:
    """The lines (``"\\n"``-separated) of each text's upper-cased first ``max_chars`` characters
    holding a run of :data:`WRITTEN_NUMBER_MIN_DIGITS` digits (``_NUMBER_GATE``), indexed by
    their text's position, in order: only they can write a number. Found from the runs, not by
    splitting every line.

    A text is worth reading when its opening holds a run; upper-casing may join or split runs
    (``"ß"`` becomes ``"SS"``), so the lines are those of the upper-cased opening. An ASCII
    opening keeps its runs and positions when upper-cased: it is searched once, as it is.
    """
    index, lines = [], []
    for i, value in enumerate(values):
        if not isinstance(value, str):
            continue
        opening = value[:max_chars]
        ascii_ = opening.isascii()
        if not ascii_:
            if _NUMBER_GATE.search(opening) is None:
                continue
            opening = opening.upper()
        line_end = -1
        for match in _NUMBER_GATE.finditer(opening):  # a run never crosses a line
            if match.start() < line_end:
                continue  # a run of a line already kept
            start = opening.rfind("\n", 0, match.start()) + 1
            line_end = opening.find("\n", match.end())
            line_end = len(opening) if line_end < 0 else line_end
            index.append(i)
            lines.append(opening[start:line_end].upper() if ascii_ else opening[start:line_end])
    return pd.Series(lines, index=pd.Index(index, dtype=np.int64), dtype=object)


class WrittenNumbers:
    """:func:`written_numbers` of a table's texts, each text read once however many steps ask.

    The accession-in-text step and the request-number step both read the numbers reports
    write, of overlapping rows: each asks for its rows (:meth:`of`) and only the rows no step
    asked for yet are read.

    Examples
    --------
    >>> import numpy as np
    >>> written = WrittenNumbers(np.array(["N° 41072342", "Acc. RX-2000-8285", "rien"], dtype=object))
    >>> [x.tolist() for x in written.of(np.array([1, 2]))]
    [[0], ['RX-2000-8285']]
    >>> [x.tolist() for x in written.of(np.array([0, 1]))]  # row 1 is not read again
    [[0, 1], ['41072342', 'RX-2000-8285']]
    """

    def __init__(self, texts: np.ndarray) -> None:
        self.texts = np.asarray(texts, dtype=object)
        self._read = np.zeros(len(self.texts), dtype=bool)
        self._rows: list[np.ndarray] = []
        self._numbers: list[np.ndarray] = []

    def of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:func:`written_numbers` of ``texts[rows]`` (distinct rows): ``(position in rows, number)``, in its order."""
        rows = np.asarray(rows, dtype=np.int64)
        new = np.unique(rows[~self._read[rows]])
        if len(new):
            pos, number = written_numbers(pd.Series(self.texts[new], dtype=object))
            self._rows.append(new[pos])
            self._numbers.append(number)
            self._read[new] = True
        if not self._rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
        known = np.concatenate(self._rows)
        number = np.concatenate(self._numbers)
        # each row's numbers in the order one call on texts[rows] gives them: by position, then as read
        at = pd.Index(rows).get_indexer(known)  # rows are distinct
        keep = np.flatnonzero(at >= 0)
        order = keep[np.argsort(at[keep], kind="stable")]
        return at[order].astype(np.int64), number[order]

    def subset(self, rows: np.ndarray) -> WrittenNumbers:
        """The numbers of ``texts[rows]`` (distinct rows) as their own :class:`WrittenNumbers`: the
        texts read already are not read again (each text's numbers do not depend on the others').

        Examples
        --------
        >>> import numpy as np
        >>> written = WrittenNumbers(np.array(["N° 41072342", "Acc. RX-2000-8285", "rien"], dtype=object))
        >>> _ = written.of(np.array([0]))
        >>> sub = written.subset(np.array([2, 0]))
        >>> sub._read.tolist(), [x.tolist() for x in sub.of(np.array([0, 1]))]
        ([False, True], [[1], ['41072342']])
        """
        rows = np.asarray(rows, dtype=np.int64)
        out = WrittenNumbers(self.texts[rows])
        out._read = self._read[rows].copy()
        if self._rows:
            at = pd.Index(rows).get_indexer(np.concatenate(self._rows))  # rows are distinct
            keep = at >= 0  # a row's numbers stay in the order they were read
            out._rows.append(at[keep].astype(np.int64))
            out._numbers.append(np.concatenate(self._numbers)[keep])
        return out
