"""``radlink.cleaning``: HTML residue and placeholders removed, offsets mapped back."""

from .cleaning import CleanedText, TextCleaner, clean_text

__all__ = ["CleanedText", "TextCleaner", "clean_text"]
