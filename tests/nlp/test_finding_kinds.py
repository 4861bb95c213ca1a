"""Kinds of findings missed on the development sets (issue 12), one test per kind.

Sentences written for each kind (none copied from a gold set); expected rows follow the
annotation guide of ``data_samples/nlp_gold/README.md``.
"""

from __future__ import annotations

import pytest

from .conftest import finding_rows

_COLUMNS = ["site", "laterality", "size_mm", "negated"]


def _rows(extractor, text, columns=_COLUMNS, **kw):
    return finding_rows(extractor, text, columns, **kw)


@pytest.mark.parametrize(
    "text, expected",
    [
        # the reference exam a size is compared with is not a reference organ
        ("Cible 1 : nodule du lobe inférieur gauche, 17 mm (25 mm sur le scanner de référence).",
         [("lung_lower_lobe", "left", 17.0, False)]),
        ("Cible 2 : adénopathie iliaque externe droite, 14 mm (référence 20 mm).",
         [("ln_iliac", "right", 14.0, False)]),
    ],
)
def test_a_size_compared_with_the_reference_exam(extractor, text, expected):
    assert _rows(extractor, text) == expected


def test_a_comparison_label_inside_the_results_ends_on_its_line(extractor):
    text = ("Examen de référence : scanner du [DATE].\n"
            "Nodule du lobe moyen de 9 mm.\n"
            "Pas d'adénopathie médiastinale.")
    assert _rows(extractor, text) == [("lung_middle_lobe", None, 9.0, False), ("ln_mediastinal", None, None, True)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # "VB" (vésicule biliaire) is written in capitals: the case-sensitive form only
        ("VB lithiasique, paroi fine.", [("gallbladder", None, None, False)]),
        ("Calcul enclavé dans le collet de la VB, de 9 mm.", [("gallbladder", None, 9.0, False)]),
    ],
)
def test_vb_is_the_gallbladder_in_capitals_only(extractor, text, expected):
    assert _rows(extractor, text) == expected


def test_a_cervical_sub_level_in_lower_case_is_no_gallbladder(extractor):
    # the case-insensitive "VB" once read the level "vb" as the gallbladder
    text = "Ganglion cervical vb droit de 15 mm."
    assert _rows(extractor, text, ["site", "size_mm"]) == [("ln_cervical", 15.0)]


def test_untitled_lines_after_the_exam_title_and_a_context_line(extractor):
    # no blank line but the one before the conclusion: title, context, then findings
    text = ("TDM abdomino-pelvienne\n"
            "Fièvre et douleur de la fosse iliaque droite.\n"
            "Abcès hépatique de 35 mm du segment VI. Pas d'épanchement péritonéal.\n"
            "\n"
            "Conclusion : abcès hépatique.")
    rows = _rows(extractor, text, ["site", "negated", "section"], heading="")
    assert rows == [("liver", False, "results"), ("peritoneum", True, "results")]


def test_a_title_without_a_colon_gives_its_site_to_its_paragraph(extractor):
    text = ("\nRATE\n"
            "Rate de 12 cm.\n"
            "Pôle inférieur : kyste de 14 mm, à paroi fine.\n"
            "\n"
            "Lésions connues\n"
            "Adénopathie iliaque externe gauche de 18 mm, stable.\n")
    # the title names no lesion itself, the organ measured under it is none either
    assert _rows(extractor, text, ["site", "size_mm"]) == [("spleen", 14.0), ("ln_iliac", 18.0)]


def test_the_nature_said_after_a_lesion_is_no_new_lesion(extractor):
    text = "\nFOIE\nLésion du segment II de 15 mm, rehaussée en périphérie. Aspect typique d'hémangiome.\n"
    assert _rows(extractor, text, ["site", "size_mm"]) == [("liver", 15.0)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Disparition complète des adénopathies inguinales droites.", [("ln_inguinal", "right", None, True)]),
        ("Disparition totale du nodule surrénalien gauche.", [("adrenal", "left", None, True)]),
    ],
)
def test_a_complete_disappearance_negates_the_lesion(extractor, text, expected):
    assert _rows(extractor, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # an arterial phase or enhancement names no vessel
        ("Foie :\n- segment V : nodule de 16 mm en hypersignal artériel, avec lavage portal.",
         [("liver", None, 16.0, False)]),
        ("Foie :\n- segment III : lésion de 12 mm rehaussée au temps artériel.", [("liver", None, 12.0, False)]),
        # a capsule described after the lesion is part of it, not an organ of its own
        ("Foie :\n- segment VII : nodule de 31 mm, avec une capsule rehaussée au temps tardif.",
         [("liver", None, 31.0, False)]),
        # the skin named with the lesion word is the lesion's organ (outside the vocabulary)
        ("Sein gauche : épaississement cutané diffus, inchangé.", []),
    ],
)
def test_mr_phase_and_part_words_under_an_organ_label(extractor, text, expected):
    assert _rows(extractor, text) == expected


def test_n_lesions_counts_the_non_negated_lesion_findings(extractor):
    # the annotation guide: n_lesions is the number of non-negated lesion findings of
    # the part scored (results; the conclusion only when the results name none)
    import pandas as pd

    reports = pd.DataFrame({
        "report_id": ["R1", "R2", "R3"],
        "text": [
            "Résultats :\nFoie de référence SUVmax 2,2.\nTrois nodules pulmonaires droits de 4, 6 et 9 mm.\n"
            "Adénopathie hilaire gauche (SUVmax 5,1), suspecte. Pas d'épanchement pleural.\n"
            "Conclusion : nodules et adénopathie hilaire gauche.",
            "Résultats :\nPas d'adénopathie médiastinale. Pas de lésion osseuse.\n"
            "Conclusion : pas de lésion, nodule pulmonaire connu.",
            "Conclusion : nodule du lobe inférieur gauche de 8 mm.",
        ],
    })
    out = extractor.extract(reports)
    f = out.findings
    counted = f[(f.kind == "lesion") & ~f.negated].groupby("report_id").size()
    facts = out.facts.set_index("report_id")["n_lesions"]
    assert facts.to_dict() == {"R1": 4, "R2": 0, "R3": 1}
    assert facts.to_dict() == counted.reindex(facts.index, fill_value=0).to_dict()


@pytest.mark.parametrize("name", ["nlp_gold", "nlp_gold_blind_c", "nlp_gold_blind_d"])
def test_gold_n_lesions_follows_from_its_findings(name):
    from pathlib import Path

    from radlink.nlp.evaluation import load_gold

    gold = load_gold(Path(__file__).resolve().parents[2] / "data_samples" / name)
    f = gold.findings
    counted = f[(f.kind == "lesion") & ~f.negated.astype(bool)].groupby("report_id").size()
    n = gold.facts.set_index("report_id")["n_lesions"].fillna(0).astype(int)
    assert n.to_dict() == counted.reindex(n.index, fill_value=0).astype(int).to_dict()


@pytest.mark.parametrize(
    "text, expected",
    [
        # two stations of one group with one side: one lesion, the side for both
        ("Adénopathies sous-digastriques et spinales droites, la plus grosse de 19 mm.",
         [("ln_cervical", "right", 19.0, False)]),
        # a locative before the lesion word names the same site again
        ("En cervical gauche, l'adénopathie jugulaire interne mesure 14 mm.", [("ln_cervical", "left", 14.0, False)]),
        # two lesion words joined by "et", an enumeration, two sides: two lesions each
        ("Fracture du plateau supérieur de L1 et tassement cunéiforme de L3.",
         [("spine", None, None, False), ("spine", None, None, False)]),
        ("Foyers de T6 et de T9.", [("spine", None, None, False), ("spine", None, None, False)]),
        ("Adénopathies jugulo-carotidiennes droites et spinales gauches.",
         [("ln_cervical", "right", None, False), ("ln_cervical", "left", None, False)]),
    ],
)
def test_one_lesion_named_by_two_sites_of_one_code(extractor, text, expected):
    assert _rows(extractor, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Fine lame d'HSD frontale droite de 6 mm.", [("brain", "right", 6.0, False)]),
        ("Lacune ischémique ancienne du thalamus gauche.", [("brain", "left", None, False)]),
        # a skull bone named by "os" is a bone, not the brain lobe of the same name
        ("Trait de fracture de l'os pariétal droit.", [("bone", "right", None, False)]),
    ],
)
def test_brain_ct_and_mr_findings(extractor, text, expected):
    assert _rows(extractor, text) == expected


def test_the_nature_of_a_labelled_lesion_names_no_site_of_its_own(extractor):
    text = "Annexe droite : formation kystique de 35 mm, sans végétation, évoquant un endométriome."
    assert _rows(extractor, text, ["site", "laterality", "size_mm", "negated", "hypothesis"]) == [
        ("ovary", "right", 35.0, False, True)
    ]


@pytest.mark.parametrize(
    "text",
    [
        # diffuse or normal uptake of an organ is no lesion
        "Hyperfixation intense, diffuse et homogène des deux lobes thyroïdiens.",
        "Parenchyme thyroïdien fixant normalement, de façon symétrique.",
    ],
)
def test_diffuse_or_normal_uptake_is_no_lesion(extractor, text):
    assert [r for r in _rows(extractor, text) if not r[3]] == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # a label naming lesions, denied by what follows: one negated finding
        ("Ganglions inguinaux : absence de fixation.", [("ln_inguinal", None, None, True)]),
        ("Adénopathies axillaires : pas de fixation suspecte.", [("ln_axillary", None, None, True)]),
        # a label naming several areas: the body's sites are the findings
        ("Médiastin et hiles : adénopathie sous-carinaire de 14 mm ; pas de fixation hilaire.",
         [("ln_subcarinal", None, 14.0, False), ("ln_hilar", None, None, True)]),
    ],
)
def test_labels_naming_lesions_or_several_areas(extractor, text, expected):
    assert _rows(extractor, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a table row with a previous and a current size: the header says which is which
        ("Lésion                      Nadir     Actuel\n"
         "Nodule du lobe moyen        12 mm     18 mm\n"
         "Adénopathie hilaire droite  10 mm     15 mm\n",
         [("lung_middle_lobe", None, 18.0, False), ("ln_hilar", "right", 15.0, False)]),
        ("Cible | Ce jour | Examen antérieur\n"
         "Nodule surrénalien gauche | 21 mm | 30 mm\n",
         [("adrenal", "left", 21.0, False)]),
    ],
)
def test_table_rows_with_a_previous_and_a_current_size(extractor, text, expected):
    assert _rows(extractor, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a locative organ, then the lesion at a more precise site: one lesion
        ("Au niveau osseux, la lésion de la tête humérale gauche est stable.", [("humerus", "left", None, False)]),
        # an organ described, then a lesion elsewhere in it: the organ's negation holds
        ("Foie de taille normale, sans lésion focale, en dehors d'un kyste du segment VI de 8 mm.",
         [("liver", None, None, True), ("liver", None, 8.0, False)]),
    ],
)
def test_a_locative_organ_before_the_lesion(extractor, text, expected):
    assert _rows(extractor, text) == expected


def test_the_subhepatic_space_is_peritoneal(extractor):
    text = "Implant péritonéal sous-hépatique de 14 mm."
    assert _rows(extractor, text) == [("peritoneum", None, 14.0, False)]


def test_an_aneurysmal_dilatation_is_a_lesion(extractor):
    rows = finding_rows(extractor, "Aorte : dilatation anévrismale infra-rénale de 5,1 cm.", ["site", "size_mm", "negated"])
    assert rows == [("aorta", 51.0, False)]


# ---------------------------------------------------------------- issue 12, seventh round
def test_a_report_written_as_one_block_up_to_an_inline_conclusion(extractor):
    # exam title, then a short clinical context, then the findings, all on one line
    text = ("Radiographie de la cheville droite (face et profil). Entorse au football. "
            "Fracture de la malléole latérale non déplacée. Pas de fracture du talus. "
            "Conclusion : fracture malléolaire latérale.")
    assert _rows(extractor, text, ["site", "negated", "section"], heading="") == [
        ("bone", False, "results"), ("bone", True, "results")]


def test_the_lines_after_a_comparison_label_are_the_body(extractor):
    text = ("ANGIOSCANNER THORACIQUE\nComparatif : angioscanner du [DATE].\n"
            "Thrombus résiduel de l'artère lobaire inférieure droite. Pas de nouvelle embolie.\n"
            "Conclusion : amélioration.")
    assert _rows(extractor, text, ["site", "negated"], heading="") == [("lung", False), ("lung", True)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Pas d'adénopathie médiastino-hilaire.", [("ln_mediastinal", True), ("ln_hilar", True)]),
        ("Pas de lésion focale hépato-splénique.", [("liver", True), ("spleen", True)]),
    ],
)
def test_a_compound_adjective_names_both_its_sites(extractor, text, expected):
    assert _rows(extractor, text, ["site", "negated"]) == expected


@pytest.mark.parametrize(
    "title, text, expected",
    [
        # a chest exam: lung lesion words with no site are the lung's, not "autre"
        ("TDM THORACIQUE", "Pas de nouveau nodule. Pas d'autre anomalie.", [("lung", True)]),
        ("TDM TAP", "Pas de nouveau nodule.", []),
        # a vessel exam gives its vessel to vascular words only
        ("ECHO-DOPPLER VEINEUX DES MEMBRES INFERIEURS",
         "Pas de thrombose. Kyste poplité de 25 mm. Pas de collection.", [("vessel", True)]),
        # an aneurysm is a vessel, whatever brain word follows it
        ("IRM CEREBRALE", "Anévrisme sylvien droit de 4 mm, stable.", [("vessel", False)]),
        # a cardiac MR: a thrombus of the left ventricle
        ("IRM CARDIAQUE", "Thrombus apical VG de 12 mm. Pas d'épanchement péricardique.",
         [("heart", False), ("pericardium", True)]),
    ],
)
def test_the_exam_names_the_site_of_its_own_lesion_words(extractor, title, text, expected):
    assert _rows(extractor, title + "\nRésultats :\n" + text, ["site", "negated"], heading="") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Pyélonéphrite aiguë gauche.", [("kidney", "left")]),
        ("Pancréatite aiguë œdémateuse.", [("pancreas", None)]),
        ("Spondylodiscite L3-L4.", [("spine", None)]),
        ("Géode sous-chondrale de la tête humérale de 6 mm.", [("humerus", None)]),
        ("Plaque calcifiée non sténosante de l'ACI gauche.", [("vessel", "left")]),
        # a normal zone's signal and small-vessel white-matter changes are no lesion
        ("Zone périphérique en hypersignal T2 homogène.", []),
        ("Quelques hypersignaux FLAIR de la substance blanche (Fazekas 1).", []),
        ("Hypersignal FLAIR ovalaire frontal gauche de 6 mm.", [("brain", "left")]),
    ],
)
def test_lesion_words_beyond_oncology(extractor, text, expected):
    assert _rows(extractor, text, ["site", "laterality"]) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a thin effusion is an effusion, unless said physiological
        ("Petite lame liquidienne sous-hépatique.", [("peritoneum", None, None, False)]),
        ("Petite lame liquidienne du cul-de-sac de Douglas, physiologique.", []),
        ("Pas de lame liquidienne péri-hépatique.", [("peritoneum", None, None, True)]),
        # a wall's collection is no parietal lobe
        ("Pas de collection pariétale.", []),
        # a negated intussusception names no site (the guide's implied-site nouns)
        ("Pas d'invagination intestinale aiguë.", []),
        ("Pas d'image en cocarde, pas de boudin d'invagination.", []),
    ],
)
def test_thin_effusions_and_wall_collections(extractor, text, expected):
    assert _rows(extractor, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a general bone word, then the bone: one lesion at the bone
        ("Contusion osseuse (oedème spongieux) de la tête humérale, plage de 12 mm.",
         [("humerus", None, 12.0, False)]),
        ("Fracture du col fémoral droit de 20 mm avec oedème médullaire.",
         [("femur", "right", 20.0, False)]),
        # a bone mapped to the general code is a bone named: two lesions
        ("Contusion osseuse du condyle fémoral et du plateau tibial, de 11 mm.",
         [("femur", None, None, False), ("bone", None, 11.0, False)]),
        # "os longs" names bones: the negation keeps each
        ("Pas de lésion du rachis ni des os longs.",
         [("spine", None, None, True), ("bone", None, None, True)]),
    ],
)
def test_a_general_bone_word_restated_by_its_bone(extractor, text, expected):
    assert _rows(extractor, text) == expected


def test_a_group_of_bone_lesions_keeps_its_largest_as_the_group(extractor):
    text = "Multiples lésions osseuses lytiques, la plus volumineuse dans l'aile iliaque gauche."
    assert [r[0] for r in _rows(extractor, text)] == ["bone"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # enhancement words with a prefix or an accent, a phase written without its noun
        # and a shunt name no vessel: the segment label's liver is the site
        ("Segment VII : nodule de 14 mm avec hyperréhaussement artériel et lavage portal.",
         [("liver", None, 14.0, False)]),
        ("Segment V : nodule de 7 mm, hyperintense en artérielle, sans lavage.",
         [("liver", None, 7.0, False)]),
        ("Segment II : plage de 5 mm, probable shunt artério-portal.",
         [("liver", None, 5.0, False)]),
        # an MR sequence is no vertebra
        ("Segment IVb : nodule de 9 mm sans traduction T2.", [("liver", None, 9.0, False)]),
        # a LI-RADS observation is a lesion
        ("Segment VI : l'observation mesure 12 mm, classée LR-4.", [("liver", None, 12.0, False)]),
    ],
)
def test_liver_mr_wording_names_no_vessel_or_vertebra(extractor, text, expected):
    assert _rows(extractor, text) == expected


def test_the_iliac_fossa_is_no_iliac_node(extractor):
    text = "Ascite de moyenne abondance, cloisonnée en fosse iliaque gauche."
    assert _rows(extractor, text) == [("peritoneum", None, None, False)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a velocity is no size
        ("Artère rénale gauche : sténose serrée, VSM 280 cm/s.", [("vessel", "left", None, False)]),
        # the size of an enlarged organ or of a dilated cavity is not its lesion's
        ("Splénomégalie à 16 cm avec trois foyers hypermétaboliques spléniques (SUVmax 6,2).",
         [("spleen", None, None, False)]),
        ("Hépatomégalie (19 cm) avec un nodule du segment VI de 14 mm.",
         [("liver", None, 14.0, False)]),
        ("Rein droit : dilatation des cavités (bassinet 22 mm) en amont d'un calcul urétéral de 6 mm.",
         [("ureter", "right", 6.0, False)]),
    ],
)
def test_sizes_that_measure_no_lesion(extractor, text, expected):
    assert _rows(extractor, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kystes rénaux corticaux bilatéraux, le plus gros à gauche de 24 mm.",
         [("kidney", "bilateral", 24.0, False)]),
        ("Adénopathies axillaires D et G, la plus volumineuse à G de 15 mm.",
         [("ln_axillary", "bilateral", 15.0, False)]),
        ("Foyers des deux lobes thyroïdiens, prédominant à droite.",
         [("thyroid", "bilateral", None, False)]),
        # one side named, no group on both: the side holds
        ("Kyste rénal gauche de 24 mm, le plus gros des kystes.", [("kidney", "left", 24.0, False)]),
    ],
)
def test_a_bilateral_group_keeps_its_side_whatever_its_largest(extractor, text, expected):
    assert _rows(extractor, text) == expected


def test_values_split_by_side_give_one_finding_per_side(extractor):
    text = ("Adénopathies axillaires bilatérales, SUVmax 7,4 à gauche et 5,1 à droite, "
            "la plus volumineuse à gauche (21 mm).")
    rows = _rows(extractor, text, ["site", "laterality", "size_mm", "suvmax"])
    assert rows == [("ln_axillary", "left", 21.0, 7.4), ("ln_axillary", "right", None, 5.1)]


def test_a_side_after_a_single_value_is_no_list(extractor):
    rows = _rows(extractor, "Adénopathies hilaires bilatérales, SUVmax 4,8 à droite.",
                 ["site", "laterality", "suvmax"])
    assert rows == [("ln_hilar", "bilateral", 4.8)]


def test_a_breast_lesion_seen_again_on_ultrasound_is_one_lesion(extractor):
    text = ("Mammographie : opacité spiculée du QSE gauche de 15 mm.\n"
            "Échographie : masse hypoéchogène irrégulière à 2h gauche de 18 x 12 mm.\n"
            "Pas d'adénopathie axillaire.")
    assert _rows(extractor, text, ["site", "laterality", "size_mm"], heading="MAMMOGRAPHIE ET ÉCHOGRAPHIE\nRésultats :\n") == [
        ("breast", "left", 18.0), ("ln_axillary", None, None)]


def test_another_lesion_on_ultrasound_stays_a_lesion(extractor):
    text = ("Mammographie : opacité spiculée du QSE gauche de 15 mm.\n"
            "Échographie : masse hypoéchogène irrégulière à 2h gauche de 18 mm.\n"
            "Seconde lésion satellite à 3h gauche de 6 mm.")
    assert _rows(extractor, text, ["site", "laterality", "size_mm"], heading="Résultats :\n") == [
        ("breast", "left", 18.0), ("breast", "left", 6.0)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # an organ a lesion surrounds, pushes or touches is a landmark
        ("Conglomérat ganglionnaire médiastinal de 60 mm englobant la veine cave supérieure.",
         [("ln_mediastinal", None, 60.0, False)]),
        ("Masse hilaire gauche englobant la bronche lobaire inférieure, 38 mm.",
         [("ln_hilar", "left", 38.0, False)]),
        ("Adénopathie sus-claviculaire droite de 19 mm refoulant la veine jugulaire interne.",
         [("ln_supraclavicular", "right", 19.0, False)]),
        # "pulmonaire péri-hilaire" is in the lung
        ("Masse pulmonaire péri-hilaire droite de 5 cm.", [("lung", "right", 50.0, False)]),
    ],
)
def test_an_organ_a_lesion_surrounds_is_a_landmark(extractor, text, expected):
    assert _rows(extractor, text) == expected


# A legacy RIS export in capitals without accents: elided articles written with a space
# and lines wrapped at a fixed width in the middle of a sentence (sentences written for
# the kind).
_CAPITALS = (
    "SCANNER THORACO ABDOMINAL\n"
    "RESULTATS :\n"
    "FRACTURES NON DEPLACEES DES ARCS ANTERIEURS DES 4E ET 5E COTES\n"
    "DROITES, SANS VOLET COSTAL.\n"
    "PAS D EPANCHEMENT PLEURAL. PAS D ADENOPATHIE MEDIASTINALE.\n"
    "ANSES GRELES DISTENDUES JUSQU A 35 MM EN AMONT D UNE HERNIE INGUINALE\n"
    "GAUCHE, SANS SIGNE DE SOUFFRANCE.\n"
)


def test_capitals_keep_their_negations_and_their_wrapped_sides(extractor):
    rows = _rows(extractor, _CAPITALS, ["site", "laterality", "negated"])
    assert ("pleura", None, True) in rows and ("pleura", "right", False) not in rows
    assert ("ln_mediastinal", None, True) in rows
    assert ("abdominal_wall", "left", False) in rows
    assert rows.count(("rib", "right", False)) == 2


def test_capitals_are_unwrapped_character_for_character():
    from radlink.nlp.cleaning import capitals_unwrapped, clean_text

    assert len(capitals_unwrapped(_CAPITALS)) == len(_CAPITALS)
    assert "PAS D'EPANCHEMENT" in clean_text(_CAPITALS).text
    # a side abbreviation before a conjunction stays, and mixed case is never touched
    assert "REIN D ET G" in capitals_unwrapped("REINS : DILATATION DU REIN D ET G, SANS OBSTACLE VISIBLE.")
    assert capitals_unwrapped("Pas d épanchement,\nni de lame") == "Pas d épanchement,\nni de lame"


@pytest.mark.parametrize(
    "title, text, expected",
    [
        # a wall's adjective in a venous Doppler is no parietal lobe
        ("Echo-doppler veineux des membres inférieurs",
         "Résultats :\nVeine poplitée droite : thrombus pariétal de 5 mm, non occlusif.",
         "vessel"),
        # a lens-shaped signal in a prostate MR is no lentiform nucleus
        ("IRM prostatique multiparamétrique",
         "Résultats :\nPlage lenticulaire en hyposignal T2 de 12 mm, antérieure, mal limitée.",
         "prostate"),
    ],
)
def test_a_site_the_exam_cannot_show_takes_the_exam_organ(extractor, title, text, expected):
    rows = finding_rows(extractor, text, ["site", "negated"], heading=title + "\n")
    assert rows == [(expected, False)]


def test_a_brain_exam_keeps_its_lentiform_nucleus(extractor):
    rows = finding_rows(extractor, "Résultats :\nLacune ischémique lenticulaire droite de 6 mm.",
                        ["site", "laterality"], heading="IRM cérébrale\n")
    assert rows == [("brain", "right")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the deep pelvic spaces of endometriosis are subperitoneal, not the sacrum
        ("Nodule d'endométriose du ligament utéro-sacré droit de 12 mm.", [("peritoneum", "right", 12.0, False)]),
        ("Nodule de la cloison recto-vaginale de 11 mm.", [("peritoneum", None, 11.0, False)]),
        # the endometrium written with its accent, an adenomyoma
        ("Tumeur endométriale de 28 mm.", [("uterus", None, 28.0, False)]),
        ("Adénomyome de la paroi antérieure de 17 mm.", [("uterus", None, 17.0, False)]),
        # the internal capsule is the brain's
        ("Lacune du bras postérieur de la capsule interne droite de 4 mm.", [("brain", "right", 4.0, False)]),
    ],
)
def test_pelvic_and_brain_sub_sites(extractor, text, expected):
    assert _rows(extractor, text) == expected


def test_a_long_heading_naming_lesions_makes_its_items_lesions(extractor):
    text = ("Deux lésions nodulaires rehaussées en couronne après injection, évocatrices de "
            "localisations secondaires :\n"
            "- temporale droite de 14 mm, avec un œdème périlésionnel ;\n"
            "- occipitale gauche de 5 mm.\n")
    rows = _rows(extractor, text, ["site", "laterality", "size_mm"], heading="IRM cérébrale\nRésultats :\n")
    assert rows == [("brain", "right", 14.0), ("brain", "left", 5.0)]


def test_a_bilateral_group_with_its_sizes_in_turn_is_one_lesion_per_side(extractor):
    text = "Kystes ovariens bilatéraux, mesurant respectivement 41 et 18 mm à gauche et à droite."
    assert _rows(extractor, text, ["site", "laterality", "size_mm"]) == [("ovary", "left", 41.0), ("ovary", "right", 18.0)]


def test_one_lesion_in_the_singular_over_two_parts_of_one_site(extractor):
    text = "Nodule d'endométriose du torus et du ligament utéro-sacré droit de 13 mm."
    assert _rows(extractor, text) == [("peritoneum", "right", 13.0, False)]


def test_thyroid_nodules_named_by_their_labels(extractor):
    text = ("N1 lobe gauche pôle supérieur, solide isoéchogène, 17 x 12 x 10 mm. EU-TIRADS 3.\n"
            "N2 isthme, spongiforme, 6 mm. EU-TIRADS 2.\n")
    rows = _rows(extractor, text, ["site", "laterality", "size_mm"], heading="Échographie thyroïdienne\nRésultats :\n")
    assert rows == [("thyroid", "left", 17.0), ("thyroid", None, 6.0)]


def test_facts_follow_from_the_findings_table_with_the_verifier():
    # n_lesions and max_suvmax are read from the rows the findings table holds, after the
    # lesion verifier has dropped its candidates (on by default)
    from pathlib import Path

    import pandas as pd

    from radlink.nlp import ReportExtractor

    folder = Path(__file__).resolve().parents[2] / "data_samples" / "nlp_gold_blind_i" / "reports"
    paths = sorted(folder.glob("*.txt"))[:40]
    if not paths:
        pytest.skip("no gold reports")
    reports = pd.DataFrame({"report_id": [p.stem for p in paths], "text": [p.read_text() for p in paths]})
    out = ReportExtractor().extract(reports)
    f = out.findings
    positive = f[(f.kind == "lesion") & ~f.negated.astype(bool)]
    facts = out.facts.set_index("report_id")
    counted = positive.groupby("report_id").size().reindex(facts.index, fill_value=0)
    assert facts["n_lesions"].tolist() == counted.tolist()
    top = positive.groupby("report_id")["suvmax"].max().reindex(facts.index)
    assert facts["max_suvmax"].fillna(-1).tolist() == top.fillna(-1).tolist()
