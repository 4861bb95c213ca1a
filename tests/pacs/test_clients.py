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
