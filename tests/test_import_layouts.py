"""Every layout of docs/imports.md's table reads, from its committed test document, to the
exact record: score sheets typed in a spreadsheet and plans laid out every way offices do."""

import re
from pathlib import Path

import pytest

from servplan.imports.domain import check_file
from servplan.imports.readers import read_blocks
from servplan.imports.readers.base import Paragraph
from tests.imports.layouts.make import HERE, LAYOUTS, WRITERS, build, files

SCORE_FILES = [(n, s) for n, s in files() if n.startswith("score-")]
PLAN_FILES = [(n, s) for n, s in files() if n.startswith("plan-")]

NARRATIVES = {
    ("服務品質", "便民服務"): "1. 設置無障礙櫃台，提供到府服務。\n2. 延長服務時間。",
    ("服務品質", "數位服務"): "推廣電子帳單與行動支付。",
    ("創新服務", "便民服務"): "與地方政府合作辦理節電宣導。",
    ("創新服務", "數位服務"): "1. 建置智慧客服。\n2. 即時回覆用戶問題。",
}


def item(dimension, name, maximum, score):
    return {
        "name": name,
        "max": maximum,
        "score": score,
        "narrative": NARRATIVES[(dimension, name)],
    }


def dimensions(*, stated_second=175.5):
    return [
        {
            "name": "服務品質",
            "max": 300,
            "score": 270,
            "stated": 270,
            "items": [
                item("服務品質", "便民服務", 200, 180),
                item("服務品質", "數位服務", 100, 90),
            ],
        },
        {
            "name": "創新服務",
            "max": 200,
            "score": 175.5,
            "stated": stated_second,
            "items": [
                item("創新服務", "便民服務", 120, 100),
                item("創新服務", "數位服務", 80, 75.5),
            ],
        },
    ]


def path(name, suffix) -> Path:
    return HERE / f"{name}{suffix}"


def check(name, suffix):
    return check_file(filename=f"{name}{suffix}", data=path(name, suffix).read_bytes())


def issues(result):
    return [(i.severity, i.code, i.message) for i in result.issues]


@pytest.mark.parametrize(("name", "suffix"), files())
def test_the_committed_document_is_what_make_writes(name, suffix):
    """The files hold timestamps, so they are compared as read: the same grid."""
    committed = read_blocks(f"{name}{suffix}", path(name, suffix).read_bytes())
    assert committed == read_blocks(f"{name}{suffix}", build(name, suffix))


def grid(name, suffix) -> list:
    """What the reader makes of a file: paragraphs, and tables' cells (empty as None), spans
    and sheet names (row numbers aside: a document's are its tables' own)."""
    return [
        block.text
        if isinstance(block, Paragraph)
        else ([[cell or None for cell in row] for row in block.rows], block.spans, block.sheet)
        for block in read_blocks(f"{name}{suffix}", path(name, suffix).read_bytes())
    ]


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_each_kind_of_file_reads_a_layout_to_one_grid(name):
    """Excel's merged ranges are spans as ODF's are; Word's merges as ODF text's."""
    assert grid(name, ".xlsx") == grid(name, ".ods")
    assert grid(name, ".docx") == grid(name, ".odt")


@pytest.mark.parametrize(("name", "suffix"), SCORE_FILES)
def test_score_sheet_layouts_read_to_the_exact_record(shipped, name, suffix):
    result = check(name, suffix)
    data = result.as_dict()
    assert data["office"] == "苗栗區營業處"
    assert data["period"] == {"roc_year": 113, "start_month": 7, "end_month": 12}
    wrong = name == "score-max-column"
    assert data["dimensions"] == dimensions(stated_second=170 if wrong else 175.5)
    assert data["total"] == {"max": 500, "score": 445.5, "stated": 445.5}
    assert data["assessed_on"] is None
    if name != "score-workbook":
        assert data["forms"] == ["score-sheet"]
        assert data["findings"] == [] and data["follow_up"] == []
    if not wrong:
        assert issues(result) == []
        return
    # A wrong stated subtotal is reported where it stands, never silently corrected.
    where = (
        "『評分表』工作表第 9 列『得分』欄（E 欄）"
        if suffix in (".xlsx", ".ods")
        else "第 1 張表第 7 列『得分』欄"
    )
    assert issues(result) == [
        (
            "warning",
            "subtotal-mismatch",
            f"創新服務：文件所列小計 170 分（{where}），與各項自評合計 175.5 分不符（以各項自評為準）",
        )
    ]


@pytest.mark.parametrize("suffix", [".docx", ".odt", ".xlsx", ".ods"])
def test_a_workbook_of_score_sheet_summary_and_follow_up(shipped, suffix):
    data = check("score-workbook", suffix).as_dict()
    assert data["forms"] == ["score-sheet", "summary", "follow-up"]
    assert data["findings"] == [
        {
            "dimension": "服務品質",
            "item": "便民服務",
            "strengths": "服務親切",
            "weaknesses": "",
            "recommendation": "增加服務據點",
            "improvement": "已規劃新據點",
            "remarks": "",
        },
        {
            "dimension": "創新服務",
            "item": "數位服務",
            "strengths": "- 回覆迅速\n- 用語淺白",
            "weaknesses": "",
            "recommendation": "",
            "improvement": "",
            "remarks": "試辦中",
        },
    ]
    assert data["follow_up"] == [
        {
            "dimension": "服務品質",
            "item": "便民服務",
            "recommendation": "增加服務據點",
            "entries": [
                {
                    "roc_year": 113,
                    "quarter": 4,
                    "recorded_on": "2024-12-31",
                    "progress": "已規劃新據點。\n預計明年啟用。",
                }
            ],
            "remarks": "",
        }
    ]


def practice(number, text, departments, period):
    return {"number": number, "text": text, "departments": departments, "period": period}


PLAN_FACETS = [
    {
        "name": "基礎服務",
        "strategies": [
            {
                "name": "服務一致及正確性",
                "measures": [
                    {
                        "name": "訂定標準作業流程",
                        "practices": [
                            practice(
                                None,
                                "訂定申辦業務標準作業流程，並持續檢討。",
                                ["業務組"],
                                "1~12 月",
                            )
                        ],
                    },
                    {
                        "name": "提升服務及時性",
                        "practices": [
                            practice(1, "提升申辦案件的處理效率。", ["業務組", "人資組"], "每季"),
                            practice(2, "主動告知用戶處理情形。", ["業務組", "人資組"], "每季"),
                        ],
                    },
                ],
            },
            {
                "name": "服務友善性",
                "measures": [
                    {
                        "name": "提升服務設施合宜度",
                        "practices": [practice(1, "設置無障礙設施。", ["總務組"], "6 月、12 月")],
                    }
                ],
            },
        ],
    },
    {
        "name": "服務遞送",
        "strategies": [
            {
                "name": "便捷服務",
                "measures": [
                    {
                        "name": "線上申辦",
                        "practices": [
                            practice(1, "推廣線上申辦。", ["業務組", "電務組"], "1~6 月"),
                            practice(2, "推廣電子帳單。", ["業務組", "電務組"], "1~6 月"),
                        ],
                    }
                ],
            }
        ],
    },
]


@pytest.mark.parametrize(("name", "suffix"), PLAN_FILES)
def test_plan_layouts_read_to_the_exact_record(shipped, name, suffix):
    result = check(name, suffix)
    data = result.as_dict()
    assert issues(result) == []
    assert (data["office"], data["roc_year"]) == ("新竹區營業處", 113)
    assert data["title"] == "新竹區營業處 113 年度提升服務效能執行計畫"
    assert data["approved_on"] == "2024-03-05"
    assert data["basis"] == "依據本公司 113 年度提升服務效能執行計畫辦理。"
    assert data["goals"] == "提升為民服務效能。"
    assert data["targets"] == "本處各部門"
    assert data["steps"] == ["訂定本處執行計畫。", "本執行計畫公開於區營業處網頁。"]
    assert data["supplementary"] == "本計畫如有未盡事宜，得另行補充。"
    assert data["facets"] == PLAN_FACETS


LOCATION = {
    ".xlsx": r"『評分表』工作表第 \d+ 列『[^』]+』欄（[A-Z]{1,3} 欄）",
    ".ods": r"『評分表』工作表第 \d+ 列『[^』]+』欄（[A-Z]{1,3} 欄）",
    ".docx": r"第 1 張表第 \d+ 列『[^』]+』欄",
    ".odt": r"第 1 張表第 \d+ 列『[^』]+』欄",
}


@pytest.mark.parametrize("suffix", list(LOCATION))
def test_every_issue_of_a_score_sheet_names_its_cell_and_what_was_expected(shipped, suffix):
    [(sheet, blocks)] = LAYOUTS["score-max-column"][0]()
    rows = blocks[1][1]
    rows[2][4] = "150"  # 數位服務, maximum 100
    rows[4][4] = "甲"  # 創新服務／便民服務
    rows[3][2] = "320"  # 服務品質's maximum, its items add up to 300
    rows[7][2] = "600"  # the total maximum, the dimensions add up to 520
    rows[7][4] = "440"  # the stated total
    rows[5][3] = rows[1][3] = "同一段落寫在兩個評核項目裡，字數超過二十個字的執行情形說明。"
    data = WRITERS[suffix]([(sheet, blocks)])
    result = check_file(filename=f"bad{suffix}", data=data)
    assert sorted(i.code for i in result.issues) == [
        "duplicate-narrative",
        "max-mismatch",
        "max-mismatch",
        "score-above-max",
        "score-missing",
        "subtotal-mismatch",  # 服務品質: 180 + 150
        "subtotal-mismatch",  # 創新服務: 170 stated
        "total-mismatch",
    ]
    for issue in result.issues:
        assert re.search(LOCATION[suffix], issue.message), issue.message
    messages = {i.code: i.message for i in result.issues}
    assert "，應為 0 至 100 分" in messages["score-above-max"]
    assert "「甲」不是分數" in messages["score-missing"]
    assert "，應為 0 至 120 分的數字" in messages["score-missing"]


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_a_practice_without_department_or_period_names_their_cells(shipped, suffix):
    [(sheet, blocks)] = LAYOUTS["plan-repeated"][0]()
    table = blocks[8][1]
    table[4][4] = table[4][5] = ""  # 服務友善性's practice
    result = check_file(filename=f"plan{suffix}", data=WRITERS[suffix]([(sheet, blocks)]))
    [issue] = result.issues
    where = (
        "『計畫』工作表第 14 列『承辦部門』欄（E 欄）、『計畫』工作表第 14 列『執行期間』欄（F 欄）"
        if suffix == ".xlsx"
        else "第 1 張表第 5 列『承辦部門』欄、第 1 張表第 5 列『執行期間』欄"
    )
    assert issue.message == (
        f"基礎服務／服務友善性／提升服務設施合宜度(1)：具體作法未填承辦部門及執行期間（{where}），"
        "應寫明承辦的部門及執行的月份或頻率（如「1~12 月」「每季」）"
    )
