"""REDCap's flat import format: value formatting, layout, and the files written.

Layout of the import CSV (what REDCap's Data Import Tool and the API's record import
read, and what its own "raw" export writes):

* the record id field first, then ``redcap_event_name`` for a longitudinal project,
  then ``redcap_repeat_instrument`` and ``redcap_repeat_instance`` when a repeating
  instrument is filled (empty on the record's non-repeating row);
* the fields in dictionary order, a checkbox as one ``field___code`` column per choice
  holding ``1``/``0`` (``0`` for the unchecked choices of a filled checkbox, empty when
  the checkbox is not filled at all), choices as raw codes, never labels;
* ``<form>_complete`` after each filled form, set to ``0`` (Incomplete) so that staff
  review the values before marking the form complete.

Values are written as the field expects them: ``date_ymd`` as ``YYYY-MM-DD``,
``date_dmy`` as ``DD/MM/YYYY`` and ``date_mdy`` as ``MM/DD/YYYY`` (the forms the API's
``dateFormat`` = YMD/DMY/MDY reads, per PyCap's ``import_records``; the upload sets it),
``datetime_*`` with ``HH:MM`` (``:SS`` for ``datetime_seconds_*``), integers without
``.0``, ``number_1dp`` with one decimal, ``*_comma_decimal`` with a comma, yes/no and
true/false as ``1``/``0``.

A provenance CSV is written beside the import: one row per filled value with the
exam/report/finding/stay it came from and a short snippet of the report.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from radlink.errors import OutputError, RedcapValidationError
from radlink.redcap.dictionary import DataDictionary, RedcapField, checkbox_column
from radlink.redcap.validate import find_problems

if TYPE_CHECKING:
    from radlink.redcap.mapping import PrefillMapping
    from radlink.redcap.result import PrefillResult

__all__ = [
    "DATE_FORMATS",
    "PROVENANCE_COLUMNS",
    "LONG_COLUMNS",
    "format_value",
    "format_values",
    "to_flat",
    "write_import",
    "provenance_path_for",
]

DATE_FORMATS: dict[str, str] = {
    "date_ymd": "%Y-%m-%d",
    "date_dmy": "%d/%m/%Y",
    "date_mdy": "%m/%d/%Y",
    "datetime_ymd": "%Y-%m-%d %H:%M",
    "datetime_dmy": "%d/%m/%Y %H:%M",
    "datetime_mdy": "%m/%d/%Y %H:%M",
    "datetime_seconds_ymd": "%Y-%m-%d %H:%M:%S",
    "datetime_seconds_dmy": "%d/%m/%Y %H:%M:%S",
    "datetime_seconds_mdy": "%m/%d/%Y %H:%M:%S",
    "time": "%H:%M",
}
"""Text validation -> ``strftime`` format of the imported value."""

LONG_COLUMNS: tuple[str, ...] = (
    "record", "event", "instrument", "instance", "field", "value", "source_type", "source_id",
    "exam_id", "report_id", "snippet", "rule",
)
PROVENANCE_COLUMNS: tuple[str, ...] = (
    "record", "redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance",
    "field", "value", "source_type", "source_id", "exam_id", "report_id", "snippet", "rule",
)
"""Columns of the provenance file: where each filled value comes from. ``source_type``
is exam, finding, stay or mapping (a constant); ``rule`` the mapping key that filled it."""

_NDP = re.compile(r"^number_(\d)dp(_comma_decimal)?$")


def _plain_number(v: float) -> str:
    return np.format_float_positional(float(v), trim="-")


def format_value(fld: RedcapField | None, value: Any) -> str | None:
    """Format one value as REDCap imports it into ``fld`` (None: not filled).

    Strings are kept as given (the validator checks them); dates, numbers and booleans
    are written in the field's form.

    Examples
    --------
    >>> import pandas as pd
    >>> f = RedcapField("d", "f", "text", validation="date_dmy")
    >>> format_value(f, pd.Timestamp("2024-03-01 10:30"))
    '01/03/2024'
    >>> format_value(RedcapField("n", "f", "text", validation="integer"), 3.0)
    '3'
    >>> format_value(RedcapField("s", "f", "text", validation="number_1dp_comma_decimal"), 7.25)
    '7,2'
    >>> format_value(RedcapField("y", "f", "yesno", choices={"1": "Yes", "0": "No"}), True)
    '1'
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    validation = fld.validation if fld is not None else None
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
        ts = pd.Timestamp(value)
        if validation in DATE_FORMATS:
            return ts.strftime(DATE_FORMATS[validation])
        return ts.strftime("%Y-%m-%d" if ts == ts.normalize() else "%Y-%m-%d %H:%M")
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        m = _NDP.match(validation or "")
        if m:
            text = f"{v:.{int(m[1])}f}"
        elif v.is_integer():
            text = str(int(v))
        else:
            text = _plain_number(v)
        return text.replace(".", ",") if (validation or "").endswith("comma_decimal") else text
    return str(value)


def format_values(long: pd.DataFrame, dictionary: DataDictionary) -> pd.DataFrame:
    """Replace ``long["value"]`` by its import text, per field; drop unfilled values."""
    if long.empty:
        return long.assign(value=pd.Series(dtype=object))
    out = long.copy()
    text = pd.Series(None, index=out.index, dtype=object)
    for name, idx in out.groupby("field").groups.items():
        fld = dictionary.fields.get(name)
        values = out.loc[idx, "value"]
        try:  # format each distinct value once (codes, dates and counts repeat a lot)
            done = {v: format_value(fld, v) for v in pd.unique(values)}
            text[idx] = values.map(done).to_numpy()
        except TypeError:  # unhashable values
            text[idx] = values.map(lambda v, fld=fld: format_value(fld, v)).to_numpy()
    out["value"] = text
    return out[out["value"].notna() & (out["value"] != "")].reset_index(drop=True)


def to_flat(long: pd.DataFrame, records: list[str], dictionary: DataDictionary,
            mapping: PrefillMapping) -> pd.DataFrame:
    """Lay formatted long values out as REDCap flat import rows (all strings)."""
    keys = ["record", "event", "instrument", "instance"]
    base = pd.DataFrame({"record": records, "event": mapping.event or "", "instrument": "",
                         "instance": ""}, dtype=object)
    repeated = long.loc[long["instrument"] != "", keys] if not long.empty else base.iloc[:0]
    rows = pd.concat([base, repeated], ignore_index=True).drop_duplicates()
    form_rank = {f: i for i, f in enumerate(dictionary.forms)}
    order = pd.DataFrame({
        "r": rows["record"].map({r: i for i, r in enumerate(records)}),
        "e": rows["event"],
        "f": rows["instrument"].map(lambda x: -1 if x == "" else form_rank.get(x, len(form_rank))),
        "n": pd.to_numeric(rows["instance"], errors="coerce").fillna(0),
    })
    rows = rows.loc[order.sort_values(["r", "e", "f", "n"], kind="mergesort").index]
    index = pd.MultiIndex.from_frame(rows[keys])

    mapped = [r.field for r in mapping.fields] + [r.field for rep in mapping.repeats for r in rep.fields]
    used = list(dict.fromkeys(mapped + list(long["field"].unique() if not long.empty else [])))
    columns: list[str] = []
    for form in dictionary.forms:
        in_form = [f for f in dictionary.fields_of(form) if f.name in used and f.name != dictionary.record_id]
        for f in in_form:
            columns += f.export_columns()
        if in_form:
            columns.append(f"{form}_complete")
    unknown = [f for f in used if f not in dictionary]
    columns += unknown

    flat = pd.DataFrame(index=index, columns=columns, dtype=object)
    checkboxes = {f for f in used if f in dictionary and dictionary[f].type == "checkbox"}
    if not long.empty:
        plain = long[~long["field"].isin(checkboxes)]
        if not plain.empty:
            wide = plain.pivot_table(index=keys, columns="field", values="value", aggfunc="first")
            wide = wide.reindex(index)
            for col in wide.columns:
                flat[col] = wide[col].to_numpy()
        for name in checkboxes:
            fld = dictionary[name]
            sub = long[long["field"] == name]
            if sub.empty:
                continue
            ticked = sub.assign(col=sub["value"].map(lambda c, n=name: checkbox_column(n, str(c))))
            filled_rows = pd.MultiIndex.from_frame(ticked[keys].drop_duplicates())
            for col in fld.export_columns():
                flat.loc[filled_rows, col] = "0"
            for col, grp in ticked.groupby("col"):
                flat.loc[pd.MultiIndex.from_frame(grp[keys].drop_duplicates()), col] = "1"
    flat = flat.fillna("")
    for form in dictionary.forms:
        done = f"{form}_complete"
        if done in flat.columns:
            own = [c for f in dictionary.fields_of(form) if f.name in used for c in f.export_columns()]
            own = [c for c in own if c in flat.columns]
            flat.loc[(flat[own] != "").any(axis=1), done] = "0"

    out = pd.DataFrame({dictionary.record_id: rows["record"].to_numpy()}, dtype=object)
    if mapping.longitudinal:
        out["redcap_event_name"] = rows["event"].to_numpy()
    if mapping.repeats:
        out["redcap_repeat_instrument"] = rows["instrument"].to_numpy()
        out["redcap_repeat_instance"] = rows["instance"].to_numpy()
    for col in flat.columns:
        out[col] = flat[col].to_numpy()
    return out.astype(object).fillna("").astype(str)


def provenance_path_for(import_path: str | Path) -> Path:
    """``import.csv`` -> ``import_provenance.csv`` (beside it).

    Examples
    --------
    >>> provenance_path_for("out/import.csv").as_posix()
    'out/import_provenance.csv'
    """
    p = Path(import_path)
    return p.with_name(f"{p.stem}_provenance.csv")


def write_import(result: PrefillResult, path: str | Path,
                 provenance_path: str | Path | None = None) -> tuple[Path, Path]:
    """Validate, then write the import CSV and its provenance CSV (both or neither).

    Parameters
    ----------
    result : PrefillResult
        What :func:`~radlink.redcap.prefill.prefill` returned.
    path : path
        The import CSV (UTF-8).
    provenance_path : path, optional
        Default: ``<stem>_provenance.csv`` beside ``path``.

    Returns
    -------
    (Path, Path)
        The import and provenance files.

    Raises
    ------
    RedcapValidationError
        The records break the dictionary: nothing is written.
    OutputError
        A file cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> from radlink.redcap import DataDictionary, PrefillMapping, prefill, sources_from_tables
    >>> tl = pd.DataFrame({"patient_id": ["P1"], "event_type": ["exam"], "event_id": ["E1"],
    ...     "start": pd.to_datetime(["2024-03-01"]), "exam_id": ["E1"], "modality": ["PT"]})
    >>> dd = DataDictionary.from_rows([
    ...     {"field_name": "record_id", "form_name": "pet", "field_type": "text"},
    ...     {"field_name": "pet_date", "form_name": "pet", "field_type": "text",
    ...      "text_validation_type_or_show_slider_number": "date_ymd"}])
    >>> m = PrefillMapping.from_dict({"select": {"pet": {"source": "exam"}},
    ...                               "fields": {"pet_date": {"from": "pet", "value": "date"}}})
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "import.csv"
    >>> path, prov = write_import(prefill(sources_from_tables(tl), dd, m), out)
    >>> print(path.read_text(encoding="utf-8"), end="")
    record_id,pet_date,pet_complete
    P1,2024-03-01,0
    >>> prov.name
    'import_provenance.csv'
    """
    problems = find_problems(result.records, result.dictionary,
                             repeating=result.mapping.repeating_instruments,
                             name_records=result.pseudonymised)
    if problems:
        raise RedcapValidationError(problems)
    path = Path(path)
    prov = Path(provenance_path) if provenance_path is not None else provenance_path_for(path)
    tmp = [p.with_name(f".{p.name}.partial-{os.getpid()}") for p in (path, prov)]
    try:
        for p in (path, prov):
            p.parent.mkdir(parents=True, exist_ok=True)
        result.records.to_csv(tmp[0], index=False, encoding="utf-8", lineterminator="\n")
        result.provenance.to_csv(tmp[1], index=False, encoding="utf-8", lineterminator="\n")
        os.replace(tmp[1], prov)
        os.replace(tmp[0], path)
    except OSError as exc:
        for t in tmp:
            t.unlink(missing_ok=True)
        raise OutputError(f"cannot write the REDCap import {str(path)!r} ({type(exc).__name__}).") from exc
    return path, prov
