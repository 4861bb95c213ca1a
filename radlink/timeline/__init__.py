"""The timeline job: NLP + linkage → per-patient timeline, opposition, pseudonymisation.

Its steps, each a module:

- :mod:`~radlink.timeline.assemble`: events of every patient from tables, links, facts;
- :mod:`~radlink.timeline.opposition`: opposed patients' rows leave every output;
- :mod:`~radlink.timeline.pseudonymise`: keyed pseudonyms, shifted dates, scrubbed text;
- :mod:`~radlink.timeline.job`: :func:`build_timeline` chains them, :func:`run_timeline`
  writes the output folder with its :mod:`~radlink.timeline.manifest`;
- :mod:`~radlink.timeline.count` and :mod:`~radlink.timeline.plot` read an output folder.

Importing this package is light: the job's modules load when first used.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["build_timeline", "run_timeline", "TimelineOutputs", "exclude_opposed"]

_LAZY = {
    "build_timeline": "radlink.timeline.job",
    "run_timeline": "radlink.timeline.job",
    "TimelineOutputs": "radlink.timeline.result",
    "exclude_opposed": "radlink.timeline.opposition",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
