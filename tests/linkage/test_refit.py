"""Self-calibration: m/u re-estimated by EM when the data are large enough (issue 11)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from radlink.linkage import LinkageSettings
from radlink.linkage.exam_patient import _refit_decision, link_exams_to_patients
from radlink.models import FellegiSunterScorer


class TestSettings:
    def test_auto_by_default(self):
        s = LinkageSettings()
        assert s.refit_em is None and s.refit_em_min_exams == 1_000

    @pytest.mark.parametrize("value", [True, False, None])
    def test_old_and_new_files_load(self, value):
        old = {k: v for k, v in LinkageSettings().to_dict().items() if not k.startswith("refit_em_")}
        old["refit_em"] = value
        assert LinkageSettings.from_dict(json.loads(json.dumps(old))).refit_em is value


class TestDecision:
    def _scored(self, n_exams):
        return pd.DataFrame({"source_row": np.repeat(np.arange(n_exams), 2)})

    def test_auto_threshold(self):
        s = LinkageSettings(refit_em_min_exams=10)
        assert _refit_decision(self._scored(9), s) == "too_few_exams"
        assert _refit_decision(self._scored(10), s) == "refit"

    def test_forced(self):
        assert _refit_decision(self._scored(1), LinkageSettings(refit_em=True)) == "refit"
        assert _refit_decision(self._scored(10_000), LinkageSettings(refit_em=False)) == "refit_off"
        assert _refit_decision(self._scored(0), LinkageSettings(refit_em=True)) == "no_candidates"


class TestLinkRecordsModel:
    def test_small_data_keep_shipped_model(self):
        from radlink.tables import validate_table

        patients = validate_table(pd.DataFrame({"patient_id": ["100001", "100002"],
                                                "family_name": ["Dupont", "Martin"], "given_name": ["Anne", "Paul"],
                                                "birth_date": ["1950-03-04", "1961-07-12"], "sex": ["F", "M"]}),
                                  "patients")
        exams = validate_table(pd.DataFrame({"exam_id": ["E1"], "patient_id": ["100001"],
                                             "patient_name": ["MARTIN^PAUL"], "birth_date": ["19610712"],
                                             "sex": ["M"]}), "exams")
        fitted: dict = {}
        links = link_exams_to_patients(exams, patients, fitted=fitted)
        assert fitted["exam_patient_model"] == "too_few_exams"
        assert links["target_id"].tolist() == ["100002"]


class TestPriorM:
    def test_prior_weight_pulls_thin_data(self):
        rng = np.random.default_rng(0)
        match = rng.random(400) < 0.5
        X = np.where(match[:, None], rng.random((400, 2)) < 0.1, rng.random((400, 2)) < 0.9).astype(int)
        u = [[0.1, 0.9], [0.1, 0.9]]
        prior = [[0.5, 0.5], [0.5, 0.5]]
        free = FellegiSunterScorer(u_probabilities=u).fit(X)
        pulled = FellegiSunterScorer(u_probabilities=u, m_start=prior, m_prior_weight=1e6).fit(X)
        assert free.converged_ and pulled.converged_
        assert free.m_[0, 0] > 0.8
        assert pulled.m_[0, 0] == pytest.approx(0.5, abs=0.01)

    def test_not_converged_flag(self):
        X = np.array([[0, 0], [1, 1], [0, 1]] * 50)
        assert not FellegiSunterScorer(max_iter=1).fit(X).converged_

    def test_round_trip_keeps_params(self):
        X = np.array([[0, 0], [1, 1], [0, 1]] * 50)
        s = FellegiSunterScorer(m_start=[[0.9, 0.1], [0.9, 0.1]], m_prior_weight=5.0).fit(X)
        t = FellegiSunterScorer.from_dict(json.loads(json.dumps(s.to_dict())))
        assert t.m_prior_weight == 5.0 and t.converged_ == s.converged_
        np.testing.assert_allclose(t.predict_proba(X), s.predict_proba(X))
