"""Every `SAKIP_*` environment variable, read here and nowhere else: its name, type, default and meaning in one
place (docs/operations.md lists them for operators).

`current()` reads the environment each time it is called (a few dictionary lookups): a worker, a test or the
command line that sets a variable before a run sees it take effect, without a restart of the interpreter."""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path


class SettingError(ValueError):
    """A variable is set to something that can't be used; the message names it."""


@dataclass(frozen=True)
class Settings:
    reference_dir: Path | None      # SAKIP_REFERENCE_DIR: the installation's reference folder (else the bundled)
    inbox: str | None               # SAKIP_INBOX: the inbox of scheduled runs (after the flow parameter and the
    warehouse: str | None           # SAKIP_WAREHOUSE: Prefect variable sakip_inbox / sakip_warehouse)
    duckdb_memory_limit: str        # SAKIP_DUCKDB_MEMORY_LIMIT: DuckDB's memory_limit for the run (default 700MB)
    lock_wait_seconds: float        # SAKIP_LOCK_WAIT_SECONDS: how long a run waits for the warehouse (default 0)
    progress: bool                  # SAKIP_PROGRESS=1: one line per stage on stderr (the command line sets it)
    verbose: bool                   # SAKIP_VERBOSE=1: every file and every refusal, not counts (--verbose)
    lang: str                       # SAKIP_LANG: the language of what people read, id (default) or en
    alert_webhook_url: str          # SAKIP_ALERT_WEBHOOK_URL: where alerts are posted
    alert_webhook_secret: str       # SAKIP_ALERT_WEBHOOK_SECRET: a Prefect Secret block holding that URL
    alert_blocks: tuple[str, ...]   # SAKIP_ALERT_BLOCKS: saved Prefect notification blocks, comma-separated
    alert_retry_delay: float        # SAKIP_ALERT_RETRY_DELAY: seconds before an alert's second attempt (default 1)
    zombie_after_seconds: int       # SAKIP_ZOMBIE_AFTER_SECONDS: a run without heartbeat that long is Crashed
    kill_at: str | None             # SAKIP_KILL_AT, SAKIP_PAUSE_AT, SAKIP_PAUSE_FILE: crash and race tests only
    pause_at: str | None            # (sakip.hooks.checkpoint)
    pause_file: Path | None


def _(message: str) -> str:
    """sakip.i18n's `_`, imported when a message is written: the language is itself a setting (SAKIP_LANG)."""
    from sakip.i18n import _ as translated

    return translated(message)


def _text(name: str) -> str:
    return os.environ.get(name, "").strip()


def _number(name: str, default: float, minimum: float = 0) -> float:
    value = _text(name)
    try:
        number = float(value) if value else default
    except ValueError:
        raise SettingError(_("{name} must be a number of seconds, not {value}").format(
            name=name, value=repr(value))) from None
    if not math.isfinite(number) or number > 10 ** 7:  # inf, nan: a wait that never ends
        raise SettingError(_("{name} must be a number of seconds below 10000000, not {value}").format(
            name=name, value=repr(value)))
    if number < minimum:
        raise SettingError(_("{name} must be at least {minimum}, not {value}").format(
            name=name, minimum=f"{minimum:g}", value=f"{number:g}"))
    return number


def _memory(name: str, default: str) -> str:
    value = _text(name) or default
    if not re.fullmatch(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", value, re.IGNORECASE):
        raise SettingError(_("{name} must be an amount of memory such as 1GB or 512MB, not {value}").format(
            name=name, value=repr(value)))
    return value


def _folder(name: str) -> Path | None:
    value = _text(name)
    if not value:
        return None
    if not Path(value).is_dir():  # a typo would quietly compute with the bundled reference data
        raise SettingError(_("{name} names {value}, which is not a folder").format(name=name, value=value))
    return Path(value)


# what sakip speaks (sakip.i18n), each with Babel's locale for its numbers and dates: the first is the default
LOCALES = {"id": "id_ID", "en": "en_US"}
LANGUAGES = tuple(LOCALES)
_PLAIN = {"": LANGUAGES[0], **{lang: lang for lang in LANGUAGES}}  # the values set most often, looked up at once


def _language_of(value: str) -> str | None:
    """'id', 'EN', 'en_US', 'id-ID' → the language sakip speaks; None for one it does not."""
    value = re.split(r"[_.@-]", value.strip().lower(), maxsplit=1)[0] or LANGUAGES[0]
    return value if value in LANGUAGES else None


def _language(name: str) -> str:
    value = _language_of(_text(name))
    if value is None:
        raise SettingError(_("{name} must be one of {languages}, not {value}").format(
            name=name, languages=", ".join(LANGUAGES), value=repr(_text(name))))
    return value


def language() -> str:
    """SAKIP_LANG for code that must never fail (every message goes through it, thousands of times a report:
    kept cheap): a value sakip does not speak is Indonesian here; the command line refuses it before it starts,
    a deployed run when it reads its settings."""
    raw = os.environ.get("SAKIP_LANG", "")
    return _PLAIN.get(raw) or _language_of(raw) or LANGUAGES[0]


def use(lang: str | None = None, verbose: bool | None = None) -> None:
    """Set the command line's options for this process and the processes it starts (Prefect's workers, the
    run's pool), which read them here as they read the environment."""
    if lang is not None:
        os.environ["SAKIP_LANG"] = lang
    if verbose is not None:
        os.environ["SAKIP_VERBOSE"] = "1" if verbose else ""


def current() -> Settings:
    return Settings(
        reference_dir=_folder("SAKIP_REFERENCE_DIR"),
        inbox=_text("SAKIP_INBOX") or None,
        warehouse=_text("SAKIP_WAREHOUSE") or None,
        # DuckDB's share of a run's 1.5 GiB with its workers (issue 20): it fills what it is given (a national
        # December: 1 GB held, 220 MB less at 700MB, the models ~0.3 s slower)
        duckdb_memory_limit=_memory("SAKIP_DUCKDB_MEMORY_LIMIT", "700MB"),
        lock_wait_seconds=_number("SAKIP_LOCK_WAIT_SECONDS", 0),
        progress=_text("SAKIP_PROGRESS") == "1",
        verbose=_text("SAKIP_VERBOSE") == "1",
        lang=_language("SAKIP_LANG"),
        alert_webhook_url=_text("SAKIP_ALERT_WEBHOOK_URL"),
        alert_webhook_secret=_text("SAKIP_ALERT_WEBHOOK_SECRET"),
        alert_blocks=tuple(n.strip() for n in _text("SAKIP_ALERT_BLOCKS").split(",") if n.strip()),
        alert_retry_delay=_number("SAKIP_ALERT_RETRY_DELAY", 1),
        # heartbeats come every 30 s: a shorter window would crash live runs
        zombie_after_seconds=int(_number("SAKIP_ZOMBIE_AFTER_SECONDS", 900, minimum=60)),
        kill_at=_text("SAKIP_KILL_AT") or None,
        pause_at=_text("SAKIP_PAUSE_AT") or None,
        pause_file=Path(_text("SAKIP_PAUSE_FILE")) if _text("SAKIP_PAUSE_FILE") else None,
    )


@dataclass(frozen=True)
class Alerting:
    webhook_url: str
    webhook_secret: str
    blocks: tuple[str, ...]
    retry_delay: float


def alerting() -> Alerting:
    """The alert channels, for code that must never fail: an alert sent while a run fails, the watch. A bad
    SAKIP_ALERT_RETRY_DELAY falls back to 1 s here (the command line refuses it before it starts)."""
    try:
        delay = _number("SAKIP_ALERT_RETRY_DELAY", 1)
    except SettingError:
        delay = 1.0
    return Alerting(_text("SAKIP_ALERT_WEBHOOK_URL"), _text("SAKIP_ALERT_WEBHOOK_SECRET"),
                    tuple(n.strip() for n in _text("SAKIP_ALERT_BLOCKS").split(",") if n.strip()), delay)
