"""Plan endpoints: the same access rules and domain functions as the pages and the CLI.

Domain refusals map to HTTP as for assessments: DomainError 400 naming the field, NotAllowed
403, Conflict 409 with the newer values, anything the user may not see 404.
"""

from typing import Any

from django.http import Http404, HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from servplan.api_schemas import answers, example
from servplan.assessments.api import history_dict, refusals
from servplan.assessments.api_schemas import HistoryPage, ProblemOut
from servplan.core.errors import DomainError
from servplan.core.listing import filter_rows, paginate
from servplan.offices.domain import find_office
from servplan.offices.signing import decision_json, signoff_json, waiting_json
from servplan.plans import domain, history
from servplan.plans.access import can_start, get_plan_for_user, visible_plans
from servplan.plans.api_schemas import (
    PlanDecisionOut,
    PlanDetail,
    PlanOut,
    PlanPage,
    PlanStatusOut,
    PracticeOut,
    SectionsOut,
    StrategyOut,
    StrategyTreeOut,
)
from servplan.plans.checks import check_plan
from servplan.plans.models import OfficePlan, PlanStatus
from servplan.plans.serializers import (
    plan_sections,
    plan_to_dict,
    plans_for_export,
    practice_to_dict,
    strategy_to_dict,
)
from servplan.plans.signing import plan_chain_state, plan_waiting_on
from servplan.programs.models import Facet, Measure, Practice, Strategy

router = Router(tags=["plans"])


def _load(request, plan_id: int):
    return get_plan_for_user(request.user, plan_id, plans_for_export())


def detail_dict(plan) -> dict:
    """The plan's shape plus its sign-off chain: the sign-offs, each step, whose turn it is
    and whom the plan waits on since when (load it with plans_for_export())."""
    rows = list(plan.signoffs.all())
    state = plan_chain_state(plan, rows)
    body = plan_to_dict(plan)
    body["signoffs"] = [signoff_json(s) for s in rows]
    body["chain"] = [
        {"position": step["position"], "role": step["role"].value, "current": step["current"]}
        for step in state.steps
    ]
    body["current_signer"] = state.current[1].value if state.current else None
    body["waiting_on"] = waiting_json(plan_waiting_on(plan, rows))
    body["reopened"] = (
        {
            "at": plan.reopened_at.isoformat(),
            "by": plan.reopened_by.get_username() if plan.reopened_by else None,
            "reason": plan.reopen_reason,
        }
        if plan.reopened_at
        else None
    )
    return body


def _practice(plan, practice_id: int) -> Practice:
    practice = (
        Practice.objects.select_related("measure__strategy")
        .filter(pk=practice_id, measure__strategy__facet__outline=plan.outline_id)
        .first()
    )
    if practice is None:
        raise Http404("找不到此具體作法")
    return practice


def _strategy(plan, strategy_id: int) -> Strategy:
    strategy = Strategy.objects.filter(pk=strategy_id, facet__outline=plan.outline_id).first()
    if strategy is None:
        raise Http404("找不到此執行策略")
    return strategy


def plan_summary(plan) -> dict:
    """A list row; the plan's tree (sections, facets, practices) only from the detail."""
    return {
        "id": plan.id,
        "office": plan.office.name,
        "office_code": plan.office.code,
        "region": plan.office.region,
        "roc_year": plan.roc_year,
        "title": plan.title,
        "status": plan.status,
        "approved_on": plan.approved_on.isoformat() if plan.approved_on else None,
        "links": {
            "self": f"/api/plans/{plan.id}/",
            "history": f"/api/plans/{plan.id}/history/",
            "export": f"/api/plans/{plan.id}/export/",
        },
    }


@router.get(
    "/plans/",
    response=answers({200: PlanPage}, 400),
    summary="The plans the user may see, a page at a time (summaries)",
)
def list_plans(request):
    """Summaries, a page at a time: {"items", "count", "next"}; `limit`/`offset` page,
    `roc_year`, `status`, `office` and `region` filter."""
    rows = visible_plans(
        request.user,
        OfficePlan.objects.select_related("office").order_by("-roc_year", "office__position", "pk"),
    )
    rows = filter_rows(rows, request, statuses=PlanStatus.values, period=False)
    return paginate(request, rows, plan_summary)


class StartIn(Schema):
    model_config = example({"office": "苗栗區營業處", "roc_year": 115, "start_from": "last-year"})

    office: str = ""
    roc_year: Any = Field(None, description="民國年 (100 to next year)")
    start_from: str = Field("program", description="program or last-year")


@router.post(
    "/plans/",
    response=answers({201: PlanOut}, 400, 403, 404, 409),
    summary="Start a plan for an office and year, from HQ's program or last year's plan",
)
@refusals
def start_plan(request, payload: StartIn):
    # Another office's name answers as an unknown one: which offices exist is not the point,
    # and a refusal must not differ from "not found".
    if not payload.office.strip():
        raise DomainError("請指定區營業處", where="office")
    try:
        office = find_office(payload.office)
    except DomainError:
        raise Http404("找不到此區營業處") from None
    if not can_start(request.user, office):
        raise Http404("找不到此區營業處")
    plan = domain.start_plan(
        office=office,
        roc_year=payload.roc_year,
        start_from=payload.start_from,
        user=request.user,
    )
    return Status(201, plan_to_dict(plans_for_export().get(pk=plan.pk)))


@router.get(
    "/plans/{plan_id}/",
    response=answers({200: PlanDetail}, 400, 404),
    summary="A plan with its tree and its sign-off chain",
)
def get_plan(request, plan_id: int):
    return detail_dict(_load(request, plan_id))


class SectionsIn(Schema):
    model_config = example(
        {"goals": "提升服務品質", "steps": ["一、訂定計畫", "二、執行"], "version": 1}
    )

    basis: str | None = None
    goals: str | None = None
    targets: str | None = None
    steps: list[str] | None = None
    supplementary: str | None = None
    version: int


@router.patch(
    "/plans/{plan_id}/",
    response=answers({200: SectionsOut}, 400, 403, 404, 409),
    summary="Edit the plan's sections (壹 to 陸)",
)
@refusals
def patch_plan(request, plan_id: int, payload: SectionsIn):
    plan = get_plan_for_user(request.user, plan_id)
    domain.update_plan_sections(
        plan=plan,
        user=request.user,
        basis=payload.basis,
        goals=payload.goals,
        targets=payload.targets,
        steps=payload.steps,
        supplementary=payload.supplementary,
        expected_version=payload.version,
    )
    return plan_sections(plan)


@router.get(
    "/plans/{plan_id}/checks/",
    response=answers({200: list[ProblemOut]}, 400, 404),
    summary="The pre-submit check of a plan",
)
def plan_checks(request, plan_id: int):
    return [
        {"level": p.level, "where": p.where, "message": p.message}
        for p in check_plan(_load(request, plan_id))
    ]


class NewStrategyIn(Schema):
    model_config = example({"facet": 1, "name": "強化數位服務"})

    facet: int
    name: str


@router.post(
    "/plans/{plan_id}/strategies/",
    response=answers({201: StrategyTreeOut}, 400, 403, 404, 409),
    summary="Add one of the office's own strategies to a facet",
)
@refusals
def add_strategy(request, plan_id: int, payload: NewStrategyIn):
    plan = get_plan_for_user(request.user, plan_id)
    facet = Facet.objects.filter(pk=payload.facet).first()
    if facet is None:
        raise DomainError(f"找不到面向 {payload.facet}", where="facet")
    strategy = domain.add_strategy(plan=plan, facet=facet, user=request.user, name=payload.name)
    return Status(
        201,
        {
            **strategy_to_dict(strategy),
            "measures": [
                {"id": m.id, "name": m.name, "practices": []} for m in strategy.measures.all()
            ],
        },
    )


class StrategyIn(Schema):
    model_config = example({"name": "強化數位服務", "version": 1})

    name: str
    version: int


@router.patch(
    "/plans/{plan_id}/strategies/{strategy_id}/",
    response=answers({200: StrategyOut}, 400, 403, 404, 409),
    summary="Rename one of the office's own strategies",
)
@refusals
def patch_strategy(request, plan_id: int, strategy_id: int, payload: StrategyIn):
    strategy = _strategy(get_plan_for_user(request.user, plan_id), strategy_id)
    return strategy_to_dict(
        domain.rename_strategy(
            strategy=strategy,
            user=request.user,
            name=payload.name,
            expected_version=payload.version,
        )
    )


@router.delete(
    "/plans/{plan_id}/strategies/{strategy_id}/",
    response=answers({204: None}, 400, 403, 404, 409),
    summary="Remove one of the office's own strategies with its practices",
)
@refusals
def delete_strategy(request, plan_id: int, strategy_id: int):
    strategy = _strategy(get_plan_for_user(request.user, plan_id), strategy_id)
    domain.remove_strategy(strategy=strategy, user=request.user)
    return HttpResponse(status=204)


class NewPracticeIn(Schema):
    model_config = example(
        {
            "measure": 1,
            "text": "推廣電子帳單",
            "departments": ["業務組"],
            "period": "1~12 月",
            "target": "",
        }
    )

    measure: int
    text: str
    departments: list[str] = []
    period: str = ""
    target: str = ""


@router.post(
    "/plans/{plan_id}/practices/",
    response=answers({201: PracticeOut}, 400, 403, 404, 409),
    summary="Add a practice to a sub-strategy",
)
@refusals
def add_practice(request, plan_id: int, payload: NewPracticeIn):
    plan = get_plan_for_user(request.user, plan_id)
    measure = Measure.objects.select_related("strategy").filter(pk=payload.measure).first()
    if measure is None:
        raise DomainError(f"找不到子策略 {payload.measure}", where="measure")
    practice = domain.add_practice(
        plan=plan,
        measure=measure,
        user=request.user,
        text=payload.text,
        departments=payload.departments,
        period=payload.period,
        target=payload.target,
    )
    return Status(201, practice_to_dict(practice))


class PracticeIn(Schema):
    model_config = example(
        {"target": "每季 1 場", "version": 1},
        {"not_applicable": True, "reason": "本處無此業務", "version": 1},
    )

    text: str | None = None
    departments: list[str] | None = None
    period: str | None = None
    target: str | None = None
    not_applicable: bool | None = None
    reason: str = ""
    version: int


@router.patch(
    "/plans/{plan_id}/practices/{practice_id}/",
    response=answers({200: PracticeOut}, 400, 403, 404, 409),
    summary="Edit a practice, or mark it 不適用 (or applicable again)",
)
@refusals
def patch_practice(request, plan_id: int, practice_id: int, payload: PracticeIn):
    practice = _practice(get_plan_for_user(request.user, plan_id), practice_id)
    edits = {
        name: getattr(payload, name)
        for name in ("text", "departments", "period", "target")
        if getattr(payload, name) is not None
    }
    if payload.not_applicable is None:
        practice = domain.update_practice(
            practice=practice, user=request.user, expected_version=payload.version, **edits
        )
    elif edits:
        raise DomainError("標示不適用與修改內容請分開送出", where="not_applicable")
    elif payload.not_applicable:
        practice = domain.mark_not_applicable(
            practice=practice,
            user=request.user,
            reason=payload.reason,
            expected_version=payload.version,
        )
    else:
        practice = domain.mark_applicable(
            practice=practice, user=request.user, expected_version=payload.version
        )
    return practice_to_dict(practice)


@router.delete(
    "/plans/{plan_id}/practices/{practice_id}/",
    response=answers({204: None}, 400, 403, 404, 409),
    summary="Remove one of the office's own practices",
)
@refusals
def delete_practice(request, plan_id: int, practice_id: int):
    practice = _practice(get_plan_for_user(request.user, plan_id), practice_id)
    domain.remove_practice(practice=practice, user=request.user)
    return HttpResponse(status=204)


class MoveIn(Schema):
    model_config = example({"direction": "up"})

    direction: str = Field(description="up or down")


@router.post(
    "/plans/{plan_id}/practices/{practice_id}/move/",
    response=answers({200: PracticeOut}, 400, 403, 404, 409),
    summary="Move a practice up or down",
)
@refusals
def move_practice(request, plan_id: int, practice_id: int, payload: MoveIn):
    practice = _practice(get_plan_for_user(request.user, plan_id), practice_id)
    return practice_to_dict(
        domain.move_practice(practice=practice, user=request.user, direction=payload.direction)
    )


# ---- the sign-off chain: as for assessments (same payloads, shapes and statuses) --------------


class SubmitIn(Schema):
    model_config = example({"comment": "請核示"})

    comment: str = ""


@router.post(
    "/plans/{plan_id}/submit/",
    response=answers({200: PlanDetail}, 400, 403, 404, 409),
    summary="Submit the draft plan into its sign-off chain",
)
@refusals
def submit_plan(request, plan_id: int, payload: SubmitIn | None = None):
    plan = get_plan_for_user(request.user, plan_id)
    domain.submit_plan(plan=plan, user=request.user, comment=payload.comment if payload else "")
    return detail_dict(_load(request, plan_id))


class DecisionIn(Schema):
    model_config = example({"decision": "approve", "comment": ""})

    decision: str
    comment: str = ""


@router.post(
    "/plans/{plan_id}/signoffs/",
    response=answers({201: PlanDecisionOut}, 400, 403, 404, 409),
    summary="Approve or return the plan's current step",
)
@refusals
def sign_plan(request, plan_id: int, payload: DecisionIn):
    plan = get_plan_for_user(request.user, plan_id)
    signoff = domain.sign_plan(
        plan=plan, user=request.user, decision=payload.decision, comment=payload.comment
    )
    answer = decision_json(signoff, status=plan.status)
    answer["approved_on"] = plan.approved_on.isoformat() if plan.approved_on else None
    return Status(201, answer)


class ReasonIn(Schema):
    model_config = example({"reason": "補正"})

    reason: str


@router.post(
    "/plans/{plan_id}/reopen/",
    response=answers({200: PlanStatusOut}, 400, 403, 404, 409),
    summary="HQ reopens an approved plan as a draft",
)
@refusals
def reopen_plan(request, plan_id: int, payload: ReasonIn):
    plan = get_plan_for_user(request.user, plan_id)
    domain.reopen_plan(plan=plan, user=request.user, reason=payload.reason)
    return {"id": plan.id, "status": plan.status}


@router.get(
    "/plans/{plan_id}/history/",
    response=answers({200: HistoryPage}, 400, 404),
    summary="The plan's audit trail, oldest first, a page at a time",
)
def plan_history(request, plan_id: int):
    """The plan's changes a page at a time: {"items", "count", "next"}."""
    plan = get_plan_for_user(request.user, plan_id)
    return paginate(request, history.plan_history(plan), history_dict)
