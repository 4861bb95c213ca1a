"""The reports the report-delay model is fitted on, chosen the same way by every engine.

Up to :attr:`LinkageSettings.delay_sample_reports` reports (those with a patient), the
delay model (:mod:`radlink.linkage.delay_model`) is fitted on every report. Above it,
on the reports of the patients whose **stable hash** (:func:`patient_hash`: the first
60 bits of the MD5 of the patient id's UTF-8 bytes, which Spark computes as a column
too) falls below a limit (:func:`sample_limit`) chosen so that about that many reports
are kept, with the exams of those patients and the exams their accession numbers name.
The rule reads only ids: not the row order, the engine, its partitions or its groups.
:func:`fit_sampled_delay_model` puts the sample in a canonical order (by ``report_id``
and ``exam_id``) and fits it, so that both engines fit the same pairs in the same order
and get the same model.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

import numpy as np
import pandas as pd

from radlink.linkage.report_exam import (
    _linking_start,
    frames_of_subset,
    midnight_reports_are_dates,
    pairs_of_subset,
)
from radlink.linkage.report_text import WrittenNumbers
from radlink.linkage.settings import LinkageSettings

__all__ = ["HASH_BITS", "patient_hash", "sample_limit", "delay_sample", "fit_sampled_delay_model",
           "sampled_delay_fit"]

HASH_BITS = 60
"""Bits of a patient's hash: the first 15 hex digits of the MD5 of its id."""


def patient_hash(keys) -> np.ndarray:
    """The stable hash of each patient id (``-1`` for a missing one), in ``[0, 2**60)``.

    The first 15 hexadecimal digits of the MD5 of the id's UTF-8 bytes, as an integer:
    Spark's ``conv(substring(md5(id), 1, 15), 16, 10)`` gives the same number.

    Examples
    --------
    >>> patient_hash(["800000001", None]).tolist()
    [547513705433335162, -1]
    """
    values = pd.Series(np.asarray(keys, dtype=object), dtype=object)
    codes, uniques = pd.factorize(values)
    per_key = np.array([int(hashlib.md5(str(k).encode("utf-8"), usedforsecurity=False).hexdigest()[:15], 16)
                        for k in uniques], dtype=np.int64)
    out = np.full(len(values), -1, dtype=np.int64)
    known = codes >= 0
    out[known] = per_key[codes[known]]
    return out


def sample_limit(n_reports: int, sample_reports: int) -> int | None:
    """The hash below which a patient's reports are sampled; ``None``: no sampling.

    ``n_reports`` counts the reports with a patient; with at most ``sample_reports``
    of them every report is used.

    Examples
    --------
    >>> sample_limit(1_000, 2_000) is None, sample_limit(4_000, 1_000) == 2 ** 60 // 4
    (True, True)
    """
    if n_reports <= sample_reports:
        return None
    return (2 ** HASH_BITS) * int(sample_reports) // int(n_reports)


def delay_sample(report_patient, exam_patient, report_accession, exam_accession,
                 limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the sampled reports and exams (pandas engine; Spark computes the same with columns).

    Parameters
    ----------
    report_patient : array-like
        Each report's patient (its own, else its stay's; null when unknown).
    exam_patient : array-like
        Each exam's resolved patient (null unless linked).
    report_accession, exam_accession : array-like
        Accession numbers (placeholders already made null).
    limit : int
        From :func:`sample_limit`.

    Returns
    -------
    reports, exams : ndarray of bool
        The reports of the sampled patients; the exams of those patients and the exams
        whose accession number a sampled report carries.

    Examples
    --------
    >>> r, e = delay_sample(["P1", "P2", None], ["P1", None, "P3"], [None, "A9", "A8"], [None, "A9", None],
    ...                     limit=2 ** 59)  # P1 and P2 hash below 2**59, P3 above
    >>> r.tolist(), e.tolist()
    ([True, True, False], [True, True, False])
    """
    report_patient = np.asarray(report_patient, dtype=object)
    both = patient_hash(np.concatenate([report_patient, np.asarray(exam_patient, dtype=object)]))  # each id once
    h, g = both[:len(report_patient)], both[len(report_patient):]
    reports = (h >= 0) & (h < limit)
    exams = (g >= 0) & (g < limit)
    carried = pd.Series(np.asarray(report_accession, dtype=object)[reports], dtype=object).dropna()
    exams |= pd.Series(np.asarray(exam_accession, dtype=object), dtype=object).isin(set(carried)).to_numpy()
    return reports, exams


def _as_text(ids: pd.Series) -> np.ndarray:
    """``ids.astype(str).to_numpy()``, without the round trip when every id already is a ``str``."""
    values = ids.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values
    return ids.astype(str).to_numpy()


def fit_sampled_delay_model(reports: pd.DataFrame, exams: pd.DataFrame, exam_patient: pd.DataFrame,
                            report_patient, settings: LinkageSettings, *, facts: pd.DataFrame | None = None,
                            pairs: dict | None = None, frames: tuple[pd.DataFrame, pd.DataFrame] | None = None,
                            written: WrittenNumbers | None = None) -> dict:
    """The delay model fitted on a sample, its rows put in a canonical order first.

    Parameters
    ----------
    reports, exams : pandas.DataFrame
        The sampled rows (:func:`delay_sample`), any order, placeholder accession
        numbers made null.
    exam_patient : pandas.DataFrame
        ``status`` and ``target_id`` of each exam's patient link, in ``exams``' order.
    report_patient : array-like
        Each report's patient, in ``reports``' order.
    settings : LinkageSettings
        ``midnight_reports_are_dates`` should be the estimate on *all* the reports
        (else it is estimated on the sample).
    facts : pandas.DataFrame, optional
        :func:`~radlink.linkage.report_exam.report_facts` of ``reports`` (row for row),
        when read already on all the reports.
    pairs : dict, optional
        The sample's scored candidate pairs, rows numbered in the canonical order, when
        taken from a run on all the reports
        (:func:`~radlink.linkage.report_exam.pairs_of_subset`): not searched again.
    frames : (pandas.DataFrame, pandas.DataFrame), optional
        The sample's row frames in the canonical order, when taken from that run
        (:func:`~radlink.linkage.report_exam.frames_of_subset`): not read again.
    written : WrittenNumbers, optional
        The numbers the sample's texts write, in the canonical order, as that run read them
        (:meth:`~radlink.linkage.report_text.WrittenNumbers.subset`): the texts read there
        are not read again.

    Returns
    -------
    dict
        The delay model (:func:`~radlink.linkage.delay_model.fit_delay_model`).

    Examples
    --------
    >>> import pandas as pd
    >>> from radlink.tables import validate_table
    >>> exams = validate_table(pd.DataFrame({"exam_id": ["E1"], "modality": ["CT"],
    ...     "study_datetime": ["2020-01-01 09:00"]}), "exams")
    >>> reports = validate_table(pd.DataFrame({"report_id": ["R1"], "patient_id": ["P1"],
    ...     "report_datetime": ["2020-01-01 12:00"], "title": ["Scanner"], "text": ["..."]}), "reports")
    >>> ep = pd.DataFrame({"status": ["linked"], "target_id": ["P1"]})
    >>> fit_sampled_delay_model(reports, exams, ep, ["P1"], LinkageSettings())["source"]
    'em'
    """
    if settings.midnight_reports_are_dates is None:
        settings = replace(settings, midnight_reports_are_dates=midnight_reports_are_dates(
            reports["report_datetime"]))
    r_order = np.argsort(_as_text(reports["report_id"]), kind="stable")
    e_order = np.argsort(_as_text(exams["exam_id"]), kind="stable")
    # Only the first steps of the linkage run: the model is fitted before any report is assigned.
    start = _linking_start(
        reports.iloc[r_order].reset_index(drop=True), exams.iloc[e_order].reset_index(drop=True),
        exam_patient[["status", "target_id"]].iloc[e_order].reset_index(drop=True),
        settings=replace(settings, delay_model=None),
        report_patient=np.asarray(report_patient, dtype=object)[r_order],
        facts=None if facts is None else facts.iloc[r_order].reset_index(drop=True), fitted=None, pairs=pairs,
        frames=frames, written=written)
    return start.model


def _canonical_take(ids: pd.Series, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows at ``mask`` in the canonical order (by id, as :func:`fit_sampled_delay_model`
    orders them), and each row's position in that order (-1 outside ``mask``)."""
    rows = np.flatnonzero(mask)
    take = rows[np.argsort(_as_text(ids.iloc[rows]), kind="stable")]
    rank = np.full(len(mask), -1, dtype=np.int64)
    rank[take] = np.arange(len(take))
    return take, rank


def sampled_delay_fit(reports: pd.DataFrame, exams: pd.DataFrame, exam_patient: pd.DataFrame, report_patient,
                      settings: LinkageSettings, r_mask: np.ndarray, e_mask: np.ndarray, *,
                      facts: pd.DataFrame | None = None):
    """The ``delay_fit`` of :func:`~radlink.linkage.report_exam.link_reports_to_exams` that fits on the sample.

    The returned ``delay_fit(pairs, by_stay, (rp, ex), numbers)`` takes the run's scored candidate
    pairs (on every report and exam), its reports placed by their stay, its row
    frames and the numbers its reports' texts write as read so far
    (:class:`~radlink.linkage.report_text.WrittenNumbers`, or None), keeps the pairs and rows of
    the sampled reports and exams (:func:`delay_sample`: ``r_mask``, ``e_mask``) and gives the model
    :func:`fit_sampled_delay_model` fits on the sample, without reading the sample's
    rows, the numbers their texts write or searching its candidates again. It is the same model: a run on the sample
    finds those pairs and reads those rows alike (it places no report by its stay, so
    theirs are left out). When a sampled report's candidate is not in the sample, the
    sample is linked on its own.

    Parameters
    ----------
    reports, exams, exam_patient, report_patient, settings, facts
        As for :func:`fit_sampled_delay_model`, on *all* the rows (the run's).
    r_mask, e_mask : ndarray of bool
        The sample (:func:`delay_sample`).
    """
    r_mask, e_mask = np.asarray(r_mask, dtype=bool), np.asarray(e_mask, dtype=bool)
    report_patient = np.asarray(report_patient, dtype=object)

    def delay_fit(pairs: dict, by_stay: np.ndarray, frames: tuple[pd.DataFrame, pd.DataFrame],
                  numbers: WrittenNumbers | None = None) -> dict:
        report_take, report_rank = _canonical_take(reports["report_id"], r_mask)
        exam_take, exam_rank = _canonical_take(exams["exam_id"], e_mask)
        report_rank[np.asarray(by_stay, dtype=bool)] = -1  # the sample run places no report by its stay
        subset = pairs_of_subset(pairs, report_rank, exam_rank)
        return fit_sampled_delay_model(
            reports[r_mask], exams[e_mask], exam_patient[e_mask], report_patient[r_mask], settings,
            facts=None if facts is None else facts[r_mask], pairs=subset,
            frames=None if subset is None else frames_of_subset(*frames, report_take, exam_take),
            written=None if numbers is None else numbers.subset(report_take))

    return delay_fit
