"""mart.perbandingan_triwulan: each indicator at a quarter's end beside the previous quarter of its year and the
same quarter a year earlier, as they were published (the Laporan Kinerja's §3.1 comparison). On the demo:
March (its illustrative Realisasi B03 export) published by its own run, then June compared with it."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import duckdb
import pytest

from builders import published, run
from conftest import DEMO_INBOX
from sakip.warehouse import WarehouseBusy, WarehousePaths
from sakip.warehouse.db import connect, load_reference
from sakip.warehouse.publish import read_published
from sakip.warehouse.transform import COMPARED_COLUMNS, compared_quarters, later_quarters, run_models

SATKER = "672849"
COLUMNS = ("kode_iku, realisasi, capaian, realisasi_triwulan_lalu, capaian_triwulan_lalu, arah_triwulan_lalu, "
           "triwulan_lalu_terbit, realisasi_tahun_lalu, capaian_tahun_lalu, arah_tahun_lalu, tahun_lalu_terbit")


def _direction(now: float | None, before: float | None) -> str | None:
    if now is None or before is None:
        return None
    now, before = round(now, 2), round(before, 2)
    return "naik" if now > before else "turun" if now < before else "tetap"


@pytest.fixture(scope="module")
def quarters(tmp_path_factory) -> Path:
    """The demo published for March, then for June, each by its own run."""
    warehouse = tmp_path_factory.mktemp("quarters") / "wh"
    for bulan in (3, 6):
        assert run(DEMO_INBOX, warehouse, 2025, bulan, run_id=f"demo-2025-{bulan:02d}").exit_code == 0
    return warehouse


def _rows(warehouse: Path, bulan: int, tahun: int = 2025) -> dict[str, dict]:
    names = [c.strip() for c in COLUMNS.split(",")]
    return {r[0]: dict(zip(names, r)) for r in published(
        warehouse, f"select {COLUMNS} from mart.perbandingan_triwulan where kode_satker = ? and tahun = ? "
                   "and bulan = ? order by urutan", [SATKER, tahun, bulan])}


def test_june_is_compared_with_march_as_march_was_published(quarters):
    june = _rows(quarters, 6)
    march = {r[0]: r[1:] for r in published(quarters, "select kode_iku, realisasi, capaian from mart.capaian_iku "
                                                      "where tahun = 2025 and bulan = 3")}
    assert len(june) == 24 and set(june) == set(march)
    for kode, row in june.items():
        assert (row["realisasi_triwulan_lalu"], row["capaian_triwulan_lalu"]) == march[kode], kode
        assert row["arah_triwulan_lalu"] == _direction(row["capaian"], row["capaian_triwulan_lalu"]), kode
        assert row["realisasi_tahun_lalu"] is row["capaian_tahun_lalu"] is row["arah_tahun_lalu"] is None
        assert row["triwulan_lalu_terbit"] is True and row["tahun_lalu_terbit"] is False
    # the demo's March figures go every way (sakip/demo/README.md), and what is not measured has no direction
    assert {row["arah_triwulan_lalu"] for row in june.values()} == {"naik", "turun", "tetap", None}
    assert june["IKU1.3"]["arah_triwulan_lalu"] is None and june["IKU1.3"]["capaian"] is None


def test_march_realisasi_is_the_march_export_and_the_first_quarter_has_no_earlier_quarter(quarters):
    with open(DEMO_INBOX / "Realisasi_Kinerja_672849_2025_B03.csv", encoding="utf-8-sig") as f:
        lines = f.read().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Tahun;"))
    exported = {r["Kode IKU"]: r["Realisasi"] for r in csv.DictReader(lines[header:], delimiter=";")}
    june = _rows(quarters, 6)
    for kode, text in exported.items():
        value = None if text in ("", "-") else float(text.replace(".", "").replace(",", "."))
        assert june[kode]["realisasi_triwulan_lalu"] == value, kode
    march = _rows(quarters, 3)
    assert len(march) == 24
    assert all(r["realisasi_triwulan_lalu"] is None and r["arah_triwulan_lalu"] is None for r in march.values())


def test_a_month_that_ends_no_quarter_has_no_comparison(quarters, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(quarters, warehouse)
    assert run(DEMO_INBOX, warehouse, 2025, 5, run_id="demo-2025-05").exit_code == 0
    assert published(warehouse, "select count(*) from mart.perbandingan_triwulan where bulan = 5") == [(0,)]
    assert published(warehouse, "select count(*) from mart.capaian_iku where bulan = 5") == [(24,)]


def test_compared_quarters():
    assert compared_quarters([(SATKER, 2025, 6), ("x", 2025, 3), ("y", 2025, 5)]) == [
        (SATKER, 2024, 6), (SATKER, 2025, 3), ("x", 2024, 3)]


def test_later_quarters_are_those_whose_comparison_reads_a_quarter_of_the_run():
    assert later_quarters([(SATKER, 2025, 3), ("x", 2025, 12), ("y", 2025, 5)]) == [
        (SATKER, 2025, 6), (SATKER, 2026, 3), ("x", 2026, 12)]
    # a quarter the run computes anyway is not listed again
    assert later_quarters([(SATKER, 2025, 3), (SATKER, 2025, 6)]) == [
        (SATKER, 2025, 9), (SATKER, 2026, 3), (SATKER, 2026, 6)]
    for period in compared_quarters([(SATKER, 2025, 6)]):
        assert (SATKER, 2025, 6) in later_quarters([period])


def _export(folder: Path, name: str, *edits: tuple[str, str]) -> Path:
    """A demo export sent again, edited (its bytes: an export's encoding stays): each (old, new) must be in it."""
    data = (DEMO_INBOX / name).read_bytes()
    for old, new in edits:
        assert old.encode() in data, old
        data = data.replace(old.encode(), new.encode())
    folder.mkdir(exist_ok=True)
    (folder / name.replace(".csv", " (koreksi).csv")).write_bytes(data)
    return folder


def _corrected_march(folder: Path, realisasi: str) -> Path:
    """March's Realisasi Kinerja exported again after June was published: IKU1.1 88,40 corrected."""
    return _export(folder, "Realisasi_Kinerja_672849_2025_B03.csv",
                   ("Tanggal Unduh : 01/04/2025", "Tanggal Unduh : 15/07/2025"),
                   (";IKU1.1;B03;88,40;", f";IKU1.1;B03;{realisasi};"))


def _june(warehouse: Path) -> dict[str, list[tuple]]:
    """June's rows in every published table, its freshness, and its Parquet files' rows."""
    con = duckdb.connect(str(WarehousePaths(warehouse).published), read_only=True)
    try:
        tables = [t for (t,) in con.execute("select table_name from duckdb_tables() where schema_name = 'mart'")
                  .fetchall()]
        out = {t: sorted(con.execute(f"select * from mart.{t} where tahun = 2025 and bulan = 6").fetchall(),
                         key=repr) for t in tables}
        out["audit.freshness"] = sorted(con.execute(
            "select * from audit.freshness where tahun = 2025 and bulan = 6").fetchall(), key=repr)
        for file in sorted((warehouse / "parquet" / "2025-06").rglob("*.parquet")):
            out[str(file.relative_to(warehouse))] = sorted(
                con.execute(f"select * from read_parquet('{file}')").fetchall(), key=repr)
        return out
    finally:
        con.close()


def test_a_corrected_quarter_makes_the_published_later_quarters_comparison_again(quarters, sakip, tmp_path):
    """June was published compared with March, then June's own Realisasi was refused (its figures kept, marked
    stale). March is corrected: June's comparison is made again with the corrected March, in the published
    file, its Parquet set and its draft; June's own figures, tables and freshness stay as they were published."""
    warehouse = tmp_path / "wh"
    shutil.copytree(quarters, warehouse)
    june_inbox = _export(tmp_path / "june", "Realisasi_Kinerja_672849_2025_B06.csv",
                         ("Tanggal Unduh : 01/07/2025", "Tanggal Unduh : 03/07/2025"), (";93,96;", ";abc;"))
    _export(june_inbox, "SIPT_Pemeriksaan_672849_2025_B06.csv",
            ("Tanggal Cetak : 01/07/2025", "Tanggal Cetak : 02/07/2025"))
    refused = run(june_inbox, warehouse, 2025, 6, run_id="june-refused")
    assert refused.exit_code == 2 and refused.published and not refused.refreshed
    # what analysts saw for June's IKU4.1, as the warehouse would not compute it now: it must stay; and a June
    # 2024 published since (by an earlier year's runs), which the comparison made again reads
    pub = duckdb.connect(str(WarehousePaths(warehouse).published))
    pub.execute("update mart.perbandingan_triwulan set realisasi = 1234 where bulan = 6 and kode_iku = 'IKU4.1'")
    pub.execute("insert into mart.capaian_iku by name select * replace (2024 as tahun, realisasi - 1 as realisasi) "
                "from mart.capaian_iku where tahun = 2025 and bulan = 6")
    pub.close()
    before = _june(warehouse)
    assert any(status == "stale" for (_t, _s, _y, _m, status, *_rest) in before["audit.freshness"])
    assert _rows(warehouse, 6)["IKU1.1"]["realisasi_triwulan_lalu"] == 88.4

    done = sakip("run", "--inbox", str(_corrected_march(tmp_path / "inbox", "80,00")), "--warehouse",
                 str(warehouse), "--period", "2025-03")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{SATKER}: 2025-06 dibandingkan ulang" in done.stdout, done.stdout

    [(march_capaian,)] = published(warehouse, "select capaian from mart.capaian_iku where tahun = 2025 "
                                              "and bulan = 3 and kode_iku = 'IKU1.1'")
    june = _rows(warehouse, 6)
    assert (june["IKU1.1"]["realisasi_triwulan_lalu"], june["IKU1.1"]["capaian_triwulan_lalu"]) == (
        80.0, march_capaian)
    assert june["IKU1.1"]["arah_triwulan_lalu"] == _direction(june["IKU1.1"]["capaian"], march_capaian)
    assert all(r["tahun_lalu_terbit"] for r in june.values())
    assert june["IKU1.1"]["realisasi_tahun_lalu"] == june["IKU1.1"]["realisasi"] - 1
    after = _june(warehouse)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"perbandingan_triwulan", "parquet/2025-06/perbandingan_triwulan/672849.parquet"}
    assert set(after) == set(before)
    rows = {r[5]: r for r in after["perbandingan_triwulan"]}  # by kode_iku
    own = next(r for r in before["perbandingan_triwulan"] if r[5] == "IKU4.1")[:10]  # up to its own capaian
    assert len(rows) == 24 and rows["IKU4.1"][:10] == own and own[8] == 1234
    assert sorted(after["parquet/2025-06/perbandingan_triwulan/672849.parquet"], key=repr) == sorted(
        after["perbandingan_triwulan"], key=repr)
    # the run computed March alone: June's draft names June's own run, not this one
    [(run_id,)] = published(warehouse, "select run_id from audit.runs order by started_at desc limit 1")
    assert published(warehouse, "select tahun, bulan from audit.run_periods where run_id = ?", [run_id]) == [
        (2025, 3)]
    draft = docx.Document(str(warehouse / "reports" / SATKER / "2025-06" / "laporan-kinerja.docx"))
    text = "\n".join(p.text for p in draft.paragraphs)
    assert "june-refused" in text and run_id not in text
    [(indikator,)] = published(warehouse, "select indikator from mart.capaian_iku where tahun = 2025 and "
                                          "bulan = 6 and kode_iku = 'IKU1.1'")
    headed = [[[cell.text for cell in row.cells] for row in table.rows] for table in draft.tables
              if "Capaian Triwulan I" in [c.text for c in table.rows[0].cells]]
    [row] = [dict(zip(t[0], r)) for t in headed for r in t[1:] if r[0] == indikator]
    assert row["Capaian Triwulan I"] == f"{march_capaian:.2f}".replace(".", ",") + "%"
    assert row["Capaian Triwulan II 2024"] == f"{june['IKU1.1']['capaian_tahun_lalu']:.2f}".replace(".", ",") + "%"


def test_a_run_that_changes_no_quarter_compares_no_later_quarter_again(quarters, tmp_path):
    """March run again with nothing new (its exports already accepted), with its correction refused, with the
    correction accepted but a later export refused (March's capaian kept as published): June's comparison is
    not made again. Then March run again with nothing new: it publishes the correction, and June follows."""
    warehouse = tmp_path / "wh"
    shutil.copytree(quarters, warehouse)
    before = _rows(warehouse, 6)
    again = run(DEMO_INBOX, warehouse, 2025, 3, run_id="march-again")
    assert again.exit_code == 0 and again.refreshed == []
    bad = run(_corrected_march(tmp_path / "bad", "delapan puluh"), warehouse, 2025, 3, run_id="march-refused")
    assert bad.exit_code == 2 and bad.refreshed == [] and bad.published == {}
    held = _corrected_march(tmp_path / "held", "80,00")
    _export(held, "Realisasi_Kinerja_672849_2025_B03.csv", ("Tanggal Unduh : 01/04/2025", "Tanggal Unduh : 16/07/2025"),
            (";IKU1.1;B03;88,40;", ";IKU1.1;B03;x;"))
    (held / "Realisasi_Kinerja_672849_2025_B03 (koreksi).csv").rename(held / "B03 ditolak.csv")
    _corrected_march(held, "80,00")
    kept = run(held, warehouse, 2025, 3, run_id="march-held")
    assert kept.exit_code == 2 and kept.published and kept.refreshed == []
    assert [s.table for s in kept.stale if s.table == "capaian_iku"] == ["capaian_iku"]
    assert _rows(warehouse, 6) == before
    assert published(warehouse, "select realisasi from mart.capaian_iku where bulan = 3 and kode_iku = 'IKU1.1'"
                     ) == [(88.4,)]
    rerun = run(DEMO_INBOX, warehouse, 2025, 3, run_id="march-rerun")
    assert rerun.exit_code == 0 and rerun.refreshed == [(SATKER, 2025, 6)]
    assert _rows(warehouse, 6)["IKU1.1"]["realisasi_triwulan_lalu"] == 80.0


def test_a_later_quarter_the_run_computes_is_computed_not_compared_again(quarters, tmp_path):
    """A run that died after its commit left June to publish; the next run corrects March. June is among the
    periods it computes, so it is computed (with the corrected March), not compared again as published: both
    would give June's rows twice."""
    warehouse = tmp_path / "wh"
    shutil.copytree(quarters, warehouse)
    con = duckdb.connect(str(WarehousePaths(warehouse).db))
    con.execute("insert into audit.runs values ('died', now()::timestamp, null, '2025-06', 'inbox', 'built', 0)")
    con.execute("insert into audit.run_periods values ('died', ?, 2025, 6)", [SATKER])
    con.close()
    result = run(_corrected_march(tmp_path / "inbox", "80,00"), warehouse, 2025, 3, run_id="march-corrected")
    assert result.exit_code == 0 and result.refreshed == [] and result.recovered == [(SATKER, 2025, 6)]
    assert _rows(warehouse, 6)["IKU1.1"]["realisasi_triwulan_lalu"] == 80.0


def test_a_quarter_reads_the_published_figures_of_earlier_quarters_and_the_year_before(quarters, tmp_path):
    """The comparison is with what analysts saw: a published March that differs from what the warehouse would
    compute now, and a June 2024 published by an earlier year's runs. A capaian equal once rounded is 'tetap'."""
    paths = WarehousePaths(tmp_path / "wh")
    shutil.copytree(quarters, paths.root)
    file = paths.published
    [(june_capaian,)] = published(quarters, "select capaian from mart.capaian_iku where bulan = 6 "
                                            "and kode_iku = 'IKU4.1'")
    pub = duckdb.connect(str(file))
    pub.execute("update mart.capaian_iku set realisasi = 80, capaian = 93.2 "
                "where tahun = 2025 and bulan = 3 and kode_iku = 'IKU4.1'")
    pub.execute("insert into mart.capaian_iku by name select * replace (2024 as tahun, round(capaian, 2) as capaian, "
                "realisasi - 1 as realisasi) from mart.capaian_iku where tahun = 2025 and bulan = 6")
    pub.close()
    con = connect(paths.db)
    try:
        load_reference(con)
        periods = [(SATKER, 2025, 6)]
        run_models(con, periods, published=read_published(paths, "test", "capaian_iku", COMPARED_COLUMNS,
                                                           compared_quarters(periods)))
        names = [c.strip() for c in COLUMNS.split(",")]
        rows = {r[0]: dict(zip(names, r)) for r in con.execute(
            f"select {COLUMNS} from mart_perbandingan_triwulan").fetchall()}
    finally:
        con.close()
    row = rows["IKU4.1"]
    assert (row["realisasi_triwulan_lalu"], row["capaian_triwulan_lalu"]) == (80, 93.2)
    assert row["arah_triwulan_lalu"] == _direction(june_capaian, 93.2) == "naik"
    assert row["capaian_tahun_lalu"] == round(june_capaian, 2) != june_capaian
    assert row["realisasi_tahun_lalu"] == row["realisasi"] - 1
    assert {r["arah_tahun_lalu"] for r in rows.values()} == {"tetap", None}


def test_before_anything_is_published_a_quarter_has_no_comparison(tmp_path):
    warehouse = tmp_path / "wh"
    assert run(DEMO_INBOX, warehouse, 2025, 6, run_id="june-only").exit_code == 0
    rows = _rows(warehouse, 6)
    assert len(rows) == 24
    assert all(r["capaian_triwulan_lalu"] is None and r["arah_triwulan_lalu"] is None for r in rows.values())
    assert not any(r["triwulan_lalu_terbit"] or r["tahun_lalu_terbit"] for r in rows.values())


def test_a_crashed_writers_edits_to_march_are_not_what_june_is_compared_with(quarters, tmp_path):
    """A program opened the published file for writing, changed March and crashed: its log is set aside (it was
    never published), and June is compared with March as published."""
    warehouse = tmp_path / "wh"
    shutil.copytree(quarters, warehouse)
    [(march,)] = published(warehouse, "select capaian from mart.capaian_iku where bulan = 3 and kode_iku = 'IKU1.1'")
    script = ("import duckdb, os, sys\n"
              "con = duckdb.connect(sys.argv[1], config={'checkpoint_threshold': '1TB'})\n"
              "con.execute('pragma disable_checkpoint_on_shutdown')\n"
              "con.execute(\"update mart.capaian_iku set capaian = 1, realisasi = 1 where bulan = 3\")\n"
              "os._exit(0)\n")
    crashed = subprocess.run([sys.executable, "-c", script, str(WarehousePaths(warehouse).published)],
                             capture_output=True, text=True, timeout=60)
    assert crashed.returncode == 0, crashed.stderr
    assert run(DEMO_INBOX, warehouse, 2025, 6, run_id="after-crash").exit_code == 0
    assert _rows(warehouse, 6)["IKU1.1"]["capaian_triwulan_lalu"] == march
    assert list((warehouse / "logs").glob("published.duckdb.wal.*"))


def test_a_quarter_end_names_the_program_that_holds_the_published_file(quarters, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(quarters, warehouse)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); sys.stdin.read()", str(WarehousePaths(warehouse).published)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(WarehouseBusy, match="open for writing by another program|dibuka untuk ditulis"):
            run(DEMO_INBOX, warehouse, 2025, 6, run_id="held")
    finally:
        holder.communicate("", timeout=60)
