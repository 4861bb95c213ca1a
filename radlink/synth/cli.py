"""``radlink synth``: generate a synthetic warehouse and write it with its truth."""

from __future__ import annotations

import sys
import time

import click

from radlink.errors import RadlinkError
from radlink.synth.profiles import PROFILES

__all__ = ["synth"]


@click.command("synth")
@click.option("--patients", "n_patients", type=click.IntRange(min=1), required=True,
              help="Number of registry patients (about 4 exams each).")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Random seed: same patients and seed give identical files.")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Output directory (created if needed; files of the same names are replaced).")
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet",
              show_default=True, help="File format of every table.")
@click.option("--profile", "profile", type=click.Choice(sorted(PROFILES)), default="default",
              show_default=True, help="Site profile: the warehouse's reporting habits (delays, titles, "
              "accession numbers, addenda).")
def synth(n_patients: int, seed: int, out_dir: str, fmt: str, profile: str) -> None:
    """Generate a synthetic French imaging warehouse with its truth.

    Writes OUTPUT/{patients,stays,exams,reports}.<format> (canonical tables) and
    OUTPUT/truth/{links,exam_faults,report_facts,findings}.<format>. All data are
    synthetic; only counts and timings are printed.

    \b
    Example:
        radlink synth --patients 50 --seed 7 -o data_samples
        radlink synth --patients 2000 --seed 1 --profile pet_queue -o pet_queue
    """
    from radlink.synth import generate, write_dataset

    start = time.perf_counter()
    try:
        ds = generate(n_patients, seed, progress=lambda message: click.echo(f"  {message}", err=True),
                      profile=profile)
        t_write = time.perf_counter()
        written = write_dataset(ds, out_dir, format=fmt)
    except RadlinkError as exc:
        click.echo(f"radlink synth: {exc}", err=True)
        sys.exit(1)
    t_end = time.perf_counter()
    click.echo(f"Synthetic warehouse written to {out_dir} ({fmt}, seed {seed}, profile {profile})")
    for name, path in written.items():
        table = name.split("/")[-1]
        df = ds.truth()[table] if name.startswith("truth/") else ds.tables()[table]
        click.echo(f"  {name:<19} {len(df):>10,} rows   {path.name}")
    faults = ds.exam_faults["fault"]
    bad = float((faults != "none").mean()) if len(faults) else 0.0
    noisy = float((ds.exam_faults["identity_noise"] != "").mean()) if len(faults) else 0.0
    click.echo(f"  badly attached exams: {bad:.1%}; exams with identity noise: {noisy:.1%}")
    click.echo(f"  generated in {t_write - start:.1f} s, written in {t_end - t_write:.1f} s")
