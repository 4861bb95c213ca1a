"""Negated and normal statements of issue 12, by kind (sentences written for these tests).

Each case is a kind of wording a reader turns into negated findings, or into none, as
in the annotation guide of ``data_samples/nlp_gold/README.md``: organ verdicts,
coordinated negations, emergency abbreviations, pseudo-negations, one negated finding
per site of a sentence, the untitled body of a report whose only heading is its
conclusion.
"""

from __future__ import annotations

import pytest

from radlink.nlp.text import WordScanner

from .conftest import finding_rows

_COLUMNS = ["site", "laterality", "negated"]


def _rows(extractor, text, columns=_COLUMNS, **kw):
    return finding_rows(extractor, text, columns, **kw)


@pytest.mark.parametrize(
    "text, expected",
    [
        # verdicts said of organs
        ("Ganglions : aires inguinales droites libres.", [("ln_inguinal", "right", True)]),
        ("Aires sus-claviculaires libres.", [("ln_supraclavicular", None, True)]),
        ("Culs-de-sac pleuraux libres.", [("pleura", None, True)]),
        ("Tête humérale gauche intacte.", [("humerus", "left", True)]),
        ("Bassin : intègre.", [("pelvis_bone", None, True)]),
        ("Pancréas, surrénales sp.", [("pancreas", None, True), ("adrenal", None, True)]),
        # a measure before or after the verdict
        ("Rein droit : 104 mm, normal.", [("kidney", "right", True)]),
        ("Rate : normale (12 cm).", [("spleen", None, True)]),
        ("Rate : RAS, 9 cm.", [("spleen", None, True)]),
        ("Rein gauche de 66 mm, normal.", [("kidney", "left", True)]),
        # short descriptions between a label's colon and its verdict
        ("Vessie : paroi fine, RAS.", [("bladder", None, True)]),
        ("Ovaire gauche : 3,2 cm, folliculaire, RAS.", [("ovary", "left", True)]),
        ("Foie : nodule de 8 mm, RAS.", [("liver", None, False)]),  # a lesion word: no verdict
        # a label naming no organ before the organs
        ("Autres organes : rate, pancréas et reins RAS.",
         [("spleen", None, True), ("pancreas", None, True), ("kidney", None, True)]),
        # the verdict closes its label: what follows on the line is not the organ's
        ("Reins : RAS. Pas de collection.", [("kidney", None, True)]),
        # a measured organ is not a reference value
        ("Foie : 16 cm, stéatosique, sans lésion focale.", [("liver", None, True)]),
        # "sans particularité" is the verdict, not a lesion word, also after a label
        ("Squelette : sans particularité.", [("bone", None, True)]),
        ("Rein gauche : 10 cm. Sans particularité.", [("kidney", "left", True)]),
        # a node area named by "ganglions" before its site, then a verdict
        ("Ganglions inguinaux sans particularité.", [("ln_inguinal", None, True)]),
        ("Ganglions cervicaux droits : RAS.", [("ln_cervical", "right", True)]),
        ("Chaînes ganglionnaires iliaques normales.", [("ln_iliac", None, True)]),
        # a side written "D" / "G", how much of the organ was seen (dictated reports)
        ("Ovaire D : RAS.", [("ovary", "right", True)]),
        ("Pancréas vu en totalité : RAS.", [("pancreas", None, True)]),
        ("Pancreas partiellement vu, RAS.", [("pancreas", None, True)]),
        # "RAS" spelt out; organs dictated without commas
        ("Foie vésicule rate pancreas : rien a signaler.",
         [("liver", None, True), ("gallbladder", None, True), ("spleen", None, True), ("pancreas", None, True)]),
        ("Segment VII hépatique : rien à signaler.", [("liver", None, True)]),
        # "non anévrysmale" negates the aorta named first
        ("Aorte abdominale athéromateuse, non anévrysmale.", [("aorta", None, True)]),
        # a breast classed ACR 1 is negative; ACR 2 to 6 class a lesion
        ("Sein droit : ACR 1, sans anomalie.", [("breast", "right", True)]),
        ("Masse du QSE gauche de 14 mm, ACR 5.", [("breast", "left", False)]),
        # a word denying the organ's one lesion kind is a verdict (guide's rulings)
        ("Vésicule alithiasique.", [("gallbladder", None, True)]),
        ("Voies biliaires alithiasiques.", [("biliary_tract", None, True)]),
        ("Culs-de-sac pleuraux libres.", [("pleura", None, True)]),
        # a description is no verdict
        ("Rate de taille normale.", []),
    ],
)
def test_organ_verdicts(extractor, text, expected):
    assert _rows(extractor, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Absence d'anomalie surrénalienne ou splénique.", [("adrenal", None, True), ("spleen", None, True)]),
        ("Pas de nodule pulmonaire, d'adénopathie hilaire ni d'épanchement pleural.",
         [("lung", None, True), ("ln_hilar", None, True), ("pleura", None, True)]),
        ("On ne retrouve ni lésion osseuse ni nodule surrénalien.", [("bone", None, True), ("adrenal", None, True)]),
        # one negated finding per site and side of a sentence
        ("Pas d'ascite ni d'implant péritonéal.", [("peritoneum", None, True)]),
        ("Pas d'adénopathie iliaque externe ni obturatrice.", [("ln_iliac", None, True)]),
        ("Pas d'adénopathie axillaire droite ni gauche.",
         [("ln_axillary", "right", True), ("ln_axillary", "left", True)]),
        # each side negated apart: one negated finding per side
        ("Pas d'épanchement pleural ni à droite ni à gauche.",
         [("pleura", "right", True), ("pleura", "left", True)]),
        ("Pas de thrombose veineuse profonde à droite ni à gauche.",
         [("vessel", "right", True), ("vessel", "left", True)]),
        # both sides at once: one finding
        ("Pas d'adénopathie axillaire de part et d'autre.", [("ln_axillary", "bilateral", True)]),
    ],
)
def test_coordinated_negations(extractor, text, expected):
    assert _rows(extractor, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Pas de PNO.", [("pleura", None, True)]),
        ("Pas de PNO gauche.", [("pleura", "left", True)]),
        ("PNO droit de faible abondance.", [("pleura", "right", False)]),
        ("Pas d'hémothorax.", [("pleura", None, True)]),
        ("Pas d'EP proximale.", [("lung", None, True)]),
        # "EP" gives way to the lobe it is in
        ("EP segmentaire du lobe supérieur gauche.", [("lung_upper_lobe", "left", False)]),
        ("Pas de TVP.", [("vessel", None, True)]),
        ("Pas de pneumopéritoine.", [("peritoneum", None, True)]),
        ("Pas d'hémopéritoine.", [("peritoneum", None, True)]),
        ("Pas d'hydrocéphalie.", []),
        ("Pas de saignement intracrânien.", [("brain", None, True)]),
        # "ep" in lower case is no abbreviation
        ("Pas de lésion ep.", []),
        ("VBP fine, pas de calcul.", [("biliary_tract", None, True)]),
    ],
)
def test_emergency_abbreviations(extractor, text, expected):
    assert _rows(extractor, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a stable lesion, not a negated one
        ("Pas de modification du nodule lobaire inférieur gauche.", [("lung_lower_lobe", "left", False)]),
        ("Nodule surrénalien droit sans changement.", [("adrenal", "right", False)]),
        # an organ not seen because it was removed: no finding
        ("Rein gauche non visualisé (néphrectomie).", []),
        # not seen before: a new lesion, not a negated one
        ("Nodule splénique de 12 mm, non visible il y a un an.", [("spleen", None, False)]),
        ("Adénopathie axillaire gauche de 15 mm, non visualisée auparavant.", [("ln_axillary", "left", False)]),
        # a metabolic response is no disappearance of the lesion: it stays, with its values
        ("Disparition de l'hypermétabolisme de la masse médiastinale, résidu tissulaire de 21 mm "
         "(SUVmax 1,5 contre 13,9).", [("ln_mediastinal", None, False)]),
        ("Disparition des adénopathies iliaques droites.", [("ln_iliac", "right", True)]),
    ],
)
def test_pseudo_negations(extractor, text, expected):
    assert _rows(extractor, text) == expected


@pytest.mark.parametrize(
    "text, hypothesis",
    [
        ("Nodule hépatique de 9 mm, qui peut correspondre à un angiome.", True),
        ("Masse rénale gauche de 30 mm, à confirmer en IRM.", True),
        ("Masse rénale gauche de 30 mm.", False),
        ("Foyer pulmonaire aspécifique du lobe moyen.", True),
        ("Nodule thyroïdien droit de signification incertaine.", True),
    ],
)
def test_hedges(extractor, text, hypothesis):
    assert _rows(extractor, text, ["hypothesis"]) == [(hypothesis,)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the lesion word itself negated after it, under a label
        ("Rate :\n- pôle inférieur : nodule non retrouvé", [("spleen", None, True)]),
        ("Péritoine : pas d'implant.", [("peritoneum", None, True)]),
        ("Micronodule non retrouvé au niveau du lobe inférieur droit.", [("lung_lower_lobe", "right", True)]),
        ("Micronodule du lobe inférieur droit, non visible sur le scanner précédent.",
         [("lung_lower_lobe", "right", False)]),
        # "sans" after a finding of the same site describes it
        ("Épanchement pleural gauche, sans fixation pleurale.", [("pleura", "left", False)]),
        ("Adénome surrénalien gauche sans rehaussement artériel.", [("adrenal", "left", False)]),
        # an organ named first, then a verb that denies a lesion in it
        ("Les chaînes ganglionnaires inguinales ne présentent pas d'adénomégalie, les ganglions visibles "
         "étant de petite taille.", [("ln_inguinal", None, True)]),
        ("La veine mésentérique supérieure est perméable, sans thrombose cruorique ou tumorale.",
         [("vessel", None, True)]),
        # ... but after a lesion word the verb describes the lesion
        ("Nodule du LID de 7 mm, qui ne présente pas de calcification.", [("lung_lower_lobe", "right", False)]),
        # an uptake said physiological is no lesion word
        ("Thyroïde : fixation physiologique homogène, sans nodule.", [("thyroid", None, True)]),
        ("Rate : captation physiologique, pas de lésion focale.", [("spleen", None, True)]),
        ("Pas d'anomalie de signal de la substance blanche.", [("brain", None, True)]),
        # the meninges are no site of the vocabulary: negated, no finding (an affirmed
        # meningeal lesion is placed in the brain)
        ("Absence de rehaussement leptoméningé.", []),
        ("Prise de contraste leptoméningée nodulaire du cervelet.", [("brain", None, False)]),
        ("Absence d'épanchement intrapéritonéal.", [("peritoneum", None, True)]),
        # an abdominal effusion is peritoneal; portal words of the emergency CT
        ("Pas d'épanchement intra-abdominal.", [("peritoneum", None, True)]),
        ("Pas de thrombose porte. Pas d'aéroportie.", [("portal_vein", None, True), ("portal_vein", None, True)]),
        ("Pas de thrombose porto-mésentérique.", [("portal_vein", None, True)]),
        # "lavage portal" is a phase, no portal vein
        ("Nodule du segment IV avec lavage portal.", [("liver", None, False)]),
        # an organ outside the vocabulary takes its coordinated adjectives along
        ("Cartilages fémoro-patellaire et fémoro-tibial sans anomalie.", []),
        ("Absence de caractère compressif de la lésion lytique de L3.", [("spine", None, False)]),
        # "extra-X" is outside X
        ("Pas de fixation extra-hépatique.", []),
        # a property after "sans" negates no site after it
        ("Lésions lytiques, sans caractère expansif, de L1 et de L4.", [("spine", None, False), ("spine", None, False)]),
        # a site after "sans" with no lesion word of its own describes the lesion before
        ("Masse spiculée du lobe moyen de 46 mm, sans franchissement scissural.",
         [("lung_middle_lobe", None, False)]),
        ("Pneumothorax gauche complet, sans déviation médiastinale.", [("pleura", "left", False)]),
        # ... but a lesion word after "sans" is a negated finding of its own
        ("Nodule du LSD de 8 mm, sans adénopathie médiastinale.",
         [("lung_upper_lobe", "right", False), ("ln_mediastinal", None, True)]),
    ],
)
def test_negation_scope(extractor, text, expected):
    assert _rows(extractor, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a negation heading its list: every item is negated, up to the end of the list
        ("Absence de :\n- nodule surrénalien\n- lésion osseuse\nMasse rénale droite de 25 mm.",
         [("adrenal", None, True), ("bone", None, True), ("kidney", "right", False)]),
        ("Aucun(e) :\n- adénopathie axillaire", [("ln_axillary", None, True)]),
        ("Pas d' :\n- épanchement pleural\n- adénopathie hilaire",
         [("pleura", None, True), ("ln_hilar", None, True)]),
        # a negation alone on its line, no colon, the items carrying their article
        ("Absence\n- d'épanchement pleural\n- de nodule pulmonaire\nMasse rénale droite de 25 mm.",
         [("pleura", None, True), ("lung", None, True), ("kidney", "right", False)]),
        # negated lesion words heading a list of sites: each site is negated
        ("Pas de masse ni d'adénopathie :\n- médiastinale\n- hilaire\nNodule du LSD de 8 mm.",
         [("ln_mediastinal", None, True), ("ln_hilar", None, True), ("lung_upper_lobe", "right", False)]),
        # an affirmed heading's items stay affirmed
        ("Lésions cibles :\n- nodule du LSD : 12 mm\n- adénopathie hilaire droite : 15 mm",
         [("lung_upper_lobe", "right", False), ("ln_hilar", "right", False)]),
        # organ verdicts in a table
        ("Organe | Conclusion\nRate | RAS\nReins | normaux |", [("spleen", None, True), ("kidney", None, True)]),
    ],
)
def test_negation_over_lists_and_tables(extractor, text, expected):
    assert _rows(extractor, text) == expected


def test_conclusion_only_heading_reads_the_untitled_body(extractor):
    text = (
        "SCANNER THORACIQUE\n"
        "Suivi d'un nodule pulmonaire.\n"
        "Nodule du LSG de 8 mm (SUVmax 3,1).\n"
        "Pas d'épanchement pleural.\n"
        "CONCLUSION : nodule stable."
    )
    rows = _rows(extractor, text, ["site", "laterality", "suvmax", "negated", "section"], heading="")
    assert rows == [
        ("lung_upper_lobe", "left", 3.1, False, "results"),
        ("pleura", None, None, True, "results"),
    ]


def test_an_indication_run_into_organ_lines_ends_at_its_first_line(extractor):
    # no results title and no blank line: one line per organ after the clinical context
    text = (
        "BODY-SCANNER\n"
        "Clinique : chute, douleur thoracique.\n"
        "Encéphale : pas de lésion hémorragique.\n"
        "Abdomen : pas de lésion hépatique ni splénique.\n"
        "Conclusion : pas de lésion traumatique."
    )
    rows = _rows(extractor, text, ["site", "negated", "section"], heading="")
    assert rows == [("brain", True, "results"), ("liver", True, "results"), ("spleen", True, "results")]
    # an indication of two lines, then the conclusion, is no body
    two = "Indication : nodule pulmonaire découvert en 2020.\nBilan.\nConclusion : RAS."
    assert _rows(extractor, two, ["site", "negated", "section"], heading="") == []


def test_word_scanner_finds_case_sensitive_parts():
    scanner = WordScanner([("pleura", r"(?-i:PNO)"), ("x", r"pneumo\w*")])
    text = "Pas de PNO, pno, pneumothorax"
    assert [(text[a:b], name) for a, b, name in scanner.finditer(text)] == [
        ("PNO", "pleura"), ("pneumothorax", "x"),
    ]


def test_normal_nodes_after_a_negation_are_negated(extractor):
    # normal lymph nodes are no finding, but the negation heading them still is one
    assert _rows(extractor, "Ganglions axillaires ovalaires à hile graisseux.") == []
    text = "Pas d'adénopathie inguinale : les ganglions inguinaux sont ovalaires, à hile graisseux."
    assert _rows(extractor, text) == [("ln_inguinal", None, True)]


def test_each_side_of_the_exam_organ(extractor):
    # no site named: the exam's organ, once per side ("a" for "à" in dictated text)
    text = "ÉCHOGRAPHIE THYROÏDIENNE\nRésultats :\nPas de nodule individualisable a droite ni a gauche."
    assert _rows(extractor, text, heading="") == [("thyroid", "right", True), ("thyroid", "left", True)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # capitals without apostrophes, lines wrapped inside a sentence
        ("PAS D EPANCHEMENT PLEURAL.", [("pleura", None, True)]),
        ("PAS DE FRACTURE COSTALE, PAS D EPANCHEMENT NI DE\nPNEUMOTHORAX.", [("rib", None, True), ("pleura", None, True)]),
        # lymph-node sectors said free, on one side or both
        ("Secteurs cervicaux droits libres.", [("ln_cervical", "right", True)]),
        # a label's clause that ends by stating an absence with no site of its own
        ("REIN DROIT : KYSTE CORTICAL SIMPLE DE 2 CM, PAS DE CALCUL.",
         [("kidney", "right", False), ("kidney", "right", True)]),
        ("Rein droit : kyste simple de 15 mm, sans cloison.", [("kidney", "right", False)]),
        ("Rein droit : kyste simple de 15 mm, pas de dilatation.", [("kidney", "right", False)]),
        # the evidence of a lesion denied
        ("Vessie peu remplie, pas d'image de calcul.", [("bladder", None, True)]),
        ("Pas de lésion bourgeonnante intravésicale.", [("bladder", None, True)]),
        ("Rein gauche : 11 cm, aspect normal.", [("kidney", "left", True)]),
        # the bed of a removed kidney is the kidney's site
        ("Loge de néphrectomie G : pas de masse.", [("kidney", "left", True)]),
    ],
)
def test_negation_in_other_house_styles(extractor, text, expected):
    assert _rows(extractor, text) == expected


def test_a_thyroid_named_by_its_score_owns_its_lobes(extractor):
    text = "Nodule EU-TIRADS 4 du lobe droit de 12 mm.\nLobe gauche : RAS."
    assert _rows(extractor, text) == [("thyroid", "right", False), ("thyroid", "left", True)]


def test_items_under_a_hedged_heading_are_hedged(extractor):
    text = ("Trois lésions nodulaires rehaussées en périphérie après injection, évocatrices de "
            "localisations secondaires :\n- frontale droite de 11 mm ;\n- pariétale gauche de 6 mm.")
    rows = _rows(extractor, text, ["laterality", "hypothesis"])
    assert ("right", True) in rows and ("left", True) in rows
    assert _rows(extractor, "Lésions :\n- frontale droite de 11 mm ;\n- pariétale gauche de 6 mm.",
                 ["hypothesis"]) == [(False,), (False,)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the absence word after its noun, with or without a colon
        ("Épanchement péricardique absent.", [("pericardium", None, True)]),
        ("Ascite : absente.", [("peritoneum", None, True)]),
        ("Pneumopéritoine : absence.", [("peritoneum", None, True)]),
        ("Fracture costale : néant.", [("rib", None, True)]),
        ("Nodule surrénalien gauche non revu.", [("adrenal", "left", True)]),
        # a property of the lesion, not its absence
        ("Ganglion axillaire droit de 14 mm à hile absent.", [("ln_axillary", "right", False)]),
        # absent before: the lesion is new
        ("Nodule hépatique de 9 mm, absent sur l'examen précédent.", [("liver", None, False)]),
    ],
)
def test_absence_after_the_noun(extractor, text, expected):
    assert _rows(extractor, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a clause that only hedges hedges the lesions of the clause before it
        ("Masse pancréatique caudale de 25 mm. Aspect évocateur d'une tumeur neuroendocrine.",
         [("pancreas", True)]),
        ("Nodule du lobe supérieur gauche de 6 mm ; probablement inflammatoire.",
         [("lung_upper_lobe", True)]),
        ("Deux nodules hépatiques des segments II et VI de 9 et 12 mm. Aspect compatible avec des "
         "localisations secondaires.", [("liver", True), ("liver", True)]),
        ("Kyste rénal droit de 18 mm. Probable kyste simple.", [("kidney", True)]),
        # not across another finding, nor when the hedge comes late in its clause
        ("Masse pancréatique caudale de 25 mm. Pas d'ascite. Aspect évocateur d'une tumeur.",
         [("pancreas", False), ("peritoneum", False)]),
        ("Masse pancréatique caudale de 25 mm. Examen réalisé sans injection, à compléter.",
         [("pancreas", False)]),
        ("Masse pancréatique caudale de 25 mm. Aspect typique de cystadénome séreux.", [("pancreas", False)]),
    ],
)
def test_a_clause_that_only_hedges_qualifies_the_one_before(extractor, text, expected):
    assert _rows(extractor, text, ["site", "hypothesis"]) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # guide's rulings on hedges: "à contrôler", "à surveiller" say what to do next,
        # not how sure the finding is
        ("Nodule pulmonaire de 5 mm, à contrôler.", [("lung", False)]),
        ("Nodule du lobe supérieur gauche de 6 mm ; à contrôler dans six mois.", [("lung_upper_lobe", False)]),
        ("Formation ovarienne gauche de 30 mm d'aspect kystique.", [("ovary", False)]),
        # the other hedges stay
        ("Nodule hépatique de 9 mm évoquant une métastase.", [("liver", True)]),
    ],
)
def test_hedges_of_the_rulings(extractor, text, expected):
    assert _rows(extractor, text, ["site", "hypothesis"]) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # where else a lesion shows is a property of it, not an absence
        ("Foyer hypermétabolique de l'aile iliaque gauche, sans traduction scanographique, "
         "évocateur d'une lésion osseuse secondaire.", [("pelvis_bone", False)]),
        ("Nodule hépatique de 8 mm du segment III, sans correspondance en IRM.", [("liver", False)]),
        # an absence still negates
        ("Pas de lésion osseuse.", [("bone", True)]),
    ],
)
def test_a_lesion_without_a_correlate_is_not_negated(extractor, text, expected):
    assert _rows(extractor, text, ["site", "negated"]) == expected


def test_no_correlate_on_another_modality_negates_nothing(extractor):
    text = "Pas de traduction échographique du foyer de microcalcifications du sein gauche."
    assert not any(negated for (negated,) in _rows(extractor, text, ["negated"]))


@pytest.mark.parametrize(
    "text",
    [
        # a disappeared lesion is a negated row at its site and side, keeping the earlier
        # value as previous_suvmax, whatever the word order (guide's rulings)
        "Le nodule surrénalien gauche (SUVmax 6,8 initialement) n'est plus visible.",
        "Le nodule surrénalien gauche, SUVmax 6,8 initialement, n'est plus visible.",
        "Disparition du nodule surrénalien gauche (SUVmax 6,8 initialement).",
        "Nodule surrénalien gauche (SUVmax 6,8 initialement) non retrouvé.",
        "Nodule surrénalien gauche disparu (SUVmax 6,8 initialement).",
    ],
)
def test_a_disappeared_lesion_keeps_its_earlier_value(extractor, text):
    rows = _rows(extractor, text, ["site", "laterality", "negated", "previous_suvmax"])
    assert rows == [("adrenal", "left", True, 6.8)]


def test_a_partly_gone_lesion_is_still_there(extractor):
    assert _rows(extractor, "Adénopathie axillaire droite partiellement disparue.") == [
        ("ln_axillary", "right", False)
    ]
