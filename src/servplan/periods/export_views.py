"""The board's 「下載整期文件」 panel: HQ starts the period ZIP, watches its progress bar
(the panel polls itself while a job is queued or running) and downloads the finished file.
HQ's and admins' only (404 for everyone else); changes go through servplan.periods.exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from servplan.core.errors import DomainError
from servplan.periods import exports
from servplan.periods.models import AssessmentPeriod
from servplan.periods.views import _hq_only, period_for


def panel_context(period: AssessmentPeriod, *, error: str = "", chosen: str = "") -> dict:
    """What periods/_exports.html shows: the newest job of each format (one query)."""
    rows = [(e, exports.EXPORT_FORMATS[e.format]) for e in exports.latest_exports(period)]
    return {
        "p": period,
        "jobs": rows,
        "formats": exports.EXPORT_FORMATS.items(),
        "chosen": chosen or "pdf",
        "active": any(e.is_active for e, _ in rows),
        "export_error": error,
    }


def _panel(request, period: AssessmentPeriod, *, status: int = 200, **context):
    return render(request, "periods/_exports.html", panel_context(period, **context), status=status)


@login_required
def export_panel(request, slug: str):
    _hq_only(request)
    return _panel(request, period_for(slug))


@login_required
@require_POST
def export_start(request, slug: str):
    """「產生 ZIP」: queue the job; htmx swaps the panel in, a plain form goes back to the
    board."""
    _hq_only(request)
    period = period_for(slug)
    fmt = request.POST.get("format", "")
    htmx = request.headers.get("HX-Request") == "true"
    try:
        exports.start_export(period=period, fmt=fmt, user=request.user)
    except DomainError as exc:
        if htmx:
            return _panel(request, period, status=400, error=exc.message, chosen=fmt)
        messages.error(request, exc.message)
        return redirect("period-board", period.slug)
    if htmx:
        return _panel(request, period, chosen=fmt)
    messages.success(request, "已開始產生 ZIP，完成後可於本頁下載")
    return redirect("period-board", period.slug)


@login_required
def export_download(request, pk: int):
    """The finished ZIP, streamed from disk."""
    return exports.download(request.user, pk)
