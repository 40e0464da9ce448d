"""Years of history must not change a year's figures: what keeps a run's cost flat as the warehouse grows (the
models read only the satker-years the run computes) gives, for every published table, exactly the rows a
warehouse without the earlier years gives."""
from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from builders import run
from sakip.warehouse.publish import PUBLISHED_TABLES

UNITS, MONTHS = 2, 2  # no quarter's end: the comparison with the year before is history's own (issue 19)


@pytest.fixture(scope="module")
def years(tmp_path_factory) -> Path:
    """The same two units, 2024 and 2025, two months each."""
    from devtools.synth import synth

    base = tmp_path_factory.mktemp("years")
    for year in (2024, 2025):
        synth(UNITS, MONTHS, base / str(year), seed=7, year=year, workers=1)
    return base


def _inbox(base: Path, year: int, month: int, into: Path) -> Path:
    """The good exports that arrive for one month (the yearly RAPK and POK with month 1), as the schedule sees
    them."""
    import csv

    into.mkdir(parents=True)
    for row in csv.DictReader(open(base / str(year) / "files.csv", encoding="utf-8")):
        if int(row["month"] or 1) == month and row["bad"] == "False":
            (into / Path(row["file"]).name).hardlink_to(base / str(year) / row["file"])
    return into


def _published_year(warehouse: Path, tahun: int) -> dict[str, tuple[int, str]]:
    """Each published table's rows of one year: (count, SHA-256 of the rows in order)."""
    con = duckdb.connect(str(warehouse / "published.duckdb"), read_only=True)
    try:
        out = {}
        for table in PUBLISHED_TABLES:
            rows = con.execute(f"select * from mart.{table} where tahun = ? order by all", [tahun]).fetchall()
            out[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        return out
    finally:
        con.close()


def test_a_year_published_over_years_of_history_is_the_year_published_alone(years, tmp_path, monkeypatch):
    monkeypatch.setenv("SAKIP_REFERENCE_DIR", str(years / "2025" / "reference"))
    alone, after = tmp_path / "alone", tmp_path / "after"
    for year in (2024, 2025):
        for month in range(1, MONTHS + 1):
            inbox = _inbox(years, year, month, tmp_path / "inbox" / f"{year}-{month:02d}")
            result = run(inbox, after, year, month, run_id=f"after-{year}-{month}")
            assert not result.refused
            if year == 2025:
                run(inbox, alone, year, month, run_id=f"alone-{year}-{month}")
    with_history, without = _published_year(after, 2025), _published_year(alone, 2025)
    assert without["capaian_iku"][0] == UNITS * MONTHS * 24 and without["sla_pengujian"][0] > 100
    assert with_history == without
    # and the history is there: 2024 was published, for the same units
    assert _published_year(after, 2024)["capaian_iku"][0] == without["capaian_iku"][0]
