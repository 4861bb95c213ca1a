"""What each column of a report table holds, read from its header row.

One owner for the column vocabulary (:mod:`.patterns`): a pipe that reads values from a
table (SUVmax, previous SUVmax, sizes) asks :func:`column_meanings` which column holds
them. :func:`aligned_tables` writes the columns of a table aligned with spaces (the way
PDF exports lay them out) as pipes, one character for one, so that such a table reads
as the pipe table it renders.
"""

from __future__ import annotations

import re

from . import patterns

__all__ = ["aligned_tables", "column_meanings", "is_reference_row"]

_I = re.IGNORECASE
_COLUMNS = re.compile(
    "|".join(f"(?P<{meaning}>{regex})" for meaning, regex in patterns.COLUMNS.items()), _I
)
_PREVIOUS = re.compile(patterns.PREVIOUS_COLUMN, _I)
_CURRENT = re.compile(patterns.CURRENT_COLUMN, _I)
_REFERENCE_ROW = re.compile(patterns.REFERENCE_ROW, _I)
_LIVER_ROW = re.compile(patterns.LIVER_ROW, _I)
_LESION_ROW = re.compile(patterns.LESION_ROW, _I)
_GAP = re.compile(patterns.ALIGNED_GAP)
_DIGIT = re.compile(r"\d")
_VALUE_MEANINGS = ("suvmax", "other_measure", "size")


def column_meanings(cells: list[str], previous: re.Pattern | None = None) -> list[str | None]:
    """The meaning of each header cell: ``"suvmax"``, ``"previous_suvmax"``,
    ``"other_measure"`` (SUVmean, SULpeak, MTV...), ``"size"``, ``"site"`` or ``None``.

    A SUVmax column whose header names a previous exam is ``"previous_suvmax"``; with
    two SUVmax columns and neither named this exam's, the first is this exam's unless
    it names a previous exam; when both name one (two dates), the last is this exam's.
    ``previous`` is the regex of a previous exam's column (default:
    :data:`.patterns.PREVIOUS_COLUMN`).

    Examples
    --------
    >>> column_meanings(["Lésion", " Taille (mm) ", "SUVmean", "SUVmax", "SUVmax antérieur"])
    ['site', 'size', 'other_measure', 'suvmax', 'previous_suvmax']
    >>> column_meanings(["Site", "SUVmax [DATE]", "SUVmax [DATE]"])
    ['site', 'previous_suvmax', 'suvmax']
    """
    out: list[str | None] = []
    for cell in cells:
        m = _COLUMNS.search(cell)
        meaning = m.lastgroup if m else None
        if meaning == "suvmax" and (previous or _PREVIOUS).search(cell) and not _CURRENT.search(cell):
            meaning = "previous_suvmax"
        out.append(meaning)
    if "suvmax" not in out and out.count("previous_suvmax") >= 2:
        out[len(out) - 1 - out[::-1].index("previous_suvmax")] = "suvmax"
    return out


def is_reference_row(label: str) -> str | None:
    """The reference region a table row names (``"liver_reference"`` or
    ``"mediastinal_blood_pool"``), or ``None`` when it names none or names a lesion.

    ``label`` is the row's text outside its value columns.

    Examples
    --------
    >>> is_reference_row("Foie (référence)"), is_reference_row("Pool sanguin médiastinal")
    ('liver_reference', 'mediastinal_blood_pool')
    >>> is_reference_row("Foie, segment VII"), is_reference_row("Adénopathie médiastinale 4R")
    (None, None)
    """
    if not _REFERENCE_ROW.search(label) or _LESION_ROW.search(label):
        return None
    return "liver_reference" if _LIVER_ROW.search(label) else "mediastinal_blood_pool"


def _cells(line: str) -> int:
    """Cells of a line aligned with spaces (its indentation aside)."""
    return len(_GAP.findall(line)) + 1 if line.strip() else 0


def aligned_tables(text: str, hidden: list[tuple[int, int]] | None = None) -> str:
    """``text`` with the columns of its space-aligned tables written as pipes (one for one).

    A table is a header line with no digit and two cells or more separated by two
    spaces or more, one of which names a value column (SUVmax, another measure, a
    size: :data:`.patterns.COLUMNS`), and the lines right under it with as many
    cells. The first space of each gap becomes a pipe. Other lines are left as written.
    Lines that start in a ``hidden`` range (page furniture a table runs across) are
    stepped over.

    Examples
    --------
    >>> print(aligned_tables("Région        SUVmax   SUVmean\\nFoie          2,6      1,9\\nFin du tableau."))
    Région|       SUVmax|  SUVmean
    Foie|         2,6|     1,9
    Fin du tableau.
    """
    if "  " not in text:
        return text
    lines = text.split("\n")
    skip: set[int] = set()
    if hidden:
        pos = 0
        for k, line in enumerate(lines):
            if any(s <= pos < e for s, e in hidden):
                skip.add(k)
            pos += len(line) + 1
    out = None
    i = 0
    while i < len(lines):
        line = lines[i]
        n = _cells(line) if "  " in line.strip() else 0
        j = i + 1
        if n >= 2 and "|" not in line and not _DIGIT.search(line):
            cells = [c for c in re.split(r" {2,}", line.strip())]
            if any(m in _VALUE_MEANINGS or m == "previous_suvmax" for m in column_meanings(cells)):
                while j < len(lines) and (
                    j in skip or ("|" not in lines[j] and _cells(lines[j]) == n)
                ):
                    j += 1
                if j - i >= 2:
                    out = list(lines) if out is None else out
                    for k in range(i, j):
                        if k not in skip:
                            out[k] = _GAP.sub(lambda m: "|" + m.group()[1:], lines[k])
        i = j
    return text if out is None else "\n".join(out)
