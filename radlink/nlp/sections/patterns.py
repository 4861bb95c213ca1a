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
        # typed in haste: "Indicaton", "Indiction", "Inidcation"
        r"in(?:dicaton|diction|idcation|dciation|dication|ducation)s?",
        r"(?:donn[ée]es|informations?|[ée]l[ée]ments?|notes?|situation) cliniques?",
        r"raisons? de l'examen|demande d'examen|examen demand[ée]",
        r"indic\.?",  # "Indic : ATCD de colectomie."
        r"motifs?(?: de l'examen| de la demande| d'examen)?",
        r"renseignements?(?: cliniques?)?",
        # abbreviated: "RC :", "Rens. clin. :", "Rens cliniques :"
        r"RC|rens(?:eign)?\.?(?: clin(?:iques?|\.)?)?",
        r"buts?(?: de l'examen)?|objet(?: de l'examen)?|probl[èe]me pos[ée]",
        r"contexte(?: clinique)?",
        r"clinique",  # "Clinique : toux chronique."
        r"histoire(?: clinique| de la maladie)?",
        r"(?:question|demande)(?: pos[ée]e| clinique)?",
        r"objectifs?(?: de l'examen)?",
        # English titles of teleradiology templates: "Clinical info :", "Clinical history :"
        r"clinical (?:info(?:rmation)?s?|history|indications?)",
    ],
    "technique": [
        r"techniques?(?: d'examen| de l'examen| d'acquisition)?",
        r"protocoles?(?: d'acquisition| d'examen)?",
        r"proc[ée]dure",
        r"mode op[ée]ratoire",
        r"param[èe]tres? d'acquisition",
        # PET templates: "Acquisition : 60 min après injection", "Paramètres techniques :"
        r"acquisitions?(?: des images| TEP(?:[- ]TDM)?)?",
        r"param[èe]tres?(?: techniques?| d'injection| d'examen)?",
        r"donn[ée]es techniques",
    ],
    "comparison": [
        r"comparaisons?(?: avec| à| au| aux)?(?: (?:l'|les |le |la )?(?:examens?|tep|scanners?) (?:ant[ée]rieurs?|pr[ée]c[ée]dents?))?"
        # the previous exam named in brackets: "Comparaison (TEP du [DATE]) :"
        r"(?:[ \t]*\((?:tep|tdm|irm|scanner|examen|[ée]chographie)[^()\n]{0,40}\)(?=[ \t]*:))?",
        r"ant[ée]riorit[ée]s?",
        r"examens? (?:ant[ée]rieurs?|de r[ée]f[ée]rence|comparatifs?)",
        r"comparatifs?",  # "Comparatif : TDM du [DATE]."
    ],
    "results": [
        r"r[ée]sultats?(?: de l'examen)?",
        r"r[ée]s(?:utl|lut|ul|ult)ats?|r[ée]sulta(?:st|t)s?",
        r"descriptions?",
        r"constatations?",
        r"interpr[ée]tation",
        r"compte[ -]rendu",
        r"observations?",
        r"analyse",
        # second-opinion reviews of outside imaging: "RELECTURE", "Relecture des clichés :"
        r"relectures?(?: (?:des|de l'|du) (?:clich[ée]s|images|examens?|imagerie|dossier))?",
    ],
    "conclusion": [
        r"(?:en )?conclusions?(?: radiologiques?| de l'examen| du radiologue)?(?: et (?:recommandations?|conduite [àa] tenir|CAT|avis))?",
        # abbreviated by residents and in dictation: "CCL :", "Concl. :"
        r"ccl|concl\.?",
        r"(?:en )?r[ée]sum[ée]|[àa] retenir|au final",
        r"interpr[ée]tation et conclusion",
        # typed in haste: a letter dropped or two swapped ("CONLUSION", "Concluison")
        r"(?:en )?con(?:lusion|cusion|clsion|cluion|culsion|cluison|clusoin|clusio)s?",
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
    # Titles are matched on word stems, so that capitals, abbreviations and typos of
    # hand-typed templates still name their étage ("ETAGE ABDOMINOPELVIAN", "Et. thorac.",
    # "ÉTAGE CERVICO-ENCEPHALIQ") instead of leaving their lines in the previous étage.
    "cervical": [
        r"(?:[ée]tage |[ée]t\.? )?(?:cervico[- ]?(?:enc[ée]phal|faci|c[ée]r[ée]br)\w*\.?)",
        r"(?:[ée]tage |[ée]t\.? )?(?:t[êe]te et cou|cervica?l?\w*\.?|c[ée]r[ée]bral|enc[ée]phali\w*\.?|orl|cou)",
    ],
    "thoracic": [
        r"(?:[ée]tage |[ée]t\.? )?(?:thora(?:ci?q?u?e?|x)\w*\.?|thx|m[ée]diastino[- ]?pulmonaire|sus[- ]?diaphragmatique)",
    ],
    "abdominopelvic": [
        r"(?:[ée]tage |[ée]t\.? )?(?:abdomino[- ]?pel\w*\.?|abdo(?:minal|men)?\w*\.?(?:[- ]?pelvi\w*| et pelvi\w*| et pelvien)?|pelvi\w*\.?|sous[- ]diaphragmatique)",
    ],
    "bone": [r"(?:[ée]tage )?(?:squel+et+\w*|osseux|os|ost[ée]o[- ]?m[ée]dullaire)"],
}

# A bullet before a title: "-", "*", "•", "#", ">" and spaces.
BULLET = r"[ \t]*(?:[-*•·#>][ \t]*)?(?:au niveau (?:de l'|du |des )?)?"

# Signature lines that close a report: they end the last section (a conclusion does
# not run into "Compte rendu validé par le Dr [NOM].").
SIGNATURE = (
    r"(?:(?:compte[- ]rendu|cr|document|r[ée]sultat)s?[ \t]+)?(?:valid[ée]|sign[ée]|dict[ée]|relu|frapp[ée]|tap[ée]|r[ée]dig[ée])e?s?\b[^\n]*"
    # the resident's and senior's lines of an on-call report: "Interne [NOM].",
    # "Interne de garde [NOM] - Senior [NOM] : vu et validé", "Addendum senior (Dr [NOM]) : ..."
    r"|(?:(?:fait|faite|r[ée]alis[ée]e?|effectu[ée]e?) par (?:l'|le |la )?(?:interne|senior|Dr|docteur|\[))[^\n]*"
    r"|(?:interne|int\.|senior|r[ée]sident|externe|docteur junior|chef de clinique)s?(?: de garde)?[ \t]*(?:\[|\(|:|-|,|\.|$)[^\n]*"
    r"|(?:addendum|validation)(?: (?:du |par le )?senior| \(?(?:Dr|docteur)\b)[^\n]*"
    r"|(?:le |la )?(?:Dr|Docteur|Pr|Professeur)\.?[ \t]+[^\n]{0,60}"
    r"|(?:cordialement|bien confraternellement|confraternellement)[^\n]*"
)
