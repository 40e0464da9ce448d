import datetime as dt

import polars as pl
import pytest

from sakip.readers.parse import code, distinct_value, parse_number, unparsed


def values(series):
    return series.to_list()


@pytest.mark.parametrize("text, expected", [
    ("1.601.792.833", 1601792833.0),
    ("93,96", 93.96),
    ("Rp 15.768.463.000", 15768463000.0),
    ("41,25%", 41.25),
    ("13.387,5", 13387.5),
    ("-", None),
    ("", None),
    ("0", 0.0),
    # no-break spaces, as Excel and web exports write them
    ("Rp\u00a015.768.463.000", 15768463000.0),
    ("\u00a093,96\u00a0%", 93.96),
    ("1\u00a0601\u00a0792", 1601792.0),
    ("\u00a0", None),
])
def test_indonesian_numbers(text, expected):
    got, bad = parse_number(pl.Series([text]), "id")
    assert values(got) == [expected]
    assert values(bad) == [False]


def test_plain_numbers_keep_the_decimal_point():
    # The stack note's trap: stripping dots from a plain 6.5 would make 65.
    got, bad = parse_number(pl.Series(["6.5", "10000000", "85.83"]), "plain")
    assert values(got) == [6.5, 10000000.0, 85.83]
    assert not any(values(bad))


def test_xlsx_text_is_indonesian_but_a_stringified_numeric_cell_is_plain():
    got, bad = parse_number(pl.Series(["1.601.792.883", "0.3", "93,96"]), "xlsx")
    assert values(got) == [1601792883.0, 0.3, 93.96]


def test_what_is_not_a_number_is_flagged_not_dropped():
    got, bad = parse_number(pl.Series(["12a", "1.2.3,4,5", "93,96"]), "id")
    assert values(got) == [None, None, 93.96]
    assert values(bad) == [True, True, False]


def _per_distinct(texts: list, kind: str) -> tuple[pl.Series, pl.Series]:
    """Texts of a column → (values, bad), as the readers parse date and month columns."""
    frame = pl.DataFrame({"s": texts}, schema={"s": pl.String})
    frame = frame.with_columns(distinct_value(pl.col("s"), frame.get_column("s").unique().to_list(), kind).alias("v"))
    out = frame.select(pl.col("v"), unparsed(pl.col("s"), pl.col("v")).alias("b"))
    return out.get_column("v"), out.get_column("b")


def parse_date(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    return _per_distinct(s.to_list(), "date")


def parse_month(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    return _per_distinct(s.to_list(), "month")


def test_dates_in_every_accepted_notation():
    got, bad = parse_date(pl.Series(["2025-06-30", "30/06/2025", "30 Juni 2025", "5 Agt 2025", "31-12-2025",
                                     "2025-06-30 00:00:00", "45838", None]))
    assert values(got) == [dt.date(2025, 6, 30)] * 3 + [dt.date(2025, 8, 5), dt.date(2025, 12, 31),
                                                        dt.date(2025, 6, 30), dt.date(2025, 6, 30), None]
    assert not any(values(bad))


def test_impossible_dates_are_flagged():
    got, bad = parse_date(pl.Series(["31/02/2025", "besok"]))
    assert values(got) == [None, None]
    assert values(bad) == [True, True]


def test_months():
    got, bad = parse_month(pl.Series(["B06", "6", "06", "Juni", "13", "B00"]))
    assert values(got) == [6, 6, 6, 6, None, None]
    assert values(bad) == [False, False, False, False, True, True]


def test_codes_from_numeric_cells_lose_the_float_tail():
    # a numeric cell 672849 reaches the text grid as "672849.0" when calamine reads it as a float
    got = pl.DataFrame({"s": ["672849.0", " 051 ", "-", "521211"]}).select(code(pl.col("s"))).to_series()
    assert values(got) == ["672849", "051", None, "521211"]
