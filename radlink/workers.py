"""Worker counts and progress reporting, shared by every batch step.

One meaning of ``jobs`` everywhere (scikit-learn's and joblib's): a positive number is
that many worker processes, ``-1`` is every core, ``-2`` every core but one, and so on;
``None`` is one process. ``0`` is an error.

One meaning of ``progress``: ``True`` draws a tqdm bar on stderr, a callable is called
with the number of items just done, anything else reports nothing.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["resolve_jobs", "progress_reporter", "progress_on_terminal", "exit_with_parent"]

Progress = bool | Callable[[int], object] | None


def resolve_jobs(jobs: int | None) -> int:
    """The number of worker processes that ``jobs`` asks for.

    Parameters
    ----------
    jobs : int or None
        ``n >= 1``: ``n`` processes; ``-1``: one per core; ``-k``: cores + 1 - k (at
        least 1); ``None``: 1.

    Raises
    ------
    ValueError
        For ``jobs=0``.

    Examples
    --------
    >>> resolve_jobs(2), resolve_jobs(None)
    (2, 1)
    >>> resolve_jobs(-1) == (os.cpu_count() or 1)
    True
    """
    if jobs is None:
        return 1
    if jobs == 0:
        raise ValueError("jobs must be a number of processes (>= 1) or -1 for every core, not 0")
    if jobs > 0:
        return int(jobs)
    return max(1, (os.cpu_count() or 1) + 1 + int(jobs))


def progress_on_terminal(progress: bool | None) -> bool:
    """Whether a command draws a progress bar: as asked, else only when stderr is a terminal.

    Batch jobs write their stderr to logs, where a bar is noise: commands default to
    ``None`` (``--progress/--no-progress`` not given) and draw a bar only on a terminal.

    Examples
    --------
    >>> progress_on_terminal(False), progress_on_terminal(True)
    (False, True)
    >>> progress_on_terminal(None) == sys.stderr.isatty()
    True
    """
    if progress is None:
        return bool(sys.stderr.isatty())
    return bool(progress)


@contextmanager
def progress_reporter(progress: Progress, total: int, *, unit: str, desc: str
                      ) -> Iterator[Callable[[int], object] | None]:
    """A callback that advances progress by a number of items (None: report nothing).

    A tqdm bar, when ``progress is True``, is closed when the block ends.

    Examples
    --------
    >>> seen = []
    >>> with progress_reporter(seen.append, 3, unit="file", desc="files") as advance:
    ...     advance(2); advance(1)
    >>> seen
    [2, 1]
    >>> with progress_reporter(False, 3, unit="file", desc="files") as advance:
    ...     advance is None
    True
    """
    if progress is True:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, unit=unit, desc=desc, file=sys.stderr)
        try:
            yield bar.update
        finally:
            bar.close()
    elif callable(progress):
        yield progress
    else:
        yield None


def exit_with_parent(poll_seconds: float = 0.5) -> None:
    """In a worker process: exit as soon as the process that started it is gone.

    Call it from a process pool's ``initializer``. A batch job killed with SIGKILL or
    SIGTERM cannot stop its workers itself; each worker then sees its parent change
    (it is re-parented) within ``poll_seconds`` and exits, so no orphan keeps running.
    """
    import threading

    parent = os.getppid()

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os._exit(1)

    threading.Thread(target=watch, name="radlink-exit-with-parent", daemon=True).start()
