"""The one writer of exports for the development tools: the synthetic generator (devtools/synth.py), the demo
builders (devtools/build_demo*.py), the tests' small exports (tests/builders.py) and the bad corpus.

An export is data: a `Table` (title rows, header, a kind per column, rows of Python values) written in a
`Style` (xlsx, or CSV with its separator, encoding, date notation and line ending). Every file has the layout
of docs/formats.md: the title rows, one blank row, the header row(s), the data rows.

    write_table(path, Table("simetris_realisasi", "Realisasi", titles, [header], kinds, rows),
                Style("csv", ";", "utf-8-sig"))

The same table and style give the same bytes: xlsx metadata is fixed (`Style.created`), never the clock.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import xlsxwriter
import xlsxwriter.utility
import xlsxwriter.worksheet


@dataclass
class Table:
    """One export as rows of Python values (str, int, float, date, None); the writer renders them.
    A str is written as it is whatever its column's kind (a '-' in a number column), None as an empty cell."""
    source: str                           # the export kind of docs/formats.md, e.g. sakti_realisasi
    sheet: str                            # xlsx sheet name
    titles: list[str]
    header: list[list[str]]               # one row, or two (a group label over sub-labels)
    kinds: list[str]                      # per column: text | number | amount | ribu | dec | date (_NUM_FORMAT)
    rows: list[list]
    bold: list[bool] | None = None        # per row: a subtotal row (SAKTI), bold from column `bold_from` on
    bold_from: int = 0
    merges: tuple[tuple[int, int, int, int], ...] = ()   # header cells merged: (row, col, last row, last col)
    widths: dict[int, float] = field(default_factory=dict)   # xlsx column widths
    freeze: bool = False                  # xlsx: the titles and header stay in view when scrolling

    def col(self, label: str) -> int:
        for line in reversed(self.header):
            if label in line:
                return line.index(label)
        raise KeyError(label)

    def copy(self) -> Table:
        """A copy whose titles, rows and bold flags can be changed without changing this one."""
        return replace(self, titles=list(self.titles), rows=list(self.rows),
                       bold=list(self.bold) if self.bold is not None else None)


@dataclass(frozen=True)
class Style:
    """How a file is written: xlsx, or CSV with its separator, encoding, date notation and line ending."""
    fmt: str                  # xlsx | csv
    sep: str = ";"            # ';' writes Indonesian numbers (1.601.792.883 and 93,96), ',' plain ones, as Excel
    encoding: str = "utf-8"   # utf-8 | utf-8-sig (with a BOM) | cp1252
    dates: str = "dmy"        # dmy 30/06/2025 | iso 2025-06-30 | dash 30-06-2025 | name 30 Jun 2025
    eol: str = "\n"           # "\r\n" as Excel on Windows saves
    # xlsx: a fixed creation time, as xlsxwriter would otherwise stamp the clock and no two builds would match
    created: dt.datetime = dt.datetime(2025, 1, 1)
    author: str = "sakip"
    # xlsx: xlsxwriter's constant-memory mode, rows streamed (StreamingWorksheet); for national-scale files.
    # The XML is then compact (strings inline, not shared; text cells without a style): other, equally valid bytes.
    stream: bool = False

    @property
    def suffix(self) -> str:
        return ".xlsx" if self.fmt == "xlsx" else ".csv"


def write_table(path: Path, t: Table, style: Style) -> int:
    """Write `t` to `path` in `style`; return the file's size in bytes."""
    return write_xlsx(path, t, style) if style.fmt == "xlsx" else write_csv(path, t, style)


# ============================================================================================================
# CSV
# ============================================================================================================
_BULAN_SINGKAT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agt", "Sep", "Okt", "Nov", "Des"]


def _date_text(d: dt.date, style: str) -> str:
    if style == "iso":
        return f"{d.year}-{d.month:02d}-{d.day:02d}"
    if style == "dash":
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if style == "name":
        return f"{d.day} {_BULAN_SINGKAT[d.month - 1]} {d.year}"
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def id_amount(v: int | float) -> str:
    """1601792883 -> '1.601.792.883'; 13387.5 -> '13.387,5'."""
    if isinstance(v, float) and not v.is_integer():
        whole, frac = f"{v:.3f}".rstrip("0").split(".")
        return f"{int(whole):,}".replace(",", ".") + "," + frac
    return f"{int(v):,}".replace(",", ".")


def plain_amount(v: int | float) -> str:
    if isinstance(v, float) and not v.is_integer():
        return f"{v:.3f}".rstrip("0")
    return str(int(v))


def _converter(kind: str, style: Style):
    """The function that renders one cell of a column of `kind` as CSV text."""
    indonesian = style.sep == ";"
    dstyle = style.dates

    def conv(v):
        if v is None:
            return ""
        t = type(v)
        if t is str:
            return v
        if t is dt.date or t is dt.datetime:
            return _date_text(v, dstyle)
        if kind in ("amount", "ribu"):
            return id_amount(v) if indonesian else plain_amount(v)
        if kind == "dec":
            text = f"{v:.2f}"
        elif t is float:
            text = repr(v).removesuffix(".0")      # the shortest form that reads back the same: 12.5, 100
        else:
            return str(v)
        return text.replace(".", ",") if indonesian else text
    return conv


def write_csv(path: Path, t: Table, style: Style) -> int:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=style.sep, lineterminator=style.eol)
    for title in t.titles:
        w.writerow([title])
    w.writerow([])
    for line in t.header:
        w.writerow(line)
    convs = [_converter(k, style) for k in t.kinds]
    writerow = w.writerow
    for row in t.rows:
        writerow([c(v) for c, v in zip(convs, row)])
    data = buf.getvalue().encode(style.encoding)
    path.write_bytes(data)
    return len(data)


# ============================================================================================================
# xlsx
# ============================================================================================================
# The kinds of column and their Excel number formats. number: as it is (2025, 81.25); amount: rupiah, grouped
# (1.601.792.883 in a ';' CSV); ribu: thousands of rupiah, up to 3 decimals (13.387,5); dec: two decimals (93,96);
# date: a date cell, or in CSV the Style's notation; text: the default look.
_NUM_FORMAT = {"text": None, "number": "General", "amount": "#,##0", "ribu": "#,##0.###", "dec": "0.00",
               "date": "dd/mm/yyyy"}
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


class StreamingWorksheet(xlsxwriter.worksheet.Worksheet):
    """xlsxwriter's worksheet (constant-memory mode) with one more method: `stream_rows` writes many data rows,
    each row's XML built with one join, instead of xlsxwriter's ~4 µs of Python per cell. The XML is the one
    xlsxwriter writes itself in this mode (inline strings, `{:.16G}` numbers, dates as serial days)."""

    def stream_rows(self, first_row: int, rows: list[list], ncols: int, styles: list, bold_styles: list,
                    bold: list[bool] | None, date_style) -> None:
        if not rows:
            return
        self._write_single_row(first_row)          # flush the row still pending (the header)
        letters = [xlsxwriter.utility.xl_col_to_name(c) for c in range(ncols)]
        attr = [f' s="{f._get_xf_index()}"' if f is not None else "" for f in styles]
        attr_bold = [f' s="{f._get_xf_index()}"' if f is not None else "" for f in bold_styles]
        attr_date = f' s="{date_style._get_xf_index()}"'
        write = self.fh.write
        n = first_row
        for i, row in enumerate(rows):
            n += 1                                  # 1-based row number of the row at index first_row + i
            s = attr_bold if bold is not None and bold[i] else attr
            parts = [f'<row r="{n}">']
            for c, v in enumerate(row):
                if v is None:
                    continue
                t = type(v)
                if t is str:
                    if not v:
                        continue
                    if "&" in v or "<" in v or ">" in v:
                        v = v.translate(_XML_ESCAPES)
                    space = ' xml:space="preserve"' if v[0] == " " or v[-1] == " " else ""
                    parts.append(f'<c r="{letters[c]}{n}"{s[c]} t="inlineStr"><is><t{space}>{v}</t></is></c>')
                elif t is int or t is float:
                    parts.append(f'<c r="{letters[c]}{n}"{s[c]}><v>{v:.16G}</v></c>')
                elif t is dt.date:
                    parts.append(f'<c r="{letters[c]}{n}"{attr_date}><v>{(v - _EXCEL_EPOCH).days}</v></c>')
                else:
                    raise TypeError(f"cannot write {v!r} to a cell")
            parts.append("</row>")
            write("".join(parts))
        last = first_row + len(rows) - 1
        self._check_dimensions(last, ncols - 1)
        self.previous_row = last


# False on an xlsxwriter without the internals StreamingWorksheet uses: streamed files then go cell by cell too.
_STREAMING = all(hasattr(xlsxwriter.worksheet.Worksheet, a) for a in ("_write_single_row", "_check_dimensions"))
# xlsxwriter assembles each workbook from temporary files: in memory (tmpfs) when the machine has one.
_TMPDIR = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def write_xlsx(path: Path, t: Table, style: Style) -> int:
    streaming = style.stream and _STREAMING
    options = {"constant_memory": True, **({"tmpdir": _TMPDIR} if _TMPDIR else {})} if style.stream else {}
    wb = xlsxwriter.Workbook(str(path), options)
    wb.set_properties({"created": style.created, "author": style.author})
    f_title = wb.add_format({"bold": True})
    f_head = wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True,
                            "bg_color": "#D9E1F2"})
    plain = {k: wb.add_format({"num_format": v} if v else {}) for k, v in _NUM_FORMAT.items()}
    if style.stream:        # compact XML: a text cell's default look needs no style attribute
        plain["text"] = None
    bold = {k: wb.add_format({"num_format": v, "bold": True} if v else {"bold": True}) for k, v in _NUM_FORMAT.items()}
    fmts = [plain[k] for k in t.kinds]
    fmts_bold = fmts[:t.bold_from] + [bold[k] for k in t.kinds[t.bold_from:]]
    ws = wb.add_worksheet(t.sheet, worksheet_class=StreamingWorksheet if streaming else None)
    for c, width in t.widths.items():
        ws.set_column(c, c, width)
    for r, title in enumerate(t.titles):
        ws.write_string(r, 0, title, f_title)
    first = len(t.titles) + 1                    # the blank row after the titles
    _write_header(ws, first, t, f_head)
    first += len(t.header)
    if t.freeze:
        ws.freeze_panes(first, 0)
    if streaming:
        ws.stream_rows(first, t.rows, len(t.kinds), fmts, fmts_bold, t.bold, plain["date"])
    else:
        for i, row in enumerate(t.rows):
            row_fmts = fmts_bold if t.bold is not None and t.bold[i] else fmts
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                if isinstance(v, str):
                    ws.write_string(first + i, c, v, row_fmts[c])
                elif isinstance(v, dt.date):
                    ws.write_datetime(first + i, c, v, plain["date"])
                else:
                    ws.write_number(first + i, c, v, row_fmts[c])
    wb.close()
    return path.stat().st_size


def _write_header(ws, first: int, t: Table, fmt) -> None:
    """The merged ranges (xlsxwriter writes each one's label and blanks), then every other header cell, an empty
    label as a styled blank. With Style.stream a range must stay within one row: in constant-memory mode a row
    can't be written to once the next one is begun."""
    covered = set()
    for r0, c0, r1, c1 in t.merges:
        ws.merge_range(first + r0, c0, first + r1, c1, t.header[r0][c0], fmt)
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
    for r, line in enumerate(t.header):
        for c, label in enumerate(line):
            if (r, c) in covered:
                continue
            if label:
                ws.write_string(first + r, c, label, fmt)
            else:
                ws.write_blank(first + r, c, None, fmt)
