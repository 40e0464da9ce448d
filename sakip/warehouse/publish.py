"""Publishing: the contract's tables (data contract §6) in `published.duckdb`, replaced atomically, and as
Parquet.

The published file is self-contained, its tables real: a warehouse folder copied or moved anywhere (another
path, a laptop, a share) opens there and reads the same rows, and a copy never reads another copy's files. It
is written in DuckDB's storage format of version 1.1 (`storage_compatibility_version`), which every DuckDB
from 1.1 on, and the desktop tools built on it, open.

A run does not rebuild it: it copies the previous file under a temporary name, replaces the rows of the
periods it computed (the other satkers' rows, and those of tables kept at their last good version, stay),
replaces the audit tables, and swaps the copy in with os.replace. The swap is the commit: a reader sees the
old file or the new one, never half of one, and a reader that holds a connection keeps reading the file it
opened (the old one stays on disk, unlinked, until it closes). Only the copy grows with history (a file copy,
measured in benchmarks/national.py); the writing is the run's periods only.

Folder readers (Power BI, Spark) get the same rows as Parquet, one set per period,
parquet/<yyyy-mm>/<table>/<satker>.parquet, each file carrying the run that wrote it (key `sakip_run` of
its metadata). A period's set is written whole beside the live one and exchanged with it in one rename
(renameat2 RENAME_EXCHANGE), so a run killed at any point leaves each period with one run's files."""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sakip import processes
from sakip.hooks import checkpoint
from sakip.i18n import _
from sakip.warehouse import WarehouseBusy, WarehousePaths
from sakip.warehouse.db import memory_limit, registered, sql_literal, table_exists
from sakip.warehouse.migrations import (
    parquet_of_earlier_version,
    published_is_current,
    published_rows_of_earlier_version,
)
from sakip.warehouse.models import load_project

# Every DuckDB from 1.1 opens a file of this storage version (DuckDB 2.0 writes a newer one by default); the
# number its files carry in their header.
STORAGE_VERSION = "v1.1.0"
STORAGE_VERSION_NUMBER = 64
# Parquet every current reader handles: format version 1 pages, Snappy.
PARQUET_OPTIONS = "format parquet, compression snappy, parquet_version v1"

# published name → (model that computes it, the export sources upstream of it in the model graph). When a
# source is refused, the tables that depend on it keep their last good rows for that satker and period, and
# audit.freshness says they are stale.
_PROJECT = load_project()
PUBLISHED = {name: (model.name, *_PROJECT.sources_of(model.name)) for name, model in _PROJECT.published.items()}
PUBLISHED_TABLES = {name: model for name, (model, *_) in PUBLISHED.items()}
# the one table a run writes for periods it does not compute: a later quarter's comparison with one it changed
COMPARED_AGAIN = "perbandingan_triwulan"
AUDIT_TABLES = ("runs", "run_periods", "files", "validation_failures", "freshness", "alerts")

Partition = tuple[str, int, int]  # table, tahun, bulan


def connect_new(path: Path, **config) -> duckdb.DuckDBPyConnection:
    """A DuckDB file that DuckDB 1.1 and later open (when it is created here)."""
    return duckdb.connect(str(path), config={"memory_limit": memory_limit(),
                                             "storage_compatibility_version": STORAGE_VERSION, **config})


def publish(con: duckdb.DuckDBPyConnection, paths: WarehousePaths, run_id: str,
            stale: list[tuple[str, str, int, int]] = (), compared_again: list[tuple[str, int, int]] = ()
            ) -> dict[str, int]:
    """The marts' rows for the run's periods written into a copy of the published file, its audit tables
    replaced, the copy swapped in, then each period's Parquet set. `stale` lists (table, kode_satker, tahun,
    bulan) whose rows stay as they were; `compared_again`, the satker-months outside the run whose
    mart.perbandingan_triwulan rows are replaced too (and their Parquet sets). Returns rows published per table."""
    tmp = paths.root / f".published-{run_id}.duckdb"
    tmp.unlink(missing_ok=True)
    satkers_of = _by_month(con.execute("select kode_satker, tahun, bulan from run_periods").fetchall())
    again_of = _by_month(compared_again)
    columns = _model_columns(con)
    with _held(paths) as old:
        rebuild = old is not None and not published_is_current(old, paths.published, STORAGE_VERSION_NUMBER)
        if old is not None and not rebuild:
            shutil.copyfile(paths.published, tmp)  # what `old` reads: no writer can open it meanwhile
        pub = connect_new(tmp)
        try:
            if rebuild:
                published_rows_of_earlier_version(old, pub, paths.root, paths.partitions, PUBLISHED_TABLES)
            pub.execute("create schema if not exists mart")
            pub.execute("create schema if not exists audit")
            # A stale table keeps its last good rows; with no earlier version of that satker-period there is
            # nothing to keep, and the rows computed from what was accepted are published (still marked stale).
            kept = {key for key in stale if _has_rows(pub, *key)}
            counts = _write_marts(con, pub, satkers_of, columns, kept, again_of)
            _sync_audit(con, pub)
            # the published file is what this run leaves: in it, the run is done, and so are the runs that
            # died before publishing, whose periods it published too
            pub.execute("update audit.runs set status = 'done', finished_at = now()::timestamp "
                        "where run_id = ? or status = 'built'", [run_id])
            pub.execute("drop table if exists audit.partitions")
            pub.execute("checkpoint")
        finally:
            pub.close()
        _fsync(tmp)
        # every period of the run, and every published one once, when the folder still has an earlier layout
        old_layout = parquet_of_earlier_version(paths.parquet, PUBLISHED_TABLES)
        sets = _stage_parquet(paths, tmp, run_id, None if old_layout else sorted(set(satkers_of) | set(again_of)),
                              columns)
        checkpoint("before_swap")
        _set_aside_wal(paths, run_id)
        os.replace(tmp, paths.published)
    checkpoint("after_swap")
    for folder in old_layout:
        shutil.rmtree(folder, ignore_errors=True)
    for period, staged in sets:
        _exchange(staged, paths.parquet / period)
        checkpoint("parquet_period_replaced")
    shutil.rmtree(paths.root / f".parquet-{run_id}", ignore_errors=True)
    if not rebuild:  # the views of an earlier version's file named these; no published file does now
        shutil.rmtree(paths.partitions, ignore_errors=True)
    return counts


def _by_month(periods: list[tuple[str, int, int]]) -> dict[tuple[int, int], list[str]]:
    """(tahun, bulan) → its satkers."""
    satkers_of: dict[tuple[int, int], list[str]] = defaultdict(list)
    for satker, tahun, bulan in periods:
        satkers_of[(tahun, bulan)].append(satker)
    return satkers_of


def _write_marts(con: duckdb.DuckDBPyConnection, pub: duckdb.DuckDBPyConnection,
                 satkers_of: dict[tuple[int, int], list[str]], columns: dict[str, list[tuple[str, str]]],
                 kept: set[tuple[str, str, int, int]], again_of: dict[tuple[int, int], list[str]]
                 ) -> dict[str, int]:
    """Each published table's rows of the run's periods replaced by the model's, except those `kept` (stale, with
    an earlier version to keep), and the comparison's rows of the later quarters compared again (`again_of`).
    Returns the rows written per table for the run's periods."""
    counts = {}
    for table, model in PUBLISHED_TABLES.items():
        _ensure_table(pub, table, columns[model])
        counts[table] = 0
        for (tahun, bulan), satkers in sorted(satkers_of.items()):
            computed = [s for s in satkers if (table, s, tahun, bulan) not in kept]
            counts[table] += _replace_rows(con, pub, table, model, columns[model], tahun, bulan, computed)
        if table == COMPARED_AGAIN:
            for (tahun, bulan), satkers in sorted(again_of.items()):
                _replace_rows(con, pub, table, model, columns[model], tahun, bulan, satkers)
    return counts


def _replace_rows(con: duckdb.DuckDBPyConnection, pub: duckdb.DuckDBPyConnection, table: str, model: str,
                  columns: list[tuple[str, str]], tahun: int, bulan: int, satkers: list[str]) -> int:
    """The published rows of these satkers' month replaced by the model's; returns how many were written."""
    rows = con.sql(f"select * from {model} where tahun = ? and bulan = ? and kode_satker in "
                   f"(select unnest(?::varchar[])) order by {_order(columns)}",
                   params=[tahun, bulan, satkers]).to_arrow_table()
    pub.execute(f"delete from mart.{table} where tahun = ? and bulan = ? and kode_satker in "
                "(select unnest(?::varchar[]))", [tahun, bulan, satkers])
    with registered(pub, "new_rows", rows):
        pub.execute(f"insert into mart.{table} by name select * from new_rows")
    return rows.num_rows


# The audit rows each run writes, by the column naming that run: what a run changes in them is only its own.
_BY_RUN = {"files": "run_id", "validation_failures": "run_id", "run_periods": "run_id", "freshness": "diperiksa_run"}
_KEYS = {"files": ["sha256"], "freshness": ["tabel", "kode_satker", "tahun", "bulan"]}


def _sync_audit(con: duckdb.DuckDBPyConnection, pub: duckdb.DuckDBPyConnection) -> None:
    """The warehouse's audit tables into the new file. Their rows grow with every run; copying them whole each
    time would make publishing grow with history. So only the rows of the runs the published file has not seen
    as they are now (this run, runs that died before publishing, runs that published nothing) are replaced, by
    key where a later run replaces an earlier one's row. `runs` and `alerts`, a few rows a run, are copied
    whole; a new file gets everything."""
    if not table_exists(pub, "audit", "runs"):
        for table in AUDIT_TABLES:
            _copy_whole(con, pub, table)
        return
    # a run's rows are final once it ended (done, failed, crashed) and the published file lists it so
    seen = pub.sql("select run_id, status from audit.runs").to_arrow_table()
    with registered(con, "published_runs", seen):
        changed = [r for (r,) in con.execute(
            "select w.run_id from audit.runs w left join published_runs p using (run_id) where p.run_id is null "
            "or w.status in ('started', 'built') or p.status in ('started', 'built')").fetchall()]
    for table, column in _BY_RUN.items():
        rows = con.sql(f"select * from audit.{table} where {column} in (select unnest(?::varchar[]))",
                       params=[changed]).to_arrow_table()
        with registered(pub, "audit_rows", rows):
            keys = _KEYS.get(table)
            if keys:  # the row of a key is the newest run's
                listed = ", ".join(keys)
                pub.execute(f"delete from audit.{table} where ({listed}) in (select ({listed}) from audit_rows)")
            pub.execute(f"delete from audit.{table} where {column} in (select unnest(?::varchar[]))", [changed])
            pub.execute(f"insert into audit.{table} by name select * from audit_rows")
    for table in ("runs", "alerts"):
        _copy_whole(con, pub, table)


def _copy_whole(con: duckdb.DuckDBPyConnection, pub: duckdb.DuckDBPyConnection, table: str) -> None:
    with registered(pub, "audit_rows", con.sql(f"select * from audit.{table}").to_arrow_table()):
        pub.execute(f"create or replace table audit.{table} as select * from audit_rows")


@contextmanager
def _held(paths: WarehousePaths) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A read-only connection to the current published file (None when there is none), held until the new one
    is swapped in: no program can open the file for writing meanwhile, so the copy is what it reads."""
    if not paths.published.exists():
        yield None
        return
    try:
        old = duckdb.connect(str(paths.published), read_only=True)
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        raise WarehouseBusy(_("{file} is open for writing by another program ({error}); analysts open it "
                              "read-only: close that program and run again").format(
            file=paths.published, error=str(exc).splitlines()[0])) from None
    try:
        yield old
    finally:
        old.close()


def read_published(paths: WarehousePaths, run_id: str, table: str, columns: str,
                   periods: list[tuple[str, int, int]]):
    """The rows (`columns`) of mart.`table` for these satker-months in the current published file, as Arrow;
    None when there is none, or the table is not there as a table (a file of an earlier version keeps it as a
    view over partitions/, which the next publish rebuilds). Read as publishing reads it: a crashed writer's
    log set aside first (its edits were never published), a program holding the file for writing named."""
    import pyarrow as pa

    if not periods:
        return None
    _set_aside_wal(paths, run_id)
    with _held(paths) as pub:
        if pub is None or pub.execute("select table_type from information_schema.tables where "
                                      "table_schema = 'mart' and table_name = ?", [table]).fetchall() != [
                                          ("BASE TABLE",)]:
            return None
        wanted = pa.table({"kode_satker": [s for s, _, _ in periods], "tahun": [y for _, y, _ in periods],
                           "bulan": [m for _, _, m in periods]})
        with registered(pub, "wanted_periods", wanted):
            return pub.sql(f"select {columns} from mart.{table} semi join wanted_periods "
                           "using (kode_satker, tahun, bulan)").to_arrow_table()


def _set_aside_wal(paths: WarehousePaths, run_id: str) -> None:
    """A write-ahead log beside the published file is a program's writes to it that were never checkpointed
    (it crashed holding the file open for writing): DuckDB would replay it onto the new file. It goes to
    logs/, for whoever wants to see what was written."""
    wal = paths.published.with_name(paths.published.name + ".wal")
    if wal.exists():
        paths.logs.mkdir(parents=True, exist_ok=True)
        os.replace(wal, paths.logs / f"published.duckdb.wal.{run_id}")


def _ensure_table(pub: duckdb.DuckDBPyConnection, table: str, model: list[tuple[str, str]]) -> None:
    """The table exactly as the model defines it: a column the model gained is added (NULL in older rows), one
    it lost dropped, one whose type changed cast to the new type (a cast that fails says which column)."""
    have = dict(pub.execute(
        "select column_name, data_type from duckdb_columns() where database_name = current_database() and "
        "schema_name = 'mart' and table_name = ?", [table]).fetchall())
    if not have:
        listed = ", ".join(f'"{name}" {kind}' for name, kind in model)
        pub.execute(f"create table mart.{table} ({listed})")
        return
    wanted = dict(model)
    for name in have.keys() - wanted.keys():
        pub.execute(f'alter table mart.{table} drop column "{name}"')
    for name, kind in model:
        if name not in have:
            pub.execute(f'alter table mart.{table} add column "{name}" {kind}')
        elif have[name] != kind:
            try:
                pub.execute(f'alter table mart.{table} alter column "{name}" type {kind}')
            except duckdb.Error as exc:
                raise ValueError(f"mart.{table}.{name}: the published rows ({have[name]}) cannot be read as "
                                 f"the model's {kind}: {exc}") from None


def _has_rows(pub: duckdb.DuckDBPyConnection, table: str, satker: str, tahun: int, bulan: int) -> bool:
    if not table_exists(pub, "mart", table):
        return False
    return bool(pub.execute(f"select 1 from mart.{table} where kode_satker = ? and tahun = ? and bulan = ? limit 1",
                            [satker, tahun, bulan]).fetchall())


# renameat2(2)'s flag: swap two paths in one step
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(staged: Path, live: Path) -> None:
    """Put the folder `staged` at `live` in one step; the folder that was live ends at `staged` (deleted
    after). Where the filesystem can't exchange (not Linux, some network filesystems), two renames: a run
    killed between them leaves the period without a folder until the next run, never a mix."""
    if not live.exists():
        live.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staged, live)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    rename = getattr(libc, "renameat2", None)
    if rename is not None and rename(_AT_FDCWD, os.fsencode(staged), _AT_FDCWD, os.fsencode(live),
                                     _RENAME_EXCHANGE) == 0:
        shutil.rmtree(staged, ignore_errors=True)
        return
    code = ctypes.get_errno() if rename is not None else errno.ENOSYS
    if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        raise OSError(code, os.strerror(code), str(live))
    aside = staged.with_name(staged.name + ".old")
    os.rename(live, aside)
    os.rename(staged, live)
    shutil.rmtree(aside, ignore_errors=True)


def _stage_parquet(paths: WarehousePaths, source: Path, run_id: str, periods: list[tuple[int, int]] | None,
                   columns: dict[str, list[tuple[str, str]]]) -> list[tuple[str, Path]]:
    """Each period's whole Parquet set, cut from the new published file `source`, in a staging folder: one
    file per table and satker of the period (a satker with no rows in a table gets an empty file, so that
    every table of a period can be read by a glob). `periods`: None for every published period. Written on
    the run's worker processes when there are many (the centre's run). Returns (yyyy-mm, staged folder)."""
    staging = paths.root / f".parquet-{run_id}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    pub = duckdb.connect(str(source), read_only=True)
    try:
        # the run's periods only: a scan of every table's whole history would grow with the years
        where = "" if periods is None else " where " + (" or ".join(
            f"(tahun = {int(y)} and bulan = {int(m)})" for y, m in periods) or "false")
        union = " union ".join(f"select distinct tahun, bulan, kode_satker from mart.{t}{where}"
                               for t in PUBLISHED_TABLES)
        rows = pub.execute(f"select tahun, bulan, list(distinct kode_satker order by kode_satker) from ({union}) "
                           "group by all order by all").fetchall()
    finally:
        pub.close()
    wanted = None if periods is None else set(periods)
    jobs = []
    for tahun, bulan, satkers in rows:
        if wanted is not None and (tahun, bulan) not in wanted:
            continue
        for table, model in PUBLISHED_TABLES.items():
            select = ", ".join(f'cast("{name}" as {kind}) as "{name}"' for name, kind in columns[model])
            jobs.append(_SatkerFiles(table, tahun, bulan, source, select, _order(columns[model]), satkers,
                                     staging / f"{tahun}-{bulan:02d}" / table, run_id))
    count = min(processes.warm_workers(), sum(len(job.satkers) for job in jobs) // PARALLEL_MIN_FILES)
    if count > 1:
        try:
            processes.in_processes(_write_satker_files, [jobs[i::count] for i in range(count)])
        except BrokenProcessPool:  # a worker died (killed, out of memory): the files are cut here, from the start
            shutil.rmtree(staging, ignore_errors=True)
            _write_satker_files(jobs)
    else:
        _write_satker_files(jobs)
    return [(f"{tahun}-{bulan:02d}", staging / f"{tahun}-{bulan:02d}") for tahun, bulan, _ in rows
            if wanted is None or (tahun, bulan) in wanted]


# Below this many files (satker-tables), they are written in the run's own process. Each costs ~1 ms, most of it
# the file's own (a national month: 17 tables × 76 satkers, 1.2 s on one process).
PARALLEL_MIN_FILES = 256


@dataclass(frozen=True)
class _SatkerFiles:
    table: str
    tahun: int
    bulan: int
    source: Path      # the new published file
    columns: str      # select list: the model's columns, in its order
    order: str
    satkers: list[str]
    folder: Path      # staged <yyyy-mm>/<table>/
    run_id: str


def _write_satker_files(jobs: list[_SatkerFiles]) -> None:
    """Each job's table and period as one file per satker, <folder>/<satker>.parquet."""
    if not jobs:
        return
    con = duckdb.connect(str(jobs[0].source), read_only=True, config={"threads": 1, "memory_limit": memory_limit()})
    try:
        for job in jobs:
            where = f"from mart.{job.table} where tahun = {int(job.tahun)} and bulan = {int(job.bulan)}"
            options = f"{PARQUET_OPTIONS}, kv_metadata {{sakip_run: {sql_literal(job.run_id)}}}"
            partitioned = job.folder.with_name(job.folder.name + ".by-satker")
            partitioned.parent.mkdir(parents=True, exist_ok=True)
            con.execute(f"copy (select {job.columns} {where} order by {job.order}) to {sql_literal(partitioned)} "
                        f"({options}, partition_by (kode_satker), write_partition_columns true, "
                        "filename_pattern 'data')")
            job.folder.mkdir(parents=True, exist_ok=True)
            for satker in job.satkers:
                found = list((partitioned / f"kode_satker={satker}").glob("*.parquet"))
                target = job.folder / f"{satker}.parquet"
                if found:
                    os.rename(found[0], target)
                else:
                    con.execute(f"copy (select {job.columns} {where} and false) to {sql_literal(target)} ({options})")
            shutil.rmtree(partitioned, ignore_errors=True)
    finally:
        con.close()


def _order(columns: list[tuple[str, str]]) -> str:
    """The order of a table's rows in its files: by satker, then the report's order (`urutan`) where it has
    one, else by every column (so that the same rows make the same file, run after run)."""
    return "kode_satker, urutan" if any(name == "urutan" for name, _ in columns) else "all"


def _model_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """Each model's columns with their types, in order. Models are temporary objects (transform.py)."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for model, name, kind in con.execute("select table_name, column_name, data_type from duckdb_columns() "
                                         "where database_name = 'temp' order by table_name, column_index").fetchall():
        out[model].append((name, kind))
    return out


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_leftovers(paths: WarehousePaths) -> None:
    """Temporary files of a run that was killed: never read, safe to delete under the lock."""
    for leftover in paths.root.glob(".published-*.duckdb*"):
        leftover.unlink(missing_ok=True)
    for staging in paths.root.glob(".parquet-*"):
        shutil.rmtree(staging, ignore_errors=True)
