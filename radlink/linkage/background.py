"""Work done in a second process while the linkage goes on (the machine's other core).

Some steps of :func:`radlink.linkage.link` do not depend on each other: what the
reports' texts say (:func:`~radlink.linkage.report_exam.report_facts`) is read from the
reports alone, while exams are linked to patients. :class:`Deferred` runs such a step
in a child process forked from this one (it sees the tables as they are, nothing is
copied or sent but its result, pickled through a pipe) and hands the result back when
it is asked for; the step's function must be pure, so the result is the same wherever
it ran.

It runs in the background only where that is safe and useful: on Linux (``fork``),
with more than one worker (:attr:`LinkageSettings.workers`, ``-1``: every core) on a
machine with several cores. Otherwise, or when the child fails in any way (killed, its
result not picklable), the step runs in this process when its result is asked for, so
the caller sees the same values and the same exceptions either way. The child's CPU
time is the parent's children's time (``resource.RUSAGE_CHILDREN``) once it is reaped.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import warnings
from collections.abc import Callable
from typing import Any

from radlink.workers import resolve_jobs

__all__ = ["Deferred", "background_available"]

_UNSET = object()


def background_available(workers: int | None) -> bool:
    """Whether :class:`Deferred` may run work in a forked child for these ``workers``.

    Examples
    --------
    >>> background_available(1)
    False
    """
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    return resolve_jobs(workers) > 1 and (os.cpu_count() or 1) > 1


class Deferred:
    """``func(*args, **kwargs)``, computed in a forked child when ``background`` is true, else on demand.

    Examples
    --------
    >>> job = Deferred(sum, [1, 2, 3], background=background_available(-1))
    >>> job.result()
    6
    >>> Deferred(sum, [4], background=False).result()
    4
    """

    def __init__(self, func: Callable[..., Any], *args: Any, background: bool, **kwargs: Any) -> None:
        self._func, self._args, self._kwargs = func, args, kwargs
        self._pid: int | None = None
        self._fd: int | None = None
        self._value: Any = _UNSET
        if background:
            self._start()

    def _compute(self) -> Any:
        return self._func(*self._args, **self._kwargs)

    def _start(self) -> None:
        read, write = os.pipe()
        with warnings.catch_warnings():  # Python >= 3.12 warns on fork with threads: the child only computes
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                pid = os.fork()
            except OSError:
                os.close(read)
                os.close(write)
                return
        if pid == 0:  # the child: compute, send, leave without running the parent's cleanup
            try:
                os.close(read)
                gc.disable()  # a collection would touch (and copy) every object of the parent
                try:
                    payload = (True, self._compute())
                except BaseException as exc:  # the parent raises it, as it would have
                    payload = (False, exc)
                data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as out:
                    out.write(data)
            finally:
                os._exit(0)
        os.close(write)
        self._pid, self._fd = pid, read

    def result(self) -> Any:
        """The value (the child's, else computed here), raising what the function raised."""
        if self._value is not _UNSET:
            return self._value
        payload = None
        if self._pid is not None:
            with os.fdopen(self._fd, "rb") as source:
                data = source.read()
            self._fd = None
            os.waitpid(self._pid, 0)
            self._pid = None
            try:
                payload = pickle.loads(data) if data else None
            except Exception:  # a child that died half-way: compute here
                payload = None
        if payload is None:
            self._value = self._compute()
        else:
            ok, value = payload
            if not ok:
                raise value
            self._value = value
        self._func = self._args = self._kwargs = None  # the inputs are no longer held
        return self._value

    def cancel(self) -> None:
        """Stop and reap the child, if any (when the result will not be asked for)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._pid is not None:
            try:
                os.kill(self._pid, 9)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
            self._pid = None
