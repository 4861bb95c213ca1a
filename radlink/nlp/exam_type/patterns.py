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
        # "dentascanner", "arthroscanner", "colo-scanner"; image-guided procedures
        r"(?:denta|arthro|colo|myelo|entero|body)[- ]?scanner|body[- ]?TDM",
        r"scano[- ]?guid[ée]e?s?|sous (?:contr[ôo]le )?(?:scanographique|TDM|scanner)|scanographique",
        r"cone[- ]?beam|CBCT",
    ],
    "US": [
        r"[ée]chographies?", r"[ée]cho[- ]?doppler", r"doppler", r"[ée]chographique",
        r"[ée]cho[- ]?guid[ée]e?s?|sous (?:contr[ôo]le )?[ée]chographique",
        # "Echo abdominale" (residents' titles); not the MR "écho de spin / de gradient"
        r"[ée]chos?(?! de (?:spin|gradient))(?=[ \t]+(?:abdo|pelv|r[ée]nal|v[ée]sic|thyro|cervic|mammaire|des|du|de la|hépat|hepat|endo|trans|doppler))",
    ],
    "CR": [
        r"radiographies?", r"radio(?:graphie)?s? (?:du|de la|des|de|d'|pulmonaire|thoracique|standard)",
        r"clich[ée]s?", r"RP", r"ASP", r"Rx", r"t[ée]l[ée]radiographie", r"orthopantomogramme|panoramique dentaire",
        r"pangonogramme",
    ],
}

# Tracers that make a study a PET (PT); the others are single-photon (NM).
PET_TRACERS = ("FDG", "PSMA", "DOTATOC", "FDOPA", "CHOLINE", "FES", "NAF")

# Words of an exam's technique or description that tell its modality when the report
# names none in its title, head or technique (a generic header, a PDF letterhead):
# "séquences T1, T2, FLAIR" (MR), "injection de produit de contraste iodé" (CT),
# "bassin de face, hanche profil" (radiography). Read only as a last resort: the
# modality with the most cues, two at least, before a modality named elsewhere in the
# text (often a previous or a planned exam).
MODALITY_CUES: dict[str, list[str]] = {
    "MR": [
        r"s[ée]quences?", r"pond[ée]r[ée]e?s?", r"T1|T2\*?|3D ?T1", r"FLAIR", r"diffusion", r"STIR",
        r"gadolin\w*|gado", r"ADC", r"hypersignal|hyposignal|isosignal|signal",
        r"[13][.,]?5?[ \t]*T(?:esla)?", r"SWI|TOF|DWI",
    ],
    "CT": [
        r"(?:produit de )?contraste iod[ée]|iod[ée]", r"coupes? (?:axiales|fines|jointives|millim[ée]triques|infra[- ]?millim[ée]triques)",
        r"reconstructions?|MPR|MIP", r"fen[êe]tres? (?:parenchymateuse|pulmonaire|osseuse|m[ée]diastinale)",
        r"hypodens\w*|hyperdens\w*|isodens\w*|densit[ée] spontan[ée]e", r"UH|unit[ée]s? Hounsfield",
        r"PDL|mGy\.?cm", r"h[ée]lico[iï]dale?", r"temps (?:portal|art[ée]riel|tardif)",
    ],
    "US": [
        r"sonde", r"mode B", r"an[ée]chog[èe]ne|hypo[ée]chog[èe]ne|hyper[ée]chog[èe]ne|is[ée]chog[èe]ne|[ée]chog[èe]ne",
        r"[ée]chostructure", r"c[ôo]ne d'ombre", r"renforcement post[ée]rieur", r"Doppler", r"flux",
    ],
    "CR": [
        r"incidences?", r"(?:de )?face(?: et| \+)? (?:de )?profil|F ?\+ ?P", r"clich[ée]s?",
        r"profil", r"(?:de )?face", r"trait de fracture", r"interlignes?", r"transparence",
    ],
    "MG": [r"ACR ?[0-6][abc]?|BI-?RADS ?[0-6]", r"microcalcifications?", r"densit[ée] mammaire|seins? (?:denses?|graisseux)", r"CC|MLO|oblique externe"],
}
