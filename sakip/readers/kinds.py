"""The export kinds sakip recognises, described as data: their columns, how each is parsed, and how the
satker and period are read from the file itself. docs/formats.md is the human version of this file."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

MONTH_COLUMNS = [f"B{m:02d}" for m in range(1, 13)]
RPD_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
              "Oktober", "November", "Desember"]


def header_key(label: str | None) -> str:
    """Compare header labels without case, spaces and punctuation ('Realisasi s.d. Periode' = 'REALISASI SD PERIODE')."""
    return re.sub(r"[^0-9a-z%]", "", (label or "").lower())


@dataclass(frozen=True)
class Col:
    name: str            # canonical snake_case name, used in raw tables
    label: str           # the label in the export, used in messages
    type: str            # code | text | number | int | date | month
    required: bool = True
    aliases: tuple[str, ...] = ()

    def keys(self) -> set[str]:
        return {header_key(x) for x in (self.label, *self.aliases)}


@dataclass(frozen=True)
class Kind:
    name: str
    title: str                     # what a person calls it
    columns: tuple[Col, ...]
    period: str                    # how the file's period is found: "year" | "max_bulan" | "title_periode"
    key: tuple[str, ...] = field(default=())  # columns that identify a row (duplicates are refused)

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
        period="year", key=("kode_iku", "revisi"),
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

KINDS_BY_NAME = {k.name: k for k in KINDS}
