"""``radlink ingest-dicom``: a directory of DICOM files -> exams (and errors) parquet."""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["ingest_dicom"]


@click.command("ingest-dicom")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Exams parquet to write: one row per study, canonical exams columns "
                   "plus n_series and n_instances.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Parquet of the files not counted in any study: path (relative to "
                   "DIRECTORY), reason, detail.")
@click.option("--warnings", "warnings_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Parquet of the problems that did not stop a file from being counted "
                   "(bad dates, character set fallbacks, disagreeing files).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes reading headers.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr [default: when stderr is a terminal].")
def ingest_dicom(
    directory: Path,
    output: Path,
    errors_path: Path | None,
    warnings_path: Path | None,
    jobs: int,
    progress: bool | None,
) -> None:
    """Read the header of every file under DIRECTORY and write one exams row per study.

    Every regular file under DIRECTORY (recursively) is read up to its (0038,0010)
    Admission ID: never its pixel data. Files are grouped by Study Instance UID; a
    file that is not DICOM, is truncated, or has no Study Instance UID is listed in
    --errors with a reason code. Every file is either counted in one study or listed
    there once. The summary printed at the end holds counts only (no patient data).

    \b
    Example:
        radlink ingest-dicom /data/pacs_export -o exams.parquet \\
            --errors dicom_errors.parquet --jobs 2
    """
    from radlink.dicom.ingest import ingest_dicom as run
    from radlink.errors import RadlinkError
    from radlink.outputs import write_parquet
    from radlink.tables import to_arrow
    from radlink.workers import progress_on_terminal

    progress = progress_on_terminal(progress)
    try:
        result = run(directory, jobs=jobs, progress=progress)
    except RadlinkError as exc:
        click.echo(f"radlink ingest-dicom: {exc}", err=True)
        sys.exit(1)
    for path in (output, errors_path, warnings_path):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
    write_parquet(to_arrow(result.exams, "exams"), output)
    if errors_path is not None:
        write_parquet(result.errors, errors_path)
    if warnings_path is not None:
        write_parquet(result.warnings, warnings_path)
    click.echo(result.summary())
    if result.n_files == 0:
        click.echo(f"radlink ingest-dicom: warning: {directory} holds no file: the exams table is "
                   "empty (is it the right folder?)", err=True)
    elif result.n_exams == 0:
        click.echo("radlink ingest-dicom: warning: no file is a DICOM study: the exams table is "
                   "empty (see --errors for why)", err=True)
    click.echo(f"exams written to {output}" + (f", errors to {errors_path}" if errors_path else "")
               + (f", warnings to {warnings_path}" if warnings_path else ""))
