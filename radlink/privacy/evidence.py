"""Identifiers inside link evidence: find them and rewrite them in the JSON text.

Link evidence is a JSON object per row (see :mod:`radlink.linkage.evidence`). Its
string values can name ids (an IPP, an accession number) or a name from the DICOM
header; both helpers here read every JSON string left to right, keys apart, and work
once per distinct evidence text, so millions of links cost a few seconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["names_any_of", "rewrite_strings", "string_values"]

# A JSON string; group 2 is set when it is a key (followed by a colon). Matching every
# string left to right keeps quotes aligned (a JSON string holds no unescaped quote).
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:)?')


def names_any_of(evidence: pd.Series, ids: frozenset[str]) -> pd.Series:
    """Rows whose evidence has one of ``ids`` as a string value.

    Examples
    --------
    >>> import pandas as pd
    >>> names_any_of(pd.Series(['{"ipp":"P1"}', '{"P1":1}', None]), frozenset({"P1"})).tolist()
    [True, False, False]
    """
    if not ids or evidence.empty:
        return pd.Series(False, index=evidence.index)
    codes, uniques = pd.factorize(evidence.fillna(""))
    hits = np.array([any(m.group(2) is None and m.group(1) in ids for m in _QUOTED.finditer(u))
                     for u in uniques], dtype=bool)
    return pd.Series(hits[codes] if len(uniques) else False, index=evidence.index)


def string_values(evidence: str | None) -> list[str]:
    """The string values of one evidence JSON text (keys apart), decoded, as :func:`rewrite_strings` reads them.

    Examples
    --------
    >>> string_values('{"ipp":"P1","n":2,"names":["A\\u00e9"]}'), string_values(None)
    (['P1', 'Aé'], [])
    """
    if not isinstance(evidence, str):
        return []
    return [json.loads(f'"{m.group(1)}"') for m in _QUOTED.finditer(evidence) if m.group(2) is None]


def rewrite_strings(evidence: pd.Series, replace: Callable[[str], str]) -> pd.Series:
    """Rewrite the string values of evidence JSON with ``replace`` (keys are kept).

    ``replace`` is called once per distinct string value.

    Examples
    --------
    >>> import pandas as pd
    >>> rewrite_strings(pd.Series(['{"ipp":"P1","n":2}', None]), str.lower).tolist()
    ['{"ipp":"p1","n":2}', None]
    """
    cache: dict[str, str] = {}

    def sub(m: re.Match) -> str:
        if m.group(2) is not None:  # a key
            return m.group()
        value = m.group(1)
        out = cache.get(value)
        if out is None:
            out = cache[value] = json.dumps(replace(json.loads(f'"{value}"')), ensure_ascii=False)
        return out

    codes, uniques = pd.factorize(evidence, use_na_sentinel=True)
    if not len(uniques):
        return evidence
    scrubbed = np.array([_QUOTED.sub(sub, u) if isinstance(u, str) else u for u in uniques]
                        + [None], dtype=object)
    return pd.Series(scrubbed[codes], index=evidence.index, dtype=object)
