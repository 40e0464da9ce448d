"""How a run fails: the refusals a person can act on (a clear message, no traceback), and `contained`, which
turns any other failure of a warehouse step into RunFailed with its traceback in <warehouse>/logs/."""
from __future__ import annotations

import datetime as dt
import functools
import traceback
from pathlib import Path

from sakip.i18n import _
from sakip.settings import SettingError
from sakip.warehouse import WarehouseBusy, WarehousePaths
from sakip.warehouse.migrations import NewerWarehouse
from sakip.warehouse.transform import MissingProfile, ModelTestFailed


class ReferenceRefused(Exception):
    """The reference data has problems (sakip.schemas.reference): the run refuses to compute with it."""

    def __init__(self, problems: list):
        super().__init__(_("{count} problem(s) in the reference data: {first}").format(
            count=len(problems), first=problems[0].line()))
        self.problems = problems


class RunFailed(Exception):
    """An internal error of a run. Its traceback is written to `log`, not carried: a traceback keeps the
    run's frames, and with them DuckDB objects, alive until the interpreter exits."""

    def __init__(self, message: str, log: Path | None):
        super().__init__(message)
        self.log = log


def contained(func):
    """Turn any failure of a warehouse step into a clean exception raised outside the `except` block (so it
    has no __context__ chaining back to the failed frames), with the traceback in <warehouse>/logs/."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        failure = None
        try:
            return func(*args, **kwargs)
        except (WarehouseBusy, MissingProfile, SettingError, NewerWarehouse) as exc:
            failure = exc.__class__(str(exc))
        except ModelTestFailed as exc:
            failure = ModelTestFailed(exc.failures)
        except Exception as exc:
            paths = next(a for a in [*args, *kwargs.values()] if isinstance(a, WarehousePaths))
            failure = RunFailed(f"{exc.__class__.__name__}: {exc}", write_error_log(paths, traceback.format_exc()))
        raise failure
    return wrapper


def write_error_log(paths: WarehousePaths, text: str) -> Path | None:
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        log = paths.logs / f"error-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.log"
        log.write_text(text)
        return log
    except OSError:
        return None
