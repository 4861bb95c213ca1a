"""Generate a deterministic synthetic warehouse and write it with its truth.

The steps, each in its own module: patients (:mod:`.identity`), stays and exam moments
(:mod:`.stays`), what each exam is (:mod:`.exams`), how it is badly attached
(:mod:`.faults`), the identity its DICOM header carries (:mod:`.identity`), reports and
their facts (:mod:`.reports`, :mod:`.report_text`).

Determinism: one ``numpy.random.Generator(seed)`` drives every draw, in a fixed order;
the Python loops that write names and report texts use ``random.Random`` streams seeded
from it. Same ``(n_patients, seed)`` -> identical tables (and byte-identical files).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from radlink.errors import SynthError
from radlink.outputs import write_parquet
from radlink.synth.exams import assign_exam_ids, draw_studies
from radlink.synth.faults import draw_faults, faulty_ipps
from radlink.synth.identity import dicom_identity, make_patients
from radlink.synth.profiles import ANONYMOUS_NAMES, SiteProfile, get_profile
from radlink.synth.reports import make_profiles, make_reports
from radlink.synth.stays import make_stays, place_exams
from radlink.tables import none_for_missing, to_arrow, validate_table

__all__ = ["SynthDataset", "generate", "write_dataset", "TRUTH_TABLES"]

TRUTH_TABLES: tuple[str, ...] = ("links", "exam_faults", "report_facts", "findings")

EXAM_STAY_ID_SHARE = 0.10
REQUESTING_UNIT_SHARE = 0.30  # exams in a stay whose unit is the stay's (requesting) unit
NOISE_P_CLEAN = 0.20  # identity-noise probability on correctly attached exams
NOISE_P_FAULTY = 0.45  # ... and on badly attached ones (overall ~25 %)


@dataclass
class SynthDataset:
    """A synthetic warehouse: the four canonical tables and the truth behind them.

    Attributes
    ----------
    patients, stays, exams, reports : pandas.DataFrame
        Canonical tables, validated by :func:`radlink.tables.validate_table`.
    links : pandas.DataFrame
        True links: ``source_type``, ``source_id``, ``target_type``, ``target_id``
        (null = truly no target).
    exam_faults : pandas.DataFrame
        ``exam_id``, ``fault``, ``identity_noise``.
    report_facts : pandas.DataFrame
        One row per report: the facts its text states.
    findings : pandas.DataFrame
        One row per finding written in a report.
    seed : int
    timings : dict
        Seconds per generation step.
    """

    patients: pd.DataFrame
    stays: pd.DataFrame
    exams: pd.DataFrame
    reports: pd.DataFrame
    links: pd.DataFrame
    exam_faults: pd.DataFrame
    report_facts: pd.DataFrame
    findings: pd.DataFrame
    seed: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four canonical tables by name."""
        return {"patients": self.patients, "stays": self.stays, "exams": self.exams, "reports": self.reports}

    def truth(self) -> dict[str, pd.DataFrame]:
        """The truth tables by name."""
        return {name: getattr(self, name) for name in TRUTH_TABLES}

    def summary(self) -> dict[str, int]:
        """Row count of every table.

        Examples
        --------
        >>> generate(5, seed=1).summary()["patients"]
        5
        """
        return {name: len(df) for name, df in {**self.tables(), **self.truth()}.items()}


def _links(exams: pd.DataFrame, true_ipp: np.ndarray, exam_stay: np.ndarray,
           report_truth: pd.DataFrame) -> pd.DataFrame:
    """The true links: exam -> patient and stay, report -> exam and stay."""
    n_e, n_r = len(exams), len(report_truth)
    exam_ids = exams["exam_id"].to_numpy()
    report_ids = report_truth["report_id"].to_numpy()
    return pd.DataFrame({
        "source_type": np.repeat(np.array(["exam", "exam", "report", "report"], dtype=object),
                                 [n_e, n_e, n_r, n_r]),
        "source_id": np.concatenate([exam_ids, exam_ids, report_ids, report_ids]),
        "target_type": np.repeat(np.array(["patient", "stay", "exam", "stay"], dtype=object),
                                 [n_e, n_e, n_r, n_r]),
        "target_id": np.concatenate([true_ipp, exam_stay, report_truth["exam_id"].to_numpy(),
                                     report_truth["stay_id"].to_numpy()]),
    })


def _checked(n_patients: int, seed: int) -> tuple[int, int]:
    """``(n_patients, seed)`` as plain ints; raises :class:`SynthError` when out of range."""
    if isinstance(n_patients, bool) or not isinstance(n_patients, (int, np.integer)) or n_patients < 1:
        raise SynthError(f"n_patients must be a positive integer, got {n_patients!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise SynthError(f"seed must be a non-negative integer, got {seed!r}")
    return int(n_patients), int(seed)


class _Steps:
    """Times the generation steps and reports each one through ``progress``."""

    def __init__(self, progress: Callable[[str], None] | None):
        self.say = progress or (lambda message: None)
        self.timings: dict[str, float] = {}
        self.clock = time.perf_counter()

    def done(self, name: str, message: str) -> None:
        """Record the time since the previous step under ``name`` and report ``message``."""
        now = time.perf_counter()
        self.timings[name] = now - self.clock
        self.clock = now
        self.say(f"{message} ({self.timings[name]:.1f} s)")


def _ordered_stays(registry: pd.DataFrame, cancer: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Draw the stays, put them in time order (parents renumbered) and give them ``stay_id``."""
    stays = make_stays(registry, cancer, rng)
    order = np.lexsort((np.arange(len(stays)), stays["start_datetime"].to_numpy()))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    stays = stays.iloc[order].reset_index(drop=True)
    parent = stays["_parent"].to_numpy()
    stays["_parent"] = np.where(parent >= 0, rank[np.maximum(parent, 0)], -1)
    stays.insert(0, "stay_id", (100_000_000 + np.cumsum(rng.integers(1, 9, size=len(stays))))
                 .astype(str).astype(object))
    return stays


def _exam_stay_ids(slots: pd.DataFrame, stays: pd.DataFrame, order: np.ndarray,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stay row, true stay id and carried stay id (about 10 %, never pre-admission) of each exam."""
    stay_row = slots["_stay"].to_numpy()[order]
    stay_ids = stays["stay_id"].to_numpy()
    true_stay = np.where(stay_row >= 0, stay_ids[np.maximum(stay_row, 0)], None)
    share_with_stay = max(float((stay_row >= 0).mean()), 1e-9)
    carried = np.where(rng.random(len(order)) < EXAM_STAY_ID_SHARE / share_with_stay,
                       true_stay, None)
    carried[slots["context"].to_numpy()[order] == "pre_admission"] = None
    return stay_row, true_stay, carried


def _exam_units(studies: pd.DataFrame, stays: pd.DataFrame, stay_row: np.ndarray, order: np.ndarray,
                rng: np.random.Generator) -> np.ndarray:
    """The unit written on each exam: the performing department, or the stay's requesting unit.

    On some exams done during a stay the unit is the requesting one, i.e. the stay's unit.
    """
    unit = studies["unit"].to_numpy()[order]
    requesting = (stay_row >= 0) & (rng.random(len(order)) < REQUESTING_UNIT_SHARE)
    unit[requesting] = stays["unit"].to_numpy()[stay_row[requesting]]
    return unit


def _header_gaps(ident: pd.DataFrame, faults: np.ndarray, sex: np.ndarray, profile: SiteProfile,
                 rng: np.random.Generator) -> pd.DataFrame:
    """The profile's anonymous temporary identities and IPP-only headers, written into ``ident``.

    Draws nothing when the profile has neither (the other profiles' streams are unchanged).
    """
    if not profile.anonymous_temporary_share and not profile.nameless_exam_share:
        return ident
    ident = ident.copy()
    n = len(ident)
    names = ident["patient_name"].to_numpy(dtype=object).copy()
    births = ident["birth_date"].to_numpy().copy()
    noise = ident["identity_noise"].to_numpy(dtype=object).copy()
    anonymous = (faults == "temporary_ipp") & (rng.random(n) < profile.anonymous_temporary_share)
    pick, placeholder_date = rng.random(n), rng.random(n) < 0.5
    for i in np.flatnonzero(anonymous):
        pool = ANONYMOUS_NAMES.get(sex[i], ()) + ANONYMOUS_NAMES[""] if pick[i] < 0.7 else ANONYMOUS_NAMES[""]
        names[i] = pool[int(pick[i] * 1000) % len(pool)]
        births[i] = np.datetime64("1900-01-01") if placeholder_date[i] else np.datetime64("NaT")
    nameless = ~anonymous & (rng.random(n) < profile.nameless_exam_share)
    names[nameless] = None
    births[nameless] = np.datetime64("NaT")
    for mask, kind in ((anonymous, "anonymous_identity"), (nameless, "nameless_header")):
        noise[mask] = [f"{v};{kind}" if v else kind for v in noise[mask]]
    ident["patient_name"], ident["birth_date"], ident["identity_noise"] = names, births, noise
    return ident


def _make_exams(
    registry: pd.DataFrame, stays: pd.DataFrame, seed: int, rng: np.random.Generator,
    profile: SiteProfile | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, np.ndarray]:
    """Exams (with private columns), their faults, and each exam's true IPP and true stay id."""
    n_patients = len(registry)
    slots = place_exams(stays, rng)
    true_sex = registry["sex"].to_numpy()[slots["_patient"].to_numpy()]
    studies = draw_studies(slots["stay_type"].to_numpy(), true_sex, rng)
    emergency = slots["stay_type"].to_numpy() == "emergency"
    faults = draw_faults(emergency, rng)
    if n_patients < 2:
        faults[faults == "other_patient_ipp"] = "missing_ipp"
    pat = slots["_patient"].to_numpy()
    ipp, _other = faulty_ipps(faults, pat, registry, rng, visit=slots["_stay"].to_numpy())
    noise_p = np.where(faults == "none", NOISE_P_CLEAN, NOISE_P_FAULTY)
    ident = dicom_identity(registry, pat, noise_p, rng)
    ident = _header_gaps(ident, faults, ident["sex"].to_numpy(dtype=object), get_profile(profile), rng)
    times = slots["study_datetime"].to_numpy()
    order, exam_ids, accession = assign_exam_ids(times, seed, rng)
    stay_row, true_stay, carried = _exam_stay_ids(slots, stays, order, rng)
    unit = _exam_units(studies, stays, stay_row, order, rng)
    exams = pd.DataFrame({
        "exam_id": exam_ids,
        "accession_number": accession,
        "patient_id": ipp[order],
        "patient_name": ident["patient_name"].to_numpy()[order],
        "birth_date": ident["birth_date"].to_numpy()[order],
        "sex": ident["sex"].to_numpy()[order],
        "study_datetime": times[order],
        "modality": studies["modality"].to_numpy()[order],
        "study_description": studies["study_description"].to_numpy()[order],
        "body_part": studies["body_part"].to_numpy()[order],
        "institution": studies["institution"].to_numpy()[order],
        "unit": unit,
        "stay_id": carried,
        "_patient": pat[order],
        "_stay": stay_row,
        "_kind": studies["report_kind"].to_numpy()[order],
        "_tracer": studies["tracer"].to_numpy()[order],
        "_emergency": emergency[order],
    })
    exam_faults = pd.DataFrame({
        "exam_id": exam_ids,
        "fault": faults[order],
        "identity_noise": ident["identity_noise"].to_numpy()[order],
    })
    true_ipp = registry["patient_id"].to_numpy()[pat[order]]
    return exams, exam_faults, true_ipp, true_stay


def _public_tables(registry: pd.DataFrame, stays: pd.DataFrame, exams: pd.DataFrame,
                   reports: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The four canonical tables without their private columns, validated."""
    return {
        "patients": validate_table(registry.drop(columns=["_family_of"]), "patients"),
        "stays": validate_table(stays.drop(columns=["_patient", "_parent"]), "stays"),
        "exams": validate_table(exams.drop(columns=[c for c in exams.columns if c.startswith("_")]), "exams"),
        "reports": validate_table(reports, "reports"),
    }


def generate(
    n_patients: int,
    seed: int = 0,
    *,
    progress: Callable[[str], None] | None = None,
    profile: str | SiteProfile | None = None,
) -> SynthDataset:
    """Generate a synthetic warehouse of ``n_patients`` patients.

    Parameters
    ----------
    n_patients : int
        Number of registry patients (about 4 exams each on average).
    seed : int, default 0
        Seed of the single random stream.
    progress : callable, optional
        Called with a short message after each step (no identifying value).
    profile : str or SiteProfile, optional
        The warehouse's reporting habits (:data:`radlink.synth.profiles.PROFILES`);
        ``"default"`` (the legacy generator, byte-identical output) when omitted.

    Returns
    -------
    SynthDataset

    Raises
    ------
    SynthError
        When ``n_patients`` is not a positive integer or ``seed`` is negative.

    Examples
    --------
    >>> ds = generate(20, seed=7)
    >>> sorted(ds.tables())
    ['exams', 'patients', 'reports', 'stays']
    >>> ds.links.groupby(["source_type", "target_type"]).size().index.tolist()
    [('exam', 'patient'), ('exam', 'stay'), ('report', 'exam'), ('report', 'stay')]
    >>> generate(20, seed=7).exams.equals(ds.exams)
    True
    """
    n_patients, seed = _checked(n_patients, seed)
    try:
        get_profile(profile)
    except KeyError as exc:
        raise SynthError(exc.args[0]) from None
    steps = _Steps(progress)
    rng = np.random.default_rng(seed)

    registry = make_patients(n_patients, rng)
    profiles = make_profiles(n_patients, rng)
    steps.done("patients", f"patients: {n_patients:,}")

    stays = _ordered_stays(registry, profiles.cancer, rng)
    steps.done("stays", f"stays: {len(stays):,}")

    exams, exam_faults, true_ipp, true_stay = _make_exams(registry, stays, seed, rng, get_profile(profile))
    badly = float((exam_faults["fault"].to_numpy() != "none").mean())
    steps.done("exams", f"exams: {len(exams):,} ({badly:.1%} badly attached)")

    reports, report_truth, facts, findings = make_reports(exams, registry, stays, profiles, rng,
                                                          get_profile(profile))
    steps.done("reports", f"reports: {len(reports):,}, findings: {len(findings):,}")

    links = _links(exams, true_ipp, true_stay, report_truth)
    public = _public_tables(registry, stays, exams, reports)
    steps.done("validate", "tables validated")
    return SynthDataset(**public, links=links, exam_faults=exam_faults, report_facts=facts,
                        findings=findings, seed=seed, timings=steps.timings)


def _write(table: pa.Table, path: Path, fmt: str) -> None:
    if fmt == "parquet":
        write_parquet(table, path)
    else:
        pacsv.write_csv(table, path)


def write_dataset(synth: SynthDataset, out_dir: str | Path, format: str = "parquet") -> dict[str, Path]:
    """Write the canonical tables to ``out_dir`` and the truth to ``out_dir/truth``.

    Parameters
    ----------
    synth : SynthDataset
        From :func:`generate`.
    out_dir : path
        Created if needed; existing files of the same names are replaced.
    format : {"parquet", "csv"}
        File format of every table.

    Returns
    -------
    dict
        Table name (``"exams"``, ``"truth/links"``...) -> path written.

    Raises
    ------
    SynthError
        For an unknown format.

    Examples
    --------
    >>> import tempfile
    >>> out = write_dataset(generate(5, seed=1), tempfile.mkdtemp())
    >>> sorted(out)[:3]
    ['exams', 'patients', 'reports']
    """
    if format not in ("parquet", "csv"):
        raise SynthError(f"format must be 'parquet' or 'csv', got {format!r}")
    out_dir = Path(out_dir)
    (out_dir / "truth").mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, df in synth.tables().items():
        path = out_dir / f"{name}.{format}"
        _write(to_arrow(df, name), path, format)
        written[name] = path
    for name, df in synth.truth().items():
        path = out_dir / "truth" / f"{name}.{format}"
        _write(pa.Table.from_pandas(none_for_missing(df), preserve_index=False), path, format)
        written[f"truth/{name}"] = path
    return written
