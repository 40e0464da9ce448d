"""The Laporan Kinerja of one satker and period as a single self-contained HTML page (issue 6), read from the
published file, for a head of unit to read at a glance.

One file, nothing fetched: inline CSS, charts as inline SVG drawn here, no JavaScript, no fonts or images from
anywhere, so it opens the same from a mail attachment, a shared folder or a laptop with no network. Every text
that comes from the data (names of units, indicators, ROs, laboratories, files, findings) is escaped: names come
from source files. Numbers are shown in the Indonesian formats of `sakip.report.format`.

The page shows:
- the unit, the period, the NKO and its predikat;
- every indicator grouped by sasaran: target, realisasi, capaian with a bar against the 100 % line, its
  kriteria colour, and a sparkline of its capaian in every month of the year up to the period that the
  published file holds (months not measured are gaps); rows carry `data-iku="<kode>"`;
- budget: cumulative RPD plan against cumulative realisasi per month, and % realisasi against RO pagu, DIPA
  and DIPA net of blokir;
- efficiency per RO: % realisasi anggaran against % capaian output with the IE = 1 diagonal, and IE/TE/kategori;
- SLA of laboratory testing: a histogram of working days per commodity group with the limit marked, and the
  counts per status;
- the sources refused in the run (the given run, else the latest) with their findings.

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

from sakip.report.data import ReportData, load
from sakip.report.format import BULAN, angka, periode, persen, rupiah, tanggal
from sakip.warehouse.db import reference_dir, reference_file

BULAN_PENDEK = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]

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
STATUS_SLA = {  # order of stacking, label, colour
    "tepat_waktu": ("Tepat Waktu", "#1b7a3d"),
    "terlambat": ("Terlambat", "#c62828"),
    "lewat_batas": ("Lewat Batas (belum LHU)", "#e8590c"),
    "dalam_proses": ("Dalam Proses", "#8a94a0"),
}

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
        return angka(value / 1e9, 1 if value % 1e9 else 0) + " M"
    return angka(value / 1e6, 0) + " jt"


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


@functools.lru_cache(maxsize=64)
def _kriteria(folder: Path, tahun: int) -> tuple[Band, ...]:
    """The kriteria bands of the profile that applies to `tahun` (its own, else the latest earlier one), from
    the highest down, read from the installation's reference folder."""
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
    chips.append(f'<span class="chip"><span class="dot" style="background:{TIDAK_DIUKUR[0]}"></span>'
                 f'- tidak diukur</span>')
    return "".join(chips)


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
    label = "tidak diukur" if capaian is None else f"capaian {persen(capaian)} (garis: 100%)"
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
        parts.append(_text(x(m), SPARK_H - 2, BULAN[m - 1][0], "middle", 8, colour,
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
    label = "; ".join(f"{BULAN_PENDEK[m - 1]} {persen(values.get(m))}" for m in range(1, bulan + 1)
                      if m in values)
    return _svg(SPARK_W, SPARK_H, f"<title>{esc(label)}</title>" + "".join(parts),
                "tren capaian: " + label, "spark")


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
        parts.append(_text(x(m), H - bottom + 18, BULAN_PENDEK[m - 1], "middle",
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
    parts.append(_text(14, top + ph / 2, "rupiah (M = miliar)", "middle", 10,
                       extra=f' transform="rotate(-90 14 {_f(top + ph / 2)})"'))
    return _svg(W, H, "".join(parts), "penyerapan anggaran kumulatif: rencana (RPD) dan realisasi per bulan")


def _scatter(points: list[tuple[int, float, float, str | None]]) -> str:
    """(no, % realisasi anggaran, % capaian output, kategori) with the IE = 1 diagonal. Points closer than a
    few pixels share one label; labels are placed where they cover no other point or label."""
    W, H = 520, 470
    left, right, top, bottom = 52, 18, 16, 46
    pw, ph = W - left - right, H - top - bottom
    hi = max([110.0, *(p[1] for p in points), *(p[2] for p in points)])
    hi = 10 * math.ceil(hi / 10)

    def x(v: float) -> float:
        return left + pw * v / hi

    def y(v: float) -> float:
        return top + ph * (1 - v / hi)

    parts = [f'<path d="M{_f(x(0))} {_f(y(0))} L{_f(x(0))} {_f(y(hi))} L{_f(x(hi))} {_f(y(hi))} Z" '
             f'fill="#eaf5ee"/>',
             f'<path d="M{_f(x(0))} {_f(y(0))} L{_f(x(hi))} {_f(y(0))} L{_f(x(hi))} {_f(y(hi))} Z" fill="#fcefe8"/>']
    for t in range(0, int(hi) + 1, 20):
        parts.append(f'<line x1="{_f(x(t))}" x2="{_f(x(t))}" y1="{top}" y2="{top + ph}" stroke="#fff"/>')
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{_f(y(t))}" y2="{_f(y(t))}" stroke="#fff"/>')
        parts.append(_text(x(t), top + ph + 16, f"{t}%", "middle"))
        parts.append(_text(left - 6, y(t) + 4, f"{t}%", "end"))
    parts.append(f'<line x1="{_f(x(0))}" y1="{_f(y(0))}" x2="{_f(x(hi))}" y2="{_f(y(hi))}" stroke="{INK}" '
                 f'stroke-width="1.4" stroke-dasharray="6 4"/>')
    lx, ly, angle = x(hi * 0.36) + 4, y(hi * 0.36) + 14, math.degrees(math.atan2(ph, pw))
    parts.append(_text(lx, ly, "IE = 1", "start", 12, INK, "bold",
                       f' transform="rotate(-{_f(angle)} {_f(lx)} {_f(ly)})"'))
    parts.append(_text(x(3), y(hi * 0.62), "output > anggaran (IE > 1)", fill="#1b7a3d", size=11))
    parts.append(_text(x(hi) - 6, y(0) - 8, "output < anggaran (IE < 1)", "end", 11, "#b33d0a"))
    parts.append(_text(left + pw / 2, H - 8, "% realisasi anggaran", "middle", 12, INK))
    parts.append(_text(14, top + ph / 2, "% capaian output", "middle", 12, INK,
                       extra=f' transform="rotate(-90 14 {_f(top + ph / 2)})"'))
    px = [(no, x(xv), y(yv), kat) for no, xv, yv, kat in points]
    clusters = _clusters(px, 14)
    for no, cx, cy, kat in px:
        parts.append(f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="5.5" fill="{EFISIENSI.get(kat or "", "#8a94a0")}" '
                     f'stroke="#fff" stroke-width="1.2"><title>{esc(f"RO {no}")}</title></circle>')
    boxes: list[tuple[float, float, float, float]] = [(cx - 6, cy - 6, cx + 6, cy + 6) for _, cx, cy, _ in px]
    for c in sorted(clusters, key=lambda c: min(p[1] for p in c)):
        label = ", ".join(str(p[0]) for p in sorted(c))
        w, h = 6.6 * len(label), 12.0
        x0c, x1c = min(p[1] for p in c), max(p[1] for p in c)
        y0c, y1c = min(p[2] for p in c), max(p[2] for p in c)
        ymid = (y0c + y1c) / 2
        candidates = [(x1c + 9, ymid - h / 2), (x0c - 9 - w, ymid - h / 2)]
        for k in range(4):
            candidates += [((x0c + x1c - w) / 2, y0c - 9 - h - 13 * k), ((x0c + x1c - w) / 2, y1c + 9 + 13 * k)]
        own = {(round(p[1] - 6, 1), round(p[2] - 6, 1)) for p in c}

        def clash(bx: float, by: float, w=w, h=h, own=own) -> bool:
            if bx < left or bx + w > W - 2 or by < 2 or by + h > top + ph:
                return True
            return any(not (bx + w < a or bx > b2 or by + h < b or by > d)
                       for a, b, b2, d in boxes if (round(a, 1), round(b, 1)) not in own)

        bx, by = next((cand for cand in candidates if not clash(*cand)), candidates[0])
        boxes.append((bx, by, bx + w, by + h))
        parts.append(_text(bx, by + h - 2, label, "start", 11, INK, "bold"))
    return _svg(W, H, "".join(parts), "matriks efisiensi: % realisasi anggaran terhadap % capaian output per RO")


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
             _text(W - right, 16, f"{len(rows)} sampel", "end", 11)]
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
            parts.append(f'<rect x="{_f(left + bw * hk + 0.5)}" y="{_f(y(base + k))}" width="{_f(bw - 1)}" '
                         f'height="{_f(y(base) - y(base + k))}" fill="{colour}"><title>{esc(f"{hk} HK: {k} {label}")}'
                         f'</title></rect>')
            base += k
    parts.append(f'<line x1="{_f(xb)}" x2="{_f(xb)}" y1="{top - 4}" y2="{top + ph}" stroke="{INK}" '
                 f'stroke-width="1.5" stroke-dasharray="4 3"/>')
    parts.append(_text(xb, top - 7, f"batas {batas} HK", "middle", 10, INK, "bold"))
    for t in range(0, hk_max + 1, 5):
        label = f"≥{t}" if t == hk_max and clipped else str(t)
        parts.append(_text(left + bw * (t + 0.5), top + ph + 14, label, "middle", 10))
    parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="#9aa3ad"/>')
    parts.append(_text(left + pw / 2, H - 6, "hari kerja (sejak diterima lab)", "middle", 10))
    return _svg(W, H, "".join(parts), f"sebaran hari kerja pengujian {name}")


# ---------------------------------------------------------------------------------------------------- sections

def _plan_ratio(plan: list[dict[str, Any]], bulan: int) -> tuple[float | None, float | None, float | None]:
    """(RPD s.d. the month, realisasi s.d. the month, realisasi as % of the plan)."""
    now = next((r for r in plan if r["bulan_rencana"] == bulan), None)
    if now is None:
        return None, None, None
    rencana, real = _num(now["rpd_kumulatif"]), _num(now["realisasi_kumulatif"])
    return rencana, real, (real / rencana * 100 if real is not None and rencana else None)


def _header(d: ReportData, nko: dict[str, Any] | None, iku: list[dict[str, Any]], anggaran: dict | None,
            plan: list[dict[str, Any]]) -> str:
    nama = (nko or {}).get("nama_satker") or d.kode_satker
    nilai = _num((nko or {}).get("nko"))
    predikat = (nko or {}).get("predikat")
    colour = PREDIKAT.get(predikat or "", "#8a94a0")
    missing = (nko or {}).get("profil_tidak_lengkap")
    profil_note = f'<div class="kpi-note">{esc(missing)}</div>' if missing and nilai is None else ""
    counts = Counter(r["kriteria"] for r in iku)
    palette = _palette(d.tahun)
    chips = []
    for label, (fill, _ink) in palette.items():
        if counts.get(label):
            chips.append(f'<span class="chip"><span class="dot" style="background:{fill}"></span>'
                         f'{esc(label)} <b>{counts[label]}</b></span>')
    if counts.get(None):
        chips.append(f'<span class="chip"><span class="dot" style="background:{TIDAK_DIUKUR[0]}"></span>'
                     f'Tidak diukur <b>{counts[None]}</b></span>')
    diukur = sum(1 for r in iku if r["diukur"])
    below = sorted((r for r in iku if _num(r["capaian"]) is not None and _num(r["capaian"]) < 100),
                   key=lambda r: _num(r["capaian"]))
    if below:
        items = "".join(f'<li><span class="code">{esc(r["kode_iku"])}</span> {esc(r["indikator"])} — '
                        f'<b>{esc(persen(_num(r["capaian"])))}</b> {_badge(r["kriteria"], palette.get(r["kriteria"]))}'
                        '</li>' for r in below[:6])
        more = f'<li class="note">… dan {len(below) - 6} lainnya</li>' if len(below) > 6 else ""
        offtrack = f'<div class="offtrack"><b>Di bawah target (capaian &lt; 100%)</b><ul>{items}{more}</ul></div>'
    elif diukur:
        offtrack = '<div class="offtrack ok">Semua indikator yang diukur mencapai targetnya.</div>'
    else:
        offtrack = ""
    budget = ""
    if anggaran:
        ratio = _plan_ratio(plan, d.bulan)[2]
        vs_plan = (f'<div class="kpi-value sm">{esc(persen(ratio))}</div><div class="kpi-note">dari rencana '
                   f'penarikan (RPD) s.d. {esc(BULAN[d.bulan - 1])}</div>' if ratio is not None else "")
        budget = (f'<div class="kpi"><div class="kpi-label">Realisasi anggaran s.d. {esc(periode(d.tahun, d.bulan))}'
                  f'</div><div class="kpi-value">{esc(persen(_num(anggaran["persen_terhadap_pagu_ro"])))}</div>'
                  f'<div class="kpi-note">dari pagu RO · {esc(rupiah(anggaran["realisasi"]))}</div>{vs_plan}</div>')
    return f"""
<header class="top">
  <div class="who">
    <div class="eyebrow">Badan Pengawas Obat dan Makanan · Satker {esc(d.kode_satker)}</div>
    <h1>{esc(nama)}</h1>
    <div class="sub">Laporan Kinerja — {esc(periode(d.tahun, d.bulan))}</div>
    <div class="chips">{"".join(chips)}</div>
    {offtrack}
  </div>
  <div class="kpis">
    <div class="kpi nko" style="border-color:{colour}">
      <div class="kpi-label">Nilai Kinerja Organisasi (NKO)</div>
      <div class="nko-value" style="color:{colour}">{esc(persen(nilai))}</div>
      <div class="predikat" style="background:{colour}">{esc(predikat or "belum dapat dinilai")}</div>
      <div class="kpi-note">{diukur} dari {len(iku)} indikator diukur</div>{profil_note}
    </div>
    {budget}
  </div>
</header>"""


def _indikator(d: ReportData, iku: list[dict[str, Any]], sasaran: list[dict[str, Any]]) -> str:
    trend: dict[str, dict[int, float | None]] = defaultdict(dict)
    for r in d.trend:
        trend[r["kode_iku"]][r["bulan"]] = _num(r["capaian"])
    months = sorted({m for t in trend.values() for m in t})
    nps = {s["kode_ss"]: s for s in sasaran}
    palette = _palette(d.tahun)
    chips = kriteria_legend(d.tahun)
    body = []
    current = object()
    for r in iku:
        if r["kode_ss"] != current:
            current = r["kode_ss"]
            s = nps.get(current, {})
            body.append(
                f'<tr class="ss" data-ss="{esc(current)}"><td colspan="4"><span class="ss-code">{esc(current)}</span> '
                f'{esc(r["sasaran"])}</td><td class="num">{esc(persen(_num(s.get("nps"))))}</td>'
                f'<td class="note">nilai pencapaian sasaran</td>'
                f'<td>{_badge(s.get("kriteria"), palette.get(s.get("kriteria")))}'
                f'</td><td></td></tr>')
        capaian = _num(r["capaian"])
        fill = palette.get(r["kriteria"] or "", TIDAK_DIUKUR)[0]
        realisasi = esc(angka(_num(r["realisasi"])))
        if r.get("selisih_sipt"):
            realisasi += (f' <span class="warn" title="Berbeda dengan hitungan dari SIPT: '
                          f'{esc(angka(_num(r["realisasi_sipt"])))}">'
                          f'⚠ SIPT {esc(angka(_num(r["realisasi_sipt"])))}</span>')
        note = ""
        if capaian is not None and r.get("normalisasi"):
            note = f'<div class="note">nilai akhir {esc(angka(_num(r["nilai_akhir"])))} (normalisasi)</div>'
        if capaian is None and r.get("keterangan"):
            note = f'<div class="note">{esc(r["keterangan"])}</div>'
        satuan = f'<span class="satuan">{esc(r["satuan"])}</span>' if r.get("satuan") else ""
        body.append(
            f'<tr class="iku{" off" if capaian is None else ""}" id="iku-{esc(r["kode_iku"])}" '
            f'data-iku="{esc(r["kode_iku"])}"><td class="code">{esc(r["kode_iku"])}</td>'
            f'<td class="name">{esc(r["indikator"])} {satuan}</td>'
            f'<td class="num">{esc(angka(_num(r["target"])))}</td><td class="num">{realisasi}</td>'
            f'<td class="num strong">{esc(persen(capaian))}</td>'
            f'<td class="barcell">{_capaian_bar(capaian, fill)}{note}</td>'
            f'<td>{_badge(r["kriteria"], palette.get(r["kriteria"]))}</td>'
            f'<td>{_sparkline(trend.get(r["kode_iku"], {}), d.bulan, fill)}</td></tr>')
    span = (f"{BULAN_PENDEK[months[0] - 1]}–{BULAN_PENDEK[months[-1] - 1]} {d.tahun}" if months else "-")
    return f"""
<section id="indikator">
  <h2>Capaian Indikator Kinerja Utama</h2>
  <p class="lead">Setiap indikator terhadap targetnya bulan {esc(periode(d.tahun, d.bulan))}, dikelompokkan per
  sasaran strategis. Batang: capaian pada skala 0–150% (garis putus-putus = 100%). Tren: capaian per bulan
  Januari–Desember yang ada di data ({esc(span)}); bulan tanpa pengukuran kosong.</p>
  <div class="legend">{chips}</div>
  <table class="ikutab">
    <colgroup><col style="width:62px"><col><col style="width:66px"><col style="width:104px"><col style="width:78px">
    <col style="width:176px"><col style="width:178px"><col style="width:164px"></colgroup>
    <thead><tr><th>Kode</th><th>Indikator</th><th class="num">Target</th><th class="num">Realisasi</th>
    <th class="num">Capaian</th><th>terhadap 100%</th><th>Kriteria</th><th>Tren {esc(d.tahun)}</th></tr></thead>
    <tbody>{"".join(body)}</tbody>
  </table>
</section>"""


def _anggaran(d: ReportData, anggaran: dict[str, Any] | None, plan: list[dict[str, Any]]) -> str:
    pagu_ro = _num(anggaran["pagu_ro"]) if anggaran else None
    cards = ""
    if anggaran:
        netto = None
        if anggaran["pagu_dipa"] is not None and anggaran["blokir"] is not None:
            netto = anggaran["pagu_dipa"] - anggaran["blokir"]
        cards = "".join(
            f'<div class="kpi small"><div class="kpi-label">{esc(label)}</div>'
            f'<div class="kpi-value">{esc(persen(_num(anggaran[col])))}</div>'
            f'<div class="kpi-note">{esc(rupiah(anggaran["realisasi"]))} dari {esc(rupiah(base))}</div></div>'
            for label, col, base in (("terhadap pagu RO", "persen_terhadap_pagu_ro", anggaran["pagu_ro"]),
                                     ("terhadap DIPA", "persen_terhadap_dipa", anggaran["pagu_dipa"]),
                                     ("terhadap DIPA dikurangi blokir", "persen_terhadap_dipa_netto", netto)))
    else:
        cards = '<p class="empty">Belum ada realisasi anggaran (SAKTI) untuk periode ini.</p>'
    chart = '<p class="empty">Tidak ada rencana penarikan dana (POK) untuk tahun ini.</p>'
    summary = ""
    if plan:
        chart = _budget_chart(plan, d.bulan, pagu_ro)
        rencana, real, ratio_value = _plan_ratio(plan, d.bulan)
        if rencana is not None:
            ratio = persen(ratio_value)
            summary = (f'<table class="mini"><tr><th>Rencana (RPD) s.d. {esc(periode(d.tahun, d.bulan))}</th>'
                       f'<td class="num">{esc(rupiah(rencana))}</td></tr>'
                       f'<tr><th>Realisasi s.d. {esc(periode(d.tahun, d.bulan))}</th>'
                       f'<td class="num">{esc(rupiah(real))}</td></tr>'
                       f'<tr><th>Realisasi terhadap rencana</th><td class="num strong">{esc(ratio)}</td></tr>'
                       f'<tr><th>RPD setahun</th><td class="num">{esc(rupiah(_num(plan[-1]["rpd_kumulatif"])))}'
                       f'</td></tr></table>')
    legend = ('<div class="legend"><span class="chip"><span class="line" style="background:#3d5a80"></span>'
              'Rencana penarikan dana (RPD) kumulatif</span><span class="chip"><span class="dot" '
              'style="background:#e8590c"></span>Realisasi kumulatif (bulan dengan ekspor SAKTI)</span>'
              + ('<span class="chip"><span class="line dashed" style="border-color:#7b4fc4"></span>Pagu RO</span>'
                 if pagu_ro else "") + '</div>')
    return f"""
<section id="anggaran">
  <h2>Penyerapan Anggaran</h2>
  <div class="kpis row">{cards}</div>
  <div class="split">
    <div>{legend}{chart}</div>
    <div>{summary}</div>
  </div>
</section>"""


def _efisiensi(d: ReportData) -> str:
    rows = d.rows("efisiensi")
    if not rows:
        return ('<section id="efisiensi"><h2>Efisiensi Anggaran per RO</h2><p class="empty">Tidak ada data '
                'efisiensi untuk periode ini.</p></section>')
    ro = {r["kode_ro"]: r for r in d.rows("realisasi_anggaran")}
    points, body = [], []
    for no, r in enumerate(rows, 1):
        xo, yo = _num(r["persen_realisasi_anggaran"]), _num(r["persen_capaian_output"])
        if xo is not None and yo is not None and _num(r["ie"]) is not None:
            points.append((no, xo, yo, r["kategori"]))
        kat = r["kategori"]
        badge = _badge(kat, (EFISIENSI[kat], "#fff")) if kat in EFISIENSI else _badge(kat)
        a = ro.get(r["kode_ro"], {})
        body.append(
            f'<tr data-ro="{esc(r["kode_ro"])}"><td class="num">{no}</td><td class="code">{esc(r["kode_ro"])}</td>'
            f'<td>{esc(r["uraian"])}</td><td class="num">{esc(rupiah(a.get("pagu")))}</td>'
            f'<td class="num">{esc(persen(xo))}</td><td class="num">{esc(persen(yo))}</td>'
            f'<td class="num">{esc(angka(_num(r["ie"])))}</td><td class="num">{esc(angka(_num(r["te"])))}</td>'
            f'<td>{badge}</td></tr>')
    missing = len(rows) - len(points)
    note = (f'<p class="note">{missing} RO tidak dapat dinilai (capaian output atau realisasi anggaran tidak ada '
            f'atau nol) dan tidak digambar.</p>' if missing else "")
    count = Counter(r["kategori"] for r in rows)
    cards = "".join(
        f'<div class="kpi small"><div class="kpi-label">{esc(label)}</div><div class="kpi-value" '
        f'style="color:{colour}">{count.get(key, 0)}</div><div class="kpi-note">RO</div></div>'
        for key, label, colour in (("Efisien", "Efisien", EFISIENSI["Efisien"]),
                                   ("Tidak Efisien", "Tidak Efisien", EFISIENSI["Tidak Efisien"]),
                                   (None, "Tidak dapat dinilai", MUTED)))
    perhatian = []
    for no, r in enumerate(rows, 1):
        ie = _num(r["ie"])
        if r["kategori"] != "Tidak Efisien" or ie is None:
            continue
        why = ("capaian output tertinggal dari serapan anggaran" if ie < 1
               else "serapan anggaran jauh di bawah capaian output")
        perhatian.append(f'<li><b>{no}.</b> {esc(r["uraian"])} <span class="note">IE {esc(angka(ie))}: '
                         f'{esc(why)}</span></li>')
    attention = (f'<h3>Perlu perhatian</h3><ul class="attention">{"".join(perhatian)}</ul>' if perhatian else "")
    return f"""
<section id="efisiensi">
  <h2>Efisiensi Anggaran per RO</h2>
  <p class="lead">Indeks efisiensi IE = % capaian output ÷ % realisasi anggaran; TE = IE − 1. Titik di atas garis
  diagonal menghasilkan output lebih besar dari anggaran yang diserap. Nomor titik = nomor baris tabel.</p>
  <div class="split">
    <div>{_scatter(points)}
      <div class="legend">{"".join(f'<span class="chip"><span class="dot" style="background:{c}"></span>{esc(k)}</span>'
                                   for k, c in EFISIENSI.items())}</div>{note}</div>
    <div><div class="kpis row">{cards}</div>{attention}</div>
  </div>
  <table class="data ro">
    <colgroup><col style="width:34px"><col style="width:150px"><col><col style="width:130px">
    <col style="width:96px"><col style="width:86px"><col style="width:56px"><col style="width:56px">
    <col style="width:120px"></colgroup>
    <thead><tr><th class="num">No</th><th>Kode RO</th><th>Uraian</th><th class="num">Pagu</th>
    <th class="num">% Anggaran</th><th class="num">% Output</th><th class="num">IE</th><th class="num">TE</th>
    <th>Kategori</th></tr></thead>
    <tbody>{"".join(body)}</tbody></table>
</section>"""


def _sla(d: ReportData) -> str:
    rows = sorted(d.rows("sla_pengujian"), key=lambda r: (_last(r["komoditi"]), _last(r["kode_sampel"])))
    if not rows:
        return ('<section id="sla"><h2>Waktu Pengujian Sampel (SLA)</h2><p class="empty">Tidak ada data pengujian '
                'sampel (SIPT) untuk periode ini.</p></section>')
    group_of = {k: g for g, ks in KELOMPOK_KOMODITI.items() for k in ks}
    groups: dict[str, list[dict[str, Any]]] = {g: [] for g in KELOMPOK_KOMODITI}
    for r in rows:
        groups.setdefault(group_of.get(r["komoditi"], "Lainnya"), []).append(r)
    groups = {g: rs for g, rs in groups.items() if rs}
    batas_all = Counter(r["batas_hari_kerja"] for r in rows if r["batas_hari_kerja"] is not None)
    batas = batas_all.most_common(1)[0][0] if batas_all else 15
    longest = max((r["hari_kerja"] or 0) for r in rows)
    hk_max = max(batas + 10, min(longest, 2 * batas + 10))
    charts = "".join(f'<div>{_histogram(g, rs, batas, hk_max)}</div>' for g, rs in groups.items())
    body = []
    for g, rs in groups.items():
        c = Counter(r["status"] for r in rs)
        selesai = c["tepat_waktu"] + c["terlambat"]
        hks = sorted(r["hari_kerja"] for r in rs if r["hari_kerja"] is not None and r["tanggal_lhu"] is not None)
        median = None
        if hks:
            mid = len(hks) // 2
            median = hks[mid] if len(hks) % 2 else (hks[mid - 1] + hks[mid]) / 2
        komoditi = ", ".join(sorted({r["komoditi"] for r in rs}))
        body.append(
            f'<tr><td><b>{esc(g)}</b><div class="note">{esc(komoditi)}</div></td><td class="num">{len(rs)}</td>'
            + "".join(f'<td class="num">{c[s]}</td>' for s in STATUS_SLA)
            + f'<td class="num strong">{esc(persen(c["tepat_waktu"] / selesai * 100 if selesai else None))}</td>'
            f'<td class="num">{esc(angka(median, 1))}</td></tr>')
    total = Counter(r["status"] for r in rows)
    selesai = total["tepat_waktu"] + total["terlambat"]
    body.append(f'<tr class="total"><td>Jumlah</td><td class="num">{len(rows)}</td>'
                + "".join(f'<td class="num">{total[s]}</td>' for s in STATUS_SLA)
                + f'<td class="num strong">{esc(persen(total["tepat_waktu"] / selesai * 100 if selesai else None))}'
                f'</td><td></td></tr>')
    legend = "".join(f'<span class="chip"><span class="dot" style="background:{c}"></span>{esc(label)}</span>'
                     for label, c in STATUS_SLA.values())
    return f"""
<section id="sla">
  <h2>Waktu Pengujian Sampel (SLA {batas} hari kerja)</h2>
  <p class="lead">Sampel yang diterima laboratorium sejak Januari s.d. {esc(periode(d.tahun, d.bulan))}: hari kerja
  dari penerimaan di laboratorium sampai LHU terbit (untuk sampel yang masih diuji: sampai akhir periode).</p>
  <div class="legend">{legend}</div>
  <div class="hists">{charts}</div>
  <table class="data sla">
    <thead><tr><th>Kelompok komoditi</th><th class="num">Sampel</th>
    {"".join(f'<th class="num">{esc(label)}</th>' for label, _ in STATUS_SLA.values())}
    <th class="num">% tepat waktu<div class="note">dari LHU terbit</div></th><th class="num">Median HK
    <div class="note">LHU terbit</div></th></tr></thead>
    <tbody>{"".join(body)}</tbody>
  </table>
</section>"""


def _ditolak(d: ReportData) -> str:
    run, files = d.run, d.refused
    if run is None:
        return ('<section id="ditolak"><h2>Sumber yang Ditolak</h2><p class="empty">Belum ada run yang tercatat.'
                '</p></section>')
    run_id = run["run_id"]
    when = run.get("started_at")
    about = (f'Run <code>{esc(run_id)}</code>'
             + (f', periode {esc(run["periode"])}' if run.get("periode") else "")
             + (f', dimulai {esc(tanggal(when.date()))} {esc(when.strftime("%H:%M"))}'
                if isinstance(when, dt.datetime) else ""))
    if not files:
        return (f'<section id="ditolak"><h2>Sumber yang Ditolak</h2><p class="lead">{about}</p>'
                f'<p class="ok">Tidak ada sumber yang ditolak</p></section>')
    blocks = []
    for f in files:
        findings = f["findings"]
        rows = "".join(
            f'<tr><td class="num">{esc("-" if x["baris"] is None else x["baris"])}</td><td>{esc(x["kolom"])}</td>'
            f'<td class="mono">{esc(x["nilai"])}</td><td>{esc(x["pemeriksaan"])}</td><td>{esc(x["pesan"])}</td></tr>'
            for x in findings[:MAX_FINDINGS])
        more = (f'<p class="note">… dan {len(findings) - MAX_FINDINGS} temuan lain (lihat audit.validation_failures).'
                f'</p>' if len(findings) > MAX_FINDINGS else "")
        table = (f'<table class="data findings"><thead><tr><th class="num">Baris</th><th>Kolom</th><th>Nilai</th>'
                 f'<th>Pemeriksaan</th><th>Pesan</th></tr></thead><tbody>{rows}</tbody></table>{more}'
                 if findings else '<p class="note">Tidak ada temuan per baris.</p>')
        blocks.append(f'<div class="refused" data-file="{esc(f["nama_file"])}"><h3>✖ {esc(f["nama_file"])}</h3>'
                      f'<p>{esc(f["pesan"])}</p>{table}</div>')
    return (f'<section id="ditolak"><h2>Sumber yang Ditolak ({len(files)})</h2><p class="lead">{about}</p>'
            f'{"".join(blocks)}</section>')


CSS = f"""
*{{box-sizing:border-box}}
body{{margin:0;background:#f3f5f7;color:{INK};font-family:{FONT};font-size:14px;line-height:1.4}}
main{{max-width:1240px;margin:0 auto;padding:20px 24px 40px}}
section{{background:#fff;border-radius:10px;padding:18px 22px;margin:16px 0;box-shadow:0 1px 2px rgba(0,0,0,.06)}}
h1{{font-size:28px;margin:2px 0 4px}}
h2{{font-size:19px;margin:0 0 6px}}
h3{{font-size:15px;margin:12px 0 4px}}
.top{{display:flex;justify-content:space-between;gap:24px;align-items:stretch;background:#fff;border-radius:10px;
  padding:20px 24px;box-shadow:0 1px 2px rgba(0,0,0,.06)}}
.eyebrow{{color:{MUTED};font-size:12px;text-transform:uppercase;letter-spacing:.06em}}
.sub{{font-size:18px;color:#3d4852;margin-bottom:12px}}
.kpis{{display:flex;gap:14px;align-items:stretch}}
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
.ikutab{{table-layout:fixed}}
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
.ro td:nth-child(3){{font-size:12.5px}}
.hists{{display:grid;grid-template-columns:repeat(3,1fr);gap:10px;margin:6px 0 12px}}
.sla td,.sla th{{vertical-align:top}}
tr.total td{{font-weight:700;border-top:2px solid #dfe3e8}}
.refused{{border-left:4px solid #c62828;padding:2px 0 2px 14px;margin:10px 0}}
.refused h3{{color:#c62828}}
footer{{color:{MUTED};font-size:12px;text-align:center;margin-top:18px}}
code{{font-size:12px}}
@media print{{body{{background:#fff}} section,.top{{box-shadow:none;break-inside:avoid}}}}
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
        raise LookupError(f"{source}: nothing published for satker {d.kode_satker}, {periode(d.tahun, d.bulan)}")
    anggaran, plan = d.first("anggaran_satker"), d.rows("rencana_penarikan")
    parts = [_header(d, nko, iku, anggaran, plan), _indikator(d, iku, d.rows("nilai_sasaran")),
             _anggaran(d, anggaran, plan), _efisiensi(d), _sla(d), _ditolak(d)]
    nama = (nko or {}).get("nama_satker") or d.kode_satker
    kode_satker, tahun, bulan = d.key
    title = f"Laporan Kinerja {nama} — {periode(tahun, bulan)}"
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>{CSS}</style>
</head>
<body>
<main>
{"".join(parts)}
<footer>Dihitung oleh sakip dari {esc(source)} · satker {esc(kode_satker)} · periode
{esc(f"{tahun}-{bulan:02d}")} · angka dibulatkan 2 desimal untuk tampilan</footer>
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
