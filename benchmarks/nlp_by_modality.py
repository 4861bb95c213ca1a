"""NLP quality per modality: the issue's bars, one row per gold modality and one overall.

    python benchmarks/nlp_by_modality.py data_samples/nlp_gold_blind_c [more gold dirs]

Runs the extractor once per gold set and scores each modality's reports apart with
``radlink.nlp.evaluation.evaluate_extraction`` (the rules of ``radlink evaluate-nlp``).
"""

from __future__ import annotations

import argparse

import pandas as pd

from radlink.nlp.evaluation import evaluate_extraction, load_gold
from radlink.nlp.evaluation_cli import run_extractor

# column -> (field of evaluate_extraction, measure)
BARS = {
    "suvmax_f1": ("suvmax", "f1"),
    "lesion_p": ("lesion_findings", "precision"),
    "lesion_r": ("lesion_findings", "recall"),
    "negated_r": ("negated_findings", "recall"),
    "site_f1": ("site_attachment", "f1"),
    "laterality_f1": ("lesion_laterality", "f1"),
    "size_f1": ("lesion_size", "f1"),
    "indication_f1": ("indication_category", "f1"),
    "n_lesions_f1": ("n_lesions", "f1"),
}


def per_modality(gold_dir: str, jobs: int = 1) -> pd.DataFrame:
    """One row per modality of the gold facts (and ``all``): the bars' figures and counts."""
    gold = load_gold(gold_dir)
    facts, findings = run_extractor(gold.reports, jobs=jobs)
    modality = gold.facts.set_index("report_id")["modality"].fillna("?")
    rows = []
    for mod in [*sorted(modality.unique()), "all"]:
        ids = set(modality.index if mod == "all" else modality.index[modality == mod])
        scores = evaluate_extraction(
            facts[facts.report_id.isin(ids)], findings[findings.report_id.isin(ids)],
            gold.facts[gold.facts.report_id.isin(ids)], gold.findings[gold.findings.report_id.isin(ids)],
        ).set_index("field")
        row = {"set": gold.name, "modality": mod, "reports": len(ids),
               "gold_lesions": int(scores.loc["lesion_findings", ["tp", "fn"]].sum())}
        for col, (field, measure) in BARS.items():
            n = scores.loc[field, ["tp", "fp", "fn"]].sum()
            row[col] = round(float(scores.loc[field, measure]), 3) if n else None
        rows.append(row)
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold_dirs", nargs="+")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    table = pd.concat([per_modality(d, args.jobs) for d in args.gold_dirs], ignore_index=True)
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print(table.to_string(index=False))


if __name__ == "__main__":
    main()
