"""Groups of rows that the report and stay linkers must see together, found on the executors.

Report → exam pairs meet through a patient (the exam's resolved patient, the report's
own) or an accession number; stays meet exams and reports through a patient. The
connected components of the graph whose nodes are patients and accession numbers and
whose edges are the exams and reports (each joins its patient to its accession
number) are closed: no candidate, accession match or one-to-one choice crosses them.
Components are hashed into ``n_groups`` groups, each linked by the pandas engine's own
functions, and the links are the same as on the whole table.

Everything here is Spark joins and aggregations; nothing is collected on the driver:

1. **placeholders**: an accession number carried by more than ``max_patients``
   distinct patients is no exam's number (:mod:`radlink.linkage.accessions`, the pandas
   engine's same decision); it is made null, so it neither glues patients into one
   giant group nor links a report;
2. an accession number carried by one patient is a leaf of that patient's component;
   only those shared by 2 to ``max_patients`` patients join patients. Their
   patient–patient edges (few) are closed by min-label propagation on the executors
   (:func:`patient_components`, one join per step, as many steps as the longest chain),
   or, when there are at most ``DRIVER_EDGES`` of them (a bounded amount, whatever
   the size of the tables), collected and closed at once on the driver;
3. each row's component is its patient's, else its accession number's patient's, else
   the accession number itself, else the row alone; its group a hash of that.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["DRIVER_EDGES", "GROUP", "patient_components", "row_groups"]

DRIVER_EDGES = 100_000
"""Most patient–patient edges closed on the driver (a few MB); more are closed on the executors."""

GROUP = "_group"
"""Column of a row's group (0 .. n_groups - 1)."""


def patient_components(edges, *, max_steps: int = 10_000):
    """``(patient, label)``: the smallest patient id of each one's component, for the patients of ``edges``.

    Parameters
    ----------
    edges : pyspark.sql.DataFrame
        Columns ``x`` and ``y`` (patient ids, not null): undirected edges.
    max_steps : int
        A guard: the propagation stops after the longest chain of edges, always far fewer.

    Returns
    -------
    pyspark.sql.DataFrame
        ``patient``, ``label``; patients without an edge are not listed (their label is themselves).
    """
    from pyspark.sql import functions as F

    both = (edges.select(F.col("x").alias("a"), F.col("y").alias("b"))
            .unionByName(edges.select(F.col("y").alias("a"), F.col("x").alias("b"))).distinct())
    both = both.localCheckpoint()
    labels = both.groupBy("a").agg(F.least(F.min("b"), F.first("a")).alias("label")).localCheckpoint()
    for _ in range(max_steps):
        seen = (both.join(labels.withColumnRenamed("a", "b").withColumnRenamed("label", "lb"), on="b")
                .groupBy("a").agg(F.min("lb").alias("lb")))
        step = (labels.join(seen, on="a", how="left")
                .select("a", F.least("label", F.coalesce("lb", "label")).alias("label"),
                        (F.col("lb") < F.col("label")).alias("_moved")))
        step = step.localCheckpoint()
        moved = step.where(F.col("_moved")).limit(1).count()
        labels = step.drop("_moved")
        if not moved:
            break
    return labels.select(F.col("a").alias("patient"), "label")


def _components_on_driver(spark, edges: pd.DataFrame):
    """``(patient, label)`` of a few collected edges (scipy's connected components)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if not len(edges):
        return spark.createDataFrame(pd.DataFrame({"patient": pd.Series([], dtype=object),
                                                   "label": pd.Series([], dtype=object)}),
                                     schema="patient string, label string")
    codes, names = pd.factorize(pd.concat([edges["x"], edges["y"]], ignore_index=True))
    n = len(names)
    graph = coo_matrix((np.ones(len(edges), dtype=np.int8), (codes[: len(edges)], codes[len(edges):])),
                       shape=(n, n))
    _, component = connected_components(graph, directed=False)
    names = pd.Series(np.asarray(names, dtype=object))
    label = names.groupby(component).transform("min")  # the smallest id of each component
    frame = pd.DataFrame({"patient": names.astype(object), "label": label.astype(object)})
    return spark.createDataFrame(frame, schema="patient string, label string")


def row_groups(exam_rows, report_rows, *, n_groups: int, max_patients: int,
               driver_edges: int = DRIVER_EDGES):
    """Each exam's and report's group, its accession number (placeholders null) and each patient's group.

    Parameters
    ----------
    exam_rows, report_rows : pyspark.sql.DataFrame
        ``_row``, ``accession_number`` and ``patient`` (the exam's resolved patient, the
        report's own or its stay's; either may be null).
    n_groups : int
        Components are hashed into this many groups.
    max_patients : int
        ``LinkageSettings.accession_max_patients``.
    driver_edges : int
        Most patient–patient edges collected and closed on the driver (0: none).

    Returns
    -------
    exam_groups, report_groups : pyspark.sql.DataFrame
        ``_row``, ``accession_number`` (a placeholder made null), :data:`GROUP`.
    patient_groups : pyspark.sql.DataFrame
        ``patient``, :data:`GROUP`, for every patient of a row.
    """
    from pyspark.sql import functions as F

    from radlink.spark.frames import ROW

    def key_group(key):
        return F.pmod(F.xxhash64(key), F.lit(int(n_groups))).cast("long")

    tagged = (exam_rows.select(ROW, "accession_number", "patient", F.lit("e").alias("_t"))
              .unionByName(report_rows.select(ROW, "accession_number", "patient", F.lit("r").alias("_t"))))
    pairs = (tagged.where(F.col("accession_number").isNotNull() & F.col("patient").isNotNull())
             .select(F.col("accession_number").alias("_acc"), "patient").distinct())
    counted = pairs.groupBy("_acc").agg(F.count(F.lit(1)).alias("_n"), F.min("patient").alias("_p0"))
    counted = counted.localCheckpoint()
    per_acc = counted.where(F.col("_n") <= max_patients)  # placeholders are no accession number
    placeholder = counted.where(F.col("_n") > max_patients).select("_acc", F.lit(True).alias("_placeholder"))
    shared = per_acc.where(F.col("_n") >= 2)
    edges = (pairs.join(shared, on="_acc").where(F.col("patient") != F.col("_p0"))
             .select(F.col("patient").alias("x"), F.col("_p0").alias("y")))
    edges = edges.distinct().localCheckpoint()
    few = edges.limit(driver_edges + 1).toPandas() if driver_edges > 0 else None
    if few is not None and len(few) <= driver_edges:
        labels = _components_on_driver(exam_rows.sparkSession, few)
    else:
        labels = patient_components(edges)
    own = labels.withColumnRenamed("label", "_own_label")
    via = labels.withColumnRenamed("patient", "_p0").withColumnRenamed("label", "_p0_label")
    rows = (tagged.join(F.broadcast(placeholder), tagged["accession_number"] == placeholder["_acc"], "left")
            .drop("_acc")
            .withColumn("accession_number", F.when(F.col("_placeholder").isNull(), F.col("accession_number")))
            .drop("_placeholder"))
    rows = (rows.join(per_acc.select("_acc", "_p0"), rows["accession_number"] == per_acc["_acc"], "left")
            .drop("_acc").join(own, on="patient", how="left").join(via, on="_p0", how="left"))
    component = (F.when(F.col("patient").isNotNull(),
                        F.concat(F.lit("p"), F.coalesce(F.col("_own_label"), F.col("patient"))))
                 .when(F.col("_p0").isNotNull(), F.concat(F.lit("p"), F.coalesce(F.col("_p0_label"), F.col("_p0"))))
                 .when(F.col("accession_number").isNotNull(), F.concat(F.lit("a"), F.col("accession_number")))
                 .otherwise(F.concat(F.col("_t"), F.col(ROW).cast("string"))))
    rows = rows.select(ROW, "_t", "accession_number", "patient", key_group(component).alias(GROUP))
    rows = rows.localCheckpoint()
    exam_groups = rows.where(F.col("_t") == "e").select(ROW, "accession_number", GROUP)
    report_groups = rows.where(F.col("_t") == "r").select(ROW, "accession_number", GROUP)
    patient_groups = rows.where(F.col("patient").isNotNull()).select("patient", GROUP).distinct()
    return exam_groups, report_groups, patient_groups
