"""The PACS file, the cohort's queries and the cap splitting, with a PACS made of a list."""

from __future__ import annotations

import pandas as pd
import pytest

from radlink.errors import PacsConfigError
from radlink.pacs.config import read_pacs_config
from radlink.pacs.find import find_studies
from radlink.pacs.query import StudyQuery
from radlink.pacs.request import request_from_ids


class ListPacs:
    """A PACS holding a list of studies, answering at most ``cap`` rows; it records queries."""

    def __init__(self, studies: list[dict], cap: int | None = None):
        self.studies, self.cap, self.asked = studies, cap, []

    def find_studies(self, q: StudyQuery, limit=None):
        self.asked.append(q)
        rows = [s for s in self.studies
                if (not q.patient_id or s["patient_id"] == q.patient_id)
                and (not q.accession_number or s["accession_number"] == q.accession_number)
                and (not q.study_uids or s["study_instance_uid"] in q.study_uids)
                and (q.start or "0") <= s["study_date"] <= (q.end or "99999999")]
        caps = [c for c in (self.cap, limit) if c is not None]
        return rows[:min(caps)] if caps else rows


def studies(n_patients=3, per_patient=9):
    return [{"study_instance_uid": f"1.2.{p}.{k}", "patient_id": f"P{p}", "accession_number": f"A{p}{k}",
             "study_date": f"2020{1 + k % 12:02d}{1 + 2 * k:02d}", "modality": "CT",
             "study_description": None, "n_instances": 3}
            for p in range(n_patients) for k in range(per_patient)]


@pytest.mark.parametrize("text, problem", [
    ("", "give a [dimse] or a [dicomweb]"),
    ("[dimse]\nhost = 1\nport = 4242\ncalled_aet = 'X'\n", "host must be a string"),
    ("[dimse]\nhost = 'h'\ncalled_aet = 'X'\n", "needs 'port'"),
    ("[dicomweb]\nurl = 'http://x'\nuser = 'a'\n", "unknown key(s) ['user']"),
    ("[wado]\nurl = 'x'\n", "unknown section(s)"),
    ("[dimse\n", "not valid TOML"),
])
def test_a_bad_pacs_file_is_named_with_its_problem(tmp_path, text, problem):
    path = tmp_path / "pacs.toml"
    path.write_text(text)
    with pytest.raises(PacsConfigError, match=problem.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        read_pacs_config(path)


def test_splitting_under_a_cap_finds_every_study(tmp_path):
    (tmp_path / "ids.csv").write_text("patient_id\nP0\nP1\nP2\n")
    request = request_from_ids(tmp_path / "ids.csv", "patient_id")
    pacs = ListPacs(studies(), cap=4)
    result = find_studies(pacs, request, max_results=4)
    assert len(result.studies) == 27 and result.splits > 0 and result.truncated == 0
    assert result.queries == len(pacs.asked) > 3
    uncapped = find_studies(ListPacs(studies()), request)
    assert set(uncapped.studies["study_instance_uid"]) == set(result.studies["study_instance_uid"])


def test_a_single_day_at_the_cap_is_reported_not_hidden(tmp_path):
    (tmp_path / "ids.csv").write_text("patient_id\nP0\n")
    same_day = [dict(s, study_date="20200101") for s in studies(1, 5)]
    result = find_studies(ListPacs(same_day, cap=2), request_from_ids(tmp_path / "ids.csv", "patient_id"),
                          max_results=2)
    assert result.truncated >= 1


def test_an_opposed_patient_is_never_queried_nor_kept(tmp_path):
    (tmp_path / "ids.csv").write_text("patient_id\nP0\nP1\n")
    request = request_from_ids(tmp_path / "ids.csv", "patient_id", opposed=frozenset({"P1"}))
    pacs = ListPacs(studies())
    result = find_studies(pacs, request)
    assert {q.patient_id for q in pacs.asked} == {"P0"}
    assert set(result.studies["patient_id"]) == {"P0"} and result.excluded_opposition == 1


def test_an_accession_of_an_opposed_patient_is_dropped(tmp_path):
    (tmp_path / "acc.csv").write_text("accession_number\nA00\nA10\n")
    request = request_from_ids(tmp_path / "acc.csv", "accession_number", opposed=frozenset({"P1"}))
    result = find_studies(ListPacs(studies()), request)
    assert list(result.studies["accession_number"]) == ["A00"] and result.excluded_opposition == 1
    assert result.studies["exam_id"].isna().all()
    assert list(result.studies.columns) == ["study_instance_uid", "patient_id", "accession_number",
                                            "study_date", "modality", "study_description",
                                            "n_instances", "exam_id"]
    assert result.studies["study_date"].dtype.kind == "M"
    assert pd.api.types.is_integer_dtype(result.studies["n_instances"])
