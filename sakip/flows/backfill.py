"""Backfill: the monthly job for a range of months, in order (for a new unit, or after a correction). Each month
is measured against the targets in effect at its own end: the models pick the RAPK revision by date."""
from __future__ import annotations

from prefect import flow, get_run_logger

from sakip.flows.monthly import monthly_run, resolve_location
from sakip.periods import months_between
from sakip.pipeline import RunResult


@flow(name="sakip-backfill", flow_run_name="sakip-backfill-{start}..{end}", log_prints=False)
def backfill_run(start: str, end: str, inbox: str | None = None, warehouse: str | None = None) -> list[RunResult]:
    logger = get_run_logger()
    inbox, warehouse = resolve_location(inbox, "inbox"), resolve_location(warehouse, "warehouse")
    results = []
    for period in months_between(start, end):
        logger.info("backfill %s", period)
        results.append(monthly_run(inbox=inbox, warehouse=warehouse, period=period))
    return results
