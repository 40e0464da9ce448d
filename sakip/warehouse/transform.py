"""Runs the SQL models of `sakip/transforms/` in dependency order: staging and intermediate models become
views, marts become tables. Models see a table `run_periods` (kode_satker, tahun, bulan, akhir_periode): the
satker-months this run computes, so that a run's cost follows what it computes, not the warehouse's history."""
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

    @property
    def materialization(self) -> str:
        return "table" if self.layer == "marts" else "view"


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
    return [models[name] for name in TopologicalSorter(graph).static_order()]


def set_run_periods(con: duckdb.DuckDBPyConnection, periods: list[tuple[str, int, int]]) -> None:
    con.execute("create or replace table run_periods "
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
    for model in discover_models(directory):
        con.execute(f"create or replace {model.materialization} {model.name} as\n{model.sql}")
        ran.append(model.name)
    return ran
