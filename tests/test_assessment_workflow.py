import pytest

from servplan.assessments.domain import (
    Conflict,
    NotAllowed,
    chain_state,
    decide,
    reopen_assessment,
    score_cell,
    set_chain,
    submit_assessment,
)
from servplan.assessments.models import SignOff, Status
from servplan.audit.models import AuditEntry
from servplan.core.errors import DomainError
from servplan.offices.models import Form, Role

CHAIN = [Role.SECTION_CHIEF, Role.MANAGER, Role.DEPUTY_DIRECTOR, Role.DIRECTOR]


@pytest.fixture
def case(db, make):
    a = make.fill(make.assessment())
    return a, make.staff(a.office)


def test_submit_then_every_signer_in_turn_locks_it(case):
    a, people = case
    submit_assessment(assessment=a, user=people[Role.CLERK])
    a.refresh_from_db()
    assert a.status == Status.IN_SIGNOFF
    for role in CHAIN:
        assert chain_state(a).current[1] == role
        decide(assessment=a, user=people[role], decision="approve")
        a.refresh_from_db()
    assert a.status == Status.SUBMITTED and a.is_locked
    rows = list(SignOff.objects.filter(assessment=a).values_list("position", "role", "decision"))
    assert rows == [
        (1, "clerk", "submit"),
        (2, "section_chief", "approve"),
        (3, "manager", "approve"),
        (4, "deputy_director", "approve"),
        (5, "director", "approve"),
    ]
    with pytest.raises(Conflict, match="已送出"):
        score_cell(
            cell_score=a.cells.select_related("cell__dimension", "cell__item").first(), score="1"
        )


def test_only_the_current_signer_may_act(case):
    a, people = case
    submit_assessment(assessment=a, user=people[Role.CLERK])
    for role in (Role.MANAGER, Role.DIRECTOR, Role.CLERK):
        with pytest.raises(NotAllowed, match="目前應由「課長」核章"):
            decide(assessment=a, user=people[role], decision="approve")


def test_a_section_chief_of_another_office_may_not_act(case, make):
    a, people = case
    submit_assessment(assessment=a, user=people[Role.CLERK])
    stranger = make.user(office=make.office(), role=Role.SECTION_CHIEF)
    with pytest.raises(NotAllowed):
        decide(assessment=a, user=stranger, decision="approve")


def test_return_needs_a_comment_and_restarts_the_chain(case):
    a, people = case
    submit_assessment(assessment=a, user=people[Role.CLERK])
    decide(assessment=a, user=people[Role.SECTION_CHIEF], decision="approve")
    with pytest.raises(DomainError, match="意見"):
        decide(assessment=a, user=people[Role.MANAGER], decision="return")
    decide(assessment=a, user=people[Role.MANAGER], decision="return", comment="請補充佐證")
    a.refresh_from_db()
    assert a.status == Status.DRAFT and chain_state(a).current is None
    returned = SignOff.objects.get(assessment=a, decision="return")
    assert (returned.position, returned.role, returned.comment) == (3, "manager", "請補充佐證")
    submit_assessment(assessment=a, user=people[Role.CLERK])
    assert chain_state(a).current == (2, Role.SECTION_CHIEF)


def test_only_the_clerk_submits_and_only_a_draft(case):
    a, people = case
    with pytest.raises(NotAllowed):
        submit_assessment(assessment=a, user=people[Role.DIRECTOR])
    submit_assessment(assessment=a, user=people[Role.CLERK])
    with pytest.raises(Conflict):
        submit_assessment(assessment=a, user=people[Role.CLERK])


def test_missing_scores_block_submission_naming_the_cell(db, make):
    a = make.assessment()
    people = make.staff(a.office)
    with pytest.raises(DomainError, match="構面1／項目1：尚未填自評分數"):
        submit_assessment(assessment=a, user=people[Role.CLERK])
    assert a.signoffs.count() == 0


def test_the_chain_follows_the_office(case):
    a, people = case
    set_chain(office=a.office, form=Form.APPROVAL, roles=["clerk", "manager", "director"])
    submit_assessment(assessment=a, user=people[Role.CLERK])
    decide(assessment=a, user=people[Role.MANAGER], decision="approve")
    decide(assessment=a, user=people[Role.DIRECTOR], decision="approve")
    a.refresh_from_db()
    assert a.status == Status.SUBMITTED
    assert list(a.signoffs.values_list("position", flat=True)) == [1, 2, 3]


def test_hq_reopens_with_a_reason_recorded(case, make):
    a, people = case
    submit_assessment(assessment=a, user=people[Role.CLERK])
    for role in CHAIN:
        decide(assessment=a, user=people[role], decision="approve")
    hq = make.user(role=Role.HQ_REVIEWER)
    with pytest.raises(NotAllowed):
        reopen_assessment(assessment=a, user=people[Role.DIRECTOR], reason="x")
    with pytest.raises(DomainError, match="原因"):
        reopen_assessment(assessment=a, user=hq, reason=" ")
    reopen_assessment(assessment=a, user=hq, reason="分數誤植")
    a.refresh_from_db()
    assert a.status == Status.DRAFT
    assert AuditEntry.objects.filter(
        assessment_id=a.pk, field="reopened", new="分數誤植", user=hq
    ).exists()


def test_every_step_is_in_the_audit_trail(case):
    a, people = case
    submit_assessment(assessment=a, user=people[Role.CLERK])
    decide(assessment=a, user=people[Role.SECTION_CHIEF], decision="return", comment="補件")
    statuses = list(
        AuditEntry.objects.filter(assessment_id=a.pk, field="status").values_list("old", "new")
    )
    assert statuses == [("draft", "in_signoff"), ("in_signoff", "draft")]
    assert AuditEntry.objects.filter(assessment_id=a.pk, field="signoff").count() == 2
