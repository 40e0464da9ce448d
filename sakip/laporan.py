"""`sakip laporan`: the Laporan Kinerja draft of any published quarter, written from the published file
(sakip/report/document.py), as the monthly run writes it at each quarter's end.

    sakip laporan --warehouse wh --satker 672849 --period 2025-06              # Triwulan II
    sakip laporan --warehouse wh --satker 672849 --period 2025-12 --tahunan    # the year's report
    sakip laporan --warehouse wh --satker 672849 --period 2025-06 --out draf.docx [--force]

By default it goes where the run writes it: <warehouse>/reports/<satker>/<YYYY-MM>/laporan-kinerja.docx."""
from __future__ import annotations

import sys
import traceback
from pathlib import Path

import duckdb

from sakip.failures import write_error_log
from sakip.findings import printable
from sakip.i18n import _
from sakip.periods import parse_period
from sakip.report import DOCUMENT, YEAR_DOCUMENT, data, report_dir
from sakip.report.document import TemplateError, build_document
from sakip.warehouse import WarehousePaths


class NotPublished(Exception):
    """The quarter asked for is not in the published file."""


def write(warehouse: Path, satker: str, tahun: int, bulan: int, out: Path | None = None,
          tahunan: bool = False) -> Path:
    """The draft of a published quarter (`tahunan`: the year's, from December), written to `out` or beside
    the run's reports. Raises NotPublished when the file does not hold that satker-month."""
    published = WarehousePaths(warehouse).published
    if not published.exists():
        raise NotPublished(_("nothing is published in {warehouse} yet").format(warehouse=warehouse))
    con = duckdb.connect(str(published), read_only=True)
    try:
        found = con.execute("select count(*) from mart.nko where kode_satker = ? and tahun = ? and bulan = ?",
                            [satker, tahun, bulan]).fetchall()[0][0]
        if not found:
            raise NotPublished(_("{satker} {period} is not published in {file}").format(
                satker=satker, period=f"{tahun}-{bulan:02d}", file=published))
        report = data.load(con, [(satker, tahun, bulan)], own_runs=True)[satker, tahun, bulan]
    finally:
        con.close()
    target = out or report_dir(warehouse, satker, tahun, bulan) / (YEAR_DOCUMENT if tahunan else DOCUMENT)
    return build_document(report, target, published.name, tahunan=tahunan)  # its folder made if need be


def refuse_out(warehouse: Path, out: Path, force: bool) -> str | None:
    """Why `out` may not be written, if it may not: a draft is a .docx; an existing file is replaced only with
    --force; the warehouse's own files never (one mistyped path must not cost the warehouse)."""
    if out.suffix.lower() != ".docx":
        return _("--out must name a .docx file, not {out}").format(out=out)
    if out.is_dir():
        return _("{out} is a folder").format(out=out)
    inside = out.resolve().is_relative_to(warehouse.resolve())
    if inside and not out.resolve().is_relative_to((warehouse / "reports").resolve()):
        return _("{out} is inside the warehouse {warehouse}: write the draft elsewhere, or under reports/").format(
            out=out, warehouse=warehouse)
    if out.exists() and not force:
        return _("{out} exists: --force to replace it").format(out=out)
    return None


def main(warehouse: Path, satker: str, period: str, out: Path | None, tahunan: bool, force: bool = False) -> int:
    try:
        tahun, bulan = parse_period(period)
    except ValueError as exc:
        print(printable(f"sakip: {exc}"), file=sys.stderr)
        return 1
    refused = refuse_out(warehouse, out, force) if out is not None else None
    if refused:
        print(printable(f"sakip: {refused}"), file=sys.stderr)
        return 1
    if bulan % 3:
        print(_("sakip: {period} does not end a quarter: the Laporan Kinerja is written for March, June, "
                "September and December").format(period=period), file=sys.stderr)
        return 1
    if tahunan and bulan != 12:
        print(_("sakip: the year's report (--tahunan) is written from December, not {period}").format(
            period=period), file=sys.stderr)
        return 1
    try:
        path = write(warehouse, satker, tahun, bulan, out, tahunan)
    except (NotPublished, TemplateError, LookupError, duckdb.Error, OSError) as exc:
        print(printable(f"sakip: {exc}"), file=sys.stderr)
        return 1
    except Exception as exc:  # a template a unit broke, a bug: the traceback to the logs, not the terminal
        log = write_error_log(WarehousePaths(warehouse), traceback.format_exc())
        print(printable(_("sakip: internal error: {error}").format(error=f"{exc.__class__.__name__}: {exc}"))
              + "\n  " + _("{consequence}; details in {log}").format(
                  consequence=_("no draft was written"), log=log), file=sys.stderr)
        return 1
    print(_("Laporan Kinerja draft written: {path}").format(path=path))
    return 0
