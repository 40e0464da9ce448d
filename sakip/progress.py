"""Progress for a person watching a terminal: one line per stage on stderr, only when SAKIP_PROGRESS=1 (the
command line sets it when stderr is a terminal and --json is not asked for). Silent otherwise, so that logs
and machine-read output stay clean."""
from __future__ import annotations

import datetime as dt
import sys

from sakip import settings
from sakip.findings import printable


def enabled() -> bool:
    return settings.current().progress


def step(text: str, satker: str | None = None) -> None:
    if not enabled():
        return
    who = f"{satker} · " if satker else ""
    print(printable(f"[{dt.datetime.now():%H:%M:%S}] {who}{text}"), file=sys.stderr, flush=True)
