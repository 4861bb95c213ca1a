"""Kinds of errors that several writers' reports share (issue 12, eleventh round): the
neck's exams are no spine's, a decimal is no lymph-node station, and a table's size
column is the one the column vocabulary names.

Sentences are of our own invention (not copied from any gold set).
"""

from __future__ import annotations

import pytest

from radlink.nlp.lesions.lesions import exam_default_site, exam_organ

from .conftest import finding_rows


def _rows(extractor, title, text, columns=("site", "laterality", "size_mm", "negated")):
    return finding_rows(extractor, text, columns, heading="", title=title)


@pytest.mark.parametrize(
    "title, organ",
    [
        # a bare "cervical" is the neck: a region, not the cervical spine
        ("TDM CERVICALE INJECTÉE", "_neck"),
        ("Scanner cervical de contrôle", "_neck"),
        ("IRM cervicale", "_neck"),
        ("Échographie cervicale", "_neck"),
        # the spine is named
        ("IRM du rachis cervical", "spine"),
        ("TDM RACHIS CERVICAL ET DORSAL", "spine"),
        ("IRM LOMBAIRE", "spine"),
        # two organs: none
        ("IRM encéphalique et moelle cervicale", None),
        ("Échographie thyroïdienne et cervicale", None),
    ],
)
def test_the_neck_is_a_region_and_the_spine_is_named(title, organ):
    assert exam_organ(title, "") == organ


def test_the_neck_shows_an_organ_by_modality_only():
    assert exam_default_site("_neck", "US") == "thyroid"
    assert exam_default_site("_neck", "CT") is None
    assert exam_default_site("_neck", "MR") is None
    assert exam_default_site("spine", "MR") == "spine"


@pytest.mark.parametrize(
    "title, text, expected",
    [
        # a mass of a structure outside the vocabulary in a neck CT is no vertebra's
        ("SCANNER CERVICAL",
         "Résultats :\nMasse de la vallécule droite de 25 mm.\nAire III droite : ganglion de 14 mm.",
         [("ln_cervical", "right", 14.0, False)]),
        # a neck ultrasound's nodule with no organ named is the thyroid's
        ("Échographie cervicale", "Résultats :\nNodule hypoéchogène de 9 mm à gauche.",
         [("thyroid", "left", 9.0, False)]),
        # a spine MR's lesion with no organ named is the spine's
        ("IRM du rachis cervical", "Résultats :\nLésion focale de 11 mm en hypersignal STIR.",
         [("spine", None, 11.0, False)]),
    ],
)
def test_a_lesion_without_site_in_a_neck_or_spine_exam(extractor, title, text, expected):
    assert [r for r in _rows(extractor, title, text) if r[0] is not None] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a previous size written as a decimal in brackets is no station 7
        ("Micronodule du lobe supérieur gauche de 8,5 mm (7,2 mm au contrôle précédent).",
         [("lung_upper_lobe", "left", 8.5, False)]),
        ("Nodule du lobe inférieur droit, 9,1 mm, 7,4 mm auparavant.",
         [("lung_lower_lobe", "right", 9.1, False)]),
        # the station itself, in brackets or listed
        ("Adénopathie sous-carinaire (7) de 16 mm.", [("ln_subcarinal", None, 16.0, False)]),
        ("Adénopathies médiastinales hypodenses (7, 4R).", [("ln_subcarinal", None, None, False),
                                                              ("ln_paratracheal", "right", None, False)]),
    ],
)
def test_a_decimal_is_no_lymph_node_station(extractor, text, expected):
    assert _rows(extractor, "TDM THORACIQUE", "Résultats :\n" + text) == expected


@pytest.mark.parametrize(
    "header, size",
    [
        ("| Cible | Localisation | Taille (mm) | SUVmax |", 18.0),
        ("| Cible | Localisation | mm | SUVmax |", 18.0),
        ("| Cible | Localisation | Grand axe | SUVmax |", 18.0),
        # a SUVmax column is never a size, whatever unit it names
        ("| Cible | Localisation | SUVmax (mm) | SUVmax |", None),
    ],
)
def test_a_table_size_column_is_the_column_vocabulary_s(extractor, header, size):
    text = f"Résultats :\n{header}\n|---|---|---|---|\n| 1 | Nodule du lobe inférieur droit | 18 | 6,2 |\n"
    rows = _rows(extractor, "TEP-TDM", text, ("site", "size_mm"))
    assert rows == [("lung_lower_lobe", size)]
