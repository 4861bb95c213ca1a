"""``radlink.indication``: the indication paragraph and its category."""

from .indication import (
    IndicationExtractor,
    categorize_indication,
    find_indication,
    is_indication_title_word,
)

__all__ = ["IndicationExtractor", "categorize_indication", "find_indication", "is_indication_title_word"]
