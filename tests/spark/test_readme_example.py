"""The README's Spark example runs as written (on the sample) and gives the pandas engine's links."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

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
    assert len(written) == len(local)
    key = ["source_type", "target_type", "source_id"]
    a = local.sort_values(key).reset_index(drop=True)
    b = written.sort_values(key).reset_index(drop=True)[list(local.columns)]
    assert (a["target_id"].fillna("-") == b["target_id"].fillna("-")).all()
    assert (a["evidence"] == b["evidence"]).all()
    assert namespace["nlp"].facts.count() == len(ds.reports)
