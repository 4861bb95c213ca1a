"""The warehouse profile counts what the links and tables say, per year and site."""

from __future__ import annotations

import pandas as pd
import pytest

import radlink
from radlink.profile import profile_html, warehouse_profile


@pytest.fixture(scope="module")
def sample():
    ds = radlink.load_dataset("data_samples")
    links = radlink.link(ds.patients, ds.exams, ds.stays, ds.reports)
    return ds, links, warehouse_profile(ds.patients, ds.exams, ds.stays, ds.reports, links)


def _row(table: pd.DataFrame, year: str, site: str, key: str = "site") -> pd.Series:
    sel = table[(table["year"] == year) & (table[key] == site)]
    assert len(sel) == 1
    return sel.iloc[0]


def test_overall_rows_count_every_input_row(sample):
    ds, links, prof = sample
    assert _row(prof.exams, "all", "all")["exams"] == len(ds.exams)
    assert _row(prof.reports, "all", "all")["reports"] == len(ds.reports)
    assert _row(prof.stays, "all", "all", key="unit")["stays"] == len(ds.stays)


def test_site_rows_add_up_to_their_year(sample):
    _, _, prof = sample
    detail = prof.exams[(prof.exams["year"] != "all") & (prof.exams["site"] != "all")]
    per_year = prof.exams[(prof.exams["year"] != "all") & (prof.exams["site"] == "all")].set_index("year")
    sums = detail.groupby("year")[["exams", "reattached", "without_report"]].sum()
    pd.testing.assert_frame_equal(sums, per_year[["exams", "reattached", "without_report"]].loc[sums.index],
                                  check_names=False, check_dtype=False)


def test_counts_agree_with_the_links(sample):
    ds, links, prof = sample
    overall = _row(prof.exams, "all", "all")
    assert overall["reattached"] == int(radlink.linkage.reattached(links).sum())
    assert overall["ipp_matches"] == int(ds.exams["patient_id"].isin(ds.patients["patient_id"]).sum())
    rep = links[(links.source_type == "report") & (links.target_type == "exam")]
    assert _row(prof.reports, "all", "all")["without_exam"] == int((rep.status != "linked").sum())
    reported = set(rep.loc[rep.status == "linked", "target_id"])
    assert overall["without_report"] == int((~ds.exams["exam_id"].isin(reported)).sum())


def _tiny():
    patients = pd.DataFrame({"patient_id": ["P1"]})
    exams = pd.DataFrame({
        "exam_id": ["E1", "E2", "E3"], "patient_id": ["P1", "BAD", None],
        "study_datetime": pd.to_datetime(["2020-01-01 10:00", "2020-06-01 10:00", "2021-01-01 10:00"]),
        "institution": ["A", "A", None], "unit": [None, None, None], "stay_id": [None, None, None]})
    reports = pd.DataFrame({
        "report_id": ["R1", "R2", "R3"], "accession_number": ["X", None, None],
        "report_datetime": pd.to_datetime(["2020-01-01 20:00", "2020-06-03 10:00", "2022-01-01 00:00"])})
    stays = pd.DataFrame({"stay_id": ["S1"], "unit": ["PNEUMO"], "start_datetime": pd.to_datetime(["2020-01-01"])})
    links = pd.DataFrame({
        "source_type": ["exam", "exam", "exam", "report", "report", "report", "exam"],
        "source_id": ["E1", "E2", "E3", "R1", "R2", "R3", "E1"],
        "target_type": ["patient", "patient", "patient", "exam", "exam", "exam", "stay"],
        "target_id": ["P1", "P1", None, "E1", "E2", None, "S1"],
        "status": ["linked", "linked", "unlinked", "linked", "linked", "unlinked", "linked"],
        "evidence": ["{}", '{"reattached":true}', "{}", "{}", "{}", "{}", "{}"]})
    return patients, exams, stays, reports, links


def test_a_small_warehouse_by_hand():
    prof = warehouse_profile(*_tiny())
    a2020 = _row(prof.exams, "2020", "A")
    assert (a2020["exams"], a2020["ipp_matches"], a2020["reattached"], a2020["with_report"]) == (2, 1, 1, 2)
    unknown = _row(prof.exams, "2021", "unknown")
    assert (unknown["with_ipp"], unknown["unattached"], unknown["without_report"]) == (0, 1, 1)
    reports_a = _row(prof.reports, "2020", "A")
    assert reports_a["delay_median_h"] == pytest.approx((10 + 48) / 2)
    assert _row(prof.reports, "2022", "no exam")["without_exam"] == 1
    assert _row(prof.stays, "2020", "PNEUMO", key="unit")["with_exam"] == 1


def test_page_flags_high_rates_and_holds_no_identifier(sample):
    ds, _, prof = sample
    page = profile_html(prof)
    assert 'class="flag"' in page
    names = set(ds.patients["family_name"].dropna()) | set(ds.exams["patient_name"].dropna())
    ids = set(ds.patients["patient_id"]) | set(ds.exams["accession_number"].dropna())
    assert not [v for v in names | ids if len(str(v)) > 3 and str(v) in page]


def test_profile_command(tmp_path):
    from click.testing import CliRunner

    from radlink.cli import main

    res = CliRunner().invoke(main, ["profile", "data_samples", "-o", str(tmp_path / "p.html"),
                                    "--csv", str(tmp_path / "csv")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "p.html").read_text().startswith("<!DOCTYPE html>")
    assert pd.read_csv(tmp_path / "csv" / "profile_exams.csv")["exams"].iloc[0] == 189
