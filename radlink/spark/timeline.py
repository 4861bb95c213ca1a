"""The timeline job's NLP and linkage on Spark, as the ``extractor`` and ``linker`` it accepts.

:func:`radlink.timeline.build_timeline` takes an ``extractor`` and a ``linker``;
:func:`spark_engine` gives both, running on Spark and handing back pandas tables equal
to the pandas engine's, so that the timeline is assembled, filtered, pseudonymised and
written exactly as with the default engine.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from radlink.engines import spark_session
from radlink.linkage import LinkageSettings
from radlink.spark.frames import to_spark
from radlink.spark.linkage import link_spark
from radlink.tables import none_for_missing

__all__ = ["spark_engine"]


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
