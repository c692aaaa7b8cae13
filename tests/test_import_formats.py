"""Every supported format reads the same form the same way, and each check works on each."""

import pytest

from servplan.imports.domain import check_file
from tests.imports.forms import WRITERS, Cell, Dimension, small_sheet

FORMATS = list(WRITERS)


def check(sheet, suffix, **kwargs):
    return check_file(filename=f"form{suffix}", data=WRITERS[suffix](sheet.blocks()), **kwargs)


def codes(result) -> list[str]:
    return [i.code for i in result.issues]


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_correct_form_reads_whole(shipped, suffix):
    result = check(small_sheet(), suffix)
    assert result.issues == []
    data = result.as_dict()
    assert data["office"] == "苗栗區營業處"
    assert data["period"] == {"roc_year": 113, "start_month": 7, "end_month": 12}
    assert [(d["name"], d["max"], d["score"], d["stated"]) for d in data["dimensions"]] == [
        ("服務品質", 300, 270, 270),
        ("創新服務", 200, 175.5, 175.5),
    ]
    assert [i["max"] for i in data["dimensions"][1]["items"]] == [120, 80]
    assert data["total"] == {"max": 500, "score": 445.5, "stated": 445.5}
    assert data["dimensions"][0]["items"][0]["narrative"] == (
        "1. 設置無障礙櫃台，提供到府服務與代填表單協助。\n2. 延長服務時間。"
    )
    assert data["findings"][0]["recommendation"] == "增加服務據點"
    assert data["findings"][1]["dimension"] == "創新服務"


@pytest.mark.parametrize("suffix", FORMATS)
def test_over_maximum_and_negative_scores(shipped, suffix):
    sheet = small_sheet()
    sheet.dimensions[0].cells[1].score = 101
    sheet.dimensions[1].cells[0].score = -1
    result = check(sheet, suffix)
    errors = [(i.code, i.where) for i in result.errors]
    assert ("score-above-max", "服務品質／數位服務") in errors
    assert ("score-negative", "創新服務／便民服務") in errors


@pytest.mark.parametrize("suffix", FORMATS)
def test_missing_score_and_maxima_that_do_not_add_up(shipped, suffix):
    sheet = small_sheet(total_max=1000)
    sheet.dimensions[1].cells[1].score = ""
    sheet.dimensions[0].max = 320
    result = check(sheet, suffix)
    assert sorted(codes(result)) == [
        "max-mismatch",
        "max-mismatch",
        "score-missing",
        "subtotal-mismatch",
        "total-mismatch",
    ]


@pytest.mark.parametrize("suffix", FORMATS)
def test_wrong_stated_totals_are_warnings(shipped, suffix):
    sheet = small_sheet(stated_total=999)
    sheet.dimensions[1].stated = 170
    result = check(sheet, suffix)
    assert result.errors == []
    assert codes(result) == ["subtotal-mismatch", "total-mismatch"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_another_office_year_and_rubric_shape(shipped, suffix):
    sheet = small_sheet(
        office="澎湖區營業處",
        period="115 年度 1 月至 3 月",
        total_max=90,
        stated_total=None,
        findings=[
            ["1. 單一構面-乙", "無", "無", "無", "無", ""],
            ["9. 不存在-丙", "", "", "", "", ""],
        ],
        dimensions=[
            Dimension(
                "單一構面",
                90,
                [Cell("一、甲", 30, 30), Cell("二、乙", 30, 0), Cell("三、丙", 30, 29.5)],
            )
        ],
    )
    result = check(sheet, suffix)
    assert codes(result) == ["finding-unmatched"]
    data = result.as_dict()
    assert data["office"] == "澎湖區營業處"
    assert data["period"] == {"roc_year": 115, "start_month": 1, "end_month": 3}
    assert [i["score"] for i in data["dimensions"][0]["items"]] == [30, 0, 29.5]


@pytest.mark.parametrize("suffix", FORMATS)
def test_unknown_office(shipped, suffix):
    result = check(small_sheet(office="月球區營業處"), suffix)
    assert codes(result) == ["unknown-office"]
    assert check(small_sheet(office="月球區營業處"), suffix, office="苗栗").issues == []
