"""The SIPT exports (data contract §3): each source's Pandera model and, beside it, its declaration (title,
columns and labels, key, period rule, start date)."""
from __future__ import annotations

import pandera.polars as pa
import polars as pl

from sakip.i18n import N_
from sakip.schemas.kind import Col, Kind

KOMODITI = ["Obat", "Obat Bahan Alam", "Obat Kuasi", "Suplemen Kesehatan", "Kosmetik", "Pangan Olahan", "PIRT",
            "Pangan KLB"]
KELOMPOK = ["Produksi SF", "Produksi PO", "Produksi Fortifikasi", "Distribusi SF", "Distribusi PO", "Saryanfar"]
JENIS_TL = ["Pembinaan", "Peringatan", "Peringatan Keras", "Rekomendasi PSK", "Pencabutan Izin"]
JENIS_PENERIMA = ["Pelaku Usaha", "Lintas Sektor"]
DASAR = ["Pemeriksaan Sarana", "Pengujian Sampel", "Iklan", "Label", "Kasus", "Pengaduan"]


# the description of a column whose values are listed: {values} is filled with those its isin check allows,
# where the finding is written (sakip.schemas._expected)
ONE_OF = N_("one of {values}")


def _not_before(later: str, earlier: str):
    """Row-wise: `later` is empty, or not before `earlier`."""
    return (pl.col(later).is_null() | pl.col(earlier).is_null() | (pl.col(later) >= pl.col(earlier)))


class Sampel(pa.DataFrameModel):
    kode_sampel: pl.String = pa.Field(description=N_("a sample code"))
    nama_sampel: pl.String = pa.Field(description=N_("the sample's name"))
    komoditi: pl.String = pa.Field(isin=KOMODITI, description=ONE_OF)
    kategori_sampel: pl.String = pa.Field(nullable=True, description=N_("text"))
    tanggal_sampling: pl.Date = pa.Field(description=N_("a date"))
    laboratorium: pl.String = pa.Field(description=N_("the testing laboratory"))
    tanggal_terima_lab: pl.Date = pa.Field(description=N_("a date"))
    tanggal_lhu: pl.Date = pa.Field(nullable=True, description=N_("a date, or empty in testing"))
    hasil_uji: pl.String = pa.Field(nullable=True, isin=["MS", "TMS"],
                                    description=N_("MS or TMS, or empty while in testing"))
    kesimpulan_label: pl.String = pa.Field(nullable=True, isin=["Memenuhi", "TIE", "Rusak", "Kedaluwarsa"],
                                           description=N_("Memenuhi, TIE, Rusak or Kedaluwarsa"))
    kode_satker: pl.String = pa.Field(str_matches=r"^\d{6}$", description=N_("six digits"))

    class Config:
        strict = False

    @pa.dataframe_check
    def lhu_not_before_receipt(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(_not_before("tanggal_lhu", "tanggal_terima_lab"))

    @pa.dataframe_check
    def receipt_not_before_sampling(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(_not_before("tanggal_terima_lab", "tanggal_sampling"))

    @pa.dataframe_check
    def result_needs_lhu(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("hasil_uji").is_null() | pl.col("tanggal_lhu").is_not_null())


class Pemeriksaan(pa.DataFrameModel):
    id_pemeriksaan: pl.String = pa.Field(description=N_("an inspection id"))
    id_sarana: pl.String = pa.Field(description=N_("a facility id"))
    nama_sarana: pl.String = pa.Field(description=N_("the facility's name"))
    jenis_sarana: pl.String = pa.Field(description=N_("the kind of facility"))
    kelompok: pl.String = pa.Field(isin=KELOMPOK, description=ONE_OF)
    tanggal_pemeriksaan: pl.Date = pa.Field(description=N_("a date"))
    hasil: pl.String = pa.Field(isin=["MK", "TMK"], description=N_("MK or TMK"))
    tanggal_laporan: pl.Date = pa.Field(nullable=True, description=N_("a date or empty"))
    jenis_tl: pl.String = pa.Field(nullable=True, isin=JENIS_TL, description=ONE_OF)
    capa_diminta: pl.String = pa.Field(nullable=True, isin=["Ya", "Tidak"],
                                       description=N_("Ya or Tidak"))
    kode_satker: pl.String = pa.Field(str_matches=r"^\d{6}$", description=N_("six digits"))

    class Config:
        strict = False

    @pa.dataframe_check
    def report_not_before_inspection(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(_not_before("tanggal_laporan", "tanggal_pemeriksaan"))

    @pa.dataframe_check
    def letter_not_before_inspection(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(_not_before("tanggal_surat_tl", "tanggal_pemeriksaan"))

    @pa.dataframe_check
    def capa_not_before_letter(cls, data) -> pl.LazyFrame:
        # a CAPA answers the follow-up letter: received before it, its timeliness would be negative days
        return data.lazyframe.select(_not_before("tanggal_capa_diterima", "tanggal_surat_tl"))


class Rekomendasi(pa.DataFrameModel):
    nomor_surat: pl.String = pa.Field(description=N_("a letter number"))
    tanggal_surat: pl.Date = pa.Field(description=N_("a date"))
    jenis_penerima: pl.String = pa.Field(isin=JENIS_PENERIMA,
                                         description=ONE_OF)
    penerima: pl.String = pa.Field(description=N_("the recipient"))
    dasar: pl.String = pa.Field(isin=DASAR, description=ONE_OF)
    tanggal_feedback: pl.Date = pa.Field(nullable=True, description=N_("a date or empty"))
    kode_satker: pl.String = pa.Field(str_matches=r"^\d{6}$", description=N_("six digits"))

    class Config:
        strict = False

    @pa.dataframe_check
    def feedback_not_before_letter(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(_not_before("tanggal_feedback", "tanggal_surat"))


# What a person reads when a dataframe-level check fails: (column, expectation).
DATAFRAME_MESSAGES = {
    "lhu_not_before_receipt": ("tanggal_lhu", N_("the LHU can't be dated before the lab received the sample")),
    "receipt_not_before_sampling": ("tanggal_terima_lab", N_("the lab can't receive a sample before it was taken")),
    "result_needs_lhu": ("hasil_uji", N_("a Hasil Uji needs a Tanggal LHU")),
    "report_not_before_inspection": ("tanggal_laporan", N_("the report can't be dated before the inspection")),
    "letter_not_before_inspection": ("tanggal_surat_tl",
                                     N_("the follow-up letter can't be dated before the inspection")),
    "capa_not_before_letter": ("tanggal_capa_diterima",
                               N_("the CAPA can't be received before the follow-up letter asking for it")),
    "feedback_not_before_letter": ("tanggal_feedback", N_("feedback can't be dated before the letter")),
}


SAMPEL = Kind(
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
    period="title_periode", model=Sampel, key=("kode_sampel",), starts="tanggal_sampling",
    messages=DATAFRAME_MESSAGES,
)

PEMERIKSAAN = Kind(
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
    period="title_periode", model=Pemeriksaan, key=("id_pemeriksaan",), starts="tanggal_pemeriksaan",
    messages=DATAFRAME_MESSAGES,
)

REKOMENDASI = Kind(
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
    period="title_periode", model=Rekomendasi, key=("nomor_surat",), starts="tanggal_surat",
    messages=DATAFRAME_MESSAGES,
)

KINDS = (SAMPEL, PEMERIKSAAN, REKOMENDASI)
