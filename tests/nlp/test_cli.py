"""``radlink extract``: the command line, with click's CliRunner."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner

from radlink.cli import main
from radlink.nlp import FACTS_COLUMNS, FINDINGS_COLUMNS
from radlink.tables import none_for_missing


def test_extract_writes_both_tables(tmp_path):
    reports = pd.DataFrame(
        {
            "report_id": ["1", "2"],
            "text": ["Résultats : Nodule lobaire inférieur gauche de 12 mm (SUVmax 4,1).", "RAS"],
        }
    )
    src = tmp_path / "reports.csv"
    reports.to_csv(src, index=False)
    result = CliRunner().invoke(main, ["extract", str(src), "-o", str(tmp_path / "out"), "--no-progress"])
    assert result.exit_code == 0, result.output
    facts = pd.read_parquet(tmp_path / "out" / "report_facts.parquet")
    findings = pd.read_parquet(tmp_path / "out" / "findings.parquet")
    assert tuple(facts.columns) == FACTS_COLUMNS and tuple(findings.columns) == FINDINGS_COLUMNS
    assert facts["report_id"].tolist() == ["1", "2"]
    assert findings[["site", "size_mm", "suvmax"]].values.tolist() == [["lung_lower_lobe", 12.0, 4.1]]


def test_extract_reports_a_bad_table_clearly(tmp_path):
    src = tmp_path / "reports.parquet"
    pd.DataFrame({"report_id": ["1"], "body": ["Nodule du patient Dupont"]}).to_parquet(src)
    result = CliRunner().invoke(main, ["extract", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "table 'reports', column 'text'" in result.output
    assert "Dupont" not in result.output


def test_extract_rejects_another_format(tmp_path):
    src = tmp_path / "reports.json"
    src.write_text("{}")
    result = CliRunner().invoke(main, ["extract", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert ".parquet or .csv" in result.output


def test_extract_in_batches_gives_one_table(tmp_path):
    reports = pd.DataFrame(
        {"report_id": [str(i) for i in range(5)],
         "text": ["Résultats : Nodule pulmonaire de 8 mm."] * 4 + ["Résultats : Nodule pulmonaire droit de 8 mm."]}
    )
    src = tmp_path / "reports.parquet"
    reports.to_parquet(src)
    args = ["extract", str(src), "-o", str(tmp_path / "out"), "--batch-size", "2", "--no-progress"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    facts = pd.read_parquet(tmp_path / "out" / "report_facts.parquet")
    findings = pd.read_parquet(tmp_path / "out" / "findings.parquet")
    assert facts["report_id"].tolist() == [str(i) for i in range(5)]
    assert len(findings) == 5 and findings["size_mm"].tolist() == [8.0] * 5
    assert none_for_missing(findings["laterality"]).tolist() == [None] * 4 + ["right"]  # typed across batches


def test_extract_empty_table(tmp_path):
    src = tmp_path / "reports.csv"
    pd.DataFrame({"report_id": [], "text": []}).to_csv(src, index=False)
    result = CliRunner().invoke(main, ["extract", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert len(pd.read_parquet(tmp_path / "out" / "findings.parquet")) == 0
