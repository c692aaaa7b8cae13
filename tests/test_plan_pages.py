"""The plan pages: starting a plan, and the plan page as an editor (HTMX saves of the draft)."""

import pytest
from django.urls import reverse
from lxml import html

from servplan.audit.models import AuditEntry
from servplan.offices.models import Department, Role
from servplan.plans import domain
from servplan.plans.models import OfficePlan, PlanStatus
from servplan.programs.models import Practice, Strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(make):
    return make.plan(practices=3)


@pytest.fixture
def people(make, plan):
    """The plan's clerk, a same-office other role, another office's clerk, HQ."""
    return {
        "clerk": make.user(office=plan.office),
        "chief": make.user(office=plan.office, role=Role.SECTION_CHIEF),
        "outsider": make.user(office=make.office()),
        "hq": make.user(role=Role.HQ_REVIEWER),
    }


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


def post(client, route, *args, **data):
    return client.post(reverse(route, args=args), data, HTTP_HX_REQUEST="true")


def doc(response):
    return html.fromstring(response.content.decode())


def changes():
    return AuditEntry.objects.exclude(field="created").count()


# ---- starting a plan -----------------------------------------------------------------------


def test_the_clerk_starts_a_plan_from_hqs_program(plan, people, as_user, make):
    make.program(roc_year=115)
    client = as_user(people["clerk"])
    page = client.get(reverse("plan-new"))
    assert page.status_code == 200
    form = doc(page)
    assert form.xpath("//input[@name='roc_year']/@value") == ["115"]  # 114 has a plan already
    assert form.xpath("//input[@name='start_from'][@checked]/@value") == ["program"]
    assert "本處已有 114 年度的計畫" in page.text
    response = client.post(reverse("plan-new"), {"roc_year": "115", "start_from": "program"})
    new = OfficePlan.objects.get(office=plan.office, roc_year=115)
    assert response.status_code == 302 and response.url == reverse("plan-detail", args=[new.pk])
    assert new.program.roc_year == 115 and new.status == PlanStatus.DRAFT
    assert "已建立" in client.get(response.url).text


def test_the_clerk_starts_from_last_years_plan(plan, people, as_user):
    domain.update_plan_sections(plan=plan, user=None, goals="去年的目標", expected_version=1)
    client = as_user(people["clerk"])
    response = client.post(reverse("plan-new"), {"roc_year": "115", "start_from": "last-year"})
    assert response.status_code == 302
    new = OfficePlan.objects.get(office=plan.office, roc_year=115)
    assert new.goals == "去年的目標" and new.program == plan.program


@pytest.mark.parametrize(
    ("data", "where", "words"),
    [
        ({"roc_year": "abc"}, "roc_year", "不是整數"),
        ({"roc_year": "99"}, "roc_year", "不在可建立的範圍"),
        ({"roc_year": "114"}, "roc_year", "已有 114 年度執行計畫"),
        ({"roc_year": "116", "start_from": "last-year"}, "start_from", "沒有 115 年度執行計畫"),
        ({"roc_year": "115", "start_from": "template"}, "start_from", "起始方式"),
    ],
)
def test_a_refused_start_says_why_beside_the_field(plan, people, as_user, data, where, words):
    response = as_user(people["clerk"]).post(reverse("plan-new"), data)
    assert response.status_code == 400
    (message,) = doc(response).xpath(f"//*[@id='{where}-error']")
    assert words in message.text_content()
    assert OfficePlan.objects.filter(office=plan.office).count() == 1


@pytest.mark.parametrize("who", ["chief", "hq"])
def test_only_clerks_start_plans(plan, people, as_user, who):
    client = as_user(people[who])
    assert client.get(reverse("plan-new")).status_code == 404
    response = client.post(reverse("plan-new"), {"roc_year": "115"})
    assert response.status_code == 404
    assert not OfficePlan.objects.filter(roc_year=115).exists()
    assert "plan-new-link" not in client.get(reverse("plan-list")).text


def test_another_offices_clerk_starts_only_their_own(plan, people, as_user):
    client = as_user(people["outsider"])
    assert "plan-new-link" in client.get(reverse("plan-list")).text
    client.post(reverse("plan-new"), {"roc_year": "115"})
    assert OfficePlan.objects.get(roc_year=115).office == people["outsider"].membership.office
    assert not OfficePlan.objects.filter(office=plan.office, roc_year=115).exists()


# ---- who gets the editor -------------------------------------------------------------------


def test_the_clerk_gets_the_editor_others_of_the_office_read_it(plan, people, as_user):
    url = reverse("plan-detail", args=[plan.pk])
    editor = doc(as_user(people["clerk"]).get(url))
    assert editor.xpath("//textarea[@name='goals']") and editor.xpath("//*[@id='plan-checks']")
    assert len(editor.xpath("//tr[contains(@class, 'practice')]//textarea[@name='text']")) == 3
    page = as_user(people["chief"]).get(url)
    assert page.status_code == 200
    read = doc(page)
    assert not read.xpath("//textarea | //input[@type='checkbox']")
    assert not read.xpath("//*[@id='plan-checks']")
    assert "面向1的作法1" in page.text


@pytest.mark.parametrize("who", ["outsider", "hq"])
def test_a_draft_is_404_outside_the_office(plan, people, as_user, who):
    client = as_user(people[who])
    assert client.get(reverse("plan-detail", args=[plan.pk])).status_code == 404
    first = practices_of(plan)[0]
    assert post(client, "plan-practice", plan.pk, first.pk, text="改", version=1).status_code == 404
    assert post(client, "plan-sections", plan.pk, goals="改", version=1).status_code == 404
    assert client.get(reverse("plan-checks", args=[plan.pk])).status_code == 404
    assert changes() == 0


def test_a_submitted_plan_is_read_only_even_for_the_clerk(plan, people, as_user):
    OfficePlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    client = as_user(people["clerk"])
    assert not doc(client.get(reverse("plan-detail", args=[plan.pk]))).xpath("//textarea")
    first = practices_of(plan)[0]
    response = post(client, "plan-practice", plan.pk, first.pk, text="改", version=1)
    assert response.status_code == 409 and "不可修改" in response.text
    assert as_user(people["hq"]).get(reverse("plan-detail", args=[plan.pk])).status_code == 200


def test_the_page_tells_hqs_items_from_the_offices_and_shows_not_applicable(plan, people, as_user):
    first, second, _ = practices_of(plan)
    domain.add_practice(plan=plan, measure=first.measure, user=None, text="本處自辦")
    domain.mark_not_applicable(
        practice=second, user=None, reason="本處無此業務", expected_version=1
    )
    for who in ("clerk", "chief"):
        page = doc(as_user(people[who]).get(reverse("plan-detail", args=[plan.pk])))
        origins = page.xpath(
            "//tr[starts-with(@id, 'practice-')]//span[contains(@class, 'origin')]"
        )
        assert [o.text for o in origins] == ["總處", "總處", "總處", "本處自訂"], who
        (row,) = page.xpath(f"//tr[@id='practice-{second.pk}']")
        assert "not-applicable" in row.get("class") and "本處無此業務" in row.text_content()


def test_every_control_of_the_editor_is_labelled_and_its_saves_are_announced(plan, people, as_user):
    first = practices_of(plan)[0]
    domain.add_practice(plan=plan, measure=first.measure, user=None, text="本處自辦")
    domain.add_strategy(plan=plan, facet=plan.outline.facets.get(), user=None, name="自訂策略")
    page = doc(as_user(people["clerk"]).get(reverse("plan-detail", args=[plan.pk])))
    controls = page.xpath("//main//input[not(@type='hidden')] | //main//textarea | //main//select")
    assert len(controls) > 30
    for control in controls:
        named = (
            control.get("aria-label")
            or control.get("aria-labelledby")
            or control.xpath("ancestor::label")
            or page.xpath(f"//label[@for='{control.get('id')}']")
        )
        assert named, html.tostring(control)[:120]
    for field in page.xpath("//main//*[@hx-post][not(self::button or self::form)]"):
        message = field.get("aria-describedby") or field.xpath("ancestor::fieldset")[0].get(
            "aria-describedby"
        )
        (area,) = page.xpath(f"//*[@id='{message.split()[0]}']")
        assert area.get("role") == "status" and area.get("aria-live") == "polite"


# ---- sections ------------------------------------------------------------------------------


def test_saving_the_sections(plan, people, as_user):
    client = as_user(people["clerk"])
    response = client.post(
        reverse("plan-sections", args=[plan.pk]),
        {
            "basis": plan.basis,
            "goals": "提升服務效能",
            "targets": "本處各部門",
            "steps": "訂定計畫\n\n公開於網頁",
            "supplementary": "",
            "version": "1",
        },
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="goals",
    )
    assert response.status_code == 200 and "已儲存（第 2 版）" in response.text
    assert 'id="plan-version" value="2" hx-swap-oob="true"' in response.text
    plan.refresh_from_db()
    assert (plan.goals, plan.targets, plan.step_list) == (
        "提升服務效能",
        "本處各部門",
        ["訂定計畫", "公開於網頁"],
    )


def test_a_stale_section_save_shows_the_current_value_and_keeps_it(plan, people, as_user):
    client = as_user(people["clerk"])
    post(client, "plan-sections", plan.pk, goals="第一版", version="1")
    response = client.post(
        reverse("plan-sections", args=[plan.pk]),
        {"goals": "舊頁面", "version": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="goals",
    )
    assert response.status_code == 409
    assert "已被他人修改" in response.text and "計畫目標「第一版」" in response.text
    assert "載入最新內容" in response.text and 'id="plan-version"' not in response.text
    plan.refresh_from_db()
    assert plan.goals == "第一版"
    fresh = doc(client.get(reverse("plan-sections-form", args=[plan.pk])))
    assert fresh.xpath("//textarea[@name='goals']/text()") == ["第一版"]
    assert fresh.xpath("//input[@id='plan-version']/@value") == ["2"]


def test_a_bad_section_is_400_shown_beside_it(plan, people, as_user):
    client = as_user(people["clerk"])
    response = post(
        client, "plan-sections", plan.pk, basis="依" * (domain.SECTION_MAX + 1), version="1"
    )
    assert response.status_code == 400
    (beside,) = doc(response).xpath("//*[@id='section-error-basis']")
    assert "計畫依據過長" in beside.text_content()
    assert not doc(response).xpath("//*[@id='section-error-goals']")[0].text_content()
    response = post(client, "plan-sections", plan.pk, goals="改")
    assert response.status_code == 400 and "缺少 version 欄位" in response.text
    assert changes() == 0


def test_the_chief_may_not_save_sections(plan, people, as_user):
    response = post(as_user(people["chief"]), "plan-sections", plan.pk, goals="改", version="1")
    assert response.status_code == 403 and changes() == 0


# ---- practices -----------------------------------------------------------------------------


def save(client, plan, practice, **data):
    return post(client, "plan-practice", plan.pk, practice.pk, **data)


def test_saving_a_practice_every_field(plan, people, as_user):
    first = practices_of(plan)[0]
    response = save(
        as_user(people["clerk"]),
        plan,
        first,
        text="新的寫法",
        departments_shown="1",
        departments=["人資組", "業務組"],  # htmx sends the box clicked first
        period="6 月、12 月",
        target="電子帳單申請率達 30%",
        version="1",
    )
    assert response.status_code == 200 and "已儲存（第 2 版）" in response.text
    assert f'id="pversion-{first.pk}" value="2" hx-swap-oob="true"' in response.text
    first.refresh_from_db()
    assert (first.text, first.period, first.target) == (
        "新的寫法",
        "6 月、12 月",
        "電子帳單申請率達 30%",
    )
    # a newly checked department joins the end, whatever the order of the boxes sent
    assert departments_of(first) == ["業務組", "人資組"]
    # the departments come back in their new order, with the check panel
    fragment = doc(response)
    (box,) = fragment.xpath(f"//fieldset[@id='depts-{first.pk}']")
    assert [x.get("value") for x in box.xpath(".//input[@checked]")] == ["業務組", "人資組"]
    assert fragment.xpath("//*[@id='plan-checks'][@hx-swap-oob='true']")


def test_unchecked_then_checked_again_a_department_goes_last(plan, people, as_user):
    first = practices_of(plan)[0]
    client = as_user(people["clerk"])
    every = ["業務組", "人資組", "總務組"]
    save(client, plan, first, departments_shown="1", departments=every, version="1")
    save(client, plan, first, departments_shown="1", departments=every[1:], version="2")
    save(client, plan, first, departments_shown="1", departments=every, version="3")
    assert departments_of(first) == ["人資組", "總務組", "業務組"]


def test_unchecking_every_department_is_saved_and_the_check_panel_says_so(plan, people, as_user):
    first = practices_of(plan)[0]
    response = save(as_user(people["clerk"]), plan, first, departments_shown="1", version="1")
    assert response.status_code == 200 and departments_of(first) == []
    (panel,) = doc(response).xpath("//*[@id='plan-checks']")
    (link,) = panel.xpath(".//li[@class='error']/a")
    assert "尚未填承辦部門" in link.text and link.get("href") == f"#practice-{first.pk}"


def test_a_save_without_the_department_control_keeps_the_departments(plan, people, as_user):
    first = practices_of(plan)[0]
    assert (
        save(as_user(people["clerk"]), plan, first, period="每季", version="1").status_code == 200
    )
    assert departments_of(first) == ["業務組"]


def test_moving_a_department_up(plan, people, as_user):
    first = practices_of(plan)[0]
    client = as_user(people["clerk"])
    save(
        client,
        plan,
        first,
        departments_shown="1",
        departments=["業務組", "人資組", "總務組"],
        version="1",
    )
    response = save(
        client,
        plan,
        first,
        departments_shown="1",
        departments=["業務組", "人資組", "總務組"],
        department_up="總務組",
        version="2",
    )
    assert response.status_code == 200
    assert departments_of(first) == ["業務組", "總務組", "人資組"]
    # the first can't go higher, and a name not chosen moves nothing
    save(
        client,
        plan,
        first,
        departments_shown="1",
        departments=departments_of(first),
        department_up="業務組",
        version="3",
    )
    save(
        client,
        plan,
        first,
        departments_shown="1",
        departments=departments_of(first),
        department_up="秘書室",
        version="3",
    )
    assert departments_of(first) == ["業務組", "總務組", "人資組"]


def test_the_editor_offers_the_offices_departments_and_every_department(plan, people, as_user):
    Department.objects.create(name="各部門")
    first = practices_of(plan)[0]
    page = doc(as_user(people["clerk"]).get(reverse("plan-detail", args=[plan.pk])))
    (box,) = page.xpath(f"//fieldset[@id='depts-{first.pk}']")
    assert [x.get("value") for x in box.xpath(".//input[@type='checkbox']")] == [
        "業務組",
        "人資組",
        "總務組",
        "各部門",
    ]
    assert box.xpath(".//legend")[0].text_content().strip().endswith("承辦部門")


def test_a_stale_practice_save_is_409_with_the_current_values(plan, people, as_user):
    first = practices_of(plan)[0]
    client = as_user(people["clerk"])
    save(client, plan, first, period="每季", version="1")
    response = save(client, plan, first, period="每年 1 次", version="1")
    assert response.status_code == 409
    assert "已被他人修改" in response.text and "執行期間 每季" in response.text
    assert "載入最新內容" in response.text and f'id="pversion-{first.pk}"' not in response.text
    first.refresh_from_db()
    assert first.period == "每季"
    row = doc(client.get(reverse("plan-practice-row", args=[plan.pk, first.pk])))
    assert row.xpath("//input[@name='period']/@value") == ["每季"]
    assert row.xpath("//input[@name='version']/@value") == ["2"]


@pytest.mark.parametrize(
    ("data", "where", "words"),
    [
        ({"text": "  "}, "text", "具體作法不可空白"),
        ({"period": "1~12 月" * 10}, "period", "執行期間過長"),
        ({"target": "目" * (domain.TARGET_MAX + 1)}, "target", "預期目標過長"),
        ({"departments_shown": "1", "departments": ["秘書室"]}, "departments", "沒有「秘書室」"),
    ],
)
def test_bad_practice_input_is_400_shown_beside_the_field(
    plan, people, as_user, data, where, words
):
    first = practices_of(plan)[0]
    response = save(as_user(people["clerk"]), plan, first, version="1", **data)
    assert response.status_code == 400
    fragment = doc(response)
    (beside,) = fragment.xpath(f"//*[@id='perr-{first.pk}-{where}']")
    assert words in beside.text_content()
    others = [f for f in ("text", "period", "target", "departments") if f != where]
    for other in others:
        assert not fragment.xpath(f"//*[@id='perr-{first.pk}-{other}']")[0].text_content()
    first.refresh_from_db()
    assert first.version == 1 and changes() == 0


def test_a_practice_save_needs_a_version(plan, people, as_user):
    response = save(as_user(people["clerk"]), plan, practices_of(plan)[0], text="改")
    assert response.status_code == 400 and "缺少 version 欄位" in response.text


def test_the_chief_may_not_save_a_practice(plan, people, as_user):
    response = save(as_user(people["chief"]), plan, practices_of(plan)[0], text="改", version="1")
    assert response.status_code == 403 and changes() == 0


def test_a_practice_of_another_plan_is_404(plan, people, as_user, make):
    other = make.plan(roc_year=113)
    foreign = practices_of(other)[0]
    client = as_user(people["clerk"])
    assert save(client, plan, foreign, text="改", version="1").status_code == 404
    assert (
        post(client, "plan-practice-move", plan.pk, foreign.pk, direction="up").status_code == 404
    )
    assert client.get(reverse("plan-practice-row", args=[plan.pk, foreign.pk])).status_code == 404


# ---- adding, moving, removing, 不適用 -------------------------------------------------------


def test_adding_a_practice_answers_the_sub_strategy_with_it(plan, people, as_user):
    measure = practices_of(plan)[0].measure
    response = post(
        as_user(people["clerk"]),
        "plan-practice-add",
        plan.pk,
        measure.pk,
        text="辦理用戶座談會",
        departments=["總務組", "業務組"],
        period="每季",
    )
    assert response.status_code == 200
    added = practices_of(plan)[-1]
    assert (added.text, added.number, added.from_hq) == ("辦理用戶座談會", 4, False)
    assert departments_of(added) == ["總務組", "業務組"]
    fragment = doc(response)
    (block,) = fragment.xpath(f"//div[@id='measure-{measure.pk}']")
    assert len(block.xpath(".//tr[starts-with(@id, 'practice-')]")) == 4
    assert block.xpath(f".//textarea[@id='text-{added.pk}'][@autofocus]")
    assert fragment.xpath("//*[@id='plan-checks'][@hx-swap-oob='true']")


def test_adding_without_text_is_refused_in_the_add_form(plan, people, as_user):
    measure = practices_of(plan)[0].measure
    response = post(as_user(people["clerk"]), "plan-practice-add", plan.pk, measure.pk, text=" ")
    assert response.status_code == 400 and "具體作法不可空白" in response.text
    assert response["HX-Retarget"] == f"#addmsg-{measure.pk}"
    assert len(practices_of(plan)) == 3


def test_adding_to_a_sub_strategy_of_another_plan_is_404(plan, people, as_user, make):
    other = practices_of(make.plan(roc_year=113))[0].measure
    response = post(as_user(people["clerk"]), "plan-practice-add", plan.pk, other.pk, text="作法")
    assert response.status_code == 404


def test_moving_practices_and_the_edges(plan, people, as_user):
    first, second, third = practices_of(plan)
    client = as_user(people["clerk"])
    response = post(client, "plan-practice-move", plan.pk, third.pk, direction="up")
    assert response.status_code == 200
    assert [p.pk for p in practices_of(plan)] == [first.pk, third.pk, second.pk]
    rows = doc(response).xpath("//tr[starts-with(@id, 'practice-')]/@id")
    assert rows == [f"practice-{first.pk}", f"practice-{third.pk}", f"practice-{second.pk}"]
    assert not doc(response).xpath(f"//*[@id='up-{first.pk}']")  # the first has no 上移
    refused = post(client, "plan-practice-move", plan.pk, first.pk, direction="up")
    assert refused.status_code == 400 and "已在最前" in refused.text
    assert refused["HX-Retarget"] == f"#pmsg-{first.pk}"


def test_removing_the_offices_own_practice_not_hqs(plan, people, as_user):
    first = practices_of(plan)[0]
    own = domain.add_practice(plan=plan, measure=first.measure, user=None, text="自辦作法")
    client = as_user(people["clerk"])
    refused = post(client, "plan-practice-remove", plan.pk, first.pk)
    assert refused.status_code == 400 and "不適用" in refused.text
    response = post(client, "plan-practice-remove", plan.pk, own.pk)
    assert response.status_code == 200 and "自辦作法" not in response.text
    assert not Practice.objects.filter(pk=own.pk).exists()
    # HQ's rows offer 不適用, not 刪除
    page = doc(client.get(reverse("plan-detail", args=[plan.pk])))
    assert not page.xpath(f"//*[@id='remove-{first.pk}']") and page.xpath(
        f"//*[@id='na-{first.pk}']"
    )


def test_marking_not_applicable_and_undoing_it(plan, people, as_user):
    first = practices_of(plan)[0]
    client = as_user(people["clerk"])
    refused = post(
        client, "plan-practice-not-applicable", plan.pk, first.pk, reason=" ", version="1"
    )
    assert refused.status_code == 400 and "不適用理由不可空白" in refused.text
    assert refused["HX-Retarget"] == f"#namsg-{first.pk}"
    response = post(
        client,
        "plan-practice-not-applicable",
        plan.pk,
        first.pk,
        reason="本處無此業務",
        version="1",
    )
    assert response.status_code == 200
    (row,) = doc(response).xpath(f"//tr[@id='practice-{first.pk}']")
    assert "not-applicable" in row.get("class") and "本處無此業務" in row.text_content()
    assert row.xpath(f".//*[@id='applicable-{first.pk}']")
    stale = post(client, "plan-practice-applicable", plan.pk, first.pk, version="1")
    assert stale.status_code == 409 and stale["HX-Retarget"] == f"#pmsg-{first.pk}"
    back = post(client, "plan-practice-applicable", plan.pk, first.pk, version="2")
    assert back.status_code == 200
    first.refresh_from_db()
    assert not first.not_applicable and first.version == 3


def test_a_not_applicable_practice_needs_no_department(plan, people, as_user):
    first = practices_of(plan)[0]
    client = as_user(people["clerk"])
    save(client, plan, first, departments_shown="1", version="1")
    response = post(
        client, "plan-practice-not-applicable", plan.pk, first.pk, reason="無此業務", version="2"
    )
    assert "沒有發現問題" in doc(response).xpath("//*[@id='plan-checks']")[0].text_content()


def test_the_check_panel_on_demand(plan, people, as_user):
    Practice.objects.filter(pk=practices_of(plan)[0].pk).update(period="")
    response = as_user(people["clerk"]).get(reverse("plan-checks", args=[plan.pk]))
    assert response.status_code == 200 and "尚未填執行期間" in response.text


# ---- the office's own strategies -----------------------------------------------------------


def test_adding_renaming_and_removing_an_offices_strategy(plan, people, as_user):
    facet = plan.outline.facets.get()
    client = as_user(people["clerk"])
    response = post(client, "plan-strategy-add", plan.pk, facet.pk, name="在地關懷")
    assert response.status_code == 200
    strategy = Strategy.objects.get(facet=facet, name="在地關懷")
    fragment = doc(response)
    assert fragment.xpath(f"//input[@id='strategy-input-{strategy.pk}'][@autofocus]")
    assert "（二）" in fragment.xpath(f"//h4[@id='strategy-h-{strategy.pk}']")[0].text_content()
    measure = strategy.measures.get()
    post(client, "plan-practice-add", plan.pk, measure.pk, text="關懷獨居長者")

    renamed = post(client, "plan-strategy", plan.pk, strategy.pk, name="在地關懷服務", version="1")
    assert renamed.status_code == 200 and "已儲存（第 2 版）" in renamed.text
    assert f'id="sversion-{strategy.pk}" value="2" hx-swap-oob="true"' in renamed.text
    stale = post(client, "plan-strategy", plan.pk, strategy.pk, name="舊名", version="1")
    assert stale.status_code == 409 and "目前名稱：「在地關懷服務」" in stale.text
    blank = post(client, "plan-strategy", plan.pk, strategy.pk, name=" ", version="2")
    assert blank.status_code == 400 and "名稱不可空白" in blank.text

    removed = post(client, "plan-strategy-remove", plan.pk, strategy.pk)
    assert removed.status_code == 200 and "在地關懷服務" not in removed.text
    assert not Strategy.objects.filter(pk=strategy.pk).exists()
    assert not Practice.objects.filter(text="關懷獨居長者").exists()


def test_hqs_strategy_is_neither_renamed_nor_removed(plan, people, as_user):
    hq = Strategy.objects.get(facet__outline=plan.outline)
    client = as_user(people["clerk"])
    page = doc(client.get(reverse("plan-detail", args=[plan.pk])))
    assert not page.xpath(f"//*[@id='strategy-input-{hq.pk}']")
    response = post(client, "plan-strategy", plan.pk, hq.pk, name="改名", version="1")
    assert response.status_code == 400 and "總處訂定的執行策略不可更名" in response.text
    response = post(client, "plan-strategy-remove", plan.pk, hq.pk)
    assert response.status_code == 400 and response["HX-Retarget"] == f"#smsg-{hq.pk}"
    assert Strategy.objects.filter(pk=hq.pk).exists() and changes() == 0


def test_an_empty_strategy_name_is_refused_in_the_add_form(plan, people, as_user):
    facet = plan.outline.facets.get()
    response = post(as_user(people["clerk"]), "plan-strategy-add", plan.pk, facet.pk, name="")
    assert response.status_code == 400 and response["HX-Retarget"] == f"#fmsg-{facet.pk}"


def test_the_chief_may_not_change_strategies(plan, people, as_user):
    facet = plan.outline.facets.get()
    response = post(as_user(people["chief"]), "plan-strategy-add", plan.pk, facet.pk, name="新策略")
    assert response.status_code == 403 and changes() == 0


def test_the_editors_fragments_are_for_the_editor(plan, people, as_user):
    """Reloading a row, a facet or the sections after a conflict: the chief only reads."""
    facet = plan.outline.facets.get()
    urls = [
        reverse("plan-facet", args=[plan.pk, facet.pk]),
        reverse("plan-practice-row", args=[plan.pk, practices_of(plan)[0].pk]),
        reverse("plan-sections-form", args=[plan.pk]),
    ]
    for url in urls:
        assert as_user(people["clerk"]).get(url).status_code == 200, url
        response = as_user(people["chief"]).get(url)
        assert response.status_code == 403 and "只能檢視" in response.text, url
    assert as_user(people["chief"]).get(reverse("plan-checks", args=[plan.pk])).status_code == 200


# ---- fixed queries ---------------------------------------------------------------------------

# session, user, membership; the plan, its five tree levels, its sign-offs and its office's
# chain steps; the office (the page's header); whether HQ has published a newer program
# (programs/_newer_version.html); the editor also reads the office's departments
QUERIES = {Role.CLERK: 14, Role.DIRECTOR: 13}


@pytest.mark.parametrize("role", [Role.CLERK, Role.DIRECTOR], ids=["editor", "read-only"])
@pytest.mark.parametrize(("facets", "practices"), [(1, 1), (3, 3), (5, 12)])
def test_the_plan_page_asks_a_fixed_number_of_queries(
    make, as_user, django_assert_num_queries, role, facets, practices
):
    plan = make.plan(facets=facets, practices=practices)
    for facet in plan.outline.facets.all():  # and as many strategies of the office's own
        domain.add_strategy(plan=plan, facet=facet, user=None, name=f"自訂{facet.name}")
    client = as_user(make.user(office=plan.office, role=role))
    with django_assert_num_queries(QUERIES[role]):
        response = client.get(reverse("plan-detail", args=[plan.pk]))
    rows = doc(response).xpath("//tr[starts-with(@id, 'practice-')]")
    assert len(rows) == facets * practices
    assert bool(doc(response).xpath("//textarea")) == (role == Role.CLERK)


# ---- the list ------------------------------------------------------------------------------


def test_the_list_pages_and_filters_keeping_the_others(plan, people, make, as_user, monkeypatch):
    from servplan.core import listing

    monkeypatch.setattr(listing, "PAGE_SIZE", 1)
    later = make.plan(office=plan.office, roc_year=115)
    client = as_user(people["clerk"])
    first = client.get(reverse("plan-list"), {"status": "draft"}).text
    assert f'href="/plans/{later.pk}/"' in first and f'href="/plans/{plan.pk}/"' not in first
    assert 'href="?status=draft&amp;page=2" rel="next">下一頁' in first
    second = client.get(reverse("plan-list"), {"status": "draft", "page": "2"}).text
    assert f'href="/plans/{plan.pk}/"' in second
    only = client.get(reverse("plan-list"), {"roc_year": str(plan.roc_year)}).text
    assert f'href="/plans/{plan.pk}/"' in only and f'href="/plans/{later.pk}/"' not in only
    assert "沒有符合篩選條件" in client.get(reverse("plan-list"), {"status": "approved"}).text


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_costs_the_same_queries_whatever_the_rows(
    make, as_user, django_assert_num_queries, count
):
    office = make.office()
    for year in range(110, 110 + count):
        make.plan(office=office, roc_year=year)
    client = as_user(make.user(office=office))
    client.get(reverse("plan-list"))  # the session's first request loads more
    with django_assert_num_queries(7):
        assert client.get(reverse("plan-list")).status_code == 200
