"""The shortcuts the lesion reader takes for speed give what the plain reading gives."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from radlink.nlp import ReportExtractor
from radlink.nlp.evaluation import load_gold
from radlink.nlp.lesions.lesions import _SEGMENT_SEP, _last_span_within
from radlink.nlp.text import _CLAUSE_END

GOLD = Path(__file__).resolve().parents[2] / "data_samples" / "nlp_gold"


@pytest.fixture(scope="module")
def gold_reports():
    return load_gold(GOLD).reports


# sorted spans that do not overlap, as a scanner finds them: (gap, length) pairs
_SPANS = st.lists(st.tuples(st.integers(0, 5), st.integers(1, 5)), max_size=8).map(
    lambda pairs: [(sum(g + n for g, n in pairs[:i]) + g, sum(g + n for g, n in pairs[:i]) + g + n)
                   for i, (g, n) in enumerate(pairs)]
)


@given(_SPANS, st.integers(0, 60), st.integers(0, 60))
def test_last_span_within_is_the_last_span_inside(spans, lo, hi):
    inside = [s for s in spans if lo <= s[0] and s[1] <= hi]
    assert _last_span_within(spans, lo, hi) == (inside[-1] if inside else None)


def test_last_span_within_skips_a_span_across_the_bound():
    spans = [(0, 6), (10, 16), (20, 26)]
    assert _last_span_within(spans, 0, 22) == (10, 16)
    assert _last_span_within(spans, 11, 22) is None
    assert _last_span_within([], 0, 10) is None


# words around and inside the separators, so that a separator may start inside another
_PIECES = [",", "et", "ou", "ni", "ainsi que", "avec", "associées à", "associé à", "+", "(", ")",
           "mais", "en dehors d", "hormis", "sauf", "en revanche", "par contre", "e", "t", "a",
           "d", "n", "que", "à", "de", "hors", " ", " ", "-"]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_PIECES), max_size=25))
def test_segment_separators_never_overlap(pieces):
    """``_merge`` reads the separators before a site from 60 characters before it only:
    right when a search from any offset finds the separators a search from the start
    finds there (no separator starts inside another)."""
    text = "".join(pieces)
    whole = [m.span() for m in _SEGMENT_SEP.finditer(text)]
    for pos in range(len(text) + 1):
        assert [m.span() for m in _SEGMENT_SEP.finditer(text, pos)] == [s for s in whole if s[0] >= pos]


# the clause ends as first written: a class and a repeat first (no literal to skip ahead to)
_PLAIN_CLAUSE_END = re.compile(r"(?:\.(?<!\bvs\.)(?<!\bcf\.)(?<!\bDr\.)(?!\d)|;|\n+|[-•*·](?<=\s[-•*·])\s)")


@settings(max_examples=300)
@given(st.lists(st.sampled_from([".", ";", "\n", "-", "•", "*", "·", " ", "\t", "vs", "cf", "Dr", "3",
                                 "(", ")", "nodule", "a"]), max_size=30))
def test_clause_ends_are_those_of_the_plain_regex(pieces):
    text = "".join(pieces)
    assert [m.span() for m in _CLAUSE_END.finditer(text)] == [
        m.span() for m in _PLAIN_CLAUSE_END.finditer(text)
    ]


@pytest.mark.parametrize("engine", ["text", "spacy"])
def test_extraction_makes_no_reference_cycle(engine, gold_reports):
    """What lets ``_cyclic_gc_paused`` pause the cyclic collector during extraction:
    every object a report's reading allocates is freed by reference counting."""
    extractor = ReportExtractor(engine=engine)
    extractor.extract(gold_reports.head(3))  # the pipeline and its caches, built once
    gc.collect()
    gc.disable()
    try:
        out = extractor.extract(gold_reports)
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert len(out.findings) > 0


def test_extraction_restores_the_collector(gold_reports):
    ReportExtractor().extract(gold_reports.head(2))
    assert gc.isenabled()
    gc.disable()
    try:
        ReportExtractor().extract(gold_reports.head(2))
        assert not gc.isenabled()  # left off when it was off
    finally:
        gc.enable()


def test_reports_are_read_with_the_collector_paused(monkeypatch, gold_reports):
    import radlink.nlp.extractor as extractor_module

    seen = []
    read = extractor_module._report_rows

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return read(*args, **kwargs)

    monkeypatch.setattr(extractor_module, "_report_rows", spy)
    ReportExtractor().extract(gold_reports.head(3))
    assert seen == [False] * 3
    assert gc.isenabled()


# letters that fold in ways of their own, around French words
_FOLD_PIECES = ["İ", "ı", "ſ", "K", "É", "Œ", "œ", "col", "COL", "Figo", "FIGO", "droite", "DROITE",
                "Gauche", "bilatéral", "D", "G", " ", ",", "-", "'", "(", "lobe", "x"]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_FOLD_PIECES), max_size=20))
def test_folded_holds_every_case_insensitive_match(pieces):
    """``folded`` keeps the offsets, and holds a lower-case word wherever a
    case-insensitive regex matches it (so that a missing word rules a regex out)."""
    from radlink.nlp.text import folded, holds_any

    text = "".join(pieces)
    low = folded(text)
    assert len(low) == len(text)
    for word in ("col", "figo", "droite", "gauche", "œ", "é", "k", "s", "i"):
        for m in re.finditer(re.escape(word), text, re.IGNORECASE):
            assert low[m.start() : m.end()] == word
        assert holds_any(text, (word,)) == (re.search(re.escape(word), text, re.IGNORECASE) is not None)


def test_laterality_forms_hold_a_stem():
    """Every LATERALITY form holds a stem of ``LATERALITY_STEMS`` or a capital D or G,
    as ``_may_name_side`` assumes."""
    from radlink.nlp.lesions import patterns
    from radlink.nlp.text import split_alternatives

    for regex in patterns.LATERALITY.values():
        for alt in split_alternatives(regex):
            assert any(s in alt.lower() for s in patterns.LATERALITY_STEMS) or "(?-i:D)" in alt or (
                "(?-i:G)" in alt
            ), alt


def test_side_pretest_gives_the_side_regex_matches(gold_reports):
    """``_side_after`` (the side regex behind its cheap test) matches where the side
    regex itself matches, after every word of the gold reports."""
    from radlink.nlp.lesions.lesions import _LAT_AFTER, _side_after

    tried = found = 0
    for text in gold_reports["text"].head(60):
        for w in re.finditer(r"\w+", text):
            m = _LAT_AFTER.match(text, w.end(), len(text))
            got = _side_after(text, w.end(), len(text))
            assert (m and (m.span(), m.lastgroup)) == (got and (got.span(), got.lastgroup))
            tried += 1
            found += m is not None
    assert tried > 3000 and found > 50


_CUE_PIECES = ["SUV", "suvmax", "ſuv", "RÉFÉRENCE", "réf.", "Ref.", "BRUIT DE FOND", "Pool", "poOl",
               "İ", "ı", "ſ", "K", "foie", " ", "\n", "é", "É", "r", "f", "e", "s", "u", "v", "."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CUE_PIECES), max_size=12).map("".join))
def test_may_hold_suv_is_the_cue_search(text):
    from radlink.nlp.suvmax.suvmax import ANY_SUV_CUE, may_hold_suv

    assert may_hold_suv(text) == (ANY_SUV_CUE.search(text) is not None)


def test_may_hold_suv_on_gold_reports(gold_reports):
    from radlink.nlp.cleaning import clean_text
    from radlink.nlp.suvmax.suvmax import ANY_SUV_CUE, may_hold_suv

    texts = [clean_text(t).text for t in gold_reports["text"]]
    flags = [may_hold_suv(t) for t in texts]
    assert flags == [ANY_SUV_CUE.search(t) is not None for t in texts]
    assert any(flags) and not all(flags)


_TECHNIQUE_PIECES = ["187,2", "5", " ", "\t", "MBq", "mbQ", "mCi", "/kg", "/ kg", "GLYCÉMIE", "glycemie",
                     "glyc", "émie", " à jeun : ", "1,05", "g/l", "mmol/l", "DÉLAI", "délai", " : ", "62",
                     "min", "minutes", "h", "après injection", "p.i.", "Acquisition", "acquisitions", "à",
                     "images", "balayage", "Biograph", "Vision", "Siemens", "Discovery", "MI", "İ", "ſ",
                     "[", "]", "=", "\n", ".", "(min)"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TECHNIQUE_PIECES), max_size=14).map("".join), st.integers(0, 6))
def test_may_match_never_skips_a_match(text, cut):
    from radlink.nlp.technique.technique import _REGEXES
    from radlink.nlp.text import may_match

    start, end = min(cut, len(text)), len(text)
    for rx in (_REGEXES.dose, _REGEXES.dose_per_kg, _REGEXES.glycemia, _REGEXES.device, *_REGEXES.delay):
        if rx.search(text, start, end) is not None:
            assert may_match(rx, text, start, end), rx.pattern


def test_required_words_of_the_technique_regexes():
    from radlink.nlp.technique.technique import _REGEXES
    from radlink.nlp.text import required_words

    assert required_words(_REGEXES.dose.pattern, _REGEXES.dose.flags) == ("mbq", "mci")
    assert required_words(_REGEXES.glycemia.pattern, _REGEXES.glycemia.flags) == ("glyc",)
    # a word under a repeat that may be absent, or in a lookaround, is never required
    assert required_words(r"(?:foie)?\d+") is None
    assert required_words(r"(?=foie)\w+") is None
    assert required_words(r"(?:rate|foie)+ x") == ("foie", "rate")


_SIDE_PIECES = ["droite", "DROIT", "dte", "gauche", "GCHE", "bilatéral", "deux", "de part et", "D", "G",
                "d", "g", "lat", "dr", "o", "İ", "ſ", "K", " ", ",", "\n", "nodule", "hile"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SIDE_PIECES), max_size=14).map("".join), st.integers(0, 40), st.integers(0, 40))
def test_may_name_side_is_the_stem_search(text, lo, hi):
    """The side cues found once per text (``_SideCues``) answer every window as the
    stem search of the window would."""
    from radlink.nlp.lesions import patterns
    from radlink.nlp.lesions.lesions import _may_name_side
    from radlink.nlp.text import folded

    stem = re.compile("|".join(map(re.escape, patterns.LATERALITY_STEMS)))
    start, end = min(lo, len(text)), min(hi, len(text))
    expected = stem.search(folded(text), start, end) is not None or (
        text.find("D", start, end) >= 0 or text.find("G", start, end) >= 0
    )
    assert _may_name_side(text, start, end) == expected


_REFERENCE_PIECES = ["foie", "hépatique", "hepatique", "médiastin", "mediastinale", "aorte", "pool",
                     " sanguin", "référence", "ref.", "réf.", "bruit de fond", "deauville", "percist",
                     "activité de fond", " ", " : ", "=", "à", "2,1", "1", ".6", "(", ")", "\n", ";", "/"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_REFERENCE_PIECES), max_size=16).map("".join), st.integers(0, 30), st.integers(0, 90))
def test_literal_finditer_gives_the_finditer_matches(text, lo, hi):
    from radlink.nlp.suvmax.suvmax import _REFERENCE_RUN_CUE, _REGEXES
    from radlink.nlp.text import literal_finditer, literal_starts

    start, end = min(lo, len(text)), min(hi, len(text))
    for rx in (_REGEXES.region_value, _REGEXES.reference_value, _REFERENCE_RUN_CUE):
        assert literal_starts(rx) is not None, rx.pattern
        expected = [m.span() for m in rx.finditer(text, start, end)]
        assert [m.span() for m in literal_finditer(rx, text, start, end)] == expected


def test_literal_starts_known_only_where_every_match_starts_so():
    from radlink.nlp.text import literal_starts

    assert literal_starts(re.compile(r"(?:ab|a)c")) == ("abc", "ac")
    assert literal_starts(re.compile(r"ab?c")) is None  # "ac" or "abc": only "a" is known
    assert literal_starts(re.compile(r"(?:foie|)x")) is None  # an empty alternative
    assert literal_starts(re.compile(r"[^a]bc")) is None
    assert literal_starts(re.compile(r"(?i:foie)")) is None
