"""Errors raised by radlink.

Every radlink error derives from :class:`RadlinkError`, so a batch job can catch them
all in one place. Messages say what was wrong, where (table, column, row id) and how
to fix it. They never contain a patient's name, IPP, birth date or report text: when
a row must be pointed at and its id is itself an identifier (the patients table), the
row is named by its position instead.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "RadlinkError",
    "TableValidationError",
    "ValidationProblem",
    "DatasetNotFoundError",
    "ColumnMappingError",
    "MissingDependencyError",
    "LinkageInputError",
    "LinkageTruthError",
    "DicomDirectoryError",
    "PseudonymisationKeyError",
    "OppositionListError",
    "OutputError",
    "SynthError",
    "RadlinkWarning",
    "DataWarning",
    "OppositionWarning",
    "InputFileError",
    "CohortCriteriaError",
    "OutOfRangeDateWarning",
]


class RadlinkError(Exception):
    """Base class of every error raised by radlink."""


@dataclass(frozen=True)
class ValidationProblem:
    """One problem found in an input table.

    Parameters
    ----------
    table : str
        Canonical table name (``"exams"``, ``"reports"``, ...).
    column : str
        Canonical column name.
    row_id : str
        The row's id, or ``"row N"`` (0-based position) when the id is missing or is
        itself a direct identifier.
    problem : str
        What is wrong, without the offending value when that value identifies a patient.
    """

    table: str
    column: str
    row_id: str
    problem: str

    def __str__(self) -> str:
        return f"table {self.table!r}, column {self.column!r}, {self.row_id}: {self.problem}"


class TableValidationError(RadlinkError, ValueError):
    """An input table does not satisfy its schema.

    The exception carries every problem found (``.problems``), and its message lists the
    first ones, so that a user can fix the export in one pass.

    Examples
    --------
    >>> from radlink.errors import TableValidationError, ValidationProblem
    >>> err = TableValidationError([ValidationProblem("exams", "study_datetime", "exam_id='E1'", "not a date")])
    >>> print(err)
    1 problem in the input tables:
      - table 'exams', column 'study_datetime', exam_id='E1': not a date
    Fix the export (or map its columns with a column mapping) and run again.
    """

    max_listed = 20

    def __init__(self, problems: list[ValidationProblem]):
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n > 1 else ''} in the input tables:"]
        lines += [f"  - {p}" for p in self.problems[: self.max_listed]]
        if n > self.max_listed:
            lines.append(f"  ... and {n - self.max_listed} more (see the .problems attribute)")
        lines.append("Fix the export (or map its columns with a column mapping) and run again.")
        return "\n".join(lines)


class RadlinkWarning(UserWarning):
    """Base class of radlink's warnings: something a user should check, said without values."""


class OppositionWarning(RadlinkWarning):
    """An opposition list that excludes nobody: its ids may not be the dataset's IPPs."""


class DataWarning(RadlinkWarning):
    """Input data was read with a loss: says which table, column and rows, never the values.

    Attributes
    ----------
    table, column : str
    row_ids : list of str
        The rows, by id (or by position where the id is itself identifying).
    count : int
    """

    max_listed = 10
    what = "values read with a loss"

    def __init__(self, table: str, column: str, row_ids: list[str]):
        self.table, self.column, self.row_ids = table, column, list(row_ids)
        self.count = len(self.row_ids)
        shown = ", ".join(self.row_ids[: self.max_listed])
        if self.count > self.max_listed:
            shown += f" and {self.count - self.max_listed} more"
        super().__init__(f"table {table!r}, column {column!r}: {self.count} {self.what} ({shown})")


class OutOfRangeDateWarning(DataWarning):
    """Dates outside 1677-09-22..2262-04-10 (1111-11-11, 9999-12-31...) were read as null.

    Examples
    --------
    >>> w = OutOfRangeDateWarning("patients", "birth_date", ["row 3"])
    >>> print(w)
    table 'patients', column 'birth_date': 1 date(s) outside 1677-09-22..2262-04-10 read as null (row 3)
    >>> w.count
    1
    """

    what = "date(s) outside 1677-09-22..2262-04-10 read as null"


class CohortCriteriaError(RadlinkError, ValueError):
    """A cohort criterion names a code radlink does not know (the message lists the known ones)."""


class InputFileError(RadlinkError, ValueError):
    """An input file cannot be read: corrupt parquet, undecodable or malformed CSV."""


class DatasetNotFoundError(RadlinkError, FileNotFoundError):
    """A dataset directory holds none of the expected table files."""


class ColumnMappingError(RadlinkError, ValueError):
    """A column mapping is malformed or maps onto an unknown table or column."""


class PseudonymisationKeyError(RadlinkError, ValueError):
    """No usable pseudonymisation key: give ``--key-file`` or set ``RADLINK_PSEUDONYM_KEY``."""


class OppositionListError(RadlinkError, ValueError):
    """The list of patients who opposed research use cannot be read."""


class OutputError(RadlinkError, OSError):
    """An output directory or file cannot be written."""


class MissingDependencyError(RadlinkError, ImportError):
    """An optional dependency is needed for this feature; the message says what to install."""

    def __init__(self, package: str, extra: str, feature: str):
        super().__init__(
            f"{feature} needs the optional package {package!r}: "
            f"install it with `pip install 'radlink[{extra}]'`."
        )


class DicomDirectoryError(RadlinkError, FileNotFoundError):
    """The directory given to DICOM ingestion does not exist or cannot be listed."""

    def __init__(self, directory: object, cause: OSError | None = None):
        why = f" ({type(cause).__name__}, errno {cause.errno})" if cause is not None else ""
        super().__init__(
            f"DICOM ingestion: {str(directory)!r} is not a readable directory{why}; "
            "give the directory that holds the exported DICOM files."
        )


class SynthError(RadlinkError, ValueError):
    """The synthetic-warehouse generator got an invalid argument (patient count, seed, format)."""


class RedcapDictionaryError(RadlinkError, ValueError):
    """A REDCap data dictionary cannot be read or holds a malformed field."""


class RedcapMappingError(RadlinkError, ValueError):
    """A REDCap pre-filling mapping is malformed; the message names the mapping key."""


@dataclass(frozen=True)
class RedcapProblem:
    """One problem of a REDCap import, found before anything is written.

    Parameters
    ----------
    record : str
        The record id (when it is a pseudonym), else ``"row N"`` of the import file,
        or ``"every record"`` for a problem of the mapping itself.
    field : str
        REDCap field (or import column) at fault.
    problem : str
        What is wrong; never a free-text or date value.
    instance : str, optional
        ``"lesions #2"`` for a repeating instrument's instance, else ``""``.
    """

    record: str
    field: str
    problem: str
    instance: str = ""

    def __str__(self) -> str:
        where = f", {self.instance}" if self.instance else ""
        return f"field {self.field!r}, record {self.record}{where}: {self.problem}"


class RedcapValidationError(RadlinkError, ValueError):
    """A REDCap import does not satisfy the project's data dictionary; nothing was written.

    ``.problems`` holds every problem; the message groups them by field and problem and
    lists the first records of each group.

    Examples
    --------
    >>> from radlink.errors import RedcapProblem, RedcapValidationError
    >>> err = RedcapValidationError([RedcapProblem("P1", "pet_date", "not a date in YYYY-MM-DD form"),
    ...                              RedcapProblem("P2", "pet_date", "not a date in YYYY-MM-DD form")])
    >>> print(err)
    2 problems in the REDCap import (nothing written):
      - field 'pet_date', records P1, P2: not a date in YYYY-MM-DD form
    Fix the mapping (or the data dictionary) and run again.
    """

    max_listed = 20
    max_records = 5

    def __init__(self, problems: list[RedcapProblem]):
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        groups: dict[tuple[str, str], list[RedcapProblem]] = {}
        for p in self.problems:
            groups.setdefault((p.field, p.problem), []).append(p)
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n > 1 else ''} in the REDCap import (nothing written):"]
        for (fld, problem), items in list(groups.items())[: self.max_listed]:
            names = [p.record + (f" ({p.instance})" if p.instance else "") for p in items]
            shown = ", ".join(dict.fromkeys(names[: self.max_records]))
            more = f" and {len(names) - self.max_records} more" if len(names) > self.max_records else ""
            noun = "records" if len(names) > 1 else "record"
            lines.append(f"  - field {fld!r}, {noun} {shown}{more}: {problem}")
        if len(groups) > self.max_listed:
            lines.append(f"  ... and {len(groups) - self.max_listed} more kinds (see .problems)")
        lines.append("Fix the mapping (or the data dictionary) and run again.")
        return "\n".join(lines)


class RedcapUploadError(RadlinkError, RuntimeError):
    """The REDCap API cannot be reached or refused the import. Never carries the token."""


class LinkageInputError(RadlinkError, ValueError):
    """An input of :func:`radlink.linkage.link` is not usable (wrong type or shape).

    The message names the argument; fix the call (pass canonical pandas tables, see
    ``radlink.tables``) and run again.
    """


class LinkageTruthError(RadlinkError, FileNotFoundError):
    """The truth needed to evaluate a linkage is missing or malformed.

    ``radlink evaluate-linkage`` needs ``DATASET_DIR/truth/links.parquet`` (and
    ``truth/exam_faults.parquet`` for the badly attached exams), as written by
    ``radlink synth``.
    """


class PacsConfigError(RadlinkError, ValueError):
    """A PACS description file (TOML, ``[dimse]`` and ``[dicomweb]``) is missing or malformed."""


class PacsError(RadlinkError, RuntimeError):
    """A PACS could not be reached, refused a request or answered with a failure status."""
