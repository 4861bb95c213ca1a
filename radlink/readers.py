"""Reading input files as sites export them: parquet, and CSV in its French varieties.

One reader for every input table (the dataset's four tables, opposition lists, a
reports file given to ``radlink extract``): what is detected and how is said once, here.
"""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import pandas as pd

from radlink.errors import DatasetNotFoundError, InputFileError

__all__ = ["read_table"]

_SEPARATORS = (",", ";", "\t", "|")
_ENCODINGS = ("utf-8-sig", "cp1252")  # UTF-8 (with or without BOM), else Windows-1252 (a latin-1 superset)


def read_table(path: str | Path, *, encoding: str | None = None, sep: str | None = None) -> pd.DataFrame:
    r"""Read a parquet or CSV file as it is (ids kept as text in CSV).

    CSV files are read with every column as string, so that an IPP keeps its leading
    zeros; types are coerced later by :func:`radlink.tables.validate_table`. What French
    tools export is read without options: UTF-8 with or without a byte-order mark, else
    Windows-1252 / latin-1; ``,``, ``;``, tab or ``|`` separators (the header line
    tells); a separator ending every line. How the file was read is kept in
    ``df.attrs["read_as"]``.

    Parameters
    ----------
    path : path
        A ``.parquet`` or ``.csv`` file.
    encoding, sep : str, optional
        Force the CSV encoding or separator instead of detecting them.

    Raises
    ------
    InputFileError
        For a truncated or corrupt parquet file, a CSV that no encoding decodes, or a
        row with more fields than the header (named by its line number).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "patients.csv"
    >>> _ = f.write_bytes("patient_id;family_name;\n007;Hélène;\n".encode("cp1252"))
    >>> df = read_table(f)
    >>> df.to_dict("list"), df.attrs["read_as"]
    ({'patient_id': ['007'], 'family_name': ['Hélène']}, {'encoding': 'cp1252', 'separator': ';'})
    """
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        try:
            return pd.read_parquet(path)
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            raise InputFileError(f"{str(path)!r} is not a readable parquet file (truncated or corrupt?): "
                                 f"{type(exc).__name__}") from None
    if path.suffix.lower() != ".csv":
        raise DatasetNotFoundError(f"{str(path)!r}: expected a .parquet or .csv file")
    raw = path.read_bytes()
    text, used = _decode(raw, path, encoding)
    header = text.split("\n", 1)[0]
    sep = sep or max(_SEPARATORS, key=header.count)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        try:
            df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                             na_values=[""], index_col=False)
        except pd.errors.ParserError as exc:
            line = re.search(r"line (\d+)", str(exc))
            where = f"line {line.group(1)}" if line else "a line"
            raise InputFileError(f"{str(path)!r}: {where} has more fields than the header "
                                 f"(separator {sep!r})") from None
    if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
        raise InputFileError(f"{str(path)!r}: some lines have more fields than the header "
                             f"(separator {sep!r}); fix the export")
    # "a;b;" as header: the trailing separator names an empty column
    empty = [c for c in df.columns if str(c).startswith("Unnamed: ") and df[c].isna().all()]
    df = df.drop(columns=empty)
    df.attrs["read_as"] = {"encoding": used, "separator": sep}
    return df


def _decode(raw: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    """The text of a CSV file and the encoding that decoded it."""
    for candidate in (encoding,) if encoding else _ENCODINGS:
        try:
            text = raw.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
        used = "utf-8" if candidate == "utf-8-sig" else candidate
        return text, used
    raise InputFileError(f"{str(path)!r}: cannot be decoded as {encoding or ' or '.join(_ENCODINGS)}")
