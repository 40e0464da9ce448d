"""The published contract (data contract §6) as checks on a published DuckDB file, all derived from the models'
declarations (sakip/transforms/*/_*.yml): every published table with exactly its declared columns and types,
the audit tables likewise, no NaN or infinity, and each model's declared tests holding on the published rows
(the ones that need the run's reference tables excepted). Shape, not figures: the figures are checked by the
tests that call it."""
from __future__ import annotations

import duckdb

from sakip.warehouse.models import load_project


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple[str, str]]:
    return [tuple(r) for r in con.execute("select column_name, data_type from information_schema.columns where "
                                          "table_schema = ? and table_name = ? order by ordinal_position",
                                          [schema, table]).fetchall()]


def contract_problems(path) -> list[str]:
    project = load_project()
    con = duckdb.connect(str(path), read_only=True)
    try:
        problems = []
        expected = {("mart", name): model.columns for name, model in project.published.items()}
        expected |= {("audit", s.name): s.columns for s in project.sources.values() if s.schema == "audit"}
        for (schema, table), columns in expected.items():
            have = _columns(con, schema, table)
            want = [(c.name, c.data_type) for c in columns]
            if not have:
                problems.append(f"{schema}.{table}: missing")
            elif have != want:
                problems.append(f"{schema}.{table}: columns {have}, declared {want}")
        for name, model in project.published.items():
            if not _columns(con, "mart", name):
                continue
            if con.execute(f'select count(*) from mart."{name}"').fetchall()[0][0] == 0:
                problems.append(f"mart.{name}: empty")
            for column in model.columns:
                if column.data_type in ("DOUBLE", "FLOAT"):
                    n = con.execute(f'select count(*) from mart."{name}" where isnan("{column.name}") or '
                                    f'isinf("{column.name}")').fetchall()[0][0]
                    if n:
                        problems.append(f"mart.{name}.{column.name}: {n} NaN/inf values")
            for test in model.data_tests(table=f'mart."{name}"'):
                if test.name == "relationships":  # to the run's reference tables, not in the published file
                    continue
                n = con.execute(f"select count(*) from ({test.sql})").fetchall()[0][0]
                if n:
                    problems.append(f"mart.{name}: {test.label} fails on {n} rows")
        return problems
    finally:
        con.close()
