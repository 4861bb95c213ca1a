"""Ingest a directory of DICOM files: walk it, read every header, group into exams.

The walk lists every regular file under the directory, recursively, sorted by its
relative POSIX path (symbolic links are not followed and not counted). Headers are
read in chunks of paths, in-process (``jobs=1``) or in a
:class:`~concurrent.futures.ProcessPoolExecutor` (``jobs>1``); each task reads a
whole chunk so that inter-process traffic is one list of small tuples per chunk.
Results are put back in path order before grouping, so the output does not depend
on ``jobs``.

Accounting is exact: every regular file is either counted in exactly one exam's
``n_instances`` or listed once in :attr:`IngestResult.errors`. Problems that do not
stop a file from being counted (a malformed date, a character set fallback, files of
one study that disagree) go to :attr:`IngestResult.warnings` instead, so that a bad
value never costs an exam.

Privacy: errors and warnings name files by their path relative to the directory and
never quote a value read from a file; :meth:`IngestResult.summary` holds counts only.
A PACS export that names folders after patients makes those paths identifying: keep
the errors and warnings tables with the data, not in logs.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from radlink.dicom.header import (
    ERROR_REASONS,
    HeaderError,
    InstanceHeader,
    read_instance_header,
)
from radlink.dicom.studies import WARNING_COLUMNS, group_studies
from radlink.errors import DicomDirectoryError
from radlink.tables import empty_table, none_for_missing
from radlink.workers import exit_with_parent, progress_reporter, resolve_jobs

__all__ = ["IngestResult", "ingest_dicom", "list_files", "ERROR_COLUMNS"]

ERROR_COLUMNS = ["path", "reason", "detail"]

_MAX_CHUNK = 256  # paths per task: large enough to amortise IPC, small enough to balance
_CHUNKS_PER_WORKER = 8  # tasks per worker at least, so that the workers end together


@dataclass
class IngestResult:
    """What :func:`ingest_dicom` found in a directory.

    Attributes
    ----------
    exams : pandas.DataFrame
        Canonical exams table (one row per Study Instance UID), plus ``n_series`` and
        ``n_instances``.
    errors : pandas.DataFrame
        One row per file not counted in an exam: ``path`` (relative to the directory,
        POSIX separators), ``reason`` (a code of
        :data:`~radlink.dicom.header.ERROR_REASONS`) and ``detail``.
    warnings : pandas.DataFrame
        Problems that did not stop files from being counted (bad dates, character set
        fallbacks, files of a study that disagree...), one row per exam, reason and
        detail: ``exam_id``, ``path`` (first file concerned), ``reason`` (a code of
        :data:`~radlink.dicom.studies.WARNING_REASONS`), ``detail``,
        ``n_files``.
    n_files : int
        Regular files seen under the directory.
    """

    exams: pd.DataFrame
    errors: pd.DataFrame
    warnings: pd.DataFrame
    n_files: int

    @property
    def n_exams(self) -> int:
        """Number of studies (rows of :attr:`exams`)."""
        return len(self.exams)

    @property
    def n_instances(self) -> int:
        """Number of files counted in an exam."""
        return int(self.exams["n_instances"].sum()) if len(self.exams) else 0

    @property
    def n_errors(self) -> int:
        """Number of files listed in :attr:`errors`."""
        return len(self.errors)

    def errors_by_reason(self) -> dict[str, int]:
        """Files in error per reason code, most frequent first."""
        return dict(Counter(self.errors["reason"]).most_common())

    def summary(self) -> str:
        """A few lines of counts, with no identifying value (safe for logs).

        Examples
        --------
        >>> import tempfile
        >>> print(ingest_dicom(tempfile.mkdtemp()).summary())
        0 files seen: 0 counted in 0 exams, 0 in error
        """
        lines = [f"{self.n_files:,} files seen: {self.n_instances:,} counted in "
                 f"{self.n_exams:,} exams, {self.n_errors:,} in error"]
        for reason, n in self.errors_by_reason().items():
            lines.append(f"  {reason:<14} {n:>9,}  {ERROR_REASONS.get(reason, '')}")
        unlisted = self.warnings["reason"] == "unlisted_directory"
        if unlisted.any():
            lines.append(f"{int(unlisted.sum()):,} directories could not be listed: their "
                         "files were not seen (see the warnings table)")
        if (~unlisted).any():
            by_reason = self.warnings[~unlisted].groupby("reason")["n_files"].sum()
            lines.append(f"{int((~unlisted).sum()):,} warnings (files concerned per reason):")
            for reason, n in by_reason.sort_values(ascending=False, kind="stable").items():
                lines.append(f"  {reason:<20} {int(n):>9,}")
        return "\n".join(lines)


def list_files(directory: str | os.PathLike[str], links: list[str] | None = None
               ) -> tuple[list[str], list[str]]:
    """Every regular file under ``directory``, recursively, as sorted relative POSIX paths.

    Symbolic links are neither followed nor listed; they are appended to ``links`` when
    it is given.

    Returns
    -------
    files : list of str
        Relative paths, sorted.
    unlisted : list of str
        Relative paths of sub-directories that could not be listed.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "b").mkdir(); _ = (root / "b" / "x.dcm").write_bytes(b""); _ = (root / "a").write_text("")
    >>> list_files(root)
    (['a', 'b/x.dcm'], [])
    """
    unlisted: list[str] = []
    files = sorted(_walk(os.fspath(directory), unlisted, links))
    unlisted.sort()
    return files, unlisted


def _walk(root: str, unlisted: list[str], links: list[str] | None = None) -> Iterator[str]:
    """Regular files under ``root`` in directory order (relative POSIX paths).

    Sub-directories that cannot be listed are appended to ``unlisted``, symbolic links
    to ``links`` (when given); the root itself failing raises :class:`OSError`.
    """
    stack = [""]
    while stack:
        rel = stack.pop()
        try:
            with os.scandir(os.path.join(root, rel) if rel else root) as entries:
                found = []
                for entry in entries:
                    sub = f"{rel}/{entry.name}" if rel else entry.name
                    try:
                        if entry.is_symlink():
                            if links is not None:
                                links.append(sub)  # said in the warnings, never followed
                        elif entry.is_dir(follow_symlinks=False):
                            stack.append(sub)
                        elif entry.is_file(follow_symlinks=False):
                            found.append(sub)
                    except OSError:
                        unlisted.append(sub)
        except OSError:
            if not rel:
                raise
            unlisted.append(rel)
            continue
        yield from found


def ingest_dicom(
    directory: str | os.PathLike[str],
    *,
    jobs: int = 1,
    progress: bool | Callable[[int], object] | None = None,
) -> IngestResult:
    """Read the header of every file under a directory and build the exams table.

    Only headers are read (never pixel data, see
    :mod:`radlink.dicom.header`); files are grouped by Study Instance UID
    (see :mod:`radlink.dicom.studies` for how disagreeing files, bad dates
    and character sets are handled).

    Parameters
    ----------
    directory : str or path-like
        The directory to walk (recursively; every regular file is considered).
    jobs : int, default 1
        Worker processes (:func:`radlink.workers.resolve_jobs`): ``1`` reads in this
        process, ``-1`` uses every core.
    progress : bool or callable, optional
        ``True`` shows a tqdm progress bar on stderr; a callable is called with the
        number of files just read after each chunk; ``None``/``False``: silent.

    Returns
    -------
    IngestResult
        ``exams``, ``errors``, ``warnings`` and counts; ``n_files == n_instances +
        n_errors``.

    Raises
    ------
    DicomDirectoryError
        If ``directory`` does not exist, is not a directory or cannot be listed.
    ValueError
        If ``jobs`` is 0.

    Examples
    --------
    >>> import pathlib, pydicom
    >>> data = pathlib.Path(pydicom.__file__).parent / "data" / "test_files" / "dicomdirtests"
    >>> result = ingest_dicom(data)
    >>> result.n_files == result.n_instances + result.n_errors
    True
    >>> result.exams[["modality", "n_series", "n_instances"]].head(2)
      modality  n_series  n_instances
    0       CT         1           50
    1       CT         2            7
    >>> result.errors_by_reason()
    {'dicomdir': 8, 'not_dicom': 2}
    """
    jobs = resolve_jobs(jobs)
    root = Path(directory)
    if not root.is_dir():
        raise DicomDirectoryError(root)
    unlisted: list[str] = []
    links: list[str] = []
    try:
        if jobs == 1:
            paths, unlisted = list_files(root, links)
            headers = _read_in_process(str(root), paths, progress)
        else:
            paths, headers = _read_in_pool(str(root), unlisted, links, jobs, progress)
    except OSError as exc:
        raise DicomDirectoryError(root, exc) from None
    unlisted.sort()

    counted = [i for i, h in enumerate(headers) if isinstance(h, InstanceHeader)]
    failed = [i for i, h in enumerate(headers) if isinstance(h, HeaderError)]
    errors = pd.DataFrame(
        [(paths[i], headers[i].reason, headers[i].detail) for i in failed],
        columns=ERROR_COLUMNS, dtype=object,
    )
    if counted:
        exams, warnings = group_studies([paths[i] for i in counted], [headers[i] for i in counted])
    else:
        exams = empty_table("exams").assign(n_series=pd.Series(dtype="int64"),
                                            n_instances=pd.Series(dtype="int64"))
        warnings = pd.DataFrame({c: pd.Series(dtype="int64" if c == "n_files" else object)
                                 for c in WARNING_COLUMNS})
    if unlisted or links:
        extra = pd.DataFrame({
            "exam_id": None,
            "path": unlisted + sorted(links),
            "reason": ["unlisted_directory"] * len(unlisted) + ["symbolic_link"] * len(links),
            "detail": (["could not be listed: files under it were not seen"] * len(unlisted)
                       + ["a symbolic link: not followed (copy or mount what it points to)"] * len(links)),
            "n_files": 0,
        })
        warnings = pd.concat([warnings, extra[WARNING_COLUMNS]], ignore_index=True)
    # A file name that is not UTF-8 is shown with its bytes escaped, so the tables can be written.
    errors["path"] = errors["path"].map(_shown)
    warnings["path"] = warnings["path"].map(_shown, na_action="ignore")
    return IngestResult(exams=none_for_missing(exams), errors=none_for_missing(errors),
                        warnings=none_for_missing(warnings), n_files=len(paths))


def _shown(path: str) -> str:
    r"""A path as text: undecodable bytes of a file name (``surrogateescape``) as ``\xNN``.

    Examples
    --------
    >>> print(_shown(b"caf\xe9.dcm".decode("utf-8", "surrogateescape")))
    caf\xe9.dcm
    """
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _read_chunk(root: str, paths: Sequence[str]) -> list[InstanceHeader | HeaderError]:
    """Read the headers of a chunk of files (runs in a worker process)."""
    return [read_instance_header(os.path.join(root, p)) for p in paths]


def _read_in_process(
    root: str, paths: list[str], progress: bool | Callable[[int], object] | None
) -> list[InstanceHeader | HeaderError]:
    headers: list[InstanceHeader | HeaderError] = []
    with progress_reporter(progress, len(paths), unit="file", desc="DICOM headers") as advance:
        for start in range(0, len(paths), _MAX_CHUNK):
            chunk = paths[start:start + _MAX_CHUNK]
            headers += _read_chunk(root, chunk)
            if advance is not None:
                advance(len(chunk))
    return headers


def _read_in_pool(
    root: str,
    unlisted: list[str],
    links: list[str],
    jobs: int,
    progress: bool | Callable[[int], object] | None,
) -> tuple[list[str], list[InstanceHeader | HeaderError]]:
    """Walk and read at once: chunks go to the workers as the walk finds files.

    Chunks start small and grow with the number of files found, up to
    :data:`_MAX_CHUNK`, so that small directories still spread over the workers. The
    results are put in path order at the end.
    """
    chunks: list[list[str]] = []
    results: list[list[InstanceHeader | HeaderError]] = []
    with ProcessPoolExecutor(max_workers=jobs, initializer=exit_with_parent) as pool:
        futures: dict = {}
        batch: list[str] = []
        seen = 0
        for rel in _walk(root, unlisted, links):
            batch.append(rel)
            seen += 1
            if len(batch) >= min(_MAX_CHUNK, max(8, seen // (jobs * _CHUNKS_PER_WORKER))):
                futures[pool.submit(_read_chunk, root, batch)] = len(chunks)
                chunks.append(batch)
                batch = []
        if batch:
            futures[pool.submit(_read_chunk, root, batch)] = len(chunks)
            chunks.append(batch)
        results = [[] for _ in chunks]
        # The bar (and its monitor thread) starts once the workers are forked.
        with progress_reporter(progress, seen, unit="file", desc="DICOM headers") as advance:
            for future in as_completed(futures):
                k = futures[future]
                results[k] = future.result()
                if advance is not None:
                    advance(len(chunks[k]))
    paths = [p for chunk in chunks for p in chunk]
    headers = [h for chunk in results for h in chunk]
    order = sorted(range(len(paths)), key=paths.__getitem__)
    return [paths[i] for i in order], [headers[i] for i in order]


