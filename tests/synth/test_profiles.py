"""Site profiles of the generator: each warehouse's reporting habits, default unchanged."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from radlink.errors import SynthError
from radlink.synth import generate
from radlink.synth.profiles import PROFILES


@pytest.fixture(scope="module")
def sets():
    return {name: generate(300, seed=2, profile=name) for name in PROFILES}


def _delays_hours(ds) -> pd.Series:
    truth = ds.links[ds.links["target_type"] == "exam"].set_index("source_id")["target_id"]
    rep = ds.reports.set_index("report_id")
    study = ds.exams.set_index("exam_id")["study_datetime"]
    exam = truth.reindex(rep.index)
    ok = exam.notna().to_numpy()
    t = study.reindex(exam[ok].to_numpy()).to_numpy()
    return pd.Series((rep["report_datetime"].to_numpy()[ok] - t) / np.timedelta64(1, "h"))


def test_default_profile_is_the_legacy_generator(sets):
    legacy = generate(300, seed=2)
    for name in ("exams", "reports", "links"):
        pd.testing.assert_frame_equal(getattr(legacy, name), getattr(sets["default"], name))


def test_unknown_profile_is_an_error():
    with pytest.raises(SynthError, match="known"):
        generate(5, seed=1, profile="nowhere")


def test_profiles_differ_in_their_habits(sets):
    acc = {n: ds.reports["accession_number"].notna().mean() for n, ds in sets.items()}
    assert acc["generic_titles"] == 0.0
    assert acc["fast_ct"] > 0.8 > 0.2 > acc["pet_queue"] > 0.05
    delays = {n: _delays_hours(ds) for n, ds in sets.items()}
    assert delays["default"].max() <= 72
    assert delays["pet_queue"].quantile(0.99) > 14 * 24  # heavy tail: weeks
    assert delays["fast_ct"].median() < delays["pet_queue"].median()
    generic = sets["generic_titles"].reports["title"].str.match(r"(CR|Compte|Document)").mean()
    assert generic > 0.8


def test_addenda_point_to_an_exam_that_already_has_a_report(sets):
    ds = sets["pet_queue"]
    truth = ds.links[ds.links["target_type"] == "exam"]["target_id"].dropna()
    assert truth.duplicated().mean() > 0.03
    assert ds.reports["title"].str.contains("Addendum|Complément|Rectificatif").any()
    assert ds.reports["text"].str.contains(r"Examen du \d\d/\d\d/\d{4}").any()
    assert (ds.report_facts["report_id"] == ds.reports["report_id"]).all()
