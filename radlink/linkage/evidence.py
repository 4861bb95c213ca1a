"""Evidence: the JSON text of the ``links.evidence`` column, built column-wise.

A million links cannot afford a million ``json.dumps`` calls. :func:`json_objects`
encodes each field once per *distinct* value; the fields with few distinct values
(levels, decisions, flags) are combined first, so the JSON fragment of each distinct
combination is written once and taken by row; only high-cardinality fields (ids,
weights, hours) are appended row by row with numpy string arithmetic. The output is
ordinary JSON, one object per link (low-cardinality fields first).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

__all__ = ["json_objects"]

_FEW = 4096  # a field with at most this many distinct values is combined, not appended


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


def _json_value(v, raw: bool) -> str:
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "null"
    if raw:
        return str(v)
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return json.dumps(str(v))


def _row_text(values: np.ndarray, raw: bool) -> np.ndarray:
    """JSON text of each value of a high-cardinality field."""
    arr = np.asarray(values)
    if np.issubdtype(arr.dtype, np.floating):
        text = arr.astype(str).astype(object)
        text[~np.isfinite(arr)] = "null"
        return text
    if np.issubdtype(arr.dtype, np.integer):
        return arr.astype(str).astype(object)
    codes, uniques = _codes(arr)
    encoded = np.array([_json_value(u, raw) for u in uniques], dtype=object)
    return encoded[codes]


def json_objects(columns: dict[str, np.ndarray], *, raw: tuple[str, ...] = ()) -> np.ndarray:
    """One JSON object per row from aligned columns.

    Parameters
    ----------
    columns : dict
        Field name -> array of values (str, bool, int, float or None).
    raw : tuple of str
        Fields whose values are already JSON text (``None`` -> ``null``).

    Examples
    --------
    >>> import numpy as np
    >>> json_objects({"rule": np.array(["ipp", "dob"], dtype=object), "w": np.array([1.5, np.nan]),
    ...               "ok": np.array([True, False])}).tolist()
    ['{"rule":"ipp","ok":true,"w":1.5}', '{"rule":"dob","ok":false,"w":null}']
    """
    columns = dict(columns)
    n = len(next(iter(columns.values()))) if columns else 0
    if n == 0:
        return np.zeros(0, dtype=object)
    few, many = [], []
    for name, values in columns.items():
        arr = np.asarray(values)
        if np.issubdtype(arr.dtype, np.floating):
            many.append(name)
            continue
        codes, uniques = _codes(arr)
        (few if len(uniques) <= _FEW else many).append(name)
        if len(uniques) <= _FEW:
            columns[name] = (codes, uniques)
    # Combine the low-cardinality fields into one code per row.
    combined = np.zeros(n, dtype=np.int64)
    for name in few:
        codes, uniques = columns[name]
        combined, _ = pd.factorize(combined * (len(uniques) + 1) + codes)
    distinct_rows = np.unique(combined, return_index=True)[1]
    fragments = []
    for row in distinct_rows:
        parts = []
        for name in few:
            codes, uniques = columns[name]
            parts.append(f"{json.dumps(name)}:{_json_value(uniques[codes[row]], name in raw)}")
        fragments.append(",".join(parts))
    table = np.empty(int(combined.max()) + 1, dtype=object)
    table[combined[distinct_rows]] = fragments
    out = "{" + table[combined]
    for i, name in enumerate(many):
        sep = "," if (few or i) else ""
        out = out + (sep + json.dumps(name) + ":") + _row_text(columns[name], name in raw)
    return out + "}"
