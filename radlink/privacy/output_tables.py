"""Pseudonymisation of each output table of the timeline job, row by row: the rules of both engines.

:class:`OutputPseudonymiser` holds what the rules read beside a table's own rows: the
:class:`~radlink.privacy.Pseudonymiser` (the key), the identity of each patient whose text
is read, each report's patient, and which evidence strings are ids (and of which kind) or
patient names. Each method rewrites one table and reads, for each row, only what that row
names, so the same rules run on whole tables (the pandas engine,
:func:`radlink.timeline.pseudonymise.pseudonymise`) and on a partition given the context of
its own rows (the Spark engine, :mod:`radlink.spark.pseudonymise`): the same cells.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from radlink.privacy.deidentify import Deidentifier, PatientIdentity
from radlink.privacy.evidence import rewrite_strings
from radlink.privacy.pseudonymise import Pseudonymiser

__all__ = ["DIRECT_IDENTIFIERS", "ID_KIND_SOURCES", "OutputPseudonymiser"]

DIRECT_IDENTIFIERS: tuple[str, ...] = ("patient_name", "family_name", "given_name", "usage_name", "birth_date",
                                       "text")
"""Columns dropped from an output table (names, birth dates, report texts)."""

ID_KIND_SOURCES: tuple[tuple[str, str, str], ...] = (
    ("accession", "exams", "accession_number"), ("stay", "stays", "stay_id"), ("report", "reports", "report_id"),
    ("exam", "exams", "exam_id"), ("patient", "exams", "patient_id"), ("patient", "patients", "patient_id"))
"""``(kind, table, column)`` of the ids evidence may hold; a value in several is of the last one's kind."""

_LINK_KIND = {"exam": "exam", "report": "report", "patient": "patient", "stay": "stay"}
_TOKEN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.>\- ]{0,40}$")
_NAME_LIKE = re.compile(r"\d{4}|\^")


@dataclass
class OutputPseudonymiser:
    """The pseudonymisation rules of the output tables, with what they read beside each row.

    Parameters
    ----------
    p : Pseudonymiser
        Holds the key.
    identities : mapping
        Patient id -> :class:`~radlink.privacy.PatientIdentity` (its names and ids), for
        the patients whose text is read.
    report_patient : mapping
        Report id -> its patient (resolved on the timeline, else its own), for the reports
        whose text is read.
    id_kinds : mapping
        Id value -> its kind (``patient``, ``exam``...), for the values evidence holds.
    names : set of str
        Casefolded names of patients (patients table), for the values evidence holds.

    Examples
    --------
    >>> import pandas as pd
    >>> from radlink.privacy.pseudonymise import Pseudonymiser
    >>> rules = OutputPseudonymiser(Pseudonymiser(b"0123456789abcdef"), id_kinds={"P1": "patient"})
    >>> rules.scrub_value("P1")[:4], rules.scrub_value("DUPONT^MARIE"), rules.scrub_value("ipp")
    ('pat_', '…', 'ipp')
    """

    p: Pseudonymiser
    identities: Mapping[str, PatientIdentity] = field(default_factory=dict)
    report_patient: Mapping[str, object] = field(default_factory=dict)
    id_kinds: Mapping[str, str] = field(default_factory=dict)
    names: set[str] | frozenset[str] = frozenset()
    deidentifier: Deidentifier = field(default_factory=Deidentifier)
    shifts: dict[str, int] = field(default_factory=dict)  # patient -> date shift, each computed once

    def text(self, texts: pd.Series, patients: pd.Series) -> pd.Series:
        """Free text through the de-identifier, each with its patient's identity and date shift."""
        keys = patients.astype(object).where(patients.notna(), None)
        new = pd.Series([k for k in pd.unique(keys.dropna()) if k not in self.shifts], dtype=object)
        self.shifts.update(zip(new, self.p.shift_days(new).tolist(), strict=True))
        return self.deidentifier.deidentify_series(texts, keys, self.identities, self.shifts)

    def scrub_value(self, s: str) -> str:
        """A string of link evidence: an id's pseudonym, ``…`` for a name or date, else kept if a plain token."""
        if s in self.id_kinds:
            return self.p.pseudonym(self.id_kinds[s], s)
        if s.casefold() in self.names or _NAME_LIKE.search(s):
            return "…"  # names, dates, DICOM person names
        return s if _TOKEN.match(s) else "…"

    def by_kind(self, ids: pd.Series, kinds: pd.Series) -> pd.Series:
        """Pseudonyms of a column of ids whose kind (exam, report, ...) is given row by row."""
        out = pd.Series(None, index=ids.index, dtype=object)
        for kind in kinds.dropna().unique():
            sel = kinds == kind
            out[sel] = self.p.pseudonymise_ids(ids[sel], _LINK_KIND[kind])
        return out

    def timeline(self, tl: pd.DataFrame) -> pd.DataFrame:
        """The timeline's events: labels de-identified, dates shifted per patient, ids pseudonymised."""
        p = self.p
        tl = tl.assign(label=self.text(tl["label"], tl["patient_id"]))
        shifted = {c: p.shift_dates(tl[c], tl["patient_id"]) for c in ("start", "end")}
        return tl.assign(
            patient_id=p.pseudonymise_ids(tl["patient_id"], "patient"),
            event_id=self.by_kind(tl["event_id"], tl["event_type"]),
            start=shifted["start"], end=shifted["end"],
            stay_id=p.pseudonymise_ids(tl["stay_id"], "stay"),
            exam_id=p.pseudonymise_ids(tl["exam_id"], "exam"),
            report_id=p.pseudonymise_ids(tl["report_id"], "report"),
        )

    def links(self, links: pd.DataFrame) -> pd.DataFrame:
        """The links: source and target ids pseudonymised, evidence strings scrubbed."""
        links = links.copy()
        links["source_id"] = self.by_kind(links["source_id"], links["source_type"])
        links["target_id"] = self.by_kind(links["target_id"], links["target_type"])
        links["evidence"] = rewrite_strings(links["evidence"], self.scrub_value)
        return links

    def facts(self, df: pd.DataFrame) -> pd.DataFrame:
        """``report_facts`` or ``findings``: free text de-identified, report and finding ids pseudonymised."""
        df = df.copy()
        for col in ("indication", "conclusion", "snippet"):
            if col in df:
                df[col] = self.text(df[col], df["report_id"].map(self.report_patient))
        df["report_id"] = self.p.pseudonymise_ids(df["report_id"], "report")
        if "finding_id" in df:
            df["finding_id"] = self.p.pseudonymise_ids(df["finding_id"].astype(str), "finding")
        return df

    def unattached_exams(self, ue: pd.DataFrame) -> pd.DataFrame:
        """Exams off the timeline: header text de-identified, date shifted, names and birth date dropped."""
        p = self.p
        ue = ue.copy()
        owner = ue["patient_id"].where(ue["patient_id"].notna(), ue["exam_id"])
        for col in ("study_description", "institution", "unit"):
            if col in ue:
                ue[col] = self.text(ue[col], ue["patient_id"])
        ue["study_datetime"] = p.shift_dates(ue["study_datetime"], owner)
        ue = ue.drop(columns=[c for c in DIRECT_IDENTIFIERS if c in ue.columns])
        ue["patient_id"] = p.pseudonymise_ids(ue["patient_id"], "patient")
        ue["exam_id"] = p.pseudonymise_ids(ue["exam_id"], "exam")
        ue["accession_number"] = p.pseudonymise_ids(ue["accession_number"], "accession")
        ue["stay_id"] = p.pseudonymise_ids(ue["stay_id"], "stay")
        if "evidence" in ue:
            ue["evidence"] = rewrite_strings(ue["evidence"], self.scrub_value)
        return ue

    def unattached_reports(self, ur: pd.DataFrame) -> pd.DataFrame:
        """Reports off the timeline: title de-identified, date shifted per patient (else per report)."""
        ur = ur.copy()
        owner = ur["report_id"].map(self.report_patient)
        ur["title"] = self.text(ur["title"], owner)
        ur["report_datetime"] = self.p.shift_dates(ur["report_datetime"],
                                                   owner.where(owner.notna(), ur["report_id"]))
        ur["report_id"] = self.p.pseudonymise_ids(ur["report_id"], "report")
        return ur

    def unattached_stays(self, us: pd.DataFrame) -> pd.DataFrame:
        """Stays off the timeline: dates shifted per stay, ids pseudonymised."""
        us = us.copy()
        for c in ("start_datetime", "end_datetime"):
            us[c] = self.p.shift_dates(us[c], us["stay_id"])
        us["stay_id"] = self.p.pseudonymise_ids(us["stay_id"], "stay")
        return us

    def skipped_reports(self, sk: pd.DataFrame) -> pd.DataFrame:
        """Reports the NLP skipped: ids pseudonymised."""
        sk = sk.copy()
        sk["report_id"] = self.p.pseudonymise_ids(sk["report_id"], "report")
        return sk
