"""One meaning of ``jobs`` and ``progress`` for every batch step."""

import os
from pathlib import Path

import pandas as pd
import pytest

from radlink.workers import progress_reporter, resolve_jobs


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                kids.append(int(entry))
    return kids


def _survivors(kids: list[int], seconds: float) -> list[int]:
    """The processes of ``kids`` still running (not zombies) after up to ``seconds``; they are killed."""
    import signal
    import time

    deadline = time.monotonic() + seconds
    alive = kids
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [k for k in kids if os.path.exists(f"/proc/{k}")
                 and open(f"/proc/{k}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"]
    for k in alive:  # leave nothing behind, even when the test fails
        os.kill(k, signal.SIGKILL)
    return alive


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


@pytest.mark.slow
def test_workers_exit_when_their_parent_is_killed(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "job.py"
    script.write_text(
        "import time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from radlink.workers import exit_with_parent\n"
        "if __name__ == '__main__':\n"
        "    with ProcessPoolExecutor(2, initializer=exit_with_parent) as pool:\n"
        "        list(pool.map(time.sleep, [60, 60]))\n")
    job = subprocess.Popen([sys.executable, str(script)])

    deadline = time.monotonic() + 30
    while len(kids := _children(job.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(kids) >= 2
    os.kill(job.pid, signal.SIGKILL)
    job.wait()
    assert _survivors(kids, seconds=10) == []


@pytest.mark.slow
@pytest.mark.parametrize("signum", ["SIGTERM", "SIGKILL"])
def test_killing_radlink_extract_with_two_jobs_leaves_no_worker_and_no_partial_table(tmp_path, signum):
    """Issue 13, section 3: the real command, killed while its two workers read reports."""
    import signal
    import subprocess
    import sys
    import time

    sample = pd.read_parquet(Path(__file__).resolve().parents[1] / "data_samples" / "reports.parquet")
    reports = pd.concat([sample[["report_id", "text"]]] * 300, ignore_index=True)
    reports["report_id"] = [f"R{i}" for i in range(len(reports))]
    reports.to_parquet(tmp_path / "reports.parquet")
    out = tmp_path / "out"
    job = subprocess.Popen(
        [sys.executable, "-c", "from radlink.cli import main; main()", "extract", str(tmp_path / "reports.parquet"),
         "-o", str(out), "--jobs", "2", "--no-progress", "--batch-size", "2000"],
        cwd=Path(__file__).resolve().parents[1], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    deadline = time.monotonic() + 120
    while len(kids := _children(job.pid)) < 2 and time.monotonic() < deadline and job.poll() is None:
        time.sleep(0.05)
    assert len(kids) >= 2, "the workers never started"
    os.kill(job.pid, getattr(signal, signum))
    job.wait()
    assert _survivors(kids, seconds=15) == []
    assert not (out / "report_facts.parquet").exists()  # no truncated table where a whole one is expected
