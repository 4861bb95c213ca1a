"""Frames whose text columns stay ``object`` arrays (no pandas 3 ``str`` round trip).

pandas 3 stores a column of Python strings as its arrow-backed ``str`` dtype when a
frame is built from, or assigned, an ``object`` array; reading it back with
``to_numpy(dtype=object)`` converts it again. Inside the linkage, where columns are
only ever read back as numpy arrays, both conversions are pure cost (about a fifth of
the linkage time at 10^5 exams): these helpers keep ``object`` arrays as they are.
Under pandas 2 they change nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["object_frame", "object_column", "sort_rank"]


def object_column(values, index=None) -> pd.Series | object:
    """``values`` as a Series kept ``object`` when it is an ``object`` array, else as is.

    Examples
    --------
    >>> import numpy as np
    >>> str(object_column(np.array(["a", None], dtype=object)).dtype)
    'object'
    """
    if isinstance(values, np.ndarray) and values.dtype == object:
        return pd.Series(values, index=index, dtype=object, copy=False)
    return values


def object_frame(columns: dict, index=None, *, copy: bool = True) -> pd.DataFrame:
    """A frame from a dict of arrays whose ``object`` arrays stay ``object``.

    ``copy=False`` keeps the given arrays as the frame's columns (no copy into one block per
    dtype: the cost of a frame of many long columns): for arrays made for the frame alone
    and never written after, e.g. columns taken for candidate pairs.

    Examples
    --------
    >>> import numpy as np
    >>> object_frame({"a": np.array(["x", None], dtype=object), "n": np.arange(2), "t": "exam"}).dtypes.astype(str).tolist()
    ['object', 'int64', 'object']
    >>> taken = np.array(["x", None], dtype=object)
    >>> bool(np.shares_memory(object_frame({"a": taken}, copy=False)["a"].to_numpy(), taken))
    True
    """
    arrays = [v for v in columns.values() if not isinstance(v, str)]
    if index is not None:
        n = len(index)
    elif arrays and all(isinstance(v, np.ndarray) for v in arrays):
        n = len(arrays[0])
    else:  # a Series brings its own index: its length is not decided here
        n = None
    if n is not None:  # a text given once is repeated as an object column too (not pandas 3's str)
        columns = {k: np.full(n, v, dtype=object) if isinstance(v, str) else v for k, v in columns.items()}
    return pd.DataFrame({k: object_column(v, index) for k, v in columns.items()}, index=index, copy=copy)


def sort_rank(values: np.ndarray) -> np.ndarray:
    """Each value's position among the sorted distinct values, nulls last: a sort on these integers
    orders rows as a sort on the values does.

    Examples
    --------
    >>> import numpy as np
    >>> sort_rank(np.array(["E2", None, "E10", "E2"], dtype=object)).tolist()
    [1, 2, 0, 1]
    """
    try:  # arrow sorts UTF-8 bytes, whose order is the code points' (Python's string order), in C++
        ranks = pc.rank(pa.array(values, type=pa.string(), from_pandas=True), sort_keys="ascending",
                        tiebreaker="dense")  # nulls last (arrow's default), all of one rank
        return ranks.to_numpy().astype(np.int64) - 1
    except (pa.ArrowException, TypeError):  # not all text: pandas sorts the values
        codes, uniques = pd.factorize(pd.Series(values, dtype=object), sort=True)
        return np.where(codes < 0, len(uniques), codes).astype(np.int64)
