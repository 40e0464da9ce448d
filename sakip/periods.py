"""The months a run computes: the month just closed, a period typed by a person, a range of months."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

# The latest Indonesian time zone (WIT): an export downloaded in Papua on the morning of the 2nd is not "in the
# future" for a run whose clock is still on the 1st.
_LATEST_ZONE = ZoneInfo("Asia/Jayapura")


def today() -> dt.date:
    """Today where Indonesia's day starts first: no export can be dated later."""
    return dt.datetime.now(_LATEST_ZONE).date()


def previous_month(tahun: int, bulan: int) -> tuple[int, int]:
    return (tahun - 1, 12) if bulan == 1 else (tahun, bulan - 1)


def next_month(tahun: int, bulan: int) -> tuple[int, int]:
    return (tahun + 1, 1) if bulan == 12 else (tahun, bulan + 1)


def last_closed_month(today: dt.date) -> tuple[int, int]:
    """The month just closed on `today`: on 6 July 2025 it is June 2025; in January, December of last year."""
    return previous_month(today.year, today.month)


def parse_period(text: str) -> tuple[int, int]:
    """'2025-06' → (2025, 6); raises ValueError with a readable message."""
    try:
        year, month = text.strip().split("-")
        y, m = int(year), int(month)
    except ValueError:
        raise ValueError(f"period '{text}' is not of the form YYYY-MM (e.g. 2025-06)") from None
    if not (1 <= m <= 12 and 2000 <= y <= 2100):
        raise ValueError(f"period '{text}' is not a valid month (YYYY-MM, month 01–12)")
    return y, m


def months_between(start: str, end: str) -> list[str]:
    """'2025-01', '2025-03' → ['2025-01', '2025-02', '2025-03']; raises ValueError when end is before start."""
    (y, m), (y_end, m_end) = parse_period(start), parse_period(end)
    if (y, m) > (y_end, m_end):
        raise ValueError(f"--from {start} is after --to {end}")
    months = []
    while (y, m) <= (y_end, m_end):
        months.append(f"{y}-{m:02d}")
        y, m = next_month(y, m)
    return months
