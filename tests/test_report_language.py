"""The reports in the language of the run (issue 18): Indonesian by default, English with SAKIP_LANG=en, numbers
and dates in that language's locale; and what went wrong, first: a run that refused the demo's Realisasi export
(a cell that is not a number) says so at the top of the page and on the workbook's first sheet, and marks every
figure that refusal holds back.

Two warehouses: one that published June and then refused June's corrected Realisasi export (the figures are
kept at their last good version), one whose first run refused it (no data yet)."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from babel.numbers import format_decimal

from builders import edit_text, run
from chromium import visible_text
from conftest import DEMO_INBOX
from sakip.report import format as fmt
from sakip.report.html import write_html
from sakip.report.workbook import sheet_names, write_workbook

SATKER = "672849"
REALISASI = "Realisasi_Kinerja_672849_2025_B06.csv"
ADVICE_ID = "Kirim ekspor yang sudah diperbaiki; run berikutnya akan memakainya."
ADVICE_EN = "Send a corrected export; the next run will use it."


# ---------------------------------------------------------------------------------------------------- formats

@pytest.mark.parametrize("lang, expected", [
    ("id", {"angka": "93,96", "ribuan": "1.601.792.883", "rupiah": "Rp 1.601.792.883", "persen": "105,73%",
            "negatif": "-0,27", "setengah": "0,13", "satu": "1.234,5", "tanggal": "30 Juni 2025",
            "periode": "Juni 2025", "bulan": "Mei", "pendek": "Agu", "inisial": "J"}),
    ("en", {"angka": "93.96", "ribuan": "1,601,792,883", "rupiah": "Rp 1,601,792,883", "persen": "105.73%",
            "negatif": "-0.27", "setengah": "0.13", "satu": "1,234.5", "tanggal": "30 June 2025",
            "periode": "June 2025", "bulan": "May", "pendek": "Aug", "inisial": "J"}),
])
def test_numbers_money_and_dates_in_the_locale_of_the_language(monkeypatch, lang, expected):
    monkeypatch.setenv("SAKIP_LANG", lang)
    assert fmt.angka(93.96) == expected["angka"]
    assert fmt.angka(1601792883, 0) == expected["ribuan"]
    assert fmt.rupiah(1601792883) == fmt.rupiah(Decimal("1601792883")) == expected["rupiah"]
    assert fmt.persen(105.725) == fmt.persen(105.7252643799855) == expected["persen"]
    assert fmt.angka(-0.265) == expected["negatif"]
    assert fmt.angka(0.125) == expected["setengah"]
    assert fmt.angka(1234.45, 1) == expected["satu"]
    assert fmt.tanggal(dt.date(2025, 6, 30)) == fmt.tanggal(dt.datetime(2025, 6, 30, 9, 5)) == expected["tanggal"]
    assert fmt.periode(2025, 6) == expected["periode"]
    assert (fmt.nama_bulan(5), fmt.bulan_pendek(8), fmt.inisial_bulan(6)) == \
        (expected["bulan"], expected["pendek"], expected["inisial"])
    assert fmt.angka(None) == fmt.persen(None) == fmt.rupiah(None) == fmt.tanggal(None) == "-"


def test_rounding_is_half_away_from_zero_before_babel_formats(monkeypatch):
    """Babel alone rounds half to even (0,125 → 0,12); the methodology rounds half up, as the bands do."""
    monkeypatch.setenv("SAKIP_LANG", "id")
    assert format_decimal(Decimal("0.125"), "#,##0.00", locale="id_ID") == "0,12"
    assert [fmt.angka(v) for v in (0.125, 2.675, -2.675, 105.725, 0.005)] == ["0,13", "2,68", "-2,68", "105,73",
                                                                               "0,01"]
    assert fmt.angka(Decimal("1601792883.5"), 0) == "1.601.792.884"


def test_a_figure_formatted_again_reads_the_same_in_each_language_and_sign(monkeypatch):
    """Figures are formatted once per value, language and sign (a national month's pages format ~30,000): the
    same value in another language, or zero after a negative zero, is not given the text formatted first."""
    monkeypatch.setenv("SAKIP_LANG", "id")
    assert [fmt.angka(v) for v in (-0.001, 0.0, 0.0, -0.001, 1234.5)] == ["-0,00", "0,00", "0,00", "-0,00",
                                                                          "1.234,50"]
    monkeypatch.setenv("SAKIP_LANG", "en")
    assert [fmt.angka(v) for v in (0.0, -0.001, 1234.5)] == ["0.00", "-0.00", "1,234.50"]
    assert fmt.angka(Decimal("1234.5")) == fmt.angka(1234.5) == "1,234.50"


def test_sheet_names_follow_excels_rules_in_every_language(monkeypatch):
    for lang in ("id", "en"):
        monkeypatch.setenv("SAKIP_LANG", lang)
        names = sheet_names()
        assert len(set(names)) == len(names) == 8
        assert all(0 < len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names), names
    monkeypatch.setenv("SAKIP_LANG", "en")
    assert sheet_names()[0] == "3.1 Performance measurement"


# ---------------------------------------------------------------------------------------------------- a refused export

def _broken_inbox(folder: Path) -> Path:
    """The demo inbox with its June Realisasi export broken: IKU1.1's June value is not a number."""
    inbox = folder / "inbox"
    shutil.copytree(DEMO_INBOX, inbox)
    edit_text(inbox / REALISASI, ";93,96;", ";sembilan puluh;")
    return inbox


def _reports(warehouse: Path, folder: Path, lang: str) -> dict:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SAKIP_LANG", lang)
        page = write_html(warehouse / "published.duckdb", SATKER, 2025, 6, folder / lang / "laporan.html")
        book = write_workbook(warehouse / "published.duckdb", SATKER, 2025, 6, folder / lang / "lampiran.xlsx")
    source = page.read_text(encoding="utf-8")
    return {"html": source, "text": visible_text(source), "wb": openpyxl.load_workbook(book)}


@pytest.fixture(scope="module")
def kept(tmp_path_factory) -> dict:
    """June published, then June's Realisasi export sent again, broken: kept at the last good version."""
    folder = tmp_path_factory.mktemp("kept")
    warehouse = folder / "wh"
    run(DEMO_INBOX, warehouse, 2025, 6, run_id="juni-baik")
    result = run(_broken_inbox(folder), warehouse, 2025, 6, run_id="juni-rusak")
    assert [o.name for o in result.refused] == [REALISASI]
    assert {s.table for s in result.stale} >= {"capaian_iku", "nko"} and all(s.kept for s in result.stale)
    return {lang: _reports(warehouse, folder / "reports", lang) for lang in ("id", "en")}


@pytest.fixture(scope="module")
def no_data(tmp_path_factory) -> dict:
    """The first run of the warehouse refused June's Realisasi export: there is no earlier version to keep."""
    folder = tmp_path_factory.mktemp("no-data")
    warehouse = folder / "wh"
    result = run(_broken_inbox(folder), warehouse, 2025, 6, run_id="juni-rusak")
    assert [o.name for o in result.refused] == [REALISASI] and not any(s.kept for s in result.stale)
    return {lang: _reports(warehouse, folder / "reports", lang) for lang in ("id", "en")}


def _notice(source: str) -> str:
    """The notice's visible text; it comes before the page's first section (and its header)."""
    found = re.search(r'<aside class="notice" id="perhatian" role="alert">.*?</aside>', source, re.S)
    assert found, "no notice"
    assert found.start() < source.index("<section") and found.start() < source.index('<header class="top">')
    return visible_text(found.group(0))


def _row(source: str, kode: str) -> str:
    return re.search(rf'<tr [^>]*data-iku="{re.escape(kode)}".*?</tr>', source, re.S).group(0)


def test_the_page_says_first_which_source_why_since_when_and_what_to_do(kept):
    notice = _notice(kept["id"]["html"])
    assert notice.startswith("⚠ Perhatian: 1 sumber data periode ini ditolak")
    assert (f"Ekspor SIMETRIS Realisasi IKU {REALISASI} (tanggal ekspor 1 Juli 2025) ditolak oleh run juni-rusak "
            "tanggal ") in notice
    assert "baris 6: Realisasi: 'sembilan puluh'" in notice  # the first finding
    assert ("Angka yang bergantung padanya (NKO, capaian IKU, nilai pencapaian sasaran) tetap pada versi terakhir "
            "yang baik, dari run juni-baik tanggal ") in notice
    assert "ditandai dengan *" in notice and notice.endswith(ADVICE_ID)
    assert '<html lang="id">' in kept["id"]["html"]


def test_every_held_figure_of_the_page_is_marked(kept):
    source = kept["id"]["html"]
    iku11 = _row(source, "IKU1.1")
    # target, realisasi and capaian of the indicator: the last good version's, marked
    assert len(re.findall(r'<span class="held kept" title="versi terakhir yang baik, dari run juni-baik tanggal '
                          rf'[^"]+: {REALISASI} ditolak">', iku11)) == 3
    assert re.search(r'93,96<sup class="mark">\*</sup>', iku11)
    assert re.search(r'class="nko-value"[^>]*><span class="held kept"[^>]*>105,73%<sup class="mark">\*</sup>', source)
    assert re.search(r'<tr class="ss" data-ss="SS1">.*?<span class="held kept"', source, re.S)  # NPS
    assert 'class="held-note"' in source
    # the budget does not depend on the refused export: not marked
    budget = re.search(r'<section id="anggaran">.*?</section>', source, re.S).group(0)
    assert "held" not in budget
    # the refused file is still listed in full at the bottom
    assert "Sumber yang Ditolak (1)" in kept["id"]["text"]


def test_no_data_yet_says_so_and_marks_the_missing_figures(no_data):
    source = no_data["id"]["html"]
    notice = _notice(source)
    assert "belum ada data (tidak ada versi sebelumnya yang dapat dipertahankan)" in notice
    assert "versi terakhir" not in notice and "ditandai dengan †" in notice and notice.endswith(ADVICE_ID)
    iku11 = _row(source, "IKU1.1")
    # realisasi and capaian are missing: marked; the target came from the accepted RAPK: not marked
    assert iku11.count('<span class="held no_data"') == 2 and "-<sup class=\"mark\">†</sup>" in iku11
    assert re.search(r'<td class="num"><span class="held[^>]*>81,25', iku11) is None
    assert re.search(r'class="predikat"[^>]*><span class="held no_data"[^>]*>belum dapat dinilai<sup', source)


def test_the_workbooks_first_sheet_says_it_and_marks_the_cells(kept, no_data):
    for case, fill, state in ((kept, "FFFFF2CC", "versi terakhir yang baik"), (no_data, "FFF8CBAD", "belum ada data")):
        ws = case["id"]["wb"].worksheets[0]
        assert ws.title == "3.1 Pengukuran Kinerja"
        assert ws["A1"].value == "Balai POM di Dumai — Juni 2025" and ws["A2"].value == "Tabel 3.1 Pengukuran Kinerja"
        assert ws["A3"].value == "Perhatian: 1 sumber data periode ini ditolak"
        paragraph = ws["A4"].value
        assert paragraph.startswith(f"Ekspor SIMETRIS Realisasi IKU {REALISASI} (tanggal ekspor 1 Juli 2025) ditolak")
        assert "baris 6: Realisasi: 'sembilan puluh'" in paragraph and paragraph.endswith(ADVICE_ID)
        assert "(NKO, capaian IKU, nilai pencapaian sasaran, kinerja vs anggaran)" in paragraph
        assert {"A3:K3", "A4:K4"} <= {str(r) for r in ws.merged_cells.ranges}  # across the table's width
        # the table follows, its header frozen
        assert ws["A6"].value == "No" and ws.freeze_panes == "A7"
        realisasi = ws["F7"]  # IKU1.1
        assert realisasi.fill.fgColor.rgb == fill and state in realisasi.comment.text
        assert REALISASI in realisasi.comment.text
        nko = next(r for r in range(7, ws.max_row + 1) if ws.cell(r, 1).value == "Predikat NKO")
        assert ws.cell(nko, 9).fill.fgColor.rgb == fill and ws.cell(nko, 9).comment is not None
        captions = [str(ws.cell(r, 1).value) for r in range(nko, ws.max_row + 1)]
        assert any(c.startswith("Sel yang ditandai: " + state) for c in captions), captions
    kept_ws, none_ws = kept["id"]["wb"].worksheets[0], no_data["id"]["wb"].worksheets[0]
    assert kept_ws["F7"].value == 93.96 and none_ws["F7"].value == "-"  # numbers stay numbers
    assert kept_ws["E7"].comment is not None and none_ws["E7"].comment is None  # the target: kept / accepted
    # the other sheets mark their cells too; the budget's do not depend on the refused export
    sasaran = kept["id"]["wb"]["Capaian per Sasaran"]
    assert sasaran["F4"].comment is not None
    budget = kept["id"]["wb"]["3.3 Realisasi Anggaran"]
    assert all(c.comment is None for row in budget.iter_rows() for c in row)


def test_english_notice_headings_and_numbers(kept, no_data):
    source, text = kept["en"]["html"], kept["en"]["text"]
    notice = _notice(source)
    assert notice.startswith("⚠ Attention: 1 source of this period was refused")
    assert (f"The SIMETRIS Realisasi IKU export {REALISASI} (exported 1 July 2025) was refused by run juni-rusak "
            "of ") in notice
    assert "row 6: Realisasi: 'sembilan puluh'" in notice
    assert ("The figures that depend on it (NKO, capaian IKU, sasaran achievement values) are kept at their last "
            "good version, from run juni-baik of ") in notice
    assert notice.endswith(ADVICE_EN)
    assert "have no data yet (there is no earlier version to keep)" in _notice(no_data["en"]["html"])
    assert '<html lang="en">' in source
    for heading in ("Capaian of the key performance indicators", "Budget absorption", "Budget efficiency per RO",
                    "Sample testing time (SLA 15 working days)", "Refused sources (1)",
                    "Organisation performance value (NKO)", "Laporan Kinerja — June 2025"):
        assert heading in text, heading
    for indonesian in ("Penyerapan Anggaran", "Sumber yang Ditolak", "Perhatian", "Juni 2025", "dihitung"):
        assert indonesian not in text, indonesian
    # numbers in the English locale; the planners' terms and the data's names stay theirs
    assert "105.73%" in text and "Rp 1,601,792,883" in text and "93.96" in _row(source, "IKU1.1")
    assert "105,73%" not in text
    assert "Istimewa" in text and "Tidak Dapat Disimpulkan" in text and "Balai POM di Dumai" in text
    assert re.search(r'class="held kept" title="last good version, from run juni-baik of [^"]+: '
                     rf'{REALISASI} refused">93\.96<sup', source)


def test_english_workbook(kept):
    wb = kept["en"]["wb"]
    assert wb.sheetnames == ["3.1 Performance measurement", "Capaian per sasaran", "Yearly capaian",
                             "3.3 Budget realisasi", "Performance vs budget", "Efficiency", "Testing SLA",
                             "Timeliness"]
    ws = wb.worksheets[0]
    assert ws["A1"].value == "Balai POM di Dumai — June 2025"
    assert ws["A3"].value == "Attention: 1 source of this period was refused"
    assert ws["A4"].value.startswith(f"The SIMETRIS Realisasi IKU export {REALISASI} (exported 1 July 2025) was "
                                     "refused by run juni-rusak")
    assert "are marked in yellow, with a comment" in ws["A4"].value and ws["A4"].value.endswith(ADVICE_EN)
    assert [c.value for c in ws[6]][:7] == ["No.", "Strategic objective", "Indicator", "Month", "Target",
                                            "Realisasi", "% Capaian"]
    assert ws["D7"].value == "June" and ws["F7"].comment.text.startswith("last good version")
    # Excel's number formats are the same codes in every language: the reader's Excel shows its own separators
    assert ws["F7"].number_format == "0.00" and ws["G7"].number_format == '0.00"%"'
    assert wb["3.3 Budget realisasi"]["D4"].number_format == '"Rp "#,##0'
    late = wb["Testing SLA"]
    statuses = {late.cell(r, 10).value for r in range(1, late.max_row + 1)}
    assert {"Late", "In progress", "Overdue"} <= statuses


@pytest.fixture(scope="module")
def sipt(tmp_path_factory) -> dict:
    """June published, then June's SIPT inspections export sent again with an impossible date: the SLA and
    timeliness tables keep their last good version; capaian_iku is published, its check against SIPT older."""
    folder = tmp_path_factory.mktemp("sipt")
    inbox = folder / "inbox"
    shutil.copytree(DEMO_INBOX, inbox)
    pemeriksaan = inbox / "SIPT_Pemeriksaan_672849_2025_B06.csv"
    data = pemeriksaan.read_bytes()
    assert data.count(b";13/01/2025;MK;20/01/2025;") == 1
    pemeriksaan.write_bytes(data.replace(b";13/01/2025;MK;20/01/2025;", b";31/02/2025;MK;20/01/2025;"))
    warehouse = folder / "wh"
    run(DEMO_INBOX, warehouse, 2025, 6, run_id="juni-baik")
    result = run(inbox, warehouse, 2025, 6, run_id="sipt-rusak")
    assert [o.name for o in result.refused] == [pemeriksaan.name]
    assert {(s.table, s.partial) for s in result.stale} >= {("capaian_iku", True), ("sla_pengujian", False)}
    return {"id": _reports(warehouse, folder / "reports", "id")}


def test_a_refused_sipt_export_holds_back_the_sla_and_the_check_against_sipt(sipt):
    source = sipt["id"]["html"]
    notice = _notice(source)
    assert "Ekspor SIPT Pemeriksaan Sarana SIPT_Pemeriksaan_672849_2025_B06.csv" in notice
    assert "baris 7: Tanggal Pemeriksaan: '31/02/2025'" in notice
    assert ("Angka yang bergantung padanya (SLA pengujian) tetap pada versi terakhir yang baik, dari run juni-baik "
            "tanggal ") in notice
    assert "Pembanding capaian IKU dengan SIPT tetap memakai ekspor terakhir yang baik (ditandai dengan *)" in notice
    # the indicators are this run's: not marked; their SIPT warning is; the SLA table's figures are (three
    # commodity groups and the total)
    iku12 = _row(source, "IKU1.2")
    assert "99,26" in iku12 and iku12.count('class="held') == 1 and '<span class="held partial"' in iku12
    sla = re.search(r'<section id="sla">.*?</section>', source, re.S).group(0)
    assert sla.count('<span class="held kept"') == 3 * 7 + 6 and 'class="held-note"' in sla
    # the workbook does not show the check against SIPT: its notice names what it shows
    wb = sipt["id"]["wb"]
    paragraph = wb.worksheets[0]["A4"].value
    assert "(SLA pengujian, ketepatan waktu) tetap pada versi terakhir yang baik" in paragraph
    assert "Pembanding" not in paragraph
    assert all(c.comment is None for row in wb.worksheets[0].iter_rows(min_row=6) for c in row)
    assert wb["SLA Pengujian"]["D4"].comment is not None and wb["Ketepatan Waktu"]["D4"].comment is not None
