"""DICOM header ingestion: a directory of DICOM files -> the canonical exams table.

Modules, one job each:

- :mod:`~radlink.dicom.header` reads one file's header into an
  :class:`InstanceHeader`, or a :class:`HeaderError` saying why it cannot;
- :mod:`~radlink.dicom.studies` groups instance headers into one exams row
  per Study Instance UID;
- :mod:`~radlink.dicom.ingest` walks a directory and reads it in a process
  pool (:func:`ingest_dicom`);
- :mod:`~radlink.dicom.sample` writes tiny header-only DICOM files from an
  exams table (:func:`write_header_only_dicom`);
- :mod:`~radlink.dicom.cli` is the ``radlink ingest-dicom`` command.

Examples
--------
>>> import pathlib, pydicom
>>> from radlink.dicom import ingest_dicom
>>> result = ingest_dicom(pathlib.Path(pydicom.__file__).parent / "data" / "charset_files")
>>> result.n_files == result.n_instances + result.n_errors
True
"""

from radlink.dicom.header import (
    ERROR_REASONS,
    HeaderError,
    InstanceHeader,
    read_instance_header,
)
from radlink.dicom.ingest import IngestResult, ingest_dicom, list_files
from radlink.dicom.sample import write_header_only_dicom
from radlink.dicom.studies import WARNING_REASONS

__all__ = [
    "ingest_dicom",
    "IngestResult",
    "write_header_only_dicom",
    "read_instance_header",
    "InstanceHeader",
    "HeaderError",
    "list_files",
    "ERROR_REASONS",
    "WARNING_REASONS",
]
