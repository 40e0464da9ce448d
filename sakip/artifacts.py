"""What a person sees of a run in the Prefect UI, as plain functions the flows wrap: the run's summary and
the refused rows (monthly), and table 3.1 of each satker (quarterly). In the language of the run, numbers
formatted for its locale (105,73; Rp 1.601.792.883)."""
from __future__ import annotations

import re

import duckdb

from sakip.findings import printable
from sakip.i18n import _
from sakip.report.format import angka, persen

REFUSED_ROWS = 200  # rows of each refused file in the table artifact
# what gives text a meaning inside a markdown line: emphasis, code, links and images, HTML, a table's columns
# (each line starts with our own "- " or "| ", so a '#' or a number further on opens nothing)
_MARKDOWN = re.compile(r"[\\`*_\[\]<>|~]")


def _cell(text: object) -> str:
    """Text from a file in markdown: control characters written as escapes (a newline or carriage return would
    open a row or a line), then the characters markdown gives a meaning escaped (a '|' would open a column)."""
    return _MARKDOWN.sub(r"\\\g<0>", printable(str(text)))


def summary_markdown(result) -> str:
    """The run's summary: what went wrong first (refused sources, tables held back), then each satker."""
    period = f"{result.tahun}-{result.bulan:02d}"
    lines = [f"# sakip {period}", ""]
    refused = result.refused
    if refused:
        lines += [_("**{count} source(s) refused**: the figures that need them keep their last good version, "
                    "or have no data yet. Send a corrected export; the next run takes it.").format(
            count=len(refused)), ""]
        lines += [f"- {_cell(o.summary())}" for o in refused]
        lines.append("")
    header = [_("satker"), "NKO", _("predikat"), _("measured"), _("budget")]
    lines += ["| " + " | ".join(header) + " |", "|---|---|---|---|---|"]
    for s in result.satkers:
        budget = "-" if s.persen_realisasi is None else _("{percent} of RO pagu").format(
            percent=persen(s.persen_realisasi))
        measured = _("{measured} of {total}").format(measured=s.jumlah_diukur, total=s.jumlah_iku)
        lines.append(f"| {_cell(s.kode_satker + ' ' + (s.nama_satker or ''))} | {persen(s.nko)} | "
                     f"{_cell(s.predikat or '-')} | {measured} | {budget} |")
    held = sorted({(s.kode_satker, f"{s.tahun}-{s.bulan:02d}", s.table, s.state(), s.alasan) for s in result.stale})
    if held:
        lines += ["", "## " + _("Tables held back")]
        lines += [f"- {satker} {period} mart.{table}: {state} ({_cell(alasan)})"
                  for satker, period, table, state, alasan in held]
    missing = [f"- {s.kode_satker}: {', '.join(s.missing)}" for s in result.satkers if s.missing]
    if missing:
        lines += ["", "## " + _("No data yet for this period"), *missing]
    return "\n".join(lines)


def refused_rows(result) -> list[dict]:
    """The refused files' findings, a row each (the first REFUSED_ROWS of each file), for a table artifact."""
    return [{_("file"): o.name, _("row"): f.row, _("column"): f.column, _("value"): f.value, _("check"): f.check,
             _("message"): f.message} for o in result.refused for f in o.findings[:REFUSED_ROWS]]


def quarter_markdown(con: duckdb.DuckDBPyConnection, tahun: int, bulan: int) -> str:
    """Table 3.1 of each satker for the quarter ending in `bulan`, from the published file."""
    lines = [_("# Laporan Kinerja Triwulan {quarter} {year}").format(quarter=bulan // 3, year=tahun)]
    for satker, nama, nko, predikat in con.execute(
            "select kode_satker, nama_satker, nko, predikat from mart.nko where tahun = ? and bulan = ? "
            "order by 1", [tahun, bulan]).fetchall():
        lines += ["", f"## {satker} {_cell(nama or '')}: NKO {persen(nko)} {_cell(predikat or '')}", "",
                  "| IKU | " + " | ".join([_("target"), _("realisasi"), _("capaian"), _("nilai akhir"),
                                            _("kriteria")]) + " |",
                  "|---|---|---|---|---|---|"]
        for kode, target, realisasi, capaian, nilai, kriteria in con.execute(
                "select kode_iku, target, realisasi, capaian, nilai_akhir, kriteria from mart.capaian_iku "
                "where kode_satker = ? and tahun = ? and bulan = ? order by urutan", [satker, tahun, bulan]
        ).fetchall():
            cells = [kode, angka(target), angka(realisasi), persen(capaian), persen(nilai), kriteria or "-"]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)
