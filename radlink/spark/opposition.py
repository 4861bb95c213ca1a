"""Opposition on Spark: opposed patients' rows leave every table built on the executors.

The same row rules as the pandas engine (:mod:`radlink.privacy.opposition`), run per
partition: each exam is read with its first exam→patient link, each report with its
first report→exam link (the rows :func:`radlink.timeline.assemble.links_by_source`
keeps), and the rules decide. The ids of the rows that leave (an opposed patient's
exams, reports and stays: they grow with the opposition list, not with the warehouse)
are collected and broadcast with the list, and each output table is filtered partition
by partition, in its order. Only counts are kept, as in the pandas engine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.privacy.opposition import oppose_links, opposed_events, opposed_exams, opposed_reports
from radlink.spark.frames import from_spark_batch

__all__ = ["exclude_opposed_spark"]

_POS = "_pos"


def _first_links(links, source_type: str, target_type: str, prefix: str):
    """Each source's first link of one type: ``_id``, status, target and evidence (``links_by_source``)."""
    from pyspark.sql import functions as F

    first = F.min_by(F.struct("status", "target_id", "evidence"), F.col(_POS))
    return (links.where((F.col("source_type") == source_type) & (F.col("target_type") == target_type))
            .groupBy(F.col("source_id").alias("_id")).agg(first.alias("_l"))
            .select("_id", *(F.col(f"_l.{c}").alias(prefix + c) for c in ("status", "target_id", "evidence"))))


def _ids(sdf, column: str) -> frozenset[str]:
    return frozenset(r[0] for r in sdf.select(column).collect())


def _filtered(table, keep):
    """``table`` without the rows ``keep(batch)`` refuses, partition by partition, in its order."""
    def run(batches):
        for batch in batches:
            yield batch[keep(batch)]

    return table.mapInPandas(run, table.schema)


def exclude_opposed_spark(ds, out, opposed: frozenset[str]) -> tuple[dict[str, int], int]:
    """:func:`radlink.timeline.opposition.exclude_opposed` on Spark tables, in place.

    Parameters
    ----------
    ds : SparkDataset
        The input tables (:func:`radlink.spark.dataset.read_dataset_spark`).
    out : TimelineOutputs
        Its tables are Spark DataFrames (``skipped_reports`` may be pandas); replaced by
        the tables without the opposed patients' rows, each stored (local checkpoint).
    opposed : frozenset of str

    Returns
    -------
    excluded : dict
        Per input table (``exams``, ``reports``, ``stays``): how many of its rows left.
    n_patients : int
        How many opposed patients were found in the data (never which).

    Examples
    --------
    >>> excluded, n = exclude_opposed_spark(ds, out, frozenset({"800000001"}))  # doctest: +SKIP
    """
    from pyspark.sql import functions as F

    spark = out.links.sparkSession
    held = spark.sparkContext.broadcast(frozenset(opposed))
    links = out.links.withColumn(_POS, F.monotonically_increasing_id())  # the links' order: partition order

    def exams_out(batches):
        for batch in batches:
            exams = from_spark_batch(batch, "exams")
            status = batch["e_status"].to_numpy(dtype=object)
            resolved = pd.Series(np.where(status == "linked", batch["e_target_id"].to_numpy(dtype=object), None),
                                 dtype=object)
            gone = opposed_exams(exams["patient_id"], resolved, batch["e_evidence"].astype(object), held.value)
            found = set(exams["patient_id"].dropna()) | set(resolved.dropna())
            yield pd.DataFrame({"exam_id": exams["exam_id"].to_numpy(dtype=object)[gone]}).assign(_found=None)
            yield pd.DataFrame({"exam_id": None, "_found": sorted(held.value & found)}, dtype=object)

    exams = (ds.exams.join(_first_links(links, "exam", "patient", "e_"), F.col("exam_id").cast("string") == F.col("_id"),
                           "left").drop("_id"))
    decided = exams.mapInPandas(exams_out, "exam_id string, _found string").localCheckpoint(eager=True)
    excluded_exams = _ids(decided.where(F.col("exam_id").isNotNull()), "exam_id")
    gone_exams = spark.sparkContext.broadcast(excluded_exams)

    def reports_out(batches):
        for batch in batches:
            reports = from_spark_batch(batch, "reports")
            linked = np.where(batch["r_status"].to_numpy(dtype=object) == "linked",
                              batch["r_target_id"].to_numpy(dtype=object), None)
            gone = opposed_reports(reports["patient_id"], pd.Series(linked, dtype=object), held.value,
                                   gone_exams.value)
            yield pd.DataFrame({"report_id": reports["report_id"].to_numpy(dtype=object)[gone]})

    reports = (ds.reports.drop("text")
               .join(_first_links(links, "report", "exam", "r_"), F.col("report_id").cast("string") == F.col("_id"),
                     "left").drop("_id", "r_evidence"))
    excluded_reports = _ids(reports.withColumn("text", F.lit("")).mapInPandas(reports_out, "report_id string"),
                            "report_id")

    def stays_out(batches):
        for batch in batches:
            stays = from_spark_batch(batch, "stays")
            gone = stays["patient_id"].isin(held.value).to_numpy()
            found = set(stays["patient_id"].dropna()) & held.value
            yield pd.DataFrame({"stay_id": stays["stay_id"].to_numpy(dtype=object)[gone]}).assign(_found=None)
            yield pd.DataFrame({"stay_id": None, "_found": sorted(found)}, dtype=object)

    def patients_found(batches):
        for batch in batches:
            patients = from_spark_batch(batch, "patients")
            yield pd.DataFrame({"_found": sorted(set(patients["patient_id"].dropna()) & held.value)}, dtype=object)

    stays = ds.stays.mapInPandas(stays_out, "stay_id string, _found string").localCheckpoint(eager=True)
    excluded_stays = _ids(stays.where(F.col("stay_id").isNotNull()), "stay_id")
    found = (decided.select("_found").unionByName(stays.select("_found"))
             .unionByName(ds.patients.mapInPandas(patients_found, "_found string")))
    n_patients = found.where(F.col("_found").isNotNull()).distinct().count()

    sets = spark.sparkContext.broadcast((excluded_exams, excluded_reports, frozenset(excluded_stays)))

    def links_left(batches):
        for batch in batches:
            batch = batch.astype({c: object for c in batch.columns if c != "score"})
            yield oppose_links(batch.where(batch.notna(), None).astype({"score": "float64"}), held.value,
                               *sets.value)

    def events_left(batch):
        return ~opposed_events(batch, held.value, *sets.value)

    def by_column(column, index):
        return lambda batch: ~batch[column].isin(sets.value[index]).to_numpy()

    out.links = out.links.mapInPandas(links_left, out.links.schema).localCheckpoint(eager=True)
    out.timeline = _filtered(out.timeline, events_left).localCheckpoint(eager=True)
    for name, column, index in (("report_facts", "report_id", 1), ("findings", "report_id", 1),
                                ("unattached_exams", "exam_id", 0), ("unattached_reports", "report_id", 1),
                                ("unattached_stays", "stay_id", 2)):
        setattr(out, name, _filtered(getattr(out, name), by_column(column, index)).localCheckpoint(eager=True))
    if isinstance(out.skipped_reports, pd.DataFrame):
        skipped = out.skipped_reports
        out.skipped_reports = skipped[~skipped.report_id.isin(excluded_reports)].reset_index(drop=True)
    excluded = {"exams": len(excluded_exams), "reports": len(excluded_reports), "stays": len(excluded_stays)}
    return excluded, int(n_patients)
