"""Exam → patient: which patient each exam (DICOM header) belongs to.

Deterministic high-precision rules first, then the probabilistic scorer on the rest:

1. **Rule** ``ipp_identity_agrees``: the exam's IPP is a registered patient and the
   DICOM identity agrees exactly with that patient (normalised family or usage name,
   given name, birth date). About three exams in four end here, without blocking.
2. **Confirmed IPP** (method ``fellegi_sunter``, evidence ``carried_ipp_confirmed``):
   the IPP's patient alone, scored by the model, is beyond doubt and no name or birth
   date flatly disagrees (a typo, the married name, swapped names on the right IPP).
3. **Search** (``fellegi_sunter``): every other exam is blocked against the registry
   (strict keys first: IPP, IPP variants, birth date + initial, phonetic names; loose
   keys — birth date alone, phonetic name + birth year — only for exams still without a
   good candidate), each candidate pair is compared (:data:`IDENTITY_COMPARISONS`) and
   scored by the shipped :class:`~radlink.models.FellegiSunterScorer`; the best
   candidate is ``linked`` above the threshold, ``ambiguous`` when the runner-up is
   within ``ambiguity_margin`` bits. An exam linked to another patient than the IPP it
   carried is *re-attached* (``"reattached": true`` in its evidence).

In the code, :func:`link_exams_to_patients` runs these as named steps on an
``_ExamLinks`` (the output columns being filled): ``_link_by_identity_rule`` (1),
``_confirm_carried_ipp`` (2), ``_search_candidates`` (candidate generation and scoring
of 3, strict then loose keys per chunk), ``_decide`` (the decision of 3, a pure
function of the scored pairs) and ``_links_frame`` (``reattached``, and the evidence
values serialised once by :mod:`radlink.linkage.evidence`).

The block-local kernel :func:`score_pairs` is pandas in, pandas out: it only needs the
candidate pairs with their ``_l`` (exam) and ``_r`` (patient) columns, so the same
function runs per partition on a process pool or Spark after a join on block keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from radlink.linkage.blocking import (
    SortedKeys,
    block_keys,
    candidate_pairs,
    ipp_variant_keys,
    sorted_keys,
)
from radlink.linkage.comparisons import (
    DateOfBirthAtThresholds,
    ExactMatch,
    IppAtThresholds,
    JaroWinklerAtThresholds,
    _cached_similarity,
)
from radlink.linkage.comparisons import _column as _column  # shared column cache
from radlink.linkage.comparisons import _similarity_on as _similarity_on
from radlink.linkage.evidence import Evidence, evidence_column
from radlink.linkage.frames import object_column, object_frame
from radlink.linkage.normalize import (
    drop_particles,
    normalize_ipp,
    normalize_name,
    parse_person_name,
    phonetic_key,
)
from radlink.linkage.presence import (
    candidate_posteriors,
    presence_formats,
    presence_priors,
    presence_summary,
)
from radlink.linkage.settings import LinkageSettings

__all__ = [
    "IDENTITY_COMPARISONS",
    "prepare_patients",
    "prepare_exams",
    "phonetics_of",
    "exam_patient_candidates",
    "score_pairs",
    "link_exams_to_patients",
]

IDENTITY_COMPARISONS = (
    JaroWinklerAtThresholds(
        "family", (0.94, 0.85),
        alternatives=(("family_alt_l", "family_r"), ("family_l", "usage_r"),
                      ("family_alt_l", "usage_r"), ("family_core_l", "family_core_r"),
                      ("family_l", "family_first_r"), ("family_l", "family_last_r")),
    ),
    JaroWinklerAtThresholds(
        "given", (0.94, 0.85),
        alternatives=(("given_l", "given_first_r"), ("given_l", "given_last_r")),
    ),
    DateOfBirthAtThresholds("birth_date"),
    ExactMatch("sex", null_values=("U", "O")),
    IppAtThresholds("ipp"),
)
"""The comparisons of an exam's DICOM identity with a registered patient, in order."""

TERM_FREQUENCY = (0,)  # the family-name comparison is term-frequency adjusted

_LEVEL_COLUMNS = [f"level_{c.name}" for c in IDENTITY_COMPARISONS]


def _name_parts(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """First and last word of compound names (``"Martin-Dupont"`` -> MARTIN, DUPONT); null otherwise.

    A compound name is sometimes written with one part only (``"Jean-Luc"`` -> ``"Luc"``).
    """
    words = normalize_name(values, keep_spaces=True)
    # split once per distinct name (a registry repeats its names), not once per row
    codes, uniques = pd.factorize(pd.Series(words.to_numpy(dtype=object), dtype=object))
    first = np.full(len(uniques) + 1, None, dtype=object)  # the last slot: null names
    last = np.full(len(uniques) + 1, None, dtype=object)
    for i, name in enumerate(uniques):
        if " " in name:
            parts = name.split(" ")
            first[i], last[i] = parts[0], parts[-1]
    return first[codes], last[codes]


def prepare_patients(patients: pd.DataFrame) -> pd.DataFrame:
    """Normalised identity columns of the patient registry (one row per patient).

    Returns columns ``patient_id``, ``family``, ``family_core``, ``usage``, ``given``,
    ``family_first``/``family_last``/``given_first``/``given_last`` (parts of compound
    names), ``birth_date``, ``sex``, ``ipp``, ``family_tf`` (frequency of the family name).
    """
    out = object_frame({"patient_id": patients["patient_id"].to_numpy(dtype=object)})
    out["family"] = object_column(normalize_name(patients["family_name"]).to_numpy(dtype=object), out.index)
    out["family_core"] = object_column(drop_particles(patients["family_name"]).to_numpy(dtype=object), out.index)
    usage = patients["usage_name"] if "usage_name" in patients else pd.Series([None] * len(patients))
    out["usage"] = object_column(normalize_name(usage).to_numpy(dtype=object), out.index)
    out["given"] = object_column(normalize_name(patients["given_name"]).to_numpy(dtype=object), out.index)
    for col, source in (("family", "family_name"), ("given", "given_name")):
        first, last = _name_parts(patients[source])
        out[f"{col}_first"] = object_column(first, out.index)
        out[f"{col}_last"] = object_column(last, out.index)
    out["birth_date"] = object_column(pd.to_datetime(patients["birth_date"]).to_numpy(), out.index)
    out["sex"] = object_column(patients["sex"].to_numpy(dtype=object), out.index)
    out["ipp"] = object_column(normalize_ipp(patients["patient_id"]).to_numpy(dtype=object), out.index)
    counts = out["family"].map(out["family"].value_counts())
    out["family_tf"] = object_column((counts / max(len(out), 1)).astype(np.float64), out.index)
    _add_phonetics(out, _PATIENT_NAME_COLUMNS)
    return out


def prepare_exams(exams: pd.DataFrame, *, known_phonetics: pd.Series | None = None) -> pd.DataFrame:
    """Normalised identity columns of the exams (DICOM PN parsed).

    Returns columns ``exam_id``, ``family``, ``family_alt``, ``family_core``, ``given``,
    ``birth_date``, ``sex``, ``ipp``, ``carried_patient_id``. ``known_phonetics``
    (:func:`phonetics_of`, e.g. of the prepared registry: an exam's names are mostly
    its patient's) gives the phonetic keys of names already keyed.
    """
    # Everything about the name is computed once per distinct DICOM PN.
    codes, uniques = pd.factorize(exams["patient_name"].astype(object))
    u = pd.Series(uniques, dtype=object)
    names = parse_person_name(u)
    per_name = object_frame({
        "family": names["family"].to_numpy(dtype=object),
        "family_alt": names["family_alt"].to_numpy(dtype=object),
        "family_core": drop_particles(u.str.split("^", n=1).str[0]).to_numpy(dtype=object),
        "given": names["given"].to_numpy(dtype=object),
    })
    _add_phonetics(per_name, ["family", "family_alt", "given"], known=known_phonetics)
    out = object_frame({"exam_id": exams["exam_id"].to_numpy(dtype=object)})
    missing = codes < 0
    for col in per_name.columns:
        values = per_name[col].to_numpy(dtype=object)
        taken = values[np.maximum(codes, 0)] if len(values) else np.full(len(codes), None, dtype=object)
        taken[missing] = None
        out[col] = object_column(taken, out.index)
    out["birth_date"] = object_column(pd.to_datetime(exams["birth_date"]).to_numpy(), out.index)
    out["sex"] = object_column(exams["sex"].to_numpy(dtype=object), out.index)
    out["ipp"] = object_column(normalize_ipp(exams["patient_id"]).to_numpy(dtype=object), out.index)
    out["carried_patient_id"] = object_column(exams["patient_id"].to_numpy(dtype=object), out.index)
    return out


_PATIENT_NAME_COLUMNS = ["family", "usage", "family_first", "family_last", "given", "given_first", "given_last"]


def _add_phonetics(df: pd.DataFrame, columns: list[str], known: pd.Series | None = None) -> None:
    """Add ``ph_<col>`` (phonetic key) and ``in_<col>`` (its initial) columns, in one pass.

    ``known`` maps names to their phonetic key (:func:`phonetics_of`): only the other
    names are keyed here (a key depends on its name alone).
    """
    stacked = pd.concat([df[c].astype(object) for c in columns], ignore_index=True)
    if known is None or not len(known):
        keys = phonetic_key(stacked).to_numpy(dtype=object)
    else:
        codes, uniques = pd.factorize(stacked)
        at = pd.Index(known.index, dtype=object).get_indexer(pd.Index(uniques, dtype=object))
        per_name = np.full(len(uniques) + 1, None, dtype=object)  # the last slot: null names
        per_name[:-1][at >= 0] = known.to_numpy(dtype=object)[at[at >= 0]]
        new = np.flatnonzero(at < 0)
        if len(new):
            per_name[new] = phonetic_key(pd.Series(np.asarray(uniques, dtype=object)[new],
                                                   dtype=object)).to_numpy(dtype=object)
        keys = per_name[codes]
    initials = _initial(pd.Series(keys, dtype=object)).to_numpy(dtype=object)
    n = len(df)
    for i, c in enumerate(columns):
        df[f"ph_{c}"] = object_column(keys[i * n:(i + 1) * n], df.index)
        df[f"in_{c}"] = object_column(initials[i * n:(i + 1) * n], df.index)


def phonetics_of(prepared: pd.DataFrame, columns: list[str] | None = None) -> pd.Series:
    """The phonetic key of every distinct name in ``columns`` of a prepared frame (indexed by name).

    Examples
    --------
    >>> import pandas as pd
    >>> pt = prepare_patients(pd.DataFrame({"patient_id": ["1"], "family_name": ["Gauthier"],
    ...     "given_name": ["Philippe"], "birth_date": ["1950-01-01"], "sex": ["M"]}))
    >>> phonetics_of(pt).to_dict()
    {'GAUTHIER': 'GT', 'PHILIPPE': 'FLP'}
    """
    columns = _PATIENT_NAME_COLUMNS if columns is None else columns
    names = np.concatenate([prepared[c].to_numpy(dtype=object) for c in columns])
    keys = np.concatenate([prepared[f"ph_{c}"].to_numpy(dtype=object) for c in columns])
    codes, uniques = pd.factorize(pd.Series(names, dtype=object))
    first = np.unique(codes[codes >= 0], return_index=True)[1]
    return pd.Series(keys[codes >= 0][first], index=pd.Index(np.asarray(uniques, dtype=object), dtype=object),
                     dtype=object)


_STRICT, _LOOSE, _LAST = "strict", "loose", "last_resort"


def _keys(df: pd.DataFrame, *, side: str, level: str) -> pd.DataFrame:
    """Blocking keys of prepared exams (``side="exam"``) or patients (``side="patient"``).

    ``strict`` keys (first pass, every unsettled exam), each small whatever the size of
    the registry: IPP, IPP variants, birth date (and on the exam side day/month
    swapped) with the initial of a family or given name, phonetic family + given keys
    with the birth year, or with the birth month and day (a typo in the date keeps one
    of them). ``loose`` keys (second pass, only for exams the first pass left without a
    good candidate): phonetic family + given, birth date alone, phonetic family or
    given key + birth year. ``last_resort`` keys (third pass, only for exams still
    without a good candidate, e.g. no birth date and a typo that changes a phonetic
    key): one name's phonetic key with the other name's initial — a second key per
    name that needs neither the birth date nor both phonetic keys. Like every key, one
    shared by more than ``max_block_size`` patients is dropped. Exam keys also read
    family and given swapped.
    """
    rows = np.arange(len(df))
    hashes: dict = {}  # each name, date or year column is hashed once for all its rules
    if side == "exam":
        families = ["family", "family_alt"]
        givens = ["given"]
        # a swapped PN puts the given name in the family slot and vice versa
        fam_slots = families + ["given"]
        giv_slots = givens + ["family"]
        dobs = [_dob_text(df["birth_date"]), _dob_text(df["birth_date"], swap=True)]
    else:
        families = ["family", "usage", "family_first", "family_last"]
        givens = ["given", "given_first", "given_last"]
        fam_slots, giv_slots = families, givens
        dobs = [_dob_text(df["birth_date"])]
    ph = {c: df[f"ph_{c}"] for c in set(fam_slots) | set(giv_slots)}
    initial = {c: df[f"in_{c}"] for c in set(fam_slots) | set(giv_slots)}
    frames = []
    bd = pd.DatetimeIndex(df["birth_date"])
    year = np.asarray(bd.year, dtype=np.float64)  # NaN when unknown
    monthday = np.asarray(bd.month, dtype=np.float64) * 100 + np.asarray(bd.day, dtype=np.float64)
    name_pairs = [(f, g) for f in families for g in givens]
    if side == "exam":
        name_pairs += [(g, f) for f in families for g in givens]  # read swapped too
    if level == _LAST:
        for f, g in name_pairs:
            frames.append(block_keys(rows, ph[f], initial[g], hashes=hashes, rule="family_given_initial"))
            frames.append(block_keys(rows, ph[g], initial[f], hashes=hashes, rule="given_family_initial"))
    elif level == _STRICT:
        frames.append(block_keys(rows, df["ipp"], hashes=hashes, rule="ipp"))
        frames.append(ipp_variant_keys(rows, df["ipp"]))
        for dob in dobs:
            for c in fam_slots:
                frames.append(block_keys(rows, dob, initial[c], hashes=hashes, rule="dob_family_initial"))
            for c in giv_slots:
                frames.append(block_keys(rows, dob, initial[c], hashes=hashes, rule="dob_given_initial"))
        for f, g in name_pairs:
            frames.append(block_keys(rows, ph[f], ph[g], year, hashes=hashes, rule="name_year"))
            frames.append(block_keys(rows, ph[f], ph[g], monthday, hashes=hashes, rule="name_monthday"))
    else:
        for f, g in name_pairs:
            frames.append(block_keys(rows, ph[f], ph[g], hashes=hashes, rule="name"))
        for dob in dobs:
            frames.append(block_keys(rows, dob, hashes=hashes, rule="dob"))
        for c in fam_slots:
            frames.append(block_keys(rows, ph[c], year, hashes=hashes, rule="family_year"))
        for c in giv_slots:
            frames.append(block_keys(rows, ph[c], year, hashes=hashes, rule="given_year"))
    return pd.concat(frames, ignore_index=True)


def _initial(values: pd.Series) -> pd.Series:
    """First character of each value (computed on the distinct values)."""
    codes, uniques = pd.factorize(values.astype(object))
    firsts = np.array([u[:1] for u in uniques] + [None], dtype=object)
    return pd.Series(firsts[codes], index=values.index, dtype=object)


def _dob_text(dates: pd.Series, *, swap: bool = False) -> np.ndarray:
    """Birth date as a number ``YYYYMMDD`` (NaN when unknown); ``swap``: ``YYYYDDMM``
    where day and month can be exchanged (day <= 12, day != month), else NaN."""
    idx = pd.DatetimeIndex(dates)
    y, m, d = (np.asarray(a, dtype=np.float64) for a in (idx.year, idx.month, idx.day))
    if swap:
        code = y * 10000 + d * 100 + m
        return np.where((d <= 12) & (d != m), code, np.nan)
    return y * 10000 + m * 100 + d


def patient_block_keys(patients: pd.DataFrame, level: str = _STRICT) -> pd.DataFrame:
    """Blocking keys of the prepared patient registry (reused across exam chunks)."""
    return _keys(patients, side="patient", level=level)


def exam_patient_candidates(
    exams: pd.DataFrame,
    patients: pd.DataFrame,
    *,
    level: str = _STRICT,
    max_block_size: int = 100,
    patient_keys: pd.DataFrame | SortedKeys | None = None,
) -> pd.DataFrame:
    """Candidate ``(exam row, patient row)`` pairs from the blocking rules of one pass.

    Parameters
    ----------
    exams, patients : pandas.DataFrame
        Outputs of :func:`prepare_exams` and :func:`prepare_patients`.
    level : {"strict", "loose"}
        Which pass (see :func:`_keys`).
    patient_keys : pandas.DataFrame or SortedKeys, optional
        Precomputed :func:`patient_block_keys` of the same level (sorted once by
        :func:`~radlink.linkage.blocking.sorted_keys` when blocking several chunks).

    Returns
    -------
    pandas.DataFrame
        ``source_row`` (exam position) and ``target_row`` (patient position).
    """
    if patient_keys is None:
        patient_keys = patient_block_keys(patients, level)
    return candidate_pairs(_keys(exams, side="exam", level=level), patient_keys,
                           max_block_size=max_block_size)


def _pair_frame(exams: pd.DataFrame, patients: pd.DataFrame, pairs: pd.DataFrame,
                cache: dict | None = None) -> pd.DataFrame:
    """Candidate pairs with exam columns suffixed ``_l`` and patient columns ``_r``.

    ``cache`` (a :func:`compare_pairs` cache) receives each text column with its non-null
    mask, taken from the smaller of the column and its pairs (a mask read once per exam
    or patient, not once per pair).
    """
    src = pairs["source_row"].to_numpy()
    tgt = pairs["target_row"].to_numpy()
    data = {}
    for frame, rows, columns, suffix in ((exams, src, _EXAM_PAIR_COLUMNS, "_l"),
                                         (patients, tgt, _PATIENT_PAIR_COLUMNS, "_r")):
        for c in columns:
            if c not in frame:
                continue
            values = frame[c].to_numpy()
            taken = data[c + suffix] = values[rows]
            if cache is not None and values.dtype == object:
                mask = pd.notna(values)[rows] if len(values) < len(rows) else pd.notna(taken)
                cache[c + suffix] = (taken, mask)
    return object_frame(data, copy=False)  # columns taken for these pairs alone


_KERNEL_KEYS = ("exam_id_l", "patient_id_r", "family_tf_r")

_EXAM_PAIR_COLUMNS = ("exam_id", "family", "family_alt", "family_core", "given", "birth_date", "sex", "ipp")
_PATIENT_PAIR_COLUMNS = ("patient_id", "family", "family_core", "usage", "given", "family_first",
                         "family_last", "given_first", "given_last", "birth_date", "sex", "ipp",
                         "family_tf")


def compare_pairs(pairs: pd.DataFrame, *, workers: int = 1, cache: dict | None = None) -> pd.DataFrame:
    """Block-local kernel, part 1: comparison levels of candidate exam–patient pairs.

    Pandas in, pandas out, no state: ``pairs`` holds the exam columns suffixed ``_l``
    and the patient columns suffixed ``_r`` (see :func:`prepare_exams`,
    :func:`prepare_patients`); the result, on the same index, holds the pair's keys
    (``exam_id_l``, ``patient_id_r``, ``family_tf_r`` when present), ``names_swapped``
    and one ``level_<name>`` column per comparison of :data:`IDENTITY_COMPARISONS`.

    Family and given names written in each other's place are detected per pair
    (the swapped reading must be clearly better) and compared swapped. ``cache`` may
    hold columns already read (``name -> (object array, non-null mask)``, as
    :func:`_pair_frame` gives them).
    """
    pairs = pairs.copy(deep=False)  # columns are replaced, never modified in place
    if len(pairs) == 0:
        out = {key: pairs[key].to_numpy() for key in _KERNEL_KEYS if key in pairs}
        out["names_swapped"] = np.zeros(0, dtype=bool)
        out.update({col: np.zeros(0, dtype=np.int8) for col in _LEVEL_COLUMNS})
        return pd.DataFrame(out, index=pairs.index)
    cache = {} if cache is None else cache

    def sim(a, b):  # kept in ``cache``: the comparisons' levels read the same similarities again
        return np.nan_to_num(_cached_similarity(pairs, a, b, workers, cache))

    straight = np.maximum(sim("family_l", "family_r"), sim("family_l", "usage_r")) + sim("given_l", "given_r")
    # A similarity is at most 1: the crossed reading reaches 1.8 only where the family
    # name against the given name reaches 0.8, so the given name against the family
    # names is read on those rows alone (cached NaN elsewhere, where it is never read).
    crossed = sim("family_l", "given_r")
    near = np.flatnonzero(crossed + 1.0 >= 1.8)
    for rcol in ("family_r", "usage_r"):
        if ("similarity", "given_l", rcol) not in cache and "given_l" in pairs and rcol in pairs:
            left, lmask = _column(pairs, "given_l", cache)
            right, rmask = _column(pairs, rcol, cache)
            full = np.full(len(pairs), np.nan)
            full[near] = _similarity_on(left[near], lmask[near], right[near], rmask[near], workers)
            cache[("similarity", "given_l", rcol)] = full
    crossed = crossed.copy()
    crossed[near] += np.maximum(sim("given_l", "family_r")[near], sim("given_l", "usage_r")[near])
    swapped = (crossed >= 1.8) & (crossed > straight + 0.1)
    if swapped.any():
        fam = pairs["family_l"].to_numpy(dtype=object).copy()
        giv = pairs["given_l"].to_numpy(dtype=object).copy()
        core = pairs["family_core_l"].to_numpy(dtype=object).copy()
        core[swapped] = giv[swapped]
        pairs["family_core_l"] = object_column(core, pairs.index)
        pairs["family_l"] = object_column(np.where(swapped, giv, fam), pairs.index)
        pairs["given_l"] = object_column(np.where(swapped, fam, giv), pairs.index)
        for col in ("family_l", "given_l", "family_core_l"):
            cache.pop(col, None)
        # The similarities of the swapped reading were all computed above: rows swapped take them.
        similarity = {key: cache.pop(("similarity", *key)) for key in (
            ("family_l", "family_r"), ("family_l", "usage_r"), ("given_l", "given_r"),
            ("family_l", "given_r"), ("given_l", "family_r"), ("given_l", "usage_r")) if ("similarity", *key) in cache}
        for key, crossed_key in ((("family_l", "family_r"), ("given_l", "family_r")),
                                 (("family_l", "usage_r"), ("given_l", "usage_r")),
                                 (("given_l", "given_r"), ("family_l", "given_r"))):
            if key in similarity and crossed_key in similarity:
                cache[("similarity", *key)] = np.where(swapped, similarity[crossed_key], similarity[key])
    pairs["names_swapped"] = swapped
    out = {key: pairs[key].to_numpy() for key in _KERNEL_KEYS if key in pairs}
    out["names_swapped"] = swapped
    out.update({col: comp.levels(pairs, workers=workers, cache=cache)
                for comp, col in zip(IDENTITY_COMPARISONS, _LEVEL_COLUMNS, strict=True)})
    return object_frame(out, index=pairs.index)


def score_pairs(pairs: pd.DataFrame, scorer, *, workers: int = 1, cache: dict | None = None) -> pd.DataFrame:
    """Block-local kernel: :func:`compare_pairs`, then ``match_weight`` and ``match_probability``.

    Pandas in, pandas out; the same function runs per partition on Spark.
    """
    pairs = compare_pairs(pairs, workers=workers, cache=cache)
    X = features(pairs)
    weight = scorer.match_weight(X) if len(pairs) else np.zeros(0)
    pairs["match_weight"] = weight
    pairs["match_probability"] = _probability(scorer, X, weight) if len(pairs) else np.zeros(0)
    return pairs


def _probability(scorer, X: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``scorer.predict_proba(X)[:, 1]`` from the match weights already computed (when the scorer
    derives one from the other, :meth:`~radlink.models.FellegiSunterScorer.probability_of_weight`)."""
    of_weight = getattr(scorer, "probability_of_weight", None)
    return of_weight(weight) if of_weight is not None else scorer.predict_proba(X)[:, 1]


def features(pairs: pd.DataFrame) -> np.ndarray:
    """The scorer's input matrix of scored pairs (levels then term frequency)."""
    X = pairs[_LEVEL_COLUMNS].to_numpy(dtype=np.float64)
    tf = np.where(X[:, 0] == 0, pairs["family_tf_r"].to_numpy(dtype=np.float64), np.nan)
    return np.column_stack([X, tf])


def new_scorer(**params):
    """An unfitted :class:`~radlink.models.FellegiSunterScorer` shaped for these comparisons."""
    from radlink.models import FellegiSunterScorer

    return FellegiSunterScorer(
        n_levels=tuple(c.n_levels for c in IDENTITY_COMPARISONS),
        term_frequency=TERM_FREQUENCY,
        comparison_names=tuple(c.name for c in IDENTITY_COMPARISONS),
        **params,
    )


def random_pair_levels(ex: pd.DataFrame, pt: pd.DataFrame, *, n_pairs: int = 200_000,
                       seed: int = 0, workers: int = 1) -> np.ndarray:
    """u probabilities from random exam–patient pairs (almost all non-matches).

    This is splink's ``estimate_u_using_random_sampling``: the share of each level
    among random pairs estimates P(level | non-match) without any label.

    Returns
    -------
    ndarray of shape (n_comparisons, max_levels)
    """
    source, target = _random_pairs(len(ex), len(pt), n_pairs=n_pairs, seed=seed)
    return _u_of_pairs(ex, pt, pd.DataFrame({"source_row": source, "target_row": target}), workers=workers)


def _random_pairs(n_exams: int, n_patients: int, *, n_pairs: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Exam and patient positions of :func:`random_pair_levels`' random pairs (the Spark engine draws the same)."""
    rng = np.random.default_rng(seed)
    n = min(n_pairs, max(n_exams * n_patients, 1))
    return rng.integers(0, n_exams, n), rng.integers(0, n_patients, n)


def _u_of_pairs(ex: pd.DataFrame, pt: pd.DataFrame, pairs: pd.DataFrame, *, workers: int) -> np.ndarray:
    """Share of each comparison level among ``pairs`` (source_row, target_row), add-one smoothed."""
    cache: dict = {}
    compared = compare_pairs(_pair_frame(ex, pt, pairs, cache), workers=workers, cache=cache)
    width = max(c.n_levels for c in IDENTITY_COMPARISONS)
    u = np.zeros((len(IDENTITY_COMPARISONS), width))
    for j, (comp, col) in enumerate(zip(IDENTITY_COMPARISONS, _LEVEL_COLUMNS, strict=True)):
        lv = compared[col].to_numpy()
        lv = lv[lv >= 0]
        counts = np.bincount(lv, minlength=comp.n_levels)[: comp.n_levels].astype(np.float64) + 1.0
        u[j, : comp.n_levels] = counts / counts.sum()
    return u


def estimate_scorer(exams: pd.DataFrame, patients: pd.DataFrame, *, n_random: int = 200_000,
                    seed: int = 0, workers: int = 1, max_iter: int = 100):
    """Estimate the exam→patient scorer on unlabelled data (no truth needed), as splink trains.

    1. u from random pairs (:func:`random_pair_levels`);
    2. EM session blocked on the exact IPP: m of the name, birth-date and sex levels
       (the IPP comparison, constant inside the block, is left out);
    3. EM session blocked on the exact birth date: m of the IPP levels (the birth-date
       comparison left out);
    4. lambda, P(match) among all candidate pairs, by EM with m and u fixed.

    Parameters
    ----------
    exams, patients : pandas.DataFrame
        Canonical tables.

    Returns
    -------
    FellegiSunterScorer
        Fitted.
    """
    ex = prepare_exams(exams)
    pt = prepare_patients(patients)
    u = random_pair_levels(ex, pt, n_pairs=n_random, seed=seed, workers=workers)
    pairs = exam_patient_candidates(ex, pt)
    compared = compare_pairs(_pair_frame(ex, pt, pairs), workers=workers)
    return fit_sessions(features(compared), u, max_iter=max_iter)


def fit_sessions(X: np.ndarray, u: np.ndarray, *, max_iter: int = 100, prior=None,
                 prior_weight: float = 0.0):
    """m by two EM sessions (blocked on IPP, then on birth date), then lambda; u fixed.

    Parameters
    ----------
    X : ndarray
        :func:`features` of the candidate pairs.
    u : ndarray
        From :func:`random_pair_levels`.
    prior : FellegiSunterScorer, optional
        A fitted scorer (the shipped one) whose m each session starts from and, with
        ``prior_weight`` > 0, is pulled towards (a Dirichlet prior worth that many
        matched pairs).

    Returns
    -------
    FellegiSunterScorer
        Fitted; its ``converged_`` is False when any of the three EM runs stopped at
        ``max_iter``.
    """
    names = [c.name for c in IDENTITY_COMPARISONS]
    i_ipp, i_dob = names.index("ipp"), names.index("birth_date")
    start = {} if prior is None else {"m_start": np.asarray(prior.m_).tolist(), "m_prior_weight": prior_weight}
    x1 = X[X[:, i_ipp] == 0].copy()
    x1[:, i_ipp] = -1
    s1 = new_scorer(u_probabilities=u.tolist(), max_iter=max_iter, prior=0.9, **start).fit(x1)
    x2 = X[X[:, i_dob] == 0].copy()
    x2[:, i_dob] = -1
    s2 = new_scorer(u_probabilities=u.tolist(), max_iter=max_iter, prior=0.5, **start).fit(x2)
    m = s1.m_.copy()
    m[i_ipp] = s2.m_[i_ipp]
    scorer = new_scorer(u_probabilities=u.tolist(), m_probabilities=m.tolist(), max_iter=max_iter).fit(X)
    scorer.converged_ = bool(s1.converged_ and s2.converged_ and scorer.converged_)
    return scorer


def _level_evidence(scored: pd.DataFrame) -> dict[str, np.ndarray]:
    """The name of each comparison's level (``"null"`` when missing), one column per comparison."""
    out = {}
    for comp, col in zip(IDENTITY_COMPARISONS, _LEVEL_COLUMNS, strict=True):
        names = np.array(comp.level_names + ["null"], dtype=object)
        out[comp.name] = names[scored[col].to_numpy()]
    return out


def _rule_matches(ex: pd.DataFrame, pt: pd.DataFrame) -> np.ndarray:
    """Exams whose IPP patient agrees exactly on name, given name and birth date."""
    def eq(a, b):
        a = a.to_numpy(dtype=object)
        b = b.to_numpy(dtype=object)
        return pd.notna(a) & (a == b)

    fam = (eq(ex["family"], pt["family"]) | eq(ex["family_alt"], pt["family"])
           | eq(ex["family"], pt["usage"]) | eq(ex["family_alt"], pt["usage"]))
    giv = eq(ex["given"], pt["given"])
    dob = (pd.notna(ex["birth_date"]).to_numpy()
           & (ex["birth_date"].to_numpy() == pt["birth_date"].to_numpy()))
    return fam & giv & dob


def _chunks(n: int, size: int) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` of consecutive chunks of ``size`` positions among ``n``."""
    for start in range(0, n, max(size, 1)):
        yield start, min(n, start + max(size, 1))


@dataclass
class _ExamLinks:
    """The exam → patient links being decided: one slot per exam, filled step by step."""

    target: np.ndarray
    status: np.ndarray
    score: np.ndarray
    method: np.ndarray
    evidence: list[Evidence]

    @classmethod
    def unlinked(cls, n: int) -> _ExamLinks:
        """``n`` exams, none decided yet (unlinked, method ``fellegi_sunter``)."""
        return cls(target=np.full(n, None, dtype=object), status=np.full(n, "unlinked", dtype=object),
                   score=np.zeros(n, dtype=np.float64), method=np.full(n, "fellegi_sunter", dtype=object),
                   evidence=[])

    def settle(self, rows: np.ndarray, *, status: str | np.ndarray, score: float | np.ndarray,
               evidence: dict[str, object], target: np.ndarray | None = None, method: str | None = None) -> None:
        """Record the decision about the exams at ``rows`` (``None`` leaves a column as it is)."""
        self.status[rows] = status
        self.score[rows] = score
        if target is not None:
            self.target[rows] = target
        if method is not None:
            self.method[rows] = method
        self.evidence.append(Evidence(rows, evidence))


@dataclass(frozen=True)
class _Decisions:
    """What the search decided for each exam that had candidates (aligned arrays)."""

    rows: np.ndarray
    status: np.ndarray
    target: np.ndarray
    score: np.ndarray
    evidence: dict[str, np.ndarray]


class _PatientKeys:
    """Blocking keys of the registry for each pass, computed and sorted once, when first needed
    (every chunk of exams is blocked against the same sorted keys)."""

    def __init__(self, patients: pd.DataFrame) -> None:
        self._patients = patients
        self._keys: dict[str, SortedKeys] = {}

    def __getitem__(self, level: str) -> SortedKeys:
        if level not in self._keys:
            self._keys[level] = sorted_keys(patient_block_keys(self._patients, level))
        return self._keys[level]


def link_exams_to_patients(
    exams: pd.DataFrame,
    patients: pd.DataFrame,
    *,
    settings: LinkageSettings | None = None,
    scorer=None,
    progress: Callable[[int], object] | None = None,
    fitted: dict | None = None,
) -> pd.DataFrame:
    """One ``links`` row per exam with ``target_type == "patient"``.

    The steps, in order: :func:`_link_by_identity_rule`, :func:`_confirm_carried_ipp`,
    then for the other exams :func:`_search_candidates` (blocking and scoring),
    :func:`_decide`, and :func:`_links_frame` (the ``reattached`` flag, the evidence text).

    Parameters
    ----------
    exams, patients : pandas.DataFrame
        Canonical (validated) tables.
    settings : LinkageSettings, optional
    scorer : FellegiSunterScorer, optional
        Defaults to the shipped model (:func:`radlink.models.load_exam_patient_scorer`).
        It settles the exams whose IPP's patient agrees and proposes the candidates;
        the candidates are then re-scored by m/u re-estimated by EM on them, starting
        from (and pulled towards) this scorer, when ``settings.refit_em`` is True, or
        when it is None (the default) and at least ``settings.refit_em_min_exams``
        exams have candidates (:func:`_refit_decision`). When EM does not converge, or
        gives a model where some agreement is not evidence of a match, the candidates
        keep this scorer's scores.
    progress : callable, optional
        Called with the number of exams done, as they are done.
    fitted : dict, optional
        Receives ``exam_patient_model``: ``"refit"``, or why the given scorer was kept
        (``"refit_off"``, ``"too_few_exams"``, ``"no_candidates"``, ``"em_not_converged"``,
        ``"em_implausible"``).

    Returns
    -------
    pandas.DataFrame
        The ``links`` columns plus ``reattached`` (bool): the exam carried another
        patient's IPP, or an IPP of no registered patient, and was linked elsewhere.

    Examples
    --------
    >>> import pandas as pd
    >>> from radlink.tables import validate_table
    >>> patients = validate_table(pd.DataFrame({"patient_id": ["100001", "100002"],
    ...     "family_name": ["Dupont", "Martin"], "given_name": ["Anne", "Paul"],
    ...     "birth_date": ["1950-03-04", "1961-07-12"], "sex": ["F", "M"]}), "patients")
    >>> exams = validate_table(pd.DataFrame({"exam_id": ["E1", "E2"], "patient_id": ["100001", "100001"],
    ...     "patient_name": ["DUPONT^ANNE", "MARTIN^PAUL"], "birth_date": ["19500304", "19610712"],
    ...     "sex": ["F", "M"]}), "exams")
    >>> link_exams_to_patients(exams, patients)[["source_id", "target_id", "status", "method"]].values.tolist()
    [['E1', '100001', 'linked', 'ipp_identity_agrees'], ['E2', '100002', 'linked', 'fellegi_sunter']]
    """
    settings = settings or LinkageSettings()
    if scorer is None:
        from radlink.models import load_exam_patient_scorer

        scorer = load_exam_patient_scorer()
    pt = prepare_patients(patients)
    ex = prepare_exams(exams, known_phonetics=phonetics_of(pt))  # an exam's names are mostly its patient's
    links = _ExamLinks.unlinked(len(ex))
    carried_row = _carried_patient_rows(ex, pt)
    _mark_presence_format(ex, carried_row, pt["patient_id"].to_numpy(dtype=object))
    settled = _link_by_identity_rule(ex, pt, carried_row, scorer, links)
    unsettled_carried = ~np.isnan(carried_row) & ~settled
    settled |= _confirm_carried_ipp(ex, pt, carried_row, unsettled_carried, scorer, settings, links)
    if progress is not None:
        progress(int(settled.sum()))

    rest = np.flatnonzero(~settled)
    if len(rest):
        scored = _search_candidates(ex, pt, rest, scorer, settings, progress)
        refit = _refit_decision(scored, settings)
        if refit == "refit":
            scored, refit = _rescore_with_refit(scored, ex, pt, scorer, settings)
        priors = presence_priors(presence_summary(scored, ex["presence_format"].to_numpy(dtype=object)), len(pt))
        if fitted is not None:
            fitted["exam_patient_model"] = refit
            fitted["patient_presence"] = priors
        _settle_decisions(scored, rest, ex, pt["patient_id"].to_numpy(dtype=object), settings, links,
                          priors=priors)
    return _links_frame(ex, links)


def _settle_decisions(scored: pd.DataFrame, rest: np.ndarray, ex: pd.DataFrame, patient_ids: np.ndarray,
                      settings: LinkageSettings, links: _ExamLinks, *,
                      priors: dict[str, float] | None = None) -> None:
    """Decide the searched exams ``rest`` from their scored candidates; the ones with none are unlinked.

    ``priors`` (:func:`~radlink.linkage.presence.presence_priors`, per IPP format family):
    the candidates' probabilities leave room for a patient absent from the registry
    (:func:`~radlink.linkage.presence.candidate_posteriors`); ``None`` keeps the scorer's.
    """
    if priors is not None and len(scored):
        formats = pd.Series(ex["presence_format"].to_numpy(dtype=object), dtype=object)
        overall = float(np.mean(list(priors.values()))) if priors else 1.0
        per_exam = formats.map(priors).to_numpy(dtype=np.float64).copy()
        per_exam[formats.notna().to_numpy() & np.isnan(per_exam)] = overall
        source = scored["source_row"].to_numpy(dtype=np.int64)
        prior = per_exam[source]
        modelled = ~np.isnan(prior)  # an exam with a registered IPP keeps the scorer's probability
        probability = scored["match_probability"].to_numpy(dtype=np.float64).copy()
        absent = np.full(len(scored), np.nan)
        probability[modelled], absent[modelled] = candidate_posteriors(
            scored["match_weight"].to_numpy()[modelled], source[modelled], prior[modelled], len(patient_ids))
        scored = scored.assign(match_probability=probability, _absent=absent, _prior=prior)
    decided = _decide(scored, patient_ids=patient_ids,
                      carried_ids=ex["carried_patient_id"].to_numpy(dtype=object), settings=settings)
    links.settle(decided.rows, status=decided.status, score=decided.score, target=decided.target,
                 evidence=decided.evidence)
    has_candidate = np.zeros(len(ex), dtype=bool)
    has_candidate[decided.rows] = True
    none = rest[~has_candidate[rest]]
    if len(none):
        links.settle(none, status="unlinked", score=0.0, evidence={
            "decision": "no_candidate",
            "reason": "no patient shares an IPP, IPP variant, birth date or phonetic name key",
        })


def _mark_presence_format(ex: pd.DataFrame, carried_row: np.ndarray, registry_ids: np.ndarray) -> None:
    """Add ``presence_format``: the exam's IPP format family where the registry never issued it, else ``None``
    (:func:`~radlink.linkage.presence.presence_formats`)."""
    ex["presence_format"] = object_column(presence_formats(ex["carried_patient_id"].to_numpy(dtype=object),
                                                           ~np.isnan(carried_row), registry_ids), ex.index)


def _carried_patient_rows(ex: pd.DataFrame, pt: pd.DataFrame) -> np.ndarray:
    """Candidates from the IPP: the registry row of the one patient with each exam's IPP, else NaN."""
    ipp_to_row = pd.Series(np.arange(len(pt)), index=pt["ipp"].to_numpy(dtype=object))
    ipp_to_row = ipp_to_row[ipp_to_row.index.notna() & ~ipp_to_row.index.duplicated(keep=False)]
    # one hash lookup per exam (the index is unique): Series.map without its alignment machinery
    at = pd.Index(ipp_to_row.index, dtype=object).get_indexer(pd.Index(ex["ipp"].to_numpy(dtype=object), dtype=object))
    out = np.full(len(ex), np.nan)
    out[at >= 0] = ipp_to_row.to_numpy(dtype=np.float64)[at[at >= 0]]
    return out


def _link_by_identity_rule(ex: pd.DataFrame, pt: pd.DataFrame, carried_row: np.ndarray, scorer,
                           links: _ExamLinks) -> np.ndarray:
    """Step 1: link the exams whose IPP's patient agrees exactly on identity; returns them as a mask."""
    rule = np.zeros(len(ex), dtype=bool)
    idx = np.flatnonzero(~np.isnan(carried_row))
    if not len(idx):
        return rule
    pt_rows = carried_row[idx].astype(np.int64)
    ok = _rule_matches(ex.iloc[idx].reset_index(drop=True), pt.iloc[pt_rows].reset_index(drop=True))
    sel, pt_rows = idx[ok], pt_rows[ok]
    rule[sel] = True
    if len(sel):
        scored = _score_rule_matches(ex, pt, sel, pt_rows, scorer)
        links.settle(sel, status="linked", score=scored["match_probability"].to_numpy(),
                     target=pt["patient_id"].to_numpy(dtype=object)[pt_rows], method="ipp_identity_agrees",
                     evidence={
                         "rule": "ipp_identity_agrees",
                         **_level_evidence(scored),
                         "match_weight": np.round(scored["match_weight"].to_numpy(), 2),
                     })
    return rule


def _score_rule_matches(ex: pd.DataFrame, pt: pd.DataFrame, ex_rows: np.ndarray, pt_rows: np.ndarray,
                        scorer) -> pd.DataFrame:
    """Levels, ``match_weight`` and ``match_probability`` of exams that agree with their IPP's patient.

    Names and birth date agree exactly, and so does the IPP: only sex is left to
    compare (cheap), the other levels are 0 by construction.
    """
    scored = pd.DataFrame({"family_l": ex["family"].to_numpy(dtype=object)[ex_rows],
                           "sex_l": ex["sex"].to_numpy(dtype=object)[ex_rows],
                           "sex_r": pt["sex"].to_numpy(dtype=object)[pt_rows],
                           "family_tf_r": pt["family_tf"].to_numpy()[pt_rows],
                           "names_swapped": False})
    for comp, col in zip(IDENTITY_COMPARISONS, _LEVEL_COLUMNS, strict=True):
        scored[col] = comp.levels(scored) if comp.name == "sex" else np.int8(0)
    X = features(scored)
    scored["match_weight"] = weight = scorer.match_weight(X)
    scored["match_probability"] = _probability(scorer, X, weight)
    return scored


def _confirm_carried_ipp(ex: pd.DataFrame, pt: pd.DataFrame, carried_row: np.ndarray, candidates: np.ndarray,
                         scorer, settings: LinkageSettings, links: _ExamLinks) -> np.ndarray:
    """Step 2: link the ``candidates`` exams whose IPP's patient, scored alone, is beyond doubt.

    A noisy but consistent identity (a typo, the married name, swapped names...) needs
    no further search. Returns the exams linked, as a mask.
    """
    confirmed = np.zeros(len(ex), dtype=bool)
    fuzzy = np.flatnonzero(candidates)
    if not len(fuzzy):
        return confirmed
    pairs = pd.DataFrame({"source_row": fuzzy, "target_row": carried_row[fuzzy].astype(np.int64)})
    cache: dict = {}
    scored = score_pairs(_pair_frame(ex, pt, pairs, cache), scorer, workers=settings.workers, cache=cache)
    sure = _beyond_doubt(scored, settings)
    if sure.any():
        sel = fuzzy[sure]
        confirmed[sel] = True
        part = scored[sure]
        links.settle(sel, status="linked", score=part["match_probability"].to_numpy(),
                     target=pt["patient_id"].to_numpy(dtype=object)[pairs["target_row"].to_numpy()[sure]],
                     method="fellegi_sunter", evidence={
                         "decision": "carried_ipp_confirmed",
                         **_level_evidence(part),
                         "names_swapped": part["names_swapped"].to_numpy(),
                         "match_weight": np.round(part["match_weight"].to_numpy(), 2),
                     })
    return confirmed


def _beyond_doubt(scored: pd.DataFrame, settings: LinkageSettings) -> np.ndarray:
    """Pairs above ``carried_ipp_confirm_probability`` where no name or birth date flatly disagrees.

    A relative's IPP agrees on the family name, often on a given name, never on everything.
    """
    consistent = np.ones(len(scored), dtype=bool)
    for comp, col in zip(IDENTITY_COMPARISONS, _LEVEL_COLUMNS, strict=True):
        if comp.name in ("family", "given", "birth_date"):
            consistent &= scored[col].to_numpy() < comp.n_levels - 1
    return consistent & (scored["match_probability"].to_numpy() >= settings.carried_ipp_confirm_probability)


def _search_candidates(ex: pd.DataFrame, pt: pd.DataFrame, rest: np.ndarray, scorer, settings: LinkageSettings,
                       progress: Callable[[int], object] | None) -> pd.DataFrame:
    """Step 3: block, compare and score the exams at ``rest`` against the registry, chunk by chunk.

    Returns the scored candidate pairs (:func:`score_pairs` columns) with ``source_row``
    (exam position in ``ex``) and ``target_row`` (patient position in ``pt``).
    """
    keys = _PatientKeys(pt)
    all_scored = []
    for start, stop in _chunks(len(rest), settings.chunk_size):
        chunk_rows = rest[start:stop]
        chunk = ex.iloc[chunk_rows].reset_index(drop=True)
        scored = _score_chunk(chunk, pt, keys, scorer, settings)
        scored["source_row"] = chunk_rows[scored["source_row"].to_numpy()]
        all_scored.append(scored)
        if progress is not None:
            progress(len(chunk_rows))
    return pd.concat(all_scored, ignore_index=True)


def _score_chunk(chunk: pd.DataFrame, pt: pd.DataFrame, keys: _PatientKeys, scorer,
                 settings: LinkageSettings) -> pd.DataFrame:
    """Scored candidates of a chunk of exams: strict keys, then loose keys, then last-resort keys for
    exams still without a good one (pairs of the last pass have ``last_resort`` true)."""
    pairs = exam_patient_candidates(chunk, pt, patient_keys=keys[_STRICT])
    scored = _scored_pairs(chunk, pt, pairs, scorer, settings.workers)
    scored["last_resort"] = False
    best = scored.groupby("source_row")["match_probability"].max()
    good = np.zeros(len(chunk), dtype=bool)
    good[best.index[best.to_numpy() >= settings.exam_patient_threshold].to_numpy()] = True
    weak = np.flatnonzero(~good)
    if not len(weak):
        return scored
    more = _loose_pairs(chunk, weak, pt, keys, seen=pairs)
    if len(more):
        extra = _scored_pairs(chunk, pt, more, scorer, settings.workers)
        extra["last_resort"] = False
        scored = pd.concat([scored, extra], ignore_index=True)
        pairs = pd.concat([pairs, more], ignore_index=True)
    best = scored.groupby("source_row")["match_probability"].max()
    good[best.index[best.to_numpy() >= settings.exam_patient_threshold].to_numpy()] = True
    still_weak = weak[~good[weak]]
    last = _loose_pairs(chunk, still_weak, pt, keys, seen=pairs, level=_LAST) if len(still_weak) else pairs.iloc[:0]
    if len(last):
        extra = _scored_pairs(chunk, pt, last, scorer, settings.workers)
        extra["last_resort"] = True
        scored = pd.concat([scored, extra], ignore_index=True)
    return scored


def _loose_pairs(chunk: pd.DataFrame, weak: np.ndarray, pt: pd.DataFrame, keys: _PatientKeys,
                 seen: pd.DataFrame, level: str = _LOOSE) -> pd.DataFrame:
    """Candidate pairs of the ``weak`` exams of a chunk on ``level`` keys, less the pairs ``seen`` already."""
    sub = chunk.iloc[weak].reset_index(drop=True)
    more = exam_patient_candidates(sub, pt, level=level, patient_keys=keys[level])
    more["source_row"] = weak[more["source_row"].to_numpy()]
    # a pair as one integer, source row * patients + target row
    width = np.int64(max(len(pt), 1))
    seen_code = seen["source_row"].to_numpy(dtype=np.int64) * width + seen["target_row"].to_numpy(dtype=np.int64)
    code = more["source_row"].to_numpy(dtype=np.int64) * width + more["target_row"].to_numpy(dtype=np.int64)
    seen_code = np.sort(seen_code)  # (already sorted after the strict pass alone)
    at = np.minimum(np.searchsorted(seen_code, code), max(len(seen_code) - 1, 0))
    known = seen_code[at] == code if len(seen_code) else np.zeros(len(code), dtype=bool)
    return more[~known]


def _scored_pairs(exams: pd.DataFrame, pt: pd.DataFrame, pairs: pd.DataFrame, scorer,
                  workers: int) -> pd.DataFrame:
    """:func:`score_pairs` of candidate pairs, with their ``source_row`` and ``target_row``."""
    cache: dict = {}
    scored = score_pairs(_pair_frame(exams, pt, pairs, cache), scorer, workers=workers, cache=cache)
    scored["source_row"] = pairs["source_row"].to_numpy()
    scored["target_row"] = pairs["target_row"].to_numpy()
    return scored


def _refit_decision(scored: pd.DataFrame, settings: LinkageSettings) -> str:
    """``"refit"`` when the candidates are to be re-scored by EM, else why not.

    ``refit_em`` True refits whenever there are candidates; None (auto) refits when at
    least ``refit_em_min_exams`` distinct exams have candidates, enough matched pairs
    for each level's m to be estimated from the data rather than from the prior.
    """
    if settings.refit_em is False:
        return "refit_off"
    if not len(scored):
        return "no_candidates"
    if settings.refit_em is None and scored["source_row"].nunique() < settings.refit_em_min_exams:
        return "too_few_exams"
    return "refit"


def _rescore_with_refit(scored: pd.DataFrame, ex: pd.DataFrame, pt: pd.DataFrame, prior,
                        settings: LinkageSettings) -> tuple[pd.DataFrame, str]:
    """The candidates re-scored by m/u re-estimated by EM on them, the ``prior`` scorer as prior.

    Returns the (re-)scored pairs and ``"refit"``, or the pairs as they were and why the
    refit was rejected: EM did not converge, or a comparison's exact agreement is not
    evidence for a match (m < u at level 0, a degenerate solution; a comparison
    null on every pair keeps m = u).
    """
    u = random_pair_levels(ex, pt, workers=settings.workers)
    X = features(scored)
    # Last-resort pairs (one name alone) are scored, not learned from: they are mostly
    # non-matches of a kind the other passes never propose, and would move lambda.
    train = ~scored["last_resort"].to_numpy(dtype=bool)
    scorer = fit_sessions(X[train], u, prior=prior, prior_weight=settings.refit_em_prior_weight)
    if not scorer.converged_:
        return scored, "em_not_converged"
    if np.any(scorer.m_[:, 0] < scorer.u_[:, 0]):
        return scored, "em_implausible"
    scored["match_weight"] = weight = scorer.match_weight(X)
    scored["match_probability"] = _probability(scorer, X, weight)
    return scored, "refit"


def _decide(scored: pd.DataFrame, *, patient_ids: np.ndarray, carried_ids: np.ndarray,
            settings: LinkageSettings) -> _Decisions:
    """Step 4: each exam's best candidate, linked above the threshold unless the runner-up is too close.

    Parameters
    ----------
    scored : pandas.DataFrame
        Scored candidate pairs (see :func:`_search_candidates`).
    patient_ids : ndarray
        ``patient_id`` of each registry row (``target_row``).
    carried_ids : ndarray
        The IPP each exam carried (``source_row``), for the evidence.
    """
    if not len(scored):
        empty = np.zeros(0, dtype=object)
        return _Decisions(rows=np.zeros(0, dtype=np.int64), status=empty, target=empty,
                          score=np.zeros(0), evidence={})
    best, second = _best_two(scored, patient_ids)
    rows = best["source_row"].to_numpy()
    w1 = best["match_weight"].to_numpy()
    p1 = best["match_probability"].to_numpy()
    w2 = second["match_weight"].reindex(rows).to_numpy()
    p2 = second["match_probability"].reindex(rows).to_numpy()
    pid1 = best["_pid"].to_numpy(dtype=object)
    pid2 = second["_pid"].reindex(rows).to_numpy(dtype=object)
    above = p1 >= settings.exam_patient_threshold
    near = w1 - np.nan_to_num(w2, nan=-np.inf) < settings.ambiguity_margin
    close = above & (np.nan_to_num(p2) >= settings.exam_patient_threshold) & near
    absent = np.zeros(len(rows))
    presence = {}
    if "_absent" in best:
        absent = best["_absent"].to_numpy(dtype=np.float64)
        modelled = ~np.isnan(absent)
        # posteriors of one exam sum to at most 1: the pair is close when the patient is one of the two
        close = np.where(modelled, (p1 + np.nan_to_num(p2) >= settings.exam_patient_threshold) & near, close)
        presence = {"patient_absent_probability": np.round(absent, 4),
                    "presence_prior": np.round(best["_prior"].to_numpy(dtype=np.float64), 4)}
        absent = np.nan_to_num(absent)
    linked = above & ~close
    likely_absent = ~linked & ~close & (absent >= settings.exam_patient_threshold)
    carried = carried_ids[rows]
    candidates = np.full(len(rows), None, dtype=object)
    if close.any():
        candidates[close] = pd.Series(list(zip(pid1[close], pid2[close], strict=True)), dtype=object).to_numpy()
    return _Decisions(
        rows=rows,
        status=np.where(linked, "linked", np.where(close, "ambiguous", "unlinked")).astype(object),
        target=np.where(linked, pid1, None).astype(object),
        score=p1,
        evidence={
            "decision": np.where(linked, "best_candidate",
                                 np.where(close, "two_candidates_too_close",
                                          np.where(likely_absent, "patient_not_in_registry",
                                                   "best_candidate_below_threshold"))),
            **_level_evidence(best),
            "names_swapped": best["names_swapped"].to_numpy(),
            "match_weight": np.round(w1, 2),
            "runner_up_weight": np.round(w2, 2),
            "carried_ipp_is_best": pd.notna(carried) & (carried == pid1),
            "candidates": candidates,
            **presence,
        },
    )


def _best_two(scored: pd.DataFrame, patient_ids: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each exam's best candidate (by position) and runner-up (indexed by ``source_row``), with ``_pid``.

    Ties on weight are broken by the patient's row in the registry (reproducible).
    """
    scored = scored[["source_row", "target_row", "match_weight", "match_probability", "names_swapped",
                     *_LEVEL_COLUMNS, *[c for c in ("_absent", "_prior") if c in scored]]]
    # a stable lexsort on the numbers: sort_values(["source_row", "match_weight", "target_row"],
    # ascending=[True, False, True], kind="mergesort") without its per-key factorisation
    source = scored["source_row"].to_numpy(dtype=np.int64)
    order = np.lexsort((scored["target_row"].to_numpy(dtype=np.int64),
                        -scored["match_weight"].to_numpy(dtype=np.float64), source))
    scored = scored.take(order)
    scored["_pid"] = patient_ids[scored["target_row"].to_numpy()]
    source = source[order]
    position = np.arange(len(source))
    start = np.maximum.accumulate(np.where(np.r_[True, source[1:] != source[:-1]], position, 0))
    rank = position - start  # the candidate's rank within its exam
    return scored[rank == 0].reset_index(drop=True), scored[rank == 1].set_index("source_row")


def _links_frame(ex: pd.DataFrame, links: _ExamLinks) -> pd.DataFrame:
    """Step 5: the ``links`` rows, with ``reattached`` (also closing every evidence object) and the evidence text."""
    carried = ex["carried_patient_id"].to_numpy(dtype=object)
    carried_norm = ex["ipp"].to_numpy(dtype=object)
    target_norm = normalize_ipp(pd.Series(links.target, dtype=object)).to_numpy(dtype=object)
    reattached = (links.status == "linked") & pd.notna(carried) & (carried_norm != target_norm)
    evidence = [block.followed_by({"reattached": reattached[block.rows]}) for block in links.evidence]
    return object_frame({
        "source_type": "exam",
        "source_id": ex["exam_id"].to_numpy(dtype=object),
        "target_type": "patient",
        "target_id": links.target,
        "status": links.status,
        "score": links.score,
        "method": links.method,
        "evidence": evidence_column(len(ex), evidence),
        "reattached": reattached,
    }, copy=False)  # the decided arrays, read by nothing else once the frame is built
