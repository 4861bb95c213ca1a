"""The delay model's sample: chosen from ids alone, the same whatever the row order."""

from __future__ import annotations

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
