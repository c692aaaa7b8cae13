"""Data exports of an assessment: XLSX, ODS, CSV (UTF-8 with BOM), JSON and XML.

JSON is the API's shape without the status (forms.record_dict) in canonical form: its sha256
is the content hash a published PDF prints. The tabular formats share one row list: a row per
cell with its finding, a 小計 row per dimension and a 總分 row, numbers as numbers.

A text that a spreadsheet would take for a formula (OWASP's CSV injection: it starts with
= + - @, a tab or a carriage return) goes out as text: in CSV behind a single quote, in XLSX
as a string cell marked quote-prefixed (what Excel does for a typed ', so it stays text even
when edited). ODS cells are typed strings already. Only these files: pages, forms and the
JSON/XML exports show the text as written (a 「- 」 bullet stays a bullet).
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
import xml.etree.ElementTree as ET
from decimal import Decimal

from servplan.assessments.models import Assessment
from servplan.assessments.sheet import Sheet, build_sheet
from servplan.documents.forms import canonical_json, record_dict

HEADER = (
    "區營業處",
    "期間",
    "執行構面",
    "評核項目",
    "配分",
    "自評",
    "評分重點（執行情形）",
    "優點",
    "缺點",
    "建議改善事項",
    "改善事項辦理情形",
    "備註",
)
# Spreadsheet column widths in characters (a CJK character counts two).
WIDTHS = (14, 18, 12, 28, 7, 7, 70, 30, 20, 30, 30, 14)
NUMERIC = {4, 5}
SUBTOTAL = "小計"
TOTAL = "總分"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)


def rows(sheet: Sheet) -> list[list]:
    """The header, then a row per cell, a 小計 row per dimension and the 總分 row."""
    a = sheet.assessment
    findings = {f.cell_id: f for f in sheet.findings}
    office, period = a.office.name, str(a.period)
    out: list[list] = [list(HEADER)]
    for d in sheet.dimensions:
        for c in d.cells:
            f = findings.get(c.cell_id)
            out.append(
                [
                    office,
                    period,
                    d.name,
                    c.cell.item.name,
                    _number(c.max_score),
                    _number(c.score),
                    c.narrative,
                    f.strengths if f else "",
                    f.weaknesses if f else "",
                    f.recommendation if f else "",
                    f.progress if f else "",
                    f.remarks if f else "",
                ]
            )
        out.append(
            [office, period, d.name, SUBTOTAL, _number(d.max_score), _number(d.score)] + [""] * 6
        )
    out.append(
        [office, period, TOTAL, "", _number(sheet.max_score), _number(sheet.score)] + [""] * 6
    )
    return out


def to_csv(table: list[list]) -> bytes:
    """UTF-8 with a BOM, so that Excel reads the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in table:
        writer.writerow(["" if v is None else "'" + v if looks_like_formula(v) else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def text_width(text: str) -> int:
    """Display width: East Asian wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrapped_lines(text: str, width: int) -> int:
    """How many lines `text` takes in a column `width` characters wide when wrapped."""
    return sum(max(1, math.ceil(text_width(line) / width)) for line in str(text).split("\n"))


def _subtotal(row: list) -> bool:
    return row[3] == SUBTOTAL


def to_xlsx(
    table: list[list],
    title: str,
    *,
    widths: tuple[int, ...] = WIDTHS,
    sheet: str = "評分表",
    numeric: set[int] = NUMERIC,
    bold=_subtotal,
) -> bytes:
    """`table` (header first) under `title`; `widths` per column in characters, the columns
    in `numeric` centred, the rows `bold` picks in bold. Texts that look like formulas stay text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append([title])
    if looks_like_formula(title):
        ws["A1"].data_type, ws["A1"].quotePrefix = "s", True
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(widths))
    ws["A1"].font = Font(name="Noto Sans CJK TC", size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    # openpyxl leaves the height of wrapped (and merged) cells to the viewer, which guesses
    # one line: set it from the text.
    ws.row_dimensions[1].height = 24 * wrapped_lines(title, sum(widths))
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for r, row in enumerate(table, 2):
        ws.append(row)
        lines = 1
        for c, value in enumerate(row):
            cell = ws.cell(row=r, column=c + 1)
            cell.border = border
            cell.font = Font(name="Noto Sans CJK TC", size=11, bold=r == 2 or bold(row))
            cell.alignment = Alignment(
                wrap_text=True,
                vertical="top",
                horizontal="center" if c in numeric else "left",
            )
            if looks_like_formula(value):
                # openpyxl made it a formula cell: store the text, as text.
                cell.data_type = "s"
                cell.quotePrefix = True
            if r == 2:
                cell.fill = PatternFill("solid", fgColor="E6EDF5")
            if isinstance(value, str) and value:
                lines = max(lines, wrapped_lines(value, widths[c] - 1))
        ws.row_dimensions[r].height = 15.5 * lines + 4
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def to_ods(table: list[list], title: str, *, widths: tuple[int, ...] = WIDTHS) -> bytes:
    """`table` (header first) under `title`, `widths` per column in characters."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import ParagraphProperties, Style, TableCellProperties, TableColumnProperties
    from odf.style import TextProperties as TP
    from odf.table import Table, TableCell, TableColumn, TableHeaderRows, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    wrap = Style(name="wrap", family="table-cell")
    wrap.addElement(
        TableCellProperties(wrapoption="wrap", verticalalign="top", border="0.5pt solid #999999")
    )
    wrap.addElement(
        TP(
            fontnameasian="Noto Sans CJK TC",
            language="zh",
            country="TW",
            languageasian="zh",
            countryasian="TW",
        )
    )
    doc.automaticstyles.addElement(wrap)
    head = Style(name="head", family="table-cell")
    head.addElement(TableCellProperties(backgroundcolor="#e6edf5", border="0.5pt solid #999999"))
    head.addElement(ParagraphProperties(textalign="center"))
    head.addElement(TP(fontweight="bold", fontweightasian="bold"))
    doc.automaticstyles.addElement(head)
    sheet = Table(name="評分表")
    for i, width in enumerate(widths):
        col = Style(name=f"col{i}", family="table-column")
        col.addElement(TableColumnProperties(columnwidth=f"{width * 0.21:.2f}cm"))
        doc.automaticstyles.addElement(col)
        sheet.addElement(TableColumn(stylename=col))

    def add_row(parent, values, style):
        tr = TableRow()
        for value in values:
            if isinstance(value, int | float) and not isinstance(value, bool):
                tc = TableCell(valuetype="float", value=value, stylename=style)
                tc.addElement(P(text=str(value)))
            else:
                tc = TableCell(valuetype="string", stylename=style)
                for line in ("" if value is None else str(value)).split("\n"):
                    tc.addElement(P(text=line))
            tr.addElement(tc)
        parent.addElement(tr)

    add_row(sheet, [title], head)
    header_rows = TableHeaderRows()
    add_row(header_rows, table[0], head)
    sheet.addElement(header_rows)
    for row in table[1:]:
        add_row(sheet, row, wrap)
    doc.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()


def to_xml(data: dict) -> bytes:
    """The JSON shape as XML: attributes for numbers and names, elements for texts."""

    def num(v) -> str:
        return "" if v is None else str(v)

    p = data["period"]
    root = ET.Element(
        "assessment",
        id=str(data["id"]),
        office=data["office"],
        roc_year=str(p["roc_year"]),
        start_month=str(p["start_month"]),
        end_month=str(p["end_month"]),
        assessed_on=data["assessed_on"] or "",
    )
    ET.SubElement(
        root, "rubric", id=str(data["rubric"]["id"]), version=str(data["rubric"]["version"])
    ).text = data["rubric"]["title"]
    ET.SubElement(root, "total", max=num(data["total"]["max"]), score=num(data["total"]["score"]))
    for d in data["dimensions"]:
        de = ET.SubElement(
            root, "dimension", name=d["name"], max=num(d["max"]), score=num(d["score"])
        )
        for item in d["items"]:
            ie = ET.SubElement(
                de, "item", name=item["name"], max=num(item["max"]), score=num(item["score"])
            )
            ET.SubElement(ie, "narrative").text = item["narrative"]
    for f in data["findings"]:
        fe = ET.SubElement(root, "finding", dimension=f["dimension"], item=f["item"])
        for key in ("strengths", "weaknesses", "recommendation", "improvement", "remarks"):
            ET.SubElement(fe, key).text = f[key]
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def render(assessment: Assessment, fmt: str) -> bytes:
    """`assessment` loaded with sheet_queryset(); `fmt` one of export.DATA_FORMATS."""
    sheet = build_sheet(assessment)
    if fmt == "json":
        return canonical_json(sheet)
    if fmt == "xml":
        return to_xml(record_dict(sheet))
    table = rows(sheet)
    if fmt == "csv":
        return to_csv(table)
    title = f"{assessment.office.name} {assessment.period}提升服務效能執行計畫考核項目及評分表"
    if fmt == "xlsx":
        return to_xlsx(table, title)
    return to_ods(table, title)
