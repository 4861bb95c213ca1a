"""radlink: research-ready patient timelines from a hospital's imaging data.

Subpackages
-----------
radlink.nlp
    spaCy/edsnlp pipes that read French imaging reports.
radlink.linkage
    Reconciliation of exams, patients, reports and stays.
radlink.pipelines
    Batch jobs: DICOM ingestion, synthetic data, timelines, pseudonymisation.
radlink.models
    Learned or estimated scorers shipped as small files.

The canonical input tables live in :mod:`radlink.tables`, the errors in
:mod:`radlink.errors`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("radlink")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
