"""HQ's rubric pages (/hq/rubrics/…): start a year's rubric from an earlier one, edit the
draft's grid, publish; a published rubric changes by a new version. Plain forms (PRG); every
change goes through programs.domain.rubric_drafts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from servplan.assessments.models import Assessment
from servplan.core.errors import DomainError
from servplan.core.parsing import parse_version, parse_whole
from servplan.core.roc import to_roc_year
from servplan.programs.access import get_rubric_for_hq, require_hq
from servplan.programs.domain import rubric_drafts, rubric_spec
from servplan.programs.lookups import published_rubrics
from servplan.programs.models import Publication, Rubric
from servplan.programs.rubric_form import grid_of, spec_from_grid, typed_grid
from servplan.programs.views import refusal_status


@login_required
def rubric_list(request):
    require_hq(request.user)
    offered = set(published_rubrics().values_list("pk", flat=True))
    rubrics = Rubric.objects.select_related("office").annotate(
        in_use=Exists(Assessment.objects.filter(rubric=OuterRef("pk")))
    )
    rows = []
    for r in rubrics.order_by("-roc_year", "title", "-version"):
        state = "draft" if r.is_draft else "current" if r.pk in offered else "superseded"
        rows.append((r, state))
    return render(request, "programs/rubric_list.html", {"rows": rows})


def _new_form(request, *, values: dict, error: str = "", status: int = 200):
    sources = published_rubrics().filter(office__isnull=True).order_by("-roc_year", "title")
    return render(
        request,
        "programs/rubric_new.html",
        {"values": values, "sources": sources, "error": error},
        status=status,
    )


@login_required
def rubric_new(request):
    """The form to start a year's rubric from an earlier one."""
    require_hq(request.user)
    last = Rubric.objects.order_by("-roc_year").first()
    year = last.roc_year + 1 if last else to_roc_year(timezone.localdate().year) + 1
    return _new_form(request, values={"roc_year": year, "source": "", "title": ""})


@login_required
@require_POST
def rubric_start(request):
    require_hq(request.user)
    values = {k: request.POST.get(k, "") for k in ("roc_year", "source", "title")}
    try:
        source_id = parse_whole(values["source"], label="沿用的評分表", where="source")
        source = published_rubrics().filter(pk=source_id).first() if source_id else None
        if source_id and source is None:
            raise DomainError("找不到要沿用的評分表", where="source")
        rubric = rubric_drafts.start_rubric(
            user=request.user, roc_year=values["roc_year"], source=source, title=values["title"]
        )
    except DomainError as exc:
        return _new_form(request, values=values, error=exc.message, status=refusal_status(exc))
    messages.success(request, f"已建立{rubric}，請編修後發布")
    return redirect("rubric-edit", rubric.pk)


def _page(request, rubric: Rubric, *, grid=None, error: str = "", failed: str = "", status=200):
    newest = published_rubrics().filter(pk=rubric.pk).exists()
    pending = rubric.revisions.filter(status=Publication.DRAFT).first()
    return render(
        request,
        "programs/rubric_edit.html",
        {
            "rubric": rubric,
            "grid": grid or grid_of(rubric_spec(rubric)),
            "error": error,
            "failed": failed,
            "can_revise": newest and pending is None,
            "pending": pending,
            "in_use": rubric.is_frozen,
        },
        status=status,
    )


@login_required
def rubric_edit(request, pk: int):
    return _page(request, get_rubric_for_hq(request.user, pk))


@login_required
@require_POST
def rubric_save(request, pk: int):
    rubric = get_rubric_for_hq(request.user, pk)
    grid = None
    try:
        grid = typed_grid(request.POST)
        rubric_drafts.update_rubric(
            user=request.user,
            rubric=rubric,
            spec=spec_from_grid(grid, roc_year=rubric.roc_year),
            expected_revision=parse_version(request.POST.get("revision")),
        )
    except DomainError as exc:
        return _page(
            request, rubric, grid=grid, error=exc.message, failed="save", status=refusal_status(exc)
        )
    messages.success(request, "已儲存評分表")
    return redirect("rubric-edit", rubric.pk)


@login_required
@require_POST
def rubric_publish(request, pk: int):
    rubric = get_rubric_for_hq(request.user, pk)
    try:
        rubric_drafts.publish_rubric(
            user=request.user,
            rubric=rubric,
            reason=request.POST.get("reason", ""),
            expected_revision=parse_version(request.POST.get("revision")),
        )
    except DomainError as exc:
        return _page(
            request, rubric, error=exc.message, failed="publish", status=refusal_status(exc)
        )
    messages.success(request, f"已發布{rubric.title}，各區營業處建立自行考核時可選用")
    return redirect("rubric-edit", rubric.pk)


@login_required
@require_POST
def rubric_new_version(request, pk: int):
    rubric = get_rubric_for_hq(request.user, pk)
    try:
        draft = rubric_drafts.new_rubric_version(user=request.user, rubric=rubric)
    except DomainError as exc:
        return _page(request, rubric, error=exc.message, status=refusal_status(exc))
    messages.success(request, f"已建立第 {draft.version} 版草稿；發布時請說明修訂理由")
    return redirect("rubric-edit", draft.pk)
