"""Score sheets and plans built from data, written in every format the importer reads.

A form is a list of blocks: ("p", text) or ("table", rows, spans) where `spans` maps
(row, column) → how many rows that cell covers (merged downwards, as Word forms do).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cell:
    item: str  # as printed: 「一、便民服務」
    max: int
    score: object
    narrative: str = "辦理情形說明。"


@dataclass
class Dimension:
    name: str
    max: int | None
    cells: list[Cell]
    stated: object = None


@dataclass
class Sheet:
    office: str = "苗栗區營業處"
    period: str = "113 年度 7 月至 12 月"
    total_max: int | None = 500
    dimensions: list[Dimension] = field(default_factory=list)
    stated_total: object = None
    findings: list[list[str]] = field(default_factory=list)

    def blocks(self) -> list[tuple]:
        blocks: list[tuple] = [
            ("p", f"{self.office} {self.period}提升服務效能執行計畫考核項目及評分表"),
        ]
        if self.total_max is not None:
            blocks.append(("p", f"總分（滿分 {self.total_max} 分）"))
        rows = [["執行構面", "評核項目", "評分重點", "自評"]]
        spans = {}
        for d in self.dimensions:
            label = f"{d.name} ({d.max} 分)" if d.max is not None else d.name
            spans[(len(rows), 0)] = len(d.cells)
            for i, c in enumerate(d.cells):
                rows.append(
                    [label if i == 0 else "", f"{c.item} ({c.max} 分)", c.narrative, str(c.score)]
                )
        blocks.append(("table", rows, spans))
        if any(d.stated is not None for d in self.dimensions) or self.stated_total is not None:
            blocks.append(
                ("p", f"{self.office} {self.period}提升服務效能執行計畫自行考核結果彙整表")
            )
            summary = [["考核項目", "分數"]]
            for d in self.dimensions:
                summary.append([d.name, "" if d.stated is None else str(d.stated)])
            summary.append(["總分", f"{self.stated_total} 分"])
            blocks.append(("table", summary, {}))
        if self.findings:
            rows = [["考核項目", "優點", "缺點", "建議改善事項", "改善事項辦理情形", "備註"]]
            rows += self.findings
            blocks.append(("table", rows, {}))
        return blocks


def small_sheet(**changes) -> Sheet:
    """苗栗 113 年度 7 月至 12 月 on a 2 × 2 rubric of its own (500 points), all correct."""
    sheet = Sheet(
        dimensions=[
            Dimension(
                "服務品質",
                300,
                [
                    Cell(
                        "一、便民服務",
                        200,
                        180,
                        "1. 設置無障礙櫃台，提供到府服務與代填表單協助。\n2. 延長服務時間。",
                    ),
                    Cell("二、數位服務", 100, 90, "1. 推廣電子帳單與行動支付，提升線上申辦比例。"),
                ],
                stated=270,
            ),
            Dimension(
                "創新服務",
                200,
                [
                    Cell("一、便民服務", 120, 100, "1. 與地方政府合作辦理節電宣導，擴大服務範圍。"),
                    Cell("二、數位服務", 80, 75.5, "1. 建置智慧客服，即時回覆用戶用電相關問題。"),
                ],
                stated=175.5,
            ),
        ],
        stated_total=445.5,
        findings=[
            ["1. 服務品質-便民服務", "服務親切", "無", "增加服務據點", "已規劃新據點", ""],
            ["2. 創新服務-數位服務", "無", "無", "無", "無", ""],
        ],
    )
    for key, value in changes.items():
        setattr(sheet, key, value)
    return sheet


def to_txt(blocks: list[tuple]) -> bytes:
    """The extracted-text form: tables as tab-separated rows, narratives as HTML paragraphs."""
    lines = []
    for block in blocks:
        if block[0] == "p":
            lines += [block[1], ""]
            continue
        for row in block[1]:
            lines.append(
                "\t".join(
                    "".join(f"<p>{line}</p>" for line in cell.split("\n")) if "\n" in cell else cell
                    for cell in row
                )
            )
        lines.append("")
    return "\n".join(lines).encode()


def _number(text: str):
    """Spreadsheets hold scores as numbers, as a person typing them would."""
    try:
        value = float(text.removesuffix(" 分"))
    except ValueError:
        return text or None
    return int(value) if value.is_integer() else value


def _covered(spans: dict) -> set[tuple[int, int]]:
    return {(r + i, c) for (r, c), n in spans.items() for i in range(1, n)}


def to_docx(blocks: list[tuple]) -> bytes:
    """Word with real merged cells (the dimension column spans its items' rows)."""
    import io

    from docx import Document

    document = Document()
    for block in blocks:
        if block[0] == "p":
            document.add_paragraph(block[1])
            continue
        _, rows, spans = block
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for (r, c), n in spans.items():
            if n > 1:
                table.cell(r, c).merge(table.cell(r + n - 1, c))
        covered = _covered(spans)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if (r, c) in covered:
                    continue
                cell = table.cell(r, c)
                lines = text.split("\n")
                cell.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _odf_table(rows, spans, *, numbers: bool):
    from odf.table import CoveredTableCell, Table, TableColumn, TableRow
    from odf.table import TableCell as OdfCell
    from odf.text import P

    table = Table(name=f"T{id(rows)}")
    table.addElement(TableColumn(numbercolumnsrepeated=max(len(r) for r in rows)))
    covered = _covered(spans)
    for r, row in enumerate(rows):
        tr = TableRow()
        for c, text in enumerate(row):
            if (r, c) in covered:
                tr.addElement(CoveredTableCell())
                continue
            attrs = {}
            if spans.get((r, c), 1) > 1:
                attrs["numberrowsspanned"] = spans[(r, c)]
            value = _number(text) if numbers else None
            if isinstance(value, int | float):
                attrs.update(valuetype="float", value=value)
            cell = OdfCell(**attrs)
            for line in text.split("\n"):
                cell.addElement(P(text=line))
            tr.addElement(cell)
        table.addElement(tr)
    return table


def to_odt(blocks: list[tuple]) -> bytes:
    import io

    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for block in blocks:
        if block[0] == "p":
            document.text.addElement(P(text=block[1]))
        else:
            document.text.addElement(_odf_table(block[1], block[2], numbers=False))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _sheet_rows(blocks: list[tuple]):
    """Rows of one sheet: paragraphs in column A, a blank row between blocks."""
    rows, merges = [], []
    for block in blocks:
        if block[0] == "p":
            rows.append([block[1]])
        else:
            _, table, spans = block
            start = len(rows)
            rows += [list(r) for r in table]
            merges += [(start + r, c, n) for (r, c), n in spans.items() if n > 1]
        rows.append([])
    return rows, merges


def to_xlsx(blocks: list[tuple]) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    rows, merges = _sheet_rows(blocks)
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            if text:
                sheet.cell(row=r, column=c, value=_number(text))
    for r, c, n in merges:
        sheet.merge_cells(start_row=r + 1, start_column=c + 1, end_row=r + n, end_column=c + 1)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_ods(blocks: list[tuple]) -> bytes:
    import io

    from odf.opendocument import OpenDocumentSpreadsheet

    document = OpenDocumentSpreadsheet()
    rows, merges = _sheet_rows(blocks)
    width = max(len(r) for r in rows)
    spans = {(r, c): n for r, c, n in merges}
    padded = [row + [""] * (width - len(row)) for row in rows]
    document.spreadsheet.addElement(_odf_table(padded, spans, numbers=True))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


WRITERS = {".txt": to_txt, ".docx": to_docx, ".odt": to_odt, ".xlsx": to_xlsx, ".ods": to_ods}


FONTS = "/usr/share/fonts/opentype/noto"


def _typst_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _typst_cell(text: str) -> str:
    return "#linebreak()".join(f"#{_typst_string(line)}" for line in text.split("\n"))


def to_pdf(blocks: list[tuple]) -> bytes:
    """A PDF typeset by Typst with the Noto CJK fonts, merged cells as rowspans."""
    import typst

    parts = [
        '#set page(paper: "a4", margin: 1.5cm)',
        '#set text(font: "Noto Sans CJK TC", size: 9pt, lang: "zh")',
    ]
    for block in blocks:
        if block[0] == "p":
            parts.append(f"#par[#{_typst_string(block[1])}]")
            continue
        _, rows, spans = block
        covered = _covered(spans)
        columns = max(len(r) for r in rows)
        cells = []
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if (r, c) in covered:
                    continue
                body = _typst_cell(text)
                n = spans.get((r, c), 1)
                cells.append(f"table.cell(rowspan: {n})[{body}]" if n > 1 else f"[{body}]")
        parts.append(
            f"#table(columns: {columns}, stroke: 0.5pt, inset: 4pt,\n  " + ",\n  ".join(cells) + ")"
        )
    return typst.compile(
        "\n".join(parts).encode(), font_paths=[FONTS], ignore_system_fonts=True, format="pdf"
    )


WRITERS[".pdf"] = to_pdf


def plan_blocks(
    *,
    office: str = "新竹區營業處",
    year: int = 113,
    rows: list[list[str]] | None = None,
    spans: dict | None = None,
) -> list[tuple]:
    """An office plan: the numbered sections around the 面向／執行策略／具體作法 table."""
    if rows is None:
        rows = [
            [
                "一、基礎服務",
                "（一）服務一致及正確性",
                "1.訂定標準作業流程",
                "訂定申辦業務標準作業流程，並持續檢討。",
                "業務組",
                "1~12 月",
            ],
            [
                "",
                "",
                "2.提升服務及時性",
                "(1) 提升申辦案件的處理效率。\n(2) 主動告知用戶處理情形。",
                "業務組\n人資組",
                "每年 1 次",
            ],
            ["", "（二）服務友善性", "1.提升服務設施合宜度", "(1) 設置無障礙設施。", "總務組", ""],
            [
                "二、服務遞送",
                "（一）便捷服務",
                "1.線上申辦",
                "(1) 推廣線上申辦。\n(2) 推廣電子帳單。",
                "業務組、電務組",
                "1~6 月",
            ],
        ]
        spans = {(1, 0): 3, (1, 1): 2}
    header = ["面向", "執行策略", "具體作法", "", "承辦部門", "執行期間"]
    return [
        ("p", f"{office} {year} 年度提升服務效能執行計畫"),
        ("p", f"{year} 年 3 月 5 日陳准實施"),
        ("p", "壹、計畫依據"),
        ("p", f"依據本公司 {year} 年度提升服務效能執行計畫辦理。"),
        ("p", "貳、計畫目標"),
        ("p", "提升為民服務效能。"),
        ("p", "參、實施對象：本處各部門"),
        ("p", "肆、執行策略及具體作法"),
        ("table", [header, *rows], spans or {}),
        ("p", "伍、實施步驟"),
        ("p", "一、訂定本處執行計畫。"),
        ("p", "二、本執行計畫公開於區營業處網頁。"),
        ("p", "陸、附則"),
        ("p", "本計畫如有未盡事宜，得另行補充。"),
    ]
