"""Placeholder accession numbers: counted as the pandas way counts them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.linkage.accessions import placeholder_accessions


def test_placeholders_same_as_counting_distinct_patients_with_pandas():
    rng = np.random.default_rng(6)
    n = 20_000
    accessions = np.array([f"A{i}" for i in rng.integers(0, 8000, n)], dtype=object)
    accessions[rng.random(n) < 0.05] = "0"
    accessions[rng.random(n) < 0.01] = "INCONNU"
    accessions[rng.random(n) < 0.03] = None
    patients = np.array([f"P{i}" for i in rng.integers(0, 3000, n)], dtype=object)
    patients[rng.random(n) < 0.05] = None
    pairs = pd.DataFrame({"a": accessions, "p": patients}).dropna().drop_duplicates()
    for cap in (1, 2, 10, 100, 10_000):
        counts = pairs["a"].value_counts()
        expected = sorted(counts.index[counts.to_numpy() > cap])
        assert placeholder_accessions(accessions, patients, max_patients=cap).tolist() == expected
    assert {"0", "INCONNU"} <= set(placeholder_accessions(accessions, patients, max_patients=10).tolist())
    assert placeholder_accessions([], [], max_patients=1).tolist() == []
    assert placeholder_accessions([None, None], ["P1", "P2"], max_patients=1).tolist() == []
