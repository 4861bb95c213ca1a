"""Tests of the synthetic-warehouse generator (radlink.synth)."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from radlink.cli import main
from radlink.dataset import load_dataset
from radlink.errors import SynthError
from radlink.synth import TRUTH_TABLES, generate, write_dataset
from radlink.synth.faults import FAULT_RATES
from radlink.synth.identity import NOISE_KINDS
from radlink.synth.names import strip_accents
from radlink.synth.stays import PRE_ADMISSION_HOURS
from radlink.tables import validate_table
from radlink.vocabulary import EXAM_FAULTS, INDICATION_CATEGORIES, SITES, STAY_TYPES, TRACERS


@pytest.fixture(scope="module")
def ds():
    return generate(2000, seed=11)


def _link(ds, source: str, target: str) -> pd.Series:
    links = ds.links
    sel = links[(links.source_type == source) & (links.target_type == target)]
    return sel.set_index("source_id")["target_id"]


def _clean(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text.replace("<br>", "\n")))


# -- determinism and validity -------------------------------------------------------------
def test_same_seed_same_tables_other_seed_other_tables():
    a, b, c = generate(120, seed=3), generate(120, seed=3), generate(120, seed=4)
    for name in ("patients", "stays", "exams", "reports", *TRUTH_TABLES):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert not a.patients["family_name"].equals(c.patients["family_name"])
    assert not a.reports["text"].equals(c.reports["text"])


def test_written_files_are_byte_identical(tmp_path):
    for d in ("x", "y"):
        write_dataset(generate(40, seed=5), tmp_path / d)
    files = sorted(p.relative_to(tmp_path / "x") for p in (tmp_path / "x").rglob("*.parquet"))
    assert len(files) == 8
    for f in files:
        assert (tmp_path / "x" / f).read_bytes() == (tmp_path / "y" / f).read_bytes()


def test_tables_are_valid_and_vocabulary_is_canonical(ds):
    for name, df in ds.tables().items():
        pd.testing.assert_frame_equal(validate_table(df, name), df)
    assert set(ds.stays["stay_type"]) == set(STAY_TYPES)
    assert set(ds.exam_faults["fault"]) == set(EXAM_FAULTS)
    facts = ds.report_facts
    assert set(facts["indication_category"]) <= set(INDICATION_CATEGORIES)
    assert set(facts["tracer"].dropna()) <= set(TRACERS)
    assert set(ds.findings["site"]) <= set(SITES)
    assert set(ds.findings["laterality"].dropna()) == {"left", "right", "bilateral"}
    assert ds.patients["patient_id"].str.fullmatch(r"\d{9}").all()
    assert ds.exams["accession_number"].str.fullmatch(r"A\d+").all()
    assert ds.exams["exam_id"].str.startswith("1.2.250.1.").all()
    assert list(facts.columns) == [
        "report_id", "modality", "tracer", "indication", "indication_category", "dose_mbq",
        "glycemia", "glycemia_unit", "injection_delay_min", "max_suvmax", "n_lesions", "conclusion",
    ]


def test_shares_are_realistic(ds):
    women = ds.patients["sex"].eq("F").mean()
    assert 0.45 < women < 0.55
    per_patient = len(ds.exams) / len(ds.patients)
    assert 3.3 < per_patient < 4.8
    assert 0.2 < ds.exams["modality"].eq("PT\\CT").mean() < 0.4
    assert 0.07 < ds.exams["stay_id"].notna().mean() < 0.13
    reports = ds.reports
    assert 0.35 < reports["accession_number"].notna().mean() < 0.45
    assert 0.95 < reports["patient_id"].notna().mean() < 0.99
    assert 0.45 < reports["stay_id"].notna().mean() < 0.55
    with_report = _link(ds, "report", "exam").dropna()
    assert 0.87 < with_report.nunique() / len(ds.exams) < 0.93
    assert 0.02 < _link(ds, "report", "exam").isna().mean() < 0.04
    # surname term frequency matters: common names recur, most names are rare
    counts = ds.patients["family_name"].value_counts()
    assert counts.iloc[0] >= 10 and (counts == 1).sum() > len(counts) / 3


# -- truth completeness -----------------------------------------------------------------------
def test_links_have_one_row_per_source_and_target_type(ds):
    links = ds.links
    assert list(links.columns) == ["source_type", "source_id", "target_type", "target_id"]
    exam_ids, report_ids = set(ds.exams["exam_id"]), set(ds.reports["report_id"])
    for source, target, ids in (("exam", "patient", exam_ids), ("exam", "stay", exam_ids),
                                ("report", "exam", report_ids), ("report", "stay", report_ids)):
        sel = links[(links.source_type == source) & (links.target_type == target)]
        assert sel["source_id"].is_unique and set(sel["source_id"]) == ids
    targets = {"patient": set(ds.patients["patient_id"]), "stay": set(ds.stays["stay_id"]), "exam": exam_ids}
    for target, known in targets.items():
        values = links.loc[links.target_type == target, "target_id"].dropna()
        assert set(values) <= known
    assert _link(ds, "exam", "patient").notna().all()
    assert set(ds.exam_faults["exam_id"]) == exam_ids
    assert set(ds.report_facts["report_id"]) == report_ids
    assert set(ds.findings["report_id"]) <= report_ids and ds.findings["finding_id"].is_unique


# -- faults and identity noise ------------------------------------------------------------------
def test_fault_rates_are_within_two_points_of_targets(ds):
    shares = ds.exam_faults["fault"].value_counts(normalize=True)
    for fault, target in FAULT_RATES.items():
        assert abs(shares[fault] - target) < 0.02, fault
    assert abs((1 - shares["none"]) - sum(FAULT_RATES.values())) < 0.02
    noisy = ds.exam_faults["identity_noise"] != ""
    assert 0.22 < noisy.mean() < 0.28
    bad = ds.exam_faults["fault"] != "none"
    assert noisy[bad].mean() > noisy[~bad].mean() + 0.1


def test_every_noise_kind_occurs(ds):
    kinds = set(";".join(ds.exam_faults["identity_noise"]).split(";")) - {""}
    assert kinds == set(NOISE_KINDS)


def test_badly_attached_exams_differ_from_their_true_patient(ds):
    exams = ds.exams.merge(ds.exam_faults, on="exam_id")
    true_ipp = exams["exam_id"].map(_link(ds, "exam", "patient"))
    registry = set(ds.patients["patient_id"])
    fault = exams["fault"]
    ipp = exams["patient_id"]
    assert (ipp[fault == "none"] == true_ipp[fault == "none"]).all()
    assert ipp[fault == "missing_ipp"].isna().all()
    for f in ("mistyped_ipp", "temporary_ipp"):
        sel = ipp[fault == f]
        assert sel.notna().all() and not sel.isin(registry).any() and (sel != true_ipp[fault == f]).all()
    assert ipp[fault == "temporary_ipp"].str.match(r"^(TMP|9999)\d+$").all()
    other = fault == "other_patient_ipp"
    assert ipp[other].isin(registry).all() and (ipp[other] != true_ipp[other]).all()
    # some wrong IPPs belong to a relative with the same surname
    name = ds.patients.set_index("patient_id")["family_name"]
    same = ipp[other].map(name).to_numpy() == true_ipp[other].map(name).to_numpy()
    assert 0.05 < same.mean() < 0.8


def test_noise_is_applied_as_recorded(ds):
    exams = ds.exams.merge(ds.exam_faults, on="exam_id")
    truth = ds.patients.set_index("patient_id").loc[exams["exam_id"].map(_link(ds, "exam", "patient"))]
    truth = truth.reset_index()
    expected = (truth["family_name"] + "^" + truth["given_name"]).str.upper()
    clean = exams["identity_noise"] == ""
    assert (exams.loc[clean, "patient_name"].str.upper() == expected[clean]).all()
    assert (exams.loc[clean, "birth_date"] == truth.loc[clean, "birth_date"]).all()
    swapped = exams["identity_noise"] == "swapped"
    flipped = (truth["given_name"] + "^" + truth["family_name"]).str.upper()
    assert swapped.any() and (exams.loc[swapped, "patient_name"].str.upper() == flipped[swapped]).all()
    accents = exams["identity_noise"] == "accents_lost"
    assert (exams.loc[accents, "patient_name"].str.upper()
            == expected[accents].map(strip_accents)).all()
    dm = exams["identity_noise"] == "birth_day_month_swap"
    got, want = exams.loc[dm, "birth_date"], truth.loc[dm, "birth_date"]
    assert dm.any() and (got.dt.day.to_numpy() == want.dt.month.to_numpy()).all()
    sex = exams["identity_noise"].str.contains("sex_missing")
    assert exams.loc[sex, "sex"].isna().all() and exams.loc[~sex, "sex"].notna().all()


# -- report truth -------------------------------------------------------------------------------
def _written(value: float) -> set[str]:
    forms = {f"{value:.1f}", f"{value:.1f}".replace(".", ",")}
    return forms | ({str(int(value))} if value == int(value) else set())


def test_every_truth_suvmax_and_size_is_written_in_its_report(ds):
    text = ds.reports.set_index("report_id")["text"].map(_clean)
    for row in ds.findings.itertuples():
        body = text[row.report_id]
        for value in (row.suvmax, row.previous_suvmax):
            if not pd.isna(value):
                assert any(w in body for w in _written(value)), (row.finding_id, value)
        if not pd.isna(row.size_mm):
            mm = int(row.size_mm)
            cm = _written(row.size_mm / 10)
            assert (re.search(rf"\b{mm}( ?[xX×] ?\d+)? mm", body)
                    or any(f"{c} cm" in body for c in cm)), (row.finding_id, row.size_mm)


@pytest.mark.slow
def test_every_suvmax_written_is_in_the_truth(ds):
    text = ds.reports.set_index("report_id")["text"].map(_clean)
    values = ds.findings.groupby("report_id")[["suvmax", "previous_suvmax"]].agg(
        lambda s: set(s.dropna().round(1)))
    pattern = re.compile(r"SUV ?max[^0-9\n]{0,30}?(\d+(?:[.,]\d+)?)")
    checked = 0
    for rid, body in text.items():
        for m in pattern.finditer(body):
            v = round(float(m.group(1).replace(",", ".")), 1)
            known = values.loc[rid, "suvmax"] | values.loc[rid, "previous_suvmax"] if rid in values.index else set()
            assert v in known, (rid, m.group(0))
            checked += 1
    assert checked > 1000


def test_report_facts_are_consistent_with_findings_and_text(ds):
    facts = ds.report_facts.set_index("report_id")
    text = ds.reports.set_index("report_id")["text"].map(_clean)
    lesions = ds.findings[(ds.findings.kind == "lesion") & ~ds.findings.negated]
    assert facts["max_suvmax"].dropna().index.isin(lesions["report_id"]).all()
    expected_max = lesions.groupby("report_id")["suvmax"].max()
    pd.testing.assert_series_equal(facts["max_suvmax"].dropna().sort_index(),
                                   expected_max.dropna().sort_index(), check_names=False)
    n = lesions[lesions.section == "results"].groupby("report_id").size()
    assert (facts["n_lesions"] == n.reindex(facts.index, fill_value=0)).all()
    for rid, row in facts.iterrows():
        assert row["indication"] in text[rid] and row["conclusion"] in text[rid]
    units = facts["glycemia_unit"].dropna()
    assert set(units) == {"g/L", "mmol/L", "mg/dL"}
    assert facts["glycemia"].dropna().between(0.5, 2.0).all()
    pet = facts[facts["modality"] == "PT"]
    assert pet["dose_mbq"].notna().all() and pet["tracer"].notna().all()
    assert (facts.loc[facts["modality"].isin(["CT", "MR", "US", "MG", "CR"]), "max_suvmax"].isna()).all()
    negated = ds.findings[ds.findings.negated]
    assert negated["suvmax"].isna().all() and len(negated) > 100
    assert ds.findings["hypothesis"].any()
    assert set(ds.findings.loc[ds.findings.kind == "reference", "site"]) == {
        "liver_reference", "mediastinal_blood_pool"}


def test_html_residue_and_placeholders_occur(ds):
    texts = ds.reports["text"]
    share = texts.str.contains(r"<br>|&eacute;|<span|&nbsp;", regex=True).mean()
    assert 0.02 < share < 0.08
    assert texts.str.contains("[NOM]", regex=False).any()
    assert texts.str.contains("[DATE]", regex=False).any()


def test_report_exam_truth_is_consistent_with_patient_and_time(ds):
    rep = ds.reports.set_index("report_id")
    exam_of = _link(ds, "report", "exam").dropna()
    ex = ds.exams.set_index("exam_id")
    patient_of_exam = _link(ds, "exam", "patient")
    report_time = rep.loc[exam_of.index, "report_datetime"].to_numpy()
    exam_time = ex.loc[exam_of.to_numpy(), "study_datetime"].to_numpy()
    assert (report_time > exam_time).all()
    assert (report_time - exam_time < np.timedelta64(4, "D")).all()
    ipp = rep.loc[exam_of.index, "patient_id"]
    true = patient_of_exam.loc[exam_of.to_numpy()].to_numpy()
    known = ipp.notna().to_numpy()
    assert (ipp.to_numpy()[known] == true[known]).all()
    acc = rep.loc[exam_of.index, "accession_number"]
    has = acc.notna().to_numpy()
    assert (acc.to_numpy()[has] == ex.loc[exam_of.to_numpy()[has], "accession_number"].to_numpy()).all()
    # report -> stay truth is the exam's stay
    stay_of_report = _link(ds, "report", "stay")
    stay_of_exam = _link(ds, "exam", "stay")
    assert (stay_of_report.loc[exam_of.index].fillna("-").to_numpy()
            == stay_of_exam.loc[exam_of.to_numpy()].fillna("-").to_numpy()).all()
    carried = rep["stay_id"].dropna()
    assert (carried == stay_of_report.loc[carried.index]).all()


def test_exam_stay_truth_is_consistent_with_intervals(ds):
    exams = ds.exams[["exam_id", "study_datetime"]].copy()
    exams["patient"] = exams["exam_id"].map(_link(ds, "exam", "patient"))
    exams["true_stay"] = exams["exam_id"].map(_link(ds, "exam", "stay"))
    stays = ds.stays.rename(columns={"patient_id": "patient"})
    pairs = exams.merge(stays, on="patient")
    t = pairs["study_datetime"]
    inside = (t >= pairs["start_datetime"]) & (t <= pairs["end_datetime"])
    containing = pairs[inside].assign(length=lambda d: d.end_datetime - d.start_datetime)
    most_specific = containing.sort_values("length").groupby("exam_id")["stay_id"].first()
    has_truth = exams.set_index("exam_id")["true_stay"].dropna()
    # an exam inside a stay belongs to the most specific stay containing it
    assert (most_specific == has_truth.reindex(most_specific.index)).all()
    # an exam with a true stay but inside none precedes its hospitalisation by <= 8 h
    before = has_truth.drop(most_specific.index)
    st = ds.stays.set_index("stay_id").loc[before.to_numpy()]
    gap = st["start_datetime"].to_numpy() - exams.set_index("exam_id").loc[before.index, "study_datetime"].to_numpy()
    assert (st["stay_type"] == "hospitalisation").all()
    assert ((gap > np.timedelta64(0)) & (gap <= np.timedelta64(int(PRE_ADMISSION_HOURS * 3600), "s"))).all()
    assert len(before) > 0 and 0.6 < len(has_truth) / len(exams) < 0.9
    # nested consultations exist and carry their exams
    nested = ds.stays[ds.stays.stay_type == "consultation"].merge(
        ds.stays[ds.stays.stay_type == "hospitalisation"], on="patient_id", suffixes=("", "_h"))
    nested = nested[(nested.start_datetime >= nested.start_datetime_h) & (nested.end_datetime <= nested.end_datetime_h)]
    assert len(nested) > 0
    carried = ds.exams.set_index("exam_id")["stay_id"].dropna()
    assert (carried == has_truth.loc[carried.index]).all()


def test_stays_have_realistic_durations(ds):
    stays = ds.stays
    hours = (stays["end_datetime"] - stays["start_datetime"]).dt.total_seconds() / 3600
    by = hours.groupby(stays["stay_type"])
    assert by.min()["hospitalisation"] >= 24 and by.max()["hospitalisation"] <= 16 * 24
    assert by.max()["day_care"] <= 12 and by.max()["consultation"] <= 1.01
    assert by.max()["emergency"] <= 12
    assert stays["diagnoses"].dropna().str.fullmatch(r"[A-Z]\d\d(\.\d)?(;[A-Z]\d\d(\.\d)?)*").all()


# -- errors, writing, CLI ------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [0, -3, 2.5, "10", True])
def test_generate_rejects_bad_patient_counts(bad):
    with pytest.raises(SynthError, match="n_patients"):
        generate(bad)


def test_tiny_warehouse_still_complete():
    one = generate(1, seed=0)
    assert len(one.patients) == 1 and "other_patient_ipp" not in set(one.exam_faults["fault"])
    assert len(one.links) == 2 * len(one.exams) + 2 * len(one.reports)


def test_write_dataset_rejects_unknown_format(tmp_path):
    with pytest.raises(SynthError, match="format"):
        write_dataset(generate(2), tmp_path, format="xlsx")


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_cli_writes_tables_and_truth(tmp_path, fmt):
    result = CliRunner().invoke(main, ["synth", "--patients", "30", "--seed", "2", "-o", str(tmp_path),
                                       "--format", fmt])
    assert result.exit_code == 0, result.output
    for name in ("patients", "stays", "exams", "reports"):
        assert (tmp_path / f"{name}.{fmt}").exists()
    for name in TRUTH_TABLES:
        assert (tmp_path / "truth" / f"{name}.{fmt}").exists()
    loaded = load_dataset(tmp_path)
    expected = generate(30, seed=2)
    assert loaded.summary() == {k: len(v) for k, v in expected.tables().items()}
    pd.testing.assert_series_equal(loaded.exams["patient_id"], expected.exams["patient_id"])
    # no identifying value in what the command prints
    for value in list(expected.patients["family_name"]) + list(expected.patients["patient_id"]):
        assert value.upper() not in result.output.upper()
    truth = pd.read_parquet(tmp_path / "truth" / "links.parquet") if fmt == "parquet" else pd.read_csv(
        tmp_path / "truth" / "links.csv", dtype=str)
    assert len(truth) == len(expected.links)


def test_cli_help_and_bad_arguments():
    runner = CliRunner()
    assert "--patients" in runner.invoke(main, ["synth", "--help"]).output
    assert runner.invoke(main, ["synth", "--patients", "0", "-o", "x"]).exit_code != 0
