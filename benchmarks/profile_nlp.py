"""Where ``ReportExtractor.extract`` spends its CPU: a sampling profile by function and line.

cProfile times every Python call, which triples the cost of the small functions the pipes
are made of and so misstates their share; this profile instead looks at the running stack
every ``--interval`` seconds of CPU time (``SIGPROF``, Unix only) and counts, per sample,
each function on the stack (inclusive share) and the line that runs (self share). The
reports are read once before (the scanners' per-word caches warm), then ``--repeat`` times
under the sampler. Run from the repository root::

    PYTHONPATH=. python benchmarks/profile_nlp.py                  # bench_nlp's synthetic PET-CT reports
    PYTHONPATH=. python benchmarks/profile_nlp.py --gold           # the open gold sets' non-PET reports
    PYTHONPATH=. python benchmarks/profile_nlp.py --top 40 --no-verify-lesions

A function's inclusive share counts the samples it is on the stack once, even when it
recurses; the shares of the functions it calls are part of its own.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections import Counter
from pathlib import Path


class StackSampler:
    """Count, every ``interval`` seconds of CPU time, the functions on the stack and the line running.

    Examples
    --------
    >>> sampler = StackSampler(0.001)
    >>> with sampler:
    ...     _ = sum(i * i for i in range(300_000))
    >>> sampler.samples >= 0
    True
    """

    def __init__(self, interval: float = 0.0005):
        self.interval = interval
        self.samples = 0
        self.inclusive: Counter = Counter()
        self.lines: Counter = Counter()
        self._previous = None

    def _sample(self, signum, frame) -> None:
        self.samples += 1
        self.lines[(_where(frame.f_code), frame.f_lineno, frame.f_code.co_name)] += 1
        seen = set()
        while frame is not None:
            key = (_where(frame.f_code), frame.f_code.co_name)
            if key not in seen:
                seen.add(key)
                self.inclusive[key] += 1
            frame = frame.f_back

    def __enter__(self) -> StackSampler:
        self._previous = signal.signal(signal.SIGPROF, self._sample)
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)
        return self

    def __exit__(self, *exc: object) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, self._previous)

    def report(self, top: int = 30) -> str:
        """The ``top`` functions by inclusive share and the ``top`` lines by self share."""
        n = max(self.samples, 1)
        out = [f"{self.samples:,} samples"]
        out.append("-- functions, inclusive share (on the stack)")
        out += [f"{100 * c / n:5.1f}%  {where}:{name}" for (where, name), c in self.inclusive.most_common(top)]
        out.append("-- lines, self share (running)")
        out += [f"{100 * c / n:5.1f}%  {where}:{line} {name}"
                for (where, line, name), c in self.lines.most_common(top)]
        return "\n".join(out)


def _where(code) -> str:
    """A code object's file, relative to the package (``radlink/nlp/text.py``) when it is radlink's."""
    path = Path(code.co_filename)
    parts = path.parts
    return "/".join(parts[parts.index("radlink"):]) if "radlink" in parts else path.name


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="synthetic reports (not with --gold)")
    parser.add_argument("--gold", action="store_true", help="the non-PET reports of the open gold sets instead")
    parser.add_argument("--repeat", type=int, default=2, help="sampled reads of the reports")
    parser.add_argument("--interval", type=float, default=0.0005, help="CPU seconds between samples")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--no-verify-lesions", action="store_true", help="the rules alone")
    args = parser.parse_args(argv)

    logging.disable(logging.WARNING)
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_nlp import gold_reports, make_reports

    from radlink.nlp import ReportExtractor

    reports = gold_reports() if args.gold else make_reports(args.docs)
    extractor = ReportExtractor(verify_lesions=not args.no_verify_lesions, time_limit=None)
    extractor.extract(reports)  # warm: the pipeline, the scanners' per-word caches
    sampler = StackSampler(args.interval)
    start = time.process_time()
    with sampler:
        for _ in range(args.repeat):
            extractor.extract(reports)
    cpu = (time.process_time() - start) / (args.repeat * len(reports)) * 1000
    print(f"{len(reports):,} reports x {args.repeat}: {cpu:.2f} ms CPU per report (sampler included)")
    print(sampler.report(args.top))


if __name__ == "__main__":
    main()
