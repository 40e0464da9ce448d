"""Scheduled runs for real: deploy/sakip-local.sh starts a Prefect server on 127.0.0.1 with its own PREFECT_HOME,
creates the process pool, deploys prefect.yaml, sets up the failure automation and starts a worker; the monthly
deployment runs against the bundled demo exports as if scheduled on 6 July 2025; a run that fails reaches the
automation's webhook on a receiver on 127.0.0.1. Everything started is stopped."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from builders import published
from conftest import BIN, DEMO_INBOX, ROOT, _free_port
from sakip.flows.monthly import resolve_period

JAKARTA = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.parametrize("scheduled, period", [
    (dt.datetime(2025, 7, 6, 6, 0, tzinfo=JAKARTA), (2025, 6)),
    (dt.datetime(2026, 1, 6, 6, 0, tzinfo=JAKARTA), (2025, 12)),
    (dt.datetime(2025, 7, 5, 23, 0, tzinfo=dt.timezone.utc), (2025, 6)),   # the same instant in UTC
    (dt.datetime(2025, 6, 30, 17, 30, tzinfo=dt.timezone.utc), (2025, 6)),  # 1 July 00:30 WIB: June is closed
    (dt.datetime(2025, 8, 20, 9, 0, tzinfo=JAKARTA), (2025, 7)),            # a late re-run of the schedule
])
def test_the_period_is_the_month_closed_at_the_scheduled_time(scheduled, period):
    assert resolve_period(None, scheduled) == period


def test_an_explicit_period_wins_over_the_schedule():
    assert resolve_period("2025-03", dt.datetime(2025, 7, 6, 6, 0, tzinfo=JAKARTA)) == (2025, 3)


def test_monthly_deployment_on_a_real_server_with_worker_schedule_and_failure_automation(tmp_path, webhook):
    port = _free_port()
    inbox, warehouse, state = tmp_path / "inbox", tmp_path / "wh", tmp_path / "state"
    shutil.copytree(DEMO_INBOX, inbox)
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "warehouse.duckdb").write_text("not a database")
    bad_inbox = tmp_path / "bad"
    bad_inbox.mkdir()
    (bad_inbox / "realisasi.csv").write_text("Tahun;Kode Satker;Kode IKU;Bulan;Realisasi\n2025;672849;IKU1.1;B13;90\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(SAKIP_STATE_DIR=str(state), SAKIP_PREFECT_PORT=str(port), SAKIP_INBOX=str(inbox),
               SAKIP_WAREHOUSE=str(warehouse), SAKIP_ALERT_WEBHOOK_URL=f"{webhook.url}/automation",
               SAKIP_ALERT_RETRY_DELAY="0.1", PREFECT_UI_ENABLED="false", PREFECT_HOME=str(tmp_path / "prefect"))
    script = ROOT / "deploy" / "sakip-local.sh"
    try:
        started = subprocess.run([str(script), "start"], env=env, capture_output=True, text=True, timeout=420)
        assert started.returncode == 0, started.stdout + started.stderr
        check = subprocess.run([str(BIN / "python"), str(ROOT / "tests" / "deployment_check.py"), str(corrupt),
                                str(bad_inbox)],
                               env={**env, "PREFECT_API_URL": f"http://127.0.0.1:{port}/api"},
                               capture_output=True, text=True, timeout=900)
        assert check.returncode == 0, check.stdout + check.stderr
        outcome = json.loads(check.stdout.strip().splitlines()[-1])

        assert outcome["june_state"] == "COMPLETED"
        assert published(warehouse, "select round(nko, 2), predikat from mart.nko where tahun = 2025 and bulan = 6"
                         ) == [(105.73, "Istimewa")]
        assert "| 672849 Balai POM di Dumai | 105.73 | Istimewa | 18 of 24 |" in outcome["summary"]
        assert outcome["refusing_state"] == "COMPLETED"  # a refused source is the data's failure, not the run's
        rows = json.loads(outcome["refused_rows"])
        assert rows[0]["file"] == "realisasi.csv" and rows[0]["check"] == "month" and rows[0]["row"] == 2
        assert outcome["upcoming"], "the scheduler created no upcoming run"
        for start in outcome["upcoming"]:
            when = dt.datetime.fromisoformat(start)
            assert (when.day, when.hour, when.minute, when.utcoffset()) == (6, 6, 0, dt.timedelta(hours=7))

        assert outcome["failing_state"] == "FAILED"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            notified = [b for b in webhook.for_path("/automation") if b.get("source") == "prefect-automation"]
            if notified:
                break
            time.sleep(1)
        assert notified, "the automation sent nothing"
        assert "sakip-monthly" in notified[0]["subject"] and "Failed" in notified[0]["subject"]
    finally:
        stopped = subprocess.run([str(script), "stop"], env=env, capture_output=True, text=True, timeout=120)
        assert stopped.returncode == 0, stopped.stderr
        for name in ("server", "worker"):
            assert not (state / f"{name}.pid").exists()
