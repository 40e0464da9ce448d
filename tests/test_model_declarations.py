"""`dbt test` for sakip's models: every test declared in sakip/transforms/*/_*.yml, of every model, views
included (a run tests only the models it materialises as tables), holds on real inputs: the Dumai demo inbox and
a small synthetic set (devtools.synth). And the tests can fail: a key broken on purpose is reported by the key
test of the intermediate model it breaks, with the model, the test, the failing count and sample rows."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from builders import run
from conftest import DEMO_INBOX
from devtools.synth import synth
from sakip.pipeline import compare_later_quarters
from sakip.warehouse import WarehousePaths
from sakip.warehouse.db import BUNDLED_REFERENCE, connect, load_reference
from sakip.warehouse.models import Model, load_project
from sakip.warehouse.publish import read_published
from sakip.warehouse.transform import (
    COMPARED_COLUMNS,
    FailedTest,
    ModelTestFailed,
    compared_quarters,
    run_models,
    run_tests,
)

SYNTH_UNITS, SYNTH_MONTHS, SYNTH_SEED = 3, 3, 3


@dataclass
class Computed:
    """A warehouse the pipeline loaded, with every model computed on `con` for `periods`."""
    con: duckdb.DuckDBPyConnection
    periods: list[tuple[str, int, int]]
    run_failures: list[FailedTest]   # what run_models itself refused (columns, tests of its tables)


def declared_test_failures(con: duckdb.DuckDBPyConnection, models: list[Model]) -> list[FailedTest]:
    """Every declared test of these models on the connection's relations, views included, as a run reports a
    failure (transform.check_model, which tests tables only)."""
    return [failure for model in models for failure in run_tests(con, model)]


def _report(failures: list[FailedTest]) -> str:
    return "\n".join(failure.line() for failure in failures)


def _compute(warehouse: Path, reference: Path, periods: list[tuple[str, int, int]]) -> Computed:
    con = connect(warehouse)
    con.execute("begin transaction")  # nothing of this is written to the file: a copy of it stays as the run left it
    load_reference(con, reference)
    paths = WarehousePaths(warehouse.parent)
    try:
        # the quarters compared with, as the pipeline published them (the warehouse folder's published file);
        # then, as a run that changed these periods, the published later quarters compared again with them
        history = read_published(paths, "declarations", "capaian_iku", COMPARED_COLUMNS, compared_quarters(periods))
        run_models(con, periods, published=history)
        compare_later_quarters(con, [], paths, "declarations", periods)
        refused = []
    except ModelTestFailed as exc:  # the models exist all the same: the tests below say the rest
        refused = exc.failures
    return Computed(con, periods, refused)


def _periods(warehouse: Path, months: range, extra: tuple = ()) -> list[tuple[str, int, int]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        satkers = [s for (s,) in con.execute("select distinct kode_satker from audit.files where status = 'accepted' "
                                             "order by 1").fetchall()]
    finally:
        con.close()
    return [(satker, 2025, month) for satker in satkers for month in months] + list(extra)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """The pipeline run (without Prefect) on the demo inbox and on a synthetic set of SYNTH_UNITS units x
    SYNTH_MONTHS months: data set → (its warehouse file, its reference folder); and "demo-pristine", a copy of
    the demo warehouse as its run left it, for the tests that break it."""
    root = tmp_path_factory.mktemp("declarations")
    demo = root / "demo"
    assert run(DEMO_INBOX, demo, 2025, 6, run_id="demo").exit_code == 0
    shutil.copyfile(demo / "warehouse.duckdb", root / "demo-pristine.duckdb")
    shutil.copytree(demo, root / "demo-march")  # its models computed on a connection of their own
    synthetic = root / "synth"
    synth(SYNTH_UNITS, SYNTH_MONTHS, synthetic, seed=SYNTH_SEED, workers=1)
    with pytest.MonkeyPatch.context() as patch:  # the units of the set are in its own registry
        patch.setenv("SAKIP_REFERENCE_DIR", str(synthetic / "reference"))
        run(synthetic / "inbox", synthetic / "warehouse", 2025, SYNTH_MONTHS, run_id="synth")
    return {"demo": (demo / "warehouse.duckdb", BUNDLED_REFERENCE),
            "synth": (synthetic / "warehouse" / "warehouse.duckdb", synthetic / "reference"),
            "demo-pristine": (root / "demo-pristine.duckdb", BUNDLED_REFERENCE),
            "demo-march": (root / "demo-march" / "warehouse.duckdb", BUNDLED_REFERENCE)}


@pytest.fixture(scope="module")
def computed(loaded) -> dict[str, Computed]:
    """Every model computed on each data set, for every month: the demo for each month of 2025 (its exports
    are of June: the months after it have open items and no realisasi) and a year of a partial profile (2021);
    the synthetic set for each of its months."""
    demo, demo_reference = loaded["demo"]
    synthetic, synthetic_reference = loaded["synth"]
    out = {"demo": _compute(demo, demo_reference, _periods(demo, range(1, 13), extra=(("672849", 2021, 12),))),
           "synth": _compute(synthetic, synthetic_reference, _periods(synthetic, range(1, SYNTH_MONTHS + 1))),
           # March run again after June was published: June compared again (stg_published__perbandingan_triwulan)
           "demo-march": _compute(loaded["demo-march"][0], demo_reference, [("672849", 2025, 3)])}
    assert out["demo-march"].con.execute("select distinct bulan from mart_perbandingan_triwulan order by 1"
                                         ).fetchall() == [(3,), (6,)]
    yield out
    for each in out.values():
        each.con.close()


def test_every_staging_and_intermediate_model_declares_its_key_and_describes_every_column():
    for model in load_project().models:
        if model.layer == "marts":
            continue
        assert model.description and model.description != model.name, model.name
        assert all(column.description for column in model.columns), model.name
        keys = [test for test in model.data_tests() if test.name in ("unique_combination_of_columns", "unique")]
        assert keys, f"{model.name} declares no key"


@pytest.mark.parametrize("data_set", ["demo", "synth", "demo-march"])
def test_every_declared_test_of_every_model_holds(computed, data_set):
    result = computed[data_set]
    assert result.run_failures == [], "run_models refused the models:\n" + _report(result.run_failures)
    failures = declared_test_failures(result.con, list(load_project().models))
    assert failures == [], f"{len(failures)} declared test(s) fail on the {data_set} data:\n" + _report(failures)


def test_the_data_sets_give_every_model_rows_to_test(computed):
    empty = [model.name for model in load_project().models
             if not any(each.con.execute(f"select count(*) from {model.name}").fetchall()[0][0]
                        for each in computed.values())]
    assert empty == []


@pytest.fixture
def demo_copy(loaded, tmp_path):
    """A connection to a copy of the demo warehouse as its run left it, the reference data loaded."""
    copy = tmp_path / "warehouse.duckdb"
    pristine, reference = loaded["demo-pristine"]
    shutil.copyfile(pristine, copy)
    con = connect(copy)
    load_reference(con, reference)
    yield con
    con.close()


def test_a_line_loaded_twice_breaks_the_key_of_the_budget_lines_and_the_run_names_it(demo_copy):
    """One akun line of the GLP039 export in raw twice: no mart key notices (the RO sums would count it twice),
    the key of int_anggaran_lines (a table, tested by every run) and of its staging view do."""
    [(baris,)] = demo_copy.execute("select min(_row) from raw.sakti_realisasi where akun is not null").fetchall()
    demo_copy.execute("insert into raw.sakti_realisasi select * from raw.sakti_realisasi where _row = ?", [baris])
    with pytest.raises(ModelTestFailed) as refused:
        run_models(demo_copy, [("672849", 2025, 6)])
    assert [(f.model, f.test, f.failing, f.sample) for f in refused.value.failures] == [
        ("int_anggaran_lines", "unique_combination_of_columns", 1, [("672849", 2025, 6, baris, 2)])]
    message = str(refused.value)  # in the language of the installation: only its names and rows are checked
    assert "int_anggaran_lines: unique_combination_of_columns" in message
    assert f"('672849', 2025, 6, {baris}, 2)" in message
    staging = load_project().by_name["stg_sakti__realisasi_anggaran"]  # a view: only this file tests it
    [failure] = [f for f in declared_test_failures(demo_copy, [staging]) if f.test == "unique_combination_of_columns"]
    assert (failure.failing, failure.sample) == (1, [(failure.sample[0][0], baris, 2)])


def test_a_weight_listed_twice_stops_the_run_instead_of_counting_the_indicator_twice(demo_copy):
    """ref.bobot_iku lists IKU1.1 twice (`sakip reference check` requires a weight above 0, not one row per
    indicator): the indicator would count twice in the NPS and the NKO, no mart key notices. The key of
    int_capaian_berbobot does."""
    demo_copy.execute("insert into ref.bobot_iku values (2025, '672849', 'IKU1.1', 1, 'a'), "
                      "(2025, '672849', 'IKU1.1', 2, 'b')")
    with pytest.raises(ModelTestFailed) as refused:
        run_models(demo_copy, [("672849", 2025, 6)])
    assert [(f.model, f.test, f.failing, f.sample) for f in refused.value.failures] == [
        ("int_capaian_berbobot", "unique_combination_of_columns", 1, [("672849", 2025, 6, "IKU1.1", 2)])]
