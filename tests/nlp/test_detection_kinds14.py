"""Kinds of findings missed by several writers (issue 12, fourteenth round), one test per kind.

Sentences written for each kind (none copied from a gold set); expected rows follow the
annotation guide of ``data_samples/nlp_gold/README.md`` and its rulings.
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
        # an erosion is a bone lesion at the bone it names
        ("Erosion corticale de la base de la 2e phalange droite, de 3 mm.",
         [("bone", "right", 3.0, False)]),
        ("Sacro-iliaque gauche : érosions sous-chondrales du versant sacré.",
         [("pelvis_bone", "left", None, False)]),
        # an osteitis too
        ("Ostéite du calcanéum gauche.", [("bone", "left", None, False)]),
        # and, with no bone named, it names a bone as a fracture does (the guide's ruling)
        ("Pas d'érosion.", [("bone", None, None, True)]),
        ("Absence d'ostéite.", [("bone", None, None, True)]),
    ],
)
def test_erosions_and_osteitis_are_bone_lesions(extractor, text, expected):
    assert _rows(extractor, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # free fluid between the bowel loops is peritoneal
        ("Fine lame d'épanchement inter-anses.", [("peritoneum", None, None, False)]),
        ("Pas d'épanchement inter-anses.", [("peritoneum", None, None, True)]),
        # an effusion said to be in the abdomen, adjective in the feminine too
        ("Petite lame d'épanchement intra-abdominale, sans collection.",
         [("peritoneum", None, None, False)]),
    ],
)
def test_effusions_placed_in_the_peritoneal_cavity(extractor, text, expected):
    assert _rows(extractor, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # an effusion placed in a region of the abdomen or the pelvis, no organ named
        ("Fine lame liquidienne en FIG.", [("peritoneum", None, None, False)]),
        ("Epanchement de faible abondance dans la fosse iliaque droite.",
         [("peritoneum", "right", None, False)]),
        ("Petit épanchement pelvien.", [("peritoneum", None, None, False)]),
        # an organ named keeps its own site
        ("Epanchement pleural droit de faible abondance.", [("pleura", "right", None, False)]),
        # and a bare effusion still names no site (the guide's rulings)
        ("Pas d'épanchement.", []),
    ],
)
def test_effusions_in_a_region_of_the_abdomen_are_peritoneal(extractor, text, expected):
    assert _rows(extractor, text) == expected
