"""The sources sakip reads, each declared once beside its Pandera model (`simetris.py`, `sakti.py`, `sipt.py`:
title, columns and labels, key, period rule, model, checks across rows), and `validate_all(exports)`, which
runs each source's model with every failure collected (lazy) and returns them as Findings with the row number
of the file, next to the checks the model can't express (subtotals of SAKTI exports, keys, dates against the
export's period)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaError, SchemaErrors

from sakip.findings import Finding
from sakip.i18n import _
from sakip.periods import today
from sakip.schemas import sakti, simetris, sipt
from sakip.schemas.kind import Kind

if TYPE_CHECKING:  # the readers import the sources from here
    from sakip.readers import Export

KINDS: tuple[Kind, ...] = (*simetris.KINDS, *sakti.KINDS, *sipt.KINDS)
KINDS_BY_NAME = {k.name: k for k in KINDS}


def validate_all(exports: list[Export], keep: int | None = None) -> list[list[Finding]]:
    """Findings of each export's Pandera model and structural checks, row numbers as in the file. For many
    exports, one Pandera call per source: Pandera costs ~15 ms a call whatever the
    rows, which must not grow with the number of files. Every check of the models is row by row, so a
    source's files are stacked and each failure is sent back to its file by its position. Each check builds
    the findings of its first `keep` rows of a file (default: the limit of findings kept); the others are
    counted in the export's `omitted`."""
    from sakip.readers.limits import current

    keep = current().findings if keep is None else keep
    results: list[list[Finding]] = [[] for _ in exports]
    by_kind: dict[str, list[int]] = {}
    for i, export in enumerate(exports):
        by_kind.setdefault(export.kind.name, []).append(i)
    structural: dict[int, list[Finding]] = {}
    for name, members in by_kind.items():
        model = KINDS_BY_NAME[name].model
        frames = [exports[i].data for i in members]
        # stacked once, each row with its file's number: the structural checks need it, the model does not
        stacked = pl.concat([frame.with_columns(_file=pl.lit(k, pl.Int32)) for k, frame in enumerate(frames)],
                            how="vertical_relaxed")
        for check in KINDS_BY_NAME[name].structural:
            for k, finding in check(stacked):
                structural.setdefault(members[k], []).append(finding)
        failures = _model_failures(model, stacked.drop("_file"))
        del stacked
        if failures is not None and failures.get_column("index").null_count():
            # a failure of the whole frame (a column's type): find the file it belongs to one by one
            for i in members:
                found = _model_failures(model, exports[i].data)
                if found is not None:
                    results[i] += _to_findings(found, exports[i], model, keep)
        elif failures is not None:
            starts = pl.Series(_starts(frames), dtype=pl.Int64)
            failures = failures.with_columns(
                _file=(starts.search_sorted(failures.get_column("index").cast(pl.Int64), side="right") - 1))
            for (position,), part in failures.group_by(["_file"], maintain_order=True):
                i = members[position]
                part = part.with_columns(pl.col("index") - starts[position])
                results[i] += _to_findings(part, exports[i], model, keep)
    for i, export in enumerate(exports):
        results[i] += structural.get(i, [])
        results[i] += _duplicate_keys(export, keep)
        results[i] += _dates_and_period(export, keep)
    return results


def _first(export: Export, rows: pl.DataFrame, keep: int) -> pl.DataFrame:
    """The first `keep` of the rows that failed a check (by row in the file), the others counted."""
    export.omitted += max(0, rows.height - keep)
    return rows.head(keep)


def _starts(frames: list[pl.DataFrame]) -> list[int]:
    starts, total = [], 0
    for f in frames:
        starts.append(total)
        total += f.height
    return starts


def _model_failures(model: type[pa.DataFrameModel], data: pl.DataFrame) -> pl.DataFrame | None:
    """The model's failure cases on `data` (one file, or a source's files stacked), None when they pass."""
    try:
        model.validate(data, lazy=True)
    except SchemaErrors as exc:
        return exc.failure_cases
    except SchemaError as exc:  # non-lazy failures (should not happen with lazy=True); no position known
        return pl.DataFrame({"index": [None], "column": [None], "check": [str(exc)], "failure_case": [None],
                             "schema_context": ["DataFrameSchema"]},
                            schema_overrides={"index": pl.Int64, "column": pl.String, "failure_case": pl.String})
    return None


def _dates_and_period(export: Export, keep: int) -> list[Finding]:
    """What the file says about itself must agree with its rows: dates within its year and not after the
    day it was exported, and no month that had not yet begun when it was exported."""
    kind, data, exported = export.kind, export.data, export.exported_at
    labels = {c.name: c.label for c in kind.columns}
    # (rows that break it, the finding of one such row)
    checks: list[tuple[pl.Expr, Callable[[dict], Finding]]] = []
    # the date a record starts on (a RAPK revision's Tanggal Berlaku, a sample's Tanggal Sampling) is in the
    # export's year: exports are per year
    for name in [kind.starts] if kind.starts and export.tahun is not None else []:
        checks.append((pl.col(name).dt.year() != export.tahun, lambda r, name=name: Finding(
            "date_in_year", _("{column}: {date} is not in {year}, the year of this export").format(
                column=labels[name], date=f"{r[name]:%d/%m/%Y}", year=export.tahun),
            r["_row"], labels[name], f"{r[name]:%d/%m/%Y}")))
    # no date or month can be after the day the file was exported; a file that does not state that day was
    # exported at the latest today (in the latest Indonesian time zone)
    limit = exported or today()
    shown = f"{limit:%d/%m/%Y}"  # each message below has two forms: the export date the file states, or today
    # a yearly plan's dates (a RAPK revision's Tanggal Berlaku) may lie ahead of a file that does not say when
    # it was exported: next year's plan comes in December; the events of the other sources can't
    planned = exported is None and kind.period == "year"
    for col in kind.columns:
        if col.type == "date" and not planned:
            checks.append((pl.col(col.name) > limit, lambda r, col=col: Finding(
                "date_not_after_export",
                (_("{column}: {date} is after the export date {exported} stated in the title rows") if exported else
                 _("{column}: {date} is after today ({today})")).format(
                    column=col.label, date=f"{r[col.name]:%d/%m/%Y}", exported=shown, today=shown),
                r["_row"], col.label, f"{r[col.name]:%d/%m/%Y}")))
    if kind.period == "max_bulan":
        # a month listed with no value yet is the export's layout (the year's months, the later ones empty)
        value = "realisasi" if "realisasi" in data.columns else "progres_capaian"
        later = (((pl.col("tahun") > limit.year) | ((pl.col("tahun") == limit.year) & (pl.col("bulan") > limit.month)))
                 & pl.col(value).is_not_null())
        checks.append((later, lambda r: Finding(
            "period", (_("Bulan: {month} of {year} had not begun when the file was exported ({exported})") if exported
                       else _("Bulan: {month} of {year} had not begun by today ({today})")).format(
                month=r["bulan"], year=r["tahun"], exported=shown, today=shown),
            r["_row"], "Bulan", str(r["bulan"]))))
    out = _export_date(export)
    # one query when all is well (most files), then the rows of each check that fails
    if checks and data.select(pl.any_horizontal([c for c, _finding in checks]).fill_null(False).any()).item():
        for condition, finding in checks:
            out += [finding(r) for r in _first(export, data.filter(condition), keep).iter_rows(named=True)]
    if (kind.period == "title_periode" and export.bulan and export.tahun
            and (export.tahun, export.bulan) > (limit.year, limit.month)):
        out.append(Finding("period", (
            _("the title rows state the period {period}, which had not begun when the file was exported "
              "({exported})") if exported else
            _("the title rows state the period {period}, which had not begun by today ({today})")).format(
                period=f"{export.tahun}-{export.bulan:02d}", exported=shown, today=shown),
            column="PERIODE", value=f"{export.tahun}-{export.bulan:02d}"))
    return out


def _export_date(export: Export) -> list[Finding]:
    """The export date a file states decides which export of a period is the newest: a date in the future
    would make it win over every later correction, a date before its own year can't be."""
    exported = export.exported_at
    if exported is None:
        return []
    now = today()
    if exported > now:
        return [Finding("export_date", _("the export date {exported} stated in the title rows is after today "
                                         "({today}): it would make this file replace every later correction").format(
                            exported=f"{exported:%d/%m/%Y}", today=f"{now:%d/%m/%Y}"),
                        column="Tanggal Unduh", value=f"{exported:%d/%m/%Y}")]
    if export.tahun is not None and exported.year < export.tahun:
        return [Finding("export_date", _("the export date {exported} stated in the title rows is before {year}, "
                                         "the year of this export").format(exported=f"{exported:%d/%m/%Y}",
                                                                           year=export.tahun),
                        column="Tanggal Unduh", value=f"{exported:%d/%m/%Y}")]
    return []


def _to_findings(failures: pl.DataFrame, export: Export, model: type[pa.DataFrameModel], keep: int
                 ) -> list[Finding]:
    data, kind = export.data, export.kind
    if failures.height > keep:  # the first `keep` failures of each check, by row; the others counted
        total = failures.height
        failures = failures.sort("index").filter(pl.int_range(pl.len()).over("check") < keep)
        export.omitted += total - failures.height
    schema = model.to_schema()
    labels = {c.name: c.label for c in kind.columns}
    rows = data.get_column("_row").to_list()
    out = []
    for rec in failures.iter_rows(named=True):
        idx = rec["index"]
        row = rows[idx] if idx is not None and idx < len(rows) else None
        column, check, value = rec["column"], rec["check"], rec["failure_case"]
        if rec["schema_context"] == "DataFrameSchema" and check in kind.messages:
            name, expected = kind.messages[check]
            value = None if idx is None else data.get_column(name)[idx]
            # a date as the exports write it (the value of a cross-column check is often one)
            value = None if value is None else f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else str(value)
            found = (_("{column}: {expected} (found {value})") if value else
                     _("{column}: {expected} (found empty)")).format(column=labels[name], expected=_(expected),
                                                                     value=value)
            out.append(Finding(check, found, row, labels[name], value))
            continue
        col = schema.columns.get(column)
        label = labels.get(column, column) or ""  # the column's label in the export
        if check == "not_nullable":
            msg = _("{column}: empty, but a value is required").format(column=label)
        elif value is None:
            msg = f"{label}: {check}"
        else:
            expected = _expected(col) if col is not None and col.description else check
            msg = _("{column}: '{value}' — expected {expected}").format(column=label, value=value, expected=expected)
        out.append(Finding(_check_name(check), msg, row, label, None if value is None else str(value)))
    return out


def _expected(column: pa.Column) -> str:
    """What a column's values must be, for a person: its description (marked N_ in the model) in the language
    of the run; "one of {values}" filled with the values its isin check allows."""
    text = _(column.description)
    if "{values}" not in column.description:
        return text
    allowed = next((c.statistics.get("allowed_values") for c in column.checks if c.name == "isin"), None) or []
    return text.format(values=", ".join(map(str, allowed)))


# Pandera's names for its built-in checks, by which constraint of the model failed → sakip's stable codes
# (docs/validation.md): the code says what rule a value broke, not which library tested it.
_CODES = {"not_nullable": "required", "str_matches": "format", "isin": "allowed_value",
          "greater_than_or_equal_to": "range", "less_than_or_equal_to": "range", "greater_than": "range",
          "less_than": "range", "in_range": "range"}


def _check_name(check: str) -> str:
    name = check.split("(")[0]
    return _CODES.get(name, name)


def _duplicate_keys(export: Export, keep: int) -> list[Finding]:
    kind = export.kind
    if not kind.key:
        return []
    data = export.data
    if kind.name.startswith("sakti_") and "akun" in kind.key:
        data = data.filter(pl.col("akun").is_not_null())  # only leaves have a unique key
    if not data.select(pl.struct(list(kind.key)).is_duplicated().any()).item():
        return []
    labels = {c.name: c.label for c in kind.columns}
    dup = (data.with_columns(pl.len().over(list(kind.key)).alias("_n"))
           .filter(pl.col("_n") > 1).sort("_row"))
    out = []
    for rec in _first(export, dup, keep).iter_rows(named=True):
        key = ", ".join(f"{labels[k]} {rec[k]}" for k in kind.key if rec[k] is not None)
        out.append(Finding("duplicate_key", _("the same key appears on {count} rows: {key}").format(
            count=rec["_n"], key=key), rec["_row"], ", ".join(labels[k] for k in kind.key), key))
    return out


__all__ = ["validate_all", "Kind", "KINDS", "KINDS_BY_NAME"]
