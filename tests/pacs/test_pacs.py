"""radlink pacs against a real Orthanc: find, retrieve, pseudonymise, resume, register."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pydicom
import pytest
from click.testing import CliRunner

from radlink.cli import main
from radlink.privacy import Pseudonymiser
from radlink.timeline.count import CohortCriteria, cohort_exams

ROOT = Path(__file__).resolve().parents[2]


def radlink(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def cohort_ids(cohort, **criteria) -> set[str]:
    events = pd.read_parquet(cohort.timeline / "timeline.parquet")
    exams = cohort_exams(events, CohortCriteria(**criteria))
    return set(exams["exam_id"].dropna())


def opposed_exams(cohort) -> set[str]:
    """The opposed patient's exams, by the generator's truth (whatever IPP the PACS files them under)."""
    truth = pd.read_parquet(cohort.warehouse / "truth" / "links.parquet")
    mine = (truth["source_type"] == "exam") & (truth["target_type"] == "patient") \
        & (truth["target_id"] == cohort.opposed)
    return set(truth.loc[mine, "source_id"])


@pytest.fixture(scope="module")
def found(cohort):
    """find --timeline through both protocols (and with a cap), once for the module."""
    out = {}
    for via in ("dimse", "dicomweb"):
        path = cohort.work / f"studies_{via}.parquet"
        radlink("pacs", "find", "--pacs", cohort.pacs, "--timeline", cohort.timeline, "--via", via,
                "--registry", cohort.work / "registry.jsonl", "-o", path)
        out[via] = pd.read_parquet(path)
    return out


class TestFind:
    def test_every_study_of_the_cohort_through_c_find_and_qido(self, cohort, found):
        expected = cohort_ids(cohort)
        assert len(expected) >= 50
        for via, studies in found.items():
            assert set(studies["study_instance_uid"]) == expected, via
            assert (studies["exam_id"] == studies["study_instance_uid"]).all()
            assert (studies["n_instances"] == 4).all()

    def test_the_opposed_patient_is_not_in_the_answers(self, cohort, found):
        theirs = opposed_exams(cohort)
        assert theirs and not theirs & set(found["dimse"]["study_instance_uid"])

    def test_criteria_of_count_select_the_same_exams(self, cohort, tmp_path):
        out = radlink("pacs", "find", "--pacs", cohort.pacs, "--timeline", cohort.timeline,
                      "--modality", "PT", "--from", "2000-01-01", "-o", tmp_path / "s.parquet")
        studies = pd.read_parquet(tmp_path / "s.parquet")
        assert set(studies["exam_id"]) == cohort_ids(cohort, modality="PT", start="2000-01-01")
        assert "studies found" in out

    @pytest.mark.parametrize("via", ["dimse", "dicomweb"])
    def test_a_capped_pacs_gets_split_date_ranges(self, cohort, tmp_path, via):
        patients = cohort.exams["patient_id"].dropna().drop_duplicates()
        pd.DataFrame({"patient_id": patients}).to_csv(tmp_path / "ids.csv", index=False)
        radlink("pacs", "find", "--pacs", cohort.pacs, "--patients", tmp_path / "ids.csv",
                "--opposition", cohort.opposition, "--via", via, "-o", tmp_path / "all.parquet")
        kept = cohort.exams[cohort.exams["patient_id"].isin(patients)]
        same_day = kept.groupby([kept["patient_id"], kept["study_datetime"].dt.date]).size().max()
        cap = int(same_day) + 1  # below it, every single day can be answered whole
        assert kept.groupby("patient_id").size().max() >= cap  # so some answers hit the cap
        out = radlink("pacs", "find", "--pacs", cohort.pacs, "--patients", tmp_path / "ids.csv",
                      "--opposition", cohort.opposition, "--via", via, "--max-results", cap,
                      "-o", tmp_path / "capped.parquet")
        whole = pd.read_parquet(tmp_path / "all.parquet")
        capped = pd.read_parquet(tmp_path / "capped.parquet")
        recorded = cohort.exams[cohort.exams["patient_id"].isin(patients)
                                & (cohort.exams["patient_id"] != cohort.opposed)]
        assert set(whole["study_instance_uid"]) == set(recorded["exam_id"])
        assert set(capped["study_instance_uid"]) == set(whole["study_instance_uid"])
        assert "date ranges were split" in out and "may be incomplete" not in out
        assert "excluded by opposition: 1" in out


@pytest.fixture(scope="module")
def retrieved(cohort, found):
    """The cohort retrieved and pseudonymised by C-GET, C-MOVE and WADO-RS."""
    out = {}
    for method in ("c-get", "c-move", "wado"):
        target = cohort.work / f"get_{method}"
        radlink("pacs", "retrieve", cohort.work / "studies_dimse.parquet", "--pacs", cohort.pacs,
                "-o", target, "--method", method, "--pseudonymise", "--key-file", cohort.key_file,
                "--timeline", cohort.timeline, "--registry", cohort.work / "registry.jsonl",
                "--no-progress")
        out[method] = target
    return out


def _files(folder: Path) -> list[Path]:
    return sorted(p for where in ("files", "review") for p in (folder / where).rglob("*.dcm"))


class TestRetrieve:
    def test_every_instance_by_three_methods(self, found, retrieved):
        n = int(found["dimse"]["n_instances"].sum())
        names = None
        for method, folder in retrieved.items():
            table = pd.read_parquet(folder / "retrieval.parquet")
            assert (table["status"] == "done").all(), method
            assert (table["n_received"] == table["n_expected"]).all()
            files = [p.relative_to(folder).as_posix() for p in _files(folder)]
            assert len(files) == n
            assert names is None or files == names, "keyed UIDs differ between runs"
            names = files

    def test_no_original_identifier_remains(self, cohort, found, retrieved):
        exams = cohort.exams.set_index("exam_id")
        p = Pseudonymiser(cohort.key_file.read_bytes().strip())
        by_key = {p.uid(e): e for e in found["dimse"]["exam_id"]}  # keyed study UID -> exam
        for path in _files(retrieved["c-get"]):
            data = path.read_bytes()
            ds = pydicom.dcmread(path)
            exam_id = by_key[ds.StudyInstanceUID]
            exam = exams.loc[exam_id]
            secrets = {exam_id, exam["accession_number"], exam["patient_id"],
                       exam["study_datetime"].strftime("%Y%m%d")}
            if not pd.isna(exam["birth_date"]):
                secrets.add(exam["birth_date"].strftime("%Y%m%d"))
            name = exam["patient_name"] or ""
            secrets |= {part for part in name.replace("^", " ").split() if len(part) > 2}
            for original in cohort.files[exam_id]:
                o = pydicom.dcmread(io.BytesIO(original))
                secrets |= {o.SeriesInstanceUID, o.SOPInstanceUID, o.FrameOfReferenceUID}
            for secret in filter(None, secrets):
                assert str(secret).encode() not in data, f"{path.name}: an original value remains"
                assert str(secret).upper().encode() not in data.upper()
            assert ds.PatientIdentityRemoved == "YES"
            codes = {item.CodeValue for item in ds.DeidentificationMethodCodeSequence}
            assert {"113100", "113107"} <= codes
            assert not any(e.tag.is_private for e in ds.iterall())

    def test_patient_id_is_the_timelines_pseudonym_and_intervals_survive(self, cohort, found,
                                                                          retrieved):
        p = Pseudonymiser(cohort.key_file.read_bytes().strip())
        tlp = pd.read_parquet(cohort.timeline_pseudonymised / "timeline.parquet")
        tlp = tlp[tlp["event_type"] == "exam"].set_index("exam_id")
        raw = pd.read_parquet(cohort.timeline / "timeline.parquet")
        raw = raw[raw["event_type"] == "exam"].set_index("exam_id")
        by_key = {p.uid(e): e for e in found["dimse"]["exam_id"]}
        seen = {}
        for path in _files(retrieved["wado"]):
            ds = pydicom.dcmread(path, stop_before_pixels=True)
            exam_id = by_key[ds.StudyInstanceUID]
            assert ds.PatientID == tlp.loc[p.pseudonym("exam", exam_id), "patient_id"]
            seen[exam_id] = (ds.PatientID, pd.Timestamp(ds.StudyDate))
        shifted = pd.DataFrame.from_dict(seen, orient="index", columns=["patient", "date"])
        shifted["original"] = raw.loc[shifted.index, "start"].dt.normalize()
        offsets = (shifted["date"] - shifted["original"]).dt.days
        per_patient = offsets.groupby(shifted["patient"]).nunique()
        assert (per_patient == 1).all()  # one offset per patient: intervals preserved
        assert (offsets != 0).all()
        reattached = raw["patient_id"] != cohort.exams.set_index("exam_id")["patient_id"].reindex(raw.index)
        assert reattached.any()  # exams filed under another IPP took their true patient's pseudonym

    def test_ultrasound_is_held_for_review(self, cohort, found, retrieved):
        review = pd.read_parquet(retrieved["c-get"] / "review.parquet")
        us = found["dimse"]["modality"].fillna("").str.contains("US")
        assert us.any() and len(review) == 4 * int(us.sum())
        assert set(review["reason"]) >= {"SOP class Ultrasound Image Storage"}
        assert all((retrieved["c-get"] / p).exists() for p in review["path"])

    def test_the_register_holds_the_request(self, cohort, retrieved):
        lines = [json.loads(line) for line in
                 (cohort.work / "registry.jsonl").read_text(encoding="utf-8").splitlines()]
        finds = [x for x in lines if x["command"] == "pacs find"]
        gets = [x for x in lines if x["command"] == "pacs retrieve"]
        assert finds and len(gets) == 3
        counts = json.loads(gets[0]["counts"])
        assert counts["asked"] == counts["found"] == counts["retrieved"] >= 50
        assert counts["pseudonymised"] == counts["instances_received"]
        assert gets[0]["key_fingerprint"] == Pseudonymiser(
            cohort.key_file.read_bytes().strip()).fingerprint
        assert json.loads(finds[0]["cohort"])["source"] == "timeline"
        assert KEY_NOT_IN(lines, cohort)


def KEY_NOT_IN(lines, cohort) -> bool:  # noqa: N802
    key = cohort.key_file.read_text().strip()
    return all(key not in json.dumps(line) for line in lines)


class TestResume:
    def test_a_killed_retrieval_resumes_with_only_what_is_missing(self, cohort, found, tmp_path):
        target = tmp_path / "killed"
        cmd = [sys.executable, "-c", "from radlink.cli import main; main()", "pacs", "retrieve",
               str(cohort.work / "studies_dimse.parquet"), "--pacs", str(cohort.pacs), "-o",
               str(target), "--pseudonymise", "--key-file", str(cohort.key_file), "--no-progress"]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        total = int(found["dimse"]["n_instances"].sum())
        deadline = time.monotonic() + 120
        while len(_files(target)) < 20 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        before = len(_files(target))
        assert 0 < before < total, "the retrieval was not interrupted half-way"
        out = radlink("pacs", "retrieve", cohort.work / "studies_dimse.parquet", "--pacs",
                      cohort.pacs, "-o", target, "--pseudonymise", "--key-file", cohort.key_file,
                      "--no-progress")
        assert f"instances received by this run: {total - before:,}" in out
        table = pd.read_parquet(target / "retrieval.parquet")
        assert (table["status"] == "done").all()
        again = radlink("pacs", "retrieve", cohort.work / "studies_dimse.parquet", "--pacs",
                        cohort.pacs, "-o", target, "--pseudonymise", "--key-file", cohort.key_file,
                        "--no-progress")
        assert "instances received by this run: 0 " in again


def test_the_timeline_request_never_names_an_opposed_patient(cohort):
    from radlink.pacs.request import request_from_timeline
    from radlink.privacy import read_opposition

    request = request_from_timeline(cohort.timeline, CohortCriteria())
    assert request.opposed == read_opposition(cohort.opposition)  # read from the timeline's manifest
    assert cohort.opposed not in {q.patient_id for q in request.patient_queries}
    theirs = opposed_exams(cohort)
    assert theirs and not theirs & set(request.exams["exam_id"])
