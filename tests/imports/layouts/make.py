"""The layout test documents: forms laid out the ways clerks type them (docs/imports.md).

Each layout is one spec written in every format where it exists: a list of sheets, each a
list of blocks, ("p", text) or ("table", rows, merges), where `merges` maps (row, column) to
(rows, columns) covered. Spreadsheets put each sheet on a worksheet of its own and a paragraph
in column A; documents put the sheets one after another. In spreadsheets a cell that is a
number as typed (「96」, 「47.5」) is stored as a number; 「９６」 and 「45分」 stay text.

    python -m tests.imports.layouts.make      # rewrite the committed files

The committed files are what this script wrote; `test_import_layouts.py` checks that each
still reads to the same grid as the script's output (the files themselves hold timestamps).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

HERE = Path(__file__).parent

TITLE = "苗栗區營業處 113 年度 7 月至 12 月提升服務效能執行計畫考核項目及評分表"
SUMMARY_TITLE = "苗栗區營業處 113 年度 7 月至 12 月提升服務效能執行計畫自行考核結果彙整表"
FOLLOW_UP_TITLE = "苗栗區營業處 113 年度 7 月至 12 月提升服務效能執行計畫建議改善事項辦理情形表"
PLAN_TITLE = "新竹區營業處 113 年度提升服務效能執行計畫"

NARRATIVES = {
    "服務品質／便民服務": "1. 設置無障礙櫃台，提供到府服務。\n2. 延長服務時間。",
    "服務品質／數位服務": "推廣電子帳單與行動支付。",
    "創新服務／便民服務": "與地方政府合作辦理節電宣導。",
    "創新服務／數位服務": "1. 建置智慧客服。\n2. 即時回覆用戶問題。",
}
SIGN_OFF = [["經辦", "課長", "副處長", "處長"], ["王小明", "李大同", "陳副座", "林處長"]]


def _score_merged() -> list:
    """Title in a merged first row; the dimension merged down over its items and 小計 row,
    「(300分)」 on a line of its own; 「（200 分）」 full-width; ９６-style digits, 「90分」,
    47.5; a blank separator row; the 總分 label merged across; the sign-off rows under it."""
    n = NARRATIVES
    rows = [
        [TITLE, None, None, None],
        ["執行構面", "評核項目", "評分重點", "自評"],
        ["一、服務品質\n(300分)", "（一）便民服務（200 分）", n["服務品質／便民服務"], "１８０"],
        [None, "（二）數位服務(100分)", n["服務品質／數位服務"], "90分"],
        [None, "小計", "", "270"],
        ["", "", "", ""],
        ["二、創新服務\n(200分)", "（一）便民服務（120 分）", n["創新服務／便民服務"], "100"],
        [None, "（二）數位服務(80分)", n["創新服務／數位服務"], "75.5"],
        [None, "小計", "", "175.5"],
        ["總分(滿分500分)", None, None, "445.5"],
        *[[*r] for r in SIGN_OFF],
    ]
    merges = {(0, 0): (1, 4), (2, 0): (3, 1), (6, 0): (3, 1), (9, 0): (1, 3)}
    return [("評分表", [("table", rows, merges)])]


def _score_max_column(*, wrong_subtotal: bool = True) -> list:
    """The dimension repeated in each row, the maxima in a 配分 column of their own (the
    dimension's on its 小計 row, the total's on the 總分 row), scores 「45 分」-style; one stated
    subtotal is wrong; the sign-off row 「經辦：王小明」."""
    n = NARRATIVES
    rows = [
        ["執行構面", "評核項目", "配分", "執行情形", "得分"],
        ["服務品質", "便民服務", "200", n["服務品質／便民服務"], "180 分"],
        ["服務品質", "數位服務", "100", n["服務品質／數位服務"], "９０"],
        ["服務品質", "小計", "300", "", "270"],
        ["創新服務", "便民服務", "120", n["創新服務／便民服務"], "100分"],
        ["創新服務", "數位服務", "80", n["創新服務／數位服務"], "75.5"],
        ["創新服務", "小計", "200", "", "170" if wrong_subtotal else "175.5"],
        ["總分", "", "500", "", "445.5"],
        ["經辦：王小明", "課長：李大同", "", "副處長：陳副座", "處長：林處長"],
    ]
    return [("評分表", [("p", TITLE), ("table", rows, {})])]


FINDINGS = [
    ["考核項目", "優點", "缺點", "建議改善事項", "改善事項辦理情形", "備註"],
    ["1. 服務品質-便民服務", "服務親切", "無", "增加服務據點", "已規劃新據點", ""],
    ["2. 創新服務-數位服務", "• 回覆迅速\n• 用語淺白", "無", "無", "無", "試辦中"],
]
FOLLOW_UP = [
    ["考核項目", "建議改善事項", "改善辦理情形", "備註"],
    [
        "1. 服務品質-便民服務",
        "增加服務據點",
        "【113 年第 4 季（113 年 12 月 31 日）】\n已規劃新據點。\n預計明年啟用。",
        "",
    ],
]


def _score_workbook() -> list:
    """Score sheet, results summary (with findings) and follow-up table on sheets of their
    own (in a document, one after another); the score sheet's dimension merged down."""
    n = NARRATIVES
    score = [
        ["執行構面", "評核項目", "評分重點", "自評"],
        ["服務品質 (300 分)", "便民服務 (200 分)", n["服務品質／便民服務"], "180"],
        [None, "數位服務 (100 分)", n["服務品質／數位服務"], "90"],
        ["創新服務 (200 分)", "便民服務 (120 分)", n["創新服務／便民服務"], "100"],
        [None, "數位服務 (80 分)", n["創新服務／數位服務"], "75.5"],
    ]
    summary = [
        ["考核項目", "分數"],
        ["服務品質", "270"],
        ["創新服務", "175.5"],
        ["總分", "445.5"],
    ]
    return [
        ("評分表", [("p", TITLE), ("table", score, {(1, 0): (2, 1), (3, 0): (2, 1)})]),
        (
            "彙整表",
            [("p", SUMMARY_TITLE), ("table", summary, {}), ("table", FINDINGS, {})],
        ),
        ("辦理情形", [("p", FOLLOW_UP_TITLE), ("table", FOLLOW_UP, {})]),
    ]


PLAN_HEAD = [
    ("p", PLAN_TITLE),
    ("p", "113 年 3 月 5 日陳准實施"),
    ("p", "壹、計畫依據"),
    ("p", "依據本公司 113 年度提升服務效能執行計畫辦理。"),
    ("p", "貳、計畫目標"),
    ("p", "提升為民服務效能。"),
    ("p", "參、實施對象：本處各部門"),
    ("p", "肆、執行策略及具體作法"),
]
PLAN_TAIL = [
    ("p", "伍、實施步驟"),
    ("p", "一、訂定本處執行計畫。"),
    ("p", "二、本執行計畫公開於區營業處網頁。"),
    ("p", "陸、附則"),
    ("p", "本計畫如有未盡事宜，得另行補充。"),
]


def _plan(rows: list, merges: dict) -> list:
    return [("計畫", [*PLAN_HEAD, ("table", rows, merges), *PLAN_TAIL])]


def _plan_in_strategy_column() -> list:
    """作法標題 under 「（一）…」 in the strategy column; facet merged down; (1)(2) on one
    line; two departments separated by 、; periods 每季 and 「6 月、12 月」."""
    rows = [
        ["面向", "執行策略", "具體作法", "承辦部門", "執行期間"],
        [
            "一、基礎服務",
            "（一）服務一致及正確性\n1.訂定標準作業流程",
            "訂定申辦業務標準作業流程，並持續檢討。",
            "業務組",
            "1~12 月",
        ],
        [
            None,
            "2.提升服務及時性",
            "(1)提升申辦案件的處理效率。(2)主動告知用戶處理情形。",
            "業務組、人資組",
            "每季",
        ],
        [
            None,
            "（二）服務友善性\n1.提升服務設施合宜度",
            "(1)設置無障礙設施。",
            "總務組",
            "6 月、12 月",
        ],
        [
            "二、服務遞送",
            "（一）便捷服務\n1.線上申辦",
            "(1)推廣線上申辦。(2)推廣電子帳單。",
            "業務組、電務組",
            "1~6 月",
        ],
    ]
    return _plan(rows, {(1, 0): (3, 1)})


def _plan_repeated() -> list:
    """作法標題 in a column of its own; facet, strategy and 作法標題 repeated in every row;
    one row per 作法; two departments on two lines of one cell."""
    rows = [["面向", "執行策略", "作法標題", "具體作法", "承辦部門", "執行期間"]]
    for facet, strategy, measure, practice, departments, period in [
        ("一、基礎服務", "（一）服務一致及正確性", "1.訂定標準作業流程",
         "訂定申辦業務標準作業流程，並持續檢討。", "業務組", "1~12 月"),
        ("一、基礎服務", "（一）服務一致及正確性", "2.提升服務及時性",
         "(1) 提升申辦案件的處理效率。", "業務組\n人資組", "每季"),
        ("一、基礎服務", "（一）服務一致及正確性", "2.提升服務及時性",
         "(2) 主動告知用戶處理情形。", "業務組\n人資組", "每季"),
        ("一、基礎服務", "（二）服務友善性", "1.提升服務設施合宜度",
         "(1) 設置無障礙設施。", "總務組", "6 月、12 月"),
        ("二、服務遞送", "（一）便捷服務", "1.線上申辦", "(1) 推廣線上申辦。", "業務組\n電務組", "1~6 月"),
        ("二、服務遞送", "（一）便捷服務", "1.線上申辦", "(2) 推廣電子帳單。", "業務組\n電務組", "1~6 月"),
    ]:  # fmt: skip
        rows.append([facet, strategy, measure, practice, departments, period])
    return _plan(rows, {})


def _plan_merged() -> list:
    """Facet, strategy, 作法標題, departments and period merged down; (1)(2) as paragraphs
    of one cell; departments separated by 、."""
    rows = [
        ["面向", "執行策略", "子策略", "具體作法", "承辦部門", "執行期間"],
        ["一、基礎服務", "（一）服務一致及正確性", "1.訂定標準作業流程",
         "訂定申辦業務標準作業流程，並持續檢討。", "業務組", "1~12 月"],
        [None, None, "2.提升服務及時性",
         "(1) 提升申辦案件的處理效率。\n(2) 主動告知用戶處理情形。", "業務組、人資組", "每季"],
        [None, "（二）服務友善性", "1.提升服務設施合宜度", "(1) 設置無障礙設施。", "總務組", "6 月、12 月"],
        ["二、服務遞送", "（一）便捷服務", "1.線上申辦", "(1) 推廣線上申辦。", "業務組、電務組", "1~6 月"],
        [None, None, None, "(2) 推廣電子帳單。", None, None],
    ]  # fmt: skip
    merges = {(1, 0): (3, 1), (1, 1): (2, 1), (4, 0): (2, 1), (4, 1): (2, 1), (4, 2): (2, 1)}
    merges |= {(4, 4): (2, 1), (4, 5): (2, 1)}
    return _plan(rows, merges)


SPREADSHEETS = (".xlsx", ".ods")
DOCUMENTS = (".docx", ".odt")
# name → (spec, formats): every layout in every format where it exists.
LAYOUTS = {
    "score-merged": (_score_merged, DOCUMENTS + SPREADSHEETS),
    "score-max-column": (_score_max_column, DOCUMENTS + SPREADSHEETS),
    "score-workbook": (_score_workbook, DOCUMENTS + SPREADSHEETS),
    "plan-in-strategy-column": (_plan_in_strategy_column, DOCUMENTS + SPREADSHEETS),
    "plan-repeated": (_plan_repeated, DOCUMENTS + SPREADSHEETS),
    "plan-merged": (_plan_merged, DOCUMENTS + SPREADSHEETS),
}


def _covered(merges: dict) -> set[tuple[int, int]]:
    return {
        (r + i, c + j)
        for (r, c), (down, across) in merges.items()
        for i in range(down)
        for j in range(across)
        if i or j
    }


def _number(text: str):
    """A spreadsheet stores what looks like a number as one (as typing it would)."""
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text or ""):  # not 「９６」, which \d would take
        value = float(text)
        return int(value) if value.is_integer() else value
    return text or None


def to_docx(sheets: list, *, breaks: bool = False) -> bytes:
    """Word; a cell's lines as paragraphs, or as line breaks (Shift+Enter) in one."""
    from docx import Document

    document = Document()
    for _, blocks in sheets:
        for block in blocks:
            if block[0] == "p":
                document.add_paragraph(block[1])
                continue
            _, rows, merges = block
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for (r, c), (down, across) in merges.items():
                table.cell(r, c).merge(table.cell(r + down - 1, c + across - 1))
            covered = _covered(merges)
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    if (r, c) in covered or not text:
                        continue
                    cell = table.cell(r, c)
                    if breaks:  # python-docx writes each 「\n」 of a run as a w:br
                        cell.paragraphs[0].text = text
                        continue
                    first, *rest = text.split("\n")
                    cell.paragraphs[0].text = first
                    for line in rest:
                        cell.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _odf_table(name: str, rows: list, merges: dict, *, numbers: bool, breaks: bool = False):
    from odf.table import CoveredTableCell, Table, TableColumn, TableRow
    from odf.table import TableCell as OdfCell
    from odf.teletype import addTextToElement
    from odf.text import P

    width = max(len(r) for r in rows)
    table = Table(name=name)
    table.addElement(TableColumn(numbercolumnsrepeated=width))
    covered = _covered(merges)
    for r, row in enumerate(rows):
        tr = TableRow()
        for c in range(width):
            text = row[c] if c < len(row) else None
            if (r, c) in covered:
                tr.addElement(CoveredTableCell())
                continue
            attrs: dict = {}
            if (r, c) in merges:
                down, across = merges[(r, c)]
                attrs.update(numberrowsspanned=down, numbercolumnsspanned=across)
            value = _number(text) if numbers else None
            if isinstance(value, int | float):
                attrs.update(valuetype="float", value=value)
            cell = OdfCell(**attrs)
            if text and breaks:  # one paragraph, its lines as text:line-break
                paragraph = P()
                addTextToElement(paragraph, text)
                cell.addElement(paragraph)
            else:
                for line in text.split("\n") if text else []:
                    cell.addElement(P(text=line))
            tr.addElement(cell)
        table.addElement(tr)
    return table


def to_odt(sheets: list, *, breaks: bool = False) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    count = 0
    for _, blocks in sheets:
        for block in blocks:
            if block[0] == "p":
                document.text.addElement(P(text=block[1]))
            else:
                count += 1
                table = _odf_table(f"表{count}", block[1], block[2], numbers=False, breaks=breaks)
                document.text.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _sheet_grid(blocks: list) -> tuple[list, dict]:
    """One worksheet: paragraphs in column A, a blank row after each block but the last."""
    rows: list = []
    merges: dict = {}
    for index, block in enumerate(blocks):
        if block[0] == "p":
            rows.append([block[1]])
        else:
            _, table, spans = block
            start = len(rows)
            rows += [list(r) for r in table]
            merges |= {(start + r, c): span for (r, c), span in spans.items()}
        # A blank row around each table, as a clerk leaves one (it ends the table).
        following = blocks[index + 1][0] if index + 1 < len(blocks) else None
        if following is not None and "table" in (block[0], following):
            rows.append([])
    return rows, merges


def to_xlsx(sheets: list) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, blocks in sheets:
        sheet = workbook.create_sheet(name)
        rows, merges = _sheet_grid(blocks)
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row, start=1):
                if text:
                    cell = sheet.cell(row=r, column=c, value=_number(text))
                    if "\n" in text:
                        cell.alignment = Alignment(wrap_text=True)
        for (r, c), (down, across) in merges.items():
            sheet.merge_cells(
                start_row=r + 1, start_column=c + 1, end_row=r + down, end_column=c + across
            )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_ods(sheets: list) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet

    document = OpenDocumentSpreadsheet()
    for name, blocks in sheets:
        rows, merges = _sheet_grid(blocks)
        width = max(len(r) for r in rows)
        padded = [[*row, *[None] * (width - len(row))] for row in rows]
        document.spreadsheet.addElement(_odf_table(name, padded, merges, numbers=True))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


WRITERS = {".docx": to_docx, ".odt": to_odt, ".xlsx": to_xlsx, ".ods": to_ods}


def build(name: str, suffix: str) -> bytes:
    spec, _ = LAYOUTS[name]
    if suffix in DOCUMENTS and name.startswith("score-"):
        # Score sheets break their cells' lines with Shift+Enter, plans with Enter.
        return WRITERS[suffix](spec(), breaks=True)
    return WRITERS[suffix](spec())


def files() -> list[tuple[str, str]]:
    """Every (layout, format) there is a test document for."""
    return [(name, suffix) for name, (_, formats) in LAYOUTS.items() for suffix in formats]


def main() -> None:
    for name, suffix in files():
        (HERE / f"{name}{suffix}").write_bytes(build(name, suffix))


if __name__ == "__main__":
    main()
