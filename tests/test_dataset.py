"""Tests of radlink.dataset: directory convention and column mappings."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from radlink.cli import main
from radlink.dataset import load_column_mapping, load_dataset, rename_columns
from radlink.errors import ColumnMappingError, DatasetNotFoundError, TableValidationError


@pytest.fixture
def csv_dataset(tmp_path):
    pd.DataFrame(
        {"patient_id": ["0012", "0034"], "family_name": ["Élise", "Martin"],
         "birth_date": ["01/02/1950", "19600315"]}
    ).to_csv(tmp_path / "patients.csv", index=False)
    pd.DataFrame(
        {"exam_id": ["1.2.3", "1.2.4"], "patient_id": ["0012", ""],
         "study_datetime": ["2020-04-10 08:30", "20200411"]}
    ).to_csv(tmp_path / "exams.csv", index=False)
    return tmp_path


def test_load_csv_dataset(csv_dataset):
    ds = load_dataset(csv_dataset)
    assert ds.summary() == {"patients": 2, "stays": 0, "exams": 2, "reports": 0}
    assert ds.patients["patient_id"].tolist() == ["0012", "0034"]  # leading zeros kept
    assert ds.patients["birth_date"].dt.year.tolist() == [1950, 1960]
    assert ds.exams["patient_id"].tolist() == ["0012", None]
    assert set(ds.sources) == {"patients", "exams"}


def test_parquet_wins_over_csv(csv_dataset):
    pd.DataFrame({"exam_id": ["9.9"]}).to_parquet(csv_dataset / "exams.parquet")
    assert load_dataset(csv_dataset).exams["exam_id"].tolist() == ["9.9"]


def test_missing_directory_and_empty_directory(tmp_path):
    with pytest.raises(DatasetNotFoundError, match="does not exist"):
        load_dataset(tmp_path / "nope")
    with pytest.raises(DatasetNotFoundError, match="holds none of"):
        load_dataset(tmp_path)


def test_problems_of_all_tables_together(csv_dataset):
    pd.DataFrame({"report_id": ["R1"], "text": ["x"], "report_datetime": ["bientôt"]}).to_csv(
        csv_dataset / "reports.csv", index=False
    )
    pd.DataFrame({"stay_id": ["S1", "S1"]}).to_csv(csv_dataset / "stays.csv", index=False)
    with pytest.raises(TableValidationError) as exc:
        load_dataset(csv_dataset)
    assert {p.table for p in exc.value.problems} == {"reports", "stays"}


def test_omop_like_export(tmp_path):
    pd.DataFrame(
        {"note_id": [10, 11], "person_id": [1, 2], "visit_occurrence_id": [5, None],
         "note_text": ["Indication : bilan", "RAS"], "note_datetime": ["2020-04-10", "2020-04-11"]}
    ).to_parquet(tmp_path / "reports.parquet")
    pd.DataFrame({"person_id": [1, 2]}).to_parquet(tmp_path / "patients.parquet")
    ds = load_dataset(tmp_path, mapping="omop")
    assert ds.reports["report_id"].tolist() == ["10", "11"]
    assert ds.reports["stay_id"].tolist() == ["5", None]
    assert ds.reports["text"].iloc[1] == "RAS"
    assert ds.patients["patient_id"].tolist() == ["1", "2"]


def test_mapping_from_toml_and_file_names(tmp_path):
    (tmp_path / "map.toml").write_text('[reports]\nnote_text = "text"\nid = "report_id"\n')
    pd.DataFrame({"id": ["R1"], "note_text": ["x"]}).to_csv(tmp_path / "notes.csv", index=False)
    ds = load_dataset(tmp_path, mapping=tmp_path / "map.toml", file_names={"reports": "notes"})
    assert ds.reports[["report_id", "text"]].values.tolist() == [["R1", "x"]]


def test_flat_mapping_applies_to_every_table():
    mapping = load_column_mapping({"person_id": "patient_id"})
    assert all(m == {"person_id": "patient_id"} for m in mapping.values())


@pytest.mark.parametrize(
    "mapping, match",
    [
        ({"visits": {"a": "stay_id"}}, "unknown table 'visits'"),
        ({"reports": {"a": "body"}}, "'body' is not a column of reports"),
        ({"a": "nothing"}, "not a canonical column"),
        ("no_such_mapping", "not found"),
    ],
)
def test_bad_mappings(mapping, match):
    with pytest.raises(ColumnMappingError, match=match):
        load_column_mapping(mapping)


def test_mapping_clash():
    df = pd.DataFrame({"note_id": [1], "report_id": [2], "text": ["x"]})
    with pytest.raises(ColumnMappingError, match="already has"):
        rename_columns(df, "reports", "omop")


def test_validate_command(csv_dataset):
    result = CliRunner().invoke(main, ["validate", str(csv_dataset)])
    assert result.exit_code == 0, result.output
    assert "exams without IPP: 1" in result.output


def test_validate_command_reports_problems_without_traceback(csv_dataset):
    pd.DataFrame({"exam_id": ["1.2.3"], "study_datetime": ["??"]}).to_csv(
        csv_dataset / "exams.csv", index=False
    )
    result = CliRunner().invoke(main, ["validate", str(csv_dataset)])
    assert result.exit_code == 1
    assert "column 'study_datetime', exam_id='1.2.3'" in result.output
    assert "Traceback" not in result.output


def test_repr_shows_counts_never_names_or_ids(csv_dataset):
    ds = load_dataset(csv_dataset)
    text = repr(ds)
    assert text == "Dataset(patients=2 rows, stays=0 rows, exams=2 rows, reports=0 rows, warnings=0)"
    for value in ("Élise", "Martin", "0012", "0034", "1.2.3", str(csv_dataset)):
        assert value not in text and value not in str(ds)
    assert f"{[ds]}" == f"[{text}]"  # inside containers too (notebook cells, logs)
