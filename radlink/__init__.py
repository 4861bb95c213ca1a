"""radlink: research-ready patient timelines from a hospital's imaging data.

The public face, loaded on first use so that ``import radlink`` stays light:

======================  ===============================================================
``load_dataset``        read and validate a dataset folder (:mod:`radlink.dataset`)
``ReportExtractor``     facts and findings of French imaging reports (:mod:`radlink.nlp`)
``link``                exam→patient, report→exam, exam/report→stay links (:mod:`radlink.linkage`)
``build_timeline``      NLP + linkage + timeline, opposition, pseudonymisation (:mod:`radlink.timeline`)
``pseudonymise``        pseudonymise timeline outputs (:mod:`radlink.timeline.pseudonymise`)
``prefill_redcap``      REDCap records from a timeline output (:mod:`radlink.redcap`)
======================  ===============================================================

Rooms, from the bottom up (each imports only from rooms below it): the core
(:mod:`~radlink.errors`, :mod:`~radlink.vocabulary`, :mod:`~radlink.workers`,
:mod:`~radlink.tables`, :mod:`~radlink.outputs`, :mod:`~radlink.dataset`), then
:mod:`radlink.privacy`, :mod:`radlink.models`, :mod:`radlink.dicom`, :mod:`radlink.nlp`,
:mod:`radlink.linkage`, then :mod:`radlink.timeline`, :mod:`radlink.redcap`, then
:mod:`radlink.synth` (the synthetic warehouse, a development tool) and :mod:`radlink.cli`.

Examples
--------
>>> import radlink
>>> ds = radlink.load_dataset("data_samples")
>>> sorted(ds.summary())[:2]
['exams', 'patients']
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("radlink")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

_PUBLIC: dict[str, tuple[str, str]] = {
    "load_dataset": ("radlink.dataset", "load_dataset"),
    "ReportExtractor": ("radlink.nlp", "ReportExtractor"),
    "link": ("radlink.linkage", "link"),
    "build_timeline": ("radlink.timeline.job", "build_timeline"),
    "pseudonymise": ("radlink.timeline.pseudonymise", "pseudonymise"),
    "prefill_redcap": ("radlink.redcap.prefill", "prefill"),
}
"""Public name -> (module, attribute), imported when first used."""

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        module, attribute = _PUBLIC[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'radlink' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
