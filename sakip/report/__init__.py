"""Reports for people, per satker and period, next to the warehouse:

    <warehouse>/reports/<kode_satker>/<YYYY-MM>/lampiran.xlsx   the report's tables (workbook.py)
    <warehouse>/reports/<kode_satker>/<YYYY-MM>/laporan.html    one self-contained page with charts (html.py)

Both are read from the published file, so they show exactly what analysts see."""
from __future__ import annotations

from pathlib import Path

from sakip.processes import in_processes

# Below this many satker-months, starting worker processes costs more than it saves (~0.25 s a report).
PARALLEL_MIN_REPORTS = 8


def report_dir(warehouse: Path, kode_satker: str, tahun: int, bulan: int) -> Path:
    return warehouse / "reports" / kode_satker / f"{tahun}-{bulan:02d}"


def write_reports(warehouse: Path, periods: list[tuple[str, int, int]], run_id: str | None = None,
                  workers: int = 1) -> list[Path]:
    """The workbook and the HTML page of each satker-month, read from the published file with one query per
    table (not one per table and report); each written beside its final name, then renamed. With `workers` > 1
    and many satker-months (the centre's run for every unit), on that many processes: writing xlsx is pure
    Python."""
    periods = [(str(s), int(y), int(m)) for s, y, m in periods]
    count = min(workers, len(periods) // PARALLEL_MIN_REPORTS)
    if count > 1:
        chunks = [periods[i::count] for i in range(count)]
        written = {path for paths in in_processes(_write_chunk, chunks, warehouse, run_id) for path in paths}
        return [report_dir(warehouse, *p) / name for p in periods for name in ("lampiran.xlsx", "laporan.html")
                if report_dir(warehouse, *p) / name in written]
    import duckdb

    from sakip.report import data, html, workbook

    published = warehouse / "published.duckdb"
    con = duckdb.connect(str(published), read_only=True)
    try:
        reports = data.load(con, periods, run_id)
    finally:
        con.close()
    written = []
    for period in periods:
        folder = report_dir(warehouse, *period)
        written.append(workbook.build_workbook(reports[period], folder / "lampiran.xlsx", published.name))
        written.append(html.save(html.render(reports[period], published.name), folder / "laporan.html"))
    return written


def _write_chunk(periods: list[tuple[str, int, int]], warehouse: Path, run_id: str | None) -> list[Path]:
    return write_reports(warehouse, periods, run_id)
