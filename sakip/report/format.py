"""Display formats for people, in the locale of the run's language (sakip.i18n.locale(): id_ID, en_US), by
Babel; the published tables stay unrounded. Figures are rounded to 2 decimals half away from zero first, as
the bands are applied (methodology §1: 105,725 → 105,73; Babel itself would round half to even), then
formatted: Indonesian '1.601.792.883' and '93,96', English '1,601,792,883' and '93.96'. Money is 'Rp ' and
the amount in both languages (the planners' and the centre's currency sign)."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date, get_month_names
from babel.numbers import NumberPattern, parse_pattern

from sakip.i18n import locale

# the Indonesian month names (the exports' own, whatever the language of the run)
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember"]


def rounded(value: float | Decimal | None, places: int = 2) -> Decimal | None:
    """Half away from zero, of a float's 15 significant digits (what a spreadsheet shows: 50.01 / 40 * 100 is
    125.02499999999999 in binary, 125,03 on paper), as the models apply bands and directions (as_shown() in
    sakip/transforms/macros.sql; methodology §1)."""
    if value is None:
        return None
    return Decimal(format(value, ".15g") if isinstance(value, float) else str(value)).quantize(
        Decimal(1).scaleb(-places), ROUND_HALF_UP)


@cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@cache
def _pattern(places: int) -> NumberPattern:
    """Thousands grouped, exactly `places` decimals (parsed once: Babel's format_decimal parses its pattern at
    each call)."""
    return parse_pattern("#,##0" + ("." + "0" * places if places > 0 else ""))


def angka(value: float | Decimal | None, places: int = 2) -> str:
    """93.96 → '93,96' (en: '93.96'); 1601792883 (places=0) → '1.601.792.883' (en: '1,601,792,883');
    None → '-'."""
    if value is None:
        return "-"
    number = rounded(value, places)
    if not number.is_finite():
        return str(number)
    return _formatted(number, number.is_signed(), places, locale())


# A national month's pages and drafts format ~30,000 figures a process, most of them seen before (0, 100,00 %,
# a count); -0,00 equals 0,00 as a key, hence the sign beside it.
@lru_cache(maxsize=1 << 14)
def _formatted(number: Decimal, signed: bool, places: int, name: str) -> str:
    return _pattern(places).apply(number, _locale(name))


def persen(value: float | None, places: int = 2) -> str:
    """105.7252 → '105,73%' (en: '105.73%')."""
    return "-" if value is None else angka(value, places) + "%"


def rupiah(value: float | Decimal | None) -> str:
    """1601792883 → 'Rp 1.601.792.883' (en: 'Rp 1,601,792,883')."""
    return "-" if value is None else "Rp " + angka(value, 0)


def tanggal(value: dt.date | None) -> str:
    """date(2025, 6, 30) → '30 Juni 2025' (en: '30 June 2025')."""
    return "-" if value is None else _tanggal(value, locale())


@lru_cache(maxsize=1 << 14)  # a report writes the year's few hundred days tens of thousands of times
def _tanggal(value: dt.date, name: str) -> str:
    return format_date(value, "d MMMM y", locale=_locale(name))


def periode(tahun: int, bulan: int) -> str:
    """(2025, 6) → 'Juni 2025' (en: 'June 2025')."""
    return f"{nama_bulan(bulan)} {tahun}"


def nama_bulan(bulan: int) -> str:
    """6 → 'Juni' (en: 'June')."""
    return _months(locale(), "wide")[bulan]


def bulan_pendek(bulan: int) -> str:
    """6 → 'Jun'; 5 → 'Mei' (en: 'May')."""
    return _months(locale(), "abbreviated")[bulan]


def inisial_bulan(bulan: int) -> str:
    """6 → 'J'."""
    return _months(locale(), "narrow")[bulan]


@cache
def _months(name: str, width: str) -> dict[int, str]:
    return dict(get_month_names(width, "stand-alone", _locale(name)))
