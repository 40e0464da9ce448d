"""Runs the SQL models of `sakip/transforms/` in dependency order (sakip.warehouse.models), then checks them
against their declarations before anything is committed: each model's columns and types are the ones its YAML
declares, and each declared test finds no failing row. A model that fails publishes nothing: the run stops
with the model, the test and sample rows.

Models see a table `run_periods` (kode_satker, tahun, bulan, akhir_periode): the satker-months this run
computes, so that a run's cost follows what it computes, not the warehouse's history. And
`published_capaian_iku`: the published capaian of the quarters this run's quarters are compared with (the
Laporan Kinerja compares each quarter with the previous one, and with the same quarter a year earlier). And
`published_perbandingan_triwulan`: the published comparison rows of later quarters that compare with a quarter
this run changes, which the run compares again without computing those quarters (sakip.pipeline).

Every model is a temporary object of the run's connection: the run publishes them and the next run computes
them again, so writing them into the warehouse file (at each checkpoint) would be work for nothing. A run
that dies after its commit leaves its periods pending, and the next run computes them again too."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from sakip.i18n import _
from sakip.warehouse.db import registered
from sakip.warehouse.models import TRANSFORMS_DIR, Model, load_project

SAMPLE_ROWS = 5


@dataclass(frozen=True)
class FailedTest:
    model: str
    test: str
    failing: int          # rows that fail it
    sample: list[tuple]   # the first of them

    def line(self) -> str:
        rows = "; ".join(repr(row) for row in self.sample)
        return _("{model}: {test} fails on {count} row(s), e.g. {rows}").format(
            model=self.model, test=self.test, count=self.failing, rows=rows)


class MissingProfile(Exception):
    """No methodology profile applies to a year being computed."""


class ModelTestFailed(Exception):
    """A model does not hold what it declares: nothing is committed or published."""

    def __init__(self, failures: list[FailedTest]):
        super().__init__(_("{count} declared model test(s) failed; nothing was published:").format(
            count=len(failures)) + "\n" + "\n".join("  " + failure.line() for failure in failures))
        self.failures = failures


def set_run_periods(con: duckdb.DuckDBPyConnection, periods: list[tuple[str, int, int]]) -> None:
    con.execute("create or replace temp table run_periods "
                "(kode_satker varchar, tahun integer, bulan integer, akhir_periode date)")
    if periods:
        con.executemany("insert into run_periods values (?, ?, ?, last_day(make_date(?, ?, 1)))",
                        [(s, y, m, y, m) for s, y, m in periods])


# The columns of mart.capaian_iku a comparison reads (stg_published__capaian_iku)
COMPARED_COLUMNS = "kode_satker, tahun, bulan, kode_iku, realisasi, capaian"
# The columns of a published comparison row that stay when it is compared again (stg_published__perbandingan_triwulan)
REFRESHED_COLUMNS = "kode_satker, tahun, bulan, kode_ss, kode_iku, indikator, satuan, realisasi, capaian, urutan"


def compared_quarters(periods: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The satker-months a quarter among `periods` is compared with: the previous quarter of its year, and the
    same quarter of the year before."""
    earlier = set()
    for satker, tahun, bulan in periods:
        if bulan % 3 == 0:
            earlier.add((satker, tahun - 1, bulan))
            if bulan > 3:
                earlier.add((satker, tahun, bulan - 3))
    return sorted(earlier)


def later_quarters(periods: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The satker-months whose comparison reads a quarter among `periods` (compared_quarters the other way):
    the next quarter of its year and the same quarter of the next year, those not among `periods` already."""
    later = set()
    for satker, tahun, bulan in periods:
        if bulan % 3 == 0:
            later.add((satker, tahun + 1, bulan))
            if bulan < 12:
                later.add((satker, tahun, bulan + 3))
    return sorted(later - set(periods))


def set_published_history(con: duckdb.DuckDBPyConnection, rows=None) -> None:
    """`published_capaian_iku`: the published capaian of the quarters this run's quarters are compared with
    (`rows`, Arrow, as sakip.warehouse.publish.read_published gives them); `published_perbandingan_triwulan`:
    the published comparison rows to compare again, added by compare_again; each empty without."""
    con.execute("create or replace temp table published_capaian_iku (kode_satker varchar, tahun integer, "
                "bulan integer, kode_iku varchar, realisasi double, capaian double)")
    con.execute("create or replace temp table published_perbandingan_triwulan (kode_satker varchar, "
                "tahun integer, bulan integer, kode_ss varchar, kode_iku varchar, indikator varchar, "
                "satuan varchar, realisasi double, capaian double, urutan integer)")
    if rows is not None and rows.num_rows:
        with registered(con, "published_rows", rows):
            con.execute("insert into published_capaian_iku by name select * from published_rows")


def run_models(con: duckdb.DuckDBPyConnection, periods: list[tuple[str, int, int]],
               directory: Path = TRANSFORMS_DIR, published=None) -> list[str]:
    """Build every model for these satker-months and test it, comparing their quarters with the `published`
    rows of earlier quarters (set_published_history; compare_again adds later quarters). Returns the model
    names in the order they ran; raises ModelTestFailed when a model is not what it declares."""
    set_run_periods(con, periods)
    set_published_history(con, published)
    con.execute((directory / "macros.sql").read_text())
    models = load_project(directory).models
    _create(con, models)
    _require_profiles(con)
    return _checked(con, models)


def _create(con: duckdb.DuckDBPyConnection, models) -> None:
    for model in models:
        con.execute(f"create or replace temp {model.materialization} {model.name} as\n{model.sql}")


def _checked(con: duckdb.DuckDBPyConnection, models) -> list[str]:
    """The models' names, once each holds what it declares; ModelTestFailed with every failure otherwise."""
    failures = [failure for model in models for failure in check_model(con, model)]
    if failures:
        raise ModelTestFailed(failures)
    return [model.name for model in models]


def changed_quarters(con: duckdb.DuckDBPyConnection, held: set[tuple[str, int, int]] = frozenset()
                     ) -> list[tuple[str, int, int]]:
    """The quarters the run computes whose realisasi or capaian (mart_capaian_iku) differ from those published
    (published_capaian_iku, read for the run's own quarters too: set_published_history), a quarter published
    for the first time included; not those `held` at their published rows (a source refused)."""
    rows = con.execute("""
        with computed as (
            select kode_satker, tahun, bulan, kode_iku, realisasi, capaian from mart_capaian_iku where bulan % 3 = 0
        ),
        published as (
            select * from published_capaian_iku semi join run_periods using (kode_satker, tahun, bulan)
            where bulan % 3 = 0
        )
        select distinct kode_satker, tahun, bulan
        from computed full join published using (kode_satker, tahun, bulan, kode_iku)
        -- rounded: the same inputs give the same figures, up to the order of a sum
        where round(computed.realisasi, 6) is distinct from round(published.realisasi, 6)
            or round(computed.capaian, 6) is distinct from round(published.capaian, 6)
        order by all
    """).fetchall()
    return [tuple(r) for r in rows if tuple(r) not in held]


def compare_again(con: duckdb.DuckDBPyConnection, again, history=None, directory: Path = TRANSFORMS_DIR) -> list[str]:
    """Add the published comparison rows of later quarters (`again`, Arrow) and the published capaian they are
    compared with (`history`, rows not there yet) to the run's tables, then build again, and test, the models
    that read them. Returns those models' names."""
    for table, arrow in (("published_perbandingan_triwulan", again), ("published_capaian_iku", history)):
        if arrow is not None and arrow.num_rows:
            with registered(con, "published_rows", arrow):
                con.execute(f"insert into {table} by name select * from published_rows "
                            f"anti join {table} using (kode_satker, tahun, bulan, kode_iku)")
    project = load_project(directory)
    read = {"run.published_perbandingan_triwulan", "run.published_capaian_iku"}
    models = [model for model in project.models if project.upstream(model.name) & read]
    _create(con, models)
    return _checked(con, models)


def check_model(con: duckdb.DuckDBPyConnection, model: Model) -> list[FailedTest]:
    """The model's columns against its declaration, then its declared tests (tables only: a test of a view
    would compute the view again)."""
    have = [(name, typ) for name, typ, *_ in con.execute(f"describe {model.name}").fetchall()]
    want = [(column.name, column.data_type) for column in model.columns]
    if have != want:
        changed = [f"{c} {t}" for c, t in have if (c, t) not in want] + [f"no {c} {t}" for c, t in want
                                                                         if (c, t) not in have]
        return [FailedTest(model.name, "columns as declared", len(changed) or 1,
                            changed[:SAMPLE_ROWS] or ["(same columns, another order)"])]
    return run_tests(con, model) if model.materialization == "table" else []


def run_tests(con: duckdb.DuckDBPyConnection, model: Model) -> list[FailedTest]:
    """The model's declared tests on its relation: each one that finds rows, with the first of them."""
    failures = []
    for test in model.data_tests():
        failing = con.execute(f"select count(*) from ({test.sql})").fetchall()[0][0]
        if failing:
            sample = con.execute(f"{test.sql} limit {SAMPLE_ROWS}").fetchall()
            failures.append(FailedTest(model.name, test.label, failing, sample))
    return failures


def _require_profiles(con: duckdb.DuckDBPyConnection) -> None:
    missing = [r[0] for r in con.execute("select tahun from int_profil where tahun_profil is null").fetchall()]
    if missing:
        raise MissingProfile(_("no methodology profile for {years} or an earlier year: add its bands and parameters "
                               "to sakip/reference/profil_pita.csv and profil_parameter.csv").format(
            years=", ".join(map(str, missing))))
