"""The comparison page of a plan and its export: the plan page's access rule (get_plan_for_user)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.shortcuts import render

from servplan.core.errors import DomainError
from servplan.documents.comparison import export_comparison
from servplan.documents.views import file_response
from servplan.plans.access import get_plan_for_user
from servplan.plans.compare import AGAINST_LABELS, CHANGE_LABELS, compare_plan
from servplan.plans.serializers import plans_for_export


def _compared(request, pk: int):
    plan = get_plan_for_user(request.user, pk, plans_for_export())
    try:
        return plan, compare_plan(plan, against=request.GET.get("against", "program"))
    except DomainError as exc:
        raise BadRequest(exc.message) from exc


@login_required
def plan_compare(request, pk: int):
    plan, comparison = _compared(request, pk)
    return render(
        request,
        "plans/plan_compare.html",
        {
            "plan": plan,
            "comparison": comparison,
            "choices": AGAINST_LABELS,
            "counts": [(CHANGE_LABELS[k], n) for k, n in comparison.counts.items()],
        },
    )


@login_required
def plan_compare_export(request, pk: int, fmt: str):
    plan, comparison = _compared(request, pk)
    try:
        return file_response(export_comparison(plan, comparison, fmt=fmt))
    except DomainError as exc:
        raise BadRequest(exc.message) from exc
