"""A dataset directory read by Spark: the four canonical tables, validated on the executors.

:func:`read_dataset_spark` is :func:`radlink.dataset.load_dataset` for the Spark engine.
Each ``NAME.parquet`` (a file or a folder of part files) is read by ``spark.read``, its
columns renamed by the column mapping, numbered (:data:`radlink.spark.frames.ROW`, the
row's position) and stored once on the executors' disks; every partition is checked by
:func:`radlink.tables.validate_table` itself, and what no partition can see (the same id
in two partitions) by one aggregation. Only the problems and the lossy reads reach the
driver, as :class:`~radlink.errors.ValidationProblem` rows naming table, column and row
id (a position where the pandas engine gives one: the position in the whole table), so
the error is the pandas engine's :class:`~radlink.errors.TableValidationError`.

Values stay as the site wrote them (a DICOM birth date ``19500304`` stays a string):
each later step reads them through :func:`~radlink.tables.validate_table` per partition,
as :mod:`radlink.spark.frames` says. CSV files and OMOP CDM exports are read by the
pandas engine's :func:`~radlink.dataset.load_dataset` and each table sent to Spark once.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from radlink.dataset import ColumnMapping, load_column_mapping, load_dataset
from radlink.errors import (
    DatasetNotFoundError,
    DataWarning,
    TableValidationError,
    ValidationProblem,
)
from radlink.spark.frames import ROW, positioned, to_spark, validated
from radlink.tables import TABLES

__all__ = ["SparkDataset", "read_dataset_spark"]

_ROW_NAME = re.compile(r"^row (\d+)$")
_PROBLEM_SCHEMA = "kind string, warning string, column string, row_id string, problem string, position long"


@dataclass
class SparkDataset:
    """The four canonical tables as Spark DataFrames, validated, each stored once.

    Attributes
    ----------
    patients, stays, exams, reports : pyspark.sql.DataFrame
        The canonical columns as read (absent optional ones null) and :data:`ROW`.
    rows : dict
        Table name -> row count.
    sources : dict
        Table name -> the file or folder it was read from.
    warnings : list of DataWarning
        What was read with a loss, as :class:`radlink.dataset.Dataset` lists it.
    """

    patients: object
    stays: object
    exams: object
    reports: object
    rows: dict[str, int]
    sources: dict[str, Path]
    warnings: list[DataWarning] = field(default_factory=list)

    def __repr__(self) -> str:
        """Row counts only, as :class:`radlink.dataset.Dataset`'s."""
        counts = ", ".join(f"{name}={n:,} rows" for name, n in self.summary().items())
        return f"SparkDataset({counts}, warnings={len(self.warnings)})"

    def summary(self) -> dict[str, int]:
        """Row count per table, in canonical order."""
        return {name: int(self.rows[name]) for name in TABLES}

    def warning_counts(self) -> list[dict[str, object]]:
        """One ``{table, column, warning, count}`` per warning (counts only, for manifests)."""
        return [{"table": w.table, "column": w.column, "warning": type(w).__name__, "count": w.count}
                for w in self.warnings]


def _parquet_paths(directory: Path) -> dict[str, Path | None]:
    return {t: (p if (p := directory / f"{t}.parquet").exists() else None) for t in TABLES}


def read_dataset_spark(directory: str | Path, *, mapping: ColumnMapping | str | Path | None = None,
                       spark=None) -> SparkDataset:
    """Read and validate a dataset directory with Spark (parquet), else with pandas and send it once.

    Parameters
    ----------
    directory : path
        As for :func:`radlink.dataset.load_dataset`.
    mapping : dict, path, "omop" or None
        Column mapping; ``"omop"`` (and CSV tables) are read by the pandas engine.
    spark : SparkSession, optional

    Returns
    -------
    SparkDataset

    Raises
    ------
    DatasetNotFoundError, TableValidationError
        As :func:`radlink.dataset.load_dataset` (the same problems, row ids as positions
        in the whole table).

    Examples
    --------
    >>> ds = read_dataset_spark("data_samples")  # doctest: +SKIP
    >>> ds.summary()  # doctest: +SKIP
    {'patients': 50, 'stays': 212, 'exams': 260, 'reports': 248}
    """
    from radlink.engines import spark_session

    spark = spark or spark_session()
    directory = Path(directory)
    if not directory.is_dir():
        raise DatasetNotFoundError(f"dataset directory {str(directory)!r} does not exist")
    paths = _parquet_paths(directory)
    csv = any((directory / f"{t}.csv").exists() and paths[t] is None for t in TABLES)
    if csv or not any(paths.values()) or (isinstance(mapping, str) and mapping == "omop"):
        return _sent_once(spark, load_dataset(directory, mapping=mapping))
    renames = load_column_mapping(mapping)
    tables, rows, sources, problems, notes = {}, {}, {}, [], []
    for table, path in paths.items():
        if path is None:
            tables[table], rows[table] = _sent_once_table(spark, None, table)
            continue
        sources[table] = path
        raw = _renamed(_with_file_blocks(spark.read.parquet(str(path))), table, renames)
        read = [c for c in raw.columns if c not in (_FILE, _BLOCK)]
        missing = [c for c in TABLES[table].required if c not in read]
        if missing:
            present = ", ".join(read) or "none"
            problems += [ValidationProblem(table, c, "all rows", f"required column is missing (columns present: "
                                           f"{present})") for c in missing]
            continue
        sdf, n = _numbered_by_file(_canonical_columns(raw, table))
        found, lossy = _checked(sdf, table)
        problems += found
        notes += lossy
        tables[table], rows[table] = sdf, n
    if problems:
        raise TableValidationError(problems)
    for note in notes:
        warnings.warn(note, stacklevel=2)
    return SparkDataset(**tables, rows=rows, sources=sources, warnings=notes)


_FILE, _BLOCK = "_file", "_block"


def _with_file_blocks(sdf):
    """A table read from files, with the file and the byte offset of the block each row was read from."""
    from pyspark.sql import functions as F

    return sdf.select("*", F.col("_metadata.file_path").alias(_FILE), F.col("_metadata.file_block_start").alias(_BLOCK))


def _numbered_by_file(sdf):
    """``(sdf with ROW, rows)``: each row's position in the files in name order, stored on disk.

    Spark packs a folder's files into partitions by size, not by name; pandas reads them
    by name. Each block (a file's byte range read by one task) is read in order: one small
    job counts the rows of each, and a row's position is its block's offset plus its rank
    in the block. A single file read in several blocks gets its own order too.
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    mid = sdf.withColumn("_mid", F.monotonically_increasing_id()).persist(StorageLevel.DISK_ONLY)
    blocks = sorted((r[_FILE], int(r[_BLOCK]), int(r["_first"]), int(r["_n"])) for r in
                    mid.groupBy(_FILE, _BLOCK).agg(F.min("_mid").alias("_first"), F.count(F.lit(1)).alias("_n"))
                    .collect())
    offsets, start = [], 0
    for file, block, first, n in blocks:
        offsets.append((file, block, start - first))
        start += n
    spark = sdf.sparkSession
    shift = spark.createDataFrame(offsets or [("", 0, 0)], schema=f"{_FILE} string, {_BLOCK} long, _shift long")
    out = (mid.join(F.broadcast(shift), on=[_FILE, _BLOCK])
           .withColumn(ROW, (F.col("_mid") + F.col("_shift")).cast("long"))
           .drop("_mid", "_shift", _FILE, _BLOCK).persist(StorageLevel.DISK_ONLY))
    out.count()
    mid.unpersist()
    return out, start


def _renamed(sdf, table: str, renames: dict[str, dict[str, str]]):
    """:func:`radlink.dataset.rename_columns` on a Spark table's names."""
    for old, new in renames.get(table, {}).items():
        if old in sdf.columns and new not in sdf.columns:
            sdf = sdf.withColumnRenamed(old, new)
    return sdf


def _canonical_columns(sdf, table: str):
    """The canonical columns present (extra ones dropped: no later step reads them)."""
    return sdf.select(*(c for c in TABLES[table].columns if c in sdf.columns), _FILE, _BLOCK)


def _checked(sdf, table: str) -> tuple[list[ValidationProblem], list[DataWarning]]:
    """Every partition through :func:`~radlink.tables.validate_table`, plus ids repeated across partitions."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    columns = [c for c in sdf.columns if c != ROW]

    def named(name: str, positions: np.ndarray) -> tuple[str, int]:
        """A batch's ``row N`` as the whole table's position (the pandas engine's name)."""
        found = _ROW_NAME.match(name)
        if found is None:
            return name, -1
        at = int(positions[int(found.group(1))])
        return f"row {at}", at

    def check(batches):
        for batch in batches:
            positions = batch[ROW].to_numpy(dtype=np.int64)
            out = []
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", DataWarning)
                try:
                    validated(batch[columns].reset_index(drop=True), table)
                except TableValidationError as exc:
                    for p in exc.problems:
                        name, at = named(p.row_id, positions)
                        out.append(("problem", None, p.column, name, p.problem,
                                    at if at >= 0 else _position_of(p.row_id, batch, table, positions)))
            for w in caught:
                if isinstance(w.message, DataWarning):
                    for row_id in w.message.row_ids:
                        name, at = named(row_id, positions)
                        out.append(("warning", type(w.message).__name__, w.message.column, name, None,
                                    at if at >= 0 else _position_of(row_id, batch, table, positions)))
            if out:
                yield pd.DataFrame(out, columns=["kind", "warning", "column", "row_id", "problem", "position"])

    found = sdf.mapInPandas(check, _PROBLEM_SCHEMA).orderBy("position").collect()
    key = TABLES[table].key
    # the same id in two partitions: each partition saw one; rows after the first are named as
    # validate_table names a duplicate (by id, or position when the id identifies)
    first = Window.partitionBy(F.col(key).cast("string")).orderBy(ROW)
    repeated = (sdf.where(F.col(key).isNotNull()).select(ROW, F.col(key).cast("string").alias("_key"),
                                                         F.row_number().over(first).alias("_nth"))
                .where(F.col("_nth") > 1).orderBy(ROW).collect())
    problems = [ValidationProblem(table, r["column"], r["row_id"], r["problem"]) for r in found
                if r["kind"] == "problem"]
    seen = {(p.column, p.row_id) for p in problems}
    identifying = key in TABLES[table].identifying
    for r in repeated:
        name = f"row {r[ROW]}" if identifying else f"{key}={r['_key']!r}"
        if (key, name) not in seen:
            problems.append(ValidationProblem(table, key, name, "duplicated id"))
    lossy: dict[tuple[str, str], list[str]] = {}
    for r in found:
        if r["kind"] == "warning":
            lossy.setdefault((r["warning"], r["column"]), []).append(r["row_id"])
    return problems, [_warning_class(kind)(table, column, ids) for (kind, column), ids in lossy.items()]


def _position_of(row_id: str, batch: pd.DataFrame, table: str, positions: np.ndarray) -> int:
    """The position of a row named by its id (``exam_id='E1'``), to keep the pandas engine's order."""
    key = TABLES[table].key
    prefix = f"{key}="
    if not row_id.startswith(prefix):
        return -1
    values = batch[key].astype(str).to_numpy(dtype=object)
    hits = np.flatnonzero(values == row_id[len(prefix):].strip("'\""))
    return int(positions[hits[0]]) if len(hits) else -1


def _warning_class(name: str) -> type[DataWarning]:
    import radlink.errors as errors

    found = getattr(errors, name, None)
    return found if isinstance(found, type) and issubclass(found, DataWarning) else DataWarning


def _sent_once_table(spark, df: pd.DataFrame | None, table: str):
    from radlink.tables import empty_table

    return positioned(to_spark(spark, empty_table(table) if df is None else df, table))


def _sent_once(spark, ds) -> SparkDataset:
    """A dataset read by the pandas engine, each table sent to Spark once and stored."""
    tables, rows = {}, {}
    for table in TABLES:
        tables[table], rows[table] = _sent_once_table(spark, getattr(ds, table), table)
    return SparkDataset(**tables, rows=rows, sources=dict(ds.sources), warnings=list(ds.warnings))
