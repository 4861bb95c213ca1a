"""Tables written in reports: what each column holds, read from the header row."""

from .columns import aligned_tables, column_meanings, is_reference_row

__all__ = ["aligned_tables", "column_meanings", "is_reference_row"]
