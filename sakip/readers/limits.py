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

from sakip.i18n import _
from sakip.report.format import angka

FILE = "batas_berkas.csv"
# field of Limits → name in batas_berkas.csv (the planners' words)
NAMES = {"bytes": "ukuran_berkas", "uncompressed": "ukuran_terurai", "rows": "baris", "columns": "kolom",
         "cells": "sel", "cell_characters": "karakter_sel", "sheet_characters": "karakter_lembar",
         "findings": "temuan_disimpan"}


@dataclass(frozen=True)
class Limits:
    bytes: int             # of the file
    uncompressed: int      # of an xlsx's parts, unzipped
    rows: int
    columns: int
    cells: int             # rows × columns of a sheet's grid
    cell_characters: int
    sheet_characters: int  # of all the cells of a sheet together
    findings: int          # findings kept per refused file (all are counted)


class OverLimit(Exception):
    """The file passes a limit: refused before it is parsed. `what` says what was found."""

    def __init__(self, field: str, what: str, limits: Limits):
        self.field = field
        super().__init__(_("{what}: the limit is {limit} ({name} in {file}); the file was not loaded").format(
            what=what, limit=angka(getattr(limits, field), 0), name=NAMES[field], file=FILE))


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
            raise ValueError(_("{path}: unknown limit '{name}' (known: {known})").format(
                path=path, name=name, known=", ".join(NAMES.values())))
        if not value.isdigit() or int(value) <= 0:
            raise ValueError(_("{path}: the limit {name} must be a whole number above 0, found '{value}'").format(
                path=path, name=name, value=value))
        out[name] = int(value)
    return out


def current() -> Limits:
    from sakip.warehouse.db import reference_dir
    return load(reference_dir())


# ---------------------------------------------------------------------------------------------- xlsx
ZIP_MAGIC = b"PK\x03\x04"
_COUNT_ATTRIBUTE = re.compile(rb"""(?:uniqueCount|count)\s*=\s*["']\s*([0-9]+)""")


def check_xlsx(content: bytes, limits: Limits) -> None:
    """Refuse (OverLimit) a workbook the xlsx engine would blow up on, before it sees it: parts that unzip past
    the limit (each inflated with a cap: a declared size may lie), shared strings that declare more entries
    than the cells limit (the engine reserves that many), sheets whose grid passes the rows, columns or cells
    limits, alone or together, or whose cells would hold more characters than a sheet may. Sheets and shared
    strings are found by their content, whatever the part's name (the engine follows the workbook's links).
    Raises zipfile.BadZipFile for what is no zip at all."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    total = 0
    sheets, shared = [], None
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise zipfile.BadZipFile(f"{info.filename} is encrypted")
        part = _inflate(content, info, limits.uncompressed - total, limits)
        total += len(part)
        head = part[:4096]
        if b"sst" in head and (b"<sst" in head or b":sst" in head):
            declared = max((int(n) for n in _COUNT_ATTRIBUTE.findall(head)), default=0)
            if declared > limits.cells:
                raise OverLimit("cells", _("its shared strings declare {count} entries").format(
                    count=angka(declared, 0)), limits)
            shared = part
        elif b"sheetData" in part:
            sheets.append((info.filename, part))
    lengths = _shared_lengths(shared) if shared is not None else None
    area = 0
    for name, part in sheets:
        area += _check_sheet(part, name, lengths, limits)
    if area > limits.cells:
        raise OverLimit("cells", _("its {sheets} sheets span {cells} cells together").format(
            sheets=len(sheets), cells=angka(area, 0)), limits)


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
        raise OverLimit("uncompressed", _("unzipped, its parts hold more than {bytes} bytes").format(
            bytes=angka(limits.uncompressed, 0)), limits)
    return part


# A reference (r="AB12" on a cell, r="12" on a row), however quoted or spaced; a cell; a cell of a shared string
_REF = r"""\sr\s*=\s*["'][A-Za-z]*[0-9]+"""
_CELL = r"<(?:\w+:)?c[\s>/]"
_SHARED_CELL = r"""<(?:\w+:)?c\s[^>]*\bt\s*=\s*["']s["'][^>]*>\s*<(?:\w+:)?v>\s*[0-9]+"""
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"
_COLUMN_LETTERS = 3  # XFD, the last column of Excel


def _text(xml: bytes) -> pl.Series:
    text = pl.Series([xml]).cast(pl.String, strict=False)
    return pl.Series([xml.decode("utf-8", "replace")]) if text.null_count() else text


def _shared_lengths(xml: bytes) -> pl.Series:
    """Bytes of each shared string's entry (its text and tags: at least its characters), by index."""
    return _text(xml).str.split("<si").explode().slice(1).str.len_bytes().cast(pl.Int64)


def _check_sheet(xml: bytes, name: str, shared: pl.Series | None, limits: Limits) -> int:
    """The grid the xlsx engine will allocate for this sheet, checked against the limits; returns its cells.
    The engine allocates every cell from the first to the last row and column that hold one, whatever the
    sheet declares (measured). Cheap path: the declared dimension, verified by one pass that finds no
    reference beyond it, nor one written oddly, nor a cell without one (Excel's own files). Otherwise every
    reference is read (`_measured_extent`)."""
    what = _("the sheet {name}").format(name=name.rsplit("/", 1)[-1])
    text = _text(xml)
    declared = _DIMENSION.search(xml, 0, 4096)
    rows = columns = None
    if declared:
        last_letters, last_row = (declared[3], declared[4]) if declared[3] else (declared[1], declared[2])
        rows, columns = int(last_row), _column_number(last_letters.decode())
        if rows > limits.rows or columns > limits.columns or \
                text.str.count_matches(_beyond(rows, last_letters.decode())).item():
            rows = columns = None  # too large to trust, or something lies beyond it: measure
    if rows is None:
        rows, columns = _measured_extent(text, xml)
    check_grid(rows, columns, limits, what)
    if shared is not None and len(shared) and rows * columns * int(shared.max() or 0) > limits.sheet_characters:
        _check_characters(text, shared, what, limits)
    return rows * columns


_DIMENSION = re.compile(rb"""<(?:\w+:)?dimension\s+ref\s*=\s*["']([A-Z]{1,3})([1-9][0-9]{0,6})"""
                        rb"""(?::([A-Z]{1,3})([1-9][0-9]{0,6}))?["']""")
# a reference's start, however quoted or spaced; a cell tag with no attribute named r
_REF_START = r"""\sr\s*=\s*["']"""
_CELL_WITHOUT_REF = (r"""<(?:\w+:)?c(?:\s+(?:[^r\s=/>][^\s=/>]*|r[^\s=/>]+)\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""")


def _beyond(rows: int, letters: str) -> str:
    """A pattern that finds any reference past row `rows` or column `letters`, written in other than capitals
    and plain digits, or any cell without a reference: none found, the declared dimension is the grid."""
    return "|".join([
        _REF_START + "(?:" + _greater(letters, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") + ")[0-9]",
        _REF_START + "[A-Z]*(?:" + _greater(str(rows), "0123456789") + ")[\"']",
        _REF_START + "[A-Z]*[^A-Z0-9\"']",  # lowercase, another script, a space inside
        _REF_START + "[A-Z]*0",  # a leading zero
        _CELL_WITHOUT_REF,
    ])


def _greater(value: str, alphabet: str) -> str:
    """A pattern for the strings over `alphabet` (no leading zero for digits) greater than `value` in that
    alphabet's order: longer ones, or as long and greater at the first place they differ."""
    first = alphabet[1:] if alphabet[0] == "0" else alphabet
    klass = f"[{alphabet[0]}-{alphabet[-1]}]"
    options = [f"[{first[0]}-{first[-1]}]{klass}{{{len(value)},}}"]
    for i, ch in enumerate(value):
        above = alphabet[alphabet.index(ch) + 1:]
        if above:
            rest = f"{klass}{{{len(value) - i - 1}}}" if i < len(value) - 1 else ""
            options.append(re.escape(value[:i]) + f"[{above[0]}-{above[-1]}]" + rest)
    return "|".join(options)


def _measured_extent(text: pl.Series, xml: bytes) -> tuple[int, int]:
    """Rows and columns from every reference: a cell without one goes to the row its row element names, or
    the next one, and the next column. One regex pass and plain string operations, no per-cell Python."""
    found = text.to_frame("x").select(pl.col("x").str.extract_all(_REF).alias("refs"),
                                      pl.col("x").str.count_matches(_CELL).alias("cells")).row(0)
    refs = pl.Series(found[0], dtype=pl.String).str.extract(r"""["']([A-Za-z]*[0-9]+)""", 1)
    digits = refs.str.strip_chars_start(_LETTERS).str.slice(0, 10).cast(pl.Int64)
    letters = refs.str.strip_chars_end(_DIGITS).str.to_uppercase()
    on_cells = letters.str.len_bytes() > 0
    rows = int(digits.filter(on_cells).max() or 0)
    columns = max((_column_number(code) for code in letters.filter(on_cells).unique().to_list()), default=0)
    if found[1] > int(on_cells.sum()):
        rows = int(digits.max() or 0) + xml.count(b"row>") + xml.count(b"row ")
        columns += int(text.str.split("row").explode().str.count_matches(_CELL).max() or 0)
    return rows, columns


def _check_characters(text: pl.Series, shared: pl.Series, what: str, limits: Limits) -> None:
    """The engine copies a shared string into every cell that points to it: a 32,000-character string in
    80,000 cells is 2.5 billion characters from a 400 KB file. Counted exactly (called when the cheap bound,
    every cell of the grid holding the longest string, passes the limit)."""
    indices = text.str.extract_all(_SHARED_CELL).explode().drop_nulls().str.extract(r"([0-9]+)\s*$", 1) \
        .cast(pl.Int64, strict=False).drop_nulls()
    indices = indices.filter(indices < len(shared))
    total = int(shared.gather(indices).sum() or 0)
    if total > limits.sheet_characters:
        raise OverLimit("sheet_characters", _("{what} would hold {count} characters").format(
            what=what, count=angka(total, 0)), limits)


def _column_number(letters: str) -> int:
    """A=1, Z=26, AA=27 … XFD=16384; past three letters, beyond any limit."""
    if len(letters) > _COLUMN_LETTERS:
        return 26 ** len(letters)
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def check_grid(rows: int, columns: int, limits: Limits, what: str) -> None:
    """`what`: the grid, for a person ("the sheet Data", "the CSV"), in the language of the run."""
    if rows > limits.rows:
        raise OverLimit("rows", _("{what} has {rows} rows").format(what=what, rows=angka(rows, 0)), limits)
    if columns > limits.columns:
        raise OverLimit("columns", _("{what} has {columns} columns").format(what=what, columns=angka(columns, 0)),
                        limits)
    if rows * columns > limits.cells:
        raise OverLimit("cells", _("{what} spans {rows} rows × {columns} columns = {cells} cells").format(
            what=what, rows=angka(rows, 0), columns=angka(columns, 0), cells=angka(rows * columns, 0)), limits)
