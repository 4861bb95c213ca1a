"""The rows that pre-filling rules read, built from a ``radlink timeline`` OUTDIR.

Three sources, each one row per thing a research assistant would look at, always with
``patient_id`` (the future REDCap record id) and ``date``:

``exam``
    One row per exam on the timeline, with its report's facts (``report_facts``): the
    timeline's ``modality``, ``tracer``, ``max_suvmax`` (the largest lesion SUVmax),
    ``indication_category``, and the report's ``dose_mbq``, ``glycemia``,
    ``n_lesions`` ... A report on the timeline without an exam (its exam is not in the
    PACS) counts as an exam of its own, with an empty ``exam_id``, so that its facts
    are not lost.
``finding``
    One row per finding (``findings.parquet``) of a report on the timeline, with the
    exam's ``exam_id``, ``date``, ``modality`` and ``tracer``.
``stay``
    One row per stay on the timeline (``date`` is its start; ``diagnoses`` the CIM-10
    codes separated by ``;``).

Each row also carries hidden ``_snippet_*`` columns used for provenance only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from radlink.cohort import timeline_exams
from radlink.errors import DatasetNotFoundError, TableValidationError, ValidationProblem
from radlink.tables import none_for_missing

__all__ = ["SOURCE_COLUMNS", "PrefillSources", "read_sources", "sources_from_tables"]

SOURCE_COLUMNS: dict[str, tuple[str, ...]] = {
    "exam": (
        "patient_id", "date", "exam_id", "report_id", "stay_id", "label", "modality", "tracer",
        "max_suvmax", "indication_category", "link_status", "link_score", "indication",
        "dose_mbq", "glycemia", "glycemia_unit", "injection_delay_min", "n_lesions", "conclusion",
    ),
    "finding": (
        "patient_id", "date", "exam_id", "report_id", "modality", "tracer", "finding_id", "kind",
        "site", "laterality", "size_mm", "suvmax", "previous_suvmax", "negated", "hypothesis",
        "section", "snippet", "comparison", "etage",
    ),
    "stay": ("patient_id", "date", "end", "stay_id", "label", "diagnoses"),
}
"""Columns a mapping may name (``where``, ``order``, ``value``) for each source."""

MULTI_VALUED: frozenset[str] = frozenset({"diagnoses"})
"""Columns holding several codes separated by ``;`` (``where`` matches any of them)."""

SNIPPET_CHARS = 200
_FACT_COLUMNS = ("indication", "dose_mbq", "glycemia", "glycemia_unit", "injection_delay_min",
                 "n_lesions", "conclusion")


@dataclass
class PrefillSources:
    """Source rows of one timeline output, and whether its ids are pseudonyms.

    Attributes
    ----------
    exam, finding, stay : pandas.DataFrame
        Columns :data:`SOURCE_COLUMNS` plus ``_snippet_*`` provenance columns.
    patients : list of str
        Every patient on the timeline, sorted.
    pseudonymised : bool
        The manifest says the run was pseudonymised: record ids may appear in messages.
    """

    exam: pd.DataFrame
    finding: pd.DataFrame
    stay: pd.DataFrame
    patients: list[str]
    pseudonymised: bool = False

    def __getitem__(self, source: str) -> pd.DataFrame:
        return getattr(self, source)


def _short(text: pd.Series) -> pd.Series:
    s = text.astype(object).where(text.notna(), None)
    return s.map(lambda t: t if len(t) <= SNIPPET_CHARS else t[: SNIPPET_CHARS - 1] + "…",
                 na_action="ignore")


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    return df[name] if name in df.columns else pd.Series(None, index=df.index, dtype=object)


def sources_from_tables(
    timeline: pd.DataFrame,
    report_facts: pd.DataFrame | None = None,
    findings: pd.DataFrame | None = None,
    *,
    pseudonymised: bool = False,
) -> PrefillSources:
    """Build the source rows from the timeline tables (pandas in, pandas out).

    Examples
    --------
    >>> import pandas as pd
    >>> tl = pd.DataFrame({"patient_id": ["P1"], "event_type": ["exam"], "event_id": ["E1"],
    ...     "start": pd.to_datetime(["2024-03-01 09:00"]), "exam_id": ["E1"], "report_id": ["R1"],
    ...     "modality": ["PT"], "tracer": ["FDG"], "max_suvmax": [7.5]})
    >>> src = sources_from_tables(tl)
    >>> src.exam[["patient_id", "exam_id", "modality", "max_suvmax"]].values.tolist()
    [['P1', 'E1', 'PT', 7.5]]
    """
    missing = [c for c in ("patient_id", "event_type", "event_id", "start") if c not in timeline.columns]
    if missing:
        raise TableValidationError([ValidationProblem("timeline", c, "all rows", "missing column")
                                    for c in missing])
    optional = ("end", "stay_id", "exam_id", "report_id", "label", "modality", "tracer", "max_suvmax",
                "indication_category", "link_status", "link_score", "diagnoses")
    tl = timeline.assign(**{c: None for c in optional if c not in timeline.columns})
    facts = report_facts if report_facts is not None else pd.DataFrame(columns=["report_id"])
    finds = findings if findings is not None else pd.DataFrame(columns=["report_id"])
    facts = facts.drop_duplicates("report_id").set_index("report_id")

    # the exams of a cohort, as `radlink count` takes them (one definition)
    ex = timeline_exams(tl).reset_index(drop=True)
    f = facts.reindex(ex["report_id"])
    exam = pd.DataFrame({
        "patient_id": ex["patient_id"].astype(object).to_numpy(),
        "date": pd.to_datetime(ex["start"]).to_numpy(),
        "exam_id": _col(ex, "exam_id").astype(object).to_numpy(),
        "report_id": _col(ex, "report_id").astype(object).to_numpy(),
        "stay_id": _col(ex, "stay_id").astype(object).to_numpy(),
        "label": _col(ex, "label").to_numpy(),
        "modality": _col(ex, "modality").to_numpy(),
        "tracer": _col(ex, "tracer").to_numpy(),
        "max_suvmax": pd.to_numeric(_col(ex, "max_suvmax"), errors="coerce").to_numpy(),
        "indication_category": _col(ex, "indication_category").to_numpy(),
        "link_status": _col(ex, "link_status").to_numpy(),
        "link_score": pd.to_numeric(_col(ex, "link_score"), errors="coerce").to_numpy(),
    })
    for c in _FACT_COLUMNS:
        exam[c] = f[c].to_numpy() if c in f.columns else None
    exam = exam.sort_values(["patient_id", "date", "exam_id", "report_id"],
                            na_position="last", kind="mergesort").reset_index(drop=True)

    # findings of reports on the timeline, with their exam
    by_report = exam.dropna(subset=["report_id"]).drop_duplicates("report_id").set_index("report_id")
    fr = finds[finds["report_id"].isin(by_report.index)].copy()
    owner = by_report.reindex(fr["report_id"])
    finding = pd.DataFrame({
        "patient_id": owner["patient_id"].to_numpy(),
        "date": owner["date"].to_numpy(),
        "exam_id": owner["exam_id"].to_numpy(),
        "report_id": fr["report_id"].to_numpy(),
        "modality": owner["modality"].to_numpy(),
        "tracer": owner["tracer"].to_numpy(),
    })
    for c in SOURCE_COLUMNS["finding"][6:]:
        finding[c] = _col(fr, c).to_numpy()
    if "start" in fr.columns:  # keep the text order within a report
        finding["_pos"] = pd.to_numeric(fr["start"], errors="coerce").to_numpy()
    else:
        finding["_pos"] = np.arange(len(finding))
    finding = finding.sort_values(["patient_id", "date", "report_id", "_pos"], kind="mergesort")
    finding = finding.drop(columns="_pos").reset_index(drop=True)
    finding["_snippet"] = _short(finding["snippet"])

    # provenance snippets of exam rows: the finding that gave the largest SUVmax, the
    # indication, the conclusion, else the event label
    best = finding.assign(_s=pd.to_numeric(finding["suvmax"], errors="coerce"))
    best = best[best["kind"].fillna("lesion") == "lesion"].dropna(subset=["_s"])
    best = best.sort_values("_s", ascending=False, kind="mergesort").drop_duplicates("report_id")
    exam["_snippet_suv"] = exam["report_id"].map(best.set_index("report_id")["_snippet"])
    exam["_snippet_indication"] = _short(exam["indication"])
    exam["_snippet_conclusion"] = _short(exam["conclusion"])
    exam["_snippet"] = exam["label"]

    st = tl[tl["event_type"] == "stay"]
    stay = pd.DataFrame({
        "patient_id": st["patient_id"].astype(object).to_numpy(),
        "date": pd.to_datetime(st["start"]).to_numpy(),
        "end": pd.to_datetime(_col(st, "end")).to_numpy(),
        "stay_id": _col(st, "event_id").astype(object).to_numpy(),
        "label": _col(st, "label").to_numpy(),
        "diagnoses": _col(st, "diagnoses").to_numpy(),
    }).sort_values(["patient_id", "date", "stay_id"], kind="mergesort").reset_index(drop=True)
    stay["_snippet"] = (stay["label"].fillna("") + " " + stay["diagnoses"].fillna("")).str.strip()

    patients = sorted(set(tl["patient_id"].dropna().astype(str)))
    return PrefillSources(none_for_missing(exam), none_for_missing(finding), none_for_missing(stay),
                          patients, pseudonymised)


def read_sources(outdir: str | Path) -> PrefillSources:
    """Read the source rows of a ``radlink timeline`` OUTDIR.

    Reads ``timeline.parquet`` (required), ``report_facts.parquet`` and
    ``findings.parquet`` (optional) and ``manifest.json`` (for ``pseudonymised``).

    Raises
    ------
    DatasetNotFoundError
        OUTDIR has no ``timeline.parquet``.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> from radlink.outputs import write_parquet
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_parquet(pd.DataFrame({"patient_id": ["P1"], "event_type": ["stay"], "event_id": ["S1"],
    ...     "start": pd.to_datetime(["2024-01-02"]), "diagnoses": ["C341"]}), d / "timeline.parquet")
    >>> src = read_sources(d)
    >>> src.stay[["patient_id", "stay_id", "diagnoses"]].values.tolist(), src.pseudonymised
    ([['P1', 'S1', 'C341']], False)
    """
    outdir = Path(outdir)
    tl_path = outdir / "timeline.parquet"
    if not tl_path.is_file():
        raise DatasetNotFoundError(
            f"{str(outdir)!r} holds no timeline.parquet: give the output directory of "
            "`radlink timeline`."
        )
    timeline = pd.read_parquet(tl_path)
    facts = pd.read_parquet(outdir / "report_facts.parquet") if (outdir / "report_facts.parquet").is_file() else None
    finds = pd.read_parquet(outdir / "findings.parquet") if (outdir / "findings.parquet").is_file() else None
    pseudonymised = False
    manifest = outdir / "manifest.json"
    if manifest.is_file():
        try:
            pseudonymised = bool(json.loads(manifest.read_text(encoding="utf-8")).get("pseudonymised"))
        except ValueError:
            pseudonymised = False
    return sources_from_tables(timeline, facts, finds, pseudonymised=pseudonymised)
