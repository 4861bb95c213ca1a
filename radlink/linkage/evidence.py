"""Evidence: why each link was made, as values, and its JSON text in ``links.evidence``.

The linkers describe their evidence as :class:`Evidence` blocks: the rows of the links
table they are about and one column of plain values per field (str, bool, int, float,
``None``, or a tuple of them for a JSON array). Nothing else writes JSON:
:func:`evidence_column` serialises every block once, at the end of a linker.

A million links cannot afford a million ``json.dumps`` calls. :func:`json_objects`
encodes each field once per *distinct* value; the fields with few distinct values
(levels, decisions, flags) are combined first, so the JSON fragment of each distinct
combination is written once and taken by row; only high-cardinality fields (weights,
hours, and any field with more than 4096 distinct values, such as ids on a large
warehouse) are appended row by row with numpy string arithmetic.

The text is compact JSON (separators ``","`` and ``":"``, non-ASCII escaped as with
``json.dumps``), one object per link. **Key order** is canonical, a function of the
fields and their types only, never of the data: within a group of fields, the
non-float fields come first, in the order given, then the float fields (weights,
hours), in the order given; the ``then`` group of an :class:`Evidence` block (e.g. the
``reattached`` flag) follows the whole first group. A batch split in parts (Spark
partitions, groups of patients) therefore writes the same text as the whole table.
(Before, a non-float field with more than 4096 distinct values moved after the
floats, so keys moved on large warehouses; small tables keep the same text.)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Evidence", "evidence_candidates", "evidence_column", "json_objects"]

_FEW = 4096  # a field with at most this many distinct values is combined, not appended

Fields = Mapping[str, Any]
"""Field name -> values, one per row (array-like), or one value for every row."""


@dataclass(frozen=True)
class Evidence:
    """The evidence of some links, as values: their rows and one column per field.

    Parameters
    ----------
    rows : ndarray of int
        Positions of these links in the links table.
    fields : dict
        Field name -> one value per row, or a single value shared by every row.
    then : dict
        Fields written after all of ``fields`` (see the module's key order).
    """

    rows: np.ndarray
    fields: Fields
    then: Fields = field(default_factory=dict)

    def followed_by(self, fields: Fields) -> Evidence:
        """The same block with ``fields`` added to its ``then`` group."""
        return replace(self, then={**self.then, **fields})

    def where(self, mask: np.ndarray) -> Evidence:
        """The same block about its rows where ``mask`` holds (per-row values cut alike).

        Examples
        --------
        >>> block = Evidence(np.array([4, 7]), {"decision": "x", "hours": np.array([1.0, 2.0])})
        >>> part = block.where(np.array([False, True]))
        >>> part.rows.tolist(), part.fields["hours"].tolist(), part.fields["decision"]
        ([7], [2.0], 'x')
        """
        def cut(fields: Fields) -> dict:
            return {k: (v[mask] if isinstance(v, np.ndarray) else v) for k, v in fields.items()}

        return Evidence(self.rows[mask], cut(self.fields), cut(self.then))

    def at(self, positions: np.ndarray) -> Evidence:
        """The same block about other rows (``positions[rows]``), e.g. once merged into a bigger table."""
        return replace(self, rows=np.asarray(positions)[self.rows])


def evidence_column(n: int, blocks: Iterable[Evidence]) -> np.ndarray:
    """The ``evidence`` column of ``n`` links: each block's JSON objects at its rows, else None."""
    out = np.full(n, None, dtype=object)
    for block in blocks:
        rows = np.asarray(block.rows)
        if len(rows):
            out[rows] = json_objects(block.fields, then=block.then, n=len(rows))
    return out


def json_objects(fields: Fields, *, then: Fields | None = None, n: int | None = None) -> np.ndarray:
    """One JSON object per row from aligned columns of values.

    Parameters
    ----------
    fields : dict
        Field name -> array of values (str, bool, int, float, None or tuple), or a
        single value for all rows.
    then : dict, optional
        Fields written after all of ``fields``.
    n : int, optional
        Number of rows (needed only when every field is a single value).

    Examples
    --------
    >>> import numpy as np
    >>> json_objects({"rule": np.array(["ipp", "dob"], dtype=object), "w": np.array([1.5, np.nan]),
    ...               "ok": np.array([True, False])}, then={"last": "é"}).tolist()
    ['{"rule":"ipp","ok":true,"w":1.5,"last":"\\\\u00e9"}', '{"rule":"dob","ok":false,"w":null,"last":"\\\\u00e9"}']
    """
    groups = [g for g in (fields, then or {}) if g]
    if n is None:
        n = next((len(v) for g in groups for v in g.values() if not _is_scalar(v)), None)
        if n is None:
            raise ValueError("json_objects needs n when every field is a single value")
    if n == 0:
        return np.zeros(0, dtype=object)
    if not groups:
        return np.full(n, "{}", dtype=object)
    # Canonical key order (types only), then runs of low-cardinality fields written once per
    # distinct combination, the other fields appended row by row.
    segments: list = []
    for group in groups:
        columns = {name: _broadcast(values, n) for name, values in group.items()}
        ordered = ([k for k, v in columns.items() if not _is_float(v)]
                   + [k for k, v in columns.items() if _is_float(v)])
        for name in ordered:
            coded = _few_codes(columns[name])
            if coded is None or isinstance(coded, _Coded):
                segments.append((name, columns[name] if coded is None else coded))
            elif segments and isinstance(segments[-1], dict):
                segments[-1][name] = coded
            else:
                segments.append({name: coded})
    pieces = []
    for i, segment in enumerate(segments):
        prefix = "{" if i == 0 else ","
        if isinstance(segment, dict):
            pieces.append(_few_text(segment, n, prefix=prefix, suffix="}" if i == len(segments) - 1 else ""))
        else:
            name, values = segment
            pieces.append(prefix + json.dumps(name) + ":" + _row_text(values))
    if not isinstance(segments[-1], dict):
        pieces.append(np.full(n, "}", dtype=object))
    # each row's pieces joined once (adding the pieces one by one would copy each row's text again each time)
    out = np.empty(n, dtype=object)
    out[:] = list(map("".join, zip(*pieces, strict=True)))
    return out


def evidence_candidates(evidence: np.ndarray) -> list[tuple]:
    """The ``candidates`` of each evidence JSON text (an empty tuple when absent or unreadable).

    Parameters
    ----------
    evidence : ndarray
        Evidence texts (a links table's ``evidence`` column), usually of ambiguous links only:
        one JSON parse each.

    Returns
    -------
    list of tuple
        One tuple of candidate ids per text.

    Examples
    --------
    >>> evidence_candidates(np.array(['{"candidates": ["E1", "E2"]}', '{"reason": "x"}', None], dtype=object))
    [('E1', 'E2'), (), ()]
    """
    out = []
    for text in evidence:
        try:
            found = json.loads(text).get("candidates") if isinstance(text, str) else None
        except ValueError:
            found = None
        out.append(tuple(found) if isinstance(found, list) else ())
    return out


def _is_scalar(values) -> bool:
    return isinstance(values, tuple) or np.ndim(values) == 0


def _broadcast(values, n: int) -> np.ndarray:
    """The column as an array of ``n`` values (a single value is repeated)."""
    if not _is_scalar(values):
        return np.asarray(values)
    if isinstance(values, (bool, np.bool_)):
        return np.full(n, bool(values), dtype=bool)
    if isinstance(values, (int, float, np.integer, np.floating)):
        return np.full(n, values)
    out = np.empty(n, dtype=object)
    out.fill(values)  # a tuple stays one value per row
    return out


def _codes(values: np.ndarray) -> tuple[np.ndarray, list]:
    """Integer codes (nulls get their own code) and the distinct values."""
    arr = np.asarray(values)
    if arr.dtype == bool:
        return arr.astype(np.int64), [False, True]
    codes, uniques = pd.factorize(pd.Series(arr, dtype=object), use_na_sentinel=True)
    uniques = list(uniques)
    if (codes < 0).any():
        codes = np.where(codes < 0, len(uniques), codes)
        uniques.append(None)
    return codes.astype(np.int64), uniques


def _is_float(values: np.ndarray) -> bool:
    return np.issubdtype(np.asarray(values).dtype, np.floating)


def _few_codes(values: np.ndarray) -> tuple[np.ndarray, list] | _Coded | None:
    """Codes and distinct values of a field with few distinct values, :class:`_Coded` for the
    other non-float fields (so :func:`_row_text` need not code them again), None for floats."""
    if _is_float(values):
        return None
    codes, uniques = _codes(values)
    return (codes, uniques) if len(uniques) <= _FEW else _Coded(codes, uniques)


@dataclass(frozen=True)
class _Coded:
    """A field as integer codes and its distinct values (from :func:`_codes`)."""

    codes: np.ndarray
    uniques: list


def _json_value(v) -> str:
    """JSON text of one value (``None`` and non-finite floats are ``null``)."""
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "null"
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    if isinstance(v, tuple):
        return "[" + ",".join(_json_value(x) for x in v) + "]"
    v = str(v)
    if v.isascii() and v.isprintable() and '"' not in v and "\\" not in v:
        return '"' + v + '"'  # what json.dumps writes for such a string, without its machinery
    return json.dumps(v)


def _few_text(few: dict, n: int, *, prefix: str, suffix: str) -> np.ndarray:
    """The fragment of the low-cardinality fields of each row, written once per distinct combination."""
    combined = np.zeros(n, dtype=np.int64)
    for codes, uniques in few.values():
        combined, _ = pd.factorize(combined * (len(uniques) + 1) + codes)
    distinct_rows = np.unique(combined, return_index=True)[1]
    fragments = []
    for row in distinct_rows:
        parts = [f"{json.dumps(name)}:{_json_value(uniques[codes[row]])}"
                 for name, (codes, uniques) in few.items()]
        fragments.append(prefix + ",".join(parts) + suffix)
    table = np.empty(int(combined.max()) + 1, dtype=object)
    table[combined[distinct_rows]] = fragments
    return table[combined]


def _row_text(values: np.ndarray | _Coded) -> np.ndarray:
    """JSON text of each value of a high-cardinality field (an array, or already :class:`_Coded`)."""
    if isinstance(values, _Coded):
        return _encoded(values.uniques)[values.codes]
    arr = np.asarray(values)
    if np.issubdtype(arr.dtype, np.floating):
        # float64: Python's repr is numpy's text for it (the shortest round trip), built faster
        text = (np.array(list(map(repr, arr.tolist())), dtype=object) if arr.dtype == np.float64
                else arr.astype(str).astype(object))
        text[~np.isfinite(arr)] = "null"
        return text
    if np.issubdtype(arr.dtype, np.integer):
        return arr.astype(str).astype(object)
    codes, uniques = _codes(arr)
    return _encoded(uniques)[codes]


def _encoded(uniques: list) -> np.ndarray:
    """JSON text of each distinct value: plain strings inline (what :func:`_json_value` writes), the rest by it."""
    return np.array([f'"{u}"' if type(u) is str and u.isascii() and u.isprintable() and '"' not in u
                     and "\\" not in u else _json_value(u) for u in uniques], dtype=object)
