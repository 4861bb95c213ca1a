"""``radlink export --format omop``: the tables follow the CDM 5.4 / MI-CDM schema and hold the findings."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from radlink.cli import main
from radlink.export.schema import check_table

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data_samples"
SCHEMA = json.loads((ROOT / "radlink/export/omop_cdm54_schema.json").read_text(encoding="utf-8"))
WRITTEN = ("person", "visit_occurrence", "procedure_occurrence", "image_occurrence", "note",
           "note_nlp", "measurement", "image_feature")


def _run(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The CDM sample read as it comes, its timeline, and that timeline exported as OMOP."""
    work = tmp_path_factory.mktemp("omop_out")
    _run("timeline", SAMPLE / "omop_cdm54", "--mapping", "omop", "-o", work / "tl", "--no-progress")
    _run("export", "--format", "omop", work / "tl", "-o", work / "omop")
    return work


@pytest.mark.parametrize("table", WRITTEN)
def test_each_table_has_the_spec_columns_types_and_required_fields(exported, table):
    df = _csv(exported / "omop" / f"{table}.csv")
    assert list(df.columns) == [c["name"] for c in SCHEMA["tables"][table]["columns"]]
    assert check_table(df, table) == []
    assert len(df) > 0


def test_the_schema_check_can_fail():
    df = _csv(SAMPLE / "omop_cdm54" / "visit_occurrence.csv")
    assert check_table(df.drop(columns="visit_end_date"), "visit_occurrence")
    blank = df.assign(visit_concept_id=[""] + list(df["visit_concept_id"].iloc[1:]))
    assert check_table(blank, "visit_occurrence") == [
        "visit_occurrence.visit_concept_id: required, empty on row 0"]
    assert check_table(df.assign(visit_start_date="14/04/2015"), "visit_occurrence") == [
        "visit_occurrence.visit_start_date: not date on row 0"]


def test_keys_point_at_rows_that_exist(exported):
    t = {name: _csv(exported / "omop" / f"{name}.csv") for name in WRITTEN}
    persons = set(t["person"]["person_id"])
    for name in ("visit_occurrence", "image_occurrence", "note", "measurement", "image_feature"):
        assert set(t[name]["person_id"]) <= persons, name
    assert set(t["image_occurrence"]["procedure_occurrence_id"]) == set(t["procedure_occurrence"]["procedure_occurrence_id"])
    assert set(t["note_nlp"]["note_id"]) <= set(t["note"]["note_id"])
    assert set(t["image_feature"]["image_occurrence_id"]) <= set(t["image_occurrence"]["image_occurrence_id"])
    events = t["image_feature"]["image_feature_event_id"]
    assert set(events[events != ""]) <= set(t["measurement"]["measurement_id"])
    visits = t["image_occurrence"]["visit_occurrence_id"]
    assert set(visits[visits != ""]) <= set(t["visit_occurrence"]["visit_occurrence_id"])


def test_persons_keep_the_ids_of_the_cdm_they_came_from(exported):
    person = _csv(exported / "omop" / "person.csv")
    source = pd.read_csv(SAMPLE / "omop_cdm54" / "PERSON.csv", sep="\t", dtype=str, keep_default_na=False)
    assert set(person["person_source_value"]) == set(source["person_source_value"])
    merged = person.merge(source, on="person_source_value", suffixes=("", "_in"))
    assert (merged["gender_concept_id"] == merged["gender_concept_id_in"]).all()
    assert (merged["year_of_birth"] == merged["year_of_birth_in"]).all()


def test_note_nlp_offsets_point_at_the_note_text(exported):
    notes = _csv(exported / "omop" / "note.csv").set_index("note_id")["note_text"]
    nlp = _csv(exported / "omop" / "note_nlp.csv")
    findings = pd.read_parquet(exported / "tl" / "findings.parquet")
    assert len(nlp) == len(findings)
    for row in nlp.itertuples():
        start, end = (int(x) for x in row.offset.split("-"))
        assert notes[row.note_id][start:end][:250] == row.lexical_variant
    assert set(nlp["term_exists"]) == {"Y", "N"}
    assert (nlp["term_exists"] == "N").sum() == int(findings["negated"].sum())


def test_every_suvmax_and_size_is_a_measurement_tied_to_its_exam(exported):
    findings = pd.read_parquet(exported / "tl" / "findings.parquet")
    kept = findings[~findings["negated"].astype(bool)]
    m = _csv(exported / "omop" / "measurement.csv")
    assert (m["measurement_source_value"] == "SUVmax").sum() == kept["suvmax"].notna().sum()
    assert (m["measurement_source_value"] == "size_mm").sum() == kept["size_mm"].notna().sum()
    got = sorted(m.loc[m["measurement_source_value"] == "SUVmax", "value_as_number"].astype(float))
    assert got == pytest.approx(sorted(kept["suvmax"].dropna()))
    features = _csv(exported / "omop" / "image_feature.csv")
    measured = features[features["image_feature_event_id"] != ""]
    timeline = pd.read_parquet(exported / "tl" / "timeline.parquet")
    reports = timeline[timeline["event_type"] == "report"]
    with_exam = set(reports.loc[reports["exam_id"].notna(), "report_id"])
    tied = kept[kept["report_id"].isin(with_exam)]
    assert 0 < len(measured) == tied["suvmax"].notna().sum() + tied["size_mm"].notna().sum()
    assert set(measured["image_feature_event_field_concept_id"]) == {"0"}  # unmapped, said in the README
    readme = (exported / "omop" / "README.md").read_text(encoding="utf-8")
    assert "| `note.encoding_utf8` | 32678 |" in readme and "`measurement.suvmax` | 0 |" in readme


def test_a_site_maps_its_concepts(exported, tmp_path):
    concepts = tmp_path / "concepts.toml"
    concepts.write_text('[measurement]\nsuvmax = { id = 2000000100, name = "SUVmax (local)" }\n'
                        '[modality]\nCT = 2000000001\n', encoding="utf-8")
    _run("export", "--format", "omop", exported / "tl", "-o", tmp_path / "o", "--concepts", concepts)
    m = _csv(tmp_path / "o" / "measurement.csv")
    assert set(m.loc[m["measurement_source_value"] == "SUVmax", "measurement_concept_id"]) == {"2000000100"}
    images = _csv(tmp_path / "o" / "image_occurrence.csv")
    assert "2000000001" in set(images["modality_concept_id"])
    assert "| `measurement.suvmax` | 2000000100 | SUVmax (local) | site mapping |" in (
        tmp_path / "o" / "README.md").read_text(encoding="utf-8")


def test_the_export_is_reproducible(exported, tmp_path):
    _run("export", "--format", "omop", exported / "tl", "-o", tmp_path / "again")
    for table in WRITTEN:
        assert (tmp_path / "again" / f"{table}.csv").read_bytes() == (exported / "omop" / f"{table}.csv").read_bytes()


def test_a_pseudonymised_timeline_exports_without_identity(tmp_path, monkeypatch):
    monkeypatch.setenv("RADLINK_PSEUDONYM_KEY", "export-test-key-0123456789")
    _run("timeline", SAMPLE, "-o", tmp_path / "tlp", "--pseudonymise", "--no-progress")
    _run("export", "--format", "omop", tmp_path / "tlp", "-o", tmp_path / "o")
    written = {p.stem for p in (tmp_path / "o").glob("*.csv")}
    assert "person" not in written and "note" not in written and "image_feature" in written
    ids = _csv(tmp_path / "o" / "radlink_ids.csv")
    assert ids.loc[ids["table"] == "person", "radlink_id"].str.startswith("pat_").all()
    assert "person is not written" in (tmp_path / "o" / "README.md").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "--format", "omop", str(tmp_path / "tlp"), "-o",
                                       str(tmp_path / "o2"), "--dataset", str(SAMPLE)])
    assert result.exit_code == 1 and "pseudonymised" in result.output
