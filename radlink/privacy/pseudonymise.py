"""Keyed pseudonymisation of radlink outputs: ids, dates and report snippets.

Design
------
* Every identifier becomes ``HMAC-SHA256(key, kind + ":" + value)``, written as a prefix
  naming its kind and the first 20 hex digits (80 bits): ``pat_3f2a…``, ``exam_…``. The
  kind is part of the message, so the same raw value used as an exam id and as a report
  id gets two unrelated pseudonyms. Same key, same pseudonyms: runs stay joinable.
* Every date of one patient moves by the same number of days, derived from the key and
  the patient's raw id (uniform over ``min_shift_days <= |shift| <= max_shift_days``: never
  0 nor a few days, from which the real date could be guessed), so intervals between a patient's stays, exams and reports survive.
* Free text kept in outputs goes through :func:`radlink.privacy.deidentify` (the patient's
  names, ids, contact details and addresses become placeholders; dates move by the
  patient's offset): see :mod:`radlink.timeline.pseudonymise`.
* The key is read from a file or from ``RADLINK_PSEUDONYM_KEY``; it is never accepted on
  a command line and never logged or written (the manifest records only a fingerprint
  of it: HMAC of a fixed label, which reveals nothing of the key).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from radlink.errors import PseudonymisationKeyError

__all__ = ["Pseudonymiser", "read_key", "KEY_ENV_VAR", "scrub_text"]

KEY_ENV_VAR = "RADLINK_PSEUDONYM_KEY"
_MIN_KEY_BYTES = 16

def scrub_text(text: str | None) -> str | None:
    """Deprecated: use :func:`radlink.privacy.deidentify`, the one de-identifier of free text.

    Kept for one release; it now calls :func:`~radlink.privacy.deidentify.deidentify`
    without a patient or date shift (dates become ``[DATE]``).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     scrub_text("Patient [NOM: Dupont] vu le 10/04/2020 : nodule de 8 mm")
    'Patient [NOM: [NOM]] vu le [DATE] : nodule de 8 mm'
    """
    import warnings

    from radlink.privacy.deidentify import deidentify

    warnings.warn("scrub_text is deprecated and will be removed in the next release; use "
                  "radlink.privacy.deidentify", DeprecationWarning, stacklevel=2)
    return deidentify(text)


def read_key(key_file: str | Path | None = None) -> bytes:
    """Read the pseudonymisation key from a file, else from ``RADLINK_PSEUDONYM_KEY``.

    Parameters
    ----------
    key_file : path, optional
        File whose content (stripped) is the key. Keep it out of version control.

    Raises
    ------
    PseudonymisationKeyError
        When no key is found or it is shorter than 16 bytes.

    Examples
    --------
    >>> import os
    >>> os.environ["RADLINK_PSEUDONYM_KEY"] = "a-long-enough-secret-key"
    >>> len(read_key())
    24
    """
    if key_file is not None:
        path = Path(key_file)
        if not path.is_file():
            raise PseudonymisationKeyError(f"key file {str(path)!r} not found")
        key = path.read_bytes().strip()
        origin = f"key file {str(path)!r}"
    else:
        value = os.environ.get(KEY_ENV_VAR)
        if not value:
            raise PseudonymisationKeyError(
                f"no pseudonymisation key: give --key-file PATH or set {KEY_ENV_VAR}"
            )
        key = value.strip().encode("utf-8")
        origin = f"environment variable {KEY_ENV_VAR}"
    if len(key) < _MIN_KEY_BYTES:
        raise PseudonymisationKeyError(
            f"the key from {origin} is too short ({len(key)} bytes); use at least {_MIN_KEY_BYTES}"
        )
    return key


class Pseudonymiser:
    """Keyed pseudonyms for ids and per-patient date shifts.

    Parameters
    ----------
    key : bytes
        Secret key (see :func:`read_key`).
    max_shift_days : int, default 365
    min_shift_days : int, default 30
        Dates of a patient move by a number of days whose size lies between these two,
        forward or back.

    Examples
    --------
    >>> p = Pseudonymiser(b"0123456789abcdef-secret")
    >>> p.pseudonym("patient", "800123456") == p.pseudonym("patient", "800123456")
    True
    >>> p.pseudonym("patient", "800123456").startswith("pat_")
    True
    >>> p.pseudonym("exam", "X") != p.pseudonym("report", "X")
    True
    """

    prefixes = {
        "patient": "pat",
        "exam": "exam",
        "report": "rep",
        "stay": "stay",
        "accession": "acc",
        "finding": "fnd",
    }

    def __init__(self, key: bytes, max_shift_days: int = 365, min_shift_days: int = 30):
        if not 1 <= min_shift_days <= max_shift_days:
            raise ValueError("date shifts need 1 <= min_shift_days <= max_shift_days")
        self._key = key
        self.max_shift_days = max_shift_days
        self.min_shift_days = min_shift_days
        self._cache: dict[tuple[str, str], str] = {}  # an id recurs in many outputs

    def __getstate__(self) -> dict:
        """Pickled (sent to Spark's executors in a task) without the memo of pseudonyms, which holds raw ids."""
        return {**self.__dict__, "_cache": {}}

    def __repr__(self) -> str:
        """Never the key: its fingerprint only."""
        return f"Pseudonymiser(fingerprint={self.fingerprint!r})"

    @property
    def fingerprint(self) -> str:
        """A short, non-reversible fingerprint of the key, safe to write in a manifest."""
        return hmac.new(self._key, b"radlink-key-fingerprint", hashlib.sha256).hexdigest()[:12]

    def _digest(self, kind: str, value: str) -> bytes:
        return hmac.digest(self._key, f"{kind}:{value}".encode(), "sha256")

    def pseudonym(self, kind: str, value: str | None) -> str | None:
        """Pseudonym of one id of a given kind (``None`` stays ``None``)."""
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        value = str(value)
        out = self._cache.get((kind, value))
        if out is None:
            if kind not in self.prefixes:
                raise ValueError(f"unknown id kind {kind!r}; expected one of {sorted(self.prefixes)}")
            out = f"{self.prefixes[kind]}_{self._digest(kind, value).hex()[:20]}"
            self._cache[(kind, value)] = out
        return out

    def uid(self, value: str) -> str:
        """A DICOM UID standing for ``value`` under the key: ``2.25.`` and a 128-bit number.

        Deterministic (same key and value, same UID), so studies, series and references
        stay together across files and reruns; at most 44 characters (a UID may hold 64).

        Examples
        --------
        >>> p = Pseudonymiser(b"0123456789abcdef-secret")
        >>> u = p.uid("1.2.840.113619.2.1")
        >>> u.startswith("2.25."), u == p.uid("1.2.840.113619.2.1"), len(u) <= 44
        (True, True, True)
        """
        out = self._cache.get(("uid", value))
        if out is None:
            out = "2.25." + str(int.from_bytes(self._digest("uid", value)[:16], "big"))
            self._cache[("uid", value)] = out
        return out

    def pseudonymise_ids(self, values: pd.Series | Iterable, kind: str) -> pd.Series:
        """Pseudonyms of a column of ids (each distinct value hashed once)."""
        values = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
        uniques = pd.unique(values.dropna())
        table = {v: self.pseudonym(kind, v) for v in uniques}
        return values.map(table).astype(object).where(values.notna(), None)

    def shift_days(self, patient_ids: pd.Series) -> pd.Series:
        """Per-patient date shift in days (0 for a missing patient id)."""
        sizes = self.max_shift_days - self.min_shift_days + 1  # shift sizes on each side
        span = 2 * sizes
        uniques = pd.unique(patient_ids.dropna())
        table = {}
        for v in uniques:
            n = int.from_bytes(self._digest("date-shift", str(v))[:8], "big") % span
            table[v] = (n % sizes + self.min_shift_days) * (1 if n < sizes else -1)
        return patient_ids.map(table).fillna(0).astype("int64")

    def shift_dates(self, dates: pd.Series, patient_ids: pd.Series) -> pd.Series:
        """Shift each date by its patient's offset.

        Examples
        --------
        >>> import pandas as pd
        >>> p = Pseudonymiser(b"0123456789abcdef-secret")
        >>> ids = pd.Series(["P1", "P1"])
        >>> d = pd.Series(pd.to_datetime(["2020-01-01", "2020-01-11"]))
        >>> s = p.shift_dates(d, ids)
        >>> (s.iloc[1] - s.iloc[0]).days, s.iloc[0] != d.iloc[0]
        (10, True)
        """
        shift = pd.to_timedelta(self.shift_days(patient_ids).to_numpy(), unit="D")
        return pd.Series(pd.to_datetime(dates).to_numpy() + shift, index=dates.index)
