"""``radlink.sections``: imaging report sections and PET étages."""

from .sections import (
    ImagingSections,
    doc_sections,
    find_etages,
    find_report_sections,
    find_sections,
)

__all__ = ["ImagingSections", "doc_sections", "find_etages", "find_report_sections", "find_sections"]
