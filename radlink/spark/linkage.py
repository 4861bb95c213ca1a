"""``link`` on Spark: the four link types of :func:`radlink.linkage.link`, the same rows.

1. **exam → patient**, per partition of exams against the broadcast registry, with the
   scorer's EM re-estimation done once on the driver
   (:func:`~radlink.spark.exam_patient.link_exams_to_patients_spark`);
2. **exam → stay, report → exam, report → stay**, per group of connected patients and
   accession numbers (:mod:`radlink.spark.groups`), each group linked by the pandas
   engine's functions (``groupBy().applyInPandas``). The report-delay model, the one
   global estimate of these steps, is fitted once, in one Python task on the executors,
   and broadcast with the settings: on every report up to
   ``LinkageSettings.delay_sample_reports`` (200,000 by default), above it on the pandas
   engine's sample of patients (:mod:`radlink.linkage.delay_sample`: a hash of the
   patient id, computed here as a column). Either way it is the pandas engine's model
   exactly; each report's facts are read on the executors (:func:`_fit_reports`), the
   rows are gathered in one task that runs the fit alone, not the linkage, and only the
   model (a few kB) reaches the driver (:func:`_delay_model`).

Rows come back in the pandas engine's order (exam→patient, exam→stay, report→exam,
report→stay, each in input order).
"""

from __future__ import annotations

import functools
from dataclasses import replace

import numpy as np
import pandas as pd

from radlink.engines import is_spark_frame, object_strings, require_pyspark, spark_session
from radlink.linkage import LINK_COLUMNS, LinkageSettings
from radlink.linkage.delay_sample import HASH_BITS, fit_sampled_delay_model, sample_limit
from radlink.linkage.exam_context import (
    CONTEXT_EXAM_COLUMNS,
    ORPHAN_REPORT_DAYS,
    PLACEHOLDER_MIN_IDS,
    REPORT_CLUE_COLUMNS,
    TABLE_WORD,
    _unit_key,
    anonymous_identity,
    family_keys,
    placeholder_word_counts,
    placeholder_words_from_totals,
    report_clues,
    resolve_exams_from_context,
    silent_identity,
    surname_only,
)
from radlink.linkage.frames import object_frame
from radlink.linkage.normalize import normalize_ipp, registry_ipp_of
from radlink.linkage.report_exam import (
    _linking_start,
    dates_only_decision,
    link_reports_to_exams,
    midnight_counts,
    report_facts,
)
from radlink.linkage.report_identity import (
    HEAD_CHARS,
    HEAD_PATTERN,
    may_name_a_patient,
    report_patients_from_headers,
)
from radlink.linkage.stamp_days import on_stamp_days, without_stamps
from radlink.linkage.stay_margins import fit_stay_margins
from radlink.linkage.stays import link_exams_to_stays, link_reports_to_stays, report_stay_windows
from radlink.linkage.visits import visit_number
from radlink.spark.exam_patient import link_exams_to_patients_spark
from radlink.spark.frames import (
    ROW,
    canonical,
    check_unique_ids,
    from_spark_batch,
    positioned,
    to_spark,
    validated,
)
from radlink.spark.groups import GROUP as _GROUP
from radlink.spark.groups import row_groups
from radlink.tables import empty_table, parse_dates, validate_table

__all__ = ["link_spark"]

EXAMS_PER_PARTITION = 100_000
"""Exams per partition of the exam→patient step."""
REPORTS_PER_GROUP = 20_000
"""Reports per group of connected patients (about), by default."""
ROWS_PER_PARTITION = 50_000
"""Exams and reports (about) per partition of the grouped rows, which the delay model's fit and
the site step read in Python: a partition costs a Python task of its own (0.1-0.2 s on
``local[2]``, whatever its rows), and the three tables' shuffles leave three times
``spark.sql.shuffle.partitions`` of them."""

_KIND = "_kind"  # 0 exam→patient, 1 exam→stay, 2 report→exam, 3 report→stay
_TABLE = "_table"
_PREFIX = {"exams": "e__", "reports": "r__", "stays": "s__"}
_EP_STATUS, _EP_TARGET, _REPORT_PATIENT = "e__ep_status", "e__ep_target", "r__report_patient"
_EP_KEY = "e__ep_key"


def _spark_table(spark, df, table: str):
    if df is None:
        df = empty_table(table)
    return canonical(df if is_spark_frame(df) else to_spark(spark, df, table), table)


def _registry(patients) -> pd.DataFrame:
    if is_spark_frame(patients):
        return validated(object_strings(canonical(patients, "patients").drop(ROW).toPandas()), "patients")
    return validate_table(patients, "patients")


def _links_schema():
    from pyspark.sql import types as T

    return T.StructType([*(T.StructField(c, T.DoubleType() if c == "score" else T.StringType(), True)
                           for c in LINK_COLUMNS), T.StructField(_KIND, T.IntegerType(), False),
                         T.StructField(ROW, T.LongType(), False)])


class _GroupInputs:
    """The tables of one group (or of all groups) as the pandas engine's linkers read them, in input order."""

    def __init__(self, frame: pd.DataFrame) -> None:
        parts = {t: frame[frame[_TABLE] == t].sort_values(ROW, kind="mergesort").reset_index(drop=True)
                 for t in ("exams", "reports", "stays")}
        self.parts = parts
        self.exams = from_spark_batch(parts["exams"], "exams", _PREFIX["exams"])
        self.reports = from_spark_batch(parts["reports"], "reports", _PREFIX["reports"])
        self.stays = from_spark_batch(parts["stays"], "stays", _PREFIX["stays"])
        self.ep = ep = pd.DataFrame({"status": parts["exams"][_EP_STATUS].to_numpy(dtype=object),
                                     "target_id": parts["exams"][_EP_TARGET].to_numpy(dtype=object)})
        # as radlink.linkage.api._temporary_ids: unlinked exams under a temporary IPP are found by it
        key = (parts["exams"][_EP_KEY].astype(object).to_numpy() if _EP_KEY in parts["exams"]
               else np.full(len(ep), None, dtype=object))
        alone = pd.notna(key)
        self.ep_reports = ep if not alone.any() else pd.DataFrame({
            "status": np.where(alone, "linked", ep["status"].to_numpy(dtype=object)),
            "target_id": np.where(alone, key, ep["target_id"].to_numpy(dtype=object))})
        report_patient = parts["reports"][_REPORT_PATIENT].astype(object).to_numpy()
        self.report_patient = np.where(pd.notna(report_patient), report_patient, None)


def _link_group(frame: pd.DataFrame, settings: LinkageSettings, fitted: dict | None = None) -> pd.DataFrame:
    """Exam→stay, report→exam, report→stay links of one group, by the pandas engine's functions.

    The composition is :func:`radlink.linkage.link`'s, after its exam→patient step.
    """
    g = _GroupInputs(frame)
    parts, exams, reports, stays = g.parts, g.exams, g.reports, g.stays
    ep, ep_reports, report_patient = g.ep, g.ep_reports, g.report_patient
    exam_stay = link_exams_to_stays(exams, ep, stays, settings=settings)
    report_exam = link_reports_to_exams(reports, exams, ep_reports, settings=settings,
                                        report_patient=report_patient, fitted=fitted,
                                        report_stay_window=report_stay_windows(reports, stays),
                                        by_site=False)  # across groups: _reports_by_site, on the driver
    # as radlink.linkage.link: a report linked to an exam belongs to the exam's patient
    linked_exam = np.where(report_exam["status"].to_numpy() == "linked",
                           report_exam["target_id"].to_numpy(dtype=object), None)
    by_exam = ep.set_index(exams["exam_id"].to_numpy(dtype=object))
    exam_pat = np.where(by_exam["status"].reindex(linked_exam).to_numpy(dtype=object) == "linked",
                        by_exam["target_id"].reindex(linked_exam).to_numpy(dtype=object), None)
    report_patient = np.where(pd.notna(exam_pat), exam_pat, report_patient)
    report_stay = link_reports_to_stays(reports, report_exam, exam_stay, report_patient, stays,
                                        settings=settings)
    out = []
    for kind, links, rows in ((1, exam_stay, parts["exams"][ROW]), (2, report_exam, parts["reports"][ROW]),
                              (3, report_stay, parts["reports"][ROW])):
        links = links[list(LINK_COLUMNS)].copy()
        links["score"] = links["score"].astype(np.float64).clip(0.0, 1.0)
        links[_KIND] = np.int32(kind)
        links[ROW] = rows.to_numpy(dtype=np.int64)
        out.append(links)
    result = pd.concat(out, ignore_index=True)
    for col in LINK_COLUMNS:
        if col != "score":
            values = result[col].astype(object)
            result[col] = values.where(values.notna(), None)
    return object_strings(result)


_IPP, _CONCERNED = "_ipp", "_concerned"


def _datetimes(values: pd.Series) -> pd.Series:
    """A batch's date column as datetimes: Spark's timestamps as they are, a site's text as
    :func:`radlink.tables.validate_table` reads it."""
    return parse_dates(values)[0] if values.dtype == object else pd.to_datetime(values)


def _stay_margins(exams, stays, settings: LinkageSettings) -> dict:
    """:func:`~radlink.linkage.stay_margins.fit_stay_margins` on the exams carrying a known stay id.

    Only those exams' time and their stay's type and interval reach the driver.
    """
    from pyspark.sql import functions as F

    carried = exams.select(F.col("stay_id").alias("_sid"), "study_datetime").where(F.col("_sid").isNotNull())
    known = stays.select(F.col("stay_id").alias("_sid"), "stay_type", "start_datetime", "end_datetime")
    obs = carried.join(known.dropDuplicates(["_sid"]), on="_sid").drop("_sid").toPandas()
    return fit_stay_margins(pd.DataFrame({
        "stay_type": obs["stay_type"].astype(object).to_numpy(),
        "when": _datetimes(obs["study_datetime"]).to_numpy(dtype="datetime64[ns]"),
        "start": _datetimes(obs["start_datetime"]).to_numpy(dtype="datetime64[ns]"),
        "end": _datetimes(obs["end_datetime"]).to_numpy(dtype="datetime64[ns]"),
    }), settings)


def _placeholder_words(exams, registry: pd.DataFrame) -> frozenset[str]:
    """The warehouse's placeholder name words, as the pandas engine learns them
    (:func:`~radlink.linkage.exam_context.placeholder_words`): the counts per partition, summed
    per (word, IPP) then per word by Spark; only the words of enough IPPs reach the driver's decision."""
    from pyspark.sql import functions as F

    def count(batches):
        for batch in batches:
            yield placeholder_word_counts(pd.DataFrame({
                "patient_id": batch["patient_id"].to_numpy(dtype=object),
                "patient_name": batch["patient_name"].to_numpy(dtype=object),
                "birth_date": pd.to_datetime(batch["birth_date"])}))

    counts = exams.select("patient_id", "patient_name", "birth_date").mapInPandas(
        count, "word string, ipp string, rows long, dateless long")
    per_id = counts.groupBy("word", "ipp").agg(F.sum("rows").alias("rows"), F.sum("dateless").alias("dateless"))
    totals = per_id.groupBy("word").agg(F.count(F.lit(1)).alias("ids"), F.sum("rows").alias("rows"),
                                        F.sum("dateless").alias("dateless"))
    totals = totals.where((F.col("ids") >= PLACEHOLDER_MIN_IDS) | (F.col("word") == TABLE_WORD)).toPandas()
    return placeholder_words_from_totals(totals, registry)


def _context_frames(exams, ep, reports, stays, settings: LinkageSettings, registry: pd.DataFrame | None = None,
                    words: frozenset[str] | None = None):
    """The rows :func:`~radlink.linkage.exam_context.resolve_exams_from_context` reads, chosen on the executors.

    The step decides only the *concerned* exams (open, or linked with a silent header);
    the other rows it reads are their neighbours, and only those reach the driver:

    * exams sharing a concerned exam's accession number (its uniqueness is counted on
      them), normalised IPP (a temporary IPP's group) or, when linked, the patient of a
      report below (the orphan report's check that its patient has no exam of its class);
    * reports carrying a concerned exam's accession number, or signed on a day from
      the clock skew and a day before a concerned exam to the orphan-report span and
      three days after, with what each says of its exam
      (:func:`~radlink.linkage.exam_context.report_clues`, read on the executors);
    * stays carried by a concerned exam or one of those reports (or movements of the
      visit such a carried number names), or of a unit a concerned exam names, or of the
      registry's patients of the family a concerned header names alone, or holding a
      concerned anonymous exam's time (widened by the stay tolerances).

    Every piece of evidence the step computes for a concerned exam is within these rows
    (the module's docstring lists them), so its decisions are those on the whole tables.
    Returns ``(exam_frame, reports, clues, stays)`` as pandas, or None when no exam is concerned.
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    ambiguous_evidence = F.when(F.col("status") == "ambiguous", F.col("evidence")).alias("evidence")
    keyed = exams.select(ROW, *CONTEXT_EXAM_COLUMNS).join(
        ep.select(ROW, "status", "target_id", "score", "method", ambiguous_evidence), on=ROW)
    schema = T.StructType([*keyed.schema.fields, T.StructField(_IPP, T.StringType()),
                           T.StructField(_CONCERNED, T.BooleanType())])

    def flag(batches):
        for batch in batches:
            header = pd.DataFrame({"patient_name": batch["patient_name"].to_numpy(dtype=object),
                                   "birth_date": pd.to_datetime(batch["birth_date"])})
            status = batch["status"].to_numpy(dtype=object)
            out = batch.copy()
            out[_IPP] = normalize_ipp(batch["patient_id"].astype(object)).to_numpy(dtype=object)
            out[_CONCERNED] = (status != "linked") | silent_identity(header, words)
            yield object_strings(out)

    keyed = keyed.mapInPandas(flag, schema).persist(StorageLevel.MEMORY_AND_DISK)
    concerned = _exam_frame(keyed.where(F.col(_CONCERNED)).toPandas())
    if not len(concerned):
        keyed.unpersist()
        return None
    accessions = set(concerned["accession_number"].dropna())
    ipps = set(concerned[_IPP].dropna())
    when = concerned["study_datetime"].dropna().to_numpy().astype("datetime64[D]")
    before = int(np.ceil(settings.report_before_exam_hours / 24)) + 1  # the clock skew, and a day's margin
    span = np.arange(-before, int(ORPHAN_REPORT_DAYS) + 4).astype("timedelta64[D]")
    days = np.unique((when[:, None] + span).ravel()).astype(str)
    units = set(_unit_key(concerned["unit"].dropna().unique())) - {None}
    # a header naming only a family: the stays of the registry's patients of that family
    surname, family = surname_only(concerned, words)
    family_patients: set = set()
    if registry is not None and surname.any():
        keys = family_keys(registry)
        family_patients = set(keys.loc[keys["key"].isin(set(family[surname])), "patient_id"])
    stay_ids = set(concerned["stay_id"].dropna())

    def near(batches):  # ids and dates only: the texts stay on the executors' disks
        for batch in batches:
            day = _datetimes(batch["report_datetime"]).to_numpy().astype("datetime64[D]").astype(str)
            keep = batch["accession_number"].isin(accessions).to_numpy() | np.isin(day, days)
            yield batch.loc[keep, [ROW]]

    def clued(batches):  # the reports kept, with what each says of its exam
        for batch in batches:
            sub = batch.reset_index(drop=True)
            if not len(sub):
                continue
            clues = report_clues(sub)
            clues["stated_date"] = pd.to_datetime(clues["stated_date"]).dt.strftime("%Y-%m-%d")
            yield object_strings(pd.concat([sub.drop(columns=["title", "text"]),
                                            clues.astype({"mclass": object, "region": object})], axis=1))

    rep_cols = [ROW, "report_id", "patient_id", "stay_id", "report_datetime", "accession_number"]
    read = reports.select(ROW, *(F.col(c) if c == "report_datetime" else F.col(c).cast("string")
                                 for c in rep_cols[1:]), "title", "text")
    # the reports near a concerned exam, chosen without their texts (positions only, broadcast),
    # then read with their texts: a text goes to a Python worker only when its report is kept
    kept = read.select(ROW, "report_datetime", "accession_number").mapInPandas(near, f"{ROW} long")
    near_schema = T.StructType([*read.drop("title", "text").schema.fields,
                                *(T.StructField(c, T.StringType()) for c in ("mclass", "region", "stated_date")),
                                T.StructField("addendum", T.BooleanType())])
    picked = read.join(F.broadcast(kept), on=ROW, how="left_semi").mapInPandas(clued, near_schema).toPandas()
    picked = picked.sort_values(ROW, kind="mergesort").reset_index(drop=True)
    rep = object_strings(picked[rep_cols])
    rep["report_datetime"] = _datetimes(rep["report_datetime"])
    picked = picked.astype(object).where(picked.notna(), None)
    clues = picked[list(REPORT_CLUE_COLUMNS)].copy()
    clues["stated_date"] = pd.to_datetime(clues["stated_date"]).to_numpy().astype("datetime64[D]")
    clues["addendum"] = clues["addendum"].to_numpy(dtype=bool)
    stay_ids |= set(rep["stay_id"].dropna())
    # the stays holding a concerned anonymous exam's time (the stay type learned from the placed ones)
    header = pd.DataFrame({"patient_name": concerned["patient_name"].to_numpy(dtype=object),
                           "birth_date": pd.to_datetime(concerned["birth_date"])})
    anonymous_times = np.sort(pd.to_datetime(concerned["study_datetime"]).to_numpy(dtype="datetime64[ns]")[
        anonymous_identity(header, words)])
    anonymous_times = anonymous_times[~np.isnat(anonymous_times)]
    before_stay = np.timedelta64(int(settings.stay_tolerance_before_hours * 3600), "s")
    after_stay = np.timedelta64(int(settings.stay_tolerance_after_hours * 3600), "s")

    def held(batches):
        for batch in batches:
            keep = batch["stay_id"].isin(stay_ids).to_numpy().copy()
            keep |= pd.Series(visit_number(batch["stay_id"]), dtype=object).isin(stay_ids).to_numpy()  # movements
            keep |= batch["patient_id"].isin(family_patients).to_numpy()
            keep |= pd.Series(_unit_key(batch["unit"]), dtype=object).isin(units).to_numpy()
            if len(anonymous_times):
                start = _datetimes(batch["start_datetime"]).to_numpy(dtype="datetime64[ns]")
                end = _datetimes(batch["end_datetime"]).to_numpy(dtype="datetime64[ns]")
                lo = start - before_stay
                hi = np.where(np.isnat(end), start, end) + after_stay
                inside = (np.searchsorted(anonymous_times, hi, side="right")
                          > np.searchsorted(anonymous_times, lo, side="left"))
                keep |= ~np.isnat(start) & inside
            yield batch[keep]

    stay_cols = [c for c in ("stay_id", "patient_id", "start_datetime", "end_datetime", "unit", "stay_type")
                 if c in stays.columns]
    sty = object_strings(stays.select(*stay_cols).mapInPandas(held, stays.select(*stay_cols).schema).toPandas())
    stay_patient = sty.drop_duplicates("stay_id").set_index("stay_id")["patient_id"]
    patients = set(rep["patient_id"].dropna()) | set(
        stay_patient.reindex(rep["stay_id"].dropna().to_numpy(dtype=object)).dropna())

    def neighbours(batches):
        for batch in batches:
            keep = batch["accession_number"].isin(accessions).to_numpy() | batch[_IPP].isin(ipps).to_numpy()
            keep = keep | (batch["status"].to_numpy(dtype=object) == "linked") & batch["target_id"].isin(patients).to_numpy()
            yield batch[keep]

    others = _exam_frame(keyed.where(~F.col(_CONCERNED)).mapInPandas(neighbours, schema).toPandas())
    keyed.unpersist()
    frame = pd.concat([concerned, others], ignore_index=True).sort_values(ROW, kind="mergesort")
    return frame.reset_index(drop=True), rep, clues, sty


def _collected(sdf) -> pd.DataFrame:
    """``sdf.orderBy(ROW).toPandas()`` without Spark's sort: the rows collected as they come, then
    sorted by :data:`ROW` on the driver (a few rows, where Spark's sort costs a sampling job and a
    shuffle of its own)."""
    return sdf.toPandas().sort_values(ROW, kind="mergesort").reset_index(drop=True)


def _exam_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Collected exam rows with their exam→patient link, as the pandas step reads them."""
    frame = object_strings(frame)
    frame = frame.astype(object).where(frame.notna(), None).astype({ROW: np.int64, "score": np.float64})
    for col in ("birth_date", "study_datetime"):
        frame[col] = pd.to_datetime(frame[col])
    return frame


def _with_context(spark, ep, exams, reports, stays, registry: pd.DataFrame, settings: LinkageSettings,
                  clock: _Clock | None = None):
    """``ep`` revised by :func:`radlink.linkage.exam_context.resolve_exams_from_context`, run once on the driver.

    The step reads ids, times and short header columns of the concerned exams and their
    neighbours (:func:`_context_frames`, chosen on the executors, with what each report
    says of its exam: no text reaches the driver); the pandas function decides, and only
    the rows it changed replace ``ep``'s. ``settings`` carries
    ``midnight_reports_are_dates``, estimated on every report.
    """
    from radlink.spark.exam_patient import _links_schema as _ep_schema

    words = _placeholder_words(exams, registry)
    frames = _context_frames(exams, ep, reports, stays, settings, registry, words)
    if clock is not None:
        clock.lap("context rows")
    if frames is None:
        return ep
    frame, rep, clues, sty = frames
    links = frame[["status", "target_id", "score", "method", "evidence"]]
    revised = resolve_exams_from_context(frame[list(CONTEXT_EXAM_COLUMNS)], links, registry, rep, sty,
                                         settings=settings, report_clues=clues, placeholder_words=words)
    changed = np.flatnonzero(revised["method"].to_numpy(dtype=object) == "warehouse_context")
    if not len(changed):
        return ep
    rows = revised.iloc[changed].reset_index(drop=True)
    rows = rows.assign(source_type="exam", source_id=frame["exam_id"].to_numpy(dtype=object)[changed],
                       target_type="patient", **{ROW: frame[ROW].to_numpy(dtype=np.int64)[changed]})
    rows = rows.astype(object).where(rows.notna(), None).astype({ROW: np.int64, "score": np.float64})
    new = spark.createDataFrame(object_strings(rows[[*LINK_COLUMNS, ROW]]), schema=_ep_schema())
    return ep.join(new.select(ROW), on=ROW, how="left_anti").select(*LINK_COLUMNS, ROW).unionByName(new)


_CHILD_EXAM_COLUMNS = ("exam_id", "patient_id", "patient_name", "birth_date", "study_datetime", "study_description",
                       "unit")
"""The exam columns :func:`radlink.linkage.child_identity.resolve_child_exams` reads."""


def _with_children(spark, ep, exams, stays, registry: pd.DataFrame):
    """``ep`` revised by :func:`radlink.linkage.child_identity.resolve_child_exams`, decided once on the driver.

    The paediatric descriptions need every linked exam: their summary
    (:func:`~radlink.linkage.child_identity.kind_counts`) is computed per partition and summed
    per description by Spark, and the decision
    (:func:`~radlink.linkage.child_identity.kinds_from_totals`) taken on the driver (one row per
    description). Each exam is flagged on the executors from its own row
    (:func:`~radlink.linkage.child_identity.child_exam_flags`); only the flagged exams reach the
    driver, then the stays of their families' children
    (:func:`~radlink.linkage.child_identity.family_children`, from the registry) and the exams
    linked to those children on the flagged days: the pandas function decides on those rows, and
    the flagged exams' rows replace ``ep``'s.
    """
    from pyspark.sql import functions as F

    from radlink.linkage.child_identity import (
        child_exam_flags,
        family_children,
        kind_counts,
        kinds_from_totals,
        registry_births,
        resolve_child_exams,
    )
    from radlink.spark.exam_patient import _links_schema as _ep_schema

    if not len(registry):
        return ep
    born = spark.sparkContext.broadcast(registry_births(registry))
    cols = [c for c in _CHILD_EXAM_COLUMNS if c in exams.columns]
    keyed = exams.select(ROW, *cols).join(ep.select(ROW, "status", "target_id"), on=ROW)

    def frame_of(batch: pd.DataFrame) -> pd.DataFrame:
        out = batch.copy()
        for col in ("birth_date", "study_datetime"):
            if col in out:
                out[col] = _datetimes(out[col])
        return out

    def summary(batches):
        for batch in batches:
            yield kind_counts(frame_of(batch), batch["status"].to_numpy(dtype=object),
                              batch["target_id"].to_numpy(dtype=object), born.value)

    counts = keyed.mapInPandas(summary, "key string, patient string, child boolean, exams long")
    per_patient = counts.groupBy("key", "patient", "child").agg(F.sum("exams").alias("exams"))
    totals = per_patient.groupBy("key").agg(
        F.sum("exams").alias("exams"),
        F.sum(F.when(F.col("child"), F.col("exams")).otherwise(0)).alias("child_exams"),
        F.sum(F.when(F.col("child"), 1).otherwise(0)).alias("children")).toPandas()
    kinds = kinds_from_totals(totals.set_index("key").astype(np.int64))
    shared = spark.sparkContext.broadcast(kinds)

    def flagged_rows(batches):
        for batch in batches:
            _, paediatric, header = child_exam_flags(
                frame_of(batch), batch["status"].to_numpy(dtype=object), batch["target_id"].to_numpy(dtype=object),
                born.value, shared.value)
            yield batch.loc[paediatric | header, [ROW]]

    picked = keyed.select(ROW, *cols, "status", "target_id").mapInPandas(flagged_rows, f"{ROW} long")
    flagged = _collected(exams.select(ROW, *cols).join(ep, on=ROW).join(picked, on=ROW, how="left_semi"))
    if not len(flagged):
        return ep
    flagged = frame_of(object_strings(flagged))
    target = flagged["target_id"].to_numpy(dtype=object)
    children = family_children(flagged, np.arange(len(flagged)), target, registry, born.value)
    ids = sorted(set(children["patient_id"].dropna()))
    days = sorted(set(pd.to_datetime(flagged["study_datetime"]).dropna().dt.strftime("%Y-%m-%d")))
    if ids:
        sty = object_strings(stays.select("patient_id", "start_datetime", "end_datetime")
                             .where(F.col("patient_id").isin(ids)).toPandas())
        for col in ("start_datetime", "end_datetime"):
            sty[col] = _datetimes(sty[col])
        theirs = _collected(exams.select(ROW, *cols).join(
            ep.where((F.col("status") == "linked") & F.col("target_id").isin(ids)), on=ROW)
            .where(F.date_format("study_datetime", "yyyy-MM-dd").isin(days)))
        theirs = frame_of(object_strings(theirs))
    else:
        sty, theirs = None, flagged.iloc[:0]
    part = pd.concat([flagged, theirs], ignore_index=True)
    links = part[list(LINK_COLUMNS)].reset_index(drop=True)
    links["score"] = links["score"].astype(np.float64)
    revised = resolve_child_exams(part[cols].reset_index(drop=True), links, registry, sty, kinds=kinds)
    rows = revised.iloc[:len(flagged)].reset_index(drop=True)
    rows[ROW] = flagged[ROW].to_numpy(dtype=np.int64)
    rows = rows.astype(object).where(rows.notna(), None).astype({ROW: np.int64, "score": np.float64})
    new = spark.createDataFrame(object_strings(rows[[*LINK_COLUMNS, ROW]]), schema=_ep_schema())
    return ep.join(new.select(ROW), on=ROW, how="left_anti").select(*LINK_COLUMNS, ROW).unionByName(new)


def _temporary_ids(ex, registry_ids: list[str], report_rows=None):
    """The temporary-IPP rule of :mod:`radlink.linkage.temporary_ids`, its functions run on the executors.

    The summary (:func:`~radlink.linkage.temporary_ids.temporary_pairs`) is computed per
    partition of exams; the decision
    (:func:`~radlink.linkage.temporary_ids.one_patient_per_temporary_id`) per partition of
    those pairs hashed by temporary id (each id's pairs in one partition); the key of an
    unlinked exam (:func:`~radlink.linkage.temporary_ids.unlinked_temporary_keys`) per
    partition of exams. With ``report_rows`` (``patient``, ``_stay_patient``), the reports'
    summary (:func:`~radlink.linkage.temporary_ids.report_stay_pairs`), for ids no exam
    carries, joins the exams' before the decision. Returns ``(one, alone)``: ``_carried``/``_via`` and
    :data:`ROW`/``ep_key`` (the exams that have a key), as Spark DataFrames.
    """
    from pyspark.sql import functions as F

    from radlink.linkage.temporary_ids import (
        one_patient_per_temporary_id,
        report_stay_pairs,
        temporary_pairs,
        unlinked_temporary_keys,
    )

    spark = ex.sparkSession
    registry = spark.sparkContext.broadcast(pd.Index(registry_ids, dtype=object))

    def summary(batches):
        for batch in batches:
            yield temporary_pairs(batch["patient_id"], batch["ep_status"], batch["ep_target"], registry.value)

    def decision(batches):
        frames = list(batches)  # a partition holds every pair of its ids, over one or more batches
        if frames:
            yield one_patient_per_temporary_id(pd.concat(frames, ignore_index=True))

    def keys(batches):
        for batch in batches:
            key = unlinked_temporary_keys(batch["patient_id"], batch["ep_status"], registry.value)
            kept = pd.notna(key)
            yield pd.DataFrame({ROW: batch[ROW].to_numpy(dtype=np.int64)[kept], "ep_key": key[kept]})

    pairs = ex.select("patient_id", "ep_status", "ep_target").mapInPandas(summary, "carried string, patient string")
    if report_rows is not None:
        def by_stay(batches):
            for batch in batches:
                yield report_stay_pairs(batch["patient"], batch["_stay_patient"], registry.value)

        exam_ids = ex.select(F.col("patient_id").alias("carried")).where(F.col("carried").isNotNull()).distinct()
        pairs = pairs.unionByName(report_rows.select("patient", "_stay_patient")
                                  .mapInPandas(by_stay, "carried string, patient string")
                                  .join(exam_ids, on="carried", how="left_anti"))
    one = (pairs.repartition("carried").mapInPandas(decision, "carried string, patient string")
           .select(F.col("carried").alias("_carried"), F.col("patient").alias("_via")))
    alone = ex.select(ROW, "patient_id", "ep_status").mapInPandas(keys, f"{ROW} long, ep_key string")
    return one, alone


def _named_in_header(report_rows, exams, reports, known, registry: pd.DataFrame, settings: LinkageSettings,
                     scorer=None):
    """As :func:`radlink.linkage.api._named_in_header`: only the heads that may name a patient (and
    the IPP their report carries) reach the driver, where the registry is."""
    from pyspark.sql import functions as F

    carried = (exams.select(F.col("patient_id").alias("_exam_ipp")).where(F.col("_exam_ipp").isNotNull())
               .distinct().withColumn("_is_carried", F.lit(True)))
    flags = (report_rows.select(ROW, "patient")
             .join(F.broadcast(known.withColumn("_is_registered", F.lit(True))),
                   F.col("patient") == F.col("_registered"), "left")
             .join(carried, F.col("patient") == F.col("_exam_ipp"), "left")
             .where(~(F.col("patient").isNotNull() & F.col("_is_registered").isNull()
                      & F.col("_is_carried").isNotNull()))
             .select(ROW))
    heads = _collected(reports.select(ROW, "patient_id", F.substring("text", 1, HEAD_CHARS).alias("text"))
                       .where(F.col("text").rlike(HEAD_PATTERN)).join(flags, on=ROW))
    if not len(heads):
        return report_rows
    text = pd.Series(heads["text"].astype(object).to_numpy(), dtype=object)
    named = report_patients_from_headers(pd.DataFrame({"text": text}), registry, may_name_a_patient(text),
                                         settings, scorer, carried=heads["patient_id"].astype(object).to_numpy())
    found = pd.notna(named)
    if not found.any():
        return report_rows
    mapped = exams.sparkSession.createDataFrame(
        pd.DataFrame({ROW: heads[ROW].to_numpy(dtype=np.int64)[found], "_named": named[found].astype(object)}),
        schema=f"{ROW} long, _named string")
    return (report_rows.join(F.broadcast(mapped), on=ROW, how="left")
            .select(ROW, "accession_number", F.coalesce(F.col("_named"), F.col("patient")).alias("patient")))


def _grouped_rows(exams, reports, stays, ep, n_groups: int, settings: LinkageSettings, *,
                  registry: pd.DataFrame | None = None, scorer=None):
    """The union of the three tables, each row tagged with its group.

    Groups come from :func:`radlink.spark.groups.row_groups` (Spark joins). Placeholder accession numbers are made
    null in the rows handed to the linkers, as :func:`radlink.linkage.link` does. Reports and exams under one
    temporary IPP meet as in :func:`radlink.linkage.api._temporary_ids` (``ep_key``: the key an unlinked exam
    under such an IPP is found by for report→exam).
    """
    from pyspark.sql import functions as F

    ep_cols = ep.select(ROW, F.col("status").alias("ep_status"), F.col("target_id").alias("ep_target"))
    ex = exams.join(ep_cols, on=ROW)
    ids = [] if registry is None else sorted(set(registry["patient_id"].dropna().astype(str)))
    known = exams.sparkSession.createDataFrame(pd.DataFrame({"_registered": pd.Series(ids, dtype=object)}),
                                               schema="_registered string")
    # as radlink.linkage.api._link: the report's own patient, else its stay's
    stay_patient = stays.select(F.col("stay_id").alias("_stay"), F.col("patient_id").alias("_stay_patient"))
    report_rows = (reports.select(ROW, "patient_id", "stay_id", "accession_number")
                   .join(stay_patient, F.col("stay_id") == F.col("_stay"), "left")
                   .select(ROW, "accession_number", "_stay_patient",
                           F.coalesce(F.col("patient_id"), F.col("_stay_patient")).alias("patient")))
    # as radlink.linkage.api._temporary_ids: an IPP in another site's format is its registry patient's
    others = (report_rows.select("patient").where(F.col("patient").isNotNull()).distinct()
              .join(F.broadcast(known), F.col("patient") == F.col("_registered"), "left_anti").toPandas())
    if registry is not None and len(others):
        found = registry_ipp_of(others["patient"], registry["patient_id"])
        mapped = pd.DataFrame({"_site_id": others["patient"].to_numpy(dtype=object), "_registry_id": found})
        mapped = mapped[pd.notna(found)]
        if len(mapped):
            mapped = exams.sparkSession.createDataFrame(mapped.astype(object),
                                                        schema="_site_id string, _registry_id string")
            report_rows = (report_rows.join(F.broadcast(mapped), F.col("patient") == F.col("_site_id"), "left")
                           .select(ROW, "accession_number", "_stay_patient",
                                   F.coalesce(F.col("_registry_id"), F.col("patient")).alias("patient")))
    one, alone = _temporary_ids(ex, ids, report_rows)
    ex = ex.join(alone, on=ROW, how="left")
    exam_rows = ex.select(ROW, "accession_number",
                          F.coalesce(F.when(F.col("ep_status") == "linked", F.col("ep_target")),
                                     F.col("ep_key")).alias("patient"))
    # radlink.linkage.temporary_ids.reports_via_temporary_ids, as a join: the decided ids are all temporary
    report_rows = (report_rows.join(one, F.col("patient") == F.col("_carried"), "left")
                   .select(ROW, "accession_number", F.coalesce(F.col("_via"), F.col("patient")).alias("patient")))
    if registry is not None:
        report_rows = _named_in_header(report_rows, exams, reports, known, registry, settings, scorer)
    # three narrow columns each, read by every pass of row_groups and by the tagging below:
    # stored once, both tables in one job (their plans hold the temporary-IPP rule's Python
    # passes and the joins above, which share the exams' summary)
    both = (exam_rows.withColumn("_t", F.lit(True)).unionByName(report_rows.withColumn("_t", F.lit(False)))
            .localCheckpoint(eager=True))
    exam_rows = both.where(F.col("_t")).drop("_t")
    report_rows = both.where(~F.col("_t")).drop("_t")
    exam_groups, report_groups, patient_groups = row_groups(
        exam_rows, report_rows, n_groups=n_groups, max_patients=settings.accession_max_patients)
    report_groups = report_groups.join(report_rows.select(ROW, F.col("patient").alias("report_patient")), on=ROW)

    def tagged(sdf, table):
        p = _PREFIX[table]
        return sdf.select(*(F.col(c).alias(p + c) for c in sdf.columns if c not in (ROW, _GROUP)),
                          *(F.col(c) for c in (ROW, _GROUP) if c in sdf.columns)).withColumn(_TABLE, F.lit(table))

    ex = tagged(ex.drop("accession_number").join(exam_groups, on=ROW), "exams")
    rp = tagged(reports.drop("accession_number").join(report_groups, on=ROW), "reports")
    st = stays.join(patient_groups, stays["patient_id"] == patient_groups["patient"]).drop("patient")
    st = tagged(st.withColumn(ROW, F.lit(0).cast("long")), "stays")
    return ex.unionByName(rp, allowMissingColumns=True).unionByName(st, allowMissingColumns=True)


def _day_counts(frame, column: str) -> pd.Series:
    """:func:`radlink.linkage.stamp_days.day_counts` of one column of a whole Spark table: counted
    per partition on the executors, summed per day (one row a day reaches the driver)."""
    from pyspark.sql import functions as F

    from radlink.linkage.stamp_days import day_counts

    def counts(batches):
        for batch in batches:
            values = batch[column]
            if values.dtype == object:  # a site's text, read as the pandas engine reads it
                values = parse_dates(values)[0]
            c = day_counts(values)
            yield pd.DataFrame({"day": c.index.to_numpy(dtype=np.int64), "n": c.to_numpy(dtype=np.int64)})

    rows = (frame.select(column).mapInPandas(counts, "day long, n long").groupBy("day")
            .agg(F.sum("n").alias("n")).toPandas())
    return pd.Series(rows["n"].to_numpy(dtype=np.int64), index=rows["day"].to_numpy(dtype=np.int64), dtype=np.int64)


def _stamp_days(reports, exams) -> list[str]:
    """:func:`radlink.linkage.stamp_days.stamp_days` of every report and exam (the pandas engine's estimate)."""
    from radlink.linkage.stamp_days import stamp_days_decision

    return stamp_days_decision(_day_counts(reports, "report_datetime"), _day_counts(exams, "study_datetime"))


def _midnight_reports_are_dates(reports) -> bool:
    """:func:`radlink.linkage.report_exam.midnight_reports_are_dates` of every report, from
    :func:`~radlink.linkage.report_exam.midnight_counts` per partition summed on the executors
    (two numbers reach the driver, where :func:`~radlink.linkage.report_exam.dates_only_decision` decides)."""
    from pyspark.sql import functions as F

    def counts(batches):
        for batch in batches:
            values = batch["report_datetime"]
            if values.dtype == object:  # a site's text, read as the pandas engine reads it
                values = parse_dates(values)[0]
            midnight, n = midnight_counts(values)
            yield pd.DataFrame({"midnight": [midnight], "reports": [n]}, dtype=np.int64)

    row = (reports.select("report_datetime").mapInPandas(counts, "midnight long, reports long")
           .agg(F.sum("midnight").alias("midnight"), F.sum("reports").alias("reports")).first())
    return dates_only_decision(int(row["midnight"] or 0), int(row["reports"] or 0))


def _patient_hash(col):
    """:func:`radlink.linkage.delay_sample.patient_hash` as a Spark column (null for a null id)."""
    from pyspark.sql import functions as F

    digits = HASH_BITS // 4
    return F.conv(F.substring(F.md5(col.cast("string")), 1, digits), 16, 10).cast("long")


_FACT = "f__"  # columns of a report's report_facts, read on the executors


@functools.cache
def _fact_dtypes() -> pd.Series:
    """The columns of :func:`~radlink.linkage.report_exam.report_facts` and their dtypes (it owns them)."""
    return report_facts(validate_table(pd.DataFrame({"report_id": ["R"], "text": [""]}), "reports")).dtypes


def _spark_type(dtype):
    """The Spark type of a :func:`_fact_dtypes` dtype."""
    from pyspark.sql import types as T

    if pd.api.types.is_object_dtype(dtype):
        return T.StringType()
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return T.TimestampType()
    if pd.api.types.is_bool_dtype(dtype):
        return T.BooleanType()
    if pd.api.types.is_float_dtype(dtype):
        return T.DoubleType()
    raise TypeError(f"report_facts: no Spark type for dtype {dtype}")


def _fit_reports(reports):
    """The report rows the delay model is fitted on, read on the executors: each with its
    :func:`~radlink.linkage.report_exam.report_facts` (``f__`` columns; each fact depends on
    its report alone) and its text, which the fit reads whole (the learned words of each exam
    kind, :mod:`radlink.linkage.text_kind`, and the exam a report compares with)."""
    from pyspark.sql import types as T

    columns = list(_fact_dtypes().index)
    schema = T.StructType([*reports.schema.fields,
                           *(T.StructField(_FACT + c, _spark_type(t), True) for c, t in _fact_dtypes().items())])
    names = [f.name for f in schema.fields]

    def read(batches):
        for batch in batches:
            rep = from_spark_batch(batch, "reports", _PREFIX["reports"])
            facts = report_facts(rep)
            out = batch.copy()
            for col in columns:
                values = facts[col]
                out[_FACT + col] = values.astype(object).where(values.notna(), None) if values.dtype == object \
                    else values.to_numpy()
            yield object_strings(out[names])

    return reports.mapInPandas(read, schema)


def _facts_of(reports: pd.DataFrame) -> pd.DataFrame:
    """The ``f__`` columns of :func:`_fit_reports`' rows as :func:`report_facts` gives them (its dtypes)."""
    out = {}
    for col, dtype in _fact_dtypes().items():
        values = reports[_FACT + col]
        if pd.api.types.is_object_dtype(dtype):
            values = values.astype(object)
            out[col] = values.where(values.notna(), None).to_numpy(dtype=object)
        else:
            out[col] = values.to_numpy().astype(dtype)
    return object_frame(out)


def _on_one_executor(rows, fit):
    """``fit(frame)`` of every row of the Spark DataFrame ``rows`` as one pandas frame, run in one
    Python task on the executors; the result comes back pickled, a few kB.

    The rows are shuffled into one partition (what computes them runs in as many tasks as
    before) and read there whole: they never reach the driver, whose memory does not grow
    with them. The frame holds the rows in no particular order (``fit`` orders them).
    """
    import pickle

    names = rows.columns

    def run(batches):
        frames = list(batches)
        frame = (pd.concat(frames, ignore_index=True) if frames
                 else pd.DataFrame({c: pd.Series([], dtype=object) for c in names}))
        yield pd.DataFrame({"result": [pickle.dumps(fit(frame), protocol=pickle.HIGHEST_PROTOCOL)]})

    got = rows.repartition(1).mapInPandas(run, "result binary").collect()
    return pickle.loads(bytes(got[0]["result"]))


def _fit_all_rows(frame: pd.DataFrame, settings: LinkageSettings) -> dict:
    """The delay model fitted on every row of ``frame`` (the three tables, reports with their
    ``f__`` facts), as the pandas engine fits it: the first steps of
    :func:`~radlink.linkage.report_exam.link_reports_to_exams`, rows in input order."""
    g = _GroupInputs(frame)
    start = _linking_start(g.reports, g.exams, g.ep_reports, settings=settings,
                           report_patient=g.report_patient, facts=_facts_of(g.parts["reports"]),
                           fitted=None, report_stay_window=report_stay_windows(g.reports, g.stays))
    return start.model


def _fit_sample_rows(frame: pd.DataFrame, settings: LinkageSettings) -> dict:
    """The delay model fitted on the sampled reports and exams of ``frame``
    (:func:`~radlink.linkage.delay_sample.fit_sampled_delay_model`, which orders them by id)."""
    rep = frame[frame[_TABLE] == "reports"].sort_values(ROW, kind="mergesort").reset_index(drop=True)
    ex = frame[frame[_TABLE] == "exams"].sort_values(ROW, kind="mergesort").reset_index(drop=True)
    report_patient = rep[_REPORT_PATIENT].astype(object).to_numpy()
    ep = pd.DataFrame({"status": ex[_EP_STATUS].to_numpy(dtype=object),
                       "target_id": ex[_EP_TARGET].to_numpy(dtype=object)})
    return fit_sampled_delay_model(from_spark_batch(rep, "reports", _PREFIX["reports"]),
                                   from_spark_batch(ex, "exams", _PREFIX["exams"]), ep,
                                   np.where(pd.notna(report_patient), report_patient, None), settings,
                                   facts=_facts_of(rep))


def _delay_model(union, settings: LinkageSettings) -> dict:
    """The delay model of the pandas engine: on every report, or on the sample of
    :mod:`radlink.linkage.delay_sample`, fitted on the executors.

    The rows it is fitted on (reports with their facts, read on the executors by
    :func:`_fit_reports`; above ``delay_sample_reports`` reports, only the sampled
    patients' rows, a deterministic hash of their ids) are gathered in one Python task
    (:func:`_on_one_executor`), which runs the fit (the first steps of
    :func:`~radlink.linkage.report_exam.link_reports_to_exams`, which fit the model before
    any report is assigned), not the linkage, and sends the model back: nothing the fit
    reads reaches the driver, and the sample bounds what one task holds."""
    from pyspark.sql import functions as F

    reports = union.where(F.col(_TABLE) == "reports")
    limit = sample_limit(reports.where(F.col(_REPORT_PATIENT).isNotNull()).count(),
                         settings.delay_sample_reports)
    if limit is None:  # every report: the pandas engine's fit on all the rows, in their order
        rows = union.where(F.col(_TABLE) != "reports").unionByName(_fit_reports(reports),
                                                                   allowMissingColumns=True)
        return _on_one_executor(rows, functools.partial(_fit_all_rows, settings=settings))
    sampled = reports.where(_patient_hash(F.col(_REPORT_PATIENT)) < F.lit(limit))
    carried = (sampled.select(F.col(_PREFIX["reports"] + "accession_number").alias("_acc"))
               .where(F.col("_acc").isNotNull()).distinct())
    exams = union.where(F.col(_TABLE) == "exams")
    own = exams.where((F.col(_EP_STATUS) == "linked") & (_patient_hash(F.col(_EP_TARGET)) < F.lit(limit)))
    named = exams.join(carried, exams[_PREFIX["exams"] + "accession_number"] == carried["_acc"], "left_semi")
    rows = _fit_reports(sampled).unionByName(own.unionByName(named).dropDuplicates([ROW]),
                                             allowMissingColumns=True)
    return _on_one_executor(rows, functools.partial(_fit_sample_rows, settings=settings))


def link_spark(
    patients,
    exams,
    stays=None,
    reports=None,
    settings: LinkageSettings | None = None,
    *,
    scorer=None,
    fitted: dict | None = None,
    spark=None,
    n_groups: int | None = None,
    delay_sample_reports: int | None = None,
    timings: dict[str, float] | None = None,
):
    """The ``links`` table of :func:`radlink.linkage.link`, computed on Spark.

    Parameters
    ----------
    patients, exams, stays, reports : pandas or pyspark DataFrame
        Canonical tables (Spark tables are validated partition by partition; ids
        should be strings). The patient registry is collected and broadcast.
    settings, scorer, fitted
        As for :func:`radlink.linkage.link`.
    spark : SparkSession, optional
        Defaults to the active session, else a local one.
    n_groups : int, optional
        Groups of connected patients for the stay and report steps (default: 4 per
        core of the session, or one per :data:`REPORTS_PER_GROUP` reports if more:
        each group is one pandas call in one Python worker).
    delay_sample_reports : int, optional
        Overrides :attr:`LinkageSettings.delay_sample_reports`: above this many reports
        (with a patient), the delay model is fitted on the sample of patients of
        :mod:`radlink.linkage.delay_sample`, the pandas engine's sample.
    timings : dict, optional
        Filled with seconds per stage (each stage's result is then materialised before
        the next starts): ``inputs`` (the tables checked, numbered and stored, the
        midnight counts), ``exam→patient`` (scoring and deciding), ``context rows``
        (the rows the context step reads, chosen on the executors and collected),
        ``context decision`` (its decision on the driver, then the children's-exam step's,
        :func:`_with_children`), ``groups``, ``delay model``,
        ``stays and reports`` (the last one includes the final sort).

    Returns
    -------
    pyspark.sql.DataFrame
        :data:`radlink.linkage.LINK_COLUMNS`, in the pandas engine's row order. The
        same rows as the pandas engine's, cell by cell (``evidence`` keys come in a
        canonical order, :mod:`radlink.linkage.evidence`); above the delay model's
        sample size too (both engines fit it on the same sample).
    """
    require_pyspark("radlink.spark.link_spark")
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    settings = settings or LinkageSettings()
    if settings.tied_reports_to_first_study:
        from radlink.errors import LinkageInputError

        raise LinkageInputError(
            "link_spark: LinkageSettings.tied_reports_to_first_study is not supported on the Spark engine "
            "(radlink.linkage.sibling_studies runs on the pandas engine only); leave it off (the default) "
            "or link with radlink.linkage.link")
    clock = _Clock(timings)
    if spark is None:
        found = [t for t in (exams, reports, stays, patients) if is_spark_frame(t)]
        spark = found[0].sparkSession if found else spark_session()
    registry = _registry(patients)
    tables = {t: _spark_table(spark, df, t) for t, df in (("exams", exams), ("reports", reports),
                                                         ("stays", stays))}
    for table, sdf in tables.items():
        if is_spark_frame({"exams": exams, "reports": reports, "stays": stays}[table]):
            check_unique_ids(sdf, table)  # pandas tables were validated whole
    cores = spark.sparkContext.defaultParallelism
    exams_s, n_exams = positioned(tables["exams"])
    # exam→patient costs a pass over the registry's keys per partition: partitions of about
    # EXAMS_PER_PARTITION exams, in order of position, whatever the input's partitioning
    exams_s = (exams_s.repartitionByRange(max(cores, -(-n_exams // EXAMS_PER_PARTITION)), ROW)
               .sortWithinPartitions(ROW).persist(StorageLevel.DISK_ONLY))
    reports_s, n_reports = positioned(tables["reports"])
    stays_s = tables["stays"]
    fitted = fitted if fitted is not None else {}
    if settings.midnight_reports_are_dates is None:  # a global estimate, as the pandas engine's
        settings = replace(settings, midnight_reports_are_dates=_midnight_reports_are_dates(reports_s))
    if settings.report_stamp_days is None:  # a global estimate, as the pandas engine's
        settings = replace(settings, report_stamp_days=_stamp_days(reports_s, exams_s))
    fitted["report_stamp_days"] = list(settings.report_stamp_days)
    clock.lap("inputs", exams_s)
    ep = link_exams_to_patients_spark(exams_s, registry, settings=settings, scorer=scorer, fitted=fitted,
                                      n_exams=n_exams)
    ep = ep.persist(StorageLevel.MEMORY_AND_DISK)
    clock.lap("exam→patient", ep)
    ep = _with_context(spark, ep, exams_s, reports_s, stays_s, registry, settings, clock)
    # a child's exam under an adult's identity, as the pandas engine's next step
    ep = _with_children(spark, ep, exams_s, stays_s, registry)
    ep = ep.persist(StorageLevel.MEMORY_AND_DISK)
    clock.lap("context decision", ep)
    if settings.stay_margins is None:  # a global estimate, as the pandas engine's
        settings = replace(settings, stay_margins=_stay_margins(exams_s, stays_s, settings))
    fitted["stay_margins"] = settings.stay_margins
    n_groups = n_groups or max(1, 4 * cores, -(-n_reports // REPORTS_PER_GROUP))
    union = _grouped_rows(exams_s, reports_s, stays_s, ep, n_groups, settings, registry=registry,
                          scorer=scorer)
    # as few partitions as the rows need and the cores use (merged in place, no shuffle)
    partitions = max(cores, -(-(n_exams + n_reports) // ROWS_PER_PARTITION))
    union = union.coalesce(partitions)
    union = union.persist(StorageLevel.DISK_ONLY)  # report texts: never on the JVM heap
    clock.lap("groups", union)
    fitted["midnight_reports_are_dates"] = settings.midnight_reports_are_dates
    if delay_sample_reports is not None:
        settings = replace(settings, delay_sample_reports=delay_sample_reports)
    if settings.delay_model is None:
        model = _delay_model(union, settings)
        settings = replace(settings, delay_model=model)
        fitted["delay_model"] = model
    else:
        fitted["delay_model"] = settings.delay_model
    clock.lap("delay model")
    group_settings = settings

    def per_group_links(frame: pd.DataFrame) -> pd.DataFrame:
        return _link_group(frame, group_settings)

    # stored as computed: the site step reads these rows up to three times before the final sort,
    # and each read would link every group again
    # and linked in as many partitions (groups hashed into them), not spark.sql.shuffle.partitions
    rest = (union.repartition(min(partitions, n_groups), _GROUP).groupBy(_GROUP)
            .applyInPandas(per_group_links, _links_schema()).persist(StorageLevel.DISK_ONLY))
    rest = _reports_by_site(rest, union, ep, settings)
    rest = _reports_by_request_number(rest, union, settings, ep)
    first = ep.withColumn(_KIND, F.lit(0).cast("int")).select(*LINK_COLUMNS, _KIND, ROW)
    links = first.unionByName(rest).orderBy(_KIND, ROW).select(*LINK_COLUMNS)
    if timings is not None:
        links = links.persist(StorageLevel.MEMORY_AND_DISK)
        clock.lap("stays and reports", links)
    return links


def _reports_by_site(rest, union, ep, settings: LinkageSettings):
    """The pandas engine's ``site_date_modality`` and ``date_modality`` steps, on the driver, across groups.

    A report without patient nor accession number is a group of its own; the exam its
    letterhead, stated date and type point to is in another patient's group
    (:func:`radlink.linkage.report_exam.reports_by_named_site`), as is the exam of the date
    and type it states (:func:`radlink.linkage.report_exam.reports_by_date_and_type`). Only
    those reports, the exams of the sites and dates they name, the exams that no report took
    on the dates the others state, and those exams' links reach the driver; the reports'
    report→exam and report→stay rows are replaced.
    """
    from pyspark.sql import functions as F

    from radlink.linkage.evidence import Evidence, evidence_column
    from radlink.linkage.report_exam import (
        DATE_MODALITY_REASON,
        _dated_by_letter,
        _exam_region,
        _reviews_outside_images,
        delay_windows,
        exam_modality_class,
        named_sites,
        report_facts,
        reports_by_date_and_type,
        reports_by_named_site,
        signed_by,
    )

    open_rows = rest.where((F.col(_KIND) == 2) & (F.col("status") == "unlinked")).select(ROW)
    r_cols = [c for c in union.columns if c.startswith(_PREFIX["reports"]) and c != _REPORT_PATIENT]
    rp = _collected(union.where((F.col(_TABLE) == "reports") & F.col(_REPORT_PATIENT).isNull())
                    .select(ROW, *r_cols).join(open_rows, on=ROW))
    if not len(rp):
        return rest
    reports = from_spark_batch(rp, "reports", _PREFIX["reports"])
    facts = report_facts(reports)
    day = facts["sdate"].to_numpy().astype("datetime64[D]")
    cls = np.where(pd.notna(facts["tclass"].to_numpy(dtype=object)), facts["tclass"].to_numpy(dtype=object),
                   facts["xclass"].to_numpy(dtype=object))
    open_ = ~(facts["addendum"].to_numpy(dtype=bool) | _reviews_outside_images(reports["title"], settings.delay_model))
    # a type and a date, or a date and a time (reports_by_date_and_type)
    keep = open_ & ~np.isnat(day) & (pd.notna(cls) | ~np.isnan(facts["stime"].to_numpy(dtype=np.float64)))
    open_ &= pd.notna(cls)
    windows = delay_windows(settings.delay_model)
    when = _dated_by_letter(signed_by(reports["report_datetime"], settings.midnight_reports_are_dates),
                            facts["ldate"].to_numpy())
    stamped = on_stamp_days(when, settings.report_stamp_days) & np.isnat(day)  # an import's stamp: no window
    when = without_stamps(when, stamped)
    # without a stated date: the days of the window before the signature (the class's, else the pooled one)
    hours = np.array([windows.get(c, windows.get("*", np.nan)) for c in cls], dtype=np.float64)
    undated = open_ & np.isnat(day) & ~np.isnat(when) & np.isfinite(hours)
    if not (keep.any() or undated.any()):
        return rest
    spark = union.sparkSession
    e_cols = [c for c in union.columns if c.startswith(_PREFIX["exams"])]
    claimed = (rest.where((F.col(_KIND) == 2) & (F.col("status") == "linked"))
               .select(F.col("target_id").alias("_claimed")).distinct())

    def exam_frame(exams):
        return pd.DataFrame({
            "institution": (exams["institution"].to_numpy(dtype=object) if "institution" in exams
                            else np.full(len(exams), None, dtype=object)),
            "study": pd.to_datetime(exams["study_datetime"]).to_numpy(dtype="datetime64[ns]"),
            "mclass": exam_modality_class(exams["modality"], exams["study_description"]).to_numpy(dtype=object),
            "region": _exam_region(exams["body_part"], exams["study_description"]).to_numpy(dtype=object)})

    picked_r, picked_id, picked_row, picked_method = [], [], [], []
    by_site = np.zeros(len(reports), dtype=bool)
    if "e__institution" in union.columns:
        sites = (union.where((F.col(_TABLE) == "exams") & F.col("e__institution").isNotNull())
                 .select("e__institution").distinct().toPandas()["e__institution"].astype(object).to_numpy())
        r_at, s_at = named_sites(reports["text"].to_numpy(dtype=object), sites)
        on = keep[r_at]
        if on.any():
            keys = pd.DataFrame({"_site": sites[s_at[on]].astype(object),
                                 "_day": pd.to_datetime(day[r_at[on]]).strftime("%Y-%m-%d").to_numpy(dtype=object)}
                                ).drop_duplicates()
            keys = spark.createDataFrame(keys, schema="_site string, _day string")
            exam_rows = (union.where(F.col(_TABLE) == "exams").select(ROW, *e_cols)
                         .join(F.broadcast(keys), (F.col("e__institution") == F.col("_site"))
                               & (F.date_format(F.col("e__study_datetime"), "yyyy-MM-dd") == F.col("_day")))
                         .drop("_site", "_day").dropDuplicates([ROW]))
            ex_pd = _collected(exam_rows.join(claimed, F.col("e__exam_id") == F.col("_claimed"), "left")
                               .withColumn("_is_claimed", F.col("_claimed").isNotNull()).drop("_claimed"))
            if len(ex_pd):
                exams = from_spark_batch(ex_pd, "exams", _PREFIX["exams"])
                open_at = np.flatnonzero(keep)
                r_idx, e_idx = reports_by_named_site(facts.iloc[open_at].reset_index(drop=True),
                                                     reports["text"].to_numpy(dtype=object)[open_at],
                                                     exam_frame(exams), ex_pd["_is_claimed"].to_numpy(dtype=bool))
                by_site[open_at[r_idx]] = True
                picked_r.append(open_at[r_idx])
                picked_id.append(exams["exam_id"].to_numpy(dtype=object)[e_idx])
                picked_row.append(ex_pd[ROW].to_numpy(dtype=np.int64)[e_idx])
                picked_method.append(np.full(len(r_idx), "site_date_modality", dtype=object))
    # the exams that no report took on the dates the other reports state, or in their windows
    open_at = np.flatnonzero((keep & ~by_site) | undated)
    if len(open_at):
        stated = day[keep & ~by_site]
        u = np.flatnonzero(undated)
        first = (when[u] - (hours[u] * 3600).astype("timedelta64[s]")).astype("datetime64[D]")
        last = when[u].astype("datetime64[D]")
        spans = [np.arange(a, b + np.timedelta64(1, "D"), dtype="datetime64[D]") for a, b in zip(first, last, strict=True)]
        days_wanted = np.unique(np.concatenate([stated.astype("datetime64[D]"), *spans]))
        keys = pd.DataFrame({"_day": pd.to_datetime(days_wanted).strftime("%Y-%m-%d").to_numpy(dtype=object)}
                            ).drop_duplicates()
        keys = spark.createDataFrame(keys, schema="_day string")
        ex_pd = _collected(union.where(F.col(_TABLE) == "exams").select(ROW, *e_cols)
                           .join(F.broadcast(keys),
                                 F.date_format(F.col("e__study_datetime"), "yyyy-MM-dd") == F.col("_day"))
                           .drop("_day").dropDuplicates([ROW])
                           .join(claimed, F.col("e__exam_id") == F.col("_claimed"), "left_anti"))
        if len(ex_pd):
            exams = from_spark_batch(ex_pd, "exams", _PREFIX["exams"])
            taken = (np.isin(ex_pd[ROW].to_numpy(dtype=np.int64), np.concatenate(picked_row))
                     if picked_row else np.zeros(len(ex_pd), dtype=bool))
            sub = facts.iloc[open_at].reset_index(drop=True).assign(when=when[open_at])
            r_idx, e_idx = reports_by_date_and_type(sub, exam_frame(exams), taken, windows)
            picked_r.append(open_at[r_idx])
            picked_id.append(exams["exam_id"].to_numpy(dtype=object)[e_idx])
            picked_row.append(ex_pd[ROW].to_numpy(dtype=np.int64)[e_idx])
            picked_method.append(np.full(len(r_idx), "date_modality", dtype=object))
    r_idx = np.concatenate(picked_r) if picked_r else np.zeros(0, dtype=np.int64)
    if not len(r_idx):
        return rest
    k = len(r_idx)
    exam_ids = np.concatenate(picked_id)
    methods = np.concatenate(picked_method)
    site_at = np.flatnonzero(methods == "site_date_modality")
    date_at = np.flatnonzero(methods == "date_modality")
    report_exam = pd.DataFrame({
        "source_type": "report", "source_id": reports["report_id"].to_numpy(dtype=object)[r_idx],
        "target_type": "exam", "target_id": exam_ids, "status": "linked", "score": 0.9,
        "method": methods,
        "evidence": evidence_column(k, [
            Evidence(site_at, {
                "decision": "site_date_modality",
                "reason": "the report names no patient; its head names the exam's site, and that site has one exam "
                          "of the type on the date it states, without a report"}),
            Evidence(date_at, {"decision": "date_modality", "reason": DATE_MODALITY_REASON})])})
    sub = reports.iloc[r_idx].reset_index(drop=True)
    return _with_report_links(rest, union, ep, sub, rp[ROW].to_numpy(dtype=np.int64)[r_idx],
                              np.concatenate(picked_row), report_exam, settings)


def _with_report_links(rest, union, ep, reports: pd.DataFrame, rows: np.ndarray, exam_rows: np.ndarray,
                       report_exam: pd.DataFrame, settings: LinkageSettings, report_patient: np.ndarray | None = None):
    """``rest`` with the report→exam rows of the reports at ``rows`` (canonical ``reports``, row for row)
    replaced by ``report_exam`` (each on the exam at ``exam_rows``) and their report→stay rows by the
    pandas engine's: the exam's stay, on the exam's own links; the report's patient is its exam's,
    else ``report_patient``."""
    from pyspark.sql import functions as F

    spark = union.sparkSession
    e_row = np.asarray(exam_rows, dtype=np.int64)
    wanted = spark.createDataFrame(pd.DataFrame({ROW: e_row}), schema=f"{ROW} long")
    exam_stay = _collected(rest.where(F.col(_KIND) == 1).join(F.broadcast(wanted), on=ROW))
    exam_patient = _collected(ep.join(F.broadcast(wanted), on=ROW).select(ROW, "status", "target_id"))
    by_row = exam_patient.set_index(ROW)
    patient = np.where(by_row["status"].reindex(e_row).to_numpy(dtype=object) == "linked",
                       by_row["target_id"].reindex(e_row).to_numpy(dtype=object), None)
    if report_patient is not None:
        patient = np.where(pd.notna(patient), patient, np.asarray(report_patient, dtype=object))
    sub = reports.reset_index(drop=True)
    carried = sub["stay_id"].dropna().astype(object).unique().tolist()
    stays = (union.where(F.col(_TABLE) == "stays").where(F.col("s__stay_id").isin(carried))
             .select(*[c for c in union.columns if c.startswith(_PREFIX["stays"])]).toPandas()
             if carried else pd.DataFrame())
    stays = from_spark_batch(stays.drop_duplicates("s__stay_id") if len(stays) else stays, "stays",
                             _PREFIX["stays"]) if len(stays) else empty_table("stays")
    report_stay = link_reports_to_stays(sub, report_exam.reset_index(drop=True), exam_stay[list(LINK_COLUMNS)],
                                        patient, stays, settings=settings)
    rows = np.asarray(rows, dtype=np.int64)
    patch = []
    for kind, links in ((2, report_exam), (3, report_stay)):
        links = links[list(LINK_COLUMNS)].copy()
        links["score"] = links["score"].astype(np.float64).clip(0.0, 1.0)
        links[_KIND] = np.int32(kind)
        links[ROW] = rows
        patch.append(links)
    patch = object_strings(pd.concat(patch, ignore_index=True))
    for col in LINK_COLUMNS:
        if col != "score":
            values = patch[col].astype(object)
            patch[col] = values.where(values.notna(), None)
    patched = spark.createDataFrame(patch, schema=_links_schema())
    replaced = spark.createDataFrame(pd.DataFrame({ROW: rows}), schema=f"{ROW} long")
    kept = rest.join(F.broadcast(replaced), on=ROW, how="left_anti").unionByName(
        rest.where(F.col(_KIND) < 2).join(F.broadcast(replaced), on=ROW))
    return kept.unionByName(patched)


_NUMBER_SCHEMA = f"{ROW} long, number string, family string, value long, target_id string"
_EXAM_FACTS_SCHEMA = f"{ROW} long, exam_id string, study timestamp, mclass string, region string, patient string"
_EXAM_FACT_COLUMNS = ("exam_id", "study", "mclass", "region", "patient")


def _exam_facts(batches):
    """What the request-number step reads of each exam, read on the executors: its time, type,
    region and patient (as :class:`_GroupInputs` gives the report steps: a temporary IPP's key)."""
    from radlink.linkage.report_exam import _exam_region, exam_modality_class

    for batch in batches:
        exams = from_spark_batch(batch, "exams", _PREFIX["exams"])
        key = batch[_EP_KEY].astype(object).to_numpy() if _EP_KEY in batch else np.full(len(batch), None, object)
        status = np.where(pd.notna(key), "linked", batch[_EP_STATUS].to_numpy(dtype=object))
        target = np.where(pd.notna(key), key, batch[_EP_TARGET].to_numpy(dtype=object))
        yield pd.DataFrame({
            ROW: batch[ROW].to_numpy(dtype=np.int64), "exam_id": exams["exam_id"].to_numpy(dtype=object),
            "study": pd.to_datetime(exams["study_datetime"]).to_numpy(dtype="datetime64[ns]"),
            "mclass": exam_modality_class(exams["modality"], exams["study_description"]).to_numpy(dtype=object),
            "region": _exam_region(exams["body_part"], exams["study_description"]).to_numpy(dtype=object),
            "patient": np.where(status == "linked", target, None)})


def _learned_families(anchors, mine: pd.DataFrame, union) -> list[str]:
    """:func:`~radlink.linkage.request_numbers.request_families`, one family at a time on the executors.

    A family's decision reads only its own numbers (the open reports' ``mine`` and the
    anchors', with their exam's time) and which of them are exams' accession numbers, in
    any format (:func:`~radlink.linkage.request_numbers.accession_families`): the exams'
    accessions equal to one of the family's numbers, or with its digits, are joined to it
    (the pandas engine's forms: upper case, stripped, digits read by the same expression).
    Each family is a group of its own, decided by the pandas engine's function; only the
    names of the families it keeps reach the driver.
    """
    from pyspark.sql import functions as F

    from radlink.linkage.request_numbers import request_families

    spark = union.sparkSession
    opened = spark.createDataFrame(pd.DataFrame({
        "number": mine["number"].to_numpy(dtype=object), "family": mine["family"].to_numpy(dtype=object),
        "value": mine["value"].to_numpy(dtype=np.int64)}), schema="number string, family string, value long")
    numbers = anchors.select("number", "family", "value", "study").unionByName(
        opened.withColumn("study", F.lit(None).cast("timestamp")))

    def with_digits(batches):
        for batch in batches:
            digits = pd.Series(batch["number"].to_numpy(dtype=object), dtype=object).str.replace(r"\D", "", regex=True)
            yield batch.assign(_digits=digits.to_numpy(dtype=object))

    numbers = numbers.mapInPandas(with_digits, "number string, family string, value long, study timestamp, "
                                                "_digits string")
    acc = _PREFIX["exams"] + "accession_number"
    if acc in union.columns:
        def forms(batches):
            for batch in batches:
                known = pd.Series(batch[acc].to_numpy(dtype=object), dtype=object).dropna().str.upper().str.strip()
                yield pd.DataFrame({"_known": known.to_numpy(dtype=object),
                                    "_digits": known.str.replace(r"\D", "", regex=True).to_numpy(dtype=object)})

        known = (union.where((F.col(_TABLE) == "exams") & F.col(acc).isNotNull()).select(acc)
                 .mapInPandas(forms, "_known string, _digits string").distinct())
        hits = (numbers.select("family", "number").join(known.select(F.col("_known").alias("number")).distinct(),
                                                        on="number").select("family", F.col("number").alias("_known"))
                .unionByName(numbers.select("family", "_digits").join(known, on="_digits").select("family", "_known"))
                .distinct())
    else:
        hits = spark.createDataFrame([], schema="family string, _known string")

    def learn(part: pd.DataFrame, accessions: pd.DataFrame) -> pd.DataFrame:
        if not len(part):
            return pd.DataFrame({"family": pd.Series([], dtype=object)})
        time = pd.to_datetime(part["study"]).to_numpy(dtype="datetime64[ns]")
        frame = pd.DataFrame({"report_row": np.arange(len(part)), "number": part["number"].to_numpy(dtype=object),
                              "family": part["family"].to_numpy(dtype=object),
                              "value": part["value"].to_numpy(dtype=np.int64)})
        known = accessions["_known"].to_numpy(dtype=object) if "_known" in accessions else np.zeros(0, object)
        kept = request_families(frame, time.astype("datetime64[D]"), time, known)
        return pd.DataFrame({"family": pd.Series(kept, dtype=object)})

    learned = (numbers.groupBy("family").cogroup(hits.groupBy("family"))
               .applyInPandas(learn, "family string").toPandas())
    return sorted(learned["family"].astype(object).tolist())


def _bracketing_anchors(anchors, mine: pd.DataFrame, families: list[str]) -> pd.DataFrame:
    """The anchors of ``families`` whose value brackets or equals an open report's (``mine``), collected.

    Per family, sorted by value, :func:`~radlink.linkage.request_numbers.place_by_request_number`
    reads for an open number ``v`` the anchors of value ``v``, the last of the largest value below
    it and the first of the smallest above it (among every anchor, and among those whose exam
    has a time: :func:`~radlink.linkage.request_numbers.request_spans`). Those values are found
    per partition (each partition's nearest, reduced to the nearest by one aggregation) and every
    anchor of those values is collected: among them each open number finds the same neighbours
    as among all the anchors, and the reports it places in a pass are on the driver. The
    collect grows with the open reports, not with the anchors.
    """
    from pyspark.sql import functions as F

    mine = mine[mine["family"].isin(families).to_numpy()]
    wanted = {f: np.unique(part["value"].to_numpy(dtype=np.int64)) for f, part in mine.groupby("family")}
    columns = ("pred", "succ", "pred_t", "succ_t")

    def nearest(batches):
        for batch in batches:
            out = []
            for family, part in batch.groupby("family", sort=False):
                v = wanted.get(family)
                if v is None:
                    continue
                got = {"family": np.full(len(v), family, dtype=object), "v": v}
                timed = part["study"].notna().to_numpy()
                for suffix, values in (("", part["value"].to_numpy(dtype=np.int64)),
                                       ("_t", part["value"].to_numpy(dtype=np.int64)[timed])):
                    a = np.unique(values)
                    lo, hi = np.searchsorted(a, v, side="left"), np.searchsorted(a, v, side="right")
                    below, above = lo > 0, hi < len(a)
                    pred, succ = np.zeros(len(v), dtype=np.int64), np.zeros(len(v), dtype=np.int64)
                    pred[below], succ[above] = a[lo[below] - 1], a[hi[above]]  # 18 digits: no float
                    got["pred" + suffix] = pd.arrays.IntegerArray(pred, ~below)
                    got["succ" + suffix] = pd.arrays.IntegerArray(succ, ~above)
                out.append(pd.DataFrame(got))
            if out:
                yield pd.concat(out, ignore_index=True)

    near = (anchors.where(F.col("family").isin(families)).select("family", "value", "study")
            .mapInPandas(nearest, "family string, v long, " + ", ".join(f"{c} long" for c in columns))
            .groupBy("family", "v")
            .agg(F.max("pred").alias("pred"), F.min("succ").alias("succ"),
                 F.max("pred_t").alias("pred_t"), F.min("succ_t").alias("succ_t")))
    keys = functools.reduce(lambda a, b: a.unionByName(b), [
        near.select("family", F.col(c).alias("value")).where(F.col("value").isNotNull()) for c in ("v", *columns)])
    return _collected(anchors.join(F.broadcast(keys.distinct()), on=["family", "value"], how="left_semi"))


def _reports_by_request_number(rest, union, settings: LinkageSettings, ep):
    """The pandas engine's ``request_number`` step (:mod:`radlink.linkage.request_numbers`), across groups.

    The numbers are read on the executors, where the texts are; the driver gets a projection
    without text: the open reports' numbers (reports still without exam, few), then, for the
    families those write that are no accessions, the anchors' numbers with their exam's row and
    time (one row per number written: a row, a number, its family and value, a time), the
    exams' accession numbers equal to one of them, then the type, region, patient and id of the
    exams the placing reads: the free exams of the spans the open numbers fall in
    (:func:`~radlink.linkage.request_numbers.request_spans`) and the anchors' exams of the
    numbers an open report repeats (a second reading of one request), in one collect. The
    families are learned and the open reports placed there, by the pandas engine's own
    functions. The projection grows with the anchors of those families (six short columns),
    not with the texts; a warehouse whose open reports write no number stops after the first,
    small collect. Learning a family reads all its anchors in number order and placing reads
    the anchors around each open number, so placing per partition would need the same anchors
    beside every partition: the driver does it once. Left to do for larger tables: learning
    each family on the executors (``request_families`` per family, a group each) and
    collecting only the anchors whose numbers bracket or equal an open one.
    """
    from pyspark.sql import functions as F

    from radlink.linkage.evidence import Evidence, evidence_column
    from radlink.linkage.report_exam import (
        _dated_by_letter,
        _reviews_outside_images,
        _stated_kind_day_region,
        report_facts,
        signed_by,
    )
    from radlink.linkage.request_numbers import (
        REQUEST_NUMBER_REASON,
        accession_families,
        numbers_written,
        place_by_request_number,
        request_spans,
    )

    text, own_col, title = (_PREFIX["reports"] + c for c in ("text", "accession_number", "title"))
    if text not in union.columns:
        return rest
    spark = union.sparkSession
    has_own = own_col in union.columns
    reports_s = union.where(F.col(_TABLE) == "reports").select(ROW, text, title, *([own_col] if has_own else []))
    decided = rest.where(F.col(_KIND) == 2)

    def numbers_of(families: list[str] | None):
        def read(batches):
            for batch in batches:
                keep = np.ones(len(batch), dtype=bool)
                if families is None:  # the open reports: not the reviews of outside images (the pandas step's skip)
                    keep = ~_reviews_outside_images(pd.Series(batch[title].to_numpy(dtype=object), dtype=object),
                                                    settings.delay_model)
                batch = batch[keep]
                got = numbers_written(batch[text].to_numpy(dtype=object),
                                      batch[own_col].to_numpy(dtype=object) if has_own else None)
                if families is not None:
                    got = got[got["family"].isin(families).to_numpy()]
                at = got["report_row"].to_numpy(dtype=np.int64)
                yield pd.DataFrame({ROW: batch[ROW].to_numpy(dtype=np.int64)[at],
                                    "number": got["number"].to_numpy(dtype=object),
                                    "family": got["family"].to_numpy(dtype=object),
                                    "value": got["value"].to_numpy(dtype=np.int64),
                                    "target_id": batch["target_id"].to_numpy(dtype=object)[at]})
        return read

    def accessions_written(numbers: pd.DataFrame) -> np.ndarray:
        """The exams' accession numbers (upper case, stripped) that ``numbers`` write, in any format."""
        acc = _PREFIX["exams"] + "accession_number"
        if acc not in union.columns or not len(numbers):
            return np.zeros(0, dtype=object)
        written = set(numbers["number"].tolist())
        digits = set(numbers["number"].str.replace(r"\D", "", regex=True).tolist())

        def hits(batches):
            for batch in batches:
                known = pd.Series(batch[acc].to_numpy(dtype=object), dtype=object).dropna().str.upper().str.strip()
                own = known.str.replace(r"\D", "", regex=True)
                yield pd.DataFrame({"accession": known[known.isin(written) | own.isin(digits)].to_numpy(dtype=object)})

        found = (union.where((F.col(_TABLE) == "exams") & F.col(acc).isNotNull()).select(acc)
                 .mapInPandas(hits, "accession string").distinct().toPandas())
        return found["accession"].to_numpy(dtype=object)

    open_reports = decided.where(F.col("status") == "unlinked").select(ROW, "target_id").join(reports_s, on=ROW)
    mine = open_reports.mapInPandas(numbers_of(None), _NUMBER_SCHEMA).toPandas()
    if not len(mine):
        return rest
    # families the open reports write as exams' accessions are the accessions' (no other text read for them)
    mine = mine[~accession_families(mine, accessions_written(mine))]
    if not len(mine):
        return rest
    open_families = sorted(pd.unique(mine["family"]).tolist())
    # the anchors with their exam's row and time only, stored on the executors: each family is
    # learned there (all its anchors), and only the anchors that bracket or repeat an open
    # report's number reach the driver, which places the open reports alike
    exam_times = union.where(F.col(_TABLE) == "exams").select(
        F.col(ROW).alias("_exam_row"), F.col(_PREFIX["exams"] + "exam_id").alias("_eid"),
        F.col(_PREFIX["exams"] + "study_datetime").alias("study"))
    anchors_s = (decided.where(F.col("status") == "linked").select(ROW, "target_id").join(reports_s, on=ROW)
                 .mapInPandas(numbers_of(open_families), _NUMBER_SCHEMA)
                 .join(exam_times, F.col("target_id") == F.col("_eid")).drop("_eid")
                 .localCheckpoint(eager=True))
    families = _learned_families(anchors_s, mine, union)
    if not families:
        return rest
    anchors = _bracketing_anchors(anchors_s, mine, families)
    if not len(anchors):
        return rest
    mine = mine[mine["family"].isin(families).to_numpy()]
    # one row per report of the projection: the open reports, then the anchors
    open_rows = np.unique(mine[ROW].to_numpy(dtype=np.int64))
    anchor_rows = np.unique(anchors[ROW].to_numpy(dtype=np.int64))
    report_rows = np.concatenate([open_rows, anchor_rows])
    order = np.argsort(report_rows, kind="stable")
    numbers = pd.concat([mine, anchors[list(mine.columns)]], ignore_index=True)
    numbers["report_row"] = order[np.searchsorted(report_rows[order], numbers[ROW].to_numpy(dtype=np.int64))]
    numbers = numbers[["report_row", "number", "family", "value"]]
    anchor_exams = anchors.drop_duplicates("_exam_row").sort_values("_exam_row", kind="mergesort")
    anchor_exam = np.full(len(report_rows), -1, dtype=np.int64)
    first = anchors.drop_duplicates(ROW)
    anchor_exam[len(open_rows) + np.searchsorted(anchor_rows, first[ROW].to_numpy(dtype=np.int64))] = \
        np.searchsorted(anchor_exams["_exam_row"].to_numpy(), first["_exam_row"].to_numpy())
    study = pd.to_datetime(anchor_exams["study"]).to_numpy(dtype="datetime64[ns]")
    anchor_time = np.full(len(report_rows), np.datetime64("NaT"), dtype="datetime64[ns]")
    anchor_time[anchor_exam >= 0] = study[anchor_exam[anchor_exam >= 0]]
    start, stop = request_spans(numbers, np.arange(len(open_rows)), anchor_time)
    # the exams whose facts the placing reads: those of the anchors writing a number an open report
    # writes (a second reading of one request), and the free exams of the spans
    written = set(zip(mine["family"].tolist(), mine["value"].tolist(), strict=True))
    repeated = anchors[[pair in written for pair in zip(anchors["family"].tolist(), anchors["value"].tolist(),
                                                        strict=True)]]
    wanted_rows = np.unique(repeated["_exam_row"].to_numpy(dtype=np.int64))
    exam_rows_s = union.where(F.col(_TABLE) == "exams")
    read = None
    if len(wanted_rows):
        read = exam_rows_s.join(F.broadcast(spark.createDataFrame(pd.DataFrame({ROW: wanted_rows}),
                                                                  schema=f"{ROW} long")), on=ROW, how="left_semi")
    if len(start):  # the free exams of those spans, read whole days (Spark's and pandas' clocks compared as text)
        spans = spark.createDataFrame(pd.DataFrame({
            "_from": pd.to_datetime(start).strftime("%Y-%m-%d").to_numpy(dtype=object),
            "_to": pd.to_datetime(stop).strftime("%Y-%m-%d").to_numpy(dtype=object)}).drop_duplicates(),
            schema="_from string, _to string")
        claimed = decided.where(F.col("status") == "linked").select(F.col("target_id").alias("_claimed")).distinct()
        day = F.date_format(F.col("e__study_datetime"), "yyyy-MM-dd")
        free_s = (exam_rows_s.join(F.broadcast(spans), (day >= F.col("_from")) & (day <= F.col("_to")), "left_semi")
                  .join(claimed, F.col("e__exam_id") == F.col("_claimed"), "left_anti"))
        read = free_s if read is None else read.unionByName(free_s)
    looked_up = (read.mapInPandas(_exam_facts, _EXAM_FACTS_SCHEMA).withColumnRenamed(ROW, "_exam_row").toPandas()
                 if read is not None else pd.DataFrame(columns=["_exam_row", *_EXAM_FACT_COLUMNS]))
    is_anchor = np.isin(looked_up["_exam_row"].to_numpy(dtype=np.int64), anchor_exams["_exam_row"].to_numpy())
    free = looked_up[~is_anchor]
    known = looked_up[is_anchor].drop_duplicates("_exam_row").set_index("_exam_row")

    def known_fact(col: str) -> np.ndarray:  # None for an anchor's exam the placing never reads
        values = known[col].reindex(anchor_exams["_exam_row"].to_numpy()).astype(object)
        return values.where(values.notna(), None).to_numpy(dtype=object)

    anchor_exams = pd.DataFrame({"_exam_row": anchor_exams["_exam_row"].to_numpy(dtype=np.int64),
                                 "exam_id": anchor_exams["target_id"].to_numpy(dtype=object), "study": study,
                                 **{c: known_fact(c) for c in ("mclass", "region", "patient")}})
    exams = pd.concat([anchor_exams.assign(_claimed=True), free.assign(_claimed=False)], ignore_index=True)
    exams = exams.sort_values("_exam_row", kind="mergesort").reset_index(drop=True)
    anchor_exam[anchor_exam >= 0] = np.searchsorted(exams["_exam_row"].to_numpy(),
                                                    anchor_exams["_exam_row"].to_numpy()[anchor_exam[anchor_exam >= 0]])
    # the open reports that write a number of those families, read whole (few)
    wanted = np.unique(report_rows[numbers["report_row"].to_numpy()[numbers["report_row"].to_numpy() < len(open_rows)]])
    r_cols = [c for c in union.columns if c.startswith(_PREFIX["reports"])]
    keys = spark.createDataFrame(pd.DataFrame({ROW: wanted}), schema=f"{ROW} long")
    rp = _collected(union.where(F.col(_TABLE) == "reports").select(ROW, *r_cols).join(F.broadcast(keys), on=ROW))
    reports = from_spark_batch(rp, "reports", _PREFIX["reports"])
    facts = report_facts(reports)
    kind, sdate, region = _stated_kind_day_region(facts)
    when = _dated_by_letter(signed_by(reports["report_datetime"], settings.midnight_reports_are_dates),
                            facts["ldate"].to_numpy())
    at = np.searchsorted(report_rows[:len(open_rows)], rp[ROW].to_numpy(dtype=np.int64))
    n = len(report_rows)
    facts_all = pd.DataFrame({"kind": np.full(n, None, dtype=object), "region": np.full(n, None, dtype=object),
                              "sdate": np.full(n, np.datetime64("NaT"), dtype="datetime64[D]"),
                              "when": np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")})
    facts_all.loc[at, "kind"], facts_all.loc[at, "region"] = kind, region
    sdate_all, when_all = facts_all["sdate"].to_numpy().copy(), facts_all["when"].to_numpy().copy()
    sdate_all[at], when_all[at] = sdate, np.asarray(when, dtype="datetime64[ns]")
    facts_all["sdate"], facts_all["when"] = sdate_all, when_all
    r, e = place_by_request_number(numbers, np.arange(len(open_rows)), anchor_exam, facts_all, exams,
                                   exams["_claimed"].to_numpy(dtype=bool), np.zeros(0, dtype=object),
                                   families=families)
    # as the pandas step: a report of a patient takes an exam of that patient only
    where = np.searchsorted(rp[ROW].to_numpy(dtype=np.int64), report_rows[r])
    own = rp[_REPORT_PATIENT].astype(object).to_numpy()[where]
    own = np.where(pd.notna(own), own, None)
    keep = pd.isna(own) | (own == exams["patient"].to_numpy(dtype=object)[e])
    r, e, where, own = r[keep], e[keep], where[keep], own[keep]
    if not len(r):
        return rest
    k = len(r)
    report_exam = pd.DataFrame({
        "source_type": "report", "source_id": reports["report_id"].to_numpy(dtype=object)[where],
        "target_type": "exam", "target_id": exams["exam_id"].to_numpy(dtype=object)[e], "status": "linked",
        "score": 0.9, "method": "request_number",
        "evidence": evidence_column(k, [Evidence(np.arange(k), {"decision": "request_number",
                                                                "reason": REQUEST_NUMBER_REASON})])})
    return _with_report_links(rest, union, ep, reports.iloc[where], report_rows[r],
                              exams["_exam_row"].to_numpy(dtype=np.int64)[e], report_exam, settings,
                              report_patient=own)


class _Clock:
    """Seconds per stage into ``timings``, each stage materialised first (nothing when None)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        import time

        self.timings, self._now = timings, time.perf_counter
        self.start = self._now()

    def lap(self, stage: str, frame=None) -> None:
        if self.timings is None:
            return
        if frame is not None:
            frame.count()
        now = self._now()
        self.timings[stage] = now - self.start
        self.start = now
