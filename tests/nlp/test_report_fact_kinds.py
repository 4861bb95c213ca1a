"""Report-level facts in house styles we did not write: modality of a report whose header
is generic, conclusion and indication titles in their abbreviated and on-call forms."""

from __future__ import annotations

import pandas as pd
import pytest

from radlink.nlp.exam_type.exam_type import modality_from_cues


def _facts(extractor, text: str, title: str | None = None) -> dict:
    reports = pd.DataFrame({"report_id": ["R1"], "text": [text], "title": [title]})
    return extractor.extract(reports).facts.iloc[0].to_dict()


@pytest.mark.parametrize(
    "text, modality",
    [
        # the header names no modality: the technique and the description tell it
        ("Compte rendu\n\nGenou droit face, profil et défilé fémoro-patellaire.\nPas de trait de fracture. "
         "Interlignes conservés.\n", "CR"),
        ("CHU de Nulle Part - Imagerie\n\nSéquences sagittales T1, T2 STIR et axiales T2.\n"
         "Hypersignal T2 de l'os spongieux du plateau tibial.\n", "MR"),
        ("Service d'imagerie\n\nAcquisition hélicoïdale après injection de produit de contraste iodé, "
         "reconstructions MPR.\nLésion hypodense hépatique de 12 mm.\n", "CT"),
        ("Service d'imagerie\n\nVésicule à paroi fine, lithiase de 8 mm avec cône d'ombre postérieur. "
         "Sonde convexe. Reins sans dilatation, bien différenciés, échostructure normale.\n", "US"),
    ],
)
def test_modality_from_the_text_when_the_header_is_generic(extractor, text, modality):
    assert _facts(extractor, text)["modality"] == modality


def test_cues_need_a_clear_majority():
    assert modality_from_cues("Pas de lésion.") is None
    assert modality_from_cues("Coupes axiales, contraste iodé. Séquence T2.") is None  # two cues each: a tie


@pytest.mark.parametrize(
    "modality, text",
    [
        ("CT", "Biopsie scanoguidée d'un nodule pulmonaire.\n"),
        ("US", "Drainage échoguidé d'une collection.\n"),
        ("CT", "Dentascanner mandibulaire.\n"),
        ("CR", "Rx thorax au lit.\n"),
    ],
)
def test_modality_surface_forms(extractor, modality, text):
    assert _facts(extractor, text + "Résultats : RAS.\n")["modality"] == modality


ON_CALL = (
    "Echographie abdominale - urgences\n\n"
    "RC : douleur de l'hypochondre droit fébrile.\n\n"
    "Vésicule lithiasique à paroi épaissie, Murphy échographique positif.\n\n"
    "CCL : Cholécystite aiguë lithiasique.\n\n"
    "Int. [NOM] / vu avec Dr [NOM] : d'accord.\n"
)


def test_on_call_report_titles_and_signature(extractor):
    facts = _facts(extractor, ON_CALL)
    assert facts["conclusion"] == "Cholécystite aiguë lithiasique."
    assert facts["indication"] == "douleur de l'hypochondre droit fébrile."
    assert facts["indication_category"] == "diagnosis"


@pytest.mark.parametrize(
    "signature",
    ["Rédigé par l'interne de garde. Relu et validé Dr [NOM].", "Interne [NOM].",
     "Addendum senior (Dr [NOM]) : d'accord, surveillance.", "Faite par l'interne [NOM] en présence du Dr [NOM]."],
)
def test_signature_lines_end_the_conclusion(extractor, signature):
    text = "Scanner abdominal\n\nRésultats : appendice normal.\n\nCONCLUSION :\nPas d'appendicite.\n\n" + signature + "\n"
    assert _facts(extractor, text)["conclusion"] == "Pas d'appendicite."


def test_a_review_title_is_no_signature(extractor):
    text = "Mammographie\n\nRelecture des clichés :\nMasse stellaire du QSE gauche de 14 mm.\n\nConclusion : ACR 5.\n"
    assert _facts(extractor, text)["conclusion"] == "ACR 5."


def test_the_request_before_its_context(extractor):
    text = ("TEP-TDM au FDG\n\nHistoire : patient de 60 ans, toux, masse hilaire droite.\n\n"
            "Question posée : bilan d'extension.\n\nRésultats : RAS.\n")
    facts = _facts(extractor, text)
    assert facts["indication"] == "bilan d'extension."
    assert facts["indication_category"] == "initial_staging"


@pytest.mark.parametrize(
    "indication, category",
    [
        ("Varices de la grande saphène, bilan avant traitement endoveineux.", "other"),
        ("Adénocarcinome pancréatique, bilan avant chimiothérapie.", "initial_staging"),
        ("Douleur lombaire, bilan avant infiltration ?", "diagnosis"),
    ],
)
def test_workup_before_a_treatment(extractor, indication, category):
    text = f"Scanner\n\nIndication : {indication}\n\nRésultats : RAS.\n"
    assert _facts(extractor, text)["indication_category"] == category


@pytest.mark.parametrize(
    "indication_title, conclusion_title",
    [("Indicaton :", "Conclusion radiologique :"), ("Données cliniques :", "Conclusions et avis :"),
     ("RC :", "Concl. :"), ("Question posée :", "En résumé :")],
)
def test_heading_variants(extractor, indication_title, conclusion_title):
    text = (f"IRM cérébrale\n\n{indication_title} céphalées récentes.\n\nRésultats : pas d'anomalie.\n\n"
            f"{conclusion_title} examen normal.\n")
    facts = _facts(extractor, text)
    assert (facts["indication"], facts["conclusion"]) == ("céphalées récentes.", "examen normal.")
