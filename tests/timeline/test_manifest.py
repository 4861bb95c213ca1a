"""The run manifest: accounting, inputs' hashes, run id and registry."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from radlink.errors import OutputError
from radlink.timeline.manifest import RunManifest, append_to_registry


class TestManifest:
    def test_accounting_identity_is_checked(self):
        m = RunManifest(command="timeline", parameters={})
        m.add_accounting("exams", n_in=10, linked=5, ambiguous=1, unlinked=1, excluded_opposition=1)
        with pytest.raises(OutputError, match="does not add up"):
            m.check_accounting()

    def test_run_id_depends_on_inputs_and_parameters(self, tmp_path):
        f = tmp_path / "exams.csv"
        f.write_text("exam_id\n1\n")
        a = RunManifest(command="timeline", parameters={"jobs": 1})
        a.add_input("exams", f, 1)
        b = RunManifest(command="timeline", parameters={"jobs": 1})
        b.add_input("exams", f, 1)
        assert a.run_id == b.run_id
        c = RunManifest(command="timeline", parameters={"jobs": 2})
        c.add_input("exams", f, 1)
        assert c.run_id != a.run_id

    @pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
    def test_registry_appends(self, tmp_path, suffix):
        reg = tmp_path / f"registry{suffix}"
        doc = RunManifest(command="timeline", parameters={"jobs": 1}).finish()
        append_to_registry(reg, doc, tmp_path / "out1")
        append_to_registry(reg, doc, tmp_path / "out2")
        if suffix == ".jsonl":
            lines = [json.loads(x) for x in reg.read_text().splitlines()]
        else:
            lines = pd.read_parquet(reg).to_dict("records")
        assert [os.path.basename(x["outdir"]) for x in lines] == ["out1", "out2"]

    def test_registry_bad_suffix(self, tmp_path):
        with pytest.raises(OutputError, match="jsonl or .parquet"):
            append_to_registry(tmp_path / "r.txt", RunManifest(command="x", parameters={}).finish(), tmp_path)


def test_run_id_depends_on_the_key(tmp_path, monkeypatch):
    from radlink.timeline.job import run_timeline

    ids = set()
    for i, key in enumerate(("first-key-0123456789", "other-key-0123456789")):
        monkeypatch.setenv("RADLINK_PSEUDONYM_KEY", key)
        ids.add(run_timeline("data_samples", tmp_path / f"out{i}", pseudonymise=True)["run_id"])
    assert len(ids) == 2


def test_manifest_times_every_stage(tmp_path, monkeypatch):
    """One entry per step, in the order they ran, with the rows each read (counts, no values)."""
    from radlink.timeline.job import run_timeline

    monkeypatch.setenv("RADLINK_PSEUDONYM_KEY", "first-key-0123456789")
    doc = run_timeline("data_samples", tmp_path / "out", pseudonymise=True)
    stages = {s["stage"]: s for s in doc["stages"]}
    assert list(stages) == ["load", "extract", "link", "assemble", "opposition", "pseudonymise", "write"]
    reports = next(i["rows"] for i in doc["inputs"] if i["table"] == "reports")
    exams = next(i["rows"] for i in doc["inputs"] if i["table"] == "exams")
    assert stages["extract"]["rows"] == reports
    assert stages["link"]["rows"] == exams + reports
    assert stages["write"]["rows"] == sum(o["rows"] for o in doc["outputs"])
    assert all(s["seconds"] >= 0 for s in doc["stages"])
