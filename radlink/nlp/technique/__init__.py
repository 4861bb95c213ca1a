"""``radlink.technique``: injected activity, glycemia, delay after injection, device."""

from .technique import TechniqueExtractor, find_technique, normalise_glycemia

__all__ = ["TechniqueExtractor", "find_technique", "normalise_glycemia"]
