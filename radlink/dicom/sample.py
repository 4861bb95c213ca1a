"""Write tiny header-only DICOM files from an exams table (synthetic test data).

Each exam becomes a study of a few series of a few instances: valid DICOM Part-10
files (128-byte preamble, ``DICM``, file meta information) holding the exam's
attributes and no pixel data, a few hundred bytes each. What is written is what
:func:`radlink.dicom.ingest_dicom` reads back, so ``write → ingest`` is a
round trip of the exams table (modalities come back sorted, ``"CT\\PT"``).

Determinism: Series and SOP Instance UIDs are derived from the ``exam_id`` (pydicom's
:func:`~pydicom.uid.generate_uid` with ``entropy_srcs``), and files are named by row
position (``exam0003/series01/0000.dcm``), never by a patient attribute.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filewriter import dcmwrite
from pydicom.uid import (
    UID,
    ComputedRadiographyImageStorage,
    CTImageStorage,
    DigitalMammographyXRayImageStorageForPresentation,
    DigitalXRayImageStorageForPresentation,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    MRImageStorage,
    NuclearMedicineImageStorage,
    PositronEmissionTomographyImageStorage,
    SecondaryCaptureImageStorage,
    UltrasoundImageStorage,
    generate_uid,
)

from radlink.errors import TableValidationError, ValidationProblem
from radlink.tables import validate_table

__all__ = ["write_header_only_dicom", "write_sample_directory", "SOP_CLASS_BY_MODALITY"]

SOP_CLASS_BY_MODALITY: dict[str, UID] = {
    "CT": CTImageStorage,
    "PT": PositronEmissionTomographyImageStorage,
    "MR": MRImageStorage,
    "NM": NuclearMedicineImageStorage,
    "CR": ComputedRadiographyImageStorage,
    "DX": DigitalXRayImageStorageForPresentation,
    "MG": DigitalMammographyXRayImageStorageForPresentation,
    "US": UltrasoundImageStorage,
}
"""SOP Class written for each modality; any other modality is Secondary Capture."""

_CHARSETS = {"ISO_IR 192": "utf-8", "ISO_IR 100": "latin-1"}  # (0008,0005) -> Python codec
_UID = re.compile(r"^[0-9]+(\.[0-9]+)*$")
_TEXT_ATTRIBUTES = {  # exams column -> DICOM keyword (all LO/SH/PN/CS: written as given)
    "accession_number": "AccessionNumber",
    "patient_id": "PatientID",
    "patient_name": "PatientName",
    "study_description": "StudyDescription",
    "body_part": "BodyPartExamined",
    "institution": "InstitutionName",
    "unit": "InstitutionalDepartmentName",
    "stay_id": "AdmissionID",
}


def write_header_only_dicom(
    exams: pd.DataFrame,
    out_dir: str | os.PathLike[str],
    *,
    series_per_study: int = 2,
    instances_per_series: int = 2,
    charset: str | Sequence[str] = "ISO_IR 192",
    implicit_vr: bool = False,
) -> list[Path]:
    """Write one small study of header-only DICOM files per exam.

    Parameters
    ----------
    exams : pandas.DataFrame
        An exams table (canonical columns, see :mod:`radlink.tables`); ``exam_id``
        must be a DICOM UID (digits and dots, at most 64 characters): it becomes the
        Study Instance UID.
    out_dir : str or path-like
        Created if needed; files go to ``exam{row:04d}/series{s:02d}/{i:04d}.dcm``.
    series_per_study : int, default 2
        Series per study; raised to the number of the exam's modalities so that each
        appears (``"PT\\CT"`` gives at least a PT and a CT series).
    instances_per_series : int, default 2
        Files per series.
    charset : {"ISO_IR 192", "ISO_IR 100"} or sequence of them, default "ISO_IR 192"
        (0008,0005) Specific Character Set: UTF-8 or Latin-1; one for all exams or one
        per row.
    implicit_vr : bool, default False
        Implicit VR Little Endian instead of Explicit VR Little Endian.

    Returns
    -------
    list of pathlib.Path
        The files written, in order.

    Raises
    ------
    TableValidationError
        If the table is not a valid exams table, an ``exam_id`` is not a UID, or a text
        value cannot be encoded in the chosen character set (values are never quoted).

    Notes
    -----
    ``sex`` ``"U"`` (unknown) is written as an empty (0010,0040), DICOM's "unknown".
    A study time with microseconds keeps them (``HHMMSS.FFFFFF``).

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from radlink.dicom import ingest_dicom
    >>> exams = pd.DataFrame({"exam_id": ["1.2.250.1.99.1"], "patient_name": ["DURAND^Hélène"],
    ...                       "modality": ["PT\\\\CT"], "study_datetime": ["2021-03-02 09:15"]})
    >>> out = tempfile.mkdtemp()
    >>> len(write_header_only_dicom(exams, out, charset="ISO_IR 100"))
    4
    >>> ingest_dicom(out).exams[["patient_name", "modality", "study_datetime", "n_series"]]
        patient_name modality      study_datetime  n_series
    0  DURAND^Hélène    CT\\PT 2021-03-02 09:15:00         2
    """
    exams = validate_table(exams, "exams")
    charsets = [charset] * len(exams) if isinstance(charset, str) else list(charset)
    _check(exams, charsets)
    out = Path(out_dir)
    written: list[Path] = []
    syntax = ImplicitVRLittleEndian if implicit_vr else ExplicitVRLittleEndian
    for row, (exam, cs) in enumerate(zip(exams.itertuples(index=False), charsets, strict=True)):
        modalities = [m.strip() for m in str(exam.modality or "OT").split("\\") if m.strip()]
        modalities = modalities or ["OT"]
        study = _study_dataset(exam, cs)
        for s in range(max(series_per_study, len(modalities))):
            modality = modalities[s % len(modalities)]
            series_uid = generate_uid(entropy_srcs=[exam.exam_id, "series", str(s)])
            for i in range(instances_per_series):
                ds = Dataset()
                ds.update(study)
                sop_class = SOP_CLASS_BY_MODALITY.get(modality, SecondaryCaptureImageStorage)
                sop_uid = generate_uid(entropy_srcs=[exam.exam_id, "series", str(s), str(i)])
                ds.SOPClassUID = sop_class
                ds.SOPInstanceUID = sop_uid
                ds.Modality = modality
                ds.SeriesInstanceUID = series_uid
                ds.SeriesNumber = s + 1
                ds.InstanceNumber = i + 1
                meta = FileMetaDataset()
                meta.MediaStorageSOPClassUID = sop_class
                meta.MediaStorageSOPInstanceUID = sop_uid
                meta.TransferSyntaxUID = syntax
                ds.file_meta = meta
                path = out / f"exam{row:04d}" / f"series{s:02d}" / f"{i:04d}.dcm"
                path.parent.mkdir(parents=True, exist_ok=True)
                dcmwrite(path, ds, enforce_file_format=True)
                written.append(path)
    return written


def _check(exams: pd.DataFrame, charsets: list[str]) -> None:
    problems: list[ValidationProblem] = []
    if len(charsets) != len(exams):
        raise ValueError(f"charset: {len(charsets)} values for {len(exams)} exams")
    for value in set(charsets):
        if value not in _CHARSETS:
            raise ValueError(f"charset {value!r} is not one of {sorted(_CHARSETS)}")
    for exam_id, cs, row in zip(exams["exam_id"], charsets, exams.itertuples(), strict=True):
        name = f"exam_id={exam_id!r}"
        if len(exam_id) > 64 or not _UID.match(exam_id):
            problems.append(ValidationProblem("exams", "exam_id", name, "not a DICOM UID "
                            "(digits and dots, at most 64 characters)"))
        for column in _TEXT_ATTRIBUTES:
            value = getattr(row, column)
            if value is None:
                continue
            try:
                value.encode(_CHARSETS[cs])
            except UnicodeEncodeError:
                problems.append(ValidationProblem("exams", column, name,
                                                  f"cannot be encoded in {cs}"))
    if problems:
        raise TableValidationError(problems)


def _study_dataset(exam, charset: str) -> Dataset:
    ds = Dataset()
    ds.SpecificCharacterSet = charset
    if not pd.isna(exam.study_datetime):
        ds.StudyDate = exam.study_datetime.strftime("%Y%m%d")
        time = exam.study_datetime.strftime("%H%M%S")
        if exam.study_datetime.microsecond:
            time += f".{exam.study_datetime.microsecond:06d}"
        ds.StudyTime = time
    for column, keyword in _TEXT_ATTRIBUTES.items():
        value = getattr(exam, column)
        if value is not None:
            setattr(ds, keyword, value)
    if not pd.isna(exam.birth_date):
        ds.PatientBirthDate = exam.birth_date.strftime("%Y%m%d")
    if exam.sex in ("M", "F", "O"):
        ds.PatientSex = exam.sex
    ds.StudyInstanceUID = exam.exam_id
    return ds


def _latin1(exam) -> bool:
    """Whether every text attribute of the exam can be written in ISO_IR 100 (Latin-1)."""
    try:
        for column in _TEXT_ATTRIBUTES:
            value = getattr(exam, column)
            if value is not None:
                value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def write_sample_directory(
    exams: pd.DataFrame, out_dir: str | os.PathLike[str], *, n_exams: int = 6
) -> list[Path]:
    """Write the ``data_samples/dicom`` demonstration directory from a sample exams table.

    Picks ``n_exams`` exams deterministically (by ``exam_id``: first those whose patient
    name has accented letters, then others, preferring distinct modalities), writes
    them with 2 series x 2 instances, alternating ``ISO_IR 192`` and ``ISO_IR 100``
    (UTF-8 when a text cannot be written in Latin-1),
    and adds two bad files that land in the errors table: ``bad/not_dicom.txt`` (a
    text file) and ``bad/truncated.dcm`` (a DICOM file cut inside its header).

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from radlink.dicom import ingest_dicom
    >>> exams = pd.DataFrame({"exam_id": ["1.2.250.1.9.1", "1.2.250.1.9.2"],
    ...                       "patient_name": ["LEFÈVRE^Zoé", "MARTIN^Paul"], "modality": ["CT", "MR"]})
    >>> out = tempfile.mkdtemp()
    >>> _ = write_sample_directory(exams, out)
    >>> result = ingest_dicom(out)
    >>> result.n_exams, result.errors_by_reason()
    (2, {'not_dicom': 1, 'truncated': 1})
    """
    exams = validate_table(exams, "exams").sort_values("exam_id", kind="stable")
    names = exams["patient_name"].fillna("")
    accented = names.map(lambda s: not s.isascii())
    ordered = pd.concat([exams[accented], exams[~accented]])
    ordered = ordered.assign(_first=~ordered["modality"].duplicated())
    picked = pd.concat([ordered[ordered["_first"]], ordered[~ordered["_first"]]])
    picked = picked.head(n_exams).sort_values("exam_id", kind="stable").drop(columns="_first")
    charsets = ["ISO_IR 192" if k % 2 == 0 or not _latin1(row) else "ISO_IR 100"
                for k, row in enumerate(picked.itertuples(index=False))]
    written = write_header_only_dicom(picked, out_dir, charset=charsets)
    bad = Path(out_dir) / "bad"
    bad.mkdir(parents=True, exist_ok=True)
    text = bad / "not_dicom.txt"
    text.write_text("Compte rendu exporté par erreur dans le dossier DICOM.\n", encoding="utf-8")
    whole = written[0].read_bytes()
    cut = whole.index(picked["exam_id"].iloc[0].encode("ascii")) + 4  # inside the Study UID
    truncated = bad / "truncated.dcm"
    truncated.write_bytes(whole[:cut])
    return [*written, text, truncated]
