"""Freshness: each published table of each period of a run is fresh (computed from this run's data) or stale
(kept at its last good version, because an export it depends on was refused in this run)."""
from __future__ import annotations

from typing import NamedTuple

import duckdb
import polars as pl

from sakip.i18n import _
from sakip.ingest import FileOutcome
from sakip.warehouse.db import registered
from sakip.warehouse.publish import PUBLISHED


class Stale(NamedTuple):
    table: str
    kode_satker: str
    tahun: int
    bulan: int
    alasan: str              # the refused exports, and why
    partial: bool = False    # published all the same: only its advisory part (an early warning) is older
    kept: bool = False       # an earlier run's rows are kept; else there were none: the table has no data yet

    @property
    def key(self) -> tuple[str, str, int, int]:
        return self.table, self.kode_satker, self.tahun, self.bulan

    def state(self) -> str:
        """What became of the table, for a person."""
        if self.partial:
            return _("published; its early-warning columns keep the last good export")
        if self.kept:
            return _("kept at its last good version")
        return _("no data yet (no earlier version to keep)")


def stale_tables(outcomes: list[FileOutcome], periods: list[tuple[str, int, int]]) -> list[Stale]:
    """Every published table that depends on a source refused in this run, for the satker and period the
    refused file could have changed (a yearly export, RAPK or POK, its year; a monthly or cumulative one the
    months up to its own period: a refused January export can't hold June). A table that reaches the source
    only through an advisory read (sakip.warehouse.models) is partial, not kept back."""
    refused = [o for o in outcomes if o.status == "refused" and o.kind and o.export.satker]
    stale = []
    for table, (_model, required, advisory) in PUBLISHED.items():
        for satker, tahun, bulan in periods:
            if because := _why(refused, required, satker, tahun, bulan):
                stale.append(Stale(table, satker, tahun, bulan, because))
            elif because := _why(refused, advisory, satker, tahun, bulan):
                stale.append(Stale(table, satker, tahun, bulan, because, partial=True))
    return stale


def _why(refused: list[FileOutcome], sources: tuple[str, ...], satker: str, tahun: int, bulan: int) -> str:
    return "; ".join(_("{file} refused ({checks})").format(file=o.name,
                                                           checks=", ".join(sorted({f.check for f in o.findings})))
                     for o in refused if o.export.satker == satker and o.kind in sources
                     and _could_change(o, tahun, bulan))


def _could_change(outcome: FileOutcome, tahun: int, bulan: int) -> bool:
    export = outcome.export
    if export.tahun is None:
        return True
    if export.tahun != tahun:
        return False
    return export.bulan is None or export.bulan >= bulan


def record_freshness(con: duckdb.DuckDBPyConnection, run_id: str, periods: list[tuple[str, int, int]],
                     stale: list[Stale]) -> None:
    """Every published table of every period of the run: fresh (its data from this run), stale (kept at the
    run that last gave it data, with the reason), or partial (its data from this run, its advisory columns
    from the last good export of a source refused now). Three statements, not one per table and satker."""
    marked = {s.key: ("partial" if s.partial else "stale", s.alasan) for s in stale}
    rows = pl.DataFrame([(table, *p, *marked.get((table, *p), ("fresh", None)))
                         for table in PUBLISHED for p in periods],
                        schema={"tabel": pl.String, "kode_satker": pl.String, "tahun": pl.Int32, "bulan": pl.Int32,
                                "status": pl.String, "alasan": pl.String}, orient="row")
    with registered(con, "_freshness", rows):
        con.execute("insert or replace into audit.freshness select tabel, kode_satker, tahun, bulan, status, ?, ?, "
                    "alasan from _freshness where status <> 'stale'", [run_id, run_id])
        con.execute("insert into audit.freshness select tabel, kode_satker, tahun, bulan, 'stale', null, ?, alasan "
                    "from _freshness where status = 'stale' on conflict do update set status = 'stale', "
                    "diperiksa_run = excluded.diperiksa_run, alasan = excluded.alasan", [run_id])


def with_last_good(con: duckdb.DuckDBPyConnection, run_id: str, stale: list[Stale]) -> list[Stale]:
    """The stale tables, each marked `kept` when an earlier run computed it (its rows stay published): a
    table that never had data says so, instead of claiming a last good version."""
    computed = {row[:4] for row in con.execute(
        "select tabel, kode_satker, tahun, bulan from audit.freshness where diperiksa_run = ? and status = 'stale' "
        "and data_dari_run is not null", [run_id]).fetchall()}
    return [s._replace(kept=s.key in computed) for s in stale]
