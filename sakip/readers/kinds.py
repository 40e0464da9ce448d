"""The export kinds sakip recognises, described as data: their columns, how each is parsed, and how the
satker and period are read from the file itself. docs/formats.md is the human version of this file."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

MONTH_COLUMNS = [f"B{m:02d}" for m in range(1, 13)]
RPD_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
              "Oktober", "November", "Desember"]


_NOT_IN_KEY = r"[^0-9a-z%]"  # what a header key leaves out, once lowercased


@lru_cache(maxsize=65536)  # called for every cell of every header candidate of every file
def header_key(label: str | None) -> str:
    """Compare header labels without case, spaces and punctuation ('Realisasi s.d. Periode' =
    'REALISASI SD PERIODE')."""
    return re.sub(_NOT_IN_KEY, "", (label or "").lower())


def header_key_of(cells: pl.Expr) -> pl.Expr:
    """`header_key` of every cell of a column (looking for a page header repeated in the data)."""
    return cells.str.to_lowercase().str.replace_all(_NOT_IN_KEY, "")


@dataclass(frozen=True)
class Col:
    name: str            # canonical snake_case name, used in raw tables
    label: str           # the label in the export, used in messages
    type: str            # code | text | number | int | date | month
    required: bool = True
    aliases: tuple[str, ...] = ()

    def keys(self) -> frozenset[str]:
        return frozenset(header_key(x) for x in (self.label, *self.aliases))


@dataclass(frozen=True)
class Kind:
    name: str
    title: str                     # what a person calls it
    columns: tuple[Col, ...]
    period: str                    # how the file's period is found: "year" | "max_bulan" | "title_periode"
    key: tuple[str, ...] = field(default=())  # columns that identify a row (duplicates are refused)
    starts: str | None = None      # the date a record starts on: its year is the export's year (validated)

    @property
    def required(self) -> list[Col]:
        return [c for c in self.columns if c.required]


_HIERARCHY = (
    Col("program_kegiatan", "Program/Kegiatan", "code", aliases=("Program Kegiatan", "Kode Program/Kegiatan")),
    Col("kro_ro", "KRO/RO", "code", aliases=("KRO RO", "Kode KRO/RO")),
    Col("komponen", "Komponen", "code", aliases=("Kode Komponen",)),
    Col("sub_komponen", "Sub Komponen", "code", aliases=("Subkomponen", "Kode Sub Komponen")),
    Col("akun", "Akun", "code", aliases=("Kode Akun",)),
    Col("uraian", "Uraian", "text"),
)

KINDS: tuple[Kind, ...] = (
    Kind(
        "simetris_rapk", "SIMETRIS Rencana Aksi PK (RAPK)",
        (
            Col("tahun", "Tahun", "int"),
            Col("kode_satker", "Kode Satker", "code"),
            Col("kode_ss", "Kode SS", "code"),
            Col("sasaran", "Sasaran Strategis", "text"),
            Col("kode_iku", "Kode IKU", "code"),
            Col("indikator", "Indikator Kinerja", "text"),
            Col("satuan", "Satuan", "text"),
            Col("polaritas", "Polaritas", "text"),
            Col("target_pk", "Target PK", "number"),
            *(Col(m.lower(), m, "number") for m in MONTH_COLUMNS),
            Col("anggaran", "Anggaran", "number", required=False),
            Col("revisi", "Revisi", "int"),
            Col("tanggal_berlaku", "Tanggal Berlaku", "date"),
        ),
        period="year", key=("kode_iku", "revisi"), starts="tanggal_berlaku",
    ),
    Kind(
        "simetris_realisasi", "SIMETRIS Realisasi IKU",
        (
            Col("tahun", "Tahun", "int"),
            Col("kode_satker", "Kode Satker", "code"),
            Col("kode_iku", "Kode IKU", "code"),
            Col("bulan", "Bulan", "month"),
            Col("realisasi", "Realisasi", "number"),
            Col("keterangan", "Keterangan", "text", required=False),
        ),
        period="max_bulan", key=("kode_iku", "bulan"),
    ),
    Kind(
        "sakti_realisasi", "SAKTI Realisasi Anggaran (GLP039)",
        (
            *_HIERARCHY,
            Col("pagu_revisi", "Pagu Revisi", "number", aliases=("Pagu",)),
            Col("lock_pagu", "Lock Pagu", "number", required=False),
            Col("realisasi_periode_lalu", "Realisasi Periode Lalu", "number", required=False),
            Col("realisasi_periode_ini", "Realisasi Periode Ini", "number", required=False),
            Col("realisasi_sd_periode", "Realisasi s.d. Periode", "number",
                aliases=("Realisasi sampai dengan Periode", "Realisasi sd Periode", "Realisasi s/d Periode")),
            Col("persen", "%", "number", required=False, aliases=("Persen", "% Realisasi")),
            Col("sisa", "Sisa", "number", aliases=("Sisa Pagu",)),
        ),
        period="title_periode", key=("program_kegiatan", "kro_ro", "komponen", "sub_komponen", "akun"),
    ),
    Kind(
        "sakti_pok", "SAKTI POK / RPD (UC_ANG_6.4)",
        (
            *_HIERARCHY,
            *(Col(m.lower(), m, "number") for m in RPD_MONTHS),
            Col("jumlah", "Jumlah", "number"),
            Col("blokir", "Blokir", "number"),
        ),
        period="year", key=("program_kegiatan", "kro_ro", "komponen", "sub_komponen", "akun"),
    ),
    Kind(
        "sakti_capaian_output", "SAKTI Capaian Output (RO)",
        (
            Col("tahun", "Tahun", "int"),
            Col("kode_satker", "Kode Satker", "code"),
            Col("kode_ro", "Kode RO", "code"),
            Col("uraian_ro", "Uraian RO", "text"),
            Col("satuan", "Satuan", "text"),
            Col("target_volume", "Target Volume", "number"),
            Col("realisasi_volume", "Realisasi Volume", "number"),
            Col("progres_capaian", "Progres Capaian (%)", "number", aliases=("Progres Capaian",)),
            Col("bulan", "Bulan", "month"),
        ),
        period="max_bulan", key=("kode_ro", "bulan"),
    ),
)

_SIPT_TITLE = "title_periode"

KINDS += (
    Kind(
        "sipt_sampel", "SIPT Sampel dan Pengujian",
        (
            Col("kode_sampel", "Kode Sampel", "code"),
            Col("nama_sampel", "Nama Sampel", "text"),
            Col("komoditi", "Komoditi", "text"),
            Col("kategori_sampel", "Kategori Sampel", "text"),
            Col("nomor_registrasi", "Nomor Registrasi", "code", required=False),
            Col("tanggal_sampling", "Tanggal Sampling", "date"),
            Col("tempat_sampling", "Tempat Sampling", "text", required=False),
            Col("kabupaten_kota", "Kabupaten/Kota", "text", required=False),
            Col("laboratorium", "Laboratorium Penguji", "text", aliases=("Laboratorium",)),
            Col("tanggal_terima_lab", "Tanggal Terima Lab", "date", aliases=("Tanggal Penerimaan Lab",)),
            Col("tanggal_lhu", "Tanggal LHU", "date"),
            Col("hasil_uji", "Hasil Uji", "text"),
            Col("kesimpulan_label", "Kesimpulan Label", "text", required=False),
            Col("tindak_lanjut", "Tindak Lanjut", "text", required=False),
            Col("tanggal_tindak_lanjut", "Tanggal Tindak Lanjut", "date", required=False),
            Col("kode_satker", "Kode Satker", "code"),
        ),
        period=_SIPT_TITLE, key=("kode_sampel",), starts="tanggal_sampling",
    ),
    Kind(
        "sipt_pemeriksaan", "SIPT Pemeriksaan Sarana",
        (
            Col("id_pemeriksaan", "ID Pemeriksaan", "code"),
            Col("id_sarana", "ID Sarana", "code"),
            Col("nama_sarana", "Nama Sarana", "text"),
            Col("jenis_sarana", "Jenis Sarana", "text"),
            Col("kelompok", "Kelompok", "text"),
            Col("kabupaten_kota", "Kabupaten/Kota", "text", required=False),
            Col("tanggal_pemeriksaan", "Tanggal Pemeriksaan", "date"),
            Col("hasil", "Hasil", "text"),
            Col("tanggal_laporan", "Tanggal Laporan", "date"),
            Col("nomor_surat_tl", "Nomor Surat TL", "code", required=False),
            Col("tanggal_surat_tl", "Tanggal Surat TL", "date", required=False),
            Col("jenis_tl", "Jenis TL", "text", required=False),
            Col("capa_diminta", "CAPA Diminta", "text", required=False),
            Col("tanggal_capa_diterima", "Tanggal CAPA Diterima", "date", required=False),
            Col("kode_satker", "Kode Satker", "code"),
        ),
        period=_SIPT_TITLE, key=("id_pemeriksaan",), starts="tanggal_pemeriksaan",
    ),
    Kind(
        "sipt_rekomendasi", "SIPT Rekomendasi",
        (
            Col("nomor_surat", "Nomor Surat", "code"),
            Col("tanggal_surat", "Tanggal Surat", "date"),
            Col("jenis_penerima", "Jenis Penerima", "text"),
            Col("penerima", "Penerima", "text"),
            Col("dasar", "Dasar", "text"),
            Col("tanggal_feedback", "Tanggal Feedback", "date"),
            Col("kode_satker", "Kode Satker", "code"),
        ),
        period=_SIPT_TITLE, key=("nomor_surat",), starts="tanggal_surat",
    ),
)

KINDS_BY_NAME = {k.name: k for k in KINDS}
