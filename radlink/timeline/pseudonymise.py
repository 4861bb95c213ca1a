"""Pseudonymisation of the timeline outputs, the last step of the job."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from radlink.dataset import Dataset
from radlink.privacy.deidentify import PATIENT_NAME_COLUMNS, identities_from_tables
from radlink.privacy.output_tables import ID_KIND_SOURCES, OutputPseudonymiser
from radlink.privacy.pseudonymise import Pseudonymiser
from radlink.timeline.result import TimelineOutputs

__all__ = ["evidence_id_kinds", "patient_names", "pseudonymise", "report_patients"]


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
    rules = OutputPseudonymiser(p, identities=identities_from_tables(ds.patients, ds.exams),
                                report_patient=report_patients(out.timeline, ds.reports),
                                id_kinds=evidence_id_kinds(ds), names=patient_names(ds.patients))
    out.timeline = rules.timeline(out.timeline)
    out.links = rules.links(out.links)
    out.report_facts = rules.facts(out.report_facts)
    out.findings = rules.facts(out.findings)
    out.unattached_exams = rules.unattached_exams(out.unattached_exams)
    out.unattached_reports = rules.unattached_reports(out.unattached_reports)
    out.skipped_reports = rules.skipped_reports(out.skipped_reports)
    out.unattached_stays = rules.unattached_stays(out.unattached_stays)
    out.text_replacements = dict(sorted(rules.deidentifier.counts.items()))
    return out


def report_patients(timeline: pd.DataFrame, reports: pd.DataFrame) -> dict:
    """Each report's patient: the one the timeline resolves, else the report's own.

    Examples
    --------
    >>> import pandas as pd
    >>> tl = pd.DataFrame({"event_type": ["report"], "event_id": ["R1"], "patient_id": ["P9"]})
    >>> report_patients(tl, pd.DataFrame({"report_id": ["R1", "R2"], "patient_id": ["P1", "P2"]}))
    {'R1': 'P9', 'R2': 'P2'}
    """
    events = timeline[timeline["event_type"] == "report"]
    resolved = pd.Series(events["patient_id"].to_numpy(), index=events["event_id"].to_numpy())
    own = reports.set_index("report_id")["patient_id"]
    patient = own.copy()
    patient.update(resolved[~resolved.index.duplicated()])
    return patient[~patient.index.duplicated()].to_dict()


def evidence_id_kinds(ds: Dataset) -> dict[str, str]:
    """Id value -> kind, for every id of the dataset that link evidence may hold."""
    id_kinds: dict[str, str] = {}
    for kind, table, column in ID_KIND_SOURCES:
        id_kinds.update(dict.fromkeys(getattr(ds, table)[column].dropna().unique().tolist(), kind))
    return id_kinds


def patient_names(patients: pd.DataFrame) -> set[str]:
    """The casefolded family, given and usage names of the patients table."""
    names = set()
    for col in PATIENT_NAME_COLUMNS:
        names |= {str(v).casefold() for v in patients[col].dropna()}
    return names
