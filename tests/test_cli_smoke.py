"""The CLI smoke path: every command once, end to end, on generated and sample data.

Marked ``smoke``: ``.ci/run`` runs it a second time on the oldest supported pandas.
Each step checks what it wrote, not only its exit status.
"""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from radlink.cli import COMMANDS, main

pytestmark = [pytest.mark.smoke, pytest.mark.slow]

SAMPLE = Path(__file__).resolve().parents[1] / "data_samples"


SEEN: set[str] = set()
"""Commands the smoke path ran."""


def run(*args: str) -> str:
    SEEN.add(str(args[0]))
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("smoke")


def test_every_command_on_the_smoke_path(work, monkeypatch):
    monkeypatch.setenv("RADLINK_PSEUDONYM_KEY", "smoke-test-key-0123456789")
    run("synth", "--patients", 40, "--seed", 3, "-o", work / "wh")
    assert (work / "wh" / "truth" / "links.parquet").exists()
    assert "valid" in run("validate", work / "wh")

    run("link", work / "wh", "-o", work / "links.parquet", "--no-progress")
    links = pd.read_parquet(work / "links.parquet")
    assert set(links["status"]) <= {"linked", "ambiguous", "unlinked"} and len(links)
    assert "exam→patient" in run("evaluate-linkage", work / "wh", "--links", work / "links.parquet")

    run("extract", work / "wh" / "reports.parquet", "-o", work / "nlp", "--no-progress")
    facts = pd.read_parquet(work / "nlp" / "report_facts.parquet")
    assert len(facts) == len(pd.read_parquet(work / "wh" / "reports.parquet"))
    assert "suvmax" in run("evaluate-nlp", SAMPLE / "nlp_gold_heldout2")

    run("ingest-dicom", SAMPLE / "dicom", "-o", work / "dicom.parquet")
    assert len(pd.read_parquet(work / "dicom.parquet")) == 6

    run("timeline", SAMPLE, "-o", work / "tl", "--no-progress")
    run("timeline", SAMPLE, "-o", work / "tlp", "--pseudonymise", "--no-progress")
    assert pd.read_parquet(work / "tlp" / "timeline.parquet")["patient_id"].str.startswith("pat_").all()
    assert "patients" in run("count", work / "tl", "--modality", "PT")
    run("plot", "800004332", "--timeline", work / "tl", "-o", work / "p.html")
    run("profile", "data_samples", "-o", work / "profile.html")
    assert (work / "p.html").stat().st_size > 1000
    run("plot", "800004332", "--timeline", work / "tl", "-o", work / "again.html")
    assert (work / "p.html").read_bytes() == (work / "again.html").read_bytes()  # deterministic
    run("redcap-prefill", work / "tl", "-d", SAMPLE / "redcap" / "lung_pet_dictionary.csv",
        "-m", SAMPLE / "redcap" / "lung_pet_map.toml", "-o", work / "redcap.csv")
    assert len(pd.read_csv(work / "redcap.csv"))

    run("train-linkage-model", "--dataset", work / "wh", "-o", work / "scorer.json")
    assert (work / "scorer.json").read_text().startswith("{")
    # the shipped lesion verifier is what its training command rebuilds, byte for byte
    from radlink.models import LESION_VERIFIER_MODEL

    run("train-lesion-verifier", "--gold-root", SAMPLE, "-o", work / "verifier.json")
    assert (work / "verifier.json").read_bytes() == LESION_VERIFIER_MODEL.read_bytes()

    run("deidentify", SAMPLE / "reports.parquet", "-o", work / "deid.parquet")
    assert len(pd.read_parquet(work / "deid.parquet")) == len(pd.read_parquet(SAMPLE / "reports.parquet"))

    run("export", "--format", "omop", work / "tl", "-o", work / "omop")
    assert len(pd.read_csv(work / "omop" / "note_nlp.csv")) == len(pd.read_parquet(work / "tl" / "findings.parquet"))
    run("export", "--format", "brat", work / "tl", "-o", work / "brat")
    assert "lesion_findings" in run("evaluate-nlp", work / "brat")

    # `pacs` against a real PACS: tests/pacs (Orthanc); here its commands' help and a
    # PACS that does not answer (a clear error, no traceback)
    assert "find" in run("pacs", "--help") and "--max-results" in run("pacs", "find", "--help")
    assert "--method" in run("pacs", "retrieve", "--help")
    import socket

    with socket.socket() as s:  # a loopback port nobody listens on: refused at once
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (work / "pacs.toml").write_text(f'[dicomweb]\nurl = "http://127.0.0.1:{port}/dicom-web"\n')
    (work / "acc.csv").write_text("accession_number\nA1\n")
    silent = CliRunner().invoke(main, ["pacs", "find", "--pacs", str(work / "pacs.toml"),
                                       "--accessions", str(work / "acc.csv"), "-o",
                                       str(work / "studies.parquet")])
    assert silent.exit_code == 1 and "radlink pacs find: QIDO-RS: ConnectionError" in silent.output
    assert set(COMMANDS) <= SEEN, f"commands not on the smoke path: {set(COMMANDS) - SEEN}"
