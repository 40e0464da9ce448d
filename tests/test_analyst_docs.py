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
