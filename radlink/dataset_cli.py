"""``radlink validate``: load a dataset directory, check it and print a summary."""

from __future__ import annotations

import sys

import click

from radlink.dataset import mapping_option
from radlink.errors import RadlinkError

__all__ = ["validate"]


@click.command("validate")
@click.argument("dataset_dir", type=click.Path(exists=True, file_okay=False))
@mapping_option
def validate(dataset_dir: str, mapping: str | None) -> None:
    """Validate the canonical tables of DATASET_DIR and print what they hold.

    DATASET_DIR holds patients, stays, exams and reports as .parquet or .csv. Every
    problem (table, column, row id) is listed and the command exits with status 1; no
    identifying value is printed.
    """
    from radlink.dataset import load_dataset

    try:
        ds = load_dataset(dataset_dir, mapping=mapping)
    except RadlinkError as exc:
        click.echo(f"radlink validate: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Dataset {dataset_dir}: valid")
    for name, df in ds.tables().items():
        source = ds.sources.get(name)
        where = source.name if source is not None else "absent (empty table)"
        click.echo(f"  {name:<9} {len(df):>9,} rows   {where}")
    exams = ds.exams
    if len(exams):
        no_ipp = int(exams["patient_id"].isna().sum())
        with_stay = int(exams["stay_id"].notna().sum())
        click.echo(f"  exams without IPP: {no_ipp:,}; exams carrying a stay id: {with_stay:,}")
    reports = ds.reports
    if len(reports):
        with_acc = int(reports["accession_number"].notna().sum())
        click.echo(f"  reports carrying an accession number: {with_acc:,} of {len(reports):,}")
