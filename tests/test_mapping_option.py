"""``--mapping`` is taken the same way by every command that reads a dataset or a reports table."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from radlink.cli import COMMANDS, main
from radlink.dataset import MAPPING_HELP, load_column_mapping

SAMPLE = Path(__file__).resolve().parents[1] / "data_samples"

# commands whose first argument is a dataset directory or a reports table
READERS = ("validate", "timeline", "link", "evaluate-linkage", "extract", "deidentify",
           "train-linkage-model", "export", "profile")


def _command(name: str) -> click.Command:
    return main.get_command(click.Context(main), name)


@pytest.mark.parametrize("name", READERS)
def test_each_reader_has_the_same_mapping_option(name):
    options = {p.name: p for p in _command(name).params if isinstance(p, click.Option)}
    assert "mapping" in options, name
    assert options["mapping"].opts == ["--mapping"] and options["mapping"].help == MAPPING_HELP


def test_every_reader_is_listed():
    """A new command whose first argument is a dataset or a reports table joins READERS."""
    readers = {n for n in COMMANDS
               if [p.name for p in _command(n).params if isinstance(p, click.Argument)][:1]
               in (["dataset_dir"], ["reports"], ["reports_path"])}
    assert readers <= set(READERS), readers - set(READERS)


@pytest.fixture(scope="module")
def omop_dataset(tmp_path_factory) -> Path:
    """A few patients of data_samples, exported under OMOP-like column names."""
    if not (SAMPLE / "exams.parquet").exists():
        pytest.skip("data_samples has no generated tables")
    out = tmp_path_factory.mktemp("omop")
    mapping = load_column_mapping("omop")
    patients = pd.read_parquet(SAMPLE / "patients.parquet").head(6)
    keep = set(patients["patient_id"])
    for table in ("patients", "stays", "exams", "reports"):
        df = pd.read_parquet(SAMPLE / f"{table}.parquet")
        df = df[df["patient_id"].isin(keep)]
        back = {}
        for src, dst in mapping[table].items():
            back.setdefault(dst, src)  # patient_id -> person_id (the first one listed)
        df.rename(columns=back).to_parquet(out / f"{table}.parquet", index=False)
    return out


@pytest.mark.parametrize("name, extra", [
    ("validate", []),
    ("link", ["--no-progress", "-o", "{tmp}/links.parquet"]),
    ("timeline", ["--no-progress", "-o", "{tmp}/tl"]),
])
def test_dataset_readers_read_an_omop_export(omop_dataset, tmp_path, name, extra):
    args = [name, str(omop_dataset)] + [a.format(tmp=tmp_path) for a in extra]
    without = CliRunner().invoke(main, args)
    assert without.exit_code != 0  # the canonical columns are not there
    result = CliRunner().invoke(main, args + ["--mapping", "omop"])
    assert result.exit_code == 0, result.output


def test_extract_reads_an_omop_note_table(omop_dataset, tmp_path):
    src = str(omop_dataset / "reports.parquet")
    without = CliRunner().invoke(main, ["extract", src, "-o", str(tmp_path / "a"), "--no-progress"])
    assert without.exit_code == 1 and "column 'text'" in without.output
    result = CliRunner().invoke(main, ["extract", src, "-o", str(tmp_path / "b"), "--no-progress",
                                       "--mapping", "omop"])
    assert result.exit_code == 0, result.output
    facts = pd.read_parquet(tmp_path / "b" / "report_facts.parquet")
    assert set(facts["report_id"]) == set(pd.read_parquet(src)["note_id"].astype(str))


def test_evaluate_linkage_takes_the_mapping(omop_dataset, tmp_path):
    # no truth beside the export: the mapping is accepted, the missing truth is the error
    result = CliRunner().invoke(main, ["evaluate-linkage", str(omop_dataset), "--mapping", "omop"])
    assert result.exit_code != 0 and "truth" in result.output and "--mapping" not in result.output


@pytest.mark.parametrize("name, args", [
    ("validate", ["{ds}"]),
    ("link", ["{ds}"]),
    ("evaluate-linkage", ["{ds}"]),
    ("timeline", ["{ds}", "-o", "{tmp}/tl"]),
    ("extract", ["{ds}/reports.parquet", "-o", "{tmp}/nlp"]),
])
def test_a_misspelt_mapping_is_a_usage_error_before_reading(omop_dataset, tmp_path, name, args):
    args = [a.format(ds=omop_dataset, tmp=tmp_path) for a in args]
    result = CliRunner().invoke(main, [name, *args, "--mapping", "opmo"])
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--mapping'" in result.output and "omop" in result.output
    assert not (tmp_path / "tl").exists() and not (tmp_path / "nlp").exists()
