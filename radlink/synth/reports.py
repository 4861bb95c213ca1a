"""Synthetic reports table (comptes rendus) and the truth of what each report states.

About 90 % of exams get a report, written hours after the exam for CT, ultrasound,
radiography and mammography and one to three days after for PET, MR and scintigraphy;
about 3 % of reports describe no exam of the warehouse (an outside exam, truth null).
Reports live in the EHR, so ``patient_id`` is the true IPP (on 97 %, null otherwise);
``accession_number`` is carried by about 40 % and ``stay_id`` by about 50 %.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from radlink.synth.phrases import HISTOLOGIES, TITLES
from radlink.synth.profiles import (
    ADDENDUM_WORDS,
    EXAM_WORDS,
    GENERIC_TITLES,
    IMPORT_STAMP_QUANTILE,
    SiteProfile,
    get_profile,
)
from radlink.synth.report_text import (
    _REPORT_MODALITY,
    FACT_COLUMNS,
    ReportContext,
    write_report,
)
from radlink.tables import ANNOTATED_FINDING_COLUMNS

__all__ = ["PatientProfiles", "make_profiles", "make_reports", "indication_categories"]

REPORT_SHARE = 0.90
ORPHAN_SHARE = 0.03
ACCESSION_SHARE = 0.40
PATIENT_ID_SHARE = 0.97
STAY_ID_SHARE = 0.50
HTML_SHARE = 0.05

_SLOW_KINDS = frozenset({"pet", "mr_brain", "mr_liver", "mr_spine", "nm_bone"})
_CATEGORIES = ("initial_staging", "response_assessment", "follow_up", "suspected_recurrence",
               "diagnosis", "other")  # fmt: skip


class PatientProfiles:
    """Per-patient clinical picture: lung-cancer cohort member, primary lobe and side, histology."""

    def __init__(self, cancer: np.ndarray, lobe: np.ndarray, side: np.ndarray, histology: np.ndarray):
        self.cancer = cancer
        self.lobe = lobe
        self.side = side
        self.histology = histology


def make_profiles(n: int, rng: np.random.Generator) -> PatientProfiles:
    """Draw the clinical picture of ``n`` patients (85 % in the lung-cancer cohort).

    Examples
    --------
    >>> import numpy as np
    >>> p = make_profiles(1000, np.random.default_rng(0))
    >>> bool(0.8 < p.cancer.mean() < 0.9)
    True
    """
    cancer = rng.random(n) < 0.85
    lobe = np.asarray(("lung_upper_lobe", "lung_lower_lobe", "lung_middle_lobe"), dtype=object)[
        rng.choice(3, size=n, p=[0.6, 0.32, 0.08])
    ]
    side = np.where(rng.random(n) < 0.55, "right", "left").astype(object)
    side[lobe == "lung_middle_lobe"] = "right"
    histology = rng.integers(0, len(HISTOLOGIES), size=n)
    return PatientProfiles(cancer, lobe, side, histology)


def indication_categories(
    patient: np.ndarray, when: np.ndarray, emergency: np.ndarray, cancer: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Indication category of each exam, from the patient's history.

    A cohort patient's first exam is an initial staging (or a diagnosis work-up); later
    ones are response assessments, follow-up or suspected recurrence. Patients outside the
    cohort get ``diagnosis`` (70 %) or ``other``; most emergency exams are symptom
    work-ups (``diagnosis``).

    Examples
    --------
    >>> import numpy as np
    >>> cats = indication_categories(np.array([0, 0]), np.array([2, 1]), np.array([False, False]),
    ...                              np.array([True]), np.random.default_rng(0))
    >>> cats[1] in ("initial_staging", "diagnosis")
    True
    """
    n = len(patient)
    order = np.lexsort((when, patient))
    rank = np.empty(n, dtype=np.int64)
    sorted_pat = patient[order]
    first = np.r_[True, sorted_pat[1:] != sorted_pat[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    rank[order] = np.arange(n) - start
    u = rng.random(n)
    later = np.asarray(_CATEGORIES, dtype=object)[rng.choice(6, size=n, p=[0.05, 0.40, 0.30, 0.15, 0.02, 0.08])]
    out = np.where(rank == 0, np.where(u < 0.75, "initial_staging", "diagnosis"), later).astype(object)
    non_cohort = ~cancer[patient]
    out[non_cohort] = np.where(u[non_cohort] < 0.7, "diagnosis", "other")
    out[emergency & (u < 0.7)] = "diagnosis"
    return out


@dataclass
class _Rows:
    """Report rows before their identifiers and text: one array per column, row-aligned."""

    kind: np.ndarray  # report kind
    time: np.ndarray  # report datetime64[s]
    patient: np.ndarray  # patient row
    stay: np.ndarray  # true stay row, -1 for none
    exam_row: np.ndarray  # exam row, -1 for an orphan report
    tracer: np.ndarray
    emergency: np.ndarray
    when: np.ndarray  # datetime64[s] of the exam, which orders the indications
    category: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    addendum: np.ndarray = field(default_factory=lambda: np.array([], dtype=bool))

    def __len__(self) -> int:
        return len(self.kind)

    def take(self, order: np.ndarray) -> _Rows:
        """The rows in ``order`` (a column not yet filled stays empty)."""
        n = len(self)
        return _Rows(**{f.name: (v[order] if len(v) == n else v)
                        for f in fields(self) for v in (getattr(self, f.name),)})


def _lognormal_seconds(spec: tuple[float, float, float, float], n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` delays in seconds, log-normal of (median hours, sigma), clipped to [minimum, maximum] hours."""
    median, sigma, low, high = spec
    hours = np.clip(median * np.exp(sigma * rng.standard_normal(n)), low, high)
    return (hours * 3600).astype(np.int64)


def _exam_reports(exams: pd.DataFrame, has: np.ndarray, rng: np.random.Generator,
                  profile: SiteProfile | None = None) -> _Rows:
    """Reports of the exams in rows ``has``: hours after the exam, or days for the slow kinds.

    The legacy draws come first (so the default profile is unchanged); a profile with
    its own delays then draws them log-normal (heavy right tail).
    """
    kind = exams["_kind"].to_numpy()[has]
    slow = np.isin(kind, list(_SLOW_KINDS))
    delay_s = np.where(
        slow,
        86400 + (rng.random(len(has)) * 2 * 86400).astype(np.int64),
        1800 + (rng.random(len(has)) * 7.5 * 3600).astype(np.int64),
    )
    if profile is not None and not profile.is_default:
        for spec, sel in ((profile.fast_delay_hours, ~slow), (profile.slow_delay_hours, slow)):
            if spec is not None:
                delay_s[sel] = _lognormal_seconds(spec, int(sel.sum()), rng)
    t_exam = exams["study_datetime"].to_numpy()[has].astype("datetime64[s]")
    return _Rows(
        kind=kind,
        time=t_exam + delay_s.astype("timedelta64[s]"),
        patient=exams["_patient"].to_numpy()[has],
        stay=exams["_stay"].to_numpy()[has],
        exam_row=has,
        tracer=exams["_tracer"].to_numpy()[has],
        emergency=exams["_emergency"].to_numpy()[has],
        when=t_exam,
    )


def _orphan_reports(stays: pd.DataFrame, n_orphan: int, rng: np.random.Generator) -> _Rows:
    """Orphan reports: an outside exam, 2-12 days after one of the patient's (top-level) stays."""
    if n_orphan and len(stays):
        s = rng.integers(0, len(stays), size=n_orphan)
        s = s[stays["_parent"].to_numpy()[s] < 0]
        n_orphan = len(s)
        end_day = stays["end_datetime"].to_numpy()[s].astype("datetime64[D]").astype("datetime64[s]")
        o_time = end_day + (rng.integers(2, 13, size=n_orphan) * 86400 + 9 * 3600
                            + (rng.random(n_orphan) * 9 * 3600).astype(np.int64)).astype("timedelta64[s]")
        o_kind = np.asarray(("pet", "ct_chest", "ct_tap", "mr_brain", "xr_chest"), dtype=object)[
            rng.choice(5, size=n_orphan, p=[0.35, 0.3, 0.15, 0.1, 0.1])]
        o_patient = stays["_patient"].to_numpy()[s]
    else:
        n_orphan = 0
        o_time = np.array([], dtype="datetime64[s]")
        o_kind = np.array([], dtype=object)
        o_patient = np.array([], dtype=np.int64)
    return _Rows(
        kind=o_kind,
        time=o_time,
        patient=o_patient,
        stay=np.full(n_orphan, -1),
        exam_row=np.full(n_orphan, -1),
        tracer=np.where(o_kind == "pet", "FDG", None).astype(object),
        emergency=np.zeros(n_orphan, dtype=bool),
        when=o_time - np.timedelta64(86400, "s"),
    )


def _concat(a: _Rows, b: _Rows) -> _Rows:
    """The rows of ``a`` then those of ``b`` (patient rows as int64)."""
    rows = _Rows(**{f.name: np.concatenate([getattr(a, f.name), getattr(b, f.name)])
                    for f in fields(_Rows) if f.name not in ("category", "addendum")})
    rows.patient = rows.patient.astype(np.int64)
    return rows


def _identifiers(
    rows: _Rows, exams: pd.DataFrame, patients: pd.DataFrame, stays: pd.DataFrame,
    rng: np.random.Generator, accession_share: float = ACCESSION_SHARE,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Report ids, and the IPP, accession number and stay id each report carries (or None).

    Returns ``report_ids, patient_ids, accession_numbers, true_stay_ids, carried_stay_ids``.
    """
    n = len(rows)
    report_ids = (100_000 + np.cumsum(rng.integers(1, 6, size=n))).astype(str).astype(object)
    ipp = patients["patient_id"].to_numpy()
    pid = ipp[rows.patient].copy()
    pid[rng.random(n) >= PATIENT_ID_SHARE] = None
    acc = np.where(rows.exam_row >= 0, exams["accession_number"].to_numpy()[np.maximum(rows.exam_row, 0)], None)
    acc[rng.random(n) >= accession_share] = None
    stay_ids = stays["stay_id"].to_numpy()
    true_stay = np.where(rows.stay >= 0, stay_ids[np.maximum(rows.stay, 0)], None)
    share_with_stay = max(float((rows.stay >= 0).mean()), 1e-9) if n else 1.0
    carried = np.where(rng.random(n) < min(1.0, STAY_ID_SHARE / share_with_stay), true_stay, None)
    return report_ids, pid, acc, true_stay, carried


def _with_addenda(rows: _Rows, share: float, rng: np.random.Generator) -> _Rows:
    """The rows followed by an addendum of ``share`` of them, 3 to 40 days after the first report."""
    pick = np.flatnonzero(rng.random(len(rows)) < share)
    extra = rows.take(pick)
    extra.time = extra.time + rng.integers(3 * 86400, 40 * 86400, size=len(pick)).astype("timedelta64[s]")
    extra.addendum = np.ones(len(pick), dtype=bool)
    out = _concat(rows, extra)
    out.addendum = np.concatenate([rows.addendum, extra.addendum])
    return out


_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre")  # fmt: skip


def _exam_date_line(kind: str, day: str, rnd: random.Random) -> str:
    """The exam's date as a report writes it ("Examen du 03/03/2021", "TEP réalisée le 3 mars 2021")."""
    y, m, d = day[:4], day[5:7], day[8:10]
    word = rnd.choice(EXAM_WORDS.get(kind.split("_")[0], ("Examen",)))
    r = rnd.random()
    if r < 0.4:
        return f"Examen du {d}/{m}/{y}."
    if r < 0.7:
        return f"{word} réalisé(e) le {int(d)} {_MONTHS[int(m) - 1]} {y}."
    return f"{word} du {d}.{m}.{y}"


def _apply_habits(rows: _Rows, texts: np.ndarray, titles: np.ndarray, site: SiteProfile,
                  rnd: random.Random) -> None:
    """Rewrite titles and text openings in place as ``site`` does (generic titles, dates, addenda)."""
    exam_days = np.datetime_as_string(rows.when, unit="D")
    for i in range(len(rows)):
        title = titles[i]
        if rnd.random() < site.generic_title_share:
            title = rnd.choice(GENERIC_TITLES)
        lead = []
        if rows.addendum[i] and rnd.random() < site.addendum_marked_share:
            word = rnd.choice(ADDENDUM_WORDS)
            if rnd.random() < 0.5:
                title = f"{word} - {title}"
            else:
                lead.append(f"{word} au compte rendu initial.")
        if rnd.random() < site.exam_date_in_text_share:
            lead.append(_exam_date_line(rows.kind[i], exam_days[i], rnd))
        titles[i] = title
        if lead:
            texts[i] = "\n".join(lead) + "\n" + texts[i]


def _previous_dates(patient: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """Date (``DD/MM/YYYY``) of the patient's previous report, ``"[DATE]"`` for a first one."""
    n = len(patient)
    by_patient = np.lexsort((np.arange(n), patient))
    prev_date = np.full(n, "[DATE]", dtype=object)
    same = np.r_[False, patient[by_patient][1:] == patient[by_patient][:-1]]
    earlier = np.r_[0, by_patient[:-1]]
    has_prev = by_patient[same]
    for i, j in zip(has_prev, earlier[same], strict=True):
        d = dates[j]
        prev_date[i] = f"{d[8:10]}/{d[5:7]}/{d[:4]}"
    return prev_date


def _write_texts(
    rows: _Rows, report_ids: np.ndarray, html: np.ndarray, profiles: PatientProfiles,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, list[tuple], list[tuple]]:
    """Write every report from one ``random.Random`` stream; returns texts, titles, fact and finding rows."""
    n = len(rows)
    dates = np.datetime_as_string(rows.time, unit="D")
    prev_date = _previous_dates(rows.patient, dates)
    rnd = random.Random(int(rng.integers(0, 2**62)))
    texts = np.empty(n, dtype=object)
    titles = np.empty(n, dtype=object)
    fact_rows = []
    finding_rows = []
    for i in range(n):
        k = rows.kind[i]
        d = dates[i]
        pat = rows.patient[i]
        ctx = ReportContext(
            kind=k,
            modality=_REPORT_MODALITY[k],
            tracer=rows.tracer[i],
            category=rows.category[i],
            report_id=report_ids[i],
            date_text=f"{d[8:10]}/{d[5:7]}/{d[:4]}",
            cancer=bool(profiles.cancer[pat]),
            lobe=profiles.lobe[pat],
            side=profiles.side[pat],
            histology=int(profiles.histology[pat]),
            previous_date=prev_date[i],
        )
        text, facts, findings = write_report(ctx, rnd, html=bool(html[i]))
        texts[i] = text
        options = TITLES[k]
        titles[i] = options[rnd.randrange(len(options))]
        fact_rows.append(tuple(facts[c] for c in FACT_COLUMNS))
        rid = report_ids[i]
        for j, f in enumerate(findings, start=1):
            finding_rows.append((rid, f"{rid}-{j}", *f.row()))
    return texts, titles, fact_rows, finding_rows


def _facts_frame(report_ids: np.ndarray, fact_rows: list[tuple]) -> pd.DataFrame:
    """The ``report_facts`` truth table with its column types."""
    facts = pd.DataFrame(fact_rows, columns=list(FACT_COLUMNS))
    facts.insert(0, "report_id", report_ids)
    for col in ("dose_mbq", "glycemia", "max_suvmax"):
        facts[col] = facts[col].astype("float64")
    facts["injection_delay_min"] = facts["injection_delay_min"].astype("Int64")
    facts["n_lesions"] = facts["n_lesions"].astype("int64")
    return facts


def _findings_frame(finding_rows: list[tuple]) -> pd.DataFrame:
    """The ``findings`` truth table with its column types."""
    findings = pd.DataFrame(
        finding_rows,
        columns=list(ANNOTATED_FINDING_COLUMNS),
    )
    for col in ("size_mm", "suvmax", "previous_suvmax"):
        findings[col] = findings[col].astype("float64")
    findings["negated"] = findings["negated"].astype(bool)
    findings["hypothesis"] = findings["hypothesis"].astype(bool)
    return findings


def _import_stamped(signed: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """``signed`` with ``share`` of the times before a RIS migration replaced by the migration's stamp.

    The migration runs on the day at :data:`~radlink.synth.profiles.IMPORT_STAMP_QUANTILE`
    of the signing dates, from 02:00 for two hours: each report it carried over gets a time
    in that span, whatever its exam's date.

    Examples
    --------
    >>> signed = np.array(["2021-01-0%d 10:00" % d for d in range(1, 10)], dtype="datetime64[ns]")
    >>> out = _import_stamped(signed, 1.0, np.random.default_rng(0))
    >>> sorted({str(d) for d in out.astype("datetime64[D]")})
    ['2021-01-05', '2021-01-06', '2021-01-07', '2021-01-08', '2021-01-09']
    """
    known = signed[~np.isnat(signed)]
    if not len(known):
        return signed
    day = np.sort(known)[int(IMPORT_STAMP_QUANTILE * (len(known) - 1))].astype("datetime64[D]")
    start = day.astype("datetime64[ns]") + np.timedelta64(2, "h")
    moved = ~np.isnat(signed) & (signed < day.astype("datetime64[ns]")) & (rng.random(len(signed)) < share)
    minutes = rng.integers(0, 120, len(signed)).astype("timedelta64[m]")
    return np.where(moved, start + minutes, signed).astype("datetime64[ns]")


def make_reports(
    exams: pd.DataFrame,
    patients: pd.DataFrame,
    stays: pd.DataFrame,
    profiles: PatientProfiles,
    rng: np.random.Generator,
    site: SiteProfile | str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Write the reports and their truth.

    Parameters
    ----------
    exams : pandas.DataFrame
        Canonical exams in their final order, with private columns ``_patient``,
        ``_stay`` (row in ``stays`` or -1), ``_kind`` (report kind), ``_tracer``,
        ``_emergency``.
    patients, stays : pandas.DataFrame
        Registry and stays (with ``stay_id``).
    profiles : PatientProfiles
    rng : numpy.random.Generator
    site : SiteProfile or str, optional
        The warehouse's reporting habits (:mod:`radlink.synth.profiles`); ``default``.

    Returns
    -------
    reports : pandas.DataFrame
        Canonical reports table in ``report_id`` order.
    truth : pandas.DataFrame
        ``report_id``, ``exam_id`` (None for orphans), ``stay_id`` (true stay or None).
    facts : pandas.DataFrame
        ``report_facts`` truth.
    findings : pandas.DataFrame
        ``findings`` truth.

    Examples
    --------
    >>> from radlink.synth import generate
    >>> ds = generate(30, seed=1)  # calls make_reports
    >>> bool((ds.report_facts["report_id"] == ds.reports["report_id"]).all())
    True
    """
    site = get_profile(site)
    n_exam = len(exams)
    has = np.flatnonzero(rng.random(n_exam) < REPORT_SHARE)
    n_orphan = int(round(len(has) * ORPHAN_SHARE / (1 - ORPHAN_SHARE)))
    first = _exam_reports(exams, has, rng, site)
    first.addendum = np.zeros(len(first), dtype=bool)
    if not site.is_default and site.addendum_share > 0:
        first = _with_addenda(first, site.addendum_share, rng)
    orphans = _orphan_reports(stays, n_orphan, rng)
    rows = _concat(first, orphans)
    rows.addendum = np.concatenate([first.addendum, np.zeros(len(orphans), dtype=bool)])
    rows.category = indication_categories(rows.patient, rows.when.astype(np.int64), rows.emergency,
                                          profiles.cancer, rng)
    rows = rows.take(np.argsort(rows.time, kind="stable"))
    report_ids, pid, acc, true_stay, carried = _identifiers(rows, exams, patients, stays, rng,
                                                            site.accession_share)
    html = rng.random(len(rows)) < HTML_SHARE
    texts, titles, fact_rows, finding_rows = _write_texts(rows, report_ids, html, profiles, rng)
    if not site.is_default:
        _apply_habits(rows, texts, titles, site, random.Random(int(rng.integers(0, 2**62))))

    signed = rows.time.astype("datetime64[ns]")
    if not site.is_default and site.import_stamp_share > 0:
        signed = _import_stamped(signed, site.import_stamp_share, rng)
    reports = pd.DataFrame({
        "report_id": report_ids,
        "patient_id": pid,
        "stay_id": carried,
        "report_datetime": signed,
        "title": titles,
        "text": texts,
        "accession_number": acc,
    })
    exam_ids = exams["exam_id"].to_numpy()
    truth = pd.DataFrame({
        "report_id": report_ids,
        "exam_id": np.where(rows.exam_row >= 0, exam_ids[np.maximum(rows.exam_row, 0)], None),
        "stay_id": true_stay,
    })
    return reports, truth, _facts_frame(report_ids, fact_rows), _findings_frame(finding_rows)
