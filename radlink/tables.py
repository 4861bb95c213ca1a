"""Canonical input tables: their columns, types and validation.

radlink reads four tables. Their column names are a public contract:

========  ===========================================================================
patients  patient_id, family_name, given_name, birth_date, sex (optional: usage_name)
stays     stay_id, patient_id, start_datetime, end_datetime, unit, stay_type, diagnoses
exams     exam_id, accession_number, patient_id, patient_name, birth_date, sex,
          study_datetime, modality, study_description, body_part, institution, unit,
          stay_id
reports   report_id, patient_id, stay_id, report_datetime, title, text,
          accession_number
========  ===========================================================================

Only the table's own id column is required (and ``text`` for reports); every other
column may be absent (it is then added, all null) or hold nulls. Columns that are not
in the schema are kept as they are, after the canonical ones.

Representation
--------------
In pandas, ids and text are ``object`` columns of ``str`` or ``None``; dates and
datetimes are ``datetime64[ns]`` (``birth_date`` at midnight). The pyarrow schemas in
:data:`SCHEMAS` are what radlink writes to parquet (``birth_date`` as ``date32``).
Ids are strings everywhere: an IPP ``"0012345"`` keeps its leading zeros, and an
integer column read from CSV (``12345`` or ``12345.0``) becomes ``"12345"``.

Validation (:func:`validate_table`) coerces types and collects every problem into one
:class:`~radlink.errors.TableValidationError`; it never drops a row.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from radlink.errors import OutOfRangeDateWarning, TableValidationError, ValidationProblem

__all__ = [
    "TABLES",
    "SCHEMAS",
    "TableSpec",
    "validate_table",
    "parse_dates",
    "datetimes_in_range",
    "none_for_missing",
    "first_stated",
    "REPORT_FACTS_COLUMNS",
    "FINDINGS_COLUMNS",
    "SKIPPED_REPORT_COLUMNS",
    "ANNOTATED_FACT_COLUMNS",
    "ANNOTATED_FINDING_COLUMNS",
    "to_arrow",
    "empty_table",
]

_ID = "id"
_TEXT = "text"
_DATE = "date"
_DATETIME = "datetime"
_SEX = "sex"
_INT = "int"


@dataclass(frozen=True)
class TableSpec:
    """Description of one canonical table.

    Parameters
    ----------
    name : str
        Table name (``"exams"``).
    key : str
        The column that identifies a row; required, unique, never null.
    columns : dict
        Canonical column name -> kind (``"id"``, ``"text"``, ``"date"``, ``"datetime"``,
        ``"sex"``, ``"int"``), in output order.
    required : tuple of str
        Columns that must be present, the key included.
    non_null : tuple of str
        Required columns that may not hold nulls.
    identifying : frozenset of str
        Columns whose values identify a patient: never quoted in error messages.
    """

    name: str
    key: str
    columns: dict[str, str]
    required: tuple[str, ...]
    non_null: tuple[str, ...]
    identifying: frozenset[str] = field(default_factory=frozenset)


_IDENTITY = frozenset(
    {"patient_id", "family_name", "given_name", "usage_name", "patient_name", "birth_date",
     "text", "title"}
)

TABLES: dict[str, TableSpec] = {
    "patients": TableSpec(
        name="patients",
        key="patient_id",
        columns={
            "patient_id": _ID,
            "family_name": _TEXT,
            "given_name": _TEXT,
            "birth_date": _DATE,
            "sex": _SEX,
            "usage_name": _TEXT,  # nom d'usage (e.g. married name) when it differs
        },
        required=("patient_id",),
        non_null=("patient_id",),
        identifying=_IDENTITY,
    ),
    "stays": TableSpec(
        name="stays",
        key="stay_id",
        columns={
            "stay_id": _ID,
            "patient_id": _ID,
            "start_datetime": _DATETIME,
            "end_datetime": _DATETIME,
            "unit": _TEXT,
            "stay_type": _TEXT,
            "diagnoses": _TEXT,  # CIM-10 codes separated by ";" (optional)
        },
        required=("stay_id",),
        non_null=("stay_id",),
        identifying=_IDENTITY,
    ),
    "exams": TableSpec(
        name="exams",
        key="exam_id",
        columns={
            "exam_id": _ID,
            "accession_number": _ID,
            "patient_id": _ID,
            "patient_name": _TEXT,  # DICOM PN: FAMILY^GIVEN^MIDDLE^PREFIX^SUFFIX
            "birth_date": _DATE,
            "sex": _SEX,
            "study_datetime": _DATETIME,
            "modality": _TEXT,  # one code, or several joined by "\\" (PT\CT)
            "study_description": _TEXT,
            "body_part": _TEXT,
            "institution": _TEXT,
            "unit": _TEXT,
            "stay_id": _ID,
        },
        required=("exam_id",),
        non_null=("exam_id",),
        identifying=_IDENTITY,
    ),
    "reports": TableSpec(
        name="reports",
        key="report_id",
        columns={
            "report_id": _ID,
            "patient_id": _ID,
            "stay_id": _ID,
            "report_datetime": _DATETIME,
            "title": _TEXT,
            "text": _TEXT,
            "accession_number": _ID,
        },
        required=("report_id", "text"),
        non_null=("report_id",),
        identifying=_IDENTITY,
    ),
}

_ARROW_TYPES = {
    _ID: pa.string(),
    _TEXT: pa.string(),
    _SEX: pa.string(),
    _DATE: pa.date32(),
    _DATETIME: pa.timestamp("us"),
    _INT: pa.int64(),
}

SCHEMAS: dict[str, pa.Schema] = {
    name: pa.schema([pa.field(col, _ARROW_TYPES[kind]) for col, kind in spec.columns.items()])
    for name, spec in TABLES.items()
}
"""pyarrow schema of each canonical table (canonical columns only)."""

# Accepted date forms, tried in this order. Each is (regex on the stripped text, format).
# ISO first (warehouse exports), then French DD/MM/YYYY, then DICOM DA/DT (PS3.5 6.2).
_DATE_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$"), "%Y-%m-%d %H:%M"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}$"), "%Y-%m-%d %H:%M:%S"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}\.\d{1,9}$"), "%Y-%m-%d %H:%M:%S.%f"),
    (re.compile(r"^\d{2}/\d{2}/\d{4}$"), "%d/%m/%Y"),
    (re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$"), "%d/%m/%Y %H:%M"),
    (re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}$"), "%d/%m/%Y %H:%M:%S"),
    (re.compile(r"^\d{8}$"), "%Y%m%d"),  # DICOM DA
    (re.compile(r"^\d{12}$"), "%Y%m%d%H%M"),
    (re.compile(r"^\d{14}$"), "%Y%m%d%H%M%S"),  # DICOM DT without fraction
    (re.compile(r"^\d{14}\.\d{1,6}$"), "%Y%m%d%H%M%S.%f"),
)

_SEX_CODES = {
    "m": "M", "male": "M", "masculin": "M", "h": "M", "homme": "M", "1": "M",
    "f": "F", "female": "F", "feminin": "F", "féminin": "F", "femme": "F", "2": "F",
    "o": "O", "other": "O", "autre": "O",
    "u": "U", "unknown": "U", "inconnu": "U", "i": "U", "x": "U", "0": "U", "9": "U",
}  # fmt: skip
# DICOM PatientSex (0010,0040) is M, F or O; French exports write H/F or 1/2 (INSEE).


_FIRST_DAY = np.datetime64("1677-09-22", "us")
_LAST_DAY = np.datetime64("2262-04-10", "us")
"""Whole days that ``datetime64[ns]`` holds: radlink's dates must lie between them."""


def datetimes_in_range(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``datetime64`` values of any unit -> ``datetime64[ns]`` (NaT outside the range), mask outside.

    pandas 3 keeps a date's own unit (``datetime64[s]`` holds 1111-11-11); radlink's
    tables are nanosecond datetimes, so a date outside 1677-09-22..2262-04-10 cannot be
    represented: it becomes NaT and is reported, never an ``OutOfBoundsDatetime``.
    """
    us = np.asarray(values).astype("datetime64[us]")
    outside = ~np.isnat(us) & ((us < _FIRST_DAY) | (us > _LAST_DAY))
    return np.where(outside, np.datetime64("NaT", "us"), us).astype("datetime64[ns]"), outside


def _parse_text_dates(text: pd.Series, fmt: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse strings of one form; dates outside the nanosecond range are flagged, not lost.

    pandas 2 coerces such dates to NaT and pandas 3 parses them in seconds: both are
    brought to the same answer by re-reading the rows pandas left NaT with
    :func:`datetime.datetime.strptime` (a real calendar date there is out of range).
    """
    parsed = pd.to_datetime(text, format=fmt, errors="coerce").to_numpy()
    values, outside = datetimes_in_range(parsed)
    missed = np.flatnonzero(np.isnat(parsed))
    for i in missed:  # few rows: the malformed and the out-of-range ones
        try:
            dt.datetime.strptime(text.iloc[i], fmt)
        except ValueError:
            continue
        outside[i] = True
    return values, outside


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse dates written in ISO, DD/MM/YYYY or DICOM (YYYYMMDD[HHMMSS]) forms.

    Vectorised: each accepted form is matched with one regex pass and parsed with one
    :func:`pandas.to_datetime` call over the rows that have it.

    Parameters
    ----------
    values : pandas.Series
        Strings, datetimes (of any unit), dates or nulls.

    Returns
    -------
    parsed : pandas.Series
        ``datetime64[ns]`` values (``NaT`` for nulls, failures and dates out of range).
    failed : pandas.Series
        Boolean mask of the non-null values that are not a date.
    out_of_range : pandas.Series
        Boolean mask of the real dates that ``datetime64[ns]`` cannot hold (before
        1677-09-22 or after 2262-04-10: placeholders such as 1111-11-11 or 9999-12-31).

    Examples
    --------
    >>> import pandas as pd
    >>> parsed, failed, out = parse_dates(
    ...     pd.Series(["2020-04-10", "10/04/2020", "20200410", None, "hier", "1111-11-11"]))
    >>> parsed.dt.strftime("%Y-%m-%d").tolist()[:3], failed.tolist(), out.tolist()
    (['2020-04-10', '2020-04-10', '2020-04-10'], [False, False, False, False, True, False], \
[False, False, False, False, False, True])
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_convert(None)
        parsed, outside = datetimes_in_range(values.to_numpy())
        return (pd.Series(parsed, index=values.index), pd.Series(False, index=values.index),
                pd.Series(outside, index=values.index))
    out = np.full(len(values), np.datetime64("NaT", "ns"))
    outside = np.zeros(len(values), dtype=bool)
    notnull = values.notna().to_numpy()
    # Python date/datetime objects (e.g. from pyarrow date32) are converted directly.
    is_obj_date = notnull & np.fromiter(
        (hasattr(v, "year") and not isinstance(v, str) and v is not pd.NaT for v in values),
        dtype=bool, count=len(values))
    if is_obj_date.any():
        as_us = np.array([np.datetime64(v, "us") for v in values[is_obj_date]], dtype="datetime64[us]")
        out[is_obj_date], outside[is_obj_date] = datetimes_in_range(as_us)
    at = np.flatnonzero(notnull & ~is_obj_date)
    text = pd.Series(values.iloc[at].astype(str).str.strip().str.replace("T", " ", n=1, regex=False)
                     .to_numpy(dtype=object), index=at)
    remaining = (text != "").to_numpy().copy()
    for pattern, fmt in _DATE_FORMS:
        if not remaining.any():
            break
        match = remaining & text.str.match(pattern.pattern).to_numpy(dtype=bool)
        if match.any():
            rows = text.index[match]
            parsed, far = _parse_text_dates(text[match], fmt.replace("T", " "))
            ok = ~np.isnat(parsed)
            out[rows[ok]] = parsed[ok]
            outside[rows[far]] = True
            remaining[np.flatnonzero(match)[ok | far]] = False
    failed = np.zeros(len(values), dtype=bool)
    failed[text.index[remaining]] = True
    return (pd.Series(out, index=values.index), pd.Series(failed, index=values.index),
            pd.Series(outside, index=values.index))


def none_for_missing(values: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Text as ``object`` with ``None`` for every missing value (a frame: its text columns).

    radlink's ids and text are ``object`` columns of ``str`` or ``None`` under every
    pandas. pandas 3 infers its ``str`` dtype (missing values are ``NaN``) when a column
    of strings is built, mapped or assigned into; this brings such a column back.
    In a frame, numeric and datetime columns are left as they are; a series given
    alone becomes ``object`` whatever its dtype.

    Examples
    --------
    >>> import pandas as pd
    >>> none_for_missing(pd.Series(["a", None], dtype="str")).tolist()
    ['a', None]
    >>> none_for_missing(pd.DataFrame({"a": pd.Series(["x", None], dtype="str"), "n": [1.0, None]})).dtypes.astype(str).tolist()
    ['object', 'float64']
    """
    if isinstance(values, pd.DataFrame):
        text = [c for c in values.columns if _is_text(values[c]) and not _none_already(values[c])]
        if not text:
            return values.copy()
        return values.assign(**{c: none_for_missing(values[c]) for c in text})
    arr = np.array(values.to_numpy(dtype=object), dtype=object)  # a writable copy
    arr[pd.isna(arr)] = None
    return pd.Series(arr, index=values.index, name=values.name, dtype=object)


def first_stated(*series: pd.Series) -> pd.Series:
    """The first value of each row that is stated (not missing) across ``series``, else None.

    The series are read row by row in their positions (they share one index, the first's
    is kept). The result is ``object`` with ``None`` for missing whatever the inputs'
    dtypes: done through numpy, not ``fillna`` / ``where`` on object columns, which
    pandas 2.2 warns about (a silent downcast).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> first_stated(pd.Series(["a", None, np.nan]), pd.Series(["x", "b", None])).tolist()
    ['a', 'b', None]
    """
    out = np.array(series[0].to_numpy(dtype=object), dtype=object)  # a writable copy
    for then in series[1:]:
        missing = pd.isna(out)
        if not missing.any():
            break
        out[missing] = then.to_numpy(dtype=object)[missing]
    out[pd.isna(out)] = None
    return pd.Series(out, index=series[0].index, dtype=object)


def _none_already(values: pd.Series) -> bool:
    """Whether a column is ``object`` with ``None`` as its only missing value (nothing to convert).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> [_none_already(pd.Series(v, dtype=object)) for v in (["a", None], ["a", np.nan], [])]
    [True, False, True]
    """
    if values.dtype != object:
        return False
    arr = values.to_numpy()
    missing = arr[pd.isna(arr)]
    return all(v is None for v in missing)


def _is_text(values: pd.Series) -> bool:
    return values.dtype == object or isinstance(values.dtype, pd.StringDtype)


def _ids_as_strings(values: pd.Series) -> pd.Series:
    """Ids as stripped strings; floats that hold integers lose their ``.0``."""
    if pd.api.types.is_float_dtype(values):
        ints = values.dropna()
        if (ints == np.floor(ints)).all():
            return pd.Series([None if pd.isna(v) else str(int(v)) for v in values],
                             index=values.index, dtype=object)
    if pd.api.types.is_integer_dtype(values):
        return values.astype(str).astype(object)
    out = none_for_missing(values).to_numpy().copy()
    mask = ~pd.isna(out)
    if mask.any():
        stripped = np.array([str(v).strip() for v in out[mask]], dtype=object)
        stripped[stripped == ""] = None
        out[mask] = stripped
    return pd.Series(out, index=values.index, dtype=object)


def _text(values: pd.Series) -> pd.Series:
    out = none_for_missing(values)
    mask = out.notna().to_numpy()
    if mask.any() and not all(isinstance(v, str) for v in out[mask]):
        arr = out.to_numpy().copy()
        arr[mask] = [str(v) for v in arr[mask]]
        out = pd.Series(arr, index=values.index, dtype=object)
    return out


def _row_names(spec: TableSpec, df: pd.DataFrame, positions: np.ndarray) -> list[str]:
    """How to name rows in messages: the key value, or the position if it identifies."""
    if spec.key in spec.identifying or spec.key not in df.columns:
        return [f"row {int(i)}" for i in positions]
    keys = df[spec.key].to_numpy()
    names = []
    for i in positions:
        key = keys[i]
        names.append(f"{spec.key}={key!r}" if key is not None and not pd.isna(key) else f"row {int(i)}")
    return names


def validate_table(
    df: pd.DataFrame,
    table: str,
    *,
    keep_extra: bool = True,
) -> pd.DataFrame:
    """Check one input table against its canonical schema and coerce its types.

    Parameters
    ----------
    df : pandas.DataFrame
        The table, with canonical column names (see :func:`radlink.dataset.rename_columns`
        to map a site's names).
    table : {"patients", "stays", "exams", "reports"}
        Which canonical table ``df`` is.
    keep_extra : bool, default True
        Keep columns that are not in the schema (after the canonical ones).

    Returns
    -------
    pandas.DataFrame
        A new frame, same rows in the same order, canonical columns first with their types
        (absent optional columns are added, all null), and a fresh ``RangeIndex``.

    Raises
    ------
    TableValidationError
        With every problem found: a required column absent, a null or duplicated id, a
        date that none of the accepted forms parses, an unknown sex code, a stay that ends
        before it starts. Values that identify a patient are never quoted.

    Examples
    --------
    >>> import pandas as pd
    >>> exams = pd.DataFrame({"exam_id": [1, 2], "study_datetime": ["20200410", "11/04/2020 08:30"]})
    >>> validate_table(exams, "exams")[["exam_id", "study_datetime"]]
      exam_id      study_datetime
    0       1 2020-04-10 00:00:00
    1       2 2020-04-11 08:30:00
    """
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; expected one of {sorted(TABLES)}")
    spec = TABLES[table]
    df = df.reset_index(drop=True)
    problems: list[ValidationProblem] = []
    for col in spec.required:
        if col not in df.columns:
            problems.append(
                ValidationProblem(table, col, "all rows", "required column is missing "
                                  f"(columns present: {', '.join(map(str, df.columns)) or 'none'})")
            )
    if problems:
        raise TableValidationError(problems)

    out: dict[str, pd.Series] = {}
    n = len(df)
    for col, kind in spec.columns.items():
        if col not in df.columns:
            if kind in (_DATE, _DATETIME):
                out[col] = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
            else:
                out[col] = pd.Series([None] * n, index=df.index, dtype=object)
            continue
        values = df[col]
        if kind == _ID:
            out[col] = _ids_as_strings(values)
        elif kind == _TEXT:
            out[col] = _text(values)
        elif kind in (_DATE, _DATETIME):
            parsed, failed, outside = parse_dates(values)
            if kind == _DATE:
                parsed = parsed.dt.normalize()
            if outside.any():
                pos = np.flatnonzero(outside.to_numpy())
                warnings.warn(OutOfRangeDateWarning(table, col, _row_names(spec, df, pos)), stacklevel=2)
            if failed.any():
                pos = np.flatnonzero(failed.to_numpy())
                for name, i in zip(_row_names(spec, df, pos), pos, strict=True):
                    shown = "" if col in spec.identifying else f" {str(values.iloc[i])[:40]!r}"
                    problems.append(ValidationProblem(
                        table, col, name,
                        f"value{shown} is not a date (accepted: YYYY-MM-DD[ HH:MM[:SS]], "
                        "DD/MM/YYYY[ HH:MM[:SS]], DICOM YYYYMMDD[HHMMSS])",
                    ))
            out[col] = parsed
        elif kind == _SEX:
            text = _text(values)
            mask = text.notna()
            codes = text[mask].str.strip().str.lower().map(_SEX_CODES)
            bad = codes.isna() & (text[mask].str.strip() != "")
            if bad.any():
                pos = np.flatnonzero(mask.to_numpy())[bad.to_numpy()]
                for name in _row_names(spec, df, pos):
                    problems.append(ValidationProblem(
                        table, col, name, "unknown sex code (accepted: M/F/O/U, H/F, 1/2)"
                    ))
            res = pd.Series([None] * n, index=df.index, dtype=object)
            res[mask] = codes.where(codes.notna(), None)
            out[col] = res
        else:  # pragma: no cover - every kind is handled above
            raise AssertionError(kind)

    for col in spec.non_null:
        nulls = out[col].isna().to_numpy()
        if nulls.any():
            for i in np.flatnonzero(nulls):
                problems.append(ValidationProblem(table, col, f"row {int(i)}", "id is null or empty"))
    key = out[spec.key]
    dup = key.duplicated(keep="first") & key.notna()
    if dup.any():
        pos = np.flatnonzero(dup.to_numpy())
        for name in _row_names(spec, pd.DataFrame({spec.key: key}), pos):
            problems.append(ValidationProblem(table, spec.key, name, "duplicated id"))
    if table == "stays":
        backwards = (out["end_datetime"] < out["start_datetime"]).to_numpy()
        if backwards.any():
            pos = np.flatnonzero(backwards)
            for name in _row_names(spec, pd.DataFrame({spec.key: key}), pos):
                problems.append(ValidationProblem(table, "end_datetime", name, "stay ends before it starts"))
    if problems:
        raise TableValidationError(problems)

    result = pd.DataFrame(out)
    if keep_extra:
        extra = [c for c in df.columns if c not in spec.columns]
        for col in extra:
            result[col] = df[col]
    return result


def empty_table(table: str) -> pd.DataFrame:
    """An empty, valid canonical table.

    Examples
    --------
    >>> empty_table("stays").columns.tolist()[:3]
    ['stay_id', 'patient_id', 'start_datetime']
    """
    spec = TABLES[table]
    return validate_table(pd.DataFrame({c: [] for c in spec.required}), table)


def to_arrow(df: pd.DataFrame, table: str) -> pa.Table:
    """Convert a validated canonical table to pyarrow with its schema.

    Canonical columns take the types of :data:`SCHEMAS`; extra columns are converted by
    pyarrow's own inference and appended.

    Examples
    --------
    >>> import pandas as pd
    >>> t = to_arrow(validate_table(pd.DataFrame({"patient_id": ["P1"], "birth_date": ["1950-01-31"]}), "patients"), "patients")
    >>> t.schema.field("birth_date").type
    DataType(date32[day])
    """
    schema = SCHEMAS[table]
    arrays = []
    fields = []
    for f in schema:
        col = df[f.name]
        if pa.types.is_date32(f.type):
            arr = pa.array(col.dt.date.where(col.notna(), None), type=f.type)
        else:
            arr = pa.array(col, type=f.type, from_pandas=True)
        arrays.append(arr)
        fields.append(f)
    for name in df.columns:
        if name in schema.names:
            continue
        arr = pa.array(df[name], from_pandas=True)
        arrays.append(arr)
        fields.append(pa.field(name, arr.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


# ---------------------------------------------------------------- output contracts

REPORT_FACTS_COLUMNS: tuple[str, ...] = (
    "report_id", "modality", "tracer", "indication", "indication_category", "dose_mbq",
    "glycemia", "injection_delay_min", "max_suvmax", "n_lesions", "conclusion", "glycemia_unit",
)  # fmt: skip
"""Columns of ``report_facts``, one row per report (public contract; ``glycemia`` is in g/L
and ``glycemia_unit`` the unit the report wrote it in)."""

FINDINGS_COLUMNS: tuple[str, ...] = (
    "report_id", "finding_id", "kind", "site", "laterality", "size_mm", "suvmax",
    "previous_suvmax", "negated", "hypothesis", "section", "start", "end", "snippet",
    "comparison", "etage",
)  # fmt: skip
"""Columns of ``findings``, one row per finding (public contract)."""

SKIPPED_REPORT_COLUMNS: tuple[str, ...] = ("report_id", "reason", "detail")
"""Columns of ``skipped_reports``, one row per report the extraction could not read
(``reason``: ``time_limit`` or ``error``; ``detail``: the limit or the exception's type,
never a value of the report). Such a report keeps its empty ``report_facts`` row."""

ANNOTATED_FACT_COLUMNS: tuple[str, ...] = (
    "report_id", "modality", "tracer", "indication", "indication_category", "dose_mbq",
    "glycemia", "glycemia_unit", "injection_delay_min", "max_suvmax", "n_lesions",
    "conclusion",
)  # fmt: skip
"""The ``report_facts`` columns a gold set or the generator's truth holds, in their file order
(the same columns as :data:`REPORT_FACTS_COLUMNS`)."""

ANNOTATED_FINDING_COLUMNS: tuple[str, ...] = FINDINGS_COLUMNS[: FINDINGS_COLUMNS.index("section") + 1]
"""The ``findings`` columns a gold set or the generator's truth holds (``report_id`` to
``section``: no offsets, snippet, comparison or étage)."""
