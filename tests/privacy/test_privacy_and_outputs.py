"""Tests of pseudonymisation, opposition lists, atomic outputs and the run manifest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from radlink.errors import OppositionListError, OutputError, PseudonymisationKeyError
from radlink.outputs import OutputDir
from radlink.privacy.opposition import opposed_mask, read_opposition
from radlink.privacy.pseudonymise import KEY_ENV_VAR, Pseudonymiser, read_key, scrub_text
from radlink.timeline.manifest import RunManifest, append_to_registry, sha256_file

KEY = b"test-key-0123456789abcdef"


class TestPseudonymiser:
    def test_stable_keyed_and_kind_separated(self):
        p, q = Pseudonymiser(KEY), Pseudonymiser(KEY + b"x")
        assert p.pseudonym("patient", "800123456") == Pseudonymiser(KEY).pseudonym("patient", "800123456")
        assert p.pseudonym("patient", "800123456") != q.pseudonym("patient", "800123456")
        assert p.pseudonym("exam", "1") != p.pseudonym("report", "1")
        assert "800123456" not in p.pseudonym("patient", "800123456")
        assert p.pseudonym("patient", None) is None

    def test_unknown_kind(self):
        with pytest.raises(ValueError, match="unknown id kind"):
            Pseudonymiser(KEY).pseudonym("name", "x")

    def test_series_keeps_nulls(self):
        s = Pseudonymiser(KEY).pseudonymise_ids(pd.Series(["a", None, "a"]), "stay")
        assert s[0] == s[2] and s[1] is None

    def test_date_shift_is_per_patient_and_keeps_intervals(self):
        p = Pseudonymiser(KEY, max_shift_days=30)
        ids = pd.Series([f"P{i}" for i in range(200)] * 2)
        dates = pd.Series(pd.to_datetime(["2020-01-01"] * 200 + ["2020-03-01"] * 200))
        shifted = p.shift_dates(dates, ids)
        delta = (shifted - dates).dt.days
        assert delta.abs().max() <= 30 and (delta != 0).all()
        assert delta.nunique() > 20  # patients get different shifts
        assert ((shifted[200:].to_numpy() - shifted[:200].to_numpy()) == (dates[200:].to_numpy() - dates[:200].to_numpy())).all()

    def test_fingerprint_does_not_reveal_key(self):
        fp = Pseudonymiser(KEY).fingerprint
        assert len(fp) == 12 and KEY.decode() not in fp


class TestReadKey:
    def test_from_file_and_env(self, tmp_path, monkeypatch):
        f = tmp_path / "key"
        f.write_bytes(KEY + b"\n")
        assert read_key(f) == KEY
        monkeypatch.setenv(KEY_ENV_VAR, KEY.decode())
        assert read_key() == KEY

    def test_missing_or_short(self, tmp_path, monkeypatch):
        monkeypatch.delenv(KEY_ENV_VAR, raising=False)
        with pytest.raises(PseudonymisationKeyError, match="RADLINK_PSEUDONYM_KEY"):
            read_key()
        monkeypatch.setenv(KEY_ENV_VAR, "short")
        with pytest.raises(PseudonymisationKeyError, match="too short") as exc:
            read_key()
        assert "short" not in str(exc.value).replace("too short", "")  # key value never echoed


def test_scrub_text_removes_placeholders_and_dates():
    text = "Mme [NOM] née le [DATE], examen du 10/04/2020 et du 3 mars 2019 ; [NOM: Dupont] nodule 8 mm"
    out = scrub_text(text)
    assert "[" not in out and "Dupont" not in out and "2020" not in out and "2019" not in out
    assert "nodule 8 mm" in out


class TestOpposition:
    def test_formats(self, tmp_path):
        (tmp_path / "o.txt").write_text("# header\n800000001\n\n800000002  # late\n")
        assert read_opposition(tmp_path / "o.txt") == {"800000001", "800000002"}
        pd.DataFrame({"patient_id": ["1", None]}).to_csv(tmp_path / "o.csv", index=False)
        assert read_opposition(tmp_path / "o.csv") == {"1"}

    def test_errors(self, tmp_path):
        with pytest.raises(OppositionListError, match="not found"):
            read_opposition(tmp_path / "none.txt")
        pd.DataFrame({"ipp": ["1"]}).to_csv(tmp_path / "o.csv", index=False)
        with pytest.raises(OppositionListError, match="'patient_id' is missing"):
            read_opposition(tmp_path / "o.csv")

    def test_mask(self):
        m = opposed_mask(pd.Series(["A", "B"]), opposed=frozenset())
        assert not m.any()


class TestOutputDir:
    def test_commit_moves_everything(self, tmp_path):
        out = OutputDir(tmp_path / "run")
        out.write_table("a.parquet", pd.DataFrame({"x": [1]}))
        assert not (tmp_path / "run").exists()  # nothing visible before commit
        out.write_json("manifest.json", {"k": 1})
        out.commit()
        assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["a.parquet", "manifest.json"]
        assert not list(tmp_path.glob(".run.partial-*"))

    def test_exception_leaves_nothing(self, tmp_path):
        with pytest.raises(RuntimeError), OutputDir(tmp_path / "run") as out:
            out.write_table("a.parquet", pd.DataFrame({"x": [1]}))
            raise RuntimeError("boom")
        assert not (tmp_path / "run").exists()
        assert not list(tmp_path.glob(".run.partial-*"))

    def test_same_table_same_bytes(self, tmp_path):
        df = pd.DataFrame({"x": [1, 2], "y": ["a", None]})
        for name in ("r1", "r2"):
            out = OutputDir(tmp_path / name)
            out.write_table("t.parquet", df)
            out.commit()
        assert sha256_file(tmp_path / "r1/t.parquet") == sha256_file(tmp_path / "r2/t.parquet")

    def test_killed_run_leaves_no_partial_file_and_is_cleaned(self, tmp_path):
        script = textwrap.dedent(f"""
            import time, pandas as pd
            from radlink.outputs import OutputDir
            out = OutputDir({str(tmp_path / 'run')!r})
            out.write_table("a.parquet", pd.DataFrame({{"x": range(1000)}}))
            print("staged", flush=True)
            time.sleep(60)
            out.commit()
        """)
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "staged"
        proc.kill()
        proc.wait()
        assert not (tmp_path / "run").exists()
        assert len(list(tmp_path.glob(".run.partial-*"))) == 1  # hidden staging only
        OutputDir(tmp_path / "run").abort()  # the next run cleans the dead one's staging
        assert not list(tmp_path.glob(".run.partial-*"))


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


class TestWholeOrAbsent:
    def test_a_second_run_on_the_same_folder_fails_at_once(self, tmp_path):
        first = OutputDir(tmp_path / "run")
        with pytest.raises(OutputError, match="another run is writing"):
            OutputDir(tmp_path / "run")
        first.abort()
        OutputDir(tmp_path / "run").abort()  # the lock is free again

    def test_a_rerun_replaces_the_folder_whole(self, tmp_path):
        for name in ("a.parquet", "b.parquet"):
            out = OutputDir(tmp_path / "run")
            out.write_table(name, pd.DataFrame({"x": [1]}))
            out.write_json("manifest.json", {"file": name})
            out.commit()
        assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["b.parquet", "manifest.json"]

    def test_a_folder_that_is_not_a_radlink_output_is_never_replaced(self, tmp_path):
        (tmp_path / "mine").mkdir()
        (tmp_path / "mine" / "thesis.docx").write_text("precious")
        with pytest.raises(OutputError, match="not a radlink output"):
            OutputDir(tmp_path / "mine")
        assert (tmp_path / "mine" / "thesis.docx").read_text() == "precious"


def test_run_id_depends_on_the_key(tmp_path, monkeypatch):
    from radlink.timeline.job import run_timeline

    ids = set()
    for i, key in enumerate(("first-key-0123456789", "other-key-0123456789")):
        monkeypatch.setenv("RADLINK_PSEUDONYM_KEY", key)
        ids.add(run_timeline("data_samples", tmp_path / f"out{i}", pseudonymise=True)["run_id"])
    assert len(ids) == 2
