"""The temporary-IPP rule as a summary, a decision per id and two row rules (one owner, two engines)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.linkage.temporary_ids import (
    one_patient_per_temporary_id,
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


def test_reports_under_a_retired_ipp_take_the_patient_their_stays_name():
    # an identity merge retired "8000000099": the PACS was reconciled, the document store was
    # not; the reports that carry a stay name the surviving patient, and so do their siblings
    from radlink.linkage import link
    from radlink.tables import validate_table

    patients = validate_table(pd.DataFrame({
        "patient_id": ["8000000001", "8000000002"], "family_name": ["Dupont", "Martin"],
        "given_name": ["Anne", "Paul"], "birth_date": ["1950-03-04", "1961-07-12"], "sex": ["F", "M"]}), "patients")
    stays = validate_table(pd.DataFrame({
        "stay_id": ["S1", "S2"], "patient_id": ["8000000001", "8000000002"],
        "start_datetime": ["2020-01-01 08:00", "2020-03-01 08:00"],
        "end_datetime": ["2020-01-05 12:00", "2020-03-04 12:00"]}), "stays")
    exams = validate_table(pd.DataFrame({
        "exam_id": ["E1", "E2", "E3"], "patient_id": ["8000000001", "8000000001", "8000000002"],
        "patient_name": ["DUPONT^ANNE", "DUPONT^ANNE", "MARTIN^PAUL"],
        "birth_date": ["1950-03-04", "1950-03-04", "1961-07-12"], "sex": ["F", "F", "M"],
        "study_datetime": ["2020-01-02 10:00", "2020-06-01 10:00", "2020-03-02 10:00"],
        "modality": ["CT", "MR", "CT"]}), "exams")
    reports = validate_table(pd.DataFrame({
        "report_id": ["R1", "R2"], "patient_id": ["8000000099", "8000000099"], "stay_id": ["S1", None],
        "report_datetime": ["2020-01-06 09:00", "2020-06-01 15:00"],
        "title": ["Scanner", "IRM"], "text": ["Scanner.", "IRM."]}), "reports")
    links = link(patients, exams, stays, reports).set_index(["source_id", "target_type"])
    assert links.loc[("R1", "stay"), "target_id"] == "S1"
    assert links.loc[("R1", "exam"), "target_id"] == "E1"
    assert links.loc[("R2", "exam"), "target_id"] == "E2"
    # stays of two patients under one retired number name neither
    both = reports.assign(stay_id=["S1", "S2"])
    links = link(patients, exams, stays, both).set_index(["source_id", "target_type"])
    assert links.loc[("R1", "stay"), "status"] == "unlinked"
