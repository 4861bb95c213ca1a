"""Both clients retry a PACS that does not answer, then fail with a clear error."""

from __future__ import annotations

import socket

import pytest

from radlink.errors import PacsError
from radlink.pacs.config import DicomwebEndpoint, DimseEndpoint
from radlink.pacs.query import StudyQuery

pytest.importorskip("pynetdicom", reason="the pacs extra is not installed (pip install '.[pacs]')")
pytest.importorskip("dicomweb_client", reason="the pacs extra is not installed (pip install '.[pacs]')")


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on: connections are refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dimse_retries_then_names_the_peer(closed_port):
    from radlink.pacs.dimse import DimseClient

    client = DimseClient(DimseEndpoint("127.0.0.1", closed_port, "PACS"), retries=2, backoff=0.01,
                         timeout=2)
    with client, pytest.raises(PacsError, match=rf"C-FIND: association with PACS@127.0.0.1:{closed_port} "
                                               r"failed .* \(after 3 attempts\)"):
        client.find_studies(StudyQuery(patient_id="800123"))


def test_dicomweb_retries_then_names_the_service(closed_port):
    from radlink.pacs.dicomweb import DicomwebClient

    client = DicomwebClient(DicomwebEndpoint(f"http://127.0.0.1:{closed_port}/dicom-web"),
                            retries=1, backoff=0.01)
    with client, pytest.raises(PacsError, match=r"QIDO-RS: ConnectionError .* \(after 2 attempts\)") as err:
        client.find_studies(StudyQuery(patient_id="800123"))
    assert "800123" not in str(err.value)  # what was asked is never in the message


def test_a_c_find_answer_dropped_by_pynetdicom_makes_the_query_run_again(monkeypatch):
    """pynetdicom's reactor may take an answer before send_c_find waits for it, log a
    warning and drop it: the query is asked again rather than returning one study less."""
    import logging

    from pydicom.dataset import Dataset

    from radlink.pacs.dimse import DimseClient

    class Status:
        def __init__(self, code):
            self.Status = code

    def answer(uid):
        ds = Dataset()
        ds.StudyInstanceUID = uid
        return ds

    calls = []

    class Association:
        is_established = True

        def send_c_find(self, identifier, model):
            calls.append(1)
            if len(calls) == 1:  # the reactor took the first answer
                logging.getLogger("pynetdicom.association").warning(
                    "Received unexpected C-FIND service message")
                yield Status(0xFF00), answer("1.2.2")
            else:
                yield Status(0xFF00), answer("1.2.1")
                yield Status(0xFF00), answer("1.2.2")
            yield Status(0x0000), None

        def release(self):
            pass

    client = DimseClient(DimseEndpoint("127.0.0.1", 1, "PACS"), backoff=0.001)
    monkeypatch.setattr(client, "_find", lambda: Association())
    rows = client.find_studies(StudyQuery(patient_id="800123"))
    assert [r["study_instance_uid"] for r in rows] == ["1.2.1", "1.2.2"] and len(calls) == 2
