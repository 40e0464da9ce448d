"""The Indonesian working-day calendar: Saturdays, Sundays, national holidays and cuti bersama from the
`holidays` package (categories public and government), amended by `reference/kalender_perubahan.csv` when a
decree adds or moves a day (as on 18 August 2025).

Counting (methodology §10): the day of the start event is day 0; every working day after it, up to and
including the day of the end event, counts one. With `hk_kumulatif(d)` = working days from the calendar's
start up to and including d, the HK between two dates is hk_kumulatif(end) − hk_kumulatif(start)."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import holidays
import polars as pl

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
AMENDMENTS = REFERENCE_DIR / "kalender_perubahan.csv"
FIRST_YEAR = 2020


def years() -> range:
    """The years the calendar covers: from FIRST_YEAR to two years past this one (2035 at least)."""
    return range(FIRST_YEAR, max(2035, dt.date.today().year + 2) + 1)


@lru_cache(maxsize=4)
def days_off(path: Path = AMENDMENTS) -> dict[dt.date, tuple[str, str]]:
    """Every non-working weekday and holiday: date → (jenis, nama). Weekends are not listed."""
    covered = list(years())
    out: dict[dt.date, tuple[str, str]] = {}
    for category, jenis in (("public", "libur_nasional"), ("government", "cuti_bersama")):
        for day, name in holidays.country_holidays("ID", years=covered, categories=(category,), language="id").items():
            out[day] = (jenis, name)
    if path.exists():
        for rec in pl.read_csv(path, infer_schema=False).iter_rows(named=True):
            day = dt.date.fromisoformat(rec["tanggal"].strip())
            if rec["aksi"].strip() == "hapus":
                out.pop(day, None)
            else:
                out[day] = (rec["jenis"].strip(), rec["keterangan"].strip())
    return out


def is_working_day(day: dt.date, off: dict[dt.date, tuple[str, str]] | None = None) -> bool:
    off = days_off() if off is None else off
    return day.weekday() < 5 and day not in off


def working_days(start: dt.date, end: dt.date) -> int:
    """HK from start (day 0) to end, end included; negative when end is before start."""
    if end < start:
        return -working_days(end, start)
    off = days_off()
    return sum(is_working_day(start + dt.timedelta(days=i), off) for i in range(1, (end - start).days + 1))


def calendar_frame(amendments: Path | None = None) -> pl.DataFrame:
    """One row per day: tanggal, hari_kerja, hk_kumulatif, jenis_libur, nama_libur."""
    off = days_off(amendments or AMENDMENTS)
    start, end = dt.date(FIRST_YEAR, 1, 1), dt.date(years()[-1], 12, 31)
    days = pl.date_range(start, end, "1d", eager=True).alias("tanggal")
    frame = pl.DataFrame({"tanggal": days})
    jenis = [off.get(d, (None, None))[0] for d in days.to_list()]
    nama = [off.get(d, (None, None))[1] for d in days.to_list()]
    frame = frame.with_columns(
        hari_kerja=(pl.col("tanggal").dt.weekday() <= 5) & pl.Series(jenis).is_null(),
        jenis_libur=pl.Series(jenis, dtype=pl.String),
        nama_libur=pl.Series(nama, dtype=pl.String),
    )
    return frame.with_columns(hk_kumulatif=pl.col("hari_kerja").cast(pl.Int32).cum_sum())
