"""Groups of rows that the report and stay linkers must see together.

Report → exam pairs meet through a patient (the exam's resolved patient, the report's
own) or an accession number; stays meet exams and reports through a patient. The
connected components of the graph whose nodes are patients and accession numbers and
whose edges are the exams and reports (each joins its patient to its accession
number) are closed: no candidate, accession match or one-to-one choice crosses them.
Components are packed into ``n_groups`` groups, each linked by the pandas engine's own
functions, and the links are the same as on the whole table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["Groups", "component_groups"]


class Groups:
    """Group of each exam, each report and each patient (``-1``: in no group).

    Attributes
    ----------
    exams, reports : ndarray of int64
        Group of each row, in input order.
    patients : pandas.Series
        Group of each patient id that some exam or report names.
    """

    def __init__(self, exams: np.ndarray, reports: np.ndarray, patients: pd.Series) -> None:
        self.exams, self.reports, self.patients = exams, reports, patients


def component_groups(exam_patient: np.ndarray, exam_accession: np.ndarray, report_patient: np.ndarray,
                     report_accession: np.ndarray, n_groups: int) -> Groups:
    """Groups of rows from their patient and accession number (either may be null).

    Examples
    --------
    >>> g = component_groups(np.array(["P1", None, "P2"], dtype=object), np.array([None, "A1", None], dtype=object),
    ...                      np.array([None, "P3"], dtype=object), np.array(["A1", None], dtype=object), 1000)
    >>> bool(g.exams[1] == g.reports[0]), bool(g.exams[0] == g.exams[2])
    (True, False)
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    patients = np.concatenate([exam_patient, report_patient]).astype(object)
    accessions = np.concatenate([exam_accession, report_accession]).astype(object)
    p_code, p_uniques = pd.factorize(patients)
    a_code, a_uniques = pd.factorize(accessions)
    n_p, n_a = len(p_uniques), len(a_uniques)
    both = (p_code >= 0) & (a_code >= 0)
    n_nodes = max(n_p + n_a, 1)
    graph = coo_matrix((np.ones(int(both.sum()), dtype=np.int8), (p_code[both], n_p + a_code[both])),
                       shape=(n_nodes, n_nodes))
    n_comp, label = connected_components(graph, directed=False)
    label = np.append(label, 0)  # a safe index where a row has no accession (the value is not used)
    row_comp = np.where(p_code >= 0, label[np.maximum(p_code, 0)],
                        np.where(a_code >= 0, label[n_p + np.maximum(a_code, 0)],
                                 n_comp + np.arange(len(patients))))  # alone: a component of its own
    group = (row_comp % max(int(n_groups), 1)).astype(np.int64)
    n_exams = len(exam_patient)
    by_patient = pd.Series((label[:n_p] % max(int(n_groups), 1)).astype(np.int64), index=p_uniques)
    return Groups(exams=group[:n_exams], reports=group[n_exams:], patients=by_patient)
