"""``radlink deidentify``: a reports table with its text and title de-identified.

Reads a reports table (parquet or CSV: ``report_id``, ``patient_id``, ``text``,
``title``), removes identifiers from ``text`` and ``title`` with
:class:`~radlink.privacy.deidentify.Deidentifier`, and writes the table (parquet or CSV,
by the output's suffix). Dates move by the patient's keyed offset when a key is given
(``--key-file`` or ``RADLINK_PSEUDONYM_KEY``), else become ``[DATE]``. Only counts by
kind are printed; no value, name or id ever reaches the terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pandas as pd

from radlink.errors import (
    OutputError,
    RadlinkError,
    TableValidationError,
    ValidationProblem,
)
from radlink.tables import none_for_missing

__all__ = ["deidentify_command", "deidentify_reports", "read_table"]

_SUFFIXES = (".parquet", ".csv")


def read_table(path: str | Path, table: str) -> pd.DataFrame:
    """Read a parquet or CSV table, every CSV column as text.

    Raises
    ------
    TableValidationError
        When the file cannot be read as a table (the message names the file, not its content).
    """
    path = Path(path)
    if path.suffix.lower() not in _SUFFIXES:
        raise TableValidationError([ValidationProblem(
            table, "*", "every row", f"{path.name!r} is neither .parquet nor .csv; export the table "
            "to one of them")])
    try:
        if path.suffix.lower() == ".parquet":
            df = pd.read_parquet(path)
        else:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, ValueError) as exc:
        raise TableValidationError([ValidationProblem(
            table, "*", "every row", f"{path.name!r} cannot be read as a table "
            f"({type(exc).__name__})")]) from None
    return none_for_missing(df)


def _require(df: pd.DataFrame, table: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise TableValidationError([
            ValidationProblem(table, c, "all rows", "required column is missing "
                              f"(columns found: {', '.join(map(str, df.columns))})")
            for c in missing])


def deidentify_reports(reports: pd.DataFrame, patients: pd.DataFrame | None = None,
                       exams: pd.DataFrame | None = None, key: bytes | None = None):
    """De-identify the ``text`` and ``title`` of a reports table.

    Parameters
    ----------
    reports : pandas.DataFrame
        Reports table with ``report_id`` and ``text`` (``patient_id`` and ``title`` used
        when present).
    patients, exams : pandas.DataFrame, optional
        Canonical tables whose names and ids are removed from each patient's reports.
    key : bytes, optional
        Pseudonymisation key: dates move by the patient's offset
        (:meth:`~radlink.privacy.pseudonymise.Pseudonymiser.shift_days`); without a key,
        or for a report without patient, dates become ``[DATE]``.

    Returns
    -------
    out : pandas.DataFrame
        The table, ``text`` and ``title`` replaced.
    counts : collections.Counter
        Replacements by kind.

    Examples
    --------
    >>> import pandas as pd
    >>> reports = pd.DataFrame({"report_id": ["R1"], "patient_id": ["P1"],
    ...                         "title": ["TEP du 02/03/2021"], "text": ["Dr Paul Durand."]})
    >>> out, counts = deidentify_reports(reports)
    >>> out[["title", "text"]].values.tolist(), sorted(counts.items())
    ([['TEP du [DATE]', 'Dr [NOM].']], [('date', 1), ('name', 1)])
    """
    from radlink.privacy.deidentify import Deidentifier, identities_from_tables
    from radlink.privacy.pseudonymise import Pseudonymiser

    _require(reports, "reports", ("report_id", "text"))
    if patients is not None:
        _require(patients, "patients", ("patient_id",))
    if exams is not None:
        _require(exams, "exams", ("patient_id",))
    if key is not None and "patient_id" not in reports.columns:
        _require(reports, "reports", ("patient_id",))
    identities = identities_from_tables(patients, exams)
    if "patient_id" in reports.columns:
        keys = pd.Series([None if pd.isna(v) else str(v).strip() for v in reports["patient_id"]],
                         index=reports.index, dtype=object)
    else:
        keys = pd.Series([None] * len(reports), index=reports.index, dtype=object)
    shifts = None
    if key is not None:
        days = Pseudonymiser(key).shift_days(keys).astype(object)
        shifts = days.where(keys.notna(), None)  # no patient: [DATE], never an unshifted date
    d = Deidentifier()
    out = reports.copy()
    counts = d.counts
    for column in ("text", "title"):
        if column in out.columns:
            out[column] = d.deidentify_series(out[column].astype(object), keys, identities, shifts)
    return none_for_missing(out), counts


def _write(df: pd.DataFrame, path: Path) -> None:
    if path.suffix.lower() not in _SUFFIXES:
        raise OutputError(f"output {path.name!r}: give a .parquet or .csv file name")
    if not path.parent.is_dir():
        raise OutputError(f"output directory {str(path.parent)!r} does not exist; create it first")
    tmp = path.with_name(f".{path.name}.partial")
    try:
        if path.suffix.lower() == ".parquet":
            df.to_parquet(tmp, index=False)
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
@click.option("--key-file", type=click.Path(exists=True, dir_okay=False),
              help="Pseudonymisation key file (else RADLINK_PSEUDONYM_KEY): dates are shifted "
                   "by each patient's offset. Without a key, dates become [DATE].")
def deidentify_command(reports_path, output, patients_path, exams_path, key_file):
    """De-identify the text and title of the REPORTS table into OUTPUT.

    Names, ids, NIR, phone numbers, e-mails, URLs and addresses become typed
    placeholders ([NOM], [ID], [NIR], [TEL], [EMAIL], [URL], [ADRESSE]); dates are
    shifted by the patient's keyed offset, or become [DATE]. Prints counts by kind only.
    """
    import os

    from radlink.privacy.pseudonymise import KEY_ENV_VAR, read_key

    try:
        reports = read_table(reports_path, "reports")
        patients = read_table(patients_path, "patients") if patients_path else None
        exams = read_table(exams_path, "exams") if exams_path else None
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
