"""The Spark tests: one local session (``local[2]``, loopback only) for the whole run.

Every test here is marked ``spark`` and skipped, with the reason, when pyspark or a
Java runtime is missing; ``.ci/run`` installs both and runs them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def why_no_spark() -> str | None:
    """Why Spark cannot start here, or None."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install '.[spark]')"
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (java_home and (Path(java_home) / "bin" / "java").exists()):
        return "no Java runtime (apt-get install openjdk-17-jre-headless)"
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.spark)


@pytest.fixture(scope="session")
def spark():
    reason = why_no_spark()
    if reason:
        pytest.skip(reason)
    from radlink.engines import spark_session

    session = spark_session("local[2]", conf={"spark.sql.shuffle.partitions": "4"})
    yield session
    session.stop()


@pytest.fixture(scope="session")
def synth500(tmp_path_factory):
    """A 500-patient warehouse written and read back as ``radlink synth`` + ``load_dataset`` do."""
    from radlink.dataset import load_dataset
    from radlink.synth import generate, write_dataset

    folder = tmp_path_factory.mktemp("synth500")
    write_dataset(generate(500, seed=1414), folder)
    return load_dataset(folder)
