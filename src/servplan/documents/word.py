"""DOCX with python-docx (named word.py so that `import docx` stays the library).

The East Asian font (w:eastAsia) and language (w:lang w:eastAsia="zh-TW") are set in the
document defaults and the Normal style, or Word picks Japanese/Simplified glyphs; header rows
carry w:tblHeader so they repeat; widths go on the grid columns (LibreOffice) and on every
cell (Word).
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from servplan.documents.layout import grid, signature_table

FONT = "Noto Serif CJK TC"
TEXT_WIDTH_CM = 17.8
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _set_fonts(rpr) -> None:
    """East Asian font and zh-TW on a w:rPr (run properties of a style or the defaults)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-TW")
    lang.set(qn("w:eastAsia"), "zh-TW")


def _setup(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    _set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(2)
    normal.paragraph_format.space_before = Pt(0)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.6)
    section.top_margin, section.bottom_margin = Cm(1.6), Cm(1.6)


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    begin, text, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def _footer(doc, text: str) -> None:
    p = doc.sections[0].footer.paragraphs[0]
    p.text = ""
    p.add_run(text + "　第 ").font.size = Pt(7.5)
    _field(p, "PAGE")
    p.add_run(" 頁／共 ").font.size = Pt(7.5)
    _field(p, "NUMPAGES")
    p.add_run(" 頁").font.size = Pt(7.5)


def _paragraph(
    container, text: str, *, align="left", bold=False, size=10.5, indent=0.0, first=False
):
    p = container.paragraphs[0] if first else container.add_paragraph()
    p.alignment = ALIGN[align]
    if indent:
        p.paragraph_format.left_indent = Cm(indent)
    if text:
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(size)
    return p


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _span(tc, *, colspan: int, vmerge: str | None) -> None:
    tcpr = tc.get_or_add_tcPr()
    if colspan > 1:
        span = OxmlElement("w:gridSpan")
        span.set(qn("w:val"), str(colspan))
        tcpr.append(span)
    if vmerge is not None:
        merge = OxmlElement("w:vMerge")
        if vmerge == "restart":
            merge.set(qn("w:val"), "restart")
        tcpr.append(merge)


def _table(doc, t: dict) -> None:
    columns = len(t["widths"])
    total = sum(t["widths"])
    widths = [Cm(TEXT_WIDTH_CM * w / total) for w in t["widths"]]
    table = doc.add_table(rows=len(t["header"]) + len(t["rows"]), cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, w in enumerate(widths):
        table.columns[i].width = w
    # Header and body are placed separately so that spans never cross between them. Spans
    # are written as w:gridSpan / w:vMerge directly: python-docx's merge() rescans the whole
    # table on every call.
    placed = grid(t["header"], columns) + grid(t["rows"], columns)
    below: dict[tuple[int, int], dict] = {}  # (row, col) → the cell spanning down into it
    for r, (row, cells) in enumerate(zip(table.rows, placed, strict=True)):
        if r < len(t["header"]):
            _repeat_header(row)
        tcs = list(row._tr.tc_lst)
        starts = dict(cells)
        col = 0
        while col < columns:
            tc = tcs[col]
            c = starts.get(col)
            above = below.get((r, col))
            span = c["colspan"] if c else (above["colspan"] if above else 1)
            for extra in tcs[col + 1 : col + span]:
                row._tr.remove(extra)
            _Cell(tc, table).width = sum(widths[col : col + span], Cm(0))
            if c is not None:
                _span(tc, colspan=span, vmerge="restart" if c["rowspan"] > 1 else None)
                for dr in range(1, c["rowspan"]):
                    below[(r + dr, col)] = c
                _fill(_Cell(tc, table), c)
            elif above is not None:
                _span(tc, colspan=span, vmerge="continue")
            col += span
    doc.add_paragraph()


def _fill(cell, c: dict) -> None:
    cell.vertical_alignment = (
        WD_CELL_VERTICAL_ALIGNMENT.TOP
        if c.get("valign") == "top"
        else WD_CELL_VERTICAL_ALIGNMENT.CENTER
    )
    body = c["body"] or [{"text": "", "bullet": False}]
    for i, p in enumerate(body):
        _paragraph(
            cell,
            ("• " if p["bullet"] else "") + p["text"],
            align=c["align"],
            bold=c["bold"],
            size=10,
            indent=0.4 * p["bullet"] + 0.6 * p.get("indent", 0),
            first=i == 0,
        )


def render(document: dict) -> bytes:
    """The document (documents/forms.py) as a DOCX file."""
    doc = Document()
    _setup(doc)
    _footer(doc, document["footer"])
    doc.core_properties.title = document["title"]
    doc.core_properties.subject = document["subject"]
    doc.core_properties.keywords = ", ".join(document["keywords"])
    doc.core_properties.language = "zh-TW"
    for i, form in enumerate(document["forms"]):
        if i:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for b in form["blocks"]:
            kind = b["kind"]
            if kind == "title":
                for line in b["lines"]:
                    _paragraph(doc, line, align="center", bold=True, size=14)
            elif kind == "line" and b["text"]:
                _paragraph(doc, b["text"], align=b["align"], bold=b["bold"])
            elif kind == "heading":
                _paragraph(doc, b["text"], bold=True, size=11.5)
            elif kind == "narrative":
                for p in b["body"]:
                    _paragraph(
                        doc,
                        ("• " if p["bullet"] else "") + p["text"],
                        indent=1.2 if p["bullet"] else 0.8,
                    )
            elif kind == "table":
                _table(doc, b)
            elif kind == "signatures" and b["slots"]:
                _table(doc, signature_table(b["slots"]))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
