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
