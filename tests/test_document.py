"""The Laporan Kinerja draft (sakip/report/document.py) of Balai POM di Dumai, Triwulan II 2025, written from the
warehouse `sakip demo` published and read back with python-docx. Expected figures are the seed report's
(Laporan Kinerja Triwulan II 2025), transcribed below, except where sakip documents that it follows the data
(docs/methodology-notes.md): an indicator that is not measured shows "-" where the report prints 0,00."""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import logging
import os
import re
import shutil
import zipfile
from pathlib import Path

import docx
import duckdb
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from conftest import ROOT
from devtools import build_template
from libreoffice import convert, read_png, render_page, text_lines
from sakip import settings
from sakip.report import data
from sakip.report.document import STYLES, TEMPLATE, TemplateError, build_document, missing_styles
from sakip.warehouse.db import BUNDLED_REFERENCE

SATKER = "672849"
NAMA = "Balai POM di Dumai"
TDD, SB, B = "Tidak Dapat Disimpulkan", "Sangat Baik", "Baik"

# Table 3.1 of the seed report (its lines 1040-1072) as printed: target, realisasi, %capaian, justifikasi, nilai
# akhir; then Total Capaian PK, NKO and predikat.
SEED_3_1 = [
    ("81,25", "93,96", "115,64", "Normalisasi", "110,00%"),
    ("75,00", "99,26", "132,35", "Normalisasi", "110,00%"),
    ("100,00", "0,00", "0,00", "-", "-"),
    ("85,00", "94,00", "110,59", "Normalisasi", "110,00%"),
    ("45,00", "67,84", "150,76", "Normalisasi", "110,00%"),
    ("90,00", "100,00", "111,11", "Normalisasi", "110,00%"),
    ("90,00", "100,00", "111,11", "Normalisasi", "110,00%"),
    ("93,38", "98,06", "105,01", "-", "105,01%"),
    ("85,00", "99,17", "116,67", "Normalisasi", "110,00%"),
    ("87,62", "99,72", "113,81", "Normalisasi", "110,00%"),
    ("30,00", "30,00", "100,00", "-", "100,00%"),
    ("9,00", "9,22", "102,44", "-", "102,44%"),
    ("85,83", "88,41", "103,01", "-", "103,01%"),
    ("25,00", "75,00", "300,00", "Normalisasi", "110,00%"),
    ("27,00", "25,00", "92,59", "-", "92,59%"),
    ("75,00", "75,00", "100,00", "-", "100,00%"),
    ("30,00", "65,75", "219,17", "Normalisasi", "110,00%"),
    ("0,00", "0,00", "0,00", "-", ""),
    ("50,00", "50,00", "100,00", "-", "100,00%"),
    ("0,00", "-", "0,00", "-", ""),
    ("0,00", "-", "0,00", "-", ""),
    ("0,00", "-", "0,00", "-", ""),
    ("0,00", "", "0,00", "", ""),
    ("50,00", "50,00", "100,00", "-", "100,00%"),
]
SEED_TOTALS = ["1903,05%", "105,73%", "Istimewa"]
# The kriteria of each indicator, from the seed's table of capaian per sasaran (its lines 1074-1108).
SEED_KRITERIA = [TDD, TDD, "-", TDD, TDD, TDD, TDD, SB, TDD, TDD, SB, SB, SB, TDD, B, SB, TDD, "-", SB, "-", "-", "-",
                 "-", SB]
# The seed's efficiency table (its lines 2262-2296): IE, TE, kategori per RO, in its order. Alat Laboratorium
# (20) is printed "Efisien" without spending or IE: sakip says it cannot be assessed (tests/test_demo_e2e.py).
SEED_EFISIENSI = [("1,06", "0,06", "Efisien"), ("1,91", "0,91", "Efisien"), ("2,94", "1,94", "Tidak Efisien"),
                  ("1,02", "0,02", "Efisien"), ("1,94", "0,94", "Efisien"), ("1,05", "0,05", "Efisien"),
                  ("-", "-", "-"), ("-", "-", "-"), ("4,73", "3,73", "Tidak Efisien"), ("-", "-", "-"),
                  ("0,73", "-0,27", "Tidak Efisien"), ("-", "-", "-"), ("-", "-", "-"), ("-", "-", "-"),
                  ("4,84", "3,84", "Tidak Efisien"), ("1,48", "0,48", "Efisien"), ("4,89", "3,89", "Tidak Efisien"),
                  ("2,34", "1,34", "Tidak Efisien"), ("3,91", "2,91", "Tidak Efisien"), ("-", "-", "Efisien"),
                  ("1,89", "0,89", "Efisien")]
NOT_ASSESSABLE = {19: ("-", "-", "-")}  # index in SEED_EFISIENSI → as sakip publishes it


def as_drafted(row: tuple[str, ...]) -> tuple[str, ...]:
    """A row of the seed's table 3.1 as the draft prints it: an indicator without a nilai akhir is not measured,
    and its missing figures (printed 0,00 or left empty by the report) are "-"."""
    target, realisasi, capaian, justifikasi, nilai = row
    if nilai not in ("", "-"):
        return row
    return (target if target != "0,00" else "-", "-", "-", "-", "-")


# ---------------------------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def june(template) -> data.ReportData:
    con = duckdb.connect(str(template / "published.duckdb"), read_only=True)
    try:
        return data.load(con, [(SATKER, 2025, 6)])[SATKER, 2025, 6]
    finally:
        con.close()


@pytest.fixture(scope="module")
def june_path(june, tmp_path_factory) -> Path:
    return build_document(june, tmp_path_factory.mktemp("docx") / "reports" / "laporan-kinerja.docx",
                          "published.duckdb")


@pytest.fixture(scope="module")
def doc(june_path):
    return docx.Document(str(june_path))


def blocks(document) -> list[Paragraph | Table]:
    return list(document.iter_inner_content())


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def cells(table: Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def table_with(document, *header: str) -> Table:
    return next(t for t in document.tables if cells(t)[0][:len(header)] == list(header))


def section(document, title: str) -> list[Paragraph | Table]:
    """The blocks under the heading that starts with `title`, up to the next heading of its level or above."""
    items = blocks(document)
    start = next(i for i, b in enumerate(items) if isinstance(b, Paragraph) and b.style.name.startswith("Heading")
                 and b.text.startswith(title))
    level = items[start].style.name
    end = next((i for i in range(start + 1, len(items)) if isinstance(items[i], Paragraph)
                and items[i].style.name.startswith("Heading") and items[i].style.name <= level), len(items))
    return items[start:end]


def texts_of(items: list[Paragraph | Table]) -> list[str]:
    return [b.text for b in items if isinstance(b, Paragraph)]


def indicator(document, name: str) -> list[Paragraph | Table]:
    """The blocks of one indicator (its Heading 4 '<n>. <name>')."""
    items = blocks(document)
    start = next(i for i, b in enumerate(items) if isinstance(b, Paragraph) and b.style.name == "Heading 4"
                 and b.text.split(". ", 1)[-1] == name)
    end = next((i for i in range(start + 1, len(items)) if isinstance(items[i], Paragraph)
                and items[i].style.name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4")), len(items))
    return items[start:end]


def banding(kode_iku: str, **values) -> dict:
    row = {k: None for k in ("realisasi_triwulan_lalu", "capaian_triwulan_lalu", "arah_triwulan_lalu",
                             "realisasi_tahun_lalu", "capaian_tahun_lalu", "arah_tahun_lalu")}
    return {"kode_satker": SATKER, "tahun": 2025, "bulan": 6, "triwulan": 2, "kode_iku": kode_iku, **row, **values}


# ---------------------------------------------------------------------------------------------------- the file

def test_written_beside_then_renamed_and_opened_by_python_docx(june, june_path, doc):
    assert june_path.name == "laporan-kinerja.docx" and june_path.exists()
    assert [p.name for p in june_path.parent.iterdir()] == ["laporan-kinerja.docx"]  # no temporary file left
    with zipfile.ZipFile(june_path) as z:
        assert z.testzip() is None
        xml = z.read("word/document.xml").decode()
    assert "w:sdt" not in xml  # no content control
    section_ = doc.sections[0]
    assert (round(section_.page_width.cm, 1), round(section_.page_height.cm, 1)) == (21.0, 29.7)  # A4 portrait


def test_cover_title_unit_and_draft_notice(june, doc):
    texts = paragraphs(doc)
    assert texts[:2] == ["LAPORAN KINERJA TRIWULAN II TAHUN 2025", "BALAI POM DI DUMAI"]
    assert doc.paragraphs[0].style.name == "Title"
    notice = doc.paragraphs[2]
    assert notice.style.name == "Catatan Draf"
    assert notice.text.startswith("DRAF. Disusun otomatis oleh sakip dari data yang diterbitkan (published.duckdb, "
                                  f"run {june.run['run_id']} tanggal ")
    assert "data s.d. 30 Juni 2025" in notice.text and "[Diisi oleh penyusun: …]" in notice.text
    header = [p.text for p in doc.sections[0].header.paragraphs]
    assert header == ["BADAN PENGAWAS OBAT DAN MAKANAN", NAMA]
    footer = doc.sections[0].footer._element.xml
    assert 'w:instr=" PAGE "' in footer


def test_places_for_what_people_write(doc):
    for title in ("KATA PENGANTAR", "IKHTISAR EKSEKUTIF", "BAB I\nPENDAHULUAN", "BAB II\nPERENCANAAN KINERJA",
                  "BAB IV\nPENUTUP"):
        items = section(doc, title)
        marked = [b for b in items[1:] if isinstance(b, Paragraph) and b.style.name == "Placeholder"]
        assert marked and marked[0].text.startswith("[Diisi oleh penyusun: "), title
    items = blocks(doc)
    for label in ("b. Analisis Penyebab Keberhasilan/Kegagalan", "c. Analisis Program/Kegiatan"):
        at = [i for i, b in enumerate(items) if isinstance(b, Paragraph) and b.text.startswith(label)]
        assert len(at) == 24, label
        for i in at:  # the placeholder follows, after the SIPT facts where there are some
            following = next(b for b in items[i + 1:] if b.style.name != "Fakta Data")
            assert following.style.name == "Placeholder" and following.text.startswith("[Diisi oleh penyusun: ")
    styles = {p.style.name for p in doc.paragraphs if p.text.startswith("[Diisi oleh penyusun")}
    assert styles == {"Placeholder"}

EDITED_AT = dt.datetime(2025, 7, 1, 8, 0)  # local time: the kept copy's name says it
KEPT = "laporan-kinerja.disunting-20250701-080000.docx"


def edit(path: Path, text: str, editor: str | None = "Perencana") -> None:
    """What a planner does in Word: a paragraph changed, saved under their name, at EDITED_AT."""
    d = docx.Document(str(path))
    d.paragraphs[1].text = text
    if editor:
        d.core_properties.last_modified_by = editor
    d.save(str(path))
    os.utime(path, (EDITED_AT.timestamp(), EDITED_AT.timestamp()))


def test_a_rerun_keeps_the_draft_people_edited(june, tmp_path, caplog):
    path = tmp_path / "laporan-kinerja.docx"
    build_document(june, path, "published.duckdb")
    build_document(june, path, "published.duckdb")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # sakip's own draft is simply replaced
    edit(path, "BALAI POM DI DUMAI (SUDAH DISUNTING)")
    with caplog.at_level(logging.WARNING, logger="sakip.report.document"):
        assert build_document(june, path, "published.duckdb") == path
    assert sorted(p.name for p in tmp_path.iterdir()) == [KEPT, path.name]
    assert docx.Document(str(tmp_path / KEPT)).paragraphs[1].text == "BALAI POM DI DUMAI (SUDAH DISUNTING)"
    new = docx.Document(str(path))
    assert new.paragraphs[1].text == "BALAI POM DI DUMAI"
    assert (new.core_properties.last_modified_by, new.core_properties.revision) == ("sakip", 1)
    assert any(KEPT in r.getMessage() and str(path) in r.getMessage() for r in caplog.records)
    build_document(june, path, "published.duckdb")  # the new draft is sakip's: replaced, nothing more kept
    assert sorted(p.name for p in tmp_path.iterdir()) == [KEPT, path.name]


def test_an_edit_that_leaves_the_properties_is_kept_too_and_never_over_a_kept_copy(june, tmp_path):
    path = tmp_path / "laporan-kinerja.docx"
    (tmp_path / KEPT).write_bytes(b"a copy kept by an earlier run")
    build_document(june, path, "published.duckdb")
    edit(path, "DISUNTING DENGAN SKRIP", editor=None)  # a script's edit: the properties stay sakip's
    assert docx.Document(str(path)).core_properties.last_modified_by == "sakip"
    build_document(june, path, "published.duckdb")
    second = tmp_path / KEPT.replace(".docx", "-2.docx")
    assert (tmp_path / KEPT).read_bytes() == b"a copy kept by an earlier run"
    assert docx.Document(str(second)).paragraphs[1].text == "DISUNTING DENGAN SKRIP"
    assert docx.Document(str(path)).paragraphs[1].text == "BALAI POM DI DUMAI"


def test_a_file_at_the_drafts_place_that_is_not_a_draft_is_kept(june, tmp_path):
    path = tmp_path / "laporan-kinerja.docx"
    path.write_text("catatan perencana, bukan dokumen Word")
    os.utime(path, (EDITED_AT.timestamp(), EDITED_AT.timestamp()))
    build_document(june, path, "published.duckdb")
    assert (tmp_path / KEPT).read_text() == "catatan perencana, bukan dokumen Word"
    assert docx.Document(str(path)).paragraphs[0].text == "LAPORAN KINERJA TRIWULAN II TAHUN 2025"



# ---------------------------------------------------------------------------------------------------- 3.1

def test_bab_3_opens_without_a_notice_when_nothing_was_refused(doc):
    items = section(doc, "BAB III")
    assert items[1].text == "3.1 CAPAIAN KINERJA ORGANISASI"
    assert not any(p.style.name == "Perhatian" for p in doc.paragraphs)


def test_nko_paragraph(doc):
    texts = texts_of(section(doc, "3.1 CAPAIAN KINERJA ORGANISASI"))
    assert any(t.startswith("Capaian Kinerja Organisasi menyajikan hasil pengukuran kinerja dari masing-masing "
                            "sasaran strategis Balai POM di Dumai") for t in texts)
    assert ("Berdasarkan aplikasi e-performance pada Sistem Informasi BPOM (SIMETRIS) yang merupakan aplikasi "
            "kinerja yang diimplementasikan di seluruh UPT Badan POM termasuk Balai POM di Dumai, diperoleh nilai "
            "NKO Total sebesar 105,73% dengan kriteria “Istimewa”.") in texts
    assert any("rata-rata nilai akhir 18 dari 24 indikator" in t for t in texts)


def test_table_3_1_matches_the_seed(doc):
    table = table_with(doc, "No", "Sasaran Strategis", "Indikator", "Bulan", "Target", "Realisasi", "% Capaian",
                       "Justifikasi", "Nilai Akhir")
    rows = cells(table)[1:]
    assert len(rows) == 24 + 3
    assert [r[0] for r in rows[:24]] == [str(i) for i in range(1, 25)]
    assert all(r[3] == "Juni" for r in rows[:24])
    assert [tuple(r[4:9]) for r in rows[:24]] == [as_drafted(r) for r in SEED_3_1]
    assert rows[0][2] == "Persentase sampel Sediaan Farmasi berisiko yang ditindaklanjuti sesuai ketentuan"
    # Total Capaian PK, NKO, predikat: the label over the first eight columns; the report writes 1903,05 without
    # the thousands separator Indonesian numbers have elsewhere in it (Rp1.601.792.883)
    assert [r[0] for r in rows[24:]] == ["Total Capaian PK", "Nilai Kinerja Organisasi (Rata-rata Capaian PK)",
                                         "Predikat NKO"]
    assert [r[8] for r in rows[24:]] == ["1.903,05%", *SEED_TOTALS[1:]]
    assert SEED_TOTALS[0].replace("1903", "1.903") == rows[24][8]


def test_capaian_per_sasaran_matches_the_seed(doc):
    texts = texts_of(section(doc, "Analisis Akuntabilitas Kinerja"))
    assert ("Berdasarkan Perjanjian Kinerja Tahun 2025 terdapat 9 sasaran strategis dan 24 indikator kinerja "
            "dengan capaian sebagai berikut :") in texts
    table = table_with(doc, "No", "Sasaran Strategis", "No", "Indikator Kinerja", "Target Triwulan II",
                       "Realisasi Triwulan II", "Capaian", "Kriteria")
    rows = cells(table)[1:]
    assert [r[7] for r in rows] == SEED_KRITERIA
    assert [r[0] for r in rows] == ["1"] * 10 + ["2", "3"] + ["4"] * 4 + ["5", "6", "7", "8"] + ["9"] * 4
    assert [r[2] for r in rows[:10]] == [str(i) for i in range(1, 11)]
    assert (rows[0][4:7], rows[14][4:7]) == (["81,25", "93,96", "115,64%"], ["27,00", "25,00", "92,59%"])


def test_desa_pangan_aman_as_the_seed_says_it(doc):
    items = indicator(doc, "Jumlah desa pangan aman")
    texts = texts_of(items)
    assert texts[2] == "a. Perbandingan Antara Target dengan Realisasi Kinerja Triwulan II"
    assert ("Realisasi Jumlah desa pangan aman adalah 25,00 dan Capaian indikator berikut sebesar 92,59% dengan "
            "kategori capaian “Baik”.") in texts
    table = next(b for b in items if isinstance(b, Table))
    assert cells(table)[0][:5] == ["Indikator Kinerja", "Target Triwulan II", "Realisasi Triwulan II", "Capaian",
                                   "Kriteria"]
    assert cells(table)[1][:5] == ["Jumlah desa pangan aman", "27,00", "25,00", "92,59%", "Baik"]


def test_yearly_target_of_the_fortification_indicator(doc):
    items = indicator(doc, "Persentase sarana produksi pangan fortifikasi yang diperiksa dan ditindaklanjuti "
                           "sesuai ketentuan")
    yearly = [b for b in items if isinstance(b, Table)][1]
    assert cells(yearly) == [
        ["Indikator Kinerja", "Target Tahunan", "Realisasi Triwulan II", "Capaian Terhadap Target Tahunan"],
        ["Persentase sarana produksi pangan fortifikasi yang diperiksa dan ditindaklanjuti sesuai ketentuan",
         "60,00", "30,00", "50,00% Perlu Upaya Keras"]]
    texts = texts_of(items)
    assert "Apabila dibandingkan dengan target tahunan, maka capaian indikator sebagai berikut:" in texts
    assert ("Kategori capaian kinerja indikator berikut termasuk dalam “Perlu Upaya Keras” karena belum mencapai "
            "target tahunan 2025 Balai POM di Dumai.") in texts


def test_yearly_status_sentences(doc):
    tercapai = texts_of(indicator(doc, "Persentase sampel Sediaan Farmasi berisiko yang ditindaklanjuti sesuai "
                                       "ketentuan"))
    assert ("Kategori capaian kinerja indikator berikut termasuk dalam “Tercapai” karena telah mencapai target "
            "tahunan 2025 Balai POM di Dumai.") in tercapai
    akan = texts_of(indicator(doc, "Persentase keputusan/rekomendasi hasil Pengawasan Sediaan Farmasi dan Pangan "
                                   "Olahan yang ditindaklanjuti oleh stakeholder"))
    assert ("Kategori capaian kinerja indikator berikut termasuk dalam “Akan Tercapai” karena belum mencapai target "
            "tahunan 2025 Balai POM di Dumai.") in akan
    sekolah = texts_of(indicator(doc, "Jumlah sekolah yang melaksanakan pembudayaan keamanan pangan"))
    assert any("belum dapat dihitung perbandingan capaian kinerja Triwulan II dengan target kinerja tahun 2025" in t
               for t in sekolah)


def test_an_indicator_not_measured_says_why(doc):
    items = indicator(doc, "Persentase sampel KLB Keracunan Pangan yang diuji sesuai standar")
    assert ("Hingga triwulan II, indikator Persentase sampel KLB Keracunan Pangan yang diuji sesuai standar belum "
            "dapat diukur: tidak ada sampel KLB Keracunan Pangan hingga triwulan II, sehingga capaiannya tidak "
            "diperhitungkan dalam NKO Balai POM di Dumai.") in texts_of(items)
    table = next(b for b in items if isinstance(b, Table))
    assert cells(table)[1][1:5] == ["100,00", "-", "-", "-"]
    assert ("Capaian terhadap target tahunan belum dapat dihitung karena indikator ini belum diukur."
            in texts_of(items))


# ---------------------------------------------------------------------------------------------------- SIPT facts

def test_sipt_facts_beside_the_analysis(doc):
    pangan = texts_of(indicator(doc, "Persentase sampel Pangan Olahan berisiko yang ditindaklanjuti sesuai ketentuan"))
    assert any(t.startswith("– 19 sampel Pangan Olahan diuji lebih dari 15 hari kerja") for t in pangan), pangan
    assert any("telah diambil 45 sampel Pangan Olahan" in t for t in pangan)
    sediaan = texts_of(indicator(doc, "Persentase sampel Sediaan Farmasi berisiko yang ditindaklanjuti sesuai "
                                      "ketentuan"))
    assert any("telah diambil 136 sampel Obat, Obat Bahan Alam, Obat Kuasi, Suplemen Kesehatan dan Kosmetik" in t
               for t in sediaan)
    rekomendasi = texts_of(indicator(doc, "Persentase keputusan/rekomendasi hasil Pengawasan Sediaan Farmasi dan "
                                          "Pangan Olahan yang ditindaklanjuti oleh stakeholder"))
    letters = next(t for t in rekomendasi if "belum mendapatkan feedback" in t)
    assert re.search(r"\b5 surat rekomendasi kepada Pelaku Usaha\b", letters), letters
    assert re.search(r"\b2 surat rekomendasi kepada Lintas Sektor\b", letters), letters
    distribusi = texts_of(indicator(doc, "Persentase sarana distribusi Pangan Olahan yang diperiksa dan "
                                         "ditindaklanjuti sesuai ketentuan"))
    assert any("15 pemeriksaan sarana Distribusi PO pada 15 sarana" in t for t in distribusi)
    assert any("Pelaporan hasil pemeriksaan di SIPT: 2 dari 15 melewati batas waktu" in t for t in distribusi)
    # no SIPT source, no facts
    assert not any(p.startswith("Data SIPT") for p in texts_of(indicator(doc, "Nilai AKIP UPT BPOM")))

def test_letters_to_other_recipients_are_not_the_indicators(june, tmp_path):
    """The rekomendasi indicator counts the letters to Pelaku Usaha and Lintas Sektor (reference/iku_sipt.csv):
    when only another recipient has letters, they are not given as the indicator's."""
    letters = [{**june.rows("rekomendasi_ringkasan")[0], "jenis_penerima": "Masyarakat"}]
    report = dataclasses.replace(june, tables={**june.tables, "rekomendasi_ringkasan": letters})
    d = docx.Document(str(build_document(report, tmp_path / "surat.docx", "published.duckdb")))
    texts = texts_of(indicator(d, "Persentase keputusan/rekomendasi hasil Pengawasan Sediaan Farmasi dan Pangan "
                                  "Olahan yang ditindaklanjuti oleh stakeholder"))
    assert ("– Hingga 30 Juni 2025 belum ada surat rekomendasi kepada Pelaku Usaha dan Lintas Sektor di SIPT."
            in texts), texts
    assert not any("Masyarakat" in t for t in texts)



# ---------------------------------------------------------------------------------------------------- 3.3

def test_budget_sentences_and_totals(doc):
    texts = texts_of(section(doc, "3.3 REALISASI ANGGARAN"))
    assert any("memperoleh anggaran sesuai DIPA sebesar Rp15.768.463.000" in t and "Rp12.080.523.000" in t
               for t in texts)
    realisasi = next(t for t in texts if t.startswith("Realisasi anggaran Balai POM di Dumai sampai dengan 30 Juni"))
    for figure in ("Rp1.601.792.883", "10,16% dari pagu DIPA", "43,43%", "Rp3.882.835.000", "41,25%"):
        assert figure in realisasi
    table = table_with(doc, "No.", "Target Kinerja", "Rencana Pagu Anggaran", "Realisasi Anggaran",
                       "% Realisasi Anggaran")
    rows = cells(table)
    assert len(rows) == 1 + 21 + 1
    assert rows[-1] == ["JUMLAH", "JUMLAH", "3.882.835.000", "1.601.792.883", "41,25%"]
    assert rows[1][2:] == ["8.940.000", "8.434.815", "94,35%"]
    assert rows[7][2:] == ["-", "-", "-"]  # no pagu, as the report prints it


def test_performance_against_budget_on_a_landscape_page(doc):
    table = table_with(doc, "No", "Sasaran Strategis", "No", "Indikator", "Target Kinerja", "Realisasi Kinerja")
    rows = cells(table)
    assert len(rows) == 25
    assert rows[1][7:] == ["145.716.000", "41.570.390", "28,53"]
    assert rows[5][7:] == ["315.395.000", "76.242.920", "24,17"]
    assert rows[6][7:] == rows[5][7:]  # one budget group over its indicators (merged)
    assert any(s.page_width > s.page_height for s in doc.sections)
    assert doc.sections[-1].page_width < doc.sections[-1].page_height


def test_efficiency_table_as_the_project_reproduces_it(doc):
    table = table_with(doc, "No", "Program/Kegiatan", "IE", "TE", "Kategori")
    rows = cells(table)[1:]
    expected = [NOT_ASSESSABLE.get(i, row) for i, row in enumerate(SEED_EFISIENSI)]
    assert [tuple(r[2:5]) for r in rows] == expected
    texts = texts_of(section(doc, "3.3 REALISASI ANGGARAN"))
    explained = next(t for t in texts if t.startswith("Efisiensi suatu kegiatan ditentukan dengan membandingkan"))
    assert "SE yang digunakan adalah indeks efisiensi sesuai rencana capaian, yaitu 1." in explained


# ---------------------------------------------------------------------------------------------------- tables

def test_every_table_repeats_its_header_and_keeps_its_rows_whole(doc):
    assert len(doc.tables) > 50
    for table in doc.tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr is not None and rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)
        assert all(tr.trPr.find(qn("w:tblHeader")) is None for tr in rows[1:])
        assert table.style.name == "Tabel Laporan"


def test_numbers_are_right_aligned_by_their_style(doc):
    table = table_with(doc, "No", "Sasaran Strategis", "Indikator", "Bulan", "Target")
    row = table.rows[1].cells
    assert [c.paragraphs[0].style.name for c in row] == ["Tabel Angka", "Tabel Isi", "Tabel Isi", "Tabel Isi",
                                                         "Tabel Angka", "Tabel Angka", "Tabel Angka", "Tabel Isi",
                                                         "Tabel Angka"]
    assert {c.paragraphs[0].style.name for c in table.rows[0].cells} == {"Tabel Kepala"}
    assert doc.styles["Tabel Angka"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT


# ---------------------------------------------------------------------------------------------------- earlier quarters

def _march_export() -> dict[str, str]:
    """The demo's illustrative March realisasi (sakip/demo/inbox, B03), as the export writes them."""
    lines = (ROOT / "sakip" / "demo" / "inbox" / "Realisasi_Kinerja_672849_2025_B03.csv").read_text(
        encoding="utf-8-sig").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Tahun;"))
    return {r["Kode IKU"]: r["Realisasi"] for r in csv.DictReader(lines[header:], delimiter=";")}


def test_every_indicator_of_the_demo_is_compared_with_march(june, doc):
    """The demo publishes March, then June: each indicator's table has March's capaian beside June's, and a
    sentence says which way it went, with March's realisasi as its export gives it and June's capaian as the
    seed prints it."""
    march = _march_export()
    published = {r["kode_iku"]: r for r in june.rows("perbandingan_triwulan")}
    ways = {"naik": "naik menjadi", "turun": "turun menjadi", "tetap": "tetap sebesar"}
    seen = set()
    for r, seed in zip(june.rows("capaian_iku"), SEED_3_1, strict=True):
        items = indicator(doc, r["indikator"])
        table = cells(next(b for b in items if isinstance(b, Table)))
        assert table[0][5] == "Capaian Triwulan I", r["kode_iku"]
        if seed[4] in ("", "-"):  # not measured in June (nor in March)
            assert table[1][5] == "-"
            continue
        was = published[r["kode_iku"]]
        before = f"{was['capaian_triwulan_lalu']:.2f}".replace(".", ",") + "%"
        assert table[1][5] == before, r["kode_iku"]
        arah = was["arah_triwulan_lalu"]
        now, then = (float(text.rstrip("%").replace(",", ".")) for text in (seed[2], before))
        assert arah == ("naik" if now > then else "turun" if now < then else "tetap"), r["kode_iku"]
        sentence = (f"Dibandingkan dengan Triwulan I tahun 2025 (realisasi {march[r['kode_iku']]}; capaian {before}), "
                    f"capaian indikator ini {ways[arah]} {seed[2]}%.")
        assert sentence in texts_of(items), (r["kode_iku"], texts_of(items))
        seen.add(arah)
    assert seen == {"naik", "turun", "tetap"}


def test_quarter_comparison_from_a_hand_built_report(june, tmp_path):
    rows = [banding("IKU1.1", realisasi_triwulan_lalu=97.5, capaian_triwulan_lalu=120.0, arah_triwulan_lalu="turun"),
            banding("IKU2.1", realisasi_triwulan_lalu=30.0, capaian_triwulan_lalu=100.0, arah_triwulan_lalu="tetap"),
            banding("IKU4.3", realisasi_triwulan_lalu=20.0, capaian_triwulan_lalu=80.0, arah_triwulan_lalu="naik",
                    realisasi_tahun_lalu=10.0, capaian_tahun_lalu=50.0, arah_tahun_lalu="naik")]
    report = dataclasses.replace(june, tables={**june.tables, "perbandingan_triwulan": rows})
    d = docx.Document(str(build_document(report, tmp_path / "banding.docx", "published.duckdb")))
    desa = indicator(d, "Jumlah desa pangan aman")
    assert cells(next(b for b in desa if isinstance(b, Table))) == [
        ["Indikator Kinerja", "Target Triwulan II", "Realisasi Triwulan II", "Capaian", "Kriteria",
         "Capaian Triwulan I", "Capaian Triwulan II 2024"],
        ["Jumlah desa pangan aman", "27,00", "25,00", "92,59%", "Baik", "80,00%", "50,00%"]]
    assert ("Dibandingkan dengan Triwulan I tahun 2025 (realisasi 20,00; capaian 80,00%), capaian indikator ini naik "
            "menjadi 92,59%.") in texts_of(desa)
    assert ("Dibandingkan dengan Triwulan II tahun 2024 (realisasi 10,00; capaian 50,00%), capaian indikator ini "
            "naik menjadi 92,59%.") in texts_of(desa)
    farmasi = texts_of(indicator(d, "Persentase sampel Sediaan Farmasi berisiko yang ditindaklanjuti sesuai "
                                    "ketentuan"))
    assert ("Dibandingkan dengan Triwulan I tahun 2025 (realisasi 97,50; capaian 120,00%), capaian indikator ini "
            "turun menjadi 115,64%.") in farmasi
    fortifikasi = texts_of(indicator(d, "Persentase sarana produksi pangan fortifikasi yang diperiksa dan "
                                        "ditindaklanjuti sesuai ketentuan"))
    assert ("Dibandingkan dengan Triwulan I tahun 2025 (realisasi 30,00; capaian 100,00%), capaian indikator ini "
            "tetap sebesar 100,00%.") in fortifikasi
    pangan = indicator(d, "Persentase sampel Pangan Olahan berisiko yang ditindaklanjuti sesuai ketentuan")
    assert "Capaian Triwulan I tahun 2025 belum diterbitkan, sehingga belum dapat dibandingkan." in texts_of(pangan)
    assert not any("tahun 2024" in t for t in texts_of(pangan))  # the year before: only where published
    assert cells(next(b for b in pangan if isinstance(b, Table)))[1][5:] == ["-", "-"]


def test_nothing_published_to_compare_with(june, tmp_path):
    report = dataclasses.replace(june, tables={**june.tables, "perbandingan_triwulan": []})
    d = docx.Document(str(build_document(report, tmp_path / "tanpa.docx", "published.duckdb")))
    desa = indicator(d, "Jumlah desa pangan aman")
    assert "Capaian Triwulan I tahun 2025 belum diterbitkan, sehingga belum dapat dibandingkan." in texts_of(desa)
    assert len(cells(next(b for b in desa if isinstance(b, Table)))[0]) == 5  # no comparison column


def test_first_quarter_compares_with_the_year_before_only(june, tmp_path):
    march = dataclasses.replace(june, bulan=3, tables={**june.tables, "perbandingan_triwulan": [
        banding("IKU4.3", bulan=3, triwulan=1, realisasi_tahun_lalu=10.0, capaian_tahun_lalu=95.0,
                arah_tahun_lalu="turun")]})
    d = docx.Document(str(build_document(march, tmp_path / "b03.docx", "published.duckdb")))
    assert paragraphs(d)[0] == "LAPORAN KINERJA TRIWULAN I TAHUN 2025"
    desa = indicator(d, "Jumlah desa pangan aman")
    assert cells(next(b for b in desa if isinstance(b, Table)))[0][5:] == ["Capaian Triwulan I 2024"]
    assert ("Dibandingkan dengan Triwulan I tahun 2024 (realisasi 10,00; capaian 95,00%), capaian indikator ini "
            "turun menjadi 92,59%.") in texts_of(desa)
    assert not any("Triwulan I tahun 2025" in t for t in texts_of(desa))
    pangan = texts_of(indicator(d, "Persentase sampel Pangan Olahan berisiko yang ditindaklanjuti sesuai ketentuan"))
    assert "Capaian Triwulan I tahun 2024 belum diterbitkan, sehingga belum dapat dibandingkan." in pangan

FARMASI = "Persentase sampel Sediaan Farmasi berisiko yang ditindaklanjuti sesuai ketentuan"
PANGAN = "Persentase sampel Pangan Olahan berisiko yang ditindaklanjuti sesuai ketentuan"


def test_an_earlier_quarter_published_without_the_indicator(june, tmp_path):
    """March and June 2024 are published, but the indicator had no capaian then (IKU1.1) or no row at all
    (IKU1.2): it was not measured, not 'not published'."""
    published = {"triwulan_lalu_terbit": True, "tahun_lalu_terbit": True}
    rows = [banding("IKU4.3", realisasi_triwulan_lalu=20.0, capaian_triwulan_lalu=80.0, arah_triwulan_lalu="naik",
                    **published),
            banding("IKU1.1", **published)]
    report = dataclasses.replace(june, tables={**june.tables, "perbandingan_triwulan": rows})
    d = docx.Document(str(build_document(report, tmp_path / "diukur.docx", "published.duckdb")))
    for name in (FARMASI, PANGAN):
        items = indicator(d, name)
        assert "Pada Triwulan I tahun 2025 indikator ini belum diukur, sehingga capaiannya belum dapat " \
               "dibandingkan." in texts_of(items), name
        assert "Pada Triwulan II tahun 2024 indikator ini belum diukur, sehingga capaiannya belum dapat " \
               "dibandingkan." in texts_of(items), name
        assert cells(next(b for b in items if isinstance(b, Table)))[0][5:] == [
            "Capaian Triwulan I", "Capaian Triwulan II 2024"]
    assert not any("belum diterbitkan" in t for t in paragraphs(d))


def test_an_earlier_quarter_not_published(june, tmp_path):
    rows = [banding("IKU4.3", realisasi_tahun_lalu=10.0, capaian_tahun_lalu=50.0, arah_tahun_lalu="naik",
                    triwulan_lalu_terbit=False, tahun_lalu_terbit=True)]
    report = dataclasses.replace(june, tables={**june.tables, "perbandingan_triwulan": rows})
    d = docx.Document(str(build_document(report, tmp_path / "terbit.docx", "published.duckdb")))
    pangan = texts_of(indicator(d, PANGAN))
    assert "Capaian Triwulan I tahun 2025 belum diterbitkan, sehingga belum dapat dibandingkan." in pangan
    assert ("Pada Triwulan II tahun 2024 indikator ini belum diukur, sehingga capaiannya belum dapat "
            "dibandingkan.") in pangan


def test_the_comparison_agrees_with_the_printed_figures(june, tmp_path):
    """50,01 / 40 × 100 is 125.02499999999999 in binary and 125,03 on paper; the mart's arah compares the
    figures as printed (sakip.report.format.rounded), so 'tetap' against 125,03 is what the page shows."""
    iku = [{**r, "capaian": 50.01 / 40 * 100} if r["kode_iku"] == "IKU4.3" else r for r in june.rows("capaian_iku")]
    rows = [banding("IKU4.3", realisasi_triwulan_lalu=50.0, capaian_triwulan_lalu=125.03, arah_triwulan_lalu="tetap")]
    report = dataclasses.replace(june, tables={**june.tables, "capaian_iku": iku, "perbandingan_triwulan": rows})
    d = docx.Document(str(build_document(report, tmp_path / "bulat.docx", "published.duckdb")))
    desa = indicator(d, "Jumlah desa pangan aman")
    row = cells(next(b for b in desa if isinstance(b, Table)))[1]
    assert (row[3], row[5]) == ("125,03%", "125,03%")
    assert ("Dibandingkan dengan Triwulan I tahun 2025 (realisasi 50,00; capaian 125,03%), capaian indikator ini "
            "tetap sebesar 125,03%.") in texts_of(desa)
    assert any("Capaian indikator berikut sebesar 125,03%" in t for t in texts_of(desa))



# ---------------------------------------------------------------------------------------------------- variants

def test_the_years_report(june, tmp_path):
    december = dataclasses.replace(june, bulan=12, tables={**june.tables, "perbandingan_triwulan": []})
    d = docx.Document(str(build_document(december, tmp_path / "tahunan.docx", "published.duckdb", tahunan=True)))
    texts = paragraphs(d)
    assert texts[0] == "LAPORAN KINERJA TAHUN 2025"
    assert "a. Perbandingan Antara Target dengan Realisasi Kinerja Tahun 2025" in texts
    assert any(t.startswith("Hingga akhir tahun 2025, indikator") for t in texts)
    assert "Capaian Triwulan III tahun 2025 belum diterbitkan, sehingga belum dapat dibandingkan." in texts
    assert table_with(d, "No", "Sasaran Strategis", "No", "Indikator Kinerja", "Target Tahun 2025")


def test_indonesian_whatever_the_language_of_the_run(june, doc, tmp_path, monkeypatch):
    monkeypatch.setenv("SAKIP_LANG", "id")  # restored after the test
    settings.use(lang="en")
    d = docx.Document(str(build_document(june, tmp_path / "en.docx", "published.duckdb")))
    assert paragraphs(d) == paragraphs(doc)
    assert [cells(t) for t in d.tables] == [cells(t) for t in doc.tables]
    assert "105,73%" in " ".join(paragraphs(d)) and "105.73%" not in " ".join(paragraphs(d))


def test_no_nko_says_it_cannot_be_computed_yet(june, tmp_path):
    nko = {**june.first("nko"), "nko": None, "predikat": None, "jumlah_diukur": 0, "total_nilai_akhir": None}
    report = dataclasses.replace(june, tables={**june.tables, "nko": [nko]})
    d = docx.Document(str(build_document(report, tmp_path / "kosong.docx", "published.duckdb")))
    assert any(t.endswith("nilai NKO Total belum dapat dihitung: belum ada indikator yang diukur (0 dari 24 "
                          "indikator memiliki target dan realisasi bulan Juni).") for t in paragraphs(d))


def test_a_quarter_without_budget_figures_says_so(june, tmp_path):
    empty = dict.fromkeys(("realisasi_anggaran", "anggaran_satker", "kinerja_anggaran", "efisiensi"), [])
    report = dataclasses.replace(june, tables={**june.tables, **empty})
    d = docx.Document(str(build_document(report, tmp_path / "b03.docx", "published.duckdb")))
    texts = texts_of(section(d, "3.3 REALISASI ANGGARAN"))
    assert "Realisasi anggaran Balai POM di Dumai s.d. 30 Juni 2025 belum diterbitkan (ekspor Realisasi Anggaran " \
           "SAKTI belum diterima)." in texts
    assert "Realisasi anggaran per kegiatan s.d. 30 Juni 2025 belum diterbitkan." in texts
    assert any(t.startswith("Efisiensi kegiatan s.d. 30 Juni 2025 belum dapat dihitung") for t in texts)
    assert not any(isinstance(b, Table) for b in section(d, "3.3 REALISASI ANGGARAN"))
    assert all(s.page_width < s.page_height for s in d.sections)


def test_a_satker_month_without_figures_is_refused(june, tmp_path):
    with pytest.raises(LookupError, match="672849"):
        build_document(data.ReportData(SATKER, 2025, 9), tmp_path / "x.docx", "published.duckdb")
    assert not (tmp_path / "x.docx").exists()


def test_a_refused_source_opens_bab_3_and_marks_its_figures(june, tmp_path):
    started = dt.datetime(2025, 7, 1, 8, 0)
    freshness = {"capaian_iku": {"kode_satker": SATKER, "tabel": "capaian_iku", "status": "stale",
                                 "data_dari_run": "run-lama", "diperiksa_run": "run-baru", "data_started": started,
                                 "alasan": "Realisasi_Kinerja_672849_2025_B06.csv ditolak",
                                 "files": ["Realisasi_Kinerja_672849_2025_B06.csv"]}}
    held = [{"sha256": "abc", "nama_file": "Realisasi_Kinerja_672849_2025_B06.csv", "jenis": "simetris_realisasi",
             "tanggal_ekspor": dt.date(2025, 7, 2), "pesan": None, "run_id": "run-baru", "run_started": started,
             "finding": {"baris": 7, "pesan": "realisasi bukan angka"}, "findings": 2, "tables": ["capaian_iku"]}]
    report = dataclasses.replace(june, freshness=freshness, held=held)
    d = docx.Document(str(build_document(report, tmp_path / "ditolak.docx", "published.duckdb")))
    items = section(d, "BAB III")
    assert items[1].style.name == "Perhatian" and items[1].text == "Perhatian: 1 sumber data periode ini ditolak"
    assert items[2].text == (
        "Ekspor SIMETRIS Realisasi IKU Realisasi_Kinerja_672849_2025_B06.csv (tanggal ekspor 2 Juli 2025) ditolak "
        "oleh run run-baru tanggal 1 Juli 2025: baris 7: realisasi bukan angka (+1 temuan lain). Angka yang "
        "bergantung padanya (capaian IKU) tetap pada versi terakhir yang baik, dari run run-lama tanggal 1 Juli "
        "2025, dan ditandai berlatar kuning. Kirim ekspor yang sudah diperbaiki; run berikutnya akan memakainya.")
    table = table_with(d, "No", "Sasaran Strategis", "Indikator", "Bulan", "Target")
    marked = [c.paragraphs[0].runs[0].style.name for c in table.rows[1].cells[4:7]]
    assert marked == ["Angka Versi Lama"] * 3
    assert table.rows[1].cells[1].paragraphs[0].runs[0].style.name != "Angka Versi Lama"  # text is not a figure
    items = blocks(d)
    after = items[next(i for i, b in enumerate(items) if isinstance(b, Table) and b._tbl is table._tbl) + 1]
    assert after.style.name == "Catatan Tabel"
    assert after.text == ("Angka berlatar kuning: versi terakhir yang baik, dari run run-lama tanggal 1 Juli 2025: "
                          "Realisasi_Kinerja_672849_2025_B06.csv ditolak.")


# ---------------------------------------------------------------------------------------------------- the template

def restyled(tmp_path: Path, drop: str | None = None) -> Path:
    """A copy of the bundled template a unit restyled: Normal in Times New Roman, its own letterhead."""
    d = docx.Document(str(BUNDLED_REFERENCE / TEMPLATE))
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(12)
    d.sections[0].header.paragraphs[0].text = "KEMENTERIAN UJI COBA"
    if drop:
        element = d.styles[drop].element
        element.getparent().remove(element)
    path = tmp_path / "templat.docx"
    d.save(str(path))
    return path


def test_a_restyled_template_is_used(june, tmp_path):
    d = docx.Document(str(build_document(june, tmp_path / "r.docx", "published.duckdb",
                                         template=restyled(tmp_path))))
    assert d.styles["Normal"].font.name == "Times New Roman" and d.styles["Normal"].font.size == Pt(12)
    assert [p.text for p in d.sections[0].header.paragraphs] == ["KEMENTERIAN UJI COBA", NAMA]
    assert paragraphs(d)[0] == "LAPORAN KINERJA TRIWULAN II TAHUN 2025"


def test_a_template_restyled_between_two_drafts_is_read_again(june, tmp_path):
    """The template is made ready once per process (sakip.report.document._template): a unit that restyles it
    in place between two drafts gets the new one in the second."""
    template = tmp_path / "templat.docx"
    shutil.copy(BUNDLED_REFERENCE / TEMPLATE, template)
    before = docx.Document(str(build_document(june, tmp_path / "a.docx", "published.duckdb", template=template)))
    (tmp_path / "lain").mkdir()
    shutil.copy(restyled(tmp_path / "lain"), template)
    after = docx.Document(str(build_document(june, tmp_path / "b.docx", "published.duckdb", template=template)))
    assert before.sections[0].header.paragraphs[0].text != "KEMENTERIAN UJI COBA"
    assert before.styles["Normal"].font.name != "Times New Roman"
    assert [p.text for p in after.sections[0].header.paragraphs] == ["KEMENTERIAN UJI COBA", NAMA]
    assert after.styles["Normal"].font.name == "Times New Roman"
    assert paragraphs(after) == paragraphs(before)


def test_a_template_binding_wordprocessingml_to_another_prefix(june, tmp_path):
    """A template whose body writes WordprocessingML as x: (any prefix is XML's right) still gives a draft: the
    body sakip writes as w: is bound."""
    xml = bundled_part("word/document.xml").decode()
    for old, new in (('xmlns:w="', 'xmlns:x="'), ("<w:", "<x:"), ("</w:", "</x:"), (" w:", " x:")):
        xml = xml.replace(old, new)
    assert "<w:" not in xml
    template = repacked(tmp_path, {"word/document.xml": xml.encode()})
    d = docx.Document(str(build_document(june, tmp_path / "r.docx", "published.duckdb", template=template)))
    assert paragraphs(d)[0] == "LAPORAN KINERJA TRIWULAN II TAHUN 2025"
    assert [p.text for p in d.sections[0].header.paragraphs][-1] == NAMA
    assert len(d.sections) == 3 and d.sections[1].orientation == WD_ORIENT.LANDSCAPE
    assert SEED_TOTALS[1] in "\n".join(paragraphs(d) + [c.text for t in d.tables for r in t.rows for c in r.cells])


def test_the_installations_own_template_comes_first(june, tmp_path, monkeypatch):
    folder = tmp_path / "referensi"
    folder.mkdir()
    shutil.copy(restyled(tmp_path), folder / TEMPLATE)
    monkeypatch.setenv("SAKIP_REFERENCE_DIR", str(folder))
    d = docx.Document(str(build_document(june, tmp_path / "r.docx", "published.duckdb")))
    assert d.sections[0].header.paragraphs[0].text == "KEMENTERIAN UJI COBA"
    # the other reference files come from the bundled folder: the SIPT facts are there
    assert any("19 sampel Pangan Olahan" in t for t in paragraphs(d))


def test_a_template_without_a_style_falls_back_and_says_so(june, tmp_path, caplog):
    template = restyled(tmp_path, drop="Placeholder")
    assert missing_styles(template) == ["Placeholder"]
    with caplog.at_level(logging.WARNING, logger="sakip.report.document"):
        d = docx.Document(str(build_document(june, tmp_path / "r.docx", "published.duckdb", template=template)))
    assert any(str(template) in r.getMessage() and "'Placeholder'" in r.getMessage() for r in caplog.records)
    marked = [p for p in d.paragraphs if p.text.startswith("[Diisi oleh penyusun:")]
    assert marked and {p.style.name for p in marked} == {"Normal"}
    assert missing_styles() == []
    assert {name for name, _ in STYLES.values()} <= {s.name for s in docx.Document(str(BUNDLED_REFERENCE /
                                                                                       TEMPLATE)).styles}


def test_a_template_that_is_not_a_word_document(june, tmp_path):
    bad = tmp_path / "templat.docx"
    bad.write_text("bukan dokumen Word")
    with pytest.raises(TemplateError, match="templat.docx"):
        build_document(june, tmp_path / "r.docx", "published.duckdb", template=bad)
    assert not (tmp_path / "r.docx").exists()

def repacked(tmp_path: Path, parts: dict[str, bytes | None], name: str = "templat.docx") -> Path:
    """The bundled template with parts replaced or added (None: left out)."""
    path = tmp_path / name
    with zipfile.ZipFile(BUNDLED_REFERENCE / TEMPLATE) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            if item.filename not in parts:
                z.writestr(item, src.read(item))
        for part, blob in parts.items():
            if blob is not None:
                z.writestr(part, blob)
    return path


def bundled_part(name: str) -> bytes:
    with zipfile.ZipFile(BUNDLED_REFERENCE / TEMPLATE) as z:
        return z.read(name)


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LOGO = ('<w:drawing xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><wp:inline><wp:extent cx="540000" '
        'cy="540000"/><wp:docPr id="90" name="Logo"/><a:graphic><a:graphicData '
        'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"/></a:graphic></wp:inline></w:drawing>')
PAGE_FIELD = ['<w:fldChar w:fldCharType="begin"/>', '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
              '<w:fldChar w:fldCharType="separate"/>', "<w:t>1</w:t>", '<w:fldChar w:fldCharType="end"/>']


def runs_of(p, *contents: str) -> None:
    """The paragraph's runs replaced by one run per content (its XML inside w:r)."""
    for child in [c for c in p if c.tag != qn("w:pPr")]:
        p.remove(child)
    for content in contents:
        p.append(parse_xml(f'<w:r xmlns:w="{W_NS}">{content}</w:r>'))


def test_the_letterhead_keeps_its_logo_fields_and_tabs(june, tmp_path):
    """A letterhead as a unit edits it in Word: a logo and a tab before its {nama_satker}, which Word split over
    two runs; a footer 'Halaman <PAGE> | {nama_satker}'. Only the field's text changes."""
    d = docx.Document(str(BUNDLED_REFERENCE / TEMPLATE))
    runs_of(d.sections[0].header.paragraphs[1]._p, LOGO, "<w:tab/>", "<w:t>{nama_</w:t>", "<w:t>satker}</w:t>")
    runs_of(d.sections[0].footer.paragraphs[0]._p, '<w:t xml:space="preserve">Halaman </w:t>', *PAGE_FIELD,
            '<w:t xml:space="preserve"> | {nama_</w:t>', "<w:t>satker}</w:t>")
    template = tmp_path / "templat.docx"
    d.save(str(template))
    out = docx.Document(str(build_document(june, tmp_path / "r.docx", "published.duckdb", template=template)))
    header = out.sections[0].header.paragraphs[1]
    assert header.text == "\t" + NAMA
    assert [len(header._p.xpath(f".//w:{tag}")) for tag in ("drawing", "tab", "r")] == [1, 1, 4]
    footer = out.sections[0].footer.paragraphs[0]
    assert footer.text == f"Halaman 1 | {NAMA}"
    assert [f.get(qn("w:fldCharType")) for f in footer._p.xpath(".//w:fldChar")] == ["begin", "separate", "end"]
    assert footer._p.xpath("string(.//w:instrText)") == " PAGE "


def test_a_letterhead_without_the_units_field_says_so(june, tmp_path, caplog):
    d = docx.Document(str(BUNDLED_REFERENCE / TEMPLATE))
    d.sections[0].header.paragraphs[1].text = "Balai Contoh"
    template = tmp_path / "templat.docx"
    d.save(str(template))
    with caplog.at_level(logging.WARNING, logger="sakip.report.document"):
        build_document(june, tmp_path / "r.docx", "published.duckdb", template=template)
        said = [r.getMessage() for r in caplog.records]
        caplog.clear()
        build_document(june, tmp_path / "b.docx", "published.duckdb")
    assert any(str(template) in m and "{nama_satker}" in m for m in said), said
    assert not any("{nama_satker}" in r.getMessage() for r in caplog.records)  # the bundled template has it


def test_a_template_too_large_once_unpacked_is_refused_before_it_is_opened(june, tmp_path):
    path = tmp_path / "templat.docx"
    shutil.copy(BUNDLED_REFERENCE / TEMPLATE, path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z, z.open("word/media/kosong.bin", "w") as f:
        for _ in range(60):
            f.write(bytes(2**20))
    assert path.stat().st_size < 2**20  # 60 MiB of zeros compress to little
    with pytest.raises(TemplateError, match=r"templat\.docx .*61 MiB.*50 MiB"):
        build_document(june, tmp_path / "r.docx", "published.duckdb", template=path)
    with pytest.raises(TemplateError, match="templat.docx"):
        missing_styles(path)
    assert not (tmp_path / "r.docx").exists()


def test_a_template_of_too_many_parts_is_refused(june, tmp_path):
    template = repacked(tmp_path, {f"customXml/item{n}.xml": b"<x/>" for n in range(2, 1002)})
    with pytest.raises(TemplateError, match=r"templat\.docx berisi 1018 bagian, lebih dari batas 1000"):
        build_document(june, tmp_path / "r.docx", "published.duckdb", template=template)


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "word/header1.xml", "[Content_Types].xml"])
def test_a_template_with_a_broken_part(june, tmp_path, part):
    blob = bundled_part(part)
    template = repacked(tmp_path, {part: blob[:len(blob) // 2]})
    with pytest.raises(TemplateError, match=rf"templat\.docx .*{re.escape(part)}: "):
        build_document(june, tmp_path / "r.docx", "published.duckdb", template=template)
    assert not (tmp_path / "r.docx").exists()


def test_a_template_whose_document_is_not_a_word_body(june, tmp_path):
    template = repacked(tmp_path, {"word/document.xml": f'<w:hdr xmlns:w="{W_NS}"/>'.encode()})
    with pytest.raises(TemplateError, match=r"templat\.docx .*word/document\.xml"):
        build_document(june, tmp_path / "r.docx", "published.duckdb", template=template)


def test_a_template_without_a_page_setup_gets_an_a4_page(june, tmp_path):
    body = re.sub(rb"<w:sectPr\b.*?</w:sectPr>", b"", bundled_part("word/document.xml"), flags=re.S)
    assert b"sectPr" not in body
    template = repacked(tmp_path, {"word/document.xml": body})
    d = docx.Document(str(build_document(june, tmp_path / "r.docx", "published.duckdb", template=template)))
    assert (round(d.sections[0].page_width.cm, 1), round(d.sections[0].page_height.cm, 1)) == (21.0, 29.7)
    assert any(s.page_width > s.page_height for s in d.sections)  # the landscape pages of 3.3 still
    assert paragraphs(d)[0] == "LAPORAN KINERJA TRIWULAN II TAHUN 2025"


def test_the_bundled_template_is_what_its_builder_makes_byte_for_byte():
    first, second = build_template.build(), build_template.build()
    assert first == second
    assert (BUNDLED_REFERENCE / TEMPLATE).read_bytes() == first
    with zipfile.ZipFile(BUNDLED_REFERENCE / TEMPLATE) as z:
        assert {info.date_time for info in z.infolist()} == {build_template.ZIP_DATE}
        assert "docProps/thumbnail.jpeg" not in z.namelist()
        header = z.read("word/header1.xml").decode()
    assert "BADAN PENGAWAS OBAT DAN MAKANAN" in header and "{nama_satker}" in header
    template = docx.Document(str(BUNDLED_REFERENCE / TEMPLATE))
    assert template.styles["Normal"].font.name == "Arial" and template.styles["Normal"].font.size == Pt(11)
    assert template.core_properties.created == build_template.FIXED_DATE


# ---------------------------------------------------------------------------------------------------- LibreOffice

@pytest.fixture(scope="module")
def printed(june_path, tmp_path_factory):
    return convert(june_path, tmp_path_factory.mktemp("pdf"))


def test_libreoffice_prints_it_without_complaint(printed):
    said = (printed.stdout + printed.stderr).lower()
    for word in ("repair", "corrupt", "error", "failed to load", "general input/output"):
        assert word not in said, printed.stderr
    pages = text_lines(printed.pdf)
    assert len(pages) > 20
    words = " ".join(line.text for page in pages for line in page)
    assert "LAPORAN KINERJA TRIWULAN II TAHUN 2025" in words and "105,73%" in words


def test_libreoffice_draws_table_3_1_with_its_borders(printed, tmp_path):
    pages = text_lines(printed.pdf)
    number = next(i for i, page in enumerate(pages, start=1) if any(line.text == "Justifikasi" for line in page))
    anchor = next(line for line in pages[number - 1] if line.text == "Justifikasi")
    header = [line for line in pages[number - 1] if abs(line.y0 - anchor.y0) < 2]
    assert {"No", "Sasaran", "Indikator", "Target", "Realisasi"} <= {line.text for line in header}
    image = read_png(render_page(printed.pdf, number, tmp_path, dpi=60))
    px = 60 / 72  # pixels per point
    x0, x1 = min(line.x0 for line in header) * px, max(line.x1 for line in header) * px
    top = min(line.y0 for line in header) * px
    lines = [y for y in image.dark_rows(int(x0), int(x1)) if y > top - 20]
    assert len(lines) >= 3, lines  # the table's top, the header's bottom, and more below
    assert any(top - 20 < y < top for y in lines)  # the top border just above the header words
    assert 0.01 < image.ink() < 0.5  # a page of text and lines, not blank


def test_the_drafts_numbers_are_babels_indonesian_numbers():
    """The draft formats its numbers without Babel (a draft has ~700): the same text as format.angka in
    Indonesian, rounding as the models do."""
    from sakip.i18n import speaking
    from sakip.report import document
    from sakip.report.format import angka, persen

    values = [0, 0.005, -0.27, 9.225, 92.585, 105.7252, 125.02499999999999, 1601792883, 3882835000.0, -1234.5,
              1e-9, 12345678.9051]
    with speaking("id"):
        assert [document._angka(v) for v in values] == [angka(v) for v in values]
        assert [document._angka(v, 0) for v in values] == [angka(v, 0) for v in values]
        assert [document._persen(v) for v in values] == [persen(v) for v in values]
    assert document._angka(None) == document._persen(None) == "-"
