"""``radlink.indication``: the indication paragraph and its category."""

from .indication import IndicationExtractor, categorize_indication, find_indication

__all__ = ["IndicationExtractor", "categorize_indication", "find_indication"]
