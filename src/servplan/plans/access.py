"""Which office plans a user may see."""

from django.db.models import QuerySet
from django.http import Http404

from servplan.offices.access import is_admin, is_clerk_of, is_hq, office_id
from servplan.plans.models import OfficePlan, PlanStatus


def visible_plans(user, queryset: QuerySet[OfficePlan] | None = None) -> QuerySet[OfficePlan]:
    """Office staff: their office's. HQ reviewers: approved and published plans. Admins: all."""
    qs = OfficePlan.objects.all() if queryset is None else queryset
    if is_admin(user):
        return qs
    if is_hq(user):
        return qs.exclude(status=PlanStatus.DRAFT)
    own = office_id(user)
    return qs.filter(office_id=own) if own else qs.none()


def get_plan_for_user(user, pk: int, queryset: QuerySet[OfficePlan] | None = None) -> OfficePlan:
    try:
        return visible_plans(user, queryset).get(pk=pk)
    except OfficePlan.DoesNotExist:
        raise Http404("找不到此執行計畫") from None


def can_create(user, office) -> bool:
    """The office's clerk starts its plans (admins may too)."""
    return is_clerk_of(user, office)
