"""A run that dies, a reader during a run, two runs at once, alerts that can't be delivered (issue: a bad export
never corrupts or silently skews the published figures)."""
from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
import sys
import textwrap

import duckdb
import pytest

from builders import published
from conftest import DEMO_INBOX


def state(warehouse):
    """Checksums of the published file and of every Parquet file."""
    files = {"published.duckdb": hashlib.sha256((warehouse / "published.duckdb").read_bytes()).hexdigest()}
    for p in sorted((warehouse / "parquet").rglob("*.parquet")):
        files[str(p.relative_to(warehouse))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return files


@pytest.fixture(scope="module")
def correction(tmp_path_factory):
    """A newer Realisasi export for June: IKU1.1 corrected from 93,96 to 81,25 (capaian 115,64 → 100)."""
    inbox = tmp_path_factory.mktemp("correction")
    source = DEMO_INBOX / "Realisasi_Kinerja_672849_2025_B06.csv"
    text = source.read_bytes().decode("utf-8-sig")
    text = text.replace("Tanggal Unduh : 01/07/2025", "Tanggal Unduh : 03/07/2025").replace(";93,96;", ";81,25;")
    (inbox / "Realisasi_Kinerja_672849_2025_B06 (revisi).csv").write_text(text, encoding="utf-8")
    return inbox


def iku11(warehouse):
    return published(warehouse, "select round(capaian, 2) from mart.capaian_iku where kode_iku = 'IKU1.1' "
                                "and bulan = 6")[0][0]


@pytest.mark.parametrize("point", ["after_load", "before_commit", "after_commit", "before_swap", "after_swap",
                                   "parquet_period_replaced", "after_publish"])
def test_a_run_killed_at_any_point_leaves_the_published_state_whole_and_the_next_run_recovers(
        point, sakip, template, correction, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    before = state(warehouse)
    killed = sakip("run", "--inbox", str(correction), "--warehouse", str(warehouse), "--period", "2025-06",
                   env={"SAKIP_KILL_AT": point})
    assert killed.returncode == -9, killed.stdout + killed.stderr
    after_kill = state(warehouse)
    if point in ("after_load", "before_commit", "after_commit", "before_swap"):
        assert after_kill == before  # exactly as the last successful run left them
        assert iku11(warehouse) == 115.64
    else:  # the new file was already swapped in: it is whole and holds the corrected figure
        assert iku11(warehouse) == 100.0
    # the next run needs no manual cleaning and publishes the correction
    again = sakip("run", "--inbox", str(correction), "--warehouse", str(warehouse), "--period", "2025-06")
    assert again.returncode == 0, again.stdout + again.stderr
    assert iku11(warehouse) == 100.0
    assert not list(warehouse.glob(".published-*")) and not list(warehouse.glob(".parquet-*"))
    parquet = warehouse / "parquet" / "2025-06" / "capaian_iku" / "672849.parquet"
    assert duckdb.sql(f"select round(capaian, 2) from read_parquet('{parquet}') where kode_iku = 'IKU1.1'"
                      ).fetchall() == [(100.0,)]
    assert published(warehouse, "select count(*) from mart.capaian_iku where bulan = 6") == [(24,)]


def test_the_run_that_publishes_a_dead_runs_period_writes_its_reports(sakip, template, tmp_path):
    """April's run is killed after its commit, before it published or wrote anything for people; May's run
    publishes April too, and writes April's workbook and page beside May's."""
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    killed = sakip("run", "--inbox", str(DEMO_INBOX), "--warehouse", str(warehouse), "--period", "2025-04",
                   env={"SAKIP_KILL_AT": "after_commit"})
    assert killed.returncode == -9, killed.stdout + killed.stderr
    april = warehouse / "reports" / "672849" / "2025-04"
    assert not april.exists()
    may = sakip("run", "--inbox", str(DEMO_INBOX), "--warehouse", str(warehouse), "--period", "2025-05")
    assert may.returncode == 0, may.stdout + may.stderr
    assert published(warehouse, "select bulan, count(*) from mart.capaian_iku where bulan in (4, 5) group by 1 "
                                "order by 1") == [(4, 24), (5, 24)]
    for folder in (april, april.with_name("2025-05")):
        assert sorted(p.name for p in folder.iterdir()) == ["lampiran.xlsx", "laporan.html"], folder


READER = textwrap.dedent("""
    import sys, time, duckdb
    path, stop = sys.argv[1], sys.argv[2]
    import os
    reads = errors = 0
    while not os.path.exists(stop):
        try:
            con = duckdb.connect(path, read_only=True)
            con.execute("select count(*), max(nko) from mart.nko").fetchall()
            con.execute("select count(*) from mart.capaian_iku where diukur").fetchall()
            con.close()
            reads += 1
        except Exception as exc:
            errors += 1
            print(repr(exc), file=sys.stderr)
        time.sleep(0.01)
    print(reads, errors)
""")


def test_analysts_can_read_the_published_file_during_a_whole_run(sakip, template, correction, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(warehouse / "published.duckdb"), str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        run = sakip("run", "--inbox", str(correction), "--warehouse", str(warehouse), "--period", "2025-06")
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    reads, errors = map(int, out.split())
    assert errors == 0, err
    assert reads > 20
    assert iku11(warehouse) == 100.0


def test_a_second_run_on_the_same_warehouse_refuses_with_a_clear_message(sakip, template, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    before = state(warehouse)
    with open(warehouse / ".lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a run in progress holds it
        second = sakip("run", "--inbox", str(DEMO_INBOX), "--warehouse", str(warehouse), "--period", "2025-06")
    assert second.returncode == 1
    assert "run sakip lain sedang memakai warehouse" in second.stderr
    assert "Traceback" not in second.stdout + second.stderr
    assert state(warehouse) == before


def refused_inbox(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "realisasi.csv").write_text("Tahun;Kode Satker;Kode IKU;Bulan;Realisasi\n2025;672849;IKU1.1;B13;90\n")
    return inbox


def test_an_alert_that_cannot_be_delivered_is_retried_recorded_and_does_not_fail_the_run(
        sakip, template, webhook, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    webhook.status = 500
    try:
        url = f"{webhook.url}/down?token=SECRET-TOKEN"
        result = sakip("run", "--inbox", str(refused_inbox(tmp_path)), "--warehouse", str(warehouse),
                       "--period", "2025-06", env={"SAKIP_ALERT_WEBHOOK_URL": url, "SAKIP_ALERT_RETRY_DELAY": "0.05"})
    finally:
        webhook.status = 200
    assert result.returncode == 2  # the refused source, not the alert, decides the exit code
    assert len(webhook.for_path("/down?token=SECRET-TOKEN")) == 3
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    [(channel, status, attempts, error)] = con.execute(
        "select saluran, status, percobaan, galat from audit.alerts").fetchall()
    con.close()
    assert (channel, status, attempts) == ("webhook", "failed", 3)
    assert "500" in error and "SECRET-TOKEN" not in error
    assert "peringatan lewat webhook: gagal setelah 3 kali percobaan" in result.stdout
    assert "SECRET-TOKEN" not in result.stdout + result.stderr


def test_an_alert_through_a_prefect_notification_block(sakip, prefect_env, template, webhook, tmp_path):
    save = textwrap.dedent(f"""
        from prefect.blocks.notifications import CustomWebhookNotificationBlock
        CustomWebhookNotificationBlock(name="sakip", url="{webhook.url}/block", method="POST",
                                       json_data={{"text": "{{{{subject}}}}"}}).save("sakip-test", overwrite=True)
    """)
    subprocess.run([sys.executable, "-c", save], env=prefect_env, check=True, capture_output=True)
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    result = sakip("run", "--inbox", str(refused_inbox(tmp_path)), "--warehouse", str(warehouse),
                   "--period", "2025-06", env={"SAKIP_ALERT_BLOCKS": "custom-webhook/sakip-test"})
    assert result.returncode == 2
    [body] = webhook.for_path("/block")
    assert body["text"].startswith("[sakip] 1 ekspor ditolak untuk 672849, 2025-06")
    assert "peringatan lewat block:custom-webhook/sakip-test: terkirim" in result.stdout


def test_a_failed_run_sends_an_alert(sakip, webhook, tmp_path):
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    (warehouse / "warehouse.duckdb").write_text("not a database")
    result = sakip("run", "--inbox", str(DEMO_INBOX), "--warehouse", str(warehouse), "--period", "2025-06",
                   env={"SAKIP_ALERT_WEBHOOK_URL": f"{webhook.url}/failed", "SAKIP_ALERT_RETRY_DELAY": "0.05"})
    assert result.returncode == 1
    [alert] = webhook.for_path("/failed")
    assert "gagal" in alert["subject"] and "Tidak ada yang diterbitkan" in alert["body"]


def test_a_refused_source_keeps_its_tables_at_the_last_good_version_and_marks_them_stale(
        sakip, template, correction, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    inbox = tmp_path / "inbox"
    shutil.copytree(correction, inbox)
    # with the correction comes a GLP039 for June whose RO subtotal was edited: refused
    import openpyxl
    book = openpyxl.load_workbook(DEMO_INBOX / "GLP039_672849_JUNI_2025.xlsx")
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[7]]
    pagu = header.index("Pagu Revisi") + 1
    row = next(r for r in range(9, sheet.max_row + 1) if sheet.cell(r, 2).value and not sheet.cell(r, 3).value)
    sheet.cell(row, pagu).value = sheet.cell(row, pagu).value + 1_000_000
    book.save(inbox / "GLP039_672849_JUNI_2025 (2).xlsx")
    budget_before = published(warehouse, "select * from mart.realisasi_anggaran order by all")
    result = sakip("run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--period", "2025-06",
                   env={"SAKIP_LANG": "en"})
    assert result.returncode == 2, result.stdout + result.stderr
    assert iku11(warehouse) == 100.0  # the valid Realisasi was published
    assert published(warehouse, "select * from mart.realisasi_anggaran order by all") == budget_before
    stale = published(warehouse, "select tabel, status, alasan from audit.freshness where status = 'stale' "
                                 "order by tabel")
    assert [t for t, _, _ in stale] == ["anggaran_satker", "efisiensi", "kinerja_anggaran", "realisasi_anggaran",
                                        "rencana_penarikan"]
    assert all(why.startswith("GLP039_672849_JUNI_2025 (2).xlsx refused (") and "subtotal" in why
               for _, _, why in stale)
    fresh = dict(published(warehouse, "select tabel, status from audit.freshness"))
    assert fresh["capaian_iku"] == "fresh"
    assert ("kept at its last good version: mart.anggaran_satker, mart.efisiensi, mart.kinerja_anggaran, "
            "mart.realisasi_anggaran, mart.rencana_penarikan 672849 2025-06") in result.stdout


@pytest.mark.parametrize("point", ["after_load", "after_commit"])
def test_a_killed_run_is_marked_crashed_on_the_server_by_the_next_run(point, sakip, prefect_env, template,
                                                                      correction, tmp_path):
    """A run killed (SIGKILL, out of memory, power) stays Running on the Prefect server, holding its
    deployment's slot: the next run on the same warehouse finds it dead (its lock file is free) and marks it
    Crashed, which fires the failure automation."""
    import httpx

    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    killed = sakip("run", "--inbox", str(correction), "--warehouse", str(warehouse), "--period", "2025-06",
                   env={"SAKIP_KILL_AT": point})
    assert killed.returncode == -9

    def runs():
        con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
        try:
            return dict(con.execute("select run_id, status from audit.runs").fetchall())
        finally:
            con.close()
    [run_id] = [r for r, status in runs().items() if status in ("started", "built")]
    api = prefect_env["PREFECT_API_URL"]
    assert httpx.get(f"{api}/flow_runs/{run_id}").json()["state"]["type"] == "RUNNING"
    again = sakip("run", "--inbox", str(correction), "--warehouse", str(warehouse), "--period", "2025-06")
    assert again.returncode == 0, again.stdout + again.stderr
    state = httpx.get(f"{api}/flow_runs/{run_id}").json()["state"]
    assert state["type"] == "CRASHED" and "berhenti sebelum selesai" in state["message"]
    # one that never committed is crashed in the warehouse too; one that committed was published by the next
    assert runs()[run_id] == ("crashed" if point == "after_load" else "done")
    assert iku11(warehouse) == 100.0
