"""Pathological report texts: every pattern must stay linear-time.

Two parts:

1. **Steps**: for each shape (a long run of digits, spaces, list dashes, "SUVmax 1 "
   repeated...), the extraction and the de-identifier run on 25,000 and on 100,000
   characters.
2. **Every compiled pattern of radlink**: the patterns are collected from every module
   of the package (module and class attributes, and the dicts, lists and tuples they
   hold: ``re`` and ``regex`` patterns alike), and each one scans (``finditer``) every
   shape at 25,000 and 100,000 characters; a pattern its module only ever calls
   ``.match``/``.fullmatch`` on (at a position and in a window the code chose) is
   tried once, at the start of the shape.

Linear time gives a time ratio near 4 between the two sizes; a pattern that restarts
inside a long run gives 16 or more. A run is cut after ``--cap`` seconds (and marked
``CAP``). A 100,000-character scan under 50 ms counts as linear (the ratio is then timer noise). The script
exits with status 1 when a pattern or step is not linear.

Usage::

    python benchmarks/bench_pathological.py [--patterns-only] [--cap 10]
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import sys
import time

import pandas as pd
import regex

import radlink
from radlink.workers import ItemTimeLimit, TimeLimitExceeded

UNITS = {
    "digits": "1", "digits and dots": "1.", "digits and commas": "1,", "digits and spaces": "1 ",
    "letters": "a", "words": "a ", "capitals": "A ", "spaces": " ", "newlines": "\n", "dashes": "-",
    "1x": "1x", "accents": "é", "SUVmax": "SUVmax 1 ", "organ headings": "Foie : ",
    "node words": "ganglion ", "list items": "- ", "sizes": "1 mm ", "negations": "pas de ",
    "étages": "ETAGE ", "pipes": "| ", "sides": "droit ", "dimensions": "12 x ", "HTML": "<br>",
    "entities": "&eacute;", "dates": "03/03/", "months": "3 mars ",
    # shapes aimed at the de-identifier's and the readers' patterns
    "titles": "Dr A ", "capital words": "Abc ", "upper words": "ABC ", "carets": "A^", "at signs": "a@",
    "dotted words": "a.", "streets": "1 rue ", "postcodes": "75001 ", "ids": "IPP ", "hyphens": "a-",
    "apostrophes": "d'", "colons": "a : ", "slashes": "1/", "plus": "+33 ", "urls": "www.",
    "tabs": "\t", "semicolons": ";", "quotes": '"', "brackets": "[", "x and digits": "x1",
    # each site looks for its side in the words after it: a run of blanks after each
    "sites and blanks": "nodule pulmonaire" + " " * 40,
}  # fmt: skip
SIZES = (25_000, 100_000)
_PATTERN_TYPES = (re.Pattern, type(regex.compile("")))


def _anchored_only(module: object, name: str, attribute: bool = False) -> bool:
    """The module uses ``name`` only with ``.match``/``.fullmatch`` (at a position it chose).

    ``attribute``: ``name`` is a class attribute, used as ``obj.name`` (its definition
    in the class body is not a use).
    """
    import inspect

    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return False
    before = r"(?<=\.)" if attribute else r"(?<![\w.])"
    uses = re.findall(rf"{before}{re.escape(name)}(?![\w])(\.\w+)?", source)
    calls = {u for u in uses if u}
    defined = 0 if attribute else 1
    anchored = sum(1 for u in uses if u in (".match", ".fullmatch"))
    return len(uses) > defined and len(uses) - defined == anchored and calls <= {".match", ".fullmatch"}


def collect_patterns() -> dict[tuple[str, int], str]:
    """Every compiled pattern reachable from radlink's modules: (pattern, flags) -> where.

    ``where`` ends with `` (anchored)`` when the module only calls ``.match`` or
    ``.fullmatch`` on it: such a pattern is tried at positions the code chose (after a
    cue, in a bounded window), so it must be linear per call, not per scan.
    """
    found: dict[tuple[str, int], str] = {}

    def walk(obj: object, where: str, depth: int = 0) -> None:
        if isinstance(obj, _PATTERN_TYPES):
            found.setdefault((obj.pattern, int(obj.flags)), where)
        elif depth < 3 and isinstance(obj, dict):
            for k, v in obj.items():
                walk(v, f"{where}[{k!r}]", depth + 1)
        elif depth < 3 and isinstance(obj, (list, tuple, set, frozenset)):
            for i, v in enumerate(obj):
                walk(v, f"{where}[{i}]", depth + 1)

    for info in pkgutil.walk_packages(radlink.__path__, "radlink."):
        if info.name.startswith("radlink.pipelines"):  # deprecated aliases of other modules
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            anchored = isinstance(value, _PATTERN_TYPES) and _anchored_only(module, name)
            walk(value, f"{info.name}.{name}" + (" (anchored)" if anchored else ""))
            if isinstance(value, type) and value.__module__ == module.__name__:
                for attr, inner in vars(value).items():
                    anchored = isinstance(inner, _PATTERN_TYPES) and _anchored_only(module, attr, attribute=True)
                    walk(inner, f"{info.name}.{name}.{attr}" + (" (anchored)" if anchored else ""))
    return found


def compiled(patterns: dict[tuple[str, int], str]) -> list[tuple[str, object]]:
    out = []
    for (pattern, flags), where in patterns.items():
        engine = regex if "regex" in where or flags & regex.VERSION1 else re
        try:
            out.append((where, re.compile(pattern, flags)))
        except (re.error, ValueError):
            out.append((where, engine.compile(pattern, flags)))
    return out


def _seconds(run, text: str, cap: float) -> float | None:
    start = time.perf_counter()
    with ItemTimeLimit(cap) as limit:
        try:
            with limit.item():
                run(text)
        except TimeLimitExceeded:
            return None
    return time.perf_counter() - start


def _texts(unit: str) -> tuple[str, str]:
    return tuple((unit * (n // len(unit) + 1))[:n] for n in SIZES)


def _linear(a: float | None, b: float | None) -> bool:
    return b is not None and (b < FAST or (a is not None and b / max(a, 1e-3) <= 8))


FAST = 0.05
"""A 100,000-character scan under 50 ms is linear whatever its ratio to the 25,000 one
(timer noise dominates); a pattern that restarts inside a run would need some 10^9 steps."""


def bench_steps(cap: float) -> tuple[float, list[str]]:
    from radlink.nlp import ReportExtractor
    from radlink.privacy import deidentify

    extractor = ReportExtractor(time_limit=None)

    def extract(text: str) -> None:
        extractor.extract(pd.DataFrame({"report_id": ["1"], "text": ["Résultats :\n" + text]}))

    steps = {"extract": extract, "deidentify": lambda text: deidentify(text, shift_days=7)}
    print(f"{'shape':<18} {'step':<11} {'25k s':>7} {'100k s':>7} {'ratio':>6}")
    worst, bad = 0.0, []
    for name, unit in UNITS.items():
        small, large = _texts(unit)
        for step, run in steps.items():
            a, b = _seconds(run, small, cap), _seconds(run, large, cap)
            if not _linear(a, b):  # measure again, best of three: the machine may have been busy
                a = min((x for x in (a, *(_seconds(run, small, cap) for _ in range(2))) if x is not None), default=None)
                b = min((x for x in (b, *(_seconds(run, large, cap) for _ in range(2))) if x is not None), default=None)
            if not _linear(a, b):
                bad.append(f"{step} on {name}")
            worst = max(worst, b if b is not None else cap)
            ratio = f"{b / max(a, 1e-3):6.1f}" if a is not None and b is not None else "   CAP"
            print(f"{name:<18} {step:<11} {a or cap:>7.3f} {b or cap:>7.3f} {ratio}")
    return worst, bad


def bench_patterns(cap: float) -> tuple[int, float, list[str]]:
    patterns = compiled(collect_patterns())
    worst, bad = 0.0, []
    texts = {name: _texts(unit) for name, unit in UNITS.items()}
    for where, pattern in patterns:
        if where.endswith("(anchored)"):
            def run(text: str, pattern=pattern) -> None:
                pattern.match(text)
        else:
            def run(text: str, pattern=pattern) -> None:
                for _ in pattern.finditer(text):
                    pass

        slowest = (0.0, "")
        for name, (small, large) in texts.items():
            b = _seconds(run, large, cap)
            a = None
            if b is None or b >= FAST:  # measure again, best of three: the machine may have been busy
                more = [_seconds(run, large, cap) for _ in range(2)] if b is not None else []
                b = None if b is None or None in more else min(b, *more)
                small_times = [_seconds(run, small, cap) for _ in range(3)]
                a = None if None in small_times else min(small_times)
            if not _linear(a, b):
                bad.append(f"{where} on {name}: {a} s then {b} s")
            if (b if b is not None else cap) > slowest[0]:
                slowest = (b if b is not None else cap, name)
        worst = max(worst, slowest[0])
        if slowest[0] > 0.05:
            print(f"  {where:<70} slowest on {slowest[1]!r}: {slowest[0]:.3f} s")
    return len(patterns), worst, bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patterns-only", action="store_true", help="skip the end-to-end steps")
    parser.add_argument("--cap", type=float, default=10.0, help="seconds before one run is cut")
    args = parser.parse_args()
    bad = []
    if not args.patterns_only:
        worst, bad = bench_steps(args.cap)
        print(f"slowest 100,000-character text through a step: {worst:.2f} s")
    print("\nEvery compiled pattern of radlink: finditer over each shape, or one .match at its start for "
          "anchored patterns (patterns over 50 ms listed):")
    n, worst_pattern, bad_patterns = bench_patterns(args.cap)
    print(f"{n} patterns x {len(UNITS)} shapes: slowest 100,000-character scan {worst_pattern:.3f} s; "
          f"not linear: {len(bad_patterns)}")
    for line in bad + bad_patterns:
        print("  NOT LINEAR:", line)
    sys.exit(1 if bad or bad_patterns else 0)


if __name__ == "__main__":
    main()
