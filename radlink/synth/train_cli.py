"""``radlink train-linkage-model``: re-estimate the shipped exam→patient scorer.

The scorer is estimated *without labels*, the way it would be on a real warehouse:
u probabilities from random exam–patient pairs, then m and lambda by EM on the blocked
candidates (see :func:`radlink.linkage.exam_patient.estimate_scorer`). It is trained on
freshly generated synthetic data (or on a dataset directory you give), and the truth,
when there is one, is used only to print how well the new scorer links.
"""

from __future__ import annotations

from pathlib import Path

import click

from radlink.dataset import mapping_option

__all__ = ["train", "train_exam_patient_scorer"]


def train_exam_patient_scorer(patients, exams, *, seed: int = 0, workers: int = 1):
    """Fit a :class:`~radlink.models.FellegiSunterScorer` on unlabelled tables.

    Examples
    --------
    >>> from radlink.synth import generate
    >>> ds = generate(300, seed=5)
    >>> scorer = train_exam_patient_scorer(ds.patients, ds.exams)
    >>> scorer.bayes_factors()["ipp"]["0"] > 5
    True
    """
    from radlink.linkage.exam_patient import estimate_scorer
    from radlink.tables import validate_table

    return estimate_scorer(validate_table(exams, "exams"), validate_table(patients, "patients"),
                           seed=seed, workers=workers)


@click.command("train-linkage-model")
@click.option("--patients", "n_patients", type=int, default=20_000, show_default=True,
              help="Patients of the synthetic training set (about 4 exams each).")
@click.option("--seed", type=int, default=2024, show_default=True, help="Generator seed.")
@click.option("--dataset", "dataset_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Train on this dataset directory instead of generated data.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the JSON scorer. Load it with "
                   "radlink.models.FellegiSunterScorer.load and pass it to link(scorer=...).")
@mapping_option
@click.option("--replace-shipped-model", is_flag=True,
              help="Allow OUTPUT to be the model shipped inside radlink (developers only).")
def train(n_patients: int, seed: int, dataset_dir: Path | None, output: Path,
          mapping: str | None, replace_shipped_model: bool) -> None:
    """Re-estimate the exam→patient Fellegi–Sunter scorer (EM, no labels) and save it as JSON.

    \b
    Example (what produced the shipped file, from a source checkout):
        radlink train-linkage-model --patients 20000 --seed 2024 \\
            -o radlink/models/exam_patient_fs.json --replace-shipped-model
    """
    import json

    from radlink.linkage.api import link
    from radlink.linkage.evaluation import evaluate_links, format_report
    from radlink.models import EXAM_PATIENT_MODEL

    if output.resolve() == EXAM_PATIENT_MODEL.resolve() and not replace_shipped_model:
        raise click.UsageError("OUTPUT is the model shipped inside radlink: write elsewhere, or add "
                               "--replace-shipped-model to replace it on purpose.")
    truth = faults = None
    if dataset_dir is not None:
        from radlink.dataset import load_dataset
        from radlink.linkage.evaluation import load_truth

        ds = load_dataset(dataset_dir, mapping=mapping)
        patients, exams = ds.patients, ds.exams
        if (dataset_dir / "truth" / "links.parquet").exists():
            truth, faults = load_truth(dataset_dir)
    else:
        from radlink.synth import generate

        ds = generate(n_patients, seed=seed)
        patients, exams = ds.patients, ds.exams
        truth, faults = ds.links, ds.exam_faults
    scorer = train_exam_patient_scorer(patients, exams, seed=seed, workers=-1)
    scorer.save(output)
    click.echo(f"EM: {scorer.n_iter_} iterations, lambda={scorer.lambda_:.3f}")
    click.echo("match weights (log2 m/u) per comparison level:")
    click.echo(json.dumps({k: {lv: round(w, 2) for lv, w in v.items()}
                           for k, v in scorer.bayes_factors().items()}))
    if truth is not None:
        links = link(patients=patients, exams=exams, scorer=scorer)
        table = evaluate_links(links, truth[truth["target_type"] == "patient"], faults)
        click.echo(format_report(table))
    click.echo(f"wrote {output}")
