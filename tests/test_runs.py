"""How runs treat what they are given (data contract §5): newer exports replace older ones, files seen twice
change nothing, a later inbox recomputes with what was accepted earlier."""
import datetime as dt
import os

import duckdb

from builders import published, run, write_rapk, write_realisasi

D = dt.date


def capaian(wh, kode_iku="A", bulan=6):
    return published(wh, "select realisasi, capaian from mart.capaian_iku where kode_iku = ? and bulan = ?",
                     [kode_iku, bulan])[0]


def test_a_newer_export_of_the_same_month_replaces_the_older(tmp_path):
    inbox, wh = tmp_path / "inbox", tmp_path / "wh"
    inbox.mkdir()
    write_rapk(inbox / "rapk.csv", [{"kode_iku": "A", "targets": {6: 80}}])
    # the newer export (1 July) is written first: its modification time is older, its stated date wins
    write_realisasi(inbox / "realisasi_newer.csv", [("A", 6, 72)], exported=D(2025, 7, 3))
    write_realisasi(inbox / "realisasi_older.csv", [("A", 6, 60)], exported=D(2025, 7, 1))
    run(inbox, wh, 2025, 6)
    assert capaian(wh) == (72.0, 90.0)


def test_without_export_dates_the_later_run_wins_then_the_later_file(tmp_path):
    inbox, wh = tmp_path / "inbox", tmp_path / "wh"
    inbox.mkdir()
    write_rapk(inbox / "rapk.csv", [{"kode_iku": "A", "targets": {6: 80}}])
    first = write_realisasi(inbox / "r1.csv", [("A", 6, 40)])
    second = write_realisasi(inbox / "r2.csv", [("A", 6, 60)])
    os.utime(first, (1_750_000_000, 1_750_000_000))
    os.utime(second, (1_750_000_100, 1_750_000_100))
    run(inbox, wh, 2025, 6, run_id="r1")
    assert capaian(wh) == (60.0, 75.0)
    # a later run brings a correction: it wins over both, although its file is older on disk
    later = tmp_path / "later"
    later.mkdir()
    correction = write_realisasi(later / "r3.csv", [("A", 6, 64)])
    os.utime(correction, (1_700_000_000, 1_700_000_000))
    run(later, wh, 2025, 6, run_id="r2")
    assert capaian(wh) == (64.0, 80.0)


def test_the_same_file_dropped_twice_is_a_no_op(tmp_path):
    inbox, wh = tmp_path / "inbox", tmp_path / "wh"
    inbox.mkdir()
    write_rapk(inbox / "rapk.csv", [{"kode_iku": "A", "targets": {6: 80}}])
    write_realisasi(inbox / "r.csv", [("A", 6, 40)])
    (inbox / "copy of r.csv").write_bytes((inbox / "r.csv").read_bytes())
    first = run(inbox, wh, 2025, 6, run_id="r1")
    assert [f.status for f in first.files].count("duplicate") == 1
    second = run(inbox, wh, 2025, 6, run_id="r2")
    assert {f.status for f in second.files} == {"duplicate"}
    assert published(wh, "select count(*) from audit.files") == [(2,)]
    assert capaian(wh) == (40.0, 50.0)


def test_an_inbox_with_only_a_new_realisasi_recomputes_with_targets_accepted_earlier(tmp_path):
    wh = tmp_path / "wh"
    (tmp_path / "m1").mkdir()
    write_rapk(tmp_path / "m1" / "rapk.csv", [{"kode_iku": "A", "targets": {3: 50, 6: 80}}])
    write_realisasi(tmp_path / "m1" / "r.csv", [("A", 3, 50)])
    run(tmp_path / "m1", wh, 2025, 3, run_id="r1")
    (tmp_path / "m2").mkdir()
    write_realisasi(tmp_path / "m2" / "r.csv", [("A", 3, 50), ("A", 6, 88)], exported=D(2025, 7, 2))
    result = run(tmp_path / "m2", wh, 2025, 6, run_id="r2")
    assert result.exit_code == 0
    realisasi, value = capaian(wh)
    assert (realisasi, round(value, 9)) == (88.0, 110.0)
    # March, published by the first run, stays as it was
    assert capaian(wh, bulan=3) == (50.0, 100.0)


def test_a_period_with_nothing_measured_still_publishes_its_indicators_and_an_empty_nko(tmp_path):
    inbox, wh = tmp_path / "inbox", tmp_path / "wh"
    inbox.mkdir()
    write_rapk(inbox / "rapk.csv", [{"kode_iku": "A", "targets": {12: 80}}, {"kode_iku": "B", "targets": {}}])
    run(inbox, wh, 2025, 2)
    assert published(wh, "select kode_iku, diukur, capaian from mart.capaian_iku order by 1") == \
        [("A", False, None), ("B", False, None)]
    assert published(wh, "select nko, predikat, jumlah_iku, jumlah_diukur from mart.nko") == [(None, None, 2, 0)]


def test_a_units_own_reference_folder_overrides_the_bundled_one(tmp_path, monkeypatch):
    """The centre keeps its own registry: a satker it lists is accepted; files it lacks come from the bundle."""
    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "upt.csv").write_text("kode_satker,nama_satker,jenis_upt,provinsi\n"
                                       "999001,Loka POM Contoh,Loka POM,X\n")
    monkeypatch.setenv("SAKIP_REFERENCE_DIR", str(reference))
    inbox, wh = tmp_path / "inbox", tmp_path / "wh"
    inbox.mkdir()
    write_rapk(inbox / "rapk.csv", [{"kode_iku": "A", "targets": {6: 80}}])
    (inbox / "rapk.csv").write_text((inbox / "rapk.csv").read_text().replace("672849", "999001"))
    result = run(inbox, wh, 2025, 6)
    assert result.exit_code == 0, [f.summary() for f in result.files]
    assert published(wh, "select kode_satker, nama_satker from mart.nko") == [("999001", "Loka POM Contoh")]


def test_a_refused_export_of_an_earlier_month_leaves_later_months_fresh(tmp_path):
    inbox, wh = tmp_path / "inbox", tmp_path / "wh"
    inbox.mkdir()
    write_rapk(inbox / "rapk.csv", [{"kode_iku": "A", "targets": {1: 50, 6: 80}}])
    write_realisasi(inbox / "r_jun.csv", [("A", 6, 72)])
    write_realisasi(inbox / "r_jan.csv", [("A", 1, 40), ("A", 1, 45)])  # refused: January twice
    result = run(inbox, wh, 2025, 6)
    assert result.exit_code == 2 and result.stale == []
    assert capaian(wh) == (72.0, 90.0)
    assert published(wh, "select distinct status from audit.freshness") == [("fresh",)]


def test_on_a_first_run_a_stale_table_still_publishes_what_was_accepted(tmp_path):
    inbox, wh = tmp_path / "inbox", tmp_path / "wh"
    inbox.mkdir()
    write_rapk(inbox / "rapk.csv", [{"kode_iku": "A", "targets": {6: 80}}])
    write_realisasi(inbox / "r.csv", [("A", 6, 72)])
    bad = write_realisasi(inbox / "r_copy.csv", [("A", 6, 72), ("A", 6, 70)])  # refused: duplicate key
    result = run(inbox, wh, 2025, 6)
    assert result.exit_code == 2 and {s[0] for s in result.stale} >= {"capaian_iku", "nko"}
    assert [o.status for o in result.files if o.name == bad.name] == ["refused"]
    assert capaian(wh) == (72.0, 90.0)  # nothing older to keep: the accepted data is published
    assert published(wh, "select distinct status from audit.freshness where tabel = 'capaian_iku'") == [("stale",)]


def test_a_stale_table_keeps_its_per_satker_parquet_file(tmp_path):
    """A table kept at its last good rows keeps them under parquet/ too (in the period's new set)."""
    wh = tmp_path / "wh"
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    write_rapk(first / "rapk.csv", [{"kode_iku": "A", "targets": {6: 80}}])
    write_realisasi(first / "r.csv", [("A", 6, 72)])
    run(first, wh, 2025, 6, run_id="first")
    kept = wh / "parquet" / "2025-06" / "capaian_iku" / "672849.parquet"
    rows = f"select * from read_parquet('{kept}')"
    before = duckdb.sql(rows).fetchall()
    write_realisasi(second / "r.csv", [("A", 6, 60)], exported=dt.date(2025, 7, 2))
    write_realisasi(second / "r_bad.csv", [("A", 6, 72), ("A", 6, 70)])  # refused: duplicate key
    result = run(second, wh, 2025, 6, run_id="second")
    assert result.exit_code == 2 and ("capaian_iku", "672849", 2025, 6) in {s[:4] for s in result.stale}
    assert capaian(wh) == (72.0, 90.0)
    assert duckdb.sql(rows).fetchall() == before and len(before) == 1
    assert duckdb.sql(f"select value from parquet_kv_metadata('{kept}') where key = 'sakip_run'").fetchall() == \
        [(b"second",)]


def test_the_same_refused_content_twice_in_one_inbox_is_recorded_once_with_the_findings_of_both(tmp_path):
    inbox, wh = tmp_path / "inbox", tmp_path / "wh"
    inbox.mkdir()
    write_rapk(inbox / "rapk.csv", [{"kode_iku": "A", "targets": {6: 80}}])
    write_realisasi(inbox / "a_bad.csv", [("A", 6, 72), ("A", 6, 70)])  # refused: duplicate key
    (inbox / "b_bad.csv").write_bytes((inbox / "a_bad.csv").read_bytes())
    result = run(inbox, wh, 2025, 6, run_id="r1")
    assert [o.status for o in result.files if o.name.endswith("_bad.csv")] == ["refused", "refused"]
    assert published(wh, "select nama_file, status from audit.files where status = 'refused'") == \
        [("b_bad.csv", "refused")]
    assert published(wh, "select distinct nama_file from audit.validation_failures order by 1") == \
        [("a_bad.csv",), ("b_bad.csv",)]
    # dropped again in a later run: still one row, now of that run
    run(inbox, wh, 2025, 6, run_id="r2")
    assert published(wh, "select run_id, count(*) from audit.files where status = 'refused' group by 1") == \
        [("r2", 1)]


def test_the_published_audit_tables_are_the_warehouses_after_runs_of_every_kind(tmp_path):
    """Publishing copies only the audit rows of the runs the published file has not seen as they are: after a
    run, a run that refused everything (it publishes nothing), an earlier month, a correction and a repeat,
    every audit row of the warehouse is in the published file, and no other."""
    wh = tmp_path / "wh"
    first, bad, corrected = tmp_path / "first", tmp_path / "bad", tmp_path / "corrected"
    for folder in (first, bad, corrected):
        folder.mkdir()
    write_rapk(first / "rapk.csv", [{"kode_iku": "A", "targets": {5: 80, 6: 80}}])
    write_realisasi(first / "r.csv", [("A", 5, 70), ("A", 6, 72)])
    write_realisasi(bad / "r_bad.csv", [("A", 7, 72), ("A", 7, 70)])  # refused: duplicate key
    write_realisasi(corrected / "r.csv", [("A", 6, 60)], exported=D(2025, 7, 2))
    write_realisasi(corrected / "r_bad.csv", [("A", 6, 72), ("A", 6, 70)])
    run(first, wh, 2025, 6, run_id="june")
    run(bad, wh, 2025, 7, run_id="july-refused")
    run(first, wh, 2025, 5, run_id="may")
    run(corrected, wh, 2025, 6, run_id="june-corrected")
    run(first, wh, 2025, 6, run_id="june-again")
    warehouse = duckdb.connect(str(wh / "warehouse.duckdb"), read_only=True)
    try:
        for table in ("files", "validation_failures", "run_periods", "freshness", "alerts"):
            query = f"select * from audit.{table} order by all"
            assert published(wh, query) == warehouse.execute(query).fetchall(), table
        assert {r[0] for r in published(wh, "select run_id from audit.runs")} == \
            {"june", "july-refused", "may", "june-corrected", "june-again"}
        assert published(wh, "select count(*) from audit.validation_failures where run_id = 'july-refused'")[0][0] > 0
    finally:
        warehouse.close()
