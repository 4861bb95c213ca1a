"""``link``: the four link types in one call, as one ``links`` table.

The ``links`` table (public contract) has one row per source and link type:

===========  ===========================================================================
column       meaning
===========  ===========================================================================
source_type  ``"exam"`` or ``"report"``
source_id    the exam's ``exam_id`` or the report's ``report_id``
target_type  ``"patient"``, ``"exam"`` or ``"stay"``
target_id    the linked target's id; null unless ``linked`` (an ``ambiguous`` row lists
             its candidates in ``evidence``)
status       ``"linked"``, ``"ambiguous"`` or ``"unlinked"``
score        confidence in [0, 1] of the best candidate
method       the rule or model that decided (``ipp_identity_agrees``, ``fellegi_sunter``,
             ``accession_number``, ``patient_time_modality``, ``carried_stay_id``,
             ``interval_containment``, ``interval_tolerance``, ``inherited_from_exam``,
             ``site_date_modality``: a report without patient placed by its letterhead,
             stated date and type, see :mod:`radlink.linkage.report_exam`,
             ``warehouse_context``: an exam whose header identity says too little placed
             by the warehouse's other tables, see :mod:`radlink.linkage.exam_context`,
             ``child_identity``: a child's exam registered under a parent's or a newborn's
             identity, see :mod:`radlink.linkage.child_identity`,
             ``first_study_of_request``: a report tied between the studies of one request,
             filed with the first when ``tied_reports_to_first_study`` is set, see
             :mod:`radlink.linkage.sibling_studies`)
evidence     JSON text: which fields agreed, the candidates when ambiguous, the reason
             when unlinked
===========  ===========================================================================

Every exam has exactly one row with target ``patient`` and one with ``stay``; every
report one with ``exam`` and one with ``stay``. Row order: exam→patient, exam→stay,
report→exam, report→stay, each in the input order.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from radlink.errors import LinkageInputError
from radlink.linkage.accessions import placeholder_accessions, without_accessions
from radlink.linkage.child_identity import resolve_child_exams
from radlink.linkage.delay_sample import delay_sample, sample_limit, sampled_delay_fit
from radlink.linkage.exam_context import resolve_exams_from_context
from radlink.linkage.exam_patient import link_exams_to_patients
from radlink.linkage.normalize import ipp_in_other_format, registry_ipp_of
from radlink.linkage.report_exam import (
    link_reports_to_exams,
    midnight_reports_are_dates,
    report_facts,
)
from radlink.linkage.report_identity import may_name_a_patient, report_patients_from_headers
from radlink.linkage.settings import LinkageSettings
from radlink.linkage.sibling_studies import first_study_of_request
from radlink.linkage.stamp_days import stamp_days
from radlink.linkage.stay_margins import fit_stay_margins, stay_margin_observations
from radlink.linkage.stays import link_exams_to_stays, link_reports_to_stays, report_stay_windows
from radlink.linkage.temporary_ids import (
    one_patient_per_temporary_id,
    report_stay_pairs,
    reports_via_temporary_ids,
    temporary_pairs,
    unlinked_temporary_keys,
)
from radlink.tables import TABLES, empty_table, none_for_missing, validate_table

__all__ = ["LINK_COLUMNS", "LINK_TYPES", "link", "reattached", "ipp_other_format"]

LINK_COLUMNS: tuple[str, ...] = (
    "source_type", "source_id", "target_type", "target_id", "status", "score", "method", "evidence",
)
"""Columns of the ``links`` table, in order (public contract)."""

LINK_TYPES: tuple[tuple[str, str], ...] = (
    ("exam", "patient"), ("exam", "stay"), ("report", "exam"), ("report", "stay"),
)
"""(source_type, target_type) of the four link types, in output order."""


def _table(df: pd.DataFrame | None, name: str, validate: bool) -> pd.DataFrame:
    if df is None:
        return empty_table(name)
    if not isinstance(df, pd.DataFrame):
        raise LinkageInputError(f"{name} must be a pandas DataFrame, not {type(df).__name__}")
    if not validate:
        missing = [c for c in TABLES[name].columns if c not in df.columns]
        if missing:
            raise LinkageInputError(
                f"{name} lacks the canonical column(s) {missing}: pass validate=True "
                "(or tables from radlink.tables.validate_table / load_dataset)")
        return df.reset_index(drop=True)
    return validate_table(df, name)


def link(
    patients: pd.DataFrame,
    exams: pd.DataFrame,
    stays: pd.DataFrame | None = None,
    reports: pd.DataFrame | None = None,
    settings: LinkageSettings | None = None,
    *,
    scorer=None,
    progress: Callable[[str, int], None] | None = None,
    timings: dict[str, float] | None = None,
    fitted: dict | None = None,
    validate: bool = True,
) -> pd.DataFrame:
    """Link exams to patients and stays, and reports to exams and stays.

    Parameters
    ----------
    patients, exams : pandas.DataFrame
        Canonical tables (see :mod:`radlink.tables`); they are validated here.
    stays, reports : pandas.DataFrame, optional
        May be empty or ``None``.
    settings : LinkageSettings, optional
        Thresholds, windows and tolerances.
    scorer : FellegiSunterScorer, optional
        The exam→patient scorer; defaults to the shipped one.
    progress : callable, optional
        ``progress(step, n_done)`` as work is done (exams, then reports).
    timings : dict, optional
        Filled with seconds per link type.
    fitted : dict, optional
        Filled with what the run estimated on the data: ``"delay_model"``, the
        report-delay model (JSON-ready; see :mod:`radlink.linkage.delay_model`), which
        a later run may reuse as ``LinkageSettings(delay_model=...)``, and
        ``"stay_margins"``, the margins around each stay type's interval
        (:mod:`radlink.linkage.stay_margins`), reusable as ``LinkageSettings(stay_margins=...)``,
        and ``"patient_presence"``, the estimated share of searched exams whose patient
        is registered, per IPP format family (:mod:`radlink.linkage.presence`).
    validate : bool, default True
        Validate and coerce the tables (:func:`radlink.tables.validate_table`). Pass
        False for tables that already are (from :func:`~radlink.dataset.load_dataset`
        or the generator): it saves a copy of every table, report texts included.

    Returns
    -------
    pandas.DataFrame
        The ``links`` table (:data:`LINK_COLUMNS`). On exam→patient rows the evidence
        says ``"reattached": true`` when the exam was linked to another patient than
        the IPP it carried (see :func:`reattached`).

    Raises
    ------
    TableValidationError
        When an input table does not satisfy its schema.

    Examples
    --------
    >>> import pandas as pd
    >>> patients = pd.DataFrame({"patient_id": ["800000001"], "family_name": ["Dupont"],
    ...     "given_name": ["Anne"], "birth_date": ["1950-03-04"], "sex": ["F"]})
    >>> exams = pd.DataFrame({"exam_id": ["E1"], "patient_id": ["TMP0000012"],
    ...     "patient_name": ["DUPONT^ANNE"], "birth_date": ["19500304"], "sex": ["F"],
    ...     "study_datetime": ["2020-01-01 10:00"], "modality": ["CT"]})
    >>> links = link(patients=patients, exams=exams)
    >>> links[["source_id", "target_type", "target_id", "status"]].values.tolist()
    [['E1', 'patient', '800000001', 'linked'], ['E1', 'stay', None, 'unlinked']]
    """
    settings = settings or LinkageSettings()
    if settings.report_windows_hours is not None:
        warnings.warn("LinkageSettings.report_windows_hours is ignored: the delay between exam and report "
                      "is evidence learned from the data (see radlink.linkage.delay_model)",
                      DeprecationWarning, stacklevel=2)
    patients = _table(patients, "patients", validate)
    exams = _table(exams, "exams", validate)
    stays = _table(stays, "stays", validate)
    reports = _table(reports, "reports", validate)
    timings = timings if timings is not None else {}
    t0 = time.perf_counter()
    return _link(patients, exams, stays, reports, settings, scorer=scorer, progress=progress, timings=timings,
                 fitted=fitted, t0=t0)


def _link(patients: pd.DataFrame, exams: pd.DataFrame, stays: pd.DataFrame, reports: pd.DataFrame,
          settings: LinkageSettings, *, scorer, progress, timings: dict, fitted: dict | None,
          t0: float) -> pd.DataFrame:
    """:func:`link` once its tables are checked."""

    def tick(step):
        return (lambda k: progress(step, k)) if progress is not None else None

    exam_patient = link_exams_to_patients(exams, patients, settings=settings, scorer=scorer,
                                          progress=tick("exam→patient"), fitted=fitted)
    exam_patient = resolve_exams_from_context(exams, exam_patient, patients, reports, stays, settings=settings)
    exam_patient = resolve_child_exams(exams, exam_patient, patients, stays)
    t1 = time.perf_counter()
    timings["exam→patient"] = t1 - t0
    settings = with_stay_margins(exams, stays, settings)
    if fitted is not None:
        fitted["stay_margins"] = settings.stay_margins
    exam_stay = link_exams_to_stays(exams, exam_patient, stays, settings=settings)
    t2 = time.perf_counter()
    timings["exam→stay"] = t2 - t1
    stay_patient = _stay_patients(reports, stays)
    own = reports["patient_id"].to_numpy(dtype=object)  # the report's patient, else its stay's
    report_patient, exam_patient_for_reports = _temporary_ids(np.where(pd.notna(own), own, stay_patient), exams,
                                                              exam_patient, patients, stay_patient)
    # read once (they do not depend on accession numbers): report heads, the delay model's sample, the linkage
    facts = report_facts(reports)
    report_patient = _named_in_header(report_patient, reports, exams, patients, settings, scorer,
                                      head=facts["head"].to_numpy(dtype=bool))
    placeholders = _placeholders(exams, exam_patient, reports, report_patient, settings)
    rep_acc, exam_acc = without_accessions(reports, placeholders), without_accessions(exams, placeholders)
    if settings.report_stamp_days is None:  # learned once on every report (the delay sample sees these)
        settings = replace(settings, report_stamp_days=stamp_days(reports["report_datetime"], exams["study_datetime"]))
    settings, delay_fit = _sampled_delay_fit(rep_acc, exam_acc, exam_patient_for_reports, report_patient, settings,
                                             facts)
    report_exam = link_reports_to_exams(rep_acc, exam_acc, exam_patient_for_reports,
                                        settings=settings, report_patient=report_patient, fitted=fitted,
                                        report_stay_window=report_stay_windows(reports, stays), facts=facts,
                                        delay_fit=delay_fit)
    if settings.tied_reports_to_first_study:
        report_exam = first_study_of_request(report_exam, exams, exam_patient_for_reports, reports)
    del facts
    t3 = time.perf_counter()
    timings["report→exam"] = t3 - t2
    if progress is not None:
        progress("report→exam", len(reports))
    # A report linked to an exam belongs to the exam's resolved patient.
    linked_exam = np.where(report_exam["status"].to_numpy() == "linked",
                           report_exam["target_id"].to_numpy(dtype=object), None)
    # exam_patient and exam_stay are in the row order of exams: each report's exam row, found once.
    exam_row = pd.Index(exam_patient["source_id"].to_numpy(dtype=object), dtype=object).get_indexer(
        pd.Index(linked_exam, dtype=object))  # object indexes: no pandas 3 str inference
    found = np.flatnonzero(exam_row >= 0)
    found = found[exam_patient["status"].to_numpy(dtype=object)[exam_row[found]] == "linked"]
    exam_pat = np.full(len(linked_exam), None, dtype=object)
    exam_pat[found] = exam_patient["target_id"].to_numpy(dtype=object)[exam_row[found]]
    report_patient = np.where(pd.notna(exam_pat), exam_pat, report_patient)
    report_stay = link_reports_to_stays(reports, report_exam, exam_stay, report_patient, stays,
                                        settings=settings, exam_rows=exam_row)
    timings["report→stay"] = time.perf_counter() - t3
    # The stay links come from link_to_stays / link_reports_to_stays with text as object and
    # None already: only the other two parts are brought to that (no pass over every row).
    parts = [none_for_missing(exam_patient.drop(columns="reattached")), exam_stay, none_for_missing(report_exam),
             report_stay]
    links = pd.concat([part[list(LINK_COLUMNS)] for part in parts], ignore_index=True)
    links["score"] = links["score"].astype(np.float64).clip(0.0, 1.0)
    return links


def reattached(links: pd.DataFrame, exams: pd.DataFrame | None = None) -> pd.Series:
    """Boolean mask of the exam→patient rows whose exam was re-attached to another patient.

    With ``exams`` (the exams linked), an exam whose IPP is its patient's own written in
    another site's format (:func:`ipp_other_format`) is the same patient, not counted.

    Examples
    --------
    >>> import pandas as pd
    >>> links = pd.DataFrame({"source_id": ["E1", "E2", "E1"], "target_type": ["patient", "patient", "stay"],
    ...                       "target_id": ["0034521386", "0000000042", "S1"],
    ...                       "evidence": ['{"reattached":true}', '{"reattached":true}', '{"decision":"unlinked"}']})
    >>> reattached(links).tolist()
    [True, True, False]
    >>> exams = pd.DataFrame({"exam_id": ["E1", "E2"], "patient_id": ["BEL0034521386", "0000000041"]})
    >>> reattached(links, exams).tolist()
    [False, True, False]
    """
    ev = links["evidence"].astype(object).fillna("")
    flagged = (links["target_type"] == "patient") & ev.str.contains('"reattached":true', regex=False)
    if exams is None:
        return flagged
    return flagged & ~ipp_other_format(links, exams, flagged=flagged)


def ipp_other_format(links: pd.DataFrame, exams: pd.DataFrame, *, flagged: pd.Series | None = None) -> pd.Series:
    """Mask of the exam→patient rows flagged ``reattached`` whose carried IPP is the linked
    patient's own in another site's format (see :func:`~radlink.linkage.normalize.ipp_in_other_format`).

    Examples
    --------
    >>> import pandas as pd
    >>> links = pd.DataFrame({"source_id": ["E1"], "target_type": ["patient"], "target_id": ["0034521386"],
    ...                       "evidence": ['{"reattached":true}']})
    >>> ipp_other_format(links, pd.DataFrame({"exam_id": ["E1"], "patient_id": ["BEL0034521386"]})).tolist()
    [True]
    """
    if flagged is None:
        flagged = reattached(links)
    out = pd.Series(False, index=links.index)
    rows = flagged.to_numpy(dtype=bool)
    if not rows.any() or "patient_id" not in exams:
        return out
    carried = pd.Series(exams["patient_id"].to_numpy(dtype=object),
                        index=exams["exam_id"].to_numpy(dtype=object), dtype=object)
    carried = carried[~carried.index.duplicated()]
    sources = links["source_id"].to_numpy(dtype=object)[rows]
    out.iloc[np.flatnonzero(rows)] = ipp_in_other_format(
        carried.reindex(sources), pd.Series(links["target_id"].to_numpy(dtype=object)[rows], dtype=object))
    return out


def _placeholders(exams: pd.DataFrame, exam_patient: pd.DataFrame, reports: pd.DataFrame,
                  report_patient: np.ndarray, settings: LinkageSettings) -> np.ndarray:
    """Placeholder accession numbers (:func:`~radlink.linkage.accessions.placeholder_accessions`)."""
    resolved = np.where(exam_patient["status"].to_numpy() == "linked",
                        exam_patient["target_id"].to_numpy(dtype=object), None)
    return placeholder_accessions(
        np.concatenate([exams["accession_number"].to_numpy(dtype=object),
                        reports["accession_number"].to_numpy(dtype=object)]),
        np.concatenate([resolved, np.asarray(report_patient, dtype=object)]),
        max_patients=settings.accession_max_patients)


def with_stay_margins(exams: pd.DataFrame, stays: pd.DataFrame, settings: LinkageSettings) -> LinkageSettings:
    """``settings`` with the stay margins learned from the exams that carry a stay id (unchanged when set)."""
    if settings.stay_margins is not None:
        return settings
    return replace(settings, stay_margins=fit_stay_margins(stay_margin_observations(exams, stays), settings))


def _sampled_delay_fit(reports: pd.DataFrame, exams: pd.DataFrame, exam_patient: pd.DataFrame,
                       report_patient: np.ndarray, settings: LinkageSettings,
                       facts: pd.DataFrame | None = None) -> tuple[LinkageSettings, Callable | None]:
    """The ``delay_fit`` that fits the delay model on the sample of :mod:`radlink.linkage.delay_sample`
    from the run's own candidate pairs, and ``settings`` with ``midnight_reports_are_dates`` estimated.

    None (and the settings unchanged) when the settings carry a model or the reports with
    a patient number at most :attr:`LinkageSettings.delay_sample_reports` (the model is
    then fitted on all).
    """
    if settings.delay_model is not None:
        return settings, None
    limit = sample_limit(int(pd.notna(report_patient).sum()), settings.delay_sample_reports)
    if limit is None:
        return settings, None
    if settings.midnight_reports_are_dates is None:  # estimated on every report, as without a sample
        settings = replace(settings, midnight_reports_are_dates=midnight_reports_are_dates(
            reports["report_datetime"]))
    resolved = np.where(exam_patient["status"].to_numpy() == "linked",
                        exam_patient["target_id"].to_numpy(dtype=object), None)
    r_mask, e_mask = delay_sample(report_patient, resolved, reports["accession_number"].to_numpy(dtype=object),
                                  exams["accession_number"].to_numpy(dtype=object), limit)
    return settings, sampled_delay_fit(reports, exams, exam_patient, report_patient, settings, r_mask, e_mask,
                                       facts=facts)


def _temporary_ids(report_patient: np.ndarray, exams: pd.DataFrame, exam_patient: pd.DataFrame,
                   patients: pd.DataFrame, stay_patient: np.ndarray | None = None) -> tuple[np.ndarray, pd.DataFrame]:
    """Reports and exams under one temporary IPP (an id the registry does not hold) meet.

    A report whose id is a registry IPP written in another site's format takes that
    patient (:func:`~radlink.linkage.normalize.registry_ipp_of`). A report carrying another such id takes the patient that the exams carrying it were linked
    to, or, for an id no exam carries (a number retired by an identity merge), that the
    reports carrying it and a stay point to (``stay_patient``: the patient of each report's
    stay), when they all point to one; the exams carrying it that stayed unlinked keep
    it as the key that their reports are looked for by (for report→exam only).
    Returns the reports' patients and the exam→patient frame report→exam reads.
    """
    registry = pd.Index(patients["patient_id"].dropna().astype(object).unique(), dtype=object)
    site_format = registry_ipp_of(pd.Series(report_patient, dtype=object), patients["patient_id"])
    report_patient = np.where(pd.notna(site_format), site_format, np.asarray(report_patient, dtype=object))
    # one owner of the rule, for both engines: summary, decision, row rules (radlink.linkage.temporary_ids)
    carried = exams["patient_id"].to_numpy(dtype=object)
    status = exam_patient["status"].to_numpy(dtype=object)
    target = exam_patient["target_id"].to_numpy(dtype=object)
    pairs = temporary_pairs(carried, status, target, registry)
    if stay_patient is not None:  # ids no exam carries (an exam's temporary id is the context step's)
        by_stay = report_stay_pairs(report_patient, stay_patient, registry)
        by_stay = by_stay[~by_stay["carried"].isin(pd.Index(pd.unique(carried[pd.notna(carried)]), dtype=object))]
        pairs = pd.concat([pairs, by_stay], ignore_index=True)
    decided = one_patient_per_temporary_id(pairs)
    report_patient = reports_via_temporary_ids(report_patient, decided, registry)
    key = unlinked_temporary_keys(carried, status, registry)
    alone = pd.notna(key)
    if not alone.any():
        return report_patient, exam_patient
    keyed = exam_patient.copy(deep=False)  # two columns replaced, the others (evidence text) shared
    keyed["target_id"] = np.where(alone, key, target)
    keyed["status"] = np.where(alone, "linked", status)
    return report_patient, keyed


def _named_in_header(report_patient: np.ndarray, reports: pd.DataFrame, exams: pd.DataFrame,
                     patients: pd.DataFrame, settings: LinkageSettings, scorer=None,
                     head: np.ndarray | None = None) -> np.ndarray:
    """A report whose head names its patient takes the patient the exam→patient matcher finds for it.

    The head (name, birth date, sex) and the IPP the report carries are one more
    header: no number, a RIS's own number, a typo or another patient's IPP are weighed
    against the identity as for an exam. A temporary IPP that exams carry and that was
    not resolved keeps meeting those exams.
    """
    rep = np.asarray(report_patient, dtype=object)
    need = may_name_a_patient(reports["text"]) if head is None else np.array(head, dtype=bool)
    if not need.any():
        return rep
    registry = pd.Index(patients["patient_id"].dropna().astype(object).unique(), dtype=object)
    carried = pd.Index(exams["patient_id"].dropna().astype(object).unique(), dtype=object)
    index = pd.Index(rep, dtype=object)
    need &= ~(pd.notna(rep) & ~index.isin(registry) & index.isin(carried))
    named = report_patients_from_headers(reports, patients, need, settings, scorer,
                                         carried=reports["patient_id"].to_numpy(dtype=object))
    return np.where(pd.notna(named), named, rep)


def _stay_patients(reports: pd.DataFrame, stays: pd.DataFrame) -> np.ndarray:
    """The patient of the stay each report carries (null without one, or when the stay is unknown)."""
    by_stay = stays.set_index("stay_id")["patient_id"]
    by_stay = by_stay[~by_stay.index.duplicated()]
    return by_stay.reindex(pd.Index(reports["stay_id"].to_numpy(dtype=object), dtype=object)).to_numpy(dtype=object)
