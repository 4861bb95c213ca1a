"""Placeholder accession numbers: one value carried by the exams and reports of many patients.

An accession number names one exam order, so it is carried by one patient's exam and
its reports (and addenda). Sites also write a placeholder where they have none ("0",
"000000", "INCONNU", a default of the RIS): that value is shared by hundreds of
patients and says nothing about which exam a report describes. Such a value is no
accession number: report→exam linkage ignores it (the report is linked on patient, time
and modality instead), and so does the Spark engine's grouping of connected patients
(:mod:`radlink.spark.groups`), which would otherwise glue those patients into one
giant group.

The decision is made once, on the whole tables, by count: a value carried by more than
``LinkageSettings.accession_max_patients`` distinct patients (the exam's resolved
patient, the report's own) is a placeholder. Both engines make it the same way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["placeholder_accessions", "without_accessions"]


def placeholder_accessions(accessions, patients, *, max_patients: int) -> np.ndarray:
    """Accession numbers carried by more than ``max_patients`` distinct patients, sorted.

    Parameters
    ----------
    accessions, patients : array-like
        One accession number and one patient id per exam or report (either may be null;
        rows without a patient do not count).
    max_patients : int
        Most distinct patients a real accession number is shared by.

    Examples
    --------
    >>> placeholder_accessions(["0", "0", "0", "A1", "A1", None], ["P1", "P2", "P3", "P1", "P2", "P4"],
    ...                        max_patients=2).tolist()
    ['0']
    """
    # Integer codes, not strings: distinct (accession, patient) pairs are distinct integers. Only a
    # value on more than max_patients rows with a patient can have that many patients: the others
    # (every real accession number) are ruled out first.
    patients = np.asarray(patients, dtype=object)
    acc_codes, acc_values = pd.factorize(pd.Series(np.asarray(accessions, dtype=object), dtype=object))
    counted = (acc_codes >= 0) & pd.notna(patients)
    busy = np.bincount(acc_codes[counted], minlength=len(acc_values)) > max_patients
    rows = np.flatnonzero(counted & busy[np.maximum(acc_codes, 0)]) if len(acc_values) else acc_codes[:0]
    if not len(rows):
        return np.zeros(0, dtype=object)
    pat_codes, pat_values = pd.factorize(pd.Series(patients[rows], dtype=object))
    pairs = np.unique(acc_codes[rows].astype(np.int64) * max(len(pat_values), 1) + pat_codes)
    counts = np.bincount(pairs // max(len(pat_values), 1), minlength=len(acc_values))
    return np.sort(np.asarray(acc_values, dtype=object)[counts > max_patients])


def without_accessions(table: pd.DataFrame, values: np.ndarray) -> pd.DataFrame:
    """``table`` with the accession numbers in ``values`` made null (the table itself when none).

    Examples
    --------
    >>> t = pd.DataFrame({"accession_number": ["0", "A1", None]})
    >>> without_accessions(t, np.array(["0"], dtype=object))["accession_number"].tolist()
    [None, 'A1', None]
    """
    if not len(values):
        return table
    acc = table["accession_number"].to_numpy(dtype=object)
    drop = pd.Series(acc, dtype=object).isin(set(values)).to_numpy() | pd.isna(acc)
    kept = np.where(drop, None, acc)
    out = table.copy(deep=False)
    out["accession_number"] = pd.Series(kept, index=table.index, dtype=object)
    return out
