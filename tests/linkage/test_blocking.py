"""Blocking keys and candidate pairs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.linkage.blocking import block_keys, candidate_pairs, ipp_variant_keys


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
