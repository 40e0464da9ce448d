"""Readers: an export file (xlsx or csv, as it came out of SIMETRIS or SAKTI) → a typed polars frame with
canonical column names, the row number of each row in the file, and what the file says about itself
(kind, satker, period, export date). Nothing is refused here silently: every cell that can't be parsed and
every structural problem becomes a Finding."""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import logging
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import polars as pl

from sakip.findings import Finding
from sakip.i18n import N_, _
from sakip.periods import today
from sakip.readers.limits import ZIP_MAGIC, Limits, OverLimit, check_grid, check_xlsx
from sakip.readers.parse import (
    MONTHS_ID,
    clean,
    code,
    distinct_value,
    integer,
    number,
    number_value,
    parse_number,
    parse_one_date,
    text,
    unparsed,
)
from sakip.report.format import angka
from sakip.schemas import KINDS
from sakip.schemas.kind import Col, Kind, header_key, header_key_of

# calamine warns about every all-empty column (months without a target): expected, not worth a person's time.
logging.getLogger("fastexcel").setLevel(logging.ERROR)

HEADER_SEARCH_ROWS = 30
SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


@dataclass
class Export:
    path: Path
    kind: Kind | None
    data: pl.DataFrame | None = None       # canonical columns + `_row` (row number in the file)
    sheet: str | None = None
    header_row: int | None = None          # 1-based
    satker: str | None = None
    satker_name: str | None = None
    tahun: int | None = None
    bulan: int | None = None               # the file's period (month), None for yearly sources
    exported_at: dt.date | None = None
    findings: list[Finding] = field(default_factory=list)
    omitted: int = 0                       # findings counted but not built (past the limit of those kept)
    inferred: str | None = None            # how the period was found when no title row gives it

    @property
    def period(self) -> str | None:
        if self.tahun is None:
            return None
        return f"{self.tahun}" if self.bulan is None else f"{self.tahun}-{self.bulan:02d}"


class UnreadableFile(Exception):
    """The file can't be opened as a spreadsheet or a text table at all; the message says why, for a person
    (a sentence about "the file", in the language of the run)."""



# ---------------------------------------------------------------------------------------------- grids
@dataclass
class _Grid:
    cells: pl.DataFrame                    # every row of the sheet as text (columns c0, c1, …; blank → null)
    head: list[list[str | None]]           # the first rows as lists, where the header and title rows are sought
    style: str                             # how numbers in text cells are written: id | plain | xlsx
    typed: dict[int, pl.Series] = field(default_factory=dict)  # xlsx: number columns read as numbers, from
    sheet: str | None = None               # the first data row on, where their text is ambiguous
    reader: fastexcel.ExcelReader | None = None  # xlsx: the open workbook, reused for the typed reload


def _grid(cells: pl.DataFrame, style: str, limits: Limits, what: str, **kw) -> _Grid:
    check_grid(cells.height, cells.width, limits, what)
    cells = cells.select(
        pl.when(pl.col(c).str.strip_chars() != "").then(pl.col(c)).alias(f"c{j}") for j, c in enumerate(cells.columns)
    )
    head = [list(r) for r in cells.head(HEADER_SEARCH_ROWS + 1).iter_rows()]
    return _Grid(cells, head, style, **kw)


def _decode(raw: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _csv_grids(content: bytes, limits: Limits) -> Iterator[_Grid]:
    """The file split by ';' (Indonesian numbers), then, only if no header was found that way, by ','."""
    if (nul := content.find(b"\x00")) >= 0:
        raise UnreadableFile(_("the file holds binary data, not text (a NUL byte at byte {position}); a CSV export "
                               "is text (save a 'Unicode text' file again as CSV UTF-8)").format(position=nul + 1))
    text = _decode(content)
    if "\n" not in text and "\r" in text:  # lines ended by CR alone (Excel's "CSV (Macintosh)")
        text = text.replace("\r", "\n")
    lines = text.count("\n") + 1
    if lines > limits.rows:  # before splitting: every row becomes Python objects
        check_grid(lines, 1, limits, _("the CSV"))
    for sep, style in ((";", "id"), (",", "plain")):
        if sep == ";":
            # the header is sought in the first rows only: when they hold none split by ';', the whole file is
            # not split that way for nothing (a file written with ',' is read once, not twice)
            head = [[c if c.strip() else None for c in row] for row in
                    _csv_rows(text, sep, limits, stop=HEADER_SEARCH_ROWS + 1)]
            if _find_header(head) is None:
                yield _Grid(pl.DataFrame(), head, style)
                continue
        cells = _split_plain(text, sep, limits)
        if cells is None:
            rows = _csv_rows(text, sep, limits)
            width = max((len(r) for r in rows), default=0)
            columns = list(zip(*(r + [""] * (width - len(r)) for r in rows))) if rows else []
            cells = pl.DataFrame({f"c{j}": pl.Series(values=list(c), dtype=pl.String) for j, c in enumerate(columns)})
        yield _grid(cells, style, limits, _split_by(sep))


def _split_plain(text: str, sep: str, limits: Limits) -> pl.DataFrame | None:
    """The cells of a CSV without quotes, split by polars instead of Python's csv module and lists (a national
    month's CSV files: 0.89 -> 0.35 s). Without a quote a row is a line and a cell what lies between separators,
    so the cells are those `_csv_rows` gives (a short row's missing cells null, not "": `_grid` makes both null).
    None, for `_csv_rows` to read it with its checks and messages, when the text has a quote or a CR that ends
    no line (the csv module refuses it), a row of one cell at most, or a line past the columns, cells or
    cell-characters limits (counted here as at least `_csv_rows` counts them)."""
    if '"' in text or text.count("\r") != text.count("\r\n"):
        return None
    body = text[:-1] if text.endswith("\n") else text  # the csv module reads no row after the last newline
    lines = pl.Series([body]).str.split("\n").explode().str.strip_suffix("\r")
    widths = lines.str.count_matches(sep, literal=True) + 1
    width, total = int(widths.max()), int(widths.sum())
    if width <= 1 or width > limits.columns or total > limits.cells or \
            int(lines.str.len_chars().max()) > limits.cell_characters:
        return None
    split = lines.str.split(sep).to_frame("cells")
    return split.select(pl.col("cells").list.get(j, null_on_oob=True).alias(f"c{j}") for j in range(width))


def _split_by(sep: str) -> str:
    return _("the CSV split by '{separator}'").format(separator=sep)


def _csv_rows(text: str, sep: str, limits: Limits, stop: int | None = None) -> list[list[str]]:
    """The rows of a CSV, refused past the columns, cells or cell-characters limits as they are read (`stop`:
    only the first rows, as far as they go)."""
    rows: list[list[str]] = []
    cells, start, end = 0, 1, 0
    starts: list[int] = []  # the line each row starts on
    previous = csv.field_size_limit(limits.cell_characters)
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    try:
        for row in reader if stop is None else itertools.islice(reader, stop):
            start, end = end + 1, reader.line_num
            starts.append(start)
            rows.append(row)
            cells += len(row)
            if len(row) > limits.columns or cells > limits.cells:
                check_grid(len(rows), max(len(row), cells // len(rows)), limits, _split_by(sep))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise OverLimit("cell_characters", _("a cell from line {line} on holds more than {count} characters")
                            .format(line=end + 1, count=angka(limits.cell_characters, 0)), limits) from None
        raise UnreadableFile(_("the file cannot be split into rows at line {line} ({error})").format(
            line=reader.line_num, error=exc)) from None
    finally:
        csv.field_size_limit(previous)
    if stop is not None:
        return rows
    if text.count('"') % 2 and rows and any("\n" in cell for cell in rows[-1]):
        # the last row ran to the end of the file inside a quote: the rest of the file would be one cell
        raise UnreadableFile(_("the file has a quote (\") opened on line {line} that is never closed: the rest of "
                               "the file would be read as one cell").format(line=start))
    if end > len(rows):  # some quoted cell spans lines: it must not hold rows of the file
        _no_rows_inside_cells(rows, starts, sep)
    return rows


def _no_rows_inside_cells(rows: list[list[str]], starts: list[int], sep: str) -> None:
    """A quote opened in one row and closed in a later one reads the rows between as one cell: they would
    vanish without a finding. A cell is refused when a line inside it holds the separator as a row does."""
    width = max(len(row) for row in rows)
    for row, start in zip(rows, starts):
        for cell in row:
            if "\n" in cell and any(line.count(sep) >= max(2, width - 2) for line in cell.split("\n")):
                raise UnreadableFile(_("the file has a quoted cell from line {line} that holds whole rows of the "
                                       "file (a quote (\") opened there closes {lines} lines later): they would be "
                                       "read as one cell").format(line=start, lines=cell.count("\n")))


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of .xls (and of encrypted .xlsx)


@contextmanager
def _engine_quiet() -> Iterator[None]:
    """The xlsx engine's own messages off the terminal: on a damaged file its Rust panic hook writes "thread
    panicked at …" (and, with RUST_BACKTRACE, a backtrace) to the process's stderr before the panic reaches
    Python as an exception, which then refuses the file with its message."""
    sys.stderr.flush()
    saved = os.dup(2)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)
    os.close(quiet)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _xlsx_grids(content: bytes, limits: Limits) -> Iterator[_Grid]:
    """Each sheet as text, one at a time: the reading stops at the first sheet that holds a known header. A
    workbook is checked against the limits before the xlsx engine sees it."""
    if content[:8] == _OLE_MAGIC:
        raise UnreadableFile(_("the file is an Excel 97-2003 workbook (.xls), which is not read: the xlsx engine "
                               "can't be bounded on it (a 6 KB .xls can make it use 2 GB). Open it in Excel or "
                               "LibreOffice and save it as .xlsx, or export it again as .xlsx or CSV"))
    try:
        if content[:4] == ZIP_MAGIC:  # whatever its name says: the engine goes by the content
            check_xlsx(content, limits)
        with _engine_quiet():
            reader = fastexcel.read_excel(content)
    except OverLimit:
        raise
    except Exception as exc:  # calamine's and zip's errors are many; all mean the same to the user
        raise UnreadableFile(_("the file cannot be opened as a spreadsheet ({error})").format(
            error=f"{exc.__class__.__name__}: {exc}")) from None
    for idx, name in enumerate(reader.sheet_names):
        # skip_rows=0 keeps leading empty rows, so that row numbers are Excel's and match the typed reload
        with _engine_quiet():
            sheet = reader.load_sheet(idx, header_row=None, skip_rows=0, dtypes="string", schema_sample_rows=None)
            batch, errors = sheet.to_arrow_with_errors()
        cells = pl.from_arrow(batch)
        # Excel error cells (#REF!, #DIV/0! …) arrive as None: put their text back so they are refused,
        # not read as "none"
        patches: dict[int, tuple[list[int], list[str]]] = {}
        for error in (errors.errors if errors else []):
            r, c = error.position
            rows, texts = patches.setdefault(c, ([], []))
            rows.append(r)
            texts.append(_excel_error(error.detail))
        for c, (rows, texts) in patches.items():
            name_c = cells.columns[c]
            cells = cells.with_columns(cells[name_c].scatter(rows, texts))
        longest = cells.select(pl.max_horizontal(pl.all().str.len_chars().max())).item() if cells.width else None
        if longest is not None and longest > limits.cell_characters:
            raise OverLimit("cell_characters", _("a cell of the sheet {sheet} holds {count} characters").format(
                sheet=name, count=angka(longest, 0)), limits)
        yield _grid(cells, "xlsx", limits, _("the sheet {name}").format(name=name), sheet=name, reader=reader)


_EXCEL_ERRORS = {"ref": "#REF!", "div0": "#DIV/0!", "value": "#VALUE!", "na": "#N/A", "name": "#NAME?",
                 "num": "#NUM!", "null": "#NULL!"}


def _excel_error(detail: str) -> str:
    m = re.search(r"Error\((\w+)\)", detail)
    return _EXCEL_ERRORS.get(m[1].lower(), f"#{m[1].upper()}") if m else "#ERROR"


# A numeric cell reaches the text grid in plain notation (1.812 → "1.812"), a text cell as written, in
# Indonesian. Only this shape reads differently in the two: where a number column holds it, the column is
# read again as numbers. Dates need no second reading: a date cell's text ("2025-06-30 00:00:00") and date
# text parse alike.
_AMBIGUOUS_NUMBER = r"^-?\d{1,3}\.\d{3}$"


def _load_typed(grid: _Grid, data_start: int, header: _Header) -> None:
    """Reload the data rows of the number columns whose text is ambiguous, read as float. A numeric cell
    keeps its value exactly; a text cell that is no plain number ("1.601.792.883", "Rp 2.613.608,-") comes
    back null and is parsed from its text. (calamine turns text like "1.812" into 1.812 before we see it:
    the one case we can't tell, docs/formats.md.)"""
    data = grid.cells.slice(data_start)
    numbers = sorted(header.positions[c.name] for c in header.kind.columns if c.type == "number"
                     and c.name in header.positions and f"c{header.positions[c.name]}" in data.columns)
    if not numbers:
        return
    ambiguous = data.select(pl.col(f"c{j}").str.strip_chars().str.contains(_AMBIGUOUS_NUMBER).any()
                            for j in numbers).row(0)
    positions = [j for j, found in zip(numbers, ambiguous) if found]
    if not positions:
        return
    with _engine_quiet():
        sheet = grid.reader.load_sheet(grid.reader.sheet_names.index(grid.sheet), header_row=None,
                                       skip_rows=data_start, schema_sample_rows=None,
                                       dtypes={j: "float" for j in positions}, use_columns=positions)
        typed = pl.from_arrow(sheet.to_arrow())
    grid.typed = {j: typed.to_series(k) for k, j in enumerate(positions) if k < typed.width}


# ------------------------------------------------------------------------------------------- headers
def _is_number_text(v: str | None) -> bool:
    return v is not None and re.fullmatch(r"-?[\d.,]+%?", v.strip()) is not None and any(ch.isdigit() for ch in v)


def _header_candidates(rows: list[list[str | None]], i: int) -> list[tuple[list[str], int]]:
    """Column names if the header is row i alone, or rows i and i+1 joined (group label over sub-labels)."""
    top = [(c or "").strip() for c in rows[i]]
    out = []
    if not any(top):
        return out
    if i + 1 < len(rows):
        sub = [(c or "").strip() for c in rows[i + 1]]
        if any(sub) and not any(_is_number_text(c) for c in sub):
            names, group = [], ""
            for j in range(max(len(top), len(sub))):
                t = top[j] if j < len(top) else ""
                s = sub[j] if j < len(sub) else ""
                if t:
                    group = t
                names.append(f"{t or group} {s}".strip() if s else t)
            out.append((names, 2))
    out.append((top, 1))
    return out


# each kind's columns with the header keys that name them, computed once (not per header candidate)
_COLUMN_KEYS = {kind.name: [(col, col.keys()) for col in kind.columns] for kind in KINDS}
_REQUIRED_KEYS = {kind.name: [col.keys() for col in kind.required] for kind in KINDS}


def _match(kind: Kind, first: dict[str, int]) -> dict[str, int] | None:
    """Positions of the kind's columns in a header (`first`: each header key → its leftmost position), or
    None when a required column is missing."""
    # most candidate rows are no header of this kind: a missing required column says so at once
    if any(first.keys().isdisjoint(keys) for keys in _REQUIRED_KEYS[kind.name]):
        return None
    pos: dict[str, int] = {}
    for col, keys in _COLUMN_KEYS[kind.name]:
        found = [first[k] for k in keys if k in first]
        if found:
            pos[col.name] = min(found)
    if all(c.name in pos for c in kind.required):
        return pos
    return None


@dataclass
class _Header:
    kind: Kind
    row: int          # grid index of the (first) header row
    height: int
    names: list[str]
    positions: dict[str, int]


def _find_header(rows: list[list[str | None]]) -> _Header | None:
    best = None
    for i in range(min(len(rows), HEADER_SEARCH_ROWS)):
        for names, height in _header_candidates(rows, i):
            first: dict[str, int] = {}
            for j, name in enumerate(names):
                key = header_key(name)
                if key:
                    first.setdefault(key, j)
            for kind in KINDS:
                pos = _match(kind, first)
                # the most specific kind wins when two match (most required columns)
                if pos and (best is None or len(kind.required) > len(best.kind.required)):
                    best = _Header(kind, i, height, names, pos)
        if best:
            return best
    return None


def _closest_kind(rows: list[list[str | None]]) -> tuple[Kind, list[str], list[str]] | None:
    """For the error message of an unrecognised file: the kind whose columns are most nearly present."""
    best, best_score = None, 0
    for i in range(min(len(rows), HEADER_SEARCH_ROWS)):
        for names, _height in _header_candidates(rows, i):
            keys = {header_key(n) for n in names}
            for kind in KINDS:
                found = [c.label for c in kind.required if c.keys() & keys]
                if len(found) > best_score:
                    missing = [c.label for c in kind.required if not c.keys() & keys]
                    best, best_score = (kind, missing, [n for n in names if n]), len(found)
    return best if best_score >= 2 else None


# ---------------------------------------------------------------------------------------- title rows
_SATKER = re.compile(r"(?:SATKER|SATUAN\s+KERJA)\s*:?\s*(\d{6})(?!\d)\s*[-–]?\s*(.*)", re.I | re.A)
_PERIODE = re.compile(r"PERIODE\s*:?\s*(?:([A-Za-z]+)\s*S\s*[./]?\s*D\.?\s+)?([A-Za-z]+)\s+(\d{4})", re.I | re.A)
# SIPT states its period as a date range: "Periode : 01/01/2025 s.d. 30/06/2025".
_PERIODE_DATES = re.compile(r"PERIODE\s*:?\s*(.+?)\s+(?:S\s*[./]?\s*D\.?|SAMPAI(?:\s+DENGAN)?|-)\s+(.+)$", re.I | re.A)
_TAHUN = re.compile(r"TAHUN(?:\s+ANGGARAN)?\s*:?\s*(\d{4})", re.I | re.A)
_EXPORTED = re.compile(r"(?:TANGGAL\s*(?:CETAK|UNDUH|DOWNLOAD|EKSPOR)|DICETAK|DIUNDUH)\s*(?:PADA|TANGGAL)?\s*:?\s*(.+)",
                       re.I | re.A)


def _title_meta(lines: list[str]) -> dict:
    meta: dict = {}
    for line in lines:
        if "satker" not in meta and (m := _SATKER.search(line)):
            meta["satker"], meta["satker_name"] = m[1], m[2].strip() or None
        if "bulan" not in meta and (m := _PERIODE_DATES.search(line)):
            end = parse_one_date(m[2].strip())
            if end:
                meta["bulan"], meta["tahun_periode"], meta["akhir_periode"] = end.month, end.year, end
        if "bulan" not in meta and (m := _PERIODE.search(line)):
            month = MONTHS_ID.get(m[2].lower())
            if month:
                meta["bulan"], meta["tahun_periode"] = month, int(m[3])
        if "tahun" not in meta and (m := _TAHUN.search(line)):
            meta["tahun"] = int(m[1])
        if "exported_at" not in meta and (m := _EXPORTED.search(line)):
            text = m[1].strip()
            # the date may be followed by a time: try the longest prefix that parses
            words = text.split()
            for n in range(len(words), 0, -1):
                d = parse_one_date(" ".join(words[:n]))
                if d:
                    meta["exported_at"] = d
                    break
    return meta


# --------------------------------------------------------------------------------------------- read
def read_export(path: Path, content: bytes | None = None, limits: Limits | None = None) -> Export:
    """Read one export (`content`: its bytes, when the caller has read them). Raises UnreadableFile when the
    bytes are not a spreadsheet or text table, OverLimit when the file passes one of `limits`."""
    [export] = finish_exports([start_export(path, content, limits)], limits)
    if isinstance(export, BaseException):
        raise export
    return export


# Files parsed together are held (the cells of their columns, as text) until their layout's parse. A reader
# holds at most this many bytes of them (a national month's batch holds ~10-20 MB: parsing a December 6.4-7.2 ->
# 4.2-4.9 s of CPU, a reading worker's peak +15 MiB); a file larger is parsed at once, alone.
STACKED_BYTES = 64 << 20


@dataclass
class Started:
    """An export read up to its data rows (`start_export`): what parsing its cells needs, and what its export is
    built from after (`finish_exports`)."""
    path: Path
    header: _Header
    kept: pl.DataFrame                     # the data rows' cells (`_i`: position below the header)
    page_findings: list[Finding]
    page_lines: dict[int, str]
    title_lines: list[str]
    style: str
    typed: dict[int, pl.Series]
    sheet: str | None

    @property
    def layout(self) -> tuple:
        """What files parsed together share: kind, header positions, number style, typed columns, cells' schema."""
        return (self.header.kind.name, tuple(sorted(self.header.positions.items())), self.style,
                tuple(sorted(self.typed)), tuple(self.kept.schema.items()))


def start_export(path: Path, content: bytes | None = None, limits: Limits | None = None) -> Export | Started:
    """An export read up to its data rows; a file with no known header is its Export already. Raises as
    read_export does."""
    from sakip.readers.limits import current

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(_("the file is not a spreadsheet or CSV (expected one of {suffixes})").format(
            suffixes=", ".join(SUPPORTED_SUFFIXES)))
    limits = limits or current()
    content = path.read_bytes() if content is None else content
    if not content:
        return Export(path, None, findings=[Finding("empty_file", _("the file is empty (0 bytes)"))])
    heads = []  # of the sheets without a known header: only their first rows, not every sheet's whole grid
    for grid in _csv_grids(content, limits) if suffix == ".csv" else _xlsx_grids(content, limits):
        header = _find_header(grid.head)
        if header is None:
            heads.append(grid.head)
            continue
        if grid.reader is not None:
            _load_typed(grid, header.row + header.height, header)
        data_start = header.row + header.height
        title_lines = [" ".join(c for c in r if c) for r in grid.head[: header.row]]
        kept, page_findings, page_lines = _data_rows(grid, header, title_lines, data_start)
        named = {f"c{j}" for j in header.positions.values()}  # the others are not read: not held either
        kept = kept.select(c for c in kept.columns if c == "_i" or c in named)
        return Started(path, header, kept, page_findings, page_lines, title_lines, grid.style, grid.typed,
                       grid.sheet)

    kinds = "; ".join(f"{k.title}: {', '.join(c.label for c in k.required)}" for k in KINDS)
    near = None
    for head in heads:
        near = near or _closest_kind(head)
    if near:
        kind, missing, found = near
        msg = _("not a recognised export: it looks like a {kind} but the header lacks {missing} (found: "
                "{found})").format(kind=kind.title, missing=", ".join(missing), found=", ".join(found))
        return Export(path, None, findings=[Finding("required_columns", msg, column=", ".join(missing))])
    msg = _("not a recognised export: no row in the first {rows} rows holds the header of a known export. "
            "Expected one of — {kinds}").format(rows=HEADER_SEARCH_ROWS, kinds=kinds)
    return Export(path, None, findings=[Finding("known_export", msg)])


def finish_exports(started: list[Export | Started | BaseException], limits: Limits | None = None
                   ) -> list[Export | BaseException]:
    """The exports of files started (`start_export`), their cells parsed together per layout (a batch's small
    files of one source: one set of queries, not one a file; the fixed cost of a query is most of a small file's
    reading). What fails is that file's alone: the exception in its place (a layout whose stacked parse fails is
    parsed file by file)."""
    from sakip.readers.limits import current

    limits = limits or current()
    out: list[Export | BaseException | None] = [s if not isinstance(s, Started) else None for s in started]
    groups: dict[tuple, list[int]] = {}
    for i, s in enumerate(started):
        if isinstance(s, Started):
            groups.setdefault(s.layout, []).append(i)
    for members in groups.values():
        try:
            parsed = _parse_stacked([started[i] for i in members])
        except BaseException as exc:  # one file's cells failed the stack: each file parsed alone, its failure its own
            if not file_failure(exc):
                raise
            parsed = [None] * len(members)
        for i, result in zip(members, parsed):
            try:
                out[i] = _build(started[i], result if result is not None else _parse(started[i]), limits)
            except BaseException as exc:
                if not file_failure(exc):
                    raise
                out[i] = exc
    return out


def file_failure(exc: BaseException) -> bool:
    """Whether an exception raised reading a file is that file's failure: any error, a Rust panic too (via PyO3,
    not an Exception); not a signal to stop the run."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _parse_stacked(members: list[Started]) -> list[tuple[dict[str, str], pl.DataFrame | None, set[str]]]:
    """`_parse` of files of one layout at once, then cut back per file. Every parse is cell by cell, so a
    file's cells parse as they would alone; a flag set in another file only makes `_build` count none."""
    if len(members) == 1:
        return [_parse(members[0])]
    first = members[0]
    stacked = Started(first.path, first.header, pl.concat([m.kept for m in members], how="vertical"), [], {}, [],
                      first.style, first.typed, first.sheet)
    present, parsed, flagged = _parse(stacked)
    out, start = [], 0
    for m in members:
        out.append((present, parsed.slice(start, m.kept.height) if parsed is not None else None, flagged))
        start += m.kept.height
    return out


def _build(started: Started, parsing: tuple[dict[str, str], pl.DataFrame | None, set[str]], limits: Limits
           ) -> Export:
    path, header, kept, title_lines = started.path, started.header, started.kept, started.title_lines
    kind, data_start = header.kind, header.row + header.height
    page_findings, page_lines = started.page_findings, started.page_lines
    meta = _title_meta(title_lines)
    meta["titled"] = any(line.strip() for line in title_lines)
    index = kept.get_column("_i")

    columns: dict[str, pl.Series] = {"_row": (index.cast(pl.Int64) + data_start + 1).alias("_row")}
    present, parsed, flagged = parsing

    findings: list[Finding] = []
    omitted = 0
    for col in kind.columns:
        if col.name not in present:
            columns[col.name] = pl.Series(col.name, [None] * kept.height, dtype=_dtype(col))
            continue
        j = header.positions[col.name]
        raw = kept.get_column(present[col.name]).alias(col.name)
        if parsed is not None and col.name in parsed.columns:
            values, bad = parsed.get_column(col.name), parsed.get_column(f"_bad_{col.name}")
            any_bad = f"_bad_{col.name}" in flagged
        else:  # a number column of an xlsx read again as numbers (_load_typed)
            typed = _take(started.typed[j], index).alias(col.name)
            # cells that were text (the typed cast left them null): parse their text
            text_values, bad = parse_number(pl.select(pl.when(typed.is_null()).then(raw)).to_series(), "xlsx")
            values, any_bad = typed.cast(pl.Float64).fill_null(text_values), bad.any()
        columns[col.name] = values.alias(col.name)
        if any_bad:
            omitted += _cell_findings(findings, col.type, _NOT_OF_TYPE[col.type], col, columns["_row"],
                                      raw, bad, limits.findings)
        if col.type == "number" and (implausible := values.is_not_null() & ~(values.abs() < PLAUSIBLE)).any():
            omitted += _cell_findings(findings, "number_range", PLAUSIBLE_TEXT, col, columns["_row"], raw,
                                      implausible, limits.findings)
    data = pl.DataFrame(columns)

    export = Export(path, kind, data, sheet=started.sheet, header_row=header.row + 1, findings=findings,
                    satker_name=meta.get("satker_name"), exported_at=meta.get("exported_at"), omitted=omitted)
    export.findings += page_findings
    _identify(export, meta)
    _pages_agree(export, meta, page_lines)
    if data.height == 0:
        export.findings.append(Finding("empty_file", _("the {kind} has a header (row {row}) but no data rows")
                                       .format(kind=kind.title, row=header.row + 1)))
    return export


def _data_rows(grid: _Grid, header: _Header, title_lines: list[str], data_start: int
               ) -> tuple[pl.DataFrame, list[Finding], dict[int, str]]:
    """The rows below the header that hold data: blank rows, and the page headers and footers of a printed
    report (_page_rows), left out. Returns them (`_i`: position below the header), the page findings and the
    page lines skipped."""
    head = grid.head
    # labels of the header rows, joined and as they stand, to recognise a page header repeated in the data
    header_keys = {header_key(n) for n in header.names if n}
    for r in head[header.row: header.row + header.height]:
        header_keys |= {header_key(c) for c in r if c}
    header_keys.discard("")

    cells = grid.cells.slice(data_start).with_row_index("_i")
    text_columns = [c for c in cells.columns if c != "_i"]
    blank = ~pl.any_horizontal([pl.col(c).is_not_null() for c in text_columns]) if text_columns else pl.lit(True)
    # a page header repeated inside the data: two or more of its cells are header labels
    labels = pl.sum_horizontal([
        _is_label(pl.col(c), header_keys).fill_null(False).cast(pl.Int32) for c in text_columns]
    ) if text_columns else pl.lit(0)
    filled = cells.filter(~blank).with_columns(
        labels.alias("_labels"),
        (pl.sum_horizontal([pl.col(c).is_not_null().cast(pl.Int32) for c in text_columns])
         if text_columns else pl.lit(0)).alias("_filled"))
    page_rows, page_findings, page_lines = _page_rows(filled, text_columns, head[header.row: data_start],
                                                      header.row + 1, title_lines, data_start)
    return filled.filter(~page_rows).drop("_labels", "_filled"), page_findings, page_lines


def _parse(started: Started) -> tuple[dict[str, str], pl.DataFrame | None, set[str]]:
    """The text columns parsed by type. Returns the source columns present (name → cell column), the parsed
    values with a `_bad_<name>` flag each, and the flags that are set somewhere."""
    kept, kind, header = started.kept, started.header.kind, started.header
    # text columns parsed as expressions, all columns at once: numbers cleaned first, then read; dates, months,
    # and codes and text of few distinct values, from their distinct texts (found in one query for all of them)
    present = {col.name: f"c{j}" for col in kind.columns
               if (j := header.positions.get(col.name)) is not None and f"c{j}" in kept.columns}
    per_text = [col for col in kind.columns if col.type in ("date", "month", "code", "text") and col.name in present]
    distinct = kept.select(pl.col(present[col.name]).unique().implode().alias(col.name) for col in per_text).row(0) \
        if per_text else ()
    distinct_of = dict(zip([col.name for col in per_text], distinct))
    # codes and text of few distinct values (an akun, a commodity, a laboratory) cleaned once each, not per cell
    repeated = _cleaned_once([col for col in per_text if col.type in ("code", "text")
                              and len(distinct_of[col.name]) * 4 <= kept.height], distinct_of)
    numeric, valued, exprs = [], [], []  # a number's cleaned text, then its value: each a column, computed once
    for col in kind.columns:
        j = header.positions.get(col.name)
        if col.name not in present or (col.type == "number" and j in started.typed):
            continue
        if col.type in ("date", "month"):
            value = f"_value_{col.name}"
            valued.append(distinct_value(pl.col(f"c{j}"), distinct_of[col.name], col.type).alias(value))
            values, bad = pl.col(value), unparsed(pl.col(f"c{j}"), pl.col(value))
        elif col.name in repeated:
            texts, cleaned = repeated[col.name]
            values = pl.col(f"c{j}").replace_strict(texts, cleaned, default=None, return_dtype=pl.String)
            bad = pl.lit(False)
        elif col.type in ("number", "int"):
            cleaned, value = f"_clean_{col.name}", f"_value_{col.name}"
            numeric.append(clean(pl.col(f"c{j}")).alias(cleaned))
            valued.append(number_value(pl.col(cleaned), started.style).alias(value))
            values, bad = (number if col.type == "number" else integer)(pl.col(cleaned), pl.col(value))
        else:
            values, bad = (code if col.type == "code" else text)(pl.col(f"c{j}")), pl.lit(False)
        exprs += [values.alias(col.name), bad.alias(f"_bad_{col.name}")]
    parsed = kept.with_columns(numeric).with_columns(valued).select(exprs) if exprs else None
    flags = [c for c in parsed.columns if c.startswith("_bad_")] if parsed is not None else []
    flagged = {c for c, found in zip(flags, parsed.select(pl.col(c).any() for c in flags).row(0)) if found} \
        if flags else set()
    return present, parsed, flagged


def _cleaned_once(columns: list[Col], distinct_of: dict[str, list[str | None]]
                  ) -> dict[str, tuple[list[str], pl.Series]]:
    """Each code or text column's distinct texts (a null stays null) with those texts as `code` or `text`
    cleans them: all the columns' texts in one query."""
    if not columns:
        return {}
    texts = {col.name: [v for v in distinct_of[col.name] if v is not None] for col in columns}
    flat = pl.Series("v", [v for col in columns for v in texts[col.name]], dtype=pl.String).to_frame()
    both = flat.select(code(pl.col("v")).alias("code"), text(pl.col("v")).alias("text"))
    out, start = {}, 0
    for col in columns:
        out[col.name] = (texts[col.name], both.get_column(col.type).slice(start, len(texts[col.name])))
        start += len(texts[col.name])
    return out


# Every number of an export is finite and below 10^15: Excel keeps 15 significant digits, and the whole budget
# of BPOM is below 10^14 rupiah. Past it a value can only be a typo or an attack (1e308 makes every ratio
# infinite).
PLAUSIBLE = 1e15
PLAUSIBLE_TEXT = N_("{column}: '{value}' is beyond any plausible value (a number must be finite and below 10^15)")


def _cell_findings(findings: list[Finding], check: str, message: str, col: Col, rows: pl.Series, raw: pl.Series,
                   bad: pl.Series, keep: int) -> int:
    """A finding per bad cell, for the first `keep` of them; returns how many more there were (counted, not
    built: a file with a million bad cells must not build a million objects). `message`: marked with N_, with
    the placeholders {column} and {value}."""
    count = int(bad.sum())
    text = _(message)
    for r, v in zip(rows.filter(bad).head(keep).to_list(), raw.filter(bad).head(keep).to_list()):
        findings.append(Finding(check, text.format(column=col.label, value=v), r, col.label, v))
    return max(0, count - keep)


# What a printed page carries besides the table, skipped wherever it stands: its number, who printed it and when.
_FURNITURE = re.compile(r"(?:halaman|hal\.?|page)\s*:?\s*\d+(?:\s*(?:dari|of|/)\s*\d+)?"
                        r"|(?:dicetak|diunduh|tanggal\s*(?:cetak|unduh)|printed)\b.*", re.I | re.A)
# how a title line that states the satker, period or export date begins
_TITLE_WORD = re.compile(r"(?:satker|satuan\s+kerja|periode|tahun|tanggal|dicetak|diunduh)\b", re.I | re.A)


def _page_rows(rows: pl.DataFrame, text_columns: list[str], header_rows: list[list[str | None]], header_row: int,
               title_lines: list[str], data_start: int) -> tuple[pl.Series, list[Finding], dict[int, str]]:
    """The rows of a report printed with page breaks that are the pages' own, not data: a page header repeated
    inside the data (a row of which two or more cells are header labels) with the run of title lines directly
    above it (rows of one cell at most: the report's name, SATKER …, PERIODE …; or a line that states a satker,
    period or date, or that the file's first title rows hold, whatever its cells), and page footers (page
    numbers, who printed it) wherever they stand. Returns which rows to skip; a finding per repeated header that
    is not the file's own (other columns or another order: the rows below it would be read into the wrong
    columns); and the lines skipped, by their row in the file, which must name the same export
    (`_pages_agree`). Only rows with a label or few cells are looked at, in Python: a file has few."""
    near = rows.with_row_index("_p").filter((pl.col("_labels") >= 2) | (pl.col("_filled") <= 4))
    pages: dict[int, tuple[int, list[str | None], bool]] = {}  # position → (row in the file, cells, is a header)
    for rec in near.iter_rows(named=True):
        pages[rec["_p"]] = (rec["_i"] + data_start + 1, [rec[c] for c in text_columns], rec["_labels"] >= 2)
    top = {header_key(line) for line in title_lines} - {""}
    drop: set[int] = set()
    findings: list[Finding] = []
    lines: dict[int, str] = {}

    def line(cells: list[str | None]) -> str:
        return " ".join(c.strip() for c in cells if c)

    def furniture(cells: list[str | None]) -> bool:
        return all(_FURNITURE.fullmatch(c.strip()) for c in cells if c)

    def title(cells: list[str | None]) -> bool:
        text = line(cells)
        if sum(c is not None for c in cells) <= 1 or furniture(cells) or header_key(text) in top:
            return True
        # a title spread over a few cells (SATKER | : | 672849 | - BALAI POM …); never a data row that
        # merely mentions a year or a satker
        first = next(c for c in cells if c)
        return _TITLE_WORD.match(first.strip()) is not None and bool(_title_meta([text]))

    for p, (row, cells, is_header) in pages.items():
        if not is_header:
            if furniture(cells):
                drop.add(p)
                lines[row] = line(cells)
            continue
        drop.add(p)
        if (differs := _header_difference(cells, header_rows)) is not None:
            j, got, want = differs
            findings.append(Finding("page_header", _(
                "the column header repeated at row {row} has {found} in column {column} where the header at row "
                "{header_row} has {expected}: with other columns, or another order, the rows below it would be read "
                "into the wrong columns").format(row=row, found=repr(got) if got else _("nothing"), column=j + 1,
                                                 header_row=header_row,
                                                 expected=repr(want) if want else _("nothing")), row, want, got))
        q = p - 1
        while q in pages and not pages[q][2] and title(pages[q][1]):
            drop.add(q)
            lines[pages[q][0]] = line(pages[q][1])
            q -= 1
    skipped = rows.with_row_index("_p").get_column("_p").is_in(sorted(drop)) if drop else \
        pl.Series([False] * rows.height, dtype=pl.Boolean)
    return skipped, findings, lines


def _header_difference(cells: list[str | None], header_rows: list[list[str | None]]
                       ) -> tuple[int, str | None, str | None] | None:
    """None when a row repeats one of the header's rows (the same label, by key, in every column); else the
    first column where it differs from the header row it is nearest to: (position, its label, the header's)."""
    width = max(len(cells), *(len(h) for h in header_rows))
    best = None
    for h in header_rows:
        pairs = [(cells[j] if j < len(cells) else None, h[j] if j < len(h) else None) for j in range(width)]
        wrong = [j for j, (a, b) in enumerate(pairs) if header_key(a) != header_key(b)]
        if not wrong:
            return None
        if best is None or len(wrong) < best[0]:
            best = (len(wrong), wrong[0], *(v.strip() if v else None for v in pairs[wrong[0]]))
    return best[1:]


# what a page's heading or footer states that the export does not (placeholders: row, found, expected)
_PAGE_STATES = {
    "satker": N_("the page heading or footer at row {row} states satker {found}, but the export is of satker "
                 "{expected}: one file must hold one export (pages of two exports put together?)"),
    "period": N_("the page heading or footer at row {row} states the period {found}, but the export is of "
                 "{expected}: one file must hold one export (pages of two exports put together?)"),
    "year": N_("the page heading or footer at row {row} states the year {found}, but the export is of {expected}: "
               "one file must hold one export (pages of two exports put together?)"),
    "exported_at": N_("the page heading or footer at row {row} states the export date {found}, but the first page "
                      "states {expected}: one file must hold one export (pages of two exports put together?)"),
}


def _pages_agree(export: Export, meta: dict, lines: dict[int, str]) -> None:
    """The title lines and footers of every page must name the export the file names (its first title rows,
    its rows): pages of two exports put in one file are refused, not read as one export."""
    bulan = export.bulan if export.kind.period == "title_periode" else meta.get("bulan")
    printed = meta.get("exported_at")
    for row, title in sorted(lines.items()):
        found = _title_meta([title])
        year = found.get("tahun_periode") or found.get("tahun")
        stated = []  # (the finding's message, found, expected)
        if "satker" in found and export.satker:
            stated.append((_PAGE_STATES["satker"], found["satker"], export.satker))
        if "bulan" in found and bulan and export.tahun:
            stated.append((_PAGE_STATES["period"], f"{year}-{found['bulan']:02d}", f"{export.tahun}-{bulan:02d}"))
        elif year and export.tahun:
            stated.append((_PAGE_STATES["year"], str(year), str(export.tahun)))
        if "exported_at" in found and printed:
            stated.append((_PAGE_STATES["exported_at"], f"{found['exported_at']:%d/%m/%Y}", f"{printed:%d/%m/%Y}"))
        for message, got, expected in stated:
            if got != expected:
                export.findings.append(Finding("page_header", _(message).format(row=row, found=got,
                                                                                expected=expected),
                                               row, None, title))


def _is_label(cells: pl.Expr, header_keys: set[str]) -> pl.Expr:
    """Whether each cell is one of the header labels, by key. The key of each distinct text, not of every
    cell: a column repeats its texts, and the key (lowercase, punctuation out) costs a regex per text (this
    check was an eighth of the reading at national scale; now half that)."""
    labels = cells.unique().implode().list.eval(
        pl.element().filter(header_key_of(pl.element()).is_in(list(header_keys))))
    return cells.is_in(labels.first())


def _take(s: pl.Series, index: pl.Series) -> pl.Series:
    """s[index], null where the index runs past the end (a reload that stopped at the last typed cell)."""
    if len(index) and index.max() >= len(s):
        s = s.extend(pl.Series([None] * (index.max() + 1 - len(s)), dtype=s.dtype))
    return s.gather(index)


# a cell that does not parse as its column's type (placeholders: column, value)
_NOT_OF_TYPE = {
    "number": N_("{column}: '{value}' is not a number (e.g. 1.601.792.883 or 93,96)"),
    "date": N_("{column}: '{value}' is not a date (e.g. 30/06/2025 or 30 Juni 2025)"),
    "month": N_("{column}: '{value}' is not a month (1–12, B01–B12 or a month name)"),
    "int": N_("{column}: '{value}' is not a whole number"),
}


def _dtype(col: Col) -> pl.DataType:
    return {"number": pl.Float64, "int": pl.Int32, "month": pl.Int32, "date": pl.Date}.get(col.type, pl.String)




def _infer_period(export: Export, tahun: int | None) -> bool:
    """A cumulative SIPT export without title rows (a plain download, a copied table): its period is the
    month of the latest date it holds, its year that of its records. Returns whether it explained, as a
    finding, why no period could be inferred."""
    kind, data = export.kind, export.data
    dates = [c for c in kind.columns if c.type == "date" and c.name in data.columns]
    latest = data.select(pl.max_horizontal(pl.col(c.name).max() for c in dates)).item() if dates else None
    if latest is None:
        export.findings.append(Finding("period", _("no period found: the file has no title rows (expected one like "
                                                   "'Periode : 01/01/2025 s.d. 30/06/2025') and its rows hold no "
                                                   "date to take the period from")))
        return True
    col = next(c for c in dates if data.get_column(c.name).max() == latest)
    row, shown = data.filter(pl.col(col.name) == latest).get_column("_row").min(), f"{latest:%d/%m/%Y}"
    now = today()  # as the validation of export dates takes it
    if latest > now:  # nothing states when the file was exported: a date to come can't be its period
        export.findings.append(Finding("period", _(
            "{column}: {date} is after today ({today}): the period of an export without title rows is the month of "
            "its latest date, and this one has not come").format(column=col.label, date=shown,
                                                                  today=f"{now:%d/%m/%Y}"), row, col.label, shown))
        return True
    if tahun is not None and latest.year != tahun:
        return False  # the rows' year and their dates disagree: no period is guessed
    started = data.get_column(kind.starts).max() if kind.starts in data.columns else None
    year = tahun or (started.year if started else latest.year)
    if latest.year != year:
        # an LHU of January on a sample of December: the period of the year's export can't be told from it
        label = next(c.label for c in kind.columns if c.name == kind.starts)
        export.findings.append(Finding("period", _(
            "{column}: {date} is in {date_year}, but the records are of {year} ({started_column} up to {started}): "
            "the period of an export without title rows is the month of its latest date, which must be in its "
            "records' year. Export it with its title rows ('Periode : 01/01/{year} s.d. …')").format(
                column=col.label, date=shown, date_year=latest.year, year=year, started_column=label,
                started=f"{started:%d/%m/%Y}"), row, col.label, shown))
        return True
    export.bulan, export.tahun = latest.month, year
    export.inferred = _("period inferred from the latest date in the rows: {column} {date}").format(
        column=col.label, date=shown)
    return False


def _single(export: Export, column: str, label: str) -> object | None:
    values = export.data.lazy().select(pl.col(column).drop_nulls().unique()).collect().to_series().to_list()
    if len(values) > 1:
        shown = ", ".join(str(v) for v in sorted(values)[:5])
        export.findings.append(Finding("single_value", _(
            "{column} must be the same on every row of one export; found {count} values ({values})").format(
                column=label, count=len(values), values=shown), column=label))
        return None
    return values[0] if values else None


def _identify(export: Export, meta: dict) -> None:
    """Satker, year and period from the file itself: columns where the export has them, title rows otherwise."""
    kind, data = export.kind, export.data
    names = {c.name for c in kind.columns}
    satker = _single(export, "kode_satker", "Kode Satker") if "kode_satker" in names else None
    title_satker = meta.get("satker")
    if satker and title_satker and satker != title_satker:
        export.findings.append(Finding("satker", _("the title rows name satker {title} but the rows hold {rows}")
                                       .format(title=title_satker, rows=satker), column="Kode Satker",
                                       value=str(satker)))
    export.satker = satker or title_satker
    if export.satker is None and not any(f.check == "single_value" and f.column == "Kode Satker"
                                         for f in export.findings):
        export.findings.append(Finding("satker", _("no satker found: expected a 'Kode Satker' column or a title "
                                                   "row 'SATKER : 672849 - NAMA SATKER'")))

    tahun = _single(export, "tahun", "Tahun") if "tahun" in names else None
    export.tahun = tahun or meta.get("tahun_periode") or meta.get("tahun")
    tahun = export.tahun

    explained = False  # a finding already says why the period (and so the year) is unknown
    if kind.period == "max_bulan" and data.height:
        # an export may list every month with the later ones still empty: its period is the last month
        # that holds a value
        value = "realisasi" if "realisasi" in data.columns else "progres_capaian"
        with_value = data.filter(pl.col(value).is_not_null())
        export.bulan = (with_value if with_value.height else data).get_column("bulan").max()
    elif kind.period == "title_periode":
        export.bulan = meta.get("bulan")
        if export.bulan is None and kind.name.startswith("sipt_") and data.height and not meta["titled"]:
            explained = _infer_period(export, tahun)  # title rows that do not say the period are refused, not guessed
        if export.bulan is None and not explained:
            example = ("'Periode : 01/01/2025 s.d. 30/06/2025'" if kind.name.startswith("sipt_")
                       else "'PERIODE : JANUARI s.d. JUNI 2025'")
            export.findings.append(Finding("period", _("no period found: expected a title row like {example}")
                                           .format(example=example)))
    if export.tahun is None and not explained:
        export.findings.append(Finding("period", _("no year found: expected a 'Tahun' column or a title row like "
                                                   "'TAHUN ANGGARAN : 2025'")))
