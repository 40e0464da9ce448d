"""The dead man's switch (`sakip watch`): one alert for a month not published by its deadline
(`tenggat.csv`: the 10th of the next month, 12:00 WIB), none for a month that was, none twice; a failed
delivery is tried again at the next check."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from zoneinfo import ZoneInfo

import pytest

from builders import published
from sakip.watch import deadline

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize("now, due", [
    (dt.datetime(2025, 7, 10, 12, 0, tzinfo=WIB), (2025, 6)),              # at the deadline: June is due
    (dt.datetime(2025, 7, 10, 11, 59, tzinfo=WIB), (2025, 5)),             # a minute before: May
    (dt.datetime(2025, 7, 10, 4, 59, tzinfo=dt.timezone.utc), (2025, 5)),  # 11:59 WIB, written in UTC
    (dt.datetime(2025, 7, 31, 23, 0, tzinfo=WIB), (2025, 6)),
    (dt.datetime(2026, 1, 10, 12, 0, tzinfo=WIB), (2025, 12)),             # December's, in January
    (dt.datetime(2026, 1, 9, 8, 0, tzinfo=WIB), (2025, 11)),
])
def test_the_month_due_is_the_latest_whose_deadline_has_passed(now, due):
    assert deadline().month_due(now) == due


def test_the_deadline_is_reference_data(tmp_path, monkeypatch):
    (tmp_path / "tenggat.csv").write_text("jenis,hari,jam,zona_waktu,keterangan\nbulanan,3,08:30,Asia/Makassar,x\n")
    monkeypatch.setenv("SAKIP_REFERENCE_DIR", str(tmp_path))
    rule = deadline()
    assert rule.of(2025, 12) == dt.datetime(2026, 1, 3, 8, 30, tzinfo=ZoneInfo("Asia/Makassar"))
    assert rule.month_due(dt.datetime(2025, 7, 3, 8, 30, tzinfo=ZoneInfo("Asia/Makassar"))) == (2025, 6)


def _check(sakip, warehouse, now, env=None):
    return sakip("watch", "--warehouse", str(warehouse), "--now", now, env=env, timeout=120)


def test_one_alert_for_a_month_not_published_none_for_a_month_that_was(sakip, template, webhook, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    env = {"SAKIP_ALERT_WEBHOOK_URL": f"{webhook.url}/watch", "SAKIP_ALERT_RETRY_DELAY": "0.05"}
    [(run_id, finished)] = published(warehouse, "select run_id, coalesce(finished_at, started_at) from audit.runs "
                                    "where periode = '2025-06'")

    june = _check(sakip, warehouse, "2025-07-10T12:30:00+07:00", env)
    assert june.returncode == 0, june.stderr
    assert f"2025-06: published by run {run_id}" in june.stdout and "deadline met" in june.stdout
    assert webhook.for_path("/watch") == []

    july = _check(sakip, warehouse, "2025-08-10T12:30:00+07:00", env)
    assert july.returncode == 0, july.stderr
    [sent] = webhook.for_path("/watch")
    assert sent["period"] == "2025-07" and sent["subject"] == "[sakip] 2025-07 not published by its deadline"
    assert "10-08-2025 12:00" in sent["body"]
    assert f"Last run that published: {run_id}, period 2025-06, at {finished:%d-%m-%Y %H:%M}" in sent["body"]
    assert "The Prefect server at http" in sent["body"] and "answers" in sent["body"]
    record = json.loads((warehouse / "watch" / "2025-07.json").read_text())
    assert record["deliveries"][0]["status"] == "sent"

    again = _check(sakip, warehouse, "2025-08-20T09:00:00+07:00", env)
    assert "alerted already" in again.stdout
    assert len(webhook.for_path("/watch")) == 1


def test_a_failed_delivery_is_tried_again_at_the_next_check(sakip, template, webhook, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    env = {"SAKIP_ALERT_WEBHOOK_URL": f"{webhook.url}/watch-retry/t0ken", "SAKIP_ALERT_RETRY_DELAY": "0.05"}
    webhook.status = 500
    try:
        failed = _check(sakip, warehouse, "2025-09-11T00:00:00+07:00", env)
    finally:
        webhook.status = 200
    assert "the alert could not be sent" in failed.stdout and "next check tries again" in failed.stdout
    assert "t0ken" not in failed.stdout  # the URL is a secret
    assert not (warehouse / "watch" / "2025-08.json").exists()
    assert len(webhook.for_path("/watch-retry/t0ken")) == 3  # three attempts
    _check(sakip, warehouse, "2025-09-11T01:00:00+07:00", env)
    assert len(webhook.for_path("/watch-retry/t0ken")) == 4
    assert (warehouse / "watch" / "2025-08.json").exists()


def test_a_warehouse_never_published_and_a_bad_deadline_file(sakip, tmp_path):
    empty = tmp_path / "new"
    empty.mkdir()
    result = _check(sakip, empty, "2025-08-10T12:30:00+07:00")
    assert result.returncode == 0
    assert "2025-07: not published" in result.stdout and "No run has ever published" in result.stdout
    reference = tmp_path / "ref"
    reference.mkdir()
    (reference / "tenggat.csv").write_text("jenis,hari,jam,zona_waktu,keterangan\nbulanan,31,12:00,Asia/Jakarta,x\n")
    bad = _check(sakip, empty, "2025-08-10T12:30:00+07:00", {"SAKIP_REFERENCE_DIR": str(reference)})
    assert bad.returncode == 1
    assert "tenggat.csv: hari must be between 1 and 28, not 31" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr
