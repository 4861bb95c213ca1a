"""The extraction register: one line per ``radlink pacs`` run, in the timeline job's registry.

A line is the timeline job's registry line (:func:`radlink.timeline.manifest.append_to_registry`:
run id, date, command, version, output, parameters, input hashes) with three more
fields: ``cohort`` (the cohort definition: source, criteria, the timeline's run id),
``counts`` (asked, found, retrieved, pseudonymised, excluded by opposition, and the
step's own) and ``key_fingerprint`` (:attr:`radlink.privacy.Pseudonymiser.fingerprint`,
never the key). The run id is :attr:`radlink.timeline.manifest.RunManifest.run_id`.
The same document is written beside the output (``manifest.json``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from radlink.privacy.pseudonymise import Pseudonymiser
from radlink.timeline.manifest import RunManifest, append_to_registry

__all__ = ["COUNT_KEYS", "record_run"]

COUNT_KEYS: tuple[str, ...] = ("asked", "found", "retrieved", "pseudonymised", "excluded_opposition")
"""Counts every register line holds (a step that does not know one writes null)."""


def record_run(command: str, *, parameters: dict[str, Any], cohort: dict[str, Any],
               counts: dict[str, Any], inputs: dict[str, tuple[str | Path, int]],
               outputs: dict[str, int], pseudonymiser: Pseudonymiser | None = None,
               registry: str | Path | None = None, outdir: str | Path = ".") -> dict[str, Any]:
    """Build the run's manifest, append it to ``registry`` (if given), return it.

    Examples
    --------
    >>> import tempfile, pathlib, json
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "runs.jsonl"
    >>> doc = record_run("pacs find", parameters={"via": "dimse"}, cohort={"source": "patients"},
    ...                  counts={"asked": 3, "found": 5}, inputs={}, outputs={"studies.parquet": 5},
    ...                  registry=reg)
    >>> line = json.loads(reg.read_text())
    >>> line["command"], json.loads(line["counts"])["found"], line["run_id"] == doc["run_id"]
    ('pacs find', 5, True)
    """
    manifest = RunManifest(command=command, parameters={**parameters, "cohort": cohort})
    for name, (path, rows) in inputs.items():
        manifest.add_input(name, path, rows)
    for name, rows in outputs.items():
        manifest.add_output(name, rows)
    manifest.pseudonymised = pseudonymiser is not None
    manifest.key_fingerprint = pseudonymiser.fingerprint if pseudonymiser is not None else None
    doc = manifest.finish()
    doc["cohort"] = cohort
    doc["counts"] = {**dict.fromkeys(COUNT_KEYS), **counts}
    if registry:
        append_to_registry(registry, doc, outdir, extra={
            "cohort": cohort, "counts": doc["counts"], "key_fingerprint": doc["key_fingerprint"]})
    return doc
