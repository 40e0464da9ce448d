"""The planners' reference data checked before a run uses it, with findings like the exports' (file, row,
column, value, what was expected): every file readable with its columns and typed cells; per year and scale,
the bands of a methodology profile cover the whole line with no gap and no overlap; every parameter of a
profile present; the registry's codes six digits and unique; the shares of one budget line summing to 1;
the timeline rules naming a SIPT source and its date columns. `sakip reference check` also reads the folder's Word
template (check_template).

    sakip reference check [--dir DIR]

`sakip run` runs the same checks first: a reference problem refuses the run (exit 2, alerted), it never
computes with a broken profile (two bands holding 110 would give an indicator two rows)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from sakip.findings import Finding
from sakip.i18n import _
from sakip.schemas import KINDS_BY_NAME
from sakip.schemas.sakti import RO
from sakip.warehouse.db import _REFERENCE_TYPES, reference_dir, reference_file

PARAMETERS = ("batas_normalisasi", "standar_efisiensi", "toleransi_sipt")
SCALES = ("kriteria", "predikat", "status_tahunan", "efisiensi")
_CASTS = {"integer": pl.Int64, "double": pl.Float64}
# what identifies a row of each file: a row listed twice would count twice (a weight listed twice changed the
# NKO unnoticed) or make the models' own keys fail the run
KEYS = {
    "profil_parameter": ("tahun", "parameter"),
    "bobot_iku": ("tahun", "kode_satker", "kode_iku"),
    "iku_tahunan": ("tahun", "kode_satker", "kode_iku"),
    "kelompok_iku": ("tahun", "kode_satker", "kode_iku"),
    "iku_sipt": ("tahun", "kode_satker", "kode_iku", "jenis"),
    "profil_komponen_sipt": ("tahun", "jenis", "komponen"),
    "renlak_sampel": ("tahun", "kode_satker", "komoditi", "bulan"),
    "rencana_pemeriksaan": ("tahun", "kode_satker", "kelompok", "bulan"),
    "sarana_fortifikasi": ("tahun", "kode_satker"),
    "aturan_waktu": ("kode",),
    "urutan_laporan": ("tahun", "kode_satker", "jenis", "kode"),
}


@dataclass(frozen=True)
class ReferenceFinding:
    file: Path
    finding: Finding

    def line(self) -> str:
        f = self.finding
        where = ", ".join(p for p in (_("row {row}").format(row=f.row) if f.row else "",
                                      _("column {column}").format(column=f.column) if f.column else "",
                                      _("value {value}").format(value=repr(f.value)) if f.value is not None else "")
                          if p)
        return f"{self.file}: {where + ': ' if where else ''}{f.message} [{f.check}]"


def check_reference(directory: Path | None = None, years: set[int] | None = None) -> list[ReferenceFinding]:
    """Every finding of the reference folder (the bundled defaults for files it lacks). `years`: the years a
    run computes, each of which needs a profile (its own or an earlier year's)."""
    directory = directory or reference_dir()
    out: list[ReferenceFinding] = []
    frames: dict[str, pl.DataFrame] = {}
    for name, types in _REFERENCE_TYPES.items():
        path = reference_file(directory, name)
        found, frame = _read(path, types)
        out += [ReferenceFinding(path, f) for f in found]
        if frame is not None:
            frames[name] = frame
    colours = _colours(reference_file(directory, "profil_pita"))
    out += [ReferenceFinding(reference_file(directory, "profil_pita"), f) for f in colours]
    for name, check in (("profil_pita", _bands), ("profil_parameter", _parameters), ("upt", _registry),
                        ("anggaran_kelompok", _shares), ("aturan_waktu", _timelines), ("bobot_iku", _weights),
                        ("urutan_laporan", _report_order)):
        if name in frames:
            out += [ReferenceFinding(reference_file(directory, name), f) for f in check(frames[name], frames)]
    for name, key in KEYS.items():
        if name in frames:
            out += [ReferenceFinding(reference_file(directory, name), f) for f in _unique(frames[name], key)]
    if years and "profil_parameter" in frames:
        profiled = set(frames["profil_parameter"].get_column("tahun").drop_nulls().to_list())
        for year in sorted(years):
            if not any(p <= year for p in profiled):
                out.append(ReferenceFinding(reference_file(directory, "profil_parameter"), Finding(
                    "profile_year", _("no methodology profile for {year} or an earlier year: add its bands to "
                                      "profil_pita.csv and its parameters to profil_parameter.csv").format(year=year))))
    return out


def check_template(directory: Path) -> list[ReferenceFinding]:
    """The folder's Laporan Kinerja template (templat_laporan_kinerja.docx, when it has one) as the drafts will read
    it: that they can be written from it, with every style they use and the unit's name in the letterhead. Asked by
    `sakip reference check` only: a template that can't be used stops the drafts, never the figures."""
    from sakip.report.document import SATKER_FIELD, TEMPLATE, TemplateError, template_gaps

    path = directory / TEMPLATE
    if not path.exists():
        return []
    if not path.is_file():  # a folder or a device there: not opened (a FIFO would wait for ever)
        return [ReferenceFinding(path, Finding("template_file", _("is not a file")))]
    try:
        missing, named = template_gaps(path)
    except TemplateError as error:  # its message names the file first, as the line already does
        return [ReferenceFinding(path, Finding("template_file", str(error).removeprefix(f"{path} ")))]
    found = []
    if missing:
        found.append(ReferenceFinding(path, Finding("template_style", _(
            "has no style {styles}: the drafts use the default style there (docs/templat-laporan.md lists the "
            "styles they use)").format(styles=", ".join(f"'{name}'" for name in missing)))))
    if not named:
        found.append(ReferenceFinding(path, Finding("template_letterhead", _(
            "has no {field} in its page headers or footers: the drafts' letterhead will not name the unit").format(
            field=SATKER_FIELD))))
    return found


def _read(path: Path, types: dict[str, str]) -> tuple[list[Finding], pl.DataFrame | None]:
    """The file as text, then each typed column cast; a cell that does not cast is a finding (row numbers as
    in the file: the header is row 1)."""
    try:
        raw = pl.read_csv(path, infer_schema=False, truncate_ragged_lines=False)
    except Exception as exc:  # polars' own errors: ragged rows, bad quoting, not UTF-8, empty
        return [Finding("reference_file", _("cannot be read as CSV: {error}").format(
            error=f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:200]}"))], None
    missing = [c for c in types if c not in raw.columns]
    if missing:
        return [Finding("reference_columns", _("columns missing: {missing} (expected {expected})").format(
            missing=", ".join(missing), expected=", ".join(types)))], None
    findings, columns = [], {}
    for column, kind in types.items():
        text = raw.get_column(column).str.strip_chars()
        text = pl.select(pl.when(text == "").then(None).otherwise(text)).to_series()
        if kind == "boolean":
            lowered = text.str.to_lowercase()
            bad = lowered.is_not_null() & ~lowered.is_in(["true", "false"])
            values = lowered == "true"
            values = pl.select(pl.when(lowered.is_null()).then(None).otherwise(values)).to_series()
            message = _("is not true or false")
        elif kind in _CASTS:
            values = text.cast(_CASTS[kind], strict=False)
            bad = text.is_not_null() & values.is_null()
            if kind == "double":
                bad = bad | (values.is_not_null() & ~values.is_finite())
            message = _("is not a whole number") if kind == "integer" else _("is not a number (decimal point: '.')")
        else:
            values, bad, message = text, pl.Series([False] * raw.height, dtype=pl.Boolean), ""
        for i in bad.arg_true().to_list():
            findings.append(Finding("reference_type", message, row=i + 2, column=column,
                                    value=raw.get_column(column)[i]))
        columns[column] = values.alias(column)
    return findings, pl.DataFrame(columns).with_row_index("_row", offset=2)


def _colours(path: Path) -> list[Finding]:
    """The optional `warna` of a band (its colour in the reports): #rrggbb."""
    try:
        raw = pl.read_csv(path, infer_schema=False)
    except Exception:
        return []  # _read has said why
    if "warna" not in raw.columns:
        return []
    colours = raw.get_column("warna").str.strip_chars()
    bad = colours.is_not_null() & (colours != "") & ~colours.str.contains(r"^#[0-9a-fA-F]{6}$")
    return [Finding("reference_type", _("is not a colour #rrggbb (e.g. #1b7a3d)"), row=i + 2, column="warna",
                    value=colours[i]) for i in bad.arg_true().to_list()]


def _bands(frame: pl.DataFrame, _frames: dict) -> list[Finding]:
    """Per year and scale, sorted by their lower bound, each band must start where the one below ends, that
    point in exactly one of them; the lowest open below, the highest open above."""
    findings = []
    for (tahun, skala), group in frame.group_by(["tahun", "skala"], maintain_order=True):
        if skala not in SCALES:
            findings.append(Finding("band_scale", _("unknown scale {scale} (expected one of {scales})").format(
                scale=repr(skala), scales=", ".join(SCALES)), row=group.get_column("_row")[0], column="skala",
                value=skala))
            continue
        rows = sorted(group.iter_rows(named=True),
                      key=lambda r: (-math.inf if r["bawah"] is None else r["bawah"], not r["bawah_inklusif"]))
        what = f"{skala} {tahun}"
        for r in rows:
            if r["bawah"] is not None and r["atas"] is not None and (
                    r["bawah"] > r["atas"] or (r["bawah"] == r["atas"] and not (r["bawah_inklusif"]
                                                                                and r["atas_inklusif"]))):
                findings.append(Finding("band_empty", _("{scale}: the band '{band}' holds no value ({lower} to "
                                                        "{upper})").format(scale=what, band=r["label"],
                                                                           lower=r["bawah"], upper=r["atas"]),
                                        row=r["_row"], column="atas", value=str(r["atas"])))
        if rows[0]["bawah"] is not None:
            findings.append(Finding("band_gap", _("{scale}: nothing covers values below {lower}: the lowest band "
                                                  "must have no lower bound (bawah empty)").format(
                                        scale=what, lower=rows[0]["bawah"]),
                                    row=rows[0]["_row"], column="bawah", value=str(rows[0]["bawah"])))
        if rows[-1]["atas"] is not None:
            findings.append(Finding("band_gap", _("{scale}: nothing covers values above {upper}: the highest band "
                                                  "must have no upper bound (atas empty)").format(
                                        scale=what, upper=rows[-1]["atas"]),
                                    row=rows[-1]["_row"], column="atas", value=str(rows[-1]["atas"])))
        for below, above in zip(rows, rows[1:]):
            end, end_in = below["atas"], bool(below["atas_inklusif"])
            start, start_in = above["bawah"], bool(above["bawah_inklusif"])
            pair = dict(scale=what, below=below["label"], below_row=below["_row"], above=above["label"],
                        above_row=above["_row"])
            if end is None or start < end or (start == end and end_in and start_in):
                message = (_("{scale}: '{below}' (row {below_row}) and '{above}' (row {above_row}) overlap at "
                             "{value}").format(value=start, **pair) if start == end else
                           _("{scale}: '{below}' (row {below_row}) and '{above}' (row {above_row}) overlap").format(
                               **pair))
                findings.append(Finding("band_overlap", message, row=above["_row"], column="bawah", value=str(start)))
            elif start > end or (not end_in and not start_in):
                message = (_("{scale}: no band holds {value}, between '{below}' (row {below_row}) and '{above}' "
                             "(row {above_row})").format(value=end, **pair) if start == end else
                           _("{scale}: no band holds {lower} to {upper}, between '{below}' (row {below_row}) and "
                             "'{above}' (row {above_row})").format(lower=end, upper=start, **pair))
                findings.append(Finding("band_gap", message, row=above["_row"], column="bawah", value=str(start)))
    return findings


def _parameters(frame: pl.DataFrame, frames: dict) -> list[Finding]:
    """Every year that has a profile (bands or parameters) lists every parameter. A parameter listed without
    a value is one that is not known for that year (a partial profile: what depends on it is published
    NULL, with the reason); one not listed at all is a mistake."""
    years = set(frame.get_column("tahun").drop_nulls().to_list())
    if "profil_pita" in frames:
        years |= set(frames["profil_pita"].get_column("tahun").drop_nulls().to_list())
    findings = []
    for year in sorted(years):
        listed = set(frame.filter(pl.col("tahun") == year).get_column("parameter").to_list())
        for parameter in PARAMETERS:
            if parameter not in listed:
                findings.append(Finding("profile_parameter", _("the profile of {year} lacks the parameter "
                                                               "{parameter}: add a row '{year},{parameter},<nilai>,'")
                                        .format(year=year, parameter=parameter), column="parameter", value=parameter))
    return findings


def _registry(frame: pl.DataFrame, _frames: dict) -> list[Finding]:
    findings = []
    for row in frame.iter_rows(named=True):
        code = row["kode_satker"]
        # a unit listed without its code yet is not an error: it is not run until its planner adds the code
        if code is not None and not (len(code) == 6 and code.isascii() and code.isdigit()):
            findings.append(Finding("registry_code", _("a satker code has six digits (SAKTI), e.g. 672849"),
                                    row=row["_row"], column="kode_satker", value=code))
        if not row["nama_satker"]:
            findings.append(Finding("registry_name", _("the unit's name is required"), row=row["_row"],
                                    column="nama_satker"))
    for column in ("kode_satker", "nama_satker"):
        for value, rows in frame.group_by(column).agg(pl.col("_row")).iter_rows():
            if value is not None and len(rows) > 1:
                findings.append(Finding("registry_unique", _("{value} is listed {count} times (rows {rows})").format(
                    value=value, count=len(rows), rows=", ".join(map(str, sorted(rows)))),
                                        row=sorted(rows)[1], column=column, value=value))
    return findings


def _shares(frame: pl.DataFrame, _frames: dict) -> list[Finding]:
    """One SAKTI line (an RO, or one komponen of it) shared among IKU groups: the shares sum to 1, or the
    groups' budgets would count it twice or lose part of it."""
    sums = (frame.group_by(["tahun", "kode_satker", "kode_ro", "komponen"])
            .agg(pl.col("porsi").sum().alias("total"), pl.col("_row").min().alias("row")))
    return [Finding("budget_share", _("the shares of {line} ({satker}, {year}) sum to {total}, not 1").format(
                        line=f"{r['kode_ro']} komponen {r['komponen']}" if r["komponen"] else r["kode_ro"],
                        satker=r["kode_satker"], year=r["tahun"], total=f"{r['total']:g}"),
                    row=r["row"], column="porsi", value=f"{r['total']:g}")
            for r in sums.iter_rows(named=True) if r["total"] is not None and abs(r["total"] - 1) > 1e-9]


def _weights(frame: pl.DataFrame, _frames: dict) -> list[Finding]:
    """An indicator's weight in the NPS and the NKO (the Settama method weights IKU twice): above 0."""
    return [Finding("weight", _("a weight is a number above 0 (1: the indicator counts as any other)"),
                    row=r["_row"], column="bobot", value=None if r["bobot"] is None else f"{r['bobot']:g}")
            for r in frame.iter_rows(named=True) if r["bobot"] is None or not r["bobot"] > 0]


def _timelines(frame: pl.DataFrame, _frames: dict) -> list[Finding]:
    findings = []
    for row in frame.iter_rows(named=True):
        kind = KINDS_BY_NAME.get(row["sumber"] or "")
        if kind is None or not kind.name.startswith("sipt_"):
            findings.append(Finding("timeline_rule", _("sumber must be a SIPT source (sipt_sampel, "
                                                       "sipt_pemeriksaan, sipt_rekomendasi)"),
                                    row=row["_row"], column="sumber", value=row["sumber"]))
            continue
        dates = {c.name for c in kind.columns if c.type == "date"}
        for column in ("mulai", "selesai"):
            if row[column] not in dates:
                findings.append(Finding("timeline_rule", _("{column} must be a date column of {source} ({dates})")
                                        .format(column=column, source=kind.name, dates=", ".join(sorted(dates))),
                                        row=row["_row"], column=column, value=row[column]))
        if row["satuan"] not in ("HK", "hari"):
            findings.append(Finding("timeline_rule", _("satuan is HK (working days) or hari (calendar days)"),
                                    row=row["_row"], column="satuan", value=row["satuan"]))
        if row["batas"] is None or row["batas"] < 0:
            findings.append(Finding("timeline_rule", _("batas is a limit of zero days or more"), row=row["_row"],
                                    column="batas", value=None if row["batas"] is None else str(row["batas"])))
    return findings


def _unique(frame: pl.DataFrame, key: tuple[str, ...]) -> list[Finding]:
    """Each key once: the second and later rows of a key are findings, naming the first."""
    listed = (frame.filter(pl.all_horizontal([pl.col(c).is_not_null() for c in key]))
              .group_by(list(key)).agg(pl.col("_row").sort()).filter(pl.col("_row").list.len() > 1))
    return [Finding("reference_key", _("{key} is listed {count} times (rows {rows}): one row each").format(
                        key=", ".join(f"{c} {r[c]}" for c in key), count=len(r["_row"]),
                        rows=", ".join(map(str, r["_row"]))),
                    row=r["_row"][1], column=", ".join(key), value=", ".join(str(r[c]) for c in key))
            for r in listed.sort(pl.col("_row").list.first()).iter_rows(named=True)]


def _report_order(frame: pl.DataFrame, _frames: dict) -> list[Finding]:
    """The report's order of a unit's ROs: jenis `ro`, a full RO code, places 1, 2 … each once."""
    findings = []
    for row in frame.iter_rows(named=True):
        if row["jenis"] != "ro":
            findings.append(Finding("report_order", _("jenis is ro (the order of the ROs; indicators follow the "
                                                      "order of the RAPK)"), row=row["_row"], column="jenis",
                                    value=row["jenis"]))
        elif not re.fullmatch(RO, row["kode"] or ""):
            findings.append(Finding("report_order", _("kode is a full RO code such as DR.3165.QIA.005"),
                                    row=row["_row"], column="kode", value=row["kode"]))
        if row["urutan"] is None or row["urutan"] < 1:
            findings.append(Finding("report_order", _("urutan is a place in the report: 1, 2 …"), row=row["_row"],
                                    column="urutan", value=None if row["urutan"] is None else str(row["urutan"])))
    return findings + _unique(frame, ("tahun", "kode_satker", "jenis", "urutan"))
