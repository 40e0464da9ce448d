"""Publishing: the contract's tables (data contract §6) in `published.duckdb`, replaced atomically, and as
Parquet. Analysts keep the published file open read-only while the next run builds a new one beside it: the
new file is written under a temporary name and swapped in with os.replace, so a reader sees the old file or
the new one, never half of one.

The cost of publishing a month must not grow with the months already published. So the published file is a
small catalog: each table is a view over immutable Parquet partitions, one per table and period,
`partitions/<table>/<yyyy-mm>/<run_id>.parquet`, named in `audit.partitions`. A run writes new partitions
for the periods it computes only (the period's rows of the satkers it did not compute carried over from the
partition it replaces), then a new catalog that names them, then swaps the catalog in: the swap is the
commit. Partitions that neither the new nor the previous catalog names are deleted afterwards (a reader may
still hold the previous catalog). Views name absolute paths: a relative one would resolve against the
reader's working directory; a warehouse moved elsewhere is re-pointed by its next run.

Folder readers (Power BI, Spark) get the same rows as parquet/<table>/<satker>/<yyyy-mm>.parquet, renamed into
place after the swap."""
from __future__ import annotations

import os
import shutil
import signal
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sakip import processes
from sakip.warehouse import WarehousePaths
from sakip.warehouse.db import MEMORY_LIMIT

# published name → (model that computes it, sources it depends on). When a source is refused, the tables that
# depend on it keep their last good rows for that satker and period, and audit.freshness says they are stale.
_SIMETRIS = ("simetris_rapk", "simetris_realisasi")
PUBLISHED = {
    "capaian_iku": ("mart_capaian_iku", _SIMETRIS),
    "nilai_sasaran": ("mart_nilai_sasaran", _SIMETRIS),
    "nko": ("mart_nko", _SIMETRIS),
    "realisasi_anggaran": ("mart_realisasi_anggaran", ("sakti_realisasi", "sakti_pok")),
    "anggaran_satker": ("mart_anggaran_satker", ("sakti_realisasi", "sakti_pok")),
    "rencana_penarikan": ("mart_rencana_penarikan", ("sakti_realisasi", "sakti_pok")),
    "efisiensi": ("mart_efisiensi", ("sakti_realisasi", "sakti_capaian_output")),
    "kinerja_anggaran": ("mart_kinerja_anggaran", (*_SIMETRIS, "sakti_realisasi")),
    "sla_pengujian": ("mart_sla_pengujian", ("sipt_sampel",)),
    "sla_ringkasan": ("mart_sla_ringkasan", ("sipt_sampel",)),
    "sampel_ringkasan": ("mart_sampel_ringkasan", ("sipt_sampel",)),
    "ketepatan_waktu": ("mart_ketepatan_waktu", ("sipt_pemeriksaan", "sipt_rekomendasi")),
    "ketepatan_waktu_ringkasan": ("mart_ketepatan_waktu_ringkasan", ("sipt_pemeriksaan", "sipt_rekomendasi")),
    "pemeriksaan_ringkasan": ("mart_pemeriksaan_ringkasan", ("sipt_pemeriksaan",)),
    "rekomendasi_ringkasan": ("mart_rekomendasi_ringkasan", ("sipt_rekomendasi",)),
    "iku_sipt_komponen": ("mart_iku_sipt_komponen", ("sipt_sampel", "sipt_pemeriksaan", "sipt_rekomendasi")),
}
PUBLISHED_TABLES = {name: model for name, (model, _) in PUBLISHED.items()}
AUDIT_TABLES = ("runs", "run_periods", "files", "validation_failures", "freshness", "alerts")

Partition = tuple[str, int, int]  # table, tahun, bulan


def _sql_str(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def publish(con: duckdb.DuckDBPyConnection, paths: WarehousePaths, run_id: str,
            stale: list[tuple[str, str, int, int]] = ()) -> dict[str, int]:
    """Write the marts' rows for the run's periods as new partitions, a new catalog naming them, and swap it
    in. `stale` lists (table, kode_satker, tahun, bulan) whose rows stay as they were. Returns rows published
    per table."""
    tmp = paths.root / f".published-{run_id}.duckdb"
    tmp.unlink(missing_ok=True)
    old = paths.published if paths.published.exists() else None
    before = _partitions_of(old, paths, run_id) if old else {}
    current = dict(before)
    periods = con.execute("select kode_satker, tahun, bulan from run_periods").fetchall()
    satkers_of: dict[tuple[int, int], list[str]] = defaultdict(list)
    for satker, tahun, bulan in periods:
        satkers_of[(tahun, bulan)].append(satker)
    # A stale table keeps its last good rows; with no earlier version of that satker-period there is
    # nothing to keep, and the rows computed from what was accepted are published (still marked stale).
    kept_stale = [key for key in stale if _has_rows(con, paths, current.get((key[0], key[2], key[3])), key[1])]
    counts: dict[str, int] = {}
    columns = _model_columns(con)
    computed_of: dict[Partition, list[str]] = {}  # the satkers whose rows each new partition holds, computed
    for table, model in PUBLISHED_TABLES.items():
        order = _order(columns[model])
        counts[table] = 0
        for (tahun, bulan), satkers in sorted(satkers_of.items()):
            keep = [s for (t, s, y, m) in kept_stale if (t, y, m) == (table, tahun, bulan)]
            computed = computed_of[(table, tahun, bulan)] = [s for s in satkers if s not in keep]
            query = f"select * from {model} where tahun = ? and bulan = ? and kode_satker in (select unnest(?::varchar[]))"
            params: list = [tahun, bulan, computed]
            counts[table] += con.execute(f"select count(*) from ({query})", params).fetchall()[0][0]
            previous = current.get((table, tahun, bulan))
            if previous is not None:  # the period's rows of the other satkers (and the kept ones) carry over
                query = (f"select * from read_parquet({_sql_str(paths.root / previous)}) "
                         "where kode_satker not in (select unnest(?::varchar[])) union all by name " + query)
                params = [computed, *params]
            current[(table, tahun, bulan)] = _write_partition(
                con, paths, (table, tahun, bulan), run_id, f"select * from ({query}) order by {order}", params)
    _write_catalog(con, tmp, paths, current)
    # per-satker files of the computed satkers only: a kept table keeps its files too
    staged = _stage_parquet(paths, run_id, {key: (current[key], satkers) for key, satkers in computed_of.items()},
                            columns)
    checkpoint("before_swap")
    os.replace(tmp, paths.published)
    checkpoint("after_swap")
    for staged_file, target in staged:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged_file, target)
    shutil.rmtree(paths.root / f".parquet-{run_id}", ignore_errors=True)
    _collect_garbage(paths, set(current.values()) | set(before.values()))
    return counts


def _write_catalog(con: duckdb.DuckDBPyConnection, tmp: Path, paths: WarehousePaths,
                   current: dict[Partition, str]) -> None:
    """The new published file: a view per table over its partitions, `audit.partitions`, and the audit
    tables. Written through its own connection: a DuckDB transaction writes to one database only."""
    pub = duckdb.connect(str(tmp), config={"memory_limit": MEMORY_LIMIT})
    try:
        pub.execute("create schema mart")
        pub.execute("create schema audit")
        pub.execute("create table audit.partitions (tabel varchar, tahun integer, bulan integer, file varchar)")
        pub.executemany("insert into audit.partitions values (?, ?, ?, ?)",
                        [(t, y, m, f) for (t, y, m), f in sorted(current.items())])
        for table in PUBLISHED_TABLES:
            files = [str(paths.root.resolve() / f) for (t, _, _), f in sorted(current.items()) if t == table]
            if files:
                listed = ", ".join(_sql_str(Path(f)) for f in files)
                pub.execute(f"create view mart.{table} as select * from read_parquet([{listed}], union_by_name = true)")
        for table in AUDIT_TABLES:
            pub.register("audit_rows", con.sql(f"select * from audit.{table}").to_arrow_table())
            pub.execute(f"create table audit.{table} as select * from audit_rows")
            pub.unregister("audit_rows")
        pub.execute("checkpoint")
    finally:
        pub.close()
    _fsync(tmp)


def _partitions_of(old: Path, paths: WarehousePaths, run_id: str) -> dict[Partition, str]:
    """The partitions the published file names. A published file from before partitions (its tables hold
    the rows) is turned into partitions once, period by period."""
    pub = duckdb.connect(str(old), read_only=True)
    try:
        if _exists(pub, "audit", "partitions"):
            rows = pub.execute("select tabel, tahun, bulan, file from audit.partitions").fetchall()
            return {(t, y, m): f for t, y, m, f in rows}
        out = {}
        for table in PUBLISHED_TABLES:
            if not _exists(pub, "mart", table):
                continue
            for tahun, bulan in pub.execute(f"select distinct tahun, bulan from mart.{table}").fetchall():
                out[(table, tahun, bulan)] = _write_partition(
                    pub, paths, (table, tahun, bulan), f"{run_id}-migrated",
                    f"select * from mart.{table} where tahun = ? and bulan = ?", [tahun, bulan])
        return out
    finally:
        pub.close()


def _write_partition(con: duckdb.DuckDBPyConnection, paths: WarehousePaths, partition: Partition, name: str,
                     query: str, params: list) -> str:
    """The query's rows as partitions/<table>/<yyyy-mm>/<name>.parquet; returns that path, relative to the
    warehouse (as audit.partitions keeps it)."""
    table, tahun, bulan = partition
    target = paths.partitions / table / f"{tahun}-{bulan:02d}" / f"{name}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"copy ({query}) to {_sql_str(target)} (format parquet)", params)
    return str(target.relative_to(paths.root))


def _collect_garbage(paths: WarehousePaths, referenced: set[str]) -> None:
    """Partitions no catalog names any more (replaced two runs ago, or left by a run that died)."""
    for path in paths.partitions.glob("*/*/*.parquet"):
        if str(path.relative_to(paths.root)) not in referenced:
            path.unlink(missing_ok=True)


def checkpoint(name: str) -> None:
    """Crash and race testing: SAKIP_KILL_AT=<name> makes the run kill itself (SIGKILL) at that point, so that
    tests can check what a run that dies there leaves behind; SAKIP_PAUSE_AT=<name> makes it create the file
    $SAKIP_PAUSE_FILE there, holding its process id, and wait (up to 5 minutes) until a test removes it, so that
    another run can go first, or the test can kill it. Does nothing otherwise."""
    if os.environ.get("SAKIP_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get("SAKIP_PAUSE_AT") == name:
        pause = Path(os.environ["SAKIP_PAUSE_FILE"])
        pause.write_text(str(os.getpid()))
        deadline = time.monotonic() + 300
        while pause.exists() and time.monotonic() < deadline:
            time.sleep(0.05)


def _stage_parquet(paths: WarehousePaths, run_id: str, partitions: dict[Partition, tuple[str, list[str]]],
                   columns: dict[str, list[tuple[str, str]]]) -> list[tuple[Path, Path]]:
    """One Parquet file per table, satker and period, parquet/<table>/<satker>/<yyyy-mm>.parquet, first
    written to a staging folder: the live files change only after the published file has been swapped in,
    each by a rename. Each is cut from the period's new partition (`partitions`: its file and the satkers it
    holds computed rows of), one write per table and month split by satker, not one per file (76 satkers × 16
    tables a month). A partitioned write keeps row order on one thread only: with the run's worker processes
    running (the centre's run), the tables are shared among them. Returns (staged, target) pairs."""
    staging = paths.root / f".parquet-{run_id}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    jobs = []
    for (table, tahun, bulan), (partition, satkers) in partitions.items():
        if not satkers:
            continue
        model = columns[PUBLISHED_TABLES[table]]
        # the model's columns and types: a partition that carried rows over from an older one is read by name
        select = ", ".join(f'cast("{name}" as {kind}) as "{name}"' for name, kind in model)
        jobs.append(_SatkerFiles(table, tahun, bulan, paths.root / partition, select, _order(model), sorted(satkers),
                                 staging))
    satker_months = {(satker, job.tahun, job.bulan) for job in jobs for satker in job.satkers}
    count = min(processes.warm_workers(), len(satker_months) // PARALLEL_MIN_PERIODS)
    if count > 1:
        jobs.sort(key=lambda job: job.source.stat().st_size, reverse=True)  # the largest first, spread evenly
        batches = [jobs[i::count] for i in range(count)]
        staged = [pair for pairs in processes.in_processes(_write_satker_files, batches) for pair in pairs]
    else:
        staged = _write_satker_files(jobs)
    return [(path, paths.parquet / table / satker / f"{tahun}-{bulan:02d}.parquet")
            for (table, satker, tahun, bulan), path in staged]


# Below this many satker-months, the per-satker files are written in the run's own process.
PARALLEL_MIN_PERIODS = 8


@dataclass(frozen=True)
class _SatkerFiles:
    table: str
    tahun: int
    bulan: int
    source: Path      # the period's partition
    columns: str      # select list: the model's columns, cast to its types
    order: str
    satkers: list[str]
    staging: Path


def _write_satker_files(jobs: list[_SatkerFiles]) -> list[tuple[tuple[str, str, int, int], Path]]:
    """Each job's satkers' rows as one staged file each; a satker with no rows gets an empty file (it replaces
    what an earlier run wrote)."""
    con = duckdb.connect(config={"threads": 1, "memory_limit": MEMORY_LIMIT})
    staged = []
    try:
        for job in jobs:
            source = f"read_parquet({_sql_str(job.source)})"
            folder = job.staging / job.table / f"{job.tahun}-{job.bulan:02d}"
            folder.parent.mkdir(parents=True, exist_ok=True)
            satkers = ", ".join(_sql_str(s) for s in job.satkers)
            con.execute(f"copy (select {job.columns} from {source} where kode_satker in ({satkers}) "
                        f"order by {job.order}) to {_sql_str(folder)} (format parquet, partition_by (kode_satker), "
                        "write_partition_columns true, filename_pattern 'data')")
            for satker in job.satkers:
                found = list((folder / f"kode_satker={satker}").glob("*.parquet"))
                empty = job.staging / "empty" / job.table / f"{satker}-{job.tahun}-{job.bulan:02d}.parquet"
                path = found[0] if found else empty
                if not found:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    con.execute(f"copy (select {job.columns} from {source} where false) to {_sql_str(path)} "
                                "(format parquet)")
                staged.append(((job.table, satker, job.tahun, job.bulan), path))
    finally:
        con.close()
    return staged


def _has_rows(con: duckdb.DuckDBPyConnection, paths: WarehousePaths, partition: str | None, satker: str) -> bool:
    if partition is None:
        return False
    return bool(con.execute(f"select 1 from read_parquet({_sql_str(paths.root / partition)}) where kode_satker = ? "
                            "limit 1", [satker]).fetchall())


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


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(con.execute("select 1 from information_schema.tables where table_schema = ? and table_name = ?",
                            [schema, table]).fetchall())


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
