"""Load and archive: what a run accepted goes into the warehouse. Each file is archived under its SHA-256, its
rows go to `raw` when accepted (to `quarantine` when refused), its findings to `audit.validation_failures`,
and every file, whatever became of it, to `audit.files`. Inside the run's transaction: all or nothing."""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import duckdb
import polars as pl

from sakip.archive import place, scratch
from sakip.findings import Finding, safe_text
from sakip.i18n import _
from sakip.ingest import FileOutcome, dated_key, refuse_as_ambiguous, unread_id
from sakip.warehouse import WarehousePaths
from sakip.warehouse.db import insert_frame, quarantine_table, raw_table, registered


def settle_with_warehouse(con: duckdb.DuckDBPyConnection, outcomes: list[FileOutcome]) -> None:
    """What the warehouse holds now, read under its lock (another run may have accepted files since this run
    read its checksums): content accepted since is a duplicate; an export that states the same source,
    satker, period and export date as an accepted one, with other contents, is refused as ambiguous."""
    new = [o for o in outcomes if o.status == "accepted"]
    if not new:
        return
    accepted = accepted_shas(con, [o.sha256 for o in new])
    keys = {(o.kind, o.export.satker, o.export.tahun, o.export.bulan, o.export.exported_at) for o in new
            if o.sha256 not in accepted and o.export.exported_at is not None}
    dated = {}
    if keys:
        frame = pl.DataFrame(list(keys), schema={"jenis": pl.String, "kode_satker": pl.String, "tahun": pl.Int32,
                                                 "bulan": pl.Int32, "tanggal_ekspor": pl.Date}, orient="row")
        with registered(con, "_keys", frame):
            rows = con.execute(
                "select f.jenis, f.kode_satker, f.tahun, f.bulan, f.tanggal_ekspor, f.nama_file, f.sha256 "
                "from audit.files f join _keys k on f.jenis = k.jenis and f.kode_satker = k.kode_satker "
                "and f.tahun = k.tahun and f.bulan is not distinct from k.bulan "
                "and f.tanggal_ekspor = k.tanggal_ekspor where f.status = 'accepted'").fetchall()
        dated = {tuple(r[:5]): r[5] for r in rows}
    for outcome in new:
        if outcome.sha256 in accepted:
            outcome.status, outcome.export = "duplicate", None
        elif (key := dated_key(outcome)) in dated:
            refuse_as_ambiguous(outcome, dated[key])


def archive(outcome: FileOutcome, paths: WarehousePaths) -> tuple[Path | None, bool]:
    """Keep a copy of every input file, accepted or refused, under its checksum (sakip.archive): kept already
    by the process that read it, else copied now through `O_NOFOLLOW`. Returns where, and whether the copy is
    what the run read: a file changed, replaced or removed since is kept under its new checksum (or not at
    all), and must not be loaded. A file the run could not read at all has nothing to keep (None, True)."""
    target = paths.archive / outcome.sha256 / outcome.name
    if target.exists():
        return target, True
    never_read = outcome.sha256 == unread_id(outcome.path)
    try:
        fd = os.open(outcome.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None, never_read
    partial = scratch(paths.archive)
    partial.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with os.fdopen(fd, "rb") as source:
        info = os.fstat(source.fileno())
        if not stat.S_ISREG(info.st_mode):
            return None, never_read
        with open(partial, "wb") as copy:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                digest.update(chunk)
                copy.write(chunk)
    same = digest.hexdigest() == outcome.sha256
    target = target if same else paths.archive / digest.hexdigest() / outcome.name
    place(partial, target, (info.st_atime_ns, info.st_mtime_ns))
    return target, same or never_read


def record(con: duckdb.DuckDBPyConnection, outcomes: list[FileOutcome], run_id: str, run_seq: int,
           paths: WarehousePaths) -> None:
    """Archive the files and write what they brought: raw rows when accepted, findings when refused. A file
    refused earlier and dropped again is recorded again (its findings may help), an accepted one never.
    The accepted rows of one source go in with one insert, whatever the number of files."""
    accepted: dict[str, list[FileOutcome]] = {}
    files: dict[str, dict] = {}  # audit.files rows by checksum: the same content refused twice keeps the last
    for outcome in outcomes:
        if outcome.status == "duplicate":
            continue
        stored, as_read = archive(outcome, paths)
        if not as_read:
            _refuse_as_changed(outcome)
        export = outcome.export
        files[outcome.sha256] = {
            "sha256": outcome.sha256, "run_id": run_id, "run_seq": run_seq, "nama_file": outcome.name,
            "path_asal": safe_text(str(outcome.path)), "jenis": outcome.kind,
            "kode_satker": export.satker if export else None,
            "tahun": export.tahun if export else None, "bulan": export.bulan if export else None,
            "tanggal_ekspor": export.exported_at if export else None, "mtime": outcome.mtime,
            "jumlah_baris": outcome.rows, "status": outcome.status,
            "arsip": str(stored.relative_to(paths.root)) if stored else None,
            "pesan": outcome.summary()}
        if export is not None and export.kind is not None and export.data is not None:
            if outcome.status == "accepted":
                accepted.setdefault(raw_table(export.kind), []).append(outcome)
            else:
                con.execute(f"delete from {quarantine_table(export.kind)} where sha256 = ?", [outcome.sha256])
                insert_frame(con, quarantine_table(export.kind),
                             export.data.with_columns(pl.lit(outcome.sha256).alias("sha256")))
                outcome.release_data()
        if outcome.status == "refused":
            shown = outcome.findings  # the first ones only: ingest keeps no more than the limit
            con.executemany(
                "insert into audit.validation_failures values (?, ?, ?, ?, ?, ?, ?, ?)",
                [(run_id, outcome.sha256, outcome.name, f.row, f.column, f.value, f.check, f.message) for f in shown])
    if files:
        con.execute("delete from audit.files where sha256 in (select unnest(?::varchar[])) and status <> 'accepted'",
                    [list(files)])
        schema = con.sql("select * exclude (diterima_pada) from audit.files limit 0").pl().schema
        with registered(con, "_files", pl.DataFrame(list(files.values()), schema=schema)):
            con.execute("insert into audit.files by name select *, current_localtimestamp() as diterima_pada "
                        "from _files")
    for table, batch in accepted.items():
        _insert_accepted(con, table, batch)


def _insert_accepted(con: duckdb.DuckDBPyConnection, table: str, batch: list[FileOutcome]) -> None:
    """The rows of one source's accepted files in one insert, each row with its file's checksum, then the
    frames let go: a national month's rows are not held twice (frames and warehouse) while the next source
    loads and the models run. The checksum is looked up from a file number, not written into the frames: 64
    characters on each of a million rows."""
    frame = pl.concat([outcome.export.data.with_columns(pl.lit(number, pl.Int32).alias("_file"))
                       for number, outcome in enumerate(batch, start=1)], how="vertical_relaxed")
    with registered(con, "_frame", frame):
        con.execute(f"insert into {table} by name select * exclude (_file), (?::varchar[])[_file] as sha256 "
                    "from _frame", [[outcome.sha256 for outcome in batch]])
    del frame
    for outcome in batch:
        outcome.release_data()


def accepted_shas(con: duckdb.DuckDBPyConnection, among: list[str] | None = None) -> set[str]:
    """Checksums of the accepted files (only those `among` these, when given)."""
    if among is None:
        return {r[0] for r in con.execute("select sha256 from audit.files where status = 'accepted'").fetchall()}
    return {r[0] for r in con.execute("select sha256 from audit.files where status = 'accepted' and sha256 in "
                                      "(select unnest(?::varchar[]))", [among]).fetchall()}


def known_satkers(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("select kode_satker from ref.upt where kode_satker is not null").fetchall()}


def satkers_of_duplicates(con: duckdb.DuckDBPyConnection, outcomes: list[FileOutcome]) -> set[str]:
    """Files seen before name their satker in audit.files: an inbox of already-seen files still recomputes."""
    shas = [o.sha256 for o in outcomes if o.status == "duplicate"]
    if not shas:
        return set()
    rows = con.execute("select distinct kode_satker from audit.files where sha256 in (select unnest(?)) "
                       "and kode_satker is not null", [shas]).fetchall()
    return {r[0] for r in rows}


def _refuse_as_changed(outcome: FileOutcome) -> None:
    outcome.status = "refused"
    outcome.findings[:] = [Finding("readable", _("the file changed, or was replaced or removed, while the run read "
                                                 "it: what was read can't be kept as it was; it was not loaded. Put "
                                                 "it in the inbox again"))]
