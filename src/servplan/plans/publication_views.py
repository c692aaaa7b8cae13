"""Publishing a plan from its page: the same domain functions as the API (plans.publication)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from servplan.core.errors import DomainError
from servplan.plans.access import get_plan_for_user
from servplan.plans.publication import publish_plan, unpublish_plan


def _act(request, pk: int, action, done: str):
    plan = get_plan_for_user(request.user, pk)
    try:
        action(plan)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("plan-detail", pk)


@login_required
@require_POST
def publish(request, pk: int):
    return _act(
        request,
        pk,
        lambda plan: publish_plan(plan=plan, user=request.user),
        "已公開於公開資訊網頁",
    )


@login_required
@require_POST
def unpublish(request, pk: int):
    return _act(
        request,
        pk,
        lambda plan: unpublish_plan(
            plan=plan, user=request.user, reason=request.POST.get("reason", "")
        ),
        "已自公開資訊網頁撤下",
    )
