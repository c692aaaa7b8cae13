from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from servplan.plans.access import get_plan_for_user, visible_plans
from servplan.plans.serializers import plans_for_export


@login_required
def plan_list(request):
    plans = visible_plans(request.user).select_related("office", "program")
    return render(request, "plans/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request, pk: int):
    plan = get_plan_for_user(request.user, pk, plans_for_export())
    return render(
        request, "plans/plan_detail.html", {"plan": plan, "facets": plan.outline.facets.all()}
    )
