"""Every reader of a user's file, fed arbitrary bytes: a clear RadlinkError or a valid result.

Property-based (hypothesis): random bytes, text in the encodings and separators French
tools write, and real files cut short or with bytes flipped. Any exception other than
a :class:`radlink.errors.RadlinkError` (a bare ``UnicodeDecodeError``, ``KeyError``,
pyarrow's own errors...) fails the test. The DICOM header reader never raises at all:
it returns the file's header or the reason it has none.
"""

from __future__ import annotations

import pathlib
import tempfile

import pandas as pd
import pydicom
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radlink.dataset import load_column_mapping, load_dataset
from radlink.dicom.header import HeaderError, InstanceHeader, read_instance_header
from radlink.errors import RadlinkError
from radlink.privacy.opposition import read_opposition
from radlink.privacy.pseudonymise import read_key
from radlink.readers import read_table
from radlink.redcap.dictionary import DataDictionary, read_dictionary
from radlink.redcap.mapping import PrefillMapping, read_mapping

SAMPLE = pathlib.Path(__file__).resolve().parents[1] / "data_samples"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# CSV-ish text: separators, quotes, line ends, BOM, accents, digits and letters
_CSV_CHARS = st.sampled_from(list(",;\t|\"'\n\r ") + ["\ufeff", "é", "È", "ç", "^", "#", "=", "[", "]"]
                             + list("abcxyzAB019_-:."))
csv_text = st.lists(_CSV_CHARS, max_size=300).map("".join)
encoded_text = st.tuples(csv_text, st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])).map(
    lambda te: te[0].encode(te[1], errors="replace"))
any_bytes = st.one_of(st.binary(max_size=600), encoded_text)


def _file(data: bytes, name: str) -> pathlib.Path:
    path = pathlib.Path(tempfile.mkdtemp(prefix="radlink-fuzz-")) / name
    path.write_bytes(data)
    return path


def _damaged(original: bytes, cut: int, flips: list[tuple[int, int]]) -> bytes:
    data = bytearray(original[: max(0, min(cut, len(original)))] if cut >= 0 else original)
    for at, value in flips:
        if data:
            data[at % len(data)] = value
    return bytes(data)


damage = st.tuples(st.integers(-1, 4000), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)),
                                                    max_size=8))


def _table_or_radlink_error(read, path: pathlib.Path):
    try:
        out = read(path)
    except RadlinkError:
        return None
    return out


@FUZZ
@given(data=any_bytes)
def test_csv_table(data):
    df = _table_or_radlink_error(read_table, _file(data, "exams.csv"))
    if df is not None:
        assert isinstance(df, pd.DataFrame)
        assert all(isinstance(c, str) for c in df.columns)
        for col in df.columns:
            assert all(v is None or isinstance(v, str) for v in df[col].tolist()
                       if not (isinstance(v, float) and v != v))


_PARQUET = (SAMPLE / "patients.parquet").read_bytes()


@FUZZ
@given(data=st.one_of(st.binary(max_size=600), damage.map(lambda d: _damaged(_PARQUET, *d))))
def test_parquet_table(data):
    df = _table_or_radlink_error(read_table, _file(data, "patients.parquet"))
    assert df is None or isinstance(df, pd.DataFrame)


@FUZZ
@given(data=any_bytes, suffix=st.sampled_from([".txt", ".csv", ".parquet"]))
def test_opposition_list(data, suffix):
    ids = _table_or_radlink_error(read_opposition, _file(data, "opposition" + suffix))
    assert ids is None or (isinstance(ids, frozenset) and all(isinstance(i, str) and i for i in ids))


@FUZZ
@given(data=any_bytes)
def test_key_file(data):
    key = _table_or_radlink_error(read_key, _file(data, "key"))
    assert key is None or (isinstance(key, bytes) and len(key) >= 16)


_TOML = st.lists(st.sampled_from(["[reports]", "[exams]\n", "text = ", '"note_text"', "'x'", "\n", " = ", "[[a]]",
                                  "report_id", "{", "}", "1", "é", "\ufeff", "#", "[", '"']), max_size=40).map("".join)


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), _TOML.map(str.encode)))
def test_column_mapping_toml(data):
    mapping = _table_or_radlink_error(load_column_mapping, _file(data, "site.toml"))
    assert mapping is None or isinstance(mapping, dict)


_DICTIONARY = (SAMPLE / "redcap" / "lung_pet_dictionary.csv").read_bytes()
_MAPPING = (SAMPLE / "redcap" / "lung_pet_map.toml").read_bytes()


@FUZZ
@given(data=st.one_of(any_bytes, damage.map(lambda d: _damaged(_DICTIONARY, *d))))
def test_redcap_dictionary(data):
    dd = _table_or_radlink_error(read_dictionary, _file(data, "dictionary.csv"))
    assert dd is None or isinstance(dd, DataDictionary)


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), _TOML.map(str.encode), damage.map(lambda d: _damaged(_MAPPING, *d))))
def test_redcap_mapping(data):
    m = _table_or_radlink_error(read_mapping, _file(data, "map.toml"))
    assert m is None or isinstance(m, PrefillMapping)


_CT = (pathlib.Path(pydicom.__file__).parent / "data" / "test_files" / "CT_small.dcm").read_bytes()


@FUZZ
@given(data=st.one_of(st.binary(max_size=600), damage.map(lambda d: _damaged(_CT, *d)),
                      st.binary(max_size=300).map(lambda b: b"\0" * 128 + b"DICM" + b)))
def test_dicom_header_never_raises(data):
    out = read_instance_header(_file(data, "image.dcm"))
    assert isinstance(out, (InstanceHeader, HeaderError))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=any_bytes, table=st.sampled_from(["patients", "stays", "exams", "reports"]))
def test_dataset_folder_with_one_arbitrary_table(data, table):
    folder = pathlib.Path(tempfile.mkdtemp(prefix="radlink-fuzz-"))
    for name in ("patients", "stays", "exams", "reports"):
        if name == table:
            (folder / f"{name}.csv").write_bytes(data)
        else:
            pd.read_parquet(SAMPLE / f"{name}.parquet").head(5).to_parquet(folder / f"{name}.parquet")
    ds = _table_or_radlink_error(load_dataset, folder)
    assert ds is None or isinstance(getattr(ds, table), pd.DataFrame)


def test_a_good_csv_still_reads():  # the property above must not pass by refusing everything
    df = read_table(_file("patient_id;family_name\r\n007;Hélène\r\n".encode("cp1252"), "p.csv"))
    assert df.to_dict("list") == {"patient_id": ["007"], "family_name": ["Hélène"]}
    assert isinstance(read_instance_header(_file(_CT, "ct.dcm")), InstanceHeader)
    with pytest.raises(RadlinkError):
        read_table(_file(_PARQUET[:100], "cut.parquet"))
    assert read_opposition(_file(b"\xef\xbb\xbf800000001\n", "o.txt")) == frozenset({"800000001"})
