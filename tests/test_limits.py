"""The xlsx check's two paths: the declared dimension, verified by one pass, and every reference measured."""
from __future__ import annotations

import io
import random
import re
import zipfile

import pytest

from conftest import DEMO_INBOX
from sakip.readers import limits


def column(letters: str) -> int:
    return limits._column_number(letters)


def test_the_pattern_for_greater_values_follows_their_order():
    rng = random.Random(13)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for _ in range(2000):
        value = "".join(rng.choice(letters) for _ in range(rng.randint(1, 3)))
        other = "".join(rng.choice(letters) for _ in range(rng.randint(1, 4)))
        assert bool(re.fullmatch(f"(?:{limits._greater(value, letters)})", other)) == (column(other) > column(value))
        n, m = rng.randint(1, 2_000_000), rng.randint(1, 3_000_000)
        assert bool(re.fullmatch(f"(?:{limits._greater(str(n), '0123456789')})", str(m))) == (m > n)


@pytest.mark.parametrize("name", ["RAPK_672849_2025.xlsx", "GLP039_672849_JUNI_2025.xlsx", "POK_RPD_672849_2025.xlsx",
                                  "SIPT_Sampel_672849_2025_B06.xlsx", "Capaian_Output_RO_672849_2025.xlsx"])
def test_a_real_export_takes_the_cheap_path_and_both_paths_agree(name):
    book = zipfile.ZipFile(io.BytesIO((DEMO_INBOX / name).read_bytes()))
    xml = book.read("xl/worksheets/sheet1.xml")
    declared = limits._DIMENSION.search(xml)
    rows, letters = int(declared[4]), declared[3].decode()
    text = limits._text(xml)
    assert text.str.count_matches(limits._beyond(rows, letters)).item() == 0  # nothing beyond: cheap path
    assert limits._measured_extent(text, xml) == (rows, column(letters))
