"""Pseudonymisation of the timeline outputs, the last step of the job."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from radlink.dataset import Dataset
from radlink.privacy.deidentify import Deidentifier, identities_from_tables
from radlink.privacy.evidence import rewrite_strings
from radlink.privacy.pseudonymise import Pseudonymiser
from radlink.timeline.result import TimelineOutputs

__all__ = ["pseudonymise"]

_DIRECT_IDENTIFIERS = ("patient_name", "family_name", "given_name", "usage_name", "birth_date", "text")
_LINK_KIND = {"exam": "exam", "report": "report", "patient": "patient", "stay": "stay"}


def _pseudonymise_by_kind(p: Pseudonymiser, ids: pd.Series, kinds: pd.Series) -> pd.Series:
    """Pseudonyms of a column of ids whose kind (exam, report, ...) is given row by row."""
    out = pd.Series(None, index=ids.index, dtype=object)
    for kind in kinds.dropna().unique():
        sel = kinds == kind
        out[sel] = p.pseudonymise_ids(ids[sel], _LINK_KIND[kind])
    return out


def pseudonymise(out: TimelineOutputs, ds: Dataset, p: Pseudonymiser) -> TimelineOutputs:
    """Timeline outputs with keyed pseudonyms, shifted dates and no direct identifier.

    Ids become :meth:`~radlink.privacy.Pseudonymiser.pseudonym` values of their kind,
    every date of a patient moves by that patient's offset, names and birth dates are
    dropped, and free text (indication, conclusion, snippets, titles) and link evidence
    are scrubbed. ``out`` is left as it is.

    Parameters
    ----------
    out : TimelineOutputs
        What :func:`radlink.timeline.build_timeline` returned without a pseudonymiser.
    ds : Dataset
        The dataset it was built from (ids and names to look for in evidence).
    p : Pseudonymiser
        Holds the key.

    Examples
    --------
    >>> from radlink.dataset import load_dataset
    >>> from radlink.privacy.pseudonymise import Pseudonymiser
    >>> from radlink.timeline.job import build_timeline
    >>> ds = load_dataset("data_samples")
    >>> out = pseudonymise(build_timeline(ds), ds, Pseudonymiser(b"0123456789abcdef"))
    >>> sorted(out.timeline["patient_id"].str[:4].unique())
    ['pat_']
    """
    out = replace(out)
    text = _TextDeidentifier(out, ds, p)
    tl = out.timeline.assign(label=text(out.timeline["label"], out.timeline["patient_id"]))
    shifted = {c: p.shift_dates(tl[c], tl["patient_id"]) for c in ("start", "end")}
    tl = tl.assign(
        patient_id=p.pseudonymise_ids(tl["patient_id"], "patient"),
        event_id=_pseudonymise_by_kind(p, tl["event_id"], tl["event_type"]),
        start=shifted["start"], end=shifted["end"],
        stay_id=p.pseudonymise_ids(tl["stay_id"], "stay"),
        exam_id=p.pseudonymise_ids(tl["exam_id"], "exam"),
        report_id=p.pseudonymise_ids(tl["report_id"], "report"),
    )
    out.timeline = tl

    links = out.links.copy()
    links["source_id"] = _pseudonymise_by_kind(p, links["source_id"], links["source_type"])
    links["target_id"] = _pseudonymise_by_kind(p, links["target_id"], links["target_type"])
    # id value -> kind; pseudonyms are computed only for the values evidence holds
    id_kinds: dict[str, str] = {}
    for kind, values in (("accession", ds.exams["accession_number"]), ("stay", ds.stays["stay_id"]),
                         ("report", ds.reports["report_id"]), ("exam", ds.exams["exam_id"]),
                         ("patient", ds.exams["patient_id"]), ("patient", ds.patients["patient_id"])):
        id_kinds.update(dict.fromkeys(values.dropna().unique().tolist(), kind))
    names = set()
    for col in ("family_name", "given_name", "usage_name"):
        names |= {str(v).casefold() for v in ds.patients[col].dropna()}
    token = re.compile(r"^[A-Za-z_][A-Za-z0-9_.>\- ]{0,40}$")

    def scrub_value(s: str) -> str:
        if s in id_kinds:
            return p.pseudonym(id_kinds[s], s)
        if s.casefold() in names or re.search(r"\d{4}|\^", s):
            return "…"  # names, dates, DICOM person names
        return s if token.match(s) else "…"

    links["evidence"] = rewrite_strings(links["evidence"], scrub_value)
    out.links = links

    for name in ("report_facts", "findings"):
        df = getattr(out, name).copy()
        for col in ("indication", "conclusion", "snippet"):
            if col in df:
                df[col] = text(df[col], df["report_id"].map(text.report_patient))
        df["report_id"] = p.pseudonymise_ids(df["report_id"], "report")
        if "finding_id" in df:
            df["finding_id"] = p.pseudonymise_ids(df["finding_id"].astype(str), "finding")
        setattr(out, name, df)

    ue = out.unattached_exams.copy()
    owner = ue["patient_id"].where(ue["patient_id"].notna(), ue["exam_id"])
    for col in ("study_description", "institution", "unit"):
        if col in ue:
            ue[col] = text(ue[col], ue["patient_id"])
    ue["study_datetime"] = p.shift_dates(ue["study_datetime"], owner)
    ue = ue.drop(columns=[c for c in _DIRECT_IDENTIFIERS if c in ue.columns])
    ue["patient_id"] = p.pseudonymise_ids(ue["patient_id"], "patient")
    ue["exam_id"] = p.pseudonymise_ids(ue["exam_id"], "exam")
    ue["accession_number"] = p.pseudonymise_ids(ue["accession_number"], "accession")
    ue["stay_id"] = p.pseudonymise_ids(ue["stay_id"], "stay")
    if "evidence" in ue:
        ue["evidence"] = rewrite_strings(ue["evidence"], scrub_value)
    out.unattached_exams = ue

    ur = out.unattached_reports.copy()
    owner = ur["report_id"].map(text.report_patient)
    ur["title"] = text(ur["title"], owner)
    ur["report_datetime"] = p.shift_dates(ur["report_datetime"], owner.where(owner.notna(), ur["report_id"]))
    ur["report_id"] = p.pseudonymise_ids(ur["report_id"], "report")
    out.unattached_reports = ur

    sk = out.skipped_reports.copy()
    sk["report_id"] = p.pseudonymise_ids(sk["report_id"], "report")
    out.skipped_reports = sk

    us = out.unattached_stays.copy()
    for c in ("start_datetime", "end_datetime"):
        us[c] = p.shift_dates(us[c], us["stay_id"])
    us["stay_id"] = p.pseudonymise_ids(us["stay_id"], "stay")
    out.unattached_stays = us
    out.text_replacements = dict(sorted(text.deidentifier.counts.items()))
    return out


class _TextDeidentifier:
    """Free text of the outputs through :class:`~radlink.privacy.Deidentifier`.

    Each text is read with its patient's identity (names from the patients table and
    from the DICOM names of the patient's exams, ids, accession numbers) and its dates
    move by the same offset as the patient's other dates. A text without a patient
    gets ``[DATE]`` for its dates.
    """

    def __init__(self, out: TimelineOutputs, ds: Dataset, p: Pseudonymiser):
        self.deidentifier = Deidentifier()
        self.identities = identities_from_tables(ds.patients, ds.exams)
        self.p = p
        self.shifts: dict[str, int] = {}  # patient -> date shift, each computed once for the run
        events = out.timeline[out.timeline["event_type"] == "report"]
        resolved = pd.Series(events["patient_id"].to_numpy(), index=events["event_id"].to_numpy())
        own = ds.reports.set_index("report_id")["patient_id"]
        patient = own.copy()
        patient.update(resolved[~resolved.index.duplicated()])
        self.report_patient = patient[~patient.index.duplicated()].to_dict()

    def __call__(self, texts: pd.Series, patients: pd.Series) -> pd.Series:
        keys = patients.astype(object).where(patients.notna(), None)
        new = pd.Series([k for k in pd.unique(keys.dropna()) if k not in self.shifts], dtype=object)
        self.shifts.update(zip(new, self.p.shift_days(new).tolist(), strict=True))
        return self.deidentifier.deidentify_series(texts, keys, self.identities, self.shifts)
