"""The warehouse's archive: every input file, accepted or refused, kept as the run read it, under its checksum
(<warehouse>/archive/<sha256>/<name>). The process that read a file keeps it from the bytes it read (`keep`: in
the centre's run, the reading workers, side by side); what none kept (a file past the size limit, batches read on
a Dask cluster, a copy that failed) sakip.load copies from the inbox as it loads the run."""
from __future__ import annotations

import os
from pathlib import Path


def scratch(folder: Path) -> Path:
    """Where this process writes a copy before it takes its name: not beside the name, which may use all 255
    bytes a name can have."""
    return folder / f".{os.getpid()}.partial"


def place(partial: Path, target: Path, times_ns: tuple[int, int]) -> None:
    """The copy written at `partial` given the source's access and modification times and its name."""
    os.utime(partial, ns=times_ns)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial.replace(target)


def keep(folder: Path, sha256: str, name: str, content: bytes, times_ns: tuple[int, int]) -> None:
    """`content`, whose checksum is `sha256`, kept under it unless it already is. Best effort: what can't be
    written here (a full disk, no archive folder yet) is copied by sakip.load."""
    target = folder / sha256 / name
    if target.exists():
        return
    partial = scratch(folder)
    try:
        partial.write_bytes(content)
        place(partial, target, times_ns)
    except OSError:
        partial.unlink(missing_ok=True)
