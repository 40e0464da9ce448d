"""The runs on a warehouse, in audit.runs: a run starts, ends, or dies; the next run finds the ones that died
(by their lock files) and the periods they committed without publishing."""
from __future__ import annotations

import datetime as dt
import fcntl
import os
from pathlib import Path

import duckdb

from sakip.failures import contained
from sakip.warehouse import WarehousePaths
from sakip.warehouse.db import connect
from sakip.warehouse.lock import warehouse_lock

_RUN_LOCKS: dict[str, int] = {}  # run id → its open lock file, held while the run's process lives


@contained
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


def pending_periods(con: duckdb.DuckDBPyConnection) -> set[tuple[str, int, int]]:
    """Periods of runs that committed but died before publishing."""
    rows = con.execute("select distinct p.kode_satker, p.tahun, p.bulan from audit.run_periods p "
                       "join audit.runs r using (run_id) where r.status = 'built'").fetchall()
    return {tuple(r) for r in rows}
