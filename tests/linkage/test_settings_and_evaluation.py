"""LinkageSettings and evaluate_links."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from radlink.linkage import LinkageSettings, evaluate_links


class TestLinkageSettings:
    def test_round_trip(self):
        s = LinkageSettings(exam_patient_threshold=0.8, refit_em=True)
        assert LinkageSettings.from_dict(json.loads(s.to_json())) == s

    def test_unknown_key(self):
        with pytest.raises(TypeError, match="unknown"):
            LinkageSettings.from_dict({"nope": 1})

    def test_no_report_window_any_more(self):
        s = LinkageSettings()
        assert s.report_windows_hours is None and s.report_horizon_days >= 60
        fitted = {"delay_model": {"source": "em", "pairs": 1, "levels": [], "u": [], "classes": {}}}
        assert LinkageSettings.from_dict(json.loads(LinkageSettings(delay_model=fitted["delay_model"]).to_json())
                                         ).delay_model == fitted["delay_model"]


class TestEvaluateLinks:
    def test_definitions(self):
        truth = pd.DataFrame({"source_type": ["exam"] * 5, "source_id": list("abcde"),
                              "target_type": ["patient"] * 5, "target_id": ["P1", "P2", "P3", None, None]})
        links = truth.assign(target_id=["P1", "P9", "P3", "P4", None],
                             status=["linked", "linked", "ambiguous", "linked", "unlinked"])
        r = evaluate_links(links, truth).iloc[0]
        # a: TP; b: FP+FN; c: ambiguous = not predicted -> FN; d: FP; e: TN
        assert (r["tp"], r["fp"], r["fn"], r["tn"]) == (1, 2, 2, 1)
        assert r["precision"] == pytest.approx(1 / 3) and r["recall"] == pytest.approx(1 / 3)

    def test_missing_rows_count_as_not_predicted(self):
        truth = pd.DataFrame({"source_type": ["report"], "source_id": ["r"], "target_type": ["exam"],
                              "target_id": ["E"]})
        links = truth.iloc[:0].assign(status=[])
        r = evaluate_links(links, truth).iloc[0]
        assert r["fn"] == 1 and r["missing"] == 1
