"""The timeline job's NLP and linkage on Spark, as the ``extractor`` and ``linker`` it accepts.

:func:`radlink.timeline.build_timeline` takes an ``extractor`` and a ``linker``;
:func:`spark_engine` gives both, running on Spark and handing back pandas tables equal
to the pandas engine's, so that the timeline is assembled, filtered, pseudonymised and
written exactly as with the default engine.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from radlink.engines import spark_session
from radlink.linkage import LinkageSettings
from radlink.spark.frames import to_spark
from radlink.spark.linkage import link_spark
from radlink.tables import none_for_missing

__all__ = ["TIMELINE_TABLES", "assemble_timeline_spark", "build_timeline_spark", "output_frame", "spark_engine",
           "write_table_spark", "write_timeline_spark"]


def _pandas(sdf) -> pd.DataFrame:
    """A Spark result as the pandas engine's table (object text with ``None``)."""
    out = sdf.toPandas()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.StringDtype) or out[col].dtype == object:
            out[col] = out[col].astype(object)
    return none_for_missing(out)


def spark_engine(spark=None, settings: LinkageSettings | None = None
                 ) -> tuple[Callable[[pd.DataFrame, int], tuple[pd.DataFrame, pd.DataFrame]], Callable]:
    """``(extractor, linker)`` for :func:`radlink.timeline.build_timeline`, both on Spark.

    Examples
    --------
    >>> extractor, linker = spark_engine()  # doctest: +SKIP
    >>> out = build_timeline(load_dataset("data_samples"), extractor=extractor, linker=linker)  # doctest: +SKIP
    """

    def session():
        return spark or spark_session()

    def extractor(reports: pd.DataFrame, jobs: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        from radlink.nlp import ReportExtractor
        from radlink.nlp.extractor import _FACTS_DTYPES, _FINDINGS_DTYPES

        cols = [c for c in ("report_id", "text", "title") if c in reports.columns]
        sdf = to_spark(session(), reports[cols], "reports").select(*cols)
        result = ReportExtractor().extract(sdf)
        facts, findings = _pandas(result.facts), _pandas(result.findings)
        return facts.astype(_FACTS_DTYPES), findings.astype(_FINDINGS_DTYPES)

    def linker(ds) -> pd.DataFrame:
        links = link_spark(ds.patients, ds.exams, ds.stays, ds.reports, settings, spark=session())
        out = _pandas(links)
        out["score"] = out["score"].astype("float64")
        return out

    return extractor, linker


TIMELINE_TABLES: tuple[str, ...] = ("timeline", "unattached_exams", "unattached_reports", "unattached_stays")
"""Tables of :func:`assemble_timeline_spark`, named as the timeline job's files."""

_TABLE, _OUT, _FOREIGN, _KEY = "_table", "_out", "_foreign", "_key"
_FACT_COLUMNS = ("report_id", "modality", "tracer", "max_suvmax", "indication_category")
_PREFIX = {"patients": "p__", "stays": "s__", "exams": "e__", "reports": "r__", "links": "l__", "facts": "f__"}


def _output_schemas(event_columns):
    """Spark schema of each timeline table (the pandas engine's columns and types)."""
    from pyspark.sql import types as T

    from radlink.spark.frames import spark_type
    from radlink.tables import SCHEMAS

    text, number, stamp = T.StringType(), T.DoubleType(), T.TimestampType()
    kinds = {"start": stamp, "end": stamp, "max_suvmax": number, "link_score": number}

    def fields(names, types=None):
        return [T.StructField(c, (types or {}).get(c, kinds.get(c, text)), True) for c in names]

    exam_types = {f.name: spark_type(f.type) for f in SCHEMAS["exams"]}
    stay_types = {f.name: spark_type(f.type) for f in SCHEMAS["stays"]}
    return {
        "timeline": fields(tuple(event_columns)),
        "unattached_exams": fields((*exam_types, "link_status", "link_score", "evidence"), exam_types),
        "unattached_reports": fields(("report_id", "report_datetime", "title", "link_status", "reason"),
                                     {"report_datetime": stamp}),
        "unattached_stays": fields([c for c in stay_types if c != "patient_id"], stay_types),
    }


def _as_spark(spark, df, table: str):
    from radlink.engines import is_spark_frame
    from radlink.spark.frames import canonical

    if is_spark_frame(df):
        return canonical(df, table)
    return to_spark(spark, df, table)


def _links_frame(spark, links):
    from pyspark.sql import functions as F

    from radlink.engines import is_spark_frame, object_strings
    from radlink.linkage import LINK_COLUMNS

    if is_spark_frame(links):
        return links.select(*LINK_COLUMNS)
    frame = object_strings(links[list(LINK_COLUMNS)].astype({"score": "float64"}))
    frame = frame.astype(object).where(frame.notna(), None).astype({"score": "float64"})
    schema = ", ".join(f"{c} {'double' if c == 'score' else 'string'}" for c in LINK_COLUMNS)
    return spark.createDataFrame(frame, schema=schema).select(*(F.col(c) for c in LINK_COLUMNS))


def _facts_frame(spark, facts):
    from radlink.engines import is_spark_frame, object_strings

    if facts is None:
        facts = pd.DataFrame({c: pd.Series([], dtype="float64" if c == "max_suvmax" else object)
                              for c in _FACT_COLUMNS})
    if is_spark_frame(facts):
        return facts.select(*_FACT_COLUMNS)
    frame = object_strings(facts[list(_FACT_COLUMNS)])
    frame = frame.astype(object).where(frame.notna(), None).astype({"max_suvmax": "float64"})
    schema = ", ".join(f"{c} {'double' if c == 'max_suvmax' else 'string'}" for c in _FACT_COLUMNS)
    return spark.createDataFrame(frame, schema=schema)


def _grouped_timeline_rows(spark, patients, stays, exams, reports, links, facts, n_groups: int):
    """The six tables in one, each row tagged with the group of the patient it belongs to.

    A row's patient is the one :func:`radlink.timeline.assemble_timeline` resolves: an
    exam's, its linked exam→patient target; a report's, its linked exam's patient, else its
    own ``patient_id`` when registered; a stay's, its ``patient_id``. Rows without one are
    spread by their id (they go to the unattached tables). A report whose linked exam has
    no patient also gets a copy of that exam in its group (flagged: only its modality is read).
    """
    from pyspark.sql import functions as F

    from radlink.spark.frames import ROW, with_positions

    def group_of(key):
        return F.pmod(F.xxhash64(key), F.lit(int(n_groups))).cast("long")

    pat = with_positions(_as_spark(spark, patients, "patients"))
    sty = with_positions(_as_spark(spark, stays, "stays"))
    exa = with_positions(_as_spark(spark, exams, "exams"))
    # the texts stay behind: the timeline reads the title and ids of a report, never its text
    rep = with_positions(_as_spark(spark, reports, "reports").withColumn("text", F.lit(None).cast("string")))
    lnk = with_positions(_links_frame(spark, links))
    fct = with_positions(_facts_frame(spark, facts))

    def first_link(source_type, target_type, name):
        """The target of each source's first link of this type when linked (``links_by_source``'s row)."""
        sel = lnk.where((F.col("source_type") == source_type) & (F.col("target_type") == target_type))
        return sel.groupBy(F.col("source_id").alias("_id")).agg(
            F.min_by(F.when(F.col("status") == "linked", F.col("target_id")), F.col(ROW)).alias(name))

    exam_patient = (exa.select(ROW, "exam_id").join(first_link("exam", "patient", "_patient"),
                                                    F.col("exam_id") == F.col("_id"), "left")
                    .select(ROW, "exam_id", "_patient"))
    exam_patient = exam_patient.withColumn(
        _KEY, group_of(F.coalesce(F.concat(F.lit("p"), F.col("_patient")), F.concat(F.lit("e"), F.col("exam_id")))))
    registered = pat.select(F.col("patient_id").alias("_registered")).distinct()
    via = exam_patient.select(F.col("exam_id").alias("_exam"), F.col("_patient").alias("_via"),
                              F.col(_KEY).alias("_exam_group"))
    report_patient = (rep.select(ROW, "report_id", "patient_id")
                      .join(first_link("report", "exam", "_exam"), F.col("report_id") == F.col("_id"), "left")
                      .join(via, on="_exam", how="left")
                      .join(registered, F.col("patient_id") == F.col("_registered"), "left")
                      .select(ROW, "report_id", "_exam", "_exam_group",
                              F.coalesce(F.col("_via"), F.col("_registered")).alias("_patient")))
    report_patient = report_patient.withColumn(
        _KEY, group_of(F.coalesce(F.concat(F.lit("p"), F.col("_patient")),
                                  F.concat(F.lit("r"), F.col("report_id"))))).persist()
    exam_groups = exam_patient.select(ROW, _KEY)
    report_groups = report_patient.select(ROW, _KEY)

    def tagged(sdf, table, foreign=False):
        p = _PREFIX[table]
        return sdf.select(*(F.col(c).alias(p + c) for c in sdf.columns if c not in (ROW, _KEY)),
                          F.col(ROW), F.col(_KEY), F.lit(table).alias(_TABLE), F.lit(foreign).alias(_FOREIGN))

    foreign_rows = (report_patient.where(F.col("_exam").isNotNull() & (F.col(_KEY) != F.col("_exam_group")))
                    .join(exam_patient.where(F.col("_patient").isNull()).select(F.col("exam_id").alias("_exam")),
                          on="_exam").select(F.col("_exam").alias("exam_id"), _KEY).distinct())
    foreign = exa.join(foreign_rows, on="exam_id").select(*exa.columns, _KEY)
    link_groups = (lnk.join(exam_patient.select(F.col("exam_id").alias("_sid"), F.col(_KEY).alias("_eg")),
                            (F.col("source_type") == "exam") & (F.col("source_id") == F.col("_sid")), "left")
                   .join(report_patient.select(F.col("report_id").alias("_rid"), F.col(_KEY).alias("_rg")),
                         (F.col("source_type") == "report") & (F.col("source_id") == F.col("_rid")), "left")
                   .select(*lnk.columns, F.coalesce("_eg", "_rg", F.lit(0).cast("long")).alias(_KEY)))
    fact_groups = (fct.join(report_patient.select(F.col("report_id").alias("_rid"), F.col(_KEY).alias("_rg")),
                            F.col("report_id") == F.col("_rid"), "left")
                   .select(*fct.columns, F.coalesce("_rg", F.lit(0).cast("long")).alias(_KEY)))
    parts = [
        tagged(pat.withColumn(_KEY, group_of(F.concat(F.lit("p"), F.col("patient_id")))), "patients"),
        tagged(sty.withColumn(_KEY, group_of(F.coalesce(F.concat(F.lit("p"), F.col("patient_id")),
                                                        F.concat(F.lit("s"), F.col("stay_id"))))), "stays"),
        tagged(exa.join(exam_groups, on=ROW), "exams"),
        tagged(foreign, "exams", foreign=True),
        tagged(rep.join(report_groups, on=ROW), "reports"),
        tagged(link_groups, "links"),
        tagged(fact_groups, "facts"),
    ]
    union = parts[0]
    for part in parts[1:]:
        union = union.unionByName(part, allowMissingColumns=True)
    return union


def _timeline_of_group(frame: pd.DataFrame, schemas: dict, assemble) -> pd.DataFrame:
    """The timeline tables of one group of patients, by :func:`radlink.timeline.assemble_timeline`."""
    from radlink.engines import object_strings
    from radlink.linkage import LINK_COLUMNS
    from radlink.spark.frames import ROW, from_spark_batch
    frame = frame.sort_values([_TABLE, _FOREIGN, ROW], kind="mergesort")
    parts = {t: frame[frame[_TABLE] == t].reset_index(drop=True) for t in _PREFIX}
    tables = {t: from_spark_batch(parts[t], t, _PREFIX[t]) for t in ("patients", "stays", "exams", "reports")}
    exam_rows = parts["exams"][ROW].to_numpy(dtype=np.int64)
    foreign = parts["exams"][_FOREIGN].to_numpy(dtype=bool)

    def plain(table, columns):
        out = parts[table][[_PREFIX[table] + c for c in columns]].copy()
        out.columns = list(columns)
        return out

    links = plain("links", LINK_COLUMNS)
    links["score"] = links["score"].astype("float64")
    facts = plain("facts", _FACT_COLUMNS)
    facts["max_suvmax"] = facts["max_suvmax"].astype("float64")
    tl = assemble(tables["patients"], tables["stays"], tables["exams"], tables["reports"], links, facts)
    e_on = np.isin(tables["exams"]["exam_id"].to_numpy(dtype=object),
                   tl.unattached_exams["exam_id"].to_numpy(dtype=object), invert=True)
    unattached_exam_rows = exam_rows[~e_on & ~foreign]
    out_exams = tl.unattached_exams[~foreign[~e_on]].reset_index(drop=True)
    report_rows = parts["reports"][ROW].to_numpy(dtype=np.int64)
    r_off = np.isin(tables["reports"]["report_id"].to_numpy(dtype=object),
                    tl.unattached_reports["report_id"].to_numpy(dtype=object))
    stay_rows = parts["stays"][ROW].to_numpy(dtype=np.int64)
    s_off = np.isin(tables["stays"]["stay_id"].to_numpy(dtype=object),
                    tl.unattached_stays["stay_id"].to_numpy(dtype=object))
    results = []
    for name, table, rows in (("timeline", tl.events, np.zeros(len(tl.events), dtype=np.int64)),
                              ("unattached_exams", out_exams, unattached_exam_rows),
                              ("unattached_reports", tl.unattached_reports, report_rows[r_off]),
                              ("unattached_stays", tl.unattached_stays, stay_rows[s_off])):
        cols = [f.name for f in schemas[name]]
        part = table[cols].copy()
        part.columns = [f"{name}__{c}" for c in cols]
        part[_OUT] = name
        part[ROW] = rows
        results.append(part)
    out = pd.concat(results, ignore_index=True)
    return object_strings(out.astype({c: object for c in out.columns if out[c].dtype == object}))


def assemble_timeline_spark(patients, stays, exams, reports, links, facts=None, *, assemble, event_columns,
                            spark=None, n_groups: int | None = None) -> dict:
    """:func:`radlink.timeline.assemble_timeline` on Spark: the same tables, built per group of patients.

    Each row goes to the group of the patient it belongs to (:func:`_grouped_timeline_rows`);
    each group is assembled by the pandas function on an executor (``applyInPandas``), so
    the timeline never passes through the driver.

    Parameters
    ----------
    patients, stays, exams, reports : pandas or pyspark DataFrame
        Canonical tables.
    links : pandas or pyspark DataFrame
        The ``links`` table (:data:`radlink.linkage.LINK_COLUMNS`).
    facts : pandas or pyspark DataFrame, optional
        ``report_facts`` (only ``report_id``, ``modality``, ``tracer``, ``max_suvmax``,
        ``indication_category`` are read).
    assemble, event_columns
        :func:`radlink.timeline.assemble_timeline` and the columns of its events (the
        timeline job passes them: the timeline room sits above this one).
    spark : SparkSession, optional
    n_groups : int, optional
        Groups of patients (default: 4 per core, or one per 50,000 rows if more).

    Returns
    -------
    dict of str to pyspark.sql.DataFrame
        :data:`TIMELINE_TABLES`: ``timeline`` in the pandas engine's order (patient, time,
        stay, exam, report, id), the unattached tables in input order.

    Examples
    --------
    >>> tables = assemble_timeline_spark(ds.patients, ds.stays, ds.exams, ds.reports, links, facts,
    ...     assemble=assemble_timeline, event_columns=TIMELINE_COLUMNS + EXTRA_COLUMNS)  # doctest: +SKIP
    >>> write_timeline_spark(tables, "out/")  # doctest: +SKIP
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from radlink.spark.frames import ROW

    spark = spark or spark_session()
    cores = spark.sparkContext.defaultParallelism
    if n_groups is None:
        rows = sum(len(t) for t in (exams, reports) if isinstance(t, pd.DataFrame))
        n_groups = max(1, 4 * cores, -(-rows // 50_000))
    union = _grouped_timeline_rows(spark, patients, stays, exams, reports, links, facts, n_groups)
    schemas = _output_schemas(event_columns)
    fields = [T.StructField(f"{name}__{f.name}", f.dataType, True) for name, s in schemas.items() for f in s]
    schema = T.StructType([*fields, T.StructField(_OUT, T.StringType(), False), T.StructField(ROW, T.LongType())])

    def per_group(frame: pd.DataFrame) -> pd.DataFrame:
        return _timeline_of_group(frame, schemas, assemble)

    built = union.groupBy(_KEY).applyInPandas(per_group, schema).localCheckpoint(eager=True)
    out = {}
    for name, fields_of in schemas.items():
        table = built.where(F.col(_OUT) == name).select(
            *(F.col(f"{name}__{f.name}").alias(f.name) for f in fields_of), ROW)
        if name == "timeline":
            order = F.when(F.col("event_type") == "stay", 0).when(F.col("event_type") == "exam", 1).otherwise(2)
            table = table.orderBy(F.col("patient_id").asc_nulls_last(), F.col("start").asc_nulls_last(),
                                  order, F.col("event_id").asc_nulls_last())
        else:
            table = table.orderBy(ROW)
        out[name] = table.drop(ROW)
    return out


def write_timeline_spark(tables: dict, outdir, *, mode: str = "overwrite") -> None:
    """Each table of :func:`assemble_timeline_spark` as ``OUTDIR/NAME.parquet``, written by the executors.

    A table is a folder of part files in its order (reading the folder gives the rows in
    order); Spark splits a large table into as many parts as it has partitions.
    """
    from pathlib import Path

    for name, table in tables.items():
        table.write.mode(mode).parquet(str(Path(outdir) / f"{name}.parquet"))


FILE_MAX_ROWS = 5_000_000
"""Rows above which :func:`write_table_spark` writes a table as a folder of part files, not one file."""


def write_table_spark(table, path, *, folder: bool | None = None, rows: int | None = None) -> int:
    """One table written by the executors at ``path``, in its order; the number of rows.

    Up to :data:`FILE_MAX_ROWS` rows the table is one parquet file, as the pandas engine
    writes it (one task writes it: the driver never holds the rows); above, a folder of
    part files (one per partition, read back in order as one table). Columns and values are the
    pandas engine's (reading both back gives the same cells), not its bytes: Spark's
    parquet writer is not pyarrow's.

    Parameters
    ----------
    table : pyspark.sql.DataFrame
        In its final order (a local checkpoint of a sorted table: its partitions in order).
    path : path
        ``NAME.parquet``: a file, or a folder when the table is large.
    folder : bool, optional
        A folder of part files (True) or one file (False) whatever the size.
    rows : int, optional
        The table's row count when already known (else counted: one job).

    Examples
    --------
    >>> n = write_table_spark(spark.range(3), "out/ids.parquet")  # doctest: +SKIP
    """
    import shutil
    from pathlib import Path

    path = Path(path)
    rows = table.count() if rows is None else int(rows)
    if folder or (folder is None and rows > FILE_MAX_ROWS):
        table.write.mode("overwrite").parquet(str(path))
        return rows
    parts = path.with_name(f".{path.name}.parts")
    # coalesce, not repartition: the partitions are concatenated in order, without a shuffle
    table.coalesce(1).write.mode("overwrite").option("compression", "zstd").parquet(str(parts))
    written = sorted(parts.glob("part-*.parquet"))
    if len(written) != 1:  # pragma: no cover - Spark writes one part per partition
        raise RuntimeError(f"Spark wrote {len(written)} part files for one partition at {parts}")
    written[0].replace(path)
    shutil.rmtree(parts)
    return rows


def _reattached_counts(links, exams) -> tuple[int, int]:
    """``(reattached, ipp_other_format)`` exams, as the timeline job counts them, counted per partition.

    :func:`radlink.linkage.reattached` (with the exams: an IPP in another site's format is
    not a re-attachment) and :func:`radlink.linkage.ipp_other_format` read each
    exam→patient row with its exam's own ``patient_id``, joined on the executors.
    """
    from pyspark.sql import functions as F

    from radlink.linkage import ipp_other_format, reattached

    def counts(batches):
        for batch in batches:
            own = pd.DataFrame({"exam_id": batch["source_id"].to_numpy(dtype=object),
                                "patient_id": batch["_carried"].to_numpy(dtype=object)})
            rows = batch.drop(columns="_carried")
            yield pd.DataFrame({"reattached": [int(reattached(rows, own).sum())],
                                "other_format": [int(ipp_other_format(rows, own).sum())]}, dtype=np.int64)

    carried = exams.select(F.col("exam_id").alias("_exam"), F.col("patient_id").cast("string").alias("_carried"))
    rows = (links.where((F.col("source_type") == "exam") & (F.col("target_type") == "patient"))
            .select("source_id", "target_type", "target_id", "evidence")
            .join(carried, F.col("source_id") == F.col("_exam"), "left").drop("_exam"))
    row = (rows.mapInPandas(counts, "reattached long, other_format long")
           .agg(F.sum("reattached").alias("reattached"), F.sum("other_format").alias("other_format")).first())
    return int(row["reattached"] or 0), int(row["other_format"] or 0)


def output_frame(name: str, table) -> pd.DataFrame:
    """A table of :func:`build_timeline_spark` collected as the pandas engine holds it (``NAME.parquet``).

    Text columns are object with ``None``, datetimes ``datetime64[ns]``, numbers and flags as
    in the pandas engine's tables, so that :func:`radlink.outputs.write_parquet` writes the same bytes.
    """
    from radlink.nlp.extractor import _FACTS_DTYPES, _FINDINGS_DTYPES

    if isinstance(table, pd.DataFrame):
        return table
    out = _pandas(table)
    dtypes = {"report_facts.parquet": _FACTS_DTYPES, "findings.parquet": _FINDINGS_DTYPES,
              "links.parquet": {"score": "float64"}}.get(name, {})
    # radlink's datetimes are datetime64[ns] (radlink.tables); pyspark under pandas 3 gives [us]
    dtypes = {**{c: "datetime64[ns]" for c in out.columns if pd.api.types.is_datetime64_dtype(out[c])}, **dtypes}
    return out.astype(dtypes) if dtypes else out


def build_timeline_spark(dataset, *, assemble, event_columns, outputs, spark=None,
                         settings: LinkageSettings | None = None, opposition: frozenset[str] = frozenset(),
                         pseudonymiser=None):
    """:func:`radlink.timeline.build_timeline` with every table built on Spark and left there.

    The NLP (``ReportExtractor().extract``), the linkage (:func:`~radlink.spark.link_spark`)
    and the timeline (:func:`assemble_timeline_spark`) run on the executors; the driver
    receives counts only (accounting, links per status, re-attached exams). Opposed
    patients' rows leave every table on the executors too
    (:func:`radlink.spark.opposition.exclude_opposed_spark`, the pandas engine's row rules),
    and so does pseudonymisation, last (:func:`radlink.spark.pseudonymise.pseudonymise_spark`).
    ``assemble``, ``event_columns`` (see :func:`assemble_timeline_spark`) and ``outputs``
    (``TimelineOutputs``) come from the timeline job.

    Parameters
    ----------
    dataset : SparkDataset or Dataset
        Read by :func:`radlink.spark.dataset.read_dataset_spark` (each table stored once
        on the executors), or a pandas :class:`~radlink.dataset.Dataset` (each table sent
        to Spark once).

    opposition : frozenset of str, optional
        Patient ids who opposed research use: their rows leave every table.
    pseudonymiser : Pseudonymiser, optional
        When given, every table is pseudonymised on the executors after the counts are
        taken (keyed pseudonyms, shifted dates, no direct identifier, scrubbed text).

    Returns
    -------
    TimelineOutputs
        Its tables are Spark DataFrames (``skipped_reports`` an empty pandas table),
        each persisted: :meth:`TimelineOutputs.tables` writes them with ``.write.parquet``.
    """
    import time

    from pyspark.sql import functions as F

    from radlink.nlp import ReportExtractor
    from radlink.spark.dataset import SparkDataset, _sent_once

    spark = spark or spark_session()
    stages: list[dict] = []

    def stage(name: str, rows: int, build):
        """Run ``build`` (it returns frames) and cut each frame's lineage: the time from start to rows stored."""
        start = time.perf_counter()
        # a local checkpoint keeps the rows and forgets the plan: every later plan starts from
        # them (plans that nest persisted plans grow with each step, and so does their planning)
        frames = [f.localCheckpoint(eager=True) for f in build()]
        stages.append({"stage": name, "rows": int(rows), "seconds": round(time.perf_counter() - start, 3)})
        return frames

    # every table on the executors once (read there, or sent once), numbered and stored
    ds = dataset if isinstance(dataset, SparkDataset) else _sent_once(spark, dataset)
    n = ds.summary()
    cols = [c for c in ("report_id", "text", "title") if c in ds.reports.columns]

    def extract():
        from radlink.spark.frames import ROW

        # the facts and findings come out in the order the reports go in: the input's order
        # (Spark packs a file's blocks into partitions by size, not by offset)
        reports = ds.reports.repartitionByRange(max(1, ds.reports.rdd.getNumPartitions()), ROW)
        result = ReportExtractor().extract(reports.sortWithinPartitions(ROW).select(*cols))
        return result.facts, result.findings

    facts, findings = stage("extract", n["reports"], extract)
    (links,) = stage("link", n["exams"] + n["reports"],
                     lambda: [link_spark(ds.patients, ds.exams, ds.stays, ds.reports, settings, spark=spark)])
    cores = spark.sparkContext.defaultParallelism
    n_groups = max(1, 4 * cores, -(-(n["exams"] + n["reports"]) // 50_000))

    def assembled():
        tables = assemble_timeline_spark(ds.patients, ds.stays, ds.exams, ds.reports, links, facts,
                                         assemble=assemble, event_columns=event_columns, spark=spark,
                                         n_groups=n_groups)
        return [tables[name] for name in TIMELINE_TABLES]

    built = stage("assemble", links.count(), assembled)  # rows: the links, as the pandas engine counts them
    tables = dict(zip(TIMELINE_TABLES, built, strict=True))
    out = outputs(timeline=tables["timeline"], links=links, report_facts=facts, findings=findings,
                          unattached_exams=tables["unattached_exams"],
                          unattached_reports=tables["unattached_reports"],
                          unattached_stays=tables["unattached_stays"])
    excluded, out.excluded_patients = {"exams": 0, "reports": 0, "stays": 0}, 0
    if opposition:
        from radlink.spark.opposition import exclude_opposed_spark

        start = time.perf_counter()
        excluded, out.excluded_patients = exclude_opposed_spark(ds, out, frozenset(opposition))
        stages.append({"stage": "opposition", "rows": int(out.timeline.count()),
                       "seconds": round(time.perf_counter() - start, 3)})
    linked = {r["event_type"]: int(r["count"]) for r in out.timeline.groupBy("event_type").count().collect()}
    ambiguous = out.unattached_exams.where(F.col("link_status") == "ambiguous").count()
    unattached = {t: getattr(out, f"unattached_{t}").count() for t in ("exams", "reports", "stays")}
    out.accounting = {
        table: {"in": n[table], "linked": linked.get(event, 0),
                "ambiguous": ambiguous if table == "exams" else 0,
                "unlinked": unattached[table] - (ambiguous if table == "exams" else 0),
                "excluded_opposition": excluded[table]}
        for table, event in (("exams", "exam"), ("reports", "report"), ("stays", "stay"))}
    # after opposition, as the pandas engine counts them (re-attached exams: before, from every link)
    status = out.links.groupBy("source_type", "target_type", "status").count().collect()
    out.link_status = {}
    for r in sorted(status, key=lambda r: (r["source_type"] + "->" + r["target_type"], r["status"])):
        out.link_status.setdefault(r["source_type"] + "->" + r["target_type"], {})[r["status"]] = int(r["count"])
    out.reattached_exams, out.ipp_other_format_exams = _reattached_counts(links, _carried_ipps(ds.exams))
    if pseudonymiser is not None:  # last, as the pandas engine: the counts above read the raw ids
        from radlink.spark.pseudonymise import pseudonymise_spark

        start = time.perf_counter()
        pseudonymise_spark(ds, out, pseudonymiser)
        stages.append({"stage": "pseudonymise", "rows": int(out.timeline.count()),
                       "seconds": round(time.perf_counter() - start, 3)})
    out.stages = stages
    return out


def _carried_ipps(exams):
    """``exam_id``, ``patient_id`` of each exam as the pandas engine's table holds them (read per partition)."""
    from radlink.spark.frames import from_spark_batch

    def ids(batches):
        for batch in batches:
            frame = from_spark_batch(batch, "exams")
            yield pd.DataFrame({"exam_id": frame["exam_id"].to_numpy(dtype=object),
                                "patient_id": frame["patient_id"].to_numpy(dtype=object)})

    return exams.select("exam_id", "patient_id").mapInPandas(ids, "exam_id string, patient_id string")
