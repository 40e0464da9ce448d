"""What the reports show, read from the published file for many satker-months at once: one query per table
and month, not one per table and report. The centre's run writes 76 reports a month: per report, the queries
would cost more than drawing the report.

    with duckdb.connect("wh/published.duckdb", read_only=True) as con:
        data = load(con, [("672849", 2025, 6)], run_id)[("672849", 2025, 6)]
        data.rows("capaian_iku")        # that satker-month's rows, in the report's order
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import duckdb

Period = tuple[str, int, int]  # kode_satker, tahun, bulan

# The published tables a report reads, and the order of a satker-month's rows in them.
TABLES = {
    "nko": "kode_satker",
    "capaian_iku": "urutan, kode_iku",
    "nilai_sasaran": "urutan, kode_ss",
    "realisasi_anggaran": "urutan, kode_ro",
    "anggaran_satker": "kode_satker",
    "kinerja_anggaran": "urutan, kode_iku",
    "efisiensi": "urutan, kode_ro",
    "rencana_penarikan": "bulan_rencana",
    "sla_ringkasan": "komoditi, laboratorium",
    "sla_pengujian": "tanggal_terima_lab, kode_sampel",
    "ketepatan_waktu_ringkasan": "jenis_waktu, kelompok",
    "ketepatan_waktu": "jenis_waktu, tanggal_mulai, kode_item",
}
# Rows of a table that no report shows are not read: the workbook lists the timeliness items that were not on
# time (of a unit's year, thousands are).
SHOWN = {"ketepatan_waktu": "status is distinct from 'tepat_waktu'"}


@dataclass
class ReportData:
    kode_satker: str
    tahun: int
    bulan: int
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    trend: list[dict[str, Any]] = field(default_factory=list)  # capaian of each IKU, January to bulan
    run: dict[str, Any] | None = None  # the run the report is about (audit.runs)
    refused: list[dict[str, Any]] = field(default_factory=list)  # its refused files, each with its findings

    @property
    def key(self) -> Period:
        return self.kode_satker, self.tahun, self.bulan

    def rows(self, table: str) -> list[dict[str, Any]]:
        return self.tables.get(table, [])

    def first(self, table: str) -> dict[str, Any] | None:
        return next(iter(self.rows(table)), None)


def load(con: duckdb.DuckDBPyConnection, periods: list[Period], run_id: str | None = None,
         refused: bool = True) -> dict[Period, ReportData]:
    """The report data of each satker-month; `run_id` names the run whose refused files the reports list
    (None: the latest run in the file; `refused=False`: none, the workbook does not show them)."""
    periods = [(str(s), int(y), int(m)) for s, y, m in periods]
    out = {p: ReportData(*p) for p in periods}
    have = {r[0] for r in con.execute("select table_name from information_schema.tables "
                                      "where table_schema = 'mart'").fetchall()}
    months: dict[tuple[int, int], list[str]] = defaultdict(list)
    for satker, tahun, bulan in periods:
        months[tahun, bulan].append(satker)
    for (tahun, bulan), satkers in months.items():
        ours = "kode_satker in (select unnest(?::varchar[]))"
        for table, order in TABLES.items():
            if table not in have:
                continue
            shown = SHOWN.get(table, "true")
            for satker, rows in _by_satker(con, f"select * from mart.{table} where tahun = ? and bulan = ? "
                                                f"and {ours} and {shown} order by kode_satker, {order}",
                                           [tahun, bulan, satkers]):
                out[satker, tahun, bulan].tables[table] = rows
        if "capaian_iku" in have:
            for satker, rows in _by_satker(con, "select kode_satker, kode_iku, bulan, capaian from mart.capaian_iku "
                                                f"where tahun = ? and bulan <= ? and {ours} "
                                                "order by kode_satker, bulan", [tahun, bulan, satkers]):
                out[satker, tahun, bulan].trend = rows
    if not refused:
        return out
    run, files, computed = _refused(con, run_id)
    for data in out.values():
        data.run = run
        data.refused = [f for f in files if _concerns(f["kode_satker"], data.kode_satker, computed)]
    return out


def _by_satker(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[tuple[str, list[dict]]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in cur.fetchall():
        record = dict(zip(names, row))
        groups[record["kode_satker"]].append(record)
    return list(groups.items())


def _query(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict[str, Any]]:
    try:
        cur = con.execute(sql, params)
    except duckdb.CatalogException:  # a published file from before the audit tables
        return []
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _refused(con: duckdb.DuckDBPyConnection, run_id: str | None) -> tuple[dict | None, list[dict], set[str]]:
    """The run (named, else the latest); its refused files, each with its findings (those of the whole file
    first, then by row); the satkers it computed."""
    if run_id is None:
        found = _query(con, "select run_id, periode, status, started_at from audit.runs "
                            "order by started_at desc nulls last limit 1", [])
    else:
        found = _query(con, "select run_id, periode, status, started_at from audit.runs where run_id = ?", [run_id])
        found = found or [{"run_id": run_id, "periode": None, "status": None, "started_at": None}]
    if not found:
        return None, [], set()
    run = found[0]
    files = _query(con, "select sha256, nama_file, jenis, kode_satker, tahun, bulan, pesan from audit.files "
                        "where run_id = ? and status = 'refused' order by nama_file", [run["run_id"]])
    findings = _query(con, "select sha256, nama_file, baris, kolom, nilai, pemeriksaan, pesan "
                           "from audit.validation_failures where run_id = ? order by baris nulls first, kolom",
                      [run["run_id"]]) if files else []
    # a finding names its file by content hash; one recorded before the file could be hashed, by name
    by_sha, by_name = defaultdict(list), defaultdict(list)
    for f in files:
        f["findings"] = []
        by_sha[f["sha256"]].append(f)
        by_name[f["nama_file"]].append(f)
    for x in findings:
        for f in by_sha[x["sha256"]] if x["sha256"] is not None else by_name[x["nama_file"]]:
            f["findings"].append(x)
    computed = {r["kode_satker"] for r in _query(con, "select distinct kode_satker from audit.run_periods "
                                                      "where run_id = ?", [run["run_id"]])}
    return run, files, computed


def _concerns(satker: str | None, kode_satker: str, computed: set[str]) -> bool:
    """A refused file concerns a satker's report when it is that satker's, or when it names no satker the run
    computed (none at all, or one outside the registry): no other report would show it. A run whose satkers
    are not known (a published file from before audit.run_periods was published) shows all its refused files."""
    return satker == kode_satker or satker is None or satker not in computed
