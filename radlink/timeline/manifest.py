"""The run manifest (what a run read, did and wrote) and the registry of runs.

``OUTDIR/manifest.json`` records the radlink version, the parameters (never a key, a
path to a key is recorded as given), the input files with their SHA-256 and row
counts, the output files with their row counts, the per-table accounting

    in = linked + ambiguous + unlinked + excluded_opposition

and the duration. ``run_id`` is a hash of the inputs' hashes and the parameters, so
two runs over the same data with the same options share it.

A registry is a file the team names (``.jsonl`` or ``.parquet``) to which every run
appends one line, so that a team can see which extractions already exist.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

import radlink
from radlink.errors import OutputError

__all__ = ["RunManifest", "sha256_file", "append_to_registry"]


def sha256_file(path: str | Path, chunk_size: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes, read in chunks.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> sha256_file(p)[:12]
    'ba7816bf8f01'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class RunManifest:
    """What one run read, did and wrote.

    Examples
    --------
    >>> m = RunManifest(command="timeline", parameters={"jobs": 1})
    >>> m.add_accounting("exams", n_in=10, linked=7, ambiguous=1, unlinked=1, excluded_opposition=1)
    >>> m.check_accounting()
    >>> m.accounting["exams"]["in"]
    10
    """

    command: str
    parameters: dict[str, Any]
    radlink_version: str = field(default_factory=lambda: radlink.__version__)
    inputs: list[dict[str, Any]] = field(default_factory=list)
    outputs: list[dict[str, Any]] = field(default_factory=list)
    accounting: dict[str, dict[str, int]] = field(default_factory=dict)
    excluded_patients: int = 0
    pseudonymised: bool = False
    key_fingerprint: str | None = None
    started_at: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    duration_s: float | None = None
    _t0: float = field(default_factory=time.perf_counter, repr=False)

    def add_input(self, table: str, path: str | Path, rows: int) -> None:
        """Record an input file with its content hash and row count."""
        self.inputs.append(
            {"table": table, "path": str(path), "sha256": sha256_file(path), "rows": int(rows)}
        )

    def add_output(self, name: str, rows: int) -> None:
        """Record an output file with its row count."""
        self.outputs.append({"file": name, "rows": int(rows)})

    def add_accounting(
        self, table: str, *, n_in: int, linked: int, ambiguous: int, unlinked: int,
        excluded_opposition: int = 0,
    ) -> None:
        """Record how the rows of one input table ended up."""
        self.accounting[table] = {
            "in": int(n_in), "linked": int(linked), "ambiguous": int(ambiguous),
            "unlinked": int(unlinked), "excluded_opposition": int(excluded_opposition),
        }

    def check_accounting(self) -> None:
        """Raise if a table's rows do not add up (a row was lost or counted twice)."""
        for table, a in self.accounting.items():
            total = a["linked"] + a["ambiguous"] + a["unlinked"] + a["excluded_opposition"]
            if total != a["in"]:
                raise OutputError(
                    f"accounting of table {table!r} does not add up: in={a['in']} but "
                    f"linked+ambiguous+unlinked+excluded={total}; this is a radlink bug, please report it"
                )

    @property
    def run_id(self) -> str:
        """Hash of the inputs' content, the parameters and the key's fingerprint (never the key).

        Two runs on the same inputs with different keys give different pseudonyms, so
        they get different run ids.
        """
        payload = json.dumps(
            {"inputs": sorted(i["sha256"] for i in self.inputs), "parameters": self.parameters,
             "version": self.radlink_version, "key": self.key_fingerprint},
            sort_keys=True, default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def finish(self) -> dict[str, Any]:
        """Stop the clock and return the manifest as a JSON-ready dict."""
        self.duration_s = round(time.perf_counter() - self._t0, 3)
        out = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        out["run_id"] = self.run_id
        return out


def append_to_registry(registry: str | Path, manifest: dict[str, Any], outdir: str | Path,
                       extra: dict[str, Any] | None = None) -> None:
    """Append one line describing a run to a registry file (``.jsonl`` or ``.parquet``).

    The line holds the run id, date, command, version, output directory, parameters,
    input hashes and per-table counts: enough to find an extraction again, nothing that
    identifies a patient. ``extra`` adds fields to the line (``radlink pacs`` adds its
    counts and the key's fingerprint; dicts are written as JSON text).

    Examples
    --------
    >>> import tempfile, pathlib, json
    >>> reg = pathlib.Path(tempfile.mkdtemp()) / "runs.jsonl"
    >>> m = RunManifest(command="timeline", parameters={}).finish()
    >>> append_to_registry(reg, m, "out"); append_to_registry(reg, m, "out")
    >>> len(reg.read_text().splitlines())
    2
    """
    registry = Path(registry)
    line = {
        "run_id": manifest["run_id"],
        "started_at": manifest["started_at"],
        "command": manifest["command"],
        "radlink_version": manifest["radlink_version"],
        "outdir": str(Path(outdir).resolve()),
        "parameters": json.dumps(manifest["parameters"], sort_keys=True, default=str),
        "inputs": json.dumps(
            {i["table"]: i["sha256"] for i in manifest["inputs"]}, sort_keys=True
        ),
        "rows": json.dumps({o["file"]: o["rows"] for o in manifest["outputs"]}, sort_keys=True),
        "pseudonymised": manifest["pseudonymised"],
        "duration_s": manifest["duration_s"],
    }
    for name, value in (extra or {}).items():
        line[name] = json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else value
    registry.parent.mkdir(parents=True, exist_ok=True)
    if registry.suffix == ".parquet":
        from radlink.outputs import whole_file, write_parquet

        previous = pd.read_parquet(registry) if registry.exists() else None
        df = pd.DataFrame([line])
        if previous is not None:
            df = pd.concat([previous, df], ignore_index=True)
        with whole_file(registry) as tmp:
            write_parquet(df, tmp)
    elif registry.suffix in (".jsonl", ".json", ".ndjson"):
        with open(registry, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    else:
        raise OutputError(f"registry {str(registry)!r}: use a .jsonl or .parquet file")
