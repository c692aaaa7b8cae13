"""OpenDocument tables and paragraphs (odt and ods share them)."""

from __future__ import annotations

from odf.element import Element

from servplan.imports.readers.base import MAX_SPACES, Budget, Table, clean

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
# Spreadsheets repeat the empty cells and rows up to the sheet's edge; real forms are far smaller.
MAX_REPEAT = 200


def local(node) -> tuple[str, str] | None:
    return node.qname if isinstance(node, Element) else None


def inline_text(node) -> str:
    """The text of a paragraph, spaces and tabs (text:s, text:tab) included; a line break
    (text:line-break, Shift+Enter) is one, as Word's w:br is in python-docx's text."""
    parts: list[str] = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(str(child.data))
        elif local(child) == (TEXT_NS, "s"):
            parts.append(" " * min(int(child.getAttribute("c") or 1), MAX_SPACES))
        elif local(child) == (TEXT_NS, "tab"):
            parts.append(" ")
        elif local(child) == (TEXT_NS, "line-break"):
            parts.append("\n")
        elif isinstance(child, Element):
            parts.append(inline_text(child))
    return "".join(parts)


def block_lines(node, bullet: bool = False) -> list[str]:
    """Paragraph lines of a cell or list: each text:p a line, list items as 「- …」."""
    lines: list[str] = []
    for child in node.childNodes:
        name = local(child)
        if name in ((TEXT_NS, "p"), (TEXT_NS, "h")):
            for number, line in enumerate(clean(part) for part in inline_text(child).split("\n")):
                if line:
                    first = number == 0 and bullet and not line[0].isdigit()
                    lines.append(f"- {line}" if first else line)
        elif name == (TEXT_NS, "list"):
            lines += block_lines(child, bullet=True)
        elif name in ((TEXT_NS, "list-item"), (TEXT_NS, "list-header"), (TEXT_NS, "section")):
            lines += block_lines(child, bullet=bullet)
    return lines


def read_table(table, budget: Budget, *, numbers: bool = False) -> Table:
    """An ODF table as the neutral grid: covered (merged-away) cells are None, merged cells
    have their spans, each row its number in the sheet. Repeats are charged to `budget`
    before they are expanded."""
    rows: list[list[str | None]] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    numbers_seen: list[int] = []
    number = 0
    for row in _rows(table):
        cells: list[str | None] = []
        merged: list[tuple[int, int, int]] = []
        for cell in row.childNodes:
            name = local(cell)
            if name not in ((TABLE_NS, "table-cell"), (TABLE_NS, "covered-table-cell")):
                continue
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            value = None
            if name == (TABLE_NS, "table-cell"):
                value = _cell_value(cell, numbers)
                down = int(cell.getAttribute("numberrowsspanned") or 1)
                across = int(cell.getAttribute("numbercolumnsspanned") or 1)
                if down > 1 or across > 1:
                    merged.append((len(cells), down, across))
            if not value and repeat > MAX_REPEAT:
                continue
            budget.width(len(cells) + min(repeat, MAX_REPEAT))
            cells += [value] * min(repeat, MAX_REPEAT)
        repeat = int(row.getAttribute("numberrowsrepeated") or 1)
        number += 1
        if not any(cells) and repeat > MAX_REPEAT:
            number += repeat - 1
            continue
        budget.row(cells, times=min(repeat, MAX_REPEAT))
        for column, down, across in merged:
            spans[(len(rows), column)] = (down, across)
        for copy in range(min(repeat, MAX_REPEAT)):
            rows.append(list(cells))
            numbers_seen.append(number + copy)
        number += repeat - 1
    return Table(rows, spans, row_numbers=numbers_seen)


def _rows(node):
    for child in node.childNodes:
        name = local(child)
        if name == (TABLE_NS, "table-row"):
            yield child
        elif name in (
            (TABLE_NS, "table-header-rows"),
            (TABLE_NS, "table-rows"),
            (TABLE_NS, "table-row-group"),
        ):
            yield from _rows(child)


def _cell_value(cell, numbers: bool) -> str | None:
    if numbers and cell.getAttribute("valuetype") in ("float", "percentage", "currency"):
        value = cell.getAttribute("value")
        if value:
            return value.removesuffix(".0") if value.endswith(".0") else value
    text = "\n".join(block_lines(cell))
    return text or None
