"""Freshness: each published table of each period of a run is fresh (computed from this run's data) or stale
(kept at its last good version, because an export it depends on was refused in this run)."""
from __future__ import annotations

from typing import NamedTuple

import duckdb
import polars as pl

from sakip.ingest import FileOutcome
from sakip.warehouse.db import registered
from sakip.warehouse.publish import PUBLISHED


class Stale(NamedTuple):
    table: str
    kode_satker: str
    tahun: int
    bulan: int
    alasan: str  # the refused exports, and why

    @property
    def key(self) -> tuple[str, str, int, int]:
        return self.table, self.kode_satker, self.tahun, self.bulan


def stale_tables(outcomes: list[FileOutcome], periods: list[tuple[str, int, int]]) -> list[Stale]:
    """(table, satker, tahun, bulan, why) for every published table that depends on a source refused in this
    run, for the satker and period the refused file could have changed: a yearly export (RAPK, POK) its year;
    a monthly or cumulative one the months up to its own period (a refused January export can't hold June)."""
    refused = [o for o in outcomes if o.status == "refused" and o.kind and o.export.satker]
    stale = []
    for table, (_, sources) in PUBLISHED.items():
        for satker, tahun, bulan in periods:
            why = [f"{o.name} refused ({', '.join(sorted({f.check for f in o.findings}))})"
                   for o in refused if o.export.satker == satker and o.kind in sources
                   and _could_change(o, tahun, bulan)]
            if why:
                stale.append(Stale(table, satker, tahun, bulan, "; ".join(why)))
    return stale


def _could_change(outcome: FileOutcome, tahun: int, bulan: int) -> bool:
    export = outcome.export
    if export.tahun is None:
        return True
    if export.tahun != tahun:
        return False
    return export.bulan is None or export.bulan >= bulan


def record_freshness(con: duckdb.DuckDBPyConnection, run_id: str, periods: list[tuple[str, int, int]],
                     stale: list[Stale]) -> None:
    """Every published table of every period of the run: fresh (its data from this run), or stale (kept at
    the run that last gave it data, with the reason). Two statements, not one per table and satker."""
    stale_keys = {s.key: s.alasan for s in stale}
    rows = pl.DataFrame([(table, *p, stale_keys.get((table, *p))) for table in PUBLISHED for p in periods],
                        schema={"tabel": pl.String, "kode_satker": pl.String, "tahun": pl.Int32, "bulan": pl.Int32,
                                "alasan": pl.String}, orient="row")
    with registered(con, "_freshness", rows):
        con.execute("insert or replace into audit.freshness select tabel, kode_satker, tahun, bulan, 'fresh', ?, ?, "
                    "null from _freshness where alasan is null", [run_id, run_id])
        con.execute("insert into audit.freshness select tabel, kode_satker, tahun, bulan, 'stale', null, ?, alasan "
                    "from _freshness where alasan is not null on conflict do update set status = 'stale', "
                    "diperiksa_run = excluded.diperiksa_run, alasan = excluded.alasan", [run_id])
