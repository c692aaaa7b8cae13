import pytest

from servplan.assessments.domain import Conflict, NotAllowed
from servplan.assessments.models import Status
from servplan.core.errors import DomainError
from servplan.core.roc import Period
from servplan.offices.models import Role
from servplan.review.domain import mark_reviewed, release_reviews, review_cell, reviews_visible


@pytest.fixture
def done(db, make):
    return make.submitted(make.assessment(rubric_=make.rubric(dimensions=1, items=2, cell_max=10)))


def cells(a):
    return list(a.cells.select_related("cell__dimension", "cell__item").order_by("id"))


def test_hq_reviews_every_cell_then_marks_reviewed(done, make):
    hq = make.user(role=Role.HQ_REVIEWER)
    first, second = cells(done)
    review_cell(cell_score=first, user=hq, score="4", comment="佐證不足")
    with pytest.raises(DomainError, match="構面1／項目2：尚未填複評分數"):
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
    release_reviews(period=Period(114, 1, 6), user=hq)
    assert reviews_visible(clerk, done)
    with pytest.raises(DomainError, match="已公布"):
        release_reviews(period=Period(114, 1, 6), user=hq)
