"""Word (.docx) and OpenDocument text (.odt): body paragraphs and tables, in document order."""

from __future__ import annotations

import io

from servplan.imports.readers.base import (
    Block,
    Budget,
    Paragraph,
    Table,
    UnreadableFile,
    clean,
    open_zip,
)

_LIST_STYLES = {"List Number": "ordered", "List Bullet": "bullet"}


class _Styles:
    """Paragraph style names by id, looked up once: python-docx searches the style sheet for
    every paragraph, which a file with many styles and many paragraphs makes quadratic."""

    def __init__(self, document) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self.default = (default.name if default is not None else "") or ""
        self.names: dict[str, str] = {}
        for style in document.styles:
            if style.style_id not in self.names:  # the first of a repeated id, as python-docx
                paragraph = style.type == WD_STYLE_TYPE.PARAGRAPH
                self.names[style.style_id] = (style.name or "") if paragraph else self.default

    def name(self, paragraph) -> str:
        style_id = paragraph._p.style
        return self.names.get(style_id, self.default) if style_id else self.default


def _docx_cell_text(cell, styles: _Styles) -> str:
    lines: list[str] = []
    counter = 0
    for paragraph in cell.paragraphs:
        text = clean(paragraph.text)
        if not text:
            continue
        style = styles.name(paragraph)
        kind = next((k for s, k in _LIST_STYLES.items() if style.startswith(s)), None)
        if kind == "ordered":
            counter += 1
            text = f"{counter}. {text}"
        elif kind == "bullet":
            text = f"- {text}"
        lines.append(text)
    return "\n".join(lines)


def _docx_rows(table, styles: _Styles, budget: Budget) -> list[list[str | None]]:
    """The table's rows as python-docx's `row.cells` gives them (a merged cell's text in every
    grid column and row it covers), each cell read once and every row charged to `budget`
    before it is built: `row.cells` finds a vertically merged cell by walking up row by row."""
    from docx.table import _Cell

    rows: list[list[str | None]] = []
    above: dict[int, object] = {}  # grid offset → the w:tc holding that cell's content
    texts: dict[object, str] = {}  # keyed by the element, which keeps lxml's proxy (and id) alive
    for tr in table._tbl.tr_lst:
        here: dict[int, object] = {}
        cells: list[str | None] = []
        offset = tr.grid_before
        for tc in tr.tc_lst:
            root = tc
            if tc.vMerge == "continue":
                if offset not in above:
                    raise ValueError("no merged cell above")
                root = above[offset]
            here[offset] = root
            offset += tc.grid_span
            span = root.grid_span
            budget.width(len(cells) + span)
            if root not in texts:
                texts[root] = _docx_cell_text(_Cell(root, table), styles)
            cells += [texts[root]] * span
        above = here
        rows.append(budget.row(cells))
    return rows


def read_docx(data: bytes, budget: Budget) -> list[Block]:
    open_zip(data, "Word")
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = Document(io.BytesIO(data))
        styles = _Styles(document)
        blocks: list[Block] = []
        for child in document.element.body.iterchildren():
            if child.tag == qn("w:p"):
                text = clean(DocxParagraph(child, document).text)
                if text:
                    blocks.append(Paragraph(budget.text(text)))
            elif child.tag == qn("w:tbl"):
                blocks.append(Table(_docx_rows(DocxTable(child, document), styles, budget)))
    except UnreadableFile:
        raise
    except Exception as exc:  # a damaged package can fail anywhere inside python-docx/lxml
        raise UnreadableFile(f"Word 檔案內容已損毀（{type(exc).__name__}）") from exc
    return blocks


def read_odt(data: bytes, budget: Budget) -> list[Block]:
    open_zip(data, "ODF 文字")
    from odf.opendocument import load

    from servplan.imports.readers.odf import (
        TABLE_NS,
        TEXT_NS,
        block_lines,
        inline_text,
        local,
        table_rows,
    )

    try:
        document = load(io.BytesIO(data))
        blocks: list[Block] = []

        def walk(node) -> None:
            for child in node.childNodes:
                name = local(child)
                if name in ((TEXT_NS, "p"), (TEXT_NS, "h")):
                    text = clean(inline_text(child))
                    if text:
                        blocks.append(Paragraph(budget.text(text)))
                elif name == (TEXT_NS, "list"):
                    lines = block_lines(child, bullet=True)
                    blocks.extend(Paragraph(budget.text(line)) for line in lines)
                elif name == (TABLE_NS, "table"):
                    blocks.append(Table(table_rows(child, budget)))
                elif name == (TEXT_NS, "section"):
                    walk(child)

        walk(document.text)
    except UnreadableFile:
        raise
    except Exception as exc:  # odfpy and its XML parser raise many kinds on a damaged file
        raise UnreadableFile(f"ODF 檔案內容已損毀（{type(exc).__name__}）") from exc
    return blocks
