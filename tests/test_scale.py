"""What keeps a national run fast must not change a single finding or figure: files validated together (one
Pandera call per source) give each file exactly the findings it gets alone; an inbox read on two processes
gives the outcomes of one; publishing a month writes that month's rows and Parquet set only."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx

from builders import published, run, validate
from conftest import DEMO_INBOX, ROOT
from contract import contract_problems
from sakip import ingest
from sakip.readers import UnreadableFile, read_export
from sakip.readers.limits import OverLimit
from sakip.schemas import validate_all
from sakip.warehouse.db import registry_satkers
from sakip.warehouse.publish import PUBLISHED_TABLES

BAD = ROOT / "tests" / "corpus" / "bad"


def _exports(paths: list[Path]):
    out = []
    for path in paths:
        try:
            export = read_export(path)
        except (UnreadableFile, OverLimit):  # refused before validation
            continue
        if export.kind is not None and export.data is not None and export.data.height:
            out.append(export)
    return out


def test_files_validated_together_get_the_findings_each_gets_alone():
    exports = _exports(sorted(DEMO_INBOX.iterdir()) + sorted(BAD.glob("*.*")))
    kinds = [e.kind.name for e in exports]
    assert len(exports) > 50 and max(kinds.count(k) for k in set(kinds)) >= 5  # several files per source
    together = validate_all(exports)
    alone = [validate(e) for e in exports]
    assert together == alone
    # and it is not vacuous: most bad files are refused by their model, the demo files by nothing
    assert sum(1 for found in together if found) >= 30
    assert all(found == [] for e, found in zip(exports, together) if e.path.parent == DEMO_INBOX)


def _comparable(outcomes):
    return [(o.name, o.status, o.sha256, [(f.check, f.row, f.column, f.value) for f in o.findings],
             None if o.export is None or o.export.data is None else o.export.data.to_dicts())
            for o in outcomes]


def test_an_inbox_read_on_two_processes_gives_the_outcomes_of_one(monkeypatch, tmp_path):
    files = sorted(DEMO_INBOX.iterdir()) + sorted(BAD.glob("glp039_*.xlsx"))[:6] + sorted(BAD.glob("rapk_*"))[:6]
    # the same content twice, in what will be two batches: the later copy is a duplicate either way
    copy = tmp_path / "again.csv"
    copy.write_bytes((DEMO_INBOX / "Realisasi_Kinerja_672849_2025_B06.csv").read_bytes())
    files.append(copy)
    satkers = registry_satkers()
    one = ingest.inspect_all(files, satkers, set())
    monkeypatch.setattr(ingest, "PARALLEL_MIN_BYTES", 1)
    assert len(ingest.batches(files, 2)) == 2
    two = ingest.inspect_parallel(files, satkers, set(), workers=2)
    assert _comparable(two) == _comparable(one)
    assert [o.status for o in one].count("duplicate") == 1 and one[-1].status == "duplicate"
    assert {o.status for o in one} == {"accepted", "refused", "duplicate"}


def _period_files(warehouse: Path, period: str) -> dict[str, str]:
    """A period's Parquet set: each file's path and checksum."""
    return {str(p.relative_to(warehouse)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((warehouse / "parquet" / period).rglob("*.parquet"))}


def _runs_of(warehouse: Path, period: str) -> set[str]:
    con = duckdb.connect()
    try:
        return {r[0].decode() for r in con.execute(
            f"select value from parquet_kv_metadata('{warehouse / 'parquet' / period}/*/*.parquet') "
            "where key = 'sakip_run'").fetchall()}
    finally:
        con.close()


def _mart_objects(warehouse: Path) -> set[tuple[str, str]]:
    con = duckdb.connect(str(warehouse / "published.duckdb"), read_only=True)
    try:
        return set(con.execute("select table_name, table_type from information_schema.tables "
                               "where table_schema = 'mart'").fetchall())
    finally:
        con.close()


def test_publishing_a_month_writes_that_month_only_and_older_months_stay_as_they_were(tmp_path, monkeypatch):
    warehouse = tmp_path / "wh"
    run(DEMO_INBOX, warehouse, 2025, 6, run_id="june")
    assert _mart_objects(warehouse) == {(t, "BASE TABLE") for t in PUBLISHED_TABLES}  # no views: it travels
    june_rows = published(warehouse, "select * from mart.capaian_iku order by all")
    june_files = _period_files(warehouse, "2025-06")
    assert len(june_files) == len(PUBLISHED_TABLES) and _runs_of(warehouse, "2025-06") == {"june"}
    run(DEMO_INBOX, warehouse, 2025, 5, run_id="may")   # the same files: May computed from what June accepted
    assert published(warehouse, "select * from mart.capaian_iku where bulan = 6 order by all") == june_rows
    assert _period_files(warehouse, "2025-06") == june_files   # June's set not rewritten
    assert _runs_of(warehouse, "2025-05") == {"may"}
    assert published(warehouse,
                     "select bulan, count(*) from mart.capaian_iku group by 1 order by 1") == [(5, 24), (6, 24)]
    assert contract_problems(warehouse / "published.duckdb") == []
    # re-running June replaces June's rows and set, and nothing of May's
    may_files = _period_files(warehouse, "2025-05")
    run(DEMO_INBOX, warehouse, 2025, 6, run_id="june2")
    assert _runs_of(warehouse, "2025-06") == {"june2"} and _period_files(warehouse, "2025-05") == may_files
    assert published(warehouse, "select * from mart.capaian_iku where bulan = 6 order by all") == june_rows
    assert published(warehouse, "select run_id, status from audit.runs where run_id = 'june2'") == [("june2", "done")]
    assert [p.name for p in warehouse.glob(".*")] == [".lock"]  # no staging left


def test_each_loaded_row_carries_its_own_files_checksum_and_the_frames_are_let_go(tmp_path):
    """The accepted files of one source go in with one insert, each row with its file's checksum looked up by
    the file's number; then the frames are let go and each outcome keeps its row count."""
    warehouse = tmp_path / "wh"
    result = run(DEMO_INBOX, warehouse, 2025, 6)
    accepted = [o for o in result.files if o.status == "accepted"]
    assert len({o.kind for o in accepted}) < len(accepted)  # some source has several files in one insert
    assert all(o.export.data is None and o.rows > 0 for o in accepted)
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    try:
        for outcome in accepted:
            [(loaded,)] = con.execute(f"select count(*) from raw.{outcome.kind} where sha256 = ?",
                                      [outcome.sha256]).fetchall()
            [(listed,)] = con.execute("select jumlah_baris from audit.files where sha256 = ?",
                                      [outcome.sha256]).fetchall()
            assert loaded == outcome.rows == listed, outcome.name
    finally:
        con.close()


def _to_catalog_of_views(warehouse: Path) -> None:
    """The published state of the previous version: published.duckdb a catalog of views over
    partitions/<table>/<yyyy-mm>/<run>.parquet named by absolute path, with audit.partitions, and Parquet
    copies at parquet/<table>/<satker>/<yyyy-mm>.parquet."""
    con = duckdb.connect(str(warehouse / "published.duckdb"))
    con.execute("create table audit.partitions (tabel varchar, tahun integer, bulan integer, file varchar)")
    for table in PUBLISHED_TABLES:
        for (bulan,) in con.execute(f"select distinct bulan from mart.{table}").fetchall():
            part = warehouse / "partitions" / table / f"2025-{bulan:02d}" / "old.parquet"
            part.parent.mkdir(parents=True, exist_ok=True)
            con.execute(f"copy (select * from mart.{table} where bulan = {bulan}) to '{part}' (format parquet)")
            con.execute("insert into audit.partitions values (?, 2025, ?, ?)",
                        [table, bulan, str(part.relative_to(warehouse))])
        files = [r[0] for r in con.execute("select file from audit.partitions where tabel = ?", [table]).fetchall()]
        listed = ", ".join(f"'{warehouse / f}'" for f in files)
        con.execute(f"drop table mart.{table}")
        con.execute(f"create view mart.{table} as select * from read_parquet([{listed}], union_by_name = true)")
        old = warehouse / "parquet" / table / "672849" / "2025-06.parquet"
        old.parent.mkdir(parents=True)
        con.execute(f"copy (select * from mart.{table}) to '{old}' (format parquet)")
    con.close()
    shutil.rmtree(warehouse / "parquet" / "2025-06")


def test_a_published_file_of_the_previous_version_is_carried_over(tmp_path):
    """A warehouse published by the previous version (views over partitions, another Parquet layout), and
    moved since, keeps its published months when the next run publishes another; afterwards it is
    self-contained. Its partitions stay for one more run (a reader may hold the old catalog)."""
    first = tmp_path / "wh"
    run(DEMO_INBOX, first, 2025, 6, run_id="june")
    _to_catalog_of_views(first)
    assert ("capaian_iku", "VIEW") in _mart_objects(first)
    before = published(first, "select * from mart.capaian_iku order by all")
    # moved since: its views name partitions at the old place, which is gone
    warehouse = tmp_path / "moved" / "wh"
    warehouse.parent.mkdir()
    shutil.move(first, warehouse)
    run(DEMO_INBOX, warehouse, 2025, 5, run_id="may")
    assert _mart_objects(warehouse) == {(t, "BASE TABLE") for t in PUBLISHED_TABLES}
    assert published(warehouse, "select * from mart.capaian_iku where bulan = 6 order by all") == before
    assert published(warehouse, "select count(*) from information_schema.tables where table_name = 'partitions'"
                     ) == [(0,)]
    # the Parquet copies in the new layout, every published period (June's cut from the carried rows)
    assert sorted(p.name for p in (warehouse / "parquet").iterdir()) == ["2025-05", "2025-06"]
    assert _runs_of(warehouse, "2025-06") == {"may"}
    assert (warehouse / "partitions").is_dir()
    run(DEMO_INBOX, warehouse, 2025, 5, run_id="may2")
    assert not (warehouse / "partitions").exists()


def _stored_objects(warehouse: Path) -> set[str]:
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    try:
        return {r[0] for r in con.execute("select table_name from information_schema.tables "
                                          "where table_catalog = current_database() and table_schema = 'main'")
                .fetchall()}
    finally:
        con.close()


def test_models_live_for_the_run_only_and_a_warehouse_that_stored_them_works(tmp_path):
    """Models are temporary: the warehouse file keeps raw rows and audit, not a copy of every model written at
    each checkpoint. A warehouse of an earlier version, whose file holds its models (some now of another
    materialization), runs as before and loses them."""
    warehouse = tmp_path / "wh"
    run(DEMO_INBOX, warehouse, 2025, 6, run_id="june")
    assert _stored_objects(warehouse) == set()
    june = published(warehouse, "select * from mart.capaian_iku order by all")
    old = duckdb.connect(str(warehouse / "warehouse.duckdb"))
    old.execute("drop table audit.schema_version")  # from before the version table (sakip.warehouse.migrations)
    old.execute("create table run_periods as select 'x' as kode_satker")
    old.execute("create table int_files_current as select 1 as stale")          # a view now
    old.execute("create view mart_nko as select 1 as stale")                    # a table now
    old.close()
    run(DEMO_INBOX, warehouse, 2025, 6, run_id="june2")
    assert _stored_objects(warehouse) == set()
    assert published(warehouse, "select * from mart.capaian_iku order by all") == june


def test_published_rows_are_in_the_report_order(tmp_path):
    """The published tables and the per-satker Parquet files hold a table's rows in the report's order
    (urutan), so that an analyst's plain select reads them as the report lists them."""
    warehouse = tmp_path / "wh"
    run(DEMO_INBOX, warehouse, 2025, 6, run_id="june")
    con = duckdb.connect()
    try:
        for table in ("capaian_iku", "kinerja_anggaran", "realisasi_anggaran", "efisiensi", "nilai_sasaran"):
            files = list((warehouse / "parquet").glob(f"*/{table}/*.parquet"))
            assert len(files) == 1
            urutan = [r[0] for r in con.execute(f"select urutan from read_parquet('{files[0]}')").fetchall()]
            assert len(urutan) > 3 and urutan == sorted(urutan), (table, files[0])
            urutan = [r[0] for r in published(warehouse, f"select urutan from mart.{table}")]
            assert urutan == sorted(urutan), table
    finally:
        con.close()


def _satker_files(warehouse: Path) -> dict[str, tuple[list, list]]:
    """Every per-satker Parquet file: its columns with their types, and its rows in file order."""
    con = duckdb.connect()
    try:
        return {str(f.relative_to(warehouse)): (con.execute(f"describe select * from read_parquet('{f}')").fetchall(),
                                                con.execute(f"select * from read_parquet('{f}')").fetchall())
                for f in sorted((warehouse / "parquet").rglob("*.parquet"))}
    finally:
        con.close()


def test_per_satker_files_written_on_the_run_processes_are_those_of_one(tmp_path, monkeypatch):
    """With the run's worker processes running, the per-satker Parquet files are cut on them: the same files,
    columns, types and rows in the same order as written in the run's own process."""
    from devtools.synth import synth
    from sakip import processes
    from sakip.warehouse import publish

    synth(3, 1, tmp_path / "data", seed=3)
    monkeypatch.setenv("SAKIP_REFERENCE_DIR", str(tmp_path / "data" / "reference"))
    run(tmp_path / "data" / "inbox", tmp_path / "one", 2025, 1, run_id="one")
    monkeypatch.setattr(publish, "PARALLEL_MIN_FILES", 1)
    spread = []
    in_processes = processes.in_processes
    monkeypatch.setattr(processes, "in_processes",
                        lambda func, batches, *args: spread.append((func.__name__, len(batches)))
                        or in_processes(func, batches, *args))
    with processes.warm_pool(2, "sakip.warehouse.publish"):
        run(tmp_path / "data" / "inbox", tmp_path / "two", 2025, 1, run_id="two")
    assert spread == [("_write_satker_files", 2)]
    one, two = _satker_files(tmp_path / "one"), _satker_files(tmp_path / "two")
    assert len(one) == 3 * len(PUBLISHED_TABLES)
    assert sum(len(rows) for _, rows in one.values()) > 100
    assert two == one


def test_per_satker_files_are_cut_in_the_run_process_when_a_worker_dies(tmp_path, monkeypatch):
    """A worker that dies while it cuts the per-satker files (killed, out of memory) fails nothing: the run's
    process cuts them all again from the start, and they are those of a run that never used workers."""
    from concurrent.futures.process import BrokenProcessPool

    from devtools.synth import synth
    from sakip import processes
    from sakip.warehouse import publish

    synth(3, 1, tmp_path / "data", seed=3)
    monkeypatch.setenv("SAKIP_REFERENCE_DIR", str(tmp_path / "data" / "reference"))
    run(tmp_path / "data" / "inbox", tmp_path / "one", 2025, 1, run_id="one")
    monkeypatch.setattr(publish, "PARALLEL_MIN_FILES", 1)
    died = []

    def dies_halfway(func, batches, *args):  # the first batch written, then the pool breaks
        func(batches[0], *args)
        died.append(func.__name__)
        raise BrokenProcessPool("a worker died")

    monkeypatch.setattr(processes, "in_processes", dies_halfway)
    monkeypatch.setattr(processes, "warm_workers", lambda: 2)
    run(tmp_path / "data" / "inbox", tmp_path / "two", 2025, 1, run_id="two")
    assert died == ["_write_satker_files"]
    assert _satker_files(tmp_path / "two") == _satker_files(tmp_path / "one")


def test_reports_written_on_two_processes_are_those_of_one(tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from sakip import report

    warehouse = tmp_path / "wh"
    run(DEMO_INBOX, warehouse, 2025, 6, run_id="june")
    run(DEMO_INBOX, warehouse, 2025, 5, run_id="may")
    periods = [("672849", 2025, 5), ("672849", 2025, 6)]
    one = report.write_reports(warehouse, periods, "one").paths
    sheets_one = {p: [list(r) for r in load_workbook(p).worksheets[0].iter_rows(values_only=True)]
                  for p in one if p.suffix == ".xlsx"}
    monkeypatch.setattr(report, "PARALLEL_MIN_REPORTS", 1)
    two = report.write_reports(warehouse, periods, "two", workers=2).paths
    assert two == one and len(two) == 5  # June, a quarter's end, has its Laporan Kinerja draft too
    assert {p: [list(r) for r in load_workbook(p).worksheets[0].iter_rows(values_only=True)]
            for p in two if p.suffix == ".xlsx"} == sheets_one


def _alive(pid: int) -> bool:
    """Whether a process runs (a zombie, ended and not yet reaped, does not)."""
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


_HEAP = []


def _pid_holding_a_heap(batch):
    """A worker that read a month: millions of objects, which its interpreter would free one by one on exit."""
    time.sleep(0.3)
    _HEAP.append([{"row": i} for i in range(3_000_000)])
    return os.getpid()


def _pid_after_a_while(batch):
    time.sleep(0.3)  # long enough that each of two idle workers takes one batch
    return os.getpid()


def test_a_warm_pool_serves_every_parallel_step_of_a_run():
    """The flow starts its worker processes once: reading the inbox and writing the reports run on the same
    two processes, not on two fresh ones each."""
    from sakip import processes

    with processes.warm_pool(2, "sakip.ingest"):
        reading = processes.in_processes(_pid_after_a_while, [[1], [2]])
        reports = processes.in_processes(_pid_after_a_while, [[3], [4]])
    assert len(set(reading)) == 2 and set(reports) == set(reading) and os.getpid() not in reading
    # without it, each step starts its own
    assert not set(processes.in_processes(_pid_after_a_while, [[1], [2]])) & set(reading)


def test_a_renewed_warm_pool_serves_the_later_steps_on_fresh_processes():
    """After reading, the run replaces its workers by fresh ones (a worker that read a month keeps ~100 MB
    more): the later steps run on the two new processes, the pool stays warm, and its end stops them. The
    readers import only what reads the files (their imports are the wait before reading starts); the new ones
    what the later steps need."""
    from in_workers import imported

    from sakip import processes
    from sakip.flows.monthly import READING_MODULES, WRITING_MODULES

    names = ["sakip.ingest", "sakip.warehouse.publish", "sakip.report.workbook", "duckdb", "xlsxwriter"]
    with processes.warm_pool(2, *READING_MODULES):
        assert processes.in_processes(imported, [names, names]) == [["sakip.ingest"]] * 2
        reading = processes.in_processes(_pid_holding_a_heap, [[1], [2]])
        processes.renew_warm_pool(*WRITING_MODULES)
        assert processes.warm_workers() == 2
        time.sleep(0.5)  # the old ones are ended, not left to free their memory at their own pace
        assert not any(_alive(pid) for pid in reading)
        assert processes.in_processes(imported, [names, names]) == [sorted(set(names) - {"sakip.ingest"})] * 2
        reports = processes.in_processes(_pid_after_a_while, [[3], [4]])
        again = processes.in_processes(_pid_after_a_while, [[5], [6]])
    assert len(set(reports)) == 2 and not set(reports) & set(reading) and set(again) == set(reports)
    assert processes.warm_workers() == 0
    processes.renew_warm_pool()  # outside a warm pool: nothing to renew
    assert processes.warm_workers() == 0


def test_a_worker_that_died_does_not_break_the_steps_after_it():
    """A worker of the warm pool killed (out of memory, by hand): the pool is broken; the next step (a task's
    retry, the reports) runs on new processes instead of failing at once."""
    from sakip import processes

    with processes.warm_pool(2, "sakip.ingest"):
        first = processes.in_processes(_pid_after_a_while, [[1], [2]])
        os.kill(first[0], signal.SIGKILL)
        time.sleep(1)  # the pool notices
        again = processes.in_processes(_pid_after_a_while, [[3], [4]])
    assert len(again) == 2 and not set(again) & set(first)


def _polars_threads(batch):
    import polars as pl

    return pl.thread_pool_size()


def test_workers_share_the_cores_for_polars_threads(monkeypatch):
    """Each worker's polars runs on its share of the cores (two workers on eight cores: four threads each), not on
    a thread per core each; a POLARS_MAX_THREADS set by the user stands."""
    from sakip import processes

    monkeypatch.delenv("POLARS_MAX_THREADS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert processes.in_processes(_polars_threads, [[1], [2]]) == [4, 4]
    monkeypatch.setenv("POLARS_MAX_THREADS", "3")
    assert processes.in_processes(_polars_threads, [[1], [2]]) == [3, 3]


def test_a_flow_run_ends_without_waiting_for_its_heartbeat_thread_and_still_sends_heartbeats(prefect_env, tmp_path):
    """Prefect's sync engine joined the heartbeat thread, asleep in steps of 1 s, when a flow ended: every run
    waited up to a second for it. sakip's flows do not wait (sakip.flows), and their heartbeats, which find
    crashed runs, still reach the server."""
    script = tmp_path / "beat.py"
    script.write_text("import sakip.flows\n"
                      "from prefect import flow, flow_engine\n"
                      "from prefect.runtime import flow_run\n"
                      "@flow\n"
                      "def beat():\n"
                      "    return str(flow_run.id)\n"
                      "print(beat(), getattr(flow_engine._send_heartbeats, 'keywords', None))\n")
    done = subprocess.run([sys.executable, str(script)], env={**prefect_env, "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": "30"},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    run_id, keywords = done.stdout.strip().split(" ", 1)
    assert keywords == "{'join_on_exit': False}"
    deadline = time.monotonic() + 60
    while True:
        found = httpx.post(f"{prefect_env['PREFECT_API_URL']}/events/filter", json={"filter": {
            "event": {"name": ["prefect.flow-run.heartbeat"]},
            "resource": {"id": [f"prefect.flow-run.{run_id}"]}}}).json()["events"]
        if found or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert found, "no heartbeat of the flow run reached the server"
