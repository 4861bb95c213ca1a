"""Dates outside what pandas' nanosecond datetimes hold never crash a command.

1111-11-11, 0001-01-01 and 9999-12-31 are placeholders real warehouses write. Each is
read as null with a warning naming the table, column and row id (never the value),
and the run's manifest counts them.
"""

import json
import warnings

import pandas as pd
import pytest
from click.testing import CliRunner

from radlink.cli import main
from radlink.dataset import load_dataset
from radlink.errors import OutOfRangeDateWarning
from radlink.tables import parse_dates, validate_table

PLACEHOLDERS = ["1111-11-11", "0001-01-01", "9999-12-31", "31/12/9999", "11111111", "99991231235959"]


@pytest.mark.parametrize("value", PLACEHOLDERS)
def test_a_placeholder_date_is_out_of_range_not_a_failure(value):
    parsed, failed, outside = parse_dates(pd.Series([value, "2020-04-10"]))
    assert parsed.isna().tolist() == [True, False]
    assert failed.tolist() == [False, False] and outside.tolist() == [True, False]
    assert str(parsed.dtype) == "datetime64[ns]"


def test_a_datetime_column_of_seconds_is_checked_too():
    # pandas 3 reads 1111-11-11 from parquet into datetime64[s]; pandas 2 cannot hold it
    values = pd.Series(pd.array(["1111-11-11", "2020-01-01"], dtype="datetime64[s]"))
    parsed, _, outside = parse_dates(values)
    assert outside.tolist() == [True, False] and parsed.iloc[1] == pd.Timestamp("2020-01-01")


def test_validation_warns_with_table_column_and_row_never_the_value():
    exams = pd.DataFrame({"exam_id": ["E1", "E2"], "study_datetime": ["9999-12-31", "2020-01-01"],
                          "birth_date": ["1111-11-11", None]})
    with pytest.warns(OutOfRangeDateWarning) as caught:
        out = validate_table(exams, "exams")
    assert out["study_datetime"].isna().tolist() == [True, False]
    messages = [str(w.message) for w in caught]
    assert any("'exams', column 'study_datetime': 1 date" in m and "exam_id='E1'" in m for m in messages)
    assert all("9999" not in m and "1111" not in m for m in messages)
    assert any("'birth_date'" in m and "exam_id='E1'" in m for m in messages)


def test_patients_rows_are_named_by_position():
    # the IPP is itself identifying: a patients row is named by its position
    with pytest.warns(OutOfRangeDateWarning, match=r"row 1\)"):
        validate_table(pd.DataFrame({"patient_id": ["P1", "P2"], "birth_date": [None, "1111-11-11"]}),
                       "patients")


@pytest.fixture
def dataset_with_placeholders(tmp_path):
    pd.DataFrame({"patient_id": ["P1", "P2"], "family_name": ["A", "B"],
                  "birth_date": ["1111-11-11", "1950-02-03"]}).to_csv(tmp_path / "patients.csv", index=False)
    pd.DataFrame({"exam_id": ["1.2.3", "1.2.4"], "patient_id": ["P1", "P2"], "modality": ["CT", "CT"],
                  "study_datetime": ["9999-12-31", "2020-01-01 10:00"],
                  "accession_number": ["A1", "A2"]}).to_csv(tmp_path / "exams.csv", index=False)
    pd.DataFrame({"report_id": ["R1"], "patient_id": ["P2"], "report_datetime": ["0001-01-01"],
                  "text": ["Scanner thoracique : RAS."]}).to_csv(tmp_path / "reports.csv", index=False)
    return tmp_path


def test_the_dataset_keeps_its_warnings(dataset_with_placeholders):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutOfRangeDateWarning)
        ds = load_dataset(dataset_with_placeholders)
    assert {(w["table"], w["column"], w["count"]) for w in ds.warning_counts()} == {
        ("patients", "birth_date", 1), ("exams", "study_datetime", 1), ("reports", "report_datetime", 1)}


@pytest.mark.parametrize("command", [["validate"], ["link", "-o", "{tmp}/links.parquet", "--no-progress"],
                                     ["timeline", "-o", "{tmp}/out", "--no-progress"]])
def test_commands_warn_in_one_line_and_succeed(dataset_with_placeholders, tmp_path, command):
    args = [command[0], str(dataset_with_placeholders)] + [a.format(tmp=tmp_path) for a in command[1:]]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if "warning:" in line]
    assert len(lines) == 3 and all("date(s) outside" in line for line in lines)
    assert not any(p in result.output for p in ("1111", "9999", "0001-01-01"))
    if command[0] == "timeline":
        doc = json.loads((tmp_path / "out" / "manifest.json").read_text())
        assert sum(w["count"] for w in doc["input_warnings"]) == 3
