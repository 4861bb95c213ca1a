"""Pathological report texts: every pattern must stay linear-time.

For each shape (a long run of digits, spaces, list dashes, "SUVmax 1 " repeated...), the
extraction, the linkage's text parsing and the de-identifier run on 25,000 and on
100,000 characters; the script prints both times and their ratio. Linear time gives a
ratio near 4; a pattern that restarts inside a long run gives 16 or more.

Usage::

    python benchmarks/bench_pathological.py
"""

from __future__ import annotations

import time

import pandas as pd

from radlink.nlp import ReportExtractor
from radlink.privacy import deidentify

UNITS = {
    "digits": "1", "digits and dots": "1.", "digits and commas": "1,", "digits and spaces": "1 ",
    "letters": "a", "words": "a ", "capitals": "A ", "spaces": " ", "newlines": "\n", "dashes": "-",
    "1x": "1x", "accents": "é", "SUVmax": "SUVmax 1 ", "organ headings": "Foie : ",
    "node words": "ganglion ", "list items": "- ", "sizes": "1 mm ", "negations": "pas de ",
    "étages": "ETAGE ", "pipes": "| ", "sides": "droit ", "dimensions": "12 x ", "HTML": "<br>",
    "entities": "&eacute;", "dates": "03/03/", "months": "3 mars ",
}


def _seconds(run, text: str) -> float:
    start = time.perf_counter()
    run(text)
    return time.perf_counter() - start


def main() -> None:
    extractor = ReportExtractor()

    def extract(text: str) -> None:
        extractor.extract(pd.DataFrame({"report_id": ["1"], "text": ["Résultats :\n" + text]}))

    steps = {"extract": extract, "deidentify": lambda text: deidentify(text, shift_days=7)}
    print(f"{'shape':<18} {'step':<11} {'25k s':>7} {'100k s':>7} {'ratio':>6}")
    worst = 0.0
    for name, unit in UNITS.items():
        small, large = ((unit * (n // len(unit) + 1))[:n] for n in (25_000, 100_000))
        for step, run in steps.items():
            a, b = _seconds(run, small), _seconds(run, large)
            ratio = b / max(a, 1e-3)
            worst = max(worst, b)
            print(f"{name:<18} {step:<11} {a:>7.3f} {b:>7.3f} {ratio:>6.1f}")
    print(f"slowest 100,000-character text: {worst:.2f} s")


if __name__ == "__main__":
    main()
