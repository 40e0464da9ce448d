"""Work spread over processes of this machine (reading files, writing reports: CPU-bound Python that threads
would run on one core)."""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable


def in_processes(func: Callable[..., Any], batches: list, *args: Any) -> list:
    """func(batch, *args) for each batch, each on its own process; the results in the batches' order.
    spawn, not fork: the parent holds threads (Prefect's, polars') that a fork would copy mid-flight."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=len(batches), mp_context=context) as pool:
        futures = [pool.submit(func, batch, *args) for batch in batches]
        return [future.result() for future in futures]
