"""Where a lesion is when its sentence names no organ: the exam's organ, read in its title.

Sentences are of our own invention (not copied from any gold set).
"""

from __future__ import annotations

import pandas as pd
import pytest

from radlink.nlp.lesions.lesions import exam_organ

from .conftest import finding_rows


def _report_rows(extractor, title, text, columns=("site", "laterality", "size_mm", "negated")):
    return finding_rows(extractor, text, columns, heading="", title=title)


@pytest.mark.parametrize(
    "title, organ",
    [
        ("ÉCHOGRAPHIE RÉNALE", "kidney"),
        ("Echographie des reins", "kidney"),
        ("Échographie de l'appareil urinaire", "kidney"),
        ("UROSCANNER", "kidney"),
        ("Échographie pleurale droite", "pleura"),
        ("IRM pancréatique", "pancreas"),
        ("TDM des surrénales", "adrenal"),
        ("Scintigraphie osseuse", "bone"),
        # two organs, or a region: no organ of its own
        ("Échographie rénale et pancréatique", None),
        ("Uroscanner abdomino-pelvien", None),
        # an organ without an exam word before it is no exam's
        ("Reins", None),
    ],
)
def test_exam_organ_of_single_organ_exams(title, organ):
    assert exam_organ(title, "") == organ


@pytest.mark.parametrize(
    "title, text, expected",
    [
        # cysts with no organ named in a kidney ultrasound are the kidneys'
        ("ÉCHOGRAPHIE RÉNALE",
         "Résultats : Deux kystes corticaux simples à droite, le plus grand de 31 mm.",
         [("kidney", "right", 31.0, False)]),
        ("UROSCANNER", "Résultats : Calcul de 6 mm à gauche. Pas de dilatation des cavités.",
         [("kidney", "left", 6.0, False)]),
        # a thickening in a pleural ultrasound is the pleura's (an effusion names no organ
        # of the exam: NOT_IN_EXAM_ORGAN)
        ("Échographie pleurale", "Résultats : Épaississement nodulaire de 12 mm à droite.",
         [("pleura", "right", 12.0, False)]),
        # a bone scan's uptake with no bone named is the skeleton's
        ("Scintigraphie osseuse", "Résultats : Foyer d'hyperfixation intense, non spécifique.",
         [("bone", None, None, False)]),
        # a site the sentence names wins over the exam's organ
        ("ÉCHOGRAPHIE RÉNALE", "Résultats : Lame d'ascite péri-hépatique.",
         [("peritoneum", None, None, False)]),
    ],
)
def test_a_lesion_without_site_takes_the_exam_organ(extractor, title, text, expected):
    assert _report_rows(extractor, title, text) == expected


@pytest.mark.parametrize(
    "title, text, expected",
    [
        # a focal density abnormality or a zone of abnormal signal is a lesion
        ("SCANNER CEREBRAL", "Résultats : Hypodensité cortico-sous-corticale temporale gauche récente.",
         [("brain", "left", None, False)]),
        ("IRM PROSTATIQUE", "Résultats : Zone en hyposignal T2 de la zone périphérique droite, de 7 mm.",
         [("prostate", "right", 7.0, False)]),
        # a plural signal word before a sequence name is no vertebra ("hyposignaux T2")
        ("IRM PROSTATIQUE", "Résultats : Nodule de 6 mm de la zone de transition, en hyposignaux T2 "
         "hétérogènes.", [("prostate", None, 6.0, False)]),
    ],
)
def test_signal_and_density_abnormalities(extractor, title, text, expected):
    assert _report_rows(extractor, title, text) == expected


def test_a_finding_placed_by_the_exam_spans_its_lesion_word(extractor):
    text = "Résultats : Foyer d'hyperfixation intense, non spécifique."
    out = extractor.extract(pd.DataFrame({"report_id": ["R"], "title": ["Scintigraphie osseuse"], "text": [text]}))
    (start, end), = out.findings[["start", "end"]].itertuples(index=False)
    assert text[start:end] == "Foyer"


@pytest.mark.parametrize(
    "title, text, expected",
    [
        # a bleeding named by its intracranial compartment is the brain's, negated too
        ("SCANNER CÉRÉBRAL", "Résultats : Pas d'hématome intraparenchymateux.", [("brain", None, None, True)]),
        ("TDM CRÂNE", "Résultats : Pas de saignement intra ou extra-axial.", [("brain", None, None, True)]),
        ("IRM ENCÉPHALIQUE", "Résultats : Hématome intra-parenchymateux thalamique droit de 18 mm.",
         [("brain", "right", 18.0, False)]),
        # the parenchyma is the organ the report is about
        ("ÉCHOGRAPHIE RÉNALE", "Résultats : Hématome intra-parenchymateux du pôle inférieur gauche de 25 mm.",
         [("kidney", "left", 25.0, False)]),
    ],
)
def test_bleeding_compartments(extractor, title, text, expected):
    assert _report_rows(extractor, title, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a sub-heading alone on its line that names a side gives it to the findings under
        # it that name none (guide's rulings), to the next heading or blank line
        ("Membre inférieur droit :\nThrombose de la veine poplitée.", [("vessel", "right")]),
        ("Sein gauche :\nMasse de 12 mm du QSE.", [("breast", "left")]),
        ("Sein gauche :\nKyste de 5 mm du QSE.\n\nPas d'adénopathie inguinale.",
         [("breast", "left"), ("ln_inguinal", None)]),
        # the finding's own side wins
        ("Sein gauche :\nKyste de 5 mm du QSE droit.", [("breast", "right")]),
    ],
)
def test_side_from_a_heading_alone_on_its_line(extractor, text, expected):
    assert finding_rows(extractor, text, ["site", "laterality"]) == expected


def test_the_exam_title_gives_no_side(extractor):
    rows = finding_rows(extractor, "Contusion du condyle fémoral.", ["site", "laterality"],
                        title="IRM du genou gauche")
    assert rows == [("femur", None)]
