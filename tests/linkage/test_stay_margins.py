"""Margins around a stay's interval: ER work-up before an admission belongs to it, an
outpatient exam before a consultation does not; the site's clock skew is learned from
the exams that carry a stay id."""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.linkage import LinkageSettings, link
from radlink.linkage.stay_margins import fit_stay_margins, stay_margin_observations
from radlink.linkage.stays import link_to_stays

T = pd.Timestamp


def _stays(n_sites: int = 1) -> pd.DataFrame:
    rows = []
    for i in range(40):
        day = T("2022-01-03") + pd.Timedelta(days=7 * i)
        rows.append((f"C{i}", "P1", day + pd.Timedelta(hours=11), day + pd.Timedelta(hours=11.5), "consultation"))
        rows.append((f"H{i}", "P2", day + pd.Timedelta(hours=14), day + pd.Timedelta(days=3), "hospitalisation"))
    return pd.DataFrame(rows, columns=["stay_id", "patient_id", "start_datetime", "end_datetime", "stay_type"])


def _records(times, patients, carried=None) -> pd.DataFrame:
    return pd.DataFrame({"source_id": [f"E{i}" for i in range(len(times))], "patient_id": patients,
                         "when": pd.to_datetime(times), "carried_stay_id": carried or [None] * len(times)})


def test_an_exam_before_a_consultation_is_its_own_but_er_work_up_belongs_to_the_admission():
    stays = _stays()
    # E0: radiograph at 09:00, the consultation at 11:00 reads it; E1: ER scanner at 09:00,
    # the ward admits the patient at 14:00; E2: inside the consultation.
    recs = _records(["2022-01-03 09:00", "2022-01-03 09:00", "2022-01-03 11:10"], ["P1", "P2", "P1"])
    out = link_to_stays(recs, stays, source_type="exam").set_index("source_id")
    assert out.loc["E0", "status"] == "unlinked"
    assert out.loc["E1", "target_id"] == "H0" and out.loc["E1", "method"] == "interval_tolerance"
    assert out.loc["E2", "target_id"] == "C0"


def test_the_site_clock_skew_is_learned_from_exams_carrying_their_stay():
    stays = _stays()
    starts = stays.loc[stays["stay_type"] == "consultation", "start_datetime"].reset_index(drop=True)
    ids = stays.loc[stays["stay_type"] == "consultation", "stay_id"].tolist()
    # consoles 1.5 h behind the administrative clock: exams carrying a consultation's id
    # are written up to 1.5 h before it starts
    lead = pd.to_timedelta(np.linspace(0, 100, len(starts)).round(), unit="min")
    exams = pd.DataFrame({"stay_id": ids, "study_datetime": starts + pd.Timedelta(minutes=10) - lead})
    margins = fit_stay_margins(stay_margin_observations(exams, stays))
    assert margins["before_hours"]["consultation"] == 1.5
    assert margins["visit_before_hours"] == 1.5 and margins["after_hours"]["consultation"] == 0.0
    recs = _records(["2022-01-10 09:40", "2022-01-10 09:20"], ["P1", "P1"])
    learned = link_to_stays(recs, stays, source_type="exam", settings=LinkageSettings(stay_margins=margins))
    assert learned["target_id"].tolist() == ["C1", None]
    # a site whose carried exams all lie inside their consultation: no margin at all
    inside = exams.assign(study_datetime=starts + pd.Timedelta(minutes=5))
    exact = fit_stay_margins(stay_margin_observations(inside, stays))
    assert exact["before_hours"]["consultation"] == 0.0
    recs = _records(["2022-01-10 10:40"], ["P1"])
    out = link_to_stays(recs, stays, source_type="exam", settings=LinkageSettings(stay_margins=exact))
    assert out["status"].tolist() == ["unlinked"]


def test_link_learns_the_margins_and_reports_them():
    stays = _stays()
    patients = pd.DataFrame({"patient_id": ["P1", "P2"], "family_name": ["MARTIN", "DURAND"],
                             "given_name": ["JEAN", "ANNE"], "birth_date": pd.to_datetime(["1950-01-01", "1960-02-02"]),
                             "sex": ["M", "F"]})
    cons = stays[stays["stay_type"] == "consultation"]
    exams = pd.DataFrame({
        "exam_id": [f"X{i}" for i in range(len(cons))] + ["OUT"],
        "patient_id": ["P1"] * (len(cons) + 1), "patient_name": ["MARTIN^JEAN"] * (len(cons) + 1),
        "birth_date": pd.to_datetime(["1950-01-01"] * (len(cons) + 1)), "sex": ["M"] * (len(cons) + 1),
        "study_datetime": list(cons["start_datetime"] + pd.Timedelta(minutes=10)) + [T("2022-01-17 10:30")],
        "modality": ["DX"] * (len(cons) + 1), "stay_id": list(cons["stay_id"]) + [None]})
    fitted: dict = {}
    links = link(patients, exams, stays, settings=LinkageSettings(refit_em=False), fitted=fitted)
    assert fitted["stay_margins"]["before_hours"]["consultation"] == 0.0
    es = links[links["target_type"] == "stay"].set_index("source_id")
    assert es.loc["OUT", "status"] == "unlinked" and es.loc["X0", "target_id"] == "C0"


def test_exams_booked_under_a_visit_hours_after_it_are_not_a_clock_skew():
    stays = _stays()
    cons = stays[stays["stay_type"] == "consultation"].reset_index(drop=True)
    # repeat films booked under the consultation, done 0.5 to 10 h after it ended: most
    # lie farther than a clock could drift, so the carried id does not stretch the visit
    lag = pd.to_timedelta(np.linspace(30, 600, 12).round(), unit="min")
    inside = pd.DataFrame({"stay_id": cons["stay_id"], "study_datetime": cons["start_datetime"] + pd.Timedelta(minutes=10)})
    after = pd.DataFrame({"stay_id": cons["stay_id"][:12], "study_datetime": cons["end_datetime"][:12] + lag})
    margins = fit_stay_margins(stay_margin_observations(pd.concat([inside, after]), stays))
    assert margins["after_hours"]["consultation"] == 0.0 and margins["visit_after_hours"] == 0.0
    recs = _records(["2022-01-10 12:15"], ["P1"], carried=["C1"])
    out = link_to_stays(recs, stays, source_type="exam", settings=LinkageSettings(stay_margins=margins))
    assert out["status"].tolist() == ["unlinked"]
    # the same count of lags all within a skew's reach is learned as a margin
    skew = after.assign(study_datetime=cons["end_datetime"][:12] + pd.to_timedelta(np.linspace(10, 100, 12).round(), unit="min"))
    learned = fit_stay_margins(stay_margin_observations(pd.concat([inside, skew]), stays))
    assert learned["after_hours"]["consultation"] == 1.6666666666666667


def test_a_nested_consultation_owns_the_exams_done_during_it_unless_the_warehouse_books_the_enclosing_stay():
    import pytest

    from radlink.errors import LinkageInputError

    stays = pd.DataFrame({
        "stay_id": ["H1", "C1"], "patient_id": ["P1", "P1"], "stay_type": ["hospitalisation", "consultation"],
        "start_datetime": pd.to_datetime(["2022-03-01 08:00", "2022-03-03 10:00"]),
        "end_datetime": pd.to_datetime(["2022-03-08 12:00", "2022-03-03 10:45"])})
    # E0 during the consultation, E1 during the consultation but carrying the hospitalisation's id,
    # E2 in the hospitalisation only
    recs = _records(["2022-03-03 10:20", "2022-03-03 10:30", "2022-03-04 09:00"], ["P1"] * 3, carried=[None, "H1", None])
    inner = link_to_stays(recs, stays, source_type="exam")
    assert inner["target_id"].tolist() == ["C1", "H1", "H1"]
    outer = link_to_stays(recs, stays, source_type="exam", settings=LinkageSettings(nested_stays="enclosing"))
    assert outer["target_id"].tolist() == ["H1", "H1", "H1"]
    with pytest.raises(LinkageInputError, match="nested_stays"):
        link_to_stays(recs, stays, source_type="exam", settings=LinkageSettings(nested_stays="longest"))
