"""HQ's rubric cell mappings (評分項目對應): which rubric pairs the comparisons need, and the
page that maps one rubric's cells onto another's (names that agree are suggested). HQ's and
admins' only; saving goes through periods.domain.set_cell_mappings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from servplan.assessments.domain import Conflict
from servplan.assessments.models import LOCKED_STATUSES, Assessment
from servplan.core.errors import DomainError
from servplan.periods import domain
from servplan.periods.mapping import NO_COUNTERPART, parse_choices, rubric_cells, suggest
from servplan.periods.models import AssessmentPeriod, CellMapping
from servplan.periods.views import _hq_only
from servplan.programs.models import Rubric, RubricCell


@login_required
def mapping_list(request):
    """Every rubric a period was opened on, and every other rubric with records that reached
    HQ: how many of its cells are mapped onto it."""
    _hq_only(request)
    rubrics = {r.pk: r for r in Rubric.objects.all()}
    targets = set(AssessmentPeriod.objects.values_list("rubric_id", flat=True))
    used = set(
        Assessment.objects.filter(status__in=LOCKED_STATUSES)
        .values_list("rubric_id", flat=True)
        .distinct()
    )
    cells = dict(
        RubricCell.objects.values("dimension__rubric")
        .annotate(n=Count("id"))
        .values_list("dimension__rubric", "n")
    )
    mapped = {
        (row["source__dimension__rubric"], row["target_rubric"]): row["n"]
        for row in CellMapping.objects.values(
            "source__dimension__rubric", "target_rubric"
        ).annotate(n=Count("id"))
    }
    pairs = [
        (rubrics[s], rubrics[t], mapped.get((s, t), 0), cells.get(s, 0))
        for t in sorted(targets, key=lambda pk: -rubrics[pk].roc_year)
        for s in sorted(used | set(src for src, tgt in mapped if tgt == t))
        if s != t
    ]
    return render(request, "periods/mapping_list.html", {"pairs": pairs})


def _pair(source: int, target: int) -> tuple[Rubric, Rubric]:
    found = {r.pk: r for r in Rubric.objects.filter(pk__in=[source, target])}
    if source == target or len(found) != 2:
        raise Http404("找不到評分表")
    return found[source], found[target]


def _page(request, source: Rubric, target: Rubric, *, error: str = "", status: int = 200):
    mine, theirs = rubric_cells(source), rubric_cells(target)
    saved = {
        m.source_id: m.target_id
        for m in CellMapping.objects.filter(target_rubric=target, source__in=[c.id for c in mine])
    }
    suggested = suggest(mine, theirs)
    rows = []
    for c in mine:
        if c.id in saved:
            chosen, hint = (saved[c.id] or NO_COUNTERPART), ""
        else:
            chosen, hint = (
                suggested.get(c.id, ""),
                ("名稱相同，建議對應" if c.id in suggested else ""),
            )
        rows.append({"cell": c, "chosen": str(chosen), "hint": hint, "saved": c.id in saved})
    return render(
        request,
        "periods/mapping.html",
        {
            "source": source,
            "target": target,
            "rows": rows,
            "targets": theirs,
            "none": NO_COUNTERPART,
            "error": error,
        },
        status=status,
    )


@login_required
def mapping(request, source: int, target: int):
    _hq_only(request)
    return _page(request, *_pair(source, target))


@login_required
@require_POST
def mapping_save(request, source: int, target: int):
    _hq_only(request)
    src, tgt = _pair(source, target)
    try:
        choices, clear = parse_choices(request.POST, rubric_cells(src))
        changed = domain.set_cell_mappings(
            source=src, target=tgt, choices=choices, clear=clear, user=request.user
        )
    except DomainError as exc:
        status = 409 if isinstance(exc, Conflict) else 400
        return _page(request, src, tgt, error=exc.message, status=status)
    messages.success(request, f"已儲存評分項目對應（變更 {changed} 項）")
    return redirect("period-mapping", src.pk, tgt.pk)
