"""HQ review endpoints (複評): per-cell review scores, marking reviewed, releasing a period
and withdrawing a release."""

from typing import Any

from ninja import Router, Schema, Status
from pydantic import Field

from servplan.api_schemas import IsoDateTime, Number, Out, answers, example
from servplan.assessments.access import get_assessment_for_user
from servplan.assessments.api import PeriodField, PeriodIn, _cell, _period, refusals
from servplan.assessments.api_schemas import PeriodOut, StatusOut
from servplan.core.scores import to_json_number
from servplan.review import domain

router = Router(tags=["review"])


class ReviewedCellOut(Out):
    id: int
    score: Number | None
    review_score: Number | None
    review_comment: str
    version: int = Field(description="the review's own version (CellScore.review_version)")


class ReleaseOut(Out):
    period: PeriodOut
    released_at: IsoDateTime


class WithdrawnOut(Out):
    period: PeriodOut
    released: bool


class ReviewIn(Schema):
    model_config = example({"score": 90, "comment": "佐證充分", "version": 1})

    score: Any = None
    comment: str | None = None
    version: int | None = None


@router.patch(
    "/review/assessments/{assessment_id}/cells/{cell_id}/",
    response=answers({200: ReviewedCellOut}, 400, 403, 404, 409),
    summary="HQ's review score and comment of a cell (複評)",
)
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


@router.post(
    "/review/assessments/{assessment_id}/reviewed/",
    response=answers({200: StatusOut}, 400, 403, 404, 409),
    summary="Mark the assessment reviewed (完成複評)",
)
@refusals
def mark_reviewed(request, assessment_id: int):
    assessment = get_assessment_for_user(request.user, assessment_id)
    domain.mark_reviewed(assessment=assessment, user=request.user)
    return {"id": assessment.id, "status": assessment.status}


class ReleaseIn(Schema):
    model_config = example({"period": "114-1-6"})

    period: PeriodIn | str = PeriodField


@router.post(
    "/review/releases/",
    response=answers({201: ReleaseOut}, 400, 403, 404, 409),
    summary="Release a period's review to the offices (公布複評結果)",
)
@refusals
def release(request, payload: ReleaseIn):
    release = domain.release_reviews(period=_period(payload.period), user=request.user)
    return Status(
        201, {"period": release.period.as_dict(), "released_at": release.released_at.isoformat()}
    )


class WithdrawIn(Schema):
    model_config = example({"period": "114-1-6", "reason": "複評分數有誤"})

    period: PeriodIn | str = PeriodField
    reason: str


@router.post(
    "/review/releases/withdraw/",
    response=answers({200: WithdrawnOut}, 400, 403, 404, 409),
    summary="Withdraw a period's release, saying why",
)
@refusals
def withdraw_release(request, payload: WithdrawIn):
    """Take back a period's release, saying why: the offices no longer see its review."""
    period = _period(payload.period)
    domain.withdraw_release(period=period, user=request.user, reason=payload.reason)
    return {"period": period.as_dict(), "released": False}
