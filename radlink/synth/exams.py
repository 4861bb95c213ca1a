"""What each exam is: modality, study description, body part, performing unit, ids.

Modalities depend on where the exam happens (PET-CT in day care, consultations and
outpatient slots of a lung-cancer cohort; CT, radiography and ultrasound in emergency),
and each modality has a list of French study descriptions as PACS write them, each tied
to a DICOM body part and to the kind of report that describes it.

Ids are given in study time order, as a PACS would: ``exam_id`` is a StudyInstanceUID
under the French ``1.2.250.1`` root, ``accession_number`` is ``"A"`` + a RIS counter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["MODALITY_CODES", "STUDY_TYPES", "draw_studies", "assign_exam_ids"]

# Columns of the probability table below.
MODALITY_CODES: tuple[str, ...] = ("PT\\CT", "CT", "MR", "MG", "US", "CR", "DX", "NM")

_MODALITY_P = {
    "hospitalisation": (0.10, 0.40, 0.10, 0.01, 0.14, 0.13, 0.07, 0.05),
    "day_care": (0.50, 0.28, 0.06, 0.02, 0.05, 0.04, 0.02, 0.03),
    "consultation": (0.48, 0.24, 0.08, 0.06, 0.07, 0.03, 0.02, 0.02),
    "emergency": (0.00, 0.45, 0.03, 0.00, 0.17, 0.25, 0.10, 0.00),
    "outpatient": (0.42, 0.30, 0.07, 0.05, 0.07, 0.04, 0.02, 0.03),
}

# (modality, study description, body part, report kind, tracer, weight)
# Report kinds are the builders of radlink.synth.report_text.
STUDY_TYPES: tuple[tuple[str, str, str, str, str | None, float], ...] = (
    ("PT\\CT", "TEP-TDM FDG CORPS ENTIER", "WHOLEBODY", "pet", "FDG", 5),
    ("PT\\CT", "TEP TDM 18F-FDG", "WHOLEBODY", "pet", "FDG", 4),
    ("PT\\CT", "TEP-SCANNER AU 18F-FDG", "WHOLEBODY", "pet", "FDG", 2),
    ("PT\\CT", "TEP FDG", "WHOLEBODY", "pet", "FDG", 2),
    ("PT\\CT", "PET-CT FDG VERTEX-MI-CUISSES", "WHOLEBODY", "pet", "FDG", 1),
    ("PT\\CT", "TEPSCAN FDG", "WB", "pet", "FDG", 1),
    ("PT\\CT", "TOMOGRAPHIE PAR EMISSION DE POSITONS", "WHOLEBODY", "pet", "FDG", 1),
    ("PT\\CT", "TEP-TDM 68GA-DOTATOC", "WHOLEBODY", "pet", "DOTATOC", 0.3),
    ("PT\\CT", "TEP-TDM 18F-FLUOROCHOLINE", "WHOLEBODY", "pet", "CHOLINE", 0.3),
    ("PT\\CT", "TEP-TDM PSMA", "WHOLEBODY", "pet", "PSMA", 0.3),
    ("PT\\CT", "TEP-TDM 18F-DOPA", "WHOLEBODY", "pet", "FDOPA", 0.2),
    ("CT", "TDM THORAX INJ", "CHEST", "ct_chest", None, 4),
    ("CT", "SCANNER THORACIQUE", "CHEST", "ct_chest", None, 3),
    ("CT", "TDM THORACIQUE SANS INJECTION", "CHEST", "ct_chest", None, 1),
    ("CT", "ANGIOSCANNER THORACIQUE", "CHEST", "ct_chest", None, 1),
    ("CT", "SCANNER THORACO-ABDOMINO-PELVIEN", "CHESTABDPELVIS", "ct_tap", None, 4),
    ("CT", "TDM TAP INJ", "CHESTABDPELVIS", "ct_tap", None, 2),
    ("CT", "TDM CEREBRALE", "HEAD", "ct_head", None, 1.5),
    ("CT", "SCANNER ABDOMINO-PELVIEN", "ABDOMEN", "ct_abdo", None, 1),
    ("MR", "IRM CEREBRALE", "HEAD", "mr_brain", None, 4),
    ("MR", "IRM ENCEPHALIQUE INJ", "BRAIN", "mr_brain", None, 2),
    ("MR", "IRM HEPATIQUE", "ABDOMEN", "mr_liver", None, 1),
    ("MR", "IRM RACHIS DORSO-LOMBAIRE", "SPINE", "mr_spine", None, 1),
    ("MG", "MAMMOGRAPHIE BILATERALE", "BREAST", "mg", None, 3),
    ("MG", "MAMMOGRAPHIE DE DEPISTAGE", "BREAST", "mg", None, 1),
    ("US", "ECHOGRAPHIE ABDOMINALE", "ABDOMEN", "us_abdo", None, 4),
    ("US", "ECHO ABDOMINO-PELVIENNE", "ABDOMEN", "us_abdo", None, 1),
    ("US", "ECHOGRAPHIE CERVICALE", "NECK", "us_neck", None, 1),
    ("US", "ECHOGRAPHIE THYROIDIENNE", "NECK", "us_neck", None, 1),
    ("US", "ECHOGRAPHIE PLEURALE", "CHEST", "us_pleura", None, 1),
    ("CR", "RADIO THORAX FACE", "CHEST", "xr_chest", None, 4),
    ("CR", "RX THORAX F+P", "CHEST", "xr_chest", None, 2),
    ("CR", "RADIOGRAPHIE DU BASSIN", "PELVIS", "xr_bone", None, 1),
    ("DX", "THORAX FACE", "CHEST", "xr_chest", None, 3),
    ("DX", "RADIOGRAPHIE THORACIQUE AU LIT", "CHEST", "xr_chest", None, 1),
    ("DX", "RX RACHIS LOMBAIRE", "LSPINE", "xr_bone", None, 1),
    ("NM", "SCINTIGRAPHIE OSSEUSE CORPS ENTIER", "WHOLEBODY", "nm_bone", "HMDP", 4),
    ("NM", "SCINTIGRAPHIE OSSEUSE", "WHOLEBODY", "nm_bone", "HMDP", 1),
)  # fmt: skip

_INSTITUTIONS = ("CHU SYNTHESE", "CHU SYNTHESE", "CHU SYNTHESE - SITE NORD", "CHU SYNTHESE SITE SUD",
                 "CH SYNTHESE")  # fmt: skip
_UNITS = {
    "PT\\CT": ("MEDECINE NUCLEAIRE", "MEDECINE NUCLEAIRE", "SERVICE DE MEDECINE NUCLEAIRE"),
    "NM": ("MEDECINE NUCLEAIRE",),
    "MG": ("IMAGERIE DE LA FEMME", "RADIOLOGIE"),
    "emergency": ("RADIOLOGIE URGENCES", "IMAGERIE URGENCES"),
    "other": ("RADIOLOGIE", "RADIOLOGIE CENTRALE", "IMAGERIE THORACIQUE", "RADIOLOGIE"),
}


def draw_studies(stay_type: np.ndarray, sex: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Draw modality, study description, body part, report kind, tracer and unit.

    Parameters
    ----------
    stay_type : numpy.ndarray of str
        Context of each exam (a stay type, or ``"outpatient"``).
    sex : numpy.ndarray of str
        True sex of each exam's patient (mammography is for women).
    rng : numpy.random.Generator

    Returns
    -------
    pandas.DataFrame
        ``modality``, ``study_description``, ``body_part``, ``report_kind``, ``tracer``,
        ``institution``, ``unit``; one row per exam.

    Examples
    --------
    >>> import numpy as np
    >>> s = draw_studies(np.array(["emergency"] * 50, dtype=object), np.array(["M"] * 50, dtype=object),
    ...                  np.random.default_rng(0))
    >>> "PT\\\\CT" in set(s["modality"]), "MG" in set(s["modality"])
    (False, False)
    """
    n = len(stay_type)
    modality = np.empty(n, dtype=object)
    codes = np.asarray(MODALITY_CODES, dtype=object)
    for context, p in _MODALITY_P.items():
        idx = np.flatnonzero(stay_type == context)
        modality[idx] = codes[rng.choice(len(codes), size=len(idx), p=np.asarray(p) / sum(p))]
    modality[(modality == "MG") & (sex != "F")] = "CR"

    table = np.asarray(STUDY_TYPES, dtype=object)
    study = np.empty(n, dtype=np.int64)
    for code in MODALITY_CODES:
        rows = np.flatnonzero(table[:, 0] == code)
        w = table[rows, 5].astype(float)
        idx = np.flatnonzero(modality == code)
        study[idx] = rows[rng.choice(len(rows), size=len(idx), p=w / w.sum())]

    unit = np.empty(n, dtype=object)
    r = rng.integers(0, 1000, size=n)
    for i in range(n):
        m = modality[i]
        pool = _UNITS.get(m) or (_UNITS["emergency"] if stay_type[i] == "emergency" else _UNITS["other"])
        unit[i] = pool[r[i] % len(pool)]
    institution = np.asarray(_INSTITUTIONS, dtype=object)[rng.integers(0, len(_INSTITUTIONS), size=n)]
    institution[rng.random(n) < 0.03] = None
    return pd.DataFrame({
        "modality": modality,
        "study_description": table[study, 1],
        "body_part": table[study, 2],
        "report_kind": table[study, 3],
        "tracer": table[study, 4],
        "institution": institution,
        "unit": unit,
    })


def assign_exam_ids(
    study_datetime: np.ndarray, seed: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort exams by study time and give them UIDs and accession numbers in that order.

    Returns
    -------
    order : numpy.ndarray of int
        Permutation that puts the exams in time order.
    exam_id : numpy.ndarray (object)
        StudyInstanceUID-like ids, in the sorted order.
    accession_number : numpy.ndarray (object)
        ``"A"`` + 8 digits, increasing with time, in the sorted order.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.array(["2020-01-02T10:00", "2020-01-01T09:00"], dtype="datetime64[s]")
    >>> order, uid, acc = assign_exam_ids(t, 7, np.random.default_rng(0))
    >>> order.tolist(), uid[0].startswith("1.2.250.1."), acc[0] < acc[1]
    ([1, 0], True, True)
    """
    order = np.argsort(study_datetime, kind="stable")
    t = study_datetime[order].astype("datetime64[s]")
    n = len(order)
    stamp = np.datetime_as_string(t, unit="s")
    counter = np.arange(1, n + 1)
    # 1.2.250.1 = French root (AFNOR); 59 = a fictitious hospital arc; then seed, date, counter.
    uid = np.array(
        [f"1.2.250.1.59.{seed}.{s[:4]}{s[5:7]}{s[8:10]}.{c}" for s, c in zip(stamp, counter, strict=True)],
        dtype=object,
    )
    acc_num = 10_000_000 + np.cumsum(rng.integers(1, 4, size=n))
    acc = np.array([f"A{a}" for a in acc_num], dtype=object)
    return order, uid, acc
