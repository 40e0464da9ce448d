"""Headless Chromium for browser tests: Debian's `chromium` package, installed with apt-get when missing (the
machine may be new), run on local files only, with no network.

    dom, errors = render(Path("page.html"), Path("page.png"))

Each call starts Chromium with a fresh empty profile, the flags that keep it off the network (no background
networking, component updates, sync or QUIC; every host name resolves to nothing), and a timeout. The page is
loaded twice: once for `--screenshot`, once for `--dump-dom` (the DOM after load). Console messages reach us
through Chromium's log on stderr (`--enable-logging=stderr --v=0`). Chromium logs every console message of a
web page at INFO level, whatever its level (console.log and console.error alike, and uncaught exceptions as
"Uncaught …"), so every console message of the page counts as an error here: the pages under test have no
script of their own.

    boxes = measure(Path("page.html"), tmp, 390, png_path=tmp / "390.png")   # element boxes at 390 px
    pdf = print_pdf(Path("page.html"), tmp / "page.pdf")                      # the page as printed
    pages = pdf_words(pdf)                                                     # its words and their boxes

`measure` loads a copy of the page (written next to `png_path`'s folder, never over the page) with a script
added at the end of its body that reads the boxes of the laid-out elements (`getBoundingClientRect()`) and
writes them into the DOM as JSON, read back with `--dump-dom`: the page itself stays script-free. `print_pdf`
prints with Chromium's own print layout (`@media print`, `@page`), without the header and footer it would
add; `pdf_words` reads the PDF's words with their boxes through poppler's `pdftotext -bbox` (Debian's
poppler-utils, installed with apt-get when missing, like chromium)."""
from __future__ import annotations

import html.parser
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
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


PDFTOTEXT = Path("/usr/bin/pdftotext")


def _apt_install(package: str, binary: Path) -> Path:
    """`binary`, installed from Debian's `package` first when it is not there."""
    if binary.exists():
        return binary
    apt = shutil.which("apt-get")
    if apt is None:
        raise RuntimeError(f"{package} is not installed and apt-get is not available to install it")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    for cmd in ([*sudo, apt, "update"], [*sudo, apt, "install", "-y", package]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    if not binary.exists():
        raise RuntimeError(f"apt-get installed {package} but {binary} is missing")
    return binary


def chromium_path() -> Path:
    """/usr/bin/chromium, installed from Debian's packages first when it is not there."""
    return _apt_install("chromium", CHROMIUM)


def pdftotext_path() -> Path:
    """/usr/bin/pdftotext (poppler-utils), installed from Debian's packages first when it is not there."""
    return _apt_install("poppler-utils", PDFTOTEXT)


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


# Added at the end of a test copy's body: the boxes (page coordinates, CSS px) of every table's header cells
# (the cell, and its content as laid out, which can run past the cell) and of the elements of SELECTORS, each
# told whether an ancestor clips or scrolls it horizontally; written into <pre id="sakip-measured">.
_MEASURE = """<script>(function () {
  function box(r) {
    return {left: r.left + scrollX, right: r.right + scrollX, top: r.top + scrollY, bottom: r.bottom + scrollY};
  }
  function name(el) {
    var cls = (el.getAttribute("class") || "").trim();
    cls = cls ? "." + cls.split(/\\s+/).join(".") : "";
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + cls;
  }
  function clipped(el) {
    for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      var o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return true;
    }
    return false;
  }
  var out = {viewport: document.documentElement.clientWidth, innerWidth: innerWidth,
             scrollWidth: document.documentElement.scrollWidth, tables: [], boxes: []};
  document.querySelectorAll("table").forEach(function (t) {
    var heads = [];
    t.querySelectorAll("th").forEach(function (th) {
      var range = document.createRange();
      range.selectNodeContents(th);
      heads.push({text: th.textContent.replace(/\\s+/g, " ").trim(), cell: box(th.getBoundingClientRect()),
                  content: box(range.getBoundingClientRect())});
    });
    out.tables.push({name: name(t), clipped: clipped(t), heads: heads});
  });
  document.querySelectorAll(%s).forEach(function (el) {
    out.boxes.push({name: name(el), clipped: clipped(el), box: box(el.getBoundingClientRect())});
  });
  var target = (window.parent || window).document;
  var pre = target.createElement("pre");
  pre.id = "sakip-measured";
  pre.textContent = JSON.stringify(out);
  target.body.appendChild(pre);
})();</script>"""
SELECTORS = "header, section, aside, footer, .kpi, .kpis, .scroll, .figure, table, svg.chart, .legend, .split > div"
_MEASURED = re.compile(r'<pre id="sakip-measured">(.*?)</pre>', re.S)


# Chromium's headless window is never narrower than 500 px (a --window-size below it gives a 500 px viewport),
# so a page is laid out at a given width in an iframe of that width: a wrapper page whose only content is the
# iframe, its document given inline (srcdoc: the same origin as the wrapper, so its script can write there).
_WRAPPER = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<style>html,body{{margin:0;padding:0;background:#fff}}iframe{{border:0;display:block}}</style></head>
<body><iframe id="page" width="{width}" height="{height}" srcdoc="{srcdoc}"></iframe></body></html>
"""
MIN_WINDOW = 500


def measure(html_path: Path, workdir: Path, width: int, height: int = 900, png_path: Path | None = None,
            selectors: str = SELECTORS, timeout: float = 90) -> dict:
    """The page laid out in a viewport of width × height CSS px: {"viewport": its width, "scrollWidth": the
    document's, "tables": [{"name", "clipped", "heads": [{"text", "cell", "content"}]}], "boxes": [{"name",
    "clipped", "box"}] for the elements of `selectors`}; boxes are {"left", "right", "top", "bottom"} in CSS px
    of the page. The page is shown in an iframe of that size (see _WRAPPER); the measuring script is added to a
    copy of it written into `workdir`, never to the page. With `png_path`, the page without the script is
    screenshotted at the same size. Console errors of either load raise."""
    source = Path(html_path).read_text(encoding="utf-8")
    if "</body>" not in source:
        raise ValueError(f"{html_path}: no </body> to add the measuring script before")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    stem = f"{Path(html_path).stem}-{width}x{height}"
    head, tail = source.rsplit("</body>", 1)
    measured = head + _MEASURE % json.dumps(selectors) + "</body>" + tail
    window = [f"--window-size={max(width, MIN_WINDOW)},{height + 100}"]
    errors: list[str] = []
    if png_path is not None:
        shown = workdir / f"{stem}.html"
        shown.write_text(_WRAPPER.format(title=stem, width=width, height=height,
                                         srcdoc=html.escape(source, quote=True)), encoding="utf-8")
        png_path = Path(png_path).resolve()
        png_path.unlink(missing_ok=True)
        shot = _run(shown.resolve().as_uri(), [f"--screenshot={png_path}", f"--window-size={width},{height}"],
                    timeout)
        errors += console_errors(shot.stderr)
        if not png_path.exists():
            raise RuntimeError(f"chromium wrote no screenshot ({shot.returncode}):\n{shot.stderr[-3000:]}")
    copy = workdir / f"{stem}-measure.html"
    copy.write_text(_WRAPPER.format(title=stem, width=width, height=height,
                                    srcdoc=html.escape(measured, quote=True)), encoding="utf-8")
    dump = _run(copy.resolve().as_uri(), ["--dump-dom", *window], timeout)
    errors += console_errors(dump.stderr)
    found = _MEASURED.search(dump.stdout)
    if dump.returncode != 0 or found is None:
        raise RuntimeError(f"chromium --dump-dom gave no measurements ({dump.returncode}):\n{dump.stderr[-3000:]}")
    if errors:
        raise RuntimeError(f"console errors: {errors}")
    result = json.loads(html.unescape(found.group(1)))
    if result["viewport"] != width:
        raise RuntimeError(f"laid out at {result['viewport']} px, not {width}")
    return result


def print_pdf(html_path: Path, pdf_path: Path, timeout: float = 90) -> Path:
    """The page printed by Chromium to `pdf_path` (its print stylesheet and @page size; no header or footer
    of the browser's own)."""
    url = Path(html_path).resolve().as_uri()
    pdf_path = Path(pdf_path).resolve()
    pdf_path.unlink(missing_ok=True)
    done = _run(url, [f"--print-to-pdf={pdf_path}", "--no-pdf-header-footer"], timeout)
    if console_errors(done.stderr):
        raise RuntimeError(f"console errors: {console_errors(done.stderr)}")
    if not pdf_path.exists() or pdf_path.read_bytes()[:5] != b"%PDF-":
        raise RuntimeError(f"chromium wrote no PDF ({done.returncode}):\n{done.stderr[-3000:]}")
    return pdf_path


@dataclass(frozen=True)
class Word:
    text: str
    x0: float   # PDF points from the page's top left
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    width: float   # points
    height: float
    words: list[Word]


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def pdf_words(pdf_path: Path, timeout: float = 60) -> list[Page]:
    """Every page of a PDF with its words in the order the PDF draws them, each with its box
    (`pdftotext -bbox`)."""
    done = subprocess.run([str(pdftotext_path()), "-bbox", str(pdf_path), "-"], capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"pdftotext failed ({done.returncode}): {done.stderr[-2000:]}")
    return [Page(float(w), float(h), [Word(html.unescape(t), float(a), float(b), float(c), float(d))
                                      for a, b, c, d, t in _WORD.findall(body)])
            for w, h, body in _PAGE.findall(done.stdout)]


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
