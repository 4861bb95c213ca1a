"""``radlink export``: a timeline as OMOP CDM 5.4 tables, or findings as BRAT / Label Studio files.

SOURCE is what the findings come from:

- a ``radlink timeline`` output folder: its exams, stays, reports and findings; the
  report texts (and patients, stays) come from ``--dataset``, else from the dataset
  its manifest names (never for a pseudonymised timeline, whose ids are pseudonyms);
- a ``radlink extract`` output folder (``--format brat|labelstudio``), with the texts
  from ``--dataset`` (a dataset folder or a reports file);
- a dataset folder (or, for brat/labelstudio, a reports file): the timeline (omop) or
  the extraction (brat, labelstudio) is run first, in memory, not pseudonymised.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click
import pandas as pd

from radlink.dataset import mapping_option
from radlink.errors import RadlinkError

__all__ = ["export_command"]

FORMATS = ("omop", "brat", "labelstudio")


class _Stop(Exception):
    """A usage problem of ``radlink export``, said in one line."""


def _texts(path: Path, mapping) -> tuple[pd.DataFrame, object | None]:
    """Reports (report_id, title, text) and the dataset, from a dataset folder or a reports file."""
    from radlink.dataset import load_dataset, rename_columns
    from radlink.readers import read_table
    from radlink.tables import validate_table

    if path.is_dir():
        ds = load_dataset(path, mapping=mapping)
        return ds.reports, ds
    return validate_table(rename_columns(read_table(path), "reports", mapping), "reports"), None


def _started(manifest: dict) -> dt.datetime | None:
    text = manifest.get("started_at")
    if not text:
        return None
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z").astimezone(dt.timezone.utc).replace(tzinfo=None)


def _from_results(source: Path, fmt: str, dataset: Path | None, mapping):
    """(timeline, findings, facts, reports, ds, when) from a timeline or extract output folder."""
    findings = pd.read_parquet(source / "findings.parquet")
    facts = pd.read_parquet(source / "report_facts.parquet") if (source / "report_facts.parquet").exists() else None
    timeline = pd.read_parquet(source / "timeline.parquet") if (source / "timeline.parquet").exists() else None
    manifest = {}
    if (source / "manifest.json").exists():
        manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    if fmt == "omop" and timeline is None:
        raise _Stop(f"{source} is not a timeline output: --format omop needs `radlink timeline`'s "
                    "output, or a dataset folder")
    pseudonymised = bool(manifest.get("pseudonymised"))
    params = manifest.get("parameters", {})
    if dataset is None and not pseudonymised and params.get("dataset_dir") and Path(params["dataset_dir"]).is_dir():
        dataset, mapping = Path(params["dataset_dir"]), mapping or params.get("mapping")
    if dataset is not None and pseudonymised:
        raise _Stop("the timeline is pseudonymised: its ids do not match a dataset's, so --dataset "
                    "cannot give its texts; export from the dataset itself")
    reports, ds = _texts(dataset, mapping) if dataset is not None else (None, None)
    if reports is not None and facts is not None:  # the reports of this run (opposed patients left out)
        reports = reports[reports["report_id"].isin(set(facts["report_id"].astype(str)))]
    if fmt != "omop" and reports is None:
        raise _Stop("brat and labelstudio need the report texts: give --dataset (a dataset folder "
                    "or a reports file)" + (" — a pseudonymised timeline keeps none" if pseudonymised else ""))
    return timeline, findings, reports, ds, _started(manifest)


def _from_inputs(source: Path, fmt: str, mapping, jobs: int):
    """(timeline, findings, reports, ds, when) by running the timeline or the extraction now."""
    reports, ds = _texts(source, mapping)
    if fmt == "omop":
        if ds is None:
            raise _Stop("--format omop needs a dataset folder or a timeline output, not a reports file")
        from radlink.timeline.job import build_timeline

        out = build_timeline(ds, jobs=jobs)
        return out.timeline, out.findings, reports, ds, None
    from radlink.nlp import ReportExtractor

    cols = [c for c in ("report_id", "text", "title") if c in reports.columns]
    return None, ReportExtractor().extract(reports[cols], jobs=jobs).findings, reports, ds, None


def run_export(source: Path, output: Path, fmt: str, *, dataset: Path | None = None, mapping=None,
               concepts: Path | None = None, jobs: int = 1) -> dict:
    """Write the export; return its manifest (format, source, files with rows)."""
    import radlink
    from radlink.outputs import OutputDir

    if (source / "findings.parquet").exists():
        timeline, findings, reports, ds, when = _from_results(source, fmt, dataset, mapping)
    else:
        timeline, findings, reports, ds, when = _from_inputs(source, fmt, mapping, jobs)
    files: dict[str, int] = {}
    with OutputDir(output) as out:
        if fmt == "omop":
            from radlink.export.omop import load_concepts, to_omop
            from radlink.export.readme import omop_readme
            from radlink.export.schema import write_csv

            export = to_omop(timeline, findings,
                             patients=ds.patients if ds is not None else None,
                             stays=ds.stays if ds is not None else None, reports=reports,
                             concepts=load_concepts(concepts), nlp_datetime=when)
            for table, df in export.tables.items():
                write_csv(df, table, out.file(f"{table}.csv"))
                files[f"{table}.csv"] = len(df)
            export.ids.to_csv(out.file("radlink_ids.csv"), index=False, lineterminator="\n")
            out.file("README.md").write_text(omop_readme(export, radlink.__version__), encoding="utf-8")
        else:
            from radlink.nlp.annotation import write_brat, write_labelstudio

            writer = write_brat if fmt == "brat" else write_labelstudio
            for path in writer(reports, findings, out.staging):
                out.file(path.name)
            files = {"reports": len(reports), "findings": int(findings["report_id"].astype(str)
                                                              .isin(set(reports["report_id"])).sum())}
        doc = {"command": "export", "format": fmt, "source": str(source), "files": files,
               "radlink_version": radlink.__version__}
        out.write_json("manifest.json", doc)
        out.commit()
    return doc


@click.command("export")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", required=True, type=click.Choice(FORMATS),
              help="omop: OMOP CDM 5.4 + MI-CDM tables (CSV) with a README of the concept ids; "
                   "brat / labelstudio: the findings over the report texts, for annotators.")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output directory (written atomically).")
@click.option("--dataset", type=click.Path(exists=True, path_type=Path),
              help="Dataset folder or reports file holding the report texts, when SOURCE is a "
                   "timeline or extract output (default: the dataset the timeline's manifest names).")
@mapping_option
@click.option("--concepts", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TOML of the site's OMOP concept ids, laid over radlink/export/omop_concepts.toml.")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1),
              help="Worker processes, when SOURCE is a dataset and the NLP runs.")
def export_command(source: Path, fmt: str, output: Path, dataset: Path | None, mapping, concepts, jobs) -> None:
    """Export a timeline as OMOP CDM 5.4 tables, or findings for annotators (BRAT, Label Studio).

    SOURCE is a timeline output, an extract output (brat, labelstudio) or a dataset
    folder (reports file for brat, labelstudio), run first in memory.

    \b
        radlink export --format omop out/ -o out_omop
        radlink export --format brat data_samples/reports.parquet -o to_review
        radlink evaluate-nlp to_review      # once corrected: the annotators' findings as gold
    """
    try:
        doc = run_export(source, output, fmt, dataset=dataset, mapping=mapping, concepts=concepts, jobs=jobs)
    except (RadlinkError, _Stop) as exc:
        click.echo(f"radlink export: {exc}", err=True)
        sys.exit(1)
    shown = ", ".join(f"{k} {v:,}" for k, v in doc["files"].items())
    click.echo(f"{fmt} export written to {output}: {shown}")
