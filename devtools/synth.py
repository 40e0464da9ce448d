"""Synthetic exports of SIMETRIS, SAKTI and SIPT for many BPOM units, for benchmarks and scale tests.

    python -m devtools.synth --units N --months M --out DIR [--seed S] [--year Y]

writes, for N synthetic units (satker 9xxxxx, never a real code) and the months January..M of year Y:

    DIR/inbox/            the exports, in the formats of docs/formats.md (title rows, two-row SAKTI header,
                          Indonesian numbers in ';' CSV, plain ones in ',' CSV, xlsx, Windows-1252 or UTF-8):
                          per unit one RAPK and one POK for the year, and per month a SIMETRIS Realisasi, a SAKTI
                          GLP039 (1,000-8,000 akun lines per unit) and Capaian Output, and the three SIPT exports
                          (cumulative for the year; 20-400 new samples and 10-300 inspections per unit and month)
    DIR/reference/        the bundled reference CSVs, with the per-satker rows of Dumai (672849) repeated for each
                          synthetic unit (its RO codes, its sampling and inspection plans); use it as
                          SAKIP_REFERENCE_DIR
    DIR/bad_files.csv     the few bad files (about 2 %): each a copy of a good export with ONE problem of a kind
                          of docs/validation.md, and the check that must refuse it; the good export is written too
    DIR/files.csv         every file: source, satker, month, rows, bytes, bad or not
    DIR/manifest.json     what was generated: counts of files, rows and bytes per source, sizes, the bad files

Everything is drawn from `random.Random` streams keyed by the seed, the unit and the purpose, and the xlsx
metadata is fixed: the same arguments give byte-identical files. Units are generated in parallel processes
(one per core); each unit's files are written row by row (xlsxwriter in constant-memory mode).
"""
from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import itertools
import json
import math
import multiprocessing
import os
import random
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from devtools.exports import Style, Table, write_table
from sakip.warehouse.db import BUNDLED_REFERENCE

TEMPLATE_SATKER = "672849"          # Balai POM di Dumai: its per-satker reference rows are the template
TEMPLATE_YEAR = "2025"
BAD_SHARE = 0.02

SOURCES = ("simetris_rapk", "simetris_realisasi", "sakti_realisasi", "sakti_pok", "sakti_capaian_output",
           "sipt_sampel", "sipt_pemeriksaan", "sipt_rekomendasi")
MONTHLY_SOURCES = ("simetris_realisasi", "sakti_realisasi", "sakti_capaian_output", "sipt_sampel",
                   "sipt_pemeriksaan", "sipt_rekomendasi")
YEARLY_SOURCES = ("simetris_rapk", "sakti_pok")

BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember"]
D = dt.date

# ============================================================================================================
# Units: names, provinces, codes
# ============================================================================================================
PROVINSI_KODE = {
    "Aceh": "11", "Sumatera Utara": "12", "Sumatera Barat": "13", "Riau": "14", "Jambi": "15",
    "Sumatera Selatan": "16", "Bengkulu": "17", "Lampung": "18", "Kepulauan Bangka Belitung": "19",
    "Kepulauan Riau": "21", "DKI Jakarta": "31", "Jawa Barat": "32", "Jawa Tengah": "33", "DI Yogyakarta": "34",
    "Jawa Timur": "35", "Banten": "36", "Bali": "51", "Nusa Tenggara Barat": "52", "Nusa Tenggara Timur": "53",
    "Kalimantan Barat": "61", "Kalimantan Tengah": "62", "Kalimantan Selatan": "63", "Kalimantan Timur": "64",
    "Kalimantan Utara": "65", "Sulawesi Utara": "71", "Sulawesi Tengah": "72", "Sulawesi Selatan": "73",
    "Sulawesi Tenggara": "74", "Gorontalo": "75", "Sulawesi Barat": "76", "Maluku": "81", "Maluku Utara": "82",
    "Papua": "91", "Papua Barat": "92",
}
# (jenis UPT, place, province): Balai Besar in provincial capitals, Balai in the others, Loka in regencies.
CITIES: list[tuple[str, str, str]] = [
    ("Balai Besar POM", "Banda Aceh", "Aceh"), ("Balai Besar POM", "Medan", "Sumatera Utara"),
    ("Balai Besar POM", "Padang", "Sumatera Barat"), ("Balai Besar POM", "Pekanbaru", "Riau"),
    ("Balai Besar POM", "Jambi", "Jambi"), ("Balai Besar POM", "Palembang", "Sumatera Selatan"),
    ("Balai Besar POM", "Bandar Lampung", "Lampung"), ("Balai Besar POM", "Jakarta", "DKI Jakarta"),
    ("Balai Besar POM", "Bandung", "Jawa Barat"), ("Balai Besar POM", "Semarang", "Jawa Tengah"),
    ("Balai Besar POM", "Yogyakarta", "DI Yogyakarta"), ("Balai Besar POM", "Surabaya", "Jawa Timur"),
    ("Balai Besar POM", "Denpasar", "Bali"), ("Balai Besar POM", "Mataram", "Nusa Tenggara Barat"),
    ("Balai Besar POM", "Kupang", "Nusa Tenggara Timur"), ("Balai Besar POM", "Pontianak", "Kalimantan Barat"),
    ("Balai Besar POM", "Banjarmasin", "Kalimantan Selatan"), ("Balai Besar POM", "Samarinda", "Kalimantan Timur"),
    ("Balai Besar POM", "Manado", "Sulawesi Utara"), ("Balai Besar POM", "Palu", "Sulawesi Tengah"),
    ("Balai Besar POM", "Makassar", "Sulawesi Selatan"), ("Balai Besar POM", "Kendari", "Sulawesi Tenggara"),
    ("Balai Besar POM", "Ambon", "Maluku"), ("Balai Besar POM", "Jayapura", "Papua"),
    ("Balai POM", "Bengkulu", "Bengkulu"), ("Balai POM", "Pangkalpinang", "Kepulauan Bangka Belitung"),
    ("Balai POM", "Batam", "Kepulauan Riau"), ("Balai POM", "Serang", "Banten"),
    ("Balai POM", "Palangka Raya", "Kalimantan Tengah"), ("Balai POM", "Tarakan", "Kalimantan Utara"),
    ("Balai POM", "Gorontalo", "Gorontalo"), ("Balai POM", "Mamuju", "Sulawesi Barat"),
    ("Balai POM", "Sofifi", "Maluku Utara"), ("Balai POM", "Manokwari", "Papua Barat"),
    ("Balai POM", "Kota Tangerang", "Banten"), ("Balai POM", "Kota Bogor", "Jawa Barat"),
    ("Balai POM", "Kabupaten Banyumas", "Jawa Tengah"), ("Balai POM", "Kabupaten Jember", "Jawa Timur"),
    ("Loka POM", "Kota Lhokseumawe", "Aceh"), ("Loka POM", "Kabupaten Aceh Tengah", "Aceh"),
    ("Loka POM", "Kabupaten Toba", "Sumatera Utara"), ("Loka POM", "Kota Padangsidimpuan", "Sumatera Utara"),
    ("Loka POM", "Kota Bukittinggi", "Sumatera Barat"), ("Loka POM", "Kabupaten Dharmasraya", "Sumatera Barat"),
    ("Loka POM", "Kabupaten Indragiri Hilir", "Riau"), ("Loka POM", "Kabupaten Bungo", "Jambi"),
    ("Loka POM", "Kota Lubuklinggau", "Sumatera Selatan"), ("Loka POM", "Kabupaten Ogan Komering Ulu",
                                                                       "Sumatera Selatan"),
    ("Loka POM", "Kota Metro", "Lampung"), ("Loka POM", "Kabupaten Belitung", "Kepulauan Bangka Belitung"),
    ("Loka POM", "Kota Tanjungpinang", "Kepulauan Riau"), ("Loka POM", "Kota Tasikmalaya", "Jawa Barat"),
    ("Loka POM", "Kota Cirebon", "Jawa Barat"), ("Loka POM", "Kota Surakarta", "Jawa Tengah"),
    ("Loka POM", "Kabupaten Pati", "Jawa Tengah"), ("Loka POM", "Kabupaten Gunungkidul", "DI Yogyakarta"),
    ("Loka POM", "Kota Kediri", "Jawa Timur"), ("Loka POM", "Kabupaten Banyuwangi", "Jawa Timur"),
    ("Loka POM", "Kabupaten Bojonegoro", "Jawa Timur"), ("Loka POM", "Kabupaten Buleleng", "Bali"),
    ("Loka POM", "Kabupaten Bima", "Nusa Tenggara Barat"), ("Loka POM", "Kabupaten Manggarai Barat",
                                                            "Nusa Tenggara Timur"),
    ("Loka POM", "Kabupaten Sumba Timur", "Nusa Tenggara Timur"), ("Loka POM", "Kota Singkawang",
                                                                   "Kalimantan Barat"),
    ("Loka POM", "Kabupaten Sanggau", "Kalimantan Barat"), ("Loka POM", "Kabupaten Kotawaringin Timur",
                                                            "Kalimantan Tengah"),
    ("Loka POM", "Kabupaten Tabalong", "Kalimantan Selatan"), ("Loka POM", "Kota Balikpapan",
                                                               "Kalimantan Timur"),
    ("Loka POM", "Kabupaten Kutai Timur", "Kalimantan Timur"), ("Loka POM", "Kota Bitung", "Sulawesi Utara"),
    ("Loka POM", "Kota Kotamobagu", "Sulawesi Utara"), ("Loka POM", "Kabupaten Banggai", "Sulawesi Tengah"),
    ("Loka POM", "Kota Palopo", "Sulawesi Selatan"), ("Loka POM", "Kabupaten Bone", "Sulawesi Selatan"),
    ("Loka POM", "Kota Baubau", "Sulawesi Tenggara"), ("Loka POM", "Kabupaten Maluku Tenggara", "Maluku"),
    ("Loka POM", "Kota Ternate", "Maluku Utara"), ("Loka POM", "Kabupaten Merauke", "Papua"),
    ("Loka POM", "Kabupaten Mimika", "Papua"), ("Loka POM", "Kota Sorong", "Papua Barat"),
]
OTHER_KAB = ["Kabupaten Kampar", "Kabupaten Siak", "Kabupaten Sleman", "Kabupaten Bantul", "Kabupaten Garut",
             "Kabupaten Cianjur", "Kabupaten Sidoarjo", "Kabupaten Gresik", "Kabupaten Klaten", "Kabupaten Kudus",
             "Kabupaten Deli Serdang", "Kabupaten Langkat", "Kabupaten Agam", "Kabupaten Solok",
             "Kabupaten Muaro Jambi", "Kabupaten Banyuasin", "Kabupaten Lampung Selatan", "Kabupaten Badung",
             "Kabupaten Gianyar", "Kabupaten Lombok Barat", "Kabupaten Kubu Raya", "Kabupaten Banjar",
             "Kabupaten Kutai Kartanegara", "Kabupaten Minahasa", "Kabupaten Gowa", "Kabupaten Maros",
             "Kabupaten Konawe", "Kabupaten Sigi", "Kabupaten Maluku Tengah", "Kabupaten Jayapura",
             "Kota Depok", "Kota Bekasi", "Kota Magelang", "Kota Blitar", "Kota Pematangsiantar",
             "Kota Payakumbuh", "Kota Prabumulih", "Kota Cilegon", "Kota Bima", "Kota Tomohon"]


# ============================================================================================================
# SIMETRIS: the 24 indicators of Dumai's RAPK 2025 (its final revision), the template of every unit
# ============================================================================================================
_SS = {
    "SS1": "Meningkatnya efektivitas Pengawasan Sediaan Farmasi dan Pangan Olahan di wilayah kerja UPT",
    "SS2": "Meningkatnya Efektivitas Pengawasan Sarana Produksi Pangan Fortifikasi",
    "SS3": "Menguatnya Laboratorium Pengawasan Sediaan Farmasi dan Pangan Olahan di wilayah kerja UPT",
    "SS4": "Meningkatnya efektivitas KIE di masing-masing wilayah kerja UPT",
    "SS5": "Meningkatnya pendampingan UMKM dalam pemenuhan standar keamanan dan mutu",
    "SS6": "Terlaksananya Penindakan Kejahatan Sediaan Farmasi dan Pangan Olahan yang efektif di wilayah kerja UPT",
    "SS7": "Terlaksananya Kegiatan Deteksi Kejahatan di Bidang Sediaan Farmasi dan Pangan Olahan yang efektif di "
           "wilayah kerja UPT",
    "SS8": "Layanan Publik UPT yang Prima",
    "SS9": "Terwujudnya Tata Kelola Pemerintah Unit Organisasi yang Optimal",
}
# (kode SS, kode IKU, indikator, satuan, target PK, {month: target}, anggaran)
IKU: list[tuple[str, str, str, str, float, dict[int, float], int]] = [
    ("SS1", "IKU1.1", "Persentase sampel Sediaan Farmasi berisiko yang ditindaklanjuti sesuai ketentuan", "%",
     81.25, {3: 81.25, 6: 81.25, 9: 81.25, 12: 81.25}, 145716000),
    ("SS1", "IKU1.2", "Persentase sampel Pangan Olahan berisiko yang ditindaklanjuti sesuai ketentuan", "%",
     75.0, {3: 75.0, 6: 75.0, 9: 75.0, 12: 75.0}, 97110500),
    ("SS1", "IKU1.3", "Persentase sampel KLB Keracunan Pangan yang diuji sesuai standar", "%",
     100.0, {3: 100.0, 6: 100.0, 9: 100.0, 12: 100.0}, 5340100),
    ("SS1", "IKU1.4", "Persentase sampel PIRT berisiko yang ditindaklanjuti sesuai ketentuan", "%",
     85.0, {3: 85.0, 6: 85.0, 9: 85.0, 12: 85.0}, 21360000),
    ("SS1", "IKU1.5", "Persentase keputusan/rekomendasi hasil Pengawasan Sediaan Farmasi dan Pangan Olahan yang "
                      "ditindaklanjuti oleh stakeholder", "%", 94.06, {3: 45.0, 6: 45.0, 12: 94.06}, 80996250),
    ("SS1", "IKU1.6", "Persentase sarana produksi Sediaan Farmasi yang diperiksa dan ditindaklanjuti sesuai "
                      "ketentuan", "%", 90.0, {3: 90.0, 6: 90.0, 9: 90.0, 12: 90.0}, 31145875),
    ("SS1", "IKU1.7", "Persentase sarana produksi Pangan Olahan yang diperiksa dan ditindaklanjuti sesuai "
                      "ketentuan", "%", 90.0, {3: 90.0, 6: 90.0, 9: 90.0, 12: 90.0}, 31145875),
    ("SS1", "IKU1.8", "Persentase sarana distribusi Sediaan Farmasi yang diperiksa dan ditindaklanjuti sesuai "
                      "ketentuan", "%", 93.38, {3: 93.38, 6: 93.38, 9: 93.38, 12: 93.38}, 78272250),
    ("SS1", "IKU1.9", "Persentase sarana distribusi Pangan Olahan yang diperiksa dan ditindaklanjuti sesuai "
                      "ketentuan", "%", 85.0, {3: 85.0, 6: 85.0, 9: 85.0, 12: 85.0}, 78272250),
    ("SS1", "IKU1.10", "Persentase iklan Sediaan Farmasi dan Pangan Olahan yang diawasi sesuai ketentuan", "%",
     87.62, {3: 87.62, 6: 87.62, 9: 87.62, 12: 87.62}, 15570000),
    ("SS2", "IKU2.1", "Persentase sarana produksi pangan fortifikasi yang diperiksa dan ditindaklanjuti sesuai "
                      "ketentuan", "%", 60.0, {3: 10.0, 6: 30.0, 12: 60.0}, 10492500),
    ("SS3", "IKU3.1", "Nilai pemenuhan Lab Pengujian Sediaan Farmasi dan Pangan Olahan UPT sesuai Standar "
                      "Kemampuan Laboratorium", "nilai", 11.0, {3: 8.0, 6: 9.0, 9: 10.0, 12: 11.0}, 11566262000),
    ("SS4", "IKU4.1", "Tingkat efektivitas KIE Sediaan Farmasi dan Pangan Olahan di wilayah kerja UPT", "indeks",
     85.83, {3: 85.83, 6: 85.83, 9: 85.83, 12: 85.83}, 108018750),
    ("SS4", "IKU4.2", "Jumlah sekolah yang melaksanakan pembudayaan keamanan pangan",
     "sekolah (tahunan); bobot tahapan (bulanan)", 2.0, {3: 25.0, 6: 25.0}, 93882000),
    ("SS4", "IKU4.3", "Jumlah desa pangan aman", "desa (tahunan); bobot tahapan (bulanan)", 1.0,
     {3: 27.0, 6: 27.0}, 152589000),
    ("SS4", "IKU4.4", "Jumlah pasar pangan aman berbasis komunitas", "pasar (tahunan); bobot tahapan (bulanan)",
     1.0, {3: 30.0, 6: 75.0}, 100386000),
    ("SS5", "IKU5.1", "Persentase UMKM yang didampingi dan memperoleh rekomendasi sertifikat CPOBA / CPKB dan/atau "
                      "IP CPPOB Pangan Olahan", "%", 91.0, {3: 10.0, 6: 30.0, 9: 70.0, 12: 91.0}, 12390750),
    ("SS6", "IKU6.1", "Persentase Keberhasilan Penyidikan Kejahatan Sediaan Farmasi dan Pangan Olahan di UPT", "%",
     95.0, {9: 45.0, 12: 95.0}, 107821000),
    ("SS7", "IKU7.1", "Persentase Laporan Analisis Kejahatan Sediaan Farmasi dan Pangan Olahan yang diselesaikan "
                      "sesuai standar", "%", 90.0, {3: 50.0, 6: 50.0, 9: 50.0, 12: 90.0}, 75570000),
    ("SS8", "IKU8.1", "Indeks Pelayanan Publik UPT", "indeks", 3.75, {12: 3.75}, 140026500),
    ("SS9", "IKU9.1", "Nilai AKIP UPT BPOM", "nilai", 78.0, {12: 78.0}, 49750000),
    ("SS9", "IKU9.2", "Nilai Kinerja Anggaran UPT BPOM", "nilai", 5.0, {12: 5.0}, 2671875000),
    ("SS9", "IKU9.3", "Indeks Manajemen Risiko UPT BPOM", "indeks", 2.7, {12: 2.7}, 49750000),
    ("SS9", "IKU9.4", "Persentase Implementasi Rencana Aksi Reformasi Birokrasi", "%", 100.0,
     {3: 25.0, 6: 50.0, 9: 75.0, 12: 100.0}, 49750000),
]
# Dumai's first version lacked these IKU's B06 target; it came with the revision (Revisi 1).
REV0_WITHOUT_B06 = {"IKU1.5", "IKU2.1", "IKU4.2", "IKU4.3", "IKU4.4"}
# Indicators with the same target each quarter: some units also set it for every month (then January and
# February are measured too).
CONSTANT_TARGET = {"IKU1.1", "IKU1.2", "IKU1.4", "IKU1.6", "IKU1.7", "IKU1.8", "IKU1.9", "IKU1.10", "IKU4.1"}
YEAR_END_ONLY = {"IKU8.1", "IKU9.1", "IKU9.2", "IKU9.3"}
RAPK_HEADER = ["Tahun", "Kode Satker", "Kode SS", "Sasaran Strategis", "Kode IKU", "Indikator Kinerja", "Satuan",
               "Polaritas", "Target PK", *[f"B{m:02d}" for m in range(1, 13)], "Anggaran", "Revisi",
               "Tanggal Berlaku"]
RAPK_KINDS = ["number", *["text"] * 7, "dec", *["dec"] * 12, "amount", "number", "date"]
REALISASI_HEADER = ["Tahun", "Kode Satker", "Kode IKU", "Bulan", "Realisasi", "Keterangan"]
REALISASI_KINDS = ["number", "text", "text", "number", "dec", "text"]

# ============================================================================================================
# SAKTI: kegiatan, the 21 RO of Dumai (the slots of the budget → IKU map), extra ROs, akun
# ============================================================================================================
KEGIATAN = {
    "DR.3165": "Pengawasan Obat dan Makanan di Wilayah Kerja UPT",
    "WA.3166": "Dukungan Manajemen dan Pelaksanaan Tugas Teknis Lainnya",
}
# (kegiatan, KRO/RO, uraian, satuan output, yearly volume, weight in akun lines, capital)
RO_SLOTS: list[tuple[str, str, str, str, int, int, bool]] = [
    ("DR.3165", "QIA.005", "Laporan Analisis Kejahatan Obat dan Makanan", "Laporan", 2, 2, False),
    ("DR.3165", "AFA.001", "Keputusan dan Sertifikasi Layanan Publik", "Keputusan", 40, 2, False),
    ("DR.3165", "BDB.001", "Komunikasi, Informasi dan Edukasi Obat dan Makanan", "Kegiatan", 6, 3, False),
    ("DR.3165", "ADB.001", "Koordinasi Pengawasan Obat dan Makanan", "Laporan", 12, 2, False),
    ("DR.3165", "PBH.001", "Layanan Publikasi Keamanan dan Mutu Obat dan Makanan", "Layanan", 12, 2, False),
    ("WA.3166", "CAN.001", "Sarana Bidang Kesehatan", "Unit", 4, 1, True),
    ("WA.3166", "CAN.002", "Sarana Teknologi Informasi dan Komunikasi", "Unit", 1, 1, True),
    ("WA.3166", "CAB.001", "Prasarana Bidang Kesehatan", "Unit", 1, 1, True),
    ("DR.3165", "QDB.001", "Laboratorium Pengujian yang Memenuhi Standar", "Laboratorium", 1, 4, False),
    ("DR.3165", "PBG.001", "Penyidikan Kejahatan Obat dan Makanan", "Perkara", 2, 2, False),
    ("DR.3165", "BDB.002", "Sekolah dengan Pangan Jajanan Aman", "Sekolah", 2, 2, False),
    ("DR.3165", "BDB.003", "Desa Pangan Aman", "Desa", 1, 2, False),
    ("DR.3165", "BDB.004", "Pasar Pangan Aman Berbasis Komunitas", "Pasar", 1, 2, False),
    ("DR.3165", "BDB.005", "UMKM Obat dan Makanan yang Didampingi", "UMKM", 4, 2, False),
    ("DR.3165", "QIC.001", "Sampel Pangan Olahan yang Diuji", "Sampel", 45, 5, False),
    ("DR.3165", "QIC.002", "Sampel Obat, Obat Tradisional, Kosmetik dan Suplemen Kesehatan yang Diuji", "Sampel",
     322, 5, False),
    ("DR.3165", "QIA.001", "Sarana Produksi Obat dan Makanan yang Diperiksa", "Sarana", 16, 4, False),
    ("DR.3165", "QIA.002", "Sarana Produksi Pangan Fortifikasi yang Diperiksa", "Sarana", 3, 2, False),
    ("DR.3165", "QIA.003", "Sarana Distribusi Obat dan Makanan yang Diperiksa", "Sarana", 60, 4, False),
    ("DR.3165", "QDC.001", "Alat Laboratorium Pengujian", "Unit", 3, 1, True),
    ("WA.3166", "EBB.951", "Layanan Sarana dan Prasarana Internal", "Layanan", 1, 6, False),
]
SLOT_BDB001 = 2                 # mapped per komponen (051 and 052) in anggaran_kelompok: exactly those two
SLOT_EBB951 = 20                # reported every month in Capaian Output
EXTRA_ROS: list[tuple[str, str, str, str, int, int, bool]] = [
    ("WA.3166", "EBA.994", "Layanan Perkantoran", "Layanan", 12, 6, False),
    ("WA.3166", "EBA.956", "Layanan BMN", "Layanan", 1, 3, False),
    ("WA.3166", "EBA.957", "Layanan Hukum", "Layanan", 1, 2, False),
    ("WA.3166", "EBA.960", "Layanan Organisasi dan Tata Kelola Internal", "Layanan", 1, 2, False),
    ("WA.3166", "EBA.962", "Layanan Umum", "Layanan", 12, 3, False),
    ("WA.3166", "EBD.955", "Layanan Manajemen Kinerja Internal", "Dokumen", 4, 3, False),
    ("DR.3165", "QIA.004", "Iklan dan Penandaan Obat dan Makanan yang Diawasi", "Iklan", 120, 3, False),
    ("DR.3165", "QDB.002", "Pengujian Cemaran Mikrobiologi Pangan", "Sampel", 60, 3, False),
]
# Which group of the budget → IKU map an extra RO belongs to.
EXTRA_RO_KELOMPOK = {"EBA.994": "K15", "EBA.956": "K15", "EBA.957": "K15", "EBA.960": "K15", "EBA.962": "K15",
                     "EBD.955": "K14", "QIA.004": "K03", "QDB.002": "K05"}

AKUN_BARANG = {
    "521111": "Belanja Keperluan Perkantoran", "521113": "Belanja Penambah Daya Tahan Tubuh",
    "521114": "Belanja Pengiriman Surat Dinas Pos Pusat", "521115": "Belanja Honor Operasional Satuan Kerja",
    "521119": "Belanja Barang Operasional Lainnya", "521211": "Belanja Bahan",
    "521213": "Belanja Honor Output Kegiatan", "521219": "Belanja Barang Non Operasional Lainnya",
    "521252": "Belanja Peralatan dan Mesin - Ekstrakomptabel",
    "521253": "Belanja Gedung dan Bangunan - Ekstrakomptabel",
    "521811": "Belanja Barang Persediaan Barang Konsumsi", "521813": "Belanja Barang Persediaan Bahan Laboratorium",
    "522111": "Belanja Langganan Listrik", "522112": "Belanja Langganan Telepon", "522113": "Belanja Langganan Air",
    "522141": "Belanja Sewa", "522151": "Belanja Jasa Profesi", "522191": "Belanja Jasa Lainnya",
    "523111": "Belanja Pemeliharaan Gedung dan Bangunan",
    "523112": "Belanja Barang Persediaan Pemeliharaan Gedung dan Bangunan",
    "523121": "Belanja Pemeliharaan Peralatan dan Mesin",
    "523123": "Belanja Barang Persediaan Pemeliharaan Peralatan dan Mesin",
    "524111": "Belanja Perjalanan Dinas Biasa", "524113": "Belanja Perjalanan Dinas Dalam Kota",
    "524114": "Belanja Perjalanan Dinas Paket Meeting Dalam Kota",
    "524119": "Belanja Perjalanan Dinas Paket Meeting Luar Kota",
}
AKUN_MODAL = {
    "532111": "Belanja Modal Peralatan dan Mesin", "532121": "Belanja Modal Alat Laboratorium",
    "533111": "Belanja Modal Gedung dan Bangunan", "533121": "Belanja Modal Perencanaan Gedung dan Bangunan",
    "536111": "Belanja Modal Lainnya", "537112": "Belanja Modal Fisik Lainnya",
}
AKUN = {**AKUN_BARANG, **AKUN_MODAL}
AKUN_CAPITAL_POOL = sorted(AKUN_MODAL) + ["521211", "521219", "522151", "523121", "524111", "524113"]
AKUN_BARANG_POOL = sorted(AKUN_BARANG)
KOMPONEN_URAIAN = [
    "Penyusunan Rencana dan Program Kegiatan", "Pelaksanaan Kegiatan Pengawasan", "Koordinasi Lintas Sektor",
    "Monitoring dan Evaluasi", "Penyusunan Laporan", "Sampling dan Pengujian", "Pemeriksaan Sarana",
    "Komunikasi, Informasi dan Edukasi", "Pembinaan Pelaku Usaha", "Penguatan Kapasitas SDM",
    "Pengelolaan Data dan Informasi", "Pemeliharaan Sarana dan Prasarana", "Pengadaan Peralatan",
    "Operasional dan Pemeliharaan Kantor", "Dukungan Teknis Laboratorium", "Intensifikasi Pengawasan",
    "Layanan Pengaduan Konsumen", "Pengawasan Iklan dan Penandaan", "Penindakan dan Penyidikan",
    "Pendampingan UMKM", "Pengelolaan Keuangan dan BMN", "Penjaminan Mutu Laboratorium",
]
SUB_KOMPONEN_URAIAN = ["Persiapan", "Pelaksanaan", "Pelaporan", "Koordinasi", "Monitoring dan Evaluasi",
                       "Bimbingan Teknis", "Rapat Teknis", "Perjalanan Dinas", "Pengadaan Bahan",
                       "Dukungan Operasional"]
# Cumulative share of the year's spending by the end of each month (the usual December peak), and for capital
# purchases (procurement first, payment from mid-year).
CUM_BARANG = list(itertools.accumulate(x / 100 for x in [3, 5, 7, 8, 8, 9, 8, 8, 9, 9, 10, 16]))
CUM_MODAL = list(itertools.accumulate(x / 100 for x in [0, 0, 2, 4, 6, 10, 12, 14, 14, 12, 10, 16]))
RPD_BARANG = [3, 5, 7, 8, 8, 9, 8, 8, 9, 9, 10, 16]
RPD_MODAL = [0, 0, 2, 4, 6, 10, 12, 14, 14, 12, 10, 16]

GLP_HEADER_TOP = ["Program/Kegiatan", "KRO/RO", "Komponen", "Sub Komponen", "Akun", "Uraian", "Pagu Revisi",
                  "Lock Pagu", "Realisasi", "", "", "%", "Sisa"]
GLP_HEADER_SUB = ["", "", "", "", "", "", "", "", "Periode Lalu", "Periode Ini", "s.d. Periode", "", ""]
GLP_KINDS = ["text"] * 6 + ["amount"] * 5 + ["dec", "amount"]
POK_HEADER = ["Program/Kegiatan", "KRO/RO", "Komponen", "Sub Komponen", "Akun", "Uraian", *BULAN, "Jumlah", "Blokir"]
POK_KINDS = ["text"] * 6 + ["ribu"] * 14
CAPAIAN_HEADER = ["Tahun", "Kode Satker", "Kode RO", "Uraian RO", "Satuan", "Target Volume", "Realisasi Volume",
                  "Progres Capaian (%)", "Bulan"]
CAPAIAN_KINDS = ["number", "text", "text", "text", "text", "number", "number", "dec", "number"]

# ============================================================================================================
# SIPT
# ============================================================================================================
KOMODITI = ["Obat", "Obat Bahan Alam", "Obat Kuasi", "Suplemen Kesehatan", "Kosmetik", "Pangan Olahan", "PIRT"]
KOMODITI_WEIGHT = [40, 30, 10, 20, 36, 45, 20]
KELOMPOK = ["Produksi SF", "Produksi PO", "Produksi Fortifikasi", "Distribusi SF", "Distribusi PO", "Saryanfar"]
KELOMPOK_WEIGHT = [3, 15, 0, 45, 17, 15]           # fortification: drawn separately (few producers)
FOOD_KELOMPOK = {"Produksi SF", "Produksi PO", "Produksi Fortifikasi", "Distribusi PO"}
PRODUCTS = {
    "Obat": ["Parasetamol 500 mg Tablet", "Amoksisilin 500 mg Kapsul", "Asam Mefenamat 500 mg Tablet",
             "Klorfeniramin Maleat 4 mg Tablet", "Antasida Doen Tablet Kunyah", "Ibuprofen 400 mg Tablet",
             "Deksametason 0,5 mg Tablet", "Metformin HCl 500 mg Tablet", "Amlodipin 5 mg Tablet",
             "Parasetamol Sirup 120 mg/5 ml", "Ambroksol Sirup 15 mg/5 ml", "Kaptopril 25 mg Tablet",
             "Omeprazol 20 mg Kapsul", "Setirizin 10 mg Tablet", "Oralit 200 ml Serbuk"],
    "Obat Bahan Alam": ["Jamu Pegal Linu Kapsul", "Jamu Asam Urat Serbuk", "Jamu Sehat Pria Kapsul",
                        "Kapsul Ekstrak Sambiloto", "Jamu Masuk Angin Cair", "Minyak Kayu Putih",
                        "Kapsul Ekstrak Temulawak", "Jamu Pelangsing Kapsul", "Jamu Encok Rematik Pil"],
    "Obat Kuasi": ["Plester Koyo Hangat", "Minyak Gosok Hangat", "Balsem Otot", "Obat Kumur Antiseptik",
                   "Minyak Telon"],
    "Suplemen Kesehatan": ["Vitamin C 1000 mg Tablet Effervescent", "Suplemen Kolagen Serbuk",
                           "Kapsul Minyak Ikan Omega-3", "Multivitamin Sirup Anak", "Kalsium dan Vitamin D3 Tablet",
                           "Zinc dan Vitamin C Tablet Hisap"],
    "Kosmetik": ["Krim Malam Pencerah Wajah", "Krim Siang Pencerah SPF 15", "Serum Wajah Vitamin C",
                 "Lipstik Matte", "Bedak Padat", "Losion Tubuh Pencerah", "Sabun Pembersih Wajah",
                 "Sampo Anti Ketombe", "Pewarna Rambut Hitam", "Tabir Surya SPF 30", "Deodoran Roll On"],
    "Pangan Olahan": ["Mi Instan Goreng", "Susu Kental Manis", "Sirup Rasa Jeruk", "Biskuit Kelapa", "Kecap Manis",
                      "Saus Sambal", "Kopi Instan 3in1", "Permen Jeli", "Nugget Ayam Beku", "Sosis Sapi",
                      "Air Minum Dalam Kemasan", "Wafer Cokelat", "Teh Siap Minum", "Garam Konsumsi Beriodium",
                      "Tepung Terigu", "Minyak Goreng Sawit"],
    "PIRT": ["Kerupuk Ikan", "Keripik Pisang", "Dodol", "Abon Ikan", "Kue Bawang", "Rengginang", "Kacang Bawang",
             "Sambal Ikan Bilis", "Roti Kering Kayu Manis", "Sirup Jahe"],
    "Pangan KLB": ["Nasi Kotak Hajatan", "Kue Basah Sisa Konsumsi", "Lauk Pauk Katering", "Minuman Es Campur"],
}
KATEGORI = {
    "Obat": ["Obat dengan riwayat TMS", "Obat banyak digunakan masyarakat", "Obat sirup (cemaran EG/DEG)",
             "Obat program pemerintah"],
    "Obat Bahan Alam": ["OBA diduga mengandung BKO", "OBA klaim stamina dan pegal linu", "OBA produksi UMOT/UKOT"],
    "Obat Kuasi": ["Obat kuasi banyak beredar", "Produk dengan riwayat TMS"],
    "Suplemen Kesehatan": ["Suplemen diduga mengandung BKO", "Suplemen klaim berlebihan", "Suplemen banyak beredar"],
    "Kosmetik": ["Kosmetik diduga mengandung bahan dilarang", "Kosmetik berisiko cemaran mikroba",
                 "Kosmetik notifikasi baru"],
    "Pangan Olahan": ["Pangan berisiko cemaran mikroba", "Pangan dengan riwayat TMS", "Pangan yang banyak dikonsumsi",
                      "Pangan musiman"],
    "PIRT": ["PIRT berisiko bahan berbahaya", "PIRT berisiko cemaran mikroba", "PIRT oleh-oleh khas daerah"],
    "Pangan KLB": ["Sampel KLB Keracunan Pangan"],
}
OUTLET = {"sf": ["Apotek", "Toko Obat", "Toko Kosmetik", "Swalayan", "Minimarket"],
          "po": ["Swalayan", "Minimarket", "Toko Grosir", "Toko Sembako"],
          "pirt": ["Toko Oleh-Oleh", "Kedai", "Pasar Tradisional"]}
WORDS = ["Sehat", "Berkah", "Maju", "Jaya", "Makmur", "Sentosa", "Bersama", "Mandiri", "Sejahtera", "Utama", "Abadi",
         "Lestari", "Harapan", "Mulia", "Cahaya", "Permata", "Sinar", "Amanah", "Barokah", "Nusantara"]
JENIS_SARANA = {
    "Distribusi SF": ["Pedagang Besar Farmasi", "Toko Obat", "Toko Kosmetik", "Distributor Kosmetik", "Swalayan"],
    "Saryanfar": ["Apotek", "Puskesmas", "Klinik", "Instalasi Farmasi Rumah Sakit"],
    "Distribusi PO": ["Toko", "Swalayan", "Minimarket", "Distributor Pangan", "Toko Oleh-Oleh"],
    "Produksi PO": ["Sarana Produksi Pangan Olahan (MD)", "IRTP"],
    "Produksi SF": ["UMOT", "UKOT", "Industri Kosmetik"],
    "Produksi Fortifikasi": ["Produsen Minyak Goreng Sawit", "Produsen Tepung Terigu", "Produsen Garam Beriodium"],
}
SARANA_PREFIX = {"Pedagang Besar Farmasi": "PT", "Toko Obat": "Toko Obat", "Toko Kosmetik": "Toko Kosmetik",
                 "Distributor Kosmetik": "CV", "Swalayan": "Swalayan", "Apotek": "Apotek", "Puskesmas": "Puskesmas",
                 "Klinik": "Klinik Pratama", "Instalasi Farmasi Rumah Sakit": "IFRS", "Toko": "Toko",
                 "Minimarket": "Minimarket", "Distributor Pangan": "CV", "Toko Oleh-Oleh": "Toko Oleh-Oleh",
                 "Sarana Produksi Pangan Olahan (MD)": "PT", "IRTP": "UMKM", "UMOT": "UMOT", "UKOT": "UKOT",
                 "Industri Kosmetik": "PT", "Produsen Minyak Goreng Sawit": "PT", "Produsen Tepung Terigu": "PT",
                 "Produsen Garam Beriodium": "CV"}
TL_SAMPEL = "Pengamanan produk dan surat tindak lanjut kepada sarana"
PENERIMA_LS = ["Dinas Kesehatan", "Dinas Perdagangan", "DPMPTSP", "Dinas Koperasi dan UKM", "Kepolisian Resor",
               "Dinas Pendidikan", "Dinas Ketahanan Pangan"]
DASAR = ["Pemeriksaan Sarana", "Pengujian Sampel", "Iklan", "Label", "Kasus", "Pengaduan"]
DASAR_WEIGHT = [40, 25, 10, 10, 5, 10]

SAMPEL_HEADER = ["No", "Kode Sampel", "Nama Sampel", "Komoditi", "Kategori Sampel", "Nomor Registrasi",
                 "Tanggal Sampling", "Tempat Sampling", "Kabupaten/Kota", "Laboratorium Penguji", "Tanggal Terima Lab",
                 "Tanggal LHU", "Hasil Uji", "Kesimpulan Label", "Tindak Lanjut", "Tanggal Tindak Lanjut",
                 "Kode Satker"]
SAMPEL_KINDS = ["number", "text", "text", "text", "text", "text", "date", "text", "text", "text", "date", "date",
                "text", "text", "text", "date", "text"]
PEMERIKSAAN_HEADER = ["No", "ID Pemeriksaan", "ID Sarana", "Nama Sarana", "Jenis Sarana", "Kelompok",
                      "Kabupaten/Kota", "Tanggal Pemeriksaan", "Hasil", "Tanggal Laporan", "Nomor Surat TL",
                      "Tanggal Surat TL", "Jenis TL", "CAPA Diminta", "Tanggal CAPA Diterima", "Kode Satker"]
PEMERIKSAAN_KINDS = ["number", "text", "text", "text", "text", "text", "text", "date", "text", "date", "text", "date",
                     "text", "text", "date", "text"]
REKOMENDASI_HEADER = ["No", "Nomor Surat", "Tanggal Surat", "Jenis Penerima", "Penerima", "Dasar", "Perihal",
                      "Tanggal Feedback", "Kode Satker"]
REKOMENDASI_KINDS = ["number", "text", "date", "text", "text", "text", "text", "date", "text"]


# ============================================================================================================
# Working days
# ============================================================================================================
class WorkingDays:
    """The working-day calendar (sakip.calendar's, computed once in the parent and passed to the workers)."""

    def __init__(self, days: list[dt.date]):
        self.days = days

    def add(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after start (start itself when n == 0)."""
        if n <= 0:
            return start
        return self.days[bisect.bisect_right(self.days, start) + n - 1]

    def next(self, day: dt.date) -> dt.date:
        """day if it is a working day, else the next one."""
        return self.days[bisect.bisect_left(self.days, day)]

    def in_month(self, year: int, month: int) -> list[dt.date]:
        lo = bisect.bisect_left(self.days, D(year, month, 1))
        hi = bisect.bisect_left(self.days, _month_end(year, month) + dt.timedelta(days=1))
        return self.days[lo:hi]


def _working_days(year: int) -> list[dt.date]:
    from sakip.calendar import days_off, is_working_day
    off = days_off()
    start, end = D(year - 1, 1, 1), D(year + 1, 12, 31)
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)
            if is_working_day(start + dt.timedelta(days=i), off)]


def _month_end(year: int, month: int) -> dt.date:
    return (D(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)


# ============================================================================================================
# Unit specification (cheap, computed in the parent: it also feeds the reference CSVs)
# ============================================================================================================
@dataclass
class Ro:
    slot: int | None          # index in RO_SLOTS, None for an extra RO
    kegiatan: str
    kro: str
    uraian: str
    satuan: str
    volume: int
    weight: int
    capital: bool

    @property
    def code(self) -> str:
        return f"{self.kegiatan}.{self.kro}"


@dataclass
class UnitSpec:
    index: int
    satker: str
    nama: str
    jenis_upt: str
    provinsi: str
    kabs: list[tuple[str, str]]               # (Kabupaten/Kota, 4-digit code)
    lab: str
    n_akun: int
    ros: list[Ro]
    samples: list[dict[str, int]]             # per month 1..12: komoditi -> new samples
    inspections: list[dict[str, int]]         # per month 1..12: kelompok -> inspections
    letters: list[int]                        # per month 1..12: recommendation letters
    produsen_fortifikasi: int
    revision: dt.date | None                  # a RAPK revision (Revisi 1) taking effect that day
    monthly_targets: bool
    targets: dict[str, tuple[float, dict[int, float], int]]   # kode IKU -> (target PK, {month: target}, anggaran)
    simetris_habit: int
    sipt_habit: int


def _alloc(total: int, weights: list[float]) -> list[int]:
    """total split by weights into integers (largest remainder)."""
    wsum = sum(weights)
    if total <= 0 or wsum <= 0:
        return [0] * len(weights)
    exact = [total * w / wsum for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _place_name(place: str) -> str:
    """'Kabupaten Jember' stays; a bare city name is a Kota."""
    return place if place.startswith(("Kota ", "Kabupaten ")) else f"Kota {place}"


def unit_specs(units: int, seed: int, year: int) -> list[UnitSpec]:
    rng = random.Random(f"synth:{seed}:units")
    codes = rng.sample(range(900000, 1000000), units)
    order = rng.sample(range(len(CITIES)), len(CITIES))
    bb_by_prov = {prov: place for jenis, place, prov in CITIES if jenis == "Balai Besar POM"}
    specs = []
    for i in range(units):
        jenis, place, prov = CITIES[order[i % len(CITIES)]]
        suffix = "" if i < len(CITIES) else f" {i // len(CITIES) + 1}"
        nama = f"{jenis} di {place}{suffix}"
        specs.append(_unit_spec(i, str(codes[i]), nama, jenis, place, prov, bb_by_prov, seed, year))
    return specs


def _unit_spec(i: int, satker: str, nama: str, jenis: str, place: str, prov: str, bb_by_prov: dict[str, str],
               seed: int, year: int) -> UnitSpec:
    # The unit itself (satker, name, region, laboratory) depends on the seed only, so that the data sets of
    # several years (same seed, another --year) describe the same units; what it does in a year depends on both.
    identity = random.Random(f"synth:{seed}:{i}:identity")
    rng = random.Random(f"synth:{seed}:{i}:spec:{year}")
    pcode = PROVINSI_KODE[prov]
    same_prov = [_place_name(p) for _, p, pr in CITIES if pr == prov and p != place]
    others = identity.sample(same_prov, min(len(same_prov), 2)) + identity.sample(OTHER_KAB, 2)
    kab_names = [_place_name(place)] + others[: identity.randint(2, 4)]
    kabs = []
    used = set()
    for k, name in enumerate(kab_names):
        code = pcode + f"{(71 + k) if name.startswith('Kota') else (1 + k):02d}"
        while code in used:
            code = pcode + f"{identity.randint(1, 79):02d}"
        used.add(code)
        kabs.append((name, code))
    lab_city = place if jenis == "Balai Besar POM" else bb_by_prov.get(
        prov, identity.choice(sorted(bb_by_prov.values())))
    lab = f"Laboratorium Balai Besar POM di {lab_city}"

    ros = [Ro(s, *RO_SLOTS[s]) for s in range(len(RO_SLOTS))]
    ros += [Ro(None, *x) for x in sorted(rng.sample(EXTRA_ROS, rng.randint(0, 4)))]
    size = rng.uniform(0.6, 2.5)            # output volumes scale with the unit
    for ro in ros:
        if ro.satuan in ("Sampel", "Sarana", "Keputusan", "Iklan"):
            ro.volume = max(1, round(ro.volume * size))

    base_s = rng.randint(20, 400)
    base_i = rng.randint(10, 300)
    produsen = rng.randint(4, 30)
    samples, inspections, letters = [], [], []
    for _m in range(12):
        n = min(400, max(20, round(base_s * rng.uniform(0.6, 1.4))))
        weights = [w * rng.uniform(0.7, 1.3) for w in KOMODITI_WEIGHT]
        klb = rng.randint(1, 3) if rng.random() < 0.1 else 0
        counts = dict(zip(KOMODITI, _alloc(n - klb, weights)))
        if klb:
            counts["Pangan KLB"] = klb
        samples.append(counts)
        n = min(300, max(10, round(base_i * rng.uniform(0.6, 1.4))))
        fort = min(n - 5, rng.choice([0, 0, 1, 1, 2]) if produsen > 5 else rng.choice([0, 0, 1]))
        weights = [w * rng.uniform(0.7, 1.3) for w in KELOMPOK_WEIGHT]
        kcounts = dict(zip(KELOMPOK, _alloc(n - fort, weights)))
        kcounts["Produksi Fortifikasi"] = fort
        inspections.append(kcounts)
        letters.append(rng.randint(1, 6))

    revision = None
    if rng.random() < 0.4:
        month = rng.randint(2, 6)
        revision = rng.choice([d for d in (D(year, month, k) for k in range(10, 21)) if d.weekday() < 5])
    monthly = rng.random() < 0.7
    targets = {}
    for _ss, kode, _, satuan, target_pk, months, anggaran in IKU:
        f = rng.uniform(0.96, 1.04)

        def vary(v: float, kode=kode, f=f, satuan=satuan) -> float:
            if kode in ("IKU4.2", "IKU4.3", "IKU4.4", "IKU3.1") or v >= 100:
                return v
            out = round(v * f, 2)
            return min(out, 100.0) if satuan == "%" else out
        pk = vary(target_pk) if kode not in ("IKU4.2", "IKU4.3", "IKU4.4") else float(rng.randint(1, 4))
        mt = {m: vary(v) for m, v in months.items()}
        if monthly and kode in CONSTANT_TARGET:
            mt = {m: mt[3] for m in range(1, 13)}
        targets[kode] = (pk, mt, round(anggaran * size / 1000) * 1000)
    return UnitSpec(i, satker, nama, jenis, prov, kabs, lab, rng.randint(1000, 8000), ros, samples, inspections,
                    letters, produsen, revision, monthly, targets, identity.randrange(3), identity.randrange(3))


# ============================================================================================================
# SAKTI budget: the akun lines of a unit, their hierarchy and their realisation month by month
# ============================================================================================================
@dataclass
class Budget:
    # rows in export order: (codes, uraian, first leaf, end leaf); a leaf has its akun in codes[4]
    rows: list[tuple[tuple[str, str, str, str, str], str, int, int]]
    pagu: list[int]                  # per leaf, rupiah
    real: list[list[int]]            # real[m][leaf]: realisasi s.d. month m (m = 0: nothing yet), rupiah
    blokir: list[int]                # per leaf, rupiah
    rpd: list[list[int]]             # rpd[leaf][month 0..11], rupiah
    ro_pagu: dict[str, int]


def _split_even(total: int, parts: int, rng: random.Random) -> list[int]:
    sizes = [total // parts + (1 if k < total % parts else 0) for k in range(parts)]
    rng.shuffle(sizes)
    return sizes


def build_budget(spec: UnitSpec, rng: random.Random) -> Budget:
    ros = sorted(spec.ros, key=lambda r: (r.kegiatan, r.kro))
    lines = [max(3, x) for x in _alloc(spec.n_akun, [r.weight * rng.uniform(0.6, 1.4) for r in ros])]
    excess = sum(lines) - spec.n_akun
    while excess > 0:                                      # the minimum of 3 took a few: give them back
        k = max(range(len(lines)), key=lambda j: lines[j])
        lines[k] -= 1
        excess -= 1
    rows: list = []
    leaves: list[tuple[str, bool]] = []                   # (akun, capital)
    total_row = [("", "", "", "", ""), "JUMLAH SELURUHNYA", 0, 0]
    rows.append(total_row)
    for keg, keg_ros in itertools.groupby(zip(ros, lines), key=lambda x: x[0].kegiatan):
        keg_row = [(keg, "", "", "", ""), KEGIATAN[keg], len(leaves), 0]
        rows.append(keg_row)
        for ro, n in keg_ros:
            ro_row = [(keg, ro.kro, "", "", ""), ro.uraian, len(leaves), 0]
            rows.append(ro_row)
            pool = AKUN_CAPITAL_POOL if ro.capital else AKUN_BARANG_POOL
            cap = len(pool)
            if ro.slot == SLOT_BDB001:
                komp_sizes = _split_even(n, 2, rng)
            else:
                k = min(49, max(1, round(n / rng.randint(25, 70))))
                komp_sizes = [x for x in _alloc(n, [rng.uniform(0.5, 1.5) for _ in range(k)]) if x > 0]
            for kidx, ksize in enumerate(komp_sizes):
                komp = f"{51 + kidx:03d}"
                uraian = KOMPONEN_URAIAN[(kidx + (ro.slot or 7) * 3) % len(KOMPONEN_URAIAN)]
                komp_row = [(keg, ro.kro, komp, "", ""), uraian, len(leaves), 0]
                rows.append(komp_row)
                nsub = min(26, max(1, math.ceil(ksize / min(cap, rng.randint(6, 14)))))
                while math.ceil(ksize / nsub) > cap:
                    nsub += 1
                assert nsub <= 26, (ro.code, ksize)           # sub komponen A..Z
                for sidx, ssize in enumerate(_split_even(ksize, nsub, rng)):
                    sub = chr(ord("A") + sidx)
                    sub_uraian = ("Tanpa Sub Komponen" if nsub == 1
                                  else SUB_KOMPONEN_URAIAN[sidx % len(SUB_KOMPONEN_URAIAN)])
                    sub_row = [(keg, ro.kro, komp, sub, ""), sub_uraian, len(leaves), 0]
                    rows.append(sub_row)
                    for akun in sorted(rng.sample(pool, ssize)):
                        rows.append([(keg, ro.kro, komp, sub, akun), AKUN[akun], len(leaves), len(leaves) + 1])
                        leaves.append((akun, ro.capital))
                    sub_row[3] = len(leaves)
                komp_row[3] = len(leaves)
            ro_row[3] = len(leaves)
        keg_row[3] = len(leaves)
    total_row[3] = len(leaves)
    assert len(leaves) == spec.n_akun, (len(leaves), spec.n_akun)

    pagu, blokir, rpd = [], [], []
    real = [[0] * len(leaves) for _ in range(13)]
    lognorm, rand = rng.lognormvariate, rng.random
    for i, (akun, _) in enumerate(leaves):
        modal = akun.startswith("53")
        p = max(100, round(lognorm(8.0, 1.0) * (6 if modal else 1))) * 1000    # thousands: median ~Rp 3 juta
        if rand() < 0.05:
            p += 500
        pagu.append(p)
        cum = CUM_MODAL if modal else CUM_BARANG
        final = 0.0 if rand() < 0.04 else rng.uniform(0.55, 1.0)
        best = 0
        for m in range(12):
            share = min(final, cum[m] * final * (0.6 + 0.8 * rand()))
            value = min(p, int(round(p * share, -2)))
            best = max(best, value)
            real[m + 1][i] = best
        b = 0
        if rand() < 0.1:
            b = min(p - real[12][i], int(round(p * rng.uniform(0.02, 0.3), -3)))
            b = max(0, b // 1000 * 1000)
        blokir.append(b)
        plan = p - b
        weights = RPD_MODAL if modal else RPD_BARANG
        months = [plan * w // 100 // 1000 * 1000 for w in weights]
        months[11] += plan - sum(months)
        rpd.append(months)
    ro_pagu: dict[str, int] = {}
    for codes, _, a, b_ in rows:
        if codes[1] and not codes[2]:
            ro_pagu[f"{codes[0]}.{codes[1]}"] = sum(pagu[a:b_])
    return Budget([tuple(r) for r in rows], pagu, real, blokir, rpd, ro_pagu)


def _prefix(values: list[int]) -> list[int]:
    return [0, *itertools.accumulate(values)]


def glp039_table(spec: UnitSpec, budget: Budget, year: int, month: int, exported: dt.date) -> Table:
    pp = _prefix(budget.pagu)
    sd = _prefix(budget.real[month])
    lalu = _prefix(budget.real[month - 1])
    rows, bold = [], []
    for codes, uraian, a, b in budget.rows:
        pagu = pp[b] - pp[a]
        r = sd[b] - sd[a]
        last = lalu[b] - lalu[a]
        pct = round(r * 100 / pagu, 2) if pagu else 0.0
        rows.append([*codes, uraian, pagu, 0, last, r - last, r, pct, pagu - r])
        bold.append(not codes[4])
    titles = ["LAPORAN FA DETAIL (16 SEGMEN)",
              "KEMENTERIAN NEGARA/LEMBAGA : 063 - BADAN PENGAWAS OBAT DAN MAKANAN",
              f"SATKER : {spec.satker} - {spec.nama.upper()}",
              f"PERIODE : JANUARI s.d. {BULAN[month - 1].upper()} {year}",
              f"Tanggal Cetak : {exported.day:02d} {BULAN[exported.month - 1]} {exported.year}"]
    return Table("sakti_realisasi", "Laporan Fa Detail ", titles, [GLP_HEADER_TOP, GLP_HEADER_SUB], GLP_KINDS, rows,
                 bold, merges=((0, 8, 0, 10),), widths={0: 12, 1: 10, 5: 50, 6: 16, 10: 16, 12: 16})


def pok_table(spec: UnitSpec, budget: Budget, year: int, exported: dt.date) -> Table:
    cols = [_prefix([r[m] for r in budget.rpd]) for m in range(12)]
    jumlah = _prefix(budget.pagu)
    blokir = _prefix(budget.blokir)
    rows, bold = [], []
    for codes, uraian, a, b in budget.rows:
        values = [(c[b] - c[a]) / 1000 for c in cols] + [(jumlah[b] - jumlah[a]) / 1000,
                                                          (blokir[b] - blokir[a]) / 1000]
        rows.append([*codes, uraian, *[int(v) if v.is_integer() else v for v in values]])
        bold.append(not codes[4])
    titles = [f"SATKER : {spec.satker} - {spec.nama.upper()}", f"TAHUN ANGGARAN : {year}",
              f"Tanggal Cetak : {exported.day:02d} {BULAN[exported.month - 1]} {exported.year}"]
    return Table("sakti_pok", "UC_ANG_6.4", titles, [POK_HEADER], POK_KINDS, rows, bold,
                 widths={5: 50})


def capaian_paths(spec: UnitSpec, rng: random.Random) -> dict[str, list[int | None]]:
    """Per RO: cumulative delivered volume at the end of months 1..12 (None: not reported that month)."""
    out = {}
    for ro in spec.ros:
        start = 1 if ro.slot == SLOT_EBB951 else rng.choice([1, 1, 1, 2, 3, 4, 6])
        target = ro.volume
        cum, path = 0, []
        for m in range(1, 13):
            if m < start:
                path.append(None)
                continue
            if ro.slot == SLOT_EBB951 or ro.satuan in ("Layanan",):
                cum = round(target * m / 12) if target > 1 else (1 if m == 12 else 0)
            else:
                expected = target * m / 12 * rng.uniform(0.7, 1.3)
                cum = max(cum, min(round(expected), round(target * 1.2)))
            path.append(cum)
        out[ro.code] = path
    return out


def capaian_table(spec: UnitSpec, paths: dict[str, list[int | None]], year: int, month: int,
                  exported: dt.date) -> Table:
    rows = []
    for ro in sorted(spec.ros, key=lambda r: r.code):
        path = paths[ro.code]
        before = 0
        for m in range(1, month + 1):
            cum = path[m - 1]
            if cum is None:
                rows.append([year, spec.satker, ro.code, ro.uraian, ro.satuan, ro.volume, 0, None, m])
                continue
            progress = round(cum * 100 / ro.volume, 2) if ro.volume else None
            rows.append([year, spec.satker, ro.code, ro.uraian, ro.satuan, ro.volume, cum - before, progress, m])
            before = cum
    titles = ["CAPAIAN OUTPUT", f"SATKER : {spec.satker} - {spec.nama.upper()}",
              f"Tanggal Cetak : {exported.day:02d} {BULAN[exported.month - 1]} {exported.year}"]
    return Table("sakti_capaian_output", "Capaian Output", titles, [CAPAIAN_HEADER], CAPAIAN_KINDS, rows,
                 widths={2: 16, 3: 50})


# ============================================================================================================
# SIMETRIS
# ============================================================================================================
def rapk_versions(spec: UnitSpec, year: int, months: int) -> list[tuple[int, dt.date, dict[str, dict[int, float]]]]:
    """(Revisi, Tanggal Berlaku, {IKU: {month: target}}): one version, or two when the unit revised its RAPK
    within the months generated (the first version then lacks the B06 targets the revision added)."""
    first = D(year, 1, 2)
    while first.weekday() >= 5:
        first += dt.timedelta(days=1)
    final = {k: v[1] for k, v in spec.targets.items()}
    if spec.revision is None or spec.revision.month > months:
        return [(0, first, final)]
    rev0 = {k: ({m: t for m, t in v.items() if m != 6} if k in REV0_WITHOUT_B06 else v) for k, v in final.items()}
    return [(0, first, rev0), (1, spec.revision, final)]


def rapk_table(spec: UnitSpec, year: int, months: int, exported: dt.date) -> Table:
    rows = []
    for revisi, berlaku, targets in rapk_versions(spec, year, months):
        for ss, kode, indikator, satuan, _, _, _ in IKU:
            pk, _, anggaran = spec.targets[kode]
            mt = targets[kode]
            rows.append([year, spec.satker, ss, _SS[ss], kode, indikator, satuan, "Maximize", pk,
                         *[mt.get(m) for m in range(1, 13)], anggaran, revisi, berlaku])
    titles = [f"RENCANA AKSI PERJANJIAN KINERJA TAHUN {year}", f"Satuan Kerja : {spec.satker} - {spec.nama}",
              f"Tanggal Unduh : {exported:%d/%m/%Y}"]
    return Table("simetris_rapk", "RAPK", titles, [RAPK_HEADER], RAPK_KINDS, rows, widths={3: 40, 5: 50})


def realisasi_table(spec: UnitSpec, rng: random.Random, year: int, month: int, exported: dt.date) -> Table:
    versions = rapk_versions(spec, year, 12)
    end = _month_end(year, month)
    targets = [v for v in versions if v[1] <= end][-1][2]
    bulan = f"B{month:02d}" if rng.random() < 0.7 else month
    rows = []
    for _, kode, _, satuan, _, _, _ in IKU:
        t = targets[kode].get(month)
        if t is None:
            note = "Diukur pada akhir tahun" if kode in YEAR_END_ONLY else "Tidak ada target bulan ini"
            rows.append([year, spec.satker, kode, bulan, None, note])
        elif kode == "IKU1.3" and rng.random() < 0.6:
            rows.append([year, spec.satker, kode, bulan, "-", "Tidak ada sampel KLB Keracunan Pangan"])
        elif rng.random() < 0.03:
            rows.append([year, spec.satker, kode, bulan, None, "Data dukung belum lengkap"])
        else:
            v = round(t * rng.uniform(0.88, 1.18), 2)
            if satuan == "%":
                v = min(v, 100.0)
            rows.append([year, spec.satker, kode, bulan, v, None])
    titles = [f"REALISASI KINERJA TAHUN {year}", f"Satuan Kerja : {spec.satker} - {spec.nama}",
              f"Tanggal Unduh : {exported:%d/%m/%Y}"]
    return Table("simetris_realisasi", "Realisasi", titles, [REALISASI_HEADER], REALISASI_KINDS, rows,
                 widths={2: 10, 5: 40})


# ============================================================================================================
# SIPT records (the year so far) and their cumulative exports
# ============================================================================================================
@dataclass
class Sample:
    kode: str
    nama: str
    komoditi: str
    kategori: str
    registrasi: str
    sampling: dt.date
    tempat: str
    kab: str
    lab: str
    terima: dt.date
    lhu: dt.date
    hasil: str
    label: str
    tl: dt.date | None


@dataclass
class Inspection:
    id: str
    id_sarana: str
    nama: str
    jenis: str
    kelompok: str
    kab: str
    tanggal: dt.date
    hasil: str
    laporan: dt.date | None
    nomor_tl: str
    tanggal_tl: dt.date | None
    jenis_tl: str
    capa: str
    capa_diterima: dt.date | None


@dataclass
class Letter:
    nomor: str
    tanggal: dt.date
    jenis: str
    penerima: str
    dasar: str
    perihal: str
    feedback: dt.date | None


def _registrasi(komoditi: str, rng: random.Random) -> str:
    digits = lambda n: f"{rng.randrange(10 ** n):0{n}d}"  # noqa: E731
    if komoditi == "Obat":
        return f"{rng.choice(['GKL', 'GKL', 'DKL', 'DBL'])}{digits(10)}A1"
    if komoditi == "Obat Bahan Alam":
        return f"POM TR {digits(9)}"
    if komoditi == "Obat Kuasi":
        return f"POM QD {digits(9)}"
    if komoditi == "Suplemen Kesehatan":
        return f"POM SD {digits(9)}"
    if komoditi == "Kosmetik":
        return f"NA18{digits(9)}"
    if komoditi == "Pangan Olahan":
        return f"BPOM RI {rng.choice(['MD', 'MD', 'ML'])} {digits(12)}"
    if komoditi == "PIRT":
        return f"P-IRT {digits(13)}-{digits(2)}"
    return ""


def build_samples(spec: UnitSpec, rng: random.Random, hk: WorkingDays, year: int, months: int) -> list[Sample]:
    out: list[Sample] = []
    n = 0
    for m in range(1, months + 1):
        days = hk.in_month(year, m)
        end = _month_end(year, m)
        batch = []
        for komoditi, count in spec.samples[m - 1].items():
            kind = "sf" if komoditi not in ("Pangan Olahan", "PIRT", "Pangan KLB") else (
                "pirt" if komoditi == "PIRT" else "po")
            for _ in range(count):
                sampling = rng.choice(days)
                terima = hk.next(sampling + dt.timedelta(days=rng.choice([0, 1, 1, 2, 2, 3])))
                if terima > end:
                    terima = sampling
                late = rng.random() < 0.15
                lhu = hk.add(terima, rng.randint(16, 35) if late else rng.randint(3, 15))
                hasil = "TMS" if rng.random() < 0.06 else "MS"
                label = rng.choices(["Memenuhi", "TIE", "Rusak", "Kedaluwarsa"], [95, 3, 1, 1])[0]
                tl = hk.add(lhu, rng.randint(2, 8)) if hasil == "TMS" or label != "Memenuhi" else None
                kab, _ = rng.choice(spec.kabs)
                town = kab.split(" ", 1)[1]
                tempat = f"{rng.choice(OUTLET[kind])} {rng.choice(WORDS)} {town}"
                batch.append([sampling, komoditi, rng.choice(PRODUCTS[komoditi]), rng.choice(KATEGORI[komoditi]),
                              "" if label == "TIE" or komoditi == "Pangan KLB" else _registrasi(komoditi, rng),
                              tempat, kab, terima, lhu, hasil, label, tl])
        batch.sort(key=lambda x: (x[0], KOMODITI.index(x[1]) if x[1] in KOMODITI else 99))
        for b in batch:
            n += 1
            sampling, komoditi, nama, kategori, reg, tempat, kab, terima, lhu, hasil, label, tl = b
            out.append(Sample(f"SMP-{year}-{n:05d}", nama, komoditi, kategori, reg, sampling, tempat, kab, spec.lab,
                              terima, lhu, hasil, label, tl))
    return out


def build_inspections(spec: UnitSpec, rng: random.Random, hk: WorkingDays, year: int,
                      months: int) -> list[Inspection]:
    out: list[Inspection] = []
    n = 0
    for m in range(1, months + 1):
        days = hk.in_month(year, m)
        batch = []
        for kelompok, count in spec.inspections[m - 1].items():
            for _ in range(count):
                tanggal = rng.choice(days)
                kab, kcode = rng.choice(spec.kabs)
                jenis = rng.choice(JENIS_SARANA[kelompok])
                town = kab.split(" ", 1)[1]
                nama = f"{SARANA_PREFIX[jenis]} {rng.choice(WORDS)} {rng.choice(WORDS)} {town}"
                id_sarana = f"SRN-{kcode}-{rng.randrange(10000):04d}"
                hasil = "TMK" if rng.random() < 0.12 else "MK"
                late = rng.random() < 0.12
                laporan = hk.add(tanggal, rng.randint(6, 12) if late else rng.randint(1, 5))
                tanggal_tl, jenis_tl = None, ""
                if hasil == "TMK" or kelompok in FOOD_KELOMPOK:
                    tanggal_tl = hk.add(tanggal, rng.randint(1, 8))
                    jenis_tl = "Pembinaan" if hasil == "MK" else rng.choice(
                        ["Pembinaan", "Peringatan", "Peringatan", "Peringatan Keras", "Rekomendasi PSK"])
                capa = "Ya" if hasil == "TMK" else "Tidak"
                capa_diterima = None
                if capa == "Ya" and rng.random() < 0.85:  # a TMK always has its letter: the CAPA answers it
                    capa_diterima = hk.next(tanggal_tl + dt.timedelta(days=rng.randint(10, 40)))
                batch.append([tanggal, KELOMPOK.index(kelompok), id_sarana, nama, jenis, kelompok, kab, hasil,
                              laporan, tanggal_tl, jenis_tl, capa, capa_diterima])
        batch.sort(key=lambda x: (x[0], x[1]))
        for b in batch:
            n += 1
            tanggal, _, id_sarana, nama, jenis, kelompok, kab, hasil, laporan, tanggal_tl, jenis_tl, capa, cd = b
            nomor_tl = f"T-PW.02.02.{spec.satker[-3:]}.{tanggal.month:02d}.{year % 100:02d}.{n:05d}" \
                if tanggal_tl else ""
            out.append(Inspection(f"PMR-{year}-{n:05d}", id_sarana, nama, jenis, kelompok, kab, tanggal, hasil,
                                  laporan, nomor_tl, tanggal_tl, jenis_tl, capa, cd))
    return out


def build_letters(spec: UnitSpec, rng: random.Random, hk: WorkingDays, year: int, months: int) -> list[Letter]:
    out: list[Letter] = []
    n = 0
    for m in range(1, months + 1):
        days = hk.in_month(year, m)
        batch = []
        for _ in range(spec.letters[m - 1]):
            tanggal = rng.choice(days)
            dasar = rng.choices(DASAR, DASAR_WEIGHT)[0]
            kab, _ = rng.choice(spec.kabs)
            if rng.random() < 0.6:
                jenis = "Pelaku Usaha"
                penerima = f"{rng.choice(['PT', 'CV', 'Toko', 'Apotek', 'UMKM'])} {rng.choice(WORDS)} " \
                           f"{rng.choice(WORDS)} {kab.split(' ', 1)[1]}"
            else:
                jenis = "Lintas Sektor"
                penerima = f"{rng.choice(PENERIMA_LS)} {kab}"
            feedback = hk.next(tanggal + dt.timedelta(days=rng.randint(5, 45))) if rng.random() < 0.8 else None
            batch.append([tanggal, jenis, penerima, dasar, feedback])
        batch.sort(key=lambda x: x[0])
        for tanggal, jenis, penerima, dasar, feedback in batch:
            n += 1
            nomor = f"R-PW.02.03.{spec.satker[-3:]}.{tanggal.month:02d}.{year % 100:02d}.{n:04d}"
            perihal = f"Rekomendasi tindak lanjut hasil {dasar.lower()}"
            out.append(Letter(nomor, tanggal, jenis, penerima, dasar, perihal, feedback))
    return out


def _sipt_titles(title: str, spec: UnitSpec, year: int, end: dt.date, exported: dt.date, rng: random.Random):
    label = rng.choice(["Tanggal Cetak", "Tanggal Cetak", "Tanggal Unduh"])
    clock = f" {rng.randint(7, 16):02d}:{rng.randint(0, 59):02d}" if rng.random() < 0.2 else ""
    return [title, f"Satuan Kerja : {spec.satker} - {spec.nama}", f"Periode : 01/01/{year} s.d. {end:%d/%m/%Y}",
            f"{label} : {exported:%d/%m/%Y}{clock}"]


def _shown(d: dt.date | None, end: dt.date) -> dt.date | None:
    return d if d is not None and d <= end else None


def sampel_table(spec, samples: list[Sample], year, month, exported, rng) -> Table:
    end = _month_end(year, month)
    rows = []
    no = 0
    for s in samples:
        if s.sampling > end:
            break
        no += 1
        lhu = _shown(s.lhu, end)
        tl = _shown(s.tl, end)
        rows.append([no, s.kode, s.nama, s.komoditi, s.kategori, s.registrasi or None, s.sampling, s.tempat, s.kab,
                     s.lab, s.terima, lhu, s.hasil if lhu else None, s.label if lhu else None,
                     TL_SAMPEL if tl else None, tl, spec.satker])
    return Table("sipt_sampel", "Data Sampel", _sipt_titles("DATA SAMPEL DAN PENGUJIAN", spec, year, end, exported,
                                                           rng), [SAMPEL_HEADER], SAMPEL_KINDS, rows,
                 widths={1: 15, 2: 35, 9: 40})


def pemeriksaan_table(spec, inspections: list[Inspection], year, month, exported, rng) -> Table:
    end = _month_end(year, month)
    rows = []
    no = 0
    for p in inspections:
        if p.tanggal > end:
            break
        no += 1
        tl = _shown(p.tanggal_tl, end)
        rows.append([no, p.id, p.id_sarana, p.nama, p.jenis, p.kelompok, p.kab, p.tanggal, p.hasil,
                     _shown(p.laporan, end), p.nomor_tl if tl else None, tl, p.jenis_tl if tl else None, p.capa,
                     _shown(p.capa_diterima, end), spec.satker])
    return Table("sipt_pemeriksaan", "Data Pemeriksaan",
                 _sipt_titles("DATA PEMERIKSAAN SARANA", spec, year, end, exported, rng), [PEMERIKSAAN_HEADER],
                 PEMERIKSAAN_KINDS, rows, widths={1: 16, 3: 40})


def rekomendasi_table(spec, letters: list[Letter], year, month, exported, rng) -> Table:
    end = _month_end(year, month)
    rows = []
    no = 0
    for r in letters:
        if r.tanggal > end:
            break
        no += 1
        rows.append([no, r.nomor, r.tanggal, r.jenis, r.penerima, r.dasar, r.perihal, _shown(r.feedback, end),
                     spec.satker])
    return Table("sipt_rekomendasi", "Rekomendasi",
                 _sipt_titles("DATA REKOMENDASI HASIL PENGAWASAN", spec, year, end, exported, rng),
                 [REKOMENDASI_HEADER], REKOMENDASI_KINDS, rows, widths={1: 30, 4: 45})


# ============================================================================================================
# Bad files: a copy of a good export with ONE problem, and the check that must refuse it
# ============================================================================================================
def _replace_row(t: Table, i: int, **changes) -> list:
    row = list(t.rows[i])
    for label, value in changes.items():
        row[t.col(label.replace("__", " "))] = value
    t.rows[i] = row
    return row


def _rows_where(t: Table, pred) -> list[int]:
    return [i for i, r in enumerate(t.rows) if pred(r)]


def _unknown_satker(ctx) -> str:
    rng = ctx["rng"]
    while True:
        code = str(rng.randrange(900000, 1000000))
        if code not in ctx["satkers"]:
            return code


def bad_satker_registry(t: Table, ctx) -> str:
    code = _unknown_satker(ctx)
    satker = ctx["satker"]
    t.titles = [x.replace(satker, code) for x in t.titles]
    try:
        c = t.col("Kode Satker")
    except KeyError:
        c = None
    if c is not None:
        t.rows = [[*r[:c], code, *r[c + 1:]] for r in t.rows]
    return f"satker {code} (not in the UPT registry) in place of {satker}"


def bad_satker_mismatch(t: Table, ctx) -> str:
    code = _unknown_satker(ctx)
    t.titles = [x.replace(ctx["satker"], code) for x in t.titles]
    return f"the title rows name satker {code}, the rows {ctx['satker']}"


# The columns that identify a row, per source (what a duplicate repeats).
_KEY_LABELS = {"simetris_rapk": ("Kode IKU", "Revisi"), "simetris_realisasi": ("Kode IKU", "Bulan"),
               "sakti_capaian_output": ("Kode RO", "Bulan"), "sipt_sampel": ("Kode Sampel",),
               "sipt_pemeriksaan": ("ID Pemeriksaan",), "sipt_rekomendasi": ("Nomor Surat",)}


def bad_duplicate_row(t: Table, ctx) -> str:
    i = ctx["rng"].randrange(len(t.rows))
    t.rows.insert(i + 1, list(t.rows[i]))
    key = " ".join(f"{label} {t.rows[i][t.col(label)]}" for label in _KEY_LABELS[t.source])
    return f"the row of {key} appears twice"


def bad_realisasi_bulan13(t: Table, ctx) -> str:
    i = ctx["rng"].randrange(len(t.rows))
    _replace_row(t, i, Bulan="B13")
    return f"Bulan B13 on {t.rows[i][2]}"


def bad_realisasi_number(t: Table, ctx) -> str:
    rows = _rows_where(t, lambda r: isinstance(r[4], float))
    i = ctx["rng"].choice(rows) if rows else 0
    _replace_row(t, i, Realisasi="93,9O")
    return f"Realisasi '93,9O' (letter O for zero) on {t.rows[i][2]}"


def bad_rapk_polaritas(t: Table, ctx) -> str:
    i = ctx["rng"].randrange(len(t.rows))
    _replace_row(t, i, Polaritas="Maksimal")
    return f"Polaritas 'Maksimal' on {t.rows[i][4]}"


def bad_rapk_negative(t: Table, ctx) -> str:
    i = ctx["rng"].randrange(len(t.rows))
    _replace_row(t, i, Target__PK=-5.0)
    return f"Target PK -5 on {t.rows[i][4]}"


def bad_glp_cut(t: Table, ctx) -> str:
    half = len(t.rows) // 2
    t.rows = t.rows[:half]
    t.bold = t.bold[:half]
    return f"cut off after {half} of its rows: subtotals above no longer equal their akun lines"


def _ancestors(t: Table, codes: tuple) -> list[int]:
    wanted = {tuple(codes[:k]) + ("",) * (5 - k) for k in range(0, 5)}
    return [i for i, r in enumerate(t.rows) if tuple(r[:5]) in wanted]


def _leaf_rows(t: Table) -> list[int]:
    return [i for i, r in enumerate(t.rows) if r[4]]


def bad_glp_overspent(t: Table, ctx) -> str:
    rng = ctx["rng"]
    leaves = [i for i in _leaf_rows(t) if t.rows[i][6] > 0]
    i = rng.choice(leaves)
    row = t.rows[i]
    delta = row[6] - row[10] + 2_500_000
    for j in [i, *_ancestors(t, tuple(row[:5]))]:
        r = list(t.rows[j])
        r[9] += delta
        r[10] += delta
        r[12] -= delta
        r[11] = round(r[10] * 100 / r[6], 2) if r[6] else 0.0
        t.rows[j] = r
    return f"akun line {' '.join(row[:5])} spent Rp 2.500.000 more than its pagu (subtotals follow)"


def bad_glp_sisa(t: Table, ctx) -> str:
    i = ctx["rng"].choice(_leaf_rows(t))
    row = list(t.rows[i])
    row[12] += 1_000_000
    t.rows[i] = row
    return f"Sisa of akun line {' '.join(row[:5])} is Rp 1.000.000 too high"


def bad_pok_blokir(t: Table, ctx) -> str:
    rng = ctx["rng"]
    i = rng.choice(_leaf_rows(t))
    row = t.rows[i]
    jumlah_c, blokir_c = t.col("Jumlah"), t.col("Blokir")
    delta = row[jumlah_c] - row[blokir_c] + 1000
    for j in [i, *_ancestors(t, tuple(row[:5]))]:
        r = list(t.rows[j])
        r[blokir_c] += delta
        if isinstance(r[blokir_c], float) and r[blokir_c].is_integer():
            r[blokir_c] = int(r[blokir_c])
        t.rows[j] = r
    return f"Blokir of akun line {' '.join(row[:5])} exceeds its Jumlah by 1.000 (thousands; subtotals follow)"


def bad_pok_cut(t: Table, ctx) -> str:
    return bad_glp_cut(t, ctx)


def bad_capaian_progress(t: Table, ctx) -> str:
    rows = _rows_where(t, lambda r: r[7] is not None)
    i = ctx["rng"].choice(rows)
    _replace_row(t, i, **{"Progres Capaian (%)": 1500.0})
    return f"Progres Capaian 1500 % on {t.rows[i][2]} month {t.rows[i][8]}"


def bad_capaian_ro(t: Table, ctx) -> str:
    i = ctx["rng"].randrange(len(t.rows))
    code = t.rows[i][2]
    bad = code.replace(".", "", 1)
    for j, r in enumerate(t.rows):
        if r[2] == code:
            _replace_row(t, j, Kode__RO=bad)
    return f"Kode RO written {bad} (no dot after the kegiatan)"


def bad_sampel_lhu_before(t: Table, ctx) -> str:
    c_lhu, c_terima = t.col("Tanggal LHU"), t.col("Tanggal Terima Lab")
    rows = _rows_where(t, lambda r: r[c_lhu] is not None)
    i = ctx["rng"].choice(rows)
    new = t.rows[i][c_terima] - dt.timedelta(days=3)
    _replace_row(t, i, Tanggal__LHU=new)
    return f"Tanggal LHU of {t.rows[i][1]} three days before the lab received it"


def bad_sampel_receipt_before(t: Table, ctx) -> str:
    c_s = t.col("Tanggal Sampling")
    rows = _rows_where(t, lambda r: r[c_s].month > 1 or r[c_s].day > 5)
    i = ctx["rng"].choice(rows)
    _replace_row(t, i, **{"Tanggal Terima Lab": t.rows[i][c_s] - dt.timedelta(days=2)})
    return f"Tanggal Terima Lab of {t.rows[i][1]} two days before it was sampled"


def bad_sampel_result_without_lhu(t: Table, ctx) -> str:
    c_lhu = t.col("Tanggal LHU")
    rows = _rows_where(t, lambda r: r[c_lhu] is not None and r[t.col("Tanggal Tindak Lanjut")] is None)
    i = ctx["rng"].choice(rows)
    _replace_row(t, i, Tanggal__LHU=None)
    return f"Hasil Uji of {t.rows[i][1]} without a Tanggal LHU"


def bad_sampel_komoditi(t: Table, ctx) -> str:
    i = ctx["rng"].randrange(len(t.rows))
    _replace_row(t, i, Komoditi="Makanan")
    return f"Komoditi 'Makanan' (not a SIPT komoditi) on {t.rows[i][1]}"


def bad_sampel_after_export(t: Table, ctx) -> str:
    c_lhu = t.col("Tanggal LHU")
    rows = _rows_where(t, lambda r: r[c_lhu] is None and r[t.col("Hasil Uji")] is None)
    i = ctx["rng"].choice(rows) if rows else len(t.rows) - 1
    _replace_row(t, i, Tanggal__LHU=ctx["exported"] + dt.timedelta(days=9))
    return f"Tanggal LHU of {t.rows[i][1]} nine days after the export date"


def bad_pemeriksaan_kelompok(t: Table, ctx) -> str:
    i = ctx["rng"].randrange(len(t.rows))
    _replace_row(t, i, Kelompok="Distribusi Pangan")
    return f"Kelompok 'Distribusi Pangan' on {t.rows[i][1]}"


def bad_pemeriksaan_report_before(t: Table, ctx) -> str:
    c_lap = t.col("Tanggal Laporan")
    rows = _rows_where(t, lambda r: r[c_lap] is not None)
    i = ctx["rng"].choice(rows)
    _replace_row(t, i, **{"Tanggal Laporan": t.rows[i][t.col("Tanggal Pemeriksaan")] - dt.timedelta(days=2)})
    return f"Tanggal Laporan of {t.rows[i][1]} two days before the inspection"


def bad_pemeriksaan_year(t: Table, ctx) -> str:
    i = ctx["rng"].randrange(len(t.rows))
    _replace_row(t, i, **{"Tanggal Pemeriksaan": D(ctx["year"] - 1, 12, 30)})
    return f"Tanggal Pemeriksaan of {t.rows[i][1]} in the previous year"


def bad_rekomendasi_feedback(t: Table, ctx) -> str:
    i = ctx["rng"].randrange(len(t.rows))
    _replace_row(t, i, **{"Tanggal Feedback": t.rows[i][t.col("Tanggal Surat")] - dt.timedelta(days=4)})
    return f"Tanggal Feedback of {t.rows[i][1]} four days before the letter"


def bad_rekomendasi_dasar(t: Table, ctx) -> str:
    i = ctx["rng"].randrange(len(t.rows))
    _replace_row(t, i, Dasar="Lainnya")
    return f"Dasar 'Lainnya' on {t.rows[i][1]}"


# source -> [(expected check, mutator)]
BAD_KINDS: dict[str, list[tuple[str, object]]] = {
    "simetris_rapk": [("format", bad_rapk_polaritas), ("duplicate_key", bad_duplicate_row),
                      ("range", bad_rapk_negative), ("satker_registry", bad_satker_registry)],
    "simetris_realisasi": [("month", bad_realisasi_bulan13), ("number", bad_realisasi_number),
                           ("duplicate_key", bad_duplicate_row), ("satker_registry", bad_satker_registry),
                           ("satker", bad_satker_mismatch)],
    "sakti_realisasi": [("subtotal", bad_glp_cut), ("realisasi_within_pagu", bad_glp_overspent),
                        ("sisa_matches", bad_glp_sisa), ("satker_registry", bad_satker_registry)],
    "sakti_pok": [("blokir_within_jumlah", bad_pok_blokir), ("subtotal", bad_pok_cut),
                  ("satker_registry", bad_satker_registry)],
    "sakti_capaian_output": [("range", bad_capaian_progress), ("format", bad_capaian_ro),
                             ("duplicate_key", bad_duplicate_row), ("satker", bad_satker_mismatch)],
    "sipt_sampel": [("duplicate_key", bad_duplicate_row), ("lhu_not_before_receipt", bad_sampel_lhu_before),
                    ("allowed_value", bad_sampel_komoditi), ("date_not_after_export", bad_sampel_after_export),
                    ("receipt_not_before_sampling", bad_sampel_receipt_before),
                    ("result_needs_lhu", bad_sampel_result_without_lhu), ("satker_registry", bad_satker_registry)],
    "sipt_pemeriksaan": [("allowed_value", bad_pemeriksaan_kelompok),
                         ("report_not_before_inspection", bad_pemeriksaan_report_before),
                         ("duplicate_key", bad_duplicate_row), ("date_in_year", bad_pemeriksaan_year),
                         ("satker", bad_satker_mismatch)],
    "sipt_rekomendasi": [("feedback_not_before_letter", bad_rekomendasi_feedback),
                         ("allowed_value", bad_rekomendasi_dasar), ("duplicate_key", bad_duplicate_row),
                         ("satker_registry", bad_satker_registry)],
}


def plan_bad_files(specs: list[UnitSpec], months: int, seed: int, year: int, share: float) -> dict[tuple, int]:
    """Which good exports get a bad copy, and which kind of problem (index into BAD_KINDS[source])."""
    good = []
    for spec in specs:
        good += [(spec.index, src, None) for src in YEARLY_SOURCES]
        good += [(spec.index, src, m) for m in range(1, months + 1) for src in MONTHLY_SOURCES]
    n = round(share * len(good))
    if len(specs) >= 2 and months >= 2:
        n = max(n, 1)
    n = min(n, len(good))
    rng = random.Random(f"synth:{seed}:{year}:bad")
    chosen = rng.sample(good, n)
    counters = {src: rng.randrange(len(kinds)) for src, kinds in BAD_KINDS.items()}
    plan = {}
    for key in chosen:
        src = key[1]
        plan[key] = counters[src] % len(BAD_KINDS[src])
        counters[src] += 1
    return plan


# ============================================================================================================
# One unit: every export (run in a worker process)
# ============================================================================================================
# Every xlsx of the data set: a national-scale run writes thousands, hence the streaming writer.
XLSX = Style("xlsx", author="sakip synth", stream=True)


def _styles(habit: int, rng: random.Random) -> Style:
    """The office's usual format most of the time, sometimes another."""
    kind = habit if rng.random() < 0.8 else rng.randrange(3)
    if kind == 0:
        return XLSX
    if kind == 1:
        encoding = rng.choice(["cp1252", "utf-8-sig", "utf-8"])
        eol = "\r\n" if encoding == "cp1252" else "\n"        # a Windows-1252 file is saved by Excel on Windows
        return Style("csv", ";", encoding, rng.choice(["dmy", "dmy", "name"]), eol)
    return Style("csv", ",", rng.choice(["utf-8", "utf-8-sig"]), rng.choice(["dmy", "iso", "dash"]))


def generate_unit(job: dict) -> list[dict]:
    spec: UnitSpec = job["spec"]
    year, months, inbox = job["year"], job["months"], Path(job["inbox"])
    hk = WorkingDays(job["working_days"])
    bad_plan: dict[tuple, int] = job["bad"]
    satkers: set[str] = job["satkers"]
    seed = job["seed"]
    r = lambda purpose: random.Random(f"synth:{seed}:{spec.index}:{year}:{purpose}")  # noqa: E731
    rng_fmt, rng_date = r("format"), r("exported")
    records: list[dict] = []

    def emit(table: Table, name: str, style: Style, month: int | None, exported: dt.date) -> None:
        created = dt.datetime(exported.year, exported.month, exported.day, 8, 0, 0)
        path = inbox / f"{name}{style.suffix}"
        size = write_table(path, table, replace(style, created=created))
        rec = {"file": f"inbox/{path.name}", "source": table.source, "satker": spec.satker, "month": month,
               "format": "xlsx" if style.fmt == "xlsx" else f"csv{style.sep}{style.encoding}",
               "rows": len(table.rows), "bytes": size, "bad": False, "expected_check": "", "what_is_wrong": ""}
        records.append(rec)
        key = (spec.index, table.source, month)
        if key in bad_plan:
            check, mutate = BAD_KINDS[table.source][bad_plan[key]]
            bad = table.copy()
            ctx = {"rng": r(f"bad:{table.source}:{month}"), "satker": spec.satker, "satkers": satkers,
                   "exported": exported, "year": year}
            what = mutate(bad, ctx)
            bad_path = inbox / f"{name} (1){style.suffix}"
            size = write_table(bad_path, bad, replace(style, created=created))
            records.append({**rec, "file": f"inbox/{bad_path.name}", "rows": len(bad.rows), "bytes": size,
                            "bad": True, "expected_check": check, "what_is_wrong": what})

    def export_date(month: int) -> dt.date:
        return _month_end(year, month) + dt.timedelta(days=rng_date.randint(1, 5))

    # Yearly: the RAPK (downloaded after its last revision) and the POK (early January).
    versions = rapk_versions(spec, year, months)
    rapk_date = versions[-1][1] + dt.timedelta(days=rng_date.randint(1, 6))
    style = _styles(spec.simetris_habit, rng_fmt)
    emit(rapk_table(spec, year, months, rapk_date), f"RAPK_{spec.satker}_{year}", style, None, rapk_date)
    budget = build_budget(spec, r("budget"))
    pok_date = D(year, 1, 2) + dt.timedelta(days=rng_date.randint(1, 8))
    emit(pok_table(spec, budget, year, pok_date), f"POK_RPD_{spec.satker}_{year}", XLSX, None, pok_date)

    paths = capaian_paths(spec, r("capaian"))
    rng_real = r("realisasi")
    samples = build_samples(spec, r("sampel"), hk, year, months)
    inspections = build_inspections(spec, r("pemeriksaan"), hk, year, months)
    letters = build_letters(spec, r("rekomendasi"), hk, year, months)
    rng_titles = r("titles")
    for m in range(1, months + 1):
        tag = f"{spec.satker}_{year}_B{m:02d}"
        d = export_date(m)
        style = _styles(spec.simetris_habit, rng_fmt)
        emit(realisasi_table(spec, rng_real, year, m, d), f"Realisasi_Kinerja_{tag}", style, m, d)
        d = export_date(m)
        emit(glp039_table(spec, budget, year, m, d), f"GLP039_{spec.satker}_{BULAN[m - 1].upper()}_{year}", XLSX, m, d)
        emit(capaian_table(spec, paths, year, m, d), f"Capaian_Output_RO_{tag}", XLSX, m, d)
        d = export_date(m)
        for builder, records_, name in ((sampel_table, samples, "SIPT_Sampel"),
                                        (pemeriksaan_table, inspections, "SIPT_Pemeriksaan"),
                                        (rekomendasi_table, letters, "SIPT_Rekomendasi")):
            style = _styles(spec.sipt_habit, rng_fmt)
            emit(builder(spec, records_, year, m, d, rng_titles), f"{name}_{tag}", style, m, d)
    return records


# ============================================================================================================
# Reference data
# ============================================================================================================
def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _plan(counts: list[int], rng: random.Random) -> list[int]:
    return [max(0, round(c * rng.uniform(0.9, 1.15))) for c in counts]


def write_reference(out: Path, specs: list[UnitSpec], seed: int, year: int) -> None:
    """The bundled reference CSVs, each with the template satker's rows repeated for every synthetic unit."""
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(BUNDLED_REFERENCE.glob("*.csv")):
        header, rows = _read_csv(path)
        name = path.stem
        added: list[dict[str, str]] = []
        if name == "upt":
            added = [{"kode_satker": s.satker, "nama_satker": s.nama, "jenis_upt": s.jenis_upt,
                      "provinsi": s.provinsi, "sumber": "sakip synth"} for s in specs]
            # a synthetic unit takes a real unit's name: it stands in for that unit, listed once
            rows = [r for r in rows if r["nama_satker"] not in {s.nama for s in specs}]
        elif "kode_satker" in header:
            template = [r for r in rows if r["kode_satker"] == TEMPLATE_SATKER
                        and r.get("tahun", TEMPLATE_YEAR) == TEMPLATE_YEAR]
            for s in specs:
                rng = random.Random(f"synth:{seed}:{s.index}:{year}:reference:{name}")
                added += _unit_reference(name, template, s, year, rng)
        elif "tahun" in header and rows and not any(int(r["tahun"]) == year for r in rows):
            # the synthetic exports follow the template year's methodology, whatever their year
            added = [{**r, "tahun": str(year)} for r in rows if r["tahun"] == TEMPLATE_YEAR]
        with (out / path.name).open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
            w.writerows(added)


def _unit_reference(name: str, template: list[dict[str, str]], s: UnitSpec, year: int,
                    rng: random.Random) -> list[dict[str, str]]:
    base = [{**r, "kode_satker": s.satker, "tahun": str(year)} for r in template]
    if name == "anggaran_kelompok":
        out = list(base)
        for ro in s.ros:
            if ro.slot is None:
                out.append({"tahun": str(year), "kode_satker": s.satker, "kelompok": EXTRA_RO_KELOMPOK[ro.kro],
                            "kode_ro": ro.code, "komponen": "", "porsi": "1"})
        return out
    if name == "renlak_sampel":
        plans = {k: _plan([s.samples[m].get(k, 0) for m in range(12)], rng) for k in KOMODITI}
        return [{"tahun": str(year), "kode_satker": s.satker, "komoditi": k, "bulan": str(m + 1),
                 "target_sampel": str(plans[k][m])} for k in KOMODITI for m in range(12)]
    if name == "rencana_pemeriksaan":
        plans = {k: _plan([s.inspections[m].get(k, 0) for m in range(12)], rng) for k in KELOMPOK}
        return [{"tahun": str(year), "kode_satker": s.satker, "kelompok": k, "bulan": str(m + 1),
                 "target_sarana": str(plans[k][m])} for k in KELOMPOK for m in range(12)]
    if name == "sarana_fortifikasi":
        return [{**r, "jumlah_produsen_wilayah": str(s.produsen_fortifikasi)} for r in base]
    return base


# ============================================================================================================
# The whole data set
# ============================================================================================================
def _prepare(out: Path) -> None:
    """DIR may be new, empty, or an earlier synth output (then its generated parts are replaced)."""
    out.mkdir(parents=True, exist_ok=True)
    ours = (out / "manifest.json").exists()
    for sub in ("inbox", "reference"):
        target = out / sub
        if target.exists() and any(target.iterdir()):
            if not ours:
                raise FileExistsError(f"{target} is not empty and {out} holds no earlier synth output "
                                      "(manifest.json): choose an empty --out")
            shutil.rmtree(target)
    for name in ("manifest.json", "bad_files.csv", "files.csv"):
        (out / name).unlink(missing_ok=True)
    (out / "inbox").mkdir()


def synth(units: int, months: int, out: Path, seed: int = 0, year: int = 2025, *, bad_share: float = BAD_SHARE,
          workers: int | None = None) -> dict:
    """Write the synthetic data set into `out` (see the module docstring); return the manifest."""
    if units < 1:
        raise ValueError("units must be at least 1")
    if not 1 <= months <= 12:
        raise ValueError("months must be between 1 and 12")
    if not 2020 <= year <= 2034:
        raise ValueError("year must be between 2020 and 2034 (the working-day calendar's range)")
    out = Path(out)
    _prepare(out)
    specs = unit_specs(units, seed, year)
    write_reference(out / "reference", specs, seed, year)
    bad = plan_bad_files(specs, months, seed, year, bad_share)
    days = _working_days(year)
    satkers = {s.satker for s in specs}
    jobs = [{"spec": s, "year": year, "months": months, "inbox": str(out / "inbox"), "working_days": days,
             "bad": {k: v for k, v in bad.items() if k[0] == s.index}, "satkers": satkers, "seed": seed}
            for s in specs]
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    if workers <= 1:
        results = [generate_unit(j) for j in jobs]
    else:
        # spawn: the parent may hold polars' threads (sakip.calendar); a forked child must not inherit them
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            results = list(pool.map(generate_unit, jobs))
    records = [rec for unit in results for rec in unit]
    return _write_manifest(out, specs, months, year, seed, records)


def _write_manifest(out: Path, specs: list[UnitSpec], months: int, year: int, seed: int,
                    records: list[dict]) -> dict:
    fields = ["file", "source", "satker", "month", "format", "rows", "bytes", "bad", "expected_check",
              "what_is_wrong"]
    with (out / "files.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows({**r, "month": r["month"] or ""} for r in records)
    bad = [r for r in records if r["bad"]]
    with (out / "bad_files.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["file", "source", "expected_check", "what_is_wrong"],
                           lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(bad)
    good = [r for r in records if not r["bad"]]
    per_source = {src: {"files": sum(1 for r in good if r["source"] == src),
                        "rows": sum(r["rows"] for r in good if r["source"] == src),
                        "bytes": sum(r["bytes"] for r in good if r["source"] == src)} for src in SOURCES}
    last = f"B{months:02d}"
    manifest = {
        "units": len(specs), "months": months, "year": year, "seed": seed,
        "satkers": [s.satker for s in specs],
        "files": {"good": len(good), "bad": len(bad), "total": len(records),
                  "per_source": {k: v["files"] for k, v in per_source.items()}},
        "rows": {k: v["rows"] for k, v in per_source.items()},
        "bytes": {"total": sum(r["bytes"] for r in records),
                  "per_source": {k: v["bytes"] for k, v in per_source.items()}},
        "sizes": {
            "akun_lines_per_unit": {s.satker: s.n_akun for s in specs},
            "new_samples_per_unit_month": {s.satker: [sum(c.values()) for c in s.samples[:months]] for s in specs},
            "new_inspections_per_unit_month": {s.satker: [sum(c.values()) for c in s.inspections[:months]]
                                               for s in specs},
            "new_recommendations_per_unit_month": {s.satker: s.letters[:months] for s in specs},
            f"samples_in_{last}_exports": sum(sum(sum(c.values()) for c in s.samples[:months]) for s in specs),
            f"inspections_in_{last}_exports": sum(sum(sum(c.values()) for c in s.inspections[:months])
                                                  for s in specs),
            "akun_lines_in_glp039_exports": sum(s.n_akun for s in specs) * months,
        },
        "bad_files": [{k: r[k] for k in ("file", "source", "expected_check", "what_is_wrong")} for r in bad],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.synth", description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, required=True, help="number of synthetic units (satker 9xxxxx)")
    parser.add_argument("--months", type=int, required=True, help="months January..M of the year (1-12)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (inbox/, reference/, manifest.json)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0): same seed, same bytes")
    parser.add_argument("--year", type=int, default=2025, help="year (default 2025)")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: one per core)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:                  # --help, or arguments argparse refused (it printed why)
        return int(exc.code or 0)
    clock = time.perf_counter()
    try:
        manifest = synth(args.units, args.months, args.out, seed=args.seed, year=args.year, workers=args.workers)
    except (ValueError, FileExistsError) as exc:
        print(f"sakip synth: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - clock
    files = manifest["files"]
    print(f"sakip synth: {manifest['units']} units x {manifest['months']} months of {manifest['year']} "
          f"(seed {manifest['seed']}) in {args.out}")
    print(f"  {files['good']} good exports and {files['bad']} bad ones (bad_files.csv), "
          f"{manifest['bytes']['total'] / 1e6:,.1f} MB, {seconds:,.1f} s")
    for src in SOURCES:
        print(f"  {src:22s} {files['per_source'][src]:6d} files {manifest['rows'][src]:10,d} rows")
    print(f"  reference data: {args.out / 'reference'}; to run the last month:\n"
          f"    SAKIP_REFERENCE_DIR={args.out / 'reference'} sakip run --inbox {args.out / 'inbox'} "
          f"--warehouse {args.out / 'warehouse'} --period {manifest['year']}-{manifest['months']:02d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
