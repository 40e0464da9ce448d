"""Indonesian display formats for people (the published tables stay unrounded): 2 decimals half away from
zero, decimal comma, dots between thousands."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember"]


def rounded(value: float | Decimal | None, places: int = 2) -> Decimal | None:
    """Half away from zero, as the bands are applied (methodology §1)."""
    if value is None:
        return None
    return Decimal(repr(value) if isinstance(value, float) else str(value)).quantize(
        Decimal(1).scaleb(-places), ROUND_HALF_UP)


def angka(value: float | Decimal | None, places: int = 2) -> str:
    """93.96 → '93,96'; 1601792883 (places=0) → '1.601.792.883'; None → '-'."""
    if value is None:
        return "-"
    text = f"{rounded(value, places):,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def persen(value: float | None, places: int = 2) -> str:
    """105.7252 → '105,73%'."""
    return "-" if value is None else angka(value, places) + "%"


def rupiah(value: float | Decimal | None) -> str:
    """1601792883 → 'Rp 1.601.792.883'."""
    return "-" if value is None else "Rp " + angka(value, 0)


def tanggal(value: dt.date | None) -> str:
    """date(2025, 6, 30) → '30 Juni 2025'."""
    return "-" if value is None else f"{value.day} {BULAN[value.month - 1]} {value.year}"


def periode(tahun: int, bulan: int) -> str:
    """(2025, 6) → 'Juni 2025'."""
    return f"{BULAN[bulan - 1]} {tahun}"
