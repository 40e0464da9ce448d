"""The monthly job as plain functions: ingest what the inbox holds, compute the requested period for every
satker the inbox names, publish. The Prefect flow (sakip.flows.monthly) wraps these steps in tasks; tests
call them directly."""
from __future__ import annotations

import datetime as dt
import fcntl
import functools
import os
import shutil
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import duckdb
import polars as pl

from sakip import progress
from sakip.ingest import FileOutcome, accepted_shas, known_satkers, record, settle_with_warehouse
from sakip.warehouse import WarehouseBusy, WarehousePaths
from sakip.warehouse.db import connect, load_reference, registered, registry_satkers
from sakip.warehouse.publish import PUBLISHED, checkpoint, publish
from sakip.readers.kinds import KINDS
from sakip.warehouse.transform import ModelTestFailed, run_models

class MissingProfile(Exception):
    """No methodology profile applies to a year being computed."""


class ReferenceRefused(Exception):
    """The reference data has problems (sakip.schemas.reference): the run refuses to compute with it."""

    def __init__(self, problems: list):
        super().__init__(f"{len(problems)} problem(s) in the reference data: " + problems[0].line())
        self.problems = problems


class RunFailed(Exception):
    """An internal error of a run. Its traceback is written to `log`, not carried: a traceback keeps the
    run's frames, and with them DuckDB objects, alive until the interpreter exits."""

    def __init__(self, message: str, log: Path | None):
        super().__init__(message)
        self.log = log


def _contained(func):
    """Turn any failure of a warehouse step into a clean exception raised outside the `except` block (so it
    has no __context__ chaining back to the failed frames), with the traceback in <warehouse>/logs/."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        failure = None
        try:
            return func(*args, **kwargs)
        except (WarehouseBusy, MissingProfile) as exc:
            failure = exc.__class__(str(exc))
        except ModelTestFailed as exc:
            failure = ModelTestFailed(exc.failures)
        except Exception as exc:
            paths = next(a for a in [*args, *kwargs.values()] if isinstance(a, WarehousePaths))
            failure = RunFailed(f"{exc.__class__.__name__}: {exc}", write_error_log(paths, traceback.format_exc()))
        raise failure
    return wrapper


def write_error_log(paths: WarehousePaths, text: str) -> Path | None:
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        log = paths.logs / f"error-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.log"
        log.write_text(text)
        return log
    except OSError:
        return None


@dataclass
class SatkerSummary:
    kode_satker: str
    nama_satker: str | None
    nko: float | None
    predikat: str | None
    jumlah_iku: int
    jumlah_diukur: int
    realisasi: float | None
    pagu_ro: float | None
    persen_realisasi: float | None
    persen_terhadap_dipa: float | None
    persen_terhadap_dipa_netto: float | None
    missing: list[str] = field(default_factory=list)
    unmapped_ro: list[str] = field(default_factory=list)


@dataclass
class RunResult:
    run_id: str
    tahun: int
    bulan: int
    files: list[FileOutcome]
    satkers: list[SatkerSummary]
    published: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    stale: list[tuple[str, str, int, int, str]] = field(default_factory=list)  # tables kept at their last version
    alerts: list = field(default_factory=list)  # deliveries of this run's alert
    reports: list = field(default_factory=list)  # workbook and HTML page written for the run's periods
    report_error: str | None = None
    skipped: list = field(default_factory=list)  # entries of the inbox not read (links, special files), and why

    @property
    def refused(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "refused"]

    @property
    def exit_code(self) -> int:
        return 2 if self.refused else 0


@contextmanager
def warehouse_lock(paths: WarehousePaths) -> Iterator[None]:
    """One run per warehouse at a time. A second run waits up to SAKIP_LOCK_WAIT_SECONDS (0 by default: the
    command line refuses at once; scheduled runs wait), then refuses with a clear message."""
    paths.ensure()
    wait = float(os.environ.get("SAKIP_LOCK_WAIT_SECONDS", "0"))
    deadline = time.monotonic() + wait
    fd = os.open(paths.root / ".lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(f"another sakip run is using the warehouse {paths.root}; "
                                        "try again when it has finished") from None
                time.sleep(1)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def open_warehouse(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    con = connect(paths.db)
    load_reference(con)
    return con


_RUN_LOCKS: dict[str, int] = {}  # run id → its open lock file, held while the run's process lives


@_contained
def begin_run(paths: WarehousePaths, run_id: str, period: str, inbox: str) -> list[str]:
    """Record the run as started, and find the runs on this warehouse that started and died without ending
    (killed, out of memory, power lost). A run holds a lock file of its own while its process lives; the kernel
    releases it when the process dies, however it dies. Returns those runs' ids: a run that never committed is
    marked `crashed` in audit.runs; one that committed but did not publish stays `built` (this run publishes its
    periods). The flow marks them Crashed on the Prefect server."""
    paths.ensure()
    folder = paths.root / "runs"
    folder.mkdir(exist_ok=True)
    fd = os.open(folder / f"{run_id}.lock", os.O_CREAT | os.O_RDWR, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    _RUN_LOCKS[run_id] = fd
    now = dt.datetime.now()
    with warehouse_lock(paths):
        con = connect(paths.db)
        try:
            con.execute("insert or ignore into audit.runs values (?, ?, null, ?, ?, 'started', null)",
                        [run_id, now, period, inbox])
            unfinished = con.execute("select run_id, status from audit.runs where status in ('started', 'built') "
                                     "and run_id <> ?", [run_id]).fetchall()
            dead = [(other, status) for other, status in unfinished if _ended(folder / f"{other}.lock")]
            crashed = [other for other, status in dead if status == "started"]
            if crashed:
                con.execute("update audit.runs set status = 'crashed', finished_at = ? "
                            "where run_id in (select unnest(?::varchar[]))", [now, crashed])
            return [other for other, _ in dead]
        finally:
            con.close()


def _ended(lock: Path) -> bool:
    """Whether the run of this lock file has no live process (a run from before lock files has none)."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    lock.unlink(missing_ok=True)
    return True


def end_run(paths: WarehousePaths, run_id: str, status: str) -> None:
    """Best effort, never raises: a run that failed says so in audit.runs (else the next run takes it for
    crashed). The warehouse itself may be what failed."""
    try:
        with warehouse_lock(paths):
            con = connect(paths.db)
            try:
                con.execute("update audit.runs set status = ?, finished_at = ? where run_id = ? and status = "
                            "'started'", [status, dt.datetime.now(), run_id])
            finally:
                con.close()
    except Exception:
        pass


@_contained
def previously_accepted(paths: WarehousePaths) -> tuple[set[str], set[str]]:
    """SHA-256 of every accepted file and the satkers of the UPT registry, for inspecting new files."""
    with warehouse_lock(paths):
        con = connect(paths.db)
        try:
            return accepted_shas(con), registry_satkers()
        finally:
            con.close()


@_contained
def build_and_publish(outcomes: list[FileOutcome], paths: WarehousePaths, tahun: int, bulan: int,
                      run_id: str, inbox: str) -> RunResult:
    """Record the files, compute the period for the satkers they name, publish.

    Order matters for a run that dies (kill -9) at any point: the warehouse commits first (files, raw rows,
    models, the run marked `built`); only then is a new published file swapped in, and the run marked
    `published`. Killed before the commit, nothing is seen and the next run starts over; killed after it, the
    next run finds the run still `built` and publishes its periods too."""
    checkpoint("before_lock")
    with warehouse_lock(paths):
        _remove_leftovers(paths)
        con = open_warehouse(paths)
        try:
            started = dt.datetime.now()
            clock = time.perf_counter()
            timings = {}
            run_seq = con.execute("select count(*) from audit.runs").fetchall()[0][0] + 1
            con.execute("begin transaction")
            settle_with_warehouse(con, outcomes)  # what other runs accepted while this one waited for the lock
            progress.step(f"loading {sum(o.status == 'accepted' for o in outcomes)} accepted files")
            record(con, outcomes, run_id, run_seq, paths)
            timings["load"], clock = time.perf_counter() - clock, time.perf_counter()
            checkpoint("after_load")
            named = {o.export.satker for o in outcomes if o.export is not None and o.export.satker}
            satkers = sorted((named | _satkers_of_duplicates(con, outcomes)) & known_satkers(con))
            pending = _pending_periods(con)
            periods = sorted({(s, tahun, bulan) for s in satkers} | pending)
            for satker, y, m in periods:
                progress.step(f"computing {y}-{m:02d}", satker)
            run_models(con, periods)
            _require_profiles(con)
            timings["transform"], clock = time.perf_counter() - clock, time.perf_counter()
            stale = _stale_tables(outcomes, periods)
            exit_code = 2 if any(o.status == "refused" for o in outcomes) else 0
            con.execute("insert or replace into audit.runs values (?, ?, ?, ?, ?, ?, ?)",
                        [run_id, started, None, f"{tahun}-{bulan:02d}", inbox, "built", exit_code])
            if periods:
                con.executemany("insert into audit.run_periods values (?, ?, ?, ?)",
                                [(run_id, *p) for p in periods])
            _record_freshness(con, run_id, periods, stale)
            checkpoint("before_commit")
            con.execute("commit")
            checkpoint("after_commit")
            timings["commit"], clock = time.perf_counter() - clock, time.perf_counter()

            # Nothing accepted and something refused: nothing changed, the published file stays as it is.
            accepted_nothing = not any(o.status in ("accepted", "duplicate") for o in outcomes)
            publish_now = bool(periods) and not (exit_code and accepted_nothing and not pending)
            summaries = _summaries(con, satkers, tahun, bulan)
            if publish_now:
                progress.step(f"publishing {len(periods)} satker-month(s)")
            published = publish(con, paths, run_id, [s[:4] for s in stale]) if publish_now else {}
            checkpoint("after_publish")
            con.execute("update audit.runs set status = 'done', finished_at = ? "
                        "where status = 'built' and (run_id = ? or ?)",
                        [dt.datetime.now(), run_id, publish_now])
            timings["publish"], clock = time.perf_counter() - clock, time.perf_counter()
        except BaseException:
            try:
                con.execute("rollback")
            except duckdb.Error:
                pass
            raise
        finally:
            con.close()
        # closing writes what the commit put in DuckDB's log into the warehouse file (a commit does it itself
        # once the log passes 16 MB): the warehouse's own cost, timed as such
        timings["checkpoint"] = time.perf_counter() - clock
    return RunResult(run_id, tahun, bulan, outcomes, summaries, published, timings, stale)


def _require_profiles(con: duckdb.DuckDBPyConnection) -> None:
    missing = [r[0] for r in con.execute("select tahun from int_profil where tahun_profil is null").fetchall()]
    if missing:
        raise MissingProfile(f"no methodology profile for {', '.join(map(str, missing))} or an earlier year: add "
                             "its bands and parameters to sakip/reference/profil_pita.csv and profil_parameter.csv")


def _remove_leftovers(paths: WarehousePaths) -> None:
    """Temporary files of a run that was killed: never read, safe to delete under the lock."""
    for leftover in paths.root.glob(".published-*.duckdb*"):
        leftover.unlink(missing_ok=True)
    for staging in paths.root.glob(".parquet-*"):
        shutil.rmtree(staging, ignore_errors=True)


def _pending_periods(con: duckdb.DuckDBPyConnection) -> set[tuple[str, int, int]]:
    """Periods of runs that committed but died before publishing."""
    rows = con.execute("select distinct p.kode_satker, p.tahun, p.bulan from audit.run_periods p "
                       "join audit.runs r using (run_id) where r.status = 'built'").fetchall()
    return {tuple(r) for r in rows}


def _stale_tables(outcomes: list[FileOutcome], periods: list[tuple[str, int, int]]
                  ) -> list[tuple[str, str, int, int, str]]:
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
                stale.append((table, satker, tahun, bulan, "; ".join(why)))
    return stale


def _could_change(outcome: FileOutcome, tahun: int, bulan: int) -> bool:
    export = outcome.export
    if export.tahun is None:
        return True
    if export.tahun != tahun:
        return False
    return export.bulan is None or export.bulan >= bulan


def _record_freshness(con: duckdb.DuckDBPyConnection, run_id: str, periods: list[tuple[str, int, int]],
                      stale: list[tuple[str, str, int, int, str]]) -> None:
    """Every published table of every period of the run: fresh (its data from this run), or stale (kept at
    the run that last gave it data, with the reason). Two statements, not one per table and satker."""
    stale_keys = {s[:4]: s[4] for s in stale}
    rows = pl.DataFrame([(table, *p, stale_keys.get((table, *p))) for table in PUBLISHED for p in periods],
                        schema={"tabel": pl.String, "kode_satker": pl.String, "tahun": pl.Int32, "bulan": pl.Int32,
                                "alasan": pl.String}, orient="row")
    with registered(con, "_freshness", rows):
        con.execute("insert or replace into audit.freshness select tabel, kode_satker, tahun, bulan, 'fresh', ?, ?, "
                    "null from _freshness where alasan is null", [run_id, run_id])
        con.execute("insert into audit.freshness select tabel, kode_satker, tahun, bulan, 'stale', null, ?, alasan "
                    "from _freshness where alasan is not null on conflict do update set status = 'stale', "
                    "diperiksa_run = excluded.diperiksa_run, alasan = excluded.alasan", [run_id])


def _satkers_of_duplicates(con: duckdb.DuckDBPyConnection, outcomes: list[FileOutcome]) -> set[str]:
    """Files seen before name their satker in audit.files: an inbox of already-seen files still recomputes."""
    shas = [o.sha256 for o in outcomes if o.status == "duplicate"]
    if not shas:
        return set()
    rows = con.execute("select distinct kode_satker from audit.files where sha256 in (select unnest(?)) "
                       "and kode_satker is not null", [shas]).fetchall()
    return {r[0] for r in rows}


def _summaries(con: duckdb.DuckDBPyConnection, satkers: list[str], tahun: int, bulan: int) -> list[SatkerSummary]:
    """One line per satker of the run, four queries for all of them (the views they read are not cheap)."""
    def by_satker(sql: str, params: list) -> dict[str, list[tuple]]:
        out: dict[str, list[tuple]] = {}
        for row in con.execute(sql, [satkers, *params]).fetchall():
            out.setdefault(row[0], []).append(row[1:])
        return out

    ours = "kode_satker in (select unnest(?::varchar[]))"
    nko = by_satker("select kode_satker, nama_satker, nko, predikat, jumlah_iku, jumlah_diukur from mart_nko "
                    f"where {ours} and tahun = ? and bulan = ?", [tahun, bulan])
    budget = by_satker("select kode_satker, realisasi, pagu_ro, persen_terhadap_pagu_ro, persen_terhadap_dipa, "
                       f"persen_terhadap_dipa_netto from mart_anggaran_satker where {ours} and tahun = ? and bulan = ?",
                       [tahun, bulan])
    have = by_satker(
        f"select distinct kode_satker, jenis from int_files_current where {ours} and tahun = ? "
        "and (bulan is null or bulan = ? or jenis in ('simetris_realisasi', 'sakti_capaian_output') and bulan <= ?"
        " or jenis like 'sipt_%' and bulan >= ?)", [tahun, bulan, bulan, bulan])
    unmapped = by_satker("select kode_satker, kode_ro, komponen from int_anggaran_tanpa_kelompok "
                         f"where {ours} and tahun = ? and bulan = ? order by 1, 2, 3", [tahun, bulan])
    out = []
    for satker in satkers:
        nama, nko_value, predikat, jumlah_iku, jumlah_diukur = (nko.get(satker) or [(None, None, None, 0, 0)])[0]
        realisasi, pagu_ro, persen, persen_dipa, persen_netto = (budget.get(satker) or [(None,) * 5])[0]
        kinds = {r[0] for r in have.get(satker, [])}
        out.append(SatkerSummary(
            satker, nama, nko_value, predikat, jumlah_iku, jumlah_diukur,
            None if realisasi is None else float(realisasi), None if pagu_ro is None else float(pagu_ro),
            persen, persen_dipa, persen_netto, [kind.title for kind in KINDS if kind.name not in kinds],
            [f"{ro} komponen {komponen}" for ro, komponen in unmapped.get(satker, [])]))
    return out


def send_alert(paths: WarehousePaths, run_id: str, alert, retry_delay: float | None = None) -> list:
    """Deliver an alert and record it in audit.alerts. Never raises: an alert must not fail the run."""
    from sakip import alerts

    delay = float(os.environ.get("SAKIP_ALERT_RETRY_DELAY", "1")) if retry_delay is None else retry_delay
    deliveries = alerts.deliver(alert, delay)
    try:
        with warehouse_lock(paths):
            con = connect(paths.db)
            try:
                alerts.record(con, run_id, alert, deliveries)
            finally:
                con.close()
    except Exception:  # the warehouse itself may be what failed; the alert was still sent
        pass
    return deliveries
