"""Excel (.xlsx) and OpenDocument spreadsheets (.ods).

A sheet has no paragraphs: a row whose only value sits in the first column is read as one
(the title, 「總分（滿分 1000 分）」) unless it continues a table; other rows are table
rows, and a blank row ends a table.
"""

from __future__ import annotations

import io
from decimal import Decimal

from servplan.imports.readers.base import Block, Paragraph, Table, UnreadableFile, open_zip


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


def sheet_blocks(rows: list[list[str | None]]) -> list[Block]:
    blocks: list[Block] = []
    table: Table | None = None
    for row in rows:
        filled = [i for i, v in enumerate(row) if v]
        if not filled:
            table = None
            continue
        if filled == [0] and table is None:
            blocks.append(Paragraph(" ".join(row[0].split())))
            continue
        if table is None:
            table = Table()
            blocks.append(table)
        table.rows.append(row)
    return blocks


def read_xlsx(data: bytes) -> list[Block]:
    open_zip(data, "Excel")
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
        blocks: list[Block] = []
        for sheet in workbook.worksheets:
            rows = [[_value(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            blocks += sheet_blocks(rows)
    except UnreadableFile:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise UnreadableFile(f"Excel 檔案內容已損毀（{type(exc).__name__}）") from exc
    return blocks


def read_ods(data: bytes) -> list[Block]:
    open_zip(data, "ODF 試算表")
    from odf.opendocument import load

    from servplan.imports.readers.odf import TABLE_NS, local, table_rows

    try:
        document = load(io.BytesIO(data))
        blocks: list[Block] = []
        for child in document.spreadsheet.childNodes:
            if local(child) == (TABLE_NS, "table"):
                blocks += sheet_blocks(table_rows(child, numbers=True))
    except UnreadableFile:
        raise
    except Exception as exc:  # odfpy and its XML parser raise many kinds on a damaged file
        raise UnreadableFile(f"ODF 試算表內容已損毀（{type(exc).__name__}）") from exc
    return blocks
