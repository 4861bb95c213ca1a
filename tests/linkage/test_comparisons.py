"""The comparison vocabulary: ladders, null level, alternatives."""

from __future__ import annotations

import pandas as pd

from radlink.linkage import (
    AbsoluteTimeDifferenceAtThresholds,
    DateOfBirthAtThresholds,
    ExactMatch,
    IppAtThresholds,
    JaroWinklerAtThresholds,
)


class TestJaroWinklerAtThresholds:
    def test_ladder(self):
        c = JaroWinklerAtThresholds("name", (0.94, 0.85))
        pairs = pd.DataFrame({"name_l": ["MARTIN", "MARTINE", "MARTEL", "DUBOIS", None],
                              "name_r": ["MARTIN", "MARTIN", "MARTIN", "MARTIN", "MARTIN"]})
        assert c.level_names == ["exact", "jw>=0.94", "jw>=0.85", "else"]
        assert c.levels(pairs).tolist() == [0, 1, 2, 3, -1]

    def test_alternatives_take_the_best(self):
        c = JaroWinklerAtThresholds("family", (0.9,), alternatives=(("family_l", "usage_r"),))
        pairs = pd.DataFrame({"family_l": ["DURAND"], "family_r": ["MEYER"], "usage_r": ["DURAND"]})
        assert c.levels(pairs).tolist() == [0]


class TestDates:
    def test_birth_date(self):
        d = pd.to_datetime
        pairs = pd.DataFrame({"b_l": d(pd.Series(["1950-03-04", "1950-04-03", "1950-03-05", "1980-01-01"])),
                              "b_r": d(pd.Series(["1950-03-04"] * 4))})
        assert DateOfBirthAtThresholds("b").levels(pairs).tolist() == [0, 1, 2, 3]

    def test_time_windows(self):
        t = pd.to_datetime
        pairs = pd.DataFrame({"t_l": t(pd.Series(["2020-01-01 10:00"] * 3)),
                              "t_r": t(pd.Series(["2020-01-01 09:00", "2020-01-03 10:00", "2020-02-01 10:00"]))})
        assert AbsoluteTimeDifferenceAtThresholds("t", (24, 72)).levels(pairs).tolist() == [0, 1, 2]


class TestIppAndExact:
    def test_ipp(self):
        pairs = pd.DataFrame({"ipp_l": ["800123456", "800123465", "123456", "999", None],
                              "ipp_r": ["800123456"] * 5})
        assert IppAtThresholds("ipp").levels(pairs).tolist() == [0, 1, 2, 3, -1]

    def test_exact_with_null_values(self):
        pairs = pd.DataFrame({"sex_l": ["F", "U", "M"], "sex_r": ["F", "F", "F"]})
        assert ExactMatch("sex", null_values=("U",)).levels(pairs).tolist() == [0, -1, 1]


def test_pair_frame_masks_same_as_read_from_the_pairs():
    import numpy as np

    from radlink.linkage.exam_patient import (
        _pair_frame,
        compare_pairs,
        prepare_exams,
        prepare_patients,
    )
    from radlink.synth import generate

    ds = generate(200, seed=3)
    ex, pt = prepare_exams(ds.exams), prepare_patients(ds.patients)
    rng = np.random.default_rng(0)
    for n in (50, 5000):  # fewer pairs than exams (masks read on the pairs), and more (read on the columns)
        pairs = pd.DataFrame({"source_row": rng.integers(0, len(ex), n), "target_row": rng.integers(0, len(pt), n)})
        cache: dict = {}
        frame = _pair_frame(ex, pt, pairs, cache)
        assert {"family_l", "given_r", "ipp_r"} <= set(cache)
        for name, (values, mask) in cache.items():
            assert values.tolist() == frame[name].tolist()
            assert mask.tolist() == pd.notna(frame[name].to_numpy(dtype=object)).tolist()
        pd.testing.assert_frame_equal(compare_pairs(frame, cache=cache), compare_pairs(frame))
