import pytest

from servplan.assessments.domain import Conflict, NotAllowed
from servplan.assessments.models import Status
from servplan.audit.models import AuditEntry
from servplan.core.errors import DomainError
from servplan.core.roc import Period
from servplan.offices.models import Office, Role
from servplan.review.domain import (
    mark_reviewed,
    release_reviews,
    release_summary,
    review_cell,
    reviews_visible,
    withdraw_release,
)
from servplan.review.models import ReviewRelease


@pytest.fixture
def done(db, make):
    return make.submitted(make.assessment(rubric_=make.rubric(dimensions=1, items=2, cell_max=10)))


def cells(a):
    return list(a.cells.select_related("cell__dimension", "cell__item").order_by("id"))


def test_hq_reviews_every_cell_then_marks_reviewed(done, make):
    hq = make.user(role=Role.HQ_REVIEWER)
    first, second = cells(done)
    review_cell(cell_score=first, user=hq, score="4", comment="佐證不足")
    with pytest.raises(DomainError, match="尚有 1 格未填複評分數：構面1／項目2$"):
        mark_reviewed(assessment=done, user=hq)
    review_cell(cell_score=second, user=hq, score="5.5")
    mark_reviewed(assessment=done, user=hq)
    done.refresh_from_db()
    assert done.status == Status.REVIEWED
    with pytest.raises(Conflict):
        review_cell(cell_score=first, user=hq, score="3")


def test_review_scores_respect_the_maximum(done, make):
    hq = make.user(role=Role.HQ_REVIEWER)
    with pytest.raises(DomainError, match="超過最高分 10 分"):
        review_cell(cell_score=cells(done)[0], user=hq, score="10.5")


def test_only_hq_reviews(done, make):
    for user in (
        make.user(office=done.office, role=Role.DIRECTOR),
        make.user(office=make.office()),
    ):
        with pytest.raises(NotAllowed):
            review_cell(cell_score=cells(done)[0], user=user, score="3")


def test_drafts_cannot_be_reviewed(db, make):
    a = make.assessment()
    with pytest.raises(Exception):  # noqa: B017 - HQ does not even see a draft
        review_cell(cell_score=cells(a)[0], user=make.user(role=Role.HQ_REVIEWER), score="3")


def test_offices_see_review_scores_only_after_release(done, make):
    clerk, hq = make.user(office=done.office), make.user(role=Role.HQ_REVIEWER)
    assert reviews_visible(hq, done) and not reviews_visible(clerk, done)
    with pytest.raises(NotAllowed):
        release_reviews(period=Period(114, 1, 6), user=clerk)
    make.reviewed(done, hq)
    release_reviews(period=Period(114, 1, 6), user=hq)
    assert reviews_visible(clerk, done)
    with pytest.raises(DomainError, match="已公布"):
        release_reviews(period=Period(114, 1, 6), user=hq)


def test_marking_reviewed_names_every_missing_cell(db, make):
    a = make.submitted(make.assessment(rubric_=make.rubric(dimensions=3, items=4)))
    hq = make.user(role=Role.HQ_REVIEWER)
    with pytest.raises(DomainError) as refused:
        mark_reviewed(assessment=a, user=hq)
    message = refused.value.message
    assert message.startswith("尚有 12 格未填複評分數：構面1／項目1、")
    for d in (1, 2, 3):
        for i in (1, 2, 3, 4):
            assert f"構面{d}／項目{i}" in message
    assert refused.value.where == "構面1／項目1"


def test_nothing_is_released_before_an_office_is_reviewed(done, make):
    hq = make.user(role=Role.HQ_REVIEWER)
    with pytest.raises(DomainError, match="114 年度 1 月至 6 月：尚無完成複評的區營業處"):
        release_reviews(period=Period(114, 1, 6), user=hq)
    assert not ReviewRelease.objects.exists()


def test_the_summary_counts_offices_by_where_their_review_stands(db, make):
    make.reviewed(make.assessment())
    make.reviewed(make.assessment())
    make.submitted(make.assessment())
    make.assessment()  # a draft
    make.reviewed(make.assessment(period=(114, 7, 12)))  # another period
    summary = release_summary(Period(114, 1, 6))
    offices = Office.objects.count()
    assert (summary.offices, summary.reviewed, summary.pending) == (offices, 2, 1)
    assert str(summary) == f"{offices} 個區營業處中 2 個已完成複評，1 個尚待複評"
    assert summary.release is None


def test_hq_withdraws_a_release_with_a_reason_and_may_release_again(done, make):
    hq, clerk = make.user(role=Role.HQ_REVIEWER), make.user(office=done.office)
    make.reviewed(done, hq)
    period = Period(114, 1, 6)
    with pytest.raises(Conflict, match="尚未公布"):
        withdraw_release(period=period, user=hq, reason="誤按")
    release = release_reviews(period=period, user=hq)
    with pytest.raises(NotAllowed):
        withdraw_release(period=period, user=clerk, reason="不滿意")
    with pytest.raises(DomainError, match="撤回公布須填寫原因"):
        withdraw_release(period=period, user=hq, reason="  ")
    withdraw_release(period=period, user=hq, reason="  複評分數\n有誤 ")
    assert not reviews_visible(clerk, done)
    entry = AuditEntry.objects.get(field="withdrawn")
    assert (entry.object_id, entry.old, entry.new, entry.user) == (
        release.pk,
        str(period),
        "複評分數\n有誤",
        hq,
    )
    release_reviews(period=period, user=hq)
    assert reviews_visible(clerk, done)
