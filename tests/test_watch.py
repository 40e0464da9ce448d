"""The dead man's switch (`sakip watch`): one alert for a month not published by its deadline
(`tenggat.csv`: the 10th of the next month, 12:00 WIB), none for a month that was, none twice; a failed
delivery is tried again at the next check. What it prints and alerts is in the operators' language: Indonesian
unless SAKIP_LANG says otherwise."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from zoneinfo import ZoneInfo

import pytest

from builders import published
from conftest import DEMO_INBOX
from sakip.watch import Published, deadline, missed_alert

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize("now, due", [
    (dt.datetime(2025, 7, 10, 12, 0, tzinfo=WIB), (2025, 6)),              # at the deadline: June is due
    (dt.datetime(2025, 7, 10, 11, 59, tzinfo=WIB), (2025, 5)),             # a minute before: May
    (dt.datetime(2025, 7, 10, 4, 59, tzinfo=dt.UTC), (2025, 5)),  # 11:59 WIB, written in UTC
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


@pytest.fixture(scope="module")
def june_only(sakip, tmp_path_factory):
    """A warehouse that published June 2025 alone (the demo publishes March too, leaving April and May as the
    gaps a watch reports)."""
    warehouse = tmp_path_factory.mktemp("june") / "wh"
    result = sakip("run", "--inbox", str(DEMO_INBOX), "--warehouse", str(warehouse), "--period", "2025-06")
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse


def _check(sakip, warehouse, now, env=None):
    return sakip("watch", "--warehouse", str(warehouse), "--now", now, env=env, timeout=120)


def test_one_alert_for_a_month_not_published_none_for_a_month_that_was(sakip, june_only, webhook, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(june_only, warehouse)
    env = {"SAKIP_ALERT_WEBHOOK_URL": f"{webhook.url}/watch", "SAKIP_ALERT_RETRY_DELAY": "0.05"}
    [(run_id,)] = published(warehouse, "select run_id from audit.runs where periode = '2025-06'")

    june = _check(sakip, warehouse, "2025-07-10T12:30:00+07:00", env)
    assert june.returncode == 0, june.stderr
    assert f"2025-06: diterbitkan (run {run_id}), batas waktu 10-07-2025 12:00 terpenuhi" in june.stdout
    assert webhook.for_path("/watch") == []

    july = _check(sakip, warehouse, "2025-08-10T12:30:00+07:00", env)
    assert july.returncode == 0, july.stderr
    [sent] = webhook.for_path("/watch")
    assert sent["period"] == "2025-07" and sent["subject"] == "[sakip] 2025-07 belum diterbitkan sampai batas waktunya"
    assert "10-08-2025 12:00" in sent["body"]
    assert f"Bulan terakhir yang diterbitkan: 2025-06, oleh run {run_id}." in sent["body"]
    assert "Server Prefect di http" in sent["body"] and "merespons." in sent["body"]
    assert "tidak merespons" not in sent["body"]
    record = json.loads((warehouse / "watch" / "2025-07.json").read_text())
    assert record["deliveries"][0]["status"] == "sent"

    again = _check(sakip, warehouse, "2025-08-20T09:00:00+07:00", env)
    assert "2025-07: belum diterbitkan; peringatan sudah dikirim" in again.stdout
    assert len(webhook.for_path("/watch")) == 1


def test_a_month_whose_runs_refused_everything_is_not_published(sakip, june_only, webhook, tmp_path):
    """audit.runs says `done` for a run that refused every file: the watch reads the published rows."""
    warehouse, inbox = tmp_path / "wh", tmp_path / "july"
    shutil.copytree(june_only, warehouse)
    inbox.mkdir()
    (inbox / "realisasi.csv").write_text("Tahun;Kode Satker;Kode IKU;Bulan;Realisasi\n2025;672849;IKU1.1;B13;90\n")
    assert sakip("run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--period", "2025-07").returncode == 2
    assert sakip("run", "--inbox", str(DEMO_INBOX), "--warehouse", str(warehouse), "--period", "2025-06"
                 ).returncode == 0  # publishes again, the July run's row in audit.runs with it
    assert published(warehouse, "select count(*) from audit.runs where periode = '2025-07' and status = 'done'"
                     ) == [(1,)]
    env = {"SAKIP_ALERT_WEBHOOK_URL": f"{webhook.url}/watch-refused", "SAKIP_ALERT_RETRY_DELAY": "0.05"}
    result = _check(sakip, warehouse, "2025-08-10T12:30:00+07:00", env)
    assert "2025-07: belum diterbitkan sampai 10-08-2025 12:00; peringatan terkirim (webhook)" in result.stdout
    assert [b["period"] for b in webhook.for_path("/watch-refused")] == ["2025-07"]


def test_a_watch_stopped_across_deadlines_reports_each_month_it_missed(sakip, june_only, webhook, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(june_only, warehouse)
    env = {"SAKIP_ALERT_WEBHOOK_URL": f"{webhook.url}/watch-late", "SAKIP_ALERT_RETRY_DELAY": "0.05"}
    _check(sakip, warehouse, "2025-10-10T13:00:00+07:00", env)
    assert [b["period"] for b in webhook.for_path("/watch-late")] == ["2025-09", "2025-08", "2025-07"]
    # three at most: a warehouse's old gaps are not alerted every time
    _check(sakip, warehouse, "2026-03-10T13:00:00+07:00", env)
    assert [b["period"] for b in webhook.for_path("/watch-late")][3:] == ["2026-02", "2026-01", "2025-12"]


def test_a_failed_delivery_is_tried_again_at_the_next_check(sakip, june_only, webhook, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(june_only, warehouse)
    env = {"SAKIP_ALERT_WEBHOOK_URL": f"{webhook.url}/watch-retry/t0ken", "SAKIP_ALERT_RETRY_DELAY": "0.05"}
    webhook.status = 500
    try:
        failed = _check(sakip, warehouse, "2025-08-11T00:00:00+07:00", env)
    finally:
        webhook.status = 200
    assert "peringatan tidak dapat dikirim" in failed.stdout
    assert "pemeriksaan berikutnya akan mencoba lagi" in failed.stdout
    assert "t0ken" not in failed.stdout  # the URL is a secret
    assert not (warehouse / "watch" / "2025-07.json").exists()
    assert len(webhook.for_path("/watch-retry/t0ken")) == 3  # three attempts
    _check(sakip, warehouse, "2025-08-11T01:00:00+07:00", env)
    assert len(webhook.for_path("/watch-retry/t0ken")) == 4
    assert (warehouse / "watch" / "2025-07.json").exists()


def test_a_new_installation_is_held_to_the_months_after_it(sakip, webhook, tmp_path):
    empty = tmp_path / "new"
    env = {"SAKIP_ALERT_WEBHOOK_URL": f"{webhook.url}/watch-new", "SAKIP_ALERT_RETRY_DELAY": "0.05"}
    first = _check(sakip, empty, "2025-07-20T08:00:00+07:00", env)   # installed: June's deadline has passed
    assert first.returncode == 0 and "belum ada bulan yang lewat batas waktunya" in first.stdout
    result = _check(sakip, empty, "2025-08-10T12:30:00+07:00", env)  # nothing ran in July
    assert "2025-07: belum diterbitkan sampai 10-08-2025 12:00; peringatan terkirim (webhook)" in result.stdout
    [sent] = webhook.for_path("/watch-new")
    assert "Belum ada yang diterbitkan pada warehouse ini." in sent["body"]


def test_without_a_channel_the_alert_stays_in_the_log_every_time(sakip, june_only, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(june_only, warehouse)
    for _ in range(2):
        result = _check(sakip, warehouse, "2025-08-10T12:30:00+07:00")
        assert "2025-07: belum diterbitkan sampai 10-08-2025 12:00; tidak ada saluran yang diatur" in result.stdout
    english = _check(sakip, warehouse, "2025-08-10T12:30:00+07:00", {"SAKIP_LANG": "en"})
    assert "2025-07: not published by 10-08-2025 12:00; no channel configured" in english.stdout
    assert "No sakip run has published 2025-07 by its deadline, 10-08-2025 12:00 (Asia/Jakarta)." in english.stdout
    assert not (warehouse / "watch" / "2025-07.json").exists()


def test_a_watch_that_cannot_check_alerts_once_a_day_and_keeps_going(sakip, june_only, webhook, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(june_only, warehouse)
    (warehouse / "published.duckdb").write_bytes(b"not a database at all" * 100)
    env = {"SAKIP_ALERT_WEBHOOK_URL": f"{webhook.url}/watch-broken", "SAKIP_ALERT_RETRY_DELAY": "0.05"}
    for at in ("2025-08-10T12:30:00+07:00", "2025-08-10T18:30:00+07:00"):
        result = _check(sakip, warehouse, at, env)
        assert result.returncode == 1 and "tidak dapat memeriksa:" in result.stdout
        assert "Traceback" not in result.stdout + result.stderr
    [sent] = webhook.for_path("/watch-broken")
    assert sent["subject"] == "[sakip] pemantau batas waktu tidak dapat memeriksa"
    assert "sakip watch tidak dapat memeriksa" in sent["body"] and "published.duckdb" in sent["body"]
    reference = tmp_path / "ref"
    reference.mkdir()
    for bad, why in (("jenis,hari,jam,zona_waktu,keterangan\nbulanan,31,12:00,Asia/Jakarta,x\n",
                      "hari harus antara 1 dan 28, bukan 31"),
                     ("", "tenggat.csv: kolom jenis, hari, jam"),
                     ("jenis;hari\nbulanan;10\n", "tenggat.csv: kolom jenis, hari, jam"),
                     ("jenis,hari,jam,zona_waktu,keterangan\nbulanan,10,12:00,Mars/Olympus,x\n", "zona_waktu")):
        (reference / "tenggat.csv").write_text(bad)
        result = _check(sakip, tmp_path / "other", "2025-08-10T12:30:00+07:00", {"SAKIP_REFERENCE_DIR": str(reference)})
        assert result.returncode == 1 and why in result.stdout, result.stdout
        assert "Traceback" not in result.stdout + result.stderr


def test_the_deadline_missed_alert_is_indonesian_by_default_and_english_on_request(monkeypatch):
    due = deadline().of(2025, 7)
    found = Published({(2025, 5): "run-may", (2025, 6): None})
    server = "(server line)"
    monkeypatch.delenv("SAKIP_LANG", raising=False)
    alert = missed_alert(2025, 7, due, found, server)
    assert (alert.subject, alert.period, alert.satker) == (
        "[sakip] 2025-07 belum diterbitkan sampai batas waktunya", "2025-07", None)
    assert alert.body.splitlines() == [
        "Belum ada run sakip yang menerbitkan 2025-07 sampai batas waktunya, 10-08-2025 12:00 (Asia/Jakarta).",
        "Bulan terakhir yang diterbitkan: 2025-06, oleh run (tidak diketahui).",
        server,
        "Periksa: docs/operations.md, bagian 'Bulan yang tidak dijalankan' (server, worker, "
        "`deploy/sakip-local.sh status`, flow run terakhir)."]
    assert missed_alert(2025, 7, due, Published({}), None).body.splitlines()[1] == \
        "Belum ada yang diterbitkan pada warehouse ini."

    monkeypatch.setenv("SAKIP_LANG", "en")
    alert = missed_alert(2025, 7, due, found, server)
    assert alert.subject == "[sakip] 2025-07 not published by its deadline"
    assert alert.body.splitlines() == [
        "No sakip run has published 2025-07 by its deadline, 10-08-2025 12:00 (Asia/Jakarta).",
        "Last month published: 2025-06, by run (unknown).",
        server,
        "What to check: docs/operations.md, 'Bulan yang tidak dijalankan' (the server, the worker, "
        "`deploy/sakip-local.sh status`, the last flow runs)."]
    assert missed_alert(2025, 7, due, Published({}), None).body.splitlines()[1] == \
        "Nothing has been published on this warehouse yet."
