"""Excel (.xlsx) and OpenDocument spreadsheets (.ods).

Merged ranges are spans of the grid in both: ODF marks them on the cell, Excel lists them
after the sheet's data (`<mergeCells>`), which openpyxl's read-only mode does not read, so
the list is read here, streamed and charged to the budget like the cells.

A sheet has no paragraphs: a row whose only value sits in the first column is read as one
(the title, 「總分（滿分 1000 分）」) unless it continues a table; other rows are table
rows, and a blank row ends a table.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

from servplan.imports.readers.base import (
    MAX_COLUMNS,
    MAX_MERGES,
    Block,
    Budget,
    Paragraph,
    Table,
    UnreadableFile,
    open_zip,
)


def _value(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        number = Decimal(str(value))
        return str(number.quantize(Decimal(1))) if number == number.to_integral() else str(number)
    text = str(value).strip()
    return text or None


def sheet_blocks(sheet: Table) -> list[Block]:
    """A worksheet (the whole of it, as one grid) → its paragraphs and tables."""
    blocks: list[Block] = []
    table: Table | None = None
    start = 0
    by_row: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for (r, c), span in sheet.spans.items():
        by_row.setdefault(r, []).append((c, span))
    for index, row in enumerate(sheet.rows):
        filled = [i for i, v in enumerate(row) if v]
        if not filled:
            table = None
            continue
        if filled == [0] and table is None:
            blocks.append(Paragraph(" ".join(row[0].split())))
            continue
        if table is None:
            table = Table(sheet=sheet.sheet)
            blocks.append(table)
            start = index
        for c, span in by_row.get(index, ()):
            table.spans[(index - start, c)] = span
        table.rows.append(row)
        table.row_numbers.append(sheet.row_number(index))
    return blocks


def _xlsx_rows(sheet, budget: Budget) -> list[list[str | None]]:
    """The sheet's rows as they are stored, never as large as its declared size says (a few
    cells can claim 「A1:XFD1048576」); each row is charged to `budget` as it is read."""
    sheet.reset_dimensions()
    rows: list[list[str | None]] = []
    width = 0
    for row in sheet.iter_rows(values_only=True):
        size = len(row)
        if size > MAX_COLUMNS:  # empty formatted cells far to the right are not a wide table
            size = max((i + 1 for i, v in enumerate(row) if v is not None), default=0)
        rows.append(budget.row([_value(v) for v in row[:size]]))
        width = max(width, size)
    # Every row as wide as the sheet (as openpyxl gives them), but blank rows stay empty.
    filled = [r for r in rows if any(r)]
    budget.blank_cells(sum(width - len(r) for r in filled))
    for row in filled:
        row += [None] * (width - len(row))
    return rows


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REFERENCE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")


def _cell_index(reference: str) -> tuple[int, int] | None:
    """「B12」 → (11, 1): the row and column from 0."""
    found = _REFERENCE.match(reference.strip().upper())
    if found is None:
        return None
    column = 0
    for letter in found.group(1):
        column = column * 26 + ord(letter) - 64
    return int(found.group(2)) - 1, column - 1


def _xlsx_merges(
    sheet, rows: list[list[str | None]], budget: Budget
) -> dict[tuple[int, int], tuple[int, int]]:
    """The sheet's merged ranges as spans of its grid, clipped to the rows it holds (a range
    may claim the whole sheet); each range is charged to `budget` as one cell."""
    from openpyxl.xml.functions import iterparse

    spans: dict[tuple[int, int], tuple[int, int]] = {}
    count = 0
    with sheet.parent._archive.open(sheet._worksheet_path) as source:
        for _, element in iterparse(source):
            if element.tag == f"{_MAIN_NS}mergeCell":
                count += 1
                if count > MAX_MERGES:
                    raise UnreadableFile(
                        f"檔案內容過多：工作表「{sheet.title}」的合併儲存格超過 {MAX_MERGES:,} 個的上限"
                    )
                budget.blank_cells(1)
                first, _, last = (element.get("ref") or "").partition(":")
                start, end = _cell_index(first), _cell_index(last or first)
                if start is not None and end is not None and start[0] < len(rows):
                    down = min(end[0], len(rows) - 1) - start[0] + 1
                    across = min(end[1], len(rows[start[0]]) - 1) - start[1] + 1
                    if start[1] < len(rows[start[0]]) and (down > 1 or across > 1):
                        spans[start] = (down, across)
            # Each element is dropped once read: the sheet's cells are not kept twice.
            element.clear()
    return spans


def read_xlsx(data: bytes, budget: Budget) -> list[Block]:
    open_zip(data, "Excel")
    from openpyxl import load_workbook

    try:
        # Read-only mode streams each sheet instead of building every cell as an object first.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            blocks: list[Block] = []
            for sheet in workbook.worksheets:
                rows = _xlsx_rows(sheet, budget)
                spans = _xlsx_merges(sheet, rows, budget)
                blocks += sheet_blocks(Table(rows, spans, sheet=sheet.title))
        finally:
            workbook.close()
    except UnreadableFile:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise UnreadableFile(f"Excel 檔案內容已損毀（{type(exc).__name__}）") from exc
    return blocks


def read_ods(data: bytes, budget: Budget) -> list[Block]:
    open_zip(data, "ODF 試算表")
    from odf.opendocument import load

    from servplan.imports.readers.odf import TABLE_NS, local, read_table

    try:
        document = load(io.BytesIO(data))
        blocks: list[Block] = []
        for child in document.spreadsheet.childNodes:
            if local(child) == (TABLE_NS, "table"):
                sheet = read_table(child, budget, numbers=True)
                sheet.sheet = child.getAttribute("name") or ""
                blocks += sheet_blocks(sheet)
    except UnreadableFile:
        raise
    except Exception as exc:  # odfpy and its XML parser raise many kinds on a damaged file
        raise UnreadableFile(f"ODF 試算表內容已損毀（{type(exc).__name__}）") from exc
    return blocks
