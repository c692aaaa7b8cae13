"""The reviewer aids page of a period and HQ's list of typos it reads. HQ's and admins'
only (404 for everyone else); changes to the list go through servplan.periods.domain."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from servplan.assessments.domain import Conflict
from servplan.core.errors import DomainError
from servplan.periods import domain
from servplan.periods.aids import EXPLAIN, GAP_SHARE, build_aids
from servplan.periods.models import TypoCorrection
from servplan.periods.views import _hq_only, period_for


@login_required
def aids(request, slug: str):
    _hq_only(request)
    period = period_for(slug)
    return render(
        request,
        "periods/aids.html",
        {
            "a": build_aids(period, user=request.user),
            "p": period,
            "explain": EXPLAIN,
            "gap_share": GAP_SHARE,
        },
    )


def _typos(request, *, error: str = "", typed: dict | None = None, status: int = 200):
    return render(
        request,
        "periods/typos.html",
        {"entries": TypoCorrection.objects.all(), "error": error, "typed": typed or {}},
        status=status,
    )


@login_required
def typo_list(request):
    _hq_only(request)
    return _typos(request)


@login_required
@require_POST
def typo_add(request):
    _hq_only(request)
    typed = {k: request.POST.get(k, "") for k in ("wrong", "right", "note")}
    try:
        entry = domain.add_typo(**typed, user=request.user)
    except DomainError as exc:
        status = 409 if isinstance(exc, Conflict) else 400
        return _typos(request, error=exc.message, typed=typed, status=status)
    messages.success(request, f"已加入「{entry.wrong} → {entry.right}」")
    return redirect("period-typos")


@login_required
@require_POST
def typo_retire(request, pk: int):
    _hq_only(request)
    entry = get_object_or_404(TypoCorrection, pk=pk)
    try:
        domain.retire_typo(entry=entry, user=request.user)
        messages.success(request, f"已停用「{entry.wrong}」")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("period-typos")
