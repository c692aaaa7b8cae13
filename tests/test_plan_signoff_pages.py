"""The plan's chain on its page (plans/_signoffs.html), its forms and the history page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from servplan.core.roc import format_date, format_datetime
from servplan.offices.domain import register_deputy
from servplan.offices.models import Role
from servplan.plans.domain import sign_plan, submit_plan, update_practice
from servplan.plans.models import OfficePlan, PlanStatus
from servplan.programs.models import Practice

pytestmark = pytest.mark.django_db

SIGNERS = [Role.SECTION_CHIEF, Role.MANAGER, Role.DEPUTY_DIRECTOR, Role.DIRECTOR]


@pytest.fixture
def plan(make):
    return make.plan(practices=2)


@pytest.fixture
def people(make, plan):
    staff = make.staff(plan.office)
    staff["hq"] = make.user(role=Role.HQ_REVIEWER)
    staff["outsider"] = make.user(office=make.office())
    return staff


def detail(plan):
    return reverse("plan-detail", args=[plan.pk])


def test_a_draft_waits_on_the_clerk_who_gets_the_submit_form(plan, people, as_user):
    text = as_user(people[Role.CLERK]).get(detail(plan)).text
    assert "經辦尚未送出" in text and 'id="plan-submit"' in text
    assert f"目前等待：<strong>經辦</strong>（自 {format_datetime(plan.created_at)}）" in text
    other = as_user(people[Role.SECTION_CHIEF]).get(detail(plan)).text
    assert 'id="signoff"' in other and 'id="plan-submit"' not in other


def test_submitting_on_the_page_then_the_chief_sees_it_is_their_turn(plan, people, as_user):
    response = as_user(people[Role.CLERK]).post(reverse("plan-submit", args=[plan.pk]))
    assert response.status_code == 302 and response.url == detail(plan) + "#signoff"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    since = format_datetime(plan.signoffs.get().at)
    chief = as_user(people[Role.SECTION_CHIEF]).get(detail(plan)).text
    assert "待您核章" in chief and 'id="plan-approve"' in chief
    assert f"目前等待：<strong>課長</strong>（自 {since}）" in chief
    manager = as_user(people[Role.MANAGER]).get(detail(plan)).text
    assert "待核章" in manager and 'id="plan-approve"' not in manager
    hq = as_user(people["hq"]).get(detail(plan)).text
    assert f"目前等待：<strong>課長</strong>（自 {since}）" in hq


def test_check_errors_are_listed_when_the_submit_is_refused(plan, people, as_user):
    practice = Practice.objects.filter(measure__strategy__facet__outline=plan.outline).first()
    update_practice(practice=practice, user=people[Role.CLERK], departments=[], expected_version=1)
    response = as_user(people[Role.CLERK]).post(reverse("plan-submit", args=[plan.pk]), follow=True)
    assert "送出前檢查未通過" in response.text and "尚未填承辦部門" in response.text
    assert OfficePlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_a_return_shows_its_comment_and_a_refusal_says_why(plan, people, as_user):
    submit_plan(plan=plan, user=people[Role.CLERK])
    client = as_user(people[Role.SECTION_CHIEF])
    url = reverse("plan-signoff", args=[plan.pk])
    response = client.post(url, {"decision": "return", "comment": ""}, follow=True)
    assert "退回時請填寫意見" in response.text
    response = client.post(url, {"decision": "return", "comment": "請補實施步驟"}, follow=True)
    assert "已退回經辦" in response.text
    chief = people[Role.SECTION_CHIEF].username
    assert f"課長 {chief} 於" in response.text and "退回：請補實施步驟" in response.text
    response = as_user(people[Role.MANAGER]).post(url, {"decision": "approve"}, follow=True)
    assert "沒有待核章的步驟" in response.text


def test_the_approved_plan_shows_every_signer_and_hq_may_reopen(plan, people, as_user):
    submit_plan(plan=plan, user=people[Role.CLERK])
    for role in SIGNERS[:-1]:
        sign_plan(plan=plan, user=people[role], decision="approve")
    response = as_user(people[Role.DIRECTOR]).post(
        reverse("plan-signoff", args=[plan.pk]), {"decision": "approve"}, follow=True
    )
    assert "已核可，執行計畫已陳准實施" in response.text
    assert "目前等待" not in response.text and 'id="plan-reopen"' not in response.text
    for role in SIGNERS:
        assert people[role].username in response.text
    client = as_user(people["hq"])
    assert 'id="plan-reopen"' in client.get(detail(plan)).text
    response = client.post(reverse("plan-reopen", args=[plan.pk]), {"reason": "預期目標誤植"})
    assert response.status_code == 302 and response.url == reverse("plan-list")
    text = as_user(people[Role.CLERK]).get(detail(plan)).text
    assert "重新開啟為草稿：預期目標誤植" in text and 'id="plan-submit"' in text


def test_a_deputy_gets_the_form_and_the_chain_prints_both(plan, people, as_user, make):
    stand_in = make.user(office=plan.office, username="page-stand-in")
    chief = people[Role.SECTION_CHIEF]
    today = timezone.localdate()
    register_deputy(
        office=plan.office,
        principal=chief,
        deputy=stand_in,
        starts_on=today,
        ends_on=today + dt.timedelta(days=1),
        reason="公差",
        user=chief,
    )
    submit_plan(plan=plan, user=people[Role.CLERK])
    client = as_user(stand_in)
    assert 'id="plan-approve"' in client.get(detail(plan)).text
    client.post(reverse("plan-signoff", args=[plan.pk]), {"decision": "approve"})
    text = as_user(people[Role.MANAGER]).get(detail(plan)).text
    assert f"page-stand-in 代 {chief.username} 核可" in text
    history = as_user(people[Role.MANAGER]).get(reverse("plan-history", args=[plan.pk])).text
    assert f"page-stand-in 代 {chief.username}" in history


def test_the_history_page_lists_changes_newest_first(plan, people, as_user):
    practice = Practice.objects.filter(measure__strategy__facet__outline=plan.outline).first()
    update_practice(
        practice=practice, user=people[Role.CLERK], target="每季 1 場", expected_version=1
    )
    submit_plan(plan=plan, user=people[Role.CLERK])
    text = as_user(people[Role.CLERK]).get(reverse("plan-history", args=[plan.pk])).text
    assert "預期目標" in text and "每季 1 場" in text and "1. 經辦 送出" in text
    assert text.index("1. 經辦 送出") < text.index("每季 1 場")
    assert format_date(timezone.localdate()) in text


@pytest.mark.parametrize("who", ["outsider", "hq"])
def test_a_draft_is_404_to_hq_and_other_offices(plan, people, as_user, who):
    client = as_user(people[who])
    assert client.get(reverse("plan-history", args=[plan.pk])).status_code == 404
    assert client.post(reverse("plan-submit", args=[plan.pk])).status_code == 404
    assert OfficePlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


@pytest.mark.parametrize("signed", [1, 3])
def test_the_chain_keeps_the_page_queries_fixed(
    plan, people, as_user, django_assert_num_queries, signed
):
    submit_plan(plan=plan, user=people[Role.CLERK])
    for role in SIGNERS[: signed - 1]:
        sign_plan(plan=plan, user=people[role], decision="approve")
    client = as_user(people[Role.DIRECTOR])
    # session, user, membership, the plan, four tree levels and departments, its sign-offs,
    # the office's chain steps, the member's office (header); a deputy's registration is
    # looked up only for someone not holding the current step's role: one more; whether HQ
    # has published a newer program (programs/_newer_version.html)
    with django_assert_num_queries(14):
        response = client.get(detail(plan))
    assert response.text.count('<li class="done">') == signed
