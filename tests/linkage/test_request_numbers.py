"""Request numbers written on reports, learned as an order of the requests (issue 11)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from radlink.linkage.normalize import format_family
from radlink.linkage.request_numbers import MIN_ANCHORS, reports_by_request_number, request_families

N = MIN_ANCHORS + 20


def _practice(kinds: list[str] | None = None):
    """``N`` exams an hour apart, one report each writing ``DM`` + a request number growing by 3."""
    study = pd.date_range("2023-01-02 08:00", periods=N, freq="h")
    kinds = kinds or ["US"] * N
    exams = pd.DataFrame({"study": study, "mclass": kinds, "region": [None] * N,
                          "accession": [f"2023{i:06d}" for i in range(N)]})
    texts = np.array([f"N° de demande : DM{100000 + 3 * i}\nEchographie." for i in range(N)], dtype=object)
    facts = pd.DataFrame({"kind": [None] * N, "region": [None] * N,
                          "sdate": np.full(N, np.datetime64("NaT"), dtype="datetime64[D]"),
                          "when": (study + pd.Timedelta("1h")).to_numpy()})
    return exams, texts, facts


def _place(exams, texts, facts, open_rows, anchor=None):
    anchor = np.arange(len(texts)) if anchor is None else anchor
    anchor = anchor.copy()
    anchor[open_rows] = -1
    claimed = np.zeros(len(exams), dtype=bool)
    claimed[anchor[anchor >= 0]] = True
    r, e = reports_by_request_number(texts, np.asarray(open_rows), anchor, facts, exams, claimed)
    return dict(zip(r.tolist(), e.tolist(), strict=True))


class TestFamilies:
    def _numbers(self, values):
        return pd.DataFrame({"report_row": range(len(values)), "number": [f"DM{v}" for v in values],
                             "family": format_family([f"DM{v}" for v in values]), "value": values})

    def _times(self, n):
        t = pd.date_range("2023-01-02", periods=n, freq="h").to_numpy()
        return t.astype("datetime64[D]"), t

    def test_ordered_counter_is_learned(self):
        values = [100000 + 2 * i for i in range(N)]
        assert request_families(self._numbers(values), *self._times(N), np.array(["X1"], dtype=object)) == ["DM999999"]

    def test_unordered_number_is_not(self):
        values = list(np.random.default_rng(0).permutation([100000 + 2 * i for i in range(N)]))
        assert request_families(self._numbers(values), *self._times(N), np.array(["X1"], dtype=object)) == []

    def test_too_few_anchors(self):
        n = MIN_ANCHORS - 1
        values = [100000 + 2 * i for i in range(n)]
        assert request_families(self._numbers(values), *self._times(n), np.array(["X1"], dtype=object)) == []

    def test_accession_family_is_left_to_the_accession_step(self):
        values = [100000 + 2 * i for i in range(N)]
        accessions = np.array([f"DM{v}" for v in values[:10]], dtype=object)  # beyond a coincidence
        assert request_families(self._numbers(values), *self._times(N), accessions) == []
        one = np.array(["DM100000"], dtype=object)  # one coincidence does not make it the accessions'
        assert request_families(self._numbers(values), *self._times(N), one) == ["DM999999"]

    def test_accessions_written_in_another_format_are_the_accessions(self):
        values = [100000 + 2 * i for i in range(N)]
        accessions = np.array([f"DM-{v}" for v in values[:10]], dtype=object)  # the same digits, a hyphen
        assert request_families(self._numbers(values), *self._times(N), accessions) == []

    def test_number_shared_across_days_is_no_request(self):
        values = [100000 + 2 * (i // 2) for i in range(N)]  # each number on two exams a day apart
        day, t = self._times(N)
        t = t + (np.arange(N) % 2) * np.timedelta64(1, "D")
        assert request_families(self._numbers(values), t.astype("datetime64[D]"), t,
                                np.array(["X1"], dtype=object)) == []


class TestPlacement:
    def test_between_its_neighbours(self):
        exams, texts, facts = _practice()
        assert _place(exams, texts, facts, [30, 40]) == {30: 30, 40: 40}

    def test_two_free_exams_of_the_type_between_neighbours_stay_open(self):
        exams, texts, facts = _practice()
        assert _place(exams, texts, facts, [30, 31]) == {}

    def test_the_stated_type_tells_two_free_exams_apart(self):
        kinds = ["US"] * N
        kinds[31] = "CT"
        exams, texts, facts = _practice(kinds)
        facts.loc[30, "kind"], facts.loc[31, "kind"] = "US", "CT"
        assert _place(exams, texts, facts, [30, 31]) == {30: 30, 31: 31}

    def test_second_reading_takes_its_request_exam(self):
        exams, texts, facts = _practice()
        texts = np.append(texts, texts[12])  # a second reading, signed a week later
        facts = pd.concat([facts, facts.iloc[[12]].assign(when=facts["when"].iloc[12] + pd.Timedelta("7D"))],
                          ignore_index=True)
        anchor = np.append(np.arange(N), -1)
        assert _place(exams, texts, facts, [N], anchor) == {N: 12}

    def test_a_type_mismatch_is_not_placed(self):
        exams, texts, facts = _practice()
        facts.loc[30, "kind"] = "MR"
        assert _place(exams, texts, facts, [30]) == {}

    def test_a_numbering_in_the_reports_own_column(self):
        """A reading group's numbering filed as the reports' accession_number (no exam's) orders them too."""
        exams, texts, facts = _practice()
        own = np.array([f"SIV-VAL-23-{500 + 2 * i:06d}" for i in range(N)], dtype=object)
        texts = np.full(N, "Echographie.", dtype=object)
        anchor = np.arange(N)
        anchor[30] = -1
        claimed = anchor >= 0
        r, e = reports_by_request_number(texts, np.array([30]), anchor, facts, exams, claimed, own)
        assert (r.tolist(), e.tolist()) == ([30], [30])

    def test_not_before_the_signature(self):
        exams, texts, facts = _practice()
        facts.loc[30, "when"] = exams["study"].iloc[30] - pd.Timedelta("1h")
        assert _place(exams, texts, facts, [30]) == {}


class TestLink:
    def test_a_report_without_patient_takes_its_exam_by_request_number(self):
        """60 patients, one ultrasound a day each (at 10:00 and 15:00 on alternate days), one report each
        writing the request number; the report of day 30 names no patient and bears no date: its number places it."""
        from radlink.linkage import link

        n = 60
        ids = [f"{7_000_000 + i}" for i in range(n)]
        patients = pd.DataFrame({"patient_id": ids, "family_name": [f"Nom{chr(65 + i % 26)}{i}" for i in range(n)],
                                 "given_name": ["Anne"] * n, "birth_date": ["1960-01-01"] * n, "sex": ["F"] * n})
        study = pd.Timestamp("2023-01-02 10:00") + pd.to_timedelta(np.arange(n), unit="D") \
            + pd.to_timedelta((np.arange(n) % 2) * 5, unit="h")
        exams = pd.DataFrame({"exam_id": [f"E{i}" for i in range(n)], "patient_id": ids,
                              "patient_name": [f"{f.upper()}^ANNE" for f in patients["family_name"]],
                              "birth_date": ["19600101"] * n, "sex": ["F"] * n,
                              "study_datetime": study.strftime("%Y-%m-%d %H:%M"), "modality": ["US"] * n,
                              "study_description": ["ECHOGRAPHIE ABDOMINALE"] * n})
        # a second, unreported exam of another kind on day 30 (no other exam of that type that day)
        exams = pd.concat([exams, exams.iloc[[30]].assign(exam_id="E_CT", modality="CT",
                                                          study_description="TDM THORAX")], ignore_index=True)
        reports = pd.DataFrame({"report_id": [f"R{i}" for i in range(n)], "patient_id": ids,
                                "report_datetime": (study + pd.Timedelta("1h")).strftime("%Y-%m-%d %H:%M"),
                                "title": ["CR"] * n,
                                "text": [f"N° de demande : DM{200000 + 3 * i}\n\nEchographie abdominale.\nNormal."
                                         for i in range(n)]})
        reports.loc[30, ["patient_id", "report_datetime"]] = None  # nor its date: nothing but the number is left
        links = link(patients=patients, exams=exams, reports=reports)
        row = links[(links["source_id"] == "R30") & (links["target_type"] == "exam")].iloc[0]
        assert (row["target_id"], row["status"], row["method"]) == ("E30", "linked", "request_number")
        assert json.loads(row["evidence"])["decision"] == "request_number"
