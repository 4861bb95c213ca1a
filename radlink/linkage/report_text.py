"""What a report's own words say about its exam: type, stated exam date, addendum.

Used when the title says nothing ("CR d'imagerie médicale"). Only the opening of each
text is read (heading, indication, technique), with the small patterns of
:mod:`radlink.linkage.patterns`; each is a regular expression without nested
quantifiers, so the cost is linear in the characters read. No NLP pipeline is needed
(and linkage may not import :mod:`radlink.nlp`): a caller that has NLP facts can pass
them instead as the optional report columns ``stated_exam_date`` and
``stated_modality_class`` (see :func:`report_text_facts`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from radlink.linkage.normalize import strip_accents
from radlink.linkage.patterns import (
    ADDENDUM_PATTERN,
    EXAM_DATE_PATTERN,
    MONTHS,
    TEXT_MODALITY_PATTERNS,
)

__all__ = ["upper_ascii", "stated_exam_dates", "says_addendum", "text_modality_class", "report_text_facts"]

_HTML_ACCENT = re.compile(r"&([A-Za-z])(?:acute|grave|circ|uml|cedil);")
_DATE_RE = re.compile(EXAM_DATE_PATTERN)


def upper_ascii(text: pd.Series, max_chars: int) -> pd.Series:
    """The first ``max_chars`` characters, HTML residue removed, accents stripped, upper case.

    Examples
    --------
    >>> import pandas as pd
    >>> upper_ascii(pd.Series(["<p>Ad&eacute;nopathie<br>TEP réalisée", None]), 40).tolist()
    ['\\nADENOPATHIE\\nTEP REALISEE', None]
    """
    text = text.astype(object).str.slice(0, max_chars)
    text = text.str.replace(_HTML_ACCENT, r"\1", regex=True).str.replace("&nbsp;", " ", regex=False)
    text = text.str.replace(r"<[^>]{0,80}>", "\n", regex=True)
    return strip_accents(text).str.upper()


def stated_exam_dates(text: pd.Series, max_chars: int = 600) -> np.ndarray:
    """The exam date a report states at the start of a line (``datetime64[D]``, NaT when none).

    Examples
    --------
    >>> import pandas as pd
    >>> stated_exam_dates(pd.Series(["Examen du 03/03/2021.", "TEP réalisée le 3 mars 2021",
    ...     "x\\nTDM du 12.03.2021", "Comparaison avec la TEP du 01/01/2020", None])).astype(str).tolist()
    ['2021-03-03', '2021-03-03', '2021-03-12', 'NaT', 'NaT']
    """
    up = upper_ascii(text, max_chars)
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[D]")
    ok = up.notna().to_numpy()
    if not ok.any():
        return out
    found = up[ok].str.extract(_DATE_RE)
    def either(a: pd.Series, b: pd.Series) -> pd.Series:  # no fillna: pandas 2 warns on object downcasts
        return a.where(a.notna(), b)

    day = either(found["day"], found["day2"])
    month = either(found["month"], found["month_name"].map({k: f"{v:02d}" for k, v in MONTHS.items()}))
    year = either(found["year"], found["year2"])
    stamp = year.astype(object) + "-" + month.astype(object).str.zfill(2) + "-" + day.astype(object).str.zfill(2)
    dates = pd.to_datetime(stamp, format="%Y-%m-%d", errors="coerce")
    out[ok] = dates.to_numpy().astype("datetime64[D]")
    return out


def says_addendum(title: pd.Series, text: pd.Series, max_chars: int = 120) -> np.ndarray:
    """Whether the title or the opening of the text announces an addendum or a correction.

    Examples
    --------
    >>> import pandas as pd
    >>> says_addendum(pd.Series(["Addendum - TEP-TDM", "TDM", None]),
    ...               pd.Series(["...", "Complément au compte rendu initial.", None])).tolist()
    [True, True, False]
    """
    hit = np.zeros(len(title), dtype=bool)
    for series, chars in ((title, 200), (text, max_chars)):
        up = upper_ascii(series, chars)
        hit |= up.str.contains(ADDENDUM_PATTERN, regex=True, na=False).to_numpy(dtype=bool)
    return hit


def text_modality_class(text: pd.Series, max_chars: int = 600) -> pd.Series:
    """Modality class named by the opening of a report text (first class in pattern order).

    Examples
    --------
    >>> import pandas as pd
    >>> text_modality_class(pd.Series(["Injection de FDG, scanner de repérage", "Acquisition hélicoïdale",
    ...                                "Rien"])).tolist()
    ['PET', 'CT', None]
    """
    up = upper_ascii(text, max_chars).str.replace(r"[^A-Z0-9 \n]", " ", regex=True)
    out = pd.Series([None] * len(text), index=text.index, dtype=object)
    for pattern, code in TEXT_MODALITY_PATTERNS:
        hit = out.isna() & up.str.contains(pattern, regex=True).fillna(False).astype(bool)
        out[hit] = code
    return out


def report_text_facts(reports: pd.DataFrame, need_type: np.ndarray | None = None) -> pd.DataFrame:
    """Per report: ``stated_exam_date``, ``text_class`` and ``addendum`` (row order of ``reports``).

    Precomputed columns win: a ``stated_exam_date`` or ``stated_modality_class`` column of
    ``reports`` (e.g. from :mod:`radlink.nlp`) is used as given. ``need_type`` restricts
    the reading of the exam type to those rows (e.g. the reports with a generic title).
    """
    n = len(reports)
    text = reports["text"].astype(object) if "text" in reports else pd.Series([None] * n, dtype=object)
    title = reports["title"].astype(object) if "title" in reports else pd.Series([None] * n, dtype=object)
    if "stated_exam_date" in reports:
        dates = pd.to_datetime(reports["stated_exam_date"], errors="coerce").to_numpy().astype("datetime64[D]")
    else:
        dates = stated_exam_dates(text)
    if "stated_modality_class" in reports:
        tclass = reports["stated_modality_class"].astype(object).to_numpy()
    else:
        tclass = np.full(n, None, dtype=object)
        rows = np.arange(n) if need_type is None else np.flatnonzero(need_type)
        if len(rows):
            tclass[rows] = text_modality_class(text.iloc[rows].reset_index(drop=True)).to_numpy(dtype=object)
    return pd.DataFrame({"stated_exam_date": dates, "text_class": tclass,
                         "addendum": says_addendum(title, text)})
