"""Small exports written by tests, in the formats of docs/formats.md, and a way to run the pipeline on
them without Prefect (the flow's tasks are thin wrappers around these same functions)."""
from __future__ import annotations

import csv
import datetime as dt
import time
from pathlib import Path

import duckdb

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


def _num(v, sep: str) -> str:
    if v is None:
        return ""
    text = repr(float(v)).rstrip("0").rstrip(".") if isinstance(v, float) else str(v)
    return text.replace(".", ",") if sep == ";" else text


def write_rapk(path: Path, indicators: list[dict], sep: str = ",", tahun: int = 2025) -> Path:
    """indicators: dicts with kode_iku, targets {month: value}; optional kode_ss, polaritas, target_pk,
    revisi, berlaku (date)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=sep)
        w.writerow([f"RENCANA AKSI PERJANJIAN KINERJA TAHUN {tahun}"])
        w.writerow([f"Satuan Kerja : {SATKER} - Balai POM di Dumai"])
        w.writerow([])
        w.writerow(RAPK_HEADER)
        for ind in indicators:
            targets = ind.get("targets", {})
            w.writerow([tahun, SATKER, ind.get("kode_ss", "SS1"), f"Sasaran {ind.get('kode_ss', 'SS1')}",
                        ind["kode_iku"], f"Indikator {ind['kode_iku']}", "%", ind.get("polaritas", "Maximize"),
                        _num(ind.get("target_pk", 100), sep),
                        *[_num(targets.get(m), sep) for m in range(1, 13)], "",
                        ind.get("revisi", 0), ind.get("berlaku", dt.date(tahun, 1, 2)).strftime("%d/%m/%Y")])
    return path


def write_realisasi(path: Path, rows: list[tuple[str, int, float | None]], sep: str = ",",
                    tahun: int = 2025, exported: dt.date | None = None) -> Path:
    """rows: (kode_iku, bulan, realisasi or None); exported: the export date stated in the title rows."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=sep)
        w.writerow([f"REALISASI KINERJA TAHUN {tahun}"])
        w.writerow([f"Tanggal Unduh : {exported:%d/%m/%Y}"] if exported else [])
        w.writerow(["Tahun", "Kode Satker", "Kode IKU", "Bulan", "Realisasi", "Keterangan"])
        for kode_iku, bulan, value in rows:
            w.writerow([tahun, SATKER, kode_iku, f"B{bulan:02d}", "-" if value is None else _num(value, sep), ""])
    return path


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
    """Any export as CSV: title rows, a blank row, the header, the rows (dates as dd/mm/yyyy)."""
    def cell(v):
        if v is None:
            return ""
        if isinstance(v, dt.date):
            return v.strftime("%d/%m/%Y")
        return _num(v, sep) if isinstance(v, (int, float)) else str(v)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=sep)
        for line in title:
            w.writerow([line])
        w.writerow([])
        w.writerow(header)
        for r in rows:
            w.writerow([cell(v) for v in r])
    return path


SAMPEL_HEADER = ["Kode Sampel", "Nama Sampel", "Komoditi", "Kategori Sampel", "Tanggal Sampling",
                 "Laboratorium Penguji", "Tanggal Terima Lab", "Tanggal LHU", "Hasil Uji", "Kode Satker"]


def write_sampel(path: Path, samples: list[tuple], akhir: dt.date) -> Path:
    """samples: (kode, komoditi, laboratorium, tanggal_terima_lab, tanggal_lhu or None, hasil or None)."""
    rows = [[kode, f"Sampel {kode}", komoditi, "Rutin", terima - dt.timedelta(days=1), lab, terima, lhu, hasil,
             SATKER] for kode, komoditi, lab, terima, lhu, hasil in samples]
    return write_table(path, SAMPEL_HEADER, rows, [
        "DATA SAMPEL DAN PENGUJIAN", f"Satuan Kerja : {SATKER} - Balai POM di Dumai",
        f"Periode : 01/01/{akhir.year} s.d. {akhir:%d/%m/%Y}", f"Tanggal Cetak : {akhir:%d/%m/%Y}"])
