"""Patient timelines: stays, exams and reports of each patient, in time order.

:func:`assemble_timeline` is pure pandas: it takes the validated tables, the ``links``
table of :func:`radlink.linkage.link` and the ``report_facts`` of
:class:`radlink.nlp.ReportExtractor`, and returns one row per event. It resolves

* an exam's patient from its exam→patient link (``linked`` only); exams whose patient
  is ambiguous or unknown go to ``unattached_exams`` with the link's status and reason;
* a report's patient from its exam's resolved patient, else from the report's own
  ``patient_id`` when that patient is in the registry; reports with neither go to
  ``unattached_reports``;
* a stay's patient from the stays table (a stay whose patient is not in the registry
  is unattached too).

Nothing is dropped: every input row is on the timeline or in an unattached table,
which :func:`accounting` checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from radlink.vocabulary import MODALITIES

__all__ = ["TIMELINE_COLUMNS", "EXTRA_COLUMNS", "Timeline", "assemble_timeline", "event_label"]

TIMELINE_COLUMNS: tuple[str, ...] = (
    "patient_id", "event_type", "event_id", "start", "end", "stay_id", "exam_id",
    "report_id", "label", "modality", "max_suvmax", "indication_category", "link_status",
    "link_score",
)
"""Columns of ``timeline.parquet`` (public contract). Two more follow them, for cohort
counts: ``tracer`` (exam and report events) and ``diagnoses`` (stay events, CIM-10)."""
EXTRA_COLUMNS: tuple[str, ...] = ("tracer", "diagnoses")

_STAY_LABELS = {
    "hospitalisation": "Hospitalisation",
    "day_care": "Hôpital de jour",
    "consultation": "Consultation",
    "emergency": "Urgences",
}
_EXAM_LABELS = {"PT": "TEP-TDM", "NM": "Scintigraphie", "CT": "TDM", "MR": "IRM"}
_EVENT_ORDER = {"stay": 0, "exam": 1, "report": 2}


@dataclass
class Timeline:
    """Result of :func:`assemble_timeline`.

    Attributes
    ----------
    events : pandas.DataFrame
        One row per event, columns :data:`TIMELINE_COLUMNS`, ordered by patient and time.
    unattached_exams : pandas.DataFrame
        Exams with no resolved patient: the exam columns plus ``link_status``,
        ``link_score`` and ``reason``.
    unattached_reports : pandas.DataFrame
        Reports with no resolved patient (``report_id``, ``report_datetime``, ``title``,
        ``link_status``, ``reason``; never the text).
    unattached_stays : pandas.DataFrame
        Stays whose patient is not in the registry.
    """

    events: pd.DataFrame
    unattached_exams: pd.DataFrame
    unattached_reports: pd.DataFrame
    unattached_stays: pd.DataFrame


def _primary_modality(modality: pd.Series) -> pd.Series:
    """``"PT\\\\CT"`` -> ``"PT"``: the most specific code of a multi-modality study."""
    priority = ["PT", "NM", "MR", "CT", "MG", "US", "DX", "CR"]
    def pick(value):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        codes = str(value).replace("/", "\\").split("\\")
        return next((p for p in priority if p in codes), codes[0] or None)
    return modality.map(pick, na_action="ignore").astype(object)


def event_label(event_type: str, kind: str | None, detail: str | None = None) -> str:
    """A short French label for an event.

    Examples
    --------
    >>> event_label("exam", "PT", "FDG")
    'TEP-TDM FDG'
    >>> event_label("stay", "hospitalisation", "PNEUMOLOGIE")
    'Hospitalisation PNEUMOLOGIE'
    """
    if event_type == "stay":
        base = _STAY_LABELS.get(kind or "", kind or "Séjour")
    elif event_type == "exam":
        base = _EXAM_LABELS.get(kind or "", MODALITIES.get(kind or "", kind or "Examen"))
    else:
        base = kind or "Compte rendu"
    return f"{base} {detail}".strip() if detail else base


def links_by_source(links: pd.DataFrame, source_type: str, target_type: str) -> pd.DataFrame:
    """The links of one type, indexed by source id (one row per source)."""
    sel = links[(links["source_type"] == source_type) & (links["target_type"] == target_type)]
    return sel.drop_duplicates("source_id").set_index("source_id")


def assemble_timeline(
    patients: pd.DataFrame,
    stays: pd.DataFrame,
    exams: pd.DataFrame,
    reports: pd.DataFrame,
    links: pd.DataFrame,
    facts: pd.DataFrame | None = None,
) -> Timeline:
    """Build the events of every patient from tables, links and report facts.

    Parameters
    ----------
    patients, stays, exams, reports : pandas.DataFrame
        Validated canonical tables.
    links : pandas.DataFrame
        The ``links`` table (source_type, source_id, target_type, target_id, status,
        score, method, evidence).
    facts : pandas.DataFrame, optional
        ``report_facts`` (report_id, modality, tracer, max_suvmax, indication_category ...).

    Returns
    -------
    Timeline

    Examples
    --------
    >>> import pandas as pd
    >>> from radlink.tables import validate_table
    >>> pats = validate_table(pd.DataFrame({"patient_id": ["P1"]}), "patients")
    >>> stays = validate_table(pd.DataFrame({"stay_id": ["S1"], "patient_id": ["P1"], "start_datetime": ["2020-04-01"], "end_datetime": ["2020-04-05"], "stay_type": ["hospitalisation"], "unit": ["PNEUMOLOGIE"]}), "stays")
    >>> exams = validate_table(pd.DataFrame({"exam_id": ["E1"], "study_datetime": ["2020-04-02 10:00"], "modality": ["PT\\\\CT"]}), "exams")
    >>> reports = validate_table(pd.DataFrame({"report_id": ["R1"], "text": ["..."], "report_datetime": ["2020-04-03"]}), "reports")
    >>> links = pd.DataFrame({"source_type": ["exam", "exam", "report", "report"], "source_id": ["E1", "E1", "R1", "R1"],
    ...     "target_type": ["patient", "stay", "exam", "stay"], "target_id": ["P1", "S1", "E1", "S1"],
    ...     "status": ["linked"] * 4, "score": [0.99, 1.0, 0.97, 1.0], "method": ["m"] * 4, "evidence": ["{}"] * 4})
    >>> facts = pd.DataFrame({"report_id": ["R1"], "tracer": ["FDG"], "max_suvmax": [7.7], "indication_category": ["initial_staging"]})
    >>> tl = assemble_timeline(pats, stays, exams, reports, links, facts)
    >>> tl.events[["event_type", "event_id", "label", "stay_id", "max_suvmax"]].values.tolist()
    [['stay', 'S1', 'Hospitalisation PNEUMOLOGIE', 'S1', nan], ['exam', 'E1', 'TEP-TDM FDG', 'S1', 7.7], ['report', 'R1', 'TEP-TDM FDG', 'S1', 7.7]]
    """
    registry = set(patients["patient_id"].dropna())
    if facts is None:
        facts = pd.DataFrame(columns=["report_id", "modality", "tracer", "max_suvmax", "indication_category"])
    facts = facts.drop_duplicates("report_id").set_index("report_id")

    ex_pat = links_by_source(links, "exam", "patient")
    ex_stay = links_by_source(links, "exam", "stay")
    rep_exam = links_by_source(links, "report", "exam")
    rep_stay = links_by_source(links, "report", "stay")

    # ---- exams
    e = exams.copy()
    ep = ex_pat.reindex(e["exam_id"])
    e_status = ep["status"].fillna("unlinked").to_numpy()
    e["resolved_patient"] = np.where(e_status == "linked", ep["target_id"].to_numpy(), None)
    e["link_status"] = e_status
    e["link_score"] = ep["score"].to_numpy()
    es = ex_stay.reindex(e["exam_id"])
    e["resolved_stay"] = np.where(es["status"].to_numpy() == "linked", es["target_id"].to_numpy(), None)

    # ---- reports
    r = reports.copy()
    rx = rep_exam.reindex(r["report_id"])
    r["link_status"] = rx["status"].fillna("unlinked").to_numpy()
    r["link_score"] = rx["score"].to_numpy()
    r["resolved_exam"] = np.where(r["link_status"] == "linked", rx["target_id"].to_numpy(), None)
    exam_patient = e.set_index("exam_id")["resolved_patient"]
    via_exam = r["resolved_exam"].map(exam_patient)
    own = r["patient_id"].where(r["patient_id"].isin(registry))
    r["resolved_patient"] = via_exam.where(via_exam.notna(), own).astype(object)
    r["resolved_patient"] = r["resolved_patient"].where(r["resolved_patient"].notna(), None)
    rs = rep_stay.reindex(r["report_id"])
    r["resolved_stay"] = np.where(rs["status"].to_numpy() == "linked", rs["target_id"].to_numpy(), None)
    f = facts.reindex(r["report_id"])
    for col in ("tracer", "max_suvmax", "indication_category", "modality"):
        r[f"fact_{col}"] = f[col].to_numpy() if col in f.columns else None
    # the report's exam gets the report's facts (first report of an exam wins, by time)
    r_sorted = r[r["resolved_exam"].notna()].sort_values(["report_datetime", "report_id"])
    by_exam = r_sorted.drop_duplicates("resolved_exam").set_index("resolved_exam")

    e_mod = _primary_modality(e["modality"])
    e_report = by_exam.reindex(e["exam_id"])
    e_tracer = e_report["fact_tracer"].to_numpy()
    exam_events = pd.DataFrame({
        "patient_id": e["resolved_patient"].to_numpy(),
        "event_type": "exam",
        "event_id": e["exam_id"].to_numpy(),
        "start": e["study_datetime"].to_numpy(),
        "end": pd.NaT,
        "stay_id": e["resolved_stay"].to_numpy(),
        "exam_id": e["exam_id"].to_numpy(),
        "report_id": e_report["report_id"].to_numpy() if "report_id" in e_report else None,
        "label": [event_label("exam", m, t if isinstance(t, str) else None)
                  for m, t in zip(e_mod, e_tracer, strict=True)],
        "modality": e_mod.to_numpy(),
        "max_suvmax": e_report["fact_max_suvmax"].to_numpy(),
        "indication_category": e_report["fact_indication_category"].to_numpy(),
        "link_status": e["link_status"].to_numpy(),
        "link_score": e["link_score"].to_numpy(),
        "tracer": e_tracer,
        "diagnoses": None,
    })
    # report modality: its exam's, else the one the NLP read
    r_mod = r["resolved_exam"].map(pd.Series(e_mod.to_numpy(), index=e["exam_id"]))
    r_mod = r_mod.where(r_mod.notna(), r["fact_modality"])
    report_events = pd.DataFrame({
        "patient_id": r["resolved_patient"].to_numpy(),
        "event_type": "report",
        "event_id": r["report_id"].to_numpy(),
        "start": r["report_datetime"].to_numpy(),
        "end": pd.NaT,
        "stay_id": r["resolved_stay"].to_numpy(),
        "exam_id": r["resolved_exam"].to_numpy(),
        "report_id": r["report_id"].to_numpy(),
        "label": [event_label("exam", m, t if isinstance(t, str) else None) if isinstance(m, str)
                  else (title if isinstance(title, str) else "Compte rendu")
                  for m, t, title in zip(r_mod, r["fact_tracer"], r["title"], strict=True)],
        "modality": r_mod.to_numpy(),
        "max_suvmax": r["fact_max_suvmax"].to_numpy(),
        "indication_category": r["fact_indication_category"].to_numpy(),
        "link_status": r["link_status"].to_numpy(),
        "link_score": r["link_score"].to_numpy(),
        "tracer": r["fact_tracer"].to_numpy(),
        "diagnoses": None,
    })
    s = stays
    s_known = s["patient_id"].isin(registry).to_numpy()
    stay_events = pd.DataFrame({
        "patient_id": s["patient_id"].to_numpy(),
        "event_type": "stay",
        "event_id": s["stay_id"].to_numpy(),
        "start": s["start_datetime"].to_numpy(),
        "end": s["end_datetime"].to_numpy(),
        "stay_id": s["stay_id"].to_numpy(),
        "exam_id": None,
        "report_id": None,
        "label": [event_label("stay", t, u) for t, u in zip(s["stay_type"], s["unit"], strict=True)],
        "modality": None,
        "max_suvmax": np.nan,
        "indication_category": None,
        "link_status": np.where(s_known, "linked", "unlinked"),
        "link_score": np.nan,
        "tracer": None,
        "diagnoses": s["diagnoses"].to_numpy(),
    })
    e_on = e["resolved_patient"].notna().to_numpy()
    r_on = r["resolved_patient"].notna().to_numpy()
    events = pd.concat(
        [stay_events[s_known], exam_events[e_on], report_events[r_on]], ignore_index=True
    )
    events["max_suvmax"] = pd.to_numeric(events["max_suvmax"], errors="coerce")
    events["link_score"] = pd.to_numeric(events["link_score"], errors="coerce")
    for col in ("start", "end"):
        events[col] = pd.to_datetime(events[col])
    events["_order"] = events["event_type"].map(_EVENT_ORDER)
    events = events.sort_values(
        ["patient_id", "start", "_order", "event_id"], na_position="last", kind="mergesort"
    ).drop(columns="_order").reset_index(drop=True)
    events = events[list(TIMELINE_COLUMNS) + list(EXTRA_COLUMNS)]

    unattached_exams = exams[~e_on].copy()
    unattached_exams["link_status"] = e["link_status"].to_numpy()[~e_on]
    unattached_exams["link_score"] = e["link_score"].to_numpy()[~e_on]
    reason = ep["evidence"].to_numpy()[~e_on] if "evidence" in ep else None
    unattached_exams["evidence"] = reason
    unattached_reports = pd.DataFrame({
        "report_id": r["report_id"].to_numpy()[~r_on],
        "report_datetime": r["report_datetime"].to_numpy()[~r_on],
        "title": r["title"].to_numpy()[~r_on],
        "link_status": r["link_status"].to_numpy()[~r_on],
        "reason": np.where(r["resolved_exam"].notna().to_numpy()[~r_on],
                           "its exam has no resolved patient", "no exam and no known patient id"),
    })
    unattached_stays = stays[~s_known].drop(columns=["patient_id"]).copy()
    return Timeline(events, unattached_exams.reset_index(drop=True),
                    unattached_reports.reset_index(drop=True), unattached_stays.reset_index(drop=True))
