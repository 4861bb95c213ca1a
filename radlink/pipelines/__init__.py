"""Deprecated: the old home of dataset loading, DICOM ingestion, timelines and REDCap.

``radlink.pipelines`` was dissolved into rooms that each hold one concern. Its old
module paths stay importable for one release: importing one warns with a
:class:`DeprecationWarning` that names the new path, and gives a module holding the
same objects. Import from the new paths:

================================  ================================
old                               new
================================  ================================
``radlink.pipelines.dataset``     ``radlink.dataset``
``radlink.pipelines.outputs``     ``radlink.outputs``
``radlink.pipelines.validate_cli`` ``radlink.dataset_cli``
``radlink.pipelines.dicom``       ``radlink.dicom``
``radlink.pipelines.pseudonymise`` ``radlink.privacy.pseudonymise``
``radlink.pipelines.opposition``  ``radlink.privacy.opposition``
``radlink.pipelines.redcap``      ``radlink.redcap``
``radlink.pipelines.synth``       ``radlink.synth``
``radlink.pipelines.timeline``    ``radlink.timeline.assemble``
``radlink.pipelines.timeline_job`` ``radlink.timeline.job``
``radlink.pipelines.timeline_cli`` ``radlink.timeline.cli``
``radlink.pipelines.manifest``    ``radlink.timeline.manifest``
``radlink.pipelines.plot``        ``radlink.timeline.plot``
``radlink.pipelines.count``       ``radlink.timeline.count``
================================  ================================

Examples
--------
>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     from radlink.pipelines.dataset import load_dataset
>>> import radlink.dataset
>>> load_dataset is radlink.dataset.load_dataset
True
>>> caught[0].category.__name__, "radlink.dataset" in str(caught[0].message)
('DeprecationWarning', True)
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
import warnings

MOVED: dict[str, str] = {
    "dataset": "radlink.dataset",
    "outputs": "radlink.outputs",
    "validate_cli": "radlink.dataset_cli",
    "dicom": "radlink.dicom",
    "pseudonymise": "radlink.privacy.pseudonymise",
    "opposition": "radlink.privacy.opposition",
    "redcap": "radlink.redcap",
    "synth": "radlink.synth",
    "timeline": "radlink.timeline.assemble",
    "timeline_job": "radlink.timeline.job",
    "timeline_cli": "radlink.timeline.cli",
    "manifest": "radlink.timeline.manifest",
    "plot": "radlink.timeline.plot",
    "count": "radlink.timeline.count",
}
"""Old module name (under ``radlink.pipelines``) -> its new home."""

_OWN_ATTRIBUTES = frozenset({"__name__", "__spec__", "__loader__", "__package__", "__path__",
                             "__file__", "__cached__"})


def new_name(old: str) -> str | None:
    """The new module path of an old ``radlink.pipelines.*`` path (None: not a moved module).

    Examples
    --------
    >>> new_name("radlink.pipelines.dicom.ingest")
    'radlink.dicom.ingest'
    >>> new_name("radlink.pipelines.timeline_job")
    'radlink.timeline.job'
    """
    prefix = __name__ + "."
    if not old.startswith(prefix):
        return None
    head, _, tail = old[len(prefix):].partition(".")
    if head not in MOVED:
        return None
    return MOVED[head] + ("." + tail if tail else "")


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Import an old path as a module that re-exports its new home, with a warning."""

    def find_spec(self, fullname, path=None, target=None):  # noqa: D102
        new = new_name(fullname)
        if new is None:
            return None
        is_package = hasattr(importlib.import_module(new), "__path__")
        return importlib.machinery.ModuleSpec(fullname, self, is_package=is_package)

    def create_module(self, spec):  # noqa: D102
        return types.ModuleType(spec.name)

    def exec_module(self, module):  # noqa: D102
        new = new_name(module.__name__)
        warnings.warn(f"{module.__name__} is deprecated and will be removed in the next "
                      f"release; import {new} instead.", DeprecationWarning, stacklevel=2)
        target = importlib.import_module(new)
        module.__dict__.update({k: v for k, v in vars(target).items() if k not in _OWN_ATTRIBUTES})


if not any(isinstance(f, _MovedModules) for f in sys.meta_path):
    sys.meta_path.insert(0, _MovedModules())
