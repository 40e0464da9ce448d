"""The HTML report (issue 6) rendered in headless Chromium: the demo inbox published for January–June 2025
without Prefect, the page of Balai POM di Dumai for June written, loaded, screenshotted and read back.

Chromium is Debian's package, installed by `chromium.chromium_path()` when the machine has none."""
from __future__ import annotations

import re
import shutil
import struct
from pathlib import Path

import openpyxl
import pytest

from builders import published, run, write_table
from chromium import chromium_path, render, visible_text
from conftest import DEMO_INBOX, ROOT
from sakip.report.html import write_html

SATKER = "672849"
XSS_NAME = '<script>console.error("x")</script>'
XSS_FILE = "Realisasi_<img src=x onerror=console.error(1)>.csv"
XSS_VALUE = "<img src=x onerror=console.error(2)>"


@pytest.fixture(scope="module")
def browser() -> Path:
    return chromium_path()


@pytest.fixture(scope="module")
def demo(demo_half_year) -> Path:
    return demo_half_year


@pytest.fixture(scope="module")
def page(demo, browser, tmp_path_factory) -> dict:
    path = write_html(demo / "published.duckdb", SATKER, 2025, 6,
                      demo / "reports" / SATKER / "2025-06" / "laporan.html")
    png = tmp_path_factory.mktemp("html-shot") / "laporan.png"
    dom, errors = render(path, png, width=1280, height=5600)
    return {"path": path, "html": path.read_text(encoding="utf-8"), "dom": dom, "text": visible_text(dom),
            "errors": errors, "png": png}


def test_console_errors_are_captured(browser, tmp_path):
    """The capture itself works: a page that logs an error and throws is reported."""
    boom = tmp_path / "boom.html"
    boom.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><title>boom</title></head><body><p>boom</p>'
                    '<script>console.error("boom")</script><script>tidakAda()</script></body></html>',
                    encoding="utf-8")
    dom, errors = render(boom, tmp_path / "boom.png", width=400, height=300)
    assert "<p>boom</p>" in dom
    assert any('"boom"' in e for e in errors), errors
    assert any("Uncaught" in e and "tidakAda" in e for e in errors), errors


def test_report_has_no_console_errors(page):
    assert page["errors"] == []


def test_nko_and_predikat_visible(page):
    text = page["text"]
    assert "Balai POM di Dumai" in text
    assert "Laporan Kinerja — Juni 2025" in text
    assert "105,73%" in text
    assert "Istimewa" in text
    assert "18 dari 24 indikator diukur" in text
    assert '<html lang="id">' in page["html"]
    # nothing was refused: no notice at the top, no figure marked
    assert 'id="perhatian"' not in page["html"] and 'class="held' not in page["html"]


def test_every_indicator_has_a_row(page, demo):
    codes = [r[0] for r in published(demo, "select kode_iku from mart.capaian_iku where kode_satker = ? and "
                                           "tahun = 2025 and bulan = 6 order by urutan", [SATKER])]
    assert len(codes) == 24
    rows = re.findall(r'<tr [^>]*data-iku="([^"]+)"', page["dom"])
    assert rows == codes  # one row each, in the report's order
    for code in codes:
        assert re.search(rf"(?<![\w.]){re.escape(code)}(?![\w.])", page["text"]), code
    # a measured one and a not measured one, as a reader sees them
    assert "115,64%" in page["text"] and "Tidak Dapat Disimpulkan" in page["text"]
    iku13 = re.search(r'<tr [^>]*data-iku="IKU1.3".*?</tr>', page["dom"], re.S).group(0)
    assert ">-</span>" in iku13 and "Tidak ada sampel KLB" in iku13


def test_trend_covers_every_published_month(page):
    """Each indicator's sparkline spans the months the file has (January–June), gaps where not measured."""
    sparks = re.findall(r'<svg class="spark".*?<title>(.*?)</title>', page["dom"], re.S)
    assert len(sparks) == 24
    assert sparks[0] == "Jan -; Feb -; Mar 108,80%; Apr -; Mei -; Jun 115,64%"  # March: the demo's B03 export


def test_charts_are_inline_svg(page):
    dom = page["dom"]
    assert dom.count('<svg class="bar"') == 24
    assert dom.count('<svg class="spark"') == 24
    assert dom.count('<svg class="chart"') == 5  # budget, efficiency, three SLA histograms
    assert dom.count("<svg") == 53
    text = page["text"]
    for expected in ("Penyerapan Anggaran", "41,25%", "10,16%", "43,43%", "Rp 1.601.792.883",
                     "Efisiensi Anggaran per RO", "IE = 1", "Waktu Pengujian Sampel", "batas 15 HK",
                     "Sediaan Farmasi", "Pangan Olahan", "PIRT", "Tidak ada sumber yang ditolak"):
        assert expected in text, expected


def test_page_is_self_contained(page):
    source = page["html"]
    assert '<meta charset="utf-8">' in source
    assert re.search(r"<title>[^<]*Balai POM di Dumai[^<]*Juni 2025</title>", source)
    assert not re.search(r"https?://", source, re.I)
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", source, re.I)
    assert not re.search(r"\b(src|href)\s*=", source, re.I)
    assert "url(" not in source and "@import" not in source
    assert len(source.encode("utf-8")) < 400_000


def test_screenshot(page):
    png = page["png"]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 5600)
    assert len(data) > 50_000


def test_text_from_sources_is_escaped(browser, tmp_path):
    """An indicator name and a refused file (its name and a cell) that carry markup are shown as text."""
    inbox = tmp_path / "inbox"
    shutil.copytree(DEMO_INBOX, inbox)
    rapk = inbox / "RAPK_672849_2025.xlsx"
    wb = openpyxl.load_workbook(rapk)
    ws = wb.active
    header_row = next(r for r in ws.iter_rows(min_row=1, max_row=30) if any(c.value == "Kode IKU" for c in r))
    col = {c.value: c.column for c in header_row}
    changed = 0
    for row in ws.iter_rows(min_row=header_row[0].row + 1):
        if row[col["Kode IKU"] - 1].value == "IKU2.1":
            row[col["Indikator Kinerja"] - 1].value = XSS_NAME
            changed += 1
    assert changed
    wb.save(rapk)
    write_table(inbox / XSS_FILE, ["Tahun", "Kode Satker", "Kode IKU", "Bulan", "Realisasi", "Keterangan"],
                [[2025, "999999", "IKU1.1", "B06", XSS_VALUE, ""]], ["REALISASI KINERJA TAHUN 2025"])
    warehouse = tmp_path / "warehouse"
    result = run(inbox, warehouse, 2025, 6, run_id="html-escape")
    assert [f.status for f in result.files if f.path.name == XSS_FILE] == ["refused"]

    path = write_html(warehouse / "published.duckdb", SATKER, 2025, 6, tmp_path / "laporan.html")
    source = path.read_text(encoding="utf-8")
    assert "<script" not in source and "<img" not in source
    dom, errors = render(path, tmp_path / "laporan.png", height=1200)
    assert errors == []
    text = visible_text(dom)
    assert XSS_NAME in text
    assert "Sumber yang Ditolak (1)" in text
    assert XSS_FILE in text and XSS_VALUE in text
    assert "satker_registry" in text
    assert "105,73%" in text  # the refused file of another satker changes nothing for Dumai
    assert 'id="perhatian"' not in source and 'class="held' not in source  # nor is one of Dumai's figures held

    # the run named explicitly gives the same section
    named = write_html(warehouse / "published.duckdb", SATKER, 2025, 6, tmp_path / "run.html", run_id="html-escape")
    assert XSS_FILE in visible_text(named.read_text(encoding="utf-8"))


def test_refused_section_follows_the_run(demo, tmp_path):
    path = write_html(demo / "published.duckdb", SATKER, 2025, 6, tmp_path / "jan.html", run_id="demo-2025-01")
    text = visible_text(path.read_text(encoding="utf-8"))
    assert "demo-2025-01" in text and "Tidak ada sumber yang ditolak" in text


def test_reports_of_many_satkers_written_together_are_those_written_one_by_one(tmp_path, monkeypatch):
    """The run for every unit reads the published file once per table for all reports; each report is the one
    written alone. A refused file is listed on its own satker's page (and, when it names no satker the run
    computed, on every page), not on the pages of every other unit."""
    from openpyxl import load_workbook

    from devtools.synth import synth
    from sakip import report
    from sakip.report.workbook import write_workbook

    data = tmp_path / "data"
    synth(3, 1, data, seed=5)
    monkeypatch.setenv("SAKIP_REFERENCE_DIR", str(data / "reference"))
    satkers = sorted({p.stem.split("_")[1] for p in (data / "inbox").glob("RAPK_*")})
    assert len(satkers) == 3
    header = ["Tahun", "Kode Satker", "Kode IKU", "Bulan", "Realisasi", "Keterangan"]
    own, stray = "Realisasi_Kinerja_rusak_b.csv", "Realisasi_Kinerja_rusak_asing.csv"
    write_table(data / "inbox" / own, header, [[2025, satkers[1], "IKU1.1", "B01", "seratus", ""]])
    write_table(data / "inbox" / stray, header, [[2025, "999999", "IKU1.1", "B01", "1", ""]])
    warehouse = tmp_path / "wh"
    result = run(data / "inbox", warehouse, 2025, 1, run_id="national")
    assert {o.name for o in result.refused} >= {own, stray}

    periods = [(s, 2025, 1) for s in satkers]
    together = report.write_reports(warehouse, periods, "national").paths
    assert len(together) == 6
    alone = tmp_path / "alone"
    for satker in satkers:
        folder = report.report_dir(warehouse, satker, 2025, 1)
        page = write_html(warehouse / "published.duckdb", satker, 2025, 1, alone / f"{satker}.html", "national")
        assert (folder / "laporan.html").read_text(encoding="utf-8") == page.read_text(encoding="utf-8")
        book = write_workbook(warehouse / "published.duckdb", satker, 2025, 1, alone / f"{satker}.xlsx")
        assert [[list(r) for r in ws.iter_rows(values_only=True)] for ws in load_workbook(book).worksheets] == \
            [[list(r) for r in ws.iter_rows(values_only=True)]
             for ws in load_workbook(folder / "lampiran.xlsx").worksheets]
        text = visible_text(page.read_text(encoding="utf-8"))
        assert stray in text
        assert (own in text) == (satker == satkers[1])
    # a later run that computes the same satker-months again (one export sent again, changed by a byte; the
    # refused files not sent again, so they stay the first run's) does not change what its report shows
    resent = next(p for p in sorted((data / "inbox").glob("SIPT_*.csv")))
    resent.write_bytes(resent.read_bytes() + b"\n")
    (data / "inbox" / own).unlink()
    (data / "inbox" / stray).unlink()
    later = run(data / "inbox", warehouse, 2025, 1, run_id="later")
    assert {s.kode_satker for s in later.satkers} == set(satkers) and later.published
    again = write_html(warehouse / "published.duckdb", satkers[0], 2025, 1, alone / "again.html", "national")
    assert own not in visible_text(again.read_text(encoding="utf-8"))


def test_the_legend_shows_every_band_of_the_years_profile(tmp_path, monkeypatch):
    """2021's six kriteria bands (the bundled partial profile, methodology §11) show six, with the colours its
    profile gives, and one of its own place for a band without."""
    import shutil

    from sakip.report import html as page

    folder = tmp_path / "reference"
    shutil.copytree(ROOT / "sakip" / "reference", folder)
    pita = folder / "profil_pita.csv"
    pita.write_text(pita.read_text().replace("2021,kriteria,Kurang,50,true,70,false,,#e8590c,",
                                             "2021,kriteria,Kurang,50,true,70,false,,,"))
    monkeypatch.setenv("SAKIP_REFERENCE_DIR", str(folder))
    legend = page.kriteria_legend(2021)
    labels = re.findall(r'</span>([^<]+) <small>\(([^)]+)\)</small>', legend)
    assert labels == [("Tidak Dapat Disimpulkan", "&gt; 120%"), ("Sangat Baik", "110–120%"), ("Baik", "90–110%"),
                      ("Cukup", "70–90%"), ("Kurang", "50–70%"), ("Sangat Kurang", "&lt; 50%")]
    assert "- tidak diukur" in legend and legend.count('class="chip"') == 7
    assert page._palette(2021)["Kurang"][0] == page.RAMP[4]          # no colour given: its place's
    assert page._palette(2021)["Sangat Kurang"] == ("#8b1a1a", "#fff")
    assert len(page._palette(2025)) == 5                               # and 2025 keeps its five
