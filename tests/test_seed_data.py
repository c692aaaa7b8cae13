"""The two seeds, as `servplan init --sample` loads them."""

from decimal import Decimal

from servplan.assessments.sheet import assessment_to_dict, build_sheet, sheet_queryset
from servplan.offices.chains import chain_for
from servplan.offices.models import Form, Office, Role
from servplan.plans.models import OfficePlan
from servplan.plans.serializers import plan_to_dict, plans_for_export
from servplan.programs.models import Practice, Program, Rubric


def test_the_114_rubric_has_the_seeds_maxima(shipped):
    rubric = Rubric.objects.get(roc_year=114)
    assert rubric.total_max == 1000
    dims = {d.name: d.max_score for d in rubric.dimensions.all()}
    assert dims == {"創新性": 300, "效益及影響": 400, "可持續性": 150, "擴散應用": 150}
    assert [i.name for i in rubric.items.all()] == [
        "提供在地化及客製化關懷服務",
        "法規及流程簡化",
        "公私協力",
    ]


def test_taitung_totals_are_the_seeds(taitung):
    sheet = build_sheet(sheet_queryset().get(pk=taitung.pk))
    assert [d.score for d in sheet.dimensions] == [285, 381, 136, 137]
    assert sheet.score == 939
    assert [c.score for d in sheet.dimensions for c in d.cells] == [
        95,
        94,
        96,
        132,
        124,
        125,
        45,
        47,
        44,
        46,
        45,
        46,
    ]


def test_taitung_json_shape(taitung):
    data = assessment_to_dict(sheet_queryset().get(pk=taitung.pk))
    assert data["kind"] == "assessment" and data["office"] == "台東區營業處"
    assert data["period"] == {"roc_year": 114, "start_month": 1, "end_month": 6}
    assert data["status"] == "draft"
    assert data["total"] == {"max": 1000, "score": 939}
    first = data["dimensions"][0]
    assert (first["name"], first["max"], first["score"]) == ("創新性", 300, 285)
    item = first["items"][0]
    assert (item["name"], item["max"], item["score"]) == ("提供在地化及客製化關懷服務", 100, 95)
    assert item["narrative"].startswith("1. 落實本公司「企業用戶專人服務實施要點」")
    assert "- (1)開放多元管道" in item["narrative"]
    assert len(data["findings"]) == 12


def test_narratives_keep_the_seeds_typos_and_copies(taitung):
    cells = {
        (c.cell.dimension.name, c.cell.item.name): c.narrative
        for c in taitung.cells.select_related("cell__dimension", "cell__item")
    }
    assert "嫓熟" in cells[("可持續性", "法規及流程簡化")]
    assert "嫻熟" in cells[("可持續性", "提供在地化及客製化關懷服務")]
    shared = "善用資訊系統，針對政府已有或公權力可調閱的資訊"
    assert shared in cells[("可持續性", "提供在地化及客製化關懷服務")]
    assert shared in cells[("可持續性", "法規及流程簡化")]
    assert all("<" not in text for text in cells.values())


def test_findings_and_follow_up_share_one_improvement_with_history(taitung):
    data = assessment_to_dict(sheet_queryset().get(pk=taitung.pk))
    first = data["findings"][0]
    assert first["strengths"] == "櫃台人員不分業務，提供一站式服務。"
    assert first["weaknesses"] == ""  # 「無」 on paper
    # The follow-up table reworded the summary's recommendation: the current text is the
    # later one, and the follow-ups keep both.
    assert first["recommendation"].startswith("因應補充人力、人員調動頻繁")
    assert first["improvement"].startswith("由先進同仁帶領強化循序各項業務訓練")
    improvement = taitung.findings.get(
        cell__dimension__name="創新性", cell__item__name="提供在地化及客製化關懷服務"
    ).improvement
    entries = list(improvement.follow_ups.all())
    assert [e.progress for e in entries] == [
        "補充人力後由資深同仁帶領強化訓練。",
        "由先進同仁帶領強化循序各項業務訓練，因時制宜調整工作內容、強化訓練，以期達到人員的多元領域。",
    ]
    assert entries[1].recommendation.startswith("因應補充人力")
    assert taitung.opened_improvements.count() == 4  # rows 1, 4, 7 and 11 recommend something
    same = [f for f in data["findings"] if f["recommendation"]]
    assert [f["item"] for f in same[1:]] == [
        "提供在地化及客製化關懷服務",
        "提供在地化及客製化關懷服務",
        "法規及流程簡化",
    ]


def test_each_form_keeps_its_own_signature_blocks(taitung):
    office = Office.objects.get(name="台東區營業處")
    assert chain_for(office, Form.SUMMARY) == [
        Role.CLERK,
        Role.MANAGER,
        Role.DEPUTY_DIRECTOR,
        Role.DIRECTOR,
    ]
    assert chain_for(office, Form.FOLLOW_UP) == [
        Role.CLERK,
        Role.SECTION_CHIEF,
        Role.MANAGER,
        Role.DEPUTY_DIRECTOR,
        Role.DIRECTOR,
    ]
    # The approval workflow keeps the default five steps.
    assert chain_for(office, Form.APPROVAL)[1] == Role.SECTION_CHIEF


def test_the_112_program_tree(shipped):
    program = Program.objects.get(roc_year=112)
    assert program.letter_number == "電業字第1120005173號"
    assert program.issued_on.isoformat() == "2023-02-18"
    facets = list(program.outline.facets.all())
    assert [f.name for f in facets] == ["基礎服務", "服務遞送", "服務量能", "服務評價", "開放創新"]
    assert [f.strategies.count() for f in facets] == [2, 3, 2, 2, 2]


def test_the_miaoli_plan_is_complete(sample):
    plan = plans_for_export().get(office__name="苗栗區營業處")
    data = plan_to_dict(plan)
    assert (
        data["kind"] == "plan" and data["roc_year"] == 112 and data["approved_on"] == "2023-03-21"
    )
    assert len(data["facets"]) == 5
    assert sum(len(f["strategies"]) for f in data["facets"]) == 11
    practices = [
        p
        for f in data["facets"]
        for s in f["strategies"]
        for m in s["measures"]
        for p in m["practices"]
    ]
    assert len(practices) == 94
    assert all(p["departments"] and p["period"] for p in practices)
    # 甲乙丙 stay inside their parent practice.
    payment = next(p for p in practices if "多元化的繳費措施" in p["text"])
    assert "甲、" in payment["text"] and "丙、" in payment["text"]
    assert not any(p["text"].startswith(("甲、", "乙、", "丙、")) for p in practices)
    # Departments keep the form's order, not an alphabetical one.
    web = next(
        m
        for f in data["facets"]
        for s in f["strategies"]
        for m in s["measures"]
        if m["name"] == "提高網站使用便利性"
    )
    assert web["practices"][0]["departments"] == ["電務組", "業務組"]
    survey = next(
        m
        for f in data["facets"]
        for s in f["strategies"]
        for m in s["measures"]
        if m["name"] == "辦理服務滿意度調查"
    )
    assert survey["practices"][0]["period"] == "每年 1次"


def test_the_plan_owns_a_copy_of_the_program_tree(sample):
    plan = OfficePlan.objects.get(office__name="苗栗區營業處")
    assert plan.outline_id != plan.program.outline_id
    assert Practice.objects.filter(measure__strategy__facet__outline=plan.outline).count() == 94
    assert (
        Practice.objects.filter(measure__strategy__facet__outline=plan.program.outline).count()
        == 94
    )


def test_all_district_offices_are_shipped(shipped):
    assert Office.objects.count() >= 24
    assert Office.objects.filter(name="台東區營業處").exists()
    assert Office.objects.filter(name="苗栗區營業處").exists()
    assert Decimal(Office.objects.get(name="台東區營業處").departments.count()) >= 4
