"""The analyst guide and the data dictionary are checked against what is actually published."""
import re

import duckdb
import pytest

from builders import run
from conftest import DEMO_INBOX, ROOT
from contract import contract_problems
from sakip.dictionary import generate

GUIDE = (ROOT / "docs" / "analyst-guide.md").read_text()
QUERIES = re.findall(r"```sql\n(.*?)```", GUIDE, re.S)


@pytest.fixture(scope="module")
def demo_published(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("docs") / "wh"
    for bulan in (3, 6):  # as `sakip demo` publishes it: the June comparisons are with March
        run(DEMO_INBOX, warehouse, 2025, bulan, run_id=f"demo-2025-{bulan:02d}")
    return warehouse / "published.duckdb"


def test_the_data_dictionary_matches_the_declarations_and_the_published_schema(demo_published):
    expected = generate()  # raises on a published column without a description
    committed = (ROOT / "docs" / "data-dictionary.md").read_text()
    assert committed == expected, ("docs/data-dictionary.md is out of date: regenerate it with "
                                   "python -m sakip.dictionary")
    assert contract_problems(demo_published) == []  # and what is published is what is declared


def test_the_guide_has_ten_questions_or_more():
    assert len(QUERIES) >= 10


@pytest.mark.parametrize("number", range(len(QUERIES)))
def test_every_example_query_runs_on_the_published_file(demo_published, number):
    con = duckdb.connect(str(demo_published), read_only=True)
    try:
        rows = con.execute(QUERIES[number]).fetchall()
    finally:
        con.close()
    if number != 9:  # nothing is stale in the demo
        assert rows, f"query {number + 1} returned nothing on the demo"


def _cells(line: str) -> list[str]:
    """A table row split at its pipes; a backslash escapes the character after it (`\\|` is a pipe in a
    cell, `\\\\|` a backslash and then a separator)."""
    cells, cell, i, text = [], "", 0, line.strip()
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            cell, i = cell + text[i:i + 2], i + 2
            continue
        if text[i] == "|":
            cells.append(cell)
            cell = ""
        else:
            cell += text[i]
        i += 1
    return [*cells, cell]


def _tables(text: str):
    """Each Markdown table of a text (outside fenced code), as (line number, cells) rows; the cells of a row
    that starts and ends with a pipe are those between them."""
    block: list[tuple[int, list[str]]] = []
    fenced = False
    for number, line in enumerate([*text.splitlines(), ""], 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and line.lstrip().startswith("|"):
            block.append((number, _cells(line)[1:]))
        elif block:
            yield block
            block = []


@pytest.mark.parametrize("path", sorted([*(ROOT / "docs").glob("*.md"), ROOT / "README.md"]), ids=lambda p: p.name)
def test_every_markdown_table_has_as_many_cells_in_each_row_as_its_header(path):
    found = 0
    for table in _tables(path.read_text()):
        found += 1
        unclosed = [number for number, cells in table if cells[-1].strip()]
        assert not unclosed, f"{path.name}: rows at lines {unclosed} do not end with a pipe"
        (_, header), *rows = table
        wrong = [(number, len(cells)) for number, cells in rows if len(cells) != len(header)]
        assert not wrong, f"{path.name}: rows (line, cells) {wrong} against {len(header)} in the header"
    assert found or path.name not in ("data-dictionary.md", "README.md")


@pytest.mark.parametrize("table, width", [
    ("| a | b |\n|---|---|\n| x \\| y | z |\n", [2, 2, 2]),        # an escaped pipe stays in its cell
    ("| a | b |\n| x | y | z |\n", [2, 3]),                         # an unescaped one makes a cell more
    ("| a | b |\n| x \\\\| y | z |\n", [2, 3]),                     # a backslash, then a real pipe
    ("  | a | b |\n  | x | `y|z` |\n", [2, 3]),                     # indented; a pipe in code still splits
])
def test_the_cell_count_sees_every_separator(table, width):
    [rows] = list(_tables(table))
    assert [len(cells) - 1 for _, cells in rows] == width
