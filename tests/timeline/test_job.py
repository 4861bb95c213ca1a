"""End-to-end tests of the timeline job on the committed sample (real NLP and linkage)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from radlink.cli import main
from radlink.dataset import load_dataset
from radlink.timeline.assemble import TIMELINE_COLUMNS
from radlink.timeline.job import OUTPUT_FILES, run_timeline
from radlink.timeline.manifest import sha256_file

SAMPLE = Path(__file__).resolve().parents[2] / "data_samples"
KEY = "a-test-key-that-is-long-enough"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(SAMPLE)


@pytest.fixture(scope="module")
def plain_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("plain") / "out"
    doc = run_timeline(SAMPLE, out)
    return out, doc


@pytest.fixture(scope="module")
def opposed_ids(dataset):
    # three patients who have exams, one of whom has an exam without IPP in the truth
    truth = pd.read_parquet(SAMPLE / "truth" / "links.parquet")
    ep = truth[(truth.source_type == "exam") & (truth.target_type == "patient")]
    faults = pd.read_parquet(SAMPLE / "truth" / "exam_faults.parquet")
    badly = ep[ep.source_id.isin(faults.loc[faults.fault != "none", "exam_id"])]
    chosen = list(dict.fromkeys(list(badly.target_id[:1]) + list(ep.target_id.drop_duplicates()[:3])))[:3]
    return chosen


@pytest.fixture(scope="module")
def private_run(tmp_path_factory, opposed_ids):
    base = tmp_path_factory.mktemp("private")
    (base / "key").write_text(KEY)
    (base / "opposition.txt").write_text("\n".join(opposed_ids) + "\n")
    out = base / "out"
    doc = run_timeline(SAMPLE, out, pseudonymise=True, key_file=base / "key",
                       opposition_file=base / "opposition.txt", registry=base / "registry.jsonl")
    return base, out, doc


def test_outputs_and_contract_columns(plain_run):
    out, doc = plain_run
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUT_FILES, "manifest.json"])
    tl = pd.read_parquet(out / "timeline.parquet")
    assert list(tl.columns[: len(TIMELINE_COLUMNS)]) == list(TIMELINE_COLUMNS)
    assert set(tl.event_type) == {"stay", "exam", "report"}
    # ordered by patient then time
    key = tl[["patient_id", "start"]].dropna()
    assert key.equals(key.sort_values(["patient_id", "start"], kind="mergesort"))


def test_accounting_identity(plain_run, dataset):
    out, doc = plain_run
    tl = pd.read_parquet(out / "timeline.parquet")
    for table, event in (("exams", "exam"), ("reports", "report"), ("stays", "stay")):
        a = doc["accounting"][table]
        assert a["in"] == len(getattr(dataset, table))
        assert a["in"] == a["linked"] + a["ambiguous"] + a["unlinked"] + a["excluded_opposition"]
        unattached = pd.read_parquet(out / f"unattached_{table}.parquet")
        assert a["linked"] == (tl.event_type == event).sum()
        assert a["ambiguous"] + a["unlinked"] == len(unattached)
        ids_out = set(tl.loc[tl.event_type == event, "event_id"]) | set(unattached.iloc[:, 0])
        assert ids_out == set(getattr(dataset, table).iloc[:, 0])  # every input row somewhere
    manifest = json.loads((out / "manifest.json").read_text())
    assert {i["table"] for i in manifest["inputs"]} >= {"patients", "exams", "reports", "stays"}
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert {o["file"]: o["rows"] for o in manifest["outputs"]}["timeline.parquet"] == len(tl)


def test_most_exams_reach_the_timeline(plain_run):
    _, doc = plain_run
    a = doc["accounting"]["exams"]
    assert a["linked"] / a["in"] >= 0.9
    assert doc["reattached_exams"] > 0  # the sample has exams under someone else's IPP


def test_rerun_gives_identical_tables(plain_run, tmp_path):
    out, _ = plain_run
    run_timeline(SAMPLE, tmp_path / "again")
    for name in OUTPUT_FILES:
        assert sha256_file(out / name) == sha256_file(tmp_path / "again" / name), name


def _all_text(out: Path) -> str:
    parts = []
    for f in sorted(out.iterdir()):
        if f.suffix == ".parquet":
            parts.append(pd.read_parquet(f).astype(str).to_csv(index=False))
        else:
            parts.append(f.read_text())
    return "\n".join(parts)


def test_pseudonymised_outputs_carry_no_identifier(private_run, dataset):
    _, out, doc = private_run
    text = _all_text(out)
    for ipp in set(dataset.patients.patient_id) | set(dataset.exams.patient_id.dropna()):
        assert not re.search(rf"\b{re.escape(ipp)}\b", text), "a raw IPP leaked"
    for col in ("family_name", "given_name", "usage_name"):
        for name in dataset.patients[col].dropna().unique():
            if len(name) > 3:
                assert not re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE), "a name leaked"
    for d in dataset.patients.birth_date.dropna().dt.strftime("%Y-%m-%d").unique():
        assert d not in text, "a birth date leaked"
    for exam_id in dataset.exams.exam_id[:50]:
        assert exam_id not in text
    assert KEY not in text
    assert doc["pseudonymised"] and doc["key_fingerprint"]


def test_pseudonymised_dates_shift_but_intervals_survive(private_run, plain_run):
    _, out, _ = private_run
    tl = pd.read_parquet(out / "timeline.parquet")
    plain = pd.read_parquet(plain_run[0] / "timeline.parquet")
    # per patient: the span between first and last event is unchanged
    span_p = tl.groupby("patient_id")["start"].agg(lambda s: s.max() - s.min()).sort_values().to_numpy()
    plain_kept = plain  # opposition removed some patients: compare the multiset on common sizes
    span_plain = plain_kept.groupby("patient_id")["start"].agg(lambda s: s.max() - s.min())
    assert set(span_p) <= set(span_plain)
    assert not set(tl.start.dropna()) >= set(plain.start.dropna())  # dates really moved


def test_opposition_removes_patients_everywhere(private_run, plain_run, opposed_ids, dataset):
    from radlink.privacy.pseudonymise import Pseudonymiser

    _, out, doc = private_run
    plain_out, _ = plain_run
    plain_tl = pd.read_parquet(plain_out / "timeline.parquet")
    assert plain_tl.patient_id.isin(opposed_ids).sum() > 0
    tl = pd.read_parquet(out / "timeline.parquet")
    p = Pseudonymiser(KEY.encode())
    opposed_pseudo = {p.pseudonym("patient", i) for i in opposed_ids}
    assert not tl.patient_id.isin(opposed_pseudo).any()
    # what was removed: exactly the rows that carry or resolve to an opposed patient
    raw_exam_ipp = dataset.exams.set_index("exam_id")["patient_id"]
    raw_report_ipp = dataset.reports.set_index("report_id")["patient_id"]
    carries = (
        plain_tl.patient_id.isin(opposed_ids)
        | ((plain_tl.event_type == "exam") & plain_tl.event_id.map(raw_exam_ipp).isin(opposed_ids))
        | ((plain_tl.event_type == "report") & plain_tl.event_id.map(raw_report_ipp).isin(opposed_ids))
    )
    excluded_exams = set(plain_tl.loc[carries & (plain_tl.event_type == "exam"), "event_id"])
    carries |= (plain_tl.event_type == "report") & plain_tl.exam_id.isin(excluded_exams)
    assert len(tl) == len(plain_tl) - carries.sum()
    acc = doc["accounting"]
    for table, event in (("exams", "exam"), ("reports", "report"), ("stays", "stay")):
        on_timeline = (carries & (plain_tl.event_type == event)).sum()
        assert acc[table]["excluded_opposition"] >= on_timeline
        a = acc[table]
        assert a["in"] == a["linked"] + a["ambiguous"] + a["unlinked"] + a["excluded_opposition"]
    assert doc["excluded_patients"] == len(opposed_ids)
    # links, facts and findings of their exams and reports are gone too
    links = pd.read_parquet(out / "links.parquet")
    plain_links = pd.read_parquet(plain_out / "links.parquet")
    assert len(links) == len(plain_links) - 2 * acc["exams"]["excluded_opposition"] - 2 * acc["reports"]["excluded_opposition"]
    facts = pd.read_parquet(out / "report_facts.parquet")
    assert len(facts) == len(dataset.reports) - acc["reports"]["excluded_opposition"]
    manifest = (out / "manifest.json").read_text()
    assert not any(i in manifest for i in opposed_ids)


def test_same_key_same_output(private_run, opposed_ids, tmp_path):
    base, out, _ = private_run
    run_timeline(SAMPLE, tmp_path / "again", pseudonymise=True, key_file=base / "key",
                 opposition_file=base / "opposition.txt")
    for name in OUTPUT_FILES:
        assert sha256_file(out / name) == sha256_file(tmp_path / "again" / name), name


def test_registry_line(private_run):
    base, out, doc = private_run
    (line,) = [json.loads(x) for x in (base / "registry.jsonl").read_text().splitlines()]
    assert line["run_id"] == doc["run_id"] and line["outdir"] == str(out.resolve())
    assert KEY not in json.dumps(line)


def test_cli_timeline_plot_count(tmp_path, monkeypatch):
    monkeypatch.setenv("RADLINK_PSEUDONYM_KEY", KEY)
    runner = CliRunner()
    res = runner.invoke(main, ["timeline", str(SAMPLE), "-o", str(tmp_path / "tl"), "--pseudonymise"])
    assert res.exit_code == 0, res.output
    assert "exams" in res.output and "pseudonymised" in res.output
    tl = pd.read_parquet(tmp_path / "tl" / "timeline.parquet")
    patient = tl.loc[tl.event_type == "exam", "patient_id"].iloc[0]
    for suffix in ("html", "png"):
        res = runner.invoke(main, ["plot", patient, "--timeline", str(tmp_path / "tl"),
                                   "-o", str(tmp_path / f"p.{suffix}")])
        assert res.exit_code == 0, res.output
    page = (tmp_path / "p.html").read_text()
    assert "<svg" in page and "<script" not in page.lower()
    assert not re.search(r"""(src|href)=["']https?:""", page)  # nothing fetched: works offline
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"
    res = runner.invoke(main, ["count", str(tmp_path / "tl"), "--modality", "PT"])
    assert res.exit_code == 0 and "patients:" in res.output
    n_pt = tl[(tl.event_type == "exam") & (tl.modality == "PT")]
    lone = tl[(tl.event_type == "report") & (tl.modality == "PT") & ~tl.exam_id.isin(tl.loc[tl.event_type == "exam", "exam_id"])
              & ~tl.report_id.isin(tl.loc[tl.event_type == "exam", "report_id"].dropna())]
    assert len(lone) > 0  # reports whose exam is not on the timeline stand for it (issue 15)
    assert f"exams:    {len(n_pt) + len(lone):,}" in res.output


def test_cli_plot_unknown_patient(plain_run, tmp_path):
    out, _ = plain_run
    res = CliRunner().invoke(main, ["plot", "nobody", "--timeline", str(out), "-o", str(tmp_path / "x.html")])
    assert res.exit_code == 1 and "no event" in res.output and "Traceback" not in res.output


def test_a_report_past_the_time_limit_is_a_counted_row_not_a_stall(tmp_path, monkeypatch, dataset):
    """--jobs 2: one report that never ends is skipped with its reason; the run completes."""
    import time

    import radlink.nlp.extractor as extractor_module
    from radlink.nlp import ReportExtractor

    stuck = dataset.reports["report_id"].iloc[5]
    marker = dataset.reports["text"].iloc[5]
    real = extractor_module.find_technique

    def find_technique(text, sections, modality):
        if text == extractor_module.clean_text(marker).text:
            while True:
                time.sleep(0.001)
        return real(text, sections, modality)

    monkeypatch.setattr(extractor_module, "find_technique", find_technique)

    def extractor(reports, jobs):
        out = ReportExtractor(time_limit=1.0).extract(reports[["report_id", "text", "title"]], jobs=jobs)
        return out.facts, out.findings, out.skipped

    (tmp_path / "key").write_text(KEY)
    out = tmp_path / "out"
    doc = run_timeline(SAMPLE, out, jobs=2, extractor=extractor, pseudonymise=True, key_file=tmp_path / "key")
    assert doc["skipped_reports"] == {"time_limit": 1}
    skipped = pd.read_parquet(out / "skipped_reports.parquet")
    assert skipped["reason"].tolist() == ["time_limit"]
    assert skipped["report_id"].iloc[0] != stuck  # pseudonymised like every report id
    facts = pd.read_parquet(out / "report_facts.parquet")
    assert len(facts) == len(dataset.reports)
    assert skipped["report_id"].iloc[0] in set(facts["report_id"])
