"""One Pandera model per source (polars backend). `validate(export)` runs the source's model with every
failure collected (lazy) and returns them as Findings, with the row number of the file, next to the
structural checks the model can't express (subtotals of SAKTI exports)."""
from __future__ import annotations

import polars as pl
import pandera.polars as pa
from pandera.errors import SchemaError, SchemaErrors

from sakip.findings import Finding
from sakip.readers import Export
from sakip.readers.kinds import KINDS_BY_NAME
from sakip.schemas import sakti, simetris, sipt

MODELS: dict[str, type[pa.DataFrameModel]] = {
    "simetris_rapk": simetris.Rapk,
    "simetris_realisasi": simetris.Realisasi,
    "sakti_realisasi": sakti.RealisasiAnggaran,
    "sakti_pok": sakti.Pok,
    "sakti_capaian_output": sakti.CapaianOutput,
    "sipt_sampel": sipt.Sampel,
    "sipt_pemeriksaan": sipt.Pemeriksaan,
    "sipt_rekomendasi": sipt.Rekomendasi,
}
DATAFRAME_MESSAGES = {**sakti.DATAFRAME_MESSAGES, **sipt.DATAFRAME_MESSAGES}

STRUCTURAL = {
    "sakti_realisasi": [sakti.subtotals_match_leaves],
    "sakti_pok": [sakti.subtotals_match_leaves],
}


def validate(export: Export) -> list[Finding]:
    """Findings of the source's Pandera model and structural checks, row numbers as in the file."""
    kind = export.kind
    model = MODELS[kind.name]
    data = export.data
    findings: list[Finding] = []
    try:
        model.validate(data, lazy=True)
    except SchemaErrors as exc:
        findings.extend(_to_findings(exc.failure_cases, data, model, kind))
    except SchemaError as exc:  # non-lazy failures (should not happen with lazy=True, kept for safety)
        findings.append(Finding("schema", str(exc)))
    for check in STRUCTURAL.get(kind.name, []):
        findings.extend(check(data))
    findings.extend(_duplicate_keys(export))
    findings.extend(_dates_and_period(export))
    return findings


# Dates that mark the start of a record: they must fall in the export's year (SIPT exports are per year;
# a RAPK revision belongs to its Tahun).
_IN_YEAR = {"simetris_rapk": ["tanggal_berlaku"], "sipt_sampel": ["tanggal_sampling"],
            "sipt_pemeriksaan": ["tanggal_pemeriksaan"], "sipt_rekomendasi": ["tanggal_surat"]}


def _dates_and_period(export: Export) -> list[Finding]:
    """What the file says about itself must agree with its rows: dates within its year and not after the
    day it was exported, and no month that had not yet begun when it was exported."""
    kind, data, out = export.kind, export.data, []
    labels = {c.name: c.label for c in kind.columns}
    for name in _IN_YEAR.get(kind.name, []):
        if export.tahun is None:
            break
        bad = data.filter(pl.col(name).dt.year() != export.tahun)
        out += [Finding("date_in_year", f"{labels[name]}: {r[name]:%d/%m/%Y} is not in {export.tahun}, the year of "
                                        "this export", r["_row"], labels[name], f"{r[name]:%d/%m/%Y}")
                for r in bad.iter_rows(named=True)]
    exported = export.exported_at
    if exported is None:
        return out
    for col in kind.columns:
        if col.type != "date":
            continue
        bad = data.filter(pl.col(col.name) > exported)
        out += [Finding("date_not_after_export", f"{col.label}: {r[col.name]:%d/%m/%Y} is after the export date "
                                                 f"{exported:%d/%m/%Y} stated in the title rows", r["_row"],
                        col.label, f"{r[col.name]:%d/%m/%Y}") for r in bad.iter_rows(named=True)]
    month_now = (exported.year, exported.month)
    if kind.period == "max_bulan":
        bad = data.filter((pl.col("tahun") > exported.year)
                          | ((pl.col("tahun") == exported.year) & (pl.col("bulan") > exported.month)))
        out += [Finding("period", f"Bulan: {r['bulan']} of {r['tahun']} had not begun when the file was exported "
                                  f"({exported:%d/%m/%Y})", r["_row"], "Bulan", str(r["bulan"]))
                for r in bad.iter_rows(named=True)]
    elif kind.period == "title_periode" and export.bulan and export.tahun and (export.tahun, export.bulan) > month_now:
        out.append(Finding("period", f"the title rows state the period {export.tahun}-{export.bulan:02d}, which had "
                                     f"not begun when the file was exported ({exported:%d/%m/%Y})",
                           column="PERIODE", value=f"{export.tahun}-{export.bulan:02d}"))
    return out


def _to_findings(failures: pl.DataFrame, data: pl.DataFrame, model: type[pa.DataFrameModel],
                 kind) -> list[Finding]:
    schema = model.to_schema()
    labels = {c.name: c.label for c in kind.columns}
    rows = data.get_column("_row").to_list()
    out = []
    for rec in failures.iter_rows(named=True):
        idx = rec["index"]
        row = rows[idx] if idx is not None and idx < len(rows) else None
        column, check, value = rec["column"], rec["check"], rec["failure_case"]
        if rec["schema_context"] == "DataFrameSchema" and check in DATAFRAME_MESSAGES:
            name, expected = DATAFRAME_MESSAGES[check]
            value = None if idx is None else data.get_column(name)[idx]
            value = None if value is None else str(value)
            out.append(Finding(check, f"{labels[name]}: {expected} (found {value or 'empty'})", row,
                               labels[name], value))
            continue
        col = schema.columns.get(column)
        label = (col.title if col is not None and col.title else column) or ""
        expected = col.description if col is not None and col.description else check
        if check == "not_nullable":
            msg = f"{label}: empty, but a value is required"
        elif value is None:
            msg = f"{label}: {check}"
        else:
            msg = f"{label}: '{value}' — expected {expected}"
        out.append(Finding(_check_name(check), msg, row, label, None if value is None else str(value)))
    return out


def _check_name(check: str) -> str:
    return check.split("(")[0]


def _duplicate_keys(export: Export) -> list[Finding]:
    kind = export.kind
    if not kind.key:
        return []
    data = export.data
    if kind.name.startswith("sakti_") and "akun" in kind.key:
        data = data.filter(pl.col("akun").is_not_null())  # only leaves have a unique key
    labels = {c.name: c.label for c in kind.columns}
    dup = (data.with_columns(pl.len().over(list(kind.key)).alias("_n"))
           .filter(pl.col("_n") > 1).sort("_row"))
    out = []
    for rec in dup.iter_rows(named=True):
        key = ", ".join(f"{labels[k]} {rec[k]}" for k in kind.key if rec[k] is not None)
        out.append(Finding("duplicate_key", f"the same key appears on {rec['_n']} rows: {key}", rec["_row"],
                           ", ".join(labels[k] for k in kind.key), key))
    return out


__all__ = ["validate", "MODELS", "KINDS_BY_NAME"]
