from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from servplan.offices.access import membership
from servplan.plans.access import can_start, get_plan_for_user, visible_plans
from servplan.plans.editor import page_context
from servplan.plans.serializers import plans_for_export


@login_required
def plan_list(request):
    plans = visible_plans(request.user).select_related("office", "program")
    m = membership(request.user)
    starts = bool(m and m.office_id and can_start(request.user, m.office))
    return render(request, "plans/plan_list.html", {"plans": plans, "can_start": starts})


@login_required
def plan_detail(request, pk: int):
    plan = get_plan_for_user(request.user, pk, plans_for_export())
    return render(request, "plans/plan_detail.html", page_context(request, plan))
