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
    """A ReportExtractor whose pipeline is built once."""
    from radlink.nlp import ReportExtractor

    ex = ReportExtractor()
    _ = ex.nlp
    return ex
