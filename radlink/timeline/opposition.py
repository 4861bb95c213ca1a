"""Opposition: the rows of patients who opposed research use leave every output.

Opposition is applied after the linkage (an exam without IPP can only be recognised as
an opposed patient's exam once it is linked) and before pseudonymisation. Only counts
are kept: the manifest says how many patients and rows were excluded, never which.
"""

from __future__ import annotations

import numpy as np

from radlink.dataset import Dataset
from radlink.privacy.opposition import oppose_links, opposed_events, opposed_exams, opposed_reports
from radlink.timeline.assemble import links_by_source
from radlink.timeline.result import TimelineOutputs

__all__ = ["exclude_opposed"]


def exclude_opposed(
    ds: Dataset, out: TimelineOutputs, opposed: frozenset[str]
) -> tuple[dict[str, np.ndarray], int]:
    """Drop opposed patients' rows from every output, in place.

    A row goes when its patient, as recorded or as resolved by the linkage, is opposed;
    an exam with no resolved patient goes when its link evidence names an opposed
    patient; a report goes with its exam. Links that point at an excluded row become
    ``unlinked`` with method ``opposition``, and opposed ids are blanked in evidence.

    Returns
    -------
    excluded : dict
        Per input table (``exams``, ``reports``, ``stays``): boolean mask of its rows
        excluded.
    n_patients : int
        How many opposed patients were found in the data (never which).
    """
    links = out.links
    ex_pat = links_by_source(links, "exam", "patient").reindex(ds.exams["exam_id"])
    resolved_exam = ex_pat["target_id"].where(ex_pat["status"] == "linked").set_axis(ds.exams.index)
    ex_out = opposed_exams(ds.exams["patient_id"], resolved_exam, ex_pat["evidence"], opposed)
    excluded_exams = set(ds.exams["exam_id"][ex_out])
    rep_ex = links_by_source(links, "report", "exam").reindex(ds.reports["report_id"])
    rep_exam = rep_ex["target_id"].where(rep_ex["status"] == "linked")
    rep_out = opposed_reports(ds.reports["patient_id"], rep_exam, opposed, excluded_exams)
    excluded_reports = set(ds.reports["report_id"][rep_out])
    stay_out = ds.stays["patient_id"].isin(opposed).to_numpy()
    excluded_stays = set(ds.stays["stay_id"][stay_out])

    found = set(ds.patients["patient_id"]) | set(ds.exams["patient_id"].dropna()) | set(ds.stays["patient_id"].dropna())
    n_patients = len(opposed & (found | set(resolved_exam.dropna())))

    out.links = oppose_links(links, opposed, excluded_exams, excluded_reports, excluded_stays)
    tl = out.timeline
    keep = ~opposed_events(tl, opposed, excluded_exams, excluded_reports, excluded_stays)
    out.timeline = tl[keep].reset_index(drop=True)
    out.report_facts = out.report_facts[~out.report_facts.report_id.isin(excluded_reports)].reset_index(drop=True)
    out.findings = out.findings[~out.findings.report_id.isin(excluded_reports)].reset_index(drop=True)
    out.skipped_reports = out.skipped_reports[
        ~out.skipped_reports.report_id.isin(excluded_reports)].reset_index(drop=True)
    out.unattached_exams = out.unattached_exams[~out.unattached_exams.exam_id.isin(excluded_exams)].reset_index(drop=True)
    out.unattached_reports = out.unattached_reports[
        ~out.unattached_reports.report_id.isin(excluded_reports)].reset_index(drop=True)
    out.unattached_stays = out.unattached_stays[~out.unattached_stays.stay_id.isin(excluded_stays)].reset_index(drop=True)
    return {"exams": ex_out, "reports": rep_out, "stays": stay_out}, n_patients
