"""``radlink.suvmax``: SUVmax values with their role (lesion, reference, previous)."""

from .suvmax import SuvmaxMatcher, SuvValue, find_suv_values

__all__ = ["SuvValue", "SuvmaxMatcher", "find_suv_values"]
