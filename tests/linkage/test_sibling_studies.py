"""One report for the studies of one request is filed with the first (radlink.linkage.sibling_studies)."""

from __future__ import annotations

import json

import pandas as pd

from radlink.linkage.sibling_studies import description_side, first_study_of_request


def _exams(descriptions=("RX GENOU DROIT", "RX GENOU GAUCHE"), minutes=(0, 3), body_parts=("KNEE", "KNEE"),
           modalities=("DX", "DX")) -> pd.DataFrame:
    n = len(descriptions)
    return pd.DataFrame({
        "exam_id": [f"E{i + 1}" for i in range(n)],
        "modality": list(modalities),
        "body_part": list(body_parts),
        "study_description": list(descriptions),
        "study_datetime": pd.Timestamp("2024-05-06 14:00") + pd.to_timedelta(list(minutes), unit="min"),
    })


def _exam_patient(n: int = 2, patients=None) -> pd.DataFrame:
    return pd.DataFrame({"status": ["linked"] * n, "target_id": list(patients or ["P1"] * n)})


def _reports(*candidate_lists, linked=()) -> pd.DataFrame:
    rows = [{"source_id": f"R{i + 1}", "status": "ambiguous", "target_id": None, "score": 0.5,
             "method": "patient_time_modality",
             "evidence": json.dumps({"decision": "ambiguous", "candidates": list(c)})}
            for i, c in enumerate(candidate_lists)]
    rows += [{"source_id": f"L{i + 1}", "status": "linked", "target_id": e, "score": 0.9,
              "method": "accession_number", "evidence": "{}"} for i, e in enumerate(linked)]
    return pd.DataFrame(rows)


def test_description_side():
    assert description_side(["RX GENOU DROIT", "HANCHE G", "Épaule gauche", "THORAX", "GENOUX D+G"]).tolist() == [
        "right", "left", "left", "", ""]


def test_a_report_tied_between_both_knees_goes_to_the_first_study_and_names_the_other():
    out = first_study_of_request(_reports(["E2", "E1"]), _exams(minutes=(5, 0)), _exam_patient())
    assert out.loc[0, ["status", "target_id", "method"]].tolist() == ["linked", "E2", "first_study_of_request"]
    ev = json.loads(out.loc[0, "evidence"])
    assert ev == {"decision": "first_study_of_request", "sibling_studies": ["E1"]}


def test_chest_then_abdomen_pelvis_scan_is_one_request():
    exams = _exams(descriptions=("TDM THORAX", "TDM ABDOMINO-PELVIENNE"), body_parts=("CHEST", "ABDOMEN"),
                   modalities=("CT", "CT"))
    out = first_study_of_request(_reports(["E1", "E2"]), exams, _exam_patient())
    assert out.loc[0, "target_id"] == "E1"


def test_a_repeat_of_the_same_part_stays_ambiguous():
    exams = _exams(descriptions=("HANCHE G", "HANCHE G"), body_parts=("HIP", "HIP"))
    out = first_study_of_request(_reports(["E1", "E2"]), exams, _exam_patient())
    assert out.loc[0, "status"] == "ambiguous"


def test_one_exam_under_two_descriptions_of_unknown_part_stays_ambiguous():
    exams = _exams(descriptions=("TEP TDM 18F-FDG", "TEP-TDM FDG CORPS ENTIER"), body_parts=(None, None),
                   modalities=("PT", "PT"))
    out = first_study_of_request(_reports(["E1", "E2"]), exams, _exam_patient())
    assert out.loc[0, "status"] == "ambiguous"


def test_a_corrected_version_tied_between_the_same_studies_follows_the_report():
    out = first_study_of_request(_reports(["E1", "E2"], ["E2", "E1"]), _exams(), _exam_patient())
    assert out["target_id"].tolist() == ["E1", "E1"]


def test_a_study_tied_with_another_set_of_studies_is_no_request_of_its_own():
    exams = _exams(descriptions=("RX GENOU DROIT", "RX GENOU GAUCHE", "RX GENOU DROIT"), minutes=(0, 3, 6),
                   body_parts=("KNEE",) * 3, modalities=("DX",) * 3)
    out = first_study_of_request(_reports(["E1", "E2"], ["E2", "E3"]), exams, _exam_patient(3))
    assert (out["status"] == "ambiguous").all()


def test_an_addendum_tied_between_the_studies_follows_the_report_the_first_study_holds():
    out = first_study_of_request(_reports(["E1", "E2"], linked=["E1"]), _exams(), _exam_patient())
    assert out.loc[0, ["status", "target_id"]].tolist() == ["linked", "E1"]


def test_a_later_study_another_report_took_makes_no_request_of_one_report():
    out = first_study_of_request(_reports(["E1", "E2"], linked=["E2"]), _exams(), _exam_patient())
    assert out.loc[0, "status"] == "ambiguous"


def test_studies_far_apart_or_of_two_patients_are_not_one_request():
    far = first_study_of_request(_reports(["E1", "E2"]), _exams(minutes=(0, 90)), _exam_patient())
    two = first_study_of_request(_reports(["E1", "E2"]), _exams(), _exam_patient(patients=["P1", "P2"]))
    assert far.loc[0, "status"] == "ambiguous" and two.loc[0, "status"] == "ambiguous"


def test_a_report_naming_only_the_later_studys_side_is_not_filed_with_the_first():
    reports = pd.DataFrame({"title": ["RX GENOU GAUCHE", "CR RADIOLOGIE"],
                            "text": ["Genou gauche.", "Genou droit. Complété par : genou gauche."]})
    out = first_study_of_request(_reports(["E1", "E2"], ["E3", "E4"]),
                                 pd.concat([_exams(), _exams().assign(exam_id=["E3", "E4"])], ignore_index=True),
                                 _exam_patient(4), reports)
    assert out["status"].tolist() == ["ambiguous", "linked"] and out.loc[1, "target_id"] == "E3"
