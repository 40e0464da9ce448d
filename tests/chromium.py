"""Headless Chromium for browser tests: Debian's `chromium` package, installed with apt-get when missing (the
machine may be new), run on local files only, with no network.

    dom, errors = render(Path("page.html"), Path("page.png"))

Each call starts Chromium with a fresh empty profile, the flags that keep it off the network (no background
networking, component updates, sync or QUIC; every host name resolves to nothing), and a timeout. The page is
loaded twice: once for `--screenshot`, once for `--dump-dom` (the DOM after load). Console messages reach us
through Chromium's log on stderr (`--enable-logging=stderr --v=0`). Chromium logs every console message of a
web page at INFO level, whatever its level (console.log and console.error alike, and uncaught exceptions as
"Uncaught …"), so every console message of the page counts as an error here: the pages under test have no
script of their own."""
from __future__ import annotations

import html.parser
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
         "--host-resolver-rules=MAP * ~NOTFOUND"]
# "[pid:tid:date:INFO:CONSOLE:12] "message", source: file:///…/page.html (12)"  (newer Chromium)
# "[…:INFO:CONSOLE(12)] "message", source: …"                                    (older Chromium)
# "[…:ERROR:CONSOLE…] …"                                                           (error level, where kept)
_CONSOLE = re.compile(r":CONSOLE[:(]|Uncaught")


def chromium_path() -> Path:
    """/usr/bin/chromium, installed from Debian's packages first when it is not there."""
    if CHROMIUM.exists():
        return CHROMIUM
    apt = shutil.which("apt-get")
    if apt is None:
        raise RuntimeError("chromium is not installed and apt-get is not available to install it")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    for cmd in ([*sudo, apt, "update"], [*sudo, apt, "install", "-y", "chromium"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    if not CHROMIUM.exists():
        raise RuntimeError(f"apt-get installed chromium but {CHROMIUM} is missing")
    return CHROMIUM


def _run(url: str, extra: list[str], timeout: float) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        cmd = [str(chromium_path()), *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
               *extra, url]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "TZ": "Asia/Jakarta", "LANG": "C.UTF-8"})


def console_errors(stderr: str) -> list[str]:
    """The page's console messages and uncaught exceptions from Chromium's log."""
    return [line.strip() for line in stderr.splitlines() if _CONSOLE.search(line)]


def render(html_path: Path, png_path: Path | None = None, width: int = 1280, height: int = 2000,
           timeout: float = 90) -> tuple[str, list[str]]:
    """Load a local HTML file in headless Chromium: screenshot (when png_path is given) at width × height,
    and the DOM after load. Returns (the dumped DOM as HTML, console errors of both loads)."""
    url = Path(html_path).resolve().as_uri()
    if not url.startswith("file://"):
        raise ValueError(f"only local files: {url}")
    errors: list[str] = []
    if png_path is not None:
        png_path = Path(png_path).resolve()
        png_path.unlink(missing_ok=True)
        shot = _run(url, [f"--screenshot={png_path}", f"--window-size={width},{height}"], timeout)
        errors += console_errors(shot.stderr)
        if not png_path.exists():
            raise RuntimeError(f"chromium wrote no screenshot ({shot.returncode}):\n{shot.stderr[-3000:]}")
    dump = _run(url, ["--dump-dom", f"--window-size={width},{height}"], timeout)
    if dump.returncode != 0 or "<html" not in dump.stdout:
        raise RuntimeError(f"chromium --dump-dom failed ({dump.returncode}):\n{dump.stderr[-3000:]}")
    errors += console_errors(dump.stderr)
    return dump.stdout, errors


_BLOCK = {"p", "div", "section", "header", "footer", "main", "h1", "h2", "h3", "h4", "li", "ul", "ol", "table",
          "tr", "td", "th", "br", "svg", "text"}


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "title"):
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title") and self._skip:
            self._skip -= 1
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(dom: str) -> str:
    """The text of a dumped DOM as a reader sees it (entities decoded; no script, style or title text), cells
    and blocks apart, runs of whitespace collapsed to one space."""
    parser = _Text()
    parser.feed(dom)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()
