"""Tests of radlink.dicom: header reading, study grouping, sample writer, CLI."""

from __future__ import annotations

import os
import random
import shutil
import stat
from pathlib import Path

import pandas as pd
import pydicom
import pytest
from click.testing import CliRunner
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian

from radlink.cli import main
from radlink.dicom import (
    ERROR_REASONS,
    WARNING_REASONS,
    HeaderError,
    InstanceHeader,
    ingest_dicom,
    list_files,
    read_instance_header,
    write_header_only_dicom,
)
from radlink.dicom import header as header_module
from radlink.dicom.sample import write_sample_directory
from radlink.errors import DicomDirectoryError, TableValidationError
from radlink.outputs import write_parquet
from radlink.tables import TABLES, none_for_missing, validate_table

PYDICOM_DATA = Path(pydicom.__file__).parent / "data"
TEST_FILES = PYDICOM_DATA / "test_files"
CHARSET_FILES = PYDICOM_DATA / "charset_files"
DATA_SAMPLES = Path(__file__).resolve().parents[2] / "data_samples"
EXAM_COLUMNS = list(TABLES["exams"].columns)


def regular_files(directory: Path) -> list[str]:
    """Every regular file under directory (find -type f), as relative POSIX paths."""
    out = []
    for root, _, files in os.walk(directory):
        for name in files:
            full = os.path.join(root, name)
            if stat.S_ISREG(os.lstat(full).st_mode):
                out.append(Path(full).relative_to(directory).as_posix())
    return sorted(out)


def exams_table(**columns) -> pd.DataFrame:
    base = {
        "exam_id": ["1.2.250.1.99.1"],
        "accession_number": ["A00000001"],
        "patient_id": ["800000001"],
        "patient_name": ["DURAND^Hélène"],
        "birth_date": ["1951-02-03"],
        "sex": ["F"],
        "study_datetime": ["2021-03-02 09:15:07"],
        "modality": ["CT"],
        "study_description": ["TDM THORAX INJ"],
        "body_part": ["CHEST"],
        "institution": ["CHU SYNTHESE"],
        "unit": ["IMAGERIE THORACIQUE"],
        "stay_id": ["100000001"],
    }
    base.update(columns)
    return pd.DataFrame(base)


@pytest.fixture(scope="module")
def pydicom_results():
    """ingest_dicom over pydicom's own test and charset files, with jobs=1 and jobs=2."""
    return {
        (directory.name, jobs): ingest_dicom(directory, jobs=jobs)
        for directory in (TEST_FILES, CHARSET_FILES)
        for jobs in (1, 2)
    }


# --- pydicom's own files: accounting and known files -------------------------------


class TestPydicomFiles:
    @pytest.mark.parametrize("directory", [TEST_FILES, CHARSET_FILES], ids=lambda d: d.name)
    @pytest.mark.parametrize("jobs", [1, 2])
    def test_every_file_is_counted_once_or_in_errors(self, pydicom_results, directory, jobs):
        result = pydicom_results[(directory.name, jobs)]
        files = regular_files(directory)
        assert result.n_files == len(files)
        assert int(result.exams["n_instances"].sum()) + len(result.errors) == len(files)
        assert result.errors["path"].is_unique
        assert set(result.errors["path"]) <= set(files)
        assert set(result.errors["reason"]) <= set(ERROR_REASONS) - {"reader_error"}
        assert set(result.warnings["reason"]) <= set(WARNING_REASONS)
        assert result.exams.columns.tolist() == [*EXAM_COLUMNS, "n_series", "n_instances"]
        assert result.exams["exam_id"].is_unique

    @pytest.mark.parametrize("directory", [TEST_FILES, CHARSET_FILES], ids=lambda d: d.name)
    def test_jobs_2_gives_the_same_tables_as_jobs_1(self, pydicom_results, directory):
        one, two = pydicom_results[(directory.name, 1)], pydicom_results[(directory.name, 2)]
        pd.testing.assert_frame_equal(one.exams, two.exams)
        pd.testing.assert_frame_equal(one.errors, two.errors)
        pd.testing.assert_frame_equal(one.warnings, two.warnings)

    def test_known_ct_file_is_counted_in_its_study(self, pydicom_results):
        result = pydicom_results[("test_files", 1)]
        ds = pydicom.dcmread(TEST_FILES / "CT_small.dcm", stop_before_pixels=True)
        exam = result.exams.set_index("exam_id").loc[ds.StudyInstanceUID]
        assert "CT_small.dcm" not in set(result.errors["path"])
        assert exam["n_instances"] >= 1
        assert "CT" in exam["modality"].split("\\")
        assert exam["patient_name"] == str(ds.PatientName)
        assert exam["patient_id"] == ds.PatientID
        assert exam["study_datetime"] == pd.Timestamp("2004-01-19 07:27:30")

    @pytest.mark.parametrize("path, reason", [
        ("README.txt", "not_dicom"),
        ("zipMR.gz", "not_dicom"),
        ("crayons.icc", "not_dicom"),
        ("no_meta.dcm", "not_dicom"),  # a stray byte before the data set
        ("dicomdirtests/DICOMDIR", "dicomdir"),
        ("dicomdirtests/DICOMDIR-empty.dcm", "dicomdir"),
        ("empty_charset_LEI.dcm", "no_study_uid"),
        ("priv_SQ.dcm", "no_study_uid"),
    ])
    def test_known_bad_files_have_their_reason(self, pydicom_results, path, reason):
        errors = pydicom_results[("test_files", 1)].errors.set_index("path")
        assert errors.loc[path, "reason"] == reason

    def test_files_without_preamble_are_read(self, pydicom_results):
        errors = set(pydicom_results[("test_files", 1)].errors["path"])
        for path in ("ExplVR_BigEndNoMeta.dcm", "ExplVR_LitEndNoMeta.dcm", "image_dfl.dcm",
                     "MR_small_bigendian.dcm", "MR_truncated.dcm"):
            assert path not in errors  # (MR_truncated is cut in its pixel data only)

    def test_charset_files_decode_as_pydicom_does(self, pydicom_results):
        for path in sorted(CHARSET_FILES.glob("*.dcm")):
            header = read_instance_header(path)
            if isinstance(header, HeaderError):
                assert header.reason == "no_study_uid", path.name
                continue
            expected = str(pydicom.dcmread(path).PatientName).rstrip("^=")
            assert header.patient_name == expected, path.name
            assert header.warnings == (), path.name
        assert read_instance_header(CHARSET_FILES / "chrFren.dcm").patient_name == "Buc^Jérôme"

    def test_no_patient_value_in_errors_or_warnings(self, pydicom_results):
        names = set(pydicom_results[("charset_files", 1)].exams["patient_name"].dropna())
        names |= set(pydicom_results[("test_files", 1)].exams["patient_name"].dropna())
        for result in pydicom_results.values():
            text = " ".join(result.errors["detail"]) + " ".join(result.warnings["detail"])
            text += result.summary()
            assert not any(name in text for name in names)


# --- single files --------------------------------------------------------------------


def write_file(path: Path, **attributes) -> Path:
    ds = Dataset()
    for keyword, value in attributes.items():
        setattr(ds, keyword, value)
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = attributes.get("SOPInstanceUID", "1.2.3.4.5")
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CTImageStorage
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    path.parent.mkdir(parents=True, exist_ok=True)
    pydicom.dcmwrite(path, ds, enforce_file_format=True)
    return path


class TestBadFiles:
    def test_reasons(self, tmp_path):
        (tmp_path / "empty.dcm").write_bytes(b"")
        (tmp_path / "notes.txt").write_text("Compte rendu: pas de DICOM ici.\n")
        ct = (TEST_FILES / "CT_small.dcm").read_bytes()
        cut = ct.index(b"CompressedSamples")  # inside (0010,0010) Patient's Name
        (tmp_path / "cut" / "ct.dcm").parent.mkdir()
        (tmp_path / "cut" / "ct.dcm").write_bytes(ct[: cut + 4])
        write_file(tmp_path / "no_uid.dcm", Modality="CT", PatientName="DURAND^Hélène")
        shutil.copy(TEST_FILES / "dicomdirtests" / "DICOMDIR", tmp_path / "DICOMDIR")
        result = ingest_dicom(tmp_path)
        reasons = result.errors.set_index("path")["reason"].to_dict()
        assert reasons == {
            "DICOMDIR": "dicomdir",
            "cut/ct.dcm": "truncated",
            "empty.dcm": "empty",
            "no_uid.dcm": "no_study_uid",
            "notes.txt": "not_dicom",
        }
        assert result.n_exams == 0 and result.n_files == 5
        assert result.exams.columns.tolist() == [*EXAM_COLUMNS, "n_series", "n_instances"]
        assert result.errors_by_reason()["empty"] == 1
        assert "Hélène" not in " ".join(result.errors["detail"])

    def test_file_that_cannot_be_opened_is_unreadable(self, tmp_path, monkeypatch):
        write_file(tmp_path / "a.dcm", StudyInstanceUID="1.2.3")

        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(header_module, "open", refuse, raising=False)
        header = read_instance_header(tmp_path / "a.dcm")
        assert header == HeaderError("unreadable", header.detail)
        assert "errno 13" in header.detail

    def test_truncated_inside_a_skipped_element(self, tmp_path):
        # (0008,0008) Image Type is skipped (not read); the file ends inside it.
        ct = (TEST_FILES / "CT_small.dcm").read_bytes()
        cut = ct.index(b"ORIGINAL")
        (tmp_path / "ct.dcm").write_bytes(ct[: cut + 3])
        assert read_instance_header(tmp_path / "ct.dcm").reason == "truncated"

    @pytest.mark.filterwarnings("ignore")  # pydicom warns on the corrupt files
    def test_corrupted_files_never_crash(self, tmp_path):
        # Deterministic fuzzing: cuts and byte flips of real headers, then ingestion.
        rng = random.Random(7)
        sources = [(TEST_FILES / n).read_bytes()[:4000] for n in
                   ("CT_small.dcm", "MR_small_implicit.dcm", "ExplVR_BigEndNoMeta.dcm",
                    "no_meta_group_length.dcm", "rtplan.dcm")]
        for k in range(300):
            data = bytearray(rng.choice(sources))
            if k % 2:
                data = data[: rng.randrange(1, len(data))]
            for _ in range(rng.randint(0, 6)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            (tmp_path / f"{k:03d}.dcm").write_bytes(bytes(data))
        result = ingest_dicom(tmp_path)
        assert result.n_instances + result.n_errors == 300
        assert "reader_error" not in set(result.errors["reason"])

    def test_missing_directory(self, tmp_path):
        with pytest.raises(DicomDirectoryError, match="not a readable directory"):
            ingest_dicom(tmp_path / "absent")
        with pytest.raises(ValueError, match="jobs"):
            ingest_dicom(tmp_path, jobs=0)


@pytest.mark.filterwarnings("ignore:Invalid value for VR")  # bad values written on purpose
class TestDatesAndFields:
    def test_bad_dates_become_null_with_a_warning(self, tmp_path):
        write_file(tmp_path / "a.dcm", StudyInstanceUID="1.2.3", StudyDate="20151324",
                   StudyTime="0830", PatientBirthDate="1950XX01", PatientSex="W",
                   SeriesInstanceUID="1.2.3.1")
        write_file(tmp_path / "b.dcm", StudyInstanceUID="1.2.4", StudyDate="2015.01.24",
                   StudyTime="99", SeriesInstanceUID="1.2.4.1", SOPInstanceUID="1.2.4.1.1")
        result = ingest_dicom(tmp_path)
        exams = result.exams.set_index("exam_id")
        assert pd.isna(exams.loc["1.2.3", "study_datetime"])
        assert pd.isna(exams.loc["1.2.3", "birth_date"])
        assert exams.loc["1.2.3", "sex"] is None
        assert exams.loc["1.2.4", "study_datetime"] == pd.Timestamp("2015-01-24")  # bad time
        assert exams["n_instances"].sum() + len(result.errors) == 2
        reasons = result.warnings.groupby("exam_id")["reason"].apply(sorted).to_dict()
        assert reasons == {"1.2.3": ["bad_date", "bad_date", "bad_sex"], "1.2.4": ["bad_time"]}
        assert set(result.warnings["path"]) == {"a.dcm", "b.dcm"}

    def test_study_time_forms(self, tmp_path):
        for k, time in enumerate(["083005.25", "0830", "08", "08:30:05"]):
            write_file(tmp_path / f"{k}.dcm", StudyInstanceUID=f"1.2.{k}", StudyDate="20200410",
                       StudyTime=time, SOPInstanceUID=f"1.2.{k}.1")
        times = ingest_dicom(tmp_path).exams["study_datetime"].dt.strftime("%H:%M:%S.%f")
        assert times.tolist() == ["08:30:05.250000", "08:30:00.000000", "08:00:00.000000",
                                  "08:30:05.000000"]

    def test_disagreeing_files_keep_the_most_frequent_value(self, tmp_path):
        for k, patient_id in enumerate(["P2", "P1", "P1", "P2", "P1"]):
            write_file(tmp_path / f"{k}.dcm", StudyInstanceUID="1.2.3", PatientID=patient_id,
                       SeriesInstanceUID="1.2.3.1", SOPInstanceUID=f"1.2.3.1.{k}",
                       AccessionNumber="A1" if k < 2 else "A2")
        result = ingest_dicom(tmp_path)
        exam = result.exams.iloc[0]
        assert exam["patient_id"] == "P1"  # 3 files against 2
        assert exam["accession_number"] == "A2"
        conflicts = result.warnings[result.warnings["reason"] == "conflicting_values"]
        assert conflicts[["path", "n_files"]].values.tolist() == [["0.dcm", 2], ["0.dcm", 2]]
        assert not conflicts["detail"].str.contains("P1|P2|A1|A2").any()

    def test_ties_go_to_the_first_file_by_path(self, tmp_path):
        for k, name in enumerate(["b", "a", "c", "d"]):
            write_file(tmp_path / f"{name}.dcm", StudyInstanceUID="1.2.3",
                       PatientName="DUPONT^Zoé" if k % 2 else "DUPOND^Zoé",
                       SOPInstanceUID=f"1.2.3.1.{k}")
        assert ingest_dicom(tmp_path).exams["patient_name"].tolist() == ["DUPONT^Zoé"]  # a.dcm

    def test_duplicate_instances_are_counted_and_flagged(self, tmp_path):
        write_file(tmp_path / "a.dcm", StudyInstanceUID="1.2.3")
        shutil.copy(tmp_path / "a.dcm", tmp_path / "copy.dcm")
        result = ingest_dicom(tmp_path)
        assert result.exams["n_instances"].tolist() == [2]
        assert result.warnings["reason"].tolist() == ["duplicate_instance", "no_series_uid"]


class TestCharsets:
    @pytest.mark.parametrize("charset, encoded", [
        ("ISO_IR 100", "Hélène".encode("latin-1")),
        ("ISO_IR 192", "Hélène".encode()),
    ])
    def test_french_name_is_decoded(self, tmp_path, charset, encoded):
        (path,) = write_header_only_dicom(exams_table(), tmp_path, charset=charset,
                                          series_per_study=1, instances_per_series=1)
        assert encoded in path.read_bytes()
        header = read_instance_header(path)
        assert header.patient_name == "DURAND^Hélène" and header.warnings == ()

    @pytest.mark.parametrize("declared, note", [
        (b"ISO_IR 192", "not valid in the declared character set"),  # Latin-1 bytes
        (b"ISO_IR 999", "corrected by pydicom"),  # unknown
        (b"ISO-IR 100", "corrected by pydicom"),  # misspelt
        (b"          ", "without Specific Character Set"),  # blank
    ])
    def test_bad_charset_falls_back_and_is_recorded(self, tmp_path, declared, note):
        (path,) = write_header_only_dicom(exams_table(), tmp_path, charset="ISO_IR 100",
                                          series_per_study=1, instances_per_series=1)
        path.write_bytes(path.read_bytes().replace(b"ISO_IR 100", declared))
        result = ingest_dicom(tmp_path)
        assert result.exams["patient_name"].tolist() == ["DURAND^Hélène"]
        assert "charset" in set(result.warnings["reason"])
        assert result.warnings["detail"].str.contains(note).any()
        assert not result.warnings["detail"].str.contains("Hélène|DURAND").any()

    def test_undeclared_utf8_is_read_as_utf8(self, tmp_path):
        (path,) = write_header_only_dicom(exams_table(), tmp_path, charset="ISO_IR 192",
                                          series_per_study=1, instances_per_series=1)
        path.write_bytes(path.read_bytes().replace(b"ISO_IR 192", b"          "))
        header = read_instance_header(path)
        assert header.patient_name == "DURAND^Hélène"
        assert header.warnings[0][0] == "charset" and "UTF-8" in header.warnings[0][1]


# --- sample writer and round trip ------------------------------------------------------


class TestSampleWriter:
    def test_multi_series_study_is_aggregated(self, tmp_path):
        files = write_header_only_dicom(exams_table(modality=["PT\\CT"]), tmp_path,
                                        series_per_study=3, instances_per_series=2)
        assert len(files) == 6
        assert all(len(f.read_bytes()) < 1500 for f in files)
        assert all("PixelData" not in pydicom.dcmread(f) for f in files)
        exam = ingest_dicom(tmp_path).exams.iloc[0]
        assert (exam["modality"], exam["n_series"], exam["n_instances"]) == ("CT\\PT", 3, 6)
        modalities = {pydicom.dcmread(f).Modality for f in files}
        assert modalities == {"PT", "CT"}

    def test_deterministic_uids_and_sop_classes(self, tmp_path):
        first = write_header_only_dicom(exams_table(modality=["MR"]), tmp_path / "a")
        again = write_header_only_dicom(exams_table(modality=["MR"]), tmp_path / "b")
        assert [f.read_bytes() for f in first] == [f.read_bytes() for f in again]
        ds = pydicom.dcmread(first[0])
        assert ds.SOPClassUID == pydicom.uid.MRImageStorage
        assert ds.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian

    def test_implicit_vr(self, tmp_path):
        (path,) = write_header_only_dicom(exams_table(), tmp_path, implicit_vr=True,
                                          series_per_study=1, instances_per_series=1)
        assert read_instance_header(path).patient_name == "DURAND^Hélène"

    def test_refuses_what_it_cannot_write(self, tmp_path):
        with pytest.raises(TableValidationError, match="not a DICOM UID"):
            write_header_only_dicom(exams_table(exam_id=["E-1"]), tmp_path)
        with pytest.raises(TableValidationError, match="cannot be encoded in ISO_IR 100") as err:
            write_header_only_dicom(exams_table(patient_name=["ŒUVRAY^Zoé"]), tmp_path,
                                    charset="ISO_IR 100")
        assert "ŒUVRAY" not in str(err.value)

    def test_round_trip_gives_back_the_exams(self, tmp_path):
        exams = validate_table(pd.read_parquet(DATA_SAMPLES / "exams.parquet"), "exams")
        write_header_only_dicom(exams, tmp_path, series_per_study=1, instances_per_series=1)
        back = ingest_dicom(tmp_path)
        assert back.n_errors == 0 and len(back.warnings) == 0
        back = none_for_missing(  # the re-index here gives pandas 3 str columns back
            back.exams.set_index("exam_id").loc[exams["exam_id"]].reset_index())
        expected = exams.copy()
        expected["modality"] = expected["modality"].map(
            lambda m: "\\".join(sorted(m.split("\\"))))
        expected.loc[expected["sex"] == "U", "sex"] = None
        pd.testing.assert_frame_equal(back[EXAM_COLUMNS], none_for_missing(expected[EXAM_COLUMNS]))

    def test_data_samples_dicom_directory(self):
        result = ingest_dicom(DATA_SAMPLES / "dicom")
        assert result.n_files == len(regular_files(DATA_SAMPLES / "dicom"))
        assert result.errors[["path", "reason"]].values.tolist() == [
            ["README.md", "not_dicom"],
            ["bad/not_dicom.txt", "not_dicom"],
            ["bad/truncated.dcm", "truncated"],
        ]
        assert result.n_exams == 6 and set(result.exams["n_instances"]) == {4}
        exams = validate_table(pd.read_parquet(DATA_SAMPLES / "exams.parquet"), "exams")
        exams = none_for_missing(exams.set_index("exam_id").loc[result.exams["exam_id"]].reset_index())
        assert exams["patient_name"].map(lambda s: not s.isascii()).sum() >= 3
        same = [c for c in EXAM_COLUMNS if c != "modality"]
        pd.testing.assert_frame_equal(result.exams[same], exams[same])
        charsets = {pydicom.dcmread(f).SpecificCharacterSet
                    for f in (DATA_SAMPLES / "dicom").glob("exam*/*/*.dcm")}
        assert charsets == {"ISO_IR 100", "ISO_IR 192"}

    def test_sample_directory_is_reproducible(self, tmp_path):
        exams = pd.read_parquet(DATA_SAMPLES / "exams.parquet")
        written = write_sample_directory(exams, tmp_path)
        for path in written:
            committed = DATA_SAMPLES / "dicom" / path.relative_to(tmp_path)
            if path.name == "truncated.dcm":
                assert read_instance_header(path) == read_instance_header(committed)
            elif path.suffix == ".dcm":  # compared as data sets: pydicom's version is in the meta
                assert pydicom.dcmread(path) == pydicom.dcmread(committed), path
            else:
                assert path.read_bytes() == committed.read_bytes()


# --- walking, progress, CLI ----------------------------------------------------------


def test_list_files_is_sorted_and_skips_symlinks(tmp_path):
    (tmp_path / "b" / "c").mkdir(parents=True)
    for rel in ("b/c/2", "b/1", "a.dcm", "b.txt"):
        (tmp_path / rel).write_bytes(b"x")
    (tmp_path / "link").symlink_to(tmp_path / "a.dcm")
    (tmp_path / "dirlink").symlink_to(tmp_path / "b")
    assert list_files(tmp_path) == (["a.dcm", "b.txt", "b/1", "b/c/2"], [])


def test_directory_that_cannot_be_listed_is_a_warning(tmp_path, monkeypatch):
    write_header_only_dicom(exams_table(), tmp_path / "ok")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.dcm").write_bytes(b"x")
    scandir = os.scandir

    def refuse_locked(path):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse_locked)
    result = ingest_dicom(tmp_path)
    assert result.n_files == 4 and result.n_errors == 0
    assert result.warnings[["path", "reason"]].values.tolist() == [["locked", "unlisted_directory"]]


def test_progress_callable_sees_every_file(tmp_path):
    write_header_only_dicom(exams_table(), tmp_path, series_per_study=5,
                            instances_per_series=5)
    seen = []
    result = ingest_dicom(tmp_path, jobs=2, progress=seen.append)
    assert sum(seen) == result.n_files == 25


def test_instance_header_fields_match_the_exams_columns():
    assert set(InstanceHeader._fields) >= {"study_uid", "series_uid", "patient_name", "warnings"}


def test_cli_writes_exams_and_errors(tmp_path):
    data = tmp_path / "dicom"
    write_header_only_dicom(exams_table(), data)
    (data / "notes.txt").write_text("pas un DICOM")
    out = tmp_path / "out"
    run = CliRunner().invoke(main, [
        "ingest-dicom", str(data), "-o", str(out / "exams.parquet"),
        "--errors", str(out / "errors.parquet"), "--warnings", str(out / "warnings.parquet"),
        "--jobs", "2",
    ])
    assert run.exit_code == 0, run.output
    exams = pd.read_parquet(out / "exams.parquet")
    assert exams[["exam_id", "patient_name", "n_instances"]].values.tolist() == [
        ["1.2.250.1.99.1", "DURAND^Hélène", 4]]
    assert pd.read_parquet(out / "errors.parquet")[["path", "reason"]].values.tolist() == [
        ["notes.txt", "not_dicom"]]
    assert len(pd.read_parquet(out / "warnings.parquet")) == 0
    assert "5 files seen: 4 counted in 1 exams, 1 in error" in run.output
    assert "Hélène" not in run.output and "800000001" not in run.output


def test_cli_help_and_missing_directory(tmp_path):
    runner = CliRunner()
    assert "Admission ID" in runner.invoke(main, ["ingest-dicom", "--help"]).output
    run = runner.invoke(main, ["ingest-dicom", str(tmp_path / "absent"), "-o", "x.parquet"])
    assert run.exit_code == 2 and "does not exist" in run.output


class TestHostileFolders:
    def test_a_symbolic_link_is_said_not_skipped_silently(self, tmp_path):
        (tmp_path / "real").mkdir()
        (tmp_path / "real" / "x.txt").write_text("not dicom")
        os.symlink(tmp_path / "real", tmp_path / "dirlink")
        os.symlink(tmp_path / "real" / "x.txt", tmp_path / "filelink")
        for jobs in (1, 2):
            result = ingest_dicom(tmp_path, jobs=jobs)
            links = result.warnings[result.warnings["reason"] == "symbolic_link"]
            assert sorted(links["path"]) == ["dirlink", "filelink"]
            assert result.n_files == 1  # the real file, read once

    def test_a_file_name_that_is_not_utf8_is_written_escaped(self, tmp_path):
        name = os.fsdecode(b"caf\xe9.dcm")  # latin-1 byte in a Linux file name
        (tmp_path / name).write_bytes(b"not a dicom file")
        result = ingest_dicom(tmp_path)
        assert result.errors["path"].tolist() == ["caf\\xe9.dcm"]
        write_parquet(result.errors, tmp_path / "errors.parquet")  # no UnicodeEncodeError

    def test_a_deflate_bomb_is_an_error_not_read_whole(self, tmp_path, monkeypatch):
        import zlib

        import pydicom
        from pydicom.uid import DeflatedExplicitVRLittleEndian

        import radlink.dicom.header as header

        ds = pydicom.dcmread(PYDICOM_DATA / "test_files" / "CT_small.dcm")
        ds.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
        ds.save_as(tmp_path / "ok.dcm", enforce_file_format=True)
        # a "data set" of zeros that inflates to 8 MiB, above a 4 MiB limit
        path = tmp_path / "bomb.dcm"
        data = (tmp_path / "ok.dcm").read_bytes()
        # (0002,0000) File Meta Information Group Length: its value ends the meta group
        meta_end = 144 + int.from_bytes(data[140:144], "little")
        packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        path.write_bytes(data[:meta_end] + packer.compress(b"\x00" * 8 * 2**20) + packer.flush())
        monkeypatch.setattr(header, "MAX_INFLATED_BYTES", 4 * 2**20)
        result = ingest_dicom(tmp_path)
        assert result.errors.set_index("path").loc["bomb.dcm", "reason"] == "inflates_too_much"
        assert result.n_instances == 1  # the well-formed deflated file is still read
