"""A PACS described by a small TOML file: where to send DIMSE and DICOMweb requests.

Either section may be absent (a PACS reached only by DICOMweb has no ``[dimse]``)::

    [dimse]
    host = "127.0.0.1"
    port = 4242
    called_aet = "ORTHANC"
    calling_aet = "RADLINK"
    storage_port = 11113      # optional: where radlink's storage SCP listens for C-MOVE
    [dicomweb]
    url = "http://127.0.0.1:8042/dicom-web"

``storage_port`` is needed only by ``--method c-move``: the PACS must know
``calling_aet`` as a modality at this host and port (C-GET and WADO-RS need nothing more).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from radlink.errors import PacsConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["DimseEndpoint", "DicomwebEndpoint", "PacsConfig", "read_pacs_config"]


@dataclass(frozen=True)
class DimseEndpoint:
    """A DICOM (DIMSE) peer: host, port and application entity titles."""

    host: str
    port: int
    called_aet: str
    calling_aet: str = "RADLINK"
    storage_port: int | None = None


@dataclass(frozen=True)
class DicomwebEndpoint:
    """A DICOMweb service root (QIDO-RS and WADO-RS live under it)."""

    url: str


@dataclass(frozen=True)
class PacsConfig:
    """How to reach one PACS: DIMSE, DICOMweb or both."""

    dimse: DimseEndpoint | None = None
    dicomweb: DicomwebEndpoint | None = None


_FIELDS = {
    "dimse": {"host": str, "port": int, "called_aet": str, "calling_aet": str, "storage_port": int},
    "dicomweb": {"url": str},
}
_REQUIRED = {"dimse": ("host", "port", "called_aet"), "dicomweb": ("url",)}


def read_pacs_config(path: str | Path) -> PacsConfig:
    """Read a PACS description file.

    Raises
    ------
    PacsConfigError
        When the file is missing, is not TOML, has neither section, an unknown key, a
        missing key or a value of the wrong type (the message names file, section, key).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "pacs.toml"
    >>> _ = f.write_text('[dimse]\\nhost = "127.0.0.1"\\nport = 4242\\ncalled_aet = "ORTHANC"\\n')
    >>> read_pacs_config(f)
    PacsConfig(dimse=DimseEndpoint(host='127.0.0.1', port=4242, called_aet='ORTHANC', calling_aet='RADLINK', storage_port=None), dicomweb=None)
    """
    path = Path(path)
    where = f"PACS file {str(path)!r}"
    if not path.is_file():
        raise PacsConfigError(f"{where} not found")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PacsConfigError(f"{where} is not valid TOML ({type(exc).__name__})") from None
    unknown = sorted(set(doc) - set(_FIELDS))
    if unknown:
        raise PacsConfigError(f"{where}: unknown section(s) {unknown}; expected [dimse] and/or [dicomweb]")
    if not doc:
        raise PacsConfigError(f"{where}: give a [dimse] or a [dicomweb] section")
    sections = {}
    for section, fields in _FIELDS.items():
        if section not in doc:
            continue
        values = doc[section]
        if not isinstance(values, dict):
            raise PacsConfigError(f"{where}: {section} must be a [{section}] table")
        bad = sorted(set(values) - set(fields))
        if bad:
            raise PacsConfigError(f"{where}: unknown key(s) {bad} in [{section}]; known: {sorted(fields)}")
        for key in _REQUIRED[section]:
            if key not in values:
                raise PacsConfigError(f"{where}: [{section}] needs {key!r}")
        for key, value in values.items():
            kind = fields[key]
            if not isinstance(value, kind) or isinstance(value, bool):
                raise PacsConfigError(f"{where}: [{section}] {key} must be a{'n integer' if kind is int else ' string'}")
        sections[section] = values
    dimse = DimseEndpoint(**sections["dimse"]) if "dimse" in sections else None
    web = DicomwebEndpoint(url=sections["dicomweb"]["url"].rstrip("/")) if "dicomweb" in sections else None
    return PacsConfig(dimse=dimse, dicomweb=web)
