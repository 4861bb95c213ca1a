"""Read the header of one DICOM file into an exam header record, or say why it cannot be read.

Representation
--------------
A readable file gives an :class:`InstanceHeader`: the raw text of the attributes that
describe an exam (dates and times still as DICOM ``DA``/``TM`` strings; parsing them is
the study grouping's job, vectorised over all files), already decoded from the file's
character set. A file that cannot give one gives a :class:`HeaderError`, whose
``reason`` is a short code from :data:`ERROR_REASONS` and whose ``detail`` never
quotes a value read from the file (it may name attributes, tags, offsets and sizes).

Only the header is read, and only up to the last attribute radlink needs,
(0038,0010) *Admission ID*: reading stops there, so pixel data (7FE0,0010) and whatever
follows it are never read, and the attributes radlink does not use are skipped without
being decoded (``specific_tags``). A well-formed Part-10 file is read with pydicom's
:func:`~pydicom.filereader.data_element_generator` directly (file meta, then the data
set in its Transfer Syntax), which skips building :class:`~pydicom.dataset.Dataset`
objects; any other file (no preamble, deflated or private Transfer Syntax, a VR that
contradicts the Transfer Syntax, or anything the fast path fails on) goes through
:func:`pydicom.filereader.read_partial` with the same stop condition, with
``force=True`` when the "DICM" prefix is missing, and is then accepted only if it
holds a valid SOP, Study or Series UID. :func:`pydicom.dcmread` with
``stop_before_pixels=True`` would parse and keep every attribute up to the pixel data.

Truncation is detected without reading further: a value read short, a value skipped
past the end of the file, or pydicom's end-of-file warning inside a sequence.

Character sets
--------------
Text is decoded with the character set the file declares in (0008,0005) *Specific
Character Set*, through pydicom's own :func:`pydicom.charset.decode_bytes` (ISO 2022
escape sequences included). A file never fails on its character set: an unknown or
misspelt declaration falls back to pydicom's correction or default, and text that is
not valid in the declared set (or non-ASCII text with no declaration) is decoded as
UTF-8 when it is valid UTF-8, else as Latin-1. Each fallback adds a ``"charset"``
entry to the record's ``warnings``.
"""

from __future__ import annotations

import os
import re
import warnings
import zlib
from functools import lru_cache
from typing import NamedTuple

from pydicom.charset import convert_encodings, decode_bytes
from pydicom.errors import InvalidDicomError
from pydicom.filereader import data_element_generator, read_partial
from pydicom.uid import (
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    PrivateTransferSyntaxes,
)
from pydicom.valuerep import TEXT_VR_DELIMS

__all__ = [
    "InstanceHeader",
    "HeaderError",
    "ERROR_REASONS",
    "read_instance_header",
]

ERROR_REASONS: dict[str, str] = {
    "empty": "the file is empty (0 bytes)",
    "unreadable": "the file could not be opened or read (permissions, I/O error)",
    "not_dicom": "not a DICOM file: no 'DICM' prefix and no DICOM data set at its start",
    "truncated": "the file ends inside the header, before the attributes radlink reads",
    "malformed": "pydicom could not parse the header (corrupt lengths or encoding)",
    "dicomdir": "a DICOMDIR (media directory), not an image or document of a study",
    "no_study_uid": "a DICOM file without (0020,000D) Study Instance UID",
    "inflates_too_much": "a deflated data set that expands beyond the limit (a zip bomb?): not read",
    "reader_error": "radlink itself failed on this file (a bug: please report it)",
}
"""Reason code -> what it means, for every file that is not counted in a study."""

# The attributes read, in tag order; reading stops after the last one.
_SPECIFIC_CHARACTER_SET = 0x00080005  # (0008,0005) Specific Character Set
_TAGS: dict[int, str] = {
    0x00080016: "sop_class_uid",  # (0008,0016) SOP Class UID
    0x00080018: "sop_instance_uid",  # (0008,0018) SOP Instance UID
    0x00080020: "study_date",  # (0008,0020) Study Date, DA
    0x00080030: "study_time",  # (0008,0030) Study Time, TM
    0x00080050: "accession_number",  # (0008,0050) Accession Number
    0x00080060: "modality",  # (0008,0060) Modality
    0x00080080: "institution",  # (0008,0080) Institution Name
    0x00081030: "study_description",  # (0008,1030) Study Description
    0x00081040: "unit",  # (0008,1040) Institutional Department Name
    0x00100010: "patient_name",  # (0010,0010) Patient's Name, PN
    0x00100020: "patient_id",  # (0010,0020) Patient ID
    0x00100030: "birth_date",  # (0010,0030) Patient's Birth Date, DA
    0x00100040: "sex",  # (0010,0040) Patient's Sex
    0x00180015: "body_part",  # (0018,0015) Body Part Examined
    0x0020000D: "study_uid",  # (0020,000D) Study Instance UID
    0x0020000E: "series_uid",  # (0020,000E) Series Instance UID
    0x00380010: "admission_id",  # (0038,0010) Admission ID
}
_LAST_TAG_LT = max(_TAGS).__lt__  # _LAST_TAG_LT(tag): tag is past the last one read
_SPECIFIC_TAGS = [_SPECIFIC_CHARACTER_SET, *_TAGS]
_TEXT_FIELDS = frozenset(
    _TAGS[t] for t in (0x00080050, 0x00080080, 0x00081030, 0x00081040, 0x00100010, 0x00100020,
                       0x00380010)
)  # LO, SH and PN: may hold non-ASCII text; the others are ASCII by their VR.
_FIELDS = tuple(_TAGS.values())
_MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002  # (0002,0002) Media Storage SOP Class UID
_TRANSFER_SYNTAX_UID = 0x00020010  # (0002,0010) Transfer Syntax UID
# Transfer Syntax -> (implicit VR, little endian) of the data set; None: read_partial
# handles it. Any other (encapsulated: JPEG, RLE...) is explicit VR little endian.
_ENCODING_OF_SYNTAX: dict[bytes, tuple[bool, bool] | None] = {
    ImplicitVRLittleEndian.encode(): (True, True),
    ExplicitVRLittleEndian.encode(): (False, True),
    ExplicitVRBigEndian.encode(): (False, False),
    DeflatedExplicitVRLittleEndian.encode(): None,
    **{uid.encode(): None for uid in PrivateTransferSyntaxes},
}
_DICOMDIR_SOP_CLASS = b"1.2.840.10008.1.3.10"  # Media Storage Directory Storage
_UNDEFINED_LENGTH = 0xFFFFFFFF
_ESC = 0x1B
_DEFLATED = str(DeflatedExplicitVRLittleEndian)
_UID_TAGS = frozenset({0x00080016, 0x00080018, 0x0020000D, 0x0020000E})  # SOP, study, series
_UID = re.compile(r"^[0-9]+(\.[0-9]+)*$")
# Groups a data set may start with when the 128-byte preamble and "DICM" are missing:
# command (0000), file meta (0002), identifying (0008).
_FIRST_GROUPS = frozenset({0x0000, 0x0002, 0x0008})


class InstanceHeader(NamedTuple):
    """What one DICOM file says about its exam: decoded text, ``None`` when absent.

    Dates (``study_date``, ``birth_date``) and the time (``study_time``) are the raw
    DICOM ``DA``/``TM`` strings. ``warnings`` holds ``(code, detail)`` pairs for
    problems that did not stop the file from being read.
    """

    study_uid: str
    series_uid: str | None
    sop_instance_uid: str | None
    sop_class_uid: str | None
    modality: str | None
    accession_number: str | None
    patient_id: str | None
    patient_name: str | None
    birth_date: str | None
    sex: str | None
    study_date: str | None
    study_time: str | None
    study_description: str | None
    body_part: str | None
    institution: str | None
    unit: str | None
    admission_id: str | None
    warnings: tuple[tuple[str, str], ...] = ()


class HeaderError(NamedTuple):
    """Why a file gives no exam header: a code of :data:`ERROR_REASONS` and a detail.

    The detail names attributes, tags, offsets or exception types, never a value read
    from the file.
    """

    reason: str
    detail: str


def read_instance_header(path: str | os.PathLike[str]) -> InstanceHeader | HeaderError:
    """Read the exam attributes of one DICOM file, never its pixel data.

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    InstanceHeader or HeaderError
        The decoded attributes, or why the file gives none. Never raises: should
        radlink itself fail on a file, the reason is ``"reader_error"``.

    Examples
    --------
    >>> import pathlib, pydicom
    >>> ct = pathlib.Path(pydicom.__file__).parent / "data" / "test_files" / "CT_small.dcm"
    >>> header = read_instance_header(ct)
    >>> header.modality, header.study_date, header.study_uid[:16]
    ('CT', '20040119', '1.3.6.1.4.1.5962')
    >>> readme = ct.parent / "README.txt"
    >>> read_instance_header(readme).reason
    'not_dicom'
    """
    try:
        with open(path, "rb") as fp:
            size = os.fstat(fp.fileno()).st_size
            if size == 0:
                return HeaderError("empty", "the file is empty (0 bytes)")
            return _read(fp, size)
    except OSError as exc:
        return HeaderError("unreadable", f"could not read the file ({type(exc).__name__}, "
                                         f"errno {exc.errno})")
    except Exception as exc:  # noqa: BLE001 - one file must not stop a nightly batch
        return HeaderError("reader_error", f"radlink failed on this file "
                                           f"({type(exc).__name__}); please report it")


class _Parsed(NamedTuple):
    elements: list  # RawDataElement of the tags read (plus Specific Character Set)
    media_sop_class: object  # (0002,0002) value, bytes or str, or None
    forced: bool  # read without the preamble and "DICM"
    stopped: bool  # reading stopped past the last tag (so not at the end of the file)
    in_file: bool  # elements were read from the file itself (not a deflated buffer)


def _read(fp, size: int) -> InstanceHeader | HeaderError:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            parsed = _read_fast(fp)
        except Exception:  # noqa: BLE001 - let pydicom's own reader decide
            parsed = None
        try:
            if parsed is None:
                del caught[:]
                parsed = _read_with_pydicom(fp)
        except (EOFError, zlib.error):
            return HeaderError("truncated", "the file ends inside the header")
        except Exception as exc:  # noqa: BLE001 - pydicom raises many types on corrupt input
            return HeaderError("malformed", f"pydicom could not parse the header "
                                            f"({type(exc).__name__})")
    if isinstance(parsed, HeaderError):
        return parsed
    if parsed.forced and not _has_a_uid(parsed.elements):
        return _NOT_DICOM_FORCED
    if any(_is_eof_warning(w.message) for w in caught):
        return HeaderError("truncated", "the file ends inside a sequence of the header")
    # A value skipped past the end leaves the file position beyond it; a value read
    # short is shorter than its declared length.
    if parsed.in_file and not parsed.stopped and fp.tell() > size:
        return HeaderError("truncated", f"the file ({size} bytes) ends inside an element")
    for elem in parsed.elements:
        value = elem.value
        length = getattr(elem, "length", _UNDEFINED_LENGTH)  # converted elements: no length
        if length != _UNDEFINED_LENGTH and isinstance(value, bytes) and len(value) < length:
            tag = int(elem.tag)
            return HeaderError("truncated", f"the file ({size} bytes) ends inside element "
                                            f"({tag >> 16:04X},{tag & 0xFFFF:04X})")
    return _header_of(parsed)


MAX_INFLATED_BYTES = 64 * 2**20
"""Largest deflated data set read: pydicom inflates it whole in memory, headers need little."""


def _inflates_beyond(fp, limit: int) -> bool:
    """Whether the raw deflate stream from the file position on expands beyond ``limit`` bytes.

    Inflates in bounded steps (never more than ``limit`` bytes in memory at once), then
    goes back to where it started.
    """
    start = fp.tell()
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    total = 0
    try:
        while chunk := fp.read(2**20):
            while chunk:
                total += len(inflater.decompress(chunk, limit + 1 - total))
                if total > limit:
                    return True
                chunk = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        return False  # not a valid stream: let the reader report it
    finally:
        fp.seek(start)
    return False


def _read_fast(fp) -> _Parsed | HeaderError | None:
    """Read a well-formed Part-10 file with pydicom's element generator; ``None`` otherwise.

    Skips the :class:`~pydicom.dataset.Dataset` objects that :func:`read_partial`
    builds (most of its cost on small headers). Anything unusual (no "DICM", no or a
    deflated or private Transfer Syntax, a command set, a VR that contradicts the
    Transfer Syntax) returns ``None`` and the caller uses :func:`read_partial`.
    """
    head = fp.read(132)
    if len(head) < 132 or head[128:] != b"DICM":
        return None
    meta = {int(e.tag): e.value for e in data_element_generator(
        fp, False, True, stop_when=_not_group_0002)}
    syntax = meta.get(_TRANSFER_SYNTAX_UID)
    if not isinstance(syntax, bytes):
        return None
    if syntax.rstrip(b"\x00 ") == _DEFLATED.encode() and _inflates_beyond(fp, MAX_INFLATED_BYTES):
        return HeaderError("inflates_too_much", f"the deflated data set expands beyond "
                                                f"{MAX_INFLATED_BYTES // 2**20} MiB")
    encoding = _ENCODING_OF_SYNTAX.get(syntax.rstrip(b"\x00 "), (False, True))
    if encoding is None:
        return None
    implicit, little = encoding
    start = fp.tell()
    peek = fp.read(6)
    if len(peek) == 6:
        group = int.from_bytes(peek[:2], "little" if little else "big")
        explicit_looking = peek[4:6].isalpha() and peek[4:6].isupper()
        if group == 0x0000 or explicit_looking == implicit:
            return None
    fp.seek(start)
    stopped = []

    def stop_when(tag: int, vr: str | None, length: int) -> bool:
        if _LAST_TAG_LT(tag):  # int comparison: BaseTag's own operators are slower
            stopped.append(tag)
            return True
        return False

    elements = list(data_element_generator(fp, implicit, little, stop_when,
                                           specific_tags=_SPECIFIC_TAGS))
    return _Parsed(elements, meta.get(_MEDIA_STORAGE_SOP_CLASS_UID), False, bool(stopped), True)


def _read_with_pydicom(fp) -> _Parsed | HeaderError:
    """Read any other file with :func:`pydicom.filereader.read_partial` (``force`` if needed)."""
    stopped = []

    def stop_when(tag: int, vr: str | None, length: int) -> bool:
        if _LAST_TAG_LT(tag):
            stopped.append(tag)
            return True
        return False

    forced = False
    fp.seek(0)
    try:
        ds = read_partial(fp, stop_when, specific_tags=_SPECIFIC_TAGS)
    except InvalidDicomError:
        fp.seek(0)
        if not _starts_like_a_data_set(fp.read(8)):
            return HeaderError("not_dicom", "no 'DICM' prefix at byte 128 and no "
                                            "DICOM data set at the start of the file")
        fp.seek(0)
        forced = True
        try:
            ds = read_partial(fp, stop_when, force=True, specific_tags=_SPECIFIC_TAGS)
        except Exception:  # noqa: BLE001 - without "DICM", a parse failure means not DICOM
            return _NOT_DICOM_FORCED
    syntax = ds.file_meta.get_item(_TRANSFER_SYNTAX_UID)
    deflated = syntax is not None and str(syntax.value).strip("\x00 ") == _DEFLATED
    media = ds.file_meta.get_item(_MEDIA_STORAGE_SOP_CLASS_UID)
    return _Parsed([e for _, e in ds.items()], getattr(media, "value", None), forced,
                   bool(stopped), not deflated)


_NOT_DICOM_FORCED = HeaderError("not_dicom", "no 'DICM' prefix at byte 128, and what reads "
                                "as a data set without it holds no valid DICOM UID")


def _has_a_uid(elements: list) -> bool:
    """Whether a data set read without "DICM" holds a valid SOP, Study or Series UID."""
    for elem in elements:
        if int(elem.tag) in _UID_TAGS and isinstance(elem.value, bytes):
            text = elem.value.decode("ascii", errors="replace").strip("\x00 ")
            if len(text) <= 64 and _UID.match(text):
                return True
    return False


def _not_group_0002(tag: int, vr: str | None, length: int) -> bool:
    return (tag >> 16) != 2


def _header_of(parsed: _Parsed) -> InstanceHeader | HeaderError:
    found: dict[str, bytes] = {}
    declared = None
    for elem in parsed.elements:
        tag = int(elem.tag)
        if tag == _SPECIFIC_CHARACTER_SET:
            declared = elem.value
            continue
        name = _TAGS.get(tag)
        value = elem.value
        if name is not None and value and isinstance(value, bytes):
            found[name] = value
    notes: list[tuple[str, str]] = []
    encodings, note = _encodings_of(declared)
    if note is not None:
        notes.append(("charset", note))
    values: dict[str, str | None] = dict.fromkeys(_FIELDS)
    for name, value in found.items():
        if name in _TEXT_FIELDS:
            values[name] = _decode_text(value, encodings, name, notes)
        else:
            values[name] = _ascii(value)

    if values["study_uid"] is None:
        if _is_dicomdir(parsed.media_sop_class):
            return HeaderError("dicomdir", "a DICOMDIR (Media Storage Directory), not an "
                                           "instance of a study")
        return HeaderError("no_study_uid", "no (0020,000D) Study Instance UID in the header")
    if values["patient_name"] is not None:
        values["patient_name"] = _tidy_person_name(values["patient_name"])
    return InstanceHeader(**values, warnings=tuple(notes))


def _starts_like_a_data_set(first: bytes) -> bool:
    """Whether the first bytes look like the first element of a data set (no preamble)."""
    if len(first) < 8:
        return False
    little = int.from_bytes(first[:2], "little")
    big = int.from_bytes(first[:2], "big")
    return little in _FIRST_GROUPS or big in _FIRST_GROUPS


def _is_eof_warning(message: Warning | str) -> bool:
    text = str(message)
    return "End of file" in text or "EOF" in text


def _is_dicomdir(media_sop_class: object) -> bool:
    if isinstance(media_sop_class, bytes):
        return media_sop_class.rstrip(b"\x00 ") == _DICOMDIR_SOP_CLASS
    return str(media_sop_class or "").rstrip("\x00 ") == _DICOMDIR_SOP_CLASS.decode()


def _ascii(value: bytes) -> str | None:
    # UI, CS, DA, TM: padded with NUL or spaces; any whitespace is stripped, as
    # radlink.tables strips ids (two UIDs differing by a tab must not collide later).
    text = value.decode("ascii", errors="replace").strip("\x00 \t\r\n\f\v")
    return text or None


def _encodings_of(value: object) -> tuple[tuple[str, ...], str | None]:
    # pydicom converts (0008,0005) while reading: a str, a list of str, or raw bytes.
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="replace")
    elif value is not None and not isinstance(value, str):
        value = "\\".join(str(v) for v in value)
    return _python_encodings(value or "")


@lru_cache(maxsize=256)
def _python_encodings(declared: str) -> tuple[tuple[str, ...], str | None]:
    """Python encodings for a (0008,0005) value, and a note if it had to be corrected."""
    terms = [t.strip(" \x00") for t in declared.split("\\")]
    if not any(terms):
        return ("",), None  # "" = nothing declared: ASCII, with a UTF-8/Latin-1 fallback
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            encodings = convert_encodings(terms if len(terms) > 1 else terms[0])
        except Exception:  # noqa: BLE001 - any failure: fall back to the default
            return ("",), "unusable Specific Character Set; text decoded as ASCII/UTF-8/Latin-1"
    note = None
    if caught:
        shown = "\\".join(terms)[:64]
        note = f"Specific Character Set {shown!r} corrected by pydicom ({caught[0].message})"
        note = note[:200]
    return tuple(encodings), note


def _decode_text(
    value: bytes, encodings: tuple[str, ...], name: str, notes: list[tuple[str, str]]
) -> str | None:
    value = value.rstrip(b"\x00 ")
    if not value:
        return None
    if value.isascii() and _ESC not in value:
        text = value.decode("ascii")
    elif encodings[0] == "":
        text = _fallback(value)
        notes.append(("charset", f"{name}: non-ASCII text without Specific Character Set; "
                                 f"decoded as {_fallback_name(value)}"))
    elif _ESC not in value:
        try:
            text = value.decode(encodings[0])
        except (UnicodeDecodeError, LookupError):
            text = _fallback(value)
            notes.append(("charset", f"{name}: not valid in the declared character set "
                                     f"{encodings[0]!r}; decoded as {_fallback_name(value)}"))
    else:  # ISO 2022 code extensions: pydicom's decoder
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            text = decode_bytes(value, list(encodings), TEXT_VR_DELIMS)
        if caught:
            notes.append(("charset", f"{name}: escape sequences not matching the declared "
                                     "character sets; replacement characters used"))
    text = text.strip("\x00 ")
    return text or None


def _fallback(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def _fallback_name(value: bytes) -> str:
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return "Latin-1"
    return "UTF-8"


def _tidy_person_name(name: str) -> str | None:
    """Drop empty trailing components: ``"DOE^JOHN^^^"`` -> ``"DOE^JOHN"``."""
    groups = [g.rstrip("^ ") for g in name.split("=")]
    while groups and not groups[-1]:
        groups.pop()
    return "=".join(groups) or None
