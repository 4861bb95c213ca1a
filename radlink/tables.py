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

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from radlink.errors import TableValidationError, ValidationProblem

__all__ = [
    "TABLES",
    "SCHEMAS",
    "TableSpec",
    "validate_table",
    "parse_dates",
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


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse dates written in ISO, DD/MM/YYYY or DICOM (YYYYMMDD[HHMMSS]) forms.

    Vectorised: each accepted form is matched with one regex pass and parsed with one
    :func:`pandas.to_datetime` call over the rows that have it.

    Parameters
    ----------
    values : pandas.Series
        Strings, datetimes, dates or nulls.

    Returns
    -------
    parsed : pandas.Series
        ``datetime64[ns]`` values (``NaT`` for nulls and failures).
    failed : pandas.Series
        Boolean mask of the non-null values that could not be parsed.

    Examples
    --------
    >>> import pandas as pd
    >>> parsed, failed = parse_dates(pd.Series(["2020-04-10", "10/04/2020", "20200410", None, "hier"]))
    >>> parsed.dt.strftime("%Y-%m-%d").tolist()[:3], failed.tolist()
    (['2020-04-10', '2020-04-10', '2020-04-10'], [False, False, False, False, True])
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        out = pd.to_datetime(values)
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_convert(None)
        return out.astype("datetime64[ns]"), pd.Series(False, index=values.index)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    notnull = values.notna()
    # Python date/datetime objects (e.g. from pyarrow date32) are converted directly.
    is_obj_date = notnull & values.map(
        lambda v: hasattr(v, "year") and not isinstance(v, str) and v is not pd.NaT
    ).astype(bool)
    if is_obj_date.any():
        out[is_obj_date] = pd.to_datetime(values[is_obj_date].astype("object"), errors="coerce")
    text = values[notnull & ~is_obj_date].astype(str).str.strip()
    text = text.str.replace("T", " ", n=1, regex=False)
    blank = text == ""
    remaining = ~blank
    for pattern, fmt in _DATE_FORMS:
        if not remaining.any():
            break
        match = remaining & text.str.match(pattern.pattern)
        if match.any():
            parsed = pd.to_datetime(text[match], format=fmt.replace("T", " "), errors="coerce")
            ok = parsed.notna()
            out.loc[parsed.index[ok]] = parsed[ok]
            remaining &= ~(match & ok.reindex(text.index, fill_value=False))
    failed = pd.Series(False, index=values.index)
    failed.loc[remaining.index[remaining]] = True
    return out, failed


def _ids_as_strings(values: pd.Series) -> pd.Series:
    """Ids as stripped strings; floats that hold integers lose their ``.0``."""
    if pd.api.types.is_float_dtype(values):
        ints = values.dropna()
        if (ints == np.floor(ints)).all():
            return values.map(lambda v: None if pd.isna(v) else str(int(v))).astype(object)
    if pd.api.types.is_integer_dtype(values):
        return values.astype(str).astype(object)
    out = values.astype(object).where(values.notna(), None)
    mask = out.notna()
    if mask.any():
        stripped = out[mask].astype(str).str.strip()
        out = out.copy()
        out[mask] = stripped.where(stripped != "", None)
    return out


def _text(values: pd.Series) -> pd.Series:
    out = values.astype(object).where(values.notna(), None)
    mask = out.notna()
    if mask.any() and not all(isinstance(v, str) for v in out[mask]):
        out = out.copy()
        out[mask] = out[mask].astype(str)
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
            parsed, failed = parse_dates(values)
            if kind == _DATE:
                parsed = parsed.dt.normalize()
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
