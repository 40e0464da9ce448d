"""Pandera models of the SIPT exports (data contract §3)."""
from __future__ import annotations

import pandera.polars as pa
import polars as pl

KOMODITI = ["Obat", "Obat Bahan Alam", "Obat Kuasi", "Suplemen Kesehatan", "Kosmetik", "Pangan Olahan", "PIRT",
            "Pangan KLB"]
KELOMPOK = ["Produksi SF", "Produksi PO", "Produksi Fortifikasi", "Distribusi SF", "Distribusi PO", "Saryanfar"]
JENIS_TL = ["Pembinaan", "Peringatan", "Peringatan Keras", "Rekomendasi PSK", "Pencabutan Izin"]
JENIS_PENERIMA = ["Pelaku Usaha", "Lintas Sektor"]
DASAR = ["Pemeriksaan Sarana", "Pengujian Sampel", "Iklan", "Label", "Kasus", "Pengaduan"]


def _one_of(values: list[str]) -> str:
    return "one of " + ", ".join(values)


def _not_before(later: str, earlier: str):
    """Row-wise: `later` is empty, or not before `earlier`."""
    return (pl.col(later).is_null() | pl.col(earlier).is_null() | (pl.col(later) >= pl.col(earlier)))


class Sampel(pa.DataFrameModel):
    kode_sampel: pl.String = pa.Field(description="a sample code")
    nama_sampel: pl.String = pa.Field(description="the sample's name")
    komoditi: pl.String = pa.Field(isin=KOMODITI, description=_one_of(KOMODITI))
    kategori_sampel: pl.String = pa.Field(nullable=True, description="text")
    tanggal_sampling: pl.Date = pa.Field(description="a date")
    laboratorium: pl.String = pa.Field(description="the testing laboratory")
    tanggal_terima_lab: pl.Date = pa.Field(description="a date")
    tanggal_lhu: pl.Date = pa.Field(nullable=True, description="a date, or empty in testing")
    hasil_uji: pl.String = pa.Field(nullable=True, isin=["MS", "TMS"],
                                    description="MS or TMS, or empty while in testing")
    kesimpulan_label: pl.String = pa.Field(nullable=True, isin=["Memenuhi", "TIE", "Rusak", "Kedaluwarsa"],
                                           description="Memenuhi, TIE, Rusak or Kedaluwarsa")
    kode_satker: pl.String = pa.Field(str_matches=r"^\d{6}$", description="six digits")

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
    id_pemeriksaan: pl.String = pa.Field(description="an inspection id")
    id_sarana: pl.String = pa.Field(description="a facility id")
    nama_sarana: pl.String = pa.Field(description="the facility's name")
    jenis_sarana: pl.String = pa.Field(description="the kind of facility")
    kelompok: pl.String = pa.Field(isin=KELOMPOK, description=_one_of(KELOMPOK))
    tanggal_pemeriksaan: pl.Date = pa.Field(description="a date")
    hasil: pl.String = pa.Field(isin=["MK", "TMK"], description="MK or TMK")
    tanggal_laporan: pl.Date = pa.Field(nullable=True, description="a date or empty")
    jenis_tl: pl.String = pa.Field(nullable=True, isin=JENIS_TL, description=_one_of(JENIS_TL))
    capa_diminta: pl.String = pa.Field(nullable=True, isin=["Ya", "Tidak"],
                                       description="Ya or Tidak")
    kode_satker: pl.String = pa.Field(str_matches=r"^\d{6}$", description="six digits")

    class Config:
        strict = False

    @pa.dataframe_check
    def report_not_before_inspection(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(_not_before("tanggal_laporan", "tanggal_pemeriksaan"))

    @pa.dataframe_check
    def letter_not_before_inspection(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(_not_before("tanggal_surat_tl", "tanggal_pemeriksaan"))


class Rekomendasi(pa.DataFrameModel):
    nomor_surat: pl.String = pa.Field(description="a letter number")
    tanggal_surat: pl.Date = pa.Field(description="a date")
    jenis_penerima: pl.String = pa.Field(isin=JENIS_PENERIMA,
                                         description=_one_of(JENIS_PENERIMA))
    penerima: pl.String = pa.Field(description="the recipient")
    dasar: pl.String = pa.Field(isin=DASAR, description=_one_of(DASAR))
    tanggal_feedback: pl.Date = pa.Field(nullable=True, description="a date or empty")
    kode_satker: pl.String = pa.Field(str_matches=r"^\d{6}$", description="six digits")

    class Config:
        strict = False

    @pa.dataframe_check
    def feedback_not_before_letter(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(_not_before("tanggal_feedback", "tanggal_surat"))


# What a person reads when a dataframe-level check fails: (column, expectation).
DATAFRAME_MESSAGES = {
    "lhu_not_before_receipt": ("tanggal_lhu", "the LHU can't be dated before the lab received the sample"),
    "receipt_not_before_sampling": ("tanggal_terima_lab", "the lab can't receive a sample before it was taken"),
    "result_needs_lhu": ("hasil_uji", "a Hasil Uji needs a Tanggal LHU"),
    "report_not_before_inspection": ("tanggal_laporan", "the report can't be dated before the inspection"),
    "letter_not_before_inspection": ("tanggal_surat_tl", "the follow-up letter can't be dated before the inspection"),
    "feedback_not_before_letter": ("tanggal_feedback", "feedback can't be dated before the letter"),
}
