"""Opposition lists: patients who opposed the research use of their data.

An opposition list is a file of patient ids (IPPs): a text file with one id per line
(``#`` starts a comment), or a CSV/parquet file with a ``patient_id`` column. The ids
are only ever compared, never printed: the manifest records how many patients and rows
were excluded, not which.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from radlink.errors import OppositionListError
from radlink.readers import read_table, read_text

__all__ = ["read_opposition", "opposed_mask"]


def read_opposition(path: str | Path) -> frozenset[str]:
    """Read an opposition list.

    Parameters
    ----------
    path : path
        ``.txt`` (one id per line), ``.csv`` or ``.parquet`` (column ``patient_id``).

    Returns
    -------
    frozenset of str
        The opposed patient ids, stripped.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "opposition.txt"
    >>> _ = f.write_text("# opposed on 2024-01-02\\n800000001\\n 800000002 \\n")
    >>> sorted(read_opposition(f))
    ['800000001', '800000002']
    """
    path = Path(path)
    if not path.is_file():
        raise OppositionListError(f"opposition list {str(path)!r} not found")
    if path.suffix in (".csv", ".parquet"):
        df = read_table(path)
        if "patient_id" not in df.columns:
            raise OppositionListError(
                f"opposition list {str(path)!r}: column 'patient_id' is missing "
                f"(columns: {', '.join(map(str, df.columns))})"
            )
        ids = df["patient_id"].dropna().astype(str).str.strip()
        return frozenset(i for i in ids if i)
    lines = read_text(path).splitlines()  # UTF-8 (a byte-order mark is not an id), else cp1252
    return frozenset(s for line in lines if (s := line.split("#", 1)[0].strip()))


def opposed_mask(*patient_columns: pd.Series, opposed: frozenset[str]) -> pd.Series:
    """Rows where any of the given patient-id columns names an opposed patient.

    Examples
    --------
    >>> import pandas as pd
    >>> opposed_mask(pd.Series(["A", None, "C"]), pd.Series([None, "B", None]), opposed=frozenset({"B"})).tolist()
    [False, True, False]
    """
    if not patient_columns:
        raise ValueError("give at least one patient-id column")
    mask = pd.Series(False, index=patient_columns[0].index)
    if not opposed:
        return mask
    for col in patient_columns:
        mask |= col.isin(opposed).fillna(False).astype(bool)
    return mask
