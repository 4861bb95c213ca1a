"""Phrasings of issue 12: lists, tables, SUVmax forms, negation lists, non-oncology findings.

Dev examples written for the kind of phrasing (not copied from any gold set). Each
case states the findings a reader extracts, as in the annotation guide of
``data_samples/nlp_gold/README.md``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from radlink.nlp import ReportExtractor
from radlink.nlp.sections import find_report_sections

_COLUMNS = ["site", "laterality", "size_mm", "suvmax", "previous_suvmax", "negated"]


@pytest.fixture(scope="module")
def extractor():
    return ReportExtractor()


def _rows(extractor, text, columns=_COLUMNS, kind="lesion"):
    out = extractor.extract(pd.DataFrame({"report_id": ["R"], "text": ["Résultats :\n" + text]}))
    f = out.findings[out.findings.kind == kind]
    return [tuple(None if pd.isna(v) else v for v in row) for row in f[columns].itertuples(index=False)]


@pytest.mark.parametrize(
    "title, etage",
    [("ETAGE ABDOMINOPELVIAN :", "abdominopelvic"), ("Étage abdomino-pelvien :", "abdominopelvic"),
     ("ETAGE THORACIQ. :", "thoracic"), ("Et. thoracique :", "thoracic"),
     ("ETAGE SOUS-DIAPHRAGMATIQUE :", "abdominopelvic"), ("SQUELLETTE :", "bone"),
     ("Étage cervico-encéphaliq :", "cervical")],
)
def test_etage_titles_with_typos(title, etage):
    text = f"Résultats :\nÉtage thoracique :\nRAS.\n{title}\nAdénopathie (SUVmax 5,2).\n"
    _, etages = find_report_sections(text)
    assert [e[0] for e in etages] == ["thoracic", etage]


@pytest.mark.parametrize(
    "text, expected",
    [
        # pseudo-negations: the lesion is there, unchanged
        ("Pas de modification de la lésion costale droite.", [("rib", "right", False, "stable")]),
        ("Pas d'évolution significative du nodule lobaire inférieur gauche.",
         [("lung_lower_lobe", "left", False, "stable")]),
        ("Nodule pulmonaire du LSD sans changement.", [("lung_upper_lobe", "right", False, "stable")]),
        # a dual-time-point uptake is not a comparison with a previous exam
        ("Nodule du LSD (SUVmax 3,1), persistant sur les images tardives.",
         [("lung_upper_lobe", "right", False, None)]),
        ("Adénopathie hilaire droite persistante par rapport au précédent examen.",
         [("ln_hilar", "right", False, "stable")]),
    ],
)
def test_pseudo_negations_and_comparison(extractor, text, expected):
    assert _rows(extractor, text, ["site", "laterality", "negated", "comparison"]) == expected
