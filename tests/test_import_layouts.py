"""Every layout of docs/imports.md's table reads, from its committed test document, to the
exact record: score sheets typed in a spreadsheet and plans laid out every way offices do."""

from pathlib import Path

import pytest

from servplan.imports.domain import check_file
from servplan.imports.readers import read_blocks
from tests.imports.layouts.make import HERE, build, files

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
