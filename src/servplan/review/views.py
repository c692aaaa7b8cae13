"""HQ review pages (複評). Every change goes through servplan.review.domain."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from servplan.assessments.access import can_review, get_assessment_for_user, visible_assessments
from servplan.assessments.domain import Conflict
from servplan.assessments.models import CellScore, Status
from servplan.assessments.sheet import build_sheet, sheet_queryset
from servplan.core.errors import DomainError
from servplan.core.listing import office_regions, page_of
from servplan.core.parsing import parse_version
from servplan.core.roc import Period, RocError, parse_period
from servplan.offices.models import Office
from servplan.periods.rules import gate
from servplan.review import domain


def _hq_only(request) -> None:
    """Review pages do not exist for anyone but HQ (404, as for anything one may not see)."""
    if not can_review(request.user):
        raise Http404


@login_required
def review_list(request):
    """One period's submitted and reviewed assessments a page at a time (the newest period
    unless `?period=` picks another), filtered by 狀態, 區營業處 and 地區."""
    _hq_only(request)
    visible = visible_assessments(request.user).filter(
        status__in=[Status.SUBMITTED, Status.REVIEWED]
    )
    periods = [
        Period(*p)
        for p in visible.order_by("-roc_year", "-start_month", "-end_month")
        .values_list("roc_year", "start_month", "end_month")
        .distinct()
    ]
    chosen = {key: request.GET.get(key, "") for key in ("period", "status", "office", "region")}
    try:
        period = parse_period(chosen["period"]) if chosen["period"] else None
    except RocError:
        period = None
    if period not in periods:
        period = periods[0] if periods else None
    rows = visible.none()
    if period:
        rows = visible.filter(
            roc_year=period.roc_year, start_month=period.start_month, end_month=period.end_month
        )
    if chosen["status"] in (Status.SUBMITTED, Status.REVIEWED):
        rows = rows.filter(status=chosen["status"])
    else:
        chosen["status"] = ""
    if chosen["office"].isdigit():
        rows = rows.filter(office_id=int(chosen["office"]))
    else:
        chosen["office"] = ""
    if chosen["region"]:
        rows = rows.filter(office__region=chosen["region"])
    chosen["period"] = period.slug if period else ""
    rows = rows.select_related("office", "rubric").order_by("office__position", "pk")
    return render(
        request,
        "review/review_list.html",
        {
            "summary": domain.release_summary(period) if period else None,
            "page": page_of(request, rows),
            "periods": periods,
            "chosen": chosen,
            "filtered": any(chosen[key] for key in ("status", "office", "region")),
            "statuses": [(s.value, s.label) for s in (Status.SUBMITTED, Status.REVIEWED)],
            "offices": Office.objects.order_by("position", "name"),
            "regions": office_regions(),
        },
    )


def _period_or_404(slug: str) -> Period:
    try:
        return parse_period(slug)
    except (RocError, DomainError):
        raise Http404("找不到此考核期間") from None


@login_required
def release_confirm(request, period: str):
    """What releasing the period will do, before HQ does it."""
    _hq_only(request)
    summary = domain.release_summary(_period_or_404(period))
    return render(request, "review/release_confirm.html", {"summary": summary})


@login_required
def withdraw_confirm(request, period: str):
    """Withdrawing a release: what it does, and the reason to give."""
    _hq_only(request)
    summary = domain.release_summary(_period_or_404(period))
    return render(request, "review/withdraw_confirm.html", {"summary": summary})


@login_required
def review_detail(request, pk: int):
    _hq_only(request)
    assessment = get_assessment_for_user(request.user, pk, sheet_queryset())
    submitted = assessment.status == Status.SUBMITTED
    g = gate(assessment)
    return render(
        request,
        "review/review_detail.html",
        {
            "a": assessment,
            "sheet": build_sheet(assessment),
            "editable": submitted and not g.frozen and not g.needs_acceptance,
            "gate": g,
            # 受理 or 退回 first: in a period HQ opened, review starts once accepted
            "can_accept": submitted and not g.frozen and g.needs_acceptance,
            "can_return": submitted and not g.frozen,
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
        status, error = (409 if isinstance(exc, Conflict) else 400), exc.message
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


@login_required
@require_POST
def withdraw(request):
    _hq_only(request)
    period = _period_or_404(request.POST.get("period", ""))
    try:
        domain.withdraw_release(
            period=period, user=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        summary = domain.release_summary(period)
        return render(
            request,
            "review/withdraw_confirm.html",
            {"summary": summary, "error": exc.message, "reason": request.POST.get("reason", "")},
            status=409 if isinstance(exc, Conflict) else 400,
        )
    messages.success(request, f"已撤回 {period} 的複評公布，各區營業處不再看得到複評分數")
    return redirect("review-list")
