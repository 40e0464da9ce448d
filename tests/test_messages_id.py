"""The findings speak the planners' language (issue 18): without SAKIP_LANG a refused export is explained in
Indonesian, with its row, column and value, and under the same stable check code as in English (the codes of
docs/validation.md never change); SAKIP_LANG=en gives the English. The checks' logic is tested elsewhere, in
English; here only what a planner reads."""
from __future__ import annotations

import openpyxl
import pytest

from builders import inspect_file, write_realisasi
from conftest import DEMO_INBOX
from sakip.readers import read_export

PEMERIKSAAN = DEMO_INBOX / "SIPT_Pemeriksaan_672849_2025_B06.csv"
HEADER_ROW = 6  # of the demo's Pemeriksaan export: four title rows and a blank one above it


@pytest.fixture(autouse=True)
def default_language(monkeypatch):
    monkeypatch.delenv("SAKIP_LANG", raising=False)


def _pemeriksaan(tmp_path, column: str, data_row: int, value: str):
    """The demo's Pemeriksaan export with one cell of its `data_row`-th row (1-based) replaced."""
    lines = PEMERIKSAAN.read_bytes().decode("cp1252").splitlines()
    header = lines[HEADER_ROW - 1].split(";")
    cells = lines[HEADER_ROW - 1 + data_row].split(";")
    cells[header.index(column)] = value
    lines[HEADER_ROW - 1 + data_row] = ";".join(cells)
    path = tmp_path / PEMERIKSAAN.name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _only(outcome, check):
    assert outcome.status == "refused"
    found = [f for f in outcome.findings if f.check == check]
    assert found, outcome.findings[:5]
    return found[0]


def test_a_number_that_is_not_a_number(tmp_path):
    path = write_realisasi(tmp_path / "realisasi.csv", [("IKU1.1", 6, 93.96)], sep=";")
    path.write_text(path.read_text().replace(";93,96;", ";93.96;"))  # a decimal point in an Indonesian CSV
    [finding] = read_export(path).findings
    assert (finding.check, finding.column, finding.value) == ("number", "Realisasi", "93.96")
    assert finding.message == "Realisasi: '93.96' bukan angka (contoh: 1.601.792.883 atau 93,96)"


def test_a_required_value_left_empty(tmp_path):
    outcome = inspect_file(_pemeriksaan(tmp_path, "Jenis Sarana", 1, ""))
    finding = _only(outcome, "required")
    assert (finding.row, finding.column) == (HEADER_ROW + 1, "Jenis Sarana")
    assert finding.message == "Jenis Sarana: kosong, padahal wajib diisi"


def test_a_value_outside_its_list(tmp_path):
    outcome = inspect_file(_pemeriksaan(tmp_path, "Kelompok", 2, "Distribusi Obat"))
    finding = _only(outcome, "allowed_value")
    assert (finding.row, finding.column, finding.value) == (HEADER_ROW + 2, "Kelompok", "Distribusi Obat")
    assert finding.message == ("Kelompok: 'Distribusi Obat' — seharusnya salah satu dari Produksi SF, Produksi PO, "
                               "Produksi Fortifikasi, Distribusi SF, Distribusi PO, Saryanfar")


def test_a_date_after_the_export_date(tmp_path):
    outcome = inspect_file(_pemeriksaan(tmp_path, "Tanggal Laporan", 3, "15/07/2025"))
    finding = _only(outcome, "date_not_after_export")
    assert (finding.row, finding.column, finding.value) == (HEADER_ROW + 3, "Tanggal Laporan", "15/07/2025")
    assert finding.message == ("Tanggal Laporan: 15/07/2025 melewati tanggal ekspor 01/07/2025 yang tertera di "
                               "baris judul")


def test_a_duplicate_key(tmp_path):
    outcome = inspect_file(write_realisasi(tmp_path / "realisasi.csv", [("IKU1.1", 6, 90.0), ("IKU1.1", 6, 91.0)]))
    finding = _only(outcome, "duplicate_key")
    assert (finding.column, finding.value) == ("Kode IKU, Bulan", "Kode IKU IKU1.1, Bulan 6")
    assert finding.message == "kunci yang sama muncul di 2 baris: Kode IKU IKU1.1, Bulan 6"


def test_a_sakti_subtotal_that_is_not_the_sum_of_its_akun_lines(tmp_path):
    book = openpyxl.load_workbook(DEMO_INBOX / "GLP039_672849_JUNI_2025.xlsx")
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[7]]
    pagu = header.index("Pagu Revisi") + 1
    total = next(r for r in range(9, sheet.max_row + 1)
                 if any(c.value == "JUMLAH SELURUHNYA" for c in sheet[r]))
    assert sheet.cell(total, pagu).value == 3_882_835_000
    sheet.cell(total, pagu).value = 3_883_835_000  # edited by hand: a million rupiah more than its akun lines
    book.save(tmp_path / "glp039.xlsx")
    outcome = inspect_file(tmp_path / "glp039.xlsx")
    finding = _only(outcome, "subtotal")
    assert (finding.row, finding.column) == (total, "Pagu Revisi")
    assert finding.message.startswith("Pagu Revisi pada baris subtotal JUMLAH SELURUHNYA bernilai 3.883.835.000, "
                                      "tetapi ")
    assert finding.message.endswith("baris akun di bawahnya berjumlah 3.882.835.000: ekspor tampaknya terpotong "
                                    "atau rusak")
    sisa = _only(outcome, "sisa_matches")  # the same row's Sisa no longer follows: a check of the model
    assert sisa.message.startswith("Sisa: Pagu Revisi − Realisasi s.d. Periode harus sama dengan Sisa (ditemukan: ")


def test_an_unrecognised_file(tmp_path):
    path = tmp_path / "daftar_pegawai.csv"
    path.write_text("Nama,Alamat\nBudi,Dumai\n")
    outcome = inspect_file(path)
    assert outcome.status == "refused" and outcome.kind is None
    [finding] = outcome.findings
    assert finding.check == "known_export"
    assert finding.message.startswith("bukan ekspor yang dikenali: tidak ada baris di antara 30 baris pertama yang "
                                      "memuat judul kolom ekspor yang dikenal. Yang diharapkan salah satu dari — ")
    assert "SIMETRIS Realisasi IKU: Tahun, Kode Satker, Kode IKU, Bulan, Realisasi" in finding.message


def test_a_page_header_with_its_columns_in_another_order(tmp_path):
    path = write_realisasi(tmp_path / "realisasi.csv", [("IKU1.1", 6, 90.0), ("IKU1.2", 6, 80.0)])
    lines = path.read_text().splitlines()
    header_row = lines.index("Tahun,Kode Satker,Kode IKU,Bulan,Realisasi,Keterangan") + 1
    # a second page whose header has Realisasi and Bulan swapped, as its rows
    lines += ["Tahun,Kode Satker,Kode IKU,Realisasi,Bulan,Keterangan", "2025,672849,IKU1.3,70,B06,"]
    path.write_text("\n".join(lines) + "\n")
    outcome = inspect_file(path)
    finding = _only(outcome, "page_header")
    assert (finding.row, finding.column, finding.value) == (len(lines) - 1, "Bulan", "Realisasi")
    assert finding.message == (
        f"judul kolom yang berulang pada baris {len(lines) - 1} berisi 'Realisasi' di kolom 4, sedangkan judul "
        f"kolom pada baris {header_row} berisi 'Bulan': dengan kolom yang berbeda, atau urutan yang lain, "
        "baris-baris di bawahnya akan terbaca ke kolom yang salah")


def test_english_when_asked_with_the_same_check_codes(tmp_path, monkeypatch):
    path = write_realisasi(tmp_path / "realisasi.csv", [("IKU1.1", 6, 93.96), ("IKU1.1", 6, 91.0)], sep=";")
    path.write_text(path.read_text().replace(";93,96;", ";93.96;"))
    indonesian = inspect_file(path)
    monkeypatch.setenv("SAKIP_LANG", "en")
    english = inspect_file(path)
    assert [(f.check, f.row, f.column, f.value) for f in english.findings] == \
        [(f.check, f.row, f.column, f.value) for f in indonesian.findings]
    assert [f.message for f in english.findings] == [
        "Realisasi: '93.96' is not a number (e.g. 1.601.792.883 or 93,96)",
        "the same key appears on 2 rows: Kode IKU IKU1.1, Bulan 6",
        "the same key appears on 2 rows: Kode IKU IKU1.1, Bulan 6",
    ]
    assert [f.message for f in indonesian.findings][0] == \
        "Realisasi: '93.96' bukan angka (contoh: 1.601.792.883 atau 93,96)"
