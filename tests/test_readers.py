import csv
import datetime as dt

import pytest
import xlsxwriter

from builders import write_rapk, write_realisasi
from conftest import DEMO_INBOX
from sakip.readers import read_export


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """These tests read the checks' English messages (tests/test_messages_id.py: the Indonesian default)."""
    monkeypatch.setenv("SAKIP_LANG", "en")


def test_the_bundled_exports_are_recognised_with_their_satker_and_period():
    seen = {}
    for path in sorted(DEMO_INBOX.iterdir()):
        export = read_export(path)
        assert export.findings == [], (path.name, export.findings[:3])
        seen.setdefault(export.kind.name, []).append((export.satker, export.period, export.exported_at))
    assert seen == {
        "simetris_rapk": [("672849", "2025", dt.date(2025, 7, 1))],
        # March's (B03, downloaded 1 April) and June's, in file-name order
        "simetris_realisasi": [("672849", "2025-03", dt.date(2025, 4, 1)), ("672849", "2025-06", dt.date(2025, 7, 1))],
        "sakti_realisasi": [("672849", "2025-06", dt.date(2025, 7, 1))],
        "sakti_pok": [("672849", "2025", dt.date(2025, 7, 1))],
        "sakti_capaian_output": [("672849", "2025-06", dt.date(2025, 7, 1))],
        "sipt_sampel": [("672849", "2025-06", dt.date(2025, 7, 1))],
        "sipt_pemeriksaan": [("672849", "2025-06", dt.date(2025, 7, 1))],
        "sipt_rekomendasi": [("672849", "2025-06", dt.date(2025, 7, 1))],
    }


def test_two_row_header_of_glp039_is_joined_and_rows_keep_their_file_row_numbers():
    export = read_export(DEMO_INBOX / "GLP039_672849_JUNI_2025.xlsx")
    assert export.header_row == 7
    data = export.data
    assert {"realisasi_periode_lalu", "realisasi_periode_ini", "realisasi_sd_periode"} <= set(data.columns)
    total = data.filter(data["uraian"] == "JUMLAH SELURUHNYA").row(0, named=True)
    assert total["_row"] == 9  # title rows 1-5, blank 6, header 7-8
    assert total["pagu_revisi"] == 3882835000.0
    assert total["realisasi_sd_periode"] == 1601792883.0
    leaves = data.filter(data["akun"].is_not_null())
    assert leaves["realisasi_sd_periode"].sum() == 1601792883.0


def test_semicolon_csv_in_windows_1252_with_indonesian_numbers(tmp_path):
    path = tmp_path / "realisasi.csv"
    text = ("Realisasi Kinerja – Tahun 2025\r\n\r\nTahun;Kode Satker;Kode IKU;Bulan;Realisasi;Keterangan\r\n"
            "2025;672849;IKU1.1;Juni;1.093,96;catatan é\r\n")
    path.write_bytes(text.encode("cp1252"))
    export = read_export(path)
    assert export.kind.name == "simetris_realisasi"
    row = export.data.row(0, named=True)
    assert (row["realisasi"], row["bulan"], row["keterangan"], row["_row"]) == (1093.96, 6, "catatan é", 4)


def test_comma_csv_with_plain_numbers_and_moved_columns(tmp_path):
    path = tmp_path / "realisasi.csv"
    path.write_text("Keterangan,Bulan,Realisasi,Kode IKU,Kode Satker,Tahun\n,6,6.5,IKU1.1,672849,2025\n")
    export = read_export(path)
    assert export.data.row(0, named=True)["realisasi"] == 6.5


@pytest.mark.parametrize("text", [
    "a;b\nc;d\n", "a;b\r\n\r\nc\n", "a;;b;\n;\n\n", "a;b", "\na;b\n\n\n", " a ; b \r\n;é;\t\n",
    "a;b\nc;d;e;f\ng\n",
])
def test_a_csv_without_quotes_is_split_natively_into_the_cells_the_csv_module_gives(text):
    """Without a quote a row is a line: polars splits it (a national month's CSV files 2.5 x faster), into the
    grid the csv module's rows give (short rows, empty lines, CRLF, spaces kept)."""
    import polars as pl

    from sakip.readers import _csv_rows, _grid, _split_plain
    from sakip.readers.limits import current

    limits = current()
    fast = _split_plain(text, ";", limits)
    assert fast is not None
    rows = _csv_rows(text, ";", limits)
    width = max(len(r) for r in rows)
    slow = pl.DataFrame({f"c{j}": [r[j] if j < len(r) else "" for r in rows] for j in range(width)})
    assert _grid(fast, "id", limits, "csv").cells.equals(_grid(slow, "id", limits, "csv").cells)


@pytest.mark.parametrize("text", ['a;"b;c"\n', "a;b\rc;d\n", "a\nb\n", "a;b\n" + "c" * 40_000 + ";d\n"])
def test_a_csv_with_quotes_a_lone_cr_one_column_or_a_huge_cell_is_left_to_the_csv_module(text):
    from sakip.readers import _split_plain
    from sakip.readers.limits import current

    assert _split_plain(text, ";", current()) is None


def test_repeated_page_header_and_blank_rows_are_skipped(tmp_path):
    path = write_realisasi(tmp_path / "r.csv", [("IKU1.1", 6, 90.0)])
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines + ["", lines[2], "2025,672849,IKU1.2,B06,80,"]) + "\n")
    export = read_export(path)
    assert export.data["kode_iku"].to_list() == ["IKU1.1", "IKU1.2"]
    assert export.findings == []


def test_a_page_header_among_many_distinct_rows_drops_that_row_only(tmp_path):
    """Labels are found among a column's distinct texts: each row keeps its own verdict however many texts
    there are, and however they are ordered when found."""
    rows = [(f"IKU{i}.{j}", 6, float(i * 10 + j)) for i in range(1, 31) for j in range(1, 11)]
    path = write_realisasi(tmp_path / "r.csv", rows)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:100] + [lines[2]] + lines[100:250] + [lines[2]] + lines[250:]) + "\n")
    export = read_export(path)
    assert export.data["kode_iku"].to_list() == [r[0] for r in rows]
    assert export.data["_row"].to_list() == [*range(4, 101), *range(102, 252), *range(253, 306)]
    assert export.findings == []


def test_an_unknown_file_says_what_was_expected(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("Nama,Alamat\nBudi,Dumai\n")
    export = read_export(path)
    assert export.kind is None
    assert "not a recognised export" in export.findings[0].message
    assert "Kode IKU" in export.findings[0].message


def test_a_missing_required_column_is_named(tmp_path):
    path = tmp_path / "realisasi.csv"
    path.write_text("Tahun,Kode Satker,Kode IKU,Realisasi\n2025,672849,IKU1.1,6.5\n")
    export = read_export(path)
    message = export.findings[0].message
    assert "SIMETRIS Realisasi" in message and "lacks Bulan" in message


def test_cells_that_are_not_numbers_become_findings_with_row_and_column(tmp_path):
    path = write_realisasi(tmp_path / "r.csv", [("IKU1.1", 6, 90.0)], sep=";")
    path.write_text(path.read_text().replace("90", "sembilan puluh"))
    export = read_export(path)
    [finding] = export.findings
    assert (finding.row, finding.column, finding.value, finding.check) == (4, "Realisasi", "sembilan puluh", "number")


def test_xlsx_with_title_rows_date_cells_and_a_sheet_name_with_trailing_space(tmp_path):
    path = tmp_path / "rapk.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("RAPK ")
    sheet.write(0, 0, "RENCANA AKSI PERJANJIAN KINERJA")
    sheet.write(1, 0, "Tanggal Unduh : 02 Juli 2025")
    header = ["Tahun", "Kode Satker", "Kode SS", "Sasaran Strategis", "Kode IKU", "Indikator Kinerja", "Satuan",
              "Polaritas", "Target PK", *[f"B{m:02d}" for m in range(1, 13)], "Revisi", "Tanggal Berlaku"]
    sheet.write_row(3, 0, header)
    sheet.write_row(4, 0, [2025, "672849", "SS1", "S", "IKU1.1", "I", "%", "Minimize", "7,5"])
    sheet.write_number(4, 14, 7)
    sheet.write_number(4, 21, 1)
    sheet.write_datetime(4, 22, dt.datetime(2025, 4, 15), book.add_format({"num_format": "dd/mm/yyyy"}))
    book.close()
    export = read_export(path)
    assert export.findings == []
    row = export.data.row(0, named=True)
    assert (row["target_pk"], row["b06"], row["b01"], row["revisi"], row["tanggal_berlaku"]) == \
        (7.5, 7.0, None, 1, dt.date(2025, 4, 15))
    assert export.exported_at == dt.date(2025, 7, 2)
    assert export.sheet == "RAPK "


def test_rapk_builder_round_trip(tmp_path):
    path = write_rapk(tmp_path / "rapk.csv", [{"kode_iku": "IKU9", "targets": {6: 12.5}}], sep=";")
    export = read_export(path)
    assert export.findings == []
    assert export.data.row(0, named=True)["b06"] == 12.5


def _xlsx(path, rows, start_row=0, sheet="Sheet1"):
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet(sheet)
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                ws.write(start_row + i, j, v)
    book.close()
    return path


REALISASI = ["Tahun", "Kode Satker", "Kode IKU", "Bulan", "Realisasi"]


def test_a_sheet_that_starts_below_row_1_keeps_excel_row_numbers(tmp_path):
    path = _xlsx(tmp_path / "r.xlsx", [["REALISASI"], [], REALISASI, [2025, "672849", "IKU1", 6, 93.96]],
                 start_row=3)
    export = read_export(path)
    assert export.findings == []
    assert export.header_row == 6
    row = export.data.row(0, named=True)
    assert (row["_row"], row["realisasi"]) == (7, 93.96)


def test_numbers_and_text_in_one_xlsx_column_each_read_by_their_own_type(tmp_path):
    # 9.125 is a numeric cell; "1.250,5" and "-" are text: Indonesian, and "none"
    path = _xlsx(tmp_path / "r.xlsx", [REALISASI, [2025, "672849", "A", 6, 9.125], [2025, "672849", "B", 6, "-"],
                                       [2025, "672849", "C", 6, "1.250,5"], [2025, "672849", "D", 6, 0.125]])
    export = read_export(path)
    assert export.findings == []
    assert export.data["realisasi"].to_list() == [9.125, None, 1250.5, 0.125]


def test_an_excel_error_cell_is_refused_not_read_as_none():
    from conftest import ROOT
    export = read_export(ROOT / "tests" / "corpus" / "bad" / "pok_januari_excel_error_ref.xlsx")
    [finding] = [f for f in export.findings if f.check == "number"]
    assert finding.value == "#REF!" and finding.column == "Januari"


def test_a_repeated_two_row_page_header_is_skipped(tmp_path):
    import openpyxl
    source = DEMO_INBOX / "GLP039_672849_JUNI_2025.xlsx"
    book = openpyxl.load_workbook(source)
    sheet = book.worksheets[0]
    header = [[c.value for c in sheet[r]] for r in (7, 8)]
    sheet.insert_rows(60, 2)
    for i, values in enumerate(header):
        for j, v in enumerate(values, start=1):
            sheet.cell(60 + i, j).value = v
    book.save(tmp_path / "glp.xlsx")
    export = read_export(tmp_path / "glp.xlsx")
    assert export.findings == []
    assert export.data.height == read_export(source).data.height


def test_the_period_of_a_realisasi_export_is_its_last_month_with_a_value(tmp_path):
    path = write_realisasi(tmp_path / "r.csv", [("A", m, 50.0 if m <= 6 else None) for m in range(1, 13)])
    assert read_export(path).bulan == 6


def test_an_ambiguous_number_is_read_by_its_cell_type_and_the_others_in_one_pass(tmp_path):
    # A numeric cell 1.812 reaches the text grid as "1.812", which as Indonesian text would be 1812: the
    # column is read again with its types. Without that shape one reading is enough: 9.12 can only be 9.12.
    path = _xlsx(tmp_path / "r.xlsx", [REALISASI, [2025, "672849", "A", 6, 1.812], [2025, "672849", "B", 6, "1.250,5"],
                                       [2025, "672849", "C", 6, "9.12"], [2025, "672849", "D", 6, 7.5]])
    assert read_export(path).data["realisasi"].to_list() == [1.812, 1250.5, 9.12, 7.5]
    plain = _xlsx(tmp_path / "p.xlsx", [REALISASI, [2025, "672849", "A", 6, "9.12"], [2025, "672849", "B", 6, 1250.5],
                                        [2025, "672849", "C", 6, "1.250,5"]])
    export = read_export(plain)
    assert export.findings == []
    assert export.data["realisasi"].to_list() == [9.12, 1250.5, 1250.5]


def _sheet_rows(path):
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        return [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _write_xlsx(path, rows):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(i, j, value, dates)
            elif value is not None:
                sheet.write(i, j, value)
    book.close()
    return path


def _same_rows(a, b):
    return a.data.drop("_row").rows() == b.data.drop("_row").rows()


def test_a_header_only_sipt_export_takes_its_period_from_its_latest_date(tmp_path):
    """A plain download or a copied table: no title rows. Satker from Kode Satker, year and period from the
    latest date the rows hold, and the summary says so."""
    original = DEMO_INBOX / "SIPT_Sampel_672849_2025_B06.xlsx"
    rows = _sheet_rows(original)
    header = next(i for i, r in enumerate(rows) if r and r[0] == "No")
    bare = read_export(_write_xlsx(tmp_path / "sampel.xlsx", rows[header:]))
    full = read_export(original)
    assert bare.findings == [] and (bare.satker, bare.period) == (full.satker, full.period) == ("672849", "2025-06")
    assert bare.inferred.startswith("period inferred from the latest date in the rows: Tanggal")
    assert full.inferred is None and _same_rows(bare, full)
    as_csv = tmp_path / "sampel.csv"
    with as_csv.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";").writerows(
            ["" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, dt.datetime) else str(v) for v in r]
            for r in rows[header:])
    from_csv = read_export(as_csv)
    assert from_csv.findings == [] and from_csv.period == "2025-06" and _same_rows(from_csv, full)


def test_a_sakti_report_printed_with_page_breaks_reads_as_the_one_without(tmp_path):
    """Each page repeats the report's title lines and the two-row column header: they are skipped."""
    original = DEMO_INBOX / "GLP039_672849_JUNI_2025.xlsx"
    rows = _sheet_rows(original)
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Program/Kegiatan")
    page_header = [r for r in rows[:header] if any(v is not None for v in r)] + rows[header:header + 2]
    data = rows[header + 2:]
    paged = rows[:header + 2]
    for start in range(0, len(data), 40):
        if start:
            paged += [[None]] + page_header
        paged += data[start:start + 40]
    printed = read_export(_write_xlsx(tmp_path / "glp039.xlsx", paged))
    plain = read_export(original)
    assert printed.findings == [] and plain.findings == []
    assert (printed.satker, printed.period) == ("672849", "2025-06")
    assert _same_rows(printed, plain) and printed.data.height == plain.data.height > 100


def test_a_header_only_sample_csv_computes_the_same_sla_figures(tmp_path):
    import shutil

    from builders import published, run

    rows = _sheet_rows(DEMO_INBOX / "SIPT_Sampel_672849_2025_B06.xlsx")
    header = next(i for i, r in enumerate(rows) if r and r[0] == "No")
    inbox = tmp_path / "inbox"
    shutil.copytree(DEMO_INBOX, inbox)
    (inbox / "SIPT_Sampel_672849_2025_B06.xlsx").unlink()
    with (inbox / "sampel (copied table).csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";").writerows(
            ["" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, dt.datetime) else str(v) for v in r]
            for r in rows[header:])
    bare, titled = run(inbox, tmp_path / "bare", 2025, 6), run(DEMO_INBOX, tmp_path / "titled", 2025, 6)
    assert bare.exit_code == titled.exit_code == 0
    [sampel] = [o for o in bare.files if o.kind == "sipt_sampel"]
    assert "period inferred from the latest date in the rows" in sampel.summary()
    for table in ("sla_pengujian", "sla_ringkasan", "sampel_ringkasan"):
        query = f"select * from mart.{table} order by all"
        assert published(tmp_path / "bare", query) == published(tmp_path / "titled", query), table
    assert published(tmp_path / "bare", "select count(*) from mart.sla_pengujian")[0][0] > 100  # not two empties


def _frames_and_findings(exports):
    return [(e.data.to_dicts(), [(f.check, f.row, f.column, f.value, f.message) for f in e.findings], e.satker,
             e.period) for e in exports]


def test_files_of_one_layout_are_parsed_together_as_each_would_be_alone(tmp_path, monkeypatch):
    """A batch's small files of one layout share one parse (a query's fixed cost is most of a small file's
    reading); every file's frame and findings are those it has read alone, a bad cell's file its own."""
    import sakip.readers as readers

    paths = [write_realisasi(tmp_path / "a.csv", [("IKU1.1", 6, 90.0), ("IKU1.2", 6, 80.5)]),
             write_realisasi(tmp_path / "b.csv", [("IKU1.1", 5, 70.0)]),
             write_realisasi(tmp_path / "c.csv", [("IKU1.1", 6, 91.0), ("IKU1.3", 6, 60.0)]),
             *sorted(DEMO_INBOX.iterdir())]
    paths[1].write_text(paths[1].read_text().replace("70", "tujuh puluh"))  # a bad number in one file only
    alone = [read_export(p) for p in paths]
    calls = []
    real = readers._parse
    monkeypatch.setattr(readers, "_parse", lambda started: calls.append(started.path) or real(started))
    together = readers.finish_exports([readers.start_export(p) for p in paths])
    assert _frames_and_findings(together) == _frames_and_findings(alone)
    assert [f.check for f in together[1].findings] == ["number"] and not together[0].findings
    # the three CSVs of one layout in one parse (it carries the first one's name), not one each
    assert [c.name for c in calls if c.parent == tmp_path] == ["a.csv"]
    assert len(calls) < len(paths) - 1


def test_a_failure_of_the_stacked_parse_is_retried_file_by_file_and_a_signal_stops(tmp_path, monkeypatch):
    import sakip.readers as readers

    class PanicException(BaseException):  # what a Rust panic raises through PyO3: not an Exception
        pass

    class TerminationSignal(BaseException):
        pass

    paths = [write_realisasi(tmp_path / f"{m}.csv", [("IKU1.1", m, 90.0)]) for m in (5, 6)]
    alone = [read_export(p) for p in paths]

    def panics(members):
        raise PanicException("stacked")
    monkeypatch.setattr(readers, "_parse_stacked", panics)
    together = readers.finish_exports([readers.start_export(p) for p in paths])
    assert _frames_and_findings(together) == _frames_and_findings(alone)

    def stops(members):
        raise TerminationSignal()
    monkeypatch.setattr(readers, "_parse_stacked", stops)
    with pytest.raises(TerminationSignal):
        readers.finish_exports([readers.start_export(p) for p in paths])
