"""Headless LibreOffice for workbook tests: Debian's `libreoffice-calc` (and `poppler-utils` for `pdftotext`),
installed with apt-get when missing (the machine may be new), run on local files only.

    pdf = to_pdf(Path("lampiran.xlsx"), Path("out"))        # LibreOffice Calc prints the workbook to PDF
    pages = text_lines(pdf)                                  # per page, the text lines with their boxes
    assert not overlapping(pages)                            # no text printed over another line's text

The fonts come with it: the workbook's Arial is printed in Liberation Sans and the columns are measured in
characters of its default font, Calibri, i.e. Carlito: both have the metrics of the fonts they stand for, so
LibreOffice lays a sheet out as Excel does (without Carlito it takes DejaVu Sans, and every column is a third
wider). Each conversion starts LibreOffice with a fresh empty profile (`-env:UserInstallation`), so a
LibreOffice the user has open or a profile left by an earlier run changes nothing, and with a timeout.
`pdftotext -bbox-layout` gives every page's lines and words with their boxes (points, y down from the top)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PROGRAMS = {"soffice": "libreoffice-calc", "pdftotext": "poppler-utils"}
FONTS = {"LiberationSans-Regular.ttf": "fonts-liberation", "Carlito-Regular.ttf": "fonts-crosextra-carlito"}
FONT_DIR = Path("/usr/share/fonts")
_SOFFICE = ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice")


def _find(program: str) -> str | None:
    for name in _SOFFICE if program == "soffice" else (program,):
        found = shutil.which(name) or (name if os.path.isabs(name) and os.access(name, os.X_OK) else None)
        if found:
            return found
    return None


def _has_font(name: str) -> bool:
    return any(FONT_DIR.rglob(name)) if FONT_DIR.is_dir() else False


def _install(packages: list[str]) -> None:
    apt = shutil.which("apt-get")
    if apt is None:
        raise RuntimeError(f"{', '.join(packages)} not installed and apt-get is not available to install them")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    for cmd in ([*sudo, apt, "update"], [*sudo, apt, "install", "-y", "--no-install-recommends", *packages]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-3000:]}")


def tools() -> dict[str, str]:
    """{"soffice": path, "pdftotext": path}, installing first the Debian packages of what is missing (the
    programs and the fonts)."""
    missing = [package for program, package in PROGRAMS.items() if _find(program) is None]
    missing += [package for font, package in FONTS.items() if not _has_font(font)]
    if missing:
        _install(missing)
    found = {program: _find(program) for program in PROGRAMS}
    absent = [program for program, path in found.items() if path is None]
    absent += [font for font in FONTS if not _has_font(font)]
    if absent:
        raise RuntimeError(f"apt-get installed {', '.join(missing)} but {', '.join(absent)} is still missing")
    return found


def to_pdf(xlsx: Path, outdir: Path, timeout: float = 180) -> Path:
    """Print a workbook to PDF with headless LibreOffice Calc (every sheet, its page setup applied)."""
    soffice = tools()["soffice"]
    xlsx, outdir = Path(xlsx).resolve(), Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    pdf = outdir / f"{xlsx.stem}.pdf"
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "pdf", "--outdir", str(outdir), str(xlsx)]
        # a session of its own: on a timeout the whole of it goes (soffice starts soffice.bin under it)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "HOME": profile, "LANG": "C.UTF-8"}, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise RuntimeError(f"soffice did not convert {xlsx} to PDF within {timeout} s") from None
    if proc.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"soffice wrote no PDF ({proc.returncode}):\n{out[-2000:]}\n{err[-2000:]}")
    return pdf


@dataclass(frozen=True)
class Line:
    """A line of text as pdftotext found it (the words of one baseline, maybe of neighbouring cells): its box in
    points, y down from the top of the page."""
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def text_lines(pdf: Path, timeout: float = 60) -> list[list[Line]]:
    """The text lines of every page of a PDF (`pdftotext -bbox-layout`), one list per page, without the clipped
    copies of merged cells: LibreOffice prints the text of a cell merged over rows on every page its rows
    reach, each time where the cell begins. On the second page that is above the page's first row, where it
    is clipped away, but pdftotext (which ignores clipping) reports it. Such a copy is a word of the page before
    (same text, same x) that lies wholly above the page's first new word (the first row's number); so are the
    headings repeated at the top of the page, which are checked on the sheet's first page."""
    done = subprocess.run([tools()["pdftotext"], "-bbox-layout", str(pdf), "-"], capture_output=True,
                          timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"pdftotext failed ({done.returncode}):\n{done.stderr[-2000:]!r}")
    root = ET.fromstring(done.stdout)
    pages, before = [], set()
    for number, page in enumerate(root.iterfind(".//{*}page"), start=1):
        words = [(i, word.text or "", *(float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
                 for i, line in enumerate(page.iterfind(".//{*}line")) for word in line.iterfind("{*}word")]
        seen = {(text, round(x0, 1)) for _, text, x0, *_ in words}
        top = min((y0 for _, text, x0, y0, _, _ in words if (text, round(x0, 1)) not in before), default=0.0)
        lines = defaultdict(list)
        for i, text, x0, y0, x1, y1 in words:
            if not ((text, round(x0, 1)) in before and y1 <= top):
                lines[i].append((text, x0, y0, x1, y1))
        pages.append([Line(number, min(w[1] for w in ws), min(w[2] for w in ws), max(w[3] for w in ws),
                           max(w[4] for w in ws), " ".join(w[0] for w in ws)) for ws in lines.values()])
        before = seen
    return pages


def overlapping(pages: list[list[Line]], share: float = 0.25) -> list[tuple[Line, Line]]:
    """Pairs of lines of a page printed over each other: their boxes overlap across (the same column) and,
    down, by more than `share` of the smaller height. pdftotext's boxes are the font's full height, taller
    than LibreOffice's line spacing: the lines of one wrapped cell overlap by about 15 % of their height."""
    found = []
    for lines in pages:
        lines = sorted(lines, key=lambda line: line.y0)
        for i, a in enumerate(lines):
            for b in lines[i + 1:]:
                if b.y0 >= a.y1:
                    break
                across = min(a.x1, b.x1) - max(a.x0, b.x0)
                down = min(a.y1, b.y1) - max(a.y0, b.y0)
                if across > 0.5 and down > share * min(a.y1 - a.y0, b.y1 - b.y0):
                    found.append((a, b))
    return found
