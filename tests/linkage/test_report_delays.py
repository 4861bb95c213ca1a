"""Report → exam: time is evidence (learned delays), accession decisive, ties ambiguous, addenda."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from radlink.linkage import evaluate_links, link
from radlink.linkage.report_text import stated_exam_dates
from radlink.synth import generate

P = {"patient_id": ["800000001"], "family_name": ["Dupont"], "given_name": ["Anne"],
     "birth_date": ["1950-03-04"], "sex": ["F"]}


def _exams(rows):
    return pd.DataFrame([{"patient_id": "800000001", "patient_name": "DUPONT^ANNE", "birth_date": "19500304",
                          "sex": "F", **r} for r in rows])


def _report_exam(links):
    return links[links["target_type"] == "exam"].set_index("source_id")


def test_accession_with_consistent_patient_is_decisive_at_any_delay():
    exams = _exams([{"exam_id": "E1", "study_datetime": "2021-01-04 09:00", "modality": "PT\\CT",
                     "accession_number": "A1"}])
    reports = pd.DataFrame({"report_id": ["R1", "R2"], "patient_id": ["800000001"] * 2,
                            "report_datetime": ["2021-02-20 10:00", "2021-01-03 09:00"],
                            "title": ["CR d'imagerie médicale"] * 2, "text": ["..."] * 2,
                            "accession_number": ["A1", "A1"]})
    fitted = {}
    re_ = _report_exam(link(pd.DataFrame(P), exams, reports=reports, fitted=fitted))
    assert re_.loc["R1", "target_id"] == "E1" and re_.loc["R1", "method"] == "accession_number"
    # signed a day before its exam: not decisive, and held against it
    assert re_.loc["R2", "status"] != "linked"
    assert "delay_model" in fitted and json.dumps(fitted["delay_model"])


def test_same_day_same_type_exams_are_ambiguous_with_both_candidates():
    exams = _exams([{"exam_id": "E1", "study_datetime": "2021-01-04 09:00", "modality": "CR",
                     "study_description": "RADIO THORAX FACE"},
                    {"exam_id": "E2", "study_datetime": "2021-01-04 11:00", "modality": "CR",
                     "study_description": "RADIO THORAX FACE"}])
    reports = pd.DataFrame({"report_id": ["R1"], "patient_id": ["800000001"],
                            "report_datetime": ["2021-01-05 10:00"], "title": ["Radio du thorax"],
                            "text": ["..."]})
    row = _report_exam(link(pd.DataFrame(P), exams, reports=reports)).loc["R1"]
    assert row["status"] == "ambiguous"
    assert json.loads(row["evidence"])["candidates"] == ["E1", "E2"]


def test_generic_title_uses_the_exam_date_in_the_text_and_addenda_share_the_exam():
    exams = _exams([{"exam_id": "E1", "study_datetime": "2021-03-03 09:00", "modality": "PT\\CT"},
                    {"exam_id": "E2", "study_datetime": "2021-03-10 09:00", "modality": "PT\\CT"}])
    reports = pd.DataFrame({"report_id": ["R1", "R2"], "patient_id": ["800000001"] * 2,
                            "report_datetime": ["2021-03-15 10:00", "2021-04-20 10:00"],
                            "title": ["CR d'imagerie médicale", "Addendum - CR d'imagerie médicale"],
                            "text": ["TEP réalisée le 3 mars 2021\nInjection de FDG.",
                                     "Examen du 03/03/2021.\nComplément."]})
    re_ = _report_exam(link(pd.DataFrame(P), exams, reports=reports))
    assert re_.loc["R1", "target_id"] == "E1"
    assert re_.loc["R2", "target_id"] == "E1"
    ev = json.loads(re_.loc["R2", "evidence"])
    assert ev["addendum_of"] == "R1" and ev["says_addendum"] is True


def test_stated_dates_ignore_comparisons():
    got = stated_exam_dates(pd.Series(["Comparaison avec la TEP du 01/02/2020.\nTDM du 12.03.2021"]))
    assert got.astype(str).tolist() == ["2021-03-12"]


# Tuned on default, fast_ct and pet_queue with seed 1; generic_titles and the seeds below
# were never looked at while tuning (held out). emergency_export (anonymous and IPP-only
# headers) was built on seeds 5 and 6: report→exam F1 0.972 on both (800 patients). ris_migration
# (report dates stamped by a migration, radlink.linkage.stamp_days) was built on seeds 5 and 6: 0.958, 0.955.
FLOORS = {"default": 0.96, "fast_ct": 0.97, "pet_queue": 0.92, "generic_titles": 0.88, "emergency_export": 0.95,
          "ris_migration": 0.94}


@pytest.mark.slow
@pytest.mark.parametrize("profile", sorted(FLOORS))
@pytest.mark.parametrize("seed", [5, 6])
def test_every_profile_is_scored(profile, seed):
    ds = generate(800, seed=seed, profile=profile)
    fitted = {}
    links = link(ds.patients, ds.exams, ds.stays, ds.reports, fitted=fitted, validate=False)
    res = evaluate_links(links, ds.links, ds.exam_faults).set_index("link_type")
    re_ = res.loc["report→exam"]
    assert re_["precision"] >= 0.96, re_
    assert re_["f1"] >= FLOORS[profile], re_
    assert res.loc["report→stay", "f1"] >= FLOORS[profile] - 0.02
    assert res.loc["exam→patient", "f1"] >= 0.98
    assert fitted["delay_model"]["source"] == ("em" if profile == "generic_titles" else "accession")


def test_delay_model_learns_a_site_of_its_own_where_it_has_enough_pairs():
    """Two sites of one warehouse, one signing CT reports within hours, the other days later."""
    import numpy as np

    from radlink.linkage.delay_model import (
        delay_level,
        delay_weights,
        describe_delay_model,
        fit_delay_model,
    )

    rng = np.random.default_rng(0)
    n = 400
    fast, slow = rng.uniform(1, 6, n), rng.uniform(60, 90, n)
    hours = np.concatenate([fast, slow, rng.uniform(0, 600, 2 * n)])
    level = delay_level(hours)
    site = np.array(["NORD"] * n + ["SUD"] * n + ["NORD"] * n + ["SUD"] * n, dtype=object)
    report = np.concatenate([np.arange(2 * n), np.arange(2 * n)])
    labelled = np.r_[np.ones(2 * n, bool), np.zeros(2 * n, bool)]
    model = fit_delay_model(level, hours, np.array(["CT"] * (4 * n), dtype=object), report,
                            labelled=labelled, site=site)
    assert set(model["sites"]) == {"NORD", "SUD"}
    assert model["sites"]["NORD"]["CT"]["median_hours"] < 6 < 60 < model["sites"]["SUD"]["CT"]["median_hours"]
    two_days = delay_level(np.array([3.0, 72.0, 3.0, 72.0]))
    w = delay_weights(model, np.array(["CT"] * 4, dtype=object), two_days,
                      np.array(["NORD", "NORD", "SUD", "SUD"], dtype=object))
    assert w[0] > w[1] and w[3] > w[2]  # each site's own pace is evidence for its pairs
    assert "site NORD" in describe_delay_model(model)


def test_candidate_window_join_equals_a_join_then_a_filter():
    """The window join gives exactly the pairs (and order) of every report x exam of a patient, filtered."""
    import numpy as np

    from radlink.linkage.report_exam import _pairs_in_window

    rng = np.random.default_rng(5)
    base = np.datetime64("2020-01-01T00:00:00", "ns")
    for _ in range(10):
        n_r, n_e = int(rng.integers(1, 80)), int(rng.integers(1, 80))
        pid = [f"P{i}" for i in range(int(rng.integers(1, 6)))] + [None]
        rp = pd.DataFrame({"report_row": np.arange(n_r), "patient_id": pd.Series(rng.choice(pid, n_r), dtype=object),
                           "when": base + rng.integers(0, 40 * 24 * 3600, n_r).astype("timedelta64[s]")})
        ex = pd.DataFrame({"exam_row": np.arange(n_e), "patient_id": pd.Series(rng.choice(pid, n_e), dtype=object),
                           "study": base + rng.integers(0, 40 * 24 * 3600, n_e).astype("timedelta64[s]")})
        ex.loc[0, "study"] = pd.NaT
        merged = rp.dropna().merge(ex.dropna(), on="patient_id")
        hours = (merged["when"] - merged["study"]).dt.total_seconds().to_numpy() / 3600.0
        keep = (hours >= -72.0) & (hours <= 240.0)
        r_rows, e_rows, got_hours = _pairs_in_window(rp, ex, before_hours=72.0, after_hours=240.0)
        assert r_rows.tolist() == merged["report_row"].to_numpy()[keep].tolist()
        assert e_rows.tolist() == merged["exam_row"].to_numpy()[keep].tolist()
        assert got_hours.tolist() == hours[keep].tolist()


def test_report_exam_chunks_of_patients_change_no_link(fresh):
    """Report → exam run a few patients at a time gives the links of one pass over all of them
    (delay model from accession pairs, and from EM), and the chunks really split the patients."""
    import numpy as np

    from radlink.linkage import link
    from radlink.linkage.report_exam import _patient_chunks
    from radlink.linkage.settings import LinkageSettings

    ds, _ = fresh
    exams = ds.exams
    rp = pd.DataFrame({"patient_id": pd.Series(ds.reports["patient_id"].to_numpy(dtype=object), dtype=object)})
    ex = pd.DataFrame({"patient_id": pd.Series(exams["patient_id"].to_numpy(dtype=object), dtype=object)})
    r_chunk, e_chunk = _patient_chunks(rp, ex, 200)
    assert e_chunk.max() >= 10
    # every patient's reports and exams fall in one chunk
    both = pd.DataFrame({"p": np.r_[rp["patient_id"], ex["patient_id"]], "c": np.r_[r_chunk, e_chunk]}).dropna()
    assert (both.groupby("p")["c"].nunique() == 1).all()
    for base in ({}, {"report_delay_min_pairs": 10**9}):
        fitted = [{}, {}]
        runs = [link(patients=ds.patients, exams=ds.exams, stays=ds.stays, reports=ds.reports, fitted=f,
                     settings=LinkageSettings(**base, report_exam_chunk_exams=size))
                for size, f in zip((10**9, 200), fitted, strict=True)]
        assert fitted[0]["delay_model"]["source"] == ("em" if base else "accession")
        pd.testing.assert_frame_equal(runs[0], runs[1])
        assert fitted[1]["delay_model"] == fitted[0]["delay_model"]


def test_a_warehouse_that_exports_signature_dates_keeps_its_reports_on_their_exams():
    """Reports dated at midnight of their exam's day are not 'signed before the exam' when that is a habit."""
    import numpy as np

    from radlink.linkage import LinkageSettings
    from radlink.tables import validate_table

    days = pd.date_range("2021-01-04", periods=30, freq="D")
    exams = validate_table(pd.DataFrame({
        "exam_id": [f"E{i}" for i in range(30)], "patient_id": "100001", "patient_name": "DUPONT^ANNE",
        "birth_date": "1950-03-04", "sex": "F", "study_datetime": days + pd.Timedelta(hours=10),
        "modality": "CT", "study_description": "TDM THORAX"}), "exams")
    patients = validate_table(pd.DataFrame({"patient_id": ["100001"], "family_name": ["Dupont"],
                                            "given_name": ["Anne"], "birth_date": ["1950-03-04"], "sex": ["F"]}),
                              "patients")
    reports = validate_table(pd.DataFrame({
        "report_id": [f"R{i}" for i in range(30)], "patient_id": "100001",
        "report_datetime": days.where(np.arange(30) % 2 == 0, days + pd.Timedelta(hours=15)),
        "title": "Scanner thoracique", "text": "Scanner thoracique."}), "reports")
    fitted: dict = {}
    links = link(patients, exams, reports=reports, fitted=fitted)
    rx = links[links.target_type == "exam"]
    assert fitted["midnight_reports_are_dates"] is True
    assert (rx["target_id"].to_numpy() == rx["source_id"].str.replace("R", "E").to_numpy()).all()
    # read as times, the reports dated at midnight come 10 hours before their exam: they miss it
    forced = link(patients, exams, reports=reports, settings=LinkageSettings(midnight_reports_are_dates=False))
    rx = forced[forced.target_type == "exam"].iloc[::2]
    assert (rx["target_id"].to_numpy() != rx["source_id"].str.replace("R", "E").to_numpy()).all()


def test_a_report_without_its_signature_time_is_placed_by_the_date_its_text_states():
    exams = _exams([{"exam_id": "E1", "study_datetime": "2021-03-03 09:00", "modality": "CT",
                     "study_description": "SCANNER THORAX"},
                    {"exam_id": "E2", "study_datetime": "2021-03-10 09:00", "modality": "CT",
                     "study_description": "SCANNER THORAX"}])
    reports = pd.DataFrame({"report_id": ["R1", "R2", "R3"], "patient_id": ["800000001"] * 3,
                            "report_datetime": [None, None, None], "title": ["Compte rendu"] * 3,
                            "text": ["Examen réalisé le 10/03/2021 à 09h05\nScanner thoracique.",
                                     "Date de l'examen : 04.03.2021\nScanner thoracique.",
                                     "Scanner thoracique sans date."]})
    re_ = _report_exam(link(pd.DataFrame(P), exams, reports=reports))
    assert re_.loc["R1", "target_id"] == "E2"
    assert json.loads(re_.loc["R1", "evidence"])["delay_level"] == "report_undated"
    # a stated date no exam has: nothing to place it by
    assert re_.loc["R2", "status"] == "unlinked"
    # no date at all: only as the one chest CT of the patient that no report took
    assert re_.loc["R3", "target_id"] == "E1" and re_.loc["R3", "method"] == "only_exam_of_its_kind"


def test_an_accession_in_another_site_format_tells_same_day_exams_apart():
    exams = _exams([{"exam_id": "E1", "study_datetime": "2021-01-04 09:00", "modality": "CR",
                     "study_description": "RADIO THORAX FACE", "accession_number": "C210002429"},
                    {"exam_id": "E2", "study_datetime": "2021-01-04 11:00", "modality": "CR",
                     "study_description": "RADIO THORAX FACE", "accession_number": "C210002430"}])
    reports = pd.DataFrame({"report_id": ["R1", "R2"], "patient_id": ["800000001"] * 2,
                            "report_datetime": ["2021-01-05 10:00"] * 2, "title": ["Radio du thorax"] * 2,
                            "text": ["..."] * 2, "accession_number": ["0002430-C", None]})
    re_ = _report_exam(link(pd.DataFrame(P), exams, reports=reports))
    assert re_.loc["R1", "target_id"] == "E2" and re_.loc["R1", "method"] == "patient_time_modality"
    assert json.loads(re_.loc["R1", "evidence"])["accession_serial"] == "match"
    # the report without an accession has nothing to tell the two apart but the one-to-one pass:
    # the exam R1 took is not its own, it takes the other
    assert re_.loc["R2", "status"] == "linked" and re_.loc["R2", "target_id"] == "E1"


def test_an_undated_report_is_placed_in_its_stay_and_an_outside_review_has_no_exam_here():
    exams = _exams([{"exam_id": "E1", "study_datetime": "2021-03-03 09:00", "modality": "CT",
                     "study_description": "SCANNER THORAX"},
                    {"exam_id": "E2", "study_datetime": "2021-03-20 09:00", "modality": "CT",
                     "study_description": "SCANNER THORAX"}])
    stays = pd.DataFrame({"stay_id": ["S1"], "patient_id": ["800000001"],
                          "start_datetime": ["2021-03-19 22:00"], "end_datetime": ["2021-03-21 10:00"]})
    reports = pd.DataFrame({"report_id": ["R1", "R2"], "patient_id": ["800000001"] * 2, "stay_id": ["S1", None],
                            "report_datetime": [None, "2021-03-03 12:00"],
                            "title": ["Scanner thoracique", "Avis sur examen extérieur"],
                            "text": ["Scanner thoracique.", "Scanner thoracique réalisé dans un autre centre."]})
    re_ = _report_exam(link(pd.DataFrame(P), exams, stays=stays, reports=reports))
    assert re_.loc["R1", "target_id"] == "E2"
    assert re_.loc["R2", "status"] == "unlinked"


def test_a_report_under_a_temporary_ipp_meets_the_exams_under_that_ipp():
    exams = pd.DataFrame({"exam_id": ["E1", "E2"], "patient_id": ["TMP0042", "TMP0077"],
                          "patient_name": ["DUPONT^ANNE", "INCONNU^HOMME"], "birth_date": ["19500304", "19000101"],
                          "sex": ["F", "M"], "study_datetime": ["2021-03-03 09:00", "2021-03-03 10:00"],
                          "modality": ["CT", "CT"], "study_description": ["SCANNER THORAX"] * 2})
    reports = pd.DataFrame({"report_id": ["R1", "R2"], "patient_id": ["TMP0042", "TMP0077"],
                            "report_datetime": ["2021-03-03 12:00"] * 2, "title": ["Scanner thoracique"] * 2,
                            "text": ["..."] * 2})
    links = link(pd.DataFrame(P), exams, reports=reports)
    exam_patient = links[links["target_type"] == "patient"].set_index("source_id")
    assert exam_patient.loc["E1", "target_id"] == "800000001" and exam_patient.loc["E2", "status"] != "linked"
    re_ = _report_exam(links)
    # R1 takes the patient its exam under TMP0042 was linked to; R2 and E2 share their unknown id
    assert re_.loc["R1", "target_id"] == "E1" and re_.loc["R2", "target_id"] == "E2"


def test_candidates_ranked_by_numbers_as_by_pandas_sort():
    from radlink.linkage.report_exam import _rank

    rng = np.random.default_rng(8)
    n = 3000
    exam_id = np.array([f"E{i}" for i in rng.integers(0, 400, n)], dtype=object)
    hours = rng.choice([1.0, 2.5, np.nan, 30.0], n)
    cand = pd.DataFrame({"report_row": rng.integers(0, 300, n), "logit": rng.choice([-1.0, 0.0, -0.0, 2.5, 4.0], n),
                         "hours": hours, "exam_id": exam_id},
                        index=rng.permutation(n))
    expected = cand.sort_values(["report_row", "logit", "hours", "exam_id"], ascending=[True, False, True, True],
                                kind="mergesort")
    assert _rank(cand).index.tolist() == expected.index.tolist()


def test_sort_rank_is_the_order_of_a_sort_on_the_values():
    from radlink.linkage.report_exam import _sort_rank

    rng = np.random.default_rng(4)
    chars = list("abcAB09_-éÉœ漢🙂 ")
    values = np.array(["".join(rng.choice(chars, size=int(rng.integers(0, 4)))) if rng.random() > 0.05 else None
                       for _ in range(5000)], dtype=object)
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), sort=True)
    assert _sort_rank(values).tolist() == np.where(codes < 0, len(uniques), codes).tolist()
    mixed = np.array(["b", 3, None, "a"], dtype=object)  # not all text: pandas's order
    codes, uniques = pd.factorize(pd.Series(mixed, dtype=object), sort=True)
    assert _sort_rank(mixed).tolist() == np.where(codes < 0, len(uniques), codes).tolist()


def test_a_report_without_signature_time_is_dated_by_its_letter_and_its_label_line():
    exams = _exams([{"exam_id": "E1", "study_datetime": "2023-01-07 09:00", "modality": "CT",
                     "study_description": "SCANNER ABDOMINO-PELVIEN"},
                    {"exam_id": "E2", "study_datetime": "2023-03-20 09:00", "modality": "CT",
                     "study_description": "ANGIOSCANNER THORACIQUE"},
                    {"exam_id": "E3", "study_datetime": "2023-03-24 09:00", "modality": "CT",
                     "study_description": "ANGIOSCANNER THORACIQUE"}])
    reports = pd.DataFrame({"report_id": ["R1", "R2"], "patient_id": ["800000001"] * 2,
                            "report_datetime": [None, None], "title": ["Compte rendu d'imagerie"] * 2,
                            "text": ["Le 7 janvier 2023\nPrescripteur : Dr X\nIndication : douleur abdominale.",
                                     "ANGIOSCANNER THORACIQUE du 20/03/2023\n\nComparaison avec le scanner "
                                     "du 07/01/2023.\nIndication : dyspnée."]})
    re_ = _report_exam(link(pd.DataFrame(P), exams, reports=reports))
    assert re_.loc["R1", "status"] == "linked" and re_.loc["R1", "target_id"] == "E1"
    assert re_.loc["R2", "status"] == "linked" and re_.loc["R2", "target_id"] == "E2"


def test_a_ris_abbreviation_names_the_modality_of_a_combined_exam():
    from radlink.linkage.report_exam import modality_class_of_text

    # a mammography completed by an ultrasound is a mammography exam (MG), not an ultrasound
    assert modality_class_of_text(pd.Series(["MAMMO BILAT + ECHO", "MAMMOS DE DEPISTAGE"])).tolist() == ["MG", "MG"]


def test_a_report_bearing_no_date_takes_the_only_exam_of_its_kind():
    exams = _exams([{"exam_id": "E1", "study_datetime": "2023-01-07 09:00", "modality": "CT",
                     "study_description": "SCANNER CEREBRAL"},
                    {"exam_id": "E2", "study_datetime": "2023-01-07 10:00", "modality": "DX",
                     "study_description": "RADIO THORAX"},
                    {"exam_id": "E3", "study_datetime": "2023-01-08 10:00", "modality": "US",
                     "study_description": "ECHOGRAPHIE ABDOMINALE"},
                    {"exam_id": "E4", "study_datetime": "2023-02-08 10:00", "modality": "US",
                     "study_description": "ECHOGRAPHIE ABDOMINALE"}])
    reports = pd.DataFrame({"report_id": ["R1", "R2"], "patient_id": ["800000001"] * 2,
                            "report_datetime": [None, None], "title": ["Scanner cérébral", "Échographie abdominale"],
                            "text": ["Indication : céphalées.", "Indication : douleur."]})
    re_ = _report_exam(link(pd.DataFrame(P), exams, reports=reports))
    assert re_.loc["R1", "status"] == "linked" and re_.loc["R1", "target_id"] == "E1"
    assert re_.loc["R1", "method"] == "only_exam_of_its_kind"
    # two ultrasounds without report: nothing tells which one, the report stays unlinked
    assert re_.loc["R2", "status"] == "unlinked"


def _look_alike_gaps(gaps: np.ndarray, right: np.ndarray):
    """``fit_tie_margin``'s arrays for reports with two look-alike candidates each, the first
    preferred by the delay by ``gaps`` and right where ``right`` says."""
    n = len(gaps)
    logit = np.column_stack([gaps, np.zeros(n)]).ravel()
    own = np.column_stack([right, ~right]).ravel()
    return np.repeat(np.arange(n), 2), np.arange(2 * n), own, np.ones(n, bool), np.zeros(2 * n), logit, np.ones(2 * n)


def test_the_tie_margin_is_learned_from_how_often_the_delay_picks_the_confirmed_exam():
    from radlink.linkage.report_exam import TIE_DELAY_MARGIN, fit_tie_margin

    rng = np.random.default_rng(7)
    gaps = rng.uniform(0.0, 4.0, 400)
    # a warehouse whose delay tells its exams apart: the nearer exam is right from small gaps on
    reliable = fit_tie_margin(*_look_alike_gaps(gaps, rng.uniform(size=400) < 1 / (1 + np.exp(-4 * gaps))), 50)
    # daily bedside films read days later: the delay's choice is a coin toss at any gap
    toss = fit_tie_margin(*_look_alike_gaps(gaps, rng.uniform(size=400) < 0.5), 50)
    assert reliable["tie_delay_margin"] < TIE_DELAY_MARGIN < toss["tie_delay_margin"]
    assert toss["tie_delay_margin"] >= gaps.max()
    assert reliable["tie_delay_margin_reports"] == toss["tie_delay_margin_reports"] == 400
    # too few confirmed reports: nothing learned, the default stays
    assert fit_tie_margin(*_look_alike_gaps(gaps[:20], np.ones(20, bool)), 50) == {}


def test_the_linkage_decides_look_alike_exams_by_the_delay_only_beyond_the_learned_margin():
    from radlink.linkage.settings import LinkageSettings

    exams = _exams([{"exam_id": "E1", "study_datetime": "2021-01-04 07:20", "modality": "CR",
                     "study_description": "RX THORAX FACE"},
                    {"exam_id": "E2", "study_datetime": "2021-01-05 07:20", "modality": "CR",
                     "study_description": "RX THORAX FACE"}])
    reports = pd.DataFrame({"report_id": ["R1"], "patient_id": ["800000001"], "report_datetime": ["2021-01-05 09:00"],
                            "title": ["RX THORAX FACE"], "text": ["Pas d'anomalie."]})
    fitted = {}
    link(pd.DataFrame(P), exams, reports=reports, fitted=fitted)
    statuses = {}
    for margin in (0.0, 50.0):
        model = {**fitted["delay_model"], "tie_delay_margin": margin}
        links = link(pd.DataFrame(P), exams, reports=reports, settings=LinkageSettings(delay_model=model))
        statuses[margin] = _report_exam(links).loc["R1", ["status", "target_id"]].tolist()
    assert statuses[0.0] == ["linked", "E2"]
    assert statuses[50.0][0] == "ambiguous"


def test_a_report_numbering_whose_serials_never_meet_the_exams_is_not_held_against_them():
    n = 60
    ids = [f"8{i:08d}" for i in range(n)]
    patients = pd.DataFrame({"patient_id": ids, "family_name": [f"Nom{i}" for i in range(n)],
                             "given_name": "Anne", "birth_date": "1950-03-04", "sex": "F"})
    exams = pd.DataFrame({"exam_id": [f"E{i}" for i in range(n)], "patient_id": ids,
                          "patient_name": [f"NOM{i}^ANNE" for i in range(n)], "birth_date": "19500304", "sex": "F",
                          "study_datetime": [f"2021-01-{1 + i % 28:02d} 21:16" for i in range(n)], "modality": "CT",
                          "study_description": "SCANNER RACHIS LOMBAIRE",
                          "accession_number": [f"RX2000{8000 + i:04d}" for i in range(n)]})
    # a teleradiology provider's own numbers: their last digits never agree with the PACS accession's
    reports = pd.DataFrame({"report_id": [f"R{i}" for i in range(n)], "patient_id": ids,
                            "report_datetime": [f"2021-01-{1 + i % 28:02d} 23:22" for i in range(n)],
                            "title": "CR TELERADIOLOGIE", "text": "Pas de fracture.",
                            "accession_number": [f"TLR{2117000 + 7 * i + 3:07d}" for i in range(n)]})
    fitted = {}
    links = link(patients, exams, reports=reports, fitted=fitted)
    assert fitted["delay_model"]["accession_formats_without_serial"] == ["TLR9999999"]
    re_ = _report_exam(links)
    assert (re_["status"] == "linked").all() and (re_["target_id"] == "E" + re_.index.str[1:]).all()
    assert not re_["evidence"].str.contains("accession_serial").any()
