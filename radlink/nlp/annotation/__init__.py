"""Findings in annotation tools' formats (BRAT, Label Studio) and back, for human review.

radlink's findings pre-annotate the reports, an annotator corrects them in the tool, and
``radlink evaluate-nlp`` reads the corrected files back as gold (:func:`load_annotations`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from radlink.nlp.annotation.brat import is_brat_folder, read_brat, write_brat
from radlink.nlp.annotation.labelstudio import (
    is_labelstudio_file,
    read_labelstudio,
    write_labelstudio,
)

__all__ = ["write_brat", "read_brat", "write_labelstudio", "read_labelstudio", "load_annotations",
           "annotation_source"]


def annotation_source(path: str | Path) -> Path | None:
    """The BRAT folder or Label Studio file at ``path`` (a folder holding ``tasks.json`` too), or None."""
    path = Path(path)
    if is_labelstudio_file(path) or is_brat_folder(path):
        return path
    if path.is_dir() and is_labelstudio_file(path / "tasks.json"):
        return path / "tasks.json"
    return None


def load_annotations(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a BRAT folder or a Label Studio file as (reports, findings)."""
    source = annotation_source(path)
    if source is not None and source.is_file():
        return read_labelstudio(source)
    return read_brat(path)
