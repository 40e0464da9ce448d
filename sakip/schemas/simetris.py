"""Pandera models of the SIMETRIS e-performance exports (data contract §1)."""
from __future__ import annotations

import pandera.polars as pa
import polars as pl

SATKER = r"^\d{6}$"
IKU = r"^\S+$"


class Rapk(pa.DataFrameModel):
    tahun: pl.Int32 = pa.Field(ge=2000, le=2100, description="a year such as 2025")
    kode_satker: pl.String = pa.Field(str_matches=SATKER, description="six digits")
    kode_ss: pl.String = pa.Field(description="a sasaran code such as SS1")
    sasaran: pl.String = pa.Field(description="the sasaran's name")
    kode_iku: pl.String = pa.Field(str_matches=IKU, description="an indicator code such as IKU1.1")
    indikator: pl.String = pa.Field(description="the indicator's name")
    satuan: pl.String = pa.Field(nullable=True, description="a unit")
    polaritas: pl.String = pa.Field(str_matches=r"(?i)^\s*(maximize|minimize)\s*$",
                                    description="Maximize or Minimize")
    target_pk: pl.Float64 = pa.Field(ge=0, description="a number ≥ 0")
    b01: pl.Float64 = pa.Field(nullable=True, ge=0, description="a number ≥ 0 or empty")
    b02: pl.Float64 = pa.Field(nullable=True, ge=0, description="a number ≥ 0 or empty")
    b03: pl.Float64 = pa.Field(nullable=True, ge=0, description="a number ≥ 0 or empty")
    b04: pl.Float64 = pa.Field(nullable=True, ge=0, description="a number ≥ 0 or empty")
    b05: pl.Float64 = pa.Field(nullable=True, ge=0, description="a number ≥ 0 or empty")
    b06: pl.Float64 = pa.Field(nullable=True, ge=0, description="a number ≥ 0 or empty")
    b07: pl.Float64 = pa.Field(nullable=True, ge=0, description="a number ≥ 0 or empty")
    b08: pl.Float64 = pa.Field(nullable=True, ge=0, description="a number ≥ 0 or empty")
    b09: pl.Float64 = pa.Field(nullable=True, ge=0, description="a number ≥ 0 or empty")
    b10: pl.Float64 = pa.Field(nullable=True, ge=0, description="a number ≥ 0 or empty")
    b11: pl.Float64 = pa.Field(nullable=True, ge=0, description="a number ≥ 0 or empty")
    b12: pl.Float64 = pa.Field(nullable=True, ge=0, description="a number ≥ 0 or empty")
    anggaran: pl.Float64 = pa.Field(nullable=True, ge=0, description="rupiah ≥ 0 or empty")
    revisi: pl.Int32 = pa.Field(ge=0, description="0 for the first version, then 1, 2 …")
    tanggal_berlaku: pl.Date = pa.Field(description="the date the revision takes effect")

    class Config:
        strict = False



class Realisasi(pa.DataFrameModel):
    tahun: pl.Int32 = pa.Field(ge=2000, le=2100, description="a year such as 2025")
    kode_satker: pl.String = pa.Field(str_matches=SATKER, description="six digits")
    kode_iku: pl.String = pa.Field(str_matches=IKU, description="an indicator code such as IKU1.1")
    bulan: pl.Int32 = pa.Field(ge=1, le=12, description="a month, 1–12 or B01–B12")
    realisasi: pl.Float64 = pa.Field(nullable=True, ge=0,
                                     description="a number ≥ 0, or empty when not measured")
    keterangan: pl.String = pa.Field(nullable=True, description="free text")

    class Config:
        strict = False

