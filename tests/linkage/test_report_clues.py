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
