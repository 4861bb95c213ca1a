"""``radlink pacs find`` and ``radlink pacs retrieve``: cohort image extraction from a PACS."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from radlink.errors import RadlinkError
from radlink.timeline.cli import _DATE

__all__ = ["pacs", "find_command", "retrieve_command"]


def _fail(command: str, exc: Exception) -> None:
    click.echo(f"radlink pacs {command}: {exc}", err=True)
    sys.exit(1)


def _progress(value: bool | None) -> bool:
    return sys.stderr.isatty() if value is None else value


def sidecar(studies: str | Path) -> Path:
    """Where ``find`` writes its manifest: beside ``studies.parquet``."""
    studies = Path(studies)
    return studies.with_name(f"{studies.stem}.manifest.json")


def _client(config, via: str):
    from radlink.errors import PacsConfigError

    if via == "dimse":
        if config.dimse is None:
            raise PacsConfigError("this PACS file has no [dimse] section")
        from radlink.pacs.dimse import DimseClient
        return DimseClient(config.dimse)
    if config.dicomweb is None:
        raise PacsConfigError("this PACS file has no [dicomweb] section")
    from radlink.pacs.dicomweb import DicomwebClient
    return DicomwebClient(config.dicomweb)


@click.group("pacs")
def pacs() -> None:
    """Find and retrieve a cohort's images from a PACS, pseudonymised, with a register."""


@pacs.command("find")
@click.option("--pacs", "pacs_file", required=True, type=click.Path(exists=True, dir_okay=False),
              help="PACS description (TOML: [dimse] host, port, called_aet, calling_aet; [dicomweb] url).")
@click.option("--timeline", "timeline_dir", type=click.Path(exists=True, file_okay=False),
              help="Output folder of `radlink timeline` (without --pseudonymise): its cohort.")
@click.option("--patients", "patients_file", type=click.Path(exists=True, dir_okay=False),
              help="CSV/parquet with a patient_id column.")
@click.option("--accessions", "accessions_file", type=click.Path(exists=True, dir_okay=False),
              help="CSV/parquet with an accession_number column.")
@click.option("--modality", help="DICOM modality code (PT, CT, ...), as `radlink count`.")
@click.option("--tracer", help="Tracer code (FDG, ...): --timeline only.")
@click.option("--indication", "indication_category", help="Indication category: --timeline only.")
@click.option("--from", "start", type=_DATE, help="Studies on or after this date.")
@click.option("--to", "end", type=_DATE, help="Studies on or before this date (the whole day).")
@click.option("--via", type=click.Choice(["dimse", "dicomweb"]), default=None,
              help="C-FIND (dimse) or QIDO-RS (dicomweb); default: dimse when the PACS file has it.")
@click.option("--max-results", type=click.IntRange(1), default=None,
              help="The PACS's cap on answers to one query (simulates one): capped date ranges are split.")
@click.option("--opposition", "opposition_file", type=click.Path(exists=True, dir_okay=False),
              help="Patients who opposed research use: never queried (the timeline's list is read too).")
@click.option("--registry", type=click.Path(dir_okay=False),
              help="Registry file (.jsonl or .parquet) to which this request appends one line.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="studies.parquet (its manifest is written beside it).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr.")
def find_command(pacs_file, timeline_dir, patients_file, accessions_file, modality, tracer,
                 indication_category, start, end, via, max_results, opposition_file, registry,
                 output, progress):
    """Find the studies of a cohort in a PACS (study-level C-FIND or QIDO-RS).

    The cohort is a timeline folder with the criteria of `radlink count`, a list of
    patients or a list of accession numbers. Writes one row per study found:
    study_instance_uid, patient_id, accession_number, study_date, modality,
    study_description, n_instances, exam_id (the timeline's exam, or null).

    \b
    Example:
        radlink pacs find --pacs pacs.toml --timeline out --modality PT --tracer FDG \\
            --indication initial_staging --from 2018-01-01 --to 2022-12-31 -o studies.parquet
    """
    from radlink.outputs import write_parquet
    from radlink.pacs.config import read_pacs_config
    from radlink.pacs.find import find_studies
    from radlink.pacs.register import record_run
    from radlink.pacs.request import request_from_ids, request_from_timeline
    from radlink.privacy.opposition import read_opposition
    from radlink.timeline.count import CohortCriteria

    sources = [s for s in (timeline_dir, patients_file, accessions_file) if s]
    if len(sources) != 1:
        raise click.UsageError("give exactly one of --timeline, --patients, --accessions")
    if (tracer or indication_category) and not timeline_dir:
        raise click.UsageError("--tracer and --indication need --timeline (a PACS does not know them)")
    try:
        config = read_pacs_config(pacs_file)
        via = via or ("dimse" if config.dimse is not None else "dicomweb")
        opposed = read_opposition(opposition_file) if opposition_file else frozenset()
        if timeline_dir:
            crit = CohortCriteria(modality, tracer, indication_category, start, end)
            request = request_from_timeline(timeline_dir, crit, opposed=opposed)
            inputs = {"timeline": (Path(timeline_dir) / "timeline.parquet", request.asked)}
        else:
            column = "patient_id" if patients_file else "accession_number"
            path = patients_file or accessions_file
            request = request_from_ids(path, column, start=start, end=end, modality=modality,
                                       opposed=opposed)
            inputs = {request.source: (path, request.asked)}
        with _client(config, via) as client:
            result = find_studies(client, request, max_results=max_results,
                                  progress=_progress(progress))
        write_parquet(result.studies, output)
        counts = {"asked": request.asked, "found": len(result.studies),
                  "excluded_opposition": result.excluded_opposition, "queries": result.queries,
                  "split_queries": result.splits, "truncated_queries": result.truncated,
                  "not_found": result.not_found}
        doc = record_run("pacs find", parameters={"pacs": str(pacs_file), "via": via,
                                                  "max_results": max_results},
                         cohort=request.definition, counts=counts, inputs=inputs,
                         outputs={Path(output).name: len(result.studies)}, registry=registry,
                         outdir=Path(output).parent)
        sidecar(output).write_text(json.dumps(doc, indent=2, sort_keys=True, default=str),
                                   encoding="utf-8")
    except RadlinkError as exc:
        _fail("find", exc)
    click.echo(f"Studies written to {output} (run {doc['run_id']}, via {via})")
    asked = {"timeline": "cohort exams", "patients": "patients", "accessions": "accession numbers"}
    click.echo(f"  asked: {request.asked:,} {asked[request.source]}; studies found: "
               f"{len(result.studies):,} in {result.queries:,} queries")
    if result.splits:
        click.echo(f"  {result.splits:,} answers reached the cap of {max_results} results: their "
                   "date ranges were split until every answer was below it")
    if result.truncated:
        click.echo(f"  warning: {result.truncated:,} single-day queries still reached the cap; "
                   "their studies may be incomplete", err=True)
    if result.not_found:
        click.echo(f"  cohort exams the PACS did not answer: {result.not_found:,}")
    if result.excluded_opposition:
        click.echo(f"  excluded by opposition: {result.excluded_opposition:,}")


@pacs.command("retrieve")
@click.argument("studies", type=click.Path(exists=True, dir_okay=False))
@click.option("--pacs", "pacs_file", required=True, type=click.Path(exists=True, dir_okay=False),
              help="PACS description (TOML).")
@click.option("-o", "--outdir", required=True, type=click.Path(file_okay=False),
              help="Output folder: files/, review/, retrieval.parquet (a rerun resumes it).")
@click.option("--method", type=click.Choice(["c-get", "c-move", "wado"]), default="c-get",
              show_default=True, help="DIMSE C-GET, C-MOVE (needs [dimse] storage_port) or WADO-RS.")
@click.option("--pseudonymise", is_flag=True,
              help="PS3.15 basic profile, the tables' pseudonyms and date offsets, keyed UIDs.")
@click.option("--key-file", type=click.Path(exists=True, dir_okay=False),
              help="File holding the pseudonymisation key (else RADLINK_PSEUDONYM_KEY).")
@click.option("--timeline", "timeline_dir", type=click.Path(exists=True, file_okay=False),
              help="The timeline folder the studies were found from: each study takes its "
                   "timeline patient's pseudonym and date offset, and names to scrub.")
@click.option("--keep-patient-characteristics", is_flag=True,
              help="Retain Patient Characteristics option (age, sex, size, weight).")
@click.option("--registry", type=click.Path(dir_okay=False),
              help="Registry file (.jsonl or .parquet) to which this run appends one line.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr.")
def retrieve_command(studies, pacs_file, outdir, method, pseudonymise, key_file, timeline_dir,
                     keep_patient_characteristics, registry, progress):
    """Retrieve the studies of STUDIES (from `radlink pacs find`) into OUTDIR, resumably.

    A rerun fetches only what is missing. Writes OUTDIR/retrieval.parquet
    (study_instance_uid, status done/partial/failed, n_expected, n_received, reason);
    instances that may show burned-in text go to OUTDIR/review/ (review.parquet).
    Exits with status 2 when a study is partial or failed (rerun to resume).
    """
    import pandas as pd

    from radlink.pacs.config import read_pacs_config
    from radlink.pacs.register import record_run
    from radlink.pacs.retrieve import retrieve_studies

    try:
        config = read_pacs_config(pacs_file)
        table = pd.read_parquet(studies)
        deidentifier, pseudonymiser = None, None
        if pseudonymise:
            deidentifier = _deidentifier(key_file, timeline_dir, table, keep_patient_characteristics)
            pseudonymiser = deidentifier.p
        elif timeline_dir or key_file:
            raise click.UsageError("--timeline and --key-file go with --pseudonymise")
        via = "dicomweb" if method == "wado" else "dimse"
        with _client(config, via) as client:
            result = retrieve_studies(table, client, outdir, method=method,
                                      deidentifier=deidentifier, progress=_progress(progress))
        found = sidecar(studies)
        request = json.loads(found.read_text(encoding="utf-8")) if found.exists() else {}
        asked = request.get("counts", {})
        status = result.status_counts()
        counts = {"asked": asked.get("asked"), "found": len(table), "retrieved": status["done"],
                  "pseudonymised": int(result.studies["n_received"].sum()) if pseudonymise else 0,
                  "excluded_opposition": asked.get("excluded_opposition"),
                  "partial": status["partial"], "failed": status["failed"],
                  "instances_received": int(result.studies["n_received"].sum()),
                  "instances_this_run": result.received, "held_for_review": len(result.review)}
        doc = record_run("pacs retrieve", parameters={"pacs": str(pacs_file), "method": method,
                                                      "keep_patient_characteristics": keep_patient_characteristics,
                                                      "find_run_id": request.get("run_id")},
                         cohort=request.get("cohort", {}), counts=counts,
                         inputs={"studies": (studies, len(table))},
                         outputs={"retrieval.parquet": len(result.studies),
                                  "review.parquet": len(result.review)},
                         pseudonymiser=pseudonymiser, registry=registry, outdir=outdir)
        (Path(outdir) / "manifest.json").write_text(
            json.dumps(doc, indent=2, sort_keys=True, default=str), encoding="utf-8")
    except RadlinkError as exc:
        _fail("retrieve", exc)
    rate = result.received / result.seconds if result.seconds else 0.0
    click.echo(f"Retrieved into {outdir} (run {doc['run_id']}, {method}): "
               f"{status['done']:,} done, {status['partial']:,} partial, {status['failed']:,} failed")
    click.echo(f"  instances received by this run: {result.received:,} ({rate:,.1f}/s)")
    if len(result.review):
        click.echo(f"  held for review (burned-in text possible): {len(result.review):,} instances "
                   f"under {Path(outdir) / 'review'} (see review.parquet)")
    if status["partial"] or status["failed"]:
        sys.exit(2)


def _deidentifier(key_file, timeline_dir, studies, keep_patient_characteristics):
    """The DICOM pseudonymiser, with the timeline's patients when a timeline is given."""
    import pandas as pd

    from radlink.errors import InputFileError
    from radlink.pacs.deidentify_dicom import DicomPseudonymiser
    from radlink.pacs.request import timeline_dataset, timeline_manifest
    from radlink.privacy.deidentify import identities_from_tables
    from radlink.privacy.pseudonymise import Pseudonymiser, read_key

    p = Pseudonymiser(read_key(key_file))
    if not timeline_dir:
        return DicomPseudonymiser(p, keep_patient_characteristics=keep_patient_characteristics)
    manifest = timeline_manifest(timeline_dir)
    if manifest.get("pseudonymised"):
        raise InputFileError(f"timeline folder {str(timeline_dir)!r} was pseudonymised: give the "
                             "folder of the run the studies were found from (without --pseudonymise)")
    events = pd.read_parquet(Path(timeline_dir) / "timeline.parquet")
    exams = events[events["event_type"] == "exam"].drop_duplicates("exam_id")
    exam_patient = dict(zip(exams["exam_id"], exams["patient_id"], strict=True))
    study_exam = dict(zip(studies["study_instance_uid"], studies["exam_id"], strict=True))

    def patient_of(study_uid: str, file_patient: str | None) -> str | None:
        return exam_patient.get(study_exam.get(study_uid)) or file_patient

    dataset = timeline_dataset(timeline_dir, manifest)  # names and ids to find in free text
    identities = identities_from_tables(dataset.patients, dataset.exams) if dataset else {}
    return DicomPseudonymiser(p, patient_of=patient_of, identities=identities,
                              keep_patient_characteristics=keep_patient_characteristics)
