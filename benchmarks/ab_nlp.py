"""Paired A/B of the extraction's CPU time in two trees, interleaved chunk by chunk.

``bench_nlp.py`` measures one tree at a time: on a shared machine, two runs a minute
apart see different loads and a 2 % change drowns in a ±15 % drift. Here three worker
processes stay up side by side, the ``base`` tree's extractor, the ``new`` tree's, and
the naive edsnlp pipeline (``bench_nlp.naive_pipeline``, from ``base``), and read chunks
of ``bench_nlp``'s synthetic reports in turn, in a shuffled order each round; each chunk's
CPU time per report is paired with the other tree's in the same round. Prints the median
of the paired ratios (with its quartiles) and each tree's throughput per core against the
naive pipeline (the ratio ``bench_nlp.py`` prints). Run from the repository root, under
the heavy lock::

    git worktree add --detach /tmp/base <commit>
    flock /tmp/radlink-heavy.lock .venv/bin/python benchmarks/ab_nlp.py /tmp/base . --rounds 40

No timing is asserted anywhere: read the ratios.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

RADLINK_CHUNK = 100
"""Reports per radlink chunk (~0.3 s of CPU)."""
NAIVE_CHUNK = 10
"""Reports per naive chunk (about as long as a radlink chunk)."""


def worker(tree: str, kind: str, n_reports: int) -> None:
    """Read chunk numbers on stdin; extract that chunk; write its CPU seconds per report."""
    import logging

    sys.path[:0] = [tree, str(Path(tree) / "benchmarks")]
    logging.disable(logging.WARNING)
    try:  # edsnlp logs through loguru: silence its "Beta" warnings
        from loguru import logger

        logger.remove()
    except ImportError:  # pragma: no cover
        pass
    from bench_nlp import make_reports, naive_pipeline

    import radlink
    from radlink.nlp import ReportExtractor
    from radlink.nlp.cleaning import clean_text

    if not str(Path(radlink.__file__).resolve()).startswith(str(Path(tree).resolve())):
        raise SystemExit(f"radlink imported from {radlink.__file__}, not from {tree}")
    reports = make_reports(n_reports)
    if kind == "naive":
        nlp = naive_pipeline()
        texts = [clean_text(t).text for t in reports["text"]]
        for t in texts[:3]:
            nlp(t)
        size = NAIVE_CHUNK

        def run(lo: int) -> None:
            for t in texts[lo : lo + size]:
                nlp(t)
    else:
        extractor = ReportExtractor()
        extractor.extract(make_reports(20, seed=1))  # other reports: the caches warm
        size = RADLINK_CHUNK

        def run(lo: int) -> None:
            extractor.extract(reports.iloc[lo : lo + size], jobs=1)

    print("ready", flush=True)
    for line in sys.stdin:
        lo = (int(line) * size) % max(1, n_reports - size + 1)
        cpu = time.process_time()
        run(lo)
        print(f"{(time.process_time() - cpu) / size:.6f}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the reference tree (a worktree of the baseline commit)")
    parser.add_argument("new", help="the tree measured against it")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--worker", nargs=2, metavar=("TREE", "KIND"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    n_reports = max(args.rounds * RADLINK_CHUNK, 300)
    if args.worker:
        worker(args.worker[0], args.worker[1], n_reports)
        return
    trees = {"base": args.base, "new": args.new, "naive": args.base}
    procs = {
        name: subprocess.Popen(
            [sys.executable, __file__, args.base, args.new, "--rounds", str(args.rounds),
             "--worker", tree, "naive" if name == "naive" else "radlink"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        for name, tree in trees.items()
    }
    for name, proc in procs.items():
        if proc.stdout.readline().strip() != "ready":
            raise SystemExit(f"the {name} worker did not start")
    cpu: dict[str, list[float]] = {name: [] for name in procs}
    for r in range(args.rounds):
        order = list(procs)
        random.shuffle(order)
        for name in order:
            procs[name].stdin.write(f"{r}\n")
            procs[name].stdin.flush()
            cpu[name].append(float(procs[name].stdout.readline()))
    for proc in procs.values():
        proc.stdin.close()
        proc.wait()
    med = {name: statistics.median(values) for name, values in cpu.items()}
    ratios = [b / n for b, n in zip(cpu["base"], cpu["new"], strict=True)]
    q1, _, q3 = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else (ratios[0],) * 3
    print("median CPU per report: " + ", ".join(f"{k} {1e3 * v:.3f} ms" for k, v in med.items()))
    print(f"new / base speed (paired per round, median of {args.rounds}): x{statistics.median(ratios):.3f} "
          f"(quartiles {q1:.3f}-{q3:.3f})")
    print(f"per core against the naive pipeline (medians): base x{med['naive'] / med['base']:.2f}, "
          f"new x{med['naive'] / med['new']:.2f}")


if __name__ == "__main__":
    main()
