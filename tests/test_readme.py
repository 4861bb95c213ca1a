"""What the README says is so: its code runs, its commands exist, its claims hold on the sample.

Figures in the README's quality table come from the commands written beside them
(benchmarks and evaluations); this file checks that those commands and files exist and
that the README's statements about behaviour hold on ``data_samples/``.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pandas as pd
import pytest

from radlink.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
KEY = "readme-test-key-0123456789"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def _section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 3)
    return README[start:end if end > 0 else None]


def test_every_command_the_readme_names_exists_and_every_command_is_named():
    named = set(re.findall(r"(?<![\w-])radlink ([a-z][a-z-]+)", README))
    assert named - set(COMMANDS) == set(), "the README names commands that do not exist"
    assert set(COMMANDS) - named == set(), "commands the README never mentions"


def test_every_file_and_script_the_readme_points_to_exists():
    paths = set(re.findall(r"`((?:benchmarks|data_samples|tests|radlink)/[\w./{},-]+?)`", README))
    paths |= set(re.findall(r"python (benchmarks/[\w/.-]+\.py)", README))
    missing = []
    for p in paths:
        m = re.match(r"(.*)\{([^}]*)\}(.*)", p)
        expanded = [m.group(1) + alt + m.group(3) for alt in m.group(2).split(",")] if m else [p]
        for q in expanded:
            q = q.rstrip(".,")
            if not (ROOT / q).exists() and not list(ROOT.glob(q.rstrip("_") + "*")):
                missing.append(q)
    assert missing == []


def test_the_two_set_up_commands_are_one_line_each():
    setup = _section("Set up")
    commands = re.findall(r"```bash\n(.*?)```", setup, flags=re.S)
    assert len(commands) == 2
    for cmd in commands:
        assert cmd.count("\n") == 1 and "pip install" in cmd
        shlex.split(cmd)  # well formed


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """The README's main job on the sample, in a scratch folder."""
    from radlink.timeline.job import run_timeline

    work = tmp_path_factory.mktemp("readme")
    os.symlink(ROOT / "data_samples", work / "data_samples")
    (work / "key.txt").write_text(KEY)
    doc = run_timeline(work / "data_samples", work / "out")
    return work, doc


@pytest.mark.slow
def test_the_python_examples_run(sample_run, monkeypatch):
    work, _ = sample_run
    monkeypatch.chdir(work)
    python = [b for b in _blocks("python") if ("import radlink" in b or "from radlink" in b)
              and "radlink.spark" not in b]  # the Spark example: tests/spark/test_readme_example.py
    assert len(python) >= 2
    namespace: dict = {}
    for block in python:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - the README's own code
    assert len(namespace["out"].timeline) > 0
    assert len(namespace["records"]) > 0
    assert set(namespace["safe"].timeline["patient_id"]).isdisjoint(set(namespace["ds"].patients["patient_id"]))


@pytest.mark.slow
def test_every_input_row_is_accounted_for_as_the_readme_says(sample_run):
    work, doc = sample_run
    out = work / "out"
    for a in doc["accounting"].values():
        assert a["in"] == a["linked"] + a["ambiguous"] + a["unlinked"] + a["excluded_opposition"]
    facts = pd.read_parquet(out / "report_facts.parquet")
    reports = pd.read_parquet(work / "data_samples" / "reports.parquet")
    assert sorted(facts["report_id"]) == sorted(reports["report_id"])
    links = pd.read_parquet(out / "links.parquet")
    for source, table in (("exam", "exams"), ("report", "reports")):
        ids = pd.read_parquet(work / "data_samples" / f"{table}.parquet")[f"{source}_id"]
        per_type = links[links.source_type == source].groupby("target_type")["source_id"]
        for target_type, got in per_type:
            assert sorted(got) == sorted(ids), f"{source}->{target_type} does not hold every {source} once"
    # a report without an exam reaches the timeline through its patient, else it is unattached
    timeline = pd.read_parquet(out / "timeline.parquet")
    unattached = pd.read_parquet(out / "unattached_reports.parquet")
    rep_exam = links[(links.source_type == "report") & (links.target_type == "exam")]
    without_exam = set(rep_exam.loc[rep_exam.status != "linked", "source_id"])
    on_timeline = set(timeline.loc[timeline.event_type == "report", "report_id"])
    assert without_exam <= on_timeline | set(unattached["report_id"])
    assert len(without_exam) > 0


@pytest.mark.slow
def test_placeholder_dates_are_read_as_null_with_one_warning(tmp_path):
    import warnings

    import radlink
    from radlink.errors import DataWarning

    src = pd.read_parquet(ROOT / "data_samples" / "exams.parquet")
    for name in ("patients", "stays", "reports"):
        pd.read_parquet(ROOT / "data_samples" / f"{name}.parquet").to_parquet(tmp_path / f"{name}.parquet")
    src["study_datetime"] = src["study_datetime"].astype(object)
    src.loc[src.index[:2], "study_datetime"] = "9999-12-31"
    src.loc[src.index[2:], "study_datetime"] = src.loc[src.index[2:], "study_datetime"].astype(str)
    src.to_csv(tmp_path / "exams.csv", sep=";", index=False, encoding="cp1252")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = radlink.load_dataset(tmp_path)
    assert ds.exams["study_datetime"].isna().sum() >= 2
    assert [w for w in caught if issubclass(w.category, DataWarning)]
