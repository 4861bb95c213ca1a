"""Exam → patient: a child's exam registered under a parent's identity, never given to the parent.

In hospitals with maternity and paediatric units a child's exam is often registered under a
parent's identity (the parent's IPP, family name and birth date) or under a newborn's
provisional one (``MARTIN^BB``, born the day of the exam) that is merged later. The identity
steps then give the exam to the adult whose identity the header holds. This step, run after
:func:`~radlink.linkage.exam_context.resolve_exams_from_context`, looks at the **linked** exams
whose patient is an adult old enough to be a parent (:data:`ADULT_YEARS` or more at the exam) while the exam says it is a
child's, by evidence learned from the data being linked:

- ``paediatric_kind``: the exam's description (normalised) is one the warehouse does on children:
  among the exams linked to a patient of known age, at least :data:`PAEDIATRIC_SHARE` of the
  exams of that description, of at least :data:`MIN_KIND_PATIENTS` patients, are a child's
  (under :data:`CHILD_YEARS`) (:func:`paediatric_kinds`: a hip ultrasound of the newborn, a
  transfontanellar ultrasound; a description done on all ages is never one); the exam's **unit** is
  learned the same way (:func:`_unit_keys`: a paediatric imaging, neonatal or children's emergency
  unit; a parent's identity on a child's exam leaves the unit a child's);
- ``newborn_birth_date``: the header's own birth date makes the person a newborn at the exam
  (under :data:`NEWBORN_YEARS`: a newborn's provisional registration carries the day of birth),
  and not by a typo of the linked patient's (another day or month).

An exam the identity steps left ``unlinked`` whose header birth date is a newborn's is
looked at too (``newborn_birth_date``).

For such an exam the **children of the family** are sought: registry patients of the header's
family name, or of the linked adult's birth or usage name, who were a child (born at most a day
after the exam, younger than :data:`CHILD_YEARS`). A child is **supported** when a stay of the
child (widened by :data:`STAY_HOURS`) holds the exam's time, another exam of the same day is
already linked to the child, or the child's birth date is the header's. Exactly one supported
child: the exam is linked to it (method ``child_identity``, decision ``child_of_family``);
otherwise a linked exam is left ``unlinked`` with the decision ``child_exam_under_adult_identity``, the reason and the children
found (never the adult: linking a child's exam to the parent mixes two timelines).

Everything is vectorised: a group-by per description, joins on family keys of the few flagged
exams only. The rule is split in a summary and a decision, so the Spark engine runs it too
(:mod:`radlink.spark.linkage`): :func:`kind_counts` (linked exams per description, patient and
childhood) is summed per partition, :func:`kinds_from_totals` decides the paediatric descriptions,
:func:`child_exam_flags` flags each exam alone, and :func:`resolve_child_exams` (given ``kinds``)
decides the flagged exams on the driver with the family's children (:func:`family_children`),
their stays and their linked exams.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.linkage.evidence import Evidence, evidence_column
from radlink.linkage.normalize import normalize_ipp, normalize_name, strip_accents

__all__ = [
    "CHILD_YEARS",
    "ADULT_YEARS",
    "PAEDIATRIC_SHARE",
    "MIN_KIND_PATIENTS",
    "NEWBORN_YEARS",
    "STAY_HOURS",
    "child_exam_flags",
    "description_keys",
    "family_children",
    "header_family_keys",
    "kind_counts",
    "kind_totals",
    "kinds_from_totals",
    "paediatric_kinds",
    "registry_births",
    "resolve_child_exams",
]

CHILD_YEARS = 16.0
"""Below this age at the exam a patient is a child (paediatric units take patients up to 15-18)."""

ADULT_YEARS = 20.0
"""From this age at the exam a linked patient is old enough to be a parent: a child's exam linked to them is
suspect (paediatric units keep their adolescents up to 18-19: an 18-year-old's chest film is theirs)."""

PAEDIATRIC_SHARE = 0.95
"""Share of a description's linked exams done on children from which the description is paediatric."""

MIN_KIND_PATIENTS = 5
"""Distinct children a description needs before it is learned as paediatric (a rare one says nothing)."""

NEWBORN_YEARS = 1.0
"""A header birth date this close before the exam is a newborn's (a provisional registration at birth)."""

STAY_HOURS = 8.0
"""A child's stay holds an exam this many hours before its start or after its end (emergency work-up)."""

_DAY = np.timedelta64(1, "D")
_YEAR_NS = 365.25 * 86400e9

CHILD_SCORE = 0.9
"""Score of an exam re-attached to the one supported child of its family."""


def description_keys(values) -> np.ndarray:
    """Descriptions compared as written but for case, accents, punctuation and spacing.

    Examples
    --------
    >>> description_keys(["Écho  hanches (nourrisson)", None, "ECHO HANCHES NOURRISSON"]).tolist()
    ['ECHO HANCHES NOURRISSON', None, 'ECHO HANCHES NOURRISSON']
    """
    codes, uniques = pd.factorize(pd.Series(np.asarray(values, dtype=object), dtype=object))
    words = strip_accents(pd.Series(uniques, dtype=object)).str.upper().str.replace(r"[^A-Z0-9]+", " ", regex=True)
    keys = words.str.strip().to_numpy(dtype=object)
    keys = np.where(keys == "", None, keys)
    return np.append(keys, None)[codes]


def _ages(study: np.ndarray, birth: np.ndarray) -> np.ndarray:
    """Age in years at the study (NaN when either is unknown)."""
    delta = (study.astype("datetime64[ns]") - birth.astype("datetime64[ns]")).astype(np.float64)
    out = delta / _YEAR_NS
    out[np.isnat(study) | np.isnat(birth)] = np.nan
    return out


def _aged_under(age: np.ndarray, years: float) -> np.ndarray:
    """Whether an age (:func:`_ages`) is under ``years``, a birth up to a day after the study
    included (a clock or a date entered late); an unknown age is not."""
    return (age >= -1 / 365.25) & (age < years)


def _datetimes(values) -> np.ndarray:
    """Datetimes as ``datetime64[ns]`` (validated columns as they are: no object pass over a million rows)."""
    if isinstance(values, pd.Series) and values.dtype.kind == "M":
        return pd.DatetimeIndex(values).tz_localize(None).to_numpy(dtype="datetime64[ns]") \
            if getattr(values.dtype, "tz", None) is not None else values.to_numpy(dtype="datetime64[ns]")
    return pd.to_datetime(pd.Series(np.asarray(values, dtype=object)), errors="coerce").to_numpy(
        dtype="datetime64[ns]")


def paediatric_kinds(keys: np.ndarray, age: np.ndarray, patient: np.ndarray) -> set:
    """The descriptions the data show done on children (see the module's docstring).

    Parameters
    ----------
    keys : ndarray
        :func:`description_keys` of the linked exams.
    age : ndarray of float
        Their patient's age at the exam (NaN unknown).
    patient : ndarray
        Their patient's id.

    Examples
    --------
    >>> import numpy as np
    >>> keys = np.array(["ECHO HANCHES"] * 6 + ["THORAX"] * 6, dtype=object)
    >>> age = np.array([0.1, 0.2, 0.1, 0.3, 0.1, 0.2, 1, 40, 70, 3, 50, 8])
    >>> paediatric_kinds(keys, age, np.arange(12).astype(str).astype(object))
    {'ECHO HANCHES'}
    """
    return kinds_from_totals(kind_totals(_counts(keys, age, patient)))


def _counts(keys: np.ndarray, age: np.ndarray, patient: np.ndarray) -> pd.DataFrame:
    """``(key, patient, child, exams)``: linked exams of known description and age per group."""
    known = pd.notna(keys) & ~np.isnan(age)
    t = pd.DataFrame({"key": keys[known], "patient": patient[known], "child": age[known] < CHILD_YEARS})
    counts = t.groupby(["key", "patient", "child"], sort=True).size().rename("exams").reset_index()
    return counts.astype({"key": object, "patient": object, "child": bool, "exams": np.int64})


def registry_births(patients: pd.DataFrame) -> pd.Series:
    """Each registry patient's birth date (``datetime64[ns]``), indexed by id (first row of a duplicate id).

    Examples
    --------
    >>> import pandas as pd
    >>> registry_births(pd.DataFrame({"patient_id": ["P1"], "birth_date": ["2024-03-01"]})).astype(str).tolist()
    ['2024-03-01']
    """
    born = pd.Series(_datetimes(patients["birth_date"]), index=pd.Index(patients["patient_id"].to_numpy(dtype=object)))
    return born[~born.index.duplicated()]


def _linked_ages(exams: pd.DataFrame, status: np.ndarray, target: np.ndarray,
                 born: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(study, age)``: each exam's time and its linked patient's age then (NaN when not linked)."""
    linked = status == "linked"
    study = _datetimes(exams["study_datetime"])
    age = np.full(len(exams), np.nan)
    age[linked] = _ages(study[linked], born.reindex(target[linked]).to_numpy(dtype="datetime64[ns]"))
    return study, age


def _keys(exams: pd.DataFrame) -> np.ndarray:
    return description_keys(exams["study_description"]) if "study_description" in exams \
        else np.full(len(exams), None)


UNIT_KEY_PREFIX = "unit:"
"""Prefix of a unit's kind key (a description key has no lower case nor colon, so the two never meet)."""


def _unit_keys(exams: pd.DataFrame) -> np.ndarray:
    """Each exam's unit as a kind key (``unit:IMAGERIE PEDIATRIQUE``), learned like a description:
    a paediatric imaging or neonatal unit is a kind done on children."""
    if "unit" not in exams:
        return np.full(len(exams), None)
    keys = description_keys(exams["unit"])
    return np.where(pd.notna(keys), UNIT_KEY_PREFIX + keys.astype(str), None).astype(object)


def kind_counts(exams: pd.DataFrame, status: np.ndarray, target: np.ndarray, born: pd.Series) -> pd.DataFrame:
    """The summary of :func:`paediatric_kinds`: linked exams per description, patient and childhood.

    Rows of parts of ``exams`` (``status``/``target`` their exam→patient links, ``born``
    :func:`registry_births`) summed by ``(key, patient, child)`` give the whole table's counts.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> exams = pd.DataFrame({"study_datetime": pd.to_datetime(["2024-03-02"]), "study_description": ["Echo"]})
    >>> born = pd.Series(pd.to_datetime(["2024-03-01"]), index=["C1"])
    >>> kind_counts(exams, np.array(["linked"]), np.array(["C1"], dtype=object), born).values.tolist()
    [['ECHO', 'C1', True, 1]]
    """
    _, age = _linked_ages(exams, status, target, born)
    linked = status == "linked"
    return pd.concat([_counts(_keys(exams)[linked], age[linked], target[linked]),
                      _counts(_unit_keys(exams)[linked], age[linked], target[linked])], ignore_index=True)


def kind_totals(counts: pd.DataFrame) -> pd.DataFrame:
    """Per description: ``exams``, ``child_exams`` and ``children`` (distinct) of :func:`kind_counts` rows.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"key": ["A", "A"], "patient": ["p", "q"], "child": [True, False], "exams": [2, 1]})
    >>> kind_totals(c).values.tolist()
    [[3, 2, 1]]
    """
    c = counts.groupby(["key", "patient", "child"], sort=False)["exams"].sum().reset_index()
    c["child_exams"] = np.where(c["child"].to_numpy(dtype=bool), c["exams"].to_numpy(), 0)
    c["children"] = c["child"].to_numpy(dtype=bool).astype(np.int64)
    return c.groupby("key", sort=True)[["exams", "child_exams", "children"]].sum()


def kinds_from_totals(totals: pd.DataFrame) -> set:
    """The decision of :func:`paediatric_kinds`, on :func:`kind_totals` (indexed by description).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"exams": [6, 9], "child_exams": [6, 3], "children": [6, 3]}, index=["HIP", "THORAX"])
    >>> kinds_from_totals(t)
    {'HIP'}
    """
    if not len(totals):
        return set()
    share = totals["child_exams"].to_numpy(dtype=np.float64) / totals["exams"].to_numpy(dtype=np.float64)
    keep = (share >= PAEDIATRIC_SHARE) & (totals["children"].to_numpy() >= MIN_KIND_PATIENTS)
    return set(totals.index[keep].tolist())


def _family_of_header(names: np.ndarray) -> np.ndarray:
    family = pd.Series(names, dtype=object).str.split("^", n=1).str[0]
    return normalize_name(family.astype(object)).to_numpy(dtype=object)


NEWBORN_NAME_WORDS: frozenset[str] = frozenset({"BB", "FILS", "FILLE"})
"""Words of a newborn's provisional name that are no name ("BB^MARTIN", "FILS MARTIN") beyond
:data:`~radlink.linkage.exam_context.PLACEHOLDER_NAME_WORDS`, which holds the others ("BEBE",
"NOUVEAU", "NE", "NEE", "NN", "ENFANT": "BEBE DE^MARTIN", "MARTIN^BEBE"); read with it."""

MOTHER_NAME_JOINERS: frozenset[str] = frozenset({"DE", "D", "DU", "DES"})
"""Words that join a newborn's provisional name to the mother's ("BEBE DE^MARTIN", "BEBE D'DURAND"); narrower
than the general name particles (:data:`radlink.linkage.normalize.PARTICLES`), which would strip "LE"
from "BEBE LE GALL"."""


def header_family_keys(names) -> pd.DataFrame:
    """``(position, key)``: the family keys a header's name gives, a provisional name's read through.

    The key of the name's first component (before ``^``) as always and, for a name with
    placeholder words (:data:`NEWBORN_NAME_WORDS`,
    :data:`~radlink.linkage.exam_context.PLACEHOLDER_NAME_WORDS`), the key of each component
    (or of the whole name, without ``^``) once those words and the particles that lead what
    remains (:data:`MOTHER_NAME_JOINERS`) are taken away.
    Read only for the few exams the step flags (one Python pass over their distinct names).

    Examples
    --------
    >>> header_family_keys(["BEBE DE^BERTRAND", "LEBLANC^BEBE", "BEBE D'DURAND", "ROUX^BB", None]).values.tolist()
    [[0, 'BEBEDE'], [0, 'BERTRAND'], [1, 'LEBLANC'], [2, 'BEBEDDURAND'], [2, 'DURAND'], [3, 'ROUX']]
    """
    from radlink.linkage.exam_context import PLACEHOLDER_NAME_WORDS

    values = pd.Series(np.asarray(names, dtype=object), dtype=object)
    first = pd.DataFrame({"position": np.arange(len(values)), "key": _family_of_header(values.to_numpy(dtype=object))})
    codes, uniques = pd.factorize(values)
    placeholder = NEWBORN_NAME_WORDS | PLACEHOLDER_NAME_WORDS
    keys: list[tuple[int, str]] = []
    plain = strip_accents(pd.Series(np.asarray(uniques, dtype=object), dtype=object).str.upper())
    for code, name in enumerate(plain.to_numpy(dtype=object)):
        parts = [part.replace("'", " ").replace("-", " ").split() for part in str(name).split("^")]
        if not any(w in placeholder for words in parts for w in words):
            continue
        for words in parts:
            kept = [w for w in words if w not in placeholder]
            while kept and kept[0] in MOTHER_NAME_JOINERS:
                kept = kept[1:]
            if kept:
                keys.append((code, "".join(kept)))
    extra = pd.DataFrame(keys, columns=["code", "key"])
    rows = pd.DataFrame({"position": np.arange(len(values)), "code": codes}).merge(extra, on="code")
    rows["key"] = normalize_name(rows["key"].astype(object)).to_numpy(dtype=object)
    out = pd.concat([first, rows[["position", "key"]]], ignore_index=True).dropna()
    out = out[out["key"] != ""].drop_duplicates()
    return out.sort_values("position", kind="stable").reset_index(drop=True)


def resolve_child_exams(exams: pd.DataFrame, exam_patient: pd.DataFrame, patients: pd.DataFrame,
                        stays: pd.DataFrame | None = None, *, kinds: set | None = None) -> pd.DataFrame:
    """Exam → patient links with the children's exams given to an adult revised (module's docstring).

    Parameters
    ----------
    exams : pandas.DataFrame
        Canonical exams (``exam_id``, ``patient_id``, ``patient_name``, ``birth_date``,
        ``study_datetime``, ``study_description``).
    exam_patient : pandas.DataFrame
        Exam → patient links in the row order of ``exams``; a ``reattached`` column is kept
        up to date when present.
    patients : pandas.DataFrame
        The registry (``patient_id``, ``family_name``, ``usage_name``, ``birth_date``).
    stays : pandas.DataFrame, optional
        Canonical stays (``patient_id``, ``start_datetime``, ``end_datetime``).
    kinds : set, optional
        The paediatric descriptions (:func:`kinds_from_totals`); by default learned from ``exams``.
        Given, ``exams`` may be a part of the table: the exams to decide, with every exam
        linked to their families' children on their days (the Spark engine's driver).

    Returns
    -------
    pandas.DataFrame
        ``exam_patient`` with the revised rows replaced (a copy when any is).

    Examples
    --------
    >>> import pandas as pd
    >>> patients = pd.DataFrame({"patient_id": ["M1", "C1"], "family_name": ["Roux", "Roux"],
    ...     "usage_name": [None, None], "birth_date": pd.to_datetime(["1990-02-03", "2024-03-01"])})
    >>> exams = pd.DataFrame({"exam_id": ["E1"], "patient_id": ["M1"], "patient_name": ["ROUX^BB"],
    ...     "birth_date": pd.to_datetime(["2024-03-01"]), "study_datetime": pd.to_datetime(["2024-03-02 10:00"]),
    ...     "study_description": ["ECHO HANCHES"]})
    >>> links = pd.DataFrame({"source_type": ["exam"], "source_id": ["E1"], "target_type": ["patient"],
    ...     "target_id": ["M1"], "status": ["linked"], "score": [0.99], "method": ["ipp"], "evidence": ["{}"]})
    >>> resolve_child_exams(exams, links, patients)[["target_id", "method"]].values.tolist()
    [['C1', 'child_identity']]
    """
    n = len(exams)
    status = exam_patient["status"].to_numpy(dtype=object)
    target = exam_patient["target_id"].to_numpy(dtype=object)
    if not n or not len(patients):
        return exam_patient
    born = registry_births(patients)
    if kinds is None:
        kinds = kinds_from_totals(kind_totals(kind_counts(exams, status, target, born)))
    age, paediatric, header = child_exam_flags(exams, status, target, born, kinds)
    flagged = np.flatnonzero(paediatric | header)
    if not len(flagged):
        return exam_patient
    study = _datetimes(exams["study_datetime"])
    found = _children(exams, flagged, target, study, patients, born, stays, status)
    return _revise(exam_patient, exams, flagged, found, age, paediatric, header)


def child_exam_flags(exams: pd.DataFrame, status: np.ndarray, target: np.ndarray, born: pd.Series,
                     kinds: set) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(age, paediatric, newborn_header)`` of each exam, read from its own row (module's docstring).

    ``age`` is the linked patient's age at the exam (NaN when not linked); an exam is looked at
    when either flag is set. ``born`` is :func:`registry_births`, ``kinds`` :func:`kinds_from_totals`.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> exams = pd.DataFrame({"birth_date": pd.to_datetime(["2024-03-01"]),
    ...     "study_datetime": pd.to_datetime(["2024-03-02"]), "study_description": ["THORAX"]})
    >>> born = pd.Series(pd.to_datetime(["1990-02-03"]), index=["M1"])
    >>> age, paediatric, header = child_exam_flags(exams, np.array(["linked"]), np.array(["M1"], dtype=object),
    ...                                            born, set())
    >>> bool(paediatric[0]), bool(header[0])
    (False, True)
    """
    n = len(exams)
    study, age = _linked_ages(exams, status, target, born)
    keys, units = _keys(exams), _unit_keys(exams)
    header_birth = _datetimes(exams["birth_date"])
    header_age = _ages(study, header_birth)
    adult = (status == "linked") & (age >= ADULT_YEARS)
    paediatric = adult & ((pd.Series(keys, dtype=object).isin(kinds) | pd.Series(units, dtype=object).isin(kinds)
                           ).to_numpy() if kinds else np.zeros(n, bool))
    child_header = adult & _aged_under(header_age, NEWBORN_YEARS)
    if child_header.any():  # a typo in the year of the patient's own birth date is no newborn
        rows = np.flatnonzero(child_header)
        own = pd.DatetimeIndex(born.reindex(target[rows]).to_numpy(dtype="datetime64[ns]"))
        head = pd.DatetimeIndex(header_birth[rows])
        child_header[rows] = ~((own.month == head.month) & (own.day == head.day))
    # an exam left unlinked whose header is a newborn's: the family's child born that day, if one
    newborn = (status == "unlinked") & _aged_under(header_age, NEWBORN_YEARS)
    return age, paediatric, child_header | newborn


def family_children(exams: pd.DataFrame, flagged: np.ndarray, target: np.ndarray, patients: pd.DataFrame,
                    born: pd.Series) -> pd.DataFrame:
    """``(exam_row, patient_id)``: the registry's children of each flagged exam's family at the exam.

    A family is the header's family name and the linked patient's (``target``) birth and usage
    names; a child was born at most a day after the exam and is younger than :data:`CHILD_YEARS`.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> patients = pd.DataFrame({"patient_id": ["M1", "C1"], "family_name": ["Roux", "Roux"],
    ...     "birth_date": pd.to_datetime(["1990-02-03", "2024-03-01"])})
    >>> exams = pd.DataFrame({"patient_name": ["ROUX^BB"], "study_datetime": pd.to_datetime(["2024-03-02"])})
    >>> family_children(exams, np.array([0]), np.array(["M1"], dtype=object), patients,
    ...                 registry_births(patients)).values.tolist()
    [[0, 'C1']]
    """
    study = _datetimes(exams["study_datetime"])
    reg_keys = []
    for col in ("family_name", "usage_name"):
        if col in patients:
            reg_keys.append(pd.DataFrame({"patient_id": patients["patient_id"].to_numpy(dtype=object),
                                          "key": normalize_name(patients[col].astype(object)).to_numpy(dtype=object)}))
    if not reg_keys:
        return pd.DataFrame({"exam_row": np.zeros(0, np.int64), "patient_id": pd.Series([], dtype=object)})
    reg = pd.concat(reg_keys, ignore_index=True).dropna().drop_duplicates()
    # the exam's family keys: its header's, and the linked adult's birth and usage names
    header = header_family_keys(exams["patient_name"].to_numpy(dtype=object)[flagged])
    header = pd.DataFrame({"exam_row": flagged[header["position"].to_numpy(dtype=np.int64)],
                           "key": header["key"].to_numpy(dtype=object)})
    adult_keys = pd.DataFrame({"exam_row": flagged, "patient_id": target[flagged]}).merge(reg, on="patient_id")
    fam = pd.concat([header, adult_keys[["exam_row", "key"]]], ignore_index=True).dropna().drop_duplicates()
    cand = fam.merge(reg, on="key")[["exam_row", "patient_id"]].drop_duplicates()
    row = cand["exam_row"].to_numpy(dtype=np.int64)
    child_age = _ages(study[row], born.reindex(cand["patient_id"].to_numpy(dtype=object)).to_numpy(
        dtype="datetime64[ns]"))
    cand = cand[_aged_under(child_age, CHILD_YEARS)].reset_index(drop=True)
    return pd.concat([cand, _born_that_day(exams, flagged, study, born, cand)], ignore_index=True)


def _born_that_day(exams: pd.DataFrame, flagged: np.ndarray, study: np.ndarray, born: pd.Series,
                   found: pd.DataFrame) -> pd.DataFrame:
    """``(exam_row, patient_id)``: for a flagged exam whose header is a newborn's (born under
    :data:`NEWBORN_YEARS` before it) and whose family names found no child (a provisional
    name written with the mother's birth name, the child registered under the father's), the
    registry's patients born on the header's birth date: the birth date then supports each, and
    only one of them is taken (:func:`_revise`)."""
    empty = pd.DataFrame({"exam_row": np.zeros(0, np.int64), "patient_id": pd.Series([], dtype=object)})
    if "birth_date" not in exams:
        return empty
    rows = flagged[~np.isin(flagged, found["exam_row"].to_numpy(dtype=np.int64))]
    header_birth = _datetimes(exams["birth_date"])[rows]
    newborn = _aged_under(_ages(study[rows], header_birth), NEWBORN_YEARS)
    rows, header_birth = rows[newborn], header_birth[newborn]
    if not len(rows) or not len(born):
        return empty
    registry = pd.DataFrame({"patient_id": born.index.to_numpy(dtype=object),
                             "day": born.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")})
    wanted = pd.DataFrame({"exam_row": rows, "day": header_birth.astype("datetime64[D]")})
    return wanted.merge(registry.dropna(), on="day")[["exam_row", "patient_id"]]


def _children(exams: pd.DataFrame, flagged: np.ndarray, target: np.ndarray, study: np.ndarray,
              patients: pd.DataFrame, born: pd.Series, stays: pd.DataFrame | None,
              status: np.ndarray) -> pd.DataFrame:
    """``(exam_row, patient_id, supported)``: the children of each flagged exam's family."""
    cand = family_children(exams, flagged, target, patients, born)
    if not len(cand):
        return cand.assign(supported=np.zeros(0, dtype=bool), birth=np.zeros(0, dtype=bool))
    row = cand["exam_row"].to_numpy(dtype=np.int64)
    pid = cand["patient_id"].to_numpy(dtype=object)
    when = study[row]
    # the header's birth date is the child's
    header_birth = _datetimes(exams["birth_date"])[row].astype("datetime64[D]")
    birth = header_birth == born.reindex(pid).to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    supported = birth.copy()
    # a stay of the child holds the exam's time
    if stays is not None and len(stays) and "patient_id" in stays:
        st = pd.DataFrame({"patient_id": stays["patient_id"].to_numpy(dtype=object),
                           "start": _datetimes(stays["start_datetime"]), "end": _datetimes(stays["end_datetime"])})
        pairs = pd.DataFrame({"pos": np.arange(len(cand)), "patient_id": pid, "when": when}).merge(st, on="patient_id")
        margin = np.timedelta64(int(STAY_HOURS * 3600), "s")
        start = pairs["start"].to_numpy(dtype="datetime64[ns]")
        end = pairs["end"].to_numpy(dtype="datetime64[ns]")
        end = np.where(np.isnat(end), start, end)
        t = pairs["when"].to_numpy(dtype="datetime64[ns]")
        holds = (t >= start - margin) & (t <= end + margin)
        supported[pairs["pos"].to_numpy(dtype=np.int64)[holds]] = True
    # another exam of the same day already linked to the child
    day = study.astype("datetime64[D]")
    other = status == "linked"
    mine = pd.DataFrame({"patient_id": target[other], "day": day[other]}).drop_duplicates()
    hit = pd.DataFrame({"pos": np.arange(len(cand)), "patient_id": pid, "day": day[row]}).merge(
        mine, on=["patient_id", "day"])
    supported[hit["pos"].to_numpy(dtype=np.int64)] = True
    return cand.assign(supported=supported, birth=birth)


def _revise(exam_patient: pd.DataFrame, exams: pd.DataFrame, flagged: np.ndarray, found: pd.DataFrame,
            age: np.ndarray, paediatric: np.ndarray, child_header: np.ndarray) -> pd.DataFrame:
    """Re-attach each flagged exam to its one supported child, else leave it unlinked with the reason."""
    n = len(exam_patient)
    # the one child born on the header's birth date (a newborn's provisional registration
    # carries it), else the one child supported at all
    by_birth = found[found["birth"]]
    n_birth = by_birth.groupby("exam_row").size()
    one_birth = n_birth.index[n_birth.to_numpy() == 1]
    sup = found[found["supported"] & ~found["exam_row"].isin(one_birth)]
    sup = pd.concat([by_birth[by_birth["exam_row"].isin(one_birth)], sup])
    n_sup = sup.groupby("exam_row").size()
    one = n_sup.index[n_sup.to_numpy() == 1].to_numpy(dtype=np.int64)
    child_of = sup.drop_duplicates("exam_row").set_index("exam_row")["patient_id"]
    found_ids = found.sort_values(["exam_row", "patient_id"]).groupby("exam_row")["patient_id"].agg(tuple)
    reasons = np.where(paediatric[flagged] & child_header[flagged], "paediatric_kind;newborn_birth_date",
                       np.where(paediatric[flagged], "paediatric_kind", "newborn_birth_date")).astype(object)
    is_one = np.isin(flagged, one)
    # an unlinked newborn's exam without its one child stays as the identity steps left it
    keep = (exam_patient["status"].to_numpy(dtype=object)[flagged] != "linked") & ~is_one
    flagged, reasons, is_one = flagged[~keep], reasons[~keep], is_one[~keep]
    if not len(flagged):
        return exam_patient
    out = exam_patient.copy()
    status = out["status"].to_numpy(dtype=object).copy()
    target = out["target_id"].to_numpy(dtype=object).copy()
    score = out["score"].to_numpy(dtype=np.float64).copy()
    method = out["method"].to_numpy(dtype=object).copy()
    previous = target[flagged].copy()
    moved = flagged[is_one]
    stay = flagged[~is_one]
    target[moved] = child_of.reindex(moved).to_numpy(dtype=object)
    score[moved] = CHILD_SCORE
    method[moved], status[moved] = "child_identity", "linked"  # an unlinked newborn's exam too
    status[stay], target[stay], score[stay] = "unlinked", None, 0.0
    candidates = np.empty(len(stay), dtype=object)
    candidates[:] = list(found_ids.reindex(stay).map(lambda v: v if isinstance(v, tuple) else ()).to_numpy())
    blocks = [
        Evidence(moved, {"decision": "child_of_family", "evidence": reasons[is_one],
                         "adult_age_at_exam": np.round(age[moved], 1), "adult_patient": previous[is_one]}),
        Evidence(stay, {"decision": "child_exam_under_adult_identity", "evidence": reasons[~is_one],
                        "reason": "a child's exam linked to an adult; no single child of the family "
                                  "is supported by a stay, an exam that day or the birth date",
                        "candidates": candidates, "adult_age_at_exam": np.round(age[stay], 1),
                        "adult_patient": previous[~is_one]}),
    ]
    text = evidence_column(n, blocks)
    ev = out["evidence"].to_numpy(dtype=object).copy()
    ev[flagged] = text[flagged]
    for col, values in (("status", status), ("target_id", target), ("method", method), ("evidence", ev)):
        out[col] = pd.Series(values, index=out.index, dtype=object)
    out["score"] = score
    if "reattached" in out:
        carried = normalize_ipp(pd.Series(exams["patient_id"].to_numpy(dtype=object)[moved], dtype=object))
        flags = out["reattached"].to_numpy(dtype=bool).copy()
        flags[stay] = False
        flags[moved] = carried.notna().to_numpy() & (
            carried.to_numpy(dtype=object) != normalize_ipp(pd.Series(target[moved], dtype=object)).to_numpy(dtype=object))
        out["reattached"] = flags
    return out
