"""The plan page as an editor: starting a plan, and the HTMX saves of its draft.

Every change goes through servplan.plans.domain. Refusals answer as the assessment sheet does:
400 naming the field, 403, 409 with the newer values (a stale page never overwrites). A save
answers a fragment for the field's message area; an action that changes the tree (add, move,
remove, 不適用) answers the block it changed, its refusal goes to the block's message area
(HX-Retarget). Every answer that can change the pre-submit check carries the check panel too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from servplan.assessments.domain.errors import Conflict, NotAllowed
from servplan.core.errors import DomainError
from servplan.core.parsing import parse_version
from servplan.core.roc import to_roc_year
from servplan.offices.access import membership
from servplan.plans import domain
from servplan.plans.access import can_edit, can_start, get_plan_for_user
from servplan.plans.checks import check_plan
from servplan.plans.models import OfficePlan, PlanStatus
from servplan.plans.serializers import plans_for_export
from servplan.programs.lookups import published_programs
from servplan.programs.models import Facet, Measure, Practice, Strategy

# How the forms write 執行期間: offered as suggestions, any text is taken.
PERIOD_EXAMPLES = ["1~12 月", "每季", "每月", "每年 1 次", "6 月、12 月"]


@dataclass(frozen=True)
class Section:
    name: str
    heading: str
    value: str
    hint: str = ""


def sections(plan: OfficePlan) -> dict[str, Section]:
    """壹 … 參, 伍, 陸 as the page shows them (實施步驟 one step a line)."""
    return {
        "basis": Section("basis", "壹、計畫依據", plan.basis),
        "goals": Section("goals", "貳、計畫目標", plan.goals),
        "targets": Section("targets", "參、實施對象", plan.targets),
        "steps": Section(
            "steps", "伍、實施步驟", "\n".join(plan.step_list), "每行一個步驟，依序編號。"
        ),
        "supplementary": Section("supplementary", "陸、附則", plan.supplementary),
    }


def is_editable(request, plan: OfficePlan) -> bool:
    return plan.status == PlanStatus.DRAFT and can_edit(request.user, plan)


def page_context(request, plan: OfficePlan) -> dict:
    """The plan page: read-only, or the editor for who may change the draft."""
    editable = is_editable(request, plan)
    return {
        "plan": plan,
        "facets": plan.outline.facets.all(),
        "editable": editable,
        "sections": sections(plan),
        "choices": domain.department_choices(plan.office) if editable else [],
        "problems": check_plan(plan) if editable else [],
        "periods": PERIOD_EXAMPLES,
    }


# ---- finding things in the plan (one access check, then the plan's own tree) --------------


def _plan(request, pk: int) -> OfficePlan:
    return get_plan_for_user(request.user, pk)


def _tree(request, pk: int) -> OfficePlan:
    """The plan with its whole tree, as the page renders it."""
    return get_plan_for_user(request.user, pk, plans_for_export())


def _editor_tree(request, pk: int) -> OfficePlan:
    """The tree, for the editor's own fragments: 403 to whoever may only read the plan."""
    plan = _tree(request, pk)
    if not is_editable(request, plan):
        raise PermissionDenied("此執行計畫目前只能檢視，不能修改")
    return plan


def _practice(plan: OfficePlan, practice_id: int) -> Practice:
    return get_object_or_404(
        Practice.objects.select_related("measure__strategy"),
        pk=practice_id,
        measure__strategy__facet__outline=plan.outline_id,
    )


def _located(plan: OfficePlan, kind: str, pk: int) -> dict:
    """The facet, strategy, measure or practice `pk` in the loaded tree, with what its partial
    needs to number it (the facet's number, the strategy's, a practice's neighbours)."""
    for f_number, facet in enumerate(plan.outline.facets.all(), start=1):
        if kind == "facet" and facet.pk == pk:
            return {"facet": facet, "number": f_number}
        for s_number, strategy in enumerate(facet.strategies.all(), start=1):
            if kind == "strategy" and strategy.pk == pk:
                return {"facet": facet, "strategy": strategy, "n": s_number}
            for measure in strategy.measures.all():
                if kind == "measure" and measure.pk == pk:
                    return {"measure": measure}
                practices = list(measure.practices.all())
                for i, practice in enumerate(practices):
                    if kind == "practice" and practice.pk == pk:
                        return {
                            "p": practice,
                            "measure": measure,
                            "first": i == 0,
                            "last": i == len(practices) - 1,
                        }
    raise Http404


def _attempt(action: Callable[[], object]) -> tuple[int, str, str, dict]:
    """(status, message, where, current) of a domain call: 200 or its refusal."""
    try:
        action()
    except Conflict as exc:
        return 409, exc.message, exc.where, exc.current
    except NotAllowed as exc:
        return 403, exc.message, exc.where, {}
    except DomainError as exc:
        return 400, exc.message, exc.where, {}
    return 200, "", "", {}


def _refused(request, status: int, error: str, target: str):
    """A refused action: its message goes to the block's message area, not over the block."""
    response = render(request, "plans/_refusal.html", {"error": error}, status=status)
    response["HX-Retarget"] = target
    response["HX-Reswap"] = "innerHTML"
    return response


def _changed(request, pk: int, block: str, kind: str, obj_id: int, **extra):
    """The changed block as it is now, with the check panel (out of band)."""
    plan = _tree(request, pk)
    context = {**page_context(request, plan), **_located(plan, kind, obj_id), **extra}
    return render(request, "plans/_changed.html", {**context, "block": block})


# ---- starting a plan ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request):
    """The clerk starts the office's plan of a year from HQ's program or last year's plan."""
    m = membership(request.user)
    office = m.office if m and m.office_id else None
    if office is None or not can_start(request.user, office):
        raise Http404("只有區營業處的經辦可以建立執行計畫")
    years = set(office.plans.values_list("roc_year", flat=True))
    this_year = to_roc_year(timezone.localdate().year)
    values = {
        "roc_year": request.POST.get("roc_year", this_year + (this_year in years)),
        "start_from": request.POST.get("start_from", "program"),
    }
    errors, status = {}, 200
    if request.method == "POST":
        try:
            plan = domain.start_plan(
                office=office,
                roc_year=values["roc_year"],
                start_from=values["start_from"],
                user=request.user,
            )
        except DomainError as exc:
            status = 403 if isinstance(exc, NotAllowed) else 400
            errors[exc.where if exc.where in values else "form"] = exc.message
        else:
            messages.success(request, f"已建立「{plan.title}」草稿")
            return redirect("plan-detail", plan.pk)
    return render(
        request,
        "plans/plan_new.html",
        {
            "office": office,
            "values": values,
            "errors": errors,
            "years": sorted(years, reverse=True),
            "programs": published_programs().order_by("-roc_year", "-version")[:3],
        },
        status=status,
    )


# ---- 壹 … 參, 伍, 陸 ----------------------------------------------------------------------


@login_required
@require_POST
def sections_save(request, pk: int):
    """HTMX: save the sections (each save sends all five and the plan's version); answer the
    message of the section typed in, the new version, and each section's field message."""
    plan = _plan(request, pk)
    given = {name: request.POST.get(name) for name in domain.SECTIONS}
    steps = given.pop("steps")
    status, error, where, current = _attempt(
        lambda: domain.update_plan_sections(
            plan=plan,
            user=request.user,
            steps=None if steps is None else steps.splitlines(),
            expected_version=parse_version(request.POST.get("version")),
            **given,
        )
    )
    typed = request.headers.get("HX-Trigger-Name", "")
    shown = current.get(typed) if current else None
    return render(
        request,
        "plans/_sections_saved.html",
        {
            "plan": plan,
            "error": error,
            "where": where,
            "current": current,
            "current_value": "\n".join(shown) if isinstance(shown, list) else shown,
            "current_label": domain.SECTION_LABELS.get(typed, ""),
            "names": domain.SECTIONS,
        },
        status=status,
    )


@login_required
@require_GET
def sections_form(request, pk: int):
    """HTMX: every section as it is now, with the version (after a conflict)."""
    plan = _editor_tree(request, pk)
    return render(request, "plans/_sections_form.html", page_context(request, plan))


@login_required
@require_GET
def checks(request, pk: int):
    """HTMX: the pre-submit check panel, on demand."""
    plan = _tree(request, pk)
    return render(request, "plans/_checks.html", {"plan": plan, "problems": check_plan(plan)})


# ---- practices -----------------------------------------------------------------------------


def _departments_sent(request, current: list[str]) -> list[str] | None:
    """The 承辦部門 the checkboxes leave, in order; None when the form had no such control.

    The boxes' order in the request is not theirs on the page (htmx sends the one clicked
    first), so the order is the practice's: those still checked keep their places, a newly
    checked one joins the end. 「上移」 sends `department_up` with a chosen name: it changes
    places with the one before it. (The version check refuses a page older than `current`.)
    """
    if "departments_shown" not in request.POST:
        return None
    checked = [n for n in request.POST.getlist("departments") if n.strip()]
    names = [n for n in current if n in checked]
    names += [n for n in dict.fromkeys(checked) if n not in names]
    up = request.POST.get("department_up", "")
    if up in names and names.index(up) > 0:
        i = names.index(up)
        names[i - 1], names[i] = names[i], names[i - 1]
    return names


@login_required
@require_POST
def practice_save(request, pk: int, practice_id: int):
    """HTMX: save one practice (具體作法, 承辦部門, 執行期間, 預期目標) from its version;
    answer its message, the new version, its departments when they changed, and the checks.

    A field the form did not send is left as it is.
    """
    plan = _plan(request, pk)
    practice = _practice(plan, practice_id)
    before = [link.department.name for link in practice.department_links.all()]
    departments = _departments_sent(request, before)
    status, error, where, current = _attempt(
        lambda: domain.update_practice(
            practice=practice,
            user=request.user,
            text=request.POST.get("text"),
            departments=departments,
            period=request.POST.get("period"),
            target=request.POST.get("target"),
            expected_version=parse_version(request.POST.get("version")),
        )
    )
    plan = _tree(request, pk)
    context = {**page_context(request, plan), **_located(plan, "practice", practice_id)}
    after = [link.department.name for link in context["p"].department_links.all()]
    return render(
        request,
        "plans/_practice_saved.html",
        {
            **context,
            "error": error,
            "where": where,
            "current": current,
            "departments_changed": after != before,
            # after 「上移」 the keyboard stays on the department moved (its button may be gone)
            "moved": request.POST.get("department_up", "") if after != before else "",
            "fields": ("text", "period", "target", "departments"),
        },
        status=status,
    )


@login_required
@require_GET
def practice_row(request, pk: int, practice_id: int):
    """HTMX: the practice's row as it is now (after a conflict, to edit from the newer values)."""
    plan = _editor_tree(request, pk)
    context = {**page_context(request, plan), **_located(plan, "practice", practice_id)}
    return render(request, "plans/_practice_row.html", context)


@login_required
@require_POST
def practice_add(request, pk: int, measure_id: int):
    """HTMX: add the office's own practice at the end of a sub-strategy; answer the sub-strategy."""
    plan = _plan(request, pk)
    measure = get_object_or_404(
        Measure.objects.select_related("strategy"),
        pk=measure_id,
        strategy__facet__outline=plan.outline_id,
    )
    added = []
    status, error, _where, _current = _attempt(
        lambda: added.append(
            domain.add_practice(
                plan=plan,
                measure=measure,
                user=request.user,
                text=request.POST.get("text", ""),
                departments=[n for n in request.POST.getlist("departments") if n.strip()],
                period=request.POST.get("period", ""),
                target=request.POST.get("target", ""),
            )
        )
    )
    if status != 200:
        return _refused(request, status, error, f"#addmsg-{measure_id}")
    return _changed(request, pk, "plans/_measure.html", "measure", measure_id, added_id=added[0].pk)


@login_required
@require_POST
def practice_move(request, pk: int, practice_id: int):
    """HTMX: move a practice up or down in its sub-strategy; answer the sub-strategy."""
    plan = _plan(request, pk)
    practice = _practice(plan, practice_id)
    status, error, _where, _current = _attempt(
        lambda: domain.move_practice(
            practice=practice, user=request.user, direction=request.POST.get("direction", "")
        )
    )
    if status != 200:
        return _refused(request, status, error, f"#pmsg-{practice_id}")
    return _changed(request, pk, "plans/_measure.html", "measure", practice.measure_id)


@login_required
@require_POST
def practice_remove(request, pk: int, practice_id: int):
    """HTMX: remove one of the office's own practices; answer its sub-strategy."""
    plan = _plan(request, pk)
    practice = _practice(plan, practice_id)
    status, error, _where, _current = _attempt(
        lambda: domain.remove_practice(practice=practice, user=request.user)
    )
    if status != 200:
        return _refused(request, status, error, f"#pmsg-{practice_id}")
    return _changed(request, pk, "plans/_measure.html", "measure", practice.measure_id)


@login_required
@require_POST
def practice_not_applicable(request, pk: int, practice_id: int):
    """HTMX: mark one of HQ's practices 不適用 with a reason; answer its row."""
    plan = _plan(request, pk)
    practice = _practice(plan, practice_id)
    status, error, _where, _current = _attempt(
        lambda: domain.mark_not_applicable(
            practice=practice,
            user=request.user,
            reason=request.POST.get("reason", ""),
            expected_version=parse_version(request.POST.get("version")),
        )
    )
    if status != 200:
        return _refused(request, status, error, f"#namsg-{practice_id}")
    return _changed(request, pk, "plans/_practice_row.html", "practice", practice_id)


@login_required
@require_POST
def practice_applicable(request, pk: int, practice_id: int):
    """HTMX: undo 不適用 (the office carries out HQ's practice after all); answer its row."""
    plan = _plan(request, pk)
    practice = _practice(plan, practice_id)
    status, error, _where, _current = _attempt(
        lambda: domain.mark_applicable(
            practice=practice,
            user=request.user,
            expected_version=parse_version(request.POST.get("version")),
        )
    )
    if status != 200:
        return _refused(request, status, error, f"#pmsg-{practice_id}")
    return _changed(request, pk, "plans/_practice_row.html", "practice", practice_id)


# ---- the office's own strategies -------------------------------------------------------------


def _strategy(plan: OfficePlan, strategy_id: int) -> Strategy:
    return get_object_or_404(Strategy, pk=strategy_id, facet__outline=plan.outline_id)


@login_required
@require_GET
def facet(request, pk: int, facet_id: int):
    """HTMX: a facet with its strategies as it is now (after a conflict)."""
    plan = _editor_tree(request, pk)
    context = {**page_context(request, plan), **_located(plan, "facet", facet_id)}
    return render(request, "plans/_facet.html", context)


@login_required
@require_POST
def strategy_add(request, pk: int, facet_id: int):
    """HTMX: add an office-level strategy at the end of a facet; answer the facet."""
    plan = _plan(request, pk)
    target = get_object_or_404(Facet, pk=facet_id, outline=plan.outline_id)
    added = []
    status, error, _where, _current = _attempt(
        lambda: added.append(
            domain.add_strategy(
                plan=plan, facet=target, user=request.user, name=request.POST.get("name", "")
            )
        )
    )
    if status != 200:
        return _refused(request, status, error, f"#fmsg-{facet_id}")
    return _changed(request, pk, "plans/_facet.html", "facet", facet_id, added_id=added[0].pk)


@login_required
@require_POST
def strategy_save(request, pk: int, strategy_id: int):
    """HTMX: rename one of the office's own strategies from its version; answer its message."""
    plan = _plan(request, pk)
    strategy = _strategy(plan, strategy_id)
    status, error, where, current = _attempt(
        lambda: domain.rename_strategy(
            strategy=strategy,
            user=request.user,
            name=request.POST.get("name", ""),
            expected_version=parse_version(request.POST.get("version")),
        )
    )
    plan = _tree(request, pk)
    context = {**page_context(request, plan), **_located(plan, "strategy", strategy_id)}
    return render(
        request,
        "plans/_strategy_saved.html",
        {**context, "error": error, "where": where, "current": current},
        status=status,
    )


@login_required
@require_POST
def strategy_remove(request, pk: int, strategy_id: int):
    """HTMX: remove one of the office's own strategies with its practices; answer the facet."""
    plan = _plan(request, pk)
    strategy = _strategy(plan, strategy_id)
    status, error, _where, _current = _attempt(
        lambda: domain.remove_strategy(strategy=strategy, user=request.user)
    )
    if status != 200:
        return _refused(request, status, error, f"#smsg-{strategy_id}")
    return _changed(request, pk, "plans/_facet.html", "facet", strategy.facet_id)
