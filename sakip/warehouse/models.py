"""The SQL models and what they declare about themselves, as dbt does: each layer of `sakip/transforms/` has a
YAML file beside its SQL (`_staging.yml`, `_intermediate.yml`, `_marts.yml`) giving every model's description,
its columns with their types and descriptions, its tests, and for a published mart the name it is published
under; `staging/_sources.yml` declares what the models read besides each other (raw, ref, audit, run).

The model graph comes from the SQL itself, parsed by DuckDB's own parser (`json_serialize_sql`): the tables
each query reads, minus the names of its CTEs. Everything else is derived from these declarations and the
graph, so it cannot drift from the SQL: the run's order, the published tables and the sources each depends on
(a refused export makes exactly the tables downstream of it stale), the data dictionary, the contract the
tests check a published file against.

Tests a model may declare (dbt's and dbt_utils' names): on a column `not_null`, `unique`,
`accepted_values: {values: [...]}`, `accepted_range: {min_value, max_value}`,
`relationships: {to: <model or schema.table>, field: <column>, to_where: <SQL, optional>}`; on the model
`unique_combination_of_columns: {combination_of_columns: [...]}` and
`expression_is_true: {expression: <SQL>, description: <what it means>}`. Each compiles to a query that
returns the failing rows."""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import yaml

from sakip.schemas import KINDS

TRANSFORMS_DIR = Path(__file__).resolve().parent.parent / "transforms"
LAYERS = ("staging", "intermediate", "marts")
# Temporary tables the run creates before the models (sakip.warehouse.transform), read without a schema
RUN_TABLES = ("run_periods", "published_capaian_iku", "published_perbandingan_triwulan")


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    description: str = ""
    tests: tuple = ()


@dataclass(frozen=True)
class DataTest:
    """One declared test: `sql` returns the rows that fail it."""
    model: str
    name: str
    column: str | None
    sql: str

    @property
    def label(self) -> str:
        return f"{self.name}({self.column})" if self.column else self.name


@dataclass(frozen=True)
class Model:
    name: str
    layer: str
    sql: str
    description: str
    columns: tuple[Column, ...]
    tests: tuple = ()                  # model-level declarations, as written in the YAML
    published_as: str | None = None
    advisory: frozenset[str] = frozenset()  # reads that only inform (an early warning), see export_sources
    reads: frozenset[str] = frozenset()  # models and sources (schema.table) its SQL reads
    readers: int = 0                   # how many models read this one

    @property
    def materialization(self) -> str:
        """Staging models are views, marts tables; an intermediate model is a table when several models read
        it (computed once per run rather than once per reader), else a view."""
        shared = self.layer == "intermediate" and self.readers > 1
        return "table" if self.layer == "marts" or shared else "view"

    def data_tests(self, table: str | None = None) -> list[DataTest]:
        """The declared tests, on the model's relation or on `table` (a published copy of it)."""
        table = table or self.name
        tests = [_compile(self.name, table, None, spec) for spec in self.tests]
        tests += [_compile(self.name, table, column.name, spec) for column in self.columns for spec in column.tests]
        return tests


@dataclass(frozen=True)
class Source:
    schema: str
    name: str
    description: str = ""
    columns: tuple[Column, ...] = ()


@dataclass(frozen=True)
class Project:
    models: tuple[Model, ...]               # in an order where each comes after what it reads
    sources: dict[str, Source] = field(default_factory=dict)  # "schema.table" → source
    audit_published: bool = True

    @functools.cached_property
    def by_name(self) -> dict[str, Model]:
        return {model.name: model for model in self.models}

    @functools.cached_property
    def published(self) -> dict[str, Model]:
        """Published table name → the model that computes it, in the models' order."""
        return {model.published_as: model for model in self.models if model.published_as}

    def upstream(self, name: str) -> set[str]:
        """Every model and source `name` reads, directly or through other models."""
        seen, todo = set(), [name]
        while todo:
            for read in self.by_name[todo.pop()].reads:
                if read not in seen:
                    seen.add(read)
                    if read in self.by_name:
                        todo.append(read)
        return seen

    def export_sources(self, name: str) -> tuple[str, ...]:
        """The export sources (raw tables, named as the readers' kinds) a model depends on: when one is refused,
        what the model computes is not up to date."""
        return tuple(sorted(_sources(self.upstream(name))))

    def sources_of(self, name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(required, advisory): the export sources of a published model, split by its `advisory` reads. A
        refused required source keeps the table at its last good rows; one reached only through an advisory
        read (capaian_iku's realisasi_sipt, an early warning from SIPT) leaves the table published, marked
        partial: its official figures must agree with the NKO computed from them."""
        model = self.by_name[name]
        required, advisory = set(), set()
        for read in model.reads:
            reached = {read} | (self.upstream(read) if read in self.by_name else set())
            (advisory if read in model.advisory else required).update(_sources(reached))
        return tuple(sorted(required)), tuple(sorted(advisory - required))


def _sources(reads: set[str]) -> set[str]:
    return {read.split(".", 1)[1] for read in reads if read.startswith("raw.")}


class DeclarationError(Exception):
    """The YAML and the SQL disagree, or the YAML is malformed: a developer's error, found before any run."""


@functools.lru_cache(maxsize=4)
def load_project(directory: Path = TRANSFORMS_DIR) -> Project:
    sources = _load_sources(directory / "staging" / "_sources.yml")
    declared, found = {}, {}
    for layer in LAYERS:
        for entry in _yaml(directory / layer / f"_{layer}.yml").get("models") or []:
            declared[entry["name"]] = (layer, entry)
        for path in sorted((directory / layer).glob("*.sql")):
            found[path.stem] = (layer, path.read_text())
    problems = [f"{name}.sql has no declaration in _{layer}.yml" for name, (layer, _) in found.items()
                if name not in declared]
    problems += [f"{name} is declared in _{layer}.yml but has no {name}.sql" for name, (layer, _) in declared.items()
                 if name not in found]
    if problems:
        raise DeclarationError("; ".join(problems))
    reads = _read_tables({name: sql for name, (_, sql) in found.items()})
    problems = [f"{name} reads {read}, which is neither a model nor a declared source"
                for name, names in reads.items() for read in sorted(names)
                if read not in found and read not in sources]
    problems += [f"{name} reads {read}: only staging models read raw and audit tables"
                 for name, names in reads.items() for read in names
                 if read.split(".")[0] in ("raw", "audit") and found[name][0] != "staging"]
    if problems:
        raise DeclarationError("; ".join(problems))
    graph = {name: {read for read in names if read in found} for name, names in reads.items()}
    readers = {name: sum(name in deps for deps in graph.values()) for name in found}
    models = []
    for name in TopologicalSorter(graph).static_order():
        layer, entry = declared[name]
        models.append(Model(
            name=name, layer=layer, sql=found[name][1], description=_text(entry.get("description")),
            columns=tuple(_column(c) for c in entry.get("columns") or []), tests=tuple(entry.get("data_tests") or []),
            published_as=entry.get("published_as"), reads=frozenset(reads[name]), readers=readers[name],
            advisory=frozenset(entry.get("advisory") or ())))
        if not models[-1].advisory <= models[-1].reads:
            raise DeclarationError(f"{name}: advisory reads {sorted(models[-1].advisory - models[-1].reads)} "
                                   "that its SQL does not read")
    return Project(tuple(models), sources)


# libyaml's loader when PyYAML has it: the pure-Python one takes 0.15 s for the declarations, in every process
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(path: Path) -> dict:
    try:
        return yaml.load(path.read_text(), Loader=_LOADER) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DeclarationError(f"{path}: {exc}") from None


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _column(entry: dict) -> Column:
    return Column(entry["name"], str(entry["data_type"]), _text(entry.get("description")),
                  tuple(entry.get("data_tests") or ()))


def _load_sources(path: Path) -> dict[str, Source]:
    sources = {}
    for schema in _yaml(path).get("sources") or []:
        for table in schema.get("tables") or []:
            sources[f"{schema['name']}.{table['name']}"] = Source(
                schema["name"], table["name"], _text(table.get("description")),
                tuple(_column(c) for c in table.get("columns") or []))
    raw = {key.split(".", 1)[1] for key in sources if key.startswith("raw.")}
    if raw != {kind.name for kind in KINDS}:
        raise DeclarationError(f"{path}: the raw tables {sorted(raw)} are not the readers' sources "
                               f"{sorted(kind.name for kind in KINDS)}")
    return sources


def _read_tables(sqls: dict[str, str]) -> dict[str, set[str]]:
    """The tables each model's SQL reads, from DuckDB's parse tree: base table references, less the names of
    the query's CTEs. The run's own tables (RUN_TABLES) are schema `run` in the declarations."""
    con = duckdb.connect()
    try:
        names = list(sqls)
        trees = con.execute("select json_serialize_sql(sql) from unnest(?::varchar[]) with ordinality as t(sql, i) "
                            "order by i", [[sqls[n] for n in names]]).fetchall()
        out = {}
        for name, (tree,) in zip(names, trees):
            tree = json.loads(tree)
            if tree.get("error"):
                raise DeclarationError(f"{name}.sql does not parse: {tree.get('error_message')}")
            tables, ctes = set(), set()
            try:
                _walk(tree, tables, ctes)
            except DeclarationError as exc:
                raise DeclarationError(f"{name}.sql: {exc}") from None
            out[name] = {(f"run.{table}" if table in RUN_TABLES else table)
                         for table in tables if table not in ctes}
        return out
    finally:
        con.close()


# Functions that read a table named by a string: the parse tree does not show it as a table, so a model may not
# call them (the macros of macros.sql may: they are given a CTE of the model that calls them).
_HIDDEN_READS = {"query_table", "query", "read_parquet", "read_csv", "read_csv_auto", "read_json"}


def _walk(node, tables: set[str], ctes: set[str]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "TABLE_FUNCTION" and _function_name(node) in _HIDDEN_READS:
            raise DeclarationError(f"{_function_name(node)}() reads a table the model graph can't see: "
                                   "name the table in the query instead")
        if node.get("type") == "BASE_TABLE":
            schema = node.get("schema_name") or ""
            tables.add(f"{schema}.{node['table_name']}" if schema else node["table_name"])
        for entry in (node.get("cte_map") or {}).get("map") or []:
            ctes.add(entry["key"])
        for value in node.values():
            _walk(value, tables, ctes)
    elif isinstance(node, list):
        for value in node:
            _walk(value, tables, ctes)


def _function_name(node: dict) -> str:
    function = node.get("function") or {}
    return str(function.get("function_name") or "").lower()


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _compile(model: str, table: str, column: str | None, spec) -> DataTest:
    """A declared test as the query of its failing rows in `table`."""
    name, args = (spec, {}) if isinstance(spec, str) else next(iter(spec.items()))
    args = args or {}
    col = _ident(column) if column else None
    if name == "not_null":
        sql = f"select * from {table} where {col} is null"
    elif name == "unique":
        sql = f"select {col}, count(*) as n from {table} where {col} is not null group by all having count(*) > 1"
    elif name == "accepted_values":
        values = ", ".join(_literal(v) for v in args["values"])
        sql = f"select * from {table} where {col} is not null and {col} not in ({values})"
    elif name == "accepted_range":
        bounds = [f"{col} < {_literal(args['min_value'])}" if "min_value" in args else None,
                  f"{col} > {_literal(args['max_value'])}" if "max_value" in args else None]
        sql = f"select * from {table} where " + " or ".join(b for b in bounds if b)
    elif name == "relationships":  # `to_where`: which rows of `to` count (a label of this scale, not any)
        where = f" and ({args['to_where']})" if args.get("to_where") else ""
        sql = (f"select * from {table} where {col} is not null and {col} not in "
               f"(select {_ident(args['field'])} from {args['to']} where {_ident(args['field'])} is not null{where})")
    elif name == "unique_combination_of_columns":
        cols = ", ".join(_ident(c) for c in args["combination_of_columns"])
        sql = f"select {cols}, count(*) as n from {table} group by all having count(*) > 1"
    elif name == "expression_is_true":
        sql = f"select * from {table} where not coalesce(({args['expression']}), false)"
        name = f"expression_is_true: {args.get('description') or args['expression']}"
    else:
        raise DeclarationError(f"{model}: unknown test {name!r}")
    return DataTest(model, name, column, sql)
