"""De-identification of a reports table: its ``text`` and ``title``, patient by patient."""

from __future__ import annotations

import pandas as pd

from radlink.errors import TableValidationError, ValidationProblem
from radlink.privacy.deidentify import Deidentifier, identities_from_tables
from radlink.privacy.pseudonymise import Pseudonymiser
from radlink.tables import none_for_missing

__all__ = ["deidentify_reports"]


def _require(df: pd.DataFrame, table: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise TableValidationError([
            ValidationProblem(table, c, "all rows", "required column is missing "
                              f"(columns found: {', '.join(map(str, df.columns))})")
            for c in missing])


def deidentify_reports(reports: pd.DataFrame, patients: pd.DataFrame | None = None,
                       exams: pd.DataFrame | None = None, key: bytes | None = None):
    """De-identify the ``text`` and ``title`` of a reports table.

    Parameters
    ----------
    reports : pandas.DataFrame
        Reports table with ``report_id`` and ``text`` (``patient_id`` and ``title`` used
        when present).
    patients, exams : pandas.DataFrame, optional
        Canonical tables whose names and ids are removed from each patient's reports.
    key : bytes, optional
        Pseudonymisation key: dates move by the patient's offset
        (:meth:`~radlink.privacy.pseudonymise.Pseudonymiser.shift_days`); without a key,
        or for a report without patient, dates become ``[DATE]``.

    Returns
    -------
    out : pandas.DataFrame
        The table, ``text`` and ``title`` replaced.
    counts : collections.Counter
        Replacements by kind.

    Examples
    --------
    >>> import pandas as pd
    >>> reports = pd.DataFrame({"report_id": ["R1"], "patient_id": ["P1"],
    ...                         "title": ["TEP du 02/03/2021"], "text": ["Dr Paul Durand."]})
    >>> out, counts = deidentify_reports(reports)
    >>> out[["title", "text"]].values.tolist(), sorted(counts.items())
    ([['TEP du [DATE]', 'Dr [NOM].']], [('date', 1), ('name', 1)])
    """
    _require(reports, "reports", ("report_id", "text"))
    if patients is not None:
        _require(patients, "patients", ("patient_id",))
    if exams is not None:
        _require(exams, "exams", ("patient_id",))
    if key is not None and "patient_id" not in reports.columns:
        _require(reports, "reports", ("patient_id",))
    identities = identities_from_tables(patients, exams)
    if "patient_id" in reports.columns:
        keys = pd.Series([None if pd.isna(v) else str(v).strip() for v in reports["patient_id"]],
                         index=reports.index, dtype=object)
    else:
        keys = pd.Series([None] * len(reports), index=reports.index, dtype=object)
    shifts = None
    if key is not None:
        days = Pseudonymiser(key).shift_days(keys).astype(object)
        shifts = days.where(keys.notna(), None)  # no patient: [DATE], never an unshifted date
    d = Deidentifier()
    out = reports.copy()
    counts = d.counts
    for column in ("text", "title"):
        if column in out.columns:
            out[column] = d.deidentify_series(out[column].astype(object), keys, identities, shifts)
    return none_for_missing(out), counts
