"""DICOM pseudonymisation on pydicom's files, without a PACS."""

from __future__ import annotations

import io

import pandas as pd
import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from radlink.pacs.deidentify_dicom import DicomPseudonymiser
from radlink.pacs.profile import BASIC_PROFILE, CLEAN_DESCRIPTORS, PATIENT_CHARACTERISTICS
from radlink.privacy import PatientIdentity, Pseudonymiser

P = Pseudonymiser(b"unit-test-key-0123456789")


def ct() -> Dataset:
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.PatientName = "DUPONT^Marie"
    ds.PatientID = "800123456"
    ds.PatientBirthDate = "19500314"
    ds.AccessionNumber = "A2020123"
    ds.StudyDate = "20200110"
    ds.StudyDescription = "TDM THORAX DUPONT"
    ds.ImageComments = "Patiente Marie DUPONT, IPP 800123456, vue le 10/01/2020"
    ds.PatientAge = "070Y"
    ds.PatientWeight = 61
    ds.OtherPatientIDs = "TMP0001"
    ds.add_new(0x00291010, "LO", "DUPONT")
    ref = Dataset()
    ref.ReferencedSOPClassUID = ds.SOPClassUID
    ref.ReferencedSOPInstanceUID = "1.2.3.4.5.6"
    ds.ReferencedImageSequence = Sequence([ref])
    ds.AcquisitionDateTime = "20200110083000.000000"
    return ds


def test_every_profile_keyword_is_a_dicom_keyword():
    from pydicom.datadict import tag_for_keyword

    for keyword in set(BASIC_PROFILE) | CLEAN_DESCRIPTORS | PATIENT_CHARACTERISTICS:
        assert tag_for_keyword(keyword) is not None, keyword


def test_identifiers_leave_and_the_method_is_recorded():
    out, review = DicomPseudonymiser(P).pseudonymise(ct())
    buffer = io.BytesIO()
    out.save_as(buffer, enforce_file_format=True)
    data = buffer.getvalue()
    for secret in (b"DUPONT", b"Marie", b"800123456", b"19500314", b"A2020123", b"TMP0001",
                   b"20200110", b"1.2.3.4.5.6", b"10/01/2020"):
        assert secret not in data, secret
    assert out.PatientID == P.pseudonym("patient", "800123456") == out.PatientName
    assert out.PatientIdentityRemoved == "YES"
    assert [c.CodeValue for c in out.DeidentificationMethodCodeSequence] == ["113100", "113105", "113107"]
    assert out.LongitudinalTemporalInformationModified == "MODIFIED"
    assert "PatientAge" not in out and "PatientWeight" not in out
    assert review is None
    assert out.StudyDescription.startswith("TDM THORAX")  # descriptions kept, cleaned


def test_dates_move_by_the_tables_offset_and_times_stay():
    out, _ = DicomPseudonymiser(P).pseudonymise(ct())
    shift = int(P.shift_days(pd.Series(["800123456"])).iloc[0])
    assert pd.Timestamp(out.StudyDate) - pd.Timestamp("2020-01-10") == pd.Timedelta(days=shift)
    assert out.AcquisitionDateTime[8:] == "083000.000000"
    assert out.StudyTime == pydicom.dcmread(get_testdata_file("CT_small.dcm")).StudyTime


def test_uids_are_keyed_consistently_and_standard_ones_stay():
    a, _ = DicomPseudonymiser(P).pseudonymise(ct())
    b, _ = DicomPseudonymiser(P).pseudonymise(ct())
    assert a.StudyInstanceUID == b.StudyInstanceUID == P.uid(ct().StudyInstanceUID)
    assert a.SOPInstanceUID.startswith("2.25.") and a.file_meta.MediaStorageSOPInstanceUID == a.SOPInstanceUID
    ref = a.ReferencedImageSequence[0]
    assert ref.ReferencedSOPInstanceUID == P.uid("1.2.3.4.5.6")
    assert ref.ReferencedSOPClassUID == a.SOPClassUID == ct().SOPClassUID
    other = Pseudonymiser(b"another-key-0123456789ab")
    c, _ = DicomPseudonymiser(other).pseudonymise(ct())
    assert c.StudyInstanceUID != a.StudyInstanceUID


def test_the_timelines_patient_gives_the_pseudonym_and_names_are_found_in_text():
    identities = {"800999": PatientIdentity(names=["MARTIN^Paul"], ids=["800999"])}
    ds = ct()
    ds.SeriesDescription = "Suivi Paul MARTIN"
    d = DicomPseudonymiser(P, patient_of=lambda study, file_patient: "800999", identities=identities)
    out, _ = d.pseudonymise(ds)
    assert out.PatientID == P.pseudonym("patient", "800999")
    assert "MARTIN" not in out.SeriesDescription and "Paul" not in out.SeriesDescription


def test_patient_characteristics_are_kept_when_asked():
    out, _ = DicomPseudonymiser(P, keep_patient_characteristics=True).pseudonymise(ct())
    assert out.PatientAge == "070Y" and float(out.PatientWeight) == 61
    assert "113108" in {c.CodeValue for c in out.DeidentificationMethodCodeSequence}


@pytest.mark.parametrize("change, reason", [
    ({"BurnedInAnnotation": "YES"}, "BurnedInAnnotation YES"),
    ({"Modality": "US"}, "modality US"),
    ({"SOPClassUID": "1.2.840.10008.5.1.4.1.1.7"}, "SOP class Secondary Capture Image Storage"),
])
def test_burned_in_text_is_held_for_review(change, reason):
    ds = ct()
    for keyword, value in change.items():
        setattr(ds, keyword, value)
    assert DicomPseudonymiser(P).pseudonymise(ds)[1] == reason
