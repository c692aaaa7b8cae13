"""periods.domain: HQ opens a period, moves deadlines, accepts or returns submissions, closes."""

import datetime as dt

import pytest
from django.utils import timezone

from servplan.assessments.domain import (
    Conflict,
    NotAllowed,
    reopen_assessment,
    submit_assessment,
)
from servplan.assessments.models import Assessment, Improvement, Status
from servplan.audit.models import AuditEntry
from servplan.core.errors import DomainError
from servplan.core.roc import Period
from servplan.offices.models import Role
from servplan.periods import domain
from servplan.periods.models import Acceptance, AssessmentPeriod, DeadlineOverride
from servplan.periods.rules import marks
from servplan.review.domain import mark_reviewed, release_reviews, review_cell, withdraw_release

PERIOD = Period(115, 1, 6)
DEADLINE = dt.date(2026, 7, 15)  # 115 年 7 月 15 日


@pytest.fixture
def hq(make):
    return make.user(role=Role.HQ_REVIEWER)


@pytest.fixture
def offices(db, make):
    return [make.office(f"期間{n}區營業處") for n in range(3)]


@pytest.fixture
def rubric(make):
    return make.rubric(dimensions=1, items=2, cell_max=10, roc_year=115)


@pytest.fixture
def opened(offices, rubric, hq):
    row, _ = domain.open_period(period=PERIOD, rubric=rubric, deadline=DEADLINE, user=hq)
    return row


def draft_of(office) -> Assessment:
    return Assessment.objects.get(office=office, **PERIOD.as_dict())


def submitted_draft(make, office) -> Assessment:
    return make.submitted(draft_of(office))


def accept_and_review(a, hq):
    domain.accept_submission(assessment=a, user=hq)
    for cell in a.cells.all():
        review_cell(cell_score=cell, user=hq, score="4")
    mark_reviewed(assessment=a, user=hq)


# ---- opening --------------------------------------------------------------------------------


def test_opening_creates_one_draft_per_active_office_on_the_rubric(offices, rubric, hq, make):
    retired = make.office("裁撤區營業處")
    retired.active = False
    retired.save()
    row, created = domain.open_period(period=PERIOD, rubric=rubric, deadline=DEADLINE, user=hq)
    assert row.slug == "115-1-6" and row.status == "open" and row.deadline == DEADLINE
    drafts = Assessment.objects.filter(**PERIOD.as_dict())
    assert sorted(a.office_id for a in drafts) == sorted(o.id for o in offices)
    assert {a.pk for a in created} == {a.pk for a in drafts}
    assert all(a.status == Status.DRAFT and a.rubric_id == rubric.pk for a in drafts)
    assert all(a.cells.count() == 2 for a in drafts)
    # who opened it is in the trail of the period and of every draft
    assert AuditEntry.objects.get(object_type="periods.assessmentperiod", field="opened").user == hq
    entries = AuditEntry.objects.filter(field="period_opened", user=hq)
    assert sorted(e.assessment_id for e in entries) == sorted(a.pk for a in drafts)


def test_opening_carries_over_the_offices_open_improvements(offices, rubric, hq, make):
    earlier = make.assessment(office=offices[0], rubric_=rubric, period=(114, 7, 12))
    finding = earlier.findings.select_related("cell__item").order_by("id").first()
    open_one = Improvement.objects.create(
        office=offices[0], opened_in=earlier, recommendation="加強關懷服務"
    )
    finding.improvement = open_one
    finding.save()
    done = earlier.findings.order_by("id").last()
    done.improvement = Improvement.objects.create(
        office=offices[0], opened_in=earlier, recommendation="已完成事項", status="done"
    )
    done.save()
    domain.open_period(period=PERIOD, rubric=rubric, deadline=DEADLINE, user=hq)
    carried = draft_of(offices[0]).findings.filter(improvement__isnull=False)
    assert [f.improvement_id for f in carried] == [open_one.pk]
    assert carried.get().cell_id == finding.cell_id
    assert not draft_of(offices[1]).findings.filter(improvement__isnull=False).exists()


def test_an_office_that_already_has_the_period_keeps_its_own(offices, rubric, hq, make):
    own = make.assessment(office=offices[1], period=(115, 1, 6))
    _, created = domain.open_period(period=PERIOD, rubric=rubric, deadline=DEADLINE, user=hq)
    assert offices[1].id not in {a.office_id for a in created} and len(created) == 2
    assert draft_of(offices[1]).pk == own.pk


def test_opening_twice_is_refused_and_creates_nothing(opened, rubric, hq):
    count = Assessment.objects.count()
    with pytest.raises(Conflict):
        domain.open_period(period=PERIOD, rubric=rubric, deadline=DEADLINE, user=hq)
    assert Assessment.objects.count() == count and AssessmentPeriod.objects.count() == 1


@pytest.mark.parametrize(
    "period, deadline, where",
    [
        (Period(115, 1, 12), DEADLINE, "period"),  # overlaps 115-1-6
        (Period(115, 7, 12), dt.date(2026, 6, 30), "deadline"),  # before the period starts
        (Period(115, 7, 12), "明天", "deadline"),
        (Period(115, 7, 12), "", "deadline"),
    ],
)
def test_bad_openings_name_the_field(opened, rubric, hq, period, deadline, where):
    with pytest.raises(DomainError) as refused:
        domain.open_period(period=period, rubric=rubric, deadline=deadline, user=hq)
    assert refused.value.where == where and not isinstance(refused.value, Conflict)
    assert AssessmentPeriod.objects.count() == 1


def test_the_deadline_may_be_roc_or_iso_text(offices, rubric, hq):
    row, _ = domain.open_period(period=PERIOD, rubric=rubric, deadline="115 年 7 月 15 日", user=hq)
    assert row.deadline == DEADLINE
    other, _ = domain.open_period(
        period=Period(115, 7, 12), rubric=rubric, deadline="2027-01-15", user=hq
    )
    assert other.deadline == dt.date(2027, 1, 15)


def test_an_offices_own_rubric_is_refused(offices, hq, make):
    rubric = make.rubric(roc_year=115)
    rubric.office = offices[0]
    rubric.save()
    with pytest.raises(DomainError) as refused:
        domain.open_period(period=PERIOD, rubric=rubric, deadline=DEADLINE, user=hq)
    assert refused.value.where == "rubric"


def test_only_hq_opens_a_period(offices, rubric, make):
    for user in (make.user(office=offices[0]), make.user(office=offices[0], role=Role.DIRECTOR)):
        with pytest.raises(NotAllowed):
            domain.open_period(period=PERIOD, rubric=rubric, deadline=DEADLINE, user=user)
    assert not Assessment.objects.exists()
    admin = make.user(role=Role.ADMIN)
    assert domain.open_period(period=PERIOD, rubric=rubric, deadline=DEADLINE, user=admin)


# ---- deadlines ------------------------------------------------------------------------------


def test_moving_everyones_deadline_is_audited_with_the_reason(opened, hq):
    new = domain.move_deadline(
        period=opened, deadline="115 年 7 月 31 日", reason="配合系統更新", user=hq
    )
    assert new == dt.date(2026, 7, 31)
    opened.refresh_from_db()
    assert opened.deadline == new
    entry = AuditEntry.objects.get(object_type="periods.assessmentperiod", field="deadline")
    assert entry.user == hq and entry.old == "115 年 7 月 15 日"
    assert entry.new == "115 年 7 月 31 日（原因：配合系統更新）"


def test_one_office_gets_its_own_deadline_and_can_be_set_back(opened, offices, hq):
    a = draft_of(offices[0])
    domain.move_deadline(
        period=opened, deadline="2026-08-15", reason="颱風停班", user=hq, office=offices[0]
    )
    override = DeadlineOverride.objects.get()
    assert override.office == offices[0] and override.deadline == dt.date(2026, 8, 15)
    assert override.reason == "颱風停班" and override.set_by == hq
    # the office's own history says why
    assert AuditEntry.objects.filter(assessment_id=a.pk, field="deadline").count() == 1
    # moving everyone's leaves the office's own as it is
    domain.move_deadline(period=opened, deadline="2026-07-20", reason="統一延後", user=hq)
    assert DeadlineOverride.objects.get().deadline == dt.date(2026, 8, 15)
    # back to the period's deadline: the office follows the period again
    domain.move_deadline(
        period=opened, deadline="2026-07-20", reason="恢復", user=hq, office=offices[0]
    )
    assert not DeadlineOverride.objects.exists()
    assert AuditEntry.objects.filter(assessment_id=a.pk, field="deadline").count() == 2


@pytest.mark.parametrize(
    "deadline, reason, where",
    [("2026-07-31", "  ", "reason"), ("2026-07-15", "同一天", "deadline"), ("x", "r", "deadline")],
)
def test_a_deadline_move_needs_a_reason_and_a_new_date(opened, hq, deadline, reason, where):
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        domain.move_deadline(period=opened, deadline=deadline, reason=reason, user=hq)
    assert refused.value.where == where and AuditEntry.objects.count() == before


def test_only_hq_moves_deadlines(opened, offices, make):
    with pytest.raises(NotAllowed):
        domain.move_deadline(
            period=opened,
            deadline="2026-08-01",
            reason="自行延長",
            user=make.user(office=offices[0]),
            office=offices[0],
        )
    assert not DeadlineOverride.objects.exists()


# ---- late and overdue -----------------------------------------------------------------------


def test_a_submission_after_the_deadline_is_late_never_refused(opened, offices, make):
    a = submitted_draft(make, offices[0])
    assert a.status == Status.SUBMITTED
    arrived = a.signoffs.order_by("at", "id").last().at
    day = timezone.localdate(arrived)
    signoffs = list(a.signoffs.all())
    on_the_day = marks(a, signoffs, deadline=day)
    assert on_the_day.submitted_at == arrived and not on_the_day.late
    late = marks(a, signoffs, deadline=day - dt.timedelta(days=1))
    assert late.late and not late.overdue


def test_a_record_not_at_hq_after_the_deadline_is_overdue(opened, offices, make):
    draft = draft_of(offices[0])
    in_chain = make.fill(draft_of(offices[1]))
    from servplan.assessments.domain import submit_assessment

    submit_assessment(assessment=in_chain, user=make.user(office=offices[1]))
    after = DEADLINE + dt.timedelta(days=1)
    for a in (draft, in_chain, None):
        signoffs = list(a.signoffs.all()) if a else []
        assert marks(a, signoffs, deadline=DEADLINE, today=after).overdue
        assert not marks(a, signoffs, deadline=DEADLINE, today=DEADLINE).overdue
        assert not marks(a, signoffs, deadline=DEADLINE, today=after).late


# ---- accepting and returning ----------------------------------------------------------------


def test_in_an_opened_period_hq_accepts_before_it_reviews(opened, offices, hq, make):
    a = submitted_draft(make, offices[0])
    cell = a.cells.first()
    with pytest.raises(Conflict):
        review_cell(cell_score=cell, user=hq, score="4")
    acceptance = domain.accept_submission(assessment=a, user=hq)
    assert acceptance.accepted_by == hq and acceptance.signoff.decision == "submit"
    assert AuditEntry.objects.filter(assessment_id=a.pk, field="accepted", user=hq).exists()
    review_cell(cell_score=cell, user=hq, score="4")
    assert a.cells.get(pk=cell.pk).review_score == 4
    with pytest.raises(Conflict):
        domain.accept_submission(assessment=a, user=hq)


def test_a_period_hq_never_opened_is_reviewed_as_before(db, make, hq):
    a = make.submitted(make.assessment(period=(113, 1, 6)))
    review_cell(cell_score=a.cells.first(), user=hq, score="4")


def test_only_a_submitted_record_is_accepted_and_only_by_hq(opened, offices, hq, make):
    with pytest.raises(Conflict):
        domain.accept_submission(assessment=draft_of(offices[0]), user=make.user(role=Role.ADMIN))
    a = submitted_draft(make, offices[1])
    with pytest.raises(NotAllowed):
        domain.accept_submission(assessment=a, user=make.user(office=offices[1]))
    assert not Acceptance.objects.exists()


def test_a_return_sends_it_back_with_the_reason_and_a_new_submission_is_accepted_afresh(
    opened, offices, hq, make
):
    a = submitted_draft(make, offices[0])
    domain.accept_submission(assessment=a, user=hq)
    with pytest.raises(DomainError):
        domain.return_submission(assessment=a, user=hq, reason="")
    domain.return_submission(assessment=a, user=hq, reason="佐證資料不足")
    a.refresh_from_db()
    assert a.status == Status.DRAFT and a.reopen_reason == "佐證資料不足"
    make.submitted(a)
    a.refresh_from_db()
    assert a.status == Status.SUBMITTED
    with pytest.raises(Conflict):  # the old acceptance was of the old submission
        review_cell(cell_score=a.cells.first(), user=hq, score="4")
    domain.accept_submission(assessment=a, user=hq)
    assert Acceptance.objects.count() == 2


def test_a_reviewed_record_is_not_returned_but_reopened(opened, offices, hq, make):
    a = submitted_draft(make, offices[0])
    accept_and_review(a, hq)
    with pytest.raises(Conflict):
        domain.return_submission(assessment=a, user=hq, reason="再看一次")


# ---- closing --------------------------------------------------------------------------------


def test_a_period_closes_only_after_the_release(opened, offices, hq, make):
    a = submitted_draft(make, offices[0])
    accept_and_review(a, hq)
    with pytest.raises(Conflict):
        domain.close_period(period=opened, user=hq)
    release_reviews(period=PERIOD, user=hq)
    domain.close_period(period=opened, user=hq)
    opened.refresh_from_db()
    assert opened.status == "closed" and opened.closed_by == hq and opened.closed_at
    with pytest.raises(Conflict):
        domain.close_period(period=opened, user=hq)


def test_a_closed_period_is_frozen(opened, offices, hq, make):
    reviewed = submitted_draft(make, offices[0])
    accept_and_review(reviewed, hq)
    waiting = submitted_draft(make, offices[1])
    late = make.fill(draft_of(offices[2]))
    late_clerk = make.staff(offices[2])[Role.CLERK]
    release_reviews(period=PERIOD, user=hq)
    domain.close_period(period=opened, user=hq)
    before = AuditEntry.objects.count()
    refusals = [
        lambda: submit_assessment(assessment=late, user=late_clerk),
        lambda: domain.accept_submission(assessment=waiting, user=hq),
        lambda: domain.return_submission(assessment=waiting, user=hq, reason="補件"),
        lambda: review_cell(cell_score=waiting.cells.first(), user=hq, score="4"),
        lambda: mark_reviewed(assessment=waiting, user=hq),
        lambda: reopen_assessment(assessment=reviewed, user=hq, reason="更正"),
        lambda: withdraw_release(period=PERIOD, user=hq, reason="更正"),
        lambda: domain.move_deadline(period=opened, deadline="2026-08-01", reason="r", user=hq),
    ]
    for refused in refusals:
        with pytest.raises(Conflict):
            refused()
    assert AuditEntry.objects.count() == before
    reviewed.refresh_from_db()
    late.refresh_from_db()
    assert reviewed.status == Status.REVIEWED and late.status == Status.DRAFT
