"""`sakip laporan` and the monthly run's Laporan Kinerja drafts: written at each quarter's end beside the
workbook and the page, and by the command for any published quarter; refused clearly otherwise."""
from __future__ import annotations

import shutil

import docx

SATKER = "672849"


def _text(path) -> list[str]:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [p.text for p in document.paragraphs] + cells


def test_the_demo_runs_write_a_draft_at_each_quarter_end_beside_the_workbook_and_the_page(template):
    for period in ("2025-03", "2025-06"):
        folder = template / "reports" / SATKER / period
        assert sorted(p.name for p in folder.iterdir()) == ["lampiran.xlsx", "laporan-kinerja.docx",
                                                           "laporan.html"], period
    june = _text(template / "reports" / SATKER / "2025-06" / "laporan-kinerja.docx")
    march = _text(template / "reports" / SATKER / "2025-03" / "laporan-kinerja.docx")
    assert any("TRIWULAN II" in line.upper() for line in june)
    assert any("TRIWULAN I " in line.upper() + " " for line in march)


def test_the_command_writes_the_draft_the_run_wrote(template, sakip, tmp_path):
    out = tmp_path / "draf.docx"
    result = sakip("laporan", "--warehouse", str(template), "--satker", SATKER, "--period", "2025-06",
                   "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"draf Laporan Kinerja ditulis: {out}"
    assert _text(out) == _text(template / "reports" / SATKER / "2025-06" / "laporan-kinerja.docx")


def test_by_default_the_command_writes_beside_the_run_reports(template, sakip, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    target = warehouse / "reports" / SATKER / "2025-03" / "laporan-kinerja.docx"
    target.unlink()
    result = sakip("laporan", "--warehouse", str(warehouse), "--satker", SATKER, "--period", "2025-03")
    assert result.returncode == 0, result.stderr
    assert target.exists() and _text(target)


def test_what_cannot_be_drafted_is_refused_with_a_reason_and_no_traceback(template, sakip, tmp_path):
    cases = [
        (("--satker", SATKER, "--period", "2025-05"), "2025-05 bukan akhir triwulan"),
        (("--satker", SATKER, "--period", "2025-06", "--tahunan"), "ditulis dari bulan Desember, bukan 2025-06"),
        (("--satker", SATKER, "--period", "2025-13"), "2025-13"),
        (("--satker", "999999", "--period", "2025-06"), "999999 2025-06 belum diterbitkan"),
        (("--satker", SATKER, "--period", "2025-09"), f"{SATKER} 2025-09 belum diterbitkan"),
    ]
    for args, message in cases:
        result = sakip("laporan", "--warehouse", str(template), *args, "--out", str(tmp_path / "x.docx"))
        assert result.returncode == 1, args
        assert message in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)
        assert not (tmp_path / "x.docx").exists()
    empty = sakip("laporan", "--warehouse", str(tmp_path / "none"), "--satker", SATKER, "--period", "2025-06")
    assert empty.returncode == 1 and "belum ada yang diterbitkan" in empty.stderr


def test_a_broken_template_is_an_error_in_the_logs_not_a_traceback(template, sakip, tmp_path):
    """A unit's template that is not a Word file: the command says so in one line; the details go to the
    warehouse's logs."""
    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "templat_laporan_kinerja.docx").write_bytes(b"not a zip file")
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    result = sakip("laporan", "--warehouse", str(warehouse), "--satker", SATKER, "--period", "2025-06",
                   env={"SAKIP_REFERENCE_DIR": str(reference)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "templat_laporan_kinerja.docx" in result.stderr, result.stderr


def test_the_command_never_overwrites_the_warehouse_and_replaces_a_file_only_when_told(template, sakip, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(template, warehouse)
    before = {p: p.read_bytes() for p in (warehouse / "published.duckdb", warehouse / "warehouse.duckdb")}
    base = ("laporan", "--warehouse", str(warehouse), "--satker", SATKER, "--period", "2025-06")
    for out, message in ((warehouse / "published.duckdb", "harus berupa berkas .docx"),
                         (warehouse / "x.docx", "berada di dalam warehouse"),
                         (tmp_path / "draf.txt", "harus berupa berkas .docx")):
        refused = sakip(*base, "--out", str(out), "--force")
        assert refused.returncode == 1 and message in refused.stderr, refused.stderr
    assert {p: p.read_bytes() for p in before} == before and not (warehouse / "x.docx").exists()
    mine = tmp_path / "catatan.docx"
    mine.write_bytes(b"a planner's file")
    kept = sakip(*base, "--out", str(mine))
    assert kept.returncode == 1 and "--force" in kept.stderr and mine.read_bytes() == b"a planner's file"
    assert sakip(*base, "--out", str(mine), "--force").returncode == 0
    assert _text(mine)
