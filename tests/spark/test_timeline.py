"""The timeline built and written on Spark: the pandas engine's rows, in its order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.linkage import link
from radlink.timeline.assemble import EXTRA_COLUMNS, TIMELINE_COLUMNS, assemble_timeline

ASSEMBLY = {"assemble": assemble_timeline, "event_columns": TIMELINE_COLUMNS + EXTRA_COLUMNS}


def facts_of(reports: pd.DataFrame, seed: int = 5) -> pd.DataFrame:
    """Report facts drawn at random (the assembly is under test here, not the NLP)."""
    rng = np.random.default_rng(seed)
    n = len(reports)
    return pd.DataFrame({
        "report_id": reports["report_id"].to_numpy(dtype=object),
        "modality": rng.choice(np.array(["PT", "CT", "MR", None], dtype=object), n),
        "tracer": rng.choice(np.array(["FDG", "PSMA", None], dtype=object), n),
        "max_suvmax": np.where(rng.random(n) < 0.5, np.round(rng.random(n) * 20, 1), np.nan),
        "indication_category": rng.choice(np.array(["initial_staging", "follow_up", None], dtype=object), n),
    })


def same_rows(local: pd.DataFrame, spark: pd.DataFrame) -> None:
    """The same columns and rows in the same order, cell by cell (``None`` for missing)."""
    assert list(spark.columns) == list(local.columns)
    assert len(spark) == len(local)
    a = local.reset_index(drop=True).astype(object)
    b = spark.reset_index(drop=True).astype(object)
    a, b = a.where(a.notna(), None), b.where(b.notna(), None)
    for col in a.columns:
        differ = [i for i, (x, y) in enumerate(zip(a[col], b[col], strict=True)) if x != y]
        assert not differ, f"{col}: {len(differ)} cells differ, first at row {differ[:3]}"


def test_the_timeline_built_on_spark_is_the_pandas_engines(spark, tmp_path):
    from radlink.dataset import load_dataset
    from radlink.spark.timeline import (
        TIMELINE_TABLES,
        assemble_timeline_spark,
        write_timeline_spark,
    )
    from radlink.synth import generate, write_dataset

    # emergency_export: temporary identities, so some exams and reports stay unattached
    write_dataset(generate(300, seed=21, profile="emergency_export"), tmp_path / "in")
    ds = load_dataset(tmp_path / "in")
    links = link(ds.patients, ds.exams, ds.stays, ds.reports, validate=False)
    facts = facts_of(ds.reports)
    local = assemble_timeline(ds.patients, ds.stays, ds.exams, ds.reports, links, facts)
    tables = assemble_timeline_spark(ds.patients, ds.stays, ds.exams, ds.reports, links, facts, spark=spark,
                                     n_groups=5, **ASSEMBLY)
    assert set(tables) == set(TIMELINE_TABLES)
    assert len(local.unattached_exams) > 0 and len(local.unattached_reports) > 0
    write_timeline_spark(tables, tmp_path / "out")
    for name, expected in (("timeline", local.events), ("unattached_exams", local.unattached_exams),
                           ("unattached_reports", local.unattached_reports),
                           ("unattached_stays", local.unattached_stays)):
        written = pd.read_parquet(tmp_path / "out" / f"{name}.parquet")
        same_rows(expected, written)


def test_a_report_whose_exam_has_no_patient_takes_the_exams_modality_in_its_own_group(spark):
    """The exam of a report lives in another group (it is unattached): the report's group sees its modality."""
    from radlink.spark.timeline import assemble_timeline_spark
    from radlink.tables import validate_table

    patients = validate_table(pd.DataFrame({"patient_id": ["P1", "P2"]}), "patients")
    stays = validate_table(pd.DataFrame({"stay_id": ["S1"], "patient_id": ["P2"],
                                         "start_datetime": ["2020-01-01"], "end_datetime": ["2020-01-09"]}), "stays")
    exams = validate_table(pd.DataFrame({"exam_id": ["E1", "E2"], "study_datetime": ["2020-01-02", "2020-01-03"],
                                         "modality": ["PT\\CT", "MR"]}), "exams")
    reports = validate_table(pd.DataFrame({"report_id": ["R1", "R2"], "patient_id": ["P1", None],
                                           "report_datetime": ["2020-01-02 12:00", "2020-01-04"],
                                           "title": ["Compte rendu", "IRM"], "text": ["...", "..."]}), "reports")
    links = pd.DataFrame({
        "source_type": ["exam", "exam", "report", "report"], "source_id": ["E1", "E2", "R1", "R2"],
        "target_type": ["patient", "patient", "exam", "exam"], "target_id": [None, "P2", "E1", "E2"],
        "status": ["unlinked", "linked", "linked", "linked"], "score": [0.0, 0.99, 0.97, 0.95],
        "method": ["m"] * 4, "evidence": ["{}"] * 4})
    local = assemble_timeline(patients, stays, exams, reports, links)
    for n_groups in (1, 7):
        tables = assemble_timeline_spark(patients, stays, exams, reports, links, spark=spark, n_groups=n_groups,
                                         **ASSEMBLY)
        same_rows(local.events, tables["timeline"].toPandas())
        same_rows(local.unattached_exams, tables["unattached_exams"].toPandas())
    assert local.events.loc[local.events["event_id"] == "R1", "modality"].tolist() == ["PT"]
