"""``radlink count``: known codes only, the whole last day, and the same patients as a pre-filling."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from radlink.cli import main
from radlink.redcap import PrefillMapping, prefill, sources_from_tables
from radlink.redcap.dictionary import DataDictionary
from radlink.timeline.count import (
    CohortCriteria,
    cohort_exams,
    count_cohort,
    resolve_code,
    timeline_exams,
)
from radlink.vocabulary import INDICATION_CATEGORIES, MODALITIES, TRACERS

SAMPLE = Path(__file__).resolve().parents[2] / "data_samples"
T = pd.Timestamp


def _events() -> pd.DataFrame:
    rows = [
        # P1: an FDG PET-CT on the timeline with its report, and a lung-cancer stay
        ("P1", "stay", "S1", "2022-01-01", None, None, None, None, None, "C34.1;R91"),
        ("P1", "exam", "E1", "2022-01-03 09:00", "E1", "R1", "PT", "FDG", "initial_staging", None),
        ("P1", "report", "R1", "2022-01-03 11:00", "E1", "R1", "PT", "FDG", "initial_staging", None),
        # P2: only the report of an FDG PET-CT (its exam never reached the PACS), on 31/12
        ("P2", "report", "R2", "2022-12-31 16:00", None, "R2", "PT", "FDG", "follow_up", None),
        # P3: a CT, a code outside the vocabulary
        ("P3", "exam", "E3", "2023-02-01 08:00", "E3", None, "XA", None, None, None),
    ]
    cols = ["patient_id", "event_type", "event_id", "start", "exam_id", "report_id", "modality",
            "tracer", "indication_category", "diagnoses"]
    ev = pd.DataFrame(rows, columns=cols)
    ev["start"] = pd.to_datetime(ev["start"], format="ISO8601")
    return ev


@pytest.mark.parametrize("criterion, vocabulary", [
    ("modality", MODALITIES), ("tracer", TRACERS), ("indication_category", INDICATION_CATEGORIES)])
def test_unknown_code_is_an_error_listing_the_known_ones(criterion, vocabulary):
    with pytest.raises(ValueError, match=f"unknown {criterion} 'nope'") as exc:
        resolve_code(criterion, "nope")
    assert all(code in str(exc.value) for code in vocabulary)


def test_unknown_code_never_counts_zero_silently():
    with pytest.raises(ValueError, match="unknown modality 'PET'"):
        count_cohort(_events(), CohortCriteria(modality="PET"))
    with pytest.raises(ValueError, match="did you mean initial_staging"):
        count_cohort(_events(), CohortCriteria(indication_category="staging"))


def test_case_and_labels_are_accepted_when_unambiguous_and_said():
    assert resolve_code("tracer", "fdg") == ("FDG", "tracer 'fdg' read as 'FDG'")
    assert resolve_code("modality", "tep") == ("PT", "modality 'tep' read as 'PT'")
    assert resolve_code("indication_category", "Follow_Up")[0] == "follow_up"
    with pytest.raises(ValueError, match="ambiguous: it could be CR or DX"):
        resolve_code("modality", "radiographie")  # the label of two codes


def test_codes_found_in_the_timeline_are_known():
    ev = _events()
    assert count_cohort(ev, CohortCriteria(modality="XA"))["patients"] == 1
    assert count_cohort(ev, CohortCriteria(modality="xa"))["patients"] == 1


def test_a_report_without_its_exam_stands_for_it():
    ex = timeline_exams(_events())
    assert ex["event_id"].tolist() == ["E1", "E3", "R2"]
    assert count_cohort(_events(), CohortCriteria(modality="PT", tracer="FDG")) == {
        "patients": 2, "exams": 2, "patients_in_timeline": 3}


def test_the_last_day_counts_whole():
    ev = _events()
    assert set(cohort_exams(ev, CohortCriteria(end="2022-12-31"))["patient_id"]) == {"P1", "P2"}
    assert set(cohort_exams(ev, CohortCriteria(end="2022-12-31 12:00"))["patient_id"]) == {"P1"}
    assert set(cohort_exams(ev, CohortCriteria(start="2022-12-31"))["patient_id"]) == {"P2", "P3"}
    assert set(cohort_exams(ev, CohortCriteria(cim10="c341"))["patient_id"]) == {"P1"}


# --------------------------------------------------------------------------- command line

@pytest.fixture(scope="module")
def events_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tl")
    _events().to_parquet(out / "timeline.parquet")
    return out


@pytest.mark.parametrize("option, value, known", [
    ("--modality", "PET", "PT (TEP)"), ("--tracer", "F-DG", "FDG"), ("--indication", "staging", "initial_staging")])
def test_command_refuses_an_unknown_code(events_dir, option, value, known):
    res = CliRunner().invoke(main, ["count", str(events_dir), option, value])
    assert res.exit_code == 2
    assert f"Invalid value for '{option}'" in res.output and known in res.output
    assert "patients:" not in res.output


def test_command_says_how_it_read_a_code(events_dir):
    res = CliRunner().invoke(main, ["count", str(events_dir), "--tracer", "fdg", "--to", "31/12/2022"])
    assert res.exit_code == 0, res.output
    assert "tracer 'fdg' read as 'FDG'" in res.output
    assert "Criteria: tracer=FDG, end=2022-12-31" in res.output
    assert "patients: 2 (of 3" in res.output


# --------------------------------------------------------------------------- count == prefill

def _prefill_patients(timeline: pd.DataFrame, crit: CohortCriteria) -> set[str]:
    """The patients a pre-filling finds with the same criteria, as a project would write them."""
    where = {k: getattr(crit, k) for k in ("modality", "tracer", "indication_category") if getattr(crit, k)}
    select = {"pets": {"source": "exam", "where": where}}
    if crit.start:
        select["pets"]["after"] = crit.start
    if crit.end:
        select["pets"]["before"] = str((T(crit.end) + pd.Timedelta(days=1)).date())
    fields = {"n_pet": {"from": "pets", "aggregate": "count"}}
    if crit.cim10:
        select["c34"] = {"source": "stay", "where": {"diagnoses": f"{crit.cim10}*"}}
        fields["c34_stay"] = {"from": "c34", "aggregate": "any"}
    dd = DataDictionary.from_rows(
        [{"field_name": "record_id", "form_name": "f", "field_type": "text"}]
        + [{"field_name": f, "form_name": "f", "field_type": "text"} for f in fields])
    mapping = PrefillMapping.from_dict({"record": {"only_with": "pets"}, "select": select, "fields": fields})
    records = prefill(sources_from_tables(timeline), dd, mapping).records
    if crit.cim10:
        records = records[records["c34_stay"].astype(str) == "1"]
    return set(records["record_id"].astype(str))


@pytest.fixture(scope="module")
def sample_timeline() -> pd.DataFrame:
    if not (SAMPLE / "exams.parquet").exists():
        pytest.skip("data_samples has no generated tables")
    from radlink.dataset import load_dataset
    from radlink.timeline.job import build_timeline

    return build_timeline(load_dataset(SAMPLE)).timeline


@pytest.mark.parametrize("crit", [
    CohortCriteria(modality="PT", tracer="FDG"),
    CohortCriteria(modality="PT", tracer="FDG", cim10="C34"),
    CohortCriteria(modality="PT", tracer="FDG", indication_category="initial_staging"),
    CohortCriteria(modality="PT", tracer="FDG", end="2022-12-31"),
    CohortCriteria(modality="CT", start="2019-01-01", end="2021-06-30", cim10="C34"),
])
def test_count_and_prefill_find_the_same_patients_on_the_sample(sample_timeline, crit):
    counted = set(cohort_exams(sample_timeline, crit)["patient_id"].astype(str))
    assert counted, crit  # a criterion that finds nobody would prove nothing
    assert counted == _prefill_patients(sample_timeline, crit)


def test_the_sample_reports_without_exam_are_counted(sample_timeline):
    """The cause of issue 15's 28-vs-29: an FDG PET-CT known only from its report."""
    crit = CohortCriteria(modality="PT", tracer="FDG")
    exam_events = sample_timeline[sample_timeline["event_type"] == "exam"]
    only_events = set(exam_events[(exam_events["modality"] == "PT") & (exam_events["tracer"] == "FDG")]
                      ["patient_id"])
    counted = set(cohort_exams(sample_timeline, crit)["patient_id"])
    assert only_events < counted
