"""Build REDCap records from a timeline output, a data dictionary and a mapping.

:func:`prefill` applies the mapping's selections and rules to the source rows
(:mod:`~radlink.redcap.sources`) with grouped pandas operations (no Python
loop over patients), keeps one provenance row per filled value, formats values the
way REDCap imports them, lays them out as REDCap's flat import and validates the
result against the dictionary. It raises before anything is written; writing is
:func:`~radlink.redcap.export.write_import`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from radlink.errors import RedcapValidationError
from radlink.redcap.dictionary import DataDictionary, read_dictionary
from radlink.redcap.export import LONG_COLUMNS, PROVENANCE_COLUMNS, format_values, to_flat
from radlink.redcap.mapping import (
    DateBound,
    FieldRule,
    PrefillMapping,
    Selection,
    read_mapping,
)
from radlink.redcap.result import PrefillResult
from radlink.redcap.sources import MULTI_VALUED, PrefillSources, read_sources
from radlink.redcap.validate import find_problems, mapping_problems

__all__ = ["PrefillResult", "prefill", "select_rows"]

_ID_COLUMN = {"exam": "exam_id", "finding": "finding_id", "stay": "stay_id"}
_SNIPPET_OF = {"max_suvmax": "_snippet_suv", "indication": "_snippet_indication",
               "indication_category": "_snippet_indication", "conclusion": "_snippet_conclusion",
               "n_lesions": "_snippet_conclusion"}


def _matches(values: pd.Series, accepted: tuple[Any, ...], multi: bool) -> pd.Series:
    """Rows whose value is one of ``accepted`` (``"C34*"`` is a prefix)."""
    if multi:
        parts = values.astype(object).where(values.notna(), "").astype(str).str.split(";").explode()
        hit = _matches(parts.str.strip().where(parts.str.strip() != "", None), accepted, False)
        return hit.groupby(level=0).any().reindex(values.index, fill_value=False)
    hit = pd.Series(False, index=values.index)
    text = None
    for a in accepted:
        if isinstance(a, str) and a.endswith("*"):
            if text is None:
                text = values.astype(object).where(values.notna(), None).astype(str)
            hit |= text.str.startswith(a[:-1]) & values.notna()
        elif isinstance(a, bool):
            hit |= values.map(lambda v, a=a: isinstance(v, (bool, np.bool_)) and bool(v) is a)
        else:
            hit |= (values == a).fillna(False).astype(bool)
    return hit


def _bound(df: pd.DataFrame, bound: DateBound, resolved: dict[str, pd.DataFrame]) -> pd.Series:
    """Per-row date of a bound: a fixed date, or the patient's first row of a selection."""
    if bound.date is not None:
        at = pd.Series(bound.date, index=df.index)
    else:
        ref = resolved[bound.selection]
        first = ref.drop_duplicates("patient_id").set_index("patient_id")["date"]
        at = pd.to_datetime(df["patient_id"].map(first))
    return at + pd.Timedelta(days=bound.days)


def select_rows(sel: Selection, sources: PrefillSources, resolved: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows of one selection, ordered per patient (``resolved`` holds the selections it uses).

    Examples
    --------
    >>> import pandas as pd
    >>> from radlink.redcap.sources import sources_from_tables
    >>> tl = pd.DataFrame({"patient_id": ["P1", "P1"], "event_type": ["exam", "exam"],
    ...     "event_id": ["E1", "E2"], "start": pd.to_datetime(["2024-01-05", "2024-03-01"]),
    ...     "exam_id": ["E1", "E2"], "modality": ["PT", "PT"]})
    >>> sel = Selection("pet", "exam", where={"modality": ("PT",)}, pick="last")
    >>> select_rows(sel, sources_from_tables(tl), {})["exam_id"].tolist()
    ['E2']
    """
    df = sources[sel.source]
    mask = pd.Series(True, index=df.index)
    for col, accepted in sel.where.items():
        mask &= _matches(df[col], accepted, col in MULTI_VALUED)
    if sel.of is not None:
        mask &= df["report_id"].isin(resolved[sel.of]["report_id"].dropna())
    if sel.before is not None:
        mask &= (df["date"] < _bound(df, sel.before, resolved)).fillna(False).astype(bool)
    if sel.after is not None:
        mask &= (df["date"] >= _bound(df, sel.after, resolved)).fillna(False).astype(bool)
    rows = df[mask]
    col, ascending = sel.order.lstrip("-"), not sel.order.startswith("-")
    if col != "date" or not ascending:
        rows = rows.sort_values(["patient_id", col], ascending=[True, ascending],
                                na_position="last", kind="mergesort")
    groups = rows.groupby("patient_id", sort=False)
    if sel.pick == "first":
        rows = groups.head(1)
    elif sel.pick == "last":
        rows = groups.tail(1)
    elif sel.limit is not None:
        rows = groups.head(sel.limit)
    return rows


def _provenance(rows: pd.DataFrame, source: str, value_col: str | None) -> pd.DataFrame:
    """Provenance columns of selected rows (one per row)."""
    snippet = rows["_snippet"]
    if source == "exam" and value_col in _SNIPPET_OF:
        specific = rows[_SNIPPET_OF[value_col]]
        snippet = specific.where(specific.notna(), snippet)
    return pd.DataFrame({
        "record": rows["patient_id"].astype(str).to_numpy(),
        "source_type": source,
        "source_id": rows[_ID_COLUMN[source]].where(rows[_ID_COLUMN[source]].notna(),
                                                     rows.get("report_id")).to_numpy(),
        "exam_id": rows["exam_id"].to_numpy() if "exam_id" in rows else None,
        "report_id": rows["report_id"].to_numpy() if "report_id" in rows else None,
        "snippet": snippet.to_numpy(),
    }, index=rows.index)


def _joined(values: pd.Series) -> str | None:
    ids = [str(v) for v in values if v is not None and v == v]
    return ";".join(ids) if ids else None


def _field_values(rule: FieldRule, rows: pd.DataFrame | None, source: str | None,
                  records: list[str], checkbox: bool) -> pd.DataFrame:
    """Long rows (record, value + provenance) of one non-repeating field rule."""
    if rule.const is not None:
        return pd.DataFrame({"record": records, "value": [rule.const] * len(records),
                             "source_type": "mapping", "snippet": "constant of the mapping"})
    assert rows is not None and source is not None
    rows = rows[rows["patient_id"].astype(str).isin(records)]
    if rule.aggregate in ("count", "any"):
        idcol = _ID_COLUMN[source]
        ids = rows[idcol].where(rows[idcol].notna(), rows.get("report_id"))
        per = ids.groupby(rows["patient_id"].astype(str)).agg([("n", "size"), ("ids", _joined)])
        per = per.reindex(records)
        n = per["n"].fillna(0).astype(int)
        value = n if rule.aggregate == "count" else (n > 0).astype(int)
        return pd.DataFrame({"record": records, "value": value.to_numpy(), "source_type": source,
                             "source_id": per["ids"].to_numpy(),
                             "snippet": f"{rule.aggregate} of selection {rule.selection!r}"})
    col = rule.value
    rows = rows[rows[col].notna()]
    if checkbox:
        picked = rows
    elif rule.aggregate in ("min", "max"):
        num = pd.to_numeric(rows[col], errors="coerce")
        rows, num = rows[num.notna()], num[num.notna()]
        by = num.groupby(rows["patient_id"])
        picked = rows.loc[by.idxmax() if rule.aggregate == "max" else by.idxmin()]
    else:
        groups = rows.groupby("patient_id", sort=False)
        picked = groups.head(1) if rule.aggregate == "first" else groups.tail(1)
    out = _provenance(picked, source, col)
    out["value"] = picked[col].to_numpy()
    return out


def _apply_codes(values: pd.Series, rule: FieldRule) -> pd.Series:
    if not rule.codes and rule.otherwise is None:
        return values

    def code(v: Any) -> Any:
        if isinstance(v, (bool, np.bool_)):
            key = "true" if v else "false"
        elif isinstance(v, (float, np.floating)) and float(v).is_integer():
            key = str(int(v))
        else:
            key = str(v)
        if key in rule.codes:
            return rule.codes[key]
        return rule.otherwise if rule.otherwise is not None else v

    return values.map(code)


def _long_values(mapping: PrefillMapping, dictionary: DataDictionary, sources: PrefillSources,
                 records: list[str], resolved: dict[str, pd.DataFrame]) -> pd.DataFrame:
    parts = []
    for rule in mapping.fields:
        fld = dictionary.fields.get(rule.field)
        sel = mapping.selections.get(rule.selection) if rule.selection else None
        rows = resolved[sel.name] if sel else None
        part = _field_values(rule, rows, sel.source if sel else None, records,
                             checkbox=fld is not None and fld.type == "checkbox")
        part["value"] = _apply_codes(part["value"], rule)
        part = part.assign(field=rule.field, instrument="", instance="",
                           event=mapping.event or "", rule=f"fields.{rule.field}")
        parts.append(part)
    for rep in mapping.repeats:
        sel = mapping.selections[rep.selection]
        rows = resolved[sel.name]
        rows = rows[rows["patient_id"].astype(str).isin(records)]
        instance = rows.groupby("patient_id", sort=False).cumcount() + 1
        for rule in rep.fields:
            if rule.const is not None:
                part = _provenance(rows, sel.source, None)
                part["value"] = rule.const
                part["snippet"] = "constant of the mapping"
                inst = instance
            else:
                has = rows[rule.value].notna()
                part = _provenance(rows[has], sel.source, rule.value)
                part["value"] = rows.loc[has, rule.value].to_numpy()
                inst = instance[has]
            part["value"] = _apply_codes(part["value"], rule)
            part = part.assign(field=rule.field, instrument=rep.instrument,
                               instance=inst.astype(str).to_numpy(),
                               event=rep.event or mapping.event or "",
                               rule=f"repeat.{rep.instrument}.fields.{rule.field}")
            parts.append(part)
    long = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["record", "value"])
    long = long.dropna(subset=["value"])
    long = long.drop_duplicates(["record", "event", "instrument", "instance", "field", "value"])
    for c in LONG_COLUMNS:
        if c not in long.columns:
            long[c] = None
    return long.reset_index(drop=True)


def prefill(
    outdir: str | Path | PrefillSources,
    dictionary: str | Path | DataDictionary,
    mapping: str | Path | PrefillMapping,
) -> PrefillResult:
    """Pre-fill REDCap records from a ``radlink timeline`` OUTDIR.

    Parameters
    ----------
    outdir : path or PrefillSources
        Output directory of ``radlink timeline`` (or sources built with
        :func:`~radlink.redcap.sources.sources_from_tables`).
    dictionary : path or DataDictionary
        The project's data dictionary (CSV export).
    mapping : path or PrefillMapping
        The pre-filling mapping (TOML or YAML).

    Returns
    -------
    PrefillResult

    Raises
    ------
    RedcapValidationError
        The records break the dictionary (unknown field, value outside the choices,
        malformed date, number out of range, field on the wrong repeating instrument,
        missing record id); every problem is listed by field and record.

    Examples
    --------
    >>> import pandas as pd
    >>> from radlink.redcap.sources import sources_from_tables
    >>> from radlink.redcap.dictionary import DataDictionary
    >>> tl = pd.DataFrame({"patient_id": ["P1"], "event_type": ["exam"], "event_id": ["E1"],
    ...     "start": pd.to_datetime(["2024-03-01 09:00"]), "exam_id": ["E1"], "report_id": ["R1"],
    ...     "modality": ["PT"], "max_suvmax": [7.0]})
    >>> dd = DataDictionary.from_rows([
    ...     {"field_name": "record_id", "form_name": "pet", "field_type": "text"},
    ...     {"field_name": "pet_date", "form_name": "pet", "field_type": "text",
    ...      "text_validation_type_or_show_slider_number": "date_dmy"},
    ...     {"field_name": "pet_suvmax", "form_name": "pet", "field_type": "text",
    ...      "text_validation_type_or_show_slider_number": "number"}])
    >>> m = PrefillMapping.from_dict({"select": {"pet": {"source": "exam", "where": {"modality": "PT"}}},
    ...     "fields": {"pet_date": {"from": "pet", "value": "date"},
    ...                "pet_suvmax": {"from": "pet", "value": "max_suvmax"}}})
    >>> res = prefill(sources_from_tables(tl), dd, m)
    >>> res.records.values.tolist()
    [['P1', '01/03/2024', '7', '0']]
    >>> list(res.records.columns)
    ['record_id', 'pet_date', 'pet_suvmax', 'pet_complete']
    """
    sources = outdir if isinstance(outdir, PrefillSources) else read_sources(outdir)
    dd = dictionary if isinstance(dictionary, DataDictionary) else read_dictionary(dictionary)
    mp = mapping if isinstance(mapping, PrefillMapping) else read_mapping(mapping)
    early = mapping_problems(mp, dd)
    if early:
        raise RedcapValidationError(early)

    resolved: dict[str, pd.DataFrame] = {}
    for name in mp.selection_order():
        resolved[name] = select_rows(mp.selections[name], sources, resolved)
    if mp.only_with is not None:
        keep = set(resolved[mp.only_with]["patient_id"].astype(str))
        records = [p for p in sources.patients if p in keep]
    else:
        records = list(sources.patients)

    long = _long_values(mp, dd, sources, records, resolved)
    long = format_values(long, dd)
    flat = to_flat(long, records, dd, mp)
    problems = find_problems(flat, dd, repeating=mp.repeating_instruments,
                             name_records=sources.pseudonymised)
    if problems:
        raise RedcapValidationError(problems)
    # provenance in the order a research assistant reads the import: record, row, field
    rank = {r: i for i, r in enumerate(records)}
    field_rank = {f: i for i, f in enumerate(dd.fields)}
    order = pd.DataFrame({
        "r": long["record"].map(rank), "e": long["event"], "i": long["instrument"],
        "n": pd.to_numeric(long["instance"], errors="coerce").fillna(0),
        "f": long["field"].map(field_rank).fillna(len(field_rank)),
    }).sort_values(["r", "e", "i", "n", "f"], kind="mergesort")
    provenance = long.loc[order.index, list(LONG_COLUMNS)].set_axis(list(PROVENANCE_COLUMNS), axis=1)
    filled = long.groupby("field")["record"].size()
    summary = {
        "patients": len(sources.patients),
        "records": len(records),
        "rows": len(flat),
        "instances": {r.instrument: int((flat.get("redcap_repeat_instrument", pd.Series(dtype=str))
                                         == r.instrument).sum()) for r in mp.repeats},
        "filled": {f: int(filled.get(f, 0)) for f in
                   [r.field for r in mp.fields] + [r.field for rep in mp.repeats for r in rep.fields]},
    }
    return PrefillResult(flat, provenance.reset_index(drop=True), dd, mp, summary, sources.pseudonymised)
