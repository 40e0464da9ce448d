"""Small exports written by tests, in the formats of docs/formats.md, and a way to run the pipeline on
them without Prefect (the flow's tasks are thin wrappers around these same functions)."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import duckdb

from devtools.exports import Style, Table
from devtools.exports import write_table as write_export
from sakip.findings import Finding
from sakip.ingest import FileOutcome, discover, inspect_all
from sakip.pipeline import RunResult, build_and_publish, previously_accepted
from sakip.readers import Export
from sakip.schemas import validate_all
from sakip.warehouse import WarehousePaths

SATKER = "672849"
RAPK_HEADER = ["Tahun", "Kode Satker", "Kode SS", "Sasaran Strategis", "Kode IKU", "Indikator Kinerja", "Satuan",
               "Polaritas", "Target PK", *[f"B{m:02d}" for m in range(1, 13)], "Anggaran", "Revisi",
               "Tanggal Berlaku"]
RAPK_KINDS = ["number", *["text"] * 7, *["number"] * 15, "date"]
REALISASI_HEADER = ["Tahun", "Kode Satker", "Kode IKU", "Bulan", "Realisasi", "Keterangan"]
REALISASI_KINDS = ["number", "text", "text", "text", "number", "text"]


def _write(path: Path, table: Table, sep: str) -> Path:
    """A CSV as a test writes it: UTF-8, CRLF (Python's csv default), numbers as short as they read back."""
    write_export(path, table, Style("csv", sep, eol="\r\n"))
    return path


def write_rapk(path: Path, indicators: list[dict], sep: str = ",", tahun: int = 2025) -> Path:
    """indicators: dicts with kode_iku, targets {month: value}; optional kode_ss, polaritas, target_pk,
    revisi, berlaku (date)."""
    rows = []
    for ind in indicators:
        targets, ss = ind.get("targets", {}), ind.get("kode_ss", "SS1")
        rows.append([tahun, SATKER, ss, f"Sasaran {ss}", ind["kode_iku"], f"Indikator {ind['kode_iku']}", "%",
                     ind.get("polaritas", "Maximize"), ind.get("target_pk", 100),
                     *[targets.get(m) for m in range(1, 13)], None, ind.get("revisi", 0),
                     ind.get("berlaku", dt.date(tahun, 1, 2))])
    titles = [f"RENCANA AKSI PERJANJIAN KINERJA TAHUN {tahun}", f"Satuan Kerja : {SATKER} - Balai POM di Dumai"]
    return _write(path, Table("simetris_rapk", "RAPK", titles, [RAPK_HEADER], RAPK_KINDS, rows), sep)


def write_realisasi(path: Path, rows: list[tuple[str, int, float | None]], sep: str = ",",
                    tahun: int = 2025, exported: dt.date | None = None) -> Path:
    """rows: (kode_iku, bulan, realisasi or None); exported: the export date stated in the title rows."""
    lines = [[tahun, SATKER, kode_iku, f"B{bulan:02d}", "-" if value is None else value, ""]
             for kode_iku, bulan, value in rows]
    titles = [f"REALISASI KINERJA TAHUN {tahun}", *([f"Tanggal Unduh : {exported:%d/%m/%Y}"] if exported else [])]
    return _write(path, Table("simetris_realisasi", "Realisasi", titles, [REALISASI_HEADER], REALISASI_KINDS, lines),
                  sep)


def edit_text(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` in a text file; `old` must be there (a test must not edit nothing)."""
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def inspect_file(path: Path, known_satkers: set[str] | None = None, seen: set[str] | None = None) -> FileOutcome:
    """Read and validate one file, without touching the warehouse, as a run does."""
    return inspect_all([path], known_satkers, seen or set())[0]


def validate(export: Export) -> list[Finding]:
    """The findings of one export's Pandera model and structural checks."""
    return validate_all([export])[0]


def run(inbox: Path, warehouse: Path, tahun: int, bulan: int, run_id: str = "test") -> RunResult:
    """The flow's steps, called directly."""
    clock = time.perf_counter()
    seen, satkers = previously_accepted(WarehousePaths(warehouse))
    outcomes = inspect_all(discover(inbox)[0], satkers, seen)
    read_validate = time.perf_counter() - clock
    result = build_and_publish(outcomes, WarehousePaths(warehouse), tahun, bulan, run_id, str(inbox))
    result.timings = {"read_validate": read_validate, **result.timings}
    return result


def published(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(warehouse / "published.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def write_table(path: Path, header: list[str], rows: list[list], title: list[str] = (), sep: str = ",") -> Path:
    """Any export as CSV: title rows, a blank row, the header, the rows. A cell's type says how it is written
    (every column a number column: text stays text, a date is dd/mm/yyyy)."""
    return _write(path, Table("", "", list(title), [header], ["number"] * len(header), rows), sep)


SAMPEL_HEADER = ["Kode Sampel", "Nama Sampel", "Komoditi", "Kategori Sampel", "Tanggal Sampling",
                 "Laboratorium Penguji", "Tanggal Terima Lab", "Tanggal LHU", "Hasil Uji", "Kode Satker"]


def write_sampel(path: Path, samples: list[tuple], akhir: dt.date) -> Path:
    """samples: (kode, komoditi, laboratorium, tanggal_terima_lab, tanggal_lhu or None, hasil or None)."""
    rows = [[kode, f"Sampel {kode}", komoditi, "Rutin", terima - dt.timedelta(days=1), lab, terima, lhu, hasil,
             SATKER] for kode, komoditi, lab, terima, lhu, hasil in samples]
    return write_table(path, SAMPEL_HEADER, rows, [
        "DATA SAMPEL DAN PENGUJIAN", f"Satuan Kerja : {SATKER} - Balai POM di Dumai",
        f"Periode : 01/01/{akhir.year} s.d. {akhir:%d/%m/%Y}", f"Tanggal Cetak : {akhir:%d/%m/%Y}"])
