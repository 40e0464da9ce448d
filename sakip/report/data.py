"""What the reports show, read from the published file for many satker-months at once: one query per table
and month, not one per table and report. The centre's run writes 76 reports a month: per report, the queries
would cost more than drawing the report.

    with duckdb.connect("wh/published.duckdb", read_only=True) as con:
        data = load(con, [("672849", 2025, 6)], run_id)[("672849", 2025, 6)]
        data.rows("capaian_iku")        # that satker-month's rows, in the report's order
        data.hold("capaian_iku")        # how a refused source holds its figures back, if it does
        notice(data, ["nko"], marks)    # what the top of a report says about it

What went wrong is read with the figures: the satker-month's published tables that are not fresh
(audit.freshness: stale, kept at the last good version or with no data yet; partial) and the refused files
behind them with their first finding (audit.files, audit.validation_failures). A published file from before
those audit tables has none of it."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import duckdb

from sakip.i18n import N_, _, ngettext
from sakip.report.format import tanggal
from sakip.schemas import KINDS_BY_NAME

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
    "perbandingan_triwulan": "urutan, kode_iku",
    # the SIPT facts the Laporan Kinerja's writers need beside each indicator (sakip.report.document)
    "iku_sipt_komponen": "kode_iku, jenis, komponen",
    "rekomendasi_ringkasan": "jenis_penerima",
    "sampel_ringkasan": "komoditi",
    "pemeriksaan_ringkasan": "kelompok",
}
# Rows of a table that no report shows are not read: the workbook lists the timeliness items that were not on
# time (of a unit's year, thousands are).
SHOWN = {"ketepatan_waktu": "status is distinct from 'tepat_waktu'"}


KEPT, NO_DATA, PARTIAL = "kept", "no_data", "partial"


@dataclass(frozen=True)
class Hold:
    """A published table whose figures for this satker-month are not this run's, because a source was refused:
    KEPT at their last good version (the run they come from), NO_DATA yet (no earlier version to keep: what
    the accepted exports give, the refused one's figures missing), or PARTIAL (up to date; only the early
    warning against SIPT keeps the last good export)."""
    state: str
    files: tuple[str, ...]            # the refused files (or, from an older published file, the reason)
    run: str | None = None            # KEPT: the run the figures come from
    started: dt.datetime | None = None

    def note(self) -> str:
        """One line for a person: what the figure is, and why."""
        files = ", ".join(self.files)
        if self.state == KEPT:
            return _("last good version, from run {run}: {files} refused").format(
                run=run_label(self.run, self.started), files=files)
        if self.state == NO_DATA:
            return _("no data yet: {files} refused").format(files=files)
        return _("SIPT comparison from the last good export: {files} refused").format(files=files)


# What the reports call the figures of a published table, in the notice of what went wrong; tables the reports
# don't show are not named.
FIGURES = {
    "nko": "NKO", "capaian_iku": "capaian IKU", "nilai_sasaran": N_("sasaran achievement values"),
    "kinerja_anggaran": N_("performance vs budget"), "realisasi_anggaran": N_("budget realisasi per RO"),
    "anggaran_satker": N_("the satker's budget realisasi"), "efisiensi": N_("efficiency"),
    "rencana_penarikan": N_("withdrawal plan (RPD)"), "sla_ringkasan": N_("testing SLA"),
    "sla_pengujian": N_("testing SLA"), "ketepatan_waktu_ringkasan": N_("timeliness"),
    "ketepatan_waktu": N_("timeliness"), "perbandingan_triwulan": N_("quarter comparison"),
    "sampel_ringkasan": N_("SIPT samples"), "rekomendasi_ringkasan": N_("SIPT recommendations"),
    "pemeriksaan_ringkasan": N_("SIPT facility inspections"), "iku_sipt_komponen": N_("SIPT components"),
}


def run_label(run_id: str | None, started: dt.datetime | None) -> str:
    if isinstance(started, dt.datetime):
        return _("{run} of {date}").format(run=run_id, date=tanggal(started.date()))
    return str(run_id)


@dataclass
class Notice:
    """What went wrong for a satker-month, for the top of a report: a title and a paragraph per refused source
    (which source, why, since when, what became of the figures, what to do)."""
    title: str
    paragraphs: list[str]


def notice(d: ReportData, shown: list[str], marks: dict[str, str]) -> Notice | None:
    """The notice of a report that shows the tables `shown`, when any of their figures are held back;
    `marks`: how the report marks the figures of each state it shows (KEPT, NO_DATA; PARTIAL where it shows
    the early warning against SIPT)."""
    def held(t: str) -> bool:
        hold = d.hold(t)
        return hold is not None and hold.state in marks

    paragraphs = []
    for f in d.held:
        tables = [t for t in shown if t in f["tables"] and held(t)]
        if not tables:
            continue
        paragraphs.append(" ".join([_refusal(f), *_consequences(d, tables, marks),
                                    _("Send a corrected export; the next run will use it.")]))
    unexplained = [t for t in shown if t in d.freshness and not d.freshness[t]["files"] and held(t)]
    for reason in dict.fromkeys(d.freshness[t]["alasan"] or "-" for t in unexplained):
        tables = [t for t in unexplained if (d.freshness[t]["alasan"] or "-") == reason]
        paragraphs.append(" ".join([reason + ".", *_consequences(d, tables, marks),
                                    _("Send a corrected export; the next run will use it.")]))
    if not paragraphs:
        return None
    return Notice(ngettext("Attention: {count} source of this period was refused",
                           "Attention: {count} sources of this period were refused",
                           len(paragraphs)).format(count=len(paragraphs)), paragraphs)


def _refusal(f: dict[str, Any]) -> str:
    """Which source, why (its first finding), since when (its export, the run that refused it)."""
    kind = KINDS_BY_NAME.get(f["jenis"] or "")
    source = kind.title if kind else (f["jenis"] or _("unrecognised"))
    x = f["finding"]
    if x is None:
        why = f["pesan"] or "-"
    else:
        why = x["pesan"] if x["baris"] is None else _("row {row}: {message}").format(row=x["baris"], message=x["pesan"])
        if f["findings"] > 1:
            why += " " + ngettext("(+{count} more finding)", "(+{count} more findings)",
                                  f["findings"] - 1).format(count=f["findings"] - 1)
    run = run_label(f["run_id"], f["run_started"])
    if isinstance(f["tanggal_ekspor"], dt.date):
        return _("The {source} export {file} (exported {exported}) was refused by run {run}: {why}.").format(
            source=source, file=f["nama_file"], exported=tanggal(f["tanggal_ekspor"]), run=run, why=why.rstrip("."))
    return _("The {source} export {file} was refused by run {run}: {why}.").format(
        source=source, file=f["nama_file"], run=run, why=why.rstrip("."))


def _consequences(d: ReportData, tables: list[str], marks: dict[str, str]) -> list[str]:
    """What became of the figures of `tables`: one sentence per state."""
    by_state: dict[tuple, list[str]] = defaultdict(list)
    for t in tables:
        hold = d.hold(t)
        key = (hold.state, hold.run, hold.started)
        label = _(FIGURES[t]) if t in FIGURES else f"mart.{t}"
        if label not in by_state[key]:
            by_state[key].append(label)
    out = []
    order = {KEPT: 0, NO_DATA: 1, PARTIAL: 2}
    for (state, run, started), labels in sorted(by_state.items(), key=lambda item: order[item[0][0]]):
        figures = ", ".join(labels)
        if state == KEPT:
            out.append(_("The figures that depend on it ({figures}) are kept at their last good version, from run "
                         "{run}, and are marked {mark}.").format(figures=figures, run=run_label(run, started),
                                                                  mark=marks[KEPT]))
        elif state == NO_DATA:
            out.append(_("The figures that depend on it ({figures}) have no data yet (there is no earlier version "
                         "to keep) and are marked {mark}.").format(figures=figures, mark=marks[NO_DATA]))
        else:
            out.append(_("The check of {figures} against SIPT keeps its last good export (marked {mark}); the "
                         "figures themselves are up to date.").format(figures=figures, mark=marks[PARTIAL]))
    return out


@dataclass
class ReportData:
    kode_satker: str
    tahun: int
    bulan: int
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    trend: list[dict[str, Any]] = field(default_factory=list)  # capaian of each IKU, January to bulan
    run: dict[str, Any] | None = None  # the run the report is about (audit.runs)
    refused: list[dict[str, Any]] = field(default_factory=list)  # its refused files, each with its findings
    # what went wrong for this satker-month (audit.freshness): each published table that is not fresh, by name
    # (status stale or partial, data_dari_run, data_started: when the run its rows come from started, alasan,
    # files: the refused files behind it) ...
    freshness: dict[str, dict[str, Any]] = field(default_factory=dict)
    # ... and those refused files, each with its first finding and the tables it holds back (`held`)
    held: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> Period:
        return self.kode_satker, self.tahun, self.bulan

    def hold(self, table: str) -> Hold | None:
        """How the figures of a published table are held back, if they are (audit.freshness)."""
        row = self.freshness.get(table)
        if row is None or row["status"] not in ("stale", "partial"):
            return None
        files = tuple(row["files"]) or (row["alasan"] or "-",)
        if row["status"] == "partial":
            return Hold(PARTIAL, files)
        if row["data_dari_run"] is None:
            return Hold(NO_DATA, files)
        return Hold(KEPT, files, row["data_dari_run"], row["data_started"])

    def rows(self, table: str) -> list[dict[str, Any]]:
        return self.tables.get(table, [])

    def first(self, table: str) -> dict[str, Any] | None:
        return next(iter(self.rows(table)), None)


def load(con: duckdb.DuckDBPyConnection, periods: list[Period], run_id: str | None = None,
         refused: bool = True, own_runs: bool = False) -> dict[Period, ReportData]:
    """The report data of each satker-month; `run_id` names the run whose refused files the reports list
    (None: the latest run in the file; `own_runs`: for each satker-month the latest run that computed it, as
    for a quarter published earlier; `refused=False`: none, the workbook does not show them)."""
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
        _held(con, out, tahun, bulan, satkers)
        if "capaian_iku" in have:
            for satker, rows in _by_satker(con, "select kode_satker, kode_iku, bulan, capaian from mart.capaian_iku "
                                                f"where tahun = ? and bulan <= ? and {ours} "
                                                "order by kode_satker, bulan", [tahun, bulan, satkers]):
                out[satker, tahun, bulan].trend = rows
    if not refused:
        return out
    runs: dict[str | None, list[Period]] = defaultdict(list)
    for period in periods:
        runs[run_of(con, *period) if own_runs else run_id].append(period)
    for run_named, named in runs.items():
        run, files, computed = _refused(con, run_named)
        for period in named:
            data = out[period]
            data.run = run
            data.refused = [f for f in files if _concerns(f["kode_satker"], data.kode_satker, computed)]
    return out


def run_of(con: duckdb.DuckDBPyConnection, satker: str, tahun: int, bulan: int) -> str | None:
    """The latest run that computed this satker-month: its refused files are the ones its reports name."""
    found = _maybe(con, "select run_periods.run_id from audit.run_periods join audit.runs using (run_id) "
                        "where kode_satker = ? and tahun = ? and bulan = ? "
                        "order by runs.started_at desc nulls last limit 1", [satker, tahun, bulan])
    return found[0]["run_id"] if found else None


def runs_of(rows: list[dict], key: str) -> list[tuple[int, int]]:
    """(first, last) indexes of consecutive rows with the same value of key: the cells a report merges (the
    sasaran of its indicators)."""
    runs: list[tuple[int, int]] = []
    for i, r in enumerate(rows):
        if runs and rows[runs[-1][0]][key] == r[key]:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


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


def _maybe(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict[str, Any]]:
    """The rows of a query on the audit tables; none from a published file whose audit tables are older."""
    try:
        return _query(con, sql, params)
    except (duckdb.CatalogException, duckdb.BinderException):
        return []


def _held(con: duckdb.DuckDBPyConnection, out: dict[Period, ReportData], tahun: int, bulan: int,
          satkers: list[str]) -> None:
    """The month's published tables that are not fresh (audit.freshness), per satker, and the refused files
    behind them (the satker's files named in the reason: of each name the one refused by the run that last
    checked the table, else the latest), each with its first finding (whole-file findings first)."""
    ours = "fr.kode_satker in (select unnest(?::varchar[]))"
    params = [tahun, bulan, satkers]
    rows = _maybe(con, "select fr.kode_satker, fr.tabel, fr.status, fr.data_dari_run, fr.diperiksa_run, fr.alasan, "
                       "r.started_at as data_started from audit.freshness fr left join audit.runs r "
                       "on r.run_id = fr.data_dari_run where fr.status <> 'fresh' and fr.tahun = ? and fr.bulan = ? "
                       f"and {ours} order by fr.kode_satker, fr.tabel", params)
    if not rows:
        return
    files = _maybe(con, "select fr.kode_satker, fr.tabel, f.sha256, f.nama_file, f.jenis, f.tanggal_ekspor, f.pesan, "
                        "f.run_id, r.started_at as run_started from audit.freshness fr join audit.files f "
                        "on f.status = 'refused' and f.kode_satker = fr.kode_satker "
                        "and contains(fr.alasan, f.nama_file) left join audit.runs r on r.run_id = f.run_id "
                        f"where fr.status <> 'fresh' and fr.tahun = ? and fr.bulan = ? and {ours} "
                        "qualify row_number() over (partition by fr.kode_satker, fr.tabel, f.nama_file "
                        "order by f.run_id is not distinct from fr.diperiksa_run desc, f.run_seq desc nulls last, "
                        "f.diterima_pada desc nulls last) = 1 order by f.nama_file", params)
    shas = sorted({f["sha256"] for f in files if f["sha256"] is not None})
    findings: dict[str, list[dict]] = defaultdict(list)
    for x in _maybe(con, "select sha256, run_id, baris, kolom, nilai, pemeriksaan, pesan "
                         "from audit.validation_failures where sha256 in (select unnest(?::varchar[])) "
                         "order by baris nulls first, kolom nulls first", [shas]) if shas else []:
        findings[x["sha256"]].append(x)
    for r in rows:
        data = out.get((r["kode_satker"], tahun, bulan))
        if data is not None:
            data.freshness[r["tabel"]] = {**r, "files": []}
    for f in files:
        data = out.get((f["kode_satker"], tahun, bulan))
        if data is None or f["tabel"] not in data.freshness:
            continue
        data.freshness[f["tabel"]]["files"].append(f["nama_file"])
        held = next((h for h in data.held if h["sha256"] == f["sha256"] and h["nama_file"] == f["nama_file"]), None)
        if held is None:
            # the findings of the run that refused it (a file refused again records them again)
            own = [x for x in findings.get(f["sha256"], []) if x["run_id"] == f["run_id"]] or \
                findings.get(f["sha256"], [])
            held = {k: f[k] for k in ("sha256", "nama_file", "jenis", "tanggal_ekspor", "pesan", "run_id",
                                      "run_started")}
            held.update(finding=own[0] if own else None, findings=len(own), tables=[])
            data.held.append(held)
        held["tables"].append(f["tabel"])


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
