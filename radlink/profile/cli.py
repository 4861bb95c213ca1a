"""``radlink profile``: the warehouse quality profile of a dataset folder."""

from __future__ import annotations

from pathlib import Path

import click

from radlink.dataset import mapping_option


@click.command("profile")
@click.argument("dataset_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML page to write (opens offline).")
@click.option("--by", type=click.Choice(["institution", "unit"]), default="institution", show_default=True,
              help="The exams' column that names a site.")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write the three tables as CSV into this folder.")
@mapping_option
def profile(dataset_dir: Path, output: Path, by: str, csv_dir: Path | None, mapping: str | None) -> None:
    """Profile DATASET_DIR per year and site: IPPs that match, re-attached exams, reports, stays, delays.

    Links the dataset first (as `radlink link` does), then counts per year and site
    what a data manager checks before trusting a cohort. Counts only: no identifier,
    no text.

    \b
    Example:
        radlink profile data_samples -o profile.html
    """
    from radlink.dataset import load_dataset
    from radlink.errors import RadlinkError
    from radlink.linkage.api import link
    from radlink.profile.figures import warehouse_profile
    from radlink.profile.report import write_profile_html

    try:
        ds = load_dataset(dataset_dir, mapping=mapping)
        links = link(patients=ds.patients, exams=ds.exams, stays=ds.stays, reports=ds.reports, validate=False)
        prof = warehouse_profile(ds.patients, ds.exams, ds.stays, ds.reports, links, by=by)
        write_profile_html(prof, output, title=f"Warehouse profile of {dataset_dir.name}")
        if csv_dir is not None:
            csv_dir.mkdir(parents=True, exist_ok=True)
            for name in ("exams", "reports", "stays"):
                getattr(prof, name).to_csv(csv_dir / f"profile_{name}.csv", index=False)
    except RadlinkError as exc:
        raise click.ClickException(str(exc)) from exc
    t = prof.totals
    click.echo(f"Profile written to {output}")
    click.echo(f"  exams {t['exams']:,}: IPP matches {t['exams_ipp_matches']:,}, re-attached {t['reattached']:,}, "
               f"unattached {t['exams_unattached']:,}, without report {t['exams_without_report']:,}")
    click.echo(f"  reports {t['reports']:,}: without exam {t['reports_without_exam']:,}; "
               f"stays {t['stays']:,}")
