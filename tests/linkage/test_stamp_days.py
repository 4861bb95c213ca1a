"""Report dates that are no signing dates (an import's stamp), titles that only read as outside
reviews, and the written date forms: what the linkage learns from the data it links."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from radlink.linkage import LinkageSettings, evaluate_links, link
from radlink.linkage.report_exam import fit_outside_titles
from radlink.linkage.report_text import stated_exam_dates
from radlink.linkage.stamp_days import day_counts, on_stamp_days, stamp_days, stamp_days_decision
from radlink.synth import generate

N = 40  # patients, one CT each on its own day; every report of the first 35 stamped on one day
STAMP = "2021-03-20"


def _warehouse(stamped: int = 35) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    ids = [f"8000000{i:02d}" for i in range(N)]
    patients = pd.DataFrame({"patient_id": ids, "family_name": [f"NOM{chr(65 + i % 26)}{i}" for i in range(N)],
                             "given_name": ["ANNE"] * N, "birth_date": [f"19{40 + i}-03-04" for i in range(N)],
                             "sex": ["F"] * N})
    study = pd.Timestamp("2021-01-10 09:00") + pd.to_timedelta(np.arange(N), unit="D")
    exams = pd.DataFrame({"exam_id": [f"E{i}" for i in range(N)], "patient_id": ids,
                          "patient_name": [f"{f}^ANNE" for f in patients["family_name"]],
                          "birth_date": [f"19{40 + i}0304" for i in range(N)], "sex": ["F"] * N,
                          "study_datetime": study.strftime("%Y-%m-%d %H:%M"), "modality": ["CT"] * N,
                          "study_description": ["TDM THORAX"] * N})
    signed = (study + pd.Timedelta(hours=3)).strftime("%Y-%m-%d %H:%M").to_numpy(dtype=object)
    signed[:stamped] = [f"{STAMP} 02:{i:02d}" for i in range(stamped)]
    reports = pd.DataFrame({"report_id": [f"R{i}" for i in range(N)], "patient_id": ids,
                            "report_datetime": signed, "title": ["Scanner thoracique"] * N,
                            "text": ["Pas d'anomalie."] * N})
    return patients, exams, reports


def test_a_day_with_far_more_reports_than_exams_and_than_its_neighbours_is_a_stamp_day():
    _, exams, reports = _warehouse()
    assert stamp_days(reports["report_datetime"], exams["study_datetime"]) == [STAMP]
    # a usual day (as many reports as exams) is none, and neither is a small warehouse's busy day
    assert stamp_days(exams["study_datetime"], exams["study_datetime"]) == []
    _, _, few = _warehouse(stamped=10)
    assert stamp_days(few["report_datetime"], exams["study_datetime"]) == []


def test_the_summary_of_parts_decides_as_the_whole():
    _, exams, reports = _warehouse()
    half = len(reports) // 2
    parts = day_counts(reports["report_datetime"][:half]).add(day_counts(reports["report_datetime"][half:]),
                                                              fill_value=0).astype(np.int64)
    assert stamp_days_decision(parts, day_counts(exams["study_datetime"])) == [STAMP]
    when = pd.to_datetime(reports["report_datetime"]).to_numpy()
    assert on_stamp_days(when, [STAMP]).sum() == 35


def test_a_stamped_report_is_placed_by_its_other_evidence_not_ruled_out_by_its_date():
    patients, exams, reports = _warehouse()
    fitted = {}
    links = link(patients, exams, reports=reports, fitted=fitted)
    re_ = links[links["target_type"] == "exam"].set_index("source_id")
    assert fitted["report_stamp_days"] == [STAMP]
    linked = re_["status"] == "linked"
    assert linked.all(), re_.loc[~linked, "evidence"].tolist()[:2]
    assert (re_["target_id"] == "E" + re_.index.str.slice(1)).all()
    # the stamp is no delay: the stamped reports' evidence gives none, the others' theirs
    level = re_["evidence"].map(lambda e: json.loads(e).get("delay_level"))
    assert (level.iloc[:35] == "report_undated").all() and (level.iloc[35:] != "report_undated").all()
    # told there is none, the stamped reports are read as two months late
    links = link(patients, exams, reports=reports, settings=LinkageSettings(report_stamp_days=[]))
    level = links[links["target_type"] == "exam"].set_index("source_id")["evidence"].map(
        lambda e: json.loads(e).get("delay_level"))
    assert (level != "report_undated").all()


def test_a_stamped_report_that_states_its_exam_date_takes_the_exam_of_that_date():
    patients, exams, reports = _warehouse()
    # a second CT for patient 0, a week after the first: the stated date tells them apart
    second = exams.iloc[[0]].assign(exam_id="E0b", study_datetime="2021-01-17 09:00")
    exams = pd.concat([exams, second], ignore_index=True)
    reports.loc[0, "text"] = "Examen du 17/01/2021.\nPas d'anomalie."
    re_ = link(patients, exams, reports=reports)
    re_ = re_[re_["target_type"] == "exam"].set_index("source_id")
    assert re_.loc["R0", "target_id"] == "E0b"


def test_outside_review_words_are_judged_per_title_by_its_accession_numbers():
    title = pd.Series(["Courrier externe - CENTRE DU PARC"] * 12 + ["Avis sur imagerie extérieure"] * 12
                      + ["Relecture examen extérieur"] * 4)
    acc = np.array(["A"] * 28, dtype=object)
    confirmed = np.r_[np.ones(11, bool), np.zeros(1, bool), np.zeros(12, bool), np.ones(4, bool)]
    # the letters' numbers find their exams; the reviews' do not; four reports are too few to judge
    assert fit_outside_titles(title, acc, confirmed) == {"titles_with_exams": ["COURRIER EXTERNE   CENTRE DU PARC"]}


def test_an_imported_letter_titled_external_still_finds_its_exam():
    patients, exams, reports = _warehouse(stamped=0)
    reports["title"] = "Courrier externe - CENTRE DU PARC"
    exams["accession_number"] = [f"A{i}" for i in range(N)]
    reports["accession_number"] = [f"A{i}" if i < 20 else None for i in range(N)]
    reports["text"] = "Scanner thoracique.\nPas d'anomalie."
    fitted = {}
    re_ = link(patients, exams, reports=reports, fitted=fitted)
    re_ = re_[re_["target_type"] == "exam"].set_index("source_id")
    assert fitted["delay_model"]["titles_with_exams"] == ["COURRIER EXTERNE   CENTRE DU PARC"]
    rest = re_.loc[[f"R{i}" for i in range(20, N)]]
    assert (rest["status"] == "linked").all(), json.loads(rest["evidence"].iloc[0])
    assert (rest["target_id"] == "E" + rest.index.str.slice(1)).all()


@pytest.mark.parametrize("text", ["Votre patient(e) a bénéficié le 12-03-2023 d'un examen.",
                                  "ECHOGRAPHIE ABDOMINALE réalisée le 2023-03-12.",
                                  "Examen du dimanche 12 mars 2023", "IRM du 12 MARS. 2023",
                                  "Examen du 2023-03-12 à 10h00", "Examen réalisé le 12.03.23"])
def test_the_written_date_forms_of_letters_and_exports_are_read(text):
    assert stated_exam_dates(pd.Series([text])).astype(str).tolist() == ["2023-03-12"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [5, 6])
def test_the_ris_migration_profile_gains_from_its_stamp_days(seed):
    ds = generate(800, seed=seed, profile="ris_migration")
    scores = {}
    for learned, settings in (("learned", None), ("none", LinkageSettings(report_stamp_days=[]))):
        links = link(ds.patients, ds.exams, ds.stays, ds.reports, settings=settings, validate=False)
        scores[learned] = evaluate_links(links, ds.links, ds.exam_faults).set_index("link_type")
    got, without = scores["learned"], scores["none"]
    assert got.loc["report→exam", "precision"] >= 0.97
    assert got.loc["report→exam", "f1"] >= without.loc["report→exam", "f1"] + 0.03
    assert got.loc["report→stay", "f1"] >= without.loc["report→stay", "f1"]
