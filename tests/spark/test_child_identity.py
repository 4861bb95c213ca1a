"""Engine parity of the children's-exam step (radlink.linkage.child_identity): the same links, cell by cell."""

from __future__ import annotations

import pandas as pd
import pytest

from radlink.errors import LinkageInputError
from radlink.linkage import LinkageSettings, link
from radlink.tables import validate_table
from tests.spark.test_parity import assert_same_cells

HIP = "ECHO HANCHES NOURRISSON"
N_BABIES = 40


def _tables():
    """Two mothers and their babies, other families' babies; three exams under a parent's identity.

    - E1: the ROUX baby's hip ultrasound under the mother's IPP and header, the baby's stay holds it
      (``paediatric_kind``: goes to C1);
    - E2: a newborn header (``MOREL^BB``, born that day) under the MOREL mother's IPP, no stay
      (``newborn_birth_date``: the baby born that day, C2);
    - E3: a hip ultrasound under the MOREL mother's identity with no support (left unlinked).
    """
    ids = ["M1", "C1", "M2", "C2"] + [f"K{i}" for i in range(N_BABIES)]
    family = ["Roux", "Roux", "Morel", "Morel"] + [f"Fam{chr(65 + i)}" for i in range(N_BABIES)]
    birth = ["1990-02-03", "2024-03-01", "1988-06-12", "2024-05-10"] + [
        f"2024-0{1 + i % 6}-1{i % 9}" for i in range(N_BABIES)]
    patients = validate_table(pd.DataFrame({
        "patient_id": ids, "family_name": family, "given_name": ["Claire", "Léo", "Anne", "Lou"] + ["Emma"] * N_BABIES,
        "birth_date": birth, "sex": ["F", "M", "F", "M"] + ["F"] * N_BABIES}), "patients")
    kids = patients.iloc[4:]
    exams = validate_table(pd.DataFrame({
        "exam_id": [f"EK{i}" for i in range(N_BABIES)] + ["E1", "E2", "E3", "EA"],
        "patient_id": kids["patient_id"].tolist() + ["M1", "M2", "M2", "M1"],
        "patient_name": [f"{f.upper()}^EMMA" for f in kids["family_name"]]
        + ["ROUX^CLAIRE", "MOREL^BB", "MOREL^ANNE", "ROUX^CLAIRE"],
        "birth_date": [d.strftime("%Y-%m-%d") for d in kids["birth_date"]]
        + ["1990-02-03", "2024-05-10", "1988-06-12", "1990-02-03"],
        "sex": ["F"] * (N_BABIES + 4),
        "study_datetime": ["2024-07-01 10:00"] * N_BABIES
        + ["2024-03-20 10:00", "2024-05-10 15:00", "2024-08-02 09:00", "2024-09-01 11:00"],
        "modality": ["US"] * (N_BABIES + 3) + ["MG"],
        "study_description": [HIP] * (N_BABIES + 1) + ["THORAX", HIP, "MAMMOGRAPHIE"],
    }), "exams")
    stays = validate_table(pd.DataFrame({
        "stay_id": ["S1", "S2"], "patient_id": ["C1", "M1"],
        "start_datetime": ["2024-03-20 08:00", "2024-09-01 08:00"],
        "end_datetime": ["2024-03-20 18:00", "2024-09-01 18:00"],
        "unit": ["PEDIATRIE", "GYNECOLOGIE"], "stay_type": ["day_care", "day_care"]}), "stays")
    reports = validate_table(pd.DataFrame({"report_id": pd.Series([], dtype=object),
                                           "text": pd.Series([], dtype=object)}), "reports")
    return patients, exams, stays, reports


def test_the_childrens_exams_are_decided_as_the_pandas_engine_decides(spark):
    from radlink.spark import link_spark

    patients, exams, stays, reports = _tables()
    local = link(patients, exams, stays, reports)
    ep = local[local["target_type"] == "patient"].set_index("source_id")
    # the step fires on this frame set: a paediatric kind, a newborn header, one without support
    assert ep.loc["E1", ["target_id", "method"]].tolist() == ["C1", "child_identity"]
    assert ep.loc["E2", ["status", "target_id", "method"]].tolist() == ["linked", "C2", "child_identity"]
    assert ep.loc["E3", "status"] == "unlinked" and "child_exam_under_adult_identity" in ep.loc["E3", "evidence"]
    assert ep.loc["EA", "target_id"] == "M1"
    links = link_spark(patients, exams, stays, reports, spark=spark, n_groups=2).toPandas()
    assert_same_cells(local, links, ["source_type", "target_type", "source_id"])


def test_filing_tied_reports_with_the_first_study_is_refused_on_spark(spark):
    from radlink.spark import link_spark

    patients, exams, stays, reports = _tables()
    with pytest.raises(LinkageInputError, match="tied_reports_to_first_study"):
        link_spark(patients, exams, stays, reports, LinkageSettings(tied_reports_to_first_study=True), spark=spark)
