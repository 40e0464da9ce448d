"""Real-looking layouts of the exports, made from the bundled well-formed ones: each reads as the well-formed
export (the same rows and figures), or is refused with a message naming the row, the column and what was
expected; never read into wrong figures silently."""
import csv
import datetime as dt
import io

import pytest
import xlsxwriter
from openpyxl import load_workbook

from builders import inspect_file
from conftest import DEMO_INBOX
from sakip.readers import read_export


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """These tests read the checks' English messages (tests/test_messages_id.py: the Indonesian default)."""
    monkeypatch.setenv("SAKIP_LANG", "en")

SOURCES = {
    "sampel": DEMO_INBOX / "SIPT_Sampel_672849_2025_B06.xlsx",
    "pemeriksaan": DEMO_INBOX / "SIPT_Pemeriksaan_672849_2025_B06.csv",
    "rekomendasi": DEMO_INBOX / "SIPT_Rekomendasi_672849_2025_B06.xlsx",
    "glp039": DEMO_INBOX / "GLP039_672849_JUNI_2025.xlsx",
    "pok": DEMO_INBOX / "POK_RPD_672849_2025.xlsx",
    "rapk": DEMO_INBOX / "RAPK_672849_2025.xlsx",
    "realisasi": DEMO_INBOX / "Realisasi_Kinerja_672849_2025_B06.csv",
    "capaian": DEMO_INBOX / "Capaian_Output_RO_672849_2025.xlsx",
}
FIRST_LABEL = {"sampel": "No", "pemeriksaan": "No", "rekomendasi": "No", "glp039": "Program/Kegiatan",
               "pok": "Program/Kegiatan", "rapk": "Tahun", "realisasi": "Tahun", "capaian": "Tahun"}


# ------------------------------------------------------------------------------------------- helpers
def _rows(source):
    """The export's rows as values: (title rows, header rows, data rows), blank rows left out of the titles."""
    path = SOURCES[source]
    if path.suffix == ".csv":
        rows = [list(r) for r in csv.reader(io.StringIO(path.read_bytes().decode("cp1252")), delimiter=";")]
    else:
        book = load_workbook(path, read_only=True)
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    start = next(i for i, r in enumerate(rows) if r and r[0] == FIRST_LABEL[source])
    height = 2 if source == "glp039" else 1
    titles = [r for r in rows[:start] if any(v not in (None, "") for v in r)]
    return titles, rows[start:start + height], rows[start + height:]


def _text(v, sep):
    if v is None:
        return ""
    if isinstance(v, (dt.datetime, dt.date)):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, float):
        text = repr(v)[:-2] if repr(v).endswith(".0") else repr(v)
        return text.replace(".", ",") if sep == ";" else text
    return str(v)


def _csv(path, rows, sep=";", encoding="utf-8", bom=False):
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows([_text(v, sep) for v in r] for r in rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode(encoding))
    return path


def _xlsx(path, rows, merged_titles=0):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    width = max(len(r) for r in rows)
    for i, row in enumerate(rows):
        if i < merged_titles and row and row[0]:  # a title merged across the table's width, as reports do
            sheet.merge_range(i, 0, i, width - 1, row[0])
            continue
        for j, v in enumerate(row):
            if isinstance(v, dt.datetime):
                sheet.write_datetime(i, j, v, dates)
            elif v not in (None, ""):
                sheet.write(i, j, v)
    book.close()
    return path


def _same(export, well_formed):
    return export.data.drop("_row").rows() == well_formed.data.drop("_row").rows()


def _paged(titles, header, data, size, page_header, footer=lambda page, pages: [], blank=1):
    """The rows printed in pages of `size` rows: each later page starts with `page_header` (after `blank`
    empty rows), each page ends with `footer(page, pages)`."""
    pages = (len(data) + size - 1) // size
    out = [*titles, [None], *header]
    for page, start in enumerate(range(0, len(data), size), start=1):
        if start:
            out += [[None]] * blank + [list(r) for r in page_header]
        out += data[start:start + size] + footer(page, pages)
    return out


def _dates(rows, change):
    """The rows with every date cell changed by `change`."""
    return [[change(v) if isinstance(v, dt.datetime) else v for v in r] for r in rows]


# ------------------------------------------------------------------------- header-only SIPT exports
@pytest.mark.parametrize("source", ["sampel", "pemeriksaan", "rekomendasi"])
@pytest.mark.parametrize("layout", ["xlsx", "semicolon csv with BOM", "comma csv", "cp1252 csv with empty columns"])
def test_a_header_only_sipt_export_reads_as_the_titled_one(tmp_path, source, layout):
    titles, header, data = _rows(source)
    if source == "pemeriksaan":  # the CSV holds dates as text: as an xlsx or a CSV writes them
        data = [[dt.datetime.strptime(v, "%d/%m/%Y") if v and v[2:3] == "/" else v for v in r] for r in data]
    rows = header + data
    if layout == "xlsx":
        path = _xlsx(tmp_path / "bare.xlsx", rows)
    elif layout == "semicolon csv with BOM":
        path = _csv(tmp_path / "bare.csv", rows, bom=True)
    elif layout == "comma csv":
        path = _csv(tmp_path / "bare.csv", rows, sep=",")
    else:
        path = _csv(tmp_path / "bare.csv", [r + ["", ""] for r in rows], encoding="cp1252")
    outcome, well_formed = inspect_file(path), read_export(SOURCES[source])
    assert outcome.status == "accepted", outcome.findings[:3]
    assert (outcome.export.satker, outcome.export.period) == ("672849", "2025-06")
    assert outcome.export.inferred.startswith("period inferred from the latest date in the rows")
    assert _same(outcome.export, well_formed)


def test_a_header_only_export_with_a_date_after_today_is_refused_naming_it(tmp_path):
    """Without title rows nothing states when the file was exported: a date that has not come yet must not
    become the file's period."""
    titles, header, data = _rows("sampel")
    ahead = dt.date.today().year + 1 - 2025
    future = _dates(data, lambda d: d.replace(year=d.year + ahead))  # the whole file a year ahead of today
    outcome = inspect_file(_csv(tmp_path / "ahead.csv", header + future))
    assert outcome.status == "refused"
    [finding] = [f for f in outcome.findings if f.check == "period"]
    assert "after today" in finding.message and finding.row is not None and finding.column.startswith("Tanggal")
    assert outcome.export.period is None

    one = [list(r) for r in data]  # one LHU typed in a later year: the finding names it, not every row
    lhu = header[0].index("Tanggal LHU")
    one[2][lhu] = dt.datetime(dt.date.today().year + 1, 2, 1)
    outcome = inspect_file(_csv(tmp_path / "typo.csv", header + one))
    assert outcome.status == "refused"
    assert [(f.row, f.column) for f in outcome.findings] == [(4, "Tanggal LHU")], outcome.findings[:3]


def test_a_header_only_export_with_a_date_in_the_next_year_is_refused_in_one_finding(tmp_path):
    """Samples of 2025 with one LHU of January 2026: the period can't be January 2026 (the records are of
    2025), and every sample of the file is not to blame."""
    titles, header, data = _rows("sampel")
    rows = [list(r) for r in data]
    lhu = header[0].index("Tanggal LHU")
    rows[-1][lhu] = dt.datetime(2026, 1, 5)
    outcome = inspect_file(_csv(tmp_path / "sampel.csv", header + rows))
    assert outcome.status == "refused"
    [finding] = outcome.findings
    assert (finding.check, finding.row, finding.column, finding.value) == ("period", len(rows) + 1, "Tanggal LHU",
                                                                          "05/01/2026")
    assert "2025" in finding.message and "title rows" in finding.message


def test_a_header_only_export_over_two_years_names_the_rows_of_the_other_year(tmp_path):
    titles, header, data = _rows("sampel")
    rows = _dates(data[:3], lambda d: d.replace(year=2024)) + data[3:]
    outcome = inspect_file(_csv(tmp_path / "sampel.csv", header + rows))
    assert outcome.status == "refused" and outcome.export.period == "2025-06"
    assert {(f.check, f.row, f.column) for f in outcome.findings} == {
        ("date_in_year", r, "Tanggal Sampling") for r in (2, 3, 4)}


def test_a_header_only_export_without_any_date_says_why_it_has_no_period(tmp_path):
    titles, header, data = _rows("rekomendasi")
    rows = _dates(data, lambda d: None)
    outcome = inspect_file(_csv(tmp_path / "rekomendasi.csv", header + rows))
    assert outcome.status == "refused"
    [period] = [f for f in outcome.findings if f.check == "period"]
    assert "no title rows" in period.message and "no date" in period.message
    assert "Tahun" not in period.message  # SIPT has no Tahun column: not what the user should look for


def test_a_header_only_export_of_two_satkers_names_both_and_only_that(tmp_path):
    titles, header, data = _rows("rekomendasi")
    rows = [list(r) for r in data]
    rows[4][header[0].index("Kode Satker")] = "672850"
    outcome = inspect_file(_csv(tmp_path / "rekomendasi.csv", header + rows))
    assert outcome.status == "refused"
    [finding] = [f for f in outcome.findings if f.column == "Kode Satker" or f.check == "satker"]
    assert finding.check == "single_value" and "672849, 672850" in finding.message


@pytest.mark.parametrize("title", ["DATA SAMPEL DAN PENGUJIAN", "Satuan Kerja : 672849 - Balai POM di Dumai",
                                   "Tanggal Cetak : 01/07/2025"])
def test_title_rows_that_do_not_state_the_period_are_refused_not_guessed(tmp_path, title):
    titles, header, data = _rows("sampel")
    outcome = inspect_file(_csv(tmp_path / "sampel.csv", [[title], []] + header + data))
    assert outcome.status == "refused" and outcome.export.inferred is None
    assert any(f.check == "period" and "Periode : 01/01/2025 s.d. 30/06/2025" in f.message for f in outcome.findings)


# --------------------------------------------------------------------------------- page headers
@pytest.mark.parametrize("source", list(SOURCES))
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_export_printed_with_page_headers_reads_as_the_plain_one(tmp_path, source, fmt):
    """Title lines and the column header repeated on each page, blank rows between pages, a header repeated
    alone, and one last header with no rows after it."""
    titles, header, data = _rows(source)
    rows = _paged(titles, header, data, 10, titles + header, blank=2)
    rows += [[None]] + header  # a page break just before the end: a header with nothing below
    rows[len(titles) + 1 + len(header) + 25:len(titles) + 1 + len(header) + 25] = header  # a header alone
    path = _xlsx(tmp_path / "paged.xlsx", rows, merged_titles=len(titles)) if fmt == "xlsx" else \
        _csv(tmp_path / "paged.csv", rows)
    outcome, well_formed = inspect_file(path), read_export(SOURCES[source])
    assert outcome.status == "accepted", outcome.findings[:3]
    assert outcome.export.period == well_formed.period and _same(outcome.export, well_formed)


@pytest.mark.parametrize("source, line, changed", [
    ("glp039", "PERIODE", "PERIODE : JANUARI s.d. MEI 2025"),
    ("glp039", "SATKER", "SATKER : 672850 - BALAI POM DI TANJUNG BALAI KARIMUN"),
    ("glp039", "Tanggal Cetak", "Tanggal Cetak : 05 Juni 2025"),
    ("pok", "TAHUN ANGGARAN", "TAHUN ANGGARAN : 2024"),
    ("sampel", "Periode", "Periode : 01/01/2025 s.d. 31/05/2025"),
    ("sampel", "Satuan Kerja", "Satuan Kerja : 672850 - Balai POM di X"),
    ("realisasi", "Satuan Kerja", "Satuan Kerja : 672850 - Balai POM di X"),
    ("rapk", "RENCANA AKSI", "RENCANA AKSI PERJANJIAN KINERJA TAHUN 2024"),
])
def test_a_page_header_of_another_export_is_refused_not_read_as_one(tmp_path, source, line, changed):
    """Pages of two exports in one file (another period, satker, year or print): the repeated title says so."""
    titles, header, data = _rows(source)
    other = [[changed] + list(r[1:]) if str(r[0]).startswith(line) else r for r in titles]
    assert other != titles
    rows = _paged(titles, header, data, 10, other + header)
    outcome = inspect_file(_xlsx(tmp_path / "two.xlsx", rows))
    assert outcome.status == "refused"
    finding = next(f for f in outcome.findings if f.check == "page_header")  # one on each later page
    changed_at = next(i for i, r in enumerate(titles) if str(r[0]).startswith(line))
    # page 1: titles, a blank row, the header, 10 rows; then a blank row and page 2's titles
    assert finding.row == len(titles) + 1 + len(header) + 10 + 1 + changed_at + 1
    assert "one export" in finding.message


def test_a_page_header_with_the_columns_in_another_order_is_refused(tmp_path):
    """Page 2 has Target Volume and Realisasi Volume swapped, header and rows: read by page 1's header, the
    figures would swap silently."""
    titles, header, data = _rows("capaian")
    a, b = header[0].index("Target Volume"), header[0].index("Realisasi Volume")

    def swap(r):
        r = list(r)
        r[a], r[b] = r[b], r[a]
        return r
    rows = [*titles, [None], *header, *data[:40], [None], *titles, swap(header[0]), *map(swap, data[40:])]
    outcome = inspect_file(_xlsx(tmp_path / "swapped.xlsx", rows))
    assert outcome.status == "refused"
    [finding] = [f for f in outcome.findings if f.check == "page_header"]
    assert finding.row == len(titles) + 3 + 40 + len(titles) + 1
    assert (finding.column, finding.value) == ("Target Volume", "Realisasi Volume")
    assert f"column {a + 1}" in finding.message and "another order" in finding.message


def test_page_footers_are_skipped_on_every_page_the_last_too(tmp_path):
    titles, header, data = _rows("sampel")
    for footer in (lambda page, pages: [[f"Halaman {page} dari {pages}"]],
                   lambda page, pages: [["Dicetak oleh: admin_dumai", None, None, None, f"Hal. {page}/{pages}"]],
                   lambda page, pages: [[None], ["Dicetak oleh SIPT pada 01/07/2025 10:15"]]):
        rows = _paged(titles, header, data, 30, titles + header, footer)
        outcome = inspect_file(_xlsx(tmp_path / "footers.xlsx", rows))
        assert outcome.status == "accepted", outcome.findings[:3]
        assert _same(outcome.export, read_export(SOURCES["sampel"]))


def test_title_lines_over_several_cells_in_a_repeated_page_header_are_skipped(tmp_path):
    titles, header, data = _rows("glp039")

    def spread(r):
        if (r[0] or "").startswith("SATKER"):  # SATKER | : | 672849 | - BALAI POM DI DUMAI
            return ["SATKER", ":", *r[0].split(" : ")[1].split(" ", 1), *r[4:]]
        return [*r[0].split(" : ", 1), *r[2:]] if " : " in (r[0] or "") else r
    rows = _paged(titles, header, data, 40, [spread(r) for r in titles] + header)
    outcome = inspect_file(_xlsx(tmp_path / "spread.xlsx", rows))
    assert outcome.status == "accepted", outcome.findings[:3]
    assert _same(outcome.export, read_export(SOURCES["glp039"]))


def test_a_totals_row_after_each_page_is_refused_naming_its_row(tmp_path):
    titles, header, data = _rows("realisasi")
    rows = _paged(titles, header, data, 10, header, lambda page, pages: [["Jumlah", "", "", "", "10"]])
    outcome = inspect_file(_csv(tmp_path / "totals.csv", rows))
    assert outcome.status == "refused"
    assert (outcome.findings[0].row, outcome.findings[0].value) == (len(titles) + 3 + 10, "Jumlah")


def test_a_data_row_that_mentions_a_year_above_a_page_header_is_kept(tmp_path):
    titles, header, data = _rows("realisasi")
    rows = [list(r) for r in data]
    rows[9][header[0].index("Keterangan")] = "Tahun 2025: target tercapai"  # the last row of page 1
    outcome = inspect_file(_csv(tmp_path / "r.csv", _paged(titles, header, rows, 10, titles + header)))
    assert outcome.status == "accepted", outcome.findings[:3]
    assert "Tahun 2025: target tercapai" in outcome.export.data["keterangan"].to_list()
    assert outcome.export.data.height == len(data)


def test_without_an_export_date_no_date_or_month_may_be_after_today(tmp_path):
    """A file that does not say when it was exported was exported today at the latest: a Realisasi export of
    next year's months, or a titled SIPT export without its Tanggal Cetak whose LHU is still to come, is
    refused, naming the row."""
    next_year = dt.date.today().year + 1
    _, header, data = _rows("realisasi")
    ahead = [[next_year if i == 0 else v for i, v in enumerate(r)] for r in data]
    outcome = inspect_file(_csv(tmp_path / "realisasi.csv", header + ahead))
    assert outcome.status == "refused"
    periods = [f for f in outcome.findings if f.check == "period"]
    assert periods and periods[0].row == 2 and f"of {next_year} had not begun by today" in periods[0].message

    titles, header, data = _rows("pemeriksaan")
    titles = [r for r in titles if not str(r[0]).startswith("Tanggal")]  # no Tanggal Cetak
    later = [list(r) for r in data]
    report = header[0].index("Tanggal Laporan")
    later[4][report] = dt.datetime(next_year, 1, 15)
    outcome = inspect_file(_csv(tmp_path / "pemeriksaan.csv", titles + [[]] + header + later))
    assert outcome.status == "refused"
    assert [(f.check, f.row, f.column) for f in outcome.findings] == [
        ("date_not_after_export", len(titles) + 2 + 5, "Tanggal Laporan")], outcome.findings[:3]
    assert f"15/01/{next_year} is after today" in outcome.findings[0].message


def test_a_page_total_of_a_budget_report_is_named_as_the_file_names_it(tmp_path):
    """A GLP039 printed with a "Jumlah Halaman" row under each page: not the report's total, and the finding
    says which row it is."""
    titles, header, data = _rows("glp039")
    uraian = header[1].index("Uraian") if "Uraian" in header[1] else header[0].index("Uraian")
    total = [None] * len(header[0])
    total[uraian] = "Jumlah Halaman"
    total[uraian + 1] = 12345
    rows = titles + [[]] + header + data[:10] + [total] + data[10:]
    outcome = inspect_file(_xlsx(tmp_path / "glp039.xlsx", rows))
    assert outcome.status == "refused"
    subtotal = [f for f in outcome.findings if f.check == "subtotal"]
    assert subtotal and all("subtotal row Jumlah Halaman" in f.message for f in subtotal)


def test_a_realisasi_export_of_the_whole_year_with_later_months_empty_is_read(tmp_path, monkeypatch):
    """SIMETRIS may list every month of the year with the later ones still empty: with no export date stated,
    only a month that holds a value must have begun by today; and next year's RAPK, dropped in early, is
    accepted."""
    from builders import write_rapk, write_realisasi
    from sakip import schemas
    monkeypatch.setattr(schemas, "today", lambda: dt.date(2026, 7, 3))
    rows = [("IKU1.1", m, 90.0 if m <= 6 else None) for m in range(1, 13)]
    outcome = inspect_file(write_realisasi(tmp_path / "realisasi.csv", rows, tahun=2026))
    assert outcome.status == "accepted", outcome.findings[:3]
    assert outcome.export.bulan == 6
    rows[7] = ("IKU1.1", 8, 91.0)  # a value in August, before August came: refused, naming its row
    outcome = inspect_file(write_realisasi(tmp_path / "august.csv", rows, tahun=2026))
    assert [(f.check, f.row) for f in outcome.findings] == [("period", 11)]  # the 8th data row

    plan = write_rapk(tmp_path / "rapk.csv", [{"kode_iku": "IKU1.1", "targets": {1: 10}}], tahun=2027)
    outcome = inspect_file(plan)
    assert outcome.status == "accepted", outcome.findings[:3]
