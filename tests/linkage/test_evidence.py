"""The evidence builder: values in, the exact JSON text of ``links.evidence`` out."""

from __future__ import annotations

import json

import numpy as np
import pytest

from radlink.linkage.evidence import Evidence, evidence_column, json_objects


def _dumps(obj: dict) -> str:
    """What ``links.evidence`` has always held: compact JSON, non-ASCII escaped."""
    return json.dumps(obj, separators=(",", ":"))


class TestJsonObjects:
    def test_one_object_per_row_exact_text(self):
        out = json_objects({
            "decision": np.array(["best_candidate", "no_candidate"], dtype=object),
            "names_swapped": np.array([True, False]),
            "candidates": np.array([3, 12], dtype=np.int64),
            "tie_rule": np.array([None, "first_in_first_out"], dtype=object),
        })
        assert out.tolist() == [
            '{"decision":"best_candidate","names_swapped":true,"candidates":3,"tie_rule":null}',
            '{"decision":"no_candidate","names_swapped":false,"candidates":12,"tie_rule":"first_in_first_out"}',
        ]

    def test_same_text_as_json_dumps_ensure_ascii(self):
        values = ["Hélène", 'a "quoted" \\ back', "Œuvre\tnewline\n", "😀", "plain"]
        out = json_objects({"réason": np.array(values, dtype=object), "n": np.arange(len(values))})
        assert out.tolist() == [_dumps({"réason": v, "n": i}) for i, v in enumerate(values)]
        assert out[0] == '{"r\\u00e9ason":"H\\u00e9l\\u00e8ne","n":0}'
        assert all(text.isascii() for text in out)

    def test_floats_come_after_the_few_valued_fields_and_nan_is_null(self):
        out = json_objects({
            "match_weight": np.array([12.35, np.nan, -np.inf, 1e16]),
            "decision": "best_candidate",
            "ok": np.array([True, True, False, False]),
        })
        assert out.tolist() == [
            '{"decision":"best_candidate","ok":true,"match_weight":12.35}',
            '{"decision":"best_candidate","ok":true,"match_weight":null}',
            '{"decision":"best_candidate","ok":false,"match_weight":null}',
            '{"decision":"best_candidate","ok":false,"match_weight":1e+16}',
        ]

    def test_then_group_follows_everything(self):
        out = json_objects({"rule": "ipp_identity_agrees", "match_weight": np.array([1.5, 2.0])},
                           then={"reattached": np.array([False, True])})
        assert out.tolist() == ['{"rule":"ipp_identity_agrees","match_weight":1.5,"reattached":false}',
                                '{"rule":"ipp_identity_agrees","match_weight":2.0,"reattached":true}']

    def test_key_order_does_not_depend_on_how_many_distinct_values(self):
        # Canonical order (types only): a table cut in parts writes the same text as whole,
        # whether a field has 10 or 5,000 distinct values (Spark partitions, groups).
        n = 5000
        ids = np.array([f"E{i}" for i in range(n)], dtype=object)
        hours = np.arange(n) / 10.0
        fields = {"decision": "inherited_from_exam", "hours": hours, "exam_id": ids,
                  "exam_stay_method": "carried_stay_id"}
        whole = json_objects(fields)
        assert whole[7] == ('{"decision":"inherited_from_exam","exam_id":"E7",'
                            '"exam_stay_method":"carried_stay_id","hours":0.7}')
        parts = [json_objects({k: (v[s] if isinstance(v, np.ndarray) else v) for k, v in fields.items()})
                 for s in (slice(0, 10), slice(10, n))]
        assert np.concatenate(parts).tolist() == whole.tolist()

    def test_many_valued_fields_are_written_like_few_valued_ones(self):
        n = 5000
        ints = np.arange(n, dtype=np.int64) - 2500
        names = np.array([f"Zoé{i}" if i % 7 else None for i in range(n)], dtype=object)
        out = json_objects({"k": ints, "name": names})
        assert out.tolist() == [_dumps({"k": int(k), "name": v}) for k, v in zip(ints, names, strict=True)]

    def test_tuples_are_arrays(self):
        cands = np.empty(3, dtype=object)
        cands[:] = [None, ("100001", "100002"), ("Zoé", None)]
        out = json_objects({"candidates": cands})
        assert out.tolist() == ['{"candidates":null}', '{"candidates":["100001","100002"]}',
                                '{"candidates":["Zo\\u00e9",null]}']

    def test_single_values_need_n_when_alone(self):
        assert json_objects({"decision": "no_candidate", "reason": "none"}, n=2).tolist() == [
            '{"decision":"no_candidate","reason":"none"}'] * 2
        with pytest.raises(ValueError, match="needs n"):
            json_objects({"decision": "no_candidate"})
        assert json_objects({"a": np.zeros(0)}).tolist() == []
        assert json_objects({"pair": ("a", None), "ok": True, "k": 2}, n=2).tolist() == [
            '{"pair":["a",null],"ok":true,"k":2}'] * 2


class TestEvidenceColumn:
    def test_blocks_land_on_their_rows(self):
        linked = Evidence(np.array([2, 0]), {"decision": "best_candidate", "match_weight": np.array([3.25, 9.0])})
        none = Evidence(np.array([3]), {"decision": "no_candidate"})
        flagged = [b.followed_by({"reattached": np.array([True] * len(b.rows))}) for b in (linked, none)]
        assert evidence_column(5, flagged).tolist() == [
            '{"decision":"best_candidate","match_weight":9.0,"reattached":true}',
            None,
            '{"decision":"best_candidate","match_weight":3.25,"reattached":true}',
            '{"decision":"no_candidate","reattached":true}',
            None,
        ]

    def test_at_moves_a_block_into_a_bigger_table(self):
        block = Evidence(np.array([0, 1]), {"decision": "unlinked"}).at(np.array([4, 1]))
        assert block.rows.tolist() == [4, 1]
        assert evidence_column(5, [block, Evidence(np.zeros(0, dtype=np.int64), {"x": 1})]).tolist() == [
            None, '{"decision":"unlinked"}', None, None, '{"decision":"unlinked"}']


def test_float_fields_written_as_numpy_writes_them():
    import numpy as np

    from radlink.linkage.evidence import _row_text

    rng = np.random.default_rng(2)
    bits = rng.integers(0, 2**64, size=200_000, dtype=np.uint64).view(np.float64)
    rounded = np.round(rng.normal(size=50_000) * 1000, 2)
    for values in (bits, rounded, np.array([0.0, -0.0, 1e16, 5e-324, np.nan, np.inf, -np.inf, 0.1 + 0.2])):
        expected = values.astype(str).astype(object)
        expected[~np.isfinite(values)] = "null"
        assert _row_text(values).tolist() == expected.tolist()
    assert _row_text(np.array([1.5, np.nan], dtype=np.float32)).tolist() == ["1.5", "null"]
