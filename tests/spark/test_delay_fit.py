"""The delay model's fit on Spark: each report's facts are read on the executors."""

from __future__ import annotations

import pandas as pd

from radlink.linkage.report_exam import report_facts


def test_the_facts_read_on_the_executors_are_the_pandas_engines(spark, synth500):
    """report_facts per partition, sent back through Spark, then as the pandas engine holds them."""
    from pyspark.sql import functions as F

    from radlink.spark import to_spark
    from radlink.spark.frames import ROW, positioned
    from radlink.spark.linkage import _PREFIX, _facts_of, _fit_reports

    reports = synth500.reports
    sdf, _ = positioned(to_spark(spark, reports, "reports").repartition(3))
    prefixed = sdf.select(*(F.col(c).alias(_PREFIX["reports"] + c) for c in sdf.columns if c != ROW), ROW)
    rows = _fit_reports(prefixed).toPandas()
    by_id = rows.set_index(_PREFIX["reports"] + "report_id")
    got = _facts_of(by_id.loc[reports["report_id"]].reset_index(drop=True))
    expected = report_facts(reports)
    assert list(got.columns) == list(expected.columns)
    assert (got.dtypes == expected.dtypes).all()
    pd.testing.assert_frame_equal(got, expected)
