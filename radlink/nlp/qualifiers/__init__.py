"""``radlink.qualifiers``: negation, hypothesis and comparison scoped to a clause."""

from .qualifiers import ImagingQualifiers, Qualifiers, clause_cues, cue_scanners, qualify

__all__ = ["ImagingQualifiers", "Qualifiers", "clause_cues", "cue_scanners", "qualify"]
