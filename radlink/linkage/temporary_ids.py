"""Temporary IPPs: reports and exams carrying an id the registry does not hold meet by it.

An emergency department or an outside centre often files exams and reports under a
temporary id that the patients table (the registry) never holds. The rule, one owner
for both engines, is split as the midnight rule is
(:func:`~radlink.linkage.report_exam.midnight_counts`, then
:func:`~radlink.linkage.report_exam.dates_only_decision`):

* the **summary**, computed on any slice of the exams and merged by concatenation
  (the Spark engine computes it per partition): :func:`temporary_pairs`, the distinct
  ``(carried, patient)`` pairs of the exams linked to a patient while carrying a
  temporary id;
* a second summary from the reports, :func:`report_stay_pairs`: the distinct
  ``(carried, patient)`` of the reports carrying a temporary id and the stay of a
  registered patient (a number retired by an identity merge stays on the reports the
  document store kept, and their stays name the surviving patient), concatenated with
  the first before the decision;
* the **decision**, per temporary id, so that it can run on any slice holding all the
  pairs of the ids it decides (the Spark engine partitions the pairs by id):
  :func:`one_patient_per_temporary_id`, the patient a temporary id stands for when all
  its linked exams went to that one patient;
* two row rules: :func:`unlinked_temporary_keys` (an exam left unlinked under a
  temporary id keeps that id as the key its reports are looked for by, for report→exam
  only) and :func:`reports_via_temporary_ids` (a report carrying a temporary id takes
  the decided patient).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["temporary_pairs", "report_stay_pairs", "one_patient_per_temporary_id", "unlinked_temporary_keys",
           "reports_via_temporary_ids"]

PAIR_COLUMNS: tuple[str, str] = ("carried", "patient")
"""Columns of :func:`temporary_pairs` and of :func:`one_patient_per_temporary_id`."""


def _temporary(ids: np.ndarray, registry: pd.Index) -> np.ndarray:
    """Ids present and not in the registry."""
    return pd.notna(ids) & ~pd.Index(ids, dtype=object).isin(registry)


def _registry_index(registry) -> pd.Index:
    if isinstance(registry, pd.Index):
        return registry
    return pd.Index(pd.Series(registry, dtype=object).dropna().unique(), dtype=object)


def temporary_pairs(carried, status, target, registry) -> pd.DataFrame:
    """The summary: distinct ``(carried, patient)`` of exams linked while carrying a temporary id.

    Parameters
    ----------
    carried : array-like
        Each exam's own ``patient_id`` (as the site wrote it).
    status, target : array-like
        Each exam's exam→patient ``status`` and ``target_id``.
    registry : array-like or pandas.Index
        The registry's ``patient_id`` values.

    Returns
    -------
    pandas.DataFrame
        :data:`PAIR_COLUMNS`, object, distinct, in order of first appearance. The pairs
        of several slices of the exams, concatenated, are those of the whole table once
        made distinct again.

    Examples
    --------
    >>> temporary_pairs(["T1", "T1", "P1", "T2"], ["linked", "linked", "linked", "unlinked"],
    ...                 ["P7", "P7", "P1", None], ["P1", "P7"]).values.tolist()
    [['T1', 'P7']]
    """
    carried = np.asarray(carried, dtype=object)
    linked = _temporary(carried, _registry_index(registry)) & (np.asarray(status, dtype=object) == "linked")
    pairs = pd.DataFrame({"carried": carried[linked],
                          "patient": np.asarray(target, dtype=object)[linked]}, dtype=object)
    return pairs.drop_duplicates().reset_index(drop=True)


def report_stay_pairs(carried, stay_patient, registry) -> pd.DataFrame:
    """The reports' summary: distinct ``(carried, patient)`` of reports carrying a temporary id and a stay
    of a registered patient.

    Parameters
    ----------
    carried : array-like
        Each report's own patient id (an id in another site's format already read as its
        registry patient's).
    stay_patient : array-like
        The patient of the stay each report carries (null without one).
    registry : array-like or pandas.Index
        The registry's ``patient_id`` values.

    Returns
    -------
    pandas.DataFrame
        :data:`PAIR_COLUMNS`, as :func:`temporary_pairs` (the two concatenate).

    Examples
    --------
    >>> report_stay_pairs(["R9", "R9", "P1", "R8", "R7"], ["P7", "P7", "P1", None, "X5"], ["P1", "P7"]).values.tolist()
    [['R9', 'P7']]
    """
    reg = _registry_index(registry)
    carried = np.asarray(carried, dtype=object)
    patient = np.asarray(stay_patient, dtype=object)
    keep = _temporary(carried, reg) & pd.notna(patient) & pd.Index(patient, dtype=object).isin(reg)
    pairs = pd.DataFrame({"carried": carried[keep], "patient": patient[keep]}, dtype=object)
    return pairs.drop_duplicates().reset_index(drop=True)


def one_patient_per_temporary_id(pairs: pd.DataFrame) -> pd.DataFrame:
    """The decision: each temporary id whose linked exams all went to one patient, with that patient.

    ``pairs`` must hold every pair of the ids it decides (distinct or not): an id seen
    with two patients stands for none.

    Examples
    --------
    >>> pairs = pd.DataFrame({"carried": ["T1", "T2", "T2", "T1"], "patient": ["P7", "P1", "P2", "P7"]})
    >>> one_patient_per_temporary_id(pairs).values.tolist()
    [['T1', 'P7']]
    """
    pairs = pairs[list(PAIR_COLUMNS)].drop_duplicates()
    return pairs[~pairs["carried"].duplicated(keep=False)].reset_index(drop=True)


def unlinked_temporary_keys(carried, status, registry) -> np.ndarray:
    """Per exam, the temporary id it carries when it stayed unlinked (else None).

    Report→exam reads such an exam as linked to that key, so that the reports carrying
    the same temporary id find it.

    Examples
    --------
    >>> unlinked_temporary_keys(["T1", "T2", "P1", None], ["linked", "unlinked", "unlinked", "unlinked"],
    ...                         ["P1"]).tolist()
    [None, 'T2', None, None]
    """
    carried = np.asarray(carried, dtype=object)
    alone = _temporary(carried, _registry_index(registry)) & (np.asarray(status, dtype=object) != "linked")
    return np.where(alone, carried, None).astype(object)


def reports_via_temporary_ids(report_patient, decided: pd.DataFrame, registry) -> np.ndarray:
    """Each report's patient, a temporary id replaced by the patient decided for it.

    Examples
    --------
    >>> decided = pd.DataFrame({"carried": ["T1"], "patient": ["P7"]})
    >>> reports_via_temporary_ids(["T1", "T2", "P1", None], decided, ["P1", "P7"]).tolist()
    ['P7', 'T2', 'P1', None]
    """
    rep = np.asarray(report_patient, dtype=object)
    via = decided.set_index("carried")["patient"].reindex(pd.Index(rep, dtype=object)).to_numpy(dtype=object)
    return np.where(_temporary(rep, _registry_index(registry)) & pd.notna(via), via, rep)
