"""The acceptance test of the foundation: `sakip demo` (a real Prefect flow against a real Prefect server) on
the bundled Dumai exports reproduces the figures of the Laporan Kinerja Triwulan II 2025, at the report's
2-decimal display precision. Expected values are the report's (tables 3.1, 3.3 and the efficiency table),
except where methodology.md and the data README say the report is wrong. The demo runs March (2025-03) and then
June (2025-06) on one warehouse; March's realisations are the demo's illustrative ones (sakip/demo/README.md)."""
from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pytest

from builders import published
from contract import contract_problems


def shown(x):
    """As the report displays a figure: 2 decimals, half away from zero."""
    return None if x is None else float(Decimal(repr(x)).quantize(Decimal("0.01"), ROUND_HALF_UP))


TDD, SB, B = "Tidak Dapat Disimpulkan", "Sangat Baik", "Baik"
TABLE_3_1 = {  # kode_iku: (capaian, nilai akhir, kriteria); None: not measured
    "IKU1.1": (115.64, 110.00, TDD), "IKU1.2": (132.35, 110.00, TDD), "IKU1.3": None,
    "IKU1.4": (110.59, 110.00, TDD), "IKU1.5": (150.76, 110.00, TDD), "IKU1.6": (111.11, 110.00, TDD),
    "IKU1.7": (111.11, 110.00, TDD), "IKU1.8": (105.01, 105.01, SB), "IKU1.9": (116.67, 110.00, TDD),
    "IKU1.10": (113.81, 110.00, TDD), "IKU2.1": (100.00, 100.00, SB), "IKU3.1": (102.44, 102.44, SB),
    "IKU4.1": (103.01, 103.01, SB), "IKU4.2": (300.00, 110.00, TDD), "IKU4.3": (92.59, 92.59, B),
    "IKU4.4": (100.00, 100.00, SB), "IKU5.1": (219.17, 110.00, TDD), "IKU6.1": None,
    "IKU7.1": (100.00, 100.00, SB), "IKU8.1": None, "IKU9.1": None, "IKU9.2": None, "IKU9.3": None,
    "IKU9.4": (100.00, 100.00, SB),
}
TABLE_3_3 = {  # kode_ro: % realisasi anggaran (None: pagu 0, shown "-")
    "DR.3165.QIA.005": 94.35, "DR.3165.AFA.001": 52.38, "DR.3165.BDB.001": 33.97, "DR.3165.ADB.001": 97.62,
    "DR.3165.PBH.001": 51.56, "WA.3166.CAN.001": 71.43, "WA.3166.CAN.002": None, "WA.3166.CAB.001": None,
    "DR.3165.QDB.001": 21.13, "DR.3165.PBG.001": 24.63, "DR.3165.BDB.002": 68.48, "DR.3165.BDB.003": 9.43,
    "DR.3165.BDB.004": 35.37, "DR.3165.BDB.005": 100.00, "DR.3165.QIC.001": 20.65, "DR.3165.QIC.002": 28.53,
    "DR.3165.QIA.001": 20.43, "DR.3165.QIA.002": 42.73, "DR.3165.QIA.003": 25.57, "DR.3165.QDC.001": 0.00,
    "WA.3166.EBB.951": 52.81,
}
EFISIENSI = {  # kode_ro: (IE, TE, kategori); None: "-"
    "DR.3165.QIA.005": (1.06, 0.06, "Efisien"), "DR.3165.AFA.001": (1.91, 0.91, "Efisien"),
    "DR.3165.BDB.001": (2.94, 1.94, "Tidak Efisien"), "DR.3165.ADB.001": (1.02, 0.02, "Efisien"),
    "DR.3165.PBH.001": (1.94, 0.94, "Efisien"), "WA.3166.CAN.001": (1.05, 0.05, "Efisien"),
    "WA.3166.CAN.002": None, "WA.3166.CAB.001": None, "DR.3165.QDB.001": (4.73, 3.73, "Tidak Efisien"),
    "DR.3165.PBG.001": None, "DR.3165.BDB.002": (0.73, -0.27, "Tidak Efisien"), "DR.3165.BDB.003": None,
    "DR.3165.BDB.004": None, "DR.3165.BDB.005": None, "DR.3165.QIC.001": (4.84, 3.84, "Tidak Efisien"),
    "DR.3165.QIC.002": (1.48, 0.48, "Efisien"), "DR.3165.QIA.001": (4.89, 3.89, "Tidak Efisien"),
    "DR.3165.QIA.002": (2.34, 1.34, "Tidak Efisien"), "DR.3165.QIA.003": (3.91, 2.91, "Tidak Efisien"),
    # The report labels Alat Laboratorium "Efisien" with no spending and no IE: not assessable (data README).
    "DR.3165.QDC.001": None,
    "WA.3166.EBB.951": (1.89, 0.89, "Efisien"),
}
KINERJA_ANGGARAN = {  # kelompok: (pagu, realisasi, %) of the report's "kinerja vs anggaran" table
    "K01": (145716000, 41570390, 28.53), "K02": (123811000, 25572730, 20.65), "K03": (315395000, 76242920, 24.17),
    "K04": (8470000, 3619500, 42.73), "K05": (502763000, 25143820, 5.00), "K06": (31378500, 13032419, 41.53),
    "K07": (38442000, 26324600, 68.48), "K08": (91074000, 8591400, 9.43), "K09": (36606000, 12946500, 35.37),
    "K10": (680000, 680000, 100.00), "K11": (107821000, 26554000, 24.63), "K12": (8940000, 8434815, 94.35),
    "K13": (21203500, 9972140, 47.03), "K14": (15592750, 15221513, 97.62), "K15": (2403756750, 1277443111, 53.14),
    "K16": (15592750, 15221513, 97.62), "K17": (15592750, 15221513, 97.62),
}


DEMO_FILES = 9      # sakip/demo/inbox: the June exports and the March (B03) SIMETRIS Realisasi


@pytest.fixture(scope="module")
def demo(sakip, tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("demo") / "wh"
    result = sakip("demo", "--warehouse", str(warehouse))
    return warehouse, result


def summaries(stdout: str) -> tuple[str, str]:
    """The demo's two run summaries, March's and June's, in the order they ran."""
    assert stdout.startswith("sakip: periode 2025-03, run ") and stdout.count("sakip: periode ") == 2, stdout
    june = stdout.index("sakip: periode 2025-06, run ")
    return stdout[:june], stdout[june:]


def test_demo_exits_0_and_prints_a_readable_summary(demo):
    _, result = demo
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    march, june = summaries(result.stdout)
    # March accepts every file of the inbox; June finds them all accepted already
    assert f"berkas: {DEMO_FILES} diterima, 0 sudah pernah diterima, 0 ditolak" in march
    assert f"berkas: 0 diterima, {DEMO_FILES} sudah pernah diterima, 0 ditolak" in june
    assert "672849 Balai POM di Dumai: NKO 97,01% Baik (18 dari 24 indikator diukur)" in march
    assert "672849 Balai POM di Dumai: NKO 105,73% Istimewa (18 dari 24 indikator diukur)" in june
    assert "Rp 1.601.792.883 dari Rp 3.882.835.000 = 41,25% dari pagu RO" in june
    # the demo's SAKTI exports are June's: March has no budget, and says so; June lacks nothing
    assert ("belum ada data untuk periode ini: SAKTI Realisasi Anggaran (GLP039), SAKTI Capaian Output (RO)"
            in march)
    assert "belum ada data" not in june
    assert result.stdout.rstrip().splitlines()[-1].endswith("kode keluar 0")


def test_published_file_meets_the_contract(demo):
    warehouse, _ = demo
    assert contract_problems(warehouse / "published.duckdb") == []


def test_table_3_1_every_indicator(demo):
    warehouse, _ = demo
    rows = published(warehouse, "select kode_iku, capaian, nilai_akhir, kriteria, diukur from mart.capaian_iku "
                                "where kode_satker = '672849' and tahun = 2025 and bulan = 6")
    got = {k: (shown(c), shown(n), kr) if d else None for k, c, n, kr, d in rows}
    assert got == TABLE_3_1


def test_kriteria_counts(demo):
    warehouse, _ = demo
    counts = dict(published(warehouse, "select coalesce(kriteria, '-'), count(*) from mart.capaian_iku "
                                       "where bulan = 6 group by 1"))
    assert counts == {TDD: 10, SB: 7, B: 1, "-": 6}


def test_nps_and_nko(demo):
    warehouse, _ = demo
    nps = {k: shown(v) for k, v in published(warehouse, "select kode_ss, nps from mart.nilai_sasaran where bulan = 6")}
    assert (nps["SS1"], nps["SS4"], nps["SS5"]) == (118.56, 148.90, 219.17)
    [(nko, predikat, jumlah_iku, jumlah_diukur, total)] = published(
        warehouse, "select nko, predikat, jumlah_iku, jumlah_diukur, total_nilai_akhir from mart.nko where bulan = 6")
    assert (shown(nko), predikat, jumlah_iku, jumlah_diukur, shown(total)) == (105.73, "Istimewa", 24, 18, 1903.05)


def test_yearly_status_as_the_report_states_it(demo):
    warehouse, _ = demo
    rows = dict(published(warehouse, "select kode_iku, shown from (select kode_iku, "
                                     "round(capaian_tahunan, 2) || ' ' || status_tahunan as shown "
                                     "from mart.capaian_iku where bulan = 6)"))
    assert rows["IKU1.5"] == "72.12 Akan Tercapai"
    assert rows["IKU5.1"] == "72.25 Akan Tercapai"
    assert rows["IKU2.1"] == "50.0 Perlu Upaya Keras"
    assert rows["IKU1.1"] == "115.64 Tercapai"
    # no yearly comparison for Sekolah / Desa / Pasar, and none for what is not measured
    assert rows["IKU4.2"] is None and rows["IKU4.4"] is None and rows["IKU9.1"] is None


def test_table_3_3_budget_per_ro_and_for_the_unit(demo):
    warehouse, _ = demo
    rows = published(warehouse, "select kode_ro, persen_realisasi from mart.realisasi_anggaran where bulan = 6")
    assert {k: shown(v) for k, v in rows} == TABLE_3_3
    [(pagu_ro, realisasi, persen, dipa, blokir, persen_dipa, persen_netto)] = published(
        warehouse, "select pagu_ro, realisasi, persen_terhadap_pagu_ro, pagu_dipa, blokir, persen_terhadap_dipa, "
                   "persen_terhadap_dipa_netto from mart.anggaran_satker where bulan = 6")
    assert (pagu_ro, realisasi, shown(persen)) == (3882835000, 1601792883, 41.25)
    assert (dipa, blokir) == (15768463000, 12080523000)
    assert (shown(persen_dipa), shown(persen_netto)) == (10.16, 43.43)


def test_efficiency_table(demo):
    warehouse, _ = demo
    rows = published(warehouse, "select kode_ro, ie, te, kategori from mart.efisiensi where bulan = 6")
    got = {k: (shown(ie), shown(te), kat) if ie is not None else None for k, ie, te, kat in rows}
    assert got == EFISIENSI


def test_budget_to_iku_groups(demo):
    warehouse, _ = demo
    rows = published(warehouse, "select distinct kelompok, pagu, realisasi_anggaran, persen_realisasi_anggaran "
                                "from mart.kinerja_anggaran where bulan = 6")
    got = {k: (int(Decimal(p).quantize(1, ROUND_HALF_UP)), int(Decimal(r).quantize(1, ROUND_HALF_UP)), shown(pr))
           for k, p, r, pr in rows}
    assert got == KINERJA_ANGGARAN


def test_parquet_copies_hold_the_same_rows(demo):
    warehouse, _ = demo
    con = duckdb.connect()
    for period, bulan in (("2025-03", 3), ("2025-06", 6)):
        for table in ("capaian_iku", "efisiensi", "nko"):
            path = warehouse / "parquet" / period / table / "672849.parquet"
            columns = "* exclude (urutan)" if table != "nko" else "*"
            from_parquet = con.execute(f"select {columns} from read_parquet('{path}') order by all").fetchall()
            from_duckdb = published(warehouse, f"select {columns} from mart.{table} where bulan = ? order by all",
                                    [bulan])
            assert from_parquet == from_duckdb, (period, table)
            # March has no budget (the demo's SAKTI exports are June's), so no efficiency rows
            assert bool(from_duckdb) == (table != "efisiensi" or bulan == 6), (period, table)


def test_every_input_file_is_archived_with_its_checksum(demo):
    warehouse, _ = demo
    files = published(warehouse, "select sha256, nama_file, files.status, arsip, periode from audit.files "
                                 "join audit.runs using (run_id)")
    # each once, by the run that accepted it: March's (June's found them accepted already)
    assert len(files) == DEMO_FILES and {(f[2], f[4]) for f in files} == {("accepted", "2025-03")}
    assert "Realisasi_Kinerja_672849_2025_B03.csv" in {f[1] for f in files}
    for sha, _name, _, arsip, _ in files:
        assert hashlib.sha256((warehouse / arsip).read_bytes()).hexdigest() == sha


def test_running_again_is_a_no_op_with_identical_tables(demo, sakip):
    warehouse, _ = demo
    before = {t: published(warehouse, f"select * from mart.{t} order by all")
              for t in ("capaian_iku", "nko", "realisasi_anggaran", "efisiensi", "kinerja_anggaran",
                        "sla_pengujian", "ketepatan_waktu")}
    again = sakip("demo", "--warehouse", str(warehouse))
    assert again.returncode == 0, again.stdout + again.stderr
    march, june = summaries(again.stdout)
    for summary in (march, june):
        assert f"berkas: 0 diterima, {DEMO_FILES} sudah pernah diterima, 0 ditolak" in summary
    assert "SHA-256" not in again.stdout  # counted, not listed one by one
    assert "NKO 97,01% Baik" in march and "NKO 105,73% Istimewa" in june
    after = {t: published(warehouse, f"select * from mart.{t} order by all") for t in before}
    assert after == before


# March (B03): the illustrative realisations of Realisasi_Kinerja_672849_2025_B03.csv (devtools/build_demo.py,
# REALISASI_B03) against the B03 targets of RAPK revisi 0, in effect on 31 March (revisi 1 from 15 April):
# kode_iku: (target, realisasi, capaian)
MARET = {
    "IKU1.1": (81.25, 88.40, 108.80), "IKU1.2": (75.00, 90.48, 120.64), "IKU1.4": (85.00, 100.00, 117.65),
    "IKU1.5": (45.00, 62.50, 138.89), "IKU1.6": (90.00, 100.00, 111.11), "IKU1.7": (90.00, 100.00, 111.11),
    "IKU1.8": (93.38, 100.00, 107.09), "IKU1.9": (85.00, 96.97, 114.08), "IKU1.10": (87.62, 98.90, 112.87),
    "IKU2.1": (10.00, 0.00, 0.00), "IKU3.1": (8.00, 8.35, 104.38), "IKU4.1": (85.83, 86.20, 100.43),
    "IKU4.2": (25.00, 25.00, 100.00), "IKU4.3": (27.00, 15.00, 55.56), "IKU4.4": (30.00, 35.00, 116.67),
    "IKU5.1": (10.00, 18.00, 180.00), "IKU7.1": (50.00, 50.00, 100.00), "IKU9.4": (25.00, 20.00, 80.00),
}


def test_march_is_published_from_its_own_export_against_revisi_0(demo):
    warehouse, _ = demo
    rows = published(warehouse, "select kode_iku, target, realisasi, capaian, diukur, revisi_target "
                                "from mart.capaian_iku where bulan = 3")
    assert len(rows) == 24 and {r[5] for r in rows} == {0}
    got = {k: (shown(t), shown(r), shown(c)) for k, t, r, c, diukur, _ in rows if diukur}
    assert got == MARET
    # not measured in June, nor in March
    assert {k for k, *_, diukur, _ in rows if not diukur} == {k for k, v in TABLE_3_1.items() if v is None}
    [(nko, predikat, jumlah_diukur)] = published(warehouse, "select nko, predikat, jumlah_diukur from mart.nko "
                                                            "where bulan = 3")
    assert (shown(nko), predikat, jumlah_diukur) == (97.01, "Baik", 18)


def test_june_against_march_rises_for_most_falls_for_a_few_and_holds_for_some(demo):
    """The comparison the June report makes: capaian at 2 decimals, March's to June's."""
    moves: dict[str, set[str]] = {"naik": set(), "turun": set(), "tetap": set()}
    for kode, (_, _, march) in MARET.items():
        june = TABLE_3_1[kode][0]
        moves["naik" if june > march else "turun" if june < march else "tetap"].add(kode)
    assert moves["turun"] == {"IKU1.4", "IKU1.8", "IKU3.1", "IKU4.4"}
    assert moves["tetap"] == {"IKU1.6", "IKU1.7", "IKU7.1"}
    assert len(moves["naik"]) == 11
    warehouse, _ = demo
    capaian = {(k, b): shown(c) for k, b, c in published(
        warehouse, "select kode_iku, bulan, capaian from mart.capaian_iku where bulan in (3, 6) and diukur")}
    assert {k for k in MARET if capaian[k, 6] > capaian[k, 3]} == moves["naik"]


# ---- SIPT: the figures the report's narrative states, from the demo's SIPT exports -------------------------
SEDIAAN_FARMASI = ("Obat", "Obat Bahan Alam", "Obat Kuasi", "Suplemen Kesehatan", "Kosmetik")


def test_19_food_samples_tested_in_more_than_15_working_days(demo):
    warehouse, _ = demo
    [(late, total)] = published(
        warehouse, "select count(*) filter (where status in ('terlambat', 'lewat_batas')), count(*) "
                   "from mart.sla_pengujian where bulan = 6 and komoditi = 'Pangan Olahan'")
    assert (late, total) == (19, 45)
    [(summed,)] = published(warehouse, "select sum(terlambat + lewat_batas) from mart.sla_ringkasan "
                                       "where bulan = 6 and komoditi = 'Pangan Olahan'")
    assert summed == 19


def test_samples_still_in_testing_on_30_june_are_counted(demo):
    warehouse, _ = demo
    rows = dict(published(warehouse, "select status, count(*) from mart.sla_pengujian where bulan = 6 group by 1"))
    assert rows.get("dalam_proses", 0) + rows.get("lewat_batas", 0) == 8
    assert rows["lewat_batas"] == 3


def test_samples_per_commodity_group(demo):
    warehouse, _ = demo
    counts = dict(published(warehouse, "select komoditi, jumlah_sampel from mart.sampel_ringkasan where bulan = 6"))
    assert sum(counts.get(k, 0) for k in SEDIAAN_FARMASI) == 136
    assert counts["Pangan Olahan"] == 45
    assert "Pangan KLB" not in counts


def test_inspections_per_group_and_2_late_reports_among_15_food_distribution(demo):
    warehouse, _ = demo
    groups = {k: (n, sarana, tl) for k, n, sarana, tl in published(
        warehouse, "select kelompok, jumlah_pemeriksaan, jumlah_sarana, surat_tl from mart.pemeriksaan_ringkasan "
                   "where bulan = 6")}
    assert groups["Distribusi SF"][0] == 45
    assert groups["Distribusi PO"] == (15, 15, 15)  # each with a follow-up letter
    assert groups["Produksi PO"][0] == 15 and groups["Produksi SF"][0] == 1
    assert groups["Produksi Fortifikasi"][1] == 3
    [(late, total)] = published(
        warehouse, "select count(*) filter (where status in ('terlambat', 'lewat_batas')), count(*) "
                   "from mart.ketepatan_waktu where bulan = 6 and jenis_waktu = 'laporan_pemeriksaan' "
                   "and kelompok = 'Distribusi PO'")
    assert (late, total) == (2, 15)


def test_recommendations_without_feedback(demo):
    warehouse, _ = demo
    rows = {k: tanpa for k, tanpa in published(
        warehouse, "select jenis_penerima, tanpa_feedback from mart.rekomendasi_ringkasan where bulan = 6")}
    assert rows == {"Pelaku Usaha": 5, "Lintas Sektor": 2}


def test_ros_are_listed_in_the_reports_order(demo):
    """The report lists its ROs in the DIPA's order, not by code (as SAKTI's GLP039 does): 1 Laporan Analisis
    Kejahatan, 2 Keputusan/Sertifikasi, 3 Fasilitas dan Pembinaan, … 21 Pengelolaan Sarana dan Prasarana
    (section 3.3 of the report; sakip/reference/urutan_laporan.csv), in the budget and efficiency tables alike."""
    warehouse, _ = demo
    report = ["DR.3165.QIA.005", "DR.3165.AFA.001", "DR.3165.BDB.001", "DR.3165.ADB.001", "DR.3165.PBH.001",
              "WA.3166.CAN.001", "WA.3166.CAN.002", "WA.3166.CAB.001", "DR.3165.QDB.001", "DR.3165.PBG.001"]
    for table in ("realisasi_anggaran", "efisiensi"):
        listed = [r[0] for r in published(warehouse,
                                          f"select kode_ro from mart.{table} where bulan = 6 order by urutan")]
        assert listed[:10] == report and listed[-1] == "WA.3166.EBB.951", table
        assert [r[0] for r in published(warehouse, f"select urutan from mart.{table} where bulan = 6 order by 1")] \
            == list(range(1, 22))


def test_a_sipt_component_with_nothing_to_count_is_not_scored(tmp_path):
    """January of the demo: components with nothing planned or nothing due yet (0 of 0) have no persen, and do
    not make an indicator's realisasi_sipt 100 (DuckDB's least() passes over a NULL: least(NULL, 100) = 100)."""
    from builders import run
    from conftest import DEMO_INBOX

    run(DEMO_INBOX, tmp_path / "wh", 2025, 1)
    empty = published(tmp_path / "wh", "select kode_iku, komponen, pembilang, persen from mart.iku_sipt_komponen "
                                       "where coalesce(penyebut, 0) = 0 order by all")
    assert empty and all(persen is None for *_, persen in empty), empty
    scored = published(tmp_path / "wh", "select k.kode_iku, c.realisasi_sipt from mart.iku_sipt_komponen k "
                                        "join mart.capaian_iku c using (kode_satker, tahun, bulan, kode_iku) "
                                        "group by all having count(k.persen) = 0")
    assert scored and all(realisasi is None for _, realisasi in scored), scored


def test_a_facility_indicator_over_two_groups_has_one_plan_component(tmp_path, monkeypatch):
    """IKU1.6 mapped to two facility groups: its inspections-against-plan component sums both groups (it once
    gave a row per group, which broke the mart's key and published nothing)."""
    import shutil

    from builders import run
    from conftest import DEMO_INBOX, ROOT

    reference = tmp_path / "reference"
    shutil.copytree(ROOT / "sakip" / "reference", reference)
    iku_sipt = reference / "iku_sipt.csv"
    iku_sipt.write_text(iku_sipt.read_text().replace("IKU1.6,sarana,Produksi SF\n",
                                                     "IKU1.6,sarana,Produksi SF;Produksi PO\n"))
    monkeypatch.setenv("SAKIP_REFERENCE_DIR", str(reference))
    run(DEMO_INBOX, tmp_path / "wh", 2025, 6)
    [(pembilang, penyebut)] = published(tmp_path / "wh", "select pembilang, penyebut from mart.iku_sipt_komponen "
                                                         "where kode_iku = 'IKU1.6' and komponen = 'rencana'")
    con = duckdb.connect(str(tmp_path / "wh" / "warehouse.duckdb"), read_only=True)
    try:
        [(planned,)] = con.execute("select sum(target_sarana) from ref.rencana_pemeriksaan where tahun = 2025 and "
                                   "bulan <= 6 and kelompok in ('Produksi SF', 'Produksi PO')").fetchall()
        [(done,)] = con.execute("select count(distinct id_pemeriksaan) from raw.sipt_pemeriksaan where kelompok in "
                                "('Produksi SF', 'Produksi PO') and tanggal_pemeriksaan <= date '2025-06-30'"
                                ).fetchall()
    finally:
        con.close()
    assert planned > 0 and (penyebut, pembilang) == (planned, done)


def test_indicators_computed_from_sipt_beside_the_official_realisasi(demo):
    warehouse, _ = demo
    rows = {k: (r, shown(rs), flag) for k, r, rs, flag in published(
        warehouse, "select kode_iku, realisasi, realisasi_sipt, selisih_sipt from mart.capaian_iku where bulan = 6")}
    assert rows["IKU2.1"] == (30.0, 30.0, False)       # 3 of the 10 fortification producers
    assert rows["IKU1.5"][1] == 68.18                   # 15 of 22 letters with feedback
    assert rows["IKU1.2"][2] is True                    # the early warning: SIPT says less than SIMETRIS
    assert rows["IKU9.1"] == (None, None, None)         # no SIPT source for governance indicators
    # why: the 19 food samples over 15 HK pull IKU1.2's testing component down
    [(pembilang, penyebut)] = published(
        warehouse, "select pembilang, penyebut from mart.iku_sipt_komponen where bulan = 6 and kode_iku = 'IKU1.2' "
                   "and komponen = 'sla_pengujian'")
    assert penyebut - pembilang == 19
