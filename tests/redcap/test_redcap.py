"""Tests of REDCap pre-filling: dictionary, mapping, records, validation, files, upload."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import pytest
from click.testing import CliRunner

from radlink.cli import main
from radlink.errors import (
    MissingDependencyError,
    RedcapDictionaryError,
    RedcapMappingError,
    RedcapUploadError,
    RedcapValidationError,
)
from radlink.outputs import write_parquet
from radlink.redcap import (
    DataDictionary,
    PrefillMapping,
    find_problems,
    prefill,
    read_dictionary,
    read_mapping,
    sources_from_tables,
    upload,
    write_import,
)
from radlink.redcap.dictionary import METADATA_KEYS, parse_choices
from radlink.redcap.export import format_value, provenance_path_for
from radlink.redcap.mapping import DateBound
from radlink.redcap.validate import check_value, mapping_problems

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DD = ROOT / "data_samples" / "redcap" / "lung_pet_dictionary.csv"
SAMPLE_MAP = ROOT / "data_samples" / "redcap" / "lung_pet_map.toml"
TOKEN = "0123456789ABCDEF0123456789ABCDEF"
T = pd.Timestamp


# --------------------------------------------------------------------------- fixtures

def _event(pid, kind, eid, start, **kw):
    row = dict(patient_id=pid, event_type=kind, event_id=eid, start=T(start), end=pd.NaT,
               stay_id=None, exam_id=None, report_id=None, label="", modality=None,
               max_suvmax=None, indication_category=None, link_status="linked", link_score=None,
               tracer=None, diagnoses=None)
    row.update(kw)
    return row


def timeline_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Three patients: PX1 staged by PET (3 lesions, a C34 stay), PX2 CT only, PX3 a PET
    report whose exam is not on the timeline."""
    pet = dict(modality="PT", tracer="FDG", label="TEP-TDM FDG")
    tl = pd.DataFrame([
        _event("PX1", "stay", "S1", "2024-02-01", end=T("2024-02-05"), stay_id="S1",
               label="Hospitalisation PNEUMO", diagnoses="J18;C341"),
        _event("PX1", "exam", "E1", "2024-02-03 10:00", stay_id="S1", exam_id="E1", report_id="R1",
               max_suvmax=12.4, indication_category="initial_staging", **pet),
        _event("PX1", "report", "R1", "2024-02-03 16:00", stay_id="S1", exam_id="E1", report_id="R1",
               max_suvmax=12.4, indication_category="initial_staging", **pet),
        _event("PX1", "exam", "E2", "2024-06-10 09:00", exam_id="E2", report_id="R2", max_suvmax=3.1,
               indication_category="response_assessment", **pet),
        _event("PX2", "exam", "E3", "2024-03-01 09:00", exam_id="E3", modality="CT", label="TDM"),
        _event("PX3", "report", "R4", "2024-04-02 11:00", report_id="R4", max_suvmax=5.0,
               indication_category="suspected_recurrence", link_status="unlinked", **pet),
    ])
    facts = pd.DataFrame([
        dict(report_id="R1", modality="PT", tracer="FDG", indication="Bilan d'un nodule du LSD.",
             indication_category="initial_staging", dose_mbq=250.0, glycemia=0.95, glycemia_unit="g/L",
             injection_delay_min=62.0, max_suvmax=12.4, n_lesions=3.0, conclusion="Nodule LSD."),
        dict(report_id="R2", modality="PT", tracer="FDG", indication="Evaluation.",
             indication_category="response_assessment", dose_mbq=240.0, glycemia=1.1,
             glycemia_unit="g/L", injection_delay_min=60.0, max_suvmax=3.1, n_lesions=1.0,
             conclusion="Réponse."),
        dict(report_id="R4", modality="PT", tracer="FDG", indication="Suspicion.",
             indication_category="suspected_recurrence", dose_mbq=None, glycemia=None,
             glycemia_unit=None, injection_delay_min=None, max_suvmax=5.0, n_lesions=1.0,
             conclusion="Récidive probable."),
    ])

    def finding(fid, rid, site, suv, *, kind="lesion", lat=None, size=None, neg=False, hyp=False, pos=0):
        return dict(report_id=rid, finding_id=fid, kind=kind, site=site, laterality=lat, size_mm=size,
                    suvmax=suv, previous_suvmax=None, negated=neg, hypothesis=hyp, section="results",
                    start=pos, end=pos + 10, snippet=f"snippet {fid}")

    findings = pd.DataFrame([
        finding("F1", "R1", "lung_upper_lobe", 12.4, lat="right", size=23.0, pos=10),
        finding("F2", "R1", "ln_subcarinal", 6.2, size=12.5, hyp=True, pos=50),
        finding("F3", "R1", "liver", None, neg=True, pos=90),
        finding("F4", "R1", "mediastinal_blood_pool", 2.1, kind="reference", pos=110),
        finding("F5", "R1", "rib", 4.0, lat="left", pos=130),
        finding("F6", "R2", "lung_upper_lobe", 3.1, lat="right", size=15.0, pos=10),
    ])
    return tl, facts, findings


def write_outdir(path: Path, *, pseudonymised: bool = True) -> Path:
    tl, facts, findings = timeline_tables()
    path.mkdir(parents=True, exist_ok=True)
    write_parquet(tl, path / "timeline.parquet")
    write_parquet(facts, path / "report_facts.parquet")
    write_parquet(findings, path / "findings.parquet")
    (path / "manifest.json").write_text(json.dumps({"pseudonymised": pseudonymised}))
    return path


@pytest.fixture
def outdir(tmp_path):
    return write_outdir(tmp_path / "tl")


@pytest.fixture(scope="module")
def sample_dd():
    return read_dictionary(SAMPLE_DD)


@pytest.fixture(scope="module")
def sample_map():
    return read_mapping(SAMPLE_MAP)


@pytest.fixture
def result(outdir, sample_dd, sample_map):
    return prefill(outdir, sample_dd, sample_map)


def tiny_dd() -> DataDictionary:
    rows = [
        ("record_id", "pet", "text", "", "", "", ""),
        ("pet_date", "pet", "text", "", "date_ymd", "2000-01-01", "2030-12-31"),
        ("pet_when", "pet", "text", "", "datetime_dmy", "", ""),
        ("pet_suv", "pet", "text", "", "number", "0", "40"),
        ("pet_n", "pet", "text", "", "integer", "0", "50"),
        ("pet_ind", "pet", "radio", "1, Bilan | 2, Suivi", "", "", ""),
        ("pet_sites", "pet", "checkbox", "1, Poumon | 2, Os", "", "", ""),
        ("pet_bmi", "pet", "calc", "[w]/[h]^2", "", "", ""),
        ("les_site", "lesions", "dropdown", "1, Poumon | 2, Os", "", "", ""),
        ("les_suv", "lesions", "text", "", "number_1dp", "", ""),
    ]
    keys = ("field_name", "form_name", "field_type", "select_choices_or_calculations",
            "text_validation_type_or_show_slider_number", "text_validation_min", "text_validation_max")
    return DataDictionary.from_rows([dict(zip(keys, r, strict=True)) for r in rows])


def good_rows() -> pd.DataFrame:
    return pd.DataFrame([
        {"record_id": "A1", "redcap_repeat_instrument": "", "redcap_repeat_instance": "",
         "pet_date": "2024-02-03", "pet_suv": "12.4", "pet_n": "3", "pet_ind": "1",
         "pet_sites___1": "1", "pet_sites___2": "0", "pet_complete": "0", "les_site": "", "les_suv": "",
         "lesions_complete": ""},
        {"record_id": "A1", "redcap_repeat_instrument": "lesions", "redcap_repeat_instance": "1",
         "pet_date": "", "pet_suv": "", "pet_n": "", "pet_ind": "", "pet_sites___1": "",
         "pet_sites___2": "", "pet_complete": "", "les_site": "2", "les_suv": "4.0",
         "lesions_complete": "0"},
    ])


def main_row(result, record: str) -> pd.Series:
    rec = result.records
    return rec[(rec.record_id == record) & (rec.redcap_repeat_instrument == "")].iloc[0]


def problems_of(rows: pd.DataFrame, **kw) -> list[tuple[str, str, str]]:
    kw.setdefault("repeating", {"lesions"})
    kw.setdefault("name_records", True)
    return [(p.record, p.field, p.problem) for p in find_problems(rows, tiny_dd(), **kw)]


# --------------------------------------------------------------------------- dictionary

class TestDictionary:
    def test_sample(self, sample_dd):
        assert sample_dd.record_id == "record_id"
        assert sample_dd.forms == ("patient", "staging_pet", "lesions")
        assert sample_dd["pet_indication"].choices["9"] == "Autre"
        assert sample_dd["lung_cancer_stay"].choices == {"1": "Yes", "0": "No"}
        assert sample_dd["pet_sites"].export_columns()[0] == "pet_sites___1"
        assert sample_dd["pet_date"].validation == "date_ymd"
        assert sample_dd["pet_date"].required and sample_dd["pet_suvmax"].max == "100"

    def test_choices(self):
        assert parse_choices("1, Oui | 2, Non") == {"1": "Oui", "2": "Non"}
        assert parse_choices("A, x, y|B,z") == {"A": "x, y", "B": "z"}
        with pytest.raises(RedcapDictionaryError, match="code, label"):
            parse_choices("1 Oui | 2, Non")
        with pytest.raises(RedcapDictionaryError, match="twice"):
            parse_choices("1, Oui | 1, Non")

    def test_api_metadata_headers(self, tmp_path):
        p = tmp_path / "dd.csv"
        p.write_text(",".join(METADATA_KEYS) + "\nid,f,,text" + "," * 14 + "\n", encoding="utf-8")
        assert read_dictionary(p).record_id == "id"

    @pytest.mark.parametrize("content, match", [
        ("a,b\n1,2\n", "no column for"),
        ("Variable / Field Name,Form Name,Field Type\nid,f,texte\n", "unknown field type"),
        ("Variable / Field Name,Form Name,Field Type\nid,f,text\nid,f,text\n", "defined twice"),
        ("Variable / Field Name,Form Name,Field Type\nid,f,text\nx,f,radio\n", "needs choices"),
    ])
    def test_bad_dictionary(self, tmp_path, content, match):
        p = tmp_path / "dd.csv"
        p.write_text(content, encoding="utf-8")
        with pytest.raises(RedcapDictionaryError, match=match):
            read_dictionary(p)

    def test_missing_file(self, tmp_path):
        with pytest.raises(RedcapDictionaryError, match="does not exist"):
            read_dictionary(tmp_path / "nope.csv")


# --------------------------------------------------------------------------- mapping

class TestMapping:
    def test_sample(self, sample_map):
        assert sample_map.repeating_instruments == {"lesions"}
        assert sample_map.only_with == "fdg_pets"
        assert sample_map.selection_order().index("staging_pet") < sample_map.selection_order().index("staging_lesions")
        sites = next(r for r in sample_map.fields if r.field == "pet_sites")
        assert sites.codes["rib"] == "7" and sites.otherwise == "9"

    def test_yaml_is_equivalent(self, tmp_path, sample_map):
        yaml = pytest.importorskip("yaml")
        try:
            import tomllib
        except ImportError:  # Python 3.10
            import tomli as tomllib

        doc = tomllib.loads(SAMPLE_MAP.read_text(encoding="utf-8"))
        p = tmp_path / "map.yaml"
        p.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        assert read_mapping(p) == PrefillMapping.from_dict(doc, source=repr(str(p)))
        assert read_mapping(p).fields == sample_map.fields

    def test_date_bounds(self):
        assert DateBound.parse("surgery - 30 days", "x") == DateBound(None, "surgery", -30)
        assert DateBound.parse("2025-01-01 + 1 day", "x") == DateBound(T("2025-01-01"), None, 1)
        with pytest.raises(RedcapMappingError, match="select.x.before"):
            DateBound.parse("after lunch", "select.x.before")

    @pytest.mark.parametrize("doc, match", [
        ({"fields": {"a": {"from": "nope", "value": "date"}}}, "unknown selection 'nope'"),
        ({"select": {"s": {"source": "exam"}}, "fields": {"a": {"from": "s", "value": "suv"}}},
         "exam rows have no column 'suv'"),
        ({"select": {"s": {"source": "pacs"}}}, "select.s.source"),
        ({"select": {"s": {"source": "exam", "pick": "best"}}}, "select.s.pick"),
        ({"select": {"s": {"source": "exam", "colour": 1}}}, "unknown key 'colour'"),
        ({"select": {"s": {"source": "exam", "before": "t"}, "t": {"source": "exam", "after": "s"}}}, "cycle"),
        ({"select": {"s": {"source": "exam", "of": "s"}}}, "findings of an exam selection"),
        ({"fields": {"a": {"const": 1, "from": "s"}}}, "drop 'from'"),
        ({"select": {"s": {"source": "exam"}}, "fields": {"a": {"from": "s"}}}, "give 'value'"),
        ({"select": {"s": {"source": "exam"}}, "fields": {"a": {"from": "s", "value": "date",
                                                                "aggregate": "mean"}}}, "aggregate"),
        ({"select": {"s": {"source": "exam"}}, "fields": {"a": {"from": "s", "value": "tracer",
                                                                "codes": {"FDG": 1.5}}}}, "codes.FDG"),
        ({"select": {"s": {"source": "exam"}}, "repeat": {"les": {"from": "s"}}}, "no field to fill"),
    ])
    def test_malformed(self, doc, match):
        with pytest.raises(RedcapMappingError, match=match):
            PrefillMapping.from_dict(doc)

    def test_bad_toml(self, tmp_path):
        p = tmp_path / "m.toml"
        p.write_text("[select.s\n", encoding="utf-8")
        with pytest.raises(RedcapMappingError, match="not valid TOML"):
            read_mapping(p)


# --------------------------------------------------------------------------- formatting

class TestFormatting:
    @pytest.mark.parametrize("validation, expected", [
        ("date_ymd", "2024-03-01"), ("date_dmy", "01/03/2024"), ("date_mdy", "03/01/2024"),
        ("datetime_ymd", "2024-03-01 09:05"), ("datetime_dmy", "01/03/2024 09:05"),
        ("datetime_seconds_ymd", "2024-03-01 09:05:07"),
    ])
    def test_dates_follow_the_validation(self, validation, expected):
        fld = tiny_dd()["pet_date"].__class__("d", "f", "text", validation=validation)
        assert format_value(fld, T("2024-03-01 09:05:07")) == expected
        assert check_value(fld, expected) is None

    def test_numbers(self):
        fld = tiny_dd()["pet_n"]
        assert format_value(fld, 3.0) == "3"
        assert format_value(tiny_dd()["pet_suv"], 12.0) == "12"
        assert format_value(tiny_dd()["pet_suv"], 0.1 + 0.2) == "0.30000000000000004"
        assert format_value(tiny_dd()["les_suv"], 4) == "4"
        assert format_value(tiny_dd()["les_suv"], 4.0) == "4.0"
        assert format_value(tiny_dd()["pet_ind"], 2.0) == "2"
        assert format_value(tiny_dd()["pet_n"], None) is None

    def test_written_integers_have_no_decimal(self, result, tmp_path):
        path, _ = write_import(result, tmp_path / "import.csv")
        text = path.read_text(encoding="utf-8")
        back = pd.read_csv(path, dtype=str, keep_default_na=False)
        row = back[back["redcap_repeat_instrument"] == ""].iloc[0]
        assert row["pet_delay_min"] == "62" and row["pet_n_lesions"] == "3" and row["pet_dose_mbq"] == "250"
        assert ",62.0," not in text and row["pet_date"] == "2024-02-03"


# --------------------------------------------------------------------------- validation

class TestValidation:
    def test_good_rows(self):
        assert problems_of(good_rows()) == []

    def _one(self, rows, **kw):
        found = problems_of(rows, **kw)
        assert len(found) == 1, found
        return found[0]

    def test_unknown_field(self):
        rows = good_rows().assign(pet_colour=["blue", ""])
        assert self._one(rows) == ("A1", "pet_colour", "unknown field: not in the data dictionary")
        rows = good_rows().assign(pet_colour="")
        assert self._one(rows)[0] == "every record"

    def test_value_outside_choices(self):
        rows = good_rows()
        rows.loc[0, "pet_ind"] = "Bilan"
        rec, fld, problem = self._one(rows)
        assert (rec, fld) == ("A1", "pet_ind") and "raw codes, not labels" in problem

    def test_free_text_is_never_quoted(self):
        rows = good_rows()
        rows.loc[0, "pet_ind"] = "Nodule du lobe supérieur droit chez M. Dupont"
        rec, fld, problem = self._one(rows)
        assert problem.startswith("a free-text value is not one of its codes") and "Dupont" not in problem

    def test_checkbox_code_and_value(self):
        assert self._one(good_rows().assign(pet_sites___7=["1", ""]))[1:] == (
            "pet_sites", "code '7' is not one of its choices (1, 2)")
        rows = good_rows()
        rows.loc[0, "pet_sites___2"] = "yes"
        assert "0 or 1" in self._one(rows)[2]
        assert "one column per choice" in self._one(good_rows().assign(pet_sites=["1", ""]))[2]

    @pytest.mark.parametrize("value, problem", [
        ("03/02/2024", "not a date in YYYY-MM-DD form"),
        ("2024-02-30", "not a date in YYYY-MM-DD form"),
        ("1999-12-31", "date before the minimum 2000-01-01"),
        ("2031-01-01", "date after the maximum 2030-12-31"),
    ])
    def test_dates(self, value, problem):
        rows = good_rows()
        rows.loc[0, "pet_date"] = value
        assert self._one(rows) == ("A1", "pet_date", problem)

    def test_datetime(self):
        rows = good_rows().assign(pet_when=["2024-02-03 10:00", ""])
        assert self._one(rows)[2] == "not a date in DD/MM/YYYY HH:MM form"

    @pytest.mark.parametrize("column, value, problem", [
        ("pet_suv", "41", "number 41 above the maximum 40"),
        ("pet_suv", "-1", "number -1 below the minimum 0"),
        ("pet_suv", "12,4", "'12,4' is not a number"),
        ("pet_n", "3.0", "'3.0' is not an integer"),
        ("pet_n", "51", "number 51 above the maximum 50"),
    ])
    def test_numbers(self, column, value, problem):
        rows = good_rows()
        rows.loc[0, column] = value
        assert self._one(rows) == ("A1", column, problem)

    def test_number_decimals(self):
        rows = good_rows()
        rows.loc[1, "les_suv"] = "4"
        assert self._one(rows) == ("A1", "les_suv", "'4' is not a number with 1 decimal")

    def test_field_on_wrong_repeating_instrument(self):
        rows = good_rows()
        rows.loc[0, "les_site"] = "1"  # repeating form's field on the non-repeating row
        rows.loc[1, "pet_n"] = "2"  # non-repeating form's field on a lesions row
        found = problems_of(rows)
        assert ("A1", "les_site", "field of repeating instrument 'lesions' filled on the record's "
                "non-repeating row") in found
        assert ("A1", "pet_n", "field of form 'pet' (not repeating) filled on a repeating "
                "instrument's row") in found
        assert len(found) == 2

    def test_undeclared_repeating_instrument(self):
        found = problems_of(good_rows(), repeating=set())
        assert ("A1", "redcap_repeat_instrument", "this instrument is not repeating (declare it "
                "under [repeat.<instrument>] in the mapping)") in found
        rows = good_rows()
        rows.loc[1, "redcap_repeat_instance"] = "0"
        assert self._one(rows)[1] == "redcap_repeat_instance"

    def test_missing_record_id(self):
        rows = good_rows()
        rows.loc[1, "record_id"] = ""
        assert self._one(rows) == ("row 2", "record_id", "the record id is empty")
        assert problems_of(good_rows().drop(columns="record_id"))[0][1:] == (
            "record_id", "the record id field is missing: it must be the first column")
        moved = good_rows()[["pet_date"] + [c for c in good_rows().columns if c != "pet_date"]]
        assert "must be the first column" in self._one(moved)[2]

    def test_duplicates_events_and_not_importable(self):
        rows = pd.concat([good_rows(), good_rows().iloc[[1]]], ignore_index=True)
        assert "duplicate row" in self._one(rows)[2]
        rows = good_rows().assign(redcap_event_name=["baseline_arm_1", ""])
        assert self._one(rows)[1] == "redcap_event_name"
        rows = good_rows().assign(pet_bmi=["22", ""])
        assert self._one(rows)[2] == "a calc field cannot be imported"

    def test_records_named_by_row_unless_pseudonyms(self):
        rows = good_rows()
        rows.loc[0, "pet_ind"] = "9"
        assert problems_of(rows, name_records=False)[0][0] == "row 1"

    def test_error_message_lists_field_and_records(self):
        rows = pd.concat([good_rows().iloc[[0]]] * 7, ignore_index=True)
        rows["record_id"] = [f"A{i}" for i in range(7)]
        rows["pet_ind"] = "Bilan"
        err = RedcapValidationError(find_problems(rows, tiny_dd(), repeating={"lesions"}, name_records=True))
        assert "7 problems" in str(err) and "field 'pet_ind', records A0, A1, A2, A3, A4 and 2 more" in str(err)

    def test_mapping_problems(self, sample_dd):
        doc = {"select": {"s": {"source": "exam"}, "l": {"source": "finding"}},
               "fields": {"pet_colour": {"from": "s", "value": "label"},
                          "pet_indication": {"from": "s", "value": "indication_category",
                                             "codes": {"initial_staging": 7}},
                          "lesion_site": {"from": "s", "value": "label"},
                          "record_id": {"const": "x"}},
               "repeat": {"lesions": {"from": "l", "fields": {"pet_suvmax": {"value": "suvmax"}}},
                          "nodules": {"from": "l", "fields": {"x": {"value": "site"}}}}}
        found = {(p.field, p.problem.split(":")[0]) for p in mapping_problems(PrefillMapping.from_dict(doc), sample_dd)}
        assert found == {
            ("pet_colour", "unknown field"),
            ("pet_indication", "code '7' in fields.pet_indication is not one of its codes (1, 2, 3, 4, 5, 9)"),
            ("lesion_site", "field of repeating instrument 'lesions'"),
            ("record_id", "the record id is set from the patient id; do not map it"),
            ("pet_suvmax", "field of form 'staging_pet' mapped on repeating instrument 'lesions'"),
            ("redcap_repeat_instrument", "unknown instrument 'nodules' in [repeat.nodules]"),
        }

    def test_prefill_raises_and_writes_nothing(self, outdir, sample_dd, tmp_path):
        doc = {"select": {"s": {"source": "exam", "where": {"modality": "PT"}}},
               "fields": {"pet_indication": {"from": "s", "value": "indication_category"}}}
        with pytest.raises(RedcapValidationError) as info:
            prefill(outdir, sample_dd, PrefillMapping.from_dict(doc))
        msg = str(info.value)
        assert "field 'pet_indication', record PX1: 'initial_staging' is not one of its codes" in msg
        assert "field 'pet_indication', record PX3: 'suspected_recurrence' is not" in msg
        assert "raw codes, not labels" in msg and "nothing written" in msg
        assert list(tmp_path.rglob("*.csv")) == []

    def test_write_import_validates_first(self, result, tmp_path):
        result.records.loc[0, "pet_indication"] = "Bilan"
        with pytest.raises(RedcapValidationError):
            write_import(result, tmp_path / "out" / "import.csv")
        assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- prefill

class TestPrefill:
    def test_records_and_columns(self, result, sample_dd):
        rec = result.records
        assert list(rec.columns[:3]) == ["record_id", "redcap_repeat_instrument", "redcap_repeat_instance"]
        assert "redcap_event_name" not in rec.columns
        assert set(rec["record_id"]) == {"PX1", "PX3"}  # only_with: patients with an FDG PET
        assert result.summary["patients"] == 3 and result.summary["records"] == 2
        main_row = rec[(rec.record_id == "PX1") & (rec.redcap_repeat_instrument == "")].iloc[0]
        assert main_row[["n_pet_fdg", "first_pet_date", "lung_cancer_stay", "first_c34_stay_date"]].tolist() == [
            "2", "2024-02-03", "1", "2024-02-01"]
        assert main_row[["pet_date", "pet_indication", "pet_suvmax", "pet_glycemia"]].tolist() == [
            "2024-02-03", "1", "12.4", "0.95"]
        assert (rec.map(lambda v: v.endswith(".0")) == False).all().all()  # noqa: E712
        assert find_problems(rec, sample_dd, repeating={"lesions"}) == []

    def test_lone_report_and_any_count_zero(self, result):
        px3 = result.records[result.records.record_id == "PX3"].iloc[0]
        assert px3[["n_pet_fdg", "first_pet_date", "lung_cancer_stay", "first_c34_stay_date", "pet_date"]].tolist() == [
            "1", "2024-04-02", "0", "", ""]

    def test_repeating_instances(self, result):
        les = result.records[result.records.redcap_repeat_instrument == "lesions"]
        assert les["record_id"].tolist() == ["PX1"] * 3
        assert les["redcap_repeat_instance"].tolist() == ["1", "2", "3"]
        # affirmed lesions only (negated liver and reference blood pool left out), by SUVmax
        assert les[["lesion_site", "lesion_suvmax", "lesion_size_mm", "lesion_laterality", "lesion_suspected"]].values.tolist() == [
            ["1", "12.4", "23", "2", "0"], ["2", "6.2", "12.5", "", "1"], ["7", "4", "", "1", "0"]]
        assert (les["lesions_complete"] == "0").all() and (les["staging_pet_complete"] == "").all()
        assert (les["n_pet_fdg"] == "").all()
        assert result.summary["instances"] == {"lesions": 3}

    def test_checkbox_expansion(self, result):
        sites = [f"pet_sites___{i}" for i in range(1, 10)]
        assert main_row(result, "PX1")[sites].tolist() == ["1", "1", "0", "0", "0", "0", "1", "0", "0"]
        assert main_row(result, "PX3")[sites].tolist() == [""] * 9  # not filled: blank, not 0

    def test_form_complete_is_incomplete(self, result):
        done = ["patient_complete", "staging_pet_complete"]
        assert main_row(result, "PX1")[done].tolist() == ["0", "0"]
        assert main_row(result, "PX3")[done].tolist() == ["0", ""]

    def test_provenance(self, result):
        prov = result.provenance
        assert list(prov.columns[:6]) == ["record", "redcap_event_name", "redcap_repeat_instrument",
                                          "redcap_repeat_instance", "field", "value"]
        suv = prov[(prov.field == "pet_suvmax")].iloc[0]
        assert suv[["record", "value", "source_type", "source_id", "exam_id", "report_id", "snippet"]].tolist() == [
            "PX1", "12.4", "exam", "E1", "E1", "R1", "snippet F1"]
        ind = prov[prov.field == "pet_indication"].iloc[0]
        assert ind["snippet"] == "Bilan d'un nodule du LSD." and ind["rule"] == "fields.pet_indication"
        les = prov[(prov.field == "lesion_site") & (prov.redcap_repeat_instance == "2")].iloc[0]
        assert les[["source_type", "source_id", "value", "snippet"]].tolist() == ["finding", "F2", "2", "snippet F2"]
        count = prov[(prov.field == "n_pet_fdg") & (prov.record == "PX1")].iloc[0]
        assert count["source_id"] == "E1;E2"
        sites = prov[(prov.field == "pet_sites")]
        assert sites[["value", "source_id"]].values.tolist() == [["1", "F1"], ["2", "F2"], ["7", "F5"]]
        # one provenance row per filled value
        filled = sum((result.records[c] != "").sum() for c in result.records.columns
                     if not c.startswith(("record_id", "redcap_", "pet_sites___")) and not c.endswith("_complete"))
        assert len(prov) == filled + len(sites)

    def test_selection_bounds_relative_and_prefix(self, outdir, sample_dd):
        doc = {
            "select": {
                "staging": {"source": "exam", "where": {"modality": "PT"}, "pick": "first"},
                "later": {"source": "exam", "where": {"modality": ["PT", "CT"]}, "after": "staging + 1 day",
                          "pick": "last"},
                "c34": {"source": "stay", "where": {"diagnoses": "C34*"}, "before": "staging"},
            },
            "fields": {"pet_date": {"from": "later", "value": "date"},
                       "lung_cancer_stay": {"from": "c34", "aggregate": "any"},
                       "n_pet_fdg": {"const": 5}},
        }
        res = prefill(outdir, sample_dd, PrefillMapping.from_dict(doc))
        rows = res.records.set_index("record_id")
        assert rows.loc["PX1", ["pet_date", "lung_cancer_stay", "n_pet_fdg"]].tolist() == ["2024-06-10", "1", "5"]
        assert rows.loc["PX2", ["pet_date", "lung_cancer_stay"]].tolist() == ["", "0"]
        assert "redcap_repeat_instrument" not in res.records.columns

    def test_longitudinal_and_max_aggregate(self, outdir, sample_dd):
        doc = {"record": {"event": "baseline_arm_1"},
               "select": {"pets": {"source": "exam", "where": {"modality": "PT"}, "pick": "all"}},
               "fields": {"pet_suvmax": {"from": "pets", "value": "max_suvmax", "aggregate": "max"},
                          "pet_date": {"from": "pets", "value": "date", "aggregate": "last"}}}
        res = prefill(outdir, sample_dd, PrefillMapping.from_dict(doc))
        assert list(res.records.columns[:2]) == ["record_id", "redcap_event_name"]
        px1 = res.records.set_index("record_id").loc["PX1"]
        assert px1[["redcap_event_name", "pet_suvmax", "pet_date"]].tolist() == ["baseline_arm_1", "12.4", "2024-06-10"]

    def test_pandas_tables_in(self, sample_dd, sample_map):
        res = prefill(sources_from_tables(*timeline_tables()), sample_dd, sample_map)
        assert len(res.records) == 5

    def test_ids_not_pseudonyms_are_not_named(self, tmp_path, sample_dd):
        out = write_outdir(tmp_path / "plain", pseudonymised=False)
        doc = {"select": {"s": {"source": "exam", "where": {"modality": "PT"}}},
               "fields": {"pet_indication": {"from": "s", "value": "indication_category"}}}
        with pytest.raises(RedcapValidationError) as info:
            prefill(out, sample_dd, PrefillMapping.from_dict(doc))
        assert "PX1" not in str(info.value) and "row 1" in str(info.value)


# --------------------------------------------------------------------------- files and CLI

class TestWriteImport:
    def test_files(self, result, tmp_path):
        path, prov = write_import(result, tmp_path / "sub" / "import.csv")
        assert prov == provenance_path_for(path) == tmp_path / "sub" / "import_provenance.csv"
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header[0] == "record_id" and "pet_sites___9" in header
        back = pd.read_csv(path, dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(back, result.records.reset_index(drop=True), check_dtype=False)
        assert len(pd.read_csv(prov)) == len(result.provenance)
        assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["import.csv", "import_provenance.csv"]


class TestCli:
    def test_prefill_dry_run(self, outdir, tmp_path):
        out = tmp_path / "import.csv"
        res = CliRunner().invoke(main, ["redcap-prefill", str(outdir), "--dictionary", str(SAMPLE_DD),
                                        "--mapping", str(SAMPLE_MAP), "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert "2 records of 3 patients, 5 rows" in res.output and "Dry run: nothing sent" in res.output
        assert out.is_file() and (tmp_path / "import_provenance.csv").is_file()

    def test_help_and_usage(self, outdir, tmp_path):
        res = CliRunner().invoke(main, ["redcap-prefill", "--help"])
        assert res.exit_code == 0 and "--upload" in res.output and "REDCAP_API_TOKEN" in res.output
        res = CliRunner().invoke(main, ["redcap-prefill", str(outdir), "-d", str(SAMPLE_DD), "-m",
                                        str(SAMPLE_MAP), "-o", str(tmp_path / "i.csv"), "--upload"])
        assert res.exit_code == 2 and "--api-url" in res.output

    def test_error_exit(self, outdir, tmp_path):
        bad = tmp_path / "bad.toml"
        bad.write_text('[fields.pet_colour]\nconst = 1\n', encoding="utf-8")
        res = CliRunner().invoke(main, ["redcap-prefill", str(outdir), "-d", str(SAMPLE_DD), "-m", str(bad),
                                        "-o", str(tmp_path / "i.csv")])
        assert res.exit_code == 1 and "unknown field" in res.output
        assert not (tmp_path / "i.csv").exists()


# --------------------------------------------------------------------------- upload against a stub

class StubRedcap:
    """A REDCap API stand-in on loopback: metadata, exportFieldNames and record import.

    It checks an import the way REDCap does, independently of radlink's validator:
    the record id first, known columns only, raw codes in choice fields, 0/1 checkbox
    columns, repeating instruments and instance numbers, dates in the sent dateFormat.
    """

    def __init__(self, dictionary_csv: Path, repeating: set[str], token: str = TOKEN):
        with dictionary_csv.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))[1:]
        self.metadata = [dict(zip(METADATA_KEYS, r, strict=True)) for r in rows]
        self.repeating = repeating
        self.token = token
        self.imported: list[dict[str, str]] = []
        self.calls: list[str] = []
        self.refuse: str | None = None

    # -- REDCap's views of its dictionary
    def choices(self, meta):
        if meta["field_type"] in ("yesno", "truefalse"):
            return ["1", "0"]
        return [c.split(",", 1)[0].strip() for c in meta["select_choices_or_calculations"].split("|")]

    def export_field_names(self):
        names = []
        for m in self.metadata:
            if m["field_type"] == "checkbox":
                names += [{"original_field_name": m["field_name"], "choice_value": c,
                           "export_field_name": f"{m['field_name']}___{c}"} for c in self.choices(m)]
            elif m["field_type"] != "descriptive":
                names.append({"original_field_name": m["field_name"], "choice_value": "",
                              "export_field_name": m["field_name"]})
        return names

    def check_import(self, data: str, date_format: str) -> list[str]:
        reader = csv.DictReader(io.StringIO(data))
        header = reader.fieldnames or []
        errors = []
        if not header or header[0] != self.metadata[0]["field_name"]:
            errors.append("The first column must be the record ID field")
        meta = {m["field_name"]: m for m in self.metadata}
        forms = {m["form_name"] for m in self.metadata}
        known = {n["export_field_name"] for n in self.export_field_names()}
        known |= {f"{f}_complete" for f in forms} | {"redcap_repeat_instrument", "redcap_repeat_instance"}
        errors += [f"The following fields do not exist: {c}" for c in header if c not in known]
        date_re = {"YMD": r"^\d{4}-\d{2}-\d{2}$", "DMY": r"^\d{2}/\d{2}/\d{4}$"}[date_format]
        for row in reader:
            rid = row[header[0]]
            instr, inst = row.get("redcap_repeat_instrument", ""), row.get("redcap_repeat_instance", "")
            if instr and (instr not in self.repeating or not inst.isdigit()):
                errors.append(f"{rid}: bad repeating instrument or instance")
            for col, value in row.items():
                if not value or col not in known or col.startswith("redcap_") or col == header[0]:
                    continue
                base, _, code = col.partition("___")
                m = meta.get(base)
                if m is None:
                    continue
                if code and value not in ("0", "1"):
                    errors.append(f"{rid}: checkbox {col} must be 0 or 1")
                elif not code and m["field_type"] in ("radio", "dropdown", "yesno", "truefalse") \
                        and value not in self.choices(m):
                    errors.append(f"{rid}: {col} value is not a valid choice")
                elif m["text_validation_type_or_show_slider_number"].startswith("date") and \
                        not pd.Series([value]).str.match(date_re).iloc[0]:
                    errors.append(f"{rid}: {col} is not a valid date")
                if m["form_name"] in self.repeating and instr != m["form_name"]:
                    errors.append(f"{rid}: {col} belongs to a repeating instrument")
        return errors

    def handle(self, form: dict[str, str]) -> tuple[int, object]:
        self.calls.append(form.get("content", ""))
        if form.get("token") != self.token:
            return 403, {"error": "You do not have permissions to use the API"}
        content = form.get("content")
        if content == "metadata":
            return 200, self.metadata
        if content == "exportFieldNames":
            return 200, self.export_field_names()
        if content == "record" and "data" in form:
            if self.refuse:
                return 400, {"error": self.refuse}
            if form.get("format") != "csv" or form.get("type") != "flat":
                return 400, {"error": "only flat CSV imports in this stub"}
            errors = self.check_import(form["data"], form.get("dateFormat", "YMD"))
            if errors:
                return 400, {"error": "; ".join(errors[:5])}
            rows = list(csv.DictReader(io.StringIO(form["data"])))
            self.imported += rows
            return 200, {"count": len({r[self.metadata[0]["field_name"]] for r in rows})}
        return 400, {"error": f"unsupported content {content!r}"}


@pytest.fixture
def stub():
    server_state = StubRedcap(SAMPLE_DD, {"lesions"})

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server API)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
            form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
            status, payload = server_state.handle(form)
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    server_state.url = f"http://127.0.0.1:{server.server_address[1]}/api/"
    yield server_state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


needs_pycap = pytest.mark.skipif(importlib.util.find_spec("redcap") is None, reason="PyCap not installed")


@needs_pycap
class TestUpload:
    def test_round_trip(self, stub, result, monkeypatch, caplog):
        monkeypatch.setenv("REDCAP_API_TOKEN", TOKEN)
        caplog.set_level("DEBUG")
        report = upload(result, stub.url)
        assert report.dry_run and report.imported is None and stub.imported == []
        assert "record" not in stub.calls and {"metadata", "exportFieldNames"} <= set(stub.calls)
        report = upload(result, stub.url, dry_run=False)
        assert (report.imported, report.records, report.rows, report.date_format) == (2, 2, 5, "YMD")
        sent = pd.DataFrame(stub.imported)
        assert list(sent.columns) == list(result.records.columns)
        pd.testing.assert_frame_equal(sent, result.records.reset_index(drop=True))
        assert TOKEN not in caplog.text

    def test_stub_rejects_bad_payloads(self, stub, result):
        from redcap import Project, RedcapError

        project = Project(stub.url, TOKEN)
        good = result.records.to_csv(index=False)
        labels = result.records.copy()
        labels.loc[0, "pet_indication"] = "Bilan d'extension initial"
        moved = result.records[list(result.records.columns[1:]) + ["record_id"]]
        one_col = result.records.drop(columns=[c for c in result.records if c.startswith("pet_sites___")])
        one_col["pet_sites"] = ""
        one_col.loc[0, "pet_sites"] = "1"
        bad_repeat = result.records.copy()
        bad_repeat.loc[bad_repeat.redcap_repeat_instrument == "lesions", "redcap_repeat_instance"] = ""
        for bad in (labels, moved, one_col, bad_repeat):
            with pytest.raises(RedcapError, match="error"):
                project.import_records(bad.to_csv(index=False), import_format="csv")
        assert stub.imported == []
        assert project.import_records(good, import_format="csv") == {"count": 2}

    def test_live_dictionary_differs(self, stub, result, monkeypatch):
        monkeypatch.setenv("REDCAP_API_TOKEN", TOKEN)
        stub.metadata = [m for m in stub.metadata if m["field_name"] != "pet_glycemia"]
        with pytest.raises(RedcapValidationError, match="pet_glycemia"):
            upload(result, stub.url, dry_run=False)
        assert "record" not in stub.calls

    def test_refusal_and_token_never_shown(self, stub, result, monkeypatch):
        monkeypatch.setenv("REDCAP_API_TOKEN", TOKEN)
        stub.refuse = "Record PX1 is locked"
        with pytest.raises(RedcapUploadError, match="record import failed.*locked") as info:
            upload(result, stub.url, dry_run=False)
        assert TOKEN not in str(info.value)
        stub.refuse = "Record PX1 is locked"
        result.pseudonymised = False  # ids that are not pseudonyms are not quoted
        with pytest.raises(RedcapUploadError, match="Record <record> is locked"):
            upload(result, stub.url, dry_run=False)
        other = "F" * 32
        monkeypatch.setenv("REDCAP_API_TOKEN", other)
        with pytest.raises(RedcapUploadError, match="permissions") as info:
            upload(result, stub.url)
        assert other not in str(info.value)

    def test_token_and_url_checks(self, result, monkeypatch):
        monkeypatch.delenv("REDCAP_API_TOKEN", raising=False)
        with pytest.raises(RedcapUploadError, match="set the environment variable REDCAP_API_TOKEN"):
            upload(result, "http://127.0.0.1:9/api/")
        monkeypatch.setenv("MY_TOKEN", "secret-but-short")
        with pytest.raises(RedcapUploadError, match="not a REDCap API token") as info:
            upload(result, "http://127.0.0.1:9/api/", token_env="MY_TOKEN")
        assert "secret-but-short" not in str(info.value)
        with pytest.raises(RedcapUploadError, match="must end with '/api/'"):
            upload(result, "http://127.0.0.1:9/")

    def test_unreachable(self, result, monkeypatch):
        monkeypatch.setenv("REDCAP_API_TOKEN", TOKEN)
        with pytest.raises(RedcapUploadError, match="metadata export failed") as info:
            upload(result, "http://127.0.0.1:9/api/", timeout=2)
        assert TOKEN not in str(info.value)

    def test_cli_upload(self, stub, outdir, tmp_path):
        args = ["redcap-prefill", str(outdir), "-d", str(SAMPLE_DD), "-m", str(SAMPLE_MAP),
                "-o", str(tmp_path / "i.csv"), "--upload", "--api-url", stub.url]
        res = CliRunner().invoke(main, args, env={"REDCAP_API_TOKEN": TOKEN})
        assert res.exit_code == 0, res.output
        assert "Uploaded to REDCap: 2 records imported" in res.output and TOKEN not in res.output
        assert len(stub.imported) == 5


def test_missing_pycap(result, monkeypatch):
    import sys

    monkeypatch.setenv("REDCAP_API_TOKEN", TOKEN)
    monkeypatch.setitem(sys.modules, "redcap", None)
    with pytest.raises(MissingDependencyError, match=r"radlink\[redcap\]"):
        upload(result, "http://127.0.0.1:9/api/")


# --------------------------------------------------------------------------- the committed sample

def _pipeline_available() -> bool:
    try:
        import radlink.linkage  # noqa: F401
        import radlink.nlp  # noqa: F401
        from radlink.linkage import link  # noqa: F401
        from radlink.nlp import ReportExtractor  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _pipeline_available(), reason="radlink.nlp / radlink.linkage not importable")
def test_sample_dictionary_and_mapping_on_the_sample_timeline(sample_dd, sample_map, tmp_path):
    from radlink.dataset import load_dataset
    from radlink.timeline.job import build_timeline

    out = build_timeline(load_dataset(ROOT / "data_samples"))
    res = prefill(sources_from_tables(out.timeline, out.report_facts, out.findings), sample_dd, sample_map)
    assert find_problems(res.records, sample_dd, repeating={"lesions"}) == []
    assert res.summary["records"] > 0 and res.summary["filled"]["pet_date"] > 0
    assert res.summary["instances"]["lesions"] > 0
    path, prov = write_import(res, tmp_path / "import.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert back.columns[0] == "record_id" and len(back) == res.summary["rows"]
    assert len(pd.read_csv(prov)) == len(res.provenance)


def test_finding_source_carries_comparison_and_etage():
    tl, facts, findings = timeline_tables()
    old = sources_from_tables(tl, facts, findings)  # a findings table without the columns
    assert old.finding["comparison"].isna().all() and old.finding["etage"].isna().all()
    findings = findings.assign(comparison=["stable", None, None, None, "new", "decreased"],
                               etage=["thoracic", "thoracic", "abdominopelvic", None, "bone", None])
    src = sources_from_tables(tl, facts, findings)
    got = src.finding.set_index("finding_id")
    assert got.loc["F1", ["comparison", "etage"]].tolist() == ["stable", "thoracic"]
    assert got.loc["F6", ["comparison", "etage"]].tolist() == ["decreased", None]
