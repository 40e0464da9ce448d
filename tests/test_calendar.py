"""The working-day calendar of methodology §10 and the 2025 holidays."""
import datetime as dt

import pytest

from sakip.calendar import calendar_frame, days_off, is_working_day, working_days

D = dt.date


def test_2025_holidays_and_cuti_bersama_match_the_methodology():
    off = days_off()
    libur = {d for d, (jenis, _) in off.items() if d.year == 2025 and jenis == "libur_nasional"}
    cuti = {d for d, (jenis, _) in off.items() if d.year == 2025 and jenis == "cuti_bersama"}
    assert libur == {D(2025, 1, 1), D(2025, 1, 27), D(2025, 1, 29), D(2025, 3, 29), D(2025, 3, 31), D(2025, 4, 1),
                     D(2025, 4, 18), D(2025, 4, 20), D(2025, 5, 1), D(2025, 5, 12), D(2025, 5, 29), D(2025, 6, 1),
                     D(2025, 6, 6), D(2025, 6, 27), D(2025, 8, 17), D(2025, 9, 5), D(2025, 12, 25)}
    assert cuti == {D(2025, 1, 28), D(2025, 3, 28), D(2025, 4, 2), D(2025, 4, 3), D(2025, 4, 4), D(2025, 4, 7),
                    D(2025, 5, 13), D(2025, 5, 30), D(2025, 6, 9), D(2025, 8, 18), D(2025, 12, 26)}


@pytest.mark.parametrize("start, end, hk", [
    (D(2025, 6, 16), D(2025, 6, 16), 0),   # LHU on the receipt day
    (D(2025, 6, 13), D(2025, 6, 16), 1),   # Friday → Monday
    (D(2025, 6, 14), D(2025, 6, 16), 1),   # received on a Saturday: Monday is the first working day
    (D(2025, 6, 15), D(2025, 6, 17), 2),   # received on a Sunday
    (D(2025, 3, 27), D(2025, 4, 8), 1),    # across the whole Lebaran week: 28 Mar – 7 Apr are all off
    (D(2025, 3, 26), D(2025, 4, 9), 3),
    (D(2025, 8, 15), D(2025, 8, 19), 1),   # 16–17 weekend, 17 Aug, 18 Aug cuti bersama (by decree)
    (D(2025, 6, 2), D(2025, 6, 23), 13),   # 6 and 9 June off
    (D(2025, 12, 24), D(2026, 1, 2), 4),   # 25, 26 Dec and 1 Jan off, across the year
])
def test_working_days(start, end, hk):
    assert working_days(start, end) == hk


def test_the_sql_calendar_counts_the_same_as_the_python_one():
    frame = calendar_frame()
    index = dict(zip(frame["tanggal"].to_list(), frame["hk_kumulatif"].to_list()))
    for start, end in [(D(2025, 3, 27), D(2025, 4, 8)), (D(2025, 1, 1), D(2025, 12, 31)),
                       (D(2025, 8, 14), D(2025, 8, 20))]:
        assert index[end] - index[start] == working_days(start, end)
    assert not is_working_day(D(2025, 8, 18)) and is_working_day(D(2025, 8, 19))


def test_an_amendment_removes_or_adds_a_day(tmp_path):
    amendments = tmp_path / "kalender_perubahan.csv"
    amendments.write_text("tanggal,aksi,jenis,keterangan\n2025-06-09,hapus,,dibatalkan\n"
                          "2025-06-10,tambah,cuti_bersama,contoh keputusan baru\n")
    off = days_off(amendments)
    assert D(2025, 6, 9) not in off and off[D(2025, 6, 10)] == ("cuti_bersama", "contoh keputusan baru")
