"""What a warehouse made by an earlier version of sakip needs to be read by this one, in one place: numbered
steps, each run once, in order. The warehouse keeps the number of the last step it went through in
`audit.schema_version`; a new warehouse is created in the current shape and only records the number.

A step must also be harmless on a warehouse already in the current shape (a warehouse from before the version
table starts at 0 and goes through every step)."""
from __future__ import annotations

from collections.abc import Callable

import duckdb


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
        raise NewerWarehouse(f"the warehouse is of schema version {row}, made by a later version of sakip than "
                             f"this one (which knows up to {CURRENT}): run it with that version")
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
