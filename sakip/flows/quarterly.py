"""The quarterly run, after B03, B06, B09 and B12: the monthly job for the quarter's last month, then the
quarter's report outputs (a markdown artifact of table 3.1 and the unit's figures)."""
from __future__ import annotations

from pathlib import Path

import duckdb
from prefect import flow, task
from prefect.artifacts import create_markdown_artifact

from sakip.artifacts import quarter_markdown
from sakip.flows.monthly import monthly_run, resolve_location, resolve_period, scheduled_time
from sakip.i18n import _
from sakip.pipeline import RunResult
from sakip.warehouse import WarehousePaths


@task
def quarter_report(warehouse: str, tahun: int, bulan: int) -> str:
    con = duckdb.connect(str(WarehousePaths(Path(warehouse)).published), read_only=True)
    try:
        return quarter_markdown(con, tahun, bulan)
    finally:
        con.close()


@flow(name="sakip-quarterly", log_prints=False)
def quarterly_run(inbox: str | None = None, warehouse: str | None = None, period: str | None = None) -> RunResult:
    inbox, warehouse = resolve_location(inbox, "inbox"), resolve_location(warehouse, "warehouse")
    tahun, bulan = resolve_period(period, scheduled_time())
    if bulan % 3:
        raise ValueError(_("{period} does not close a quarter (B03, B06, B09, B12)").format(
            period=f"{tahun}-{bulan:02d}"))
    result = monthly_run(inbox=inbox, warehouse=warehouse, period=f"{tahun}-{bulan:02d}")
    create_markdown_artifact(key="sakip-triwulan", markdown=quarter_report(warehouse, tahun, bulan),
                             description=_("Triwulan {quarter} {year}").format(quarter=bulan // 3, year=tahun))
    return result
