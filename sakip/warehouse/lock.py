"""One run per warehouse at a time."""
from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sakip import settings
from sakip.i18n import _
from sakip.warehouse import WarehouseBusy, WarehousePaths


@contextmanager
def warehouse_lock(paths: WarehousePaths) -> Iterator[None]:
    """A second run waits up to SAKIP_LOCK_WAIT_SECONDS (0 by default: the command line refuses at once;
    scheduled runs wait), then refuses with a clear message."""
    paths.ensure()
    wait = settings.current().lock_wait_seconds
    deadline = time.monotonic() + wait
    fd = os.open(paths.root / ".lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(_("another sakip run is using the warehouse {warehouse}; try again when "
                                          "it has finished").format(warehouse=paths.root)) from None
                time.sleep(1)
        yield
    finally:
        os.close(fd)  # closing releases the lock
