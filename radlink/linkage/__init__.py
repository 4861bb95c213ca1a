"""Reconciliation of exams, patients, reports and stays.

Public surface (everything else is internal):

* :func:`link` — the four link types as one ``links`` table;
* :class:`LinkageSettings` — thresholds, windows, tolerances (a plain dataclass);
* the comparison vocabulary (``JaroWinklerAtThresholds``, ``DateOfBirthAtThresholds``,
  ``IppAtThresholds``, ``ExactMatch``, ``AbsoluteTimeDifferenceAtThresholds``);
* :func:`evaluate_links` — precision / recall / F1 against a generator's truth.

Examples
--------
>>> from radlink.linkage import link, LinkageSettings
>>> LinkageSettings().exam_patient_threshold
0.5
"""

from radlink.linkage.api import LINK_COLUMNS, LINK_TYPES, ipp_other_format, link, reattached
from radlink.linkage.comparisons import (
    AbsoluteTimeDifferenceAtThresholds,
    DateOfBirthAtThresholds,
    ExactMatch,
    IppAtThresholds,
    JaroWinklerAtThresholds,
)
from radlink.linkage.evaluation import evaluate_links, format_report, load_truth
from radlink.linkage.settings import LinkageSettings

__all__ = [
    "link",
    "reattached",
    "ipp_other_format",
    "LINK_COLUMNS",
    "LINK_TYPES",
    "LinkageSettings",
    "JaroWinklerAtThresholds",
    "DateOfBirthAtThresholds",
    "IppAtThresholds",
    "ExactMatch",
    "AbsoluteTimeDifferenceAtThresholds",
    "evaluate_links",
    "format_report",
    "load_truth",
]
