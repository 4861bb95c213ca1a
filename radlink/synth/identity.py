"""Synthetic patients and the identity each exam's DICOM header carries.

The patients table is the registry (the hospital's identity server): one row per IPP,
birth name, given name, birth date, sex and, for about 40 % of women over 25, a usage
(married) name. Families are simulated by giving some patients the surname of an earlier
patient, which is what makes "someone else's IPP" plausible.

The DICOM identity of an exam starts from the true patient's registry identity, written
as a DICOM PN (``FAMILY^GIVEN``, upper case in most PACS, mixed case in some), then
receives identity noise on a share of exams (more on badly attached ones). Noise kinds:

========================  ==========================================================
``accents_lost``          diacritics dropped (``LEFÈVRE`` -> ``LEFEVRE``)
``case``                  case different from the PACS's usual one
``typo``                  one edit in the family or given name
``swapped``               ``GIVEN^FAMILY``
``usage_name``            usage (married) name instead of the birth name
``compound``              compound name written differently (hyphen/space/part dropped)
``birth_day_month_swap``  day and month of the birth date exchanged
``birth_date_typo``       one digit of the birth date wrong (still a valid date)
``sex_missing``           sex left empty
========================  ==========================================================
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd

from radlink.synth.names import (
    compound_variant,
    family_name_pool,
    given_name_pool,
    has_compound,
    strip_accents,
    typo,
)

__all__ = ["NOISE_KINDS", "make_patients", "dicom_identity"]

NOISE_KINDS: tuple[str, ...] = (
    "accents_lost",
    "case",
    "typo",
    "swapped",
    "usage_name",
    "compound",
    "birth_day_month_swap",
    "birth_date_typo",
    "sex_missing",
)

# Probability of each kind on an exam that receives noise (kinds stack independently;
# an exam chosen for noise gets at least one applicable kind).
_KIND_PROBABILITY = {
    "accents_lost": 0.35,
    "case": 0.15,
    "typo": 0.25,
    "swapped": 0.10,
    "usage_name": 0.60,  # among women who have a usage name
    "compound": 0.50,  # among exams whose names have a hyphen, space or apostrophe
    "birth_day_month_swap": 0.25,  # among birth dates with day <= 12 and day != month
    "birth_date_typo": 0.10,
    "sex_missing": 0.08,
}

FIRST_IPP = 800_000_000
_EPOCH = np.datetime64("1970-01-01", "D")


def make_patients(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Draw ``n`` registry patients.

    Parameters
    ----------
    n : int
        Number of patients.
    rng : numpy.random.Generator
        The generator's single random stream.

    Returns
    -------
    pandas.DataFrame
        Canonical ``patients`` columns (``birth_date`` as ``datetime64[ns]``), plus the
        private column ``_family_of`` (index of the patient whose surname was copied, or -1).

    Examples
    --------
    >>> import numpy as np
    >>> p = make_patients(200, np.random.default_rng(0))
    >>> bool(p["patient_id"].str.len().eq(9).all()), p["patient_id"].is_unique
    (True, True)
    """
    ipp = FIRST_IPP + np.cumsum(rng.integers(1, 400, size=n))
    sex = np.where(rng.random(n) < 0.5, "F", "M").astype(object)
    fam_names, fam_p = family_name_pool()
    family = fam_names[rng.choice(len(fam_names), size=n, p=fam_p)]
    # ~3 % hyphenated double names (Martin-Dupont)
    double = rng.random(n) < 0.03
    second = fam_names[rng.choice(len(fam_names), size=n, p=fam_p)]
    family = np.where(
        double & (second != family),
        np.char.add(np.char.add(family.astype(str), "-"), second.astype(str)).astype(object),
        family,
    )
    # families: ~10 % of patients share the surname of an earlier patient
    family_of = np.full(n, -1, dtype=np.int64)
    kin = np.flatnonzero(rng.random(n) < 0.10)
    kin = kin[kin > 0]
    family_of[kin] = (rng.random(len(kin)) * kin).astype(np.int64)
    family[kin] = family[family_of[kin]]

    given = np.empty(n, dtype=object)
    for s in ("M", "F"):
        names, p = given_name_pool(s)
        idx = np.flatnonzero(sex == s)
        given[idx] = names[rng.choice(len(names), size=len(idx), p=p)]

    # Age at 2020 ~ N(64, 13), clipped to [18, 97]: a lung-cancer-heavy imaging cohort.
    age = np.clip(rng.normal(64.0, 13.0, n), 18.0, 97.0)
    birth = np.datetime64("2020-01-01", "D") - (age * 365.25).astype(np.int64)
    # keep (family, given, birth date) unique: shift duplicates by a few days
    key = pd.DataFrame({"f": family, "g": given, "b": birth})
    dup = key.duplicated(keep="first").to_numpy()
    while dup.any():
        birth[dup] = birth[dup] + rng.integers(1, 400, size=int(dup.sum()))
        key["b"] = birth
        dup = key.duplicated(keep="first").to_numpy()

    usage = np.full(n, None, dtype=object)
    married = (sex == "F") & (age >= 25) & (rng.random(n) < 0.40)
    idx = np.flatnonzero(married)
    usage[idx] = fam_names[rng.choice(len(fam_names), size=len(idx), p=fam_p)]
    usage[idx] = np.where(usage[idx] == family[idx], None, usage[idx])
    return pd.DataFrame({
        "patient_id": ipp.astype(str).astype(object),
        "family_name": family,
        "given_name": given,
        "birth_date": birth.astype("datetime64[ns]"),
        "sex": sex,
        "usage_name": usage,
        "_family_of": family_of,
    })


def _date_typo(d: dt.date, rnd: random.Random) -> dt.date:
    """Change one digit of ``d`` (YYYYMMDD) and keep a valid date."""
    text = d.strftime("%Y%m%d")
    for _ in range(10):
        pos = rnd.choice((2, 3, 3, 5, 6, 7, 7))  # decade, year, month unit, day tens/unit
        digit = str((int(text[pos]) + rnd.randrange(1, 10)) % 10)
        new = text[:pos] + digit + text[pos + 1 :]
        try:
            out = dt.date(int(new[:4]), int(new[4:6]), int(new[6:]))
        except ValueError:
            continue
        if out != d:
            return out
    return d.replace(year=d.year + 1 if d.year < 2000 else d.year - 1)


def dicom_identity(
    patients: pd.DataFrame,
    patient_index: np.ndarray,
    noise_probability: np.ndarray,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """The identity written in each exam's DICOM header, with noise.

    Parameters
    ----------
    patients : pandas.DataFrame
        From :func:`make_patients`.
    patient_index : numpy.ndarray of int
        Row of the true patient of each exam.
    noise_probability : numpy.ndarray of float
        Probability that each exam's identity receives noise.
    rng : numpy.random.Generator

    Returns
    -------
    pandas.DataFrame
        ``patient_name``, ``birth_date``, ``sex`` and ``identity_noise`` (``";"``-joined
        kinds actually applied, ``""`` for none), one row per exam.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> p = make_patients(50, rng)
    >>> ident = dicom_identity(p, np.arange(50), np.zeros(50), rng)
    >>> bool(ident["patient_name"].str.contains("^", regex=False).all()), set(ident["identity_noise"])
    (True, {''})
    """
    n = len(patient_index)
    family = patients["family_name"].to_numpy()[patient_index]
    given = patients["given_name"].to_numpy()[patient_index]
    usage = patients["usage_name"].to_numpy()[patient_index]
    birth = patients["birth_date"].to_numpy()[patient_index].astype("datetime64[D]")
    sex = patients["sex"].to_numpy()[patient_index].copy()
    mixed_case = rng.random(n) < 0.15  # some PACS keep the case typed at the front desk
    noisy = rng.random(n) < noise_probability
    draws = rng.random((n, len(NOISE_KINDS)))
    seed = int(rng.integers(0, 2**62))

    names = np.empty(n, dtype=object)
    births = birth.copy()
    noise = np.full(n, "", dtype=object)
    rnd = random.Random(seed)
    for i in range(n):
        f, g = family[i], given[i]
        if not noisy[i]:
            names[i] = f"{f}^{g}" if mixed_case[i] else f"{f.upper()}^{g.upper()}"
            continue
        b = births[i].item()
        applicable = {
            "accents_lost": strip_accents(f + g) != f + g,
            "case": True,
            "typo": True,
            "swapped": True,
            "usage_name": isinstance(usage[i], str),
            "compound": has_compound(f) or has_compound(g),
            "birth_day_month_swap": b.day <= 12 and b.day != b.month,
            "birth_date_typo": True,
            "sex_missing": True,
        }
        kinds = [k for j, k in enumerate(NOISE_KINDS)
                 if applicable[k] and draws[i, j] < _KIND_PROBABILITY[k]]
        if not kinds:
            options = [k for k in NOISE_KINDS if applicable[k]]
            kinds = [options[int(draws[i, 0] * len(options)) % len(options)]]
        if "usage_name" in kinds:
            f = usage[i]
        if "compound" in kinds:
            if has_compound(f) and (not has_compound(g) or rnd.random() < 0.5):
                f = compound_variant(f, rnd)
            elif has_compound(g):
                g = compound_variant(g, rnd)
            else:  # the usage name replaced the compound birth name
                kinds.remove("compound")
        if "typo" in kinds:
            if rnd.random() < 0.65:
                f = typo(f, rnd)
            else:
                g = typo(g, rnd)
        if "accents_lost" in kinds:
            f, g = strip_accents(f), strip_accents(g)
        upper = not mixed_case[i]
        if "case" in kinds:
            upper = not upper
            if rnd.random() < 0.3:
                f, g = f.lower(), g.lower()
                upper = False
        if upper:
            f, g = f.upper(), g.upper()
        names[i] = f"{g}^{f}" if "swapped" in kinds else f"{f}^{g}"
        if "birth_day_month_swap" in kinds:
            b = b.replace(day=b.month, month=b.day)
        if "birth_date_typo" in kinds:
            b = _date_typo(b, rnd)
        births[i] = np.datetime64(b, "D")
        if "sex_missing" in kinds:
            sex[i] = None
        noise[i] = ";".join(kinds)
    return pd.DataFrame({
        "patient_name": names,
        "birth_date": births.astype("datetime64[ns]"),
        "sex": sex,
        "identity_noise": noise,
    })
