"""HQ's period pages: the list with 「開放考核期間」, the submission board, deadlines, closing;
and HQ's 受理 / 退回 of one submission. Every change goes through servplan.periods.domain."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from servplan.assessments.access import can_review, get_assessment_for_user, visible_assessments
from servplan.assessments.domain import Conflict
from servplan.core.errors import DomainError
from servplan.core.listing import PAGE_SIZE
from servplan.core.parsing import parse_whole
from servplan.core.roc import RocError, format_date, parse_period
from servplan.offices.models import Office
from servplan.periods import domain
from servplan.periods.board import STATUSES, build_board
from servplan.periods.models import AssessmentPeriod
from servplan.programs.lookups import published_rubrics
from servplan.review.models import ReviewRelease


def _hq_only(request) -> None:
    """Period pages are HQ's: 404 for everyone else, as for anything one may not see."""
    if not can_review(request.user):
        raise Http404


def period_for(slug: str) -> AssessmentPeriod:
    """The opened period named 「115-1-6」, or 404."""
    try:
        period = parse_period(slug)
    except (RocError, DomainError):
        raise Http404("找不到此考核期間") from None
    row = AssessmentPeriod.objects.filter(**period.as_dict()).select_related("rubric").first()
    if row is None:
        raise Http404("找不到此考核期間")
    return row


def _status(error: DomainError) -> int:
    return 409 if isinstance(error, Conflict) else 400


def _list(request, *, error: str = "", typed: dict | None = None, status: int = 200):
    periods = list(AssessmentPeriod.objects.select_related("rubric"))
    released = {r.period: r for r in ReviewRelease.objects.all()}
    return render(
        request,
        "periods/period_list.html",
        {
            "rows": [(p, released.get(p.period)) for p in periods],
            "rubrics": published_rubrics()
            .filter(office__isnull=True)
            .order_by("-roc_year", "-version"),
            "error": error,
            "typed": typed or {},
        },
        status=status,
    )


@login_required
def period_list(request):
    _hq_only(request)
    return _list(request)


@login_required
@require_POST
def period_open(request):
    """「開放考核期間」: period, rubric, deadline from the list page's form."""
    _hq_only(request)
    typed = {k: request.POST.get(k, "") for k in ("period", "rubric", "deadline")}
    try:
        try:
            period = parse_period(typed["period"])
        except RocError as exc:
            raise DomainError(str(exc), where="period") from None
        rubric_id = parse_whole(typed["rubric"], label="評分表", where="rubric")
        rubric = published_rubrics().filter(pk=rubric_id).first() if rubric_id else None
        if rubric is None:
            raise DomainError("請選擇評分表", where="rubric")
        row, created = domain.open_period(
            period=period, rubric=rubric, deadline=typed["deadline"], user=request.user
        )
    except DomainError as exc:
        return _list(request, error=exc.message, typed=typed, status=_status(exc))
    messages.success(request, f"已開放 {row.period}，建立 {len(created)} 份自行考核草稿")
    return redirect("period-board", row.slug)


def board_page(request, row: AssessmentPeriod):
    """The board's `?page=` (PAGE_SIZE rows, overdue first) and its pager: a page number
    that names nothing shows the nearest page, as the lists do (core.listing.page_of)."""
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    filters = {"status": request.GET.get("status", ""), "region": request.GET.get("region", "")}
    board = build_board(
        row, user=request.user, **filters, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
    )
    last = max(1, -(-board.total // PAGE_SIZE))
    if number > last:
        number = last
        board = build_board(
            row, user=request.user, **filters, limit=PAGE_SIZE, offset=(last - 1) * PAGE_SIZE
        )
    page = Paginator(range(board.total), PAGE_SIZE).get_page(number)
    query = request.GET.copy()
    query.pop("page", None)
    page.keep = query.urlencode()
    return board, page


def _board(request, row: AssessmentPeriod, *, error: str = "", status: int = 200):
    from servplan.periods.export_views import panel_context

    board, page = board_page(request, row)
    return render(
        request,
        "periods/period_board.html",
        {
            "board": board,
            "page": page,
            "p": row,
            "statuses": STATUSES,
            "released": ReviewRelease.objects.filter(**row.period.as_dict()).first(),
            "error": error,
            **panel_context(row),
        },
        status=status,
    )


@login_required
def period_board(request, slug: str):
    _hq_only(request)
    return _board(request, period_for(slug))


@login_required
@require_POST
def period_deadline(request, slug: str):
    """Move the deadline for every office, or (`office` chosen) for one, with a reason."""
    _hq_only(request)
    row = period_for(slug)
    try:
        office_id = parse_whole(request.POST.get("office"), label="區營業處", where="office")
        office = Office.objects.filter(pk=office_id).first() if office_id else None
        if office_id and office is None:
            raise DomainError("找不到此區營業處", where="office")
        new = domain.move_deadline(
            period=row,
            deadline=request.POST.get("deadline", ""),
            reason=request.POST.get("reason", ""),
            user=request.user,
            office=office,
        )
    except DomainError as exc:
        return _board(request, row, error=exc.message, status=_status(exc))
    who = office.name if office else "全部區營業處"
    messages.success(request, f"{who}的繳交期限已調整為 {format_date(new)}")
    return redirect("period-board", row.slug)


@login_required
@require_POST
def period_close(request, slug: str):
    _hq_only(request)
    row = period_for(slug)
    try:
        domain.close_period(period=row, user=request.user)
        messages.success(request, f"已關閉 {row.period}，本期不再變更")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("period-board", row.slug)


@login_required
@require_POST
def accept(request, pk: int):
    """受理 a submission, from the review page."""
    _hq_only(request)
    assessment = get_assessment_for_user(request.user, pk)
    try:
        domain.accept_submission(assessment=assessment, user=request.user)
        messages.success(request, f"已受理 {assessment}，可以開始複評")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("review-detail", pk)


@login_required
@require_POST
def return_submission(request, pk: int):
    """退回 a submission to the office with a reason, from the review page."""
    _hq_only(request)
    assessment = get_assessment_for_user(request.user, pk)
    try:
        domain.return_submission(
            assessment=assessment, user=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("review-detail", pk)
    messages.success(request, f"已退回 {assessment}，等候區營業處修正後重新送出")
    # A reviewer no longer sees a draft: back to the list unless this user still may.
    if visible_assessments(request.user).filter(pk=pk).exists():
        return redirect("review-detail", pk)
    return redirect("review-list")
