"""The language of what people read: Indonesian by default, English for the centre's other readers.

Texts are written in English in the code and marked `_("…")` (or `N_("…")` where they are defined before a
language is known, translated where they are shown); placeholders are named, `_("{file}: refused").format(
file=name)`, so a translation may put them in its own order. The Indonesian is in the gettext catalogue
`sakip/locale/id/LC_MESSAGES/sakip.po`, compiled to `sakip.mo` beside it (`python -m devtools.catalogue`
extracts, updates and compiles; a test keeps both in step with the code). Checks keep their stable codes in
every language: only their messages are translated.

The language is SAKIP_LANG (`id` or `en`); the command line's `--lang` sets it for the run and the processes
it starts. Numbers, money and dates are formatted for the language's locale by Babel (`angka`, `persen`,
`rupiah`, `tanggal` in sakip.report.format)."""
from __future__ import annotations

import gettext
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sakip.settings import LANGUAGES, LOCALES, language

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "sakip"
DEFAULT = LANGUAGES[0]


_thread = threading.local()


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Texts and numbers in `lang` inside the block, on this thread only: the Laporan Kinerja draft is
    Indonesian whatever the run's language, and Prefect's other threads keep theirs."""
    previous = getattr(_thread, "lang", None)
    _thread.lang = lang
    try:
        yield
    finally:
        _thread.lang = previous


def _language() -> str:
    return getattr(_thread, "lang", None) or language()


def locale() -> str:
    return LOCALES[_language()]


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":  # the texts are written in English
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])


def _(message: str) -> str:
    """`message` in the language of this process."""
    return _translations(_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for `n`, in the language of this process (Indonesian has one)."""
    return _translations(_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a text for the catalogue where it is defined; `_()` translates it where it is shown."""
    return message
