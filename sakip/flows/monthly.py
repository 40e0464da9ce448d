"""The monthly run: every export in the inbox, the requested period (by default the month just closed) for
every satker the inbox names, published at the end."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.runtime import flow_run

from sakip import alerts
from sakip.ingest import FileOutcome, discover, inspect_all, last_closed_month, parse_period
from sakip.pipeline import RunResult, build_and_publish, previously_accepted, send_alert
from sakip.warehouse import WarehousePaths

JAKARTA = ZoneInfo("Asia/Jakarta")


@task(retries=2, retry_delay_seconds=2)
def find_exports(inbox: str) -> list[Path]:
    return discover(Path(inbox))


@task(retries=2, retry_delay_seconds=2)
def inspect_exports(files: list[Path], warehouse: str) -> list[FileOutcome]:
    """Read and validate every file in one task: Prefect's cost per task must not grow with the inbox."""
    seen, satkers = previously_accepted(WarehousePaths(Path(warehouse)))
    return inspect_all(files, satkers, seen)


@task
def build(outcomes: list[FileOutcome], warehouse: str, tahun: int, bulan: int, run_id: str,
          inbox: str) -> RunResult:
    return build_and_publish(outcomes, WarehousePaths(Path(warehouse)), tahun, bulan, run_id, inbox)


@task
def alert(warehouse: str, run_id: str, message: alerts.Alert) -> list[alerts.Delivery]:
    return send_alert(WarehousePaths(Path(warehouse)), run_id, message)


def resolve_period(period: str | None, now: dt.datetime | None = None) -> tuple[int, int]:
    """An explicit YYYY-MM, else the month just closed at `now` in Jakarta time."""
    if period:
        return parse_period(period)
    now = now or dt.datetime.now(JAKARTA)
    return last_closed_month(now.astimezone(JAKARTA).date())


@flow(name="sakip-monthly", log_prints=False)
def monthly_run(inbox: str, warehouse: str, period: str | None = None) -> RunResult:
    logger = get_run_logger()
    tahun, bulan = resolve_period(period)
    run_id = str(flow_run.id or dt.datetime.now().strftime("%Y%m%d%H%M%S"))
    logger.info("sakip run %s: inbox %s, warehouse %s, period %d-%02d", run_id, inbox, warehouse, tahun, bulan)
    try:
        files = find_exports(inbox)
        logger.info("%d export files in the inbox", len(files))
        clock = time.perf_counter()
        outcomes = inspect_exports(files, warehouse)
        read_validate = time.perf_counter() - clock
        for outcome in outcomes:
            (logger.warning if outcome.status == "refused" else logger.info)(outcome.summary())
        result = build(outcomes, warehouse, tahun, bulan, run_id, inbox)
    except Exception as exc:
        alert(warehouse, run_id, alerts.failure_alert(run_id, f"{tahun}-{bulan:02d}", exc))
        raise
    result.timings = {"read_validate": read_validate, **result.timings}
    for table, rows in result.published.items():
        logger.info("published mart.%s: %d rows for %d-%02d", table, rows, tahun, bulan)
    message = alerts.refusal_alert(result)
    if message is not None:
        result.alerts = alert(warehouse, run_id, message)
    return result
