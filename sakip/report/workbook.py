"""The report's tables as an Excel workbook for planners (issue 6): one sheet per table of the Laporan Kinerja,
in the report's own column order, read from the published file.

Numbers stay numbers, with Excel number formats: percentages hold the percent value (105.7252…) with
`0.00"%"` (no scaling by 100), amounts `"Rp "#,##0`, plain figures `0.00`. Excel shows the decimal and
thousands separators of the reader's locale (`105,73%`, `Rp 1.601.792.883` on an Indonesian system). Dates are
written as text (`30 Juni 2025`). Every text value is written with `write_string`, so a name that begins with
`=`, `+`, `-` or `@` in a source file stays text and never becomes a formula; an undefined value is the
text `-`.

    write_workbook(Path("wh/published.duckdb"), "672849", 2025, 6, Path("wh/reports/672849/2025-06/lampiran.xlsx"))
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from sakip.report.data import TABLES, ReportData, load
from sakip.report.format import BULAN, periode, tanggal
from sakip.warehouse.db import BUNDLED_REFERENCE, reference_dir

PERSEN = '0.00"%"'
RUPIAH = '"Rp "#,##0'
ANGKA = "0.00"
HARI = "0.0"
BILANGAN = "0"

SHEETS = ["3.1 Pengukuran Kinerja", "Capaian per Sasaran", "Capaian Tahunan", "3.3 Realisasi Anggaran",
          "Kinerja vs Anggaran", "Efisiensi", "SLA Pengujian", "Ketepatan Waktu"]

STATUS_WAKTU = {"tepat_waktu": "Tepat Waktu", "terlambat": "Terlambat", "dalam_proses": "Dalam Proses",
                "lewat_batas": "Lewat Batas"}

HEADER_ROW = 2  # row 0: title, row 1: caption, row 2: header of the sheet's first table
TANPA_DATA = "Tidak ada data untuk periode ini"


@dataclass
class Col:
    header: str
    width: float
    kind: str = "text"  # text | wrap | center | persen | rupiah | angka | hari | bilangan | nomor (row number)


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        base = {"font_name": "Arial", "font_size": 10, "valign": "top", "border": 1}
        self.title = wb.add_format({"font_name": "Arial", "bold": True, "font_size": 13})
        self.caption = wb.add_format({"font_name": "Arial", "italic": True, "font_size": 10})
        self.header = wb.add_format({**base, "bold": True, "text_wrap": True, "align": "center",
                                     "valign": "vcenter", "bg_color": "#DDEBF7"})
        self.cell: dict[tuple[str, bool], Any] = {}
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
                self.cell[kind, bold] = wb.add_format(fmt)
        # "-" in a numeric column: text, right-aligned like the numbers around it
        self.dash = {bold: wb.add_format({**base, "align": "right", "bold": bold}) for bold in (False, True)}

    def of(self, kind: str, bold: bool = False):
        return self.cell[kind, bold]


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


class _Sheet:
    """A worksheet written row by row; every value goes through `put`, which writes numbers as numbers and
    everything else as a string."""

    def __init__(self, wb: xlsxwriter.Workbook, fmt: _Formats, name: str, title: str, caption: str,
                 cols: list[Col]):
        self.ws: Worksheet = wb.add_worksheet(name)
        self.fmt = fmt
        self.cols = cols
        self.ws.write_string(0, 0, title, fmt.title)
        self.ws.write_string(1, 0, caption, fmt.caption)
        for i, col in enumerate(cols):
            self.ws.set_column(i, i, col.width)
        self.row = HEADER_ROW
        self.header(cols)
        self.ws.freeze_panes(HEADER_ROW + 1, 0)
        self.ws.set_landscape()
        self.ws.set_paper(9)  # A4
        self.ws.fit_to_pages(1, 0)
        self.ws.repeat_rows(HEADER_ROW)

    def header(self, cols: list[Col]) -> None:
        for i, col in enumerate(cols):
            self.ws.write_string(self.row, i, col.header, self.fmt.header)
        self.row += 1

    def caption(self, text: str) -> None:
        self.row += 1  # a blank row before a new section
        self.ws.write_string(self.row, 0, text, self.fmt.caption)
        self.row += 1

    def put(self, row: int, col: int, value: Any, kind: str, bold: bool = False) -> None:
        if kind in NUMERIC:
            number = _number(value)
            if number is None:
                self.ws.write_string(row, col, "-", self.fmt.dash[bold])
            else:
                self.ws.write_number(row, col, number, self.fmt.of(kind, bold))
        else:
            text = "-" if value is None or value == "" else str(value)
            self.ws.write_string(row, col, text, self.fmt.of(kind, bold))

    def add(self, values: list[Any], kinds: list[str] | None = None, bold: bool = False) -> int:
        kinds = kinds or [c.kind for c in self.cols]
        for i, (value, kind) in enumerate(zip(values, kinds)):
            self.put(self.row, i, value, kind, bold)
        self.row += 1
        return self.row - 1

    def merge(self, first: int, last: int, col: int, value: Any, kind: str, bold: bool = False) -> None:
        """Merge rows first..last of a column and write value into it (as a number or a string)."""
        if last > first:
            fmt = self.fmt.dash[bold] if kind in NUMERIC and _number(value) is None else self.fmt.of(kind, bold)
            self.ws.merge_range(first, col, last, col, "", fmt)
        self.put(first, col, value, kind, bold)

    def merge_across(self, row: int, first_col: int, last_col: int, text: str, kind: str = "text",
                     bold: bool = True) -> None:
        self.ws.merge_range(row, first_col, row, last_col, "", self.fmt.of(kind, bold))
        self.ws.write_string(row, first_col, text, self.fmt.of(kind, bold))

    def empty(self) -> None:
        self.ws.write_string(self.row, 0, TANPA_DATA, self.fmt.caption)
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


def _runs(rows: list[dict], key: str) -> list[tuple[int, int]]:
    """(first, last) indexes of consecutive rows with the same value of key."""
    runs: list[tuple[int, int]] = []
    for i, r in enumerate(rows):
        if runs and rows[runs[-1][0]][key] == r[key]:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


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


def build_workbook(report: ReportData, path: Path, source: str) -> Path:
    """The workbook of one satker-month from its report data (`source`: the published file it came from)."""
    kode_satker, tahun, bulan = report.key
    if report.first("nko") is None:
        raise LookupError(f"{source} has no published figures for satker {kode_satker}, {periode(tahun, bulan)}")
    data = {**{table: report.rows(table) for table in TABLES}, "nko": report.first("nko")}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # in_memory: the parts are zipped from memory, not first written to temporary files (10 % faster)
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False,
                                        "strings_to_urls": False, "in_memory": True})
    try:
        fmt = _Formats(wb)
        title = f"{data['nko']['nama_satker'] or kode_satker} — {periode(int(tahun), int(bulan))}"
        wb.set_properties({"title": f"Lampiran Laporan Kinerja {title}", "author": "sakip"})
        nama_bulan = BULAN[int(bulan) - 1]
        _pengukuran_kinerja(wb, fmt, title, nama_bulan, data)
        _capaian_sasaran(wb, fmt, title, data)
        _capaian_tahunan(wb, fmt, title, nama_bulan, data)
        _realisasi_anggaran(wb, fmt, title, data)
        _kinerja_anggaran(wb, fmt, title, data)
        _efisiensi(wb, fmt, title, data)
        _sla(wb, fmt, title, data)
        _ketepatan_waktu(wb, fmt, title, data)
        wb.close()
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _pengukuran_kinerja(wb, fmt: _Formats, title: str, nama_bulan: str, data: dict) -> None:
    cols = [Col("No", 5, "nomor"), Col("Sasaran Strategis", 34, "wrap"), Col("Indikator", 48, "wrap"),
            Col("Bulan", 11, "center"), Col("Target", 11, "angka"), Col("Realisasi", 11, "angka"),
            Col("% Capaian", 12, "persen"), Col("Justifikasi", 13, "center"), Col("Nilai Akhir", 12, "persen"),
            Col("Kriteria", 16, "wrap"), Col("Keterangan", 30, "wrap")]
    s = _Sheet(wb, fmt, SHEETS[0], title, "Tabel 3.1 Pengukuran Kinerja", cols)
    for no, r in enumerate(data["capaian_iku"], start=1):
        justifikasi = "Normalisasi" if r["normalisasi"] else "-"
        s.add([no, r["sasaran"], r["indikator"], nama_bulan, r["target"], r["realisasi"], r["capaian"],
               justifikasi, r["nilai_akhir"], r["kriteria"], r["keterangan"]])
    if not data["capaian_iku"]:
        s.empty()
    nko = data["nko"]
    last_label = 7  # No … Justifikasi; the figure goes into Nilai Akhir
    for label, value, kind in [("Total Capaian PK", nko["total_nilai_akhir"], "persen"),
                               ("Nilai Kinerja Organisasi (Rata-rata Capaian PK)", nko["nko"], "persen"),
                               ("Predikat NKO", nko["predikat"], "center")]:
        s.merge_across(s.row, 0, last_label, label)
        s.put(s.row, last_label + 1, value, kind, bold=True)
        for col in range(last_label + 2, len(cols)):
            s.ws.write_blank(s.row, col, None, fmt.of("text", True))
        s.row += 1
    s.ws.write_string(s.row + 1, 0, f"Diukur {nko['jumlah_diukur']} dari {nko['jumlah_iku']} indikator; "
                                    "indikator yang tidak diukur (tanpa target atau realisasi) ditandai '-' dan "
                                    "tidak masuk rata-rata.", fmt.caption)


def _capaian_sasaran(wb, fmt: _Formats, title: str, data: dict) -> None:
    cols = [Col("No", 5, "nomor"), Col("Kode SS", 9, "center"), Col("Sasaran Strategis", 52, "wrap"),
            Col("Jumlah IKU", 10, "bilangan"), Col("IKU Diukur", 10, "bilangan"),
            Col("Nilai Pencapaian Sasaran (NPS)", 16, "persen"), Col("Kriteria", 22, "wrap")]
    s = _Sheet(wb, fmt, SHEETS[1], title, "Capaian per Sasaran Strategis", cols)
    for no, r in enumerate(data["nilai_sasaran"], start=1):
        s.add([no, r["kode_ss"], r["sasaran"], r["jumlah_iku"], r["jumlah_diukur"], r["nps"], r["kriteria"]])
    if not data["nilai_sasaran"]:
        s.empty()


def _capaian_tahunan(wb, fmt: _Formats, title: str, nama_bulan: str, data: dict) -> None:
    cols = [Col("No", 5, "nomor"), Col("Indikator Kinerja", 56, "wrap"), Col("Target Tahunan", 12, "angka"),
            Col(f"Realisasi {nama_bulan}", 12, "angka"), Col("Capaian Terhadap Target Tahunan", 16, "persen"),
            Col("Status", 18, "wrap")]
    s = _Sheet(wb, fmt, SHEETS[2], title, "Perbandingan Realisasi terhadap Target Tahunan", cols)
    for no, r in enumerate(data["capaian_iku"], start=1):
        s.add([no, r["indikator"], r["target_tahunan"], r["realisasi"], r["capaian_tahunan"], r["status_tahunan"]])
    if not data["capaian_iku"]:
        s.empty()


def _realisasi_anggaran(wb, fmt: _Formats, title: str, data: dict) -> None:
    cols = [Col("No", 5, "nomor"), Col("Uraian", 52, "wrap"), Col("Kode RO", 17, "text"),
            Col("Rencana Pagu Anggaran", 20, "rupiah"), Col("Blokir (POK)", 20, "rupiah"),
            Col("Realisasi Anggaran", 20, "rupiah"), Col("% Realisasi Anggaran", 12, "persen")]
    s = _Sheet(wb, fmt, SHEETS[3], title, "Tabel 3.3 Realisasi Anggaran per Rincian Output (RO)", cols)
    rows = data["realisasi_anggaran"]
    for no, r in enumerate(rows, start=1):
        s.add([no, r["uraian"], r["kode_ro"], r["pagu"], r["blokir"], r["realisasi"], r["persen_realisasi"]])
    if not rows:
        s.empty()
    satker = data["anggaran_satker"][0] if data["anggaran_satker"] else None
    if rows or satker:
        blokir = [r["blokir"] for r in rows if r["blokir"] is not None]
        total_blokir = sum(blokir) if blokir else None  # no POK: blokir unknown, not 0
        pagu = satker["pagu_ro"] if satker else sum((r["pagu"] or 0) for r in rows)
        realisasi = satker["realisasi"] if satker else sum((r["realisasi"] or 0) for r in rows)
        persen = satker["persen_terhadap_pagu_ro"] if satker else (
            float(realisasi) / float(pagu) * 100 if pagu else None)
        s.merge_across(s.row, 0, 2, "JUMLAH")
        for col, value, kind in [(3, pagu, "rupiah"), (4, total_blokir, "rupiah"), (5, realisasi, "rupiah"),
                                 (6, persen, "persen")]:
            s.put(s.row, col, value, kind, bold=True)
        s.row += 1
    if satker:
        s.caption("Realisasi anggaran satker terhadap tiga dasar pagu")
        s.header([Col("No", 0), Col("Dasar Perhitungan", 0), Col("", 0), Col("Pagu", 0), Col("Blokir", 0),
                  Col("Realisasi Anggaran", 0), Col("% Realisasi Anggaran", 0)])
        s.ws.merge_range(s.row - 1, 1, s.row - 1, 2, "", fmt.header)
        s.ws.write_string(s.row - 1, 1, "Dasar Perhitungan", fmt.header)
        netto = (satker["pagu_dipa"] - satker["blokir"]
                 if satker["pagu_dipa"] is not None and satker["blokir"] is not None else None)
        for no, (label, pagu, blokir, persen) in enumerate([
                ("Terhadap jumlah pagu RO", satker["pagu_ro"], None, satker["persen_terhadap_pagu_ro"]),
                ("Terhadap pagu DIPA", satker["pagu_dipa"], None, satker["persen_terhadap_dipa"]),
                ("Terhadap pagu DIPA dikurangi blokir (Automatic Adjustment)", netto, satker["blokir"],
                 satker["persen_terhadap_dipa_netto"])], start=1):
            s.put(s.row, 0, no, "nomor")
            s.ws.merge_range(s.row, 1, s.row, 2, "", fmt.of("wrap"))
            s.put(s.row, 1, label, "wrap")
            for col, value, kind in [(3, pagu, "rupiah"), (4, blokir, "rupiah"), (5, satker["realisasi"], "rupiah"),
                                     (6, persen, "persen")]:
                s.put(s.row, col, value, kind)
            s.row += 1


def _kinerja_anggaran(wb, fmt: _Formats, title: str, data: dict) -> None:
    cols = [Col("No", 5, "nomor"), Col("Sasaran Strategis", 30, "wrap"), Col("Kelompok", 9, "center"),
            Col("Indikator", 46, "wrap"), Col("Target Kinerja", 10, "angka"), Col("Realisasi Kinerja", 10, "angka"),
            Col("% Kinerja", 11, "persen"), Col("Rencana Pagu Anggaran", 20, "rupiah"),
            Col("Realisasi Anggaran", 20, "rupiah"), Col("% Realisasi Anggaran", 11, "persen")]
    s = _Sheet(wb, fmt, SHEETS[4], title, "Perbandingan Realisasi Kinerja dengan Realisasi Anggaran", cols)
    rows = data["kinerja_anggaran"]
    sasaran = {r["kode_ss"]: r["sasaran"] for r in data["capaian_iku"]}
    first = s.row
    for r in rows:
        s.add([None, None, None, r["indikator"], r["target"], r["realisasi"], r["capaian"], None, None, None])
    for no, (a, b) in enumerate(_runs(rows, "kode_ss"), start=1):
        s.merge(first + a, first + b, 0, no, "nomor")
        s.merge(first + a, first + b, 1, sasaran.get(rows[a]["kode_ss"], rows[a]["kode_ss"]), "wrap")
    for a, b in _runs(rows, "kelompok"):
        s.merge(first + a, first + b, 2, rows[a]["kelompok"], "center")
        s.merge(first + a, first + b, 7, rows[a]["pagu"], "rupiah")
        s.merge(first + a, first + b, 8, rows[a]["realisasi_anggaran"], "rupiah")
        s.merge(first + a, first + b, 9, rows[a]["persen_realisasi_anggaran"], "persen")
    if not rows:
        s.empty()


def _efisiensi(wb, fmt: _Formats, title: str, data: dict) -> None:
    cols = [Col("No", 5, "nomor"), Col("Program/Kegiatan", 52, "wrap"), Col("% Capaian Output", 12, "persen"),
            Col("% Realisasi Anggaran", 12, "persen"), Col("IE", 9, "angka"), Col("TE", 9, "angka"),
            Col("Kategori", 14, "wrap"), Col("Nilai Efisiensi", 11, "angka")]
    s = _Sheet(wb, fmt, SHEETS[5], title, "Efisiensi Penggunaan Sumber Daya (IE = % capaian output / "
                                          "% realisasi anggaran; TE = (IE − 1) / 1)", cols)
    for no, r in enumerate(data["efisiensi"], start=1):
        s.add([no, r["uraian"], r["persen_capaian_output"], r["persen_realisasi_anggaran"], r["ie"], r["te"],
               r["kategori"], r["nilai_efisiensi"]])
    if not data["efisiensi"]:
        s.empty()


def _sla(wb, fmt: _Formats, title: str, data: dict) -> None:
    cols = [Col("No", 5, "nomor"), Col("Komoditi", 20, "wrap"), Col("Laboratorium", 40, "wrap"),
            Col("Jumlah Sampel", 16, "bilangan"), Col("Tepat Waktu", 17, "bilangan"),
            Col("Terlambat", 17, "bilangan"), Col("Dalam Proses", 11, "bilangan"),
            Col("Lewat Batas (belum selesai)", 11, "bilangan"), Col("Median (HK)", 12, "hari"),
            Col("Persentil 90 (HK)", 12, "hari")]
    s = _Sheet(wb, fmt, SHEETS[6], title, "SLA Pengujian Sampel (terima lab → LHU, hari kerja) per komoditi "
                                          "dan laboratorium", cols)
    summary = data["sla_ringkasan"]
    for no, r in enumerate(summary, start=1):
        s.add([no, r["komoditi"], r["laboratorium"], r["jumlah_sampel"], r["tepat_waktu"], r["terlambat"],
               r["dalam_proses"], r["lewat_batas"], r["median_hari_kerja"], r["p90_hari_kerja"]])
    if summary:
        s.merge_across(s.row, 0, 2, "Jumlah")
        for col, name in [(3, "jumlah_sampel"), (4, "tepat_waktu"), (5, "terlambat"), (6, "dalam_proses"),
                          (7, "lewat_batas")]:
            s.put(s.row, col, sum(r[name] or 0 for r in summary), "bilangan", bold=True)
        for col in (8, 9):
            s.ws.write_blank(s.row, col, None, fmt.of("hari", True))
        s.row += 1
    else:
        s.empty()
    # The lampiran lists what needs explaining: a year's on-time samples run to thousands of rows per unit;
    # all of them are in mart.sla_pengujian.
    s.caption("Rincian sampel yang tidak tepat waktu (terlambat, dalam proses, lewat batas); semua sampel: "
              "mart.sla_pengujian")
    detail = [Col("No", 0, "nomor"), Col("Komoditi", 0, "wrap"), Col("Laboratorium", 0, "wrap"),
              Col("Kode Sampel", 0, "text"), Col("Tanggal Terima Lab", 0, "text"), Col("Tanggal LHU", 0, "text"),
              Col("Hari Kerja", 0, "bilangan"), Col("Batas (HK)", 0, "bilangan"),
              Col("Terlambat (HK)", 0, "bilangan"), Col("Status", 0, "text")]
    s.header(detail)
    kinds = [c.kind for c in detail]
    exceptions = [r for r in data["sla_pengujian"] if r["status"] != "tepat_waktu"]
    for no, r in enumerate(exceptions, start=1):
        s.add([no, r["komoditi"], r["laboratorium"], r["kode_sampel"], tanggal(r["tanggal_terima_lab"]),
               tanggal(r["tanggal_lhu"]), r["hari_kerja"], r["batas_hari_kerja"], r["terlambat_hari_kerja"],
               STATUS_WAKTU.get(r["status"], r["status"])], kinds)
    if not exceptions:
        s.empty()


def _ketepatan_waktu(wb, fmt: _Formats, title: str, data: dict) -> None:
    aturan = _aturan_waktu()

    def urut(r: dict) -> tuple:
        return aturan.get(r["jenis_waktu"], (len(aturan), r["jenis_waktu"]))[0], r["jenis_waktu"]

    def nama(jenis: str) -> str:
        return aturan.get(jenis, (0, jenis))[1]

    cols = [Col("No", 5, "nomor"), Col("Jenis", 30, "wrap"), Col("Kelompok", 20, "wrap"),
            Col("Jumlah", 26, "bilangan"), Col("Tepat Waktu", 17, "bilangan"), Col("Terlambat", 17, "bilangan"),
            Col("Dalam Proses", 11, "bilangan"), Col("Lewat Batas (belum selesai)", 12, "bilangan"),
            Col("Median Durasi", 10, "hari"), Col("Persentil 90 Durasi", 10, "hari"), Col("Satuan", 12, "center")]
    s = _Sheet(wb, fmt, SHEETS[7], title, "Ketepatan Waktu (pelaporan pemeriksaan, surat tindak lanjut, CAPA, "
                                          "feedback rekomendasi); HK = hari kerja", cols)
    summary = sorted(data["ketepatan_waktu_ringkasan"], key=lambda r: (urut(r), r["kelompok"] or ""))
    for no, r in enumerate(summary, start=1):
        s.add([no, nama(r["jenis_waktu"]), r["kelompok"], r["jumlah"], r["tepat_waktu"], r["terlambat"],
               r["dalam_proses"], r["lewat_batas"], r["median_durasi"], r["p90_durasi"], r["satuan"]])
    if not summary:
        s.empty()
    s.caption("Rincian item yang tidak tepat waktu (terlambat, dalam proses, lewat batas); semua item: "
              "mart.ketepatan_waktu")
    detail = [Col("No", 0, "nomor"), Col("Jenis", 0, "wrap"), Col("Kelompok", 0, "wrap"),
              Col("Kode Item", 0, "wrap"), Col("Tanggal Mulai", 0, "text"), Col("Tanggal Selesai", 0, "text"),
              Col("Durasi", 0, "bilangan"), Col("Batas", 0, "bilangan"), Col("Terlambat", 0, "bilangan"),
              Col("Satuan", 0, "center"), Col("Status", 0, "text")]
    s.header(detail)
    kinds = [c.kind for c in detail]
    items = sorted((r for r in data["ketepatan_waktu"] if r["status"] != "tepat_waktu"),
                   key=lambda r: (urut(r), r["tanggal_mulai"] or dt.date.min, r["kode_item"] or ""))
    for no, r in enumerate(items, start=1):
        s.add([no, nama(r["jenis_waktu"]), r["kelompok"], r["kode_item"], tanggal(r["tanggal_mulai"]),
               tanggal(r["tanggal_selesai"]), r["durasi"], r["batas"], r["terlambat"], r["satuan"],
               STATUS_WAKTU.get(r["status"], r["status"])], kinds)
    if not items:
        s.empty()
