"""Pandera models of the SAKTI exports (data contract §2), and the subtotal check of GLP039 and POK: a
subtotal row that disagrees with the sum of its leaves means the export was cut off or corrupted."""
from __future__ import annotations

import pandera.polars as pa
import polars as pl

from sakip.findings import Finding
from sakip.i18n import N_, _
from sakip.report.format import angka
from sakip.schemas.kind import RPD_MONTHS, Col, Kind

AKUN = r"^\d{6}$"
RO = r"^[A-Z]{2}\.\d{4}\.[A-Z0-9]{3}\.\d{3}$"
# One rupiah of slack: SAKTI rounds each line, sums of rounded lines may differ by the rounding.
TOLERANCE = 1.0


# GLP039 and POK alike: an akun line must carry the codes that say which RO it belongs to.
_LEAF_HAS_RO = pl.col("akun").is_null() | (pl.col("program_kegiatan").is_not_null() & pl.col("kro_ro").is_not_null())


class RealisasiAnggaran(pa.DataFrameModel):
    program_kegiatan: pl.String = pa.Field(nullable=True, description=N_("a code like DR.3165"))
    kro_ro: pl.String = pa.Field(nullable=True, description=N_("a code like QIA.005"))
    komponen: pl.String = pa.Field(nullable=True, description=N_("a komponen code"))
    sub_komponen: pl.String = pa.Field(nullable=True, description=N_("a sub komponen code"))
    akun: pl.String = pa.Field(nullable=True, str_matches=AKUN, description=N_("six digits, e.g. 521211"))
    uraian: pl.String = pa.Field(nullable=True, description=N_("text"))
    pagu_revisi: pl.Float64 = pa.Field(ge=0, description=N_("rupiah ≥ 0"))
    realisasi_sd_periode: pl.Float64 = pa.Field(description=N_("rupiah"))
    sisa: pl.Float64 = pa.Field(description=N_("rupiah"))

    class Config:
        strict = False

    @pa.dataframe_check
    def sisa_matches(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("pagu_revisi") - pl.col("realisasi_sd_periode") - pl.col("sisa")).abs().fill_null(0) <= TOLERANCE
        )

    @pa.dataframe_check
    def leaf_has_ro(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(_LEAF_HAS_RO)

    @pa.dataframe_check
    def realisasi_within_pagu(cls, data) -> pl.LazyFrame:
        # SAKTI does not let an akun line spend beyond its pagu: a line that does is a corrupted export
        return data.lazyframe.select(
            (pl.col("akun").is_null() | (pl.col("realisasi_sd_periode") <= pl.col("pagu_revisi") + TOLERANCE))
            .fill_null(True)
        )



class Pok(pa.DataFrameModel):
    program_kegiatan: pl.String = pa.Field(nullable=True, description=N_("a code like DR.3165"))
    kro_ro: pl.String = pa.Field(nullable=True, description=N_("a code like QIA.005"))
    akun: pl.String = pa.Field(nullable=True, str_matches=AKUN, description=N_("six digits, e.g. 521211"))
    jumlah: pl.Float64 = pa.Field(ge=0, description=N_("thousands of rupiah ≥ 0"))
    blokir: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("thousands of rupiah ≥ 0"))

    class Config:
        strict = False

    @pa.dataframe_check
    def blokir_within_jumlah(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("blokir").fill_null(0) <= pl.col("jumlah") + TOLERANCE).fill_null(True))

    @pa.dataframe_check
    def leaf_has_ro(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(_LEAF_HAS_RO)



class CapaianOutput(pa.DataFrameModel):
    tahun: pl.Int32 = pa.Field(ge=2000, le=2100, description=N_("a year such as 2025"))
    kode_satker: pl.String = pa.Field(str_matches=r"^\d{6}$", description=N_("six digits"))
    kode_ro: pl.String = pa.Field(str_matches=RO, description=N_("a full RO code like DR.3165.QIA.005"))
    target_volume: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("a number ≥ 0"))
    realisasi_volume: pl.Float64 = pa.Field(nullable=True, ge=0, description=N_("a number ≥ 0"))
    progres_capaian: pl.Float64 = pa.Field(nullable=True, ge=0, le=1000,
                                           description=N_("a percentage between 0 and 1000, or empty"))
    bulan: pl.Int32 = pa.Field(ge=1, le=12, description=N_("a month, 1–12 or B01–B12"))

    class Config:
        strict = False



# What a person reads when a dataframe-level check fails: (column, expectation).
DATAFRAME_MESSAGES = {
    "sisa_matches": ("sisa", N_("Pagu Revisi − Realisasi s.d. Periode must equal Sisa")),
    "leaf_has_ro": ("akun", N_("an akun line must carry its Program/Kegiatan and KRO/RO codes")),
    "blokir_within_jumlah": ("blokir", N_("Blokir must not exceed Jumlah")),
    "realisasi_within_pagu": ("realisasi_sd_periode", N_("an akun line can't spend more than its Pagu Revisi")),
}

_LEVELS = ("program_kegiatan", "kro_ro", "komponen", "sub_komponen")
_VALUE_COLUMNS = {
    "sakti_realisasi": {"pagu_revisi": "Pagu Revisi", "realisasi_sd_periode": "Realisasi s.d. Periode",
                        "sisa": "Sisa"},
    "sakti_pok": {"jumlah": "Jumlah", "blokir": "Blokir"},
}


def subtotals_match_leaves(data: pl.DataFrame) -> list[tuple[int, Finding]]:
    """Each subtotal row (akun empty) must equal the sum of the leaves below it: the leaves of its file that share
    every code the subtotal row fills (a row with no code at all, JUMLAH SELURUHNYA, covers every leaf). `data`:
    one source's files stacked, `_file` numbering them (one query for a national month's 76 files, not 76);
    returns each finding with its file's number, in the order of the files, then of their rows.
    Vectorised: the subtotal rows are grouped by which codes they fill, and each group is joined to the leaves
    summed by those codes (a GLP039 of 8,000 lines has over 1,000 subtotal rows)."""
    values = _VALUE_COLUMNS["sakti_pok" if "jumlah" in data.columns else "sakti_realisasi"]
    leaves = data.filter(pl.col("akun").is_not_null())
    subtotals = data.filter(pl.col("akun").is_null())
    if subtotals.height == 0:
        return []
    pattern = pl.concat_str([pl.col(lvl).is_not_null().cast(pl.Int8).cast(pl.String) for lvl in _LEVELS])
    subtotals = subtotals.with_columns(_pattern=pattern)
    findings: list[tuple[int, Finding]] = []
    for (key,), rows in subtotals.group_by(["_pattern"], maintain_order=True):
        filled = [lvl for lvl, flag in zip(_LEVELS, key) if flag == "1"]
        sums = [pl.col(c).fill_null(0).sum().alias(f"_sum_{c}") for c in values] + [pl.len().alias("_n")]
        below = leaves.group_by(["_file", *filled]).agg(sums)
        joined = rows.join(below, on=["_file", *filled], how="left").with_columns(pl.col("_n").fill_null(0))
        # the rows that may fail, found in polars (the loop below decides and words them): most files have none
        suspect = pl.when(pl.col("_n") == 0).then(pl.any_horizontal([pl.col(c).fill_null(0) != 0 for c in values]))
        suspect = suspect.otherwise(pl.any_horizontal(
            [(pl.col(f"_sum_{c}") - pl.col(c).fill_null(0.0)).abs() > TOLERANCE for c in values]))
        for rec in joined.filter(suspect.fill_null(True)).iter_rows(named=True):
            # a row with no code is the report's total, or a page's ("Jumlah Halaman"): named as the file names it
            what = " ".join(str(rec[lvl]) for lvl in filled) or (rec.get("uraian") or "JUMLAH SELURUHNYA").strip()
            if rec["_n"] == 0:
                if any(rec[c] for c in values if rec[c] is not None):
                    findings.append((rec["_file"], Finding(
                        "subtotal", _("subtotal row {row} has no akun lines below it").format(row=what),
                        rec["_row"], "Akun", what)))
                continue
            for col, label in values.items():
                expected = rec[f"_sum_{col}"]
                got = rec[col] if rec[col] is not None else 0.0
                if abs(expected - got) > TOLERANCE:
                    findings.append((rec["_file"], Finding(
                        "subtotal",
                        _("{column} of subtotal row {row} is {value} but its {count} akun lines sum to {total}: "
                          "the export looks cut off or corrupted").format(
                            column=label, row=what, value=angka(got, 0), count=rec["_n"], total=angka(expected, 0)),
                        rec["_row"], label, f"{got:,.0f}")))
    return sorted(findings, key=lambda found: (found[0], found[1].row or 0))


_HIERARCHY = (
    Col("program_kegiatan", "Program/Kegiatan", "code", aliases=("Program Kegiatan", "Kode Program/Kegiatan")),
    Col("kro_ro", "KRO/RO", "code", aliases=("KRO RO", "Kode KRO/RO")),
    Col("komponen", "Komponen", "code", aliases=("Kode Komponen",)),
    Col("sub_komponen", "Sub Komponen", "code", aliases=("Subkomponen", "Kode Sub Komponen")),
    Col("akun", "Akun", "code", aliases=("Kode Akun",)),
    Col("uraian", "Uraian", "text"),
)
_HIERARCHY_KEY = ("program_kegiatan", "kro_ro", "komponen", "sub_komponen", "akun")

GLP039 = Kind(
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
    period="title_periode", model=RealisasiAnggaran, key=_HIERARCHY_KEY,
    structural=(subtotals_match_leaves,), messages=DATAFRAME_MESSAGES,
)

POK = Kind(
    "sakti_pok", "SAKTI POK / RPD (UC_ANG_6.4)",
    (
        *_HIERARCHY,
        *(Col(m.lower(), m, "number") for m in RPD_MONTHS),
        Col("jumlah", "Jumlah", "number"),
        Col("blokir", "Blokir", "number"),
    ),
    period="year", model=Pok, key=_HIERARCHY_KEY, structural=(subtotals_match_leaves,), messages=DATAFRAME_MESSAGES,
)

CAPAIAN_OUTPUT = Kind(
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
    period="max_bulan", model=CapaianOutput, key=("kode_ro", "bulan"),
)

KINDS = (GLP039, POK, CAPAIAN_OUTPUT)
