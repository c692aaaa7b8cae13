from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from servplan.core.errors import DomainError
from servplan.core.listing import office_regions, page_of
from servplan.offices.access import is_hq, membership
from servplan.offices.models import Office
from servplan.plans import domain, history
from servplan.plans.access import can_start, get_plan_for_user, visible_plans
from servplan.plans.editor import page_context
from servplan.plans.models import PlanStatus
from servplan.plans.serializers import plans_for_export


@login_required
def plan_list(request):
    """A page of plans; GET filters 年度, 狀態 and, for HQ, 區營業處 and 地區 (a value that
    names nothing is ignored, as on the assessment list)."""
    visible = visible_plans(request.user)
    hq = is_hq(request.user)
    chosen = {key: request.GET.get(key, "") for key in ("roc_year", "status", "office", "region")}
    plans = visible.select_related("office", "program").order_by(
        "-roc_year", "office__position", "pk"
    )
    if chosen["roc_year"].isdigit():
        plans = plans.filter(roc_year=int(chosen["roc_year"]))
    else:
        chosen["roc_year"] = ""
    if chosen["status"] in PlanStatus.values:
        plans = plans.filter(status=chosen["status"])
    else:
        chosen["status"] = ""
    if hq and chosen["office"].isdigit():
        plans = plans.filter(office_id=int(chosen["office"]))
    else:
        chosen["office"] = ""
    if hq and chosen["region"]:
        plans = plans.filter(office__region=chosen["region"])
    else:
        chosen["region"] = ""
    m = membership(request.user)
    starts = bool(m and m.office_id and can_start(request.user, m.office))
    years = visible.order_by("-roc_year").values_list("roc_year", flat=True).distinct()
    offices = Office.objects.order_by("position", "name") if hq else []
    return render(
        request,
        "plans/plan_list.html",
        {
            "page": page_of(request, plans),
            "can_start": starts,
            "chosen": chosen,
            "filtered": any(chosen.values()),
            "years": list(years),
            "statuses": PlanStatus.choices,
            "offices": offices,
            "regions": office_regions() if hq else [],
        },
    )


@login_required
def plan_detail(request, pk: int):
    plan = get_plan_for_user(request.user, pk, plans_for_export())
    return render(request, "plans/plan_detail.html", page_context(request, plan))


# ---- the sign-off chain (plans/_signoffs.html): every change through plans.domain -----------


def _plan_act(request, pk: int, action) -> None:
    """Run `action(plan)` on a plan the user may see (404 otherwise); say how it went."""
    plan = get_plan_for_user(request.user, pk)
    try:
        done = action(plan)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)


def _to_chain(pk: int):
    return redirect(reverse("plan-detail", args=[pk]) + "#signoff")


@login_required
@require_POST
def plan_submit(request, pk: int):
    def act(plan):
        domain.submit_plan(plan=plan, user=request.user, comment=request.POST.get("comment", ""))
        return "已送出，等待核章"

    _plan_act(request, pk, act)
    return _to_chain(pk)


@login_required
@require_POST
def plan_signoff(request, pk: int):
    decision = request.POST.get("decision", "")

    def act(plan):
        domain.sign_plan(
            plan=plan, user=request.user, decision=decision, comment=request.POST.get("comment", "")
        )
        if decision == "return":
            return "已退回經辦"
        return "已核可，執行計畫已陳准實施" if plan.status == PlanStatus.APPROVED else "已核可"

    _plan_act(request, pk, act)
    return _to_chain(pk)


@login_required
@require_POST
def plan_reopen(request, pk: int):
    def act(plan):
        domain.reopen_plan(plan=plan, user=request.user, reason=request.POST.get("reason", ""))
        return "已重新開啟為草稿"

    _plan_act(request, pk, act)
    if visible_plans(request.user).filter(pk=pk).exists():
        return _to_chain(pk)
    return redirect("plan-list")


@login_required
@require_GET
def plan_history(request, pk: int):
    """The plan's sign-offs and its audit trail, newest first."""
    plan = get_plan_for_user(request.user, pk)
    return render(
        request,
        "plans/plan_history.html",
        {
            "plan": plan,
            "entries": history.plan_history(plan, newest_first=True),
            "signoffs": plan.signoffs.all(),
        },
    )
