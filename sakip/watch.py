"""The dead man's switch: when no run has published month M by its deadline (reference data,
`tenggat.csv`: the 10th of the next month at 12:00 WIB), one alert goes out on the configured channels, naming
the month and the last run that did publish.

A small check, run on a timer by its own process (`sakip watch --every 900`, started by deploy/sakip-local.sh,
or the systemd timer in deploy/), rather than a Prefect automation on the absence of the completion event:
- a month in which nothing ran may be one in which the Prefect server itself was down, and an automation
  lives in that server;
- an automation's window counts from an event or from its own evaluation, not from a date of the calendar
  ("the 10th at 12:00 WIB").
The check reads only the published file, which every completed run swaps in (`audit.runs` there lists the runs
that published), so it needs neither the server nor the worker, nor the warehouse's write lock. It alerts once
per month: what it sent is kept in <warehouse>/watch/; if every channel failed, the next check tries again."""
from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import polars as pl

from sakip import alerts
from sakip.findings import printable
from sakip.warehouse import WarehousePaths
from sakip.warehouse.db import _reference_file, reference_dir


@dataclass(frozen=True)
class Deadline:
    day: int          # of the month after M
    time: dt.time
    zone: ZoneInfo

    def of(self, tahun: int, bulan: int) -> dt.datetime:
        """The deadline of month (tahun, bulan): the `day` of the next month, at `time` in `zone`."""
        year, month = (tahun + 1, 1) if bulan == 12 else (tahun, bulan + 1)
        return dt.datetime.combine(dt.date(year, month, self.day), self.time, tzinfo=self.zone)

    def month_due(self, now: dt.datetime) -> tuple[int, int]:
        """The latest month whose deadline has passed at `now`."""
        local = now.astimezone(self.zone)
        tahun, bulan = (local.year - 1, 12) if local.month == 1 else (local.year, local.month - 1)
        if local < self.of(tahun, bulan):
            tahun, bulan = (tahun - 1, 12) if bulan == 1 else (tahun, bulan - 1)
        return tahun, bulan


def deadline() -> Deadline:
    """The monthly deadline of `tenggat.csv` (in $SAKIP_REFERENCE_DIR, else the bundled one)."""
    path = _reference_file(reference_dir(), "tenggat")
    rows = pl.read_csv(path, infer_schema=False).filter(pl.col("jenis").str.strip_chars() == "bulanan")
    if rows.height != 1:
        raise ValueError(f"{path}: expected one row with jenis 'bulanan', found {rows.height}")
    row = rows.row(0, named=True)
    try:
        day, at, zone = int(row["hari"]), dt.time.fromisoformat(row["jam"].strip()), ZoneInfo(row["zona_waktu"].strip())
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ValueError(f"{path}: hari must be a day (1-28), jam HH:MM, zona_waktu a time zone: {exc}") from exc
    if not 1 <= day <= 28:  # every month has it
        raise ValueError(f"{path}: hari must be between 1 and 28, not {day}")
    return Deadline(day, at, zone)


@dataclass(frozen=True)
class PublishedRun:
    run_id: str
    periode: str
    finished_at: dt.datetime | None


def published_runs(paths: WarehousePaths) -> list[PublishedRun]:
    """The runs that published, newest first, as the published file lists them (none without the file)."""
    if not paths.published.exists():
        return []
    con = duckdb.connect(str(paths.published), read_only=True)
    try:
        rows = con.execute("select run_id, periode, coalesce(finished_at, started_at) from audit.runs "
                           "where status in ('built', 'done') order by started_at desc").fetchall()
    finally:
        con.close()
    return [PublishedRun(*row) for row in rows]


def missed_alert(tahun: int, bulan: int, due: dt.datetime, runs: list[PublishedRun],
                 server: str | None) -> alerts.Alert:
    period = f"{tahun}-{bulan:02d}"
    last = runs[0] if runs else None
    lines = [f"No sakip run has published {period} by its deadline, {due:%d-%m-%Y %H:%M} ({due.tzinfo}).",
             f"Last run that published: {last.run_id}, period {last.periode}, at {last.finished_at:%d-%m-%Y %H:%M}."
             if last else "No run has ever published on this warehouse.",
             *([server] if server else []),
             "What to check: docs/operations.md, 'A month that did not run' (the server, the worker, "
             "`deploy/sakip-local.sh status`, the last flow runs)."]
    return alerts.Alert(f"[sakip] {period} not published by its deadline", "\n".join(lines), None, period)


def _server_state() -> str | None:
    """A line on the Prefect server, when one is configured: often why nothing ran."""
    url = os.environ.get("PREFECT_API_URL", "").strip()
    if not url:
        return None
    import httpx

    try:
        httpx.get(url.rstrip("/") + "/health", timeout=5).raise_for_status()
        return f"The Prefect server at {url} answers."
    except httpx.HTTPError as exc:
        return f"The Prefect server at {url} does not answer ({exc.__class__.__name__})."


def check(paths: WarehousePaths, now: dt.datetime, retry_delay: float = 1.0) -> str:
    """One check at `now`; what it found or did, in a line. Sends at most one alert per month."""
    rule = deadline()
    tahun, bulan = rule.month_due(now)
    period, due = f"{tahun}-{bulan:02d}", rule.of(tahun, bulan)
    runs = published_runs(paths)
    done = [r for r in runs if r.periode == period]
    if done:
        return f"{period}: published by run {done[0].run_id} ({done[0].finished_at:%d-%m-%Y %H:%M}), deadline met"
    record = paths.root / "watch" / f"{period}.json"
    if record.exists():
        return f"{period}: not published; alerted already ({record})"
    message = missed_alert(tahun, bulan, due, runs, _server_state())
    deliveries = alerts.deliver(message, retry_delay)
    if deliveries and all(d.status == "failed" for d in deliveries):
        errors = "; ".join(f"{d.channel}: {d.error}" for d in deliveries)
        return f"{period}: not published; the alert could not be sent ({errors}), next check tries again"
    record.parent.mkdir(parents=True, exist_ok=True)
    tmp = record.with_suffix(".tmp")
    tmp.write_text(json.dumps({"checked_at": now.isoformat(), "deadline": due.isoformat(), **message.payload(),
                               "deliveries": [asdict(d) for d in deliveries]}, indent=1, default=str))
    os.replace(tmp, record)
    sent = ", ".join(d.channel for d in deliveries if d.status == "sent") or "no channel configured"
    return f"{period}: not published by {due:%d-%m-%Y %H:%M}; alert sent ({sent})\n{message.body}"


def main(warehouse: Path, every: float | None, now: str | None) -> int:
    """`sakip watch`: one check, or one every `every` seconds until stopped. No traceback reaches a user."""
    paths = WarehousePaths(warehouse)
    delay = float(os.environ.get("SAKIP_ALERT_RETRY_DELAY", "1"))
    while True:
        at = dt.datetime.fromisoformat(now) if now else dt.datetime.now(dt.timezone.utc)
        if at.tzinfo is None:
            at = at.replace(tzinfo=dt.timezone.utc)
        try:
            first, *rest = check(paths, at, delay).splitlines()
            print("\n".join([f"{at:%Y-%m-%d %H:%M} {printable(first)}", *(f"  {printable(r)}" for r in rest)]),
                  flush=True)
            code = 0
        except (ValueError, OSError, duckdb.Error) as exc:
            print(printable(f"sakip watch: {exc.__class__.__name__}: {alerts.redact(str(exc))}"), flush=True)
            code = 1
        if not every:
            return code
        time.sleep(every)
