"""Which engine runs a batch step: pandas on this machine (the default) or Apache Spark.

``pandas`` is first-class and needs nothing more; ``spark`` needs the optional extra
(``pip install 'radlink[spark]'``, pyspark 3.5) and a Java runtime, and is imported
only when asked for, so ``import radlink`` and ``radlink --help`` never load pyspark.

A Spark engine reuses the session the caller already has (a notebook on a cluster,
``spark-submit``), else starts a local one (:func:`spark_session`) that needs no
network beyond loopback.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from radlink.errors import MissingDependencyError

__all__ = ["ENGINES", "check_engine", "is_spark_frame", "object_strings", "require_pyspark", "spark_session"]

ENGINES: tuple[str, ...] = ("pandas", "spark")
"""Engine names, the default first."""

LOCAL_CONF: dict[str, str] = {
    "spark.driver.host": "127.0.0.1",  # loopback only: no network needed
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",  # naive pandas datetimes round-trip unchanged
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.execution.arrow.pyspark.fallback.enabled": "false",
    # One JVM is driver and executor in local mode: its heap holds shuffle and sort
    # buffers (spilled to disk beyond), never a whole table (report texts are persisted
    # on disk, results written or collected by the caller). The work itself runs in the
    # Python workers, outside this heap. 4 GB ran 10^6 exams and reports.
    "spark.driver.memory": "4g",
    "spark.driver.maxResultSize": "2g",
    # Adaptive execution merges small shuffle partitions; 16 keep both cores busy up to 10^6 rows.
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.shuffle.partitions": "16",
    # Rows per Arrow batch to and from the Python workers: 5,000 reports of a few kB each
    # (tens of MB a batch), and a pandas table sent to Spark is split into partitions of
    # that many rows rather than held as two.
    "spark.sql.execution.arrow.maxRecordsPerBatch": "5000",
    # Python workers forked from a daemon that imported the linkage once (radlink.spark.daemon):
    # each worker saves that import (a cold 10^3-patient linkage: 72 s instead of 83-87 s).
    "spark.python.daemon.module": "radlink.spark.daemon",
}
"""Settings of a local session (:func:`spark_session`)."""


def check_engine(engine: str) -> str:
    """``engine`` if it is one of :data:`ENGINES`, else a ``ValueError`` naming them.

    Examples
    --------
    >>> check_engine("pandas")
    'pandas'
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    return engine


def is_spark_frame(value: Any) -> bool:
    """True for a pyspark ``DataFrame`` (told by its type's module, without importing pyspark).

    Examples
    --------
    >>> import pandas as pd
    >>> is_spark_frame(pd.DataFrame())
    False
    """
    return type(value).__module__.startswith("pyspark.sql") and hasattr(value, "mapInPandas")


def object_strings(df):
    """``df`` with its pandas ``str`` columns as ``object`` (``None`` for missing), for Spark.

    pyspark 3.5 cannot send pandas 3's Arrow-backed strings back to the JVM; ``object``
    columns are what radlink's own tables hold anyway.

    Examples
    --------
    >>> import pandas as pd
    >>> object_strings(pd.DataFrame({"a": pd.Series(["x", None], dtype="string")}))["a"].tolist()
    ['x', None]
    """
    import pandas as pd

    out = df.copy(deep=False)
    for col in out.columns:
        if isinstance(out[col].dtype, pd.StringDtype):
            values = out[col].astype(object)
            out[col] = values.where(values.notna(), None)
    return out


def require_pyspark(feature: str = "The Spark engine"):
    """``(pyspark, SparkSession)``, or a :class:`MissingDependencyError` saying what to install.

    Examples
    --------
    >>> pyspark, SparkSession = require_pyspark()  # doctest: +SKIP
    """
    try:
        import pyspark
        from pyspark.sql import SparkSession
    except ImportError:
        raise MissingDependencyError("pyspark", "spark", feature) from None
    return pyspark, SparkSession


def spark_session(master: str | None = None, *, conf: dict[str, str] | None = None):
    """The active Spark session, else a new local one (``local[2]`` unless ``master`` says).

    Parameters
    ----------
    master : str, optional
        ``local[N]`` or a cluster URL; ignored when a session is already active (a
        notebook on a cluster). Under ``spark-submit`` the submitted master and
        settings are kept.
    conf : dict, optional
        Settings added to :data:`LOCAL_CONF` for a new session.

    Returns
    -------
    pyspark.sql.SparkSession

    Raises
    ------
    MissingDependencyError
        pyspark is not installed (``pip install 'radlink[spark]'``).
    """
    _, SparkSession = require_pyspark()
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if master is None and "PYSPARK_GATEWAY_PORT" in os.environ:
        # started by spark-submit (or a notebook kernel with its own gateway): its master and
        # settings stand, radlink only asks for Arrow and naive-datetime round trips
        builder = SparkSession.builder.appName("radlink")
        for key in ("spark.sql.session.timeZone", "spark.sql.execution.arrow.pyspark.enabled"):
            builder = builder.config(key, LOCAL_CONF[key])
        return builder.getOrCreate()
    # Python workers run the interpreter that runs radlink (with radlink's packages).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.master(master or "local[2]").appName("radlink")
    for key, value in {**LOCAL_CONF, **(conf or {})}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
