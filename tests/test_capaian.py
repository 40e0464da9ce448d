"""Formulas of methodology §1–6, through the real readers and SQL models, on small exports made here."""
import datetime as dt

import duckdb
import pytest

from builders import published, run, write_rapk, write_realisasi
from conftest import DEMO_INBOX
from sakip.warehouse.db import load_reference
from sakip.warehouse.models import TRANSFORMS_DIR


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """One warehouse with indicators built for every formula case; periods B03 then B06 computed."""
    base = tmp_path_factory.mktemp("capaian")
    inbox, wh = base / "inbox", base / "wh"
    inbox.mkdir()
    D = dt.date
    indicators = [
        # minimize, the public SAKIP guidance's two cases
        {"kode_iku": "MIN1", "kode_ss": "SS1", "polaritas": "Minimize", "targets": {6: 7}, "target_pk": 7},
        {"kode_iku": "MIN2", "kode_ss": "SS1", "polaritas": "Minimize", "targets": {6: 8}, "target_pk": 8},
        # band edges of the kriteria: exactly 60, 90, 100, 110, just above 110, 90.0035 (shown as 90,00)
        {"kode_iku": "E60", "kode_ss": "SS2", "targets": {6: 100}},
        {"kode_iku": "E90", "kode_ss": "SS2", "targets": {6: 100}},
        {"kode_iku": "E100", "kode_ss": "SS2", "targets": {6: 100}},
        {"kode_iku": "E110", "kode_ss": "SS2", "targets": {6: 100}},
        {"kode_iku": "E11001", "kode_ss": "SS2", "targets": {6: 100}},
        {"kode_iku": "E9000", "kode_ss": "SS2", "targets": {6: 85.83}, "target_pk": 85.83},
        # a realisasi of 0 against a real target is measured
        {"kode_iku": "ZERO", "kode_ss": "SS3", "targets": {6: 50}},
        # not measured: no target this month; no realisasi
        {"kode_iku": "NOTARGET", "kode_ss": "SS3", "targets": {9: 45}},
        {"kode_iku": "NOREAL", "kode_ss": "SS3", "targets": {6: 10}},
        # a target revised mid-year: revision 1 takes effect on 15 April, revision 2 only in July
        {"kode_iku": "REV", "kode_ss": "SS4", "targets": {3: 10, 6: 20}, "revisi": 0, "berlaku": D(2025, 1, 2)},
        {"kode_iku": "REV", "kode_ss": "SS4", "targets": {3: 10, 6: 40}, "revisi": 1, "berlaku": D(2025, 4, 15)},
        {"kode_iku": "REV", "kode_ss": "SS4", "targets": {3: 10, 6: 80}, "revisi": 2, "berlaku": D(2025, 7, 1)},
        # two revisions on the same day: the higher Revisi wins
        {"kode_iku": "TIE", "kode_ss": "SS4", "targets": {6: 50}, "revisi": 3, "berlaku": D(2025, 5, 1)},
        {"kode_iku": "TIE", "kode_ss": "SS4", "targets": {6: 25}, "revisi": 4, "berlaku": D(2025, 5, 1)},
    ]
    write_rapk(inbox / "rapk.csv", indicators)
    write_realisasi(inbox / "realisasi.csv", [
        ("MIN1", 6, 6.5), ("MIN2", 6, 9), ("E60", 6, 60), ("E90", 6, 90), ("E100", 6, 100), ("E110", 6, 110),
        ("E11001", 6, 110.01), ("E9000", 6, 77.25), ("ZERO", 6, 0), ("NOTARGET", 6, 5), ("NOREAL", 6, None),
        ("REV", 3, 10), ("REV", 6, 40), ("TIE", 6, 25),
    ])
    result_march = run(inbox, wh, 2025, 3, run_id="r-march")
    result_june = run(inbox, wh, 2025, 6, run_id="r-june")
    assert result_march.exit_code == 0 and result_june.exit_code == 0, [f.summary() for f in result_june.files]
    return wh


def row(wh, kode_iku, bulan=6):
    cols = "target, realisasi, capaian, nilai_akhir, kriteria, diukur, capaian_tahunan, status_tahunan"
    [r] = published(wh, f"select {cols} from mart.capaian_iku where kode_iku = ? and bulan = ?", [kode_iku, bulan])
    return dict(zip([c.strip() for c in cols.split(",")], r))


def test_minimize_polarity(warehouse):
    assert round(row(warehouse, "MIN1")["capaian"], 2) == 107.14
    assert row(warehouse, "MIN1")["kriteria"] == "Sangat Baik"
    assert round(row(warehouse, "MIN2")["capaian"], 2) == 87.50
    assert row(warehouse, "MIN2")["kriteria"] == "Cukup"


@pytest.mark.parametrize("kode_iku, capaian, kriteria", [
    ("E60", 60.0, "Cukup"),
    ("E90", 90.0, "Cukup"),
    ("E100", 100.0, "Sangat Baik"),
    ("E110", 110.0, "Sangat Baik"),
    ("E11001", 110.01, "Tidak Dapat Disimpulkan"),
    ("E9000", 90.0, "Cukup"),  # 90.0035… is shown as 90,00 and labelled as shown
])
def test_kriteria_band_edges(warehouse, kode_iku, capaian, kriteria):
    r = row(warehouse, kode_iku)
    assert round(r["capaian"], 2) == capaian
    assert r["kriteria"] == kriteria


def test_normalisation_caps_nilai_akhir_at_110(warehouse):
    r = row(warehouse, "E11001")
    assert r["nilai_akhir"] == 110.0 and r["capaian"] > 110


def test_realisasi_zero_is_measured_and_scores_zero(warehouse):
    r = row(warehouse, "ZERO")
    assert (r["capaian"], r["diukur"], r["kriteria"]) == (0.0, True, "Kurang")


@pytest.mark.parametrize("kode_iku", ["NOTARGET", "NOREAL"])
def test_not_measured_indicators_have_null_figures(warehouse, kode_iku):
    r = row(warehouse, kode_iku)
    assert r["diukur"] is False
    assert (r["capaian"], r["nilai_akhir"], r["kriteria"], r["status_tahunan"]) == (None, None, None, None)


def test_a_revised_target_applies_from_its_date_and_earlier_periods_keep_theirs(warehouse):
    march, june = row(warehouse, "REV", 3), row(warehouse, "REV", 6)
    assert (march["target"], march["capaian"]) == (10.0, 100.0)
    assert (june["target"], june["capaian"]) == (40.0, 100.0)  # revision 1, not 0 (20) nor 2 (80, July)


def test_same_day_revisions_the_higher_revisi_wins(warehouse):
    assert row(warehouse, "TIE")["target"] == 25.0


def test_yearly_comparison_uses_the_pk_target_and_its_status_bands(warehouse):
    r = row(warehouse, "E60")  # 60 against PK 100
    assert (r["capaian_tahunan"], r["status_tahunan"]) == (60.0, "Akan Tercapai")
    r = row(warehouse, "MIN1")
    assert r["status_tahunan"] == "Tercapai"
    r = row(warehouse, "ZERO")
    assert r["status_tahunan"] == "Perlu Upaya Keras"


def test_nps_is_the_mean_of_raw_capaian_and_nko_the_mean_of_nilai_akhir(warehouse):
    rows = published(warehouse, "select kode_iku, kode_ss, capaian, nilai_akhir from mart.capaian_iku "
                                "where bulan = 6 and diukur")
    assert all(r[3] == min(r[2], 110) for r in rows)
    by_ss = {}
    for _, ss, capaian, _ in rows:
        by_ss.setdefault(ss, []).append(capaian)
    nps = dict(published(warehouse, "select kode_ss, nps from mart.nilai_sasaran where bulan = 6"))
    for ss, values in by_ss.items():
        assert nps[ss] == pytest.approx(sum(values) / len(values), rel=1e-12)
    assert nps["SS3"] == 0.0  # ZERO measured, NOTARGET and NOREAL left out
    [(nko, predikat, jumlah_iku, jumlah_diukur)] = published(
        warehouse, "select nko, predikat, jumlah_iku, jumlah_diukur from mart.nko where bulan = 6")
    assert (jumlah_iku, jumlah_diukur) == (13, 11)
    assert nko == pytest.approx(sum(min(capaian, 110) for _, _, capaian, _ in rows) / 11, rel=1e-12)


def test_both_periods_are_published_side_by_side(warehouse):
    assert published(warehouse, "select distinct bulan from mart.capaian_iku order by 1") == [(3,), (6,)]
    # In March only REV (and TIE's revisions are not in effect yet) had a target: the rest are not measured.
    measured_march = published(warehouse, "select kode_iku from mart.capaian_iku where bulan = 3 and diukur")
    assert measured_march == [("REV",)]


# ---- the 2025 profile's bands, as the marts apply them (value rounded to 2 decimals first) ----------------
@pytest.fixture(scope="module")
def profile():
    con = duckdb.connect()
    load_reference(con)
    con.execute((TRANSFORMS_DIR / "macros.sql").read_text())
    def label(skala, x):
        return con.execute("select label, nilai from ref.profil_pita as band where "
                           "band_holds(band, ?, 2025, ?::double)", [skala, x]).fetchall()
    return label


@pytest.mark.parametrize("nko, predikat", [
    (100.01, "Istimewa"), (100.0, "Baik"), (90.0, "Baik"), (89.99, "Butuh Perbaikan"), (70.0, "Butuh Perbaikan"),
    (69.99, "Kurang"), (50.0, "Kurang"), (49.99, "Sangat Kurang"), (105.725, "Istimewa"),
])
def test_predikat_bands(profile, nko, predikat):
    assert profile("predikat", nko) == [(predikat, None)]


@pytest.mark.parametrize("x, status", [(100.0, "Tercapai"), (72.12, "Akan Tercapai"), (60.0, "Akan Tercapai"),
                                       (59.99, "Perlu Upaya Keras"), (52.63, "Perlu Upaya Keras")])
def test_status_tahunan_bands(profile, x, status):
    assert profile("status_tahunan", x) == [(status, None)]


@pytest.mark.parametrize("te, kategori, nilai", [
    (-0.27, "Tidak Efisien", None), (-0.001, "Efisien", 100.0),  # -0.001 is shown as 0,00
    (0.0, "Efisien", 100.0), (0.20, "Efisien", 100.0), (0.21, "Efisien", 95.0), (0.40, "Efisien", 95.0),
    (0.41, "Efisien", 92.0), (0.61, "Efisien", 90.0), (0.81, "Efisien", 88.0), (1.00, "Efisien", 88.0),
    (1.01, "Tidak Efisien", 86.0), (1.21, "Tidak Efisien", 84.0), (1.41, "Tidak Efisien", 80.0),
    (1.61, "Tidak Efisien", 78.0), (1.80, "Tidak Efisien", 78.0), (1.81, "Tidak Efisien", 75.0),
    (3.89, "Tidak Efisien", 75.0),
])
def test_te_bands(profile, te, kategori, nilai):
    assert profile("efisiensi", te) == [(kategori, nilai)]


@pytest.mark.parametrize("skala", ["kriteria", "predikat", "status_tahunan", "efisiensi"])
def test_profile_bands_cover_every_value_exactly_once(skala):
    """No gap and no overlap from -200,00 to 400,00: every displayed value gets exactly one label."""
    con = duckdb.connect()
    load_reference(con)
    con.execute((TRANSFORMS_DIR / "macros.sql").read_text())
    bad = con.execute(
        "select r.h / 100 as x, count(p.label) as n from range(-20000, 40001) as r(h) "
        "left join ref.profil_pita as p on band_holds(p, ?, 2025, r.h / 100) "
        "group by r.h having count(p.label) <> 1 limit 5", [skala]).fetchall()
    assert bad == []


def test_weights_of_indicators_in_the_nps_and_the_nko(tmp_path, monkeypatch):
    """The Settama method weights IKU twice as much as other indicators (methodology §11): with a weight of 2
    for one indicator, the NPS and the NKO are weighted means; with none listed, the equal-weight ones."""
    import shutil

    from builders import published, run, write_rapk, write_realisasi
    from conftest import ROOT

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_rapk(inbox / "rapk.csv", [{"kode_iku": "A", "targets": {6: 100}}, {"kode_iku": "B", "targets": {6: 100}}])
    write_realisasi(inbox / "r.csv", [("A", 6, 80), ("B", 6, 100)])
    run(inbox, tmp_path / "equal", 2025, 6)
    reference = tmp_path / "reference"
    shutil.copytree(ROOT / "sakip" / "reference", reference)
    (reference / "bobot_iku.csv").write_text("tahun,kode_satker,kode_iku,bobot,keterangan\n2025,672849,A,2,IKU\n")
    monkeypatch.setenv("SAKIP_REFERENCE_DIR", str(reference))
    run(inbox, tmp_path / "weighted", 2025, 6)
    query = "select round(nps, 4) from mart.nilai_sasaran"
    assert published(tmp_path / "equal", query) == [(90.0,)]                       # (80 + 100) / 2
    assert published(tmp_path / "weighted", query) == [(round((2 * 80 + 100) / 3, 4),)]
    assert published(tmp_path / "weighted", "select round(nko, 4) from mart.nko") == [(round((2 * 80 + 100) / 3, 4),)]


def test_indicator_rows_of_2021_reports_with_the_bundled_partial_profile(tmp_path):
    """Rows printed in 2021 reports (Balai POM di Pangkalpinang, Laporan Kinerja Interim TW I and TW IV 2021;
    methodology §11) come out with their capaian and kriteria from the bundled 2021 profile. The 2021
    normalisation cap and predikat bands are not known: nilai akhir, NKO and predikat are NULL, with the
    reason, and the rest is computed."""
    from builders import published, run, write_rapk, write_realisasi

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rows = {"A": (80, 63.89), "B": (42, 47.54), "C": (80, 65.91), "D": (60, 55.79)}
    write_rapk(inbox / "rapk.csv", [{"kode_iku": k, "targets": {3: t}} for k, (t, _) in rows.items()], tahun=2021)
    write_realisasi(inbox / "r.csv", [(k, 3, r) for k, (_, r) in rows.items()], tahun=2021)
    result = run(inbox, tmp_path / "wh", 2021, 3)
    assert result.exit_code == 0, [o.findings for o in result.files]
    got = published(tmp_path / "wh", "select kode_iku, round(capaian, 2), kriteria, nilai_akhir, profil_tidak_lengkap "
                                     "from mart.capaian_iku order by kode_iku")
    reason = "profil 2021 belum memuat: batas_normalisasi, standar_efisiensi, toleransi_sipt, efisiensi, predikat, " \
             "status_tahunan"
    assert got == [("A", 79.86, "Cukup", None, reason), ("B", 113.19, "Sangat Baik", None, reason),
                   ("C", 82.39, "Cukup", None, reason), ("D", 92.98, "Baik", None, reason)]
    assert published(tmp_path / "wh", "select nko, predikat, profil_tidak_lengkap from mart.nko") == \
        [(None, None, reason)]
    # and 2025 is complete: nothing said
    run(DEMO_INBOX, tmp_path / "wh25", 2025, 6)
    assert published(tmp_path / "wh25", "select distinct profil_tidak_lengkap from mart.capaian_iku") == [(None,)]
