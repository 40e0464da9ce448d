"""What a source is, as data: `Kind` (title, columns and their labels, key, period rule, start date, the
Pandera model and the checks across rows). Each source is declared once, beside its Pandera model, in
`simetris.py`, `sakti.py` and `sipt.py`; the readers and the validation both read that one declaration.
docs/formats.md is the human version."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import pandera.polars as pa
import polars as pl

from sakip.findings import Finding

MONTH_COLUMNS = [f"B{m:02d}" for m in range(1, 13)]
RPD_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
              "Oktober", "November", "Desember"]


_NOT_IN_KEY = r"[^0-9a-z%]"  # what a header key leaves out, once lowercased


@lru_cache(maxsize=65536)  # called for every cell of every header candidate of every file
def header_key(label: str | None) -> str:
    """Compare header labels without case, spaces and punctuation ('Realisasi s.d. Periode' =
    'REALISASI SD PERIODE')."""
    return re.sub(_NOT_IN_KEY, "", (label or "").lower())


def header_key_of(cells: pl.Expr) -> pl.Expr:
    """`header_key` of every cell of a column (looking for a page header repeated in the data)."""
    return cells.str.to_lowercase().str.replace_all(_NOT_IN_KEY, "")


@dataclass(frozen=True)
class Col:
    name: str            # canonical snake_case name, used in raw tables
    label: str           # the label in the export, used in messages
    type: str            # code | text | number | int | date | month
    required: bool = True
    aliases: tuple[str, ...] = ()

    def keys(self) -> frozenset[str]:
        return frozenset(header_key(x) for x in (self.label, *self.aliases))


@dataclass(frozen=True)
class Kind:
    name: str                      # the raw table's name
    title: str                     # what a person calls it
    columns: tuple[Col, ...]
    period: str                    # how the file's period is found: "year" | "max_bulan" | "title_periode"
    model: type[pa.DataFrameModel]  # the checks of each row (and of a row's columns against each other)
    key: tuple[str, ...] = field(default=())  # columns that identify a row (duplicates are refused)
    starts: str | None = None      # the date a record starts on: its year is the export's year (validated)
    # checks across rows the model can't express (a SAKTI subtotal against its leaves): each is given the source's
    # files stacked, `_file` numbering them, and returns (file number, finding) pairs
    structural: tuple[Callable[[pl.DataFrame], list[tuple[int, Finding]]], ...] = ()
    # a failed dataframe check of the model → (the column it is about, what was expected)
    messages: dict[str, tuple[str, str]] = field(default_factory=dict, hash=False, compare=False)

    @property
    def required(self) -> list[Col]:
        return [c for c in self.columns if c.required]
