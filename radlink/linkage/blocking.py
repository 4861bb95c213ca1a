"""Blocking: which (source, target) pairs are worth comparing.

A blocking rule maps every record to zero or more *keys*; two records sharing a key
become a candidate pair. Keys are hashed to 64-bit integers so that the join is one
integer merge, and a key shared by more than ``max_block_size`` targets is dropped
(a key that common carries no information and would make the cost quadratic). The
cost is therefore linear in the number of records.

Rules used for exam → patient (each key is prefixed by its rule, so rules never meet):

``ipp``      the normalised IPP;
``ippvar``   one-deletion and lost-leading-characters variants of the IPP;
``dob``      the birth date, and on the source side also the date with day and month
             swapped;
``name``     phonetic family key + phonetic given key (also swapped, and with the
             married / usage name);
``nameyear`` phonetic family key + birth year (catches a typo in the given name).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.util import hash_array

__all__ = ["SortedKeys", "block_keys", "candidate_pairs", "hash_keys", "sorted_keys"]


def hash_keys(keys: pd.Series) -> np.ndarray:
    """64-bit hashes of string keys (collisions are negligible at 10^7 keys)."""
    return hash_array(keys.to_numpy(dtype=object), categorize=True)


_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5],
                dtype=np.uint64)


def _part_hash(part, hashes: dict | None) -> tuple[np.ndarray, np.ndarray]:
    """Non-null mask and 64-bit hash of one key part, computed once per ``hashes`` (keyed by the part's identity)."""
    if hashes is not None and id(part) in hashes:
        _, present, h = hashes[id(part)]
        return present, h
    values = part.to_numpy() if isinstance(part, pd.Series) else np.asarray(part)
    if np.issubdtype(values.dtype, np.number):  # numbers: NaN is null, hashed as is
        present = ~np.isnan(values.astype(np.float64))
        h = hash_array(np.where(present, values, 0).astype(np.float64), categorize=False)
    else:
        arr = values.astype(object)
        present = pd.notna(arr)
        h = hash_array(np.where(present, arr, "").astype(object), categorize=True)
    if hashes is not None:
        hashes[id(part)] = (part, present, h)  # the part is kept, so that its id is not reused
    return present, h


def block_keys(rows: np.ndarray, *parts: pd.Series, rule: str, hashes: dict | None = None) -> pd.DataFrame:
    """Keys ``hash(rule, part1, part2...)`` for the rows where every part is non-null.

    Each part is hashed once (``pandas.util.hash_array``, on its distinct values) and
    the hashes are mixed with odd 64-bit multipliers, so building a key costs a few
    numpy operations per row whatever the rule.

    Parameters
    ----------
    rows : ndarray of int
        Row positions, returned beside each key.
    *parts : pandas.Series or ndarray
        Aligned with ``rows``: strings (null: no key) or numbers (NaN: no key).
    rule : str
        Rule name, mixed into the key so that rules never meet.
    hashes : dict, optional
        A cache of the parts' hashes shared by the calls that build keys from the same
        parts (the same Series or array objects, alive while the cache is).

    Returns
    -------
    pandas.DataFrame
        Columns ``row`` (int64) and ``key`` (uint64 hash).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> block_keys(np.arange(3), pd.Series(["A", None, "C"]), rule="x").row.tolist()
    [0, 2]
    """
    ok = np.ones(len(rows), dtype=bool)
    key = np.full(len(rows), hash_array(np.array([rule], dtype=object))[0], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i, part in enumerate(parts):
            present, h = _part_hash(part, hashes)
            ok &= present
            key = (key * _MIX[i % len(_MIX)]) ^ h
    return pd.DataFrame({"row": np.asarray(rows)[ok].astype(np.int64), "key": key[ok]})


@dataclass(frozen=True)
class SortedKeys:
    """Target keys sorted once (:func:`sorted_keys`), for :func:`candidate_pairs` calls that
    block many chunks of sources against the same targets."""

    key: np.ndarray
    """uint64 keys, sorted (stable: rows of one key in their given order)."""
    row: np.ndarray
    """int64 target row of each key."""

    def __len__(self) -> int:
        return len(self.key)


def sorted_keys(target_keys: pd.DataFrame) -> SortedKeys:
    """Keys (``row``, ``key``, as :func:`block_keys` gives them) sorted for :func:`candidate_pairs`.

    Examples
    --------
    >>> import pandas as pd
    >>> sorted_keys(pd.DataFrame({"row": [10, 11, 12], "key": [2, 1, 2]})).row.tolist()
    [11, 10, 12]
    """
    tkey = target_keys["key"].to_numpy()
    order = np.argsort(tkey, kind="stable")
    return SortedKeys(tkey[order], target_keys["row"].to_numpy(dtype=np.int64)[order])


def candidate_pairs(
    source_keys: pd.DataFrame,
    target_keys: pd.DataFrame | SortedKeys,
    *,
    max_block_size: int = 100,
) -> pd.DataFrame:
    """Distinct ``(source_row, target_row)`` pairs sharing at least one key.

    A key shared by more than ``max_block_size`` targets is dropped. The join is a
    numpy sort-merge (both key arrays sorted, runs found by binary search), about as
    fast as DuckDB's hash join on one machine (``benchmarks/bench_blocking_join.py``).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"row": [0, 0, 1], "key": [1, 2, 3]})
    >>> t = pd.DataFrame({"row": [10, 11, 12], "key": [1, 2, 2]})
    >>> candidate_pairs(s, t).values.tolist()
    [[0, 10], [0, 11], [0, 12]]
    """
    if len(source_keys) == 0 or len(target_keys) == 0:
        return pd.DataFrame({"source_row": np.zeros(0, dtype=np.int64), "target_row": np.zeros(0, dtype=np.int64)})
    # A sort-merge join in numpy: target keys sorted once (or given sorted, :func:`sorted_keys`),
    # each source key finds its run of equal target keys by binary search; runs longer than
    # max_block_size are dropped.
    target = target_keys if isinstance(target_keys, SortedKeys) else sorted_keys(target_keys)
    tkey_sorted, trow_sorted = target.key, target.row
    s_order = np.argsort(source_keys["key"].to_numpy())  # sorted queries: cache-friendly
    skey = source_keys["key"].to_numpy()[s_order]
    lo = np.searchsorted(tkey_sorted, skey, side="left")
    hi = np.searchsorted(tkey_sorted, skey, side="right")
    size = hi - lo
    size[size > max_block_size] = 0
    n_targets = int(trow_sorted.max()) + 1 if len(trow_sorted) else 1
    total = int(size.sum())
    if total == 0:
        return pd.DataFrame({"source_row": np.zeros(0, dtype=np.int64), "target_row": np.zeros(0, dtype=np.int64)})
    has = size > 0
    size, lo = size[has], lo[has]
    srow = source_keys["row"].to_numpy(dtype=np.int64)[s_order][has]
    # position in tkey_sorted of every (source key, target) match: lo + 0..size-1
    starts = np.repeat(lo - np.cumsum(size) + size, size)
    pos = starts + np.arange(total, dtype=np.int64)
    code = np.sort(np.repeat(srow, size) * n_targets + trow_sorted[pos])
    distinct = np.empty(len(code), dtype=bool)
    distinct[0] = True
    np.not_equal(code[1:], code[:-1], out=distinct[1:])
    code = code[distinct]  # distinct pairs, sorted by source then target (np.unique is slower)
    return pd.DataFrame({"source_row": code // n_targets, "target_row": code % n_targets})


_POSITION_WEIGHTS = np.random.default_rng(20261124).integers(1, 2**63, size=32, dtype=np.uint64) | np.uint64(1)
_LENGTH_MIX = np.uint64(0xD6E8FEB86659FD93)
_DELETION_TAG = np.uint64(0x5851F42D4C957F2D)
_SUFFIX_TAG = np.uint64(0x14057B7EF767814F)


def _positional_hash(codes: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Hash of code-point rows (zero-padded): sum of code x position weight, mixed with length."""
    with np.errstate(over="ignore"):
        h = (codes * _POSITION_WEIGHTS[: codes.shape[1]]).sum(axis=1, dtype=np.uint64)
        return h ^ (lengths.astype(np.uint64) * _LENGTH_MIX)


def ipp_variant_keys(rows: np.ndarray, ipps: pd.Series, *, min_length: int = 5) -> pd.DataFrame:
    """The keys of :func:`radlink.linkage.normalize.ipp_deletion_keys`, hashed with numpy.

    Same neighbourhood (the IPP and its one-deletions; the IPP and its suffixes without
    one or two leading characters), but computed on a code-point matrix: each IPP is a
    row of a ``uint32`` array, a deletion is a column shift, and keys are positional
    hashes, so no string is built. Used for blocking at scale.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> k = ipp_variant_keys(np.arange(3), pd.Series(["800123456", "800124356", "0123456"]))
    >>> a, b, c = (set(k[k.row == i].key) for i in range(3))
    >>> bool(a & b), bool(a & c), bool(b & c)
    (True, True, False)
    """
    rows = np.asarray(rows, dtype=np.int64)
    values = ipps.astype(object).to_numpy()
    ok = pd.notna(values)
    text = pd.Series(values[ok], dtype=object).astype(str)
    lengths = text.str.len().to_numpy()
    long_enough = lengths >= min_length
    text, lengths = text[long_enough], lengths[long_enough]
    rows = rows[ok][long_enough]
    if len(text) == 0:
        return pd.DataFrame({"row": np.zeros(0, dtype=np.int64), "key": np.zeros(0, dtype=np.uint64)})
    width = int(min(lengths.max(), len(_POSITION_WEIGHTS)))
    codes = np.array(text.str.slice(0, width).tolist(), dtype=f"U{width}").view(np.uint32)
    codes = codes.reshape(len(text), width).astype(np.uint64)
    lengths = np.minimum(lengths, width)
    out_rows, out_keys = [rows, rows], [_positional_hash(codes, lengths) ^ _DELETION_TAG,
                                        _positional_hash(codes, lengths) ^ _SUFFIX_TAG]
    zero = np.zeros((len(codes), 1), dtype=np.uint64)
    for i in range(width):
        valid = lengths > i
        shifted = np.concatenate([codes[:, :i], codes[:, i + 1:], zero], axis=1)
        out_rows.append(rows[valid])
        out_keys.append(_positional_hash(shifted[valid], lengths[valid] - 1) ^ _DELETION_TAG)
    for cut in (1, 2):
        valid = lengths - cut >= min_length
        shifted = np.concatenate([codes[:, cut:], np.zeros((len(codes), cut), dtype=np.uint64)], axis=1)
        out_rows.append(rows[valid])
        out_keys.append(_positional_hash(shifted[valid], lengths[valid] - cut) ^ _SUFFIX_TAG)
    return pd.DataFrame({"row": np.concatenate(out_rows), "key": np.concatenate(out_keys)})
