"""The Laporan Kinerja of one satker and period as a single self-contained HTML page (issue 6), read from the
published file, for a head of unit to read at a glance.

One file, nothing fetched: inline CSS, charts as inline SVG drawn here, no JavaScript, no fonts or images from
anywhere, so it opens the same from a mail attachment, a shared folder or a laptop with no network. Every text
that comes from the data (names of units, indicators, ROs, laboratories, files, findings) is escaped: names come
from source files. The page is in the language of the run (sakip.i18n; the planners' terms, NKO, IKU, RO,
capaian, realisasi, pagu, kriteria and predikat, stay theirs in English too), its numbers and dates in that
language's formats (`sakip.report.format`).

The page shows:
- first, when a source the period's figures need was refused (audit.freshness): which, why, since when and
  what to do; every figure it holds back is marked (* kept at its last good version, † no data yet);
- the unit, the period, the NKO and its predikat;
- every indicator grouped by sasaran: target, realisasi, capaian with a bar against the 100 % line, its
  kriteria colour, and a sparkline of its capaian in every month of the year up to the period that the
  published file holds (months not measured are gaps); rows carry `data-iku="<kode>"`;
- budget: cumulative RPD plan against cumulative realisasi per month, and % realisasi against RO pagu, DIPA
  and DIPA net of blokir;
- efficiency per RO: % realisasi anggaran against % capaian output, over zones that are the efficiency kategori
  bands of the year's profile (profil_pita, scale `efisiensi`, with its standar_efisiensi) with a legend of
  their ranges, each point in the colour of its published kategori; and IE/TE/kategori;
- SLA of laboratory testing: a histogram of working days per commodity group with the limit marked, and the
  counts per status;
- the sources refused in the run (the given run, else the latest) with their findings.

Layout (issue 18): on a phone (below 700 px) the header's cards stack and wrap, side-by-side blocks stack, and
a table or wide chart scrolls sideways inside its own container (`.scroll`, `.figure`), never the page; the
indicator table keeps a minimum width rather than squeezing its columns. Printed, it is A4 portrait
(`@page`): no background, shadows or rounded cards, tables at the page's width with print column widths
that leave the Indikator column about 45 mm, rows, cards and charts never split across pages, the header of
a table repeated on each page, colours kept (`print-color-adjust`). tests/test_html_layout.py checks both in
Chromium.

    write_html(Path("wh/published.duckdb"), "672849", 2025, 6, Path("wh/reports/672849/2025-06/laporan.html"))
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import html
import math
import os
import re
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from sakip.i18n import N_, _, language, ngettext
from sakip.report.data import KEPT, NO_DATA, PARTIAL, Hold, ReportData, load, notice
from sakip.report.format import angka, bulan_pendek, inisial_bulan, nama_bulan, periode, persen, rupiah, tanggal
from sakip.warehouse.db import reference_dir, reference_file

# The kriteria's labels, ranges and colours come from the year's profile (profil_pita.csv, its `warna`); a band
# without a colour gets one of these by its place, from the highest band down.
RAMP = ["#1b7a3d", "#68a94a", "#a3b93a", "#e0a100", "#e8590c", "#c62828", "#8b1a1a"]
TIDAK_DIUKUR = ("#b8bec5", "#222")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
PREDIKAT = {
    "Istimewa": "#1b7a3d", "Baik": "#68a94a", "Butuh Perbaikan": "#e0a100", "Kurang": "#e8590c",
    "Sangat Kurang": "#c62828",
}
EFISIENSI = {"Efisien": "#1b7a3d", "Tidak Efisien": "#d9480f"}

# the report's commodity groups for the SLA of testing (IKU1.1, IKU1.2, IKU1.4)
KELOMPOK_KOMODITI = {
    "Sediaan Farmasi": ("Obat", "Obat Bahan Alam", "Obat Kuasi", "Suplemen Kesehatan", "Kosmetik"),
    "Pangan Olahan": ("Pangan Olahan",),
    "PIRT": ("PIRT",),
}
STATUS_SLA = {  # order of stacking, label (translated where shown), colour
    "tepat_waktu": (N_("On time"), "#1b7a3d"),
    "terlambat": (N_("Late"), "#c62828"),
    "lewat_batas": (N_("Overdue (no LHU yet)"), "#e8590c"),
    "dalam_proses": (N_("In progress"), "#8a94a0"),
}
# how the page marks a figure held back by a refused source (data.Hold), after the figure
MARK = {KEPT: "*", NO_DATA: "†", PARTIAL: "*"}
# the published tables whose figures the page shows, in its order (what the notice of a refused source names)
FIGURE_TABLES = ["nko", "capaian_iku", "nilai_sasaran", "anggaran_satker", "rencana_penarikan",
                 "realisasi_anggaran", "efisiensi", "sla_pengujian"]

INK = "#1f2933"
MUTED = "#66717d"
GRID = "#e3e7eb"
FONT = '"Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", Arial, sans-serif'
MAX_FINDINGS = 20


def esc(value: Any) -> str:
    """Text from the data, escaped for element content and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def _num(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def _f(x: float) -> str:
    """SVG coordinate."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------------------------------------------- data

# ---------------------------------------------------------------------------------------------------- helpers

def _last(value: Any) -> tuple[bool, Any]:
    """Sort key that puts None last, as SQL's default order does."""
    return value is None, "" if value is None else value


def _badge(label: str | None, colours: tuple[str, str] | None = None, title: str | None = None) -> str:
    if label is None:
        fill, ink = TIDAK_DIUKUR
        text = "-"
    else:
        fill, ink = colours or TIDAK_DIUKUR
        text = label
    t = f' title="{esc(title)}"' if title else ""
    return f'<span class="badge" style="background:{fill};color:{ink}"{t}>{esc(text)}</span>'


def _nice_step(span: float, ticks: int = 5) -> float:
    if span <= 0:
        return 1.0
    raw = span / ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def _svg(width: int, height: int, body: str, label: str, cls: str = "chart") -> str:
    return (f'<svg class="{cls}" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(label)}">{body}</svg>')


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 11, fill: str = MUTED,
          weight: str = "normal", extra: str = "") -> str:
    return (f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
            f'font-weight="{weight}"{extra}>{esc(text)}</text>')


def _miliar(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 1e9:
        return _("{amount} bn").format(amount=angka(value / 1e9, 1 if value % 1e9 else 0))
    return _("{amount} m").format(amount=angka(value / 1e6, 0))


@dataclass(frozen=True)
class Band:
    label: str
    range: str          # as the legend shows it: "60–90%", "> 110%"
    fill: str
    ink: str            # text colour on the fill


def _luminance(colour: str) -> float:
    """WCAG's relative luminance of #rrggbb."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _ink(fill: str) -> str:
    """The text colour of more contrast on the fill (WCAG's ratio): white or near-black."""
    light = _luminance(fill)
    return "#fff" if 1.05 / (light + 0.05) >= (light + 0.05) / (_luminance("#222222") + 0.05) else "#222"


def _kriteria(folder: Path, tahun: int) -> tuple[Band, ...]:
    """The kriteria bands of the profile that applies to `tahun` (its own, else the latest earlier one), from
    the highest down, read from the installation's reference folder (ranges in the language's numbers)."""
    return _bands(folder, tahun, language())


@functools.lru_cache(maxsize=64)
def _bands(folder: Path, tahun: int, lang: str) -> tuple[Band, ...]:
    try:
        with open(reference_file(folder, "profil_pita"), newline="", encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f) if r["skala"] == "kriteria" and int(r["tahun"]) <= tahun]
    except (OSError, KeyError, ValueError):
        return ()
    if not rows:
        return ()
    year = max(int(r["tahun"]) for r in rows)
    rows = sorted((r for r in rows if int(r["tahun"]) == year),
                  key=lambda r: -math.inf if not r["bawah"] else float(r["bawah"]), reverse=True)
    bands = []
    for place, r in enumerate(rows):
        lo, hi = r["bawah"], r["atas"]
        lo_s = angka(float(lo), 0) if lo else ""
        hi_s = angka(float(hi), 0) if hi else ""
        if lo and hi:
            text = f"{lo_s}–{hi_s}%"
        elif lo:
            text = ("≥ " if r["bawah_inklusif"] == "true" else "> ") + lo_s + "%"
        else:
            text = ("≤ " if r["atas_inklusif"] == "true" else "< ") + hi_s + "%"
        fill = (r.get("warna") or "").strip()
        if not COLOUR.fullmatch(fill):  # none, or not a colour (`sakip reference check` says so)
            fill = RAMP[min(place, len(RAMP) - 1)]
        bands.append(Band(r["label"], text, fill, _ink(fill)))
    return tuple(bands)


def _palette(tahun: int) -> dict[str, tuple[str, str]]:
    """kriteria label → (fill, ink) of the year's profile."""
    return {b.label: (b.fill, b.ink) for b in _kriteria(reference_dir(), tahun)}


def kriteria_legend(tahun: int) -> str:
    """Every kriteria band of the year's profile, however many, with its range; then 'not measured'."""
    chips = [f'<span class="chip"><span class="dot" style="background:{b.fill}"></span>{esc(b.label)} '
             f'<small>({esc(b.range)})</small></span>' for b in _kriteria(reference_dir(), tahun)]
    not_measured = _("- not measured")
    chips.append(f'<span class="chip"><span class="dot" style="background:{TIDAK_DIUKUR[0]}"></span>'
                 f'{esc(not_measured)}</span>')
    return "".join(chips)


@dataclass(frozen=True)
class Zone:
    """An efficiency kategori of the year's profile over a range of TE (its bands of one label that follow
    each other, merged): where its points lie on the efficiency chart, and what the legend says of it."""
    label: str
    lo: float | None        # TE, as the profile gives it; None: no lower bound
    lo_incl: bool
    hi: float | None        # None: no upper bound
    hi_incl: bool
    nilai: tuple[float, ...]   # the bands' efficiency values (%), where the profile gives them
    ie_from: float          # the zone on the chart, in IE: where a point's kategori changes, the band being
    ie_to: float | None     # applied to TE rounded to 2 decimals (methodology §8); None: no upper bound


@dataclass(frozen=True)
class Efficiency:
    """The efficiency scale of the profile that applies to a year: its standard SE and its zones, lowest first."""
    tahun: int              # the profile's year
    standar: float
    zones: tuple[Zone, ...]


def _float(text: str | None) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def efficiency(tahun: int) -> Efficiency | None:
    """The efficiency bands of the profile that the pipeline applies to `tahun` (the latest profile of
    profil_parameter up to that year: int_profil), from the installation's reference folder; None when that
    profile has no standard SE or no efficiency band (the efficiency is then not assessed)."""
    return _efficiency(reference_dir(), tahun)


@functools.lru_cache(maxsize=64)
def _efficiency(folder: Path, tahun: int) -> Efficiency | None:
    try:
        with open(reference_file(folder, "profil_parameter"), newline="", encoding="utf-8") as f:
            parameters = [r for r in csv.DictReader(f) if int(r["tahun"]) <= tahun]
        if not parameters:
            return None
        year = max(int(r["tahun"]) for r in parameters)
        standar = next((_float(r["nilai"]) for r in parameters
                        if int(r["tahun"]) == year and r["parameter"] == "standar_efisiensi"), None)
        with open(reference_file(folder, "profil_pita"), newline="", encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f) if r["skala"] == "efisiensi" and int(r["tahun"]) == year]
        bands = sorted(((r["label"], _float(r["bawah"]), r["bawah_inklusif"] == "true", _float(r["atas"]),
                         r["atas_inklusif"] == "true", _float(r["nilai"])) for r in rows),
                       key=lambda b: -math.inf if b[1] is None else b[1])
    except (OSError, KeyError, ValueError):
        return None
    if not standar or not bands:
        return None
    merged: list[list] = []
    for label, lo, lo_incl, hi, hi_incl, nilai in bands:
        last = merged[-1] if merged else None
        if last and last[0] == label and last[3] is not None and last[3] == lo:
            last[3:5] = [hi, hi_incl]
            last[5] += [nilai] if nilai is not None else []
        else:
            merged.append([label, lo, lo_incl, hi, hi_incl, [nilai] if nilai is not None else []])
    # a band holds round(TE, 2): its edge at b lies half a hundredth beyond b on the side the band includes
    def ie(te: float) -> float:
        return max(0.0, standar * (1 + te))
    zones = tuple(Zone(label, lo, lo_incl, hi, hi_incl, tuple(nilai),
                       0.0 if lo is None else ie(lo - 0.005 if lo_incl else lo + 0.005),
                       None if hi is None else ie(hi + 0.005 if hi_incl else hi - 0.005))
                  for label, lo, lo_incl, hi, hi_incl, nilai in merged)
    return Efficiency(year, standar, tuple(z for z in zones if z.ie_to is None or z.ie_to > z.ie_from))


def _efficiency_colours(profile: Efficiency | None) -> dict[str, str]:
    """kategori → colour of its points, badges and zone: EFISIENSI's, else one of RAMP by its place from the
    most efficient down (a profile may name its categories otherwise)."""
    colours = dict(EFISIENSI)
    for z in (profile.zones if profile else ()):
        if z.label not in colours:
            colours[z.label] = RAMP[min(len(colours), len(RAMP) - 1)]
    return colours


ZONE_OPACITY = 0.13  # of a zone's colour over the chart's white


def _tint(colour: str, opacity: float) -> str:
    """#rrggbb at `opacity` over white, as an opaque colour."""
    return "#" + "".join(f"{round(255 - (255 - int(colour[i:i + 2], 16)) * opacity):02x}" for i in (1, 3, 5))


def _places(value: float) -> int:
    """The fewest decimals (up to 2) that show `value` as it is."""
    return next((n for n in (0, 1) if abs(value - round(value, n)) < 1e-9), 2)


def _bound_text(name: str, lo: float | None, lo_incl: bool, hi: float | None, hi_incl: bool) -> str:
    """'1 ≤ IE ≤ 2', 'IE < 1', 'TE > 1' in the language's numbers."""
    def num(v: float) -> str:
        return angka(v, _places(v))
    if lo is not None and hi is not None:
        return f"{num(lo)} {'≤' if lo_incl else '<'} {name} {'≤' if hi_incl else '<'} {num(hi)}"
    if lo is not None:
        return f"{name} {'≥' if lo_incl else '>'} {num(lo)}"
    if hi is not None:
        return f"{name} {'≤' if hi_incl else '<'} {num(hi)}"
    return name


def efficiency_legend(profile: Efficiency, colours: dict[str, str]) -> str:
    """What the chart's zones are: each kategori with its range in IE and TE, its efficiency values, and what
    a point there means."""
    se = profile.standar
    items = []
    for z in profile.zones:
        ie_lo = None if z.lo is None else se * (1 + z.lo)
        ie_hi = None if z.hi is None else se * (1 + z.hi)
        ranges = (f"{_bound_text('IE', ie_lo, z.lo_incl, ie_hi, z.hi_incl)} "
                  f"({_bound_text('TE', z.lo, z.lo_incl, z.hi, z.hi_incl)})")
        notes = []
        if z.nilai:
            lo, hi = min(z.nilai), max(z.nilai)
            shown = persen(lo, _places(lo)) if lo == hi else f"{angka(lo, _places(lo))}–{persen(hi, _places(hi))}"
            notes.append(_("efficiency value {range}").format(range=shown))
        if z.hi is not None and (z.hi < 0 or (z.hi == 0 and not z.hi_incl)):      # below the standard
            notes.append(_("output capaian lags behind budget absorption"))
        elif z.lo is not None and (z.lo > 0 or (z.lo == 0 and not z.lo_incl)):    # beyond it
            notes.append(_("budget absorption far below output capaian"))
        colour = colours.get(z.label, MUTED)
        note = f' <span class="note">{esc("; ".join(notes))}</span>' if notes else ""
        items.append(f'<li data-kategori="{esc(z.label)}"><span class="zone-key" style="border-color:{colour};'
                     f'background:{_tint(colour, ZONE_OPACITY)}">'
                     f'<span class="dot" style="background:{colour}"></span></span><b>{esc(z.label)}</b> '
                     f'<span class="range">{esc(ranges)}</span>{note}</li>')
    caption = _("Shaded zones: the efficiency categories of the {year} profile, applied to TE rounded to 2 "
                "decimals; a point has the colour of its category.").format(year=profile.tahun)
    return f'<div class="zones"><p class="note">{esc(caption)}</p><ul>{"".join(reversed(items))}</ul></div>'


BAR_W, BAR_H, BAR_MAX = 170, 18, 150.0


def _capaian_bar(capaian: float | None, fill: str) -> str:
    """Capaian on a 0–150 % scale with the 100 % line; beyond 150 % the bar ends in an arrow."""
    pad = 2
    inner = BAR_W - 2 * pad - 8
    x100 = pad + inner * 100 / BAR_MAX
    parts = [f'<rect x="{pad}" y="4" width="{inner}" height="{BAR_H - 8}" rx="2" fill="#eef1f4"/>']
    if capaian is not None:
        w = inner * max(0.0, min(capaian, BAR_MAX)) / BAR_MAX
        parts.append(f'<rect x="{pad}" y="4" width="{_f(w)}" height="{BAR_H - 8}" rx="2" fill="{fill}"/>')
        if capaian > BAR_MAX:
            x = pad + inner
            parts.append(f'<path d="M{_f(x)} 2 L{_f(x + 7)} {BAR_H / 2} L{_f(x)} {BAR_H - 2} Z" fill="{fill}"/>')
    parts.append(f'<line x1="{_f(x100)}" y1="0" x2="{_f(x100)}" y2="{BAR_H}" stroke="{INK}" '
                 f'stroke-width="1.5" stroke-dasharray="3 2"/>')
    label = _("not measured") if capaian is None else _("capaian {percent} (line: 100%)").format(
        percent=persen(capaian))
    return _svg(BAR_W, BAR_H, "".join(parts), label, "bar")


SPARK_W, SPARK_H = 156, 42


def _sparkline(values: dict[int, float | None], bulan: int, fill_now: str) -> str:
    """Capaian in months 1–12 (only months up to the period are drawn); gaps where not measured."""
    left, right, top, bottom = 5, 5, 4, 13
    pw, ph = SPARK_W - left - right, SPARK_H - top - bottom
    measured = {m: v for m, v in values.items() if v is not None and m <= bulan}
    vals = [*measured.values(), 100.0]
    lo, hi = min(vals), max(vals)
    if hi - lo < 20:
        mid = (hi + lo) / 2
        lo, hi = mid - 10, mid + 10
    span = hi - lo

    def x(m: int) -> float:
        return left + pw * (m - 1) / 11

    def y(v: float) -> float:
        return top + ph * (1 - (v - lo) / span)

    parts = [f'<rect x="{_f(x(bulan + 0.5))}" y="0" width="{_f(max(0.0, SPARK_W - x(bulan + 0.5)))}" '
             f'height="{SPARK_H - bottom + 2}" fill="#f6f7f9"/>' if bulan < 12 else "",
             f'<line x1="{left}" x2="{SPARK_W - right}" y1="{_f(y(100))}" y2="{_f(y(100))}" stroke="#9aa3ad" '
             f'stroke-width="1" stroke-dasharray="2 2"/>']
    for m in range(1, 13):  # month initials: darker for the months the file has
        colour = MUTED if m in values and m <= bulan else "#c3c9cf"
        parts.append(_text(x(m), SPARK_H - 2, inisial_bulan(m), "middle", 8, colour,
                           "bold" if m == bulan else "normal"))
    run: list[str] = []
    segments: list[list[str]] = []
    for m in range(1, bulan + 1):
        if m in measured:
            run.append(f"{_f(x(m))},{_f(y(measured[m]))}")
        elif run:
            segments.append(run)
            run = []
    if run:
        segments.append(run)
    for seg in segments:
        if len(seg) > 1:
            parts.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="#3d5a80" stroke-width="1.6"/>')
    last = max(measured) if measured else None
    for m, v in measured.items():
        fill = fill_now if m == last and m == bulan else "#3d5a80"
        parts.append(f'<circle cx="{_f(x(m))}" cy="{_f(y(v))}" r="{3 if m == last else 2}" fill="{fill}"/>')
    label = "; ".join(f"{bulan_pendek(m)} {persen(values.get(m))}" for m in range(1, bulan + 1)
                      if m in values)
    return _svg(SPARK_W, SPARK_H, f"<title>{esc(label)}</title>" + "".join(parts),
                _("capaian trend: {months}").format(months=label), "spark")


def _budget_chart(plan: list[dict[str, Any]], bulan: int, pagu_ro: float | None) -> str:
    W, H = 720, 300
    left, right, top, bottom = 70, 150, 18, 34
    pw, ph = W - left - right, H - top - bottom
    rpd = {r["bulan_rencana"]: _num(r["rpd_kumulatif"]) for r in plan}
    real = {r["bulan_rencana"]: _num(r["realisasi_kumulatif"]) for r in plan if r["realisasi_kumulatif"] is not None}
    top_value = max([v for v in (*rpd.values(), *real.values(), pagu_ro) if v is not None] or [1.0])
    step = _nice_step(top_value, 5)
    ymax = step * math.ceil(top_value / step)

    def x(m: float) -> float:
        return left + pw * (m - 1) / 11

    def y(v: float) -> float:
        return top + ph * (1 - v / ymax)

    parts = []
    tick = 0.0
    while tick <= ymax + step / 2:
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{_f(y(tick))}" y2="{_f(y(tick))}" stroke="{GRID}"/>')
        parts.append(_text(left - 8, y(tick) + 4, _miliar(tick), "end"))
        tick += step
    for m in range(1, 13):
        parts.append(_text(x(m), H - bottom + 18, bulan_pendek(m), "middle",
                           weight="bold" if m == bulan else "normal", fill=INK if m == bulan else MUTED))
    parts.append(f'<line x1="{_f(x(bulan))}" x2="{_f(x(bulan))}" y1="{top}" y2="{top + ph}" stroke="#9aa3ad" '
                 f'stroke-dasharray="4 3"/>')
    if pagu_ro:
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{_f(y(pagu_ro))}" y2="{_f(y(pagu_ro))}" '
                     f'stroke="#7b4fc4" stroke-width="1.2" stroke-dasharray="6 3"/>')
        parts.append(_text(left + pw + 6, y(pagu_ro) + 4, "Pagu RO " + _miliar(pagu_ro), fill="#7b4fc4"))
    pts = [(m, v) for m, v in sorted(rpd.items()) if v is not None]
    if pts:
        parts.append(f'<polyline points="{" ".join(f"{_f(x(m))},{_f(y(v))}" for m, v in pts)}" fill="none" '
                     f'stroke="#3d5a80" stroke-width="2.2"/>')
        parts += [f'<circle cx="{_f(x(m))}" cy="{_f(y(v))}" r="3" fill="#3d5a80"/>' for m, v in pts]
        m, v = pts[-1]
        parts.append(_text(x(m) + 8, y(v) + 4, "RPD " + _miliar(v), fill="#3d5a80", weight="bold"))
    rpts = sorted(real.items())
    if len(rpts) > 1:
        parts.append(f'<polyline points="{" ".join(f"{_f(x(m))},{_f(y(v))}" for m, v in rpts)}" fill="none" '
                     f'stroke="#e8590c" stroke-width="2.4"/>')
    for m, v in rpts:
        parts.append(f'<circle cx="{_f(x(m))}" cy="{_f(y(v))}" r="5" fill="#e8590c" stroke="#fff" stroke-width="1.5"/>')
        parts.append(_text(x(m) + 9, y(v) - 8, _miliar(v), fill="#e8590c", weight="bold"))
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + ph}" stroke="#9aa3ad"/>')
    parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="#9aa3ad"/>')
    parts.append(_text(14, top + ph / 2, _("rupiah (bn = billion)"), "middle", 10,
                       extra=f' transform="rotate(-90 14 {_f(top + ph / 2)})"'))
    return _svg(W, H, "".join(parts), _("cumulative budget absorption: plan (RPD) and realisasi per month"))


@dataclass(frozen=True)
class Matrix:
    """The geometry of the efficiency chart: its size and margins in px, both axes in % from 0 to `hi`."""
    hi: int
    width: int = 520
    height: int = 470
    left: int = 52
    right: int = 18
    top: int = 16
    bottom: int = 46

    @classmethod
    def fitting(cls, points: list[tuple[int, float, float, str | None]]) -> Matrix:
        """The chart that holds every point: its axes to the next 10 % above the largest value, 110 % at least."""
        hi = max([110.0, *(p[1] for p in points), *(p[2] for p in points)])
        return cls(10 * math.ceil(hi / 10))

    @property
    def pw(self) -> int:
        return self.width - self.left - self.right

    @property
    def ph(self) -> int:
        return self.height - self.top - self.bottom

    def x(self, v: float) -> float:
        return self.left + self.pw * v / self.hi

    def y(self, v: float) -> float:
        return self.top + self.ph * (1 - v / self.hi)

    def end(self, k: float | None) -> tuple[float, float]:
        """Where the line of slope k (IE) from the origin leaves the plot (None: the vertical axis)."""
        if k is None:
            return 0.0, self.hi
        return (self.hi, k * self.hi) if k <= 1 else (self.hi / k, self.hi)

    def path(self, corners: list[tuple[float, float]], attrs: str) -> str:
        """The closed path through `corners` (in %)."""
        d = " ".join(f"{'M' if i == 0 else 'L'}{_f(self.x(a))} {_f(self.y(b))}" for i, (a, b) in enumerate(corners))
        return f'<path {attrs} d="{d} Z"/>'

    def clashes(self, bx: float, by: float, w: float, h: float, boxes: list[tuple[float, float, float, float]],
                own: set[tuple[float, float]]) -> bool:
        """Whether a label of w × h px at (bx, by) leaves the plot or covers a point or label of `boxes` (the
        points of its own cluster, `own` by their corner, aside)."""
        if bx < self.left or bx + w > self.width - 2 or by < 2 or by + h > self.top + self.ph:
            return True
        return any(not (bx + w < x0 or bx > x1 or by + h < y0 or by > y1)
                   for x0, y0, x1, y1 in boxes if (round(x0, 1), round(y0, 1)) not in own)


def _scatter(points: list[tuple[int, float, float, str | None]], profile: Efficiency | None,
             colours: dict[str, str]) -> str:
    """(no, % realisasi anggaran, % capaian output, kategori) with the profile's efficiency zones: a point's IE
    is the slope of the line from the origin through it, so each zone is the wedge between the lines of its
    IE bounds (`<path class="zone" data-kategori>` in its kategori's colour, the colour of its points); the
    lines between zones are drawn and named by their IE (IE = SE dashed). Points closer than a few pixels share
    one label; labels are placed where they cover no other point or label."""
    m = Matrix.fitting(points)
    px = [(no, m.x(xv), m.y(yv), kat) for no, xv, yv, kat in points]
    parts = [*_scatter_zones(m, profile, colours), *_scatter_grid(m), *_scatter_edges(m, profile),
             _text(m.left + m.pw / 2, m.height - 8, _("% budget realisasi"), "middle", 12, INK),
             _text(14, m.top + m.ph / 2, _("% output capaian"), "middle", 12, INK,
                   extra=f' transform="rotate(-90 14 {_f(m.top + m.ph / 2)})"'),
             *_scatter_points(px, colours), *_scatter_labels(m, px)]
    return _svg(m.width, m.height, "".join(parts),
                _("efficiency matrix: % budget realisasi against % output capaian per RO"))


def _scatter_zones(m: Matrix, profile: Efficiency | None, colours: dict[str, str]) -> list[str]:
    """The profile's zones in their kategori's colours; without a profile, a plain background."""
    parts = []
    zones = profile.zones if profile else ()
    for z in zones:  # the wedge between the lines of slope ie_from and ie_to, walking round the plot's corner
        corners = [(0.0, 0.0), m.end(z.ie_from)]
        if z.ie_from < 1 and (z.ie_to is None or z.ie_to > 1):
            corners.append((m.hi, m.hi))
        corners.append(m.end(z.ie_to))
        parts.append(m.path(corners, f'class="zone" data-kategori="{esc(z.label)}" '
                                     f'fill="{colours.get(z.label, MUTED)}" fill-opacity="{ZONE_OPACITY}"'))
    if not zones:  # no profile to say what a point means: only the standard line
        parts.append(m.path([(0, 0), (0, m.hi), (m.hi, m.hi), (m.hi, 0)], 'fill="#f4f6f8"'))
    return parts


def _scatter_grid(m: Matrix) -> list[str]:
    """The grid every 20 % over the zones, and both axes' ticks."""
    parts = []
    for t in range(0, int(m.hi) + 1, 20):
        parts.append(f'<line x1="{_f(m.x(t))}" x2="{_f(m.x(t))}" y1="{m.top}" y2="{m.top + m.ph}" stroke="#fff" '
                     f'stroke-opacity=".8"/>')
        parts.append(f'<line x1="{m.left}" x2="{m.left + m.pw}" y1="{_f(m.y(t))}" y2="{_f(m.y(t))}" stroke="#fff" '
                     f'stroke-opacity=".8"/>')
        parts.append(_text(m.x(t), m.top + m.ph + 16, f"{t}%", "middle"))
        parts.append(_text(m.left - 6, m.y(t) + 4, f"{t}%", "end"))
    return parts


def _zone_edges(profile: Efficiency | None) -> dict[float, float]:
    """The lines between zones, where a point's kategori changes: their slope on the chart → the profile's IE
    that names them (without zones, the standard's line alone)."""
    se = profile.standar if profile else 1.0
    edges: dict[float, float] = {}
    for z in (profile.zones if profile else ()):
        if z.lo is not None:
            edges.setdefault(round(z.ie_from, 6), se * (1 + z.lo))
        if z.hi is not None:
            edges.setdefault(round(z.ie_to, 6), se * (1 + z.hi))
    if not edges:
        edges[se] = se
    return edges


def _scatter_edges(m: Matrix, profile: Efficiency | None) -> list[str]:
    """The lines between zones, each labelled with its IE along it; the standard's (IE = SE) bolder and dashed
    longer."""
    se = profile.standar if profile else 1.0
    parts = []
    for k, named in sorted(_zone_edges(profile).items()):
        standard = abs(named - se) < 1e-9
        ex, ey = m.end(k)
        parts.append(f'<line class="edge" x1="{_f(m.x(0))}" y1="{_f(m.y(0))}" x2="{_f(m.x(ex))}" '
                     f'y2="{_f(m.y(ey))}" stroke="{INK}" stroke-width="{1.4 if standard else 1}" '
                     f'stroke-dasharray="{"6 4" if standard else "3 3"}"/>')
        px_, py_ = m.x(ex * 0.36), m.y(ey * 0.36)
        angle = math.degrees(math.atan2(m.ph * k, m.pw))
        parts.append(_text(6, -5, f"IE = {angka(named, _places(named))}", "start", 12 if standard else 11, INK,
                           "bold", f' transform="translate({_f(px_)} {_f(py_)}) rotate(-{_f(angle)})"'))
    return parts


def _scatter_points(px: list[tuple[int, float, float, str | None]], colours: dict[str, str]) -> list[str]:
    """A dot per RO (no, x, y, kategori in px) in its kategori's colour, its number in the tooltip."""
    return [f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="5.5" fill="{colours.get(kat or "", "#8a94a0")}" '
            f'stroke="#fff" stroke-width="1.2"><title>{esc(f"RO {no}")}</title></circle>' for no, cx, cy, kat in px]


def _scatter_labels(m: Matrix, px: list[tuple[int, float, float, str | None]]) -> list[str]:
    """The points' numbers: one label for each cluster of points closer than 14 px, from left to right, each at
    the first place where it covers no other point or label (else beside its points)."""
    parts = []
    boxes: list[tuple[float, float, float, float]] = [(cx - 6, cy - 6, cx + 6, cy + 6) for _, cx, cy, _ in px]
    for c in sorted(_clusters(px, 14), key=lambda c: min(p[1] for p in c)):
        label = ", ".join(str(p[0]) for p in sorted(c))
        w, h = 6.6 * len(label), 12.0
        candidates = _label_places(c, w, h)
        own = {(round(p[1] - 6, 1), round(p[2] - 6, 1)) for p in c}
        bx, by = next((cand for cand in candidates if not m.clashes(*cand, w, h, boxes, own)), candidates[0])
        boxes.append((bx, by, bx + w, by + h))
        parts.append(_text(bx, by + h - 2, label, "start", 11, INK, "bold"))
    return parts


def _label_places(cluster: list[tuple[int, float, float, str | None]], w: float, h: float
                  ) -> list[tuple[float, float]]:
    """Where the w × h label of a cluster may go (its top left corner), best first: right of its points, left
    of them, then above and below, ever further."""
    x0c, x1c = min(p[1] for p in cluster), max(p[1] for p in cluster)
    y0c, y1c = min(p[2] for p in cluster), max(p[2] for p in cluster)
    ymid = (y0c + y1c) / 2
    candidates = [(x1c + 9, ymid - h / 2), (x0c - 9 - w, ymid - h / 2)]
    for k in range(4):
        candidates += [((x0c + x1c - w) / 2, y0c - 9 - h - 13 * k), ((x0c + x1c - w) / 2, y1c + 9 + 13 * k)]
    return candidates


def _clusters(px: list[tuple[int, float, float, str | None]], distance: float
              ) -> list[list[tuple[int, float, float, str | None]]]:
    """Single-linkage clusters of points (no, x, y, kategori) closer than `distance` px: they share one label."""
    clusters: list[list[tuple[int, float, float, str | None]]] = []
    for p in sorted(px, key=lambda p: (p[1], p[2])):
        near = [c for c in clusters if any(math.hypot(q[1] - p[1], q[2] - p[2]) < distance for q in c)]
        merged = [p]
        for c in near:
            clusters.remove(c)
            merged += c
        clusters.append(merged)
    return clusters


def _histogram(name: str, rows: list[dict[str, Any]], batas: int, hk_max: int) -> str:
    W, H = 372, 236
    left, right, top, bottom = 34, 10, 38, 38
    pw, ph = W - left - right, H - top - bottom
    bins: dict[int, Counter] = defaultdict(Counter)
    clipped = any((r["hari_kerja"] or 0) > hk_max for r in rows)
    for r in rows:
        if r["hari_kerja"] is not None:
            bins[min(int(r["hari_kerja"]), hk_max)][r["status"]] += 1
    ymax_raw = max([sum(c.values()) for c in bins.values()] or [1]) * 1.08
    step = max(1, int(_nice_step(ymax_raw, 4)))
    ymax = step * math.ceil(ymax_raw / step)
    n = hk_max + 1
    bw = pw / n

    def y(v: float) -> float:
        return top + ph * (1 - v / ymax)

    parts = [_text(left, 16, name, "start", 13, INK, "bold"),
             _text(W - right, 16, ngettext("{count} sample", "{count} samples", len(rows)).format(count=len(rows)),
                   "end", 11)]
    for t in range(0, int(ymax) + 1, step):
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{_f(y(t))}" y2="{_f(y(t))}" stroke="{GRID}"/>')
        parts.append(_text(left - 5, y(t) + 4, str(t), "end", 10))
    xb = left + bw * (batas + 1)
    parts.append(f'<rect x="{_f(xb)}" y="{top}" width="{_f(left + pw - xb)}" height="{ph}" fill="#fdf1ed"/>')
    for hk in sorted(bins):
        base = 0
        for status, (label, colour) in STATUS_SLA.items():
            k = bins[hk][status]
            if not k:
                continue
            title = _("{days} HK: {count} {status}").format(days=hk, count=k, status=_(label))
            parts.append(f'<rect x="{_f(left + bw * hk + 0.5)}" y="{_f(y(base + k))}" width="{_f(bw - 1)}" '
                         f'height="{_f(y(base) - y(base + k))}" fill="{colour}"><title>{esc(title)}'
                         f'</title></rect>')
            base += k
    parts.append(f'<line x1="{_f(xb)}" x2="{_f(xb)}" y1="{top - 4}" y2="{top + ph}" stroke="{INK}" '
                 f'stroke-width="1.5" stroke-dasharray="4 3"/>')
    parts.append(_text(xb, top - 7, _("limit {days} HK").format(days=batas), "middle", 10, INK, "bold"))
    for t in range(0, hk_max + 1, 5):
        label = f"≥{t}" if t == hk_max and clipped else str(t)
        parts.append(_text(left + bw * (t + 0.5), top + ph + 14, label, "middle", 10))
    parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="#9aa3ad"/>')
    parts.append(_text(left + pw / 2, H - 6, _("working days (since received by the lab)"), "middle", 10))
    return _svg(W, H, "".join(parts), _("working days of testing, {group}").format(group=name))


# ---------------------------------------------------------------------------------------------------- sections

def _plan_ratio(plan: list[dict[str, Any]], bulan: int) -> tuple[float | None, float | None, float | None]:
    """(RPD s.d. the month, realisasi s.d. the month, realisasi as % of the plan)."""
    now = next((r for r in plan if r["bulan_rencana"] == bulan), None)
    if now is None:
        return None, None, None
    rencana, real = _num(now["rpd_kumulatif"]), _num(now["realisasi_kumulatif"])
    return rencana, real, (real / rencana * 100 if real is not None and rencana else None)


def _held(d: ReportData, table: str, shown: str, missing: bool = False) -> str:
    """A figure of `table` as the page shows it (`shown`, HTML), marked when a refused source holds it back:
    every figure of a table kept at its last good version, the missing ones of a table with no data yet."""
    hold = d.hold(table)
    if hold is None or hold.state == PARTIAL or (hold.state == NO_DATA and not missing):
        return shown
    return _marked(hold, shown)


def _marked(hold: Hold, shown: str) -> str:
    return (f'<span class="held {hold.state}" title="{esc(hold.note())}">{shown}'
            f'<sup class="mark">{MARK[hold.state]}</sup></span>')


def _held_notes(d: ReportData, *tables: str) -> str:
    """Under a section's heading, what its marks mean (one line per refused source and state)."""
    holds = [h for t in tables if (h := d.hold(t)) is not None]
    return "".join(dict.fromkeys(f'<p class="held-note"><sup class="mark">{MARK[h.state]}</sup> {esc(h.note())}</p>'
                                 for h in holds))


def _notice(d: ReportData) -> str:
    """What went wrong, first: the refused sources that hold back figures of this page, each in a paragraph."""
    marks = {state: _("with {mark}").format(mark=mark) for state, mark in MARK.items()}
    found = notice(d, FIGURE_TABLES, marks)
    if found is None:
        return ""
    paragraphs = "".join(f"<p>{esc(p)}</p>" for p in found.paragraphs)
    return f"""
<aside class="notice" id="perhatian" role="alert">
  <h2>⚠ {esc(found.title)}</h2>
  {paragraphs}
</aside>"""


def _header(d: ReportData, nko: dict[str, Any] | None, iku: list[dict[str, Any]], anggaran: dict | None,
            plan: list[dict[str, Any]]) -> str:
    """The top of the page: the unit and period with its indicators by kriteria and those below target, and
    the cards of the NKO with its predikat and of the budget realisasi."""
    nama = (nko or {}).get("nama_satker") or d.kode_satker
    nilai = _num((nko or {}).get("nko"))
    predikat = (nko or {}).get("predikat")
    colour = PREDIKAT.get(predikat or "", "#8a94a0")
    missing = (nko or {}).get("profil_tidak_lengkap")
    profil_note = f'<div class="kpi-note">{esc(missing)}</div>' if missing and nilai is None else ""
    palette = _palette(d.tahun)
    diukur = sum(1 for r in iku if r["diukur"])
    nko_label = _("Organisation performance value (NKO)")
    nko_value = _held(d, "nko", esc(persen(nilai)), nilai is None)
    predikat_text = _held(d, "nko", esc(predikat or _("not yet assessable")), predikat is None)
    measured = _("{measured} of {total} indicators measured").format(measured=diukur, total=len(iku))
    return f"""
<header class="top">
  <div class="who">
    <div class="eyebrow">Badan Pengawas Obat dan Makanan · Satker {esc(d.kode_satker)}</div>
    <h1>{esc(nama)}</h1>
    <div class="sub">Laporan Kinerja — {esc(periode(d.tahun, d.bulan))}</div>
    <div class="chips">{_kriteria_chips(iku, palette)}</div>
    {_offtrack(iku, palette, diukur)}
  </div>
  <div class="kpis">
    <div class="kpi nko" style="border-color:{colour}">
      <div class="kpi-label">{esc(nko_label)}</div>
      <div class="nko-value" style="color:{colour}">{nko_value}</div>
      <div class="predikat" style="background:{colour}">{predikat_text}</div>
      <div class="kpi-note">{esc(measured)}</div>{profil_note}
    </div>
    {_budget_card(d, anggaran, plan)}
  </div>
</header>"""


def _kriteria_chips(iku: list[dict[str, Any]], palette: dict[str, tuple[str, str]]) -> str:
    """How many indicators have each kriteria, in the profile's order, then those not measured."""
    counts = Counter(r["kriteria"] for r in iku)
    chips = []
    for label, (fill, _ink) in palette.items():
        if counts.get(label):
            chips.append(f'<span class="chip"><span class="dot" style="background:{fill}"></span>'
                         f'{esc(label)} <b>{counts[label]}</b></span>')
    if counts.get(None):
        label = _("Not measured")
        chips.append(f'<span class="chip"><span class="dot" style="background:{TIDAK_DIUKUR[0]}"></span>'
                     f'{esc(label)} <b>{counts[None]}</b></span>')
    return "".join(chips)


def _offtrack(iku: list[dict[str, Any]], palette: dict[str, tuple[str, str]], diukur: int) -> str:
    """The indicators below target, lowest capaian first (six at most); or that every measured one reached its
    target; nothing when none is measured."""
    below = sorted((r for r in iku if _num(r["capaian"]) is not None and _num(r["capaian"]) < 100),
                   key=lambda r: _num(r["capaian"]))
    if below:
        items = "".join(f'<li><span class="code">{esc(r["kode_iku"])}</span> {esc(r["indikator"])} — '
                        f'<b>{esc(persen(_num(r["capaian"])))}</b> {_badge(r["kriteria"], palette.get(r["kriteria"]))}'
                        '</li>' for r in below[:6])
        more = _("… and {count} more").format(count=len(below) - 6)
        more = f'<li class="note">{esc(more)}</li>' if len(below) > 6 else ""
        title = _("Below target (capaian < 100%)")
        return f'<div class="offtrack"><b>{esc(title)}</b><ul>{items}{more}</ul></div>'
    if diukur:
        reached = _("Every measured indicator reached its target.")
        return f'<div class="offtrack ok">{esc(reached)}</div>'
    return ""


def _budget_card(d: ReportData, anggaran: dict | None, plan: list[dict[str, Any]]) -> str:
    """The header's card of the budget realisasi against RO pagu and against the withdrawal plan (nothing
    without SAKTI's realisasi)."""
    if not anggaran:
        return ""
    ratio = _plan_ratio(plan, d.bulan)[2]
    of_plan = _("of the withdrawal plan (RPD) up to {month}").format(month=nama_bulan(d.bulan))
    vs_plan = (f'<div class="kpi-value sm">{_held(d, "rencana_penarikan", esc(persen(ratio)))}</div>'
               f'<div class="kpi-note">{esc(of_plan)}</div>' if ratio is not None else "")
    persen_ro = _num(anggaran["persen_terhadap_pagu_ro"])
    label = _("Budget realisasi up to {period}").format(period=periode(d.tahun, d.bulan))
    of_pagu = _("of RO pagu · {amount}").format(amount=rupiah(anggaran["realisasi"]))
    return (f'<div class="kpi"><div class="kpi-label">{esc(label)}</div><div class="kpi-value">'
            f'{_held(d, "anggaran_satker", esc(persen(persen_ro)), persen_ro is None)}</div>'
            f'<div class="kpi-note">{esc(of_pagu)}</div>{vs_plan}</div>')


def _indikator(d: ReportData, iku: list[dict[str, Any]], sasaran: list[dict[str, Any]]) -> str:
    """The section of the indicators: a table of every IKU under the row of its sasaran, with its bar, kriteria
    and trend."""
    trend = _trend(d)
    months = sorted({m for t in trend.values() for m in t})
    nps = {s["kode_ss"]: s for s in sasaran}
    palette = _palette(d.tahun)
    sipt = d.hold("capaian_iku") if (d.freshness.get("capaian_iku") or {}).get("status") == "partial" else None
    body = []
    current = object()
    for r in iku:
        if r["kode_ss"] != current:
            current = r["kode_ss"]
            body.append(_sasaran_row(d, r, nps.get(current, {}), palette))
        body.append(_iku_row(d, r, palette, trend.get(r["kode_iku"], {}), sipt))
    span = (f"{bulan_pendek(months[0])}–{bulan_pendek(months[-1])} {d.tahun}" if months else "-")
    heading = _("Capaian of the key performance indicators")
    lead = _("Each indicator against its target in {period}, grouped by strategic objective. Bar: capaian on a "
             "0–150% scale (dashed line = 100%). Trend: capaian per month, January–December, as far as the data go "
             "({span}); months without a measurement are empty.").format(period=periode(d.tahun, d.bulan), span=span)
    notes = _held_notes(d, "nko", "capaian_iku", "nilai_sasaran")
    head = [_("Code"), _("Indicator"), _("Target"), "Realisasi", "Capaian", _("against 100%"), "Kriteria",
            _("Trend {year}").format(year=d.tahun)]
    code, indicator, target_h, realisasi_h, capaian_h, against, kriteria, tren = (esc(h) for h in head)
    return f"""
<section id="indikator">
  <h2>{esc(heading)}</h2>
  <p class="lead">{esc(lead)}</p>{notes}
  <div class="legend">{kriteria_legend(d.tahun)}</div>
  <div class="scroll">
  <table class="ikutab">
    <colgroup><col class="c-code"><col class="c-name"><col class="c-target"><col class="c-real"><col class="c-cap">
    <col class="c-bar"><col class="c-krit"><col class="c-trend"></colgroup>
    <thead><tr><th>{code}</th><th>{indicator}</th><th class="num">{target_h}</th><th class="num">{realisasi_h}</th>
    <th class="num">{capaian_h}</th><th>{against}</th><th>{kriteria}</th><th>{tren}</th></tr></thead>
    <tbody>{"".join(body)}</tbody>
  </table>
  </div>
</section>"""


def _trend(d: ReportData) -> dict[str, dict[int, float | None]]:
    """kode_iku → its capaian in each month the published file holds, January to the period."""
    trend: dict[str, dict[int, float | None]] = defaultdict(dict)
    for r in d.trend:
        trend[r["kode_iku"]][r["bulan"]] = _num(r["capaian"])
    return trend


def _sasaran_row(d: ReportData, r: dict[str, Any], s: dict[str, Any], palette: dict[str, tuple[str, str]]) -> str:
    """The row of a sasaran (`r` its first indicator, `s` its nilai_sasaran): its value and kriteria."""
    value = _num(s.get("nps"))
    shown = _held(d, "nilai_sasaran", esc(persen(value)), value is None)
    nps_label = esc(_("sasaran achievement value"))
    return (f'<tr class="ss" data-ss="{esc(r["kode_ss"])}"><td colspan="4"><span class="ss-code">'
            f'{esc(r["kode_ss"])}</span> {esc(r["sasaran"])}</td><td class="num">{shown}'
            f'</td><td class="note">{nps_label}</td>'
            f'<td>{_badge(s.get("kriteria"), palette.get(s.get("kriteria")))}'
            f'</td><td></td></tr>')


def _iku_row(d: ReportData, r: dict[str, Any], palette: dict[str, tuple[str, str]],
             trend: dict[int, float | None], sipt: Hold | None) -> str:
    """The row of an indicator: target, realisasi (with SIPT's count where it differs, marked by `sipt` when
    SIPT's figures are partial), capaian with its bar and kriteria, and its trend."""
    capaian = _num(r["capaian"])
    target, nilai = _num(r["target"]), _num(r["realisasi"])
    fill = palette.get(r["kriteria"] or "", TIDAK_DIUKUR)[0]
    realisasi = _held(d, "capaian_iku", esc(angka(nilai)), nilai is None)
    if r.get("selisih_sipt"):
        sipt_value = angka(_num(r["realisasi_sipt"]))
        title = _("Differs from the count from SIPT: {value}").format(value=sipt_value)
        warn = f'<span class="warn" title="{esc(title)}">⚠ SIPT {esc(sipt_value)}</span>'
        realisasi += " " + (_marked(sipt, warn) if sipt else warn)
    note = ""
    if capaian is not None and r.get("normalisasi"):
        text = _("nilai akhir {value} (normalised)").format(value=angka(_num(r["nilai_akhir"])))
        note = f'<div class="note">{esc(text)}</div>'
    if capaian is None and r.get("keterangan"):
        note = f'<div class="note">{esc(r["keterangan"])}</div>'
    satuan = f'<span class="satuan">{esc(r["satuan"])}</span>' if r.get("satuan") else ""
    return (f'<tr class="iku{" off" if capaian is None else ""}" id="iku-{esc(r["kode_iku"])}" '
            f'data-iku="{esc(r["kode_iku"])}"><td class="code">{esc(r["kode_iku"])}</td>'
            f'<td class="name">{esc(r["indikator"])} {satuan}</td>'
            f'<td class="num">{_held(d, "capaian_iku", esc(angka(target)), target is None)}</td>'
            f'<td class="num">{realisasi}</td>'
            f'<td class="num strong">{_held(d, "capaian_iku", esc(persen(capaian)), capaian is None)}</td>'
            f'<td class="barcell">{_capaian_bar(capaian, fill)}{note}</td>'
            f'<td>{_badge(r["kriteria"], palette.get(r["kriteria"]))}</td>'
            f'<td>{_sparkline(trend, d.bulan, fill)}</td></tr>')


BUDGET_VIEWS = ((N_("against RO pagu"), "persen_terhadap_pagu_ro", "pagu_ro"),
                (N_("against DIPA"), "persen_terhadap_dipa", "pagu_dipa"),
                (N_("against DIPA net of blokir"), "persen_terhadap_dipa_netto", None))


def _anggaran(d: ReportData, anggaran: dict[str, Any] | None, plan: list[dict[str, Any]]) -> str:
    pagu_ro = _num(anggaran["pagu_ro"]) if anggaran else None
    cards = ""
    if anggaran:
        netto = None
        if anggaran["pagu_dipa"] is not None and anggaran["blokir"] is not None:
            netto = anggaran["pagu_dipa"] - anggaran["blokir"]
        parts = []
        for label, col, base in BUDGET_VIEWS:
            value = _num(anggaran[col])
            of = _("{realisasi} of {base}").format(realisasi=rupiah(anggaran["realisasi"]),
                                                   base=rupiah(anggaran[base] if base else netto))
            label = _(label)
            parts.append(f'<div class="kpi small"><div class="kpi-label">{esc(label)}</div>'
                         f'<div class="kpi-value">{_held(d, "anggaran_satker", esc(persen(value)), value is None)}'
                         f'</div><div class="kpi-note">{esc(of)}</div></div>')
        cards = "".join(parts)
    else:
        empty = _("No budget realisasi (SAKTI) for this period yet.")
        cards = f'<p class="empty">{esc(empty)}</p>'
    no_plan = _("No withdrawal plan (POK) for this year.")
    chart = f'<p class="empty">{esc(no_plan)}</p>'
    summary = ""
    if plan:
        chart = _budget_chart(plan, d.bulan, pagu_ro)
        rencana, real, ratio_value = _plan_ratio(plan, d.bulan)
        if rencana is not None:
            period = periode(d.tahun, d.bulan)
            lines = [(_("Plan (RPD) up to {period}").format(period=period), rupiah(rencana), "num"),
                     (_("Realisasi up to {period}").format(period=period), rupiah(real), "num"),
                     (_("Realisasi against plan"), persen(ratio_value), "num strong"),
                     (_("RPD for the year"), rupiah(_num(plan[-1]["rpd_kumulatif"])), "num")]
            summary = ('<table class="mini">'
                       + "".join(f'<tr><th>{esc(label)}</th><td class="{cls}">'
                                 f'{_held(d, "rencana_penarikan", esc(value), value == "-")}</td></tr>'
                                 for label, value, cls in lines)
                       + '</table>')
    plan_label = _("Cumulative withdrawal plan (RPD)")
    real_label = _("Cumulative realisasi (months with a SAKTI export)")
    legend = ('<div class="legend"><span class="chip"><span class="line" style="background:#3d5a80"></span>'
              f'{esc(plan_label)}</span><span class="chip"><span class="dot" '
              f'style="background:#e8590c"></span>{esc(real_label)}</span>'
              + ('<span class="chip"><span class="line dashed" style="border-color:#7b4fc4"></span>Pagu RO</span>'
                 if pagu_ro else "") + '</div>')
    heading = _("Budget absorption")
    return f"""
<section id="anggaran">
  <h2>{esc(heading)}</h2>{_held_notes(d, "anggaran_satker", "rencana_penarikan")}
  <div class="kpis row">{cards}</div>
  <div class="split">
    <div class="budget">{legend}<div class="figure">{chart}</div></div>
    <div>{summary}</div>
  </div>
</section>"""


def _efisiensi(d: ReportData) -> str:
    """The section of the efficiency per RO: the chart of the ROs over the profile's zones with their legend,
    the count per kategori, the ROs that need attention, and the table of every RO."""
    rows = d.rows("efisiensi")
    heading = esc(_("Budget efficiency per RO"))
    notes = _held_notes(d, "efisiensi", "realisasi_anggaran")
    if not rows:
        empty = _("No efficiency data for this period.")
        return f'<section id="efisiensi"><h2>{heading}</h2>{notes}<p class="empty">{esc(empty)}</p></section>'
    ro = {r["kode_ro"]: r for r in d.rows("realisasi_anggaran")}
    profile = efficiency(d.tahun)
    colours = _efficiency_colours(profile)
    points = _efficiency_points(rows)
    body = [_ro_row(d, no, r, ro.get(r["kode_ro"], {}), colours) for no, r in enumerate(rows, 1)]
    chart = _scatter(points, profile, colours)
    legend, note = _efficiency_key(profile, colours), _not_drawn(len(rows) - len(points))
    cards, attention = _efficiency_cards(rows, colours), _attention(rows)
    lead = _("Efficiency index IE = % output capaian ÷ % budget realisasi; TE = (IE − SE) ÷ SE. A point above the "
             "diagonal produced more output than the budget it absorbed. Point number = row number of the table.")
    no_h, code_h, uraian_h, budget_h, kategori_h = (esc(h) for h in (_("No."), _("RO code"), _("Description"),
                                                                      _("% Budget"), _("Category")))
    return f"""
<section id="efisiensi">
  <h2>{heading}</h2>
  <p class="lead">{esc(lead)}</p>{notes}
  <div class="split">
    <div class="scatter"><div class="figure">{chart}</div>{legend}{note}</div>
    <div><div class="kpis row">{cards}</div>{attention}</div>
  </div>
  <div class="scroll">
  <table class="data ro">
    <colgroup><col class="c-no"><col class="c-ro"><col><col class="c-pagu"><col class="c-pct"><col class="c-pct">
    <col class="c-ie"><col class="c-ie"><col class="c-kat"></colgroup>
    <thead><tr><th class="num">{no_h}</th><th>{code_h}</th><th>{uraian_h}</th><th class="num">Pagu</th>
    <th class="num">{budget_h}</th><th class="num">% Output</th><th class="num">IE</th><th class="num">TE</th>
    <th>{kategori_h}</th></tr></thead>
    <tbody>{"".join(body)}</tbody></table>
  </div>
</section>"""


def _efficiency_points(rows: list[dict[str, Any]]) -> list[tuple[int, float, float, str | None]]:
    """The ROs the chart draws, by their row number: (no, % realisasi anggaran, % capaian output, kategori) of
    those with both and an IE."""
    points = []
    for no, r in enumerate(rows, 1):
        xo, yo = _num(r["persen_realisasi_anggaran"]), _num(r["persen_capaian_output"])
        if xo is not None and yo is not None and _num(r["ie"]) is not None:
            points.append((no, xo, yo, r["kategori"]))
    return points


def _ro_row(d: ReportData, no: int, r: dict[str, Any], a: dict[str, Any], colours: dict[str, str]) -> str:
    """The table's row of an RO (`a` its realisasi_anggaran): pagu, both percentages, IE, TE and kategori."""
    xo, yo = _num(r["persen_realisasi_anggaran"]), _num(r["persen_capaian_output"])
    kat = r["kategori"]
    badge = _badge(kat, (colours[kat], _ink(colours[kat]))) if kat in colours else _badge(kat)
    ie, te = _num(r["ie"]), _num(r["te"])
    return (f'<tr data-ro="{esc(r["kode_ro"])}"><td class="num">{no}</td><td class="code">{esc(r["kode_ro"])}</td>'
            f'<td>{esc(r["uraian"])}</td>'
            f'<td class="num">{_held(d, "realisasi_anggaran", esc(rupiah(a.get("pagu"))), a.get("pagu") is None)}</td>'
            f'<td class="num">{_held(d, "efisiensi", esc(persen(xo)), xo is None)}</td>'
            f'<td class="num">{_held(d, "efisiensi", esc(persen(yo)), yo is None)}</td>'
            f'<td class="num">{_held(d, "efisiensi", esc(angka(ie)), ie is None)}</td>'
            f'<td class="num">{_held(d, "efisiensi", esc(angka(te)), te is None)}</td>'
            f'<td>{badge}</td></tr>')


def _not_drawn(missing: int) -> str:
    """The note under the chart of the ROs it can not draw (nothing when it draws them all)."""
    not_drawn = ngettext(
        "{count} RO can not be assessed (output capaian or budget realisasi missing or zero) and is not drawn.",
        "{count} ROs can not be assessed (output capaian or budget realisasi missing or zero) and are not drawn.",
        missing).format(count=missing)
    return f'<p class="note">{esc(not_drawn)}</p>' if missing else ""


def _efficiency_key(profile: Efficiency | None, colours: dict[str, str]) -> str:
    """The chart's legend: the profile's zones with their ranges, else the kategori's colours."""
    if profile is not None and profile.zones:
        return efficiency_legend(profile, colours)
    return '<div class="legend">' + "".join(
        f'<span class="chip"><span class="dot" style="background:{c}"></span>{esc(k)}</span>'
        for k, c in colours.items()) + "</div>"


def _efficiency_cards(rows: list[dict[str, Any]], colours: dict[str, str]) -> str:
    """The count of ROs efficient, not efficient and not assessable."""
    count = Counter(r["kategori"] for r in rows)
    return "".join(
        f'<div class="kpi small"><div class="kpi-label">{esc(label)}</div><div class="kpi-value" '
        f'style="color:{colour}">{count.get(key, 0)}</div><div class="kpi-note">RO</div></div>'
        for key, label, colour in (("Efisien", "Efisien", colours["Efisien"]),
                                   ("Tidak Efisien", "Tidak Efisien", colours["Tidak Efisien"]),
                                   (None, _("Not assessable"), MUTED)))


def _attention(rows: list[dict[str, Any]]) -> str:
    """The ROs not efficient, by row number, each with why (nothing when there are none)."""
    perhatian = []
    for no, r in enumerate(rows, 1):
        ie = _num(r["ie"])
        if r["kategori"] != "Tidak Efisien" or ie is None:
            continue
        why = (_("output capaian lags behind budget absorption") if ie < 1
               else _("budget absorption far below output capaian"))
        perhatian.append(f'<li><b>{no}.</b> {esc(r["uraian"])} <span class="note">IE {esc(angka(ie))}: '
                         f'{esc(why)}</span></li>')
    attention_label = _("Needs attention")
    return (f'<h3>{esc(attention_label)}</h3><ul class="attention">{"".join(perhatian)}</ul>'
            if perhatian else "")


def _sla(d: ReportData) -> str:
    """The section of the SLA of testing: a histogram of working days per commodity group against the limit,
    and the table of the samples per group and status."""
    rows = sorted(d.rows("sla_pengujian"), key=lambda r: (_last(r["komoditi"]), _last(r["kode_sampel"])))
    notes = _held_notes(d, "sla_pengujian")
    if not rows:
        heading, empty = _("Sample testing time (SLA)"), _("No sample testing data (SIPT) for this period.")
        return f'<section id="sla"><h2>{esc(heading)}</h2>{notes}<p class="empty">{esc(empty)}</p></section>'
    groups = _sla_groups(rows)
    batas, hk_max = _sla_scale(rows)
    charts = "".join(f'<div>{_histogram(g, rs, batas, hk_max)}</div>' for g, rs in groups.items())
    body = _sla_rows(d, groups, rows)
    statuses = [(_(label), c) for label, c in STATUS_SLA.values()]
    legend = "".join(f'<span class="chip"><span class="dot" style="background:{c}"></span>{esc(label)}</span>'
                     for label, c in statuses)
    heading = _("Sample testing time (SLA {days} working days)").format(days=batas)
    lead = _("Samples received by the laboratory from January to {period}: working days from receipt in the "
             "laboratory to the LHU (for samples still in testing: to the end of the period).").format(
        period=periode(d.tahun, d.bulan))
    group_h, samples_h, on_time_h, of_lhu, median_h, lhu = (esc(h) for h in (
        _("Commodity group"), _("Samples"), _("% on time"), _("of LHUs issued"), _("Median HK"), _("LHU issued")))
    return f"""
<section id="sla">
  <h2>{esc(heading)}</h2>
  <p class="lead">{esc(lead)}</p>{notes}
  <div class="legend">{legend}</div>
  <div class="hists">{charts}</div>
  <div class="scroll">
  <table class="data sla">
    <thead><tr><th>{group_h}</th><th class="num">{samples_h}</th>
    {"".join(f'<th class="num">{esc(label)}</th>' for label, _colour in statuses)}
    <th class="num">{on_time_h}<div class="note">{of_lhu}</div></th><th class="num">{median_h}
    <div class="note">{lhu}</div></th></tr></thead>
    <tbody>{"".join(body)}</tbody>
  </table>
  </div>
</section>"""


def _sla_groups(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The samples by the report's commodity group (KELOMPOK_KOMODITI's, in its order, then any other
    commodity's as Other), groups without samples left out."""
    group_of = {k: g for g, ks in KELOMPOK_KOMODITI.items() for k in ks}
    groups: dict[str, list[dict[str, Any]]] = {g: [] for g in KELOMPOK_KOMODITI}
    other = _("Other")
    for r in rows:
        groups.setdefault(group_of.get(r["komoditi"], other), []).append(r)
    return {g: rs for g, rs in groups.items() if rs}


def _sla_scale(rows: list[dict[str, Any]]) -> tuple[int, int]:
    """(the limit in working days: the samples' most common, else 15; the last bin of the histograms, that
    holds every longer time)."""
    batas_all = Counter(r["batas_hari_kerja"] for r in rows if r["batas_hari_kerja"] is not None)
    batas = batas_all.most_common(1)[0][0] if batas_all else 15
    longest = max((r["hari_kerja"] or 0) for r in rows)
    return batas, max(batas + 10, min(longest, 2 * batas + 10))


def _sla_rows(d: ReportData, groups: dict[str, list[dict[str, Any]]], rows: list[dict[str, Any]]) -> list[str]:
    """The table's rows: each commodity group with its commodities and median working days to the LHU, then
    the total."""
    body = []
    for g, rs in groups.items():
        hks = sorted(r["hari_kerja"] for r in rs if r["hari_kerja"] is not None and r["tanggal_lhu"] is not None)
        komoditi = ", ".join(sorted({r["komoditi"] for r in rs}))
        body.append(f'<tr><td><b>{esc(g)}</b><div class="note">{esc(komoditi)}</div></td>{_sla_counts(d, rs)}'
                    f'<td class="num">{_sla_held(d, angka(_median(hks), 1))}</td></tr>')
    total_label = _("Total")
    body.append(f'<tr class="total"><td>{esc(total_label)}</td>{_sla_counts(d, rows)}<td></td></tr>')
    return body


def _sla_counts(d: ReportData, rs: list[dict[str, Any]]) -> str:
    """A row's cells of its samples: how many, how many in each status, and the % on time of those with an LHU."""
    c = Counter(r["status"] for r in rs)
    selesai = c["tepat_waktu"] + c["terlambat"]
    on_time = persen(c["tepat_waktu"] / selesai * 100 if selesai else None)
    return (f'<td class="num">{_sla_held(d, str(len(rs)))}</td>'
            + "".join(f'<td class="num">{_sla_held(d, str(c[s]))}</td>' for s in STATUS_SLA)
            + f'<td class="num strong">{_sla_held(d, on_time)}</td>')


def _sla_held(d: ReportData, value: str) -> str:
    """A figure of the SLA as shown, marked when a refused source holds it back ('-': no data yet)."""
    return _held(d, "sla_pengujian", esc(value), value == "-")


def _median(values: list[float]) -> float | None:
    """The median of sorted `values` (None when there are none)."""
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def _ditolak(d: ReportData) -> str:
    run, files = d.run, d.refused
    heading = esc(_("Refused sources"))
    if run is None:
        empty = _("No run recorded yet.")
        return f'<section id="ditolak"><h2>{heading}</h2><p class="empty">{esc(empty)}</p></section>'
    run_id = run["run_id"]
    when = run.get("started_at")
    about = [esc(_("Run {run}")).format(run=f"<code>{esc(run_id)}</code>")]
    if run.get("periode"):
        about.append(esc(_("period {period}").format(period=run["periode"])))
    if isinstance(when, dt.datetime):
        about.append(esc(_("started {date} {time}").format(date=tanggal(when.date()), time=when.strftime("%H:%M"))))
    about = ", ".join(about)
    if not files:
        none = _("No source was refused")
        return (f'<section id="ditolak"><h2>{heading}</h2><p class="lead">{about}</p>'
                f'<p class="ok">{esc(none)}</p></section>')
    head = "".join(f"<th{cls}>{esc(h)}</th>" for h, cls in (
        (_("Row"), ' class="num"'), (_("Column"), ""), (_("Value"), ""), (_("Check"), ""), (_("Message"), "")))
    no_rows = _("No finding by row.")
    blocks = []
    for f in files:
        findings = f["findings"]
        rows = "".join(
            f'<tr><td class="num">{esc("-" if x["baris"] is None else x["baris"])}</td><td>{esc(x["kolom"])}</td>'
            f'<td class="mono">{esc(x["nilai"])}</td><td>{esc(x["pemeriksaan"])}</td><td>{esc(x["pesan"])}</td></tr>'
            for x in findings[:MAX_FINDINGS])
        hidden = len(findings) - MAX_FINDINGS
        more = ngettext("… and {count} more finding (see audit.validation_failures).",
                        "… and {count} more findings (see audit.validation_failures).", hidden).format(count=hidden)
        more = f'<p class="note">{esc(more)}</p>' if hidden > 0 else ""
        table = (f'<div class="scroll"><table class="data findings"><thead><tr>{head}</tr></thead><tbody>{rows}'
                 f'</tbody></table></div>{more}' if findings else f'<p class="note">{esc(no_rows)}</p>')
        blocks.append(f'<div class="refused" data-file="{esc(f["nama_file"])}"><h3>✖ {esc(f["nama_file"])}</h3>'
                      f'<p>{esc(f["pesan"])}</p>{table}</div>')
    heading = esc(_("Refused sources ({count})").format(count=len(files)))
    return f'<section id="ditolak"><h2>{heading}</h2><p class="lead">{about}</p>{"".join(blocks)}</section>'


CSS = f"""
*{{box-sizing:border-box}}
body{{margin:0;background:#f3f5f7;color:{INK};font-family:{FONT};font-size:14px;line-height:1.4}}
main{{max-width:1240px;margin:0 auto;padding:20px 24px 40px}}
section{{background:#fff;border-radius:10px;padding:18px 22px;margin:16px 0;box-shadow:0 1px 2px rgba(0,0,0,.06)}}
h1{{font-size:28px;margin:2px 0 4px}}
h2{{font-size:19px;margin:0 0 6px}}
h3{{font-size:15px;margin:12px 0 4px}}
.top{{display:flex;flex-wrap:wrap;justify-content:space-between;gap:18px 24px;align-items:stretch;background:#fff;
  border-radius:10px;padding:20px 24px;box-shadow:0 1px 2px rgba(0,0,0,.06)}}
.who{{flex:1 1 360px;min-width:0}}
.eyebrow{{color:{MUTED};font-size:12px;text-transform:uppercase;letter-spacing:.06em}}
.sub{{font-size:18px;color:#3d4852;margin-bottom:12px}}
.kpis{{display:flex;flex-wrap:wrap;gap:14px;align-items:stretch}}
.kpis.row{{margin:6px 0 12px}}
.kpis.row .kpi{{min-width:0;flex:1 1 0}}
.kpi{{border:1px solid #dfe3e8;border-radius:10px;padding:12px 16px;min-width:200px}}
.kpi.nko{{border-width:3px;text-align:center;min-width:250px}}
.kpi-label{{font-size:12px;color:{MUTED}}}
.kpi-value{{font-size:28px;font-weight:700}}
.kpi.small .kpi-value{{font-size:24px}}
.kpi-value.sm{{font-size:20px;margin-top:10px}}
.kpi-note{{font-size:12px;color:{MUTED};margin-top:4px}}
.nko-value{{font-size:46px;font-weight:800;line-height:1.1;margin:4px 0}}
.predikat{{display:inline-block;color:#fff;font-weight:700;border-radius:999px;padding:3px 16px;font-size:16px}}
.chips,.legend{{display:flex;flex-wrap:wrap;gap:6px 14px;margin:6px 0 10px}}
.chip{{font-size:12.5px;color:#3d4852;display:inline-flex;align-items:center;gap:6px}}
.dot{{width:11px;height:11px;border-radius:3px;display:inline-block}}
.line{{width:18px;height:3px;display:inline-block}}
.line.dashed{{height:0;border-top:2px dashed}}
.badge{{display:inline-block;border-radius:999px;padding:2px 9px;font-size:12px;font-weight:600;white-space:nowrap}}
.lead{{color:#3d4852;margin:0 0 8px;max-width:980px}}
.note{{font-size:11.5px;color:{MUTED}}}
.empty{{color:{MUTED};font-style:italic}}
.ok{{color:#1b7a3d;font-weight:600}}
table{{border-collapse:collapse;width:100%}}
th{{text-align:left;font-size:12px;color:{MUTED};font-weight:600;border-bottom:2px solid #dfe3e8;padding:6px 6px}}
td{{padding:5px 6px;border-bottom:1px solid #edf0f2;vertical-align:middle}}
.num{{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}}
.strong{{font-weight:700}}
.code{{font-family:"DejaVu Sans Mono","Liberation Mono",monospace;font-size:12px;white-space:nowrap}}
.mono{{font-family:"DejaVu Sans Mono","Liberation Mono",monospace;font-size:12px}}
.scroll,.figure{{overflow-x:auto;max-width:100%}}
.ikutab{{table-layout:fixed;min-width:980px}}
.c-code{{width:62px}}.c-target{{width:66px}}.c-real{{width:104px}}.c-cap{{width:78px}}.c-bar{{width:176px}}
.c-krit{{width:178px}}.c-trend{{width:164px}}
.c-no{{width:34px}}.c-ro{{width:150px}}.c-pagu{{width:130px}}.c-pct{{width:92px}}.c-ie{{width:56px}}.c-kat{{width:120px}}
.ikutab .name{{font-size:13px}}
.satuan{{color:{MUTED};font-size:11px;white-space:nowrap}}
.satuan::before{{content:"· "}}
tr.ss td{{background:#eef2f6;font-weight:600;font-size:13px;border-top:10px solid #fff;padding:7px 6px}}
tr.ss .note{{font-weight:400}}
.ss-code{{display:inline-block;background:#3d5a80;color:#fff;border-radius:4px;padding:0 6px;font-size:11px;
  margin-right:4px}}
tr.off td{{color:#7b858f}}
.barcell svg{{display:block}}
.warn{{color:#b35c00;font-size:11px;white-space:nowrap}}
svg{{max-width:100%;height:auto;font-family:{FONT}}}
svg.chart{{display:block}}
.split{{display:flex;gap:24px;align-items:flex-start}}
.split>div:first-child{{flex:0 0 auto}}
.split>div:last-child{{flex:1 1 auto;min-width:0}}
.data{{font-size:12.5px}}
.mini th{{border:none;color:#3d4852;font-size:13px;font-weight:400;padding:6px 10px 6px 0}}
.mini td{{font-size:14px}}
.offtrack{{font-size:13px;margin-top:4px}}
.offtrack ul{{margin:4px 0 0;padding-left:18px}}
.offtrack li{{margin:3px 0}}
.attention{{margin:4px 0;padding-left:18px}}
.attention li{{margin:4px 0}}
.ro{{min-width:860px}}
.ro td:nth-child(3){{font-size:12.5px}}
.sla{{min-width:680px}}
.findings{{min-width:640px}}
.findings td{{overflow-wrap:anywhere}}
.zones ul{{list-style:none;margin:4px 0 8px;padding:0}}
.zones li{{margin:4px 0;font-size:12.5px;color:#3d4852}}
.zones p.note{{margin:4px 0 0;max-width:520px}}
.zones .range{{white-space:nowrap}}
.zone-key{{display:inline-flex;align-items:center;justify-content:center;width:20px;height:14px;border:1px solid;
  border-radius:3px;margin-right:6px;vertical-align:-2px}}
.zone-key .dot{{width:8px;height:8px;border-radius:50%}}
.hists{{display:grid;grid-template-columns:repeat(3,1fr);gap:10px;margin:6px 0 12px}}
.sla td,.sla th{{vertical-align:top}}
tr.total td{{font-weight:700;border-top:2px solid #dfe3e8}}
.refused{{border-left:4px solid #c62828;padding:2px 0 2px 14px;margin:10px 0}}
.refused h3{{color:#c62828}}
footer{{color:{MUTED};font-size:12px;text-align:center;margin-top:18px}}
code{{font-size:12px}}
@media (max-width:700px){{
  main{{padding:10px 8px 28px}}
  section{{padding:14px 12px;margin:10px 0}}
  .top{{flex-direction:column;padding:14px 12px}}
  .who{{flex:none}}
  h1{{font-size:24px}}
  .kpis{{flex-direction:column}}
  .kpi,.kpi.nko{{min-width:0}}
  .kpis.row{{flex-direction:row}}
  .kpis.row .kpi{{flex:1 1 140px}}
  .split{{flex-direction:column;align-items:stretch}}
  .split>div:first-child{{flex:none}}
  .budget svg.chart{{min-width:540px}}
  .hists{{grid-template-columns:1fr}}
  .zones .range{{white-space:normal}}
}}
@page{{size:A4;margin:12mm 10mm 13mm}}
@media print{{
  html{{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
  body{{background:#fff;font-size:11px}}
  main{{max-width:none;padding:0}}
  section,.top{{box-shadow:none;border-radius:0;padding:0;margin:0 0 6mm}}
  #anggaran,#sla,#ditolak,#efisiensi>.split{{break-inside:avoid}}
  #efisiensi{{break-before:page}}
  h1{{font-size:22px}}
  h2{{font-size:16px}}
  h2,h3,.lead,.legend{{break-after:avoid}}
  .scroll,.figure{{overflow:visible}}
  .ikutab,.ro,.sla,.findings{{min-width:0}}
  tr,.kpi,.kpis,.figure,.zones,.refused,.hists>div,.split>div,.mini,.notice{{break-inside:avoid}}
  thead{{display:table-header-group}}
  .split{{display:block}}
  .split>div+div{{margin-top:8px}}
  #efisiensi>.split{{display:flex;gap:14px}}
  #efisiensi>.split>div+div{{margin-top:0}}
  .scatter{{width:58%}}
  .scatter .zones li{{font-size:10px}}
  .kpi{{padding:8px 10px}}
  .kpis.row .kpi-value{{font-size:20px}}
  .hists{{grid-template-columns:repeat(2,1fr)}}
  .sla td:first-child{{width:30%}}
  .sla th.num{{white-space:normal}}
  .ro td:nth-child(3){{font-size:10.5px}}
  tr.ss td{{font-size:11px;border-top-width:6px;padding:4px}}
  .note{{font-size:9.5px}}
  .data{{font-size:10px}}
  .code,.mono{{font-size:10px}}
  .ikutab .name{{font-size:10.5px}}
  .satuan{{font-size:9px}}
  .ikutab th{{font-size:10px}}
  .ikutab td{{padding:3px 4px}}
  .badge{{white-space:normal;font-size:9.5px;padding:1px 6px}}
  .warn{{display:block;font-size:9px}}
  .ro .badge{{white-space:nowrap}}
  .ro td,.ro th{{padding:3px 4px}}
  .c-code{{width:50px}}.c-target{{width:46px}}.c-real{{width:62px}}.c-cap{{width:54px}}.c-bar{{width:92px}}
  .c-krit{{width:80px}}.c-trend{{width:116px}}
  .c-no{{width:24px}}.c-ro{{width:100px}}.c-pagu{{width:86px}}.c-pct{{width:58px}}.c-ie{{width:38px}}.c-kat{{width:76px}}
  .barcell svg,.spark{{width:100%;height:auto}}
}}
"""


CSS_HELD = """
.notice{background:#fff4e5;border:2px solid #e8590c;border-radius:10px;padding:14px 22px;margin:0 0 16px}
.notice h2{color:#b33d0a;margin:0 0 6px}
.notice p{margin:6px 0;max-width:1100px}
.held{background:#fff1c2;border-radius:3px;padding:0 2px}
.held.no_data{background:#fde0d2}
.mark{color:#b33d0a;font-weight:700;font-size:10px;margin-left:1px}
.predikat .held,.nko-value .held{background:none;padding:0}
.predikat .mark{color:#fff}
.held-note{font-size:12px;color:#8a4b00;margin:2px 0 8px}
"""


def render_html(published: Path, kode_satker: str, tahun: int, bulan: int, run_id: str | None = None) -> str:
    """The page as a string (see `write_html`)."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        key = (str(kode_satker), int(tahun), int(bulan))
        data = load(con, [key], run_id)[key]
    finally:
        con.close()
    return render(data, Path(published).name)


def render(d: ReportData, source: str) -> str:
    """The page of one satker-month from its report data; `source` names the published file in the footer."""
    nko, iku = d.first("nko"), d.rows("capaian_iku")
    if nko is None and not iku:
        raise LookupError(_("{source}: nothing published for satker {satker}, {period}").format(
            source=source, satker=d.kode_satker, period=periode(d.tahun, d.bulan)))
    anggaran, plan = d.first("anggaran_satker"), d.rows("rencana_penarikan")
    parts = [_notice(d), _header(d, nko, iku, anggaran, plan), _indikator(d, iku, d.rows("nilai_sasaran")),
             _anggaran(d, anggaran, plan), _efisiensi(d), _sla(d), _ditolak(d)]
    nama = (nko or {}).get("nama_satker") or d.kode_satker
    kode_satker, tahun, bulan = d.key
    title = f"Laporan Kinerja {nama} — {periode(tahun, bulan)}"
    footer = _("Computed by sakip from {source} · satker {satker} · period {period} · figures rounded to 2 decimals "
               "for display").format(source=source, satker=kode_satker, period=f"{tahun}-{bulan:02d}")
    css = CSS + CSS_HELD if d.freshness else CSS  # the marks' styles only where something is held back
    return f"""<!DOCTYPE html>
<html lang="{language()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>{css}</style>
</head>
<body>
<main>
{"".join(parts)}
<footer>{esc(footer)}</footer>
</main>
</body>
</html>
"""


def write_html(published: Path, kode_satker: str, tahun: int, bulan: int, path: Path,
               run_id: str | None = None) -> Path:
    """Write the report of one satker and period to `path` (replaced atomically); returns `path`."""
    return save(render_html(Path(published), kode_satker, tahun, bulan, run_id), Path(path))


def save(page: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # not mkstemp: its file is 0600 whatever the umask, and planners on other accounts must open the page
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(page)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
