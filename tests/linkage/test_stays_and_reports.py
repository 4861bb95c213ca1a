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


def test_stay_links_same_as_the_pandas_ordering():
    from radlink.linkage.stays import link_to_stays

    rng = np.random.default_rng(9)
    n, m = 400, 150
    base = pd.Timestamp("2020-01-01")
    stays = pd.DataFrame({
        "stay_id": [f"S{i % 140}" for i in range(m)],  # a few duplicate ids
        "patient_id": pd.Series([f"P{i}" for i in rng.integers(0, 30, m)], dtype=object),
        "start_datetime": base + pd.to_timedelta(rng.integers(0, 300, m), unit="h"),
    })
    stays["end_datetime"] = stays["start_datetime"] + pd.to_timedelta(rng.integers(0, 80, m), unit="h")
    stays.loc[::17, "end_datetime"] = pd.NaT
    recs = pd.DataFrame({
        "source_id": [f"E{i}" for i in range(n)],
        "patient_id": pd.Series([f"P{i}" if i < 32 else None for i in rng.integers(0, 34, n)], dtype=object),
        "when": base + pd.to_timedelta(rng.integers(-20, 400, n), unit="h"),
        "carried_stay_id": pd.Series([f"S{i}" if i < 150 else None for i in rng.integers(0, 300, n)], dtype=object),
    })
    recs.loc[::23, "when"] = pd.NaT
    links = link_to_stays(recs, stays, source_type="exam")
    # the reference: every same-patient stay whose widened interval holds the time, ranked by pandas
    st = stays.assign(end_datetime=stays["end_datetime"].fillna(stays["start_datetime"]))
    cand = recs.reset_index().merge(st, on="patient_id")
    t, s, e = cand["when"], cand["start_datetime"], cand["end_datetime"]
    cand = cand[(t >= s - pd.Timedelta(hours=8)) & (t <= e + pd.Timedelta(hours=2))].assign(
        inside=lambda d: (d["when"] >= d["start_datetime"]) & (d["when"] <= d["end_datetime"]),
        carried=lambda d: d["carried_stay_id"] == d["stay_id"],
        duration=lambda d: (d["end_datetime"] - d["start_datetime"]).dt.total_seconds())
    best = cand.sort_values(["index", "carried", "inside", "duration", "start_datetime", "stay_id"],
                            ascending=[True, False, False, True, False, True], kind="mergesort").drop_duplicates("index")
    expected = np.full(n, None, dtype=object)
    expected[best["index"].to_numpy()] = best["stay_id"].to_numpy(dtype=object)
    assert links["target_id"].tolist() == expected.tolist()
    assert (links["status"] == "linked").sum() > 50


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
