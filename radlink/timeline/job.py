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

import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from radlink.dataset import Dataset
from radlink.engines import check_engine, is_spark_frame
from radlink.errors import OppositionWarning
from radlink.linkage import ipp_other_format, reattached
from radlink.privacy.pseudonymise import Pseudonymiser
from radlink.timeline.assemble import assemble_timeline
from radlink.timeline.opposition import exclude_opposed
from radlink.timeline.pseudonymise import pseudonymise
from radlink.timeline.result import OUTPUT_FILES, TimelineOutputs
from radlink.workers import progress_reporter

__all__ = ["TimelineOutputs", "build_timeline", "run_timeline", "OUTPUT_FILES", "SPARK_OUTPUTS"]

SPARK_OUTPUTS: tuple[str, ...] = ("files", "folders", "collect")
"""How ``--engine spark`` writes the tables (:func:`run_timeline`'s ``spark_output``), the default first."""


def _default_extractor(
    reports: pd.DataFrame, jobs: int, progress: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from radlink.nlp import ReportExtractor

    cols = [c for c in ("report_id", "text", "title") if c in reports.columns]
    result = ReportExtractor().extract(reports[cols], jobs=jobs, progress=progress)
    return result.facts, result.findings, result.skipped


def _default_linker(ds: Dataset, progress: bool = False) -> pd.DataFrame:
    from radlink.linkage import link

    with progress_reporter(progress, len(ds.exams) + len(ds.reports), unit="record",
                           desc="linking") as advance:
        return link(patients=ds.patients, stays=ds.stays, exams=ds.exams, reports=ds.reports,
                    progress=None if advance is None else lambda step, k: advance(k))


def _link_summary(links: pd.DataFrame) -> dict[str, dict[str, int]]:
    if links.empty:
        return {}
    key = links["source_type"] + "->" + links["target_type"]
    counts = links.groupby([key, links["status"]]).size()
    out: dict[str, dict[str, int]] = {}
    for (k, status), n in counts.items():
        out.setdefault(k, {})[status] = int(n)
    return out


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
        Replace the default NLP (``reports, jobs -> (facts, findings)``, or
        ``(facts, findings, skipped_reports)``) or linkage (``dataset -> links``), e.g.
        with tuned settings.
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
        def extractor(reports: pd.DataFrame, jobs: int) -> tuple[pd.DataFrame, ...]:
            return _default_extractor(reports, jobs, progress)
    if linker is None:
        def linker(ds: Dataset) -> pd.DataFrame:
            return _default_linker(ds, progress)
    opposed = frozenset(opposition or ())
    stages: list[dict] = []
    with _stage(stages, "extract", len(dataset.reports)):
        facts, findings, *skipped = extractor(dataset.reports, jobs)
    with _stage(stages, "link", len(dataset.exams) + len(dataset.reports)):
        links = linker(dataset)
    with _stage(stages, "assemble", len(links)):
        tl = assemble_timeline(dataset.patients, dataset.stays, dataset.exams, dataset.reports, links, facts)
    out = TimelineOutputs(
        timeline=tl.events, links=links, report_facts=facts, findings=findings,
        unattached_exams=tl.unattached_exams, unattached_reports=tl.unattached_reports,
        unattached_stays=tl.unattached_stays,
    )
    if skipped:
        out.skipped_reports = skipped[0]
    out.reattached_exams = int(reattached(links, dataset.exams).sum())
    out.ipp_other_format_exams = int(ipp_other_format(links, dataset.exams).sum())
    with _stage(stages, "opposition", len(out.timeline)):
        excluded, out.excluded_patients = exclude_opposed(dataset, out, opposed)
    out.accounting = _accounting(dataset, out, excluded)
    out.link_status = _link_summary(out.links)
    if pseudonymiser is not None:
        with _stage(stages, "pseudonymise", len(out.timeline)):
            out = pseudonymise(out, dataset, pseudonymiser)
    out.stages = stages
    return out


@contextmanager
def _stage(stages: list[dict], stage: str, rows: int = 0) -> Iterator[dict]:
    """Time one step of the job into ``stages`` as ``{"stage", "rows", "seconds"}``.

    The entry is yielded, so a step that learns its row count as it runs sets ``rows``.
    """
    entry = {"stage": stage, "rows": int(rows), "seconds": 0.0}
    start = time.perf_counter()
    yield entry
    entry["seconds"] = round(time.perf_counter() - start, 3)
    stages.append(entry)


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
    engine: str = "pandas",
    executors: bool | None = None,
    spark_output: str = "files",
) -> dict[str, Any]:
    """Load DATASET_DIR, build the timeline, write OUTDIR atomically with its manifest.

    Returns the manifest (a dict). Parameters are those of ``radlink timeline``; the
    key is read from ``key_file`` or ``RADLINK_PSEUDONYM_KEY`` and never recorded.
    ``engine="spark"`` builds every table on Spark's executors
    (:func:`radlink.spark.timeline.build_timeline_spark`: the NLP, the linkage, and the
    timeline per group of patients; the driver gets counts): the same rows in the same
    order, written by the executors: ``spark_output="files"`` (the default) writes each
    table as one parquet file (a folder of part files above
    :data:`radlink.spark.timeline.FILE_MAX_ROWS` rows), ``"folders"`` each as a folder of
    part files; both hold the pandas engine's cells (not its bytes). ``"collect"``
    collects each table once on the driver and writes it as the pandas engine does (the
    same bytes; the driver must hold the largest table). Opposition runs on the executors
    too, and pseudonymisation. With a caller's ``extractor``/``linker``, or ``executors=False``,
    only the NLP and the linkage run on Spark (:func:`radlink.spark.spark_engine`) and the
    rest as with pandas.
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
    # on Spark (no caller's steps) every table is built by the executors, opposition and
    # pseudonymisation included (radlink.spark.timeline.build_timeline_spark); otherwise the NLP and
    # the linkage run on Spark and the rest here
    if spark_output not in SPARK_OUTPUTS:
        raise ValueError(f"spark_output must be one of {', '.join(SPARK_OUTPUTS)}, not {spark_output!r}")
    on_executors = (executors is not False and check_engine(engine) == "spark" and extractor is None
                    and linker is None)
    if engine == "spark":
        params["engine"] = engine  # recorded only when not the default: default manifests unchanged
    if engine == "spark" and not on_executors:
        from radlink.spark import spark_engine

        spark_extractor, spark_linker = spark_engine()
        extractor = extractor or spark_extractor
        linker = linker or spark_linker
    manifest = RunManifest(command="timeline", parameters=params)
    pseudonymiser = Pseudonymiser(read_key(key_file)) if pseudonymise else None
    opposed = read_opposition(opposition_file) if opposition_file else frozenset()
    first: list[dict] = []
    with _stage(first, "load") as loading:
        if on_executors:  # read by Spark where it can (parquet), validated on the executors, stored once
            from radlink.spark.dataset import read_dataset_spark

            ds = read_dataset_spark(dataset_dir, mapping=mapping)
        else:
            ds = load_dataset(dataset_dir, mapping=mapping)
        loading["rows"] = sum(ds.summary()[t] for t in ds.sources)
    for table, path in ds.sources.items():
        manifest.add_input(table, path, ds.summary()[table])
    if opposition_file:
        manifest.add_input("opposition", opposition_file, len(opposed))
    if on_executors:
        from radlink.spark.timeline import build_timeline_spark
        from radlink.timeline.assemble import EXTRA_COLUMNS, TIMELINE_COLUMNS

        out = build_timeline_spark(ds, assemble=assemble_timeline, event_columns=TIMELINE_COLUMNS + EXTRA_COLUMNS,
                                   outputs=TimelineOutputs, opposition=opposed, pseudonymiser=pseudonymiser)
    else:
        out = build_timeline(ds, opposition=opposed, pseudonymiser=pseudonymiser, jobs=jobs,
                             extractor=extractor, linker=linker, progress=progress)
    for table, counts in out.accounting.items():
        manifest.add_accounting(table, n_in=counts["in"], linked=counts["linked"],
                                ambiguous=counts["ambiguous"], unlinked=counts["unlinked"],
                                excluded_opposition=counts["excluded_opposition"])
    manifest.check_accounting()
    manifest.excluded_patients = out.excluded_patients
    if opposed and not out.excluded_patients:
        warnings.warn(OppositionWarning(
            f"the opposition list holds {len(opposed):,} ids and none is a patient of this dataset: "
            "check that it lists IPPs as the patients table writes them"), stacklevel=2)
    manifest.pseudonymised = pseudonymise
    manifest.key_fingerprint = pseudonymiser.fingerprint if pseudonymiser else None
    with OutputDir(outdir) as od:
        last: list[dict] = []
        with _stage(last, "write") as writing:
            for name, df in out.tables().items():
                if is_spark_frame(df) and spark_output != "collect":  # written by the executors
                    from radlink.spark.timeline import write_table_spark

                    rows = write_table_spark(df, od.file(name), folder=True if spark_output == "folders" else None)
                elif is_spark_frame(df):  # collected once, written as the pandas engine writes it
                    from radlink.spark.timeline import output_frame

                    df = output_frame(name, df)
                    od.write_table(name, df)
                    rows = len(df)
                else:
                    od.write_table(name, df)
                    rows = len(df)
                manifest.add_output(name, rows)
                writing["rows"] += rows
        doc = manifest.finish()
        doc["stages"] = [*first, *out.stages, *last]
        doc["link_status"] = out.link_status
        doc["reattached_exams"] = out.reattached_exams
        doc["ipp_other_format_exams"] = out.ipp_other_format_exams
        # reports the NLP could not read (time limit, error): counted by reason, listed in their table
        doc["skipped_reports"] = {str(k): int(v) for k, v in
                                  out.skipped_reports["reason"].value_counts().sort_index().items()}
        if pseudonymiser is not None:  # what free text lost, by kind: counts, never a value
            doc["text_replacements"] = out.text_replacements
        if ds.warnings:  # counts only: table, column, kind of loss, how many rows
            doc["input_warnings"] = ds.warning_counts()
        od.write_json("manifest.json", doc)
        od.commit()
    if registry:
        append_to_registry(registry, doc, outdir)
    return doc
