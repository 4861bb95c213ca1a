"""Load a dataset directory: the four canonical tables, with a site's column names mapped.

A dataset directory holds ``patients``, ``stays``, ``exams`` and ``reports`` tables, each
as ``NAME.parquet`` or ``NAME.csv`` (parquet wins when both exist). Absent tables load
as empty canonical tables; a directory with none of them is an error.

A column mapping renames a site's export to the canonical names without touching the
files. It is a dict (or a TOML file holding one), either per table::

    [reports]
    note_id = "report_id"
    note_text = "text"

or flat (``{"person_id": "patient_id"}``), applied to every table that has the column.
The name ``"omop"`` reads an OMOP CDM 5.4 export as it comes (``person``,
``visit_occurrence``, ``note`` and the imaging extension's ``image_occurrence``, with the
IPP from ``person_source_value``: :mod:`radlink.dataset.omop`); on files named as
radlink's tables it renames OMOP-like columns (``radlink/mappings/omop.toml``).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from radlink.errors import (
    ColumnMappingError,
    DatasetNotFoundError,
    DataWarning,
    TableValidationError,
)
from radlink.readers import read_table
from radlink.tables import TABLES, empty_table, validate_table

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "Dataset",
    "load_dataset",
    "read_table",
    "load_column_mapping",
    "rename_columns",
    "MAPPING_HELP",
    "mapping_option",
]

_MAPPINGS_DIR = Path(__file__).resolve().parents[1] / "mappings"

ColumnMapping = Mapping[str, "str | Mapping[str, str]"]


@dataclass
class Dataset:
    """The four canonical tables of one warehouse extraction, validated.

    Attributes
    ----------
    patients, stays, exams, reports : pandas.DataFrame
        Validated canonical tables (see :mod:`radlink.tables`).
    sources : dict
        Table name -> the file it was read from (absent tables are not listed).
    warnings : list of DataWarning
        What was read with a loss (dates out of range read as null, ...), each naming
        its table, column and rows; also emitted as Python warnings when loading.
    """

    patients: pd.DataFrame
    stays: pd.DataFrame
    exams: pd.DataFrame
    reports: pd.DataFrame
    sources: dict[str, Path]
    warnings: list[DataWarning] = field(default_factory=list)

    def __repr__(self) -> str:
        """Row counts only: a dataset's repr never shows a name, an id or a report text.

        Examples
        --------
        >>> from radlink.tables import empty_table
        >>> Dataset(*(empty_table(t) for t in ("patients", "stays", "exams", "reports")), sources={})
        Dataset(patients=0 rows, stays=0 rows, exams=0 rows, reports=0 rows, warnings=0)
        """
        counts = ", ".join(f"{name}={n:,} rows" for name, n in self.summary().items())
        return f"Dataset({counts}, warnings={len(self.warnings)})"

    def warning_counts(self) -> list[dict[str, object]]:
        """One ``{table, column, warning, count}`` per warning (counts only, for manifests)."""
        return [{"table": w.table, "column": w.column, "warning": type(w).__name__, "count": w.count}
                for w in self.warnings]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four tables by name, in canonical order."""
        return {name: getattr(self, name) for name in TABLES}

    def summary(self) -> dict[str, int]:
        """Row count per table.

        Examples
        --------
        >>> from radlink.tables import empty_table
        >>> Dataset(*(empty_table(t) for t in ("patients", "stays", "exams", "reports")), sources={}).summary()
        {'patients': 0, 'stays': 0, 'exams': 0, 'reports': 0}
        """
        return {name: len(df) for name, df in self.tables().items()}


MAPPING_HELP = ("Column mapping from the site's column names to radlink's: a TOML file, or 'omop' "
                "for OMOP-like names (person_id, note_text, ...).")
"""Help of the ``--mapping`` option, the same on every command that reads a dataset or a table."""


def mapping_option(function=None):
    """The ``--mapping`` option of every command that reads a dataset or a reports table.

    The value (``"omop"`` or a TOML file) is checked when the command line is parsed, so
    a misspelt mapping is a usage error before anything is read; the command receives
    it unchanged as ``mapping`` and passes it to :func:`load_dataset` or
    :func:`rename_columns`.

    Examples
    --------
    >>> import click
    >>> @click.command()
    ... @mapping_option
    ... def cmd(mapping):
    ...     click.echo(mapping)
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(cmd, ["--mapping", "omop"]).output.strip()
    'omop'
    >>> CliRunner().invoke(cmd, ["--mapping", "opmo"]).exit_code  # a usage error
    2
    """
    import click

    def check(ctx, param, value):
        if value is not None:
            try:
                load_column_mapping(value)
            except ColumnMappingError as exc:
                raise click.BadParameter(str(exc), ctx, param) from None
        return value

    decorator = click.option("--mapping", default=None, callback=check, help=MAPPING_HELP)
    return decorator if function is None else decorator(function)


def load_column_mapping(mapping: ColumnMapping | str | Path | None) -> dict[str, dict[str, str]]:
    """Normalise a column mapping to ``{table: {source_column: canonical_column}}``.

    Parameters
    ----------
    mapping : dict, path to a TOML file, ``"omop"`` or None
        Per-table or flat mapping (see the module docstring).

    Returns
    -------
    dict
        One entry per canonical table (empty dicts where nothing is mapped).

    Raises
    ------
    ColumnMappingError
        For an unknown table or a target that is not a canonical column of its table.

    Examples
    --------
    >>> load_column_mapping({"person_id": "patient_id"})["reports"]
    {'person_id': 'patient_id'}
    >>> load_column_mapping("omop")["reports"]["note_text"]
    'text'
    """
    result: dict[str, dict[str, str]] = {t: {} for t in TABLES}
    if mapping is None:
        return result
    if isinstance(mapping, (str, Path)):
        path = Path(mapping)
        if not path.suffix and (_MAPPINGS_DIR / f"{mapping}.toml").exists():
            path = _MAPPINGS_DIR / f"{mapping}.toml"
        if not path.exists():
            raise ColumnMappingError(
                f"column mapping file {str(path)!r} not found; give a TOML file or one of: "
                + ", ".join(p.stem for p in sorted(_MAPPINGS_DIR.glob("*.toml")))
            )
        try:
            mapping = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ColumnMappingError(f"column mapping {str(path)!r} is not valid TOML: {exc}") from None
    if not isinstance(mapping, Mapping):
        raise ColumnMappingError("a column mapping must be a dict or a TOML file")
    flat = {k: v for k, v in mapping.items() if isinstance(v, str)}
    nested = {k: v for k, v in mapping.items() if isinstance(v, Mapping)}
    for key in mapping:
        if key not in flat and key not in nested:
            raise ColumnMappingError(f"column mapping entry {key!r} must be a column name or a table")
    for table, cols in nested.items():
        if table not in TABLES:
            raise ColumnMappingError(
                f"column mapping names unknown table {table!r}; tables are {', '.join(TABLES)}"
            )
        for src, dst in cols.items():
            if dst not in TABLES[table].columns:
                raise ColumnMappingError(
                    f"column mapping [{table}] {src} -> {dst!r}: {dst!r} is not a column of {table} "
                    f"({', '.join(TABLES[table].columns)})"
                )
            result[table][str(src)] = dst
    all_columns = {c for spec in TABLES.values() for c in spec.columns}
    for src, dst in flat.items():
        if dst not in all_columns:
            raise ColumnMappingError(f"column mapping {src} -> {dst!r}: {dst!r} is not a canonical column")
        for table, spec in TABLES.items():
            if dst in spec.columns:
                result[table].setdefault(src, dst)
    return result


def rename_columns(df: pd.DataFrame, table: str, mapping: ColumnMapping | str | Path | None) -> pd.DataFrame:
    """Rename a site's columns to canonical ones for ``table``.

    A source column absent from ``df`` is ignored (a flat mapping lists columns of
    several tables). When the canonical column already exists, the mapped one wins only
    if the canonical one is absent; otherwise the mapping is an error.

    Examples
    --------
    >>> import pandas as pd
    >>> rename_columns(pd.DataFrame({"note_id": [1], "note_text": ["x"]}), "reports", "omop").columns.tolist()
    ['report_id', 'text']
    """
    table_map = load_column_mapping(mapping)[table]
    present = {src: dst for src, dst in table_map.items() if src in df.columns and src != dst}
    clashes = [dst for dst in present.values() if dst in df.columns]
    if clashes:
        raise ColumnMappingError(
            f"table {table!r}: the mapping renames a column to {clashes[0]!r}, which the table already has"
        )
    targets = list(present.values())
    if len(set(targets)) != len(targets):
        raise ColumnMappingError(f"table {table!r}: two columns are mapped to the same canonical column")
    return df.rename(columns=present)


def load_dataset(
    directory: str | Path,
    *,
    mapping: ColumnMapping | str | Path | None = None,
    file_names: Mapping[str, str] | None = None,
) -> Dataset:
    """Load and validate the four canonical tables of a dataset directory.

    Parameters
    ----------
    directory : path
        Directory holding ``{patients,stays,exams,reports}.{parquet,csv}``.
    mapping : dict, path, "omop" or None
        Column mapping from the site's names to canonical names.
    file_names : dict, optional
        Table -> file stem, for exports whose files have other names
        (``{"reports": "note"}`` reads ``note.parquet`` or ``note.csv``).

    Returns
    -------
    Dataset

    Raises
    ------
    DatasetNotFoundError
        When the directory does not exist or holds none of the tables.
    TableValidationError
        With the problems of every table together.

    Examples
    --------
    >>> ds = load_dataset("data_samples")  # doctest: +SKIP
    >>> ds.summary()  # doctest: +SKIP
    {'patients': 50, 'stays': 212, 'exams': 260, 'reports': 248}
    """
    from radlink.dataset import omop

    directory = Path(directory)
    if not directory.is_dir():
        raise DatasetNotFoundError(f"dataset directory {str(directory)!r} does not exist")
    names = {t: t for t in TABLES}
    names.update(file_names or {})
    paths = {table: next((p for ext in (".parquet", ".csv") if (p := directory / f"{stem}{ext}").exists()), None)
             for table, stem in names.items()}
    read_cdm = (isinstance(mapping, str) and mapping == "omop" and not file_names
                and not any(paths.values()) and omop.is_cdm_export(directory))
    if not any(paths.values()) and not read_cdm and mapping is None and omop.is_cdm_export(directory):
        raise DatasetNotFoundError(
            f"dataset directory {str(directory)!r} holds OMOP CDM tables (person, visit_occurrence, "
            "image_occurrence, note): read it with --mapping omop (load_dataset(dir, mapping='omop'))"
        )
    cdm_tables, cdm_sources = omop.read_cdm(directory) if read_cdm else ({}, {})
    omop_raw: dict[str, pd.DataFrame] = {}
    if isinstance(mapping, str) and mapping == "omop" and not read_cdm:
        # files named as radlink's, OMOP columns: the IPP is person_source_value everywhere
        omop_raw = omop.person_ids_as_ipps({t: read_table(p) for t, p in paths.items() if p is not None})
    tables: dict[str, pd.DataFrame] = {}
    sources: dict[str, Path] = dict(cdm_sources)
    problems = []
    notes: list[DataWarning] = []
    for table in names:
        path = paths[table]
        if read_cdm:
            if table not in cdm_tables:
                tables[table] = empty_table(table)
                continue
            raw = cdm_tables[table]
        elif path is None:
            tables[table] = empty_table(table)
            continue
        else:
            sources[table] = path
            raw = rename_columns(omop_raw.get(table, read_table(path)), table, mapping)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", DataWarning)
                tables[table] = validate_table(raw, table)
        except TableValidationError as exc:
            problems.extend(exc.problems)
        for w in caught:
            if isinstance(w.message, DataWarning):
                notes.append(w.message)
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if not sources:
        raise DatasetNotFoundError(
            f"dataset directory {str(directory)!r} holds none of "
            + ", ".join(f"{s}.parquet/.csv" for s in names.values())
        )
    if problems:
        raise TableValidationError(problems)
    for note in notes:
        warnings.warn(note, stacklevel=2)
    return Dataset(**tables, sources=sources, warnings=notes)
