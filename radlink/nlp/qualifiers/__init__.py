"""``radlink.qualifiers``: negation, hypothesis and comparison scoped to a clause."""

from .qualifiers import ImagingQualifiers, Qualifiers, clause_cues, qualify

__all__ = ["ImagingQualifiers", "Qualifiers", "clause_cues", "qualify"]
