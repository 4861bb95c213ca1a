"""What a report's words and an exam's header offer to tell same-day exams apart."""

from __future__ import annotations

import json

import pandas as pd

from radlink.linkage import link
from radlink.linkage.report_exam import _exam_region, region_of_text
from radlink.linkage.report_text import stated_exam_dates, stated_exam_times
from radlink.tables import validate_table


def test_dates_with_two_digit_years_labels_and_times_are_read():
    text = pd.Series(["Examen réalisé le 03/03/21 à 09h40.", "Date de l'examen : 4 mars 2021.",
                      "IRM du 05.03.2021 vers 7h", "Comparaison avec l'examen du 01/01/20 à 10h"])
    assert stated_exam_dates(text).astype(str).tolist() == ["2021-03-03", "2021-03-04", "2021-03-05", "NaT"]
    times = stated_exam_times(text)
    assert times[0] == 580.0 and pd.isna(times[1]) and times[2] == 420.0 and pd.isna(times[3])


def test_limbs_and_a_sites_own_body_part_words_are_regions():
    assert region_of_text(pd.Series(["RX GENOU F+P", "ASP DEBOUT", "ECHO-DOPPLER VEINEUX MI", "IRM EPAULE D"])
                          ).tolist() == ["KNEE", "ABDOMEN", "LOWER_LIMB", "SHOULDER"]
    regions = _exam_region(pd.Series(["THORAX", "KNEE", "GENOU", None]), pd.Series([None, None, None, "x"]))
    assert regions.tolist() == ["CHEST", "KNEE", "KNEE", None]


def test_the_time_the_text_states_picks_one_of_two_same_day_twins():
    patients = validate_table(pd.DataFrame({"patient_id": ["100001"], "family_name": ["Dupont"],
                                            "given_name": ["Anne"], "birth_date": ["1950-03-04"], "sex": ["F"]}),
                              "patients")
    exams = validate_table(pd.DataFrame({
        "exam_id": ["E1", "E2"], "patient_id": "100001", "patient_name": "DUPONT^ANNE", "birth_date": "1950-03-04",
        "sex": "F", "study_datetime": ["2021-03-03 09:41", "2021-03-03 16:02"], "modality": "CR",
        "study_description": "RADIOGRAPHIE THORAX"}), "exams")
    reports = validate_table(pd.DataFrame({
        "report_id": ["R1", "R2"], "patient_id": "100001",
        "report_datetime": ["2021-03-03 18:00", "2021-03-03 18:05"], "title": "Radiographie thoracique",
        "text": ["Examen réalisé le 03/03/21 à 09h40.\nPas d'anomalie.", "Radiographie thoracique.\nRAS."]}),
        "reports")
    links = link(patients, exams, reports=reports)
    rx = links[links.target_type == "exam"].set_index("source_id")
    assert (rx.loc["R1", "target_id"], rx.loc["R1", "status"]) == ("E1", "linked")
    assert json.loads(rx.loc["R1", "evidence"])["stated_exam_time"] == "match"


def test_the_technique_line_names_the_modality_before_findings_words_of_another_template():
    from radlink.linkage.report_text import text_modality_class

    texts = pd.Series([
        "Indication : douleur.\nTechnique : cliché de face.\nFoie d'échostructure normale.",
        "TECHNIQUE Acquisition sans injection.\nCOMPTE RENDU\nFoie d'échostructure homogène.",
        "Protocole : injection de 18F-FDG.\nTechnique : acquisition scanner low dose.",
        "Foie d'échostructure normale, acquisition sans injection.",  # no technique line: the order of classes
    ])
    assert text_modality_class(texts).tolist() == ["XR", "CT", "PET", "US"]


def _one_patient_tables(report_text: str, accession: bool = False):
    patients = validate_table(pd.DataFrame({"patient_id": ["100001"], "family_name": ["Dupont"],
                                            "given_name": ["Anne"], "birth_date": ["1950-03-04"], "sex": ["F"]}),
                              "patients")
    exams = validate_table(pd.DataFrame({
        "exam_id": ["E1"], "patient_id": "100001", "patient_name": "DUPONT^ANNE", "birth_date": "1950-03-04",
        "sex": "F", "study_datetime": ["2021-03-03 09:41"], "modality": "CT", "accession_number": "A1",
        "study_description": "TDM ABDOMINO-PELVIENNE"}), "exams")
    reports = validate_table(pd.DataFrame({
        "report_id": ["R1"], "patient_id": "100001", "report_datetime": ["2021-03-03 15:00"],
        "title": "Compte rendu", "text": report_text, "accession_number": "A1" if accession else None}), "reports")
    return patients, exams, reports


def test_a_scanner_report_with_an_ultrasound_word_in_its_findings_finds_its_exam():
    text = "Technique : acquisition sans injection.\nRésultat : foie d'échostructure normale."
    patients, exams, reports = _one_patient_tables(text)
    links = link(patients, exams, reports=reports)
    row = links[(links["source_type"] == "report") & (links["target_type"] == "exam")].iloc[0]
    assert row["status"] == "linked" and row["target_id"] == "E1"
    assert json.loads(row["evidence"])["text_modality"] == "match"


def test_the_weight_of_a_text_naming_another_modality_is_learned_from_accession_confirmed_pairs():
    import numpy as np

    from radlink.linkage.report_exam import _MATCH, _MISMATCH, WEIGHTS, fit_text_modality_weight

    report = np.repeat(np.arange(200), 2)
    exam = np.arange(400)
    own = exam % 2 == 0
    # a warehouse whose own exams' texts name another modality one time in five, rivals four times in five
    tmod = np.where(own, np.where(exam % 10 == 0, _MISMATCH, _MATCH), np.where(exam % 10 == 1, _MATCH, _MISMATCH))
    learned = fit_text_modality_weight(report, exam, own, tmod.astype(np.int8))
    assert learned["textmodality_pairs"] == [200, 200]
    assert -1.5 < learned["textmodality_mismatch"] < -1.2  # log(0.2 / 0.8)
    # texts that never mismatch their own exam: the prior is the floor
    clean = np.where(own, _MATCH, _MISMATCH).astype(np.int8)
    assert fit_text_modality_weight(report, exam, own, clean)["textmodality_mismatch"] == WEIGHTS["textmodality_mismatch"]
    # too few confirmed pairs: nothing learned
    assert fit_text_modality_weight(report[:40], exam[:40], own[:40], tmod[:40].astype(np.int8))[
        "textmodality_mismatch"] is None


def test_a_learned_text_modality_weight_lets_a_mismatching_text_keep_its_lone_exam():
    from radlink.linkage import LinkageSettings

    # the exam's date, and an ultrasound word where the exam is a scanner
    text = "Examen du 03/03/2021.\nRésultat : foie d'échostructure normale."
    patients, exams, reports = _one_patient_tables(text)
    fitted: dict = {}
    prior = link(patients, exams, reports=reports, fitted=fitted)
    model = dict(fitted["delay_model"], textmodality_mismatch=-0.5)
    learned = link(patients, exams, reports=reports, settings=LinkageSettings(delay_model=model))
    pick = (prior["source_type"] == "report") & (prior["target_type"] == "exam")
    assert prior[pick]["status"].tolist() == ["unlinked"]
    assert learned[pick]["status"].tolist() == ["linked"]


def test_an_outside_radiologists_letter_states_its_exam_date_inside_a_sentence():
    text = pd.Series([
        "Cabinet des Remparts\nCher confrère,\nJe vous remercie de m'avoir adressé votre patient(e) [NOM] "
        "pour un(e) radio genou réalisé(e) le 02/01/2023.\nConclusion : normal.",
        "Cher confrère,\nl'IRM pratiquée le 3 mars 2021 montre une lésion.",
        "Cher confrère,\nPar rapport à l'IRM réalisée le 04/05/2022, stabilité.",  # an earlier exam
    ])
    assert stated_exam_dates(text).astype(str).tolist() == ["2023-01-02", "2021-03-03", "NaT"]


def _clinic_tables():
    patients = validate_table(pd.DataFrame({
        "patient_id": ["100001", "100002"], "family_name": ["Dupont", "Martin"], "given_name": ["Anne", "Paul"],
        "birth_date": ["1950-03-04", "1961-05-06"], "sex": ["F", "M"]}), "patients")
    exams = validate_table(pd.DataFrame({
        # E1: the knee radiograph the letter describes, at Cima Les Tilleuls; E2 the same day at
        # another clinic; E3 a scanner at Cima Les Tilleuls that day
        "exam_id": ["E1", "E2", "E3"], "patient_id": ["CL000123", "100002", "100002"],
        "patient_name": ["DUPONT^ANNE", "MARTIN^PAUL", "MARTIN^PAUL"], "birth_date": [None, "1961-05-06", "1961-05-06"],
        "sex": ["F", "M", "M"], "study_datetime": ["2023-01-02 09:10", "2023-01-02 11:00", "2023-01-02 15:00"],
        "modality": ["DX", "DX", "CT"], "study_description": ["RADIO GENOU", "RADIO GENOU", "TDM THORAX"],
        "institution": ["CIMA LES TILLEULS", "IMAGERIE DU PARC", "CIMA LES TILLEULS"]}), "exams")
    letter = ("Cima Les Tilleuls - Dr Petit, radiologue\nCher confrère,\nJe vous remercie de m'avoir adressé "
              "votre patient(e) pour un(e) radio genou réalisé(e) le 02/01/2023.\nConclusion : normal.")
    reports = validate_table(pd.DataFrame({
        "report_id": ["R1"], "patient_id": [None], "report_datetime": ["2023-01-02 18:00"],
        "title": ["Courrier"], "text": [letter]}), "reports")
    return patients, exams, reports


def test_a_letter_without_patient_finds_the_one_exam_its_letterhead_date_and_type_point_to():
    patients, exams, reports = _clinic_tables()
    links = link(patients, exams, reports=reports)
    row = links[(links["source_type"] == "report") & (links["target_type"] == "exam")].iloc[0]
    assert row["status"] == "linked" and row["target_id"] == "E1" and row["method"] == "site_date_modality"
    # a second knee radiograph at that site that day: the letter could be either's, it stays unlinked
    twin = pd.concat([exams, exams.iloc[[0]].assign(exam_id="E4", study_datetime=pd.Timestamp("2023-01-02 16:00"))],
                     ignore_index=True)
    links = link(patients, twin, reports=reports)
    row = links[(links["source_type"] == "report") & (links["target_type"] == "exam")].iloc[0]
    assert row["status"] == "unlinked"


def test_the_exam_number_a_letter_writes_in_its_head_picks_one_of_two_same_day_twins():
    patients = validate_table(pd.DataFrame({"patient_id": ["100001"], "family_name": ["Dupont"],
                                            "given_name": ["Anne"], "birth_date": ["1950-03-04"], "sex": ["F"]}),
                              "patients")
    exams = validate_table(pd.DataFrame({
        "exam_id": ["E1", "E2", "E3"], "patient_id": "100001", "patient_name": "DUPONT^ANNE",
        "birth_date": "1950-03-04", "sex": "F",
        "study_datetime": ["2021-03-01 08:10", "2021-03-03 09:41", "2021-03-03 16:02"], "modality": "DX",
        "study_description": "RX THORAX LIT", "accession_number": ["41051973", "41052127", "41052131"]}), "exams")
    head = "CENTRE HOSPITALIER\nPatient : DUPONT Anne\nN° examen : {}   Date : 03/03/2021\n"
    reports = validate_table(pd.DataFrame({
        "report_id": ["R1", "R2", "R3"], "patient_id": "100001",
        "report_datetime": ["2021-03-03 18:00", "2021-03-03 18:05", "2021-03-03 18:10"],
        "title": "Radiographie du thorax au lit",
        "text": [head.format("41052131") + "Pas d'anomalie.",
                 # another exam's number on a comparison line is not this report's
                 "Comparaison avec l'examen n° 41051973.\nPas d'anomalie.",
                 head.format("99999999") + "RAS."]}), "reports")
    links = link(patients, exams, reports=reports)
    rx = links[links.target_type == "exam"].set_index("source_id")
    assert (rx.loc["R1", "target_id"], rx.loc["R1", "status"], rx.loc["R1", "method"]) == (
        "E3", "linked", "accession_number")
    assert json.loads(rx.loc["R1", "evidence"])["accession_written_in_text"] is True
    # without a number of theirs, the two same-day films stay a true tie for the other reports
    assert "accession_written_in_text" not in (rx.loc["R2", "evidence"] or "")
    assert rx.loc["R3", "method"] != "accession_number"
