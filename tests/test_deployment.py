"""Scheduled runs for real: deploy/sakip-local.sh starts a Prefect server on 127.0.0.1 with its own PREFECT_HOME,
creates the process pool, deploys prefect.yaml, sets up the failure and zombie automations and starts a worker
and the watch, once for this module; the monthly deployment runs against the bundled demo exports as if
scheduled on 6 July 2025; a run that fails reaches the automation's webhook on a receiver on 127.0.0.1; a run
whose worker and process are killed (-9) is crashed by the zombie automation, alerted once, and the next run
takes the deployment's slot. Everything started is stopped. Nothing sets SAKIP_LANG: what operators read (the
status, the automations' texts, the flows' summaries) is in the default language, Indonesian."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import stat
import subprocess
import time

import httpx
import pytest

from builders import published
from conftest import BIN, DEMO_INBOX, ROOT, _free_port
from sakip.flows.monthly import resolve_period
from sakip.i18n import _
from sakip.report.format import persen

JAKARTA = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.parametrize("scheduled, period", [
    (dt.datetime(2025, 7, 6, 6, 0, tzinfo=JAKARTA), (2025, 6)),
    (dt.datetime(2026, 1, 6, 6, 0, tzinfo=JAKARTA), (2025, 12)),
    (dt.datetime(2025, 7, 5, 23, 0, tzinfo=dt.UTC), (2025, 6)),   # the same instant in UTC
    (dt.datetime(2025, 6, 30, 17, 30, tzinfo=dt.UTC), (2025, 6)),  # 1 July 00:30 WIB: June is closed
    (dt.datetime(2025, 8, 20, 9, 0, tzinfo=JAKARTA), (2025, 7)),            # a late re-run of the schedule
])
def test_the_period_is_the_month_closed_at_the_scheduled_time(scheduled, period):
    assert resolve_period(None, scheduled) == period


def test_an_explicit_period_wins_over_the_schedule():
    assert resolve_period("2025-03", dt.datetime(2025, 7, 6, 6, 0, tzinfo=JAKARTA)) == (2025, 3)




@pytest.fixture(scope="module")
def deployed(tmp_path_factory, webhook):
    """deploy/sakip-local.sh start on a fresh state folder, the demo inbox, a webhook on 127.0.0.1; a run
    without heartbeats for 60 s is crashed (the shortest the deploy module accepts)."""
    tmp_path = tmp_path_factory.mktemp("deployed")
    port = _free_port()
    inbox, warehouse, state = tmp_path / "inbox", tmp_path / "wh", tmp_path / "state"
    shutil.copytree(DEMO_INBOX, inbox)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_") and k != "SAKIP_LANG"}
    env.update(SAKIP_STATE_DIR=str(state), SAKIP_PREFECT_PORT=str(port), SAKIP_INBOX=str(inbox),
               SAKIP_WAREHOUSE=str(warehouse), SAKIP_ALERT_WEBHOOK_URL=f"{webhook.url}/automation/s3cr3t-token",
               SAKIP_ALERT_RETRY_DELAY="0.1", SAKIP_ZOMBIE_AFTER_SECONDS="60", PREFECT_UI_ENABLED="false",
               PREFECT_HOME=str(tmp_path / "prefect"))
    script = ROOT / "deploy" / "sakip-local.sh"
    started = subprocess.run([str(script), "start"], env=env, capture_output=True, text=True, timeout=420,
                             umask=0o022)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        user, password = (state / "api-auth").read_text().strip().split(":", 1)
        yield {"env": env, "tmp": tmp_path, "warehouse": warehouse, "state": state, "script": script,
               "api": f"http://127.0.0.1:{port}/api", "hook": env["SAKIP_ALERT_WEBHOOK_URL"],
               "auth": (user, password), "client": httpx.Client(base_url=f"http://127.0.0.1:{port}/api",
                                                                auth=(user, password), timeout=30)}
    finally:
        stopped = subprocess.run([str(script), "stop"], env=env, capture_output=True, text=True, timeout=120)
        assert stopped.returncode == 0, stopped.stderr
        for name in ("server", "worker", "watch"):
            assert not (state / f"{name}.pid").exists()


def automation_alerts(webhook) -> list[dict]:
    return [b for b in webhook.for_path("/automation/s3cr3t-token") if b.get("source") == "prefect-automation"]


def test_monthly_deployment_on_a_real_server_with_worker_schedule_and_failure_automation(deployed, webhook,
                                                                                          monkeypatch):
    monkeypatch.delenv("SAKIP_LANG", raising=False)  # the summary below is written as the worker writes it
    tmp_path, env, warehouse = deployed["tmp"], deployed["env"], deployed["warehouse"]
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "warehouse.duckdb").write_text("not a database")
    bad_inbox = tmp_path / "bad"
    bad_inbox.mkdir()
    (bad_inbox / "realisasi.csv").write_text("Tahun;Kode Satker;Kode IKU;Bulan;Realisasi\n2025;672849;IKU1.1;B13;90\n")
    check = subprocess.run([str(BIN / "python"), str(ROOT / "tests" / "deployment_check.py"), str(corrupt),
                            str(bad_inbox)],
                           env={**env, "PREFECT_API_URL": deployed["api"],
                                "PREFECT_API_AUTH_STRING": ":".join(deployed["auth"])},
                           capture_output=True, text=True, timeout=900)
    assert check.returncode == 0, check.stdout + check.stderr
    outcome = json.loads(check.stdout.strip().splitlines()[-1])

    assert outcome["june_state"] == "COMPLETED"
    assert outcome["june_name"] == "sakip-2025-06"
    assert published(warehouse, "select round(nko, 2), predikat from mart.nko where tahun = 2025 and bulan = 6"
                     ) == [(105.73, "Istimewa")]
    measured = _("{measured} of {total}").format(measured=18, total=24)
    assert f"| 672849 Balai POM di Dumai | {persen(105.73)} | Istimewa | {measured} |" in outcome["summary"]
    assert outcome["refusing_state"] == "COMPLETED"  # a refused source is the data's failure, not the run's
    rows = json.loads(outcome["refused_rows"])
    # the artifact's columns are in the worker's language; the check keeps its stable code
    assert rows[0][_("file")] == "realisasi.csv" and rows[0][_("check")] == "month" and rows[0][_("row")] == 2
    # the flow's own alert for the refused file reached the webhook through the server's Secret block
    refusals = [b for b in webhook.for_path("/automation/s3cr3t-token") if b.get("period") == "2025-06"
                and b.get("failures")]
    assert refusals and refusals[-1]["failures"][0]["file"] == "realisasi.csv"
    assert outcome["upcoming"], "the scheduler created no upcoming run"
    for start in outcome["upcoming"]:
        when = dt.datetime.fromisoformat(start)
        assert (when.day, when.hour, when.minute, when.utcoffset()) == (6, 6, 0, dt.timedelta(hours=7))

    assert outcome["failing_state"] == "FAILED" and outcome["quarterly_state"] == "FAILED"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        notified = [b for b in automation_alerts(webhook) if "Failed" in b["subject"]]
        if len(notified) >= 2:
            break
        time.sleep(1)
    time.sleep(5)  # an alert too many would arrive by now
    notified = [b for b in automation_alerts(webhook) if "Failed" in b["subject"]]
    # one per failed run of a deployment: the quarterly run's monthly subflow, failed too, sends none
    assert sorted(b["subject"].split()[1] for b in notified) == ["sakip-monthly", "sakip-quarterly"], notified


def test_the_webhook_url_is_a_secret_and_the_prefect_home_is_the_owners(deployed):
    api, hook, client = deployed["api"], deployed["hook"], deployed["client"]
    secret = hook.split("://", 1)[1]
    # without the password, the API answers nothing but its health
    for body in ({"include_secrets": True}, {}):
        assert httpx.post(api + "/block_documents/filter", json=body, timeout=30).status_code == 401
    assert httpx.get(api + "/health", timeout=30).status_code == 200
    calls = [("post", "/block_documents/filter", {"include_secrets": False}),
             ("post", "/block_documents/filter", {}),
             ("post", "/automations/filter", {}), ("post", "/variables/filter", {}),
             ("post", "/deployments/filter", {}), ("post", "/work_pools/filter", {}),
             ("post", "/flow_runs/filter", {}), ("post", "/events/filter", {"limit": 50}),
             ("get", "/block_types/slug/custom-webhook/block_documents", None)]
    for method, path, body in calls:
        response = client.request(method, path, json=body)
        assert response.status_code == 200, (path, response.text[:300])
        assert "s3cr3t-token" not in response.text and secret not in response.text, path
    documents = client.post("/block_documents/filter", json={}).json()
    names = {d["name"] for d in documents}
    assert {"sakip-alert-webhook", "sakip-alert-webhook-url"} <= names
    # the Prefect home and the state folder let nobody else in; what the server and the script write there
    # (the database, its log, the API's password) is this user's only even inside them
    home, state = deployed["tmp"] / "prefect", deployed["state"]
    for folder in (home, state, home / "storage"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    written = [*home.glob("prefect.db*"), *state.glob("*.log"), state / "api-auth"]
    assert len(written) >= 5
    for path in written:
        mode = path.lstat().st_mode
        assert not mode & (stat.S_IRWXG | stat.S_IRWXO), f"{path} is open to others: {stat.filemode(mode)}"
    # what the worker's runs write for planners and analysts keeps the caller's umask (022 here)
    assert stat.S_IMODE((deployed["warehouse"] / "published.duckdb").stat().st_mode) == 0o644
    status = subprocess.run([str(deployed["script"]), "status"], env=deployed["env"], capture_output=True,
                            text=True, timeout=120)
    assert status.returncode == 0, status.stdout + status.stderr
    for line in ("server: running", "worker: running", "watch: running",
                 "otomasi 'sakip: flow run failed or crashed': ok (Crashed, Failed, TimedOut → "
                 "custom-webhook/sakip-alert-webhook)",
                 "otomasi 'sakip: flow run without heartbeats is crashed': ok (dalam 60 detik)",
                 "deployment sakip-monthly/monthly: ok (terjadwal, heartbeat setiap 30 detik)"):
        assert line in status.stdout, status.stdout


def _flow_run(client: httpx.Client, run_id: str) -> dict:
    return client.get(f"/flow_runs/{run_id}").json()


def _wait(condition, timeout: float, what: str, every: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def test_a_lost_worker_and_run_are_crashed_alerted_once_and_the_next_run_takes_the_slot(deployed, webhook):
    api, state, env = deployed["client"], deployed["state"], deployed["env"]
    deployment = api.get("/deployments/name/sakip-monthly/monthly").json()
    pause = deployed["tmp"] / "paused"
    run = api.post(f"/deployments/{deployment['id']}/create_flow_run", json={
        "parameters": {"period": "2025-06"},
        # merged into the deployment's environment (its heartbeat setting included)
        "job_variables": {"env": {"SAKIP_PAUSE_AT": "before_lock", "SAKIP_PAUSE_FILE": str(pause)}}
    }).json()
    _wait(pause.exists, 300, "the run reaching its pause")
    flow_pid = int(pause.read_text())

    def heartbeat():
        found = api.post("/events/filter", json={"filter": {
            "event": {"name": ["prefect.flow-run.heartbeat"]},
            "resource": {"id": [f"prefect.flow-run.{run['id']}"]}}}).json()
        return found["events"]
    _wait(heartbeat, 60, "a heartbeat of the run")
    # a lost machine: the worker and the flow run's process, each with its process group, at once
    worker_pid = int((state / "worker.pid").read_text())
    # the worker first: killed second, it could see its child die and report the run Crashed itself, before
    # the zombie detection this test is about (a race seen on a loaded machine)
    flow_group = os.getpgid(flow_pid)
    os.killpg(worker_pid, signal.SIGKILL)
    if flow_group != worker_pid:
        os.killpg(flow_group, signal.SIGKILL)
    killed = time.monotonic()
    _wait(lambda: _flow_run(api, run["id"])["state"]["type"] == "CRASHED", 240, "the lost run Crashed")
    print(f"lost run Crashed {time.monotonic() - killed:.0f} s after the kill")
    lost = _flow_run(api, run["id"])
    last_beat = max(dt.datetime.fromisoformat(e["occurred"]) for e in heartbeat())
    # not before 60 s without a heartbeat: a live run is never taken for a lost one
    assert dt.datetime.fromisoformat(lost["state"]["timestamp"]) - last_beat >= dt.timedelta(seconds=60)
    assert "tidak ada heartbeat selama 60 detik" in lost["state"]["message"]
    name = lost["name"]
    _wait(lambda: [b for b in automation_alerts(webhook) if name in b["subject"] and "Crashed" in b["subject"]],
          120, "the failure automation's alert for the crashed run")

    # the worker comes back (a reboot runs start again); the next run of the deployment gets the slot
    started = subprocess.run([str(deployed["script"]), "start"], env=env, capture_output=True, text=True,
                             timeout=420, umask=0o022)
    assert started.returncode == 0, started.stdout + started.stderr
    pause.unlink(missing_ok=True)
    # the server `start` found running may still be taking its new worker's connections: ask until it answers
    after = _wait(lambda: (r := api.post(f"/deployments/{deployment['id']}/create_flow_run",
                                         json={"parameters": {"period": "2025-06"}}).json()).get("id") and r,
                  60, "the next run created")
    final = _wait(lambda: (s := _flow_run(api, after["id"])["state"]["type"]) in
                  ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") and s, 300, "the next run ending")
    assert final == "COMPLETED"
    time.sleep(5)  # an alert sent twice would arrive by now
    crashed_alerts = [b for b in automation_alerts(webhook) if name in b["subject"]]
    assert len(crashed_alerts) == 1, crashed_alerts
