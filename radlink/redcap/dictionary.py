"""Read a REDCap data dictionary: fields, forms, types, choices and validations.

The data dictionary is the 18-column CSV that REDCap exports from *Project Setup >
Data Dictionary* (headers ``Variable / Field Name``, ``Form Name``, ... ``Field
Annotation``). The same 18 attributes come back from the API's metadata export under
snake_case keys (``field_name``, ``select_choices_or_calculations``, ...), so
:func:`dictionary_from_metadata` reads a live project's dictionary the same way.

What radlink keeps from each field: its name, form, type, choices (``"1, Oui | 2,
Non"`` parsed into ``{"1": "Oui", "2": "Non"}``; ``yesno`` and ``truefalse`` get their
implicit ``1``/``0``), text validation (``date_ymd``, ``integer``, ``number`` ...) and
its min/max. The record id field is the dictionary's first field, as in REDCap.
Whether an instrument repeats is a project setting, not part of the dictionary: the
mapping declares it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from radlink.errors import RedcapDictionaryError

__all__ = [
    "DICTIONARY_COLUMNS",
    "METADATA_KEYS",
    "RedcapField",
    "DataDictionary",
    "read_dictionary",
    "dictionary_from_metadata",
    "parse_choices",
    "checkbox_column",
]

# The 18 headers of a data dictionary CSV export, in order, and the API metadata keys
# that hold the same attributes (REDCap API, "Export Metadata (Data Dictionary)").
DICTIONARY_COLUMNS: tuple[str, ...] = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
METADATA_KEYS: tuple[str, ...] = (
    "field_name",
    "form_name",
    "section_header",
    "field_type",
    "field_label",
    "select_choices_or_calculations",
    "field_note",
    "text_validation_type_or_show_slider_number",
    "text_validation_min",
    "text_validation_max",
    "identifier",
    "branching_logic",
    "required_field",
    "custom_alignment",
    "question_number",
    "matrix_group_name",
    "matrix_ranking",
    "field_annotation",
)
_HEADER_TO_KEY = dict(zip(DICTIONARY_COLUMNS, METADATA_KEYS, strict=True))
# Exports of older REDCap versions shorten the branching-logic header.
_HEADER_TO_KEY["Branching Logic"] = "branching_logic"
_HEADER_TO_KEY["Question Number"] = "question_number"

FIELD_TYPES: frozenset[str] = frozenset({
    "text", "notes", "dropdown", "radio", "checkbox", "yesno", "truefalse", "calc",
    "file", "descriptive", "slider", "sql",
})
"""Field types of REDCap's data dictionary."""
CHOICE_TYPES: frozenset[str] = frozenset({"dropdown", "radio", "checkbox", "yesno", "truefalse"})
NOT_IMPORTABLE: frozenset[str] = frozenset({"calc", "descriptive", "file"})
"""Types whose value an import file cannot set (computed, display only, or uploaded)."""
_IMPLICIT_CHOICES = {"yesno": {"1": "Yes", "0": "No"}, "truefalse": {"1": "True", "0": "False"}}


@dataclass(frozen=True)
class RedcapField:
    """One field of a REDCap project.

    Attributes
    ----------
    name, form, type, label : str
        Variable name, form (instrument) name, field type and label.
    choices : dict of str to str
        Raw code -> label, in the dictionary's order (empty for non-choice fields).
    validation : str or None
        Text validation type (``date_ymd``, ``integer``, ``number_1dp`` ...).
    min, max : str or None
        Text validation min and max, as written in the dictionary.
    identifier, required : bool
        The dictionary's ``Identifier?`` and ``Required Field?`` flags.
    """

    name: str
    form: str
    type: str
    label: str = ""
    choices: dict[str, str] = field(default_factory=dict)
    validation: str | None = None
    min: str | None = None
    max: str | None = None
    identifier: bool = False
    required: bool = False

    @property
    def importable(self) -> bool:
        """Whether an import file may set this field."""
        return self.type not in NOT_IMPORTABLE

    def export_columns(self) -> list[str]:
        """Import/export column names: ``field___code`` per choice for checkboxes."""
        if self.type == "checkbox":
            return [checkbox_column(self.name, code) for code in self.choices]
        return [self.name]


@dataclass(frozen=True)
class DataDictionary:
    """The fields of a REDCap project, in dictionary order.

    Attributes
    ----------
    fields : dict of str to RedcapField
        Field name -> field, in dictionary order.
    source : str
        Where the dictionary was read from (a path, or ``"metadata"``).

    Examples
    --------
    >>> dd = DataDictionary.from_rows([
    ...     {"field_name": "record_id", "form_name": "patient", "field_type": "text"},
    ...     {"field_name": "sex", "form_name": "patient", "field_type": "radio",
    ...      "select_choices_or_calculations": "1, Homme | 2, Femme"},
    ... ])
    >>> dd.record_id, dd.forms, dd["sex"].choices
    ('record_id', ('patient',), {'1': 'Homme', '2': 'Femme'})
    """

    fields: dict[str, RedcapField]
    source: str = "dictionary"

    def __post_init__(self) -> None:
        if not self.fields:
            raise RedcapDictionaryError(f"REDCap data dictionary {self.source}: no field found.")

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, object]], source: str = "metadata") -> DataDictionary:
        """Build a dictionary from rows keyed by the API metadata keys."""
        fields: dict[str, RedcapField] = {}
        for i, row in enumerate(rows):
            fld = _field_from_row(row, f"{source}, field #{i + 1}")
            if fld is None:
                continue
            if fld.name in fields:
                raise RedcapDictionaryError(
                    f"REDCap data dictionary {source}: field {fld.name!r} is defined twice; "
                    "field names must be unique."
                )
            fields[fld.name] = fld
        return cls(fields, source)

    def __getitem__(self, name: str) -> RedcapField:
        return self.fields[name]

    def __contains__(self, name: object) -> bool:
        return name in self.fields

    @property
    def record_id(self) -> str:
        """The record id field: the dictionary's first field."""
        return next(iter(self.fields))

    @property
    def forms(self) -> tuple[str, ...]:
        """Form (instrument) names, in dictionary order."""
        return tuple(dict.fromkeys(f.form for f in self.fields.values()))

    def fields_of(self, form: str) -> list[RedcapField]:
        """The fields of one form, in order."""
        return [f for f in self.fields.values() if f.form == form]

    def column_owner(self) -> dict[str, tuple[RedcapField, str | None]]:
        """Import column -> (field, checkbox code or None), for every importable column."""
        owner: dict[str, tuple[RedcapField, str | None]] = {}
        for fld in self.fields.values():
            if fld.type == "checkbox":
                for code in fld.choices:
                    owner[checkbox_column(fld.name, code)] = (fld, code)
            else:
                owner[fld.name] = (fld, None)
        return owner


def checkbox_column(field_name: str, code: str) -> str:
    """Import column of one checkbox choice: ``field___code``.

    REDCap lower-cases the code and replaces characters other than letters, digits and
    underscores (e.g. ``-`` or ``.``) by ``_``.

    Examples
    --------
    >>> checkbox_column("sites", "3")
    'sites___3'
    >>> checkbox_column("sites", "LN")
    'sites___ln'
    """
    return f"{field_name}___{re.sub(r'[^a-z0-9_]', '_', code.lower())}"


def parse_choices(text: str, *, where: str = "") -> dict[str, str]:
    """Parse a choices cell, ``"1, Oui | 2, Non"``, into ``{code: label}``.

    Examples
    --------
    >>> parse_choices("1, Oui | 2, Non | 9, Ne sait pas, non renseigné")
    {'1': 'Oui', '2': 'Non', '9': 'Ne sait pas, non renseigné'}
    """
    choices: dict[str, str] = {}
    for part in str(text).split("|"):
        if not part.strip():
            continue
        code, sep, label = part.partition(",")
        code = code.strip()
        if not sep or not code:
            raise RedcapDictionaryError(
                f"REDCap data dictionary{where}: choice {part.strip()!r} is not 'code, label'; "
                "write choices as '1, Oui | 2, Non'."
            )
        if code in choices:
            raise RedcapDictionaryError(
                f"REDCap data dictionary{where}: choice code {code!r} appears twice."
            )
        choices[code] = label.strip()
    return choices


def _text(row: Mapping[str, object], key: str) -> str:
    value = row.get(key)
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _field_from_row(row: Mapping[str, object], where: str) -> RedcapField | None:
    name = _text(row, "field_name")
    if not name:
        if any(_text(row, k) for k in METADATA_KEYS):
            raise RedcapDictionaryError(f"REDCap data dictionary {where}: the field name is empty.")
        return None  # blank line
    ftype = _text(row, "field_type").lower()
    form = _text(row, "form_name")
    at = f" {where} ({name!r})"
    if ftype not in FIELD_TYPES:
        raise RedcapDictionaryError(
            f"REDCap data dictionary{at}: unknown field type {ftype!r}; "
            f"expected one of {', '.join(sorted(FIELD_TYPES))}."
        )
    if not form:
        raise RedcapDictionaryError(f"REDCap data dictionary{at}: the form name is empty.")
    raw_choices = _text(row, "select_choices_or_calculations")
    if ftype in _IMPLICIT_CHOICES:
        choices = dict(_IMPLICIT_CHOICES[ftype])
    elif ftype in ("dropdown", "radio", "checkbox"):
        choices = parse_choices(raw_choices, where=at)
        if not choices:
            raise RedcapDictionaryError(f"REDCap data dictionary{at}: a {ftype} field needs choices.")
    else:
        choices = {}
    validation = _text(row, "text_validation_type_or_show_slider_number") or None
    if ftype != "text":
        validation = None  # slider: "number" means "show the number", not a validation
    return RedcapField(
        name=name,
        form=form,
        type=ftype,
        label=_text(row, "field_label"),
        choices=choices,
        validation=validation,
        min=_text(row, "text_validation_min") or None,
        max=_text(row, "text_validation_max") or None,
        identifier=_text(row, "identifier").lower() == "y",
        required=_text(row, "required_field").lower() == "y",
    )


def read_dictionary(path: str | Path) -> DataDictionary:
    """Read a REDCap data dictionary CSV export.

    Parameters
    ----------
    path : path
        The CSV file downloaded from *Project Setup > Data Dictionary* (UTF-8, with or
        without BOM). Headers may also be the API metadata keys (``field_name`` ...).

    Returns
    -------
    DataDictionary

    Raises
    ------
    RedcapDictionaryError
        The file is missing, is not a data dictionary, or a field is malformed.

    Examples
    --------
    >>> dd = read_dictionary("data_samples/redcap/lung_pet_dictionary.csv")
    >>> dd.record_id, dd.forms
    ('record_id', ('patient', 'staging_pet', 'lesions'))
    >>> dd["pet_date"].validation
    'date_ymd'
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            headers = [h.strip() for h in (reader.fieldnames or [])]
            rows = list(reader)
    except FileNotFoundError:
        raise RedcapDictionaryError(f"REDCap data dictionary {str(path)!r} does not exist.") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RedcapDictionaryError(
            f"REDCap data dictionary {str(path)!r} cannot be read as a UTF-8 CSV ({type(exc).__name__})."
        ) from None
    key_of = {h: _HEADER_TO_KEY.get(h, h if h in METADATA_KEYS else None) for h in headers}
    missing = {"field_name", "form_name", "field_type"} - set(key_of.values())
    if missing:
        raise RedcapDictionaryError(
            f"REDCap data dictionary {str(path)!r}: no column for {', '.join(sorted(missing))}; "
            "give the 18-column CSV that REDCap exports (Project Setup > Data Dictionary)."
        )
    keyed = (
        {key_of[h.strip()]: v for h, v in row.items() if h is not None and key_of.get(h.strip())}
        for row in rows
    )
    return DataDictionary.from_rows(keyed, source=repr(str(path)))


def dictionary_from_metadata(metadata: Iterable[Mapping[str, object]]) -> DataDictionary:
    """Build a dictionary from the API's metadata export (a list of dicts).

    Examples
    --------
    >>> dd = dictionary_from_metadata([{"field_name": "id", "form_name": "f", "field_type": "text"}])
    >>> dd.record_id
    'id'
    """
    return DataDictionary.from_rows(metadata, source="metadata")
