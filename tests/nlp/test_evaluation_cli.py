"""``radlink evaluate-nlp`` runs the extractor on each gold set and prints the scores."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from radlink.cli import main
from radlink.nlp import evaluation_cli
from radlink.nlp.evaluation import load_gold

HAND_GOLD = Path(__file__).resolve().parents[2] / "data_samples" / "nlp_gold"


def test_prints_per_field_scores_and_errors(monkeypatch):
    gold = load_gold(HAND_GOLD)

    def fake_extractor(reports: pd.DataFrame, jobs: int = 1):
        # the gold itself, minus one lesion SUVmax, to see an error listed
        findings = gold.findings.copy()
        findings.loc[findings["finding_id"] == "G001-03", "suvmax"] = None
        return gold.facts, findings

    monkeypatch.setattr(evaluation_cli, "run_extractor", fake_extractor)
    result = CliRunner().invoke(main, ["evaluate-nlp", str(HAND_GOLD), "--errors", "suvmax"])
    assert result.exit_code == 0, result.output
    assert f"nlp_gold: {len(gold.reports)} reports" in result.output
    lines = {line.split()[0]: line.split() for line in result.output.splitlines() if line.strip()}
    n_negated = int(gold.findings["negated"].sum())
    n_suv = int(gold.findings["suvmax"].notna().sum() + gold.findings["previous_suvmax"].notna().sum())
    assert lines["negated_findings"][1:4] == [str(n_negated), "0", "0"]
    assert lines["suvmax"][1:4] == [str(n_suv - 1), "0", "1"]
    assert "-- suvmax: 1 key(s) with errors" in result.output
    assert "G001" in result.output.split("-- suvmax")[1]


def test_rejects_a_directory_that_is_not_a_gold_set(tmp_path):
    result = CliRunner().invoke(main, ["evaluate-nlp", str(tmp_path)])
    assert result.exit_code == 1
    assert "is not a gold set" in result.output
