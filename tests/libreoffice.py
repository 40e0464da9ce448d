"""Headless LibreOffice for workbook and document tests: Debian's `libreoffice-calc` and `libreoffice-writer`
(and `poppler-utils` for `pdftotext` and `pdftoppm`), installed with apt-get when missing (the machine may be
new), run on local files only.

    pdf = to_pdf(Path("lampiran.xlsx"), Path("out"))        # LibreOffice Calc prints the workbook to PDF
    pages = text_lines(pdf)                                  # per page, the text lines with their boxes
    assert not overlapping(pages)                            # no text printed over another line's text

    done = convert(Path("laporan-kinerja.docx"), Path("out"))   # LibreOffice Writer prints a document to PDF
    png = render_page(done.pdf, 7, Path("out"))                 # one page as a PNG (pdftoppm, 60 dpi)
    image = read_png(png)                                       # its pixels, grey levels 0-255, no library
    image.dark_rows(x0, x1)                                     # the rows with a dark line across x0..x1

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
import struct
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PROGRAMS = {"soffice": "libreoffice-calc", "pdftotext": "poppler-utils", "pdftoppm": "poppler-utils"}
WRITER = ("libswlo.so", "libreoffice-writer")  # Writer's library beside soffice: .docx needs it, Calc does not
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


def _install(packages: list[str], lock_wait: float = 900) -> None:
    """apt-get update and install; while another apt (`make system-packages`, the machine's own updates) holds
    dpkg's lock, wait for it, up to `lock_wait` seconds."""
    apt = shutil.which("apt-get")
    if apt is None:
        raise RuntimeError(f"{', '.join(packages)} not installed and apt-get is not available to install them")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    deadline = time.monotonic() + lock_wait
    for cmd in ([*sudo, apt, "update"], [*sudo, apt, "install", "-y", "--no-install-recommends", *packages]):
        while True:
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
            if done.returncode == 0:
                break
            if "lock" not in done.stderr.lower() or time.monotonic() > deadline:
                raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
            time.sleep(10)


def _has_writer(soffice: str | None) -> bool:
    return soffice is not None and (Path(soffice).resolve().parent / WRITER[0]).exists()


def tools(writer: bool = False) -> dict[str, str]:
    """{"soffice": path, "pdftotext": path, "pdftoppm": path}, installing first the Debian packages of what is
    missing (the programs and the fonts; LibreOffice Writer too when `writer`)."""
    missing = [package for program, package in PROGRAMS.items() if _find(program) is None]
    missing += [package for font, package in FONTS.items() if not _has_font(font)]
    if writer and not _has_writer(_find("soffice")):
        missing.append(WRITER[1])
    if missing:
        _install(list(dict.fromkeys(missing)))
    found = {program: _find(program) for program in PROGRAMS}
    absent = [program for program, path in found.items() if path is None]
    absent += [font for font in FONTS if not _has_font(font)]
    if writer and not _has_writer(found["soffice"]):
        absent.append(WRITER[1])
    if absent:
        raise RuntimeError(f"apt-get installed {', '.join(missing)} but {', '.join(absent)} is still missing")
    return found


@dataclass(frozen=True)
class Converted:
    """A PDF LibreOffice printed, with what it said on stdout and stderr (a document it had to repair, a filter
    that failed, would be there)."""
    pdf: Path
    stdout: str
    stderr: str


def to_pdf(xlsx: Path, outdir: Path, timeout: float = 180) -> Path:
    """Print a workbook to PDF with headless LibreOffice Calc (every sheet, its page setup applied)."""
    return convert(xlsx, outdir, timeout).pdf


def convert(document: Path, outdir: Path, timeout: float = 180) -> Converted:
    """Print a workbook (Calc) or a Word document (Writer) to PDF with headless LibreOffice, in a fresh profile."""
    soffice = tools(writer=Path(document).suffix.lower() in (".docx", ".doc", ".odt"))["soffice"]
    document, outdir = Path(document).resolve(), Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    pdf = outdir / f"{document.stem}.pdf"
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "pdf", "--outdir", str(outdir), str(document)]
        # a session of its own: on a timeout the whole of it goes (soffice starts soffice.bin under it)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "HOME": profile, "LANG": "C.UTF-8"}, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise RuntimeError(f"soffice did not convert {document} to PDF within {timeout} s") from None
    if proc.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"soffice wrote no PDF ({proc.returncode}):\n{out[-2000:]}\n{err[-2000:]}")
    return Converted(pdf, out, err)


def render_page(pdf: Path, page: int, outdir: Path, dpi: int = 60, timeout: float = 60) -> Path:
    """One page of a PDF as a PNG (`pdftoppm -r dpi -f page -l page -png`)."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    prefix = outdir / f"{Path(pdf).stem}-{page}"
    done = subprocess.run([tools()["pdftoppm"], "-r", str(dpi), "-f", str(page), "-l", str(page), "-png",
                           "-singlefile", str(pdf), str(prefix)], capture_output=True, timeout=timeout)
    png = prefix.with_suffix(".png")
    if done.returncode != 0 or not png.exists():
        raise RuntimeError(f"pdftoppm failed ({done.returncode}):\n{done.stderr[-2000:]!r}")
    return png


@dataclass(frozen=True)
class Image:
    """A PNG's pixels as grey levels (0 black, 255 white), row by row."""
    width: int
    height: int
    rows: list[bytes]

    def dark_rows(self, x0: int, x1: int, dark: int = 128, share: float = 0.9) -> list[int]:
        """The rows dark over at least `share` of the columns x0..x1: a horizontal line drawn across them."""
        x0, x1 = max(0, x0), min(self.width, x1)
        need = share * (x1 - x0)
        return [y for y, row in enumerate(self.rows) if sum(1 for v in row[x0:x1] if v < dark) >= need]

    def ink(self, dark: int = 128) -> float:
        """The share of dark pixels: 0 for a blank page."""
        return sum(sum(1 for v in row if v < dark) for row in self.rows) / (self.width * self.height)


_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # PNG colour type → samples per pixel (grey, RGB, grey+alpha, RGBA)


def read_png(path: Path) -> Image:
    """Decode an 8-bit PNG (what pdftoppm writes) with zlib and the five PNG row filters; no imaging library."""
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in _CHANNELS or interlace:
        raise ValueError(f"{path}: only 8-bit, non-interlaced grey or RGB(A) PNGs are read")
    channels = _CHANNELS[colour]
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        row = _unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), previous, channels)
        rows.append(bytes(row[i] if channels < 3 else (row[i] + row[i + 1] + row[i + 2]) // 3
                          for i in range(0, stride, channels)))
        previous = row
    return Image(width, height, rows)


def _unfilter(kind: int, row: bytearray, above: bytearray, bpp: int) -> bytearray:
    """Undo a row's PNG filter (none, sub, up, average, Paeth) in place."""
    for i in range(len(row)):
        left = row[i - bpp] if i >= bpp else 0
        up = above[i]
        corner = above[i - bpp] if i >= bpp else 0
        if kind == 1:
            row[i] = (row[i] + left) & 0xFF
        elif kind == 2:
            row[i] = (row[i] + up) & 0xFF
        elif kind == 3:
            row[i] = (row[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            row[i] = (row[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
    return row


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
