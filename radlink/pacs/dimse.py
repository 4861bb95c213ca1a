"""DIMSE with pynetdicom: study C-FIND, instance listing, C-GET and C-MOVE, with retries.

One association is kept open for queries and one for retrievals, and opened again when
it drops. A failure to associate (refused, aborted, timed out) is retried with
exponential back-off (``backoff * 2**attempt`` seconds) before a :class:`PacsError`
says which peer failed and why, never what was asked.

C-GET negotiates pynetdicom's storage SOP classes in the SCP role, so the PACS sends the
instances back on the same association; C-MOVE runs a storage SCP on the configured
``storage_port`` and asks the PACS to send to ``calling_aet`` (which the PACS must know).
Our associations acknowledge the PACS's TCP segments at once (:func:`_quick_acks`):
without it every retrieved instance waits for a delayed-ACK timer (8.9x slower on
loopback, ``benchmarks/bench_pacs_retrieve.py``).
pynetdicom is imported only when a client is made (``pip install 'radlink[pacs]'``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from radlink.errors import MissingDependencyError, PacsConfigError, PacsError
from radlink.pacs.config import DimseEndpoint
from radlink.pacs.query import ANSWER_KEYS, StudyQuery

__all__ = ["DimseClient", "Store"]

Store = Callable[[Any], None]
"""Receives each retrieved instance (a pydicom Dataset with its ``file_meta``)."""

_PENDING = (0xFF00, 0xFF01)
_log = logging.getLogger(__name__)


def _pynetdicom():
    try:
        import pynetdicom
    except ImportError:
        raise MissingDependencyError("pynetdicom", "pacs", "radlink pacs (DIMSE)") from None
    logging.getLogger("pynetdicom").setLevel(logging.WARNING)
    if _DROPPED not in logging.getLogger("pynetdicom.association").handlers:
        logging.getLogger("pynetdicom.association").addHandler(_DROPPED)
    return pynetdicom


class _DroppedAnswers(logging.Handler):
    """Counts the answers pynetdicom's reactor dropped ("Received unexpected C-FIND ...")."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "unexpected C-FIND" in record.getMessage():
            self.count += 1


_DROPPED = _DroppedAnswers()


class _Transient(Exception):
    """An association could not be made or was lost: worth trying again."""


class DimseClient:
    """Study queries and retrievals against one DIMSE peer.

    Parameters
    ----------
    endpoint : DimseEndpoint
    retries : int, default 3
        Further attempts after a failed association.
    backoff : float, default 0.5
        Seconds before the first retry; doubled each time.
    timeout : float, default 30
        Seconds to wait for an association, a DIMSE answer or network data.
    """

    def __init__(self, endpoint: DimseEndpoint, *, retries: int = 3, backoff: float = 0.5,
                 timeout: float = 30):
        self.endpoint = endpoint
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self._pn = _pynetdicom()
        self._find_assoc = None
        self._get_assoc = None
        self._server = None
        self._store: Store | None = None
        self._store_lock = threading.Lock()

    # ---- associations
    def _ae(self):
        ae = self._pn.AE(ae_title=self.endpoint.calling_aet)
        ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = self.timeout
        return ae

    def _associate(self, ae, *, quick_acks: bool = False, **kwargs):
        e = self.endpoint
        assoc = ae.associate(e.host, e.port, ae_title=e.called_aet, **kwargs)
        if not assoc.is_established:
            why = ("rejected" if assoc.is_rejected else "aborted" if assoc.is_aborted
                   else "no answer")
            raise _Transient(f"association with {e.called_aet}@{e.host}:{e.port} failed ({why})")
        if quick_acks:
            _quick_acks(assoc)
        return assoc

    def _retrying(self, what: str, action: Callable[[], Any]) -> Any:
        for attempt in range(self.retries + 1):
            try:
                return action()
            except (_Transient, OSError, RuntimeError) as exc:
                self._drop()
                if attempt == self.retries:
                    raise PacsError(f"{what}: {exc} (after {attempt + 1} attempts)") from None
                _log.info("%s: %s; retrying", what, exc)
                time.sleep(self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    def _drop(self) -> None:
        for name in ("_find_assoc", "_get_assoc"):
            assoc = getattr(self, name)
            if assoc is not None:
                try:
                    assoc.abort() if not assoc.is_established else assoc.release()
                except Exception:  # noqa: BLE001 - closing a broken association
                    pass
                setattr(self, name, None)

    def _find(self):
        if self._find_assoc is None or not self._find_assoc.is_established:
            sc = self._pn.sop_class
            ae = self._ae()
            ae.add_requested_context(sc.StudyRootQueryRetrieveInformationModelFind)
            self._find_assoc = self._associate(ae)
        return self._find_assoc

    def _get(self):
        if self._get_assoc is None or not self._get_assoc.is_established:
            pn = self._pn
            ae = self._ae()
            ae.add_requested_context(pn.sop_class.StudyRootQueryRetrieveInformationModelGet)
            ae.add_requested_context(pn.sop_class.StudyRootQueryRetrieveInformationModelMove)
            roles = []
            for cx in pn.StoragePresentationContexts[:126]:
                ae.add_requested_context(cx.abstract_syntax)
                roles.append(pn.build_role(cx.abstract_syntax, scp_role=True))
            handlers = [(pn.evt.EVT_C_STORE, self._on_store)]
            self._get_assoc = self._associate(ae, quick_acks=True, ext_neg=roles,
                                              evt_handlers=handlers)
        return self._get_assoc

    def close(self) -> None:
        """Release the associations and stop the storage SCP."""
        self._drop()
        if self._server is not None:
            self._server.shutdown()
            self._server = None

    def __enter__(self) -> DimseClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- queries
    def _c_find(self, identifier) -> list:
        sc = self._pn.sop_class
        answers = []
        final = None
        dropped = _DROPPED.count
        for status, found in self._find().send_c_find(identifier, sc.StudyRootQueryRetrieveInformationModelFind):
            if not status:
                raise _Transient("no answer to C-FIND (connection lost or timed out)")
            if status.Status in _PENDING:
                answers.append(found)
            else:
                final = status.Status
        if final not in (0x0000, None):
            raise PacsError(f"C-FIND failed with status 0x{final:04X}")
        if _DROPPED.count != dropped:  # an answer was lost on the way: ask again, never return less
            raise _Transient("pynetdicom dropped an answer to C-FIND")
        return answers

    def find_studies(self, query: StudyQuery, limit: int | None = None) -> list[dict]:
        """Study answers to one query (at most ``limit``, simulating a PACS's cap)."""
        from pydicom.dataset import Dataset

        ds = Dataset()
        ds.QueryRetrieveLevel = "STUDY"
        for keyword in ANSWER_KEYS.values():
            setattr(ds, keyword, "")
        if query.patient_id:
            ds.PatientID = query.patient_id
        if query.accession_number:
            ds.AccessionNumber = query.accession_number
        if query.study_uids:
            ds.StudyInstanceUID = list(query.study_uids)
        if query.date_range:
            ds.StudyDate = query.date_range
        if query.modality:
            ds.ModalitiesInStudy = query.modality
        answers = self._retrying("C-FIND", lambda: self._c_find(ds))
        rows = [{col: _value(a, kw) for col, kw in ANSWER_KEYS.items()} for a in answers]
        return rows[:limit] if limit is not None else rows

    def list_instances(self, study_uid: str) -> list[tuple[str, str]]:
        """(Series Instance UID, SOP Instance UID) of every instance of a study."""
        from pydicom.dataset import Dataset

        ds = Dataset()
        ds.QueryRetrieveLevel = "IMAGE"
        ds.StudyInstanceUID = study_uid
        ds.SeriesInstanceUID = ""
        ds.SOPInstanceUID = ""
        answers = self._retrying("C-FIND", lambda: self._c_find(ds))
        return sorted((str(a.SeriesInstanceUID), str(a.SOPInstanceUID)) for a in answers)

    # ---- retrievals
    def _on_store(self, event) -> int:
        ds = event.dataset
        ds.file_meta = event.file_meta
        with self._store_lock:
            store = self._store
        if store is None:
            return 0xA700  # nothing asked for this instance
        try:
            store(ds)
        except Exception:  # noqa: BLE001 - the PACS is told; the study ends partial
            _log.exception("could not store an instance")
            return 0xA700
        return 0x0000

    def _identifiers(self, study_uid: str, instances: Iterable[tuple[str, str]] | None):
        from pydicom.dataset import Dataset

        if instances is None:
            ds = Dataset()
            ds.QueryRetrieveLevel = "STUDY"
            ds.StudyInstanceUID = study_uid
            yield ds
            return
        by_series: dict[str, list[str]] = {}
        for series, sop in instances:
            by_series.setdefault(series, []).append(sop)
        for series, sops in sorted(by_series.items()):
            ds = Dataset()
            ds.QueryRetrieveLevel = "IMAGE"
            ds.StudyInstanceUID = study_uid
            ds.SeriesInstanceUID = series
            ds.SOPInstanceUID = sops
            yield ds

    def _run(self, send, store: Store) -> None:
        with self._store_lock:
            self._store = store
        try:
            final = None
            for status, _ in send():
                if not status:
                    raise _Transient("no answer to the retrieval (connection lost or timed out)")
                final = status.Status
            if final is not None and final not in (0x0000, 0xB000):
                raise PacsError(f"retrieval failed with status 0x{final:04X}")
        finally:
            with self._store_lock:
                self._store = None

    def get(self, study_uid: str, store: Store,
            instances: Iterable[tuple[str, str]] | None = None) -> None:
        """C-GET a study (or only the given (series, SOP) instances) into ``store``."""
        sc = self._pn.sop_class
        for ds in self._identifiers(study_uid, instances):
            self._retrying("C-GET", lambda ds=ds: self._run(
                lambda: self._get().send_c_get(ds, sc.StudyRootQueryRetrieveInformationModelGet),
                store))

    def move(self, study_uid: str, store: Store,
             instances: Iterable[tuple[str, str]] | None = None) -> None:
        """C-MOVE a study to our storage SCP (``storage_port``), which passes it to ``store``."""
        e = self.endpoint
        if e.storage_port is None:
            raise PacsConfigError("C-MOVE needs [dimse] storage_port: the port radlink's storage "
                                  "SCP listens on, known to the PACS for calling_aet")
        if self._server is None:
            pn = self._pn
            ae = self._ae()
            ae.supported_contexts = pn.AllStoragePresentationContexts
            self._server = ae.start_server(("127.0.0.1" if e.host in ("127.0.0.1", "localhost")
                                            else "0.0.0.0", e.storage_port), block=False,
                                           evt_handlers=[(pn.evt.EVT_C_STORE, self._on_store),
                                                         (pn.evt.EVT_CONN_OPEN,
                                                          lambda event: _quick_acks(event.assoc))])
        sc = self._pn.sop_class
        for ds in self._identifiers(study_uid, instances):
            self._retrying("C-MOVE", lambda ds=ds: self._run(
                lambda: self._get().send_c_move(ds, e.calling_aet,
                                                sc.StudyRootQueryRetrieveInformationModelMove),
                store))


def _quick_acks(assoc) -> None:
    """Acknowledge the peer's TCP segments at once on this association (Linux ``TCP_QUICKACK``).

    A PACS sends each C-STORE request of a retrieval as two writes (command, then
    dataset); with Nagle's algorithm on its side and delayed acknowledgements on ours
    (up to 40 ms on Linux), every instance waited for a timer: about 18 instances/s on
    loopback whatever the size. Asking the kernel to acknowledge before each read (the
    flag does not stick) and sending our small responses without delay removes the wait
    (``benchmarks/bench_pacs_retrieve.py``). Elsewhere than Linux nothing changes.

    Only retrieval associations use it. On a query association, answers that come back
    that fast can reach pynetdicom's reactor thread before ``send_c_find`` waits for
    them, and pynetdicom then drops them ("Received unexpected C-FIND service message"):
    a study would be missing from the answer without any error. In a C-GET the first
    message back is a C-STORE request, which the reactor serves like any other.
    """
    import socket

    quickack = getattr(socket, "TCP_QUICKACK", None)
    sock = getattr(getattr(assoc, "dul", None), "socket", None)
    raw = getattr(sock, "socket", None)
    if raw is None:
        return
    try:
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        return
    if quickack is None:
        return
    recv = sock.recv

    def recv_acknowledging(nr_bytes: int):
        try:
            raw.setsockopt(socket.IPPROTO_TCP, quickack, 1)
        except OSError:
            pass
        return recv(nr_bytes)

    sock.recv = recv_acknowledging


def _value(answer, keyword: str):
    value = answer.get(keyword) if answer is not None else None
    if value is None or value == "":
        return None
    if keyword == "ModalitiesInStudy":
        codes = [value] if isinstance(value, str) else list(value)
        return "\\".join(sorted({str(c) for c in codes if c})) or None
    if keyword == "NumberOfStudyRelatedInstances":
        return int(value)
    return str(value)
