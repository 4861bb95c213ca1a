"""Canonical tables as Spark DataFrames: conversion, row positions, validation per partition.

The Spark engine keeps each table's values as the site wrote them (a DICOM birth date
``19500304`` stays a string) and lets :func:`radlink.tables.validate_table` read them
in each partition, exactly as the pandas engine reads them. Rows carry ``_row``, their
position in the input (partition order), so that every step can restore the pandas
engine's row order and draw the same random samples.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.engines import is_spark_frame, object_strings
from radlink.errors import LinkageInputError
from radlink.tables import SCHEMAS, TABLES, validate_table

__all__ = ["ROW", "to_spark", "canonical", "check_unique_ids", "with_positions", "positioned", "validated",
           "from_spark_batch"]

ROW = "_row"
"""Column of a row's position in its input table (0, 1, ...; partition order)."""

_PARTITION_BITS = 33  # monotonically_increasing_id(): partition id in the upper bits


def spark_type(arrow_type):
    """The Spark type a canonical column is sent as (dates and datetimes as timestamps)."""
    import pyarrow as pa
    from pyspark.sql import types as T

    if pa.types.is_date(arrow_type) or pa.types.is_timestamp(arrow_type):
        return T.TimestampType()
    if pa.types.is_integer(arrow_type):
        return T.LongType()
    return T.StringType()


def to_spark(spark, df: pd.DataFrame, table: str):
    """A validated pandas table as a Spark DataFrame of its canonical columns.

    Examples
    --------
    >>> import pandas as pd
    >>> sdf = to_spark(spark, pd.DataFrame({"patient_id": ["P1"]}), "patients")  # doctest: +SKIP
    """
    from pyspark.sql import types as T

    table_df = validate_table(df, table)
    schema = T.StructType([T.StructField(f.name, spark_type(f.type), True) for f in SCHEMAS[table]])
    data = object_strings(table_df[[f.name for f in SCHEMAS[table]]])
    return spark.createDataFrame(data, schema=schema)


def canonical(sdf, table: str):
    """The canonical columns of a Spark table (absent optional ones added as null strings), and
    :data:`ROW` when it has one."""
    from pyspark.sql import functions as F

    if not is_spark_frame(sdf):
        raise LinkageInputError(f"{table} must be a Spark DataFrame here, not {type(sdf).__name__}")
    spec = TABLES[table]
    missing = [c for c in spec.required if c not in sdf.columns]
    if missing:
        raise LinkageInputError(f"{table} lacks the required column(s) {missing}")
    return sdf.select(*(F.col(c) if c in sdf.columns else F.lit(None).cast("string").alias(c)
                        for c in spec.columns), *([F.col(ROW)] if ROW in sdf.columns else []))


def check_unique_ids(sdf, table: str) -> None:
    """Raise when the table's key (``exam_id``...) is null or duplicated across partitions.

    Each partition is validated like a pandas table; this one aggregation sees what no
    partition can: the same id in two partitions. The message counts, never quotes.
    """
    from pyspark.sql import functions as F

    key = TABLES[table].key
    row = sdf.select(F.count(F.lit(1)).alias("n"), F.count(F.col(key)).alias("present"),
                     F.countDistinct(F.col(key)).alias("distinct")).first()
    problems = []
    if row["present"] < row["n"]:
        problems.append(f"{row['n'] - row['present']:,} rows have no {key}")
    if row["distinct"] < row["present"]:
        problems.append(f"{row['present'] - row['distinct']:,} rows repeat an {key} already seen")
    if problems:
        raise LinkageInputError(f"table {table!r}, column {key!r}: " + "; ".join(problems)
                                + f" (each row needs its own {key})")


def with_positions(sdf):
    """``sdf`` with :data:`ROW`, each row's position in partition order (contiguous from 0).

    ``monotonically_increasing_id`` numbers rows by partition; one small job counts
    each partition's rows and the ids become positions. The result is persisted, so
    that the positions never change between the jobs that read them.
    """
    return positioned(sdf)[0]


def positioned(sdf):
    """``(with_positions(sdf), rows)``: the row count comes from the job that numbers the rows.

    A table numbered already (it has :data:`ROW`: read by
    :func:`radlink.spark.dataset.read_dataset_spark`, stored) is returned as it is, with its count.
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    if ROW in sdf.columns:
        return sdf, sdf.count()

    mid = sdf.withColumn("_mid", F.monotonically_increasing_id())
    mid = mid.persist(StorageLevel.DISK_ONLY)  # tables with report texts: never on the JVM heap
    counts = (mid.select(F.shiftright(F.col("_mid"), _PARTITION_BITS).alias("_p"))
              .groupBy("_p").count().collect())
    sizes = dict(sorted((int(r["_p"]), int(r["count"])) for r in counts))
    offsets, start = {}, 0
    for part, size in sizes.items():
        offsets[part] = start
        start += size
    offset = F.create_map(*[v for p, o in offsets.items() for v in (F.lit(p), F.lit(o))]) if offsets else None
    low = F.col("_mid").bitwiseAND(F.lit((1 << _PARTITION_BITS) - 1))
    position = (offset[F.shiftright(F.col("_mid"), _PARTITION_BITS)] + low) if offset is not None else low
    out = mid.withColumn(ROW, position.cast("long")).drop("_mid")
    return out.persist(StorageLevel.DISK_ONLY), start


def from_spark_batch(batch: pd.DataFrame, table: str, prefix: str = "") -> pd.DataFrame:
    """A batch of a Spark table, validated like the pandas engine's input (``_row`` kept aside)."""
    cols = {prefix + c: c for c in TABLES[table].columns}
    frame = batch[[c for c in cols if c in batch.columns]].rename(columns=cols)
    frame = object_strings(frame)
    return validated(frame, table)


def validated(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """:func:`radlink.tables.validate_table`, after Spark's dates are made pandas datetimes."""
    frame = frame.copy(deep=False)
    for col, kind in TABLES[table].columns.items():
        if col in frame and kind in ("date", "datetime"):
            values = frame[col]
            if values.dtype == object and len(values) and not isinstance(values.dropna().iloc[0]
                                                                         if values.notna().any() else "", str):
                frame[col] = pd.to_datetime(values)
    return validate_table(frame, table)


def positions_of(values) -> np.ndarray:
    """``_row`` values as an int64 array."""
    return np.asarray(values, dtype=np.int64)
