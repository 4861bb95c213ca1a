"""Blocking keys and candidate pairs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.linkage.blocking import block_keys, candidate_pairs, ipp_variant_keys, sorted_keys


def test_block_keys_skip_nulls_and_separate_rules():
    a = block_keys(np.arange(3), pd.Series(["X", None, "Y"]), rule="one")
    b = block_keys(np.arange(3), pd.Series(["X", None, "Y"]), rule="two")
    assert a["row"].tolist() == [0, 2]
    assert not set(a["key"]) & set(b["key"])
    n = block_keys(np.arange(2), np.array([19500304.0, np.nan]), rule="dob")
    assert n["row"].tolist() == [0]


def test_candidate_pairs_drop_oversized_blocks():
    source = pd.DataFrame({"row": [0, 1], "key": np.array([7, 8], dtype=np.uint64)})
    target = pd.DataFrame({"row": np.arange(6), "key": np.array([7] * 5 + [8], dtype=np.uint64)})
    pairs = candidate_pairs(source, target, max_block_size=3)
    assert pairs.values.tolist() == [[1, 5]]


def test_ipp_variants_meet_on_typo_transposition_and_lost_prefix():
    ipps = pd.Series(["800123456", "800123457", "800213456", "0123456", "00123456", "912345678"])
    keys = ipp_variant_keys(np.arange(len(ipps)), ipps)
    sets = [set(keys[keys.row == i].key) for i in range(len(ipps))]
    assert sets[0] & sets[1] and sets[0] & sets[2] and sets[0] & sets[3] and sets[0] & sets[4]
    assert not sets[0] & sets[5]
    assert not ipp_variant_keys(np.arange(1), pd.Series(["123"])).shape[0]  # too short


def test_candidate_pairs_equal_a_naive_join_on_random_keys():
    """The sort-merge join gives exactly the distinct pairs of a plain merge, blocks over the cap dropped."""
    rng = np.random.default_rng(3)
    for _ in range(20):
        source = pd.DataFrame({"row": rng.integers(0, 50, 300), "key": rng.integers(0, 40, 300).astype(np.uint64)})
        target = pd.DataFrame({"row": rng.integers(0, 60, 200), "key": rng.integers(0, 40, 200).astype(np.uint64)})
        cap = int(rng.integers(1, 12))
        sizes = target.groupby("key").size()
        small = target[target["key"].isin(sizes.index[sizes <= cap])]
        naive = (source.merge(small, on="key")[["row_x", "row_y"]].drop_duplicates()
                 .sort_values(["row_x", "row_y"]).to_numpy().tolist())
        assert candidate_pairs(source, target, max_block_size=cap).to_numpy().tolist() == naive


def test_last_resort_keys_find_an_exam_without_birth_date_whose_typo_changed_a_phonetic_key():
    from radlink.linkage.exam_patient import _keys as keys_of
    from radlink.linkage.exam_patient import prepare_exams, prepare_patients

    patients = prepare_patients(pd.DataFrame({
        "patient_id": ["1", "2"], "family_name": ["Hingston", "Martin"], "given_name": ["Emily", "Paul"],
        "birth_date": pd.to_datetime(["1971-12-19", "1960-01-01"]), "sex": [None, None]}))
    exams = prepare_exams(pd.DataFrame({
        "exam_id": ["E1"], "patient_id": ["999"], "patient_name": ["HINGSTXON^EMILY"],
        "birth_date": pd.to_datetime([None]), "sex": [None]}))

    def pairs(level):
        return candidate_pairs(keys_of(exams, side="exam", level=level),
                               keys_of(patients, side="patient", level=level)).to_numpy().tolist()

    assert pairs("strict") == [] and pairs("loose") == []
    assert pairs("last_resort") == [[0, 0]]


def test_exam_phonetics_from_the_registry_same_as_computed():
    from radlink.linkage.exam_patient import phonetics_of, prepare_exams, prepare_patients
    from radlink.synth import generate

    ds = generate(300, seed=4)
    pt = prepare_patients(ds.patients)
    known = phonetics_of(pt)
    assert known.index.is_unique and len(known) > 100
    plain = prepare_exams(ds.exams)
    keyed = prepare_exams(ds.exams, known_phonetics=known)
    pd.testing.assert_frame_equal(plain, keyed)
    # a wrong key given for a name is used: the registry's keys are read, not recomputed
    wrong = known.copy()
    wrong.iloc[:] = "ZZZ"
    assert (prepare_exams(ds.exams, known_phonetics=wrong)["ph_family"] == "ZZZ").mean() > 0.5


def test_candidate_pairs_against_keys_sorted_once_are_the_same_pairs():
    # the registry's keys sorted once (sorted_keys) and reused for several chunks of sources
    rng = np.random.default_rng(7)
    target = pd.DataFrame({"row": rng.permutation(400), "key": rng.integers(0, 60, 400).astype(np.uint64)})
    once = sorted_keys(target)
    assert len(once) == len(target) and np.all(np.diff(once.key.astype(np.int64)) >= 0)
    for _chunk in range(3):
        source = pd.DataFrame({"row": np.arange(50), "key": rng.integers(0, 80, 50).astype(np.uint64)})
        for size in (3, 100):
            expected = candidate_pairs(source, target, max_block_size=size)
            got = candidate_pairs(source, once, max_block_size=size)
            assert len(expected) > 0
            pd.testing.assert_frame_equal(got, expected)
