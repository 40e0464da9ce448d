"""Runs the SQL models of `sakip/transforms/` in dependency order: staging models become views, marts tables,
and intermediate models views, except those that several models read, which become tables (computed once
per run rather than once per reader). Models see a table `run_periods` (kode_satker, tahun, bulan, akhir_periode): the
satker-months this run computes, so that a run's cost follows what it computes, not the warehouse's history.

Every model is a temporary object of the run's connection: the run publishes them and the next run computes
them again, so writing them into the warehouse file (at each checkpoint) would be work for nothing. A run
that dies after its commit leaves its periods pending, and the next run computes them again too."""
from __future__ import annotations

import re
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

TRANSFORMS_DIR = Path(__file__).resolve().parent.parent / "transforms"
LAYERS = ("staging", "intermediate", "marts")


@dataclass(frozen=True)
class Model:
    name: str
    layer: str
    sql: str
    readers: int = 0  # how many models read this one

    @property
    def materialization(self) -> str:
        shared = self.layer == "intermediate" and self.readers > 1
        return "table" if self.layer == "marts" or shared else "view"


def discover_models(directory: Path = TRANSFORMS_DIR) -> list[Model]:
    """Every model, in an order where each comes after the models it reads."""
    models = {}
    for layer in LAYERS:
        for path in sorted((directory / layer).glob("*.sql")):
            models[path.stem] = Model(path.stem, layer, path.read_text())
    graph = {}
    for model in models.values():
        body = re.sub(r"--[^\n]*", "", model.sql)
        graph[model.name] = {other for other in models if other != model.name
                             and re.search(rf"\b{re.escape(other)}\b", body)}
    readers = {name: sum(name in deps for deps in graph.values()) for name in models}
    return [Model(name, models[name].layer, models[name].sql, readers[name])
            for name in TopologicalSorter(graph).static_order()]


def set_run_periods(con: duckdb.DuckDBPyConnection, periods: list[tuple[str, int, int]]) -> None:
    con.execute("create or replace temp table run_periods "
                "(kode_satker varchar, tahun integer, bulan integer, akhir_periode date)")
    if periods:
        con.executemany("insert into run_periods values (?, ?, ?, last_day(make_date(?, ?, 1)))",
                        [(s, y, m, y, m) for s, y, m in periods])


def run_models(con: duckdb.DuckDBPyConnection, periods: list[tuple[str, int, int]],
               directory: Path = TRANSFORMS_DIR) -> list[str]:
    """Build every model for these satker-months. Returns the model names in the order they ran."""
    set_run_periods(con, periods)
    con.execute((directory / "macros.sql").read_text())
    ran = []
    models = discover_models(directory)
    _drop_stored_models(con, {model.name for model in models} | {"run_periods"})
    for model in models:
        con.execute(f"create or replace temp {model.materialization} {model.name} as\n{model.sql}")
        ran.append(model.name)
    return ran


def _drop_stored_models(con: duckdb.DuckDBPyConnection, names: set[str]) -> None:
    """Models a warehouse from before temporary models keeps in its file: dropped once (a stored view over a
    model that is now temporary would not even bind)."""
    stored = con.execute("select table_catalog, table_name, table_type from information_schema.tables "
                         "where table_catalog = current_database() and table_schema = 'main'").fetchall()
    for catalog, name, kind in stored:
        if name in names:
            con.execute(f'drop {"view" if kind == "VIEW" else "table"} "{catalog}".main.{name}')
