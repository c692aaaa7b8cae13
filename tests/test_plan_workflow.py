"""The plan's sign-off chain (plans.domain submit_plan, sign_plan, reopen_plan)."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from servplan.assessments.domain import set_chain
from servplan.audit.models import AuditEntry
from servplan.core.errors import Conflict, DomainError, NotAllowed
from servplan.offices.domain import register_deputy
from servplan.offices.models import Form, Role
from servplan.plans.domain import (
    add_practice,
    reopen_plan,
    sign_plan,
    submit_plan,
    update_plan_sections,
    update_practice,
)
from servplan.plans.models import OfficePlan, PlanSignOff, PlanStatus
from servplan.plans.serializers import plans_for_export
from servplan.plans.signing import plan_chain_state, plan_content_hash, plan_waiting_on
from servplan.programs.models import Practice

pytestmark = pytest.mark.django_db

SIGNERS = [Role.SECTION_CHIEF, Role.MANAGER, Role.DEPUTY_DIRECTOR, Role.DIRECTOR]


@pytest.fixture
def case(make):
    plan = make.plan(practices=2)
    return plan, make.staff(plan.office)


def first_practice(plan) -> Practice:
    return (
        Practice.objects.filter(measure__strategy__facet__outline=plan.outline)
        .select_related("measure__strategy")
        .order_by("position")
        .first()
    )


def approve_all(plan, people, roles=SIGNERS):
    for role in roles:
        sign_plan(plan=plan, user=people[role], decision="approve")


def deputy_for(office, principal, deputy, *, starts=0, days=7, by=None):
    today = timezone.localdate()
    return register_deputy(
        office=office,
        principal=principal,
        deputy=deputy,
        starts_on=today + dt.timedelta(days=starts),
        ends_on=today + dt.timedelta(days=starts + days),
        reason="休假",
        user=by or principal,
    )


def test_submit_then_every_signer_in_turn_approves_and_locks_it(case):
    plan, people = case
    submit_plan(plan=plan, user=people[Role.CLERK])
    assert plan.status == PlanStatus.SUBMITTED
    for role in SIGNERS:
        assert plan_chain_state(plan).current[1] == role
        assert plan.approved_on is None
        sign_plan(plan=plan, user=people[role], decision="approve")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_on == timezone.localdate()
    rows = list(PlanSignOff.objects.filter(plan=plan).values_list("position", "role", "decision"))
    assert rows == [
        (1, "clerk", "submit"),
        (2, "section_chief", "approve"),
        (3, "manager", "approve"),
        (4, "deputy_director", "approve"),
        (5, "director", "approve"),
    ]
    # every signer approved the same content, which is what the plan holds now
    hashes = set(PlanSignOff.objects.filter(plan=plan).values_list("content_hash", flat=True))
    assert hashes == {plan_content_hash(plans_for_export().get(pk=plan.pk))}
    assert plan_chain_state(plan).current is None and plan_waiting_on(plan) is None


def test_approved_on_is_the_date_in_taipei(case):
    plan, people = case
    # 17:30 UTC on 20 March is 01:30 on 21 March in Taipei
    late = dt.datetime(2025, 3, 20, 17, 30, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=late):
        submit_plan(plan=plan, user=people[Role.CLERK])
        approve_all(plan, people)
    plan.refresh_from_db()
    assert plan.approved_on == dt.date(2025, 3, 21)


def test_only_the_current_signer_may_act(case, make):
    plan, people = case
    submit_plan(plan=plan, user=people[Role.CLERK])
    for role in (Role.MANAGER, Role.DIRECTOR, Role.CLERK):
        with pytest.raises(NotAllowed, match="目前應由「課長」核章"):
            sign_plan(plan=plan, user=people[role], decision="approve")
    stranger = make.user(office=make.office(), role=Role.SECTION_CHIEF)
    with pytest.raises(NotAllowed):
        sign_plan(plan=plan, user=stranger, decision="approve")
    with pytest.raises(DomainError, match="approve"):
        sign_plan(plan=plan, user=people[Role.SECTION_CHIEF], decision="submit")
    assert PlanSignOff.objects.filter(plan=plan).count() == 1


def test_return_needs_a_comment_and_restarts_the_chain(case):
    plan, people = case
    submit_plan(plan=plan, user=people[Role.CLERK])
    sign_plan(plan=plan, user=people[Role.SECTION_CHIEF], decision="approve")
    with pytest.raises(DomainError, match="意見"):
        sign_plan(plan=plan, user=people[Role.MANAGER], decision="return", comment=" ")
    returned = sign_plan(
        plan=plan, user=people[Role.MANAGER], decision="return", comment="請補充執行期間"
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan_chain_state(plan).current is None
    assert (returned.position, returned.role, returned.comment) == (3, "manager", "請補充執行期間")
    assert plan_waiting_on(plan) == (Role.CLERK, returned.at)
    # the draft can be changed again, then goes to the section chief first
    update_plan_sections(plan=plan, user=people[Role.CLERK], goals="改過", expected_version=1)
    submit_plan(plan=plan, user=people[Role.CLERK])
    assert plan_chain_state(plan).current == (2, Role.SECTION_CHIEF)


def test_only_the_clerk_submits_and_only_a_draft(case, make):
    plan, people = case
    for who in (people[Role.DIRECTOR], make.user(role=Role.ADMIN), make.user(office=make.office())):
        with pytest.raises(NotAllowed, match="經辦"):
            submit_plan(plan=plan, user=who)
    submit_plan(plan=plan, user=people[Role.CLERK])
    with pytest.raises(Conflict, match="不能再送出"):
        submit_plan(plan=plan, user=people[Role.CLERK])


def test_check_errors_block_submit_and_are_listed(case):
    plan, people = case
    practice = first_practice(plan)
    update_practice(
        practice=practice, user=people[Role.CLERK], departments=[], period="", expected_version=1
    )
    with pytest.raises(DomainError, match="送出前檢查未通過") as refused:
        submit_plan(plan=plan, user=people[Role.CLERK])
    assert "尚未填承辦部門" in refused.value.message and "尚未填執行期間" in refused.value.message
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not plan.signoffs.exists()


@pytest.mark.parametrize("approved", [False, True])
def test_past_the_draft_every_edit_is_refused(case, approved):
    plan, people = case
    submit_plan(plan=plan, user=people[Role.CLERK])
    if approved:
        approve_all(plan, people)
    practice = first_practice(plan)
    clerk = people[Role.CLERK]
    with pytest.raises(Conflict, match="不可修改"):
        update_practice(practice=practice, user=clerk, text="改", expected_version=1)
    with pytest.raises(Conflict, match="不可修改"):
        update_plan_sections(plan=plan, user=clerk, goals="改", expected_version=1)
    with pytest.raises(Conflict, match="不可修改"):
        add_practice(plan=plan, measure=practice.measure, user=clerk, text="新增")
    assert OfficePlan.objects.get(pk=plan.pk).goals == ""


def test_a_stale_edit_of_the_draft_is_refused(case):
    plan, people = case
    practice = first_practice(plan)
    update_practice(practice=practice, user=people[Role.CLERK], text="新的", expected_version=1)
    with pytest.raises(Conflict, match="已被他人修改"):
        update_practice(
            practice=first_practice(plan), user=people[Role.CLERK], text="舊", expected_version=1
        )


def test_hq_reopens_an_approved_plan_with_a_reason(case, make):
    plan, people = case
    submit_plan(plan=plan, user=people[Role.CLERK])
    hq = make.user(role=Role.HQ_REVIEWER)
    with pytest.raises(Conflict, match="尚未陳准實施"):
        reopen_plan(plan=plan, user=hq, reason="x")  # still in its chain
    approve_all(plan, people)
    with pytest.raises(NotAllowed):
        reopen_plan(plan=plan, user=people[Role.DIRECTOR], reason="x")
    with pytest.raises(DomainError, match="重新開啟原因"):
        reopen_plan(plan=plan, user=hq, reason="  ")
    reopen_plan(plan=plan, user=hq, reason="預期目標誤植")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.approved_on is None
    assert (plan.reopened_by, plan.reopen_reason) == (hq, "預期目標誤植")
    assert plan_chain_state(plan).round == []
    assert plan_waiting_on(plan) == (Role.CLERK, plan.reopened_at)
    trail = AuditEntry.objects.filter(plan_id=plan.pk, user=hq)
    assert set(trail.values_list("field", "new")) == {
        ("reopened", "預期目標誤植"),
        ("status", "draft"),
        ("approved_on", ""),
    }
    # a draft is no longer HQ's to see, nor to reopen again
    with pytest.raises(NotAllowed):
        reopen_plan(plan=plan, user=hq, reason="再一次")
    update_plan_sections(plan=plan, user=people[Role.CLERK], goals="改正", expected_version=1)


def test_a_published_plan_is_not_reopened(case, make):
    plan, people = case
    OfficePlan.objects.filter(pk=plan.pk).update(status=PlanStatus.PUBLISHED)
    with pytest.raises(Conflict, match="已公開"):
        reopen_plan(plan=plan, user=make.user(role=Role.ADMIN), reason="x")


def test_every_step_is_in_the_plans_trail(case):
    plan, people = case
    submit_plan(plan=plan, user=people[Role.CLERK])
    sign_plan(plan=plan, user=people[Role.SECTION_CHIEF], decision="return", comment="補件")
    trail = AuditEntry.objects.filter(plan_id=plan.pk)
    statuses = list(trail.filter(field="status").values_list("old", "new"))
    assert statuses == [("draft", "submitted"), ("submitted", "draft")]
    assert list(trail.filter(field="signoff").values_list("new", flat=True)) == [
        "1. 經辦 送出",
        "2. 課長 退回：補件",
    ]


def test_the_plan_follows_its_own_chain_else_the_approval_chain(case):
    plan, people = case
    set_chain(office=plan.office, form=Form.APPROVAL, roles=["clerk", "manager", "director"])
    assert plan_chain_state(OfficePlan.objects.get(pk=plan.pk)).chain == [
        Role.CLERK,
        Role.MANAGER,
        Role.DIRECTOR,
    ]
    set_chain(office=plan.office, form=Form.PLAN, roles=["clerk", "deputy_director"])
    submit_plan(plan=plan, user=people[Role.CLERK])
    with pytest.raises(NotAllowed, match="副處長"):
        sign_plan(plan=plan, user=people[Role.MANAGER], decision="approve")
    sign_plan(plan=plan, user=people[Role.DEPUTY_DIRECTOR], decision="approve")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_a_chain_of_the_clerk_alone_approves_at_the_submit(case):
    plan, people = case
    set_chain(office=plan.office, form=Form.PLAN, roles=["clerk"])
    submit_plan(plan=plan, user=people[Role.CLERK])
    assert plan.status == PlanStatus.APPROVED and plan.approved_on == timezone.localdate()


# ---- deputies and one person, one step ------------------------------------------------------


def test_a_registered_deputy_signs_for_the_absent_signer(case, make):
    plan, people = case
    stand_in = make.user(office=plan.office, role=Role.CLERK, username="stand-in")
    chief = people[Role.SECTION_CHIEF]
    deputy_for(plan.office, chief, stand_in)
    submit_plan(plan=plan, user=people[Role.CLERK])
    signoff = sign_plan(plan=plan, user=stand_in, decision="approve")
    assert (signoff.user, signoff.on_behalf_of, signoff.role) == (stand_in, chief, "section_chief")
    assert signoff.signed_as == f"stand-in 代 {chief.username}"
    assert AuditEntry.objects.filter(
        plan_id=plan.pk, field="signoff", new=f"2. 課長 核可（stand-in 代 {chief.username}）"
    ).exists()
    assert plan_chain_state(plan).current == (3, Role.MANAGER)


def test_a_deputy_not_in_force_may_not_sign(case, make):
    plan, people = case
    later = make.user(office=plan.office, role=Role.CLERK)
    ended = make.user(office=plan.office, role=Role.CLERK)
    chief = people[Role.SECTION_CHIEF]
    deputy_for(plan.office, chief, later, starts=1)
    row = deputy_for(plan.office, chief, ended)
    from servplan.offices.domain import end_deputy

    end_deputy(registration=row, user=chief)
    submit_plan(plan=plan, user=people[Role.CLERK])
    for who in (later, ended):
        with pytest.raises(NotAllowed, match="目前應由「課長」核章"):
            sign_plan(plan=plan, user=who, decision="approve")


def test_the_signer_of_one_step_may_not_sign_another_as_deputy(case):
    plan, people = case
    manager = people[Role.MANAGER]
    deputy_for(plan.office, people[Role.DEPUTY_DIRECTOR], manager)
    submit_plan(plan=plan, user=people[Role.CLERK])
    approve_all(plan, people, SIGNERS[:2])
    with pytest.raises(NotAllowed, match="您已在本輪核章擔任「經理」"):
        sign_plan(plan=plan, user=manager, decision="approve")
    assert plan_chain_state(plan).current == (4, Role.DEPUTY_DIRECTOR)


def test_the_submitting_clerk_may_not_sign_as_deputy(case):
    plan, people = case
    clerk = people[Role.CLERK]
    deputy_for(plan.office, people[Role.SECTION_CHIEF], clerk)
    submit_plan(plan=plan, user=clerk)
    with pytest.raises(NotAllowed, match="擔任「經辦」"):
        sign_plan(plan=plan, user=clerk, decision="approve")


def test_one_whose_step_a_deputy_signed_holds_it(case, make):
    """The manager's deputy signed step 3: the manager may not sign step 4 as a deputy too."""
    plan, people = case
    manager = people[Role.MANAGER]
    stand_in = make.user(office=plan.office, role=Role.CLERK)
    deputy_for(plan.office, manager, stand_in)
    deputy_for(plan.office, people[Role.DEPUTY_DIRECTOR], manager)
    submit_plan(plan=plan, user=people[Role.CLERK])
    sign_plan(plan=plan, user=people[Role.SECTION_CHIEF], decision="approve")
    sign_plan(plan=plan, user=stand_in, decision="approve")
    with pytest.raises(NotAllowed, match="您已在本輪核章擔任「經理」"):
        sign_plan(plan=plan, user=manager, decision="approve")


def test_a_new_round_frees_everyone_again(case):
    plan, people = case
    submit_plan(plan=plan, user=people[Role.CLERK])
    sign_plan(plan=plan, user=people[Role.SECTION_CHIEF], decision="return", comment="補件")
    submit_plan(plan=plan, user=people[Role.CLERK])
    sign_plan(plan=plan, user=people[Role.SECTION_CHIEF], decision="approve")
    assert plan_chain_state(plan).current == (3, Role.MANAGER)
