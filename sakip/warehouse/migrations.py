"""What a warehouse made by an earlier version of sakip needs to be read by this one, in one place: numbered
steps, each run once, in order. The warehouse keeps the number of the last step it went through in
`audit.schema_version`; a new warehouse is created in the current shape and only records the number.

A step must also be harmless on a warehouse already in the current shape (a warehouse from before the version
table starts at 0 and goes through every step).

The published file of an earlier version is recognised by its shape instead (an analyst's copy carries no
number of ours) and rebuilt by the next run: its functions are at the end."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb

from sakip.i18n import _


def _received_at(con: duckdb.DuckDBPyConnection) -> None:
    """audit.files.diterima_pada: when each file was recorded (newer exports win on it)."""
    con.execute("alter table audit.files add column if not exists diterima_pada timestamp")


def _models_no_longer_stored(con: duckdb.DuckDBPyConnection) -> None:
    """Models are temporary objects of each run: a warehouse from before kept them in its file, and a stored
    view over a model that is now temporary would not even bind."""
    from sakip.warehouse.models import load_project

    names = {model.name for model in load_project().models} | {"run_periods"}
    stored = con.execute("select table_name, table_type from information_schema.tables "
                         "where table_catalog = current_database() and table_schema = 'main'").fetchall()
    for name, kind in stored:
        if name in names:
            con.execute(f'drop {"view" if kind == "VIEW" else "table"} main."{name}"')


def _stable_check_codes(con: duckdb.DuckDBPyConnection) -> None:
    """The findings recorded before the checks had stable codes carry Pandera's names for them: renamed, so
    that the history and the new findings name a check alike (docs/validation.md)."""
    con.execute("""
        update audit.validation_failures set pemeriksaan = case pemeriksaan
            when 'not_nullable' then 'required' when 'str_matches' then 'format'
            when 'isin' then 'allowed_value' else 'range' end
        where pemeriksaan in ('not_nullable', 'str_matches', 'isin', 'greater_than_or_equal_to',
                              'less_than_or_equal_to', 'greater_than', 'less_than', 'in_range')""")


class NewerWarehouse(Exception):
    """The warehouse was made by a later version of sakip: this one would not know its shape."""


STEPS: list[tuple[int, Callable[[duckdb.DuckDBPyConnection], None]]] = [
    (1, _received_at),
    (2, _models_no_longer_stored),
    (3, _stable_check_codes),
]
CURRENT = STEPS[-1][0]


def migrate(con: duckdb.DuckDBPyConnection, created: bool) -> list[int]:
    """Bring the warehouse of `con` to the current shape; `created`: it was made just now, by this version.
    Returns the steps run."""
    con.execute("create table if not exists audit.schema_version (versi integer not null)")
    row = con.execute("select max(versi) from audit.schema_version").fetchall()[0][0]
    if row is not None and row > CURRENT:
        raise NewerWarehouse(_("the warehouse is of schema version {version}, made by a later version of sakip "
                               "than this one (which knows up to {current}): run it with that version").format(
            version=row, current=CURRENT))
    version = CURRENT if created and row is None else (row or 0)
    ran = [number for number, step in STEPS if number > version]
    if row != CURRENT:
        con.execute("begin transaction")  # the steps and the new number together, or neither
        for number, step in STEPS:
            if number > version:
                step(con)
        con.execute("delete from audit.schema_version")
        con.execute("insert into audit.schema_version values (?)", [CURRENT])
        con.execute("commit")
    return ran


# The published file and Parquet folder of an earlier version

def published_is_current(old: duckdb.DuckDBPyConnection, path: Path, storage_version: int) -> bool:
    """Whether the published file is of this version: its tables real, in the storage format of DuckDB 1.1.
    An earlier version's (views over partitions/, or written in DuckDB 2.0's own format) is rebuilt."""
    with open(path, "rb") as f:
        header = f.read(20)
    version = int.from_bytes(header[12:20], "little") if header[8:12] == b"DUCK" else None
    views = old.execute("select count(*) from duckdb_views() where schema_name = 'mart'").fetchall()[0][0]
    return version == storage_version and not views


def published_rows_of_earlier_version(old: duckdb.DuckDBPyConnection, pub: duckdb.DuckDBPyConnection,
                                      root: Path, partitions_dir: Path, tables: Iterable[str]) -> None:
    """An earlier version's published rows into real tables of the new file. Its views name the partitions
    by absolute path, of the machine and folder that wrote them: the partitions are read from audit.partitions,
    relative to this warehouse, wherever it was moved or copied."""
    from sakip.warehouse.db import registered, sql_literal, table_exists

    pub.execute("create schema if not exists mart")
    partitions = table_exists(old, "audit", "partitions")
    for table in tables:
        if partitions:
            files = [root / f for (f,) in old.execute(
                "select file from audit.partitions where tabel = ? order by tahun, bulan", [table]).fetchall()]
            if not files:
                continue
            missing = [str(f) for f in files if not f.exists()]
            if missing:
                raise FileNotFoundError(f"the published file of the previous version names partitions that are not "
                                        f"in {partitions_dir}: {', '.join(missing[:3])}")
            listed = ", ".join(sql_literal(f) for f in files)
            query = f"select * from read_parquet([{listed}], union_by_name = true)"
        elif table_exists(old, "mart", table):
            query = f"select * from mart.{table}"
        else:
            continue
        with registered(pub, "old_rows", old.sql(query).to_arrow_reader()):  # streamed: a year of a table at once
            pub.execute(f"create table mart.{table} as select * from old_rows")


def parquet_of_earlier_version(parquet: Path, tables: Iterable[str]) -> list[Path]:
    """The folders of the earlier Parquet layout (parquet/<table>/<satker>/<yyyy-mm>.parquet): they go before
    the new layout is written, which a reader's parquet/*/*/*.parquet would match as well."""
    return [parquet / t for t in tables if (parquet / t).is_dir()]
