"""The temporary-IPP rule as a summary, a decision per id and two row rules (one owner, two engines)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.linkage.temporary_ids import (
    one_patient_per_temporary_id,
    reports_via_stays,
    reports_via_temporary_ids,
    temporary_pairs,
    unlinked_temporary_keys,
)

REGISTRY = ["P1", "P2", "P3"]


def exams_under_temporary_ids(n: int = 400, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "carried": rng.choice(np.array(["T1", "T2", "T3", "T4", "P1", None], dtype=object), n),
        "status": rng.choice(np.array(["linked", "unlinked", "ambiguous"], dtype=object), n, p=[0.6, 0.3, 0.1]),
        "target": rng.choice(np.array(["P1", "P2", "P3"], dtype=object), n, p=[0.9, 0.05, 0.05]),
    })


def test_the_summary_of_slices_merged_decides_as_the_summary_of_the_whole():
    exams = exams_under_temporary_ids()
    whole = one_patient_per_temporary_id(temporary_pairs(exams["carried"], exams["status"], exams["target"],
                                                         REGISTRY))
    slices = [temporary_pairs(part["carried"], part["status"], part["target"], REGISTRY)
              for part in (exams.iloc[i:i + 60] for i in range(0, len(exams), 60))]
    merged = one_patient_per_temporary_id(pd.concat(slices, ignore_index=True))
    key = ["carried", "patient"]
    assert merged.sort_values(key).values.tolist() == whole.sort_values(key).values.tolist()
    # decided per id: ids split across two halves of the pairs (by id) decide the same
    pairs = pd.concat(slices, ignore_index=True)
    by_id = pd.concat([one_patient_per_temporary_id(pairs[pairs["carried"].isin(ids)])
                       for ids in (["T1", "T3"], ["T2", "T4"])], ignore_index=True)
    assert by_id.sort_values(key).values.tolist() == whole.sort_values(key).values.tolist()


def test_a_temporary_id_linked_to_two_patients_stands_for_none():
    pairs = temporary_pairs(["T1", "T1", "T2"], ["linked"] * 3, ["P1", "P2", "P3"], REGISTRY)
    decided = one_patient_per_temporary_id(pairs)
    assert decided.values.tolist() == [["T2", "P3"]]
    assert reports_via_temporary_ids(["T1", "T2"], decided, REGISTRY).tolist() == ["T1", "P3"]


def test_registry_ids_are_never_temporary():
    assert temporary_pairs(["P1"], ["linked"], ["P2"], REGISTRY).empty
    assert unlinked_temporary_keys(["P1", "T9"], ["unlinked", "unlinked"], REGISTRY).tolist() == [None, "T9"]


def _merged_identity_tables():
    """Two patients; P1's report carries OLD9, an IPP retired by a merge that no table holds any more."""
    from radlink.tables import validate_table

    patients = validate_table(pd.DataFrame({
        "patient_id": ["P1", "P2"], "family_name": ["MARTIN", "DURAND"], "given_name": ["ANNE", "LUC"],
        "birth_date": ["1950-01-02", "1960-03-04"], "sex": ["F", "M"]}), "patients")
    exams = validate_table(pd.DataFrame({
        "exam_id": ["E1", "E2"], "patient_id": ["P1", "P2"], "patient_name": ["MARTIN^ANNE", "DURAND^LUC"],
        "birth_date": ["1950-01-02", "1960-03-04"], "sex": ["F", "M"], "modality": ["CT", "CT"],
        "study_description": ["TDM THORAX", "TDM THORAX"],
        "study_datetime": ["2024-01-03 10:00", "2024-01-03 10:30"]}), "exams")
    stays = validate_table(pd.DataFrame({
        "stay_id": ["S1", "S2"], "patient_id": ["P1", "P2"], "stay_type": ["hospitalisation"] * 2,
        "start_datetime": ["2024-01-02 08:00", "2024-01-02 09:00"],
        "end_datetime": ["2024-01-06 12:00", "2024-01-05 12:00"]}), "stays")
    reports = validate_table(pd.DataFrame({
        "report_id": ["R1"], "patient_id": ["OLD9"], "stay_id": ["S1"], "report_datetime": ["2024-01-03 15:00"],
        "title": ["Scanner thoracique"], "text": ["Scanner thoracique. Pas d'anomalie."]}), "reports")
    return patients, exams, stays, reports


def test_a_report_under_an_id_known_nowhere_takes_the_patient_of_its_stay():
    assert reports_via_stays(["OLD1", "P1", "T1"], ["P2", "P3", "P3"], REGISTRY, ["T1"]).tolist() == \
        ["P2", "P1", "T1"]
    from radlink.linkage.api import link

    patients, exams, stays, reports = _merged_identity_tables()
    links = link(patients=patients, exams=exams, stays=stays, reports=reports).set_index(["source_id", "target_type"])
    assert links.loc[("R1", "exam"), "target_id"] == "E1"
    assert links.loc[("R1", "exam"), "status"] == "linked"
    assert links.loc[("R1", "stay"), "target_id"] == "S1"
