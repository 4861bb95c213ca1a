"""Check a REDCap flat import against the data dictionary, before anything is written.

:func:`find_problems` checks what REDCap itself would refuse or misread:

* the record id field missing, not the first column, or empty on a row;
* a column that is no field of the dictionary (``field___code`` of a code outside
  the checkbox's choices included), or a calculated, descriptive or file field;
* a value outside a radio/dropdown/yes-no field's choices (a label instead of a raw
  code, typically), a checkbox column other than ``0``/``1``;
* a malformed date, datetime, time, integer or number for the field's validation,
  or one outside its min/max;
* a field filled on the wrong row: a repeating instrument's field on the
  non-repeating row, another form's field on a repeating instrument's row, an
  instrument the mapping did not declare repeating, a bad instance number;
* an empty ``redcap_event_name`` in a longitudinal import, duplicate rows.

:func:`mapping_problems` checks the mapping itself (unknown fields, codes outside the
choices, fields on the wrong instrument) so that such errors show even when no record
has data. Messages name the field and the record (by id when ids are pseudonyms, else
``row N`` of the import) and never a free-text or date value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from radlink.errors import RedcapProblem, RedcapValidationError
from radlink.redcap.dictionary import (
    NOT_IMPORTABLE,
    DataDictionary,
    RedcapField,
    checkbox_column,
)

if TYPE_CHECKING:
    from radlink.redcap.mapping import PrefillMapping

__all__ = ["SPECIAL_COLUMNS", "find_problems", "validate_import", "mapping_problems", "check_value"]

SPECIAL_COLUMNS: tuple[str, ...] = ("redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance")
EVERY_RECORD = "every record"

# Human form of each date/time validation, for messages; formats match export.DATE_FORMATS.
_DATE_HUMAN = {
    "date_ymd": ("%Y-%m-%d", "YYYY-MM-DD"),
    "date_dmy": ("%d/%m/%Y", "DD/MM/YYYY"),
    "date_mdy": ("%m/%d/%Y", "MM/DD/YYYY"),
    "datetime_ymd": ("%Y-%m-%d %H:%M", "YYYY-MM-DD HH:MM"),
    "datetime_dmy": ("%d/%m/%Y %H:%M", "DD/MM/YYYY HH:MM"),
    "datetime_mdy": ("%m/%d/%Y %H:%M", "MM/DD/YYYY HH:MM"),
    "datetime_seconds_ymd": ("%Y-%m-%d %H:%M:%S", "YYYY-MM-DD HH:MM:SS"),
    "datetime_seconds_dmy": ("%d/%m/%Y %H:%M:%S", "DD/MM/YYYY HH:MM:SS"),
    "datetime_seconds_mdy": ("%m/%d/%Y %H:%M:%S", "MM/DD/YYYY HH:MM:SS"),
    "time": ("%H:%M", "HH:MM"),
}
_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")
_NUMBER_COMMA = re.compile(r"^-?(\d+(,\d*)?|,\d+)$")
_NDP = re.compile(r"^number_(\d)dp(_comma_decimal)?$")
_INSTANCE = re.compile(r"^[1-9]\d*$")


_CODE_LIKE = re.compile(r"^[\w.,:/+'-]{1,30}$")


def _short(value: str) -> str:
    """The value for a message when it looks like a code or a number, else a placeholder:
    a message never quotes free text (it could be a report sentence)."""
    return repr(value) if _CODE_LIKE.match(value) else "a free-text value"


def _bound_number(text: str | None) -> float | None:
    try:
        return float(str(text).replace(",", ".")) if text not in (None, "") else None
    except ValueError:
        return None


def _bound_date(text: str | None) -> pd.Timestamp | None:
    if text in (None, ""):
        return None
    if str(text).lower() in ("today", "now"):
        return pd.Timestamp.now().normalize() if str(text).lower() == "today" else pd.Timestamp.now()
    try:
        return pd.Timestamp(str(text))  # the dictionary keeps date min/max as Y-M-D
    except ValueError:
        return None


def check_value(fld: RedcapField, value: str, code: str | None = None) -> str | None:
    """What is wrong with one non-empty import value, or None.

    Examples
    --------
    >>> radio = RedcapField("ind", "pet", "radio", choices={"1": "Bilan", "2": "Suivi"})
    >>> check_value(radio, "Bilan")
    "'Bilan' is not one of its codes (1, 2): write raw codes, not labels"
    >>> check_value(RedcapField("d", "pet", "text", validation="date_ymd"), "01/03/2024")
    'not a date in YYYY-MM-DD form'
    >>> check_value(RedcapField("s", "pet", "text", validation="number", max="40"), "52.1")
    'number 52.1 above the maximum 40'
    """
    if fld.type in NOT_IMPORTABLE:
        return f"a {fld.type} field cannot be imported"
    if code is not None:
        return None if value in ("0", "1") else f"checkbox columns hold 0 or 1, not {_short(value)}"
    if fld.type in ("radio", "dropdown", "yesno", "truefalse"):
        if value in fld.choices:
            return None
        codes = ", ".join(list(fld.choices)[:12]) + (", …" if len(fld.choices) > 12 else "")
        return f"{_short(value)} is not one of its codes ({codes}): write raw codes, not labels"
    validation = "integer" if fld.type == "slider" else fld.validation
    if validation in _DATE_HUMAN:
        fmt, human = _DATE_HUMAN[validation]
        try:
            when = pd.Timestamp(dt.datetime.strptime(value, fmt))
        except ValueError:
            return f"not a {'time' if validation == 'time' else 'date'} in {human} form"
        if validation == "time":
            return None
        low, high = _bound_date(fld.min), _bound_date(fld.max)
        if low is not None and when < low:
            return f"date before the minimum {fld.min}"
        if high is not None and when > high:
            return f"date after the maximum {fld.max}"
        return None
    if validation == "integer" or (validation or "").startswith("number"):
        if validation == "integer":
            ok = bool(_INTEGER.match(value))
            what = "an integer"
        else:
            m = _NDP.match(validation or "")
            comma = (validation or "").endswith("comma_decimal")
            ok = bool((_NUMBER_COMMA if comma else _NUMBER).match(value))
            what = "a number" + (" with a decimal comma" if comma else "")
            if ok and m:
                decimals = value.replace(",", ".").partition(".")[2]
                ok = len(decimals) == int(m[1])
                what = f"a number with {m[1]} decimal{'s' if int(m[1]) > 1 else ''}"
        if not ok:
            return f"{_short(value)} is not {what}"
        number = float(value.replace(",", "."))
        low, high = _bound_number(fld.min), _bound_number(fld.max)
        if fld.type == "slider":
            low = 0.0 if low is None else low
            high = 100.0 if high is None else high
        if low is not None and number < low:
            return f"number {value} below the minimum {fld.min or '0'}"
        if high is not None and number > high:
            return f"number {value} above the maximum {fld.max or '100'}"
    return None


def find_problems(
    records: pd.DataFrame,
    dictionary: DataDictionary,
    *,
    repeating: frozenset[str] | set[str] = frozenset(),
    name_records: bool = False,
) -> list[RedcapProblem]:
    """Every problem of a flat import against the dictionary (empty list: valid).

    Parameters
    ----------
    records : pandas.DataFrame
        Flat import rows (strings; empty or NaN cells are "not filled").
    dictionary : DataDictionary
    repeating : set of str
        Instruments that repeat in the project.
    name_records : bool, default False
        Name records by their id (do so only when ids are pseudonyms); else ``row N``
        (1-based data row of the import file).

    Examples
    --------
    >>> import pandas as pd
    >>> dd = DataDictionary.from_rows([
    ...     {"field_name": "record_id", "form_name": "pet", "field_type": "text"},
    ...     {"field_name": "pet_date", "form_name": "pet", "field_type": "text",
    ...      "text_validation_type_or_show_slider_number": "date_ymd"}])
    >>> rows = pd.DataFrame({"record_id": ["a1", ""], "pet_date": ["2024-13-01", "2024-01-02"]})
    >>> for p in find_problems(rows, dd, name_records=True):
    ...     print(p)
    field 'record_id', record row 2: the record id is empty
    field 'pet_date', record a1: not a date in YYYY-MM-DD form
    """
    df = records.astype(object).where(records.notna(), "").astype(str)
    rid = dictionary.record_id
    cols = list(df.columns)
    problems: list[RedcapProblem] = []
    if rid not in cols:
        return [RedcapProblem(EVERY_RECORD, rid, "the record id field is missing: it must be the first column")]
    if cols[0] != rid:
        problems.append(RedcapProblem(EVERY_RECORD, rid, f"the record id field must be the first column, not {cols[0]!r}"))
    ids = df[rid].str.strip()
    names = np.where((ids != "") & name_records, ids, [f"row {i + 1}" for i in range(len(df))])
    instr = df["redcap_repeat_instrument"].str.strip() if "redcap_repeat_instrument" in df else pd.Series("", index=df.index)
    inst = df["redcap_repeat_instance"].str.strip() if "redcap_repeat_instance" in df else pd.Series("", index=df.index)
    labels = np.where(instr != "", instr + " #" + inst, "")

    def add(mask: pd.Series | np.ndarray, field: str, problem: str) -> None:
        for i in np.flatnonzero(np.asarray(mask)):
            problems.append(RedcapProblem(str(names[i]), field, problem, str(labels[i])))

    add(ids == "", rid, "the record id is empty")

    forms = set(dictionary.forms)
    bad_instr = (instr != "") & ~instr.isin(forms)
    add(bad_instr, "redcap_repeat_instrument", "unknown instrument: not a form of the data dictionary")
    add((instr != "") & instr.isin(forms) & ~instr.isin(repeating), "redcap_repeat_instrument",
        "this instrument is not repeating (declare it under [repeat.<instrument>] in the mapping)")
    add((instr != "") & ~inst.str.match(_INSTANCE.pattern), "redcap_repeat_instance",
        "a repeating instrument's row needs an instance number 1, 2, ...")
    add((instr == "") & (inst != ""), "redcap_repeat_instance", "an instance number without a repeating instrument")
    if "redcap_event_name" in df:
        add(df["redcap_event_name"].str.strip() == "", "redcap_event_name",
            "the event name is empty (longitudinal project)")
    key = [c for c in (rid, "redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance") if c in df]
    add(df.duplicated(key, keep="first") & (ids != ""), rid, "duplicate row (same record, event and instance)")

    owner = dictionary.column_owner()
    completes = {f"{form}_complete": form for form in dictionary.forms}
    for col in cols:
        if col == rid or col in SPECIAL_COLUMNS:
            continue
        values = df[col]
        filled = values.str.strip() != ""
        if col in completes:
            add(filled & ~values.isin(["0", "1", "2"]), col, "form status is 0, 1 or 2")
            form = completes[col]
            _placement(add, filled, instr, form, repeating, col)
            continue
        if col not in owner:
            base, sep, code = col.rpartition("___")
            if sep and base in dictionary and dictionary[base].type == "checkbox":
                fld = dictionary[base]
                problem = (f"code {code!r} is not one of its choices "
                           f"({', '.join(checkbox_column(base, c).rpartition('___')[2] for c in fld.choices)})")
                field = base
            elif col in dictionary:  # a checkbox given as one column
                problem = (f"a checkbox is imported as one column per choice "
                           f"({', '.join(dictionary[col].export_columns()[:3])} ...)")
                field = col
            else:
                problem, field = "unknown field: not in the data dictionary", col
            if filled.any():
                add(filled, field, problem)
            else:
                problems.append(RedcapProblem(EVERY_RECORD, field, problem))
            continue
        fld, code = owner[col]
        verdict = {v: check_value(fld, v, code) for v in values[filled].unique()}
        bad = values[filled].map(verdict)
        for problem, idx in bad.dropna().groupby(bad.dropna()).groups.items():
            add(values.index.isin(idx), fld.name, problem)
        _placement(add, filled, instr, fld.form, repeating, fld.name)
    return problems


def _placement(add: Callable[[pd.Series, str, str], None], filled: pd.Series, instr: pd.Series,
               form: str, repeating: frozenset[str] | set[str], field: str) -> None:
    """Flag a form's values on a row of the wrong (repeating) instrument."""
    if form in repeating:
        add(filled & (instr == ""), field,
            f"field of repeating instrument {form!r} filled on the record's non-repeating row")
        add(filled & (instr != "") & (instr != form), field,
            f"field of repeating instrument {form!r} filled on another instrument's row")
    else:
        add(filled & (instr != ""), field,
            f"field of form {form!r} (not repeating) filled on a repeating instrument's row")


def validate_import(
    records: pd.DataFrame,
    dictionary: DataDictionary,
    *,
    repeating: frozenset[str] | set[str] = frozenset(),
    name_records: bool = False,
) -> None:
    """Raise :class:`~radlink.errors.RedcapValidationError` if :func:`find_problems` finds any.

    Examples
    --------
    >>> import pandas as pd
    >>> dd = DataDictionary.from_rows([{"field_name": "record_id", "form_name": "f", "field_type": "text"}])
    >>> validate_import(pd.DataFrame({"record_id": ["a1"]}), dd)
    """
    problems = find_problems(records, dictionary, repeating=repeating, name_records=name_records)
    if problems:
        raise RedcapValidationError(problems)


def mapping_problems(mapping: PrefillMapping, dictionary: DataDictionary) -> list[RedcapProblem]:
    """Problems of a mapping against the dictionary (record ``every record``).

    Examples
    --------
    >>> from radlink.redcap.mapping import PrefillMapping
    >>> dd = DataDictionary.from_rows([{"field_name": "record_id", "form_name": "f", "field_type": "text"}])
    >>> m = PrefillMapping.from_dict({"fields": {"age": {"const": 1}}})
    >>> [str(p) for p in mapping_problems(m, dd)]
    ["field 'age', record every record: unknown field: not in the data dictionary"]
    """
    problems: list[RedcapProblem] = []
    repeating = mapping.repeating_instruments

    def check(rule, instrument: str | None) -> None:
        where = f"repeat.{instrument}.fields" if instrument else "fields"
        if rule.field not in dictionary:
            problems.append(RedcapProblem(EVERY_RECORD, rule.field, "unknown field: not in the data dictionary"))
            return
        fld = dictionary[rule.field]
        if fld.name == dictionary.record_id:
            problems.append(RedcapProblem(EVERY_RECORD, fld.name,
                                          "the record id is set from the patient id; do not map it"))
            return
        if not fld.importable:
            problems.append(RedcapProblem(EVERY_RECORD, fld.name, f"a {fld.type} field cannot be imported"))
        if instrument is None and fld.form in repeating:
            problems.append(RedcapProblem(EVERY_RECORD, fld.name,
                                          f"field of repeating instrument {fld.form!r}: map it under "
                                          f"[repeat.{fld.form}.fields], not [fields]"))
        if instrument is not None and fld.form != instrument:
            problems.append(RedcapProblem(EVERY_RECORD, fld.name,
                                          f"field of form {fld.form!r} mapped on repeating instrument "
                                          f"{instrument!r}"))
        if fld.choices:
            for code in [*rule.codes.values(), *([rule.otherwise] if rule.otherwise else [])]:
                if code not in fld.choices:
                    problems.append(RedcapProblem(
                        EVERY_RECORD, fld.name,
                        f"code {code!r} in {where}.{fld.name} is not one of its codes "
                        f"({', '.join(fld.choices)})"))

    for rule in mapping.fields:
        check(rule, None)
    for rep in mapping.repeats:
        if rep.instrument not in dictionary.forms:
            problems.append(RedcapProblem(EVERY_RECORD, "redcap_repeat_instrument",
                                          f"unknown instrument {rep.instrument!r} in [repeat.{rep.instrument}]"))
            continue
        for rule in rep.fields:
            check(rule, rep.instrument)
    return problems
