"""The planners' workbook (issue 6): the report's tables for Balai POM di Dumai, June 2025, read back with
openpyxl. Values are checked against the seed report (Laporan Kinerja Triwulan II 2025) rounded to 2
decimals, except where sakip documents that it follows the data (docs/methodology-notes.md)."""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from builders import published, run
from conftest import DEMO_INBOX
from libreoffice import overlapping, text_lines, to_pdf
from sakip.report.format import tanggal
from sakip.report.workbook import DEFAULT_HEIGHT, PERSEN, RUPIAH, row_height, sheet_names, write_workbook

SATKER = "672849"
TITLE = "Balai POM di Dumai — Juni 2025"
ANGKA = "0.00"

# Table 3.1 of the seed report, in its order: target, realisasi, % capaian, justifikasi, nilai akhir, kriteria
# (kriteria from the report's second table). Not-measured indicators: sakip shows "-" where the report prints
# 0,00 (methodology notes: KLB samples; indicators without a target this month).
TABEL_3_1 = [
    (81.25, 93.96, 115.64, "Normalisasi", 110.00, "Tidak Dapat Disimpulkan"),
    (75.00, 99.26, 132.35, "Normalisasi", 110.00, "Tidak Dapat Disimpulkan"),
    (100.00, "-", "-", "-", "-", "-"),
    (85.00, 94.00, 110.59, "Normalisasi", 110.00, "Tidak Dapat Disimpulkan"),
    (45.00, 67.84, 150.76, "Normalisasi", 110.00, "Tidak Dapat Disimpulkan"),
    (90.00, 100.00, 111.11, "Normalisasi", 110.00, "Tidak Dapat Disimpulkan"),
    (90.00, 100.00, 111.11, "Normalisasi", 110.00, "Tidak Dapat Disimpulkan"),
    (93.38, 98.06, 105.01, "-", 105.01, "Sangat Baik"),
    (85.00, 99.17, 116.67, "Normalisasi", 110.00, "Tidak Dapat Disimpulkan"),
    (87.62, 99.72, 113.81, "Normalisasi", 110.00, "Tidak Dapat Disimpulkan"),
    (30.00, 30.00, 100.00, "-", 100.00, "Sangat Baik"),
    (9.00, 9.22, 102.44, "-", 102.44, "Sangat Baik"),
    (85.83, 88.41, 103.01, "-", 103.01, "Sangat Baik"),
    (25.00, 75.00, 300.00, "Normalisasi", 110.00, "Tidak Dapat Disimpulkan"),
    (27.00, 25.00, 92.59, "-", 92.59, "Baik"),
    (75.00, 75.00, 100.00, "-", 100.00, "Sangat Baik"),
    (30.00, 65.75, 219.17, "Normalisasi", 110.00, "Tidak Dapat Disimpulkan"),
    ("-", "-", "-", "-", "-", "-"),
    (50.00, 50.00, 100.00, "-", 100.00, "Sangat Baik"),
    ("-", "-", "-", "-", "-", "-"),
    ("-", "-", "-", "-", "-", "-"),
    ("-", "-", "-", "-", "-", "-"),
    ("-", "-", "-", "-", "-", "-"),
    (50.00, 50.00, 100.00, "-", 100.00, "Sangat Baik"),
]

# Table 3.3 of the seed report: pagu, realisasi, % (RO names as SAKTI spells them, without "oleh Loka POM …";
# the report prints "-" for a pagu of 0 and its undefined percentage).
TABEL_3_3 = {
    "Laporan Analisis Kejahatan Obat dan Makanan": (8_940_000, 8_434_815, 94.35),
    "Keputusan/Sertifikasi Layanan Publik yang Diselesaikan": (10_744_000, 5_628_000, 52.38),
    "Fasilitas dan Pembinaan Masyarakat": (23_847_000, 8_100_600, 33.97),
    "Laporan Koordinasi Pengawasan Obat dan Makanan": (62_371_000, 60_886_051, 97.62),
    "Layanan Publikasi Keamanan dan Mutu Obat dan Makanan": (17_991_000, 9_275_959, 51.56),
    "Sarana Bidang Kesehatan": (5_000_000, 3_571_648, 71.43),
    "Sarana Bidang Teknologi Informasi dan Komunikasi": (0, 0, "-"),
    "Prasarana Bidang Kesehatan": (0, 0, "-"),
    "Laboratorium pengawasan Obat dan Makanan yang sesuai Good Laboratory Practice": (119_002_000, 25_143_820, 21.13),
    "Perkara di Bidang Obat dan Makanan": (107_821_000, 26_554_000, 24.63),
    "Sekolah dengan Pangan Jajanan Anak Sekolah (PJAS) aman": (38_442_000, 26_324_600, 68.48),
    "Desa Pangan Aman": (91_074_000, 8_591_400, 9.43),
    "Pasar Pangan Aman Berbasis Komunitas": (36_606_000, 12_946_500, 35.37),
    "UMKM yang Didampingi dalam Pemenuhan Standar": (680_000, 680_000, 100.00),
    "Sampel Makanan yang Diperiksa": (123_811_000, 25_572_730, 20.65),
    "Sampel Obat, Obat Tradisional, Kosmetik dan Suplemen Kesehatan yang Diperiksa Sesuai Standar":
        (145_716_000, 41_570_390, 28.53),
    "Sarana Produksi Obat dan Makanan yang Diperiksa": (85_909_000, 17_552_920, 20.43),
    "Sarana Produksi Fortifikasi yang Diperiksa": (8_470_000, 3_619_500, 42.73),
    "Sarana Distribusi Obat, Obat Tradisional, Kosmetik, Suplemen Kesehatan dan Makanan yang Diperiksa":
        (229_486_000, 58_690_000, 25.57),
    "Alat Laboratorium pengawasan Obat dan Makanan yang sesuai Good Laboratory Practice": (383_761_000, 0, 0.00),
    "Pengelolaan Sarana dan Prasarana BPOM": (2_383_164_000, 1_258_649_950, 52.81),
}

# The efficiency table of the seed report: IE, TE, kategori. "Alat Laboratorium" has no spending: the report
# says Efisien, sakip leaves it undefined (methodology notes).
EFISIENSI = {
    "Laporan Analisis Kejahatan Obat dan Makanan": (1.06, 0.06, "Efisien"),
    "Keputusan/Sertifikasi Layanan Publik yang Diselesaikan": (1.91, 0.91, "Efisien"),
    "Fasilitas dan Pembinaan Masyarakat": (2.94, 1.94, "Tidak Efisien"),
    "Laporan Koordinasi Pengawasan Obat dan Makanan": (1.02, 0.02, "Efisien"),
    "Layanan Publikasi Keamanan dan Mutu Obat dan Makanan": (1.94, 0.94, "Efisien"),
    "Sarana Bidang Kesehatan": (1.05, 0.05, "Efisien"),
    "Sarana Bidang Teknologi Informasi dan Komunikasi": ("-", "-", "-"),
    "Prasarana Bidang Kesehatan": ("-", "-", "-"),
    "Laboratorium pengawasan Obat dan Makanan yang sesuai Good Laboratory Practice": (4.73, 3.73, "Tidak Efisien"),
    "Perkara di Bidang Obat dan Makanan": ("-", "-", "-"),
    "Sekolah dengan Pangan Jajanan Anak Sekolah (PJAS) aman": (0.73, -0.27, "Tidak Efisien"),
    "Desa Pangan Aman": ("-", "-", "-"),
    "Pasar Pangan Aman Berbasis Komunitas": ("-", "-", "-"),
    "UMKM yang Didampingi dalam Pemenuhan Standar": ("-", "-", "-"),
    "Sampel Makanan yang Diperiksa": (4.84, 3.84, "Tidak Efisien"),
    "Sampel Obat, Obat Tradisional, Kosmetik dan Suplemen Kesehatan yang Diperiksa Sesuai Standar":
        (1.48, 0.48, "Efisien"),
    "Sarana Produksi Obat dan Makanan yang Diperiksa": (4.89, 3.89, "Tidak Efisien"),
    "Sarana Produksi Fortifikasi yang Diperiksa": (2.34, 1.34, "Tidak Efisien"),
    "Sarana Distribusi Obat, Obat Tradisional, Kosmetik, Suplemen Kesehatan dan Makanan yang Diperiksa":
        (3.91, 2.91, "Tidak Efisien"),
    "Alat Laboratorium pengawasan Obat dan Makanan yang sesuai Good Laboratory Practice": ("-", "-", "-"),
    "Pengelolaan Sarana dan Prasarana BPOM": (1.89, 0.89, "Efisien"),
}

TANGGAL = re.compile(r"^\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November"
                     r"|Desember) \d{4}$")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The demo exports run through the pipeline (no Prefect): the warehouse folder."""
    warehouse = tmp_path_factory.mktemp("wb-warehouse")
    run(DEMO_INBOX, warehouse, 2025, 6)
    return warehouse


@pytest.fixture(scope="module")
def workbook_path(built) -> Path:
    return write_workbook(built / "published.duckdb", SATKER, 2025, 6,
                          built / "reports" / SATKER / "2025-06" / "lampiran.xlsx")


@pytest.fixture(scope="module")
def wb(workbook_path):
    return openpyxl.load_workbook(workbook_path)


def shown(cell):
    """A cell's value as compared with the report: numbers rounded to 2 decimals, text as is."""
    return round(cell.value, 2) if isinstance(cell.value, (int, float)) else cell.value


def header_row(ws) -> int:
    return 3  # row 1 title, row 2 caption, row 3 header


def find_row(ws, col: int, value: str, start: int = 4) -> int:
    for r in range(start, ws.max_row + 1):
        if ws.cell(r, col).value == value:
            return r
    raise AssertionError(f"{value!r} not found in column {col} of {ws.title}")


def headers(ws, row: int | None = None) -> list:
    row = row or header_row(ws)
    return [ws.cell(row, c).value for c in range(1, ws.max_column + 1)]


def merged_at(ws, row: int, col: int):
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng
    return None


def test_write_workbook_returns_path_and_creates_folders(workbook_path, built):
    assert workbook_path == built / "reports" / SATKER / "2025-06" / "lampiran.xlsx"
    assert workbook_path.is_file()
    assert [p.name for p in workbook_path.parent.iterdir()] == ["lampiran.xlsx"]  # no temporary left behind


def test_published_file_opened_read_only_and_closed(workbook_path, built):
    # a read-write connection in this process fails while any read-only one to the same file is still open
    con = duckdb.connect(str(built / "published.duckdb"))
    con.close()


def test_one_sheet_per_table_with_title_header_and_layout(wb):
    assert wb.sheetnames == sheet_names() == [
        "3.1 Pengukuran Kinerja", "Capaian per Sasaran", "Capaian Tahunan", "3.3 Realisasi Anggaran",
        "Kinerja vs Anggaran", "Efisiensi", "SLA Pengujian", "Ketepatan Waktu"]
    for ws in wb:
        assert ws["A1"].value == TITLE, ws.title
        assert ws.freeze_panes == "A4", ws.title
        head = ws.cell(header_row(ws), 1)
        assert head.value == "No" and head.font.b and head.alignment.wrap_text, ws.title
        assert all(ws.cell(header_row(ws), c).font.b for c in range(1, ws.max_column + 1)), ws.title
        widths = [ws.column_dimensions[get_column_letter(c)].width
                  for c in range(1, ws.max_column + 1)]
        assert all(w and w > 4 for w in widths), (ws.title, widths)


def test_a_run_that_refused_nothing_has_no_notice_and_no_marks(wb):
    """The notice of a refused source (test_report_language.py) and its marks appear only when one was."""
    ws = wb["3.1 Pengukuran Kinerja"]
    assert ws["A2"].value == "Tabel 3.1 Pengukuran Kinerja" and ws["A3"].value == "No"
    for sheet in wb:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.comment is None, (sheet.title, cell.coordinate)
                assert not (isinstance(cell.value, str) and cell.value.startswith("Sel yang ditandai")), cell.value


def test_table_3_1_columns_in_report_order(wb):
    ws = wb["3.1 Pengukuran Kinerja"]
    assert headers(ws) == ["No", "Sasaran Strategis", "Indikator", "Bulan", "Target", "Realisasi", "% Capaian",
                           "Justifikasi", "Nilai Akhir", "Kriteria", "Keterangan"]


def test_table_3_1_values_match_the_report(wb):
    ws = wb["3.1 Pengukuran Kinerja"]
    for no, expected in enumerate(TABEL_3_1, start=1):
        r = header_row(ws) + no
        assert ws.cell(r, 1).value == no
        assert ws.cell(r, 4).value == "Juni"
        assert tuple(shown(ws.cell(r, c)) for c in range(5, 11)) == expected, f"row {no}"
    first = header_row(ws) + 1
    assert ws.cell(first, 2).value.startswith("Meningkatnya efektivitas Pengawasan Sediaan Farmasi")
    assert ws.cell(first, 3).value == ("Persentase sampel Sediaan Farmasi berisiko yang ditindaklanjuti sesuai "
                                       "ketentuan")
    assert ws.cell(first + 2, 3).value == "Persentase sampel KLB Keracunan Pangan yang diuji sesuai standar"
    assert ws.cell(first + 2, 11).value.startswith("Tidak ada sampel KLB")
    assert ws.cell(first + 14, 3).value == "Jumlah desa pangan aman"  # IKU4.3: 92,59 Baik


def test_table_3_1_total_nko_and_predikat(wb):
    ws = wb["3.1 Pengukuran Kinerja"]
    total = find_row(ws, 1, "Total Capaian PK")
    assert total == header_row(ws) + 25
    assert shown(ws.cell(total, 9)) == 1903.05
    nko = find_row(ws, 1, "Nilai Kinerja Organisasi (Rata-rata Capaian PK)")
    assert nko == total + 1 and shown(ws.cell(nko, 9)) == 105.73
    predikat = find_row(ws, 1, "Predikat NKO")
    assert predikat == total + 2 and ws.cell(predikat, 9).value == "Istimewa"
    assert str(merged_at(ws, total, 1)) == f"A{total}:H{total}"


def test_table_3_1_number_formats(wb):
    ws = wb["3.1 Pengukuran Kinerja"]
    r = header_row(ws) + 1  # IKU1.1
    assert ws.cell(r, 5).number_format == ANGKA and ws.cell(r, 6).number_format == ANGKA
    assert ws.cell(r, 7).number_format == PERSEN == '0.00"%"'
    assert ws.cell(r, 9).number_format == PERSEN
    assert ws.cell(r, 7).data_type == "n" and ws.cell(r, 7).value == pytest.approx(115.6430769, abs=1e-6)
    total = find_row(ws, 1, "Total Capaian PK")
    assert ws.cell(total, 9).number_format == PERSEN and ws.cell(total + 1, 9).number_format == PERSEN
    # the not-measured placeholder is text, not a number or a formula
    klb = header_row(ws) + 3
    assert ws.cell(klb, 7).value == "-" and ws.cell(klb, 7).data_type == "s"


def test_capaian_per_sasaran(wb):
    ws = wb["Capaian per Sasaran"]
    assert headers(ws) == ["No", "Kode SS", "Sasaran Strategis", "Jumlah IKU", "IKU Diukur",
                           "Nilai Pencapaian Sasaran (NPS)", "Kriteria"]
    ss1 = find_row(ws, 2, "SS1")
    assert [shown(ws.cell(ss1, c)) for c in range(4, 8)] == [10, 9, 118.56, "Tidak Dapat Disimpulkan"]
    assert ws.cell(ss1, 6).number_format == PERSEN
    ss6 = find_row(ws, 2, "SS6")
    assert [shown(ws.cell(ss6, c)) for c in range(4, 8)] == [1, 0, "-", "-"]
    assert [ws.cell(r, 2).value for r in range(4, 13)] == [f"SS{i}" for i in range(1, 10)]


def test_capaian_tahunan(wb):
    ws = wb["Capaian Tahunan"]
    assert headers(ws) == ["No", "Indikator Kinerja", "Target Tahunan", "Realisasi Juni",
                           "Capaian Terhadap Target Tahunan", "Status"]
    rows = {ws.cell(r, 1).value: [shown(ws.cell(r, c)) for c in range(3, 7)] for r in range(4, 28)}
    assert rows[1] == [81.25, 93.96, 115.64, "Tercapai"]
    assert rows[5] == [94.06, 67.84, 72.12, "Akan Tercapai"]
    assert rows[11] == [60.00, 30.00, 50.00, "Perlu Upaya Keras"]
    assert rows[12] == [11.00, 9.22, 83.82, "Akan Tercapai"]
    assert rows[14] == [2.00, 75.00, "-", "-"]  # yearly target in schools, monthly in stage weights
    assert rows[19] == [90.00, 50.00, 55.56, "Perlu Upaya Keras"]  # the report divides by 95; PK says 90
    assert rows[21] == [78.00, "-", "-", "-"]
    assert ws.cell(4, 5).number_format == PERSEN


def test_table_3_3_values_and_formats(wb):
    ws = wb["3.3 Realisasi Anggaran"]
    assert headers(ws) == ["No", "Uraian", "Kode RO", "Rencana Pagu Anggaran", "Blokir (POK)", "Realisasi Anggaran",
                           "% Realisasi Anggaran"]
    seen = {}
    for r in range(4, 4 + 21):
        seen[ws.cell(r, 2).value] = (shown(ws.cell(r, 4)), shown(ws.cell(r, 6)), shown(ws.cell(r, 7)))
        assert ws.cell(r, 1).value == r - 3
        assert ws.cell(r, 4).number_format == RUPIAH == '"Rp "#,##0'
        assert ws.cell(r, 5).number_format == RUPIAH and ws.cell(r, 6).number_format == RUPIAH
    assert seen == TABEL_3_3
    lak = find_row(ws, 2, "Laporan Analisis Kejahatan Obat dan Makanan")
    assert ws.cell(lak, 3).value == "DR.3165.QIA.005"
    assert (ws.cell(lak, 4).value, ws.cell(lak, 6).value) == (8_940_000, 8_434_815)
    assert ws.cell(lak, 7).number_format == PERSEN and shown(ws.cell(lak, 7)) == 94.35
    jumlah = find_row(ws, 1, "JUMLAH")
    assert jumlah == 4 + 21
    assert (ws.cell(jumlah, 4).value, ws.cell(jumlah, 6).value, shown(ws.cell(jumlah, 7))) == \
        (3_882_835_000, 1_601_792_883, 41.25)
    assert ws.cell(jumlah, 4).number_format == RUPIAH and ws.cell(jumlah, 7).number_format == PERSEN
    assert ws.cell(jumlah, 4).font.b
    # the total is the sum of the rows shown above it
    assert ws.cell(jumlah, 4).value == sum(ws.cell(r, 4).value for r in range(4, jumlah))
    assert ws.cell(jumlah, 6).value == sum(ws.cell(r, 6).value for r in range(4, jumlah))
    assert ws.cell(jumlah, 5).value == 12_080_523_000  # the report's text: total blokir Rp12.080.523.000


def test_table_3_3_three_views_of_the_unit(wb):
    ws = wb["3.3 Realisasi Anggaran"]
    views = {}
    for label in ["Terhadap jumlah pagu RO", "Terhadap pagu DIPA",
                  "Terhadap pagu DIPA dikurangi blokir (Automatic Adjustment)"]:
        r = find_row(ws, 2, label)
        views[label] = (ws.cell(r, 4).value, ws.cell(r, 6).value, shown(ws.cell(r, 7)))
        assert ws.cell(r, 4).number_format == RUPIAH and ws.cell(r, 7).number_format == PERSEN
    assert views == {
        "Terhadap jumlah pagu RO": (3_882_835_000, 1_601_792_883, 41.25),
        "Terhadap pagu DIPA": (15_768_463_000, 1_601_792_883, 10.16),
        "Terhadap pagu DIPA dikurangi blokir (Automatic Adjustment)": (15_768_463_000 - 12_080_523_000,
                                                                       1_601_792_883, 43.43),
    }


def test_kinerja_vs_anggaran_merges_the_group_budget(wb):
    ws = wb["Kinerja vs Anggaran"]
    assert headers(ws) == ["No", "Sasaran Strategis", "Kelompok", "Indikator", "Target Kinerja",
                           "Realisasi Kinerja", "% Kinerja", "Rencana Pagu Anggaran", "Realisasi Anggaran",
                           "% Realisasi Anggaran"]
    first = header_row(ws) + 1
    # K03: IKU1.5–IKU1.10, six rows under one budget
    k03 = first + 4
    assert ws.cell(k03, 4).value.startswith("Persentase keputusan/rekomendasi")
    assert ws.cell(k03 + 5, 4).value.startswith("Persentase iklan")
    for col in (3, 8, 9, 10):
        assert str(merged_at(ws, k03, col)) == f"{'ABCDEFGHIJ'[col - 1]}{k03}:{'ABCDEFGHIJ'[col - 1]}{k03 + 5}"
    assert ws.cell(k03, 3).value == "K03"
    assert (ws.cell(k03, 8).value, ws.cell(k03, 9).value, shown(ws.cell(k03, 10))) == \
        (315_395_000, 76_242_920, 24.17)
    assert ws.cell(k03, 8).number_format == RUPIAH and ws.cell(k03, 10).number_format == PERSEN
    # the performance cells of the group stay one per indicator
    assert merged_at(ws, k03, 7) is None
    assert [shown(ws.cell(k03 + i, 7)) for i in range(6)] == [150.76, 111.11, 111.11, 105.01, 116.67, 113.81]
    # K02: IKU1.2–IKU1.4 (the KLB indicator not measured, its group still budgeted)
    assert str(merged_at(ws, first + 1, 8)) == f"H{first + 1}:H{first + 3}"
    assert ws.cell(first + 1, 8).value == 123_811_000
    assert ws.cell(first + 2, 7).value == "-"
    # K01 is a single indicator: nothing merged
    assert merged_at(ws, first, 8) is None and ws.cell(first, 8).value == 145_716_000
    # the sasaran is merged over its indicators, as in the report (SS1: ten)
    assert str(merged_at(ws, first, 2)) == f"B{first}:B{first + 9}" and ws.cell(first, 1).value == 1
    # the other groups of the report
    budgets = {}
    for r in range(first, first + 24):
        if ws.cell(r, 8).value is not None:
            budgets[ws.cell(r, 3).value] = (ws.cell(r, 8).value, round(ws.cell(r, 9).value), shown(ws.cell(r, 10)))
    assert budgets["K05"] == (502_763_000, 25_143_820, 5.00)
    assert budgets["K12"] == (8_940_000, 8_434_815, 94.35)
    assert budgets["K15"] == (2_403_756_750, 1_277_443_111, 53.14)
    assert len(budgets) == 17


def test_efisiensi(wb):
    ws = wb["Efisiensi"]
    assert headers(ws) == ["No", "Program/Kegiatan", "% Capaian Output", "% Realisasi Anggaran", "IE", "TE",
                           "Kategori", "Nilai Efisiensi"]
    seen = {ws.cell(r, 2).value: (shown(ws.cell(r, 5)), shown(ws.cell(r, 6)), ws.cell(r, 7).value)
            for r in range(4, 25)}
    assert seen == EFISIENSI
    lak = find_row(ws, 2, "Laporan Analisis Kejahatan Obat dan Makanan")
    assert [shown(ws.cell(lak, c)) for c in (3, 4, 8)] == [100.00, 94.35, 100.00]
    assert ws.cell(lak, 3).number_format == PERSEN and ws.cell(lak, 5).number_format == ANGKA
    pjas = find_row(ws, 2, "Sekolah dengan Pangan Jajanan Anak Sekolah (PJAS) aman")
    assert ws.cell(pjas, 8).value == "-"  # TE < 0 has no score


def test_sla_pengujian(wb, built):
    ws = wb["SLA Pengujian"]
    assert headers(ws)[:8] == ["No", "Komoditi", "Laboratorium", "Jumlah Sampel", "Tepat Waktu", "Terlambat",
                               "Dalam Proses", "Lewat Batas (belum selesai)"]
    jumlah = find_row(ws, 1, "Jumlah")
    assert [ws.cell(jumlah, c).value for c in range(4, 9)] == [201, 141, 52, 5, 3]
    detail = find_row(ws, 4, "Kode Sampel")
    assert headers(ws, detail) == ["No", "Komoditi", "Laboratorium", "Kode Sampel", "Tanggal Terima Lab",
                                   "Tanggal LHU", "Hari Kerja", "Batas (HK)", "Terlambat (HK)", "Status"]
    # the detail lists what needs explaining: the 52 late, 5 open and 3 overdue samples, not the 141 on time
    rows = list(range(detail + 1, ws.max_row + 1))
    assert len(rows) == 52 + 5 + 3
    assert all(TANGGAL.match(ws.cell(r, 5).value) for r in rows)
    assert all(TANGGAL.match(ws.cell(r, 6).value) or ws.cell(r, 6).value == "-" for r in rows)
    statuses = [ws.cell(r, 10).value for r in rows]
    assert (statuses.count("Terlambat"), statuses.count("Dalam Proses"), statuses.count("Lewat Batas")) == (52, 5, 3)
    listed = {ws.cell(r, 4).value for r in rows}
    assert listed == {k for (k,) in published(built, "select kode_sampel from mart.sla_pengujian where bulan = 6 "
                                                     "and status <> 'tepat_waktu'")}
    # an open sample has no LHU date
    open_rows = [r for r in rows if ws.cell(r, 10).value in ("Dalam Proses", "Lewat Batas")]
    assert open_rows and all(ws.cell(r, 6).value == "-" for r in open_rows)
    [(d_terima, d_lhu)] = published(
        built, "select tanggal_terima_lab, tanggal_lhu from mart.sla_pengujian where kode_sampel = ? and bulan = 6",
        [ws.cell(rows[0], 4).value])
    assert ws.cell(rows[0], 5).value == tanggal(d_terima) and ws.cell(rows[0], 6).value == tanggal(d_lhu)


def test_ketepatan_waktu(wb):
    ws = wb["Ketepatan Waktu"]
    assert headers(ws)[:4] == ["No", "Jenis", "Kelompok", "Jumlah"]
    summary = range(4, 4 + 19)
    assert ws.cell(4, 2).value == "Pelaporan hasil pemeriksaan di SIPT"
    assert sum(ws.cell(r, 4).value for r in summary) == 195
    detail = find_row(ws, 4, "Kode Item")
    assert headers(ws, detail) == ["No", "Jenis", "Kelompok", "Kode Item", "Tanggal Mulai", "Tanggal Selesai",
                                   "Durasi", "Batas", "Terlambat", "Satuan", "Status"]
    items = list(range(detail + 1, ws.max_row + 1))
    on_time = sum(ws.cell(r, 5).value for r in summary)
    assert len(items) == 195 - on_time and 0 < len(items) < 195
    assert all(TANGGAL.match(ws.cell(r, 5).value) for r in items)
    assert {ws.cell(r, 11).value for r in items} == {"Terlambat", "Dalam Proses", "Lewat Batas"}


def test_no_formula_anywhere(workbook_path, wb):
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    with zipfile.ZipFile(workbook_path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", z.read(name)), name


def test_unknown_period_is_refused(built, tmp_path):
    with pytest.raises(LookupError, match="672849"):
        write_workbook(built / "published.duckdb", SATKER, 2025, 5, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_text_from_a_source_file_stays_text(tmp_path):
    """An indicator name beginning with =, +, - or @ in the RAPK is written as text, never as a formula."""
    inbox = tmp_path / "inbox"
    shutil.copytree(DEMO_INBOX, inbox)
    names = {"IKU1.1": '=HYPERLINK("http://x","y")', "IKU1.2": "+62 sampel", "IKU1.4": "-1 sampel",
             "IKU2.1": "@SUM(A1)"}
    rapk = inbox / "RAPK_672849_2025.xlsx"
    src = openpyxl.load_workbook(rapk)
    ws = src.active
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Tahun")
    cols = {ws.cell(head, c).value: c for c in range(1, ws.max_column + 1)}
    for r in range(head + 1, ws.max_row + 1):
        kode = ws.cell(r, cols["Kode IKU"]).value
        if kode in names:
            cell = ws.cell(r, cols["Indikator Kinerja"])
            cell.value = names[kode]
            cell.data_type = "s"
    src.save(rapk)
    check = openpyxl.load_workbook(rapk).active
    assert any(c.value == names["IKU1.1"] and c.data_type == "s" for c in check[head + 1])

    warehouse = tmp_path / "wh"
    result = run(inbox, warehouse, 2025, 6)
    assert not result.refused and result.published["capaian_iku"] == 24
    path = write_workbook(warehouse / "published.duckdb", SATKER, 2025, 6, tmp_path / "out" / "lampiran.xlsx")

    out = openpyxl.load_workbook(path)
    ws = out["3.1 Pengukuran Kinerja"]
    for no, kode in [(1, "IKU1.1"), (2, "IKU1.2"), (4, "IKU1.4"), (11, "IKU2.1")]:
        cell = ws.cell(header_row(ws) + no, 3)
        assert cell.value == names[kode] and cell.data_type == "s", (kode, cell.value, cell.data_type)
    for sheet, col in [("Capaian Tahunan", 2), ("Kinerja vs Anggaran", 4)]:
        cell = out[sheet].cell(4, col)
        assert cell.value == names["IKU1.1"] and cell.data_type == "s"
    for sheet in out:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", z.read(name)), name


# ---------------------------------------------------------------------------------------------------- row heights

SS1 = "Meningkatnya efektivitas Pengawasan Sediaan Farmasi dan Pangan Olahan di wilayah kerja UPT"


def test_row_height_counts_the_lines_of_a_wrapped_text():
    line = 12.75  # Excel's line of Arial 10
    assert row_height("Juni", 11) == row_height("", 30) == DEFAULT_HEIGHT == line + 2.25  # one line
    assert row_height(SS1, 200) == DEFAULT_HEIGHT  # one line in a wide column
    assert row_height(SS1, 34) == 3 * line + 2.25  # Sasaran Strategis of table 3.1: three lines
    assert row_height(SS1, 52) == 2 * line + 2.25
    assert row_height("satu\ndua\n\ntiga", 30) == 4 * line + 2.25  # a newline starts a line, an empty one too
    assert row_height("x" * 100, 10) >= 7 * line + 2.25  # a word wider than the column is broken
    assert row_height("W" * 30, 20) > row_height("i" * 30, 20)  # Arial's widths, not a count of characters
    assert row_height(SS1, 34, bold=True) > row_height(SS1, 34)
    assert row_height(SS1, 34, size=11) > row_height(SS1, 34)


def _width(ws, col: int) -> float:
    """A column's width in characters as the workbook set it (xlsxwriter stores w + 5/7: Excel's padding)."""
    return ws.column_dimensions[get_column_letter(col)].width - 5 / 7


def test_every_row_is_tall_enough_for_its_wrapped_texts(wb):
    """Every wrapped cell of every sheet (headers, Sasaran and Indikator texts, merged cells over rows or
    columns) has rows as tall together as its text needs; a row without one keeps the default height."""
    checked = 0
    for ws in wb:
        merged = {(rng.min_row, rng.min_col): rng for rng in ws.merged_cells.ranges}
        tall = set()
        for row in ws.iter_rows(min_row=header_row(ws)):
            for cell in row:
                if not (cell.alignment.wrap_text and isinstance(cell.value, str)):
                    continue
                rng = merged.get((cell.row, cell.column))
                rows = range(cell.row, (rng.max_row if rng else cell.row) + 1)
                width = sum(_width(ws, c) for c in range(cell.column, (rng.max_col if rng else cell.column) + 1))
                height = sum(ws.row_dimensions[r].height or DEFAULT_HEIGHT for r in rows)
                need = row_height(cell.value, width, cell.font.sz, cell.font.b)
                assert height >= need - 0.01, (ws.title, cell.coordinate, cell.value, height, need)
                tall.update(r for r in rows if need > DEFAULT_HEIGHT)
                checked += 1
        for r, dim in ws.row_dimensions.items():
            assert dim.height is None or r in tall, (ws.title, r, dim.height)  # no height without a reason
    assert checked > 400
    ws = wb["3.1 Pengukuran Kinerja"]
    assert ws.cell(4, 2).value == SS1 and ws.row_dimensions[4].height == row_height(SS1, 34) == 40.5


@pytest.fixture(scope="module", params=["id", "en"])
def printed(request, built, tmp_path_factory):
    """The demo workbook of a language printed to PDF by LibreOffice: (the workbook, its pages' text lines)."""
    folder = tmp_path_factory.mktemp(f"printed-{request.param}")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SAKIP_LANG", request.param)
        book = write_workbook(built / "published.duckdb", SATKER, 2025, 6,
                              folder / "reports" / SATKER / "2025-06" / "lampiran.xlsx")
    return openpyxl.load_workbook(book), text_lines(to_pdf(book, folder / "pdf"))


def test_printed_by_libreoffice_no_text_runs_over_another_row(printed):
    """Issue 18: with rows of a fixed height LibreOffice printed the wrapped Sasaran and Indikator texts over the
    rows below. No line of text may overlap another printed in the same column."""
    _, pages = printed
    found = overlapping(pages)
    shown = "\n".join(f"page {a.page}: {a.text[:40]!r} (y {a.y0:.1f}–{a.y1:.1f}) over {b.text[:40]!r} "
                      f"(y {b.y0:.1f}–{b.y1:.1f})" for a, b in found[:10])
    assert not found, f"{len(found)} lines printed over others:\n{shown}"


def test_printed_by_libreoffice_the_sheets_with_long_texts(printed):
    """Every sheet is printed, from the page that shows its caption on; those with the long Sasaran and
    Indikator texts run over wrapped lines, each word of their longest text printed."""
    book, pages = printed
    firsts = []
    for ws in book:
        caption = ws["A2"].value
        firsts.append(next(i for i, lines in enumerate(pages) if any(line.text == caption for line in lines)))
    assert firsts == sorted(firsts) and firsts[0] == 0
    for index, cols in [(0, (2, 3)), (1, (3,)), (2, (2,)), (4, (2, 4))]:  # 3.1, per sasaran, yearly, vs budget
        ws = book.worksheets[index]
        sheet_pages = pages[firsts[index]:firsts[index + 1]]
        words = " ".join(line.text for lines in sheet_pages for line in lines).split()
        longest = max((ws.cell(r, c).value or "" for r in range(4, ws.max_row + 1) for c in cols), key=len)
        assert len(longest) > 60 and set(longest.split()) <= set(words), (ws.title, longest)
        assert not overlapping(sheet_pages), ws.title
