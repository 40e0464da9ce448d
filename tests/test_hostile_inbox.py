"""One bad file never stops the month (issue 13): hostile, truncated or mislabelled files dropped into an inbox
beside a valid correction, run through the real `sakip` command on a warehouse that already published the
demo. Each bad file is refused alone (exit 2; 0 where it is only skipped) with a message naming what is wrong,
the correction is still published, every other published figure stays as it was, no traceback reaches the
user, and one alert goes out."""
from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import struct
import zipfile
import zlib

import duckdb
import pytest

from builders import published
from conftest import DEMO_INBOX
from sakip.console import RUN_FINDINGS
from sakip.findings import printable
from sakip.report.format import angka

REALISASI = DEMO_INBOX / "Realisasi_Kinerja_672849_2025_B06.csv"
# the runs speak English here: the tests read their English messages (tests/test_messages_id.py: the default)
ENGLISH = {"SAKIP_LANG": "en"}


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("SAKIP_LANG", "en")  # the fragments below, numbers included, as the runs write them


def realisasi_text(exported: str = "03/07/2025", iku11: str = "81,25") -> str:
    """The demo's Realisasi export, exported on another day, with IKU1.1's June value replaced."""
    text = REALISASI.read_bytes().decode("utf-8-sig")
    return text.replace("Tanggal Unduh : 01/07/2025", f"Tanggal Unduh : {exported}").replace(";93,96;", f";{iku11};")


def iku11(warehouse):
    return published(warehouse, "select round(capaian, 2) from mart.capaian_iku where kode_iku = 'IKU1.1' "
                                "and bulan = 6")[0][0]


def others(warehouse):
    """Every published figure the correction does not touch."""
    return (published(warehouse, "select * from mart.realisasi_anggaran order by all"),
            published(warehouse, "select * from mart.sla_ringkasan order by all"),
            published(warehouse, "select kode_iku, capaian from mart.capaian_iku where kode_iku <> 'IKU1.1' "
                                 "order by all"))


# ---------------------------------------------------------------------------------------- hostile files
def xlsx(sheet: bytes | None = None, shared: bytes | None = None, compress=zipfile.ZIP_DEFLATED,
         sheet_path: str = "worksheets/sheet1.xml", sheets: int = 1) -> bytes:
    """A minimal workbook written part by part, so that its sheets can say anything (the same sheet
    `sheets` times, where the workbook's links say)."""
    sheet = sheet or b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    out = io.BytesIO()
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(out, "w", compress) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
                   'formats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-office'
                   'document.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{pkg}"><Relationship Id="rId1" '
                   f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                   + "".join(f'<sheet name="Sheet{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, sheets + 1))
                   + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="{pkg}">' + "".join(
                   f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="{sheet_path.replace("1", str(i))}"/>'
                   for i in range(1, sheets + 1)) + "</Relationships>")
        for i in range(1, sheets + 1):
            z.writestr("xl/" + sheet_path.replace("1", str(i)), b'<?xml version="1.0"?><worksheet xmlns="'
                       + main.encode() + b'">' + sheet + b"</worksheet>")
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def far_cells(inbox):
    """Two cells, A1 and XFD1048576: the xlsx engine would allocate 17 billion cells and abort."""
    (inbox / "GLP039_far_cells.xlsx").write_bytes(xlsx(
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>SATKER : 672849</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))


def far_cells_without_references(inbox):
    """The same grid reached by cells and rows that carry no reference (each takes the next position)."""
    row = b"<row>" + b"<c/>" * 300 + b"</row>"
    (inbox / "far_no_refs.xlsx").write_bytes(xlsx(b"<sheetData>" + row * 20_000 + b"</sheetData>"))


def inflating_cell(inbox):
    """A shared string that inflates to 150 MB from 150 KB, declared in the zip as 10 bytes."""
    bomb = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = bomb.compress(b"<sst><si><t>" + b"x" * 150_000_000 + b"</t></si></sst>") + bomb.flush()
    (inbox / "SIPT_Sampel_inflating.xlsx").write_bytes(_with_member(xlsx(), "xl/sharedStrings.xml", packed))


def _with_member(data: bytes, name: str, packed: bytes) -> bytes:
    """The workbook with `name` replaced by already-deflated bytes whose declared sizes say 10 bytes."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in archive.infolist():
            if item.filename != name:
                z.writestr(item, archive.read(item))
    head = out.getvalue()
    # a local header and a central entry for the bomb, appended by hand (deflate, declared size 10)
    zip_end = head.rfind(b"PK\x05\x06")
    central_start = struct.unpack("<I", head[zip_end + 16: zip_end + 20])[0]
    body, central = head[:central_start], head[central_start:zip_end]
    count = struct.unpack("<H", head[zip_end + 10: zip_end + 12])[0]
    crc = 0
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed), 10, len(name), 0) + \
        name.encode() + packed
    entry = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(packed), 10,
                        len(name), 0, 0, 0, 0, 0, len(body)) + name.encode()
    new_body = body + local
    new_central = central + entry
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count + 1, count + 1, len(new_central), len(new_body), 0)
    return new_body + new_central + end


FAR = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


def far_cell_written_otherwise(inbox):
    """The far cell with single quotes, spaces around '=', a lowercase reference; in a sheet stored outside
    xl/worksheets/ under a name without .xml; in a workbook named .xls (the engine goes by the content)."""
    (inbox / "a.xlsx").write_bytes(xlsx(b"<sheetData><row r='1048576'><c r='XFD1048576'><v>1</v></c>"
                                        b"</row></sheetData>"))
    (inbox / "b.xlsx").write_bytes(xlsx(b'<sheetData><row r = "9"><c r = "XFD1048576"><v>1</v></c></row></sheetData>'))
    (inbox / "c.xlsx").write_bytes(xlsx(b'<sheetData><row r="9"><c r="xfd1048576"><v>1</v></c></row></sheetData>'))
    (inbox / "d.xlsx").write_bytes(xlsx(b"<sheetData>" + FAR + b"</sheetData>", sheet_path="data/s1.bin"))
    (inbox / "e.xls").write_bytes(xlsx(b"<sheetData>" + FAR + b"</sheetData>"))


def declared_dimension_that_lies(inbox):
    """The sheet declares A1:B2 and holds a cell at ZZ200000: the engine allocates 140 million cells whatever
    the sheet declares (measured: 5 GB from a 1 KB file)."""
    (inbox / "dimension.xlsx").write_bytes(xlsx(b'<dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1">'
                                                b'<v>1</v></c></row><row r="200000"><c r="ZZ200000"><v>1</v></c>'
                                                b'</row></sheetData>'))


def cell_without_reference_in_a_far_row(inbox):
    (inbox / "far_row.xlsx").write_bytes(xlsx(b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
                                              b'<row r="1048576"><c><v>1</v></c></row></sheetData>'))


def shared_strings_declaring_billions(inbox):
    """The engine reserves room for the entries the shared strings declare: 4 billion of them."""
    (inbox / "sst.xlsx").write_bytes(xlsx(shared=b'<?xml version="1.0"?><sst uniqueCount="4000000000" '
                                                 b'count="4000000000"><si><t>a</t></si></sst>'))


def shared_string_in_many_cells(inbox):
    """One string of 32,000 characters (under the cell limit) in 25,000 cells: 800 million characters."""
    rows = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (i, i) for i in range(1, 25_001))
    (inbox / "amplified.xlsx").write_bytes(xlsx(b"<sheetData>" + rows + b"</sheetData>",
                                                shared=b"<sst><si><t>" + b"x" * 32_000 + b"</t></si></sst>"))


def many_sheets(inbox):
    """1,000 sheets of two cells each spanning 5 million cells: each within the limits, together not."""
    (inbox / "sheets.xlsx").write_bytes(xlsx(b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="25000">'
                                             b'<c r="GR25000"><v>1</v></c></row></sheetData>', sheets=1000))


def excel_97_workbook(inbox):
    (inbox / "GLP039_lama.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))


def quote_swallowing_rows(inbox):
    """Quotes that pair up across lines: rows IKU1.3 to IKU1.8 would vanish into one Keterangan."""
    lines = realisasi_text("04/07/2025", "70,00").split("\n")
    lines[6] += '"Catatan: lihat'
    lines[13] += 'lampiran"'
    (inbox / "Realisasi_quotes.csv").write_text("\n".join(lines), encoding="utf-8")


def tiny_rows(inbox):
    """300,000 one-cell rows: past the rows limit, refused before the engine reads them."""
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 300_001))
    (inbox / "POK_tiny_rows.xlsx").write_bytes(xlsx(b"<sheetData>" + rows + b"</sheetData>"))


def stray_quote(inbox):
    text = realisasi_text("04/07/2025", "70,00")
    lines = text.splitlines()
    lines[6] = lines[6].replace("IKU1.2", '"IKU1.2', 1)  # a field opened and never closed
    (inbox / "Realisasi_stray_quote.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def binary_bytes(inbox):
    (inbox / "Realisasi_binary.csv").write_bytes(bytes(range(256)) * 64)


def long_line(inbox):
    """One cell of 2 MB: past Excel's own 32,767 characters."""
    (inbox / "Realisasi_long_line.csv").write_text(
        "Tahun;Kode Satker;Kode IKU;Bulan;Realisasi;Keterangan\n2025;672849;IKU1.2;B06;90;" + "x" * 2_000_000 + "\n")


def wide(inbox):
    header = "Tahun;Kode Satker;Kode IKU;Bulan;Realisasi;" + ";".join(f"K{i}" for i in range(10_000))
    (inbox / "Realisasi_wide.csv").write_text(header + "\n" + "2025;672849;IKU1.2;B06;90" + ";" * 10_000 + "\n")


# a year after the day the tests run: "in the future" whenever they run
FUTURE = f"01/07/{dt.date.today().year + 1}"


def future_export(inbox):
    (inbox / "Realisasi_next_year.csv").write_text(realisasi_text(FUTURE, "10,00"), encoding="utf-8")


def far_future_export(inbox):
    (inbox / "Realisasi_9999.csv").write_text(realisasi_text("01/07/9999", "10,00"), encoding="utf-8")


def export_before_its_year(inbox):
    (inbox / "Realisasi_2024.csv").write_text(realisasi_text("01/07/2024", "10,00"), encoding="utf-8")


def same_date_as_the_published_export(inbox):
    """The demo's Realisasi states 01/07/2025; another export of the same day with other contents."""
    (inbox / "Realisasi_same_day.csv").write_text(realisasi_text("01/07/2025", "10,00"), encoding="utf-8")


def overflowing_number(inbox):
    huge = "1" + ".000" * 103  # 10^309: past a double
    (inbox / "Realisasi_overflow.csv").write_text(realisasi_text("04/07/2025", "70,00").replace(";99,26;", f";{huge};"),
                                                  encoding="utf-8")


def number_1e308(inbox):
    """A ','-separated export (plain numbers) with 1e308: finite, but every ratio with it is infinite."""
    (inbox / "Realisasi_1e308.csv").write_text(
        "REALISASI KINERJA TAHUN 2025\nSatuan Kerja : 672849 - Balai POM di Dumai\nTanggal Unduh : 04/07/2025\n\n"
        "Tahun,Kode Satker,Kode IKU,Bulan,Realisasi,Keterangan\n2025,672849,IKU1.2,B06,1e308,\n")


def satker_with_seven_digits(inbox):
    book = (DEMO_INBOX / "GLP039_672849_JUNI_2025.xlsx").read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in archive.infolist():
            part = archive.read(item)
            z.writestr(item, part.replace(b"SATKER : 672849", b"SATKER : 6728499"))
    (inbox / "GLP039_6728499.xlsx").write_bytes(out.getvalue())


def terminal_escapes_in_the_name(inbox):
    (inbox / "evil\n  Realisasi.csv: accepted (forged)\x1b[2K.csv").write_bytes(b"\x00binary")


CASES = {
    # case: (builder, expected check, fragment of the message, or what gives it when the test runs)
    "far_cells": (far_cells, "limit", lambda: f"{angka(1_048_576, 0)} rows"),
    "far_cells_without_references": (far_cells_without_references, "limit", "columns"),
    "inflating_cell": (inflating_cell, "limit", "unzipped"),
    "tiny_rows": (tiny_rows, "limit", lambda: f"{angka(300_000, 0)} rows"),
    "stray_quote": (stray_quote, "readable", "never closed"),
    "binary_bytes": (binary_bytes, "readable", "binary data"),
    "long_line": (long_line, "limit", lambda: angka(32_767, 0)),
    "wide": (wide, "limit", "columns"),
    "future_export": (future_export, "export_date", f"{FUTURE} stated in the title rows is after today"),
    "far_future_export": (far_future_export, "export_date", "01/07/9999"),
    "export_before_its_year": (export_before_its_year, "export_date", "before 2025"),
    "same_date_as_the_published_export": (same_date_as_the_published_export, "ambiguous_export",
                                          "Realisasi_Kinerja_672849_2025_B06.csv is also"),
    "overflowing_number": (overflowing_number, "number_range", "beyond any plausible value"),
    "number_1e308": (number_1e308, "number_range", "beyond any plausible value"),
    "satker_with_seven_digits": (satker_with_seven_digits, "satker", "no satker found"),
    "far_cell_written_otherwise": (far_cell_written_otherwise, "limit", lambda: f"{angka(1_048_576, 0)} rows"),
    "cell_without_reference_in_a_far_row": (cell_without_reference_in_a_far_row, "limit", "rows"),
    "declared_dimension_that_lies": (declared_dimension_that_lies, "limit", "702 columns"),
    "shared_strings_declaring_billions": (shared_strings_declaring_billions, "limit",
                                          lambda: f"{angka(4_000_000_000, 0)} entries"),
    "shared_string_in_many_cells": (shared_string_in_many_cells, "limit", "characters"),
    "many_sheets": (many_sheets, "limit", "sheets span"),
    "excel_97_workbook": (excel_97_workbook, "readable", "Excel 97-2003"),
    "quote_swallowing_rows": (quote_swallowing_rows, "readable", "holds whole rows of the file"),
    "terminal_escapes_in_the_name": (terminal_escapes_in_the_name, "readable", "binary data"),
}

# Recognised as a Realisasi export of the demo's satker and period
SAME_SOURCE = {"future_export", "far_future_export", "export_before_its_year", "same_date_as_the_published_export",
               "overflowing_number", "number_1e308"}


def run_with(sakip, webhook, template, tmp_path, build, name):
    warehouse, inbox = tmp_path / "wh", tmp_path / "inbox"
    shutil.copytree(template, warehouse)
    inbox.mkdir()
    # the valid correction that must still be published: IKU1.1 93,96 → 81,25 (capaian 115,64 → 100)
    (inbox / "Realisasi_Kinerja_672849_2025_B06 (revisi).csv").write_text(realisasi_text(), encoding="utf-8")
    build(inbox)
    before = others(warehouse)
    result = sakip("run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--period", "2025-06",
                   env={"SAKIP_ALERT_WEBHOOK_URL": f"{webhook.url}/hostile/{name}", "SAKIP_ALERT_RETRY_DELAY": "0.05",
                        **ENGLISH})
    return warehouse, inbox, result, before


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_file_is_refused_alone(case, sakip, webhook, template, tmp_path):
    build, check, fragment = CASES[case]
    fragment = fragment() if callable(fragment) else fragment
    warehouse, inbox, result, before = run_with(sakip, webhook, template, tmp_path, build, case)
    out = result.stdout + result.stderr
    assert result.returncode == 2, out
    assert "Traceback" not in out and "panicked" not in out
    if case in SAME_SOURCE:
        # a refused Realisasi of the same satker and period: which export is right is unknown, so the tables
        # that depend on it stay at their last good version (docs/validation.md), marked stale
        assert iku11(warehouse) == 115.64
        assert published(warehouse, "select status from audit.freshness where tabel = 'capaian_iku' "
                                    "and bulan = 6") == [("stale",)]
    else:
        assert iku11(warehouse) == 100.0  # the correction beside it was published
    assert others(warehouse) == before  # nothing else moved
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    failures = con.execute("select f.nama_file, v.pemeriksaan, v.pesan from audit.validation_failures v "
                           "join audit.files f using (sha256) where f.status = 'refused'").fetchall()
    con.close()
    assert check in {c for _, c, _ in failures}, failures
    assert any(fragment in message for _, c, message in failures if c == check), failures
    assert fragment in out
    [alert] = webhook.for_path(f"/hostile/{case}")
    assert all(check in failure["checks"] for failure in alert["failures"])
    # every hostile file of the case is refused, each for the expected check
    hostile = {p.name for p in inbox.iterdir()} - {"Realisasi_Kinerja_672849_2025_B06 (revisi).csv"}
    assert {printable(name) for name, _, _ in failures} == {printable(name) for name in hostile}
    assert all(check in {c for n, c, _ in failures if n == name} for name in {n for n, _, _ in failures})
    # every refused file is archived under its checksum
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    archived = con.execute("select arsip from audit.files where status = 'refused'").fetchall()
    con.close()
    assert archived and all((warehouse / a).is_file() for (a,) in archived)


def test_file_names_cannot_forge_lines_of_the_summary(sakip, webhook, template, tmp_path):
    warehouse, inbox, result, _ = run_with(sakip, webhook, template, tmp_path, terminal_escapes_in_the_name,
                                           "names")
    assert "\x1b" not in result.stdout + result.stderr
    assert not any(line.lstrip().startswith("Realisasi.csv: accepted (forged)") for line in result.stdout.splitlines())
    assert "evil\\n  Realisasi.csv: accepted (forged)\\x1b[2K.csv: REFUSED" in result.stdout


def test_two_exports_of_one_day_with_other_contents_the_later_is_refused(sakip, webhook, template, tmp_path):
    def two(inbox):
        later = inbox / "Realisasi_again.csv"
        later.write_text(realisasi_text("03/07/2025", "50,00"), encoding="utf-8")
        os.utime(later, (2_000_000_000, 2_000_000_000))  # after the correction's
    warehouse, inbox, result, before = run_with(sakip, webhook, template, tmp_path, two, "same-day")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Realisasi_again.csv: REFUSED" in result.stdout
    assert "Realisasi_Kinerja_672849_2025_B06 (revisi).csv is also a SIMETRIS Realisasi IKU" in result.stdout
    # which of the two is right is unknown: the figures that depend on them stay as they were, marked stale
    assert iku11(warehouse) == 115.64
    kept = [line.strip() for line in result.stdout.splitlines()
            if line.strip().startswith("kept at its last good version: ")]  # one line: its tables, satker, period
    assert any("mart.capaian_iku" in line and line.endswith(
        " 672849 2025-06 (Realisasi_again.csv refused (ambiguous_export))") for line in kept), result.stdout


def test_links_and_special_files_are_skipped_not_read(sakip, webhook, template, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "Realisasi_other_unit.csv").write_text(realisasi_text("05/07/2025", "10,00"), encoding="utf-8")
    secret = tmp_path / "secret.csv"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")

    def links(inbox):
        (inbox / "Realisasi_link.csv").symlink_to(elsewhere / "Realisasi_other_unit.csv")
        (inbox / "passwd.csv").symlink_to(secret)
        (inbox / "linked-folder").symlink_to(elsewhere, target_is_directory=True)
        os.mkfifo(inbox / "fifo.csv")  # opening it would block the run for ever
    warehouse, inbox, result, before = run_with(sakip, webhook, template, tmp_path, links, "links")
    out = result.stdout + result.stderr
    assert result.returncode == 0, out  # skipping is harmless: nothing refused
    assert iku11(warehouse) == 100.0  # the correction, not the linked export (which would give 12,31)
    assert others(warehouse) == before
    assert "skipped, not read: 4" in out
    assert "Realisasi_link.csv: a symbolic link" in out and "passwd.csv: a symbolic link" in out
    assert "fifo.csv: not a regular file" in out and "linked-folder: a link to a folder" in out
    archived = [p.name for p in (warehouse / "archive").rglob("*") if p.is_file()]
    assert "passwd.csv" not in archived and "Realisasi_link.csv" not in archived
    assert not webhook.for_path("/hostile/links")


def test_findings_are_counted_and_only_those_kept_are_stored(sakip, webhook, template, tmp_path):
    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "batas_berkas.csv").write_text("batas,nilai,keterangan\ntemuan_disimpan,10,test\n")
    warehouse, inbox = tmp_path / "wh", tmp_path / "inbox"
    shutil.copytree(template, warehouse)
    inbox.mkdir()
    rows = "".join(f"2025;672849;IKU1.1;B06;{i},5;\n" for i in range(5_000))  # one key, 5,000 times
    (inbox / "Realisasi_dup.csv").write_text("Tahun;Kode Satker;Kode IKU;Bulan;Realisasi;Keterangan\n" + rows)
    result = sakip("run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--period", "2025-06",
                   env={"SAKIP_REFERENCE_DIR": str(reference), **ENGLISH})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Realisasi_dup.csv: REFUSED (SIMETRIS Realisasi IKU, satker 672849, period 2025-06), 5000 findings" \
        in result.stdout
    assert f"… {5000 - RUN_FINDINGS} more (audit.validation_failures)" in result.stdout  # the first ones shown
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    rows = con.execute("select baris, pemeriksaan from audit.validation_failures order by baris").fetchall()
    con.close()
    assert rows == [(r, "duplicate_key") for r in range(2, 12)]  # the first ten rows of the file


def test_a_file_the_run_may_not_open_is_refused_through_the_command(prefect_env, webhook, template, tmp_path):
    """CI runs as root, for whom no file is unreadable: the command runs in a user namespace as an ordinary
    user (root's files map to it, so it still owns the warehouse), where a file of mode 000 can't be opened."""
    import subprocess

    from conftest import BIN
    as_user = ["unshare", "--user", "--map-user=1000", "--map-group=1000"]
    probe = subprocess.run([*as_user, "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"no user namespaces here: {probe.stderr.decode()[:200]}")
    warehouse, inbox = tmp_path / "wh", tmp_path / "inbox"
    shutil.copytree(template, warehouse)
    inbox.mkdir()
    (inbox / "Realisasi_Kinerja_672849_2025_B06 (revisi).csv").write_text(realisasi_text(), encoding="utf-8")
    locked = inbox / "GLP039_locked.xlsx"
    shutil.copy(DEMO_INBOX / "GLP039_672849_JUNI_2025.xlsx", locked)
    locked.chmod(0)
    before = others(warehouse)
    result = subprocess.run(
        [*as_user, str(BIN / "sakip"), "run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--period",
         "2025-06"], capture_output=True, text=True, timeout=300,
        env={**prefect_env, "SAKIP_ALERT_WEBHOOK_URL": f"{webhook.url}/hostile/locked",
             "SAKIP_ALERT_RETRY_DELAY": "0.05", **ENGLISH})
    out = result.stdout + result.stderr
    assert result.returncode == 2, out
    assert "Traceback" not in out
    assert "GLP039_locked.xlsx: REFUSED (unrecognised file), 1 finding:" in result.stdout
    assert "file: the run could not open the file (Permission denied)" in result.stdout
    assert iku11(warehouse) == 100.0 and others(warehouse) == before
    [alert] = webhook.for_path("/hostile/locked")
    assert alert["failures"][0]["checks"] == {"readable": 1}


def test_a_run_that_waited_while_another_accepted_its_files_finds_them_accepted(sakip, prefect_env, template,
                                                                                 tmp_path):
    """Two runs on one warehouse (scheduled runs wait for its lock): the first reads the warehouse's checksums
    and its files, then waits; the second accepts the same files meanwhile. The first must find them accepted
    (duplicates), not insert them again and fail on audit.files' key (which it did, with its error masked)."""
    import subprocess
    import time

    from conftest import BIN
    warehouse, inbox = tmp_path / "wh", tmp_path / "inbox"
    shutil.copytree(template, warehouse)
    inbox.mkdir()
    (inbox / "Realisasi_Kinerja_672849_2025_B06 (revisi).csv").write_text(realisasi_text(), encoding="utf-8")
    pause = tmp_path / "paused"
    command = [str(BIN / "sakip"), "run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--period", "2025-06"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**prefect_env, "SAKIP_LOCK_WAIT_SECONDS": "120", "SAKIP_PAUSE_AT": "before_lock",
                                  "SAKIP_PAUSE_FILE": str(pause), **ENGLISH})
    try:
        deadline = time.monotonic() + 120
        while not pause.exists():  # the first run has read the checksums and its files
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()
            time.sleep(0.1)
        second = sakip(*command[1:], env={"SAKIP_LOCK_WAIT_SECONDS": "120", **ENGLISH})
        assert second.returncode == 0, second.stdout + second.stderr
        assert "files: 1 accepted" in second.stdout
    finally:
        pause.unlink(missing_ok=True)
        out, err = first.communicate(timeout=300)
    assert first.returncode == 0, out + err
    assert "files: 0 accepted, 1 already accepted earlier, 0 refused" in out
    assert "Current transaction is aborted" not in out + err
    assert iku11(warehouse) == 100.0


def test_names_too_long_to_extend_or_not_utf8_are_refused_like_any_other(sakip, webhook, template, tmp_path):
    def names(inbox):
        (inbox / ("SIPT_" + "x" * 246 + ".csv")).write_bytes(b"\x00binary")  # 255 bytes: no room for a suffix
        (inbox / os.fsdecode(b"SIPT_\xff\xfe_bad.csv")).write_bytes(b"\x00other binary")
    warehouse, inbox, result, before = run_with(sakip, webhook, template, tmp_path, names, "names")
    out = result.stdout + result.stderr
    assert result.returncode == 2, out
    assert "Traceback" not in out and "Logging error" not in out
    assert "SIPT_\\xff\\xfe_bad.csv: REFUSED" in result.stdout
    assert iku11(warehouse) == 100.0 and others(warehouse) == before
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    names = sorted(r[0] for r in con.execute("select nama_file from audit.files where status = 'refused'").fetchall())
    con.close()
    assert names == sorted(["SIPT_" + "x" * 246 + ".csv", "SIPT_\\xff\\xfe_bad.csv"])
