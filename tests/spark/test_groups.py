"""Groups of connected patients and accession numbers, on Spark: what must be linked together stays together."""

from __future__ import annotations

import pandas as pd
import pytest

from radlink.linkage.accessions import placeholder_accessions
from radlink.spark.groups import DRIVER_EDGES, GROUP, row_groups


def rows(spark, accessions, patients):
    frame = pd.DataFrame({"_row": range(len(patients)), "accession_number": pd.Series(accessions, dtype=object),
                          "patient": pd.Series(patients, dtype=object)})
    return spark.createDataFrame(frame, schema="_row long, accession_number string, patient string")


def groups(spark, exams, reports, n_groups=1_000_000, max_patients=10, driver_edges=DRIVER_EDGES):
    e, r, p = row_groups(rows(spark, *exams), rows(spark, *reports), n_groups=n_groups, max_patients=max_patients,
                         driver_edges=driver_edges)
    by_row = {t: df.toPandas().set_index("_row").sort_index() for t, df in (("e", e), ("r", r))}
    return by_row["e"], by_row["r"], p.toPandas().set_index("patient")[GROUP]


def test_an_accession_number_joins_a_patientless_report_to_its_exams_patient(spark):
    e, r, p = groups(spark, ([ "A1", None, "A9"], ["P1", "P2", None]), (["A1", "A9", None], [None, "P2", "P3"]))
    assert r[GROUP][0] == e[GROUP][0] == p["P1"]
    # the exam without patient meets P2's report through A9, and so P2's exam
    assert e[GROUP][2] == r[GROUP][1] == e[GROUP][1] == p["P2"]
    assert r[GROUP][2] == p["P3"] != p["P1"]


@pytest.mark.parametrize("driver_edges", [0, DRIVER_EDGES], ids=["on the executors", "on the driver"])
def test_a_chain_of_shared_accession_numbers_is_one_group(spark, driver_edges):
    # P1 -A1- P2 -A2- P3 -A3- P4 -A4- P5 (four propagation steps), and P6 -A6- P7 apart
    patients = [f"P{i}" for i in (1, 2, 2, 3, 3, 4, 4, 5, 6, 7)]
    accessions = ["A1", "A1", "A2", "A2", "A3", "A3", "A4", "A4", "A6", "A6"]
    e, _, p = groups(spark, (accessions, patients), ([], []), driver_edges=driver_edges)
    assert e[GROUP].iloc[:8].nunique() == 1 and p[[f"P{i}" for i in range(1, 6)]].nunique() == 1
    assert p["P6"] == p["P7"] != p["P1"]


def test_a_placeholder_accession_glues_nobody_and_is_made_null(spark):
    patients = [f"P{i}" for i in range(12)] + ["Q1", "Q2"]
    accessions = ["INCONNU"] * 12 + ["A7", "A7"]
    e, _, p = groups(spark, (accessions, patients), ([], []), max_patients=10)
    assert p[[f"P{i}" for i in range(12)]].nunique() > 6  # not one group (hash collisions aside)
    assert e["accession_number"].iloc[:12].isna().all() and e["accession_number"].iloc[12] == "A7"
    assert p["Q1"] == p["Q2"]
    # the pandas engine's decision (radlink.linkage.accessions) is the same
    assert placeholder_accessions(accessions, patients, max_patients=10).tolist() == ["INCONNU"]


@pytest.mark.parametrize("n_groups", [1, 7])
def test_groups_are_packed_into_n_groups(spark, n_groups):
    patients = [f"P{i % 300}" for i in range(2000)]
    e, _, _ = groups(spark, ([None] * 2000, patients), ([], []), n_groups=n_groups)
    assert set(e[GROUP]) == set(range(n_groups))
