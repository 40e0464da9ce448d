"""Limits on one input file, and the checks that apply them before the file is parsed. A file past a limit is
refused with a message naming the limit; it is never parsed (a hostile workbook can make the xlsx engine
allocate a grid of 17 billion cells, or inflate one cell to a gigabyte). The limits are reference data
(`batas_berkas.csv`), with defaults far above any real export."""
from __future__ import annotations

import functools
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

FILE = "batas_berkas.csv"
# field of Limits → name in batas_berkas.csv (the planners' words)
NAMES = {"bytes": "ukuran_berkas", "uncompressed": "ukuran_terurai", "rows": "baris", "columns": "kolom",
         "cells": "sel", "cell_characters": "karakter_sel", "findings": "temuan_disimpan"}


@dataclass(frozen=True)
class Limits:
    bytes: int             # of the file
    uncompressed: int      # of an xlsx's parts, unzipped
    rows: int
    columns: int
    cells: int             # rows × columns of a sheet's grid
    cell_characters: int
    findings: int          # findings kept per refused file (all are counted)


class OverLimit(Exception):
    """The file passes a limit: refused before it is parsed. `what` says what was found."""

    def __init__(self, field: str, what: str, limits: Limits):
        self.field = field
        super().__init__(f"{what}: the limit is {_n(getattr(limits, field))} ({NAMES[field]} in {FILE}); "
                         "the file was not read")


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def load(directory: Path) -> Limits:
    """The limits of `directory`/batas_berkas.csv; a limit it does not name keeps the bundled value."""
    from sakip.warehouse.db import BUNDLED_REFERENCE
    return _load(directory / FILE if (directory / FILE).exists() else BUNDLED_REFERENCE / FILE,
                 BUNDLED_REFERENCE / FILE)


@functools.cache
def _load(path: Path, bundled: Path) -> Limits:
    values = _values(bundled)
    if path != bundled:
        values.update(_values(path))
    return Limits(**{field: values[name] for field, name in NAMES.items()})


def _values(path: Path) -> dict[str, int]:
    frame = pl.read_csv(path, infer_schema=False)
    out = {}
    for name, value in zip(frame.get_column("batas").to_list(), frame.get_column("nilai").to_list()):
        name, value = (name or "").strip(), (value or "").strip()
        if name not in NAMES.values():
            raise ValueError(f"{path}: unknown limit '{name}' (known: {', '.join(NAMES.values())})")
        if not value.isdigit() or int(value) <= 0:
            raise ValueError(f"{path}: the limit {name} must be a whole number above 0, found '{value}'")
        out[name] = int(value)
    return out


def current() -> Limits:
    from sakip.warehouse.db import reference_dir
    return load(reference_dir())


# ---------------------------------------------------------------------------------------------- xlsx
_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.I)


def check_xlsx(content: bytes, limits: Limits) -> None:
    """Refuse (OverLimit) a workbook whose parts unzip past the limit or whose sheets span a grid past the
    rows, columns or cells limits; the xlsx engine is never handed such a file. Each part is inflated with a
    cap (a part's declared size may lie); a sheet's extent is read from its cells' references, not from its
    declared dimension (which may lie too). Raises zipfile.BadZipFile for what is no zip at all."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    total = 0
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise zipfile.BadZipFile(f"{info.filename} is encrypted")
        part = _inflate(content, info, limits.uncompressed - total, limits)
        total += len(part)
        if _WORKSHEET.match(info.filename):
            _check_extent(part, info.filename, limits)


def _inflate(content: bytes, info: zipfile.ZipInfo, budget: int, limits: Limits) -> bytes:
    """The part's bytes, inflated from where the central directory places them, at most `budget` of them."""
    header = content[info.header_offset: info.header_offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"{info.filename}: no local header where the directory places it")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = info.header_offset + 30 + name_length + extra_length
    raw = content[start: start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        part = raw[: budget + 1]
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        try:
            part = zlib.decompressobj(-15).decompress(raw, budget + 1)
        except zlib.error as exc:
            raise zipfile.BadZipFile(f"{info.filename}: {exc}") from None
    else:
        raise zipfile.BadZipFile(f"{info.filename} is compressed with method {info.compress_type}, which "
                                 "spreadsheets do not use")
    if len(part) > budget:
        raise OverLimit("uncompressed", f"unzipped, its parts hold more than {_n(limits.uncompressed)} bytes", limits)
    return part


# A cell's reference (r="AB12")
_REF = r'\sr="[A-Z]+[0-9]+'
_LETTERS, _DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
_COLUMN_LETTERS = 3  # XFD, the last column of Excel


def _check_extent(xml: bytes, name: str, limits: Limits) -> None:
    """The grid the xlsx engine will allocate for this sheet: up to the last row and column that hold a cell
    (measured: it allocates that grid whatever the sheet declares). A cell without a reference takes the next
    position: counted as such (files written by Excel reference every cell). Empty rows allocate nothing.
    Plain string operations after one regex, no per-cell Python: ~8 ms per MB of sheet."""
    text = pl.Series([xml]).cast(pl.String, strict=False)
    if text.null_count():
        text = pl.Series([xml.decode("utf-8", "replace")])
    cell = r"<(?:\w+:)?c[\s>/]"
    found = text.to_frame("x").select(pl.col("x").str.extract_all(_REF).alias("refs"),
                                      pl.col("x").str.count_matches(cell).alias("cells")).row(0)
    refs = pl.Series(found[0], dtype=pl.String).str.slice(4)
    rows = int(refs.str.strip_chars_start(_LETTERS).str.slice(0, 10).cast(pl.Int64).max() or 0)
    columns = max((_column_number(letters) for letters in refs.str.strip_chars_end(_DIGITS).unique().to_list()),
                  default=0)
    if found[1] > refs.len():
        rows += xml.count(b"row>") + xml.count(b"row ")  # every row element may move the next cell down
        columns += int(text.str.split("row").explode().str.count_matches(cell).max() or 0)
    check_grid(rows, columns, limits, f"the sheet {name.rsplit('/', 1)[-1]}")


def _column_number(letters: str) -> int:
    """A=1, Z=26, AA=27 … XFD=16384; past three letters, beyond any limit."""
    if len(letters) > _COLUMN_LETTERS:
        return 26 ** len(letters)
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def check_grid(rows: int, columns: int, limits: Limits, what: str) -> None:
    if rows > limits.rows:
        raise OverLimit("rows", f"{what} has {_n(rows)} rows", limits)
    if columns > limits.columns:
        raise OverLimit("columns", f"{what} has {_n(columns)} columns", limits)
    if rows * columns > limits.cells:
        raise OverLimit("cells", f"{what} spans {_n(rows)} rows × {_n(columns)} columns = {_n(rows * columns)} "
                                 "cells", limits)
