"""Parsing Indonesian numbers, dates and months, vectorised with polars.

Every parser returns the parsed series and a boolean mask of cells that held something but could not be
parsed, so that the caller can turn them into findings instead of silently losing them.
"""
from __future__ import annotations

import datetime as dt
import re

import polars as pl

# How numbers are written in a cell that holds text. The data contract: a ';'-separated CSV writes
# Indonesian numbers, a ','-separated CSV plain ones; xlsx text cells are Indonesian, but a numeric cell in a
# column that also holds text comes to us as text in plain notation, so xlsx accepts both.
NumberStyle = str  # "id" | "plain" | "xlsx"

_ID_NUMBER = r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$"
_PLAIN_NUMBER = r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$"
_NONE = ["", "-", "–", "—"]

MONTHS_ID = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11,
    "nopember": 11, "desember": 12, "des": 12, "dec": 12, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10, "december": 12, "january": 1, "february": 2, "march": 3,
}


def _clean(s: pl.Series) -> pl.Series:
    """Strip currency, percent signs and spaces; turn the 'none' markers into null."""
    t = (
        s.cast(pl.String)
        .str.replace_all("\u00a0", " ")
        .str.strip_chars()
        .str.replace(r"(?i)^rp\.?\s*", "")
        .str.replace_all(r"[%\s]", "")
    )
    return pl.select(pl.when(t.is_in(_NONE)).then(None).otherwise(t)).to_series()


def parse_number(s: pl.Series, style: NumberStyle) -> tuple[pl.Series, pl.Series]:
    """Text cells → Float64. Returns (values, bad) where bad marks non-empty cells that are not numbers."""
    if s.dtype.is_numeric():
        return s.cast(pl.Float64), pl.Series([False] * len(s), dtype=pl.Boolean)
    t = _clean(s)
    id_ok = t.str.contains(_ID_NUMBER)
    plain_ok = t.str.contains(_PLAIN_NUMBER)
    as_id = t.str.replace_all(r"\.", "").str.replace(",", ".").cast(pl.Float64, strict=False)
    as_plain = t.cast(pl.Float64, strict=False)
    if style == "id":
        out = pl.select(pl.when(id_ok).then(as_id)).to_series()
    elif style == "plain":
        out = pl.select(pl.when(plain_ok).then(as_plain)).to_series()
    else:  # xlsx: Indonesian text first, a stringified numeric cell second
        out = pl.select(pl.when(id_ok).then(as_id).when(plain_ok).then(as_plain)).to_series()
    bad = (t.is_not_null() & out.is_null()).fill_null(False)
    return out.alias(s.name), bad


_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_one_date(text: str | None) -> dt.date | None:
    """One date in any of the accepted notations; None when empty or not a date."""
    if text is None:
        return None
    t = str(text).strip()
    if t in _NONE:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", t)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})", t):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{4})", t):
        mo = MONTHS_ID.get(m[2].lower())
        if mo is None:
            return None
        d, y = int(m[1]), int(m[3])
    elif re.fullmatch(r"\d{5}(\.0+)?", t):  # an Excel serial number that reached us as text
        return _EXCEL_EPOCH + dt.timedelta(days=int(float(t)))
    else:
        return None
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def parse_date(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Date cells or date text → Date. Returns (values, bad)."""
    if s.dtype == pl.Date:
        return s, pl.Series([False] * len(s), dtype=pl.Boolean)
    if s.dtype == pl.Datetime or isinstance(s.dtype, pl.Datetime):
        return s.dt.date(), pl.Series([False] * len(s), dtype=pl.Boolean)
    if s.dtype.is_numeric():  # Excel serial numbers
        out = pl.Series(s.name, [None if v is None else _EXCEL_EPOCH + dt.timedelta(days=int(v)) for v in s],
                        dtype=pl.Date)
        return out, pl.Series([False] * len(s), dtype=pl.Boolean)
    texts = s.cast(pl.String)
    # Few distinct values per file: parse each distinct text once.
    mapping = {v: parse_one_date(v) for v in texts.unique().to_list()}
    out = pl.Series(s.name, [mapping[v] for v in texts.to_list()], dtype=pl.Date)
    cleaned = _clean(texts)
    bad = (cleaned.is_not_null() & out.is_null()).fill_null(False)
    return out, bad


def parse_month(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    """`6`, `06`, `B06`, `Juni` → 6. Returns (values, bad)."""
    texts = s.cast(pl.String)

    def one(v: str | None) -> int | None:
        if v is None:
            return None
        t = v.strip().lower()
        if t in _NONE:
            return None
        m = re.fullmatch(r"b?0?(\d{1,2})(\.0+)?", t)
        n = int(m[1]) if m else MONTHS_ID.get(t)
        return n if n is not None and 1 <= n <= 12 else None

    mapping = {v: one(v) for v in texts.unique().to_list()}
    out = pl.Series(s.name, [mapping[v] for v in texts.to_list()], dtype=pl.Int32)
    bad = (_clean(texts).is_not_null() & out.is_null()).fill_null(False)
    return out, bad


def parse_int(s: pl.Series, style: NumberStyle) -> tuple[pl.Series, pl.Series]:
    """Whole numbers (year, revision). A fractional value is bad."""
    vals, bad = parse_number(s, style)
    frac = (vals.is_not_null() & (vals != vals.round(0))).fill_null(False)
    out = pl.select(pl.when(~frac).then(vals)).to_series().cast(pl.Int32, strict=False)
    return out.alias(s.name), bad | frac


def as_code(s: pl.Series) -> pl.Series:
    """Codes (satker, akun, komponen): text, trimmed; a numeric cell 672849.0 becomes '672849'."""
    if s.dtype.is_float():
        return pl.select(
            pl.when(s == s.round(0)).then(s.cast(pl.Int64).cast(pl.String)).otherwise(s.cast(pl.String))
        ).to_series().alias(s.name)
    t = s.cast(pl.String).str.strip_chars().str.replace(r"^(\d+)\.0+$", "$1")
    return pl.select(pl.when(t.is_in(_NONE)).then(None).otherwise(t)).to_series().alias(s.name)


def as_text(s: pl.Series) -> pl.Series:
    t = s.cast(pl.String).str.replace_all(r"\s+", " ").str.strip_chars()
    return pl.select(pl.when(t == "").then(None).otherwise(t)).to_series().alias(s.name)
