"""Group instance headers into studies: one exams row per Study Instance UID.

Representation
--------------
The input is one :class:`~radlink.dicom.header.InstanceHeader` per counted
file, in path order. The output is the canonical exams table (see
:mod:`radlink.tables`) plus two columns, ``n_series`` (distinct Series Instance UIDs)
and ``n_instances`` (files counted), and a warnings table. Everything is vectorised
with pandas group-bys: no Python loop over files or studies.

Choices
-------
- **Disagreeing files.** Every study-level column (patient id, name, birth date, sex,
  accession number, date and time, description, body part, institution, unit, stay)
  takes the value held by the most files of the study, nulls ignored; a tie goes to
  the value of the first file by path. Each column where files disagree gets one
  ``"conflicting_values"`` warning naming the column, never the values.
- **Dates.** ``StudyDate``/``PatientBirthDate`` must be DICOM ``DA`` (``YYYYMMDD``;
  the old ACR-NEMA ``YYYY.MM.DD`` is accepted). ``StudyTime`` is ``TM``
  (``HH[MM[SS[.F{1,6}]]]``; ``HH:MM:SS`` accepted). A value that is not a valid date
  or time becomes null and adds a ``"bad_date"``/``"bad_time"`` warning: the file is
  still counted, so accounting stays exact. A study with a date but no (or a bad)
  time is dated at midnight, as :func:`radlink.tables.parse_dates` dates a bare date.
- **Sex.** DICOM defines ``M``, ``F`` and ``O``; anything else becomes null with a
  ``"bad_sex"`` warning.
- **Modality** is the study's distinct modalities, sorted and joined by ``"\\"``
  (``"CT\\PT"``).

Warnings are aggregated per study, reason and detail: one row with the first file
concerned (``path``) and how many files it concerns (``n_files``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from radlink.dicom.header import InstanceHeader
from radlink.tables import datetimes_in_range, validate_table

__all__ = ["group_studies", "WARNING_REASONS", "WARNING_COLUMNS"]

WARNING_REASONS: dict[str, str] = {
    "bad_date": "a DA attribute is not a valid date: left null",
    "bad_time": "(0008,0030) Study Time is not a valid time: study dated at midnight",
    "bad_sex": "(0010,0040) Patient's Sex is not M, F or O: left null",
    "charset": "text decoded with a fallback character set (see detail)",
    "conflicting_values": "files of one study disagree on a column: the most frequent value kept",
    "duplicate_instance": "several files hold the same SOP Instance UID (all are counted)",
    "no_series_uid": "files without (0020,000E) Series Instance UID (counted, not in n_series)",
    "unlisted_directory": "a directory that could not be listed: its files were not seen",
    "symbolic_link": "a symbolic link: not followed, so what it points to was not read",
}
"""Warning code -> what it means. Warnings never remove a file from a study."""

WARNING_COLUMNS = ["exam_id", "path", "reason", "detail", "n_files"]

# Study-level column of the exams table <- InstanceHeader field, with the DICOM attribute.
_STUDY_COLUMNS: dict[str, tuple[str, str]] = {
    "accession_number": ("accession_number", "(0008,0050) Accession Number"),
    "patient_id": ("patient_id", "(0010,0020) Patient ID"),
    "patient_name": ("patient_name", "(0010,0010) Patient's Name"),
    "birth_date": ("birth_date", "(0010,0030) Patient's Birth Date"),
    "sex": ("sex", "(0010,0040) Patient's Sex"),
    "study_datetime": ("study_datetime", "(0008,0020/0030) Study Date and Time"),
    "study_description": ("study_description", "(0008,1030) Study Description"),
    "body_part": ("body_part", "(0018,0015) Body Part Examined"),
    "institution": ("institution", "(0008,0080) Institution Name"),
    "unit": ("unit", "(0008,1040) Institutional Department Name"),
    "stay_id": ("admission_id", "(0038,0010) Admission ID"),
}
_DICOM_SEX = frozenset({"M", "F", "O"})
_TM = r"^(\d{2})(?::?(\d{2})(?::?(\d{2})(?:\.(\d{1,6}))?)?)?$"  # TM, PS3.5 6.2


def group_studies(
    paths: Sequence[str], headers: Sequence[InstanceHeader]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build the exams table (one row per study) and its warnings from instance headers.

    Parameters
    ----------
    paths : sequence of str
        Path of each file (relative to the ingested directory), in path order.
    headers : sequence of InstanceHeader
        The header read from each of these files.

    Returns
    -------
    exams : pandas.DataFrame
        Validated canonical exams table, sorted by ``exam_id``, with ``n_series`` and
        ``n_instances``.
    warnings : pandas.DataFrame
        Columns :data:`WARNING_COLUMNS`, one row per study, reason and detail.

    Examples
    --------
    >>> from radlink.dicom.header import InstanceHeader
    >>> def h(series, modality, date):
    ...     return InstanceHeader("1.2.3", series, None, None, modality, "A1", "P1", "DOE^JO",
    ...                           "19500101", "F", date, "0830", None, None, None, None, None)
    >>> exams, warnings = group_studies(["a", "b", "c"], [h("1", "PT", "20200410"),
    ...     h("2", "CT", "20200410"), h("2", "CT", "2020-04-10")])
    >>> exams[["exam_id", "modality", "study_datetime", "n_series", "n_instances"]]
      exam_id modality      study_datetime  n_series  n_instances
    0   1.2.3    CT\\PT 2020-04-10 08:30:00         2            3
    >>> warnings[["path", "reason", "n_files"]]
      path    reason  n_files
    0    c  bad_date        1
    """
    columns = list(zip(*headers, strict=True)) if len(headers) else [()] * len(
        InstanceHeader._fields)
    files = pd.DataFrame({"path": np.asarray(paths, dtype=object)} | {
        field: np.asarray(values, dtype=object)
        for field, values in zip(InstanceHeader._fields[:-1], columns, strict=False)
    })
    files["order"] = np.arange(len(files))
    notes: list[pd.DataFrame] = [_file_warnings(files, headers)]

    study_date, bad = _parse_da(files["study_date"])
    notes.append(_flag(files, bad, "bad_date",
                       "(0008,0020) Study Date is not a DICOM date (YYYYMMDD); left null"))
    time_of_day, bad = _parse_tm(files["study_time"])
    notes.append(_flag(files, bad & study_date.notna(), "bad_time",
                       "(0008,0030) Study Time is not a DICOM time (HHMMSS.FFFFFF); "
                       "study dated at midnight"))
    files["study_datetime"] = study_date + time_of_day.fillna(pd.Timedelta(0))
    files["birth_date"], bad = _parse_da(files["birth_date"])
    notes.append(_flag(files, bad, "bad_date",
                       "(0010,0030) Patient's Birth Date is not a DICOM date (YYYYMMDD); "
                       "left null"))
    sex = files["sex"].str.strip().str.upper()
    bad = sex.notna() & ~sex.isin(_DICOM_SEX)
    files["sex"] = sex.where(~bad, None)
    notes.append(_flag(files, bad, "bad_sex",
                       "(0010,0040) Patient's Sex is not M, F or O; left null"))
    notes.append(_flag(files, files["series_uid"].isna(), "no_series_uid",
                       "no (0020,000E) Series Instance UID: counted, not in n_series"))
    dup = files["sop_instance_uid"].notna() & files.duplicated(
        ["study_uid", "sop_instance_uid"], keep=False)
    notes.append(_flag(files, dup, "duplicate_instance",
                       "several files hold the same (0008,0018) SOP Instance UID; all counted"))

    sid, study_uids = pd.factorize(files["study_uid"], sort=True)
    exams = pd.DataFrame(index=pd.Index(study_uids, name="exam_id"))
    kept, conflicts = _most_frequent(files, sid, len(study_uids),
                                     [field for field, _ in _STUDY_COLUMNS.values()])
    for column, (field, attribute) in _STUDY_COLUMNS.items():
        exams[column] = kept[field].to_numpy()
        notes.append(conflicts[field].assign(
            reason="conflicting_values",
            detail=f"{column}: files disagree on {attribute}; kept the most frequent value "
                   "(ties: first file by path)",
        ))
    exams["modality"] = _modalities(files["modality"], sid, len(study_uids))
    series = files["series_uid"].notna().to_numpy()
    n_series = pd.Series(files["series_uid"].to_numpy()[series]).groupby(sid[series]).nunique()
    exams["n_series"] = n_series.reindex(range(len(study_uids)), fill_value=0).to_numpy(
        dtype="int64")
    exams["n_instances"] = np.bincount(sid, minlength=len(study_uids)).astype("int64")
    exams = exams.reset_index()
    for column in ("birth_date", "study_datetime"):
        exams[column] = pd.to_datetime(exams[column])
    exams = validate_table(exams, "exams")
    return exams, _warnings_table(notes)


def _file_warnings(files: pd.DataFrame, headers: Sequence[InstanceHeader]) -> pd.DataFrame:
    rows = [(i, code, detail) for i, h in enumerate(headers) for code, detail in h.warnings]
    if not rows:
        return _no_warnings()
    pos, reasons, details = zip(*rows, strict=True)
    pos = np.asarray(pos)
    return pd.DataFrame({
        "study_uid": files["study_uid"].to_numpy()[pos],
        "path": files["path"].to_numpy()[pos],
        "order": pos,
        "reason": list(reasons),
        "detail": list(details),
    })


def _flag(files: pd.DataFrame, mask: pd.Series, reason: str, detail: str) -> pd.DataFrame:
    hit = files.loc[mask.to_numpy(), ["study_uid", "path", "order"]]
    return hit.assign(reason=reason, detail=detail)


def _no_warnings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in
                         ("study_uid", "path", "order", "reason", "detail")})


def _warnings_table(notes: list[pd.DataFrame]) -> pd.DataFrame:
    notes = [n for n in notes if len(n)]
    if not notes:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "n_files" else object)
                             for c in WARNING_COLUMNS})
    rows = pd.concat(notes, ignore_index=True).sort_values(["study_uid", "order"], kind="stable")
    if "n_files" not in rows:
        rows["n_files"] = 1
    rows["n_files"] = rows["n_files"].fillna(1).astype("int64")
    out = rows.groupby(["study_uid", "reason", "detail"], sort=False).agg(
        path=("path", "first"), order=("order", "min"), n_files=("n_files", "sum"))
    out = out.reset_index().rename(columns={"study_uid": "exam_id"})
    out = out.sort_values(["exam_id", "order", "reason"], kind="stable")
    return out[WARNING_COLUMNS].reset_index(drop=True)


def _on_distinct(parse, values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Apply ``parse`` to the distinct values only (files of a study share their dates)."""
    codes, distinct = pd.factorize(values)
    if len(distinct) == 0:
        return parse(values)
    parsed, bad = parse(pd.Series(distinct, dtype=object))
    present = codes >= 0
    take = np.where(present, codes, 0)
    out = pd.Series(parsed.to_numpy()[take], index=values.index).where(present)
    return out, pd.Series(bad.to_numpy()[take] & present, index=values.index)


def _parse_da(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """DICOM DA strings -> datetime64 (NaT when absent or invalid), and the invalid mask."""
    return _on_distinct(_parse_da_distinct, values)


def _parse_da_distinct(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = values.str.strip()
    text = text.where(~text.str.fullmatch(r"\d{4}\.\d{2}\.\d{2}", na=False),
                      text.str.replace(".", "", regex=False))  # ACR-NEMA YYYY.MM.DD
    ok = text.str.fullmatch(r"\d{8}", na=False)
    parsed = pd.to_datetime(text.where(ok), format="%Y%m%d", errors="coerce")
    parsed = pd.Series(datetimes_in_range(parsed.to_numpy())[0], index=values.index)
    return parsed, values.notna() & parsed.isna()


def _parse_tm(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """DICOM TM strings -> timedelta since midnight (NaT if absent/invalid), invalid mask."""
    return _on_distinct(_parse_tm_distinct, values)


def _parse_tm_distinct(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    parts = values.str.strip().str.extract(_TM)
    hours, minutes, seconds = (pd.to_numeric(parts[i]).fillna(0) for i in (0, 1, 2))
    micros = pd.to_numeric(parts[3].str.ljust(6, "0")).fillna(0)
    ok = parts[0].notna() & (hours < 24) & (minutes < 60) & (seconds < 61)
    seconds = seconds.clip(upper=59)  # a leap second (60) is kept as :59
    delta = pd.to_timedelta(hours * 3600 + minutes * 60 + seconds, unit="s") + pd.to_timedelta(
        micros, unit="us")
    delta = delta.where(ok)
    return delta, values.notna() & ~ok


def _most_frequent(
    files: pd.DataFrame, sid: np.ndarray, n_studies: int, fields: list[str]
) -> tuple[dict[str, pd.Series], dict[str, pd.DataFrame]]:
    """Per study and field: the most frequent non-null value (ties: first file by path).

    Fast path: each field is factorized to integer codes and one group-by gives each
    study's smallest and largest code; where they are equal (files agree, the common
    case) that is the value. Only studies whose files disagree are counted value by
    value. Also returns, per field, one row per disagreeing study: its first file
    holding a value that was not kept (``path``, ``order``) and how many files do.
    """
    codes: dict[str, np.ndarray] = {}
    uniques: dict[str, pd.Index] = {}
    for field in fields:
        codes[field], uniques[field] = pd.factorize(files[field])
    as_float = pd.DataFrame({f: np.where(c >= 0, c, np.nan) for f, c in codes.items()})
    grouped = as_float.groupby(sid)
    lowest = grouped.min().reindex(range(n_studies))
    highest = grouped.max().reindex(range(n_studies))
    kept: dict[str, pd.Series] = {}
    conflicts: dict[str, pd.DataFrame] = {}
    for field in fields:
        best = lowest[field].to_numpy()
        disagree = np.flatnonzero(best != highest[field].to_numpy())  # NaN != NaN: excluded
        disagree = disagree[~np.isnan(best[disagree])]
        conflicts[field] = _no_warnings()
        if len(disagree):
            best, conflicts[field] = _resolve(files, sid, codes[field], best, disagree)
        valid = ~np.isnan(best)
        take = np.where(valid, best, 0).astype("int64")
        values = pd.Series(uniques[field].take(take) if len(uniques[field]) else
                           [None] * n_studies)
        kept[field] = values.where(valid, None) if values.dtype == object else values.where(valid)
    return kept, conflicts


def _resolve(
    files: pd.DataFrame, sid: np.ndarray, codes: np.ndarray, best: np.ndarray,
    disagree: np.ndarray,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Most frequent code of the studies in ``disagree`` (ties: first by path order)."""
    rows = np.flatnonzero(np.isin(sid, disagree) & (codes >= 0))
    sub = pd.DataFrame({"sid": sid[rows], "code": codes[rows], "order": rows})
    counts = sub.groupby(["sid", "code"], sort=False).agg(
        n=("order", "size"), first=("order", "min")).reset_index()
    counts = counts.sort_values(["sid", "n", "first"], ascending=[True, False, True])
    winners = counts.drop_duplicates("sid")
    best = best.copy()
    best[winners["sid"].to_numpy()] = winners["code"].to_numpy()
    others = sub[sub["code"].to_numpy() != best[sub["sid"].to_numpy()]]
    lost = others.groupby("sid", sort=False).agg(order=("order", "min"),
                                                 n_files=("order", "size")).reset_index()
    first = lost["order"].to_numpy()
    return best, pd.DataFrame({
        "study_uid": files["study_uid"].to_numpy()[first],
        "path": files["path"].to_numpy()[first],
        "order": first,
        "n_files": lost["n_files"].to_numpy(),
    })


def _modalities(modality: pd.Series, sid: np.ndarray, n_studies: int) -> np.ndarray:
    """Per study: distinct modalities, sorted, joined by a backslash (``"CT\\PT"``).

    Each modality code is a bit; a study's set is the OR of its files' bits, and each
    distinct set is spelt once. Values are split (``"PT\\CT"``) per distinct value only.
    """
    out = np.full(n_studies, None, dtype=object)
    codes, distinct = pd.factorize(modality)
    parts = [sorted({p.strip().upper() for p in str(v).split("\\")} - {""}) for v in distinct]
    names = sorted({p for value_parts in parts for p in value_parts})
    if not names:
        return out
    if len(names) > 62:  # pragma: no cover - DICOM defines about 40 modality codes
        frame = pd.DataFrame({"sid": sid, "code": codes})
        sets = frame[frame["code"] >= 0].groupby("sid")["code"].agg(
            lambda c: "\\".join(sorted({x for k in set(c) for x in parts[k]})) or None)
        out[sets.index.to_numpy()] = sets.to_numpy()
        return out
    bit = {name: 1 << k for k, name in enumerate(names)}
    value_mask = np.array([sum(bit[p] for p in value_parts) for value_parts in parts],
                          dtype=np.int64)
    present = codes >= 0
    masks = np.zeros(n_studies, dtype=np.int64)
    np.bitwise_or.at(masks, sid[present], value_mask[codes[present]])
    spelt = {m: "\\".join(names[k] for k in range(len(names)) if m >> k & 1)
             for m in np.unique(masks[masks > 0]).tolist()}
    has = masks > 0
    out[has] = pd.Series(masks[has]).map(spelt).to_numpy()
    return out
