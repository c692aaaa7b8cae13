"""HQ review pages (複評). Every change goes through servplan.review.domain."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from servplan.assessments.access import can_review, get_assessment_for_user, visible_assessments
from servplan.assessments.models import CellScore, Status
from servplan.assessments.sheet import build_sheet, sheet_queryset
from servplan.core.errors import DomainError
from servplan.core.parsing import parse_version
from servplan.core.roc import Period, RocError, parse_period
from servplan.review import domain
from servplan.review.models import ReviewRelease


def _hq_only(request) -> None:
    """Review pages do not exist for anyone but HQ (404, as for anything one may not see)."""
    if not can_review(request.user):
        raise Http404


@login_required
def review_list(request):
    _hq_only(request)
    assessments = (
        visible_assessments(request.user)
        .filter(status__in=[Status.SUBMITTED, Status.REVIEWED])
        .select_related("office", "rubric")
    )
    released = {r.period: r for r in ReviewRelease.objects.all()}
    periods = defaultdict(list)
    for a in assessments:
        periods[a.period].append(a)
    return render(
        request,
        "review/review_list.html",
        {
            "periods": [
                {"period": p, "assessments": rows, "release": released.get(p)}
                for p, rows in sorted(periods.items(), reverse=True)
            ]
        },
    )


@login_required
def review_detail(request, pk: int):
    _hq_only(request)
    assessment = get_assessment_for_user(request.user, pk, sheet_queryset())
    return render(
        request,
        "review/review_detail.html",
        {
            "a": assessment,
            "sheet": build_sheet(assessment),
            "editable": assessment.status == Status.SUBMITTED,
        },
    )


@login_required
@require_POST
def review_cell(request, pk: int, cell_id: int):
    """HTMX: save one cell's review; answer its message plus the new difference and totals."""
    _hq_only(request)
    assessment = get_assessment_for_user(request.user, pk)
    cell = get_object_or_404(
        CellScore.objects.select_related("cell__dimension", "cell__item"),
        pk=cell_id,
        assessment=assessment,
    )
    status, error = 200, ""
    try:
        domain.review_cell(
            cell_score=cell,
            user=request.user,
            score=request.POST.get("review_score", ""),
            comment=request.POST.get("review_comment"),
            expected_version=parse_version(request.POST.get("version")),
        )
    except DomainError as exc:
        status, error = (409 if exc.__class__.__name__ == "Conflict" else 400), exc.message
    sheet = build_sheet(sheet_queryset().get(pk=pk))
    return render(
        request,
        "review/_review_saved.html",
        {"c": cell, "sheet": sheet, "error": error},
        status=status,
    )


@login_required
@require_POST
def mark_reviewed(request, pk: int):
    _hq_only(request)
    assessment = get_assessment_for_user(request.user, pk)
    try:
        domain.mark_reviewed(assessment=assessment, user=request.user)
        messages.success(request, f"{assessment} 已完成複評")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("review-detail", pk)
    return redirect("review-list")


@login_required
@require_POST
def release(request):
    _hq_only(request)
    try:
        period: Period = parse_period(request.POST.get("period", ""))
        domain.release_reviews(period=period, user=request.user)
        messages.success(request, f"已公布 {period} 的複評結果")
    except (DomainError, RocError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("review-list")
