"""The OMOP CDM 5.4 tables radlink writes or reads: columns, order, types, required fields.

The schema is data, written from the specifications into ``omop_cdm54_schema.json``:
the CDM tables from OHDSI CommonDataModel v5.4 (``OMOP_CDMv5.4_Field_Level.csv``) and
the imaging tables (``image_occurrence``, ``image_feature``) from the MI-CDM extension's
CDM 5.4 DDL; its ``_source`` entry names both. :func:`format_table` turns a frame into
the table's text columns, in order; :func:`check_table` says what in a table breaks the
schema (the exporter's tests and anyone checking a CDM folder use it).

CSV conventions: UTF-8, comma-separated, a header, an empty field for NULL, dates as
``YYYY-MM-DD`` and datetimes as ``YYYY-MM-DD HH:MM:SS`` (what the OHDSI loaders read).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pandas as pd

__all__ = ["omop_schema", "columns", "format_table", "check_table", "write_csv"]

_SCHEMA_FILE = Path(__file__).with_name("omop_cdm54_schema.json")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_INTEGER = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
_INT32 = 2**31 - 1


@cache
def omop_schema() -> dict:
    """The schema file's content: ``{"_source": ..., "tables": {table: {"columns": [...]}}}``."""
    return json.loads(_SCHEMA_FILE.read_text(encoding="utf-8"))


def columns(table: str) -> list[dict]:
    """The columns of ``table``, in order: ``{"name", "type", "required"}`` each.

    Examples
    --------
    >>> [c["name"] for c in columns("note_nlp")][:4]
    ['note_nlp_id', 'note_id', 'section_concept_id', 'snippet']
    >>> columns("image_occurrence")[2]
    {'name': 'procedure_occurrence_id', 'type': 'integer', 'required': True}
    """
    return omop_schema()["tables"][table]["columns"]


def _cell(value, kind: str) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if kind == "integer":
        return str(int(value))
    if kind == "float":
        return f"{float(value):g}" if abs(float(value)) < 1e15 else repr(float(value))
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind == "datetime":
        return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M:%S")
    text = str(value)
    size = re.fullmatch(r"varchar\((\d+)\)", kind)
    return text[: int(size.group(1))] if size else text


def format_table(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """``df`` as the text columns of CDM ``table``: every column, in order, typed as text.

    Columns of the table that ``df`` lacks are empty (NULL); columns ``df`` has that the
    table does not are an error. Text longer than its ``varchar(N)`` is cut to N.

    Examples
    --------
    >>> out = format_table(pd.DataFrame({"care_site_id": [3], "care_site_name": ["PNEUMOLOGIE"]}), "care_site")
    >>> out.iloc[0].tolist()
    ['3', 'PNEUMOLOGIE', '', '', '', '']
    """
    spec = columns(table)
    names = [c["name"] for c in spec]
    unknown = [c for c in df.columns if c not in names]
    if unknown:
        raise ValueError(f"CDM table {table!r} has no column {unknown[0]!r}")
    out = {}
    for c in spec:
        values = df[c["name"]] if c["name"] in df.columns else [None] * len(df)
        out[c["name"]] = [_cell(v, c["type"]) for v in values]
    return pd.DataFrame(out, columns=names, dtype=object)


def write_csv(df: pd.DataFrame, table: str, path: str | Path) -> Path:
    """Write ``df`` as the CSV of CDM ``table`` (see the module docstring); return the path."""
    path = Path(path)
    format_table(df, table).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def _valid(kind: str):
    """A test of one non-empty text value of column type ``kind``."""
    size = re.fullmatch(r"varchar\((\d+)\)", kind)
    if kind == "integer":
        return lambda v: bool(_INTEGER.fullmatch(v)) and abs(int(v)) <= _INT32
    if kind == "float":
        return lambda v: bool(_FLOAT.fullmatch(v))
    if kind == "date":
        return lambda v: bool(_DATE.fullmatch(v))
    if kind == "datetime":
        return lambda v: bool(_DATETIME.fullmatch(v))
    if size is not None:
        return lambda v: len(v) <= int(size.group(1))
    return lambda v: True


def check_table(df: pd.DataFrame, table: str) -> list[str]:
    """What in ``df`` (all text, as read from a CSV) breaks the schema of CDM ``table``.

    Checks the column names and their order, that required columns hold no empty value,
    and that each value reads as its type (integers within 32 bits, ``YYYY-MM-DD``
    dates, ``YYYY-MM-DD HH:MM:SS`` datetimes, ``varchar(N)`` at most N characters).
    Problems name the column and the row number, never a value.

    Examples
    --------
    >>> df = pd.DataFrame({"care_site_id": ["x"], "care_site_name": ["U"]})
    >>> check_table(df, "care_site")[0]
    "columns differ from CDM care_site: expected ['care_site_id', 'care_site_name', 'place_of_service_concept_id', 'location_id', 'care_site_source_value', 'place_of_service_source_value']"
    """
    spec = columns(table)
    names = [c["name"] for c in spec]
    if list(df.columns) != names:
        return [f"columns differ from CDM {table}: expected {names}"]
    problems = []
    for c in spec:
        values = df[c["name"]].fillna("").astype(str)
        empty = values == ""
        if c["required"] and empty.any():
            problems.append(f"{table}.{c['name']}: required, empty on row {int(empty.to_numpy().argmax())}")
        kind, present = c["type"], values[~empty]
        ok = _valid(kind)
        bad = pd.Series([not ok(v) for v in present], index=present.index, dtype=bool)
        if bad.any():
            problems.append(f"{table}.{c['name']}: not {kind} on row {int(bad.idxmax())}")
    return problems
