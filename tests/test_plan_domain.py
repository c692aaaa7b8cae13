"""plans/domain.py: starting a plan and editing its draft."""

import pytest
from django.utils import timezone

from servplan.assessments.domain.errors import Conflict, NotAllowed
from servplan.audit.models import AuditEntry
from servplan.core.errors import DomainError
from servplan.core.roc import to_roc_year
from servplan.offices.models import Office, Role
from servplan.plans import domain
from servplan.plans.models import OfficePlan, PlanStatus
from servplan.plans.serializers import strategy_version
from servplan.programs.models import Practice, Program

pytestmark = pytest.mark.django_db


def practices_of(plan):
    return list(
        Practice.objects.filter(measure__strategy__facet__outline=plan.outline).order_by(
            "measure__strategy__facet__position",
            "measure__strategy__position",
            "measure__position",
            "position",
        )
    )


def departments_of(practice):
    return [link.department.name for link in practice.department_links.order_by("position")]


def audited(obj, field):
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=obj.pk, field=field
    )


@pytest.fixture
def miaoli(shipped):
    return Office.objects.get(name="苗栗區營業處")


@pytest.fixture
def plan(make):
    return make.plan(practices=3)


@pytest.fixture
def clerk(make, plan):
    return make.user(office=plan.office)


# ---- starting -----------------------------------------------------------------------------


def test_start_from_program_copies_hqs_tree_with_links_to_its_items(miaoli, make):
    clerk = make.user(office=miaoli)
    plan = domain.start_plan(office=miaoli, roc_year=112, user=clerk)
    program = Program.objects.get(roc_year=112)
    assert plan.status == PlanStatus.DRAFT and plan.approved_on is None
    assert plan.title == "苗栗區營業處112年度提升服務效能執行計畫"
    assert plan.roc_year == 112 and plan.program == program
    assert plan.basis == (
        "依據本公司112年2月18日電業字第1120005173號函頒之「112年度提升服務效能執行計畫」辦理。"
    )
    assert plan.outline_id != program.outline_id
    copied, hq = practices_of(plan), practices_of(program)
    assert len(copied) == len(hq) > 50
    assert [p.origin_id for p in copied] == [p.id for p in hq]
    assert [p.text for p in copied] == [p.text for p in hq]
    assert [departments_of(p) for p in copied] == [departments_of(p) for p in hq]
    strategy = copied[0].measure.strategy
    assert strategy.origin == hq[0].measure.strategy
    assert audited(plan, "created").get().user == clerk


def test_the_copy_is_the_offices_own(miaoli):
    plan = domain.start_plan(office=miaoli, roc_year=112)
    first = practices_of(plan)[0]
    domain.update_practice(practice=first, user=None, text="本處自訂的寫法", expected_version=1)
    assert practices_of(Program.objects.get(roc_year=112))[0].text.startswith("訂定申辦業務")


def test_before_hq_issues_the_years_program_the_latest_earlier_one_is_used(miaoli):
    plan = domain.start_plan(office=miaoli, roc_year=113)
    assert plan.roc_year == 113 and plan.program.roc_year == 112
    assert plan.title == "苗栗區營業處113年度提升服務效能執行計畫"


def test_start_from_last_year_copies_the_offices_plan(sample, make):
    miaoli = Office.objects.get(name="苗栗區營業處")
    last = OfficePlan.objects.get(office=miaoli, roc_year=112)
    assert last.approved_on is not None
    # Last year's own practice, target and 不適用 mark come along; HQ's links stay HQ's.
    OfficePlan.objects.filter(pk=last.pk).update(status=PlanStatus.DRAFT)
    hq_item, other = practices_of(last)[:2]
    own = domain.add_practice(
        plan=last,
        measure=hq_item.measure,
        user=None,
        text="本處自辦的作法",
        departments=["業務組"],
        period="每季",
    )
    domain.update_practice(practice=other, user=None, target="每月 1 次", expected_version=1)
    domain.mark_not_applicable(
        practice=hq_item, user=None, reason="本處無此業務", expected_version=1
    )
    OfficePlan.objects.filter(pk=last.pk).update(status=PlanStatus.APPROVED)

    plan = domain.start_plan(
        office=miaoli, roc_year=113, start_from="last-year", user=make.user(office=miaoli)
    )
    assert plan.status == PlanStatus.DRAFT and plan.approved_on is None
    assert plan.title == "苗栗區營業處113年度提升服務效能執行計畫"
    for name in domain.SECTIONS:
        assert getattr(plan, name) == getattr(last, name)
    before, after = practices_of(last), practices_of(plan)
    assert [(p.text, p.period, p.target, p.origin_id) for p in after] == [
        (p.text, p.period, p.target, p.origin_id) for p in before
    ]
    assert [departments_of(p) for p in after] == [departments_of(p) for p in before]
    copied_own = next(p for p in after if p.text == own.text)
    assert copied_own.origin_id is None and not copied_own.from_hq
    assert after[0].not_applicable and after[0].not_applicable_reason == "本處無此業務"
    assert all(p.version == 1 for p in after)


def test_an_office_has_one_plan_a_year(miaoli):
    domain.start_plan(office=miaoli, roc_year=113)
    with pytest.raises(DomainError) as err:
        domain.start_plan(office=miaoli, roc_year=113)
    assert err.value.where == "roc_year" and "已有 113 年度執行計畫" in err.value.message


def test_no_program_no_plan(make):
    office = make.office()
    with pytest.raises(DomainError) as err:
        domain.start_plan(office=office, roc_year=113)
    assert err.value.where == "roc_year" and "總處執行計畫" in err.value.message
    make.program(roc_year=114)
    with pytest.raises(DomainError) as err:
        domain.start_plan(office=office, roc_year=113)  # only a later program exists
    assert err.value.where == "roc_year"


def test_last_years_plan_must_exist(miaoli):
    with pytest.raises(DomainError) as err:
        domain.start_plan(office=miaoli, roc_year=113, start_from="last-year")
    assert err.value.where == "start_from" and "112 年度執行計畫" in err.value.message
    assert not OfficePlan.objects.filter(office=miaoli).exists()


@pytest.mark.parametrize("year", [99, "abc", "", None, "next_year_plus_one"])
def test_year_out_of_range_or_not_a_number(miaoli, year):
    if year == "next_year_plus_one":
        year = to_roc_year(timezone.localdate().year) + 2
    with pytest.raises(DomainError) as err:
        domain.start_plan(office=miaoli, roc_year=year)
    assert err.value.where == "roc_year" and "年度" in err.value.message


def test_next_years_plan_may_be_started(miaoli):
    year = to_roc_year(timezone.localdate().year) + 1
    assert domain.start_plan(office=miaoli, roc_year=str(year)).roc_year == year


def test_unknown_start_from(miaoli):
    with pytest.raises(DomainError) as err:
        domain.start_plan(office=miaoli, roc_year=113, start_from="template")
    assert err.value.where == "start_from"


@pytest.mark.parametrize("who", ["chief", "other_clerk", "hq"])
def test_only_the_offices_clerk_starts_its_plan(miaoli, make, who):
    user = {
        "chief": lambda: make.user(office=miaoli, role=Role.SECTION_CHIEF),
        "other_clerk": lambda: make.user(office=make.office()),
        "hq": lambda: make.user(role=Role.HQ_REVIEWER),
    }[who]()
    with pytest.raises(NotAllowed):
        domain.start_plan(office=miaoli, roc_year=113, user=user)
    assert not OfficePlan.objects.filter(office=miaoli).exists()
    assert not AuditEntry.objects.exists()


def test_an_admin_may_start_one(miaoli, make):
    plan = domain.start_plan(office=miaoli, roc_year=113, user=make.user(role=Role.ADMIN))
    assert plan.office == miaoli


# ---- editing practices --------------------------------------------------------------------


def test_update_practice_changes_each_field_once_and_audits_it(plan, clerk):
    p = practices_of(plan)[0]
    updated = domain.update_practice(
        practice=p,
        user=clerk,
        text="  新的寫法\r\n第二行  ",
        departments=["人資組", "業務組"],
        period="  6 月、12  月 ",
        target="辦理 2 場",
        expected_version=1,
    )
    p.refresh_from_db()
    assert (p.text, p.period, p.target, p.version) == (
        "新的寫法\n第二行",
        "6 月、12 月",
        "辦理 2 場",
        2,
    )
    assert updated.version == 2
    assert departments_of(p) == ["人資組", "業務組"]
    assert audited(p, "departments").get().old == "業務組"
    assert audited(p, "departments").get().new == "人資組、業務組"
    assert {
        e.field for e in AuditEntry.objects.filter(object_id=p.pk, object_type="programs.practice")
    } == {
        "text",
        "period",
        "target",
        "departments",
    }
    assert audited(p, "text").get().user == clerk


def test_an_unchanged_save_keeps_the_version(plan, clerk):
    p = practices_of(plan)[0]
    domain.update_practice(
        practice=p, user=clerk, text=p.text, departments=["業務組"], expected_version=1
    )
    p.refresh_from_db()
    assert p.version == 1 and not audited(p, "text").exists()


def test_a_stale_version_is_refused_with_the_newer_values(plan, clerk):
    p = practices_of(plan)[0]
    domain.update_practice(practice=p, user=clerk, period="每季", expected_version=1)
    with pytest.raises(Conflict) as err:
        domain.update_practice(practice=p, user=clerk, period="每年 1 次", expected_version=1)
    assert err.value.current["period"] == "每季" and err.value.current["version"] == 2
    assert err.value.current["departments"] == ["業務組"]
    assert "第 2 版" in err.value.message
    p.refresh_from_db()
    assert p.period == "每季"


@pytest.mark.parametrize(
    ("fields", "where", "words"),
    [
        ({"text": "   "}, "text", "具體作法不可空白"),
        ({"text": "作" * (domain.TEXT_MAX + 1)}, "text", "過長"),
        ({"period": "1~12 月" * 10}, "period", "執行期間過長"),
        ({"target": "目" * (domain.TARGET_MAX + 1)}, "target", "預期目標過長"),
        ({"departments": ["秘書室"]}, "departments", "沒有「秘書室」"),
        ({"departments": ["業務組", "業務組"]}, "departments", "重複"),
    ],
)
def test_bad_values_are_refused_naming_the_field(plan, clerk, fields, where, words):
    p = practices_of(plan)[0]
    with pytest.raises(DomainError) as err:
        domain.update_practice(practice=p, user=clerk, expected_version=1, **fields)
    assert err.value.where == where and words in err.value.message
    assert "策略1／子策略1（1）" in err.value.message
    p.refresh_from_db()
    assert p.version == 1 and departments_of(p) == ["業務組"]
    assert not AuditEntry.objects.filter(object_type="programs.practice").exists()


def test_every_department_is_a_choice_for_every_office(plan, clerk, make):
    from servplan.offices.models import Department

    Department.objects.create(name="各部門")
    p = practices_of(plan)[0]
    domain.update_practice(practice=p, user=clerk, departments=["各部門"], expected_version=1)
    assert departments_of(p) == ["各部門"]


def test_other_offices_departments_are_not_choices(plan, clerk, make):
    from servplan.offices.models import Department

    other = make.office()
    other.departments.add(Department.objects.create(name="鄰處專屬組"))
    with pytest.raises(DomainError) as err:
        domain.update_practice(
            practice=practices_of(plan)[0],
            user=clerk,
            departments=["鄰處專屬組"],
            expected_version=1,
        )
    assert err.value.where == "departments"


def edits(plan):
    """Each editing function, as a call on the plan's first practice (or its sections)."""
    first, second = practices_of(plan)[:2]
    return {
        "update": lambda u: domain.update_practice(
            practice=first, user=u, text="改", expected_version=1
        ),
        "add": lambda u: domain.add_practice(
            plan=plan, measure=first.measure, user=u, text="新增的作法"
        ),
        "mark": lambda u: domain.mark_not_applicable(
            practice=first, user=u, reason="無此業務", expected_version=1
        ),
        "move": lambda u: domain.move_practice(practice=second, user=u, direction="up"),
        "sections": lambda u: domain.update_plan_sections(
            plan=plan, user=u, goals="目標", expected_version=1
        ),
    }


@pytest.mark.parametrize("action", ["update", "add", "mark", "move", "sections"])
@pytest.mark.parametrize("who", ["chief", "other_clerk", "hq"])
def test_only_the_offices_clerk_edits(plan, make, action, who):
    user = {
        "chief": lambda: make.user(office=plan.office, role=Role.MANAGER),
        "other_clerk": lambda: make.user(office=make.office()),
        "hq": lambda: make.user(role=Role.HQ_REVIEWER),
    }[who]()
    with pytest.raises(NotAllowed):
        edits(plan)[action](user)
    assert not AuditEntry.objects.exclude(field="created").exists()


@pytest.mark.parametrize("action", ["update", "add", "mark", "move", "sections"])
def test_the_clerk_and_an_admin_edit_the_draft(plan, clerk, make, action):
    edits(plan)[action](clerk)
    assert AuditEntry.objects.exclude(field="created").filter(user=clerk).exists()
    admin = make.user(role=Role.ADMIN)
    other = make.plan(roc_year=113)
    edits(other)[action](admin)
    assert AuditEntry.objects.exclude(field="created").filter(user=admin).exists()


@pytest.mark.parametrize(
    "status", [PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.PUBLISHED]
)
@pytest.mark.parametrize("action", ["update", "add", "mark", "move", "sections"])
def test_only_a_draft_changes(plan, clerk, action, status):
    OfficePlan.objects.filter(pk=plan.pk).update(status=status)
    with pytest.raises(Conflict) as err:
        edits(plan)[action](clerk)
    assert "不可修改" in err.value.message
    assert not AuditEntry.objects.exclude(field="created").exists()


def test_add_practice_appends_the_offices_own(plan, clerk):
    measure = practices_of(plan)[0].measure
    added = domain.add_practice(
        plan=plan,
        measure=measure,
        user=clerk,
        text=" 辦理用戶座談會 ",
        departments=["總務組", "業務組"],
        period="每季",
        target="每季 1 場",
    )
    assert added.number == 4 and added.text == "辦理用戶座談會" and not added.from_hq
    assert departments_of(added) == ["總務組", "業務組"]
    assert practices_of(plan)[-1] == added and added.version == 1
    assert audited(added, "added").get().new == "辦理用戶座談會"


def test_a_lone_practice_gets_numbered_when_another_joins(make):
    plan = make.plan(practices=1)
    [only] = practices_of(plan)
    Practice.objects.filter(pk=only.pk).update(number=None)
    domain.add_practice(plan=plan, measure=only.measure, user=None, text="第二個作法")
    assert [p.number for p in practices_of(plan)] == [1, 2]


def test_add_practice_refuses_a_measure_of_another_plan(plan, clerk, make):
    other = make.plan(roc_year=113)
    with pytest.raises(DomainError) as err:
        domain.add_practice(
            plan=plan, measure=practices_of(other)[0].measure, user=clerk, text="作法"
        )
    assert err.value.where == "measure"
    assert len(practices_of(other)) == 2


def test_add_practice_needs_text(plan, clerk):
    with pytest.raises(DomainError) as err:
        domain.add_practice(plan=plan, measure=practices_of(plan)[0].measure, user=clerk, text="")
    assert err.value.where == "text"


def test_remove_the_offices_own_practice(plan, clerk):
    first = practices_of(plan)[0]
    own = domain.add_practice(plan=plan, measure=first.measure, user=clerk, text="自辦作法")
    Practice.objects.filter(pk=own.pk).update(position=0)  # first in the list
    domain.remove_practice(practice=own, user=clerk)
    assert not Practice.objects.filter(pk=own.pk).exists()
    assert [p.number for p in practices_of(plan)] == [1, 2, 3]
    entry = AuditEntry.objects.get(
        object_type="programs.practice", object_id=own.pk, field="removed"
    )
    assert entry.old == "自辦作法" and entry.user == clerk


def test_hqs_practices_cannot_be_removed(plan, clerk):
    first = practices_of(plan)[0]
    with pytest.raises(DomainError) as err:
        domain.remove_practice(practice=first, user=clerk)
    assert err.value.where == "practice" and "不適用" in err.value.message
    assert Practice.objects.filter(pk=first.pk).exists()


def test_remove_by_others_is_refused(plan, make):
    own = domain.add_practice(
        plan=plan, measure=practices_of(plan)[0].measure, user=None, text="自辦作法"
    )
    with pytest.raises(NotAllowed):
        domain.remove_practice(practice=own, user=make.user(office=plan.office, role=Role.DIRECTOR))
    OfficePlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    with pytest.raises(Conflict):
        domain.remove_practice(practice=own, user=None)
    assert Practice.objects.filter(pk=own.pk).exists()


def test_not_applicable_needs_a_reason_and_can_be_undone(plan, clerk):
    first = practices_of(plan)[0]
    with pytest.raises(DomainError) as err:
        domain.mark_not_applicable(practice=first, user=clerk, reason="  ", expected_version=1)
    assert err.value.where == "reason"
    marked = domain.mark_not_applicable(
        practice=first, user=clerk, reason="本處轄區無此類用戶", expected_version=1
    )
    assert marked.not_applicable and marked.version == 2
    assert audited(first, "not_applicable_reason").get().new == "本處轄區無此類用戶"
    with pytest.raises(Conflict):
        domain.mark_applicable(practice=first, user=clerk, expected_version=1)
    again = domain.mark_applicable(practice=first, user=clerk, expected_version=2)
    assert not again.not_applicable and again.not_applicable_reason == "" and again.version == 3


def test_the_offices_own_practice_is_removed_not_marked(plan, clerk):
    own = domain.add_practice(
        plan=plan, measure=practices_of(plan)[0].measure, user=clerk, text="自辦作法"
    )
    with pytest.raises(DomainError) as err:
        domain.mark_not_applicable(practice=own, user=clerk, reason="不辦了", expected_version=1)
    assert err.value.where == "practice" and "直接刪除" in err.value.message


def test_move_practice_swaps_with_its_neighbour_and_numbers_follow(plan, clerk):
    first, second, third = practices_of(plan)
    domain.move_practice(practice=third, user=clerk, direction="up")
    assert [p.text for p in practices_of(plan)] == [first.text, third.text, second.text]
    assert [p.number for p in practices_of(plan)] == [1, 2, 3]
    domain.move_practice(practice=first, user=clerk, direction="down")
    assert [p.text for p in practices_of(plan)] == [third.text, first.text, second.text]
    assert audited(first, "position").get().new == "2"


@pytest.mark.parametrize(("index", "direction"), [(0, "up"), (2, "down"), (1, "left")])
def test_move_refusals(plan, clerk, index, direction):
    with pytest.raises(DomainError) as err:
        domain.move_practice(practice=practices_of(plan)[index], user=clerk, direction=direction)
    assert err.value.where == "direction"


def test_update_plan_sections(plan, clerk):
    domain.update_plan_sections(
        plan=plan,
        user=clerk,
        goals=" 提升服務效能 ",
        targets="本處各部門",
        steps=["  訂定計畫 ", "", "公開於網頁"],
        expected_version=1,
    )
    plan.refresh_from_db()
    assert (plan.goals, plan.targets, plan.step_list, plan.version) == (
        "提升服務效能",
        "本處各部門",
        ["訂定計畫", "公開於網頁"],
        2,
    )
    assert {e.field for e in AuditEntry.objects.filter(object_type="plans.officeplan")} == {
        "created",
        "goals",
        "targets",
        "steps",
    }
    with pytest.raises(Conflict) as err:
        domain.update_plan_sections(plan=plan, user=clerk, goals="舊頁面", expected_version=1)
    assert err.value.current["goals"] == "提升服務效能" and err.value.current["version"] == 2
    with pytest.raises(DomainError) as err:
        domain.update_plan_sections(
            plan=plan, user=clerk, basis="依" * (domain.SECTION_MAX + 1), expected_version=2
        )
    assert err.value.where == "basis"


def test_an_unchanged_department_list_is_not_checked_again(plan, clerk):
    """A department the office no longer lists stays on a practice until the list changes."""
    from servplan.offices.models import Department

    p = practices_of(plan)[0]
    plan.office.departments.remove(Department.objects.get(name="業務組"))
    domain.update_practice(
        practice=p, user=clerk, text="改寫", departments=["業務組"], expected_version=1
    )
    p.refresh_from_db()
    assert p.text == "改寫" and departments_of(p) == ["業務組"]
    with pytest.raises(DomainError) as err:
        domain.update_practice(
            practice=p, user=clerk, departments=["業務組", "人資組"], expected_version=2
        )
    assert err.value.where == "departments" and "沒有「業務組」" in err.value.message


def test_department_choices_are_the_offices_then_every_department(plan, make):
    from servplan.offices.models import Department

    # in the offices file's order (positions), 「各部門」 last whatever its position
    for position, name in enumerate(["業務組", "人資組", "總務組"], start=1):
        Department.objects.filter(name=name).update(position=position)
    Department.objects.create(name="各部門", position=0)
    make.office().departments.add(Department.objects.create(name="鄰處專屬組"))
    assert [d.name for d in domain.department_choices(plan.office)] == [
        "業務組",
        "人資組",
        "總務組",
        "各部門",
    ]


# ---- the office's own strategies ----------------------------------------------------------


@pytest.fixture
def facet(plan):
    return plan.outline.facets.get()


def test_add_strategy_appends_an_offices_strategy_with_a_place_for_practices(plan, clerk, facet):
    added = domain.add_strategy(plan=plan, facet=facet, user=clerk, name="  在地 關懷\x00 ")
    assert added.name == "在地 關懷" and added.origin_id is None
    assert list(facet.strategies.order_by("position"))[-1] == added
    (measure,) = added.measures.all()
    assert measure.name == "" and measure.position == 1
    practice = domain.add_practice(plan=plan, measure=measure, user=clerk, text="關懷獨居長者")
    assert practice.number is None and not practice.from_hq
    assert audited(added, "added").get().user == clerk
    assert strategy_version(added) == 1


def test_add_strategy_refusals(plan, clerk, facet, make):
    with pytest.raises(DomainError) as err:
        domain.add_strategy(plan=plan, facet=facet, user=clerk, name=" ")
    assert err.value.where == "name"
    with pytest.raises(DomainError) as err:
        domain.add_strategy(plan=plan, facet=facet, user=clerk, name="策" * 101)
    assert err.value.where == "name" and "過長" in err.value.message
    other = make.plan(roc_year=113)
    with pytest.raises(DomainError) as err:
        domain.add_strategy(plan=plan, facet=other.outline.facets.get(), user=clerk, name="策略")
    assert err.value.where == "facet"
    assert facet.strategies.count() == 1


def test_rename_strategy_raises_its_version_and_refuses_a_stale_one(plan, clerk, facet):
    own = domain.add_strategy(plan=plan, facet=facet, user=clerk, name="在地關懷")
    renamed = domain.rename_strategy(
        strategy=own, user=clerk, name="在地關懷服務", expected_version=1
    )
    assert renamed.name == "在地關懷服務" and strategy_version(renamed) == 2
    entry = audited(own, "name").get()
    assert (entry.old, entry.new, entry.user) == ("在地關懷", "在地關懷服務", clerk)
    with pytest.raises(Conflict) as err:
        domain.rename_strategy(strategy=own, user=clerk, name="舊頁面", expected_version=1)
    assert err.value.current == {
        "id": own.pk,
        "name": "在地關懷服務",
        "from_hq": False,
        "version": 2,
    }
    # the same name again changes nothing
    domain.rename_strategy(strategy=own, user=clerk, name="在地關懷服務", expected_version=2)
    assert strategy_version(own) == 2


def test_hqs_strategies_keep_their_name_and_place(plan, clerk, facet):
    hq = facet.strategies.get()
    with pytest.raises(DomainError) as err:
        domain.rename_strategy(strategy=hq, user=clerk, name="改名", expected_version=1)
    assert err.value.where == "strategy" and "不可更名" in err.value.message
    with pytest.raises(DomainError) as err:
        domain.remove_strategy(strategy=hq, user=clerk)
    assert err.value.where == "strategy" and "不適用" in err.value.message
    assert facet.strategies.get() == hq
    assert not AuditEntry.objects.exclude(field="created").exists()


def test_remove_strategy_takes_its_practices_and_records_them(plan, clerk, facet):
    own = domain.add_strategy(plan=plan, facet=facet, user=clerk, name="在地關懷")
    practice = domain.add_practice(
        plan=plan, measure=own.measures.get(), user=clerk, text="關懷獨居長者"
    )
    domain.remove_strategy(strategy=own, user=clerk)
    assert not type(own).objects.filter(pk=own.pk).exists()
    assert not Practice.objects.filter(pk=practice.pk).exists()
    assert audited(own, "removed").get().old == "在地關懷"
    assert audited(practice, "removed").get().old == "關懷獨居長者"
    assert len(practices_of(plan)) == 3


def strategy_edits(plan):
    facet = plan.outline.facets.get()
    own = domain.add_strategy(plan=plan, facet=facet, user=None, name="自訂策略")
    return {
        "add": lambda u: domain.add_strategy(plan=plan, facet=facet, user=u, name="新策略"),
        "rename": lambda u: domain.rename_strategy(
            strategy=own, user=u, name="新名", expected_version=1
        ),
        "remove": lambda u: domain.remove_strategy(strategy=own, user=u),
    }


@pytest.mark.parametrize("action", ["add", "rename", "remove"])
@pytest.mark.parametrize("who", ["chief", "other_clerk", "hq"])
def test_only_the_offices_clerk_changes_strategies(plan, make, action, who):
    calls = strategy_edits(plan)
    user = {
        "chief": lambda: make.user(office=plan.office, role=Role.SECTION_CHIEF),
        "other_clerk": lambda: make.user(office=make.office()),
        "hq": lambda: make.user(role=Role.HQ_REVIEWER),
    }[who]()
    before = AuditEntry.objects.count()
    with pytest.raises(NotAllowed):
        calls[action](user)
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("action", ["add", "rename", "remove"])
def test_strategies_change_only_in_a_draft(plan, clerk, action):
    calls = strategy_edits(plan)
    OfficePlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    before = AuditEntry.objects.count()
    with pytest.raises(Conflict) as err:
        calls[action](clerk)
    assert "不可修改" in err.value.message and AuditEntry.objects.count() == before


def test_last_years_own_strategy_stays_the_offices_own(plan, clerk, facet):
    own = domain.add_strategy(plan=plan, facet=facet, user=clerk, name="在地關懷")
    domain.add_practice(plan=plan, measure=own.measures.get(), user=clerk, text="關懷長者")
    next_year = domain.start_plan(office=plan.office, roc_year=115, start_from="last-year")
    copied = next_year.outline.facets.get().strategies.get(name="在地關懷")
    assert copied.origin_id is None
    domain.rename_strategy(strategy=copied, user=clerk, name="在地關懷服務", expected_version=1)


def test_a_period_is_cleaned_like_every_text(plan, clerk):
    """PostgreSQL refuses NUL: a period typed with control characters is stored without them."""
    p = practices_of(plan)[0]
    domain.update_practice(practice=p, user=clerk, period="每\x00季\x0b", expected_version=1)
    added = domain.add_practice(
        plan=plan, measure=p.measure, user=clerk, text="作法", period="6 月\x00、12 月"
    )
    p.refresh_from_db()
    assert (p.period, added.period) == ("每季", "6 月、12 月")
