"""`servplan check FILE`: reads a form, reports errors and warnings, writes nothing."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from servplan.assessments.models import Assessment
from servplan.programs.models import Rubric
from tests.imports.forms import WRITERS, Cell, Dimension, small_sheet

SEED = Path(__file__).parent / "imports" / "fixtures" / "seed-000.txt"


def check(path, *args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("check", str(path), *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def check_json(path, *args) -> tuple[int, dict]:
    status, out = check(path, "--json", *args)
    return status, json.loads(out)


def codes(result: dict, severity: str | None = None) -> list[str]:
    return [i["code"] for i in result["issues"] if severity in (None, i["severity"])]


def test_seed_000_reads_as_the_seed_says(shipped):
    status, result = check_json(SEED)
    assert status == 0
    assert result["kind"] == "assessment" and "id" not in result
    assert result["office"] == "台東區營業處"
    assert result["period"] == {"roc_year": 114, "start_month": 1, "end_month": 6}
    dims = result["dimensions"]
    assert [(d["name"], d["max"]) for d in dims] == [
        ("創新性", 300),
        ("效益及影響", 400),
        ("可持續性", 150),
        ("擴散應用", 150),
    ]
    assert [[i["max"] for i in d["items"]] for d in dims] == [
        [100, 100, 100],
        [140, 130, 130],
        [50, 50, 50],
        [50, 50, 50],
    ]
    assert [[i["score"] for i in d["items"]] for d in dims] == [
        [95, 94, 96],
        [132, 124, 125],
        [45, 47, 44],
        [46, 45, 46],
    ]
    assert [d["score"] for d in dims] == [285, 381, 136, 137]
    assert [d["stated"] for d in dims] == [285, 381, 136, 137]
    assert result["total"] == {"max": 1000, "score": 939, "stated": 939}
    assert [i["name"] for i in dims[0]["items"]] == [
        "提供在地化及客製化關懷服務",
        "法規及流程簡化",
        "公私協力",
    ]
    # The shipped 114 rubric has the same dimensions, items and maxima: it is the one used.
    assert result["rubric"]["id"] == Rubric.objects.get(roc_year=114).id
    assert codes(result, "error") == []
    [duplicate] = result["issues"]
    assert duplicate["code"] == "duplicate-narrative" and duplicate["severity"] == "warning"
    assert "可持續性／提供在地化及客製化關懷服務" in duplicate["message"]
    assert "可持續性／法規及流程簡化" in duplicate["message"]


def test_seed_000_narratives_are_plain_text(shipped):
    _, result = check_json(SEED)
    first = result["dimensions"][0]["items"][0]["narrative"]
    assert "<" not in first
    assert first.splitlines()[2].startswith("- (1)開放多元管道")
    sustain = result["dimensions"][2]["items"]
    assert sustain[0]["narrative"].splitlines()[1].startswith("1. 訂定申辦業務")  # <ol><li>
    assert len(sustain[2]["narrative"].splitlines()) == 5  # run-in "1.… 2.…" split per paragraph
    assert result["findings"][0]["recommendation"] == "區處所轄地廣人稀，編制較小，人力不足。"
    assert result["findings"][1]["weaknesses"] == ""  # 「無」 is stored as empty


def test_seed_000_text_output_and_nothing_written(shipped):
    status, out = check(SEED)
    assert status == 0
    assert "台東區營業處 114 年度 1 月至 6 月 自行考核：12 格，自評總分 939／1000 分" in out
    assert "錯誤 0 項、警告 1 項" in out
    assert Assessment.objects.count() == 0


def write(tmp_path, sheet, name="form.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(WRITERS[path.suffix](sheet.blocks()))
    return path


def test_another_office_period_and_rubric(shipped, tmp_path):
    status, result = check_json(write(tmp_path, small_sheet()))
    assert status == 0, result["issues"]
    assert result["office"] == "苗栗區營業處"
    assert result["period"] == {"roc_year": 113, "start_month": 7, "end_month": 12}
    assert result["total"] == {"max": 500, "score": 445.5, "stated": 445.5}
    assert [i["name"] for i in result["dimensions"][1]["items"]] == ["便民服務", "數位服務"]
    assert result["rubric"]["id"] is None  # no stored rubric has this shape
    assert result["issues"] == []


@pytest.mark.parametrize(
    ("score", "code"),
    [
        (201, "score-above-max"),
        (-5, "score-negative"),
        ("", "score-missing"),
        ("九十", "score-missing"),
    ],
)
def test_score_errors_name_the_cell(shipped, tmp_path, score, code):
    sheet = small_sheet()
    sheet.dimensions[0].cells[0].score = score
    status, result = check_json(write(tmp_path, sheet))
    assert status == 1
    [issue] = [i for i in result["issues"] if i["severity"] == "error"]
    assert issue["code"] == code
    assert issue["where"] == "服務品質／便民服務"
    assert "服務品質／便民服務" in issue["message"]


def test_cells_not_adding_up_to_the_dimension_or_the_total(shipped, tmp_path):
    sheet = small_sheet(total_max=600)
    sheet.dimensions[1].max = 250
    status, result = check_json(write(tmp_path, sheet))
    assert status == 1
    mismatches = [i for i in result["issues"] if i["code"] == "max-mismatch"]
    assert [i["where"] for i in mismatches] == ["創新服務", "total"]
    assert mismatches[0]["message"] == (
        "創新服務：各評核項目配分合計 200 分，與構面配分 250 分不符"
        "（第 1 張表第 4 列『執行構面』欄），應相等"
    )
    assert mismatches[1]["message"] == (
        "各執行構面配分合計 550 分，與總分滿分 600 分不符（文件段落「總分(滿分 600 分)」），應相等"
    )


def test_wrong_subtotal_and_total_warn_and_the_cells_win(shipped, tmp_path):
    sheet = small_sheet(stated_total=450)
    sheet.dimensions[0].stated = 275
    status, result = check_json(write(tmp_path, sheet))
    assert status == 0
    assert codes(result, "warning") == ["subtotal-mismatch", "total-mismatch"]
    assert result["dimensions"][0]["score"] == 270 and result["dimensions"][0]["stated"] == 275
    assert result["total"]["score"] == 445.5 and result["total"]["stated"] == 450


def test_duplicate_paragraph_names_both_cells(shipped, tmp_path):
    sheet = small_sheet()
    copied = "1. 推廣電子帳單與行動支付，提升線上申辦比例。"
    sheet.dimensions[1].cells[1].narrative = "1. 其他說明。\n2. " + copied[3:]
    status, result = check_json(write(tmp_path, sheet))
    assert status == 0
    [issue] = result["issues"]
    assert issue["code"] == "duplicate-narrative"
    assert "服務品質／數位服務 與 創新服務／數位服務" in issue["message"]


def test_short_shared_paragraphs_are_not_duplicates(shipped, tmp_path):
    sheet = small_sheet()
    for cell in sheet.dimensions[0].cells + sheet.dimensions[1].cells:
        cell.narrative += "\n依計畫辦理。"
    assert check_json(write(tmp_path, sheet))[1]["issues"] == []


def test_finding_naming_no_cell(shipped, tmp_path):
    sheet = small_sheet()
    sheet.findings.append(["3. 服務品質-不存在的項目", "無", "無", "無", "無", ""])
    status, result = check_json(write(tmp_path, sheet))
    assert status == 0
    [issue] = result["issues"]
    assert issue["code"] == "finding-unmatched"
    assert "第 3 列" in issue["message"] and "服務品質-不存在的項目" in issue["message"]


def test_unknown_office_and_the_office_option(shipped, tmp_path):
    path = write(tmp_path, small_sheet(office="火星區營業處"))
    status, result = check_json(path)
    assert status == 1 and codes(result, "error") == ["unknown-office"]
    assert "火星區營業處" in result["issues"][0]["message"]
    status, result = check_json(path, "--office", "苗栗")
    assert status == 0 and result["office"] == "苗栗區營業處"


def test_other_item_counts_and_half_points(shipped, tmp_path):
    sheet = small_sheet(
        total_max=60,
        dimensions=[
            Dimension("甲構面", 60, [Cell(f"{n}、項目{n}", 15, 12.5) for n in "一二三四"]),
        ],
        stated_total=None,
        findings=[],
    )
    status, result = check_json(write(tmp_path, sheet))
    assert status == 0
    assert [i["name"] for i in result["dimensions"][0]["items"]] == [
        "項目一",
        "項目二",
        "項目三",
        "項目四",
    ]
    assert result["total"] == {"max": 60, "score": 50, "stated": None}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("notes.txt", "只是一段文字，不是表格。".encode()),
        ("form.doc", b"\xd0\xcf\x11\xe0 old word"),
    ],
)
def test_unreadable_files_exit_2(shipped, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    status, result = check_json(path)
    assert status == 2
    assert result["kind"] is None and codes(result) == ["unreadable"]


def test_a_scanned_pdf_exits_2_and_says_it_needs_a_text_layer(shipped, tmp_path):
    import typst

    path = tmp_path / "scan.pdf"
    path.write_bytes(
        typst.compile(
            b"#rect(width: 5cm, height: 3cm, fill: gray)",
            font_paths=["/usr/share/fonts/opentype/noto"],
            ignore_system_fonts=True,
        )
    )
    status, result = check_json(path)
    assert status == 2 and codes(result) == ["unreadable"]
    assert "需要有文字層的 PDF 才能讀取" in result["issues"][0]["message"]
    status, out = check(path)
    assert status == 2 and "文字層" in out


def test_the_report_names_the_table_row_and_column(shipped, tmp_path):
    sheet = small_sheet()
    sheet.dimensions[1].cells[0].score = "九十"
    status, out = check(write(tmp_path, sheet, "form.docx"))
    assert status == 1
    assert (
        "創新服務／便民服務：「九十」不是分數（第 1 張表第 4 列『自評』欄），應為 0 至 120 分"
        in out
    )
    assert "評分表：系統中沒有 113 年度評分表，匯入會建立" in out
    # A spreadsheet's row is the sheet's own row number, its column the letter too.
    status, out = check(write(tmp_path, sheet, "form.xlsx"))
    assert "（『Sheet』工作表第 8 列『自評』欄（D 欄））" in out


def test_without_a_file_it_is_djangos_system_check(shipped):
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()
