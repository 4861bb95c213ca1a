"""``radlink extract``: facts and findings of a reports table, written as parquet."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from radlink.dataset import mapping_option
from radlink.engines import ENGINES
from radlink.errors import RadlinkError

__all__ = ["extract"]


@click.command("extract")
@click.argument("reports", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
    help="Directory to write report_facts.parquet and findings.parquet into.",
)
@click.option(
    "--jobs", "-j", default=1, show_default=True, type=int,
    help="Worker processes (0: one per CPU).",
)
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar (default: only when stderr is a terminal).")
@click.option(
    "--batch-size", default=50_000, show_default=True, type=click.IntRange(min=1),
    help="Reports held in memory at once; each batch is appended to the parquet files.",
)
@click.option(
    "--engine", type=click.Choice(ENGINES), default=ENGINES[0], show_default=True,
    help="pandas on this machine, or Spark (radlink[spark]): the active session, else local[2]; "
         "the two tables are then written as parquet folders, one file per partition "
         "(--jobs and --batch-size are the pandas engine's).",
)
@click.option("--verify-lesions/--no-verify-lesions", default=None,
              help="Drop the lesion candidates the learned lesion verifier rejects "
                   "(radlink.nlp.verifier; default: ReportExtractor's default, on; "
                   "--no-verify-lesions reads with the rules alone).")
@mapping_option
def extract(reports: str, outdir: str, jobs: int, progress: bool | None, batch_size: int,
            mapping: str | None, engine: str = "pandas", verify_lesions: bool | None = None) -> None:
    """Extract report facts and findings from REPORTS (.parquet or .csv).

    REPORTS needs the columns report_id and text (title is used when present), or
    the site's names for them with --mapping (note_id and note_text with omop). Writes
    OUTDIR/report_facts.parquet (one row per report), OUTDIR/findings.parquet
    (one row per finding) and OUTDIR/skipped_reports.parquet (each report that ran
    past the per-report time limit or failed, with its reason; its facts row is
    empty). Error messages name the table, column and report id, never the report text.

    \b
        radlink extract data_samples/reports.parquet -o out/nlp --jobs 2
        radlink extract note.parquet --mapping omop -o out/nlp
        radlink extract reports.parquet -o out/nlp --engine spark
    """
    if engine == "spark":
        _extract_on_spark(reports, outdir, mapping, verify_lesions)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    from radlink.dataset import read_table, rename_columns
    from radlink.workers import progress_on_terminal

    from .extractor import FACTS_SCHEMA, FINDINGS_SCHEMA, SKIPPED_SCHEMA, ReportExtractor

    schemas = {"report_facts": FACTS_SCHEMA, "findings": FINDINGS_SCHEMA, "skipped_reports": SKIPPED_SCHEMA}
    out = Path(outdir)
    n_reports = n_findings = n_lesions = n_skipped = 0
    writers: dict[str, pq.ParquetWriter] = {}
    done = False
    try:
        table = rename_columns(read_table(reports), "reports", mapping)
        out.mkdir(parents=True, exist_ok=True)
        batches = ReportExtractor(verify_lesions=verify_lesions).iter_extract(
            table, batch_size=batch_size, jobs=jobs, progress=progress_on_terminal(progress)
        )
        for batch in batches:
            for name, df in (("report_facts", batch.facts), ("findings", batch.findings),
                             ("skipped_reports", batch.skipped)):
                arrow = pa.Table.from_pandas(df, schema=schemas[name], preserve_index=False)
                if name not in writers:  # written beside, renamed when whole: never a truncated table
                    writers[name] = pq.ParquetWriter(out / f".{name}.parquet.partial", schemas[name])
                writers[name].write_table(arrow)
            n_reports += len(batch.facts)
            n_findings += len(batch.findings)
            n_skipped += len(batch.skipped)
            n_lesions += int((batch.findings["kind"].eq("lesion") & ~batch.findings["negated"]).sum())
        for name, schema in schemas.items():
            if name not in writers:  # no report at all: still write every (empty) table
                pq.write_table(schema.empty_table(), out / f".{name}.parquet.partial")
        done = True
    except RadlinkError as exc:
        click.echo(f"radlink extract: {exc}", err=True)
        sys.exit(1)
    finally:
        for writer in writers.values():
            writer.close()
        if not done:  # a failed run leaves the previous tables as they were, and no partial one
            for name in schemas:
                (out / f".{name}.parquet.partial").unlink(missing_ok=True)
    for name in schemas:  # every table is whole: they appear together (each rename is atomic)
        (out / f".{name}.parquet.partial").replace(out / f"{name}.parquet")
    click.echo(
        f"{n_reports:,} reports -> {out / 'report_facts.parquet'}; "
        f"{n_findings:,} findings ({n_lesions:,} lesions) -> {out / 'findings.parquet'}"
    )
    if n_skipped:
        click.echo(f"{n_skipped:,} reports skipped (time limit or error), empty facts rows -> "
                   f"{out / 'skipped_reports.parquet'}", err=True)


def _extract_on_spark(reports: str, outdir: str, mapping: str | None, verify_lesions: bool | None = None) -> None:
    """``radlink extract --engine spark``: read, extract and write with Spark."""
    import pandas as pd

    from radlink.dataset import read_table, rename_columns
    from radlink.engines import object_strings, spark_session

    from .extractor import ReportExtractor

    out = Path(outdir)
    try:
        spark = spark_session()
        if str(reports).endswith(".parquet"):
            sdf = spark.read.parquet(str(reports))
            sdf = sdf.toDF(*rename_columns(pd.DataFrame(columns=sdf.columns), "reports", mapping).columns)
        else:
            table = rename_columns(read_table(reports), "reports", mapping)
            cols = [c for c in ("report_id", "text", "title") if c in table.columns]
            sdf = spark.createDataFrame(object_strings(table[cols].astype(object)),
                                        schema=", ".join(f"{c} string" for c in cols))
        result = ReportExtractor(verify_lesions=verify_lesions).extract(sdf)
        out.mkdir(parents=True, exist_ok=True)
        for name, df in (("report_facts", result.facts), ("findings", result.findings)):
            df.write.mode("overwrite").parquet(str(out / f"{name}.parquet"))
        n_reports, n_findings = result.facts.count(), result.findings.count()
    except RadlinkError as exc:
        click.echo(f"radlink extract: {exc}", err=True)
        sys.exit(1)
    click.echo(f"{n_reports:,} reports -> {out / 'report_facts.parquet'}; "
               f"{n_findings:,} findings -> {out / 'findings.parquet'} (Spark, one file per partition)")
