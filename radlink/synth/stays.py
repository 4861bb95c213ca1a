"""Synthetic hospital stays and the moments when exams happen around them.

Each patient has a handful of stays (heavy-tailed count) in time order, separated by at
least two weeks. A stay is a hospitalisation (2-15 days), a day-care session (same
day), a consultation (30-60 min) or an emergency visit (a few hours); a few
hospitalisations contain a nested consultation (e.g. anaesthesia).

Exams are then placed in *contexts*, which fix their true stay:

===============  ====================================================  ===============
context          when the exam happens                                 true stay
===============  ====================================================  ===============
in_stay          inside a stay's interval                              that stay
nested           inside a consultation nested in a hospitalisation     the consultation
pre_admission    1-8 h before a hospitalisation starts (emergency      the hospitalisation
                 room work-up before admission, no emergency stay)
outpatient       2-12 days after a stay ends, outside every stay       none
===============  ====================================================  ===============

Hence the documented tolerance for exam -> stay truth: ``start - 8 h <= study_datetime
<= end``, and the true stay is the most specific (shortest) stay containing the exam.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["STAY_TYPE_CODES", "PRE_ADMISSION_HOURS", "make_stays", "place_exams"]

STAY_TYPE_CODES: tuple[str, ...] = ("hospitalisation", "day_care", "consultation", "emergency")
PRE_ADMISSION_HOURS = 8.0
"""An exam may precede the admission it belongs to by at most this many hours."""

CONTEXTS: tuple[str, ...] = ("in_stay", "nested", "pre_admission", "outpatient")

_TYPE_P = np.array([0.30, 0.30, 0.30, 0.10])
_UNITS = {
    "hospitalisation": ("PNEUMOLOGIE", "ONCOLOGIE MEDICALE", "CHIRURGIE THORACIQUE",
                        "MEDECINE INTERNE", "PNEUMOLOGIE", "CARDIOLOGIE", "ONCOLOGIE MEDICALE"),
    "day_care": ("HDJ ONCOLOGIE", "HOPITAL DE JOUR PNEUMOLOGIE", "ONCOLOGIE MEDICALE",
                 "HDJ ONCOLOGIE"),
    "consultation": ("MEDECINE NUCLEAIRE", "RADIOLOGIE", "CONSULTATION PNEUMOLOGIE",
                     "ONCOLOGIE MEDICALE", "MEDECINE NUCLEAIRE", "CHIRURGIE THORACIQUE"),
    "emergency": ("URGENCES", "URGENCES ADULTES", "SAU"),
}  # fmt: skip
_NESTED_UNITS = ("ANESTHESIE", "CONSULTATION CARDIOLOGIE", "MEDECINE NUCLEAIRE")

# CIM-10 codes by stay purpose: lung cancer (C34.x), nodes (C77.1), metastases
# (C78.0 lung, C78.7 liver, C79.5 bone, C79.3 brain), chemotherapy session (Z51.1),
# pneumonia (J18.9), lung opacity (R91), pleural effusion (J90), COPD (J44.1),
# pulmonary embolism (I26.9), chest pain (R07.4), dyspnoea (R06.0), fever (R50.9),
# breast cancer (C50.9), follow-up after treatment (Z08).
_CANCER_MAIN = ("C34.1", "C34.1", "C34.3", "C34.9", "C34.9", "C34.0", "C34.2")
_CANCER_EXTRA = ("C77.1", "C78.0", "C78.7", "C79.5", "C79.3", "J90", "R91", "J44.1")
_OTHER_MAIN = ("J18.9", "R91", "J44.1", "I26.9", "C50.9", "J90")
_EMERGENCY = ("R07.4", "R06.0", "R50.9", "J18.9", "I26.9", "J90", "R91")

# Expected exams per stay context.
_EXAMS_PER_STAY = np.array([1.5, 0.9, 0.75, 1.1])
_PRE_ADMISSION_P = 0.35
_OUTPATIENT_PER_STAY = 0.35
_NESTED_P = 0.05

_MIN = np.timedelta64(1, "m")


def _choice(rng: np.random.Generator, options: tuple[str, ...], size: int) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), size=size)]


def _stay_days(counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Start day of each stay, patient by patient, from the patient's entry date.

    Each stay starts >= 28 days after the previous one's start (stays last <= 15 days;
    outpatient exams need 12 more days), plus an exponential gap.
    """
    n = int(counts.sum())
    gap_days = 28 + rng.exponential(70.0, size=n).astype(np.int64)
    first = np.r_[0, np.cumsum(counts)[:-1]]
    cum = np.cumsum(gap_days)
    offset = cum - np.repeat(cum[first] - gap_days[first], counts) - gap_days
    entry = np.datetime64("2015-01-01", "D") + rng.integers(0, 8 * 365, size=len(counts))
    day = np.repeat(entry, counts) + offset
    return day.astype("datetime64[m]")


def _stay_times(kind: np.ndarray, start_day: np.ndarray, u: np.ndarray,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start and end (datetime64[m]) of each stay by its type, and the hospitalisation days."""
    n = len(kind)
    start_min = np.select(
        [kind == 0, kind == 1, kind == 2],
        [
            9 * 60 + (u[:, 0] * 8 * 60).astype(np.int64),  # admission 9:00-17:00
            7 * 60 + 30 + (u[:, 0] * 120).astype(np.int64),  # day care 7:30-9:30
            8 * 60 + (u[:, 0] * 9 * 60).astype(np.int64),  # consultation 8:00-17:00
        ],
        (u[:, 0] * 24 * 60).astype(np.int64),  # emergency: any time
    )
    start_min = (start_min // 5) * 5
    hosp_days = np.clip(2 + rng.poisson(3.5, size=n), 2, 15)
    dur_min = np.select(
        [kind == 0, kind == 1, kind == 2],
        [
            hosp_days * 1440 + 10 * 60 + (u[:, 1] * 6 * 60).astype(np.int64) - start_min,
            6 * 60 + (u[:, 1] * 3 * 60).astype(np.int64),  # 6-9 h
            30 + (u[:, 1] * 31).astype(np.int64),  # 30-60 min
        ],
        120 + (u[:, 1] * 8 * 60).astype(np.int64),  # emergency 2-10 h
    )
    dur_min = np.maximum((dur_min // 5) * 5, 30)
    start = start_day + start_min * _MIN
    end = start + dur_min * _MIN
    return start, end, hosp_days


def _nested_times(parent: np.ndarray, start_day: np.ndarray,
                  rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of a consultation on the day after admission of each ``parent`` stay."""
    n_nested = len(parent)
    nested_start = (
        start_day[parent] + np.timedelta64(1440, "m")
        + (10 * 60 + (rng.random(n_nested) * 300).astype(np.int64) // 5 * 5) * _MIN
    )
    nested_end = nested_start + (30 + rng.integers(0, 4, size=n_nested) * 5) * _MIN
    return nested_start, nested_end


def _stay_units(kind: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The unit of each stay, drawn among those of its type."""
    units = np.empty(len(kind), dtype=object)
    for k, code in enumerate(STAY_TYPE_CODES):
        idx = np.flatnonzero(kind == k)
        units[idx] = _choice(rng, _UNITS[code], len(idx))
    return units


def _diagnoses(kind: np.ndarray, is_cancer: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """CIM-10 codes of each stay (``;``-joined; None for most consultations) by type and cohort."""
    n = len(kind)
    diagnoses = np.empty(n, dtype=object)
    main = np.where(is_cancer, _choice(rng, _CANCER_MAIN, n), _choice(rng, _OTHER_MAIN, n))
    extra = _choice(rng, _CANCER_EXTRA, n)
    extra2 = _choice(rng, _CANCER_EXTRA, n)
    n_extra = np.where(is_cancer, rng.integers(0, 3, size=n), rng.integers(0, 2, size=n) * 0)
    r = rng.random(n)
    for i in range(n):
        k = kind[i]
        if k == 3:
            diagnoses[i] = _EMERGENCY[int(r[i] * len(_EMERGENCY))]
            continue
        if k == 2 and r[i] < 0.6:
            diagnoses[i] = None  # consultations are often not coded
            continue
        codes = [main[i]]
        if k == 1 and is_cancer[i] and r[i] < 0.5:
            codes.insert(0, "Z51.1")  # chemotherapy session
        if n_extra[i] >= 1 and extra[i] not in codes:
            codes.append(extra[i])
        if n_extra[i] >= 2 and extra2[i] not in codes:
            codes.append(extra2[i])
        diagnoses[i] = ";".join(codes)
    return diagnoses


def make_stays(
    patients: pd.DataFrame, cancer: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """Draw the stays of every patient.

    Parameters
    ----------
    patients : pandas.DataFrame
        Registry (from :func:`~radlink.synth.identity.make_patients`).
    cancer : numpy.ndarray of bool
        Whether each patient belongs to the lung-cancer cohort (drives diagnoses).
    rng : numpy.random.Generator

    Returns
    -------
    pandas.DataFrame
        Canonical ``stays`` columns without ``stay_id`` (assigned later in time order),
        plus private ``_patient`` (row in ``patients``) and ``_parent`` (row of the
        hospitalisation a nested consultation sits in, or -1).

    Examples
    --------
    >>> import numpy as np
    >>> from radlink.synth.identity import make_patients
    >>> rng = np.random.default_rng(0)
    >>> s = make_stays(make_patients(20, rng), np.ones(20, bool), rng)
    >>> bool((s["end_datetime"] >= s["start_datetime"]).all())
    True
    """
    n_pat = len(patients)
    counts = 1 + rng.geometric(1.0 / 2.7, size=n_pat) - 1  # mean ~2.7, heavy tail
    counts = np.minimum(counts, 25)
    pat = np.repeat(np.arange(n_pat), counts)
    n = len(pat)
    kind = rng.choice(4, size=n, p=_TYPE_P)
    start_day = _stay_days(counts, rng)
    u = rng.random((n, 3))
    start, end, hosp_days = _stay_times(kind, start_day, u, rng)
    # Nested consultations inside some hospitalisations of >= 3 days.
    parent = np.flatnonzero((kind == 0) & (hosp_days >= 3) & (u[:, 2] < _NESTED_P))
    nested_start, nested_end = _nested_times(parent, start_day, rng)
    units = _stay_units(kind, rng)
    diagnoses = _diagnoses(kind, cancer[pat], rng)

    stays = pd.DataFrame({
        "patient_id": patients["patient_id"].to_numpy()[pat],
        "start_datetime": start.astype("datetime64[ns]"),
        "end_datetime": end.astype("datetime64[ns]"),
        "unit": units,
        "stay_type": np.asarray(STAY_TYPE_CODES, dtype=object)[kind],
        "diagnoses": diagnoses,
        "_patient": pat,
        "_parent": -1,
    })
    nested = pd.DataFrame({
        "patient_id": stays["patient_id"].to_numpy()[parent],
        "start_datetime": nested_start.astype("datetime64[ns]"),
        "end_datetime": nested_end.astype("datetime64[ns]"),
        "unit": _choice(rng, _NESTED_UNITS, len(parent)),
        "stay_type": "consultation",
        "diagnoses": None,
        "_patient": pat[parent],
        "_parent": parent,
    })
    return pd.concat([stays, nested], ignore_index=True)


def place_exams(stays: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Place exams around stays and record each exam's true stay.

    Parameters
    ----------
    stays : pandas.DataFrame
        From :func:`make_stays` (row order defines the stay indices).
    rng : numpy.random.Generator

    Returns
    -------
    pandas.DataFrame
        One row per exam: ``_patient`` (patient row), ``study_datetime``
        (``datetime64[ns]``, second resolution), ``_stay`` (row of the true stay, -1 for
        none), ``context`` (one of :data:`CONTEXTS`), ``stay_type`` of the context
        (``"outpatient"`` when none, ``"emergency"`` for pre-admission exams).

    Examples
    --------
    >>> import numpy as np
    >>> from radlink.synth.identity import make_patients
    >>> rng = np.random.default_rng(0)
    >>> s = make_stays(make_patients(20, rng), np.ones(20, bool), rng)
    >>> e = place_exams(s, rng)
    >>> set(e["context"]) <= {"in_stay", "nested", "outpatient", "pre_admission"}
    True
    """
    kind = pd.Categorical(stays["stay_type"], categories=STAY_TYPE_CODES).codes
    parent = stays["_parent"].to_numpy()
    start = stays["start_datetime"].to_numpy().astype("datetime64[s]")
    end = stays["end_datetime"].to_numpy().astype("datetime64[s]")
    pat = stays["_patient"].to_numpy()
    top = parent < 0
    n = len(stays)
    lam = np.where(parent >= 0, 1.0, _EXAMS_PER_STAY[kind])
    n_in = rng.poisson(lam)
    pre = top & (kind == 0) & (rng.random(n) < _PRE_ADMISSION_P)
    n_out = np.where(top, rng.poisson(_OUTPATIENT_PER_STAY, size=n), 0)

    # in-stay exams
    s_in = np.repeat(np.arange(n), n_in)
    u = rng.random(len(s_in))
    dur = (end[s_in] - start[s_in]).astype(np.int64)
    hosp = (kind[s_in] == 0) & (parent[s_in] < 0)
    span_days = dur // 86400
    # hospitalisation: a day strictly inside the stay, between 8:00 and 18:00
    day_k = 1 + (rng.random(len(s_in)) * np.maximum(span_days - 1, 1)).astype(np.int64)
    day0 = start[s_in].astype("datetime64[D]").astype("datetime64[s]")
    hosp_t = day0 + (day_k * 86400 + 8 * 3600 + (u * 10 * 3600).astype(np.int64)).astype(
        "timedelta64[s]"
    )
    margin = np.minimum(dur // 6, 30 * 60)
    other_t = start[s_in] + (margin + (u * (dur - 2 * margin)).astype(np.int64)).astype(
        "timedelta64[s]"
    )
    t_in = np.where(hosp, hosp_t, other_t)
    # An exam of a hospitalisation must not fall inside its nested consultation (the
    # truth is the most specific stay): move it 30 min after the consultation ends.
    child = np.flatnonzero(parent >= 0)
    if len(child):
        child_of = np.full(n, -1, dtype=np.int64)
        child_of[parent[child]] = child
        c = child_of[s_in]
        has_child = c >= 0
        cc = np.maximum(c, 0)
        inside = has_child & (t_in >= start[cc]) & (t_in <= end[cc])
        t_in = np.where(inside, end[cc] + np.timedelta64(1800, "s"), t_in)
    ctx_in = np.where(parent[s_in] >= 0, "nested", "in_stay")

    # pre-admission exams: emergency room work-up before the admission
    s_pre = np.flatnonzero(pre)
    t_pre = start[s_pre] - (3600 + (rng.random(len(s_pre)) * (PRE_ADMISSION_HOURS - 1.05)
                                    * 3600).astype(np.int64)).astype("timedelta64[s]")

    # outpatient exams: 2-12 days after a stay, daytime, outside every stay
    s_out = np.repeat(np.arange(n), n_out)
    end_day = end[s_out].astype("datetime64[D]").astype("datetime64[s]")
    t_out = end_day + (
        rng.integers(2, 13, size=len(s_out)) * 86400 + 8 * 3600
        + (rng.random(len(s_out)) * 10 * 3600).astype(np.int64)
    ).astype("timedelta64[s]")

    type_names = np.asarray(STAY_TYPE_CODES, dtype=object)
    return pd.DataFrame({
        "_patient": np.concatenate([pat[s_in], pat[s_pre], pat[s_out]]),
        "study_datetime": np.concatenate([t_in, t_pre, t_out]).astype("datetime64[ns]"),
        "_stay": np.concatenate([s_in, s_pre, np.full(len(s_out), -1)]),
        "context": np.concatenate([
            ctx_in.astype(object),
            np.full(len(s_pre), "pre_admission", dtype=object),
            np.full(len(s_out), "outpatient", dtype=object),
        ]),
        "stay_type": np.concatenate([
            type_names[kind[s_in]],
            np.full(len(s_pre), "emergency", dtype=object),
            np.full(len(s_out), "outpatient", dtype=object),
        ]),
    })
