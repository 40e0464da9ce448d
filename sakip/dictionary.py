"""The data dictionary of the published file, generated from the file itself (tables, columns, types in their
order) and the descriptions below, so that it can't drift from what is published:

    .venv/bin/python -m sakip.dictionary WAREHOUSE/published.duckdb > docs/data-dictionary.md

A test rebuilds the demo, regenerates the dictionary and compares it with docs/data-dictionary.md, and fails
on a published column that has no description here."""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb

KEY = {
    "kode_satker": "satker code (six digits, SAKTI)",
    "tahun": "year",
    "bulan": "month of the period, 1–12; a period is cumulative from January to its last day",
    "urutan": "the row's order in the report",
}

TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "capaian_iku": ("Table 3.1: one row per indicator (IKU) and period.", {
        "kode_ss": "sasaran strategis code", "sasaran": "sasaran strategis", "kode_iku": "indicator code",
        "indikator": "indicator", "satuan": "unit of the indicator", "polaritas": "maximize | minimize",
        "target": "target of the month (RAPK revision in effect at the period's end); NULL: no target",
        "realisasi": "realisasi of the month (SIMETRIS); NULL: not reported",
        "capaian": "capaian in percent, unrounded; NULL when not measured",
        "nilai_akhir": "capaian capped at the profile's normalisation limit (110 in 2025), used for the NKO",
        "normalisasi": "true when the capaian was capped (the report's 'Justifikasi: Normalisasi')",
        "kriteria": "label of the capaian (profile bands, on the value rounded to 2 decimals); NULL when not measured",
        "diukur": "measured: has a target and a realisasi this month",
        "target_tahunan": "the yearly PK target",
        "capaian_tahunan": "capaian against the yearly target; NULL when not measured or not comparable",
        "status_tahunan": "Tercapai | Akan Tercapai | Perlu Upaya Keras; NULL when no yearly comparison",
        "realisasi_sipt": "realisasi computed from SIPT records (early warning; approximates the centre's evaluation)",
        "selisih_sipt": "true when realisasi_sipt and realisasi differ by more than the profile's tolerance",
        "revisi_target": "RAPK revision the target comes from",
        "target_berlaku_sejak": "date that revision took effect",
        "keterangan": "remark of the Realisasi export",
        "profil_tidak_lengkap": "the parts of the year's methodology profile that are not known (a partial "
                                "profile, e.g. 2021's), on which the NULLs of this row depend; NULL when complete",
    }),
    "nilai_sasaran": ("NPS (the report's NSS): one row per sasaran strategis and period.", {
        "kode_ss": "sasaran strategis code", "sasaran": "sasaran strategis",
        "jumlah_iku": "indicators of the sasaran", "jumlah_diukur": "of which measured",
        "nps": "mean raw capaian of the measured indicators, each weighted by bobot_iku.csv (default equal); not "
               "normalised; NULL when none measured",
        "kriteria": "label of the NPS (kriteria bands)",
    }),
    "nko": ("NKO: one row per satker and period, also when nothing is measured.", {
        "nama_satker": "satker name (UPT registry)",
        "nko": "mean nilai akhir of every measured indicator, each weighted by bobot_iku.csv (default equal); NULL "
               "when none measured",
        "predikat": "Istimewa | Baik | Butuh Perbaikan | Kurang | Sangat Kurang",
        "jumlah_iku": "indicators", "jumlah_diukur": "of which measured",
        "total_nilai_akhir": "sum of nilai akhir (the report's 'Total Capaian PK')",
        "profil_tidak_lengkap": "the parts of the year's profile that are not known: without a normalisation cap "
                                "or predikat bands, NKO or predikat is NULL; NULL when complete",
    }),
    "realisasi_anggaran": ("Table 3.3: one row per RO of the SAKTI realisasi export of the period.", {
        "kode_ro": "RO code, Program/Kegiatan.KRO/RO (DR.3165.QIA.005)", "uraian": "RO name",
        "pagu": "sum of the akun lines' Pagu Revisi (rupiah)", "blokir": "blokir of the RO from the POK (rupiah)",
        "realisasi": "realisasi s.d. periode (rupiah)",
        "persen_realisasi": "realisasi / pagu × 100; NULL when pagu is 0", "sisa": "pagu − realisasi (rupiah)",
    }),
    "anggaran_satker": ("The unit's budget realisation, one row per satker and period.", {
        "pagu_ro": "sum of the RO pagu (rupiah)", "pagu_dipa": "DIPA pagu from the POK (rupiah)",
        "blokir": "blokir (Automatic Adjustment) from the POK (rupiah)", "realisasi": "realisasi (rupiah)",
        "persen_terhadap_pagu_ro": "realisasi / pagu_ro × 100", "persen_terhadap_dipa": "realisasi / pagu_dipa × 100",
        "persen_terhadap_dipa_netto": "realisasi / (pagu_dipa − blokir) × 100",
    }),
    "rencana_penarikan": ("Planned disbursement (RPD, POK) per month of the year against the realisasi.", {
        "bulan_rencana": "month of the plan, 1–12", "rpd": "planned disbursement that month (rupiah)",
        "rpd_kumulatif": "planned disbursement January to that month (rupiah)",
        "realisasi_kumulatif": "realisasi s.d. that month, where a SAKTI export of that month was accepted",
    }),
    "efisiensi": ("Efficiency of each RO: IE, TE, kategori (methodology §8).", {
        "kode_ro": "RO code", "uraian": "RO name",
        "persen_capaian_output": "output progress (SAKTI capaian RO) of the latest reported month",
        "persen_realisasi_anggaran": "realisasi / pagu × 100",
        "ie": "% output / % budget; NULL when either is missing or 0", "te": "(IE − SE) / SE",
        "kategori": "Efisien | Tidak Efisien (TE bands)", "nilai_efisiensi": "score of the TE band; NULL when TE < 0",
    }),
    "kinerja_anggaran": ("Performance beside the budget of each indicator's group (the report's merged cells).", {
        "kelompok": "budget group of the indicator (planners' map)", "kode_ss": "sasaran strategis code",
        "kode_iku": "indicator code", "indikator": "indicator", "target": "target of the month",
        "realisasi": "realisasi", "capaian": "capaian in percent", "pagu": "the group's pagu (rupiah)",
        "realisasi_anggaran": "the group's realisasi (rupiah)",
        "persen_realisasi_anggaran": "the group's realisasi / pagu × 100",
    }),
    "sla_pengujian": ("Lab testing time, one row per sample received in the year up to the period's end.", {
        "kode_sampel": "sample code", "komoditi": "commodity", "laboratorium": "testing laboratory",
        "tanggal_terima_lab": "lab receipt (day 0)", "tanggal_lhu": "test report date; NULL while in testing",
        "hari_kerja": "working days from receipt to LHU, or to the period's end while in testing",
        "batas_hari_kerja": "limit (15 HK)", "terlambat_hari_kerja": "working days beyond the limit",
        "status": "tepat_waktu | terlambat | dalam_proses | lewat_batas",
    }),
    "sla_ringkasan": ("Lab testing time per period × commodity × laboratory.", {
        "komoditi": "commodity", "laboratorium": "testing laboratory", "jumlah_sampel": "samples",
        "tepat_waktu": "LHU within the limit", "terlambat": "LHU beyond the limit",
        "dalam_proses": "in testing, within the limit", "lewat_batas": "in testing, already beyond the limit",
        "median_hari_kerja": "median working days of the samples with an LHU",
        "p90_hari_kerja": "90th percentile of working days of the samples with an LHU",
    }),
    "ketepatan_waktu": ("The other timelines, one row per item: inspection report, follow-up letter, CAPA, "
                        "feedback on recommendations.", {
        "jenis_waktu": "timeline (sakip/reference/aturan_waktu.csv)", "kode_item": "inspection id or letter number",
        "kelompok": "facility group or recipient kind", "tanggal_mulai": "start event",
        "tanggal_selesai": "end event; NULL while open at the period's end",
        "durasi": "working or calendar days to the end event, or to the period's end while open",
        "satuan": "HK | hari", "batas": "limit", "terlambat": "days beyond the limit",
        "status": "tepat_waktu | terlambat | dalam_proses | lewat_batas",
    }),
    "ketepatan_waktu_ringkasan": ("The other timelines per period × timeline × group.", {
        "jenis_waktu": "timeline", "kelompok": "facility group or recipient kind", "jumlah": "items",
        "tepat_waktu": "on time", "terlambat": "late", "dalam_proses": "open, within the limit",
        "lewat_batas": "open, beyond the limit", "median_durasi": "median duration of the closed items",
        "p90_durasi": "90th percentile duration of the closed items", "satuan": "HK | hari",
    }),
    "sampel_ringkasan": ("Samples per period × commodity (taken in the year up to the period's end).", {
        "komoditi": "commodity", "jumlah_sampel": "samples", "ms": "results MS by the period's end",
        "tms": "results TMS by the period's end", "dalam_pengujian": "no result yet",
        "label_tie": "label finding TIE (without marketing authorisation)",
    }),
    "pemeriksaan_ringkasan": ("Inspections per period × facility group.", {
        "kelompok": "facility group", "jumlah_pemeriksaan": "inspections", "jumlah_sarana": "distinct facilities",
        "mk": "result MK", "tmk": "result TMK", "surat_tl": "with a follow-up letter by the period's end",
        "tl_pembinaan": "letters: Pembinaan", "tl_peringatan": "letters: Peringatan",
        "tl_peringatan_keras": "letters: Peringatan Keras", "tl_rekomendasi_psk": "letters: Rekomendasi PSK",
        "tl_pencabutan_izin": "letters: Pencabutan Izin",
    }),
    "rekomendasi_ringkasan": ("Recommendations to stakeholders per period × recipient kind.", {
        "jenis_penerima": "Pelaku Usaha | Lintas Sektor", "jumlah_surat": "letters",
        "dengan_feedback": "with feedback by the period's end", "tanpa_feedback": "without feedback yet",
    }),
    "iku_sipt_komponen": ("The components of each indicator computed from SIPT: why realisasi_sipt is what it is.", {
        "kode_iku": "indicator code", "jenis": "sampel | sarana | rekomendasi | fortifikasi",
        "komponen": "component", "keterangan": "what the component measures", "pembilang": "numerator",
        "penyebut": "denominator", "persen": "numerator / denominator × 100 (capped at 100); NULL when not applicable",
        "bobot": "weight in the indicator (profile)",
    }),
}


AUDIT: dict[str, tuple[str, dict[str, str]]] = {
    "runs": ("Every run on the warehouse, one row each.", {
        "run_id": "run id (the Prefect flow run id)", "started_at": "start (local time of the machine)",
        "finished_at": "end; NULL while it runs or when it died", "periode": "the month it computed, YYYY-MM",
        "inbox": "the inbox folder it read",
        "status": "started | built (committed, not yet published) | done | failed | crashed",
        "exit_code": "0 every source valid; 2 some source refused",
    }),
    "run_periods": ("The satker-months each run computed.", {
        "run_id": "run id", "kode_satker": KEY["kode_satker"], "tahun": KEY["tahun"], "bulan": KEY["bulan"],
    }),
    "files": ("Every input file ever seen, one row per content (SHA-256), accepted or refused.", {
        "sha256": "checksum of the file's bytes", "run_id": "the run that last saw it",
        "run_seq": "that run's sequence number on the warehouse", "nama_file": "file name as received",
        "path_asal": "where it was read (path on the machine of the run)",
        "jenis": "source: simetris_rapk, sakti_realisasi, sipt_sampel …; NULL when not recognised",
        "kode_satker": "satker the export is of", "tahun": "year of the export",
        "bulan": "month of the export; NULL for a yearly one", "tanggal_ekspor": "export date printed in the file",
        "mtime": "the file's modification time (seconds since 1970)", "jumlah_baris": "data rows",
        "status": "accepted | refused | duplicate", "arsip": "its copy, relative to the warehouse folder",
        "pesan": "why it was refused, in short", "diterima_pada": "when it was recorded",
    }),
    "validation_failures": ("Why files were refused: one row per finding (row, column, value, check).", {
        "run_id": "run id", "sha256": "the file (audit.files)", "nama_file": "file name",
        "baris": "row in the file (1 = first line); NULL for the whole file", "kolom": "column; NULL for a row",
        "nilai": "the value found", "pemeriksaan": "check code (docs/validation.md)",
        "pesan": "what was expected",
    }),
    "freshness": ("Each published table per satker-month: computed from this run's data, or kept at its last "
                  "good version because a source was refused.", {
        "tabel": "published table", "kode_satker": KEY["kode_satker"], "tahun": KEY["tahun"],
        "bulan": KEY["bulan"], "status": "fresh | stale", "data_dari_run": "the run its rows come from",
        "diperiksa_run": "the run that last checked it", "alasan": "why stale: the refused source",
    }),
    "alerts": ("Every alert a run sent or tried to send.", {
        "run_id": "run id", "dikirim_pada": "when", "saluran": "webhook | block:NAME | none",
        "subjek": "subject", "status": "sent | failed | not_configured", "percobaan": "attempts",
        "galat": "the last error, URLs removed",
    }),
}


def _cell(text: str) -> str:
    """Text inside a Markdown table cell: a `|` of an enumeration would end the cell."""
    return text.replace("|", "\\|")


def generate(published: Path) -> str:
    con = duckdb.connect(str(published), read_only=True)
    try:
        tables = [r[0] for r in con.execute("select table_name from information_schema.tables "
                                            "where table_schema = 'mart' order by 1").fetchall()]
        out = ["# Data dictionary of `published.duckdb`", "",
               "Generated by `python -m sakip.dictionary` from a published file; checked by the tests against the "
               "schema that is actually published. Schema `mart`; every table has `kode_satker`, `tahun`, `bulan`. "
               "Percentages are DOUBLE in percent, unrounded; amounts DECIMAL in rupiah; undefined values are NULL.",
               ""]
        missing = []
        audit = [r[0] for r in con.execute("select table_name from information_schema.tables "
                                           "where table_schema = 'audit' order by 1").fetchall()]
        for schema, names, described in (("mart", tables, TABLES), ("audit", audit, AUDIT)):
            if schema == "audit":
                out += ["# Schema `audit`: what the runs did", "",
                        "The warehouse's record of runs, files, findings, freshness and alerts, copied into every "
                        "published file.", ""]
            for table in names:
                description, columns = described.get(table, ("", {}))
                if not description:
                    missing.append(f"{schema}.{table}")
                out += [f"## {schema}.{table}", "", description, "", "| column | type | meaning |", "|---|---|---|"]
                for name, typ in con.execute("select column_name, data_type from information_schema.columns "
                                             "where table_schema = ? and table_name = ? order by ordinal_position",
                                             [schema, table]).fetchall():
                    meaning = columns.get(name) or (KEY.get(name) if schema == "mart" else None)
                    if meaning is None:
                        missing.append(f"{schema}.{table}.{name}")
                    out.append(f"| `{name}` | {typ} | {_cell(meaning or '')} |")
                out.append("")
        if missing:
            raise ValueError("no description for: " + ", ".join(missing))
        return "\n".join(out)
    finally:
        con.close()


if __name__ == "__main__":
    try:
        sys.stdout.write(generate(Path(sys.argv[1])))
    except ValueError as exc:
        sys.exit(f"sakip.dictionary: {exc}")
