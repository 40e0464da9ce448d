"""Work spread over processes of this machine (reading files, writing reports: CPU-bound Python that threads
would run on one core)."""
from __future__ import annotations

import importlib
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

# Polars' allocator (jemalloc, read from this variable when polars loads) keeps the pages a process freed until
# it allocates again: a worker idle after reading its files held ~50 MB of them through the run's load, models
# and publishing. A background thread gives them back after a second, at no cost to reading (measured).
ALLOCATOR = ("_RJEM_MALLOC_CONF", "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0")

_warm: ProcessPoolExecutor | None = None  # the pool of `warm_pool`, while its block runs
_warm_size = 0
_warm_modules: tuple[str, ...] = ()


def _pool(workers: int, modules: tuple[str, ...] = ()) -> ProcessPoolExecutor:
    # spawn, not fork: the parent holds threads (Prefect's, polars') that a fork would copy mid-flight
    threads = max(1, (os.cpu_count() or 1) // workers)
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start, initargs=(modules, threads))


def _start(modules: tuple[str, ...], threads: int) -> None:
    """A worker's share of the cores for polars' threads (each worker would otherwise start one per core, and
    the workers' threads contend: 4 % slower reading on 2 cores) and its allocator's setting, then its
    imports. Polars reads both when it is imported; what the user set stands."""
    os.environ.setdefault("POLARS_MAX_THREADS", str(threads))
    os.environ.setdefault(*ALLOCATOR)
    for name in modules:
        importlib.import_module(name)


def _ready() -> None:
    """A task that only makes the pool start a process (the pool starts them on demand)."""


@contextmanager
def warm_pool(workers: int, *modules: str) -> Iterator[None]:
    """Start `workers` processes now, each importing `modules`, and run every `in_processes` of the block on
    them: a run that reads its files and then writes its reports on several processes starts them, and pays
    their imports (~1 s) while the run does other work (again when `renew_warm_pool` replaces them)."""
    global _warm, _warm_size, _warm_modules
    if workers < 2 or _warm is not None:
        yield
        return
    _warm, _warm_size, _warm_modules = _started(workers, modules), workers, modules
    try:
        yield
    finally:
        pool, _warm, _warm_size = _warm, None, 0
        # not waiting: the workers tear their interpreters down (~0.2 s) while the run ends its flow; the
        # interpreter's exit still waits for them
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _started(workers: int, modules: tuple[str, ...]) -> ProcessPoolExecutor:
    pool = _pool(workers, modules)
    for _ in range(workers):
        pool.submit(_ready)
    return pool


def renew_warm_pool(*modules: str) -> None:
    """The warm pool's processes replaced by fresh ones, started now, importing `modules` (by default those of
    the pool they replace): a worker that read a month of files keeps ~100 MB more than a fresh one, and the
    run's own process needs that memory for its models while the new ones import."""
    global _warm, _warm_modules
    if _warm is None:
        return
    _warm_modules = modules or _warm_modules
    old, _warm = _warm, None
    processes = list((getattr(old, "_processes", None) or {}).values())  # shutdown forgets them
    old.shutdown(wait=False, cancel_futures=True)
    # their work is done and returned: ended at once, not after their interpreter has freed its heap object by
    # object (~1 s, while the new ones start and the run holds the month's frames: a national run's peak)
    for process in processes:
        process.kill()
    _warm = _started(_warm_size, _warm_modules)


def warm_workers() -> int:
    """How many processes `warm_pool` has running now (0 outside its block): a step that would not start
    processes of its own for its size can still use these."""
    return _warm_size if _warm is not None else 0


def in_processes(func: Callable[..., Any], batches: list, *args: Any, fresh: bool = False,
                 workers: int | None = None) -> list:
    """func(batch, *args) for each batch, on `workers` processes (default: one per batch; those of `warm_pool`
    when it runs and has enough, unless `fresh`), each taking the next batch when it is done with one; the
    results in the batches' order. Raises BrokenProcessPool when a process died."""
    global _warm
    workers = min(workers or len(batches), len(batches))
    if _warm is not None and workers <= _warm_size and not fresh:
        try:
            futures = [_warm.submit(func, batch, *args) for batch in batches]
        except BrokenProcessPool:  # a worker died (killed, out of memory): this and later steps start afresh
            _warm = None
        else:
            try:
                return [future.result() for future in futures]
            except BrokenProcessPool:  # it died doing this step: later steps start afresh, this one says so
                _warm = None
                raise
    with _pool(workers) as pool:
        futures = [pool.submit(func, batch, *args) for batch in batches]
        return [future.result() for future in futures]
