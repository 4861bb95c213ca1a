"""Groups of connected patients and accession numbers: what must be linked together stays together."""

from __future__ import annotations

import numpy as np

from radlink.spark.groups import component_groups


def obj(*values):
    return np.array(values, dtype=object)


def test_an_accession_number_joins_a_patientless_report_to_its_exams_patient():
    g = component_groups(exam_patient=obj("P1", "P2", None), exam_accession=obj("A1", None, "A9"),
                         report_patient=obj(None, "P2", "P3"), report_accession=obj("A1", "A9", None),
                         n_groups=10_000)
    assert g.reports[0] == g.exams[0] == g.patients["P1"]
    # the exam without patient meets P2's report through A9, and so P2's exam
    assert g.exams[2] == g.reports[1] == g.exams[1] == g.patients["P2"]
    assert g.reports[2] == g.patients["P3"] != g.patients["P1"]


def test_rows_with_neither_patient_nor_accession_are_spread():
    n = 1000
    g = component_groups(exam_patient=np.full(n, None, dtype=object), exam_accession=np.full(n, None, dtype=object),
                         report_patient=obj(), report_accession=obj(), n_groups=8)
    assert len(g.reports) == 0
    assert np.bincount(g.exams, minlength=8).min() >= n // 8 - 1


def test_groups_are_packed_into_n_groups():
    rng = np.random.default_rng(0)
    patients = obj(*[f"P{i}" for i in rng.integers(0, 300, 2000)])
    g = component_groups(patients, np.full(2000, None, dtype=object), obj(), obj(), n_groups=7)
    assert set(np.unique(g.exams)) <= set(range(7)) and len(np.unique(g.exams)) == 7
