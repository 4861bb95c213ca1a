"""Patterns of the ``radlink.exam_type`` pipe (data only).

Modality codes are DICOM defined terms (PS3.3 C.7.3.1.1.1), tracer codes those of
:data:`radlink.vocabulary.TRACERS`; surface forms from French report titles and SFMN
usage.
"""

# tracer code -> surface forms (regex, case-insensitive, word-bounded)
TRACERS: dict[str, list[str]] = {
    "FDG": [
        r"(?:18[- ]?F?[- ]?)?FDG",
        r"fluoro[- ]?d[ée]s?oxy[- ]?glucose",
        r"fluoro[- ]?2[- ]?d[ée]s?oxy[- ]?d?[- ]?glucose",
    ],
    "PSMA": [r"(?:68[- ]?Ga|18[- ]?F)?[- ]?PSMA(?:[- ]?(?:11|1007))?", r"pylarify|piflufolastat|gozetotide|illuccix|locametz"],
    "DOTATOC": [r"(?:68[- ]?Ga[- ]?)?DOTA[- ]?(?:TOC|TATE|NOC)", r"somakit|netspot"],
    "FDOPA": [r"(?:18[- ]?F[- ]?)?F?[- ]?DOPA", r"fluoro[- ]?dopa", r"dopacis|iasodopa"],
    "CHOLINE": [r"(?:18[- ]?F[- ]?)?(?:fluoro)?[- ]?choline", r"FCH", r"f[- ]?choline", r"iasocholine"],
    "FES": [r"(?:18[- ]?F[- ]?)?FES", r"fluoro[- ]?o?estradiol", r"cerianna|estrotep"],
    "NAF": [r"Na[- ]?F", r"fluorure de sodium"],
    "MIBG": [r"(?:123[- ]?I[- ]?)?MIBG", r"m[ée]ta[- ]?iodo[- ]?benzyl[- ]?guanidine"],
    "HMDP": [r"(?:99m[- ]?Tc[- ]?)?H?MDP", r"HDP", r"oxidronate", r"scintigraphie osseuse"],
}

# modality code -> surface forms. Order is priority when several are named in a
# title (a PET-CT title names the CT too).
MODALITIES: dict[str, list[str]] = {
    "PT": [
        r"TEP(?:[- /]?(?:TDM|scan(?:ner)?|CT|IRM))?",
        r"PET(?:[- /]?(?:CT|scan|TDM|IRM|MR))?",
        r"tomographie par [ée]mission de positons?",
        r"tomoscintigraphie par [ée]mission de positons?",
    ],
    "NM": [
        r"scintigraphie",
        r"TEMP(?:[- /]?TDM)?",
        r"SPECT(?:[- /]?CT)?",
        r"tomoscintigraphie",
    ],
    "MR": [r"IRM", r"imagerie par r[ée]sonance magn[ée]tique", r"r[ée]sonance magn[ée]tique", r"ARM"],
    "MG": [r"mammographies?", r"tomosynth[èe]se", r"clich[ée]s? mammaires?"],
    "CT": [
        r"TDM",
        r"scanner",
        r"scanographie",
        r"tomodensitom[ée]trie",
        r"angio[- ]?scanner",
        r"uro[- ]?scanner",
        r"coroscanner",
        r"CT[- ]?scan",
    ],
    "US": [r"[ée]chographies?", r"[ée]cho[- ]?doppler", r"doppler", r"[ée]chographique"],
    "CR": [r"radiographies?", r"radio(?:graphie)?s? (?:du|de la|des|pulmonaire|thoracique)", r"clich[ée]s?", r"RP", r"ASP"],
}

# Tracers that make a study a PET (PT); the others are single-photon (NM).
PET_TRACERS = ("FDG", "PSMA", "DOTATOC", "FDOPA", "CHOLINE", "FES", "NAF")
