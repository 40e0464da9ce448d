"""Build the corpus of BAD input files used by the validation tests: tests/corpus/bad/.

Every case is a small function that copies one good demo export (sakip/demo/inbox/) and corrupts it in
exactly one way, or builds a file from scratch. Each file is named for what is wrong with it. The list of
cases, with the check the pipeline must emit and a fragment its message should contain, is written to
tests/corpus/bad/MANIFEST.csv (columns: file, source, what_is_wrong, expected_check, message_contains).

    .venv/bin/python tests/corpus/build_bad_corpus.py            # rebuild bad/ and MANIFEST.csv
    .venv/bin/python tests/corpus/detect_bad_corpus.py           # what the current code says: DETECTION.md

The output is deterministic byte for byte (xlsx zip timestamps and document dates are fixed), so the
checksums of the files do not change between builds. This script does not import sakip: the corpus describes
the contract (docs/formats.md), not the current implementation. The few files made from scratch, not copied
from a demo export, are written by the development tools' export writer (devtools/exports.py).

Rules every case keeps:
- exactly one kind of problem per file, the rest of the file stays valid (subtotals of GLP039 / POK are kept
  consistent unless the subtotal is the problem; a corrupted value is put where it cannot break another
  check when possible);
- the satker is 672849 everywhere except in the satker cases.
Not in the corpus on purpose (they are not bad): the same good file under another name, and an Excel lock file
(`~$…xlsx`), which is not an export and is skipped by discovery, not refused.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

from devtools.exports import Style, Table, write_table

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEMO = REPO / "sakip" / "demo" / "inbox"
OUT = HERE / "bad"

RAPK = DEMO / "RAPK_672849_2025.xlsx"
REALISASI = DEMO / "Realisasi_Kinerja_672849_2025_B06.csv"
GLP039 = DEMO / "GLP039_672849_JUNI_2025.xlsx"
POK = DEMO / "POK_RPD_672849_2025.xlsx"
CAPAIAN = DEMO / "Capaian_Output_RO_672849_2025.xlsx"
SAMPEL = DEMO / "SIPT_Sampel_672849_2025_B06.xlsx"
PEMERIKSAAN = DEMO / "SIPT_Pemeriksaan_672849_2025_B06.csv"
REKOMENDASI = DEMO / "SIPT_Rekomendasi_672849_2025_B06.xlsx"

SOURCES = ("simetris_rapk", "simetris_realisasi", "sakti_realisasi", "sakti_pok", "sakti_capaian_output",
           "sipt_sampel", "sipt_pemeriksaan", "sipt_rekomendasi", "none")
CHECKS = (
    "known_export", "required_columns", "empty_file", "readable", "satker", "single_value", "satker_registry",
    "period", "number", "date", "month", "int", "duplicate_key", "subtotal", "sisa_matches", "leaf_has_ro",
    "blokir_within_jumlah", "format", "range", "required", "limit", "number_range", "export_date", "page_header",
    "realisasi_within_pagu", "date_in_year", "date_not_after_export", "allowed_value",
    "lhu_not_before_receipt", "receipt_not_before_sampling", "result_needs_lhu", "report_not_before_inspection",
    "letter_not_before_inspection", "capa_not_before_letter", "feedback_not_before_letter",
)
FIXED_ZIP_TIME = (2025, 7, 1, 0, 0, 0)
FIXED_DOC_TIME = "2025-07-01T00:00:00Z"
# The few well-formed files made from scratch rather than copied from a demo export: the tools' export writer.
XLSX = Style("xlsx", created=dt.datetime(2025, 7, 1), author="sakip corpus")


# ------------------------------------------------------------------------------------------ registry
class Case:
    def __init__(self, file: str, source: str, check: str, contains: str, make: Callable[[Path], str]):
        assert source in SOURCES, source
        assert check in CHECKS, check
        self.file, self.source, self.check, self.contains, self.make = file, source, check, contains, make
        self.what = ""


CASES: list[Case] = []


def case(file: str, source: str, check: str, contains: str):
    """Register a case. The function writes the file at the path it is given and returns what is wrong."""
    def register(make: Callable[[Path], str]) -> Callable[[Path], str]:
        CASES.append(Case(file, source, check, contains, make))
        return make
    return register


# -------------------------------------------------------------------------------------- xlsx helpers
def load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def save(wb: openpyxl.Workbook, out: Path) -> None:
    wb.save(out)
    _normalize_xlsx(out)


def _normalize_xlsx(path: Path) -> None:
    """Rewrite the zip with fixed entry timestamps and fixed document dates: same bytes on every build."""
    with zipfile.ZipFile(path) as z:
        items = [(info.filename, z.read(info)) for info in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            if name == "docProps/core.xml":
                for tag in (b"dcterms:created", b"dcterms:modified"):
                    data = re.sub(rb"(<" + tag + rb"[^>]*>)[^<]*(</" + tag + rb">)",
                                  rb"\g<1>" + FIXED_DOC_TIME.encode() + rb"\g<2>", data)
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    path.write_bytes(buf.getvalue())


def header_row(ws, first_label: str) -> int:
    for r in range(1, 31):
        if ws.cell(r, 1).value == first_label:
            return r
    raise AssertionError(f"no header row starting with {first_label!r} in {ws.title!r}")


def col_of(ws, hrow: int, label: str) -> int:
    for c in range(1, ws.max_column + 1):
        if ws.cell(hrow, c).value == label:
            return c
    raise AssertionError(f"no column {label!r} in row {hrow}")


def copy_row(ws, src: int, dst: int) -> None:
    for c in range(1, ws.max_column + 1):
        a, b = ws.cell(src, c), ws.cell(dst, c)
        b.value, b.number_format = a.value, a.number_format


def set_title(ws, startswith: str, text: str | None) -> int:
    """Replace (or blank, text=None) the title row whose first cell starts with `startswith`."""
    for r in range(1, 31):
        v = ws.cell(r, 1).value
        if isinstance(v, str) and v.upper().startswith(startswith.upper()):
            ws.cell(r, 1).value = text
            return r
    raise AssertionError(f"no title row starting with {startswith!r}")


# ---------------------------------------------------------------------------------- SAKTI hierarchy
# Column numbers shared by GLP039 and POK: Program/Kegiatan, KRO/RO, Komponen, Sub Komponen, Akun, Uraian.
PROG, KRO, KOMP, SUB, AKUN, URAIAN = 1, 2, 3, 4, 5, 6
CODES = (PROG, KRO, KOMP, SUB)
# GLP039
G_PAGU, G_LOCK, G_LALU, G_INI, G_SD, G_PCT, G_SISA = 7, 8, 9, 10, 11, 12, 13
G_FIRST = 9          # first data row (JUMLAH SELURUHNYA) under the two-row header 7-8
# POK
P_MONTHS = range(7, 19)
P_JUMLAH, P_BLOKIR = 19, 20
P_FIRST = 6


def leaves(ws, first: int) -> list[int]:
    return [r for r in range(first, ws.max_row + 1) if ws.cell(r, AKUN).value not in (None, "")]


def find_leaf(ws, first: int, kro: str, akun: str, komp: str | None = None) -> int:
    for r in leaves(ws, first):
        if ws.cell(r, KRO).value == kro and ws.cell(r, AKUN).value == akun and komp in (None, ws.cell(r, KOMP).value):
            return r
    raise AssertionError(f"no akun line {kro} {komp} {akun}")


def ancestors(ws, first: int, leaf: int) -> list[int]:
    """The subtotal rows that cover this leaf: every code they fill equals the leaf's (JUMLAH fills none)."""
    codes = [ws.cell(leaf, c).value for c in CODES]
    out = []
    for r in range(first, ws.max_row + 1):
        if r == leaf or ws.cell(r, AKUN).value not in (None, "") or ws.cell(r, URAIAN).value is None:
            continue
        if all(ws.cell(r, c).value in (None, code) for c, code in zip(CODES, codes)):
            out.append(r)
    return out


def glp_pct(ws, r: int) -> None:
    pagu, sd = ws.cell(r, G_PAGU).value or 0, ws.cell(r, G_SD).value or 0
    ws.cell(r, G_PCT).value = round(sd / pagu * 100, 2) if pagu else 0


def add_to_line(ws, first: int, leaf: int, deltas: dict[int, float], glp: bool,
                with_ancestors: bool = True) -> list[int]:
    """Add deltas to a leaf and (by default) to every subtotal above it, so subtotals stay consistent."""
    rows = [leaf] + (ancestors(ws, first, leaf) if with_ancestors else [])
    for r in rows:
        for c, d in deltas.items():
            ws.cell(r, c).value = (ws.cell(r, c).value or 0) + d
        if glp:
            glp_pct(ws, r)
    return rows


def assert_glp_consistent(ws) -> None:
    """Guard of the builder itself: subtotals = sum of leaves, and Sisa = Pagu − Realisasi on every row."""
    ls = leaves(ws, G_FIRST)
    for r in range(G_FIRST, ws.max_row + 1):
        if ws.cell(r, URAIAN).value is None:
            continue
        assert abs((ws.cell(r, G_PAGU).value or 0) - (ws.cell(r, G_SD).value or 0)
                   - (ws.cell(r, G_SISA).value or 0)) <= 1, r
        if r in ls:
            continue
        codes = [ws.cell(r, c).value for c in CODES]
        below = [x for x in ls if all(code is None or ws.cell(x, c).value == code for c, code in zip(CODES, codes))]
        for c in (G_PAGU, G_SD, G_SISA):
            assert abs(sum(ws.cell(x, c).value or 0 for x in below) - (ws.cell(r, c).value or 0)) <= 1, (r, c)


def assert_pok_consistent(ws) -> None:
    ls = leaves(ws, P_FIRST)
    for r in range(P_FIRST, ws.max_row + 1):
        if ws.cell(r, URAIAN).value is None or r in ls:
            continue
        codes = [ws.cell(r, c).value for c in CODES]
        below = [x for x in ls if all(code is None or ws.cell(x, c).value == code for c, code in zip(CODES, codes))]
        for c in (P_JUMLAH, P_BLOKIR):
            assert abs(sum(ws.cell(x, c).value or 0 for x in below) - (ws.cell(r, c).value or 0)) <= 1, (r, c)


def zero_leaf(ws, first: int, value_cols) -> int:
    """A leaf whose values are all 0 and whose RO has no other leaf: changing its codes breaks no subtotal."""
    for r in leaves(ws, first):
        if all((ws.cell(r, c).value or 0) == 0 for c in value_cols):
            kro = ws.cell(r, KRO).value
            if sum(ws.cell(x, KRO).value == kro for x in leaves(ws, first)) == 1:
                return r
    raise AssertionError("no all-zero akun line alone in its RO")


def split_leaf_in_two(ws, r: int, value_cols) -> int:
    """The same akun line twice: line r becomes two identical lines holding half of each amount each."""
    assert all(float(ws.cell(r, c).value or 0) % 2 == 0 for c in value_cols), "amounts must split exactly"
    ws.insert_rows(r + 1)
    copy_row(ws, r, r + 1)
    for x in (r, r + 1):
        for c in value_cols:
            v = ws.cell(x, c).value
            if v:
                ws.cell(x, c).value = v // 2 if isinstance(v, int) else v / 2
    return r


# ---------------------------------------------------------------------------------------- csv helpers
def realisasi_lines() -> list[str]:
    return REALISASI.read_text(encoding="utf-8-sig").splitlines()


def write_text(out: Path, lines: list[str], encoding: str = "utf-8-sig", newline: str = "\n") -> None:
    out.write_bytes((newline.join(lines) + newline).encode(encoding))


def line_of(lines: list[str], prefix: str) -> int:
    for i, line in enumerate(lines):
        if line.startswith(prefix):
            return i
    raise AssertionError(prefix)


def id_number(v, grouped: bool = True) -> str:
    """A number written the Indonesian way, as Excel with an Indonesian locale writes it to a ';' CSV:
    decimal comma, and dots between thousands only when the cell's format groups them (#,##0)."""
    if v is None:
        return ""
    sign = "-" if v < 0 else ""
    v = abs(v)
    whole, frac = (f"{v:.10f}".rstrip("0").split(".") if isinstance(v, float) and not v.is_integer()
                   else (str(int(v)), ""))
    if grouped:
        whole = f"{int(whole):,}".replace(",", ".")
    return sign + whole + ("," + frac if frac else "")


def plain_number(v, grouped: bool = False) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def sheet_to_csv(ws, sep: str, number: Callable) -> list[list[str]]:
    """The sheet as Excel would save it: title rows as one cell, numbers in the separator's convention."""
    out = []
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        cells = []
        for c in row:
            v = c.value
            if isinstance(v, dt.datetime):
                cells.append(v.strftime("%d/%m/%Y"))
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                cells.append(number(v, grouped="#,##0" in (c.number_format or "")))
            else:
                cells.append("" if v is None else str(v))
        while cells and cells[-1] == "":
            cells.pop()
        out.append(cells)
    return out


def write_csv(out: Path, rows: list[list[str]], sep: str, encoding: str = "utf-8-sig", newline: str = "\r\n") -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator=newline).writerows(rows)
    out.write_bytes(buf.getvalue().encode(encoding))


# ==================================================================================================
#                                          SIMETRIS RAPK
# ==================================================================================================
def _rapk():
    wb = load(RAPK)
    ws = wb.active
    return wb, ws, header_row(ws, "Tahun")


def _rapk_row(ws, hrow: int, iku: str, revisi: int) -> int:
    ci, cr = col_of(ws, hrow, "Kode IKU"), col_of(ws, hrow, "Revisi")
    for r in range(hrow + 1, ws.max_row + 1):
        if ws.cell(r, ci).value == iku and ws.cell(r, cr).value == revisi:
            return r
    raise AssertionError((iku, revisi))


@case("rapk_polaritas_misspelled_maximise.xlsx", "simetris_rapk", "format", "Maximise")
def _(out):
    wb, ws, h = _rapk()
    r = _rapk_row(ws, h, "IKU1.3", 0)
    ws.cell(r, col_of(ws, h, "Polaritas")).value = "Maximise"
    save(wb, out)
    return f"row {r} (IKU1.3, Revisi 0): Polaritas 'Maximise' (British spelling), expected Maximize or Minimize"


@case("rapk_revisi_1_5.xlsx", "simetris_rapk", "int", "Revisi")
def _(out):
    wb, ws, h = _rapk()
    r = _rapk_row(ws, h, "IKU2.1", 1)
    ws.cell(r, col_of(ws, h, "Revisi")).value = 1.5
    save(wb, out)
    return f"row {r} (IKU2.1): Revisi 1,5 (a numeric cell 1.5), a revision number must be a whole number"


@case("rapk_same_iku_and_revisi_twice.xlsx", "simetris_rapk", "duplicate_key", "IKU1.1")
def _(out):
    wb, ws, h = _rapk()
    r = _rapk_row(ws, h, "IKU1.1", 0)
    new = ws.max_row + 1
    copy_row(ws, r, new)
    ws.cell(new, col_of(ws, h, "Target PK")).value = 82.5   # the pasted copy was then edited: a real conflict
    save(wb, out)
    return f"rows {r} and {new}: IKU1.1 Revisi 0 twice (the copy at the end has Target PK 82,5 instead of 81,25)"


@case("rapk_tanggal_berlaku_31_februari_2025.xlsx", "simetris_rapk", "date", "31/02/2025")
def _(out):
    wb, ws, h = _rapk()
    r = _rapk_row(ws, h, "IKU1.2", 1)
    ws.cell(r, col_of(ws, h, "Tanggal Berlaku")).value = "31/02/2025"
    save(wb, out)
    return f"row {r} (IKU1.2, Revisi 1): Tanggal Berlaku '31/02/2025' (text), a date that does not exist"


@case("rapk_negative_target_pk.xlsx", "simetris_rapk", "range", "Target PK")
def _(out):
    wb, ws, h = _rapk()
    r = _rapk_row(ws, h, "IKU1.4", 0)
    ws.cell(r, col_of(ws, h, "Target PK")).value = -85
    save(wb, out)
    return f"row {r} (IKU1.4, Revisi 0): Target PK -85, a target must be ≥ 0"


@case("rapk_empty_kode_iku.xlsx", "simetris_rapk", "required", "Kode IKU")
def _(out):
    wb, ws, h = _rapk()
    r = _rapk_row(ws, h, "IKU3.1", 0)
    ws.cell(r, col_of(ws, h, "Kode IKU")).value = None
    save(wb, out)
    return f"row {r} (was IKU3.1, Revisi 0): Kode IKU empty"


@case("rapk_tanggal_berlaku_in_2024_for_tahun_2025.xlsx", "simetris_rapk", "date_in_year", "Tanggal Berlaku")
def _(out):
    wb, ws, h = _rapk()
    r = _rapk_row(ws, h, "IKU1.1", 0)
    ws.cell(r, col_of(ws, h, "Tanggal Berlaku")).value = dt.datetime(2024, 12, 20)
    save(wb, out)
    return f"row {r} (IKU1.1, Revisi 0): Tanggal Berlaku 20/12/2024 but Tahun is 2025"


@case("rapk_tanggal_berlaku_after_export_date.xlsx", "simetris_rapk", "date_not_after_export", "Tanggal Berlaku")
def _(out):
    wb, ws, h = _rapk()
    r = _rapk_row(ws, h, "IKU1.1", 1)
    new = ws.max_row + 1
    copy_row(ws, r, new)
    ws.cell(new, col_of(ws, h, "Revisi")).value = 2
    ws.cell(new, col_of(ws, h, "Tanggal Berlaku")).value = dt.datetime(2025, 8, 15)
    save(wb, out)
    return (f"row {new}: a Revisi 2 of IKU1.1 with Tanggal Berlaku 15/08/2025, after the export date "
            f"'Tanggal Unduh : 01/07/2025' stated in the title rows")


@case("rapk_b06_target_written_with_ge_sign.xlsx", "simetris_rapk", "number", "B06")
def _(out):
    wb, ws, h = _rapk()
    r = _rapk_row(ws, h, "IKU1.8", 1)
    ws.cell(r, col_of(ws, h, "B06")).value = "≥93,38"
    save(wb, out)
    return f"row {r} (IKU1.8, Revisi 1): B06 '≥93,38' (text with a ≥ sign), not a number"


@case("rapk_column_target_pk_renamed_target_renstra.xlsx", "simetris_rapk", "required_columns", "Target PK")
def _(out):
    wb, ws, h = _rapk()
    ws.cell(h, col_of(ws, h, "Target PK")).value = "Target Renstra"
    save(wb, out)
    return f"header row {h}: column 'Target PK' renamed 'Target Renstra' (another target, no alias may accept it)"


@case("rapk_header_but_no_rows.xlsx", "simetris_rapk", "empty_file", "no data rows")
def _(out):
    wb, ws, h = _rapk()
    ws.delete_rows(h + 1, ws.max_row - h)
    save(wb, out)
    return f"title rows and the header (row {h}), no data rows"


@case("rapk_title_satker_672850_but_rows_672849.xlsx", "simetris_rapk", "satker", "672850")
def _(out):
    wb, ws, h = _rapk()
    r = set_title(ws, "Satuan Kerja", "Satuan Kerja : 672850 - Satker Lain")
    save(wb, out)
    return f"title row {r} names satker 672850 but every row's Kode Satker is 672849"


@case("rapk_semicolon_csv_with_empty_polaritas.csv", "simetris_rapk", "required", "Polaritas")
def _(out):
    wb, ws, h = _rapk()
    rows = sheet_to_csv(ws, ";", id_number)
    r = _rapk_row(ws, h, "IKU5.1", 1)
    rows[r - 1][col_of(ws, h, "Polaritas") - 1] = ""
    write_csv(out, rows, ";")
    return (f"RAPK saved as a ';' CSV (UTF-8 with BOM, Indonesian numbers, otherwise valid); row {r} (IKU5.1, "
            f"Revisi 1): Polaritas empty")


# ==================================================================================================
#                                       SIMETRIS Realisasi (CSV)
# ==================================================================================================
@case("realisasi_semicolon_saved_as_cp1252_with_bulan_13.csv", "simetris_realisasi", "month", "Bulan")
def _(out):
    lines = realisasi_lines()
    i = line_of(lines, "2025;672849;IKU6.1;")
    lines[i] = "2025;672849;IKU6.1;B06;;Target mulai B09 – lihat PK revisi 1"     # an en dash: 0x96 in cp1252
    j = line_of(lines, "2025;672849;IKU2.1;")
    lines[j] = lines[j].replace(";B06;", ";13;")
    write_text(out, lines, encoding="cp1252", newline="\r\n")
    return (f"saved by Excel as ';' CSV in Windows-1252 (no BOM, CRLF, an en dash in a Keterangan, otherwise "
            f"valid); row {j + 1} (IKU2.1): Bulan 13")


@case("realisasi_column_realisasi_renamed_realisasi_persen.csv", "simetris_realisasi", "required_columns", "Realisasi")
def _(out):
    lines = realisasi_lines()
    h = line_of(lines, "Tahun;")
    lines[h] = lines[h].replace(";Realisasi;", ";Realisasi (%);")
    write_text(out, lines)
    return f"header row {h + 1}: column 'Realisasi' renamed 'Realisasi (%)' (a percentage of target, not the value)"


@case("realisasi_same_iku_and_bulan_twice.csv", "simetris_realisasi", "duplicate_key", "IKU1.1")
def _(out):
    lines = realisasi_lines()
    lines.append("2025;672849;IKU1.1;B06;95,12;koreksi")
    write_text(out, lines)
    return f"rows {line_of(lines, '2025;672849;IKU1.1;') + 1} and {len(lines)}: IKU1.1 B06 twice (93,96 and 95,12)"


@case("realisasi_zero_bytes.csv", "simetris_realisasi", "empty_file", "empty")
def _(out):
    out.write_bytes(b"")
    return "0 bytes (a download that wrote nothing)"


@case("realisasi_header_but_no_rows.csv", "simetris_realisasi", "empty_file", "no data rows")
def _(out):
    lines = realisasi_lines()
    h = line_of(lines, "Tahun;")
    write_text(out, lines[: h + 1])
    return f"title rows and the header (row {h + 1}), no data rows"


@case("realisasi_only_title_rows.csv", "simetris_realisasi", "known_export", "header")
def _(out):
    lines = realisasi_lines()
    write_text(out, lines[: line_of(lines, "Tahun;")])
    return "only the title rows (REALISASI KINERJA TAHUN 2025, Satuan Kerja, Tanggal Unduh): no header, no rows"


@case("realisasi_tahun_2024_on_one_row.csv", "simetris_realisasi", "single_value", "2024")
def _(out):
    lines = realisasi_lines()
    i = line_of(lines, "2025;672849;IKU9.4;")
    lines[i] = "2024" + lines[i][4:]
    write_text(out, lines)
    return f"row {i + 1} (IKU9.4): Tahun 2024, every other row 2025: two years in one export"


@case("realisasi_b08_rows_in_export_dated_01_07_2025.csv", "simetris_realisasi", "period", "Bulan")
def _(out):
    lines = [line.replace(";B06;", ";B08;") for line in realisasi_lines()]
    write_text(out, lines)
    return ("every row is Bulan B08 (August) but the title says 'Tanggal Unduh : 01/07/2025': "
            "realisasi of a month not yet over")


@case("realisasi_201_columns.csv", "simetris_realisasi", "limit", "201 columns")
def _(out):
    lines = [line + ";" * 195 if line.count(";") == 5 else line for line in realisasi_lines()]
    write_text(out, lines)
    return "195 empty columns added after Keterangan: 201 columns, above the limit of 200 (batas_berkas.csv)"


@case("realisasi_1e16_in_a_cell.csv", "simetris_realisasi", "number_range", "Realisasi")
def _(out):
    lines = [line.replace(";IKU1.2;B06;99,26;", ";IKU1.2;B06;10000000000000000;") for line in realisasi_lines()]
    write_text(out, lines)
    return "row 7 (IKU1.2): Realisasi 10000000000000000 (1e16): past any real figure, a typo or an attack"


@case("realisasi_tanggal_unduh_2024.csv", "simetris_realisasi", "export_date", "01/07/2024 stated")
def _(out):
    lines = [line.replace("Tanggal Unduh : 01/07/2025", "Tanggal Unduh : 01/07/2024") for line in realisasi_lines()]
    write_text(out, lines)
    return "title row 3: Tanggal Unduh 01/07/2024, before 2025, the year of every row: a date typed wrong"


@case("sipt_pemeriksaan_page_heading_of_satker_672850.csv", "sipt_pemeriksaan", "page_header", "672850")
def _(out):
    text = PEMERIKSAAN.read_bytes().decode("cp1252")
    lines = text.split("\r\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("No;"))
    heading = [line.replace("672849 - Balai POM di Dumai", "672850 - Balai POM Lain") for line in lines[:start]]
    cut = start + 41
    lines = lines[:cut] + [""] + heading + [lines[start]] + lines[cut:]
    out.write_bytes("\r\n".join(lines).encode("cp1252"))
    return ("rows 47-52: a page heading 'Satuan Kerja : 672850 - …' with the column header, the pages of another "
            "satker's export put in this file")


@case("realisasi_from_wrong_satker_672850_not_in_registry.csv", "simetris_realisasi", "satker_registry", "672850")
def _(out):
    lines = [line.replace("672849 - Balai POM di Dumai", "672850 - Satker Lain").replace(";672849;", ";672850;")
             for line in realisasi_lines()]
    write_text(out, lines)
    return "an export of another satker: title and every row say 672850, which is not in the UPT registry"


@case("realisasi_dot_decimal_93_96_in_semicolon_csv.csv", "simetris_realisasi", "number", "93.96")
def _(out):
    lines = realisasi_lines()
    i = line_of(lines, "2025;672849;IKU1.1;")
    lines[i] = lines[i].replace(";93,96;", ";93.96;")
    write_text(out, lines)
    return f"row {i + 1} (IKU1.1): Realisasi '93.96' in a ';' CSV, where numbers are Indonesian (93,96)"


@case("realisasi_empty_kode_iku.csv", "simetris_realisasi", "required", "Kode IKU")
def _(out):
    lines = realisasi_lines()
    i = line_of(lines, "2025;672849;IKU1.4;")
    lines[i] = lines[i].replace(";IKU1.4;", ";;")
    write_text(out, lines)
    return f"row {i + 1} (was IKU1.4): Kode IKU empty"


# ==================================================================================================
#                                     SAKTI GLP039 (realisasi anggaran)
# ==================================================================================================
def _glp():
    wb = load(GLP039)
    return wb, wb.active


@case("glp039_cut_off_half_way.xlsx", "sakti_realisasi", "subtotal", "JUMLAH SELURUHNYA")
def _(out):
    wb, ws = _glp()
    last = ws.max_row // 2
    n = ws.max_row - last
    ws.delete_rows(last + 1, n)
    save(wb, out)
    return (f"the export stops at row {last} (the last {n} rows are missing): the subtotals, JUMLAH SELURUHNYA "
            f"first, no longer equal the sum of the akun lines")


@case("glp039_jumlah_seluruhnya_pagu_edited.xlsx", "sakti_realisasi", "subtotal", "JUMLAH SELURUHNYA")
def _(out):
    wb, ws = _glp()
    r = G_FIRST
    assert ws.cell(r, URAIAN).value == "JUMLAH SELURUHNYA"
    for c in (G_PAGU, G_SISA):     # Sisa edited with it: the row itself still satisfies Pagu − Realisasi = Sisa
        ws.cell(r, c).value += 100_000_000
    glp_pct(ws, r)
    save(wb, out)
    return (f"row {r} JUMLAH SELURUHNYA: Pagu Revisi (and Sisa) edited by hand, "
            "+100.000.000 over the sum of the akun lines")


@case("glp039_sisa_digits_transposed.xlsx", "sakti_realisasi", "sisa_matches", "Sisa")
def _(out):
    wb, ws = _glp()
    r = find_leaf(ws, G_FIRST, "ADB.001", "521211")
    assert ws.cell(r, G_SISA).value == 593961
    rows = add_to_line(ws, G_FIRST, r, {G_SISA: 539961 - 593961}, glp=True)   # carried into the subtotals
    save(wb, out)
    return (f"row {r} (ADB.001 521211): Sisa 539.961 instead of 593.961 (digits transposed), carried into its "
            f"subtotal rows {sorted(rows[1:])}: Pagu Revisi − Realisasi s.d. Periode ≠ Sisa on those rows; "
            "subtotals still add up")


@case("glp039_akun_line_without_kro_ro.xlsx", "sakti_realisasi", "leaf_has_ro", "KRO/RO")
def _(out):
    wb, ws = _glp()
    r = zero_leaf(ws, G_FIRST, (G_PAGU, G_LOCK, G_LALU, G_INI, G_SD, G_SISA))
    kro = ws.cell(r, KRO).value
    ws.cell(r, KRO).value = None
    save(wb, out)
    return (f"row {r}: akun line {ws.cell(r, AKUN).value} with KRO/RO empty "
            f"(was {kro}; all its amounts are 0, subtotals unaffected)")


@case("glp039_akun_five_digits_52121.xlsx", "sakti_realisasi", "format", "52121")
def _(out):
    wb, ws = _glp()
    r = find_leaf(ws, G_FIRST, "ADB.001", "521211")
    ws.cell(r, AKUN).value = "52121"
    save(wb, out)
    return f"row {r} (ADB.001): Akun '52121', five digits instead of six (521211)"


@case("glp039_realisasi_periode_ini_text_rp_with_dash.xlsx", "sakti_realisasi", "number", "Realisasi Periode Ini")
def _(out):
    wb, ws = _glp()
    r = find_leaf(ws, G_FIRST, "ADB.001", "521211")
    v = ws.cell(r, G_INI).value
    ws.cell(r, G_INI).value = "Rp " + id_number(v) + ",-"
    save(wb, out)
    return f"row {r} (ADB.001 521211): Realisasi Periode Ini is the text 'Rp {id_number(v)},-', not a number"


@case("glp039_empty_pagu_revisi_on_akun_line.xlsx", "sakti_realisasi", "required", "Pagu Revisi")
def _(out):
    wb, ws = _glp()
    r = zero_leaf(ws, G_FIRST, (G_PAGU, G_LOCK, G_LALU, G_INI, G_SD, G_SISA))
    ws.cell(r, G_PAGU).value = None
    save(wb, out)
    return f"row {r} (akun {ws.cell(r, KRO).value} {ws.cell(r, AKUN).value}, all amounts 0): Pagu Revisi empty"


@case("glp039_realisasi_exceeds_pagu_on_akun_line.xlsx", "sakti_realisasi", "realisasi_within_pagu",
      "Realisasi s.d. Periode")
def _(out):
    wb, ws = _glp()
    r = find_leaf(ws, G_FIRST, "ADB.001", "524111")
    assert ws.cell(r, G_SD).value == ws.cell(r, G_PAGU).value
    d = 1_250_000
    rows = add_to_line(ws, G_FIRST, r, {G_INI: d, G_SD: d, G_SISA: -d}, glp=True)
    for x in rows[1:]:
        assert ws.cell(x, G_SD).value <= ws.cell(x, G_PAGU).value
    assert_glp_consistent(ws)
    save(wb, out)
    return (f"row {r} (ADB.001 524111): Realisasi s.d. Periode 19.961.000 > Pagu Revisi 18.711.000 (Sisa −1.250.000); "
            f"the subtotal rows {sorted(rows[1:])} carry it, so every subtotal and every Sisa still adds up")


@case("glp039_without_periode_title_row.xlsx", "sakti_realisasi", "period", "PERIODE")
def _(out):
    wb, ws = _glp()
    r = set_title(ws, "PERIODE", None)
    save(wb, out)
    return f"title row {r} 'PERIODE : JANUARI s.d. JUNI 2025' is empty: the file does not say its period"


@case("glp039_periode_september_printed_01_juli.xlsx", "sakti_realisasi", "period", "period")
def _(out):
    wb, ws = _glp()
    r = set_title(ws, "PERIODE", "PERIODE : JANUARI s.d. SEPTEMBER 2025")
    save(wb, out)
    return (f"title row {r}: PERIODE JANUARI s.d. SEPTEMBER 2025, but 'Tanggal Cetak : 01 Juli 2025': "
            "a period not yet over")


@case("glp039_without_satker_title_row.xlsx", "sakti_realisasi", "satker", "satker")
def _(out):
    wb, ws = _glp()
    r = set_title(ws, "SATKER", None)
    save(wb, out)
    return f"title row {r} 'SATKER : 672849 - BALAI POM DI DUMAI' is empty: GLP039 has no other place for the satker"


@case("glp039_from_unregistered_satker_999999.xlsx", "sakti_realisasi", "satker_registry", "999999")
def _(out):
    wb, ws = _glp()
    r = set_title(ws, "SATKER", "SATKER : 999999 - SATKER TIDAK TERDAFTAR")
    save(wb, out)
    return f"title row {r}: SATKER 999999, a satker not in the UPT registry"


@case("glp039_same_akun_line_twice.xlsx", "sakti_realisasi", "duplicate_key", "524113")
def _(out):
    wb, ws = _glp()
    r = split_leaf_in_two(ws, find_leaf(ws, G_FIRST, "ADB.001", "524113"),
                          (G_PAGU, G_LOCK, G_LALU, G_INI, G_SD, G_SISA))
    assert_glp_consistent(ws)
    save(wb, out)
    codes = " ".join(str(ws.cell(r, c).value) for c in (*CODES, AKUN))
    return (f"rows {r} and {r + 1}: the same akun line {codes} twice "
            "(each with half the amounts; subtotals still add up)")


@case("glp039_column_pagu_revisi_renamed_pagu_dipa_awal.xlsx", "sakti_realisasi", "required_columns", "Pagu Revisi")
def _(out):
    wb, ws = _glp()
    h = header_row(ws, "Program/Kegiatan")
    ws.cell(h, col_of(ws, h, "Pagu Revisi")).value = "Pagu DIPA Awal"
    save(wb, out)
    return f"header row {h}: 'Pagu Revisi' renamed 'Pagu DIPA Awal' (the original pagu, another amount)"


@case("glp039_only_title_rows.xlsx", "sakti_realisasi", "known_export", "header")
def _(out):
    wb, ws = _glp()
    h = header_row(ws, "Program/Kegiatan")
    for rng in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(rng))
    ws.delete_rows(h, ws.max_row - h + 1)
    save(wb, out)
    return f"only the {h - 1} title rows (LAPORAN FA DETAIL … Tanggal Cetak): no header, no rows"


@case("glp039_download_saved_session_expired_page.xlsx", "sakti_realisasi", "readable", "spreadsheet")
def _(out):
    out.write_text("<!DOCTYPE html>\n<html><head><title>SAKTI</title></head>\n<body><p>Sesi Anda telah berakhir. "
                   "Silakan login kembali.</p></body></html>\n", encoding="utf-8")
    return "not a spreadsheet: the HTML page 'Sesi Anda telah berakhir' saved under an .xlsx name"


# ==================================================================================================
#                                        SAKTI POK / RPD
# ==================================================================================================
def _pok():
    wb = load(POK)
    return wb, wb.active


POK_VALUES = (*P_MONTHS, P_JUMLAH, P_BLOKIR)


@case("pok_cut_off_half_way.xlsx", "sakti_pok", "subtotal", "JUMLAH SELURUHNYA")
def _(out):
    wb, ws = _pok()
    last = ws.max_row // 2
    n = ws.max_row - last
    ws.delete_rows(last + 1, n)
    save(wb, out)
    return (f"the export stops at row {last} (the last {n} rows are missing): "
            "JUMLAH SELURUHNYA ≠ the sum of the akun lines")


@case("pok_komponen_subtotal_jumlah_digits_swapped.xlsx", "sakti_pok", "subtotal", "Jumlah")
def _(out):
    wb, ws = _pok()
    leaf = find_leaf(ws, P_FIRST, "ADB.001", "521211")
    r = next(x for x in ancestors(ws, P_FIRST, leaf) if ws.cell(x, KOMP).value and not ws.cell(x, SUB).value)
    assert ws.cell(r, P_JUMLAH).value == 62371
    ws.cell(r, P_JUMLAH).value = 62731
    save(wb, out)
    return (f"row {r} (komponen ADB.001 051): Jumlah 62.731 instead of 62.371 (digits swapped); "
            "its akun lines sum to 62.371")


@case("pok_blokir_exceeds_jumlah_on_akun_line.xlsx", "sakti_pok", "blokir_within_jumlah", "Blokir")
def _(out):
    wb, ws = _pok()
    r = find_leaf(ws, P_FIRST, "ADB.001", "521211")
    assert ws.cell(r, P_JUMLAH).value == 12474
    rows = add_to_line(ws, P_FIRST, r, {P_BLOKIR: 12500 - ws.cell(r, P_BLOKIR).value}, glp=False)
    for x in rows[1:]:
        assert ws.cell(x, P_BLOKIR).value <= ws.cell(x, P_JUMLAH).value
    assert_pok_consistent(ws)
    save(wb, out)
    return (f"row {r} (ADB.001 521211): Blokir 12.500 > Jumlah 12.474 (thousands); carried into the subtotal "
            f"rows {sorted(rows[1:])}, where Blokir stays within Jumlah, so every subtotal adds up")


@case("pok_akun_seven_digits_5212111.xlsx", "sakti_pok", "format", "5212111")
def _(out):
    wb, ws = _pok()
    r = find_leaf(ws, P_FIRST, "AFA.001", "521211")
    ws.cell(r, AKUN).value = "5212111"
    save(wb, out)
    return f"row {r} (AFA.001): Akun '5212111', seven digits"


@case("pok_download_interrupted_truncated_zip.xlsx", "sakti_pok", "readable", "spreadsheet")
def _(out):
    data = POK.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    return f"the first {len(POK.read_bytes()) // 2} of {len(data)} bytes of a good POK xlsx: a truncated zip"


@case("pok_column_blokir_missing.xlsx", "sakti_pok", "required_columns", "Blokir")
def _(out):
    wb, ws = _pok()
    h = header_row(ws, "Program/Kegiatan")
    c = col_of(ws, h, "Blokir")
    ws.delete_cols(c)
    save(wb, out)
    return f"the 'Blokir' column (column {c}) is missing"


@case("pok_same_akun_line_twice.xlsx", "sakti_pok", "duplicate_key", "524113")
def _(out):
    wb, ws = _pok()
    r = split_leaf_in_two(ws, find_leaf(ws, P_FIRST, "BDB.002", "524113"), POK_VALUES)
    assert_pok_consistent(ws)
    save(wb, out)
    codes = " ".join(str(ws.cell(r, c).value) for c in (*CODES, AKUN))
    return (f"rows {r} and {r + 1}: the same akun line {codes} twice "
            "(each with half the amounts; subtotals still add up)")


@case("pok_akun_line_without_kro_ro.xlsx", "sakti_pok", "leaf_has_ro", "KRO/RO")
def _(out):
    wb, ws = _pok()
    r = zero_leaf(ws, P_FIRST, POK_VALUES)
    kro = ws.cell(r, KRO).value
    ws.cell(r, KRO).value = None
    save(wb, out)
    return (f"row {r}: akun line {ws.cell(r, AKUN).value} with KRO/RO empty "
            f"(was {kro}; all its amounts are 0, subtotals unaffected)")


@case("pok_januari_excel_error_ref.xlsx", "sakti_pok", "number", "Januari")
def _(out):
    wb, ws = _pok()
    r = find_leaf(ws, P_FIRST, "ADB.001", "524111")
    ws.cell(r, P_MONTHS[0]).value = "#REF!"      # openpyxl writes this as an Excel error cell
    save(wb, out)
    return f"row {r} (ADB.001 524111): Januari holds the Excel error #REF! (an error cell, not a number)"


@case("pok_without_satker_title_row.xlsx", "sakti_pok", "satker", "satker")
def _(out):
    wb, ws = _pok()
    r = set_title(ws, "SATKER", None)
    ws.delete_rows(r)     # removed, not blanked: a blank FIRST row is a different (reader) matter
    save(wb, out)
    return f"title row {r} 'SATKER : 672849 - BALAI POM DI DUMAI' removed: POK has no other place for the satker"


# ==================================================================================================
#                                      SAKTI Capaian Output (RO)
# ==================================================================================================
def _cap():
    wb = load(CAPAIAN)
    ws = wb.active
    return wb, ws, header_row(ws, "Tahun")


def _cap_row(ws, h: int, ro: str, bulan: int) -> int:
    cr, cb = col_of(ws, h, "Kode RO"), col_of(ws, h, "Bulan")
    for r in range(h + 1, ws.max_row + 1):
        if ws.cell(r, cr).value == ro and ws.cell(r, cb).value == bulan:
            return r
    raise AssertionError((ro, bulan))


@case("capaian_output_progres_capaian_5000.xlsx", "sakti_capaian_output", "range", "Progres Capaian")
def _(out):
    wb, ws, h = _cap()
    r = _cap_row(ws, h, "DR.3165.BDB.001", 3)
    ws.cell(r, col_of(ws, h, "Progres Capaian (%)")).value = 5000
    save(wb, out)
    return f"row {r} (DR.3165.BDB.001, Bulan 3): Progres Capaian (%) 5000 (50,00 typed without its comma)"


@case("capaian_output_kode_ro_without_program_kegiatan.xlsx", "sakti_capaian_output", "format", "QIA.005")
def _(out):
    wb, ws, h = _cap()
    c = col_of(ws, h, "Kode RO")
    rows = [r for r in range(h + 1, ws.max_row + 1) if ws.cell(r, c).value == "DR.3165.QIA.005"]
    for r in rows:
        ws.cell(r, c).value = "QIA.005"
    save(wb, out)
    return f"rows {rows[0]}–{rows[-1]}: Kode RO 'QIA.005' (the KRO/RO alone), expected the full code DR.3165.QIA.005"


@case("capaian_output_bulan_b00.xlsx", "sakti_capaian_output", "month", "B00")
def _(out):
    wb, ws, h = _cap()
    r = _cap_row(ws, h, "DR.3165.AFA.001", 1)
    ws.cell(r, col_of(ws, h, "Bulan")).value = "B00"
    save(wb, out)
    return f"row {r} (DR.3165.AFA.001, was Bulan 1): Bulan 'B00'"


@case("capaian_output_tahun_2024_on_one_row.xlsx", "sakti_capaian_output", "single_value", "2024")
def _(out):
    wb, ws, h = _cap()
    r = _cap_row(ws, h, "DR.3165.QIA.001", 2)
    ws.cell(r, col_of(ws, h, "Tahun")).value = 2024
    save(wb, out)
    return f"row {r} (DR.3165.QIA.001, Bulan 2): Tahun 2024, every other row 2025: two years in one export"


@case("capaian_output_negative_realisasi_volume.xlsx", "sakti_capaian_output", "range",
      "Realisasi Volume")
def _(out):
    wb, ws, h = _cap()
    r = _cap_row(ws, h, "DR.3165.QIA.003", 4)
    ws.cell(r, col_of(ws, h, "Realisasi Volume")).value = -10
    save(wb, out)
    return f"row {r} (DR.3165.QIA.003, Bulan 4): Realisasi Volume -10"


@case("capaian_output_bulan_9_in_export_printed_01_juli.xlsx", "sakti_capaian_output", "period", "Bulan")
def _(out):
    wb, ws, h = _cap()
    r = _cap_row(ws, h, "DR.3165.ADB.001", 6)
    ws.insert_rows(r + 1)
    copy_row(ws, r, r + 1)
    ws.cell(r + 1, col_of(ws, h, "Bulan")).value = 9
    ws.cell(r + 1, col_of(ws, h, "Realisasi Volume")).value = 0
    save(wb, out)
    return (f"row {r + 1}: DR.3165.ADB.001 Bulan 9 (September) in an export whose title says "
            f"'Tanggal Cetak : 01 Juli 2025': a month not yet reached")


@case("capaian_output_comma_csv_with_indonesian_decimal_16_67.csv", "sakti_capaian_output", "number", "16,67")
def _(out):
    wb, ws, h = _cap()
    rows = sheet_to_csv(ws, ",", plain_number)
    r = _cap_row(ws, h, "DR.3165.BDB.001", 1)
    c = col_of(ws, h, "Progres Capaian (%)")
    assert rows[r - 1][c - 1] == "16.67"
    rows[r - 1][c - 1] = "16,67"
    write_csv(out, rows, ",", encoding="utf-8")
    return (f"Capaian Output saved as a ',' CSV (plain numbers, otherwise valid); row {r} (DR.3165.BDB.001, Bulan 1): "
            f"Progres Capaian (%) '16,67', an Indonesian decimal in a file whose numbers are plain")


@case("capaian_output_column_kode_ro_renamed_kode_kro.xlsx", "sakti_capaian_output", "required_columns", "Kode RO")
def _(out):
    wb, ws, h = _cap()
    ws.cell(h, col_of(ws, h, "Kode RO")).value = "Kode KRO"
    save(wb, out)
    return f"header row {h}: 'Kode RO' renamed 'Kode KRO' (a KRO is not an RO)"


@case("capaian_output_header_but_no_rows.xlsx", "sakti_capaian_output", "empty_file", "no data rows")
def _(out):
    wb, ws, h = _cap()
    ws.delete_rows(h + 1, ws.max_row - h)
    save(wb, out)
    return f"title rows and the header (row {h}), no data rows"


@case("capaian_output_title_satker_672850_but_rows_672849.xlsx", "sakti_capaian_output", "satker", "672850")
def _(out):
    wb, ws, h = _cap()
    r = set_title(ws, "SATKER", "SATKER : 672850 - SATKER LAIN")
    save(wb, out)
    return f"title row {r} names satker 672850 but every row's Kode Satker is 672849"


# ==================================================================================================
#                                   SIPT Sampel dan Pengujian (xlsx)
# ==================================================================================================
def _sampel():
    wb = load(SAMPEL)
    ws = wb.active
    return wb, ws, header_row(ws, "No")


def _row_where(ws, h: int, label: str, value) -> int:
    c = col_of(ws, h, label)
    for r in range(h + 1, ws.max_row + 1):
        if ws.cell(r, c).value == value:
            return r
    raise AssertionError((label, value))


@case("sipt_sampel_tanggal_lhu_before_tanggal_terima_lab.xlsx", "sipt_sampel", "lhu_not_before_receipt",
      "before the lab received")
def _(out):
    wb, ws, h = _sampel()
    r = _row_where(ws, h, "Kode Sampel", "SMP-2025-0001")
    c = col_of(ws, h, "Tanggal LHU")
    assert ws.cell(r, c).value == dt.datetime(2025, 2, 10) and ws.cell(r, col_of(ws, h, "Tanggal Terima Lab")).value \
        == dt.datetime(2025, 1, 17)
    ws.cell(r, c).value = dt.datetime(2025, 1, 15)
    save(wb, out)
    return (f"row {r} (SMP-2025-0001): Tanggal LHU 15/01/2025, before its Tanggal Terima Lab 17/01/2025 "
            f"(the LHU was 10/02/2025)")


@case("sipt_sampel_tanggal_terima_lab_before_tanggal_sampling.xlsx", "sipt_sampel", "receipt_not_before_sampling",
      "before it was taken")
def _(out):
    wb, ws, h = _sampel()
    r = _row_where(ws, h, "Kode Sampel", "SMP-2025-0002")
    c = col_of(ws, h, "Tanggal Terima Lab")
    assert ws.cell(r, col_of(ws, h, "Tanggal Sampling")).value == dt.datetime(2025, 1, 14)
    ws.cell(r, c).value = dt.datetime(2025, 1, 13)
    save(wb, out)
    return (f"row {r} (SMP-2025-0002): Tanggal Terima Lab 13/01/2025, the day before its Tanggal Sampling "
            f"14/01/2025 (was 16/01/2025; its LHU 24/01/2025 stays after both)")


@case("sipt_sampel_hasil_uji_ms_without_tanggal_lhu.xlsx", "sipt_sampel", "result_needs_lhu",
      "Hasil Uji needs a Tanggal LHU")
def _(out):
    wb, ws, h = _sampel()
    r = _row_where(ws, h, "Kode Sampel", "SMP-2025-0199")
    assert ws.cell(r, col_of(ws, h, "Tanggal LHU")).value is None
    ws.cell(r, col_of(ws, h, "Hasil Uji")).value = "MS"
    save(wb, out)
    return f"row {r} (SMP-2025-0199, still in testing): Hasil Uji 'MS' but Tanggal LHU empty: a result without its LHU"


@case("sipt_sampel_komoditi_kosmetika.xlsx", "sipt_sampel", "allowed_value", "Kosmetika")
def _(out):
    wb, ws, h = _sampel()
    r = _row_where(ws, h, "Kode Sampel", "SMP-2025-0007")
    c = col_of(ws, h, "Komoditi")
    assert ws.cell(r, c).value == "Kosmetik"
    ws.cell(r, c).value = "Kosmetika"
    save(wb, out)
    return f"row {r} (SMP-2025-0007): Komoditi 'Kosmetika', not one of SIPT's commodities (Kosmetik)"


@case("sipt_sampel_same_kode_sampel_twice.xlsx", "sipt_sampel", "duplicate_key", "SMP-2025-0099")
def _(out):
    wb, ws, h = _sampel()
    r = _row_where(ws, h, "Kode Sampel", "SMP-2025-0099")
    c = col_of(ws, h, "Kode Sampel")
    assert ws.cell(r + 1, c).value == "SMP-2025-0100"
    ws.cell(r + 1, c).value = "SMP-2025-0099"
    save(wb, out)
    return (f"rows {r} and {r + 1}: Kode Sampel SMP-2025-0099 twice (the second, a PIRT sample, was SMP-2025-0100): "
            f"two different samples under one code")


@case("sipt_sampel_column_tanggal_lhu_missing.xlsx", "sipt_sampel", "required_columns", "Tanggal LHU")
def _(out):
    wb, ws, h = _sampel()
    c = col_of(ws, h, "Tanggal LHU")
    ws.delete_cols(c)
    save(wb, out)
    return f"the 'Tanggal LHU' column (column {c}) is missing"


@case("sipt_sampel_without_periode_title_row.xlsx", "sipt_sampel", "period", "no period found")
def _(out):
    wb, ws, h = _sampel()
    r = set_title(ws, "Periode", None)
    save(wb, out)
    return (f"title row {r} 'Periode : 01/01/2025 s.d. 30/06/2025' is empty: the file does not say its period "
            f"(SIPT has no Tahun or Bulan column)")


@case("sipt_sampel_semicolon_csv_with_tanggal_sampling_in_2024.csv", "sipt_sampel", "date_in_year",
      "Tanggal Sampling")
def _(out):
    wb, ws, h = _sampel()
    rows = sheet_to_csv(ws, ";", id_number)
    r = _row_where(ws, h, "Kode Sampel", "SMP-2025-0003")
    c = col_of(ws, h, "Tanggal Sampling")
    assert rows[r - 1][c - 1] == "14/01/2025"
    rows[r - 1][c - 1] = "14/01/2024"
    write_csv(out, rows, ";")
    return (f"Sampel saved as a ';' CSV (UTF-8 with BOM, dates dd/mm/yyyy, otherwise valid); row {r} (SMP-2025-0003): "
            f"Tanggal Sampling 14/01/2024 (the year mistyped) in an export of 2025")


# ==================================================================================================
#                                    SIPT Pemeriksaan Sarana (CSV)
# ==================================================================================================
def pemeriksaan_lines() -> list[str]:
    """The demo export as Excel saved it: ';' CSV, Windows-1252 (an en dash in one name), CRLF."""
    return PEMERIKSAAN.read_bytes().decode("cp1252").split("\r\n")[:-1]


def write_pemeriksaan(out: Path, lines: list[str]) -> None:
    write_text(out, lines, encoding="cp1252", newline="\r\n")


def _cell(text: str, kind: str):
    """One field of the Pemeriksaan CSV as the value of an xlsx cell: No a number, a Tanggal a date."""
    if text == "":
        return None
    if kind == "number":
        return int(text)
    if kind == "date":
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    return text


class _Line:
    """One ';' line of the Pemeriksaan CSV, its fields addressed by header label."""
    def __init__(self, lines: list[str], id_pemeriksaan: str):
        self.lines, self.header = lines, lines[line_of(lines, "No;")].split(";")
        self.i = next(i for i, line in enumerate(lines) if f";{id_pemeriksaan};" in line)
        self.fields = lines[self.i].split(";")
        self.row = self.i + 1

    def __getitem__(self, label: str) -> str:
        return self.fields[self.header.index(label)]

    def __setitem__(self, label: str, value: str) -> None:
        self.fields[self.header.index(label)] = value
        self.lines[self.i] = ";".join(self.fields)


@case("sipt_pemeriksaan_same_record_twice.csv", "sipt_pemeriksaan", "duplicate_key", "PMR-2025-0040")
def _(out):
    lines = pemeriksaan_lines()
    x = _Line(lines, "PMR-2025-0040")
    lines.insert(x.i + 1, lines[x.i])
    write_pemeriksaan(out, lines)
    return f"rows {x.row} and {x.row + 1}: the inspection PMR-2025-0040 twice, the same line repeated"


@case("sipt_pemeriksaan_tanggal_laporan_before_tanggal_pemeriksaan.csv", "sipt_pemeriksaan",
      "report_not_before_inspection", "report can't be dated before the inspection")
def _(out):
    lines = pemeriksaan_lines()
    x = _Line(lines, "PMR-2025-0003")
    assert (x["Tanggal Pemeriksaan"], x["Tanggal Laporan"]) == ("15/01/2025", "22/01/2025")
    x["Tanggal Laporan"] = "12/01/2025"
    write_pemeriksaan(out, lines)
    return f"row {x.row} (PMR-2025-0003): Tanggal Laporan 12/01/2025, before its Tanggal Pemeriksaan 15/01/2025"


@case("sipt_pemeriksaan_tanggal_surat_tl_before_tanggal_pemeriksaan.csv", "sipt_pemeriksaan",
      "letter_not_before_inspection", "letter can't be dated before the inspection")
def _(out):
    lines = pemeriksaan_lines()
    x = _Line(lines, "PMR-2025-0007")
    assert (x["Tanggal Pemeriksaan"], x["Tanggal Surat TL"]) == ("21/01/2025", "24/01/2025")
    x["Tanggal Surat TL"] = "20/01/2025"
    write_pemeriksaan(out, lines)
    return (f"row {x.row} (PMR-2025-0007): Tanggal Surat TL 20/01/2025 (letter {x['Nomor Surat TL']}), the day "
            f"before its Tanggal Pemeriksaan 21/01/2025")


@case("sipt_pemeriksaan_tanggal_capa_diterima_before_tanggal_surat_tl.csv", "sipt_pemeriksaan",
      "capa_not_before_letter", "CAPA can't be received before the follow-up letter")
def _(out):
    lines = pemeriksaan_lines()
    x = _Line(lines, "PMR-2025-0012")
    assert (x["Tanggal Surat TL"], x["Tanggal CAPA Diterima"]) == ("05/02/2025", "04/03/2025")
    x["Tanggal CAPA Diterima"] = "01/02/2025"
    write_pemeriksaan(out, lines)
    return (f"row {x.row} (PMR-2025-0012): Tanggal CAPA Diterima 01/02/2025, before the follow-up letter "
            f"{x['Nomor Surat TL']} of 05/02/2025 that asked for it")


@case("sipt_pemeriksaan_hasil_tms_instead_of_tmk.csv", "sipt_pemeriksaan", "allowed_value", "TMS")
def _(out):
    lines = pemeriksaan_lines()
    x = _Line(lines, "PMR-2025-0012")
    assert x["Hasil"] == "TMK"
    x["Hasil"] = "TMS"
    write_pemeriksaan(out, lines)
    return (f"row {x.row} (PMR-2025-0012): Hasil 'TMS' (a sample's result), expected MK or TMK "
            f"(Memenuhi / Tidak Memenuhi Ketentuan)")


@case("sipt_pemeriksaan_tanggal_pemeriksaan_after_export_date.csv", "sipt_pemeriksaan", "date_not_after_export",
      "after the export date")
def _(out):
    lines = pemeriksaan_lines()
    x = _Line(lines, "PMR-2025-0089")
    assert x["Tanggal Laporan"] == ""
    x["Tanggal Pemeriksaan"] = "03/07/2025"
    write_pemeriksaan(out, lines)
    return (f"row {x.row} (PMR-2025-0089, was 26/06/2025): Tanggal Pemeriksaan 03/07/2025, after the export date "
            f"'Tanggal Cetak : 01/07/2025' stated in the title rows")


@case("sipt_pemeriksaan_cut_off_mid_line.csv", "sipt_pemeriksaan", "required", "Kode Satker")
def _(out):
    lines = pemeriksaan_lines()
    x = _Line(lines, "PMR-2025-0089")
    assert x.i == len(lines) - 1
    kept = lines[x.i][: lines[x.i].index("IFRS Rumah Sakit") + len("IFRS Rumah Sak")]
    data = ("\r\n".join(lines[: x.i] + [kept])).encode("cp1252")   # no line end: the download stopped there
    out.write_bytes(data)
    return (f"the download stops in the middle of row {x.row} (PMR-2025-0089), after '{kept.split(';')[-1]}': "
            f"that row has no Jenis Sarana, Kelompok, Tanggal Pemeriksaan, Hasil … Kode Satker")


@case("sipt_pemeriksaan_xlsx_with_tanggal_pemeriksaan_in_2024.xlsx", "sipt_pemeriksaan", "date_in_year",
      "Tanggal Pemeriksaan")
def _(out):
    lines = pemeriksaan_lines()
    x = _Line(lines, "PMR-2025-0001")
    assert x["Tanggal Pemeriksaan"] == "13/01/2025"
    x["Tanggal Pemeriksaan"] = "13/01/2024"
    h = line_of(lines, "No;")
    kinds = ["number" if j == 0 else "date" if label.startswith("Tanggal") else "text"
             for j, label in enumerate(x.header)]
    rows = [[_cell(v, kind) for v, kind in zip(line.split(";"), kinds)] for line in lines[h + 1:]]
    titles = lines[:h - 1]                               # the blank line under them the writer puts back
    write_table(out, Table("sipt_pemeriksaan", "Data Pemeriksaan", titles, [x.header], kinds, rows), XLSX)
    return (f"Pemeriksaan saved as xlsx (date cells, otherwise valid); row {x.row} (PMR-2025-0001): "
            f"Tanggal Pemeriksaan 13/01/2024 (the year mistyped) in an export of 2025")


# ==================================================================================================
#                                        SIPT Rekomendasi (xlsx)
# ==================================================================================================
def _rek():
    wb = load(REKOMENDASI)
    ws = wb.active
    return wb, ws, header_row(ws, "No")


@case("sipt_rekomendasi_tanggal_feedback_before_tanggal_surat.xlsx", "sipt_rekomendasi", "feedback_not_before_letter",
      "feedback can't be dated before the letter")
def _(out):
    wb, ws, h = _rek()
    r = _row_where(ws, h, "Nomor Surat", "R-PW.02.03.383.01.25.0001")
    assert ws.cell(r, col_of(ws, h, "Tanggal Surat")).value == dt.datetime(2025, 1, 30)
    ws.cell(r, col_of(ws, h, "Tanggal Feedback")).value = dt.datetime(2025, 1, 11)
    save(wb, out)
    return (f"row {r} (R-PW.02.03.383.01.25.0001): Tanggal Feedback 11/01/2025, before its Tanggal Surat 30/01/2025 "
            f"(was 11/02/2025)")


@case("sipt_rekomendasi_column_dasar_renamed_dasar_hukum.xlsx", "sipt_rekomendasi", "required_columns", "Dasar")
def _(out):
    wb, ws, h = _rek()
    ws.cell(h, col_of(ws, h, "Dasar")).value = "Dasar Hukum"
    save(wb, out)
    return f"header row {h}: column 'Dasar' renamed 'Dasar Hukum' (a legal basis, not what prompted the letter)"


@case("sipt_rekomendasi_jenis_penerima_pemerintah_daerah.xlsx", "sipt_rekomendasi", "allowed_value",
      "Pemerintah Daerah")
def _(out):
    wb, ws, h = _rek()
    r = _row_where(ws, h, "Penerima", "Dinas Kesehatan Kota Dumai")
    c = col_of(ws, h, "Jenis Penerima")
    assert ws.cell(r, c).value == "Lintas Sektor"
    ws.cell(r, c).value = "Pemerintah Daerah"
    save(wb, out)
    return (f"row {r} (Dinas Kesehatan Kota Dumai): Jenis Penerima 'Pemerintah Daerah', "
            "expected Pelaku Usaha or Lintas Sektor")


@case("sipt_rekomendasi_same_nomor_surat_twice.xlsx", "sipt_rekomendasi", "duplicate_key", "R-PW.02.03.383.02.25.0003")
def _(out):
    wb, ws, h = _rek()
    r = _row_where(ws, h, "Nomor Surat", "R-PW.02.03.383.02.25.0003")
    c = col_of(ws, h, "Nomor Surat")
    assert ws.cell(r + 1, c).value == "R-PW.02.03.383.02.25.0004"
    ws.cell(r + 1, c).value = "R-PW.02.03.383.02.25.0003"
    save(wb, out)
    return (f"rows {r} and {r + 1}: Nomor Surat R-PW.02.03.383.02.25.0003 on two different letters "
            f"(the second was …0004)")


@case("sipt_rekomendasi_tanggal_surat_in_2024.xlsx", "sipt_rekomendasi", "date_in_year", "Tanggal Surat")
def _(out):
    wb, ws, h = _rek()
    r = _row_where(ws, h, "Nomor Surat", "R-PW.02.03.383.02.25.0002")
    c = col_of(ws, h, "Tanggal Surat")
    assert ws.cell(r, c).value == dt.datetime(2025, 2, 10)
    ws.cell(r, c).value = dt.datetime(2024, 2, 10)
    save(wb, out)
    return (f"row {r} (R-PW.02.03.383.02.25.0002, a 2025 number): Tanggal Surat 10/02/2024 (the year mistyped) "
            f"in an export of 2025")


@case("sipt_rekomendasi_periode_to_31_agustus_printed_01_juli.xlsx", "sipt_rekomendasi", "period", "2025-08")
def _(out):
    wb, ws, h = _rek()
    r = set_title(ws, "Periode", "Periode : 01/01/2025 s.d. 31/08/2025")
    save(wb, out)
    return (f"title row {r}: Periode 01/01/2025 s.d. 31/08/2025, but 'Tanggal Cetak : 01/07/2025': "
            f"a period not yet begun")


@case("sipt_rekomendasi_semicolon_csv_with_empty_penerima.csv", "sipt_rekomendasi", "required", "Penerima")
def _(out):
    wb, ws, h = _rek()
    rows = sheet_to_csv(ws, ";", id_number)
    r = _row_where(ws, h, "Nomor Surat", "R-PW.02.03.383.06.25.0021")
    rows[r - 1][col_of(ws, h, "Penerima") - 1] = ""
    write_csv(out, rows, ";")
    return (f"Rekomendasi saved as a ';' CSV (UTF-8 with BOM, dates dd/mm/yyyy, otherwise valid); row {r} "
            f"(R-PW.02.03.383.06.25.0021): Penerima empty")


# ==================================================================================================
#                                       Not an export at all
# ==================================================================================================
@case("not_an_export_daftar_pegawai.xlsx", "none", "known_export", "header")
def _(out):
    rows = [[1, "198001012005011001", "Pegawai Satu", "Kepala Seksi", "III/d"],
            [2, "198502022010012002", "Pegawai Dua", "Pengawas Farmasi dan Makanan", "III/b"]]
    write_table(out, Table("none", "Pegawai", ["DAFTAR PEGAWAI"], [["No", "NIP", "Nama", "Jabatan", "Golongan"]],
                           ["number", *["text"] * 4], rows), XLSX)
    return "a staff list (No, NIP, Nama, Jabatan, Golongan) dropped in the inbox: no header of a known export"


@case("not_an_export_agenda_surat_masuk.csv", "none", "known_export", "header")
def _(out):
    agenda = Table("none", "", ["AGENDA SURAT MASUK"], [["No", "Tgl Terima", "No. Agenda", "Perihal", "Asal"]],
                   ["number", "date", "text", "text", "text"],
                   [[1, dt.date(2025, 1, 2), "001/SM/2025", "Undangan rapat koordinasi", "Dinas Kesehatan"]])
    write_table(out, agenda, Style("csv", ";", "utf-8-sig", eol="\r\n"))
    return "a ';' CSV of incoming letters (No, Tgl Terima, No. Agenda, Perihal, Asal): no header of a known export"


# ------------------------------------------------------------------------------------------------ main
def build(out_dir: Path = OUT) -> list[Case]:
    names = [c.file for c in CASES]
    assert len(names) == len(set(names)), "two cases with the same file name"
    out_dir.mkdir(parents=True, exist_ok=True)
    for p in out_dir.iterdir():                         # the report of detect_bad_corpus.py stays
        if p.is_file() and p.name != "DETECTION.md":
            p.unlink()
        elif p.is_dir():
            shutil.rmtree(p)
    for c in CASES:
        c.what = c.make(out_dir / c.file)
        assert (out_dir / c.file).exists(), c.file
    with open(out_dir / "MANIFEST.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "source", "what_is_wrong", "expected_check", "message_contains"])
        for c in CASES:
            w.writerow([c.file, c.source, c.what, c.check, c.contains])
    _coverage(CASES)
    return CASES


def _coverage(cases: list[Case]) -> None:
    checks = {c.check for c in cases}
    missing = [k for k in CHECKS if k not in checks]
    assert not missing, f"checks without a case: {missing}"
    for s in SOURCES[:-1]:
        n = sum(c.source == s for c in cases)
        assert n >= 4, f"source {s} has only {n} cases"
    for s in ("sipt_sampel", "sipt_pemeriksaan", "sipt_rekomendasi"):     # both file formats of each SIPT source
        assert {c.file.rsplit(".", 1)[1] for c in cases if c.source == s} == {"csv", "xlsx"}, s
    assert any(c.file.endswith(".csv") for c in cases) and any(c.file.endswith(".xlsx") for c in cases)
    assert len(cases) >= 36


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    done = build(out)
    print(f"{len(done)} bad files written to {out} (+ MANIFEST.csv)")
