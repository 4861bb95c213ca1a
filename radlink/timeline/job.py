"""The timeline job: NLP + linkage + timeline, opposition, pseudonymisation, manifest.

:func:`build_timeline` is the Python entry point (pandas in, pandas out);
:func:`run_timeline` also writes OUTDIR atomically with its manifest, and the
``radlink timeline`` command calls it.

Order of work, and why
----------------------
1. The NLP reads every report and the linkage links every exam and report, patients
   who opposed included: an exam without IPP can only be recognised as an opposed
   patient's exam once it is linked.
2. Opposition removes, from every output, each row whose patient (resolved or as
   recorded) is opposed, and each unattached exam whose link evidence names an opposed
   patient. Only counts are kept.
3. Pseudonymisation, last, replaces ids by keyed pseudonyms, shifts dates per patient,
   drops names and birth dates, and scrubs free text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from radlink.dataset import Dataset
from radlink.privacy.pseudonymise import Pseudonymiser, scrub_text
from radlink.timeline.assemble import assemble_timeline, links_by_source
from radlink.workers import progress_reporter

__all__ = ["TimelineOutputs", "build_timeline", "run_timeline", "OUTPUT_FILES"]

OUTPUT_FILES: tuple[str, ...] = (
    "timeline.parquet",
    "links.parquet",
    "report_facts.parquet",
    "findings.parquet",
    "unattached_exams.parquet",
    "unattached_reports.parquet",
    "unattached_stays.parquet",
)

_DIRECT_IDENTIFIERS = ("patient_name", "family_name", "given_name", "usage_name", "birth_date", "text")
_LINK_KIND = {"exam": "exam", "report": "report", "patient": "patient", "stay": "stay"}


@dataclass
class TimelineOutputs:
    """Every table the timeline job writes, plus its accounting.

    Attributes
    ----------
    timeline, links, report_facts, findings : pandas.DataFrame
    unattached_exams, unattached_reports, unattached_stays : pandas.DataFrame
    accounting : dict
        Per input table: in, linked (on the timeline), ambiguous, unlinked (in an
        unattached table), excluded_opposition.
    link_status : dict
        Per link type (``"exam->patient"`` ...): rows per status.
    excluded_patients : int
        How many opposed patients were found in the data (never which).
    reattached_exams : int
        Exams linked to a patient other than the one their IPP names.
    """

    timeline: pd.DataFrame
    links: pd.DataFrame
    report_facts: pd.DataFrame
    findings: pd.DataFrame
    unattached_exams: pd.DataFrame
    unattached_reports: pd.DataFrame
    unattached_stays: pd.DataFrame
    accounting: dict[str, dict[str, int]] = field(default_factory=dict)
    link_status: dict[str, dict[str, int]] = field(default_factory=dict)
    excluded_patients: int = 0
    reattached_exams: int = 0

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
        }


def _default_extractor(
    reports: pd.DataFrame, jobs: int, progress: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    from radlink.nlp import ReportExtractor

    cols = [c for c in ("report_id", "text", "title") if c in reports.columns]
    result = ReportExtractor().extract(reports[cols], jobs=jobs, progress=progress)
    return result.facts, result.findings


def _default_linker(ds: Dataset, progress: bool = False) -> pd.DataFrame:
    from radlink.linkage import link

    with progress_reporter(progress, len(ds.exams) + len(ds.reports), unit="record",
                           desc="linking") as advance:
        return link(patients=ds.patients, stays=ds.stays, exams=ds.exams, reports=ds.reports,
                    progress=None if advance is None else lambda step, k: advance(k))


def _ids_in_text(texts: pd.Series, ids: frozenset[str]) -> pd.Series:
    """Rows whose JSON text names one of ``ids`` as a quoted string."""
    if not ids or texts.empty:
        return pd.Series(False, index=texts.index)
    codes, uniques = pd.factorize(texts.fillna(""))
    hits = np.array([any(m.group(2) is None and m.group(1) in ids for m in _QUOTED.finditer(u))
                     for u in uniques], dtype=bool)
    return pd.Series(hits[codes] if len(uniques) else False, index=texts.index)


# A JSON string; group 2 is set when it is a key (followed by a colon). Matching every
# string left to right keeps quotes aligned (a JSON string holds no unescaped quote).
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:)?')


def _scrub_evidence(evidence: pd.Series, replace: Callable[[str], str]) -> pd.Series:
    """Rewrite the string values of evidence JSON with ``replace`` (keys are kept).

    Work is done once per distinct evidence text and once per distinct string value
    (``replace`` is cached), so millions of links cost a few seconds.
    """
    cache: dict[str, str] = {}

    def sub(m: re.Match) -> str:
        if m.group(2) is not None:  # a key
            return m.group()
        value = m.group(1)
        out = cache.get(value)
        if out is None:
            out = cache[value] = json.dumps(replace(json.loads(f'"{value}"')), ensure_ascii=False)
        return out

    codes, uniques = pd.factorize(evidence, use_na_sentinel=True)
    if not len(uniques):
        return evidence
    scrubbed = np.array([_QUOTED.sub(sub, u) if isinstance(u, str) else u for u in uniques]
                        + [None], dtype=object)
    return pd.Series(scrubbed[codes], index=evidence.index)


def _link_summary(links: pd.DataFrame) -> dict[str, dict[str, int]]:
    if links.empty:
        return {}
    key = links["source_type"] + "->" + links["target_type"]
    counts = links.groupby([key, links["status"]]).size()
    out: dict[str, dict[str, int]] = {}
    for (k, status), n in counts.items():
        out.setdefault(k, {})[status] = int(n)
    return out


def _apply_opposition(
    ds: Dataset, out: TimelineOutputs, opposed: frozenset[str]
) -> tuple[dict[str, np.ndarray], int]:
    """Drop opposed patients' rows from every output; return exclusion masks per table."""
    links = out.links
    ex_pat = links_by_source(links, "exam", "patient").reindex(ds.exams["exam_id"])
    resolved_exam = ex_pat["target_id"].where(ex_pat["status"] == "linked").set_axis(ds.exams.index)
    ex_evidence = ex_pat["evidence"].set_axis(ds.exams.index)
    ex_out = (
        ds.exams["patient_id"].isin(opposed)
        | resolved_exam.isin(opposed)
        | (resolved_exam.isna() & _ids_in_text(ex_evidence, opposed))
    ).to_numpy()
    excluded_exams = set(ds.exams["exam_id"][ex_out])
    rep_ex = links_by_source(links, "report", "exam").reindex(ds.reports["report_id"])
    rep_exam = rep_ex["target_id"].where(rep_ex["status"] == "linked").set_axis(ds.reports.index)
    rep_out = (ds.reports["patient_id"].isin(opposed) | rep_exam.isin(excluded_exams)).to_numpy()
    excluded_reports = set(ds.reports["report_id"][rep_out])
    stay_out = ds.stays["patient_id"].isin(opposed).to_numpy()
    excluded_stays = set(ds.stays["stay_id"][stay_out])

    found = set(ds.patients["patient_id"]) | set(ds.exams["patient_id"].dropna()) | set(ds.stays["patient_id"].dropna())
    n_patients = len(opposed & (found | set(resolved_exam.dropna())))

    drop_src = (
        ((links.source_type == "exam") & links.source_id.isin(excluded_exams))
        | ((links.source_type == "report") & links.source_id.isin(excluded_reports))
    )
    links = links[~drop_src].copy()
    bad_target = (
        ((links.target_type == "patient") & links.target_id.isin(opposed))
        | ((links.target_type == "exam") & links.target_id.isin(excluded_exams))
        | ((links.target_type == "stay") & links.target_id.isin(excluded_stays))
    )
    if bad_target.any():
        links.loc[bad_target, ["target_id", "status", "score"]] = [None, "unlinked", np.nan]
        links.loc[bad_target, "method"] = "opposition"
        links.loc[bad_target, "evidence"] = json.dumps({"reason": "target excluded by opposition"})
    if opposed:
        links["evidence"] = _scrub_evidence(links["evidence"], lambda s: "…" if s in opposed else s)
    out.links = links.reset_index(drop=True)

    tl = out.timeline
    keep = ~(
        tl.patient_id.isin(opposed)
        | ((tl.event_type == "exam") & tl.event_id.isin(excluded_exams))
        | ((tl.event_type == "report") & tl.event_id.isin(excluded_reports))
        | ((tl.event_type == "stay") & tl.event_id.isin(excluded_stays))
    )
    out.timeline = tl[keep].reset_index(drop=True)
    out.report_facts = out.report_facts[~out.report_facts.report_id.isin(excluded_reports)].reset_index(drop=True)
    out.findings = out.findings[~out.findings.report_id.isin(excluded_reports)].reset_index(drop=True)
    out.unattached_exams = out.unattached_exams[~out.unattached_exams.exam_id.isin(excluded_exams)].reset_index(drop=True)
    out.unattached_reports = out.unattached_reports[
        ~out.unattached_reports.report_id.isin(excluded_reports)].reset_index(drop=True)
    out.unattached_stays = out.unattached_stays[~out.unattached_stays.stay_id.isin(excluded_stays)].reset_index(drop=True)
    return {"exams": ex_out, "reports": rep_out, "stays": stay_out}, n_patients


def _accounting(ds: Dataset, out: TimelineOutputs, excluded: dict[str, np.ndarray]) -> dict[str, dict[str, int]]:
    tl = out.timeline
    acc = {}
    for table, event_type in (("exams", "exam"), ("reports", "report"), ("stays", "stay")):
        unattached = getattr(out, f"unattached_{table}")
        status = unattached["link_status"] if "link_status" in unattached else pd.Series(dtype=object)
        ambiguous = int((status == "ambiguous").sum()) if table == "exams" else 0
        acc[table] = {
            "in": len(getattr(ds, table)),
            "linked": int((tl.event_type == event_type).sum()),
            "ambiguous": ambiguous,
            "unlinked": len(unattached) - ambiguous,
            "excluded_opposition": int(excluded[table].sum()),
        }
    return acc


def _pseudonymise_by_kind(p: Pseudonymiser, ids: pd.Series, kinds: pd.Series) -> pd.Series:
    """Pseudonyms of a column of ids whose kind (exam, report, ...) is given row by row."""
    out = pd.Series(None, index=ids.index, dtype=object)
    for kind in kinds.dropna().unique():
        sel = kinds == kind
        out[sel] = p.pseudonymise_ids(ids[sel], _LINK_KIND[kind])
    return out


def _pseudonymise(out: TimelineOutputs, ds: Dataset, p: Pseudonymiser) -> None:
    """Replace ids, shift dates, drop identifiers and scrub text, in place."""
    tl = out.timeline
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

    def replace(s: str) -> str:
        if s in id_kinds:
            return p.pseudonym(id_kinds[s], s)
        if s.casefold() in names or re.search(r"\d{4}|\^", s):
            return "…"  # names, dates, DICOM person names
        return s if token.match(s) else "…"

    links["evidence"] = _scrub_evidence(links["evidence"], replace)
    out.links = links

    for name in ("report_facts", "findings"):
        df = getattr(out, name).copy()
        df["report_id"] = p.pseudonymise_ids(df["report_id"], "report")
        for col in ("indication", "conclusion", "snippet"):
            if col in df:
                df[col] = df[col].map(scrub_text, na_action="ignore")
        if "finding_id" in df:
            df["finding_id"] = p.pseudonymise_ids(df["finding_id"].astype(str), "finding")
        setattr(out, name, df)

    ue = out.unattached_exams.copy()
    owner = ue["patient_id"].where(ue["patient_id"].notna(), ue["exam_id"])
    ue["study_datetime"] = p.shift_dates(ue["study_datetime"], owner)
    ue = ue.drop(columns=[c for c in _DIRECT_IDENTIFIERS if c in ue.columns])
    ue["patient_id"] = p.pseudonymise_ids(ue["patient_id"], "patient")
    ue["exam_id"] = p.pseudonymise_ids(ue["exam_id"], "exam")
    ue["accession_number"] = p.pseudonymise_ids(ue["accession_number"], "accession")
    ue["stay_id"] = p.pseudonymise_ids(ue["stay_id"], "stay")
    if "evidence" in ue:
        ue["evidence"] = _scrub_evidence(ue["evidence"], replace)
    out.unattached_exams = ue

    ur = out.unattached_reports.copy()
    ur["report_datetime"] = p.shift_dates(ur["report_datetime"], ur["report_id"])
    ur["report_id"] = p.pseudonymise_ids(ur["report_id"], "report")
    ur["title"] = ur["title"].map(scrub_text, na_action="ignore")
    out.unattached_reports = ur

    us = out.unattached_stays.copy()
    for c in ("start_datetime", "end_datetime"):
        us[c] = p.shift_dates(us[c], us["stay_id"])
    us["stay_id"] = p.pseudonymise_ids(us["stay_id"], "stay")
    out.unattached_stays = us


def build_timeline(
    dataset: Dataset,
    *,
    opposition: frozenset[str] | set[str] | None = None,
    pseudonymiser: Pseudonymiser | None = None,
    jobs: int = 1,
    extractor: Callable[[pd.DataFrame, int], tuple[pd.DataFrame, pd.DataFrame]] | None = None,
    linker: Callable[[Dataset], pd.DataFrame] | None = None,
    progress: bool = False,
) -> TimelineOutputs:
    """Run NLP and linkage on a dataset and assemble the patient timeline.

    Parameters
    ----------
    dataset : Dataset
        Validated tables (see :func:`radlink.dataset.load_dataset`).
    opposition : set of str, optional
        Patient ids who opposed research use: removed from every output.
    pseudonymiser : Pseudonymiser, optional
        When given, outputs carry keyed pseudonyms, shifted dates and no direct identifier.
    jobs : int, default 1
        Worker processes for the NLP.
    extractor, linker : callable, optional
        Replace the default NLP (``reports, jobs -> (facts, findings)``) or linkage
        (``dataset -> links``), e.g. with tuned settings.
    progress : bool, default False
        Progress bars (on stderr) for the default NLP and linkage.

    Returns
    -------
    TimelineOutputs

    Examples
    --------
    >>> from radlink.dataset import load_dataset
    >>> out = build_timeline(load_dataset("data_samples"))  # doctest: +SKIP
    >>> out.timeline.groupby("event_type").size()  # doctest: +SKIP
    """
    if extractor is None:
        def extractor(reports: pd.DataFrame, jobs: int) -> tuple[pd.DataFrame, pd.DataFrame]:
            return _default_extractor(reports, jobs, progress)
    if linker is None:
        def linker(ds: Dataset) -> pd.DataFrame:
            return _default_linker(ds, progress)
    opposed = frozenset(opposition or ())
    facts, findings = extractor(dataset.reports, jobs)
    links = linker(dataset)
    tl = assemble_timeline(dataset.patients, dataset.stays, dataset.exams, dataset.reports, links, facts)
    out = TimelineOutputs(
        timeline=tl.events, links=links, report_facts=facts, findings=findings,
        unattached_exams=tl.unattached_exams, unattached_reports=tl.unattached_reports,
        unattached_stays=tl.unattached_stays,
    )
    ex_pat = links[(links.source_type == "exam") & (links.target_type == "patient") & (links.status == "linked")]
    raw = ex_pat["source_id"].map(dataset.exams.set_index("exam_id")["patient_id"])
    out.reattached_exams = int((raw.notna() & (raw != ex_pat["target_id"])).sum())
    excluded, out.excluded_patients = _apply_opposition(dataset, out, opposed)
    out.accounting = _accounting(dataset, out, excluded)
    out.link_status = _link_summary(out.links)
    if pseudonymiser is not None:
        _pseudonymise(out, dataset, pseudonymiser)
    return out


def run_timeline(
    dataset_dir: str | Path,
    outdir: str | Path,
    *,
    mapping: str | Path | None = None,
    opposition_file: str | Path | None = None,
    pseudonymise: bool = False,
    key_file: str | Path | None = None,
    registry: str | Path | None = None,
    jobs: int = 1,
    extractor: Callable | None = None,
    linker: Callable | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Load DATASET_DIR, build the timeline, write OUTDIR atomically with its manifest.

    Returns the manifest (a dict). Parameters are those of ``radlink timeline``; the
    key is read from ``key_file`` or ``RADLINK_PSEUDONYM_KEY`` and never recorded.
    """
    from radlink.dataset import load_dataset
    from radlink.outputs import OutputDir
    from radlink.privacy.opposition import read_opposition
    from radlink.privacy.pseudonymise import read_key
    from radlink.timeline.manifest import RunManifest, append_to_registry

    params = {"dataset_dir": str(dataset_dir), "mapping": str(mapping) if mapping else None,
              "opposition_file": str(opposition_file) if opposition_file else None,
              "pseudonymise": pseudonymise, "key_file": str(key_file) if key_file else None,
              "jobs": jobs}
    manifest = RunManifest(command="timeline", parameters=params)
    pseudonymiser = Pseudonymiser(read_key(key_file)) if pseudonymise else None
    opposed = read_opposition(opposition_file) if opposition_file else frozenset()
    ds = load_dataset(dataset_dir, mapping=mapping)
    for table, path in ds.sources.items():
        manifest.add_input(table, path, len(getattr(ds, table)))
    if opposition_file:
        manifest.add_input("opposition", opposition_file, len(opposed))
    out = build_timeline(ds, opposition=opposed, pseudonymiser=pseudonymiser, jobs=jobs,
                         extractor=extractor, linker=linker, progress=progress)
    for table, counts in out.accounting.items():
        manifest.add_accounting(table, n_in=counts["in"], linked=counts["linked"],
                                ambiguous=counts["ambiguous"], unlinked=counts["unlinked"],
                                excluded_opposition=counts["excluded_opposition"])
    manifest.check_accounting()
    manifest.excluded_patients = out.excluded_patients
    manifest.pseudonymised = pseudonymise
    manifest.key_fingerprint = pseudonymiser.fingerprint if pseudonymiser else None
    with OutputDir(outdir) as od:
        for name, df in out.tables().items():
            od.write_table(name, df)
            manifest.add_output(name, len(df))
        doc = manifest.finish()
        doc["link_status"] = out.link_status
        doc["reattached_exams"] = out.reattached_exams
        od.write_json("manifest.json", doc)
        od.commit()
    if registry:
        append_to_registry(registry, doc, outdir)
    return doc
