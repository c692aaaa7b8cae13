"""Plan endpoints."""

from ninja import Router

from servplan.plans.access import get_plan_for_user, visible_plans
from servplan.plans.serializers import plan_to_dict, plans_for_export

router = Router(tags=["plans"])


@router.get("/plans/")
def list_plans(request):
    return [plan_to_dict(p) for p in visible_plans(request.user, plans_for_export())]


@router.get("/plans/{plan_id}/")
def get_plan(request, plan_id: int):
    return plan_to_dict(get_plan_for_user(request.user, plan_id, plans_for_export()))
