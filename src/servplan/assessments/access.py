"""Which assessments a user may see (one rule, used by pages, the API and the CLI)."""

from django.db.models import QuerySet
from django.http import Http404

from servplan.assessments.models import LOCKED_STATUSES, Assessment
from servplan.offices.access import is_admin, is_hq, office_id


def visible_assessments(user, queryset: QuerySet[Assessment] | None = None) -> QuerySet[Assessment]:
    """Office staff: their office's. HQ reviewers: submitted and reviewed ones. Admins: all."""
    qs = Assessment.objects.all() if queryset is None else queryset
    if is_admin(user):
        return qs
    if is_hq(user):
        return qs.filter(status__in=LOCKED_STATUSES)
    own = office_id(user)
    return qs.filter(office_id=own) if own else qs.none()


def get_assessment_for_user(
    user, pk: int, queryset: QuerySet[Assessment] | None = None
) -> Assessment:
    """The assessment, or 404 when it doesn't exist or the user may not see it (no leaking)."""
    try:
        return visible_assessments(user, queryset).get(pk=pk)
    except Assessment.DoesNotExist:
        raise Http404("找不到此自行考核") from None
