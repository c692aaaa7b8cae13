"""Plans come in too: their own tree from the document's table, in every format."""

import pytest

from servplan.imports.domain import check_file, import_file
from servplan.plans.models import OfficePlan
from servplan.programs.models import Program
from tests.imports.forms import WRITERS, plan_blocks


def check(suffix, **kwargs):
    return check_file(filename=f"plan{suffix}", data=WRITERS[suffix](plan_blocks(**kwargs)))


@pytest.mark.parametrize("suffix", list(WRITERS))
def test_plan_reads_its_tree_and_sections(shipped, suffix):
    result = check(suffix)
    data = result.as_dict()
    assert data["kind"] == "plan" and "id" not in data
    assert data["office"] == "新竹區營業處" and data["roc_year"] == 113
    assert data["approved_on"] == "2024-03-05" and data["status"] == "approved"
    assert data["basis"] == "依據本公司 113 年度提升服務效能執行計畫辦理。"
    assert data["targets"] == "本處各部門"
    assert data["steps"] == ["訂定本處執行計畫。", "本執行計畫公開於區營業處網頁。"]
    assert data["supplementary"] == "本計畫如有未盡事宜，得另行補充。"
    facets = data["facets"]
    assert [f["name"] for f in facets] == ["基礎服務", "服務遞送"]
    assert [s["name"] for s in facets[0]["strategies"]] == ["服務一致及正確性", "服務友善性"]
    measures = facets[0]["strategies"][0]["measures"]
    assert [m["name"] for m in measures] == ["訂定標準作業流程", "提升服務及時性"]
    assert measures[0]["practices"] == [
        {
            "number": None,
            "text": "訂定申辦業務標準作業流程，並持續檢討。",
            "departments": ["業務組"],
            "period": "1~12 月",
        }
    ]
    assert [(p["number"], p["text"], p["departments"]) for p in measures[1]["practices"]] == [
        (1, "提升申辦案件的處理效率。", ["業務組", "人資組"]),
        (2, "主動告知用戶處理情形。", ["業務組", "人資組"]),
    ]
    assert facets[1]["strategies"][0]["measures"][0]["practices"][1]["departments"] == [
        "業務組",
        "電務組",
    ]
    [issue] = data["issues"]
    assert issue["code"] == "practice-incomplete" and issue["severity"] == "warning"
    assert "基礎服務／服務友善性／提升服務設施合宜度(1)" in issue["message"]
    assert "執行期間" in issue["message"]


def test_import_plan_builds_its_own_tree_once(shipped):
    data = WRITERS[".docx"](plan_blocks(year=112))
    entry, created, _ = import_file(filename="plan.docx", data=data)
    assert created
    plan = OfficePlan.objects.get(pk=entry.plan_id)
    assert plan.program.roc_year == 112  # the shipped program of the year
    assert plan.outline_id != plan.program.outline_id
    assert [f.name for f in plan.outline.facets.all()] == ["基礎服務", "服務遞送"]
    again, created, _ = import_file(filename="copy.docx", data=data)
    assert (again.pk, created) == (entry.pk, False)
    assert OfficePlan.objects.count() == 1


def test_import_plan_of_a_year_without_a_program(shipped):
    entry, _, _ = import_file(filename="plan.xlsx", data=WRITERS[".xlsx"](plan_blocks(year=115)))
    program = Program.objects.get(roc_year=115)
    assert [f.name for f in program.outline.facets.all()] == ["基礎服務", "服務遞送"]
    assert OfficePlan.objects.get(pk=entry.plan_id).program == program


def test_plan_with_unknown_office_is_refused(shipped):
    from servplan.imports.domain import ImportRefused

    with pytest.raises(ImportRefused) as refused:
        import_file(filename="p.odt", data=WRITERS[".odt"](plan_blocks(office="火星區營業處")))
    assert [i.code for i in refused.value.result.errors] == ["unknown-office"]
    assert OfficePlan.objects.count() == 0
