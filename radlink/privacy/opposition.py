"""Opposition lists: patients who opposed the research use of their data.

An opposition list is a file of patient ids (IPPs): a text file with one id per line
(``#`` starts a comment), or a CSV/parquet file with a ``patient_id`` column. The ids
are only ever compared, never printed: the manifest records how many patients and rows
were excluded, not which.

Which rows leave the outputs is decided by row rules (:func:`opposed_exams`,
:func:`opposed_reports`, :func:`opposed_events`, :func:`oppose_links`): the timeline job
applies them to whole tables, the Spark engine to each partition, with the same answers.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from radlink.errors import OppositionListError
from radlink.privacy.evidence import names_any_of, rewrite_strings
from radlink.readers import read_table, read_text

__all__ = ["read_opposition", "opposed_mask", "opposed_exams", "opposed_reports", "oppose_links", "opposed_events"]


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


def opposed_exams(patient_id: pd.Series, resolved: pd.Series, evidence: pd.Series,
                  opposed: frozenset[str]) -> np.ndarray:
    """Exams that leave the outputs: their IPP or linked patient is opposed, or, with no
    linked patient, their link evidence names an opposed patient.

    ``resolved`` is the exam's linked patient (None when not linked), ``evidence`` its
    exam→patient link's evidence, row for row. A row rule: any slice of the exams gives
    its own rows' answers (the Spark engine runs it per partition).

    Examples
    --------
    >>> import pandas as pd
    >>> opposed_exams(pd.Series(["A", None, None]), pd.Series([None, "B", None]),
    ...               pd.Series([None, None, '{"candidates":["B"]}']), frozenset({"B"})).tolist()
    [False, True, True]
    """
    resolved = resolved.reset_index(drop=True)
    evidence = evidence.reset_index(drop=True)
    return (patient_id.reset_index(drop=True).isin(opposed) | resolved.isin(opposed)
            | (resolved.isna() & names_any_of(evidence, opposed))).to_numpy(dtype=bool)


def opposed_reports(patient_id: pd.Series, linked_exam: pd.Series, opposed: frozenset[str],
                    excluded_exams: frozenset[str] | set[str]) -> np.ndarray:
    """Reports that leave the outputs: their own patient is opposed, or their linked exam left.

    Examples
    --------
    >>> import pandas as pd
    >>> opposed_reports(pd.Series(["A", "C"]), pd.Series(["E1", None]), frozenset({"C"}), {"E9"}).tolist()
    [False, True]
    """
    return (patient_id.reset_index(drop=True).isin(opposed)
            | linked_exam.reset_index(drop=True).isin(excluded_exams)).to_numpy(dtype=bool)


def oppose_links(links: pd.DataFrame, opposed: frozenset[str], excluded_exams, excluded_reports,
                 excluded_stays) -> pd.DataFrame:
    """The links left once opposed patients' rows are out (a row rule, any slice of the links).

    Links from an excluded exam or report are dropped; links to an opposed patient or
    to an excluded exam or stay become ``unlinked`` with method ``opposition``; opposed
    ids are blanked (``…``) in evidence.

    Examples
    --------
    >>> import pandas as pd
    >>> links = pd.DataFrame({"source_type": ["exam", "report"], "source_id": ["E1", "R1"],
    ...     "target_type": ["patient", "exam"], "target_id": ["P9", "E1"], "status": ["linked"] * 2,
    ...     "score": [0.9, 0.8], "method": ["m"] * 2, "evidence": ['{"ipp":"P9"}', "{}"]})
    >>> oppose_links(links, frozenset({"P9"}), set(), set(), set())[["status", "method", "evidence"]].values.tolist()
    [['unlinked', 'opposition', '{"reason": "target excluded by opposition"}'], ['linked', 'm', '{}']]
    """
    drop_src = (
        ((links.source_type == "exam") & links.source_id.isin(excluded_exams))
        | ((links.source_type == "report") & links.source_id.isin(excluded_reports))
    )
    links = links[~drop_src].copy()
    bad_target = (
        ((links.target_type == "patient") & links.target_id.isin(opposed))
        | ((links.target_type == "exam") & links.target_id.isin(excluded_exams))
        | ((links.target_type == "stay") & links.target_id.isin(excluded_stays))
    )
    if bad_target.any():
        links.loc[bad_target, ["target_id", "status", "score"]] = [None, "unlinked", np.nan]
        links.loc[bad_target, "method"] = "opposition"
        links.loc[bad_target, "evidence"] = json.dumps({"reason": "target excluded by opposition"})
    if opposed:
        links["evidence"] = rewrite_strings(links["evidence"], lambda s: "…" if s in opposed else s)
    return links.reset_index(drop=True)


def opposed_events(timeline: pd.DataFrame, opposed: frozenset[str], excluded_exams, excluded_reports,
                   excluded_stays) -> np.ndarray:
    """Timeline events that leave: an opposed patient's, or an excluded exam, report or stay.

    Examples
    --------
    >>> import pandas as pd
    >>> tl = pd.DataFrame({"patient_id": ["A", "B"], "event_type": ["exam", "stay"], "event_id": ["E1", "S1"]})
    >>> opposed_events(tl, frozenset({"B"}), set(), set(), set()).tolist()
    [False, True]
    """
    return (
        timeline.patient_id.isin(opposed)
        | ((timeline.event_type == "exam") & timeline.event_id.isin(excluded_exams))
        | ((timeline.event_type == "report") & timeline.event_id.isin(excluded_reports))
        | ((timeline.event_type == "stay") & timeline.event_id.isin(excluded_stays))
    ).to_numpy(dtype=bool)
