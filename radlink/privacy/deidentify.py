"""De-identification of French report text: names, ids, contacts, addresses, shifted dates.

What is found, and how
----------------------
* The patient's own identity (:class:`PatientIdentity`: names and ids from the patients
  table and the DICOM ``patient_name`` of the patient's exams) is looked for token by
  token, without accents or case: ``DUPONT^MARIE``, ``Marie Dupont``, ``dupont-durand``,
  the usage (married) name. A name part that is also a common or medical word
  (``Rose``, ``Masse``, ``Douglas``) is removed only next to another part of the same
  name; elsewhere it is left to the title and context rules.
* Other people are found by context: a title or honorific (``Dr``, ``Pr``, ``Mme``,
  ``M.``...) or a phrase (``Copie à``, ``Validé par``, ``Nom :``) followed by
  capitalised words; a frequent French given name next to a capitalised word; a
  PACS-style ``FAMILY^GIVEN``.
* Ids, NIR, phone numbers, e-mails, URLs and postal addresses are found by pattern.
* Dates in every French form are shifted by the patient's ``shift_days`` and written
  back in the same form (so intervals stay true), or become ``[DATE]`` without a shift.

Every match becomes a typed placeholder (:data:`PLACEHOLDERS`); where two matches
overlap, the kind ranked first in :data:`KINDS` wins, then the longer match.

Linear time
-----------
All patterns are compiled once, at import, and every one runs in linear time on any
input: quantifiers are bounded, and a pattern that may start inside a run of letters
or digits is anchored with a look-behind, so such a run is tried once (see
:mod:`radlink.privacy.patterns`). Measured (Python 3.11, one core): a 100,000-digit
string takes about 30 ms, 100,000 characters of letters and spaces 110-150 ms, and the
worst of two dozen adversarial 100,000-character inputs (``"Dr A " * 20000``,
``"3 mars " * 14000``, only spaces) under 200 ms; four times the input takes four times
as long. The tests check these inputs' output, not their time.

Import path: the function is ``radlink.privacy.deidentify.deidentify`` (``radlink.privacy``
has no ``__init__`` re-exporting it). Layering: this module imports only the standard
library, pandas and the data-only :mod:`radlink.privacy.patterns`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from radlink.privacy import patterns as P

__all__ = [
    "PATIENT_NAME_COLUMNS",
    "KINDS",
    "PLACEHOLDERS",
    "PatientIdentity",
    "Deidentifier",
    "deidentify",
    "deidentify_series",
    "identities_from_tables",
]

KINDS: tuple[str, ...] = ("email", "url", "nir", "phone", "address", "date", "id", "name")
"""Kinds of replaced spans, in the order that settles an overlap (first wins)."""

PLACEHOLDERS: dict[str, str] = {
    "name": "[NOM]",
    "id": "[ID]",
    "nir": "[NIR]",
    "phone": "[TEL]",
    "email": "[EMAIL]",
    "url": "[URL]",
    "address": "[ADRESSE]",
    "date": "[DATE]",
}
"""Placeholder written for each kind (a date with a known shift is rewritten instead)."""

_RANK = {kind: i for i, kind in enumerate(KINDS)}


# --- Normalisation --------------------------------------------------------------------------

@lru_cache(maxsize=1 << 16)
def _norm(word: str) -> str:
    """Lower case, no accents, œ/æ spelled out: how names and word lists are compared.

    Cached: report words repeat ("de", "la", "lésion"), and every word is compared.
    """
    word = word.lower().replace("œ", "oe").replace("æ", "ae").replace("’", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


_NEVER_NAMES = frozenset(_norm(w) for w in P.MEDICAL_EPONYMS | P.MEDICAL_PRODUCTS | P.REPORT_WORDS)
_COMMON = frozenset(_norm(w) for w in P.COMMON_WORD_NAMES) | _NEVER_NAMES
_PARTICLES = frozenset(P.NAME_PARTICLES)
_GIVEN = frozenset(_norm(w) for w in P.GIVEN_NAMES | P.GIVEN_NAMES_MORE)
_FAMILY = frozenset(_norm(w) for w in P.FAMILY_NAMES if "-" not in w) - _COMMON - _GIVEN
# after a title ("Dr Bertin", "Pr Denis") an eponym is a name: only report words stop it
_STOP_AFTER_TITLE = frozenset(_norm(w) for w in P.REPORT_WORDS)
_INSTITUTION_WORDS = frozenset(
    "hopital institut centre clinique fondation groupe hospitalier rue avenue boulevard place "
    "lycee college ecole square allee quai pavillon batiment service unite salle pole".split())


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation of literal words, longest first (so no prefix wins early)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _case_variants(words: Iterable[str], lower: bool = False) -> set[str]:
    """Each word as written, in capitals and capitalised (and in lower case when asked)."""
    return {v for w in words for v in (w, w.upper(), w[:1].upper() + w[1:], *((w.lower(),) if lower else ()))}


def _month_prefixes() -> dict[str, int]:
    """Month words by number, with every unambiguous abbreviation of 3 letters or more
    (``"octo."``, ``"sept."``, ``"déce."``): only read before a dot."""
    out: dict[str, int] = {}
    seen: dict[str, set[int]] = {}
    for names in (P.MONTH_NAMES, P.MONTH_NAMES_PLAIN):
        for number, name in enumerate(names, start=1):
            for n in range(3, len(name)):
                seen.setdefault(name[:n], set()).add(number)
    for prefix, numbers in seen.items():
        if len(numbers) == 1 and prefix not in P.MONTHS:
            out[prefix] = next(iter(numbers))
    return out


_MONTH_PREFIXES = _month_prefixes()
_MONTH_OF: dict[str, int] = {**{_norm(k): v for k, v in _MONTH_PREFIXES.items()}, **P.MONTHS}


# --- Compiled patterns (once, at import) -------------------------------------------------

_L, _U = P.LETTER, P.UPPER
_MONTH_WORDS = _alternation(w for w in P.MONTHS if _norm(w) in P.MONTH_NAMES_PLAIN)
_MONTH_ABBR = _alternation(w for w in P.MONTHS if _norm(w) not in P.MONTH_NAMES_PLAIN)
_MONTH = (rf"(?P<month>(?:{_MONTH_WORDS})(?![{_L}])|(?:{_MONTH_ABBR})(?:\.|(?![{_L}]))"
          rf"|(?:{_alternation(_MONTH_PREFIXES)})\.)")
_WEEKDAY = rf"(?:(?P<weekday>{_alternation(P.WEEKDAYS)})[ \t]{{1,3}})?"

_WORD = re.compile(rf"[{_L}]+")
_DATE_NUMERIC = re.compile(
    rf"(?i)(?<![\w/.\-]){_WEEKDAY}(?P<day>\d{{1,2}})(?P<sep>[/.\-])(?P<mon>\d{{1,2}})(?P=sep)"
    r"(?P<year>\d{4}|\d{2})(?![\w]|[/\-]\d|[.,]\d)")
_DATE_ISO = re.compile(
    r"(?<![\w/.\-])(?P<year>(?:1[89]|20)\d{2})(?P<sep>[\-/.])(?P<mon>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
    r"(?![0-9A-SU-Za-z_]|[/\-.]\d)")
_DATE_DICOM = re.compile(
    r"(?<![\w.])(?P<year>(?:19|20)\d{2})(?P<mon>0[1-9]|1[0-2])(?P<day>0[1-9]|[12]\d|3[01])"
    r"(?:\d{4}|\d{6}(?:\.\d{1,6})?)?(?![\w])")
_DATE_TEXT = re.compile(
    rf"(?i)(?<![\w]){_WEEKDAY}(?P<day>1[ \t]?er|\d{{1,2}})[ \t]{{1,3}}{_MONTH}"
    r"(?:\.?[ \t]{1,3}(?P<year>\d{4})(?![\w]))?")
_DAY_RANGE = re.compile(  # "du 3 au 5 mars 2021": the first day takes the second's month
    rf"(?i)(?<![\w])(?:du|entre le|des|dès le)[ \t]{{1,3}}(?P<day>1[ \t]?er|\d{{1,2}})[ \t]{{1,3}}"
    rf"(?:au|et le|et)[ \t]{{1,3}}(?=(?P<day2>1[ \t]?er|\d{{1,2}})[ \t]{{1,3}}{_MONTH}"
    r"(?:[ \t]{1,3}(?P<year>\d{4})(?![\w]))?)")
_MONTH_YEAR = re.compile(rf"(?i)(?<![\w]){_MONTH}\.?[ \t]{{1,3}}(?P<year>\d{{4}})(?![\w])")
_ANY_MONTH = re.compile(rf"(?i)(?<![{_L}])(?:{_alternation({w[:3] for w in P.MONTHS} | {w[:3] for w in _MONTH_PREFIXES})})")
_DAY_MONTH = re.compile(
    rf"(?i)(?<![\w])(?:{_alternation(P.DAY_MONTH_CONTEXT)})[ \t]{{1,3}}"
    r"(?P<day>\d{1,2})/(?P<mon>\d{1,2})(?![\w/]|[.,]\d)")

_NIR = re.compile(
    r"(?<![\w+])[1-478][ .\-]?\d{2}[ .\-]?\d{2}[ .\-]?(?:\d{2}|2[ABab])[ .\-]?\d{3}[ .\-]?\d{3}"
    r"(?:[ .\-]?\d{2})(?![\w])")
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)[ \t]?33[ \t.\-]?(?:\(0\)[ \t]?)?[1-9]|0[1-9])(?:[ .\-]?\d{2}){4}(?![\w])")
_PHONE_EXTENSION = re.compile(
    r"(?i)(?<![\w])(?:t[ée]l(?:[ée]phone)?|poste|bip|dect|fax|ligne directe)\.?[ \t]{0,3}"
    r"(?:[:n°]{1,2}[ \t]{0,3})?(?P<value>\d{4,5})(?![\w])")
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,6}")
_URL = re.compile(r"(?i)(?<![\w/])(?:https?://|ftp://|www\.)[^\s<>\"'()\[\]]{1,500}")
_DOMAIN = re.compile(
    r"(?i)(?<![\w.@/\-])(?:[a-z0-9\-]{1,63}\.){1,4}(?:fr|com|org|net|eu|info|be|ch)"
    r"(?:/[^\s<>\"'()\[\]]{0,300})?(?![\w\-])")
_PN_PART = (rf"(?:[{_U}][{_U}'\-]{{0,30}}(?![\w])(?:[ ][{_U}][{_U}'\-]{{0,30}}(?![\w])){{0,3}}"
            rf"|[{_L}][{_L}'\-]{{0,40}})")
_CARET_NAME = re.compile(rf"(?<![\w^]){_PN_PART}\^{_PN_PART}(?:\^{_PN_PART}?){{0,3}}")  # DICOM PN

_NAME_WORD = rf"[{_U}][{_L}'’\-]{{0,30}}"
_STREET_NAME = (rf"(?:(?i:de|du|des|la|le|les|saint|sainte|st|ste)[ \t]{{1,3}}|(?i:d|l)['’][ \t]?){{0,3}}"
                rf"(?:{_NAME_WORD}|\d{{1,4}}(?![\w]))"
                rf"(?:[ \t]{{1,3}}(?:(?:(?:de|du|des|la|le|les|et|sur|sous|en)[ \t]{{1,3}}|(?i:d|l)['’])?{_NAME_WORD}"
                rf"|\d{{1,4}}(?![\w]))){{0,5}}")
_STREET = re.compile(
    rf"(?<![\w])\d{{1,4}}(?:[ \t]?(?i:bis|ter|quater|[a-d])(?![\w]))?,?[ \t]{{1,3}}"
    rf"(?i:{_alternation(P.STREET_TYPES)})(?![{_L}])\.?[ \t]{{1,3}}{_STREET_NAME}")
_STREET_ALONE = re.compile(
    rf"(?<![\w])(?i:{_alternation(P.STREET_TYPES_ALONE)})(?![{_L}])\.?[ \t]{{1,3}}{_STREET_NAME}")
_CITY_WORD = rf"(?!(?i:cedex)(?![\w]))[{_U}][{_L}'’\-]{{1,40}}"
_POSTCODE_CITY = re.compile(
    rf"(?<![\w])(?:0[1-9]|[1-8]\d|9[0-8])\d{{3}}[ \t]{{1,3}}(?P<city>{_CITY_WORD})"
    rf"(?:[ \t]{{1,2}}(?:{_CITY_WORD}|(?:sur|sous|en|lès|lez|les|de|du|la|le|aux)(?=[ \t]{{1,2}}[{_U}])))"
    r"{0,4}(?:[ \t]{1,2}(?i:cedex)(?:[ \t]{1,2}\d{1,2})?)?(?![\w])")
_ADDRESS_COMPLEMENT = re.compile(
    rf"(?<![\w])(?:{_alternation(P.ADDRESS_COMPLEMENTS)})(?![{_L}])\.?[ \t]{{0,3}}"
    rf"(?:n°[ \t]?)?(?:[{_U}0-9][{_L}0-9'’\-]{{0,30}}|(?:de|du|des|la|le|les)[ \t]{{1,3}}[{_U}][{_L}'’\-]{{0,30}})"
    rf"(?:[ \t]{{1,3}}(?:(?:de|du|des|la|le|les)[ \t]{{1,3}})?[{_U}][{_L}'’\-]{{0,30}}){{0,4}}")
_ADDRESS_GAP = re.compile(r"[ \t]{0,3}[,;\-]?[ \t]{0,3}\n?[ \t]{0,3}")
_POSTAL_BOX = re.compile(rf"(?<![\w])(?:{_alternation(P.POSTAL_BOXES)})[ \t]{{0,3}}\d{{1,6}}(?![\w])")

_ID_LABELLED = re.compile(
    rf"(?<![\w])(?:{_alternation(_case_variants(P.ID_LABELS, lower=True))})(?![{_L}])\.?[ \t]{{0,3}}"
    r"(?:\((?:IPP|NIP|NDA)\)[ \t]{0,3})?"
    r"(?:(?:[:#=]|n°|N°|no\.?)[ \t]{0,3})?"
    r"(?P<value>\d{1,4}(?:[ .]\d{1,4}){1,5}(?![\w])|[A-Za-z0-9][A-Za-z0-9\-/]{2,30})(?![\w])")
_ID_DIGITS = re.compile(r"(?<![\w.,/])\d{6,}(?![\w]|[.,]\d)")
_ID_ALNUM = re.compile(r"(?<![\w])[A-Z]{1,6}[\-_]?\d{5,20}(?![\w])")
_UNIT_AFTER = re.compile(rf"[ \t]?(?:{_alternation(P.UNITS)})(?![{_L}])")

_TITLE_WORDS = _case_variants(P.TITLES) | {t.lower() for t in P.TITLES if len(t) > 3 or t in ("Mme", "Dr")}
_TITLE = re.compile(
    rf"(?<![\w])(?:{_alternation(_TITLE_WORDS)})"
    r"(?![\w]|-[A-Z]\.)")
_STRONG_TITLES = frozenset(_norm(t) for t in (
    "Monsieur", "Madame", "Mademoiselle", "Mme", "Mmes", "Mlle", "Mr", "Mrs", "M.", "MM.",
    "Docteur", "Docteurs", "Dr", "Dr.", "Drs", "Dre", "Professeur", "Pr", "Pr.", "Prof.", "Pre",
    "née", "épouse", "ép.", "veuve", "Vve", "dite"))
_CONTEXT = re.compile(
    rf"(?<![\w])(?:{_alternation(_case_variants(P.NAME_CONTEXTS) | _case_variants(P.RELATIVE_CONTEXTS, lower=True))})"
    r"(?![\w])")
_INSTITUTION = re.compile(  # "Hôpital Européen Georges-Pompidou", "Centre Léon Bérard": kept
    rf"(?<![\w])(?:(?i:h[ôo]pita(?:l|ux)|centre(?:[ \t]hospitalier)?(?:[ \t]universitaire)?|institut|clinique|"
    rf"polyclinique|fondation|groupe[ \t]hospitalier|hospices?(?:[ \t]civils)?|maison[ \t]de[ \t]sant[ée])|CHU|CHRU|CHR|CH|GH)"
    rf"(?:[ \t]{{1,2}}(?:(?:de|du|des|la|le|les|et|sur|en)[ \t]{{1,2}}|(?i:d|l)['’])?[{_U}][{_L}'’\-]{{1,30}}){{1,5}}")
_NAME_CONTINUES = re.compile(rf"-[{_U}][{_L}]{{1,30}}")
_GAP = re.compile(r"[ \t]{0,3}(?:[:,\-][ \t]{0,3})?")
_COLON = re.compile(r"[ \t]{0,3}:")
_NAME_TOKEN = re.compile(
    rf"(?P<initial>[{_U}]\.(?:-?[{_U}]\.)?)"
    rf"|(?P<particle>(?i:de|du|des|le|la|van|von|der|den|di|da|del|della|ben|el)[ \t]{{1,2}}(?=[{_U}])"
    rf"|(?i:d)['’](?=[{_U}]))"
    rf"|(?P<word>[{_U}][{_L}]{{0,30}}(?:['’\-][{_L}]{{1,30}}){{0,3}})(?![\w])")
_NAME_JOIN = re.compile(r"[ \t\-^'’]{1,3}|[ \t]?,[ \t]?")  # between parts of one name
_TITLE_LINK = re.compile(rf"(?:{_alternation(P.TITLE_LINKS)})[ \t]{{1,3}}")


# --- Identity -----------------------------------------------------------------------------

@dataclass(frozen=True)
class PatientIdentity:
    """What identifies one patient in text: the patient's names and ids.

    Parameters
    ----------
    names : sequence of str
        Family, given and usage names, and DICOM ``FAMILY^GIVEN`` forms; each is split
        into parts on spaces, hyphens, apostrophes and ``^``.
    ids : sequence of str
        IPP, accession numbers and any other id to remove wherever it is written.

    Examples
    --------
    >>> PatientIdentity(names=["DUPONT^MARIE", None], ids=["800123"]).names
    ('DUPONT^MARIE',)
    """

    names: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", _clean_values(self.names))
        object.__setattr__(self, "ids", _clean_values(self.ids))


def _clean_values(values: Iterable[object] | None) -> tuple[str, ...]:
    if values is None or isinstance(values, str):
        values = [values]
    out = []
    for v in values:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            continue
        s = str(v).strip()
        if s and s not in out:
            out.append(s)
    return tuple(out)


PATIENT_NAME_COLUMNS: tuple[str, ...] = ("family_name", "given_name", "usage_name")
"""The name columns of the ``patients`` table, in the order an identity lists them."""


def identities_from_tables(patients: pd.DataFrame | None = None,
                           exams: pd.DataFrame | None = None) -> dict[str, PatientIdentity]:
    """Build each patient's :class:`PatientIdentity` from the canonical tables.

    Parameters
    ----------
    patients : pandas.DataFrame, optional
        ``patients`` table: ``patient_id``, ``family_name``, ``given_name``,
        ``usage_name`` (missing columns are skipped).
    exams : pandas.DataFrame, optional
        ``exams`` table: ``patient_id``, ``patient_name`` (DICOM ``FAMILY^GIVEN``) and
        ``accession_number``; exams without a patient id are skipped.

    Returns
    -------
    dict
        ``patient_id`` -> identity; the patient id is one of the identity's ids.

    Examples
    --------
    >>> import pandas as pd
    >>> pats = pd.DataFrame({"patient_id": ["800001"], "family_name": ["Dupont"],
    ...                      "given_name": ["Marie"], "usage_name": ["Martin"]})
    >>> exams = pd.DataFrame({"patient_id": ["800001"], "patient_name": ["DUPONT^MARIE"],
    ...                       "accession_number": ["A2021001"]})
    >>> ident = identities_from_tables(pats, exams)["800001"]
    >>> ident.names, ident.ids
    (('Dupont', 'Marie', 'Martin', 'DUPONT^MARIE'), ('800001', 'A2021001'))
    """
    names: dict[str, list[object]] = {}
    ids: dict[str, list[object]] = {}
    for table, name_cols, id_cols in ((patients, PATIENT_NAME_COLUMNS, ()),
                                      (exams, ("patient_name",), ("accession_number",))):
        if table is None or "patient_id" not in table.columns:
            continue
        keep = table[table["patient_id"].notna()]
        keys = keep["patient_id"].astype(str).str.strip().tolist()
        for col in name_cols:
            if col in keep.columns:
                for key, value in zip(keys, keep[col].tolist(), strict=True):
                    names.setdefault(key, []).append(value)
        for key in keys:
            ids.setdefault(key, [key])
        for col in id_cols:
            if col in keep.columns:
                for key, value in zip(keys, keep[col].tolist(), strict=True):
                    ids[key].append(value)
    return {key: PatientIdentity(names=names.get(key, ()), ids=ids.get(key, [key]))
            for key in dict.fromkeys([*names, *ids])}


@dataclass(frozen=True)
class _PatientMatcher:
    """A patient's name parts (normalised -> strong?), a regex of the patient's ids as
    written, and the all-digit ids (found again when written in groups: ``800 123 456``)."""

    parts: dict[str, bool]
    ids: re.Pattern[str] | None  # ids holding other characters than letters and digits
    digit_ids: frozenset[str] = frozenset()
    tokens: frozenset[str] = frozenset()  # ids made of letters and digits, one of them at least a digit


@lru_cache(maxsize=4096)
def _matcher(identity: PatientIdentity) -> _PatientMatcher:
    parts: dict[str, bool] = {}
    for name in identity.names:
        for word in _WORD.findall(name):
            w = _norm(word)
            if len(w) < 2:
                continue
            parts[w] = len(w) > 2 and w not in _COMMON
    forms = set()
    for value in identity.ids:
        if len(value) >= 3:
            forms.add(value)
            if value.isdigit() and value.lstrip("0") and len(value.lstrip("0")) >= 4:
                forms.add(value.lstrip("0"))
    # most ids (IPP, accession numbers) are one run of letters and digits: found by one
    # precompiled scan and a set, no regex compiled per patient
    tokens = frozenset(f for f in forms if _ID_RUN.fullmatch(f))
    other = forms - tokens
    ids = re.compile(rf"(?<![0-9A-Za-z])(?:{_alternation(other)})(?![0-9A-Za-z])") if other else None
    digits = frozenset(f for f in forms if f.isdigit() and len(f) >= 5)
    return _PatientMatcher(parts, ids, digits, tokens)


_ID_RUN = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]*\d[0-9A-Za-z]*")


_DIGIT_GROUPS = re.compile(r"(?<![0-9A-Za-z])\d{1,4}(?:[ .\-]\d{1,4}){1,7}(?![0-9A-Za-z])")
_GROUP_SPLIT = re.compile(r"\d+")


def _grouped_ids(text: str, digit_ids: frozenset[str]):
    """``(start, end)`` of each of ``digit_ids`` written in groups ("800 123 456", "800.123.456")."""
    for m in _DIGIT_GROUPS.finditer(text):
        groups = [(g.start(), g.end(), g.group(0)) for g in _GROUP_SPLIT.finditer(m.group(0))]
        for i in range(len(groups)):
            joined = ""
            for j in range(i, len(groups)):
                joined += groups[j][2]
                if joined in digit_ids:
                    yield m.start() + groups[i][0], m.start() + groups[j][1]


# --- Dates --------------------------------------------------------------------------------

def _year4(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 50 else 1900
    return y


def _styled(word: str, like: str) -> str:
    """``word`` in the case of ``like`` (lower, Capitalised or UPPER)."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _month_word(month: int, like: str) -> str:
    """The name of ``month`` written like ``like`` (full or abbreviated, accents or not)."""
    bare = like.rstrip(".")
    n = _norm(bare)
    if n in P.MONTHS and n not in _FULL_MONTHS:
        word = P.MONTH_ABBREVIATIONS[month - 1]
        word += "." if like.endswith(".") and word not in ("mars", "mai", "juin") else ""
    else:
        plain = n in ("fevrier", "aout", "decembre") and bare.lower() == n  # written without accents
        word = P.MONTH_NAMES_PLAIN[month - 1] if plain else P.MONTH_NAMES[month - 1]
    return _styled(word, bare)


_FULL_MONTHS = frozenset(P.MONTH_NAMES_PLAIN)


def _number(value: int, like: str) -> str:
    return str(value).zfill(len(like))


def _weekday(day: dt.date, like: str | None) -> str:
    return "" if like is None else _styled(P.WEEKDAYS[day.weekday()], like) + " "


def _shift(day: dt.date, shift: int) -> dt.date | None:
    try:
        return day + dt.timedelta(days=shift)
    except OverflowError:
        return None


class _DateRewriter:
    """Rewrites the dates of one text, shifted by ``shift`` days, in their own form."""

    def __init__(self, shift: int | None):
        self.shift = shift
        self.reference_year = 2000  # leap: 29/02 without a year stays a date

    def numeric(self, m: re.Match[str], iso: bool = False) -> str | None:
        try:
            day = dt.date(_year4(m["year"]), int(m["mon"]), int(m["day"]))
        except ValueError:  # 31/02: a date all the same, never kept
            return PLACEHOLDERS["date"] if 1 <= int(m["mon"]) <= 12 and 1 <= int(m["day"]) <= 31 else None
        self.reference_year = day.year
        if self.shift is None:
            return PLACEHOLDERS["date"]
        new = _shift(day, self.shift)
        if new is None:
            return PLACEHOLDERS["date"]
        year = str(new.year) if len(m["year"]) == 4 else f"{new.year % 100:02d}"
        wd = _weekday(new, m.groupdict().get("weekday"))
        if iso:
            return f"{year}{m['sep']}{_number(new.month, m['mon'])}{m['sep']}{_number(new.day, m['day'])}"
        return f"{wd}{_number(new.day, m['day'])}{m['sep']}{_number(new.month, m['mon'])}{m['sep']}{year}"

    def dicom(self, m: re.Match[str]) -> str | None:
        try:
            day = dt.date(int(m["year"]), int(m["mon"]), int(m["day"]))
        except ValueError:
            return None
        self.reference_year = day.year
        new = _shift(day, self.shift) if self.shift is not None else None
        if new is None:
            return PLACEHOLDERS["date"]
        return new.strftime("%Y%m%d") + m.group(0)[8:]

    def textual(self, m: re.Match[str]) -> str | None:
        month = _MONTH_OF.get(_norm(m["month"].rstrip(".")))
        if month is None:
            return None
        day_text = m["day"]
        first = "er" in day_text.lower()
        year = int(m["year"]) if m["year"] else self.reference_year
        try:
            day = dt.date(year, month, 1 if first else int(day_text))
        except ValueError:
            return None
        if m["year"]:
            self.reference_year = day.year
        new = _shift(day, self.shift) if self.shift is not None else None
        if new is None:
            return PLACEHOLDERS["date"]
        padded = day_text.startswith("0")
        if new.day == 1 and not padded:
            d = "1ER" if day_text.isupper() and first else "1er"
        else:
            d = _number(new.day, "00" if padded else "0")
        sep = m.group(0)[m.end("day") - m.start(0):m.start("month") - m.start(0)]
        out = f"{_weekday(new, m['weekday'])}{d}{sep}{_month_word(new.month, m['month'])}"
        if m["year"]:
            ysep = m.group(0)[m.end("month") - m.start(0):m.start("year") - m.start(0)]
            out += f"{ysep}{new.year}"
        return out

    def month_year(self, m: re.Match[str]) -> str | None:
        month = _MONTH_OF.get(_norm(m["month"].rstrip(".")))
        if month is None:
            return None
        self.reference_year = int(m["year"])
        if self.shift is None:
            return PLACEHOLDERS["date"]
        new = _shift(dt.date(int(m["year"]), month, 15), self.shift)  # mid-month: the mean day
        if new is None:
            return PLACEHOLDERS["date"]
        sep = m.group(0)[m.end("month") - m.start(0):m.start("year") - m.start(0)]
        return f"{_month_word(new.month, m['month'])}{sep}{new.year}"

    def day_range(self, m: re.Match[str]) -> str | None:
        month = _MONTH_OF.get(_norm(m["month"].rstrip(".")))
        year = int(m["year"]) if m["year"] else self.reference_year
        first, second = (1 if "er" in g.lower() else int(g) for g in (m["day"], m["day2"]))
        try:
            start, end = dt.date(year, month, first), dt.date(year, month, second)
        except (ValueError, TypeError):
            return None
        if self.shift is None:
            return PLACEHOLDERS["date"]
        new, new_end = _shift(start, self.shift), _shift(end, self.shift)
        if new is None or new_end is None:
            return PLACEHOLDERS["date"]
        out = "1er" if new.day == 1 else str(new.day)
        if new.month != new_end.month:
            out += " " + _month_word(new.month, m["month"])
            if m["year"] and new.year != new_end.year:
                out += f" {new.year}"
        return out

    def day_month(self, m: re.Match[str]) -> str | None:
        try:
            day = dt.date(self.reference_year, int(m["mon"]), int(m["day"]))
        except ValueError:
            return None
        new = _shift(day, self.shift) if self.shift is not None else None
        if new is None:
            return PLACEHOLDERS["date"]
        return f"{_number(new.day, m['day'])}/{_number(new.month, m['mon'])}"


# --- The de-identifier --------------------------------------------------------------------

_Span = tuple[int, int, str, str]  # start, end, kind, replacement


class Deidentifier:
    """Removes identifiers from French report text and counts them by kind.

    Parameters
    ----------
    keep_words : iterable of str, default ()
        Extra words that are never a person's name (a site's eponyms, device names),
        compared without accents or case.
    phone_extensions : bool, default False
        Also replace internal phone extensions ("poste 4521", "bip 312"). By default
        they stay: an extension reaches a hospital desk, not a person, like the
        institution's name (kept too).

    Attributes
    ----------
    counts : collections.Counter
        Replacements by kind (:data:`KINDS`) over every call since construction.
    last_counts : collections.Counter
        Replacements by kind of the last call.

    Examples
    --------
    >>> d = Deidentifier()
    >>> me = PatientIdentity(names=["DUPONT^MARIE"], ids=["800123456"])
    >>> d.deidentify("Mme Marie DUPONT (IPP 800123456), TEP du 03/03/2021, "
    ...              "comparée au 3 mars 2020.", patient=me, shift_days=10)
    'Mme [NOM] (IPP [ID]), TEP du 13/03/2021, comparée au 13 mars 2020.'
    >>> sorted(d.last_counts.items())
    [('date', 2), ('id', 1), ('name', 1)]
    >>> d.deidentify("Dr Paul Martin, tél. 01 45 67 89 10, SUVmax 7,7 (Deauville 4).")
    'Dr [NOM], tél. [TEL], SUVmax 7,7 (Deauville 4).'
    """

    def __init__(self, keep_words: Iterable[str] = (), *, phone_extensions: bool = False):
        self.keep_words = tuple(keep_words)
        self.phone_extensions = phone_extensions
        self._never = _NEVER_NAMES | {_norm(w) for w in self.keep_words}
        self._stop_after_title = _STOP_AFTER_TITLE | {_norm(w) for w in self.keep_words}
        self.counts: Counter[str] = Counter()
        self.last_counts: Counter[str] = Counter()

    # public ---------------------------------------------------------------------------------

    def deidentify(self, text: str | None, patient: PatientIdentity | None = None,
                   shift_days: int | None = None) -> str | None:
        """De-identified ``text`` (``None`` stays ``None``).

        Parameters
        ----------
        text : str or None
            French report text.
        patient : PatientIdentity, optional
            The patient's own names and ids (see :func:`identities_from_tables`).
        shift_days : int, optional
            The patient's date shift (:meth:`Pseudonymiser.shift_days
            <radlink.privacy.pseudonymise.Pseudonymiser.shift_days>`); dates are shifted
            and written in their own form. ``None``: every date becomes ``[DATE]``.
        """
        out, counts = self.deidentify_with_counts(text, patient, shift_days)
        return out

    def deidentify_with_counts(self, text: str | None, patient: PatientIdentity | None = None,
                               shift_days: int | None = None) -> tuple[str | None, Counter[str]]:
        """Like :meth:`deidentify`, and the replacements of this text by kind.

        Examples
        --------
        >>> Deidentifier().deidentify_with_counts("Contact : secretariat.tep@chu-exemple.fr")
        ('Contact : [EMAIL]', Counter({'email': 1}))
        """
        if text is None or (not isinstance(text, str) and pd.isna(text)):
            self.last_counts = Counter()
            return None, Counter()
        spans = self.find(text, patient, shift_days)
        counts = Counter(kind for _, _, kind, _ in spans)
        parts, at = [], 0
        for start, end, _, replacement in spans:
            parts += [text[at:start], replacement]
            at = end
        parts.append(text[at:])
        self.last_counts = counts
        self.counts.update(counts)
        return "".join(parts), counts

    def deidentify_series(self, texts: pd.Series, patient_keys: pd.Series | None = None,
                          identities: Mapping[str, PatientIdentity] | None = None,
                          shifts: pd.Series | Mapping[str, int] | None = None) -> pd.Series:
        """De-identify a column of texts, each with its own patient and shift.

        Parameters
        ----------
        texts : pandas.Series
            Report texts (nulls stay null).
        patient_keys : pandas.Series, optional
            Patient of each row (aligned with ``texts``), a key of ``identities`` and of
            ``shifts`` when it is a mapping.
        identities : mapping, optional
            Patient key -> :class:`PatientIdentity`.
        shifts : pandas.Series or mapping, optional
            Per-row shifts (aligned with ``texts``; null: ``[DATE]``), or patient key ->
            shift. ``None``: every date becomes ``[DATE]``.

        Returns
        -------
        pandas.Series
            ``object`` Series of str or None, same index. ``last_counts`` holds the
            replacements of the whole column.

        Examples
        --------
        >>> import pandas as pd
        >>> d = Deidentifier()
        >>> out = d.deidentify_series(pd.Series(["Vu le 01/02/2020 avec M. Viour.", None]),
        ...                           pd.Series(["P1", "P1"]),
        ...                           {"P1": PatientIdentity(names=["Viour"])}, {"P1": -1})
        >>> out.tolist(), dict(d.last_counts)
        (['Vu le 31/01/2020 avec M. [NOM].', None], {'date': 1, 'name': 1})
        """
        n = len(texts)
        keys = [None] * n if patient_keys is None else list(patient_keys)
        if len(keys) != n:
            raise ValueError(f"patient_keys has {len(keys)} rows, texts {n}")
        identities = identities or {}
        if shifts is None:
            row_shifts: list[object] = [None] * n
        elif isinstance(shifts, Mapping):
            row_shifts = [shifts.get(k) if k is not None else None for k in keys]
        else:
            row_shifts = list(shifts)
            if len(row_shifts) != n:
                raise ValueError(f"shifts has {len(row_shifts)} rows, texts {n}")
        total: Counter[str] = Counter()
        out = []
        done: dict[tuple, tuple[str | None, Counter[str]]] = {}  # a text repeated for one patient
        for text, key, shift in zip(texts.tolist(), keys, row_shifts, strict=True):
            known = key is not None and not _isna(key)
            days = None if shift is None or _isna(shift) else int(shift)
            seen = (text, key if known else None, days) if isinstance(text, str) else None
            if seen is not None and seen in done:
                value, counts = done[seen]
                self.counts.update(counts)
            else:
                ident = identities.get(key) if known else None
                value, counts = self.deidentify_with_counts(text, ident, days)
                if seen is not None:
                    done[seen] = (value, counts)
            total.update(counts)
            out.append(value)
        self.last_counts = total
        return pd.Series(out, index=texts.index, name=texts.name, dtype=object)

    def find(self, text: str, patient: PatientIdentity | None = None,
             shift_days: int | None = None) -> list[_Span]:
        """Spans to replace: ``(start, end, kind, replacement)``, in text order, disjoint.

        Text with HTML residue is read as it displays (entities decoded, ``<br>`` and
        block tags as line breaks, other tags removed); the spans point into ``text``
        as given, so a name written ``Lef&egrave;vre`` is replaced whole.
        """
        if ("&" in text or "<" in text) and _MARKUP.search(text):
            shown, starts, ends = _displayed(text)
            return [(starts[a], ends[b - 1], kind, new) for a, b, kind, new in self._find(shown, patient, shift_days)
                    if b > a]
        return self._find(text, patient, shift_days)

    def _find(self, text: str, patient: PatientIdentity | None, shift_days: int | None) -> list[_Span]:
        candidates: list[_Span] = []
        add = candidates.append
        # Certain identifiers (the patient's own ids, a value labelled "IPP :") win over any
        # other reading: "IPP : 19850312" is an id, not a DICOM date to shift.
        certain: list[_Span] = []
        matcher = _matcher(patient) if patient is not None else None
        if matcher is not None:
            if matcher.tokens:
                for m in _ID_RUN.finditer(text):
                    if m.group(0) in matcher.tokens:
                        certain.append((m.start(), m.end(), "id", PLACEHOLDERS["id"]))
            if matcher.ids is not None:
                for m in matcher.ids.finditer(text):
                    certain.append((m.start(), m.end(), "id", PLACEHOLDERS["id"]))
            if matcher.digit_ids:
                for start, end in _grouped_ids(text, matcher.digit_ids):
                    certain.append((start, end, "id", PLACEHOLDERS["id"]))
        # cheap gates first: most reports hold no "@", no "://", no "www"
        for kind, pattern in ((("email", _EMAIL),) if "@" in text else ()) + (("nir", _NIR), ("phone", _PHONE)):
            for m in pattern.finditer(text):
                add((m.start(), m.end(), kind, PLACEHOLDERS[kind]))
        for pattern in ((_URL, _DOMAIN) if "://" in text or "ww." in text.lower() else (_DOMAIN,)):
            for m in pattern.finditer(text):
                end = m.end()
                while end > m.start() and text[end - 1] in ".,;:!?":
                    end -= 1
                add((m.start(), end, "url", PLACEHOLDERS["url"]))
        if self.phone_extensions:
            for m in _PHONE_EXTENSION.finditer(text):
                add((m.start("value"), m.end("value"), "phone", PLACEHOLDERS["phone"]))
        self._dates(text, shift_days, add)
        self._addresses(text, add)
        self._ids(text, add, certain.append)
        self._names(text, matcher, add)
        return _extend_names(text, _resolve(candidates, len(text), certain))

    # finders --------------------------------------------------------------------------------

    def _dates(self, text: str, shift: int | None, add) -> None:
        found = []
        patterns = [(_DATE_NUMERIC, "numeric"), (_DATE_ISO, "iso"), (_DATE_DICOM, "dicom")]
        if _ANY_MONTH.search(text):  # one scan decides whether the three month patterns can match
            patterns += [(_DATE_TEXT, "textual"), (_MONTH_YEAR, "month_year"), (_DAY_RANGE, "day_range")]
        if "/" in text:
            patterns.append((_DAY_MONTH, "day_month"))
        for pattern, kind in patterns:
            for m in pattern.finditer(text):
                if kind == "day_range":
                    found.append((m.start("day"), m.end("day"), kind, m))
                elif kind == "day_month":
                    found.append((m.start("day"), m.end(), kind, m))
                else:
                    found.append((m.start(), m.end(), kind, m))
        found.sort(key=lambda f: (f[0], -f[1]))
        rewriter = _DateRewriter(shift)
        for start, end, kind, m in found:  # in text order: a date without year takes the last year
            if kind == "numeric":
                new = rewriter.numeric(m)
            elif kind == "iso":
                new = rewriter.numeric(m, iso=True)
            else:
                new = getattr(rewriter, kind)(m)
            if new is not None:
                add((start, end, "date", new))

    def _addresses(self, text: str, add) -> None:
        """Street lines, postcode + city, postal boxes, and what precedes a street line
        ("Résidence Les Pins, bât. B,"); pieces of one address that follow each other
        (on one line or two) become one span."""
        spans = []
        for pattern in (_STREET, _STREET_ALONE, _POSTAL_BOX):
            spans += [(m.start(), m.end()) for m in pattern.finditer(text)]
        for m in _POSTCODE_CITY.finditer(text):
            words = [_norm(w) for w in _WORD.findall(m.group(0)[m.start("city") - m.start():])]
            city = [w for w in words if w not in _PARTICLES] or words
            if len(city) == 1 and (city[0] in _UNIT_WORDS or city[0] in self._never):
                continue
            spans.append((m.start(), m.end()))
        if not spans:
            return
        complements = [(m.start(), m.end()) for m in _ADDRESS_COMPLEMENT.finditer(text)]
        spans.sort()
        merged = [list(spans[0])]
        for start, end in spans[1:]:
            last = merged[-1]
            if start <= last[1] or _ADDRESS_GAP.fullmatch(text, last[1], start):
                last[1] = max(last[1], end)
            else:
                merged.append([start, end])
        # complements glued before an address ("Résidence du Parc, bât. C, 3 rue ...")
        for c_start, c_end in reversed(complements):
            for span in merged:
                if c_end <= span[0] and _ADDRESS_GAP.fullmatch(text, c_end, span[0]):
                    span[0] = c_start
        for start, end in merged:
            add((start, end, "address", PLACEHOLDERS["address"]))

    def _ids(self, text: str, add, add_certain) -> None:
        for m in _ID_LABELLED.finditer(text):
            value = m["value"]
            if sum(c.isdigit() for c in value) >= 3 and len(value) >= 4:
                add_certain((m.start("value"), m.end("value"), "id", PLACEHOLDERS["id"]))
        for pattern in (_ID_DIGITS, _ID_ALNUM):
            for m in pattern.finditer(text):
                if _UNIT_AFTER.match(text, m.end()):
                    continue
                add((m.start(), m.end(), "id", PLACEHOLDERS["id"]))

    def _names(self, text: str, matcher: _PatientMatcher | None, add) -> None:
        name = PLACEHOLDERS["name"]
        if "^" in text:
            for m in _CARET_NAME.finditer(text):
                add((m.start(), m.end(), "name", name))
        for m in _TITLE.finditer(text):
            strong = _norm(m.group(0)) in _STRONG_TITLES
            span = self._name_after(text, m.end(), strong)
            if span:
                add((*span, "name", name))
        for m in _CONTEXT.finditer(text):
            span = self._name_after(text, m.end(), False)
            if span:
                add((*span, "name", name))
        words = [(w.start(), w.end(), w.group(0), _norm(w.group(0))) for w in _WORD.finditer(text)]
        kept = [(m.start(), m.end()) for m in _INSTITUTION.finditer(text)] if words else []
        self._given_names(text, words, add, kept)
        if matcher is not None and matcher.parts:
            self._patient_names(text, words, matcher, add)

    def _name_after(self, text: str, at: int, strong: bool) -> tuple[int, int] | None:
        """The name written after a title or context at ``at``, if any: (start, end)."""
        colon = _COLON.match(text, at) is not None
        at = _GAP.match(text, at).end()
        for _ in range(3):  # "Monsieur le Docteur", "Dr et Mme"
            link = _TITLE_LINK.match(text, at)
            title = _TITLE.match(text, link.end() if link else at)
            if title is None or (strong and link is None and title.group(0) == "M."):  # "Mme M. Dupont": an initial
                break
            strong = strong or _norm(title.group(0)) in _STRONG_TITLES
            at = _GAP.match(text, title.end()).end()
        start = end = None
        words = 0
        pos = at
        for _ in range(6):
            t = _NAME_TOKEN.match(text, pos)
            if t is None:
                break
            if t["word"]:
                w = _norm(t["word"])
                if w in (self._stop_after_title if strong else self._never):
                    break
                if words == 0 and not (strong or colon or start is not None or self._looks_like_a_name(text, t)):
                    return None
                words += 1
            elif t["particle"] and start is None and not strong:
                after = _NAME_TOKEN.match(text, t.end())
                if not (after and after["word"] and ((after["word"].isupper() and len(after["word"]) > 1)
                                                     or t["particle"][:1].isupper())):
                    break  # "Le Berre", "de LA FONTAINE": a name; "de Lyon": no
            if start is None:
                start = t.start()
            if not t["particle"]:
                end = t.end()
            nxt = re.match(r"[ \t]{1,2}", text[t.end():t.end() + 2]) if not t["particle"] else None
            pos = t.end() + (nxt.end() if nxt else 0)
            if not t["particle"] and nxt is None:
                break
        if start is None or end is None or (words == 0 and not strong):
            return None
        return start, end

    def _looks_like_a_name(self, text: str, token: re.Match[str]) -> bool:
        """After a weak context: an UPPER word, a frequent given name, or ``Given FAMILY``."""
        word = token["word"]
        first = _norm(re.split(r"[-'’]", word, maxsplit=1)[0])
        if (word.isupper() and len(word) > 1) or first in _GIVEN or first in _FAMILY:
            return True
        nxt = _NAME_TOKEN.match(text, token.end() + 1) if text[token.end():token.end() + 1] == " " else None
        if nxt and nxt["particle"] and nxt["particle"][:1].isupper():  # "Gwenola Le Berre"
            nxt = _NAME_TOKEN.match(text, nxt.end())
        # "Gwenola Kerjean", "Anne DURAND": two capitalised words that are not report words
        return bool(nxt and nxt["word"] and len(nxt["word"]) > 1 and _norm(nxt["word"]) not in self._never
                    and first not in self._never)

    def _given_names(self, text: str, words: list, add, kept: list[tuple[int, int]] = ()) -> None:
        """A frequent given name next to a capitalised word (``Jean Martin``, ``MARTIN Jean``),
        or a frequent family name in capitals next to one (``MOREAU Yasmine``); never
        inside an institution's name (``Hôpital Européen Georges-Pompidou``)."""
        inside = _Inside(kept)
        for i, (s, e, raw, w) in enumerate(words):
            if w in _FAMILY and raw.isupper() and len(raw) > 1 and not inside(s):
                self._family_name(text, words, i, add)
            if w not in _GIVEN or not raw[:1].isupper() or inside(s):
                continue
            if i > 0 and words[i - 1][3] in _INSTITUTION_WORDS and _only_spaces(text, words[i - 1][1], s):
                continue
            nxt = words[i + 1] if i + 1 < len(words) else None
            prev = words[i - 1] if i > 0 else None
            if nxt and _only_spaces(text, e, nxt[0], hyphen=True) and _is_capitalised(nxt[2]) \
                    and nxt[3] not in self._never:
                last = nxt
                if i + 2 < len(words) and _only_spaces(text, nxt[1], words[i + 2][0]) \
                        and words[i + 2][2].isupper() and len(words[i + 2][2]) > 1 \
                        and words[i + 2][3] not in self._never:
                    last = words[i + 2]  # "Jean Pierre MARTIN"
                add((s, last[1], "name", PLACEHOLDERS["name"]))
            elif prev and _only_spaces(text, prev[1], s) and prev[2].isupper() and len(prev[2]) > 1 \
                    and prev[3] not in self._never and prev[3] not in _GIVEN:
                add((prev[0], e, "name", PLACEHOLDERS["name"]))

    def _family_name(self, text: str, words: list, i: int, add) -> None:
        """``MOREAU Yasmine``, ``Yasmine MOREAU``: a family name in capitals and a capitalised neighbour."""
        s, e = words[i][0], words[i][1]
        for j in (i + 1, i - 1):
            if 0 <= j < len(words):
                o = words[j]
                a, b = (e, o[0]) if j > i else (o[1], s)
                if _only_spaces(text, a, b) and _is_capitalised(o[2]) and not o[2].isupper() \
                        and o[3] not in self._never and o[3] not in _PARTICLES:
                    add((min(s, o[0]), max(e, o[1]), "name", PLACEHOLDERS["name"]))
                    return

    def _patient_names(self, text: str, words: list, matcher: _PatientMatcher, add) -> None:
        """Runs of the patient's own name parts; a run needs one part that is not a common word."""
        run: list = []

        def close() -> None:
            while run and run[-1][3] in _PARTICLES:
                run.pop()
            while run and run[0][3] in _PARTICLES:
                run.pop(0)
            if not run:
                return
            strong = any(matcher.parts[r[3]] for r in run)
            weak = [r for r in run if r[3] not in _PARTICLES]
            if strong or (len({r[3] for r in weak}) >= 2 and any(r[2][:1].isupper() for r in weak)):
                add((run[0][0], run[-1][1], "name", PLACEHOLDERS["name"]))

        for word in words:
            if word[3] in matcher.parts:
                gap = text[run[-1][1]:word[0]] if run else ""
                joined = _NAME_JOIN.fullmatch(gap) and ("," not in gap or word[2][:1].isupper())
                if run and not joined:
                    close()
                    run = []
                run.append(word)
            elif run:
                close()
                run = []
        close()


_UNIT_WORDS = frozenset(_norm(u) for u in P.UNITS)
_MARKUP = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,10});|<[^<>]{0,300}>")
_BLOCK_TAG = re.compile(r"</?(?:br|p|div|li|tr|td|th|h\d|ul|ol|table)(?![A-Za-z])", re.I)


def _displayed(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` as a browser shows it, and where each of its characters comes from.

    Entities become their character, ``<br>`` and block tags a line break, other tags
    nothing. ``starts[i]``/``ends[i]``: the span of ``text`` that character ``i`` of
    the result stands for.
    """
    import html

    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    at = 0
    for m in _MARKUP.finditer(text):
        out.append(text[at:m.start()])
        starts.extend(range(at, m.start()))
        ends.extend(range(at + 1, m.start() + 1))
        token = m.group(0)
        if token[0] == "&":
            shown = html.unescape(token)
            shown = " " if shown == "\xa0" else shown
            if len(shown) != 1:
                shown = token if shown == token else shown[:1]
        else:
            shown = "\n" if _BLOCK_TAG.match(token) else ""
        if len(shown) == 1:
            out.append(shown)
            starts.append(m.start())
            ends.append(m.end())
        elif shown:  # an entity html does not know: kept as written
            out.append(shown)
            starts.extend(range(m.start(), m.end()))
            ends.extend(range(m.start() + 1, m.end() + 1))
        at = m.end()
    out.append(text[at:])
    starts.extend(range(at, len(text)))
    ends.extend(range(at + 1, len(text) + 1))
    return "".join(out), starts, ends


class _Inside:
    """Is a position inside one of some sorted, disjoint spans? (bisect)"""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]

    def __call__(self, pos: int) -> bool:
        import bisect

        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]


def _extend_names(text: str, spans: list[_Span]) -> list[_Span]:
    """A name span runs on over a hyphenated part (``[NOM]-DIALLO`` -> ``[NOM]``)."""
    out = []
    for i, span in enumerate(spans):
        if span[2] == "name":
            end = span[1]
            limit = spans[i + 1][0] if i + 1 < len(spans) else len(text)
            for _ in range(3):
                m = _NAME_CONTINUES.match(text, end)
                if m is None or m.end() > limit:
                    break
                end = m.end()
            span = (span[0], end, span[2], span[3])
        out.append(span)
    return out


def _isna(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _only_spaces(text: str, a: int, b: int, hyphen: bool = False) -> bool:
    gap = text[a:b]
    return 0 < len(gap) <= 2 and all(c in (" \t-" if hyphen else " \t") for c in gap)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and len(word) > 1


def _resolve(candidates: list[_Span], length: int, certain: list[_Span] = ()) -> list[_Span]:
    """Disjoint spans: ``certain`` ones first, then by kind rank, longest, first; in text order."""
    taken = bytearray(length + 1)
    kept = []
    ranked = sorted(certain, key=lambda s: (s[0] - s[1], s[0]))
    ranked += sorted(candidates, key=lambda s: (_RANK[s[2]], s[0] - s[1], s[0]))
    for span in ranked:
        start, end = span[0], span[1]
        if end <= start or any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append(span)
    kept.sort()
    return kept


_DEFAULT = Deidentifier()


def deidentify(text: str | None, patient: PatientIdentity | None = None,
               shift_days: int | None = None) -> str | None:
    """De-identify one French report text (see :class:`Deidentifier`).

    Parameters
    ----------
    text : str or None
        The text.
    patient : PatientIdentity, optional
        The patient's own names and ids.
    shift_days : int, optional
        The patient's date shift; ``None`` writes ``[DATE]`` for every date.

    Examples
    --------
    >>> me = PatientIdentity(names=["Gossillon", "Dominique", "Desant"], ids=["800000628"])
    >>> deidentify("Mme DESANT née GOSSILLON Dominique, née le 28/10/1963. "
    ...            "Lymphome non hodgkinien, Deauville 4, SUVmax 7,7 le 3/3.",
    ...            patient=me, shift_days=-3)
    'Mme [NOM] née [NOM], née le 25/10/1963. Lymphome non hodgkinien, Deauville 4, SUVmax 7,7 le 28/2.'
    >>> deidentify("Examen du 12 mars 2021 ; joindre le 06 12 34 56 78.")
    'Examen du [DATE] ; joindre le [TEL].'
    """
    return _DEFAULT.deidentify(text, patient, shift_days)


def deidentify_series(texts: pd.Series, patient_keys: pd.Series | None = None,
                      identities: Mapping[str, PatientIdentity] | None = None,
                      shifts: pd.Series | Mapping[str, int] | None = None) -> tuple[pd.Series, Counter[str]]:
    """De-identify a column of texts; return it and the replacements by kind.

    See :meth:`Deidentifier.deidentify_series` for the parameters.

    Examples
    --------
    >>> import pandas as pd
    >>> out, counts = deidentify_series(pd.Series(["IRM du 2021-04-01.", "RAS"]))
    >>> out.tolist(), dict(counts)
    (['IRM du [DATE].', 'RAS'], {'date': 1})
    """
    d = Deidentifier()
    out = d.deidentify_series(texts, patient_keys, identities, shifts)
    return out, d.last_counts
