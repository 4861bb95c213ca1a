"""``radlink link`` and ``radlink evaluate-linkage``."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner

from radlink.cli import main
from radlink.linkage import LINK_COLUMNS


def test_link_then_evaluate(sample_dir, tmp_path):
    out = tmp_path / "links.parquet"
    runner = CliRunner()
    res = runner.invoke(main, ["link", str(sample_dir), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "exam→patient" in res.output and "re-attached" in res.output
    links = pd.read_parquet(out)
    assert list(links.columns) == list(LINK_COLUMNS)
    res = runner.invoke(main, ["evaluate-linkage", str(sample_dir), "--links", str(out)])
    assert res.exit_code == 0, res.output
    assert "[badly attached]" in res.output and "report→stay" in res.output


def test_evaluate_without_truth_is_a_clear_error(tmp_path):
    pd.DataFrame({"patient_id": ["1"]}).to_parquet(tmp_path / "patients.parquet")
    res = CliRunner().invoke(main, ["evaluate-linkage", str(tmp_path)])
    assert res.exit_code != 0
    assert "truth" in res.output and "Traceback" not in res.output
