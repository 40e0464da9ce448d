"""Reports for people, per satker and period, next to the warehouse:

    <warehouse>/reports/<kode_satker>/<YYYY-MM>/lampiran.xlsx   the report's tables (workbook.py)
    <warehouse>/reports/<kode_satker>/<YYYY-MM>/laporan.html    one self-contained page with charts (html.py)

Both are read from the published file, so they show exactly what analysts see."""
from __future__ import annotations

from pathlib import Path


def report_dir(warehouse: Path, kode_satker: str, tahun: int, bulan: int) -> Path:
    return warehouse / "reports" / kode_satker / f"{tahun}-{bulan:02d}"


def write_reports(warehouse: Path, periods: list[tuple[str, int, int]], run_id: str | None = None) -> list[Path]:
    """The workbook and the HTML page of each satker-month; each written beside its final name, then renamed."""
    from sakip.report.html import write_html
    from sakip.report.workbook import write_workbook

    published = warehouse / "published.duckdb"
    written = []
    for kode_satker, tahun, bulan in periods:
        folder = report_dir(warehouse, kode_satker, tahun, bulan)
        for name, writer in (("lampiran.xlsx", write_workbook), ("laporan.html", write_html)):
            target = folder / name
            tmp = folder / f".{name}.tmp"
            folder.mkdir(parents=True, exist_ok=True)
            if writer is write_html:
                writer(published, kode_satker, tahun, bulan, tmp, run_id=run_id)
            else:
                writer(published, kode_satker, tahun, bulan, tmp)
            tmp.replace(target)
            written.append(target)
    return written
