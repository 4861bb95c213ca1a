"""One pathological report never stalls a batch: it is recorded with its reason, the rest is read.

A report's reading is made slow on purpose (a backtracking regex, a busy loop) by
patching the technique reader for texts holding a marker; the patch is in place
before the worker processes start (fork), so ``jobs=2`` sees it too.
"""

from __future__ import annotations

import re
import time

import pandas as pd
import pytest

import radlink.nlp.extractor as extractor_module
from radlink.nlp import FACTS_COLUMNS, ReportExtractor
from radlink.nlp.extractor import SKIPPED_COLUMNS
from radlink.workers import ItemTimeLimit, TimeLimitExceeded

NORMAL = "TEP-TDM au FDG. Résultats : Nodule lobaire inférieur gauche de 12 mm (SUVmax 4,1)."


@pytest.fixture
def slow_reports(monkeypatch):
    real = extractor_module.find_technique

    def find_technique(text, sections, modality):
        if "BACKTRACK" in text:  # a quadratic-exponential pattern, as a careless rule would be
            re.match(r"(?:a+)+$", "a" * 40 + "b")
        if "BUSY" in text:  # pure Python that never ends
            while True:
                time.sleep(0.001)
        if "BROKEN" in text:
            raise KeyError("a bug met by one report")
        return real(text, sections, modality)

    monkeypatch.setattr(extractor_module, "find_technique", find_technique)
    ids = [f"R{i}" for i in range(12)]
    texts = [NORMAL] * 12
    texts[3] = "BACKTRACK " + NORMAL
    texts[7] = "BUSY " + NORMAL
    texts[9] = "BROKEN " + NORMAL
    return pd.DataFrame({"report_id": ids, "text": texts})


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_slow_report_is_skipped_with_its_reason_and_the_batch_goes_on(slow_reports, jobs):
    start = time.perf_counter()
    out = ReportExtractor(time_limit=0.5, chunk_size=4).extract(slow_reports, jobs=jobs)
    assert time.perf_counter() - start < 60  # not a timing assert: the busy report never ends
    assert tuple(out.skipped.columns) == SKIPPED_COLUMNS
    skipped = out.skipped.set_index("report_id")
    assert skipped.loc["R3", "reason"] == "time_limit"
    assert skipped.loc["R7", "reason"] == "time_limit"
    assert (skipped.loc["R9", "reason"], skipped.loc["R9", "detail"]) == ("error", "KeyError")
    assert sorted(skipped.index) == ["R3", "R7", "R9"]
    # every report keeps its facts row, in input order; skipped ones are empty
    assert tuple(out.facts.columns) == FACTS_COLUMNS
    assert out.facts["report_id"].tolist() == slow_reports["report_id"].tolist()
    facts = out.facts.set_index("report_id")
    assert facts.loc[["R3", "R7", "R9"], "n_lesions"].tolist() == [0, 0, 0]
    assert facts.loc[["R3", "R7", "R9"], "modality"].isna().all()
    assert (facts.drop(index=["R3", "R7", "R9"])["n_lesions"] == 1).all()
    assert not out.findings["report_id"].isin(["R3", "R7", "R9"]).any()


def test_iter_extract_carries_the_skipped_reports_of_each_batch(slow_reports):
    batches = list(ReportExtractor(time_limit=0.5).iter_extract(slow_reports, batch_size=5))
    assert [len(b.facts) for b in batches] == [5, 5, 2]
    assert [b.skipped["report_id"].tolist() for b in batches] == [["R3"], ["R7", "R9"], []]


def test_no_limit_and_a_normal_batch_skip_nothing():
    reports = pd.DataFrame({"report_id": ["A", "B"], "text": [NORMAL, ""]})
    for limit in (None, 30.0):
        out = ReportExtractor(time_limit=limit).extract(reports)
        assert out.skipped.empty and tuple(out.skipped.columns) == SKIPPED_COLUMNS


def test_item_time_limit_restores_the_previous_alarm_handler():
    import signal

    before = signal.getsignal(signal.SIGALRM)
    with ItemTimeLimit(0.2) as limit, pytest.raises(TimeLimitExceeded):
        with limit.item():
            re.match(r"(?:a+)+$", "a" * 40 + "b")
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
