"""Patterns of the ``radlink.sections`` pipe (data only).

Section titles of French imaging reports (radiology and nuclear medicine), gathered
from SFR/SFMN report templates and hospital exports: they differ from the discharge
summary titles that ``eds.sections`` knows. Each title is a regex on the cleaned text,
matched at the start of a line (after an optional bullet), any case, followed by a
colon, a dash or the end of the line.
"""

# section code -> title regexes
SECTIONS: dict[str, list[str]] = {
    "indication": [
        r"indications?(?: (?:de l'|d'|cliniques?|de l'examen)\w*)?",
        r"motifs?(?: de l'examen| de la demande| d'examen)?",
        r"renseignements?(?: cliniques?)?",
        r"contexte(?: clinique)?",
        r"clinique",  # "Clinique : toux chronique."
        r"histoire(?: clinique| de la maladie)?",
        r"(?:question|demande)(?: pos[ée]e| clinique)?",
        r"objectifs?(?: de l'examen)?",
    ],
    "technique": [
        r"techniques?(?: d'examen| de l'examen| d'acquisition)?",
        r"protocoles?(?: d'acquisition| d'examen)?",
        r"proc[ée]dure",
        r"mode op[ée]ratoire",
        r"param[èe]tres? d'acquisition",
    ],
    "comparison": [
        r"comparaisons?(?: avec| à| au| aux)?(?: (?:l'|les |le |la )?(?:examens?|tep|scanners?) (?:ant[ée]rieurs?|pr[ée]c[ée]dents?))?",
        r"ant[ée]riorit[ée]s?",
        r"examens? (?:ant[ée]rieurs?|de r[ée]f[ée]rence|comparatifs?)",
    ],
    "results": [
        r"r[ée]sultats?(?: de l'examen)?",
        r"descriptions?",
        r"constatations?",
        r"interpr[ée]tation",
        r"compte[ -]rendu",
        r"observations?",
        r"analyse",
    ],
    "conclusion": [
        r"(?:en )?conclusions?",
        r"synth[èe]se",
        r"au total",
        r"impressions?",
        r"avis",
    ],
}

# Titles that may end with a comma instead of a colon ("En conclusion, ...").
COMMA_TITLES: dict[str, list[str]] = {
    "conclusion": [r"en conclusion", r"au total", r"en synth[èe]se"],
}

# PET "étages" (body levels) that results are often split into, as sub-sections.
ETAGES: dict[str, list[str]] = {
    "cervical": [
        r"(?:[ée]tage )?cervico[- ]?(?:enc[ée]phalique|faciale?)",
        r"(?:[ée]tage )?(?:t[êe]te et cou|cervical|c[ée]r[ée]bral|enc[ée]phalique|orl)",
    ],
    "thoracic": [r"(?:[ée]tage )?(?:thoracique|thorax|m[ée]diastino[- ]pulmonaire)"],
    "abdominopelvic": [
        r"(?:[ée]tage )?(?:abdomino[- ]?pelvien|abdominal et pelvien|abdomen(?:[- ]?pelvis| et pelvis)?|abdominal|pelvien|pelvis|sous[- ]diaphragmatique)",
    ],
    "bone": [r"(?:[ée]tage )?(?:squelett(?:e|ique)|osseux|os|ost[ée]o[- ]?m[ée]dullaire)"],
}

# A bullet before a title: "-", "*", "•", "#", ">" and spaces.
BULLET = r"[ \t]*(?:[-*•·#>][ \t]*)?(?:au niveau (?:de l'|du |des )?)?"

# Signature lines that close a report: they end the last section (a conclusion does
# not run into "Compte rendu validé par le Dr [NOM].").
SIGNATURE = (
    r"(?:(?:compte[- ]rendu|cr|document|r[ée]sultat)s?[ \t]+)?(?:valid[ée]|sign[ée]|dict[ée]|relu|frapp[ée]|tap[ée])e?s?\b[^\n]*"
    r"|(?:le |la )?(?:Dr|Docteur|Pr|Professeur)\.?[ \t]+[^\n]{0,60}"
    r"|(?:cordialement|bien confraternellement|confraternellement)[^\n]*"
)
