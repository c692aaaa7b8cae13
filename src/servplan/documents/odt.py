"""ODT (the editable format the public sites publish, seed 001) with odfpy.

The East Asian font and language (zh-TW) are set in the default style, or viewers fall back
to Japanese or Simplified glyphs; header rows are table:table-header-rows so they repeat;
widths are on table:table-column, which LibreOffice reads (it ignores per-cell widths).
"""

from __future__ import annotations

import io

from odf.dc import Title
from odf.element import Element
from odf.namespaces import nsdict
from odf.opendocument import OpenDocumentText
from odf.style import (
    DefaultStyle,
    FontFace,
    Footer,
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TableRowProperties,
    TextProperties,
)
from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import P, PageCount, PageNumber

from servplan.documents.layout import grid, signature_table

FONT = "Noto Serif CJK TC"
TEXT_WIDTH_CM = 17.8
ALIGN = {"left": "start", "center": "center", "right": "end"}


def _lang(**extra) -> TextProperties:
    return TextProperties(
        fontname=FONT,
        fontnameasian=FONT,
        fontnamecomplex=FONT,
        language="zh",
        country="TW",
        languageasian="zh",
        countryasian="TW",
        **extra,
    )


class _Styles:
    """The automatic styles a document needs, made once per document."""

    def __init__(self, doc: OpenDocumentText) -> None:
        self.doc = doc
        self._cache: dict[tuple, Style] = {}
        doc.fontfacedecls.addElement(
            FontFace(
                name=FONT, fontfamily=f"'{FONT}'", fontfamilygeneric="roman", fontpitch="variable"
            )
        )
        default = DefaultStyle(family="paragraph")
        default.addElement(_lang(fontsize="10.5pt", fontsizeasian="10.5pt"))
        doc.styles.addElement(default)

        layout = PageLayout(name="A4")
        layout.addElement(
            PageLayoutProperties(
                pagewidth="21cm",
                pageheight="29.7cm",
                printorientation="portrait",
                margintop="1.6cm",
                marginbottom="1.4cm",
                marginleft="1.6cm",
                marginright="1.6cm",
            )
        )
        doc.automaticstyles.addElement(layout)
        self.master = MasterPage(name="Standard", pagelayoutname=layout)
        doc.masterstyles.addElement(self.master)

    def paragraph(self, *, align="left", bold=False, size="10.5pt", indent="0cm", space="0.1cm"):
        key = ("p", align, bold, size, indent, space)
        if key not in self._cache:
            style = Style(name=f"P{len(self._cache)}", family="paragraph")
            style.addElement(
                ParagraphProperties(
                    textalign=ALIGN[align], marginleft=indent, marginbottom=space, margintop="0cm"
                )
            )
            weight = "bold" if bold else "normal"
            style.addElement(
                _lang(
                    fontsize=size,
                    fontsizeasian=size,
                    fontweight=weight,
                    fontweightasian=weight,
                )
            )
            self.doc.automaticstyles.addElement(style)
            self._cache[key] = style
        return self._cache[key]

    def named(self, name: str, family: str, *props) -> Style:
        key = (family, name)
        if key not in self._cache:
            style = Style(name=name, family=family)
            for p in props:
                style.addElement(p)
            self.doc.automaticstyles.addElement(style)
            self._cache[key] = style
        return self._cache[key]


def _cell_paragraphs(styles: _Styles, c: dict, parent) -> None:
    body = c["body"] or [{"text": "", "bullet": False}]
    for p in body:
        indent = 0.4 * p["bullet"] + 0.6 * p.get("indent", 0)
        style = styles.paragraph(
            align=c["align"], bold=c["bold"], size="10pt", indent=f"{indent:.1f}cm"
        )
        parent.addElement(P(stylename=style, text=("• " if p["bullet"] else "") + p["text"]))


def _table(styles: _Styles, t: dict, n: int):
    total = sum(t["widths"])
    columns = len(t["widths"])
    table_style = styles.named(
        f"Table{n}",
        "table",
        TableProperties(
            width=f"{TEXT_WIDTH_CM}cm", align="margins", margintop="0.15cm", marginbottom="0.2cm"
        ),
    )
    table = Table(name=f"表格{n}", stylename=table_style)
    for i, w in enumerate(t["widths"]):
        col = styles.named(
            f"Table{n}.C{i}",
            "table-column",
            TableColumnProperties(columnwidth=f"{TEXT_WIDTH_CM * w / total:.3f}cm"),
        )
        table.addElement(TableColumn(stylename=col))
    row_style = styles.named("Row", "table-row", TableRowProperties(keeptogether="auto"))

    def cell_style(valign: str):
        return styles.named(
            f"Cell-{valign}",
            "table-cell",
            TableCellProperties(
                border="0.5pt solid #000000",
                padding="0.08cm",
                verticalalign="top" if valign == "top" else "middle",
            ),
        )

    def rows_of(rows: list[list[dict]], parent) -> None:
        for placed in grid(rows, columns):
            tr = TableRow(stylename=row_style)
            starts = dict(placed)
            for col in range(columns):
                c = starts.get(col)
                if c is None:
                    tr.addElement(CoveredTableCell())
                    continue
                attrs = {"stylename": cell_style(c.get("valign", "middle")), "valuetype": "string"}
                if c["colspan"] > 1:
                    attrs["numbercolumnsspanned"] = c["colspan"]
                if c["rowspan"] > 1:
                    attrs["numberrowsspanned"] = c["rowspan"]
                tc = TableCell(**attrs)
                _cell_paragraphs(styles, c, tc)
                tr.addElement(tc)
            parent.addElement(tr)

    header = TableHeaderRows()
    rows_of(t["header"], header)
    table.addElement(header)
    # The body's grid starts below the header, so spans never cross into it.
    rows_of(t["rows"], table)
    return table


def render(document: dict) -> bytes:
    """The document (documents/forms.py) as an ODT file."""
    # odfpy declares on each root element every namespace the process has used so far (a
    # class-level dict): start from all of them, so the bytes don't depend on earlier documents.
    Element.namespaces.clear()
    Element.namespaces.update(nsdict)
    doc = OpenDocumentText()
    styles = _Styles(doc)
    footer = Footer()
    fp = P(stylename=styles.paragraph(size="7.5pt"))
    fp.addText(document["footer"] + "　第 ")
    fp.addElement(PageNumber(selectpage="current"))
    fp.addText(" 頁／共 ")
    fp.addElement(PageCount())
    fp.addText(" 頁")
    footer.addElement(fp)
    styles.master.addElement(footer)
    doc.meta.addElement(Title(text=document["title"]))

    tables = 0
    breaker = styles.named("PageBreak", "paragraph", ParagraphProperties(breakbefore="page"))
    for i, form in enumerate(document["forms"]):
        if i:
            doc.text.addElement(P(stylename=breaker))
        for b in form["blocks"]:
            kind = b["kind"]
            if kind == "title":
                for line in b["lines"]:
                    doc.text.addElement(
                        P(
                            stylename=styles.paragraph(align="center", bold=True, size="14pt"),
                            text=line,
                        )
                    )
            elif kind == "line" and b["text"]:
                doc.text.addElement(
                    P(stylename=styles.paragraph(align=b["align"], bold=b["bold"]), text=b["text"])
                )
            elif kind == "heading":
                doc.text.addElement(
                    P(
                        stylename=styles.paragraph(bold=True, size="11.5pt", space="0.2cm"),
                        text=b["text"],
                    )
                )
            elif kind == "narrative":
                for p in b["body"]:
                    doc.text.addElement(
                        P(
                            stylename=styles.paragraph(indent="1.2cm" if p["bullet"] else "0.8cm"),
                            text=("• " if p["bullet"] else "") + p["text"],
                        )
                    )
            elif kind == "table":
                tables += 1
                doc.text.addElement(_table(styles, b, tables))
            elif kind == "signatures" and b["slots"]:
                tables += 1
                doc.text.addElement(_table(styles, signature_table(b["slots"]), tables))
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()
