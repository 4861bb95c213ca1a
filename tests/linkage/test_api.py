"""The links contract: columns, one row per source and link type, nothing lost."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from radlink.errors import LinkageInputError, TableValidationError
from radlink.linkage import LINK_COLUMNS, link, reattached


def _tiny():
    patients = pd.DataFrame({
        "patient_id": ["800000001", "800000002", "800000003"],
        "family_name": ["Dupont", "Le Gall", "Martin"],
        "given_name": ["Anne", "Jean-Luc", "Paul"],
        "birth_date": ["1950-03-04", "1961-07-12", "1970-01-20"],
        "sex": ["F", "M", "M"],
        "usage_name": ["Durand", None, None],
    })
    exams = pd.DataFrame({
        "exam_id": ["E1", "E2", "E3", "E4", "E5"],
        "accession_number": ["A1", "A2", "A3", None, None],
        "patient_id": ["800000001", "800000001", None, "TMP0000042", "800000021"],
        # E2 carries Anne Dupont's IPP but is Paul Martin's exam: must be re-attached.
        "patient_name": ["DURAND^ANNE", "MARTIN^PAUL", "JEAN LUC^LE GALL", "dupont^anne", "GALL^Jean Luc"],
        "birth_date": ["19500304", "19700120", "19610712", "19500403", "19610712"],
        "sex": ["F", "M", "M", "F", None],
        "study_datetime": ["2020-01-01 10:00", "2020-01-02 11:00", "2020-01-03 09:00",
                           "2020-02-01 08:00", "2020-03-01 08:00"],
        "modality": ["PT\\CT", "CT", "MR", "CR", "CT"],
        "study_description": ["TEP-TDM FDG", "SCANNER THORACIQUE", "IRM CEREBRALE", "RADIO THORAX", None],
        "stay_id": [None, None, None, None, "S9"],
    })
    stays = pd.DataFrame({
        "stay_id": ["S1", "S2", "S9"],
        "patient_id": ["800000001", "800000003", "800000002"],
        "start_datetime": ["2019-12-31 08:00", "2020-01-02 12:00", "2020-03-01 07:00"],
        "end_datetime": ["2020-01-05 18:00", "2020-01-06 12:00", "2020-03-01 12:00"],
    })
    reports = pd.DataFrame({
        "report_id": ["R1", "R2", "R3", "R4"],
        "patient_id": ["800000001", "800000003", "800000002", None],
        "report_datetime": ["2020-01-02 15:00", "2020-01-02 16:00", "2020-01-04 10:00", "2020-01-01 12:00"],
        "title": ["Tomographie par émission de positons avec scanner", "Scanner thoracique",
                  "IRM cérébrale", "Radio du thorax"],
        "text": ["...", "...", "...", "..."],
        "accession_number": [None, "A2", None, None],
    })
    return patients, exams, stays, reports


class TestLinkContract:
    def test_columns_and_one_row_per_source_and_type(self):
        patients, exams, stays, reports = _tiny()
        links = link(patients=patients, exams=exams, stays=stays, reports=reports)
        assert list(links.columns) == list(LINK_COLUMNS)
        counts = links.groupby(["source_type", "target_type"]).size().to_dict()
        assert counts == {("exam", "patient"): 5, ("exam", "stay"): 5, ("report", "exam"): 4,
                          ("report", "stay"): 4}
        assert not links.duplicated(["source_type", "source_id", "target_type"]).any()
        assert set(links["status"]) <= {"linked", "ambiguous", "unlinked"}
        assert links["score"].between(0, 1).all()
        assert links.loc[links["status"] == "unlinked", "target_id"].isna().all()
        for text in links["evidence"]:
            json.loads(text)

    def test_decisions(self):
        patients, exams, stays, reports = _tiny()
        links = link(patients=patients, exams=exams, stays=stays, reports=reports)
        got = {(r.source_id, r.target_type): (r.target_id, r.status) for r in links.itertuples()}
        assert got[("E1", "patient")] == ("800000001", "linked")  # usage name
        assert got[("E2", "patient")] == ("800000003", "linked")  # wrong IPP, re-attached
        assert got[("E3", "patient")] == ("800000002", "linked")  # given^family swapped, hyphen written as a space
        assert got[("E4", "patient")] == ("800000001", "linked")  # temporary IPP, day/month swap
        assert got[("E5", "patient")] == ("800000002", "linked")  # IPP one digit off, particle dropped
        assert got[("E1", "stay")] == ("S1", "linked")
        assert got[("E2", "stay")] == ("S2", "linked")  # an hour before admission
        assert got[("E5", "stay")] == ("S9", "linked")
        assert got[("R1", "exam")] == ("E1", "linked")
        assert got[("R2", "exam")] == ("E2", "linked")  # accession, checked
        assert got[("R3", "exam")] == ("E3", "linked")
        assert got[("R4", "exam")] == (None, "unlinked")  # no patient, no accession
        assert got[("R1", "stay")] == ("S1", "linked")
        ep = links[links["target_type"] == "patient"]
        assert "E2" in set(ep.loc[reattached(ep), "source_id"])
        assert "E1" not in set(ep.loc[reattached(ep), "source_id"])

    def test_empty_stays_and_reports(self):
        patients, exams, _, _ = _tiny()
        links = link(patients=patients, exams=exams, stays=pd.DataFrame({"stay_id": []}), reports=None)
        assert len(links) == 2 * len(exams)
        assert (links.loc[links["target_type"] == "stay", "status"] == "unlinked").all()

    def test_empty_exams(self):
        patients, exams, stays, reports = _tiny()
        links = link(patients=patients, exams=exams.iloc[:0], stays=stays, reports=reports)
        assert len(links) == 2 * len(reports)

    def test_bad_input_is_a_clear_error(self):
        patients, exams, _, _ = _tiny()
        with pytest.raises(TableValidationError, match="exam_id"):
            link(patients=patients, exams=exams.drop(columns="exam_id"))
        with pytest.raises(LinkageInputError, match="exams"):
            link(patients=patients, exams=[1, 2])
