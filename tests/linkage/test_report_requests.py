"""Report → exam: one request split into several studies, ties broken only by what is left."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from radlink.linkage import link
from radlink.linkage.report_exam import TIE_DELAY_MARGIN, _tie_split, region_of_text

P = {"patient_id": ["800000001"], "family_name": ["Dupont"], "given_name": ["Anne"],
     "birth_date": ["1950-03-04"], "sex": ["F"]}


def _exams(rows):
    return pd.DataFrame([{"patient_id": "800000001", "patient_name": "DUPONT^ANNE", "birth_date": "19500304",
                          "sex": "F", **r} for r in rows])


def _reports(titles, when):
    return pd.DataFrame({"report_id": [f"R{i + 1}" for i in range(len(titles))],
                         "patient_id": ["800000001"] * len(titles), "report_datetime": [when] * len(titles),
                         "title": titles, "text": ["Compte rendu."] * len(titles)})


def _report_exam(links):
    return links[links["target_type"] == "exam"].set_index("source_id")


def test_a_title_naming_chest_abdomen_and_pelvis_is_the_tap_region():
    got = region_of_text(pd.Series(["CR - TDM THORAX ABDOMEN PELVIS", "TDM thorax et abdomen pelvis",
                                    "TDM THORAX"])).tolist()
    assert got == ["TAP", "TAP", "CHEST"]


def test_the_report_of_a_split_request_goes_to_its_first_study():
    exams = _exams([
        {"exam_id": "E1", "study_datetime": "2023-01-07 10:06", "modality": "CT", "study_description": "TDM THORAX",
         "body_part": "CHEST"},
        {"exam_id": "E2", "study_datetime": "2023-01-07 10:09", "modality": "CT",
         "study_description": "TDM ABDOMEN PELVIS", "body_part": "ABDOMEN"}])
    re_ = _report_exam(link(pd.DataFrame(P), exams, reports=_reports(["CR TDM THORAX ABDOMEN PELVIS"],
                                                                    "2023-01-07 16:00")))
    assert (re_.loc["R1", "status"], re_.loc["R1", "target_id"]) == ("linked", "E1")
    assert json.loads(re_.loc["R1", "evidence"]).get("split_request_first_study") is True
    # a report of the abdomen alone is not the chest study's, even though that one is first
    re_ = _report_exam(link(pd.DataFrame(P), exams, reports=_reports(["TDM ABDOMEN PELVIS"], "2023-01-07 16:00")))
    assert re_.loc["R1", "target_id"] == "E2"
    assert "split_request_first_study" not in json.loads(re_.loc["R1", "evidence"])


def test_a_report_of_both_knees_takes_the_first_study_and_two_reports_keep_their_own():
    exams = _exams([
        {"exam_id": "E1", "study_datetime": "2024-03-22 14:20", "modality": "DX",
         "study_description": "RX GENOU DROIT", "body_part": "KNEE"},
        {"exam_id": "E2", "study_datetime": "2024-03-22 14:23", "modality": "DX",
         "study_description": "RX GENOU GAUCHE", "body_part": "KNEE"}])
    re_ = _report_exam(link(pd.DataFrame(P), exams, reports=_reports(["RX GENOUX BILATERAUX"], "2024-03-22 16:24")))
    assert (re_.loc["R1", "status"], re_.loc["R1", "target_id"]) == ("linked", "E1")
    # studies hours apart are two requests: the tie stays a tie
    far = exams.assign(study_datetime=["2024-03-22 09:20", "2024-03-22 14:23"])
    re_ = _report_exam(link(pd.DataFrame(P), far, reports=_reports(["RX GENOUX BILATERAUX"], "2024-03-22 16:24")))
    assert re_.loc["R1", "status"] == "ambiguous"


def test_delays_that_weigh_almost_the_same_tie_on_different_days():
    # two candidates of one report, the same score without the delay, a day apart
    report = np.array([0, 0])
    other = np.array([4.0, 4.0])
    day = np.array(["2024-07-09", "2024-07-10"], dtype="datetime64[D]")
    level = np.array([3, 4])
    ids = np.array(["E2", "E1"], dtype=object)
    close = np.array([5.0, 5.0 - TIE_DELAY_MARGIN / 2])
    far = np.array([5.0, 5.0 - 2 * TIE_DELAY_MARGIN])
    best, tied, reports, candidates = _tie_split(report, other, day, level, ids, close)
    assert tied.tolist() == [True] and candidates == [("E1", "E2")]
    assert _tie_split(report, other, day, level, ids, far)[1].tolist() == [False]
    # a report whose candidates differ by more than the delay is never tied
    assert _tie_split(report, np.array([4.0, 2.0]), day, level, ids, close)[1].tolist() == [False]


def test_a_report_without_patient_takes_the_one_exam_of_the_date_and_type_its_text_states():
    patients = pd.DataFrame({"patient_id": ["800000001", "800000002"], "family_name": ["Dupont", "Martin"],
                             "given_name": ["Anne", "Luc"], "birth_date": ["1950-03-04", "1961-05-06"],
                             "sex": ["F", "M"]})
    exams = pd.DataFrame([
        {"exam_id": "E1", "patient_id": "800000001", "patient_name": "DUPONT^ANNE", "birth_date": "19500304",
         "sex": "F", "study_datetime": "2023-06-07 02:00", "modality": "CR", "study_description": "RX THORAX"},
        {"exam_id": "E2", "patient_id": "800000002", "patient_name": "MARTIN^LUC", "birth_date": "19610506",
         "sex": "M", "study_datetime": "2023-06-07 09:00", "modality": "CR", "study_description": "RX THORAX"},
        {"exam_id": "E3", "patient_id": "800000002", "patient_name": "MARTIN^LUC", "birth_date": "19610506",
         "sex": "M", "study_datetime": "2023-06-08 10:00", "modality": "CT", "study_description": "TDM CEREBRALE"},
        {"exam_id": "E4", "patient_id": "800000001", "patient_name": "DUPONT^ANNE", "birth_date": "19500304",
         "sex": "F", "study_datetime": "2023-06-08 11:00", "modality": "CT", "study_description": "TDM CEREBRALE"}])
    reports = pd.DataFrame({
        "report_id": ["R1", "R2", "R3", "R4"], "patient_id": [None, None, None, None],
        "report_datetime": ["2023-06-07 08:00", "2023-06-08 18:00", "2023-06-07 01:00", "2023-06-08 19:00"],
        "title": ["Compte rendu"] * 4,
        "text": ["Examen réalisé le 07/06/2023 à 02h02.\nRadiographie du thorax de face.",
                 "Date de l'examen : 08/06/23\nScanner cérébral sans injection.",
                 "Examen réalisé le 07/06/2023 à 09h00.\nRadiographie du thorax de face.",
                 "Examen réalisé le 08/06/2023 à 10h05.\nPas d'anomalie."]})
    re_ = _report_exam(link(patients, exams, reports=reports))
    # the stated time tells the two chest radiographs of that day apart
    assert (re_.loc["R1", "status"], re_.loc["R1", "target_id"], re_.loc["R1", "method"]) == (
        "linked", "E1", "date_modality")
    # two head CTs that day and no time: no guess
    assert re_.loc["R2", "status"] == "unlinked"
    # signed before the exam it states: not that exam's
    assert re_.loc["R3", "status"] == "unlinked"
    # no type, but a date and a time: the one exam within minutes of it
    assert (re_.loc["R4", "target_id"], re_.loc["R4", "method"]) == ("E3", "date_modality")


def test_a_report_without_patient_nor_date_takes_the_one_open_exam_of_its_type_in_its_learned_window():
    from radlink.linkage.report_exam import delay_windows, reports_by_date_and_type

    facts = pd.DataFrame({"tclass": ["CT", "CT", "MR"], "xclass": [None] * 3, "tregion": [None] * 3,
                          "xregion": [None] * 3, "sdate": np.array(["NaT"] * 3, dtype="datetime64[D]"),
                          "stime": [np.nan] * 3,
                          "when": pd.to_datetime(["2024-01-02 12:00", "2024-01-03 12:00", "2024-01-05 12:00"])})
    exams = pd.DataFrame({"study": pd.to_datetime(["2024-01-02 10:00", "2024-01-03 10:00", "2024-01-03 11:00",
                                                   "2024-01-02 10:30", "2024-01-04 09:00"]),
                          "mclass": ["CT", "CT", "CT", "CT", "MR"], "region": [None] * 5})
    claimed = np.array([False, False, False, True, False])
    windows = delay_windows({"classes": {"*": {"p90_hours": 60.0}, "CT": {"p90_hours": 4.0}}})
    r, e = reports_by_date_and_type(facts, exams, claimed, windows)
    # CT: the one open CT in the 4 h before (the other one a report took); two open CTs: no guess;
    # MR: the pooled window holds its one MR
    assert list(zip(r.tolist(), e.tolist(), strict=True)) == [(0, 0), (2, 4)]
    # without windows, a report that states no date is never placed
    assert reports_by_date_and_type(facts, exams, claimed)[0].tolist() == []


def test_the_exam_date_written_in_rtf_residue_is_read():
    from radlink.linkage.report_exam import report_facts

    rtf = r"{\rtf1\ansi\deff0 Madame, Monsieur,\par Examen r\'e9alis\'e9 le 11/06/2023 \'e0 16h35.\par \par Technique\par }"
    facts = report_facts(pd.DataFrame({"title": ["Compte-rendu"], "text": [rtf]}))
    assert str(facts["sdate"][0])[:10] == "2023-06-11" and facts["stime"][0] == 16 * 60 + 35
