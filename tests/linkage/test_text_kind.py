"""The words of each kind of exam, learned on the data being linked (radlink.linkage.text_kind)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.linkage.report_exam import link_reports_to_exams
from radlink.linkage.report_text import text_modality_class
from radlink.linkage.text_kind import (
    KIND_MIN_REPORTS,
    exam_kinds,
    fit_text_kinds,
    report_words,
    text_kind_term,
)
from radlink.tables import validate_table

WRIST = "Indication : chute sur la main, douleur de la tabatière. Résultat : scaphoïde intact."
PELVIS = "Indication : douleur pelvienne après chute. Résultat : pas de fracture du cotyle."


def _warehouse(n_known: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``n_known`` patients with one radiograph each (wrist or pelvis) and its report carrying the
    accession number, then one patient with a wrist and a pelvis radiograph the same morning and one
    report without accession, generic title, signed that afternoon."""
    k = np.arange(n_known)
    wrist = k % 2 == 0
    day = pd.Timestamp("2024-01-01") + pd.to_timedelta(k % 300, unit="D")
    exams = pd.DataFrame({
        "exam_id": [f"E{i}" for i in k] + ["EW", "EP"],
        "accession_number": [f"A{i}" for i in k] + [None, None],
        "study_datetime": list(day + pd.Timedelta(hours=9)) + [pd.Timestamp("2024-12-01 09:00"),
                                                                pd.Timestamp("2024-12-01 09:20")],
        "modality": ["DX"] * n_known + ["DX", "DX"],
        "study_description": list(np.where(wrist, "RADIOGRAPHIE POIGNET", "RADIOGRAPHIE BASSIN")) + [
            "RADIOGRAPHIE POIGNET", "RADIOGRAPHIE BASSIN"],
    })
    reports = pd.DataFrame({
        "report_id": [f"R{i}" for i in k] + ["RX"],
        "patient_id": [f"P{i}" for i in k] + ["PX"],
        "report_datetime": list(day + pd.Timedelta(hours=15)) + [pd.Timestamp("2024-12-01 15:00")],
        "title": ["Compte rendu"] * (n_known + 1),
        "text": list(np.where(wrist, WRIST, PELVIS)) + ["Indication : tabatière douloureuse. Résultat : os intact."],
        "accession_number": [f"A{i}" for i in k] + [None],
    })
    exam_patient = pd.DataFrame({"target_id": [f"P{i}" for i in k] + ["PX", "PX"], "status": "linked"})
    return validate_table(exams, "exams"), validate_table(reports, "reports"), exam_patient


def test_a_generic_report_goes_to_the_exam_kind_its_words_were_learned_for():
    exams, reports, exam_patient = _warehouse(KIND_MIN_REPORTS + 40)
    fitted: dict = {}
    links = link_reports_to_exams(reports, exams, exam_patient, fitted=fitted)
    last = links.iloc[-1]
    assert fitted["delay_model"]["text_kind_reports"] >= KIND_MIN_REPORTS
    assert (last["status"], last["target_id"]) == ("linked", "EW")
    # the same report, with too few reports to learn from: nothing tells the two apart
    exams, reports, exam_patient = _warehouse(40)
    last = link_reports_to_exams(reports, exams, exam_patient).iloc[-1]
    assert last["status"] != "linked"


def test_the_learned_model_is_reused_as_is():
    exams, reports, exam_patient = _warehouse(KIND_MIN_REPORTS + 40)
    fitted: dict = {}
    first = link_reports_to_exams(reports, exams, exam_patient, fitted=fitted)
    from radlink.linkage.settings import LinkageSettings

    again = link_reports_to_exams(reports, exams, exam_patient,
                                  settings=LinkageSettings(delay_model=fitted["delay_model"]))
    assert again["target_id"].tolist() == first["target_id"].tolist()


def test_candidates_of_one_kind_stay_tied_and_a_lone_candidate_is_not_moved():
    texts = [WRIST] * 3 + [PELVIS] * 3
    words = report_words(pd.DataFrame({"title": [None] * 6, "text": texts}))
    kinds = exam_kinds(np.array(["XR", "XR", "XR"], dtype=object), np.array(["WRIST", "BONE", "WRIST"], dtype=object))
    model = fit_text_kinds(words, np.arange(6), np.repeat([0, 1], 3), kinds, np.ones(6, bool), min_reports=4)
    new = report_words(pd.DataFrame({"title": [None, None], "text": [WRIST, PELVIS]}))
    term = text_kind_term(model, new, np.array([0, 0, 0, 1]), np.array([0, 2, 1, 1]), kinds)
    assert term[0] == term[1] == 0.0 and term[2] < 0.0  # two wrists tie, the pelvis is less likely
    assert term[3] == 0.0  # the second report has one candidate
    assert (text_kind_term({"text_kind_reports": 3}, new, np.array([0, 0]), np.array([0, 1]), kinds) == 0).all()


def test_a_tube_is_not_an_ultrasound_probe():
    texts = pd.Series(["Indication : position de la sonde d'intubation.\nTechnique : incidence de face.",
                       "Technique : examen réalisé avec sonde convexe et linéaire.",
                       "Résultats : ACR 1 bilatéral, pas de microcalcification."])
    assert text_modality_class(texts).tolist() == ["XR", "US", "MG"]


def test_the_exam_a_report_compares_with_is_not_its_own():
    exams = validate_table(pd.DataFrame({
        "exam_id": ["E1", "E2"], "study_datetime": ["2024-07-15 10:49", "2024-07-15 17:14"], "modality": "US",
        "study_description": "ECHO-DOPPLER VEINEUX DES MEMBRES INFERIEURS"}), "exams")
    exam_patient = pd.DataFrame({"target_id": ["P1", "P1"], "status": ["linked", "linked"]})
    text = "Indication : douleur du mollet.\nComparaison : examen du 15/07/2024.\nRésultat : pas de thrombose."
    reports = validate_table(pd.DataFrame({
        "report_id": ["R1"], "patient_id": ["P1"], "report_datetime": ["2024-07-17 09:17"],
        "title": ["Echo-doppler veineux des membres inférieurs"], "text": [text]}), "reports")
    row = link_reports_to_exams(reports, exams, exam_patient).iloc[0]
    assert (row["status"], row["target_id"]) == ("linked", "E2")
    # without the comparison line, nothing tells the two apart
    row = link_reports_to_exams(reports.assign(text="Indication : douleur du mollet."), exams, exam_patient).iloc[0]
    assert row["status"] == "ambiguous"
