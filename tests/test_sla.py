"""SLA lateness of lab testing in working days, through the readers and the SQL models (methodology §10)."""
import datetime as dt

import pytest

from builders import published, run, write_sampel

D = dt.date
LAB = "Laboratorium Balai POM di Dumai"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    base = tmp_path_factory.mktemp("sla")
    inbox, wh = base / "inbox", base / "wh"
    inbox.mkdir()
    write_sampel(inbox / "sampel_juni.csv", [
        ("S1", "Pangan Olahan", LAB, D(2025, 6, 16), D(2025, 6, 16), "MS"),      # 0 HK
        ("S2", "Pangan Olahan", LAB, D(2025, 3, 27), D(2025, 4, 8), "MS"),       # 1 HK across Lebaran
        # 12, 13 May off: from Friday 2 May, 27 May is the 15th working day
        ("S3", "Pangan Olahan", LAB, D(2025, 5, 2), D(2025, 5, 27), "TMS"),      # 15 HK: on time
        ("S4", "Pangan Olahan", LAB, D(2025, 5, 2), D(2025, 5, 28), "MS"),       # 16 HK: 1 day late
        ("S5", "Kosmetik", LAB, D(2025, 6, 14), None, None),                     # Saturday, open: 10 HK by 30 Jun
        ("S6", "Kosmetik", LAB, D(2025, 5, 1), None, None),                      # open and past its limit
        ("S7", "Obat", LAB, D(2025, 6, 20), None, None),                         # still in testing on 30 June
    ], akhir=D(2025, 6, 30))
    result = run(inbox, wh, 2025, 6)
    assert result.exit_code == 0, [f.summary() for f in result.files]
    return wh


def sample(wh, kode):
    cols = "tanggal_lhu, hari_kerja, batas_hari_kerja, terlambat_hari_kerja, status"
    [r] = published(wh, f"select {cols} from mart.sla_pengujian where kode_sampel = ? and bulan = 6", [kode])
    return r


@pytest.mark.parametrize("kode, expected", [
    ("S1", (D(2025, 6, 16), 0, 15, 0, "tepat_waktu")),
    ("S2", (D(2025, 4, 8), 1, 15, 0, "tepat_waktu")),
    ("S3", (D(2025, 5, 27), 15, 15, 0, "tepat_waktu")),
    ("S4", (D(2025, 5, 28), 16, 15, 1, "terlambat")),
    ("S5", (None, 10, 15, 0, "dalam_proses")),  # 27 June off
    ("S7", (None, 5, 15, 0, "dalam_proses")),
])
def test_each_sample(warehouse, kode, expected):
    assert sample(warehouse, kode) == expected


def test_an_open_sample_past_its_limit_is_counted_not_dropped(warehouse):
    _, hk, _, late, status = sample(warehouse, "S6")
    assert status == "lewat_batas" and hk == 35 and late == 20


def test_summary_per_commodity_and_lab(warehouse):
    rows = published(warehouse, "select komoditi, jumlah_sampel, tepat_waktu, terlambat, dalam_proses, lewat_batas, "
                                "median_hari_kerja from mart.sla_ringkasan order by komoditi")
    assert rows == [("Kosmetik", 2, 0, 0, 1, 1, None), ("Obat", 1, 0, 0, 1, 0, None),
                    ("Pangan Olahan", 4, 3, 1, 0, 0, 8.0)]


def test_a_later_export_with_the_lhu_updates_the_open_sample(warehouse, tmp_path):
    later = tmp_path / "later"
    later.mkdir()
    write_sampel(later / "sampel_juli.csv", [
        ("S5", "Kosmetik", LAB, D(2025, 6, 14), D(2025, 7, 4), "MS"),
        ("S7", "Obat", LAB, D(2025, 6, 20), D(2025, 7, 10), "MS"),
    ], akhir=D(2025, 7, 31))
    run(later, warehouse, 2025, 7, run_id="july")
    rows = published(warehouse, "select kode_sampel, hari_kerja, status from mart.sla_pengujian where bulan = 7 "
                                "and kode_sampel in ('S5', 'S7') order by 1")
    assert rows == [("S5", 14, "tepat_waktu"), ("S7", 13, "tepat_waktu")]
    # June, as it stood on 30 June, is unchanged
    assert sample(warehouse, "S5") == (None, 10, 15, 0, "dalam_proses")
