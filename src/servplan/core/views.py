from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from servplan.assessments.standing import todo_for
from servplan.offices.access import membership
from servplan.offices.models import Role
from servplan.plans.access import visible_plans
from servplan.plans.models import PlanStatus


@login_required
def home(request):
    """待辦事項: what waits for the person, by role, in a fixed number of queries."""
    m = membership(request.user)
    clerk = m is not None and m.role == Role.CLERK
    signer = m is not None and m.office_id is not None and not clerk
    plans = (
        visible_plans(request.user).filter(status=PlanStatus.DRAFT).select_related("office")
        if clerk
        else []
    )
    return render(
        request, "home.html", {"todo": todo_for(request.user), "plans": plans, "signer": signer}
    )
