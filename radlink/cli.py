"""The ``radlink`` command line.

Each command lives beside the code it drives and is imported only when it runs, so
that ``radlink --help`` stays fast and a command's heavy dependencies (edsnlp, pydicom)
load only when needed. Commands are listed in :data:`COMMANDS` as ``module:attribute``.
"""

from __future__ import annotations

import importlib

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
    "count": "radlink.timeline.cli:count",
    "redcap-prefill": "radlink.redcap.cli:redcap_prefill",
    "link": "radlink.linkage.cli:link_command",
    "evaluate-linkage": "radlink.linkage.cli:evaluate_linkage",
    "train-linkage-model": "radlink.synth.train_cli:train",
    "deidentify": "radlink.privacy.deidentify_cli:deidentify_command",
}
"""Command name -> ``module:attribute`` of its click command."""


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
