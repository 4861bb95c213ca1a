"""Write the lesion verifier's history candidates: what earlier rules proposed on the dev sets.

The rules of today were tuned on the development gold sets, so on them they over-extract
little, and the verifier would see few wrong candidates of the kinds a new set brings.
The rules of earlier rounds, run on the same sets, over-extract the kinds the later
hand rules were written for (organ measurements, benign statements, restatements...).
This script runs the extractor of each commit of :data:`COMMITS` (``git archive`` of
``radlink/`` into a temporary folder, run in a subprocess with that folder first on
``sys.path``) on every development set, labels each non-negated lesion candidate by the
evaluation's own matching against today's gold (:func:`radlink.nlp.evaluation.matched_findings`),
and writes them (one row per commit, set and candidate) to ``data_samples/nlp_verifier_history/candidates.csv``,
which ``radlink train-lesion-verifier`` reads beside the current rules' candidates. Run
from the repository root of a git checkout::

    python benchmarks/verifier_history.py            # rewrite the history file
    python benchmarks/verifier_history.py --score    # and the blind-time estimate below

``--score`` estimates the verifier as it would meet a set written blind: for each set, the
candidates of the last commit whose rules were blind to it (:data:`BLIND_AT`), before and
after a verifier trained on the other sets only (their current and history candidates),
at the shipped threshold.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

from radlink.nlp.evaluation import load_gold, matched_findings
from radlink.nlp.verifier_training import DEVELOPMENT_SETS, HISTORY_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data_samples" / "nlp_verifier_history" / "candidates.csv"
COMMITS = ("d5c7d35", "c478e55", "f21cdee", "4c12655")
"""Rules of issue 12's first round (before set A was opened), third (set C written),
fourth (set E written) and fifth (set F written): each blind to some of the sets it is run on."""

BLIND_AT = {"nlp_gold_blind_a": "d5c7d35", "nlp_gold_blind_b": "d5c7d35", "nlp_gold_blind_c": "c478e55",
            "nlp_gold_blind_d": "c478e55", "nlp_gold_blind_e": "f21cdee",
            "nlp_gold_blind_f": "4c12655"}
"""The last commit of :data:`COMMITS` whose rules had not been tuned on each set."""

_RUN = """
import sys, pathlib
sys.path.insert(0, sys.argv[1])
import radlink
assert radlink.__file__.startswith(sys.argv[1])
from radlink.nlp import ReportExtractor
from radlink.nlp.evaluation import load_gold
out = pathlib.Path(sys.argv[2])
for name in sys.argv[4:]:
    gold = load_gold(pathlib.Path(sys.argv[3]) / name)
    x = ReportExtractor().extract(gold.reports)
    x.findings.to_parquet(out / f"{name}.parquet")
    x.facts.to_parquet(out / f"{name}_facts.parquet")
"""


def history(commit: str, work: Path) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Facts and findings of every development set by the rules of ``commit``."""
    code = work / commit
    code.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "radlink"], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
    subprocess.run([sys.executable, "-c", _RUN, str(code), str(code), str(ROOT / "data_samples"),
                    *DEVELOPMENT_SETS], check=True, cwd=work)
    return {n: (pd.read_parquet(code / f"{n}_facts.parquet"), pd.read_parquet(code / f"{n}.parquet"))
            for n in DEVELOPMENT_SETS}


def _tuples(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in frame.astype(object).where(frame.notna(), None).itertuples(index=False)]


def score(outputs: dict[str, dict[str, tuple[pd.DataFrame, pd.DataFrame]]]) -> None:
    """Print the blind-time estimate (see the module docstring)."""
    from radlink.models import load_lesion_verifier
    from radlink.nlp.verifier import verify_rows
    from radlink.nlp.verifier_training import (
        HISTORY,
        _lesion_scores,
        fit_verifier,
        read_candidates,
        read_history,
    )
    from radlink.tables import FINDINGS_COLUMNS, REPORT_FACTS_COLUMNS

    sets = {n: read_candidates(ROOT / "data_samples" / n) for n in DEVELOPMENT_SETS}
    hist = read_history(ROOT / "data_samples" / HISTORY, sets)
    threshold = load_lesion_verifier().threshold
    print(f"blind-time estimate at threshold {threshold}: lesion precision/recall, rules -> rules + verifier")
    for name, commit in BLIND_AT.items():
        model = fit_verifier([s for k, s in sets.items() if k != name], threshold=threshold,
                             extra=[v for k, v in hist.items() if k != name])
        facts, findings = outputs[commit][name]
        facts = _tuples(facts.reindex(columns=list(REPORT_FACTS_COLUMNS)))
        findings = _tuples(findings.reindex(columns=list(FINDINGS_COLUMNS)))
        before = _lesion_scores(sets[name], facts, findings)
        after = _lesion_scores(sets[name], *verify_rows(facts, findings, sets[name].texts, model=model))
        print(f"{name} (rules of {commit}): {before['precision']:.3f}/{before['recall']:.3f} -> "
              f"{after['precision']:.3f}/{after['recall']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--score", action="store_true", help="also print the blind-time estimate")
    args = parser.parse_args()
    parts = []
    outputs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for commit in COMMITS:
            outputs[commit] = history(commit, Path(tmp))
            for name, (facts, findings) in outputs[commit].items():
                gold = load_gold(ROOT / "data_samples" / name)
                label = matched_findings(findings, gold.facts, gold.findings)
                rows = findings.assign(label=label, set=name, version=commit,
                                       modality=findings["report_id"].map(dict(zip(facts["report_id"],
                                                                                   facts["modality"],
                                                                                   strict=True))))
                rows = rows[rows["label"].notna() & (rows["kind"] == "lesion") & ~rows["negated"].astype(bool)]
                parts.append(rows.reindex(columns=list(HISTORY_COLUMNS)).assign(label=rows["label"].astype(int)))
    table = pd.concat(parts, ignore_index=True).drop_duplicates(ignore_index=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(OUT, index=False, lineterminator="\n")
    print(f"{len(table)} candidates ({int((table['label'] == 0).sum())} wrong) -> {OUT}")
    if args.score:
        score(outputs)


if __name__ == "__main__":
    main()
