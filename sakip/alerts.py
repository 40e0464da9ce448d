"""Alerts: one per run when a source was refused or the run failed. Channels:
- a generic JSON webhook (POST; body with `subject`, `body`, `satker`, `period`, `failures`, `kept`), its URL
  in the environment variable SAKIP_ALERT_WEBHOOK_URL, or in the Prefect Secret block named in
  SAKIP_ALERT_WEBHOOK_SECRET (how scheduled runs get it: `python -m sakip.deploy` saves it there);
- Prefect notification blocks (Slack, Microsoft Teams, email …) saved on a Prefect server, named in
  SAKIP_ALERT_BLOCKS (comma-separated block document names, e.g. `slack-webhook/sakip-planners`).
A delivery that fails is retried a few times, then recorded; it never fails the run. Every alert is written
to audit.alerts. Webhook URLs are secrets: they never appear in messages, logs or tables."""
from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from dataclasses import asdict, dataclass, field

import httpx

from sakip import settings
from sakip.findings import printable
from sakip.i18n import _

ATTEMPTS = 3
FIRST_ROWS = 5


@dataclass
class Alert:
    subject: str
    body: str
    satker: str | None
    period: str
    failures: list[dict] = field(default_factory=list)   # per refused file: file, checks {check: count}, rows
    kept: list[str] = field(default_factory=list)        # what stayed at its last good version

    def payload(self) -> dict:
        return asdict(self)


@dataclass
class Delivery:
    channel: str
    status: str          # sent | failed
    attempts: int
    error: str | None = None


def refusal_alert(result) -> Alert | None:
    """The alert of a run that refused sources, or None when nothing was refused."""
    refused = result.refused
    if not refused:
        return None
    period = f"{result.tahun}-{result.bulan:02d}"
    satkers = sorted({o.export.satker for o in refused if o.export and o.export.satker})
    failures, lines = [], []
    for o in refused:
        checks = Counter(f.check for f in o.findings)
        rows = [{"row": f.row, "column": f.column, "value": f.value, "check": f.check, "message": f.message}
                for f in o.findings[:FIRST_ROWS]]
        failures.append({"file": o.name, "sha256": o.sha256, "source": o.kind_title,
                         "satker": o.export.satker if o.export else None, "checks": dict(checks), "rows": rows})
        lines.append(f"- {o.name} ({o.kind_title}): " + ", ".join(f"{c} ×{n}" for c, n in checks.most_common()))
        for r in rows:
            where = _("row {row}").format(row=r["row"]) if r["row"] is not None else _("file")
            lines.append(f"    {where}: {r['message']}")
    # the reasons name files: printable, as every line a file's name or cells reach
    kept = sorted({printable(f"mart.{s.table} {s.kode_satker} {s.tahun}-{s.bulan:02d}: {s.state()} ({s.alasan})")
                   for s in result.stale})
    lines = [printable(line) for line in lines]
    body = "\n".join([
        _("sakip run {run_id}, period {period}: {count} file(s) refused. Send a corrected export: the next run "
          "takes it.").format(run_id=result.run_id, period=period, count=len(refused)),
        *lines,
        _("Published tables that depend on them:") if kept else _("No published table depended on them."),
        *[f"- {k}" for k in kept]])
    subject = _("[sakip] {count} export(s) refused for {satkers}, {period}").format(
        count=len(refused), satkers=", ".join(satkers) or _("an unknown satker"), period=period)
    return Alert(subject, body, ", ".join(satkers) or None, period, failures, kept)


def reference_alert(run_id: str, period: str, problems: list) -> Alert:
    """The run refused to compute: the reference data (profiles, registry, maps) has problems."""
    lines = [printable(p.line()) for p in problems[:20]]
    more = [_("... and {count} more").format(count=len(problems) - 20)] if len(problems) > 20 else []
    return Alert(_("[sakip] run {run_id} refused: {count} problem(s) in the reference data ({period})").format(
                     run_id=run_id, count=len(problems), period=period),
                 "\n".join([_("The run {run_id} for {period} computed nothing: the reference data must be mended "
                               "first (`sakip reference check`). The published tables are those of the last "
                               "successful run.").format(run_id=run_id, period=period), *lines, *more]), None, period,
                 [{"file": str(p.file), "checks": {p.finding.check: 1}, "rows": [
                     {"row": p.finding.row, "column": p.finding.column, "value": p.finding.value,
                      "check": p.finding.check, "message": p.finding.message}]} for p in problems[:FIRST_ROWS]])


def failure_alert(run_id: str, period: str, error: BaseException) -> Alert:
    return Alert(_("[sakip] run {run_id} failed ({period})").format(run_id=run_id, period=period),
                 _("The run {run_id} for {period} failed: {error}. Nothing was published; the published tables are "
                   "those of the last successful run.").format(
                     run_id=run_id, period=period, error=f"{error.__class__.__name__}: {redact(str(error))}"),
                 None, period)


# Anything URL-like: with a scheme (https://, ftp://), or a host with a dot or a port followed by a path or
# credentials (hooks.slack.com/services/…, user:token@host, 10.0.0.5:8080/…): webhook URLs carry their secret in
# the path, the query or the user part.
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+"
                  r"|\b[^\s/@:]+(?::[^\s/@]*)?@[\w.-]+\S*"
                  r"|\b(?:[\w-]+\.)+[a-z]{2,}(?::\d+)?/\S*"
                  r"|\b[\w.-]+:\d{2,5}/\S*", re.I)


_SECRETS: set[str] = set()  # webhook URLs read from Secret blocks by this process


def redact(text: str) -> str:
    """Remove URLs and the configured webhook addresses (webhook URLs are secrets)."""
    for secret in {settings.alerting().webhook_url, *_SECRETS} - {""}:
        text = text.replace(secret, "<url>")
        if "://" in secret:
            text = text.replace(secret.split("://", 1)[1], "<url>")
    return _URL.sub("<url>", text)


def webhook_url() -> str:
    """The webhook's URL: from the environment, else from the Prefect Secret block named in
    SAKIP_ALERT_WEBHOOK_SECRET (raises when that block can't be read: a failed delivery), else none."""
    configured = settings.alerting()
    url, name = configured.webhook_url, configured.webhook_secret
    if url or not name:
        return url
    from prefect.blocks.system import Secret

    url = str(Secret.load(name).get()).strip()
    _SECRETS.add(url)
    return url


def deliver(alert: Alert, retry_delay: float = 1.0) -> list[Delivery]:
    """Send the alert on every configured channel. Never raises."""
    deliveries = []
    configured = settings.alerting()
    if configured.webhook_url or configured.webhook_secret:
        deliveries.append(_retry("webhook", lambda: _post(webhook_url(), alert), retry_delay))
    for name in configured.blocks:
        deliveries.append(_retry(f"block:{name}", lambda name=name: _notify_block(name, alert), retry_delay))
    return deliveries


def _post(url: str, alert: Alert) -> None:
    response = httpx.post(url, json=alert.payload(), timeout=10)
    response.raise_for_status()


def _notify_block(name: str, alert: Alert) -> None:
    from prefect.blocks.core import Block

    block = Block.load(name)
    block.notify(alert.body, subject=alert.subject)


def _retry(channel: str, send, retry_delay: float) -> Delivery:
    error = None
    for attempt in range(1, ATTEMPTS + 1):
        try:
            send()
            return Delivery(channel, "sent", attempt)
        except Exception as exc:  # any failure of a channel is recorded, never raised
            error = redact(f"{exc.__class__.__name__}: {exc}")
            if attempt < ATTEMPTS:
                time.sleep(retry_delay * 2 ** (attempt - 1))
    return Delivery(channel, "failed", ATTEMPTS, error)


def record(con, run_id: str, alert: Alert, deliveries: list[Delivery]) -> None:
    """Every alert goes to audit.alerts, delivered or not (channel 'none' when no channel is configured)."""
    now = dt.datetime.now()
    rows = [(run_id, now, d.channel, alert.subject, d.status, d.attempts, d.error) for d in deliveries]
    con.executemany("insert into audit.alerts values (?, ?, ?, ?, ?, ?, ?)",
                    rows or [(run_id, now, "none", alert.subject, "not_configured", 0, None)])


def send(paths, run_id: str, alert: Alert, retry_delay: float | None = None) -> list[Delivery]:
    """Deliver an alert and record it in audit.alerts. Never raises: an alert must not fail the run."""
    from sakip.warehouse.db import connect
    from sakip.warehouse.lock import warehouse_lock

    delay = settings.alerting().retry_delay if retry_delay is None else retry_delay
    deliveries = deliver(alert, delay)
    try:
        with warehouse_lock(paths):
            con = connect(paths.db)
            try:
                record(con, run_id, alert, deliveries)
            finally:
                con.close()
    except Exception:  # the warehouse itself may be what failed; the alert was still sent
        pass
    return deliveries
