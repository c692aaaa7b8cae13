"""What the public may see: only what is published now (one rule for every public page)."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from servplan.assessments.models import Status
from servplan.core.roc import Period
from servplan.plans.models import PlanStatus
from servplan.public.models import (
    PlanPublication,
    PublishedDocument,
    ResultsDocument,
    ResultsPublication,
    SearchDocument,
)
from servplan.review.models import ReviewRelease


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


def published_results() -> QuerySet[ResultsPublication]:
    """The results on the site: not taken down, of assessments still reviewed, in a period
    whose release stands (a reopen or a withdrawn release takes them off the site too)."""
    released = ReviewRelease.objects.filter(
        roc_year=OuterRef("assessment__roc_year"),
        start_month=OuterRef("assessment__start_month"),
        end_month=OuterRef("assessment__end_month"),
    )
    return ResultsPublication.objects.filter(
        Exists(released), unpublished_at__isnull=True, assessment__status=Status.REVIEWED
    )


def _results_of(office_code: str, period: Period) -> QuerySet[ResultsPublication]:
    return published_results().filter(
        assessment__office__code=office_code,
        assessment__roc_year=period.roc_year,
        assessment__start_month=period.start_month,
        assessment__end_month=period.end_month,
    )


def get_published_results(office_code: str, period: Period) -> ResultsPublication:
    """The office's published results of the period, or 404 (unpublished looks like none)."""
    found = _results_of(office_code, period).first()
    if found is None:
        raise Http404("找不到此公開的考核結果")
    return found


def get_results_document(office_code: str, period: Period, fmt: str) -> ResultsDocument:
    """One file of the published results, its bytes not loaded yet (a 304 needs the digest)."""
    found = (
        ResultsDocument.objects.filter(format=fmt, publication__in=_results_of(office_code, period))
        .select_related("publication")
        .defer("content", "publication__content")
        .first()
    )
    if found is None:
        raise Http404("找不到此公開的考核結果")
    return found


def searchable() -> QuerySet[SearchDocument]:
    """The search passages of what is public now (passages are removed when a publication is
    taken down; this also leaves out those whose record left the site another way)."""
    return SearchDocument.objects.filter(
        Q(plan_publication__in=published_plans()) | Q(results_publication__in=published_results())
    )
