"""Engines: pandas by default, Spark only when asked for (and then a clear error without pyspark)."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from radlink.engines import ENGINES, check_engine, is_spark_frame, object_strings, spark_session
from radlink.errors import MissingDependencyError


def test_pandas_is_the_default_engine():
    assert ENGINES[0] == "pandas" and "spark" in ENGINES
    with pytest.raises(ValueError, match="pandas, spark"):
        check_engine("dask")


def test_a_pandas_frame_is_not_a_spark_frame():
    assert not is_spark_frame(pd.DataFrame({"a": [1]}))
    assert not is_spark_frame(None)


def test_strings_go_to_spark_as_objects_with_none():
    df = pd.DataFrame({"a": pd.Series(["x", None], dtype="string"), "b": [1.0, None]})
    out = object_strings(df)
    assert out["a"].dtype == object and out["a"].tolist() == ["x", None]
    assert out["b"].dtype == "float64"


def test_without_pyspark_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(MissingDependencyError, match=r"radlink\[spark\]"):
        spark_session()
    from radlink.spark import link_spark

    with pytest.raises(MissingDependencyError, match="pyspark"):
        link_spark(pd.DataFrame(), pd.DataFrame())


def test_import_radlink_and_the_spark_room_never_load_pyspark():
    code = ("import sys, radlink, radlink.spark, radlink.nlp.spark\n"
            "from radlink.cli import main\n"
            "try:\n    main(['timeline', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('pyspark')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "--engine" in out
    assert out.strip().splitlines()[-1] == "[]"
