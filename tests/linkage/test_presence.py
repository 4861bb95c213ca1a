"""Exams of patients absent from the registry stay unlinked (issue 11): presence priors per IPP format family."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from radlink.linkage.exam_patient import link_exams_to_patients
from radlink.linkage.normalize import format_family
from radlink.linkage.presence import (
    candidate_posteriors,
    presence_formats,
    presence_priors,
    presence_summary,
)
from radlink.tables import validate_table

_FAMILIES = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
             "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard"]
_GIVENS = ["Anne", "Paul", "Marie", "Jean", "Sophie", "Pierre", "Claire", "Louis", "Julie", "Marc"]


def _registry(n: int = 200) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    births = pd.Timestamp("1940-01-01") + pd.to_timedelta(rng.integers(0, 20_000, n), unit="D")
    return validate_table(pd.DataFrame({
        "patient_id": [f"{4_000_000 + i:010d}" for i in range(n)],
        "family_name": [_FAMILIES[i % 20] for i in range(n)],
        "given_name": [_GIVENS[(i // 20) % 10] for i in range(n)],
        "birth_date": births.strftime("%Y-%m-%d"), "sex": ["F" if i % 2 else "M" for i in range(n)]}), "patients")


def _exam_rows(patients: pd.DataFrame, rows: np.ndarray, ipps: list, *, shift_birth: bool) -> pd.DataFrame:
    picked = patients.iloc[rows]
    birth = pd.to_datetime(picked["birth_date"])
    if shift_birth:  # another person with the same names: another birth date
        birth = birth + pd.to_timedelta(3_000 + 37 * np.arange(len(rows)), unit="D")
    return pd.DataFrame({"patient_id": ipps,
                         "patient_name": (picked["family_name"].str.upper() + "^" + picked["given_name"].str.upper()).to_numpy(),
                         "birth_date": birth.dt.strftime("%Y%m%d").to_numpy(), "sex": picked["sex"].to_numpy()})


def _warehouse():
    """Our registry; exams under our IPPs, and exams numbered by another site (``B`` + 7 digits):
    40 of its patients are absent from our registry (homonyms of ours, other birth dates), 10 are ours."""
    patients = _registry()
    ours = _exam_rows(patients, np.arange(100), patients["patient_id"].iloc[:100].tolist(), shift_birth=False)
    absent = _exam_rows(patients, np.arange(100, 140), [f"B{5_000_000 + i}" for i in range(40)], shift_birth=True)
    registered = _exam_rows(patients, np.arange(140, 150), [f"B{6_000_000 + i}" for i in range(10)], shift_birth=False)
    exams = pd.concat([ours, absent, registered], ignore_index=True)
    exams.insert(0, "exam_id", [f"E{i}" for i in range(len(exams))])
    truth = patients["patient_id"].iloc[:100].tolist() + [None] * 40 + patients["patient_id"].iloc[140:150].tolist()
    return patients, validate_table(exams, "exams"), truth


class TestFormats:
    def test_digits_read_as_nine_letters_kept(self):
        assert format_family(["B5066261", "chv0012", "", None]).tolist() == ["B9999999", "CHV9999", "", None]

    def test_only_families_the_registry_never_issued(self):
        formats = presence_formats(["123", "B12", "456", None], np.array([True, False, False, False]), ["999"])
        assert formats.tolist() == [None, "B99", None, None]


class TestPriors:
    def test_a_family_of_poor_matches_gets_a_low_prior(self):
        summary = pd.DataFrame({"format": ["99"] * 2 + ["B9"] * 2, "bits": [30.0, 31.0, 30.0, 4.0],
                                "exams": [100, 100, 10, 90]})
        priors = presence_priors(summary, 2_000)
        assert priors["99"] > 0.97 and 0.05 < priors["B9"] < 0.2

    def test_summary_is_additive(self):
        scored = pd.DataFrame({"source_row": [0, 0, 1, 2], "match_weight": [3.0, 3.0, -2.0, 10.0]})
        formats = np.array(["9", "B9", None], dtype=object)
        whole = presence_summary(scored, formats)
        parts = pd.concat([presence_summary(scored.iloc[:2], formats), presence_summary(scored.iloc[2:], formats)])
        assert whole.equals(parts.groupby(["format", "bits"], as_index=False)["exams"].sum())
        assert whole["exams"].sum() == 2  # the registered exam is not counted

    def test_posteriors_leave_room_for_none(self):
        post, absent = candidate_posteriors(np.array([12.0, 12.0, 12.0, 20.0]), np.array([0, 0, 1, 2]),
                                            np.array([0.99, 0.99, 0.1, 0.1]), 1_000)
        assert abs(post[0] - post[1]) < 1e-12 and abs(post[0] + post[1] + absent[0] - 1.0) < 1e-12
        # 12 bits among 1,000 patients is not enough where most patients are absent; 20 bits is
        assert post[2] < 0.5 < absent[2] and post[3] > 0.99


class TestAbsentPatients:
    def test_homonyms_of_another_numbering_stay_unlinked(self):
        patients, exams, truth = _warehouse()
        fitted: dict = {}
        links = link_exams_to_patients(exams, patients, fitted=fitted)
        got = links["target_id"].where(links["status"] == "linked", None).tolist()
        assert got == truth
        assert fitted["patient_presence"]["B9999999"] < 0.5
        decisions = {json.loads(e)["decision"] for e in links["evidence"].iloc[100:140]}
        assert decisions == {"patient_not_in_registry"}

    def test_exams_without_ipp_are_left_to_the_scorer(self):
        """Exams without IPP are no evidence of an absent patient: their full identities link, no prior is estimated."""
        patients, exams, truth = _warehouse()
        exams = exams.assign(patient_id=exams["patient_id"].where(~exams["patient_id"].str.startswith("B"), None))
        fitted: dict = {}
        links = link_exams_to_patients(exams, patients, fitted=fitted)
        assert links["target_id"].iloc[140:150].tolist() == truth[140:150]
        assert fitted["patient_presence"] == {}
