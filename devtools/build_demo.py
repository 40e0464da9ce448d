"""Build sakip's bundled demo exports for Balai POM di Dumai (satker 672849), year 2025, June (B06).

The demo inbox holds the five exports a planner would download for the Triwulan II 2025 report, in the
exact formats of docs/formats.md, and the SIMETRIS realisation of Triwulan I (March, B03) the June report is
compared with. Every figure the report states comes from the transcribed tables in shared/data/dumai-2025
(iku.csv, anggaran_ro.csv); what the report does not state (the March realisations, how an RO splits into
komponen and akun, the monthly RPD, the earlier months of output progress, the per-RO blokir) is filled in
here deterministically, so that rebuilding always gives byte-identical files.

    python -m devtools.build_demo [--source DIR] [--out DIR]

Relative paths are taken from the repository root. Amounts are handled as integer rupiah throughout (no
floats until a cell is written), so every subtotal equals the sum of its leaves exactly.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from devtools.exports import Style, Table, write_table

REPO_ROOT = Path(__file__).resolve().parent.parent

# --- the unit and the export ---------------------------------------------------------------------------------
TAHUN = 2025
KODE_SATKER = "672849"
SATKER_SIMETRIS = "Satuan Kerja : 672849 - Balai POM di Dumai"      # SIMETRIS writes the name in title case
SATKER_SAKTI = "SATKER : 672849 - BALAI POM DI DUMAI"               # SAKTI writes it in capitals
TANGGAL_UNDUH = "Tanggal Unduh : 01/07/2025"                          # SIMETRIS export date
TANGGAL_UNDUH_B03 = "Tanggal Unduh : 01/04/2025"                      # the March realisation's, after Triwulan I
TANGGAL_CETAK = "Tanggal Cetak : 01 Juli 2025"                        # SAKTI export date
# Fixed workbook metadata: xlsxwriter would otherwise stamp the current time and break determinism.
WORKBOOK_CREATED = dt.datetime(2025, 7, 1, 8, 0, 0)

# --- SIMETRIS RAPK -------------------------------------------------------------------------------------------
REVISIONS = [(0, dt.datetime(2025, 1, 2)), (1, dt.datetime(2025, 4, 15))]   # (Revisi, Tanggal Berlaku)
# The report's initial RAPK table lists only B03 for these IKU; their B06 (and B09) targets arrived with the
# April revision. Revision 0 therefore carries B03 and, where iku.csv has one, the year-end B12.
REV0_ONLY_B03_B12 = {"IKU1.5", "IKU2.1", "IKU4.2", "IKU4.3", "IKU4.4"}
RAPK_MONTHS = {"B03": "b03", "B06": "b06", "B09": "b09", "B12": "b12"}

# --- SIMETRIS Realisasi --------------------------------------------------------------------------------------
# IKU without a June realisation: (what the Realisasi cell holds, Keterangan). IKU1.3 is written "-" because
# no KLB sample arrived (the report's 0,00 is wrong: it cannot be counted); the others are simply empty.
NOT_MEASURED_B06 = {
    "IKU1.3": ("-", "Tidak ada sampel KLB Keracunan Pangan hingga triwulan II"),
    "IKU6.1": ("", "Target mulai B09"),
    "IKU8.1": ("", "Diukur pada akhir tahun"),
    "IKU9.1": ("", "Diukur pada akhir tahun"),
    "IKU9.2": ("", "Diukur pada akhir tahun"),
    "IKU9.3": ("", "Diukur pada akhir tahun"),
}
# ILLUSTRATIVE March (B03) realisations: the report prints only June's. kode_iku -> (Realisasi cell, Keterangan).
# Against the B03 targets of RAPK revisi 0 (in effect on 31 March; revisi 1 from 15 April), the capaian rises
# to June for 11 IKU, falls for 4 and stays the same for 3. The SIPT-based IKU stay within 10 points
# (toleransi_sipt) of what sakip derives for March from the demo SIPT exports. The IKU not measured in June are
# not measured in March either. Comments: capaian B03 -> B06, and why.
REALISASI_B03: dict[str, tuple[str, str]] = {
    "IKU1.1": ("88.40", ""),            # 108,80 -> 115,64 up: more samples tested within the SLA by June
    "IKU1.2": ("90.48", ""),            # 120,64 -> 132,35 up: food testing caught up after Lebaran
    "IKU1.3": ("-", "Tidak ada sampel KLB Keracunan Pangan hingga triwulan I"),   # not measured (no KLB)
    "IKU1.4": ("100.00", ""),           # 117,65 -> 110,59 down: all of the few early PIRT samples done
    "IKU1.5": ("62.50", ""),            # 138,89 -> 150,76 up: more recommendations answered
    "IKU1.6": ("100.00", ""),           # 111,11 -> 111,11 same: nothing outstanding in either month
    "IKU1.7": ("100.00", ""),           # 111,11 -> 111,11 same: every inspection followed up on time
    "IKU1.8": ("100.00", ""),           # 107,09 -> 105,01 down: a few follow-ups later in Triwulan II
    "IKU1.9": ("96.97", ""),            # 114,08 -> 116,67 up: one late report in March
    "IKU1.10": ("98.90", ""),           # 112,87 -> 113,81 up
    "IKU2.1": ("0.00", "Pemeriksaan sarana produksi pangan fortifikasi dijadwalkan mulai Mei"),  # 0 -> 100 up
    "IKU3.1": ("8.35", ""),             # 104,38 -> 102,44 down: the target rises from 8 to 9, the nilai less
    "IKU4.1": ("86.20", ""),            # 100,43 -> 103,01 up
    "IKU4.2": ("25.00", "Tahap persiapan dan penetapan sekolah sasaran"),      # 100,00 -> 300,00 up
    "IKU4.3": ("15.00", "Tahap advokasi dan penetapan desa sasaran"),          # 55,56 -> 92,59 up
    "IKU4.4": ("35.00", "Komunitas pasar terbentuk lebih awal dari rencana"),  # 116,67 -> 100,00 down
    "IKU5.1": ("18.00", ""),            # 180,00 -> 219,17 up
    "IKU6.1": ("", "Target mulai B09"),
    "IKU7.1": ("50.00", ""),            # 100,00 -> 100,00 same: one of two analysis reports finished
    "IKU8.1": ("", "Diukur pada akhir tahun"),
    "IKU9.1": ("", "Diukur pada akhir tahun"),
    "IKU9.2": ("", "Diukur pada akhir tahun"),
    "IKU9.3": ("", "Diukur pada akhir tahun"),
    "IKU9.4": ("20.00", "Sebagian rencana aksi RB triwulan I belum terlaksana"),  # 80,00 -> 100,00 up
}

# --- SAKTI budget hierarchy ----------------------------------------------------------------------------------
KEGIATAN = {
    "DR.3165": "Pengawasan Obat dan Makanan di Wilayah Kerja UPT",
    "WA.3166": "Dukungan Manajemen dan Pelaksanaan Tugas Teknis Lainnya",
}
# RO codes by the `no` of anggaran_ro.csv: (Program/Kegiatan, KRO/RO).
RO_CODES = {
    1: ("DR.3165", "QIA.005"), 2: ("DR.3165", "AFA.001"), 3: ("DR.3165", "BDB.001"),
    4: ("DR.3165", "ADB.001"), 5: ("DR.3165", "PBH.001"), 6: ("WA.3166", "CAN.001"),
    7: ("WA.3166", "CAN.002"), 8: ("WA.3166", "CAB.001"), 9: ("DR.3165", "QDB.001"),
    10: ("DR.3165", "PBG.001"), 11: ("DR.3165", "BDB.002"), 12: ("DR.3165", "BDB.003"),
    13: ("DR.3165", "BDB.004"), 14: ("DR.3165", "BDB.005"), 15: ("DR.3165", "QIC.001"),
    16: ("DR.3165", "QIC.002"), 17: ("DR.3165", "QIA.001"), 18: ("DR.3165", "QIA.002"),
    19: ("DR.3165", "QIA.003"), 20: ("DR.3165", "QDC.001"), 21: ("WA.3166", "EBB.951"),
}
SUB_KOMPONEN = ("A", "Tanpa Sub Komponen")
AKUN = {
    "521211": "Belanja Bahan",
    "521213": "Belanja Honor Output Kegiatan",
    "521219": "Belanja Barang Non Operasional Lainnya",
    "522151": "Belanja Jasa Profesi",
    "523121": "Belanja Pemeliharaan Peralatan dan Mesin",
    "524111": "Belanja Perjalanan Dinas Biasa",
    "524113": "Belanja Perjalanan Dinas Dalam Kota",
    "532111": "Belanja Modal Peralatan dan Mesin",
}
# Illustrative split of each RO (1-3 komponen, 1-4 akun lines in all): komponen (code, uraian, weight of the RO
# pagu, [(akun, weight of the komponen pagu)]). Weights are relative; amounts are rounded to whole thousands,
# the remainder going to the largest.
RO_PLAN: dict[int, list[tuple[str, str, int, list[tuple[str, int]]]]] = {
    1: [("051", "Penyusunan Laporan Analisis Kejahatan Obat dan Makanan", 1,
         [("521211", 3), ("524111", 4), ("524113", 3)])],
    2: [("051", "Penerbitan Keputusan dan Sertifikasi Layanan Publik", 1,
         [("521211", 3), ("521213", 2), ("524113", 5)])],
    3: [("051", "Komunikasi, Informasi dan Edukasi Obat dan Makanan", 1, [("521211", 4), ("524113", 6)]),
        ("052", "Peningkatan Kualitas Layanan Publik dan Pengaduan Konsumen", 1,
         [("521211", 5), ("522151", 5)])],
    4: [("051", "Koordinasi Pengawasan Obat dan Makanan dengan Lintas Sektor", 1,
         [("521211", 2), ("521219", 3), ("524111", 3), ("524113", 2)])],
    5: [("051", "Publikasi Keamanan dan Mutu Obat dan Makanan", 1,
         [("521211", 2), ("521219", 5), ("522151", 3)])],
    6: [("051", "Pengadaan Sarana Bidang Kesehatan", 1, [("523121", 2), ("532111", 8)])],
    7: [("051", "Pengadaan Sarana Teknologi Informasi dan Komunikasi", 1, [("532111", 1)])],
    8: [("051", "Pengadaan Prasarana Bidang Kesehatan", 1, [("532111", 1)])],
    9: [("051", "Pemenuhan Standar Good Laboratory Practice", 6,
         [("521211", 5), ("521219", 2), ("522151", 3)]),
        ("052", "Pemeliharaan Peralatan Laboratorium", 4, [("523121", 1)])],
    10: [("051", "Penyidikan Kejahatan Obat dan Makanan", 8, [("522151", 3), ("524111", 4), ("524113", 3)]),
         ("052", "Pengelolaan Barang Bukti", 2, [("521219", 1)])],
    11: [("051", "Intervensi Keamanan Pangan Jajanan Anak Sekolah", 1,
          [("521211", 4), ("521213", 2), ("524113", 4)])],
    12: [("051", "Pembinaan Desa Pangan Aman", 1,
          [("521211", 3), ("521213", 2), ("524111", 2), ("524113", 3)])],
    13: [("051", "Pembinaan Pasar Pangan Aman Berbasis Komunitas", 1,
          [("521211", 4), ("521213", 2), ("524113", 4)])],
    14: [("051", "Pendampingan UMKM Obat dan Makanan", 1, [("524113", 1)])],
    15: [("051", "Sampling Pangan Olahan", 4, [("521211", 5), ("524113", 5)]),
         ("052", "Pengujian Laboratorium Sampel Pangan Olahan", 6, [("521211", 7), ("521219", 3)])],
    16: [("051", "Sampling Obat, Obat Tradisional, Kosmetik dan Suplemen Kesehatan", 4,
          [("521211", 5), ("524113", 5)]),
         ("052", "Pengujian Laboratorium Sampel Obat, Obat Tradisional, Kosmetik dan Suplemen Kesehatan", 6,
          [("521211", 7), ("521219", 3)])],
    17: [("051", "Pemeriksaan Sarana Produksi Obat dan Makanan", 1,
          [("521211", 2), ("524111", 4), ("524113", 4)])],
    18: [("051", "Pemeriksaan Sarana Produksi Pangan Fortifikasi", 1, [("521211", 3), ("524113", 7)])],
    19: [("051", "Pemeriksaan Sarana Distribusi Obat, Obat Tradisional, Kosmetik dan Suplemen Kesehatan", 5,
          [("524111", 4), ("524113", 6)]),
         ("052", "Pemeriksaan Sarana Distribusi Pangan Olahan", 4, [("524113", 1)]),
         ("053", "Pengawasan Iklan dan Penandaan Obat dan Makanan", 1, [("521219", 1)])],
    20: [("051", "Pengadaan Alat Laboratorium Pengujian", 1, [("532111", 1)])],
    21: [("051", "Pemeliharaan Sarana dan Prasarana Perkantoran", 5, [("523121", 1)]),
         ("052", "Pengadaan Peralatan dan Mesin", 3, [("532111", 1)]),
         ("053", "Pengelolaan Layanan Umum dan Perlengkapan", 2, [("521211", 6), ("521219", 4)])],
}
# The budget -> IKU map (iku_anggaran_map.csv) splits RO 3 by komponen, so these two are the report's figures,
# not illustrative: komponen -> (pagu, realisasi s.d. Juni) in rupiah.
FIXED_KOMPONEN = {3: {"051": (13_387_500, 3_756_460), "052": (10_459_500, 4_344_140)}}
# How readily each kind of spending is absorbed by June (relative): travel is spent as it happens, capital
# purchases late in the year. Only shapes the illustrative split of an RO's realisation over its akun.
ABSORPTION = {"521211": Fraction(9, 10), "521213": Fraction(1), "521219": Fraction(9, 10),
              "522151": Fraction(8, 10), "523121": Fraction(1), "524111": Fraction(11, 10),
              "524113": Fraction(12, 10), "532111": Fraction(6, 10)}
# Share of a leaf's realisation s.d. Juni that fell in June itself (Realisasi Periode Ini), cycled over leaves.
JUNE_SHARE = [Fraction(22, 100), Fraction(15, 100), Fraction(0), Fraction(30, 100), Fraction(18, 100),
              Fraction(10, 100)]

# --- SAKTI POK / RPD -----------------------------------------------------------------------------------------
DIPA_PAGU = 15_768_463_000      # report: DIPA Rp 15.768.463.000
DIPA_BLOKIR = 12_080_523_000    # report: blokir (Automatic Adjustment) Rp 12.080.523.000
CAPITAL_ROS = (20, 21)          # laboratory equipment and infrastructure: where the DIPA surplus and blokir sit
RO20_JUMLAH = 4_200_000_000     # illustrative: RO 21 takes the rest of the DIPA
RO20_BLOKIR = 3_900_000_000     # illustrative: RO 21 takes the rest of the blokir
OTHER_BLOKIR_RATE = Fraction(5, 100)   # other lines lose at most 5 % of their pagu, never what is spent
# Relative monthly disbursement plan (RPD): spending rises through the year with the usual December peak;
# capital purchases are planned after procurement, from mid-year.
RPD_PROFILE = [3, 5, 7, 8, 8, 9, 8, 8, 9, 9, 10, 16]
RPD_PROFILE_CAPITAL = [0, 0, 2, 4, 6, 10, 12, 14, 14, 12, 10, 16]

# --- SAKTI Capaian output ------------------------------------------------------------------------------------
# Illustrative (satuan, yearly target volume) of each RO; sample and facility counts follow the report's
# narrative (45 food samples, 136 of 322 drug/cosmetic samples = 42,24 %, 15+1 production and 45+15
# distribution facilities, 3 fortification producers).
OUTPUT_VOLUME = {
    1: ("Laporan", 2), 2: ("Keputusan", 40), 3: ("Kegiatan", 6), 4: ("Laporan", 12), 5: ("Layanan", 12),
    6: ("Unit", 4), 7: ("Unit", 1), 8: ("Unit", 1), 9: ("Laboratorium", 1), 10: ("Perkara", 2),
    11: ("Sekolah", 2), 12: ("Desa", 1), 13: ("Pasar", 1), 14: ("UMKM", 4), 15: ("Sampel", 45),
    16: ("Sampel", 322), 17: ("Sarana", 16), 18: ("Sarana", 3), 19: ("Sarana", 60), 20: ("Unit", 3),
    21: ("Layanan", 1),
}
CAPAIAN_MONTHS = range(1, 7)


# ============================================================================================================
# Small helpers
# ============================================================================================================
def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def dec(text: str) -> Decimal | None:
    """A plain CSV number as an exact Decimal; empty means none."""
    text = text.strip()
    return Decimal(text) if text else None


def cell_number(value: Decimal) -> float | int:
    """What a number cell holds (xlsx stores doubles; 81.25 stays 81.25)."""
    return int(value) if value == value.to_integral_value() else float(value)


def round_half_up(value: Fraction | Decimal, places: int = 0) -> Decimal:
    """Round half away from zero (the contract's display rounding), exactly."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> float:
    """SAKTI's % column: part / whole x 100 rounded to 2 decimals, 0 when there is no pagu."""
    return float(round_half_up(Fraction(part * 100, whole), 2)) if whole else 0.0


def split_by_weights(total: int, weights: list[int], unit: int = 1000) -> list[int]:
    """Split integer `total` by `weights` into multiples of `unit`; the leftover (>= 0) goes to the largest
    weight, so the parts always add up exactly."""
    wsum = sum(weights)
    parts = [(total * w // wsum) // unit * unit for w in weights]
    parts[weights.index(max(weights))] += total - sum(parts)
    return parts


def allocate_capped(total: int, caps: list[int], weights: list[Fraction]) -> list[int]:
    """Split integer `total` in proportion to `weights`, no part above its cap (water-filling: a part that
    would exceed its cap is set to it and the rest is re-shared). Parts are integers adding up exactly."""
    assert 0 <= total <= sum(caps), (total, caps)
    exact: dict[int, Fraction] = {}
    free = [i for i, cap in enumerate(caps) if cap > 0]
    rest = Fraction(total)
    while free:
        wsum = sum(weights[i] for i in free)
        capped = [i for i in free if rest * weights[i] / wsum >= caps[i]]
        if not capped:
            exact.update({i: rest * weights[i] / wsum for i in free})
            break
        for i in capped:
            exact[i] = Fraction(caps[i])
            rest -= caps[i]
            free.remove(i)
    shares = [exact.get(i, Fraction(0)) for i in range(len(caps))]
    # Integerise by largest remainder: a part is only rounded up when it had a fraction, so it stays <= cap.
    parts = [int(s) for s in shares]
    by_fraction = sorted(range(len(caps)), key=lambda i: (-(shares[i] - parts[i]), i))
    for i in by_fraction[: total - sum(parts)]:
        parts[i] += 1
    return parts


# ============================================================================================================
# The budget: leaves (akun lines) with their GLP039 and POK figures
# ============================================================================================================
@dataclass
class Leaf:
    ro_no: int
    kegiatan: str
    kro: str
    komponen: str
    akun: str
    pagu: int = 0                    # GLP039 Pagu Revisi, rupiah
    realisasi: int = 0               # GLP039 Realisasi s.d. Periode (to 30 June), rupiah
    realisasi_juni: int = 0          # GLP039 Realisasi Periode Ini (June), rupiah
    jumlah: int = 0                  # POK Jumlah (DIPA), rupiah
    blokir: int = 0                  # POK Blokir, rupiah
    rpd: list[int] = field(default_factory=list)   # POK Januari..Desember, rupiah

    @property
    def realisasi_lalu(self) -> int:
        return self.realisasi - self.realisasi_juni

    @property
    def sort_key(self) -> tuple[str, str, str, str]:
        # SAKTI lists lines in code order.
        return (self.kegiatan, self.kro, self.komponen, self.akun)


def build_leaves(ro_rows: list[dict[str, str]]) -> list[Leaf]:
    leaves: list[Leaf] = []
    for row in ro_rows:
        no = int(row["no"])
        pagu, realisasi = int(row["pagu"]), int(row["realisasi_sd_juni"])
        ro_leaves = split_ro(no, pagu, realisasi)
        assert sum(x.pagu for x in ro_leaves) == pagu and sum(x.realisasi for x in ro_leaves) == realisasi
        leaves += ro_leaves
    leaves.sort(key=lambda x: x.sort_key)
    for i, leaf in enumerate(leaves):
        leaf.realisasi_juni = int(leaf.realisasi * JUNE_SHARE[i % len(JUNE_SHARE)])
    add_pok(leaves, ro_rows)
    return leaves


def split_ro(no: int, pagu: int, realisasi: int) -> list[Leaf]:
    """Split one RO into komponen and akun leaves whose pagu and realisation add up to the RO's exactly."""
    kegiatan, kro = RO_CODES[no]
    plan = RO_PLAN[no]
    assert 1 <= len(plan) <= 3 and 1 <= sum(len(akun) for *_, akun in plan) <= 4, f"RO {no}: plan too big"
    if pagu == 0:   # an RO without pagu is exported as a single zero line
        komponen, _, _, akun = plan[0]
        return [Leaf(no, kegiatan, kro, komponen, akun[0][0])]
    fixed = FIXED_KOMPONEN.get(no)
    komp_pagu = ([fixed[k][0] for k, *_ in plan] if fixed
                 else split_by_weights(pagu, [w for _, _, w, _ in plan]))
    leaves = []
    for (komponen, _, _, akun), kp in zip(plan, komp_pagu):
        for (code, _), ap in zip(akun, split_by_weights(kp, [w for _, w in akun])):
            leaves.append(Leaf(no, kegiatan, kro, komponen, code, pagu=ap))
    # Realisation: by komponen where the report fixes it, else over the whole RO; never above a leaf's pagu.
    groups = ([[x for x in leaves if x.komponen == k] for k in fixed] if fixed else [leaves])
    totals = [fixed[k][1] for k in fixed] if fixed else [realisasi]
    for group, total in zip(groups, totals):
        weights = [x.pagu * ABSORPTION[x.akun] for x in group]
        for leaf, r in zip(group, allocate_capped(total, [x.pagu for x in group], weights)):
            leaf.realisasi = r
    return leaves


def add_pok(leaves: list[Leaf], ro_rows: list[dict[str, str]]) -> None:
    """POK figures. Jumlah = GLP039 pagu for every line, plus the DIPA surplus over the RO pagu on the capital
    ROs 20 and 21; the blokir sits mostly there too (the report gives only the two totals)."""
    for leaf in leaves:
        leaf.jumlah = leaf.pagu
    others = [x for x in leaves if x.ro_no not in CAPITAL_ROS]
    for leaf in others:   # a little blokir on the rest, never more than what is still unspent
        unspent = leaf.pagu - leaf.realisasi
        leaf.blokir = int(min(leaf.pagu * OTHER_BLOKIR_RATE, unspent)) // 1000 * 1000

    ro_pagu = {int(r["no"]): int(r["pagu"]) for r in ro_rows}
    rest_jumlah = DIPA_PAGU - sum(x.jumlah for x in others)
    rest_blokir = DIPA_BLOKIR - sum(x.blokir for x in others)
    targets = {20: (RO20_JUMLAH, RO20_BLOKIR), 21: (rest_jumlah - RO20_JUMLAH, rest_blokir - RO20_BLOKIR)}
    for no, (jumlah, blokir) in targets.items():
        ro_leaves = [x for x in leaves if x.ro_no == no]
        surplus = jumlah - ro_pagu[no]
        assert surplus >= 0, "every line keeps at least its GLP039 pagu"
        for leaf, extra in zip(ro_leaves, split_by_weights(surplus, [x.pagu or 1 for x in ro_leaves])):
            leaf.jumlah += extra
        # Blokir in whole thousands, in proportion to Jumlah, never blocking what has been spent.
        caps = [(x.jumlah - x.realisasi) // 1000 for x in ro_leaves]
        parts = allocate_capped(blokir // 1000, caps, [Fraction(x.jumlah) for x in ro_leaves])
        for leaf, b in zip(ro_leaves, parts):
            leaf.blokir = b * 1000

    for leaf in leaves:   # the RPD plans exactly what is not blocked
        profile = RPD_PROFILE_CAPITAL if leaf.akun.startswith("53") else RPD_PROFILE
        leaf.rpd = split_by_weights(leaf.jumlah - leaf.blokir, profile)


# ============================================================================================================
# The SAKTI hierarchy: subtotal rows and leaves, in export order
# ============================================================================================================
@dataclass
class HierRow:
    codes: tuple[str, str, str, str, str]   # Program/Kegiatan, KRO/RO, Komponen, Sub Komponen, Akun
    uraian: str
    leaves: list[Leaf]                       # the leaves it totals (itself, for a leaf)


def hierarchy_rows(leaves: list[Leaf], ro_uraian: dict[int, str]) -> list[HierRow]:
    """JUMLAH SELURUHNYA, then per kegiatan: kegiatan row, and per RO: RO row, komponen rows, the sub komponen
    row and the akun leaves. Codes are repeated on every row, as SAKTI does."""
    komp_uraian = {(no, k): u for no, plan in RO_PLAN.items() for k, u, _, _ in plan}
    sub, sub_uraian = SUB_KOMPONEN
    rows = [HierRow(("", "", "", "", ""), "JUMLAH SELURUHNYA", leaves)]
    for keg, keg_leaves in itertools.groupby(leaves, key=lambda x: x.kegiatan):
        keg_leaves = list(keg_leaves)
        rows.append(HierRow((keg, "", "", "", ""), KEGIATAN[keg], keg_leaves))
        for kro, ro_leaves in itertools.groupby(keg_leaves, key=lambda x: x.kro):
            ro_leaves = list(ro_leaves)
            no = ro_leaves[0].ro_no
            rows.append(HierRow((keg, kro, "", "", ""), ro_uraian[no], ro_leaves))
            for komp, komp_leaves in itertools.groupby(ro_leaves, key=lambda x: x.komponen):
                komp_leaves = list(komp_leaves)
                rows.append(HierRow((keg, kro, komp, "", ""), komp_uraian[(no, komp)], komp_leaves))
                rows.append(HierRow((keg, kro, komp, sub, ""), sub_uraian, komp_leaves))
                rows += [HierRow((keg, kro, komp, sub, x.akun), AKUN[x.akun], [x]) for x in komp_leaves]
    return rows


# ============================================================================================================
# The exports, as tables for the shared writer (devtools/exports.py)
# ============================================================================================================
XLSX = Style("xlsx", created=WORKBOOK_CREATED, author="sakip demo")
REALISASI_CSV = Style("csv", ";", "utf-8-sig")       # Indonesian numbers, UTF-8 with BOM as SIMETRIS downloads are

RAPK_HEADER = ["Tahun", "Kode Satker", "Kode SS", "Sasaran Strategis", "Kode IKU", "Indikator Kinerja", "Satuan",
               "Polaritas", "Target PK", *[f"B{m:02d}" for m in range(1, 13)], "Anggaran", "Revisi",
               "Tanggal Berlaku"]
RAPK_KINDS = ["number", *["text"] * 7, *["number"] * 13, "amount", "number", "date"]
REALISASI_HEADER = ["Tahun", "Kode Satker", "Kode IKU", "Bulan", "Realisasi", "Keterangan"]
REALISASI_KINDS = ["number", "text", "text", "text", "dec", "text"]
# SAKTI's two-row header: `Realisasi` over its three sub-columns, every other label merged down both rows.
GLP_HEADER = [["Program/Kegiatan", "KRO/RO", "Komponen", "Sub Komponen", "Akun", "Uraian", "Pagu Revisi",
               "Lock Pagu", "Realisasi", "", "", "%", "Sisa"],
              ["", "", "", "", "", "", "", "", "Periode Lalu", "Periode Ini", "s.d. Periode", "", ""]]
GLP_MERGES = (*((0, c, 1, c) for c in (*range(8), 11, 12)), (0, 8, 0, 10))
GLP_KINDS = ["text"] * 6 + ["amount"] * 5 + ["dec", "amount"]
POK_HEADER = ["Program/Kegiatan", "KRO/RO", "Komponen", "Sub Komponen", "Akun", "Uraian", "Januari", "Februari",
              "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember",
              "Jumlah", "Blokir"]
POK_KINDS = ["text"] * 6 + ["ribu"] * 14
CAPAIAN_HEADER = ["Tahun", "Kode Satker", "Kode RO", "Uraian RO", "Satuan", "Target Volume", "Realisasi Volume",
                  "Progres Capaian (%)", "Bulan"]
CAPAIAN_KINDS = ["number", *["text"] * 4, "number", "number", "dec", "number"]
SAKTI_URAIAN = 5        # SAKTI prints a subtotal row's Uraian and amounts in bold, not its codes


def rapk_targets(row: dict[str, str], revisi: int) -> list[float | int | None]:
    """B01..B12 of one IKU in one revision; an empty target stays an empty cell: not measured that month."""
    targets: list[float | int | None] = [None] * 12
    for month, col in RAPK_MONTHS.items():
        if revisi == 0 and row["kode_iku"] in REV0_ONLY_B03_B12 and month not in ("B03", "B12"):
            continue
        target = dec(row[col])
        if target is not None:
            targets[int(month[1:]) - 1] = cell_number(target)
    return targets


def rapk_table(iku: list[dict[str, str]]) -> Table:
    rows = [[TAHUN, KODE_SATKER, row["kode_ss"], row["sasaran"], row["kode_iku"], row["indikator"], row["satuan"],
             row["polaritas"], cell_number(dec(row["target_pk"])), *rapk_targets(row, revisi),
             int(row["anggaran_rapk"]), revisi, berlaku]
            for revisi, berlaku in REVISIONS for row in iku]
    titles = ["RENCANA AKSI PERJANJIAN KINERJA TAHUN 2025", SATKER_SIMETRIS, TANGGAL_UNDUH]
    return Table("simetris_rapk", "RAPK", titles, [RAPK_HEADER], RAPK_KINDS, rows,
                 widths={**dict.fromkeys(range(3), 10), 3: 45, 5: 55, 21: 16, 23: 14})


def realisasi_table(iku: list[dict[str, str]]) -> Table:
    """June (B06), from iku.csv. SIMETRIS writes a realisation with two decimals ('100,00'), as iku.csv has them."""
    empty = {row["kode_iku"] for row in iku if not row["realisasi_b06"].strip()}
    assert empty == set(NOT_MEASURED_B06), f"iku.csv's unmeasured IKU changed: {sorted(empty)}"
    rows = []
    for row in iku:
        value = dec(row["realisasi_b06"])
        cell, keterangan = (cell_number(value), "") if value is not None else NOT_MEASURED_B06[row["kode_iku"]]
        rows.append([TAHUN, KODE_SATKER, row["kode_iku"], "B06", cell, keterangan])
    titles = ["REALISASI KINERJA TAHUN 2025", SATKER_SIMETRIS, TANGGAL_UNDUH]
    return Table("simetris_realisasi", "Realisasi", titles, [REALISASI_HEADER], REALISASI_KINDS, rows)


def realisasi_b03_table(iku: list[dict[str, str]]) -> Table:
    """March (B03), illustrative (REALISASI_B03), in the order and format of the June file."""
    assert list(REALISASI_B03) == [row["kode_iku"] for row in iku], "REALISASI_B03 must list iku.csv's IKU"
    rows = []
    for row in iku:
        kode = row["kode_iku"]
        text, keterangan = REALISASI_B03[kode]
        if kode in NOT_MEASURED_B06:   # not measured in June: not in March either, written the same way
            assert text == NOT_MEASURED_B06[kode][0], kode
            cell = text
        else:   # a percentage stays within 0-100; a nilai, indeks or bobot tahapan does not exceed June's
            value, june = dec(text), dec(row["realisasi_b06"])
            assert value is not None and 0 <= value and (value <= 100 if row["satuan"] == "%" else value <= june), kode
            cell = cell_number(value)
        rows.append([TAHUN, KODE_SATKER, kode, "B03", cell, keterangan])
    titles = ["REALISASI KINERJA TAHUN 2025", SATKER_SIMETRIS, TANGGAL_UNDUH_B03]
    return Table("simetris_realisasi", "Realisasi", titles, [REALISASI_HEADER], REALISASI_KINDS, rows)


def glp039_table(rows: list[HierRow]) -> Table:
    lines = []
    for row in rows:
        pagu = sum(x.pagu for x in row.leaves)
        lalu = sum(x.realisasi_lalu for x in row.leaves)
        ini = sum(x.realisasi_juni for x in row.leaves)
        sd = sum(x.realisasi for x in row.leaves)
        lines.append([*row.codes, row.uraian, pagu, 0, lalu, ini, sd, percent(sd, pagu), pagu - sd])
    titles = ["LAPORAN FA DETAIL (16 SEGMEN)", "KEMENTERIAN NEGARA/LEMBAGA : 063 - BADAN PENGAWAS OBAT DAN MAKANAN",
              SATKER_SAKTI, "PERIODE : JANUARI s.d. JUNI 2025", TANGGAL_CETAK]
    # SAKTI's sheet name, trailing space included
    return Table("sakti_realisasi", "Laporan Fa Detail ", titles, GLP_HEADER, GLP_KINDS, lines,
                 bold=subtotals(rows), bold_from=SAKTI_URAIAN, merges=GLP_MERGES,
                 widths={**dict.fromkeys(range(5), 12), 5: 60, **dict.fromkeys(range(6, 13), 16)})


def pok_table(rows: list[HierRow]) -> Table:
    """UC_ANG_6.4: every amount in thousands of rupiah (Rp 13.387.500 is 13387.5)."""
    lines = []
    for row in rows:
        rpd = [sum(x.rpd[m] for x in row.leaves) for m in range(12)]
        jumlah = sum(x.jumlah for x in row.leaves)
        blokir = sum(x.blokir for x in row.leaves)
        # Rupiah amounts here are multiples of Rp 500, so /1000 is exact in a double.
        lines.append([*row.codes, row.uraian, *[v / 1000 for v in (*rpd, jumlah, blokir)]])
    titles = [SATKER_SAKTI, f"TAHUN ANGGARAN : {TAHUN}", TANGGAL_CETAK]
    return Table("sakti_pok", "UC_ANG_6.4", titles, [POK_HEADER], POK_KINDS, lines,
                 bold=subtotals(rows), bold_from=SAKTI_URAIAN,
                 widths={**dict.fromkeys(range(5), 12), 5: 60, **dict.fromkeys(range(6, 20), 13)})


def subtotals(rows: list[HierRow]) -> list[bool]:
    """Which rows are subtotals (every row but the akun lines): SAKTI prints them in bold."""
    return [not row.codes[4] for row in rows]


def capaian_table(ro_rows: list[dict[str, str]]) -> Table:
    rows = []
    ros = sorted((RO_CODES[int(x["no"])], x) for x in ro_rows if int(x["pagu"]) > 0)   # code order
    for (kegiatan, kro), ro in ros:
        satuan, target = OUTPUT_VOLUME[int(ro["no"])]
        progress = output_progress(dec(ro["persen_capaian_output"]))
        cumulative_before = 0
        for month in CAPAIAN_MONTHS:
            p = progress[month]
            # Volume consistent with the reported cumulative progress (none reported: nothing delivered yet).
            cumulative = int(round_half_up(target * p / 100)) if p is not None else 0
            rows.append([TAHUN, KODE_SATKER, f"{kegiatan}.{kro}", ro["uraian"], satuan, target,
                         cumulative - cumulative_before, cell_number(p) if p is not None else None, month])
            cumulative_before = cumulative
    return Table("sakti_capaian_output", "Capaian Output", ["CAPAIAN OUTPUT", SATKER_SAKTI, TANGGAL_CETAK],
                 [CAPAIAN_HEADER], CAPAIAN_KINDS, rows,
                 widths={**dict.fromkeys(range(3), 16), 3: 60, **dict.fromkeys(range(4, 9), 14)})


def output_progress(june: Decimal | None) -> dict[int, Decimal | None]:
    """Cumulative progress by month: June is the report's figure, earlier months rise linearly to it
    (non-decreasing by construction). No June figure: not reported in any month."""
    last = max(CAPAIAN_MONTHS)
    if june is None:
        return {m: None for m in CAPAIAN_MONTHS}
    return {m: june if m == last else round_half_up(june * m / last, 2) for m in CAPAIAN_MONTHS}


# ============================================================================================================
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="../shared/data/dumai-2025",
                        help="folder with iku.csv and anggaran_ro.csv (relative to the repository root)")
    parser.add_argument("--out", default="sakip/demo/inbox", help="inbox folder to write (relative to the repo root)")
    args = parser.parse_args()
    source, out = REPO_ROOT / args.source, REPO_ROOT / args.out
    out.mkdir(parents=True, exist_ok=True)

    iku = read_csv(source / "iku.csv")
    ro_rows = read_csv(source / "anggaran_ro.csv")
    leaves = build_leaves(ro_rows)
    rows = hierarchy_rows(leaves, {int(x["no"]): x["uraian"] for x in ro_rows})

    write_table(out / "RAPK_672849_2025.xlsx", rapk_table(iku), XLSX)
    write_table(out / "Realisasi_Kinerja_672849_2025_B03.csv", realisasi_b03_table(iku), REALISASI_CSV)
    write_table(out / "Realisasi_Kinerja_672849_2025_B06.csv", realisasi_table(iku), REALISASI_CSV)
    write_table(out / "GLP039_672849_JUNI_2025.xlsx", glp039_table(rows), XLSX)
    write_table(out / "POK_RPD_672849_2025.xlsx", pok_table(rows), XLSX)
    write_table(out / "Capaian_Output_RO_672849_2025.xlsx", capaian_table(ro_rows), XLSX)
    print(f"wrote 6 demo exports to {out}")


if __name__ == "__main__":
    main()
