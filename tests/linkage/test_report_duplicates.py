"""Report → exam: one accession on several studies, and the stated time's tolerance learned from the data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from radlink.linkage import link
from radlink.linkage.report_exam import fit_stated_time_tolerance
from radlink.tables import validate_table


def _patients(n: int) -> pd.DataFrame:
    return validate_table(pd.DataFrame({
        "patient_id": [f"{100000 + i}" for i in range(n)], "family_name": [f"Fam{i}" for i in range(n)],
        "given_name": "Anne", "birth_date": "1950-03-04", "sex": "F"}), "patients")


def test_a_pet_and_its_attenuation_ct_under_one_accession_file_the_report_with_the_pet():
    patients = _patients(1)
    exams = validate_table(pd.DataFrame({
        # the CT is listed first and done later: neither the row order nor the time decides
        "exam_id": ["E-CT", "E-PT"], "patient_id": "100000", "patient_name": "FAM0^ANNE", "birth_date": "1950-03-04",
        "sex": "F", "study_datetime": ["2023-05-06 10:03", "2023-05-06 10:05"], "modality": ["CT", "PT"],
        "study_description": ["TDM LOW DOSE POUR CORRECTION ATTENUATION", "TEP-TDM FDG CORPS ENTIER"],
        "accession_number": "MN23000001"}), "exams")
    reports = validate_table(pd.DataFrame({
        "report_id": ["R1"], "patient_id": "100000", "report_datetime": ["2023-05-12 17:00"],
        "title": ["CR TEP-TDM FDG CORPS ENTIER"], "text": ["Fixation hypermétabolique."],
        "accession_number": ["MN23000001"]}), "reports")
    rx = link(patients, exams, reports=reports)
    rx = rx[rx.target_type == "exam"].set_index("source_id")
    assert (rx.loc["R1", "target_id"], rx.loc["R1", "method"]) == ("E-PT", "accession_number")
    assert json.loads(rx.loc["R1", "evidence"])["exams_with_accession"] == 2


def test_one_accession_on_two_studies_of_one_kind_goes_to_the_first():
    patients = _patients(1)
    exams = validate_table(pd.DataFrame({
        "exam_id": ["E2", "E1"], "patient_id": "100000", "patient_name": "FAM0^ANNE", "birth_date": "1950-03-04",
        "sex": "F", "study_datetime": ["2023-05-06 10:12", "2023-05-06 10:00"], "modality": "CR",
        "study_description": "RX GENOU", "accession_number": "A1"}), "exams")
    reports = validate_table(pd.DataFrame({
        "report_id": ["R1"], "patient_id": "100000", "report_datetime": ["2023-05-06 12:00"],
        "title": ["Radiographie des genoux"], "text": ["RAS."], "accession_number": ["A1"]}), "reports")
    rx = link(patients, exams, reports=reports)
    assert rx[rx.target_type == "exam"].set_index("source_id").loc["R1", "target_id"] == "E1"


def test_the_tolerance_of_a_stated_time_is_learned_from_confirmed_reports():
    exact = fit_stated_time_tolerance(np.r_[np.zeros(80), np.ones(20)], min_pairs=50)
    assert exact["stated_time_tolerance_minutes"] == 10.0 and exact["time_mismatch_weight"] < -4.0
    appointment = fit_stated_time_tolerance(np.linspace(0.0, 50.0, 100), min_pairs=50)
    assert appointment["stated_time_tolerance_minutes"] == 90.0
    # a site whose confirmed times are often off: no stronger than the default
    drifting = fit_stated_time_tolerance(np.r_[np.zeros(60), np.full(40, 500.0)], min_pairs=50)
    assert drifting["time_mismatch_weight"] == -1.5
    assert fit_stated_time_tolerance(np.zeros(10), min_pairs=50) == {}


def _twins_warehouse(stated: str, n: int = 60):
    """``n`` patients with a confirmed report stating its exam's time to the minute, and one
    patient with two same-type exams 40 minutes apart and a report stating ``stated``."""
    patients = _patients(n + 1)
    ids = patients["patient_id"].tolist()
    days = pd.date_range("2023-01-02 09:17", periods=n, freq="D")
    exams = pd.DataFrame({
        "exam_id": [f"E{i}" for i in range(n)] + ["T1", "T2"], "patient_id": ids[:n] + [ids[n]] * 2,
        "patient_name": [f"FAM{i}^ANNE" for i in range(n)] + [f"FAM{n}^ANNE"] * 2, "birth_date": "1950-03-04",
        "sex": "F", "study_datetime": [d.strftime("%Y-%m-%d %H:%M") for d in days] + ["2024-11-05 19:02",
                                                                                          "2024-11-05 19:43"],
        "modality": "CT", "study_description": "TDM THORACIQUE",
        "accession_number": [f"A{i}" for i in range(n)] + ["B1", "B2"]})
    reports = pd.DataFrame({
        "report_id": [f"R{i}" for i in range(n)] + ["RT"], "patient_id": ids,
        "report_datetime": [(d + pd.Timedelta(hours=5)).strftime("%Y-%m-%d %H:%M") for d in days]
        + ["2024-11-06 01:34"], "title": "CR TDM THORACIQUE",
        "text": [f"Examen du {d.strftime('%d/%m/%Y')} à {d.strftime('%Hh%M')}.\nRAS." for d in days]
        + [f"Examen du 05/11/2024 à {stated}.\nRAS."],
        "accession_number": [f"A{i}" for i in range(n)] + [None]})
    return patients, validate_table(exams, "exams"), validate_table(reports, "reports")


def test_a_time_stated_to_the_minute_tells_two_exams_forty_minutes_apart():
    patients, exams, reports = _twins_warehouse("19h43")
    fitted: dict = {}
    links = link(patients, exams, reports=reports, fitted=fitted)
    rx = links[links.target_type == "exam"].set_index("source_id")
    assert (rx.loc["RT", "status"], rx.loc["RT", "target_id"]) == ("linked", "T2")
    assert fitted["delay_model"]["stated_time_tolerance_minutes"] == 10.0


def test_a_time_a_whole_hour_off_is_a_clock_not_another_exam():
    patients, exams, reports = _twins_warehouse("20h43")  # an export in UTC+1: 19h43 written 20h43
    rx = link(patients, exams, reports=reports)
    rx = rx[rx.target_type == "exam"].set_index("source_id")
    assert (rx.loc["RT", "status"], rx.loc["RT", "target_id"]) == ("linked", "T2")
    assert json.loads(rx.loc["RT", "evidence"])["stated_exam_time"] == "unknown"


def test_without_enough_confirmed_reports_the_fixed_tolerance_keeps_the_twins_tied():
    patients, exams, reports = _twins_warehouse("19h43", n=10)
    rx = link(patients, exams, reports=reports)
    assert rx[rx.target_type == "exam"].set_index("source_id").loc["RT", "status"] == "ambiguous"


def _late_warehouse(title: str, text: str, n: int = 60, twin: bool = False):
    """``n`` patients whose confirmed CT report comes 3 h after the exam, the last one's 25 days
    after (no accession); with ``twin``, that patient has a second CT without a report."""
    patients = _patients(n)
    ids = patients["patient_id"].tolist()
    days = pd.date_range("2023-01-02 09:00", periods=n, freq="D")
    exams = pd.DataFrame({
        "exam_id": [f"E{i}" for i in range(n)], "patient_id": ids,
        "patient_name": [f"FAM{i}^ANNE" for i in range(n)], "birth_date": "1950-03-04", "sex": "F",
        "study_datetime": [d.strftime("%Y-%m-%d %H:%M") for d in days], "modality": "CT",
        "study_description": "TDM THORACIQUE", "accession_number": [f"A{i}" for i in range(n)]})
    if twin:
        exams = pd.concat([exams, exams.iloc[[-1]].assign(exam_id="E-TWIN", accession_number="B1",
                                                         study_datetime=(days[-1] + pd.Timedelta(days=2))
                                                         .strftime("%Y-%m-%d %H:%M"))], ignore_index=True)
    signed = [d + pd.Timedelta(hours=3) for d in days[:-1]] + [days[-1] + pd.Timedelta(days=25)]
    reports = pd.DataFrame({
        "report_id": [f"R{i}" for i in range(n)], "patient_id": ids,
        "report_datetime": [d.strftime("%Y-%m-%d %H:%M") for d in signed],
        "title": ["CR TDM THORACIQUE"] * (n - 1) + [title], "text": ["RAS."] * (n - 1) + [text],
        "accession_number": [f"A{i}" for i in range(n - 1)] + [None]})
    return patients, validate_table(exams, "exams"), validate_table(reports, "reports")


def test_a_late_report_takes_the_one_unreported_exam_nothing_but_its_delay_speaks_against():
    patients, exams, reports = _late_warehouse("Compte rendu", "Scanner thoracique sans injection.\nRAS.")
    rx = link(patients, exams, reports=reports)
    rx = rx[rx.target_type == "exam"].set_index("source_id")
    assert (rx.loc["R59", "status"], rx.loc["R59", "target_id"], rx.loc["R59", "method"]) == (
        "linked", "E59", "late_report")
    assert json.loads(rx.loc["R59", "evidence"])["hours_after_exam"] == 600.0


def test_a_late_report_with_two_unreported_exams_of_its_type_is_not_placed_by_its_delay():
    patients, exams, reports = _late_warehouse("Compte rendu", "Scanner thoracique sans injection.\nRAS.", twin=True)
    rx = link(patients, exams, reports=reports)
    assert rx[rx.target_type == "exam"].set_index("source_id").loc["R59", "method"] != "late_report"


def test_a_late_report_naming_another_type_is_not_placed():
    patients, exams, reports = _late_warehouse("Compte rendu", "Échographie abdominale.\nRAS.")
    rx = link(patients, exams, reports=reports)
    assert rx[rx.target_type == "exam"].set_index("source_id").loc["R59", "status"] != "linked"
