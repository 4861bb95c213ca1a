"""Work in a forked helper process gives what the same work gives here."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from radlink.linkage.background import Deferred, background_available

pytestmark = pytest.mark.skipif(not background_available(-1), reason="needs fork and two cores")


def _boom(message: str) -> None:
    raise ValueError(message)


def test_deferred_runs_in_a_child_and_returns_its_value():
    job = Deferred(os.getpid, background=True)
    assert job.result() != os.getpid()
    assert job.result() == job.result()  # asked twice: the same value, the child reaped once
    assert Deferred(os.getpid, background=False).result() == os.getpid()


def test_deferred_raises_what_the_function_raised():
    job = Deferred(_boom, "bad table", background=True)
    with pytest.raises(ValueError, match="bad table"):
        job.result()


def test_a_child_that_dies_is_replaced_by_the_work_done_here():
    job = Deferred(sum, [1, 2, 3], background=True)
    os.kill(job._pid, 9)
    assert job.result() == 6


def test_cancel_reaps_the_child():
    job = Deferred(sum, [1], background=True)
    pid = job._pid
    job.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_link_with_helper_processes_gives_the_same_links(monkeypatch):
    from radlink.linkage import LinkageSettings, api, link
    from radlink.synth import generate

    ds = generate(400, seed=12)
    monkeypatch.setattr(api, "BACKGROUND_MIN_REPORTS", 0)
    forked = []
    real_start = Deferred._start

    def start(self):
        forked.append(self._func.__name__)
        real_start(self)

    monkeypatch.setattr(Deferred, "_start", start)
    kwargs = dict(patients=ds.patients, exams=ds.exams, stays=ds.stays, reports=ds.reports)
    alone = link(**kwargs, settings=LinkageSettings(workers=1, refit_em=True))
    assert forked == []
    helped = link(**kwargs, settings=LinkageSettings(workers=2, refit_em=True))
    assert sorted(forked) == ["random_pair_levels", "report_facts"]
    pd.testing.assert_frame_equal(alone, helped)
