"""The HTML report's layout (issue 18), checked in headless Chromium on the demo's page of Balai POM di Dumai for
June 2025: on a laptop (1280 px) and a phone (390 px) no header cell of a table runs into another and nothing
runs off the screen; printed on A4 it takes few pages and its Indikator column stays wide enough to read; the
efficiency chart's zones are the profile's efficiency kategori bands and each point sits in the zone of its
kategori.

Boxes are measured in a copy of the page with a measuring script (`chromium.measure`: the page itself has no
script); the print is Chromium's own (`chromium.print_pdf`), read back with `pdftotext -bbox`. Chromium and
poppler-utils are Debian's packages, installed when missing."""
from __future__ import annotations

import math
import re
import shutil
import statistics
import struct
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations
from pathlib import Path

import pytest

from builders import published
from chromium import chromium_path, measure, pdf_words, print_pdf
from conftest import ROOT
from sakip.report.html import write_html

SATKER = "672849"
# window heights: the whole page at each width, so that the screenshot shows it all
WIDTHS = {1280: 5600, 390: 9200}
A4 = (595.28, 841.89)          # points, portrait
PAGES_AT_MOST = 6              # measured: 6 (before issue 18: 9, on Chromium's default Letter paper)
MIN_WORDS_PER_LINE = 3         # median words a line of the Indikator cells in print (measured: 4.5; before: 1)
MIN_INDICATOR_WIDTH = 130      # pt (46 mm), the widest line of an Indikator cell in print (measured: 158; before: 79)


@pytest.fixture(scope="module")
def browser() -> Path:
    return chromium_path()


@pytest.fixture(scope="module")
def demo(demo_half_year) -> Path:
    return demo_half_year


@pytest.fixture(scope="module")
def page(demo, browser) -> Path:
    return write_html(demo / "published.duckdb", SATKER, 2025, 6,
                      demo / "reports" / SATKER / "2025-06" / "laporan.html")


@pytest.fixture(scope="module", params=sorted(WIDTHS, reverse=True), ids=lambda w: f"{w}px")
def layout(request, page, tmp_path_factory) -> dict:
    """The page's boxes at a width, and its screenshot there (in the test's tmp dir)."""
    width = request.param
    folder = tmp_path_factory.mktemp(f"layout-{width}")
    png = folder / f"laporan-{width}.png"
    return {"width": width, "height": WIDTHS[width], "png": png,
            **measure(page, folder, width, WIDTHS[width], png_path=png)}


def _overlap(a: dict, b: dict) -> tuple[float, float]:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]),
            min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]))


def test_header_cells_never_overlap(layout):
    """The header cells of a table, as laid out (their text, which can run past a cell too narrow for it),
    neither run into each other nor out of their own cells."""
    assert len(layout["tables"]) >= 4
    problems = []
    for table in layout["tables"]:
        for head in table["heads"]:
            cell, content = head["cell"], head["content"]
            if content["left"] < cell["left"] - 1 or content["right"] > cell["right"] + 1:
                problems.append(f"{table['name']}: {head['text']!r} runs out of its cell {cell} ({content})")
        for a, b in combinations(table["heads"], 2):
            dx, dy = _overlap(a["content"], b["content"])
            if dx > 0.5 and dy > 0.5:
                problems.append(f"{table['name']}: {a['text']!r} and {b['text']!r} overlap by {dx:.0f} px")
    assert not problems, "\n".join(problems)


def test_nothing_runs_off_the_screen(layout):
    """No card, section, chart or table (nor a table's scrolling container) extends beyond the viewport; a
    table wider than the screen scrolls inside its own container, and the page itself does not scroll
    sideways."""
    width = layout["width"]
    beyond = [f"{b['name']}: {b['box']['left']:.0f}–{b['box']['right']:.0f} px" for b in layout["boxes"]
              if not b["clipped"] and (b["box"]["right"] > width + 0.5 or b["box"]["left"] < -0.5)]
    assert not beyond, f"beyond the {width} px viewport:\n" + "\n".join(beyond)
    assert layout["scrollWidth"] <= width
    names = [b["name"] for b in layout["boxes"]]
    assert "div.kpi.nko" in names and names.count("div.scroll") >= 3
    for table in layout["tables"]:
        if table["name"].startswith(("table.ikutab", "table.data")):
            assert table["clipped"], f"{table['name']} is not inside a scrolling container"


def test_screenshots_are_written(layout):
    data = layout["png"].read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (layout["width"], layout["height"])
    assert len(data) > 50_000


@pytest.fixture(scope="module")
def printed(page, tmp_path_factory) -> list:
    pdf = print_pdf(page, tmp_path_factory.mktemp("layout-print") / "laporan.pdf")
    return pdf_words(pdf)


def test_it_prints_on_few_a4_pages(printed):
    assert len(printed) <= PAGES_AT_MOST, f"{len(printed)} pages"
    sizes = {(round(p.width), round(p.height)) for p in printed}
    assert sizes == {tuple(round(v) for v in A4)}, sizes


def _paragraph(words: list, first, wanted: list[str]) -> list[list] | None:
    """The name `wanted` read on from its first word as a left-aligned paragraph prints it: each next word on
    the same line just right of the last, or at the start of the next line; its lines, or None."""
    lines, last = [[first]], first
    for text in wanted[1:]:
        same = [w for w in words if w.text == text and abs(w.y0 - last.y0) < 2 and 0 <= w.x0 - last.x1 < 10]
        below = [w for w in words if w.text == text and abs(w.x0 - first.x0) < 2
                 and 2 < w.y0 - last.y0 < 2.5 * (last.y1 - last.y0)]
        if same:
            last = min(same, key=lambda w: w.x0)
            lines[-1].append(last)
        elif below:
            last = min(below, key=lambda w: w.y0)
            lines.append([last])
        else:
            return None
    return lines


def _indicator_lines(pages: list, name: str) -> list[list]:
    """The lines of the last place the PDF prints the indicator's name (the table comes after the header's
    list of the indicators below target), found by the words' positions, whatever order the PDF draws
    them in."""
    wanted = name.split()
    found: list[list] = []
    for page in pages:
        for first in page.words:
            if first.text == wanted[0]:
                found = _paragraph(page.words, first, wanted) or found
    return found


def test_the_indikator_column_is_readable_in_print(printed, demo):
    """Every indicator's name is printed in lines of several words (the median line has at least 3), in a
    column at least 46 mm wide: not squeezed to one word a line."""
    names = [r[0] for r in published(demo, "select indikator from mart.capaian_iku where kode_satker = ? and "
                                           "tahun = 2025 and bulan = 6 order by urutan", [SATKER])]
    assert len(names) == 24
    per_line, widths, missing = [], [], []
    for name in names:
        lines = _indicator_lines(printed, name)
        if not lines:
            missing.append(name)
            continue
        per_line += [len(line) for line in lines]
        widths.append(max(max(w.x1 for w in line) - min(w.x0 for w in line) for line in lines))
    median = statistics.median(per_line)
    assert median >= MIN_WORDS_PER_LINE, f"median {median} words a line: {per_line}"
    assert max(widths) >= MIN_INDICATOR_WIDTH, f"widest Indikator line {max(widths):.0f} pt"
    assert not missing, f"not found in the PDF (split by a page break?): {missing}"


# ---------------------------------------------------------------------------------------------- efficiency

_ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def _inside(x: float, y: float, polygon: list[tuple[float, float]]) -> bool:
    """Ray casting: is (x, y) inside the polygon?"""
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _chart(svg: str) -> tuple[list[dict], list[dict]]:
    """The zones (kategori, fill, polygon) and the dots (no, x, y, fill) of the efficiency chart."""
    zones = []
    for tag in re.findall(r'<path class="zone"[^>]*>', svg):
        attrs = dict(_ATTR.findall(tag))
        polygon = [(float(a), float(b)) for a, b in re.findall(r"[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)", attrs["d"])]
        zones.append({"kategori": attrs["data-kategori"], "fill": attrs["fill"], "polygon": polygon})
    dots = [{"no": int(no), "x": float(cx), "y": float(cy), "fill": fill} for cx, cy, fill, no in re.findall(
        r'<circle cx="([\d.]+)" cy="([\d.]+)" r="[\d.]+" fill="(#[0-9a-fA-F]{6})"[^>]*><title>RO (\d+)</title>', svg)]
    return zones, dots


def _dots_against_zones(zones: list[dict], dots: list[dict], kategori: dict[int, str]) -> list[str]:
    """Where a dot's zone (computed from the SVG) is not its kategori, or its colour not its zone's."""
    problems = []
    for dot in dots:
        around = [z for z in zones if _inside(dot["x"], dot["y"], z["polygon"])]
        if len(around) != 1:
            problems.append(f"RO {dot['no']} lies in {len(around)} zones")
            continue
        zone = around[0]
        if zone["kategori"] != kategori[dot["no"]]:
            problems.append(f"RO {dot['no']} ({kategori[dot['no']]}) lies in the {zone['kategori']} zone")
        if dot["fill"].lower() != zone["fill"].lower():
            problems.append(f"RO {dot['no']} is {dot['fill']}, its zone {zone['fill']}")
    return problems


def test_every_efficiency_point_sits_in_the_zone_of_its_kategori(page, demo):
    source = page.read_text(encoding="utf-8")
    section = re.search(r'<section id="efisiensi">.*?</section>', source, re.S).group(0)
    svg = re.search(r'<svg class="chart".*?</svg>', section, re.S).group(0)
    zones, dots = _chart(svg)
    rows = re.findall(r'<tr data-ro="[^"]*"><td class="num">(\d+)</td>.*?<span class="badge"[^>]*>([^<]*)</span>'
                      r'</td></tr>', section, re.S)
    kategori = {int(no): k for no, k in rows}
    data = [r[0] or "-" for r in published(demo, "select kategori from mart.efisiensi where kode_satker = ? and "
                                                 "tahun = 2025 and bulan = 6 order by urutan, kode_ro", [SATKER])]
    assert [kategori[n] for n in sorted(kategori)] == data  # the table shows the published kategori
    assert sorted(z["kategori"] for z in zones) == ["Efisien", "Tidak Efisien", "Tidak Efisien"]
    assert sorted(d["no"] for d in dots) == sorted(n for n, k in kategori.items() if k != "-")
    assert {kategori[d["no"]] for d in dots} == {"Efisien", "Tidak Efisien"}
    assert not _dots_against_zones(zones, dots, kategori)


def test_the_legend_names_each_zone_with_its_range(page):
    """In the page's language (Indonesian here): each zone's kategori, its range in IE and TE, its efficiency
    values and what a point there means, in the colour of its zone; highest IE first, as the chart reads from
    its top left."""
    source = page.read_text(encoding="utf-8")
    legend = re.search(r'<div class="zones">.*?</ul></div>', source, re.S).group(0)
    assert "Zona berarsir" in legend and "profil 2025" in legend
    items = re.findall(r'<li data-kategori="([^"]*)"><span class="zone-key" style="border-color:(#\w+);[^"]*">.*?'
                       r'<b>([^<]*)</b> <span class="range">([^<]*)</span>(?: <span class="note">([^<]*)</span>)?'
                       r'</li>', legend, re.S)
    shown = [(k, b, r.replace("&lt;", "<").replace("&gt;", ">"), n) for k, _c, b, r, n in items]
    assert shown == [
        ("Tidak Efisien", "Tidak Efisien", "IE > 2 (TE > 1)",
         "nilai efisiensi 75–86%; serapan anggaran jauh di bawah capaian output"),
        ("Efisien", "Efisien", "1 ≤ IE ≤ 2 (0 ≤ TE ≤ 1)", "nilai efisiensi 88–100%"),
        ("Tidak Efisien", "Tidak Efisien", "IE < 1 (TE < 0)", "capaian output tertinggal dari serapan anggaran")]
    zones, _dots = _chart(re.search(r'<section id="efisiensi">.*?</svg>', source, re.S).group(0))
    fills = {z["kategori"]: z["fill"] for z in zones}
    assert all(fills[k] == colour for k, colour, *_rest in items)


def _band(rows: list[dict], te: float) -> str | None:
    """The kategori of a TE as the pipeline applies the bands (macros.sql band_holds: TE rounded half away
    from zero to 2 decimals, each bound inclusive or not)."""
    x = float(Decimal(repr(te)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    for r in rows:
        lo, hi = r["bawah"], r["atas"]
        if (lo is None or x > lo or (r["bawah_inklusif"] and x == lo)) and \
                (hi is None or x < hi or (r["atas_inklusif"] and x == hi)):
            return r["label"]
    return None


def test_the_zones_follow_the_profile_to_the_hundredth(tmp_path, monkeypatch):
    """Another profile (efficient only up to TE 0,5, standard SE 1,25) gives other zones; points a few
    thousandths of TE either side of each bound, which the rounding to 2 decimals puts in one band or the
    other, sit in the zone of the band the pipeline gives them."""
    import csv

    from sakip.report import html as report

    folder = tmp_path / "reference"
    shutil.copytree(ROOT / "sakip" / "reference", folder)
    pita = folder / "profil_pita.csv"
    text = pita.read_text(encoding="utf-8")
    for lo in ("0.60", "0.80"):
        old = next(line for line in text.splitlines() if line.startswith(f"2025,efisiensi,Efisien,{lo},"))
        text = text.replace(old, old.replace(",Efisien,", ",Tidak Efisien,"))
    pita.write_text(text, encoding="utf-8")
    parameter = folder / "profil_parameter.csv"
    parameter.write_text(parameter.read_text(encoding="utf-8").replace("2025,standar_efisiensi,1,",
                                                                       "2025,standar_efisiensi,1.25,"),
                         encoding="utf-8")
    monkeypatch.setenv("SAKIP_REFERENCE_DIR", str(folder))

    profile = report.efficiency(2025)
    assert profile is not None and profile.standar == 1.25
    assert [(z.label, z.lo, z.hi) for z in profile.zones] == [
        ("Tidak Efisien", None, 0.0), ("Efisien", 0.0, 0.6), ("Tidak Efisien", 0.6, None)]
    with open(pita, newline="", encoding="utf-8") as f:
        bands = [{"label": r["label"], "bawah": float(r["bawah"]) if r["bawah"] else None,
                  "bawah_inklusif": r["bawah_inklusif"] == "true", "atas": float(r["atas"]) if r["atas"] else None,
                  "atas_inklusif": r["atas_inklusif"] == "true"}
                 for r in csv.DictReader(f) if r["tahun"] == "2025" and r["skala"] == "efisiensi"]
    points, kategori = [], {}
    # four thousandths of TE inside each rounding edge, at 80 % budget: about a pixel from the zone's line
    tes = [(-0.5, 80), (-0.009, 80), (-0.001, 80), (0.3, 60), (0.599, 80), (0.601, 80), (0.609, 80), (1.5, 30)]
    for no, (te, budget) in enumerate(tes, 1):
        kategori[no] = _band(bands, te)
        points.append((no, budget, budget * 1.25 * (1 + te), kategori[no]))
    assert [kategori[n] for n in sorted(kategori)] == ["Tidak Efisien", "Tidak Efisien", "Efisien", "Efisien",
                                                       "Efisien", "Efisien", "Tidak Efisien", "Tidak Efisien"]
    colours = report._efficiency_colours(profile)
    svg = report._scatter(points, profile, colours)
    zones, dots = _chart(svg)
    assert len(dots) == len(tes)
    assert not _dots_against_zones(zones, dots, kategori)
    assert "IE = 1,25" in svg and "IE = 2" in svg  # the bounds' lines, named by the profile's IE
    legend = report.efficiency_legend(profile, colours)
    assert "1,25 ≤ IE ≤ 2 (0 ≤ TE ≤ 0,6)" in legend and "IE &lt; 1,25 (TE &lt; 0)" in legend
    assert math.isclose(profile.zones[1].ie_to, 1.25 * 1.605)
