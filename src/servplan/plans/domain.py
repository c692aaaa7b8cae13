"""Changes to office plans: starting one, editing its draft (sections and practices) and its
sign-off chain (submit, sign, reopen).

Every edit is refused unless the user may edit the plan (plans.access.can_edit; `user` None is
the system, e.g. loading a data file) and the plan is a draft. Practices and the plan's
sections carry a version: a save from a stale version is refused (Conflict) with the newer values.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from servplan.assessments.domain.checks import refuse_blocking
from servplan.audit.domain import record, record_changes
from servplan.core.errors import Conflict, DomainError, NotAllowed
from servplan.core.narrative import normalize
from servplan.core.parsing import check_length
from servplan.core.roc import to_roc_year
from servplan.offices import signing
from servplan.offices.access import is_hq, membership
from servplan.offices.domain import find_office
from servplan.offices.models import Decision, Department, Office, Role
from servplan.plans.access import can_edit, can_start, visible_plans
from servplan.plans.checks import check_plan
from servplan.plans.compare import comparable
from servplan.plans.models import OfficePlan, PlanSignOff, PlanStatus
from servplan.plans.serializers import (
    plan_sections,
    plans_for_export,
    practice_to_dict,
    strategy_to_dict,
    strategy_version,
)
from servplan.plans.signing import plan_chain_state, plan_content_hash
from servplan.programs.domain import build_outline, copy_outline
from servplan.programs.lookups import hq_program
from servplan.programs.models import (
    Facet,
    Measure,
    Outline,
    Practice,
    PracticeDepartment,
    Program,
    Strategy,
)

START_FROM = ("program", "last-year")
# The forms name 「各部門」 (every department) beside real ones; every office may choose it.
EVERY_DEPARTMENT = "各部門"
FIRST_YEAR = 100  # no plan of this system's kind predates 民國 100 年
TEXT_MAX = 2000
TARGET_MAX = 1000
REASON_MAX = 500
SECTION_MAX = 10000
PERIOD_MAX = Practice._meta.get_field("period").max_length
STRATEGY_MAX = Strategy._meta.get_field("name").max_length
SECTIONS = ("basis", "goals", "targets", "steps", "supplementary")
SECTION_LABELS = {
    "basis": "計畫依據",
    "goals": "計畫目標",
    "targets": "實施對象",
    "steps": "實施步驟",
    "supplementary": "附則",
}


def plan_title(office: Office, roc_year: int) -> str:
    """「苗栗區營業處112年度提升服務效能執行計畫」, written as the sample plan file writes it."""
    return f"{office.name}{roc_year}年度提升服務效能執行計畫"


@transaction.atomic
def create_plan(
    *,
    office: Office,
    program: Program,
    title: str = "",
    approved_on: dt.date | None = None,
    basis: str = "",
    goals: str = "",
    targets: str = "",
    steps: list[str] | None = None,
    supplementary: str = "",
) -> OfficePlan:
    """Start an office's plan from HQ's program: the office gets its own copy of the strategy tree.

    Side effects: creates the OfficePlan (for the program's year) and a copy of the program's
    outline whose items link to HQ's. A plan with an approval date is created as approved. Texts are
    cleaned (core.narrative).
    """
    if program.is_draft:
        raise DomainError(f"{program}尚未發布，不能據以建立執行計畫", where="program")
    if OfficePlan.objects.filter(office=office, roc_year=program.roc_year).exists():
        raise DomainError(f"{office.name} 已有 {program.roc_year} 年度執行計畫", where="program")
    title = " ".join(normalize(title).split())
    check_length(title, limit=200, label="計畫名稱", where="title")
    return OfficePlan.objects.create(
        office=office,
        roc_year=program.roc_year,
        program=program,
        outline=copy_outline(outline=program.outline, from_program=True),
        title=title or plan_title(office, program.roc_year),
        status=PlanStatus.APPROVED if approved_on else PlanStatus.DRAFT,
        approved_on=approved_on,
        basis=normalize(basis),
        goals=normalize(goals),
        targets=normalize(targets),
        steps="\n".join(normalize(s) for s in steps or []),
        supplementary=normalize(supplementary),
    )


@transaction.atomic
def load_plan(*, data: dict) -> tuple[OfficePlan, bool]:
    """The plan of a data file (see data/samples/plan-*.yaml), created when the office has none for the year."""
    office = find_office(data["office"])
    program = hq_program(data["program"])
    if program is None:
        raise DomainError(f"找不到 {data['program']} 年度總處執行計畫", where="program")
    existing = OfficePlan.objects.filter(office=office, roc_year=program.roc_year).first()
    if existing:
        return existing, False
    plan = create_plan(
        office=office,
        program=program,
        title=data.get("title", ""),
        approved_on=data.get("approved_on"),
        basis=data.get("basis", ""),
        goals=data.get("goals", ""),
        targets=data.get("targets", ""),
        steps=data.get("steps", []),
        supplementary=data.get("supplementary", ""),
    )
    return plan, True


def program_for_year(roc_year: int) -> Program | None:
    """The program a plan of `roc_year` follows: HQ's of that year, else its latest earlier one."""
    return hq_program(roc_year, or_earlier=True)


@transaction.atomic
def create_imported_plan(
    *,
    office: Office,
    program: Program,
    roc_year: int,
    title: str,
    facets: list[dict],
    basis: str = "",
    goals: str = "",
    targets: str = "",
    steps: list[str] | None = None,
    supplementary: str = "",
) -> OfficePlan:
    """A plan read from a document (imports), made an editable draft like any other.

    The document's tree becomes the plan's own; each practice whose text is one of `program`'s
    (compared as plans.compare does: spacing and full-width forms aside) links to it as its
    origin, and a strategy to the program's of the same facet and name, as if the plan had
    been started from the program. An approval date the document prints is not taken over:
    the plan's own sign-off approves it. Side effects: creates the outline (and departments
    the system doesn't know yet), links origins, adds the departments the plan names to the
    office's, creates the OfficePlan as a draft.
    """
    if OfficePlan.objects.filter(office=office, roc_year=roc_year).exists():
        raise DomainError(f"{office.name} 已有 {roc_year} 年度執行計畫，未匯入", where="program")
    outline = build_outline(facets=facets)
    _link_origins(outline, program)
    named = Department.objects.filter(practices__measure__strategy__facet__outline=outline).exclude(
        name=EVERY_DEPARTMENT
    )
    office.departments.add(*named.distinct())
    return OfficePlan.objects.create(
        office=office,
        roc_year=roc_year,
        program=program,
        outline=outline,
        title=title or plan_title(office, roc_year),
        basis=normalize(basis),
        goals=normalize(goals),
        targets=normalize(targets),
        steps="\n".join(normalize(s) for s in steps or []),
        supplementary=normalize(supplementary),
    )


def _link_origins(outline: Outline, program: Program) -> None:
    """Point the outline's strategies and practices at the program's items they repeat."""
    hq_strategies: dict[tuple[str, str], int] = {}
    for s in Strategy.objects.filter(facet__outline=program.outline_id).select_related("facet"):
        hq_strategies.setdefault((comparable(s.facet.name), comparable(s.name)), s.pk)
    hq_practices: dict[str, list[int]] = {}
    for p in Practice.objects.filter(measure__strategy__facet__outline=program.outline_id).order_by(
        "measure__strategy__facet__position",
        "measure__strategy__position",
        "measure__position",
        "position",
    ):
        hq_practices.setdefault(comparable(p.text), []).append(p.pk)
    strategies = list(Strategy.objects.filter(facet__outline=outline).select_related("facet"))
    for s in strategies:
        s.origin_id = hq_strategies.get((comparable(s.facet.name), comparable(s.name)))
    Strategy.objects.bulk_update(strategies, ["origin"])
    practices = list(
        Practice.objects.filter(measure__strategy__facet__outline=outline).order_by(
            "measure__strategy__facet__position",
            "measure__strategy__position",
            "measure__position",
            "position",
        )
    )
    for p in practices:
        same = hq_practices.get(comparable(p.text))
        p.origin_id = same.pop(0) if same else None
    Practice.objects.bulk_update(practices, ["origin"])


# ---- starting a plan ----------------------------------------------------------------------


def parse_roc_year(value: object) -> int:
    """A plan's 民國 year: a whole number from 100 up to next year (plans are written ahead)."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(f"年度「{value}」不是整數", where="roc_year") from None
    last = to_roc_year(timezone.localdate().year) + 1
    if not FIRST_YEAR <= year <= last:
        raise DomainError(
            f"年度 {year} 不在可建立的範圍（{FIRST_YEAR} 至 {last} 年）", where="roc_year"
        )
    return year


def _basis(program: Program) -> str:
    """壹、計畫依據 as the forms word it, when HQ's letter is on record."""
    if not (program.issued_on and program.letter_number):
        return ""
    d = program.issued_on
    return (
        f"依據本公司{to_roc_year(d.year)}年{d.month}月{d.day}日{program.letter_number}"
        f"函頒之「{program.title}」辦理。"
    )


@transaction.atomic
def start_plan(
    *, office: Office, roc_year: int | str, start_from: str = "program", user=None
) -> OfficePlan:
    """Start the office's draft plan for `roc_year`.

    From "program": a copy of HQ's program of that year (or, before HQ issues it, of the latest
    earlier one), its items linked to HQ's; 計畫依據 is written from HQ's letter. From
    "last-year": a copy of the office's own plan of roc_year − 1 (practices, departments,
    periods, 不適用 marks and every section); the approval date is not copied.
    `user` None is the CLI (trusted); otherwise only the office's clerk or an admin.
    Side effects: locks the office row (one start at a time), creates the plan and its
    outline, records "created" in the audit trail.
    """
    if user is not None and not can_start(user, office):
        raise NotAllowed(f"只有{office.name}的經辦可以建立執行計畫", where="office")
    if start_from not in START_FROM:
        raise DomainError(
            f"起始方式「{start_from}」不正確（可用：program 總處計畫、last-year 去年計畫）",
            where="start_from",
        )
    year = parse_roc_year(roc_year)
    Office.objects.select_for_update().filter(pk=office.pk).first()
    if OfficePlan.objects.filter(office=office, roc_year=year).exists():
        raise DomainError(f"{office.name}已有 {year} 年度執行計畫", where="roc_year")
    program = program_for_year(year)
    if program is None:
        raise DomainError(f"尚無 {year} 年度（或更早）的總處執行計畫可依據", where="roc_year")
    if start_from == "program":
        plan = OfficePlan.objects.create(
            office=office,
            roc_year=year,
            program=program,
            outline=copy_outline(outline=program.outline, from_program=True),
            title=plan_title(office, year),
            basis=_basis(program),
        )
    else:
        last = OfficePlan.objects.filter(office=office, roc_year=year - 1).first()
        if last is None:
            raise DomainError(
                f"{office.name}沒有 {year - 1} 年度執行計畫可沿用", where="start_from"
            )
        plan = OfficePlan.objects.create(
            office=office,
            roc_year=year,
            program=program,
            outline=copy_outline(outline=last.outline, from_program=False),
            title=plan_title(office, year),
            **{name: getattr(last, name) for name in SECTIONS},
        )
    record(
        user=user,
        obj=plan,
        field="created",
        new=f"{start_from}（總處 {program.roc_year} 年度計畫）",
        plan_id=plan.pk,
    )
    return plan


# ---- editing a draft ------------------------------------------------------------------------


def practice_label(practice: Practice) -> str:
    """「服務一致及正確性／提升服務及時性（3）」: how messages name a practice."""
    measure = practice.measure
    name = f"{measure.strategy.name}／{measure.name}" if measure.name else measure.strategy.name
    return f"{name}（{practice.number}）" if practice.number else name


def _editable_plan(*, user, where: str, **lookup) -> OfficePlan:
    """The plan, locked; refused unless the user may edit it and it is still a draft."""
    plan = OfficePlan.objects.select_for_update(of=("self",)).select_related("office").get(**lookup)
    if user is not None and not can_edit(user, plan):
        raise NotAllowed(f"{where}：只有{plan.office.name}的經辦可以修改", where=where)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(f"{where}：執行計畫{plan.get_status_display()}，不可修改", where=where)
    return plan


def _locked_practice(practice: Practice, *, user) -> tuple[OfficePlan, Practice]:
    where = practice_label(practice)
    plan = _editable_plan(
        user=user, where=where, outline__facets__strategies__measures__practices=practice.pk
    )
    current = (
        Practice.objects.select_for_update(of=("self",))
        .select_related("measure__strategy")
        .get(pk=practice.pk)
    )
    return plan, current


def _check_version(current: Practice, expected_version: int) -> None:
    if int(expected_version) != current.version:
        where = practice_label(current)
        raise Conflict(
            f"{where}：此作法已被他人修改（目前為第 {current.version} 版），請重新載入後再修改",
            where=where,
            current=practice_to_dict(current),
        )


def _bounded(value: str, *, limit: int, where: str, what: str, required: bool = False) -> str:
    text = normalize(value or "")
    if required and not text:
        raise DomainError(f"{what}不可空白", where=where)
    if len(text) > limit:
        raise DomainError(f"{what}過長（{len(text)} 字，上限 {limit} 字）", where=where)
    return text


def _period(value: str, label: str) -> str:
    # Free text as the forms write it (1~12 月, 每季, 6 月、12 月): one line, spaces tidied.
    period = " ".join(normalize(value or "").split())
    if len(period) > PERIOD_MAX:
        raise DomainError(
            f"{label}：執行期間過長（{len(period)} 字，上限 {PERIOD_MAX} 字）", where="period"
        )
    return period


def department_choices(office: Office) -> list[Department]:
    """What a practice of the office's plan may name as 承辦部門: its departments, then 「各部門」."""
    return sorted(
        Department.objects.filter(Q(offices=office) | Q(name=EVERY_DEPARTMENT)).distinct(),
        key=lambda d: (d.name == EVERY_DEPARTMENT, d.position, d.name),
    )


def _departments(office: Office, names: list[str], label: str) -> list[Department]:
    """The named departments, in the order given: the office's own, or 「各部門」."""
    names = [str(n).strip() for n in names]
    if len(set(names)) != len(names):
        raise DomainError(f"{label}：承辦部門重複", where="departments")
    allowed = {d.name: d for d in department_choices(office)}
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise DomainError(
            f"{label}：{office.name}沒有「{'、'.join(unknown)}」這個部門", where="departments"
        )
    return [allowed[n] for n in names]


def _set_departments(practice: Practice, departments: list[Department]) -> None:
    PracticeDepartment.objects.filter(practice=practice).delete()
    PracticeDepartment.objects.bulk_create(
        PracticeDepartment(practice=practice, department=d, position=i)
        for i, d in enumerate(departments, start=1)
    )


def _department_names(practice: Practice) -> list[str]:
    return list(
        practice.department_links.order_by("position").values_list("department__name", flat=True)
    )


def _renumber(measure_id: int) -> None:
    """(1) (2) … follow the practices' order; a measure's lone practice has no number."""
    practices = list(Practice.objects.filter(measure_id=measure_id).order_by("position"))
    for n, p in enumerate(practices, start=1):
        number = n if len(practices) > 1 else None
        if p.number != number:
            p.number = number
            p.save(update_fields=["number"])


@transaction.atomic
def update_practice(
    *,
    practice: Practice,
    user,
    text: str | None = None,
    departments: list[str] | None = None,
    period: str | None = None,
    target: str | None = None,
    expected_version: int,
) -> Practice:
    """Change a practice's 具體作法, 承辦部門 (the office's, in order), 執行期間 or 預期目標.

    None leaves a field as it is. Side effects: locks the plan and the practice, saves the
    changed fields with the version raised, replaces the department links when they changed,
    records each changed field in the audit trail. Stale `expected_version`: Conflict.
    """
    plan, current = _locked_practice(practice, user=user)
    _check_version(current, expected_version)
    label = practice_label(current)
    before_departments = _department_names(current)
    before = {
        "text": current.text,
        "period": current.period,
        "target": current.target,
        "departments": "、".join(before_departments),
    }
    if text is not None:
        current.text = _bounded(
            text, limit=TEXT_MAX, where="text", what=f"{label}：具體作法", required=True
        )
    if period is not None:
        current.period = _period(period, label)
    if target is not None:
        current.target = _bounded(
            target, limit=TARGET_MAX, where="target", what=f"{label}：預期目標"
        )
    changes = record_changes(
        user=user,
        obj=current,
        before=before,
        fields=["text", "period", "target"],
        plan_id=plan.pk,
    )
    # An unchanged list is not checked again: a practice carried over or imported with a
    # department the office no longer lists can still have its other fields edited.
    if departments is not None and [str(n).strip() for n in departments] != before_departments:
        chosen = _departments(plan.office, departments, label)
        new = "、".join(d.name for d in chosen)
        if new != before["departments"]:
            _set_departments(current, chosen)
            changes.append(
                record(
                    user=user,
                    obj=current,
                    field="departments",
                    old=before["departments"],
                    new=new,
                    plan_id=plan.pk,
                )
            )
    if changes:
        current.version += 1
        current.save(update_fields=["text", "period", "target", "version"])
    for field in ("text", "period", "target", "version"):
        setattr(practice, field, getattr(current, field))
    return current


@transaction.atomic
def add_practice(
    *,
    plan: OfficePlan,
    measure: Measure,
    user,
    text: str,
    departments: list[str] = (),
    period: str = "",
    target: str = "",
) -> Practice:
    """Add the office's own practice at the end of a sub-strategy of the plan.

    Side effects: locks the plan, creates the Practice (not from HQ) with its departments,
    renumbers the measure's practices, records "added" in the audit trail.
    """
    where = measure.name or measure.strategy.name
    plan = _editable_plan(user=user, where=where, pk=plan.pk)
    if not Measure.objects.filter(pk=measure.pk, strategy__facet__outline=plan.outline_id).exists():
        raise DomainError(f"{where}：不在此執行計畫中", where="measure")
    label = f"{measure.strategy.name}／{measure.name}" if measure.name else measure.strategy.name
    chosen = _departments(plan.office, list(departments), label)
    last = Practice.objects.filter(measure=measure).aggregate(p=Max("position"))["p"] or 0
    practice = Practice.objects.create(
        measure=measure,
        position=last + 1,
        text=_bounded(text, limit=TEXT_MAX, where="text", what=f"{label}：具體作法", required=True),
        period=_period(period, label),
        target=_bounded(target, limit=TARGET_MAX, where="target", what=f"{label}：預期目標"),
    )
    _set_departments(practice, chosen)
    _renumber(measure.pk)
    practice.refresh_from_db()
    record(user=user, obj=practice, field="added", new=practice.text, plan_id=plan.pk)
    return practice


@transaction.atomic
def remove_practice(*, practice: Practice, user) -> None:
    """Remove a practice the office added. HQ's can't be removed: mark them 不適用 instead.

    Side effects: locks the plan, deletes the practice and its department links, renumbers
    the rest of its measure, records "removed" (with the text) in the audit trail.
    """
    plan, current = _locked_practice(practice, user=user)
    label = practice_label(current)
    if current.from_hq:
        raise DomainError(
            f"{label}：總處訂定的作法不可刪除，不執行時請標示「不適用」並說明理由",
            where="practice",
        )
    record(user=user, obj=current, field="removed", old=current.text, plan_id=plan.pk)
    measure_id = current.measure_id
    current.delete()
    _renumber(measure_id)


def _hq_item(current: Practice) -> str:
    label = practice_label(current)
    if not current.from_hq:
        raise DomainError(f"{label}：自行新增的作法不需標示不適用，可直接刪除", where="practice")
    return label


@transaction.atomic
def mark_not_applicable(
    *, practice: Practice, user, reason: str, expected_version: int
) -> Practice:
    """Mark one of HQ's practices 不適用 for this office, with the reason (required).

    Side effects: locks the plan and the practice, saves the mark and reason with the version
    raised, records the changed fields. Stale `expected_version`: Conflict.
    """
    plan, current = _locked_practice(practice, user=user)
    _check_version(current, expected_version)
    label = _hq_item(current)
    before = {
        "not_applicable": current.not_applicable,
        "not_applicable_reason": current.not_applicable_reason,
    }
    current.not_applicable = True
    current.not_applicable_reason = _bounded(
        reason, limit=REASON_MAX, where="reason", what=f"{label}：不適用理由", required=True
    )
    return _save_mark(current, before, user, plan)


@transaction.atomic
def mark_applicable(*, practice: Practice, user, expected_version: int) -> Practice:
    """Undo 不適用: the office carries out HQ's practice after all (the reason is cleared).

    Side effects: as mark_not_applicable.
    """
    plan, current = _locked_practice(practice, user=user)
    _check_version(current, expected_version)
    _hq_item(current)
    before = {
        "not_applicable": current.not_applicable,
        "not_applicable_reason": current.not_applicable_reason,
    }
    current.not_applicable = False
    current.not_applicable_reason = ""
    return _save_mark(current, before, user, plan)


def _save_mark(current: Practice, before: dict, user, plan: OfficePlan) -> Practice:
    if record_changes(user=user, obj=current, before=before, fields=list(before), plan_id=plan.pk):
        current.version += 1
        current.save(update_fields=[*before, "version"])
    return current


@transaction.atomic
def move_practice(*, practice: Practice, user, direction: str) -> Practice:
    """Move a practice one place up or down within its sub-strategy; numbers follow the order.

    Side effects: locks the plan, swaps the positions of the practice and its neighbour,
    renumbers the measure, records "position" (old → new) in the audit trail.
    """
    plan, current = _locked_practice(practice, user=user)
    label = practice_label(current)
    if direction not in ("up", "down"):
        raise DomainError(f"移動方向「{direction}」不正確（可用：up、down）", where="direction")
    siblings = Practice.objects.filter(measure_id=current.measure_id)
    neighbour = (
        siblings.filter(position__lt=current.position).order_by("-position")
        if direction == "up"
        else siblings.filter(position__gt=current.position).order_by("position")
    ).first()
    if neighbour is None:
        where = "最前" if direction == "up" else "最後"
        raise DomainError(f"{label}：已在{where}，無法再移動", where="direction")
    old, new = current.position, neighbour.position
    # Through a free position: (measure, position) is unique at every step.
    free = siblings.aggregate(p=Max("position"))["p"] + 1
    Practice.objects.filter(pk=current.pk).update(position=free)
    Practice.objects.filter(pk=neighbour.pk).update(position=old)
    Practice.objects.filter(pk=current.pk).update(position=new)
    _renumber(current.measure_id)
    current.refresh_from_db()
    record(user=user, obj=current, field="position", old=old, new=new, plan_id=plan.pk)
    return current


# ---- the office's own strategies ------------------------------------------------------------


def _strategy_name(value: str, where: str) -> str:
    name = " ".join(normalize(value or "").split())
    if not name:
        raise DomainError(f"{where}：執行策略名稱不可空白", where="name")
    if len(name) > STRATEGY_MAX:
        raise DomainError(
            f"{where}：執行策略名稱過長（{len(name)} 字，上限 {STRATEGY_MAX} 字）", where="name"
        )
    return name


def _office_strategy(strategy: Strategy, *, user, action: str) -> tuple[OfficePlan, Strategy]:
    """The plan (locked, editable) and the strategy, locked; HQ's strategies are refused."""
    plan = _editable_plan(user=user, where=strategy.name, outline__facets__strategies=strategy.pk)
    current = Strategy.objects.select_for_update(of=("self",)).get(pk=strategy.pk)
    if current.origin_id is not None:
        raise DomainError(
            f"{current.name}：總處訂定的執行策略不可{action}，"
            "不執行其作法時請逐項標示「不適用」並說明理由",
            where="strategy",
        )
    return plan, current


@transaction.atomic
def add_strategy(*, plan: OfficePlan, facet: Facet, user, name: str) -> Strategy:
    """Add an office-level 執行策略 at the end of a facet of the plan.

    The strategy gets one unnamed sub-strategy to hold its practices (the forms print none).
    Side effects: locks the plan, creates the Strategy (not from HQ) and its Measure, records
    "added" in the audit trail.
    """
    plan = _editable_plan(user=user, where=facet.name, pk=plan.pk)
    if facet.outline_id != plan.outline_id:
        raise DomainError(f"{facet.name}：不在此執行計畫中", where="facet")
    last = Strategy.objects.filter(facet=facet).aggregate(p=Max("position"))["p"] or 0
    strategy = Strategy.objects.create(
        facet=facet, position=last + 1, name=_strategy_name(name, facet.name)
    )
    Measure.objects.create(strategy=strategy, position=1, name="")
    record(user=user, obj=strategy, field="added", new=strategy.name, plan_id=plan.pk)
    return strategy


@transaction.atomic
def rename_strategy(*, strategy: Strategy, user, name: str, expected_version: int) -> Strategy:
    """Rename one of the office's own strategies (HQ's keep HQ's names).

    Side effects: locks the plan and the strategy, saves the name, records "name" (which
    raises the strategy's version). Stale `expected_version`: Conflict with the current name.
    """
    plan, current = _office_strategy(strategy, user=user, action="更名")
    version = strategy_version(current)
    if int(expected_version) != version:
        raise Conflict(
            f"{current.name}：此執行策略已被他人修改（目前為第 {version} 版），請重新載入後再修改",
            where="name",
            current=strategy_to_dict(current),
        )
    new = _strategy_name(name, current.name)
    if new != current.name:
        old, current.name = current.name, new
        current.save(update_fields=["name"])
        record(user=user, obj=current, field="name", old=old, new=new, plan_id=plan.pk)
    current.renames = strategy_version(current) - 1
    return current


@transaction.atomic
def remove_strategy(*, strategy: Strategy, user) -> None:
    """Remove one of the office's own strategies with its practices (all the office's own).

    Side effects: locks the plan, records "removed" for each practice (with its text) and for
    the strategy (with its name), then deletes the strategy, its sub-strategies and practices.
    """
    plan, current = _office_strategy(strategy, user=user, action="刪除")
    for practice in Practice.objects.filter(measure__strategy=current):
        record(user=user, obj=practice, field="removed", old=practice.text, plan_id=plan.pk)
    record(user=user, obj=current, field="removed", old=current.name, plan_id=plan.pk)
    current.delete()


@transaction.atomic
def update_plan_sections(
    *,
    plan: OfficePlan,
    user,
    basis: str | None = None,
    goals: str | None = None,
    targets: str | None = None,
    steps: list[str] | None = None,
    supplementary: str | None = None,
    expected_version: int,
) -> OfficePlan:
    """Change the plan's 計畫依據, 計畫目標, 實施對象, 實施步驟 (one per item) or 附則.

    None leaves a section as it is. Side effects: locks the plan, saves the changed sections
    with the plan's version raised, records each changed section. Stale version: Conflict.
    """
    current = _editable_plan(user=user, where=plan.title, pk=plan.pk)
    if int(expected_version) != current.version:
        raise Conflict(
            f"{current.title}：計畫內容已被他人修改（目前為第 {current.version} 版），"
            "請重新載入後再修改",
            where="version",
            current=plan_sections(current),
        )
    before = {name: getattr(current, name) for name in SECTIONS}
    given = {"basis": basis, "goals": goals, "targets": targets, "supplementary": supplementary}
    for name, value in given.items():
        if value is not None:
            setattr(
                current,
                name,
                _bounded(value, limit=SECTION_MAX, where=name, what=SECTION_LABELS[name]),
            )
    if steps is not None:
        lines = [normalize(str(s)).replace("\n", " ") for s in steps]
        current.steps = _bounded(
            "\n".join(s for s in lines if s), limit=SECTION_MAX, where="steps", what="實施步驟"
        )
    if record_changes(user=user, obj=current, before=before, fields=SECTIONS, plan_id=current.pk):
        current.version += 1
        current.save(update_fields=[*SECTIONS, "version"])
    for name in (*SECTIONS, "version"):
        setattr(plan, name, getattr(current, name))
    return current


# ---- the sign-off chain ---------------------------------------------------------------------
# The chain assessments follow (offices.signing), read from the plan's PlanSignOff rows.


def _lock_plan(plan: OfficePlan) -> OfficePlan:
    return (
        OfficePlan.objects.select_for_update(of=("self",)).select_related("office").get(pk=plan.pk)
    )


def _set_plan_status(locked: OfficePlan, status: PlanStatus, user, caller: OfficePlan) -> None:
    old = locked.status
    locked.status = caller.status = status
    locked.save(update_fields=["status"])
    record(user=user, obj=locked, field="status", old=old, new=status, plan_id=locked.pk)


def _set_approved_on(locked: OfficePlan, day: dt.date | None, user, caller: OfficePlan) -> None:
    old = locked.approved_on
    locked.approved_on = caller.approved_on = day
    locked.save(update_fields=["approved_on"])
    record(user=user, obj=locked, field="approved_on", old=old, new=day, plan_id=locked.pk)


def _plan_sign(
    locked: OfficePlan,
    user,
    position: int,
    role: Role,
    decision: Decision,
    comment: str,
    on_behalf_of=None,
) -> PlanSignOff:
    content = ""
    if decision != Decision.RETURN:
        content = plan_content_hash(plans_for_export().get(pk=locked.pk))
    signoff = PlanSignOff.objects.create(
        plan=locked,
        position=position,
        role=role,
        user=user,
        on_behalf_of=on_behalf_of,
        decision=decision,
        comment=comment,
        content_hash=content,
    )
    record(
        user=user,
        obj=signoff,
        field="signoff",
        new=signing.signoff_note(signoff),
        plan_id=locked.pk,
    )
    return signoff


def _approve(locked: OfficePlan, user, caller: OfficePlan) -> None:
    """The last step: the plan is approved (locked) on today's date in Taipei, 「…陳准實施」."""
    _set_plan_status(locked, PlanStatus.APPROVED, user, caller)
    _set_approved_on(locked, timezone.localdate(), user, caller)


@transaction.atomic
def submit_plan(*, plan: OfficePlan, user, comment: str = "") -> OfficePlan:
    """The office's clerk sends the draft plan into the sign-off chain (plans.signing.plan_chain).

    Refused while the pre-submit check (plans.checks.check_plan) reports errors; warnings do
    not block. Side effects: PlanSignOff(role=clerk, position=1, decision=submit) with the
    plan's content hash; status draft → submitted (→ approved, with approved_on today, when
    the chain has no other signer); audit entries. HQ sees the plan from then on.
    """
    locked = _lock_plan(plan)
    m = membership(user)
    if not (m and m.office_id == locked.office_id and m.role == Role.CLERK):
        raise NotAllowed(f"只有{locked.office.name}的經辦可以送出執行計畫", where="submit")
    if locked.status != PlanStatus.DRAFT:
        raise Conflict(
            f"執行計畫目前為「{locked.get_status_display()}」，不能再送出", where="status"
        )
    refuse_blocking(check_plan(plans_for_export().get(pk=locked.pk)))
    _plan_sign(locked, user, 1, Role.CLERK, Decision.SUBMIT, normalize(comment))
    if plan_chain_state(locked).signers:
        _set_plan_status(locked, PlanStatus.SUBMITTED, user, plan)
    else:
        _approve(locked, user, plan)
    return plan


@transaction.atomic
def sign_plan(
    *, plan: OfficePlan, user, decision: Decision | str, comment: str = ""
) -> PlanSignOff:
    """The current signer approves the plan, or returns it to the clerk with a comment.

    Only the one holding the current step's role in the office, or that person's registered
    deputy (recorded as on_behalf_of), may act; nobody may hold two steps of one round
    (NotAllowed otherwise). A return sends the plan back to draft and the chain restarts at
    the clerk; the last approval locks it: status approved, approved_on the day (Asia/Taipei).
    Side effects: a PlanSignOff row (an approval with the plan's content hash), the status
    change (and approved_on), audit entries for each.
    """
    decision = signing.parse_decision(decision)
    locked = _lock_plan(plan)
    state = plan_chain_state(locked)
    current = state.current
    if current is None:
        raise Conflict(
            f"執行計畫目前為「{locked.get_status_display()}」，沒有待核章的步驟", where="status"
        )
    position, role = current
    principal = signing.signing_for(user=user, office=locked.office, role=role, round_=state.round)
    comment = normalize(comment)
    if decision == Decision.RETURN and not comment:
        raise DomainError("退回時請填寫意見", where="comment")
    signoff = _plan_sign(locked, user, position, role, decision, comment, principal)
    if decision == Decision.RETURN:
        _set_plan_status(locked, PlanStatus.DRAFT, user, plan)
    elif not any(p > position for p, _ in state.signers):
        _approve(locked, user, plan)
    return signoff


@transaction.atomic
def reopen_plan(*, plan: OfficePlan, user, reason: str) -> OfficePlan:
    """HQ or an admin sends an approved plan back to draft, saying why.

    A new round starts: the old round's signatures no longer count; the sign-offs stay.
    A published plan is not reopened here (its public copy is publication's to withdraw).
    Side effects: status → draft, approved_on cleared; reopened_at/_by/reopen_reason set;
    audit entries for the reason, the status and the date.
    """
    if not is_hq(user) or not visible_plans(user).filter(pk=plan.pk).exists():
        raise NotAllowed("只有總處業務處或系統管理者可以重新開啟執行計畫", where="reopen")
    locked = _lock_plan(plan)
    if locked.status == PlanStatus.PUBLISHED:
        raise Conflict("執行計畫已公開，不能重新開啟", where="status")
    if locked.status != PlanStatus.APPROVED:
        raise Conflict("執行計畫尚未陳准實施，不需重新開啟", where="status")
    reason = _bounded(reason, limit=REASON_MAX, where="reason", what="重新開啟原因", required=True)
    record(user=user, obj=locked, field="reopened", new=reason, plan_id=locked.pk)
    locked.reopened_at, locked.reopened_by, locked.reopen_reason = timezone.now(), user, reason
    locked.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    for field in ("reopened_at", "reopened_by", "reopen_reason"):
        setattr(plan, field, getattr(locked, field))
    _set_plan_status(locked, PlanStatus.DRAFT, user, plan)
    _set_approved_on(locked, None, user, plan)
    return plan
