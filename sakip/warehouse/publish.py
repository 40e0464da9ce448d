"""Publishing: the contract's tables (data contract §6) into `published.duckdb`, replaced atomically, and into
Parquet. Analysts keep the published file open read-only while the next run builds a new one beside it: the
new file is written under a temporary name and swapped in with os.replace, so a reader sees the old file or
the new one, never half of one. Re-publishing a period replaces that period's rows; other periods stay.

The new file is written through its own connection: a DuckDB transaction writes to one database only, and
the warehouse's transaction stays open (uncommitted) until the published file is in place."""
from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import duckdb

from sakip.warehouse import WarehousePaths

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
AUDIT_TABLES = ("runs", "files", "validation_failures", "freshness", "alerts")
_KEY = "(kode_satker, tahun, bulan)"


def _sql_str(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def publish(con: duckdb.DuckDBPyConnection, paths: WarehousePaths, run_id: str,
            stale: list[tuple[str, str, int, int]] = ()) -> dict[str, int]:
    """Write the marts' rows for the run's periods into a new published file and swap it in. `stale` lists
    (table, kode_satker, tahun, bulan) whose rows stay as they were. Returns rows published per table."""
    tmp = paths.root / f".published-{run_id}.duckdb"
    tmp.unlink(missing_ok=True)
    old = paths.published if paths.published.exists() else None
    counts: dict[str, int] = {}
    kept_stale: list[tuple[str, str, int, int]] = []
    pub = duckdb.connect(str(tmp))
    try:
        if old:
            pub.execute(f"attach {_sql_str(old)} as old (read_only)")
        pub.execute("create schema mart")
        pub.execute("create schema audit")
        pub.register("run_periods", con.sql("select kode_satker, tahun, bulan from run_periods").to_arrow_table())
        con.execute("create or replace temp table _stale (tabel varchar, kode_satker varchar, tahun integer, "
                    "bulan integer)")
        # A stale table keeps its last good rows; with no earlier version of that satker-period there is
        # nothing to keep, and the rows computed from what was accepted are published (still marked stale).
        kept_stale = [key for key in stale if old and _has_rows(pub, *key)]
        if kept_stale:
            con.executemany("insert into _stale values (?, ?, ?, ?)", kept_stale)
        for table, model in PUBLISHED_TABLES.items():
            new_rows = con.sql(f"select * from {model} where {_KEY} not in "
                               f"(select {_KEY} from _stale where tabel = ?)", params=[table]).to_arrow_table()
            pub.register("new_rows", new_rows)
            pub.register("stale", con.sql(
                "select kode_satker, tahun, bulan from _stale where tabel = ?", params=[table]).to_arrow_table())
            query = "select * from new_rows"
            if old and _exists(pub, "old", "mart", table):
                kept = (f"select * from old.mart.{table} where {_KEY} not in (select {_KEY} from run_periods) "
                        f"or {_KEY} in (select {_KEY} from stale)")
                query = f"select * from ({kept}) union all by name {query}"
            order = "kode_satker, tahun, bulan" + (", urutan" if "urutan" in new_rows.column_names else "")
            pub.execute(f"create table mart.{table} as select * from ({query}) order by {order}")
            pub.unregister("new_rows")
            pub.unregister("stale")
            counts[table] = new_rows.num_rows
        for table in AUDIT_TABLES:
            pub.register("audit_rows", con.sql(f"select * from audit.{table}").to_arrow_table())
            pub.execute(f"create table audit.{table} as select * from audit_rows")
            pub.unregister("audit_rows")
        if old:
            pub.execute("detach old")
        pub.execute("checkpoint")
    finally:
        pub.close()
    _fsync(tmp)
    staged = _stage_parquet(con, paths, run_id, set(kept_stale))  # kept tables keep their Parquet files too
    checkpoint("before_swap")
    os.replace(tmp, paths.published)
    checkpoint("after_swap")
    for staged_file, target in staged:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged_file, target)
    shutil.rmtree(paths.root / f".parquet-{run_id}", ignore_errors=True)
    return counts


def checkpoint(name: str) -> None:
    """Crash testing: SAKIP_KILL_AT=<name> makes the run kill itself (SIGKILL) at that point, so that tests can
    check what a run that dies there leaves behind. Does nothing otherwise."""
    if os.environ.get("SAKIP_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _stage_parquet(con: duckdb.DuckDBPyConnection, paths: WarehousePaths, run_id: str,
                   stale: set[tuple[str, str, int, int]]) -> list[tuple[Path, Path]]:
    """One Parquet file per table, satker and period, parquet/<table>/<satker>/<yyyy-mm>.parquet, first
    written to a staging folder: the live files change only after the published file has been swapped in,
    each by a rename. Returns (staged, target) pairs."""
    staging = paths.root / f".parquet-{run_id}"
    shutil.rmtree(staging, ignore_errors=True)
    moves = []
    periods = con.execute("select kode_satker, tahun, bulan from run_periods").fetchall()
    for table, model in PUBLISHED_TABLES.items():
        has_order = bool(con.execute("select 1 from information_schema.columns where table_name = ? "
                                     "and column_name = 'urutan'", [model]).fetchall())
        order = "order by urutan" if has_order else ""
        for satker, tahun, bulan in periods:
            if (table, satker, tahun, bulan) in stale:
                continue
            relative = Path(table) / satker / f"{tahun}-{bulan:02d}.parquet"
            staged = staging / relative
            staged.parent.mkdir(parents=True, exist_ok=True)
            con.execute(f"copy (select * from {model} where kode_satker = ? and tahun = ? and bulan = ? "
                        f"{order}) to {_sql_str(staged)} (format parquet)", [satker, tahun, bulan])
            moves.append((staged, paths.parquet / relative))
    return moves


def _has_rows(pub: duckdb.DuckDBPyConnection, table: str, satker: str, tahun: int, bulan: int) -> bool:
    if not _exists(pub, "old", "mart", table):
        return False
    return bool(pub.execute(f"select 1 from old.mart.{table} where kode_satker = ? and tahun = ? and bulan = ? "
                            "limit 1", [satker, tahun, bulan]).fetchall())


def _exists(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> bool:
    return bool(con.execute("select 1 from information_schema.tables where table_catalog = ? and "
                            "table_schema = ? and table_name = ?", [catalog, schema, table]).fetchall())


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
