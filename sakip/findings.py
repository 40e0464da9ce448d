"""A finding is one thing wrong with an input file: the long format of CFPB's regtech-data-validator
(row number in the file, column, value, check, message). Every check of every layer produces these."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    check: str                 # short, stable name of the check ("number", "required_columns", "polaritas" …)
    message: str               # what a person reads: what was found and what was expected
    row: int | None = None     # row number in the file as a person sees it (1-based); None for the whole file
    column: str | None = None  # the column's label in the export
    value: str | None = None   # the offending value as text
