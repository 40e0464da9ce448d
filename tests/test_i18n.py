"""The message catalogue against the code: every text marked for translation has its Indonesian, keeps its
placeholders, and the compiled catalogue is the one written."""
from __future__ import annotations

import string

from devtools.catalogue import MO, compiled, extract, read_catalogue


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_text_of_the_code_has_its_indonesian_with_the_same_placeholders():
    catalogue = read_catalogue()
    texts = [m for m in extract() if m.id]
    assert texts, "no text is marked for translation"
    missing, broken = [], []
    for message in texts:
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            entry = catalogue.get(message.id)
            if entry is None or not entry.string or entry.fuzzy:
                missing.append(msgid)
                continue
            for translation in entry.string if isinstance(entry.string, tuple) else (entry.string,):
                if _fields(translation) != _fields(msgid):
                    broken.append((msgid, translation))
    assert not missing, f"{len(missing)} text(s) without Indonesian (python -m devtools.catalogue): {missing[:5]}"
    assert not broken, f"translations that lost or invented a placeholder: {broken[:5]}"
    stale = {m.id for m in catalogue if m.id} - {m.id for m in texts}
    assert not stale, f"translations of texts the code no longer has: {sorted(map(str, stale))[:5]}"


def test_the_compiled_catalogue_is_the_written_one():
    assert MO.read_bytes() == compiled(read_catalogue()), "run python -m devtools.catalogue"


def test_speaking_a_language_holds_on_this_thread_only(monkeypatch):
    """The Laporan Kinerja draft is written in Indonesian by a run in English; Prefect's other threads (its
    logs, the next task) keep speaking English meanwhile."""
    import threading

    from sakip.i18n import _, speaking
    from sakip.report.format import persen

    monkeypatch.setenv("SAKIP_LANG", "en")
    seen = {}
    inside, other_done = threading.Event(), threading.Event()

    def other():
        inside.wait(10)
        seen["other"] = (_("no draft was written"), persen(105.73))
        other_done.set()

    thread = threading.Thread(target=other)
    thread.start()
    with speaking("id"):
        inside.set()
        other_done.wait(10)
        seen["here"] = (_("no draft was written"), persen(105.73))
    thread.join()
    seen["after"] = (_("no draft was written"), persen(105.73))
    assert seen == {"here": ("tidak ada draf yang ditulis", "105,73%"),
                    "other": ("no draft was written", "105.73%"),
                    "after": ("no draft was written", "105.73%")}
