"""radlink.nlp.text: clauses, the word scanners and the fast tokenizer."""

from __future__ import annotations

import re

import pytest
import spacy

from radlink.nlp.text import MultiScanner, WordScanner, clauses, fast_doc, split_alternatives

TEXT = "Ganglions (4R, 7) et nodule du LSD (SUVmax 18,7). L2, T10 ; foie."


def test_clauses_keep_decimals_and_parentheses():
    t = "SUVmax 7.7. Foyer (SUVmax 4,8 ; rapport 1,9). Fin"
    assert [t[s:e].strip() for s, e in clauses(t)] == ["SUVmax 7.7", "Foyer (SUVmax 4,8 ; rapport 1,9)", "Fin"]


@pytest.mark.parametrize(
    "named",
    [
        [("station", r"(?<![\w/])[24][RL](?![\w/])|(?<=\()7(?=[),])|(?<=[(,] )7(?=[),])")],
        [("lobe", r"(?<![\w/])LS[DG](?![\w/])|lobes? sup[ée]rieurs?"), ("spine", r"(?<![\w/])(?:[DT](?:[1-9]|1[0-2])|L[1-5])(?![\w/])")],
    ],
)
def test_word_scanner_matches_like_the_plain_alternation(named):
    plain = re.compile(
        "|".join(f"(?P<{n}{i}>{rx})" for i, (n, rx) in enumerate(named)), re.IGNORECASE
    )
    expected = [(m.start(), m.end()) for m in plain.finditer(TEXT) if TEXT[m.start() - 1 : m.start()] not in "abcdefghijklmnopqrstuvwxyz"]
    found = [(s, e) for s, e, _ in WordScanner(named, suffix="").finditer(TEXT)]
    assert found == expected


def test_multi_scanner_kinds_are_independent():
    ms = MultiScanner({"a": WordScanner([("x", "pneumothorax")]), "b": WordScanner([("y", "pneumo\\w*")])})
    assert ms.scan("Pas de pneumothorax.") == {"a": [(7, 19, "x")], "b": [(7, 19, "y")]}


def test_split_alternatives():
    assert split_alternatives(r"a(?:b|c)|[|]d") == ["a(?:b|c)", "[|]d"]


@pytest.mark.parametrize("text", ["", " ", "a", "  SUVmax 7,7\n\n- nodule  ", "x\t\ty", "fin."])
def test_fast_doc_keeps_the_text(text):
    assert fast_doc(spacy.blank("fr").vocab, text).text == text


def _gold_texts() -> list[str]:
    from pathlib import Path

    root = Path(__file__).parents[2] / "data_samples"
    return [p.read_text(encoding="utf-8") for p in sorted((root / "nlp_gold" / "reports").glob("*.txt"))]


@pytest.mark.parametrize("case", [str, str.upper, str.title])
def test_multi_scanner_finds_what_each_word_scanner_finds(case):
    # the one-pass scan narrows each word's alternatives by its three, then five first characters
    # (from the second time a key is met): it must find exactly what each scanner finds on its
    # own (two-character buckets), the first time (keys met once) and the second (narrowed)
    from radlink.nlp.lesions.lesions import _SCANNERS

    scanner = MultiScanner(_SCANNERS)
    texts = [case(t) for t in _gold_texts()]
    assert texts
    for _ in range(2):
        for text in texts:
            found = scanner.scan(text)
            for kind, word_scanner in _SCANNERS.items():
                assert found[kind] == list(word_scanner.finditer(text)), kind
    assert scanner._dispatch_long and scanner._met_once  # both paths taken


@pytest.mark.parametrize(
    "pattern, flags, local",
    [
        (r"^a(?=[ \t]*\n)", re.M, True), (r"^a[^\n]*$", re.M, True), (r"^a\b", re.M, True),
        (r"(?m:^a$)", 0, True), (r"^(a)\1", re.M, True),
        (r"^a\s", re.M, False), (r"^a[^b]", re.M, False), (r"^a\W", re.M, False),  # may read "\n"
        (r"^a.*", re.M | re.S, False), (r"^a(?=\n\w)", re.M, False),  # past the line end
        (r"^a$", 0, False), (r"\Aa", re.M, False), (r"(?<=\.)a", re.M, False),  # the whole string's
    ],
)
def test_line_local(pattern, flags, local):
    from radlink.nlp.text import line_local

    assert line_local(re.compile(pattern, flags)) is local
