"""FellegiSunterScorer: scikit-learn contract, EM behaviour, JSON round trip, shipped file."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import parametrize_with_checks

from radlink.models import EXAM_PATIENT_MODEL, FellegiSunterScorer, load_exam_patient_scorer


def _pairs(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    match = rng.random(n) < 0.3
    agree = np.where(match[:, None], rng.random((n, 3)) < 0.9, rng.random((n, 3)) < 0.1)
    return np.where(agree, 0, 1).astype(float), match


@parametrize_with_checks([FellegiSunterScorer(), FellegiSunterScorer(term_frequency=(), max_iter=5, prior=0.3)])
def test_sklearn_contract(estimator, check):
    check(estimator)


class TestFellegiSunterScorer:
    def test_em_separates_matches(self):
        X, match = _pairs()
        scorer = FellegiSunterScorer().fit(X)
        pred = scorer.predict(X).astype(bool)
        assert (pred == match).mean() > 0.95
        assert 0.2 < scorer.lambda_ < 0.4

    def test_init_only_stores(self):
        scorer = FellegiSunterScorer(n_levels="not validated here")
        assert scorer.n_levels == "not validated here"

    def test_predict_before_fit(self):
        with pytest.raises(NotFittedError):
            FellegiSunterScorer().predict_proba([[0, 0]])

    def test_nulls_carry_no_evidence(self):
        X, _ = _pairs()
        scorer = FellegiSunterScorer().fit(X)
        w_null = scorer.match_weight([[-1, -1, -1]])[0]
        assert w_null == pytest.approx(np.log2(scorer.lambda_ / (1 - scorer.lambda_)))

    def test_term_frequency_rare_value_weighs_more(self):
        X, _ = _pairs()
        tf = np.full((len(X), 1), np.nan)
        scorer = FellegiSunterScorer(term_frequency=(0,)).fit(np.column_stack([X, tf]))
        common = scorer.match_weight([[0, 0, 0, 0.05]])[0]
        rare = scorer.match_weight([[0, 0, 0, 0.0001]])[0]
        assert rare > common

    def test_fixed_u_and_m(self):
        X, _ = _pairs()
        u = [[0.1, 0.9]] * 3
        m = [[0.9, 0.1]] * 3
        scorer = FellegiSunterScorer(u_probabilities=u, m_probabilities=m).fit(X)
        np.testing.assert_allclose(scorer.u_, np.asarray(u), atol=1e-5)
        np.testing.assert_allclose(scorer.m_, np.asarray(m), atol=1e-5)

    def test_json_round_trip(self, tmp_path):
        X, _ = _pairs()
        scorer = FellegiSunterScorer(comparison_names=("a", "b", "c")).fit(X)
        path = tmp_path / "fs.json"
        scorer.save(path)
        again = FellegiSunterScorer.load(path)
        np.testing.assert_allclose(again.predict_proba(X), scorer.predict_proba(X))
        assert again.get_params()["comparison_names"] == ("a", "b", "c")


class TestShippedModel:
    def test_small_json_and_loads(self):
        assert EXAM_PATIENT_MODEL.stat().st_size < 20_000
        json.loads(EXAM_PATIENT_MODEL.read_text())
        scorer = load_exam_patient_scorer()
        assert scorer.comparison_names == ("family", "given", "birth_date", "sex", "ipp")
        bf = scorer.bayes_factors()
        assert bf["ipp"]["0"] > 5 and bf["birth_date"]["0"] > 5 and bf["family"]["3"] < 0


def test_probability_of_weight_is_predict_proba_and_weights_match_the_m_u_tables():
    scorer = load_exam_patient_scorer()
    rng = np.random.default_rng(3)
    k = len(scorer.n_levels_)
    levels = np.stack([rng.integers(-1, int(scorer.n_levels_[c]), 5000) for c in range(k)], axis=1)
    X = np.column_stack([np.where(levels < 0, np.nan, levels), rng.random(5000)])
    weight = scorer.match_weight(X)
    np.testing.assert_array_equal(scorer.probability_of_weight(weight), scorer.predict_proba(X)[:, 1])
    # each pair's log m / log u are the table's values at its levels, 0 for a null level
    log_m, log_u = scorer._weights(levels)
    rows, cols = np.nonzero(levels >= 0)
    np.testing.assert_array_equal(log_m[rows, cols], np.log(np.maximum(scorer.m_[cols, levels[rows, cols]], 1e-6)))
    np.testing.assert_array_equal(log_u[rows, cols], np.log(np.maximum(scorer.u_[cols, levels[rows, cols]], 1e-6)))
    assert not log_m[levels < 0].any() and not log_u[levels < 0].any()
