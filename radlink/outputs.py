"""Atomic output directories: a run writes all its files or none.

A run takes a lock beside the output directory (``.OUTDIR.lock``, an exclusive
``flock``: a second run on the same directory fails at once instead of mixing its files
with the first one's), then writes into a staging directory beside it
(``.OUTDIR.partial-<pid>``). :meth:`OutputDir.commit` swaps whole directories: the old
OUTDIR is renamed aside, the staging directory renamed to OUTDIR, the old one removed
(renames are atomic on one file system). So OUTDIR holds one run's files or is absent
for an instant, never a mix: a manifest saying "pseudonymised" never sits beside tables
of another run. A run that fails or is killed leaves only its staging directory, which
the next run removes (its process is gone). A directory that holds files but no
``manifest.json`` is not a radlink output and is never replaced.

Parquet files are written with a fixed schema order and without pandas' index, so the
same tables give the same bytes (re-runs can be compared with a hash).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from radlink.errors import OutputError
from radlink.tables import none_for_missing

__all__ = ["OutputDir", "write_parquet", "whole_file"]


def write_parquet(df: pd.DataFrame | pa.Table, path: str | Path) -> None:
    """Write a table to parquet deterministically (no index, no creation timestamp).

    The file depends on the data only, not on the pandas that made it: text columns are
    written as ``string`` whether pandas holds them as ``object`` or as pandas 3's
    ``str`` dtype, and no pandas metadata (which names its version) is kept.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.parquet"
    >>> write_parquet(pd.DataFrame({"a": [1]}), p)
    >>> pd.read_parquet(p)["a"].tolist()
    [1]
    """
    table = df if isinstance(df, pa.Table) else pa.Table.from_pandas(none_for_missing(df), preserve_index=False)
    # pandas metadata holds nothing run-specific, but drop it so files depend on data only
    table = table.replace_schema_metadata(None)
    pq.write_table(table, path, compression="zstd")


@contextmanager
def whole_file(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` (``.NAME.<pid>.tmp``): it replaces ``path`` when the
    block ends, or is removed when the block fails. Readers see the old file or the new one,
    whole, never a part of it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "page.html"
    >>> with whole_file(out) as tmp:
    ...     _ = tmp.write_text("<p>done</p>")
    >>> out.read_text(), sorted(p.name for p in out.parent.iterdir())
    ('<p>done</p>', ['page.html'])
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's process
        return True
    return True


class OutputDir:
    """An output directory written atomically.

    Parameters
    ----------
    path : path
        Final output directory (created when needed).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> out = OutputDir(pathlib.Path(tempfile.mkdtemp()) / "run")
    >>> out.write_table("links.parquet", pd.DataFrame({"a": [1]}))
    >>> out.write_json("manifest.json", {"ok": True})
    >>> sorted(p.name for p in out.commit())
    ['links.parquet', 'manifest.json']
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise OutputError(f"output {str(self.path)!r} is a file, not a directory")
        if self.path.is_dir() and any(self.path.iterdir()) and not (self.path / "manifest.json").exists():
            raise OutputError(f"output directory {str(self.path)!r} holds files but no manifest.json: it "
                              "is not a radlink output, and would be replaced; choose an empty or new directory")
        self._lock = self._take_lock()
        self._clean_stale_staging()
        self.staging = self.path.parent / f".{self.path.name}.partial-{os.getpid()}"
        try:
            if self.staging.exists():
                shutil.rmtree(self.staging)
            self.staging.mkdir(parents=True)
        except OSError as exc:
            self._release()
            raise OutputError(f"cannot create output directory next to {str(self.path)!r}: {exc.strerror}") from None
        self._files: list[str] = []

    def _take_lock(self):
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(self.path.parent / f".{self.path.name}.lock", "w")  # noqa: SIM115 - held until commit
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            raise OutputError(f"another run is writing {str(self.path)!r}; wait for it to finish") from None
        return lock

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing releases the flock
            self._lock = None

    def _clean_stale_staging(self) -> None:
        parent = self.path.parent
        if not parent.is_dir():
            return
        for stale in [*parent.glob(f".{self.path.name}.partial-*"), *parent.glob(f".{self.path.name}.old-*")]:
            try:
                pid = int(stale.name.rsplit("-", 1)[1])
            except ValueError:
                continue
            if not _pid_alive(pid):
                shutil.rmtree(stale, ignore_errors=True)

    def file(self, name: str) -> Path:
        """Path inside the staging directory where an output named ``name`` is written."""
        if name not in self._files:
            self._files.append(name)
        return self.staging / name

    def write_table(self, name: str, df: pd.DataFrame | pa.Table) -> None:
        """Write a table (parquet) into the staging directory."""
        write_parquet(df, self.file(name))

    def write_json(self, name: str, obj: Any) -> None:
        """Write a JSON document (UTF-8, sorted keys) into the staging directory."""
        self.file(name).write_text(
            json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n",
            encoding="utf-8",
        )

    def commit(self) -> list[Path]:
        """Replace the output directory by the staged one, whole; release the lock."""
        try:
            old = None
            if self.path.exists():
                old = self.path.parent / f".{self.path.name}.old-{os.getpid()}"
                os.replace(self.path, old)
            os.replace(self.staging, self.path)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        finally:
            self._release()
        return [self.path / name for name in self._files]

    def abort(self) -> None:
        """Drop everything staged; release the lock."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self._release()

    def __enter__(self) -> OutputDir:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()
