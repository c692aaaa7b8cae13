"""What the public may see: only what is published now (one rule for every public page)."""

from django.db.models import QuerySet
from django.http import Http404

from servplan.plans.models import PlanStatus
from servplan.public.models import PlanPublication, PublishedDocument


def published_plans() -> QuerySet[PlanPublication]:
    """The publications on the site: not taken down, of plans still published."""
    return PlanPublication.objects.filter(
        unpublished_at__isnull=True, plan__status=PlanStatus.PUBLISHED
    )


def get_published_plan(office_code: str, roc_year: int) -> PlanPublication:
    """The office's published plan of the year, or 404 (a draft or an unpublished plan looks
    the same as none)."""
    found = (
        published_plans()
        .filter(plan__office__code=office_code, plan__roc_year=roc_year)
        .select_related("plan__office")
        .first()
    )
    if found is None:
        raise Http404("找不到此公開的執行計畫")
    return found


def get_published_document(office_code: str, roc_year: int, fmt: str) -> PublishedDocument:
    """One format of the published plan, its bytes not loaded yet (a 304 needs only the digest)."""
    found = (
        PublishedDocument.objects.filter(
            format=fmt,
            publication__in=published_plans().filter(
                plan__office__code=office_code, plan__roc_year=roc_year
            ),
        )
        .select_related("publication__plan__office")
        .defer("content", "publication__content")
        .first()
    )
    if found is None:
        raise Http404("找不到此公開的執行計畫")
    return found
