"""The delay model's sample: chosen from ids alone, the same whatever the row order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from radlink.linkage import LinkageSettings, link
from radlink.linkage.delay_sample import delay_sample, patient_hash, sample_limit


@pytest.fixture(scope="module")
def synth():
    from radlink.synth import generate

    return generate(500, seed=1414)


def _shuffled(df, seed):
    return df.iloc[np.random.default_rng(seed).permutation(len(df))].reset_index(drop=True)


def test_the_hash_reads_the_id_only():
    keys = np.array(["P1", "P2", None, "P1", "800000001"], dtype=object)
    h = patient_hash(keys)
    assert h[2] == -1 and h[0] == h[3] and h[0] != h[1]
    assert ((h[[0, 1, 4]] >= 0) & (h[[0, 1, 4]] < 2 ** 60)).all()
    assert patient_hash(keys[::-1]).tolist() == h[::-1].tolist()


def test_the_sample_keeps_about_the_asked_reports(synth):
    patient = synth.reports["patient_id"].to_numpy(dtype=object)
    limit = sample_limit(len(patient), 300)
    reports, _ = delay_sample(patient, patient[:0], synth.reports["accession_number"], [], limit)
    assert len(patient) > 1_000
    assert 150 < reports.sum() < 450
    # whole patients: a sampled patient's every report
    sampled = set(patient[reports])
    assert all(p in sampled for p in patient[np.isin(patient, list(sampled))])


def test_the_fitted_sample_is_the_same_whatever_the_row_order(synth):
    ds = synth
    settings = LinkageSettings(delay_sample_reports=300)
    first: dict = {}
    full: dict = {}
    link(ds.patients, ds.exams, ds.stays, ds.reports, settings, fitted=first)
    link(ds.patients, ds.exams, ds.stays, ds.reports, fitted=full)
    assert 0 < first["delay_model"]["pairs"] < full["delay_model"]["pairs"]  # a sample was fitted
    for seed in (1, 2):
        again: dict = {}
        link(_shuffled(ds.patients, seed), _shuffled(ds.exams, seed), _shuffled(ds.stays, seed),
             _shuffled(ds.reports, seed), settings, fitted=again)
        assert again["delay_model"] == first["delay_model"]


def test_no_sample_below_the_size(synth):
    ds = synth
    settings = LinkageSettings(delay_sample_reports=len(ds.reports))
    below: dict = {}
    full: dict = {}
    a = link(ds.patients, ds.exams, ds.stays, ds.reports, settings, fitted=below)
    b = link(ds.patients, ds.exams, ds.stays, ds.reports, fitted=full)
    assert below["delay_model"] == full["delay_model"]
    assert a.equals(b)


def _tables(source: str):
    """A generated warehouse, or a benchmark set (``warehouse2/emergency_heavy``: reports placed by their stay)."""
    if source == "synth":
        from radlink.synth import generate

        return generate(400, seed=1515)
    from radlink.dataset import load_dataset

    directory = Path(__file__).resolve().parents[2] / "benchmarks" / "warehouse2" / "sets" / source
    if not (directory / "reports.parquet").exists() and not (directory / "reports.csv").exists():
        pytest.skip(f"warehouse2 {source} is not there")
    return load_dataset(directory)


@pytest.mark.parametrize("source", ["synth", "emergency_heavy"])
def test_the_sample_fitted_from_the_runs_pairs_is_the_sample_linked_alone(source, monkeypatch):
    """``link`` fits the sampled delay model from its own candidate pairs and row frames
    (:func:`~radlink.linkage.delay_sample.sampled_delay_fit`): the same model, hence the
    same links, as the sample's candidates searched and its rows read on their own (a
    report placed by its stay among them: the sample's own run does not place it)."""
    import pandas as pd

    import radlink.linkage.delay_sample as delay_sample_module

    ds = _tables(source)
    settings = LinkageSettings(delay_sample_reports=250)
    reused: dict = {}
    links = link(ds.patients, ds.exams, ds.stays, ds.reports, settings, fitted=reused)
    calls = []
    monkeypatch.setattr(delay_sample_module, "pairs_of_subset", lambda *args: calls.append(args) and None)
    alone: dict = {}
    links_alone = link(ds.patients, ds.exams, ds.stays, ds.reports, settings, fitted=alone)
    assert calls  # the sample was linked on its own
    assert 0 < reused["delay_model"]["pairs"]
    assert reused["delay_model"] == alone["delay_model"]
    pd.testing.assert_frame_equal(links, links_alone, check_exact=True)
