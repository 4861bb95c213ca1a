"""The fast paths of report→exam give the same results as the plain pandas versions."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from radlink.linkage.normalize import strip_accents
from radlink.linkage.patterns import TRACER_PATTERNS
from radlink.linkage.report_exam import _TRACER_FIRST, _TRACER_RE, tracer_of_text
from radlink.linkage.report_text import _HTML_ACCENT, upper_ascii

_SAMPLES = [
    "<p>Ad&eacute;nopathie<br>TEP réalisée le 3 mars 2021", "Œdème, cœur, Æther, æ, straße, ÇA", "",
    "Examen du 03/03/2021.\nTDM thoracique", "&nbsp;&Eacute;chographie &agrave; &ccedil;",
    "<div class='x'>IRM cérébrale</div>", "<" + "a" * 100 + ">reste", "ﬁbrose ½ ² µ × ÷ ª º",
    "Réalisée à l'hôpital — « guillemets » … “quotes”", "emoji 🙂 et ĳ ŀ ſ ı İ", "漢字 テキスト",
    "e\u0301cho combinée", "Ǆ ǅ ǆ Ǳ ȑ ẞ", "\u00a0espace\u2009fine", "TEP 18F-FDG, ſcanner, 68Ga-PSMA",
    "Addendum: complément", "x" * 700 + "é", "tab\tet\r\nretour",
]


def _upper_ascii_reference(text: pd.Series, max_chars: int) -> pd.Series:
    text = text.astype(object).str.slice(0, max_chars)
    text = text.str.replace(_HTML_ACCENT, r"\1", regex=True).str.replace("&nbsp;", " ", regex=False)
    text = text.str.replace(r"<[^>]{0,80}>", "\n", regex=True)
    return strip_accents(text).str.upper()


def test_upper_ascii_same_as_pandas_pipeline():
    rng = np.random.default_rng(0)
    chars = [chr(c) for c in range(0x20, 0x250)] + ["<", ">", "&", ";", "\n", "🙂", "ﬁ", "\u0301", "漢", "•", "’",
                                                     "…", "—", "\u2009", "½", "ǅ", "\u0323", "ẞ", "ﬀ", "Ⅻ", "㎞"]
    fuzz = ["".join(rng.choice(chars, size=int(rng.integers(0, 80)))) for _ in range(400)]
    fuzz += ["".join(rng.choice(chars[-40:], size=int(rng.integers(0, 30)))) for _ in range(200)]
    values = pd.Series(_SAMPLES + fuzz + [None, np.nan], index=np.arange(len(_SAMPLES) + len(fuzz) + 2) * 3,
                       dtype=object)
    for max_chars in (0, 5, 40, 120, 600):
        got = upper_ascii(values, max_chars)
        ref = _upper_ascii_reference(values, max_chars)
        assert got.index.equals(ref.index)
        assert got.tolist() == ref.tolist()
        assert got.dtype == object


def test_latin_characters_strip_as_pandas_does():
    # every character the fast path handles alone
    values = pd.Series([chr(c) + "a" + chr(c) for c in range(0, 0x180)], dtype=object)
    assert upper_ascii(values, 10).tolist() == _upper_ascii_reference(values, 10).tolist()


def test_tracer_lookahead_changes_no_match():
    # each alternative starts with a letter of _TRACER_FIRST, after an optional \b
    for pattern, _ in TRACER_PATTERNS:
        for alternative in pattern.split("|"):
            first = alternative.removeprefix(r"\b")[0]
            assert first.upper() in _TRACER_FIRST, alternative
    # the class matches exactly what its letters match, ignoring case, over all of Unicode
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    as_class = re.findall(f"[{_TRACER_FIRST}]", every, re.IGNORECASE)
    as_letters = re.findall("|".join(_TRACER_FIRST), every, re.IGNORECASE)
    assert as_class == as_letters
    plain = re.compile("|".join(f"(?P<{code}>{pattern})" for pattern, code in TRACER_PATTERNS), re.IGNORECASE)
    texts = _SAMPLES + ["injection de 18F-fluorodésoxyglucose", "F DOPA", "dopa", "FES et NaF", "hmdp mdp",
                        "x" * 2999 + "FDG", "x" * 2998 + "FDG", "mibg", "fluoro-d-desoxy-glucose"]
    for text in texts:
        a, b = _TRACER_RE.search(text, 0, 3000), plain.search(text, 0, 3000)
        assert (a and (a.span(), a.lastgroup)) == (b and (b.span(), b.lastgroup))
    assert tracer_of_text(pd.Series(["TEP-TDM 68GA-DOTATOC", "18F-FDG", None])).tolist() == ["DOTATOC", "FDG", None]


def test_says_addendum_on_distinct_titles_same_as_each():
    from radlink.linkage.patterns import ADDENDUM_PATTERN
    from radlink.linkage.report_text import says_addendum

    titles = pd.Series(["Addendum TEP", "TDM", None, "Addendum TEP", np.nan, "Complément", "TDM", "ERRATUM"] * 3,
                       dtype=object)
    texts = pd.Series(["...", "Complément au CR", None, "x", "y", "z", "rectificatif", None] * 3, dtype=object)
    expected = np.zeros(len(titles), dtype=bool)
    for series, chars in ((titles, 200), (texts, 120)):
        up = _upper_ascii_reference(series, chars)
        expected |= up.str.contains(ADDENDUM_PATTERN, regex=True, na=False).to_numpy(dtype=bool)
    assert says_addendum(titles, texts).tolist() == expected.tolist()
    assert says_addendum(pd.Series([None, None], dtype=object), pd.Series([None, None], dtype=object)).tolist() == [
        False, False]


def _fuzz(words: list[str], n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    return ["".join(rng.choice(words, size=int(rng.integers(0, 12)))) for _ in range(n)]


def test_tracer_of_text_same_as_re_alone():
    # RE2 finds where to start; re's answer must not change, even on the letters that
    # re (ignoring case) takes for ASCII ones (ı İ ſ K) and after accented letters (\b).
    words = ["FDG", "fdg", "18F-FDG", "PSMA", "dotanoc", "F-DOPA", "DOPA", "choline", "CHOLİNE", "cholıne",
             "FES", "fes", "NaF", "fluorure", "MIBG", "HMDP", "MDP", "fluoro-désoxy-glucose", "FLUORO\nDESOXYGLUCOSE",
             "é", "éFDG", "FDGé", " ", "\n", "x", "_", "1", "漢", "ſ", "K", "🙂", "ESTRADIOL"]
    texts = pd.Series(_fuzz(words, 3000, 1) + _SAMPLES + [None, np.nan, ""], dtype=object)
    for max_chars in (3000, 12, 40):
        expected = [m.lastgroup if isinstance(t, str) and (m := _TRACER_RE.search(t, 0, max_chars)) else None
                    for t in texts]
        assert tracer_of_text(texts, max_chars).tolist() == expected


def test_ascii_matches_same_as_re():
    from radlink.linkage.patterns import (
        ADDENDUM_PATTERN,
        EXAM_DATE_PATTERN,
        MODALITY_CLASS_PATTERNS,
        REGION_PATTERNS,
        TEXT_MODALITY_PATTERNS,
    )
    from radlink.linkage.report_text import _ascii_matches

    words = ["EXAMEN DU ", "TEP REALISEE LE ", "TDM DU ", "IRM EN DATE DU ", "3 MARS 2021", "1ER AVRIL 2020",
             "03/03/2021", "12.03.2021", "TEP-TDM DU ", "ADDENDUM", "COMPLEMENT", "CR CORRIGE", "SEQUENCES T2",
             "FLAIR", "SONDE", "CORPS ENTIER", "THORACO-ABDOMINO-PELVIEN", "TAP", "PELVIS", "WB", "SCANNER", "RX",
             " ", "\n", "\t", "_", "-", "X", "1", ".", "(E)", "tep", "irm"]
    texts = pd.Series(_fuzz(words, 3000, 2) + [None, ""], dtype=object)
    patterns = [EXAM_DATE_PATTERN, ADDENDUM_PATTERN] + [p for p, _ in TEXT_MODALITY_PATTERNS + MODALITY_CLASS_PATTERNS
                                                          + REGION_PATTERNS]
    for pattern in patterns:
        for flags in (0, re.IGNORECASE):
            expected = [isinstance(t, str) and re.search(pattern, t, flags) is not None for t in texts]
            got = _ascii_matches(texts, pattern, ignore_case=bool(flags))
            assert got.tolist() == expected, pattern
    assert any(re.search(EXAM_DATE_PATTERN, t) for t in texts if isinstance(t, str))  # the fuzz reaches the dates


def test_stripped_upper_same_as_strip_accents():
    from radlink.linkage.report_text import stripped_upper

    rng = np.random.default_rng(3)
    chars = [chr(c) for c in range(0, 0x250)] + ["🙂", "ﬁ", "\u0301", "漢", "œ", "Œ", "ß", "æ", "½"]
    values = pd.Series(_SAMPLES + ["".join(rng.choice(chars, size=int(rng.integers(0, 40)))) for _ in range(500)]
                       + [None, np.nan, 12, 3.5], dtype=object)
    assert stripped_upper(values).tolist() == strip_accents(values).str.upper().tolist()


def test_classify_same_as_re_on_every_text():
    from radlink.linkage.patterns import REGION_PATTERNS
    from radlink.linkage.report_exam import region_of_text

    words = ["Scanner ", "thoraco-abdomino-pelvien", "IRM ", "cérébrale", "corps entier", "pelvis", "sein", "TAP",
             "whole body", "rachis", "é", "K", "ı", " ", "-", "_", "1", "漢"]
    texts = pd.Series(_fuzz(words, 2000, 4) + [None, ""], dtype=object)
    up = strip_accents(texts).str.upper().str.replace(r"[^A-Z0-9 ]", " ", regex=True)
    expected = [next((code for pattern, code in REGION_PATTERNS if re.search(pattern, u, re.IGNORECASE)), None)
                if isinstance(u, str) else None for u in up]
    assert region_of_text(texts).tolist() == expected


def test_upper_ascii_openings_same_as_upper_ascii_twice():
    from radlink.linkage.report_text import upper_ascii_openings

    rng = np.random.default_rng(5)
    chars = [chr(c) for c in range(0x20, 0x250)] + ["<", ">", "&", ";", "\n", "🙂", "ﬁ", "\u0301", "漢", "œ", "°"]
    ascii_chars = [chr(c) for c in range(0x20, 0x7F)] + ["\n", "\t", "&eacute;", "<br>", "&nbsp;"]
    texts = ([_SAMPLES[i % len(_SAMPLES)] + "".join(rng.choice(chars, size=int(rng.integers(0, 200))))
              for i in range(300)]
             + ["".join(rng.choice(ascii_chars, size=int(rng.integers(0, 200)))) + "".join(rng.choice(chars, size=9))
                for _ in range(300)])
    values = pd.Series(texts + [None, np.nan, ""], index=np.arange(len(texts) + 3) * 2, dtype=object)
    for long_chars, head_chars in ((600, 120), (40, 12), (30, 30), (5, 0)):
        long, head = upper_ascii_openings(values, long_chars, head_chars)
        assert long.index.equals(values.index) and head.index.equals(values.index)
        assert long.tolist() == upper_ascii(values, long_chars).tolist()
        assert head.tolist() == upper_ascii(values, head_chars).tolist()
    for lengths in ((1500, 600, 120), (40, 12, 30), (30, 0, 5, 30)):
        openings = upper_ascii_openings(values, *lengths)
        assert len(openings) == len(lengths)
        for opening, chars in zip(openings, lengths, strict=True):
            assert opening.tolist() == upper_ascii(values, chars).tolist()


def _modality_reference(up: pd.Series) -> list:
    from radlink.linkage.patterns import (
        COMPARISON_LINE_PATTERN,
        FIRST_LINE_PATTERN,
        HYBRID_TEXT_CLASSES,
        TEXT_MODALITY_PATTERNS,
    )

    def first(text):
        return next((code for pattern, code in TEXT_MODALITY_PATTERNS if re.search(pattern, text)), None)

    def one(u):  # the opening's class, unless its first line names another (and the class is no hybrid)
        found = first(u)
        line = re.match(FIRST_LINE_PATTERN, u)
        by_line = first(line.group("line")) if line else None
        return by_line if by_line is not None and found not in HYBRID_TEXT_CLASSES else found

    up = up.str.replace(r"[^A-Z0-9 \n]", " ", regex=True).str.replace(COMPARISON_LINE_PATTERN, "", regex=True)
    return [one(u) if isinstance(u, str) else None for u in up]


def test_text_modality_by_arrow_same_as_re():
    from radlink.linkage.report_text import _modality_in

    words = ["COMPARAISON AVEC LE SCANNER ", "PAR RAPPORT A L'IRM ", "\n", "\n  ", "\t", "TDM", "IRM", "SEQUENCES",
             "ECHOGRAPHIE", "FDG", "RADIO", "-", "'", "(E)", " ", "X", "1", "ANTERIORITE: TEP ", "SONDE", "HYPODENSE",
             "EXAMENS ANTERIEURS : IRM\n", "SCINTIGRAPHIE"]
    up = pd.Series(_fuzz(words, 3000, 6) + [None, ""], dtype=object)
    assert _modality_in(up).tolist() == _modality_reference(up)
    assert any(v is not None for v in _modality_reference(up))


def test_stated_dates_read_in_one_search_same_as_extract():
    from radlink.linkage.patterns import EXAM_DATE_PATTERN
    from radlink.linkage.report_text import _date_times_in

    words = ["EXAMEN DU ", "TEP REALISEE LE ", "TDM DU ", "DATE DE L'EXAMEN : ", "3 MARS 2021", "1ER AVRIL 20",
             "03/03/2021", "12.03.21", "31/02/2021", "3/3/211", " A 09H40", " A 9:05", " VERS 25H", "\n", " ", "X"]
    up = pd.Series(_fuzz(words, 3000, 7) + [None, ""], dtype=object)
    dates, minutes = _date_times_in(up)
    for text, date, minute in zip(up, dates, minutes, strict=True):
        m = re.search(EXAM_DATE_PATTERN, text) if isinstance(text, str) else None
        if m is None:  # (another rule may date the text; only this pattern states a time)
            assert np.isnan(minute)
            continue
        g = m.groupdict()
        day, month = g["day"] or g["day2"], g["month"] or g["month_name"]
        assert np.isnat(date) or date.astype(object).day == int(day)
        if not np.isnat(date) and g["month"]:
            assert date.astype(object).month == int(month)
        if not np.isnat(date) and g["hour"] is not None and int(g["hour"]) < 24:
            assert minute == int(g["hour"]) * 60 + int(g["minute"] or 0)
    assert (~np.isnat(dates)).sum() > 100 and (~np.isnan(minutes)).sum() > 10


def _development_texts() -> pd.Series:
    """Report texts of the development warehouses and data_samples (synthetic, opened for development)."""
    root = Path(__file__).resolve().parents[2]
    paths = [root / "data_samples" / "reports.parquet"]
    for generator in ("warehouse2", "warehouse3", "warehouse4"):
        paths += sorted((root / "benchmarks" / generator / "sets").glob("*/reports.parquet"))
    texts = [pd.read_parquet(p, columns=["text"])["text"].astype(object) for p in paths if p.exists()]
    return pd.concat(texts, ignore_index=True) if texts else pd.Series([], dtype=object)


def test_text_facts_filter_drops_no_date_nor_head():
    """The RE2 filter before the date and head searches (STATED_DATE_PATTERNS) changes no fact: every
    text a date search or the head pattern finds something in is kept."""
    from radlink.linkage.patterns import HEAD_ASCII_PATTERN
    from radlink.linkage.report_text import (
        STATED_DATE_PATTERNS,
        _arrow_matches,
        _arrow_text,
        _date_times_in,
        _may_match,
        _searched_date_times,
        upper_ascii_openings,
    )

    texts = _development_texts()
    if len(texts) < 1000:
        pytest.skip("development warehouse sets not present")
    up, _ = upper_ascii_openings(texts, 600, 120)
    values = _arrow_text(up)
    may = _may_match(values, (*STATED_DATE_PATTERNS, HEAD_ASCII_PATTERN))
    filtered = _date_times_in(up, values, may=may)
    full = _searched_date_times(up, values)  # every text searched
    np.testing.assert_array_equal(filtered[0], full[0])
    np.testing.assert_array_equal(filtered[1], full[1])
    assert (~np.isnat(full[0])).sum() > 1000  # the sets state dates: the comparison means something
    assert not may.all()  # and the filter rules texts out
    heads = _arrow_matches(values, HEAD_ASCII_PATTERN)
    assert heads.any() and not (heads & ~may).any()


def test_accession_serial_same_as_pandas_strings():
    """accession_serial's arrow path (ASCII texts) reads the serial pandas' string methods read."""
    from radlink.linkage.report_exam import SERIAL_DIGITS, accession_serial

    def reference(values):
        digits = pd.Series(values, dtype=object).astype("string").str.replace(r"\D+", "", regex=True)
        tail = digits.str.slice(-SERIAL_DIGITS)
        ok = (tail.str.len() == SERIAL_DIGITS).fillna(False).to_numpy(dtype=bool)
        out = np.full(len(values), -1, dtype=np.int64)
        out[ok] = tail[ok].astype(np.int64).to_numpy()
        return out

    rng = np.random.default_rng(13)
    chars = list("0123456789") * 5 + list("ABC-/ _.x") + ["\n", "é", "\u0663", "\u0967", "²"]
    values = ["".join(rng.choice(chars, size=int(rng.integers(0, 16)))) for _ in range(3000)]
    values += [None, np.nan, "", "0002429-C", "C230002429", "RIS23000001629", "12", 123456, 12.0, "٣٤٥٦٧"]
    got = accession_serial(pd.Series(values, dtype=object))
    np.testing.assert_array_equal(got, reference(values))
    assert (got >= 0).sum() > 1000


def test_compared_dates_by_lines_same_as_whole_text_search():
    """_compared_in searches only the lines holding a comparison word: the dates are those the
    whole-text search gives, on fuzzed lines and on the texts of every development set."""
    from radlink.linkage.patterns import COMPARED_DATE_PATTERN
    from radlink.linkage.report_text import _COMPARED_RE, _compared_in, _dates_of_opening

    words = ["COMPARAISON : ", "EXAMEN DE REFERENCE : ", "PAR RAPPORT AU SCANNER DU ", "PRECEDENT ", "TEP DU ",
             "15/07/2024", "3 MARS 2021", "1ER AVRIL 2020", "12.03.21", "2024", "\n", " ", "X" * 70, "1"]
    up = pd.Series(_fuzz(words, 3000, 8) + [None, ""], dtype=object)
    texts = _development_texts()
    if len(texts):
        up = pd.concat([up, upper_ascii(texts, 1500)], ignore_index=True)
    expected = _dates_of_opening(up, COMPARED_DATE_PATTERN, _COMPARED_RE)
    np.testing.assert_array_equal(_compared_in(up), expected)
    assert (~np.isnat(expected)).sum() > 100


def test_written_numbers_subset_same_as_a_fresh_read():
    """WrittenNumbers.subset hands the numbers read already to a run on some of the texts (the
    sampled delay fit): the same numbers, in the same order, as that run reading them itself."""
    from radlink.linkage.report_text import WrittenNumbers

    words = ["N° examen : ", "41072342", "RX-2000-8285", "Comparaison avec l'examen n° ", "DM100003",
             "Date : 19/04/2023", "\n", " ", "é", "ß12345", "x"]
    texts = np.array(_fuzz(words, 400, 8) + [None, ""], dtype=object)
    rng = np.random.default_rng(7)
    parent = WrittenNumbers(texts)
    parent.of(rng.choice(len(texts), size=len(texts) // 2, replace=False))  # some texts read already
    rows = rng.permutation(len(texts))[: len(texts) * 2 // 3]
    asked = rng.choice(len(rows), size=len(rows) // 2, replace=False)
    got = parent.subset(rows)
    fresh = WrittenNumbers(texts[rows])
    for ask in (asked, np.arange(len(rows))):
        for a, b in zip(got.of(ask), fresh.of(ask), strict=True):
            np.testing.assert_array_equal(a, b)
    assert len(fresh.of(np.arange(len(rows)))[0]) > 50
