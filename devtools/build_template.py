"""The Word template of the Laporan Kinerja draft (sakip.report.document), built from python-docx's own default
document, byte for byte the same at every build:

    python -m devtools.build_template            # writes sakip/reference/templat_laporan_kinerja.docx
    python -m devtools.build_template out.docx   # elsewhere

It holds what a unit may restyle without touching code (docs/templat-laporan.md): the page (A4 portrait,
margins), the letterhead in the page header (its line `{nama_satker}` is replaced by the unit's name), the
footer with the page number, and every style the writer uses, by name (STYLES). Its body shows each style
once; the writer clears the body and keeps the rest.

Byte-identical rebuilds: the core properties are fixed, the thumbnail of python-docx's default document is
dropped, and the package is zipped again with fixed timestamps and attributes (python-docx stamps each part
with the time of saving)."""
from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

TARGET = Path(__file__).resolve().parent.parent / "sakip" / "reference" / "templat_laporan_kinerja.docx"
FIXED_DATE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
FONT = "Arial"
BLACK = RGBColor(0, 0, 0)
SATKER_FIELD = "{nama_satker}"

# What follows a property in <w:pPr> and <w:rPr> (ECMA-376 §17.3.1.26, §17.3.2.28): a property added as XML
# goes before the first of these that is present, so that Word reads the style without a repair prompt.
AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
              "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
              "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
              "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
              "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
AFTER_PSHD = AFTER_PBDR[1:]
AFTER_RSHD = ("w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish",
              "w:oMath")
AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")

P, C = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER
# name: (type, points, bold, italic, alignment, space before, space after, keep with next); None: as inherited
STYLES = {
    "Normal": (P, 11, None, None, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 6, False),
    "Title": (P, 18, True, False, WD_ALIGN_PARAGRAPH.CENTER, 120, 24, True),
    "Subtitle": (P, 16, True, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 48, True),
    "Heading 1": (P, 14, True, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 18, True),
    "Heading 2": (P, 12, True, False, WD_ALIGN_PARAGRAPH.LEFT, 12, 6, True),
    "Heading 3": (P, 11, True, False, WD_ALIGN_PARAGRAPH.LEFT, 12, 6, True),
    "Heading 4": (P, 11, True, False, WD_ALIGN_PARAGRAPH.LEFT, 10, 4, True),
    "Judul Butir": (P, 11, True, None, WD_ALIGN_PARAGRAPH.LEFT, 8, 4, True),
    "Teks Sasaran": (P, 11, True, None, WD_ALIGN_PARAGRAPH.CENTER, 0, 10, True),
    "Caption": (P, 10, True, False, WD_ALIGN_PARAGRAPH.CENTER, 6, 4, True),
    "Placeholder": (P, 11, None, True, WD_ALIGN_PARAGRAPH.LEFT, 4, 8, False),
    "Catatan Draf": (P, 10, None, None, WD_ALIGN_PARAGRAPH.LEFT, 24, 6, False),
    "Perhatian": (P, 10, None, None, WD_ALIGN_PARAGRAPH.LEFT, 0, 6, False),
    "Fakta Data": (P, 10, None, None, WD_ALIGN_PARAGRAPH.LEFT, 0, 3, False),
    "Catatan Tabel": (P, 8, None, True, WD_ALIGN_PARAGRAPH.LEFT, 0, 6, False),
    "Tabel Kepala": (P, 8, True, None, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, False),
    "Tabel Isi": (P, 8, None, None, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, False),
    "Tabel Angka": (P, 8, None, None, WD_ALIGN_PARAGRAPH.RIGHT, 0, 0, False),
    "Kop Surat": (P, 13, True, None, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, False),
    "Kop Satker": (P, 11, True, None, WD_ALIGN_PARAGRAPH.CENTER, 0, 6, False),
    "Footer": (P, 9, None, None, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, False),
    "Strong": (C, None, True, None, None, None, None, None),
    "Angka Versi Lama": (C, None, None, None, None, None, None, None),
    "Angka Belum Ada Data": (C, None, None, None, None, None, None, None),
}
SHADING = {"Placeholder": "FFF2CC", "Catatan Draf": "FCE4D6", "Perhatian": "FCE4D6", "Fakta Data": "EDEDED",
           "Angka Versi Lama": "FFF2CC", "Angka Belum Ada Data": "F8CBAD"}
BORDERED = {"Catatan Draf": "C00000", "Perhatian": "C55A11", "Placeholder": "BF9000"}
COLOURS = {"Placeholder": RGBColor(0x80, 0x60, 0x00), "Catatan Draf": RGBColor(0x9C, 0x00, 0x06)}
INDENTS = {"Fakta Data": Cm(0.6), "Placeholder": Cm(0.3)}
TABLE_STYLE = "Tabel Laporan"
TABLE_STYLE_XML = f"""<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="TabelLaporan">
  <w:name w:val="{TABLE_STYLE}"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
      <w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="D9E2F3"/></w:tcPr>
  </w:tblStylePr>
</w:style>"""


def build() -> bytes:
    """The template as the bytes of a .docx."""
    doc = Document()
    _page(doc)
    for name, spec in STYLES.items():
        _style(doc, name, *spec)
    doc.styles.element.append(parse_xml(TABLE_STYLE_XML))
    _letterhead(doc)
    _samples(doc)
    _properties(doc)
    _drop_thumbnail(doc)
    out = io.BytesIO()
    doc.save(out)
    return _fixed_zip(out.getvalue())


def _page(doc) -> None:
    """A4 portrait; margins of Indonesian official documents (left wider, for binding)."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.header_distance, section.footer_distance = Cm(1.2), Cm(1.2)


def _style(doc, name: str, kind, points, bold, italic, align, before, after, keep) -> None:
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, kind)
        style.base_style = styles["Normal" if kind == P else "Default Paragraph Font"]
        style.quick_style = True
    _font(style, points, bold, italic)
    if kind == P:
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.keep_with_next = keep
        fmt.line_spacing = 1.15 if name == "Normal" else 1.0 if name.startswith("Tabel") else None
        if name in INDENTS:
            fmt.left_indent = INDENTS[name]
        if name == "Title":  # python-docx's Title has a rule under it in the theme's blue
            for rule in style.element.get_or_add_pPr().findall(qn("w:pBdr")):
                rule.getparent().remove(rule)
        if name == "Heading 1":
            fmt.page_break_before = True  # each BAB, the Kata Pengantar … on a page of its own
        if name in BORDERED:
            _border(style, ("top", "left", "bottom", "right"), BORDERED[name])
        if name == "Kop Satker":
            _border(style, ("bottom",), "000000", size=12)
        if name == "Normal":
            _lang(style, "id-ID")
    if name in SHADING:
        _shade(style, SHADING[name], paragraph=kind == P)
    if name in COLOURS:
        style.font.color.rgb = COLOURS[name]


def _font(style, points, bold, italic) -> None:
    """Arial in every script slot; no theme font or theme colour left over from python-docx's default styles
    (a theme font would win over the named one)."""
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    style.font.name = FONT
    fonts = rpr.find(qn("w:rFonts"))
    for slot in ("w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    if points is not None:
        style.font.size = Pt(points)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    if rpr.find(qn("w:color")) is not None:  # a theme colour (the default headings' blue)
        style.font.color.rgb = BLACK


def _border(style, sides: tuple[str, ...], colour: str, size: int = 6) -> None:
    ppr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in sides:
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(size))
        edge.set(qn("w:space"), "4")
        edge.set(qn("w:color"), colour)
        borders.append(edge)
    ppr.insert_element_before(borders, *AFTER_PBDR)


def _shade(style, fill: str, paragraph: bool) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    if paragraph:
        style.element.get_or_add_pPr().insert_element_before(shd, *AFTER_PSHD)
    else:
        style.element.get_or_add_rPr().insert_element_before(shd, *AFTER_RSHD)


def _lang(style, tag: str) -> None:
    """The document's language, for Word's and LibreOffice's spelling and hyphenation."""
    lang = OxmlElement("w:lang")
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), tag)
    style.element.get_or_add_rPr().insert_element_before(lang, *AFTER_LANG)


def _letterhead(doc) -> None:
    """The page header (the letterhead: the agency and the unit, a rule under it) and the footer (the page
    number, a PAGE field)."""
    section = doc.sections[0]
    header = section.header
    first = header.paragraphs[0]
    first.text, first.style = "BADAN PENGAWAS OBAT DAN MAKANAN", doc.styles["Kop Surat"]
    header.add_paragraph(SATKER_FIELD, style=doc.styles["Kop Satker"])
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r>'
                               "</w:fldSimple>"))


def _samples(doc) -> None:
    """One paragraph of each style, for whoever restyles the template (the writer clears the body)."""
    doc.add_paragraph("LAPORAN KINERJA TRIWULAN II TAHUN 2025", style="Title")
    doc.add_paragraph("Contoh: nama satker (Subtitle)", style="Subtitle")
    doc.add_paragraph("Contoh catatan draf: disusun otomatis oleh sakip (Catatan Draf).", style="Catatan Draf")
    doc.add_paragraph("BAB III AKUNTABILITAS KINERJA (Heading 1)", style="Heading 1")
    doc.add_paragraph("Contoh pemberitahuan sumber data yang ditolak (Perhatian).", style="Perhatian")
    doc.add_paragraph("3.1 CAPAIAN KINERJA ORGANISASI (Heading 2)", style="Heading 2")
    doc.add_paragraph("Contoh teks biasa (Normal), rata kiri-kanan, Arial 11.", style="Normal")
    doc.add_paragraph("SASARAN STRATEGIS 1 (Heading 3)", style="Heading 3")
    doc.add_paragraph("Contoh teks sasaran strategis (Teks Sasaran)", style="Teks Sasaran")
    doc.add_paragraph("1. Contoh indikator (Heading 4)", style="Heading 4")
    doc.add_paragraph("a. Contoh judul butir (Judul Butir)", style="Judul Butir")
    doc.add_paragraph("[Diisi oleh penyusun: contoh bagian yang ditulis penyusun (Placeholder).]",
                      style="Placeholder")
    doc.add_paragraph("Contoh fakta dari data untuk penyusun (Fakta Data).", style="Fakta Data")
    doc.add_paragraph("Tabel 3.1 Contoh judul tabel (Caption)", style="Caption")
    table = doc.add_table(rows=2, cols=3)
    table.style = doc.styles[TABLE_STYLE]
    for cell, (text, style) in zip([*table.rows[0].cells, *table.rows[1].cells],
                                   [("Kepala (Tabel Kepala)", "Tabel Kepala"), ("Angka", "Tabel Kepala"),
                                    ("Status", "Tabel Kepala"), ("Isi (Tabel Isi)", "Tabel Isi"),
                                    ("105,73 (Tabel Angka)", "Tabel Angka"), ("Baik", "Tabel Isi")]):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = doc.styles[style]
    note = doc.add_paragraph("Contoh catatan di bawah tabel (Catatan Tabel); angka ", style="Catatan Tabel")
    note.add_run("versi lama", style="Angka Versi Lama")
    note.add_run(", ")
    note.add_run("belum ada data", style="Angka Belum Ada Data")
    note.add_run(", ")
    note.add_run("tebal", style="Strong")
    note.add_run(".")


def _properties(doc) -> None:
    props = doc.core_properties
    props.title = "Templat Laporan Kinerja"
    props.subject = "Laporan Kinerja (draf sakip)"
    props.author = props.last_modified_by = "sakip"
    props.keywords = "SAKIP; Laporan Kinerja; templat"
    props.comments = "Dibangun oleh devtools/build_template.py; lihat docs/templat-laporan.md."
    props.created = props.modified = FIXED_DATE.replace(tzinfo=None)
    props.revision = 1


def _drop_thumbnail(doc) -> None:
    """python-docx's default document carries a picture of itself; it would show in file browsers."""
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]


def _fixed_zip(data: bytes) -> bytes:
    """The package zipped again: the same entries in the same order, each with a fixed date and attributes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3  # Unix, whichever system builds it
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else TARGET
    target.write_bytes(build())
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
