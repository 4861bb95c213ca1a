"""Patterns of the ``radlink.indication`` pipe (data only).

Indication categories are the codes of :data:`radlink.vocabulary.INDICATION_CATEGORIES`.
Wording from French PET-CT and radiology requests (SFMN guidelines, oncology
multidisciplinary-meeting requests). Rules are tried in order: the first that matches
gives the category, so the more specific come first (a "bilan d'extension d'une
récidive" is a suspected recurrence, an "évaluation après 3 cures" a response).
"""

# Words of a tumour, for the rules that hold only of a cancer ("bilan initial").
TUMOUR_WORDS = (
    r"n[ée]oplas|cancer|carcinom|tumeur|tumora|lymphome|sarcome|m[ée]lanome|m[ée]tasta|ad[ée]nome|"
    r"my[ée]lome|hodgkin|\b(?:TNE|ADK|CBNPC|CBPC|CHC|LNH|LBDGC|GIST|K)\b"
)

# An oncological treatment under way, or one session of it: "sous chimiothérapie",
# "sous pembrolizumab", "de la 2e chimioembolisation", "après TACE".
ONGOING_TREATMENT = (
    r"(?:\bsous (?:(?:chimio|immuno|hormono|radio[- ]?chimio)th[ée]rapie|th[ée]rapie cibl[ée]e|[a-z]+(?:mab|nib|lib|cine|platine|xel|taxel)\b)"
    r"|\b(?:TACE|chimio[- ]?embolisation|radio[- ]?embolisation|SIRT)\b)"
)

# The workups that stage or diagnose a lesion, or ask about a pain, not prepare a
# procedure: "bilan d'extension avant coelioscopie", "bilan pré-thérapeutique", "bilan
# avant décision de biopsie", "névralgie résistante aux antalgiques, bilan avant infiltration".
DIAGNOSTIC_WORKUP = r"extension|stadification|biops|pr[ée][- ]?th[ée]rapeutique|d[ée]cision|douleur|algi"

CATEGORY_RULES: list[tuple[str, list[str]]] = [
    (
        "other",
        [
            r"(?:tep|scanner|examen) de (?:centrage|rep[ée]rage|planification)",
            r"centrage|planification (?:de la |du )?(?:radioth[ée]rapie|traitement)|dosim[ée]trie",
            r"contr[ôo]le (?:de |du )?(?:la )?(?:position|positionnement|mise en place)",
            r"position (?:de la |du |d'une? )(?:chambre|sonde|cath[ée]ter|picc|drain)",
            r"contr[ôo]le (?:d'une? |du |de la |de l'|des |de )?(?:drains?|sondes?|cath[ée]ters?|chambre|picc|pace-?maker|stents?|mat[ée]riel)",
            # a device's position, unless a symptom is asked about ("oedème du bras chez un
            # patient porteur d'une chambre implantable" asks for a thrombosis)
            r"(?s:^(?!.*(?:[œo]d[èe]me|douleur|thrombose|fi[èe]vre|gonflement|rougeur)).*?(?:chambre implantable|picc[- ]?line))",
            r"(?:avant|pour) (?:l'|une )?inclusion|essai (?:th[ée]rapeutique|clinique)|protocole de recherche",
            # a workup before a treatment of a benign disease ("varices, bilan avant
            # traitement endoveineux", "utérus myomateux, bilan avant myomectomie")
            # whatever the procedure is called and however the workup is worded ("bilan
            # de varices avant chirurgie", "bilan pré-TAVI", "bilan de faisabilité d'un TAVI")
            rf"(?s:^(?!.*(?:{TUMOUR_WORDS}|[ée]valuation|r[ée]ponse|r[ée]cidive|suspicion|\?|{DIAGNOSTIC_WORKUP})).*?bilan\b[^.;\n]{{0,40}}?"
            r"(?:\b(?:avant|pr[ée]alable [àa]|en vue d'une?|de faisabilit[ée])\b|\bpr[ée][- ](?!op[ée]ratoire)\w))",
            # a screening exam ("Dépistage organisé", "Bilan de dépistage."), not a
            # finding seen at screening ("nodule vu à l'échographie de dépistage")
            r"^\W*(?:bilan (?:de |du )?)?d[ée]pistage\b",
            r"rep[ée]rage (?:avant|pour|pr[ée])",
            r"contr[ôo]le (?:apr[èe]s|post)[- ]?(?:un |une |le |la )?(?:drainage|pose|ponction|biopsie|mise en place|intervention)",
            # a pre-operative check is "other" unless the request names a cancer
            r"(?s:^(?!.*(?:n[ée]oplas|cancer|carcinom|tumeur|tumora|lymphome|sarcome|m[ée]lanome|m[ée]tasta|ad[ée]nome|m[ée]ningiome))"
            r".*?bilan pr[ée][- ]?op[ée]ratoire)",
            # guidance of a biopsy or a puncture
            r"(?:micro|macro)?biopsies? (?:sous |par )?(?:[ée]cho|scanno|st[ée]r[ée]o|irm)[- ]?(?:guid\w*|tax\w*)|"
            r"(?:micro|macro)?biopsies? (?:sous|par) (?:[ée]chographie|scanner|st[ée]r[ée]otaxie|irm)|"
            r"(?:cyto)?ponction (?:[ée]cho)?guid[ée]e",
        ],
    ),
    (
        "suspected_recurrence",
        [
            r"suspicion (?:de |d')(?:r[ée]cidive|rechute|reprise [ée]volutive)",
            r"r[ée]cidives?",
            r"rechutes?",
            r"reprise [ée]volutive",
            r"(?:[ée]l[ée]vation|ascension|remont[ée]e|augmentation|majoration|r[ée]ascension) (?:(?:r[ée]cente|progressive|rapide|continue) )?(?:du |des |de l'|de la )?(?:taux (?:de |d')?)?(?:psa|marqueurs?|ace|ca ?\d+|thyroglobuline|calcitonine)",
            r"(?:psa|ace|ca ?\d+(?:[- .]\d+)?|thyroglobuline|calcitonine|marqueurs?) (?:en )?(?:ascension|augmentation|hausse|[ée]lev[ée]s?)",
            r"r[ée]cidive biologique",
            # a new or growing sign: "Majoration d'un épanchement pleural au scanner de surveillance"
            r"(?:majoration|apparition|augmentation de taille) (?:d'une? |de la |du |des |de l'|de )?"
            r"(?:nouvel(?:le)?s? |petite?s? |discr[èe]te?s? )?(?:[ée]panchement|nodule|l[ée]sion|ad[ée]nopathie|"
            r"masse|[ée]paississement|opacit[ée]|foyer|ascite|carcinose|image)",
            r"(?:nouvel(?:le)?s?|nouveaux?) (?:l[ée]sions?|nodules?|ad[ée]nopathies?|masses?|foyers?|opacit[ée]s?|images?) (?:apparue?s?|suspecte?s?)",
            # a new sign after a treated cancer: "Cancer du sein traité en 2019, en
            # rémission. Dorsalgies d'apparition récente"
            r"(?s:(?:trait[ée]e?|op[ée]r[ée]e?|r[ée]mission|r[ée]s[ée]qu[ée]e?)\b.{0,160}?"
            r"(?:d'apparition r[ée]cente|r[ée]apparition|sueurs|(?:ad[ée]nopathie|masse|nodule)s? [^.;]{0,30}palpables?|recherche (?:de |d')(?:localisations?|l[ée]sions?|m[ée]tastases?) secondaires?|"
            r"(?<!pas de )(?:toux|dyspn[ée]e|h[ée]moptysie|douleurs?|amaigrissement|alt[ée]ration de l'[ée]tat g[ée]n[ée]ral)\b))",
        ],
    ),
    (
        "response_assessment",
        [
            r"[ée]valuation(?: de la| de)? (?:r[ée]ponse|th[ée]rapeutique|post[- ]?th[ée]rapeutique|interm[ée]diaire|pr[ée]coce|apr[èe]s|post|en cours|sous|de fin|fin|du traitement|de la chimio|interim)",
            r"r[ée]ponse (?:th[ée]rapeutique|au traitement|m[ée]tabolique|[àa] la|apr[èe]s)",
            r"(?:apr[èe]s|post[- ]?)\s*(?:\d+|[a-z]+) (?:cures?|cycles?|lignes?)",
            r"(?:inter|post)[- ]?(?:cures?|chimio(?:th[ée]rapie)?|radioth[ée]rapie|traitement|radio[- ]?chimioth[ée]rapie|immunoth[ée]rapie)",
            r"interim",
            r"re[- ]?stadification|re[- ]?staging",
            r"r[ée][ée]valuation\b[^.;\n]{0,100}?\b(?:sous|apr[èe]s|post)\b",
            # a check under an ongoing treatment: "sous osimertinib. Réévaluation",
            # "contrôle de métastases cérébrales ... sous osimertinib" (not "Contrôle annuel")
            r"\bsous\b[^.;\n]{0,80}[.;]?[ \t]*r[ée][ée]valuation",
            r"contr[ôo]le (?:de |des |du |d')(?:la |l')?(?:m[ée]tasta|l[ée]sions?|tumeur|carcinose)\w*[^.;\n]{0,100}?\bsous\b",
            # the guide's ruling: a check of a tumour under an ongoing treatment ("sous
            # chimiothérapie") or after a session of it (a TACE) is a response assessment;
            # a yearly check, or one after the end of the treatment, is a follow-up
            rf"(?s:^(?=.*(?:{TUMOUR_WORDS}))(?!.*(?:annuel|fin d))(?:.*?contr[ôo]le.{{0,120}}?{ONGOING_TREATMENT}|.*?{ONGOING_TREATMENT}.{{0,120}}?contr[ôo]le))",
            r"apr[èe]s (?:\w+ )?(?:chimio|radio|immuno|hormono|radio[- ]?chimio)th[ée]rapie n[ée]o[- ]?adjuvante",
            r"r[ée][ée]valuation (?:apr[èe]s|sous|post|de la r[ée]ponse|th[ée]rapeutique|m[ée]tabolique)",
            r"fin de (?:traitement|chimioth[ée]rapie|radioth[ée]rapie)",
            r"(?:tep|pet) (?:interm[ée]diaire|interim|de fin)",
            r"[ée]valuation",
        ],
    ),
    (
        "initial_staging",
        [
            r"bilan pr[ée][- ]?(?:op[ée]ratoire|th[ée]rapeutique) d'une? (?:n[ée]oplasie|cancer|carcinome|ad[ée]nocarcinome|tumeur|lymphome)",
            # a workup before a cancer's first treatment ("bilan avant radiothérapie interne
            # vectorisée" of a neuroendocrine tumour); of a benign disease it is "other"
            rf"(?s:^(?=.*(?:{TUMOUR_WORDS})).*?bilan (?:avant|pr[ée]alable [àa]|en vue d'une?) )",
            r"bilan (?:d'extension|pr[ée][- ]?th[ée]rapeutique|d'[ée]valuation initiale|de stadification)",
            # "bilan initial" of a tumour; of a multiple sclerosis it is a diagnosis
            rf"(?s:^(?=.*(?:{TUMOUR_WORDS})).*?bilan initial)",
            r"extension initiale",
            r"stadification",
            r"staging",
            r"r?[ée]cemment diagnostiqu[ée]",
            r"(?:d[ée]couverte|diagnostic) r[ée]cente?",
            r"nouvellement diagnostiqu[ée]",
            r"bilan d'une? (?:n[ée]oplasie|cancer|ad[ée]nocarcinome|carcinome|lymphome|tumeur)",
            r"bilan (?:loco[- ]?r[ée]gional|local|pr[ée][- ]?op[ée]ratoire|d'op[ée]rabilit[ée]|de r[ée]s[ée]cabilit[ée])",
            r"(?:avant|en vue d'une?) (?:h[ée]patectomie|lobectomie|pneumonectomie|chirurgie carcinologique|mastectomie|tumorectomie|prostatectomie|colectomie|r[ée]section)",
        ],
    ),
    (
        "diagnosis",
        [
            r"caract[ée]risation",
            r"recherche (?:d'|de |du |des )",
            r"bilan [ée]tiologique",
        ],
    ),
    (
        "follow_up",
        [
            r"surveillance",
            # "suivie pour un cancer" is a context; a patient "non suivi" has no follow-up
            r"(?<!non )(?<!pas )(?<!jamais )(?<!plus )suivie?s?(?![\w])(?! pour| en | par| depuis)",
            r"contr[ôo]le",
            r"r[ée][ée]valuation",
            r"en r[ée]mission",
        ],
    ),
    (
        "diagnosis",
        [
            r"caract[ée]risation",
            r"diagnostic",
            r"recherche (?:d'|de |du |des )",
            r"bilan [ée]tiologique",
            r"exploration",
            r"orientation",
            r"nodule",
            r"masse",
            r"l[ée]sion",
            r"suspicion",
            r"suspect",
            r"douleurs?",
            r"fi[èe]vre",
            r"d[ée]saturation|dyspn[ée]e|toux|h[ée]moptysie|c[ée]phal[ée]es?|chute|traumatisme|"
            r"alt[ée]ration de l'[ée]tat g[ée]n[ée]ral|amaigrissement|perte de poids|syndrome|"
            r"anomalie|cytolyse|cholestase|an[ée]mie|ict[èe]re|h[ée]maturie|syndrome inflammatoire|"
            r"masse|palpable|impotence",
            # symptoms and signs of a first request
            r"\w*alg(?:ie|ique)s?|\w*dynies?|\w*sciatiques?|cruralgies?|paresth[ée]sies?|troubles? (?:de |du |des )|d[ée]ficits?|"
            r"inflammatoires?|douloureu\w*|f[ée]brile|[ée]coulement|r[ée]traction|saignements?|\w*rragies?|"
            r"vertiges?|convulsions?|crises? (?:convulsive|d'[ée]pilepsie|comitiale)|malaises?|confusion|"
            r"dysphagie|dysphonie|dysurie|[œo]d[èe]mes?|tum[ée]faction|gonflement|boiterie|"
            r"occlusion|vomissements?|diarrh[ée]es?|hyperthermie|sepsis|choc|polytraumatis\w*|accident|"
            r"[ée]ryth[èe]me|induration|ecchymose|h[ée]matome|palpitations?|syncope|insuffisance|"
            r"coliques? n[ée]phr[ée]tiques?|AEG|dlrs?\b|d[ée]fense|luxations?|infarctus|dysfonction|isch[ée]mi\w*|"
            r"claudication|AIT\b|AVC\b|amaurose|thromboses?|embolies?|\bEP\b|[ée]l[ée]vation (?:des |du |de la |de l')?\w+|\w+m[ée]galie|HTA|hypertension",
            # a biology or an exam that asks for a diagnosis: "PSA à 8,2 ng/mL, toucher
            # rectal souple", "entorse du genou, dérobements", "microcalcifications du sein"
            r"PSA\b|toucher rectal|entorses?|d[ée]robements?|instabilit[ée]|augmentation de volume|"
            r"(?:micro)?calcifications?|opacit[ée]s?|ACR 0",
            # a question is a diagnostic request: "Appendicite ?", "Pneumopathie ?"
            r"\?",
            r"ad[ée]nopathies?",
            r"bilan",
        ],
    ),
]

# Fallback when a report has no indication section: a line of the head that starts
# like an indication. Untitled, it gives the report's category and the span the findings
# skip, but no indication text (the guide's ruling "No indication title").
INDICATION_LINE = r"^[ \t]*(?:bilan|suivi|surveillance|[ée]valuation|recherche|suspicion|contr[ôo]le|caract[ée]risation|exploration|patient|patiente|mr?\.?|mme\.?)\b[^\n]*"

# A head that names no indication title is categorised from its first lines (the exam's
# title and the clinical context written under it, "Chute sur la main, douleur de la
# tabatière."): at most this many lines (or sentences of a one-line head) and characters.
HEAD_LINES = 2
HEAD_CHARS = 300

# Indication titles that state the request ("Question posée", "Motif", "Indication"),
# read before those that give its context ("Histoire", "Contexte", "Renseignements
# cliniques") when a report has both.
REQUEST_TITLE = r"indic|motif|question|demande|objectif|\bbut|probl[èe]me"


# The head words of the indication titles of ``radlink.nlp.sections`` (its
# ``SECTIONS["indication"]``, which a test checks), unaccented and lower-case: a head
# line "Word [word [word]] :" whose first word is one of them typed in haste (a letter
# dropped, doubled, swapped or mistyped: "Indictaion :", "RENSEIGNEMNTS CLINIQUES :")
# titles the indication. Words under 5 letters are matched exactly only.
INDICATION_TITLE_WORDS = (
    "indication", "indications", "renseignements", "renseignement", "motif", "motifs",
    "contexte", "histoire", "question", "demande", "objectif", "objectifs", "clinique",
)

# A head line that reads like a title: a word of letters, at most three more words, a colon.
TITLE_LIKE_LINE = r"^[ \t]*([^\W\d_]{5,20})(?:[ \t]+[^\W\d_]{2,15}){0,3}[ \t]*:"
