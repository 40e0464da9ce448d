"""The message catalogue, kept in step with the code (Babel's extract, update and compile, as its `pybabel`
command does them):

    python -m devtools.catalogue          # extract sakip's texts, update the Indonesian .po, compile the .mo
    python -m devtools.catalogue more.po  # the same, with the translations of more.po taken in first

New texts arrive in the .po untranslated: write their Indonesian, run it again (it compiles the .mo), commit
both. tests/test_i18n.py fails while a text of the code has no translation, a translation has lost one of
its placeholders, or the .mo is not the .po's."""
from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from sakip.i18n import DOMAIN, LOCALE_DIR

PACKAGE = Path(__file__).resolve().parent.parent / "sakip"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
# dates of the catalogue's header: fixed, so that updating an unchanged catalogue changes no byte
FIXED_DATE = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
PO = LOCALE_DIR / "id" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")


HEADER = """Indonesian texts of sakip: what planners, operators and the centre read (sakip/i18n.py).
Written by hand; updated with `python -m devtools.catalogue`."""


def extract() -> Catalog:
    """Every text of the package marked for translation, with where it is."""
    template = Catalog(project="sakip", charset="utf-8", creation_date=FIXED_DATE)
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
        template.add(message, None, [(f"sakip/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def read_catalogue(path: Path = PO) -> Catalog:
    with open(path, "rb") as f:
        return read_po(f, locale="id", domain=DOMAIN)


def updated(template: Catalog) -> Catalog:
    """The Indonesian catalogue with the template's texts: new ones empty, gone ones dropped (no guessing
    from similar texts: a wrong translation is worse than none)."""
    catalogue = read_catalogue() if PO.exists() else Catalog(locale="id", domain=DOMAIN, project="sakip")
    catalogue.update(template, no_fuzzy_matching=True)
    catalogue.obsolete.clear()
    catalogue.header_comment = "\n".join(f"# {line}" for line in HEADER.splitlines())
    catalogue.revision_date = FIXED_DATE
    catalogue.fuzzy = False
    catalogue.last_translator = catalogue.language_team = "sakip"
    catalogue.version, catalogue.msgid_bugs_address = "1", "-"
    return catalogue


def compiled(catalogue: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalogue)
    return out.getvalue()


def merged(catalogue: Catalog, more: Catalog) -> int:
    """The translations of `more` (a part of the catalogue translated apart) written into `catalogue`, for
    the texts it has; returns how many."""
    taken = 0
    for message in more:
        if message.id and message.string and message.id in catalogue:
            catalogue[message.id].string = message.string
            taken += 1
    return taken


def main(argv: list[str]) -> int:
    catalogue = updated(extract())
    for path in argv:
        with open(path, "rb") as f:
            print(f"{path}: {merged(catalogue, read_po(f, locale='id'))} translations taken", file=sys.stderr)
    PO.parent.mkdir(parents=True, exist_ok=True)
    with open(PO, "wb") as f:
        write_po(f, catalogue, width=116, omit_header=False, sort_output=False)
    MO.write_bytes(compiled(read_catalogue()))
    missing = [m.id for m in catalogue if m.id and not m.string]
    print(f"{PO}: {len(catalogue)} texts, {len(missing)} without a translation", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
