"""One file to send: what is published for one unit and year (or one month), for a planner to email or an
auditor to keep.

    sakip export --warehouse DIR --satker 672849 --year 2025 [--period 2025-06] --out dumai-2025.duckdb
    sakip export --warehouse DIR --satker 672849 --year 2025 --parquet dumai-2025/

The DuckDB file holds the `mart` tables and the `audit` rows that concern them (the unit's runs, files,
findings, freshness, alerts), self-contained, in the storage format every DuckDB from 1.1 opens. The Parquet
folder holds one file per table (mart_<table>.parquet, audit_<table>.parquet)."""
from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

from sakip.i18n import _, ngettext
from sakip.warehouse import WarehousePaths
from sakip.warehouse.db import sql_literal
from sakip.warehouse.publish import AUDIT_TABLES, PARQUET_OPTIONS, PUBLISHED_TABLES, connect_new

# Which audit rows concern the unit: those of its periods, of its files, of the runs that computed them.
_AUDIT = {
    "run_periods": "{unit}",
    "freshness": "{unit}",
    "files": "{files}",
    "runs": "run_id in (select run_id from src.audit.run_periods where {unit})",
    "alerts": "run_id in (select run_id from src.audit.run_periods where {unit})",
    "validation_failures": "sha256 in (select sha256 from src.audit.files where {files})",
}


class ExportError(ValueError):
    """Nothing to export, or no published file: the message says which."""


def export(warehouse: Path, satker: str, tahun: int, bulan: int | None, out: Path | None = None,
           parquet: Path | None = None, force: bool = False) -> dict[str, int]:
    """Write the unit's published rows; returns rows per table (`mart.x`, `audit.x`)."""
    source = WarehousePaths(warehouse).published
    if not source.exists():
        raise ExportError(_("nothing is published in {warehouse} (no published.duckdb)").format(warehouse=warehouse))
    if not re.fullmatch(r"\d{6}", satker):
        raise ExportError(_("--satker must be a 6-digit satker code, not {value}").format(value=repr(satker)))
    for target in (out, parquet):
        if target is not None and target.resolve().is_relative_to(warehouse.resolve()):
            raise ExportError(_("{target} is inside the warehouse {warehouse}: write the export elsewhere").format(
                target=target, warehouse=warehouse))
    if out is not None and out.exists() and not force:
        raise ExportError(_("{file} exists: choose another name, or pass --force to replace it").format(file=out))
    unit = "kode_satker = $satker and tahun = $tahun" + (" and bulan = $bulan" if bulan else "")
    # the files of the unit's year up to the month (a yearly export has no month)
    files = "kode_satker = $satker and tahun = $tahun" + (" and (bulan is null or bulan <= $bulan)" if bulan else "")
    params = {"satker": satker, "tahun": tahun, **({"bulan": bulan} if bulan else {})}
    queries = {f"mart.{t}": f"select * from src.mart.{t} where {unit}" for t in PUBLISHED_TABLES}
    queries |= {f"audit.{t}": f"select * from src.audit.{t} where " + _AUDIT[t].format(unit=unit, files=files)
                for t in AUDIT_TABLES}
    con = duckdb.connect()
    try:
        con.execute(f"attach {sql_literal(source)} as src (read_only)")
        counts = {name: con.execute(f"select count(*) from ({q})", _used(q, params)).fetchall()[0][0]
                  for name, q in queries.items()}
        if not any(n for name, n in counts.items() if name.startswith("mart.")):
            period = f"{tahun}-{bulan:02d}" if bulan else str(tahun)
            raise ExportError(_("nothing is published for satker {satker} in {period}").format(satker=satker,
                                                                                               period=period))
        if out is not None:
            _to_duckdb(con, queries, params, out)
        if parquet is not None:
            parquet.mkdir(parents=True, exist_ok=True)
            for name, query in queries.items():
                target = parquet / f"{name.replace('.', '_')}.parquet"
                con.execute(f"copy ({query}) to {sql_literal(target)} ({PARQUET_OPTIONS})", _used(query, params))
    finally:
        con.close()
    return counts


def _used(query: str, params: dict) -> dict:
    """The named parameters a query uses (DuckDB refuses unused ones)."""
    return {k: v for k, v in params.items() if f"${k}" in query}


def _to_duckdb(con: duckdb.DuckDBPyConnection, queries: dict[str, str], params: dict, out: Path) -> None:
    """Through a temporary file beside `out`, renamed at the end: an interrupted export leaves no half file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    wal = tmp.with_name(tmp.name + ".wal")
    tmp.unlink(missing_ok=True)
    wal.unlink(missing_ok=True)
    try:
        connect_new(tmp).close()  # created in the storage format of DuckDB 1.1
        con.execute(f"attach {sql_literal(tmp)} as dst")
        try:
            con.execute("create schema dst.mart")
            con.execute("create schema dst.audit")
            for name, query in queries.items():
                con.execute(f"create table dst.{name} as {query}", _used(query, params))
        finally:
            con.execute("detach dst")
        if wal.exists():  # a detach checkpoints; nothing may be left beside the file
            raise ExportError(_("{file}: DuckDB left its write-ahead log").format(file=tmp))
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
        wal.unlink(missing_ok=True)


def main(warehouse: Path, satker: str, year: int, period: str | None, out: Path | None,
         parquet: Path | None, force: bool = False) -> int:
    import sys

    bulan = None
    if period:
        match = re.fullmatch(r"(\d{4})-(\d{2})", period)
        if not match or int(match[1]) != year or not 1 <= int(match[2]) <= 12:
            print(_("sakip: --period must be YYYY-MM of the year {year}, not {value}").format(
                year=year, value=repr(period)), file=sys.stderr)
            return 1
        bulan = int(match[2])
    if out is None and parquet is None:
        print(_("sakip: say where: --out FILE.duckdb and/or --parquet DIR"), file=sys.stderr)
        return 1
    try:
        counts = export(warehouse, satker, year, bulan, out, parquet, force)
    except (ExportError, duckdb.Error, OSError) as exc:
        print(f"sakip: {exc}", file=sys.stderr)
        return 1
    rows = sum(n for name, n in counts.items() if name.startswith("mart."))
    tables = sum(1 for n, c in counts.items() if n.startswith("mart.") and c)
    where = _(" and ").join(str(p) for p in (out, parquet) if p is not None)
    print(_("exported {rows} of {tables} for satker {satker}, {period}: {where}").format(
        rows=ngettext("{count} row", "{count} rows", rows).format(count=rows),
        tables=ngettext("{count} table", "{count} tables", tables).format(count=tables),
        satker=satker, period=period or year, where=where))
    return 0
