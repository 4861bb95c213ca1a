"""Report extraction on Apache Spark: the same functions, run per partition.

:meth:`ReportExtractor.extract` hands a pyspark ``DataFrame`` to :func:`extract_spark`,
which runs the extractor's own per-report code inside ``mapInPandas`` (each Python
worker builds the pipeline once) and returns Spark DataFrames with exactly the
columns and types of the pandas engine (:data:`~radlink.nlp.FACTS_SCHEMA`,
:data:`~radlink.nlp.FINDINGS_SCHEMA`). edsnlp's own Spark backend is not used: it
runs spaCy Docs, and radlink's default engine does not build Docs.

pyspark is imported here only, when a Spark frame is given (``radlink[spark]``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from radlink.engines import object_strings

__all__ = ["extract_spark", "spark_schema"]

_FINDING = "finding__"  # prefix of the findings columns in the combined per-partition frame
_WORKER_EXTRACTORS: dict = {}


def spark_schema(schema):
    """The Spark ``StructType`` of a pyarrow schema of strings, doubles, longs and booleans.

    Examples
    --------
    >>> from radlink.nlp import FACTS_SCHEMA
    >>> spark_schema(FACTS_SCHEMA)["n_lesions"].dataType.simpleString()  # doctest: +SKIP
    'bigint'
    """
    import pyarrow as pa
    from pyspark.sql import types as T

    def kind(t):
        if pa.types.is_floating(t):
            return T.DoubleType()
        if pa.types.is_integer(t):
            return T.LongType()
        if pa.types.is_boolean(t):
            return T.BooleanType()
        if pa.types.is_timestamp(t):
            return T.TimestampType()
        return T.StringType()

    return T.StructType([T.StructField(f.name, kind(f.type), True) for f in schema])


def _combined_schema(facts_schema, findings_schema):
    from pyspark.sql import types as T

    facts, findings = spark_schema(facts_schema), spark_schema(findings_schema)
    return T.StructType([T.StructField("_table", T.StringType(), False), *facts.fields,
                         *(T.StructField(_FINDING + f.name, f.dataType, True) for f in findings.fields)])


def _extractor(cls, pipes, engine, verify_lesions=False):
    """One extractor per Python worker and configuration (its pipeline built once)."""
    key = (cls, pipes, engine, verify_lesions)
    if key not in _WORKER_EXTRACTORS:
        _WORKER_EXTRACTORS[key] = cls(pipes if engine == "spacy" else None, engine=engine,
                                      verify_lesions=verify_lesions)
    return _WORKER_EXTRACTORS[key]


def _combined(out, facts_columns: list[str], findings_columns: list[str]) -> pd.DataFrame:
    """Facts then findings rows of one partition in one frame (``_table`` tells them apart)."""
    facts = out.facts.assign(_table="facts")
    findings = out.findings.rename(columns={c: _FINDING + c for c in findings_columns}).assign(_table="findings")
    combined = pd.concat([facts, findings], ignore_index=True)
    columns = ["_table", *facts_columns, *(_FINDING + c for c in findings_columns)]
    return object_strings(combined.reindex(columns=columns))


def extract_spark(extractor, reports, *, facts_schema, findings_schema, result):
    """Facts and findings of a Spark reports table, as two Spark DataFrames.

    :meth:`ReportExtractor.extract` calls it with its own table contract (this module
    imports nothing from the extractor, so that each may call the other).

    Parameters
    ----------
    extractor : ReportExtractor
        Its class, pipes and engine are rebuilt in each Python worker.
    reports : pyspark.sql.DataFrame
        Columns ``report_id`` and ``text`` (``title`` when present), as for pandas.
        Each partition is validated as the pandas engine validates a table (a report
        id duplicated across two partitions is not detected).
    facts_schema, findings_schema : pyarrow.Schema
        The two tables' columns and types.
    result : type
        ``Extraction``, built from the two Spark DataFrames.

    Returns
    -------
    Extraction
        ``.facts`` and ``.findings`` are Spark DataFrames (lazy, over one cached
        extraction pass), rows in the input's partition order; ``toPandas()`` of each
        equals the pandas engine's table.
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    cls, pipes, engine = type(extractor), extractor.pipes, extractor.engine
    verify = getattr(extractor, "verify_lesions", False)
    cols = [c for c in ("report_id", "text", "title") if c in reports.columns]
    facts_columns, findings_columns = facts_schema.names, findings_schema.names

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        ex = _extractor(cls, pipes, engine, verify)
        for batch in batches:
            yield _combined(ex.extract(batch), facts_columns, findings_columns)

    combined = reports.select(*cols).mapInPandas(run, _combined_schema(facts_schema, findings_schema))
    combined = combined.persist(StorageLevel.MEMORY_AND_DISK)
    facts = combined.where(F.col("_table") == "facts").select(*facts_columns)
    findings = combined.where(F.col("_table") == "findings").select(
        *(F.col(_FINDING + c).alias(c) for c in findings_columns))
    return result(facts=facts, findings=findings)
