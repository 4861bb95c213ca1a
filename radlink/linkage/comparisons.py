"""Comparison vocabulary: ladders of agreement levels computed on candidate pairs.

Names follow splink's grammar, ``<Metric>AtThresholds``: each comparison turns a frame
of candidate pairs (left columns suffixed ``_l``, right columns ``_r``) into one small
integer per pair, its *level*. Level 0 is the strongest agreement (exact), the last
level is "else", and ``-1`` is the null level (a value missing on either side), which
carries no evidence. Every comparison is vectorised: string similarities go through
``rapidfuzz.process.cpdist`` (one C call per column pair, ``workers`` threads) and
dates through numpy; nothing loops over pairs in Python.

Examples
--------
>>> import pandas as pd
>>> pairs = pd.DataFrame({"family_l": ["DUPONT", "DUPOND", None], "family_r": ["DUPONT", "DUPONT", "MARTIN"]})
>>> JaroWinklerAtThresholds("family", (0.92, 0.8)).levels(pairs).tolist()
[0, 1, -1]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

__all__ = [
    "Comparison",
    "ExactMatch",
    "JaroWinklerAtThresholds",
    "DateOfBirthAtThresholds",
    "IppAtThresholds",
    "AbsoluteTimeDifferenceAtThresholds",
    "string_similarity",
]


def _strings(values: pd.Series) -> tuple[list[str], np.ndarray]:
    """Values as a list of str ("" for nulls) and the mask of non-null values."""
    arr = values.to_numpy(dtype=object)
    mask = pd.notna(arr)
    out = np.where(mask, arr, "")
    return out.tolist(), mask


def _column(pairs: pd.DataFrame, name: str, cache: dict | None) -> tuple[np.ndarray, np.ndarray]:
    """A column as an object array and its non-null mask, computed once per ``cache``."""
    if cache is not None and name in cache:
        return cache[name]
    arr = pairs[name].to_numpy(dtype=object)
    out = (arr, pd.notna(arr))
    if cache is not None:
        cache[name] = out
    return out


def _similarity_on(left: np.ndarray, lmask: np.ndarray, right: np.ndarray, rmask: np.ndarray,
                   workers: int) -> np.ndarray:
    """Jaro–Winkler of the rows where both sides are present (``nan`` elsewhere)."""
    sim = np.full(len(left), np.nan)
    rows = np.flatnonzero(lmask & rmask)
    if len(rows):
        sim[rows] = process.cpdist(left[rows].tolist(), right[rows].tolist(),
                                   scorer=JaroWinkler.normalized_similarity, dtype=np.float32,
                                   workers=workers)
    return sim


def _cached_similarity(pairs: pd.DataFrame, lcol: str, rcol: str, workers: int,
                       cache: dict | None) -> np.ndarray:
    """:func:`_similarity_on` of two columns, computed once per ``cache`` (never modify the result)."""
    key = ("similarity", lcol, rcol)
    if cache is not None and key in cache:
        return cache[key]
    left, lmask = _column(pairs, lcol, cache)
    right, rmask = _column(pairs, rcol, cache)
    sim = _similarity_on(left, lmask, right, rmask, workers)
    if cache is not None:
        cache[key] = sim
    return sim


def string_similarity(left: pd.Series, right: pd.Series, *, workers: int = 1) -> np.ndarray:
    """Jaro–Winkler similarity of corresponding values, ``nan`` where either is null.

    Examples
    --------
    >>> import pandas as pd
    >>> string_similarity(pd.Series(["MARTIN", None]), pd.Series(["MARTINE", "X"])).round(3).tolist()
    [0.971, nan]
    """
    lvals, lmask = _strings(left)
    rvals, rmask = _strings(right)
    if len(lvals) == 0:
        return np.zeros(0, dtype=np.float64)
    sim = process.cpdist(lvals, rvals, scorer=JaroWinkler.normalized_similarity,
                         dtype=np.float32, workers=workers).astype(np.float64)
    sim[~(lmask & rmask)] = np.nan
    return sim


def _ladder(score: np.ndarray, exact: np.ndarray, thresholds: tuple[float, ...]) -> np.ndarray:
    """Levels from a similarity: 0 exact, 1.. thresholds, last else, -1 null (nan)."""
    n = len(thresholds)
    level = np.full(len(score), n + 1, dtype=np.int8)
    for i in range(n - 1, -1, -1):
        level[score >= thresholds[i]] = i + 1
    level[exact] = 0
    level[np.isnan(score)] = -1
    return level


@dataclass
class Comparison:
    """Base of every comparison: a name, level labels and a vectorised ``levels``.

    Subclasses implement :meth:`levels`, returning ``int8`` levels (``-1`` null).
    """

    column: str

    @property
    def name(self) -> str:
        return self.column

    @property
    def level_names(self) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def n_levels(self) -> int:
        """Number of non-null levels."""
        return len(self.level_names)

    def levels(self, pairs: pd.DataFrame, *, workers: int = 1,
               cache: dict | None = None) -> np.ndarray:  # pragma: no cover
        """Level of each pair (``int8``, ``-1`` null). ``cache`` shares column conversions."""
        raise NotImplementedError


@dataclass
class ExactMatch(Comparison):
    """Two levels: equal, or not.

    ``null_values`` are treated as missing (e.g. sex ``"U"``, unknown).

    Examples
    --------
    >>> import pandas as pd
    >>> ExactMatch("sex", null_values=("U",)).levels(pd.DataFrame({"sex_l": ["F", "U", "M"], "sex_r": ["F", "F", "F"]})).tolist()
    [0, -1, 1]
    """

    null_values: tuple[str, ...] = ()

    @property
    def level_names(self) -> list[str]:
        return ["exact", "else"]

    def levels(self, pairs: pd.DataFrame, *, workers: int = 1, cache: dict | None = None) -> np.ndarray:
        left, lmask = _column(pairs, f"{self.column}_l", cache)
        right, rmask = _column(pairs, f"{self.column}_r", cache)
        null = ~(lmask & rmask)
        for v in self.null_values:
            null |= (left == v) | (right == v)
        level = np.where(left == right, 0, 1).astype(np.int8)
        level[null] = -1
        return level


@dataclass
class JaroWinklerAtThresholds(Comparison):
    """Exact, then Jaro–Winkler similarity at decreasing thresholds, then else.

    The best similarity over ``alternatives`` is used: each alternative is a
    ``(left_column, right_column)`` pair compared besides ``(column_l, column_r)``
    (a married name against the birth name, a name without its particles...).

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"family_l": ["MARTIN"], "family_r": ["DUPONT"], "usage_r": ["MARTIN"]})
    >>> c = JaroWinklerAtThresholds("family", (0.92,), alternatives=(("family_l", "usage_r"),))
    >>> c.level_names, c.levels(pairs).tolist()
    (['exact', 'jw>=0.92', 'else'], [0])
    """

    thresholds: tuple[float, ...] = (0.92, 0.8)
    alternatives: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def level_names(self) -> list[str]:
        return ["exact"] + [f"jw>={t:g}" for t in self.thresholds] + ["else"]

    def similarity(self, pairs: pd.DataFrame, *, workers: int = 1,
                   cache: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Best similarity over the column pairs and whether any pair is exactly equal."""
        combos = ((f"{self.column}_l", f"{self.column}_r"),) + tuple(self.alternatives)
        best = np.full(len(pairs), np.nan)
        exact = np.zeros(len(pairs), dtype=bool)
        for lcol, rcol in combos:
            if lcol not in pairs or rcol not in pairs:
                continue
            left, lmask = _column(pairs, lcol, cache)
            right, rmask = _column(pairs, rcol, cache)
            sim = _cached_similarity(pairs, lcol, rcol, workers, cache)
            best = np.fmax(best, sim)
            exact |= (left == right) & lmask & rmask
        return best, exact

    def levels(self, pairs: pd.DataFrame, *, workers: int = 1, cache: dict | None = None) -> np.ndarray:
        best, exact = self.similarity(pairs, workers=workers, cache=cache)
        return _ladder(best, exact, self.thresholds)


@dataclass
class DateOfBirthAtThresholds(Comparison):
    """Birth dates: exact, day and month swapped, one of day/month/year differs, else.

    "One differs" catches a typo in one field (``1951`` -> ``1915``, ``12`` -> ``21``).

    Examples
    --------
    >>> import pandas as pd
    >>> d = lambda xs: pd.to_datetime(pd.Series(xs))
    >>> pairs = pd.DataFrame({"birth_date_l": d(["1950-03-04", "1950-04-03", "1915-03-04", "1960-01-01", None]),
    ...                       "birth_date_r": d(["1950-03-04"] * 5)})
    >>> DateOfBirthAtThresholds("birth_date").levels(pairs).tolist()
    [0, 1, 2, 3, -1]
    """

    @property
    def level_names(self) -> list[str]:
        return ["exact", "day_month_swapped", "one_field_differs", "else"]

    def levels(self, pairs: pd.DataFrame, *, workers: int = 1, cache: dict | None = None) -> np.ndarray:
        left = pd.DatetimeIndex(pairs[f"{self.column}_l"])
        right = pd.DatetimeIndex(pairs[f"{self.column}_r"])
        null = np.asarray(left.isna() | right.isna())
        ly, lm, ld = (np.asarray(left.year), np.asarray(left.month), np.asarray(left.day))
        ry, rm, rd = (np.asarray(right.year), np.asarray(right.month), np.asarray(right.day))
        same_y, same_m, same_d = ly == ry, lm == rm, ld == rd
        level = np.full(len(pairs), 3, dtype=np.int8)
        level[(same_y.astype(int) + same_m + same_d) >= 2] = 2
        level[same_y & (lm == rd) & (ld == rm)] = 1
        level[same_y & same_m & same_d] = 0
        level[null] = -1
        return level


@dataclass
class IppAtThresholds(Comparison):
    """Patient ids (IPP): exact, one edit (OSA distance 1), leading characters lost, else.

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"ipp_l": ["123456", "124356", "3456", "999999", None],
    ...                       "ipp_r": ["123456"] * 5})
    >>> IppAtThresholds("ipp").levels(pairs).tolist()
    [0, 1, 2, 3, -1]
    """

    min_suffix: int = 4

    @property
    def level_names(self) -> list[str]:
        return ["exact", "one_edit", "leading_lost", "else"]

    def levels(self, pairs: pd.DataFrame, *, workers: int = 1, cache: dict | None = None) -> np.ndarray:
        left, lmask = _column(pairs, f"{self.column}_l", cache)
        right, rmask = _column(pairs, f"{self.column}_r", cache)
        level = np.full(len(left), -1, dtype=np.int8)
        present = np.flatnonzero(lmask & rmask)
        if len(present) == 0:
            return level
        sub = self._levels_present(left[present], right[present], workers)
        level[present] = sub
        return level

    def _levels_present(self, left: np.ndarray, right: np.ndarray, workers: int) -> np.ndarray:
        lvals, rvals = left.tolist(), right.tolist()
        level = np.full(len(lvals), 3, dtype=np.int8)
        dist = process.cpdist(lvals, rvals, scorer=OSA.distance, dtype=np.int32, workers=workers)
        ls = pd.Series(left, dtype=object)
        rs = pd.Series(right, dtype=object)
        llen = np.fromiter(map(len, lvals), dtype=np.int64, count=len(lvals))  # (every value is present)
        rlen = np.fromiter(map(len, rvals), dtype=np.int64, count=len(rvals))
        # the shorter one is a suffix of the longer one: lengths differ by dist
        diff = np.abs(llen - rlen)
        suffix = np.flatnonzero((np.minimum(llen, rlen) >= self.min_suffix) & (dist == diff)
                                & (dist >= 1) & (dist <= 3))
        if len(suffix):
            a, b = ls.to_numpy()[suffix], rs.to_numpy()[suffix]
            longer = pd.Series(np.where(llen[suffix] >= rlen[suffix], a, b), dtype=object)
            shorter = pd.Series(np.where(llen[suffix] < rlen[suffix], a, b), dtype=object)
            for d in (1, 2, 3):
                rows = diff[suffix] == d
                if rows.any():
                    ok = (longer[rows].str[d:] == shorter[rows]).to_numpy()
                    level[suffix[rows][ok]] = 2
        level[dist == 1] = 1
        level[dist == 0] = 0
        return level


@dataclass
class AbsoluteTimeDifferenceAtThresholds(Comparison):
    """Signed time from left to right (``right - left``) within windows, in hours.

    Levels: within each window ``[-before, after_i]``, then else. Used for a report
    dated after its exam.

    Examples
    --------
    >>> import pandas as pd
    >>> t = lambda xs: pd.to_datetime(pd.Series(xs), format="ISO8601")
    >>> pairs = pd.DataFrame({"t_l": t(["2020-01-01 10:00"] * 3),
    ...                       "t_r": t(["2020-01-01 12:00", "2020-01-05 00:00", "2019-12-01 00:00"])})
    >>> AbsoluteTimeDifferenceAtThresholds("t", (24, 240)).levels(pairs).tolist()
    [0, 1, 2]
    """

    thresholds_hours: tuple[float, ...] = (24.0, 240.0)
    before_hours: float = 2.0

    @property
    def level_names(self) -> list[str]:
        return [f"within_{t:g}h" for t in self.thresholds_hours] + ["else"]

    def levels(self, pairs: pd.DataFrame, *, workers: int = 1, cache: dict | None = None) -> np.ndarray:
        left = pd.DatetimeIndex(pairs[f"{self.column}_l"])
        right = pd.DatetimeIndex(pairs[f"{self.column}_r"])
        hours = np.asarray((right - left) / pd.Timedelta(hours=1), dtype=np.float64)
        level = np.full(len(hours), len(self.thresholds_hours), dtype=np.int8)
        for i in range(len(self.thresholds_hours) - 1, -1, -1):
            level[(hours >= -self.before_hours) & (hours <= self.thresholds_hours[i])] = i
        level[np.isnan(hours)] = -1
        return level
