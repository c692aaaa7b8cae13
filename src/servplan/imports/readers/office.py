"""Word (.docx) and OpenDocument text (.odt): body paragraphs and tables, in document order."""

from __future__ import annotations

import io

from servplan.imports.readers.base import (
    Block,
    Paragraph,
    Table,
    UnreadableFile,
    clean,
    open_zip,
)

_LIST_STYLES = {"List Number": "ordered", "List Bullet": "bullet"}


def _docx_cell_text(cell) -> str:
    lines: list[str] = []
    counter = 0
    for paragraph in cell.paragraphs:
        text = clean(paragraph.text)
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        kind = next((k for s, k in _LIST_STYLES.items() if style.startswith(s)), None)
        if kind == "ordered":
            counter += 1
            text = f"{counter}. {text}"
        elif kind == "bullet":
            text = f"- {text}"
        lines.append(text)
    return "\n".join(lines)


def read_docx(data: bytes) -> list[Block]:
    open_zip(data, "Word")
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = Document(io.BytesIO(data))
        blocks: list[Block] = []
        for child in document.element.body.iterchildren():
            if child.tag == qn("w:p"):
                text = clean(DocxParagraph(child, document).text)
                if text:
                    blocks.append(Paragraph(text))
            elif child.tag == qn("w:tbl"):
                table = DocxTable(child, document)
                # row.cells repeats a merged cell in every grid position it covers.
                blocks.append(
                    Table([[_docx_cell_text(c) for c in row.cells] for row in table.rows])
                )
    except UnreadableFile:
        raise
    except Exception as exc:  # a damaged package can fail anywhere inside python-docx/lxml
        raise UnreadableFile(f"Word 檔案內容已損毀（{type(exc).__name__}）") from exc
    return blocks


def read_odt(data: bytes) -> list[Block]:
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
                        blocks.append(Paragraph(text))
                elif name == (TEXT_NS, "list"):
                    blocks.extend(Paragraph(line) for line in block_lines(child, bullet=True))
                elif name == (TABLE_NS, "table"):
                    blocks.append(Table(table_rows(child)))
                elif name == (TEXT_NS, "section"):
                    walk(child)

        walk(document.text)
    except UnreadableFile:
        raise
    except Exception as exc:  # odfpy and its XML parser raise many kinds on a damaged file
        raise UnreadableFile(f"ODF 檔案內容已損毀（{type(exc).__name__}）") from exc
    return blocks
