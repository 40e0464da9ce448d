"""The run's summary of each satker: NKO, budget, the sources missing for the period, the budget lines the
map does not name. Read from the run's models before they are gone."""
from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from sakip.schemas import KINDS


@dataclass
class SatkerSummary:
    kode_satker: str
    nama_satker: str | None
    nko: float | None
    predikat: str | None
    jumlah_iku: int
    jumlah_diukur: int
    realisasi: float | None
    pagu_ro: float | None
    persen_realisasi: float | None
    persen_terhadap_dipa: float | None
    persen_terhadap_dipa_netto: float | None
    missing: list[str] = field(default_factory=list)
    unmapped_ro: list[str] = field(default_factory=list)


def summaries(con: duckdb.DuckDBPyConnection, satkers: list[str], tahun: int, bulan: int) -> list[SatkerSummary]:
    """One line per satker of the run, four queries for all of them (the views they read are not cheap)."""
    def by_satker(sql: str, params: list) -> dict[str, list[tuple]]:
        out: dict[str, list[tuple]] = {}
        for row in con.execute(sql, [satkers, *params]).fetchall():
            out.setdefault(row[0], []).append(row[1:])
        return out

    ours = "kode_satker in (select unnest(?::varchar[]))"
    nko = by_satker("select kode_satker, nama_satker, nko, predikat, jumlah_iku, jumlah_diukur from mart_nko "
                    f"where {ours} and tahun = ? and bulan = ?", [tahun, bulan])
    budget = by_satker("select kode_satker, realisasi, pagu_ro, persen_terhadap_pagu_ro, persen_terhadap_dipa, "
                       f"persen_terhadap_dipa_netto from mart_anggaran_satker where {ours} and tahun = ? and bulan = ?",
                       [tahun, bulan])
    have = by_satker(
        f"select distinct kode_satker, jenis from int_files_current where {ours} and tahun = ? "
        "and (bulan is null or bulan = ? or jenis in ('simetris_realisasi', 'sakti_capaian_output') and bulan <= ?"
        " or jenis like 'sipt_%' and bulan >= ?)", [tahun, bulan, bulan, bulan])
    unmapped = by_satker("select kode_satker, kode_ro, komponen from int_anggaran_tanpa_kelompok "
                         f"where {ours} and tahun = ? and bulan = ? order by 1, 2, 3", [tahun, bulan])
    out = []
    for satker in satkers:
        nama, nko_value, predikat, jumlah_iku, jumlah_diukur = (nko.get(satker) or [(None, None, None, 0, 0)])[0]
        realisasi, pagu_ro, persen, persen_dipa, persen_netto = (budget.get(satker) or [(None,) * 5])[0]
        kinds = {r[0] for r in have.get(satker, [])}
        out.append(SatkerSummary(
            satker, nama, nko_value, predikat, jumlah_iku, jumlah_diukur,
            None if realisasi is None else float(realisasi), None if pagu_ro is None else float(pagu_ro),
            persen, persen_dipa, persen_netto, [kind.title for kind in KINDS if kind.name not in kinds],
            [f"{ro} komponen {komponen}" for ro, komponen in unmapped.get(satker, [])]))
    return out
