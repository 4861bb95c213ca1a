"""A dataset read by Spark: the pandas engine's tables, and its validation errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from radlink.dataset import load_dataset
from radlink.errors import TableValidationError
from radlink.tables import TABLES

SAMPLE = Path(__file__).resolve().parents[2] / "data_samples"


def test_the_tables_read_by_spark_are_the_pandas_engines(spark):
    from radlink.spark.dataset import read_dataset_spark
    from radlink.spark.frames import ROW, from_spark_batch

    local = load_dataset(SAMPLE)
    ds = read_dataset_spark(SAMPLE, spark=spark)
    assert ds.summary() == local.summary()
    assert ds.sources == local.sources
    for table in TABLES:
        frame = getattr(ds, table).toPandas()
        assert frame[ROW].tolist() == list(range(len(frame)))  # numbered in the file's order
        read = from_spark_batch(frame, table)
        expected = getattr(local, table)[list(TABLES[table].columns)]
        a, b = expected.astype(object), read[list(TABLES[table].columns)].astype(object)
        a, b = a.where(a.notna(), None), b.where(b.notna(), None)
        for col in a.columns:
            assert a[col].tolist() == b[col].tolist(), (table, col)


def _write_parts(frame: pd.DataFrame, folder: Path, cut: int) -> None:
    """``frame`` as a folder of two part files (Spark reads each as a partition, in name order)."""
    folder.mkdir(parents=True)
    for i, part in enumerate((frame.iloc[:cut], frame.iloc[cut:])):
        pq.write_table(pa.Table.from_pandas(part, preserve_index=False), folder / f"part-{i:05d}.parquet")


def test_bad_rows_give_the_pandas_engines_problems_with_positions_in_the_whole_table(spark, tmp_path):
    """A date that is none, a null id, an id repeated in another partition: the same problems, the same names."""
    from radlink.spark.dataset import read_dataset_spark

    exams = pd.DataFrame({"exam_id": ["E1", "E2", None, "E4", "E2", "E6"],
                          "patient_id": ["P1", "P2", "P3", "P4", "P5", "P6"],
                          "study_datetime": ["2020-01-01", "pas une date", "2020-01-03", "2020-01-04",
                                             "2020-01-05", "31/02/2020"]})
    patients = pd.DataFrame({"patient_id": ["P1", "P2", "P1"], "birth_date": ["1950-01-01", "1960-13-45", None]})
    single, parts = tmp_path / "single", tmp_path / "parts"
    single.mkdir()
    exams.to_parquet(single / "exams.parquet", index=False)
    patients.to_parquet(single / "patients.parquet", index=False)
    _write_parts(exams, parts / "exams.parquet", cut=3)
    _write_parts(patients, parts / "patients.parquet", cut=1)
    with pytest.raises(TableValidationError) as local:
        load_dataset(single)
    with pytest.raises(TableValidationError) as on_spark:
        read_dataset_spark(parts, spark=spark)
    expected = sorted(map(str, local.value.problems))
    assert sorted(map(str, on_spark.value.problems)) == expected
    assert any("duplicated id" in p for p in expected) and any("row 2" in p for p in expected)
    assert "P1" not in str(on_spark.value) and "P2" not in str(on_spark.value)  # ids that identify: positions


def test_a_missing_required_column_is_named(spark, tmp_path):
    from radlink.spark.dataset import read_dataset_spark

    (tmp_path / "d").mkdir()
    pd.DataFrame({"report_id": ["R1"], "title": ["Scanner"]}).to_parquet(tmp_path / "d" / "reports.parquet")
    with pytest.raises(TableValidationError) as local:
        load_dataset(tmp_path / "d")
    with pytest.raises(TableValidationError) as on_spark:
        read_dataset_spark(tmp_path / "d", spark=spark)
    assert list(map(str, on_spark.value.problems)) == list(map(str, local.value.problems))
    assert "column 'text'" in str(on_spark.value)
