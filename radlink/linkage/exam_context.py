"""Exam → patient from the warehouse's other tables, when the DICOM header says too little.

An exam registered under a temporary IPP with an anonymous identity (``INCONNU^HOMME``,
``X^X``, ``ANONYME^URGENCE``; birth date null or 1900-01-01), or one whose header holds
an IPP and nothing else (an OMOP-style export without names), cannot be placed by its
identity. The rest of the warehouse often knows better (Splink calls this using
"other" evidence than the identity columns). :func:`resolve_exams_from_context` runs
after the identity steps of :mod:`radlink.linkage.exam_patient` and before every other
link type, on the exams still open (``unlinked`` or ``ambiguous``) and on the linked
exams whose header identity is silent (an IPP alone), with this evidence, strongest first:

1. **strong** (one is enough):

   - ``carried_stay``: the exam carries a stay id (NDA) of a registered patient, and
     the stay's interval (widened by the stay tolerances) holds the exam's time;
   - ``accession_report``: a report carries the exam's accession number (held by that
     exam alone), is not signed before the exam beyond the clock skew, and names a
     registered patient (its own ``patient_id``, else its stay's patient);
   - ``temporary_ipp_group``: the exam's IPP is no registered patient's (a temporary
     number, at least four characters with a digit) and the other exams under that
     number within :data:`TEMPORARY_IPP_DAYS` days that are linked all point to one patient;
   - ``temporary_ipp_report_stay``: a report under the exam's temporary IPP, signed from the
     clock skew before the exam to :data:`ORPHAN_REPORT_DAYS` days after it, carries a stay
     of a registered patient whose widened interval holds the exam's time (the document
     store kept the provisional number but filed the report under the visit).

2. ``orphan_report``, for a silent header still open: a report whose patient has no
   linked exam of its modality class in the :data:`ORPHAN_SERVED_DAYS` days before it,
   whose only candidate is this exam (same class, region not against it, no other
   stated date, not an addendum, inside the stay the report carries when it carries one),
   the exam having orphan reports of that patient only.
   The open exams of the placed exam's temporary IPP group then follow it
   (``temporary_ipp_group``, weighed as the orphan report).

3. **weak**, only for an *anonymous* header: ``stay_holds_exam``, the patients with a
   stay *of the unit the exam names* whose widened interval holds the exam's time (a
   patient whose registered sex contradicts a known header sex is left out; any stay
   open at that time is not evidence: an emergency room holds many patients at once). One patient: linked with a lower score; two or three:
   ``ambiguous``; more: the exam stays open.

   Then ``stay_type_holds_exam``, for an anonymous header that no stay of its unit holds:
   the patients with a stay of the type that holds the anonymous exams already placed
   (:func:`anonymous_stay_type`, learned from them) whose widened interval holds the
   exam's time. One patient: linked with the weak score; more: the exam stays open.

4. ``family_stay_holds_exam``, for a header that names a family but no given name
   (``DUPONT^INCONNU``, an emergency registration that knows the surname first) still
   unlinked: the registry's patients of that family (birth or usage name) with a stay of
   any unit whose widened interval holds the exam's time. One patient: linked with the
   weak score; more: the exam stays open.

Decisions: one patient from strong evidence is linked (an ``ambiguous`` exam only when
that patient was one of its candidates); strong evidence for two patients is
``ambiguous``. A linked exam whose header identity is silent is **re-attached** when the
strong evidence names one other patient (the report's patient disagrees with the
header's IPP). Every decision says so in its evidence (``decision``, the evidence kinds,
``previous_status``, ``candidates``), with method ``warehouse_context``.

The step reads ids, times and short header columns, and what the reports near a silent
exam say of their exam (:func:`report_clues`: title, text opening); the Spark engine
computes the clues per partition and runs the same function once on the driver.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.linkage.evidence import Evidence, evidence_candidates, evidence_column
from radlink.linkage.frames import object_frame
from radlink.linkage.normalize import normalize_ipp, normalize_name, strip_accents
from radlink.linkage.report_exam import (
    _compatible,
    _exam_region,
    exam_modality_class,
    modality_class_of_text,
    region_of_text,
    signed_by,
)
from radlink.linkage.report_text import says_addendum, stated_exam_dates, text_modality_class
from radlink.linkage.settings import LinkageSettings
from radlink.linkage.visits import stays_of_carried

__all__ = [
    "PLACEHOLDER_NAME_WORDS",
    "PLACEHOLDER_MIN_IDS",
    "DATELESS_TABLE_SHARE",
    "TABLE_WORD",
    "placeholder_word_counts",
    "placeholder_word_totals",
    "placeholder_words_from_totals",
    "placeholder_words",
    "TEMPORARY_IPP_DAYS",
    "CONTEXT_EXAM_COLUMNS",
    "surname_only",
    "family_keys",
    "anonymous_identity",
    "anonymous_stay_type",
    "silent_identity",
    "REPORT_CLUE_COLUMNS",
    "report_clues",
    "resolve_exams_from_context",
]

PLACEHOLDER_NAME_WORDS: frozenset[str] = frozenset({
    "INCONNU", "INCONNUE", "ANONYME", "ANONYMOUS", "UNKNOWN", "ANON", "X", "XX", "XXX", "XXXX", "XXXXX",
    "URGENCE", "URGENCES", "URG", "HOMME", "FEMME", "ENFANT", "BEBE", "NOUVEAU", "NE", "NEE", "NN",
    "PATIENT", "PATIENTE", "NOM", "PRENOM", "TEST", "PROVISOIRE", "PROV", "TEMPORAIRE", "IDENTITE",
    "SANS", "NONE", "NULL", "NA", "MONSIEUR", "MADAME", "MR", "MME", "M", "F", "SAMU", "SMUR", "TRAUMA",
    "ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "DOE", "JOHN", "JANE",
    "SOUS", "NON", "IDENTIFIE", "IDENTIFIEE", "INDETERMINE", "INDETERMINEE",
})  # fmt: skip
"""Words of a name that says nothing of the person (an emergency registration's placeholder;
"SOUS X", a birth under anonymity, and "PATIENT NON IDENTIFIE" are French registrations' own)."""

PLACEHOLDER_MIN_IDS = 5
"""A header word the registry's names never hold is learned as a placeholder when it stands in the names of
at least this many distinct IPPs, most of its headers without a real birth date (:func:`placeholder_words`)."""

TEMPORARY_IPP_DAYS = 7.0
"""Exams under one temporary IPP this close in time are taken as one visit of one patient."""

CONTEXT_EXAM_COLUMNS: tuple[str, ...] = (
    "exam_id", "patient_id", "patient_name", "birth_date", "sex", "study_datetime", "unit",
    "accession_number", "stay_id", "modality", "study_description", "body_part",
)
"""The exam columns :func:`resolve_exams_from_context` reads (no text)."""

_STRONG_SCORE = {"carried_stay": 0.99, "accession_report": 0.99, "temporary_ipp_group": 0.95,
                 "temporary_ipp_report_stay": 0.95}
_STAY_SCORE = 0.8
_ORPHAN_SCORE = 0.85
_MAX_STAY_CANDIDATES = 3
_PLACEHOLDER_YEAR = 1900  # a birth date in or before this year is a placeholder (1900-01-01)


def _name_words(values: pd.Series) -> pd.Series:
    """Each name as its words: accents stripped, upper case, any run of non-letters a separator."""
    return strip_accents(values.astype(object)).str.upper().str.replace(r"[^A-Z]+", " ", regex=True)


def _placeholder_names(names: pd.Series, words: frozenset[str] | None = None) -> np.ndarray:
    """Whether each name is absent or made of placeholder words (``words``, by default
    :data:`PLACEHOLDER_NAME_WORDS`) and single letters only."""
    words = PLACEHOLDER_NAME_WORDS if words is None else words
    codes, uniques = pd.factorize(names.astype(object))
    spelled = _name_words(pd.Series(uniques, dtype=object))
    flags = np.array([all(w in words or len(w) == 1 for w in str(v).split())
                      for v in spelled] + [True], dtype=bool)
    return flags[codes]


TABLE_WORD = ""
"""The word (and IPP) of :func:`placeholder_word_counts`'s row counting every exam: no header word is empty."""

DATELESS_TABLE_SHARE = 0.25
"""Above this share of headers without a real birth date, the birth dates tell placeholders from names no more:
no word is learned (:func:`placeholder_words_from_totals`)."""

PLACEHOLDER_COUNT_COLUMNS: tuple[str, ...] = ("word", "ipp", "rows", "dateless")
"""Columns of :func:`placeholder_word_counts`."""


def placeholder_word_counts(exams: pd.DataFrame) -> pd.DataFrame:
    """The summary: per (header word, IPP), the exams and those without a real birth date.

    A birth date is not real when absent, in or before 1900, or on 1 January (an age
    estimated at registration). Computed on any slice of the exams; the counts of
    several slices, concatenated, are those of the whole table once summed per
    ``(word, ipp)`` (the Spark engine computes them per partition). The first row, word
    and IPP :data:`TABLE_WORD`, counts the slice's exams, named or not.

    Examples
    --------
    >>> import pandas as pd
    >>> exams = pd.DataFrame({"patient_id": ["T1", "T1", "P2"], "patient_name": ["INCONNU^FEMININ", "Inconnu^Féminin",
    ...                       "DUPONT^ANNE"], "birth_date": ["1900-01-01", None, "1950-03-04"]})
    >>> placeholder_word_counts(exams).values.tolist()
    [['', '', 3, 2], ['ANNE', 'P2', 1, 0], ['DUPONT', 'P2', 1, 0], ['FEMININ', 'T1', 2, 2], ['INCONNU', 'T1', 2, 2]]
    """
    names = pd.Series(exams["patient_name"].to_numpy(dtype=object), dtype=object)
    codes, uniques = pd.factorize(names)
    dateless = _unreal_birth_dates(exams["birth_date"])
    named = codes >= 0
    per_name = pd.DataFrame({"code": codes[named], "ipp": normalize_ipp(pd.Series(
        exams["patient_id"].to_numpy(dtype=object)[named], dtype=object)).to_numpy(dtype=object),
        "dateless": dateless[named].astype(np.int64)}).dropna(subset=["ipp"])
    per_name = per_name.groupby(["code", "ipp"], sort=False).agg(rows=("dateless", "size"),
                                                                 dateless=("dateless", "sum")).reset_index()
    words = _name_words(pd.Series(uniques, dtype=object)).str.split().explode().dropna()
    words = pd.DataFrame({"code": words.index.to_numpy(dtype=np.int64), "word": words.to_numpy(dtype=object)})
    words = words[words["word"].str.len() > 1].drop_duplicates()
    out = per_name.merge(words, on="code").groupby(["word", "ipp"], sort=True)[["rows", "dateless"]].sum()
    table = pd.DataFrame({"word": [TABLE_WORD], "ipp": [TABLE_WORD], "rows": [len(dateless)],
                          "dateless": [int(dateless.sum())]})
    out = pd.concat([table, out.reset_index()[list(PLACEHOLDER_COUNT_COLUMNS)]], ignore_index=True)
    return out.astype({"word": object, "ipp": object, "rows": np.int64, "dateless": np.int64})


def _registry_words(patients: pd.DataFrame) -> set[str]:
    """The words of the registry's names (birth, given and usage names)."""
    words: set[str] = set()
    for column in ("family_name", "given_name", "usage_name"):
        if column in patients:
            values = pd.Series(patients[column].dropna().unique(), dtype=object)
            words.update(_name_words(values).str.split().explode().dropna().tolist())
    return words


PLACEHOLDER_TOTAL_COLUMNS: tuple[str, ...] = ("word", "ids", "rows", "dateless")
"""Columns of :func:`placeholder_word_totals`."""


def placeholder_word_totals(counts: pd.DataFrame) -> pd.DataFrame:
    """Per word, from :func:`placeholder_word_counts` of any slices: distinct IPPs, exams, exams without a
    real birth date (the Spark engine makes the same two aggregations on its partitions' counts).

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({"word": ["X1", "X1", "X1"], "ipp": ["T1", "T1", "T2"], "rows": [1, 2, 1],
    ...                        "dateless": [1, 2, 0]})
    >>> placeholder_word_totals(counts).values.tolist()
    [['X1', 2, 4, 3]]
    """
    counts = counts.groupby(["word", "ipp"], sort=False)[["rows", "dateless"]].sum().reset_index()
    totals = counts.groupby("word", sort=True).agg(ids=("ipp", "size"), rows=("rows", "sum"),
                                                   dateless=("dateless", "sum"))
    return totals.reset_index()[list(PLACEHOLDER_TOTAL_COLUMNS)]


def placeholder_words_from_totals(totals: pd.DataFrame, patients: pd.DataFrame) -> frozenset[str]:
    """The decision: :data:`PLACEHOLDER_NAME_WORDS` and the placeholder words these headers teach.

    A word is learned when no registry name holds it, it stands in the headers of at
    least :data:`PLACEHOLDER_MIN_IDS` distinct IPPs, and most of its headers have no
    real birth date: a provisional registration's form (``ANONYME^FEMININ``, born
    01/01/1900) repeats across patients, while a misspelt real name (``MRTIN``), however
    frequent, comes with the patient's birth date. When more than
    :data:`DATELESS_TABLE_SHARE` of all headers have no real birth date (an export
    without them), that difference is gone and no word is learned. ``totals`` are
    :func:`placeholder_word_totals` of the whole exams table (its :data:`TABLE_WORD`
    row included).

    Examples
    --------
    >>> import pandas as pd
    >>> totals = pd.DataFrame({"word": ["", "FEMININ", "MRTIN", "DUPONT"], "ids": [1, 5, 5, 5],
    ...                        "rows": [100, 5, 6, 5], "dateless": [10, 5, 0, 5]})
    >>> patients = pd.DataFrame({"family_name": ["DUPONT", "MARTIN"], "given_name": ["ANNE", "LUC"]})
    >>> sorted(placeholder_words_from_totals(totals, patients) - PLACEHOLDER_NAME_WORDS)
    ['FEMININ']
    >>> sorted(placeholder_words_from_totals(totals.assign(dateless=[40, 5, 0, 5]), patients) - PLACEHOLDER_NAME_WORDS)
    []
    """
    table = totals[totals["word"].to_numpy(dtype=object) == TABLE_WORD]
    if table["dateless"].sum() > DATELESS_TABLE_SHARE * table["rows"].sum():
        return PLACEHOLDER_NAME_WORDS
    totals = totals[totals["word"].to_numpy(dtype=object) != TABLE_WORD]
    learned = totals[(totals["ids"].to_numpy() >= PLACEHOLDER_MIN_IDS)
                     & (2 * totals["dateless"].to_numpy() > totals["rows"].to_numpy())]
    if not len(learned):
        return PLACEHOLDER_NAME_WORDS
    registered = _registry_words(patients)
    return PLACEHOLDER_NAME_WORDS | frozenset(w for w in learned["word"].tolist() if w not in registered)


def placeholder_words(exams: pd.DataFrame, patients: pd.DataFrame) -> frozenset[str]:
    """Placeholder name words of this warehouse: the shipped list and those its exams teach
    (:func:`placeholder_word_counts`, :func:`placeholder_word_totals`, :func:`placeholder_words_from_totals`).

    Examples
    --------
    >>> import pandas as pd
    >>> exams = pd.DataFrame({"patient_id": [f"T{i}" for i in range(6)] + ["100001"] * 18,
    ...                       "patient_name": ["ANONYME^MASCULIN"] * 6 + ["DUPONT^ANNE"] * 18,
    ...                       "birth_date": ["1900-01-01"] * 6 + ["1950-03-04"] * 18})
    >>> sorted(placeholder_words(exams, pd.DataFrame({"family_name": ["DUPONT"]})) - PLACEHOLDER_NAME_WORDS)
    ['MASCULIN']
    """
    if not len(exams):
        return PLACEHOLDER_NAME_WORDS
    return placeholder_words_from_totals(placeholder_word_totals(placeholder_word_counts(exams)), patients)


_placeholder_words = placeholder_words  # resolve_exams_from_context's argument of that name shadows it


def _placeholder_dates(dates: pd.Series) -> np.ndarray:
    """Whether each birth date is absent or a placeholder (in or before 1900)."""
    d = pd.DatetimeIndex(pd.to_datetime(dates))
    year = np.asarray(d.year, dtype=np.float64)
    return np.isnan(year) | (year <= _PLACEHOLDER_YEAR)


def _unreal_birth_dates(dates: pd.Series) -> np.ndarray:
    """Whether each birth date names nobody: absent or a placeholder (:func:`_placeholder_dates`),
    or on 1 January, an age estimated at registration (:func:`_estimated_dates`)."""
    return _placeholder_dates(dates) | _estimated_dates(dates)


def silent_identity(exams: pd.DataFrame, words: frozenset[str] | None = None) -> np.ndarray:
    """Exams whose header names nobody: no real name and no real birth date (the IPP aside).

    ``words`` are the placeholder name words (:func:`placeholder_words`; by default
    :data:`PLACEHOLDER_NAME_WORDS`).

    Examples
    --------
    >>> import pandas as pd
    >>> exams = pd.DataFrame({"patient_name": ["INCONNU^HOMME", "X^X", None, "DUPONT^ANNE", "X^URG12", "DUPONT^ANNE"],
    ...                       "birth_date": [None, "1900-01-01", None, None, "1971-01-01", "1971-01-01"]})
    >>> silent_identity(exams).tolist()
    [True, True, True, False, True, False]
    """
    silent = _unreal_birth_dates(exams["birth_date"])
    rows = np.flatnonzero(silent)  # a real birth date names somebody: the names are read only for the others
    if len(rows):
        silent[rows] = _placeholder_names(pd.Series(exams["patient_name"].to_numpy(dtype=object)[rows], dtype=object),
                                          words)
    return silent


ESTIMATED_AGE_YEARS = 10
"""An age estimated at registration (a placeholder name born on 1 January) is this far from the truth at most."""


def _age_fits(exams: pd.DataFrame, exam_row: np.ndarray, patient_id: np.ndarray, patients: pd.DataFrame) -> np.ndarray:
    """Per (exam, patient): False when the exam's header has an estimated birth year (1 January, after 1900)
    more than :data:`ESTIMATED_AGE_YEARS` from the patient's.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> exams = pd.DataFrame({"birth_date": ["1960-01-01", None, "1900-01-01"]})
    >>> patients = pd.DataFrame({"patient_id": ["P1"], "birth_date": ["1985-06-02"]})
    >>> _age_fits(exams, np.array([0, 1, 2]), np.array(["P1", "P1", "P1"], dtype=object), patients).tolist()
    [False, True, True]
    """
    birth = exams["birth_date"]
    if isinstance(birth.dtype, np.dtype) and birth.dtype.kind == "M":  # validated: no Timestamp per row
        header = pd.DatetimeIndex(birth.to_numpy()[exam_row])
    else:
        header = pd.DatetimeIndex(pd.to_datetime(birth.to_numpy(dtype=object)[exam_row]))
    estimated = np.asarray((header.month == 1) & (header.day == 1) & (header.year > _PLACEHOLDER_YEAR), dtype=bool)
    if not estimated.any():
        return np.ones(len(exam_row), dtype=bool)
    born = pd.to_datetime(patients.drop_duplicates("patient_id").set_index("patient_id")["birth_date"])
    year = pd.DatetimeIndex(born.reindex(pd.Index(patient_id, dtype=object)).to_numpy()).year.to_numpy(dtype=np.float64)
    gap = np.abs(year - header.year.to_numpy(dtype=np.float64))
    return ~estimated | np.isnan(gap) | (gap <= ESTIMATED_AGE_YEARS)


def _estimated_dates(dates: pd.Series) -> np.ndarray:
    """Birth dates on the 1st of January: an age estimated at registration when the name is a placeholder
    ("INCONNU^HOMME", born 01/01/1949), read as no birth date (with a real name it stays a birth date)."""
    d = pd.DatetimeIndex(pd.to_datetime(dates))
    return np.asarray((d.month == 1) & (d.day == 1), dtype=bool)


def anonymous_identity(exams: pd.DataFrame, words: frozenset[str] | None = None) -> np.ndarray:
    """Exams registered under a placeholder identity: a name made of placeholder words, no real birth date.

    A header without any name (an export that drops names) is silent but not anonymous.

    Examples
    --------
    >>> import pandas as pd
    >>> exams = pd.DataFrame({"patient_name": ["ANONYME^URGENCE", None, "DUPONT^ANNE"],
    ...                       "birth_date": ["1900-01-01", None, None]})
    >>> anonymous_identity(exams).tolist()
    [True, False, False]
    """
    named = exams["patient_name"].astype(object).notna().to_numpy()
    return named & silent_identity(exams, words)


def surname_only(exams: pd.DataFrame, words: frozenset[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Headers that name a family but no given name (``DUPONT^INCONNU``), and that family as a key.

    An emergency registration often knows the surname before anything else. Returns the
    mask and the normalised family name (:func:`~radlink.linkage.normalize.normalize_name`,
    null where the mask is false).

    Examples
    --------
    >>> import pandas as pd
    >>> mask, key = surname_only(pd.DataFrame({"patient_name": ["Le Gall^INCONNU", "X^X", "DUPONT^ANNE", "MARTIN"]}))
    >>> mask.tolist(), key.tolist()
    ([True, False, False, True], ['LEGALL', None, None, 'MARTIN'])
    """
    names = pd.Series(exams["patient_name"].to_numpy(dtype=object), dtype=object)
    parts = names.str.split("^", n=1, expand=True) if names.notna().any() else pd.DataFrame({0: names})
    family = parts[0].astype(object)
    given = parts[1].astype(object) if 1 in parts else pd.Series([None] * len(names), dtype=object)
    mask = names.notna().to_numpy() & ~_placeholder_names(family, words) & _placeholder_names(given, words)
    key = np.full(len(names), None, dtype=object)
    if mask.any():
        key[mask] = normalize_name(family[mask]).to_numpy(dtype=object)
    mask &= pd.notna(key) & (pd.Series(key, dtype=object).str.len().to_numpy(dtype=float, na_value=0.0) >= 2)
    return mask, np.where(mask, key, None)


def family_keys(patients: pd.DataFrame) -> pd.DataFrame:
    """``(patient_id, key)``: each registry patient's normalised family name, and usage name when given."""
    cols = [c for c in ("family_name", "usage_name") if c in patients]
    parts = [pd.DataFrame({"patient_id": patients["patient_id"].to_numpy(dtype=object),
                           "key": normalize_name(patients[c].astype(object)).to_numpy(dtype=object)}) for c in cols]
    keys = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"patient_id": [], "key": []})
    return keys[keys["key"].notna() & (keys["key"] != "")].drop_duplicates()


def _id_like(ipp: np.ndarray) -> np.ndarray:
    """IPPs that can name one visit: at least four characters, one a digit (not ``0``, ``INCONNU``)."""
    s = pd.Series(ipp, dtype=object)
    text = s.where(s.notna(), "").astype(str)
    return (text.str.len() >= 4).to_numpy() & text.str.contains(r"\d", regex=True).to_numpy()


def _unit_key(values) -> np.ndarray:
    """Units compared as upper-case ASCII words (computed on the distinct values)."""
    codes, uniques = pd.factorize(pd.Series(np.asarray(values, dtype=object), dtype=object))
    keys = strip_accents(pd.Series(uniques, dtype=object)).str.upper().str.split().str.join(" ")
    table = np.append(keys.to_numpy(dtype=object), None)
    return table[codes]


def _registered(ids: np.ndarray, registry: set) -> np.ndarray:
    return np.array([v in registry for v in ids], dtype=bool) if len(ids) else np.zeros(0, dtype=bool)


def _carried_stay_evidence(ex: pd.DataFrame, rows: np.ndarray, st: pd.DataFrame,
                           settings: LinkageSettings) -> pd.DataFrame:
    """``(exam_row, patient_id)`` where the exam carries a stay of a registered patient holding its time."""
    return _stays_holding(ex, rows, ex["stay_id"].to_numpy(dtype=object)[rows], st, settings, "carried_stay")


def _temporary_report_stay_evidence(ex: pd.DataFrame, rows: np.ndarray, rp: pd.DataFrame, st: pd.DataFrame,
                                    temporary: np.ndarray, settings: LinkageSettings) -> pd.DataFrame:
    """``(exam_row, patient_id)`` where a report under the exam's temporary IPP carries a stay holding the exam.

    An emergency department files the exams of an unidentified patient under a
    provisional number; the document store often keeps that number on the reports but
    adds the visit's stay (NDA), which the administration system attached to the real
    patient. A report under the same provisional number, signed from the clock skew
    before the exam to :data:`ORPHAN_REPORT_DAYS` days after it, whose stay is a
    registered patient's and holds the exam's time (widened by the stay tolerances),
    names the exam's patient.
    """
    rows = rows[temporary[rows]]
    empty = pd.DataFrame({"exam_row": np.zeros(0, dtype=np.int64), "patient_id": [], "kind": []})
    keep = pd.notna(rp["ipp"].to_numpy(dtype=object)) & pd.notna(rp["stay_id"].to_numpy(dtype=object))
    if not len(rows) or not keep.any():
        return empty
    m = pd.DataFrame({"exam_row": rows, "ipp": ex["ipp"].to_numpy(dtype=object)[rows]}).merge(
        pd.DataFrame({"ipp": rp["ipp"].to_numpy(dtype=object)[keep], "stay": rp["stay_id"].to_numpy(dtype=object)[keep],
                      "signed": rp["when"].to_numpy()[keep]}), on="ipp")
    if not len(m):
        return empty
    er = m["exam_row"].to_numpy(dtype=np.int64)
    delay = (m["signed"].to_numpy() - ex["when"].to_numpy()[er]) / np.timedelta64(1, "h")
    near = (delay >= -settings.report_before_exam_hours) & (delay <= ORPHAN_REPORT_DAYS * 24.0)
    m = m[near].drop_duplicates(["exam_row", "stay"])
    found = _stays_holding(ex, m["exam_row"].to_numpy(dtype=np.int64), m["stay"].to_numpy(dtype=object), st,
                           settings, "temporary_ipp_report_stay")
    return found.drop_duplicates(["exam_row", "patient_id"])


def _stays_holding(ex: pd.DataFrame, rows: np.ndarray, stay: np.ndarray, st: pd.DataFrame,
                   settings: LinkageSettings, kind: str) -> pd.DataFrame:
    """``(exam_row, patient_id, kind)`` for each ``(rows[i], stay[i])`` whose stay, a registered patient's
    (or a movement of the visit ``stay[i]`` names), holds the exam's time widened by the stay tolerances."""
    by_id = st.drop_duplicates("stay_id").set_index("stay_id")
    ok = pd.notna(stay)
    rows, stay = rows[ok], stay[ok]
    patient = by_id["patient_id"].reindex(stay).to_numpy(dtype=object)
    start = by_id["start"].reindex(stay).to_numpy()
    end = by_id["end"].reindex(stay).to_numpy()
    t = ex["when"].to_numpy()[rows]
    before = np.timedelta64(int(settings.stay_tolerance_before_hours * 3600), "s")
    after = np.timedelta64(int(settings.stay_tolerance_after_hours * 3600), "s")
    # a carried visit number (no stay id) names the visit's movements ("V-01", "V-02"...)
    rec, pos = stays_of_carried(stay, by_id.index.to_numpy(dtype=object))
    if len(rec):
        rows = np.concatenate([rows, rows[rec]])
        patient = np.concatenate([patient, by_id["patient_id"].to_numpy(dtype=object)[pos]])
        start = np.concatenate([start, by_id["start"].to_numpy()[pos]])
        end = np.concatenate([end, by_id["end"].to_numpy()[pos]])
        t = np.concatenate([t, t[rec]])
    holds = pd.notna(patient) & ~np.isnat(t) & ~np.isnat(start) & (t >= start - before)
    holds &= np.isnat(end) | (t <= np.where(np.isnat(end), start, end) + after)
    found = pd.DataFrame({"exam_row": rows[holds], "patient_id": patient[holds], "kind": kind})
    return found.drop_duplicates(["exam_row", "patient_id"]) if len(rec) else found


def _accession_evidence(ex: pd.DataFrame, rows: np.ndarray, rp: pd.DataFrame,
                        settings: LinkageSettings) -> pd.DataFrame:
    """``(exam_row, patient_id)`` from reports carrying the exam's accession number (held by that exam alone)."""
    acc = ex["accession"].to_numpy(dtype=object)
    codes, _ = pd.factorize(pd.Series(acc, dtype=object))
    counts = np.bincount(codes[codes >= 0], minlength=int(codes.max(initial=-1)) + 1)
    single = (codes >= 0) & (counts[np.maximum(codes, 0)] == 1) if len(counts) else np.zeros(len(acc), dtype=bool)
    rows = rows[single[rows]]
    sub = pd.DataFrame({"exam_row": rows, "accession": acc[rows]})
    reps = rp[rp["accession"].notna() & rp["patient_id"].notna()]
    m = sub.merge(reps[["accession", "patient_id", "when"]], on="accession")
    if not len(m):
        return pd.DataFrame({"exam_row": np.zeros(0, dtype=np.int64), "patient_id": [], "kind": []})
    study = ex["when"].to_numpy()[m["exam_row"].to_numpy()]
    hours = (m["when"].to_numpy() - study) / np.timedelta64(1, "h")
    ok = np.isnan(hours) | (hours >= -settings.report_before_exam_hours)
    m = m[ok]
    return pd.DataFrame({"exam_row": m["exam_row"].to_numpy(), "patient_id": m["patient_id"].to_numpy(dtype=object),
                         "kind": "accession_report"})


def _group_evidence(ex: pd.DataFrame, rows: np.ndarray, status: np.ndarray, target: np.ndarray,
                    temporary: np.ndarray) -> pd.DataFrame:
    """``(exam_row, patient_id)`` from the linked exams under the same temporary IPP, close in time."""
    members = np.flatnonzero(temporary)
    empty = pd.DataFrame({"exam_row": np.zeros(0, dtype=np.int64), "patient_id": [], "kind": []})
    if not len(members) or not len(rows):
        return empty
    ipp = ex["ipp"].to_numpy(dtype=object)
    when = ex["when"].to_numpy()
    linked = members[status[members] == "linked"]
    wanted = rows[temporary[rows]]
    if not len(linked) or not len(wanted):
        return empty
    a = pd.DataFrame({"exam_row": wanted, "ipp": ipp[wanted], "t": when[wanted]})
    b = pd.DataFrame({"other": linked, "ipp": ipp[linked], "t_other": when[linked],
                      "patient_id": target[linked]})
    m = a.merge(b, on="ipp")
    m = m[m["exam_row"].to_numpy() != m["other"].to_numpy()]
    days = np.abs((m["t"].to_numpy() - m["t_other"].to_numpy()) / np.timedelta64(1, "D"))
    m = m[~np.isnan(days) & (days <= TEMPORARY_IPP_DAYS)]
    return pd.DataFrame({"exam_row": m["exam_row"].to_numpy(), "patient_id": m["patient_id"].to_numpy(dtype=object),
                         "kind": "temporary_ipp_group"})


ORPHAN_REPORT_DAYS = 7.0
"""A report signed this long after an exam (at most) may be the orphan report of that exam."""

ORPHAN_SERVED_DAYS = 30.0
"""A report whose patient has a linked exam of its class this long before it (at most) is no orphan:
validation queues sign some reports weeks after their exam."""


def _orphan_report_evidence(ex: pd.DataFrame, rows: np.ndarray, rp: pd.DataFrame, status: np.ndarray,
                            target: np.ndarray, settings: LinkageSettings, classes: _ReportClues,
                            st: pd.DataFrame | None = None) -> pd.DataFrame:
    """``(exam_row, patient_id)`` where a report of that patient has no exam of its type but this one.

    A report is an *orphan* when its patient has no linked exam of the report's modality
    class from :data:`ORPHAN_SERVED_DAYS` days before it to the clock skew after it. The
    exams at ``rows`` of the same class from :data:`ORPHAN_REPORT_DAYS` days before it are
    its candidates; a pair counts when the report has that exam as its only candidate and
    the exam has orphan reports
    of one patient only (both ways unique). A report that carries a stay (of ``st``) has
    only the exams that stay's interval, widened by the stay tolerances, holds as candidates.
    """
    empty = pd.DataFrame({"exam_row": np.zeros(0, dtype=np.int64), "patient_id": [], "kind": []})
    when = ex["when"].to_numpy()
    rows = rows[~np.isnat(when[rows]) & pd.notna(ex["mclass"].to_numpy(dtype=object)[rows])]
    r_ok = np.flatnonzero(pd.notna(rp["patient_id"].to_numpy(dtype=object)) & ~np.isnat(rp["when"].to_numpy()))
    if not len(rows) or not len(r_ok):
        return empty
    skew = np.timedelta64(int(settings.report_before_exam_hours * 3600), "s")
    span = np.timedelta64(int(ORPHAN_REPORT_DAYS * 86400), "s")
    served_span = np.timedelta64(int(ORPHAN_SERVED_DAYS * 86400), "s")
    # candidate (report, exam) pairs: reports signed from the exam's time (less the skew) to the span after
    n_days = int(ORPHAN_REPORT_DAYS) + 2
    e_day = (when[rows] - skew).astype("datetime64[D]")
    spread = pd.DataFrame({"exam_row": np.repeat(rows, n_days),
                           "day": np.repeat(e_day, n_days) + np.tile(np.arange(n_days), len(rows)).astype("timedelta64[D]")})
    r_when = rp["when"].to_numpy()
    m = pd.DataFrame({"report_row": r_ok, "day": r_when[r_ok].astype("datetime64[D]")}).merge(spread, on="day")
    if not len(m):
        return empty
    rr, er = m["report_row"].to_numpy(), m["exam_row"].to_numpy()
    delta = r_when[rr] - when[er]
    keep = (delta >= -skew) & (delta <= span)
    rr, er = rr[keep], er[keep]
    # only the reports near an exam to decide matter (the others' exams are competitors)
    focus = np.isin(rr, rr[status[er] != "linked"])
    rr, er = rr[focus], er[focus]
    if not len(rr):
        return empty
    r_class = classes.of(np.unique(rr), "mclass")["mclass"]
    same = pd.notna(r_class[rr]) & (r_class[rr] == ex["mclass"].to_numpy(dtype=object)[er])
    rr, er = rr[same], er[same]
    if st is not None and "stay_id" in rp and len(rr):  # the stay a report carries holds its exam
        carried = rp["stay_id"].to_numpy(dtype=object)[rr]
        by_stay = pd.notna(carried) & pd.Index(carried, dtype=object).isin(pd.Index(st["stay_id"], dtype=object))
        if by_stay.any():
            held = _stays_holding(ex, er[by_stay], carried[by_stay], st, settings, "orphan_report")
            inside = np.zeros(len(rr), dtype=bool)
            at = np.flatnonzero(by_stay)
            key = pd.MultiIndex.from_arrays([er[at], rp["patient_id"].to_numpy(dtype=object)[rr[at]]])
            inside[at] = key.isin(pd.MultiIndex.from_arrays([held["exam_row"].to_numpy(),
                                                             held["patient_id"].to_numpy(dtype=object)]))
            keep = ~by_stay | inside
            rr, er = rr[keep], er[keep]
    if not len(rr):
        return empty
    # orphans: the report's patient has no linked exam of its class in the span before it
    cand_reports = np.unique(rr)
    linked = np.flatnonzero(status == "linked")
    own = pd.DataFrame({"patient_id": target[linked], "t": when[linked],
                        "mclass": ex["mclass"].to_numpy(dtype=object)[linked]})
    rq = pd.DataFrame({"report_row": cand_reports, "patient_id": rp["patient_id"].to_numpy(dtype=object)[cand_reports],
                       "rt": r_when[cand_reports], "rclass": r_class[cand_reports]})
    j = rq.merge(own, on="patient_id")
    d = j["rt"].to_numpy() - j["t"].to_numpy()
    served = j[(j["mclass"].to_numpy(dtype=object) == j["rclass"].to_numpy(dtype=object))
               & (d >= -skew) & (d <= served_span)]["report_row"].unique()
    orphan = ~np.isin(rr, served)
    rr, er = rr[orphan], er[orphan]
    if not len(rr):
        return empty
    # nothing in the report against the exam: its region, its stated date; not an addendum
    clues = classes.of(np.unique(rr), "details")
    e_region, r_region = ex["region"].to_numpy(dtype=object)[er], clues["region"][rr]
    known = pd.notna(e_region) & pd.notna(r_region)
    fits = ~known | (e_region == r_region) | _compatible(e_region, r_region, known)
    stated = clues["stated_date"][rr]
    fits &= np.isnat(stated) | (stated == when[er].astype("datetime64[D]"))
    fits &= ~clues["addendum"][rr].astype(bool)
    rr, er = rr[fits], er[fits]
    pairs = pd.DataFrame({"report_row": rr, "exam_row": er,
                          "patient_id": rp["patient_id"].to_numpy(dtype=object)[rr]})
    one_exam = pairs.groupby("report_row")["exam_row"].transform("nunique").to_numpy() == 1
    pairs = pairs[one_exam]
    one_patient = pairs.groupby("exam_row")["patient_id"].transform("nunique").to_numpy() == 1
    pairs = pairs[one_patient].drop_duplicates(["exam_row", "patient_id"])
    return pd.DataFrame({"exam_row": pairs["exam_row"].to_numpy(), "patient_id": pairs["patient_id"].to_numpy(dtype=object),
                         "kind": "orphan_report"})


class _ReportClues:
    """:func:`report_clues` of each report, read only when asked (or given)."""

    def __init__(self, reports: pd.DataFrame, given: pd.DataFrame | None) -> None:
        self.reports = reports
        n = len(reports)
        if given is not None:
            self.values = {c: given[c].to_numpy().copy() for c in REPORT_CLUE_COLUMNS}
        else:
            self.values = {"mclass": np.full(n, None, dtype=object), "region": np.full(n, None, dtype=object),
                           "stated_date": np.full(n, np.datetime64("NaT"), dtype="datetime64[D]"),
                           "addendum": np.zeros(n, dtype=bool)}
        self.known = {part: np.full(n, given is not None, dtype=bool) for part in ("mclass", "details")}

    def of(self, rows: np.ndarray, part: str) -> dict[str, np.ndarray]:
        """The clues of every report, ``part`` (``"mclass"`` or ``"details"``) of those at ``rows``
        read now if not yet (the others' left empty)."""
        todo = rows[~self.known[part][rows]]
        if len(todo):
            sub = self.reports.iloc[todo]
            if part == "mclass":
                self.values["mclass"][todo] = _report_classes(sub)
            else:
                for c, v in _report_details(sub, self.values["mclass"][todo]).items():
                    self.values[c][todo] = v
            self.known[part][todo] = True
        return self.values


REPORT_CLUE_COLUMNS: tuple[str, ...] = ("mclass", "region", "stated_date", "addendum")
"""Columns of :func:`report_clues`."""


def _texts(reports: pd.DataFrame, column: str) -> pd.Series:
    values = reports[column] if column in reports else pd.Series([None] * len(reports))
    return pd.Series(values.to_numpy(dtype=object), dtype=object)


def _report_classes(reports: pd.DataFrame) -> np.ndarray:
    """The modality class each report names: its title's, else its text opening's."""
    mclass = modality_class_of_text(_texts(reports, "title")).to_numpy(dtype=object).copy()
    generic = np.flatnonzero(pd.isna(mclass))
    if len(generic):
        mclass[generic] = text_modality_class(_texts(reports, "text").iloc[generic]).to_numpy(dtype=object)
    return mclass


def _report_details(reports: pd.DataFrame, mclass: np.ndarray) -> dict[str, np.ndarray]:
    """Region (the title's, else the text opening's when the title names no class), stated date, addendum."""
    title, text = _texts(reports, "title"), _texts(reports, "text")
    region = region_of_text(title).to_numpy(dtype=object).copy()
    generic = np.flatnonzero(pd.isna(modality_class_of_text(title).to_numpy(dtype=object)) & pd.isna(region))
    if len(generic):
        region[generic] = region_of_text(text.iloc[generic].str.slice(0, 400)).to_numpy(dtype=object)
    return {"region": region, "stated_date": stated_exam_dates(text), "addendum": says_addendum(title, text)}


def report_clues(reports: pd.DataFrame) -> pd.DataFrame:
    """What each report says of its exam: modality class and region (its title's, else its text
    opening's), the exam date it states, whether it says it is an addendum.

    Examples
    --------
    >>> import pandas as pd
    >>> clues = report_clues(pd.DataFrame({"title": ["TDM thorax", "Compte rendu"],
    ...     "text": ["...", "IRM du 03/03/2021. Encéphale : séquences T1."]}))
    >>> clues[["mclass", "region"]].values.tolist(), clues["stated_date"].notna().tolist()
    ([['CT', 'CHEST'], ['MR', 'HEAD']], [False, True])
    """
    mclass = _report_classes(reports)
    return pd.DataFrame({"mclass": mclass, **_report_details(reports, mclass)})


def _stay_candidates(ex: pd.DataFrame, rows: np.ndarray, st: pd.DataFrame, sex_of: pd.Series,
                     settings: LinkageSettings, family: np.ndarray | None = None,
                     keys: pd.DataFrame | None = None, stay_type: str | None = None) -> pd.DataFrame:
    """``(exam_row, patient_id)``: patients with a stay of the exam's unit whose widened interval holds its time.

    Any stay open at that time would be weak evidence (an emergency room holds many
    patients at once, and an outpatient exam is in none of its patient's stays): only a
    stay of the unit the exam names counts; or, with ``family`` (each exam's family key)
    and ``keys`` (:func:`family_keys`), a stay of any unit of a patient of that family;
    or, with ``stay_type``, a stay of that type (:func:`anonymous_stay_type`).

    Stays are spread over the days they cover (at most a year each), so the join is on
    the day, then filtered exactly.
    """
    empty = pd.DataFrame({"exam_row": np.zeros(0, dtype=np.int64), "patient_id": []})
    t = ex["when"].to_numpy()[rows]
    named = (np.ones(len(rows), dtype=bool) if stay_type is not None
             else pd.notna(ex["unit_key"].to_numpy(dtype=object)[rows]) if family is None
             else pd.notna(np.asarray(family, dtype=object)[rows]))
    rows = rows[~np.isnat(t) & named]
    st = st[st["patient_id"].notna() & st["start"].notna()]
    if not len(rows) or not len(st):
        return empty
    before = np.timedelta64(int(settings.stay_tolerance_before_hours * 3600), "s")
    after = np.timedelta64(int(settings.stay_tolerance_after_hours * 3600), "s")
    lo = st["start"].to_numpy() - before
    hi = np.where(np.isnat(st["end"].to_numpy()), st["start"].to_numpy(), st["end"].to_numpy()) + after
    d0 = lo.astype("datetime64[D]")
    n_days = np.clip((hi.astype("datetime64[D]") - d0).astype(np.int64) + 1, 1, 366)
    idx = np.repeat(np.arange(len(st)), n_days)
    day = d0[idx] + (np.arange(len(idx)) - np.repeat(np.cumsum(n_days) - n_days, n_days)).astype("timedelta64[D]")
    spread = pd.DataFrame({"day": day, "stay_pos": idx})
    t = ex["when"].to_numpy()[rows]
    m = pd.DataFrame({"exam_row": rows, "day": t.astype("datetime64[D]")}).merge(spread, on="day")
    if not len(m):
        return empty
    sp = m["stay_pos"].to_numpy()
    te = ex["when"].to_numpy()[m["exam_row"].to_numpy()]
    m = m[(te >= lo[sp]) & (te <= hi[sp])]
    sp = m["stay_pos"].to_numpy()
    er = m["exam_row"].to_numpy()
    patient = st["patient_id"].to_numpy(dtype=object)[sp]
    unit_agrees = pd.notna(ex["unit_key"].to_numpy(dtype=object)[er]) & (
        ex["unit_key"].to_numpy(dtype=object)[er] == st["unit_key"].to_numpy(dtype=object)[sp])
    sex = ex["sex"].to_numpy(dtype=object)[er]
    reg_sex = sex_of.reindex(patient).to_numpy(dtype=object)
    clash = np.isin(sex, ["M", "F"]) & np.isin(reg_sex, ["M", "F"]) & (sex != reg_sex)
    if family is not None:
        pair = pd.Index(np.asarray(patient, dtype=object).astype(str) + "\x1f"
                        + np.asarray(family, dtype=object)[er].astype(str), dtype=object)
        known = pd.Index(keys["patient_id"].astype(str).to_numpy(dtype=object) + "\x1f"
                         + keys["key"].astype(str).to_numpy(dtype=object), dtype=object)
        unit_agrees = pair.isin(known)
    if stay_type is not None:
        unit_agrees = st["stay_type"].to_numpy(dtype=object)[sp] == stay_type
    keep = unit_agrees & ~clash
    out = pd.DataFrame({"exam_row": er[keep], "patient_id": patient[keep]})
    return out.drop_duplicates(["exam_row", "patient_id"])


ANONYMOUS_STAY_SHARE = 0.9
"""Share of the placed anonymous exams one stay type must hold for :func:`anonymous_stay_type` to name it."""

ANONYMOUS_STAY_MIN_EXAMS = 5
"""Placed anonymous exams :func:`anonymous_stay_type` needs before it names a stay type."""


def anonymous_stay_type(ex: pd.DataFrame, placed: np.ndarray, patient: np.ndarray, st: pd.DataFrame,
                        settings: LinkageSettings) -> str | None:
    """The stay type that holds the anonymous exams already placed, learned from them (or None).

    An anonymous registration (``INCONNU^HOMME``) is made where patients arrive without
    papers, most often the emergency department; which one is this warehouse's own
    habit. Among the anonymous exams placed by other evidence (``placed``, each with its
    ``patient``), the stay type whose widened interval holds the exam's time for at least
    :data:`ANONYMOUS_STAY_SHARE` of them (and at least :data:`ANONYMOUS_STAY_MIN_EXAMS`
    exams) is named; then a single patient with a stay of that type holding an open
    anonymous exam's time is weak evidence (``stay_type_holds_exam``).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> when = pd.to_datetime(["2020-01-0%d 10:00" % d for d in range(1, 7)]).to_numpy()
    >>> ex = pd.DataFrame({"when": when})
    >>> st = pd.DataFrame({"patient_id": ["P%d" % d for d in range(1, 7)], "start": when - np.timedelta64(1, "h"),
    ...                    "end": when + np.timedelta64(3, "h"), "stay_type": ["emergency"] * 6})
    >>> anonymous_stay_type(ex, np.ones(6, dtype=bool), st["patient_id"].to_numpy(dtype=object), st,
    ...                     LinkageSettings())
    'emergency'
    """
    rows = np.flatnonzero(placed)
    if len(rows) < ANONYMOUS_STAY_MIN_EXAMS or not len(st):
        return None
    m = pd.DataFrame({"exam_row": rows, "patient_id": np.asarray(patient, dtype=object)[rows]}).merge(
        pd.DataFrame({"patient_id": st["patient_id"].to_numpy(dtype=object), "start": st["start"].to_numpy(),
                      "end": st["end"].to_numpy(), "stay_type": st["stay_type"].to_numpy(dtype=object)}),
        on="patient_id")
    if not len(m):
        return None
    t = ex["when"].to_numpy()[m["exam_row"].to_numpy()]
    start, end = m["start"].to_numpy(), m["end"].to_numpy()
    before = np.timedelta64(int(settings.stay_tolerance_before_hours * 3600), "s")
    after = np.timedelta64(int(settings.stay_tolerance_after_hours * 3600), "s")
    holds = ~np.isnat(t) & ~np.isnat(start) & (t >= start - before)
    holds &= t <= np.where(np.isnat(end), start, end) + after
    held = m[holds & pd.notna(m["stay_type"].to_numpy(dtype=object))].drop_duplicates(["exam_row", "stay_type"])
    if not len(held):
        return None
    counts = held["stay_type"].value_counts(sort=True)
    best = counts.index[0]
    return str(best) if counts.iloc[0] >= ANONYMOUS_STAY_SHARE * len(rows) else None




def resolve_exams_from_context(
    exams: pd.DataFrame,
    exam_patient: pd.DataFrame,
    patients: pd.DataFrame,
    reports: pd.DataFrame | None = None,
    stays: pd.DataFrame | None = None,
    *,
    settings: LinkageSettings | None = None,
    report_clues: pd.DataFrame | None = None,
    placeholder_words: frozenset[str] | None = None,
) -> pd.DataFrame:
    """Exam → patient links revised with the warehouse's context (see the module's docstring).

    Parameters
    ----------
    exams : pandas.DataFrame
        Canonical exams (only :data:`CONTEXT_EXAM_COLUMNS` are read).
    exam_patient : pandas.DataFrame
        Exam → patient links in the row order of ``exams`` (``status``, ``target_id``,
        ``score``, ``method``, ``evidence``; a ``reattached`` column is kept up to date
        when present). The ``evidence`` is only read for ``ambiguous`` rows.
    patients : pandas.DataFrame
        The registry (``patient_id``, ``sex``).
    reports, stays : pandas.DataFrame, optional
        Canonical tables.
    settings : LinkageSettings, optional
    report_clues : pandas.DataFrame, optional
        :func:`report_clues` of ``reports`` when computed already (the Spark engine
        computes them per partition); otherwise the titles and text openings of the
        reports near a silent exam are read here.
    placeholder_words : frozenset of str, optional
        The placeholder name words learned on the whole exams table
        (:func:`placeholder_words`; the Spark engine aggregates :func:`placeholder_word_counts`
        of its partitions); by default learned from ``exams``.

    Returns
    -------
    pandas.DataFrame
        ``exam_patient`` with the revised rows replaced (a copy; the other rows as they were).

    Examples
    --------
    >>> import pandas as pd
    >>> from radlink.tables import validate_table
    >>> patients = validate_table(pd.DataFrame({"patient_id": ["100001"], "family_name": ["Dupont"],
    ...     "given_name": ["Anne"], "birth_date": ["1950-03-04"], "sex": ["F"]}), "patients")
    >>> exams = validate_table(pd.DataFrame({"exam_id": ["E1"], "patient_id": ["TMP0042"],
    ...     "patient_name": ["INCONNU^FEMME"], "birth_date": ["1900-01-01"], "sex": ["F"],
    ...     "study_datetime": ["2020-01-01 03:00"], "accession_number": ["A7"]}), "exams")
    >>> reports = validate_table(pd.DataFrame({"report_id": ["R1"], "patient_id": ["100001"],
    ...     "report_datetime": ["2020-01-01 09:00"], "accession_number": ["A7"], "text": ["..."]}), "reports")
    >>> ep = pd.DataFrame({"status": ["unlinked"], "target_id": [None], "score": [0.0],
    ...     "method": ["fellegi_sunter"], "evidence": ['{"decision":"no_candidate"}']})
    >>> resolve_exams_from_context(exams, ep, patients, reports)[["target_id", "status", "method"]].values.tolist()
    [['100001', 'linked', 'warehouse_context']]
    """
    settings = settings or LinkageSettings()
    n = len(exams)
    out = exam_patient.copy(deep=False)  # whole columns are replaced below, never written in place
    if n == 0:
        return out
    status = out["status"].to_numpy(dtype=object)
    target = out["target_id"].to_numpy(dtype=object)
    registry = set(patients["patient_id"].dropna().tolist())
    sex_of = patients.drop_duplicates("patient_id").set_index("patient_id")["sex"]
    ex = object_frame({
        "exam_id": exams["exam_id"].to_numpy(dtype=object),
        "ipp": normalize_ipp(exams["patient_id"]).to_numpy(dtype=object),
        "when": pd.to_datetime(exams["study_datetime"]).to_numpy(),
        "accession": exams["accession_number"].to_numpy(dtype=object),
        "stay_id": exams["stay_id"].to_numpy(dtype=object),
        "sex": exams["sex"].to_numpy(dtype=object),
        "unit_key": _unit_key(exams["unit"]),
        "mclass": exam_modality_class(exams["modality"], exams["study_description"]).to_numpy(dtype=object),
        "region": _exam_region(exams["body_part"], exams["study_description"]).to_numpy(dtype=object),
    })
    carried = exams["patient_id"].to_numpy(dtype=object)
    words = _placeholder_words(exams, patients) if placeholder_words is None else placeholder_words
    silent = silent_identity(exams, words)
    anonymous = silent & exams["patient_name"].astype(object).notna().to_numpy()
    open_ = status != "linked"
    reattachable = (status == "linked") & silent
    concerned = np.flatnonzero(open_ | reattachable)
    if not len(concerned):
        return out
    reports = reports if reports is not None else pd.DataFrame(columns=["report_id", "patient_id", "stay_id",
                                                                         "report_datetime", "accession_number"])
    stays = stays if stays is not None else pd.DataFrame(columns=["stay_id", "patient_id", "start_datetime",
                                                                   "end_datetime", "unit"])
    st = object_frame({
        "stay_id": stays["stay_id"].to_numpy(dtype=object),
        "patient_id": stays["patient_id"].to_numpy(dtype=object),
        "start": pd.to_datetime(stays["start_datetime"]).to_numpy(),
        "end": pd.to_datetime(stays["end_datetime"]).to_numpy(),
        "unit_key": _unit_key(stays["unit"]) if "unit" in stays else np.full(len(stays), None, dtype=object),
        "stay_type": (stays["stay_type"].to_numpy(dtype=object) if "stay_type" in stays
                      else np.full(len(stays), None, dtype=object)),
    })
    st = st[_registered(st["patient_id"].to_numpy(dtype=object), registry)]
    stay_patient = st.drop_duplicates("stay_id").set_index("stay_id")["patient_id"]
    own = reports["patient_id"].to_numpy(dtype=object)
    via = stay_patient.reindex(pd.Index(reports["stay_id"].to_numpy(dtype=object), dtype=object)).to_numpy(dtype=object)
    report_patient = np.where(pd.notna(own), own, via)
    report_patient = np.where(_registered(report_patient, registry), report_patient, None)
    rp = object_frame({
        "accession": reports["accession_number"].to_numpy(dtype=object),
        "patient_id": report_patient,
        "when": signed_by(reports["report_datetime"], settings.midnight_reports_are_dates),
        "ipp": normalize_ipp(pd.Series(reports["patient_id"].to_numpy(dtype=object), dtype=object)).to_numpy(dtype=object),
        "stay_id": reports["stay_id"].to_numpy(dtype=object),
    })

    # 1. strong evidence: the carried stay, reports of the accession; then the temporary IPP's group.
    temporary = pd.notna(carried) & ~_registered(carried, registry) & _id_like(ex["ipp"].to_numpy(dtype=object))
    strong = pd.concat([_carried_stay_evidence(ex, concerned, st, settings),
                        _accession_evidence(ex, concerned, rp, settings),
                        _temporary_report_stay_evidence(ex, concerned, rp, st, temporary, settings)],
                       ignore_index=True)
    decided = _StrongDecisions(n)
    decided.add(strong)
    # Linked members of a temporary IPP's group, including the exams just decided.
    g_status, g_target = status.copy(), target.copy()
    one, pid = decided.single()
    g_status[one], g_target[one] = "linked", pid
    group_rows = concerned[~decided.has[concerned]]
    decided.add(_group_evidence(ex, group_rows, g_status, g_target, temporary))

    rows_linked: list[np.ndarray] = []
    blocks: list[Evidence] = []
    new_status, new_target, new_score = status.copy(), target.copy(), out["score"].to_numpy(dtype=np.float64).copy()
    one, pid = decided.single()
    kinds = decided.kinds()
    previous = status.copy()
    # an ambiguous exam is settled only in favour of one of its candidates
    amb = one[status[one] == "ambiguous"]
    if len(amb):
        cands = evidence_candidates(out["evidence"].to_numpy(dtype=object)[amb])
        agree = np.array([p in c for p, c in zip(decided.patient_of(amb), cands, strict=True)], dtype=bool)
        one = np.setdiff1d(one, amb[~agree])
        pid = decided.patient_of(one)
    # a linked exam moves only when the evidence names another patient than its own
    moves = (status[one] != "linked") | (normalize_ipp(pd.Series(target[one], dtype=object)).to_numpy(dtype=object)
                                         != normalize_ipp(pd.Series(pid, dtype=object)).to_numpy(dtype=object))
    one, pid = one[moves], pid[moves]
    if len(one):
        k = kinds.reindex(one).to_numpy(dtype=object)
        new_status[one], new_target[one] = "linked", pid
        new_score[one] = [max(_STRONG_SCORE[x] for x in ks) for ks in k]
        rows_linked.append(one)
        blocks.append(Evidence(one, {
            "decision": np.where(status[one] == "linked", "header_ipp_contradicted", "context_patient"),
            "evidence": k,
            "header_identity": np.where(anonymous[one], "anonymous",
                                        np.where(silent[one], "silent", "named")).astype(object),
            "previous_status": previous[one],
        }))
    several = decided.several()
    several = several[open_[several]]
    if len(several):
        new_status[several], new_target[several] = "ambiguous", None
        new_score[several] = 0.9
        blocks.append(Evidence(several, {
            "decision": "context_patients_disagree",
            "evidence": kinds.reindex(several).to_numpy(dtype=object),
            "candidates": decided.candidates(several),
            "previous_status": previous[several],
        }))

    # 2. an orphan report: a report whose patient has no exam of its type but this open silent
    # one. The exams linked by their IPP alone compete as candidates (a report that fits one
    # of them as well is no evidence), but are not moved: a report missing from a patient's
    # exam is too common for its absence to outweigh the IPP.
    clues = _ReportClues(reports, report_clues)
    orphan_rows = np.flatnonzero(silent & ~decided.has & ((new_status != "linked") | reattachable))
    orphan = _orphan_report_evidence(ex, orphan_rows, rp, new_status, new_target, settings, clues, st)
    orphan = orphan[new_status[orphan["exam_row"].to_numpy(dtype=np.int64)] != "linked"]
    orphan = orphan[_age_fits(exams, orphan["exam_row"].to_numpy(dtype=np.int64),
                              orphan["patient_id"].to_numpy(dtype=object), patients)]
    if len(orphan):
        # an orphan report's exam has a silent header: "silent" or "anonymous"
        _place(orphan["exam_row"].to_numpy(dtype=np.int64), orphan["patient_id"].to_numpy(dtype=object),
               "orphan_report", new_status, new_target, new_score, decided, blocks, previous, anonymous, silent)
        # the other exams of the visit under the same temporary IPP follow the exam just placed
        _follow_temporary_group(ex, temporary & ~decided.has & (new_status == "unlinked"), new_status, new_target,
                                new_score, temporary, decided, blocks, previous, anonymous, silent)

    def link_single(cands: pd.DataFrame, single: np.ndarray, evidence: str, header_identity: str,
                    **more: object) -> None:
        """Link each exam of ``single`` to its one stay candidate's patient (steps 3 and 4)."""
        if not len(single):
            return
        pid = cands.drop_duplicates("exam_row").set_index("exam_row")["patient_id"].reindex(single)
        new_status[single], new_target[single] = "linked", pid.to_numpy(dtype=object)
        new_score[single] = _STAY_SCORE
        rows_linked.append(single)
        blocks.append(Evidence(single, {"decision": "context_patient", "evidence": (evidence,),
                                        "header_identity": header_identity, **more,
                                        "previous_status": previous[single]}))

    # 3. weak evidence: an anonymous header left open, the stays holding its time.
    weak_rows = np.flatnonzero(anonymous & (new_status != "linked") & ~decided.has)
    weak_rows = weak_rows[new_status[weak_rows] != "ambiguous"] if len(weak_rows) else weak_rows
    stay_cands = _stay_candidates(ex, weak_rows, st, sex_of, settings)
    if len(stay_cands):
        per = stay_cands.groupby("exam_row", sort=True)
        n_pat = per.size()
        single = n_pat.index[n_pat.to_numpy() == 1].to_numpy()
        few = n_pat.index[(n_pat.to_numpy() > 1) & (n_pat.to_numpy() <= _MAX_STAY_CANDIDATES)].to_numpy()
        link_single(stay_cands, single, "stay_holds_exam", "anonymous", unit_agrees=True)
        if len(few):
            cands = stay_cands[stay_cands["exam_row"].isin(few)].sort_values(["exam_row", "patient_id"])
            tuples = cands.groupby("exam_row", sort=True)["patient_id"].agg(tuple).reindex(few)
            packed = np.empty(len(few), dtype=object)
            packed[:] = list(tuples.to_numpy())
            new_status[few], new_target[few] = "ambiguous", None
            new_score[few] = _STAY_SCORE / 2
            blocks.append(Evidence(few, {
                "decision": "context_patients_disagree",
                "evidence": ("stay_holds_exam",),
                "candidates": packed,
                "unit_agrees": True,
                "previous_status": previous[few],
            }))
    # 3b. an anonymous header no stay of its unit holds: the stays of the type that holds the
    # anonymous exams already placed (learned here: an emergency registration, most often)
    kind = anonymous_stay_type(ex, anonymous & (new_status == "linked"), new_target, st, settings)
    if kind is not None:
        type_rows = np.flatnonzero(anonymous & (new_status == "unlinked") & ~decided.has)
        if len(stay_cands):
            type_rows = type_rows[~np.isin(type_rows, stay_cands["exam_row"].to_numpy())]
        by_type = _stay_candidates(ex, type_rows, st, sex_of, settings, stay_type=kind)
        n_pat = by_type.groupby("exam_row", sort=True).size()
        single = n_pat.index[n_pat.to_numpy() == 1].to_numpy()
        link_single(by_type, single, "stay_type_holds_exam", "anonymous", stay_type=kind)
    # 4. a header naming only a family: the one patient of that family in a stay holding its time.
    sur_rows = np.flatnonzero((new_status == "unlinked") & ~decided.has)
    surname, key = surname_only(exams.iloc[sur_rows], words) if len(sur_rows) else (np.zeros(0, dtype=bool), None)
    family = np.full(n, None, dtype=object)
    if surname.any():
        family[sur_rows[surname]] = key[surname]
    sur_rows = sur_rows[surname]
    if len(sur_rows):
        sur = _stay_candidates(ex, sur_rows, st, sex_of, settings, family=family, keys=family_keys(patients))
        n_pat = sur.groupby("exam_row", sort=True).size()
        single = n_pat.index[n_pat.to_numpy() == 1].to_numpy()
        link_single(sur, single, "family_stay_holds_exam", "family_only")
    changed = np.concatenate([b.rows for b in blocks]) if blocks else np.zeros(0, dtype=np.int64)
    if not len(changed):
        return out
    linked_now = new_status == "linked"
    reattached = linked_now & pd.notna(carried) & (
        ex["ipp"].to_numpy(dtype=object) != normalize_ipp(pd.Series(new_target, dtype=object)).to_numpy(dtype=object))
    blocks = [b.followed_by({"reattached": reattached[b.rows]}) for b in blocks]
    text = evidence_column(n, blocks)
    ev = out["evidence"].to_numpy(dtype=object).copy()
    ev[changed] = text[changed]
    method = out["method"].to_numpy(dtype=object).copy()
    method[changed] = "warehouse_context"
    for col, values in (("status", new_status), ("target_id", np.where(linked_now, new_target, None)),
                        ("score", new_score), ("method", method), ("evidence", ev)):
        out[col] = values if col == "score" else pd.Series(values, index=out.index, dtype=object)
    if "reattached" in out:
        flags = out["reattached"].to_numpy(dtype=bool).copy()
        flags[changed] = reattached[changed]
        out["reattached"] = flags
    return out


def _follow_temporary_group(ex: pd.DataFrame, open_rows: np.ndarray, status: np.ndarray, target: np.ndarray,
                            score: np.ndarray, temporary: np.ndarray, decided: _StrongDecisions,
                            blocks: list[Evidence], previous: np.ndarray, anonymous: np.ndarray,
                            silent: np.ndarray) -> None:
    """Link the open exams (mask ``open_rows``) of a temporary IPP's group whose linked members now all
    point to one patient (:func:`_group_evidence` on the decisions made so far), in place."""
    rows = np.flatnonzero(open_rows)
    found = _group_evidence(ex, rows, status, target, temporary)
    if not len(found):
        return
    per = found.drop_duplicates(["exam_row", "patient_id"])
    n_pat = per.groupby("exam_row", sort=True)["patient_id"].transform("size").to_numpy()
    per = per[n_pat == 1]
    if not len(per):
        return
    _place(per["exam_row"].to_numpy(dtype=np.int64), per["patient_id"].to_numpy(dtype=object),
           "temporary_ipp_group", status, target, score, decided, blocks, previous, anonymous, silent)


def _place(rows: np.ndarray, patient_ids: np.ndarray, evidence: str, status: np.ndarray, target: np.ndarray,
           score: np.ndarray, decided: _StrongDecisions, blocks: list[Evidence], previous: np.ndarray,
           anonymous: np.ndarray, silent: np.ndarray) -> None:
    """Link the exams at ``rows`` to ``patient_ids`` on one piece of report evidence (weighed as an
    orphan report), in place, with the evidence block that says so."""
    status[rows], target[rows] = "linked", patient_ids
    score[rows] = _ORPHAN_SCORE
    decided.has[rows] = True
    blocks.append(Evidence(rows, {
        "decision": "context_patient",
        "evidence": (evidence,),
        "header_identity": np.where(anonymous[rows], "anonymous", np.where(silent[rows], "silent", "named")).astype(object),
        "previous_status": previous[rows],
    }))


class _StrongDecisions:
    """Strong evidence gathered per exam: which patients, by which kinds."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.frames: list[pd.DataFrame] = []
        self.has = np.zeros(n, dtype=bool)

    def add(self, frame: pd.DataFrame) -> None:
        if len(frame):
            self.frames.append(frame)
            self.has[frame["exam_row"].to_numpy(dtype=np.int64)] = True
            self._cache = None

    def _table(self) -> pd.DataFrame:
        if getattr(self, "_cache", None) is None:
            if not self.frames:
                self._cache = pd.DataFrame({"exam_row": np.zeros(0, dtype=np.int64), "patient_id": [], "kind": []})
            else:
                self._cache = pd.concat(self.frames, ignore_index=True).drop_duplicates()
        return self._cache

    def _pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct ``(exam_row, patient_id)`` sorted, with the number of patients of each pair's exam."""
        t = self._table().drop_duplicates(["exam_row", "patient_id"]).sort_values(["exam_row", "patient_id"],
                                                                                   kind="mergesort")
        rows = t["exam_row"].to_numpy(dtype=np.int64)
        count = np.bincount(rows, minlength=self.n)[rows] if len(rows) else np.zeros(0, dtype=np.int64)
        return rows, t["patient_id"].to_numpy(dtype=object), count

    def single(self) -> tuple[np.ndarray, np.ndarray]:
        rows, pid, count = self._pairs()
        return rows[count == 1], pid[count == 1]

    def several(self) -> np.ndarray:
        rows, _, count = self._pairs()
        return np.unique(rows[count > 1])

    def candidates(self, rows: np.ndarray) -> np.ndarray:
        r, pid, _ = self._pairs()
        sel = np.isin(r, rows)
        grouped = pd.Series(pid[sel], dtype=object).groupby(r[sel], sort=True).agg(tuple)
        packed = np.empty(len(rows), dtype=object)
        packed[:] = list(grouped.reindex(rows).to_numpy())
        return packed

    def patient_of(self, rows: np.ndarray) -> np.ndarray:
        """The (first) patient of each of ``rows``."""
        r, pid, _ = self._pairs()
        first = pd.Series(pid, dtype=object).groupby(r, sort=True).first()
        return first.reindex(rows).to_numpy(dtype=object)

    def kinds(self) -> pd.Series:
        """The evidence kinds of each exam, as a sorted tuple (a bit mask per exam, then its tuple)."""
        t = self._table()
        names = sorted(_STRONG_SCORE)
        rows = t["exam_row"].to_numpy(dtype=np.int64)
        bit = np.left_shift(1, pd.Categorical(t["kind"], categories=names).codes.astype(np.int64))
        mask = np.zeros(self.n, dtype=np.int64)
        np.bitwise_or.at(mask, rows, bit)
        tuples = np.empty(1 << len(names), dtype=object)
        tuples[:] = [tuple(k for i, k in enumerate(names) if m >> i & 1) for m in range(1 << len(names))]
        present = np.unique(rows)
        return pd.Series(tuples[mask[present]], index=present, dtype=object)
