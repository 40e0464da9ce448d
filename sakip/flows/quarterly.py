"""The quarterly run, after B03, B06, B09 and B12: the monthly job for the quarter's last month, then the
quarter's report outputs (a markdown artifact of table 3.1 and the unit's figures)."""
from __future__ import annotations

from pathlib import Path

import duckdb
from prefect import flow, task
from prefect.artifacts import create_markdown_artifact

from sakip.flows.monthly import _scheduled_time, monthly_run, resolve_location, resolve_period
from sakip.pipeline import RunResult
from sakip.warehouse import WarehousePaths


@task
def quarter_report(warehouse: str, tahun: int, bulan: int) -> str:
    """Table 3.1 of each satker for the quarter, from the published file, as markdown."""
    con = duckdb.connect(str(WarehousePaths(Path(warehouse)).published), read_only=True)
    try:
        lines = [f"# Laporan Kinerja Triwulan {bulan // 3} {tahun}"]
        for (satker, nama, nko, predikat) in con.execute(
                "select kode_satker, nama_satker, nko, predikat from mart.nko where tahun = ? and bulan = ? "
                "order by 1", [tahun, bulan]).fetchall():
            lines += ["", f"## {satker} {nama or ''}: NKO {'-' if nko is None else f'{nko:.2f}'} {predikat or ''}",
                      "", "| IKU | target | realisasi | capaian | nilai akhir | kriteria |",
                      "|---|---|---|---|---|---|"]
            for row in con.execute(
                    "select kode_iku, target, realisasi, capaian, nilai_akhir, kriteria from mart.capaian_iku "
                    "where kode_satker = ? and tahun = ? and bulan = ? order by urutan", [satker, tahun, bulan]
            ).fetchall():
                lines.append("| " + " | ".join("-" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))
                                                for v in row) + " |")
        return "\n".join(lines)
    finally:
        con.close()


@flow(name="sakip-quarterly", log_prints=False)
def quarterly_run(inbox: str | None = None, warehouse: str | None = None, period: str | None = None) -> RunResult:
    inbox, warehouse = resolve_location(inbox, "inbox"), resolve_location(warehouse, "warehouse")
    tahun, bulan = resolve_period(period, _scheduled_time())
    if bulan % 3:
        raise ValueError(f"{tahun}-{bulan:02d} does not close a quarter (B03, B06, B09, B12)")
    result = monthly_run(inbox=inbox, warehouse=warehouse, period=f"{tahun}-{bulan:02d}")
    create_markdown_artifact(key="sakip-triwulan", markdown=quarter_report(warehouse, tahun, bulan),
                             description=f"Triwulan {bulan // 3} {tahun}")
    return result
