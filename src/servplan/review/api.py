"""HQ review endpoints (複評): per-cell review scores, marking reviewed, releasing a period
and withdrawing a release."""

from typing import Any

from ninja import Router, Schema

from servplan.assessments.access import get_assessment_for_user
from servplan.assessments.api import PeriodIn, _cell, _period, json, refusals
from servplan.core.scores import to_json_number
from servplan.review import domain

router = Router(tags=["review"])


class ReviewIn(Schema):
    score: Any = None
    comment: str | None = None
    version: int | None = None


@router.patch("/review/assessments/{assessment_id}/cells/{cell_id}/")
@refusals
def review_cell(request, assessment_id: int, cell_id: int, payload: ReviewIn):
    cell = _cell(get_assessment_for_user(request.user, assessment_id), cell_id)
    domain.review_cell(
        cell_score=cell,
        user=request.user,
        score=payload.score,
        comment=payload.comment,
        expected_version=payload.version,
    )
    return {
        "id": cell.id,
        "score": to_json_number(cell.score),
        "review_score": to_json_number(cell.review_score),
        "review_comment": cell.review_comment,
        "version": cell.review_version,
    }


@router.post("/review/assessments/{assessment_id}/reviewed/")
@refusals
def mark_reviewed(request, assessment_id: int):
    assessment = get_assessment_for_user(request.user, assessment_id)
    domain.mark_reviewed(assessment=assessment, user=request.user)
    return {"id": assessment.id, "status": assessment.status}


class ReleaseIn(Schema):
    period: PeriodIn | str


@router.post("/review/releases/")
@refusals
def release(request, payload: ReleaseIn):
    release = domain.release_reviews(period=_period(payload.period), user=request.user)
    return json(
        {"period": release.period.as_dict(), "released_at": release.released_at.isoformat()}, 201
    )


class WithdrawIn(Schema):
    period: PeriodIn | str
    reason: str


@router.post("/review/releases/withdraw/")
@refusals
def withdraw_release(request, payload: WithdrawIn):
    """Take back a period's release, saying why: the offices no longer see its review."""
    period = _period(payload.period)
    domain.withdraw_release(period=period, user=request.user, reason=payload.reason)
    return {"period": period.as_dict(), "released": False}
