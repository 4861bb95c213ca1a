"""``radlink.lesions``: lesion and reference findings with site, size, SUVmax, qualifiers."""

from .lesions import Finding, LesionMatcher, find_findings, findings_regions, report_findings

__all__ = ["Finding", "LesionMatcher", "find_findings", "findings_regions", "report_findings"]
