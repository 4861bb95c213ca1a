"""Atomic output folders: whole or absent, locked, never replacing what is not a radlink output."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from radlink.errors import OutputError
from radlink.outputs import OutputDir
from radlink.timeline.manifest import sha256_file


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
