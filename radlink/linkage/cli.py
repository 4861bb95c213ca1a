"""``radlink link`` and ``radlink evaluate-linkage``: the linkage as batch jobs."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
import pandas as pd

from radlink.dataset import mapping_option

__all__ = ["link_command", "evaluate_linkage", "summarise"]


def summarise(links: pd.DataFrame) -> pd.DataFrame:
    """linked / ambiguous / unlinked counts per link type.

    Examples
    --------
    >>> import pandas as pd
    >>> links = pd.DataFrame({"source_type": ["exam", "exam"], "target_type": ["patient", "stay"],
    ...                       "status": ["linked", "unlinked"]})
    >>> summarise(links).values.tolist()
    [['exam→patient', 1, 0, 0, 1], ['exam→stay', 0, 0, 1, 1]]
    """
    from radlink.linkage.api import LINK_TYPES

    rows = []
    for src, tgt in LINK_TYPES:
        part = links[(links["source_type"] == src) & (links["target_type"] == tgt)]
        if len(part) == 0 and not ((links["source_type"] == src).any()):
            continue
        counts = part["status"].value_counts()
        rows.append({"link_type": f"{src}→{tgt}", "linked": int(counts.get("linked", 0)),
                     "ambiguous": int(counts.get("ambiguous", 0)),
                     "unlinked": int(counts.get("unlinked", 0)), "total": len(part)})
    return pd.DataFrame(rows, columns=["link_type", "linked", "ambiguous", "unlinked", "total"])


@click.command("link")
@click.argument("dataset_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("links.parquet"), show_default=True, help="Where to write the links table (.parquet or .csv).")
@click.option("--settings", "settings_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="LinkageSettings as JSON (see LinkageSettings.to_json).")
@click.option("--refit-em/--no-refit-em", default=None,
              help="Re-estimate the Fellegi–Sunter m/u on this data (EM), or never; default: when the "
                   "data are large enough (LinkageSettings.refit_em_min_exams).")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar (default: only when stderr is a terminal).")
@mapping_option
def link_command(dataset_dir: Path, output: Path, settings_path: Path | None, refit_em: bool | None,
                 progress: bool | None, mapping: str | None) -> None:
    """Link exams to patients and stays, and reports to exams and stays.

    Reads DATASET_DIR/{patients,stays,exams,reports}.{parquet,csv}, writes the links
    table (one row per exam and per report for each link type) and prints, per link
    type, how many sources were linked, ambiguous or unlinked, and how many exams were
    re-attached to another patient than the IPP they carried, and the report-delay
    model estimated on this data (per modality class: median and 90th centile).

    \b
    Example:
        radlink link data_samples -o links.parquet
        radlink link omop_export/ --mapping omop -o links.parquet
    """
    from radlink.dataset import load_dataset
    from radlink.errors import RadlinkError
    from radlink.linkage.api import ipp_other_format, link, reattached
    from radlink.linkage.settings import LinkageSettings
    from radlink.outputs import write_parquet
    from radlink.workers import progress_on_terminal, progress_reporter

    try:
        ds = load_dataset(dataset_dir, mapping=mapping)
        settings = (LinkageSettings.from_dict(json.loads(settings_path.read_text(encoding="utf-8")))
                    if settings_path else LinkageSettings())
        if refit_em is not None:
            settings.refit_em = refit_em
        total = len(ds.exams) + len(ds.reports)
        timings: dict[str, float] = {}
        fitted: dict = {}
        start = time.perf_counter()
        with progress_reporter(progress_on_terminal(progress), total, unit="record", desc="linking") as advance:
            links = link(patients=ds.patients, exams=ds.exams, stays=ds.stays, reports=ds.reports,
                         settings=settings, timings=timings, fitted=fitted, validate=False,
                         progress=None if advance is None else lambda step, k: advance(k))
        output.parent.mkdir(parents=True, exist_ok=True)
        if output.suffix == ".csv":
            links.to_csv(output, index=False)
        else:
            write_parquet(links, output)
    except RadlinkError as exc:
        raise click.ClickException(str(exc)) from exc
    elapsed = time.perf_counter() - start
    click.echo(summarise(links).to_string(index=False))
    click.echo(f"exams re-attached to another patient than their IPP: {int(reattached(links, ds.exams).sum())}")
    click.echo("exams whose IPP is their patient's written in another site format (same patient, "
               f"not re-attached): {int(ipp_other_format(links, ds.exams).sum())}")
    if "patient_presence" in fitted:
        from radlink.linkage.presence import describe_presence

        click.echo(describe_presence(fitted["patient_presence"]))
    if len(ds.stays):
        from radlink.linkage.stay_margins import describe_stay_margins

        click.echo(describe_stay_margins(fitted.get("stay_margins")))
    if len(ds.reports):
        from radlink.linkage.delay_model import describe_delay_model

        click.echo(describe_delay_model(fitted.get("delay_model")))
        if fitted.get("midnight_reports_are_dates"):
            click.echo("report times at 00:00:00 are read as dates (signed by the end of that day)")
        if fitted.get("report_stamp_days"):
            click.echo("report dates stamped by an import, read as no signing date: "
                       + ", ".join(fitted["report_stamp_days"]))
    click.echo("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()) + f" (total {elapsed:.1f})")
    click.echo(f"wrote {len(links)} links to {output}")


@click.command("evaluate-linkage")
@click.argument("dataset_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--links", "links_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="A links table from `radlink link`; without it, the linkage runs now.")
@mapping_option
def evaluate_linkage(dataset_dir: Path, links_path: Path | None, mapping: str | None) -> None:
    """Precision, recall and F1 per link type against DATASET_DIR/truth.

    A link counts as predicted only when its status is "linked". TP: predicted ==
    true target; FP: a predicted target that is not the true one; FN: a true target
    not predicted (unlinked, ambiguous or wrong); TN: no true target, none predicted.
    Rows "[badly attached]" and "[fault=...]" restrict exam→patient to the exams of
    truth/exam_faults.parquet with that fault.

    \b
    Example:
        radlink evaluate-linkage data_samples --links links.parquet
    """
    from radlink.dataset import load_dataset
    from radlink.errors import RadlinkError
    from radlink.linkage.api import link
    from radlink.linkage.evaluation import evaluate_links, format_report, load_truth

    try:
        truth, faults = load_truth(dataset_dir)
        if links_path is not None:
            links = pd.read_parquet(links_path) if links_path.suffix != ".csv" else pd.read_csv(
                links_path, dtype={"source_id": str, "target_id": str})
        else:
            ds = load_dataset(dataset_dir, mapping=mapping)
            links = link(patients=ds.patients, exams=ds.exams, stays=ds.stays, reports=ds.reports,
                         validate=False)
    except RadlinkError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_report(evaluate_links(links, truth, faults)))
