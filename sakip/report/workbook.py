"""The report's tables as an Excel workbook for planners (issue 6): one sheet per table of the Laporan Kinerja,
in the report's own column order, read from the published file, in the language of the run (sakip.i18n: sheet
names, titles and headings; the planners' terms and everything from the data stay as they are).

Numbers stay numbers, with Excel number formats: percentages hold the percent value (105.7252…) with
`0.00"%"` (no scaling by 100), amounts `"Rp "#,##0`, plain figures `0.00`. These codes are the same in every
language: `.` and `,` in a number format stand for the decimal and thousands separators, which Excel shows in
the reader's locale (`105,73%`, `Rp 1.601.792.883` on an Indonesian system, `105.73%` on an English one).
Dates are written as text in the language of the run (`30 Juni 2025`, `30 June 2025`). Every text value is
written with `write_string`, so a name that begins with `=`, `+`, `-` or `@` in a source file stays text and
never becomes a formula; an undefined value is the text `-`.

When a source the period's figures need was refused (audit.freshness), the first sheet says so above its
table (which source, why, since when, what to do), and every figure it holds back is coloured and carries a
comment: yellow when kept at its last good version, orange when there is no data yet.

    write_workbook(Path("wh/published.duckdb"), "672849", 2025, 6, Path("wh/reports/672849/2025-06/lampiran.xlsx"))
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from sakip.i18n import N_, _
from sakip.report.data import KEPT, NO_DATA, TABLES, Hold, ReportData, load, notice, runs_of
from sakip.report.format import nama_bulan, periode, tanggal
from sakip.warehouse.db import BUNDLED_REFERENCE, reference_dir

PERSEN = '0.00"%"'
RUPIAH = '"Rp "#,##0'
ANGKA = "0.00"
HARI = "0.0"
BILANGAN = "0"

SHEETS = [N_("3.1 Performance measurement"), N_("Capaian per sasaran"), N_("Yearly capaian"),
          N_("3.3 Budget realisasi"), N_("Performance vs budget"), N_("Efficiency"), N_("Testing SLA"),
          N_("Timeliness")]

STATUS_WAKTU = {"tepat_waktu": N_("On time"), "terlambat": N_("Late"), "dalam_proses": N_("In progress"),
                "lewat_batas": N_("Overdue")}

HEADER_ROW = 2  # row 0: title, row 1: caption, row 2: header of the sheet's first table (the notice's rows before)
TANPA_DATA = N_("No data for this period")

# the published tables whose figures the workbook shows (what the notice of a refused source names)
FIGURE_TABLES = ["nko", "capaian_iku", "nilai_sasaran", "realisasi_anggaran", "anggaran_satker", "kinerja_anggaran",
                 "efisiensi", "sla_ringkasan", "sla_pengujian", "ketepatan_waktu_ringkasan", "ketepatan_waktu"]
HELD_FILL = {KEPT: "#FFF2CC", NO_DATA: "#F8CBAD"}  # a figure held back by a refused source: yellow, orange
NOTICE_FILL = "#FCE4D6"
SHEET_NAME = re.compile(r"[\[\]:*?/\\]")

# Row heights (issue 18): a row is as tall as the wrapped texts in it need, computed here, because a reader does
# not always do it: Excel autofits a row on open only in some cases, LibreOffice never where a height is set.
DEFAULT_HEIGHT = 15.0  # points: xlsxwriter's default row height (what a row with no height of its own gets)
# Arial's advance widths in ems (LibreOffice's Liberation Sans has the same); the rest (a, e, n, o, digits…) 0.556
ARIAL = {c: w for chars, w in [("ijl", 0.222), (" ftI.,:;!/[]'|", 0.278), ("r()-", 0.333), ("cksvxyzJ", 0.5),
                               ("FTZ", 0.611), ("ABEKPSVXY&", 0.667), ("CDHNRUw", 0.722), ("GOQ", 0.778),
                               ("mM", 0.833), ("%", 0.889), ("W—→@", 1.0)] for c in chars}


@lru_cache(maxsize=1 << 16)  # the same texts (a commodity, a laboratory, a status) fill thousands of rows
def row_height(text: str, width: float, size: float = 10, bold: bool = False) -> float:
    """Points of row height that a wrapped text of Arial `size` needs in a column `width` Excel characters wide
    (a merged cell: the sum of its columns' widths). Its lines are those of a greedy word wrap at spaces (a
    newline starts a line; a word longer than a line goes on over the next, as Excel and LibreOffice break it),
    each 1.275 × size high (Excel's 12.75 points for Arial 10), plus the cell's padding. A text is as wide as
    Arial's glyphs make it, bold 10 % wider, and 5 % more for the rounding of glyphs to a screen's pixels."""
    room = (width * 7 + 5 - 7) * 0.75  # Excel: 7 px a character of the default font + 5 px; less the cell's margins
    em = size * 1.05 * (1.1 if bold else 1.0)
    lines = 0
    for paragraph in str(text).split("\n"):
        used, lines = 0.0, lines + 1
        for word in paragraph.split():
            length = em * sum(ARIAL.get(c, 0.556) for c in word)
            space = em * ARIAL[" "] if used else 0.0
            if used and used + space + length > room:
                used, space, lines = 0.0, 0.0, lines + 1
            used += space + length
            while used > room:  # a word wider than the column
                used, lines = used - room, lines + 1
    return lines * size * 1.275 + 2.25  # one line of Arial 10: 15 points, the default height


def sheet_names() -> list[str]:
    """The sheets' names in the language of the run: at most 31 characters, none of []:*?/\\ (Excel's rules)."""
    return [SHEET_NAME.sub("-", _(name)).strip("'")[:31] for name in SHEETS]


@dataclass
class Col:
    header: str
    width: float
    kind: str = "text"  # text | wrap | center | persen | rupiah | angka | hari | bilangan | nomor (row number)
    figure: bool | None = None  # a figure of the period (marked when held back); None: the numeric kinds

    @property
    def is_figure(self) -> bool:
        return self.kind in FIGURES if self.figure is None else self.figure


FIGURES = {"persen", "rupiah", "angka", "hari", "bilangan"}


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        base = {"font_name": "Arial", "font_size": 10, "valign": "top", "border": 1}
        self.title = wb.add_format({"font_name": "Arial", "bold": True, "font_size": 13})
        self.caption = wb.add_format({"font_name": "Arial", "italic": True, "font_size": 10})
        self.header = wb.add_format({**base, "bold": True, "text_wrap": True, "align": "center",
                                     "valign": "vcenter", "bg_color": "#DDEBF7"})
        self.notice_title = wb.add_format({"font_name": "Arial", "bold": True, "font_size": 11,
                                           "font_color": "#9C2A00", "bg_color": NOTICE_FILL})
        self.notice = wb.add_format({"font_name": "Arial", "font_size": 10, "text_wrap": True, "valign": "top",
                                     "bg_color": NOTICE_FILL})
        self.cell: dict[tuple[str, bool, str | None], Any] = {}
        kinds = {"text": {}, "wrap": {"text_wrap": True}, "center": {"align": "center"},
                 "persen": {"num_format": PERSEN}, "rupiah": {"num_format": RUPIAH},
                 "angka": {"num_format": ANGKA}, "hari": {"num_format": HARI},
                 "bilangan": {"num_format": BILANGAN}, "nomor": {"num_format": BILANGAN}}
        for kind, props in kinds.items():
            for bold in (False, True):
                fmt = {**base, **props, "bold": bold}
                if kind in ("persen", "rupiah", "angka", "hari", "bilangan"):
                    fmt["align"] = "right"
                elif kind == "nomor":
                    fmt["align"] = "center"
                self.cell[kind, bold, None] = wb.add_format(fmt)
                for state, fill in HELD_FILL.items():
                    self.cell[kind, bold, state] = wb.add_format({**fmt, "bg_color": fill})
        # "-" in a numeric column: text, right-aligned like the numbers around it
        self.dash = {(bold, state): wb.add_format({**base, "align": "right", "bold": bold,
                                                   **({"bg_color": HELD_FILL[state]} if state else {})})
                     for bold in (False, True) for state in (None, *HELD_FILL)}

    def of(self, kind: str, bold: bool = False, state: str | None = None):
        return self.cell[kind, bold, state]


NUMERIC = {"persen", "rupiah", "angka", "hari", "bilangan", "nomor"}


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return float(value)
    number = float(value) if isinstance(value, (int, float, Decimal)) else None
    if number is None or math.isnan(number) or math.isinf(number):
        return None
    return number


def _missing(value: Any, kind: str) -> bool:
    return _number(value) is None if kind in NUMERIC else value is None or value == ""


class _Sheet:
    """A worksheet written row by row; every value goes through `put`, which writes numbers as numbers and
    everything else as a string. `notice`: what went wrong, above the first table."""

    def __init__(self, wb: xlsxwriter.Workbook, fmt: _Formats, name: str, title: str, caption: str,
                 cols: list[Col], notice_lines: list[str] = ()):
        self.ws: Worksheet = wb.add_worksheet(name)
        self.fmt = fmt
        self.cols = cols
        self.widths = [col.width for col in cols]  # the sheet's columns (a later table's Col widths are 0)
        self.heights: dict[int, float] = {}  # the rows given a height of their own
        self.ws.write_string(0, 0, title, fmt.title)
        self.ws.write_string(1, 0, caption, fmt.caption)
        for i, col in enumerate(cols):
            self.ws.set_column(i, i, col.width)
        self.row = HEADER_ROW
        for i, line in enumerate(notice_lines):
            self._notice(line, title=i == 0)
        if notice_lines:
            self.row += 1  # a blank row before the table
        header_row = self.row
        self.header(cols)
        self.ws.freeze_panes(header_row + 1, 0)
        self.ws.set_landscape()
        self.ws.set_paper(9)  # A4
        self.ws.fit_to_pages(1, 0)
        self.ws.repeat_rows(header_row)

    def fit(self, row: int, col: int, text: str, bold: bool = False, size: float = 10, last_row: int | None = None,
            last_col: int | None = None) -> None:
        """Make the rows row..last_row tall enough for a wrapped text in the columns col..last_col (a merged cell:
        its width is their sum; what its rows lack together is shared among them)."""
        need = row_height(text, sum(self.widths[col:(last_col or col) + 1]), size, bold)
        rows = range(row, (last_row or row) + 1)
        lack = need - sum(self.heights.get(r, DEFAULT_HEIGHT) for r in rows)
        if lack > 0.01:
            share = lack / len(rows)
            for r in rows:  # whole pixels of 0.75 points, rounded up (set_row would round to the nearest)
                pixels = math.ceil(round((self.heights.get(r, DEFAULT_HEIGHT) + share) * 4 / 3, 6))
                self.heights[r] = pixels * 0.75
                self.ws.set_row_pixels(r, pixels)

    def _notice(self, text: str, title: bool) -> None:
        """A line of the notice (its title: bold, 11 points) across the table's width, high enough for its text."""
        last = max(len(self.cols) - 1, 1)
        cell_format = self.fmt.notice_title if title else self.fmt.notice
        self.ws.merge_range(self.row, 0, self.row, last, "", cell_format)
        self.ws.write_string(self.row, 0, text, cell_format)
        self.fit(self.row, 0, text, bold=title, size=11 if title else 10, last_col=last)
        self.row += 1

    def header(self, cols: list[Col]) -> None:
        for i, col in enumerate(cols):
            self.ws.write_string(self.row, i, col.header, self.fmt.header)
            self.fit(self.row, i, col.header, bold=True)
        self.row += 1

    def caption(self, text: str) -> None:
        self.row += 1  # a blank row before a new section
        self.ws.write_string(self.row, 0, text, self.fmt.caption)
        self.row += 1

    def put(self, row: int, col: int, value: Any, kind: str, bold: bool = False, hold: Hold | None = None,
            last_row: int | None = None, last_col: int | None = None) -> None:
        """Write a value; `hold`: a figure held back by a refused source (coloured, with a comment): every one of a
        table kept at its last good version, a missing one of a table with no data yet. A wrapped text makes its
        rows tall enough (last_row, last_col: the merged cell it is written in)."""
        state = hold.state if hold is not None and hold.state in HELD_FILL else None
        if state == NO_DATA and not _missing(value, kind):
            state = None
        if kind in NUMERIC:
            number = _number(value)
            if number is None:
                self.ws.write_string(row, col, "-", self.fmt.dash[bold, state])
            else:
                self.ws.write_number(row, col, number, self.fmt.of(kind, bold, state))
        else:
            text = "-" if value is None or value == "" else str(value)
            self.ws.write_string(row, col, text, self.fmt.of(kind, bold, state))
            if kind == "wrap":
                self.fit(row, col, text, bold, last_row=last_row, last_col=last_col)
        if state:
            self.ws.write_comment(row, col, hold.note(), {"author": "sakip", "x_scale": 2.2, "y_scale": 1.3})

    def add(self, values: list[Any], cols: list[Col] | None = None, bold: bool = False,
            hold: Hold | None = None) -> int:
        for i, (value, col) in enumerate(zip(values, cols or self.cols)):
            self.put(self.row, i, value, col.kind, bold, hold if col.is_figure else None)
        self.row += 1
        return self.row - 1

    def merge(self, first: int, last: int, col: int, value: Any, kind: str, bold: bool = False,
              hold: Hold | None = None) -> None:
        """Merge rows first..last of a column and write value into it (as a number or a string)."""
        if last > first:
            state = hold.state if hold is not None and hold.state in HELD_FILL else None
            if state == NO_DATA and not _missing(value, kind):
                state = None
            fmt = (self.fmt.dash[bold, state] if kind in NUMERIC and _number(value) is None
                   else self.fmt.of(kind, bold, state))
            self.ws.merge_range(first, col, last, col, "", fmt)
        self.put(first, col, value, kind, bold, hold, last_row=last)

    def merge_across(self, row: int, first_col: int, last_col: int, text: str, kind: str = "text",
                     bold: bool = True) -> None:
        self.ws.merge_range(row, first_col, row, last_col, "", self.fmt.of(kind, bold))
        self.put(row, first_col, text, kind, bold, last_col=last_col)

    def empty(self) -> None:
        self.ws.write_string(self.row, 0, _(TANPA_DATA), self.fmt.caption)
        self.row += 1


def _aturan_waktu() -> dict[str, tuple[int, str]]:
    """jenis_waktu → (order, name) from the reference table of timelines (the unit's own reference folder when
    SAKIP_REFERENCE_DIR is set, as the pipeline does)."""
    path = reference_dir() / "aturan_waktu.csv"
    path = path if path.exists() else BUNDLED_REFERENCE / "aturan_waktu.csv"
    try:
        with open(path, newline="", encoding="utf-8") as f:
            return {r["kode"]: (i, r["nama"]) for i, r in enumerate(csv.DictReader(f))}
    except (OSError, KeyError):
        return {}


def write_workbook(published: Path, kode_satker: str, tahun: int, bulan: int, path: Path) -> Path:
    """Write the report's tables of one satker and period, read from the published DuckDB file (opened
    read-only), to the workbook `path` (parent folders created; the file is replaced whole). Returns `path`.
    Raises LookupError when the published file has no NKO for that satker and period."""
    key = (str(kode_satker), int(tahun), int(bulan))
    con = duckdb.connect(str(published), read_only=True)
    try:
        report = load(con, [key], refused=False)[key]
    finally:
        con.close()
    return build_workbook(report, Path(path), Path(published).name)


def _notice_lines(report: ReportData) -> list[str]:
    """The first sheet's notice: its title, then a line per refused source that holds back figures."""
    marks = {KEPT: _("in yellow, with a comment"), NO_DATA: _("in orange, with a comment")}
    found = notice(report, FIGURE_TABLES, marks)
    return [] if found is None else [found.title, *found.paragraphs]


def build_workbook(report: ReportData, path: Path, source: str) -> Path:
    """The workbook of one satker-month from its report data (`source`: the published file it came from)."""
    kode_satker, tahun, bulan = report.key
    if report.first("nko") is None:
        raise LookupError(_("{source} has no published figures for satker {satker}, {period}").format(
            source=source, satker=kode_satker, period=periode(tahun, bulan)))
    data = {**{table: report.rows(table) for table in TABLES}, "nko": report.first("nko")}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # in_memory: the parts are zipped from memory, not first written to temporary files (10 % faster)
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False,
                                        "strings_to_urls": False, "in_memory": True})
    try:
        fmt = _Formats(wb)
        title = f"{data['nko']['nama_satker'] or kode_satker} — {periode(int(tahun), int(bulan))}"
        wb.set_properties({"title": _("Lampiran Laporan Kinerja {title}").format(title=title), "author": "sakip"})
        names = sheet_names()
        month = nama_bulan(int(bulan))
        _pengukuran_kinerja(wb, fmt, names[0], title, month, data, report, _notice_lines(report))
        _capaian_sasaran(wb, fmt, names[1], title, data, report)
        _capaian_tahunan(wb, fmt, names[2], title, month, data, report)
        _realisasi_anggaran(wb, fmt, names[3], title, data, report)
        _kinerja_anggaran(wb, fmt, names[4], title, data, report)
        _efisiensi(wb, fmt, names[5], title, data, report)
        _sla(wb, fmt, names[6], title, data, report)
        _ketepatan_waktu(wb, fmt, names[7], title, data, report)
        wb.close()
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _no() -> Col:
    return Col(_("No."), 5, "nomor")


def _pengukuran_kinerja(wb, fmt: _Formats, name: str, title: str, month: str, data: dict, report: ReportData,
                        notice_lines: list[str]) -> None:
    cols = [_no(), Col(_("Strategic objective"), 34, "wrap"), Col(_("Indicator"), 48, "wrap"),
            Col(_("Month"), 11, "center"), Col(_("Target"), 11, "angka"), Col("Realisasi", 11, "angka"),
            Col("% Capaian", 12, "persen"), Col(_("Justification"), 13, "center", figure=True),
            Col("Nilai Akhir", 12, "persen"), Col("Kriteria", 16, "wrap", figure=True),
            Col(_("Remarks"), 30, "wrap")]
    s = _Sheet(wb, fmt, name, title, _("Table 3.1 Performance measurement"), cols, notice_lines)
    hold = report.hold("capaian_iku")
    normalised = _("Normalised")
    for no, r in enumerate(data["capaian_iku"], start=1):
        justifikasi = normalised if r["normalisasi"] else "-"
        s.add([no, r["sasaran"], r["indikator"], month, r["target"], r["realisasi"], r["capaian"],
               justifikasi, r["nilai_akhir"], r["kriteria"], r["keterangan"]], hold=hold)
    if not data["capaian_iku"]:
        s.empty()
    nko = data["nko"]
    hold = report.hold("nko")
    last_label = 7  # No … Justifikasi; the figure goes into Nilai Akhir
    for label, value, kind in [(_("Total capaian PK"), nko["total_nilai_akhir"], "persen"),
                               (_("Organisation performance value (mean capaian PK)"), nko["nko"], "persen"),
                               ("Predikat NKO", nko["predikat"], "center")]:
        s.merge_across(s.row, 0, last_label, label)
        s.put(s.row, last_label + 1, value, kind, bold=True, hold=hold)
        for col in range(last_label + 2, len(cols)):
            s.ws.write_blank(s.row, col, None, fmt.of("text", True))
        s.row += 1
    measured = _("Measured {measured} of {total} indicators; indicators not measured (no target or realisasi) are "
                 "marked '-' and are not in the mean.").format(measured=nko["jumlah_diukur"], total=nko["jumlah_iku"])
    s.ws.write_string(s.row + 1, 0, measured, fmt.caption)
    for i, held in enumerate(dict.fromkeys(h.note() for h in (report.hold("capaian_iku"), hold)
                                           if h is not None and h.state in HELD_FILL)):
        s.ws.write_string(s.row + 2 + i, 0, _("Marked cells: {note}").format(note=held), fmt.caption)


def _capaian_sasaran(wb, fmt: _Formats, name: str, title: str, data: dict, report: ReportData) -> None:
    cols = [_no(), Col(_("SS code"), 9, "center"), Col(_("Strategic objective"), 52, "wrap"),
            Col(_("IKU count"), 10, "bilangan"), Col(_("IKU measured"), 10, "bilangan"),
            Col(_("Sasaran achievement value (NPS)"), 16, "persen"), Col("Kriteria", 22, "wrap", figure=True)]
    s = _Sheet(wb, fmt, name, title, _("Capaian per strategic objective"), cols)
    hold = report.hold("nilai_sasaran")
    for no, r in enumerate(data["nilai_sasaran"], start=1):
        s.add([no, r["kode_ss"], r["sasaran"], r["jumlah_iku"], r["jumlah_diukur"], r["nps"], r["kriteria"]],
              hold=hold)
    if not data["nilai_sasaran"]:
        s.empty()


def _capaian_tahunan(wb, fmt: _Formats, name: str, title: str, month: str, data: dict, report: ReportData) -> None:
    cols = [_no(), Col(_("Performance indicator"), 56, "wrap"), Col(_("Yearly target"), 12, "angka"),
            Col(_("Realisasi {month}").format(month=month), 12, "angka"),
            Col(_("Capaian against the yearly target"), 16, "persen"), Col("Status", 18, "wrap", figure=True)]
    s = _Sheet(wb, fmt, name, title, _("Realisasi compared with the yearly target"), cols)
    hold = report.hold("capaian_iku")
    for no, r in enumerate(data["capaian_iku"], start=1):
        s.add([no, r["indikator"], r["target_tahunan"], r["realisasi"], r["capaian_tahunan"], r["status_tahunan"]],
              hold=hold)
    if not data["capaian_iku"]:
        s.empty()


def _realisasi_anggaran(wb, fmt: _Formats, name: str, title: str, data: dict, report: ReportData) -> None:
    cols = [_no(), Col(_("Description"), 52, "wrap"), Col(_("RO code"), 17, "text"),
            Col(_("Planned budget pagu"), 20, "rupiah"), Col("Blokir (POK)", 20, "rupiah"),
            Col(_("Budget realisasi"), 20, "rupiah"), Col(_("% Budget realisasi"), 12, "persen")]
    s = _Sheet(wb, fmt, name, title, _("Table 3.3 Budget realisasi per output detail (RO)"), cols)
    rows = data["realisasi_anggaran"]
    hold = report.hold("realisasi_anggaran")
    for no, r in enumerate(rows, start=1):
        s.add([no, r["uraian"], r["kode_ro"], r["pagu"], r["blokir"], r["realisasi"], r["persen_realisasi"]],
              hold=hold)
    if not rows:
        s.empty()
    satker = data["anggaran_satker"][0] if data["anggaran_satker"] else None
    hold_satker = report.hold("anggaran_satker")
    if rows or satker:
        blokir = [r["blokir"] for r in rows if r["blokir"] is not None]
        total_blokir = sum(blokir) if blokir else None  # no POK: blokir unknown, not 0
        pagu = satker["pagu_ro"] if satker else sum((r["pagu"] or 0) for r in rows)
        realisasi = satker["realisasi"] if satker else sum((r["realisasi"] or 0) for r in rows)
        persen = satker["persen_terhadap_pagu_ro"] if satker else (
            float(realisasi) / float(pagu) * 100 if pagu else None)
        s.merge_across(s.row, 0, 2, _("TOTAL"))
        for col, value, kind in [(3, pagu, "rupiah"), (4, total_blokir, "rupiah"), (5, realisasi, "rupiah"),
                                 (6, persen, "persen")]:
            s.put(s.row, col, value, kind, bold=True, hold=hold_satker if satker else hold)
        s.row += 1
    if satker:
        s.caption(_("The satker's budget realisasi against three pagu bases"))
        basis = _("Basis")
        s.header([Col(_("No."), 0), Col(basis, 0), Col("", 0), Col("Pagu", 0), Col("Blokir", 0),
                  Col(_("Budget realisasi"), 0), Col(_("% Budget realisasi"), 0)])
        s.ws.merge_range(s.row - 1, 1, s.row - 1, 2, "", fmt.header)
        s.ws.write_string(s.row - 1, 1, basis, fmt.header)
        netto = (satker["pagu_dipa"] - satker["blokir"]
                 if satker["pagu_dipa"] is not None and satker["blokir"] is not None else None)
        for no, (label, pagu, blokir, persen) in enumerate([
                (_("Against the sum of RO pagu"), satker["pagu_ro"], None, satker["persen_terhadap_pagu_ro"]),
                (_("Against DIPA pagu"), satker["pagu_dipa"], None, satker["persen_terhadap_dipa"]),
                (_("Against DIPA pagu net of blokir (Automatic Adjustment)"), netto, satker["blokir"],
                 satker["persen_terhadap_dipa_netto"])], start=1):
            s.put(s.row, 0, no, "nomor")
            s.ws.merge_range(s.row, 1, s.row, 2, "", fmt.of("wrap"))
            s.put(s.row, 1, label, "wrap", last_col=2)
            for col, value, kind in [(3, pagu, "rupiah"), (4, blokir, "rupiah"), (5, satker["realisasi"], "rupiah"),
                                     (6, persen, "persen")]:
                s.put(s.row, col, value, kind, hold=hold_satker)
            s.row += 1


def _kinerja_anggaran(wb, fmt: _Formats, name: str, title: str, data: dict, report: ReportData) -> None:
    cols = [_no(), Col(_("Strategic objective"), 30, "wrap"), Col(_("Group"), 9, "center"),
            Col(_("Indicator"), 46, "wrap"), Col(_("Performance target"), 10, "angka"),
            Col(_("Performance realisasi"), 10, "angka"), Col(_("% Performance"), 11, "persen"),
            Col(_("Planned budget pagu"), 20, "rupiah"), Col(_("Budget realisasi"), 20, "rupiah"),
            Col(_("% Budget realisasi"), 11, "persen")]
    s = _Sheet(wb, fmt, name, title, _("Performance realisasi compared with budget realisasi"), cols)
    rows = data["kinerja_anggaran"]
    hold = report.hold("kinerja_anggaran")
    sasaran = {r["kode_ss"]: r["sasaran"] for r in data["capaian_iku"]}
    first = s.row
    merged = [*cols[:7], *(Col(c.header, c.width, c.kind, figure=False) for c in cols[7:])]  # marked when merged
    for r in rows:
        s.add([None, None, None, r["indikator"], r["target"], r["realisasi"], r["capaian"], None, None, None],
              merged, hold=hold)
    for no, (a, b) in enumerate(runs_of(rows, "kode_ss"), start=1):
        s.merge(first + a, first + b, 0, no, "nomor")
        s.merge(first + a, first + b, 1, sasaran.get(rows[a]["kode_ss"], rows[a]["kode_ss"]), "wrap")
    for a, b in runs_of(rows, "kelompok"):
        s.merge(first + a, first + b, 2, rows[a]["kelompok"], "center")
        s.merge(first + a, first + b, 7, rows[a]["pagu"], "rupiah", hold=hold)
        s.merge(first + a, first + b, 8, rows[a]["realisasi_anggaran"], "rupiah", hold=hold)
        s.merge(first + a, first + b, 9, rows[a]["persen_realisasi_anggaran"], "persen", hold=hold)
    if not rows:
        s.empty()


def _efisiensi(wb, fmt: _Formats, name: str, title: str, data: dict, report: ReportData) -> None:
    cols = [_no(), Col(_("Programme/activity"), 52, "wrap"), Col(_("% Output capaian"), 12, "persen"),
            Col(_("% Budget realisasi"), 12, "persen"), Col("IE", 9, "angka"), Col("TE", 9, "angka"),
            Col(_("Category"), 14, "wrap", figure=True), Col(_("Efficiency score"), 11, "angka")]
    s = _Sheet(wb, fmt, name, title, _("Efficiency of resource use (IE = % output capaian / % budget realisasi; "
                                       "TE = (IE − SE) / SE)"), cols)
    hold = report.hold("efisiensi")
    for no, r in enumerate(data["efisiensi"], start=1):
        s.add([no, r["uraian"], r["persen_capaian_output"], r["persen_realisasi_anggaran"], r["ie"], r["te"],
               r["kategori"], r["nilai_efisiensi"]], hold=hold)
    if not data["efisiensi"]:
        s.empty()


def _status(value: str | None) -> str | None:
    return _(STATUS_WAKTU[value]) if value in STATUS_WAKTU else value


def _sla(wb, fmt: _Formats, name: str, title: str, data: dict, report: ReportData) -> None:
    cols = [_no(), Col(_("Commodity"), 20, "wrap"), Col(_("Laboratory"), 40, "wrap"),
            Col(_("Number of samples"), 16, "bilangan"), Col(_(STATUS_WAKTU["tepat_waktu"]), 17, "bilangan"),
            Col(_(STATUS_WAKTU["terlambat"]), 17, "bilangan"), Col(_(STATUS_WAKTU["dalam_proses"]), 11, "bilangan"),
            Col(_("Overdue (not finished)"), 11, "bilangan"), Col(_("Median (HK)"), 12, "hari"),
            Col(_("90th percentile (HK)"), 12, "hari")]
    s = _Sheet(wb, fmt, name, title, _("Sample testing SLA (lab receipt → LHU, working days) per commodity and "
                                       "laboratory"), cols)
    summary = data["sla_ringkasan"]
    hold = report.hold("sla_ringkasan")
    for no, r in enumerate(summary, start=1):
        s.add([no, r["komoditi"], r["laboratorium"], r["jumlah_sampel"], r["tepat_waktu"], r["terlambat"],
               r["dalam_proses"], r["lewat_batas"], r["median_hari_kerja"], r["p90_hari_kerja"]], hold=hold)
    if summary:
        s.merge_across(s.row, 0, 2, _("Total"))
        for col, field in [(3, "jumlah_sampel"), (4, "tepat_waktu"), (5, "terlambat"), (6, "dalam_proses"),
                           (7, "lewat_batas")]:
            s.put(s.row, col, sum(r[field] or 0 for r in summary), "bilangan", bold=True, hold=hold)
        for col in (8, 9):
            s.ws.write_blank(s.row, col, None, fmt.of("hari", True))
        s.row += 1
    else:
        s.empty()
    # The lampiran lists what needs explaining: a year's on-time samples run to thousands of rows per unit;
    # all of them are in mart.sla_pengujian.
    s.caption(_("Samples not on time (late, in progress, overdue); every sample: mart.sla_pengujian"))
    detail = [Col(_("No."), 0, "nomor"), Col(_("Commodity"), 0, "wrap"), Col(_("Laboratory"), 0, "wrap"),
              Col(_("Sample code"), 0, "text"), Col(_("Lab receipt date"), 0, "text"), Col(_("LHU date"), 0, "text"),
              Col(_("Working days"), 0, "bilangan"), Col(_("Limit (HK)"), 0, "bilangan"),
              Col(_("Late (HK)"), 0, "bilangan"), Col("Status", 0, "text", figure=True)]
    s.header(detail)
    hold = report.hold("sla_pengujian")
    exceptions = [r for r in data["sla_pengujian"] if r["status"] != "tepat_waktu"]
    for no, r in enumerate(exceptions, start=1):
        s.add([no, r["komoditi"], r["laboratorium"], r["kode_sampel"], tanggal(r["tanggal_terima_lab"]),
               tanggal(r["tanggal_lhu"]), r["hari_kerja"], r["batas_hari_kerja"], r["terlambat_hari_kerja"],
               _status(r["status"])], detail, hold=hold)
    if not exceptions:
        s.empty()


def _ketepatan_waktu(wb, fmt: _Formats, name: str, title: str, data: dict, report: ReportData) -> None:
    aturan = _aturan_waktu()

    def urut(r: dict) -> tuple:
        return aturan.get(r["jenis_waktu"], (len(aturan), r["jenis_waktu"]))[0], r["jenis_waktu"]

    def nama(jenis: str) -> str:
        return aturan.get(jenis, (0, jenis))[1]

    cols = [_no(), Col(_("Type"), 30, "wrap"), Col(_("Group"), 20, "wrap"),
            Col(_("Count"), 26, "bilangan"), Col(_(STATUS_WAKTU["tepat_waktu"]), 17, "bilangan"),
            Col(_(STATUS_WAKTU["terlambat"]), 17, "bilangan"), Col(_(STATUS_WAKTU["dalam_proses"]), 11, "bilangan"),
            Col(_("Overdue (not finished)"), 12, "bilangan"), Col(_("Median duration"), 10, "hari"),
            Col(_("90th percentile duration"), 10, "hari"), Col(_("Unit"), 12, "center")]
    s = _Sheet(wb, fmt, name, title, _("Timeliness (inspection reports, follow-up letters, CAPA, recommendation "
                                       "feedback); HK = hari kerja, working days"), cols)
    hold = report.hold("ketepatan_waktu_ringkasan")
    summary = sorted(data["ketepatan_waktu_ringkasan"], key=lambda r: (urut(r), r["kelompok"] or ""))
    for no, r in enumerate(summary, start=1):
        s.add([no, nama(r["jenis_waktu"]), r["kelompok"], r["jumlah"], r["tepat_waktu"], r["terlambat"],
               r["dalam_proses"], r["lewat_batas"], r["median_durasi"], r["p90_durasi"], r["satuan"]], hold=hold)
    if not summary:
        s.empty()
    s.caption(_("Items not on time (late, in progress, overdue); every item: mart.ketepatan_waktu"))
    detail = [Col(_("No."), 0, "nomor"), Col(_("Type"), 0, "wrap"), Col(_("Group"), 0, "wrap"),
              Col(_("Item code"), 0, "wrap"), Col(_("Start date"), 0, "text"), Col(_("End date"), 0, "text"),
              Col(_("Duration"), 0, "bilangan"), Col(_("Limit"), 0, "bilangan"),
              Col(_(STATUS_WAKTU["terlambat"]), 0, "bilangan"), Col(_("Unit"), 0, "center"),
              Col("Status", 0, "text", figure=True)]
    s.header(detail)
    hold = report.hold("ketepatan_waktu")
    items = sorted((r for r in data["ketepatan_waktu"] if r["status"] != "tepat_waktu"),
                   key=lambda r: (urut(r), r["tanggal_mulai"] or dt.date.min, r["kode_item"] or ""))
    for no, r in enumerate(items, start=1):
        s.add([no, nama(r["jenis_waktu"]), r["kelompok"], r["kode_item"], tanggal(r["tanggal_mulai"]),
               tanggal(r["tanggal_selesai"]), r["durasi"], r["batas"], r["terlambat"], r["satuan"],
               _status(r["status"])], detail, hold=hold)
    if not items:
        s.empty()
