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
    "DicomDirectoryError",
    "PseudonymisationKeyError",
    "OppositionListError",
    "OutputError",
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
