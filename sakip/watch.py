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

from sakip import alerts, settings
from sakip.findings import printable
from sakip.i18n import _
from sakip.periods import next_month, previous_month
from sakip.warehouse import WarehousePaths
from sakip.warehouse.db import reference_dir, reference_file


@dataclass(frozen=True)
class Deadline:
    day: int          # of the month after M
    time: dt.time
    zone: ZoneInfo

    def of(self, tahun: int, bulan: int) -> dt.datetime:
        """The deadline of month (tahun, bulan): the `day` of the next month, at `time` in `zone`."""
        year, month = next_month(tahun, bulan)
        return dt.datetime.combine(dt.date(year, month, self.day), self.time, tzinfo=self.zone)

    def month_due(self, now: dt.datetime) -> tuple[int, int]:
        """The latest month whose deadline has passed at `now`."""
        local = now.astimezone(self.zone)
        month = previous_month(local.year, local.month)
        return previous_month(*month) if local < self.of(*month) else month


def deadline() -> Deadline:
    """The monthly deadline of `tenggat.csv` (in $SAKIP_REFERENCE_DIR, else the bundled one). Raises
    ValueError, naming the file, when it can't be used."""
    path = reference_file(reference_dir(), "tenggat")
    try:
        rows = pl.read_csv(path, infer_schema=False).filter(pl.col("jenis").str.strip_chars() == "bulanan")
        row = rows.row(0, named=True) if rows.height == 1 else None
        if row is None:
            raise ValueError(_("expected one row with jenis 'bulanan', found {count}").format(count=rows.height))
        day, at, zone = int(row["hari"]), dt.time.fromisoformat(row["jam"].strip()), ZoneInfo(row["zona_waktu"].strip())
    except Exception as exc:  # polars' own errors (empty file, no such column) included
        raise ValueError(_("{path}: columns jenis, hari, jam (HH:MM), zona_waktu (e.g. Asia/Jakarta), one row "
                           "'bulanan': {error}").format(path=path, error=f"{exc.__class__.__name__}: {exc}")) from None
    if not 1 <= day <= 28:  # every month has it
        raise ValueError(_("{path}: hari must be between 1 and 28, not {day}").format(path=path, day=day))
    return Deadline(day, at, zone)


@dataclass(frozen=True)
class Published:
    """What the published file holds: its months (those with rows in mart.nko: one row per satker and month,
    also when nothing is measured), each with the run its rows come from."""
    months: dict[tuple[int, int], str | None]

    @property
    def first(self) -> tuple[int, int] | None:
        return min(self.months) if self.months else None

    @property
    def last(self) -> tuple[int, int] | None:
        return max(self.months) if self.months else None


def published(paths: WarehousePaths) -> Published:
    """Read from the data, not from audit.runs: a run whose every file was refused ends `done` and publishes
    nothing."""
    if not paths.published.exists():
        return Published({})
    con = duckdb.connect(str(paths.published), read_only=True)
    try:
        rows = con.execute("select n.tahun, n.bulan, max(f.data_dari_run) from (select distinct tahun, bulan "
                           "from mart.nko) n left join audit.freshness f on f.tabel = 'nko' and f.tahun = n.tahun "
                           "and f.bulan = n.bulan group by all").fetchall()
    finally:
        con.close()
    return Published({(y, m): run for y, m, run in rows})


def _month(tahun: int, bulan: int) -> str:
    return f"{tahun}-{bulan:02d}"


# Months checked at once, back from the latest due: a watch that was stopped across a deadline still reports
# the month it missed, but a warehouse's old gaps are not alerted again and again.
LOOK_BACK = 3


def months_to_check(rule: Deadline, now: dt.datetime, found: Published, since: dt.datetime) -> list[tuple[int, int]]:
    """The months due at `now`, newest first, from the first one this warehouse can be held to: the first
    month it published, or, while nothing is published, the first month whose deadline came after the watch
    first looked (a new installation is not alerted for the months before it)."""
    months, month = [], rule.month_due(now)
    while len(months) < LOOK_BACK:
        if found.first is not None and month < found.first:
            break
        if found.first is None and rule.of(*month) <= since:
            break
        months.append(month)
        month = previous_month(*month)
    return months


def _at(moment: dt.datetime) -> str:
    """A moment as the watch writes it, in every language: 10-08-2025 12:00."""
    return f"{moment:%d-%m-%Y %H:%M}"


def missed_alert(tahun: int, bulan: int, due: dt.datetime, found: Published, server: str | None) -> alerts.Alert:
    period = _month(tahun, bulan)
    last = found.last
    lines = [_("No sakip run has published {period} by its deadline, {deadline} ({zone}).").format(
                 period=period, deadline=_at(due), zone=due.tzinfo),
             _("Last month published: {period}, by run {run_id}.").format(
                 period=_month(*last), run_id=found.months[last] or _("(unknown)"))
             if last else _("Nothing has been published on this warehouse yet."),
             *([server] if server else []),
             # TRANSLATORS: 'Bulan yang tidak dijalankan' is the title of a section of docs/operations.md (Indonesian)
             _("What to check: docs/operations.md, 'Bulan yang tidak dijalankan' (the server, the worker, "
               "`deploy/sakip-local.sh status`, the last flow runs).")]
    return alerts.Alert(_("[sakip] {period} not published by its deadline").format(period=period),
                        "\n".join(lines), None, period)


def _server_state() -> str | None:
    """A line on the Prefect server, when one is configured: often why nothing ran."""
    url = os.environ.get("PREFECT_API_URL", "").strip()
    if not url:
        return None
    import httpx

    try:
        httpx.get(url.rstrip("/") + "/health", timeout=5).raise_for_status()
        return _("The Prefect server at {url} answers.").format(url=url)
    except httpx.HTTPError as exc:
        return _("The Prefect server at {url} does not answer ({error}).").format(
            url=url, error=exc.__class__.__name__)


def _write(record: Path, content: dict) -> None:
    record.parent.mkdir(parents=True, exist_ok=True)
    tmp = record.with_suffix(".tmp")
    tmp.write_text(json.dumps(content, indent=1, default=str))
    os.replace(tmp, record)


def _since(folder: Path, now: dt.datetime) -> dt.datetime:
    """When the watch first looked at this warehouse (recorded the first time)."""
    record = folder / "since.json"
    try:
        return dt.datetime.fromisoformat(json.loads(record.read_text())["since"])
    except (OSError, ValueError, KeyError, TypeError):
        _write(record, {"since": now.isoformat()})
        return now


def _send(message: alerts.Alert, record: Path, now: dt.datetime, retry_delay: float, extra: dict) -> str:
    """Deliver; kept in `record` once it reached a channel (none failed all: the next check tries again)."""
    deliveries = alerts.deliver(message, retry_delay)
    if not deliveries:
        return _("no channel configured (SAKIP_ALERT_WEBHOOK_URL, SAKIP_ALERT_BLOCKS): it stays in this log")
    if all(d.status == "failed" for d in deliveries):
        errors = "; ".join(f"{d.channel}: {d.error}" for d in deliveries)
        return _("the alert could not be sent ({errors}), next check tries again").format(errors=errors)
    _write(record, {"checked_at": now.isoformat(), **extra, **message.payload(),
                    "deliveries": [asdict(d) for d in deliveries]})
    return _("alert sent ({channels})").format(
        channels=", ".join(d.channel for d in deliveries if d.status == "sent"))


def check(paths: WarehousePaths, now: dt.datetime, retry_delay: float = 1.0) -> str:
    """One check at `now`: what it found or did, a line per month due. At most one alert per month."""
    rule = deadline()
    folder = paths.root / "watch"
    found = published(paths)
    since = _since(folder, now)
    lines = []
    for tahun, bulan in months_to_check(rule, now, found, since):
        period, due = _month(tahun, bulan), rule.of(tahun, bulan)
        if (tahun, bulan) in found.months:
            lines.append(_("{period}: published (run {run_id}), deadline {deadline} met").format(
                period=period, run_id=found.months[(tahun, bulan)] or _("unknown"), deadline=_at(due)))
            continue
        record = folder / f"{period}.json"
        if record.exists():
            lines.append(_("{period}: not published; alerted already ({record})").format(period=period,
                                                                                        record=record))
            continue
        message = missed_alert(tahun, bulan, due, found, _server_state())
        outcome = _send(message, record, now, retry_delay, {"deadline": due.isoformat()})
        lines += [_("{period}: not published by {deadline}; {outcome}").format(
            period=period, deadline=_at(due), outcome=outcome), *message.body.splitlines()]
    return "\n".join(lines or [_("no month due yet: the first is the one whose deadline comes after {since}, "
                                  "when the watch first looked").format(since=_at(since))])


def cannot_check(paths: WarehousePaths, now: dt.datetime, error: str, retry_delay: float) -> str:
    """The watch that can't check must say so, or a missed month passes silently: one alert a day."""
    body = [_("sakip watch could not check {warehouse}: {error}").format(warehouse=paths.root, error=error),
            _("Until this is mended, a month that is not published by its deadline alerts nobody.")]
    message = alerts.Alert(_("[sakip] the deadline watch cannot check"), "\n".join(body), None,
                           _month(now.year, now.month))
    record = paths.root / "watch" / f"cannot-check-{now:%Y-%m-%d}.json"
    if record.exists():
        return _("alerted already today")
    try:
        return _send(message, record, now, retry_delay, {})
    except OSError as exc:  # the warehouse folder itself may be what fails
        return _("not recorded ({error})").format(error=exc.__class__.__name__)


def main(warehouse: Path, every: float | None, now: str | None) -> int:
    """`sakip watch`: one check, or one every `every` seconds until stopped. A check that fails is reported
    (and alerted, once a day), never the end of the loop; no traceback reaches a user."""
    paths = WarehousePaths(warehouse.resolve())
    delay = settings.alerting().retry_delay
    while True:
        at = dt.datetime.fromisoformat(now) if now else dt.datetime.now(dt.UTC)
        if at.tzinfo is None:
            at = at.replace(tzinfo=dt.UTC)
        try:
            text, code = check(paths, at, delay), 0
        except Exception as exc:  # anything: a locked or corrupt published file, a broken tenggat.csv
            error = alerts.redact(f"{exc.__class__.__name__}: {exc}")
            text, code = _("cannot check: {error}; {outcome}").format(
                error=error, outcome=cannot_check(paths, at, error, delay)), 1
        first, *rest = text.splitlines()
        print("\n".join([f"{at:%Y-%m-%d %H:%M} {printable(first)}", *(f"  {printable(r)}" for r in rest)]),
              flush=True)
        if not every:
            return code
        time.sleep(every)
