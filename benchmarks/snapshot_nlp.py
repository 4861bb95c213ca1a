"""Byte-identical check for NLP refactors: the extraction tables of every open gold set.

Runs ``ReportExtractor`` with both engines (``text`` and ``spacy``) on each development
gold set under ``data_samples/nlp_gold*`` (sets being written blind are skipped), on
``data_samples/reports.parquet`` and on ``bench_nlp.py``'s synthetic reports, writes each
table to parquet in OUT and the md5 of every file to ``OUT/hashes.txt``. Run it on the tree
before and after a change, from the repository root, then compare::

    PYTHONPATH=. python benchmarks/snapshot_nlp.py /tmp/before
    PYTHONPATH=. python benchmarks/snapshot_nlp.py /tmp/after
    diff /tmp/before/hashes.txt /tmp/after/hashes.txt && echo identical

``--verify-lesions`` runs both engines with the lesion verifier
(``ReportExtractor(verify_lesions=True)``): check a change with and without it.

``benchmarks/snapshot_outputs.sh`` covers the CLI commands (``radlink extract`` among them).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pandas as pd

BLIND = ("nlp_gold_blind_n", "nlp_gold_blind_o")  # validation and blind: never read


def main(out: str, bench_docs: int = 600, verify_lesions: bool = False) -> None:
    import logging

    logging.disable(logging.WARNING)
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_nlp import make_reports

    from radlink.nlp import ReportExtractor
    from radlink.nlp.evaluation import load_gold

    root = Path(__file__).resolve().parents[1] / "data_samples"
    sets = {p.name: load_gold(p).reports for p in sorted(root.glob("nlp_gold*"))
            if p.is_dir() and p.name not in BLIND}
    sets["reports_parquet"] = pd.read_parquet(root / "reports.parquet")
    sets["bench"] = make_reports(bench_docs)
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    lines = []
    for engine in ("text", "spacy"):
        extractor = ReportExtractor(engine=engine, verify_lesions=verify_lesions)
        for name, reports in sets.items():
            result = extractor.extract(reports)
            for table in ("facts", "findings", "skipped"):
                frame = getattr(result, table)
                path = target / f"{name}.{engine}.{table}.parquet"
                frame.to_parquet(path)
                text = frame.to_csv(index=False) + repr(frame.dtypes.to_dict())
                lines.append(f"{hashlib.md5(path.read_bytes()).hexdigest()} "
                             f"{hashlib.md5(text.encode()).hexdigest()} {path.name} {len(frame)}")
    (target / "hashes.txt").write_text("\n".join(lines) + "\n")
    print(f"{len(lines)} tables hashed in {target / 'hashes.txt'}")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="folder for the tables and hashes.txt")
    parser.add_argument("--verify-lesions", action="store_true", help="with the lesion verifier")
    args = parser.parse_args()
    main(args.out, verify_lesions=args.verify_lesions)
