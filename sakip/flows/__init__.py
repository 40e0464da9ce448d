"""Prefect flows: the orchestration layer. The logic they call lives in sakip.ingest, sakip.readers,
sakip.schemas and sakip.warehouse."""
from __future__ import annotations

import functools
import inspect

from prefect import flow_engine


def _heartbeats_not_joined() -> None:
    """A flow run's end does not wait for its heartbeat thread. The thread sleeps in steps of 1 s and Prefect's
    sync engine joins it when the flow ends: every run waited up to a second for nothing (0.8 s measured, a
    fifth of a national run's start-up and end). Prefect's async engine does not join it (the same function,
    join_on_exit=False); the thread sees the stop within a second and ends without sending again. Heartbeats
    themselves are unchanged: they find crashed runs (sakip.deploy)."""
    send = flow_engine._send_heartbeats
    if not isinstance(send, functools.partial) and "join_on_exit" in inspect.signature(send).parameters:
        flow_engine._send_heartbeats = functools.partial(send, join_on_exit=False)


_heartbeats_not_joined()
