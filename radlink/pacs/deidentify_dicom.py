"""Pseudonymise a DICOM instance: PS3.15 Annex E Basic Profile, with radlink's keys.

What happens to an instance (:meth:`DicomPseudonymiser.pseudonymise`):

* **Patient.** PatientID and PatientName become the patient's pseudonym, the same
  ``pat_…`` HMAC pseudonym as the tables (:meth:`radlink.privacy.Pseudonymiser.pseudonym`);
  the patient is the timeline's for the study when known (an exam filed under a wrong
  or temporary IPP gets its true patient's pseudonym), else the file's PatientID.
* **Dates.** Every ``DA`` and ``DT`` moves by the patient's offset, the same as the
  tables' (Retain Longitudinal Temporal Information with Modified Dates): intervals
  between a patient's studies survive; times of day are kept. Birth date emptied.
* **UIDs.** Every UID that is not a standard one (SOP classes, transfer syntaxes, coding
  schemes) becomes ``2.25.<HMAC>`` (:meth:`~radlink.privacy.Pseudonymiser.uid`): the same
  original gives the same UID in every file and every run, so series, studies and
  references stay together.
* **Attributes of Table E.1-1** (:mod:`radlink.pacs.profile`) removed or emptied;
  every person name removed; private attributes, curve/overlay groups, attributes of
  unknown representation (``UN``) and URLs (``UR``, which hold UIDs) removed.
* **Free text** that stays (descriptions, comments, any ``LO``/``SH``/``ST``/``LT``/``UT``)
  passes through :func:`radlink.privacy.deidentify` with the patient's names and ids and
  the same date offset, like report text (the Clean Descriptors option).
* **Recorded**: PatientIdentityRemoved ``YES``, DeidentificationMethod and its code
  sequence (CID 7050), LongitudinalTemporalInformationModified ``MODIFIED``.
* **Burned-in text.** Pixels are not cleaned: an instance with BurnedInAnnotation
  ``YES``, or of a modality or SOP class known for burned-in text (ultrasound,
  secondary capture, encapsulated documents) is returned with a review reason, so that
  a person looks at it before it leaves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence
from pydicom.uid import PYDICOM_IMPLEMENTATION_UID, UID_dictionary

import radlink
from radlink.pacs.profile import (
    BASIC_PROFILE,
    BURNED_IN_MODALITIES,
    BURNED_IN_SOP_CLASSES,
    CLEAN_DESCRIPTORS,
    METHOD_CODES,
    PATIENT_CHARACTERISTICS,
)
from radlink.privacy.deidentify import Deidentifier, PatientIdentity
from radlink.privacy.pseudonymise import Pseudonymiser

__all__ = ["DicomPseudonymiser"]

_TEXT_VRS = frozenset({"LO", "SH", "ST", "LT", "UT", "UC"})
_MAX_LENGTH = {"SH": 16, "LO": 64, "ST": 1024, "LT": 10240}
_KEPT_UID_WORDS = ("ClassUID", "TransferSyntaxUID", "CodingSchemeUID", "MappingResourceUID",
                   "ContextGroupExtensionCreatorUID")


class DicomPseudonymiser:
    """Pseudonymise DICOM instances under one key (see the module docstring).

    Parameters
    ----------
    pseudonymiser : Pseudonymiser
        Holds the key: pseudonyms, date offsets and UIDs are the tables' own.
    patient_of : callable, optional
        ``(study_instance_uid, file_patient_id) -> patient id``: the patient whose
        pseudonym and offset the study takes (the timeline's resolved patient). By
        default the file's PatientID.
    identities : dict, optional
        Patient id -> :class:`~radlink.privacy.PatientIdentity` (names and ids to find
        in free text), as :func:`radlink.privacy.identities_from_tables` builds it; the
        file's own name, ids and accession number are always added.
    keep_patient_characteristics : bool, default False
        The Retain Patient Characteristics option (age, sex, size, weight, ...).

    Examples
    --------
    >>> import pydicom
    >>> from pydicom.data import get_testdata_file
    >>> from radlink.privacy import Pseudonymiser
    >>> ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    >>> p = Pseudonymiser(b"0123456789abcdef-secret")
    >>> out, review = DicomPseudonymiser(p).pseudonymise(ds)
    >>> out.PatientID == p.pseudonym("patient", "1CT1"), out.StudyInstanceUID.startswith("2.25.")
    (True, True)
    >>> out.PatientIdentityRemoved, review is None, "PatientBirthDate" in out and out.PatientBirthDate
    ('YES', True, '')
    """

    def __init__(self, pseudonymiser: Pseudonymiser, *,
                 patient_of: Callable[[str, str | None], str | None] | None = None,
                 identities: dict[str, PatientIdentity] | None = None,
                 keep_patient_characteristics: bool = False):
        self.p = pseudonymiser
        self.patient_of = patient_of or (lambda study_uid, file_patient: file_patient)
        self.identities = identities or {}
        self.keep_patient_characteristics = keep_patient_characteristics
        self._deid = Deidentifier()
        self._text_cache: dict[tuple[str, str, str], str] = {}
        self._shifts: dict[str, int] = {}
        codes = ["113100", "113105", "113107"] + (["113108"] if keep_patient_characteristics else [])
        self._codes = codes
        # (0012,0063) is LO (64 characters): the codes say it in full
        self._method = ("PS3.15 E.1 basic, clean descriptors, modified dates"
                        + (", patient characteristics" if keep_patient_characteristics else "")
                        + f" (radlink {radlink.__version__})")[:64]

    # ---- per patient
    def _shift(self, patient: str) -> int:
        if patient not in self._shifts:
            self._shifts[patient] = int(self.p.shift_days(pd.Series([patient], dtype=object)).iloc[0])
        return self._shifts[patient]

    def review_reason(self, ds: Dataset) -> str | None:
        """Why an instance's pixels need a person's look (burned-in text), or None.

        Examples
        --------
        >>> from pydicom.dataset import Dataset
        >>> ds = Dataset(); ds.Modality = "US"
        >>> DicomPseudonymiser(None).review_reason(ds)
        'modality US'
        """
        if str(ds.get("BurnedInAnnotation", "")).upper() == "YES":
            return "BurnedInAnnotation YES"
        if str(ds.get("RecognizableVisualFeatures", "")).upper() == "YES":
            return "RecognizableVisualFeatures YES"
        sop_class = str(ds.get("SOPClassUID", ""))
        if sop_class in BURNED_IN_SOP_CLASSES:
            return f"SOP class {BURNED_IN_SOP_CLASSES[sop_class]}"
        modality = str(ds.get("Modality", ""))
        if modality in BURNED_IN_MODALITIES:
            return f"modality {modality}"
        return None

    def pseudonymise(self, ds: Dataset) -> tuple[Dataset, str | None]:
        """Pseudonymise one instance in place; return it and its review reason (or None)."""
        study_uid = str(ds.get("StudyInstanceUID", ""))
        file_patient = str(ds.get("PatientID", "")) or None
        patient = self.patient_of(study_uid, file_patient) or file_patient or f"study:{study_uid}"
        review = self.review_reason(ds)
        identity = self._identity(ds, patient)
        context = _Context(patient, self._shift(patient), identity, study_uid)
        self._clean(ds, context)
        pseudonym = self.p.pseudonym("patient", patient)
        ds.PatientID = pseudonym
        ds.PatientName = pseudonym
        ds.PatientIdentityRemoved = "YES"
        ds.DeidentificationMethod = self._method
        ds.DeidentificationMethodCodeSequence = Sequence([_code(c) for c in self._codes])
        ds.LongitudinalTemporalInformationModified = "MODIFIED"
        meta = FileMetaDataset()
        old = getattr(ds, "file_meta", None)
        meta.MediaStorageSOPClassUID = ds.SOPClassUID
        meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        if old is not None and "TransferSyntaxUID" in old:
            meta.TransferSyntaxUID = old.TransferSyntaxUID
        meta.ImplementationClassUID = PYDICOM_IMPLEMENTATION_UID
        ds.file_meta = meta
        return ds, review

    def _identity(self, ds: Dataset, patient: str) -> PatientIdentity:
        known = self.identities.get(patient, PatientIdentity())
        names = list(known.names) + [str(ds.get("PatientName", "")) or None]
        names += [str(n) for n in ds.get("OtherPatientNames", []) or []]
        ids = list(known.ids) + [ds.get("PatientID"), ds.get("AccessionNumber"), patient]
        other = ds.get("OtherPatientIDs")
        if other:
            ids += [other] if isinstance(other, str) else list(other)
        return PatientIdentity(names=names, ids=[str(i) for i in ids if i])

    # ---- the walk
    def _action(self, keyword: str) -> str | None:
        if keyword in PATIENT_CHARACTERISTICS and self.keep_patient_characteristics:
            return "K"
        if keyword in CLEAN_DESCRIPTORS:
            return "C"
        return BASIC_PROFILE.get(keyword)

    def _clean(self, ds: Dataset, ctx: _Context) -> None:
        for elem in list(ds):
            tag = elem.tag
            if tag.is_private or (tag.group & 0xFF00) in (0x5000, 0x6000):
                del ds[tag]
                continue
            keyword = elem.keyword
            action = self._action(keyword)
            if action == "X":
                del ds[tag]
            elif action == "Z":
                elem.value = Sequence() if elem.VR == "SQ" else ""
            elif action == "K":
                continue
            elif elem.VR == "SQ":
                for item in elem.value:
                    self._clean(item, ctx)
            elif elem.VR == "UI":
                self._uid(ds, elem, keyword)
            elif elem.VR in ("DA", "DT"):
                self._date(ds, elem, ctx.shift)
            elif elem.VR in ("PN", "UN", "UR"):  # names; what cannot be read; URLs (hold UIDs)
                del ds[tag]
            elif elem.VR in _TEXT_VRS or action == "C":
                self._text(elem, ctx)

    def _uid(self, ds: Dataset, elem, keyword: str) -> None:
        if any(word in keyword for word in _KEPT_UID_WORDS):
            return
        values = elem.value if isinstance(elem.value, MultiValue) else [elem.value]
        new = [v if not v or str(v) in UID_dictionary else self.p.uid(str(v)) for v in values]
        elem.value = new if isinstance(elem.value, MultiValue) else new[0]

    def _date(self, ds: Dataset, elem, shift: int) -> None:
        values = elem.value if isinstance(elem.value, MultiValue) else [elem.value]
        out = []
        for v in values:
            s = str(v or "").strip()
            if not s:
                out.append(s)
                continue
            moved = _shift_da(s[:8], shift) if len(s) >= 8 else None
            if moved is None:  # not a date we can move: it cannot stay
                del ds[elem.tag]
                return
            out.append(moved + s[8:] if elem.VR == "DT" else moved)
        elem.value = out if isinstance(elem.value, MultiValue) else out[0]

    def _text(self, elem, ctx: _Context) -> None:
        values = elem.value if isinstance(elem.value, MultiValue) else [elem.value]
        out = []
        for v in values:
            s = "" if v is None else str(v)
            if s.strip():
                key = (s, ctx.patient, ctx.study_uid)
                if key not in self._text_cache:
                    clean = self._deid.deidentify(s, ctx.identity, ctx.shift) or ""
                    self._text_cache[key] = clean[:_MAX_LENGTH.get(elem.VR, len(clean))]
                s = self._text_cache[key]
            out.append(s)
        elem.value = out if isinstance(elem.value, MultiValue) else out[0]


class _Context:
    __slots__ = ("patient", "shift", "identity", "study_uid")

    def __init__(self, patient: str, shift: int, identity: PatientIdentity, study_uid: str):
        self.patient, self.shift, self.identity, self.study_uid = patient, shift, identity, study_uid


def _shift_da(value: str, shift: int) -> str | None:
    """``YYYYMMDD`` moved by ``shift`` days, or None if it is not a date.

    Examples
    --------
    >>> _shift_da("20200228", 2), _shift_da("2020", 2)
    ('20200301', None)
    """
    try:
        day = dt.datetime.strptime(value, "%Y%m%d").date()
        return (day + dt.timedelta(days=shift)).strftime("%Y%m%d")
    except (ValueError, OverflowError):
        return None


def _code(value: str) -> Dataset:
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = "DCM"
    item.CodeMeaning = METHOD_CODES[value]
    return item
