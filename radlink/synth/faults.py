"""How exams get badly attached to patients: the IPP written in the DICOM header.

About 20 % of exams in a real warehouse carry no IPP, a mistyped one, a temporary one
(emergency admission before identity is known) or another patient's (wrong patient
picked in the worklist, often a relative with the same surname). :data:`FAULT_RATES`
are the targets; temporary IPPs are three times likelier on emergency exams, with rates
renormalised so that the overall share stays on target.
"""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np
import pandas as pd

__all__ = ["FAULT_RATES", "draw_faults", "faulty_ipps"]

FAULT_RATES: dict[str, float] = {
    "missing_ipp": 0.05,
    "mistyped_ipp": 0.06,
    "other_patient_ipp": 0.04,
    "temporary_ipp": 0.05,
}
"""Target share of exams per fault (the rest is ``"none"``)."""

_FAMILY_SHARE = 0.35  # share of other_patient_ipp that goes to a same-surname patient


def draw_faults(emergency: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw one fault code per exam.

    Parameters
    ----------
    emergency : numpy.ndarray of bool
        Exams done in an emergency context (temporary IPPs are likelier there).
    rng : numpy.random.Generator

    Returns
    -------
    numpy.ndarray of str (object)
        Codes of :data:`radlink.vocabulary.EXAM_FAULTS`.

    Examples
    --------
    >>> import numpy as np
    >>> f = draw_faults(np.zeros(10_000, bool), np.random.default_rng(0))
    >>> 0.18 < float((f != "none").mean()) < 0.22
    True
    """
    n = len(emergency)
    w = np.where(emergency, 3.0, 1.0)
    p_temp = FAULT_RATES["temporary_ipp"] * w / w.mean() if n else w
    p_temp = np.minimum(p_temp, 0.5)
    u = rng.random(n)
    out = np.full(n, "none", dtype=object)
    lo = np.zeros(n)
    for code in ("missing_ipp", "mistyped_ipp", "other_patient_ipp"):
        hi = lo + FAULT_RATES[code]
        out[(u >= lo) & (u < hi)] = code
        lo = hi
    out[(u >= lo) & (u < lo + p_temp)] = "temporary_ipp"
    return out


def _mistype(ipp: str, rnd: random.Random) -> str:
    """One substituted digit, two adjacent digits transposed, or leading characters lost."""
    r = rnd.random()
    if r < 0.5:
        pos = rnd.randrange(len(ipp))
        digit = str((int(ipp[pos]) + rnd.randrange(1, 10)) % 10)
        return ipp[:pos] + digit + ipp[pos + 1 :]
    if r < 0.8:
        for _ in range(10):
            pos = rnd.randrange(len(ipp) - 1)
            if ipp[pos] != ipp[pos + 1]:
                return ipp[:pos] + ipp[pos + 1] + ipp[pos] + ipp[pos + 2 :]
        return ipp[:-1] + str((int(ipp[-1]) + 1) % 10)
    return ipp[rnd.choice((1, 1, 2)) :]


def faulty_ipps(
    faults: np.ndarray,
    patient_index: np.ndarray,
    patients: pd.DataFrame,
    rng: np.random.Generator,
    visit: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The IPP written on each exam, given its fault.

    Parameters
    ----------
    faults : numpy.ndarray of str
        From :func:`draw_faults`.
    patient_index : numpy.ndarray of int
        Row of each exam's true patient in ``patients``.
    patients : pandas.DataFrame
        The registry (``patient_id``, ``family_name``).
    rng : numpy.random.Generator
    visit : numpy.ndarray of int, optional
        Visit (stay) of each exam, -1 for none: the temporary-IPP exams of one visit
        share their temporary IPP, as when a patient is registered once under a
        temporary identity at the emergency desk.

    Returns
    -------
    ipp : numpy.ndarray (object)
        The IPP as written (``None`` for ``missing_ipp``).
    other_patient : numpy.ndarray of int
        Row of the patient whose IPP was used for ``other_patient_ipp`` exams, else -1.

    Examples
    --------
    >>> import numpy as np
    >>> from radlink.synth.identity import make_patients
    >>> rng = np.random.default_rng(0)
    >>> p = make_patients(100, rng)
    >>> faults = np.array(["none", "missing_ipp", "mistyped_ipp", "temporary_ipp"], dtype=object)
    >>> ipp, other = faulty_ipps(faults, np.arange(4), p, rng)
    >>> ipp[0] == p["patient_id"][0], ipp[1] is None, ipp[2] != p["patient_id"][2]
    (True, True, True)
    """
    registry = patients["patient_id"].to_numpy()
    ipp = registry[patient_index].copy()
    other = np.full(len(faults), -1, dtype=np.int64)
    known = set(registry.tolist())
    rnd = random.Random(int(rng.integers(0, 2**62)))

    ipp[faults == "missing_ipp"] = None

    for i in np.flatnonzero(faults == "mistyped_ipp"):
        true = ipp[i]
        for _ in range(20):
            new = _mistype(true, rnd)
            if new != true and new not in known:
                break
        ipp[i] = new

    temp = np.flatnonzero(faults == "temporary_ipp")
    # Temporary numbers come from two counters, one per style ("TMP" + 7 digits, "9999" +
    # 5 digits), so distinct visits do not share one (up to ~30,000 "9999" visits).
    style = rng.random(len(temp))
    steps = rng.integers(1, 4, size=len(temp))
    tmp_style = style < 0.5
    numbers = np.where(tmp_style, np.cumsum(np.where(tmp_style, steps, 0)),
                       np.cumsum(np.where(tmp_style, 0, steps)))
    numbers = numbers + int(rng.integers(0, 10**4))
    shared: dict[int, str] = {}
    for j, i in enumerate(temp):
        key = int(visit[i]) if visit is not None else -1
        if key >= 0 and key in shared:
            ipp[i] = shared[key]
            continue
        ipp[i] = f"TMP{numbers[j] % 10**7:07d}" if style[j] < 0.5 else f"9999{numbers[j] % 10**5:05d}"
        if key >= 0:
            shared[key] = ipp[i]

    bad = np.flatnonzero(faults == "other_patient_ipp")
    if len(bad) and len(registry) > 1:
        by_name: dict[str, list[int]] = defaultdict(list)
        for row, name in enumerate(patients["family_name"].to_numpy()):
            by_name[name].append(row)
        family = patients["family_name"].to_numpy()
        for i in bad:
            true = int(patient_index[i])
            relatives = by_name[family[true]]
            if len(relatives) > 1 and rnd.random() < _FAMILY_SHARE:
                pick = relatives[rnd.randrange(len(relatives))]
                while pick == true:
                    pick = relatives[rnd.randrange(len(relatives))]
            else:
                pick = rnd.randrange(len(registry) - 1)
                pick += pick >= true
            other[i] = pick
            ipp[i] = registry[pick]
    elif len(bad):  # a one-patient registry has no other patient: fall back to missing
        ipp[bad] = None
    return ipp, other
