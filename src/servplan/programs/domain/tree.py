"""Editing a draft program's tree: 面向 → 執行策略 → 子策略 → 具體作法.

Every function locks the draft and checks the revision its caller saw (versions.editable_program),
changes one node, raises the draft's revision and records the change on the node in the audit
trail. A published program's tree never changes (a new version is a draft copy).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Model

from servplan.audit.domain import record, record_changes
from servplan.core.errors import DomainError
from servplan.core.narrative import normalize
from servplan.core.parsing import check_length
from servplan.offices.models import Department
from servplan.programs.domain import _name
from servplan.programs.domain.versions import editable_program, touch
from servplan.programs.models import (
    Facet,
    Measure,
    Practice,
    PracticeDepartment,
    Program,
    Strategy,
)

TEXT_MAX = 2000
PERIOD_MAX = Practice._meta.get_field("period").max_length
DIRECTIONS = ("up", "down")


@dataclass(frozen=True)
class Kind:
    """One level of the tree: its model, the field naming its parent, the path to the outline."""

    name: str
    model: type[Model]
    parent: str
    path: str
    label: str


KINDS = {
    k.name: k
    for k in (
        Kind("facet", Facet, "outline", "outline", "面向"),
        Kind("strategy", Strategy, "facet", "facet__outline", "執行策略"),
        Kind("measure", Measure, "strategy", "strategy__facet__outline", "子策略"),
        Kind("practice", Practice, "measure", "measure__strategy__facet__outline", "具體作法"),
    )
}
PARENT_KIND = {"strategy": "facet", "measure": "strategy", "practice": "measure"}


def kind_of(node: Model) -> Kind:
    return next(k for k in KINDS.values() if isinstance(node, k.model))


def parse_kind(value: object) -> Kind:
    kind = KINDS.get(str(value or ""))
    if kind is None:
        raise DomainError(
            f"項目種類「{str(value)[:20]}」不正確（可用：facet、strategy、measure、practice）",
            where="kind",
        )
    return kind


def node_label(node: Model) -> str:
    """How messages name a node: its name, a practice by its place (「提升服務及時性（2）」)."""
    if isinstance(node, Practice):
        measure = node.measure
        place = measure.name or measure.strategy.name
        return f"{place}（{node.number}）" if node.number else place
    return node.name or f"{node.strategy.name}的子策略"


def _in_program(program: Program, node: Model) -> Model:
    """The node, as stored, when it belongs to the program's tree."""
    kind = kind_of(node)
    related = {
        "strategy": ["facet"],
        "measure": ["strategy"],
        "practice": ["measure__strategy"],
    }.get(kind.name, [])
    found = (
        kind.model.objects.select_related(*related)
        .filter(pk=node.pk, **{kind.path: program.outline_id})
        .first()
    )
    if found is None:
        raise DomainError(f"此{kind.label}不在{program.title}中", where=kind.name)
    return found


def _required_name(value: str | None, *, kind: Kind, required: bool = True) -> str:
    name = check_length(_name(value), limit=100, label=f"{kind.label}名稱", where="name")
    if required and not name:
        raise DomainError(f"{kind.label}名稱不可空白", where="name")
    return name


def _text(value: str | None, label: str) -> str:
    text = normalize(value or "")
    if not text:
        raise DomainError(f"{label}：具體作法不可空白", where="text")
    if len(text) > TEXT_MAX:
        raise DomainError(
            f"{label}：具體作法過長（{len(text)} 字，上限 {TEXT_MAX} 字）", where="text"
        )
    return text


def _period(value: str | None, label: str) -> str:
    # Free text as the forms write it (1~12 月, 每季, 每年 1 次, 6 月、12 月), on one line.
    period = " ".join(normalize(value or "").split())
    if len(period) > PERIOD_MAX:
        raise DomainError(
            f"{label}：執行期間過長（{len(period)} 字，上限 {PERIOD_MAX} 字）", where="period"
        )
    return period


def hq_departments(names, label: str) -> list[Department]:
    """The named departments of HQ's list (offices.yaml: 業務組 … 各部門), in the order given."""
    names = [_name(str(n)) for n in names]
    if len(set(names)) != len(names):
        raise DomainError(f"{label}：承辦部門重複", where="departments")
    found = {d.name: d for d in Department.objects.filter(name__in=names)}
    unknown = [n for n in names if n not in found]
    if unknown:
        shown = "、".join(n[:20] for n in unknown[:3])
        raise DomainError(f"{label}：部門清單中沒有「{shown}」", where="departments")
    return [found[n] for n in names]


def _set_departments(practice: Practice, departments: list[Department]) -> None:
    PracticeDepartment.objects.filter(practice=practice).delete()
    PracticeDepartment.objects.bulk_create(
        PracticeDepartment(practice=practice, department=d, position=i)
        for i, d in enumerate(departments, start=1)
    )


def _department_text(practice: Practice) -> str:
    return "、".join(
        practice.department_links.order_by("position").values_list("department__name", flat=True)
    )


def renumber(measure_id: int) -> None:
    """(1) (2) … follow the practices' order; a measure's lone practice has no number (as the
    forms and data/programs/112.yaml write it)."""
    practices = list(Practice.objects.filter(measure_id=measure_id).order_by("position"))
    for n, p in enumerate(practices, start=1):
        number = n if len(practices) > 1 else None
        if p.number != number:
            p.number = number
            p.save(update_fields=["number"])


def _next_position(kind: Kind, parent_id: int) -> int:
    siblings = kind.model.objects.filter(**{f"{kind.parent}_id": parent_id})
    return (siblings.aggregate(p=Max("position"))["p"] or 0) + 1


@transaction.atomic
def add_node(
    *,
    user,
    program: Program,
    kind: str,
    parent: Model | None = None,
    name: str = "",
    text: str = "",
    departments=(),
    period: str = "",
    expected_revision: int,
) -> Model:
    """Add a 面向 (no parent), 執行策略 (to a facet), 子策略 (to a strategy; its name may be blank,
    as where the form has none) or 具體作法 (to a measure: text, departments from HQ's list in
    order, period) at the end of its parent.

    Side effects: locks the draft, creates the node (a practice with its department links;
    the measure's practices renumbered), raises the revision, records "added".
    """
    current = editable_program(program, user=user, expected_revision=expected_revision)
    k = parse_kind(kind)
    if k.name == "facet":
        parent_id = current.outline_id
    else:
        wanted = KINDS[PARENT_KIND[k.name]]
        if not isinstance(parent, wanted.model):
            raise DomainError(f"請選擇要加入{k.label}的{wanted.label}", where="parent")
        parent = _in_program(current, parent)
        parent_id = parent.pk
    fields = {f"{k.parent}_id": parent_id, "position": _next_position(k, parent_id)}
    if k.name == "practice":
        label = node_label(Practice(measure=parent))
        chosen = hq_departments(list(departments), label)
        node = Practice.objects.create(
            text=_text(text, label), period=_period(period, label), **fields
        )
        _set_departments(node, chosen)
        renumber(parent_id)
        node.refresh_from_db()
        shown = node.text
    else:
        node = k.model.objects.create(
            name=_required_name(name, kind=k, required=k.name != "measure"), **fields
        )
        shown = node.name
    record(user=user, obj=node, field="added", new=shown)
    touch(current)
    return node


@transaction.atomic
def rename_node(*, user, program: Program, node: Model, name: str, expected_revision: int):
    """Rename a 面向, 執行策略 or 子策略. Side effects: locks the draft, saves the name,
    raises the revision, records "name" (old → new)."""
    current = editable_program(program, user=user, expected_revision=expected_revision)
    node = _in_program(current, node)
    k = kind_of(node)
    if k.name == "practice":
        raise DomainError("具體作法請以修改內容變更", where="kind")
    before = {"name": node.name}
    node.name = _required_name(name, kind=k, required=k.name != "measure")
    if record_changes(user=user, obj=node, before=before, fields=["name"]):
        node.save(update_fields=["name"])
        touch(current)
    return node


@transaction.atomic
def update_practice(
    *,
    user,
    program: Program,
    practice: Practice,
    text: str | None = None,
    departments=None,
    period: str | None = None,
    expected_revision: int,
) -> Practice:
    """Change a practice's 具體作法, 承辦部門 (HQ's list, in order) or 執行期間; None leaves a
    field. Side effects: locks the draft, saves the changed fields, replaces the department
    links when they changed, raises the revision, records each changed field."""
    current = editable_program(program, user=user, expected_revision=expected_revision)
    node = _in_program(current, practice)
    label = node_label(node)
    before = {"text": node.text, "period": node.period, "departments": _department_text(node)}
    if text is not None:
        node.text = _text(text, label)
    if period is not None:
        node.period = _period(period, label)
    changes = record_changes(user=user, obj=node, before=before, fields=["text", "period"])
    if changes:
        node.save(update_fields=["text", "period"])
    if departments is not None:
        chosen = hq_departments(list(departments), label)
        new = "、".join(d.name for d in chosen)
        if new != before["departments"]:
            _set_departments(node, chosen)
            changes.append(
                record(user=user, obj=node, field="departments", old=before["departments"], new=new)
            )
    if changes:
        touch(current)
    return node


@transaction.atomic
def move_node(
    *, user, program: Program, node: Model, direction: str, expected_revision: int
) -> Model:
    """Move a node one place up or down among its siblings (practices renumber).

    Side effects: locks the draft, swaps the positions of the node and its neighbour,
    raises the revision, records "position" (old → new).
    """
    current = editable_program(program, user=user, expected_revision=expected_revision)
    node = _in_program(current, node)
    k = kind_of(node)
    if direction not in DIRECTIONS:
        raise DomainError(
            f"移動方向「{str(direction)[:10]}」不正確（可用：up、down）", where="direction"
        )
    siblings = k.model.objects.filter(**{f"{k.parent}_id": getattr(node, f"{k.parent}_id")})
    neighbour = (
        siblings.filter(position__lt=node.position).order_by("-position")
        if direction == "up"
        else siblings.filter(position__gt=node.position).order_by("position")
    ).first()
    if neighbour is None:
        end = "最前" if direction == "up" else "最後"
        raise DomainError(f"{node_label(node)}：已在{end}，無法再移動", where="direction")
    old, new = node.position, neighbour.position
    # Through a free position: (parent, position) is unique at every step.
    free = siblings.aggregate(p=Max("position"))["p"] + 1
    k.model.objects.filter(pk=node.pk).update(position=free)
    k.model.objects.filter(pk=neighbour.pk).update(position=old)
    k.model.objects.filter(pk=node.pk).update(position=new)
    if k.name == "practice":
        renumber(node.measure_id)
    node.refresh_from_db()
    record(user=user, obj=node, field="position", old=old, new=new)
    touch(current)
    return node


@transaction.atomic
def reparent_node(
    *, user, program: Program, node: Model, parent: Model, expected_revision: int
) -> Model:
    """Move a 執行策略 to another 面向, a 子策略 to another 執行策略 or a 具體作法 to another
    子策略, at its end. Side effects: locks the draft, saves the new parent and position
    (practices of both measures renumber), raises the revision, records the parent field."""
    current = editable_program(program, user=user, expected_revision=expected_revision)
    node = _in_program(current, node)
    k = kind_of(node)
    if k.name == "facet":
        raise DomainError("面向沒有上層，只能上下移動", where="parent")
    wanted = KINDS[PARENT_KIND[k.name]]
    if not isinstance(parent, wanted.model):
        raise DomainError(f"請選擇要移入的{wanted.label}", where="parent")
    parent = _in_program(current, parent)
    old_parent = getattr(node, f"{k.parent}_id")
    if old_parent == parent.pk:
        return node
    label = node_label(node)
    setattr(node, f"{k.parent}_id", parent.pk)
    node.position = _next_position(k, parent.pk)
    node.save(update_fields=[k.parent, "position"])
    if k.name == "practice":
        renumber(old_parent)
        renumber(parent.pk)
    record(
        user=user, obj=node, field=k.parent, old=label, new=node_label(_in_program(current, node))
    )
    touch(current)
    return node


@transaction.atomic
def remove_node(*, user, program: Program, node: Model, expected_revision: int) -> None:
    """Remove a node with everything under it (a 面向 with its strategies …).

    Side effects: locks the draft, deletes the node and its subtree (department links too;
    the measure's remaining practices renumber), raises the revision, records "removed"
    with the node's name or text.
    """
    current = editable_program(program, user=user, expected_revision=expected_revision)
    node = _in_program(current, node)
    k = kind_of(node)
    record(
        user=user, obj=node, field="removed", old=node.text if k.name == "practice" else node.name
    )
    measure_id = node.measure_id if k.name == "practice" else None
    node.delete()
    if measure_id:
        renumber(measure_id)
    touch(current)
