"""A real PACS for the tests: Orthanc loaded with a generated cohort, in a private network.

Session fixtures build a small warehouse with radlink's own generator (so exam ids,
pseudonyms and date offsets line up with the timeline), run the timeline job on it
(one patient opposed), start Orthanc on free loopback ports inside a private network
namespace, load one study per exam (DICOM files with pixels, CT_small.dcm as template)
and stop Orthanc at the end. Skipped, with the reason, when Orthanc, its DICOMweb
plugin or the ``pacs`` extra is missing, or no private network namespace can be made.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from tests.pacs.orthanc import PLUGIN, Orthanc, enter_private_network, free_port, study_files

KEY = "pacs-test-key-0123456789abcdef"


def _skip_reason() -> str | None:
    if shutil.which("Orthanc") is None:
        return "Orthanc is not installed (apt-get install orthanc orthanc-dicomweb)"
    if not PLUGIN.exists():
        return "the Orthanc DICOMweb plugin is not installed (apt-get install orthanc-dicomweb)"
    try:
        import dicomweb_client  # noqa: F401
        import pynetdicom  # noqa: F401
    except ImportError:
        return "the pacs extra is not installed (pip install '.[pacs]')"
    return None


@dataclass
class Cohort:
    """What the tests know about the PACS's content."""

    orthanc: Orthanc
    pacs: Path
    warehouse: Path
    timeline: Path  # raw, with one patient opposed
    timeline_pseudonymised: Path
    key_file: Path
    opposition: Path
    opposed: str
    exams: pd.DataFrame  # the warehouse's exams table (what the PACS holds)
    files: dict[str, list[bytes]]  # exam id -> its DICOM files as uploaded
    work: Path


@pytest.fixture(scope="session")
def cohort(tmp_path_factory) -> Cohort:
    reason = _skip_reason()
    if reason is None:
        reason = enter_private_network()
    if reason is not None:
        if os.environ.get("RADLINK_REQUIRE_SERVERS"):  # .ci/run: these tests must run
            pytest.fail(f"RADLINK_REQUIRE_SERVERS is set but the PACS tests cannot run: {reason}")
        pytest.skip(reason)
    import pydicom
    from pydicom.data import get_testdata_file

    from radlink.dataset import load_dataset
    from radlink.timeline.job import run_timeline

    work = tmp_path_factory.mktemp("pacs")
    from click.testing import CliRunner

    from radlink.cli import main

    result = CliRunner().invoke(main, ["synth", "--patients", "20", "--seed", "5", "-o",
                                       str(work / "wh")])
    assert result.exit_code == 0, result.output
    ds = load_dataset(work / "wh")
    opposed = sorted(ds.patients["patient_id"].dropna())[0]
    (work / "opposition.txt").write_text(opposed + "\n", encoding="utf-8")
    (work / "key.txt").write_text(KEY, encoding="utf-8")
    run_timeline(work / "wh", work / "tl", opposition_file=work / "opposition.txt")
    run_timeline(work / "wh", work / "tlp", opposition_file=work / "opposition.txt",
                 pseudonymise=True, key_file=work / "key.txt")
    orthanc = Orthanc(work / "orthanc", storage_port=free_port())
    template = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    files = {}
    for exam in ds.exams.itertuples(index=False):
        files[exam.exam_id] = study_files(exam, template)
        for data in files[exam.exam_id]:
            orthanc.upload(data)
    yield Cohort(orthanc, orthanc.pacs_toml(work / "pacs.toml"), work / "wh", work / "tl",
                 work / "tlp", work / "key.txt", work / "opposition.txt", opposed, ds.exams,
                 files, work)
    orthanc.stop()
