"""Connections and the DDL of the pipeline's own tables (raw, audit, reference)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from sakip import settings
from sakip.calendar import calendar_frame
from sakip.schemas import KINDS, Kind
from sakip.warehouse.migrations import migrate

BUNDLED_REFERENCE = Path(__file__).resolve().parent.parent / "reference"


def reference_dir() -> Path:
    """The planners' reference data: $SAKIP_REFERENCE_DIR when set (a unit's or the centre's own registry,
    maps and plans), else the bundled sakip/reference/. A file missing there is taken from the bundled folder."""
    return settings.current().reference_dir or BUNDLED_REFERENCE

_SQL_TYPES = {"code": "varchar", "text": "varchar", "number": "double", "int": "integer", "month": "integer",
              "date": "date"}

AUDIT_DDL = """
create schema if not exists audit;
create table if not exists audit.runs (
    run_id varchar primary key,
    started_at timestamp,
    finished_at timestamp,
    periode varchar,
    inbox varchar,
    status varchar,
    exit_code integer
);
create table if not exists audit.files (
    sha256 varchar primary key,
    run_id varchar,
    run_seq bigint,
    nama_file varchar,
    path_asal varchar,
    jenis varchar,
    kode_satker varchar,
    tahun integer,
    bulan integer,
    tanggal_ekspor date,
    mtime double,
    jumlah_baris bigint,
    status varchar,
    arsip varchar,
    pesan varchar,
    diterima_pada timestamp
);
create table if not exists audit.run_periods (
    run_id varchar,
    kode_satker varchar,
    tahun integer,
    bulan integer
);
create table if not exists audit.freshness (
    tabel varchar,
    kode_satker varchar,
    tahun integer,
    bulan integer,
    status varchar,
    data_dari_run varchar,
    diperiksa_run varchar,
    alasan varchar,
    primary key (tabel, kode_satker, tahun, bulan)
);
create table if not exists audit.alerts (
    run_id varchar,
    dikirim_pada timestamp,
    saluran varchar,
    subjek varchar,
    status varchar,
    percobaan integer,
    galat varchar
);
create table if not exists audit.validation_failures (
    run_id varchar,
    sha256 varchar,
    nama_file varchar,
    baris bigint,
    kolom varchar,
    nilai varchar,
    pemeriksaan varchar,
    pesan varchar
);
"""


def raw_table(kind: Kind) -> str:
    return f"raw.{kind.name}"


def quarantine_table(kind: Kind) -> str:
    """Rows of refused files: kept for inspection, never read by the models."""
    return f"quarantine.{kind.name}"


def raw_ddl(kind: Kind) -> str:
    cols = ",\n    ".join(f"{c.name} {_SQL_TYPES[c.type]}" for c in kind.columns)
    return f"create table if not exists {raw_table(kind)} (\n    sha256 varchar,\n    _row bigint,\n    {cols}\n);"


# DuckDB takes 80 % of the machine's memory by default; the run also holds the files it read. Above this it
# spills to disk (a `.tmp` folder beside the warehouse) instead of growing.
def memory_limit() -> str:
    return settings.current().duckdb_memory_limit


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse, created in the current shape when new, brought to it when an earlier version made it."""
    created = not path.exists()
    con = duckdb.connect(str(path), config={"memory_limit": memory_limit()})
    con.execute("create schema if not exists raw")
    con.execute("create schema if not exists quarantine")
    for stmt in AUDIT_DDL.split(";"):
        if stmt.strip():
            con.execute(stmt)
    for kind in KINDS:
        con.execute(raw_ddl(kind))
        con.execute(raw_ddl(kind).replace(raw_table(kind), quarantine_table(kind)))
    migrate(con, created)
    return con


# Reference data the planners keep as CSV (docs/reference.md). Codes must stay text.
_REFERENCE_TYPES = {
    "profil_pita": {"tahun": "integer", "skala": "varchar", "label": "varchar", "bawah": "double",
                    "bawah_inklusif": "boolean", "atas": "double", "atas_inklusif": "boolean", "nilai": "double"},
    "profil_parameter": {"tahun": "integer", "parameter": "varchar", "nilai": "double", "keterangan": "varchar"},
    "upt": {"kode_satker": "varchar", "nama_satker": "varchar", "jenis_upt": "varchar", "provinsi": "varchar"},
    "bobot_iku": {"tahun": "integer", "kode_satker": "varchar", "kode_iku": "varchar", "bobot": "double",
                  "keterangan": "varchar"},
    "iku_tahunan": {"tahun": "integer", "kode_satker": "varchar", "kode_iku": "varchar",
                    "bandingkan_tahunan": "boolean", "alasan": "varchar"},
    "kelompok_iku": {"tahun": "integer", "kode_satker": "varchar", "kelompok": "varchar", "kode_iku": "varchar"},
    "anggaran_kelompok": {"tahun": "integer", "kode_satker": "varchar", "kelompok": "varchar",
                          "kode_ro": "varchar", "komponen": "varchar", "porsi": "double"},
    "iku_sipt": {"tahun": "integer", "kode_satker": "varchar", "kode_iku": "varchar", "jenis": "varchar",
                 "kelompok": "varchar"},
    "profil_komponen_sipt": {"tahun": "integer", "jenis": "varchar", "komponen": "varchar", "bobot": "double",
                             "keterangan": "varchar"},
    "renlak_sampel": {"tahun": "integer", "kode_satker": "varchar", "komoditi": "varchar", "bulan": "integer",
                      "target_sampel": "double"},
    "rencana_pemeriksaan": {"tahun": "integer", "kode_satker": "varchar", "kelompok": "varchar",
                            "bulan": "integer", "target_sarana": "double"},
    "sarana_fortifikasi": {"tahun": "integer", "kode_satker": "varchar", "jumlah_produsen_wilayah": "double"},
    "urutan_laporan": {"tahun": "integer", "kode_satker": "varchar", "jenis": "varchar", "kode": "varchar",
                       "urutan": "integer", "sumber": "varchar"},
    "aturan_waktu": {"kode": "varchar", "nama": "varchar", "sumber": "varchar", "mulai": "varchar",
                     "selesai": "varchar", "batas": "integer", "satuan": "varchar", "syarat_atribut": "varchar",
                     "syarat_nilai": "varchar", "keterangan": "varchar"},
}


def reference_file(directory: Path, name: str) -> Path:
    path = directory / f"{name}.csv"
    return path if path.exists() else BUNDLED_REFERENCE / f"{name}.csv"


def registry_satkers() -> set[str]:
    """The satkers of the UPT registry, read from the CSV itself: checking a new file against the registry
    needs no reload of every reference table into the warehouse."""
    frame = pl.read_csv(reference_file(reference_dir(), "upt"), infer_schema=False)
    return {code.strip() for code in frame.get_column("kode_satker").drop_nulls().to_list() if code.strip()}


def load_reference(con: duckdb.DuckDBPyConnection, directory: Path | None = None) -> None:
    """Load the reference CSVs into schema `ref` when they are not what it holds: an edit to a CSV takes effect
    on the next run. What it holds is known by a digest (`ref.digest`) of the files' bytes and of the code and
    calendar that turn them into tables; the same digest, and every table there, and they are not loaded again
    (16 tables rewritten each run: 0.1-0.8 s of a national run)."""
    directory = directory or reference_dir()
    amendments = directory / "kalender_perubahan.csv"
    digest = _reference_digest(directory, amendments)
    con.execute("create schema if not exists ref")
    if _reference_digest_loaded(con) == digest:
        return
    for name, types in _REFERENCE_TYPES.items():
        frame = pl.read_csv(reference_file(directory, name), infer_schema=False)
        casts = ", ".join(f"cast(nullif(trim({c}), '') as {t}) as {c}" for c, t in types.items())
        with registered(con, "_ref_frame", frame):
            con.execute(f"create or replace table ref.{name} as select {casts} from _ref_frame")
    with registered(con, "_calendar", calendar_frame(amendments if amendments.exists() else None)):
        con.execute("create or replace table ref.kalender as select * from _calendar")
    # last: a load cut short leaves the digest of an earlier one (or none), and the next run loads again
    con.execute("create or replace table ref.digest as select ?::varchar as digest", [digest])


def _reference_digest(directory: Path, amendments: Path) -> str:
    """SHA-256 of what the reference tables are made of: each CSV's name and bytes, the calendar's amendments,
    its years and the holidays package's version, and this module's and the calendar's own code."""
    import hashlib

    import holidays

    from sakip import calendar

    h = hashlib.sha256()
    parts = [reference_file(directory, name) for name in _REFERENCE_TYPES]
    parts += [amendments] if amendments.exists() else []
    for path in [*parts, Path(__file__), Path(calendar.__file__)]:
        data = path.read_bytes()
        h.update(f"{path.name}:{len(data)}:".encode())
        h.update(data)
    h.update(f"holidays {holidays.__version__}; years {calendar.years()}".encode())
    return h.hexdigest()


def _reference_digest_loaded(con: duckdb.DuckDBPyConnection) -> str | None:
    """The digest of the reference tables the warehouse holds; None when one of them is missing."""
    present = {name for (name,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'ref' "
        "and table_catalog = current_database()").fetchall()}
    if not {*_REFERENCE_TYPES, "kalender", "digest"} <= present:
        return None
    found = con.execute("select max(digest) from ref.digest").fetchall()
    return found[0][0] if found else None


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame) -> Iterator[None]:
    """`frame` (a polars or Arrow table, an Arrow reader) visible to SQL as `name` inside the block. When the
    block fails, the first error stands: in a failed transaction unregistering fails too ("Current transaction
    is aborted"), and must not replace it."""
    con.register(name, frame)
    try:
        yield
    except BaseException:
        try:
            con.unregister(name)
        except duckdb.Error:
            pass
        raise
    con.unregister(name)


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    with registered(con, "_frame", frame):
        con.execute(f"insert into {table} by name select * from _frame")


def sql_literal(value: str | Path) -> str:
    """A string (a path) as an SQL literal, for the statements that take no parameters (attach, copy … to)."""
    return "'" + str(value).replace("'", "''") + "'"


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str, database: str | None = None) -> bool:
    """Whether `schema.table` is in the database (default: the connection's own)."""
    return bool(con.execute("select 1 from information_schema.tables where table_schema = ? and table_name = ? "
                            "and table_catalog = coalesce(?, current_database())",
                            [schema, table, database]).fetchall())
