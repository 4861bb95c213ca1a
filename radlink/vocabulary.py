"""Canonical codes shared by the generator, the NLP pipes, the linkage and the outputs.

Only data lives here: the codes that appear in output columns (``modality``, ``tracer``,
``indication_category``, ``site``, ``laterality``, ``kind``, ``comparison``, ``etage``) with one
French label each.
Surface forms used to *find* them in text belong to each pipe's ``patterns.py``.

Sources: DICOM PS3.3 C.7.3.1.1.1 (Modality defined terms); French nuclear-medicine
practice (SFMN) for tracers; IASLC lymph-node map (Rusch et al., 2009) for thoracic
stations, simplified to what reports name.
"""

from __future__ import annotations

__all__ = [
    "MODALITIES",
    "TRACERS",
    "INDICATION_CATEGORIES",
    "SITES",
    "SITE_PARENTS",
    "site_group",
    "LATERALITIES",
    "FINDING_KINDS",
    "COMPARISONS",
    "ETAGES",
    "SUV_ROLES",
    "STAY_TYPES",
    "EXAM_FAULTS",
]

# DICOM Modality (0008,0060) defined terms used by radlink, with a French label.
MODALITIES: dict[str, str] = {
    "PT": "TEP",  # positron emission tomography (PET-CT is PT + CT in one study)
    "CT": "Scanner",
    "MR": "IRM",
    "MG": "Mammographie",
    "US": "Échographie",
    "CR": "Radiographie",  # computed radiography
    "DX": "Radiographie",  # digital radiography
    "NM": "Scintigraphie",
}

TRACERS: dict[str, str] = {
    "FDG": "18F-fluorodésoxyglucose",
    "PSMA": "PSMA (68Ga ou 18F)",
    "DOTATOC": "68Ga-DOTATOC",
    "FDOPA": "18F-DOPA",
    "CHOLINE": "18F-fluorocholine",
    "FES": "18F-fluoroestradiol",
    "NAF": "18F-fluorure de sodium",
    "MIBG": "123I-MIBG",
    "HMDP": "99mTc-HMDP",
}

INDICATION_CATEGORIES: dict[str, str] = {
    "initial_staging": "bilan d'extension initial",
    "response_assessment": "évaluation de la réponse thérapeutique",
    "follow_up": "surveillance",
    "suspected_recurrence": "suspicion de récidive",
    "diagnosis": "diagnostic / caractérisation",
    "other": "autre",
}

# Anatomical sites of findings. Codes are stable; labels are the usual French wording.
SITES: dict[str, str] = {
    # lungs and pleura
    "lung": "poumon",
    "lung_upper_lobe": "lobe supérieur",
    "lung_middle_lobe": "lobe moyen",
    "lung_lower_lobe": "lobe inférieur",
    "pleura": "plèvre",
    # thoracic lymph-node stations (IASLC, simplified)
    "ln_supraclavicular": "ganglion sus-claviculaire",
    "ln_mediastinal": "ganglion médiastinal",
    "ln_paratracheal": "ganglion paratrachéal",
    "ln_subcarinal": "ganglion sous-carinaire",
    "ln_hilar": "ganglion hilaire",
    "ln_prevascular": "ganglion de la loge de Barety",
    "ln_aortopulmonary": "ganglion de la fenêtre aorto-pulmonaire",
    # other lymph-node regions
    "ln_cervical": "ganglion cervical",
    "ln_axillary": "ganglion axillaire",
    "ln_retroperitoneal": "ganglion rétropéritonéal",
    "ln_coeliac": "ganglion cœliaque",
    "ln_iliac": "ganglion iliaque",
    "ln_inguinal": "ganglion inguinal",
    # organs
    "liver": "foie",
    "adrenal": "surrénale",
    "brain": "cerveau",
    "spleen": "rate",
    "pancreas": "pancréas",
    "kidney": "rein",
    "thyroid": "thyroïde",
    "breast": "sein",
    "prostate": "prostate",
    "colon": "côlon",
    "oesophagus": "œsophage",
    "stomach": "estomac",
    "peritoneum": "péritoine",
    "small_bowel": "intestin grêle",
    "appendix": "appendice",
    "biliary_tract": "voies biliaires",
    "gallbladder": "vésicule biliaire",
    "bladder": "vessie",
    "ureter": "uretère",
    "uterus": "utérus",
    "ovary": "ovaire",
    "abdominal_wall": "paroi abdominale",
    "heart": "cœur",
    "pericardium": "péricarde",
    # vessels
    "vessel": "vaisseau",
    "aorta": "aorte",
    "portal_vein": "veine porte",
    # bones
    "bone": "os",
    "spine": "rachis",
    "rib": "côte",
    "pelvis_bone": "bassin",
    "sternum": "sternum",
    "femur": "fémur",
    "humerus": "humérus",
    # reference regions (kind = "reference")
    "mediastinal_blood_pool": "bruit de fond médiastinal",
    "liver_reference": "foie (référence)",
}

# The site hierarchy: a specific code -> the more general code it belongs to. Thoracic
# stations follow the IASLC map (Rusch et al., 2009): paratracheal (2, 4), prevascular
# (3a), aortopulmonary (5, 6) and subcarinal (7) nodes are mediastinal (N2); hilar nodes
# (10) are N1, not mediastinal, and have no parent here.
SITE_PARENTS: dict[str, str] = {
    "lung_upper_lobe": "lung",
    "lung_middle_lobe": "lung",
    "lung_lower_lobe": "lung",
    "ln_paratracheal": "ln_mediastinal",
    "ln_subcarinal": "ln_mediastinal",
    "ln_prevascular": "ln_mediastinal",
    "ln_aortopulmonary": "ln_mediastinal",
    "spine": "bone",
    "rib": "bone",
    "pelvis_bone": "bone",
    "sternum": "bone",
    "femur": "bone",
    "humerus": "bone",
    # the appendix is the caecum's, a part of the colon; the gallbladder belongs to the
    # biliary tract; the pericardium is counted with the heart
    "appendix": "colon",
    "gallbladder": "biliary_tract",
    "pericardium": "heart",
    # the ureter is counted with the kidney (the upper urinary tract): "calcul de
    # l'uretère lombaire gauche" is a finding of the left upper urinary tract
    "ureter": "kidney",
    "aorta": "vessel",
    "portal_vein": "vessel",
}


def site_group(code: str) -> str:
    """The most general code a site belongs to (itself when it has no parent).

    Examples
    --------
    >>> site_group("ln_subcarinal"), site_group("ln_hilar"), site_group("liver")
    ('ln_mediastinal', 'ln_hilar', 'liver')
    """
    while code in SITE_PARENTS:
        code = SITE_PARENTS[code]
    return code

LATERALITIES: dict[str, str] = {"left": "gauche", "right": "droit", "bilateral": "bilatéral"}

FINDING_KINDS: tuple[str, ...] = ("lesion", "reference")

# How a finding compares with the previous exam (``findings.comparison``). Sources: the
# change categories of response criteria (RECIST 1.1, Eisenhauer et al., 2009; PERCIST,
# Wahl et al., 2009: new lesion, increase, decrease, stable, complete disappearance) and
# the wording of French reports ("nouvelle", "en augmentation", "en diminution",
# "stable", "disparition"), as the ``radlink.qualifiers`` cues find them.
COMPARISONS: dict[str, str] = {
    "new": "nouvelle",
    "increased": "en augmentation",
    "decreased": "en diminution",
    "stable": "stable",
    "resolved": "disparue",
}

# PET "étages" (body levels) results are split into (``findings.etage``), as SFMN
# PET-CT report templates title them.
ETAGES: dict[str, str] = {
    "cervical": "étage cervical",
    "thoracic": "étage thoracique",
    "abdominopelvic": "étage abdomino-pelvien",
    "bone": "squelette",
}

# Role of a SUVmax value in a report.
SUV_ROLES: tuple[str, ...] = ("lesion", "reference", "previous")

STAY_TYPES: dict[str, str] = {
    "hospitalisation": "Hospitalisation complète",
    "day_care": "Hôpital de jour",
    "consultation": "Consultation",
    "emergency": "Urgences",
}

# Ways an exam is badly attached to a patient in a warehouse (generator truth).
EXAM_FAULTS: tuple[str, ...] = (
    "none",
    "missing_ipp",
    "mistyped_ipp",
    "other_patient_ipp",
    "temporary_ipp",
)
