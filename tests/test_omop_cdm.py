"""An OMOP CDM 5.4 export, named and laid out as the CDM names it, runs through radlink as it comes.

The fixture ``data_samples/omop_cdm54`` is written by ``benchmarks/make_omop_cdm54.py``
from the specifications (every column of each CDM / MI-CDM table, in order), not from
radlink's mapping; the first test checks it against the schema file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from radlink.cli import main
from radlink.dataset import load_dataset
from radlink.errors import DatasetNotFoundError, TableValidationError
from radlink.export.schema import check_table
from radlink.readers import read_table

SAMPLE = Path(__file__).resolve().parents[1] / "data_samples"
CDM = SAMPLE / "omop_cdm54"
TABLES = {"PERSON.csv": "person", "visit_occurrence.csv": "visit_occurrence",
          "image_occurrence.csv": "image_occurrence", "note.parquet": "note",
          "procedure_occurrence.csv": "procedure_occurrence", "CONCEPT.csv": "concept",
          "care_site.csv": "care_site", "condition_occurrence.csv": "condition_occurrence"}


def _as_text(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d %H:%M:%S")
        out[c] = [("" if v is None or (isinstance(v, float) and v != v) or v is pd.NaT
                   else str(int(v)) if isinstance(v, float) and v.is_integer()  # a nullable int column
                   else v.isoformat() if hasattr(v, "isoformat") else str(v)) for v in out[c]]
    return out


@pytest.mark.parametrize("name, table", TABLES.items())
def test_the_fixture_is_written_to_the_cdm_spec(name, table):
    assert check_table(_as_text(read_table(CDM / name)), table) == []


def test_the_fixture_is_tab_and_comma_separated_in_any_case():
    assert read_table(CDM / "PERSON.csv").attrs["read_as"]["separator"] == "\t"
    assert read_table(CDM / "visit_occurrence.csv").attrs["read_as"]["separator"] == ","


@pytest.fixture(scope="module")
def cdm():
    return load_dataset(CDM, mapping="omop")


def test_every_row_is_read(cdm):
    assert {t: p.name for t, p in cdm.sources.items()} == {
        "patients": "PERSON.csv", "stays": "visit_occurrence.csv", "exams": "image_occurrence.csv",
        "reports": "note.parquet"}
    images = read_table(CDM / "image_occurrence.csv")
    assert cdm.summary() == {
        "patients": len(read_table(CDM / "PERSON.csv")),
        "stays": len(read_table(CDM / "visit_occurrence.csv")),
        "exams": images["image_study_uid"].nunique(),  # one exam per study, not per series
        "reports": len(pd.read_parquet(CDM / "note.parquet"))}
    assert len(images) > images["image_study_uid"].nunique()


def test_the_ipp_is_person_source_value_in_every_table(cdm):
    person = read_table(CDM / "PERSON.csv")
    assert set(cdm.patients["patient_id"]) == set(person["person_source_value"])
    ipps = set(person["person_source_value"])
    for table in (cdm.stays, cdm.exams, cdm.reports):
        assert set(table["patient_id"]) <= ipps


def test_the_export_reads_as_the_canonical_sample(cdm):
    """What the CDM holds comes back as the sample's own values (by the ids the CDM keeps)."""
    exams = pd.read_parquet(SAMPLE / "exams.parquet").set_index("exam_id")
    got = cdm.exams.set_index("exam_id")
    assert (got["modality"] == exams.loc[got.index, "modality"]).all()  # PT\CT from its two series
    assert (got["study_datetime"] == exams.loc[got.index, "study_datetime"]).all()
    stays = pd.read_parquet(SAMPLE / "stays.parquet").set_index("stay_id")
    s = cdm.stays.set_index("stay_id")
    assert (s["unit"] == stays.loc[s.index, "unit"]).all()
    assert (s["diagnoses"].fillna("") == stays.loc[s.index, "diagnoses"].fillna("")).all()
    assert (s["stay_type"] == stays.loc[s.index, "stay_type"].replace({"day_care": "consultation"})).all()
    reports = pd.read_parquet(SAMPLE / "reports.parquet").set_index("report_id")
    r = cdm.reports.set_index("report_id")
    assert (r["text"] == reports.loc[r.index, "text"]).all()
    assert (r["report_datetime"] == reports.loc[r.index, "report_datetime"]).all()
    patients = pd.read_parquet(SAMPLE / "patients.parquet").set_index("patient_id")
    p = cdm.patients.set_index("patient_id")
    assert (p["sex"] == patients.loc[p.index, "sex"]).all()
    assert (p["birth_date"] == pd.to_datetime(patients.loc[p.index, "birth_date"])).all()


@pytest.mark.parametrize("name, sep", [("person.csv", ","), ("Person.CSV", ";"), ("person.parquet", None)])
def test_file_names_and_formats_as_omop_tools_write_them(tmp_path, cdm, name, sep):
    shutil.copytree(CDM, tmp_path / "cdm")
    person = read_table(tmp_path / "cdm" / "PERSON.csv")
    (tmp_path / "cdm" / "PERSON.csv").unlink()
    if sep is None:
        person.to_parquet(tmp_path / "cdm" / name, index=False)
    else:
        person.to_csv(tmp_path / "cdm" / name, sep=sep, index=False)
    ds = load_dataset(tmp_path / "cdm", mapping="omop")
    pd.testing.assert_frame_equal(ds.patients, cdm.patients)
    assert ds.sources["patients"].name == name


def test_a_cdm_folder_without_the_mapping_says_how_to_read_it():
    with pytest.raises(DatasetNotFoundError, match="--mapping omop"):
        load_dataset(CDM)


def test_a_missing_cdm_column_names_the_cdm_table(tmp_path):
    shutil.copytree(CDM, tmp_path / "cdm")
    visits = read_table(tmp_path / "cdm" / "visit_occurrence.csv").drop(columns="person_id")
    visits.to_csv(tmp_path / "cdm" / "visit_occurrence.csv", index=False)
    with pytest.raises(TableValidationError, match="'visit_occurrence'.*'person_id'"):
        load_dataset(tmp_path / "cdm", mapping="omop")


def test_radlink_file_names_with_person_id_and_person_source_value(tmp_path):
    """Files named as radlink's tables, CDM columns: the IPP is person_source_value everywhere."""
    person = read_table(CDM / "PERSON.csv")
    person.to_csv(tmp_path / "patients.csv", index=False)
    notes = pd.read_parquet(CDM / "note.parquet")
    notes.to_parquet(tmp_path / "reports.parquet", index=False)
    ds = load_dataset(tmp_path, mapping="omop")
    assert set(ds.patients["patient_id"]) == set(person["person_source_value"])
    assert set(ds.reports["patient_id"]) <= set(person["person_source_value"])


def _run(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.slow
def test_validate_link_extract_timeline_count_on_the_cdm_export(tmp_path, cdm):
    assert "valid" in _run("validate", CDM, "--mapping", "omop")
    _run("link", CDM, "--mapping", "omop", "-o", tmp_path / "links.parquet", "--no-progress")
    links = pd.read_parquet(tmp_path / "links.parquet")
    exam_links = links[(links["source_type"] == "exam") & (links["target_type"] == "patient")]
    assert set(exam_links["source_id"]) == set(cdm.exams["exam_id"])
    # an OMOP ETL has resolved every image's person: each exam stays with its IPP
    carried = cdm.exams.set_index("exam_id")["patient_id"]
    assert (exam_links.set_index("source_id")["target_id"] == carried.loc[exam_links["source_id"]]).all()

    _run("extract", CDM / "note.parquet", "--mapping", "omop", "-o", tmp_path / "nlp", "--no-progress")
    facts = pd.read_parquet(tmp_path / "nlp" / "report_facts.parquet")
    assert sorted(facts["report_id"]) == sorted(cdm.reports["report_id"])

    _run("timeline", CDM, "--mapping", "omop", "-o", tmp_path / "tl", "--no-progress")
    timeline = pd.read_parquet(tmp_path / "tl" / "timeline.parquet")
    assert set(timeline.loc[timeline["event_type"] == "exam", "exam_id"]) == set(cdm.exams["exam_id"])
    out = _run("count", tmp_path / "tl", "--modality", "PT")
    n_pet = int(timeline.loc[(timeline["event_type"] == "exam")
                             & timeline["modality"].str.contains("PT", regex=False), "exam_id"].nunique())
    assert f"(of {len(cdm.patients)} in the timeline)" in out  # every person reached the timeline
    counted = int(out.split("exams:")[1].split()[0])
    assert counted >= n_pet  # the PET exams, and the reports standing for an exam not on it


def test_a_notes_note_event_id_names_its_study(tmp_path):
    """CDM 5.4 NOTE.note_event_id: the procedure (field concept 1147082) or image occurrence of the note."""
    from radlink.linkage import link

    (tmp_path / "person.csv").write_text("person_id,person_source_value,gender_concept_id,year_of_birth\n"
                                         "7,0800123,8532,1950\n")
    (tmp_path / "procedure_occurrence.csv").write_text(
        "procedure_occurrence_id,person_id,procedure_datetime,procedure_source_value\n"
        "31,7,2024-01-02 09:00:00,RADIO THORAX FACE\n32,7,2024-01-02 11:00:00,RADIO THORAX FACE\n")
    (tmp_path / "image_occurrence.csv").write_text(
        "image_occurrence_id,person_id,procedure_occurrence_id,image_occurrence_date,image_study_uid\n"
        "1,7,31,2024-01-02,1.2.3.1\n2,7,32,2024-01-02,1.2.3.2\n")
    (tmp_path / "note.csv").write_text(
        "note_id,person_id,note_datetime,note_title,note_text,note_event_id,note_event_field_concept_id\n"
        "N1,7,2024-01-03 10:00:00,Radio du thorax,Pas d'anomalie.,32,1147082\n"
        "N2,7,2024-01-03 10:00:00,Radio du thorax,Pas d'anomalie.,1,\n"
        "N3,7,2024-01-03 10:00:00,Radio du thorax,Pas d'anomalie.,,\n")
    ds = load_dataset(tmp_path, mapping="omop")
    links = link(ds.patients, ds.exams, reports=ds.reports)
    re_ = links[links["target_type"] == "exam"].set_index("source_id")
    assert re_.loc["N1", "target_id"] == "1.2.3.2" and re_.loc["N1", "method"] == "accession_number"
    assert re_.loc["N2", "target_id"] == "1.2.3.1"
    # without an event id, two same-day radiographs are a true tie
    assert re_.loc["N3", "status"] == "ambiguous"
