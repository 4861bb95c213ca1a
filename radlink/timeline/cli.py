"""``radlink timeline``, ``radlink plot`` and ``radlink count``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from radlink.dataset import mapping_option
from radlink.engines import ENGINES
from radlink.errors import CohortCriteriaError, RadlinkError

__all__ = ["timeline", "plot", "count"]


def _fail(command: str, exc: Exception) -> None:
    click.echo(f"radlink {command}: {exc}", err=True)
    sys.exit(1)


@click.command("timeline")
@click.argument("dataset_dir", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--outdir", required=True, type=click.Path(file_okay=False),
              help="Output directory (written atomically).")
@mapping_option
@click.option("--opposition", "opposition_file", type=click.Path(exists=True, dir_okay=False),
              help="Patients who opposed research use (.txt one id per line, or .csv/.parquet "
                   "with patient_id): removed from every output.")
@click.option("--pseudonymise", is_flag=True,
              help="Keyed pseudonyms for every id, per-patient date shift, no names or birth dates.")
@click.option("--key-file", type=click.Path(exists=True, dir_okay=False),
              help="File holding the pseudonymisation key (else RADLINK_PSEUDONYM_KEY).")
@click.option("--registry", type=click.Path(dir_okay=False),
              help="Registry file (.jsonl or .parquet) to which this run appends one line.")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1),
              help="Worker processes for the report NLP.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bars on stderr (default: when stderr is a terminal).")
@click.option("--engine", type=click.Choice(ENGINES), default=ENGINES[0], show_default=True,
              help="Where the NLP, the linkage and the timeline run: pandas on this machine, or Spark "
                   "(radlink[spark]; the active session, else local[2]; opposition and pseudonymisation "
                   "too). Same outputs.")
@click.option("--spark-output", type=click.Choice(["files", "folders", "collect"]), default="files",
              show_default=True,
              help="With --engine spark, written by the executors: each table as one parquet file (a folder "
                   "of part files when very large), or as a folder of part files; the pandas engine's cells. "
                   "'collect': each table collected once and written as with pandas (the same bytes).")
def timeline(dataset_dir, outdir, mapping, opposition_file, pseudonymise, key_file, registry, jobs,
             progress, engine="pandas", spark_output="files"):
    """Build patient timelines from DATASET_DIR into OUTDIR.

    Runs the report NLP and the linkage, then writes timeline.parquet, links.parquet,
    report_facts.parquet, findings.parquet, the unattached exams/reports/stays (never
    dropped) and manifest.json (inputs with hashes, counts in and out).
    """
    from radlink.timeline.job import run_timeline
    from radlink.workers import progress_on_terminal

    progress = progress_on_terminal(progress)
    try:
        doc = run_timeline(dataset_dir, outdir, mapping=mapping, opposition_file=opposition_file,
                           pseudonymise=pseudonymise, key_file=key_file, registry=registry, jobs=jobs,
                           progress=progress, engine=engine, spark_output=spark_output)
    except RadlinkError as exc:
        _fail("timeline", exc)
    click.echo(f"Timeline written to {outdir} (run {doc['run_id']}, {doc['duration_s']:.1f} s)")
    click.echo(f"  {'table':<8} {'in':>8} {'on timeline':>12} {'ambiguous':>10} {'unattached':>11} {'opposed':>8}")
    for table, a in doc["accounting"].items():
        click.echo(f"  {table:<8} {a['in']:>8,} {a['linked']:>12,} {a['ambiguous']:>10,} "
                   f"{a['unlinked']:>11,} {a['excluded_opposition']:>8,}")
    for link_type, counts in sorted(doc["link_status"].items()):
        parts = ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
        click.echo(f"  {link_type:<16} {parts}")
    click.echo(f"  exams re-attached to another patient: {doc['reattached_exams']:,}")
    if doc.get("ipp_other_format_exams"):
        click.echo(f"  exams with their patient's IPP in another site format: {doc['ipp_other_format_exams']:,}")
    for stage in doc.get("stages", []):
        click.echo(f"  stage {stage['stage']:<13} {stage['rows']:>10,} rows {stage['seconds']:>8.1f} s")
    if doc["excluded_patients"]:
        click.echo(f"  patients excluded by opposition: {doc['excluded_patients']:,}")
    if doc["pseudonymised"]:
        click.echo("  outputs pseudonymised (keyed pseudonyms, shifted dates)")


@click.command("plot")
@click.argument("patient_id")
@click.option("--timeline", "timeline_dir", required=True, type=click.Path(exists=True, file_okay=False),
              help="Output directory of `radlink timeline`.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="patient.html (offline, inline SVG), .png or .svg")
def plot(patient_id, timeline_dir, output):
    """Draw the timeline of PATIENT_ID (a pseudonym if the run was pseudonymised)."""
    import pandas as pd

    from radlink.timeline.plot import write_patient_plot

    try:
        events = pd.read_parquet(Path(timeline_dir) / "timeline.parquet")
        write_patient_plot(events, patient_id, output)
    except (RadlinkError, FileNotFoundError) as exc:
        _fail("plot", exc)
    click.echo(f"Plot written to {output}")


class _DateParam(click.ParamType):
    """A date on the command line: ISO or French day-first, as the tables accept them."""

    name = "date"

    def convert(self, value, param, ctx):
        import pandas as pd

        from radlink.tables import parse_dates

        parsed, failed, outside = parse_dates(pd.Series([value], dtype=object))
        if failed.iloc[0] or outside.iloc[0] or pd.isna(parsed.iloc[0]):
            self.fail(f"{value!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)", param, ctx)
        return parsed.iloc[0].strftime("%Y-%m-%d")


_DATE = _DateParam()


@click.command("count")
@click.argument("timeline_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--modality", help="DICOM modality code of the exam (PT, CT, MR, ...).")
@click.option("--tracer", help="Tracer code (FDG, PSMA, ...).")
@click.option("--indication", "indication_category",
              help="Indication category (initial_staging, response_assessment, follow_up, ...).")
@click.option("--from", "start", type=_DATE,
              help="Exams on or after this date (YYYY-MM-DD or DD/MM/YYYY, never month first).")
@click.option("--to", "end", type=_DATE,
              help="Exams on or before this date, the whole day (YYYY-MM-DD or DD/MM/YYYY, never month first).")
@click.option("--cim10", help="Patients with a stay diagnosis starting with this CIM-10 prefix (C34).")
def count(timeline_dir, modality, tracer, indication_category, start, end, cim10):
    """Count patients and exams of a timeline matching simple criteria.

    Exams are the timeline's exams and the reports on it whose exam is not, as
    `radlink redcap-prefill` reads them. A code that is not known (radlink's
    vocabulary, or found in the timeline) is an error listing the known ones; one
    that differs only by case (fdg) is read as the code (FDG), and said so.

    \b
    Example:
        radlink count out/timeline --modality PT --tracer FDG --indication initial_staging \\
            --from 2018-01-01 --to 31/12/2022 --cim10 C34
    """
    import pandas as pd

    from radlink.timeline.count import CohortCriteria, count_cohort, resolve_criteria

    try:
        events = pd.read_parquet(Path(timeline_dir) / "timeline.parquet")
    except FileNotFoundError as exc:
        _fail("count", exc)
    crit = CohortCriteria(modality, tracer, indication_category, start, end, cim10)
    options = {"modality": "--modality", "tracer": "--tracer", "indication_category": "--indication"}
    for name, option in options.items():  # one option at a time, to name it in the error
        try:
            resolve_criteria(CohortCriteria(**{name: getattr(crit, name)}), events)
        except CohortCriteriaError as exc:
            raise click.BadParameter(str(exc), param_hint=f"'{option}'") from None
    crit, notes = resolve_criteria(crit, events)
    for note in notes:
        click.echo(f"radlink count: {note}", err=True)
    res = count_cohort(events, crit)
    given = ", ".join(f"{k}={v}" for k, v in vars(crit).items() if v) or "no criteria"
    click.echo(f"Criteria: {given}")
    click.echo(f"  patients: {res['patients']:,} (of {res['patients_in_timeline']:,} in the timeline)")
    click.echo(f"  exams:    {res['exams']:,}")
