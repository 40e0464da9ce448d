"""Published data that travels: the warehouse folder copied anywhere opens there and reads the same rows, in
DuckDB 2.x and in DuckDB 1.1 (installed by `make test` in .venv-duckdb1); a reader holding one connection goes
through publishes without an error; a run killed while it replaces the Parquet sets leaves one run's files in
each period; `sakip export` writes a file that opens alone; files are created with the process's umask."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import threading

import duckdb
import pytest

from builders import published
from conftest import BIN, DEMO_INBOX, ROOT

DUCKDB1 = ROOT / ".venv-duckdb1" / "bin" / "python"

# Every table of the mart and audit schemas, each as its rows in a stable order, as JSON: what a reader sees.
DUMP = """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
tables = con.execute("select table_schema, table_name from information_schema.tables "
                     "where table_schema in ('mart', 'audit') order by all").fetchall()
out = {f"{s}.{t}": con.execute(f"select * from {s}.{t} order by all").fetchall() for s, t in tables}
print(json.dumps({"version": duckdb.__version__, "tables": out}, default=str))
"""


def dump(python, database, cwd) -> dict:
    result = subprocess.run([str(python), "-c", DUMP, str(database)], cwd=cwd, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def duckdb1():
    if not DUCKDB1.exists():
        pytest.fail(f"{DUCKDB1} is missing: `make test` installs DuckDB 1.x there")
    return DUCKDB1


def test_a_copied_warehouse_opens_anywhere_in_duckdb_2_and_1(template, duckdb1, tmp_path):
    original = tmp_path / "original"
    shutil.copytree(template, original)
    before = dump(BIN / "python", original / "published.duckdb", tmp_path)
    assert {"mart.nko", "mart.capaian_iku", "audit.runs", "audit.files"} <= set(before["tables"])
    assert len(before["tables"]["mart.capaian_iku"]) == 2 * 24  # the demo publishes March and June

    elsewhere = tmp_path / "laptop" / "Documents"
    elsewhere.mkdir(parents=True)
    shutil.copytree(original, elsewhere / "wh")
    shutil.rmtree(original)
    cwd = tmp_path / "somewhere-else"
    cwd.mkdir()
    copied = elsewhere / "wh" / "published.duckdb"
    two, one = dump(BIN / "python", copied, cwd), dump(duckdb1, copied, cwd)
    assert two["tables"] == before["tables"]
    assert one["version"].startswith("1.") and one["tables"] == before["tables"]
    # and the Parquet copies, read by DuckDB 1.x from the new place
    rows = subprocess.run([str(duckdb1), "-c", "import duckdb, sys; print(duckdb.sql(\"select count(*) from "
                           "read_parquet('parquet/*/*/*.parquet', union_by_name = true)\").fetchall()[0][0])"],
                          cwd=elsewhere / "wh", capture_output=True, text=True, timeout=120)
    assert rows.returncode == 0, rows.stderr
    assert int(rows.stdout) == sum(len(v) for k, v in before["tables"].items() if k.startswith("mart."))


def test_a_reader_holding_one_connection_goes_through_three_publishes(sakip, template, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    tables = [t for (t,) in published(warehouse, "select table_name from information_schema.tables "
                                                 "where table_schema = 'mart'")]
    reader = duckdb.connect(str(warehouse / "published.duckdb"), read_only=True)
    first = reader.execute("select * from mart.capaian_iku order by all").fetchall()
    errors, reads, stop = [], [0], threading.Event()

    def read():
        cursor = reader.cursor()
        while not stop.is_set():
            for table in tables:
                try:
                    cursor.execute(f"select * from mart.{table}").fetchall()
                    reads[0] += 1
                except duckdb.Error as exc:
                    errors.append(f"{table}: {exc}")

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for month in ("2025-06", "2025-05", "2025-06"):
            result = sakip("run", "--inbox", str(DEMO_INBOX), "--warehouse", str(warehouse), "--period", month)
            assert result.returncode == 0, result.stderr
    finally:
        stop.set()
        thread.join()
    assert errors == [] and reads[0] > 3 * len(tables)
    # it read one snapshot throughout: the file it opened; a new connection sees May too
    assert reader.execute("select * from mart.capaian_iku order by all").fetchall() == first
    reader.close()
    assert published(warehouse, "select distinct bulan from mart.capaian_iku order by 1") == [(3,), (5,), (6,)]


def _runs_in(folder) -> set[str]:
    files = list(folder.rglob("*.parquet"))
    assert files, folder
    with duckdb.connect() as con:
        return {bytes(v).decode() for (v,) in con.execute(
            f"select value from parquet_kv_metadata('{folder}/*/*.parquet') where key = 'sakip_run'").fetchall()}


def test_a_run_killed_while_replacing_the_parquet_sets_leaves_one_runs_files_in_each_period(sakip, template,
                                                                                            tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    [(first_run,)] = published(warehouse, "select run_id from audit.runs where periode = '2025-06'")
    args = ("run", "--inbox", str(DEMO_INBOX), "--warehouse", str(warehouse))
    # killed after June's published file was swapped in: June's rows wait to be published again
    assert sakip(*args, "--period", "2025-06", env={"SAKIP_KILL_AT": "after_swap"}).returncode == -9
    # the next run publishes May and June; killed after it replaced the first period's set
    killed = sakip(*args, "--period", "2025-05", env={"SAKIP_KILL_AT": "parquet_period_replaced"})
    assert killed.returncode == -9, killed.stderr
    may, june = _runs_in(warehouse / "parquet" / "2025-05"), _runs_in(warehouse / "parquet" / "2025-06")
    assert len(may) == 1 and may != {first_run}      # May's set: the killed run's, whole
    assert june == {first_run}                          # June's: still the first run's, whole
    again = sakip(*args, "--period", "2025-05")
    assert again.returncode == 0, again.stderr
    for period, bulan in (("2025-05", 5), ("2025-06", 6)):
        assert len(_runs_in(warehouse / "parquet" / period)) == 1
        with duckdb.connect() as con:
            files = con.execute(f"select * exclude (urutan) from read_parquet('{warehouse}/parquet/{period}/"
                                "capaian_iku/*.parquet') order by all").fetchall()
        assert files == published(warehouse, "select * exclude (urutan) from mart.capaian_iku where bulan = ? "
                                             "order by all", [bulan])
    assert not [p for p in warehouse.iterdir() if p.name.startswith((".parquet", ".published"))]


def test_an_export_opens_alone_in_duckdb_2_and_1(sakip, template, duckdb1, tmp_path):
    alone = tmp_path / "to-send"
    result = sakip("export", "--warehouse", str(template), "--satker", "672849", "--year", "2025",
                   "--out", str(alone / "dumai-2025.duckdb"), "--parquet", str(tmp_path / "pq"))
    assert result.returncode == 0, result.stderr
    # 604 rows of June (580 before the quarter comparison), 332 of March (no budget realisasi yet)
    assert "diekspor 936 baris dari 17 tabel untuk satker 672849, 2025" in result.stdout
    assert [p.name for p in alone.iterdir()] == ["dumai-2025.duckdb"]
    expected = dump(BIN / "python", template / "published.duckdb", tmp_path)["tables"]
    for python in (BIN / "python", duckdb1):
        got = dump(python, alone / "dumai-2025.duckdb", tmp_path)["tables"]
        assert got == expected, python  # the demo publishes one unit and one year: all of it, audit included
    with duckdb.connect() as con:
        assert con.execute(f"select bulan, round(nko, 2) from '{tmp_path}/pq/mart_nko.parquet' order by 1"
                           ).fetchall() == [(3, 97.01), (6, 105.73)]
    june = sakip("export", "--warehouse", str(template), "--satker", "672849", "--year", "2025",
                 "--period", "2025-06", "--out", str(tmp_path / "june.duckdb"))
    assert "diekspor 604 baris dari 17 tabel untuk satker 672849, 2025-06" in june.stdout, june.stderr
    months = {table: {row[2] for row in rows} for table, rows in
              dump(duckdb1, tmp_path / "june.duckdb", tmp_path)["tables"].items() if table.startswith("mart.")}
    assert all(bulan == {6} for bulan in months.values()), months
    for args, message in ((("--year", "2024"), "belum ada yang diterbitkan untuk satker 672849 pada 2024"),
                          (("--year", "2025", "--period", "2024-06"), "--period harus berupa YYYY-MM dari tahun 2025"),
                          (("--year", "2025", "--satker", "x'; drop"), "--satker harus berupa kode satker 6 digit")):
        satker = () if "--satker" in args else ("--satker", "672849")
        bad = sakip("export", "--warehouse", str(template), *satker, *args, "--out", str(tmp_path / "x.duckdb"))
        assert bad.returncode == 1 and message in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_every_file_a_run_writes_follows_the_umask(sakip, tmp_path):
    previous = os.umask(0o022)
    try:
        result = sakip("demo", "--warehouse", str(tmp_path / "wh"))
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stderr
    modes = {str(p.relative_to(tmp_path)): stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "wh").rglob("*")}
    assert any(name.endswith("laporan.html") for name in modes) and any(n.endswith(".parquet") for n in modes)
    wrong = {name: oct(mode) for name, mode in modes.items()
             if mode != (0o755 if (tmp_path / name).is_dir() else 0o644)}
    assert wrong == {}


def test_what_a_crashed_writer_left_beside_the_published_file_is_not_replayed(sakip, template, tmp_path):
    """An analyst's tool opened the file for writing, inserted a row and crashed: its write-ahead log is set
    aside (logs/), not replayed onto the next published file."""
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    script = ("import duckdb, os, sys\n"
              "con = duckdb.connect(sys.argv[1], config={'checkpoint_threshold': '1TB'})\n"
              "con.execute('pragma disable_checkpoint_on_shutdown')\n"
              "con.execute('insert into mart.nko select * from mart.nko')\n"
              "con.execute('create table main.analyst_notes as select 1 as x')\n"
              "os._exit(0)\n")
    crashed = subprocess.run([str(BIN / "python"), "-c", script, str(warehouse / "published.duckdb")],
                             capture_output=True, text=True, timeout=60)
    assert crashed.returncode == 0, crashed.stderr
    assert (warehouse / "published.duckdb.wal").exists()
    result = sakip("run", "--inbox", str(DEMO_INBOX), "--warehouse", str(warehouse), "--period", "2025-05")
    assert result.returncode == 0, result.stderr
    assert not (warehouse / "published.duckdb.wal").exists()
    assert list((warehouse / "logs").glob("published.duckdb.wal.*"))
    assert published(warehouse, "select bulan, count(*) from mart.nko group by 1 order by 1") == [
        (3, 1), (5, 1), (6, 1)]
    assert published(warehouse, "select count(*) from information_schema.tables where table_name = 'analyst_notes'"
                     ) == [(0,)]


def test_a_run_names_the_program_that_holds_the_published_file_for_writing(sakip, template, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    holder = duckdb.connect(str(warehouse / "published.duckdb"))
    try:
        result = sakip("run", "--inbox", str(DEMO_INBOX), "--warehouse", str(warehouse), "--period", "2025-05")
    finally:
        holder.close()
    assert result.returncode == 1 and "kesalahan internal" not in result.stderr, result.stderr
    assert "published.duckdb sedang dibuka untuk ditulis oleh program lain" in result.stderr
    assert sakip("run", "--inbox", str(DEMO_INBOX), "--warehouse", str(warehouse), "--period", "2025-05"
                 ).returncode == 0  # the next run, once it is closed, publishes


def test_a_file_written_in_duckdb_2s_own_format_is_rebuilt_for_duckdb_1(sakip, template, duckdb1, tmp_path):
    """A published file of the first versions (tables, DuckDB 2.0's storage format): the next run rebuilds it
    in the format DuckDB 1.1 opens."""
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute(f"attach '{warehouse / 'published.duckdb'}' as p (read_only)")
    con.execute("copy from database p to old")
    con.close()
    os.replace(old, warehouse / "published.duckdb")
    assert dump(BIN / "python", warehouse / "published.duckdb", tmp_path)["tables"]["mart.nko"]
    assert subprocess.run([str(duckdb1), "-c", DUMP, str(warehouse / "published.duckdb")],
                          capture_output=True, timeout=60).returncode != 0   # 1.x can't open it
    assert sakip("run", "--inbox", str(DEMO_INBOX), "--warehouse", str(warehouse), "--period", "2025-05"
                 ).returncode == 0
    months = subprocess.run([str(duckdb1), "-c", "import duckdb, sys; print(duckdb.connect(sys.argv[1], read_only="
                             "True).execute('select bulan from mart.nko order by 1').fetchall())",
                             str(warehouse / "published.duckdb")], capture_output=True, text=True, timeout=60)
    assert months.stdout.strip() == "[(3,), (5,), (6,)]", months.stderr   # March and June carried over, May added


def test_an_export_never_overwrites_the_warehouse_or_another_file(sakip, template, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    before = (warehouse / "published.duckdb").read_bytes()
    args = ("export", "--warehouse", str(warehouse), "--satker", "672849", "--year", "2025")
    inside = sakip(*args, "--out", str(warehouse / "published.duckdb"))
    assert inside.returncode == 1 and "berada di dalam warehouse" in inside.stderr
    assert (warehouse / "published.duckdb").read_bytes() == before
    existing = tmp_path / "laporan.duckdb"
    existing.write_text("the planner's own file")
    refused = sakip(*args, "--out", str(existing))
    assert refused.returncode == 1 and "sudah ada: pilih nama lain" in refused.stderr
    assert existing.read_text() == "the planner's own file"
    assert sakip(*args, "--out", str(existing), "--force").returncode == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".laporan")]


def test_a_published_table_follows_its_models_columns_and_types():
    from sakip.warehouse.publish import _ensure_table

    con = duckdb.connect()
    con.execute("create schema mart")
    con.execute("create table mart.nko (kode_satker varchar, nko decimal(18,2), predikat integer, dropped varchar)")
    con.execute("insert into mart.nko values ('672849', 105.73, 1, 'x')")
    _ensure_table(con, "nko", [("kode_satker", "VARCHAR"), ("nko", "DOUBLE"), ("predikat", "VARCHAR"),
                               ("jumlah_iku", "INTEGER")])
    assert con.execute("select column_name, data_type from duckdb_columns() where table_name = 'nko'").fetchall() == [
        ("kode_satker", "VARCHAR"), ("nko", "DOUBLE"), ("predikat", "VARCHAR"), ("jumlah_iku", "INTEGER")]
    assert con.execute("select * from mart.nko").fetchall() == [("672849", 105.73, "1", None)]
    con.execute("insert into mart.nko by name select 'x' as kode_satker, 'Istimewa' as predikat")
    with pytest.raises(ValueError, match="mart.nko.predikat: the published rows .VARCHAR. cannot be read as the "
                                         "model's INTEGER"):
        _ensure_table(con, "nko", [("kode_satker", "VARCHAR"), ("nko", "DOUBLE"), ("predikat", "INTEGER"),
                                   ("jumlah_iku", "INTEGER")])
