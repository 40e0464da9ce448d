"""Reports for people, per satker and period, next to the warehouse:

    <warehouse>/reports/<kode_satker>/<YYYY-MM>/lampiran.xlsx   the report's tables (workbook.py)
    <warehouse>/reports/<kode_satker>/<YYYY-MM>/laporan.html    one self-contained page with charts (html.py)
    <warehouse>/reports/<kode_satker>/<YYYY-MM>/laporan-kinerja.docx          at a quarter's end (B03, B06,
    <warehouse>/reports/<kode_satker>/<YYYY-12>/laporan-kinerja-tahunan.docx  B09, B12), the Laporan Kinerja
                                                                              draft; at B12 the year's too
                                                                              (document.py)

All are read from the published file, so they show exactly what analysts see."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from sakip.processes import in_processes

# Below this many satker-months, starting worker processes costs more than it saves (~0.25 s a report).
PARALLEL_MIN_REPORTS = 8
WORKBOOK, PAGE = "lampiran.xlsx", "laporan.html"
DOCUMENT, YEAR_DOCUMENT = "laporan-kinerja.docx", "laporan-kinerja-tahunan.docx"


def report_dir(warehouse: Path, kode_satker: str, tahun: int, bulan: int) -> Path:
    return warehouse / "reports" / kode_satker / f"{tahun}-{bulan:02d}"


def report_names(bulan: int) -> tuple[str, ...]:
    """The files written for a month: the workbook and the page; at a quarter's end the Laporan Kinerja
    draft, and in December the year's."""
    documents = (DOCUMENT, YEAR_DOCUMENT) if bulan == 12 else (DOCUMENT,) if bulan % 3 == 0 else ()
    return (WORKBOOK, PAGE, *documents)


@dataclass
class Written:
    """What write_reports wrote; the seconds its Word drafts took (on many processes, their share of the wall
    time); and the drafts it could not write, one line each (the workbook and the page are written all the
    same: a unit's broken template must not cost the planners their tables)."""
    paths: list[Path] = field(default_factory=list)
    documents_seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (satker-month, what failed)

    def error_text(self) -> str:
        """The failures, each once with the satker-months it hit (a unit's broken template fails them all)."""
        where: dict[str, list[str]] = {}
        for period, error in self.errors:
            where.setdefault(error, []).append(period)
        return "; ".join(f"{error} ({', '.join(periods[:3])}{' …' if len(periods) > 3 else ''})"
                         for error, periods in where.items())


def write_reports(warehouse: Path, periods: list[tuple[str, int, int]], run_id: str | None = None,
                  workers: int = 1, own_runs: bool = False) -> Written:
    """The reports of each satker-month (report_names), read from the published file with one query per
    table (not one per table and report); each written beside its final name, then renamed. With `workers` > 1
    and many satker-months (the centre's run for every unit), on that many processes: writing xlsx is pure
    Python. The refused files they list are `run_id`'s, or (`own_runs`) those of each one's latest run."""
    clock = time.perf_counter()
    periods = [(str(s), int(y), int(m)) for s, y, m in periods]
    count = min(workers, len(periods) // PARALLEL_MIN_REPORTS)
    if count <= 1:
        return _write(periods, warehouse, run_id, own_runs)
    chunks = [periods[i::count] for i in range(count)]
    done = in_processes(_write, chunks, warehouse, run_id, own_runs)
    written = {path for chunk in done for path in chunk.paths}
    spent = sum(chunk.seconds for chunk in done) or 1.0
    share = sum(chunk.documents_seconds for chunk in done) / spent
    return Written([report_dir(warehouse, *p) / name for p in periods for name in report_names(p[2])
                    if report_dir(warehouse, *p) / name in written],
                   share * (time.perf_counter() - clock), [e for chunk in done for e in chunk.errors])


@dataclass
class _Chunk(Written):
    seconds: float = 0.0  # all of this process's writing


def _write(periods: list[tuple[str, int, int]], warehouse: Path, run_id: str | None, own_runs: bool = False
           ) -> _Chunk:
    """The reports of these satker-months, in this process."""
    import duckdb

    from sakip.i18n import speaking
    from sakip.report import data, document, html, workbook
    from sakip.settings import language

    # the run's language read once, not from the environment for each of the ~3,000 texts of a report
    with speaking(language()):
        clock = time.perf_counter()
        published = warehouse / "published.duckdb"
        con = duckdb.connect(str(published), read_only=True)
        try:
            reports = data.load(con, periods, run_id, own_runs=own_runs)
        finally:
            con.close()
        out = _Chunk()
        for period in periods:
            folder = report_dir(warehouse, *period)
            out.paths.append(workbook.build_workbook(reports[period], folder / WORKBOOK, published.name))
            out.paths.append(html.save(html.render(reports[period], published.name), folder / PAGE))
            started = time.perf_counter()
            for name in report_names(period[2])[2:]:
                try:
                    out.paths.append(document.build_document(reports[period], folder / name, published.name,
                                                             tahunan=name == YEAR_DOCUMENT))
                except Exception as exc:  # noqa: BLE001 - said in the run's summary and alert
                    out.errors.append((f"{period[0]} {period[1]}-{period[2]:02d}",
                                       f"{name}: {exc.__class__.__name__}: {exc}"))
            out.documents_seconds += time.perf_counter() - started
        out.seconds = time.perf_counter() - clock
        return out
