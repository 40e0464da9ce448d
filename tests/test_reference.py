"""The planners' reference data is checked before a run uses it: overlapping and gapped bands, a missing
parameter, a year without a profile, a broken registry or budget map each refuse the run (exit 2, alerted)
with the file, the row and the problem; `sakip reference check` lists the same."""
from __future__ import annotations

import csv
import shutil
from collections import Counter

import pytest

from builders import edit_text
from conftest import DEMO_INBOX, ROOT
from sakip.schemas.reference import check_reference, check_template

BUNDLED = ROOT / "sakip" / "reference"
ENGLISH = {"SAKIP_LANG": "en"}  # these tests read the English messages (tests/test_messages_id.py: the default)


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("SAKIP_LANG", "en")


@pytest.fixture
def reference(tmp_path):
    folder = tmp_path / "reference"
    shutil.copytree(BUNDLED, folder)
    return folder


def _lines(folder, years=None):
    return [p.line() for p in check_reference(folder, years)]


def test_the_bundled_reference_data_is_valid():
    assert check_reference(BUNDLED, {2025}) == []


def test_the_registry_lists_every_upt_with_its_source():
    """76 units (Peraturan BPOM 19/2023 and 3/2025), each with a province and a source; only codes a source
    states are filled in."""
    rows = list(csv.DictReader((BUNDLED / "upt.csv").open(encoding="utf-8")))
    assert len(rows) == 76 and all(r["provinsi"] and r["sumber"] for r in rows)
    assert Counter(r["jenis_upt"] for r in rows) == {"Balai Besar POM": 23, "Balai POM": 30, "Loka POM": 23}
    assert [(r["kode_satker"], r["nama_satker"])
            for r in rows if r["kode_satker"]] == [("672849", "Balai POM di Dumai")]


@pytest.mark.parametrize("old, new, expected", [
    # Sangat Baik up to 110 inclusive, and Tidak Dapat Disimpulkan from 110 inclusive: 110 in both
    ("2025,kriteria,Tidak Dapat Disimpulkan,110,false", "2025,kriteria,Tidak Dapat Disimpulkan,110,true",
     "row 2, column bawah, value '110.0': kriteria 2025: 'Sangat Baik' (row 3) and 'Tidak Dapat Disimpulkan' "
     "(row 2) overlap at 110.0 [band_overlap]"),
    # Baik from 92: 90 < x ≤ 92 in no band
    ("2025,kriteria,Baik,90,false,100,false", "2025,kriteria,Baik,92,false,100,false",
     "kriteria 2025: no band holds 90.0 to 92.0, between 'Cukup' (row 5) and 'Baik' (row 4) [band_gap]"),
    ("2025,predikat,Sangat Kurang,,,50,false,", "2025,predikat,Sangat Kurang,10,true,50,false,",
     "predikat 2025: nothing covers values below 10.0"),
    ("2025,kriteria,Sangat Baik,100,true,110,true,", "2025,kriteria,Sangat Baik,100,true,1l0,true,",
     "row 3, column atas, value '1l0': is not a number (decimal point: '.') [reference_type]"),
])
def test_broken_bands_are_found_with_their_row(reference, old, new, expected):
    edit_text(reference / "profil_pita.csv", old, new)
    found = _lines(reference)
    assert any(expected in line and line.startswith(str(reference / "profil_pita.csv")) for line in found), found


def test_other_reference_problems(reference):
    edit_text(reference / "profil_parameter.csv", "2025,standar_efisiensi,1,", "2026,standar_efisiensi,1,")
    edit_text(reference / "upt.csv", "672849,Balai POM di Dumai", "67284,Balai POM di Dumai")
    (reference / "upt.csv").write_text((reference / "upt.csv").read_text()
                                       + "67284,Balai POM di Dumai (lagi),Balai POM,Riau,\n"
                                         ",Balai Besar POM di Medan,Balai Besar POM,Sumatera Utara,\n")
    (reference / "anggaran_kelompok.csv").write_text((reference / "anggaran_kelompok.csv").read_text()
                                                     + "2025,672849,K02,DR.3165.QIC.002,,0.5\n")
    found = "\n".join(_lines(reference, {2025, 2019}))
    assert "the profile of 2025 lacks the parameter standar_efisiensi" in found
    assert "the profile of 2026 lacks the parameter batas_normalisasi" in found
    assert "no methodology profile for 2019 or an earlier year" in found
    assert "upt.csv: row 44, column kode_satker, value '67284': a satker code has six digits" in found
    assert "67284 is listed 2 times (rows 44, 78)" in found
    assert ("column nama_satker, value 'Balai Besar POM di Medan': Balai Besar POM di Medan is listed 2 times "
            "(rows 3, 79)") in found
    # rows 44 and 78; the units without their code yet are not errors
    assert found.count("a satker code has six digits") == 2
    assert "the shares of DR.3165.QIC.002 (672849, 2025) sum to 1.5, not 1" in found


def test_a_row_listed_twice_and_a_bad_report_order_are_found(reference):
    """A weight listed twice once changed the NKO unnoticed (105.73 → 105.95, 25 indicators): each file's key
    is listed once. The report's order of the ROs: full RO codes, places 1, 2 … each once."""
    bobot = reference / "bobot_iku.csv"
    bobot.write_text(bobot.read_text() + "2025,672849,IKU1.1,2,dua kali\n" * 2)
    rows = len(bobot.read_text().splitlines())
    order = reference / "urutan_laporan.csv"
    order.write_text(order.read_text() + "2025,672849,ro,DR.3165.QIA.001,1,\n2025,672849,iku,IKU1.1,1,\n"
                                         "2025,672849,ro,QIA.005,30,\n")
    found = "\n".join(_lines(reference))
    assert (f"bobot_iku.csv: row {rows}, column tahun, kode_satker, kode_iku, value '2025, 672849, IKU1.1': "
            f"tahun 2025, kode_satker 672849, kode_iku IKU1.1 is listed 2 times") in found
    assert "[reference_key]" in found
    assert "urutan_laporan.csv: row 24, column jenis, value 'iku': jenis is ro" in found
    assert "urutan_laporan.csv: row 25, column kode, value 'QIA.005': kode is a full RO code" in found
    # DR.3165.QIA.001 is 17th in the report: listed again at 1, where DR.3165.QIA.005 is
    assert "urutan 1 is listed 2 times (rows 2, 23)" in found


@pytest.mark.parametrize("case", ["overlap", "gap", "parameter", "year"])
def test_a_run_with_broken_reference_data_is_refused_with_exit_2_and_alerted(case, reference, sakip, webhook,
                                                                            tmp_path):
    period = "2025-06"
    if case == "overlap":
        edit_text(reference / "profil_pita.csv", "Tidak Dapat Disimpulkan,110,false",
                  "Tidak Dapat Disimpulkan,110,true")
        expected = "profil_pita.csv: row 2, column bawah, value '110.0': kriteria 2025: 'Sangat Baik' (row 3)"
    elif case == "gap":
        edit_text(reference / "profil_pita.csv", "2025,kriteria,Cukup,60,true,90,true",
              "2025,kriteria,Cukup,60,true,90,false")
        expected = "profil_pita.csv: row 4, column bawah, value '90.0': kriteria 2025: no band holds 90.0"
    elif case == "parameter":
        edit_text(reference / "profil_parameter.csv", "2025,batas_normalisasi,110,", "2025,batas_normalisas,110,")
        expected = "profil_parameter.csv: column parameter, value 'batas_normalisasi': the profile of 2025 lacks"
    else:
        period = "2019-06"   # the bundled profiles: 2021 (partial) and 2025
        expected = "profil_parameter.csv: no methodology profile for 2019 or an earlier year"
    warehouse = tmp_path / "wh"
    result = sakip("run", "--inbox", str(DEMO_INBOX), "--warehouse", str(warehouse), "--period", period,
                   env={"SAKIP_REFERENCE_DIR": str(reference), "SAKIP_ALERT_WEBHOOK_URL": f"{webhook.url}/ref-{case}",
                        "SAKIP_ALERT_RETRY_DELAY": "0.05", **ENGLISH})
    assert result.returncode == 2, result.stdout + result.stderr
    assert expected in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr
    assert not (warehouse / "published.duckdb").exists()
    [sent] = webhook.for_path(f"/ref-{case}")
    assert "problem(s) in the reference data" in sent["subject"] and expected.split(": ", 1)[1] in sent["body"]
    check = sakip("reference", "check", "--dir", str(reference), "--year", period[:4], env=ENGLISH)
    assert check.returncode == 2 and expected in check.stdout


def test_init_writes_the_defaults_once_and_keeps_what_planners_changed(sakip, tmp_path):
    folder = tmp_path / "referensi"
    first = sakip("init", str(folder), env=ENGLISH)
    assert first.returncode == 0 and f"export SAKIP_REFERENCE_DIR={folder}" in first.stdout
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [p.name for p in BUNDLED.glob("*.csv")] + ["templat_laporan_kinerja.docx"])
    upt = folder / "upt.csv"
    upt.write_text(upt.read_text() + "123456,Balai POM di Contoh,Balai POM,Provinsi Contoh\n")
    (folder / "tenggat.csv").unlink()
    again = sakip("init", str(folder), env=ENGLISH)
    kept = len(list(BUNDLED.glob("*.csv")))  # and the template, less the deleted one
    assert f"1 reference file(s) written, {kept} kept as they were" in again.stdout
    assert "123456,Balai POM di Contoh" in upt.read_text()
    assert check_reference(folder, {2025}) == []
    assert check_template(folder) == []


def _template_lines(folder):
    return [p.line() for p in check_template(folder)]


def test_the_templates_problems_are_found_by_the_reference_check(reference, sakip, tmp_path):
    """The installation's Word template, as the drafts will read it: one that no draft can be written from, one
    without a style the drafts use and without the unit's name in its letterhead. `sakip reference check` lists
    them (exit 2); a run is not refused for them (the figures do not need the template)."""
    import docx

    template = reference / "templat_laporan_kinerja.docx"
    assert check_template(reference) == [] and check_template(tmp_path) == []  # none there: the bundled one

    d = docx.Document(str(template))
    d.styles["Placeholder"].delete()
    d.sections[0].header.paragraphs[1].text = "Balai Contoh"
    d.save(str(template))
    assert _template_lines(reference) == [
        f"{template}: has no style 'Placeholder': the drafts use the default style there (docs/templat-laporan.md "
        "lists the styles they use) [template_style]",
        f"{template}: has no {{nama_satker}} in its page headers or footers: the drafts' letterhead will not name "
        "the unit [template_letterhead]"]

    template.write_text("bukan dokumen Word")
    [line] = _template_lines(reference)
    assert line.startswith(f"{template}: is not a Word document (.docx) a Laporan Kinerja can be written from: ")
    assert line.endswith("[template_file]")
    check = sakip("reference", "check", "--dir", str(reference), env=ENGLISH)
    assert check.returncode == 2 and line in check.stdout and "1 problem(s)" in check.stdout, check.stdout
    assert "Traceback" not in check.stdout + check.stderr

    template.unlink()
    template.mkdir()
    assert _template_lines(reference) == [f"{template}: is not a file [template_file]"]


def test_every_reference_check_is_documented():
    """docs/validation.md, section Data referensi, lists every check code the reference check gives, and only
    those."""
    import re

    page = (ROOT / "docs" / "validation.md").read_text()
    table = page.split("## Data referensi", 1)[1].split("| check | what | where |", 1)[1].split("\n\n")[0]
    documented = {code for cell in re.findall(r"^\| ([^|]+) \|", table, re.M) for code in re.findall(r"`(\w+)`", cell)}
    given = set(re.findall(r'Finding\(\s*"(\w+)"', (ROOT / "sakip" / "schemas" / "reference.py").read_text()))
    assert documented == given


def test_reference_tables_are_loaded_again_only_when_their_files_change(reference, tmp_path):
    """A run reloads the reference tables only when what they are made of changed: unchanged files leave them
    as they are (a national run rewrote 16 tables each month); an edited CSV, or a table gone, loads them again."""
    from sakip.warehouse.db import connect, load_reference

    con = connect(tmp_path / "wh.duckdb")
    try:
        load_reference(con, reference)
        name = "select nama_satker from ref.upt where kode_satker = '672849'"
        assert con.execute(name).fetchall() == [("Balai POM di Dumai",)]
        con.execute("update ref.upt set nama_satker = 'left as it was' where kode_satker = '672849'")
        load_reference(con, reference)  # the same files: not loaded again
        assert con.execute(name).fetchall() == [("left as it was",)]

        edit_text(reference / "upt.csv", "Balai POM di Dumai", "Balai POM di Kota Dumai")
        load_reference(con, reference)
        assert con.execute(name).fetchall() == [("Balai POM di Kota Dumai",)]

        days = con.execute("select count(*) from ref.kalender").fetchall()
        con.execute("drop table ref.kalender")
        load_reference(con, reference)
        assert con.execute("select count(*) from ref.kalender").fetchall() == days
    finally:
        con.close()
