"""The analyst guide and the data dictionary are checked against what is actually published."""
import re

import duckdb
import pytest

from builders import run
from conftest import DEMO_INBOX, ROOT
from sakip.dictionary import generate

GUIDE = (ROOT / "docs" / "analyst-guide.md").read_text()
QUERIES = re.findall(r"```sql\n(.*?)```", GUIDE, re.S)


@pytest.fixture(scope="module")
def demo_published(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("docs") / "wh"
    run(DEMO_INBOX, warehouse, 2025, 6)
    return warehouse / "published.duckdb"


def test_the_data_dictionary_matches_the_published_schema(demo_published):
    expected = generate(demo_published)  # raises on a published column without a description
    committed = (ROOT / "docs" / "data-dictionary.md").read_text()
    assert committed == expected, "docs/data-dictionary.md is out of date: regenerate it with python -m sakip.dictionary"


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


def _tables(text: str):
    """Each Markdown table of a text: its rows, each split into cells at the pipes that are not escaped."""
    block: list[tuple[int, list[str]]] = []
    for number, line in enumerate([*text.splitlines(), ""], 1):
        if line.startswith("|"):
            block.append((number, re.split(r"(?<!\\)\|", line.strip())[1:-1]))
        elif block:
            yield block
            block = []


@pytest.mark.parametrize("path", sorted([*(ROOT / "docs").glob("*.md"), ROOT / "README.md"]), ids=lambda p: p.name)
def test_every_markdown_table_has_as_many_cells_in_each_row_as_its_header(path):
    found = 0
    for table in _tables(path.read_text()):
        (_, header), *rows = table
        found += 1
        wrong = [(number, len(cells)) for number, cells in rows if len(cells) != len(header)]
        assert not wrong, f"{path.name}: rows (line, cells) {wrong} against {len(header)} in the header"
    assert found or path.name not in ("data-dictionary.md", "README.md")


def test_the_escaping_is_seen():  # a pipe inside a cell, unescaped, makes one cell too many
    [[(_, header), _, (_, row)]] = list(_tables("| a | b |\n|---|---|\n| x \\| y | z |\n"))
    assert len(header) == len(row) == 2
    [[(_, header), (_, row)]] = list(_tables("| a | b |\n| x | y | z |\n"))
    assert len(row) == 3
