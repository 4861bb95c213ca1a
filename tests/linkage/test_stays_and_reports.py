"""Stay containment rules and report→exam compatibility."""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.linkage.report_exam import exam_modality_class, modality_class_of_text, tracer_of_text
from radlink.linkage.stays import link_to_stays


def test_nested_consultation_and_carried_stay():
    stays = pd.DataFrame({"stay_id": ["H", "C", "X"], "patient_id": ["P", "P", "Q"],
                          "start_datetime": pd.to_datetime(pd.Series(["2020-01-01 08:00", "2020-01-03 10:00", "2020-01-03 00:00"])),
                          "end_datetime": pd.to_datetime(pd.Series(["2020-01-09 08:00", "2020-01-03 11:00", "2020-01-04 00:00"]))})
    recs = pd.DataFrame({"source_id": ["e1", "e2", "e3", "e4"], "patient_id": ["P", "P", "P", None],
                         "when": pd.to_datetime(pd.Series(["2020-01-03 10:30", "2020-01-05 10:00", "2020-01-05 10:00",
                                                           "2020-01-05 10:00"])),
                         "carried_stay_id": [None, None, "X", "H"]})
    out = link_to_stays(recs, stays, source_type="exam").set_index("source_id")
    assert out.loc["e1", "target_id"] == "C"  # most specific
    assert out.loc["e2", "target_id"] == "H"
    assert out.loc["e3", "target_id"] == "H"  # carried stay of another patient: rejected
    assert out.loc["e4", "status"] == "unlinked"  # patient unknown


def test_title_and_modality_classes():
    titles = pd.Series(["CR d'imagerie médicale - Tomographie par émission de positons avec scanner",
                        "TDM thorax", "Échographie pleurale", "Radio du thorax", "Scintigraphie osseuse"])
    assert modality_class_of_text(titles).tolist() == ["PET", "CT", "US", "XR", "NM"]
    assert exam_modality_class(pd.Series(["PT\\CT", "DX", "NM"]), pd.Series([None] * 3)).tolist() == ["PET", "XR", "NM"]
    assert tracer_of_text(pd.Series(["TEP-TDM 68GA-DOTATOC", "18F-FDG"])).tolist() == ["DOTATOC", "FDG"]


def test_same_patient_join_is_the_pandas_inner_merge():
    from radlink.linkage.stays import _same_patient

    rng = np.random.default_rng(5)
    rec = pd.DataFrame({"rec_row": np.arange(300), "patient_id": pd.Series(
        [f"P{i}" for i in rng.integers(0, 40, 300)], dtype=object),
        "when": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 500, 300), unit="h")})
    st = pd.DataFrame({"stay_id": [f"S{i}" for i in range(200)], "patient_id": pd.Series(
        [f"P{i}" for i in rng.integers(0, 50, 200)], dtype=object),
        "start": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 500, 200), unit="h")})
    got = _same_patient(rec, st)
    expected = rec.merge(st, on="patient_id", how="inner")
    key = ["rec_row", "stay_id"]
    assert len(got) == len(expected) > 0
    assert got.sort_values(key).reset_index(drop=True).astype(object).equals(
        expected.sort_values(key).reset_index(drop=True).astype(object))
    assert got["rec_row"].is_monotonic_increasing  # records in their order


def test_an_ambiguous_report_lands_in_the_stay_its_candidate_exams_share():
    from radlink.linkage import link

    patients = pd.DataFrame({"patient_id": ["800000001"], "family_name": ["Dupont"], "given_name": ["Anne"],
                             "birth_date": ["1950-03-04"], "sex": ["F"]})
    exams = pd.DataFrame([{"exam_id": e, "patient_id": "800000001", "patient_name": "DUPONT^ANNE",
                           "birth_date": "19500304", "sex": "F", "study_datetime": t, "modality": "CR",
                           "study_description": "RADIO THORAX FACE"}
                          for e, t in (("E1", "2021-01-04 09:00"), ("E2", "2021-01-04 11:00"))])
    stays = pd.DataFrame({"stay_id": ["S1"], "patient_id": ["800000001"], "stay_type": ["hospitalisation"],
                          "start_datetime": ["2021-01-03 10:00"], "end_datetime": ["2021-01-04 12:00"]})
    # signed after the discharge: its own date is in no stay, but both its candidates are in S1
    reports = pd.DataFrame({"report_id": ["R1"], "patient_id": ["800000001"],
                            "report_datetime": ["2021-01-05 10:00"], "title": ["Radio du thorax"], "text": ["..."]})
    links = link(patients, exams, stays, reports)
    assert links[(links.source_id == "R1") & (links.target_type == "exam")].iloc[0].status == "ambiguous"
    row = links[(links.source_id == "R1") & (links.target_type == "stay")].iloc[0]
    assert (row.target_id, row.status, row.method) == ("S1", "linked", "candidate_exams_agree")
