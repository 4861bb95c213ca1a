"""What is a finding and what is not, one finding per lesion, sizes, sides and structure.

Sentences written for each kind of phrasing (none copied from a gold set); each case
states the findings a reader extracts under the annotation guide of
``data_samples/nlp_gold/README.md``. Both engines (text and spaCy) give the same rows.
"""

from __future__ import annotations

import pandas as pd
import pytest

from radlink.nlp import ReportExtractor
from radlink.vocabulary import SITES, site_group

from .conftest import finding_rows

_COLUMNS = ["site", "laterality", "size_mm", "negated"]


def _rows(extractor, text, columns=_COLUMNS, **kw):
    return finding_rows(extractor, text, columns, **kw)


@pytest.mark.parametrize(
    "text",
    [
        # physiological, diffuse or homogeneous uptake, also under an organ label
        "Reins : fixation physiologique des cavités excrétrices.",
        "Moelle osseuse : hyperfixation homogène, réactionnelle.",
        "Épaississement cutané diffus du sein gauche.",
        # breast density, benign diffuse changes
        "Seins de densité B, sans autre particularité notable.",
        "Gynécomastie droite.",
        "Hypertrophie bénigne de la prostate avec volumineux adénome central.",
        "Quelques microcalcifications arrondies dispersées, d'aspect bénin.",
        # normal lymph nodes
        "Ganglions inguinaux ovalaires à hile graisseux.",
        "Ganglion sous-mandibulaire de 11 x 5 mm, à hile conservé, non suspect.",
        # a dilated collecting system is a consequence, not a lesion
        "Dilatation modérée des cavités pyélocalicielles gauches (bassinet 16 mm).",
    ],
)
def test_what_is_not_a_finding(extractor, text):
    assert [r for r in _rows(extractor, text) if not r[3]] == []


def test_a_measured_node_with_a_fatty_hilum_stays_a_finding(extractor):
    text = "Ganglion axillaire droit de 9 mm, à hile graisseux, stable."
    assert _rows(extractor, text) == [("ln_axillary", "right", 9.0, False)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # an organ measured is not a lesion size
        ("Rein gauche : 118 mm, kyste cortical de 22 mm.", [("kidney", "left", 22.0, False)]),
        ("Rate augmentée de taille (16 cm), siège de trois nodules de 8, 11 et 14 mm.",
         [("spleen", None, 8.0, False), ("spleen", None, 11.0, False), ("spleen", None, 14.0, False)]),
        # a part of the lesion measured is not its size
        ("Adénopathie inguinale gauche à cortex épaissi (5 mm), de 17 mm.",
         [("ln_inguinal", "left", 17.0, False)]),
        # counted lesions measured one by one
        ("Deux nodules du lobe moyen de 4 et 6 mm.",
         [("lung_middle_lobe", None, 4.0, False), ("lung_middle_lobe", None, 6.0, False)]),
        # infracentimetric: a lesion without a size
        ("Micronodule infracentimétrique du lobe inférieur gauche.",
         [("lung_lower_lobe", "left", None, False)]),
        # three dimensions: the largest; a previous size is not the current one
        ("Kyste ovarien droit de 31 x 44 x 27 mm (contre 52 mm).", [("ovary", "right", 44.0, False)]),
    ],
)
def test_sizes(extractor, text, expected):
    assert _rows(extractor, text) == expected


def test_liver_segments_enumerated_with_a_size_each(extractor):
    text = "Trois métastases hépatiques hypodenses, aux segments V (21 mm), VIII (12 mm) et IVb (7 mm)."
    assert _rows(extractor, text, ["site", "size_mm"]) == [
        ("liver", 21.0), ("liver", 12.0), ("liver", 7.0),
    ]


def test_ribs_enumerated_are_one_lesion_each(extractor):
    text = "Fractures des 8e, 9e et 10e côtes gauches, non déplacées."
    assert _rows(extractor, text, ["site", "laterality"]) == [("rib", "left")] * 3


def test_a_list_under_a_lesion_heading(extractor):
    text = (
        "Lésions cibles :\n"
        "- surrénale droite : 23 mm (vs 31 mm)\n"
        "- foie, segment VI : 15 mm\n"
    )
    assert _rows(extractor, text, ["site", "laterality", "size_mm"]) == [
        ("adrenal", "right", 23.0), ("liver", None, 15.0),
    ]


def test_a_table_row_is_one_lesion(extractor):
    text = (
        "Cible | Siège | Taille | SUVmax\n"
        "A | 6e côte gauche | - | 5,1\n"
        "B | Ganglion hilaire droit | 14 mm | 7,3\n"
    )
    assert _rows(extractor, text, ["site", "laterality", "size_mm", "suvmax"]) == [
        ("rib", "left", None, 5.1), ("ln_hilar", "right", 14.0, 7.3),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # an IASLC station's letter is its side
        ("ADP 10R de 13 mm.", [("ln_hilar", "right")]),
        # a label's side is not a midline station's
        ("Adénopathies médiastinales bilatérales :\n- sous-carinaire (7) de 19 mm\n- paratrachéale G (4L) de 11 mm\n",
         [("ln_subcarinal", None), ("ln_paratracheal", "left")]),
        # an enumeration of cervical levels takes the side after it
        ("Adénopathies des secteurs II et III gauches.", [("ln_cervical", "left")]),
        # a thrombosis along a vessel is one finding, at the vessel
        ("Thrombose de la veine fémorale commune et de la veine poplitée droites.", [("vessel", "right")]),
        # the healthy liver a value is read against is no second liver lesion
        ("Foie : nodule du segment IV de 15 mm (SUVmax 6,1 ; foie sain : 2,2).", [("liver", None)]),
        ("Lésion du segment VII, SUVmax 5,0. La fixation du foie sain est à 2,3.", [("liver", None)]),
        # "au sein de", "en son sein" are no breast
        ("Condensation du LIG avec, au sein de celle-ci, une plage hypodense de 15 mm.", [("lung_lower_lobe", "left")]),
        ("Sein gauche : opacité du QSE de 12 mm, avec clip en son sein.", [("breast", "left")]),
        # an organ outside the vocabulary after "avec" is a sign around the lesion
        ("Sein gauche : à la jonction des quadrants inférieurs, masse spiculée de 18 mm avec rétraction cutanée.",
         [("breast", "left")]),
        # a lesion named again (a demonstrative, a relation's definite complement) is not a new one
        ("Masse de la tête du pancréas de 30 mm. La veine porte est au contact de la tumeur.", [("pancreas", None)]),
        ("Adénopathie hilaire gauche de 16 mm. Cette adénopathie comprime la bronche lobaire supérieure gauche.",
         [("ln_hilar", "left")]),
        # the ultrasound that restates a mammographic lesion under its label adds none (the
        # group keeps its side, bilateral, as the annotation guide says of a group's largest)
        ("Masses rondes bilatérales, la plus volumineuse dans le sein droit de 18 mm.\nÉchographie : les masses "
         "correspondent à des kystes simples, le plus grand de 18 mm dans le QSE droit.", [("breast", "bilateral")]),
        # the lobe an artery supplies is part of the embolism, not a lesion of its own
        ("Embolie pulmonaire : défect de l'artère lobaire inférieure droite et des artères segmentaires du LIG.",
         [("lung", "right")]),
    ],
)
def test_sides_and_one_finding_per_lesion(extractor, text, expected):
    assert _rows(extractor, text, ["site", "laterality"]) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a ureteral stone is a finding of the upper urinary tract
        ("Calcul de l'uretère pelvien gauche de 4 mm, à 2 cm de la jonction urétéro-vésicale.",
         [("ureter", "left", 4.0, False)]),
        # what a hernia contains is not its site
        ("Hernie ombilicale contenant une anse grêle, collet de 12 mm.",
         [("abdominal_wall", None, 12.0, False)]),
        # fat stranding is a sign of the lesion it surrounds
        ("Diverticulite sigmoïdienne avec infiltration de la graisse péri-sigmoïdienne.",
         [("colon", None, None, False)]),
        # a myoma is the uterus's
        ("Myome sous-séreux de 27 mm.", [("uterus", None, 27.0, False)]),
        # a biliary cyst is a liver cyst
        ("Petit kyste biliaire du segment II de 6 mm.", [("liver", None, 6.0, False)]),
    ],
)
def test_sites_of_non_oncology_findings(extractor, text, expected):
    assert _rows(extractor, text) == expected


def test_the_ureter_is_counted_with_the_kidney():
    assert "ureter" in SITES
    assert site_group("ureter") == "kidney"


def test_untitled_report_is_read_before_its_conclusion_without_its_indication(extractor):
    text = (
        "Radiographie de la cheville droite, face et profil.\n\n"
        "Traumatisme en inversion, suspicion de fracture.\n\n"
        "Fracture de la malléole latérale droite, non déplacée.\n\n"
        "Conclusion : fracture malléolaire latérale droite."
    )
    rows = _rows(extractor, text, ["site", "laterality", "negated"], heading="")
    assert rows == [("bone", "right", False)]
    out = extractor.extract(pd.DataFrame({"report_id": ["R"], "text": [text]}))
    assert out.findings["section"].tolist() == ["results"]


def test_engines_agree_on_structured_text():
    text = (
        "Résultats :\nLésions cibles :\n- foie, segment VII : 19 mm\n"
        "Rein droit : 120 mm, calcul caliciel de 5 mm.\n"
        "Ganglions cervicaux ovalaires à hile graisseux.\n"
    )
    reports = pd.DataFrame({"report_id": ["R"], "text": [text]})
    text_engine = ReportExtractor().extract(reports).findings
    spacy_engine = ReportExtractor(engine="spacy").extract(reports).findings
    assert spacy_engine.equals(text_engine)


def test_a_lesion_named_again_with_a_definite_article_is_not_a_new_one(extractor):
    text = (
        "Nodule du segment VI de 18 mm, hypervascularisé.\n"
        "Le nodule du segment VI est au contact de la veine porte droite.\n"
        "Le nodule du segment II mesure 7 mm.\n"
    )
    assert _rows(extractor, text, ["site", "size_mm"]) == [("liver", 18.0), ("liver", 7.0)]


def test_levels_given_respectively_and_an_organ_portion(extractor):
    text = "Adénopathies spinales gauches des niveaux II et V, mesurant respectivement 13 et 9 mm."
    assert _rows(extractor, text, ["site", "laterality", "size_mm"]) == [
        ("ln_cervical", "left", 13.0), ("ln_cervical", "left", 9.0),
    ]
    assert _rows(extractor, "Sténose tumorale de l'œsophage cervical.", ["site"]) == [("oesophagus",)]


def test_a_site_word_after_an_organ_outside_the_vocabulary_is_that_organ_s_part(extractor):
    # the skin over the temporal bone: no brain finding
    assert _rows(extractor, "Hématome sous-cutané temporal droit.", ["site"]) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # a disc level is one site; a nerve root and an MR sequence are no vertebra
        ("L3-L4 : hernie discale foraminale droite comprimant la racine L3 droite.", [("spine", "right")]),
        ("Masse ovarienne droite à paroi épaisse, en signal intermédiaire T2.", [("ovary", "right")]),
        # the dural sinuses are vessels
        ("Thrombose du sinus sigmoïde gauche.", [("vessel", "left")]),
    ],
)
def test_mr_words_that_name_no_other_site(extractor, text, expected):
    assert _rows(extractor, text, ["site", "laterality"]) == expected


def test_an_html_table_reads_as_a_table_of_lesions(extractor):
    text = (
        "<p><b>Résultats :</b></p><table><tr><th>N°</th><th>Localisation</th><th>Taille</th></tr>"
        "<tr><td>1</td><td>Nodule du lobe droit</td><td>12 mm</td></tr>"
        "<tr><td>2</td><td>Lobe gauche</td><td>7 mm</td></tr></table>"
        "<p>Conclusion : nodules thyroïdiens.</p>"
    )
    out = extractor.extract(pd.DataFrame({"report_id": ["R"], "text": [text],
                                          "title": ["Échographie thyroïdienne"]}))
    rows = out.findings[["site", "laterality", "size_mm"]].values.tolist()
    assert rows == [["thyroid", "right", 12.0], ["thyroid", "left", 7.0]]


def test_pipe_table_exported_with_line_break_tags(extractor):
    # a search-viewer export: "<br>" and a newline end every line, highlight spans in cells
    text = (
        "Résultats :<br>\n"
        "| N° | Site | Taille (mm) | <span class=\"hl\">SUVmax</span> | <span class=\"hl\">SUVmax</span> initial |<br>\n"
        "|---|---|---|---|---|<br>\n"
        "| 1 | Nodule du lobe inférieur gauche | 17 | 8,2 | 11,5 |<br>\n"
        "| 2 | <span class=\"hl\">ADP</span> sous-carinaire (7) | 12 | 4,6 | 6,1 |<br>\n"
    )
    out = extractor.extract(pd.DataFrame({"report_id": ["R"], "text": [text]}))
    f = out.findings[out.findings.kind == "lesion"]
    assert f["suvmax"].tolist() == [8.2, 4.6]
    assert f["previous_suvmax"].tolist() == [11.5, 6.1]
    assert f["size_mm"].tolist() == [17.0, 12.0]


@pytest.mark.parametrize(
    "indication, expected",
    [
        # a cervical tumour of a report about the uterine cervix is the cervix's, one lesion
        ("carcinome épidermoïde du col utérin FIGO IIB", [("uterus", None, 38.0)]),
        # a neck mass otherwise
        ("carcinome du larynx traité", [("ln_cervical", None, 38.0)]),
    ],
)
def test_a_cervical_tumour_is_the_cervix_in_a_report_about_it(extractor, indication, expected):
    text = "Tumeur cervicale de 38 mm, centrée sur la lèvre antérieure du col."
    rows = _rows(extractor, text, ["site", "laterality", "size_mm"],
                 heading=f"Indication : {indication}.\nRésultats :\n")
    assert rows == expected


def test_etages_under_the_technique_are_the_results(extractor):
    # an export on one line, no results title: the étages hold the findings
    text = ("TEP-TDM FDG. Technique : 250 MBq, glycémie 1,0 g/l. Etage cervical : RAS. "
            "Etage thoracique : nodule lobaire inférieur droit de 14 mm, SUVmax 6,2. "
            "Squelette : pas de lésion osseuse. Conclusion : nodule pulmonaire hypermétabolique.")
    assert _rows(extractor, text, ["site", "laterality", "size_mm", "suvmax", "negated"], heading="") == [
        ("lung_lower_lobe", "right", 14.0, 6.2, False), ("bone", None, None, None, True),
    ]


@pytest.mark.parametrize("title", ["Comparaison :", "Comparaison (TEP du [DATE]) :"])
def test_a_comparison_paragraph_after_the_results_quotes_the_previous_exam(extractor, title):
    text = (f"Nodule lobaire inférieur droit de 14 mm, SUVmax 6,2.\n\n{title}\n"
            "TEP du [DATE] : nodule de 20 mm, SUVmax 9,8 ; ganglion hilaire droit SUVmax 4,1.\n\n"
            "Conclusion : réponse partielle.")
    assert _rows(extractor, text, ["site", "size_mm", "suvmax"]) == [("lung_lower_lobe", 14.0, 6.2)]


def test_a_comparison_label_inside_the_results_names_the_exam_only(extractor):
    text = "Comparaison : TEP du [DATE].\nNodule lobaire inférieur droit de 14 mm, SUVmax 6,2.\n"
    assert _rows(extractor, text, ["site", "size_mm", "suvmax"]) == [("lung_lower_lobe", 14.0, 6.2)]


def test_a_tab_separated_table_reads_as_its_pipe_table(extractor):
    # the header row names the columns: the last one is the previous exam's SUVmax
    text = (
        "Foie :\n"
        "Segment\tTaille\tSUVmax actuel\tSUVmax antérieur\n"
        "VII\t21 mm\t12,9\t22,0\n"
        "IVa\t12 mm\t6,1\t9,8\n"
        "Adénopathies :\n"
        "Site\tTaille\t\tSUVmax\n"
        "Iliaque interne droite\t9 mm\t\t12,6\n"
    )
    assert _rows(extractor, text, ["site", "laterality", "size_mm", "suvmax", "previous_suvmax"]) == [
        ("liver", None, 21.0, 12.9, 22.0), ("liver", None, 12.0, 6.1, 9.8),
        ("ln_iliac", "right", 9.0, 12.6, None),
    ]


def test_tabs_outside_a_table_stay_spaces(extractor):
    # lines aligned by tabs under a header without them are no table: read as spaces
    text = "Lésions cibles (précédent -> actuel)\n- nodule LID\t\t13 mm -> 12 mm\n- ADP 7\t\t12 mm -> 11 mm\n"
    columns = ["site", "size_mm", "suvmax"]
    assert _rows(extractor, text, columns) == _rows(extractor, text.replace("\t", " "), columns)
    assert _rows(extractor, text, columns)


@pytest.mark.parametrize(
    "text, expected",
    [
        # "respectivement" before the mention: the values in the order of the sites
        ("Foyers de la 4e côte gauche, de L2 et de l'aile iliaque droite, respectivement SUVmax 6,1, 9,4 et 3,3.",
         [("rib", 6.1, None), ("spine", 9.4, None), ("pelvis_bone", 3.3, None)]),
        # a previous value said alone goes to the clause's lesion
        ("Ganglion hilaire droit de 6 mm, non fixant, précédemment 12 mm et SUVmax 6,6.",
         [("ln_hilar", None, 6.6)]),
        # the junction and the organ a lesion extends to are one oesophageal lesion
        ("Épaississement du tiers inférieur de l'oesophage, étendu au cardia, SUVmax 12,1.",
         [("oesophagus", 12.1, None)]),
        ("Jonction oeso-gastrique : fixation résiduelle, SUVmax 4,4 (vs 9,9).", [("oesophagus", 4.4, 9.9)]),
    ],
)
def test_values_attach_to_the_right_lesion(extractor, text, expected):
    assert _rows(extractor, text, ["site", "suvmax", "previous_suvmax"]) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Lésion périventriculaire droite de 34 mm.", [("brain", "right", 34.0)]),
        ("Prise de contraste fronto-pariétale gauche de 12 mm.", [("brain", "left", 12.0)]),
    ],
)
def test_sub_sites_of_the_brain(extractor, text, expected):
    assert _rows(extractor, text, ["site", "laterality", "size_mm"]) == expected


def test_a_vertebral_level_after_another_organ_is_a_landmark(extractor):
    text = "Calcul de l'uretère lombaire gauche, en regard de L4, mesurant 6 x 4 mm."
    assert _rows(extractor, text, ["site", "laterality", "size_mm"]) == [("ureter", "left", 6.0)]
