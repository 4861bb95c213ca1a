"""Deterministic synthetic warehouse: patients, stays, exams, reports and their truth.

A French hospital warehouse with its faults (badly attached exams, noisy DICOM identity,
exams seldom attached to stays, reports hard to tie to their exam) and, beside it, the
truth: true links, faults, report facts and findings.

>>> from radlink.synth import generate
>>> ds = generate(10, seed=7)
>>> ds.summary()["patients"]
10

Command line: ``radlink synth --patients 50 --seed 7 -o data_samples``.
"""

from radlink.synth.generator import TRUTH_TABLES, SynthDataset, generate, write_dataset

__all__ = ["generate", "write_dataset", "SynthDataset", "TRUTH_TABLES"]
