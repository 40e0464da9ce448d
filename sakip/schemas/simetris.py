"""The SIMETRIS e-performance exports (data contract §1): each source's Pandera model and, beside it, its
declaration (title, columns and labels, key, period rule, start date)."""
from __future__ import annotations

import pandera.polars as pa
import polars as pl

from sakip.i18n import N_
from sakip.schemas.kind import MONTH_COLUMNS, Col, Kind

SATKER = r"^\d{6}$"
IKU = r"^\S+$"


class Rapk(pa.DataFrameModel):
    tahun: pl.Int32 = pa.Field(ge=2000, le=2100, description=N_("a year such as 2025"))
    kode_satker: pl.String = pa.Field(str_matches=SATKER, description=N_("six digits"))
    kode_ss: pl.String = pa.Field(description=N_("a sasaran code such as SS1"))
    sasaran: pl.String = pa.Field(description=N_("the sasaran's name"))
    kode_iku: pl.String = pa.Field(str_matches=IKU, description=N_("an indicator code such as IKU1.1"))
    indikator: pl.String = pa.Field(description=N_("the indicator's name"))
    satuan: pl.String = pa.Field(nullable=True, description=N_("a unit"))
    polaritas: pl.String = pa.Field(str_matches=r"(?i)^\s*(maximize|minimize)\s*$",
                                    description=N_("Maximize or Minimize"))
    target_pk: pl.Float64 = pa.Field(ge=0, description=N_("a number ≥ 0"))
    b01: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("a number ≥ 0 or empty"))
    b02: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("a number ≥ 0 or empty"))
    b03: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("a number ≥ 0 or empty"))
    b04: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("a number ≥ 0 or empty"))
    b05: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("a number ≥ 0 or empty"))
    b06: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("a number ≥ 0 or empty"))
    b07: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("a number ≥ 0 or empty"))
    b08: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("a number ≥ 0 or empty"))
    b09: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("a number ≥ 0 or empty"))
    b10: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("a number ≥ 0 or empty"))
    b11: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("a number ≥ 0 or empty"))
    b12: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("a number ≥ 0 or empty"))
    anggaran: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("rupiah ≥ 0 or empty"))
    revisi: pl.Int32 = pa.Field(ge=0, description=N_("0 for the first version, then 1, 2 …"))
    tanggal_berlaku: pl.Date = pa.Field(description=N_("the date the revision takes effect"))

    class Config:
        strict = False



class Realisasi(pa.DataFrameModel):
    tahun: pl.Int32 = pa.Field(ge=2000, le=2100, description=N_("a year such as 2025"))
    kode_satker: pl.String = pa.Field(str_matches=SATKER, description=N_("six digits"))
    kode_iku: pl.String = pa.Field(str_matches=IKU, description=N_("an indicator code such as IKU1.1"))
    bulan: pl.Int32 = pa.Field(ge=1, le=12, description=N_("a month, 1–12 or B01–B12"))
    realisasi: pl.Float64 = pa.Field(nullable=True, ge=0,
                                     description=N_("a number ≥ 0, or empty when not measured"))
    keterangan: pl.String = pa.Field(nullable=True, description=N_("free text"))

    class Config:
        strict = False


RAPK = Kind(
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
    period="year", model=Rapk, key=("kode_iku", "revisi"), starts="tanggal_berlaku",
)

REALISASI = Kind(
    "simetris_realisasi", "SIMETRIS Realisasi IKU",
    (
        Col("tahun", "Tahun", "int"),
        Col("kode_satker", "Kode Satker", "code"),
        Col("kode_iku", "Kode IKU", "code"),
        Col("bulan", "Bulan", "month"),
        Col("realisasi", "Realisasi", "number"),
        Col("keterangan", "Keterangan", "text", required=False),
    ),
    period="max_bulan", model=Realisasi, key=("kode_iku", "bulan"),
)

KINDS = (RAPK, REALISASI)
