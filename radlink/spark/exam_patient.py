"""Exam → patient on Spark: the pandas engine's steps, per partition of exams.

The registry (patients) is prepared once on the driver (:func:`prepare_patients`, whose
family-name frequencies are global) with its blocking keys of both passes, and
broadcast. Each partition of exams then runs the steps of
:func:`radlink.linkage.exam_patient.link_exams_to_patients` on its own rows: the
identity rule, the carried-IPP confirmation, blocking (a hash join of the partition's
keys against the registry's broadcast keys), comparison and scoring by the same
kernels. The exams are spread by row, never by key, so a block shared by thousands of
exams (a common surname, a temporary IPP) is split across executors; a key shared by
more than ``max_block_size`` patients is dropped as in the pandas engine.

The one global step, the EM re-estimation of the scorer, runs once on the driver: the
scoring pass sends back only the comparison patterns of the candidate pairs with their
counts (EM reads nothing else), and u comes from the same 200,000 random exam–patient
pairs as in the pandas engine (the sampled exams fetched by position). Each partition
also keeps what it scored, in one row on the executors' disks (a pickled, compressed
state), so the decision pass never scores again: it re-weights the pairs with the
scorer so decided (broadcast), decides and writes the ``links`` rows: the same rows as
the pandas engine.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterator

import numpy as np
import pandas as pd

from radlink.engines import object_strings
from radlink.linkage.exam_patient import (
    _LAST,
    _LEVEL_COLUMNS,
    _LOOSE,
    _STRICT,
    _beyond_doubt,
    _chunks,
    _confirm_carried_ipp,
    _ExamLinks,
    _link_by_identity_rule,
    _links_frame,
    _mark_presence_format,
    _PatientKeys,
    _random_pairs,
    _score_chunk,
    _settle_decisions,
    _u_of_pairs,
    features,
    fit_sessions,
    prepare_exams,
    prepare_patients,
)
from radlink.linkage.presence import presence_priors, presence_summary
from radlink.linkage.settings import LinkageSettings
from radlink.spark.frames import ROW, from_spark_batch

__all__ = ["link_exams_to_patients_spark"]

_RANDOM_PAIRS, _RANDOM_SEED = 200_000, 0  # as random_pair_levels' defaults
_EXAMS_ROW = -9  # level value of the row that counts a batch's exams with candidates
_STATE = "_state"  # column of a partition's pickled scoring state
_PATTERN_COLUMNS = [*_LEVEL_COLUMNS, "last_resort"]
del _beyond_doubt  # imported to fail loudly here if the pandas engine's steps are renamed


class _Registry:
    """The prepared registry, its blocking keys and its IPP lookup: built once, broadcast."""

    def __init__(self, patients: pd.DataFrame) -> None:
        self.pt = prepare_patients(patients)
        self.keys = _PatientKeys(self.pt)
        for level in (_STRICT, _LOOSE, _LAST):  # computed once here, not in every partition
            self.keys[level]
        # as radlink.linkage.exam_patient._carried_patient_rows, once for every partition
        ipp_to_row = pd.Series(np.arange(len(self.pt)), index=self.pt["ipp"].to_numpy(dtype=object))
        self.ipp_to_row = ipp_to_row[ipp_to_row.index.notna() & ~ipp_to_row.index.duplicated(keep=False)]

    def carried_rows(self, ex: pd.DataFrame) -> np.ndarray:
        return ex["ipp"].map(self.ipp_to_row).to_numpy(dtype=np.float64)


def _settled_and_scored(exams: pd.DataFrame, reg: _Registry, scorer, settings: LinkageSettings):
    """Steps 1-3 of the pandas engine on one batch of exams: links so far, rows left, scored pairs."""
    ex = prepare_exams(exams)
    links = _ExamLinks.unlinked(len(ex))
    carried_row = reg.carried_rows(ex)
    _mark_presence_format(ex, carried_row, reg.pt["patient_id"].to_numpy(dtype=object))
    settled = _link_by_identity_rule(ex, reg.pt, carried_row, scorer, links)
    unsettled_carried = ~np.isnan(carried_row) & ~settled
    settled |= _confirm_carried_ipp(ex, reg.pt, carried_row, unsettled_carried, scorer, settings, links)
    rest = np.flatnonzero(~settled)
    parts = []
    for start, stop in _chunks(len(rest), settings.chunk_size):  # as _search_candidates
        chunk_rows = rest[start:stop]
        chunk = ex.iloc[chunk_rows].reset_index(drop=True)
        scored = _score_chunk(chunk, reg.pt, reg.keys, scorer, settings)
        scored["source_row"] = chunk_rows[scored["source_row"].to_numpy()]
        parts.append(scored)
    scored = pd.concat(parts, ignore_index=True) if parts else None
    return ex, links, rest, scored


def _pattern_schema(state: bool = False):
    from pyspark.sql import types as T

    return T.StructType([*(T.StructField(c, T.LongType(), True) for c in _PATTERN_COLUMNS),
                         T.StructField("n_pairs", T.LongType(), False),
                         T.StructField("n_exams", T.LongType(), False),
                         *([T.StructField(_STATE, T.BinaryType(), True)] if state else [])])


def _state_row(state, rows: np.ndarray) -> pd.DataFrame:
    """One row holding a partition's scoring state (:func:`_settled_and_scored`) and its exams' positions.

    Pickled and compressed: about 0.4 MB per 10,000 exams (synthetic default profile).
    """
    blob = zlib.compress(pickle.dumps((state, rows), protocol=pickle.HIGHEST_PROTOCOL), 1)
    return pd.DataFrame({**{c: pd.Series([None], dtype=object) for c in _PATTERN_COLUMNS},
                         "n_pairs": [0], "n_exams": [0], _STATE: pd.Series([blob], dtype=object)})


def _links_schema():
    from pyspark.sql import types as T

    from radlink.linkage import LINK_COLUMNS

    return T.StructType([*(T.StructField(c, T.DoubleType() if c == "score" else T.StringType(), True)
                           for c in LINK_COLUMNS), T.StructField(ROW, T.LongType(), False)])


def _patterns(scored: pd.DataFrame | None) -> pd.DataFrame:
    """Distinct comparison patterns of scored pairs with their counts, and the exams they cover.

    ``last_resort`` (1) marks the pairs of the last blocking pass, which EM does not learn from.
    """
    if scored is None or not len(scored):
        return pd.DataFrame(columns=[*_PATTERN_COLUMNS, "n_pairs", "n_exams"]).astype(np.int64)
    scored = scored.assign(last_resort=(scored["last_resort"].to_numpy(dtype=bool).astype(np.int64)
                                        if "last_resort" in scored else 0))
    counts = scored.groupby(_PATTERN_COLUMNS).size().rename("n_pairs").reset_index().astype(np.int64)
    counts["n_exams"] = 0
    exams = pd.DataFrame({c: [_EXAMS_ROW] for c in _PATTERN_COLUMNS} | {"n_pairs": [0],
                                                               "n_exams": [scored["source_row"].nunique()]})
    return pd.concat([counts, exams], ignore_index=True).astype(np.int64)


def _rescored(scored: pd.DataFrame | None, refit) -> pd.DataFrame | None:
    """The scored pairs re-weighted by the refitted scorer (as :func:`_rescore_with_refit`), else as they are."""
    if refit is not None and scored is not None:
        X = features(scored)
        scored["match_weight"] = refit.match_weight(X)
        scored["match_probability"] = refit.predict_proba(X)[:, 1]
    return scored


def _presence_schema():
    from pyspark.sql import types as T

    return T.StructType([T.StructField("format", T.StringType(), True), T.StructField("bits", T.DoubleType(), False),
                         T.StructField("exams", T.LongType(), False)])


def _decided_links(ex, links, rest, scored, reg: _Registry, refit, settings, priors=None) -> pd.DataFrame:
    """Steps 3-5 of the pandas engine: re-score (when refit), decide, the ``links`` rows."""
    if len(rest):
        scored = _rescored(scored, refit)
        _settle_decisions(scored, rest, ex, reg.pt["patient_id"].to_numpy(dtype=object), settings, links,
                          priors=priors)
    frame = _links_frame(ex, links).drop(columns="reattached")
    frame["score"] = frame["score"].astype(np.float64).clip(0.0, 1.0)
    return frame


def _random_pair_u(exams_sdf, n_exams: int, reg: _Registry, settings: LinkageSettings) -> np.ndarray:
    """u of :func:`radlink.linkage.exam_patient.random_pair_levels`, the same pairs, exams fetched by position."""
    from pyspark.sql import functions as F

    source, target = _random_pairs(n_exams, len(reg.pt), n_pairs=_RANDOM_PAIRS, seed=_RANDOM_SEED)
    wanted = np.unique(source)
    spark = exams_sdf.sparkSession
    positions = spark.createDataFrame(pd.DataFrame({ROW: wanted.astype(np.int64)}))
    sample = exams_sdf.join(F.broadcast(positions), on=ROW, how="inner").toPandas()
    sample = sample.sort_values(ROW).reset_index(drop=True)
    ex = prepare_exams(from_spark_batch(sample, "exams"))
    local = np.searchsorted(sample[ROW].to_numpy(dtype=np.int64), source)
    pairs = pd.DataFrame({"source_row": local, "target_row": target})
    return _u_of_pairs(ex, reg.pt, pairs, workers=settings.workers)


def _refit(patterns: pd.DataFrame, exams_sdf, n_exams: int, reg: _Registry, prior,
           settings: LinkageSettings):
    """The driver's decision (as :func:`_refit_decision`, :func:`_rescore_with_refit`): (scorer or None, why)."""
    pairs = patterns[patterns[_LEVEL_COLUMNS[0]] != _EXAMS_ROW]
    n_searched = int(patterns["n_exams"].sum())
    if settings.refit_em is False:
        return None, "refit_off"
    if not int(pairs["n_pairs"].sum()):
        return None, "no_candidates"
    if settings.refit_em is None and n_searched < settings.refit_em_min_exams:
        return None, "too_few_exams"
    u = _random_pair_u(exams_sdf, n_exams, reg, settings)
    # as _rescore_with_refit: last-resort pairs are scored, not learned from
    train = pairs[pairs["last_resort"] == 0]
    levels = train[_LEVEL_COLUMNS].to_numpy(dtype=np.float64)
    X = np.repeat(levels, train["n_pairs"].to_numpy(dtype=np.int64), axis=0)
    X = np.column_stack([X, np.full(len(X), np.nan)])  # EM reads levels only, never the frequency
    scorer = fit_sessions(X, u, prior=prior, prior_weight=settings.refit_em_prior_weight)
    if not scorer.converged_:
        return None, "em_not_converged"
    if np.any(scorer.m_[:, 0] < scorer.u_[:, 0]):
        return None, "em_implausible"
    return scorer, "refit"


def _whole_partition(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """A partition's Arrow batches as one frame (none when empty).

    Blocking a batch costs a pass over the registry's keys whatever the batch's size
    (the pandas engine's ``candidate_pairs`` counts block sizes on every call), so a
    partition is blocked at once, in chunks of ``settings.chunk_size`` as in pandas.
    """
    frames = list(batches)
    if frames:
        yield pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def link_exams_to_patients_spark(exams_sdf, patients: pd.DataFrame, *, settings: LinkageSettings,
                                 scorer=None, fitted: dict | None = None, n_exams: int | None = None):
    """Exam → patient ``links`` rows of a Spark exams table, with :data:`ROW` (the exam's position).

    Parameters
    ----------
    exams_sdf : pyspark.sql.DataFrame
        Canonical exams with :data:`ROW` (:func:`radlink.spark.frames.with_positions`).
    patients : pandas.DataFrame
        The validated registry (collected once: it is broadcast).
    settings : LinkageSettings
    scorer : FellegiSunterScorer, optional
        Defaults to the shipped one.
    fitted : dict, optional
        Receives ``exam_patient_model`` as in the pandas engine.
    n_exams : int, optional
        The rows of ``exams_sdf`` when known (counted otherwise).

    Returns
    -------
    pyspark.sql.DataFrame
        The ``links`` columns and :data:`ROW`; one row per exam.
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    if scorer is None:
        from radlink.models import load_exam_patient_scorer

        scorer = load_exam_patient_scorer()
    spark = exams_sdf.sparkSession
    registry = spark.sparkContext.broadcast(_Registry(patients))

    def scoring_pass(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in _whole_partition(batches):
            state = _settled_and_scored(from_spark_batch(batch, "exams"), registry.value, scorer, settings)
            yield _patterns(state[3]).assign(**{_STATE: None})
            yield _state_row(state, batch[ROW].to_numpy(dtype=np.int64))

    # one scoring pass: each partition sends back its patterns (for EM) and, in one row, what it
    # scored (kept on the executors' disks), which the decision pass reads instead of scoring again
    scored = exams_sdf.mapInPandas(scoring_pass, _pattern_schema(state=True)).persist(StorageLevel.DISK_ONLY)
    patterns = scored.where(F.col(_STATE).isNull()).drop(_STATE).toPandas()
    patterns = patterns.groupby(_PATTERN_COLUMNS, as_index=False)[["n_pairs", "n_exams"]].sum()
    n_exams = exams_sdf.count() if n_exams is None else n_exams
    refit, why = _refit(patterns, exams_sdf, n_exams, registry.value, scorer, settings)

    def presence_pass(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            for blob in batch[_STATE]:
                (ex, _links, rest, scored_pairs), _rows = pickle.loads(zlib.decompress(blob))
                if len(rest) and scored_pairs is not None:
                    yield presence_summary(_rescored(scored_pairs, refit), ex["presence_format"].to_numpy(dtype=object))

    # the share of registered patients per IPP format family: summed per partition, decided once
    states = scored.where(F.col(_STATE).isNotNull()).select(_STATE)
    presence = states.mapInPandas(presence_pass, _presence_schema()).toPandas()
    priors = presence_priors(presence, len(registry.value.pt))
    if fitted is not None:
        fitted["exam_patient_model"] = why
        fitted["patient_presence"] = priors

    def links_pass(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        reg = registry.value
        for batch in batches:
            for blob in batch[_STATE]:
                (ex, links, rest, scored_pairs), rows = pickle.loads(zlib.decompress(blob))
                frame = _decided_links(ex, links, rest, scored_pairs, reg, refit, settings, priors)
                frame[ROW] = rows
                yield object_strings(frame)

    return states.mapInPandas(links_pass, _links_schema())
