"""Normalisation of identity fields: names, DICOM person names, birth dates and IPPs.

Every function here is vectorised over a pandas Series and works on the *distinct*
values only (a warehouse repeats the same name thousands of times), then maps back.
Representation: normalised names are upper-case ASCII letters without spaces
(``"Le Gall-Hervé"`` -> ``"LEGALLHERVE"``), with a second form that drops the French
particles (``"GALLHERVE"``) for names that lose them in some systems.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from radlink.tables import none_for_missing

__all__ = [
    "format_family",
    "strip_accents",
    "normalize_name",
    "drop_particles",
    "parse_person_name",
    "phonetic_key",
    "normalize_ipp",
    "ipp_in_other_format",
    "registry_ipp_of",
    "ipp_deletion_keys",
]

# French (and a few neighbouring) name particles, dropped by some registration desks:
# "de la Fontaine" -> "Fontaine". Source: usage in French civil status (nom de famille).
PARTICLES: frozenset[str] = frozenset(
    {"DE", "DU", "DES", "D", "LA", "LE", "L", "DEL", "DELA", "DI", "DA", "VAN", "VON", "DER", "DEN"}
)

# Married-name markers inside one name field: "MARTIN EP DUPONT", "DUPONT NEE MARTIN".
_MARRIED = re.compile(r"(?<!\s)\s+(?:EPOUSE|EPSE|EP|VEUVE|VVE|NEE|NE)\s+")


def _on_unique(values: pd.Series, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a vectorised ``func`` to the distinct non-null values, then map back."""
    values = values.astype(object)
    mask = values.notna().to_numpy()
    out = pd.Series([None] * len(values), index=values.index, dtype=object)
    if not mask.any():
        return out
    codes, uniques = pd.factorize(values[mask], sort=False)
    mapped = none_for_missing(func(pd.Series(uniques, dtype=object))).to_numpy()
    full = np.full(len(values), None, dtype=object)
    full[mask] = mapped[codes]
    return pd.Series(full, index=values.index, dtype=object)


def strip_accents(values: pd.Series) -> pd.Series:
    """Remove diacritics (``"Hélène"`` -> ``"Helene"``); nulls stay null.

    Examples
    --------
    >>> import pandas as pd
    >>> strip_accents(pd.Series(["Hélène", "Œdipe", None])).tolist()
    ['Helene', 'OEdipe', None]
    """
    def _strip(s: pd.Series) -> pd.Series:
        s = s.astype(str).str.replace("Œ", "OE").str.replace("œ", "oe")
        s = s.str.replace("Æ", "AE").str.replace("æ", "ae").str.replace("ß", "SS")
        return s.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")

    return _on_unique(values, _strip)


def _words(s: pd.Series) -> pd.Series:
    """Upper-case ASCII words separated by single spaces."""
    s = s.astype(str).str.replace("Œ", "OE").str.replace("œ", "oe")
    s = s.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii").str.upper()
    s = s.str.replace(r"[^A-Z]+", " ", regex=True).str.strip()
    return s


def normalize_name(values: pd.Series, *, keep_spaces: bool = False) -> pd.Series:
    """Upper-case ASCII letters only: accents, case, hyphens and apostrophes removed.

    Parameters
    ----------
    values : pandas.Series
        Names as written (``"d'Arcy-Lévêque"``).
    keep_spaces : bool, default False
        Keep one space between words instead of joining them.

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_name(pd.Series(["d'Arcy-Lévêque", "  le  Gall ", None, "--"])).tolist()
    ['DARCYLEVEQUE', 'LEGALL', None, None]
    """
    def _norm(s: pd.Series) -> pd.Series:
        w = _words(s)
        if not keep_spaces:
            w = w.str.replace(" ", "", regex=False)
        return w.where(w != "", None)

    return _on_unique(values, _norm)


def drop_particles(values: pd.Series) -> pd.Series:
    """Normalised name without its particles (``"de la Fontaine"`` -> ``"FONTAINE"``).

    A name made only of particles (``"Le"``) is kept whole.

    Examples
    --------
    >>> import pandas as pd
    >>> drop_particles(pd.Series(["de la Fontaine", "Le", "D'Arcy"])).tolist()
    ['FONTAINE', 'LE', 'ARCY']
    """
    pattern = r"\b(?:" + "|".join(sorted(PARTICLES, key=len, reverse=True)) + r")\b"

    def _drop(s: pd.Series) -> pd.Series:
        w = _words(s)
        core = w.str.replace(pattern, " ", regex=True).str.replace(" ", "", regex=False)
        whole = w.str.replace(" ", "", regex=False)
        core = core.where(core != "", whole)
        return core.where(core != "", None)

    return _on_unique(values, _drop)


def parse_person_name(values: pd.Series) -> pd.DataFrame:
    """Split DICOM person names into family, given and alternative family names.

    DICOM PN (PS3.5 6.2) is ``FAMILY^GIVEN^MIDDLE^PREFIX^SUFFIX``, with ``=`` separating
    alphabetic, ideographic and phonetic groups (only the first is used). Exports
    without carets are read as ``FAMILY, GIVEN`` or ``FAMILY GIVEN`` (French order,
    family first). A married-name marker (``"MARTIN EP DUPONT"``, ``"DUPONT NEE
    MARTIN"``) yields the second name as ``family_alt``.

    Returns
    -------
    pandas.DataFrame
        Columns ``family``, ``given``, ``family_alt`` (normalised, see
        :func:`normalize_name`; ``None`` when absent), same index as ``values``.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_person_name(pd.Series(["DUPONT^Marie-Hélène", "Martin ep. Dupont^Anne", "LEROY, Paul"])).values.tolist()
    [['DUPONT', 'MARIEHELENE', None], ['MARTIN', 'ANNE', 'DUPONT'], ['LEROY', 'PAUL', None]]
    """
    values = values.astype(object)
    mask = values.notna().to_numpy()
    out = pd.DataFrame({"family": None, "given": None, "family_alt": None}, index=values.index,
                       dtype=object)
    if not mask.any():
        return out
    codes, uniques = pd.factorize(values[mask], sort=False)
    u = pd.Series(uniques, dtype=object).astype(str)
    grouped = u.str.contains("=", regex=False).to_numpy(dtype=bool)  # the few names with "=" groups
    if grouped.any():
        u = u.where(~grouped, u.str.split("=", n=1).str[0])
    # The family and given parts: before the first "^" and up to the second, else around
    # the first ",", else None (one pass of str.partition per distinct name).
    texts = u.to_numpy(dtype=object)
    caret = np.fromiter(("^" in t for t in texts), dtype=bool, count=len(texts))
    by_comma = ~caret & np.fromiter(("," in t for t in texts), dtype=bool, count=len(texts))
    family_raw = np.full(len(texts), None, dtype=object)  # object: names with no "^" at all take strings
    given_raw = np.full(len(texts), None, dtype=object)
    for rows, sep in ((np.flatnonzero(caret), "^"), (np.flatnonzero(by_comma), ",")):
        split = [t.partition(sep) for t in texts[rows]]
        family_raw[rows] = [head for head, _, _ in split]
        given_raw[rows] = [tail.partition("^")[0] if sep == "^" else tail for _, _, tail in split]
    # No separator: French order "FAMILY Given"; the family part is the leading words
    # written in capitals, or the first word when all are capitals.
    plain = ~caret & ~by_comma
    if plain.any():
        words = u[plain].str.strip().str.split(r"\s+", regex=True)
        fam, giv = [], []
        for ws in words:
            caps = [w.isupper() for w in ws]
            k = caps.index(False) if False in caps else 1
            k = max(k, 1)
            fam.append(" ".join(ws[:k]))
            giv.append(" ".join(ws[k:]) or None)
        family_raw[plain] = fam
        given_raw[plain] = giv
    fam_words = pd.Series(family_raw, dtype=object).fillna("")
    fam_words = _words(fam_words)
    # A married-name marker sits between two words: names of one word (most) have none.
    words = fam_words.astype(object).fillna("").astype(str)
    spaced = words.str.contains(" ", regex=False).to_numpy(dtype=bool)
    first = words.to_numpy(dtype=object).copy()
    alt = np.full(len(words), "", dtype=object)
    if spaced.any():
        split = words[spaced].str.split(_MARRIED, n=1, regex=True)
        first[spaced] = split.str[0].astype(object).fillna("").astype(str).str.replace(
            " ", "", regex=False).to_numpy(dtype=object)
        alt[spaced] = split.str.get(1).astype(object).fillna("").astype(str).str.replace(
            " ", "", regex=False).to_numpy(dtype=object)
    first, alt = pd.Series(first, dtype=object), pd.Series(alt, dtype=object)
    given = normalize_name(pd.Series(given_raw, dtype=object))
    res = pd.DataFrame({
        "family": first.where(first != "", None).to_numpy(dtype=object),
        "given": given.to_numpy(dtype=object),
        "family_alt": alt.where(alt != "", None).to_numpy(dtype=object),
    })
    for col in res.columns:
        out.loc[mask, col] = res[col].to_numpy(dtype=object)[codes]
    return out.astype(object).where(out.notna(), None)


# A small French phonetic key, in the spirit of "Soundex 2" / Phonex: rewrite rules on
# normalised names (applied in order), then drop vowels after the first letter and
# collapse repeats. Each rule is (regex, replacement).
_PHONETIC_RULES: tuple[tuple[str, str], ...] = (
    (r"^MAC", "MC"),
    (r"PH", "F"),
    (r"GU(?=[EI])", "G"),
    (r"QU", "K"),
    (r"Q", "K"),
    (r"SCH", "CH"),
    (r"SH", "CH"),
    (r"CK", "K"),
    (r"C(?=[EIY])", "S"),
    (r"C(?!H)", "K"),
    (r"G(?=[EIY])", "J"),
    (r"W", "V"),
    (r"BV", "V"),
    (r"Z", "S"),
    (r"X", "S"),
    (r"Y", "I"),
    (r"EAU|AU|O", "O"),
    (r"AI|EI|ET$|ER$|EZ$", "E"),
    (r"(?<=[AEIOU])S(?=[AEIOU])", "Z"),
    (r"(?<!C)H", ""),
    (r"(?<=.)[TDSXZ]$", ""),
    (r"(?<=.)E$", ""),
    (r"([A-Z])\1+", r"\1"),
)


def phonetic_key(values: pd.Series, length: int = 6) -> pd.Series:
    """A short French phonetic key for blocking on names.

    Names that sound alike get the same key (``"Philippe"``/``"Filipe"``,
    ``"Gauthier"``/``"Gautier"``); typos in consonants still change it, which is why
    blocking also uses birth dates and IPP variants.

    Examples
    --------
    >>> import pandas as pd
    >>> phonetic_key(pd.Series(["Philippe", "Filipe", "Gauthier", "Gautier", None])).tolist()
    ['FLP', 'FLP', 'GT', 'GT', None]
    """
    def _key(s: pd.Series) -> pd.Series:
        w = _words(s).str.replace(" ", "", regex=False)
        for pattern, repl in _PHONETIC_RULES:
            w = w.str.replace(pattern, repl, regex=True)
        head = w.str[:1]
        tail = w.str[1:].str.replace(r"[AEIOU]", "", regex=True)
        key = (head + tail).str.replace(r"([A-Z])\1+", r"\1", regex=True).str[:length]
        return key.where(key != "", None)

    return _on_unique(values, _key)


def format_family(values) -> np.ndarray:
    """The format family of each identifier: letters and separators kept, each digit read as 9 (null stays null).

    Two numberings (a registry's IPPs and another site's, accessions and request numbers)
    differ by their families far more often than by their values.

    Examples
    --------
    >>> format_family(["B5066261", "0047319052", None, "tmp-12"]).tolist()
    ['B9999999', '9999999999', None, 'TMP-99']
    """
    series = pd.Series(np.asarray(values, dtype=object), dtype=object)
    codes, uniques = pd.factorize(series)
    table = str.maketrans("0123456789", "9" * 10)
    per_value = np.array([str(u).strip().upper().translate(table) for u in uniques] + [None], dtype=object)
    return per_value[codes]


def normalize_ipp(values: pd.Series) -> pd.Series:
    """IPPs as upper-case alphanumerics, leading zeros dropped (``" 0012-345"`` -> ``"12345"``).

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_ipp(pd.Series([" 0012-345", "tmp 77", "", None])).tolist()
    ['12345', 'TMP77', None, None]
    """
    def _norm(s: pd.Series) -> pd.Series:
        k = s.astype(str).str.upper().str.replace(r"[^0-9A-Z]", "", regex=True).str.lstrip("0")
        return k.where(k != "", None)

    return _on_unique(values, _norm)


def _ipp_digits(values) -> pd.Series:
    """The digits of each IPP, leading zeros dropped (NA stays NA): what site formats share."""
    return (pd.Series(values, dtype=object).astype("string").str.replace(r"\D+", "", regex=True)
            .str.lstrip("0"))


def ipp_in_other_format(carried: pd.Series, patient: pd.Series, *, min_digits: int = 6) -> np.ndarray:
    """Whether each carried IPP is the patient's own IPP written in another site's format.

    Sites of one group write a patient's IPP with their own prefix, suffix or padding
    ("BEL0034521386", "002637572629" for "0026375726"): the carried IPP's digits (leading
    zeros aside) begin or end with the patient's, of at least ``min_digits`` digits. Such
    an exam is not re-attached to *another* patient.

    Examples
    --------
    >>> import pandas as pd
    >>> ipp_in_other_format(pd.Series(["BEL0034521386", "002637572629", "0034521387", None]),
    ...                     pd.Series(["0034521386", "0026375726", "0034521386", "12"])).tolist()
    [True, True, False, False]
    """
    c, t = (_ipp_digits(v).fillna("").to_numpy(dtype=str) for v in (carried, patient))
    if not len(c):
        return np.zeros(0, dtype=bool)
    return ((np.char.str_len(t) >= min_digits) & (np.char.str_len(c) >= np.char.str_len(t))
            & (np.char.startswith(c, t) | np.char.endswith(c, t)))


def registry_ipp_of(ipps: pd.Series, registry: pd.Series, *, min_digits: int = 6) -> np.ndarray:
    """The registry id whose IPP each id is written in another site's format (None when not one alone).

    The id's digits (leading zeros aside) begin or end with those of exactly one registry
    IPP of at least ``min_digits`` digits (:func:`ipp_in_other_format`, looked up).
    Ids of the registry itself map to None.

    Examples
    --------
    >>> import pandas as pd
    >>> registry_ipp_of(pd.Series(["003352448078", "BEL0034521386", "0034521386", "77"]),
    ...                 pd.Series(["0033524480", "0034521386"])).tolist()
    ['0033524480', '0034521386', None, None]
    """
    ids = pd.Series(ipps, dtype=object).reset_index(drop=True)
    out = np.full(len(ids), None, dtype=object)
    reg = pd.Series(registry, dtype=object).dropna().drop_duplicates().reset_index(drop=True)
    own = ids.isin(set(reg)).to_numpy()
    key = pd.DataFrame({"key": _ipp_digits(reg).to_numpy(dtype=object), "patient": reg.to_numpy(dtype=object)})
    key = key[key["key"].str.len().fillna(0).to_numpy() >= min_digits]
    key = key[~key["key"].duplicated(keep=False)]
    todo = np.flatnonzero(ids.notna().to_numpy() & ~own)
    if not len(todo) or not len(key):
        return out
    d = _ipp_digits(ids.iloc[todo]).fillna("").to_numpy(dtype=object)
    lengths = np.array([len(x) for x in d], dtype=np.int64)
    # every prefix and suffix of at least min_digits digits, as rows (bounded by the id's length)
    rows, parts = [], []
    for k in range(min_digits, int(lengths.max(initial=0)) + 1):
        ok = np.flatnonzero(lengths >= k)
        if not len(ok):
            break
        sub = pd.Series(d[ok], dtype="string")
        rows += [ok, ok]
        parts += [sub.str.slice(0, k).to_numpy(dtype=object), sub.str.slice(-k).to_numpy(dtype=object)]
    if not rows:
        return out
    cand = pd.DataFrame({"row": np.concatenate(rows), "key": np.concatenate(parts)}).drop_duplicates()
    hit = cand.merge(key, on="key")[["row", "patient"]].drop_duplicates()
    one = hit[~hit["row"].duplicated(keep=False)]
    out[todo[one["row"].to_numpy()]] = one["patient"].to_numpy(dtype=object)
    return out


def ipp_deletion_keys(ids: pd.Series, ipps: pd.Series, *, min_length: int = 5) -> pd.DataFrame:
    """Blocking keys that bring together IPPs one typo or a few lost characters apart.

    Symmetric-delete keys (``"D"`` + the IPP, and ``"D"`` + the IPP with one character
    removed): two IPPs one substitution, insertion, deletion or adjacent transposition
    apart share at least one. Suffix keys (``"S"`` + the IPP, and ``"S"`` + the IPP
    without its first one or two characters): an IPP that lost its leading characters
    meets the full one.

    Parameters
    ----------
    ids : pandas.Series
        Row ids, returned beside their keys.
    ipps : pandas.Series
        Normalised IPPs (see :func:`normalize_ipp`).
    min_length : int
        IPPs (and suffixes) shorter than this get no keys (too many chance collisions).

    Returns
    -------
    pandas.DataFrame
        Columns ``id`` and ``key``; an id appears once per distinct key.

    Examples
    --------
    >>> import pandas as pd
    >>> k = ipp_deletion_keys(pd.Series(["a", "b"]), pd.Series(["123456", "124356"]))
    >>> sorted(set(k[k.id == "a"].key) & set(k[k.id == "b"].key))
    ['D12356', 'D12456']
    """
    ipps = ipps.astype(object)
    ok = ipps.notna().to_numpy().copy()
    s_all = ipps.where(ipps.notna(), "").astype(str)
    lengths = s_all.str.len().to_numpy()
    ok &= lengths >= min_length
    s = pd.Series(s_all.to_numpy()[ok], dtype=object)
    id_ok = ids.to_numpy(dtype=object)[ok]
    if len(s) == 0:
        return pd.DataFrame({"id": pd.Series(dtype=object), "key": pd.Series(dtype=object)})
    lens = lengths[ok]
    frames = [pd.DataFrame({"id": id_ok, "key": ("D" + s).to_numpy()}),
              pd.DataFrame({"id": id_ok, "key": ("S" + s).to_numpy()})]
    for i in range(int(lens.max())):
        has = lens > i
        part = s[has]
        frames.append(pd.DataFrame({"id": id_ok[has], "key": ("D" + part.str[:i] + part.str[i + 1:]).to_numpy()}))
    for cut in (1, 2):
        has = lens - cut >= min_length
        if has.any():
            frames.append(pd.DataFrame({"id": id_ok[has], "key": ("S" + s[has].str[cut:]).to_numpy()}))
    out = pd.concat(frames, ignore_index=True).drop_duplicates()
    return out.reset_index(drop=True)
