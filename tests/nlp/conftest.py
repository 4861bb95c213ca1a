"""Shared fixtures of the radlink.nlp tests: pipelines are built once per session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    """The default radlink pipeline."""
    from radlink.nlp import pipeline

    return pipeline()


@pytest.fixture(scope="session")
def extractor():
    """A ReportExtractor whose pipeline is built once: the rules alone (the learned lesion
    verifier, on by default, is tested in ``test_verifier.py`` and by the quality floors)."""
    from radlink.nlp import ReportExtractor

    ex = ReportExtractor(verify_lesions=False)
    _ = ex.nlp
    return ex


def finding_rows(extractor, text: str, columns: list[str], *, heading: str = "Résultats :\n",
                 title: str | None = None) -> list[tuple]:
    """The lesion findings of one report ``heading + text`` (titled ``title`` when given), as
    tuples of ``columns`` (None for missing)."""
    import pandas as pd

    report = {"report_id": ["R"], "text": [heading + text]}
    if title is not None:
        report["title"] = [title]
    out = extractor.extract(pd.DataFrame(report))
    f = out.findings[out.findings.kind == "lesion"]
    return [tuple(None if pd.isna(v) else v for v in row) for row in f[list(columns)].itertuples(index=False)]
