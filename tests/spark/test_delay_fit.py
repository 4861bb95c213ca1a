"""The delay model's fit on Spark: only what the fit reads of each report reaches the driver."""

from __future__ import annotations

import numpy as np
import pandas as pd

from radlink.linkage.report_exam import LABEL_HEAD_CHARS, report_facts, tracer_of_text


def texts() -> np.ndarray:
    filler = "Examen réalisé sans particularité. " * 30  # about 1,000 characters
    return np.array([
        "TEP-TDM au 18F-FDG. " + filler,                   # the tracer in the head
        filler + "Injection de 3 MBq/kg de 18F-fluorocholine.",  # the tracer past the head only
        filler + filler + filler + "18F-PSMA",              # past what tracer_of_text reads: none
        "IRM cérébrale normale.",                           # short, no tracer
        None,
    ], dtype=object)


def test_a_cut_text_names_the_same_tracer_and_starts_with_the_same_head():
    from radlink.spark.linkage import _TRACER_CHARS, _fit_text

    whole = texts()
    cut = _fit_text(whole)
    assert tracer_of_text(pd.Series(cut, dtype=object)).tolist() == tracer_of_text(
        pd.Series(whole, dtype=object)).tolist() == ["FDG", "CHOLINE", None, None, None]
    for a, b in zip(whole, cut, strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            assert b[:LABEL_HEAD_CHARS] == a[:LABEL_HEAD_CHARS] and len(b) <= _TRACER_CHARS
    # only the report whose tracer is past its head keeps more than its head
    assert [len(t) if t else 0 for t in cut] == [LABEL_HEAD_CHARS, len(whole[1][:_TRACER_CHARS]),
                                                 LABEL_HEAD_CHARS, len(whole[3]), 0]


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
    assert rows[_PREFIX["reports"] + "text"].str.len().max() <= 3000
    by_id = rows.set_index(_PREFIX["reports"] + "report_id")
    got = _facts_of(by_id.loc[reports["report_id"]].reset_index(drop=True))
    expected = report_facts(reports)
    assert list(got.columns) == list(expected.columns)
    assert (got.dtypes == expected.dtypes).all()
    pd.testing.assert_frame_equal(got, expected)
