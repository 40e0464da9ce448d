"""A finding is one thing wrong with an input file: the long format of CFPB's regtech-data-validator
(row number in the file, column, value, check, message). Every check of every layer produces these."""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    check: str                 # short, stable name of the check ("number", "required_columns", "polaritas" …)
    message: str               # what a person reads: what was found and what was expected
    row: int | None = None     # row number in the file as a person sees it (1-based); None for the whole file
    column: str | None = None  # the column's label in the export
    value: str | None = None   # the offending value as text


# Control characters and the invisible ones that reorder or hide text (bidi overrides, zero-width): a file name
# or cell holding them could forge or hide a line on a terminal or in a log.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """Text from a file as it may be shown on a terminal or in a log: every control or invisible character
    written as an escape (a newline as \\n, ESC as \\x1b), nothing else changed."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates: a name that was no UTF-8
    return _UNPRINTABLE.sub(lambda m: _NAMED.get(m[0]) or (f"\\x{ord(m[0]):02x}" if ord(m[0]) < 256
                                                           else f"\\u{ord(m[0]):04x}"), text)


def safe_text(name: str) -> str:
    """A path's text with the bytes that were no UTF-8 (kept by Python as lone surrogates) written as \\xff:
    tables, logs and JSON take it."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
