"""The synthetic data generator (sakip/synth.py): deterministic, sizes within the documented ranges, every good
export read and validated clean by the real readers and schemas, every bad one refused by its expected check,
and a pipeline run on the result that accepts the good files and publishes an NKO row per unit."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from builders import published, run, validate
from devtools.synth import main, synth
from sakip.findings import Finding
from sakip.readers import read_export

SEED = 3            # its one bad file is not a SIMETRIS export (see test_pipeline_accepts_the_good_files)
UNITS, MONTHS = 2, 2


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("synth") / "a"
    return out, synth(UNITS, MONTHS, out, seed=SEED, workers=1)


def _files(out: Path) -> list[dict]:
    with (out / "files.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _findings(path: Path, registry: set[str]):
    export = read_export(path)
    findings = list(export.findings)
    if export.kind is not None and export.data is not None and export.data.height:
        findings += validate(export)
        if export.satker not in registry:
            findings.append(Finding("satker_registry", f"satker {export.satker} not registered"))
    return export, findings


def test_same_seed_same_bytes_in_parallel_too(generated, tmp_path):
    out, manifest = generated
    again = synth(UNITS, MONTHS, tmp_path / "b", seed=SEED, workers=2)
    assert again == manifest
    assert (tmp_path / "b" / "manifest.json").read_bytes() == (out / "manifest.json").read_bytes()
    names = sorted(p.name for p in (out / "inbox").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b" / "inbox").iterdir())
    some = [n for n in names if n.startswith(("GLP039_", "SIPT_Sampel_", "RAPK_", "POK_"))]
    for name in some:
        assert (out / "inbox" / name).read_bytes() == (tmp_path / "b" / "inbox" / name).read_bytes(), name
    for name in ("upt.csv", "anggaran_kelompok.csv", "renlak_sampel.csv"):
        assert (out / "reference" / name).read_bytes() == (tmp_path / "b" / "reference" / name).read_bytes()


def test_another_seed_gives_other_units(generated, tmp_path):
    _, manifest = generated
    other = synth(1, 1, tmp_path / "c", seed=SEED + 1, workers=1)
    assert other["satkers"][0] not in manifest["satkers"]


def test_manifest_counts_and_sizes(generated):
    out, manifest = generated
    assert (manifest["units"], manifest["months"], manifest["year"], manifest["seed"]) == (UNITS, MONTHS, 2025, SEED)
    satkers = manifest["satkers"]
    assert len(set(satkers)) == UNITS and all(len(s) == 6 and s.startswith("9") for s in satkers)
    per_source = manifest["files"]["per_source"]
    assert per_source["simetris_rapk"] == per_source["sakti_pok"] == UNITS
    for src in ("simetris_realisasi", "sakti_realisasi", "sakti_capaian_output", "sipt_sampel", "sipt_pemeriksaan",
                "sipt_rekomendasi"):
        assert per_source[src] == UNITS * MONTHS, src
    sizes = manifest["sizes"]
    assert all(1000 <= n <= 8000 for n in sizes["akun_lines_per_unit"].values())
    assert all(20 <= n <= 400 for v in sizes["new_samples_per_unit_month"].values() for n in v)
    assert all(10 <= n <= 300 for v in sizes["new_inspections_per_unit_month"].values() for n in v)
    assert all(1 <= n <= 6 for v in sizes["new_recommendations_per_unit_month"].values() for n in v)
    # at least one bad file (2 units x 2 months), about 2 % of the good ones
    assert 1 <= manifest["files"]["bad"] <= max(1, round(0.02 * manifest["files"]["good"]))
    files = _files(out)
    assert len(files) == manifest["files"]["total"] == len(list((out / "inbox").iterdir()))
    assert len({f["file"] for f in files}) == len(files)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == manifest
    with (out / "bad_files.csv").open(encoding="utf-8") as f:
        bad = list(csv.DictReader(f))
    assert [b["file"] for b in bad] == [f["file"] for f in files if f["bad"] == "True"]
    assert all(b["expected_check"] and b["what_is_wrong"] for b in bad)
    # the reference folder: every bundled CSV, with the units registered and mapped
    reference = out / "reference"
    bundled = Path(__file__).resolve().parent.parent / "sakip" / "reference"
    assert sorted(p.name for p in reference.glob("*.csv")) == sorted(p.name for p in bundled.glob("*.csv"))
    with (reference / "upt.csv").open(encoding="utf-8") as f:
        upt = {r["kode_satker"]: r for r in csv.DictReader(f)}
    assert "672849" in upt and all(s in upt for s in satkers)
    assert all(upt[s]["nama_satker"].startswith(("Balai Besar POM di", "Balai POM di", "Loka POM di"))
               for s in satkers)
    for name in ("kelompok_iku", "anggaran_kelompok", "iku_tahunan", "iku_sipt", "renlak_sampel",
                 "rencana_pemeriksaan", "sarana_fortifikasi"):
        with (reference / f"{name}.csv").open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        template = sum(1 for r in rows if r["kode_satker"] == "672849")
        for s in satkers:
            assert sum(1 for r in rows if r["kode_satker"] == s) >= template > 0, (name, s)


def test_every_good_file_is_read_and_validated_clean(generated):
    out, _ = generated
    registry = {s for s in json.loads((out / "manifest.json").read_text())["satkers"]}
    formats = set()
    for rec in _files(out):
        if rec["bad"] == "True":
            continue
        export, findings = _findings(out / rec["file"], registry)
        assert findings == [], (rec["file"], findings[:3])
        assert export.kind.name == rec["source"], rec["file"]
        assert export.satker == rec["satker"], rec["file"]
        assert export.bulan == (int(rec["month"]) if rec["month"] else None), rec["file"]
        assert export.tahun == 2025
        assert export.data.height == int(rec["rows"]), rec["file"]
        formats.add(rec["format"])
    assert "xlsx" in formats and any(f.startswith("csv") for f in formats)


def test_every_bad_file_is_refused_by_its_check(generated):
    out, _ = generated
    registry = {s for s in json.loads((out / "manifest.json").read_text())["satkers"]}
    bad = [r for r in _files(out) if r["bad"] == "True"]
    assert bad
    for rec in bad:
        export, findings = _findings(out / rec["file"], registry)
        assert rec["expected_check"] in {f.check for f in findings}, (rec, findings[:5])
        good = out / rec["file"].replace(" (1)", "")
        assert good.exists()       # the good export of the same source, unit and month is there too


def test_a_bad_copy_of_every_source_is_refused_by_its_check(tmp_path):
    """One unit, one month, a bad copy of each of its eight exports."""
    manifest = synth(1, 1, tmp_path, seed=3, bad_share=1.0, workers=1)
    bad = [r for r in _files(tmp_path) if r["bad"] == "True"]
    assert sorted(r["source"] for r in bad) == sorted(manifest["files"]["per_source"])
    for rec in bad:
        _, findings = _findings(tmp_path / rec["file"], set(manifest["satkers"]))
        assert rec["expected_check"] in {f.check for f in findings}, (rec, findings[:5])


def test_pipeline_accepts_the_good_files_and_publishes_nko_per_unit(generated, tmp_path, monkeypatch):
    out, manifest = generated
    bad = {Path(b["file"]).name: b for b in manifest["bad_files"]}
    # A refused SIMETRIS export keeps its unit's NKO at the last good version (none on a first run): the seed
    # is chosen so that every unit publishes one.
    assert not any(b["source"].startswith("simetris") for b in bad.values())
    monkeypatch.setenv("SAKIP_REFERENCE_DIR", str(out / "reference"))
    wh = tmp_path / "wh"
    result = run(out / "inbox", wh, 2025, MONTHS)
    for outcome in result.files:
        if outcome.name in bad:
            assert outcome.status == "refused", outcome.summary()
            assert bad[outcome.name]["expected_check"] in {f.check for f in outcome.findings}
        else:
            assert outcome.status == "accepted", outcome.summary()
    assert result.exit_code == 2
    rows = published(wh, "select kode_satker, nama_satker, jumlah_iku, jumlah_diukur, nko from mart.nko "
                         "where tahun = 2025 and bulan = ? order by 1", [MONTHS])
    assert [r[0] for r in rows] == sorted(manifest["satkers"])
    assert all(r[1] and r[2] == 24 for r in rows)
    assert all(r[3] > 0 and r[4] > 0 for r in rows)    # with this seed both units set monthly targets
    # budget tables: every unit (on a first run there is no earlier version to keep, so what was accepted is
    # published), marked stale where a SAKTI export of the unit was refused
    refused_sakti = {f["satker"] for f in _files(out) if f["bad"] == "True" and f["source"].startswith("sakti_")
                     and f["expected_check"] != "satker_registry"}
    budget = published(wh, "select distinct kode_satker from mart.realisasi_anggaran where bulan = ? order by 1",
                       [MONTHS])
    assert [r[0] for r in budget] == sorted(manifest["satkers"])
    stale = published(wh, "select distinct kode_satker from audit.freshness where status = 'stale' "
                          "and tabel = 'realisasi_anggaran'")
    assert {r[0] for r in stale} <= refused_sakti


def test_command_line(tmp_path, capsys):
    assert main(["--units", "1", "--months", "1", "--out", str(tmp_path / "x"), "--seed", "2"]) == 0
    assert "1 units x 1 months of 2025" in capsys.readouterr().out
    assert (tmp_path / "x" / "manifest.json").exists()
    assert main(["--units", "1", "--months", "13", "--out", str(tmp_path / "y")]) == 2
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "inbox").mkdir()
    (tmp_path / "z" / "inbox" / "mine.csv").write_text("x")
    assert main(["--units", "1", "--months", "1", "--out", str(tmp_path / "z")]) == 2   # not ours: untouched
    assert (tmp_path / "z" / "inbox" / "mine.csv").exists()
