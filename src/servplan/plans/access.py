"""Who may see and change office plans (one rule, used by pages, the API and the CLI)."""

from django.db.models import QuerySet
from django.http import Http404

from servplan.offices.access import is_admin, is_clerk_of, is_hq, membership, office_id
from servplan.offices.models import Office, Role
from servplan.plans.models import OfficePlan, PlanStatus

# HQ sees a plan once the office has submitted it; drafts stay inside the office.
HQ_VISIBLE = (PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.PUBLISHED)


def visible_plans(user, queryset: QuerySet[OfficePlan] | None = None) -> QuerySet[OfficePlan]:
    """Office staff: their office's. HQ reviewers: submitted and later plans. Admins: all."""
    qs = OfficePlan.objects.all() if queryset is None else queryset
    if is_admin(user):
        return qs
    if is_hq(user):
        return qs.filter(status__in=HQ_VISIBLE)
    own = office_id(user)
    return qs.filter(office_id=own) if own else qs.none()


def get_plan_for_user(user, pk: int, queryset: QuerySet[OfficePlan] | None = None) -> OfficePlan:
    """The plan, or 404 when it doesn't exist or the user may not see it (no leaking)."""
    try:
        return visible_plans(user, queryset).get(pk=pk)
    except OfficePlan.DoesNotExist:
        raise Http404("找不到此執行計畫") from None


def can_start(user, office: Office) -> bool:
    """The office's clerk starts its plans (admins may too)."""
    return is_clerk_of(user, office)


def can_edit(user, plan: OfficePlan) -> bool:
    """Who may change the plan's sections and practices (while it is a draft)."""
    return can_start(user, plan.office)


def can_publish(user, plan: OfficePlan) -> bool:
    """Who puts the office's approved plan on the public site, and takes it down: the office's
    clerk (who keeps its web page) and its director (who approved it), or an admin."""
    if is_admin(user):
        return True
    m = membership(user)
    return bool(m and m.office_id == plan.office_id and m.role in (Role.CLERK, Role.DIRECTOR))
