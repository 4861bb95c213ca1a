"""Retrieval throughput of `radlink pacs retrieve` against a bare pynetdicom C-GET loop.

Starts a throw-away Orthanc (system packages `orthanc`, `orthanc-dicomweb`) on loopback
inside a private network namespace (root, or unprivileged user namespaces), loads it
with generated studies (pydicom's CT_small.dcm as the pixel template), then, in the same
run and on the same studies, times:

* baseline: one association, one C-GET per study, each received dataset written with
  `dcmwrite` (the loop a script would write by hand);
* radlink: `retrieve_studies(..., method="c-get")` (resumable layout, atomic writes,
  counts checked), without and with pseudonymisation (PS3.15 basic profile), and
  `method="wado"` (WADO-RS from the same server, for comparison).

Each is run twice, alternating, into fresh folders; the best of two is reported as
instances/s and as a ratio to the baseline.

    python benchmarks/bench_pacs_retrieve.py --studies 40 --series 3 --instances 10
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=40)
    parser.add_argument("--series", type=int, default=3)
    parser.add_argument("--instances", type=int, default=10, help="instances per series")
    args = parser.parse_args()

    import pandas as pd
    import pydicom
    from pydicom.data import get_testdata_file

    from radlink.pacs.config import DicomwebEndpoint, DimseEndpoint
    from radlink.pacs.deidentify_dicom import DicomPseudonymiser
    from radlink.pacs.dicomweb import DicomwebClient
    from radlink.pacs.dimse import DimseClient
    from radlink.pacs.retrieve import retrieve_studies
    from radlink.privacy import Pseudonymiser
    from tests.pacs.orthanc import Orthanc, enter_private_network, free_port, study_files

    why = enter_private_network()
    if why:
        sys.exit(f"bench_pacs_retrieve: {why}")
    work = Path(tempfile.mkdtemp(prefix="bench-pacs-"))
    orthanc = Orthanc(work / "orthanc", storage_port=free_port())
    try:
        template = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
        exams = pd.DataFrame({
            "exam_id": [f"1.2.250.1.999.{k}" for k in range(args.studies)],
            "patient_id": [f"8000{k % 10:05d}" for k in range(args.studies)],
            "patient_name": [f"PATIENT{k % 10}^TEST" for k in range(args.studies)],
            "birth_date": pd.Timestamp("1950-01-01"),
            "accession_number": [f"A{k:06d}" for k in range(args.studies)],
            "study_datetime": pd.date_range("2020-01-01 08:00", periods=args.studies, freq="D"),
            "modality": "CT", "study_description": "TDM THORAX", "institution": "CHU",
        })
        for exam in exams.itertuples(index=False):
            for data in study_files(exam, template, series=args.series, per_series=args.instances):
                orthanc.upload(data)
        n = args.studies * args.series * args.instances
        studies = pd.DataFrame({"study_instance_uid": exams["exam_id"],
                                "n_instances": args.series * args.instances})
        endpoint = DimseEndpoint("127.0.0.1", orthanc.dicom_port, "ORTHANC", "RADLINK")
        key = Pseudonymiser(b"bench-key-0123456789abcdef")
        runs = {"bare pynetdicom C-GET loop": [], "radlink c-get": [],
                "radlink c-get --pseudonymise": [], "radlink wado": []}
        web = DicomwebEndpoint(f"{orthanc.url}/dicom-web")
        for attempt in range(2):
            for name in runs:
                out = work / f"out{attempt}_{list(runs).index(name)}"
                t0 = time.perf_counter()
                if name.startswith("bare"):
                    got = bare_get(endpoint, list(studies["study_instance_uid"]), out)
                else:
                    deid = DicomPseudonymiser(key) if "pseudonymise" in name else None
                    method = name.split()[1]
                    client = DicomwebClient(web) if method == "wado" else DimseClient(endpoint)
                    with client:
                        res = retrieve_studies(studies, client, out, method=method,
                                               deidentifier=deid)
                    got = res.received
                seconds = time.perf_counter() - t0
                assert got == n, (name, got, n)
                runs[name].append(n / seconds)
                shutil.rmtree(out)
        base = max(runs["bare pynetdicom C-GET loop"])
        print(f"{n} instances ({args.studies} studies x {args.series} series x {args.instances}), "
              f"CT 128x128 16-bit, Orthanc {orthanc_version(orthanc)} on loopback, best of 2")
        for name, rates in runs.items():
            print(f"  {name:<32} {max(rates):8.1f} instances/s   {max(rates) / base:5.2f}x baseline")
    finally:
        orthanc.stop()
        shutil.rmtree(work, ignore_errors=True)


def bare_get(endpoint, study_uids: list[str], out: Path) -> int:
    """The baseline: what a hand-written pynetdicom C-GET script does."""
    from pydicom.dataset import Dataset
    from pynetdicom import AE, StoragePresentationContexts, build_role, evt
    from pynetdicom.sop_class import StudyRootQueryRetrieveInformationModelGet

    out.mkdir(parents=True)
    count = 0

    def on_store(event):
        nonlocal count
        ds = event.dataset
        ds.file_meta = event.file_meta
        ds.save_as(out / f"{ds.SOPInstanceUID}.dcm", enforce_file_format=True)
        count += 1
        return 0x0000

    ae = AE(ae_title=endpoint.calling_aet)
    ae.add_requested_context(StudyRootQueryRetrieveInformationModelGet)
    roles = []
    for cx in StoragePresentationContexts[:126]:
        ae.add_requested_context(cx.abstract_syntax)
        roles.append(build_role(cx.abstract_syntax, scp_role=True))
    assoc = ae.associate(endpoint.host, endpoint.port, ae_title=endpoint.called_aet,
                         ext_neg=roles, evt_handlers=[(evt.EVT_C_STORE, on_store)])
    assert assoc.is_established
    for uid in study_uids:
        ds = Dataset()
        ds.QueryRetrieveLevel = "STUDY"
        ds.StudyInstanceUID = uid
        for _status, _ in assoc.send_c_get(ds, StudyRootQueryRetrieveInformationModelGet):
            pass
    assoc.release()
    return count


def orthanc_version(orthanc) -> str:
    import json
    import urllib.request

    return json.loads(urllib.request.urlopen(f"{orthanc.url}/system").read())["Version"]


if __name__ == "__main__":
    main()
