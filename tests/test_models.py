"""The models declare themselves (sakip/transforms/*/_*.yml) and the run holds them to it: the graph comes from
DuckDB's parser, each published table's sources from the graph, and a model that breaks its declared key or
columns publishes nothing."""
from __future__ import annotations

import functools
import shutil

import duckdb
import pytest

import sakip.pipeline
from builders import edit_text, published, run
from conftest import DEMO_INBOX
from contract import contract_problems
from sakip.warehouse.db import connect, load_reference
from sakip.warehouse.migrations import CURRENT, NewerWarehouse, migrate
from sakip.warehouse.models import TRANSFORMS_DIR, DeclarationError, load_project
from sakip.warehouse.transform import ModelTestFailed, run_models


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """These tests read the English message of a failed model test."""
    monkeypatch.setenv("SAKIP_LANG", "en")


@pytest.fixture
def transforms(tmp_path):
    folder = tmp_path / "transforms"
    shutil.copytree(TRANSFORMS_DIR, folder)
    return folder


def test_every_model_is_declared_with_its_columns_and_the_graph_comes_from_the_sql():
    project = load_project()
    assert len(project.models) == len(list(TRANSFORMS_DIR.glob("*/*.sql")))
    assert all(model.description and model.columns for model in project.models)
    # parsed, not matched by name: CTE names (`source`, `final`) are not tables read
    assert project.by_name["stg_simetris__rapk"].reads == {"raw.simetris_rapk"}
    assert project.by_name["mart_nko"].reads >= {"int_capaian_berbobot", "ref.upt"}
    order = [model.name for model in project.models]
    assert order.index("int_capaian_iku") < order.index("int_capaian_berbobot") < order.index("mart_nko")
    # capaian_iku shows realisasi_sipt: it depends on the SIPT exports too, which the hand-kept map missed
    assert project.export_sources("mart_capaian_iku") == (
        "simetris_rapk", "simetris_realisasi", "sipt_pemeriksaan", "sipt_rekomendasi", "sipt_sampel")
    assert project.export_sources("mart_nko") == ("simetris_rapk", "simetris_realisasi")
    # the comparison reads the run's own quarters and the published ones
    assert project.by_name["int_capaian_triwulan"].reads == {"int_capaian_iku", "stg_published__capaian_iku"}
    assert project.by_name["stg_published__capaian_iku"].reads == {"run.published_capaian_iku"}
    assert project.export_sources("mart_perbandingan_triwulan") == ("simetris_rapk", "simetris_realisasi")
    assert len(project.published) == 17


def test_an_undeclared_model_or_table_is_found_before_any_run(transforms):
    load_project.cache_clear()
    (transforms / "marts" / "mart_baru.sql").write_text("select * from int_capaian_iku\n")
    with pytest.raises(DeclarationError, match="mart_baru.sql has no declaration in _marts.yml"):
        load_project(transforms)
    (transforms / "marts" / "mart_baru.sql").unlink()
    edit_text(transforms / "marts" / "mart_nko.sql", "select * from ref.upt", "select * from ref.upt_lama")
    with pytest.raises(DeclarationError, match="mart_nko reads ref.upt_lama, which is neither a model nor a "
                                               "declared source"):
        load_project(transforms)
    edit_text(transforms / "marts" / "mart_nko.sql", "select * from ref.upt_lama", "select * from raw.simetris_rapk")
    with pytest.raises(DeclarationError, match="only staging models read raw and audit tables"):
        load_project(transforms)


def test_a_model_whose_columns_drift_from_its_declaration_fails(transforms, tmp_path):
    edit_text(transforms / "marts" / "mart_anggaran_satker.sql", "select * from final",
          "select *, 1 as kolom_baru from final")
    con = connect(tmp_path / "warehouse.duckdb")  # a new warehouse: its raw and audit tables, empty
    load_reference(con)
    with pytest.raises(ModelTestFailed) as failed:
        run_models(con, [("672849", 2025, 6)], transforms)
    assert [(f.model, f.test, f.sample) for f in failed.value.failures] == [
        ("mart_anggaran_satker", "columns as declared", ["kolom_baru INTEGER"])]


def test_a_broken_key_publishes_nothing_and_names_the_model_and_the_test(transforms, tmp_path, monkeypatch):
    warehouse = tmp_path / "wh"
    run(DEMO_INBOX, warehouse, 2025, 6, run_id="good")
    before = published(warehouse, "select * from mart.nko order by all")
    runs = published(warehouse, "select run_id, status from audit.runs order by all")
    # every row of mart_nko twice: its key (kode_satker, tahun, bulan) no longer unique
    edit_text(transforms / "marts" / "mart_nko.sql", "select * from final", "select * from final\nunion all\n"
                                                                       "select * from final")
    monkeypatch.setattr(sakip.pipeline, "run_models", functools.partial(run_models, directory=transforms))
    with pytest.raises(ModelTestFailed) as failed:
        run(DEMO_INBOX, warehouse, 2025, 6, run_id="broken")
    [failure] = failed.value.failures
    assert (failure.model, failure.test, failure.failing) == ("mart_nko", "unique_combination_of_columns", 1)
    assert failure.sample == [("672849", 2025, 6, 2)]
    assert "mart_nko: unique_combination_of_columns fails on 1 row(s), e.g. ('672849', 2025, 6, 2)" in str(failed.value)
    assert published(warehouse, "select * from mart.nko order by all") == before
    assert published(warehouse, "select run_id, status from audit.runs order by all") == runs
    assert contract_problems(warehouse / "published.duckdb") == []


def test_the_contract_finds_a_published_table_that_breaks_its_declaration(tmp_path):
    warehouse = tmp_path / "wh"
    run(DEMO_INBOX, warehouse, 2025, 6)
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(warehouse / "published.duckdb", copy)
    con = duckdb.connect(str(copy))
    con.execute("insert into mart.capaian_iku select * from mart.capaian_iku limit 1")
    con.execute("update mart.capaian_iku set diukur = false where kode_iku = (select min(kode_iku) from "
                "mart.capaian_iku where capaian is not null)")
    con.execute("alter table mart.efisiensi alter ie type float")
    con.close()
    problems = "\n".join(contract_problems(copy))
    assert "mart.capaian_iku: unique_combination_of_columns fails on 1 rows" in problems
    assert "mart.capaian_iku: expression_is_true: a row not measured has no figures fails on" in problems
    assert "mart.efisiensi: columns" in problems and "('ie', 'FLOAT')" in problems


def test_a_refused_sipt_export_leaves_capaian_iku_published_and_marked_partial(tmp_path):
    """capaian_iku.realisasi_sipt comes from the SIPT exports, an early warning (an advisory read in
    _marts.yml): with a SIPT export refused and a corrected Realisasi accepted in the same run, Table 3.1 is
    published from the correction, as the NKO is, and marked partial; the SIPT tables stay at their last
    good rows."""
    inbox, warehouse = tmp_path / "inbox", tmp_path / "wh"
    shutil.copytree(DEMO_INBOX, inbox)
    run(inbox, warehouse, 2025, 6, run_id="first")
    export = inbox / "SIPT_Pemeriksaan_672849_2025_B06.csv"  # cp1252, as SIPT writes it
    export.write_bytes(export.read_bytes().replace(b";Kota Dumai;13/01/2025;", b";Kota Dumai;13/13/2025;", 1))
    realisasi = inbox / "Realisasi_Kinerja_672849_2025_B06.csv"
    text = realisasi.read_text(encoding="utf-8-sig")
    realisasi.write_text(text.replace("Tanggal Unduh : 01/07/2025", "Tanggal Unduh : 02/07/2025")
                         .replace(";IKU1.1;B06;93,96;", ";IKU1.1;B06;50,00;"), encoding="utf-8-sig")
    result = run(inbox, warehouse, 2025, 6, run_id="second")
    assert result.exit_code == 2
    freshness = dict(published(warehouse, "select tabel, status from audit.freshness where kode_satker = '672849' "
                                          "and tahun = 2025 and bulan = 6"))
    assert freshness["capaian_iku"] == "partial"
    assert freshness["pemeriksaan_ringkasan"] == "stale"
    assert freshness["nko"] == freshness["nilai_sasaran"] == freshness["realisasi_anggaran"] == "fresh"
    [(realisasi_iku,)] = published(warehouse, "select realisasi from mart.capaian_iku where kode_iku = 'IKU1.1'")
    [(nko,)] = published(warehouse, "select nko from mart.nko")
    assert realisasi_iku == 50.0 and round(nko, 2) != 105.73  # both from the correction, not one of each
    assert [s.partial for s in result.stale if s.table == "capaian_iku"] == [True]


def test_a_warehouse_of_an_earlier_version_is_migrated_once(tmp_path):
    """A warehouse from before the version table: audit.files without diterima_pada, a model stored as a view
    in its file. Opened by this version it goes through every step, once; a new warehouse through none."""
    path = tmp_path / "warehouse.duckdb"
    con = connect(path)
    con.execute("drop table audit.schema_version")
    con.execute("alter table audit.files drop column diterima_pada")
    con.execute("create view main.mart_nko as select 1 as x")
    con.close()
    con = connect(path)
    assert con.execute("select versi from audit.schema_version").fetchall() == [(CURRENT,)]
    assert "diterima_pada" in [r[0] for r in con.execute("describe audit.files").fetchall()]
    assert con.execute("select count(*) from information_schema.tables where table_schema = 'main' "
                       "and table_name = 'mart_nko'").fetchall() == [(0,)]
    assert migrate(con, created=False) == []  # already current
    con.execute("update audit.schema_version set versi = 2")
    con.execute("insert into audit.validation_failures (pemeriksaan) values ('not_nullable'), ('isin'), ('date')")
    assert migrate(con, created=False) == [3]
    assert sorted(r[0] for r in con.execute("select pemeriksaan from audit.validation_failures").fetchall()) == [
        "allowed_value", "date", "required"]  # the history named as the new findings are
    con.execute(f"update audit.schema_version set versi = {CURRENT + 1}")
    with pytest.raises(NewerWarehouse, match="made by a later version of sakip"):
        migrate(con, created=False)
    con.close()
    fresh = connect(tmp_path / "new.duckdb")
    assert fresh.execute("select versi from audit.schema_version").fetchall() == [(CURRENT,)]
    fresh.close()


def test_every_source_has_one_definition_of_what_reads_and_checks_it():
    """Each source is declared once, beside its Pandera model (labels, key, period rule, start date, model,
    checks across rows): the model checks only declared columns and carries no label of its own, the key and
    start date name declared columns, every dataframe check of the model has its message, and each source has
    a raw table declared for the models."""
    from sakip.schemas import KINDS, KINDS_BY_NAME
    assert len(KINDS_BY_NAME) == len(KINDS) == 8
    assert {key.split(".", 1)[1] for key in load_project().sources if key.startswith("raw.")} == set(KINDS_BY_NAME)
    for kind in KINDS:
        columns = {c.name for c in kind.columns}
        schema = kind.model.to_schema()
        assert set(schema.columns) <= columns, kind.name
        assert not any(field.title for field in schema.columns.values()), kind.name
        assert set(kind.key) <= columns and (kind.starts is None or kind.starts in columns), kind.name
        assert {check.name for check in schema.checks} <= set(kind.messages), kind.name
        assert {kind.messages[check.name][0] for check in schema.checks} <= columns, kind.name
