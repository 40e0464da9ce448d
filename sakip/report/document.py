"""The quarter's Laporan Kinerja as a Word draft (`laporan-kinerja.docx`), in the order and the wording of the
BPOM units' own report: a cover with a draft notice; Kata Pengantar, Ikhtisar Eksekutif, Bab I and Bab II as
marked places for what only people write; Bab III filled from the published figures (3.1 table 3.1 and the
NKO, the analysis per sasaran and per indicator with its yearly and quarterly comparisons and the SIPT facts a
writer needs; 3.3 the budget, performance against budget, efficiency); Bab IV for people again.

    build_document(report, Path("wh/reports/672849/2025-06/laporan-kinerja.docx"), "published.duckdb")

It is the Indonesian report whatever the language of the run: its texts are Indonesian here, its numbers
formatted for id_ID (105,73%; Rp1.601.792.883). Nothing in it is styled directly: every paragraph, run and
table takes a style of the template by name (STYLES), so a unit that restyles the template (docs/templat-
laporan.md) restyles the report. The template is the `template` given, else templat_laporan_kinerja.docx of
the installation's reference folder, else the bundled one. A style the template lacks is not fatal: the
writer falls back to the template's default style for it and logs a warning naming the file and the styles.

What went wrong comes first, as in the workbook and the page: when a refused source holds back figures of
the period, Bab III opens with the notice, and each figure held back has the template's "Angka Versi Lama"
(kept at its last good version) or "Angka Belum Ada Data" (no data yet) style, explained under its table."""
from __future__ import annotations

import bisect
import calendar
import copy
import csv
import datetime as dt
import hashlib
import io
import itertools
import logging
import os
import re
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.coreprops import CoreProperties
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Emu
from lxml import etree

from sakip.i18n import _, speaking
from sakip.report.data import KEPT, NO_DATA, ReportData, notice, runs_of
from sakip.report.format import BULAN, periode, rounded
from sakip.warehouse.db import BUNDLED_REFERENCE, reference_dir

log = logging.getLogger(__name__)

TEMPLATE = "templat_laporan_kinerja.docx"
ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}
SATKER_FIELD = "{nama_satker}"  # the letterhead's line the unit's name replaces
P, C, T = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE
# role in the writer: (style name in the template, type)
STYLES = {
    "title": ("Title", P), "subtitle": ("Subtitle", P), "draft": ("Catatan Draf", P),
    "h1": ("Heading 1", P), "h2": ("Heading 2", P), "h3": ("Heading 3", P), "h4": ("Heading 4", P),
    "body": ("Normal", P), "item": ("Judul Butir", P), "sasaran": ("Teks Sasaran", P),
    "placeholder": ("Placeholder", P), "notice": ("Perhatian", P), "fact": ("Fakta Data", P),
    "caption": ("Caption", P), "note": ("Catatan Tabel", P), "th": ("Tabel Kepala", P), "td": ("Tabel Isi", P),
    "num": ("Tabel Angka", P), "table": ("Tabel Laporan", T), "strong": ("Strong", C),
    KEPT: ("Angka Versi Lama", C), NO_DATA: ("Angka Belum Ada Data", C),
}
MARK = {KEPT: "berlatar kuning", NO_DATA: "berlatar jingga"}  # how the template's two held styles look
# the published tables the document shows, whose held-back figures its notice names
SHOWN = ("nko", "capaian_iku", "perbandingan_triwulan", "kinerja_anggaran", "realisasi_anggaran", "anggaran_satker",
         "efisiensi", "sla_ringkasan", "sla_pengujian", "sampel_ringkasan", "rekomendasi_ringkasan",
         "pemeriksaan_ringkasan", "ketepatan_waktu_ringkasan", "iku_sipt_komponen")
MAX_TEMPLATE_BYTES = 50 * 2**20  # unpacked: the bundled template holds under 1 MiB, a unit's logo far less
MAX_TEMPLATE_PARTS = 1000
SAKIP, REVISION = "sakip", 1  # a draft's last editor and revision until someone saves it
SEAL = "sakip:"  # dc:identifier of a draft: its body part and the hash of it as sakip saved it
RELS = "_rels/.rels"  # the package's relationships: where its core properties are
TEXT_WIDTH_CM = 16.0  # the tables' widths below are cm of this text width (spread over the page's)


class TemplateError(ValueError):
    """The template cannot be opened as a Word document."""


# ------------------------------------------------------------------------------------------------ formats

_ID_SEPARATORS = str.maketrans(",.", ".,")


def _angka(value: Any, places: int = 2) -> str:
    """A number as the Indonesian report prints it, whatever the run's language: what format.angka gives in
    Indonesian (a test holds them equal), without Babel's pattern machinery: 0.1 ms a number, and a draft has
    some 700 numbers."""
    number = rounded(value, places)
    if number is None:
        return "-"
    if not number.is_finite():
        return str(number)
    return f"{number:,.{places}f}".translate(_ID_SEPARATORS)


def _persen(value: Any) -> str:
    return "-" if value is None else _angka(value) + "%"


def _rupiah(value: Any) -> str:
    """Rp1.601.792.883, as the report writes it."""
    return "-" if value is None else "Rp" + _angka(value, 0)


def _uang(value: Any) -> str:
    """An amount in a table: no currency sign; nothing (0) is '-', as in the report's tables."""
    return "-" if value is None or value == 0 else _angka(value, 0)


def _tanggal(value: dt.date | None) -> str:
    return "-" if value is None else f"{value.day} {BULAN[value.month - 1]} {value.year}"


def _daftar(items: list[str]) -> str:
    """'a', 'a dan b', 'a, b dan c'."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " dan " + items[-1]


def _dalam_kalimat(text: str) -> str:
    """A remark continued inside a sentence: its first letter lower case (not an acronym's), no final stop."""
    text = text.strip().rstrip(".")
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


# ------------------------------------------------------------------------------------------------ the period

@dataclass(frozen=True)
class Periode:
    tahun: int
    bulan: int
    tahunan: bool = False

    @property
    def triwulan(self) -> int:
        """The quarter the month ends or lies in (m // 3 for the quarters' last months)."""
        return (self.bulan + 2) // 3

    @property
    def label(self) -> str:
        """'Triwulan II' / 'Tahun 2025': the report's columns and headings."""
        return f"Tahun {self.tahun}" if self.tahunan else f"Triwulan {ROMAWI[self.triwulan]}"

    @property
    def judul(self) -> str:
        return f"LAPORAN KINERJA {self.label.upper()}" + ("" if self.tahunan else f" TAHUN {self.tahun}")

    @property
    def hingga(self) -> str:
        return f"Hingga akhir tahun {self.tahun}" if self.tahunan else f"Hingga triwulan {ROMAWI[self.triwulan]}"

    @property
    def akhir(self) -> dt.date:
        return dt.date(self.tahun, self.bulan, calendar.monthrange(self.tahun, self.bulan)[1])

    def triwulan_label(self, triwulan: int, tahun: int) -> str:
        """An earlier quarter: 'Triwulan I tahun 2025'; the same yearly report of an earlier year: 'Tahun 2024'."""
        return f"Tahun {tahun}" if self.tahunan and triwulan == 4 else f"Triwulan {ROMAWI[triwulan]} tahun {tahun}"


# ------------------------------------------------------------------------------------------------ the template

def template_path(template: Path | None = None) -> Path:
    """The template given, else the installation's own (its reference folder), else the bundled one."""
    if template is not None:
        return Path(template)
    own = reference_dir() / TEMPLATE
    return own if own.exists() else BUNDLED_REFERENCE / TEMPLATE


# What opening a damaged package may raise: zipfile's, python-docx's and lxml's errors (XMLSyntaxError).
_OPEN_ERRORS = (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, RuntimeError,
                NotImplementedError, zlib.error, etree.LxmlError)


def _open(source: Path):
    """The template as python-docx reads it, after its size is bounded; TemplateError when it cannot be used."""
    try:
        _bounded(source)
        doc = Document(str(source))
    except TemplateError:
        raise
    except _OPEN_ERRORS as error:
        raise TemplateError(_not_word(source, f"{_broken_part(source) or ''}{error}")) from error
    if doc.element.tag != qn("w:document"):
        raise TemplateError(_not_word(source, f"word/document.xml: <{doc.element.tag}>"))
    return doc


def _not_word(source: Path, error: Any) -> str:
    return _("{path} is not a Word document (.docx) a Laporan Kinerja can be written from: {error}").format(
        path=source, error=error)


def _bounded(source: Path) -> None:
    """Refuse a template whose parts would take too much memory, from its zip's central directory, before
    anything is unpacked (zipfile stops at the declared sizes: they cannot lie)."""
    with zipfile.ZipFile(source) as z:
        infos = z.infolist()
    size = sum(i.file_size for i in infos)
    if size > MAX_TEMPLATE_BYTES:
        raise TemplateError(_("{path} is too large for a Laporan Kinerja template: its parts hold {size} MiB "
                              "uncompressed, more than {limit} MiB").format(
            path=source, size=-(-size // 2**20), limit=MAX_TEMPLATE_BYTES // 2**20))
    if len(infos) > MAX_TEMPLATE_PARTS:
        raise TemplateError(_("{path} has {count} parts, more than the {limit} a Laporan Kinerja template may "
                              "have").format(path=source, count=len(infos), limit=MAX_TEMPLATE_PARTS))


def _broken_part(source: Path) -> str | None:
    """'word/styles.xml: ' for the first XML part that does not parse (lxml's message does not name it)."""
    parser = etree.XMLParser(resolve_entities=False)
    try:
        with zipfile.ZipFile(source) as z:
            for name in z.namelist():
                if name.endswith((".xml", ".rels")):
                    try:
                        etree.fromstring(z.read(name), parser)
                    except etree.XMLSyntaxError:
                        return f"{name}: "
    except _OPEN_ERRORS:
        return None
    return None


def _styles(doc, source: Path) -> dict[str, Any]:
    """Each role's style of the template (None: the default style, for a style the template lacks)."""
    by_name = {(s.name, s.type): s for s in doc.styles}
    found = {role: by_name.get((name, kind)) for role, (name, kind) in STYLES.items()}
    missing = [STYLES[role][0] for role, style in found.items() if style is None]
    if missing:
        log.warning(_("{path} has no style {styles}: the Laporan Kinerja uses the default style instead").format(
            path=source, styles=", ".join(f"'{name}'" for name in missing)))
    return found


def missing_styles(template: Path | None = None) -> list[str]:
    """The styles the writer uses that the template lacks (none for the bundled template)."""
    return template_gaps(template)[0]


def template_gaps(template: Path | None = None) -> tuple[list[str], bool]:
    """What a draft written from the template would do without: the styles it lacks, and whether its page headers
    or footers hold {nama_satker}. TemplateError when no draft can be written from it."""
    doc = _open(template_path(template))
    names = {(s.name, s.type) for s in doc.styles}
    return [name for name, kind in STYLES.values() if (name, kind) not in names], bool(_letterhead_names(doc))


def _clear_body(doc) -> None:
    """The template's sample content goes; its final section (page setup, header and footer) stays. A body
    without one gets an A4 portrait page (as Word would give it one), so that sections can be added."""
    body = doc.element.get_or_add_body()
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    body.get_or_add_sectPr()
    section = doc.sections[-1]
    if not section.page_width or not section.page_height:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        if getattr(section, side) is None:
            setattr(section, side, Cm(2.5))


def _letterhead_parts(doc, source: Path) -> list[str]:
    """The names of the template's header and footer parts that hold {nama_satker}; a warning when none does."""
    names = _letterhead_names(doc)
    if not names:
        log.warning(_("{path} has no {field} in its page headers or footers: the Laporan Kinerja's letterhead "
                      "does not name the unit").format(path=source, field=SATKER_FIELD))
    return names


def _letterhead_names(doc) -> list[str]:
    names = []
    for section in doc.sections:
        for part in (section.header, section.first_page_header, section.even_page_header, section.footer,
                     section.first_page_footer, section.even_page_footer):
            if part.is_linked_to_previous:
                continue
            # replaced by itself: counted, nothing changed
            if sum(_replace(p, SATKER_FIELD, SATKER_FIELD) for p in part._element.iter(_W_P)):
                names.append(part.part.partname.lstrip("/"))
    return list(dict.fromkeys(names))


def _letterhead(template: Template, nama: str) -> dict[str, bytes]:
    """The template's header and footer parts that name the unit, with its name where they say {nama_satker}."""
    out = {}
    for name, xml in template.letterhead:
        part = parse_xml(xml)
        for p in part.iter(_W_P):
            _replace(p, SATKER_FIELD, nama)
        out[name] = serialize_part_xml(part)
    return out


def _replace(p, old: str, new: str) -> int:
    """Replace `old` in a paragraph's text where it may be split over runs (Word splits a line it edited),
    touching only the w:t elements that hold it: a drawing, a field, a tab or a break around it stays, and
    `old` is not matched across one. Returns how many were replaced."""
    ts, texts = [], []
    for r in p.iter(_W_R):
        if next(r.iterancestors(_W_P), None) is not p:  # a text box's runs are its own paragraphs'
            continue
        for child in r:
            if child.tag not in _NO_TEXT:
                ts.append(child if child.tag == _W_T else None)
                texts.append((child.text or "") if child.tag == _W_T else "\x00")
    starts = list(itertools.accumulate((len(t) for t in texts), initial=0))
    hits = [m.start() for m in re.finditer(re.escape(old), "".join(texts))]
    for at in reversed(hits):  # from the end: the earlier hits' offsets stay valid
        first = bisect.bisect_right(starts, at) - 1
        last = bisect.bisect_right(starts, at + len(old) - 1) - 1
        head, tail = texts[first][:at - starts[first]], texts[last][at + len(old) - starts[last]:]
        for i in range(first, last + 1):
            texts[i] = ""
        texts[last] = tail  # the rest of the last run stays in it, with its formatting
        texts[first] = head + new + texts[first]
    for t, text in zip(ts, texts):
        if t is not None and t.text != text:
            t.text = text
            if text != text.strip():
                t.set(_XML_SPACE, "preserve")
    return len(hits)


def _text_width(sect_pr) -> float:
    """The text width of a section (w:sectPr as python-docx reads it), cm."""
    width = sect_pr.page_width - sect_pr.left_margin - sect_pr.right_margin
    return Emu(width).cm if width > 0 else TEXT_WIDTH_CM


# ------------------------------------------------------------------------------------------------ the template

@dataclass(frozen=True)
class Template:
    """A template made ready to write drafts from, once per process and version of the file: opening and saving
    a package through python-docx cost ~50 ms a draft, most of it parsing, writing and compressing the
    template's 800 KB of styles again. Held: the styles by role; the parts a draft changes (word/document.xml
    around its body, the headers and footers that name the unit, the core properties); and the package without
    them, which each draft copies as it is."""
    source: Path
    styles: dict[str, str | None]  # role → the template's style id (None: the default style)
    document: str  # the body's part (word/document.xml) …
    head: str      # … its XML before the body's content
    tail: str      # … and after the last section's properties
    sect_pr: bytes  # the last section's properties (w:sectPr): page size, margins, header and footer
    letterhead: tuple[tuple[str, bytes], ...]  # the parts holding {nama_satker}: (name, XML)
    core: tuple[str, bytes]  # the core properties: (name, XML)
    base: bytes  # the package without the parts above


_BODY = "<!--sakip: the body's content-->"
_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"  # as python-docx writes a part
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_templates: dict[tuple[str, int, int], Template] = {}


def _template(source: Path) -> Template:
    """The template at `source` made ready, once per process and version (a unit that restyles it between two
    runs gets the new one)."""
    try:
        stat = source.stat()
    except OSError as error:
        raise TemplateError(_not_word(source, error)) from error
    key = (str(source.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _templates:
        if len(_templates) >= 4:  # a process sees one template, a test a few
            _templates.clear()
        _templates[key] = _prepare(source)
    return _templates[key]


def _prepare(source: Path) -> Template:
    """Open the template through python-docx once: its styles, its body emptied (its last section kept), core
    properties when it has none; saved, then split into the parts a draft writes and the package it copies."""
    doc = _open(source)
    styles = _styles(doc, source)
    _clear_body(doc)
    doc.core_properties  # noqa: B018 - python-docx adds its default ones to a package without them
    letterhead = _letterhead_parts(doc, source)
    saved = io.BytesIO()
    try:
        doc.save(saved)
    except _OPEN_ERRORS as error:
        raise TemplateError(_not_word(source, error)) from error
    with zipfile.ZipFile(saved) as z:
        document = doc.part.partname.lstrip("/")
        core = _core_name(z)
        root = etree.fromstring(z.read(document), etree.XMLParser(resolve_entities=False))
        if root.nsmap.get("w") != _W_NS:  # the body is written with w: (as Word writes it); bind it so
            bound = etree.Element(root.tag, dict(root.attrib),
                                  nsmap={**{k: v for k, v in root.nsmap.items() if k != "w"}, "w": _W_NS})
            bound.extend(root)
            root = bound
        body = root.find(qn("w:body"))
        sect_pr = body.find(qn("w:sectPr"))
        body.remove(sect_pr)
        body.append(etree.Comment(_BODY[4:-3]))
        head, _mark, tail = etree.tostring(root, encoding="unicode").rpartition(_BODY)
        parts = {document, core, *letterhead}
        base = io.BytesIO()
        with zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as out:
            for info in z.infolist():
                if info.filename not in parts:
                    out.writestr(info, z.read(info))
        return Template(source, {role: style.style_id if style is not None else None
                                 for role, style in styles.items()},
                        document, head, tail, etree.tostring(sect_pr),
                        tuple((name, z.read(name)) for name in letterhead), (core, z.read(core)), base.getvalue())


# ------------------------------------------------------------------------------------------------ the writer

@dataclass
class Cell:
    """A table cell: its text, whether a number (right-aligned), how a refused source holds it back."""
    text: str
    number: bool = False
    held: str | None = None
    strong: bool = False


class Writer:
    """A draft's body in the template's styles, by role, written as XML text: the paragraphs, runs, tables and
    sections python-docx would write (w:pPr/w:pStyle, w:r/w:rPr/w:rStyle, w:t; w:tbl; w:sectPr), without its
    element classes, which cost ten times as much over a draft's 2,000 paragraphs and 1,400 cells."""

    def __init__(self, template: Template):
        # each role's style as pPr / rPr, once: its id comes from a unit's template, escaped
        self.p_pr = {role: f'<w:pPr><w:pStyle w:val="{_attr(i)}"/></w:pPr>' if i else "" for role, i in
                     template.styles.items()}
        self.r_pr = {role: f'<w:rPr><w:rStyle w:val="{_attr(i)}"/></w:rPr>' if i else "" for role, i in
                     template.styles.items()}
        self.table_style = template.styles["table"]
        self.sect_pr = parse_xml(template.sect_pr)  # the current (last) section's properties
        self.width = _text_width(self.sect_pr)  # its text width, cm
        self.pending: list[str | Grid] = []  # the body's content, in order

    def para(self, text: str = "", role: str = "body", parts: list[tuple[str, str | None]] = ()) -> None:
        """A paragraph; `parts`: (text, character role) runs after `text`; a line break where a text has one."""
        runs = "".join(_run_xml(part, self.r_pr.get(char, "")) for part, char in [(text, None), *parts] if part)
        self.pending.append(f"<w:p>{self.p_pr[role]}{runs}</w:p>")

    def heading(self, level: int, *lines: str) -> None:
        """A heading; several lines (BAB III / AKUNTABILITAS KINERJA) in one paragraph."""
        self.para("\n".join(lines), f"h{level}")

    def placeholder(self, what: str) -> None:
        self.para(f"[Diisi oleh penyusun: {what}]", "placeholder")

    def section(self, landscape: bool) -> None:
        """What follows on a new page, landscape or portrait (the page's size and margins otherwise the
        template's; its header and footer the template's too). As python-docx's add_section: the section so far
        ends with a paragraph holding its properties; the new one copies them, without the header and footer
        references (it inherits them)."""
        ended = self.sect_pr.clone()  # without Word's revision ids (rsid*), as python-docx copies it
        self.pending.append(f"<w:p><w:pPr>{etree.tostring(ended, encoding='unicode')}</w:pPr></w:p>")
        sect_pr = copy.deepcopy(self.sect_pr)
        for reference in sect_pr.xpath("w:headerReference|w:footerReference"):
            sect_pr.remove(reference)
        sect_pr.start_type = WD_SECTION.NEW_PAGE
        width, height = sect_pr.page_width, sect_pr.page_height
        if landscape != (width > height):
            sect_pr.page_width, sect_pr.page_height = height, width
        sect_pr.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        self.sect_pr, self.width = sect_pr, _text_width(sect_pr)

    def table(self, header: list[str], rows: list[list[Cell]], widths: list[float]) -> Grid:
        """A table of the template's table style: its header row repeated on every page, no row split over two
        pages, numbers right-aligned; its columns `widths` in proportion (cm of a 16 cm text width), spread
        over the page's text width. Written when the body is (merges first: _merge_down, _merge_across)."""
        scale = self.width / sum(widths)
        grid = Grid([[Cell(h) for h in header], *rows], [int(Emu(int(w * scale * 360000)).twips) for w in widths])
        self.pending.append(grid)
        return grid

    def document(self, template: Template) -> bytes:
        """word/document.xml: the template's, its body the paragraphs and tables written, then the last section."""
        content = "".join(item if isinstance(item, str) else self._table_xml(item) for item in self.pending)
        last = etree.tostring(self.sect_pr, encoding="unicode")
        return f"{_DECLARATION}{template.head}{content}{last}{template.tail}".encode()

    def _table_xml(self, grid: Grid) -> str:
        """A table as python-docx writes one (w:tblPr, w:tblGrid, w:tr/w:tc with their widths in twips)."""
        style = f'<w:tblStyle w:val="{_attr(self.table_style)}"/>' if self.table_style else ""
        xml = [f'<w:tbl><w:tblPr>{style}<w:tblW w:type="auto" w:w="0"/>'
               # fixed: the widths as given, not fitted to the text
               '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
               'w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
               *(f'<w:gridCol w:w="{width}"/>' for width in grid.twips), "</w:tblGrid>"]
        for i, values in enumerate(grid.rows):
            # a row is never split over two pages; the header row comes again at the top of each page
            xml.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if i == 0 else "") + "</w:trPr>")
            column = 0
            while column < min(len(values), len(grid.twips)):  # a merged cell covers the next ones
                span = grid.span.get((i, column))
                width = sum(grid.twips[column:column + span]) if span else grid.twips[column]
                xml.append(self._cell(values[column], width, "th" if i == 0 else None, span,
                                      grid.down.get((i, column))))
                column += span or 1
            xml.append("</w:tr>")
        return "".join(xml + ["</w:tbl>"])

    def _cell(self, value: Cell, width: int, role: str | None, span: int | None, first: bool | None) -> str:
        """A cell; `span`: the columns it covers (w:gridSpan); `first`: True for the first cell of a vertical
        merge, False for the ones it covers (w:vMerge, as Word marks them; their text goes)."""
        p_pr = self.p_pr[role or ("num" if value.number else "td")]
        char = value.held or ("strong" if value.strong else None)
        run = _run_xml(value.text, self.r_pr.get(char, "")) if value.text and first is not False else ""
        merge = {True: '<w:vMerge w:val="restart"/>', False: "<w:vMerge/>"}.get(first, "")
        gridspan = f'<w:gridSpan w:val="{span}"/>' if span else ""
        return (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{gridspan}{merge}</w:tcPr>'
                f"<w:p>{p_pr}{run}</w:p></w:tc>")


_W_P, _W_R, _W_T = (qn(f"w:{tag}") for tag in ("p", "r", "t"))
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NO_TEXT = {qn("w:rPr"), qn("w:lastRenderedPageBreak")}  # in a run, neither text nor between texts (Word's hint)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # no XML 1.0 document may hold them


def _attr(value: str) -> str:
    """A value inside an attribute's double quotes (a style id comes from a unit's template)."""
    return escape(value, {'"': "&quot;"})


def _run_xml(text: str, r_pr: str = "") -> str:
    """A run (w:r) of `text` with its properties `r_pr` (Writer.r_pr), a line break (w:br) where it has one."""
    lines = []
    for line in _NOT_XML.sub("", text).replace("\r", "").split("\n"):
        line = line.replace("\t", " ")
        space = ' xml:space="preserve"' if line != line.strip() else ""
        lines.append(f"<w:t{space}>{escape(line)}</w:t>")
    return f"<w:r>{r_pr}{'<w:br/>'.join(lines)}</w:r>"


@dataclass
class Grid:
    """A table to write: its rows (the header first) and columns' widths (twips), and its merges."""
    rows: list[list[Cell]]
    twips: list[int]
    down: dict[tuple[int, int], bool] = field(default_factory=dict)  # (row, column) → first of a vertical merge
    span: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, first column) → columns it covers


def _merge_down(grid: Grid, column: int, first: int, last: int) -> None:
    """Merge a column's cells of rows first..last (table rows, the header is 0) into the first's text."""
    if last <= first:
        return
    for row in range(first, last + 1):
        grid.down[(row, column)] = row == first


def _merge_across(grid: Grid, row: int, first: int, last: int) -> None:
    """Merge a row's cells first..last into the first (w:gridSpan; the text is the first's)."""
    grid.span[(row, first)] = last - first + 1


# ------------------------------------------------------------------------------------------------ the data

@dataclass
class Laporan:
    """What the document is written from: the satker-month's report data and what is derived from it once."""
    report: ReportData
    periode: Periode
    published_name: str
    nko: dict[str, Any]
    iku: list[dict[str, Any]] = field(default_factory=list)
    banding: dict[str, dict[str, Any]] = field(default_factory=dict)  # kode_iku → perbandingan_triwulan row
    sipt: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # kode_iku → (jenis, kelompok)
    waktu: dict[str, dict[str, str]] = field(default_factory=dict)  # jenis_waktu → its row of aturan_waktu.csv

    @property
    def nama(self) -> str:
        return self.nko.get("nama_satker") or self.report.kode_satker

    def held(self, table: str) -> str | None:
        """KEPT or NO_DATA when a refused source holds the table's figures back (the states the document marks)."""
        hold = self.report.hold(table)
        return hold.state if hold is not None and hold.state in MARK else None

    def figure(self, text: str, table: str, missing: bool = False, strong: bool = False,
               number: bool = True) -> Cell:
        """A figure of a published table (`number`: right-aligned; a kriteria is not): marked as the workbook
        marks it (every figure of a table kept at its last good version; the missing ones of a table with no
        data yet)."""
        state = self.held(table)
        if state == NO_DATA and not missing:
            state = None
        return Cell(text, number=number, held=state, strong=strong)


def _reference_rows(name: str) -> list[dict[str, str]]:
    """A reference CSV: the installation's own (SAKIP_REFERENCE_DIR) when it has it, else the bundled one."""
    path = reference_dir() / name
    path = path if path.exists() else BUNDLED_REFERENCE / name
    try:
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))
    except OSError:
        return []


def _sipt_map(report: ReportData) -> dict[str, tuple[str, list[str]]]:
    """kode_iku → (jenis, the commodities / recipient kinds / facility groups it is computed from): the jenis
    of mart.iku_sipt_komponen, the groups of reference/iku_sipt.csv for the satker and year."""
    out = {}
    for r in _reference_rows("iku_sipt.csv"):
        if r.get("tahun") == str(report.tahun) and r.get("kode_satker") == report.kode_satker:
            out[r["kode_iku"]] = (r.get("jenis") or "", [k.strip() for k in (r.get("kelompok") or "").split(";")
                                                         if k.strip()])
    for r in report.rows("iku_sipt_komponen"):
        jenis, kelompok = out.get(r["kode_iku"], ("", []))
        out[r["kode_iku"]] = (r["jenis"] or jenis, kelompok)
    return out


def _laporan(report: ReportData, published_name: str, tahunan: bool) -> Laporan:
    nko = report.first("nko")
    if nko is None:
        raise LookupError(_("{source} has no published figures for satker {satker}, {period}").format(
            source=published_name, satker=report.kode_satker, period=periode(report.tahun, report.bulan)))
    return Laporan(report, Periode(report.tahun, report.bulan, tahunan), published_name, nko,
                   iku=report.rows("capaian_iku"),
                   banding={r["kode_iku"]: r for r in report.rows("perbandingan_triwulan")},
                   sipt=_sipt_map(report), waktu={r["kode"]: r for r in _reference_rows("aturan_waktu.csv")})


# ------------------------------------------------------------------------------------------------ the document

def build_document(report: ReportData, path: Path, published_name: str, tahunan: bool = False,
                   template: Path | None = None) -> Path:
    """Write the Laporan Kinerja draft of one satker-month to `path` (beside it first, then renamed over it;
    parent folders created) and return `path`. `tahunan`: the yearly report (B12), titled 'Tahun 2025'.
    Raises LookupError when the report data hold no NKO for the satker-month, TemplateError when the template
    cannot be opened. A draft at `path` that people edited since sakip wrote it is not replaced: it is kept
    beside it as <stem>.disunting-<YYYYMMDD-HHMMSS>.docx (the time it was last saved), and a warning says so."""
    laporan = _laporan(report, published_name, tahunan)
    ready = _template(template_path(template))
    w = Writer(ready)
    _cover(w, laporan)
    _front(w, laporan)
    _bab_3(w, laporan)
    _anggaran(w, laporan)
    _bab_4(w, laporan)
    body = w.document(ready)
    parts = {ready.document: body, **_letterhead(ready, laporan.nama),
             ready.core[0]: _properties(ready, laporan, body)}
    return _save(ready.base, parts, Path(path))


def _save(base: bytes, parts: dict[str, bytes], path: Path) -> Path:
    """The package `base` with `parts` added, beside `path`, then renamed over it; a draft someone edited
    since sakip wrote it is kept aside."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(base)
        with zipfile.ZipFile(tmp, "a", zipfile.ZIP_DEFLATED) as z:
            for name, xml in parts.items():
                z.writestr(name, xml)
        _keep_edited(path)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _keep_edited(path: Path) -> Path | None:
    """Move a draft people edited (or any file sakip did not write) out of the new draft's way, to
    <stem>.disunting-<its time>.docx beside it, never over another such copy. Returns where it went."""
    if not path.is_file() or _untouched(path):
        return None
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
    for n in itertools.count(1):
        kept = path.with_name(f"{path.stem}.disunting-{stamp}{f'-{n}' if n > 1 else ''}{path.suffix}")
        try:
            with open(kept, "x"):  # the name taken atomically: a copy kept before is never replaced
                break
        except FileExistsError:
            continue
    try:
        os.replace(path, kept)
    except OSError:
        kept.unlink(missing_ok=True)
        raise
    log.warning(_("{path} was edited since sakip wrote it, or is not a draft of sakip: it is kept as {kept}").format(
        path=path, kept=kept.name))
    return kept


def _untouched(path: Path) -> bool:
    """Whether `path` is a draft exactly as sakip wrote it: the properties sakip set (Word and LibreOffice set
    the last editor, the revision and the time modified at each save) and the body it sealed (_seal)."""
    try:
        with zipfile.ZipFile(path) as z:
            found = _core_properties(z)
            part, _sep, sealed = found.get("identifier", "").removeprefix(SEAL).rpartition(":")
            digest = hashlib.sha256()
            with z.open(part) as f:
                for chunk in iter(lambda: f.read(2**20), b""):
                    digest.update(chunk)
    except _OPEN_ERRORS:
        return False
    return (found.get("identifier", "").startswith(SEAL) and sealed == digest.hexdigest()
            and found.get("lastModifiedBy") == SAKIP and found.get("revision") == str(REVISION)
            and found.get("created") == found.get("modified"))


def _core_name(z: zipfile.ZipFile) -> str:
    """The part of a package's core properties, by its relationships (docProps/core.xml as Word names it)."""
    rels = etree.fromstring(z.read(RELS), etree.XMLParser(resolve_entities=False))
    return next((r.get("Target", "").lstrip("/") for r in rels if r.get("Type", "").endswith("/core-properties")),
                "")


def _core_properties(z: zipfile.ZipFile) -> dict[str, str]:
    """A package's core properties by local name (lastModifiedBy, revision, …); KeyError without them."""
    name = _core_name(z)
    if z.getinfo(name).file_size > 2**20:  # a few hundred bytes as anyone writes them
        raise KeyError(name)
    core = etree.fromstring(z.read(name), etree.XMLParser(resolve_entities=False))
    return {etree.QName(e).localname: e.text or "" for e in core if isinstance(e.tag, str)}


def _properties(template: Template, laporan: Laporan, body: bytes) -> bytes:
    """The core properties a draft no one has saved since keeps (_untouched), the seal over its body last
    (sakip:word/document.xml:<sha256>: an edit changes it)."""
    element = parse_xml(template.core[1])
    props = CoreProperties(element)
    props.title = f"Laporan Kinerja {laporan.periode.label} Tahun {laporan.periode.tahun} {laporan.nama}"
    props.subject = "Laporan Kinerja (draf)"
    props.author = props.last_modified_by = SAKIP
    props.keywords = f"SAKIP; Laporan Kinerja; {laporan.report.kode_satker}; {laporan.periode.label}"
    props.comments = _sumber(laporan)
    props.revision = REVISION
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    props.created = props.modified = now
    props.identifier = f"{SEAL}{template.document}:{hashlib.sha256(body).hexdigest()}"
    return serialize_part_xml(element)


def _sumber(laporan: Laporan) -> str:
    """Where the figures come from: the published file, the run and its date, the period's last day."""
    run = laporan.report.run or {}
    started = run.get("started_at")
    run_text = f"run {run['run_id']}" if run.get("run_id") else "run yang tidak tercatat"
    if isinstance(started, dt.datetime):
        run_text += f" tanggal {_tanggal(started.date())}"
    return (f"Disusun otomatis oleh sakip dari data yang diterbitkan ({laporan.published_name}, {run_text}; "
            f"data s.d. {_tanggal(laporan.periode.akhir)}).")


def _cover(w: Writer, laporan: Laporan) -> None:
    w.para(laporan.periode.judul, "title")
    w.para(laporan.nama.upper(), "subtitle")
    w.para("", "draft", [("DRAF. ", "strong"), (
        f"{_sumber(laporan)} Angka pada Bab III dihitung dari data tersebut. Bagian bertanda “[Diisi oleh "
        "penyusun: …]” (Kata Pengantar, Ikhtisar Eksekutif, Bab I, Bab II, definisi dan analisis setiap "
        "indikator, Bab IV) ditulis oleh penyusun; periksa seluruh isi sebelum laporan ditandatangani.", None)])


def _front(w: Writer, laporan: Laporan) -> None:
    """What only people write before Bab III, each a marked place; the Ikhtisar with the figures it cites."""
    label, tahun = laporan.periode.label, laporan.periode.tahun
    w.heading(1, "KATA PENGANTAR")
    w.placeholder(f"kata pengantar Laporan Kinerja {label} {laporan.nama} Tahun {tahun}, dengan tempat, "
                  "tanggal, dan tanda tangan Kepala.")
    w.heading(1, "IKHTISAR EKSEKUTIF")
    w.placeholder("ikhtisar eksekutif: tugas dan fungsi, sasaran strategis, capaian utama, kendala, dan "
                  "langkah perbaikan.")
    w.para("Angka dari data yang diterbitkan untuk ikhtisar:", "fact")
    for fact in _ikhtisar(laporan):
        w.para(f"– {fact}", "fact")
    w.heading(1, "BAB I", "PENDAHULUAN")
    w.placeholder("1.1 Latar Belakang; 1.2 Gambaran Umum Organisasi; 1.3 Struktur Organisasi; "
                  "1.4 Isu Strategis.")
    w.heading(1, "BAB II", "PERENCANAAN KINERJA")
    w.placeholder("2.1 Uraian Singkat Rencana Strategis; 2.2 Rencana Kinerja Tahunan; 2.3 Perjanjian Kinerja; "
                  "2.4 Rencana Aksi Perjanjian Kinerja; 2.5 Metode Pengukuran.")


def _ikhtisar(laporan: Laporan) -> list[str]:
    nko, iku = laporan.nko, laporan.iku
    counts: dict[str, int] = defaultdict(int)
    for r in iku:
        counts[r["kriteria"] if r["diukur"] and r["kriteria"] else ""] += 1
    kriteria = [f"{n} indikator “{k}”" for k, n in counts.items() if k]
    if counts.get(""):
        kriteria.append(f"{counts['']} indikator belum diukur")
    facts = [f"{len({r['kode_ss'] for r in iku})} sasaran strategis dan {len(iku)} indikator kinerja utama.",
             f"NKO {_persen(nko['nko'])}" + (f" dengan predikat “{nko['predikat']}”." if nko["predikat"] else ".")]
    if kriteria:
        facts.append(_daftar(kriteria) + ".")
    satker = laporan.report.first("anggaran_satker")
    if satker:
        facts.append(f"Realisasi anggaran s.d. {_tanggal(laporan.periode.akhir)}: {_rupiah(satker['realisasi'])} "
                     f"({_persen(satker['persen_terhadap_pagu_ro'])} dari jumlah pagu RO).")
    return facts


# ------------------------------------------------------------------------------------------------ Bab III, 3.1

def _bab_3(w: Writer, laporan: Laporan) -> None:
    w.heading(1, "BAB III", "AKUNTABILITAS KINERJA")
    _perhatian(w, laporan)
    w.heading(2, "3.1 CAPAIAN KINERJA ORGANISASI")
    nama, tahun = laporan.nama, laporan.periode.tahun
    w.para(f"Capaian Kinerja Organisasi menyajikan hasil pengukuran kinerja dari masing-masing sasaran strategis "
           f"{nama} guna memberikan gambaran lebih lanjut tentang efisiensi dan efektifitas kegiatan yang "
           f"dilaksanakan pada tahun berjalan. Analisis capaian kinerja dilakukan dengan cara membandingkan "
           f"realisasi kinerja triwulan tahun {tahun} terhadap target yang telah ditetapkan pada tahun {tahun} dan "
           "membandingkan realisasi kinerja serta capaian kinerja triwulan saat ini dengan triwulan sebelumnya, "
           "melakukan analisis penyebab keberhasilan/kegagalan atau peningkatan/penurunan kinerja serta alternatif "
           "solusi atau upaya nyata yang telah dilakukan, analisis atas efisiensi penggunaan sumber daya dalam "
           "mencapai kinerja serta analisis rekomendasi perbaikan kinerja untuk selanjutnya.")
    w.para("NKO merupakan nilai kinerja organisasi yang menunjukkan hasil konsolidasi dari seluruh realisasi "
           "indikator kinerja dalam satu Peta Strategi. NKO digunakan untuk menilai kinerja unit/satuan kerja yang "
           "memiliki peta strategi.")
    _nko(w, laporan)
    _tabel_3_1(w, laporan)
    _analisis(w, laporan)
    for n, (_kode, rows) in enumerate(_per_sasaran(laporan.iku), start=1):
        _sasaran(w, laporan, n, rows)
    w.heading(2, "3.2 TINDAK LANJUT REKOMENDASI HASIL EVALUASI SEBELUMNYA")
    w.placeholder("tabel tindak lanjut rekomendasi hasil evaluasi sebelumnya (indikator, kondisi awal, "
                  "rekomendasi, timeline, progres rencana aksi, kondisi akhir).")


def _per_sasaran(iku: list[dict]) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for r in iku:
        groups.setdefault(r["kode_ss"], []).append(r)
    return list(groups.items())


def _perhatian(w: Writer, laporan: Laporan) -> None:
    found = _notice(laporan)
    if found is None:
        return
    title, paragraphs = found
    w.para("", "notice", [(title, "strong")])
    for text in paragraphs:
        w.para(text, "notice")


def _nko(w: Writer, laporan: Laporan) -> None:
    nko = laporan.nko
    intro = ("Berdasarkan aplikasi e-performance pada Sistem Informasi BPOM (SIMETRIS) yang merupakan aplikasi "
             f"kinerja yang diimplementasikan di seluruh UPT Badan POM termasuk {laporan.nama}, ")
    if nko["nko"] is None:
        w.para(intro + f"nilai NKO Total belum dapat dihitung: {_nko_alasan(laporan)}.")
        return
    held = laporan.held("nko")
    predikat = ([(" dengan kriteria “", None), (nko["predikat"], "strong"), ("”.", None)] if nko["predikat"]
                else [(" (kriteria belum dapat ditentukan: "
                       f"{_dalam_kalimat(nko['profil_tidak_lengkap'] or 'profil belum lengkap')}).", None)])
    w.para(intro + "diperoleh nilai ", parts=[("NKO Total", "strong"), (" sebesar ", None),
                                              (_persen(nko["nko"]), held or "strong"), *predikat])
    w.para(f"NKO merupakan rata-rata nilai akhir {nko['jumlah_diukur']} dari {nko['jumlah_iku']} indikator yang "
           "diukur; indikator yang belum diukur (tanpa target atau realisasi) ditandai “-” dan tidak "
           "diperhitungkan.")


def _nko_alasan(laporan: Laporan) -> str:
    nko = laporan.nko
    if nko["profil_tidak_lengkap"]:
        return f"profil metodologi tahun {laporan.periode.tahun} belum lengkap ({nko['profil_tidak_lengkap']})"
    if not nko["jumlah_diukur"]:
        return (f"belum ada indikator yang diukur (0 dari {nko['jumlah_iku']} indikator memiliki target dan "
                f"realisasi bulan {BULAN[laporan.periode.bulan - 1]})")
    return "data capaian indikator belum lengkap"


def _tabel_3_1(w: Writer, laporan: Laporan) -> None:
    bulan = BULAN[laporan.periode.bulan - 1]
    w.para(f"Tabel 3.1 Pengukuran Kinerja {laporan.periode.label} Tahun {laporan.periode.tahun}", "caption")
    rows = []
    for no, r in enumerate(laporan.iku, start=1):
        measured = bool(r["diukur"])
        rows.append([Cell(str(no), number=True), Cell(r["sasaran"] or "-"), Cell(r["indikator"] or "-"), Cell(bulan),
                     laporan.figure(_angka(r["target"]), "capaian_iku", r["target"] is None),
                     laporan.figure(_angka(r["realisasi"]), "capaian_iku", r["realisasi"] is None),
                     laporan.figure(_angka(r["capaian"]) if measured else "-", "capaian_iku", not measured),
                     Cell("Normalisasi" if measured and r["normalisasi"] else "-"),
                     laporan.figure(_persen(r["nilai_akhir"]) if measured else "-", "capaian_iku", not measured)])
    nko = laporan.nko
    totals = [("Total Capaian PK", _persen(nko["total_nilai_akhir"])),
              ("Nilai Kinerja Organisasi (Rata-rata Capaian PK)", _persen(nko["nko"])),
              ("Predikat NKO", nko["predikat"] or "-")]
    for label, value in totals:
        rows.append([Cell(label, strong=True), *[Cell("") for _ in range(7)],
                     laporan.figure(value, "nko", value == "-", strong=True, number=label != "Predikat NKO")])
    header = ["No", "Sasaran Strategis", "Indikator", "Bulan", "Target", "Realisasi", "% Capaian", "Justifikasi",
              "Nilai Akhir"]
    table = w.table(header, rows, [0.7, 2.4, 3.6, 1.7, 1.2, 1.6, 1.4, 1.8, 1.6])
    for a, b in runs_of(laporan.iku, "kode_ss"):
        _merge_down(table, 1, a + 1, b + 1)
    for i in range(len(totals)):
        _merge_across(table, len(laporan.iku) + 1 + i, 0, 7)
    _catatan(w, laporan, "capaian_iku", "nko")


def _catatan(w: Writer, laporan: Laporan, *tables: str) -> None:
    """Under a table: what its marked figures are (one line per refused source and state); else an empty
    note, the space between the table and the text after it."""
    notes = list(dict.fromkeys(n for t in tables if (n := _tanda(laporan, t))))
    for note in notes or [""]:
        w.para(note, "note")


def _tanda(laporan: Laporan, table: str) -> str | None:
    hold = laporan.report.hold(table)
    if hold is None or hold.state not in MARK:
        return None
    files = ", ".join(hold.files)
    if hold.state == KEPT:
        return (f"Angka {MARK[KEPT]}: versi terakhir yang baik, dari {_run(hold.run, hold.started)}: "
                f"{files} ditolak.")
    return f"Angka {MARK[NO_DATA]}: belum ada data, {files} ditolak."


def _run(run_id: str | None, started: Any) -> str:
    if isinstance(started, dt.datetime):
        return f"run {run_id} tanggal {_tanggal(started.date())}"
    return f"run {run_id}"


def _analisis(w: Writer, laporan: Laporan) -> None:
    """The table per sasaran: its indicators with target, realisasi, capaian and kriteria."""
    iku, label = laporan.iku, laporan.periode.label
    w.heading(3, "Analisis Akuntabilitas Kinerja")
    w.para(f"Berdasarkan Perjanjian Kinerja Tahun {laporan.periode.tahun} terdapat "
           f"{len({r['kode_ss'] for r in iku})} sasaran strategis dan {len(iku)} indikator kinerja dengan capaian "
           "sebagai berikut :")
    rows, groups = [], _per_sasaran(iku)
    for n, (_kode, members) in enumerate(groups, start=1):
        for i, r in enumerate(members, start=1):
            measured = bool(r["diukur"])
            rows.append([Cell(str(n), number=True), Cell(r["sasaran"] or "-"), Cell(str(i), number=True),
                         Cell(r["indikator"] or "-"), *_capaian_cells(laporan, r),
                         laporan.figure(r["kriteria"] if measured and r["kriteria"] else "-", "capaian_iku",
                                        not measured, number=False)])
    header = ["No", "Sasaran Strategis", "No", "Indikator Kinerja", f"Target {label}", f"Realisasi {label}",
              "Capaian", "Kriteria"]
    table = w.table(header, rows, [0.7, 2.7, 0.7, 4.3, 1.6, 1.6, 1.6, 2.8])
    first = 1
    for _kode, members in groups:
        _merge_down(table, 0, first, first + len(members) - 1)
        _merge_down(table, 1, first, first + len(members) - 1)
        first += len(members)
    _catatan(w, laporan, "capaian_iku")


def _capaian_cells(laporan: Laporan, r: dict) -> list[Cell]:
    """Target, realisasi and capaian of an indicator's month; '-' where there is none."""
    measured = bool(r["diukur"])
    return [laporan.figure(_angka(r["target"]), "capaian_iku", r["target"] is None),
            laporan.figure(_angka(r["realisasi"]), "capaian_iku", r["realisasi"] is None),
            laporan.figure(_persen(r["capaian"]) if measured else "-", "capaian_iku", not measured)]


# ------------------------------------------------------------------------------------------------ per sasaran

def _sasaran(w: Writer, laporan: Laporan, n: int, rows: list[dict]) -> None:
    w.heading(3, f"SASARAN STRATEGIS {n}")
    w.para(rows[0]["sasaran"] or rows[0]["kode_ss"], "sasaran")
    w.para(f"Indikator Kinerja Sasaran Strategis {n}", "item")
    for i, r in enumerate(rows, start=1):
        _indikator(w, laporan, i, r)


def _indikator(w: Writer, laporan: Laporan, i: int, r: dict) -> None:
    label = laporan.periode.label
    w.heading(4, f"{i}. {r['indikator']}")
    w.placeholder(f"definisi dan cara pengukuran indikator {r['indikator']}.")
    w.para(f"a. Perbandingan Antara Target dengan Realisasi Kinerja {label}", "item")
    _tabel_indikator(w, laporan, r)
    w.para(_kalimat_realisasi(laporan, r))
    for sentence in _kalimat_banding(laporan, r):
        w.para(sentence)
    _tahunan(w, laporan, r)
    w.para("b. Analisis Penyebab Keberhasilan/Kegagalan atau Peningkatan/Penurunan Kinerja Serta Alternatif "
           "Solusi yang telah Dilakukan", "item")
    facts = _fakta(laporan, r["kode_iku"])
    if facts:
        w.para(f"Data SIPT s.d. {_tanggal(laporan.periode.akhir)} untuk bahan analisis (dihitung dari data yang "
               "diterbitkan):", "fact")
        for fact in facts:
            w.para(f"– {fact}", "fact")
    w.placeholder("analisis penyebab keberhasilan/kegagalan atau peningkatan/penurunan kinerja serta alternatif "
                  "solusi yang telah dilakukan.")
    w.para("c. Analisis Program/Kegiatan yang Menunjang Keberhasilan/Kegagalan Pencapaian Kinerja", "item")
    w.placeholder("program/kegiatan yang menunjang keberhasilan/kegagalan pencapaian kinerja.")


def _tabel_indikator(w: Writer, laporan: Laporan, r: dict) -> None:
    """Target, realisasi, capaian, kriteria and the earlier quarters' capaian of one indicator."""
    label = laporan.periode.label
    measured = bool(r["diukur"])
    kolom = _kolom_banding(laporan)
    banding = laporan.banding.get(r["kode_iku"]) or {}
    cells = [Cell(r["indikator"] or "-"), *_capaian_cells(laporan, r),
             laporan.figure(r["kriteria"] if measured and r["kriteria"] else "-", "capaian_iku", not measured,
                            number=False),
             *(laporan.figure(_persen(banding.get(key)), "perbandingan_triwulan", banding.get(key) is None)
               for _, key in kolom)]
    header = ["Indikator Kinerja", f"Target {label}", f"Realisasi {label}", "Capaian", "Kriteria",
              *(title for title, _ in kolom)]
    widths = [1.8, 1.8, 1.7, 2.5, *(1.6 for _ in kolom)]
    w.table(header, [cells], [TEXT_WIDTH_CM - sum(widths), *widths])
    _catatan(w, laporan, "capaian_iku", *(["perbandingan_triwulan"] if kolom else []))


def _kalimat_realisasi(laporan: Laporan, r: dict) -> str:
    if r["diukur"]:
        kriteria = f"dengan kategori capaian “{r['kriteria']}”" if r["kriteria"] else \
            "dengan kategori capaian yang belum dapat ditentukan"
        return (f"Realisasi {r['indikator']} adalah {_angka(r['realisasi'])} dan Capaian indikator berikut sebesar "
                f"{_persen(r['capaian'])} {kriteria}.")
    return (f"{laporan.periode.hingga}, indikator {r['indikator']} belum dapat diukur: "
            f"{_dalam_kalimat(_alasan(laporan, r))}, sehingga capaiannya tidak diperhitungkan dalam NKO "
            f"{laporan.nama}.")


def _alasan(laporan: Laporan, r: dict) -> str:
    """Why an indicator is not measured: the Realisasi export's remark, else what is missing."""
    if r["keterangan"]:
        return r["keterangan"]
    bulan = BULAN[laporan.periode.bulan - 1]
    if r["target"] is None and r["realisasi"] is None:
        return f"belum ada target dan realisasi bulan {bulan}"
    if r["target"] is None:
        return f"belum ada target bulan {bulan}"
    if r["realisasi"] is None:
        return f"realisasi bulan {bulan} belum dilaporkan"
    return "capaiannya belum dapat dihitung"


def _tahunan(w: Writer, laporan: Laporan, r: dict) -> None:
    """The realisasi against the yearly target: its table and the status sentence."""
    label, tahun = laporan.periode.label, laporan.periode.tahun
    w.para("Apabila dibandingkan dengan target tahunan, maka capaian indikator sebagai berikut:")
    status = r["status_tahunan"]
    capaian = f"{_persen(r['capaian_tahunan'])} {status}" if r["capaian_tahunan"] is not None and status \
        else _persen(r["capaian_tahunan"])
    cells = [Cell(r["indikator"] or "-"), laporan.figure(_angka(r["target_tahunan"]), "capaian_iku"),
             laporan.figure(_angka(r["realisasi"]), "capaian_iku", r["realisasi"] is None),
             laporan.figure(capaian, "capaian_iku", r["capaian_tahunan"] is None)]
    w.table(["Indikator Kinerja", "Target Tahunan", f"Realisasi {label}", "Capaian Terhadap Target Tahunan"],
            [cells], [6.5, 2.5, 2.5, 4.5])
    _catatan(w, laporan, "capaian_iku")
    w.para(_kalimat_tahunan(laporan, r, tahun))


def _kalimat_tahunan(laporan: Laporan, r: dict, tahun: int) -> str:
    status = r["status_tahunan"]
    kategori = f"Kategori capaian kinerja indikator berikut termasuk dalam “{status}”"
    target = f"target tahunan {tahun} {laporan.nama}"
    if r["capaian_tahunan"] is not None and status == "Tercapai":
        return f"{kategori} karena telah mencapai {target}."
    if r["capaian_tahunan"] is not None and status in ("Akan Tercapai", "Perlu Upaya Keras"):
        return f"{kategori} karena belum mencapai {target}."
    if r["capaian_tahunan"] is not None and status:
        return f"{kategori}."
    if not r["diukur"]:
        return "Capaian terhadap target tahunan belum dapat dihitung karena indikator ini belum diukur."
    satuan = f" (satuan: {r['satuan']})" if r["satuan"] else ""
    return (f"Target tahunan {r['indikator']} tahun {tahun} adalah {_angka(r['target_tahunan'])}{satuan}, "
            f"sedangkan target dan realisasi bulanan tidak sebanding dengannya, sehingga belum dapat dihitung "
            f"perbandingan capaian kinerja {laporan.periode.label} dengan target kinerja tahun {tahun}.")


# ------------------------------------------------------------------------------------------------ earlier quarters

def _kolom_banding(laporan: Laporan) -> list[tuple[str, str]]:
    """The columns of the earlier quarters: (heading, field of mart.perbandingan_triwulan). The previous quarter
    of the year (none in the first); the same quarter of the year before where any of it is published."""
    periode = laporan.periode
    if periode.bulan % 3 or not laporan.banding:
        return []
    kolom = []
    if periode.triwulan > 1:
        kolom.append((f"Capaian Triwulan {ROMAWI[periode.triwulan - 1]}", "capaian_triwulan_lalu"))
    if _terbit(laporan, "tahun_lalu") or any(_ada(r, "tahun_lalu") for r in laporan.banding.values()):
        lalu = f"Tahun {periode.tahun - 1}" if periode.tahunan else \
            f"Triwulan {ROMAWI[periode.triwulan]} {periode.tahun - 1}"
        kolom.append((f"Capaian {lalu}", "capaian_tahun_lalu"))
    return kolom


def _ada(row: dict | None, suffix: str) -> bool:
    """Whether the indicator has figures in that earlier quarter."""
    return bool(row) and (row[f"realisasi_{suffix}"] is not None or row[f"capaian_{suffix}"] is not None)


def _terbit(laporan: Laporan, suffix: str) -> bool:
    """Whether the satker's earlier quarter is published at all (the same in each of its rows; a file
    published before the mart said so has no such column: not published)."""
    return any(r.get(f"{suffix}_terbit") for r in laporan.banding.values())


def _kalimat_banding(laporan: Laporan, r: dict) -> list[str]:
    """An indicator's capaian against the previous quarter (from the second), and against the same quarter of
    the year before (in the first always; later where it is published)."""
    periode = laporan.periode
    if periode.bulan % 3 or not r["diukur"]:
        return []
    row = laporan.banding.get(r["kode_iku"])
    out = []
    if periode.triwulan > 1:
        out.append(_banding(periode.triwulan_label(periode.triwulan - 1, periode.tahun), row, "triwulan_lalu",
                            r["capaian"], _terbit(laporan, "triwulan_lalu")))
    terbit = _terbit(laporan, "tahun_lalu")
    if periode.triwulan == 1 or terbit or _ada(row, "tahun_lalu"):
        out.append(_banding(periode.triwulan_label(periode.triwulan, periode.tahun - 1), row, "tahun_lalu",
                            r["capaian"], terbit))
    return out


def _banding(label: str, row: dict | None, suffix: str, capaian: float, terbit: bool) -> str:
    """The sentence comparing with an earlier quarter: not published; published but the indicator not measured
    then (or not there); else its figures and which way the capaian went, as printed."""
    if not _ada(row, suffix):
        if terbit:
            return f"Pada {label} indikator ini belum diukur, sehingga capaiannya belum dapat dibandingkan."
        return f"Capaian {label} belum diterbitkan, sehingga belum dapat dibandingkan."
    realisasi_lalu, capaian_lalu = row[f"realisasi_{suffix}"], row[f"capaian_{suffix}"]
    if capaian_lalu is None:
        return (f"Pada {label} indikator ini belum diukur (realisasi {_angka(realisasi_lalu)}), sehingga "
                "capaiannya belum dapat dibandingkan.")
    lalu = f"Dibandingkan dengan {label} (realisasi {_angka(realisasi_lalu)}; capaian {_persen(capaian_lalu)})"
    arah = row[f"arah_{suffix}"]
    if arah == "tetap":
        return f"{lalu}, capaian indikator ini tetap sebesar {_persen(capaian)}."
    if arah in ("naik", "turun"):
        return f"{lalu}, capaian indikator ini {arah} menjadi {_persen(capaian)}."
    return f"{lalu}, capaian indikator ini menjadi {_persen(capaian)}."


# ------------------------------------------------------------------------------------------------ SIPT facts

def _fakta(laporan: Laporan, kode_iku: str) -> list[str]:
    """What SIPT says about an indicator's commodities, recipients or facilities, for its writer."""
    jenis, kelompok = laporan.sipt.get(kode_iku, ("", []))
    if jenis == "sampel":
        facts = _fakta_sampel(laporan, kelompok)
    elif jenis == "rekomendasi":
        facts = _fakta_rekomendasi(laporan, kelompok)
    elif jenis in ("sarana", "fortifikasi"):
        facts = _fakta_sarana(laporan, kelompok)
    else:
        facts = []
    for k in laporan.report.rows("iku_sipt_komponen"):
        if k["kode_iku"] == kode_iku and k["penyebut"]:
            facts.append(f"Komponen SIPT “{k['keterangan'] or k['komponen']}”: {_angka(k['pembilang'], 0)} dari "
                         f"{_angka(k['penyebut'], 0)} ({_persen(k['persen'])}).")
    held = [t for t in ("sampel_ringkasan", "sla_ringkasan", "rekomendasi_ringkasan", "pemeriksaan_ringkasan",
                        "ketepatan_waktu_ringkasan", "iku_sipt_komponen") if laporan.held(t)]
    if facts and held:
        facts.append(" ".join(dict.fromkeys(note for t in held if (note := _tanda(laporan, t)))))
    return facts


def _fakta_sampel(laporan: Laporan, komoditi: list[str]) -> list[str]:
    akhir, nama = _tanggal(laporan.periode.akhir), _daftar(komoditi)
    sampel = sorted((r for r in laporan.report.rows("sampel_ringkasan") if r["komoditi"] in komoditi),
                    key=lambda r: komoditi.index(r["komoditi"]))
    if not sampel:
        return [f"Hingga {akhir} belum ada sampel {nama} di SIPT."]
    total = sum(r["jumlah_sampel"] or 0 for r in sampel)
    counts = [f"{r['komoditi']} {r['jumlah_sampel']}" for r in sampel]
    rincian = f" ({', '.join(counts)})" if len(counts) > 1 else ""
    hasil = (f"hasil uji {sum(r['ms'] or 0 for r in sampel)} MS dan {sum(r['tms'] or 0 for r in sampel)} TMS; "
             f"{sum(r['dalam_pengujian'] or 0 for r in sampel)} masih dalam pengujian")
    facts = [f"Hingga {akhir} telah diambil {total} sampel {nama}{rincian}: {hasil}."]
    sla = [r for r in laporan.report.rows("sla_ringkasan") if r["komoditi"] in komoditi]
    if sla:
        facts.append(_fakta_sla(laporan, komoditi, sla))
    return facts


def _fakta_sla(laporan: Laporan, komoditi: list[str], sla: list[dict]) -> str:
    """The samples tested beyond the SLA limit (LHU late, or still in testing past the limit), per commodity."""
    batas = {r["batas_hari_kerja"] for r in laporan.report.rows("sla_pengujian")
             if r["komoditi"] in komoditi and r["batas_hari_kerja"] is not None}
    limit = f"{next(iter(batas))} hari kerja" if len(batas) == 1 else "batas hari kerja"
    lewat: dict[str, int] = dict.fromkeys(komoditi, 0)  # in the reference's order
    masih = 0
    for r in sla:
        lewat[r["komoditi"]] += (r["terlambat"] or 0) + (r["lewat_batas"] or 0)
        masih += r["lewat_batas"] or 0
    total = sum(lewat.values())
    if not total:
        return f"Tidak ada sampel {_daftar(komoditi)} yang diuji lebih dari {limit} (SLA pengujian)."
    nama = _daftar([k for k in komoditi if lewat.get(k)])
    counts = [f"{k} {n}" for k, n in lewat.items() if n]
    rincian = f" ({', '.join(counts)})" if len(counts) > 1 else ""
    still = f"; {masih} di antaranya masih dalam pengujian" if masih else ""
    return f"{total} sampel {nama} diuji lebih dari {limit} (SLA pengujian){rincian}{still}."


def _fakta_rekomendasi(laporan: Laporan, penerima: list[str]) -> list[str]:
    """The letters to the indicator's recipients (all of them when the reference lists none): never another
    recipient's letters in place of the indicator's."""
    rows = {r["jenis_penerima"]: r for r in laporan.report.rows("rekomendasi_ringkasan")}
    ours = [rows[p] for p in penerima if p in rows] if penerima else list(rows.values())
    if not ours:
        kepada = f" kepada {_daftar(penerima)}" if penerima else ""
        return [f"Hingga {_tanggal(laporan.periode.akhir)} belum ada surat rekomendasi{kepada} di SIPT."]
    open_ = [f"{r['tanpa_feedback']} surat rekomendasi kepada {r['jenis_penerima']} (dari {r['jumlah_surat']} surat)"
             for r in ours if r["tanpa_feedback"]]
    if not open_:
        return [f"Seluruh {sum(r['jumlah_surat'] or 0 for r in ours)} surat rekomendasi telah mendapatkan feedback."]
    return [f"Masih terdapat {_daftar(open_)} yang belum mendapatkan feedback hingga "
            f"{_tanggal(laporan.periode.akhir)}."]


def _fakta_sarana(laporan: Laporan, kelompok: list[str]) -> list[str]:
    rows = {r["kelompok"]: r for r in laporan.report.rows("pemeriksaan_ringkasan")}
    facts = []
    for k in kelompok:
        r = rows.get(k)
        if r is None:
            facts.append(f"Hingga {_tanggal(laporan.periode.akhir)} belum ada pemeriksaan sarana {k} di SIPT.")
            continue
        facts.append(f"{r['jumlah_pemeriksaan']} pemeriksaan sarana {k} pada {r['jumlah_sarana']} sarana: "
                     f"{r['mk']} memenuhi ketentuan (MK) dan {r['tmk']} tidak memenuhi ketentuan (TMK); "
                     f"{r['surat_tl']} dengan surat tindak lanjut.")
        facts.append(_fakta_waktu(laporan, k))
    return facts


def _fakta_waktu(laporan: Laporan, kelompok: str) -> str:
    """A facility group's timelines (report in SIPT, follow-up letter, CAPA): how many went beyond the limit."""
    rows = [r for r in laporan.report.rows("ketepatan_waktu_ringkasan") if r["kelompok"] == kelompok]
    late, names = [], []
    for r in rows:
        aturan = laporan.waktu.get(r["jenis_waktu"], {})
        nama = aturan.get("nama") or r["jenis_waktu"]
        names.append(_dalam_kalimat(nama))
        lewat = (r["terlambat"] or 0) + (r["lewat_batas"] or 0)
        if lewat:
            batas = f", batas {aturan['batas']} {aturan.get('satuan') or r['satuan']}" if aturan.get("batas") else ""
            still = f", {r['lewat_batas']} di antaranya belum selesai" if r["lewat_batas"] else ""
            late.append(f"{nama}: {lewat} dari {r['jumlah']} melewati batas waktu ({r['satuan']}{batas}{still})")
    if late:
        return f"Ketepatan waktu sarana {kelompok}: " + "; ".join(late) + "."
    if names:
        return f"Tidak ada {_daftar(names)} sarana {kelompok} yang melewati batas waktu."
    return f"Belum ada data ketepatan waktu sarana {kelompok} di SIPT."


# ------------------------------------------------------------------------------------------------ 3.3

def _anggaran(w: Writer, laporan: Laporan) -> None:
    w.heading(2, "3.3 REALISASI ANGGARAN")
    _anggaran_satker(w, laporan)
    w.placeholder("nomor dan tanggal DIPA, dasar pemblokiran anggaran, dan revisi DIPA yang telah dilakukan.")
    _kinerja_anggaran(w, laporan)
    _realisasi_ro(w, laporan)
    _efisiensi(w, laporan)


def _anggaran_satker(w: Writer, laporan: Laporan) -> None:
    """The unit's budget: DIPA, blokir, realisasi against DIPA, DIPA net of blokir and the RO pagu."""
    nama, tahun = laporan.nama, laporan.periode.tahun
    s = laporan.report.first("anggaran_satker")
    if s is None:
        w.para(f"Realisasi anggaran {nama} s.d. {_tanggal(laporan.periode.akhir)} belum diterbitkan (ekspor "
               "Realisasi Anggaran SAKTI belum diterima).")
        return
    held = laporan.held("anggaran_satker")
    if s["pagu_dipa"] is not None:
        blokir = (f" Pada tahun {tahun}, total anggaran {nama} yang diblokir sebesar {_rupiah(s['blokir'])}."
                  if s["blokir"] is not None else "")
        w.para(f"{nama} pada tahun {tahun} memperoleh anggaran sesuai DIPA sebesar {_rupiah(s['pagu_dipa'])}."
               + blokir)
    parts = [(f"Realisasi anggaran {nama} sampai dengan {_tanggal(laporan.periode.akhir)} adalah sebesar ", None),
             (_rupiah(s["realisasi"]), held)]
    if s["persen_terhadap_dipa"] is not None:
        parts += [(" atau ", None), (_persen(s["persen_terhadap_dipa"]), held), (" dari pagu DIPA", None)]
    if s["persen_terhadap_dipa_netto"] is not None:
        parts += [("; terhadap pagu DIPA setelah dikurangi blokir (Automatic Adjustment) sebesar ", None),
                  (_rupiah(s["pagu_dipa"] - s["blokir"]), held), (", realisasi anggaran mencapai ", None),
                  (_persen(s["persen_terhadap_dipa_netto"]), held)]
    parts += [("; terhadap jumlah pagu RO sebesar ", None), (_rupiah(s["pagu_ro"]), held),
              (", realisasi anggaran mencapai ", None), (_persen(s["persen_terhadap_pagu_ro"]), held), (".", None)]
    w.para(parts=parts)
    _catatan(w, laporan, "anggaran_satker")


def _kinerja_anggaran(w: Writer, laporan: Laporan) -> None:
    """Performance beside the budget of its group (the group's figures once, merged over its indicators)."""
    rows = laporan.report.rows("kinerja_anggaran")
    if not rows:
        return
    w.section(landscape=True)  # ten columns: on a portrait page an indicator's name would wrap every word
    w.para(f"Berikut perbandingan realisasi kinerja dengan realisasi anggaran {laporan.nama} Tahun "
           f"{laporan.periode.tahun}, sebagai berikut:")
    sasaran = {r["kode_ss"]: r["sasaran"] for r in laporan.iku}
    groups = runs_of(rows, "kode_ss")
    no_ss = {a: n for n, (a, _b) in enumerate(groups, start=1)}
    cells, no_iku = [], 0
    for i, r in enumerate(rows):
        no_iku = 1 if i in no_ss else no_iku + 1
        cells.append([Cell(str(no_ss.get(i, "")), number=True), Cell(sasaran.get(r["kode_ss"], r["kode_ss"])),
                      Cell(str(no_iku), number=True), Cell(r["indikator"] or "-"),
                      *(laporan.figure(_angka(r[k]), "kinerja_anggaran", r[k] is None)
                        for k in ("target", "realisasi", "capaian")),
                      laporan.figure(_uang(r["pagu"]), "kinerja_anggaran", r["pagu"] is None),
                      laporan.figure(_uang(r["realisasi_anggaran"]), "kinerja_anggaran",
                                     r["realisasi_anggaran"] is None),
                      laporan.figure(_angka(r["persen_realisasi_anggaran"]), "kinerja_anggaran",
                                     r["persen_realisasi_anggaran"] is None)])
    header = ["No", "Sasaran Strategis", "No", "Indikator", "Target Kinerja", "Realisasi Kinerja", "% Kinerja",
              "Rencana Pagu Anggaran", "Realisasi Anggaran", "% Realisasi Anggaran"]
    table = w.table(header, cells, [0.8, 4.6, 0.8, 6.6, 1.6, 1.7, 1.6, 2.5, 2.5, 1.8])
    for a, b in groups:
        _merge_down(table, 0, a + 1, b + 1)
        _merge_down(table, 1, a + 1, b + 1)
    for a, b in runs_of(rows, "kelompok"):
        for column in (7, 8, 9):
            _merge_down(table, column, a + 1, b + 1)
    _catatan(w, laporan, "kinerja_anggaran")
    w.section(landscape=False)


def _realisasi_ro(w: Writer, laporan: Laporan) -> None:
    """The budget per RO and its JUMLAH row (the unit's totals, mart.anggaran_satker)."""
    rows = laporan.report.rows("realisasi_anggaran")
    if not rows:
        w.para(f"Realisasi anggaran per kegiatan s.d. {_tanggal(laporan.periode.akhir)} belum diterbitkan.")
        return
    w.para(f"Berikut realisasi anggaran {laporan.nama} perkegiatan Tahun {laporan.periode.tahun}, sebagai berikut:")
    w.para(f"Tabel Realisasi Anggaran per Kegiatan s.d. {_tanggal(laporan.periode.akhir)}", "caption")
    cells = [[Cell(str(no), number=True), Cell(r["uraian"] or r["kode_ro"]),
              laporan.figure(_uang(r["pagu"]), "realisasi_anggaran", r["pagu"] is None),
              laporan.figure(_uang(r["realisasi"]), "realisasi_anggaran", r["realisasi"] is None),
              laporan.figure(_persen(r["persen_realisasi"]), "realisasi_anggaran", r["persen_realisasi"] is None)]
             for no, r in enumerate(rows, start=1)]
    s = laporan.report.first("anggaran_satker")
    pagu = s["pagu_ro"] if s else sum(r["pagu"] or 0 for r in rows)
    realisasi = s["realisasi"] if s else sum(r["realisasi"] or 0 for r in rows)
    persen_ = s["persen_terhadap_pagu_ro"] if s else (float(realisasi) / float(pagu) * 100 if pagu else None)
    table_total = "anggaran_satker" if s else "realisasi_anggaran"
    cells.append([Cell("JUMLAH", strong=True), Cell(""),
                  laporan.figure(_uang(pagu), table_total, strong=True),
                  laporan.figure(_uang(realisasi), table_total, strong=True),
                  laporan.figure(_persen(persen_), table_total, persen_ is None, strong=True)])
    table = w.table(["No.", "Target Kinerja", "Rencana Pagu Anggaran", "Realisasi Anggaran",
                     "% Realisasi Anggaran"], cells, [0.8, 7.6, 2.6, 2.6, 2.4])
    _merge_across(table, len(cells), 0, 1)
    _catatan(w, laporan, "realisasi_anggaran", "anggaran_satker")


def _efisiensi(w: Writer, laporan: Laporan) -> None:
    rows = laporan.report.rows("efisiensi")
    if not rows:
        w.para(f"Efisiensi kegiatan s.d. {_tanggal(laporan.periode.akhir)} belum dapat dihitung: capaian output dan "
               "realisasi anggaran per RO belum diterbitkan.")
        return
    w.para(f"Berdasarkan analisa efisiensi sumber daya, melalui pengukuran input dan output di {laporan.nama} "
           "diperoleh hasil tingkat efisiensi kegiatan sebagai berikut:")
    cells = [[Cell(str(no), number=True), Cell(r["uraian"] or r["kode_ro"]),
              laporan.figure(_angka(r["ie"]), "efisiensi", r["ie"] is None),
              laporan.figure(_angka(r["te"]), "efisiensi", r["te"] is None),
              laporan.figure(r["kategori"] or "-", "efisiensi", r["kategori"] is None, number=False)]
             for no, r in enumerate(rows, start=1)]
    w.table(["No", "Program/Kegiatan", "IE", "TE", "Kategori"], cells, [0.8, 9.2, 1.8, 1.8, 2.4])
    _catatan(w, laporan, "efisiensi")
    se = _standar_efisiensi(rows)
    se_text = f", yaitu {se}" if se else ""
    w.para("Efisiensi suatu kegiatan ditentukan dengan membandingkan indeks efisiensi (IE) terhadap Standar "
           "Efisiensi (SE). Standar Efisiensi (SE) merupakan angka pembanding yang dijadikan dasar dalam menilai "
           f"efisiensi. Dalam hal ini, SE yang digunakan adalah indeks efisiensi sesuai rencana capaian{se_text}."
           + _ringkas_efisiensi(rows))
    w.placeholder("penjelasan kegiatan yang Tidak Efisien dan yang belum dapat dinilai.")


def _standar_efisiensi(rows: list[dict]) -> str | None:
    """SE as the published figures imply it (TE = (IE − SE) / SE, so SE = IE / (1 + TE)), when they agree."""
    values = {round(r["ie"] / (1 + r["te"]), 2) for r in rows
              if r["ie"] is not None and r["te"] is not None and abs(1 + r["te"]) > 1e-9}
    if len(values) != 1:
        return None
    se = values.pop()
    return str(int(se)) if se == int(se) else _angka(se)


def _ringkas_efisiensi(rows: list[dict]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r["kategori"] or ""] += 1
    parts = [f"{n} kegiatan {k}" for k, n in counts.items() if k]
    if counts.get(""):
        parts.append(f"{counts['']} kegiatan belum dapat dinilai (tanpa capaian output atau realisasi anggaran)")
    return f" Dari {len(rows)} kegiatan, {_daftar(parts)}." if parts else ""


# ------------------------------------------------------------------------------------------------ Bab IV

def _bab_4(w: Writer, laporan: Laporan) -> None:
    w.heading(1, "BAB IV", "PENUTUP")
    w.placeholder(f"a. Kesimpulan: capaian sasaran strategis {laporan.periode.label} Tahun "
                  f"{laporan.periode.tahun}, keberhasilan dan kendala; b. Rekomendasi yang dapat dilakukan.")


# ------------------------------------------------------------------------------------------------ the notice

def _notice(laporan: Laporan) -> tuple[str, list[str]] | None:
    """What went wrong for the satker-month: the reports' own notice (sakip.report.data.notice), spoken in
    Indonesian whatever the run's language."""
    with speaking("id"):
        found = notice(laporan.report, list(SHOWN), MARK)
    return None if found is None else (found.title, found.paragraphs)

