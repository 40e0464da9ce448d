"""The published contract (data contract §6) as checks on a published DuckDB file: tables, required columns
and their types, and the NULL rules. Shape, not figures: the figures are checked by the tests that call it."""
from __future__ import annotations

import duckdb

KEYS = {"kode_satker": "VARCHAR", "tahun": "INTEGER", "bulan": "INTEGER"}
TABLES = {
    "capaian_iku": {"kode_ss": "VARCHAR", "kode_iku": "VARCHAR", "indikator": "VARCHAR", "target": "DOUBLE",
                    "realisasi": "DOUBLE", "capaian": "DOUBLE", "nilai_akhir": "DOUBLE", "kriteria": "VARCHAR",
                    "diukur": "BOOLEAN", "target_tahunan": "DOUBLE", "capaian_tahunan": "DOUBLE",
                    "status_tahunan": "VARCHAR"},
    "nilai_sasaran": {"kode_ss": "VARCHAR", "sasaran": "VARCHAR", "jumlah_iku": "INTEGER",
                      "jumlah_diukur": "INTEGER", "nps": "DOUBLE"},
    "nko": {"nko": "DOUBLE", "predikat": "VARCHAR", "jumlah_iku": "INTEGER", "jumlah_diukur": "INTEGER"},
    "realisasi_anggaran": {"kode_ro": "VARCHAR", "uraian": "VARCHAR", "pagu": "NUMBER", "blokir": "NUMBER",
                           "realisasi": "NUMBER", "persen_realisasi": "DOUBLE"},
    "anggaran_satker": {"pagu_ro": "NUMBER", "pagu_dipa": "NUMBER", "blokir": "NUMBER", "realisasi": "NUMBER",
                        "persen_terhadap_pagu_ro": "DOUBLE", "persen_terhadap_dipa": "DOUBLE",
                        "persen_terhadap_dipa_netto": "DOUBLE"},
    "efisiensi": {"kode_ro": "VARCHAR", "uraian": "VARCHAR", "persen_capaian_output": "DOUBLE",
                  "persen_realisasi_anggaran": "DOUBLE", "ie": "DOUBLE", "te": "DOUBLE", "kategori": "VARCHAR",
                  "nilai_efisiensi": "DOUBLE"},
    "kinerja_anggaran": {"kelompok": "VARCHAR", "kode_iku": "VARCHAR", "target": "DOUBLE", "realisasi": "DOUBLE",
                         "capaian": "DOUBLE", "pagu": "NUMBER", "realisasi_anggaran": "NUMBER",
                         "persen_realisasi_anggaran": "DOUBLE"},
}
NUMBER = ("DOUBLE", "DECIMAL", "BIGINT", "HUGEINT", "INTEGER", "FLOAT")
INTS = ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER")


def _type_ok(want: str, got: str) -> bool:
    got = got.upper()
    if want == "NUMBER":
        return got.startswith(NUMBER)
    if want == "INTEGER":
        return got in INTS
    if want == "DOUBLE":  # percentages and figures: DOUBLE, unrounded (not DECIMAL)
        return got == "DOUBLE"
    return got == want


def contract_problems(path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        have = {}
        for (table,) in con.execute("select table_name from information_schema.tables "
                                    "where table_schema = 'mart'").fetchall():
            have[table] = dict(con.execute("select column_name, data_type from information_schema.columns "
                                           "where table_schema = 'mart' and table_name = ?", [table]).fetchall())
        problems = []
        for table, cols in TABLES.items():
            if table not in have:
                problems.append(f"mart.{table}: missing")
                continue
            for name, want in {**KEYS, **cols}.items():
                if name not in have[table]:
                    problems.append(f"mart.{table}.{name}: missing")
                elif not _type_ok(want, have[table][name]):
                    problems.append(f"mart.{table}.{name}: {have[table][name]}, want {want}")
            for name, typ in have[table].items():
                if typ.upper() in ("DOUBLE", "FLOAT"):
                    n = con.execute(f'select count(*) from mart."{table}" where isnan("{name}") or isinf("{name}")'
                                    ).fetchall()[0][0]
                    if n:
                        problems.append(f"mart.{table}.{name}: {n} NaN/inf values")
            n = con.execute(f'select count(*) from mart."{table}" where bulan not between 1 and 12').fetchall()[0][0]
            if n:
                problems.append(f"mart.{table}.bulan: {n} values outside 1-12")
            n = con.execute(f'select count(*) from mart."{table}"').fetchall()[0][0]
            if n == 0:
                problems.append(f"mart.{table}: empty")
        n = con.execute("select count(*) from mart.capaian_iku where not diukur and (capaian is not null or "
                        "nilai_akhir is not null or kriteria is not null or status_tahunan is not null)"
                        ).fetchall()[0][0]
        if n:
            problems.append(f"mart.capaian_iku: {n} not-measured rows with figures")
        n = con.execute("select count(*) from mart.efisiensi where ie is null and "
                        "(te is not null or kategori is not null or nilai_efisiensi is not null)").fetchall()[0][0]
        if n:
            problems.append(f"mart.efisiensi: {n} rows with undefined IE but a TE or kategori")
        return problems
    finally:
        con.close()
