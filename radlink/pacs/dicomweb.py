"""DICOMweb with dicomweb-client: QIDO-RS study searches and instance listings, WADO-RS.

Same surface as :class:`radlink.pacs.dimse.DimseClient` (``find_studies``,
``list_instances``, ``retrieve``), so a cohort query and a retrieval run unchanged on
either protocol. Connection errors and 5xx answers are retried with exponential
back-off. dicomweb-client is imported only when a client is made
(``pip install 'radlink[pacs]'``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from radlink.errors import MissingDependencyError, PacsError
from radlink.pacs.config import DicomwebEndpoint
from radlink.pacs.query import ANSWER_KEYS, StudyQuery

__all__ = ["DicomwebClient"]

_TAGS = {  # DICOM JSON tag of each answer keyword (PS3.18 F.2)
    "StudyInstanceUID": "0020000D", "PatientID": "00100020", "AccessionNumber": "00080050",
    "StudyDate": "00080020", "ModalitiesInStudy": "00080061", "StudyDescription": "00081030",
    "NumberOfStudyRelatedInstances": "00201208", "SeriesInstanceUID": "0020000E",
    "SOPInstanceUID": "00080018",
}
_log = logging.getLogger(__name__)


class DicomwebClient:
    """QIDO-RS and WADO-RS against one DICOMweb service.

    Parameters
    ----------
    endpoint : DicomwebEndpoint
    retries : int, default 3
    backoff : float, default 0.5
        Seconds before the first retry; doubled each time.
    timeout : float, default 60
    """

    def __init__(self, endpoint: DicomwebEndpoint, *, retries: int = 3, backoff: float = 0.5,
                 timeout: float = 60):
        try:
            from dicomweb_client.api import DICOMwebClient
        except ImportError:
            raise MissingDependencyError("dicomweb-client", "pacs", "radlink pacs (DICOMweb)") from None
        self.endpoint = endpoint
        self.retries = retries
        self.backoff = backoff
        self._client = DICOMwebClient(endpoint.url, timeout=timeout)
        if hasattr(self._client, "set_http_retry_params"):  # our retries, not the library's too
            self._client.set_http_retry_params(retry=False)
        logging.getLogger("dicomweb_client").setLevel(logging.WARNING)

    def close(self) -> None:
        """Close the HTTP session."""
        self._client._session.close()

    def __enter__(self) -> DicomwebClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _retrying(self, what: str, action: Callable[[], Any]) -> Any:
        import requests

        for attempt in range(self.retries + 1):
            try:
                return action()
            except (requests.ConnectionError, requests.Timeout) as exc:
                why = type(exc).__name__
            except requests.HTTPError as exc:
                code = exc.response.status_code if exc.response is not None else None
                if code is not None and code < 500:
                    raise PacsError(f"{what}: HTTP {code} from {self.endpoint.url}") from None
                why = f"HTTP {code}"
            if attempt == self.retries:
                raise PacsError(f"{what}: {why} from {self.endpoint.url} (after {attempt + 1} attempts)")
            _log.info("%s: %s; retrying", what, why)
            time.sleep(self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    def find_studies(self, query: StudyQuery, limit: int | None = None) -> list[dict]:
        """Study answers to one QIDO-RS search (at most ``limit``)."""
        filters: dict[str, str] = {}
        if query.patient_id:
            filters["PatientID"] = query.patient_id
        if query.accession_number:
            filters["AccessionNumber"] = query.accession_number
        if query.study_uids:
            filters["StudyInstanceUID"] = ",".join(query.study_uids)
        if query.date_range:
            filters["StudyDate"] = query.date_range
        if query.modality:
            filters["ModalitiesInStudy"] = query.modality
        answers = self._retrying("QIDO-RS", lambda: self._client.search_for_studies(
            search_filters=filters, fields=list(ANSWER_KEYS.values()), limit=limit))
        rows = [{col: _value(a, kw) for col, kw in ANSWER_KEYS.items()} for a in answers]
        return rows[:limit] if limit is not None else rows

    def list_instances(self, study_uid: str) -> list[tuple[str, str]]:
        """(Series Instance UID, SOP Instance UID) of every instance of a study."""
        answers = self._retrying("QIDO-RS", lambda: self._client.search_for_instances(
            study_instance_uid=study_uid, fields=["SeriesInstanceUID", "SOPInstanceUID"],
            get_remaining=True))
        return sorted((_value(a, "SeriesInstanceUID"), _value(a, "SOPInstanceUID")) for a in answers)

    def retrieve(self, study_uid: str, store: Callable[[Any], None],
                 instances: Iterable[tuple[str, str]] | None = None) -> None:
        """WADO-RS a study (or only the given (series, SOP) instances) into ``store``."""
        if instances is None:
            def whole() -> None:
                for ds in self._client.iter_study(study_uid):
                    store(ds)
            self._retrying("WADO-RS", whole)
            return
        for series, sop in instances:
            store(self._retrying("WADO-RS", lambda s=series, i=sop: self._client.retrieve_instance(
                study_uid, s, i)))


def _value(answer: dict, keyword: str):
    values = answer.get(_TAGS[keyword], {}).get("Value")
    if not values:
        return None
    if keyword == "ModalitiesInStudy":
        return "\\".join(sorted({str(v) for v in values if v})) or None
    if keyword == "NumberOfStudyRelatedInstances":
        return int(values[0])
    return str(values[0])
