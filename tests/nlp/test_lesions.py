"""radlink.nlp.lesions: one finding per lesion and per negated site."""

from __future__ import annotations

import edsnlp
import pytest


@pytest.fixture(scope="module")
def lesions():
    """The three pipes the findings need, added one by one."""
    nlp = edsnlp.blank("eds")
    nlp.add_pipe("radlink.sections")
    nlp.add_pipe("radlink.suvmax")
    nlp.add_pipe("radlink.lesions")
    return nlp


def _findings(nlp, text):
    doc = nlp("Résultats :\n" + text)
    return [
        (f._.finding_kind, f._.site, f._.laterality, f._.size_mm, f._.suvmax, f._.previous_suvmax,
         f._.negation, f._.hypothesis)
        for f in doc.spans["findings"]
    ]


@pytest.mark.parametrize(
    "text, size",
    [("Nodule pulmonaire de 14 mm.", 14.0), ("Nodule pulmonaire de 2,3 cm.", 23.0),
     ("Nodule pulmonaire de 12 x 8 mm.", 12.0), ("Nodule pulmonaire de 18 x 12 x 10 mm.", 18.0),
     ("Nodule pulmonaire mesuré à 28 mm contre 45 mm.", 28.0),
     ("Nodule pulmonaire de 5 mm, en diminution (7 mm précédemment).", 5.0)],
)
def test_sizes(lesions, text, size):
    assert _findings(lesions, text)[0][3] == size


def test_pet_bullets(lesions):
    text = (
        "SUVmax hépatique de référence 2,3.\n"
        "Étage thoracique :\n"
        "- masse pulmonaire lobaire supérieure droite intensément hypermétabolique (SUVmax 14,6) "
        "mesurée à 42 x 35 mm.\n"
        "- ganglion médiastinal sous-carinaire modérément fixant (SUVmax5,3) mesuré à environ 11 mm.\n"
        "- pas d'adénopathie sus-claviculaire.\n"
        "Squelette :\n- pas de lésion osseuse hypermétabolique suspecte.\n"
    )
    assert _findings(lesions, text) == [
        ("reference", "liver_reference", None, None, 2.3, None, False, False),
        ("lesion", "lung_upper_lobe", "right", 42.0, 14.6, None, False, False),
        ("lesion", "ln_subcarinal", None, 11.0, 5.3, None, False, False),
        ("lesion", "ln_supraclavicular", None, None, None, None, True, False),
        ("lesion", "bone", None, None, None, None, True, False),
    ]


def test_respectively_and_previous_values(lesions):
    text = (
        "Adénopathies de la loge de Barety et de la fenêtre aorto-pulmonaire, de SUVmax "
        "respectivement 4,1 et 6,3.\n"
        "Ganglion hilaire gauche de 10 mm (SUVmax : 5,2 vs 3,1 précédemment), suspect de récidive.\n"
    )
    assert _findings(lesions, text) == [
        ("lesion", "ln_prevascular", None, None, 4.1, None, False, False),
        ("lesion", "ln_aortopulmonary", None, None, 6.3, None, False, False),
        ("lesion", "ln_hilar", "left", 10.0, 5.2, 3.1, False, True),
    ]


def test_negated_lists(lesions):
    sites = [(f[1], f[6]) for f in _findings(
        lesions, "Pas d'adénopathie hilaire, médiastinale ou sus-claviculaire. Pas de fixation splénique ni osseuse."
    )]
    assert sites == [("ln_hilar", True), ("ln_mediastinal", True), ("ln_supraclavicular", True),
                     ("spleen", True), ("bone", True)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Surrénales sans nodule.", [("adrenal", True)]),
        ("Sein gauche sans anomalie.", [("breast", True)]),
        ("Nodule pulmonaire de 6 mm sans fixation.", [("lung", False)]),
        ("Lésion sclérotique de la branche ilio-pubienne gauche, sans fixation, d'allure bénigne.",
         [("pelvis_bone", False)]),
        ("Fixation physiologique de la rate et des reins.", []),
        ("Rate homogène de 11 cm. Surrénales fines.", []),
        ("Masse pulmonaire au contact de la plèvre.", [("lung", False)]),
        ("Foyers de la 5e côte gauche, de L3 et de l'aile iliaque droite, évocateurs de lésions osseuses.",
         [("rib", False), ("spine", False), ("pelvis_bone", False)]),
    ],
)
def test_what_is_a_finding(lesions, text, expected):
    assert [(f[1], f[6]) for f in _findings(lesions, text)] == expected


def test_hypothesis_in_the_clause(lesions):
    found = _findings(lesions, "Nodule surrénalien gauche de 18 mm (SUVmax 8,9), évocateur d'une localisation secondaire.")
    assert found == [("lesion", "adrenal", "left", 18.0, 8.9, None, False, True)]


def test_suvmax_in_the_next_sentence_attaches_to_the_lesion(lesions):
    found = _findings(lesions, "La lésion lobaire inférieure droite mesure 17 mm ; son SUVmax passe de 13,5 à 2,9.")
    assert found == [("lesion", "lung_lower_lobe", "right", 17.0, 2.9, 13.5, False, False)]


def test_no_results_title_reads_the_untitled_body(nlp):
    doc = nlp("Histoire clinique : toux.\n\nOpacité alvéolaire du lobe inférieur gauche.\n\nConclusion : pneumopathie.")
    assert [(f._.site, f._.finding_section) for f in doc.spans["findings"]] == [("lung_lower_lobe", "results")]


def test_conclusion_only(nlp):
    doc = nlp("Angioscanner thoracique\nConclusion : Pas d'embolie pulmonaire. Micronodule lobaire supérieur droit de 4 mm.")
    assert [(f._.site, f._.negation, f._.finding_section) for f in doc.spans["findings"]] == [
        ("lung", True, "conclusion"),
        ("lung_upper_lobe", False, "conclusion"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Les adénopathies médiastinales ne sont plus visibles.", [("ln_mediastinal", True, False)]),
        ("Ganglion hilaire gauche (SUVmax 11,2), non visible sur l'examen antérieur.",
         [("ln_hilar", False, False)]),
        ("Ganglion axillaire gauche de 8 mm non suspect.", [("ln_axillary", False, False)]),
        ("Pas d'épanchement pleural mais nodule pleural droit de 12 mm.",
         [("pleura", True, False), ("pleura", False, False)]),
        ("ADP médiastinales (4R, 7) hypermétaboliques.",
         [("ln_paratracheal", False, False), ("ln_subcarinal", False, False)]),
        ("Lésion hépatique du segment II (SUVmax 18,7), de 12 mm.", [("liver", False, False)]),
        ("Il n'est pas mis en évidence de lésion surrénalienne ni hépatique.",
         [("adrenal", True, False), ("liver", True, False)]),
        ("Ganglion iliaque (SUVmax 4,2), Deauville 4 (foie : SUVmax 3,1).", [("ln_iliac", False, False)]),
    ],
)
def test_imaging_wording(lesions, text, expected):
    assert [(f[1], f[6], f[7]) for f in _findings(lesions, text) if f[0] == "lesion"] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # "sans particularité" after organs named first: one negated finding per organ
        ("Rate et reins sans particularité.", [("spleen", True, False), ("kidney", True, False)]),
        ("Foie sans particularité.", [("liver", True, False)]),
        # a label naming several organs before a negation
        ("Rate, pancréas et os : pas de lésion suspecte.",
         [("spleen", True, False), ("pancreas", True, False), ("bone", True, False)]),
        ("Nodule surrénalien droit de 11 mm, peu spécifique.", [("adrenal", False, True)]),
        # a collection is a lesion
        ("Collection splénique de 25 mm.", [("spleen", False, False)]),
        # diffuse or physiological uptake is not a lesion
        ("Hyperfixation ostéo-médullaire diffuse, d'allure réactive.", []),
        ("Hypermétabolisme diffus de la thyroïde.", []),
        ("Fixation thyroïdienne en rapport avec une thyroïdite.", []),
        ("Nodule thyroïdien droit de 14 mm sur thyroïdite.", [("thyroid", False, False)]),
    ],
)
def test_organ_negations_and_non_lesions(lesions, text, expected):
    assert [(f[1], f[6], f[7]) for f in _findings(lesions, text) if f[0] == "lesion"] == expected


def test_laterality_behind_a_part_of_the_organ(lesions):
    found = _findings(lesions, "Opacité alvéolaire du sommet gauche. "
                               "Comblement du cul-de-sac costo-diaphragmatique droit, évoquant un épanchement pleural.")
    assert [(f[1], f[2], f[7]) for f in found] == [("lung", "left", False), ("pleura", "right", True)]


def test_enumerated_sites_after_a_general_one(lesions):
    text = ("Trois nodules hépatiques, au segment II (8 mm), au segment V (12 mm) et au segment VII (20 mm).\n"
            "Foyers osseux hyperfixants du sternum et des côtes, le plus intense sur la 4e côte droite (SUVmax 6,2).")
    assert [(f[1], f[3], f[4]) for f in _findings(lesions, text)] == [
        ("liver", 8.0, None), ("liver", 12.0, None), ("liver", 20.0, None),
        ("sternum", None, None), ("rib", None, 6.2),
    ]


def test_a_lesion_compared_to_the_blood_pool_keeps_its_values(lesions):
    found = _findings(lesions, "Ganglion hilaire droit de 9 mm, de fixation inférieure au pool sanguin "
                               "médiastinal (SUVmax 1,2 contre 7,8 initialement).")
    assert found == [("lesion", "ln_hilar", "right", 9.0, 1.2, 7.8, False, False)]
