"""Readers and writers for import and export files: CSV, JSON and iCalendar.

Readers turn a file into raw rows (plain dicts, each with the line it came from) and
a list of problems; they never touch the database. Validation and writing belong to
``services.imports``; streaming records out belongs to ``services.exports``.
"""

from .text import RawRow, decode_text, infer_format, infer_record_type

__all__ = ["RawRow", "decode_text", "infer_format", "infer_record_type"]
