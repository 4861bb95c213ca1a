"""Pre-filling mappings: which radlink rows and values fill which REDCap fields.

A mapping is data, in TOML (or YAML), with four kinds of tables and a small vocabulary:

.. code-block:: toml

    [record]                      # optional
    only_with = "staging_pet"     # records only for patients with such a row
    event = "baseline_arm_1"      # longitudinal projects: redcap_event_name

    [select.staging_pet]          # a named selection: rows of one source, per patient
    source = "exam"               # exam | finding | stay          (see sources.py)
    where = { modality = "PT", tracer = "FDG" }   # equal to / one of a list / "C34*"
    before = "2025-01-01"         # rows dated before ...  (a date, or a selection's
    after = "first_stay - 30 days"  # ... on or after     date, +/- N days)
    of = "staging_pet"            # findings only: findings of that exam selection
    order = "date"                # a column; "-column" for descending
    pick = "first"                # first | last | all
    limit = 10                    # at most N rows per patient (pick = "all")

    [fields.pet_date]             # a field of a non-repeating form
    from = "staging_pet"
    value = "date"                # a column of the selected row
    aggregate = "first"           # first (default) | last | min | max | count | any
    codes = { initial_staging = 1, follow_up = 2 }   # radlink value -> REDCap code
    otherwise = 9                 # code for a value missing from `codes`
    # const = 1                   # a constant for every record (no `from`)

    [repeat.lesions]              # a repeating instrument: one instance per row
    from = "staging_lesions"
    [repeat.lesions.fields]
    lesion_site = { value = "site", codes = { lung = 1, ln_mediastinal = 2 } }

``first``/``last`` take the value of the first/last row (in the selection's order) that
has one; ``min``/``max`` the row with the smallest/largest value. A checkbox field
collects every value of its selection (each code checked once).
``count`` and ``any`` (``1``/``0``) fill every record, 0 included. The rules are parsed
and checked here, without data; :mod:`~radlink.redcap.prefill` applies them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from radlink.errors import MissingDependencyError, RedcapMappingError
from radlink.redcap.sources import SOURCE_COLUMNS

__all__ = ["Selection", "FieldRule", "RepeatRule", "DateBound", "PrefillMapping", "read_mapping"]

PICKS = ("first", "last", "all")
AGGREGATES = ("first", "last", "min", "max", "count", "any")
_BOUND = re.compile(r"^\s*(?P<ref>[^\s+-][^\s+]*?)\s*(?:(?P<sign>[+-])\s*(?P<days>\d+)\s*(?:d|days?))?\s*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$")


@dataclass(frozen=True)
class DateBound:
    """A date window bound: a fixed date, or a selection's date per patient, +/- days.

    Examples
    --------
    >>> DateBound.parse("staging_pet + 90 days", "select.x.before")
    DateBound(date=None, selection='staging_pet', days=90)
    >>> DateBound.parse("2025-01-01", "select.x.before").date
    Timestamp('2025-01-01 00:00:00')
    """

    date: pd.Timestamp | None = None
    selection: str | None = None
    days: int = 0

    @classmethod
    def parse(cls, text: object, where: str) -> DateBound:
        m = _BOUND.match(str(text))
        if not isinstance(text, str) or m is None:
            raise RedcapMappingError(
                f"mapping {where}: {text!r} is not a date bound; write a date (2025-01-01) or "
                "a selection name, optionally '+ N days' / '- N days'."
            )
        days = int(m["days"] or 0) * (-1 if m["sign"] == "-" else 1)
        ref = m["ref"]
        if _DATE.match(ref):
            return cls(date=pd.Timestamp(ref), days=days)
        return cls(selection=ref, days=days)


@dataclass(frozen=True)
class Selection:
    """Rows of one source, per patient (``[select.<name>]``).

    Attributes
    ----------
    name, source : str
    where : dict of str to tuple
        Column -> accepted values (a value ending in ``*`` is a prefix).
    before, after : DateBound or None
        Rows dated before ``before`` and on or after ``after``.
    of : str or None
        For findings: only findings of the rows of that exam selection.
    order : str
        Column to order rows by within a patient; ``-`` prefix for descending.
    pick : str
        ``first``, ``last`` or ``all`` (in that order).
    limit : int or None
        At most this many rows per patient.
    """

    name: str
    source: str
    where: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    before: DateBound | None = None
    after: DateBound | None = None
    of: str | None = None
    order: str = "date"
    pick: str = "first"
    limit: int | None = None

    def depends_on(self) -> list[str]:
        """Selections this one needs first."""
        deps = [b.selection for b in (self.before, self.after) if b is not None and b.selection]
        return deps + ([self.of] if self.of else [])


@dataclass(frozen=True)
class FieldRule:
    """How one REDCap field is filled.

    Attributes
    ----------
    field : str
        REDCap field name.
    selection : str or None
        Selection read (``from``); None for a constant, or the instance's own row in a
        repeating instrument.
    value : str or None
        Source column.
    aggregate : str
        ``first``, ``last``, ``min``, ``max``, ``count`` or ``any``.
    codes : dict of str to str
        radlink value -> REDCap raw code.
    otherwise : str or None
        Code for a value missing from ``codes``.
    const : object or None
        Constant value.
    """

    field: str
    selection: str | None = None
    value: str | None = None
    aggregate: str = "first"
    codes: dict[str, str] = field(default_factory=dict)
    otherwise: str | None = None
    const: Any = None


@dataclass(frozen=True)
class RepeatRule:
    """A repeating instrument: one instance per row of a selection (``[repeat.<form>]``)."""

    instrument: str
    selection: str
    fields: tuple[FieldRule, ...]
    event: str | None = None


@dataclass(frozen=True)
class PrefillMapping:
    """A parsed, checked pre-filling mapping (describes, does nothing).

    Examples
    --------
    >>> m = PrefillMapping.from_dict({
    ...     "select": {"pet": {"source": "exam", "where": {"modality": "PT"}}},
    ...     "fields": {"pet_date": {"from": "pet", "value": "date"}},
    ... })
    >>> m.fields[0]
    FieldRule(field='pet_date', selection='pet', value='date', aggregate='first', codes={}, otherwise=None, const=None)
    """

    selections: dict[str, Selection]
    fields: tuple[FieldRule, ...] = ()
    repeats: tuple[RepeatRule, ...] = ()
    event: str | None = None
    only_with: str | None = None
    source: str = "mapping"

    @property
    def repeating_instruments(self) -> frozenset[str]:
        """Instruments the mapping declares repeating."""
        return frozenset(r.instrument for r in self.repeats)

    @property
    def longitudinal(self) -> bool:
        """Rows carry ``redcap_event_name``."""
        return self.event is not None or any(r.event for r in self.repeats)

    def selection_order(self) -> list[str]:
        """Selections in an order where each comes after those it depends on."""
        done: list[str] = []
        visiting: set[str] = set()

        def visit(name: str, path: str) -> None:
            if name in done:
                return
            if name in visiting:
                raise RedcapMappingError(f"mapping {path}: selections depend on each other in a cycle.")
            visiting.add(name)
            for dep in self.selections[name].depends_on():
                visit(dep, f"select.{name}")
            visiting.discard(name)
            done.append(name)

        for name in self.selections:
            visit(name, f"select.{name}")
        return done

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any], source: str = "mapping") -> PrefillMapping:
        """Parse and check a mapping document (the TOML/YAML content)."""
        doc = _table(doc, "")
        _keys(doc, {"record", "select", "fields", "repeat"}, "")
        record = _table(doc.get("record", {}), "record")
        _keys(record, {"event", "only_with"}, "record")
        selections = {
            name: _selection(name, _table(spec, f"select.{name}"))
            for name, spec in _table(doc.get("select", {}), "select").items()
        }
        fields = tuple(
            _field_rule(name, _table(spec, f"fields.{name}"), f"fields.{name}", repeat=False)
            for name, spec in _table(doc.get("fields", {}), "fields").items()
        )
        repeats = []
        for instr, spec in _table(doc.get("repeat", {}), "repeat").items():
            where = f"repeat.{instr}"
            spec = _table(spec, where)
            _keys(spec, {"from", "fields", "event"}, where)
            if "from" not in spec:
                raise RedcapMappingError(f"mapping {where}: 'from' (a selection) is required.")
            rules = tuple(
                _field_rule(n, _table(s, f"{where}.fields.{n}"), f"{where}.fields.{n}", repeat=True)
                for n, s in _table(spec.get("fields", {}), f"{where}.fields").items()
            )
            if not rules:
                raise RedcapMappingError(f"mapping {where}: no field to fill ('fields' is empty).")
            repeats.append(RepeatRule(instr, str(spec["from"]), rules,
                                      _opt_str(spec.get("event"), f"{where}.event")))
        mapping = cls(selections, fields, tuple(repeats), _opt_str(record.get("event"), "record.event"),
                      _opt_str(record.get("only_with"), "record.only_with"), source)
        mapping._check_references()
        return mapping

    def _check_references(self) -> None:
        def known(name: str | None, where: str) -> None:
            if name is not None and name not in self.selections:
                hint = ", ".join(sorted(self.selections)) or "none defined"
                raise RedcapMappingError(
                    f"mapping {where}: unknown selection {name!r} (selections: {hint})."
                )

        known(self.only_with, "record.only_with")
        for sel in self.selections.values():
            where = f"select.{sel.name}"
            for b, key in ((sel.before, "before"), (sel.after, "after")):
                if b is not None:
                    known(b.selection, f"{where}.{key}")
            if sel.of is not None:
                known(sel.of, f"{where}.of")
                if sel.source != "finding" or self.selections[sel.of].source != "exam":
                    raise RedcapMappingError(
                        f"mapping {where}.of: 'of' keeps the findings of an exam selection; "
                        f"here source is {sel.source!r} and {sel.of!r} selects "
                        f"{self.selections[sel.of].source!r} rows."
                    )
        for rule in self.fields:
            known(rule.selection, f"fields.{rule.field}.from")
            if rule.value is not None and rule.selection is not None:
                _column(self.selections[rule.selection].source, rule.value, f"fields.{rule.field}.value")
        seen = {r.field for r in self.fields}
        for rep in self.repeats:
            known(rep.selection, f"repeat.{rep.instrument}.from")
            for rule in rep.fields:
                if rule.value is not None:
                    _column(self.selections[rep.selection].source, rule.value,
                            f"repeat.{rep.instrument}.fields.{rule.field}.value")
                if rule.field in seen:
                    raise RedcapMappingError(
                        f"mapping repeat.{rep.instrument}.fields.{rule.field}: this field is filled "
                        "by another rule too; give each field one rule."
                    )
                seen.add(rule.field)
        self.selection_order()


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise RedcapMappingError(f"mapping {where or 'file'}: expected a table, got {type(value).__name__}.")
    return dict(value)


def _keys(doc: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(doc) - allowed
    if unknown:
        raise RedcapMappingError(
            f"mapping {where or 'file'}: unknown key{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(sorted(map(repr, unknown)))}; allowed: {', '.join(sorted(allowed))}."
        )


def _opt_str(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise RedcapMappingError(f"mapping {where}: expected a non-empty string.")
    return value


def _column(source: str, column: str, where: str) -> str:
    cols = SOURCE_COLUMNS[source]
    if column not in cols:
        raise RedcapMappingError(
            f"mapping {where}: {source} rows have no column {column!r}; "
            f"columns: {', '.join(cols)}."
        )
    return column


def _code(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise RedcapMappingError(f"mapping {where}: a REDCap code is an integer or a string, got {value!r}.")
    return str(value)


def _selection(name: str, spec: dict[str, Any]) -> Selection:
    where = f"select.{name}"
    _keys(spec, {"source", "where", "before", "after", "of", "order", "pick", "limit"}, where)
    source = spec.get("source")
    if source not in SOURCE_COLUMNS:
        raise RedcapMappingError(
            f"mapping {where}.source: expected one of {', '.join(SOURCE_COLUMNS)}, got {source!r}."
        )
    conditions = {}
    for col, accepted in _table(spec.get("where", {}), f"{where}.where").items():
        _column(source, col, f"{where}.where")
        values = tuple(accepted) if isinstance(accepted, (list, tuple)) else (accepted,)
        if not values:
            raise RedcapMappingError(f"mapping {where}.where.{col}: give at least one value.")
        conditions[col] = values
    order = str(spec.get("order", "date"))
    _column(source, order.lstrip("-"), f"{where}.order")
    pick = spec.get("pick", "first")
    if pick not in PICKS:
        raise RedcapMappingError(f"mapping {where}.pick: expected one of {', '.join(PICKS)}, got {pick!r}.")
    limit = spec.get("limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise RedcapMappingError(f"mapping {where}.limit: expected a positive integer, got {limit!r}.")
    return Selection(
        name=name, source=source, where=conditions,
        before=DateBound.parse(spec["before"], f"{where}.before") if "before" in spec else None,
        after=DateBound.parse(spec["after"], f"{where}.after") if "after" in spec else None,
        of=_opt_str(spec.get("of"), f"{where}.of"), order=order, pick=pick, limit=limit,
    )


def _field_rule(name: str, spec: dict[str, Any], where: str, *, repeat: bool) -> FieldRule:
    allowed = {"value", "codes", "otherwise", "const"} | (set() if repeat else {"from", "aggregate"})
    _keys(spec, allowed, where)
    aggregate = spec.get("aggregate", "first")
    if aggregate not in AGGREGATES:
        raise RedcapMappingError(
            f"mapping {where}.aggregate: expected one of {', '.join(AGGREGATES)}, got {aggregate!r}."
        )
    selection = _opt_str(spec.get("from"), f"{where}.from")
    value = _opt_str(spec.get("value"), f"{where}.value")
    const = spec.get("const")
    if const is not None and (selection or value):
        raise RedcapMappingError(f"mapping {where}: 'const' fills every record; drop 'from' and 'value'.")
    if const is None and not repeat and selection is None:
        raise RedcapMappingError(f"mapping {where}: give 'from' (a selection) or 'const'.")
    if const is None and value is None and aggregate not in ("count", "any"):
        raise RedcapMappingError(
            f"mapping {where}: give 'value' (a column), or aggregate = 'count' / 'any'."
        )
    codes = {str(k): _code(v, f"{where}.codes.{k}")
             for k, v in _table(spec.get("codes", {}), f"{where}.codes").items()}
    otherwise = spec.get("otherwise")
    return FieldRule(
        field=name, selection=selection, value=value, aggregate=aggregate, codes=codes,
        otherwise=_code(otherwise, f"{where}.otherwise") if otherwise is not None else None,
        const=const,
    )


def read_mapping(path: str | Path) -> PrefillMapping:
    """Read a pre-filling mapping from a TOML (``.toml``) or YAML (``.yaml``/``.yml``) file.

    Raises
    ------
    RedcapMappingError
        The file is missing, is not valid TOML/YAML, or a rule is malformed; the message
        names the key at fault.
    MissingDependencyError
        A YAML mapping is given and PyYAML is not installed.

    Examples
    --------
    >>> m = read_mapping("data_samples/redcap/lung_pet_map.toml")
    >>> sorted(m.repeating_instruments)
    ['lesions']
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RedcapMappingError(f"mapping {str(path)!r} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RedcapMappingError(f"mapping {str(path)!r} cannot be read ({type(exc).__name__}).") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError:
            raise MissingDependencyError("pyyaml", "redcap", "A YAML pre-filling mapping") from None
        try:
            doc = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise RedcapMappingError(f"mapping {str(path)!r} is not valid YAML ({exc}).") from None
    else:
        import tomllib
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise RedcapMappingError(f"mapping {str(path)!r} is not valid TOML ({exc}).") from None
    return PrefillMapping.from_dict(doc, source=repr(str(path)))
