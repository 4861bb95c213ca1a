"""The README's Spark example runs as written (on the sample) and gives the pandas engine's links."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from tests.spark.test_parity import assert_same_cells

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_spark_example_runs(spark, tmp_path):
    from radlink.dataset import load_dataset
    from radlink.linkage import link

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", readme, flags=re.S) if "radlink.spark" in b]
    assert len(blocks) == 1
    # Spark resolves relative paths against the JVM's folder, not Python's: made absolute here
    code = blocks[0].replace('"data_samples/', f'"{ROOT}/data_samples/').replace('f"data_samples/',
                                                                               f'f"{ROOT}/data_samples/')
    code = code.replace('"out/', f'"{tmp_path}/out/')
    assert code.count(str(ROOT)) == 2 and code.count(str(tmp_path)) == 1
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - the README's own code
    written = pd.read_parquet(tmp_path / "out" / "links_spark.parquet")
    ds = load_dataset(ROOT / "data_samples")
    local = link(ds.patients, ds.exams, ds.stays, ds.reports)
    # Spark tables read from parquet link like the pandas engine: every cell (the parity check of this call)
    assert_same_cells(local, written, ["source_type", "target_type", "source_id"])
    assert namespace["nlp"].facts.count() == len(ds.reports)
