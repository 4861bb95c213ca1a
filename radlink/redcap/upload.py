"""Send a pre-filled import to a REDCap project through its API (PyCap).

Safe by default: :func:`upload` reads the project's data dictionary (``metadata``)
and export field names, re-validates the records against the *live* dictionary and
checks every column, and imports only with ``dry_run=False``. The API token is read
from an environment variable (``REDCAP_API_TOKEN`` by default), never from an
argument or a file, and never appears in a log line or an error message: PyCap's own
checks echo the token, so radlink checks the URL and token first and does not chain
PyCap's exceptions.

The import is sent as CSV (``format=csv``, ``type=flat``, ``overwriteBehavior=normal``:
empty cells never erase data already in REDCap), with ``dateFormat`` DMY or MDY when
the filled date fields use that order.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from radlink.errors import MissingDependencyError, RedcapUploadError, RedcapValidationError
from radlink.redcap.dictionary import dictionary_from_metadata
from radlink.redcap.validate import SPECIAL_COLUMNS, find_problems

if TYPE_CHECKING:
    from radlink.redcap.result import PrefillResult

__all__ = ["TOKEN_ENV", "UploadReport", "upload", "import_date_format"]

log = logging.getLogger(__name__)

TOKEN_ENV = "REDCAP_API_TOKEN"
"""Default environment variable holding the project's API token."""
_TOKEN = re.compile(r"^[0-9A-Fa-f]{32}$")


@dataclass(frozen=True)
class UploadReport:
    """What an upload did.

    Attributes
    ----------
    dry_run : bool
        True: the project was checked, nothing was imported.
    records, rows : int
        Records and import rows sent (or that would be sent).
    imported : int or None
        Records REDCap reports as imported (None in a dry run).
    date_format : str
        ``dateFormat`` sent: YMD, DMY or MDY.
    """

    dry_run: bool
    records: int
    rows: int
    imported: int | None
    date_format: str


def import_date_format(validations: list[str | None]) -> str:
    """The API ``dateFormat`` matching the date fields of an import.

    Examples
    --------
    >>> import_date_format(["date_dmy", "datetime_dmy", "integer", None])
    'DMY'
    >>> import_date_format(["date_ymd"])
    'YMD'
    """
    orders = {v.rsplit("_", 1)[1].upper() for v in validations
              if v and v.startswith(("date_", "datetime_"))}
    orders.discard("YMD")
    if len(orders) > 1:
        raise RedcapUploadError(
            "the import fills both day-month-year and month-day-year date fields; REDCap reads "
            "one date order per import: import them separately or use date_ymd fields."
        )
    return orders.pop() if orders else "YMD"


def _token(token_env: str) -> str:
    token = os.environ.get(token_env, "").strip()
    if not token:
        raise RedcapUploadError(
            f"no REDCap API token: set the environment variable {token_env} "
            "(never pass the token on the command line)."
        )
    if not _TOKEN.match(token):
        raise RedcapUploadError(
            f"the value of {token_env} is not a REDCap API token (32 hexadecimal characters)."
        )
    return token


def _call(what: str, fn: Callable[..., Any], token: str, *args: Any,
          hide: frozenset[str] = frozenset(), **kwargs: Any) -> Any:
    """Run one API call; errors become RedcapUploadError without the token.

    REDCap's error messages quote records; the ids in ``hide`` (record ids that are not
    pseudonyms) are replaced by ``<record>``.
    """
    from redcap import RedcapError

    try:
        return fn(*args, **kwargs)
    except (RedcapError, ValueError, AssertionError) as exc:
        detail = str(exc).replace(token, "***")
        if hide:
            detail = re.sub(r"[\w.-]+", lambda m: "<record>" if m[0] in hide else m[0], detail)
        if len(detail) > 500:
            detail = detail[:500] + "…"
        raise RedcapUploadError(f"REDCap {what} failed: {type(exc).__name__}: {detail}") from None


def upload(
    result: PrefillResult,
    api_url: str,
    *,
    token_env: str = TOKEN_ENV,
    dry_run: bool = True,
    timeout: float = 60.0,
) -> UploadReport:
    """Check (and with ``dry_run=False`` import) pre-filled records into a REDCap project.

    Parameters
    ----------
    result : PrefillResult
        What :func:`~radlink.redcap.prefill.prefill` returned.
    api_url : str
        The project's API URL, ending in ``/api/``.
    token_env : str, default ``"REDCAP_API_TOKEN"``
        Environment variable holding the API token.
    dry_run : bool, default True
        Only read the project's dictionary and field names and check the records.
    timeout : float, default 60
        Seconds to wait for each API call.

    Returns
    -------
    UploadReport

    Raises
    ------
    RedcapUploadError
        No token, bad URL, the API is unreachable, a column is unknown to the project,
        or REDCap refused the import.
    RedcapValidationError
        The records break the project's live data dictionary.
    MissingDependencyError
        PyCap is not installed (``pip install 'radlink[redcap]'``).

    Examples
    --------
    >>> import os
    >>> os.environ["REDCAP_API_TOKEN"] = "0123456789ABCDEF0123456789ABCDEF"  # doctest: +SKIP
    >>> upload(res, "https://redcap.example.org/api/", dry_run=False)  # doctest: +SKIP
    UploadReport(dry_run=False, records=12, rows=40, imported=12, date_format='YMD')
    """
    if not api_url.endswith("/api/"):
        raise RedcapUploadError(f"the REDCap API URL must end with '/api/' (got {api_url!r}).")
    token = _token(token_env)
    try:
        from redcap import Project
    except ImportError:
        raise MissingDependencyError("PyCap", "redcap", "Uploading to REDCap") from None

    project = _call("connection", Project, token, api_url, token, timeout=timeout)
    metadata = _call("metadata export", project.export_metadata, token, format_type="json")
    live = dictionary_from_metadata(metadata)
    records = result.records
    rid = result.dictionary.record_id
    if live.record_id != rid:
        raise RedcapUploadError(
            f"the project's record id field is {live.record_id!r}, the import's is {rid!r}: "
            "is the data dictionary the project's?"
        )
    problems = find_problems(records, live, repeating=result.mapping.repeating_instruments,
                             name_records=result.pseudonymised)
    if problems:
        raise RedcapValidationError(problems)
    names = _call("field names export", project.export_field_names, token, format_type="json")
    known = {row.get("export_field_name") for row in names} | {f"{f}_complete" for f in live.forms}
    unknown = [c for c in records.columns if c not in known and c not in SPECIAL_COLUMNS and c != rid]
    if unknown:
        raise RedcapUploadError(
            f"columns unknown to the project: {', '.join(unknown[:10])}; "
            "export the project's data dictionary again and re-run redcap-prefill."
        )
    owner = live.column_owner()
    date_format = import_date_format([owner[c][0].validation for c in records.columns if c in owner])
    n_records = int(records[rid].nunique())
    if dry_run:
        log.info("REDCap dry run: %d records (%d rows) checked against the project", n_records, len(records))
        return UploadReport(True, n_records, len(records), None, date_format)
    payload = records.to_csv(index=False, lineterminator="\n")
    hide = frozenset() if result.pseudonymised else frozenset(records[rid].astype(str))
    response = _call("record import", project.import_records, token, payload, hide=hide, import_format="csv",
                     return_format_type="json", return_content="count", overwrite="normal",
                     date_format=date_format)
    imported = int(response.get("count", 0)) if isinstance(response, dict) else None
    log.info("REDCap import: %s records imported (%d rows sent)", imported, len(records))
    return UploadReport(False, n_records, len(records), imported, date_format)
