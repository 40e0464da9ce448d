"""Build sakip's demo SIPT exports for Balai POM di Dumai (satker 672849), 1 January - 30 June 2025.

Writes the exports into sakip/demo/inbox/ and the planners' reference CSVs into sakip/reference/:

    SIPT_Sampel_672849_2025_B06.xlsx        sipt_sampel       one row per sample received Jan-Jun
    SIPT_Pemeriksaan_672849_2025_B06.csv    sipt_pemeriksaan  one row per inspection (';', Windows-1252)
    SIPT_Rekomendasi_672849_2025_B06.xlsx   sipt_rekomendasi  one row per letter to a stakeholder
    reference/renlak_sampel.csv             the sampling plan per commodity and month
    reference/rencana_pemeriksaan.csv       the inspection plan per kelompok and month
    reference/sarana_fortifikasi.csv        the number of fortification producers in the region

The records are illustrative, but their counts reproduce the SIPT facts the Laporan Kinerja Triwulan II 2025
states (shared/data/dumai-2025/README.md, last paragraph): 136 Sediaan Farmasi and 45 Pangan Olahan samples,
19 of them food samples tested in more than 15 HK, 45 + 15 distribution and 15 + 1 production facilities
inspected, 3 of 10 fortification producers, 5 + 2 recommendation letters without feedback. Every one of these
counts is asserted before a file is written.

There is no randomness: the "random-looking" choices come from a SHA-256 of a fixed key, and workbook metadata
is fixed, so a rebuild gives byte-identical files.

    python -m devtools.build_demo_sipt [--out sakip/demo/inbox] [--reference sakip/reference]

Working days (HK) follow shared/spec/methodology.md section 10: Monday-Friday minus the 2025 national holidays
and cuti bersama. The calendar is taken from the `holidays` package and checked against the methodology's list.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import holidays

from devtools.exports import Style, Table, write_table

REPO_ROOT = Path(__file__).resolve().parent.parent
D = dt.date

# --- the unit and the export ---------------------------------------------------------------------------------
TAHUN = 2025
KODE_SATKER = "672849"
SATKER_TITLE = "Satuan Kerja : 672849 - Balai POM di Dumai"
PERIODE_TITLE = "Periode : 01/01/2025 s.d. 30/06/2025"
CETAK_TITLE = "Tanggal Cetak : 01/07/2025"
PERIOD_START, PERIOD_END = D(2025, 1, 1), D(2025, 6, 30)
WORKBOOK_CREATED = dt.datetime(2025, 7, 1, 8, 0, 0)   # fixed: xlsxwriter would stamp the current time
KAB_DUMAI, KAB_BENGKALIS, KAB_ROHIL = "Kota Dumai", "Kabupaten Bengkalis", "Kabupaten Rokan Hilir"
KAB_CODE = {KAB_DUMAI: "1473", KAB_BENGKALIS: "1403", KAB_ROHIL: "1407"}   # BPS codes, used in IDs

# --- working days --------------------------------------------------------------------------------------------
# shared/spec/methodology.md section 10, verbatim: libur nasional and cuti bersama 2025 (18 Aug added by decree).
LIBUR_NASIONAL_2025 = [D(2025, 1, 1), D(2025, 1, 27), D(2025, 1, 29), D(2025, 3, 29), D(2025, 3, 31),
                       D(2025, 4, 1), D(2025, 4, 18), D(2025, 4, 20), D(2025, 5, 1), D(2025, 5, 12),
                       D(2025, 5, 29), D(2025, 6, 1), D(2025, 6, 6), D(2025, 6, 27), D(2025, 8, 17),
                       D(2025, 9, 5), D(2025, 12, 25)]
CUTI_BERSAMA_2025 = [D(2025, 1, 28), D(2025, 3, 28), D(2025, 4, 2), D(2025, 4, 3), D(2025, 4, 4),
                     D(2025, 4, 7), D(2025, 5, 13), D(2025, 5, 30), D(2025, 6, 9), D(2025, 8, 18),
                     D(2025, 12, 26)]
SLA_LAB_HK = 15            # lab receipt -> LHU
BATAS_LAPORAN_HK = 5       # inspection -> reported in SIPT (the demo's reporting deadline, see README)


def load_holidays() -> frozenset[dt.date]:
    from_package = set(holidays.country_holidays("ID", years=TAHUN, categories=("public", "government")))
    from_methodology = set(LIBUR_NASIONAL_2025) | set(CUTI_BERSAMA_2025)
    assert from_package == from_methodology, (
        "the holidays package and methodology.md disagree on 2025: "
        f"package only {sorted(from_package - from_methodology)}, "
        f"methodology only {sorted(from_methodology - from_package)}")
    return frozenset(from_methodology)


HOLIDAYS = load_holidays()


def is_hk(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS


def hk_between(start: dt.date, end: dt.date) -> int:
    """Working days from start (day 0) to end: every working day after start, up to and including end."""
    assert end >= start, (start, end)
    return sum(1 for n in range(1, (end - start).days + 1) if is_hk(start + dt.timedelta(days=n)))


def add_hk(start: dt.date, n: int) -> dt.date:
    """The n-th working day after start (start itself when n == 0)."""
    day = start
    while n > 0:
        day += dt.timedelta(days=1)
        if is_hk(day):
            n -= 1
    return day


def next_hk(day: dt.date) -> dt.date:
    """day itself if it is a working day, else the next one."""
    while not is_hk(day):
        day += dt.timedelta(days=1)
    return day


# --- deterministic choices -----------------------------------------------------------------------------------
def h(*key: object) -> int:
    return int.from_bytes(hashlib.sha256("|".join(map(str, key)).encode()).digest()[:8], "big")


def pick(options, *key: object):
    return options[h(*key) % len(options)]


def digits(n: int, *key: object) -> str:
    return str(h("digits", *key) % 10**n).zfill(n)


def hash_order(items, *key: object) -> list:
    """items in a fixed pseudo-random order."""
    return sorted(items, key=lambda it: h(*key, getattr(it, "kode", None) or getattr(it, "id", None) or it))


# ============================================================================================================
# Samples
# ============================================================================================================
SF = ("Obat", "Obat Bahan Alam", "Obat Kuasi", "Suplemen Kesehatan", "Kosmetik")
PO, PIRT = "Pangan Olahan", "PIRT"
KOMODITI_ORDER = SF + (PO, PIRT)

LAB_PEKANBARU = "Laboratorium Balai Besar POM di Pekanbaru"
LAB_PADANG = "Laboratorium Balai Besar POM di Padang"      # regionalisasi laboratorium
LAB_MEDAN = "Laboratorium Balai Besar POM di Medan"        # regionalisasi laboratorium

# Sampling trips (the report's narrative: Dumai 14-16 Jan, Bengkalis/Duri in February, Dumai 23-25 Apr,
# Bengkalis 20-22 May), plus one product sampled at each fortification producer on the day it was inspected.
# (name, sampling days, kabupaten/kota, {komoditi: number of samples})
BATCHES = [
    ("jan", [D(2025, 1, 14), D(2025, 1, 15), D(2025, 1, 16)], KAB_DUMAI,
     {"Obat": 7, "Obat Bahan Alam": 5, "Obat Kuasi": 2, "Suplemen Kesehatan": 3, "Kosmetik": 5, PO: 6, PIRT: 3}),
    ("feb", [D(2025, 2, 11), D(2025, 2, 12), D(2025, 2, 13)], KAB_BENGKALIS,
     {"Obat": 7, "Obat Bahan Alam": 5, "Obat Kuasi": 2, "Suplemen Kesehatan": 4, "Kosmetik": 6, PO: 7, PIRT: 3}),
    ("mar1", [D(2025, 3, 10), D(2025, 3, 11), D(2025, 3, 12)], KAB_ROHIL,
     {"Obat": 4, "Obat Bahan Alam": 3, "Obat Kuasi": 1, "Suplemen Kesehatan": 2, "Kosmetik": 3, PO: 5, PIRT: 2}),
    ("mar2", [D(2025, 3, 17), D(2025, 3, 18), D(2025, 3, 19)], KAB_DUMAI,
     {"Obat": 4, "Obat Bahan Alam": 3, "Suplemen Kesehatan": 2, "Kosmetik": 4, PO: 5, PIRT: 2}),
    ("apr", [D(2025, 4, 23), D(2025, 4, 24), D(2025, 4, 25)], KAB_DUMAI,
     {"Obat": 6, "Obat Bahan Alam": 5, "Obat Kuasi": 2, "Suplemen Kesehatan": 3, "Kosmetik": 6, PO: 7, PIRT: 3}),
    ("fort1", [D(2025, 5, 14)], KAB_DUMAI, {PO: 1}),
    ("may", [D(2025, 5, 20), D(2025, 5, 21), D(2025, 5, 22)], KAB_BENGKALIS,
     {"Obat": 8, "Obat Bahan Alam": 5, "Obat Kuasi": 2, "Suplemen Kesehatan": 4, "Kosmetik": 7, PO: 8, PIRT: 4}),
    ("fort2", [D(2025, 6, 4)], KAB_DUMAI, {PO: 1}),
    ("jun", [D(2025, 6, 10), D(2025, 6, 11), D(2025, 6, 12)], KAB_ROHIL,
     {"Obat": 3, "Obat Bahan Alam": 4, "Obat Kuasi": 1, "Suplemen Kesehatan": 2, "Kosmetik": 4, PO: 4, PIRT: 2}),
    ("fort3", [D(2025, 6, 17)], KAB_ROHIL, {PO: 1}),
    ("jun2", [D(2025, 6, 23), D(2025, 6, 24)], KAB_DUMAI, {"Obat": 1, "Kosmetik": 1, PIRT: 1}),
]
EXPECTED_SAMPLES = {"Obat": 40, "Obat Bahan Alam": 30, "Obat Kuasi": 10, "Suplemen Kesehatan": 20,
                    "Kosmetik": 36, PO: 45, PIRT: 20}
N_SF, N_PO, N_PO_LEWAT_SLA = 136, 45, 19

# Working days from lab receipt to LHU of the finished Pangan Olahan samples, per month of sampling: exactly 19
# values above 15. Each month's values go to its samples in a fixed shuffled order. The June fortification
# sample of 17 June (minyak goreng) is still in testing and within its SLA on 30 June, so the 19 holds whether
# or not a reader also counts open samples that are already overdue.
PO_HK = {
    1: [16, 18, 22, 10, 12, 15],
    2: [17, 19, 21, 24, 8, 11, 14],
    3: [16, 20, 23, 26, 30, 9, 12, 13, 14, 15],   # straddle Lebaran: 28 Mar - 7 Apr are not working days
    4: [17, 19, 25, 7, 10, 13, 15],
    5: [16, 17, 18, 19, 6, 9, 11, 13, 14],
    6: [3, 5, 6, 7, 8],
}
# Working-day ranges of the other commodities (OBA, suplemen and kosmetik are sometimes late, as the report says).
HK_RANGE = {"Obat": (4, 14), "Obat Bahan Alam": (7, 22), "Obat Kuasi": (5, 14), "Suplemen Kesehatan": (7, 20),
            "Kosmetik": (7, 22), PIRT: (5, 15)}
# Hasil Uji TMS and Kesimpulan Label TIE per komoditi (about 8 % TMS).
TMS_COUNT = {"Obat": 2, "Obat Bahan Alam": 4, "Suplemen Kesehatan": 1, "Kosmetik": 4, PO: 3, PIRT: 2}
TIE_COUNT = {"Obat Bahan Alam": 2, "Suplemen Kesehatan": 1, "Kosmetik": 3, PO: 1}

PRODUCTS = {
    "Obat": ["Parasetamol 500 mg Tablet", "Amoksisilin 500 mg Kapsul", "Asam Mefenamat 500 mg Tablet",
             "Klorfeniramin Maleat 4 mg Tablet", "Antasida Doen Tablet Kunyah", "Ibuprofen 400 mg Tablet",
             "Deksametason 0,5 mg Tablet", "Metformin HCl 500 mg Tablet", "Amlodipin 5 mg Tablet",
             "Parasetamol Sirup 120 mg/5 ml", "Ambroksol Sirup 15 mg/5 ml", "Kaptopril 25 mg Tablet",
             "Siprofloksasin 500 mg Tablet", "Omeprazol 20 mg Kapsul", "Simvastatin 10 mg Tablet",
             "Setirizin 10 mg Tablet", "Dekstrometorfan HBr Sirup", "Glibenklamid 5 mg Tablet",
             "Salep Kulit Gentamisin 0,1%", "Oralit 200 ml Serbuk"],
    "Obat Bahan Alam": ["Jamu Pegal Linu Kapsul", "Jamu Asam Urat Serbuk", "Jamu Sehat Pria Kapsul",
                        "Jamu Galian Singset Serbuk", "Kapsul Ekstrak Sambiloto", "Jamu Masuk Angin Cair",
                        "Minyak Kayu Putih", "Kapsul Ekstrak Temulawak", "Jamu Pelangsing Kapsul",
                        "Jamu Kuat Lelaki Serbuk", "Kapsul Ekstrak Daun Sirsak", "Jamu Encok Rematik Pil"],
    "Obat Kuasi": ["Plester Koyo Hangat", "Minyak Gosok Hangat", "Balsem Otot", "Obat Kumur Antiseptik",
                   "Minyak Telon", "Bedak Gatal Mentol"],
    "Suplemen Kesehatan": ["Vitamin C 1000 mg Tablet Effervescent", "Suplemen Kolagen Serbuk",
                           "Kapsul Minyak Ikan Omega-3", "Suplemen Penambah Stamina Kapsul",
                           "Multivitamin Sirup Anak", "Kalsium dan Vitamin D3 Tablet", "Suplemen Pelangsing Kapsul",
                           "Vitamin E 400 IU Kapsul Lunak", "Zinc dan Vitamin C Tablet Hisap"],
    "Kosmetik": ["Krim Malam Pencerah Wajah", "Krim Siang Pencerah SPF 15", "Serum Wajah Vitamin C", "Lipstik Matte",
                 "Bedak Padat", "Losion Tubuh Pencerah", "Sabun Pembersih Wajah", "Sampo Anti Ketombe",
                 "Pewarna Rambut Hitam", "Pensil Alis", "Toner Wajah", "Tabir Surya SPF 30", "Cat Kuku",
                 "Deodoran Roll On", "Sabun Mandi Cair Bayi"],
    PO: ["Mi Instan Goreng", "Susu Kental Manis", "Sirup Rasa Jeruk", "Biskuit Kelapa", "Kecap Manis",
         "Saus Sambal", "Kopi Instan 3in1", "Minuman Serbuk Rasa Cokelat", "Permen Jeli", "Nugget Ayam Beku",
         "Sosis Sapi", "Air Minum Dalam Kemasan", "Makanan Ringan Ekstrudat", "Wafer Cokelat",
         "Kurma Kemasan", "Teh Siap Minum", "Selai Nanas", "Mi Kering", "Kerupuk Udang", "Garam Konsumsi Beriodium",
         "Tepung Terigu", "Minyak Goreng Sawit", "Sirup Markisa", "Keju Olahan"],
    PIRT: ["Kerupuk Ikan Tenggiri", "Keripik Pisang", "Kue Bangkit", "Dodol Nanas", "Abon Ikan Patin",
           "Bolu Kemojo", "Kerupuk Sagu", "Sirup Nanas", "Kue Bawang", "Rengginang", "Kacang Bawang",
           "Lempuk Durian", "Sambal Ikan Bilis", "Roti Kering Kayu Manis"],
}
TIE_PRODUCTS = {
    "Obat Bahan Alam": ["Jamu Kuat Impor Kapsul (tanpa izin edar)", "Jamu Pelangsing Serbuk (tanpa izin edar)"],
    "Suplemen Kesehatan": ["Suplemen Pemutih Kulit Kapsul Impor (tanpa izin edar)"],
    "Kosmetik": ["Krim Racikan Pemutih Wajah (tanpa label)", "Krim Malam Impor Tanpa Notifikasi",
                 "Sabun Pemutih Impor Tanpa Notifikasi"],
    PO: ["Biskuit Krim Impor Tanpa Izin Edar"],
}
KATEGORI = {
    "Obat": ["Obat dengan riwayat TMS", "Obat banyak digunakan masyarakat", "Obat sirup (cemaran EG/DEG)",
             "Obat program pemerintah", "Obat keras di sarana tidak berwenang"],
    "Obat Bahan Alam": ["OBA diduga mengandung BKO", "OBA klaim stamina dan pegal linu",
                        "OBA produksi UMOT/UKOT wilayah"],
    "Obat Kuasi": ["Obat kuasi banyak beredar", "Produk dengan riwayat TMS"],
    "Suplemen Kesehatan": ["Suplemen diduga mengandung BKO", "Suplemen klaim berlebihan",
                           "Suplemen banyak beredar"],
    "Kosmetik": ["Kosmetik diduga mengandung bahan dilarang (merkuri, hidrokinon)",
                 "Kosmetik berisiko cemaran mikroba", "Kosmetik impor wilayah perbatasan",
                 "Kosmetik notifikasi baru"],
    PO: ["Pangan berisiko cemaran mikroba", "Pangan dengan riwayat TMS", "Pangan impor wilayah perbatasan",
         "Pangan yang banyak dikonsumsi", "Pangan musiman (Ramadhan dan Idul Fitri)"],
    PIRT: ["PIRT berisiko bahan berbahaya", "PIRT berisiko cemaran mikroba", "PIRT oleh-oleh khas daerah"],
}
KATEGORI_FORTIFIKASI = "Pangan fortifikasi wajib"
IMPORTED_FOOD = {"Kurma Kemasan", "Keju Olahan"}
TEMPAT = {  # where samples are bought, per kabupaten/kota and kind of outlet
    KAB_DUMAI: {"sf": ["Apotek Sehat Bersama", "Apotek Kota Dumai Farma", "Toko Obat Berkat Jaya",
                       "Toko Kosmetik Cantika", "Swalayan Mitra Dumai", "Puskesmas Dumai Kota"],
                "po": ["Swalayan Mitra Dumai", "Minimarket Sukajadi", "Toko Grosir Pelabuhan",
                       "Toko Sembako Bukit Datuk"],
                "pirt": ["Toko Oleh-Oleh Pesisir Dumai", "Kedai Oleh-Oleh Tanjung Palas"]},
    KAB_BENGKALIS: {"sf": ["Apotek Duri Farma", "Toko Obat Sinar Mandau", "Swalayan Mandau Jaya",
                           "Instalasi Farmasi Kabupaten Bengkalis", "Toko Kosmetik Bengkalis Indah"],
                    "po": ["Swalayan Mandau Jaya", "Toko Grosir Duri Makmur", "Minimarket Bengkalis Kota"],
                    "pirt": ["Toko Oleh-Oleh Bengkalis Serumpun", "Kedai Khas Duri"]},
    KAB_ROHIL: {"sf": ["Apotek Bagan Sehat", "Toko Obat Rokan Jaya", "Swalayan Bagan Mart",
                       "Toko Kosmetik Pesona Bagan"],
                "po": ["Swalayan Bagan Mart", "Toko Grosir Bagansiapiapi", "Toko Sembako Ujung Tanjung"],
                "pirt": ["Toko Oleh-Oleh Bagansiapiapi"]},
}
TL_SAMPEL = {
    "Obat": "Pengamanan produk di sarana dan laporan ke Direktorat Pengawasan Peredaran Obat",
    "Obat Bahan Alam": "Pengamanan dan pemusnahan produk (BKO); laporan ke Direktorat Pengawasan OBA",
    "Suplemen Kesehatan": "Pengamanan produk dan laporan ke Direktorat Pengawasan Suplemen Kesehatan",
    "Kosmetik": "Pengamanan dan pemusnahan produk; surat peringatan kepada sarana",
    PO: "Surat tindak lanjut ke produsen melalui UPT terkait; pembinaan sarana distribusi",
    PIRT: "Rekomendasi ke DPMPTSP penerbit SPP-IRT dan pembinaan IRTP",
}
TL_TIE = "Pengamanan produk tanpa izin edar dan pembinaan sarana"


@dataclass
class Sampel:
    batch: str
    komoditi: str
    seq: int                       # index of the sample within its batch and komoditi
    tanggal_sampling: dt.date
    kab: str
    kode: str = ""
    nama: str = ""
    kategori: str = ""
    nomor_registrasi: str = ""
    tempat: str = ""
    lab: str = ""
    terima_lab: dt.date | None = None
    lhu: dt.date | None = None
    hasil: str = ""
    label: str = "Memenuhi"
    tindak_lanjut: str = ""
    tanggal_tl: dt.date | None = None


# Fortification producers (inspected and sampled on the same day).
FORTIFIKASI = [
    ("SRN-1473-F001", "PT Minyak Nabati Pelintung", "Produsen Minyak Goreng Sawit", KAB_DUMAI, D(2025, 5, 14)),
    ("SRN-1473-F002", "PT Sawit Lubuk Gaung Refinery", "Produsen Minyak Goreng Sawit", KAB_DUMAI, D(2025, 6, 4)),
    ("SRN-1407-F003", "PT Rokan Sawit Lestari \u2013 Unit Bagansiapiapi", "Produsen Minyak Goreng Sawit",
     KAB_ROHIL, D(2025, 6, 17)),   # the en dash is a Windows-1252-only byte (0x96) in the CSV
]
FORT_BATCH = {"fort1": 0, "fort2": 1, "fort3": 2}
# Samples deliberately still in testing on 30 June: (batch, komoditi, seq). Three were received in May and are
# already past 15 HK; the others arrived in June and are within their SLA.
OPEN_SAMPLES = {("may", "Obat Bahan Alam", 4), ("may", "Suplemen Kesehatan", 3), ("may", "Kosmetik", 6),
                ("jun", "Suplemen Kesehatan", 1), ("fort3", PO, 0),
                ("jun2", "Obat", 0), ("jun2", "Kosmetik", 0), ("jun2", PIRT, 0)}
SATURDAY_RECEIPT = ("jan", PO, 3)          # sampled Thursday 16 Jan, received by the lab Saturday 18 Jan
SAME_DAY_LHU = ("feb", "Obat", 1)          # LHU on the day of receipt: 0 HK


def nomor_registrasi(s: Sampel) -> str:
    key = (s.batch, s.komoditi, s.seq)
    if s.komoditi == "Obat":
        return f"{pick(['GKL', 'GKL', 'DKL', 'DBL'], *key)}{digits(10, *key)}A1"
    if s.komoditi == "Obat Bahan Alam":
        return f"POM TR {digits(9, *key)}"
    if s.komoditi == "Obat Kuasi":
        return f"POM QD {digits(9, *key)}"
    if s.komoditi == "Suplemen Kesehatan":
        return f"POM {pick(['SD', 'SD', 'SI'], *key)} {digits(9, *key)}"
    if s.komoditi == "Kosmetik":
        return f"{pick(['NA18', 'NA18', 'NC11'], *key)}{digits(9, *key)}"
    if s.komoditi == PO:
        if s.batch in FORT_BATCH:                      # a local producer's own product
            return f"BPOM RI MD {digits(12, *key)}"
        kind = "ML" if s.nama in IMPORTED_FOOD else pick(["MD", "MD", "MD", "ML"], *key)
        return f"BPOM RI {kind} {digits(12, *key)}"
    kemasan, jenis = digits(1, "k", *key), digits(2, "j", *key)
    return f"P-IRT {kemasan}{jenis}{KAB_CODE[s.kab]}{digits(6, *key)}-{digits(2, 'm', *key)}"


def build_samples() -> list[Sampel]:
    samples: list[Sampel] = []
    for batch, days, kab, counts in BATCHES:
        for k_index, komoditi in enumerate(KOMODITI_ORDER):
            for seq in range(counts.get(komoditi, 0)):
                day = days[(seq + k_index) % len(days)]
                samples.append(Sampel(batch, komoditi, seq, day, kab))
    samples.sort(key=lambda s: (s.tanggal_sampling, KOMODITI_ORDER.index(s.komoditi), s.seq))
    for n, s in enumerate(samples, start=1):
        s.kode = f"SMP-2025-{n:04d}"

    for s in samples:
        key = (s.batch, s.komoditi, s.seq)
        if s.batch in FORT_BATCH:
            _, producer, _, _, _ = FORTIFIKASI[FORT_BATCH[s.batch]]
            s.nama, s.kategori, s.tempat = "Minyak Goreng Sawit", KATEGORI_FORTIFIKASI, producer
        else:
            s.nama = pick([p for p in PRODUCTS[s.komoditi] if p != "Minyak Goreng Sawit"], "nama", *key)
            s.kategori = pick(KATEGORI[s.komoditi], "kategori", *key)
            kind = "sf" if s.komoditi in SF else ("po" if s.komoditi == PO else "pirt")
            s.tempat = pick(TEMPAT[s.kab][kind], "tempat", *key)
        s.nomor_registrasi = nomor_registrasi(s)
        # Laboratory: most samples go to BBPOM Pekanbaru; part goes to the regionalisation labs.
        if s.komoditi in ("Obat Bahan Alam", "Suplemen Kesehatan", "Kosmetik"):
            s.lab = pick([LAB_PEKANBARU, LAB_PEKANBARU, LAB_PADANG], "lab", *key)
        elif s.komoditi == PO:
            s.lab = pick([LAB_PEKANBARU, LAB_PEKANBARU, LAB_MEDAN], "lab", *key)
        else:
            s.lab = LAB_PEKANBARU
        # Lab receipt: 0-5 calendar days after sampling, moved to the next working day (one Saturday receipt).
        delay = pick([1, 1, 2, 2, 3, 0] if s.kab == KAB_DUMAI else [1, 2, 3, 3, 4, 5], "kirim", *key)
        if key == SATURDAY_RECEIPT:
            assert s.tanggal_sampling == D(2025, 1, 16), s.tanggal_sampling
            s.terima_lab = D(2025, 1, 18)
        else:
            s.terima_lab = next_hk(s.tanggal_sampling + dt.timedelta(days=delay))
            while (s.terima_lab - s.tanggal_sampling).days > 5 or not is_hk(s.terima_lab):
                s.terima_lab -= dt.timedelta(days=1)     # too late after a weekend: the working day before
        assert 0 <= (s.terima_lab - s.tanggal_sampling).days <= 5, (s.kode, s.tanggal_sampling, s.terima_lab)

    assign_lhu(samples)
    assign_results(samples)
    return samples


def assign_lhu(samples: list[Sampel]) -> None:
    for month, values in PO_HK.items():
        finished = [s for s in samples if s.komoditi == PO and s.tanggal_sampling.month == month
                    and (s.batch, s.komoditi, s.seq) not in OPEN_SAMPLES]
        assert len(finished) == len(values), (month, len(finished), len(values))
        for s, hk in zip(hash_order(finished, "po-hk"), values):
            s.lhu = add_hk(s.terima_lab, hk)
    for s in samples:
        key = (s.batch, s.komoditi, s.seq)
        if key in OPEN_SAMPLES or s.komoditi == PO:
            continue
        if key == SAME_DAY_LHU:
            s.lhu = s.terima_lab
            continue
        lo, hi = HK_RANGE[s.komoditi]
        hk = lo + h("hk", *key) % (hi - lo + 1)
        room = hk_between(s.terima_lab, PERIOD_END)
        if hk > room:                         # June samples: finished before the period ends
            hk = max(2, room - 1 - h("room", *key) % 3)
        s.lhu = add_hk(s.terima_lab, hk)
    for s in samples:
        if s.lhu is not None:
            assert s.lhu <= PERIOD_END and is_hk(s.lhu), (s.kode, s.lhu)


def assign_results(samples: list[Sampel]) -> None:
    for s in samples:
        if s.lhu is not None:
            s.hasil = "MS"
    # TMS: among finished samples whose LHU leaves time for the follow-up before 30 June.
    for komoditi, n in TMS_COUNT.items():
        pool = [s for s in samples if s.komoditi == komoditi and s.lhu is not None and s.lhu <= D(2025, 6, 13)
                and s.batch not in FORT_BATCH]
        for s in hash_order(pool, "tms")[:n]:
            s.hasil = "TMS"
            s.tindak_lanjut = TL_SAMPEL[komoditi]
            s.tanggal_tl = add_hk(s.lhu, 2 + h("tl", s.kode) % 5)
    for komoditi, n in TIE_COUNT.items():
        pool = [s for s in samples if s.komoditi == komoditi and s.lhu is not None and s.batch not in FORT_BATCH
                and s.hasil == "MS" and s.terima_lab <= D(2025, 6, 1)]
        for i, s in enumerate(hash_order(pool, "tie")[:n]):
            s.label = "TIE"
            s.nama = TIE_PRODUCTS[komoditi][i % len(TIE_PRODUCTS[komoditi])]
            s.nomor_registrasi = ""          # tanpa izin edar: no registration number
            s.tindak_lanjut = TL_TIE
            s.tanggal_tl = add_hk(s.terima_lab, 2 + h("tl-tie", s.kode) % 4)
    for s in samples:
        if s.tanggal_tl is not None:
            assert s.tanggal_tl <= PERIOD_END and is_hk(s.tanggal_tl), (s.kode, s.tanggal_tl)


def check_samples(samples: list[Sampel]) -> None:
    counts = {k: sum(1 for s in samples if s.komoditi == k) for k in KOMODITI_ORDER}
    assert counts == EXPECTED_SAMPLES, counts
    assert sum(counts[k] for k in SF) == N_SF and counts[PO] == N_PO
    assert not any(s.komoditi == "Pangan KLB" for s in samples)
    assert len({s.kode for s in samples}) == len(samples)
    for s in samples:
        assert PERIOD_START <= s.tanggal_sampling <= s.terima_lab <= PERIOD_END
        assert (s.lhu is None) == (s.hasil == ""), s.kode
        assert (s.hasil == "TMS") <= (s.tanggal_tl is not None), s.kode
    food = [s for s in samples if s.komoditi == PO]
    late = [s for s in food if s.lhu is not None and hk_between(s.terima_lab, s.lhu) > SLA_LAB_HK]
    assert len(late) == N_PO_LEWAT_SLA, len(late)
    # open food samples are all still within the SLA on 30 June, so the 19 holds either way
    assert all(hk_between(s.terima_lab, PERIOD_END) <= SLA_LAB_HK for s in food if s.lhu is None)
    open_ = [s for s in samples if s.lhu is None]
    assert 6 <= len(open_) <= 10 and sum(hk_between(s.terima_lab, PERIOD_END) > SLA_LAB_HK for s in open_) >= 2
    assert any(s.terima_lab.weekday() == 5 for s in samples)
    assert any(s.lhu == s.terima_lab for s in samples)
    assert any(s.terima_lab < D(2025, 3, 28) and s.lhu and s.lhu > D(2025, 4, 7) for s in samples)


# ============================================================================================================
# Inspections
# ============================================================================================================
KELOMPOK = ("Produksi SF", "Produksi PO", "Produksi Fortifikasi", "Distribusi SF", "Distribusi PO", "Saryanfar")
# Inspection days per kelompok and month (the report's narrative gives many of them); the i-th inspection of a
# month takes the i-th day. The counts are the report's: 45 SF distribution, 15 food distribution, 15 food
# production, 1 OBA production, 3 fortification producers; Saryanfar is illustrative.
def _days(month: int, *days: int) -> list[dt.date]:
    return [D(2025, month, d) for d in days]


INSPECTION_DAYS = {
    "Distribusi SF": {1: _days(1, 13, 14, 15, 16, 22, 22), 2: _days(2, 4, 5, 18, 19, 26, 26, 27),
                      3: _days(3, 4, 12, 13, 25, 26), 4: _days(4, 15, 16, 22, 23, 30, 30),
                      5: _days(5, 2, 6, 7, 8, 9, 14, 15, 16, 20, 2, 7, 14, 20),
                      6: _days(6, 3, 4, 11, 12, 13, 18, 19, 20)},
    "Saryanfar": {1: _days(1, 15, 16, 22), 2: _days(2, 26), 4: _days(4, 22, 23), 5: _days(5, 8, 9),
                  6: _days(6, 19, 26)},
    "Distribusi PO": {2: _days(2, 26), 3: _days(3, 3, 5, 6, 11, 18, 21, 3, 5, 6, 11, 18, 21), 5: _days(5, 8),
                      6: _days(6, 12)},
    "Produksi PO": {1: _days(1, 21), 2: _days(2, 4), 3: _days(3, 13), 4: _days(4, 16, 29),
                    5: _days(5, 6, 7, 9, 15, 16), 6: _days(6, 2, 2, 11, 18, 18)},
    "Produksi SF": {4: _days(4, 17)},
    "Produksi Fortifikasi": {5: [FORTIFIKASI[0][4]], 6: [FORTIFIKASI[1][4], FORTIFIKASI[2][4]]},
}
EXPECTED_INSPECTIONS = {"Distribusi SF": 45, "Distribusi PO": 15, "Produksi PO": 15, "Produksi SF": 1,
                        "Produksi Fortifikasi": 3, "Saryanfar": 10}
TMK_PER_MONTH = {  # how many inspections of a kelompok and month did not meet the requirements (TMK)
    "Distribusi SF": {2: 1, 3: 1, 4: 2, 5: 6, 6: 5},
    "Saryanfar": {4: 1, 5: 1, 6: 1},
    "Distribusi PO": {3: 7, 5: 1},
    "Produksi PO": {5: 3, 6: 2},
    "Produksi Fortifikasi": {6: 1},
}
KAB_BY_MONTH = {1: [KAB_DUMAI, KAB_BENGKALIS], 2: [KAB_DUMAI, KAB_BENGKALIS], 3: [KAB_DUMAI, KAB_BENGKALIS, KAB_ROHIL],
                4: [KAB_DUMAI, KAB_BENGKALIS], 5: [KAB_DUMAI, KAB_BENGKALIS, KAB_ROHIL],
                6: [KAB_DUMAI, KAB_BENGKALIS, KAB_ROHIL]}
JENIS_SARANA = {
    "Distribusi SF": ["Pedagang Besar Farmasi", "Toko Obat", "Toko Obat", "Distributor Kosmetik", "Toko Kosmetik",
                      "Toko Kosmetik", "Distributor Suplemen Kesehatan", "Depot Jamu", "Swalayan", "Stokis MLM"],
    "Saryanfar": ["Apotek", "Apotek", "Puskesmas", "Klinik", "Instalasi Farmasi Rumah Sakit"],
    "Distribusi PO": ["Toko", "Swalayan", "Minimarket", "Distributor Pangan", "Toko Oleh-Oleh"],
    "Produksi PO": ["Sarana Produksi Pangan Olahan (MD)", "IRTP", "IRTP"],
    "Produksi SF": ["UMOT"],
}
NAME_PREFIX = {"Pedagang Besar Farmasi": "PT", "Toko Obat": "Toko Obat", "Distributor Kosmetik": "CV",
               "Toko Kosmetik": "Toko Kosmetik", "Distributor Suplemen Kesehatan": "CV", "Depot Jamu": "Depot Jamu",
               "Swalayan": "Swalayan", "Stokis MLM": "Stokis", "Apotek": "Apotek", "Puskesmas": "Puskesmas",
               "Klinik": "Klinik Pratama", "Instalasi Farmasi Rumah Sakit": "IFRS", "Toko": "Toko",
               "Minimarket": "Minimarket", "Distributor Pangan": "CV", "Toko Oleh-Oleh": "Toko Oleh-Oleh",
               "Sarana Produksi Pangan Olahan (MD)": "PT", "IRTP": "UMKM", "UMOT": "UMOT"}
NAME_WORDS = ["Sehat", "Berkah", "Maju", "Jaya", "Makmur", "Sentosa", "Bersama", "Mandiri", "Sejahtera", "Utama",
              "Abadi", "Lestari", "Harapan", "Mulia", "Cahaya", "Permata", "Sinar", "Amanah", "Barokah", "Nusantara"]
PLACE_WORDS = {KAB_DUMAI: ["Dumai", "Bukit Kapur", "Sukajadi", "Purnama", "Pelintung", "Bagan Besar"],
               KAB_BENGKALIS: ["Duri", "Mandau", "Bengkalis", "Pinggir", "Bantan", "Rupat"],
               KAB_ROHIL: ["Bagan", "Rokan", "Ujung Tanjung", "Bangko", "Panipahan"]}
IRTP_PRODUCTS = ["Kerupuk Ikan", "Keripik Pisang", "Dodol", "Abon Ikan", "Bolu Kemojo", "Kue Bangkit", "Lempuk"]


@dataclass
class Pemeriksaan:
    id: str
    id_sarana: str
    nama: str
    jenis: str
    kelompok: str
    kab: str
    tanggal: dt.date
    hasil: str = "MK"
    laporan: dt.date | None = None
    nomor_tl: str = ""
    tanggal_tl: dt.date | None = None
    jenis_tl: str = ""
    capa: str = "Tidak"
    capa_diterima: dt.date | None = None


def sarana_name(jenis: str, kab: str, *key: object) -> str:
    prefix = NAME_PREFIX[jenis]
    word1, word2 = pick(NAME_WORDS, "w1", *key), pick(NAME_WORDS, "w2", *key)
    place = pick(PLACE_WORDS[kab], "place", *key)
    if jenis == "IRTP":
        return f"UMKM {pick(IRTP_PRODUCTS, 'irtp', *key)} {word1} {place}"
    if jenis in ("Puskesmas",):
        return f"Puskesmas {place}"
    if jenis == "Instalasi Farmasi Rumah Sakit":
        return f"IFRS Rumah Sakit {word1} {place}"
    if jenis == "UMOT":
        return f"UMOT Jamu Tradisional {word1} {place}"
    tail = f"{word1} {word2}" if word1 != word2 else word1
    return f"{prefix} {tail} {place}"


# Distribusi PO inspections reported after the deadline (the report: 2 facilities reported late), and one
# reported exactly on the deadline across the Lebaran holidays: {(month, index): working days to the report}.
LAPORAN_HK_OVERRIDE = {("Distribusi PO", 3, 2): 7,     # 6 Mar -> 17 Mar: 7 HK, late
                       ("Distribusi PO", 3, 11): 9,    # 21 Mar -> 14 Apr: 9 HK, late
                       ("Distribusi PO", 3, 5): 5}     # 21 Mar -> 8 Apr: 5 HK (18 calendar days), on time
NOT_YET_REPORTED = {("Saryanfar", 6, 1)}               # inspected 26 Jun, deadline 4 Jul: not reported yet


def build_inspections() -> list[Pemeriksaan]:
    rows: list[Pemeriksaan] = []
    used_names: set[str] = set()
    for kelompok in KELOMPOK:
        for month, days in sorted(INSPECTION_DAYS[kelompok].items()):
            order = sorted(range(len(days)), key=lambda i: h("tmk", kelompok, month, i))
            tmk = set(order[:TMK_PER_MONTH.get(kelompok, {}).get(month, 0)])
            for i, day in enumerate(days):
                key = (kelompok, month, i)
                if kelompok == "Produksi Fortifikasi":
                    id_sarana, nama, jenis, kab, fday = next(f for f in FORTIFIKASI if f[4] == day)
                else:
                    jenis = pick(JENIS_SARANA[kelompok], "jenis", *key)
                    kab = pick(KAB_BY_MONTH[month], "kab", *key)
                    salt = 0
                    while (nama := sarana_name(jenis, kab, *key, salt)) in used_names:
                        salt += 1
                    id_sarana = f"SRN-{KAB_CODE[kab]}-{h('sarana', nama) % 10000:04d}"
                used_names.add(nama)
                p = Pemeriksaan("", id_sarana, nama, jenis, kelompok, kab, day)
                p.hasil = "TMK" if i in tmk else "MK"
                if key not in NOT_YET_REPORTED:
                    p.laporan = add_hk(day, LAPORAN_HK_OVERRIDE.get(key, 1 + h("lapor", *key) % BATAS_LAPORAN_HK))
                # Follow-up letter: every food distribution and production inspection, and every TMK one.
                if p.hasil == "TMK" or kelompok in ("Distribusi PO", "Produksi PO", "Produksi SF",
                                                    "Produksi Fortifikasi"):
                    sent = add_hk(day, 1 + h("tl", *key) % 5)
                    p.tanggal_tl = sent if sent <= PERIOD_END else add_hk(day, 1)
                    assert p.tanggal_tl <= PERIOD_END, key
                    if p.hasil == "MK":
                        p.jenis_tl = "Pembinaan"
                    else:
                        p.jenis_tl = pick(["Pembinaan", "Peringatan", "Peringatan", "Peringatan Keras"], "jtl", *key)
                if p.hasil == "TMK":
                    p.capa = "Ya"
                    received = next_hk(day + dt.timedelta(days=10 + h("capa", *key) % 25))
                    if received <= PERIOD_END and h("capa-none", *key) % 7 != 0:
                        p.capa_diterima = received
                rows.append(p)
    # One Toko Obat selling obat keras without authority: a recommendation to revoke its permit.
    toko = next(p for p in rows if p.kelompok == "Distribusi SF" and p.hasil == "TMK" and p.jenis == "Toko Obat")
    toko.jenis_tl = "Rekomendasi PSK"
    rows.sort(key=lambda p: (p.tanggal, KELOMPOK.index(p.kelompok), p.nama))
    for n, p in enumerate(rows, start=1):
        p.id = f"PMR-2025-{n:04d}"
    return rows


def check_inspections(rows: list[Pemeriksaan]) -> None:
    counts = {k: sum(1 for p in rows if p.kelompok == k) for k in KELOMPOK}
    assert counts == EXPECTED_INSPECTIONS, counts
    assert len({p.id for p in rows}) == len(rows)
    fort = [p for p in rows if p.kelompok == "Produksi Fortifikasi"]
    assert len({p.id_sarana for p in fort}) == 3
    (oba,) = [p for p in rows if p.kelompok == "Produksi SF"]
    assert oba.jenis in ("UMOT", "UKOT")
    for p in rows:
        assert is_hk(p.tanggal) and PERIOD_START <= p.tanggal <= PERIOD_END, (p.id, p.tanggal)
        for d in (p.laporan, p.tanggal_tl, p.capa_diterima):
            assert d is None or p.tanggal < d <= PERIOD_END, (p.id, d)
        assert (p.capa_diterima is None) or p.capa == "Ya"
    dpo = [p for p in rows if p.kelompok == "Distribusi PO"]
    assert all(p.nomor_tl and p.tanggal_tl and p.jenis_tl for p in dpo)
    late = [p for p in rows if p.laporan is not None and hk_between(p.tanggal, p.laporan) > BATAS_LAPORAN_HK]
    assert len(late) == 2 and all(p.kelompok == "Distribusi PO" for p in late), [p.id for p in late]
    unreported = [p for p in rows if p.laporan is None]
    assert all(hk_between(p.tanggal, PERIOD_END) <= BATAS_LAPORAN_HK for p in unreported)


# ============================================================================================================
# Recommendations
# ============================================================================================================
@dataclass
class Rekomendasi:
    tanggal: dt.date
    jenis: str
    penerima: str
    dasar: str
    perihal: str
    feedback: bool = True
    nomor: str = ""
    tanggal_feedback: dt.date | None = None


def build_recommendations(samples: list[Sampel], inspections: list[Pemeriksaan]) -> list[Rekomendasi]:
    PU, LS = "Pelaku Usaha", "Lintas Sektor"
    letters: list[Rekomendasi] = []
    # Pelaku Usaha, Pemeriksaan Sarana: 9 TMK facilities (not the Distribusi SF toko with a PSK recommendation),
    # the letter three working days after the follow-up letter or inspection.
    tmk = [p for p in inspections if p.hasil == "TMK" and p.jenis_tl != "Rekomendasi PSK"
           and p.tanggal <= D(2025, 6, 13)]
    step = len(tmk) / 9
    for i in range(9):
        p = tmk[int(i * step)]
        letters.append(Rekomendasi(add_hk(p.tanggal_tl or p.tanggal, 3), PU, p.nama, "Pemeriksaan Sarana",
                                   f"Rekomendasi perbaikan (CAPA) hasil pemeriksaan {p.id}"))
    # Pelaku Usaha, Pengujian Sampel: the outlets where TMS food and cosmetic samples were bought.
    tms = [s for s in samples if s.hasil == "TMS" and s.komoditi in (PO, "Kosmetik")]
    for s in sorted(tms, key=lambda s: s.kode)[:3]:
        letters.append(Rekomendasi(s.tanggal_tl, PU, s.tempat, "Pengujian Sampel",
                                   f"Tindak lanjut hasil uji TMS sampel {s.kode}"))
    letters.append(Rekomendasi(D(2025, 4, 10), PU, "Toko Daring Herbal Sehat Dumai", "Iklan",
                               "Iklan obat bahan alam dengan klaim berlebihan di media sosial", feedback=False))
    letters.append(Rekomendasi(D(2025, 6, 5), PU, "Toko Kosmetik Cantika", "Pengaduan",
                               "Tindak lanjut pengaduan konsumen kosmetik tanpa notifikasi"))
    # Lintas sektor.
    pirt_tms = sorted((s for s in samples if s.hasil == "TMS" and s.komoditi == PIRT), key=lambda s: s.kode)
    for s in pirt_tms:
        letters.append(Rekomendasi(s.tanggal_tl, LS, f"DPMPTSP {s.kab}", "Pengujian Sampel",
                                   f"Rekomendasi tindak lanjut SPP-IRT atas sampel PIRT TMS {s.kode}"))
    letters += [
        Rekomendasi(D(2025, 1, 30), LS, "Dinas Koperasi, UKM dan Perdagangan Kabupaten Bengkalis", "Label",
                    "Pembinaan pelabelan produk UMKM pangan"),
        Rekomendasi(D(2025, 2, 20), LS, "Dinas Kesehatan Kota Dumai", "Pemeriksaan Sarana",
                    "Hasil pemeriksaan sarana pelayanan kefarmasian"),
        Rekomendasi(D(2025, 3, 14), LS, "Komisi Penyiaran Indonesia Daerah Provinsi Riau", "Iklan",
                    "Iklan pangan olahan tidak sesuai ketentuan di media lokal"),
        Rekomendasi(D(2025, 4, 9), LS, "Dinas Perdagangan Kota Dumai", "Pemeriksaan Sarana",
                    "Hasil intensifikasi pengawasan pangan Ramadhan dan Idul Fitri"),
        Rekomendasi(D(2025, 5, 19), LS, "Kepolisian Resor Dumai", "Kasus",
                    "Koordinasi penanganan kasus peredaran kosmetik ilegal", feedback=False),
        Rekomendasi(D(2025, 6, 11), LS, "Dinas Kesehatan Kabupaten Bengkalis", "Pemeriksaan Sarana",
                    "Hasil pemeriksaan sarana distribusi obat", feedback=False),
    ]
    pu = sorted((r for r in letters if r.jenis == PU), key=lambda r: (r.tanggal, r.penerima))
    # The four latest letters to businesses are still unanswered, and the April Iklan letter.
    for r in pu[-4:]:
        r.feedback = False
    letters.sort(key=lambda r: (r.tanggal, r.jenis, r.penerima))
    for n, r in enumerate(letters, start=1):
        r.nomor = f"R-PW.02.03.383.{r.tanggal.month:02d}.25.{n:04d}"
        if r.feedback:
            r.tanggal_feedback = next_hk(r.tanggal + dt.timedelta(days=7 + h("fb", r.penerima, r.tanggal) % 28))
            if r.tanggal_feedback > PERIOD_END:
                r.tanggal_feedback = add_hk(r.tanggal, 3)
    return letters


def check_recommendations(letters: list[Rekomendasi]) -> None:
    pu = [r for r in letters if r.jenis == "Pelaku Usaha"]
    ls = [r for r in letters if r.jenis == "Lintas Sektor"]
    assert (len(pu), len(ls)) == (14, 8), (len(pu), len(ls))
    assert sum(r.tanggal_feedback is None for r in pu) == 5 and sum(r.tanggal_feedback is None for r in ls) == 2
    assert len({r.nomor for r in letters}) == len(letters)
    for r in letters:
        assert PERIOD_START <= r.tanggal <= PERIOD_END and is_hk(r.tanggal), (r.nomor, r.tanggal)
        assert r.tanggal_feedback is None or r.tanggal < r.tanggal_feedback <= PERIOD_END, r.nomor


def assign_tl_numbers(inspections: list[Pemeriksaan]) -> None:
    """Follow-up letters are numbered in the order they were sent."""
    with_tl = sorted((p for p in inspections if p.tanggal_tl), key=lambda p: (p.tanggal_tl, p.id))
    for n, p in enumerate(with_tl, start=1):
        p.nomor_tl = f"T-PW.02.02.383.{p.tanggal_tl.month:02d}.25.{n:04d}"


# ============================================================================================================
# The exports, as tables for the shared writer (devtools/exports.py)
# ============================================================================================================
XLSX = Style("xlsx", created=WORKBOOK_CREATED, author="sakip demo")
PEMERIKSAAN_CSV = Style("csv", ";", "cp1252", eol="\r\n")     # as SIPT's CSV download: Windows-1252, CRLF
TITLES = [SATKER_TITLE, PERIODE_TITLE, CETAK_TITLE]              # under each export's own title

SAMPEL_HEADER = ["No", "Kode Sampel", "Nama Sampel", "Komoditi", "Kategori Sampel", "Nomor Registrasi",
                 "Tanggal Sampling", "Tempat Sampling", "Kabupaten/Kota", "Laboratorium Penguji",
                 "Tanggal Terima Lab", "Tanggal LHU", "Hasil Uji", "Kesimpulan Label", "Tindak Lanjut",
                 "Tanggal Tindak Lanjut", "Kode Satker"]
SAMPEL_KINDS = ["number", *["text"] * 5, "date", "text", "text", "text", "date", "date", "text", "text", "text",
                "date", "text"]
PEMERIKSAAN_HEADER = ["No", "ID Pemeriksaan", "ID Sarana", "Nama Sarana", "Jenis Sarana", "Kelompok",
                      "Kabupaten/Kota", "Tanggal Pemeriksaan", "Hasil", "Tanggal Laporan", "Nomor Surat TL",
                      "Tanggal Surat TL", "Jenis TL", "CAPA Diminta", "Tanggal CAPA Diterima", "Kode Satker"]
PEMERIKSAAN_KINDS = ["number", *["text"] * 6, "date", "text", "date", "text", "date", "text", "text", "date", "text"]
REKOMENDASI_HEADER = ["No", "Nomor Surat", "Tanggal Surat", "Jenis Penerima", "Penerima", "Dasar", "Perihal",
                      "Tanggal Feedback", "Kode Satker"]
REKOMENDASI_KINDS = ["number", "text", "date", "text", "text", "text", "text", "date", "text"]


def samples_table(samples: list[Sampel]) -> Table:
    rows = [[n, s.kode, s.nama, s.komoditi, s.kategori, s.nomor_registrasi, s.tanggal_sampling, s.tempat, s.kab,
             s.lab, s.terima_lab, s.lhu, s.hasil, s.label, s.tindak_lanjut, s.tanggal_tl, KODE_SATKER]
            for n, s in enumerate(samples, start=1)]
    widths = [5, 15, 40, 18, 40, 24, 13, 34, 22, 40, 13, 13, 9, 10, 60, 13, 11]
    return Table("sipt_sampel", "Data Sampel", ["DATA SAMPEL DAN PENGUJIAN", *TITLES], [SAMPEL_HEADER],
                 SAMPEL_KINDS, rows, widths=dict(enumerate(widths)), freeze=True)


def inspections_table(inspections: list[Pemeriksaan]) -> Table:
    rows = [[n, p.id, p.id_sarana, p.nama, p.jenis, p.kelompok, p.kab, p.tanggal, p.hasil, p.laporan, p.nomor_tl,
             p.tanggal_tl, p.jenis_tl, p.capa, p.capa_diterima, KODE_SATKER]
            for n, p in enumerate(inspections, start=1)]
    return Table("sipt_pemeriksaan", "Data Pemeriksaan", ["DATA PEMERIKSAAN SARANA", *TITLES],
                 [PEMERIKSAAN_HEADER], PEMERIKSAAN_KINDS, rows)


def recommendations_table(letters: list[Rekomendasi]) -> Table:
    rows = [[n, r.nomor, r.tanggal, r.jenis, r.penerima, r.dasar, r.perihal, r.tanggal_feedback, KODE_SATKER]
            for n, r in enumerate(letters, start=1)]
    widths = [5, 30, 13, 15, 50, 20, 70, 15, 11]
    return Table("sipt_rekomendasi", "Rekomendasi", ["DATA REKOMENDASI HASIL PENGAWASAN", *TITLES],
                 [REKOMENDASI_HEADER], REKOMENDASI_KINDS, rows, widths=dict(enumerate(widths)), freeze=True)


# --- planners' reference ---------------------------------------------------------------------------------------
# Sampling plan (renlak) per komoditi, months 1..12. January-June is close to what was sampled (planned >= sampled
# in most months); the SF year total is 322, the figure behind the demo SAKTI output volume (136 of 322 =
# 42,24 %). Pangan Olahan: 45 for the year, all planned in the first half (RO 15's 100 % in the SAKTI demo).
RENLAK = {
    "Obat": [7, 7, 8, 7, 8, 4, 10, 10, 10, 10, 9, 0],
    "Obat Bahan Alam": [5, 5, 6, 5, 6, 4, 8, 8, 8, 8, 7, 0],
    "Obat Kuasi": [2, 2, 2, 2, 1, 1, 3, 3, 2, 2, 2, 0],
    "Suplemen Kesehatan": [3, 4, 4, 4, 4, 2, 5, 5, 5, 5, 4, 0],
    "Kosmetik": [6, 6, 7, 6, 7, 5, 12, 12, 12, 12, 10, 0],
    PO: [6, 7, 9, 8, 9, 6, 0, 0, 0, 0, 0, 0],
    PIRT: [3, 3, 4, 3, 4, 3, 3, 3, 4, 0, 0, 0],
}
# Inspection plan per kelompok, months 1..12. January-June equals what was inspected. Distribution and
# production plans are complete by June (the demo SAKTI output volumes: 60 distribution facilities and 16
# production facilities, 100 %); fortification follows the IKU (30 % of 10 producers by June, 60 % by year end).
RENCANA_PEMERIKSAAN = {
    "Produksi SF": [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    "Produksi PO": [1, 1, 1, 2, 5, 5, 0, 0, 0, 0, 0, 0],
    "Produksi Fortifikasi": [0, 0, 0, 0, 1, 2, 0, 1, 1, 1, 0, 0],
    "Distribusi SF": [6, 7, 5, 6, 13, 8, 0, 0, 0, 0, 0, 0],
    "Distribusi PO": [0, 1, 12, 0, 1, 1, 0, 0, 0, 0, 0, 0],
    "Saryanfar": [3, 1, 0, 2, 2, 2, 2, 2, 2, 2, 2, 0],
}
JUMLAH_PRODUSEN_FORTIFIKASI = 10


def check_reference(samples: list[Sampel], inspections: list[Pemeriksaan]) -> None:
    assert sum(sum(RENLAK[k]) for k in SF) == 322 and sum(RENLAK[PO]) == N_PO
    below = 0
    for k, plan in RENLAK.items():
        for m in range(1, 7):
            done = sum(1 for s in samples if s.komoditi == k and s.tanggal_sampling.month == m)
            below += plan[m - 1] < done
    assert below <= 3, below                     # planned >= sampled in most komoditi-months
    for k, plan in RENCANA_PEMERIKSAAN.items():
        for m in range(1, 7):
            done = sum(1 for p in inspections if p.kelompok == k and p.tanggal.month == m)
            assert plan[m - 1] == done, (k, m, plan[m - 1], done)
    assert sum(RENCANA_PEMERIKSAAN["Produksi Fortifikasi"][:6]) * 100 == 30 * JUMLAH_PRODUSEN_FORTIFIKASI


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def write_reference(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "renlak_sampel.csv", ["tahun", "kode_satker", "komoditi", "bulan", "target_sampel"],
              [[TAHUN, KODE_SATKER, k, m, plan[m - 1]] for k, plan in RENLAK.items() for m in range(1, 13)])
    write_csv(out / "rencana_pemeriksaan.csv", ["tahun", "kode_satker", "kelompok", "bulan", "target_sarana"],
              [[TAHUN, KODE_SATKER, k, m, plan[m - 1]] for k, plan in RENCANA_PEMERIKSAAN.items()
               for m in range(1, 13)])
    write_csv(out / "sarana_fortifikasi.csv", ["tahun", "kode_satker", "jumlah_produsen_wilayah"],
              [[TAHUN, KODE_SATKER, JUMLAH_PRODUSEN_FORTIFIKASI]])


# ============================================================================================================
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="sakip/demo/inbox", help="folder to write (relative to the repo root)")
    parser.add_argument("--reference", default="sakip/reference", help="folder of the reference CSVs")
    args = parser.parse_args()
    out = REPO_ROOT / args.out
    out.mkdir(parents=True, exist_ok=True)

    samples = build_samples()
    check_samples(samples)
    inspections = build_inspections()
    assign_tl_numbers(inspections)
    check_inspections(inspections)
    letters = build_recommendations(samples, inspections)
    check_recommendations(letters)
    check_reference(samples, inspections)

    write_table(out / "SIPT_Sampel_672849_2025_B06.xlsx", samples_table(samples), XLSX)
    write_table(out / "SIPT_Pemeriksaan_672849_2025_B06.csv", inspections_table(inspections), PEMERIKSAAN_CSV)
    write_table(out / "SIPT_Rekomendasi_672849_2025_B06.xlsx", recommendations_table(letters), XLSX)
    write_reference(REPO_ROOT / args.reference)
    print(f"wrote 3 SIPT demo exports and 3 reference CSVs to {out}")


if __name__ == "__main__":
    main()
