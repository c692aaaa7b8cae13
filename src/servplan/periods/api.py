"""Period endpoints: the list (everyone signed in), opening, the board, deadlines and closing
(HQ's: others get 404 for a period's board, as on the pages), and HQ's 受理 / 退回."""

import datetime as dt
from urllib.parse import urlencode

from django.http import Http404
from ninja import Router, Schema, Status
from pydantic import Field

from servplan.api_schemas import answers, example
from servplan.assessments.access import can_review, get_assessment_for_user
from servplan.assessments.api import PeriodField, PeriodIn, _period, refusals
from servplan.assessments.api_schemas import StatusOut
from servplan.core.errors import DomainError
from servplan.core.listing import page_window, paginate
from servplan.offices.access import membership
from servplan.offices.domain import find_office
from servplan.periods import domain
from servplan.periods.api_schemas import (
    AcceptedOut,
    BoardOut,
    ClosedOut,
    DeadlineOut,
    OpenedOut,
    PeriodList,
)
from servplan.periods.board import build_board, office_deadlines
from servplan.periods.models import AssessmentPeriod
from servplan.periods.views import period_for
from servplan.programs.lookups import published_rubrics
from servplan.review.models import ReviewRelease

router = Router(tags=["periods"])


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def period_dict(p: AssessmentPeriod, released: dict, own: dict) -> dict:
    body = {
        "slug": p.slug,
        "period": p.period.as_dict(),
        "title": str(p.period),
        "rubric": {"id": p.rubric_id, "title": str(p.rubric)},
        "deadline": p.deadline.isoformat(),
        "status": p.status,
        "released_at": _iso(released[p.period].released_at) if p.period in released else None,
        "board": f"/api/periods/{p.slug}/board/",
    }
    if p.slug in own:
        # office staff: the deadline that applies to their office (HQ may have moved it)
        body["office_deadline"] = own[p.slug].marks.deadline.isoformat()
    return body


def _own_deadlines(request) -> dict:
    m = membership(request.user)
    if not (m and m.office_id):
        return {}
    return {d.period.slug: d for d in office_deadlines(m.office)}


@router.get(
    "/periods/",
    response=answers({200: PeriodList}),
    exclude_unset=True,
    summary="Every period HQ opened, newest first",
)
def list_periods(request):
    """Every period HQ opened, newest first: {"items", "count", "next"}."""
    periods = AssessmentPeriod.objects.select_related("rubric").order_by(
        "-roc_year", "-start_month", "-end_month", "pk"
    )
    released = {r.period: r for r in ReviewRelease.objects.all()}
    own = _own_deadlines(request)
    return paginate(request, periods, lambda p: period_dict(p, released, own))


class OpenIn(Schema):
    model_config = example({"period": "115-1-6", "rubric": 1, "deadline": "2026-07-15"})

    period: PeriodIn | str = PeriodField
    rubric: int
    deadline: dt.date | str = Field(description="ISO, or the ROC date 「115 年 7 月 15 日」")


@router.post(
    "/periods/",
    response=answers({201: OpenedOut}, 400, 403, 404, 409),
    summary="Open a period: a draft assessment for every active office",
)
@refusals
def open_period(request, payload: OpenIn):
    rubric = published_rubrics().filter(pk=payload.rubric).first()
    if rubric is None:
        raise DomainError(f"找不到評分表 {payload.rubric}", where="rubric")
    row, created = domain.open_period(
        period=_period(payload.period), rubric=rubric, deadline=payload.deadline, user=request.user
    )
    body = period_dict(row, {}, {})
    body["created"] = [{"id": a.pk, "office": a.office.name} for a in created]
    return Status(201, body)


def _hq_period(request, slug: str) -> AssessmentPeriod:
    if not can_review(request.user):
        raise Http404
    return period_for(slug)


def board_row(r) -> dict:
    return {
        "office": r.office.name,
        "office_code": r.office.code,
        "region": r.office.region,
        "assessment": r.assessment.pk if r.assessment else None,
        "status": r.status,
        "label": r.label,
        "waiting_on": r.waiting_on.value if r.waiting_on else None,
        "since": _iso(r.since),
        "deadline": r.marks.deadline.isoformat(),
        "deadline_reason": r.override.reason if r.override else None,
        "submitted_at": _iso(r.marks.submitted_at),
        "overdue": r.marks.overdue,
        "late": r.marks.late,
        "accepted_at": _iso(r.acceptance.accepted_at) if r.acceptance else None,
    }


@router.get(
    "/periods/{slug}/board/",
    response=answers({200: BoardOut}, 400, 404),
    summary="The submission board: one row per active office (HQ)",
)
def period_board(request, slug: str, status: str = "", region: str = ""):
    """One row per active office (overdue first), a page at a time (`limit`, `offset`, as
    every list); `status` and `region` filter the rows, `counts` counts each status in the
    region."""
    row = _hq_period(request, slug)
    limit, offset = page_window(request)
    board = build_board(
        row, user=request.user, status=status, region=region, limit=limit, offset=offset
    )
    items = [board_row(r) for r in board.rows]
    released = {r.period: r for r in ReviewRelease.objects.filter(**row.period.as_dict())}
    following = None
    if offset + limit < board.total:
        query = request.GET.copy()
        query["offset"], query["limit"] = str(offset + limit), str(limit)
        following = f"{request.path}?{urlencode(sorted(query.items()))}"
    return {
        "period": period_dict(row, released, {}),
        "counts": {value: n for value, _, n in board.counts},
        "items": items,
        "count": board.total,
        "next": following,
    }


class DeadlineIn(Schema):
    model_config = example(
        {"deadline": "2025-07-31", "reason": "颱風停班"},
        {"deadline": "2025-07-31", "reason": "颱風停班", "office": "台東區營業處"},
    )

    deadline: dt.date | str
    reason: str
    office: str | None = None  # name, short name or code; none: every office


@router.post(
    "/periods/{slug}/deadline/",
    response=answers({200: DeadlineOut}, 400, 403, 404, 409),
    summary="Move the deadline of every office, or of one",
)
@refusals
def move_deadline(request, slug: str, payload: DeadlineIn):
    row = _hq_period(request, slug)
    office = find_office(payload.office) if payload.office else None
    new = domain.move_deadline(
        period=row,
        deadline=payload.deadline,
        reason=payload.reason,
        user=request.user,
        office=office,
    )
    return {
        "slug": row.slug,
        "office": office.name if office else None,
        "deadline": new.isoformat(),
        "period_deadline": row.deadline.isoformat(),
    }


@router.post(
    "/periods/{slug}/close/",
    response=answers({200: ClosedOut}, 400, 403, 404, 409),
    summary="Close a period whose review is released",
)
@refusals
def close_period(request, slug: str):
    row = _hq_period(request, slug)
    domain.close_period(period=row, user=request.user)
    return {"slug": row.slug, "status": row.status, "closed_at": _iso(row.closed_at)}


@router.post(
    "/review/assessments/{assessment_id}/accept/",
    response=answers({201: AcceptedOut}, 400, 403, 404, 409),
    summary="HQ takes a submitted assessment in (受理)",
)
@refusals
def accept_submission(request, assessment_id: int):
    assessment = get_assessment_for_user(request.user, assessment_id)
    acceptance = domain.accept_submission(assessment=assessment, user=request.user)
    return Status(
        201,
        {
            "id": assessment.pk,
            "status": assessment.status,
            "accepted_at": acceptance.accepted_at.isoformat(),
        },
    )


class ReturnIn(Schema):
    model_config = example({"reason": "資料不全"})

    reason: str


@router.post(
    "/review/assessments/{assessment_id}/return/",
    response=answers({200: StatusOut}, 400, 403, 404, 409),
    summary="HQ returns a submitted assessment to the office (退回)",
)
@refusals
def return_submission(request, assessment_id: int, payload: ReturnIn):
    assessment = get_assessment_for_user(request.user, assessment_id)
    domain.return_submission(assessment=assessment, user=request.user, reason=payload.reason)
    return {"id": assessment.pk, "status": assessment.status}
