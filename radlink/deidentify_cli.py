"""``radlink deidentify``: a reports table with its text and title de-identified.

Reads a reports table (parquet or CSV: ``report_id``, ``patient_id``, ``text``,
``title``; a site's own column names through ``--mapping``), removes identifiers from
``text`` and ``title`` with :func:`radlink.privacy.reports.deidentify_reports`, and
writes the table (parquet or CSV, by the output's suffix). Dates move by the patient's
keyed offset when a key is given (``--key-file`` or ``RADLINK_PSEUDONYM_KEY``), else
become ``[DATE]``. Only counts by kind are printed; no value, name or id ever reaches
the terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pandas as pd

from radlink.dataset import mapping_option, rename_columns
from radlink.errors import OutputError, RadlinkError
from radlink.outputs import write_parquet
from radlink.privacy.reports import deidentify_reports
from radlink.readers import read_table
from radlink.tables import none_for_missing

__all__ = ["deidentify_command"]

_SUFFIXES = (".parquet", ".csv")


def _read(path: str, table: str, mapping) -> pd.DataFrame:
    """A table as the dataset loader reads it (radlink.readers), with the site's column names mapped."""
    return none_for_missing(rename_columns(read_table(path), table, mapping))


def _write(df: pd.DataFrame, path: Path) -> None:
    if path.suffix.lower() not in _SUFFIXES:
        raise OutputError(f"output {path.name!r}: give a .parquet or .csv file name")
    if not path.parent.is_dir():
        raise OutputError(f"output directory {str(path.parent)!r} does not exist; create it first")
    tmp = path.with_name(f".{path.name}.partial")
    try:
        if path.suffix.lower() == ".parquet":
            write_parquet(df, tmp)
        else:
            df.to_csv(tmp, index=False)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"output {str(path)!r} cannot be written ({type(exc).__name__})") from None


@click.command("deidentify")
@click.argument("reports_path", metavar="REPORTS", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Output table (.parquet or .csv), written atomically.")
@click.option("--patients", "patients_path", type=click.Path(exists=True, dir_okay=False),
              help="Patients table: each patient's names are removed from their reports.")
@click.option("--exams", "exams_path", type=click.Path(exists=True, dir_okay=False),
              help="Exams table: DICOM patient names and accession numbers are removed too.")
@mapping_option
@click.option("--key-file", type=click.Path(exists=True, dir_okay=False),
              help="Pseudonymisation key file (else RADLINK_PSEUDONYM_KEY): dates are shifted "
                   "by each patient's offset. Without a key, dates become [DATE].")
def deidentify_command(reports_path, output, patients_path, exams_path, mapping, key_file):
    """De-identify the text and title of the REPORTS table into OUTPUT.

    Names, ids, NIR, phone numbers, e-mails, URLs and addresses become typed
    placeholders ([NOM], [ID], [NIR], [TEL], [EMAIL], [URL], [ADRESSE]); dates are
    shifted by the patient's keyed offset, or become [DATE]. Prints counts by kind only.
    """
    import os

    from radlink.privacy.pseudonymise import KEY_ENV_VAR, read_key

    try:
        reports = _read(reports_path, "reports", mapping)
        patients = _read(patients_path, "patients", mapping) if patients_path else None
        exams = _read(exams_path, "exams", mapping) if exams_path else None
        key = read_key(key_file) if key_file or os.environ.get(KEY_ENV_VAR) else None
        out, counts = deidentify_reports(reports, patients, exams, key)
        _write(out, Path(output))
    except RadlinkError as exc:
        click.echo(f"radlink deidentify: {exc}", err=True)
        sys.exit(1)
    click.echo(f"{len(out):,} reports de-identified into {output}"
               f" (dates {'shifted per patient' if key is not None else 'replaced by [DATE]'})")
    for kind in sorted(counts):
        click.echo(f"  {kind:<8} {counts[kind]:>8,}")
