"""Test helpers: a private network namespace, a throw-away Orthanc, DICOM files with pixels.

Orthanc 1.10 has no bind-address option: its DICOM port listens on every interface.
:func:`enter_private_network` moves the test process (and what it starts afterwards:
Orthanc, ``radlink`` subprocesses, pynetdicom's threads) into a new network namespace
holding only ``lo``, so nothing is reachable from outside the machine.
"""

from __future__ import annotations

import ctypes
import fcntl
import io
import json
import os
import shutil
import socket
import struct
import subprocess
import time
import urllib.request
from pathlib import Path

import pandas as pd

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
PLUGIN = Path("/usr/share/orthanc/plugins/libOrthancDicomWeb.so")
_IN_NAMESPACE = False


def enter_private_network() -> str | None:
    """Enter a new network namespace with ``lo`` up; None when done, else why not."""
    global _IN_NAMESPACE
    if _IN_NAMESPACE:
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0 and libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return (f"cannot make a private network namespace ({os.strerror(ctypes.get_errno())}): "
                "run as root or allow unprivileged user namespaces")
    # bring lo up: SIOCGIFFLAGS / SIOCSIFFLAGS with IFF_UP
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        ifreq = struct.pack("16sH14s", b"lo", 0, b"\0" * 14)
        flags = struct.unpack("16sH14s", fcntl.ioctl(s.fileno(), 0x8913, ifreq))[1]
        fcntl.ioctl(s.fileno(), 0x8914, struct.pack("16sH14s", b"lo", flags | 0x1, b"\0" * 14))
    _IN_NAMESPACE = True
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Orthanc:
    """An Orthanc server in a temporary folder, on free loopback ports."""

    def __init__(self, workdir: Path, storage_port: int):
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.http_port, self.dicom_port = free_port(), free_port()
        self.storage_port = storage_port
        config = {
            "Name": "radlink-tests", "StorageDirectory": str(workdir / "db"),
            "IndexDirectory": str(workdir / "db"), "HttpPort": self.http_port,
            "DicomPort": self.dicom_port, "DicomAet": "ORTHANC", "RemoteAccessAllowed": False,
            "AuthenticationEnabled": False, "DicomAlwaysAllowFind": True,
            "DicomAlwaysAllowGet": True, "DicomAlwaysAllowMove": True,
            "DicomCheckCalledAet": False, "HttpTimeout": 60,
            "DicomModalities": {"radlink": ["RADLINK", "127.0.0.1", storage_port]},
            "Plugins": [str(PLUGIN)], "DicomWeb": {"Enable": True, "Root": "/dicom-web/"},
        }
        (workdir / "orthanc.json").write_text(json.dumps(config), encoding="utf-8")
        self.log = open(workdir / "orthanc.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen([shutil.which("Orthanc"), str(workdir / "orthanc.json")],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.http_port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{self.url}/system", timeout=1).read()
                break
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"Orthanc stopped: see {workdir / 'orthanc.log'}") from None
                time.sleep(0.05)
        else:
            raise RuntimeError("Orthanc did not start")

    def upload(self, data: bytes) -> None:
        request = urllib.request.Request(f"{self.url}/instances", data=data, method="POST",
                                         headers={"Content-Type": "application/dicom"})
        urllib.request.urlopen(request, timeout=30).read()

    def pacs_toml(self, path: Path) -> Path:
        path.write_text(
            f'[dimse]\nhost = "127.0.0.1"\nport = {self.dicom_port}\ncalled_aet = "ORTHANC"\n'
            f'calling_aet = "RADLINK"\nstorage_port = {self.storage_port}\n'
            f'[dicomweb]\nurl = "{self.url}/dicom-web"\n', encoding="utf-8")
        return path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def study_files(exam, template, *, series: int = 2, per_series: int = 2) -> list[bytes]:
    """DICOM files with pixels (from ``template``) for one row of a synthetic exams table.

    The patient's name is also written in free text and in a private attribute, as some
    modalities do, so that pseudonymisation has something to find there.
    """
    from pydicom.uid import generate_uid

    from radlink.dicom.sample import SOP_CLASS_BY_MODALITY

    modalities = [m for m in str(exam.modality or "OT").split("\\") if m] or ["OT"]
    out = []
    name = exam.patient_name or ""
    for s in range(max(series, len(modalities))):
        modality = modalities[s % len(modalities)]
        series_uid = generate_uid(entropy_srcs=[exam.exam_id, "series", str(s)])
        for i in range(per_series):
            ds = template.copy()
            ds.file_meta = template.file_meta.copy()
            sop = generate_uid(entropy_srcs=[exam.exam_id, str(s), str(i)])
            sop_class = SOP_CLASS_BY_MODALITY.get(modality, "1.2.840.10008.5.1.4.1.1.7")
            ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = sop_class
            ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = sop
            ds.SpecificCharacterSet = "ISO_IR 192"
            ds.StudyInstanceUID = exam.exam_id
            ds.SeriesInstanceUID = series_uid
            ds.FrameOfReferenceUID = generate_uid(entropy_srcs=[exam.exam_id, "for"])
            ds.PatientID = exam.patient_id or ""
            ds.PatientName = name
            ds.PatientBirthDate = exam.birth_date.strftime("%Y%m%d") if not pd.isna(exam.birth_date) else ""
            ds.AccessionNumber = exam.accession_number or ""
            day = exam.study_datetime.strftime("%Y%m%d")
            for kw in ("StudyDate", "SeriesDate", "AcquisitionDate", "ContentDate", "InstanceCreationDate"):
                setattr(ds, kw, day)
            ds.StudyTime = exam.study_datetime.strftime("%H%M%S")
            ds.Modality = modality
            ds.StudyDescription = exam.study_description or ""
            ds.SeriesDescription = f"{modality} {name.replace('^', ' ')}".strip()
            ds.ImageComments = f"Patient {name.replace('^', ' ')} IPP {exam.patient_id or '?'}"
            ds.InstitutionName = exam.institution or ""
            ds.SeriesNumber, ds.InstanceNumber = s + 1, i + 1
            ds.add_new(0x00091001, "LO", name)  # a private attribute holding the name
            buffer = io.BytesIO()
            ds.save_as(buffer, enforce_file_format=True)
            out.append(buffer.getvalue())
    return out
