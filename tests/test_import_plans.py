"""Plans come in too: their own tree from the document's table, in every format."""

import pytest
from django.db import transaction

from servplan.audit.models import AuditEntry
from servplan.core.data import data_path, read_yaml
from servplan.core.errors import DomainError
from servplan.documents.export import export_plan
from servplan.imports.domain import check_file, import_file
from servplan.plans import domain as plans_domain
from servplan.plans.checks import check_plan
from servplan.plans.compare import comparable
from servplan.plans.domain import load_plan
from servplan.plans.models import OfficePlan, PlanStatus
from servplan.plans.serializers import plans_for_export
from servplan.programs.models import Practice, Program, Strategy
from tests.imports.forms import WRITERS, plan_blocks


def check(suffix, **kwargs):
    return check_file(filename=f"plan{suffix}", data=WRITERS[suffix](plan_blocks(**kwargs)))


@pytest.mark.parametrize("suffix", list(WRITERS))
def test_plan_reads_its_tree_and_sections(shipped, suffix):
    result = check(suffix)
    data = result.as_dict()
    assert data["kind"] == "plan" and "id" not in data
    assert data["office"] == "新竹區營業處" and data["roc_year"] == 113
    # The date the document prints is reported; the import is a draft for the app's sign-off.
    assert data["approved_on"] == "2024-03-05" and data["status"] == "draft"
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


def test_import_plan_of_a_year_without_its_program_follows_the_latest_earlier(shipped):
    entry, _, _ = import_file(filename="plan.xlsx", data=WRITERS[".xlsx"](plan_blocks(year=115)))
    assert not Program.objects.filter(roc_year=115).exists()
    assert OfficePlan.objects.get(pk=entry.plan_id).program.roc_year == 114  # the shipped copy


def test_import_plan_of_a_year_before_any_program_makes_one(shipped):
    entry, _, _ = import_file(filename="plan.xlsx", data=WRITERS[".xlsx"](plan_blocks(year=111)))
    program = Program.objects.get(roc_year=111)
    assert [f.name for f in program.outline.facets.all()] == ["基礎服務", "服務遞送"]
    assert OfficePlan.objects.get(pk=entry.plan_id).program == program


def test_plan_with_unknown_office_is_refused(shipped):
    from servplan.imports.domain import ImportRefused

    with pytest.raises(ImportRefused) as refused:
        import_file(filename="p.odt", data=WRITERS[".odt"](plan_blocks(office="火星區營業處")))
    assert [i.code for i in refused.value.result.errors] == ["unknown-office"]
    assert OfficePlan.objects.count() == 0


# ---- an imported plan is a plan like any other --------------------------------------------


def tree_order(outline):
    return list(
        Practice.objects.filter(measure__strategy__facet__outline=outline)
        .select_related("origin")
        .order_by(
            "measure__strategy__facet__position",
            "measure__strategy__position",
            "measure__position",
            "position",
        )
    )


def seed_001(fmt: str) -> bytes:
    """Seed 001 (苗栗's 112 plan, data/samples) as the app prints it, with nothing stored."""
    with transaction.atomic():
        plan, _ = load_plan(data=read_yaml(data_path("samples") / "plan-miaoli-112.yaml"))
        content = export_plan(plans_for_export().get(pk=plan.pk), fmt=fmt).content
        transaction.set_rollback(True)
    assert not OfficePlan.objects.exists()
    return content


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_seed_001_imports_as_a_draft_linked_to_hqs_program(shipped, make, fmt):
    entry, _, _ = import_file(filename=f"苗栗112.{fmt}", data=seed_001(fmt))
    plan = OfficePlan.objects.get(pk=entry.plan_id)
    program = Program.objects.get(roc_year=112)
    assert (plan.status, plan.approved_on, plan.roc_year) == (PlanStatus.DRAFT, None, 112)
    assert plan.program == program and plan.version == 1
    practices, hq = tree_order(plan.outline), tree_order(program.outline)
    # Every practice is HQ's (the seed copies the program), linked to the item it repeats,
    # even where the PDF's typesetting moved a line break (compared without spacing).
    assert [p.origin_id for p in practices] == [p.pk for p in hq]
    assert all(p.version == 1 and p.from_hq for p in practices)
    strategies = Strategy.objects.filter(facet__outline=plan.outline).select_related("origin")
    assert all(s.origin and comparable(s.origin.name) == comparable(s.name) for s in strategies)
    assert set(plan.office.departments.values_list("name", flat=True)) >= {"業務組", "人資組"}
    [note] = AuditEntry.objects.filter(object_id=plan.pk, field="imported")
    assert "112 年 3 月 21 日陳准實施" in note.new  # what the document printed, kept on record

    # Then the plan is edited as any other: HQ's items stay HQ's.
    clerk = make.user(office=plan.office)
    first = practices[0]
    edited = plans_domain.update_practice(
        practice=first,
        user=clerk,
        text=first.text + "並每季檢討。",
        departments=["業務組", "總務組"],
        expected_version=1,
    )
    assert edited.version == 2 and edited.origin_id == hq[0].pk
    with pytest.raises(DomainError, match="不可刪除"):
        plans_domain.remove_practice(practice=practices[1], user=clerk)
    plans_domain.mark_not_applicable(
        practice=practices[1], user=clerk, reason="本處無此業務", expected_version=1
    )
    assert not [p for p in check_plan(plans_for_export().get(pk=plan.pk)) if p.level == "error"]


def test_practices_hq_does_not_have_stay_the_offices_own(shipped):
    entry, _, _ = import_file(filename="plan.docx", data=WRITERS[".docx"](plan_blocks(year=112)))
    plan = OfficePlan.objects.get(pk=entry.plan_id)
    assert plan.status == PlanStatus.DRAFT and plan.program.roc_year == 112
    # Reworded against HQ's text: the office's own; the strategy's name is HQ's.
    assert not any(p.origin_id for p in tree_order(plan.outline))
    strategy = Strategy.objects.filter(facet__outline=plan.outline).order_by("position").first()
    assert strategy.origin.name == "服務一致及正確性"
