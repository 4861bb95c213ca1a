"""Wording of synthetic French imaging reports: data only.

Interchangeable surface forms for section titles, indications, lesion nouns and sites,
negations, hedges, SUVmax and size expressions. They were written from the habits of
French nuclear-medicine and radiology reports (SFMN/SFR report structure: Indication,
Technique, Résultats, Conclusion) so that an NLP pipe meets many forms of each fact.
The logic that assembles them, and records the true facts, is in
:mod:`radlink.synth.report_text`.

Conventions: ``{m}``/``{f}`` mark masculine/feminine variants chosen by the noun; ``{lat}``
is replaced by the laterality adjective agreeing with the noun.
"""

from __future__ import annotations

__all__ = [
    "SECTION_TITLES",
    "LAT_WORDS",
    "SITE_FORMS",
    "NEGATIONS",
    "PET_NEGATIONS",
    "HEDGES",
    "INDICATIONS",
    "KIND_INDICATIONS",
    "HISTOLOGIES",
    "TRACER_WORDS",
    "TITLES",
]

SECTION_TITLES: dict[str, tuple[str, ...]] = {
    "indication": ("Indication", "INDICATION", "Motif", "Motif de l'examen", "Renseignements cliniques",
                   "Contexte clinique", "Indication de l'examen"),
    "technique": ("Technique", "TECHNIQUE", "Protocole", "Protocole d'acquisition", "Technique d'examen"),
    "results": ("Résultats", "RÉSULTATS", "Résultat", "Description", "Compte rendu", "Interprétation"),
    "conclusion": ("Conclusion", "CONCLUSION", "Au total", "En conclusion", "Synthèse"),
}  # fmt: skip

# laterality code -> (masculine, feminine) adjective
LAT_WORDS: dict[str, tuple[str, str]] = {
    "left": ("gauche", "gauche"),
    "right": ("droit", "droite"),
    "bilateral": ("bilatéral", "bilatérale"),
}

# site -> list of (noun phrase template, gender of the head noun "m"/"f", takes laterality)
# {lat} is filled with the laterality adjective agreeing with the gender given.
SITE_FORMS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "lung_upper_lobe": (("masse tissulaire du lobe supérieur {latm}", "f", True),
                        ("lésion du lobe supérieur {latm}", "f", True),
                        ("nodule spiculé lobaire supérieur {lat}", "m", True),
                        ("opacité lobaire supérieure {lat}", "f", True)),
    "lung_middle_lobe": (("lésion du lobe moyen", "f", False),
                         ("nodule du lobe moyen", "m", False),
                         ("masse du lobe moyen", "f", False)),
    "lung_lower_lobe": (("masse tissulaire du lobe inférieur {latm}", "f", True),
                        ("lésion lobaire inférieure {lat}", "f", True),
                        ("nodule du lobe inférieur {latm}", "m", True),
                        ("opacité du lobe inférieur {latm}", "f", True)),
    "lung": (("nodule pulmonaire {lat}", "m", True), ("micronodule pulmonaire {lat}", "m", True),
             ("lésion pulmonaire {lat}", "f", True)),
    "pleura": (("épaississement pleural {lat}", "m", True), ("nodule pleural {lat}", "m", True)),
    "ln_supraclavicular": (("adénopathie sus-claviculaire {lat}", "f", True),
                           ("ganglion sus-claviculaire {lat}", "m", True)),
    "ln_mediastinal": (("adénopathie médiastinale", "f", False), ("ganglion médiastinal", "m", False)),
    "ln_paratracheal": (("adénopathie paratrachéale {lat}", "f", True),
                        ("ganglion médiastinal paratrachéal {lat}", "m", True)),
    "ln_subcarinal": (("ganglion médiastinal sous-carinaire", "m", False),
                      ("adénopathie sous-carinaire", "f", False),
                      ("adénopathie inter-trachéo-bronchique (7)", "f", False)),
    "ln_hilar": (("adénopathie hilaire {lat}", "f", True), ("ganglion hilaire {lat}", "m", True)),
    "ln_prevascular": (("ganglion de la loge de Barety", "m", False),
                       ("adénopathie de la loge de Barety", "f", False)),
    "ln_aortopulmonary": (("ganglion de la fenêtre aorto-pulmonaire", "m", False),
                          ("adénopathie de la FAP", "f", False)),
    "ln_cervical": (("adénopathie cervicale {lat}", "f", True), ("ganglion jugulo-carotidien {lat}", "m", True)),
    "ln_axillary": (("adénopathie axillaire {lat}", "f", True), ("ganglion axillaire {lat}", "m", True)),
    "ln_retroperitoneal": (("adénopathie rétropéritonéale", "f", False),
                           ("ganglion latéro-aortique", "m", False)),
    "ln_coeliac": (("adénopathie cœliaque", "f", False), ("ganglion du tronc cœliaque", "m", False)),
    "ln_iliac": (("adénopathie iliaque externe {lat}", "f", True), ("ganglion iliaque {lat}", "m", True)),
    "ln_inguinal": (("adénopathie inguinale {lat}", "f", True),),
    "liver": (("lésion hépatique du segment VI", "f", False), ("nodule hépatique du segment IV", "m", False),
              ("lésion du dôme hépatique", "f", False), ("lésion hépatique", "f", False)),
    "adrenal": (("nodule surrénalien {lat}", "m", True), ("épaississement surrénalien {lat}", "m", True),
                ("lésion de la surrénale {latf}", "f", True)),
    "brain": (("lésion cérébrale frontale {lat}", "f", True), ("lésion pariétale {lat}", "f", True),
              ("nodule cérébelleux {lat}", "m", True)),
    "spleen": (("lésion splénique", "f", False),),
    "pancreas": (("lésion de la tête du pancréas", "f", False), ("nodule pancréatique", "m", False)),
    "kidney": (("lésion rénale {lat}", "f", True), ("masse du rein {latm}", "f", True)),
    "thyroid": (("nodule thyroïdien {lat}", "m", True), ("nodule du lobe thyroïdien {latm}", "m", True)),
    "breast": (("nodule du sein {latm}", "m", True), ("masse mammaire {lat}", "f", True)),
    "prostate": (("foyer prostatique {lat}", "m", True),),
    "colon": (("foyer colique focal", "m", False), ("épaississement du côlon sigmoïde", "m", False)),
    "oesophagus": (("épaississement œsophagien", "m", False),),
    "stomach": (("épaississement gastrique", "m", False),),
    "peritoneum": (("nodule péritonéal", "m", False), ("nodule de carcinose péritonéale", "m", False)),
    "bone": (("lésion osseuse", "f", False), ("foyer osseux", "m", False)),
    "spine": (("lésion vertébrale de L3", "f", False), ("lésion du corps vertébral de T8", "f", False),
              ("foyer rachidien en L1", "m", False)),
    "rib": (("lésion de l'arc postérieur d'une côte {latf}", "f", True), ("foyer costal {lat}", "m", True)),
    "pelvis_bone": (("lésion de l'aile iliaque {latf}", "f", True), ("lésion du cotyle {latm}", "f", True)),
    "sternum": (("lésion sternale", "f", False), ("foyer du manubrium sternal", "m", False)),
    "femur": (("lésion du fémur {latm}", "f", True), ("foyer fémoral {lat}", "m", True)),
    "humerus": (("lésion humérale {lat}", "f", True),),
}  # fmt: skip

# Abbreviated lobe forms (LSD = lobe supérieur droit ...), used on the primary tumour.
LOBE_ABBREVIATIONS: dict[tuple[str, str], str] = {
    ("lung_upper_lobe", "right"): "LSD",
    ("lung_upper_lobe", "left"): "LSG",
    ("lung_lower_lobe", "right"): "LID",
    ("lung_lower_lobe", "left"): "LIG",
}

# site -> explicit negations (each names exactly that site and nothing else), any modality
NEGATIONS: dict[str, tuple[str, ...]] = {
    "ln_mediastinal": ("pas d'adénopathie médiastinale", "absence d'adénopathie médiastinale",
                       "pas d'adénomégalie médiastinale"),
    "ln_hilar": ("pas d'adénopathie hilaire", "absence d'adénopathie hilaire"),
    "ln_supraclavicular": ("pas d'adénopathie sus-claviculaire", "absence d'adénopathie sus-claviculaire"),
    "ln_cervical": ("pas d'adénopathie cervicale", "absence d'adénopathie cervicale"),
    "ln_axillary": ("pas d'adénopathie axillaire",),
    "ln_retroperitoneal": ("pas d'adénopathie rétropéritonéale", "absence d'adénopathie lombo-aortique"),
    "liver": ("pas de lésion hépatique", "absence de lésion hépatique", "pas de lésion hépatique suspecte",
              "absence de lésion focale hépatique"),
    "adrenal": ("pas de nodule surrénalien", "absence de lésion surrénalienne"),
    "bone": ("pas de lésion osseuse", "absence de lésion osseuse suspecte",
             "pas de lésion osseuse lytique ou condensante"),
    "pleura": ("pas d'épanchement pleural", "absence d'épanchement pleural"),
    "brain": ("pas de lésion cérébrale", "absence de lésion encéphalique suspecte",
              "pas de prise de contraste anormale intra-cérébrale"),
    "lung": ("pas de nodule pulmonaire suspect", "absence de nodule pulmonaire"),
    "spleen": ("pas de lésion splénique",),
    "breast": ("pas de masse mammaire", "absence de foyer de microcalcifications suspectes"),
    "kidney": ("pas de lésion rénale",),
    "thyroid": ("pas de nodule thyroïdien",),
}  # fmt: skip

# extra negations that only a PET report writes (metabolic wording)
PET_NEGATIONS: dict[str, tuple[str, ...]] = {
    "ln_mediastinal": ("pas de ganglion médiastinal hypermétabolique",
                       "absence d'hypermétabolisme ganglionnaire médiastinal"),
    "ln_hilar": ("absence de fixation hilaire suspecte",),
    "ln_cervical": ("absence d'adénopathie cervicale hypermétabolique",),
    "bone": ("sans fixation osseuse suspecte", "pas de foyer osseux hypermétabolique"),
    "liver": ("pas de foyer hypermétabolique hépatique",),
    "adrenal": ("surrénales sans nodule hypermétabolique",),
}  # fmt: skip

# "ni ..." continuations for a second negated site in the same sentence.
NI_FORMS: dict[str, tuple[str, ...]] = {
    "pleura": ("ni d'épanchement pleural", "ni épanchement pleural"),
    "ln_mediastinal": ("ni d'adénopathie médiastinale", "ni adénopathie médiastinale"),
    "liver": ("ni de lésion hépatique",),
    "bone": ("ni de lésion osseuse", "ni lésion osseuse"),
    "adrenal": ("ni de nodule surrénalien",),
    "ln_hilar": ("ni d'adénopathie hilaire",),
}

# Interpretation phrases that make a finding hypothetical: (after a masculine noun, after
# a feminine noun).
HEDGES: tuple[tuple[str, str], ...] = (
    (", évocateur d'une localisation secondaire", ", évocatrice d'une localisation secondaire"),
    (", évocateur d'une atteinte secondaire", ", évocatrice d'une atteinte secondaire"),
    (", compatible avec une atteinte tumorale", ", compatible avec une atteinte tumorale"),
    (", à confronter aux données histologiques", ", à confronter aux données histologiques"),
    (" : localisation secondaire possible", " : localisation secondaire possible"),
    (", suspect de malignité", ", suspecte de malignité"),
    (", suspect de localisation secondaire", ", suspecte de localisation secondaire"),
    (", pouvant correspondre à une localisation tumorale", ", pouvant correspondre à une localisation tumorale"),
    (", probablement inflammatoire", ", probablement inflammatoire"),
    (", douteux", ", douteuse"),
    (", en faveur d'une localisation secondaire", ", en faveur d'une localisation secondaire"),
)  # fmt: skip

HISTOLOGIES: tuple[str, ...] = (
    "adénocarcinome pulmonaire", "adénocarcinome bronchique", "carcinome épidermoïde pulmonaire",
    "CBNPC", "carcinome bronchique non à petites cellules", "carcinome bronchique à petites cellules",
    "cancer du poumon", "cancer bronchique",
)  # fmt: skip

# Indication sentences by category. {histo}, {lobe} (e.g. "lobe supérieur droit"), {side}.
INDICATIONS: dict[str, tuple[str, ...]] = {
    "initial_staging": (
        "Bilan d'extension initial d'un {histo} du {lobe}.",
        "Bilan pré-thérapeutique d'un {histo} récemment diagnostiqué.",
        "Bilan d'extension. {Histo} du {lobe} prouvé histologiquement.",
        "Découverte d'un {histo}, bilan initial.",
        "Bilan initial d'une masse du {lobe}, biopsie en faveur d'un {histo}.",
        "Staging d'un {histo}.",
    ),
    "response_assessment": (
        "Évaluation de la réponse après 3 cures de chimiothérapie pour {histo}.",
        "Évaluation thérapeutique sous immunothérapie pour {histo}.",
        "Réévaluation après radio-chimiothérapie concomitante d'un {histo}.",
        "Évaluation en cours de traitement. {Histo} du {lobe}.",
        "Patient(e) suivi(e) pour {histo} sous chimiothérapie, évaluation intermédiaire.",
        "Réponse thérapeutique après 4 cycles de carboplatine-pemetrexed.",
    ),
    "follow_up": (
        "Surveillance d'un {histo} traité par lobectomie {side}.",
        "Contrôle à distance du traitement d'un {histo}.",
        "Suivi systématique. Antécédent de {histo}.",
        "Surveillance post-thérapeutique, patient(e) en rémission.",
        "Surveillance après radiothérapie stéréotaxique d'un {histo}.",
    ),
    "suspected_recurrence": (
        "Suspicion de récidive d'un {histo} traité.",
        "Réascension de l'ACE, recherche de récidive.",
        "Suspicion de rechute ganglionnaire d'un {histo}.",
        "Antécédent de {histo}, apparition de douleurs osseuses : récidive ?",
    ),
    "diagnosis": (  # characterisation of an abnormality, or work-up of a symptom
        "Caractérisation d'un nodule pulmonaire du {lobe} de découverte fortuite.",
        "Nodule pulmonaire solide du {lobe}, caractérisation.",
        "Masse pulmonaire {side} chez un(e) patient(e) fumeur(se), caractérisation.",
        "Opacité pulmonaire persistante, orientation diagnostique.",
        "Altération de l'état général, recherche étiologique.",
        "Fièvre prolongée inexpliquée.",
        "Douleur thoracique.",
        "Dyspnée d'aggravation progressive.",
        "Toux persistante.",
    ),
    "other": (  # neither cancer care nor diagnosis: pre-operative, device, research, screening
        "Bilan préopératoire.",
        "Vérification de la position de la chambre implantable.",
        "Bilan avant inclusion dans un essai thérapeutique.",
        "Repérage avant radiothérapie.",
    ),
}

# Indications of report kinds whose wording differs from the lung-cancer ones above
# (same categories; a kind absent here uses INDICATIONS).
KIND_INDICATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "mg": {
        "initial_staging": ("Bilan d'extension locorégional d'un carcinome canalaire infiltrant du sein {side_m}.",),
        "response_assessment": ("Évaluation après chimiothérapie néoadjuvante.",),
        "follow_up": ("Surveillance annuelle après tumorectomie {side}.", "Mammographie de surveillance."),
        "suspected_recurrence": ("Nodule palpé sur la cicatrice, récidive ?",),
        "diagnosis": ("Masse palpable du sein {side_m}.", "Écoulement mamelonnaire unilatéral."),
        "other": ("Dépistage organisé du cancer du sein.", "Dépistage individuel, antécédents familiaux."),
    },
    "xr_chest": {
        "other": ("Vérification de la position de la chambre implantable.", "Position de la sonde d'intubation ?",
                  "Bilan préopératoire."),
        "diagnosis": ("Dyspnée fébrile.", "Toux fébrile.", "Opacité sur le cliché précédent, caractérisation."),
    },
    "us_abdo": {
        "other": ("Repérage avant biopsie hépatique.",),
        "diagnosis": ("Douleurs de l'hypochondre droit.", "Cholestase biologique.", "Douleurs abdominales diffuses.",
                      "Caractérisation d'une lésion hépatique vue au scanner."),
    },
    "us_pleura": {
        "other": ("Repérage avant ponction pleurale.",),
        "diagnosis": ("Recherche d'épanchement pleural.",),
    },
    "us_neck": {
        "other": ("Repérage avant cytoponction.",),
        "diagnosis": ("Nodule thyroïdien palpé.", "Bilan de dysthyroïdie."),
    },
    "ct_head": {
        "diagnosis": ("Céphalées inhabituelles.", "Chute avec traumatisme crânien.", "Confusion."),
    },
    "mr_spine": {
        "diagnosis": ("Lombalgies inflammatoires.", "Dorsalgies rebelles."),
    },
}  # fmt: skip

# tracer code -> surface forms in prose
TRACER_WORDS: dict[str, tuple[str, ...]] = {
    "FDG": ("18F-FDG", "FDG", "Fluorodesoxyglucose (18F)", "18-FDG", "fluorodésoxyglucose marqué au fluor 18"),
    "DOTATOC": ("68Ga-DOTATOC", "Gallium-68 DOTATOC"),
    "CHOLINE": ("18F-fluorocholine", "FCH"),
    "PSMA": ("68Ga-PSMA-11", "18F-PSMA-1007"),
    "FDOPA": ("18F-DOPA", "F-DOPA"),
    "HMDP": ("99mTc-HMDP", "HMDP marqué au technétium 99m"),
}  # fmt: skip

# structured tracer label used in "[LIBELLE INJECTION=...]" blocks
TRACER_LABELS: dict[str, str] = {
    "FDG": "Fluorodesoxyglucose", "DOTATOC": "DOTATOC (68Ga)", "CHOLINE": "Fluorocholine (18F)",
    "PSMA": "PSMA (68Ga)", "FDOPA": "Fluorodopa (18F)", "HMDP": "HMDP (99mTc)",
}  # fmt: skip

# report kind -> report titles
TITLES: dict[str, tuple[str, ...]] = {
    "pet": ("CR d'imagerie médicale - Tomographie par émission de positons avec scanner",
            "TEP-TDM", "Compte rendu de TEP-scanner", "Tomographie par émission de positons"),
    "ct_chest": ("Scanner thoracique", "CR d'imagerie médicale - Scanner thoracique", "TDM thorax"),
    "ct_tap": ("Scanner thoraco-abdomino-pelvien", "CR d'imagerie médicale - Scanographie TAP"),
    "ct_head": ("Scanner cérébral", "TDM cérébrale"),
    "ct_abdo": ("Scanner abdomino-pelvien",),
    "mr_brain": ("IRM cérébrale", "CR d'imagerie médicale - IRM encéphalique"),
    "mr_liver": ("IRM hépatique",),
    "mr_spine": ("IRM du rachis",),
    "mg": ("Mammographie", "CR d'imagerie médicale - Mammographie bilatérale"),
    "us_abdo": ("Échographie abdominale", "Echographie abdomino-pelvienne"),
    "us_neck": ("Échographie cervicale",),
    "us_pleura": ("Échographie pleurale",),
    "xr_chest": ("Radiographie thoracique", "Radio du thorax"),
    "xr_bone": ("Radiographie osseuse",),
    "nm_bone": ("Scintigraphie osseuse", "CR d'imagerie médicale - Scintigraphie osseuse"),
}  # fmt: skip
