"""``radlink train-lesion-verifier``: rebuild the lesion verifier from the development gold sets."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["train_verifier"]


@click.command("train-lesion-verifier")
@click.option("--gold-root", type=click.Path(file_okay=False, exists=True, path_type=Path), required=True,
              help="The folder holding the development gold sets (data_samples of a source checkout).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the JSON model (load it with radlink.models.load_lesion_verifier).")
@click.option("--threshold", type=float, default=0.3, show_default=True,
              help="Probability under which a lesion candidate is dropped (chosen by leave-one-set-out).")
@click.option("--cross-validate", is_flag=True,
              help="Also print lesion precision/recall of each development set left out, before and after.")
@click.option("--replace-shipped-model", is_flag=True,
              help="Allow OUTPUT to be the model shipped inside radlink (developers only).")
def train_verifier(gold_root: Path, output: Path, threshold: float, cross_validate: bool,
                   replace_shipped_model: bool) -> None:
    """Train the lesion verifier on the development gold sets and save it as JSON.

    \b
    Example (what produced the shipped file, from a source checkout):
        radlink train-lesion-verifier --gold-root data_samples \\
            -o radlink/models/lesion_verifier.json --replace-shipped-model
    """
    from radlink.models import LESION_VERIFIER_MODEL

    from .verifier_training import train_lesion_verifier

    if output.resolve() == LESION_VERIFIER_MODEL.resolve() and not replace_shipped_model:
        raise click.UsageError("OUTPUT is the model shipped inside radlink: write elsewhere, or add "
                               "--replace-shipped-model to replace it on purpose.")
    try:
        model, table = train_lesion_verifier(gold_root, threshold=threshold, cross_validate=cross_validate)
    except FileNotFoundError as exc:
        raise click.UsageError(str(exc)) from None
    if table is not None:
        table["threshold"] = table["threshold"].map(lambda t: "rules" if t != t else f"{t:.2f}")
        click.echo(table.round(3).to_string(index=False))
    model.save(output)
    click.echo(f"lesion verifier: {model.metadata['candidates']} candidates, "
               f"{int((model.weights != 0).sum())} weights -> {output}")
