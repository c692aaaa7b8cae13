"""HQ's program pages (/hq/programs/…) and the changes page every signed-in user may read.

Plain forms, post/redirect/get: each form sends the draft's revision, a refused save shows
the page again with the message and what was typed (400, or 409 when stale). Every change
goes through programs.domain.versions / programs.domain.tree.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from servplan.assessments.domain.errors import Conflict, NotAllowed
from servplan.core.errors import DomainError
from servplan.core.parsing import parse_version, parse_whole
from servplan.core.roc import format_date, to_roc_year
from servplan.offices.models import Department
from servplan.programs import changes
from servplan.programs.access import get_program_for_user, require_hq
from servplan.programs.domain import tree, versions
from servplan.programs.lookups import hq_program, published_programs
from servplan.programs.models import Outline, Program, Publication
from servplan.programs.serializers import outline_prefetch

PERIODS = ["1~12 月", "每季", "每月", "每年 1 次", "6 月、12 月"]


def refusal_status(exc: DomainError) -> int:
    if isinstance(exc, Conflict):
        return 409
    return 403 if isinstance(exc, NotAllowed) else 400


def _program(request, pk: int) -> Program:
    """A program of HQ's pages: HQ and admins only (404 for anyone else)."""
    require_hq(request.user)
    return get_program_for_user(request.user, pk, Program.objects.select_related("copied_from"))


@login_required
def program_list(request):
    require_hq(request.user)
    current = {}
    rows = list(Program.objects.order_by("-roc_year", "-version"))
    for p in rows:
        if not p.is_draft and p.roc_year not in current:
            current[p.roc_year] = p.pk
    years: dict[int, list] = {}
    for p in rows:
        state = (
            "draft" if p.is_draft else "current" if current[p.roc_year] == p.pk else "superseded"
        )
        years.setdefault(p.roc_year, []).append((p, state))
    return render(request, "programs/program_list.html", {"years": list(years.items())})


def _new_form(request, *, values: dict, error: str = "", status: int = 200):
    latest = {}
    for p in published_programs().order_by("-roc_year", "-version"):
        latest.setdefault(p.roc_year, p)
    return render(
        request,
        "programs/program_new.html",
        {"values": values, "sources": list(latest.values()), "error": error},
        status=status,
    )


@login_required
def program_new(request):
    """The form to start a year's program from an earlier year's."""
    require_hq(request.user)
    last = Program.objects.order_by("-roc_year").first()
    year = last.roc_year + 1 if last else to_roc_year(timezone.localdate().year) + 1
    source = hq_program(year - 1, or_earlier=True)
    values = {
        "roc_year": year,
        "source": source.pk if source else "",
        "title": versions.default_title(year),
    }
    return _new_form(request, values=values)


@login_required
@require_POST
def program_start(request):
    require_hq(request.user)
    fields = ("roc_year", "source", "title", "letter_number", "issued_on")
    values = {k: request.POST.get(k, "") for k in fields}
    try:
        source_id = parse_whole(values["source"], label="沿用的計畫", where="source")
        source = published_programs().filter(pk=source_id).first() if source_id else None
        if source_id and source is None:
            raise DomainError("找不到要沿用的總處執行計畫", where="source")
        program = versions.start_program(
            user=request.user,
            roc_year=values["roc_year"],
            source=source,
            title=values["title"],
            letter_number=values["letter_number"],
            issued_on=values["issued_on"],
        )
    except DomainError as exc:
        return _new_form(request, values=values, error=exc.message, status=refusal_status(exc))
    messages.success(request, f"已建立{program}，請編修後發布")
    return redirect("program-edit", program.pk)


# ---- the edit page ----------------------------------------------------------------------------


def _tree_page(request, program: Program, *, error: str = "", failed=None, status: int = 200):
    """The program with its tree; `failed` = (kind, node id or None, typed values) puts what
    was typed back into the form that was refused, with the message beside it."""
    outline = Outline.objects.prefetch_related(*outline_prefetch()).get(pk=program.outline_id)
    facets = list(outline.facets.all())
    nodes: dict[tuple[str, int], Model] = {}
    places = {"facet": [], "strategy": [], "measure": []}
    for f_pos, facet in enumerate(facets, start=1):
        nodes["facet", facet.pk] = facet
        places["facet"].append((facet.pk, f"{f_pos}. {facet.name}"))
        for strategy in facet.strategies.all():
            nodes["strategy", strategy.pk] = strategy
            places["strategy"].append((strategy.pk, f"{facet.name}／{strategy.name}"))
            for measure in strategy.measures.all():
                nodes["measure", measure.pk] = measure
                places["measure"].append(
                    (measure.pk, f"{strategy.name}／{measure.name or '（未命名子策略）'}")
                )
                for practice in measure.practices.all():
                    nodes["practice", practice.pk] = practice
                    practice.chosen = [
                        link.department.name for link in practice.department_links.all()
                    ]
    header = {
        "title": program.title,
        "letter_number": program.letter_number,
        "issued_on": format_date(program.issued_on),
    }
    if failed:
        kind, node_id, typed = failed
        if kind == "header":
            header.update(typed)
        elif kind == "add":
            target = nodes.get((typed.get("parent_kind"), node_id)) if node_id else program
            if target is not None:
                target.add_error, target.add_typed = error, typed
        elif (kind, node_id) in nodes:
            node = nodes[kind, node_id]
            node.error = error
            for name, value in typed.items():
                setattr(node, name, value)
    newest = hq_program(program.roc_year)
    pending = (
        None
        if program.is_draft
        else Program.objects.filter(roc_year=program.roc_year, status=Publication.DRAFT).first()
    )
    return render(
        request,
        "programs/program_edit.html",
        {
            "program": program,
            "facets": facets,
            "header": header,
            "places": places,
            "departments": Department.objects.order_by("position", "name"),
            "periods": PERIODS,
            "error": error,
            "failed_kind": failed[0] if failed else "",
            "can_revise": pending is None and newest is not None and newest.pk == program.pk,
            "pending": pending,
        },
        status=status,
    )


@login_required
def program_edit(request, pk: int):
    return _tree_page(request, _program(request, pk))


def _revision(request) -> int:
    return parse_version(request.POST.get("revision"))


def _after(request, program: Program, action, *, failed, anchor: str = ""):
    """Run a domain change; on success back to the page (PRG), else the page with the error."""
    try:
        action()
    except DomainError as exc:
        return _tree_page(
            request, program, error=exc.message, failed=failed, status=refusal_status(exc)
        )
    url = reverse("program-edit", args=[program.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_POST
def program_header(request, pk: int):
    program = _program(request, pk)
    # A field the form did not send is left as it is.
    sent = {
        k: request.POST[k] for k in ("title", "letter_number", "issued_on") if k in request.POST
    }
    return _after(
        request,
        program,
        lambda: versions.update_program(
            user=request.user, program=program, expected_revision=_revision(request), **sent
        ),
        failed=("header", None, sent),
    )


def _node(program: Program, kind: str | None, node_id: int | None) -> Model:
    """A node of the program's tree by kind and id (404 when it is not in this tree)."""
    k = tree.KINDS.get(kind)
    if k is None or node_id is None:
        raise Http404
    node = k.model.objects.filter(pk=node_id, **{k.path: program.outline_id}).first()
    if node is None:
        raise Http404("找不到此項目")
    return node


def _departments_in_order(request, node=None) -> list[str] | None:
    """The checked departments: those the practice had, in their order, then new ones in the
    list's order (a form of checkboxes has no order of its own). None when the form had no
    department boxes (its hidden `departments-sent` field), so the departments stay."""
    if "departments-sent" not in request.POST:
        return None
    checked = [" ".join(n.split()) for n in request.POST.getlist("departments")]
    before = (
        list(node.department_links.order_by("position").values_list("department__name", flat=True))
        if node is not None
        else []
    )
    return [n for n in before if n in checked] + [n for n in checked if n not in before]


@login_required
@require_POST
def program_node_add(request, pk: int):
    program = _program(request, pk)
    kind = request.POST.get("kind", "")
    parent_kind = tree.PARENT_KIND.get(kind)
    typed = {
        "parent_kind": parent_kind,
        "name": request.POST.get("name", ""),
        "text": request.POST.get("text", ""),
        "period": request.POST.get("period", ""),
        "chosen": request.POST.getlist("departments"),
    }
    parent = None
    try:
        if parent_kind:
            parent_id = parse_whole(request.POST.get("parent"), label="上層項目", where="parent")
            parent = _node(program, parent_kind, parent_id)
        node = tree.add_node(
            user=request.user,
            program=program,
            kind=kind,
            parent=parent,
            name=typed["name"],
            text=typed["text"],
            departments=_departments_in_order(request) or [],
            period=typed["period"],
            expected_revision=_revision(request),
        )
    except DomainError as exc:
        failed = ("add", parent.pk if parent else None, typed)
        return _tree_page(
            request, program, error=exc.message, failed=failed, status=refusal_status(exc)
        )
    messages.success(request, f"已新增{tree.KINDS[kind].label}")
    return redirect(f"{reverse('program-edit', args=[program.pk])}#{kind}-{node.pk}")


@login_required
@require_POST
def program_node_save(request, pk: int, kind: str, node_id: int):
    """Rename a facet, strategy or measure, or change a practice (the fields the form sent)."""
    program = _program(request, pk)
    node = _node(program, kind, node_id)
    fields = ("text", "period") if kind == "practice" else ("name",)
    typed = {k: request.POST[k] for k in fields if k in request.POST}
    departments = _departments_in_order(request, node) if kind == "practice" else None
    if departments is not None:
        typed["chosen"] = departments

    def save():
        revision = _revision(request)
        if kind != "practice":
            return tree.rename_node(
                user=request.user,
                program=program,
                node=node,
                name=typed.get("name", ""),
                expected_revision=revision,
            )
        return tree.update_practice(
            user=request.user,
            program=program,
            practice=node,
            text=typed.get("text"),
            period=typed.get("period"),
            departments=departments,
            expected_revision=revision,
        )

    return _after(request, program, save, failed=(kind, node.pk, typed), anchor=f"{kind}-{node.pk}")


@login_required
@require_POST
def program_node_move(request, pk: int, kind: str, node_id: int):
    program = _program(request, pk)
    node = _node(program, kind, node_id)

    def move():
        revision = _revision(request)
        if request.POST.get("parent"):
            parent_id = parse_whole(request.POST.get("parent"), label="移入位置", where="parent")
            parent = _node(program, tree.PARENT_KIND.get(kind, ""), parent_id)
            tree.reparent_node(
                user=request.user,
                program=program,
                node=node,
                parent=parent,
                expected_revision=revision,
            )
        else:
            tree.move_node(
                user=request.user,
                program=program,
                node=node,
                direction=request.POST.get("direction", ""),
                expected_revision=revision,
            )

    return _after(request, program, move, failed=(kind, node.pk, {}), anchor=f"{kind}-{node.pk}")


@login_required
@require_POST
def program_node_remove(request, pk: int, kind: str, node_id: int):
    program = _program(request, pk)
    node = _node(program, kind, node_id)
    return _after(
        request,
        program,
        lambda: tree.remove_node(
            user=request.user, program=program, node=node, expected_revision=_revision(request)
        ),
        failed=(kind, node.pk, {}),
    )


@login_required
@require_POST
def program_publish(request, pk: int):
    program = _program(request, pk)
    reason = request.POST.get("reason", "")
    try:
        published = versions.publish_program(
            user=request.user, program=program, reason=reason, expected_revision=_revision(request)
        )
    except DomainError as exc:
        return _tree_page(
            request,
            program,
            error=exc.message,
            failed=("publish", None, {}),
            status=refusal_status(exc),
        )
    messages.success(request, f"已發布{published}，各區營業處可依此建立執行計畫")
    return redirect("program-edit", published.pk)


@login_required
@require_POST
def program_new_version(request, pk: int):
    program = _program(request, pk)
    try:
        draft = versions.new_program_version(user=request.user, program=program)
    except DomainError as exc:
        return _tree_page(request, program, error=exc.message, status=refusal_status(exc))
    messages.success(request, f"已建立第 {draft.version} 版草稿；發布時請說明修訂理由")
    return redirect("program-edit", draft.pk)


# ---- what changed (offices read it too) --------------------------------------------------


@login_required
def program_changes(request, pk: int):
    """What the program changed against the one it was copied from (or `?against=` an older
    one, e.g. the version a plan started from): published ones for everyone signed in."""
    program = get_program_for_user(request.user, pk, Program.objects.select_related("copied_from"))
    against = program.copied_from
    wanted = request.GET.get("against")
    if wanted:
        try:
            against_id = parse_whole(wanted, label="比較對象", where="against")
        except DomainError:
            raise Http404 from None
        against = get_program_for_user(request.user, against_id)
    report = changes.compare_programs(program, against)
    return render(
        request,
        "programs/program_changes.html",
        {"program": program, "against": against, "report": report},
    )
