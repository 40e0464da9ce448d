"""The monthly job's sequence as plain functions: record what the inbox held, compute the requested period for
every satker it names, commit, publish. The Prefect flow (sakip.flows.monthly) wraps these steps in tasks;
tests call them directly. Each stage lives in its own module: reading and checking files in sakip.ingest,
the run records in sakip.runs, freshness in sakip.freshness, the summaries in sakip.summary."""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import duckdb

from sakip import progress
from sakip.failures import contained
from sakip.freshness import Stale, record_freshness, stale_tables, with_last_good
from sakip.hooks import checkpoint
from sakip.i18n import _
from sakip.ingest import FileOutcome
from sakip.load import accepted_shas, known_satkers, record, satkers_of_duplicates, settle_with_warehouse
from sakip.runs import pending_periods
from sakip.summary import SatkerSummary, summaries
from sakip.warehouse import WarehousePaths
from sakip.warehouse.db import connect, load_reference, registry_satkers
from sakip.warehouse.lock import warehouse_lock
from sakip.warehouse.publish import publish, read_published, remove_leftovers
from sakip.warehouse.transform import (
    COMPARED_COLUMNS,
    REFRESHED_COLUMNS,
    changed_quarters,
    compare_again,
    compared_quarters,
    later_quarters,
    run_models,
)

Period = tuple[str, int, int]  # kode_satker, tahun, bulan


@dataclass
class RunResult:
    run_id: str
    tahun: int
    bulan: int
    files: list[FileOutcome]
    satkers: list[SatkerSummary]
    published: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    stale: list[Stale] = field(default_factory=list)  # tables kept at their last good version
    alerts: list = field(default_factory=list)  # deliveries of this run's alert
    reports: list = field(default_factory=list)  # workbook and HTML page written for the run's periods
    # published later quarters compared again (mart.perbandingan_triwulan) with a quarter this run changed
    refreshed: list[Period] = field(default_factory=list)
    # periods of runs that died after their commit, published by this one
    recovered: list[Period] = field(default_factory=list)
    report_error: str | None = None
    skipped: list = field(default_factory=list)  # entries of the inbox not read (links, special files), and why

    @property
    def refused(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "refused"]

    @property
    def exit_code(self) -> int:
        return 2 if self.refused else 0


@contained
def previously_accepted(paths: WarehousePaths) -> tuple[set[str], set[str]]:
    """SHA-256 of every accepted file and the satkers of the UPT registry, for inspecting new files."""
    with warehouse_lock(paths):
        con = connect(paths.db)
        try:
            return accepted_shas(con), registry_satkers()
        finally:
            con.close()


@contained
def build_and_publish(outcomes: list[FileOutcome], paths: WarehousePaths, tahun: int, bulan: int,
                      run_id: str, inbox: str) -> RunResult:
    """Record the files, compute the period for the satkers they name, publish.

    Order matters for a run that dies (kill -9) at any point: the warehouse commits first (files, raw rows,
    models, the run marked `built`); only then is a new published file swapped in, and the run marked
    `published`. Killed before the commit, nothing is seen and the next run starts over; killed after it, the
    next run finds the run still `built` and publishes its periods too."""
    checkpoint("before_lock")
    with warehouse_lock(paths):
        clock = time.perf_counter()
        remove_leftovers(paths)
        con = connect(paths.db)
        load_reference(con)
        # a stage of its own (a national run: 0.1-0.8 s, the most while the run's new workers import)
        timings: dict[str, float] = {"open": time.perf_counter() - clock}
        try:
            satkers, periods, pending, refreshed = _build(con, outcomes, paths, tahun, bulan, run_id, inbox,
                                                          timings)
            stale = stale_tables(outcomes, periods)
            exit_code = 2 if any(o.status == "refused" for o in outcomes) else 0
            _commit(con, run_id, inbox, tahun, bulan, periods, stale, exit_code, timings)
            stale = with_last_good(con, run_id, stale)
            clock = time.perf_counter()
            # nothing accepted and something refused: nothing changed, the published file stays as it is
            accepted_nothing = not any(o.status in ("accepted", "duplicate") for o in outcomes)
            publish_now = bool(periods) and not (exit_code and accepted_nothing and not pending)
            satker_summaries = summaries(con, satkers, tahun, bulan)
            if publish_now:
                progress.step(_("publishing {count} satker-month(s)").format(count=len(periods)))
            kept = [s.key for s in stale if not s.partial]  # a partial table is published all the same
            published = publish(con, paths, run_id, kept, refreshed) if publish_now else {}
            checkpoint("after_publish")
            con.execute("update audit.runs set status = 'done', finished_at = ? "
                        "where status = 'built' and (run_id = ? or ?)", [dt.datetime.now(), run_id, publish_now])
            timings["publish"] = time.perf_counter() - clock
        except BaseException:
            try:
                con.execute("rollback")
            except duckdb.Error:
                pass
            raise
        finally:
            clock = time.perf_counter()
            con.close()
        # closing writes what the commit put in DuckDB's log into the warehouse file (a commit does it itself
        # once the log passes 16 MB): the warehouse's own cost, timed as such
        timings["checkpoint"] = time.perf_counter() - clock
    return RunResult(run_id, tahun, bulan, outcomes, satker_summaries, published, timings, stale,
                     refreshed=refreshed if publish_now else [], recovered=sorted(pending) if publish_now else [])


def _build(con: duckdb.DuckDBPyConnection, outcomes: list[FileOutcome], paths: WarehousePaths, tahun: int,
           bulan: int, run_id: str, inbox: str, timings: dict[str, float]
           ) -> tuple[list[str], list[Period], set[Period], list[Period]]:
    """In one transaction: record the files and load their rows, then compute the models of the run's
    periods (the satkers its files name, and the periods of runs that died before publishing), and compare
    again the published later quarters that compare with a quarter the run changes (`refreshed`)."""
    clock = time.perf_counter()
    run_seq = con.execute("select count(*) from audit.runs").fetchall()[0][0] + 1
    con.execute("begin transaction")
    settle_with_warehouse(con, outcomes)  # what other runs accepted while this one waited for the lock
    progress.step(_("loading {count} accepted files").format(count=sum(o.status == "accepted" for o in outcomes)))
    record(con, outcomes, run_id, run_seq, paths)
    timings["load"], clock = time.perf_counter() - clock, time.perf_counter()
    checkpoint("after_load")
    named = {o.export.satker for o in outcomes if o.export is not None and o.export.satker}
    satkers = sorted((named | satkers_of_duplicates(con, outcomes)) & known_satkers(con))
    pending = pending_periods(con)
    periods = sorted({(s, tahun, bulan) for s in satkers} | pending)
    for satker, y, m in periods:
        progress.step(_("computing {period}").format(period=f"{y}-{m:02d}"), satker)
    # the run's own quarters read too: whether the run changes them (changed_quarters)
    quarters = {p for p in periods if p[2] % 3 == 0}
    history = read_published(paths, run_id, "capaian_iku", COMPARED_COLUMNS,
                             sorted(set(compared_quarters(periods)) | quarters))
    run_models(con, periods, published=history)
    refreshed = compare_later_quarters(con, outcomes, paths, run_id, periods)
    timings["transform"] = time.perf_counter() - clock
    return satkers, periods, pending, refreshed


def compare_later_quarters(con: duckdb.DuckDBPyConnection, outcomes: list[FileOutcome], paths: WarehousePaths,
                   run_id: str, periods: list[Period]) -> list[Period]:
    """A quarter whose figures the run changes (a corrected export, a rerun after one was held back) after a
    later quarter compared with it was published: that later quarter's comparison is made again, its own
    figures as published (it is not computed again). Returns those later quarters."""
    held = {(s.kode_satker, s.tahun, s.bulan) for s in stale_tables(outcomes, periods)
            if s.table == "capaian_iku" and not s.partial}
    computed = set(periods)
    later = [p for p in later_quarters(changed_quarters(con, held)) if p not in computed]
    again = read_published(paths, run_id, "perbandingan_triwulan", REFRESHED_COLUMNS, later)
    if again is None or not again.num_rows:
        return []
    refreshed = sorted(set(zip(*(again.column(c).to_pylist() for c in ("kode_satker", "tahun", "bulan")))))
    compare_again(con, again, read_published(paths, run_id, "capaian_iku", COMPARED_COLUMNS,
                                             compared_quarters(refreshed)))
    return refreshed


def _commit(con: duckdb.DuckDBPyConnection, run_id: str, inbox: str, tahun: int, bulan: int,
            periods: list[Period], stale: list[Stale], exit_code: int, timings: dict[str, float]) -> None:
    clock = time.perf_counter()
    con.execute("insert or replace into audit.runs values (?, ?, ?, ?, ?, ?, ?)",
                [run_id, dt.datetime.now(), None, f"{tahun}-{bulan:02d}", inbox, "built", exit_code])
    if periods:
        con.executemany("insert into audit.run_periods values (?, ?, ?, ?)", [(run_id, *p) for p in periods])
    record_freshness(con, run_id, periods, stale)
    checkpoint("before_commit")
    con.execute("commit")
    checkpoint("after_commit")
    timings["commit"] = time.perf_counter() - clock
