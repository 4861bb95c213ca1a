"""Benchmark: radlink's negation and hypothesis qualifiers on other projects' test examples.

The examples are those of the qualifier tests of two public French clinical NLP
projects, read from local checkouts given on the command line (nothing is copied into
this repository, nothing is downloaded):

- **edsnlp** (``--edsnlp DIR``): ``tests/pipelines/qualifiers/test_negation.py``
  (``negation_examples``) and ``test_hypothesis.py`` (``examples``): sentences with
  ``<ent attr=value>entity</ent>`` markup, each entity labelled negated / affirmed or
  hypothetical / certain;
- **medkit** (``--medkit DIR``): ``tests/unit/text/context/test_negation_detector.py``
  and ``test_hypothesis_detector.py`` (``_TEST_DATA``): whole sentences ("syntagmas")
  labelled negated or hypothetical as a whole.

The lists are read from the test modules' source with :mod:`ast` (never imported, never
executed). Two systems qualify the same sentences:

- **radlink**: ``radlink.nlp.qualifiers.qualify`` with the cues of the sentence
  (``clause_cues``), the pipe ``radlink.qualifiers`` uses;
- **edsnlp**: its own ``eds.negation`` and ``eds.hypothesis`` pipes (defaults) after
  ``eds.normalizer`` and ``eds.sentences``.

An edsnlp example is scored per entity; a medkit sentence has no entity, so each of its
words is qualified and the sentence counts as negated (hypothetical) when one word is,
the same rule for both systems. Prints accuracy and F1 (the negated or hypothetical
class) per pipe and per source. Run from the repository root after extracting the two
test folders, e.g. ``git --git-dir=MIRROR archive HEAD tests/... | tar -x -C /work/ext/edsnlp``::

    python benchmarks/bench_qualifiers.py --edsnlp /work/ext/edsnlp --medkit /work/ext/medkit
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's radlink

EDSNLP_FILES = {
    "negation": ("tests/pipelines/qualifiers/test_negation.py", "negation_examples"),
    "hypothesis": ("tests/pipelines/qualifiers/test_hypothesis.py", "examples"),
}
MEDKIT_FILES = {
    "negation": ("tests/unit/text/context/test_negation_detector.py", "_TEST_DATA"),
    "hypothesis": ("tests/unit/text/context/test_hypothesis_detector.py", "_TEST_DATA"),
}
_ENT = re.compile(r"<ent ([^>]*)>(.*?)</ent>")
_WORD = re.compile(r"\w[\w'-]*")
_TRUE = {"true", "neg", "hyp"}
_FALSE = {"false", "aff", "cert"}


@dataclass
class Example:
    """One entity to qualify: the sentence, its character span, the expected label."""

    source: str
    task: str
    text: str
    spans: list[tuple[int, int]]
    expected: bool


def _list_literal(path: Path, name: str) -> list:
    """The literal value assigned to ``name`` at module level in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return ast.literal_eval(node.value)
    raise SystemExit(f"{path}: no list named {name}")


def _markup(source: str, task: str, example: str) -> list[Example]:
    """Entities of an ``<ent attr=value>...</ent>`` example with a label for ``task``."""
    out, text, cursor, spans = [], "", 0, []
    for m in _ENT.finditer(example):
        text += example[cursor : m.start()]
        start = len(text)
        text += m.group(2)
        spans.append((start, len(text), m.group(1)))
        cursor = m.end()
    text += example[cursor:]
    if "<ent" in text:  # an unclosed tag: not an example we can read
        return []
    for start, end, attrs in spans:
        label = None
        for attr in attrs.split():
            key, _, value = attr.partition("=")
            if key.rstrip("_") in ("negated", "negation", "polarity", "hypothesis") and (
                (task == "negation") == (key.rstrip("_") != "hypothesis")
            ):
                v = value.strip("\"'").lower()
                label = True if v in _TRUE else False if v in _FALSE else None
        if label is not None:
            out.append(Example(source, task, text, [(start, end)], label))
    return out


def read_edsnlp(root: Path) -> list[Example]:
    out = []
    for task, (rel, name) in EDSNLP_FILES.items():
        for example in _list_literal(root / rel, name):
            out += _markup("edsnlp", task, example)
    return out


def read_medkit(root: Path) -> list[Example]:
    out = []
    for task, (rel, name) in MEDKIT_FILES.items():
        for row in _list_literal(root / rel, name):
            text, expected = row[0], bool(row[1])
            spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
            if spans:
                out.append(Example("medkit", task, text, spans, expected))
    return out


def radlink_predict(examples: list[Example]) -> list[bool]:
    """radlink's qualifier: any of the example's spans qualified for its task."""
    from radlink.nlp.qualifiers.qualifiers import clause_cues, qualify

    out = []
    for ex in examples:
        cues = clause_cues(ex.text, 0, len(ex.text))
        flags = []
        for start, end in ex.spans:
            q = qualify(ex.text, start, end, cues)
            flags.append(q.negated if ex.task == "negation" else q.hypothesis)
        out.append(any(flags))
    return out


def edsnlp_predict(examples: list[Example]) -> list[bool]:
    """edsnlp's own eds.negation / eds.hypothesis on the same spans."""
    import edsnlp

    nlp = edsnlp.blank("eds")
    for pipe in ("eds.normalizer", "eds.sentences", "eds.negation", "eds.hypothesis"):
        nlp.add_pipe(pipe)
    out = []
    for ex in examples:
        doc = nlp.make_doc(ex.text)
        ents = []
        for start, end in ex.spans:
            span = doc.char_span(start, end, label="ent", alignment_mode="expand")
            if span is not None and not any(span.start < e.end and e.start < span.end for e in ents):
                ents.append(span)
        doc.ents = ents
        for _, pipe in nlp.pipeline:
            doc = pipe(doc)
        attr = "negation" if ex.task == "negation" else "hypothesis"
        out.append(any(bool(getattr(e._, attr)) for e in doc.ents))
    return out


def scores(expected: list[bool], predicted: list[bool]) -> tuple[int, float, float]:
    """(n, accuracy, F1 of the positive class)."""
    tp = sum(e and p for e, p in zip(expected, predicted, strict=True))
    fp = sum(p and not e for e, p in zip(expected, predicted, strict=True))
    fn = sum(e and not p for e, p in zip(expected, predicted, strict=True))
    correct = sum(e == p for e, p in zip(expected, predicted, strict=True))
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    return len(expected), correct / len(expected) if expected else float("nan"), f1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edsnlp", type=Path, help="checkout of aphp/edsnlp (its tests/ folder)")
    parser.add_argument("--medkit", type=Path, help="checkout of medkit-lib/medkit (its tests/ folder)")
    parser.add_argument("--errors", action="store_true", help="list radlink's wrong answers")
    args = parser.parse_args(argv)
    examples: list[Example] = []
    if args.edsnlp:
        examples += read_edsnlp(args.edsnlp)
    if args.medkit:
        examples += read_medkit(args.medkit)
    if not examples:
        parser.error("give --edsnlp and/or --medkit")
    systems = {"radlink": radlink_predict(examples), "edsnlp": edsnlp_predict(examples)}
    print(f"{'source':8} {'task':10} {'n':>4}  " + "  ".join(f"{s + ' acc':>12} {s + ' F1':>11}" for s in systems))
    groups = sorted({(ex.source, ex.task) for ex in examples}) + [("all", "negation"), ("all", "hypothesis")]
    for source, task in groups:
        idx = [i for i, ex in enumerate(examples) if ex.task == task and source in (ex.source, "all")]
        expected = [examples[i].expected for i in idx]
        cells = []
        for predicted in systems.values():
            n, acc, f1 = scores(expected, [predicted[i] for i in idx])
            cells.append(f"{acc:12.3f} {f1:11.3f}")
        print(f"{source:8} {task:10} {len(idx):>4}  " + "  ".join(cells))
    if args.errors:
        for i, ex in enumerate(examples):
            if systems["radlink"][i] != ex.expected:
                print(f"radlink wrong ({ex.source} {ex.task}, expected {ex.expected}): "
                      + " | ".join(ex.text[s:e] for s, e in ex.spans[:1]) + f"  <- {ex.text!r}")


if __name__ == "__main__":
    main()
