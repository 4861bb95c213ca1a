"""What the timeline job produces: its tables and their accounting."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from radlink.tables import SKIPPED_REPORT_COLUMNS

__all__ = ["TimelineOutputs", "OUTPUT_FILES"]

OUTPUT_FILES: tuple[str, ...] = (
    "timeline.parquet",
    "links.parquet",
    "report_facts.parquet",
    "findings.parquet",
    "unattached_exams.parquet",
    "unattached_reports.parquet",
    "unattached_stays.parquet",
    "skipped_reports.parquet",
)
"""Files of a timeline output folder, beside ``manifest.json``."""


@dataclass
class TimelineOutputs:
    """Every table the timeline job writes, plus its accounting.

    Attributes
    ----------
    timeline, links, report_facts, findings : pandas.DataFrame
    unattached_exams, unattached_reports, unattached_stays : pandas.DataFrame
    skipped_reports : pandas.DataFrame
        Reports the NLP could not read within its time limit or that failed
        (:data:`radlink.tables.SKIPPED_REPORT_COLUMNS`); their facts rows are empty.
    accounting : dict
        Per input table: in, linked (on the timeline), ambiguous, unlinked (in an
        unattached table), excluded_opposition.
    link_status : dict
        Per link type (``"exam->patient"`` ...): rows per status.
    excluded_patients : int
        How many opposed patients were found in the data (never which).
    reattached_exams : int
        Exams linked to a patient other than the one their IPP names.
    ipp_other_format_exams : int
        Exams whose IPP is their patient's own written in another site's format (the
        same patient: not counted in ``reattached_exams``).
    text_replacements : dict
        Pseudonymised runs: what the de-identifier replaced in free text, by kind
        (counts only).
    stages : list of dict
        One entry per step of the job: ``stage``, ``rows`` it read, ``seconds``.
    """

    timeline: pd.DataFrame
    links: pd.DataFrame
    report_facts: pd.DataFrame
    findings: pd.DataFrame
    unattached_exams: pd.DataFrame
    unattached_reports: pd.DataFrame
    unattached_stays: pd.DataFrame
    skipped_reports: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({c: pd.Series(dtype=object) for c in SKIPPED_REPORT_COLUMNS}))
    accounting: dict[str, dict[str, int]] = field(default_factory=dict)
    link_status: dict[str, dict[str, int]] = field(default_factory=dict)
    excluded_patients: int = 0
    reattached_exams: int = 0
    ipp_other_format_exams: int = 0
    text_replacements: dict[str, int] = field(default_factory=dict)
    stages: list[dict] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Output file name -> table."""
        return {
            "timeline.parquet": self.timeline,
            "links.parquet": self.links,
            "report_facts.parquet": self.report_facts,
            "findings.parquet": self.findings,
            "unattached_exams.parquet": self.unattached_exams,
            "unattached_reports.parquet": self.unattached_reports,
            "unattached_stays.parquet": self.unattached_stays,
            "skipped_reports.parquet": self.skipped_reports,
        }
