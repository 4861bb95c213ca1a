"""Visit numbers: a stay id that is a visit number plus a movement suffix.

Many patient administration systems keep one visit number (NDA) per hospital visit and
one row per unit movement ("230004858-01" emergency room, "-02" short-stay unit, "-03"
ward), while the PACS worklist writes the bare visit number into the exam header. An
exam carrying "230004858" then carries no stay id of the warehouse, yet names the visit
whose movements are "230004858-01", "-02"...: :func:`visit_number` gives each stay id
its visit (the id without a trailing separator and one to three digits), and
:func:`stays_of_carried` finds, for carried ids that are no stay id, the stays of the
visit they name.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["visit_number", "stays_of_carried"]

_SUFFIX = r"[-_/.]\d{1,3}$"


def visit_number(stay_ids) -> np.ndarray:
    """Each stay id without its movement suffix (itself when it has none; null stays null).

    Examples
    --------
    >>> visit_number(["230004858-01", "230004858", "S-2021-7", None]).tolist()
    ['230004858', '230004858', 'S-2021', None]
    """
    values = pd.Series(np.asarray(stay_ids, dtype=object), dtype=object)
    ok = values.notna().to_numpy()
    out = np.full(len(values), None, dtype=object)
    out[ok] = values[ok].astype(str).str.replace(_SUFFIX, "", regex=True).to_numpy(dtype=object)
    return out


def stays_of_carried(carried, stay_ids) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(record, stay position)`` for carried ids that are no stay id but a visit number of some.

    Examples
    --------
    >>> rec, pos = stays_of_carried(["V1", "S9", "V2-01", None], ["V1-01", "V1-02", "V2-01", "S9"])
    >>> rec.tolist(), pos.tolist()
    ([0, 0], [0, 1])
    """
    carried = np.asarray(carried, dtype=object)
    ids = np.asarray(stay_ids, dtype=object)
    known = pd.Index(ids, dtype=object)
    rows = np.flatnonzero(pd.notna(carried))
    rows = rows[~pd.Index(carried[rows], dtype=object).isin(known)]
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    if not len(rows):
        return empty
    visits = visit_number(ids)
    moved = np.flatnonzero(pd.notna(visits) & (visits != ids))
    if not len(moved):
        return empty
    left = pd.DataFrame({"record": rows, "visit": carried[rows]})
    right = pd.DataFrame({"stay": moved, "visit": visits[moved]})
    pairs = left.merge(right, on="visit").sort_values(["record", "stay"], kind="mergesort")
    return pairs["record"].to_numpy(dtype=np.int64), pairs["stay"].to_numpy(dtype=np.int64)
