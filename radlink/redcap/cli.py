"""``radlink redcap-prefill``: a validated REDCap import file from a timeline output."""

from __future__ import annotations

import sys

import click

from radlink.errors import RadlinkError

__all__ = ["redcap_prefill"]


@click.command("redcap-prefill")
@click.argument("outdir", type=click.Path(exists=True, file_okay=False))
@click.option("-d", "--dictionary", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The project's data dictionary (CSV export, Project Setup > Data Dictionary).")
@click.option("-m", "--mapping", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Pre-filling mapping, TOML or YAML (see data_samples/redcap/lung_pet_map.toml).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Import CSV to write (REDCap flat format).")
@click.option("--provenance", type=click.Path(dir_okay=False), default=None,
              help="Provenance CSV [default: <output stem>_provenance.csv beside the import].")
@click.option("--upload", "do_upload", is_flag=True,
              help="Also import the records through the REDCap API (without it nothing is sent).")
@click.option("--api-url", envvar="REDCAP_API_URL",
              help="The project's API URL, ending in /api/ (or set REDCAP_API_URL).")
@click.option("--token-env", default="REDCAP_API_TOKEN", show_default=True,
              help="Environment variable holding the API token (the token is never an argument).")
def redcap_prefill(outdir, dictionary, mapping, output, provenance, do_upload, api_url, token_env):
    """Pre-fill a REDCap import from a timeline OUTDIR.

    OUTDIR is the output of `radlink timeline`. The mapping says which exam, finding or stay fills which REDCap field; the records
    are checked against the data dictionary before anything is written (unknown
    fields, codes outside the choices, malformed dates, numbers out of range, fields
    on the wrong repeating instrument, missing record id). Forms are marked
    Incomplete (0) for staff review; the provenance file gives, for each value, the
    report or exam it came from and a snippet.

    \b
    Example:
        radlink redcap-prefill out/timeline \\
            --dictionary data_samples/redcap/lung_pet_dictionary.csv \\
            --mapping data_samples/redcap/lung_pet_map.toml -o import.csv
        REDCAP_API_TOKEN=... radlink redcap-prefill ... --upload --api-url https://host/api/
    """
    from radlink.redcap import prefill, upload, write_import

    if do_upload and not api_url:
        raise click.UsageError("--upload needs --api-url (or REDCAP_API_URL).")
    try:
        result = prefill(outdir, dictionary, mapping)
        path, prov = write_import(result, output, provenance)
    except RadlinkError as exc:
        click.echo(f"radlink redcap-prefill: {exc}", err=True)
        sys.exit(1)
    s = result.summary
    click.echo(f"REDCap import written to {path} ({s['records']:,} records of {s['patients']:,} "
               f"patients, {s['rows']:,} rows); provenance in {prov}")
    for instrument, n in s["instances"].items():
        click.echo(f"  repeating instrument {instrument}: {n:,} instances")
    for fld, n in s["filled"].items():
        click.echo(f"  {fld:<28} {n:>8,} values")
    if result.pseudonymised:
        click.echo("  pseudonymised timeline: record ids are pseudonyms and dates are shifted per patient.")
    else:
        click.echo("  warning: record ids are the timeline's patient ids, not pseudonyms "
                   "(run `radlink timeline --pseudonymise` for pseudonymous records).", err=True)
    if not do_upload:
        click.echo("Dry run: nothing sent to REDCap (add --upload --api-url URL to import).")
        return
    try:
        report = upload(result, api_url, token_env=token_env, dry_run=False)
    except RadlinkError as exc:
        click.echo(f"radlink redcap-prefill: upload: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Uploaded to REDCap: {report.imported} records imported ({report.rows:,} rows, "
               f"dateFormat {report.date_format}).")
