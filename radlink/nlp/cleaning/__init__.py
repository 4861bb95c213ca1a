"""``radlink.cleaning``: HTML residue and placeholders removed, offsets mapped back."""

from .cleaning import CleanedText, TextCleaner, capitals_unwrapped, clean_text, is_capitals

__all__ = ["CleanedText", "TextCleaner", "capitals_unwrapped", "clean_text", "is_capitals"]
