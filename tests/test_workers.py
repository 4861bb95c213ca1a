"""One meaning of ``jobs`` and ``progress`` for every batch step."""

import os

import pandas as pd
import pytest

from radlink.workers import progress_reporter, resolve_jobs


@pytest.mark.parametrize("jobs, expected", [
    (None, 1), (1, 1), (3, 3),
    (-1, os.cpu_count() or 1),
    (-2, max(1, (os.cpu_count() or 1) - 1)),
    (-10_000, 1),
])
def test_jobs_follow_the_scikit_learn_convention(jobs, expected):
    assert resolve_jobs(jobs) == expected


def test_zero_jobs_is_an_error():
    with pytest.raises(ValueError, match="jobs"):
        resolve_jobs(0)


def test_dicom_ingestion_and_nlp_read_jobs_the_same_way(tmp_path):
    from radlink.dicom import ingest_dicom
    from radlink.nlp import ReportExtractor

    for run in (lambda j: ingest_dicom(tmp_path, jobs=j),
                lambda j: ReportExtractor().extract(
                    pd.DataFrame({"report_id": ["1"], "text": ["RAS"]}), jobs=j)):
        run(-1)  # every core: accepted by both
        with pytest.raises(ValueError, match="jobs"):
            run(0)


def test_a_tqdm_bar_is_closed_when_the_block_ends(capsys):
    with progress_reporter(True, 2, unit="item", desc="items") as advance:
        advance(2)
    assert "2/2" in capsys.readouterr().err
