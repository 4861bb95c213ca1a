"""The ``radlink`` command line.

Each command lives beside the code it drives and is imported only when it runs, so
that ``radlink --help`` stays fast and a command's heavy dependencies (edsnlp, pydicom)
load only when needed. Commands are listed in :data:`COMMANDS` as ``module:attribute``.
"""

from __future__ import annotations

import importlib
import warnings

import click

__all__ = ["main", "COMMANDS"]

COMMANDS: dict[str, str] = {
    "extract": "radlink.nlp.cli:extract",
    "evaluate-nlp": "radlink.nlp.evaluation_cli:evaluate_nlp",
    "ingest-dicom": "radlink.dicom.cli:ingest_dicom",
    "synth": "radlink.synth.cli:synth",
    "validate": "radlink.dataset_cli:validate",
    "timeline": "radlink.timeline.cli:timeline",
    "plot": "radlink.timeline.cli:plot",
    "profile": "radlink.profile.cli:profile",
    "count": "radlink.timeline.cli:count",
    "redcap-prefill": "radlink.redcap.cli:redcap_prefill",
    "link": "radlink.linkage.cli:link_command",
    "evaluate-linkage": "radlink.linkage.cli:evaluate_linkage",
    "train-linkage-model": "radlink.synth.train_cli:train",
    "train-lesion-verifier": "radlink.nlp.verifier_cli:train_verifier",
    "deidentify": "radlink.deidentify_cli:deidentify_command",
    "export": "radlink.export.cli:export_command",
    "pacs": "radlink.pacs.cli:pacs",
}
"""Command name -> ``module:attribute`` of its click command."""

SUMMARIES: dict[str, str] = {
    "count": "Count patients and exams of a timeline matching simple criteria.",
    "deidentify": "De-identify the text and title of the REPORTS table into OUTPUT.",
    "evaluate-linkage": "Precision, recall and F1 per link type against DATASET_DIR/truth.",
    "evaluate-nlp": "Score the report extractor against gold: per-field precision, recall and F1.",
    "export": "Export a timeline as OMOP CDM 5.4 tables, or findings for annotators (BRAT, Label Studio).",
    "extract": "Extract report facts and findings from REPORTS (.parquet or .csv).",
    "ingest-dicom": "Read the header of every file under DIRECTORY and write one exams row per study.",
    "link": "Link exams to patients and stays, and reports to exams and stays.",
    "pacs": "Find and retrieve a cohort's images from a PACS, pseudonymised, with a register.",
    "plot": "Draw the timeline of PATIENT_ID (a pseudonym if the run was pseudonymised).",
    "profile": "Profile DATASET_DIR per year and site: IPPs that match, re-attached exams, reports, stays, delays.",
    "redcap-prefill": "Pre-fill a REDCap import from a timeline OUTDIR.",
    "synth": "Generate a synthetic French imaging warehouse with its truth.",
    "timeline": "Build patient timelines from DATASET_DIR into OUTDIR.",
    "train-lesion-verifier": "Train the lesion verifier on the development gold sets and save it as JSON.",
    "train-linkage-model": "Re-estimate the exam→patient Fellegi–Sunter scorer (EM, no labels) and save it as JSON.",
    "validate": "Validate the canonical tables of DATASET_DIR and print what they hold.",
}
"""Command name -> the first line of its help, shown by ``radlink --help`` without importing
the command (a test checks that each equals the command's own)."""


class _LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands from :data:`SUMMARIES`: ``--help`` imports none of them."""
        rows = [(name, SUMMARIES.get(name, "")) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="radlink")
def main() -> None:
    """radlink: research-ready patient timelines from a hospital's imaging data.

    Typical run on a dataset directory holding patients, stays, exams and reports
    (parquet or CSV):

    \b
        radlink validate data_samples
        radlink ingest-dicom data_samples/dicom -o out/exams_from_dicom.parquet
    """
    warnings.showwarning = _show_warning


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """radlink's warnings as one plain line (they name tables, columns and rows, never values)."""
    from radlink.errors import RadlinkWarning

    if issubclass(category, RadlinkWarning):
        click.echo(f"radlink: warning: {message}", err=True)
    else:
        _default_show_warning(message, category, filename, lineno, file, line)


_default_show_warning = warnings.showwarning
