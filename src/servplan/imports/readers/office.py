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


def _docx_table(table, styles: _Styles, budget: Budget) -> Table:
    """The table as the neutral grid: each cell read once, in its first row and column, with
    its span; every row charged to `budget` before it is built (python-docx's `row.cells`
    finds a vertically merged cell by walking up row by row)."""
    from docx.table import _Cell

    rows: list[list[str | None]] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    # grid offset → the w:tc holding that cell's content, and where the grid has it
    above: dict[int, tuple[object, tuple[int, int]]] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        here: dict[int, tuple[object, tuple[int, int]]] = {}
        cells: list[str | None] = []
        offset = tr.grid_before
        for tc in tr.tc_lst:
            if tc.vMerge == "continue":
                if offset not in above:
                    raise ValueError("no merged cell above")
                root, origin = above[offset]
                span = root.grid_span
                spans[origin] = (r - origin[0] + 1, span)
                budget.width(len(cells) + span)
                cells += [None] * span
            else:
                root, origin = tc, (r, len(cells))
                span = tc.grid_span
                budget.width(len(cells) + span)
                cells += [_docx_cell_text(_Cell(tc, table), styles)] + [None] * (span - 1)
                if span > 1:
                    spans[origin] = (1, span)
            here[offset] = (root, origin)
            offset += tc.grid_span
        above = here
        rows.append(budget.row(cells))
    return Table(rows, spans)


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
                blocks.append(_docx_table(DocxTable(child, document), styles, budget))
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
        read_table,
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
                    blocks.append(read_table(child, budget))
                elif name == (TEXT_NS, "section"):
                    walk(child)

        walk(document.text)
    except UnreadableFile:
        raise
    except Exception as exc:  # odfpy and its XML parser raise many kinds on a damaged file
        raise UnreadableFile(f"ODF 檔案內容已損毀（{type(exc).__name__}）") from exc
    return blocks
