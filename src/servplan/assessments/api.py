"""Assessment endpoints: the same access rules and domain functions as the pages.

Domain refusals map to HTTP: DomainError 400 (src/servplan/api.py), NotAllowed 403,
Conflict 409 with the newer values, anything the user may not see 404.
"""

import datetime as dt
import functools
from typing import Any

from django.http import JsonResponse
from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import Field

from servplan.api_schemas import answers, example
from servplan.assessments import domain
from servplan.assessments.access import (
    get_assessment_for_user,
    office_to_create_in,
    visible_assessments,
)
from servplan.assessments.api_schemas import (
    AssessmentDetail,
    AssessmentPage,
    CellSavedOut,
    DecisionOut,
    HistoryPage,
    ProblemOut,
    StatusOut,
)
from servplan.assessments.history import history_entries
from servplan.assessments.models import Status as RecordStatus
from servplan.assessments.sheet import (
    build_sheet,
    sheet_cells,
    sheet_queryset,
    sheet_review,
    sheet_to_dict,
    summary_queryset,
)
from servplan.core.errors import DomainError
from servplan.core.listing import filter_rows, paginate
from servplan.core.roc import Period, RocError, parse_period
from servplan.core.scores import to_json_number
from servplan.offices.signing import decision_json, signoff_json, waiting_json
from servplan.programs.lookups import published_rubrics

router = Router(tags=["assessments"])


def json(body, status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def refusals(view):
    """403 for NotAllowed and 409 (with the newer values) for Conflict."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except domain.NotAllowed as exc:
            return json({"detail": exc.message, "where": exc.where}, 403)
        except domain.Conflict as exc:
            return json({"detail": exc.message, "where": exc.where, "current": exc.current}, 409)

    return wrapper


def detail_dict(request, assessment) -> dict:
    """The foundation's assessment shape plus cells, sign-offs and (when visible) HQ's review."""
    from servplan.review.domain import reviews_visible

    sheet = build_sheet(assessment)
    body = sheet_to_dict(sheet)
    body["cells"] = sheet_cells(sheet)
    state = domain.chain_state(assessment)
    body["signoffs"] = [
        {
            **signoff_json(s),
            # what this signer approved: the content hash and the forms as one PDF
            "pdf": reverse("api:signed_copy", args=[assessment.pk, s.pk]) if s.pdf_sha256 else None,
            "pdf_sha256": s.pdf_sha256 or None,
        }
        for s in assessment.signoffs.select_related("user", "on_behalf_of")
    ]
    body["current_signer"] = state.current[1].value if state.current else None
    body["waiting_on"] = waiting_json(domain.waiting_on(assessment))
    # what a PATCH of assessed_on sends back as its version
    body["assessed_on_version"] = domain.date_version(assessment)
    body["reopened"] = (
        {
            "at": assessment.reopened_at.isoformat(),
            "by": assessment.reopened_by.get_username() if assessment.reopened_by else None,
            "reason": assessment.reopen_reason,
        }
        if assessment.reopened_at
        else None
    )
    if reviews_visible(request.user, assessment):
        body["review"] = sheet_review(sheet)
    return body


def _load(request, assessment_id: int):
    return get_assessment_for_user(request.user, assessment_id, sheet_queryset())


def summary_dict(a) -> dict:
    """A list row: who, when, status and totals; the sheet itself only from the detail."""
    return {
        "id": a.id,
        "office": a.office.name,
        "office_code": a.office.code,
        "region": a.office.region,
        "period": a.period.as_dict(),
        "status": a.status,
        "assessed_on": a.assessed_on.isoformat() if a.assessed_on else None,
        "total": {"max": to_json_number(a.total_max), "score": to_json_number(a.total_score)},
        "links": {
            "self": f"/api/assessments/{a.id}/",
            "history": f"/api/assessments/{a.id}/history/",
            "export": f"/api/assessments/{a.id}/export/",
        },
    }


@router.get(
    "/assessments/",
    response=answers({200: AssessmentPage}, 400),
    summary="The assessments the user may see, a page at a time (summaries)",
)
def list_assessments(request):
    """Summaries, a page at a time: {"items", "count", "next"}; `limit`/`offset` page,
    `period` (114-1-6), `status`, `office` and `region` filter."""
    rows = filter_rows(
        visible_assessments(request.user, summary_queryset()),
        request,
        statuses=RecordStatus.values,
    )
    return paginate(request, rows, summary_dict)


@router.get(
    "/assessments/{assessment_id}/",
    response=answers({200: AssessmentDetail}, 400, 404),
    exclude_unset=True,
    summary="An assessment with its cells, sign-offs and (when visible) HQ's review",
)
def get_assessment(request, assessment_id: int):
    return detail_dict(request, _load(request, assessment_id))


class PeriodIn(Schema):
    model_config = example({"roc_year": 114, "start_month": 1, "end_month": 6})

    roc_year: int
    start_month: int
    end_month: int


PeriodField = Field(description="{roc_year, start_month, end_month} or 「114-1-6」")


class CreateIn(Schema):
    model_config = example(
        {"office": "台東區營業處", "rubric": 1, "period": "115-1-6", "copy_from_previous": True}
    )

    office: str
    rubric: int
    period: PeriodIn | str = PeriodField
    copy_from_previous: bool = False


def _period(value: PeriodIn | str) -> Period:
    try:
        if isinstance(value, str):
            return parse_period(value)
        return Period(value.roc_year, value.start_month, value.end_month)
    except RocError as exc:
        raise DomainError(str(exc), where="period") from exc


@router.post(
    "/assessments/",
    response=answers({201: AssessmentDetail}, 400, 403, 404, 409),
    exclude_unset=True,
    summary="Open an assessment of the user's office for a period",
)
@refusals
def create_assessment(request, payload: CreateIn):
    office = office_to_create_in(request.user, payload.office)
    rubric = published_rubrics().filter(pk=payload.rubric).first()
    if rubric is None:
        raise DomainError(f"找不到評分表 {payload.rubric}", where="rubric")
    created = domain.create_assessment(
        office=office,
        rubric=rubric,
        period=_period(payload.period),
        user=request.user,
        copy_previous=payload.copy_from_previous,
    )
    return Status(201, detail_dict(request, sheet_queryset().get(pk=created.pk)))


class AssessmentIn(Schema):
    model_config = example({"assessed_on": "2025-07-01", "version": 1})

    assessed_on: dt.date | None = None
    version: int


@router.patch(
    "/assessments/{assessment_id}/",
    response=answers({200: AssessmentDetail}, 400, 403, 404, 409),
    exclude_unset=True,
    summary="Set the draft's 考核日期",
)
@refusals
def patch_assessment(request, assessment_id: int, payload: AssessmentIn):
    """The draft's 考核日期 (ISO; null clears it), with `version` as the detail gives it."""
    assessment = get_assessment_for_user(request.user, assessment_id)
    if "assessed_on" in payload.model_fields_set:
        domain.set_assessed_on(
            assessment=assessment,
            user=request.user,
            assessed_on=payload.assessed_on,
            expected_version=payload.version,
        )
    return detail_dict(request, _load(request, assessment_id))


class CellIn(Schema):
    model_config = example({"score": 95, "narrative": "1. 說明", "version": 1})

    score: Any = Field(None, description="a number (half points allowed), or null to clear")
    narrative: str | None = None
    version: int


@router.patch(
    "/assessments/{assessment_id}/cells/{cell_id}/",
    response=answers({200: CellSavedOut}, 400, 403, 404, 409),
    summary="Score a cell and write its narrative",
)
@refusals
def patch_cell(request, assessment_id: int, cell_id: int, payload: CellIn):
    assessment = get_assessment_for_user(request.user, assessment_id)
    cell = _cell(assessment, cell_id)
    sent = payload.model_fields_set
    domain.score_cell(
        cell_score=cell,
        score=payload.score if "score" in sent else domain.KEEP,
        narrative=payload.narrative,
        expected_version=payload.version,
        user=request.user,
    )
    return {
        "id": cell.id,
        "max": to_json_number(cell.max_score),
        "score": to_json_number(cell.score),
        "narrative": cell.narrative,
        "version": cell.version,
    }


def _cell(assessment, cell_id: int):
    from django.http import Http404

    cell = (
        assessment.cells.select_related("cell__dimension", "cell__item").filter(pk=cell_id).first()
    )
    if cell is None:
        raise Http404("找不到此評分格")
    return cell


class SubmitIn(Schema):
    model_config = example({"comment": "請核示", "assessed_on": "2025-07-01"})

    comment: str = ""
    # 考核日期 (ISO); without it an empty date becomes the day of the submit
    assessed_on: dt.date | None = None


@router.post(
    "/assessments/{assessment_id}/submit/",
    response=answers({200: AssessmentDetail}, 400, 403, 404, 409),
    exclude_unset=True,
    summary="Submit the draft into its sign-off chain",
)
@refusals
def submit(request, assessment_id: int, payload: SubmitIn | None = None):
    assessment = get_assessment_for_user(request.user, assessment_id)
    domain.submit_assessment(
        assessment=assessment,
        user=request.user,
        comment=payload.comment if payload else "",
        assessed_on=payload.assessed_on if payload else None,
    )
    return detail_dict(request, _load(request, assessment_id))


class DecisionIn(Schema):
    model_config = example({"decision": "approve", "comment": ""})

    decision: str = Field(description="approve or return")
    comment: str = ""


@router.post(
    "/assessments/{assessment_id}/signoffs/",
    response=answers({201: DecisionOut}, 400, 403, 404, 409),
    summary="Approve or return the current step of the chain",
)
@refusals
def sign_off(request, assessment_id: int, payload: DecisionIn):
    assessment = get_assessment_for_user(request.user, assessment_id)
    signoff = domain.decide(
        assessment=assessment, user=request.user, decision=payload.decision, comment=payload.comment
    )
    return Status(201, decision_json(signoff, status=assessment.status))


class ReasonIn(Schema):
    model_config = example({"reason": "補正資料"})

    reason: str


@router.post(
    "/assessments/{assessment_id}/reopen/",
    response=answers({200: StatusOut}, 400, 403, 404, 409),
    summary="HQ reopens a submitted assessment as a draft",
)
@refusals
def reopen(request, assessment_id: int, payload: ReasonIn):
    assessment = get_assessment_for_user(request.user, assessment_id)
    domain.reopen_assessment(assessment=assessment, user=request.user, reason=payload.reason)
    return {"id": assessment.id, "status": assessment.status}


@router.get(
    "/assessments/{assessment_id}/checks/",
    response=answers({200: list[ProblemOut]}, 400, 404),
    summary="The pre-submit check: errors and warnings",
)
def checks(request, assessment_id: int):
    problems = domain.check_assessment(_load(request, assessment_id))
    return [{"level": p.level, "where": p.where, "message": p.message} for p in problems]


def history_dict(e) -> dict:
    return {
        "user": e.user.get_username() if e.user else None,
        "at": e.at.isoformat(),
        "object": e.object_label,
        "field": e.field,
        "old": e.old,
        "new": e.new,
    }


@router.get(
    "/assessments/{assessment_id}/history/",
    response=answers({200: HistoryPage}, 400, 404),
    summary="The audit trail the user may read, oldest first, a page at a time",
)
def history(request, assessment_id: int):
    """The record's changes a page at a time: {"items", "count", "next"}."""
    assessment = get_assessment_for_user(request.user, assessment_id)
    return paginate(request, history_entries(assessment, user=request.user), history_dict)
