"""Crash and race testing: points of a run where a test can make it die or wait (SAKIP_KILL_AT, SAKIP_PAUSE_AT).
A module of its own, light to import: the processes that read the files call it too."""
from __future__ import annotations

import os
import signal
import time

from sakip import settings


def checkpoint(name: str) -> None:
    """SAKIP_KILL_AT=<name> makes the run kill itself (SIGKILL) at that point, so that tests can check what a run
    that dies there leaves behind; SAKIP_PAUSE_AT=<name> makes it create the file $SAKIP_PAUSE_FILE there, holding
    its process id, and wait (up to 5 minutes) until a test removes it, so that another run can go first, or the
    test can kill it. Does nothing otherwise."""
    hooks = settings.current()
    if hooks.kill_at == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if hooks.pause_at == name and hooks.pause_file is not None:
        pause = hooks.pause_file
        pause.write_text(str(os.getpid()))
        deadline = time.monotonic() + 300
        while pause.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
